/* Unit tests for api_screens.c: heartbeats, the list of screens and their
 * thumbnails, what a heartbeat may not hold. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "civil_time.h"
#include "server_config.h"
#include "store.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /v1/screens at now_ms: the body as sent (caller frees). */
static char *screens_at(struct api *api, int64_t now_ms)
{
	struct api_response res;
	request_at(api, now_ms, "GET", "/v1/screens", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "application/json");
	assert_string_equal(res.cache_control, "no-cache");
	char *body = strndup(res.body, res.body_len);
	assert_int_equal(strlen(body), res.body_len);
	api_response_finish(&res);
	return body;
}

/* The heartbeat of palais-l2-east as a kiosk would send it. */
static char *palais_heartbeat(const char *version, bool thumbnail)
{
	char *b64 = text_base64(test_tiny_png, test_tiny_png_len);
	assert_non_null(b64);
	char *body = malloc(strlen(b64) + 400);
	assert_non_null(body);
	snprintf(
		body, strlen(b64) + 400,
		"{\"version\":\"%s\",\"uptime_s\":3600,\"feed_age_s\":42,\"offline\":false,"
		"\"showing\":\"page 2/5\",\"schedule_version\":3,\"kiosk\":{\"unknown\":[1]}%s%s%s}",
		version, thumbnail ? ",\"thumbnail\":\"" : "", thumbnail ? b64 : "",
		thumbnail ? "\"" : "");
	free(b64);
	return body;
}

/* GET /v1/screens at now_ms, when palais_heartbeat("1.4.2", true) came at NOW. */
static void palais_listed(char *out, size_t cap, int64_t now_ms, int age_s, const char *state)
{
	char t[21];
	civil_format_utc(now_ms / 1000, t);
	snprintf(
		out, cap,
		"{\"t\":\"%s\",\"screens\":[{\"screen\":\"palais-l2-east\","
		"\"last_seen\":\"2014-11-06T09:00:00Z\",\"age_s\":%d,\"version\":\"1.4.2\","
		"\"uptime_s\":3600,\"feed_age_s\":42,\"offline\":false,\"showing\":\"page 2/5\","
		"\"schedule_version\":3,\"slot\":null,\"update\":null,\"image\":null,\"feed_error\":null,\"thumbnail\":\"/v1/screens/palais-l2-east/thumbnail.png\","
		"\"state\":\"%s\"}]}",
		t, age_s, state);
}

/* The thumbnail of screen as served: status; the bytes must be test_tiny_png. */
static int get_thumbnail_at(struct api *api, const char *screen, const char *method,
			    const char *inm, char etag[24])
{
	char path[128];
	snprintf(path, sizeof(path), "/v1/screens/%s/thumbnail.png", screen);
	struct api_response res;
	request_at(api, NOW, method, path, NULL, NULL, inm, &res);
	if (res.status == 200) {
		assert_string_equal(res.content_type, "image/png");
		assert_string_equal(res.cache_control, "no-cache");
		assert_int_equal(res.body_len, test_tiny_png_len);
		assert_memory_equal(res.body, test_tiny_png, test_tiny_png_len);
		assert_true(res.etag[0] == '"');
	}
	if (etag)
		memcpy(etag, res.etag, 24);
	int status = res.status;
	api_response_finish(&res);
	return status;
}

