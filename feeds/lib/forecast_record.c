/* forecast_record: the forecaster's last errors and the baselines' per
 * horizon, the verdict on showing it, and the now-cast of each earlier day
 * every 5 minutes for the same-time baseline. */
#include "forecast_record.h"

#include <math.h>
#include <string.h>

/* Against persistence only: a withheld forecast leaves "now" on the screen,
 * which is the persistence baseline, so withholding where only the same-time
 * baseline does better would make the screen worse, not better (on the
 * simulator's alike days same time beats the model an hour ahead, 117 s
 * against 154 s, while "now" is off by 1138 s). Same time is kept and
 * reported; showing its value is left to a later change.
 *
 * Hysteresis. Shown, the forecast is withheld once its mean error is worse
 * than persistence's by more than a tenth and 15 s: a forecast about
 * as good as "it stays as it is" still says where the line is heading, and
 * carries an interval. Withheld, it comes back only once it is no worse than
 * persistence: a verdict that flipped at each check would make the
 * screen's forecast come and go every five minutes. */
static const double WITHHOLD_RATIO = 1.10, WITHHOLD_S = 15.0;

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

void forecast_record_get(const struct forecast_record *r, size_t h, struct forecast_score *out)
{
	memset(out, 0, sizeof(*out));
	if (h >= FORECAST_RECORD_HORIZONS)
		return;
	double m = 0, p = 0, s = 0;
	for (size_t k = 0; k < r->n[h]; k++) {
		const struct forecast_record_errors *x = &r->ring[h][k];
		m += x->model, p += x->persistence, s += x->same_time;
	}
	out->n = (int)r->n[h];
	if (r->n[h]) {
		double n = (double)r->n[h];
		out->model_s = m / n, out->persistence_s = p / n, out->same_time_s = s / n;
	}
	out->withheld = r->withheld[h];
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
	struct forecast_score sc;
	forecast_record_get(r, h, &sc);
	if (sc.n < FORECAST_RECORD_MIN) {
		r->withheld[h] = false; /* too few to judge: the model stands */
		return;
	}
	double better = sc.persistence_s;
	if (!r->withheld[h] && sc.model_s > better * WITHHOLD_RATIO + WITHHOLD_S)
		r->withheld[h] = true;
	else if (r->withheld[h] && sc.model_s <= better)
		r->withheld[h] = false;
}

bool forecast_record_withheld(const struct forecast_record *r, size_t h)
{
	return h < FORECAST_RECORD_HORIZONS && r->withheld[h];
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
		r->wait[j][minute / FORECAST_RECORD_SLOT_MIN] =
			(int16_t)fmin(wait_s + 0.5, INT16_MAX); /* 9 hours: longer is no lunch line */
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
