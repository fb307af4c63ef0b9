/* Unit tests for wait_estimator: each sensor fault on its own, in a tiny
 * hand-made trace whose right answer is known. Queue: 2 stations, 60 s a
 * person, so the nominal rate is one person every 30 s. */
#include "test_util.h"

#include "queue_sample.h"
#include "wait_estimator.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const int64_t T0 = 1415271600000LL; /* 2014-11-06T11:00:00Z */

static void add_line(struct estimator *est, const char *line)
{
	struct queue_sample s;
	struct feed_error e;
	if (queue_sample_parse(line, strlen(line), &s, &e) != SAMPLE_OK)
		fail_msg("bad test line %s: %s", line, e.msg);
	if (!estimator_add(est, &s, &e))
		fail_msg("not added: %s", e.msg);
}

static void t_str(int sec, char buf[static 32])
{
	snprintf(buf, 32, "2014-11-06T11:%02d:%02dZ", sec / 60, sec % 60);
}

static void count(struct estimator *est, const char *sensor, const char *role, int sec, long total)
{
	char line[256], t[32];
	t_str(sec, t);
	snprintf(
		line, sizeof(line),
		"{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"%s\",\"role\":\"%s\",\"t\":\"%s\","
		"\"total\":%ld}",
		sensor, role, t, total);
	add_line(est, line);
}

static void occupancy(struct estimator *est, int sec, int people)
{
	char line[256], t[32];
	t_str(sec, t);
	snprintf(
		line, sizeof(line),
		"{\"type\":\"occupancy\",\"queue\":\"q\",\"sensor\":\"zone\",\"t\":\"%s\",\"people\":%d}",
		t, people);
	add_line(est, line);
}

static struct estimator *fresh(void)
{
	struct estimator *est = estimator_create();
	add_line(
		est,
		"{\"type\":\"queue\",\"queue\":\"q\",\"name\":\"Lunch\",\"stations\":2,\"service_s\":60}");
	count(est, "in", "entry", 0, 1000); /* baselines: counters were running */
	count(est, "out", "exit", 0, 500);
	return est;
}

static struct wait_estimate at(struct estimator *est, int sec)
{
	struct wait_estimate w;
	estimator_estimate(est, 0, T0 + sec * 1000LL, &w);
	return w;
}

static void test_counts_give_people_and_wait(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 15, 1010);
	count(est, "out", "exit", 15, 500);
	struct wait_estimate w = at(est, 15);
	assert_true(w.known);
	assert_string_equal(w.queue, "q");
	assert_true(fabs(w.people - 10) < 1e-9);
	/* 11 people to serve at one every 30 s (nominal, nothing learned yet),
	 * as the priors' median pace, both weighed alike: one trusting 60 s with
	 * 100 people's worth of belief, one doubting it with 4 */
	double each = (60.0 * 100 / (100 - 1.0 / 3) + 60.0 * 4 / (4 - 1.0 / 3)) / 2;
	double want = 11 * each / 2;
	if (fabs(w.wait_s - want) >= 1)
		fail_msg("wait %f (want %f) people %f", w.wait_s, want, w.people);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	estimator_destroy(est);
}

static void test_doors_add_up_and_line_never_negative(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in-b", "entry", 1, 300); /* a second door: baseline */
	count(est, "in", "entry", 15, 1005);
	count(est, "in-b", "entry", 15, 307);
	count(est, "out", "exit", 15, 502);
	assert_true(fabs(at(est, 15).people - 10) < 1e-9);
	count(est, "out", "exit", 30, 520); /* more exits counted than entries */
	count(est, "in", "entry", 30, 1005);
	count(est, "in-b", "entry", 30, 307);
	struct wait_estimate w = at(est, 30);
	assert_true(w.people == 0);
	/* an empty line: one service time (the priors' median, 63 s); 18
	 * counted leaving in 15 s is no evidence of a pace: the line was not
	 * surely busy */
	assert_true(w.wait_s > 55 && w.wait_s <= 64);
	estimator_destroy(est);
}

static void test_counter_restart(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 15, 1010);
	count(est, "out", "exit", 15, 500);
	count(est, "in", "entry", 30, 3); /* restarted from zero, 3 counted since */
	count(est, "out", "exit", 30, 500);
	struct wait_estimate w = at(est, 30);
	assert_true(fabs(w.people - 13) < 1e-9);
	assert_int_equal(w.confidence, CONFIDENCE_DEGRADED);
	assert_non_null(strstr(w.why, "restarted"));
	count(est, "in", "entry", 100, 3);
	count(est, "out", "exit", 100, 501);
	w = at(est, 100);
	assert_true(fabs(w.people - 12) < 1e-9);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	estimator_destroy(est);
}

