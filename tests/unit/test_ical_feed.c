/* Unit tests for ical_feed: TZID without VTIMEZONE across DST, folds inside
 * UTF-8 characters, CR CR LF, floating times, markers, refusals with lines,
 * the calendar's name and zone however they are typed. */
#include "test_util.h"

#include "ical_feed.h"
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

static void test_quirks(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("ical_feed/quirks.ics", &len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!ical_feed_parse(buf, len, NULL, &s, &e))
		fail_msg("%s", e.msg);
	free(buf);
	assert_string_equal(s->format, "icalendar");
	assert_string_equal(s->title, "Journ\xC3\xA9"
				      "es Test");
	assert_string_equal(s->timezone, "Europe/Paris"); /* the TZID every event uses */
	assert_int_equal(s->n_sessions, 4);               /* the all-day event is left off */
	assert_int_equal(s->n_rooms, 1);                  /* accents aside, one room */
	static const struct {
		const char *id, *start, *end, *title;
		bool cancelled;
	} want[] = {
		{"ev-1@test", "2022-05-17T09:00:00Z", "2022-05-17T10:30:00Z",
		 "Num\xC3\xA9rique et g\xC3\xA9opolitique", false},
		/* Europe/Paris goes back on 30 October 2022 at 03:00 CEST */
		{"ev-2@test", "2022-10-29T23:30:00Z", "2022-10-30T00:00:00Z",
		 "Before the clocks go back", false},
		{"ev-3@test", "2022-10-30T02:30:00Z", "2022-10-30T03:00:00Z",
		 "After the clocks went back", true},
		{"ical-4", "2022-10-30T12:00:00Z", "2022-10-30T13:00:00Z", "No UID here", true},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct session *x = &s->sessions[i];
		char a[21], b[21];
		assert_string_equal(x->id, want[i].id);
		assert_string_equal(test_utc(x->start, a), want[i].start);
		assert_string_equal(test_utc(x->end, b), want[i].end);
		assert_string_equal(x->title, want[i].title);
		assert_int_equal(x->status == SESSION_CANCELLED, want[i].cancelled);
	}
	assert_string_equal(s->rooms[0].name, "Amphith\xC3\xA9\xC3\xA2tre 1600");
	assert_string_equal(s->sessions[3].track, "Catering");
	assert_null(s->sessions[3].room);
	schedule_destroy(s);
}

static void test_floating_times(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("ical_feed/floating.ics", &len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(ical_feed_parse(buf, len, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "--timezone"));
	assert_non_null(strstr(e.msg, "line 2"));
	struct feed_options opt = {.timezone = "Europe/Paris"};
	assert_true(ical_feed_parse(buf, len, &opt, &s, &e));
	char a[21];
	assert_string_equal(test_utc(s->sessions[0].start, a), "2022-05-17T09:00:00Z");
	schedule_destroy(s);
	free(buf);
}

static void test_refusals_name_the_line(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20220101T100000Z\r\n",
		 "line 2", "never closed", NULL},
		{"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VCALENDAR\n", "line 4",
		 "does not close", NULL},
		{"hello\nworld\n", "line 1", "not iCalendar", NULL},
		{"BEGIN:VCARD\nEND:VCARD\n", "line 1", "BEGIN:VCALENDAR", NULL},
		{"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART:garbage\nSUMMARY:x\nEND:VEVENT\n"
		 "END:VCALENDAR\n",
		 "line 2: event 1", "DTSTART", NULL},
		{"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Moon/Base:20220101T100000\n"
		 "END:VEVENT\nEND:VCALENDAR\n",
		 "line 2", "Moon/Base", NULL},
		{"BEGIN:VCALENDAR\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\n"
		 "BEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\nBEGIN:VA\n"
		 "BEGIN:VA\nBEGIN:VA\n",
		 "line 17: nested too deeply", "more than 16 levels", NULL},
	};
	test_refusals(ical_feed_parse, cases, sizeof(cases) / sizeof(*cases));
}

/* The calendar's name is the conference title however the exporter types it
 * (Apple writes VALUE=TEXT), and so is X-WR-TIMEZONE's zone; without a name,
 * RFC 7986's NAME, else the first line of X-WR-CALDESC. */
static void test_calendar_name_and_zone(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("ical_feed/calname.ics", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	assert_string_equal(s->title, "Journ\xC3\xA9"
				      "es R\xC3\xA9seaux Lyon 2025");
	assert_string_equal(s->timezone, "Europe/Paris");
	char a[21];
	assert_string_equal(test_utc(s->sessions[0].start, a), "2025-06-03T07:30:00Z");
	assert_int_equal(s->n_warnings, 0);
	schedule_destroy(s);

	buf = test_fixture("ical_feed/caldesc.ics", &len);
	s = test_parse(buf, NULL);
	free(buf);
	assert_string_equal(s->title, "PGDay Lyon 2025 \xE2\x80\x94 talks and workshops");
	assert_int_equal(s->n_warnings, 1);
	assert_non_null(strstr(s->warnings[0], "X-WR-CALDESC"));
	schedule_destroy(s);

	static const char rfc7986[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nNAME:Rust Lyon Meetup\r\n"
				      "X-WR-CALDESC:Monthly talks\r\nBEGIN:VEVENT\r\nUID:r1\r\n"
				      "DTSTART:20250610T170000Z\r\nDTEND:20250610T180000Z\r\n"
				      "SUMMARY:Async traits\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	s = test_parse(rfc7986, NULL);
	assert_string_equal(s->title, "Rust Lyon Meetup");
	assert_int_equal(s->n_warnings, 0);
	schedule_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quirks),
		cmocka_unit_test(test_floating_times),
		cmocka_unit_test(test_refusals_name_the_line),
		cmocka_unit_test(test_calendar_name_and_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
