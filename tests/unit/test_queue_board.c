/* Unit tests for queue_board: JSON Lines and venueboard-server's document
 * give the same estimates, each sample is taken once however often it is
 * delivered, the chart's history, until_ms, refusals that change nothing,
 * the queue filter, the trend, and the next hour: the server's forecast
 * (fresh, stale, withdrawn, bad points, refused documents) and the board's
 * own, learned from earlier days and room counts. Samples come from
 * lunch_sim. */
#include "test_util.h"

#include "civil_time.h"
#include "lunch_advice.h"
#include "lunch_sim.h"
#include "queue_board.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_MS = 60000 };

static const int64_t START_MS = 1415271600000LL; /* 2014-11-06T11:00:00Z, lunch_sim's */
static const int64_t ALL = INT64_MAX;

/* The samples of r with from_ms <= t <= to_ms (declarations always, like the
 * server's ?since= answer), as JSON Lines or as the server's document. */
static struct test_buf body(const struct sim_result *r, int64_t from_ms, int64_t to_ms, bool server)
{
	struct test_buf b = {0};
	if (server)
		test_buf_puts(&b, "{\"t\":\"2014-11-06T13:30:00Z\",\"queues\":[{\"queue\":"
				  "\"meridien-lunch\",\"wait_s\":null,\"people\":null,"
				  "\"confidence\":\"none\"}],\"samples\":[");
	bool first = true;
	for (size_t i = 0; i < r->n_samples; i++) {
		const struct queue_sample *s = &r->samples[i];
		if (s->type != SAMPLE_QUEUE && (s->t_ms < from_ms || s->t_ms > to_ms))
			continue;
		char line[QUEUE_LINE_MAX];
		size_t n = queue_sample_format(s, line, sizeof(line));
		assert_true(n > 0);
		if (server && !first)
			test_buf_puts(&b, ",");
		test_buf_put(&b, line, n);
		if (!server)
			test_buf_puts(&b, "\n");
		first = false;
	}
	if (server)
		test_buf_puts(&b, "]}");
	return b;
}

static size_t timed(const struct sim_result *r, int64_t from_ms, int64_t to_ms)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_samples; i++)
		n += r->samples[i].type != SAMPLE_QUEUE && r->samples[i].t_ms >= from_ms &&
		     r->samples[i].t_ms <= to_ms;
	return n;
}

static struct queue_board *board(void)
{
	struct queue_board *qb = queue_board_create(NULL, 0);
	assert_non_null(qb);
	return qb;
}

static struct queue_load_summary take(struct queue_board *qb, const struct test_buf *b,
				      int64_t until)
{
	struct queue_load_summary sum;
	struct feed_error e = {{0}};
	if (!queue_board_load(qb, b->p, b->len, until, &sum, &e))
		fail_msg("load: %s", e.msg);
	return sum;
}

/* The two boards show the same thing for every queue. */
static void same_view(const struct queue_board *a, const struct queue_board *b)
{
	assert_int_equal(queue_board_count(a), queue_board_count(b));
	for (size_t i = 0; i < queue_board_count(a); i++) {
		const struct queue_view *x = queue_board_get(a, i), *y = queue_board_get(b, i);
		assert_string_equal(x->id, y->id);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->now.known, y->now.known);
		assert_int_equal(x->now.confidence, y->now.confidence);
		if (x->now.wait_s != y->now.wait_s || x->now.people != y->now.people)
			fail_msg("%s: wait %.3f s / %.3f people, want %.3f s / %.3f people", x->id,
				 y->now.wait_s, y->now.people, x->now.wait_s, x->now.people);
		assert_int_equal(x->trend, y->trend);
		assert_int_equal(x->history_end_ms, y->history_end_ms);
		for (int k = 0; k < QUEUE_BOARD_HISTORY; k++)
			if (x->history[k] != y->history[k])
				fail_msg("%s: history[%d] %.1f, want %.1f", x->id, k, y->history[k],
					 x->history[k]);
		const struct queue_forecast *f = &x->forecast, *g = &y->forecast;
		assert_int_equal(f->have, g->have);
		assert_int_equal(f->source, g->source);
		assert_int_equal(f->made_ms, g->made_ms);
		assert_int_equal(f->n, g->n);
		for (size_t k = 0; k < f->n; k++) {
			/* field by field: a struct's padding is not part of it */
			const struct queue_forecast_point *u = &f->points[k], *v = &g->points[k];
			if (u->at_ms != v->at_ms || u->known != v->known ||
			    u->withheld != v->withheld ||
			    (u->known && (u->wait_s != v->wait_s || u->low_s != v->low_s ||
					  u->high_s != v->high_s)))
				fail_msg("%s: forecast point %zu differs (%.1f s, want %.1f s)",
					 x->id, k, v->wait_s, u->wait_s);
		}
	}
}

