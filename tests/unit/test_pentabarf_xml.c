/* Unit tests for pentabarf_xml: day_change and days past midnight, DST,
 * durations, end over duration, refusals that name the line, no entities,
 * other structures under <schedule> refused, empty days read, bare <person>. */
#include "test_util.h"

#include "pentabarf_xml.h"
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

static void test_fixture_without_dates(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("pentabarf_xml/nodate.xml", &len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!pentabarf_xml_parse(buf, len, NULL, &s, &e))
		fail_msg("%s", e.msg);
	free(buf);
	assert_string_equal(s->format, "pentabarf-xml");
	assert_string_equal(s->title, "Brussels Spring Meetup");
	assert_string_equal(s->timezone, "Europe/Brussels");
	assert_int_equal(s->n_sessions, 5);
	assert_int_equal(s->n_rooms, 2);
	static const struct {
		const char *id, *start, *end, *room;
		bool cancelled;
	} want[] = {
		{"4", "2026-03-28T09:00:00Z", "2026-03-28T10:05:00Z", "h-1308-rolin", true},
		{"guid-only-5", "2026-03-28T11:00:00Z", "2026-03-28T11:20:00Z", "h-1308-rolin",
		 true},
		/* 23:30 CET on the 28th */
		{"1", "2026-03-28T22:30:00Z", "2026-03-28T23:30:00Z", "janson", false},
		/* 01:30 is before day_change 09:00: 29 March, still CET; D:HH:MM */
		{"3", "2026-03-29T00:30:00Z", "2026-03-29T01:45:00Z", "janson", false},
		/* 03:30 on 29 March is CEST (clocks went forward at 02:00); HH:MM:SS */
		{"2", "2026-03-29T01:30:00Z", "2026-03-29T02:00:00Z", "janson", false},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct session *x = &s->sessions[i];
		char a[21], b[21];
		assert_string_equal(x->id, want[i].id);
		assert_string_equal(test_utc(x->start, a), want[i].start);
		assert_string_equal(test_utc(x->end, b), want[i].end);
		assert_string_equal(x->room, want[i].room);
		assert_int_equal(x->status == SESSION_CANCELLED, want[i].cancelled);
	}
	const struct session *x = &s->sessions[2];
	assert_int_equal(x->n_speakers, 2);
	assert_string_equal(x->speakers[1], "Jan Dvo\xC5\x99\xC3\xA1k");
	assert_string_equal(x->track, "Main Track");
	assert_string_equal(s->sessions[0].title, "End wins over the duration");
	assert_string_equal(schedule_find_room(s, "h-1308-rolin")->name, "H.1308 (Rolin)");
	schedule_destroy(s);
}

static void test_refusals_name_the_line(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{"<schedule>\n<day date=\"2026-01-31\">\n<room name=\"A\">\n<event id=\"1\">",
		 "line 4", "end", NULL},
		{"<?xml version=\"1.0\"?>\n<calendar/>", "line 2", "<calendar>", NULL},
		{"<schedule><conference><time_zone_name>Europe/Paris</time_zone_name></conference>\n"
		 "<day date=\"2026-01-31\"><room name=\"A\">\n<event><title>x</title></event></room>"
		 "</day></schedule>",
		 "line 3", "neither an id", NULL},
		{"<schedule><conference><time_zone_name>Europe/Paris</time_zone_name></conference>\n"
		 "<day date=\"2026-01-31\"><room name=\"A\">\n<event id=\"9\"><title>x</title>"
		 "<start>10:00</start><duration>1h</duration></event></room></day></schedule>",
		 "line 3: event 9: <duration>", "'1h'", NULL},
		{"<schedule><conference><time_zone_name>Europe/Paris</time_zone_name></conference>\n"
		 "<day date=\"2026-01-31\"><room name=\"A\">\n<event id=\"9\"><start>10:00</start>"
		 "</event></room></day></schedule>",
		 "line 3", "no <title>", NULL},
		{"<schedule><day date=\"2026-01-31\"><room name=\"A\"><event id=\"9\"><title>x</title>"
		 "<start>10:00</start></event></room></day></schedule>",
		 "<start>", "--timezone", NULL},
		{"<schedule><conference><time_zone_name>Europe/Lutetia</time_zone_name></conference>"
		 "</schedule>",
		 "Europe/Lutetia", "unknown", NULL},
	};
	test_refusals(pentabarf_xml_parse, cases, sizeof(cases) / sizeof(*cases));
}

