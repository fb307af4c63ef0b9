/* wait_estimator: a per-queue state of a few hundred bytes, updated by each
 * sample:
 * - the number in line is entries minus exits, from cumulative counters
 *   (restarts detected), never below zero;
 * - a silent counter's counts are imputed from its recent rate and reconciled
 *   when its cumulative total comes back;
 * - an occupancy zone, when present, is weighed against the count by their
 *   variances (a Kalman filter that also learns the count's drift): a long
 *   line counted exactly is hardly moved by a noisy zone, a drifted count is;
 * - exit counters alive but no one leaving for a while, with stations open,
 *   means the line is empty: missed exits are forgotten there; unless the
 *   stations should be busy and people still join: that is a stall;
 * - the serving rate per station is a gamma belief updated by Poisson counts:
 *   the declared service time is the prior, people leaving while every
 *   station stays busy are the evidence (so many people in so many
 *   station-seconds), and evidence fades with age (West & Harrison's
 *   discounting: the belief keeps its mean and loses weight). Whether the
 *   declared time is right is itself unknown: two beliefs start from it, one
 *   trusting it (within a tenth), one hardly (within a half), and the counts
 *   weigh them by how well each foresaw them (Bayesian model averaging) —
 *   a caterer who is right is believed, one who is off is corrected fast. A change of
 *   pace (a tray ran out, a cashier left) is found by Page's CUSUM on the
 *   counts: once the evidence for "half or twice the usual pace since then"
 *   outweighs the usual pace a hundred to one, the line is in a spell since
 *   the moment the evidence started to pile up; the spell's own rate is
 *   learned apart from the usual one, and a second CUSUM finds its end;
 * - the wait for a newcomer is the time until max(people + 1, stations)
 *   people have left (Ibrahim & Whitt's queue-length predictor). In a spell,
 *   nobody knows when it ends: having lasted d, it is as likely to last
 *   another d as not (Gott's rule for a duration one knows nothing else
 *   about), so the current rate is used for d more seconds, then the usual. */
#include "wait_estimator.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ESTIMATION.md says why each value. */
static const double SILENT_S = 60.0;     /* a sensor is late after this at least... */
static const double LATE_REPORTS = 3.0;  /* ...or after missing this many of its own reports */
static const double DEAD_S = 600.0;      /* no data for this long: no estimate */
static const double RATE_TAU_S = 120.0;  /* memory of a counter's recent rate */
static const double ZONE_SHARE = 0.10;   /* a zone's noise before its own is learned... */
static const double ZONE_PRIOR_N = 4.0;  /* ...worth this many pairs of readings */
static const double ZONE_MEMORY = 40.0;  /* pairs of readings its noise is learned over */
static const double IDLE_SERVICES = 3.0; /* exits quiet for this many service times... */
static const double IDLE_MIN_S = 90.0;   /* ...and at least this long: the line is empty */
static const double STALL_JOINED = 1.0;  /* joined a service time after the last exit: a stall */
static const double RESTART_GRACE_S = 60.0;
static const double COUNT_ERROR = 0.05; /* counters miss or double a few in a hundred */
/* the serving rate's beliefs */
static const double TRUST_CV = 0.10;       /* the declared time believed: right within a tenth */
static const double DOUBT_CV = 0.50;       /* ...or doubted: right within a half */
static const double RATE_MAX_CV = 0.50;    /* all that fading can make a spell's belief forget */
static const double USUAL_FADE_S = 3600.0; /* the kitchen's pace: an hour's evidence */
static const double SPELL_FADE_S = 600.0;  /* a spell's pace may itself drift */
static const double SPELL_RATIO = 2.0;     /* the change worth finding: half or twice the pace */
static const double SPELL_ODDS = 100.0;    /* evidence that decides (Jeffreys: "decisive") */
enum { TRUST, DOUBT, N_USUAL };
enum { HELD_MAX = 240 }; /* an hour of 15 s reports: older evidence cannot decide a spell */

struct belief {
	double shape, span;
};

