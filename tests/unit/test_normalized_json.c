/* Unit tests for normalized_json: the contract's shape, a lossless round
 * trip, and refusals that name the field. */
#include "test_util.h"

#include "normalized_json.h"
#include "schedule.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void test_shape_matches_contract(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("frab_json/quirks.json", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	char *text = normalized_json_write(s);
	assert_non_null(text);
	cJSON *root = cJSON_Parse(text);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "format")->valuestring,
			    "venueboard.schedule/1");
	cJSON *conf = cJSON_GetObjectItem(root, "conference");
	assert_string_equal(cJSON_GetObjectItem(conf, "title")->valuestring, "Quirks Summit");
	assert_string_equal(cJSON_GetObjectItem(conf, "timezone")->valuestring, "Europe/Paris");
	cJSON *rooms = cJSON_GetObjectItem(root, "rooms");
	assert_int_equal(cJSON_GetArraySize(rooms), 2);
	cJSON *sessions = cJSON_GetObjectItem(root, "sessions");
	assert_int_equal(cJSON_GetArraySize(sessions), 9);
	const char *required[] = {"id",  "title", "room",     "start",
				  "end", "track", "speakers", "status"};
	cJSON *x;
	cJSON_ArrayForEach(x, sessions) {
		for (size_t i = 0; i < sizeof(required) / sizeof(*required); i++)
			assert_non_null(cJSON_GetObjectItem(x, required[i]));
		const char *start = cJSON_GetObjectItem(x, "start")->valuestring;
		assert_int_equal(strlen(start), 20); /* whole seconds, Z */
		assert_int_equal(start[19], 'Z');
		assert_true(cJSON_IsArray(cJSON_GetObjectItem(x, "speakers")));
	}
	cJSON *first = cJSON_GetArrayItem(sessions, 0);
	assert_string_equal(cJSON_GetObjectItem(first, "start")->valuestring,
			    "2014-10-25T21:30:00Z");
	assert_string_equal(cJSON_GetObjectItem(first, "status")->valuestring, "scheduled");
	cJSON *cancelled = cJSON_GetArrayItem(sessions, 6);
	assert_string_equal(cJSON_GetObjectItem(cancelled, "id")->valuestring, "107");
	assert_string_equal(cJSON_GetObjectItem(cancelled, "status")->valuestring, "cancelled");
	cJSON_Delete(root);
	free(text);
	schedule_destroy(s);
}

static void test_round_trip(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("frab_json/quirks.json", &len);
	struct schedule *a = test_parse(buf, NULL);
	free(buf);
	char *t1 = normalized_json_write(a);
	struct schedule *b = test_parse(t1, NULL);
	assert_string_equal(b->format, "venueboard");
	char *t2 = normalized_json_write(b);
	/* only the source format differs */
	char *p1 = strstr(t1, "\"rooms\""), *p2 = strstr(t2, "\"rooms\"");
	assert_non_null(p1);
	assert_non_null(p2);
	assert_string_equal(p1, p2);
	assert_non_null(strstr(t2, "\"capacity\":\t80")); /* seats survive the round trip */
	assert_int_equal(b->rooms[0].capacity, 80);
	assert_int_equal(a->n_sessions, b->n_sessions);
	for (size_t i = 0; i < a->n_sessions; i++) {
		assert_string_equal(a->sessions[i].id, b->sessions[i].id);
		assert_int_equal(a->sessions[i].start, b->sessions[i].start);
		assert_int_equal(a->sessions[i].n_speakers, b->sessions[i].n_speakers);
	}
	free(t1);
	free(t2);
	schedule_destroy(a);
	schedule_destroy(b);
}

static void test_reader_refusals(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{"{\"format\":\"venueboard.schedule/2\",\"sessions\":[]}", "format", NULL, NULL},
		{"{\"format\":\"venueboard.schedule/1\"}", "sessions", NULL, NULL},
		{"{\"format\":\"venueboard.schedule/1\",\"rooms\":[],\"sessions\":[{\"id\":\"1\","
		 "\"title\":\"x\",\"start\":\"2014-11-04T09:00:00\",\"end\":\"2014-11-04T10:00:00Z\"}]}",
		 "sessions[0].start", NULL, NULL},
		{"{\"format\":\"venueboard.schedule/1\",\"rooms\":[],\"sessions\":[{\"id\":\"1\","
		 "\"title\":\"x\",\"start\":\"2014-11-04T09:00:00Z\",\"end\":\"2014-11-04T10:00:00Z\","
		 "\"room\":\"ghost\"}]}",
		 "sessions[0].room", NULL, NULL},
		{"{\"format\":\"venueboard.schedule/1\",\"rooms\":[],\"sessions\":[{\"id\":\"1\","
		 "\"title\":\"x\",\"start\":\"2014-11-04T09:00:00Z\",\"end\":\"2014-11-04T10:00:00Z\","
		 "\"status\":\"postponed\"}]}",
		 "sessions[0].status", NULL, NULL},
		{"{\"format\":\"venueboard.schedule/1\",\"rooms\":[],\"sessions\":[{\"title\":\"x\"}]}",
		 "sessions[0].id", NULL, NULL},
	};
	test_refusals(normalized_json_parse, cases, sizeof(cases) / sizeof(*cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shape_matches_contract),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_reader_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
