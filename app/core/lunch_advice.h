/* lunch_advice: what the lunch panel says beyond each line's wait — the
 * moments of its next hour worth reading ("12:30 ≈ 18 min · 13:10 ≈ 4 min"),
 * when to go while the catering is open ("best before 12:25", "quieter after
 * 13:05"), and which line is shorter from where this screen stands, wait
 * plus walk. Pure: views, walks, schedule and clock come in; the one memory,
 * that the shorter-line advice changes at most once per 10 minutes, is the
 * caller's struct lunch_advice_state. */
#ifndef VB_LUNCH_ADVICE_H
#define VB_LUNCH_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiosk_config.h"
#include "queue_board.h"

struct schedule;

enum {
	LUNCH_ADVICE_ITEMS = 2,       /* moments of the forecast shown after "now" */
	LUNCH_ADVICE_HOLD_MIN = 10,   /* the shorter-line advice changes at most this often */
	LUNCH_ADVICE_SHOW_S = 60,     /* a moment differs from another when a minute apart */
	LUNCH_ADVICE_MARGIN_S = 180,  /* a tip needs the interval this far from now ... */
	LUNCH_ADVICE_MARGIN_PCT = 25, /* ... or this share of now's wait, the larger */
	LUNCH_ADVICE_LONG_S = 300,    /* "quieter after" only for a line at least this long */
	LUNCH_ADVICE_LATE_MIN = 15,   /* ... and not to come this close to the catering's end */
};

enum lunch_tip { LUNCH_TIP_NONE, LUNCH_TIP_BEST_BEFORE, LUNCH_TIP_QUIETER_AFTER };

struct lunch_line_advice {
	size_t n_items; /* 0: no forecast line (no wait now, or no forecast) */
	struct queue_forecast_point items[LUNCH_ADVICE_ITEMS]; /* known points, in time order */
	enum lunch_tip tip;
	int64_t tip_ms; /* the moment the tip names */
};

struct lunch_shorter {
	bool named;
	size_t line;   /* its index among the views */
	double wait_s; /* its wait now */
	int walk_min;
};

struct lunch_advice {
	size_t n; /* the views' count */
	struct lunch_line_advice lines[ESTIMATOR_MAX_QUEUES];
	struct lunch_shorter shorter;
};

/* One screen's memory across frames; caller-owned, set up with
 * lunch_advice_state_init. */
struct lunch_advice_state {
	char named[QUEUE_ID_MAX + 1]; /* the line named shorter, "" for none */
	int64_t changed_ms;           /* when the advice last changed; INT64_MIN: never */
};

void lunch_advice_state_init(struct lunch_advice_state *st);

struct lunch_advice_input {
	const struct queue_view *const *views; /* the queue board's, in its order */
	size_t n_views;                        /* at most ESTIMATOR_MAX_QUEUES */
	const struct schedule *schedule;       /* NULL: no catering hours, no tips */
	const struct kiosk_walk *walks;        /* from this screen to the lines */
	size_t n_walks;
	int64_t now_ms; /* the board's clock */
};

/* Decides everything for in->now_ms into out, and moves st on. Everything
 * in is borrowed for the call only. */
void lunch_advice_decide(const struct lunch_advice_input *in, struct lunch_advice_state *st,
			 struct lunch_advice *out);

/* The catering session of line v open at now_ms (a session whose title or
 * type says lunch, déjeuner, buffet, repas, catering or meal, in a room
 * whose name holds the line's venue or name, or the other way round): its
 * end in UTC ms, or 0 when none is open. */
int64_t lunch_advice_catering_end(const struct schedule *s, const struct queue_view *v,
				  int64_t now_ms);

#endif
