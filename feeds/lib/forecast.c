/* forecast: per queue, the minutes of each day (arrivals counted at the
 * entry line), a model of them fitted on the earlier days (a trickle, plus
 * the people of each session that lets out, times a share that depends on
 * the time of day, spread over a walking time), a scale for today learned as
 * today's arrivals come, a fluid queue run forward, and a record of its own
 * errors for the interval, and of its errors against two baselines' that
 * withholds it where it does worse (forecast_record). */
#include "forecast.h"

#include "civil_time.h"
#include "schedule.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	DAY_MIN = 1440,
	BIN_MIN = 30,              /* shares per half hour of the day a session ends */
	N_BINS = DAY_MIN / BIN_MIN,
	LAG_MAX = 90,              /* minutes: nobody takes longer to reach the line */
	MAX_SENSORS = 16,          /* entry counters per queue */
	MAX_ENDS = 2048,           /* sessions letting out on one day */
	MAX_ROOMS = 128,           /* rooms with a count */
	ROOM_SLOT_S = 300,         /* a room's count: the most seen per 5 minutes... */
	ROOM_SLOTS = (FORECAST_HISTORY_DAYS + 1) * 288, /* ...over the days learned from */
	CHECKS = 256,              /* self-checks kept per horizon */
	PENDING = 96,              /* forecasts waiting for their moment */
	MIN_CHECKS = 20,           /* fewer: the prior interval */
	LEAD_ALL = DAY_MIN,        /* every session of the day sends people */
	DOOR_LOOK_MIN = 20,        /* a door's crowd is through within this */
};

/* The half-widths of the interval before the forecaster has checked itself
 * MIN_CHECKS times, as shares of (forecast + 2 min): wide, and wider above
 * (a line can grow further than it can shrink). */
static const double PRIOR_Q10 = -0.5, PRIOR_Q90 = 0.8;
static const double ERROR_FLOOR_S = 120.0; /* errors are relative to forecast + this */
static const double DEFAULT_SEATS = 100.0; /* a room nobody gave seats for */
static const double DAY_SCALE_SD = 0.25;   /* a day's crowd within a quarter of another's */
static const double DAY_SCALE_DAYS = 4.0;  /* ...as sure as four days' evidence */
static const double WAVE_NOISE = 0.10;     /* the model's own error on a wave's size */
static const double DOOR_NEAR = 0.8;       /* a minute near the door's most is held */
static const double RIDGE = 0.5;           /* how far a half hour's share may stray from
					    * the day's, in units of its own evidence */
static const int HORIZONS_MIN[] = {15, 30, 60};
enum { N_H = sizeof(HORIZONS_MIN) / sizeof(*HORIZONS_MIN) };
static const int CHECK_EVERY_S = 300;
/* A forecast's errors depend on its size: a short line foreseen is short or
 * the wave came early; a long one is longer or shorter by minutes. The
 * interval takes the errors of forecasts of the same level: under 5
 * minutes, 5 to 15, over 15. */
static const double LEVEL_S[] = {300, 900};
enum { N_LEVELS = 3 };
static const int64_t COUNTER_GAP_MS = 600000; /* the now-cast's: every sensor dead */
static const double OPEN_MIN_PEOPLE = 5.0;    /* five minutes of at least this many... */
static const double OPEN_SHARE = 0.02;        /* ...and this share of a day: an opening */

/* A day of one queue: entries per local minute, and the minutes watched. */
struct day_obs {
	int64_t day; /* local days since 1970-01-01 */
	float arr[DAY_MIN];
	int first, last; /* watched minutes, -1 when none */
};

struct counter {
	char id[QUEUE_ID_MAX + 1];
	int64_t total, t_ms;
};

/* People letting out of a session: local minute, how many. */
struct end {
	int min;
	double people;
};

struct model {
	int days; /* fitted on; 0: the day-one prior */
	double lag[LAG_MAX]; /* P(reaching the line m minutes after leaving) */
	double share[N_BINS];
	double base; /* per minute while open */
	double scale_sd;
	int lead_min;  /* sessions ending this long before the opening send people */
	int open_min;  /* the usual opening, -1 when the line shows none */
	double door_per_min; /* the entry's pace when a crowd waits at it, 0: none seen */
	int close_min; /* the usual last watched minute, -1 unknown */
	double day_total; /* arrivals on a usual day, 0 unknown */
};

struct check {
	int64_t at_ms;
	int h;
	double forecast;
	/* the baselines as the forecast was made: the wait then, and the
	 * earlier days' at the moment's clock time */
	double persistence, same_time;
};

struct fq {
	struct day_obs today;
	struct day_obs *hist; /* ring of FORECAST_HISTORY_DAYS */
	size_t hist_head, hist_n;
	struct counter counters[MAX_SENSORS];
	int n_counters;
	struct model m;
	bool dirty; /* history changed since the fit */
	/* its errors in seconds (then minus forecast), per horizon and level */
	float errors[N_H][N_LEVELS][CHECKS];
	size_t n_errors[N_H][N_LEVELS], err_head[N_H][N_LEVELS];
	struct check pending[PENDING];
	size_t n_pending;
	int64_t next_check_ms;
	struct forecast_record record; /* against the baselines: is it worth showing */
};

struct room_counts {
	char key[SCHEDULE_MAX_NAME * 2 + 1]; /* the room's name, folded */
	int64_t slot[ROOM_SLOTS];            /* which 5 minutes each entry holds */
	int16_t people[ROOM_SLOTS];
};

struct forecaster {
	struct estimator *est;
	const struct schedule *schedule;
	double seats_default;
	struct fq *q[ESTIMATOR_MAX_QUEUES];
	struct room_counts *rooms[MAX_ROOMS];
	size_t n_rooms;
	bool raw; /* while the self-check forecasts: the model's own, never withheld
		   * (a withheld forecast must still be scored to come back) */
};

_Static_assert(FORECAST_RECORD_HORIZONS == sizeof(HORIZONS_MIN) / sizeof(*HORIZONS_MIN),
	       "the record keeps one ring per self-check horizon");

