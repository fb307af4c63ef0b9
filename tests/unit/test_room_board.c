/* Unit tests for room_board: the server's answer read, each count judged
 * again at the kiosk's clock (a stale one never FULL), a steward's mark
 * until its end, absurd counts, the caps, bodies that do not read (refused
 * whole, naming the field, the last good one kept), since when a room is
 * full, and where a full room sends people. */
#include "test_util.h"

#include "kiosk_config.h"
#include "room_board.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2014-11-06 11:05:00Z (12:05 in Paris) */
static const int64_t T = 1415271900000LL;
enum { S = 1000, MIN = 60000 };

/* Rooms A (track Cloud), B (Cloud), C (Ops), D (no session now), E the
 * overflow room (Cloud), all with sessions 10:50-11:30Z but D. */
static const char SCHEDULE[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"T\",\"timezone\":"
	"\"Europe/Paris\"},\"rooms\":[{\"id\":\"a\",\"name\":\"Salle 252A\"},{\"id\":\"b\","
	"\"name\":\"Salle 251\"},{\"id\":\"c\",\"name\":\"Salle 241\",\"capacity\":100},{\"id\":"
	"\"d\",\"name\":\"Salle 242AB\"},{\"id\":\"e\",\"name\":\"Salle 243\"}],\"sessions\":["
	"{\"id\":\"1\",\"title\":\"Keystone federation\",\"room\":\"a\",\"start\":"
	"\"2014-11-06T10:50:00Z\",\"end\":\"2014-11-06T11:30:00Z\",\"track\":\"Cloud\"},"
	"{\"id\":\"2\",\"title\":\"Nova cells\",\"room\":\"b\",\"start\":\"2014-11-06T10:50:00Z\","
	"\"end\":\"2014-11-06T11:30:00Z\",\"track\":\"Cloud\"},"
	"{\"id\":\"3\",\"title\":\"Logging\",\"room\":\"c\",\"start\":\"2014-11-06T10:50:00Z\","
	"\"end\":\"2014-11-06T11:30:00Z\",\"track\":\"Ops\"},"
	"{\"id\":\"4\",\"title\":\"Later\",\"room\":\"d\",\"start\":\"2014-11-06T13:00:00Z\","
	"\"end\":\"2014-11-06T13:40:00Z\",\"track\":\"Cloud\"},"
	"{\"id\":\"5\",\"title\":\"Stream of A\",\"room\":\"e\",\"start\":\"2014-11-06T10:50:00Z\","
	"\"end\":\"2014-11-06T11:30:00Z\",\"track\":\"Cloud\"}]}";

/* One room of a /v1/rooms body. people < 0: null; counted NULL: none. */
static void room(struct test_buf *b, const char *name, int people, int capacity, const char *state,
		 const char *counted, const char *extra)
{
	char line[1024], p[16] = "null", c[16] = "null", at[64] = "";
	if (people >= 0)
		snprintf(p, sizeof(p), "%d", people);
	if (capacity > 0)
		snprintf(c, sizeof(c), "%d", capacity);
	if (counted)
		snprintf(at, sizeof(at), ",\"counted_at\":\"%s\"", counted);
	snprintf(line, sizeof(line),
		 "%s{\"room\":\"%s\",\"people\":%s,\"capacity\":%s,\"state\":\"%s\"%s%s}",
		 b->p[b->len - 1] == '[' ? "" : ",", name, p, c, state, at, extra ? extra : "");
	test_buf_puts(b, line);
}

static struct room_board *load(const char *body)
{
	struct room_board *rb = room_board_create();
	assert_non_null(rb);
	struct feed_error e = {{0}};
	if (!room_board_load(rb, body, strlen(body), NULL, &e))
		fail_msg("room_board_load: %s", e.msg);
	return rb;
}

static const struct room_view *view(const struct room_board *rb, const char *name)
{
	const struct room_view *v = room_board_find(rb, name);
	if (!v)
		fail_msg("no view of %s", name);
	return v;
}

/* The server's example (feeds/SERVER.md, Rooms), judged at the kiosk's clock. */
static void test_judged_at_the_kiosk_clock(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"t\":\"2014-11-06T11:05:00Z\",\"rooms\":[");
	room(&b, "Salle 241", 400, 400, "full", "2014-11-06T11:05:00Z",
	     ",\"id\":\"salle-241\",\"fill\":1,\"source\":\"sensor\",\"since\":"
	     "\"2014-11-06T11:05:00Z\",\"session\":{\"id\":\"4247\",\"title\":\"Cinder\","
	     "\"start\":\"2014-11-06T10:50:00Z\",\"end\":\"2014-11-06T11:30:00Z\"}");
	room(&b, "Salle 251", 215, 250, "filling", "2014-11-06T11:04:30Z", NULL);
	room(&b, "Salle 243", 40, 250, "open", "2014-11-06T11:04:00Z", NULL);
	room(&b, "Salle 242AB", -1, 300, "open", "2014-11-06T10:40:00Z",
	     ",\"why\":\"count unavailable: older than 3 minutes\"");
	room(&b, "Le Méridien — Salon Arc", -1, -1, "open", NULL, ",\"why\":\"no count\"");
	test_buf_puts(&b, "]}");
	struct room_board *rb = load(b.p);
	assert_int_equal(room_board_count(rb), 5);
	room_board_update(rb, NULL, NULL, T + 30 * S);
	const struct room_view *v = view(rb, "salle 241"); /* case and accents aside */
	assert_int_equal(v->state, ROOM_FULL);
	assert_int_equal(v->fill_pct, 100);
	assert_false(v->by_steward);
	assert_true(view(rb, "salle-241") == v); /* by id */
	v = view(rb, "Salle 251");
	assert_int_equal(v->state, ROOM_FILLING);
	assert_int_equal(v->fill_pct, 86);
	v = view(rb, "Salle 243");
	assert_int_equal(v->state, ROOM_OPEN);
	assert_int_equal(v->fill_pct, 16);
	v = view(rb, "Salle 242AB"); /* the server said stale: no fill */
	assert_false(v->fill.usable);
	assert_true(v->counted);
	assert_int_equal(v->fill_pct, -1);
	v = view(rb, "Le Meridien Salon Arc");
	assert_false(v->counted);
	assert_int_equal(v->state, ROOM_OPEN);
	assert_null(room_board_find(rb, "Salle 999"));

	/* the server still called 241's count fresh; on this screen, 3 minutes
	 * later, it is not: no fill, never FULL */
	room_board_update(rb, NULL, NULL, T + 3 * MIN + 1 * S);
	v = view(rb, "Salle 241");
	assert_int_equal(v->state, ROOM_OPEN);
	assert_false(v->fill.usable);
	assert_int_equal(v->fill_pct, -1);
	assert_int_equal(v->full_since_ms, 0);
	assert_non_null(strstr(v->fill.why, "older than 3 minutes"));
	/* ... nor one dated far ahead of this screen's clock */
	room_board_update(rb, NULL, NULL, T - 10 * MIN);
	assert_int_equal(view(rb, "Salle 241")->state, ROOM_OPEN);
	room_board_destroy(rb);
	free(b.p);
}

