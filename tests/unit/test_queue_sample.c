/* Unit tests for queue_sample: each sample type, refusals naming the field,
 * unknown types skipped, and the writer reading back. */
#include "test_util.h"

#include "queue_sample.h"

#include <string.h>

static enum sample_parse parse(const char *line, struct queue_sample *s, struct feed_error *e)
{
	return queue_sample_parse(line, strlen(line), s, e);
}

static void test_types(void **state)
{
	(void)state;
	struct queue_sample s;
	struct feed_error e;
	assert_int_equal(
		parse("{\"type\":\"queue\",\"queue\":\"meridien-lunch\",\"name\":\"Le M\xC3\xA9ridien"
		      "\",\"venue\":\"Le M\xC3\xA9ridien\",\"stations\":4,\"service_s\":30}",
		      &s, &e),
		SAMPLE_OK);
	assert_int_equal(s.type, SAMPLE_QUEUE);
	assert_int_equal(s.stations, 4);
	assert_true(s.service_s == 30.0);
	assert_string_equal(s.name, "Le M\xC3\xA9ridien");
	assert_int_equal(
		parse("{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"door-a\",\"role\":\"entry\","
		      "\"t\":\"2014-11-06T12:00:15+01:00\",\"total\":57,\"extra\":true}",
		      &s, &e),
		SAMPLE_OK);
	assert_int_equal(s.type, SAMPLE_COUNT);
	assert_int_equal(s.role, ROLE_ENTRY);
	assert_int_equal(s.total, 57);
	assert_int_equal(s.t_ms, 1415271615000LL);
	assert_int_equal(
		parse("{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"out\",\"role\":\"exit\","
		      "\"t\":\"2014-11-06T11:00:15.25Z\",\"total\":0}",
		      &s, &e),
		SAMPLE_OK);
	assert_int_equal(s.role, ROLE_EXIT);
	assert_int_equal(s.t_ms, 1415271615250LL);
	assert_int_equal(parse("{\"type\":\"occupancy\",\"queue\":\"q\",\"sensor\":\"zone\","
			       "\"t\":\"2014-11-06T11:00:00Z\",\"people\":23}",
			       &s, &e),
			 SAMPLE_OK);
	assert_int_equal(s.people, 23);
	assert_int_equal(
		parse("{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:00:00Z\","
		      "\"open\":3}",
		      &s, &e),
		SAMPLE_OK);
	assert_int_equal(s.stations, 3);
	/* a session room's count (contracts §1): no queue, the room as named */
	assert_int_equal(parse("{\"type\":\"room\",\"room\":\"Salle 252B\",\"sensor\":\"cam-252b\","
			       "\"t\":\"2014-11-06T11:00:00Z\",\"people\":212,\"capacity\":250}",
			       &s, &e),
			 SAMPLE_OK);
	assert_int_equal(s.type, SAMPLE_ROOM);
	assert_string_equal(s.room, "Salle 252B");
	assert_string_equal(s.queue, "");
	assert_int_equal(s.people, 212);
	assert_int_equal(s.capacity, 250);
	assert_int_equal(parse("{\"type\":\"room\",\"room\":\"Amphith\xC3\xA9\xC3\xA2tre Bleu\","
			       "\"sensor\":\"zone\",\"t\":\"2014-11-06T11:00:00Z\",\"people\":0}",
			       &s, &e),
			 SAMPLE_OK);
	assert_int_equal(s.capacity, 0);
	assert_int_equal(parse("{\"type\":\"weather\",\"queue\":\"q\"}", &s, &e), SAMPLE_SKIP);
	assert_non_null(strstr(e.msg, "weather"));
}

