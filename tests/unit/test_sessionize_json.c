/* Unit tests for sessionize_json: zone from the caller across DST, id
 * lookups (string and integer), service sessions, categories, refusals. */
#include "test_util.h"

#include "schedule.h"
#include "sessionize_json.h"

#include <stdlib.h>
#include <string.h>

static bool any_warning(const struct schedule *s, const char *needle)
{
	for (size_t i = 0; i < s->n_warnings; i++)
		if (strstr(s->warnings[i], needle))
			return true;
	return false;
}

static void test_small_export(void **state)
{
	(void)state;
	size_t len;
	char *buf = test_fixture("sessionize_json/small.json", &len);
	struct feed_options opt = {.timezone = "America/New_York"};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!sessionize_json_parse(buf, len, &opt, &s, &e))
		fail_msg("%s", e.msg);
	free(buf);
	assert_string_equal(s->format, "sessionize");
	assert_null(s->title);
	assert_string_equal(s->timezone, "America/New_York");
	assert_int_equal(s->n_sessions, 4); /* the unscheduled one is left out */
	assert_int_equal(s->n_rooms, 3);    /* declared rooms, used or not */
	static const struct {
		const char *id, *start, *end, *room, *type, *track;
		bool cancelled;
		size_t speakers;
	} want[] = {
		/* EST before the 8 March change, EDT after */
		{"s1", "2020-03-07T14:00:00Z", "2020-03-07T15:00:00Z", "room-1", "service", NULL,
		 false, 0},
		{"2002", "2020-03-08T13:00:00Z", "2020-03-08T13:45:00Z", "salle-ampere", "Workshop",
		 "Security", false, 2},
		{"s3", "2020-03-08T14:00:00Z", "2020-03-08T14:30:00Z", NULL, "session", "Cloud",
		 true, 0},
		{"s5", "2020-03-08T15:00:00Z", "2020-03-08T15:30:00Z", "room-1", "session", NULL,
		 false, 1},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct session *x = &s->sessions[i];
		char a[21], b[21];
		assert_string_equal(x->id, want[i].id);
		assert_string_equal(test_utc(x->start, a), want[i].start);
		assert_string_equal(test_utc(x->end, b), want[i].end);
		if (want[i].room)
			assert_string_equal(x->room, want[i].room);
		else
			assert_null(x->room);
		assert_string_equal(x->type, want[i].type);
		if (want[i].track)
			assert_string_equal(x->track, want[i].track);
		else
			assert_null(x->track);
		assert_int_equal(x->status == SESSION_CANCELLED, want[i].cancelled);
		assert_int_equal(x->n_speakers, want[i].speakers);
	}
	assert_string_equal(s->sessions[1].speakers[0], "Ada Lovelace");
	assert_string_equal(s->sessions[1].speakers[1], "Jean Dupr\xC3\xA9");
	assert_string_equal(s->sessions[3].speakers[0], "Inline Speaker");
	assert_string_equal(schedule_find_room(s, "salle-ampere")->name, "Salle Amp\xC3\xA8re");
	assert_true(any_warning(s, "unknown speaker id no-such-speaker"));
	assert_true(any_warning(s, "roomId: 99"));
	assert_true(any_warning(s, "not scheduled yet"));
	schedule_destroy(s);
}

static void test_reader_refusals(void **state)
{
	(void)state;
	static const struct refusal cases[] = {
		{"{\"sessions\":[{\"id\":\"1\",\"title\":\"x\",\"startsAt\":\"2020-03-28T09:00:00\"}]}",
		 "sessions[0].startsAt", "--timezone", NULL},
		{"{\"sessions\":[{\"id\":\"1\",\"title\":\"x\",\"startsAt\":\"28/03/2020 9:00\"}]}",
		 "sessions[0].startsAt", "ISO 8601", "UTC"},
		{"{\"sessions\":[{\"id\":\"1\",\"title\":\"x\",\"startsAt\":\"2020-03-28T09:00:00\","
		 "\"endsAt\":\"2020-03-28T08:00:00\"}]}",
		 "ends before", "'1'", "UTC"},
		{"{\"sessions\":[{\"title\":\"x\"}]}", "sessions[0].id", "missing", "UTC"},
		{"{\"speakers\":[]}", "sessions", "Sessionize", "UTC"},
		{"{\"sessions\":[\n{\"id\":1,", "line 2", "ends too early", "UTC"},
	};
	test_refusals(sessionize_json_parse, cases, sizeof(cases) / sizeof(*cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_export),
		cmocka_unit_test(test_reader_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
