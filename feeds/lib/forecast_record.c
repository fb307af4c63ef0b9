/* forecast_record: the forecaster's last errors and the baselines' per
 * horizon, the verdict on showing it, and the now-cast of each earlier day
 * every 5 minutes for the same-time baseline. */
#include "forecast_record.h"

#include <math.h>
#include <string.h>

/* The better baseline takes the model's place: where it is persistence,
 * only "now" is shown (the forecast withheld: "now" is persistence); where
 * it is the same time on earlier days, its value is shown as the forecast
 * (on the simulator's alike days same time beats the model an hour ahead,
 * while "now" is far worse: withholding there would make the screen worse).
 *
 * Hysteresis. Shown, the model gives way once its mean error is worse than
 * the better baseline's by more than a tenth and 15 s: a forecast about as
 * good still says where the line is heading. It comes back only once it is
 * no worse than that baseline, and one baseline gives way to the other by
 * the same margin: a verdict that flipped at each check would make the
 * screen's forecast come and go every five minutes. */
static const double WITHHOLD_RATIO = 1.10, WITHHOLD_S = 15.0;
/* The same time takes the model's place only on today's checks (since the
 * model was last fitted), and by a third and 30 s: the record of earlier
 * days is that of a model fitted on fewer days, and a day unlike the
 * earlier ones — when the same time is most wrong — is the day the model
 * adapts to (the benchmark's families, judged on the whole record at 1.1
 * and 15 s: the errors shown grew in eight family-horizons of 48 and fell
 * in two). Persistence is judged on the whole record: "now" is always
 * there to fall back on. */
static const double SAME_RATIO = 1.33, SAME_S = 30.0;

void forecast_record_init(struct forecast_record *r)
{
	memset(r, 0, sizeof(*r));
	memset(r->wait, 0xff, sizeof(r->wait)); /* every slot -1: unknown */
}

static float clamp_err(double e)
{
	e = fabs(e);
	return (float)(isfinite(e) ? fmin(e, 86400.0) : 86400.0); /* a day: worse than any */
}

/* The means of horizon h's last k checks. */
static void mean_last(const struct forecast_record *r, size_t h, size_t k, double *m, double *p,
		      double *s)
{
	double sm = 0, sp = 0, ss = 0;
	for (size_t i = r->n[h] - k; i < r->n[h]; i++) {
		const struct forecast_record_errors *x =
			&r->ring[h][(r->head[h] + i) % FORECAST_RECORD_KEEP];
		sm += x->model, sp += x->persistence, ss += x->same_time;
	}
	*m = sm / (double)k, *p = sp / (double)k, *s = ss / (double)k;
}

void forecast_record_get(const struct forecast_record *r, size_t h, struct forecast_score *out)
{
	memset(out, 0, sizeof(*out));
	if (h >= FORECAST_RECORD_HORIZONS)
		return;
	out->n = (int)r->n[h];
	if (r->n[h])
		mean_last(r, h, r->n[h], &out->model_s, &out->persistence_s, &out->same_time_s);
	out->basis = r->basis[h];
	out->withheld = r->basis[h] == FORECAST_BASIS_NOW;
	/* the same-time errors' 80th percentile: its interval when shown */
	float v[FORECAST_RECORD_KEEP];
	size_t n = r->n[h];
	for (size_t k = 0; k < n; k++)
		v[k] = r->ring[h][k].same_time;
	out->same_time_spread_s = forecast_quantile(v, n, 0.8);
}

