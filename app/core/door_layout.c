/* door_layout: read from across a corridor — each block is measured at a
 * scale, and drawn at the largest that fits its part of the screen. */
#include "door_layout.h"

#include "board.h"
#include "civil_time.h"
#include "i18n.h"
#include "kiosk_config.h"
#include "layout_frame.h"
#include "layout_kit.h"
#include "room_board.h"
#include "room_marks.h"
#include "schedule.h"
#include "text.h"
#include "text_fit.h"

#include <stdio.h>
#include <string.h>

enum { NEXT_SHOWN = 2, GHOST_MIN_S = 1800 };

/* What the door shows of a session: a real one, or the ghost of one that
 * moved away from this room (people who read the printed programme come
 * here for it). */
struct entry {
	const struct session *s;
	const struct board_change *change;
	bool ghost;
	int64_t start, end;
	const char *title;
};

struct door {
	const struct layout_input *in;
	struct layout_kit k;
	const char *name;           /* the room's name */
	const struct room_view *rv; /* how full it is, NULL when unknown */
	int64_t now_s;
	struct civil today;
	bool have_now;
	struct entry now, next[NEXT_SHOWN];
	size_t n_next;
	int cut;      /* a measured block cut a title with "…" (1), where to go (2) */
	double k_min; /* the smallest block scale whose texts are legible */
	int lean;     /* at k_min, too tall still: 1 one line of title, 2 no speakers */
};

/* The smallest text of the blocks, in design units at scale 1 (the next
 * sessions' speakers), and of the frame (the notices' "1/2"). */
enum { DOOR_SMALLEST_TEXT = 28, DOOR_FRAME_SMALLEST_TEXT = 26 };

static int px(const struct door *d, double units)
{
	return layout_kit_px(&d->k, units);
}

static bool is_today(const struct door *d, int64_t t_s)
{
	struct civil l;
	layout_kit_local(&d->k, t_s, &l);
	return l.year == d->today.year && l.month == d->today.month && l.day == d->today.day;
}

/* Keeps e as now (the latest started, a real session over a ghost) or
 * among the next ones (today, soonest first, a real one first at a tie). */
static void take(struct door *d, const struct entry *e)
{
	if (e->start <= d->now_s && d->now_s < e->end) {
		if (!d->have_now || (d->now.ghost && !e->ghost) ||
		    (d->now.ghost == e->ghost && e->start > d->now.start))
			d->now = *e;
		d->have_now = true;
		return;
	}
	if (e->start <= d->now_s || !is_today(d, e->start))
		return;
	size_t i = d->n_next;
	while (i > 0 && (e->start < d->next[i - 1].start ||
			 (e->start == d->next[i - 1].start && d->next[i - 1].ghost && !e->ghost)))
		i--;
	if (i == NEXT_SHOWN)
		return;
	size_t keep = d->n_next < NEXT_SHOWN ? d->n_next : NEXT_SHOWN - 1;
	memmove(&d->next[i + 1], &d->next[i], (keep - i) * sizeof(*d->next));
	d->next[i] = *e;
	d->n_next = keep + 1;
}

static void collect(struct door *d)
{
	const struct board *b = d->in->board;
	const struct schedule *s = b->schedule;
	const struct room *room = schedule_room_named(s, d->in->cfg->rooms[0]);
	if (room)
		d->name = room->name;
	for (size_t i = 0; room && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		if (!x->room || strcmp(x->room, room->id) != 0)
			continue;
		struct entry e = {x, board_change_for(b, x->id), false, x->start, x->end, x->title};
		take(d, &e);
	}
	char key[2 * SCHEDULE_MAX_NAME + 1], from[sizeof(key)];
	text_fold_key(d->name, key, sizeof(key));
	for (size_t i = 0; i < b->n_changes; i++) {
		const struct board_change *ch = &b->changes[i];
		if (ch->kind != CHANGE_MOVED || !ch->from_room || !ch->from_start)
			continue;
		text_fold_key(ch->from_room, from, sizeof(from));
		if (strcmp(from, key) != 0)
			continue;
		int64_t len = GHOST_MIN_S;
		for (size_t k = 0; k < s->n_sessions; k++)
			if (strcmp(s->sessions[k].id, ch->session) == 0 &&
			    s->sessions[k].end > s->sessions[k].start)
				len = s->sessions[k].end - s->sessions[k].start;
		struct entry e = {NULL, ch, true, ch->from_start, ch->from_start + len, ch->title};
		take(d, &e);
	}
}

/* ---- blocks: measured with draw false, drawn with draw true ---------------- */

static int wrap(struct door *d, int x, int y, enum draw_font f, double size, struct draw_color col,
		const char *s, int w, int lines, bool draw)
{
	return layout_kit_wrap(&d->k, x, y, f, px(d, size), col, s, w, lines, draw);
}

