/* wait_estimator: a per-queue state of a few hundred bytes, updated by each
 * sample:
 * - the number in line is entries minus exits, from cumulative counters
 *   (restarts detected), never below zero;
 * - a silent counter's counts are imputed from its recent rate and reconciled
 *   when its cumulative total comes back;
 * - an occupancy zone, when present, pulls the count toward what it sees;
 * - exit counters alive but no one leaving for a while, with stations open,
 *   means the line is empty: missed exits are forgotten there;
 * - the serving rate per station is learned from exits while every station
 *   is busy (someone waiting), starting from the nominal service time;
 * - the wait for a newcomer is max(people + 1, stations) / serving rate
 *   (Ibrahim & Whitt's queue-length predictor with a learned rate). */
#include "wait_estimator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tuning, in seconds; ESTIMATION.md says why each value. */
static const double SILENT_S = 60.0;      /* a counter reporting every 15 s is late after this */
static const double DEAD_S = 600.0;       /* no data for this long: no estimate */
static const double RATE_TAU_S = 120.0;   /* memory of a counter's recent rate */
static const double SHORT_TAU_S = 180.0;  /* memory of the current serving rate */
static const double LONG_TAU_S = 7200.0;  /* memory of the usual serving rate */
static const double PRIOR_STATION_S = 3600.0; /* weight of the nominal service time */
static const double SHORT_PRIOR_S = 60.0; /* weight of the usual rate in the current one */
static const double RECOVER_S = 180.0;    /* a slow (or fast) spell fades over this */
static const double SPELL_RATIO = 0.4;    /* current this far from usual: a spell... */
static const double SPELL_MAX_S = 1200.0; /* ...unless it lasts this long: the new usual */
static const double OCC_GAIN = 0.35;      /* pull toward an occupancy reading */
static const double IDLE_SERVICES = 3.0;  /* exits quiet for this many service times... */
static const double IDLE_MIN_S = 90.0;    /* ...and at least this long: the line is empty */
static const double RESTART_GRACE_S = 60.0;

struct sensor {
	char id[QUEUE_ID_MAX + 1];
	bool occupancy;
	enum sample_role role;
	bool seen;
	int64_t total;   /* last cumulative total */
	int64_t last_ms; /* time of the last sample */
	double rate;     /* recent counts per second */
	double imputed;  /* counts assumed while silent, not yet confirmed */
	int people;      /* occupancy */
};

struct queue {
	char id[QUEUE_ID_MAX + 1];
	bool declared;
	int stations;
	double service_s;
	struct sensor sensors[ESTIMATOR_MAX_SENSORS];
	int n_sensors;
	double people;
	int64_t now_ms, first_ms, last_exit_ms, restart_ms;
	int64_t newest_ms; /* the latest sample time seen, INT64_MIN before any */
	double served_short, busy_short; /* decayed exits and station-seconds while busy */
	double served_long, busy_long;
	int64_t spell_since_ms; /* 0: the current rate is the usual one */
	double people_at_exit;  /* the line when the exit counter last reported */
	double disagreement;           /* recent |occupancy - count| */
	bool started;
};

struct estimator {
	struct queue queues[ESTIMATOR_MAX_QUEUES];
	size_t n;
};

struct estimator *estimator_create(void)
{
	return calloc(1, sizeof(struct estimator));
}

void estimator_destroy(struct estimator *est)
{
	free(est);
}

size_t estimator_queue_count(const struct estimator *est)
{
	return est->n;
}

const char *estimator_queue_id(const struct estimator *est, size_t i)
{
	return i < est->n ? est->queues[i].id : NULL;
}

int64_t estimator_queue_newest_ms(const struct estimator *est, size_t i)
{
	return i < est->n ? est->queues[i].newest_ms : INT64_MIN;
}

size_t estimator_queue_state_bytes(void)
{
	return sizeof(struct queue);
}

