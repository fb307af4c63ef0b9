/* forecast: per queue, the minutes of each day (arrivals counted at the
 * entry line), a model of them fitted on the earlier days (a trickle, plus
 * the people of each session that lets out, times a share that depends on
 * the time of day, spread over a walking time), a scale for today learned as
 * today's arrivals come, a fluid queue run forward, and a record of its own
 * errors for the interval. */
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
	ROOM_SAMPLES = 64,         /* per room: the last counts */
	CHECKS = 256,              /* self-checks kept per horizon */
	PENDING = 96,              /* forecasts waiting for their moment */
	MIN_CHECKS = 20,           /* fewer: the prior interval */
};

/* The half-widths of the interval before the forecaster has checked itself
 * MIN_CHECKS times, as shares of (forecast + 2 min): wide, and wider above
 * (a line can grow further than it can shrink). */
static const double PRIOR_Q10 = -0.5, PRIOR_Q90 = 0.8;
static const double ERROR_FLOOR_S = 120.0; /* errors are relative to forecast + this */
static const double DEFAULT_SEATS = 100.0; /* a room nobody gave seats for */
static const double DAY_SCALE_SD = 0.25;   /* a day's crowd within a quarter of another's */
static const double WAVE_NOISE = 0.10;     /* the model's own error on a wave's size */
static const double RIDGE = 0.5;           /* how far a half hour's share may stray from
					    * the day's, in units of its own evidence */
static const int HORIZONS_MIN[] = {15, 30, 60};
enum { N_H = sizeof(HORIZONS_MIN) / sizeof(*HORIZONS_MIN) };
static const int CHECK_EVERY_S = 300;

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
	double base; /* per minute while watched */
	double scale_sd;
	int close_min; /* the usual last watched minute, -1 unknown */
};

struct check {
	int64_t at_ms;
	int h;
	double forecast;
};

struct fq {
	struct day_obs today;
	struct day_obs *hist; /* ring of FORECAST_HISTORY_DAYS */
	size_t hist_head, hist_n;
	struct counter counters[MAX_SENSORS];
	int n_counters;
	struct model m;
	bool dirty; /* history changed since the fit */
	float errors[N_H][CHECKS];
	size_t n_errors[N_H], err_head[N_H];
	struct check pending[PENDING];
	size_t n_pending;
	int64_t next_check_ms;
};

struct room_counts {
	char key[SCHEDULE_MAX_NAME * 2 + 1]; /* the room's name, folded */
	int64_t t[ROOM_SAMPLES];
	int people[ROOM_SAMPLES];
	size_t head, n;
};

struct forecaster {
	struct estimator *est;
	const struct schedule *schedule;
	double seats_default;
	struct fq *q[ESTIMATOR_MAX_QUEUES];
	struct room_counts *rooms;
	size_t n_rooms;
};

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
	free(f->rooms);
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

/* The most people a room's sensor saw in the 20 minutes before t, -1 when
 * it saw nothing then. */