/* A title, or where to go (weight 2: it matters more): wrapped like the
 * rest, and noted when it does not fit whole. */
static int title(struct door *d, int x, int y, double size, struct draw_color col, const char *s,
		 int w, int lines, bool draw, int weight)
{
	struct text_fit fit;
	text_fit_wrap(d->k.tm, FONT_BOLD, px(d, size), s, w, lines, &fit);
	if (fit.n > 0 && fit.lines[fit.n - 1].ellipsized)
		d->cut |= weight;
	return wrap(d, x, y, FONT_BOLD, size, col, s, w, lines, draw);
}

/* A plate (CANCELLED, MOVED → room, STARTS IN 4 MIN) for an entry, if it
 * needs one; returns the height used. */
static int entry_plate(struct door *d, int x, int y, double size, const struct entry *e, int w,
		       bool soon, bool draw)
{
	const struct theme *th = d->k.th;
	char msg[300];
	const struct board_change *ch = e->change;
	bool cancelled = e->s && e->s->status == SESSION_CANCELLED;
	struct draw_color bg = th->alert_bg, fg = th->alert_text;
	if (cancelled) {
		snprintf(msg, sizeof(msg), "%s", i18n_text(d->k.lang, MSG_CANCELLED));
		bg = th->cancel_bg;
		fg = th->cancel_text;
	} else if (ch && ch->kind == CHANGE_MOVED && ch->to_room) {
		i18n_moved_to(d->k.lang, ch->to_room, msg, sizeof(msg));
	} else if (soon) {
		i18n_starts_in(d->k.lang, (int)((e->start - d->now_s + 59) / 60), msg, sizeof(msg));
	} else if (ch && ch->kind == CHANGE_RESCHEDULED) {
		snprintf(msg, sizeof(msg), "%s", i18n_text(d->k.lang, MSG_RESCHEDULED));
	} else {
		return 0;
	}
	if (layout_kit_measure(&d->k, FONT_BOLD, px(d, size), msg) + 2 * px(d, 8) > w)
		d->cut |= 2; /* where it went matters as much as where to go */
	if (draw)
		layout_kit_badge(&d->k, x, y, px(d, size), bg, fg, msg, w);
	return layout_kit_line_h(&d->k, FONT_BOLD, px(d, size)) + px(d, 10 * size / 36);
}

/* An entry's title (struck in grey when it is not here), its plate and
 * who speaks, in the sizes given (design units); returns the height. */
struct entry_sizes {
	double title, gap, plate, speakers;
	int speaker_lines;
};

static int entry_body(struct door *d, int x, int y, int w, const struct entry *e,
		      const struct entry_sizes *z, bool soon, bool draw)
{
	const struct theme *th = d->k.th;
	char who[600];
	int y0 = y;
	bool gone = e->ghost || (e->s && e->s->status == SESSION_CANCELLED);
	y += title(d, x, y, z->title, gone ? th->muted : th->text, e->title, w, d->lean ? 1 : 3,
		   draw, 1);
	y += px(d, z->gap);
	y += entry_plate(d, x, y, z->plate, e, w, soon, draw);
	layout_kit_speakers(e->s, who, sizeof(who));
	if (who[0] && d->lean < 2)
		y += wrap(d, x, y, FONT_REGULAR, z->speakers, th->muted, who, w, z->speaker_lines,
			  draw);
	return y - y0;
}

/* How full the room is, in large type: FULL and where there are seats,
 * filling, seats available, people, or that the count is unavailable. */
static int fill_block(struct door *d, int x, int y, int w, double k, bool draw)
{
	const struct room_view *v = d->rv;
	const struct theme *th = d->k.th;
	char msg[300];
	int y0 = y;
	switch (room_marks_of(v)) {
	case ROOM_MARK_FULL: {
		struct room_view word = *v; /* FULL alone on the plate... */
		word.alternative = NULL;
		if (draw)
			room_marks_plate(&d->k, x, y, px(d, 64 * k), &word, true, w);
		y += layout_kit_line_h(&d->k, FONT_BOLD, px(d, 64 * k)) + px(d, 12 * k);
		if (v->alternative) { /* ...where to go, on its own lines */
			i18n_seats_in(d->k.lang, v->alternative, msg, sizeof(msg));
			y += title(d, x, y, 52 * k, th->text, msg, w, 3, draw, 2);
		}
		break;
	}
	case ROOM_MARK_FILLING:
		if (draw)
			room_marks_plate(&d->k, x, y, px(d, 52 * k), v, true, w);
		y += layout_kit_line_h(&d->k, FONT_BOLD, px(d, 52 * k));
		break;
	case ROOM_MARK_OPEN:
		y += wrap(d, x, y, FONT_BOLD, 44 * k, th->text,
			  i18n_text(d->k.lang, MSG_SEATS_AVAILABLE), w, 1, draw);
		break;
	case ROOM_MARK_UNAVAILABLE:
		y += wrap(d, x, y, FONT_REGULAR, 36 * k, th->muted,
			  i18n_text(d->k.lang, MSG_COUNT_UNAVAILABLE), w, 1, draw);
		break;
	case ROOM_MARK_NONE:
		if (v && v->fill.usable) { /* people, no seats known */
			i18n_people_in_room(d->k.lang, v->fill.people, msg, sizeof(msg));
			y += wrap(d, x, y, FONT_BOLD, 44 * k, th->text, msg, w, 1, draw);
		}
		break;
	}
	return y - y0;
}

