/* queue_panel: the lunch lines' part of the screen — which line is shorter
 * from here, then per line its wait, trend and how sure it is, its next
 * hour in words ("now 6 min · 12:30 ≈ 18 min · 13:10 ≈ 4 min") with a tip
 * ("best before 12:25"), and the last hour's chart continued by the next
 * hour's forecast band. Pure, drawn with layout_kit. */
#ifndef VB_QUEUE_PANEL_H
#define VB_QUEUE_PANEL_H

#include <stdint.h>

#include "layout_kit.h"

struct queue_board;
struct lunch_advice;

struct queue_panel_input {
	const struct queue_board *queues;  /* NULL or empty: "no estimate" */
	const struct lunch_advice *advice; /* decided for queues' views; NULL: none */
	int64_t now_ms;
	int64_t page_tick; /* lines that do not fit turn pages with it */
};

/* Draws the panel into area r (everything borrowed for the call). */
void queue_panel_draw(const struct layout_kit *k, struct layout_rect r,
		      const struct queue_panel_input *in);

#endif