struct forecaster *forecaster_create(void)
{
	struct forecaster *f = calloc(1, sizeof(*f));
	if (f && !(f->est = estimator_create())) {
		free(f);
		return NULL;
	}
	if (f)
		f->seats_default = DEFAULT_SEATS;
	return f;
}

void forecaster_destroy(struct forecaster *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++) {
		if (f->q[i])
			free(f->q[i]->hist);
		free(f->q[i]);
	}
	for (size_t i = 0; i < f->n_rooms; i++)
		free(f->rooms[i]);
	estimator_destroy(f->est);
	free(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void forecaster_set_schedule(struct forecaster *f, const struct schedule *s)
{
	f->schedule = s;
	f->seats_default = DEFAULT_SEATS;
	size_t n = 0;
	double *caps = s && s->n_rooms ? malloc(s->n_rooms * sizeof(*caps)) : NULL;
	for (size_t i = 0; caps && i < s->n_rooms; i++)
		if (s->rooms[i].capacity > 0)
			caps[n++] = s->rooms[i].capacity;
	if (n) { /* a room without seats is like the others' median */
		qsort(caps, n, sizeof(*caps), cmp_double);
		f->seats_default = caps[n / 2];
	}
	free(caps);
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++)
		if (f->q[i])
			f->q[i]->dirty = true;
}

size_t forecaster_queue_count(const struct forecaster *f)
{
	return estimator_queue_count(f->est);
}

const char *forecaster_queue_id(const struct forecaster *f, size_t i)
{
	return estimator_queue_id(f->est, i);
}

int64_t forecaster_queue_newest_ms(const struct forecaster *f, size_t i)
{
	return estimator_queue_newest_ms(f->est, i);
}

void forecaster_now(struct forecaster *f, size_t i, int64_t t_ms, struct wait_estimate *out)
{
	estimator_estimate(f->est, i, t_ms, out);
}

struct estimator *forecaster_estimator(struct forecaster *f)
{
	return f->est;
}

int forecaster_days_learned(const struct forecaster *f, size_t i)
{
	return i < ESTIMATOR_MAX_QUEUES && f->q[i] ? (int)f->q[i]->hist_n : 0;
}

/* ---- the local clock --------------------------------------------------------------- */

static void local_time(const struct forecaster *f, int64_t t_ms, int64_t *day, int *minute)
{
	struct civil c;
	int64_t t = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
	civil_from_utc_in(t, f->schedule ? f->schedule->zone : NULL, &c);
	*day = civil_days_from_date(c.year, c.month, c.day);
	*minute = c.hour * 60 + c.minute;
}

/* ---- what the schedule says ------------------------------------------------------- */

static bool contains_ci(const char *s, const char *word)
{
	for (; s && *s; s++)
		if (text_starts_with_ci(s, word))
			return true;
	return false;
}

/* Catering sends nobody to lunch: breaks, meals, coffee. */
static bool is_catering(const struct session *x)
{
	static const char *const words[] = {"lunch", "d\xC3\xA9jeuner", "dejeuner", "coffee",
					    "caf\xC3\xA9", "pause", "buffet", "break", "repas",
					    "catering"};
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (contains_ci(x->type, words[k]) || contains_ci(x->title, words[k]))
			return true;
	return false;
}

/* The most people a room's sensor saw while a session ran there (start to
 * end, UTC seconds; as far as it has been counted), -1 when none. */
static int counted_during(const struct forecaster *f, const char *room_name, int64_t start,
			  int64_t end)
{
	char key[sizeof(f->rooms[0]->key)];
	text_fold_key(room_name, key, sizeof(key));
	for (size_t i = 0; i < f->n_rooms; i++) {
		const struct room_counts *r = f->rooms[i];
		if (strcmp(r->key, key) != 0)
			continue;
		int best = -1;
		for (int64_t slot = start / ROOM_SLOT_S; slot <= end / ROOM_SLOT_S; slot++) {
			size_t j = (size_t)(slot % ROOM_SLOTS);
			if (r->slot[j] == slot && r->people[j] > best)
				best = r->people[j];
		}
		return best;
	}
	return -1;
}

/* The sessions that let out on local day: when, and how many (a room's
 * count when there was one, else its seats). Returns how many. */
static size_t day_ends(const struct forecaster *f, int64_t day, struct end *out, size_t cap)
{
	const struct schedule *s = f->schedule;
	size_t n = 0;
	for (size_t i = 0; s && i < s->n_sessions && n < cap; i++) {
		const struct session *x = &s->sessions[i];
		if (x->status == SESSION_CANCELLED || is_catering(x) || x->end - x->start > 4 * 3600)
			continue; /* an exhibition or registration desk is no session */
		int64_t d;
		int m;
		local_time(f, x->end * 1000, &d, &m);
		if (d != day)
			continue;
		const struct room *r = x->room ? schedule_find_room(s, x->room) : NULL;
		int counted = r ? counted_during(f, r->name, x->start, x->end) : -1;
		double seats = r && r->capacity > 0 ? r->capacity : f->seats_default;
		out[n++] = (struct end){m, counted >= 0 ? counted : seats};
	}
	return n;
}

/* ---- the model ---------------------------------------------------------------------- */

/* A log-normal walking time, median med minutes, spread sigma, per minute. */
static void lag_pmf(double med, double sigma, double *pmf)
{
	double prev = 0, sum = 0;
	for (int m = 0; m < LAG_MAX; m++) {
		double x = m + 1.0;
		double cdf = 0.5 * erfc(-(log(x) - log(med)) / (sigma * sqrt(2.0)));
		pmf[m] = cdf - prev;
		prev = cdf;
		sum += pmf[m];
	}
	for (int m = 0; m < LAG_MAX; m++)
		pmf[m] /= sum > 0 ? sum : 1;
}

/* The sessions that send people to this line: those ending lead minutes
 * or less before it opens (earlier ones lunch elsewhere, or not yet), or
 * all when the opening is unknown. */
static int first_end(int open_min, int lead_min)
{
	return open_min < 0 || lead_min >= LEAD_ALL ? -DAY_MIN : open_min - lead_min;
}

