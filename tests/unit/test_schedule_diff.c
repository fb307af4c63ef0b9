/* Unit tests for schedule_diff: each kind of change on its own, explicit
 * markers, feeds without stable ids, ordering and the JSON shape. */
#include "test_util.h"

#include "schedule.h"
#include "schedule_diff.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* S(id, title, room, start hour, end hour, status) as normalized JSON. */
#define S(id, title, room, h1, h2, st)                                                             \
	"{\"id\":\"" id "\",\"title\":\"" title "\",\"room\":\"" room                              \
	"\",\"start\":\"2014-11-05T" h1 ":00:00Z\",\"end\":\"2014-11-05T" h2                       \
	":00:00Z\",\"status\":\"" st "\"}"

static struct schedule *doc(const char *sessions)
{
	char buf[8192];
	snprintf(
		buf, sizeof(buf),
		"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"P\",\"timezone\":"
		"\"Europe/Paris\"},\"rooms\":[{\"id\":\"a\",\"name\":\"Salle 241\"},{\"id\":\"b\","
		"\"name\":\"Salle 252A\"}],\"sessions\":[%s]}",
		sessions);
	return test_parse(buf, NULL);
}

static const char base[] = S("1", "Logging", "a", "09", "10", "scheduled") "," S(
	"2", "Live upgrades", "a", "10", "11", "scheduled") "," S("3", "Big tent", "b", "11", "12",
								  "scheduled");

struct want {
	const char *session, *kind, *from_room, *to_room;
};

static void check(const char *old_s, const char *new_s, const struct want *w, size_t n)
{
	struct schedule *o = doc(old_s), *nw = doc(new_s);
	struct schedule_changes c;
	assert_true(schedule_diff_compute(o, nw, &c));
	if (c.n != n)
		fail_msg("%zu changes, want %zu", c.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct change *ch = &c.items[i];
		const struct session *who = ch->to ? ch->to : ch->from;
		assert_string_equal(who->id, w[i].session);
		assert_string_equal(schedule_diff_kind_name(ch->kind), w[i].kind);
		if (w[i].from_room)
			assert_string_equal(ch->from_room, w[i].from_room);
		if (w[i].to_room)
			assert_string_equal(ch->to_room, w[i].to_room);
	}
	schedule_diff_finish(&c);
	schedule_destroy(o);
	schedule_destroy(nw);
}

static void test_unchanged_is_empty(void **state)
{
	(void)state;
	check(base, base, NULL, 0);
}

static void test_each_kind(void **state)
{
	(void)state;
	const struct want moved[] = {{"2", "moved", "Salle 241", "Salle 252A"}};
	check(base,
	      S("1", "Logging", "a", "09", "10", "scheduled") "," S(
		      "2", "Live upgrades", "b", "10", "11",
		      "scheduled") "," S("3", "Big tent", "b", "11", "12", "scheduled"),
	      moved, 1);
	const struct want resched[] = {{"1", "rescheduled", "Salle 241", "Salle 241"}};
	check(base,
	      S("1", "Logging", "a", "08", "09", "scheduled") "," S(
		      "2", "Live upgrades", "a", "10", "11",
		      "scheduled") "," S("3", "Big tent", "b", "11", "12", "scheduled"),
	      resched, 1);
	/* moved and rescheduled at once is one change, "moved" */
	const struct want both[] = {{"3", "moved", "Salle 252A", "Salle 241"}};
	check(base,
	      S("1", "Logging", "a", "09", "10", "scheduled") "," S(
		      "2", "Live upgrades", "a", "10", "11",
		      "scheduled") "," S("3", "Big tent", "a", "14", "15", "scheduled"),
	      both, 1);
	/* cancelled by status, by title marker, and by disappearing */
	const struct want cancelled[] = {{"1", "cancelled", "Salle 241", NULL},
					 {"2", "cancelled", "Salle 241", NULL},
					 {"3", "cancelled", "Salle 252A", NULL}};
	check(base,
	      S("1", "Logging", "a", "09", "10", "cancelled") "," S("2", "CANCELLED: Live upgrades",
								    "a", "10", "11", "scheduled"),
	      cancelled, 3);
	const struct want added[] = {{"4", "added", NULL, "Salle 252A"}};
	check(base,
	      S("4", "Containers", "b", "08", "09",
		"scheduled") "," S("1", "Logging", "a", "09", "10",
				   "scheduled") "," S("2", "Live upgrades", "a", "10", "11",
						      "scheduled") "," S("3", "Big tent", "b", "11",
									 "12", "scheduled"),
	      added, 1);
	/* a cancelled session that comes back is on again: added */
	const struct want back[] = {{"1", "added", "Salle 241", "Salle 241"}};
	check(S("1", "Logging", "a", "09", "10", "cancelled"),
	      S("1", "Logging", "a", "09", "10", "scheduled"), back, 1);
	/* still cancelled, or new but already cancelled: nothing to tell */
	check(S("1", "Logging", "a", "09", "10", "cancelled"),
	      S("1", "Logging", "a", "09", "10", "cancelled") "," S("9", "Gone before", "a", "12",
								    "13", "cancelled"),
	      NULL, 0);
}

