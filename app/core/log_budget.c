/* log_budget: a count per minute. */
#include "log_budget.h"

unsigned log_budget_over(struct log_budget *b, int64_t now_ms)
{
	if (!b->started || now_ms - b->window_ms < LOG_BUDGET_WINDOW_MS)
		return 0;
	unsigned skipped = b->skipped;
	b->window_ms = now_ms;
	b->used = b->skipped = 0;
	return skipped;
}

bool log_budget_take(struct log_budget *b, int64_t now_ms, unsigned *skipped)
{
	*skipped = 0;
	if (!b->started) {
		b->started = true;
		b->window_ms = now_ms;
	} else {
		*skipped = log_budget_over(b, now_ms);
	}
	if (b->used < LOG_BUDGET_LINES) {
		b->used++;
		return true;
	}
	if (b->skipped < UINT32_MAX)
		b->skipped++;
	return false;
}
