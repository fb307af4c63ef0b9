/* layout: the whole screen as a pure function of (board, lunch lines, config,
 * screen size, text metrics, clock) → draw list. Tested without a display;
 * the renderer only executes what it returns. */
#ifndef VB_LAYOUT_H
#define VB_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "draw_list.h"

struct board;
struct queue_board;
struct kiosk_config;
struct lunch_advice;
struct room_board;
struct fleet_alert;
struct fleet_identity;

/* How fresh the schedule on screen is; the shell knows, layout says it. */
struct layout_feed {
	bool have;                /* a schedule is loaded (network or cache) */
	bool offline;             /* the last fetches failed */
	bool from_cache;          /* loaded from disk at start, not confirmed since */
	int age_s;                /* real seconds since it was last confirmed current */
	int64_t offline_since_ms; /* board clock when fetching started to fail */
	int64_t received_ms;      /* board clock when the schedule on screen arrived */
	/* board clock when it was last confirmed current: received, or the server
	 * said it was unchanged (304); the saved copy's time when from_cache */
	int64_t confirmed_ms;
	bool failing;             /* the feed answers, but with something that is not a schedule */
	int64_t failing_since_ms; /* board clock of the first such answer */
};

struct qr_code;

struct layout_input {
	const struct kiosk_config *cfg;
	const struct board *board;         /* may hold no schedule yet */
	const struct queue_board *queues;  /* NULL when the screen shows none */
	const struct lunch_advice *advice; /* for queues' views; NULL: no forecast line or tips */
	const struct room_board *rooms;    /* how full each room is; NULL when not shown */
	const struct fleet_identity
		*screen;                  /* who this screen is (targeted notices); NULL: unknown */
	const struct fleet_alert *alerts; /* on screen over everything, newest first */
	size_t n_alerts;
	struct text_metrics tm;
	int width, height; /* logical size, already turned for portrait */
	int64_t now_ms;    /* the board clock, UTC ms */
	int64_t page_tick; /* advances once per page period (real time) */
	struct layout_feed feed;
	bool clock_untrusted;            /* the time is not synchronized yet: show no programme */
	const struct qr_code *mobile_qr; /* the phone page's QR code; NULL: none */
	int min_text_px; /* every text at least this font size (legibility_min_size):
			       * each part's design scaled up until its smallest text is;
			       * 0: the design's sizes */
};

struct layout_result {
	int pages, page; /* the rooms' pages and the one shown */
	int rooms_total, rooms_shown;
	int changes_today;
	int rooms_full_listed; /* rooms that became full in the last 15 minutes, in the panel */
	size_t alerts_shown;   /* the first alerts_shown of the input's alerts are on screen */
	int notices_shown;     /* notices for this screen now */
	struct {
		int x, y, w, h;
	} rooms_area; /* where the rooms' rows are drawn (the hallway board) */
	int words;    /* words to read on the page, header and footer aside */
};

/* The screen cfg->layout asks for: the hallway board, or the door screen
 * (door_layout) of cfg->rooms[0]; alerts over either (alert_screen). */
void layout_build(const struct layout_input *in, struct draw_list *dl, struct layout_result *res);

/* How many rooms a page of the hallway board holds at the least (a name, a
 * one-line title now and next) at in's size and min_text_px, the notices
 * aside: 0 when not even one. For the door screen (layout room): 1 when its
 * blocks fit at their smallest, else 0. Draws into scratch. */
int layout_rooms_fit(const struct layout_input *in, struct draw_list *scratch);

/* How long a page of `words` words stays on screen, in ms: a second a word
 * (a hallway reader arrives mid-page, looks for a room, reads a line twice),
 * within cfg's page-seconds..page-seconds-max. */
int64_t layout_page_ms(const struct kiosk_config *cfg, int words);

#endif
