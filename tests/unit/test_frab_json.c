/* Unit tests for frab_json: every quirk of real schedule.json exports, and
 * refusals that name the JSON path. */
#include "test_util.h"

#include "frab_json.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_quirks_fixture(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("frab_json/quirks.json", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	assert_string_equal(s->format, "frab-json");
	assert_string_equal(s->title, "Quirks Summit");
	assert_string_equal(s->timezone, "Europe/Paris");
	assert_int_equal(s->n_sessions, 9);
	assert_int_equal(s->n_rooms, 2);
	/* seats: of two spellings of one room the larger; a negative one is
	 * ignored, said in a warning naming where */
	assert_int_equal(s->rooms[0].capacity, 80);
	assert_int_equal(s->rooms[1].capacity, 0);
	bool warned = false;
	for (size_t i = 0; i < s->n_warnings; i++)
		warned |= strstr(s->warnings[i],
				 "schedule.conference.rooms[1].capacity: -4 is not") != NULL;
	assert_true(warned);

	static const struct {
		const char *id, *start, *end, *room, *title;
		bool cancelled;
	} want[] = {
		/* 23:30 CEST, then 03:30 after the fall-back: the next calendar day */
		{"201", "2014-10-25T21:30:00Z", "2014-10-25T22:00:00Z", "salle-241",
		 "Late night before the clocks change", false},
		{"202", "2014-10-26T02:30:00Z", "2014-10-26T03:00:00Z", "salle-241",
		 "After the clocks changed", false},
		{"101", "2014-11-05T08:00:00Z", "2014-11-05T08:40:00Z", "salle-241",
		 "Logging at INFO level", false},
		/* an explicit end wins over the rounded duration */
		{"104", "2014-11-05T09:00:00Z", "2014-11-05T10:15:00Z", "salle-241",
		 "End wins over duration", false},
		/* no guid-less id: the guid is the id; the room comes from the key */
		{"9f0c1c43-guid-only", "2014-11-05T11:30:00Z", "2014-11-05T13:00:00Z",
		 "salle-mediterranee", "D\xC3\xA9jeuner / Lunch", false},
		{"106", "2014-11-05T13:00:00Z", "2014-11-05T13:40:00Z", "salle-mediterranee",
		 "Withdrawn talk", true},
		{"107", "2014-11-05T14:00:00Z", "2014-11-05T14:40:00Z", "salle-mediterranee",
		 "Containers as a service", true},
		/* HH:MM:SS duration running past midnight */
		{"102", "2014-11-05T22:30:00Z", "2014-11-06T00:00:00Z", "salle-241",
		 "Runs past midnight", false},
		/* 00:30 is before day_start 08:00: the next calendar day; D:HH:MM */
		{"103", "2014-11-05T23:30:00Z", "2014-11-06T01:00:00Z", "salle-241",
		 "After midnight belongs to the next calendar day", false},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct session *x = &s->sessions[test_session_index(s, want[i].id)];
		char a[21], b[21];
		assert_string_equal(test_utc(x->start, a), want[i].start);
		assert_string_equal(test_utc(x->end, b), want[i].end);
		assert_string_equal(x->room, want[i].room);
		assert_string_equal(x->title, want[i].title);
		assert_int_equal(x->status == SESSION_CANCELLED, want[i].cancelled);
		/* sessions come out in time order */
		assert_string_equal(s->sessions[i].id, want[i].id);
	}
	/* the accented spelling is used three times, the plain one once */
	assert_string_equal(schedule_find_room(s, "salle-mediterranee")->name, "Salle M\xC3\xA9"
									       "diterran\xC3\xA9"
									       "e");
	const struct session *x = &s->sessions[test_session_index(s, "101")];
	assert_int_equal(x->n_speakers, 3);
	assert_string_equal(x->speakers[0], "Thierry Carrez");
	assert_string_equal(x->speakers[1], "M\xC3\xA9lanie Witt");
	assert_string_equal(x->speakers[2], "Plain String Speaker");
	assert_string_equal(x->track, "Operations");
	assert_string_equal(x->type, "design-session");
	assert_string_equal(x->language, "en");
	schedule_destroy(s);
}

static const char minimal_head[] =
	"\xEF\xBB\xBF{\"schedule\":{\"conference\":{\"title\":\"T\",\"time_zone_name\":\"Europe/Paris\","
	"\"days\":[{\"date\":\"2014-11-04\",\"day_start\":\"2014-11-04T08:00:00+01:00\",\"rooms\":"
	"{\"Amphi\":[";