static void test_late_sample_is_not_a_restart(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 30, 1020);
	count(est, "in", "entry", 15, 1010); /* delivered late, older: nothing new */
	count(est, "out", "exit", 30, 500);
	struct wait_estimate w = at(est, 30);
	assert_true(fabs(w.people - 20) < 1e-9);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	estimator_destroy(est);
}

static void test_silent_exit_is_imputed_then_reconciled(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 15, 1040); /* 40 in line, stations busy */
	count(est, "out", "exit", 15, 500);
	/* the exit counter goes silent; entries keep coming in flat */
	for (int s = 30; s <= 240; s += 15)
		count(est, "in", "entry", s, 1040);
	struct wait_estimate w = at(est, 240);
	assert_int_equal(w.confidence, CONFIDENCE_DEGRADED);
	assert_non_null(strstr(w.why, "silent"));
	/* silent since 15 s; after 60 s of grace exits are assumed at one per 30 s */
	assert_true(w.people < 40 && w.people > 30);
	count(est, "in", "entry", 255, 1040);
	count(est, "out", "exit", 255, 508); /* back: 8 really left meanwhile */
	w = at(est, 255);
	assert_true(fabs(w.people - 32) < 1e-6);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	estimator_destroy(est);
}

static void test_idle_stations_mean_an_empty_line(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 15, 1005); /* 5 counted in, their exits missed */
	count(est, "out", "exit", 15, 500);
	for (int s = 30; s <= 150; s += 15) {
		count(est, "in", "entry", s, 1005);
		count(est, "out", "exit", s, 500);
	}
	assert_true(fabs(at(est, 150).people - 5) < 1e-9); /* 135 s: not yet 3 services */
	count(est, "in", "entry", 195, 1005);
	count(est, "out", "exit", 195, 500);
	struct wait_estimate w = at(est, 195);
	assert_true(w.people == 0);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	estimator_destroy(est);
}

static void test_occupancy_pulls_the_count(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 10, 1020); /* counts say 20 */
	count(est, "out", "exit", 10, 500);
	for (int k = 0; k < 6; k++)
		occupancy(est, 11 + k, 40);  /* the zone sees 40: the count missed people */
	count(est, "in", "entry", 16, 1020); /* nothing to project from the counters */
	count(est, "out", "exit", 16, 500);
	struct wait_estimate w = at(est, 16);
	assert_true(w.people > 20 && w.people <= 40);
	assert_int_equal(w.confidence, CONFIDENCE_GOOD); /* the count has come round */
	/* an entry counter that keeps counting phantoms: the zone keeps seeing 10 */
	long in = 1020;
	for (int t = 30; t <= 300; t += 15) {
		in += 20;
		count(est, "in", "entry", t, in);
		count(est, "out", "exit", t, 500 + t / 15);
		occupancy(est, t, 10);
	}
	w = at(est, 300);
	assert_int_equal(w.confidence, CONFIDENCE_DEGRADED);
	assert_non_null(strstr(w.why, "disagree"));
	estimator_destroy(est);
}

/* A long surge counted almost exactly, and a zone off by a tenth of the line
 * each reading (alternately over and under): the count must stay near the
 * truth. A constant pull of 35 % toward each reading let the zone's noise
 * in: about 13 people on a line of 300, four minutes' wait at this pace. */
static void test_noisy_zone_barely_moves_a_long_count(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1000, out = 500;
	int truth = 0;
	double worst = 0;
	for (int t = 15, k = 0; t <= 900; t += 15, k++) {
		in += 25, truth += 25; /* a surge: 100 a minute... */
		if (t > 60)
			out += 1, truth -= 1; /* ...and two stations serve */
		count(est, "in", "entry", t, in);
		count(est, "out", "exit", t, out);
		if (k % 2 == 0) {
			int noise = (k / 2) % 2 ? -1 : 1;
			occupancy(est, t, truth + noise * (truth / 8 + 1));
		}
		double err = fabs(at(est, t).people - truth);
		worst = err > worst ? err : worst;
	}
	assert_true(truth > 1000);
	assert_true(worst < 8); /* the constant gain: 13 and more */
	estimator_destroy(est);
}

/* An entry door that misses a fifth of its people, and a zone that sees the
 * line well: the count is pulled to it and stays there, the drift learned. */
