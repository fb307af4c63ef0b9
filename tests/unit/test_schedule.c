/* Unit tests for the schedule builder: room merging, duplicate ids, title
 * markers, ordering, caps and the checks schedule_finish makes. */
#include "test_util.h"

#include "schedule.h"

#include <stdio.h>
#include <string.h>

static struct session *add(struct schedule *s, const char *id, const char *title, const char *room,
			   int64_t start, int64_t end)
{
	struct feed_error e;
	struct session *x = schedule_add_session(s, &e);
	assert_non_null(x);
	x->id = schedule_text(s, id, SIZE_MAX, 200);
	x->title = schedule_text(s, title, SIZE_MAX, 400);
	x->room = room ? schedule_room(s, room, strlen(room), &e) : NULL;
	x->start = start;
	x->end = end;
	return x;
}

static void test_rooms_merge_by_folded_name(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	struct feed_error e;
	const char *a = schedule_room(s,
				      "Amphith\xC3\xA9"
				      "atre Callelongue",
				      SIZE_MAX, &e);
	const char *b = schedule_room(s, "Amphith\xC3\xA9\xC3\xA2tre Callelongue", SIZE_MAX, &e);
	const char *c = schedule_room(s, "Amphith\xC3\xA9\xC3\xA2tre Callelongue", SIZE_MAX, &e);
	const char *d = schedule_room(s, "ENDOUME 3", SIZE_MAX, &e);
	assert_string_equal(a, b);
	assert_ptr_equal(b, c);
	assert_string_not_equal(a, d);
	assert_int_equal(s->n_rooms, 2);
	assert_true(schedule_finish(s, &e));
	/* the spelling used most names the room */
	assert_string_equal(s->rooms[0].name, "Amphith\xC3\xA9\xC3\xA2tre Callelongue");
	assert_string_equal(s->rooms[0].id, "amphitheatre-callelongue");
	assert_int_equal(s->n_warnings, 2); /* one spelling, and no sessions at all */
	assert_non_null(strstr(s->warnings[0], "also written"));
	assert_non_null(strstr(s->warnings[1], "no sessions"));
	assert_non_null(schedule_find_room(s, "endoume-3"));
	assert_null(schedule_find_room(s, "nope"));
	assert_null(schedule_room(s, "   ", SIZE_MAX, &e) ? "" : NULL);
	schedule_destroy(s);
}

static void test_many_rooms_hash(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	struct feed_error e;
	char name[32];
	for (int i = 0; i < SCHEDULE_MAX_ROOMS; i++) {
		snprintf(name, sizeof(name), "Room %d", i);
		assert_non_null(schedule_room(s, name, SIZE_MAX, &e));
	}
	for (int i = 0; i < SCHEDULE_MAX_ROOMS; i += 97) {
		snprintf(name, sizeof(name), "room  %d", i);
		assert_non_null(schedule_room(s, name, SIZE_MAX, &e));
	}
	assert_int_equal(s->n_rooms, SCHEDULE_MAX_ROOMS);
	assert_null(schedule_room(s, "one too many", SIZE_MAX, &e));
	assert_non_null(strstr(e.msg, "rooms"));
	schedule_destroy(s);
}

static void test_markers(void **state)
{
	(void)state;
	static const struct {
		const char *title, *clean;
		bool cancelled, amended;
	} cases[] = {
		{"CANCELLED: Big tent governance", "Big tent governance", true, false},
		{"Canceled - Containers as a service", "Containers as a service", true, false},
		{"[CANCELLED] Live upgrades", "Live upgrades", true, false},
		{"ABGESAGT: Knoten 101", "Knoten 101", true, false},
		{"ANNUL\xC3\x89 : D\xC3\xA9jeuner", "D\xC3\xA9jeuner", true, false},
		{"AMENDMENT: Logging at INFO", "Logging at INFO", false, true},
		{"AMENDMENT: CANCELLED: Review policy", "Review policy", true, true},
		{"Cancellation policies in Nova", "Cancellation policies in Nova", false, false},
		{"CANCELLED", "CANCELLED", true, false},
		{"Amendments to the charter", "Amendments to the charter", false, false},
	};
	struct schedule *s = schedule_create();
	char id[16];
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(id, sizeof(id), "%zu", i);
		add(s, id, cases[i].title, "Salle 241", (int64_t)i * 3600, (int64_t)i * 3600 + 60);
	}
	struct feed_error e;
	assert_true(schedule_finish(s, &e));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(id, sizeof(id), "%zu", i);
		const struct session *x = &s->sessions[test_session_index(s, id)];
		assert_string_equal(x->title, cases[i].clean);
		assert_int_equal(x->status == SESSION_CANCELLED, cases[i].cancelled);
		assert_int_equal(x->amended, cases[i].amended);
	}
	schedule_destroy(s);
}