struct sensor {
	char id[QUEUE_ID_MAX + 1];
	bool occupancy;
	enum sample_role role;
	bool seen;
	int64_t total;   /* last cumulative total */
	int64_t last_ms; /* time of the last sample */
	double rate;     /* recent counts per second */
	double period_s; /* its usual time between reports, learned; 0 before two */
	double imputed;  /* counts assumed while silent, not yet confirmed */
	bool rebase;     /* its next total is a new baseline (after a long silence) */
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
	/* per-station serving rate: beliefs ~ Gamma(shape, rate), shape people
	 * having left in span station-seconds of evidence (the prior counted in) */
	struct usual {
		struct belief b[N_USUAL];
		double lw[N_USUAL]; /* each belief's log weight: how well it foresaw */
	} usual;
	struct belief spell;
	int64_t rate_ms;  /* when the evidence was last faded */
	int64_t spell_ms; /* the spell's start, 0 when none */
	/* Page's CUSUMs (log likelihood ratios), and the recent evidence they
	 * hold back from the usual pace while they weigh it (a ring of the last
	 * observations; each CUSUM holds those since it last rested at zero) */
	double cusum_slow, cusum_fast, cusum_stop, cusum_back;
	double back_ref; /* the spell's pace the back CUSUM tests against, kept
			  * while it weighs (else it would chase its own evidence) */
	struct observation {
		double k, span;
		int64_t start_ms;
	} held[HELD_MAX];
	size_t held_head, held_n; /* the ring */
	size_t since_slow, since_fast, since_stop,
		since_back;    /* how many of the newest each holds */
	double people_at_exit; /* the line when the exit counter last reported... */
	double sure_at_exit;   /* ...and how many of those were surely there */
	int64_t busy_since_ms; /* since when every station surely serves; 0: not now */
	/* The count's error as a Kalman filter holds it: the line is the count
	 * plus drift x the entries counted (drift: a share of entries the
	 * counters get wrong, net, learned from a zone), with covariance
	 * err_nn (people^2), err_nd, err_dd; the drift's prior: 0 give or
	 * take COUNT_ERROR. */
	double drift, err_nn, err_nd, err_dd;
	double counted; /* entries since the line was last seen empty */
	/* the zone's noise, sd = share x line + 1, the share learned from pairs
	 * of readings against what the count moved between them (sums of
	 * line^2, line, 1 and squared residual terms; the count's level may
	 * have drifted, its movement over 30 s hardly) */
	double zone_sum[4];
	double zone_last, zone_line, zone_entries,
		zone_q; /* the last reading, the line then, since then */
	bool zone_pair, zone_seen;
	double joined_quiet; /* entries counted a service time or more after
				 * the last exit: people who should have left */
	double disagreement; /* recent |occupancy - count| */
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

/* The line was seen empty: the count is exact again (give or take one); the
 * drift learned stays (a door that misses people goes on missing them). */
static void count_exact(struct queue *q)
{
	q->err_nn = 1;
	q->err_nd = 0;
	q->counted = 0;
	q->zone_pair = false;
}

/* Two standard errors of the count: beyond them, people surely wait. One
 * is 5 % of the entries since the line was last seen empty, plus one
 * (added, not in quadrature: a counter that misses goes on missing); where
 * a zone looks at the line, the filter's. */
static double count_doubt(const struct queue *q)
{
	return 2 * (q->zone_seen ? sqrt(q->err_nn) : COUNT_ERROR * q->counted + 1);
}

/* The count moved by entries and exits: its error grows by the drift over
 * the entries (systematic: errors add up, not in quadrature) and by a few
 * random misses in a hundred. */
static void count_moved(struct queue *q, double entries, double exits)
{
	double e = entries > 0 ? entries : 0;
	double random = COUNT_ERROR / 2 * (fabs(entries) + fabs(exits));
	q->counted += e;
	q->people += q->drift * e;
	q->err_nn += 2 * e * q->err_nd + e * e * q->err_dd + random;
	q->err_nd += e * q->err_dd;
	q->zone_entries += e;
	q->zone_q += random;
}

/* The zone's noise share: solves, by moments, A s^2 + B s + C = D for the
 * sums of what the pairs of readings should and did show. */
static double zone_share(const struct queue *q)
{
	double n = 50, k = ZONE_PRIOR_N,
	       p = ZONE_SHARE * n + 1; /* the prior: k pairs at 50 people */
	double a = k * 2 * n * n + q->zone_sum[0], b = k * 4 * n + q->zone_sum[1];
	double c = k * 2 + q->zone_sum[2], d = k * 2 * p * p + q->zone_sum[3];
	if (d <= c)
		return 0;
	return (-b + sqrt(b * b + 4 * a * (d - c))) / (2 * a);
}

/* A zone reading: unbiased, noisy, each reading's noise its own. Weighs it
 * against the count by their variances (a Kalman filter on the line and
 * the count's drift): a long line counted exactly is hardly moved by a zone
 * off by a tenth of it; a count that drifted is pulled to it, and its drift
 * learned. Without live counts the zone is all there is. */
static void zone_reading(struct queue *q, double z, bool counts)
{
	double n = q->people > 0 ? q->people : 0, sh = zone_share(q);
	if (counts && q->zone_pair) {
		/* the pair's residual: the zone's two noises, and what the count
		 * got wrong since (the drift's doubt over those entries) */
		double d = (z - q->zone_last) - (n - q->zone_line);
		double w = 1 - 1 / ZONE_MEMORY, m = q->zone_line;
		double known = q->zone_entries * q->zone_entries * q->err_dd + q->zone_q;
		q->zone_sum[0] = w * q->zone_sum[0] + n * n + m * m;
		q->zone_sum[1] = w * q->zone_sum[1] + 2 * (n + m);
		q->zone_sum[2] = w * q->zone_sum[2] + 2 + known;
		q->zone_sum[3] = w * q->zone_sum[3] + d * d;
	}
	double r = (sh * n + 1) * (sh * n + 1);
	if (!counts) {
		q->people = z;
		q->err_nn = r;
		q->err_nd = 0;
	} else {
		double nu = z - q->people, sv = q->err_nn + r;
		double kn = q->err_nn / sv, kd = q->err_nd / sv;
		q->people += kn * nu;
		q->drift += kd * nu;
		q->err_dd -= q->err_nd * q->err_nd / sv;
		q->err_nd -= q->err_nn * q->err_nd / sv;
		q->err_nn -= q->err_nn * q->err_nn / sv;
	}
	if (q->people <= 0) {
		q->people = 0;
		count_exact(q);
	}
	q->zone_last = z;
	q->zone_line = q->people;
	q->zone_entries = q->zone_q = 0;
	q->zone_pair = counts;
	q->zone_seen = true;
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
	q->err_dd = COUNT_ERROR * COUNT_ERROR;
	count_exact(q);
	return q;
}

static struct sensor *find_sensor(struct queue *q, const struct queue_sample *s,
				  struct feed_error *e)
{
	bool occ = s->type == SAMPLE_OCCUPANCY;
	for (int i = 0; i < q->n_sensors; i++) {
		struct sensor *x = &q->sensors[i];
		if (strcmp(x->id, s->sensor) == 0 && x->occupancy == occ &&
		    (occ || x->role == s->role))
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

/* Seconds after which a sensor that reports every period_s is late: its
 * own pace, not a fixed one (sensors report every 5 s or every minute). */
static double late_s(const struct sensor *x)
{
	return fmax(SILENT_S, LATE_REPORTS * x->period_s);
}

static bool silent(const struct sensor *x, int64_t t_ms)
{
	return !x->seen || (double)(t_ms - x->last_ms) > late_s(x) * 1000.0;
}

/* Learns a sensor's reporting pace from the gap before a new sample. */
static void note_report(struct sensor *x, int64_t t_ms)
{
	double gap = (double)(t_ms - x->last_ms) / 1000.0;
	if (!x->seen || gap <= 0 || gap > 3600)
		return;
	x->period_s = x->period_s > 0 ? x->period_s + 0.2 * (gap - x->period_s) : gap;
}

/* A belief's people per second at one station (its mean). */
static double belief_rate(const struct belief *b)
{
	return b->shape / b->span;
}

/* Fades b by dt seconds of age: it keeps its mean and loses weight, down to
 * what RATE_MAX_CV allows. */
static void belief_fade(struct belief *b, double dt, double fade_s)
{
	double keep = exp(-dt / fade_s), min_shape = 1.0 / (RATE_MAX_CV * RATE_MAX_CV);
	if (b->shape * keep < min_shape)
		keep = b->shape > min_shape ? min_shape / b->shape : 1.0;
	b->shape *= keep;
	b->span *= keep;
}

/* Fades the evidence to t. The usual paces fade back toward their priors
 * (what the caterer said stays true unless the counts say otherwise), and
 * so do their track records; a spell's pace just loses weight. */
static void rate_fade(struct queue *q, int64_t t_ms)
{
	if (t_ms <= q->rate_ms)
		return;
	double dt = (double)(t_ms - q->rate_ms) / 1000.0;
	double keep = exp(-dt / USUAL_FADE_S);
	static const double cv[N_USUAL] = {TRUST_CV, DOUBT_CV};
	for (int k = 0; k < N_USUAL; k++) {
		double shape = 1.0 / (cv[k] * cv[k]), span = shape * q->service_s;
		q->usual.b[k].shape = shape + (q->usual.b[k].shape - shape) * keep;
		q->usual.b[k].span = span + (q->usual.b[k].span - span) * keep;
		q->usual.lw[k] *= keep;
	}
	belief_fade(&q->spell, dt, SPELL_FADE_S);
	q->rate_ms = t_ms;
}

static void held_clear(struct queue *q);

static void rate_prior(struct queue *q, double service_s, int64_t t_ms)
{
	static const double cv[N_USUAL] = {TRUST_CV, DOUBT_CV};
	for (int k = 0; k < N_USUAL; k++) {
		q->usual.b[k].shape = 1.0 / (cv[k] * cv[k]);
		q->usual.b[k].span = q->usual.b[k].shape * service_s; /* mean: 1 / service_s */
		q->usual.lw[k] = 0;
	}
	q->rate_ms = t_ms;
	q->spell_ms = 0;
	q->cusum_slow = q->cusum_fast = q->cusum_stop = q->cusum_back = 0;
	held_clear(q);
}

/* The usual pace: each belief's value f, weighed by its track record. */
static double usual_mix(const struct usual *u, double (*f)(const struct belief *))
{
	double top = fmax(u->lw[TRUST], u->lw[DOUBT]), sum = 0, wsum = 0;
	for (int k = 0; k < N_USUAL; k++) {
		double w = exp(u->lw[k] - top);
		sum += w * f(&u->b[k]);
		wsum += w;
	}
	return sum / wsum;
}

/* A belief's median time per person at one station: a wait's typical error
 * is smallest at the median. */
static double belief_median_s(const struct belief *b)
{
	return b->span / (b->shape - 1.0 / 3.0);
}

/* The usual beliefs take evidence: each first scores how likely it found
 * it (the gamma-Poisson predictive, a negative binomial). */
static void usual_take(struct usual *u, const struct belief *ev)
{
	if (ev->span <= 0)
		return;
	for (int k = 0; k < N_USUAL; k++) {
		double a = u->b[k].shape, p = u->b[k].span / (u->b[k].span + ev->span);
		u->lw[k] += lgamma(ev->shape + a) - lgamma(a) - lgamma(ev->shape + 1) + a * log(p) +
			    ev->shape * log1p(-p);
		u->b[k].shape += ev->shape;
		u->b[k].span += ev->span;
	}
}

/* The log likelihood ratio of k people leaving in span station-seconds at
 * rate alt rather than at rate null (Poisson). */
static double llr(double k, double span, double alt, double null)
{
	return k * log(alt / null) - (alt - null) * span;
}

static const struct observation *held_at(const struct queue *q, size_t i) /* 0: oldest */
{
	return &q->held[(q->held_head + i) % HELD_MAX];
}

/* The newest n held observations, added up (their start: the oldest's). */
static struct belief held_sum(const struct queue *q, size_t n, int64_t *start_ms)
{
	struct belief b = {0, 0};
	for (size_t i = q->held_n - n; i < q->held_n; i++) {
		b.shape += held_at(q, i)->k;
		b.span += held_at(q, i)->span;
	}
	*start_ms = n ? held_at(q, q->held_n - n)->start_ms : 0;
	return b;
}

/* Hands the oldest observations no CUSUM holds any more to the usual pace. */
static void held_release(struct queue *q)
{
	size_t keep = q->since_slow > q->since_fast ? q->since_slow : q->since_fast;
	keep = q->spell_ms ? q->since_back : keep > q->since_stop ? keep : q->since_stop;
	while (q->held_n > keep) {
		const struct observation *o = held_at(q, 0);
		if (!q->spell_ms)
			usual_take(&q->usual, &(struct belief){o->k, o->span});
		q->held_head = (q->held_head + 1) % HELD_MAX;
		q->held_n--;
	}
}

static void held_clear(struct queue *q)
{
	q->held_n = q->since_slow = q->since_fast = q->since_stop = q->since_back = 0;
}

/* Evidence: k people left in span station-seconds, all stations serving,
 * over the interval [start_ms, t_ms]. */
static void rate_observe(struct queue *q, double k, double span, int64_t start_ms, int64_t t_ms)
{
	rate_fade(q, t_ms);
	double h = log(SPELL_ODDS);
	if (q->held_n == HELD_MAX) { /* too old to decide anything: let it go */
		if (!q->spell_ms)
			usual_take(&q->usual,
				   &(struct belief){held_at(q, 0)->k, held_at(q, 0)->span});
		q->held_head = (q->held_head + 1) % HELD_MAX;
		q->held_n--;
		q->since_slow -= q->since_slow > q->held_n;
		q->since_fast -= q->since_fast > q->held_n;
		q->since_stop -= q->since_stop > q->held_n;
		q->since_back -= q->since_back > q->held_n;
	}
	q->held[(q->held_head + q->held_n++) % HELD_MAX] = (struct observation){k, span, start_ms};
	if (!q->spell_ms) {
		double mu = usual_mix(&q->usual, belief_rate);
		q->cusum_slow = fmax(0, q->cusum_slow + llr(k, span, mu / SPELL_RATIO, mu));
		q->cusum_fast = fmax(0, q->cusum_fast + llr(k, span, mu * SPELL_RATIO, mu));
		q->since_slow = q->cusum_slow > 0 ? q->since_slow + 1 : 0;
		q->since_fast = q->cusum_fast > 0 ? q->since_fast + 1 : 0;
		/* stopped (a restock): the ratio of rate 0 to mu is e^(mu span)
		 * while nobody leaves and nothing once anyone does; it decides
		 * when ln 100 = 4.6 people were due and none left, twice as soon
		 * as the half pace would */
		q->cusum_stop = k > 0 ? 0 : q->cusum_stop + mu * span;
		q->since_stop = q->cusum_stop > 0 ? q->since_stop + 1 : 0;
		bool slow = q->cusum_slow > h, fast = q->cusum_fast > h, stop = q->cusum_stop > h;
		if (slow || fast || stop) {
			/* a spell, since the evidence began to pile up; its pace is
			 * what came since, with one usual person's worth of prior */
			int64_t since;
			size_t n = stop ? q->since_stop : slow ? q->since_slow : q->since_fast;
			struct belief b = held_sum(q, n, &since);
			q->since_slow = q->since_fast = 0;
			/* the older evidence: the usual's. A stop's own is not: nobody
			 * leaving is no usual pace. (A half or twice pace's own still
			 * goes to it too: ESTIMATION.md, Limits.) */
			q->since_stop = stop ? n : 0;
			held_release(q);
			held_clear(q);
			q->spell_ms = since;
			q->spell = (struct belief){b.shape + 1, b.span + 1 / mu};
			q->back_ref = belief_rate(&q->spell);
			q->cusum_slow = q->cusum_fast = q->cusum_stop = q->cusum_back = 0;
			return;
		}
		held_release(q);
		return;
	}
	q->spell.shape += k;
	q->spell.span += span;
	q->cusum_back = fmax(
		0, q->cusum_back + llr(k, span, usual_mix(&q->usual, belief_rate), q->back_ref));
	q->since_back = q->cusum_back > 0 ? q->since_back + 1 : 0;
	if (q->cusum_back == 0)
		q->back_ref = belief_rate(&q->spell);
	if (q->cusum_back > h) { /* back to the usual pace since the evidence began */
		int64_t since;
		struct belief b = held_sum(q, q->since_back, &since);
		usual_take(&q->usual, &b);
		held_clear(q);
		q->spell_ms = 0;
		q->cusum_back = 0;
		return;
	}
	held_release(q); /* a spell's evidence is the spell's only */
}

/* The usual pace as the wait sees it: with the evidence the CUSUMs hold back
 * while they weigh it. Holding it matters only once a spell is decided; until
 * then, leaving it out leaves out just the exits that look like a change — a
 * biased sample (at 2 stations, a surge's first quiet windows counted and the
 * window with two exits held: 40 s read as 60 s). */
static struct usual usual_seen(const struct queue *q)
{
	struct usual u = q->usual;
	if (!q->spell_ms && q->held_n) {
		int64_t since;
		struct belief b = held_sum(q, q->held_n, &since);
		usual_take(&u, &b);
	}
	return u;
}

/* People per second the open stations serve now. */
static double serving_now(struct queue *q, int64_t t_ms)
{
	rate_fade(q, t_ms);
	struct usual u = usual_seen(q);
	return q->stations * (q->spell_ms ? belief_rate(&q->spell) : usual_mix(&u, belief_rate));
}

/* Seconds until ahead people have left. In a spell that has lasted d, at its
 * pace for d more seconds (Gott's rule), then at the usual pace. Each pace
 * as its belief's median per person: the typical error is smallest there. */
static void pace_of(struct queue *q, int64_t t_ms, struct serving_pace *p)
{
	rate_fade(q, t_ms);
	p->stations = q->stations;
	struct usual u = usual_seen(q);
	p->usual_per_s = 1.0 / usual_mix(&u, belief_median_s);
	p->spell_per_s = q->spell_ms ? 1.0 / belief_median_s(&q->spell) : p->usual_per_s;
	p->spell_age_s =
		q->spell_ms && t_ms > q->spell_ms ? (double)(t_ms - q->spell_ms) / 1000.0 : 0;
}

double serving_pace_time(const struct serving_pace *p, double ahead, double from_s)
{
	double usual = p->stations * p->usual_per_s, current = p->stations * p->spell_per_s;
	/* the spell lasts as long again as it has: to 2 x its age */
	double left =
		p->spell_age_s > 0 ? fmax(0, 2 * p->spell_age_s - (p->spell_age_s + from_s)) : 0;
	if (ahead <= current * left)
		return ahead / current;
	return left + (ahead - current * left) / usual;
}

static double time_to_serve(struct queue *q, double ahead, int64_t t_ms)
{
	struct serving_pace p;
	pace_of(q, t_ms, &p);
	return serving_pace_time(&p, ahead, 0);
}

void estimator_pace(struct estimator *est, size_t i, int64_t t_ms, struct serving_pace *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= est->n || !est->queues[i].declared)
		return;
	pace_of(&est->queues[i], t_ms, out);
}

/* Whether an entry and an exit counter both report: the count follows the
 * line. */
static bool counts_live(const struct queue *q, int64_t t_ms)
{
	bool entry = false, exit = false;
	for (int i = 0; i < q->n_sensors; i++) {
		const struct sensor *x = &q->sensors[i];
		if (x->occupancy || silent(x, t_ms))
			continue;
		entry |= x->role == ROLE_ENTRY;
		exit |= x->role == ROLE_EXIT;
	}
	return entry && exit;
}

/* Moves the queue's clock to t: imputes the counts of silent counters and
 * empties a line whose stations are visibly idle. */
static void advance(struct queue *q, int64_t t_ms)
{
	if (!q->started) {
		q->started = true;
		q->now_ms = q->first_ms = q->last_exit_ms = t_ms;
		q->rate_ms = t_ms; /* the prior holds from the first sample */
		q->restart_ms = INT64_MIN / 2;
		return;
	}
	if (t_ms <= q->now_ms)
		return;
	double dt = (double)(t_ms - q->now_ms) / 1000.0;
	double mu = serving_now(q, t_ms);
	bool exits_alive = false;
	double exit_period = 0;
	for (int i = 0; i < q->n_sensors; i++) {
		struct sensor *x = &q->sensors[i];
		if (x->occupancy)
			continue;
		if (x->role == ROLE_EXIT && !silent(x, t_ms)) {
			exits_alive = true;
			exit_period = fmax(exit_period, x->period_s);
		}
		if (!x->seen || !silent(x, t_ms) || (double)(t_ms - x->last_ms) > DEAD_S * 1000.0)
			continue; /* past DEAD_S a guess is no longer worth making */
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
	/* quiet for three service times, and three of the exit counter's own
	 * reports: between two reports every exit looks quiet */
	double idle_s =
		fmax(fmax(IDLE_MIN_S, IDLE_SERVICES * q->service_s), LATE_REPORTS * exit_period);
	/* unless enough surely wait to keep every station busy (beyond the
	 * count's error, as for the pace) and more joined after the exits
	 * stopped: then the stations stopped, with the line at its fullest */
	bool stalled = q->joined_quiet >= STALL_JOINED && q->people - count_doubt(q) >= q->stations;
	if (exits_alive && q->stations > 0 && q->people > 0 && !stalled &&
	    (double)(t_ms - q->last_exit_ms) > idle_s * 1000.0) {
		q->people = 0; /* open stations, nobody leaving: nobody waits */
		count_exact(q);
	}
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
	if (x->rebase) {
		/* the first count after every sensor fell silent: what it
		 * counted meanwhile has no time to it (a night's stray counts) */
		x->rebase = false;
		x->total = s->total;
		x->last_ms = s->t_ms;
		x->imputed = 0;
		x->rate = 0;
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
	note_report(x, s->t_ms);
	double delta = (double)inc - x->imputed; /* confirm, or take back, what was assumed */
	x->imputed = 0;
	if (x->role == ROLE_ENTRY) {
		q->people += delta;
		count_moved(q, delta, 0);
		/* at idle stations they would have left within a service time;
		 * with a line that keeps the stations busy, one who did not
		 * means the stations stopped, not that the line is empty */
		if (delta > 0 && s->t_ms - q->last_exit_ms > (int64_t)(q->service_s * 1000))
			q->joined_quiet += delta;
	} else {
		q->people -= delta;
		count_moved(q, 0, delta);
		if (inc > 0) {
			q->last_exit_ms = s->t_ms > q->last_exit_ms ? s->t_ms : q->last_exit_ms;
			q->joined_quiet = 0;
		}
		/* Measure the serving rate only over intervals that every station
		 * surely spent serving: enough people ahead, beyond the count's
		 * error (two standard errors), that the stations never ran out
		 * even with no one arriving (a count drifted up at the end of a
		 * surge must not make an idle line look slow), and busy for a
		 * service time already (stations that just started serving let
		 * nobody go for a service time: a surge's start is not slow). */
		bool busy = q->sure_at_exit >= q->stations + (double)inc && q->busy_since_ms &&
			    x->last_ms - q->busy_since_ms >= (int64_t)(q->service_s * 1000);
		if (dt > 0 && dt < 2 * late_s(x) && q->stations > 0 && busy)
			rate_observe(q, (double)inc, dt * q->stations, x->last_ms, s->t_ms);
	}
	if (q->people <= 0) {
		q->people = 0;
		count_exact(q);
	}
	if (x->role == ROLE_EXIT) {
		q->people_at_exit = q->people;
		q->sure_at_exit = q->people - count_doubt(q);
		if (q->sure_at_exit < q->stations)
			q->busy_since_ms = 0;
		else if (!q->busy_since_ms)
			q->busy_since_ms = s->t_ms;
	}
	if (dt > 0 && dt < 5 * RATE_TAU_S) {
		double a = 1.0 - exp(-dt / RATE_TAU_S);
		x->rate += a * ((double)inc / dt - x->rate);
	}
	if (s->t_ms > x->last_ms) {
		x->total = s->total;
		x->last_ms = s->t_ms;
	}
}

/* Every sensor was silent for DEAD_S (the night, a power cut): the line as
 * it was is no guide to the line now. It starts empty, as at the first
 * sample; a spell in course is over; the pace learned stays. */
static void resume(struct queue *q, int64_t t_ms)
{
	rate_fade(q, t_ms);
	if (!q->spell_ms) { /* what was held back as a possible spell: usual after all */
		q->since_slow = q->since_fast = q->since_stop = 0;
		held_release(q);
	}
	q->spell_ms = 0;
	held_clear(q);
	q->cusum_slow = q->cusum_fast = q->cusum_stop = q->cusum_back = 0;
	q->people = q->people_at_exit = q->sure_at_exit = q->joined_quiet = 0;
	count_exact(q);
	q->busy_since_ms = 0;
	q->now_ms = q->last_exit_ms = t_ms;
	q->restart_ms = INT64_MIN / 2;
	for (int i = 0; i < q->n_sensors; i++) {
		q->sensors[i].rebase = q->sensors[i].seen;
		q->sensors[i].imputed = 0;
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
		/* a new declared service time is a new prior; the same one again
		 * (a sensor re-declaring) keeps what was learned */
		bool new_prior = !q->declared || q->service_s != s->service_s;
		q->declared = true;
		q->stations = s->stations;
		q->service_s = s->service_s;
		if (new_prior)
			rate_prior(q, s->service_s, q->started ? q->now_ms : 0);
		return true;
	}
	if (q->started && q->newest_ms != INT64_MIN &&
	    (double)(s->t_ms - q->newest_ms) > DEAD_S * 1000.0)
		resume(q, s->t_ms);
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
	if (x->seen && s->t_ms < x->last_ms)
		return true;
	note_report(x, s->t_ms);
	q->disagreement += 0.3 * (fabs(s->people - q->people) - q->disagreement);
	zone_reading(q, s->people, counts_live(q, s->t_ms));
	x->seen = true;
	x->people = s->people;
	x->last_ms = s->t_ms;
	return true;
}

/* What the queue's sensors have reported: how many of each kind, how many
 * are silent at t, and the newest report (INT64_MIN when none). */
struct tally {
	int entry, exit, occ, silent;
	int64_t newest;
};

static struct tally tally_sensors(const struct queue *q, int64_t t_ms)
{
	struct tally n = {0, 0, 0, 0, INT64_MIN};
	for (int k = 0; k < q->n_sensors; k++) {
		const struct sensor *x = &q->sensors[k];
		if (!x->seen)
			continue;
		n.newest = x->last_ms > n.newest ? x->last_ms : n.newest;
		n.silent += silent(x, t_ms);
		if (x->occupancy)
			n.occ++;
		else if (x->role == ROLE_ENTRY)
			n.entry++;
		else
			n.exit++;
	}
	return n;
}

/* No estimate at t: says why in out->why (the literals are the reasons
 * i18n translates, and its test reads them here). */
static bool no_estimate(const struct queue *q, const struct tally *n, int64_t t_ms,
			struct wait_estimate *out)
{
	if (!q->declared || q->service_s <= 0)
		out->why = "queue not declared (no stations or service time)";
	else if (q->stations == 0)
		out->why = "no station open";
	else if (!(n->entry && n->exit) && !n->occ)
		out->why = "no entry and exit counts yet";
	else if (n->newest == INT64_MIN || (double)(t_ms - n->newest) > DEAD_S * 1000.0)
		out->why = "every sensor silent for 10 minutes";
	else
		return false;
	return true;
}

/* Counters report every few seconds: project each live one to t at its
 * recent rate, so a surge is not shown 15 s late. */
static double people_at(const struct queue *q, int64_t t_ms)
{
	double people = q->people;
	for (int k = 0; k < q->n_sensors; k++) {
		const struct sensor *x = &q->sensors[k];
		if (x->occupancy || !x->seen || silent(x, t_ms) || t_ms <= x->last_ms)
			continue;
		double lag = (double)(t_ms - x->last_ms) / 1000.0;
		people += (x->role == ROLE_ENTRY ? 1 : -1) * x->rate * lag;
	}
	return people < 0 ? 0 : people;
}

void estimator_estimate(struct estimator *est, size_t i, int64_t t_ms, struct wait_estimate *out)
{
	struct queue *q = &est->queues[i];
	memset(out, 0, sizeof(*out));
	out->queue = q->id;
	out->t_ms = t_ms;
	out->confidence = CONFIDENCE_NONE;
	advance(q, t_ms);
	struct tally seen = tally_sensors(q, t_ms);
	if (no_estimate(q, &seen, t_ms, out))
		return;
	bool counts = seen.entry && seen.exit;
	out->known = true;
	double people = people_at(q, t_ms);
	out->people = people;
	out->wait_s = time_to_serve(q, fmax(people + 1.0, q->stations), t_ms);
	out->confidence = CONFIDENCE_GOOD;
	out->why = "";
	if (seen.silent) {
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
	if (seen.occ && q->disagreement > fmax(5.0, 0.3 * q->people + 3.0)) {
		out->confidence = CONFIDENCE_DEGRADED;
		out->why = "counts and occupancy disagree";
	}
}
