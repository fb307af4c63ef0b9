/* lunch_sim_internal: what the two halves of lunch_sim share — lunch_sim.c
 * (the line, its sensors, one period) and lunch_sim_conference.c (the days
 * of a conference, whose people come from the schedule). Not for use
 * outside lunch_sim. */
#ifndef VB_LUNCH_SIM_INTERNAL_H
#define VB_LUNCH_SIM_INTERNAL_H

#include "lunch_sim.h"

#include <math.h>

/* splitmix64: small, fast, and the same on every platform. */
struct sim_rng {
	uint64_t s;
};

static inline uint64_t sim_next_u64(struct sim_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline double sim_uniform(struct sim_rng *r)
{
	return ((double)(sim_next_u64(r) >> 11) + 0.5) / 9007199254740992.0;
}

static inline double sim_expo(struct sim_rng *r, double rate)
{
	return -log(sim_uniform(r)) / rate;
}

static inline double sim_normal(struct sim_rng *r)
{
	const double two_pi = 6.283185307179586;
	return sqrt(-2.0 * log(sim_uniform(r))) * cos(two_pi * sim_uniform(r));
}

/* Samples and when each reached the server; grows by lunch_sim_push. */
struct sim_samples {
	struct queue_sample *s;
	int64_t *at;
	size_t n, cap;
};

/* One cumulative counter watching a set of crossing times. */
struct sim_counter {
	const double *times; /* sorted crossing times (s) */
	size_t n, next;
	double miss;
	int64_t total;
	double next_false; /* seconds from the period's start */
	double skew;
};

/* What one period's sensors watch: the crossings of each entry door and of
 * the exit line. */
struct sim_period {
	const double *arr, *ex; /* entry (sorted) and exit times, seconds from the start */
	size_t n;
	double *door_times[SIM_MAX_DOORS];
	size_t door_n[SIM_MAX_DOORS];
	double *exit_sorted;
};

/* The line's sensors: they outlive a period (a conference's days). */
struct sim_sensors {
	struct sim_counter k[SIM_MAX_DOORS + 1]; /* the entry doors, then the exit */
	int nk;
	double occ_skew;
};

/* True when lunch_sim_run can run c (duration aside). */
bool lunch_sim_config_runs(const struct sim_config *c);

/* Serves people FIFO (arrivals sorted, seconds from the start) into exit_s. */
void lunch_sim_serve(const struct sim_config *c, struct sim_rng *r, const double *arr, size_t n,
		     double *exit_s);

/* Appends a sample delivered at at_ms; false on OOM. */
bool lunch_sim_push(struct sim_samples *l, const struct queue_sample *s, int64_t at_ms);

/* Sorts by delivery, stable; cheap when the disorder is a few seconds. */
void lunch_sim_order_by_delivery(struct sim_samples *l);

int lunch_sim_cmp_double(const void *a, const void *b);

/* Sends each person through a random entry door and sorts the exits; p
 * borrows arr and ex and owns the rest (lunch_sim_period_finish, also after
 * a failure). */
bool lunch_sim_period_split(const struct sim_config *c, struct sim_rng *r, const double *arr,
			    const double *ex, size_t n, struct sim_period *p);
void lunch_sim_period_finish(struct sim_period *p);

/* New sensors: counters that were running before, clocks off by up to
 * skew_s. */
void lunch_sim_sensors_start(const struct sim_config *c, struct sim_rng *r, struct sim_sensors *sn);

/* Moves the sensors gap_s seconds on to a new period's start, nobody
 * crossing meanwhile. */
void lunch_sim_sensors_carry(const struct sim_config *c, struct sim_rng *r, struct sim_sensors *sn,
			     double gap_s);

/* Runs the sensors over period p (c's start_ms and duration_s), from a queue
 * declaration one second before, pushing what they send. */
bool lunch_sim_period_observe(const struct sim_config *c, struct sim_rng *r, struct sim_sensors *sn,
			      const struct sim_period *p, struct sim_samples *l);

#endif
