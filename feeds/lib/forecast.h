/* forecast: "how long will the lunch line be at 12:40?" A conference is the
 * rare queue whose arrivals are written down in advance: today's schedule
 * says when lunch opens and who is let out for it; earlier days say how
 * people come counted from the opening (not by the clock), how many, and
 * how fast the line is served; today's line so far says whether today is a
 * busy day. The line ahead is that arrival curve poured into the stations
 * at their pace, from the now-cast's state (wait_estimator). Each forecast
 * carries an 80 % interval calibrated on the forecaster's own past errors,
 * and where its record is worse than a baseline's, that baseline is shown
 * instead (forecast_record). Causal: a forecast at t uses only samples at
 * or before t. Pure: time comes in the samples. See feeds/ESTIMATION.md
 * (Forecast). */
#ifndef VB_FORECAST_H
#define VB_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "forecast_record.h"
#include "queue_sample.h"
#include "wait_estimator.h"

struct schedule;

enum {
	FORECAST_HISTORY_DAYS = 14, /* earlier days a queue learns from */
	FORECAST_MAX_AHEAD_S = 6 * 3600,
};

struct forecast {
	bool known;                /* false: no forecast can be made (wait, low and high unset) */
	bool withheld;             /* known false: one was made, but its record at this horizon is
			* worse than persistence's, the better baseline there
			* (forecaster_record); show "now" only */
	enum forecast_basis basis; /* what wait_s is: the model's, or (its record being
				    * worse than the same-time baseline's) the wait at
				    * that clock time on the earlier days */
	double wait_s;             /* for a person joining the line at the forecast's moment */
	double low_s, high_s;      /* holds the true wait 8 times in 10 */
	double model_s;            /* the model's own wait, whatever is shown; < 0 when it made none
			 * (for reports and the benchmark) */
};

struct forecaster;

/* Caller owns (forecaster_destroy); NULL on OOM. */
struct forecaster *forecaster_create(void);
void forecaster_destroy(struct forecaster *f);

/* The conference's schedule, borrowed until the next call or destroy; NULL
 * when there is none (the forecaster then leans on earlier days alone). Its
 * zone gives the local days and clock. */
void forecaster_set_schedule(struct forecaster *f, const struct schedule *s);

/* Takes one sample, in time order (a few seconds of disorder, as the
 * estimator absorbs it). Queue samples go to the now-cast as well; room
 * counts tell how many a room really let out. False (e filled) past caps. */
bool forecaster_add(struct forecaster *f, const struct queue_sample *s, struct feed_error *e);

/* The queues, in the now-cast's order. */
size_t forecaster_queue_count(const struct forecaster *f);
const char *forecaster_queue_id(const struct forecaster *f, size_t i);
int64_t forecaster_queue_newest_ms(const struct forecaster *f, size_t i);

/* The now-cast of queue i at t_ms (see estimator_estimate). */
void forecaster_now(struct forecaster *f, size_t i, int64_t t_ms, struct wait_estimate *out);

/* The forecast for queue i, made at t_ms (not before the samples added),
 * for a person joining at at_ms (t_ms < at_ms <= t_ms + FORECAST_MAX_AHEAD_S). */
void forecaster_predict(struct forecaster *f, size_t i, int64_t t_ms, int64_t at_ms,
			struct forecast *out);

/* The same for several moments at once (one model evaluation): out[j] for
 * at_ms[j]; moments outside (t_ms, t_ms + FORECAST_MAX_AHEAD_S] are unknown. */
void forecaster_predict_series(struct forecaster *f, size_t i, int64_t t_ms, const int64_t *at_ms,
			       size_t n_at, struct forecast *out);

/* The now-cast inside, borrowed: for reading estimates (samples go in
 * through forecaster_add only). */
struct estimator *forecaster_estimator(struct forecaster *f);

/* Queue i's record at horizon h (< FORECAST_RECORD_HORIZONS; 15, 30, 60
 * minutes ahead) into out, its minutes ahead into *minutes; false (out
 * empty) for no such queue or horizon. A forecast ahead_ms ahead is judged
 * by the horizon forecaster_record_horizon() names. */
bool forecaster_record(const struct forecaster *f, size_t i, size_t h, int *minutes,
		       struct forecast_score *out);
size_t forecaster_record_horizon(int64_t ahead_ms);

/* Earlier days queue i has learned from (for reports). */
int forecaster_days_learned(const struct forecaster *f, size_t i);

#endif
