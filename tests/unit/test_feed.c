/* Unit tests for feed: format detection from content, the dispatcher's
 * refusals (empty, unknown, oversized), nesting past the parsers' caps. */
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
	static const struct {
		const char *head;
		enum feed_format f;
	} cases[] = {
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

/* Past the parsers' nesting caps (cJSON's 1000 levels, libxml2's 256) every
 * reader says the file is nested too deeply, with the limit, rather than a
 * syntax error or libxml2's advice; a syntax error below the cap is still
 * one. */
static void test_nesting_too_deep(void **state)
{
	(void)state;
	static const struct {
		const char *head, *open, *close, *tail;
		size_t depth;
		const char *want1, *want2;
	} cases[] = {
		{"{\"schedule\":", "[", "]", "}", 1200, "line 1, column 1012: nested too deeply",
		 "more than 1000 levels"},
		{"\xEF\xBB\xBF{\"sessions\":\n", "[", "]", "}", 1200, "line 2, column 1000",
		 "more than 1000 levels"},
		{"{\"format\":\"venueboard.schedule/1\",\"sessions\":", "{\"a\": ", "}", "}", 1200,
		 "nested too deeply", "more than 1000 levels"},
		{"{\"schedule\":", "[", "]", "}", 5000, "nested too deeply",
		 "more than 1000 levels"},
		{"{\"schedule\":", "[\"[{\\\"]\",", "]", "}", 1200, "nested too deeply",
		 "more than 1000 levels"},
		{"{\"schedule\":", "[", "]x", "}", 50, "not valid JSON here", NULL},
		{"<schedule>\n", "<day>", "</day>", "</schedule>", 300, "line 2: nested too deeply",
		 "more than 256 levels"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct test_buf b = {0};
		test_buf_puts(&b, cases[i].head);
		for (size_t d = 0; d < cases[i].depth; d++)
			test_buf_puts(&b, cases[i].open);
		for (size_t d = 0; d < cases[i].depth; d++)
			test_buf_puts(&b, cases[i].close);
		test_buf_puts(&b, cases[i].tail);
		struct schedule *s = NULL;
		struct feed_error e = {{0}};
		if (feed_parse(b.p, b.len, NULL, &s, &e))
			fail_msg("case %zu: read", i);
		if (!strstr(e.msg, cases[i].want1) ||
		    (cases[i].want2 && !strstr(e.msg, cases[i].want2)) || strstr(e.msg, "HUGE"))
			fail_msg("case %zu: %s", i, e.msg);
		assert_null(s);
		free(b.p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_dispatch_refusals),
		cmocka_unit_test(test_fuzz_regressions),
		cmocka_unit_test(test_nesting_too_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
