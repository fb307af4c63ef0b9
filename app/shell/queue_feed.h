/* queue_feed: the kiosk's lunch lines in the shell — the fetch of
 * venueboard-server's /v1/queues (only what is new, only this screen's
 * queues) or of a JSON Lines file, bodies taken into the queue board once
 * the schedule's zone is known, each frame's advice (its state kept across
 * frames), and an INFO line when what a line says changes. */
#ifndef VB_QUEUE_FEED_H
#define VB_QUEUE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

struct fetcher;
struct kiosk_config;
struct lunch_advice;
struct queue_board;
struct schedule;

struct queue_feed;

/* cfg is borrowed for the feed's life. Caller owns (queue_feed_destroy);
 * NULL on OOM. */
struct queue_feed *queue_feed_create(const struct kiosk_config *cfg, enum log_level log);
void queue_feed_destroy(struct queue_feed *q);

/* Adds the lunch-line fetch to f (borrowed for the feed's life); true when
 * there is none to add (no queues-url). now_ms: the board's clock. */
bool queue_feed_start(struct queue_feed *q, struct fetcher *f, int64_t now_ms);

/* Takes the fetch's result if one came (never blocks): true when one did.
 * A body waits for the first schedule (its zone names the local days the
 * forecaster learns by). Samples after until_ms are left out. */
bool queue_feed_take(struct queue_feed *q, int64_t now_ms, int64_t until_ms);

/* The board's schedule changed (borrowed until the next call): the
 * forecaster reads it, and a body that waited for it is taken. */
void queue_feed_set_schedule(struct queue_feed *q, const struct schedule *s);

/* Brings the lines and the advice up to now_ms (schedule s: the board's,
 * NULL when none); logs what changed. */
void queue_feed_frame(struct queue_feed *q, const struct schedule *s, int64_t now_ms);

/* For layout, borrowed: NULL when the screen shows no lunch lines. */
const struct queue_board *queue_feed_board(const struct queue_feed *q);
const struct lunch_advice *queue_feed_advice(const struct queue_feed *q);

#endif
