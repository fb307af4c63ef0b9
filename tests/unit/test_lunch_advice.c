/* Unit tests for lunch_advice, on hand-made views: the forecast line's
 * moments (a wave, a falling line, a flat one, unknown points), the tips at
 * the interval's edge and only while the catering is open, which sessions
 * are catering, and the shorter line (equal lines, missing walks, unknown
 * waits, overlapping intervals, the 10-minute rule across frames). */
#include "test_util.h"

#include "lunch_advice.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_MS = 60000 };

/* 2014-11-06, Europe/Paris is UTC+1: 12:40 local */
static const int64_t T_1240 = 1415274000000LL;
static const int64_t T_1400 = 1415278800000LL; /* the lunch's end */

/* Lunch at Le Méridien 12:30-14:00, a buffet on level 3 12:00-14:30, a
 * cancelled lunch and a talk. */
static const char SCHEDULE[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"T\","
	"\"timezone\":\"Europe/Paris\"},\"rooms\":["
	"{\"id\":\"dej\",\"name\":\"Le Méridien — Déjeuner\"},"
	"{\"id\":\"l3\",\"name\":\"Level 3 buffet hall\"},"
	"{\"id\":\"arc\",\"name\":\"Le Méridien — Salon Arc\"},"
	"{\"id\":\"s241\",\"name\":\"Salle 241\"}],"
	"\"sessions\":["
	"{\"id\":\"1\",\"title\":\"Déjeuner / Lunch\",\"type\":\"catering\",\"room\":\"dej\","
	"\"start\":\"2014-11-06T11:30:00Z\",\"end\":\"2014-11-06T13:00:00Z\"},"
	"{\"id\":\"2\",\"title\":\"Buffet\",\"room\":\"l3\","
	"\"start\":\"2014-11-06T11:00:00Z\",\"end\":\"2014-11-06T13:30:00Z\"},"
	"{\"id\":\"3\",\"title\":\"REPAS des orateurs\",\"room\":\"arc\",\"status\":\"cancelled\","
	"\"start\":\"2014-11-06T11:00:00Z\",\"end\":\"2014-11-06T15:00:00Z\"},"
	"{\"id\":\"4\",\"title\":\"Nova: cells v2\",\"room\":\"s241\","
	"\"start\":\"2014-11-06T11:00:00Z\",\"end\":\"2014-11-06T12:00:00Z\"}]}";

static struct schedule *schedule(void)
{
	return test_parse(SCHEDULE, NULL);
}

/* A line at now_ms: wait now (< 0: unknown) and twelve forecast waits at the
 * next multiples of five minutes (< 0: unknown point), each with an
 * interval of +-spread seconds (clamped at 0). */
static struct queue_view line(const char *id, const char *name, const char *venue, int64_t now_ms,
			      double now_s, const double waits[12], double spread)
{
	struct queue_view v;
	memset(&v, 0, sizeof(v));
	v.id = id;
	v.name = name;
	v.venue = venue;
	v.now.queue = id;
	v.now.known = now_s >= 0;
	v.now.wait_s = now_s;
	v.now.confidence = now_s >= 0 ? CONFIDENCE_GOOD : CONFIDENCE_NONE;
	v.now.why = "";
	for (int k = 0; waits && k < 12; k++) {
		struct queue_forecast_point *p = &v.forecast.points[v.forecast.n++];
		p->at_ms = (now_ms / (5 * MIN_MS) + 1 + k) * 5 * MIN_MS;
		p->known = waits[k] >= 0;
		if (!p->known)
			continue;
		p->wait_s = (float)waits[k];
		p->low_s = (float)(waits[k] > spread ? waits[k] - spread : 0);
		p->high_s = (float)(waits[k] + spread);
		v.forecast.have = true;
	}
	v.forecast.source = v.forecast.have ? FORECAST_LOCAL : FORECAST_NONE;
	v.forecast.made_ms = now_ms;
	return v;
}

static struct queue_view meridien(int64_t now_ms, double now_s, const double waits[12],
				  double spread)
{
	return line("meridien-lunch", "Le Méridien — déjeuner", "Le Méridien", now_ms, now_s, waits,
		    spread);
}

static struct lunch_advice decide(const struct queue_view *v, size_t n, const struct schedule *s,
				  const struct kiosk_walk *walks, size_t n_walks, int64_t now_ms,
				  struct lunch_advice_state *st)
{
	const struct queue_view *views[8];
	for (size_t i = 0; i < n; i++)
		views[i] = &v[i];
	struct lunch_advice_input in = {views, n, s, walks, n_walks, now_ms};
	struct lunch_advice out;
	lunch_advice_decide(&in, st, &out);
	return out;
}

static struct lunch_line_advice one(const struct queue_view *v, const struct schedule *s,
				    int64_t now_ms)
{
	struct lunch_advice_state st;
	lunch_advice_state_init(&st);
	return decide(v, 1, s, NULL, 0, now_ms, &st).lines[0];
}

/* ---- the forecast line ------------------------------------------------------ */

static void test_items(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		double now, waits[12];
		int n, at_step[2]; /* which points (by index), in order */
	} cases[] = {
		{"a wave: its peak, then the first point at half of it",
		 360,
		 {400, 600, 1080, 900, 600, 500, 300, 240, 200, 200, 200, 200},
		 2,
		 {2, 5}},
		{"a wave that does not pass within the hour: its (first) peak alone",
		 60,
		 {100, 200, 400, 800, 900, 950, 980, 990, 995, 999, 999, 999},
		 1,
		 {9}},
		{"a falling line: the first point at half of now",
		 1200,
		 {1100, 900, 700, 600, 500, 400, 300, 200, 100, 60, 60, 60},
		 1,
		 {3}},
		{"a flat line: where it is in an hour",
		 60,
		 {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 90},
		 1,
		 {11}},
		{"a peak 59 s above now is not a rise",
		 300,
		 {359, 330, 320, 310, 300, 300, 300, 300, 300, 300, 300, 300},
		 1,
		 {11}},
		{"a peak 60 s above now is",
		 300,
		 {360, 330, 320, 310, 300, 300, 300, 300, 300, 300, 300, 300},
		 1,
		 {0}},
		{"unknown points are passed over",
		 360,
		 {-1, 600, -1, 1080, -1, 900, -1, 500, -1, -1, -1, -1},
		 2,
		 {3, 7}},
		{"a quiet point is at most half the peak",
		 0,
		 {200, 101, 100, 90, 10, 10, 10, 10, 10, 10, 10, 10},
		 2,
		 {0, 2}},
		{"... and a minute below it",
		 0,
		 {100, 50, 41, 40, 30, 10, 10, 10, 10, 10, 10, 10},
		 2,
		 {0, 3}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct queue_view v = meridien(T_1240, cases[i].now, cases[i].waits, 60);
		struct lunch_line_advice a = one(&v, NULL, T_1240);
		if ((int)a.n_items != cases[i].n)
			fail_msg("%s: %zu items, want %d", cases[i].what, a.n_items, cases[i].n);
		for (int k = 0; k < cases[i].n; k++) {
			const struct queue_forecast_point *want =
				&v.forecast.points[cases[i].at_step[k]];
			if (a.items[k].at_ms != want->at_ms || a.items[k].wait_s != want->wait_s)
				fail_msg("%s: item %d is +%lld min %.0f s, want +%lld min",
					 cases[i].what, k,
					 (long long)((a.items[k].at_ms - T_1240) / MIN_MS),
					 a.items[k].wait_s,
					 (long long)((want->at_ms - T_1240) / MIN_MS));
		}
		assert_int_equal(a.tip, LUNCH_TIP_NONE); /* no schedule: no tip */
	}
	/* nothing to say without a wait now or without a forecast */
	static const double some[12] = {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60};
	static const double none[12] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
	struct queue_view v = meridien(T_1240, -1, some, 60);
	assert_int_equal(one(&v, NULL, T_1240).n_items, 0);
	v = meridien(T_1240, 60, none, 60);
	assert_int_equal(one(&v, NULL, T_1240).n_items, 0);
	v = meridien(T_1240, 60, NULL, 60);
	assert_int_equal(one(&v, NULL, T_1240).n_items, 0);
}

/* ---- when to go ------------------------------------------------------------- */

static void test_catering_end(void **state)
{
	(void)state;
	struct schedule *s = schedule();
	int64_t lunch_end = T_1400;
	static const double w[12] = {0};
	struct queue_view m = meridien(T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &m, T_1240), lunch_end);
	/* by the line's name when it has no venue, or the other way round */
	struct queue_view byname = line("x", "Le Méridien — déjeuner", "", T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &byname, T_1240), lunch_end);
	struct queue_view l3 = line("l3", "Level 3 buffet", "", T_1240, 60, w, 0);
	struct queue_view hall = line("l3", "Buffet", "Level 3 buffet hall", T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &l3, T_1240), lunch_end + 30 * MIN_MS);
	assert_int_equal(lunch_advice_catering_end(s, &hall, T_1240), lunch_end + 30 * MIN_MS);
	/* not open yet, already closed, at the very start and end */
	assert_int_equal(lunch_advice_catering_end(s, &m, T_1240 - 11 * MIN_MS), 0);
	assert_int_equal(lunch_advice_catering_end(s, &m, T_1240 - 10 * MIN_MS), lunch_end);
	assert_int_equal(lunch_advice_catering_end(s, &m, lunch_end - 1000), lunch_end);
	assert_int_equal(lunch_advice_catering_end(s, &m, lunch_end), 0);
	/* a cancelled meal, a talk, and no schedule: none */
	struct queue_view arc =
		line("arc", "Salon Arc", "Le Méridien — Salon Arc", T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &arc, T_1240), 0);
	struct queue_view talk = line("t", "Salle 241", "Salle 241", T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &talk, T_1240), 0);
	assert_int_equal(lunch_advice_catering_end(NULL, &m, T_1240), 0);
	struct queue_view nowhere = line("n", "", "", T_1240, 60, w, 0);
	assert_int_equal(lunch_advice_catering_end(s, &nowhere, T_1240), 0);
	schedule_destroy(s);
}