/* The day's wave per minute for unit shares, one row per half hour of the
 * end time: w[bin][minute]; ends before from_min left out. */
static void waves(const struct end *e, size_t n, const double *lag, int from_min,
		  float (*w)[DAY_MIN])
{
	memset(w, 0, sizeof(float) * N_BINS * DAY_MIN);
	for (size_t i = 0; i < n; i++) {
		if (e[i].min < from_min)
			continue;
		int b = e[i].min / BIN_MIN;
		for (int m = 0; m < LAG_MAX && e[i].min + m < DAY_MIN; m++)
			w[b][e[i].min + m] += (float)(e[i].people * lag[m]);
	}
}

/* The same, all half hours together, as running totals from minute start
 * (zero before it): of the sessions that ended before the opening (xb:
 * their people are free when it opens) and of those that end after (xa). */
static void wave_running(const struct end *e, size_t n, const double *lag, int from_min,
			 int open, int start, double *xb, double *xa)
{
	memset(xb, 0, sizeof(double) * DAY_MIN);
	memset(xa, 0, sizeof(double) * DAY_MIN);
	for (size_t i = 0; i < n; i++) {
		if (e[i].min < from_min)
			continue;
		double *x = open >= 0 && e[i].min < open ? xb : xa;
		for (int m = 0; m < LAG_MAX && e[i].min + m < DAY_MIN; m++)
			x[e[i].min + m] += e[i].people * lag[m];
	}
	for (int m = 0; m < start && m < DAY_MIN; m++)
		xb[m] = xa[m] = 0;
	for (int m = start + 1; m < DAY_MIN; m++)
		xb[m] += xb[m - 1], xa[m] += xa[m - 1];
}


/* The minute a line opened: the first from which five minutes bring at
 * least need people (a closed door lets nobody in; a few stray counts
 * before it are no opening). Looks at minutes up to upto; -1 when none. */
static int opening(const struct day_obs *o, int upto, double need)
{
	if (o->first < 0)
		return -1;
	upto = upto < o->last ? upto : o->last;
	double run = 0;
	for (int m = o->first, head = o->first; m <= upto; m++) {
		run += o->arr[m];
		if (m - head >= 5)
			run -= o->arr[head++];
		if (run >= need) {
			while (o->arr[head] <= 0) /* the first minute anyone came */
				head++;
			return head;
		}
	}
	return -1;
}

/* One earlier day, prepared for the fit. A door that opens at lunchtime
 * holds those who came early and lets them in as fast as it can: while it
 * does, the counts say how fast the door is, not how many came, so the fit
 * starts once the crowd at the door is through (fit_from). Running totals
 * weigh a wave by its size, not by how sharply it is timed. */
struct fit_day {
	const struct day_obs *obs;
	struct end *ends;
	size_t n_ends;
	int open, fit_from;  /* opening (-1: none seen), first minute fitted */
	double door;         /* the door's pace that day, 0 when it never held anyone */
	float cy[DAY_MIN];   /* arrivals since the opening (or the first watched minute) */
	float (*w)[DAY_MIN]; /* running waves per half hour, for the shares */
	double xb[DAY_MIN], xa[DAY_MIN]; /* running waves: ended before, after the opening */
};

/* Where a day's running totals start: midnight when a door held the early
 * ones (they all come in after it opens), else the first watched minute. */
static int running_start(const struct fit_day *d)
{
	return d->open >= 0 ? 0 : d->obs->first;
}

static void prepare_day(struct fit_day *d)
{
	const struct day_obs *o = d->obs;
	double total = 0;
	for (int m = o->first; m <= o->last; m++)
		total += o->arr[m];
	d->open = opening(o, o->last, fmax(OPEN_MIN_PEOPLE, OPEN_SHARE * total));
	int from = d->open >= 0 ? d->open : o->first;
	double sum = 0;
	for (int m = o->first; m <= o->last; m++)
		d->cy[m] = (float)(sum += m >= from ? o->arr[m] : 0);
	/* the door: a plateau at the opening, three minutes or more near the
	 * most that came in a minute */
	d->door = 0;
	d->fit_from = from;
	if (d->open < 0)
		return;
	int end = d->open + DOOR_LOOK_MIN < o->last ? d->open + DOOR_LOOK_MIN : o->last;
	double top = 0;
	for (int m = d->open; m <= end; m++)
		top = fmax(top, o->arr[m]);
	int near = 0, last_near = d->open;
	double near_sum = 0;
	for (int m = d->open; m <= end; m++)
		if (o->arr[m] >= DOOR_NEAR * top) {
			near++;
			near_sum += o->arr[m];
			last_near = m;
		}
	if (near >= 3 && top >= 10) {
		d->door = near_sum / near;
		d->fit_from = last_near + 1;
	}
}

/* Solves the n x n system a x = b (Gaussian elimination, partial pivoting);
 * false when singular. a and b are overwritten. */
static bool solve(double *a, double *b, int n, double *x)
{
	for (int c = 0; c < n; c++) {
		int p = c;
		for (int r = c + 1; r < n; r++)
			if (fabs(a[r * n + c]) > fabs(a[p * n + c]))
				p = r;
		if (fabs(a[p * n + c]) < 1e-12)
			return false;
		for (int k = 0; k < n; k++) {
			double t = a[c * n + k];
			a[c * n + k] = a[p * n + k];
			a[p * n + k] = t;
		}
		double t = b[c];
		b[c] = b[p];
		b[p] = t;
		for (int r = c + 1; r < n; r++) {
			double q = a[r * n + c] / a[c * n + c];
			for (int k = c; k < n; k++)
				a[r * n + k] -= q * a[c * n + k];
			b[r] -= q * b[c];
		}
	}
	for (int c = n - 1; c >= 0; c--) {
		double s = b[c];
		for (int k = c + 1; k < n; k++)
			s -= a[c * n + k] * x[k];
		x[c] = s / a[c * n + c];
	}
	return true;
}