static void test_line_refusals(void **state)
{
	(void)state;
	static const struct {
		const char *line, *field;
	} cases[] = {
		{"not json", "JSON object"},
		{"{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:00:00Z\",\"open\":3} {\"x\":1}",
		 "one sample per line"},
		{"{\"queue\":\"q\"}", "type"},
		{"{\"type\":\"count\",\"sensor\":\"a\"}", "queue"},
		{"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\",\"role\":\"entry\",\"t\":\"2014-11-06T11:00:00\","
		 "\"total\":1}",
		 "t:"},
		{"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\",\"role\":\"entry\",\"t\":\"2014-11-06T11:00:00Z\","
		 "\"total\":-4}",
		 "total"},
		{"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\",\"role\":\"entry\",\"t\":\"2014-11-06T11:00:00Z\","
		 "\"total\":1.5}",
		 "total"},
		{"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\",\"role\":\"in\",\"t\":\"2014-11-06T11:00:00Z\","
		 "\"total\":1}",
		 "role"},
		{"{\"type\":\"queue\",\"queue\":\"q\",\"stations\":2,\"service_s\":0}",
		 "service_s"},
		{"{\"type\":\"queue\",\"queue\":\"q\",\"stations\":-1,\"service_s\":30}",
		 "stations"},
		{"{\"type\":\"occupancy\",\"queue\":\"q\",\"sensor\":\"z\",\"t\":\"2014-11-06T11:00:00Z\"}",
		 "people"},
		{"{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:00:00Z\",\"open\":\"3\"}",
		 "open"},
		/* ids reach logs and metric labels: no control characters, UTF-8 only */
		{"{\"type\":\"queue\",\"queue\":\"q\\nvenueboard_fake 1\",\"stations\":1,\"service_s\":30}",
		 "queue: not UTF-8 text"},
		{"{\"type\":\"queue\",\"queue\":\"q\\u0085\",\"stations\":1,\"service_s\":30}",
		 "queue: not UTF-8 text"},
		{"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\\tb\",\"role\":\"entry\","
		 "\"t\":\"2014-11-06T11:00:00Z\",\"total\":1}",
		 "sensor: not UTF-8"},
		{"{\"type\":\"queue\",\"queue\":\"q\xff\",\"stations\":1,\"service_s\":30}",
		 "queue: not UTF-8"},
		{"{\"type\":\"queue\",\"queue\":\"q\",\"name\":\"Lunch\\r\\nINFO\",\"stations\":1,"
		 "\"service_s\":30}",
		 "name: not UTF-8"},
		/* cJSON would end the string at the NUL: "meridien\u0000x" is not "meridien" */
		{"{\"type\":\"queue\",\"queue\":\"meridien\\u0000x\",\"stations\":1,\"service_s\":30}",
		 "NUL"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct queue_sample s;
		struct feed_error e = {{0}};
		if (parse(cases[i].line, &s, &e) != SAMPLE_INVALID ||
		    !strstr(e.msg, cases[i].field))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].field);
	}
	char longline[QUEUE_LINE_MAX + 10];
	memset(longline, ' ', sizeof(longline));
	struct queue_sample s;
	struct feed_error e;
	assert_int_equal(queue_sample_parse(longline, sizeof(longline), &s, &e), SAMPLE_INVALID);
}

static void test_format_reads_back(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{\"type\":\"queue\",\"queue\":\"q\\\"1\",\"name\":\"A \\\\ B\",\"venue\":\"V\",\"stations\":4,"
		"\"service_s\":27.5}",
		"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"door-b\",\"role\":\"exit\","
		"\"t\":\"2014-11-06T11:00:15.250Z\",\"total\":1234567}",
		"{\"type\":\"occupancy\",\"queue\":\"q\",\"sensor\":\"z\",\"t\":\"2014-11-06T11:00:00Z\",\"people\":9}",
		"{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:00:00Z\",\"open\":0}",
		"{\"type\":\"room\",\"room\":\"Salle 252B\",\"sensor\":\"cam\",\"t\":\"2014-11-06T11:00:00Z\","
		"\"people\":212,\"capacity\":250}",
		"{\"type\":\"room\",\"room\":\"Salle 241\",\"sensor\":\"cam\",\"t\":\"2014-11-06T11:00:00Z\","
		"\"people\":0}",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		struct queue_sample a, b;
		struct feed_error e;
		char buf[QUEUE_LINE_MAX];
		assert_int_equal(parse(lines[i], &a, &e), SAMPLE_OK);
		size_t n = queue_sample_format(&a, buf, sizeof(buf));
		assert_true(n > 0);
		assert_string_equal(buf, lines[i]);
		assert_int_equal(queue_sample_parse(buf, n, &b, &e), SAMPLE_OK);
		assert_memory_equal(&a, &b, sizeof(a));
	}
	struct queue_sample a;
	struct feed_error e;
	char tiny[16];
	assert_int_equal(parse(lines[1], &a, &e), SAMPLE_OK);
	assert_int_equal(queue_sample_format(&a, tiny, sizeof(tiny)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_line_refusals),
		cmocka_unit_test(test_format_reads_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