/* The session on now, large, and how full the room is. */
static int now_block(struct door *d, int x, int y, int w, double k, bool draw)
{
	const struct theme *th = d->k.th;
	const struct entry *e = &d->now;
	int y0 = y;
	y += wrap(d, x, y, FONT_BOLD, 30 * k, th->muted, i18n_text(d->k.lang, MSG_NOW), w, 1, draw);
	if (!d->have_now) {
		y += wrap(d, x, y, FONT_BOLD, 72 * k, th->text,
			  i18n_text(d->k.lang, MSG_NO_SESSION_NOW), w, 2, draw);
	} else {
		char when[32], a[8], b[8];
		layout_kit_hhmm(&d->k, e->start, a);
		layout_kit_hhmm(&d->k, e->end, b);
		snprintf(when, sizeof(when), "%s – %s", a, b);
		y += wrap(d, x, y, FONT_BOLD, 40 * k, th->muted, when, w, 1, draw) + px(d, 6 * k);
		struct entry_sizes z = {84 * k, 12 * k, 40 * k, 32 * k, 2};
		y += entry_body(d, x, y, w, e, &z, false, draw);
	}
	y += px(d, 28 * k);
	return y - y0 + fill_block(d, x, y, w, k, draw);
}

/* The countdown to the next session and the two next ones. */
static int next_block(struct door *d, int x, int y, int w, double k, bool draw)
{
	const struct theme *th = d->k.th;
	int y0 = y;
	char msg[300], t[8];
	if (!d->n_next) {
		y += wrap(d, x, y, FONT_BOLD, 52 * k, th->text,
			  i18n_text(d->k.lang, MSG_NO_MORE_TODAY), w, 2, draw);
		return y - y0;
	}
	layout_kit_hhmm(&d->k, d->next[0].start, t);
	i18n_next_in(d->k.lang, (int)((d->next[0].start - d->now_s + 59) / 60), t, msg,
		     sizeof(msg));
	y += wrap(d, x, y, FONT_BOLD, 52 * k, th->text, msg, w, 2, draw);
	struct entry_sizes z = {40 * k, 6 * k, 30 * k, 28 * k, 1};
	for (size_t i = 0; i < d->n_next; i++) {
		const struct entry *e = &d->next[i];
		bool soon = e->start - d->now_s <= (int64_t)d->in->cfg->soon_min * 60;
		y += px(d, 28 * k);
		layout_kit_hhmm(&d->k, e->start, t);
		y += wrap(d, x, y, FONT_BOLD, 34 * k, th->muted, t, w, 1, draw);
		y += entry_body(d, x, y, w, e, &z, soon, draw);
	}
	return y - y0;
}

typedef int block_fn(struct door *d, int x, int y, int w, double k, bool draw);

/* Draws a block at the largest scale that fits h and cuts the least: where
 * to go whole first, then the titles whole; else the smallest scale.
 * Returns the height drawn. */
static int fitted(struct door *d, block_fn *fn, struct layout_rect r)
{
	static const double scales[] = {1.3, 1.15, 1.0, 0.86, 0.74, 0.64, 0.55, 0.47, 0.4};
	size_t n = sizeof(scales) / sizeof(*scales);
	double pick = scales[n - 1] > d->k_min ? scales[n - 1] : d->k_min;
	int least = 4;
	for (size_t i = 0; i < n && least > 0 && scales[i] >= d->k_min; i++) {
		d->cut = 0;
		if (fn(d, r.x, r.y, r.w, scales[i], false) <= r.h && d->cut < least) {
			least = d->cut;
			pick = scales[i];
		}
	}
	/* letters held large (legibility) and still too tall: say less — the
	 * second next session goes, then titles take one line, then the
	 * speakers go — rather than run over the footer */
	size_t n_next = d->n_next;
	while (d->k_min > 0 && fn(d, r.x, r.y, r.w, pick, false) > r.h) {
		if (fn == next_block && d->n_next > 1)
			d->n_next--;
		else if (d->lean < 2)
			d->lean++;
		else
			break;
	}
	int used = fn(d, r.x, r.y, r.w, pick, true);
	d->n_next = n_next;
	d->lean = 0;
	return used;
}

