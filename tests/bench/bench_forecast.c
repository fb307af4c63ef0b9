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
 * usage: bench_forecast [--tune] [--family NAME] [SEEDS]   (default 6 held-out seeds)
 * BENCH_TRACE=MINUTES prints every forecast that far ahead (15, 30 or 60)
 * beside the truth on stderr; BENCH_ROOMS=1 gives every family room counts. */
#include "feed.h"
#include "file_io.h"
#include "forecast.h"
#include "lunch_sim.h"
#include "schedule.h"
#include "wait_estimator.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EVERY_MS = 300000, N_H = 3, MAX_TICKS = 400 };
static const int HORIZONS_MIN[N_H] = {15, 30, 60};

struct score {
	double abs_f, abs_p, abs_s, bias_f, abs_shown;
	size_t n, covered, intervals, same_time, withheld;
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
static double run_one(const struct schedule *s, const struct sim_conference *c, struct score *sc,
		      int trace_min)
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
			if (d + 1 == r.n_days && t >= day->from_ms && t <= day->to_ms &&
			    now.known) {
				for (int h = 0; h < N_H; h++) {
					int64_t at = t + HORIZONS_MIN[h] * 60000LL;
					if (at < day->opens_ms || at > day->closes_ms)
						continue;
					struct forecast fc;
					forecaster_predict(f, 0, t, at, &fc);
					cpu += (double)(clock() - c0);
					c0 = clock();
					if (fc.model_s < 0)
						continue; /* no model forecast at all */
					double truth = truth_at(&r, at, c->line.service_s);
					int ka = k + HORIZONS_MIN[h] / 5;
					double same = 0;
					int ns = 0;
					for (size_t dd = 0; dd + 1 < r.n_days; dd++)
						if (ka < MAX_TICKS && shown[dd][ka] >= 0)
							same += shown[dd][ka], ns++;
					same = ns ? same / ns : now.wait_s;
					if (trace_min == HORIZONS_MIN[h])
						fprintf(stderr,
							"t+%3d h%d now %5.0f fc %5.0f [%5.0f %5.0f] truth %5.0f same %5.0f\n",
							(int)((t - day->opens_ms) / 60000),
							HORIZONS_MIN[h], now.wait_s, fc.model_s,
							fc.low_s, fc.high_s, truth, same);
					struct score *x = &sc[h];
					x->abs_f += fabs(fc.model_s - truth);
					x->bias_f += fc.model_s - truth;
					x->abs_p += fabs(now.wait_s - truth);
					x->abs_s += fabs(same - truth);
					/* what the screen shows: the forecast (the model's or
					 * the same time's), or only "now" when withheld */
					x->abs_shown +=
						fabs((fc.known ? fc.wait_s : now.wait_s) - truth);
					x->covered +=
						fc.known && truth >= fc.low_s && truth <= fc.high_s;
					x->intervals += fc.known;
					x->same_time +=
						fc.known && fc.basis == FORECAST_BASIS_SAME_TIME;
					x->withheld += fc.withheld;
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

/* Issue 20's families: the forecast day unlike the earlier ones. */
static const char *const FAMILIES[] = {
	"conference-same",         "conference-stagger",       "conference-overrun",
	"conference-lunch-later",  "conference-light",         "conference-heavy",
	"conference-station-more", "conference-station-fewer",
};
enum { N_FAMILIES = sizeof(FAMILIES) / sizeof(*FAMILIES) };
/* The targets: the forecast's error at most this share of the better
 * baseline's, 15, 30 and 60 minutes ahead; with room counts. */
static const double TARGET[N_H] = {0.6, 0.7, 0.8}, TARGET_ROOMS[N_H] = {0.4, 0.4, 0.8};
/* Seeds tuned on are never reported on: the report's start far away. */
enum { TUNE_SEED0 = 1, REPORT_SEED0 = 1000 };

static struct schedule *load_schedule(void)
{
	char *text;
	size_t len;
	if (file_io_read(VB_DEMO_SCHEDULE, 64 << 20, &text, &len) != FILE_IO_OK) {
		fprintf(stderr, "%s: cannot read\n", VB_DEMO_SCHEDULE);
		exit(1);
	}
	struct schedule *s = NULL;
	struct feed_error e;
	if (!feed_parse(text, len, NULL, &s, &e)) {
		fprintf(stderr, "%s: %s\n", VB_DEMO_SCHEDULE, e.msg);
		exit(1);
	}
	free(text);
	return s;
}

int main(int argc, char **argv)
{
	int seeds = 6;
	bool tune = false;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tune") == 0)
			tune = true;
		else if (strcmp(argv[i], "--family") == 0 && i + 1 < argc)
			only = argv[++i];
		else
			seeds = (int)strtol(argv[i], NULL, 10);
	}
	if (seeds < 1 || seeds > 100)
		seeds = 6;
	int seed0 = tune ? TUNE_SEED0 : REPORT_SEED0;
	/* read once: the loops below must not look them up at every forecast */
	const char *trace = getenv("BENCH_TRACE");
	int trace_min = trace ? (int)strtol(trace, NULL, 10) : 0;
	bool all_rooms = getenv("BENCH_ROOMS") != NULL;
	printf("%d %s seeds per family (%d..%d); the demo summit's schedule, its last day "
	       "forecast from the earlier ones;\nmean absolute error in seconds of the wait of "
	       "whoever joins at the forecast's moment\n\n",
	       seeds, tune ? "tuning" : "held-out", seed0, seed0 + seeds - 1);
	printf("%-40s %5s %6s %6s %6s %6s %6s %6s %8s %12s\n", "family", "ahead", "model",
	       "persist", "same", "ratio", "target", "shown", "in 80 %", "same/withheld");
	double cpu = 0;
	int line_days = 0, met = 0, rows = 0;
	for (int rooms = 0; rooms < 2; rooms++) {
		for (size_t k = 0; k < N_FAMILIES; k++) {
			const char *name = FAMILIES[k];
			if (only && !strstr(name, only))
				continue;
			struct score sc[N_H] = {{0}};
			for (int seed = seed0; seed < seed0 + seeds; seed++) {
				struct schedule *s = load_schedule();
				struct sim_conference c;
				lunch_sim_conference_defaults(&c, s);
				lunch_sim_conference_scenario(name, &c);
				c.seed = (uint64_t)seed * 7919 + k;
				c.room_counts = rooms || all_rooms;
				if (!lunch_sim_conference_publish(&c, s)) {
					fprintf(stderr, "%s: cannot publish\n", name);
					return 1;
				}
				cpu += run_one(s, &c, sc, trace_min);
				line_days += lunch_sim_conference_days(s);
				schedule_destroy(s);
			}
			char label[96];
			snprintf(label, sizeof(label), "%s%s",
				 lunch_sim_conference_scenario_about(name),
				 rooms ? " + rooms" : "");
			for (int h = 0; h < N_H; h++) {
				const struct score *x = &sc[h];
				double n = x->n ? (double)x->n : 1;
				double best = fmin(x->abs_p, x->abs_s);
				double ratio = best > 0 ? x->abs_f / best : 0;
				double target = rooms ? TARGET_ROOMS[h] : TARGET[h];
				rows++;
				met += ratio <= target;
				printf("%-40s %3d m %6.0f %7.0f %6.0f %6.2f %5.1f%s %6.0f %7.0f%% %5.0f%% %4.0f%%\n",
				       h ? "" : label, HORIZONS_MIN[h], x->abs_f / n, x->abs_p / n,
				       x->abs_s / n, ratio, target, ratio <= target ? " " : "!",
				       x->abs_shown / n,
				       x->intervals ? 100.0 * x->covered / x->intervals : 0.0,
				       100.0 * x->same_time / n, 100.0 * x->withheld / n);
			}
		}
	}
	printf("\nmodel, persist(ence), same (time): mean absolute errors in seconds; ratio: the "
	       "model's over the better baseline's\n(! where above the target); shown: what the "
	       "screen shows (the model, the same time where its record\nis better, only 'now' where "
	       "persistence's is); in 80 %%: how often the shown interval held the truth;\n"
	       "same/withheld: the share of moments shown from the same time, and withheld\n"
	       "targets met: %d of %d\n",
	       met, rows);
	printf("forecaster CPU: %.0f ms for %d line-days, %.1f ms per line-day (every sample, "
	       "every forecast and self-check)\n",
	       cpu, line_days, line_days ? cpu / line_days : 0);
	return 0;
}
