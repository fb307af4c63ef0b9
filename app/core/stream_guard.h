/* stream_guard: when the kiosk breaks off the server's event stream. A
 * stream proves itself alive by whole events, not by bytes: no whole event
 * (a keep-alive comment counts: the server writes one every 15 s) within
 * the keep-alive period and a margin, a line or an event over its cap, bad
 * events in a row, or more events or bytes than any server sends (a flood)
 * break it, and the fetcher reopens it with back-off. Whatever comes, the
 * work it costs is bounded by those caps. Pure: the shell says what came
 * and when. */
#ifndef VB_STREAM_GUARD_H
#define VB_STREAM_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	STREAM_GUARD_IDLE_MS = 20000,     /* keep-alive 15 s + 5 s of margin */
	STREAM_GUARD_BAD_MAX = 8,         /* bad events in a row */
	STREAM_GUARD_WINDOW_MS = 10000,   /* floods are counted per window */
	STREAM_GUARD_WINDOW_EVENTS = 200, /* whole events and comments in one */
	STREAM_GUARD_WINDOW_BYTES = 8 << 20,
	STREAM_GUARD_WHY_MAX = 160,
};

/* What a whole event was. */
enum stream_guard_event {
	STREAM_GUARD_GOOD,    /* a state event that reads */
	STREAM_GUARD_BAD,     /* a state event that does not */
	STREAM_GUARD_COMMENT, /* a comment (the keep-alive), or an event of another name */
};

/* One connection's state; stream_guard_open at each new one. */
struct stream_guard {
	int64_t opened_ms, whole_ms, window_ms;
	unsigned bad_run, window_events;
	size_t window_bytes;
	bool live;   /* a good event came on this connection */
	bool broken; /* a reason to break it was found: why says it */
	char why[STREAM_GUARD_WHY_MAX];
};

void stream_guard_open(struct stream_guard *g, int64_t now_ms);

/* Each returns false once the stream must be broken (g->why says why, in
 * words for the log; it stays broken until the next stream_guard_open). */

/* len bytes came (before they are parsed). */
bool stream_guard_bytes(struct stream_guard *g, size_t len, int64_t now_ms);

/* A whole event or comment came. */
bool stream_guard_whole(struct stream_guard *g, enum stream_guard_event ev, int64_t now_ms);

/* A line or an event passed its cap (what: "a line over 128 KiB"). */
bool stream_guard_over(struct stream_guard *g, const char *what);

/* The clock moved on: false when no whole event came for STREAM_GUARD_IDLE_MS. */
bool stream_guard_idle(struct stream_guard *g, int64_t now_ms);

/* True when the connection has proven itself: a good event, open a whole
 * idle period, nothing wrong. Its back-off may then start over. */
bool stream_guard_healthy(const struct stream_guard *g, int64_t now_ms);

#endif
