/* conn_guard: a table of connections with a deadline each, and two rules for
 * slow header senders (per address, and under pressure). */
#include "conn_guard.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	bool used, cut;
	struct guard_addr addr;
	enum guard_stage stage;
	int64_t since_ms, deadline_ms;
	int64_t moved_ms; /* a response's latest progress (since_ms when none reported) */
	uint64_t sent;
	bool tracked; /* its progress is reported */
};

struct conn_guard {
	struct guard_limits lim;
	struct slot *slots;
	int *free_slots; /* a stack */
	size_t n_free, n_used, n_cut;
	struct slow *scratch;
};

/* A connection that is slow to send a request (or idle, or a response that
 * does not move), for sorting. */
struct slow {
	int slot;
	const unsigned char *addr;
	int64_t since_ms;
	bool idle; /* not a new request: the per-address rule leaves it alone */
};

struct guard_limits conn_guard_defaults(size_t max_conns)
{
	return (struct guard_limits){
		.max_conns = max_conns,
		.soft_conns = max_conns - max_conns / 4,
		.headers_ms = 10000,
		.slow_ms = 1000,
		.busy_slow_ms = 250,
		.body_base_ms = 30000,
		.respond_base_ms = 30000,
		.respond_stall_ms = 30000,
		.respond_slow_ms = 500,
		.min_rate = 32 * 1024,
		.per_addr_slow = 64,
	};
}

struct conn_guard *conn_guard_create(const struct guard_limits *lim)
{
	struct conn_guard *g = calloc(1, sizeof(*g));
	if (!g || lim->max_conns == 0 || lim->max_conns > 1000000)
		goto fail;
	g->lim = *lim;
	g->slots = calloc(lim->max_conns, sizeof(*g->slots));
	g->free_slots = calloc(lim->max_conns, sizeof(*g->free_slots));
	g->scratch = calloc(lim->max_conns, sizeof(*g->scratch));
	if (!g->slots || !g->free_slots || !g->scratch)
		goto fail;
	for (size_t i = 0; i < lim->max_conns; i++) /* slot 0 on top */
		g->free_slots[g->n_free++] = (int)(lim->max_conns - 1 - i);
	return g;
fail:
	conn_guard_destroy(g);
	return NULL;
}

void conn_guard_destroy(struct conn_guard *g)
{
	if (!g)
		return;
	free(g->slots);
	free(g->free_slots);
	free(g->scratch);
	free(g);
}

static int64_t at_rate(const struct conn_guard *g, int64_t base_ms, uint64_t bytes)
{
	uint64_t extra = g->lim.min_rate ? bytes * 1000 / g->lim.min_rate : 0;
	if (extra > (uint64_t)INT64_MAX / 4)
		extra = (uint64_t)INT64_MAX / 4;
	return base_ms + (int64_t)extra;
}

int conn_guard_open(struct conn_guard *g, const struct guard_addr *a, int64_t now_ms)
{
	if (g->n_free == 0)
		return -1;
	int slot = g->free_slots[--g->n_free];
	struct slot *s = &g->slots[slot];
	*s = (struct slot){.used = true, .addr = *a};
	g->n_used++;
	conn_guard_stage(g, slot, GUARD_HEADERS, 0, now_ms);
	return slot;
}

void conn_guard_stage(struct conn_guard *g, int slot, enum guard_stage st, uint64_t bytes,
		      int64_t now_ms)
{
	if (slot < 0 || (size_t)slot >= g->lim.max_conns || !g->slots[slot].used)
		return;
	struct slot *s = &g->slots[slot];
	s->stage = st;
	s->since_ms = s->moved_ms = now_ms;
	s->sent = 0;
	s->tracked = false;
	switch (st) {
	case GUARD_HEADERS:
	case GUARD_IDLE: s->deadline_ms = now_ms + g->lim.headers_ms; break;
	case GUARD_BODY: s->deadline_ms = now_ms + at_rate(g, g->lim.body_base_ms, bytes); break;
	case GUARD_WORKING:   /* the server's own time: bounded by the work */
	case GUARD_STREAMING: /* bounded by how many the shell keeps */
		s->deadline_ms = INT64_MAX;
		break;
	case GUARD_RESPONDING:
		s->deadline_ms = now_ms + at_rate(g, g->lim.respond_base_ms, bytes);
		break;
	}
}

void conn_guard_progress(struct conn_guard *g, int slot, uint64_t bytes, int64_t now_ms)
{
	if (slot < 0 || (size_t)slot >= g->lim.max_conns || !g->slots[slot].used ||
	    g->slots[slot].stage != GUARD_RESPONDING)
		return;
	struct slot *s = &g->slots[slot];
	s->tracked = true;
	if (bytes > s->sent) {
		s->sent = bytes;
		s->moved_ms = now_ms;
	}
}

/* When slot is due (its deadline, or a reported response that stalled). */
static int64_t due_at(const struct conn_guard *g, const struct slot *s)
{
	if (s->stage == GUARD_RESPONDING && s->tracked &&
	    s->moved_ms + g->lim.respond_stall_ms < s->deadline_ms)
		return s->moved_ms + g->lim.respond_stall_ms;
	return s->deadline_ms;
}

void conn_guard_close(struct conn_guard *g, int slot)
{
	if (slot < 0 || (size_t)slot >= g->lim.max_conns || !g->slots[slot].used)
		return;
	struct slot *s = &g->slots[slot];
	if (s->cut)
		g->n_cut--;
	memset(s, 0, sizeof(*s));
	g->n_used--;
	g->free_slots[g->n_free++] = slot;
}

