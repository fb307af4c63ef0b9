/* coalesce: a pending flag, the last act's time and the interval after it. */
#include "coalesce.h"

#include <string.h>

void coalesce_init(struct coalesce *c, int64_t min_ms, int64_t max_ms)
{
	memset(c, 0, sizeof(*c));
	c->min_ms = c->interval_ms = min_ms;
	c->max_ms = max_ms > min_ms ? max_ms : min_ms;
}

void coalesce_ask(struct coalesce *c)
{
	c->pending = true;
	if (c->asks < UINT32_MAX)
		c->asks++;
}

void coalesce_cancel(struct coalesce *c)
{
	c->pending = false;
	c->asks = 0;
}

int64_t coalesce_next_ms(const struct coalesce *c, int64_t now_ms)
{
	if (!c->pending)
		return INT64_MAX;
	if (!c->acted || now_ms - c->last_ms >= c->interval_ms)
		return 0;
	return c->last_ms + c->interval_ms - now_ms;
}

bool coalesce_due(struct coalesce *c, int64_t now_ms, bool busy, unsigned *folded)
{
	if (busy || coalesce_next_ms(c, now_ms) != 0)
		return false;
	if (folded)
		*folded = c->asks;
	/* a storm folded into this act: the next waits longer; else as usual */
	if (c->asks >= COALESCE_STORM_ASKS)
		c->interval_ms = c->interval_ms * 2 < c->max_ms ? c->interval_ms * 2 : c->max_ms;
	else
		c->interval_ms = c->min_ms;
	c->pending = false;
	c->asks = 0;
	c->acted = true;
	c->last_ms = now_ms;
	return true;
}