static void test_fixture_lines(void **state)
{
	(void)state;
	/* the contract examples of tests/data/queue_sample, one file */
	struct test_buf b = {0};
	for (int i = 1; i <= 7; i++) {
		char rel[64];
		size_t len;
		snprintf(rel, sizeof(rel), "queue_sample/seed-%d.jsonl", i);
		char *t = test_fixture(rel, &len);
		test_buf_put(&b, t, len);
		free(t);
	}
	struct queue_board *qb = board();
	struct queue_load_summary sum = take(qb, &b, ALL);
	assert_int_equal(sum.samples, 7);
	assert_int_equal(sum.duplicates, 1); /* the occupancy line twice */
	assert_int_equal(sum.applied, 6);
	assert_int_equal(sum.skipped, 0);
	assert_int_equal(sum.queues, 1);
	assert_int_equal(sum.newest_ms, START_MS);
	assert_int_equal(queue_board_newest_ms(qb), START_MS);
	queue_board_update(qb, START_MS + 30000);
	const struct queue_view *v = queue_board_get(qb, 0);
	assert_non_null(v);
	assert_null(queue_board_get(qb, 1));
	assert_string_equal(v->id, "meridien-lunch");
	assert_string_equal(v->name, "Le Méridien — déjeuner");
	assert_string_equal(v->venue, "Le Méridien");
	/* an unknown type is skipped, not fatal */
	const char *odd = "{\"type\":\"temperature\",\"queue\":\"meridien-lunch\",\"t\":"
			  "\"2014-11-06T11:01:00Z\",\"celsius\":21}\n";
	struct feed_error e = {{0}};
	assert_true(queue_board_load(qb, odd, strlen(odd), ALL, &sum, &e));
	assert_int_equal(sum.skipped, 1);
	assert_int_equal(sum.applied, 0);
	queue_board_destroy(qb);
	queue_board_destroy(NULL);
	free(b.p);
}

static void test_lines_and_server_doc_agree(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 3);
	struct test_buf lines = body(&r, 0, ALL, false), doc = body(&r, 0, ALL, true);
	static const int at_min[] = {25, 40, 75, 149};
	for (size_t i = 0; i < sizeof(at_min) / sizeof(*at_min); i++) {
		int64_t until = START_MS + at_min[i] * MIN_MS;
		struct queue_board *a = board(), *b = board();
		struct queue_load_summary sa = take(a, &lines, until), sb = take(b, &doc, until);
		assert_int_equal(sa.samples, sb.samples);
		assert_int_equal(sa.applied, sb.applied);
		assert_int_equal(sa.applied, timed(&r, 0, until) + 1);
		queue_board_update(a, until);
		queue_board_update(b, until);
		const struct queue_view *v = queue_board_get(a, 0);
		assert_true(v->now.known);
		assert_int_equal(v->now.confidence, CONFIDENCE_GOOD);
		same_view(a, b);
		queue_board_destroy(a);
		queue_board_destroy(b);
	}
	free(lines.p);
	free(doc.p);
	lunch_sim_finish(&r);
}

static void test_same_body_twice(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 4);
	int64_t until = START_MS + 45 * MIN_MS;
	struct test_buf doc = body(&r, 0, until, true);
	struct queue_board *once = board(), *twice = board();
	take(once, &doc, ALL);
	take(twice, &doc, ALL);
	struct queue_load_summary again = take(twice, &doc, ALL);
	assert_int_equal(again.duplicates, timed(&r, 0, until) + 1); /* the declaration too */
	if (again.applied != 0)
		fail_msg("the same body again applied %zu samples", again.applied);
	queue_board_update(once, until);
	queue_board_update(twice, until);
	same_view(once, twice);
	queue_board_destroy(once);
	queue_board_destroy(twice);
	free(doc.p);
	lunch_sim_finish(&r);
}

/* A day fetched as a kiosk does: ?since= a minute before the newest sample
 * it holds, every 5 minutes; optionally updating the screen in between. */
static void fetch_in_chunks(const struct sim_result *r, int64_t end_ms, bool update,
			    struct queue_board *qb)
{
	int64_t newest = 0;
	for (int64_t to = START_MS + 5 * MIN_MS;; to += 5 * MIN_MS) {
		if (to > end_ms)
			to = end_ms;
		int64_t from = newest ? newest - MIN_MS : 0;
		struct test_buf doc = body(r, from, to, true);
		struct queue_load_summary sum = take(qb, &doc, ALL);
		if (newest) /* the overlap is recognised */
			assert_true(sum.duplicates > 0);
		newest = queue_board_newest_ms(qb);
		assert_true(newest <= to);
		if (update)
			queue_board_update(qb, to);
		free(doc.p);
		if (to == end_ms)
			break;
	}
}

static void test_overlapping_chunks(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 5);
	int64_t end = START_MS + 97 * MIN_MS + 20000;
	struct test_buf all = body(&r, 0, end, false);
	struct queue_board *whole = board(), *chunked = board();
	take(whole, &all, ALL);
	fetch_in_chunks(&r, end, false, chunked);
	queue_board_update(whole, end);
	queue_board_update(chunked, end);
	same_view(whole, chunked);
	queue_board_destroy(chunked);

	/* the screen redrawn between fetches, at each fetch's time */
	chunked = board();
	fetch_in_chunks(&r, end, true, chunked);
	queue_board_update(chunked, end);
	same_view(whole, chunked);
	queue_board_destroy(chunked);
	queue_board_destroy(whole);
	free(all.p);
	lunch_sim_finish(&r);
}