const char *estimator_confidence_name(enum confidence c)
{
	return c == CONFIDENCE_GOOD ? "good" : c == CONFIDENCE_DEGRADED ? "degraded" : "none";
}

static struct queue *find_queue(struct estimator *est, const char *id, struct feed_error *e)
{
	for (size_t i = 0; i < est->n; i++)
		if (strcmp(est->queues[i].id, id) == 0)
			return &est->queues[i];
	if (est->n == ESTIMATOR_MAX_QUEUES) {
		feed_error_set(e, "queue %s: more than %d queues", id, ESTIMATOR_MAX_QUEUES);
		return NULL;
	}
	struct queue *q = &est->queues[est->n++];
	memset(q, 0, sizeof(*q));
	memcpy(q->id, id, strlen(id) + 1);
	q->newest_ms = INT64_MIN;
	return q;
}

static struct sensor *find_sensor(struct queue *q, const struct queue_sample *s,
				  struct feed_error *e)
{
	bool occ = s->type == SAMPLE_OCCUPANCY;
	for (int i = 0; i < q->n_sensors; i++) {
		struct sensor *x = &q->sensors[i];
		if (strcmp(x->id, s->sensor) == 0 && x->occupancy == occ && (occ || x->role == s->role))
			return x;
	}
	if (q->n_sensors == ESTIMATOR_MAX_SENSORS) {
		feed_error_set(e, "queue %s: more than %d sensors", q->id, ESTIMATOR_MAX_SENSORS);
		return NULL;
	}
	struct sensor *x = &q->sensors[q->n_sensors++];
	memset(x, 0, sizeof(*x));
	memcpy(x->id, s->sensor, strlen(s->sensor) + 1);
	x->occupancy = occ;
	x->role = s->role;
	return x;
}

static bool silent(const struct sensor *x, int64_t t_ms)
{
	return !x->seen || (double)(t_ms - x->last_ms) > SILENT_S * 1000.0;
}

/* Usual per-station serving rate: learned over half an hour, leaning on the
 * nominal service time until enough busy time has been seen. */
static double usual_rate(const struct queue *q)
{
	double nominal = 1.0 / q->service_s;
	return (q->served_long + nominal * PRIOR_STATION_S) / (q->busy_long + PRIOR_STATION_S);
}

/* Current per-station serving rate: the last few minutes, leaning on the usual. */
static double current_rate(const struct queue *q)
{
	return (q->served_short + usual_rate(q) * SHORT_PRIOR_S) / (q->busy_short + SHORT_PRIOR_S);
}

/* Seconds until `ahead` more people have left, if the serving rate moves from
 * its current value back to the usual one over RECOVER_S (a tray refilled, a
 * station back): served(W) = u W + (c - u) R (1 - e^(-W/R)). */
static double time_to_serve(double ahead, double current, double usual)
{
	double lo = 0, hi = 4 * 3600.0;
	for (int i = 0; i < 50; i++) {
		double w = (lo + hi) / 2;
		double served = usual * w + (current - usual) * RECOVER_S * (1 - exp(-w / RECOVER_S));
		if (served < ahead)
			lo = w;
		else
			hi = w;
	}
	return (lo + hi) / 2;
}

/* Moves the queue's clock to t: imputes the counts of silent counters and
 * empties a line whose stations are visibly idle. */