/* Minutes of the base's trickle by minute m of day d. */
static double base_minutes(const struct fit_day *d, int m)
{
	int from = d->open >= 0 ? d->open : d->obs->first;
	return m >= from ? m - from + 1 : 0;
}

/* Running arrivals = base x minutes open + share_before x running wave of
 * the sessions that ended before the opening + share_after x that of the
 * others: least squares with every coefficient at least 0 (the best of the
 * subsets whose solution is), c = {base, before, after}. Returns the
 * squared error. */
static double pooled_fit(const struct fit_day *d, size_t nd, double c[3])
{
	double xx[3][3] = {{0}}, xy[3] = {0}, yy = 0;
	for (size_t k = 0; k < nd; k++)
		for (int m = d[k].fit_from; m >= 0 && m <= d[k].obs->last; m++) {
			double x[3] = {base_minutes(&d[k], m), d[k].xb[m], d[k].xa[m]};
			double y = d[k].cy[m];
			for (int i = 0; i < 3; i++) {
				xy[i] += x[i] * y;
				for (int j = 0; j < 3; j++)
					xx[i][j] += x[i] * x[j];
			}
			yy += y * y;
		}
	double best = yy;
	c[0] = c[1] = c[2] = 0;
	for (int set = 1; set < 8; set++) {
		int idx[3], n = 0;
		for (int i = 0; i < 3; i++)
			if (set & (1 << i))
				idx[n++] = i;
		double a[9], r[3], x[3], full[3] = {0};
		for (int i = 0; i < n; i++) {
			r[i] = xy[idx[i]];
			for (int j = 0; j < n; j++)
				a[i * n + j] = xx[idx[i]][idx[j]];
		}
		if (!solve(a, r, n, x))
			continue;
		bool ok = true;
		for (int i = 0; i < n; i++)
			ok = ok && x[i] >= 0, full[idx[i]] = x[i];
		if (!ok)
			continue;
		/* the squared error, expanded: yy - 2 c.xy + c' xx c */
		double sse = yy;
		for (int i = 0; i < 3; i++) {
			sse -= 2 * full[i] * xy[i];
			for (int j = 0; j < 3; j++)
				sse += full[i] * xx[i][j] * full[j];
		}
		if (sse < best)
			best = sse, memcpy(c, full, sizeof(full));
	}
	return best;
}

/* The shares of each half hour, shrunk toward the pooled one (ridge), given
 * the base: the running waves of different end times are the regressors. */
static void bin_shares(const struct fit_day *d, size_t nd, const double *before,
		       const double c[3], double *share)
{
	int idx[N_BINS], k = 0;
	double mass[N_BINS] = {0};
	for (size_t i = 0; i < nd; i++)
		for (int b = 0; b < N_BINS; b++)
			mass[b] += d[i].w[b][d[i].obs->last];
	double base = c[0], pooled[N_BINS];
	for (int b = 0; b < N_BINS; b++) { /* each half hour's prior: its side of the opening */
		pooled[b] = before[b] * c[1] + (1 - before[b]) * c[2];
		share[b] = pooled[b];
		if (mass[b] > 1.0)
			idx[k++] = b;
	}
	if (k == 0)
		return;
	double *a = calloc((size_t)k * k, sizeof(double)), *rhs = calloc((size_t)k, sizeof(double));
	double *x = calloc((size_t)k, sizeof(double));
	if (!a || !rhs || !x)
		goto out;
	for (size_t i = 0; i < nd; i++)
		for (int m = d[i].fit_from; m >= 0 && m <= d[i].obs->last; m++) {
			double r = d[i].cy[m] - base * base_minutes(&d[i], m);
			for (int p = 0; p < k; p++)
				r -= pooled[idx[p]] * d[i].w[idx[p]][m];
			for (int p = 0; p < k; p++) {
				double xp = d[i].w[idx[p]][m];
				if (xp == 0)
					continue;
				rhs[p] += xp * r;
				for (int q = 0; q < k; q++)
					a[p * k + q] += xp * d[i].w[idx[q]][m];
			}
		}
	for (int p = 0; p < k; p++) /* the ridge: each share's own evidence weighs it */
		a[p * k + p] += RIDGE * a[p * k + p] + 1e-9;
	if (solve(a, rhs, k, x))
		for (int p = 0; p < k; p++)
			share[idx[p]] = fmax(0, pooled[idx[p]] + x[p]);
out:
	free(a);
	free(rhs);
	free(x);
}

/* Lunch by the programme on local day: the start of its first meal
 * session between 10:00 and 16:00, -1 when it has none. */
static int programme_lunch(const struct forecaster *f, int64_t day)
{
	const struct schedule *s = f->schedule;
	static const char *const words[] = {"lunch", "d\xC3\xA9jeuner", "dejeuner", "repas", "meal"};
	int best = -1;
	for (size_t i = 0; s && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		if (x->status == SESSION_CANCELLED)
			continue;
		bool meal = false;
		for (size_t k = 0; k < sizeof(words) / sizeof(*words) && !meal; k++)
			meal = contains_ci(x->title, words[k]) || contains_ci(x->type, words[k]);
		int64_t d;
		int m;
		local_time(f, x->start * 1000, &d, &m);
		if (meal && d == day && m >= 600 && m <= 960 && (best < 0 || m < best))
			best = m;
	}
	return best;
}

/* The day-one prior: a trickle, and four in ten of those who let out in the
 * half hour before the line opens or while it is open join, five minutes
 * later (give or take); the opening is the programme's lunch. */
static void prior_model(struct model *m)
{
	memset(m, 0, sizeof(*m));
	lag_pmf(5.0, 0.6, m->lag);
	for (int b = 0; b < N_BINS; b++)
		m->share[b] = 0.4;
	m->base = 0.5;
	m->scale_sd = 0.5;
	m->lead_min = 30;
	m->open_min = m->close_min = -1;
}

