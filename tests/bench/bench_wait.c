/* bench_wait: the wait estimator against the baselines on simulated lunch
 * lines (feeds/lib/lunch_sim), many seeds per scenario. For every person who
 * joins the line, the prediction is the estimate the kiosk showed then (the
 * last 30 s tick); the truth is their real entry-to-exit time.
 * usage: bench_wait [SEEDS [FIRST]]   (default 12 seeds from seed 1) */
#include "lunch_sim.h"
#include "wait_estimator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TICK_MS = 30000, METHODS = 4 };
static const char *const method_names[METHODS] = {"venueboard", "last served", "queue x nominal",
						  "day's true mean"};

struct errors {
	double *v;
	size_t n, cap;
	size_t unknown;
};

static void add_err(struct errors *e, double x)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4096;
		e->v = realloc(e->v, e->cap * sizeof(double));
	}
	e->v[e->n++] = x;
}

static int cmp_abs(const void *a, const void *b)
{
	double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
	return (x > y) - (x < y);
}

/* Runs one seed; appends signed errors (prediction - truth) per method, and
 * those of people who joined from a stall's start on to stalled. */
static double run_one(const struct sim_config *c, struct errors *err, struct errors *stalled)
{
	struct sim_result r;
	if (!lunch_sim_run(c, &r)) {
		fprintf(stderr, "simulation failed\n");
		exit(1);
	}
	size_t ticks = (size_t)c->duration_s * 1000 / TICK_MS + 1;
	double *est = calloc(ticks, sizeof(double)), *last = calloc(ticks, sizeof(double)),
	       *naive = calloc(ticks, sizeof(double));
	char *known = calloc(ticks, 1);
	struct estimator *e = estimator_create();
	struct feed_error fe;
	size_t next = 0, served = 0;
	int64_t base[8] = {0}, latest[8] = {0};
	bool seen[8] = {false};
	double mean = 0;
	for (size_t i = 0; i < r.n_people; i++)
		mean += (double)(r.people[i].exit_ms - r.people[i].enter_ms) / 1000.0;
	mean /= r.n_people ? (double)r.n_people : 1.0;
	/* people sorted by exit time, for "last person served" */
	int64_t *exit_order = malloc((r.n_people + 1) * sizeof(int64_t) * 2);
	size_t *idx = malloc((r.n_people + 1) * sizeof(size_t));
	for (size_t i = 0; i < r.n_people; i++)
		idx[i] = i;
	for (size_t i = 1; i < r.n_people; i++) { /* insertion sort by exit: nearly sorted */
		size_t x = idx[i], j = i;
		while (j > 0 && r.people[idx[j - 1]].exit_ms > r.people[x].exit_ms) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
	clock_t c0 = clock();
	for (size_t k = 0; k < ticks; k++) {
		int64_t T = c->start_ms + (int64_t)k * TICK_MS;
		while (next < r.n_samples && r.delivered_ms[next] <= T) {
			const struct queue_sample *s = &r.samples[next++];
			estimator_add(e, s, &fe);
			if (s->type == SAMPLE_COUNT) {
				int slot = s->role == ROLE_EXIT ? 7 : (s->sensor[5] - 'a') & 3;
				if (!seen[slot])
					base[slot] = s->total, seen[slot] = true;
				latest[slot] = s->total;
			}
		}
		struct wait_estimate w;
		estimator_estimate(e, 0, T, &w);
		known[k] = w.known;
		est[k] = w.wait_s;
		while (served < r.n_people && r.people[idx[served]].exit_ms <= T)
			served++;
		last[k] = served ? (double)(r.people[idx[served - 1]].exit_ms -
					    r.people[idx[served - 1]].enter_ms) /
					   1000.0
				 : c->service_s;
		double in = 0, out = seen[7] ? (double)(latest[7] - base[7]) : 0;
		for (int d = 0; d < 4; d++)
			in += seen[d] ? (double)(latest[d] - base[d]) : 0;
		double q = in - out > 0 ? in - out : 0;
		naive[k] = q * c->service_s / c->stations;
		if (getenv("BENCH_TRACE") && k % 4 == 0) {
			int truth_n = 0;
			double truth_w = -1;
			for (size_t i = 0; i < r.n_people; i++) {
				truth_n += r.people[i].enter_ms <= T && r.people[i].exit_ms > T;
				if (truth_w < 0 && r.people[i].enter_ms >= T)
					truth_w = (double)(r.people[i].exit_ms -
							   r.people[i].enter_ms) /
						  1000;
			}
			struct serving_pace p;
			estimator_pace(e, 0, T, &p);
			fprintf(stderr,
				"t=%3zu min  true N %4d W %5.0f  est N %6.1f  est wait %6.0f (%s)  naive %6.0f"
				"  pace %.1f s, spell %.1f s for %.0f s\n",
				k / 2, truth_n, truth_w, w.people, w.wait_s,
				estimator_confidence_name(w.confidence), naive[k],
				1 / p.usual_per_s, 1 / p.spell_per_s, p.spell_age_s);
		}
	}
	double cpu_ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	for (size_t i = 0; i < r.n_people; i++) {
		int64_t a = r.people[i].enter_ms - c->start_ms;
		size_t k = (size_t)(a / TICK_MS);
		if (k >= ticks)
			continue;
		double truth = (double)(r.people[i].exit_ms - r.people[i].enter_ms) / 1000.0;
		if (known[k])
			add_err(&err[0], est[k] - truth);
		else
			err[0].unknown++;
		if (c->stall_to_s > c->stall_from_s && a >= c->stall_from_s * 1000LL) {
			if (known[k])
				add_err(&stalled[0], est[k] - truth);
			add_err(&stalled[2], naive[k] - truth);
		}
		add_err(&err[1], last[k] - truth);
		add_err(&err[2], naive[k] - truth);
		add_err(&err[3], mean - truth);
	}
	estimator_destroy(e);
	free(est), free(last), free(naive), free(known), free(exit_order), free(idx);
	lunch_sim_finish(&r);
	return cpu_ms;
}

/* A ten-hour day at 20 catering points, fed to one estimator in delivery
 * order with estimates for every queue every 30 s: the throughput figure. */
static void day_of_twenty_queues(void)
{
	enum { QUEUES = 20 };
	struct sim_result r[QUEUES];
	size_t total = 0;
	char ids[QUEUES][16];
	for (int q = 0; q < QUEUES; q++) {
		struct sim_config c;
		lunch_sim_defaults(&c);
		lunch_sim_scenario(q % 2 ? "noisy" : "biased", &c);
		c.seed = 500 + (uint64_t)q;
		c.duration_s = 10 * 3600;
		snprintf(ids[q], sizeof(ids[q]), "buffet-%02d", q);
		c.queue = ids[q];
		if (!lunch_sim_run(&c, &r[q]))
			exit(1);
		total += r[q].n_samples;
	}
	struct estimator *e = estimator_create();
	struct feed_error fe;
	size_t pos[QUEUES] = {0}, estimates = 0;
	struct sim_config c;
	lunch_sim_defaults(&c);
	clock_t c0 = clock();
	for (int64_t T = c.start_ms; T <= c.start_ms + 10 * 3600 * 1000LL; T += TICK_MS) {
		for (int q = 0; q < QUEUES; q++)
			while (pos[q] < r[q].n_samples && r[q].delivered_ms[pos[q]] <= T)
				estimator_add(e, &r[q].samples[pos[q]++], &fe);
		for (size_t q = 0; q < estimator_queue_count(e); q++) {
			struct wait_estimate w;
			estimator_estimate(e, q, T, &w);
			estimates++;
		}
	}
	double ms = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
	printf("a 10-hour day, 20 queues: %zu samples and %zu estimates in %.1f ms CPU; "
	       "state %zu bytes per queue\n",
	       total, estimates, ms, estimator_queue_state_bytes());
	for (int q = 0; q < QUEUES; q++)
		lunch_sim_finish(&r[q]);
	estimator_destroy(e);
}

/* Lines the estimator was not tuned on: the surge and the stall with other
 * stations, service times, crowds, stall lengths and sensors. */
struct variant {
	const char *about, *scenario;
	int stations;
	double service_s;
	int surge_people, surge_tau_s, stall_from_s, stall_to_s, report_every_s;
	bool occupancy;
};

static const struct variant variants[] = {
	{"surge: 2 st. x 40 s, 300 in 4 min", "surge", 2, 40, 300, 240, 0, 0, 0, false},
	{"surge: 6 st. x 20 s, 900 in 6 min, 30 s", "surge", 6, 20, 900, 360, 0, 0, 30, false},
	{"surge: 3 st. x 45 s, 400 in 5 min, zone", "surge", 3, 45, 400, 300, 0, 0, 0, true},
	{"stall: 6 min at 26 min", "stall", 0, 0, 0, 0, 26 * 60, 32 * 60, 0, false},
	{"stall: 10 min, 2 st. x 40 s, 160 people", "small", 0, 0, 0, 0, 35 * 60, 45 * 60, 0,
	 false},
	{"stall: 12 min, 6 st. x 20 s, 700 people", "stall", 6, 20, 700, 0, 30 * 60, 42 * 60, 0,
	 false},
	{"stall: 8 min at 50 min, noisy sensors", "noisy", 0, 0, 0, 0, 50 * 60, 58 * 60, 0, false},
};

static void variant_apply(const struct variant *v, struct sim_config *c)
{
	lunch_sim_scenario(v->scenario, c);
	if (v->stations)
		c->stations = v->stations, c->service_s = v->service_s;
	if (v->surge_people)
		c->surge_people = v->surge_people;
	if (v->surge_tau_s)
		c->surge_tau_s = v->surge_tau_s;
	if (v->stall_to_s)
		c->stall_from_s = v->stall_from_s, c->stall_to_s = v->stall_to_s;
	if (v->report_every_s)
		c->report_every_s = v->report_every_s;
	c->occupancy |= v->occupancy;
}

/* Runs seeds from first, seed base + 1000 x seed, and prints one row per
 * method. */
static double bench_rows(const char *about, const char *scenario, const struct variant *v,
			 uint64_t base, int first, int seeds)
{
	struct errors err[METHODS] = {{0}}, stalled[METHODS] = {{0}};
	double cpu = 0;
	for (int seed = first; seed < first + seeds; seed++) {
		struct sim_config c;
		lunch_sim_defaults(&c);
		c.seed = (uint64_t)seed * 1000 + base;
		if (v)
			variant_apply(v, &c);
		else
			lunch_sim_scenario(scenario, &c);
		cpu += run_one(&c, err, stalled);
	}
	for (int m = 0; m < METHODS; m++) {
		double sum = 0, sabs = 0;
		size_t within = 0;
		for (size_t i = 0; i < err[m].n; i++) {
			sum += err[m].v[i];
			sabs += fabs(err[m].v[i]);
			within += fabs(err[m].v[i]) <= 120.0;
		}
		qsort(err[m].v, err[m].n, sizeof(double), cmp_abs);
		double n = err[m].n ? (double)err[m].n : 1;
		double p90 = err[m].n ? fabs(err[m].v[(size_t)(0.9 * (err[m].n - 1))]) : 0;
		printf("%-40s %-16s %7.1f %+7.1f %7.1f %7.1f%%", m ? "" : about, method_names[m],
		       sabs / n, sum / n, p90, 100.0 * within / n);
		if (m == 0 && err[m].unknown)
			printf("  (%zu people saw no number)", err[m].unknown);
		printf("\n");
		free(err[m].v);
	}
	for (int m = 0; m < METHODS; m++) {
		double sum = 0, sabs = 0;
		for (size_t i = 0; i < stalled[m].n; i++)
			sum += stalled[m].v[i], sabs += fabs(stalled[m].v[i]);
		if (stalled[m].n)
			printf("%-40s %-16s %7.1f %+7.1f\n",
			       m ? "" : "  who joined from the stall on", method_names[m],
			       sabs / (double)stalled[m].n, sum / (double)stalled[m].n);
		free(stalled[m].v);
	}
	return cpu;
}

int main(int argc, char **argv)
{
	int seeds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 12;
	int first = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1;
	if (seeds < 1 || seeds > 1000)
		seeds = 12;
	if (first < 1 || first > 100000)
		first = 1;
	printf("%d seeds per scenario from seed %d; errors in seconds over every person who "
	       "joined the line\n\n",
	       seeds, first);
	printf("%-40s %-16s %7s %7s %7s %8s\n", "scenario", "method", "MAE", "bias", "P90",
	       "<=2min");
	double total_cpu = 0;
	const char *name;
	for (size_t sc = 0; (name = lunch_sim_scenario_name(sc)); sc++)
		total_cpu +=
			bench_rows(lunch_sim_scenario_about(name), name, NULL, sc, first, seeds);
	printf("\nvariants (not tuned on)\n");
	for (size_t k = 0; k < sizeof(variants) / sizeof(*variants); k++)
		total_cpu +=
			bench_rows(variants[k].about, NULL, &variants[k], 100 + k, first, seeds);
	printf("\nestimator CPU for all runs above (samples + 30 s ticks): %.1f ms\n", total_cpu);
	day_of_twenty_queues();
	return 0;
}