static void test_entities_are_refused(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("pentabarf_xml/entity.xml", &len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(pentabarf_xml_parse(buf, len, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "entities"));
	assert_null(strstr(e.msg, "root:")); /* nothing of /etc/passwd leaks */
	free(buf);
}

static void test_timezone_option(void **state)
{
	(void)state;
	static const char doc[] =
		"<schedule><day date=\"2026-01-31\"><room name=\"A\"><event id=\"9\"><title>x</title>"
		"<start>10:00</start><duration>00:30</duration></event></room></day></schedule>";
	struct feed_options opt = {.timezone = "Europe/Brussels"};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_true(pentabarf_xml_parse(doc, strlen(doc), &opt, &s, &e));
	char a[21];
	assert_string_equal(test_utc(s->sessions[0].start, a), "2026-01-31T09:00:00Z");
	schedule_destroy(s);
}

/* A <schedule> root holding some other structure is not an empty schedule:
 * it is refused, saying what was expected and what was found where. */
static void test_other_structures_are_refused(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("pentabarf_xml/own-sessions.xml", &len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(pentabarf_xml_parse(buf, len, NULL, &s, &e));
	assert_null(s);
	assert_string_equal(e.msg, "line 5: no <day><room><event> found: not a pentabarf/frab "
				   "schedule (found <session> under <schedule>)");
	free(buf);
	static const struct refusal cases[] = {
		{"<schedule><conference><title>Talks</title></conference>\n"
		 "<day date=\"2025-06-12\">\n<talk id=\"1\"><title>x</title></talk></day></schedule>",
		 "line 3: no <day><room><event> found", "(found <talk> under <day>)", NULL},
		{"<schedule><day date=\"2025-06-12\"><room name=\"A\">\n<slot/></room></day>"
		 "</schedule>",
		 "line 2", "(found <slot> under <room>)", NULL},
		{"<schedule>\n<talk/></schedule>", "line 2", "(found <talk> under <schedule>)",
		 NULL},
		{"<?xml version=\"1.0\"?>\n<schedule/>", "line 2: no <day><room><event> found",
		 "(no <conference> and no <day>)", NULL},
	};
	test_refusals(pentabarf_xml_parse, cases, sizeof(cases) / sizeof(*cases));
}

/* frab's export before the talks are scheduled (days and empty rooms), or of
 * a conference with no days yet, is a real empty schedule: read, with a
 * warning. */
static void test_days_without_events(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("pentabarf_xml/no-events-yet.xml", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	assert_string_equal(s->title, "Datengarten Camp 2025");
	assert_string_equal(s->timezone, "Europe/Berlin");
	assert_int_equal(s->n_sessions, 0);
	assert_int_equal(s->n_warnings, 1);
	assert_string_equal(s->warnings[0], "the feed holds no sessions");
	schedule_destroy(s);
	static const char conf_only[] = "<schedule><version>1</version><conference><title>Soon"
					"</title></conference></schedule>";
	s = test_parse(conf_only, NULL);
	assert_int_equal(s->n_sessions, 0);
	assert_string_equal(s->title, "Soon");
	schedule_destroy(s);
}

/* <person> straight under <event>, with no <persons> wrapper, is a speaker. */
static void test_persons_without_wrapper(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("pentabarf_xml/persons-unwrapped.xml", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	assert_int_equal(s->n_sessions, 2);
	const struct session *a = &s->sessions[test_session_index(s, "31")];
	assert_int_equal(a->n_speakers, 2);
	assert_string_equal(a->speakers[0], "Lotte De Smet");
	assert_string_equal(a->speakers[1], "Ruben Verstraete");
	const struct session *b = &s->sessions[test_session_index(s, "32")];
	assert_int_equal(b->n_speakers, 1);
	assert_string_equal(b->speakers[0], "In\xC3\xA8s Maes");
	assert_int_equal(s->n_warnings, 0);
	schedule_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_without_dates),
		cmocka_unit_test(test_refusals_name_the_line),
		cmocka_unit_test(test_entities_are_refused),
		cmocka_unit_test(test_timezone_option),
		cmocka_unit_test(test_other_structures_are_refused),
		cmocka_unit_test(test_days_without_events),
		cmocka_unit_test(test_persons_without_wrapper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