double forecast_quantile(float *v, size_t n, double p)
{
	if (n == 0)
		return 0;
	for (size_t a = 1; a < n; a++) { /* insertion sort: n is at most a few hundred */
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

void forecast_record_new_day(struct forecast_record *r)
{
	for (size_t h = 0; h < FORECAST_RECORD_HORIZONS; h++) {
		r->today[h] = 0;
		if (r->basis[h] == FORECAST_BASIS_SAME_TIME)
			r->basis[h] = FORECAST_BASIS_MODEL;
	}
}

void forecast_record_score(struct forecast_record *r, size_t h, double model_err,
			   double persistence_err, double same_time_err)
{
	if (h >= FORECAST_RECORD_HORIZONS)
		return;
	size_t j = (r->head[h] + r->n[h]) % FORECAST_RECORD_KEEP;
	if (r->n[h] == FORECAST_RECORD_KEEP)
		r->head[h] = (r->head[h] + 1) % FORECAST_RECORD_KEEP;
	else
		r->n[h]++;
	r->ring[h][j] = (struct forecast_record_errors){
		clamp_err(model_err), clamp_err(persistence_err), clamp_err(same_time_err)};
	if (r->today[h] < r->n[h])
		r->today[h]++;
	struct forecast_score sc;
	forecast_record_get(r, h, &sc);
	enum forecast_basis *b = &r->basis[h];
	if (sc.n < FORECAST_RECORD_MIN) {
		*b = FORECAST_BASIS_MODEL; /* too few to judge: the model stands */
		return;
	}
	/* persistence, on the whole record */
	if (*b != FORECAST_BASIS_NOW && sc.persistence_s <= sc.same_time_s &&
	    sc.model_s > sc.persistence_s * WITHHOLD_RATIO + WITHHOLD_S)
		*b = FORECAST_BASIS_NOW;
	else if (*b == FORECAST_BASIS_NOW && sc.model_s <= sc.persistence_s)
		*b = FORECAST_BASIS_MODEL;
	if (*b == FORECAST_BASIS_NOW)
		return;
	/* the same time, on today's checks only */
	if (r->today[h] < FORECAST_RECORD_MIN) {
		*b = FORECAST_BASIS_MODEL;
		return;
	}
	double m, p, s;
	mean_last(r, h, r->today[h], &m, &p, &s);
	if (*b == FORECAST_BASIS_MODEL && s < p && m > s * SAME_RATIO + SAME_S)
		*b = FORECAST_BASIS_SAME_TIME;
	else if (*b == FORECAST_BASIS_SAME_TIME && (m <= s || s >= p))
		*b = FORECAST_BASIS_MODEL;
}

bool forecast_record_withheld(const struct forecast_record *r, size_t h)
{
	return h < FORECAST_RECORD_HORIZONS && r->basis[h] == FORECAST_BASIS_NOW;
}

enum forecast_basis forecast_record_basis(const struct forecast_record *r, size_t h)
{
	return h < FORECAST_RECORD_HORIZONS ? r->basis[h] : FORECAST_BASIS_MODEL;
}

/* The ring index of day, after making it the newest when it is later than
 * every one noted; SIZE_MAX for a day earlier than the newest. */
static size_t day_slot(struct forecast_record *r, int64_t day)
{
	if (r->days_n) {
		size_t newest = (r->days_head + r->days_n - 1) % FORECAST_RECORD_DAYS;
		if (r->day[newest] == day)
			return newest;
		if (r->day[newest] > day)
			return SIZE_MAX;
	}
	if (r->days_n == FORECAST_RECORD_DAYS)
		r->days_head = (r->days_head + 1) % FORECAST_RECORD_DAYS, r->days_n--;
	size_t j = (r->days_head + r->days_n++) % FORECAST_RECORD_DAYS;
	r->day[j] = day;
	memset(r->wait[j], 0xff, sizeof(r->wait[j]));
	return j;
}

void forecast_record_note(struct forecast_record *r, int64_t day, int minute, double wait_s)
{
	if (minute < 0 || minute >= 1440 || !(wait_s >= 0))
		return;
	size_t j = day_slot(r, day);
	if (j != SIZE_MAX)
		r->wait[j][minute / FORECAST_RECORD_SLOT_MIN] = (int16_t)fmin(
			wait_s + 0.5, INT16_MAX); /* 9 hours: longer is no lunch line */
}

double forecast_record_same_time(const struct forecast_record *r, int64_t day, int minute,
				 double fallback)
{
	if (minute < 0 || minute >= 1440)
		return fallback;
	double sum = 0;
	int n = 0;
	for (size_t k = 0; k < r->days_n; k++) {
		size_t j = (r->days_head + k) % FORECAST_RECORD_DAYS;
		int16_t w = r->wait[j][minute / FORECAST_RECORD_SLOT_MIN];
		if (r->day[j] < day && w >= 0)
			sum += w, n++;
	}
	return n ? sum / n : fallback;
}