/* Staff close two stations (a "stations" sample); the kiosk's next fetch
 * repeats the queue's declaration, as the server's answers always do. The
 * stations open are still those of the later sample. */
static void test_redelivered_declaration_keeps_stations(void **state)
{
	(void)state;
	struct sim_config c;
	lunch_sim_defaults(&c);
	c.seed = 6;
	c.closed_from_s = 30 * 60;
	c.closed_to_s = 70 * 60;
	c.closed_stations = 2;
	c.closure_announced = true;
	struct sim_result r;
	assert_true(lunch_sim_run(&c, &r));
	size_t n_stations = 0;
	for (size_t i = 0; i < r.n_samples; i++)
		n_stations += r.samples[i].type == SAMPLE_STATIONS;
	assert_true(n_stations >= 1); /* the closure is announced */
	int64_t end = START_MS + 50 * MIN_MS;
	struct test_buf all = body(&r, 0, end, true);
	struct queue_board *once = board(), *chunked = board();
	take(once, &all, ALL);
	fetch_in_chunks(&r, end, false, chunked);
	queue_board_update(once, end);
	queue_board_update(chunked, end);
	same_view(once, chunked);
	queue_board_destroy(once);
	queue_board_destroy(chunked);
	free(all.p);
	lunch_sim_finish(&r);
}

static void test_history(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 7);
	struct test_buf doc = body(&r, 0, ALL, true);
	struct queue_board *qb = board();
	int64_t now = START_MS + 30 * MIN_MS + 15000;
	take(qb, &doc, now);
	queue_board_update(qb, now);
	const struct queue_view *v = queue_board_get(qb, 0);
	assert_int_equal(v->history_end_ms, START_MS + 30 * MIN_MS);
	/* the last hour by minute: nothing before 11:00, a wait from 11:00 on
	 * (the first samples are at 11:00:00 sharp) */
	int before = 0, after = 0;
	for (int k = 0; k < QUEUE_BOARD_HISTORY; k++) {
		int64_t back = QUEUE_BOARD_HISTORY - 1 - k;
		int64_t minute = v->history_end_ms - back * MIN_MS;
		if (minute < START_MS) {
			if (v->history[k] != -1.0f)
				fail_msg("history[%d] (before any sample) is %.1f", k,
					 v->history[k]);
			before++;
		} else {
			if (v->history[k] < 0)
				fail_msg("history[%d] (%d min after the start) is unknown", k,
					 (int)((minute - START_MS) / MIN_MS));
			after++;
		}
	}
	assert_int_equal(after, 31);
	assert_int_equal(before, 29);
	/* the surge fills the line: the chart's last point is the longest */
	float top = 0;
	for (int k = 0; k < QUEUE_BOARD_HISTORY; k++)
		top = v->history[k] > top ? v->history[k] : top;
	assert_true(top > 300);
	/* two hours later, the whole hour is known */
	take(qb, &doc, now + 120 * MIN_MS);
	queue_board_update(qb, now + 120 * MIN_MS);
	v = queue_board_get(qb, 0);
	assert_int_equal(v->history_end_ms, START_MS + 150 * MIN_MS);
	for (int k = 0; k < QUEUE_BOARD_HISTORY; k++)
		assert_true(v->history[k] >= 0);
	queue_board_destroy(qb);
	free(doc.p);
	lunch_sim_finish(&r);
}

static void test_until(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 8);
	struct test_buf doc = body(&r, 0, ALL, true);
	int64_t cut = START_MS + 32 * MIN_MS + 7000, end = START_MS + 90 * MIN_MS;
	struct queue_board *qb = board(), *whole = board();
	struct queue_load_summary sum = take(qb, &doc, cut);
	assert_int_equal(sum.applied, timed(&r, 0, cut) + 1);
	assert_true(sum.newest_ms <= cut);
	assert_true(sum.newest_ms > cut - 20000);
	/* a screenshot of 11:32 does not know 11:33 */
	struct queue_board *peek = board();
	take(peek, &doc, cut);
	queue_board_update(peek, cut);
	assert_int_equal(queue_board_get(peek, 0)->history_end_ms, START_MS + 32 * MIN_MS);
	queue_board_destroy(peek);
	/* the rest comes with a later load */
	sum = take(qb, &doc, end);
	assert_int_equal(sum.applied, timed(&r, cut + 1, end)); /* not the declaration again */
	take(whole, &doc, end);
	queue_board_update(qb, end);
	queue_board_update(whole, end);
	same_view(whole, qb);
	queue_board_destroy(qb);
	queue_board_destroy(whole);
	free(doc.p);
	lunch_sim_finish(&r);
}

