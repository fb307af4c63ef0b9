/* bench_forecast: the lunch-line forecast (feeds/lib/forecast) against two
 * baselines on simulated conferences (lunch_sim_conference_run on the demo
 * summit's schedule: four days, rooms letting out): persistence (the wait
 * the screen shows now stays as it is) and the same clock time on earlier
 * days (what the screens showed then, averaged). The forecasts of the last
 * day are scored, the earlier days being the history; every 5 minutes while
 * the line is watched, 15, 30 and 60 minutes ahead. The truth at a moment is
 * the wait of the first person who joined then (within 2 minutes), else one
 * service time (nobody in line). Also: how often the 80 % interval held the
 * truth, and the forecaster's CPU time.
 * usage: bench_forecast [SEEDS]   (default 6) */
#include "feed.h"
#include "file_io.h"
#include "forecast.h"
#include "lunch_sim.h"
#include "schedule.h"
#include "wait_estimator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EVERY_MS = 300000, N_H = 3, MAX_TICKS = 400 };
static const int HORIZONS_MIN[N_H] = {15, 30, 60};

struct score {
	double abs_f, abs_p, abs_s, bias_f;
	size_t n, covered;
};

/* The truth at `at`: the first person to join at or after it (within 2
 * minutes) and their wait; nobody: one service time. */
static double truth_at(const struct sim_result *r, int64_t at_ms, double service_s)
{
	size_t lo = 0, hi = r->n_people;
	while (lo < hi) { /* people are in entry order */
		size_t mid = (lo + hi) / 2;
		if (r->people[mid].enter_ms < at_ms)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n_people && r->people[lo].enter_ms - at_ms <= 120000)
		return (double)(r->people[lo].exit_ms - r->people[lo].enter_ms) / 1000.0;
	return service_s;
}

/* One seed: every sample in delivery order, forecasts on the last day. */
static double run_one(const struct schedule *s, const struct sim_conference *c, struct score *sc)
{
	struct sim_result r;
	if (!lunch_sim_conference_run(c, &r) || r.n_days < 2) {
		fprintf(stderr, "simulation failed\n");
		exit(1);
	}
	struct forecaster *f = forecaster_create();
	forecaster_set_schedule(f, s);
	struct feed_error e;
	const struct sim_day *last = &r.days[r.n_days - 1];
	/* what the screen showed on each day at each 5 minutes of the clock,
	 * relative to the day's opening (the days share the clock) */
	int64_t day_ms = 86400000LL;
	double shown[SIM_MAX_DAYS][MAX_TICKS];
	for (size_t d = 0; d < r.n_days; d++)
		for (int k = 0; k < MAX_TICKS; k++)
			shown[d][k] = -1;
	size_t next = 0;
	double cpu = 0;
	for (size_t d = 0; d < r.n_days; d++) {
		const struct sim_day *day = &r.days[d];
		int64_t base = last->from_ms - (int64_t)(r.n_days - 1 - d) * day_ms;
		for (int k = 0; k < MAX_TICKS; k++) {
			int64_t t = base + (int64_t)k * EVERY_MS;
			if (t > day->to_ms + 3600000LL)
				break;
			clock_t c0 = clock();
			while (next < r.n_samples && r.delivered_ms[next] <= t)
				forecaster_add(f, &r.samples[next++], &e);
			struct wait_estimate now;
			forecaster_now(f, 0, t, &now);
			shown[d][k] = now.known ? now.wait_s : -1;
			if (d + 1 == r.n_days && t >= day->from_ms && t <= day->to_ms && now.known) {
				for (int h = 0; h < N_H; h++) {
					int64_t at = t + HORIZONS_MIN[h] * 60000LL;
					if (at < day->opens_ms || at > day->closes_ms)
						continue;
					struct forecast fc;
					forecaster_predict(f, 0, t, at, &fc);
					cpu += (double)(clock() - c0);
					c0 = clock();
					if (!fc.known)
						continue;
					double truth = truth_at(&r, at, c->line.service_s);
					int ka = k + HORIZONS_MIN[h] / 5;
					double same = 0;
					int ns = 0;
					for (size_t dd = 0; dd + 1 < r.n_days; dd++)
						if (ka < MAX_TICKS && shown[dd][ka] >= 0)
							same += shown[dd][ka], ns++;
					same = ns ? same / ns : now.wait_s;
					struct score *x = &sc[h];
					x->abs_f += fabs(fc.wait_s - truth);
					x->bias_f += fc.wait_s - truth;
					x->abs_p += fabs(now.wait_s - truth);
					x->abs_s += fabs(same - truth);
					x->covered += truth >= fc.low_s && truth <= fc.high_s;
					x->n++;
				}
			}
			cpu += (double)(clock() - c0);
		}
	}
	forecaster_destroy(f);
	lunch_sim_finish(&r);
	return cpu * 1000.0 / CLOCKS_PER_SEC;
}

int main(int argc, char **argv)
{
	int seeds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 6;
	if (seeds < 1 || seeds > 100)
		seeds = 6;
	char *text;
	size_t len;
	if (file_io_read(VB_DEMO_SCHEDULE, 64 << 20, &text, &len) != FILE_IO_OK) {
		fprintf(stderr, "%s: cannot read\n", VB_DEMO_SCHEDULE);
		return 1;
	}
	struct schedule *s = NULL;
	struct feed_error e;
	if (!feed_parse(text, len, NULL, &s, &e)) {
		fprintf(stderr, "%s: %s\n", VB_DEMO_SCHEDULE, e.msg);
		return 1;
	}
	free(text);
	printf("%d seeds per scenario; the demo summit's schedule, its last day forecast from the "
	       "earlier ones;\nmean absolute error in seconds of the wait of whoever joins at the "
	       "forecast's moment\n\n", seeds);
	printf("%-38s %5s %9s %12s %10s %8s %9s\n", "scenario", "ahead", "forecast",
	       "persistence", "same time", "gain", "in 80 %");
	double cpu = 0;
	const char *name;
	for (size_t k = 0; (name = lunch_sim_conference_scenario_name(k)); k++) {
		struct score sc[N_H] = {{0}};
		for (int seed = 1; seed <= seeds; seed++) {
			struct sim_conference c;
			lunch_sim_conference_defaults(&c, s);
			lunch_sim_conference_scenario(name, &c);
			c.seed = (uint64_t)seed * 7919 + k;
			cpu += run_one(s, &c, sc);
		}
		for (int h = 0; h < N_H; h++) {
			const struct score *x = &sc[h];
			double n = x->n ? (double)x->n : 1;
			double best = fmin(x->abs_p, x->abs_s);
			printf("%-38s %3d m %9.1f %12.1f %10.1f %7.0f%% %8.0f%%\n",
			       h ? "" : lunch_sim_conference_scenario_about(name), HORIZONS_MIN[h],
			       x->abs_f / n, x->abs_p / n, x->abs_s / n,
			       best > 0 ? 100.0 * (1 - x->abs_f / best) : 0.0, 100.0 * x->covered / n);
		}
	}
	printf("\ngain: how much lower the forecast's error is than the better baseline's\n");
	printf("forecaster CPU for all runs above (every sample, every forecast): %.0f ms\n", cpu);
	schedule_destroy(s);
	return 0;
}
