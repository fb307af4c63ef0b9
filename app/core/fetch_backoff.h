/* fetch_backoff: when the kiosk's fetcher tries a feed again. Exponential
 * back-off with jitter after failures; a server's Retry-After (on 503 and
 * 429) honoured within bounds; and one origin's answer ending the back-off
 * of the other feeds on it (the schedule answered: the lunch lines on the
 * same server need not wait out their two minutes). Pure: the shell's
 * fetcher keeps the feeds and the clock and asks here. */
#ifndef VB_FETCH_BACKOFF_H
#define VB_FETCH_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FETCH_BACKOFF_ORIGIN_MAX = 320,       /* "https://host:port", lower case */
	FETCH_BACKOFF_HOLD_MAX_MS = 3600000,  /* a Retry-After never holds longer */
	FETCH_BACKOFF_RESET_JITTER_MS = 2000, /* an origin back: its feeds within 2 s */
};

/* text_url_origin's "scheme://host[:port]" of an http(s) url, in lower
 * case (to compare). False (out "") for another scheme (file://) or when
 * it is longer than cap - 1. */
bool fetch_backoff_origin(const char *url, char *out, size_t cap);

/* The wait before try number failures + 1: min_ms doubled per earlier
 * failure up to max_ms, then uniform in [half, all] of it using rnd (any
 * 64-bit random number). */
int64_t fetch_backoff_delay_ms(int failures, int min_ms, int max_ms, uint64_t rnd);

/* A Retry-After value (RFC 9110 10.2.3): delta-seconds, or an HTTP-date
 * (IMF-fixdate, RFC 850 or asctime) taken against now_s (UTC seconds). True
 * and *delay_s (>= 0) when it reads; false for anything else (a negative or
 * huge number, a date that is not one, junk after it). */
bool fetch_backoff_retry_after(const char *value, int64_t now_s, int64_t *delay_s);

/* What a Retry-After of delay_s makes the feed wait: never less than its
 * normal poll (interval_ms), never more than FETCH_BACKOFF_HOLD_MAX_MS. */
int64_t fetch_backoff_hold_ms(int64_t delay_s, int interval_ms);

/* A feed as fetch_backoff_answered sees it. */
struct fetch_backoff_peer {
	const char *origin; /* borrowed */
	int failures;       /* consecutive failures */
	int64_t due_ms;     /* its next try */
	bool busy;          /* in flight: its own answer will say */
	bool held;          /* waiting out a Retry-After: the server asked */
};

/* Feed who of peers[n] got an answer from its origin at now_ms: every other
 * feed of that origin in back-off (failures > 0, not busy, not held) gets
 * failures 0 and a due time within now_ms + [0, FETCH_BACKOFF_RESET_JITTER_MS)
 * (from rnd), unless it was due sooner. Returns how many were reset. */
size_t fetch_backoff_answered(struct fetch_backoff_peer *peers, size_t n, size_t who,
			      int64_t now_ms, uint64_t rnd);

#endif
