/* queue_board: the lunch lines one screen shows. It runs the forecaster of
 * feeds/ (which holds the estimator) over the sensor samples the server
 * hands out (or a JSON Lines file), taking each sample once however often it
 * is delivered, keeps a minute by minute history of the wait for the chart
 * of the last hour, and each line's next hour: the server's forecast when it
 * sends one (it learns from every earlier day in its database), else its own. */
#ifndef VB_QUEUE_BOARD_H
#define VB_QUEUE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "queue_sample.h"
#include "wait_estimator.h"

struct schedule;

enum {
	QUEUE_BOARD_HISTORY = 60,            /* minutes kept for the chart */
	QUEUE_BOARD_MAX_SAMPLES = 500000,    /* per feed body */
	QUEUE_BOARD_TREND_MIN = 10,          /* the trend compares with this long ago */
	QUEUE_BOARD_TREND_S = 120,           /* a change smaller than this is steady */
	QUEUE_BOARD_FORECAST_MAX = 24,       /* points taken from a server's forecast */
	QUEUE_BOARD_FORECAST_POINTS = 12,    /* worked out here: the next hour, at the */
	QUEUE_BOARD_FORECAST_STEP_MIN = 5,   /* multiples of 5 minutes of the clock */
	QUEUE_BOARD_FORECAST_STALE_MIN = 15, /* an older server forecast is not shown */
};

enum trend { TREND_UNKNOWN, TREND_RISING, TREND_FALLING, TREND_STEADY };

enum forecast_source { FORECAST_NONE, FORECAST_SERVER, FORECAST_LOCAL };

struct queue_forecast_point {
	int64_t at_ms;               /* the moment a person would join the line */
	bool known;                  /* false: no forecast for it (the rest unset) */
	float wait_s, low_s, high_s; /* low..high holds the true wait 8 times in 10 */
	bool withheld; /* known false: its record is worse than a baseline's (forecast.h) */
};

/* A line's next hour. In a view: only the points after the update's time. */
struct queue_forecast {
	bool have;     /* at least one point */
	bool withheld; /* some point withheld; with have false: the screen shows "now" only */
	enum forecast_source source;
	int64_t made_ms;  /* when it was worked out */
	int days_learned; /* earlier days it learned from (0: the schedule alone) */
	size_t n;
	struct queue_forecast_point points[QUEUE_BOARD_FORECAST_MAX]; /* in time order */
};

struct queue_view {
	const char *id, *name, *venue; /* borrowed from the board */
	struct wait_estimate now;      /* at the last queue_board_update */
	enum trend trend;
	/* wait in seconds at each of the last QUEUE_BOARD_HISTORY minutes, oldest
	 * first, the last one ending at history_end_ms; -1 where unknown */
	float history[QUEUE_BOARD_HISTORY];
	int64_t history_end_ms;
	struct queue_forecast forecast; /* the server's while fresh, else this board's */
};

struct queue_load_summary {
	size_t samples, applied, duplicates, skipped, queues;
	size_t forecasts, bad_points; /* server forecasts taken; their points ignored */
	int64_t newest_ms;            /* the newest sample time taken so far, 0 when none */
};

struct queue_board;

/* only (borrowed strings; n_only 0 = every queue) limits which queues are
 * kept. Caller owns (queue_board_destroy); NULL on OOM. */
struct queue_board *queue_board_create(const char *const *only, size_t n_only);
void queue_board_destroy(struct queue_board *qb);

/* The conference's schedule, borrowed until the next call or destroy (NULL:
 * none): the forecaster reads the sessions that let people out, the rooms'
 * seats and the local days from it. Set it before the first load: the days
 * already learned keep the zone they were learned in. */
void queue_board_set_schedule(struct queue_board *qb, const struct schedule *s);

/* Takes a body: venueboard-server's /v1/queues JSON (its "samples", and each
 * queue's "forecast") or contracts §1 JSON Lines (room counts included: the
 * forecaster reads them). Samples already taken are skipped. A body that
 * does not read is refused whole (e names the line or field) and changes
 * nothing; a forecast point that does not read is ignored (counted in
 * sum->bad_points). A queue listed without a forecast has none from the
 * server any more. Samples and forecasts later than until_ms are left out (a
 * screenshot of a past moment must not know the future); INT64_MAX: none. */
bool queue_board_load(struct queue_board *qb, const char *buf, size_t len, int64_t until_ms,
		      struct queue_load_summary *sum, struct feed_error *e);

/* Brings estimates, history and forecasts up to now_ms (the board's clock;
 * this board's own forecast is worked out again when a sample came or the
 * minute changed). */
void queue_board_update(struct queue_board *qb, int64_t now_ms);

size_t queue_board_count(const struct queue_board *qb);
const struct queue_view *queue_board_get(const struct queue_board *qb, size_t i);

/* The newest sample time taken (UTC ms), 0 when none: where the next fetch
 * can start. */
int64_t queue_board_newest_ms(const struct queue_board *qb);

#endif