static void test_steward_until(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"rooms\":[");
	/* no count, a steward says FULL until 11:30 */
	room(&b, "Salle 252A", -1, 250, "full", NULL,
	     ",\"source\":\"steward\",\"mark\":{\"change\":4,\"by\":\"alice\",\"at\":"
	     "\"2026-11-27T10:31:02Z\",\"until\":\"2014-11-06T11:30:00Z\"}");
	/* a camera says full, a steward says open until 11:20 */
	room(&b, "Salle 251", 260, 250, "open", "2014-11-06T11:05:00Z",
	     ",\"source\":\"steward\",\"mark\":{\"until\":\"2014-11-06T11:20:00Z\"}");
	test_buf_puts(&b, "]}");
	struct room_board *rb = load(b.p);
	room_board_update(rb, NULL, NULL, T + 10 * S);
	const struct room_view *a = view(rb, "Salle 252A"), *c = view(rb, "Salle 251");
	assert_int_equal(a->state, ROOM_FULL);
	assert_true(a->by_steward);
	assert_false(a->fill.usable);
	assert_int_equal(c->state, ROOM_OPEN); /* the steward over the camera */
	assert_true(c->by_steward);
	assert_true(c->fill.usable);
	/* 11:29:59: still; 11:30: the session ended, and the mark with it */
	room_board_update(rb, NULL, NULL, 1415273399000LL);
	assert_int_equal(a->state, ROOM_FULL);
	room_board_update(rb, NULL, NULL, 1415273400000LL);
	assert_int_equal(a->state, ROOM_OPEN);
	assert_false(a->by_steward);
	/* 251 after its mark: the camera's count, if still fresh, would say full;
	 * by 11:20 it is 15 minutes old */
	room_board_update(rb, NULL, NULL, 1415272800000LL);
	assert_false(c->by_steward);
	assert_int_equal(c->state, ROOM_OPEN);
	room_board_destroy(rb);
	free(b.p);
}