static void test_drifted_count_follows_a_good_zone(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1000, out = 500;
	int truth = 0;
	for (int t = 15; t <= 900; t += 15) {
		truth += 10;
		in += 8; /* two in ten missed */
		if (t > 60)
			out += 2, truth -= 2;
		count(est, "in", "entry", t, in);
		count(est, "out", "exit", t, out);
		if (t % 30 == 0)
			occupancy(est, t, truth + (t % 60 ? 2 : -2));
	}
	struct wait_estimate w = at(est, 900);
	assert_true(truth - (in - 1000 - (out - 500)) > 100); /* the count alone: 100 short */
	assert_true(fabs(w.people - truth) < 0.05 * truth);
	estimator_destroy(est);
}

/* The CUSUMs hold back exits that look like a change while they weigh them;
 * which they hold depends on the counts. Two stations at 60 s just busy:
 * windows nobody left in, then one where both left. The pace the wait uses
 * must see all of them, not just the quiet ones. */
static void test_pace_sees_the_held_exits(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	count(est, "in", "entry", 15, 1040);
	count(est, "out", "exit", 15, 500);
	static const int left[] = {0, 0, 0, 0, 0, 0, 2};
	long out = 500;
	for (int k = 0; k < 7; k++) {
		out += left[k];
		count(est, "in", "entry", 30 + 15 * k, 1040);
		count(est, "out", "exit", 30 + 15 * k, out);
	}
	struct serving_pace p;
	estimator_pace(est, 0, T0 + 120 * 1000LL, &p);
	assert_true(1 / p.usual_per_s <
		    65); /* two in 60 s at 2 stations: 60 s a person (held out: 72) */
	estimator_destroy(est);
}

