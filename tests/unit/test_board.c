/* Unit tests for board: the demo conference and its changes worked out
 * against the first version, when each change was first seen, a bad feed
 * leaving the board as it was, and venueboard-server's own change list and
 * notices. */
#include "test_util.h"

#include "board.h"
#include "civil_time.h"
#include "fleet_state.h"
#include "schedule.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define DEMO "../../assets/demo/"

static const int64_t NOW_MS = 1415264700000LL; /* 2014-11-06T10:05:00+01:00 */

struct text {
	char *buf;
	size_t len;
};

static struct text fixture(const char *rel)
{
	struct text t;
	t.buf = test_fixture(rel, &t.len);
	return t;
}

static struct board *loaded(const char *rel, int64_t now_ms)
{
	struct board *b = board_create();
	assert_non_null(b);
	struct text t = fixture(rel);
	struct feed_error e = {{0}};
	if (!board_load(b, t.buf, t.len, NULL, now_ms, NULL, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(t.buf);
	return b;
}

static void set_baseline(struct board *b, const char *rel)
{
	struct text t = fixture(rel);
	struct feed_error e = {{0}};
	if (!board_set_baseline(b, t.buf, t.len, NULL, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(t.buf);
}

static void load(struct board *b, const char *rel, int64_t now_ms, struct board_summary *sum)
{
	struct text t = fixture(rel);
	struct feed_error e = {{0}};
	if (!board_load(b, t.buf, t.len, NULL, now_ms, sum, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(t.buf);
}

static int64_t utc(const char *s)
{
	struct feed_error e;
	struct civil c;
	int64_t t;
	assert_true(civil_parse(s, strlen(s), &c));
	assert_true(civil_to_utc(&c, "UTC", &t, &e));
	return t;
}

static void test_demo_first_load(void **state)
{
	(void)state;
	struct board *b = board_create();
	assert_non_null(b);
	assert_null(b->schedule);
	assert_null(board_change_for(b, "4216"));
	struct board_summary sum;
	load(b, DEMO "paris-2014.schedule.json", NOW_MS, &sum);
	assert_non_null(b->schedule);
	assert_int_equal(b->schedule->n_sessions, 149);
	assert_int_equal(sum.sessions, 149);
	assert_int_equal(sum.rooms, 10);
	assert_int_equal(sum.changes, 0);
	assert_int_equal(sum.new_changes, 0);
	assert_int_equal(sum.notices, 0);
	assert_int_equal(b->n_changes, 0);
	assert_int_equal(b->n_notices, 0);
	assert_false(b->server_changes);
	assert_string_equal(b->zone_name, "Europe/Paris");
	assert_non_null(b->zone);
	board_destroy(b);
	board_destroy(NULL); /* does nothing */
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* The eight changes of tests/data/demo-changes.json (worked out apart). */
static void check_demo_changes(const struct board *b)
{
	struct text t = fixture("demo-changes.json");
	cJSON *root = cJSON_ParseWithLength(t.buf, t.len);
	assert_non_null(root);
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "changes");
	assert_int_equal(cJSON_GetArraySize(list), 8);
	assert_int_equal(b->n_changes, 8);
	const cJSON *w;
	cJSON_ArrayForEach(w, list) {
		const char *id = str(w, "session"), *kind = str(w, "kind");
		const struct board_change *ch = board_change_for(b, id);
		if (!ch)
			fail_msg("change of %s missing", id);
		if (strcmp(schedule_diff_kind_name(ch->kind), kind) != 0)
			fail_msg("%s: %s, want %s", id, schedule_diff_kind_name(ch->kind), kind);
		assert_string_equal(ch->title, str(w, "title"));
		const cJSON *from = cJSON_GetObjectItemCaseSensitive(w, "from");
		const cJSON *to = cJSON_GetObjectItemCaseSensitive(w, "to");
		if (from) {
			assert_non_null(ch->from_room);
			assert_string_equal(ch->from_room, str(from, "room"));
			assert_int_equal(ch->from_start, utc(str(from, "start")));
		} else {
			assert_null(ch->from_room);
			assert_int_equal(ch->from_start, 0);
		}
		if (to) {
			assert_non_null(ch->to_room);
			assert_string_equal(ch->to_room, str(to, "room"));
			assert_int_equal(ch->to_start, utc(str(to, "start")));
		} else {
			assert_null(ch->to_room);
			assert_int_equal(ch->to_start, 0);
		}
	}
	cJSON_Delete(root);
	free(t.buf);
}

static void test_demo_changes_seen_now(void **state)
{
	(void)state;
	struct board *b = board_create();
	assert_non_null(b);
	set_baseline(b, DEMO "paris-2014.schedule.json");
	struct board_summary sum;
	/* the screen starts with the printed programme: nothing changed yet */
	load(b, DEMO "paris-2014.schedule.json", NOW_MS - 3600000, &sum);
	assert_int_equal(b->n_changes, 0);
	/* Wednesday's version arrives while it runs */
	load(b, DEMO "paris-2014-v2.schedule.json", NOW_MS, &sum);
	assert_int_equal(b->schedule->n_sessions, 150);
	assert_false(b->server_changes);
	assert_int_equal(sum.changes, 8);
	assert_int_equal(sum.new_changes, 8);
	check_demo_changes(b);
	for (size_t i = 0; i < b->n_changes; i++)
		assert_int_equal(b->changes[i].seen_ms, NOW_MS);
	/* fetched again later: still first seen at NOW_MS, none new */
	load(b, DEMO "paris-2014-v2.schedule.json", NOW_MS + 600000, &sum);
	assert_int_equal(sum.changes, 8);
	assert_int_equal(sum.new_changes, 0);
	for (size_t i = 0; i < b->n_changes; i++)
		assert_int_equal(b->changes[i].seen_ms, NOW_MS);
	/* back to the printed programme: the changes are gone */
	load(b, DEMO "paris-2014.schedule.json", NOW_MS + 1200000, &sum);
	assert_int_equal(b->n_changes, 0);
	assert_null(board_change_for(b, "4216"));
	board_destroy(b);
}

static void test_demo_changes_on_first_load(void **state)
{
	(void)state;
	struct board *b = board_create();
	assert_non_null(b);
	set_baseline(b, DEMO "paris-2014.schedule.json");
	struct board_summary sum;
	/* the screen (re)starts after the changes: they are not "new" */
	load(b, DEMO "paris-2014-v2.schedule.json", NOW_MS, &sum);
	check_demo_changes(b);
	assert_int_equal(sum.new_changes, 0);
	for (size_t i = 0; i < b->n_changes; i++)
		assert_int_equal(b->changes[i].seen_ms, 0);
	/* board_change_for */
	const struct board_change *c = board_change_for(b, "4183");
	assert_non_null(c);
	assert_int_equal(c->kind, CHANGE_MOVED);
	assert_string_equal(c->to_room, "Salle 252B");
	assert_null(board_change_for(b, "4244"));
	assert_null(board_change_for(b, ""));
	board_destroy(b);
}

static void test_bad_feed_leaves_board(void **state)
{
	(void)state;
	struct board *b = board_create();
	assert_non_null(b);
	set_baseline(b, DEMO "paris-2014.schedule.json");
	load(b, DEMO "paris-2014.schedule.json", NOW_MS - 60000, NULL);
	load(b, DEMO "paris-2014-v2.schedule.json", NOW_MS, NULL);
	struct board before = *b;
	struct board_change first = b->changes[0];

	struct text v2 = fixture(DEMO "paris-2014-v2.schedule.json");
	struct {
		const char *what;
		const char *buf;
		size_t len;
	} bad[] = {
		{"truncated", v2.buf, v2.len / 2},
		{"one byte short of whole", v2.buf, v2.len - 3},
		{"empty", "", 0},
		{"an HTML error page", "<html><body>502 Bad Gateway</body></html>", 41},
		{"a normalized schedule with a bad time",
		 "{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"x\"},"
		 "\"rooms\":[],\"sessions\":[{\"id\":\"1\",\"title\":\"t\",\"start\":\"soon\","
		 "\"end\":\"later\"}],\"changes\":[],\"notices\":[{\"text\":\"must not show\"}]}",
		 SIZE_MAX},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t len = bad[i].len == SIZE_MAX ? strlen(bad[i].buf) : bad[i].len;
		struct feed_error e = {{0}};
		struct board_summary sum = {99, 99, 99, 99, 99};
		if (board_load(b, bad[i].buf, len, NULL, NOW_MS + 60000, &sum, &e))
			fail_msg("%s was read", bad[i].what);
		if (!e.msg[0])
			fail_msg("%s: refused without a message", bad[i].what);
		/* exactly as it was: the same schedule, changes and notices */
		assert_memory_equal(b, &before, sizeof(before));
		assert_memory_equal(&b->changes[0], &first, sizeof(first));
		assert_int_equal(b->schedule->n_sessions, 150);
		assert_string_equal(b->changes[0].session, first.session);
	}
	check_demo_changes(b);
	free(v2.buf);
	board_destroy(b);
}

static void test_server_document(void **state)
{
	(void)state;
	struct board *b = board_create();
	assert_non_null(b);
	/* a baseline does not matter: the server's list is the truth */
	set_baseline(b, DEMO "paris-2014.schedule.json");
	struct board_summary sum;
	load(b, "kiosk/server-schedule.json", NOW_MS, &sum);
	assert_true(b->server_changes);
	assert_int_equal(b->schedule->n_sessions, 3);
	assert_string_equal(b->zone_name, "Europe/Paris");
	/* moved, cancelled, added (a numeric id), rescheduled; the unknown
	 * kind, the change without a session and the non-object are skipped */
	static const struct {
		const char *id;
		enum change_kind kind;
		const char *title, *from_room, *to_room, *from_start, *to_start;
	} want[] = {
		{"4184", CHANGE_MOVED, "TripleO: review policy", "Salle 251", "Salle 243",
		 "2014-11-06T09:00:00Z", "2014-11-06T09:00:00Z"},
		{"4216", CHANGE_CANCELLED, "Containers as a service", "Salle 251", NULL,
		 "2014-11-06T10:00:00Z", NULL},
		{"4301", CHANGE_ADDED, "Numeric ids happen", NULL, "Salle 251", NULL,
		 "2014-11-06T14:00:00Z"},
		{"4302", CHANGE_RESCHEDULED, "4302", "Salle 243", "Salle 243",
		 "2014-11-06T08:00:00Z", "2014-11-06T16:00:00Z"},
	};
	assert_int_equal(b->n_changes, sizeof(want) / sizeof(*want));
	assert_int_equal(sum.changes, b->n_changes);
	for (size_t i = 0; i < b->n_changes; i++) {
		const struct board_change *c = &b->changes[i]; /* in the feed's order */
		assert_string_equal(c->session, want[i].id);
		assert_int_equal(c->kind, want[i].kind);
		assert_string_equal(c->title, want[i].title);
		if (want[i].from_room)
			assert_string_equal(c->from_room, want[i].from_room);
		else
			assert_null(c->from_room);
		if (want[i].to_room)
			assert_string_equal(c->to_room, want[i].to_room);
		else
			assert_null(c->to_room);
		assert_int_equal(c->from_start, want[i].from_start ? utc(want[i].from_start) : 0);
		assert_int_equal(c->to_start, want[i].to_start ? utc(want[i].to_start) : 0);
		assert_int_equal(c->seen_ms, 0); /* first load */
		assert_ptr_equal(board_change_for(b, want[i].id), c);
	}
	/* notices: those with a text, in order */
	assert_int_equal(b->n_notices, 2);
	assert_int_equal(sum.notices, 2);
	assert_string_equal(b->notices[0].text, "Lunch is served at Le Méridien from 12:30");
	assert_string_equal(b->notices[1].text,
			    "Closing keynote at 17:40 in the Amphithéâtre Bleu");
	assert_int_equal(b->notices[0].n_zones + b->notices[0].n_screens, 0); /* every screen */
	assert_int_equal(b->version, 3);

	/* the same document again: first seen stays 0; one more change later
	 * is stamped with the moment it arrived */
	struct text t = fixture("kiosk/server-schedule.json");
	const char *needle = "\"not an object\"";
	char *at = strstr(t.buf, needle);
	assert_non_null(at);
	const char *extra = "{\"session\":\"4184\",\"title\":\"TripleO: review policy\",\"kind\":"
			    "\"moved\",\"from\":{\"room\":\"Salle 243\",\"start\":"
			    "\"2014-11-06T09:00:00Z\"},\"to\":{\"room\":\"Salle 251\",\"start\":"
			    "\"2014-11-06T09:00:00Z\"}}";
	size_t len = t.len - strlen(needle) + strlen(extra);
	char *doc = malloc(len + 1);
	assert_non_null(doc);
	size_t head = (size_t)(at - t.buf);
	memcpy(doc, t.buf, head);
	memcpy(doc + head, extra, strlen(extra));
	memcpy(doc + head + strlen(extra), at + strlen(needle), t.len - head - strlen(needle));
	doc[len] = '\0';
	struct feed_error e = {{0}};
	assert_true(board_load(b, doc, len, NULL, NOW_MS + 120000, &sum, &e));
	assert_int_equal(b->n_changes, 5);
	assert_int_equal(sum.new_changes, 1);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(b->changes[i].seen_ms, 0);
	assert_int_equal(b->changes[4].seen_ms, NOW_MS + 120000);
	assert_string_equal(b->changes[4].to_room, "Salle 251");
	free(doc);
	free(t.buf);
	board_destroy(b);
}

static void test_zone_from_caller(void **state)
{
	(void)state;
	/* a feed that names no zone: the configured one is the conference's */
	const char *doc = "{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"x\"},"
			  "\"rooms\":[{\"id\":\"a\",\"name\":\"A\"}],\"sessions\":[{\"id\":\"1\","
			  "\"title\":\"t\",\"room\":\"a\",\"start\":\"2014-11-06T09:00:00Z\","
			  "\"end\":\"2014-11-06T10:00:00Z\"}]}";
	struct board *b = board_create();
	assert_non_null(b);
	struct feed_error e = {{0}};
	assert_true(board_load(b, doc, strlen(doc), "America/Montreal", NOW_MS, NULL, &e));
	assert_string_equal(b->zone_name, "America/Montreal");
	assert_non_null(b->zone);
	assert_true(board_load(b, doc, strlen(doc), NULL, NOW_MS, NULL, &e));
	assert_string_equal(b->zone_name, "UTC");
	board_destroy(b);
	/* the demo names its own */
	b = loaded(DEMO "paris-2014.schedule.json", NOW_MS);
	assert_string_equal(b->zone_name, "Europe/Paris");
	board_destroy(b);
}

/* Notices for zones or screens show only on those screens, and only
 * between their start and end at the board's clock. */
static void test_notice_targets(void **state)
{
	(void)state;
	static const char doc[] =
		"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"T\","
		"\"timezone\":\"Europe/Paris\"},\"rooms\":[],\"sessions\":[],\"version\":12,"
		"\"notices\":["
		"{\"id\":1,\"text\":\"everyone\"},"
		"{\"id\":2,\"text\":\"level 2\",\"zones\":[\"level-2\"]},"
		"{\"id\":3,\"text\":\"hall b\",\"screens\":[\"hall-b\"]},"
		"{\"id\":4,\"text\":\"level 2 or hall b\",\"zones\":[\"level-2\"],\"screens\":"
		"[\"hall-b\"]},"
		"{\"id\":5,\"text\":\"morning\",\"start\":\"2014-11-06T08:00:00+01:00\","
		"\"end\":\"2014-11-06T12:00:00+01:00\"},"
		"{\"id\":6,\"text\":\"from noon\",\"start\":\"2014-11-06T11:00:00Z\"},"
		"{\"id\":7,\"text\":\"level 3 until 10:00\",\"zones\":[\"level-3\"],\"end\":"
		"\"2014-11-06T10:00:00+01:00\"},"
		"{\"id\":8,\"text\":\"odd zones\",\"zones\":[3,\"level-3\"]}]}";
	struct board *b = board_create();
	struct feed_error e = {{0}};
	assert_true(board_load(b, doc, sizeof(doc) - 1, NULL, 0, NULL, &e));
	assert_int_equal(b->n_notices, 8);
	assert_int_equal(b->version, 12);
	struct fleet_identity nobody = {0},
			      l2 = {.screen = "palais-l2-east", .zones = {"level-2"}, .n_zones = 1};
	struct fleet_identity hall = {.screen = "hall-b"},
			      l3 = {.screen = "l3", .zones = {"level-0", "level-3"}, .n_zones = 2};
	enum { AT_0930 = 0, AT_1130 = 7200, AT_1200 = 9000 }; /* seconds after 09:30 */
	const struct {
		const struct fleet_identity *who;
		int64_t at;
		const char *shown; /* the ids shown, in order */
	} cases[] = {
		{NULL, AT_0930, "15"},    {&nobody, AT_0930, "15"}, {&l2, AT_0930, "1245"},
		{&hall, AT_0930, "1345"}, {&l3, AT_0930, "1578"},   {&l3, AT_1130, "158"},
		{&l2, AT_1200, "1246"},   {&hall, AT_1200, "1346"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char got[16] = "";
		size_t n = 0;
		for (size_t k = 0; k < b->n_notices; k++)
			if (board_notice_shown(&b->notices[k], cases[i].who,
					       1415262600000LL + cases[i].at * 1000LL))
				got[n++] = (char)('1' + k);
		if (strcmp(got, cases[i].shown) != 0)
			fail_msg("case %zu: notices %s shown, want %s", i, got, cases[i].shown);
	}
	board_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_first_load),
		cmocka_unit_test(test_demo_changes_seen_now),
		cmocka_unit_test(test_demo_changes_on_first_load),
		cmocka_unit_test(test_bad_feed_leaves_board),
		cmocka_unit_test(test_server_document),
		cmocka_unit_test(test_zone_from_caller),
		cmocka_unit_test(test_notice_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