static void test_absurd_counts_and_seats(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"rooms\":[");
	room(&b, "Salle 252A", 600, 250, "open", "2014-11-06T11:05:00Z", NULL); /* > 2 x seats */
	room(&b, "Salle 241", 95, -1, "open", "2014-11-06T11:05:00Z",
	     NULL); /* seats from the schedule */
	room(&b, "Salle 243", 240, -1, "open", "2014-11-06T11:05:00Z",
	     NULL); /* from the configuration */
	room(&b, "Salle 251", 77, -1, "open", "2014-11-06T11:05:00Z", NULL); /* nobody knows */
	test_buf_puts(&b, "]}");
	struct room_board *rb = load(b.p);
	struct schedule *s = test_parse(SCHEDULE, NULL);
	struct kiosk_config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	kiosk_config_defaults(cfg);
	struct feed_error e;
	assert_true(kiosk_config_set(cfg, "capacity", "salle 243 240", &e));
	room_board_update(rb, s, cfg, T + 20 * S);
	const struct room_view *v = view(rb, "Salle 252A");
	assert_int_equal(v->state, ROOM_OPEN);
	assert_false(v->fill.usable);
	assert_non_null(strstr(v->fill.why, "twice the seats"));
	v = view(rb, "Salle 241");
	assert_int_equal(v->state, ROOM_FILLING); /* 95 of the schedule's 100 */
	assert_int_equal(v->fill.capacity, 100);
	v = view(rb, "Salle 243");
	assert_int_equal(v->state, ROOM_FULL); /* 240 of the configuration's 240 */
	v = view(rb, "Salle 251");
	assert_true(v->fill.usable);
	assert_int_equal(v->fill.people, 77);
	assert_int_equal(v->fill_pct, -1);
	assert_int_equal(v->state, ROOM_OPEN);
	room_board_destroy(rb);
	schedule_destroy(s);
	free(cfg);
	free(b.p);
}

/* Bodies that do not read: refused whole, the field named, the last good
 * board kept as it was. */
static void test_refused_whole(void **state)
{
	(void)state;
	struct room_board *rb = load("{\"rooms\":[{\"room\":\"Salle 241\",\"people\":400,"
				     "\"capacity\":400,\"state\":\"full\",\"counted_at\":"
				     "\"2014-11-06T11:05:00Z\"}]}");
	static char long_name[300];
	memset(long_name, 'x', 200);
	char long_doc[600];
	snprintf(long_doc, sizeof(long_doc), "{\"rooms\":[{\"room\":\"%s\"}]}", long_name);
	const struct {
		const char *doc, *needle;
	} bad[] = {
		{"", "line 1"},
		{"{\"rooms\":[{\"room\":\"A\"", "line 1"},
		{"[]", "rooms: missing"},
		{"{\"rooms\":{}}", "rooms: missing"},
		{"{\"queues\":[]}", "rooms: missing"},
		{"{\"rooms\":[3]}", "rooms[0]: not an object"},
		{"{\"rooms\":[{\"people\":3}]}", "rooms[0].room: missing"},
		{"{\"rooms\":[{\"room\":\"\"}]}", "rooms[0].room: not a name"},
		{"{\"rooms\":[{\"room\":7}]}", "rooms[0].room: not a name"},
		{"{\"rooms\":[{\"room\":\"A\"},{\"room\":\"B\",\"people\":\"lots\"}]}",
		 "rooms[1] (B).people: not a whole number from 0 to 100000"},
		{"{\"rooms\":[{\"room\":\"A\",\"people\":-1,\"counted_at\":\"2014-11-06T11:05:00Z\"}]}",
		 "(A).people"},
		{"{\"rooms\":[{\"room\":\"A\",\"people\":100001,\"counted_at\":\"2014-11-06T11:05:00Z\"}]}",
		 "(A).people"},
		{"{\"rooms\":[{\"room\":\"A\",\"people\":1.5,\"counted_at\":\"2014-11-06T11:05:00Z\"}]}",
		 "(A).people"},
		{"{\"rooms\":[{\"room\":\"A\",\"people\":10}]}", "(A).counted_at: missing"},
		{"{\"rooms\":[{\"room\":\"A\",\"capacity\":100001}]}", "(A).capacity"},
		{"{\"rooms\":[{\"room\":\"A\",\"counted_at\":\"yesterday\"}]}",
		 "(A).counted_at: not a time"},
		{"{\"rooms\":[{\"room\":\"A\",\"state\":\"packed\"}]}",
		 "(A).state: not open, filling or full"},
		{"{\"rooms\":[{\"room\":\"A\",\"mark\":{\"by\":\"alice\"}}]}",
		 "(A).mark.until: missing"},
		{"{\"rooms\":[{\"room\":\"A\",\"mark\":[]}]}", "(A).mark: not an object"},
		{"{\"rooms\":[{\"room\":\"A\",\"since\":12}]}", "(A).since: not a time"},
		{"{\"rooms\":[{\"room\":\"A\\u0000B\"}]}", "NUL"},
		{"{\"rooms\":[{\"room\":\"A\\nB\"}]}", "rooms[0].room: not one line"},
		{"{\"rooms\":[{\"room\":\"A\",\"id\":[]}]}", "(A).id: not a name"},
		{long_doc, "rooms[0].room: longer than 160 bytes"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct feed_error e = {{0}};
		if (room_board_load(rb, bad[i].doc, strlen(bad[i].doc), NULL, &e))
			fail_msg("case %zu was read: %s", i, bad[i].doc);
		if (!strstr(e.msg, bad[i].needle))
			fail_msg("case %zu: '%s' does not say '%s'", i, e.msg, bad[i].needle);
	}
	/* the last good one stays */
	assert_int_equal(room_board_count(rb), 1);
	room_board_update(rb, NULL, NULL, T);
	assert_int_equal(view(rb, "Salle 241")->state, ROOM_FULL);
	room_board_destroy(rb);
}

/* n rooms "Room i", each with people of 10 seats. */
static char *many_rooms(int n, int people)
{
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"rooms\":[");
	for (int i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "Room %d", i);
		room(&b, name, people, 10, "open", "2014-11-06T11:05:00Z", NULL);
	}
	test_buf_puts(&b, "]}");
	return b.p;
}