static void test_no_stable_ids(void **state)
{
	(void)state;
	/* every id changed between exports: titles pair them, accents aside */
	const struct want w[] = {{"y", "moved", "Salle 241", "Salle 252A"},
				 {"z", "rescheduled", "Salle 252A", "Salle 252A"}};
	check(base,
	      S("x", "logging", "a", "09", "10", "scheduled") "," S(
		      "y", "Live  Upgrades", "b", "10", "11",
		      "scheduled") "," S("z", "Big t\xC3\xA9nt", "b", "15", "16", "scheduled"),
	      w, 2);
	struct schedule *o = doc(base), *n = doc(S("x", "Logging", "a", "09", "10", "scheduled"));
	struct schedule_changes c;
	assert_true(schedule_diff_compute(o, n, &c));
	assert_int_equal(c.matched_by_title, 1);
	assert_int_equal(c.n, 2); /* the two others are gone: cancelled */
	schedule_diff_finish(&c);
	schedule_destroy(o);
	schedule_destroy(n);
}

static void test_json_shape(void **state)
{
	(void)state;
	struct schedule *o = doc(base);
	struct schedule *n = doc(S("1", "Logging", "b", "09", "10", "scheduled") "," S(
		"2", "Live upgrades", "a", "10", "11", "cancelled") "," S("3", "Big tent", "b",
									  "11", "12", "scheduled"));
	struct schedule_changes c;
	assert_true(schedule_diff_compute(o, n, &c));
	char *text = schedule_diff_write_json(&c);
	cJSON *root = cJSON_Parse(text);
	cJSON *list = cJSON_GetObjectItem(root, "changes");
	assert_int_equal(cJSON_GetArraySize(list), 2);
	cJSON *m = cJSON_GetArrayItem(list, 0);
	assert_string_equal(cJSON_GetObjectItem(m, "session")->valuestring, "1");
	assert_string_equal(cJSON_GetObjectItem(m, "title")->valuestring, "Logging");
	assert_string_equal(cJSON_GetObjectItem(m, "kind")->valuestring, "moved");
	cJSON *from = cJSON_GetObjectItem(m, "from"), *to = cJSON_GetObjectItem(m, "to");
	assert_string_equal(cJSON_GetObjectItem(from, "room")->valuestring, "Salle 241");
	assert_string_equal(cJSON_GetObjectItem(to, "room")->valuestring, "Salle 252A");
	assert_string_equal(cJSON_GetObjectItem(from, "start")->valuestring,
			    "2014-11-05T09:00:00Z");
	cJSON *x = cJSON_GetArrayItem(list, 1);
	assert_string_equal(cJSON_GetObjectItem(x, "kind")->valuestring, "cancelled");
	assert_non_null(cJSON_GetObjectItem(x, "from"));
	assert_null(cJSON_GetObjectItem(x, "to"));
	cJSON_Delete(root);
	free(text);
	struct schedule_changes none = {0};
	text = schedule_diff_write_json(&none);
	assert_non_null(strstr(text, "\"changes\":\t[]"));
	free(text);
	schedule_diff_finish(&c);
	schedule_destroy(o);
	schedule_destroy(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged_is_empty),
		cmocka_unit_test(test_each_kind),
		cmocka_unit_test(test_no_stable_ids),
		cmocka_unit_test(test_json_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
