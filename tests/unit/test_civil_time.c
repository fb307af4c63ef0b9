/* Unit tests for civil_time: date shapes, durations, zones across DST. */
#include "test_util.h"

#include "civil_time.h"
#include "feed_error.h"

#include <string.h>

/* Parses s and converts it (zone may be NULL); returns the UTC text. */
static const char *utc_of(const char *s, const char *zone, char buf[static 21])
{
	struct civil c;
	int64_t t;
	struct feed_error e = {{0}};
	if (!civil_parse(s, strlen(s), &c))
		return "unparsed";
	if (!civil_to_utc(&c, zone, &t, &e))
		return "unconverted";
	civil_format_utc(t, buf);
	return buf;
}

static void test_parse_and_convert(void **state)
{
	(void)state;
	static const struct {
		const char *in, *zone, *utc;
	} cases[] = {
		{"2014-11-04T09:50:00+01:00", NULL, "2014-11-04T08:50:00Z"},
		{"2014-11-04T09:50:00.250+01:00", NULL, "2014-11-04T08:50:00Z"},
		{"2014-11-04T08:50:00Z", NULL, "2014-11-04T08:50:00Z"},
		{"2014-11-04 09:50:00+0100", NULL, "2014-11-04T08:50:00Z"},
		{"2014-11-04T09:50", "Europe/Paris", "2014-11-04T08:50:00Z"},
		{"2014-07-04T09:50", "Europe/Paris", "2014-07-04T07:50:00Z"},
		{"20220517T110000", "Europe/Paris", "2022-05-17T09:00:00Z"},
		{"20220517T090000Z", NULL, "2022-05-17T09:00:00Z"},
		{"2020-03-28T09:00:00", "America/New_York", "2020-03-28T13:00:00Z"},
		{"2020-03-07T09:00:00", "America/New_York", "2020-03-07T14:00:00Z"},
		/* Europe/Paris leaves summer time on 2014-10-26 at 03:00 CEST. */
		{"2014-10-26T01:30:00", "Europe/Paris", "2014-10-25T23:30:00Z"},
		{"2014-10-26T03:30:00", "Europe/Paris", "2014-10-26T02:30:00Z"},
		/* Europe/Brussels enters summer time on 2026-03-29 at 02:00 CET. */
		{"2026-03-29T01:30:00", "Europe/Brussels", "2026-03-29T00:30:00Z"},
		{"2026-03-29T03:30:00", "Europe/Brussels", "2026-03-29T01:30:00Z"},
		{"2014-11-04T09:50:00-05:00", "Europe/Paris", "2014-11-04T14:50:00Z"},
		{"2016-02-29T12:00:00Z", NULL, "2016-02-29T12:00:00Z"},
		/* shapes that must not parse */
		{"2014-11-31T09:00:00Z", NULL, "unparsed"},
		{"2015-02-29", NULL, "unparsed"},
		{"2014-11-04T25:00:00Z", NULL, "unparsed"},
		{"2014-11-04T09:50:00+01:00 trailing", NULL, "unparsed"},
		{"04/11/2014 09:50", NULL, "unparsed"},
		{"2014-11-04T9:50", NULL, "unparsed"},
		{"", NULL, "unparsed"},
		/* readable but not convertible without a zone */
		{"2014-11-04T09:50:00", NULL, "unconverted"},
		{"2014-11-04T09:50:00", "Mars/Olympus_Mons", "unconverted"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char buf[21];
		const char *got = utc_of(cases[i].in, cases[i].zone, buf);
		if (strcmp(got, cases[i].utc) != 0)
			fail_msg("'%s' in %s: got %s, want %s", cases[i].in,
				 cases[i].zone ? cases[i].zone : "-", got, cases[i].utc);
	}
}

static void test_error_messages(void **state)
{
	(void)state;
	struct civil c;
	int64_t t;
	struct feed_error e = {{0}};
	assert_true(civil_parse("2020-03-28T09:00:00", 19, &c));
	assert_false(civil_to_utc(&c, NULL, &t, &e));
	assert_non_null(strstr(e.msg, "--timezone"));
	assert_false(civil_to_utc(&c, "Nowhere/Town", &t, &e));
	assert_non_null(strstr(e.msg, "Nowhere/Town"));
	assert_true(civil_zone_known("Europe/Paris"));
	assert_true(civil_zone_known("UTC"));
	assert_false(civil_zone_known("Europe/Pariss"));
	assert_false(civil_zone_known(NULL));
}

static void test_durations(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int64_t s;
		bool ok;
	} cases[] = {
		{"00:30", 1800, true},    {"0:45", 2700, true},     {"1:30", 5400, true},
		{"01:30:00", 5400, true}, {"00:20:30", 1230, true}, {"1:02:30", 95400, true},
		{"26:00", 93600, true},   {"PT1H30M", 5400, true},  {"P1DT2H", 93600, true},
		{"PT45S", 45, true},      {"00:60", 0, false},      {"1:25:00", 0, false},
		{"abc", 0, false},        {"10", 0, false},         {"", 0, false},
		{"1:", 0, false},         {":30", 0, false},        {"00:30:", 0, false},
		{"PT", 0, false},         {"P1H", 0, false},        {"1:2:3:4", 0, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int64_t got = -1;
		bool ok = civil_parse_duration(cases[i].in, strlen(cases[i].in), &got);
		if (ok != cases[i].ok || (ok && got != cases[i].s))
			fail_msg("duration '%s': ok=%d got %lld", cases[i].in, ok, (long long)got);
	}
}

static void test_clock(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int s;
		bool ok;
	} cases[] = {
		{"09:00", 32400, true}, {"9:05", 32700, true}, {"23:59:59", 86399, true},
		{"00:00", 0, true},     {"24:00", 0, false},   {"09:60", 0, false},
		{"0900", 0, false},     {"09:00:", 0, false},  {"", 0, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = -1;
		bool ok = civil_parse_clock(cases[i].in, strlen(cases[i].in), &got);
		assert_int_equal(ok, cases[i].ok);
		if (ok)
			assert_int_equal(got, cases[i].s);
	}
}

static void test_add_days_and_format(void **state)
{
	(void)state;
	struct civil c = {.year = 2014, .month = 12, .day = 31};
	civil_add_days(&c, 1);
	assert_int_equal(c.year, 2015);
	assert_int_equal(c.month, 1);
	assert_int_equal(c.day, 1);
	c = (struct civil){.year = 2016, .month = 2, .day = 28};
	civil_add_days(&c, 1);
	assert_int_equal(c.day, 29);
	civil_add_days(&c, -60);
	assert_int_equal(c.year, 2015);
	assert_int_equal(c.month, 12);
	assert_int_equal(c.day, 31);
	char buf[21];
	civil_format_utc(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	civil_format_utc(1415088600, buf);
	assert_string_equal(buf, "2014-11-04T08:10:00Z");
	civil_format_utc(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(civil_days_from_date(2014, 11, 4), 16378);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_convert),   cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_durations),           cmocka_unit_test(test_clock),
		cmocka_unit_test(test_add_days_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
