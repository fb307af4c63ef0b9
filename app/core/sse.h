/* sse: a parser for server-sent events (text/event-stream, as the HTML
 * standard defines them), fed a stream's bytes as they come: lines ended by
 * CRLF, LF or CR (a CRLF split between two reads too), comments, "event",
 * "data" (several lines joined by newlines), "id" and "retry". A line or an
 * event over its cap is refused — the event is dropped up to its blank line
 * and counted — and never buffered without bound. Pure. */
#ifndef VB_SSE_H
#define VB_SSE_H

#include <stdbool.h>
#include <stddef.h>

enum {
	SSE_MAX_LINE = 128 * 1024,  /* bytes of one line */
	SSE_MAX_EVENT = 256 * 1024, /* bytes of one event's data */
	SSE_MAX_TYPE = 64,          /* bytes of an event's name */
	SSE_MAX_ID = 256,           /* bytes of an id */
};

struct sse_event {
	const char *type; /* "message" when the stream named none */
	const char *data; /* NUL-terminated, data_len bytes */
	size_t data_len;
	const char *id; /* the last id the stream gave, "" when none */
};

/* Called for each event, borrowed for the call. */
typedef void sse_event_fn(void *ctx, const struct sse_event *ev);

/* Plain state; the caller owns it (sse_init, then sse_finish). */
struct sse {
	sse_event_fn *on_event;
	void *ctx;
	char *line; /* the line being read */
	size_t line_len, line_cap;
	char *data; /* the event's data so far */
	size_t data_len, data_cap;
	bool has_data;
	char type[SSE_MAX_TYPE + 1], id[SSE_MAX_ID + 1];
	bool cr;        /* the last byte ended a line with CR: an LF next ends none */
	bool line_over; /* this line passed its cap */
	bool skipping;  /* this event passed a cap: dropped up to its blank line */
	bool started;   /* past the stream's first bytes (a byte-order mark) */
	long retry_ms;  /* the server's reconnection time, -1 when it said none */
	size_t events, refused, comments;
	size_t overflows; /* lines (comments too) or events that passed a cap, counted as soon as they do
			     (refused counts their events only at their blank line) */
};

void sse_init(struct sse *p, sse_event_fn *on_event, void *ctx);
void sse_finish(struct sse *p);

/* A new connection: half an event read before is forgotten (the last id and
 * the counts are kept). */
void sse_reset(struct sse *p);

/* Feeds len bytes; events are delivered as they complete. False when out of
 * memory (the event at hand is dropped and counted as refused). */
bool sse_feed(struct sse *p, const char *buf, size_t len);

#endif