static int counted_before(const struct forecaster *f, const char *room_name, int64_t t_ms)
{
	char key[sizeof(f->rooms[0].key)];
	text_fold_key(room_name, key, sizeof(key));
	for (size_t i = 0; i < f->n_rooms; i++) {
		const struct room_counts *r = &f->rooms[i];
		if (strcmp(r->key, key) != 0)
			continue;
		int best = -1;
		for (size_t k = 0; k < r->n; k++) {
			size_t j = (r->head + k) % ROOM_SAMPLES;
			if (r->t[j] <= t_ms && r->t[j] > t_ms - 20 * 60000LL && r->people[j] > best)
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
		int counted = r ? counted_before(f, r->name, x->end * 1000) : -1;
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

/* The day's wave per minute for unit shares, one row per half hour of the
 * end time: waves[bin][minute] (DAY_MIN + LAG_MAX minutes). */
static void waves(const struct end *e, size_t n, const double *lag, float (*w)[DAY_MIN])
{
	memset(w, 0, sizeof(float) * N_BINS * DAY_MIN);
	for (size_t i = 0; i < n; i++) {
		int b = e[i].min / BIN_MIN;
		for (int m = 0; m < LAG_MAX && e[i].min + m < DAY_MIN; m++)
			w[b][e[i].min + m] += (float)(e[i].people * lag[m]);
	}
}

/* One day's data for the fit, over its watched minutes and cumulated from
 * the first (a fit on running totals weighs a wave by its size, not by how
 * sharply it is timed: what a queue cares about): arrivals cy, and the waves
 * of each half hour w. */
struct fit_day {
	const struct day_obs *obs;
	float (*w)[DAY_MIN];
	float cy[DAY_MIN];
};

static void cumulate_waves(struct fit_day *d)
{
	for (int b = 0; b < N_BINS; b++)
		for (int m = d->obs->first + 1; m <= d->obs->last; m++)
			d->w[b][m] += d->w[b][m - 1];
}

static void cumulate_arrivals(struct fit_day *d)
{
	double sum = 0;
	for (int m = d->obs->first; m <= d->obs->last; m++)
		d->cy[m] = (float)(sum += d->obs->arr[m]);
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

/* Running arrivals = base x minutes + share x (all waves, running): the
 * pooled fit and its squared error, for one walking time. */
static double pooled_fit(const struct fit_day *d, size_t nd, double *base, double *share)
{
	double stt = 0, stx = 0, sxx = 0, sty = 0, sxy = 0, syy = 0;
	for (size_t k = 0; k < nd; k++)
		for (int m = d[k].obs->first; m >= 0 && m <= d[k].obs->last; m++) {
			double t = m - d[k].obs->first + 1, x = 0, y = d[k].cy[m];
			for (int b = 0; b < N_BINS; b++)
				x += d[k].w[b][m];
			stt += t * t, stx += t * x, sxx += x * x;
			sty += t * y, sxy += x * y, syy += y * y;
		}
	double det = stt * sxx - stx * stx;
	if (stt <= 0 || det <= 1e-9) {
		*base = stt > 0 ? sty / stt : 0;
		*share = 0;
	} else {
		*base = (sty * sxx - sxy * stx) / det;
		*share = (sxy * stt - sty * stx) / det;
	}
	if (*share < 0)
		*share = 0, *base = stt > 0 ? sty / stt : 0;
	if (*base < 0)
		*base = 0, *share = sxx > 0 ? fmax(0, sxy / sxx) : 0;
	/* the squared error, expanded */
	return syy - 2 * *base * sty - 2 * *share * sxy + *base * *base * stt +
	       2 * *base * *share * stx + *share * *share * sxx;
}

/* The shares of each half hour, shrunk toward the pooled one (ridge), given
 * the base: the waves of different end times are the regressors. */
static void bin_shares(const struct fit_day *d, size_t nd, double base, double pooled,
		       double *share)
{
	int idx[N_BINS], k = 0;
	double mass[N_BINS] = {0};
	for (size_t i = 0; i < nd; i++)
		if (d[i].obs->last >= 0)
			for (int b = 0; b < N_BINS; b++)
				mass[b] += d[i].w[b][d[i].obs->last]; /* running: the day's whole wave */
	for (int b = 0; b < N_BINS; b++) {
		share[b] = pooled;
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
		for (int m = d[i].obs->first; m >= 0 && m <= d[i].obs->last; m++) {
			double r = d[i].cy[m] - base * (m - d[i].obs->first + 1);
			for (int p = 0; p < k; p++)
				r -= pooled * d[i].w[idx[p]][m];
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
			share[idx[p]] = fmax(0, pooled + x[p]);
out:
	free(a);
	free(rhs);
	free(x);
}

/* The day-one prior: a trickle, and four in ten of those who let out during
 * the watched hours join, five minutes later (give or take). */
static void prior_model(struct model *m)
{
	memset(m, 0, sizeof(*m));
	lag_pmf(5.0, 0.6, m->lag);
	for (int b = 0; b < N_BINS; b++)
		m->share[b] = 0.4;
	m->base = 0.5;
	m->scale_sd = 0.5;
	m->close_min = -1;
}

static const struct day_obs *hist_at(const struct fq *q, size_t i)
{
	return &q->hist[(q->hist_head + i) % FORECAST_HISTORY_DAYS];
}

/* Fits queue q's model on its earlier days: the walking time that explains
 * them best (a grid: medians of 1 to 20 minutes, three spreads), then the
 * shares per half hour, then how much the days differ. */
static void fit(struct forecaster *f, struct fq *q)
{
	q->dirty = false;
	prior_model(&q->m);
	if (q->hist_n == 0)
		return;
	struct fit_day d[FORECAST_HISTORY_DAYS];
	struct end *ends[FORECAST_HISTORY_DAYS] = {0};
	size_t n_ends[FORECAST_HISTORY_DAYS] = {0}, nd = 0;
	bool ok = true;
	for (size_t i = 0; ok && i < q->hist_n; i++) {
		if (hist_at(q, i)->first < 0)
			continue;
		d[nd].obs = hist_at(q, i);
		d[nd].w = malloc(sizeof(float) * N_BINS * DAY_MIN);
		ends[nd] = malloc(MAX_ENDS * sizeof(**ends));
		ok = d[nd].w && ends[nd];
		if (ok) {
			n_ends[nd] = day_ends(f, d[nd].obs->day, ends[nd], MAX_ENDS);
			cumulate_arrivals(&d[nd]);
		}
		nd++;
	}
	static const double sigmas[] = {0.35, 0.6, 0.9};
	double best = INFINITY, best_med = 5, best_sigma = 0.6, lag[LAG_MAX];
	for (int med = 1; ok && med <= 20; med++)
		for (size_t s = 0; s < sizeof(sigmas) / sizeof(*sigmas); s++) {
			lag_pmf(med, sigmas[s], lag);
			for (size_t k = 0; k < nd; k++) {
				waves(ends[k], n_ends[k], lag, d[k].w);
				cumulate_waves(&d[k]);
			}
			double base, share, sse = pooled_fit(d, nd, &base, &share);
			if (sse < best)
				best = sse, best_med = med, best_sigma = sigmas[s];
		}
	if (ok && nd) {
		lag_pmf(best_med, best_sigma, q->m.lag);
		for (size_t k = 0; k < nd; k++) {
			waves(ends[k], n_ends[k], q->m.lag, d[k].w);
			cumulate_waves(&d[k]);
		}
		double pooled;
		pooled_fit(d, nd, &q->m.base, &pooled);
		bin_shares(d, nd, q->m.base, pooled, q->m.share);
		/* how much bigger or smaller each day's waves were than the model's */
		double scales[FORECAST_HISTORY_DAYS], lasts[FORECAST_HISTORY_DAYS];
		size_t ns = 0;
		for (size_t k = 0; k < nd; k++) {
			int first = d[k].obs->first, last = d[k].obs->last;
			double obs = d[k].cy[last] - q->m.base * (last - first + 1), wave = 0;
			for (int b = 0; b < N_BINS; b++)
				wave += q->m.share[b] * d[k].w[b][last];
			if (wave > 10)
				scales[ns++] = obs / wave;
			lasts[k] = d[k].obs->last;
		}
		double mean = 0, var = 0;
		for (size_t k = 0; k < ns; k++)
			mean += scales[k] / (double)ns;
		for (size_t k = 0; k < ns; k++)
			var += (scales[k] - mean) * (scales[k] - mean) / (double)(ns > 1 ? ns - 1 : 1);
		/* few days say little about their spread: never below the prior's */
		q->m.scale_sd = ns >= 3 ? fmax(sqrt(var), 0.1) : fmax(sqrt(var), DAY_SCALE_SD);
		qsort(lasts, nd, sizeof(double), cmp_double);
		q->m.close_min = (int)lasts[nd / 2];
		q->m.days = (int)nd;
	}
	for (size_t k = 0; k < nd; k++) {
		free(d[k].w);
		free(ends[k]);
	}
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
	char key[sizeof(f->rooms[0].key)];
	text_fold_key(s->room, key, sizeof(key));
	struct room_counts *r = NULL;
	for (size_t i = 0; i < f->n_rooms; i++)
		if (strcmp(f->rooms[i].key, key) == 0)
			r = &f->rooms[i];
	if (!r) {
		if (f->n_rooms == MAX_ROOMS)
			return;
		if (!f->rooms && !(f->rooms = calloc(MAX_ROOMS, sizeof(*f->rooms))))
			return;
		r = &f->rooms[f->n_rooms++];
		memcpy(r->key, key, sizeof(key));
	}
	size_t j = (r->head + r->n) % ROOM_SAMPLES;
	if (r->n == ROOM_SAMPLES)
		r->head = (r->head + 1) % ROOM_SAMPLES;
	else
		r->n++;
	r->t[j] = s->t_ms;
	r->people[j] = s->people;
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

static void record_error(struct fq *q, size_t h, double err)
{
	size_t j = (q->err_head[h] + q->n_errors[h]) % CHECKS;
	if (q->n_errors[h] == CHECKS)
		q->err_head[h] = (q->err_head[h] + 1) % CHECKS;
	else
		q->n_errors[h]++;
	q->errors[h][j] = (float)err;
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
		if (w.known && t_ms - c->at_ms < 120000)
			record_error(q, (size_t)c->h, (w.wait_s - c->forecast) /
							  (c->forecast + ERROR_FLOOR_S));
	}
	q->n_pending = kept;
	if (t_ms < q->next_check_ms)
		return;
	q->next_check_ms = (t_ms / (CHECK_EVERY_S * 1000LL) + 1) * CHECK_EVERY_S * 1000LL;
	for (size_t h = 0; h < N_H && q->n_pending < PENDING; h++) {
		struct forecast fc;
		int64_t at = t_ms + HORIZONS_MIN[h] * 60000LL;
		forecaster_predict(f, i, t_ms, at, &fc);
		if (fc.known)
			q->pending[q->n_pending++] = (struct check){at, (int)h, fc.wait_s};
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

/* The q-th quantile of the last errors of horizon bucket h. */
static double quantile(const struct fq *q, size_t h, double p)
{
	float v[CHECKS];
	size_t n = q->n_errors[h];
	for (size_t k = 0; k < n; k++)
		v[k] = q->errors[h][k];
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

void forecaster_predict(struct forecaster *f, size_t i, int64_t t_ms, int64_t at_ms,
			struct forecast *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= estimator_queue_count(f->est) || at_ms <= t_ms ||
	    at_ms - t_ms > FORECAST_MAX_AHEAD_S * 1000LL)
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
	/* today's waves, for shares 1, and the expected arrivals per minute */
	struct end *ends = malloc(MAX_ENDS * sizeof(*ends));
	float (*w)[DAY_MIN] = malloc(sizeof(float) * N_BINS * DAY_MIN);
	double *wave = calloc(DAY_MIN, sizeof(double));
	if (!ends || !w || !wave)
		goto out;
	size_t n = day == q->today.day ? day_ends(f, day, ends, MAX_ENDS) : 0;
	waves(ends, n, q->m.lag, w);
	for (int m = 0; m < DAY_MIN; m++)
		for (int b = 0; b < N_BINS; b++)
			wave[m] += q->m.share[b] * w[b][m];
	/* today's scale: the prior (1, give or take the days' spread) and the
	 * arrivals so far against the waves so far (normal-normal) */
	double seen = 0, expected = 0, base_seen = 0;
	for (int m = q->today.first; m >= 0 && m <= m_now && m < DAY_MIN; m++) {
		seen += q->today.arr[m];
		expected += wave[m];
		base_seen += q->m.base;
	}
	double prior_prec = 1.0 / (q->m.scale_sd * q->m.scale_sd);
	double var = seen + 1.0 + (WAVE_NOISE * expected) * (WAVE_NOISE * expected);
	double k = (prior_prec + expected * (seen - base_seen) / var) /
		   (prior_prec + expected * expected / var);
	if (k < 0)
		k = 0;
	/* the line forward, minute by minute: arrivals in, the stations' pace out */
	double people = now.people;
	int64_t steps = (at_ms - t_ms + 59999) / 60000;
	for (int64_t s = 1; s <= steps; s++) {
		int m = m_now + (int)s;
		double dt = s == steps ? (double)(at_ms - t_ms - (steps - 1) * 60000) / 1000.0 : 60.0;
		double arrive = 0;
		bool open = m < DAY_MIN && (q->m.close_min < 0 || m <= q->m.close_min ||
					    m <= q->today.last);
		if (open)
			arrive = (q->m.base + k * wave[m]) * dt / 60.0;
		/* the pace at this minute: the spell runs to twice its age */
		struct serving_pace p = pace;
		double from = (double)(s - 1) * 60.0;
		double served_per_s = p.stations * (p.spell_age_s > 0 && from < p.spell_age_s
							    ? p.spell_per_s : p.usual_per_s);
		people = fmax(0, people + arrive - served_per_s * dt);
	}
	struct serving_pace later = pace;
	double ahead = fmax(people + 1.0, later.stations);
	out->wait_s = serving_pace_time(&later, ahead, (double)(at_ms - t_ms) / 1000.0);
	size_t h = bucket_of(at_ms - t_ms);
	double q10 = PRIOR_Q10, q90 = PRIOR_Q90;
	if (q->n_errors[h] >= MIN_CHECKS) {
		q10 = quantile(q, h, 0.1);
		q90 = quantile(q, h, 0.9);
	}
	double scale = out->wait_s + ERROR_FLOOR_S;
	out->low_s = fmax(0, out->wait_s + q10 * scale);
	out->high_s = fmax(out->wait_s, out->wait_s + q90 * scale);
	out->low_s = fmin(out->low_s, out->wait_s);
	out->known = true;
out:
	free(ends);
	free(w);
	free(wave);
}
