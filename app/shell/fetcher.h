/* fetcher: pulls the kiosk's feeds with libcurl without ever blocking the
 * screen — every transfer runs on one curl multi handle that the main loop
 * drives; conditional GETs (ETag / Last-Modified), timeouts, back-off with
 * jitter after failures, TLS verification on, a size cap, file:// too. */
#ifndef VB_FETCHER_H
#define VB_FETCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FETCHER_MAX_FEEDS = 8 };

struct fetcher_options {
	size_t max_bytes;        /* a body larger than this is refused */
	int connect_timeout_ms;  /* per transfer */
	int timeout_ms;          /* whole transfer */
	int backoff_min_ms;      /* first retry after a failure */
	int backoff_max_ms;      /* retries never wait longer than this */
	uint64_t seed;           /* jitter; different kiosks should differ */
	const char *user_agent;  /* borrowed */
	const char *ca_file;     /* extra CA bundle, NULL for the system's; borrowed */
};

enum fetch_outcome {
	FETCH_NEW,          /* a new body (200, or a file that changed) */
	FETCH_NOT_MODIFIED, /* 304, or a file whose bytes are unchanged */
	FETCH_FAILED,       /* network, HTTP >= 400, too big, timeout: see error */
};

struct fetch_result {
	enum fetch_outcome outcome;
	char *body; /* FETCH_NEW: malloc'd, NUL-terminated, owned by the caller */
	size_t len;
	long http_status;  /* 0 for file:// and transport failures */
	size_t wire_bytes; /* bytes received (compressed size when gzip'd) */
	int64_t elapsed_ms;
	int failures;      /* consecutive failures including this one (0 on success) */
	int64_t retry_ms;  /* FETCH_FAILED: the back-off chosen before the next try */
	int64_t server_date_s; /* the response's Date header (UTC seconds), 0 when none */
	char error[256];   /* FETCH_FAILED: what went wrong, for the log */
};

struct fetcher;

/* Caller owns (fetcher_destroy); NULL when libcurl cannot start. opt is copied
 * (its strings are borrowed). */
struct fetcher *fetcher_create(const struct fetcher_options *opt);
void fetcher_destroy(struct fetcher *f);

/* Adds a feed polled every interval_ms; returns its index, -1 past
 * FETCHER_MAX_FEEDS or for a URL whose scheme is not http, https or file.
 * url is copied. The first fetch is due at once. */
int fetcher_add(struct fetcher *f, const char *url, int interval_ms);

/* Replaces a feed's URL for its next fetch (e.g. a new ?since=); the
 * validators (ETag / Last-Modified) are kept only if the URL is unchanged. */
bool fetcher_set_url(struct fetcher *f, int feed, const char *url);

/* Makes feed due now (a user asked, or the network came back). */
void fetcher_kick(struct fetcher *f, int feed);

/* True while a transfer is in flight (the loop should come back soon). */
bool fetcher_busy(const struct fetcher *f);

/* Milliseconds from now_ms until the fetcher needs fetcher_run again: 0 when
 * due now, at most the time to the next scheduled poll. */
int64_t fetcher_next_ms(const struct fetcher *f, int64_t now_ms);

/* Starts due transfers, waits at most wait_ms for network activity (the
 * main loop's only sleep while transfers run), and moves finished transfers
 * to their feeds' results. now_ms is the monotonic clock. */
void fetcher_run(struct fetcher *f, int64_t now_ms, int wait_ms);

/* Takes feed's finished result, if one is waiting: true and *out filled
 * (out->body then belongs to the caller). */
bool fetcher_take(struct fetcher *f, int feed, struct fetch_result *out);

#endif
