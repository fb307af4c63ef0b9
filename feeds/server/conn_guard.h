/* conn_guard: which connections venueboard-server cuts, and why. Each stage
 * of a request has a deadline (the headers within seconds, a body or a
 * response at a minimum average rate) rather than an idle timer that one byte
 * every few seconds keeps alive; one address may hold only so many requests
 * that are still sending their headers; and when the table fills up, the
 * oldest of those (and the responses that stopped moving) go first, so
 * there is always room for a new client. Pure:
 * the HTTP shell reports what happens and closes what this says. */
#ifndef VB_CONN_GUARD_H
#define VB_CONN_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum guard_stage {
	GUARD_HEADERS,    /* connected: the first request's headers not all in */
	GUARD_IDLE,       /* kept alive after a request: the next one's headers not all in */
	GUARD_BODY,       /* headers accepted (token checked), the body arriving */
	GUARD_WORKING,    /* the server is working on it (a slow read off the polling thread) */
	GUARD_RESPONDING, /* the response is being sent (its progress reported when known) */
	GUARD_STREAMING,  /* a screen's event stream: open for good (the shell caps them) */
};

enum guard_reason {
	GUARD_CUT_HEADERS,  /* the headers did not arrive in time */
	GUARD_CUT_IDLE,     /* kept alive with no new request in time */
	GUARD_CUT_BODY,     /* the body did not arrive in time */
	GUARD_CUT_RESPONSE, /* the client did not read the response in time */
	GUARD_CUT_ADDRESS,  /* its address holds too many unfinished requests */
	GUARD_CUT_PRESSURE, /* the table is nearly full: the slowest go first */
	GUARD_N_REASONS
};

struct guard_limits {
	size_t max_conns;         /* slots (the HTTP server's connection limit) */
	size_t soft_conns;        /* above this many, slow and idle connections are cut */
	int64_t headers_ms;       /* a request's headers must arrive within this */
	int64_t slow_ms;          /* headers pending (or idle) longer than this count as slow */
	int64_t busy_slow_ms;     /* the same when the table is past soft_conns */
	int64_t body_base_ms;     /* a body: this, plus its length at min_rate */
	int64_t respond_base_ms;  /* a response: likewise */
	int64_t respond_stall_ms; /* a response whose progress is reported: none for this long */
	int64_t respond_slow_ms;  /* under pressure, a response that has not moved for this long
				   * makes room (a 16 KiB block at min_rate: 500 ms) */
	uint64_t min_rate;        /* bytes per second */
	size_t per_addr_slow;     /* slow new connections one address may have */
};

/* The limits venueboard-server runs with for max_conns connections. */
struct guard_limits conn_guard_defaults(size_t max_conns);

/* A client address: IPv4 mapped into IPv6's 16 bytes. */
struct guard_addr {
	unsigned char b[16];
};

struct guard_cut {
	int slot;
	enum guard_reason why;
};

struct conn_guard;

/* Caller owns (conn_guard_destroy); NULL on OOM. lim is copied. */
struct conn_guard *conn_guard_create(const struct guard_limits *lim);
void conn_guard_destroy(struct conn_guard *g);

/* A new connection; its slot, or -1 when every slot is taken. */
int conn_guard_open(struct conn_guard *g, const struct guard_addr *a, int64_t now_ms);

/* Slot enters stage at now_ms; bytes is the body's or the response's
 * length (it extends the deadline at min_rate), 0 otherwise. */
void conn_guard_stage(struct conn_guard *g, int slot, enum guard_stage st, uint64_t bytes,
		      int64_t now_ms);

/* A response being sent has sent bytes in all (slot's GUARD_RESPONDING
 * stage, as the shell's reader hands them over): one that stops moving for
 * respond_stall_ms is cut. Under pressure every response that has not
 * moved for respond_slow_ms (one whose progress is never reported: since it began)
 * makes room like a slow request, those that moved least recently first. */
void conn_guard_progress(struct conn_guard *g, int slot, uint64_t bytes, int64_t now_ms);

void conn_guard_close(struct conn_guard *g, int slot);
size_t conn_guard_count(const struct conn_guard *g);

/* The connections to cut at now_ms, at most max of them into out; each is
 * named once (it stays counted until conn_guard_close). Returns how many. */
size_t conn_guard_due(struct conn_guard *g, int64_t now_ms, struct guard_cut *out, size_t max);

/* The earliest deadline of a connection not yet cut, INT64_MAX when none:
 * how long the shell may sleep. */
int64_t conn_guard_next_deadline(const struct conn_guard *g);

const char *conn_guard_reason_name(enum guard_reason why);

#endif