static void test_invalid_body_changes_nothing(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 9);
	int64_t t1 = START_MS + 30 * MIN_MS, t2 = START_MS + 60 * MIN_MS;
	struct test_buf first = body(&r, 0, t1, false);
	struct queue_board *qb = board(), *ref = board();
	take(qb, &first, ALL);
	take(ref, &first, ALL);
	queue_board_update(qb, t1);
	queue_board_update(ref, t1);

	/* the next half hour, with one broken line in the middle */
	struct test_buf next = body(&r, t1 + 1, t2, false);
	char *mid = next.p + next.len / 2;
	while (*mid != '\n')
		mid++;
	mid++;
	size_t at = (size_t)(mid - next.p);
	struct test_buf bad = {0};
	test_buf_put(&bad, next.p, at);
	test_buf_puts(&bad, "{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"out\","
			    "\"role\":\"sideways\",\"t\":\"2014-11-06T11:45:00Z\",\"total\":3}\n");
	size_t bad_line = 1;
	for (size_t i = 0; i < at; i++)
		bad_line += next.p[i] == '\n';
	test_buf_put(&bad, mid, next.len - at);
	struct feed_error e = {{0}};
	struct queue_load_summary sum = {0};
	assert_false(queue_board_load(qb, bad.p, bad.len, ALL, &sum, &e));
	char where[32];
	snprintf(where, sizeof(where), "sample %zu", bad_line);
	if (!strstr(e.msg, where))
		fail_msg("'%s' does not name %s", e.msg, where);
	assert_int_equal(queue_board_newest_ms(qb), queue_board_newest_ms(ref));
	queue_board_update(qb, t1);
	queue_board_update(ref, t1);
	same_view(ref, qb);
	/* nothing of it was taken: the good body later takes every line */
	sum = take(qb, &next, ALL);
	assert_int_equal(sum.applied, timed(&r, t1 + 1, t2)); /* not the declaration again */
	take(ref, &next, ALL);
	queue_board_update(qb, t2);
	queue_board_update(ref, t2);
	same_view(ref, qb);

	/* the server's document refused whole too */
	static const char *const docs[] = {
		"{\"t\":\"2014-11-06T12:00:00Z\",\"queues\":[]}",
		"{\"t\":\"2014-11-06T12:00:00Z\",\"queues\":[],\"samples\":{}}",
		"{\"samples\":[{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"out\","
		"\"role\":\"exit\",\"t\":\"2014-11-06T12:10:00Z\",\"total\":9999},{\"type\":"
		"\"count\"}]}",
		"{\"samples\":[",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		e.msg[0] = '\0';
		if (queue_board_load(qb, docs[i], strlen(docs[i]), ALL, NULL, &e))
			fail_msg("document %zu was taken", i);
		assert_true(e.msg[0] != '\0');
		assert_int_equal(queue_board_newest_ms(qb), queue_board_newest_ms(ref));
	}
	assert_true(queue_board_load(qb, docs[2], strlen(docs[2]), ALL, NULL, &e) == false);
	assert_non_null(strstr(e.msg, "sample 2"));
	queue_board_update(qb, t2);
	same_view(ref, qb);
	queue_board_destroy(qb);
	queue_board_destroy(ref);
	free(first.p);
	free(next.p);
	free(bad.p);
	lunch_sim_finish(&r);
}

/* One sample line, as a sensor or a script writes it: no final newline. */
static void test_single_line(void **state)
{
	(void)state;
	const char *line = "{\"type\":\"queue\",\"queue\":\"palais-cafe\",\"name\":\"Café\","
			   "\"venue\":\"Palais\",\"stations\":2,\"service_s\":20}";
	struct queue_board *qb = board();
	struct feed_error e = {{0}};
	struct queue_load_summary sum = {0};
	if (!queue_board_load(qb, line, strlen(line), ALL, &sum, &e))
		fail_msg("a one-line JSON Lines body without a final newline is refused: %s",
			 e.msg);
	assert_int_equal(sum.queues, 1);
	queue_board_destroy(qb);
}

static void test_only_filter(void **state)
{
	(void)state;
	struct sim_config c;
	lunch_sim_defaults(&c);
	struct sim_result a, b;
	assert_true(lunch_sim_run(&c, &a));
	c.queue = "palais-cafe";
	c.name = "Palais — café";
	c.venue = "Palais des Congrès";
	c.seed = 2;
	assert_true(lunch_sim_run(&c, &b));
	struct test_buf doc = body(&a, 0, ALL, false), other = body(&b, 0, ALL, false);
	test_buf_put(&doc, other.p, other.len);
	const char *only[] = {"palais-cafe", "no-such-queue"};
	struct queue_board *qb = queue_board_create(only, 2), *all = board(), *alone = board();
	assert_non_null(qb);
	struct queue_load_summary sum = take(qb, &doc, ALL);
	assert_int_equal(sum.queues, 1);
	assert_int_equal(sum.applied, timed(&b, 0, ALL) + 1);
	assert_int_equal(queue_board_count(qb), 1);
	sum = take(all, &doc, ALL);
	assert_int_equal(sum.queues, 2);
	take(alone, &other, ALL);
	int64_t now = START_MS + 40 * MIN_MS;
	queue_board_update(qb, now);
	queue_board_update(alone, now);
	queue_board_update(all, now);
	assert_string_equal(queue_board_get(qb, 0)->id, "palais-cafe");
	assert_string_equal(queue_board_get(qb, 0)->name, "Palais — café");
	same_view(alone, qb); /* the other queue does not disturb it */
	queue_board_destroy(qb);
	queue_board_destroy(all);
	queue_board_destroy(alone);
	free(doc.p);
	free(other.p);
	lunch_sim_finish(&a);
	lunch_sim_finish(&b);
}

