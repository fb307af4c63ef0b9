/* Unit tests for the server's router (api.c): routes, methods and body limits,
 * and who a token is across a reload. Driven without sockets (api_test.h). */
#include "api_test.h"

#include "api.h"
#include "server_config.h"

#include <cjson/cJSON.h>
#include <string.h>

static void test_routes_and_limits(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	assert_int_equal(call(f.api, "GET", "/nope", NULL, NULL, NULL, NULL, NULL), 404);
	assert_int_equal(call(f.api, "DELETE", "/v1/schedule", NULL, NULL, NULL, NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/v1/changes", NULL, NULL, NULL, NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/healthz", NULL, NULL, NULL, NULL, NULL), 200);
	struct api_request req = {.method = "GET", .path = "/metrics", .now_ms = NOW};
	struct api_response res;
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "venueboard_requests_total"));
	api_response_finish(&res);
	req = (struct api_request){.method = "POST",
				   .path = "/v1/samples",
				   .authorization = sensor,
				   .body = "",
				   .body_len = API_MAX_BODY + 1,
				   .now_ms = NOW};
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 413);
	api_response_finish(&res);
	/* publishing something that is not a schedule is refused, naming why */
	assert_int_equal(
		call(f.api, "POST", "/v1/schedule", org, "{\"hello\":1}", NULL, NULL, NULL), 422);
	close_api(&f);
}

/* Who a connection's token is, and whether a reload left it standing: a
 * token removed, rotated or given another role does not (issue 19). */
static void test_identity_after_reload(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	struct api_identity screen, organizer, none;
	assert_true(api_identify(f.api, palais, &screen));
	assert_int_equal(screen.role, TOKEN_SCREEN);
	assert_string_equal(screen.name, "palais-l2-east");
	assert_true(api_identify(f.api, org, &organizer));
	assert_int_equal(organizer.role, TOKEN_ORGANIZER);
	assert_false(api_identify(f.api, "Bearer not-a-token-of-this-server", &none));
	assert_int_equal(none.role, -1);
	assert_false(api_identify(f.api, NULL, &none));
	assert_false(api_identity_current(f.api, &none));
	assert_true(api_identity_current(f.api, &screen));
	assert_true(api_identity_current(f.api, &organizer));
	/* the reload: alice's secret rotated, palais-l2-east now a sensor's name */
	static struct server_config next;
	static const char text[] = "database x\norganizer alice organizer-token-rotated-98765\n"
				   "sensor palais-l2-east screen-token-palais-l2-east\n"
				   "screen hall-b screen-token-hall-b-01234567\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &next, &e));
	struct api_identity hall_id;
	assert_true(api_identify(f.api, hall, &hall_id));
	assert_true(api_set_config(f.api, &next, &e));
	assert_false(api_identity_current(f.api, &screen));
	assert_false(api_identity_current(f.api, &organizer));
	assert_true(api_identity_current(f.api, &hall_id)); /* untouched: kept */
	assert_true(api_set_config(f.api, &config, &e));
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_routes_and_limits, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_identity_after_reload, NULL,
						api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
