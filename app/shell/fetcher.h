/* fetcher: pulls the kiosk's feeds with libcurl without ever blocking the
 * screen — every transfer runs on one curl multi handle that the main loop
 * drives; conditional GETs (ETag / Last-Modified), timeouts, back-off with
 * jitter after failures (a server's Retry-After honoured on 503 and 429;
 * one origin's answer ends the back-off of its other feeds: fetch_backoff),
 * TLS verification on, a size cap, file:// too. */
#ifndef VB_FETCHER_H
#define VB_FETCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FETCHER_MAX_FEEDS = 8 };

struct fetcher_options {
	size_t max_bytes;       /* a body larger than this is refused */
	int connect_timeout_ms; /* per transfer */
	int timeout_ms;         /* whole transfer */
	int backoff_min_ms;     /* first retry after a failure */
	int backoff_max_ms;     /* retries never wait longer than this */
	uint64_t seed;          /* jitter; different kiosks should differ */
	const char *user_agent; /* borrowed */
	const char *ca_file;    /* extra CA bundle, NULL for the system's; borrowed */
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
	int failures;     /* consecutive failures including this one (0 on success) */
	int64_t retry_ms; /* FETCH_FAILED: the back-off chosen before the next try */
	/* FETCH_FAILED with 503 or 429: the Retry-After the server sent (as it
	 * came, "" when none) and the seconds it asked for, honoured within the
	 * poll and an hour (retry_ms); -1 when none or it does not read (then
	 * our own back-off applies) */
	char retry_after[80];
	int64_t asked_wait_s;
	int64_t server_date_s; /* the response's Date header (UTC seconds), 0 when none */
	/* FETCH_FAILED because the body passed the size cap: the server answered
	 * (it is no outage), and the size it announced (-1 when it did not);
	 * error then reads "12.3 MB, over the 8 MB cap" (the caller names what) */
	bool too_big;
	int64_t size;
	char error[256]; /* FETCH_FAILED: what went wrong, for the log */
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

/* A stream's bytes, handed over as they come (borrowed for the call); p
 * NULL and len 0 when a new connection begins. Only a 2xx answer's body. */
typedef void fetcher_sink_fn(void *ctx, const char *p, size_t len);

/* A GET held open (server-sent events): its body goes to sink, never kept;
 * reopened with back-off (with jitter, up to backoff_max_ms) whenever it
 * ends or fails, and cut when nothing came for idle_ms. The back-off starts
 * over only once its reader says it is healthy (fetcher_stream_healthy): a
 * stream that opens and then sends junk is not retried every second. */
struct fetcher_stream {
	const char *url;    /* copied */
	const char *bearer; /* a token sent as Authorization: Bearer (copied) */
	int idle_ms;
	int backoff_max_ms; /* 0: the fetcher's */
	fetcher_sink_fn *sink;
	void *ctx;
};

/* Adds a stream, opened at once; its index, -1 as fetcher_add. Each time it
 * ends a FETCH_FAILED result says why and when it is retried. */
int fetcher_add_stream(struct fetcher *f, const struct fetcher_stream *s);

/* True while stream feed is open: a 2xx answer is being read. */
bool fetcher_stream_open(const struct fetcher *f, int feed);

/* Breaks off stream feed (its reader found it broken: why, copied, is its
 * result's error); it is reopened after its back-off. May be called from
 * its sink: the transfer then stops at once. */
void fetcher_stream_cut(struct fetcher *f, int feed, const char *why);

/* The stream has proven itself: its next cut is retried after the shortest
 * back-off again. */
void fetcher_stream_healthy(struct fetcher *f, int feed);

/* Replaces a feed's URL for its next fetch (e.g. a new ?since=); the
 * validators (ETag / Last-Modified) are kept only if the URL is unchanged. */
bool fetcher_set_url(struct fetcher *f, int feed, const char *url);

/* Drops feed's validators (ETag, Last-Modified, the last body's hash): its
 * next answer is a whole body even when unchanged (e.g. to save it again). */
void fetcher_forget(struct fetcher *f, int feed);

/* Makes feed due now (a user asked, or the network came back). False when
 * it is on its way already (its answer may be older than the reason). */
bool fetcher_kick(struct fetcher *f, int feed);

/* True while feed's transfer is in flight. */
bool fetcher_in_flight(const struct fetcher *f, int feed);

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