static void test_trend(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 1);
	struct test_buf doc = body(&r, 0, ALL, false);
	/* the keynote lets out at 11:20 UTC: the line grows for a quarter of an
	 * hour, then four stations work it down */
	static const struct {
		int min;
		enum trend want;
	} cases[] = {
		{5, TREND_UNKNOWN}, /* not ten minutes of history yet */
		{30, TREND_RISING},  {33, TREND_RISING},  {60, TREND_FALLING},
		{70, TREND_FALLING}, {140, TREND_STEADY}, /* the trickle */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int64_t now = START_MS + cases[i].min * MIN_MS;
		struct queue_board *qb = board();
		take(qb, &doc, now);
		queue_board_update(qb, now);
		const struct queue_view *v = queue_board_get(qb, 0);
		if (v->trend != cases[i].want)
			fail_msg("11:00 + %d min: trend %d (wait %.0f s, 10 min before %.0f s), "
				 "want %d",
				 cases[i].min, v->trend, v->now.wait_s,
				 v->history[QUEUE_BOARD_HISTORY - 1 - QUEUE_BOARD_TREND_MIN],
				 cases[i].want);
		queue_board_destroy(qb);
	}
	free(doc.p);
	lunch_sim_finish(&r);
}

/* ---- the next hour ---------------------------------------------------------- */

static const int64_t T_1110 = START_MS + 10 * MIN_MS; /* 12:10 in Paris */

/* A server document: queues (the "queues" array's inside) and r's samples. */
static struct test_buf server_doc(const char *queues, const struct sim_result *r, int64_t to_ms)
{
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"t\":\"2014-11-06T11:10:00Z\",\"queues\":[");
	test_buf_puts(&b, queues);
	test_buf_puts(&b, "],\"samples\":[");
	struct test_buf s = body(r, 0, to_ms, false);
	for (char *p = s.p; p && *p; p++) /* JSON Lines to array elements */
		if (*p == '\n')
			*p = p[1] ? ',' : ' ';
	test_buf_puts(&b, s.p);
	test_buf_puts(&b, "]}");
	free(s.p);
	return b;
}

/* One queue's entry with a forecast made at t of twelve points at 11:15,
 * 11:20 ... 12:10: wait 60 s x (k + 1), low half of it, high twice. */
static void forecast_entry(char *out, size_t cap, const char *t, const char *point_last)
{
	size_t o = (size_t)snprintf(out, cap,
				    "{\"queue\":\"meridien-lunch\",\"wait_s\":30,"
				    "\"forecast\":{\"t\":\"%s\",\"days_learned\":3,"
				    "\"points\":[",
				    t);
	for (int k = 0; k < 12; k++) {
		char at[21];
		civil_format_utc((T_1110 + (k + 1) * 5 * MIN_MS) / 1000, at);
		o += (size_t)snprintf(out + o, cap - o,
				      "{\"at\":\"%s\",\"wait_s\":%d,\"low_s\":%d,\"high_s\":%d},",
				      at, 60 * (k + 1), 30 * (k + 1), 120 * (k + 1));
	}
	snprintf(out + o, cap - o, "%s]}}", point_last);
}

static struct queue_load_summary take_doc(struct queue_board *qb, const char *queues,
					  const struct sim_result *r, int64_t until)
{
	struct test_buf doc = server_doc(queues, r, T_1110);
	struct queue_load_summary sum = take(qb, &doc, until);
	free(doc.p);
	return sum;
}

/* A forecast the server withholds (its record worse than "it stays as it
 * is"): null points and "withheld". The screen has no forecast to show — no
 * line, band, tip — but knows why; the same points without "withheld" are
 * merely unknown. */
static void test_server_forecast_withheld(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 10);
	char entry[4096];
	size_t o =
		(size_t)snprintf(entry, sizeof(entry),
				 "{\"queue\":\"meridien-lunch\",\"wait_s\":30,\"forecast\":{\"t\":"
				 "\"2014-11-06T11:10:00Z\",\"days_learned\":3,\"withheld\":true,"
				 "\"points\":[");
	for (int k = 0; k < 12; k++) {
		char at[21];
		civil_format_utc((T_1110 + (k + 1) * 5 * MIN_MS) / 1000, at);
		o += (size_t)snprintf(
			entry + o, sizeof(entry) - o,
			"%s{\"at\":\"%s\",\"wait_s\":null,\"low_s\":null,\"high_s\":null}",
			k ? "," : "", at);
	}
	snprintf(entry + o, sizeof(entry) - o, "]}}");
	struct queue_board *qb = board();
	take_doc(qb, entry, &r, ALL);
	queue_board_update(qb, T_1110);
	const struct queue_view *v = queue_board_get(qb, 0);
	assert_false(v->forecast.have);
	assert_true(v->forecast.withheld);
	assert_int_equal(v->forecast.source, FORECAST_SERVER);
	struct lunch_advice_state st;
	lunch_advice_state_init(&st);
	struct lunch_advice a;
	const struct queue_view *views[] = {v};
	struct lunch_advice_input in = {views, 1, NULL, NULL, 0, T_1110};
	lunch_advice_decide(&in, &st, &a);
	assert_int_equal(a.lines[0].n_items, 0);
	assert_int_equal(a.lines[0].tip, LUNCH_TIP_NONE);
	queue_board_destroy(qb);
	/* without "withheld": unknown, not withheld */
	char *w = strstr(entry, "\"withheld\":true,");
	memmove(w, w + 16, strlen(w + 16) + 1);
	qb = board();
	take_doc(qb, entry, &r, ALL);
	queue_board_update(qb, T_1110);
	assert_false(queue_board_get(qb, 0)->forecast.withheld);
	queue_board_destroy(qb);
	lunch_sim_finish(&r);
}

