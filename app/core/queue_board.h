/* queue_board: the lunch lines one screen shows. It runs the estimator of
 * feeds/ over the sensor samples the server hands out (or a JSON Lines file),
 * taking each sample once however often it is delivered, and keeps a minute
 * by minute history of the wait for the chart of the last hour. */
#ifndef VB_QUEUE_BOARD_H
#define VB_QUEUE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "queue_sample.h"
#include "wait_estimator.h"

enum {
	QUEUE_BOARD_HISTORY = 60,          /* minutes kept for the chart */
	QUEUE_BOARD_MAX_SAMPLES = 500000,  /* per feed body */
	QUEUE_BOARD_TREND_MIN = 10,        /* the trend compares with this long ago */
	QUEUE_BOARD_TREND_S = 120,         /* a change smaller than this is steady */
};

enum trend { TREND_UNKNOWN, TREND_RISING, TREND_FALLING, TREND_STEADY };

struct queue_view {
	const char *id, *name, *venue; /* borrowed from the board */
	struct wait_estimate now;      /* at the last queue_board_update */
	enum trend trend;
	/* wait in seconds at each of the last QUEUE_BOARD_HISTORY minutes, oldest
	 * first, the last one ending at history_end_ms; -1 where unknown */
	float history[QUEUE_BOARD_HISTORY];
	int64_t history_end_ms;
};

struct queue_load_summary {
	size_t samples, applied, duplicates, skipped, queues;
	int64_t newest_ms; /* the newest sample time taken so far, 0 when none */
};

struct queue_board;

/* only (borrowed strings; n_only 0 = every queue) limits which queues are
 * kept. Caller owns (queue_board_destroy); NULL on OOM. */
struct queue_board *queue_board_create(const char *const *only, size_t n_only);
void queue_board_destroy(struct queue_board *qb);

/* Takes a body: venueboard-server's /v1/queues JSON (its "samples") or
 * contracts §1 JSON Lines. Samples already taken are skipped. A body that
 * does not read is refused whole (e names the line or field) and changes
 * nothing. Samples later than until_ms are left for a later load (a
 * screenshot of a past moment must not know the future); INT64_MAX: none. */
bool queue_board_load(struct queue_board *qb, const char *buf, size_t len, int64_t until_ms,
		      struct queue_load_summary *sum, struct feed_error *e);

/* Brings estimates and history up to now_ms (the board's clock). */
void queue_board_update(struct queue_board *qb, int64_t now_ms);

size_t queue_board_count(const struct queue_board *qb);
const struct queue_view *queue_board_get(const struct queue_board *qb, size_t i);

/* The newest sample time taken (UTC ms), 0 when none: where the next fetch
 * can start. */
int64_t queue_board_newest_ms(const struct queue_board *qb);

#endif