static void test_screens_heartbeat(void **state)
{
	(void)state;
	struct fixture f;
	/* a database from before screens existed (and before files said their
	 * schema version: user_version 0) gains the table */
	open_api(&f, true);
	close_api(&f);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db, "DROP TABLE screens; PRAGMA user_version = 0", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	open_api(&f, false);

	char *list = screens_at(f.api, NOW);
	assert_string_equal(list, "{\"t\":\"2014-11-06T09:00:00Z\",\"screens\":[]}");
	free(list);
	cJSON *doc;
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);

	/* only the screen's own token */
	char *hb = palais_heartbeat("1.4.2", true);
	const char *refused[] = {NULL,
				 "",
				 "Bearer ",
				 "Bearer wrong-token-0000000000",
				 org,
				 sensor,
				 "screen-token-palais-l2-east",
				 "Basic screen-token-palais-l2-east"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (heartbeat_at(f.api, NOW, refused[i], hb, NULL) != 401)
			fail_msg("heartbeat with '%s' was not refused",
				 refused[i] ? refused[i] : "");
	list = screens_at(f.api, NOW);
	assert_non_null(strstr(list, "\"screens\":[]"));
	free(list);

	char log[320];
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb, log), 200);
	assert_string_equal(log, "heartbeat from palais-l2-east: 1.4.2, page 2/5, feed age 42 s");
	char want[1024];
	list = screens_at(f.api, NOW + 999);
	palais_listed(want, sizeof(want), NOW, 0, "ok");
	assert_string_equal(list, want);
	free(list);

	/* not a change: the schedule, its change list and its audit are as they were */
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag2), 200);
	assert_string_equal(etag, etag2);
	assert_int_equal(audit_size(f.api), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 0);
	cJSON_Delete(doc);

	/* the thumbnail, byte for byte; only for configured screens that sent one */
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, etag), 200);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "HEAD", NULL, NULL), 200);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", etag, NULL), 304);
	assert_int_equal(get_thumbnail_at(f.api, "hall-b", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "alice", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "PALAIS-L2-EAST", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "x/palais-l2-east", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "POST", NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/v1/screens/palais-l2-east/thumbnail.jpg", NULL, NULL,
			      NULL, NULL, NULL),
			 404);
	assert_int_equal(call(f.api, "GET", "/v1/screens/heartbeat", NULL, NULL, NULL, NULL, NULL),
			 405);
	assert_int_equal(call(f.api, "POST", "/v1/screens", palais, hb, NULL, NULL, NULL), 405);

	/* stale after 120 s without a word */
	list = screens_at(f.api, NOW + 120000);
	palais_listed(want, sizeof(want), NOW + 120000, 120, "ok");
	assert_string_equal(list, want);
	free(list);
	list = screens_at(f.api, NOW + 121000);
	palais_listed(want, sizeof(want), NOW + 121000, 121, "stale");
	assert_string_equal(list, want);
	free(list);
	struct api_response res;
	request_at(f.api, NOW + 121000, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body,
			       "# TYPE venueboard_screen_last_seen_age_seconds gauge\n"
			       "venueboard_screen_last_seen_age_seconds{screen=\"palais-l2-east\"} "
			       "121.0\n"));
	assert_null(strstr(res.body, "hall-b"));
	api_response_finish(&res);

	/* a second screen, offline, with nothing else to say; listed by name */
	assert_int_equal(heartbeat_at(f.api, NOW + 60000, hall,
				      "{\"offline\":true,\"feed_age_s\":null,"
				      "\"showing\":\"waiting for the schedule\"}",
				      log),
			 200);
	assert_string_equal(log, "heartbeat from hall-b: ?, waiting for the schedule, no schedule, "
				 "offline");
	assert_int_equal(call(f.api, "GET", "/healthz", NULL, NULL, NULL, &doc, NULL), 200);
	assert_int_equal(cJSON_GetObjectItem(doc, "screens")->valueint, 2);
	cJSON_Delete(doc);
	list = screens_at(f.api, NOW + 90000);
	doc = cJSON_Parse(list);
	free(list);
	cJSON *screens = cJSON_GetObjectItem(doc, "screens");
	assert_int_equal(cJSON_GetArraySize(screens), 2);
	cJSON *h = cJSON_GetArrayItem(screens, 0);
	assert_string_equal(cJSON_GetObjectItem(h, "screen")->valuestring, "hall-b");
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "offline");
	assert_int_equal(cJSON_GetObjectItem(h, "age_s")->valueint, 30);
	const char *nulls[] = {"version", "uptime_s", "feed_age_s", "schedule_version",
			       "thumbnail"};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
		if (!cJSON_IsNull(cJSON_GetObjectItem(h, nulls[i])))
			fail_msg("hall-b: %s is not null", nulls[i]);
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetArrayItem(screens, 1), "screen")->valuestring,
		"palais-l2-east");
	cJSON_Delete(doc);
	/* a dead screen is stale, whatever it said last */
	list = screens_at(f.api, NOW + 60000 + 121000);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "stale");
	cJSON_Delete(doc);
	/* a feed that answers with no schedule: the screen is up, its feed fails */
	assert_int_equal(
		heartbeat_at(f.api, NOW + 200000, hall,
			     "{\"offline\":false,\"feed_error\":\"schedule: not valid JSON "
			     "(line 1)\"}",
			     NULL),
		200);
	list = screens_at(f.api, NOW + 200000);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "failing");
	assert_string_equal(cJSON_GetObjectItem(h, "feed_error")->valuestring,
			    "schedule: not valid JSON (line 1)");
	cJSON_Delete(doc);

	/* each heartbeat replaces the last whole: one without a thumbnail clears it */
	char *hb2 = palais_heartbeat("1.4.3", false);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb2, NULL), 200);
	free(hb2);
	list = screens_at(f.api, NOW);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 1);
	assert_string_equal(cJSON_GetObjectItem(h, "version")->valuestring, "1.4.3");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "thumbnail")));
	cJSON_Delete(doc);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, NULL), 404);
	/* served by length, not as a C string: 35 bytes without a NUL */
	static const char no_nul[] = "\x89PNG\r\n\x1a\nnot a NUL in these 23 bytes";
	char *no_nul_b64 = text_base64((const unsigned char *)no_nul, strlen(no_nul));
	assert_non_null(no_nul_b64);
	char no_nul_hb[128];
	snprintf(no_nul_hb, sizeof(no_nul_hb), "{\"thumbnail\":\"%s\"}", no_nul_b64);
	free(no_nul_b64);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, no_nul_hb, NULL), 200);
	request_at(f.api, NOW, "GET", "/v1/screens/palais-l2-east/thumbnail.png", NULL, NULL, NULL,
		   &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, strlen(no_nul));
	assert_memory_equal(res.body, no_nul, strlen(no_nul));
	api_response_finish(&res);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb, NULL), 200);
	free(hb);

	/* all of it survives a restart, byte for byte */
	char *before = screens_at(f.api, NOW + 5000);
	close_api(&f);
	open_api(&f, false);
	char *after = screens_at(f.api, NOW + 5000);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);

	/* a screen taken out of the configuration is no longer shown */
	static struct server_config fewer;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n"
				   "screen palais-l2-east screen-token-palais-l2-east\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &fewer, &e));
	f.store = store_open(db_path, &e);
	assert_non_null(f.store);
	f.api = api_create(&fewer, f.store, NULL, 0, NOW, NULL, &e);
	assert_non_null(f.api);
	after = screens_at(f.api, NOW + 5000);
	assert_null(strstr(after, "hall-b"));
	assert_non_null(strstr(before, "hall-b"));
	assert_non_null(strstr(after, "\"screen\":\"palais-l2-east\""));
	assert_int_equal(heartbeat_at(f.api, NOW, hall, "{}", NULL), 401);
	assert_int_equal(get_thumbnail_at(f.api, "hall-b", "GET", NULL, NULL), 404);
	free(after);
	free(before);
	close_api(&f);
}