static void test_server_forecast(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 10);
	char entry[4096];
	forecast_entry(entry, sizeof(entry), "2014-11-06T11:10:00Z",
		       "{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":null,\"low_s\":null,"
		       "\"high_s\":null}");
	struct queue_board *qb = board();
	struct queue_load_summary sum = take_doc(qb, entry, &r, ALL);
	assert_int_equal(sum.forecasts, 1);
	assert_int_equal(sum.bad_points, 0);
	queue_board_update(qb, T_1110);
	const struct queue_forecast *f = &queue_board_get(qb, 0)->forecast;
	assert_true(f->have);
	assert_int_equal(f->source, FORECAST_SERVER);
	assert_int_equal(f->made_ms, T_1110);
	assert_int_equal(f->days_learned, 3);
	assert_int_equal(f->n, 13);
	assert_int_equal(f->points[0].at_ms, T_1110 + 5 * MIN_MS);
	assert_true(f->points[2].known);
	assert_true(f->points[2].wait_s == 180 && f->points[2].low_s == 90 &&
		    f->points[2].high_s == 360);
	assert_false(f->points[12].known); /* null: unknown, still a point */

	/* seven minutes on: the 11:15 point is past and not shown */
	queue_board_update(qb, T_1110 + 7 * MIN_MS);
	assert_int_equal(f->n, 12);
	assert_int_equal(f->points[0].at_ms, T_1110 + 10 * MIN_MS);
	/* fifteen minutes old: shown; a moment more: the board's own instead */
	queue_board_update(qb, T_1110 + 15 * MIN_MS);
	assert_int_equal(f->source, FORECAST_SERVER);
	queue_board_update(qb, T_1110 + 15 * MIN_MS + 1000);
	if (f->source == FORECAST_SERVER)
		fail_msg("a server forecast 15 min 1 s old is still shown");
	assert_true(f->source == FORECAST_LOCAL || !f->have);
	if (f->have) /* worked out now, from the next five minutes on */
		assert_int_equal(f->made_ms, T_1110 + 15 * MIN_MS + 1000);

	/* the server lists the queue without a forecast: it has none any more */
	queue_board_update(qb, T_1110);
	assert_int_equal(f->source, FORECAST_SERVER);
	sum = take_doc(qb, "{\"queue\":\"meridien-lunch\",\"wait_s\":30}", &r, ALL);
	assert_int_equal(sum.forecasts, 0);
	queue_board_update(qb, T_1110);
	assert_true(f->source != FORECAST_SERVER);
	/* ... and a document that does not list it keeps what it had */
	take_doc(qb, entry, &r, ALL);
	take_doc(qb, "", &r, ALL);
	queue_board_update(qb, T_1110);
	assert_int_equal(f->source, FORECAST_SERVER);
	queue_board_destroy(qb);

	/* a screenshot of 11:05 does not take a forecast made at 11:10 */
	qb = board();
	sum = take_doc(qb, entry, &r, T_1110 - 5 * MIN_MS);
	assert_int_equal(sum.forecasts, 0);
	queue_board_update(qb, T_1110 - 5 * MIN_MS);
	assert_true(queue_board_get(qb, 0)->forecast.source != FORECAST_SERVER);
	queue_board_destroy(qb);
	lunch_sim_finish(&r);
}

/* The server's answer as SERVER.md shows it (tests/data/kiosk): the
 * forecast taken, its alert (for the organizer desk) passed over, the room
 * count taken for the forecaster. */
static void test_server_fixture(void **state)
{
	(void)state;
	size_t len;
	char *doc = test_fixture("kiosk/queues-forecast.json", &len);
	struct queue_board *qb = board();
	struct feed_error e = {{0}};
	struct queue_load_summary sum;
	if (!queue_board_load(qb, doc, len, ALL, &sum, &e))
		fail_msg("queues-forecast.json: %s", e.msg);
	assert_int_equal(sum.samples, 6);
	assert_int_equal(sum.applied, 6);
	assert_int_equal(sum.forecasts, 1);
	assert_int_equal(sum.bad_points, 0);
	queue_board_update(qb, T_1110 + 12 * MIN_MS);
	const struct queue_forecast *f = &queue_board_get(qb, 0)->forecast;
	assert_int_equal(f->source, FORECAST_SERVER);
	assert_int_equal(f->days_learned, 3);
	assert_int_equal(f->n, 10); /* 11:15 and 11:20 are past */
	assert_true(f->points[2].known && f->points[2].wait_s == 1980);
	assert_false(f->points[7].known);
	queue_board_destroy(qb);
	free(doc);
}