/* Wraps one event into a minimal schedule and parses it. */
static bool parse_event(const char *event, struct schedule **s, struct feed_error *e)
{
	char buf[2048];
	snprintf(buf, sizeof(buf), "%s%s]}}]}}}", minimal_head, event);
	struct feed_options opt = {0};
	return frab_json_parse(buf, strlen(buf), &opt, s, e);
}

static void test_event_errors_name_the_path(void **state)
{
	(void)state;
	static const struct {
		const char *event, *needle1, *needle2;
	} cases[] = {
		{"{\"id\":1,\"title\":\"x\",\"date\":\"2014-11-04T09:00:00+01:00\",\"duration\":\"1h\"}",
		 "days[0].rooms[\"Amphi\"][0].duration", "'1h'"},
		{"{\"id\":1,\"title\":\"x\",\"date\":\"tomorrow\",\"duration\":\"00:30\"}",
		 "[0].date", "'tomorrow'"},
		{"{\"id\":1,\"title\":\"x\",\"start\":\"9h\",\"duration\":\"00:30\"}", "[0].start",
		 "'9h'"},
		{"{\"title\":\"x\",\"date\":\"2014-11-04T09:00:00+01:00\",\"duration\":\"00:30\"}",
		 "[0].id", "missing"},
		{"{\"id\":1,\"date\":\"2014-11-04T09:00:00+01:00\",\"duration\":\"00:30\"}",
		 "[0].title", "missing"},
		{"[1,2]", "[0]", "JSON object"},
		{"{\"id\":1,\"title\":\"x\",\"duration\":\"00:30\"}", "[0].start", "missing"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct schedule *s = (struct schedule *)1;
		struct feed_error e = {{0}};
		assert_false(parse_event(cases[i].event, &s, &e));
		assert_null(s);
		if (!strstr(e.msg, cases[i].needle1) || !strstr(e.msg, cases[i].needle2))
			fail_msg("case %zu: message '%s' lacks '%s' or '%s'", i, e.msg,
				 cases[i].needle1, cases[i].needle2);
	}
}

static void test_document_errors(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{"{\"schedule\":{\"conference\":{\"days\":[", "ends too early", NULL, NULL},
		{"{\"schedule\": {\n\"conference\": nope}}", "line 2", NULL, NULL},
		{"{\"schedule\":{}}", "schedule.conference", NULL, NULL},
		{"{\"schedule\":{\"conference\":{\"title\":\"x\"}}}", "days", NULL, NULL},
		{"{\"schedule\":{\"conference\":{\"days\":[],\"time_zone_name\":\"Mars/Base\"}}}",
		 "Mars/Base", NULL, NULL},
		{"{\"schedule\":{\"conference\":{\"days\":[]},\"rooms\":[]}}", "schedule.rooms",
		 NULL, NULL},
		{"{\"schedule\":{\"conference\":{\"days\":[{\"rooms\":{\"A\":{}}}]}}}",
		 "list of events", NULL, NULL},
	};
	test_refusals(frab_json_parse, cases, sizeof(cases) / sizeof(*cases));
}

static void test_timezone_option_overrides(void **state)
{
	(void)state;
	/* A wall-clock start needs a zone; the option supplies or overrides it. */
	static const char doc[] =
		"{\"schedule\":{\"conference\":{\"title\":\"T\",\"days\":[{\"date\":\"2020-03-28\","
		"\"rooms\":{\"R\":[{\"id\":1,\"title\":\"x\",\"start\":\"09:00\",\"duration\":\"00:30\"}]}}]}}}";
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(frab_json_parse(doc, strlen(doc), NULL, &s, &e));
	assert_non_null(strstr(e.msg, "--timezone"));
	struct feed_options opt = {.timezone = "America/New_York"};
	assert_true(frab_json_parse(doc, strlen(doc), &opt, &s, &e));
	char a[21];
	assert_string_equal(test_utc(s->sessions[0].start, a), "2020-03-28T13:00:00Z");
	assert_string_equal(s->timezone, "America/New_York");
	schedule_destroy(s);
}

static void test_bom_and_empty_optional_fields(void **state)
{
	(void)state;
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_true(
		parse_event("{\"id\":\"a\",\"title\":\"x\",\"date\":\"2014-11-04T09:00:00+01:00\","
			    "\"duration\":\"00:30\",\"room\":null,\"track\":null,\"persons\":null}",
			    &s, &e));
	assert_int_equal(s->n_sessions, 1);
	assert_string_equal(s->sessions[0].room, "amphi"); /* null room: the key */
	assert_null(s->sessions[0].track);
	schedule_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quirks_fixture),
		cmocka_unit_test(test_event_errors_name_the_path),
		cmocka_unit_test(test_document_errors),
		cmocka_unit_test(test_timezone_option_overrides),
		cmocka_unit_test(test_bom_and_empty_optional_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
