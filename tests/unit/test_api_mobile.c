/* Unit tests for api_mobile.c: GET /m/, the board for a phone. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"

#include <cjson/cJSON.h>
#include <string.h>

/* GET /m/: the board for a phone: now and next per room with FULL, the
 * changes in words, the notices for everyone, the lunch lines; text from
 * feeds escaped; French on request; another moment with ?at=. */
static void test_mobile_page(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\"}",
			      NULL, NULL, NULL),
			 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch <b>upstairs</b> & \\\"more\\\"\"}", NULL, NULL,
			      NULL),
			 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"For the Palais only\",\"screens\":[\"palais-l2-east\"]}",
			      NULL, NULL, NULL),
			 201);
	char line[256];
	room_line(line, sizeof(line), "Salle 241", 400, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	struct api_response res;
	struct api_request rq = {.method = "GET",
				 .path = "/m/",
				 .query = "at=2014-11-06T10%3A00%3A00%2B01%3A00",
				 .now_ms = NOW};
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "text/html; charset=utf-8");
	assert_null(strstr(res.csp, "script"));
	const char *html = res.body;
	assert_non_null(strstr(html, "<h1>OpenStack Summit Paris 2014</h1>"));
	assert_non_null(strstr(html, "As of 10:00"));
	assert_non_null(strstr(html, "Lunch &lt;b&gt;upstairs&lt;/b&gt; &amp; &quot;more&quot;"));
	assert_null(strstr(html, "For the Palais only")); /* a notice for one screen */
	assert_non_null(strstr(html, "<strong>moved</strong> TripleO: review policy"));
	assert_non_null(strstr(html, "Salle 251 → Salle 243"));
	/* Salle 241 at 10:00 in Paris: Docker and Nova, counted at its 400 seats */
	assert_non_null(strstr(html, "Salle 241 <span class=\"full\">FULL</span>"));
	assert_non_null(strstr(html, "09:50–10:30</span> Docker and Nova"));
	api_response_finish(&res);
	rq.query = "lang=fr&at=2014-11-06T10%3A00%3A00%2B01%3A00";
	handle(f.api, &rq, &res);
	assert_non_null(strstr(res.body, "<html lang=\"fr\">"));
	assert_non_null(strstr(res.body, "COMPLET"));
	assert_non_null(strstr(res.body, "Changements"));
	api_response_finish(&res);
	rq.path = "/m/style.css";
	rq.query = NULL;
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "text/css; charset=utf-8");
	api_response_finish(&res);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mobile_page, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