static void test_learns_a_faster_serving_rate(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	/* a long line served twice as fast as declared: 4 people a minute */
	long in = 1000, out = 500;
	for (int s = 15; s <= 1800; s += 15) {
		in += 1, out += 1;
		if (s == 15)
			in += 60;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	struct wait_estimate w = at(est, 1800);
	assert_true(fabs(w.people - 60) < 1e-6);
	double nominal = 61 * 30.0; /* 1830 s */
	assert_true(w.wait_s < 0.8 * nominal);
	assert_true(w.wait_s > 61 * 15.0);
	estimator_destroy(est);
}

/* A line of 60 kept at 60 (one in for one out), served at pace per minute
 * from second a to b. */
static void serve_steady(struct estimator *est, long *in, long *out, int a, int b, double per_min)
{
	double owed = 0;
	for (int s = a + 15; s <= b; s += 15) {
		owed += per_min / 4;
		while (owed >= 1) {
			*in += 1, *out += 1;
			owed -= 1;
		}
		count(est, "in", "entry", s, *in);
		count(est, "out", "exit", s, *out);
	}
}

static void test_a_slow_spell_is_expected_to_last(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	/* four stations: 4 a minute as declared (60 s each) */
	add_line(est, "{\"type\":\"queue\",\"queue\":\"q\",\"name\":\"Lunch\",\"stations\":4,"
		      "\"service_s\":60}");
	long in = 1060, out = 500;
	count(est, "in", "entry", 15, in);
	count(est, "out", "exit", 15, out);
	serve_steady(est, &in, &out, 15, 600, 4);
	double nominal = at(est, 600).wait_s;       /* 61 people: ~930 s */
	serve_steady(est, &in, &out, 600, 1200, 2); /* ten minutes at half the pace */
	struct wait_estimate w = at(est, 1200);
	assert_true(fabs(w.people - 60) < 1e-6);
	/* 20 people in ten minutes where 40 were due: decisive after about 7;
	 * Gott: as long again at half pace, then the usual pace, so about
	 * 600 s (20 people) + 41 people at 4 a minute (615 s) */
	if (!(w.wait_s > 1100 && w.wait_s < 1400))
		fail_msg("in a spell: %.0f s (nominal %.0f)", w.wait_s, nominal);
	/* the pace comes back: so does the estimate */
	serve_steady(est, &in, &out, 1200, 1800, 4);
	w = at(est, 1800);
	if (fabs(w.wait_s - nominal) > 0.1 * nominal)
		fail_msg("after the spell: %.0f s (nominal %.0f)", w.wait_s, nominal);
	estimator_destroy(est);
}

/* A restock: a line of 60 at the declared pace (2 stations at 60 s: 2 a
 * minute), then nobody served for 8 minutes while 3 a minute join, then the
 * usual pace again. The old drift rule took the quiet exits for an empty
 * line after 3 service times and showed a minute's wait. */
static void test_a_stall_keeps_the_line(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1060, out = 500;
	count(est, "in", "entry", 15, in);
	count(est, "out", "exit", 15, out);
	for (int s = 30; s <= 600; s += 15) { /* 2 a minute in and out */
		in += s % 30 == 0, out += s % 30 == 0;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	int stall_to = 600 + 8 * 60;
	for (int s = 615; s <= 840; s += 15) { /* the stall's first 4 minutes */
		in += s % 20 == 0 ? 1 : 0, in += s % 60 == 0 ? 1 : 0;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	struct wait_estimate w = at(est, 840);
	double people = (double)(in - 1000 - (out - 500));
	assert_true(fabs(w.people - people) < 1e-6); /* not emptied */
	/* the truth: the 4 minutes of stall left, then people + 1 at 2 a
	 * minute; Gott's median of the rest is its age, 4 minutes, too */
	double truth = (stall_to - 840) + (people + 1) * 30.0;
	if (w.wait_s < truth - 60 || w.wait_s > truth + 120)
		fail_msg("in a stall: %.0f s for %.0f s (%.0f people)", w.wait_s, truth, people);
	for (int s = 855; s <= stall_to; s += 15) {
		in += s % 20 == 0 ? 1 : 0, in += s % 60 == 0 ? 1 : 0;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	/* serving again, at the usual pace: the wait is the line's again */
	for (int s = stall_to + 15; s <= stall_to + 300; s += 15) {
		in += s % 30 == 0, out += s % 30 == 0;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	w = at(est, stall_to + 300);
	people = (double)(in - 1000 - (out - 500));
	if (fabs(w.wait_s - (people + 1) * 30.0) > 60)
		fail_msg("after the stall: %.0f s for %.0f people", w.wait_s, w.people);
	estimator_destroy(est);
}

/* A surge at an idle line: nobody for 5 minutes, then 30 a minute at a
 * door that 2 stations at 60 s serve 2 a minute from. Nobody can have left
 * before a service time; the old drift rule saw exits quiet for 3 service
 * times, stations open, and emptied the line as the crowd arrived. */
static void test_a_surge_at_an_idle_line(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1000;
	for (int s = 15; s <= 300; s += 15) {
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, 500);
	}
	for (int s = 315; s <= 360; s += 15) { /* 45 s of surge: 7 or 8 each report */
		in += s % 30 == 0 ? 8 : 7;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, 500);
	}
	struct wait_estimate w = at(est, 360);
	double people = (double)(in - 1000);
	assert_true(fabs(w.people - people) < 1e-6);
	/* the plain people x 60 s / 2 is right to a service time here: the
	 * estimate must be as close */
	double truth = (people + 1) * 30.0, plain = people * 30.0;
	if (fabs(w.wait_s - truth) > fabs(plain - truth) + 30)
		fail_msg("in a surge: %.0f s for %.0f s (plain %.0f s)", w.wait_s, truth, plain);
	estimator_destroy(est);
}

static void test_a_wrong_declared_time_is_corrected(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1060, out = 500;
	count(est, "in", "entry", 15, in);
	count(est, "out", "exit", 15, out);
	/* declared 60 s a person, really 80 s: 1.5 a minute, a third slower,
	 * short of a spell (half the pace) but not of the counts' evidence */
	serve_steady(est, &in, &out, 15, 1800, 1.5);
	struct wait_estimate w = at(est, 1800);
	double per_person = w.wait_s / 61 * 2;  /* seconds per person at one station */
	if (per_person < 70 || per_person > 88) /* most of the way from 60 to 80 */
		fail_msg("learned %.1f s a person (really 80, declared 60)", per_person);
	estimator_destroy(est);
}

static void test_a_slow_reporting_counter_is_not_silent(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	long in = 1000, out = 500;
	for (int s = 60; s <= 900; s += 60) { /* these counters report every minute */
		in += 2, out += 2;
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	struct wait_estimate w = at(est, 990); /* 90 s after the last report */
	assert_int_equal(w.confidence, CONFIDENCE_GOOD);
	assert_true(at(est, 1050).confidence == CONFIDENCE_GOOD); /* 150 s: within three reports */
	assert_int_equal(at(est, 1100).confidence, CONFIDENCE_DEGRADED); /* 200 s: late */
	estimator_destroy(est);
}

/* The next morning: the counters ran on through the night, counting a
 * cleaner or two on one side and not the other. The line is empty, and
 * the pace learned yesterday is kept; the night's counts are nobody in
 * line and no slow service. */
static void test_a_night_of_stray_counts_is_no_line(void **state)
{
	(void)state;
	struct estimator *est = fresh();
	add_line(est, "{\"type\":\"queue\",\"queue\":\"q\",\"name\":\"Lunch\",\"stations\":4,"
		      "\"service_s\":30}");
	long in = 1000, out = 500;
	serve_steady(est, &in, &out, 0, 900, 8);
	for (int s = 915; s <= 2700; s += 15) { /* the afternoon: nobody comes */
		count(est, "in", "entry", s, in);
		count(est, "out", "exit", s, out);
	}
	struct serving_pace before, after;
	estimator_pace(est, 0, T0 + 2700000, &before);
	in += 300, out += 40; /* the night's strays */
	for (int s = 0; s <= 240; s += 15) {
		char line[256];
		snprintf(line, sizeof(line),
			 "{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"in\",\"role\":\"entry\","
			 "\"t\":\"2014-11-07T08:%02d:%02dZ\",\"total\":%ld}",
			 s / 60, s % 60, in);
		add_line(est, line);
		snprintf(line, sizeof(line),
			 "{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"out\",\"role\":\"exit\","
			 "\"t\":\"2014-11-07T08:%02d:%02dZ\",\"total\":%ld}",
			 s / 60, s % 60, out);
		add_line(est, line);
	}
	int64_t morning = 1415347440000LL; /* 2014-11-07T08:04:00Z */
	struct wait_estimate w;
	estimator_estimate(est, 0, morning, &w);
	assert_true(w.known);
	if (w.people > 0.5 || w.wait_s > 36) /* one service time, give or take */
		fail_msg("the morning after: %.1f people, %.0f s", w.people, w.wait_s);
	estimator_pace(est, 0, morning, &after);
	assert_true(after.spell_age_s == 0);
	if (fabs(after.usual_per_s - before.usual_per_s) > 0.05 * before.usual_per_s)
		fail_msg("the pace moved overnight: %.4f to %.4f a second", before.usual_per_s,
			 after.usual_per_s);
	estimator_destroy(est);
}

static void test_no_number_without_data(void **state)
{
	(void)state;
	struct estimator *est = estimator_create();
	add_line(est, "{\"type\":\"queue\",\"queue\":\"q\",\"stations\":2,\"service_s\":60}");
	struct wait_estimate w = at(est, 0);
	assert_false(w.known);
	assert_int_equal(w.confidence, CONFIDENCE_NONE);
	count(est, "in", "entry", 0, 10);
	count(est, "out", "exit", 0, 5);
	assert_true(at(est, 30).known);
	/* staff close every station */
	add_line(
		est,
		"{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:01:00Z\",\"open\":0}");
	w = at(est, 60);
	assert_false(w.known);
	assert_non_null(strstr(w.why, "no station"));
	add_line(
		est,
		"{\"type\":\"stations\",\"queue\":\"q\",\"t\":\"2014-11-06T11:02:00Z\",\"open\":2}");
	assert_true(at(est, 120).known);
	/* ten minutes of silence from every sensor: no number */
	w = at(est, 120 + 601);
	assert_false(w.known);
	estimator_destroy(est);
	/* counts for a queue nobody declared */
	est = estimator_create();
	count(est, "in", "entry", 0, 10);
	w = at(est, 10);
	assert_false(w.known);
	assert_non_null(strstr(w.why, "not declared"));
	estimator_destroy(est);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_give_people_and_wait),
		cmocka_unit_test(test_doors_add_up_and_line_never_negative),
		cmocka_unit_test(test_counter_restart),
		cmocka_unit_test(test_late_sample_is_not_a_restart),
		cmocka_unit_test(test_silent_exit_is_imputed_then_reconciled),
		cmocka_unit_test(test_idle_stations_mean_an_empty_line),
		cmocka_unit_test(test_occupancy_pulls_the_count),
		cmocka_unit_test(test_pace_sees_the_held_exits),
		cmocka_unit_test(test_noisy_zone_barely_moves_a_long_count),
		cmocka_unit_test(test_drifted_count_follows_a_good_zone),
		cmocka_unit_test(test_learns_a_faster_serving_rate),
		cmocka_unit_test(test_a_slow_spell_is_expected_to_last),
		cmocka_unit_test(test_a_stall_keeps_the_line),
		cmocka_unit_test(test_a_surge_at_an_idle_line),
		cmocka_unit_test(test_a_wrong_declared_time_is_corrected),
		cmocka_unit_test(test_a_slow_reporting_counter_is_not_silent),
		cmocka_unit_test(test_a_night_of_stray_counts_is_no_line),
		cmocka_unit_test(test_no_number_without_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
