/* Unit tests for feed: format detection from content, and the dispatcher's
 * refusals (empty, unknown, oversized). */
#include "test_util.h"

#include "feed.h"
#include "normalized_json.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_detect(void **state)
{
	(void)state;
	static const struct { const char *head; enum feed_format f; } cases[] = {
		{"{\"schedule\":{\"conference\":{}}}", FEED_FRAB_JSON},
		{"\xEF\xBB\xBF{\n  \"$schema\": \"x\",\n  \"schedule\": {}}", FEED_FRAB_JSON},
		{"<?xml version=\"1.0\"?><schedule/>", FEED_PENTABARF_XML},
		{"\n  <schedule></schedule>", FEED_PENTABARF_XML},
		{"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", FEED_ICALENDAR},
		{"\xEF\xBB\xBF{\"sessions\":[{\"id\":\"1\",\"startsAt\":null}]}", FEED_SESSIONIZE},
		{"{\"format\":\"venueboard.schedule/1\",\"sessions\":[]}", FEED_NORMALIZED},
		{"{\"something\":\"else\"}", FEED_UNKNOWN},
		{"plain text", FEED_UNKNOWN},
		{"", FEED_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		enum feed_format f = feed_detect(cases[i].head, strlen(cases[i].head));
		if (f != cases[i].f)
			fail_msg("case %zu: detected %s, want %s", i, feed_format_name(f),
				 feed_format_name(cases[i].f));
	}
	assert_string_equal(feed_format_name(FEED_FRAB_JSON), "frab-json");
}

static void test_dispatch_refusals(void **state)
{
	(void)state;
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(feed_parse("", 0, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "empty"));
	assert_false(feed_parse("hello", 5, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "not a schedule format"));
	/* the size cap is checked before anything is read */
	assert_false(feed_parse("{}", (size_t)SCHEDULE_MAX_FEED_BYTES + 1, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "limit"));
	assert_null(s);
}

/* Inputs the fuzzers once crashed on (tests/data/fuzz_regressions): each must
 * now fail with a message, or parse and read back from the normalized JSON. */
static void test_fuzz_regressions(void **state)
{
	(void)state;
	static const char *const files[] = {"ical-year-968.ics", "ical-unterminated-end.ics",
						   "ical-id-grows.ics"};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char rel[128];
		size_t len;
		snprintf(rel, sizeof(rel), "fuzz_regressions/%s", files[i]);
		char *text = test_fixture(rel, &len);
		/* an exact-size copy with no NUL after it, as the fuzzer passes it */
		char *exact = malloc(len);
		memcpy(exact, text, len);
		struct feed_options opt = {.timezone = "America/New_York"};
		struct schedule *s = NULL;
		struct feed_error e = {{0}};
		if (feed_parse(exact, len, &opt, &s, &e)) {
			char *out = normalized_json_write(s);
			struct schedule *back = test_parse(out, NULL);
			assert_int_equal(back->n_sessions, s->n_sessions);
			schedule_destroy(back);
			free(out);
		} else {
			assert_true(e.msg[0] != '\0');
		}
		schedule_destroy(s);
		free(exact);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_dispatch_refusals),
		cmocka_unit_test(test_fuzz_regressions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