static const struct day_obs *hist_at(const struct fq *q, size_t i)
{
	return &q->hist[(q->hist_head + i) % FORECAST_HISTORY_DAYS];
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Fits queue q's model on its earlier days: each day's opening and door;
 * then the walking time and how long before the opening people set out
 * that explain the days best (a grid), the shares per half hour, and how
 * much the days differ. */
static void fit(struct forecaster *f, struct fq *q)
{
	q->dirty = false;
	prior_model(&q->m);
	if (q->hist_n == 0)
		return;
	struct fit_day *d = calloc(FORECAST_HISTORY_DAYS, sizeof(*d));
	size_t nd = 0;
	bool ok = d != NULL;
	for (size_t i = 0; ok && i < q->hist_n; i++) {
		if (hist_at(q, i)->first < 0)
			continue;
		struct fit_day *x = &d[nd++];
		x->obs = hist_at(q, i);
		x->w = malloc(sizeof(float) * N_BINS * DAY_MIN);
		x->ends = malloc(MAX_ENDS * sizeof(*x->ends));
		ok = x->w && x->ends;
		if (ok) {
			x->n_ends = day_ends(f, x->obs->day, x->ends, MAX_ENDS);
			prepare_day(x);
		}
	}
	if (!ok || nd == 0)
		goto out;
	double opens[FORECAST_HISTORY_DAYS], doors[FORECAST_HISTORY_DAYS], lasts[FORECAST_HISTORY_DAYS];
	size_t n_open = 0, n_door = 0;
	for (size_t k = 0; k < nd; k++) {
		if (d[k].open >= 0)
			opens[n_open++] = d[k].open;
		if (d[k].door > 0)
			doors[n_door++] = d[k].door;
		lasts[k] = d[k].obs->last;
	}
	q->m.open_min = n_open ? (int)median(opens, n_open) : -1;
	/* a door seen holding people on most days is the venue's */
	q->m.door_per_min = 2 * n_door > nd ? median(doors, n_door) : 0;
	q->m.close_min = (int)median(lasts, nd);
	for (size_t k = 0; k < nd; k++)
		lasts[k] = d[k].cy[d[k].obs->last];
	q->m.day_total = median(lasts, nd);
	static const double sigmas[] = {0.35, 0.6, 0.9};
	static const int leads[] = {0, 10, 20, 30, 45, 60, 90, 120, LEAD_ALL};
	double best = INFINITY, best_med = 5, best_sigma = 0.6, lag[LAG_MAX];
	int best_lead = LEAD_ALL;
	for (size_t l = 0; l < sizeof(leads) / sizeof(*leads); l++)
		for (int med = 1; med <= 20; med++)
			for (size_t s = 0; s < sizeof(sigmas) / sizeof(*sigmas); s++) {
				lag_pmf(med, sigmas[s], lag);
				for (size_t k = 0; k < nd; k++)
					wave_running(d[k].ends, d[k].n_ends, lag,
						     first_end(d[k].open, leads[l]), d[k].open,
						     running_start(&d[k]), d[k].xb, d[k].xa);
				double c[3], sse = pooled_fit(d, nd, c);
				if (sse < best)
					best = sse, best_med = med, best_sigma = sigmas[s],
					best_lead = leads[l];
			}
	lag_pmf(best_med, best_sigma, q->m.lag);
	q->m.lead_min = best_lead;
	for (size_t k = 0; k < nd; k++) {
		int from = first_end(d[k].open, best_lead);
		int start = running_start(&d[k]);
		wave_running(d[k].ends, d[k].n_ends, q->m.lag, from, d[k].open, start, d[k].xb,
			     d[k].xa);
		waves(d[k].ends, d[k].n_ends, q->m.lag, from, d[k].w);
		for (int b = 0; b < N_BINS; b++) {
			for (int m = 0; m < start; m++)
				d[k].w[b][m] = 0;
			for (int m = start + 1; m < DAY_MIN; m++)
				d[k].w[b][m] += d[k].w[b][m - 1];
		}
	}
	double c[3];
	pooled_fit(d, nd, c);
	q->m.base = c[0];
	/* how much of each half hour's people let out before the opening */
	double before[N_BINS] = {0}, all[N_BINS] = {0};
	for (size_t k = 0; k < nd; k++)
		for (size_t e = 0; e < d[k].n_ends; e++) {
			const struct end *x = &d[k].ends[e];
			if (x->min < first_end(d[k].open, best_lead))
				continue;
			all[x->min / BIN_MIN] += x->people;
			before[x->min / BIN_MIN] += d[k].open >= 0 && x->min < d[k].open ? x->people : 0;
		}
	for (int b = 0; b < N_BINS; b++)
		before[b] = all[b] > 0 ? before[b] / all[b] : 0;
	bin_shares(d, nd, before, c, q->m.share);
	/* how much bigger or smaller each day's waves were than the model's */
	double scales[FORECAST_HISTORY_DAYS];
	size_t ns = 0;
	for (size_t k = 0; k < nd; k++) {
		int last = d[k].obs->last;
		double obs = d[k].cy[last] - q->m.base * base_minutes(&d[k], last), wave = 0;
		for (int b = 0; b < N_BINS; b++)
			wave += q->m.share[b] * d[k].w[b][last];
		if (wave > 10)
			scales[ns++] = obs / wave;
	}
	double mean = 0, var = 0;
	for (size_t k = 0; k < ns; k++)
		mean += scales[k] / (double)ns;
	for (size_t k = 0; k < ns; k++)
		var += (scales[k] - mean) * (scales[k] - mean) / (double)(ns > 1 ? ns - 1 : 1);
	/* few days say little about their spread: the prior's counts as
	 * DAY_SCALE_DAYS days of evidence (a scaled inverse chi-squared) */
	double dof = ns > 1 ? (double)(ns - 1) : 0;
	q->m.scale_sd = sqrt((DAY_SCALE_DAYS * DAY_SCALE_SD * DAY_SCALE_SD + dof * var) /
			     (DAY_SCALE_DAYS + dof));
	q->m.days = (int)nd;
out:
	for (size_t k = 0; d && k < nd; k++) {
		free(d[k].w);
		free(d[k].ends);
	}
	free(d);
}

/* ---- taking samples ---------------------------------------------------------------- */

static struct fq *queue_state(struct forecaster *f, const char *id)
{
	for (size_t i = 0; i < estimator_queue_count(f->est); i++) {
		if (strcmp(estimator_queue_id(f->est, i), id) != 0)
			continue;
		if (!f->q[i]) {
			struct fq *q = calloc(1, sizeof(*q));
			if (!q || !(q->hist = calloc(FORECAST_HISTORY_DAYS, sizeof(*q->hist)))) {
				free(q);
				return NULL;
			}
			q->today.first = q->today.last = -1;
			q->today.day = INT64_MIN;
			q->dirty = true;
			forecast_record_init(&q->record);
			f->q[i] = q;
		}
		return f->q[i];
	}
	return NULL;
}

/* A new local day: yesterday's minutes join the history. */
static void roll_day(struct fq *q, int64_t day)
{
	if (q->today.day != INT64_MIN && q->today.first >= 0) {
		if (q->hist_n == FORECAST_HISTORY_DAYS)
			q->hist_head = (q->hist_head + 1) % FORECAST_HISTORY_DAYS, q->hist_n--;
		q->hist[(q->hist_head + q->hist_n++) % FORECAST_HISTORY_DAYS] = q->today;
		q->dirty = true;
	}
	memset(&q->today, 0, sizeof(q->today));
	q->today.day = day;
	q->today.first = q->today.last = -1;
	q->n_pending = 0; /* forecasts across the night are not checked */
}

/* Entries counted at minute m: the increment of an entry counter's total. */
static void take_count(struct forecaster *f, struct fq *q, const struct queue_sample *s)
{
	struct counter *c = NULL;
	for (int i = 0; i < q->n_counters; i++)
		if (strcmp(q->counters[i].id, s->sensor) == 0)
			c = &q->counters[i];
	if (!c) {
		if (q->n_counters == MAX_SENSORS)
			return;
		c = &q->counters[q->n_counters++];
		memcpy(c->id, s->sensor, sizeof(c->id));
		c->total = s->total, c->t_ms = s->t_ms;
		return; /* the first total is a baseline */
	}
	if (s->t_ms <= c->t_ms)
		return; /* late: nothing new */
	if (s->t_ms - c->t_ms > COUNTER_GAP_MS) {
		/* back after a night or an outage: what it counted meanwhile
		 * belongs to no minute (stray counts); a new baseline */
		c->total = s->total, c->t_ms = s->t_ms;
		return;
	}
	int64_t inc = s->total >= c->total ? s->total - c->total : s->total; /* a restart */
	c->total = s->total, c->t_ms = s->t_ms;
	int64_t day;
	int m;
	local_time(f, s->t_ms, &day, &m);
	if (day == q->today.day)
		q->today.arr[m] += (float)inc;
}

static void take_room(struct forecaster *f, const struct queue_sample *s)
{
	char key[sizeof(f->rooms[0]->key)];
	text_fold_key(s->room, key, sizeof(key));
	struct room_counts *r = NULL;
	for (size_t i = 0; i < f->n_rooms; i++)
		if (strcmp(f->rooms[i]->key, key) == 0)
			r = f->rooms[i];
	if (!r) {
		if (f->n_rooms == MAX_ROOMS || !(r = malloc(sizeof(*r))))
			return;
		memcpy(r->key, key, sizeof(key));
		for (size_t j = 0; j < ROOM_SLOTS; j++)
			r->slot[j] = -1;
		f->rooms[f->n_rooms++] = r;
	}
	int64_t slot = (s->t_ms / 1000) / ROOM_SLOT_S;
	size_t j = (size_t)(((slot % ROOM_SLOTS) + ROOM_SLOTS) % ROOM_SLOTS);
	int people = s->people < INT16_MAX ? s->people : INT16_MAX;
	if (r->slot[j] != slot)
		r->slot[j] = slot, r->people[j] = (int16_t)people;
	else if (people > r->people[j])
		r->people[j] = (int16_t)people;
}

static size_t bucket_of(int64_t ahead_ms)
{
	size_t best = 0;
	for (size_t h = 1; h < N_H; h++)
		if (llabs(ahead_ms - HORIZONS_MIN[h] * 60000LL) <
		    llabs(ahead_ms - HORIZONS_MIN[best] * 60000LL))
			best = h;
	return best;
}

static size_t level_of(double forecast_s)
{
	size_t l = 0;
	while (l < N_LEVELS - 1 && forecast_s >= LEVEL_S[l])
		l++;
	return l;
}

static void record_error(struct fq *q, size_t h, size_t l, double err)
{
	size_t j = (q->err_head[h][l] + q->n_errors[h][l]) % CHECKS;
	if (q->n_errors[h][l] == CHECKS)
		q->err_head[h][l] = (q->err_head[h][l] + 1) % CHECKS;
	else
		q->n_errors[h][l]++;
	q->errors[h][l][j] = (float)err;
}

/* The forecaster checks itself: every 5 minutes it forecasts 15, 30 and 60
 * minutes ahead, and when that moment comes compares with the now-cast. */
static void self_check(struct forecaster *f, size_t i, struct fq *q, int64_t t_ms)
{
	size_t kept = 0;
	for (size_t k = 0; k < q->n_pending; k++) {
		struct check *c = &q->pending[k];
		if (c->at_ms > t_ms) {
			q->pending[kept++] = *c;
			continue;
		}
		struct wait_estimate w;
		estimator_estimate(f->est, i, t_ms, &w);
		/* a quiet line is easy to foresee: its errors would make the
		 * interval of a busy one too narrow */
		if (w.known && t_ms - c->at_ms < 120000 &&
		    (c->forecast > ERROR_FLOOR_S || w.wait_s > ERROR_FLOOR_S))
			record_error(q, (size_t)c->h, level_of(c->forecast), w.wait_s - c->forecast);
		/* against the baselines, the same rule with their values too: a
		 * moment all four call idle says nothing of who foresees better */
		if (w.known && t_ms - c->at_ms < 120000 &&
		    fmax(fmax(c->forecast, w.wait_s), fmax(c->persistence, c->same_time)) >
			    ERROR_FLOOR_S)
			forecast_record_score(&q->record, (size_t)c->h, w.wait_s - c->forecast,
					      w.wait_s - c->persistence, w.wait_s - c->same_time);
	}
	q->n_pending = kept;
	if (t_ms < q->next_check_ms)
		return;
	q->next_check_ms = (t_ms / (CHECK_EVERY_S * 1000LL) + 1) * CHECK_EVERY_S * 1000LL;
	int64_t at[N_H], day;
	int minute;
	struct forecast fc[N_H];
	struct wait_estimate now;
	estimator_estimate(f->est, i, t_ms, &now);
	local_time(f, t_ms, &day, &minute);
	if (now.known) /* the same-time baseline's memory, every 5 minutes */
		forecast_record_note(&q->record, day, minute, now.wait_s);
	for (size_t h = 0; h < N_H; h++)
		at[h] = t_ms + HORIZONS_MIN[h] * 60000LL;
	f->raw = true;
	forecaster_predict_series(f, i, t_ms, at, N_H, fc);
	f->raw = false;
	for (size_t h = 0; h < N_H && q->n_pending < PENDING; h++) {
		if (!fc[h].known)
			continue;
		int64_t at_day;
		int at_min;
		local_time(f, at[h], &at_day, &at_min);
		q->pending[q->n_pending++] = (struct check){
			at[h], (int)h, fc[h].wait_s, now.wait_s,
			forecast_record_same_time(&q->record, at_day, at_min, now.wait_s)};
	}
}

bool forecaster_add(struct forecaster *f, const struct queue_sample *s, struct feed_error *e)
{
	if (s->type == SAMPLE_ROOM) {
		take_room(f, s);
		return true;
	}
	if (!estimator_add(f->est, s, e))
		return false;
	if (s->type == SAMPLE_QUEUE)
		return true;
	struct fq *q = queue_state(f, s->queue);
	if (!q)
		return true; /* out of memory: the now-cast still works */
	int64_t day;
	int m;
	local_time(f, s->t_ms, &day, &m);
	if (day > q->today.day)
		roll_day(q, day);
	if (day == q->today.day) {
		if (q->today.first < 0 || m < q->today.first)
			q->today.first = m;
		if (m > q->today.last)
			q->today.last = m;
	}
	if (s->type == SAMPLE_COUNT && s->role == ROLE_ENTRY)
		take_count(f, q, s);
	for (size_t i = 0; i < estimator_queue_count(f->est); i++)
		if (f->q[i] == q)
			self_check(f, i, q, s->t_ms);
	return true;
}

/* ---- forecasting ------------------------------------------------------------------- */

size_t forecaster_record_horizon(int64_t ahead_ms)
{
	return bucket_of(ahead_ms);
}

bool forecaster_record(const struct forecaster *f, size_t i, size_t h, int *minutes,
		       struct forecast_score *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= ESTIMATOR_MAX_QUEUES || !f->q[i] || h >= N_H)
		return false;
	forecast_record_get(&f->q[i]->record, h, out);
	*minutes = HORIZONS_MIN[h];
	return true;
}

