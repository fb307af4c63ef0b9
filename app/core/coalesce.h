/* coalesce: many asks, few acts — what the server's stream asks for (fetch
 * the schedule, write update-target.json, save the screen's record) done at
 * once the first time, then at most once per interval and never while the
 * last one is in flight, the newest ask kept for when it may. A server that
 * asks in every event gets one act per interval, not one per event. Pure:
 * time comes in. */
#ifndef VB_COALESCE_H
#define VB_COALESCE_H

#include <stdbool.h>
#include <stdint.h>

/* Plain state; zero it (or coalesce_init) to start. */
struct coalesce {
	int64_t interval_ms;
	int64_t last_ms; /* when the last act began */
	bool acted;      /* there was one */
	bool pending;    /* an ask not acted on yet */
	unsigned asks;   /* asks folded into the next act (for the log) */
};

void coalesce_init(struct coalesce *c, int64_t interval_ms);

/* Something asks for the act. */
void coalesce_ask(struct coalesce *c);

/* The ask is void (what it asked for is so already): nothing to do. */
void coalesce_cancel(struct coalesce *c);

/* Whether to act now (busy: the last act is still in flight). True clears
 * the ask and starts the interval; *folded (may be NULL) gets how many
 * asks it answers. */
bool coalesce_due(struct coalesce *c, int64_t now_ms, bool busy, unsigned *folded);

/* Milliseconds until an ask may be acted on: 0 now, INT64_MAX with none. */
int64_t coalesce_next_ms(const struct coalesce *c, int64_t now_ms);

#endif
