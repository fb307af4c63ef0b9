/* lunch_sim: a seeded discrete-event simulation of a conference lunch line —
 * a surge after the keynote plus a trickle, a FIFO line, c stations with
 * random service times, slow periods and closures — and of the faulty
 * sensors that watch it. Gives the samples (contracts section 1) and the
 * ground truth (each person's entry and exit). Pure and reproducible.
 * A second mode runs several days of one conference whose people join the
 * line as the schedule's sessions let out (lunch_sim_conference_run). */
#ifndef VB_LUNCH_SIM_H
#define VB_LUNCH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "queue_sample.h"

enum { SIM_MAX_DOORS = 4, SIM_MAX_PEOPLE = 200000, SIM_MAX_DAYS = 31 };

struct schedule;

struct sim_config {
	uint64_t seed;
	int64_t start_ms; /* UTC ms of the simulation start */
	int duration_s;
	const char *queue, *name, *venue;
	/* the line */
	int stations;
	double service_s, service_cv; /* mean seconds per person at one station, spread */
	double trickle_per_min;       /* steady arrivals */
	int surge_people, surge_at_s, surge_tau_s; /* keynote lets out: decaying burst */
	int slow_from_s, slow_to_s; /* unannounced: stations serve slow_factor slower */
	double slow_factor;
	int closed_from_s, closed_to_s, closed_stations; /* stations closed for a while */
	int stall_from_s, stall_to_s; /* unannounced: no station starts anyone (a restock) */
	bool closure_announced;       /* staff say so with a "stations" sample */
	/* the sensors */
	int entry_doors;                /* entry counters, people split among them */
	double miss_entry, miss_exit;   /* share of crossings not counted */
	double door0_extra_miss;        /* a biased door */
	double false_per_hour;          /* spurious counts per counter */
	int report_every_s;             /* counters' cumulative totals */
	double skew_s;                  /* each sensor's clock off by up to this */
	double delay_s;                 /* delivery delay up to this: disorder */
	int outage_from_s, outage_to_s; /* the exit counter goes silent */
	int restart_at_s;               /* an entry counter restarts from zero (0: none) */
	bool occupancy;                 /* an occupancy zone */
	double occupancy_sd;            /* noise, as a share of the count (plus 1.5 people) */
	int occupancy_every_s;
};

struct sim_person {
	int64_t enter_ms, exit_ms;
};

/* One day of a conference run. */
struct sim_day {
	int64_t opens_ms, closes_ms; /* the lunch window: nobody enters outside it */
	int64_t from_ms, to_ms;      /* when the line's sensors reported (0: not at all) */
	bool window_from_schedule;   /* a lunch session set the window */
	int on_site;                 /* people at the conference (0: no talks, no samples) */
	int diners;                  /* people who crossed the entry line */
	size_t first_person;         /* the first of them in sim_result.people */
};

struct sim_result {
	struct queue_sample *samples; /* in delivery order */
	int64_t *delivered_ms;        /* when each sample reached the server */
	size_t n_samples;
	struct sim_person *people; /* in entry order */
	size_t n_people;
	struct sim_day *days; /* conference runs only: one per day, else NULL */
	size_t n_days;
};

/* A realistic default: Le Méridien, 4 stations, 30 s each, 450 people after
 * a keynote ending 20 minutes in, 2.5 hours. */
void lunch_sim_defaults(struct sim_config *c);

/* Scenarios used by the benchmark and `venueboard-feed simulate`, in order:
 * "clean", "noisy", "slow", "biased", "small", "slow-closure", "surge",
 * "stall". The name of
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

/* Several days of one conference: people on site, sessions that fill their
 * rooms and let out, and those who then go to lunch here; the line and its
 * sensors are the single-period ones, run once a day. Every choice and
 * default is argued in lunch_sim.c and feeds/ESTIMATION.md (Simulator). */
struct sim_conference {
	uint64_t seed;
	const struct schedule *schedule; /* borrowed; its zone gives the local days
					  * and clock (UTC when it names none) */
	int days;                        /* local days from the schedule's first; 0: all */
	/* The line and its sensors. start_ms and duration_s are set per day; the
	 * arrival fields (trickle, surge) are not used; the slow spell, closure,
	 * exit outage and counter restart count from the day's opening and happen
	 * on incident_day only. */
	struct sim_config line;
	int incident_day; /* from 0; -1: none */