/* Points that do not read are left out, each counted; the rest is shown. */
static void test_server_forecast_bad_points(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 11);
	static const char *const bad[] = {
		"7",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":\"60\",\"low_s\":30,\"high_s\":90}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":-1,\"low_s\":-2,\"high_s\":90}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":60,\"low_s\":70,\"high_s\":90}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":60,\"low_s\":30,\"high_s\":50}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":60,\"low_s\":null,\"high_s\":90}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":1e9,\"low_s\":30,\"high_s\":2e9}",
		"{\"at\":\"2014-11-06T12:15:00Z\",\"low_s\":30,\"high_s\":90}",
		"{\"at\":\"12:15\",\"wait_s\":60,\"low_s\":30,\"high_s\":90}",
		"{\"at\":\"2014-11-06T12:10:00Z\",\"wait_s\":60,\"low_s\":30,\"high_s\":90}",
		"{\"at\":\"2014-11-06T17:15:00Z\",\"wait_s\":60,\"low_s\":30,\"high_s\":90}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char entry[4096];
		forecast_entry(entry, sizeof(entry), "2014-11-06T11:10:00Z", bad[i]);
		struct queue_board *qb = board();
		struct queue_load_summary sum = take_doc(qb, entry, &r, ALL);
		if (sum.bad_points != 1)
			fail_msg("point '%s': %zu bad points counted, want 1", bad[i],
				 sum.bad_points);
		queue_board_update(qb, T_1110);
		const struct queue_forecast *f = &queue_board_get(qb, 0)->forecast;
		assert_int_equal(f->source, FORECAST_SERVER);
		assert_int_equal(f->n, 12); /* the good ones */
		queue_board_destroy(qb);
	}
	/* a forecast only of bad points is none: the board's own is shown */
	char entry[512];
	snprintf(entry, sizeof(entry),
		 "{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"2014-11-06T11:10:00Z\","
		 "\"points\":[%s,%s]}}",
		 bad[1], bad[2]);
	struct queue_board *qb = board();
	assert_int_equal(take_doc(qb, entry, &r, ALL).bad_points, 2);
	queue_board_update(qb, T_1110);
	assert_true(queue_board_get(qb, 0)->forecast.source != FORECAST_SERVER);
	queue_board_destroy(qb);
	lunch_sim_finish(&r);
}

/* A document whose forecasts do not read is refused whole, naming the field,
 * and the board keeps what it had, the server's earlier forecast too. */
static void test_server_forecast_refused(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 12);
	char good[4096], many[8192];
	forecast_entry(good, sizeof(good), "2014-11-06T11:10:00Z",
		       "{\"at\":\"2014-11-06T12:15:00Z\",\"wait_s\":1,\"low_s\":1,\"high_s\":1}");
	size_t o = (size_t)snprintf(many, sizeof(many),
				    "{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":"
				    "\"2014-11-06T11:10:00Z\",\"points\":[");
	for (int k = 0; k < QUEUE_BOARD_FORECAST_MAX + 1; k++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s{}", k ? "," : "");
	snprintf(many + o, sizeof(many) - o, "]}}");
	char queues65[65 * 40 + 1] = "";
	for (int k = 0, p = 0; k < 65; k++)
		p += snprintf(queues65 + p, sizeof(queues65) - (size_t)p, "%s{\"queue\":\"q%d\"}",
			      k ? "," : "", k);
	static const struct {
		const char *queues, *field;
	} cases[] = {
		{"{\"queue\":\"meridien-lunch\",\"forecast\":[]}",
		 "queues[0].forecast: not an object"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"points\":[]}}",
		 "queues[0].forecast.t"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"soon\",\"points\":[]}}",
		 "queues[0].forecast.t"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"2014-11-06T11:10:00Z\"}}",
		 "queues[0].forecast.points: not an array"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"2014-11-06T11:10:00Z\","
		 "\"days_learned\":-1,\"points\":[]}}",
		 "queues[0].forecast.days_learned"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"2014-11-06T11:10:00Z\","
		 "\"days_learned\":1.5,\"points\":[]}}",
		 "queues[0].forecast.days_learned"},
		{"{\"queue\":\"meridien-lunch\",\"forecast\":{\"t\":\"2014-11-06T11:10:00Z\","
		 "\"days_learned\":\"3\",\"points\":[]}}",
		 "queues[0].forecast.days_learned"},
		{"{\"queue\":\"x\"},3", "queues[1].queue"},
		{"{\"queue\":\"\"}", "queues[0].queue"},
		{"{\"queue\":7}", "queues[0].queue"},
		{NULL, "queues[0].forecast.points: more than 24"},
		{NULL, "queues: more than 64"},
	};
	struct queue_board *qb = board(), *ref = board();
	take_doc(qb, good, &r, ALL);
	take_doc(ref, good, &r, ALL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *queues = cases[i].queues ? cases[i].queues : i == 10 ? many : queues65;
		struct test_buf doc = server_doc(queues, &r, T_1110 + 30 * MIN_MS);
		struct feed_error e = {{0}};
		if (queue_board_load(qb, doc.p, doc.len, ALL, NULL, &e))
			fail_msg("case %zu was taken", i);
		if (!strstr(e.msg, cases[i].field))
			fail_msg("case %zu: '%s' does not name %s", i, e.msg, cases[i].field);
		free(doc.p);
	}
	struct test_buf notarray = {0};
	test_buf_puts(&notarray, "{\"queues\":{},\"samples\":[]}");
	struct feed_error e = {{0}};
	assert_false(queue_board_load(qb, notarray.p, notarray.len, ALL, NULL, &e));
	assert_non_null(strstr(e.msg, "queues: not an array"));
	free(notarray.p);
	queue_board_update(qb, T_1110);
	queue_board_update(ref, T_1110);
	same_view(ref, qb); /* the samples of 11:10-11:40 were not taken either */
	assert_int_equal(queue_board_get(qb, 0)->forecast.source, FORECAST_SERVER);
	queue_board_destroy(qb);
	queue_board_destroy(ref);
	lunch_sim_finish(&r);
}

