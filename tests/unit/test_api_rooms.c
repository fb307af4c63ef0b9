/* Unit tests for api_rooms.c: how full each room is by camera and by a
 * steward's hand. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The room of GET /v1/rooms named name at now_ms (caller deletes). */
static cJSON *room_now(struct api *api, int64_t now_ms, const char *name)
{
	return listed_item(api, now_ms, "/v1/rooms", "rooms", "room", name);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	return cJSON_IsString(v) ? v->valuestring : "(none)";
}

/* GET /v1/rooms: a count at the seats is FULL, 85 % filling, an old count
 * gives no fill (never FULL), an absurd one is refused and said; a bad
 * line refuses its batch; a steward's FULL wins over the sensor, is
 * audited, undone, and over when its session ends. */
static void test_rooms(void **state)
{
	(void)state;
	struct fixture f;
	struct test_log lc = {{0}, 0};
	struct feed_error e = {{0}};
	size_t len;
	char *feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct api_log log = {test_log_line, &lc};
	f.store = store_open(db_path, &e);
	f.api = api_create(&config, f.store, feed, len, NOW, &log, &e);
	free(feed);
	assert_non_null(f.api);
	char line[256], batch[1024];
	room_line(line, sizeof(line), "Salle 241", 400, -1); /* 400 seats in the feed */
	post_samples_at(f.api, NOW, line, 200, "\"accepted\":1");
	cJSON *r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "sensor");
	assert_int_equal(cJSON_GetObjectItem(r, "people")->valueint, 400);
	assert_int_equal(cJSON_GetObjectItem(r, "capacity")->valueint, 400);
	assert_true(cJSON_GetObjectItem(r, "fill")->valuedouble == 1.0);
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "session"), "id"), "4245");
	cJSON_Delete(r);
	/* 350 of 400: filling */
	room_line(line, sizeof(line), "Salle 241", 350, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	assert_true(cJSON_GetObjectItem(r, "fill")->valuedouble == 0.88);
	cJSON_Delete(r);
	/* a batch with one bad line stores nothing: still filling */
	room_line(line, sizeof(line), "Salle 241", 400, 0);
	snprintf(batch, sizeof(batch),
		 "%s{\"type\":\"room\",\"room\":\"Salle 241\","
		 "\"sensor\":\"cam-1\",\"t\":\"2014-11-06T09:00:30Z\","
		 "\"people\":-4}\n",
		 line);
	post_samples_at(f.api, NOW, batch, 400, "line 2: people");
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	cJSON_Delete(r);
	/* four minutes later without a count: no fill, not FULL */
	r = room_now(f.api, NOW + 4 * 60000, "Salle 241");
	assert_string_equal(str_of(r, "state"), "open");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "people")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "fill")));
	assert_string_equal(str_of(r, "why"), "count unavailable: older than 3 minutes");
	assert_string_equal(str_of(r, "counted_at"), "2014-11-06T09:00:00Z");
	cJSON_Delete(r);
	/* 2 000 in a room of 200: a fault, refused, said once */
	room_line(line, sizeof(line), "Salle 243", 2000, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	r = room_now(f.api, NOW, "Salle 243");
	assert_string_equal(str_of(r, "state"), "open");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "people")));
	assert_non_null(strstr(str_of(r, "why"), "more than twice the seats"));
	cJSON_Delete(r);
	assert_non_null(strstr(lc.text, "WARN: room Salle 243: count refused"));
	/* a room no schedule knows is said */
	room_line(line, sizeof(line), "Salle 999", 10, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	assert_non_null(
		strstr(lc.text, "WARN: room counts from cam-1 for 'Salle 999': no such room"));
	/* the metrics */
	struct api_response res;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "venueboard_room_fill{room=\"Salle 241\"} 0.9"));
	assert_non_null(strstr(res.body, "venueboard_room_full{room=\"Salle 241\"} 0.0"));
	api_response_finish(&res);
	/* ETag: asked again unchanged, a 304 */
	request_at(f.api, NOW, "GET", "/v1/rooms", NULL, NULL, NULL, &res);
	char etag[24];
	memcpy(etag, res.etag, sizeof(etag));
	api_response_finish(&res);
	struct api_request rq = {
		.method = "GET", .path = "/v1/rooms", .if_none_match = etag, .now_ms = NOW};
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 304);
	api_response_finish(&res);
	/* the steward: refused kinds, then FULL by hand over a sensor that says 350 */
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"filling\"}",
			      NULL, NULL, NULL),
			 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 999\",\"state\":\"full\"}", NULL,
			      NULL, NULL),
			 422);
	assert_int_equal(call(f.api, "POST", "/v1/changes", sensor,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"full\"}", NULL,
			      NULL, NULL),
			 401);
	cJSON *ok;
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"salle 241\",\"state\":\"full\"}", NULL,
			      &ok, NULL),
			 201);
	int id = cJSON_GetObjectItem(ok, "change")->valueint;
	cJSON_Delete(ok);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "steward");
	assert_int_equal(cJSON_GetObjectItem(r, "people")->valueint, 350); /* still said */
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "mark"), "until"),
			    "2014-11-06T09:30:00Z");
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "mark"), "by"), "alice");
	cJSON_Delete(r);
	assert_int_equal(audit_size(f.api), 1);
	/* the session is over at 09:30: so is the mark */
	r = room_now(f.api, NOW + 31 * 60000, "Salle 241");
	assert_string_equal(str_of(r, "source"), "none");
	assert_true(strcmp(str_of(r, "state"), "full") != 0);
	cJSON_Delete(r);
	/* undone: the sensor's word again at once; and after a restart the same */
	char undo[64];
	snprintf(undo, sizeof(undo), "{\"kind\":\"undo\",\"change\":%d}", id);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, undo, NULL, NULL, NULL), 200);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	cJSON_Delete(r);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"full\"}", NULL,
			      NULL, NULL),
			 201);
	close_api(&f);
	open_api(&f, false);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "steward");
	cJSON_Delete(r);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rooms, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