static void test_screens_refusals(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	char long_showing[160], long_version[64];
	snprintf(long_showing, sizeof(long_showing), "{\"showing\":\"%0121d\"}", 0);
	snprintf(long_version, sizeof(long_version), "{\"version\":\"%033d\"}", 0);
	/* a PNG one byte over 96 KiB, and one of exactly 96 KiB */
	unsigned char *big = calloc(1, API_MAX_THUMBNAIL + 1);
	memcpy(big, test_tiny_png, test_tiny_png_len);
	char *b64 = text_base64(big, API_MAX_THUMBNAIL + 1);
	assert_non_null(b64);
	char *too_big = malloc(strlen(b64) + 32);
	snprintf(too_big, strlen(b64) + 32, "{\"thumbnail\":\"%s\"}", b64);
	free(b64);
	b64 = text_base64(big, API_MAX_THUMBNAIL);
	assert_non_null(b64);
	char *just_fits = malloc(strlen(b64) + 32);
	snprintf(just_fits, strlen(b64) + 32, "{\"thumbnail\":\"%s\"}", b64);
	free(b64);
	free(big);
	static const char hello[] = "hello, world"; /* base64, but not a PNG */
	char *not_png_b64 = text_base64((const unsigned char *)hello, strlen(hello));
	assert_non_null(not_png_b64);
	char not_png[64];
	snprintf(not_png, sizeof(not_png), "{\"thumbnail\":\"%s\"}", not_png_b64);
	free(not_png_b64);

	const struct {
		const char *body, *needle;
	} cases[] = {
		{"", "the body"},
		{"not json", "the body"},
		{"[{\"version\":\"1.4.2\"}]", "the body"},
		{"\"hello\"", "the body"},
		{"{\"version\":5}", "version: "},
		{"{\"version\":null}", "version: "},
		{long_version, "version: "},
		{"{\"version\":\"1.4\xff\"}", "version: "},
		{"{\"uptime_s\":\"12\"}", "uptime_s: "},
		{"{\"uptime_s\":-1}", "uptime_s: "},
		{"{\"uptime_s\":1e999}", "uptime_s: "},
		{"{\"uptime_s\":null}", "uptime_s: "},
		{"{\"feed_age_s\":\"old\"}", "feed_age_s: "},
		{"{\"feed_age_s\":true}", "feed_age_s: "},
		{"{\"offline\":\"yes\"}", "offline: "},
		{"{\"offline\":1}", "offline: "},
		{"{\"offline\":null}", "offline: "},
		{"{\"showing\":[\"page 2/5\"]}", "showing: "},
		{long_showing, "showing: "},
		{"{\"showing\":\"page\\n2/5\"}", "showing: control characters"},
		{"{\"schedule_version\":\"3\"}", "schedule_version: "},
		{"{\"schedule_version\":{}}", "schedule_version: "},
		{"{\"showing\":\"page 2/5\",\"uptime_s\":\"long\"}", "uptime_s: "},
		{"{\"thumbnail\":12}", "thumbnail: a string"},
		{"{\"thumbnail\":null}", "thumbnail: a string"},
		{"{\"thumbnail\":\"\"}", "thumbnail: not a PNG"},
		{"{\"thumbnail\":\"not base64!\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"data:image/png;base64,iVBORw0KGgo=\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBORw0KG\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBO=Rw0KGgo\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBORw0KGgo===\"}", "thumbnail: not base64"},
		{not_png, "thumbnail: not a PNG"},
		{too_big, "thumbnail: larger than 96 KiB"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct api_response res;
		request_at(f.api, NOW, "POST", "/v1/screens/heartbeat", palais, cases[i].body, NULL,
			   &res);
		if (res.status != 400)
			fail_msg("case %zu: %d, not 400", i, res.status);
		cJSON *err = cJSON_ParseWithLength(res.body, res.body_len);
		const char *msg = cJSON_GetObjectItem(err, "error")->valuestring;
		if (strncmp(msg, cases[i].needle, strlen(cases[i].needle)) != 0)
			fail_msg("case %zu: '%s' does not start with '%s'", i, msg,
				 cases[i].needle);
		cJSON_Delete(err);
		api_response_finish(&res);
	}
	/* a refused heartbeat stores nothing */
	char *list = screens_at(f.api, NOW);
	assert_non_null(strstr(list, "\"screens\":[]"));
	free(list);

	/* over 256 KiB of body is refused before it is read, whoever sends it */
	char *huge = malloc(API_MAX_HEARTBEAT + 2);
	snprintf(huge, API_MAX_HEARTBEAT + 2, "{\"pad\":\"%0*d\"}", API_MAX_HEARTBEAT - 9, 0);
	assert_int_equal(strlen(huge), API_MAX_HEARTBEAT + 1);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, huge, NULL), 413);
	assert_int_equal(heartbeat_at(f.api, NOW, NULL, huge, NULL), 401); /* the token first */
	/* what the shell may read, known from the headers */
	static const struct {
		const char *path, *auth;
		size_t max;
	} limits[] = {
		{"/v1/screens/heartbeat", palais, API_MAX_HEARTBEAT},
		{"/v1/samples", sensor, API_MAX_BODY},
		{"/v1/schedule", org, API_MAX_BODY},
	};
	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
		struct api_request pre = {.method = "POST",
					  .path = limits[i].path,
					  .authorization = limits[i].auth,
					  .now_ms = NOW};
		struct api_response res;
		size_t max = 0;
		assert_true(api_preflight(f.api, &pre, -1, &max, &res));
		assert_int_equal(max, limits[i].max);
		assert_false(api_preflight(f.api, &pre, (int64_t)limits[i].max + 1, &max, &res));
		assert_int_equal(res.status, 413);
		api_response_finish(&res);
	}

	/* the edges themselves are fine: 256 KiB of body, 96 KiB of PNG, 32 and
	 * 120 bytes of text, padding left out, base64 broken into lines */
	huge[API_MAX_HEARTBEAT - 2] = '"';
	huge[API_MAX_HEARTBEAT - 1] = '}';
	huge[API_MAX_HEARTBEAT] = '\0';
	const char *accepted[] = {
		huge,
		just_fits,
		"{\"version\":\"12345678901234567890123456789012\",\"uptime_s\":0,\"feed_age_s\":-1.5}",
		"{\"showing\":\"Salle 252 A \xe2\x80\x94 page 2/5 \xc3\xa9\"}",
		"{\"thumbnail\":\"iVBORw0KGgo\"}",
		"{\"thumbnail\":\"iVBO\\nRw0K\\r\\nGgo=\"}",
		"{}",
	};
	for (size_t i = 0; i < sizeof(accepted) / sizeof(*accepted); i++)
		if (heartbeat_at(f.api, NOW, palais, accepted[i], NULL) != 200)
			fail_msg("accepted case %zu was refused", i);
	free(huge);
	free(just_fits);
	free(too_big);
	close_api(&f);
}

/* Without any screen in the configuration: an empty list, nothing to post. */
static void test_screens_none_configured(void **state)
{
	(void)state;
	static struct server_config bare;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &bare, &e));
	struct fixture f;
	f.store = store_open(db_path, &e);
	assert_non_null(f.store);
	f.api = api_create(&bare, f.store, NULL, 0, NOW, NULL, &e);
	assert_non_null(f.api);
	char *list = screens_at(f.api, NOW);
	assert_string_equal(list, "{\"t\":\"2014-11-06T09:00:00Z\",\"screens\":[]}");
	free(list);
	assert_int_equal(heartbeat_at(f.api, NOW, org, "{}", NULL), 401);
	assert_int_equal(get_thumbnail_at(f.api, "alice", "GET", NULL, NULL), 404);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "\"screens\":0}"));
	api_response_finish(&res);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_screens_heartbeat, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_screens_refusals, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_screens_none_configured, NULL,
						api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
