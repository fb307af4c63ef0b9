/* lunch_sim: a seeded discrete-event simulation of a conference lunch line —
 * a surge after the keynote plus a trickle, a FIFO line, c stations with
 * random service times, slow periods and closures — and of the faulty
 * sensors that watch it. Gives the samples (contracts section 1) and the
 * ground truth (each person's entry and exit). Pure and reproducible. */
#ifndef VB_LUNCH_SIM_H
#define VB_LUNCH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queue_sample.h"

enum { SIM_MAX_DOORS = 4, SIM_MAX_PEOPLE = 200000 };

struct sim_config {
	uint64_t seed;
	int64_t start_ms;  /* UTC ms of the simulation start */
	int duration_s;
	const char *queue, *name, *venue;
	/* the line */
	int stations;
	double service_s, service_cv; /* mean seconds per person at one station, spread */
	double trickle_per_min;       /* steady arrivals */
	int surge_people, surge_at_s, surge_tau_s; /* keynote lets out: decaying burst */
	int slow_from_s, slow_to_s;   /* unannounced: stations serve slow_factor slower */
	double slow_factor;
	int closed_from_s, closed_to_s, closed_stations; /* stations closed for a while */
	bool closure_announced;       /* staff say so with a "stations" sample */
	/* the sensors */
	int entry_doors;              /* entry counters, people split among them */
	double miss_entry, miss_exit; /* share of crossings not counted */
	double door0_extra_miss;      /* a biased door */
	double false_per_hour;        /* spurious counts per counter */
	int report_every_s;           /* counters' cumulative totals */
	double skew_s;                /* each sensor's clock off by up to this */
	double delay_s;               /* delivery delay up to this: disorder */
	int outage_from_s, outage_to_s; /* the exit counter goes silent */
	int restart_at_s;             /* an entry counter restarts from zero (0: none) */
	bool occupancy;               /* an occupancy zone */
	double occupancy_sd;          /* noise, as a share of the count (plus 1.5 people) */
	int occupancy_every_s;
};

struct sim_person {
	int64_t enter_ms, exit_ms;
};

struct sim_result {
	struct queue_sample *samples; /* in delivery order */
	int64_t *delivered_ms;        /* when each sample reached the server */
	size_t n_samples;
	struct sim_person *people;    /* in entry order */
	size_t n_people;
};

/* A realistic default: Le Méridien, 4 stations, 30 s each, 450 people after
 * a keynote ending 20 minutes in, 2.5 hours. */
void lunch_sim_defaults(struct sim_config *c);

/* Scenarios used by the benchmark and `venueboard-feed simulate`, in order:
 * "clean", "noisy", "slow", "biased", "small", "slow-closure". The name of
 * the i-th, NULL past the last. */
const char *lunch_sim_scenario_name(size_t i);

/* Applies scenario name on top of the defaults; false when unknown. */
bool lunch_sim_scenario(const char *name, struct sim_config *c);

/* One line describing scenario name (static), NULL when unknown. */
const char *lunch_sim_scenario_about(const char *name);

/* Runs the simulation into out (caller owns; lunch_sim_finish). False on OOM
 * or a configuration that cannot run. */
bool lunch_sim_run(const struct sim_config *c, struct sim_result *out);
void lunch_sim_finish(struct sim_result *r);

#endif
