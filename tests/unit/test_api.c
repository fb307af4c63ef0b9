/* Unit tests for the server's api: every route driven without sockets, on a
 * real SQLite file that is closed and reopened to check what survives. */
#include "test_util.h"

#include "api.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int64_t NOW = 1415264400000LL; /* 2014-11-06T09:00:00Z */
static char db_path[] = "/tmp/vb-api-test-XXXXXX";
static struct server_config config;
static const char org[] = "Bearer organizer-token-0123456789";
static const char sensor[] = "Bearer sensor-token-0123456789ab";

struct fixture {
	struct store *store;
	struct api *api;
};

static void open_api(struct fixture *f, bool with_feed)
{
	struct feed_error e = {{0}};
	size_t len = 0;
	char *feed = with_feed ? test_fixture("../../assets/demo/paris-2014.schedule.json", &len) : NULL;
	f->store = store_open(db_path, &e);
	assert_non_null(f->store);
	f->api = api_create(&config, f->store, feed, len, NOW, &e);
	if (!f->api)
		fail_msg("%s", e.msg);
	free(feed);
}

static void close_api(struct fixture *f)
{
	api_destroy(f->api);
	store_close(f->store);
}

static int setup(void **state)
{
	(void)state;
	int fd = mkstemp(db_path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(db_path);
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n"
				   "sensor door sensor-token-0123456789ab\n";
	struct feed_error e;
	return server_config_parse(text, strlen(text), &config, &e) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[64];
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	return 0;
}

/* One request; the response body parsed (caller deletes), status returned. */
static int call(struct api *api, const char *method, const char *path, const char *auth,
		const char *body, const char *inm, cJSON **json, char etag[24])
{
	struct api_request req = {.method = method, .path = path, .authorization = auth,
				  .body = body ? body : "", .body_len = body ? strlen(body) : 0,
				  .if_none_match = inm, .now_ms = NOW};
	struct api_response res;
	api_handle(api, &req, &res);
	if (json)
		*json = res.body ? cJSON_Parse(res.body) : NULL;
	if (etag)
		memcpy(etag, res.etag, 24);
	int status = res.status;
	if (status >= 400) {
		cJSON *err = res.body ? cJSON_Parse(res.body) : NULL;
		if (!cJSON_IsString(cJSON_GetObjectItem(err, "error")))
			fail_msg("%s %s: %d without a JSON error", method, path, status);
		cJSON_Delete(err);
	}
	api_response_finish(&res);
	return status;
}

static const char *room_of(cJSON *doc, const char *id)
{
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sessions"))
		if (strcmp(cJSON_GetObjectItem(s, "id")->valuestring, id) == 0)
			return cJSON_GetObjectItem(s, "room")->valuestring;
	return NULL;
}

static void test_schedule_changes_and_restart(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	cJSON *doc;
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "sessions")), 149);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 0);
	assert_string_equal(cJSON_GetObjectItem(doc, "format")->valuestring, "venueboard.schedule/1");
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	/* writes need the organizer's token; a refused write changes nothing */
	const char move[] = "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\"}";
	assert_int_equal(call(f.api, "POST", "/v1/changes", NULL, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", sensor, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", "Bearer wrong-token-0000000000", move, NULL,
			      NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"move\",\"session\":\"9999\",\"room\":\"X\"}", NULL, NULL, NULL),
			 422);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"teleport\"}", NULL,
			      NULL, NULL), 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "not json", NULL, NULL, NULL), 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":\"tomorrow\","
			      "\"end\":\"2014-11-05T12:00:00+01:00\"}", NULL, NULL, NULL), 400);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	assert_int_equal(call(f.api, "POST", "/v1/changes", org, move, NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"reschedule\",\"session\":\"4211\",\"start\":"
			      "\"2014-11-06T17:40:00+01:00\",\"end\":\"2014-11-06T18:20:00+01:00\"}",
			      NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch line at Le M\xC3\xA9ridien: use the second buffet "
			      "upstairs\"}", NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, &doc, etag2), 200);
	assert_string_not_equal(etag, etag2);
	assert_string_equal(room_of(doc, "4184"), "salle-243");
	cJSON *changes = cJSON_GetObjectItem(doc, "changes");
	assert_int_equal(cJSON_GetArraySize(changes), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(changes, 0), "kind")->valuestring,
			    "moved");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "notices")), 1);
	cJSON *audit = cJSON_GetObjectItem(doc, "audit");
	assert_int_equal(cJSON_GetArraySize(audit), 4);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "who")->valuestring,
			    "alice");
	cJSON_Delete(doc);

	/* undo the move: once */
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL), 200);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL), 409);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_string_equal(room_of(doc, "4184"), "salle-251");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 2);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(
		cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "audit"), 0), "undone")));
	cJSON_Delete(doc);

	/* everything acknowledged is there after a restart, byte for byte */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);
}

static void test_samples_all_or_nothing(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	const char batch[] =
		"{\"type\":\"queue\",\"queue\":\"meridien\",\"name\":\"Le M\xC3\xA9ridien\",\"stations\":2,"
		"\"service_s\":60}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T08:59:00Z\",\"total\":100}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
		"\"t\":\"2014-11-06T08:59:00Z\",\"total\":50}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T09:00:00Z\",\"total\":110}\n"
		"{\"type\":\"weather\",\"queue\":\"meridien\"}\n";
	cJSON *doc;
	assert_int_equal(call(f.api, "POST", "/v1/samples", org, batch, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/samples", sensor, batch, NULL, &doc, NULL), 200);
	assert_int_equal(cJSON_GetObjectItem(doc, "accepted")->valueint, 4);
	assert_int_equal(cJSON_GetObjectItem(doc, "skipped")->valueint, 1);
	cJSON_Delete(doc);
	/* one bad line refuses the batch, naming it; nothing of it is kept */
	const char bad[] = "{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":"
			   "\"entry\",\"t\":\"2014-11-06T08:59:50Z\",\"total\":500}\n"
			   "{\"type\":\"count\",\"queue\":\"meridien\"}\n";
	struct api_request req = {.method = "POST", .path = "/v1/samples", .authorization = sensor,
				  .body = bad, .body_len = strlen(bad), .now_ms = NOW};
	struct api_response res;
	api_handle(f.api, &req, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.body, "line 2"));
	api_response_finish(&res);
	assert_int_equal(call(f.api, "GET", "/v1/queues", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *q = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), 0);
	assert_string_equal(cJSON_GetObjectItem(q, "queue")->valuestring, "meridien");
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 10); /* not 400 */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "samples")), 4);
	cJSON_Delete(doc);
	/* the estimator comes back from the store */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/queues", NULL, NULL, NULL, &doc, NULL), 200);
	q = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), 0);
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 10);
	cJSON_Delete(doc);
	close_api(&f);
}

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
	api_handle(f.api, &req, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "venueboard_requests_total"));
	api_response_finish(&res);
	req = (struct api_request){.method = "POST", .path = "/v1/samples", .authorization = sensor,
				   .body = "", .body_len = API_MAX_BODY + 1, .now_ms = NOW};
	api_handle(f.api, &req, &res);
	assert_int_equal(res.status, 413);
	api_response_finish(&res);
	/* publishing something that is not a schedule is refused, naming why */
	assert_int_equal(call(f.api, "POST", "/v1/schedule", org, "{\"hello\":1}", NULL, NULL, NULL),
			 422);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schedule_changes_and_restart, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_samples_all_or_nothing, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_routes_and_limits, NULL, teardown),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
