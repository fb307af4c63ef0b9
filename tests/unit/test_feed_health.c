/* Unit tests for feed_health: which failures are "the same", when a streak
 * is said again (1, 2, 4 … minutes, at most hourly), what its end says, how
 * many lines a day of failing polls makes, and a source that changes its
 * failure every time (issue 19: a hostile stream's junk) kept to a few
 * lines a minute. */
#include "test_util.h"

#include "feed_health.h"

#include <stdio.h>
#include <string.h>

static void test_key(void **state)
{
	(void)state;
	/* pairs that are one failure, and pairs that are two */
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
		{"line 12, column 4: expected ',' or '}'",
		 "line 880, column 17: expected ':' or '}'", true},
		{"the body is larger than the 8388608-byte cap",
		 "the body is larger than the 17-byte cap", true},
		{"line 1: the root element is <html>, not <schedule>",
		 "line 1: the root element is <html>, not <schedule>", true},
		{"schedule.conference.days: missing or not a list",
		 "schedule.conference.days: missing or not a list", true},
		{"format: expected \"venueboard.schedule/1\"",
		 "format: expected \"venueboard.schedule/2\"", true},
		{"unexpected character `x` at byte 3", "unexpected character `\x01` at byte 4000",
		 true},
		/* the kind differs: two failures */
		{"schedule.conference.days: missing or not a list",
		 "not a schedule format venueboard reads (frab/pretalx schedule.json)", false},
		{"line 1: the root element is <html>, not <schedule>",
		 "line 1: the root element is <feed>, not <schedule>", false},
		{"HTTP 503", "Could not connect to server", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char ka[FEED_HEALTH_KEY_MAX], kb[FEED_HEALTH_KEY_MAX];
		feed_health_key(cases[i].a, ka, sizeof(ka));
		feed_health_key(cases[i].b, kb, sizeof(kb));
		if ((strcmp(ka, kb) == 0) != cases[i].same)
			fail_msg("case %zu: '%s' vs '%s' (keys '%s', '%s')", i, cases[i].a,
				 cases[i].b, ka, kb);
	}
	char k[FEED_HEALTH_KEY_MAX];
	feed_health_key("line 12, column 4: expected ',' or '}'", k, sizeof(k));
	assert_string_equal(k, "line , column : expected or");
	/* the first eight words only: what follows is detail */
	feed_health_key("one two three four five six seven eight nine ten", k, sizeof(k));
	assert_string_equal(k, "one two three four five six seven eight");
	/* an unclosed quote drops the rest; a tiny buffer stays a string */
	feed_health_key("expected 'x", k, sizeof(k));
	assert_string_equal(k, "expected");
	char tiny[5];
	feed_health_key("abcdefgh ijk", tiny, sizeof(tiny));
	assert_string_equal(tiny, "abcd");
	feed_health_key(NULL, k, sizeof(k));
	assert_string_equal(k, "");
}

static void test_streak(void **state)
{
	(void)state;
	struct feed_health h;
	feed_health_init(&h);
	assert_int_equal(feed_health_ok(&h, 0).say, FEED_HEALTH_QUIET);
	const int64_t t0 = 1000000;
	struct feed_health_line l = feed_health_failed(&h, "line 3, column 1: junk", t0);
	assert_int_equal(l.say, FEED_HEALTH_FIRST);
	assert_int_equal(l.count, 0);
	assert_true(l.since_ms == t0);
	/* polls every 30 s: quiet for the first minute, then a summary */
	l = feed_health_failed(&h, "line 9, column 7: junk", t0 + 30000);
	assert_int_equal(l.say, FEED_HEALTH_QUIET);
	l = feed_health_failed(&h, "line 4, column 2: junk", t0 + 60000);
	assert_int_equal(l.say, FEED_HEALTH_SUMMARY);
	assert_int_equal(l.count, 2);
	assert_true(l.span_ms == 60000);
	/* the next after two minutes more */
	l = feed_health_failed(&h, "line 4, column 2: junk", t0 + 120000);
	assert_int_equal(l.say, FEED_HEALTH_QUIET);
	l = feed_health_failed(&h, "line 4, column 2: junk", t0 + 150000);
	assert_int_equal(l.say, FEED_HEALTH_QUIET);
	l = feed_health_failed(&h, "line 4, column 2: junk", t0 + 180000);
	assert_int_equal(l.say, FEED_HEALTH_SUMMARY);
	assert_int_equal(l.count, 3);
	assert_true(l.span_ms == 120000);
	assert_int_equal(feed_health_failed(&h, "line 5, column 2: junk", t0 + 195000).say,
			 FEED_HEALTH_QUIET);
	/* another kind: said in full at once, the last repeats of the old one with it */
	l = feed_health_failed(&h, "HTTP 404", t0 + 210000);
	assert_int_equal(l.say, FEED_HEALTH_FIRST);
	assert_int_equal(l.count, 1);
	assert_true(l.since_ms == t0); /* one streak: the feed has not read since t0 */
	/* it reads again: how many failed polls since when */
	l = feed_health_ok(&h, t0 + 240000);
	assert_int_equal(l.say, FEED_HEALTH_RECOVERED);
	assert_int_equal(l.count, 8);
	assert_true(l.since_ms == t0);
	assert_true(l.span_ms == 240000);
	assert_int_equal(feed_health_ok(&h, t0 + 270000).say, FEED_HEALTH_QUIET);
	/* a new streak starts over at a minute */
	assert_int_equal(feed_health_failed(&h, "HTTP 404", t0 + 300000).say, FEED_HEALTH_FIRST);
	assert_int_equal(feed_health_failed(&h, "HTTP 404", t0 + 360000).say, FEED_HEALTH_SUMMARY);
}