static void test_tips(void **state)
{
	(void)state;
	struct schedule *s = schedule();
	static const struct {
		const char *what;
		int64_t now;
		double now_s, spread, waits[12];
		enum lunch_tip tip;
		int at_step;
	} cases[] = {
		/* now 120 s: the margin is 180 s; the low end must pass 300 s */
		{"low end 300 s: at the margin, nothing",
		 T_1240,
		 120,
		 100,
		 {120, 200, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400},
		 LUNCH_TIP_NONE,
		 0},
		{"low end 301 s: best before that moment",
		 T_1240,
		 120,
		 100,
		 {120, 200, 401, 400, 400, 400, 400, 400, 400, 400, 400, 400},
		 LUNCH_TIP_BEST_BEFORE,
		 2},
		{"a wide interval overlapping now: nothing",
		 T_1240,
		 120,
		 1000,
		 {120, 600, 900, 1200, 1100, 900, 700, 400, 300, 200, 200, 200},
		 LUNCH_TIP_NONE,
		 0},
		/* now 900 s: the margin is 225 s; the high end must fall under 675 s */
		{"high end 675 s: at the margin, nothing",
		 T_1240,
		 900,
		 75,
		 {900, 800, 700, 600, 600, 600, 600, 600, 600, 600, 600, 600},
		 LUNCH_TIP_NONE,
		 0},
		{"high end 674 s: quieter after that moment",
		 T_1240,
		 900,
		 75,
		 {900, 800, 700, 599, 600, 600, 600, 600, 600, 600, 600, 600},
		 LUNCH_TIP_QUIETER_AFTER,
		 3},
		{"a line under 5 min is not long: no quieter",
		 T_1240,
		 299,
		 10,
		 {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10},
		 LUNCH_TIP_NONE,
		 0},
		{"the first of a rise and a fall wins",
		 T_1240,
		 900,
		 50,
		 {900, 500, 1500, 900, 900, 900, 900, 900, 900, 900, 900, 900},
		 LUNCH_TIP_QUIETER_AFTER,
		 1},
		{"before the lunch opens: nothing",
		 T_1240 - 20 * MIN_MS,
		 30,
		 30,
		 {30, 30, 30, 900, 1200, 900, 600, 300, 30, 30, 30, 30},
		 LUNCH_TIP_NONE,
		 0},
		{"a rise after the lunch closes: nothing",
		 T_1400 - 7 * MIN_MS,
		 30,
		 30,
		 {30, 30, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900},
		 LUNCH_TIP_NONE,
		 0},
		{"a rise the moment it closes counts",
		 T_1400 - 7 * MIN_MS,
		 30,
		 30,
		 {900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900},
		 LUNCH_TIP_BEST_BEFORE,
		 0},
		{"quieter only 15 min before it closes",
		 T_1400 - 22 * MIN_MS,
		 900,
		 30,
		 {900, 900, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
		 LUNCH_TIP_NONE,
		 0},
		{"quieter 15 min before it closes",
		 T_1400 - 22 * MIN_MS,
		 900,
		 30,
		 {900, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100},
		 LUNCH_TIP_QUIETER_AFTER,
		 1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct queue_view v =
			meridien(cases[i].now, cases[i].now_s, cases[i].waits, cases[i].spread);
		struct lunch_line_advice a = one(&v, s, cases[i].now);
		if (a.tip != cases[i].tip)
			fail_msg("%s: tip %d, want %d", cases[i].what, a.tip, cases[i].tip);
		if (a.tip && a.tip_ms != v.forecast.points[cases[i].at_step].at_ms)
			fail_msg("%s: at +%lld min", cases[i].what,
				 (long long)((a.tip_ms - cases[i].now) / MIN_MS));
		assert_true(a.n_items > 0); /* the forecast line is there, tip or not */
	}
	/* the same rise outside catering: a line whose venue has no meal */
	static const double rise[12] = {900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900};
	struct queue_view cafe =
		line("cafe", "Palais — café", "Palais des Congrès", T_1240, 30, rise, 30);
	assert_int_equal(one(&cafe, s, T_1240).tip, LUNCH_TIP_NONE);
	schedule_destroy(s);
}

/* ---- the shorter line ----------------------------------------------------------- */

static const double QUIET[12] = {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60};
static const double BUSY[12] = {900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900, 900};
static const struct kiosk_walk WALKS[] = {{"meridien-lunch", 2}, {"Level 3 buffet", 1}};

static struct queue_view buffet(int64_t now_ms, double now_s, const double waits[12], double spread)
{
	return line("level3-buffet", "Level 3 buffet", "Palais", now_ms, now_s, waits, spread);
}

static void test_shorter(void **state)
{
	(void)state;
	struct lunch_advice_state st;
	/* the buffet: 1 min + 1 min walk, at worst 2 + 1 + 1 (error, move);
	 * le Méridien: 15 + 2, at best 17 - 2.25 - 1 */
	struct queue_view v[3] = {meridien(T_1240, 900, BUSY, 60), buffet(T_1240, 60, QUIET, 60)};
	lunch_advice_state_init(&st);
	struct lunch_advice a = decide(v, 2, NULL, WALKS, 2, T_1240, &st);
	assert_true(a.shorter.named);
	assert_int_equal(a.shorter.line, 1); /* named by its name in the walk line */
	assert_int_equal(a.shorter.walk_min, 1);
	assert_true(a.shorter.wait_s == 60);
	assert_string_equal(st.named, "level3-buffet");
	assert_int_equal(st.changed_ms, T_1240);

	static const struct {
		const char *what;
		double m_now, m_spread, b_now, b_spread;
		size_t n_walks;
		bool named;
	} cases[] = {
		{"equal lines", 300, 60, 360, 60, 2, false},
		{"one line without a walk time", 900, 60, 60, 60, 1, false},
		{"an unknown wait", 900, 60, -1, 60, 2, false},
		{"wide intervals that overlap", 900, 700, 60, 600, 2, false},
		/* the buffet at worst: 60 + 60 + 60 (its error) + spread; le
		 * Méridien at best: 900 + 120 - 135 (its error) - spread */
		{"at the edge: worst equals best", 900, 300, 60, 405, 2, false},
		{"a second inside it", 900, 300, 60, 404, 2, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		v[0] = meridien(T_1240, cases[i].m_now, BUSY, cases[i].m_spread);
		v[1] = buffet(T_1240, cases[i].b_now, QUIET, cases[i].b_spread);
		lunch_advice_state_init(&st);
		a = decide(v, 2, NULL, WALKS, cases[i].n_walks, T_1240, &st);
		if (a.shorter.named != cases[i].named)
			fail_msg("%s: named %d, want %d", cases[i].what, a.shorter.named,
				 cases[i].named);
	}
	/* a line with a walk time but no forecast: half its wait either way */
	v[0] = meridien(T_1240, 900, NULL, 0);
	v[1] = buffet(T_1240, 60, NULL, 0);
	lunch_advice_state_init(&st);
	assert_true(decide(v, 2, NULL, WALKS, 2, T_1240, &st).shorter.named);
	v[0] = meridien(T_1240, 480, NULL, 0); /* 8 + 2 - 1.2 - 4 = 4.8 min; 1 + 1 + 1 + 3 = 6 */
	lunch_advice_state_init(&st);
	assert_false(decide(v, 2, NULL, WALKS, 2, T_1240, &st).shorter.named);
	/* a degraded count is less sure: 35 % of the wait, 2 min at least
	 * (le Méridien at best 200 + 120 - 60, then - 120; the buffet at worst
	 * 60 + 60 + 60, then + 120) */
	v[0] = meridien(T_1240, 200, BUSY, 0);
	v[1] = buffet(T_1240, 60, QUIET, 0);
	lunch_advice_state_init(&st);
	assert_true(decide(v, 2, NULL, WALKS, 2, T_1240, &st).shorter.named);
	v[1].now.confidence = CONFIDENCE_DEGRADED;
	v[0].now.confidence = CONFIDENCE_DEGRADED;
	lunch_advice_state_init(&st);
	assert_false(decide(v, 2, NULL, WALKS, 2, T_1240, &st).shorter.named);
	/* three lines: the best must beat each of the others */
	struct kiosk_walk three[] = {{"meridien-lunch", 2}, {"level3-buffet", 1}, {"cafe", 0}};
	v[0] = meridien(T_1240, 900, BUSY, 60);
	v[1] = buffet(T_1240, 60, QUIET, 60);
	v[2] = line("cafe", "Café", "Palais", T_1240, 120, QUIET, 60);
	lunch_advice_state_init(&st);
	assert_false(decide(v, 3, NULL, three, 3, T_1240, &st).shorter.named);
	v[2] = line("cafe", "Café", "Palais", T_1240, 900, BUSY, 60);
	lunch_advice_state_init(&st);
	a = decide(v, 3, NULL, three, 3, T_1240, &st);
	assert_true(a.shorter.named);
	assert_int_equal(a.shorter.line, 1);
}

/* The advice changes at most once per 10 minutes, across frames; a named
 * line that another now beats beyond doubt is withdrawn at once. */
static void test_ten_minute_rule(void **state)
{
	(void)state;
	struct lunch_advice_state st;
	lunch_advice_state_init(&st);
	struct queue_view v[2];
	int64_t t0 = T_1240;
	/* frame by frame: the buffet clearly shorter, then the lines equal */
	v[0] = meridien(t0, 900, BUSY, 60);
	v[1] = buffet(t0, 60, QUIET, 60);
	assert_true(decide(v, 2, NULL, WALKS, 2, t0, &st).shorter.named);
	v[0] = meridien(t0, 300, QUIET, 60);
	v[1] = buffet(t0, 300, QUIET, 60);
	for (int64_t t = t0 + 1000; t < t0 + 10 * MIN_MS; t += 1000) {
		struct lunch_advice a = decide(v, 2, NULL, WALKS, 2, t, &st);
		if (!a.shorter.named || a.shorter.line != 1)
			fail_msg("+%lld s: the advice changed within 10 minutes",
				 (long long)((t - t0) / 1000));
	}
	assert_false(decide(v, 2, NULL, WALKS, 2, t0 + 10 * MIN_MS, &st).shorter.named);
	assert_int_equal(st.changed_ms, t0 + 10 * MIN_MS);
	/* the buffet shorter again 2 minutes later: not before 10 more */
	int64_t t1 = t0 + 10 * MIN_MS;
	v[0] = meridien(t1, 900, BUSY, 60);
	v[1] = buffet(t1, 60, QUIET, 60);
	assert_false(decide(v, 2, NULL, WALKS, 2, t1 + 2 * MIN_MS, &st).shorter.named);
	assert_false(decide(v, 2, NULL, WALKS, 2, t1 + 10 * MIN_MS - 1, &st).shorter.named);
	assert_true(decide(v, 2, NULL, WALKS, 2, t1 + 10 * MIN_MS, &st).shorter.named);

	/* the named buffet now clearly longer than le Méridien: withdrawn at
	 * once, and le Méridien named only 10 minutes after that */
	int64_t t2 = t1 + 13 * MIN_MS;
	v[0] = meridien(t2, 60, QUIET, 60);
	v[1] = buffet(t2, 900, BUSY, 60);
	assert_false(decide(v, 2, NULL, WALKS, 2, t2, &st).shorter.named);
	assert_string_equal(st.named, "");
	assert_false(decide(v, 2, NULL, WALKS, 2, t2 + 9 * MIN_MS, &st).shorter.named);
	struct lunch_advice a = decide(v, 2, NULL, WALKS, 2, t2 + 10 * MIN_MS, &st);
	assert_true(a.shorter.named);
	assert_int_equal(a.shorter.line, 0);

	/* the named line loses its wait: withdrawn at once too */
	int64_t t3 = t2 + 11 * MIN_MS;
	v[0] = meridien(t3, -1, NULL, 0);
	assert_false(decide(v, 2, NULL, WALKS, 2, t3, &st).shorter.named);

	/* over an hour of lines that swap every 3 minutes, no two namings
	 * closer than 10 minutes */
	lunch_advice_state_init(&st);
	int64_t last_named = INT64_MIN;
	char was[QUEUE_ID_MAX + 1] = "";
	for (int64_t t = t0; t < t0 + 60 * MIN_MS; t += 15000) {
		bool swap = (t - t0) / (3 * MIN_MS) % 2;
		v[0] = meridien(t, swap ? 60 : 900, swap ? QUIET : BUSY, 60);
		v[1] = buffet(t, swap ? 900 : 60, swap ? BUSY : QUIET, 60);
		decide(v, 2, NULL, WALKS, 2, t, &st);
		if (strcmp(was, st.named) != 0 && st.named[0]) {
			if (last_named != INT64_MIN && t - last_named < 10 * MIN_MS)
				fail_msg("named again %lld s after the last",
					 (long long)((t - last_named) / 1000));
			last_named = t;
		}
		memcpy(was, st.named, sizeof(was));
	}
	assert_true(last_named != INT64_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_catering_end),
		cmocka_unit_test(test_tips),
		cmocka_unit_test(test_shorter),
		cmocka_unit_test(test_ten_minute_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