static void test_caps(void **state)
{
	(void)state;
	struct room_board *rb = room_board_create();
	char *doc = many_rooms(ROOM_BOARD_MAX_ROOMS + 1, 1);
	struct feed_error e = {{0}};
	assert_false(room_board_load(rb, doc, strlen(doc), NULL, &e));
	assert_non_null(strstr(e.msg, "more than 2000 rooms"));
	assert_false(room_board_loaded(rb));
	free(doc);
	/* 2000 read, every one full, judged with their alternatives */
	doc = many_rooms(ROOM_BOARD_MAX_ROOMS, 10);
	struct room_board_summary sum;
	assert_true(room_board_load(rb, doc, strlen(doc), &sum, &e));
	assert_int_equal(sum.rooms, 2000);
	room_board_update(rb, NULL, NULL, T);
	assert_int_equal(room_board_get(rb, 1999)->state, ROOM_FULL);
	assert_null(room_board_get(rb, 1999)->alternative); /* none has a session now */
	assert_null(room_board_get(rb, 2000));
	/* larger than the body cap */
	assert_false(room_board_load(rb, doc, ROOM_BOARD_MAX_BODY + 1, NULL, &e));
	assert_non_null(strstr(e.msg, "larger than 8 MiB"));
	assert_int_equal(room_board_count(rb), 2000);
	room_board_destroy(rb);
	free(doc);
}

/* A full room sends people to a room of its track with seats, else the
 * emptiest room with a session now, else its overflow room. */