/* The verdict, after the model: a forecast whose horizon's record is worse
 * than persistence's is not shown; the screens show the wait now (which is
 * the persistence baseline) and say why. Not the same-time value: it has no
 * interval, and a number that is sometimes a forecast and sometimes the
 * earlier days' average would mean two things (forecast_record.c). */
static void withhold(const struct fq *q, int64_t t_ms, const int64_t *at_ms, size_t n_at,
		     struct forecast *out)
{
	for (size_t j = 0; j < n_at; j++)
		if (out[j].known && forecast_record_withheld(&q->record, bucket_of(at_ms[j] - t_ms)))
			out[j] = (struct forecast){.withheld = true};
}

/* The p-th quantile of the last errors of horizon bucket h, level l. */
static double quantile(const struct fq *q, size_t h, size_t l, double p)
{
	float v[CHECKS];
	size_t n = q->n_errors[h][l];
	for (size_t k = 0; k < n; k++)
		v[k] = q->errors[h][l][k];
	for (size_t a = 1; a < n; a++) { /* insertion sort: n is small */
		float x = v[a];
		size_t b = a;
		while (b > 0 && v[b - 1] > x)
			v[b] = v[b - 1], b--;
		v[b] = x;
	}
	double pos = p * (double)(n - 1);
	size_t lo = (size_t)pos;
	double frac = pos - (double)lo;
	return lo + 1 < n ? v[lo] * (1 - frac) + v[lo + 1] * frac : v[lo];
}