/* The door of in->cfg->rooms[0]: its clock, zone, scale and legible least. */
static void door_init(struct door *d, const struct layout_input *in, struct draw_list *dl)
{
	const struct civil_zone *zone = in->board->zone;
	if (!in->board->schedule && in->cfg->timezone[0])
		zone = civil_zone_find(in->cfg->timezone);
	*d = (struct door){.in = in, .name = in->cfg->rooms[0], .now_s = in->now_ms / 1000};
	double u =
		layout_kit_units(in->width, in->height, in->min_text_px, DOOR_FRAME_SMALLEST_TEXT);
	d->k = (struct layout_kit){&in->tm, &in->cfg->theme, in->cfg->lang, dl, u, zone};
	if (in->min_text_px > 0) /* px() rounds: half a pixel over */
		d->k_min = (in->min_text_px + 0.5) / (DOOR_SMALLEST_TEXT * u);
	layout_kit_local(&d->k, d->now_s, &d->today);
}

/* The now and next blocks' places between top and bottom; draws the next
 * block's panel. */
static void door_rects(struct door *d, int top, int bottom, struct layout_rect *now,
		       struct layout_rect *next)
{
	const struct layout_input *in = d->in;
	struct draw_list *dl = d->k.dl;
	int m = px(d, 48), gap = px(d, 32);
	if (in->height > in->width) { /* portrait: now above, next below */
		int split = top + (bottom - top) * 58 / 100;
		*now = (struct layout_rect){m, top + gap, in->width - 2 * m, split - top - 2 * gap};
		*next = (struct layout_rect){m, split + gap, in->width - 2 * m,
					     bottom - split - 2 * gap};
		draw_list_rect(dl, 0, split, in->width, bottom - split, d->k.th->panel);
	} else { /* landscape: now at the left, next at the right */
		int split = in->width * 60 / 100;
		*now = (struct layout_rect){m, top + gap, split - 2 * m, bottom - top - 2 * gap};
		*next = (struct layout_rect){split + m, top + gap, in->width - split - 2 * m,
					     bottom - top - 2 * gap};
		draw_list_rect(dl, split, top, in->width - split, bottom - top, d->k.th->panel);
	}
}

bool door_layout_fits(const struct layout_input *in, struct draw_list *scratch)
{
	struct door d;
	door_init(&d, in, scratch);
	draw_list_reset(scratch, in->width, in->height, in->cfg->theme.background);
	/* a notice may come: the blocks must fit under it too */
	int top = layout_frame_header(&d.k, in, d.name) + layout_frame_notices_h(&d.k);
	int bottom = in->height - layout_frame_footer_h(&d.k);
	struct layout_rect now, next;
	door_rects(&d, top, bottom, &now, &next);
	double k = d.k_min > 0.4 ? d.k_min : 0.4;
	return now.h > 0 && next.h > 0 && now_block(&d, now.x, now.y, now.w, k, false) <= now.h &&
	       next_block(&d, next.x, next.y, next.w, k, false) <= next.h;
}

void door_layout_build(const struct layout_input *in, struct draw_list *dl,
		       struct layout_result *res)
{
	const struct theme *th = &in->cfg->theme;
	struct door d;
	door_init(&d, in, dl);
	memset(res, 0, sizeof(*res));
	res->pages = 1;
	draw_list_reset(dl, in->width, in->height, th->background);
	bool ready = in->board->schedule && !in->clock_untrusted;
	if (ready)
		collect(&d);
	d.rv = ready && in->rooms ? room_board_find(in->rooms, d.name) : NULL;
	int top = layout_frame_header(&d.k, in, d.name);
	top = layout_frame_notices(&d.k, in, top, &res->notices_shown);
	int bottom = in->height - layout_frame_footer_h(&d.k), m = px(&d, 48);
	if (!ready) {
		layout_kit_wrap(&d.k, m, top + px(&d, 80), FONT_BOLD, px(&d, 48), th->text,
				i18n_text(d.k.lang, in->clock_untrusted ? MSG_WAITING_FOR_TIME
									: MSG_WAITING_FOR_SCHEDULE),
				in->width - 2 * m, 2, true);
		layout_frame_footer(&d.k, in, 0, 1);
		return;
	}
	res->rooms_total = res->rooms_shown = 1;
	struct layout_rect now, next;
	door_rects(&d, top, bottom, &now, &next);
	fitted(&d, now_block, now);
	int used = fitted(&d, next_block, next);
	/* the phone page's code only where the next sessions leave room */
	int qr_w, qr_h, room = next.h - used - px(&d, 32);
	layout_frame_qr(&d.k, in, next.x + next.w, next.y + next.h, next.w, room, true, true, &qr_w,
			&qr_h);
	layout_frame_footer(&d.k, in, 0, 1);
}
