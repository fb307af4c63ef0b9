/* coalesce: many asks, few acts — what the server's stream asks for (fetch
 * the schedule, write update-target.json, save the screen's record). The
 * first ask is acted on at once; an ask within the interval after an act
 * waits for its end (the newest kept, several folded into one act), never
 * while the last act is in flight. When an act answers a storm (as many as
 * COALESCE_STORM_ASKS asks) the next interval doubles, up to max_ms; when
 * it answers fewer, it is back to min_ms. A server that asks in every
 * event gets a handful of acts a minute; a few real changes in a row (an
 * alert, its withdrawal, a move) wait at most min_ms. Pure: time comes in. */
#ifndef VB_COALESCE_H
#define VB_COALESCE_H

#include <stdbool.h>
#include <stdint.h>

enum { COALESCE_STORM_ASKS = 5 };

/* Plain state; coalesce_init to start. */
struct coalesce {
	int64_t min_ms, max_ms;
	int64_t interval_ms; /* the wait after the last act */
	int64_t last_ms;     /* when the last act began */
	bool acted;          /* there was one */
	bool pending;        /* an ask not acted on yet */
	unsigned asks;       /* asks folded into the next act */
};

void coalesce_init(struct coalesce *c, int64_t min_ms, int64_t max_ms);

/* Something asks for the act. */
void coalesce_ask(struct coalesce *c);

/* The ask is void (what it asked for is so already): nothing to do. */
void coalesce_cancel(struct coalesce *c);

/* Whether to act now (busy: the last act is still in flight). True clears
 * the ask and starts the next interval; *folded (may be NULL) gets how
 * many asks it answers. */
bool coalesce_due(struct coalesce *c, int64_t now_ms, bool busy, unsigned *folded);

/* Milliseconds until an ask may be acted on: 0 now, INT64_MAX with none. */
int64_t coalesce_next_ms(const struct coalesce *c, int64_t now_ms);

#endif