/* Today as the model sees it at minute m_now: when the line opens (or
 * opened), the expected demand per minute at scale 1 (wave), and the scale
 * k today's arrivals so far support. */
struct today {
	int open;        /* -1: no opening known, people pass as they come */
	double k;        /* today's scale on the waves */
	double backlog;  /* people held at the door now */
	double wave[DAY_MIN];
};

/* The mean of N(1, sd) above lo: what a scale at least lo is expected to be. */
static double scale_above(double lo, double sd)
{
	double a = (lo - 1.0) / sd;
	double tail = 0.5 * erfc(a / sqrt(2.0));
	if (tail < 1e-9)
		return lo;
	return 1.0 + sd * exp(-0.5 * a * a) / 2.5066282746310002 /* sqrt(2 pi) */ / tail;
}

static bool see_today(const struct forecaster *f, const struct fq *q, int64_t day, int m_now,
		      struct today *td)
{
	struct end *ends = malloc(MAX_ENDS * sizeof(*ends));
	float (*w)[DAY_MIN] = malloc(sizeof(float) * N_BINS * DAY_MIN);
	if (!ends || !w) {
		free(ends);
		free(w);
		return false;
	}
	/* the opening: today's if the line has opened, else the usual one, else
	 * the programme's lunch */
	td->open = opening(&q->today, m_now, fmax(OPEN_MIN_PEOPLE, OPEN_SHARE * q->m.day_total));
	if (td->open < 0) { /* not open yet: the usual time, or any minute now */
		td->open = q->m.open_min >= 0 ? q->m.open_min : programme_lunch(f, day);
		if (td->open >= 0 && td->open <= m_now)
			td->open = m_now + 1;
	}
	size_t n = day == q->today.day ? day_ends(f, day, ends, MAX_ENDS) : 0;
	waves(ends, n, q->m.lag, first_end(td->open, q->m.lead_min), w);
	memset(td->wave, 0, sizeof(td->wave));
	for (int m = 0; m < DAY_MIN; m++)
		for (int b = 0; b < N_BINS; b++)
			td->wave[m] += q->m.share[b] * w[b][m];
	free(ends);
	free(w);
	/* what came so far, and what the waves so far would bring at scale 1 */
	int start = td->open >= 0 ? 0 : q->today.first;
	int from = td->open >= 0 ? td->open : q->today.first;
	double seen = 0, expected = 0, base_seen = 0;
	for (int m = start; m >= 0 && m <= m_now && m < DAY_MIN; m++) {
		if (m >= from) {
			seen += q->today.arr[m];
			base_seen += q->m.base;
		}
		expected += td->wave[m];
	}
	double sd = q->m.scale_sd;
	if (td->open < 0 || m_now < td->open) {
		td->k = 1; /* nobody in yet: the arrivals say nothing of today */
	} else if (q->m.door_per_min > 0 && expected - (seen - base_seen) > q->m.door_per_min) {
		/* the door still holds people: today brought at least what came */
		td->k = expected > 0 ? scale_above((seen - base_seen) / expected, sd) : 1;
	} else {
		/* normal-normal: the prior (1, give or take the days' spread) and
		 * the arrivals so far against the waves so far */
		double var = seen + 1.0 + (WAVE_NOISE * expected) * (WAVE_NOISE * expected);
		td->k = (1.0 / (sd * sd) + expected * (seen - base_seen) / var) /
			(1.0 / (sd * sd) + expected * expected / var);
	}
	if (td->k < 0)
		td->k = 0;
	td->backlog = td->open >= 0 ? fmax(0, td->k * expected + base_seen - seen) : 0;
	return true;
}