	/* The lunch window */
	const char *catering_room;      /* room id whose lunch session counts; NULL: any */
	bool window_from_schedule;      /* a lunch session sets the window when there is one */
	int window_from_s, window_to_s; /* otherwise: local seconds after midnight */
	int lead_s;                     /* the sensors report from this long before it opens */

	/* People on site */
	int on_site; /* on a day of factor 1; 0: on_site_scale x the
					  * busiest moment's seats */
	double on_site_scale;
	int default_capacity;            /* seats of rooms that say none; 0: the median of
					  * those that do, else 150 */
	double day_factor[SIM_MAX_DAYS]; /* expected share of on_site, per day */
	double day_sd;                   /* day to day noise on it (relative) */
	double busy_last_day;            /* > 0: the last day's expected diners are this
					  * times the earlier days' mean */

	/* Sessions */
	double fill_a, fill_b; /* a session's draw, Kumaraswamy(a, b) ... */
	double fill_demand;    /* ... times this, of its seats, at most all */
	int max_session_s;     /* longer ones are venues (expo, registration) */

	/* Going to lunch */
	double eat_share;               /* share of people on site who eat here; 0: what the
					  * stations serve at 85 % in the first window's
					  * first 90 minutes */
	double eat_sd;                  /* day to day noise on it (relative) */
	int early_s;                    /* people leave for lunch from this long before it opens */
	int go_before_open_s;           /* with a lunch session: the middle of the going
					  * curve, this long before it opens */
	int go_mid_s;                   /* without: the middle, local seconds after midnight */
	int go_spread_s;                /* the curve's scale (logistic) */
	double hallway_min;             /* a free person who wants lunch goes within this
					  * many minutes on average */
	double lag_median_s, lag_sigma; /* leaving to crossing the entry line: log-normal */
	double door_per_s;              /* people per second through one entry door */
	int away_min_s, away_max_s;     /* time away for lunch, wherever it is eaten */

	/* The forecast day (the last) unlike the earlier ones (issue 20's
	 * families). Published changes (stagger_s, lunch_later_s) are made to
	 * the schedule by lunch_sim_conference_publish, which the run and any
	 * forecaster must both be given; the rest happen unannounced. */
	bool last_day_as_before;          /* its turnout factor is the day before's */
	int stagger_s;                    /* each room's morning moves by up to this,
					  * earlier or later, in steps of 10 min */
	int lunch_later_s;                /* the last day's lunch session moves this much later */
	int overrun_min_s, overrun_max_s; /* the biggest room letting out before lunch
					  * overruns by this much (not in the schedule) */
	int stations_delta;               /* stations open that day, declared */

	/* Room counts (contracts section 1, type room) */
	bool room_counts;
	double camera_share; /* rooms with a camera */
	int room_every_s;
	double room_sd; /* counting noise: share of the count, plus one */
};

/* Realistic defaults for schedule s (borrowed; may be NULL and set later):
 * the Méridien line of lunch_sim_defaults with clean sensors, every day,
 * the days getting lighter (1.0, 0.95 ... 0.85, 0.7). */
void lunch_sim_conference_defaults(struct sim_conference *c, const struct schedule *s);

/* Conference scenarios, in order: "conference", "conference-noisy",
 * "conference-busy-day", "conference-rooms". The name of the i-th, NULL past
 * the last. */
const char *lunch_sim_conference_scenario_name(size_t i);

/* Applies scenario name on top of the defaults; false when unknown. */
bool lunch_sim_conference_scenario(const char *name, struct sim_conference *c);

/* One line describing scenario name (static), NULL when unknown. */
const char *lunch_sim_conference_scenario_about(const char *name);

/* Makes the published changes of c's forecast day (stagger_s,
 * lunch_later_s; drawn from c->seed) to s, which must be c->schedule's
 * parse: the version of the programme published on that day. A no-op when
 * c asks for none. False when s has no sessions. */
bool lunch_sim_conference_publish(const struct sim_conference *c, struct schedule *s);

/* Local days from the first session's to the last session's start (in the
 * schedule's zone, UTC when none), capped at SIM_MAX_DAYS; 0 when the
 * schedule has no sessions. */
int lunch_sim_conference_days(const struct schedule *s);

/* Runs the days into out (caller owns; lunch_sim_finish): every day's
 * samples in delivery order, each person's entry and exit in entry order,
 * and out->days. False on OOM or a configuration that cannot run (no
 * schedule or sessions, more days than it has, a line lunch_sim_run would
 * refuse). */
bool lunch_sim_conference_run(const struct sim_conference *c, struct sim_result *out);

#endif