static void test_alternatives(void **state)
{
	(void)state;
	struct schedule *s = test_parse(SCHEDULE, NULL);
	struct kiosk_config *cfg = calloc(1, sizeof(*cfg));
	assert_non_null(cfg);
	kiosk_config_defaults(cfg);
	struct feed_error e;
	assert_true(kiosk_config_set(cfg, "overflow", "\"Salle 252A\" \"Salle 243\"", &e));
	static const struct {
		int b, c,
			e; /* people in 251 (Cloud), 241 (Ops), 243 (Cloud, the overflow); -1 none */
		const char *alt; /* NULL: nowhere */
		enum room_alt_kind kind;
	} cases[] = {
		{40, 10, 200, "Salle 251", ROOM_ALT_TRACK}, /* its track, though 241 is emptier */
		{40, 10, 30, "Salle 243", ROOM_ALT_TRACK},  /* the emptier of its track */
		{220, 10, 249, "Salle 241",
		 ROOM_ALT_EMPTIEST},                          /* its track filling: another track */
		{-1, 10, -1, "Salle 241", ROOM_ALT_EMPTIEST}, /* no count in its track */
		{250, 90, -1, "Salle 243", ROOM_ALT_OVERFLOW}, /* everything filling or full */
		{-1, -1, -1, "Salle 243", ROOM_ALT_OVERFLOW},  /* no counts at all */
		{-1, -1, 250, NULL, ROOM_ALT_NONE},            /* the overflow room full too */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct test_buf b = {0};
		test_buf_puts(&b, "{\"rooms\":[");
		room(&b, "Salle 252A", 250, 250, "full", "2014-11-06T11:05:00Z", NULL);
		room(&b, "Salle 251", cases[i].b, 250, "open",
		     cases[i].b >= 0 ? "2014-11-06T11:05:00Z" : NULL, NULL);
		room(&b, "Salle 241", cases[i].c, -1, "open",
		     cases[i].c >= 0 ? "2014-11-06T11:05:00Z" : NULL, NULL);
		room(&b, "Salle 243", cases[i].e, 250, "open",
		     cases[i].e >= 0 ? "2014-11-06T11:05:00Z" : NULL, NULL);
		/* an empty room with no session now is no place to send anyone */
		room(&b, "Salle 242AB", 0, 300, "open", "2014-11-06T11:05:00Z", NULL);
		test_buf_puts(&b, "]}");
		struct room_board *rb = load(b.p);
		room_board_update(rb, s, cfg, T + 5 * S);
		const struct room_view *v = view(rb, "Salle 252A");
		assert_int_equal(v->state, ROOM_FULL);
		if (!cases[i].alt ? v->alternative != NULL
				  : !v->alternative || strcmp(v->alternative, cases[i].alt) != 0)
			fail_msg("case %zu: alternative %s, want %s", i,
				 v->alternative ? v->alternative : "none",
				 cases[i].alt ? cases[i].alt : "none");
		assert_int_equal(v->alt_kind, cases[i].kind);
		assert_true(view(rb, "Salle 251")->session_now);
		assert_false(view(rb, "Salle 242AB")->session_now);
		room_board_destroy(rb);
		free(b.p);
	}
	schedule_destroy(s);
	free(cfg);
}

/* When a room became full: the server's word when it has one, else this
 * screen's first sight; kept across bodies; gone when it is no longer full. */
static void test_full_since(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"rooms\":[");
	room(&b, "Salle 241", 400, 400, "full", "2014-11-06T11:05:00Z",
	     ",\"since\":\"2014-11-06T11:02:00Z\"");
	room(&b, "Salle 243", 250, 250, "open", "2014-11-06T11:05:00Z", NULL); /* 243: the
	     kiosk's clock, the server had not judged it full */
	test_buf_puts(&b, "]}");
	struct room_board *rb = load(b.p);
	room_board_update(rb, NULL, NULL, T + 10 * S);
	assert_int_equal(view(rb, "Salle 241")->full_since_ms, T - 3 * MIN);
	assert_int_equal(view(rb, "Salle 243")->full_since_ms, T + 10 * S);
	room_board_update(rb, NULL, NULL, T + 40 * S);
	assert_int_equal(view(rb, "Salle 243")->full_since_ms, T + 10 * S);
	/* the next body, in another order: each room keeps its moment */
	struct test_buf b2 = {0};
	test_buf_puts(&b2, "{\"rooms\":[");
	room(&b2, "Salle 243", 250, 250, "full", "2014-11-06T11:06:00Z",
	     ",\"since\":\"2014-11-06T11:05:30Z\"");
	room(&b2, "Salle 241", 100, 400, "open", "2014-11-06T11:06:00Z", NULL);
	test_buf_puts(&b2, "]}");
	struct feed_error e;
	assert_true(room_board_load(rb, b2.p, b2.len, NULL, &e));
	room_board_update(rb, NULL, NULL, T + 70 * S);
	assert_int_equal(view(rb, "Salle 243")->full_since_ms, T + 10 * S);
	assert_int_equal(view(rb, "Salle 241")->full_since_ms, 0);
	room_board_destroy(rb);
	free(b.p);
	free(b2.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judged_at_the_kiosk_clock),
		cmocka_unit_test(test_steward_until),
		cmocka_unit_test(test_absurd_counts_and_seats),
		cmocka_unit_test(test_refused_whole),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_alternatives),
		cmocka_unit_test(test_full_since),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