/* The line at ahead_ms from now: demand joins the crowd at the door, the
 * door lets it in (all at once when it holds nobody), the stations serve
 * at their pace; minute by minute. A spell runs on to twice its age. */
static double run_forward(const struct fq *q, const struct today *td, int m_now,
			  const struct serving_pace *pace, double people, int64_t ahead_ms)
{
	double held = td->backlog;
	int64_t steps = (ahead_ms + 59999) / 60000;
	for (int64_t s = 1; s <= steps; s++) {
		int m = m_now + (int)s - 1; /* the minute stepped through */
		double dt = s == steps ? (double)(ahead_ms - (steps - 1) * 60000) / 1000.0 : 60.0;
		bool open = m < DAY_MIN && (q->m.close_min < 0 || m <= q->m.close_min ||
					    m <= q->today.last);
		bool doors = td->open < 0 || m >= td->open;
		if (open && m < DAY_MIN)
			held += (td->k * td->wave[m] + (doors ? q->m.base : 0)) * dt / 60.0;
		double in = 0;
		if (open && doors)
			in = q->m.door_per_min > 0 ? fmin(held, q->m.door_per_min * dt / 60.0) : held;
		held -= in;
		double from = (double)(s - 1) * 60.0;
		double served_per_s = pace->stations * (pace->spell_age_s > 0 && from < pace->spell_age_s
								? pace->spell_per_s : pace->usual_per_s);
		people = fmax(0, people + in - served_per_s * dt);
	}
	return people;
}

void forecaster_predict_series(struct forecaster *f, size_t i, int64_t t_ms, const int64_t *at_ms,
			       size_t n_at, struct forecast *out)
{
	memset(out, 0, n_at * sizeof(*out));
	if (i >= estimator_queue_count(f->est))
		return;
	struct wait_estimate now;
	estimator_estimate(f->est, i, t_ms, &now);
	struct fq *q = f->q[i];
	if (!now.known || !q)
		return;
	if (q->dirty)
		fit(f, q);
	struct serving_pace pace;
	estimator_pace(f->est, i, t_ms, &pace);
	if (pace.stations <= 0 || pace.usual_per_s <= 0)
		return;
	int64_t day;
	int m_now;
	local_time(f, t_ms, &day, &m_now);
	struct today *td = malloc(sizeof(*td));
	if (!td || !see_today(f, q, day, m_now, td)) {
		free(td);
		return;
	}
	for (size_t j = 0; j < n_at; j++) {
		int64_t ahead_ms = at_ms[j] - t_ms;
		if (ahead_ms <= 0 || ahead_ms > FORECAST_MAX_AHEAD_S * 1000LL)
			continue;
		double people = run_forward(q, td, m_now, &pace, now.people, ahead_ms);
		double ahead = fmax(people + 1.0, pace.stations);
		struct forecast *o = &out[j];
		o->wait_s = serving_pace_time(&pace, ahead, (double)ahead_ms / 1000.0);
		size_t h = bucket_of(ahead_ms), l = level_of(o->wait_s);
		/* before it has checked itself enough: wide, and wider above (a
		 * line can grow further than it can shrink) */
		double scale = o->wait_s + ERROR_FLOOR_S;
		double lo = PRIOR_Q10 * scale, hi = PRIOR_Q90 * scale;
		if (q->n_errors[h][l] >= MIN_CHECKS) {
			lo = quantile(q, h, l, 0.1);
			hi = quantile(q, h, l, 0.9);
		}
		o->low_s = fmin(fmax(0, o->wait_s + lo), o->wait_s);
		o->high_s = fmax(o->wait_s, o->wait_s + hi);
		o->known = true;
	}
	free(td);
	if (!f->raw)
		withhold(q, t_ms, at_ms, n_at, out);
}

void forecaster_predict(struct forecaster *f, size_t i, int64_t t_ms, int64_t at_ms,
			struct forecast *out)
{
	forecaster_predict_series(f, i, t_ms, &at_ms, 1, out);
}