size_t conn_guard_count(const struct conn_guard *g)
{
	return g->n_used;
}

static int by_addr_then_age(const void *va, const void *vb)
{
	const struct slow *a = va, *b = vb;
	int c = memcmp(a->addr, b->addr, 16);
	if (c)
		return c;
	return a->since_ms < b->since_ms ? -1 : a->since_ms > b->since_ms;
}

static int by_age(const void *va, const void *vb)
{
	const struct slow *a = va, *b = vb;
	return a->since_ms < b->since_ms ? -1 : a->since_ms > b->since_ms;
}

struct due {
	struct conn_guard *g;
	struct guard_cut *out;
	size_t max, n;
};

static bool cut(struct due *d, int slot, enum guard_reason why)
{
	if (d->n == d->max)
		return false;
	struct slot *s = &d->g->slots[slot];
	s->cut = true;
	d->g->n_cut++;
	d->out[d->n++] = (struct guard_cut){slot, why};
	return true;
}

size_t conn_guard_due(struct conn_guard *g, int64_t now_ms, struct guard_cut *out, size_t max)
{
	struct due d = {g, out, max, 0};
	static const enum guard_reason late[] = {
		[GUARD_HEADERS] = GUARD_CUT_HEADERS,     [GUARD_IDLE] = GUARD_CUT_IDLE,
		[GUARD_BODY] = GUARD_CUT_BODY,           [GUARD_WORKING] = GUARD_CUT_BODY,
		[GUARD_RESPONDING] = GUARD_CUT_RESPONSE, [GUARD_STREAMING] = GUARD_CUT_RESPONSE,
	};
	/* past the soft limit a new connection waits for a slot until the
	 * slowest are cut: so they are cut sooner */
	bool busy = g->n_used - g->n_cut > g->lim.soft_conns;
	int64_t busy_ms = busy ? g->lim.busy_slow_ms : g->lim.slow_ms;
	size_t n_slow = 0;
	for (size_t i = 0; i < g->lim.max_conns; i++) {
		struct slot *s = &g->slots[i];
		if (!s->used || s->cut)
			continue;
		if (now_ms >= due_at(g, s)) {
			if (!cut(&d, (int)i, late[s->stage]))
				return d.n;
		} else if ((s->stage == GUARD_HEADERS || s->stage == GUARD_IDLE) &&
			   now_ms - s->since_ms > busy_ms) {
			g->scratch[n_slow++] = (struct slow){(int)i, s->addr.b, s->since_ms,
							     s->stage == GUARD_IDLE};
		} else if (busy && s->stage == GUARD_RESPONDING &&
			   now_ms - s->moved_ms > g->lim.respond_slow_ms) {
			/* a response that does not move holds a slot as a slow request
			 * does: under pressure it makes room too (a reader that takes a
			 * byte now and then must not keep everyone else out) */
			g->scratch[n_slow++] = (struct slow){(int)i, s->addr.b, s->moved_ms, true};
		}
	}
	/* one address may keep only so many slow new connections: its oldest
	 * go (idle kept-alive ones are a NAT's kiosks between polls: not these) */
	qsort(g->scratch, n_slow, sizeof(*g->scratch), by_addr_then_age);
	size_t kept = 0;
	for (size_t i = 0; i < n_slow;) {
		size_t j = i, fresh = 0;
		while (j < n_slow && memcmp(g->scratch[j].addr, g->scratch[i].addr, 16) == 0) {
			const struct slow *x = &g->scratch[j++];
			fresh += !x->idle && now_ms - x->since_ms > g->lim.slow_ms;
		}
		size_t excess = fresh > g->lim.per_addr_slow ? fresh - g->lim.per_addr_slow : 0;
		for (size_t k = i; k < j; k++) { /* oldest first: the slow ones */
			if (!g->scratch[k].idle && excess) {
				excess--;
				if (!cut(&d, g->scratch[k].slot, GUARD_CUT_ADDRESS))
					return d.n;
			} else {
				g->scratch[kept++] = g->scratch[k];
			}
		}
		i = j;
	}
	/* a nearly full table: the slowest and the idle make room */
	qsort(g->scratch, kept, sizeof(*g->scratch), by_age);
	for (size_t k = 0; k < kept && g->n_used - g->n_cut > g->lim.soft_conns; k++)
		if (!cut(&d, g->scratch[k].slot, GUARD_CUT_PRESSURE))
			break;
	return d.n;
}

int64_t conn_guard_next_deadline(const struct conn_guard *g)
{
	int64_t next = INT64_MAX;
	for (size_t i = 0; i < g->lim.max_conns; i++) {
		const struct slot *s = &g->slots[i];
		if (s->used && !s->cut && due_at(g, s) < next)
			next = due_at(g, s);
	}
	return next;
}

const char *conn_guard_reason_name(enum guard_reason why)
{
	static const char *const names[] = {
		[GUARD_CUT_HEADERS] = "headers not sent in time",
		[GUARD_CUT_IDLE] = "idle after a request",
		[GUARD_CUT_BODY] = "body not sent in time",
		[GUARD_CUT_RESPONSE] = "response not read in time",
		[GUARD_CUT_ADDRESS] = "too many slow requests from one address",
		[GUARD_CUT_PRESSURE] = "slow, idle or not reading while the server was nearly full",
	};
	return why < GUARD_N_REASONS ? names[why] : "?";
}
