/* log_budget: lines an outside party can make the kiosk write (a server
 * that changes the alerts or the screen's name in every event) kept to a
 * budget per minute; past it, lines are counted and said as one line when
 * the minute is over. Legitimate changes stay far under it. Pure: time
 * comes in. */
#ifndef VB_LOG_BUDGET_H
#define VB_LOG_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

enum {
	LOG_BUDGET_WINDOW_MS = 60000,
	LOG_BUDGET_LINES = 20, /* a minute */
};

/* Plain state; zero it to start. */
struct log_budget {
	int64_t window_ms; /* when this minute began */
	bool started;
	unsigned used, skipped;
};

/* Whether a line may be written at now_ms. When a new minute begins and
 * lines were skipped in the last one, *skipped gets their number (to be
 * said first), else 0. */
bool log_budget_take(struct log_budget *b, int64_t now_ms, unsigned *skipped);

/* Lines skipped in a minute that is over (0: none, or not over yet); the
 * count is then cleared. For a caller that says it without a new line. */
unsigned log_budget_over(struct log_budget *b, int64_t now_ms);

#endif
