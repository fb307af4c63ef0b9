/* feed_log: what the kiosk says of its feeds' trouble, the same for the
 * schedule, the lunch lines and the rooms: a failing streak (feed_health)
 * in a few lines instead of one per poll, and a server's Retry-After. */
#ifndef VB_FEED_LOG_H
#define VB_FEED_LOG_H

#include "feed_error.h"
#include "feed_health.h"
#include "log.h"

#include <stdbool.h>
#include <stdint.h>

struct fetch_result;

/* Writes what l asks for, other than the first failure itself (the caller
 * words that one): a summary at ERROR ("the same failure 40 more times in
 * the last 20 min"), the old failure's last repeats before a new one, and
 * INFO when it reads again ("reads again after 57 failed polls since
 * 10:02"). Times are the wall clock's (UTC ms), said in local time like
 * the journal's. */
void feed_log_streak(enum log_level threshold, const char *module,
		     const struct feed_health_line *l);

/* A fault that is not a feed's poll (a stream's events, a heartbeat's
 * answers, a file that cannot be written), about subject ("stream",
 * "cache"), kept in h: msg said in full at level the first time, its
 * repeats summed up. */
void feed_log_fault(enum log_level threshold, enum log_level level, const char *module,
		    const char *subject, struct feed_health *h, const char *msg);

/* The fault of h is over: "…: fine again after N faults since HH:MM" at
 * INFO when there was one. */
void feed_log_fault_over(enum log_level threshold, const char *module, const char *subject,
			 struct feed_health *h);

/* A failed fetch r of feed (its name for the log, borrowed): says once
 * (until the wait asked for changes; *said_s keeps what was said, -1 for
 * nothing) that the server asked to wait and that we do, or that its
 * Retry-After does not read and our own back-off applies. */
void feed_log_wait(enum log_level threshold, const char *module, const char *feed,
		   const struct fetch_result *r, int64_t *said_s);

/* A feed beside the schedule (the lunch lines, the rooms): whether it is
 * reachable, its bodies that do not read, the Retry-After last said. */
struct feed_watch {
	enum log_level log;
	const char *module, *feed; /* for the log, borrowed: "rooms", "room counts" */
	bool offline;
	struct feed_health health;    /* said once, then summarised */
	char failure[FEED_ERROR_MAX]; /* the last one's message (a 304 repeats it) */
	int64_t said_wait_s;          /* -1: nothing said */
};

void feed_watch_init(struct feed_watch *w, enum log_level log, const char *module,
		     const char *feed);

/* An answer r: a failure is said once with what the screen does meanwhile
 * (borrowed), the way back at INFO, and a 304 for a body that did not read
 * counts as one more failure, as does a body over the size cap. Returns
 * true when the server answered with something to read. */
bool feed_watch_answer(struct feed_watch *w, const struct fetch_result *r, const char *meanwhile);

/* A body read (ok) or not (msg): the streak's lines. Returns true when
 * this failure is the first of its streak, for the caller to word. */
bool feed_watch_body(struct feed_watch *w, bool ok, const char *msg);

/* The wall clock (UTC ms): what feed_health's times are in. */
int64_t feed_log_now_ms(void);

#endif
