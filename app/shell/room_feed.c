/* room_feed: what venueboard.c's loop schedules for the rooms, kept out of
 * it; the log says a room's news once, not at every poll. */
#include "room_feed.h"

#include "feed_log.h"
#include "fetcher.h"
#include "kiosk_config.h"
#include "room_board.h"
#include "room_marks.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFO(r, ...)  log_line((r)->log, LOG_INFO, "rooms", __VA_ARGS__)
#define DEBUG(r, ...) log_line((r)->log, LOG_DEBUG, "rooms", __VA_ARGS__)
#define ERROR(r, ...) log_line((r)->log, LOG_ERROR, "rooms", __VA_ARGS__)

/* What the log last said of a room. */
struct said {
	char room[ROOM_BOARD_NAME_MAX + 1];
	enum room_mark mark;
	char alt[ROOM_BOARD_NAME_MAX + 1];
};

struct room_feed {
	const struct kiosk_config *cfg;
	enum log_level log;
	struct room_board *board;
	struct fetcher *fetcher;
	int feed; /* the fetcher's index, -1: none */
	struct feed_watch watch;
	struct said *said;
	size_t n_said;
};

struct room_feed *room_feed_create(const struct kiosk_config *cfg, enum log_level log)
{
	struct room_feed *r = calloc(1, sizeof(*r));
	if (!r || !(r->board = room_board_create())) {
		free(r);
		return NULL;
	}
	r->cfg = cfg;
	r->log = log;
	r->feed = -1;
	feed_watch_init(&r->watch, log, "rooms", "room counts");
	return r;
}

void room_feed_destroy(struct room_feed *r)
{
	if (!r)
		return;
	room_board_destroy(r->board);
	free(r->said);
	free(r);
}

bool room_feed_start(struct room_feed *r, struct fetcher *f)
{
	r->fetcher = f;
	if (!r->cfg->rooms_url[0])
		return true;
	int poll_s = r->cfg->room_poll_s ? r->cfg->room_poll_s : r->cfg->queue_poll_s;
	r->feed = fetcher_add(f, r->cfg->rooms_url, poll_s * 1000);
	return r->feed >= 0;
}

bool room_feed_take(struct room_feed *r)
{
	struct fetch_result res;
	if (r->feed < 0 || !fetcher_take(r->fetcher, r->feed, &res))
		return false;
	if (!feed_watch_answer(&r->watch, &res, "a count older than 3 minutes shows no fill"))
		return true;
	if (res.outcome == FETCH_NEW) {
		struct feed_error e = {{0}};
		struct room_board_summary s;
		bool ok = room_board_load(r->board, res.body, res.len, &s, &e);
		if (feed_watch_body(&r->watch, ok, e.msg))
			ERROR(r, "%s: %s; keeping the last counts", r->cfg->rooms_url, e.msg);
		else if (ok)
			DEBUG(r,
			      "%zu rooms, %zu counted, %zu full, %zu filling, %zu marked by a "
			      "steward",
			      s.rooms, s.counted, s.full, s.filling, s.marked);
		free(res.body);
	}
	return true;
}

/* The rooms this screen shows: its `room` lines, or all of them. */
static bool shown(const struct room_feed *r, const char *room)
{
	if (!r->cfg->n_rooms)
		return true;
	char a[2 * ROOM_BOARD_NAME_MAX + 1], b[sizeof(a)];
	text_fold_key(room, a, sizeof(a));
	for (size_t i = 0; i < r->cfg->n_rooms; i++) {
		text_fold_key(r->cfg->rooms[i], b, sizeof(b));
		if (strcmp(a, b) == 0)
			return true;
	}
	return false;
}

static const char *const alt_names[] = {"", "a room of its track", "the emptiest room",
					"its overflow room"};

static void say(struct room_feed *r, const struct room_view *v, enum room_mark mark)
{
	switch (mark) {
	case ROOM_MARK_FULL:
		if (v->alternative)
			INFO(r, "%s: FULL (%s); seats in %s (%s)", v->room,
			     v->by_steward ? "a steward's word" : "counted", v->alternative,
			     alt_names[v->alt_kind]);
		else
			INFO(r, "%s: FULL (%s); no room with seats to send people to", v->room,
			     v->by_steward ? "a steward's word" : "counted");
		break;
	case ROOM_MARK_FILLING:
		INFO(r, "%s: filling, %d %% of %d seats", v->room, v->fill_pct, v->fill.capacity);
		break;
	case ROOM_MARK_OPEN:
		INFO(r, "%s: open, %d %% of %d seats", v->room, v->fill_pct, v->fill.capacity);
		break;
	case ROOM_MARK_UNAVAILABLE:
		INFO(r, "%s: count unavailable (%s)", v->room, v->fill.why);
		break;
	case ROOM_MARK_NONE: break;
	}
}

void room_feed_frame(struct room_feed *r, const struct schedule *s, int64_t now_ms)
{
	if (!r->cfg->rooms_url[0])
		return;
	room_board_update(r->board, s, r->cfg, now_ms);
	size_t n = room_board_count(r->board);
	if (n != r->n_said) {
		struct said *p = realloc(r->said, (n ? n : 1) * sizeof(*p));
		if (!p)
			return;
		memset(p, 0, n * sizeof(*p));
		r->said = p;
		r->n_said = n;
	}
	for (size_t i = 0; i < n; i++) {
		const struct room_view *v = room_board_get(r->board, i);
		struct said *l = &r->said[i];
		enum room_mark mark = room_marks_of(v);
		const char *alt = v->alternative ? v->alternative : "";
		if (strcmp(l->room, v->room) == 0 && l->mark == mark && strcmp(l->alt, alt) == 0)
			continue;
		bool first = strcmp(l->room, v->room) != 0;
		snprintf(l->room, sizeof(l->room), "%s", v->room);
		snprintf(l->alt, sizeof(l->alt), "%s", alt);
		l->mark = mark;
		if (shown(r, v->room) && !(first && mark == ROOM_MARK_NONE))
			say(r, v, mark);
	}
}

const struct room_board *room_feed_board(const struct room_feed *r)
{
	return r->cfg->rooms_url[0] ? r->board : NULL;
}