static void advance(struct queue *q, int64_t t_ms)
{
	if (!q->started) {
		q->started = true;
		q->now_ms = q->first_ms = q->last_exit_ms = t_ms;
		q->restart_ms = INT64_MIN / 2;
		return;
	}
	if (t_ms <= q->now_ms)
		return;
	double dt = (double)(t_ms - q->now_ms) / 1000.0;
	double mu = current_rate(q) * q->stations;
	bool exits_alive = false;
	for (int i = 0; i < q->n_sensors; i++) {
		struct sensor *x = &q->sensors[i];
		if (x->occupancy)
			continue;
		if (x->role == ROLE_EXIT && !silent(x, t_ms))
			exits_alive = true;
		if (!x->seen || !silent(x, t_ms))
			continue;
		if (x->role == ROLE_ENTRY) {
			double add = x->rate * dt;
			q->people += add;
			x->imputed += add;
		} else {
			double take = fmin(q->people, mu * dt);
			q->people -= take;
			x->imputed += take;
		}
	}
	double idle_s = fmax(IDLE_MIN_S, IDLE_SERVICES * q->service_s);
	if (exits_alive && q->stations > 0 && q->people > 0 &&
	    (double)(t_ms - q->last_exit_ms) > idle_s * 1000.0)
		q->people = 0; /* open stations, nobody leaving: nobody is waiting */
	q->now_ms = t_ms;
}

static void add_count(struct queue *q, struct sensor *x, const struct queue_sample *s)
{
	if (!x->seen) { /* the first total is a baseline: counts before it are history */
		x->seen = true;
		x->total = s->total;
		x->last_ms = s->t_ms;
		return;
	}
	int64_t inc;
	if (s->total >= x->total) {
		inc = s->total - x->total;
	} else if (s->t_ms > x->last_ms) {
		inc = s->total; /* restarted from zero */
		q->restart_ms = s->t_ms;
	} else {
		return; /* an older sample arriving late: nothing new */
	}
	double dt = (double)(s->t_ms - x->last_ms) / 1000.0;
	double delta = (double)inc - x->imputed; /* confirm, or take back, what was assumed */
	x->imputed = 0;
	if (x->role == ROLE_ENTRY) {
		q->people += delta;
	} else {
		q->people -= delta;
		if (inc > 0)
			q->last_exit_ms = s->t_ms > q->last_exit_ms ? s->t_ms : q->last_exit_ms;
		/* Learn the serving rate only over intervals that began with every
		 * station serving and someone waiting (arrivals only add to that). */
		bool busy = q->people_at_exit >= q->stations + 1;
		if (dt > 0 && dt < 2 * SILENT_S && q->stations > 0 && busy) {
			double keep = exp(-dt / SHORT_TAU_S), keep_long = exp(-dt / LONG_TAU_S);
			q->served_short = q->served_short * keep + (double)inc;
			q->busy_short = q->busy_short * keep + dt * q->stations;
			/* A slow spell (a tray being refilled) must not become the usual
			 * rate; one that lasts twenty minutes is the new usual. */
			double ratio = current_rate(q) / usual_rate(q);
			bool spell = fabs(ratio - 1.0) > SPELL_RATIO;
			if (!spell)
				q->spell_since_ms = 0;
			else if (!q->spell_since_ms)
				q->spell_since_ms = s->t_ms;
			if (!spell || (double)(s->t_ms - q->spell_since_ms) > SPELL_MAX_S * 1000.0) {
				q->served_long = q->served_long * keep_long + (double)inc;
				q->busy_long = q->busy_long * keep_long + dt * q->stations;
			}
		}
	}
	if (q->people < 0)
		q->people = 0;
	if (x->role == ROLE_EXIT)
		q->people_at_exit = q->people;
	if (dt > 0 && dt < 5 * RATE_TAU_S) {
		double a = 1.0 - exp(-dt / RATE_TAU_S);
		x->rate += a * ((double)inc / dt - x->rate);
	}
	if (s->t_ms > x->last_ms) {
		x->total = s->total;
		x->last_ms = s->t_ms;
	}
}