/* The board's own forecast: the demo summit's four days with room counts,
 * read up to Thursday 12:10, foresee the lunch wave from the three days
 * before; the same from a server document that sends no forecast. */
static void test_local_forecast(void **state)
{
	(void)state;
	size_t len;
	char *demo = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct schedule *s = test_parse(demo, NULL);
	free(demo);
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	assert_true(lunch_sim_conference_scenario("conference-rooms", &c));
	struct sim_result r;
	assert_true(lunch_sim_conference_run(&c, &r));
	assert_int_equal(r.n_days, 4);
	size_t rooms = 0;
	for (size_t i = 0; i < r.n_samples; i++)
		rooms += r.samples[i].type == SAMPLE_ROOM;
	assert_true(rooms > 0);
	struct test_buf lines = body(&r, 0, ALL, false), doc = body(&r, 0, ALL, true);
	struct queue_board *qb = board(), *other = board();
	queue_board_set_schedule(qb, s);
	queue_board_set_schedule(other, s);
	struct queue_load_summary sum = take(qb, &lines, T_1110);
	/* room counts are taken (for the forecaster), each declaration once */
	assert_int_equal(sum.samples, r.n_samples);
	assert_int_equal(sum.applied, timed(&r, 0, T_1110) + 1);
	assert_int_equal(sum.queues, 1);
	take(other, &doc, T_1110);
	queue_board_update(qb, T_1110);
	queue_board_update(other, T_1110);
	same_view(qb, other);
	const struct queue_view *v = queue_board_get(qb, 0);
	const struct queue_forecast *f = &v->forecast;
	assert_true(v->now.known);
	assert_true(f->have);
	assert_int_equal(f->source, FORECAST_LOCAL);
	assert_int_equal(f->days_learned, 3);
	assert_int_equal(f->made_ms, T_1110);
	assert_int_equal(f->n, QUEUE_BOARD_FORECAST_POINTS);
	/* the multiples of five minutes in (12:10, 13:10] */
	for (size_t k = 0; k < f->n; k++)
		assert_int_equal(f->points[k].at_ms, T_1110 + (int64_t)(k + 1) * 5 * MIN_MS);
	/* the wave after the lunch opens at 12:30, seen before a soul is in line */
	size_t peak = 0;
	for (size_t k = 0; k < f->n; k++) {
		assert_true(f->points[k].known);
		assert_true(f->points[k].low_s <= f->points[k].wait_s &&
			    f->points[k].wait_s <= f->points[k].high_s);
		if (f->points[k].wait_s > f->points[peak].wait_s)
			peak = k;
	}
	if (v->now.wait_s > 120 || f->points[peak].wait_s < 600)
		fail_msg("12:10: now %.0f s, peak %.0f s: the wave is not foreseen", v->now.wait_s,
			 f->points[peak].wait_s);
	int64_t peak_at = f->points[peak].at_ms;

	assert_true(peak_at >= T_1110 + 20 * MIN_MS && peak_at <= T_1110 + 50 * MIN_MS);
	/* worked out once a minute: 40 s on, the same; a minute on, again */
	queue_board_update(qb, T_1110 + 40000);
	assert_int_equal(f->made_ms, T_1110);
	assert_int_equal(f->n, QUEUE_BOARD_FORECAST_POINTS);
	queue_board_update(qb, T_1110 + 60000);
	assert_int_equal(f->made_ms, T_1110 + 60000);
	/* a new schedule: worked out again at once */
	queue_board_set_schedule(qb, s);
	queue_board_update(qb, T_1110 + 61000);
	assert_int_equal(f->made_ms, T_1110 + 61000);
	queue_board_destroy(qb);
	queue_board_destroy(other);
	free(lines.p);
	free(doc.p);
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_lines),
		cmocka_unit_test(test_lines_and_server_doc_agree),
		cmocka_unit_test(test_same_body_twice),
		cmocka_unit_test(test_overlapping_chunks),
		cmocka_unit_test(test_redelivered_declaration_keeps_stations),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_until),
		cmocka_unit_test(test_invalid_body_changes_nothing),
		cmocka_unit_test(test_single_line),
		cmocka_unit_test(test_only_filter),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_server_forecast),
		cmocka_unit_test(test_server_forecast_withheld),
		cmocka_unit_test(test_server_fixture),
		cmocka_unit_test(test_server_forecast_bad_points),
		cmocka_unit_test(test_server_forecast_refused),
		cmocka_unit_test(test_local_forecast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
