/* Unit tests for api_alerts.c: alerts and notices for zones and screens,
 * each screen's proof, withdrawals. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Alerts: posted for a zone, refused for an unknown one, listed with each
 * targeted screen's proof (null until its heartbeat says it shows it),
 * handed to its screens by heartbeat answers and by the stream, withdrawn
 * by an undo; the proofs survive a restart. Notices go to zones and have
 * a start and an end. */
static void test_alerts_and_zones(void **state)
{
	(void)state;
	static struct server_config cfg;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n"
				   "sensor door sensor-token-0123456789ab\n"
				   "zone level-2 palais-l2-east\n"
				   "zone meridien hall-b\n"
				   "screen palais-l2-east screen-token-palais-l2-east\n"
				   "screen hall-b screen-token-hall-b-01234567\n";
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), &cfg, &e))
		fail_msg("%s", e.msg);
	size_t len;
	char *feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct test_log lc = {{0}, 0};
	struct api_log log = {test_log_line, &lc};
	struct store *store = store_open(db_path, &e);
	struct api *api = api_create(&cfg, store, feed, len, NOW, &log, &e);
	assert_non_null(api);
	/* refusals */
	assert_int_equal(
		call(api, "POST", "/v1/alerts", org, "{\"zones\":[\"level-2\"]}", NULL, NULL, NULL),
		400);
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"x\",\"zones\":[\"level-9\"]}", NULL, NULL, NULL),
			 422);
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"x\",\"screens\":[\"no/such\"]}", NULL, NULL, NULL),
			 400);
	assert_int_equal(
		call(api, "POST", "/v1/alerts", sensor, "{\"text\":\"x\"}", NULL, NULL, NULL), 401);
	assert_int_equal(call(api, "POST", "/v1/changes", org,
			      "{\"kind\":\"alert\",\"text\":\"x\"}", NULL, NULL, NULL),
			 400);
	uint64_t gen = api_stream_generation(api);
	cJSON *made;
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"Evacuate by the east stairs\",\"zones\":[\"level-2\"]}",
			      NULL, &made, NULL),
			 201);
	int id = cJSON_GetObjectItem(made, "id")->valueint;
	assert_int_equal(cJSON_GetObjectItem(made, "screens")->valueint, 1);
	cJSON_Delete(made);
	assert_true(api_stream_generation(api) != gen);
	/* the heartbeat's answer: palais has it, hall-b not */
	cJSON *a = heartbeat_answer_at(api, NOW, palais, "{\"version\":\"1.5\"}");
	assert_string_equal(cJSON_GetObjectItem(a, "screen")->valuestring, "palais-l2-east");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "zones"), 0)->valuestring,
			    "level-2");
	cJSON *al = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(al, "id")->valueint, id);
	assert_string_equal(cJSON_GetObjectItem(al, "text")->valuestring,
			    "Evacuate by the east stairs");
	cJSON_Delete(a);
	a = heartbeat_answer_at(api, NOW, hall, "{\"version\":\"1.5\"}");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "alerts")), 0);
	cJSON_Delete(a);
	/* the stream: a screen's token only; its first event holds the alert */
	struct api_response res;
	request_at(api, NOW, "GET", "/v1/stream", org, NULL, NULL, &res);
	assert_int_equal(res.status, 401);
	api_response_finish(&res);
	request_at(api, NOW, "GET", "/v1/stream", palais, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_true(res.stream);
	assert_string_equal(res.content_type, "text/event-stream");
	assert_string_equal(res.stream_screen, "palais-l2-east");
	assert_true(strncmp(res.body, "event: state\ndata: {", 20) == 0);
	assert_non_null(strstr(res.body, "Evacuate by the east stairs"));
	assert_true(res.body[res.body_len - 1] == '\n' && res.body[res.body_len - 2] == '\n');
	api_response_finish(&res);
	/* the list: one targeted, none has shown it yet; without a token the
	 * counts only, the organizer's token each screen */
	cJSON *list;
	char tag1[24], tag2[24];
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, tag1), 200);
	cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "targeted")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 0);
	assert_null(cJSON_GetObjectItem(x, "screens"));
	assert_int_equal(cJSON_GetObjectItem(list, "older")->valueint, 0);
	cJSON_Delete(list);
	assert_int_equal(call(api, "GET", "/v1/alerts", org, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "targeted")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 0);
	assert_true(cJSON_IsNull(
		cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"), "palais-l2-east")));
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"), "hall-b"));
	cJSON_Delete(list);
	/* palais shows it, 2.5 s after it was posted */
	char hb[128];
	snprintf(hb, sizeof(hb), "{\"version\":\"1.5\",\"alerts\":[%d]}", id);
	cJSON_Delete(heartbeat_answer_at(api, NOW + 2500, palais, hb));
	assert_int_equal(heartbeat_at(api, NOW, palais, "{\"alerts\":[\"x\"]}", NULL), 400);
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, tag2), 200);
	assert_string_not_equal(tag1, tag2); /* the tokenless view made again: a confirmation */
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	cJSON_Delete(list);
	assert_int_equal(call(api, "GET", "/v1/alerts", org, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"), "palais-l2-east")
				    ->valuestring,
			    "2014-11-06T09:00:02Z");
	cJSON_Delete(list);
	char says[96];
	snprintf(says, sizeof(says), "INFO: alert %d shown on palais-l2-east, 2.5 s after", id);
	assert_non_null(strstr(lc.text, says));
	/* a notice for the Méridien's screens, from 12:00 to 14:00 in Paris */
	assert_int_equal(
		call(api, "POST", "/v1/notices", org,
		     "{\"text\":\"Second buffet upstairs\",\"zones\":[\"meridien\"],"
		     "\"start\":\"2014-11-06T12:00:00+01:00\",\"end\":\"2014-11-06T14:00:00+01:00\"}",
		     NULL, NULL, NULL),
		201);
	assert_int_equal(call(api, "POST", "/v1/notices", org,
			      "{\"text\":\"x\",\"screens\":[\"lobby\"]}", NULL, NULL, NULL),
			 422);
	assert_int_equal(call(api, "POST", "/v1/notices", org,
			      "{\"text\":\"x\",\"start\":\"2014-11-06T12:00:00Z\","
			      "\"end\":\"2014-11-06T11:00:00Z\"}",
			      NULL, NULL, NULL),
			 400);
	cJSON *doc;
	assert_int_equal(call(api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *notice = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "notices"), 0);
	assert_string_equal(
		cJSON_GetArrayItem(cJSON_GetObjectItem(notice, "zones"), 0)->valuestring,
		"meridien");
	assert_string_equal(cJSON_GetObjectItem(notice, "start")->valuestring,
			    "2014-11-06T11:00:00Z");
	assert_string_equal(cJSON_GetObjectItem(notice, "end")->valuestring,
			    "2014-11-06T13:00:00Z");
	cJSON_Delete(doc);
	/* withdrawn: gone from the answers, listed as withdrawn */
	char path[64];
	snprintf(path, sizeof(path), "/v1/alerts/%d/withdraw", id);
	assert_int_equal(call(api, "POST", path, sensor, NULL, NULL, NULL, NULL), 401);
	assert_int_equal(call(api, "POST", path, org, NULL, NULL, NULL, NULL), 200);
	assert_int_equal(call(api, "POST", path, org, NULL, NULL, NULL, NULL), 409);
	assert_int_equal(call(api, "POST", "/v1/alerts/999/withdraw", org, NULL, NULL, NULL, NULL),
			 404);
	a = heartbeat_answer_at(api, NOW + 5000, palais, "{\"version\":\"1.5\"}");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "alerts")), 0);
	cJSON_Delete(a);
	api_destroy(api);
	store_close(store);
	/* after a restart: withdrawn, and palais's proof kept */
	store = store_open(db_path, &e);
	api = api_create(&cfg, store, NULL, 0, NOW, NULL, &e);
	assert_non_null(api);
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(x, "withdrawn")));
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	cJSON_Delete(list);
	api_destroy(api);
	store_close(store);
	free(feed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alerts_and_zones, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