bool estimator_add(struct estimator *est, const struct queue_sample *s, struct feed_error *e)
{
	if (s->type == SAMPLE_ROOM) /* a session room's count: not a line */
		return true;
	struct queue *q = find_queue(est, s->queue, e);
	if (!q)
		return false;
	if (s->type == SAMPLE_QUEUE) {
		q->declared = true;
		q->stations = s->stations;
		q->service_s = s->service_s;
		return true;
	}
	advance(q, s->t_ms);
	if (s->t_ms > q->newest_ms)
		q->newest_ms = s->t_ms;
	if (s->type == SAMPLE_STATIONS) {
		q->stations = s->stations;
		return true;
	}
	struct sensor *x = find_sensor(q, s, e);
	if (!x)
		return false;
	if (s->type == SAMPLE_COUNT) {
		add_count(q, x, s);
		return true;
	}
	/* occupancy: unbiased but noisy, so move part of the way toward it */
	if (x->seen && s->t_ms < x->last_ms)
		return true;
	double innovation = s->people - q->people;
	q->disagreement += 0.3 * (fabs(innovation) - q->disagreement);
	q->people += OCC_GAIN * innovation;
	if (q->people < 0)
		q->people = 0;
	x->seen = true;
	x->people = s->people;
	x->last_ms = s->t_ms;
	return true;
}

void estimator_estimate(struct estimator *est, size_t i, int64_t t_ms, struct wait_estimate *out)
{
	struct queue *q = &est->queues[i];
	memset(out, 0, sizeof(*out));
	out->queue = q->id;
	out->t_ms = t_ms;
	out->confidence = CONFIDENCE_NONE;
	advance(q, t_ms);
	int seen_entry = 0, seen_exit = 0, seen_occ = 0, silent_any = 0;
	int64_t newest = INT64_MIN;
	for (int k = 0; k < q->n_sensors; k++) {
		const struct sensor *x = &q->sensors[k];
		if (!x->seen)
			continue;
		newest = x->last_ms > newest ? x->last_ms : newest;
		silent_any += silent(x, t_ms);
		if (x->occupancy)
			seen_occ++;
		else if (x->role == ROLE_ENTRY)
			seen_entry++;
		else
			seen_exit++;
	}
	if (!q->declared || q->service_s <= 0) {
		out->why = "queue not declared (no stations or service time)";
		return;
	}
	if (q->stations == 0) {
		out->why = "no station open";
		return;
	}
	bool counts = seen_entry && seen_exit;
	if (!counts && !seen_occ) {
		out->why = "no entry and exit counts yet";
		return;
	}
	if (newest == INT64_MIN || (double)(t_ms - newest) > DEAD_S * 1000.0) {
		out->why = "every sensor silent for 10 minutes";
		return;
	}
	out->known = true;
	/* Counters report every few seconds: project each live one to t at its
	 * recent rate, so a surge is not shown 15 s late. */
	double people = q->people;
	for (int k = 0; k < q->n_sensors; k++) {
		const struct sensor *x = &q->sensors[k];
		if (x->occupancy || !x->seen || silent(x, t_ms) || t_ms <= x->last_ms)
			continue;
		double lag = (double)(t_ms - x->last_ms) / 1000.0;
		people += (x->role == ROLE_ENTRY ? 1 : -1) * x->rate * lag;
	}
	if (people < 0)
		people = 0;
	out->people = people;
	double c = q->stations;
	out->wait_s = time_to_serve(fmax(people + 1.0, c), current_rate(q) * c, usual_rate(q) * c);
	out->confidence = CONFIDENCE_GOOD;
	out->why = "";
	if (silent_any) {
		out->confidence = CONFIDENCE_DEGRADED;
		out->why = "a sensor is silent";
	}
	if (!counts) {
		out->confidence = CONFIDENCE_DEGRADED;
		out->why = "occupancy only: no entry and exit counts";
	}
	if ((double)(t_ms - q->restart_ms) < RESTART_GRACE_S * 1000.0) {
		out->confidence = CONFIDENCE_DEGRADED;
		out->why = "a counter restarted";
	}
	if (seen_occ && q->disagreement > fmax(5.0, 0.3 * q->people + 3.0)) {
		out->confidence = CONFIDENCE_DEGRADED;
		out->why = "counts and occupancy disagree";
	}
}