/* A day of a body that differs at every 30-s poll: a handful of lines. */
static void test_day_of_failures(void **state)
{
	(void)state;
	struct feed_health h;
	feed_health_init(&h);
	int lines = 0, polls = 0;
	int64_t gaps[64];
	int n_gaps = 0;
	int64_t last = 0;
	for (int64_t t = 0; t < 86400000; t += 30000, polls++) {
		char msg[80];
		snprintf(msg, sizeof(msg), "line %d, column %d: expected ',' but found '%c'",
			 (int)(t / 30000) % 977, (int)(t / 7000) % 81, (char)('a' + polls % 26));
		struct feed_health_line l = feed_health_failed(&h, msg, t);
		if (l.say != FEED_HEALTH_QUIET) {
			lines++;
			if (l.say == FEED_HEALTH_SUMMARY && n_gaps < 64)
				gaps[n_gaps++] = t - last;
			last = t;
		}
	}
	struct feed_health_line end = feed_health_ok(&h, 86400000);
	assert_int_equal(end.say, FEED_HEALTH_RECOVERED);
	assert_int_equal(end.count, polls);
	lines++;
	printf("a day of 30-s polls failing: %d polls, %d log lines (before: %d)\n", polls, lines,
	       polls);
	assert_int_equal(polls, 2880);
	/* 1+2+4+8+16+32 min, then every 60 min: 6 + 22 summaries, the first and the end */
	assert_true(lines >= 28 && lines <= 32);
	assert_true(gaps[0] == 60000 && gaps[1] == 120000 && gaps[5] == 1920000);
	for (int i = 6; i < n_gaps; i++)
		assert_true(gaps[i] == 3600000);
}

static void test_kinds_every_time(void **state)
{
	(void)state;
	struct feed_health h;
	feed_health_init(&h);
	/* a failure of another kind 10 times a second for 10 minutes */
	static const char *const kinds[] = {"HTTP 404", "not valid JSON here", "HTTP 500",
					    "expected an object", "line too long"};
	int full = 0, summaries = 0, mixed = 0, per_minute[10] = {0};
	unsigned counted = 0;
	int64_t t = 0;
	for (int i = 0; i < 6000; i++, t += 100) {
		struct feed_health_line l = feed_health_failed(&h, kinds[i % 5], t);
		if (l.say == FEED_HEALTH_FIRST) {
			full++;
			per_minute[t / 60000]++;
			counted += l.count;
			mixed += l.mixed; /* the last minute's repeats, of several kinds */
		} else if (l.say == FEED_HEALTH_SUMMARY) {
			summaries++;
			mixed += l.mixed;
			counted += l.count;
		}
	}
	for (int m = 0; m < 10; m++)
		assert_true(per_minute[m] <= FEED_HEALTH_KINDS_MAX);
	assert_true(full + summaries <= 10 * FEED_HEALTH_KINDS_MAX + 5);
	assert_true(mixed >= 1);
	/* every failure is said in full or counted in a later line, except the
	 * last minute's, still waiting for their summary */
	assert_true(full + counted <= 6000 && full + counted >= 6000 - 600);
	struct feed_health_line end = feed_health_ok(&h, t);
	assert_int_equal(end.say, FEED_HEALTH_RECOVERED);
	assert_int_equal(end.count, 6000); /* every failure counted in the streak */
	/* a summary of several kinds says so; one of the same kind does not */
	feed_health_init(&h);
	feed_health_failed(&h, "HTTP 404", 0);
	for (int i = 1; i < FEED_HEALTH_KINDS_MAX; i++)
		assert_int_equal(feed_health_failed(&h, kinds[i], i).say, FEED_HEALTH_FIRST);
	/* a fourth kind in the minute, and the first again: counted, not said */
	assert_int_equal(feed_health_failed(&h, kinds[3], 5).say, FEED_HEALTH_QUIET);
	assert_int_equal(feed_health_failed(&h, "HTTP 404", 10).say, FEED_HEALTH_QUIET);
	struct feed_health_line l = feed_health_failed(&h, "line too long", 60010);
	assert_int_equal(l.say, FEED_HEALTH_FIRST); /* a new minute: said in full again */
	assert_true(l.mixed && l.count == 2);
	l = feed_health_failed(&h, "line too long", 120010);
	assert_int_equal(l.say, FEED_HEALTH_SUMMARY);
	assert_false(l.mixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_streak),
		cmocka_unit_test(test_day_of_failures),
		cmocka_unit_test(test_kinds_every_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