static void test_duplicates_and_order(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	add(s, "7", "Keynote", "Amphi", 2000, 3000);
	add(s, "7", "Keynote", "Amphi", 2000, 3000);      /* exact repeat: dropped */
	add(s, "7", "Other talk", "Salle 241", 100, 200); /* different: renamed */
	add(s, "3", "Early", "Amphi", 100, 150);
	struct feed_error e;
	assert_true(schedule_finish(s, &e));
	assert_int_equal(s->n_sessions, 3);
	assert_int_equal(s->n_warnings, 2);
	/* ordered by start, then room id, then id */
	assert_string_equal(s->sessions[0].id, "3");
	assert_string_equal(s->sessions[1].id, "7~2");
	assert_string_equal(s->sessions[2].id, "7");
	schedule_destroy(s);
}

static void test_finish_refuses(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	add(s, "1", "Backwards", "Amphi", 2000, 1000);
	struct feed_error e;
	assert_false(schedule_finish(s, &e));
	assert_non_null(strstr(e.msg, "ends before it starts"));
	assert_non_null(strstr(e.msg, "'1'"));
	schedule_destroy(s);

	s = schedule_create();
	add(s, "968", "Far past", "Amphi", -31556736000LL, -31556736000LL + 60);
	assert_false(schedule_finish(s, &e));
	assert_non_null(strstr(e.msg, "outside 1900-2199"));
	schedule_destroy(s);

	s = schedule_create();
	add(s, "", "No id", "Amphi", 0, 0);
	assert_false(schedule_finish(s, &e));
	assert_non_null(strstr(e.msg, "no id"));
	schedule_destroy(s);

	s = schedule_create();
	add(s, "x", "", NULL, 0, 0);
	assert_true(schedule_finish(s, &e));
	assert_string_equal(s->sessions[0].title, "(untitled)");
	assert_null(s->sessions[0].room);
	schedule_destroy(s);
}

static void test_speakers_and_caps(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	struct session *x = add(s, "1", "Panel", "Amphi", 0, 10);
	struct feed_error e;
	char name[32];
	for (int i = 0; i < SCHEDULE_MAX_SPEAKERS + 5; i++) {
		snprintf(name, sizeof(name), "Speaker %d", i);
		assert_true(schedule_add_speaker(s, x, name, SIZE_MAX, &e));
	}
	assert_true(schedule_add_speaker(s, x, "Speaker 0", SIZE_MAX, &e)); /* duplicate */
	assert_int_equal(x->n_speakers, SCHEDULE_MAX_SPEAKERS);
	for (int i = 0; i < SCHEDULE_MAX_WARNINGS + 10; i++)
		schedule_warn(s, "warning %d", i);
	assert_int_equal(s->n_warnings, SCHEDULE_MAX_WARNINGS);
	assert_true(s->dropped_warnings >= 10);
	assert_true(schedule_finish(s, &e));
	schedule_destroy(s);
	schedule_destroy(NULL);
}

static void test_conference_zone(void **state)
{
	(void)state;
	struct schedule *s = schedule_create();
	struct feed_error e;
	assert_true(schedule_set_conference(s, "Paris", "Europe/Paris", &e));
	assert_string_equal(s->timezone, "Europe/Paris");
	assert_false(schedule_set_conference(s, "Paris", "Europe/Atlantis", &e));
	assert_non_null(strstr(e.msg, "Europe/Atlantis"));
	schedule_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rooms_merge_by_folded_name),
		cmocka_unit_test(test_many_rooms_hash),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_duplicates_and_order),
		cmocka_unit_test(test_finish_refuses),
		cmocka_unit_test(test_speakers_and_caps),
		cmocka_unit_test(test_conference_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
