/* schedule_feed: the kiosk's schedule in the shell — its fetch (kicked
 * again, coalesced, when the server's stream says it changed), each body
 * into the board (the first that reads is the baseline; one that does not
 * read changes nothing), the copies in cache-dir (schedule.feed,
 * baseline.feed), how fresh it is for the screen and the heartbeat, and
 * the log's lines about all of it. */
#ifndef VB_SCHEDULE_FEED_H
#define VB_SCHEDULE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "log.h"

struct board;
struct fetcher;
struct kiosk_clock;
struct kiosk_config;
struct queue_feed;

struct schedule_feed;

/* cfg, board (filled by each schedule that reads), clock (set by the
 * server's Date) and lunch (told of each new schedule) are borrowed for
 * the feed's life. Caller owns (schedule_feed_destroy); NULL on OOM. */
struct schedule_feed *schedule_feed_create(const struct kiosk_config *cfg, enum log_level log,
					   struct board *board, struct kiosk_clock *clock,
					   struct queue_feed *lunch);
void schedule_feed_destroy(struct schedule_feed *s);

/* Adds the schedule's fetch to f (borrowed for the feed's life); false when
 * it cannot be added. */
bool schedule_feed_start(struct schedule_feed *s, struct fetcher *f);

/* A running kiosk's cache-dir: made when missing (WARN when it cannot be),
 * its mode kept to make it again alike. */
void schedule_feed_prepare_cache(struct schedule_feed *s);

/* Shows the saved schedule, if there is one that reads. */
void schedule_feed_load_cache(struct schedule_feed *s);

/* The loop's: takes the fetch's result if one came (never blocks). True
 * when a body came (read or not): the screen is to be laid out again. */
bool schedule_feed_take(struct schedule_feed *s);

/* A single run's (screenshot, bench): takes the fetch's result if one came;
 * true when it did. */
bool schedule_feed_take_once(struct schedule_feed *s);

/* After a single run's fetch: the saved schedule when the network gave
 * none. False (said at ERROR) when there is no schedule at all. */
bool schedule_feed_settle_once(struct schedule_feed *s);

/* The server's stream said the schedule changed (asked): a fetch, at most
 * one in flight and coalesced under a storm. Called every loop. */
void schedule_feed_kick(struct schedule_feed *s, bool asked, int64_t mono_ms);

/* True once a schedule is on screen (from the network or the cache). */
bool schedule_feed_have(const struct schedule_feed *s);

/* What layout shows of the feed's freshness, as of mono_ms. */
struct layout_feed schedule_feed_view(const struct schedule_feed *s, int64_t mono_ms);

/* For the heartbeat: seconds since a schedule that reads was received or
 * confirmed (-1: none yet), and why the answers are not a schedule (NULL
 * while they are; borrowed until the next take). */
int64_t schedule_feed_age_s(const struct schedule_feed *s, int64_t mono_ms);
const char *schedule_feed_error(const struct schedule_feed *s);

#endif
