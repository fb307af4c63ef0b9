/* layout: sizes are in units of a 1080-pixel short side, so one design reads
 * the same on a 1080p, a 4K or a portrait screen. Everything that matters is
 * said in words (MOVED, CANCELLED, STARTS IN 4 MIN, NEW, ↑ rising); colour
 * only adds to it. The lunch lines' panel is queue_panel's. */
#include "layout.h"

#include "alert_screen.h"
#include "board.h"
#include "civil_time.h"
#include "door_layout.h"
#include "i18n.h"
#include "kiosk_config.h"
#include "layout_frame.h"
#include "layout_kit.h"
#include "queue_panel.h"
#include "room_board.h"
#include "room_marks.h"
#include "schedule.h"
#include "text.h"
#include "text_fit.h"
#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ROWS = 400, MAX_LISTED = 400, FULL_LISTED_MIN = 15 };

struct ctx {
	const struct layout_input *in;
	const struct theme *th;
	enum lang lang;
	struct draw_list *dl;
	double u;                      /* pixels per design unit */
	const struct civil_zone *zone; /* the conference's */
	struct civil today;
	int64_t now_s;
	struct layout_kit k; /* the same theme, language, list, units and zone, for the panels */
	bool worst; /* layout_rooms_fit: a notice on and a change listed, whatever the board */
	/* the header, notices and footer (fk), and the lunch lines (qk): the
	 * same units, unless letters are held large (legibility), when each
	 * part scales only as far as its own smallest text needs */
	struct layout_kit fk, qk;
};

/* The smallest text of each part, in design units: the rooms and changes
 * (a room's name at its smallest), the frame (the notices' "1/2"), the
 * lunch lines (the chart's labels). */
enum { ROOMS_SMALLEST_TEXT = 21, FRAME_SMALLEST_TEXT = 26, QUEUES_SMALLEST_TEXT = 20 };

struct rect {
	int x, y, w, h;
};

/* layout_kit's, said short: layout draws little else */
static int px(const struct ctx *c, double units)
{
	return layout_kit_px(&c->k, units);
}

static int line_h(const struct ctx *c, enum draw_font f, int size)
{
	return layout_kit_line_h(&c->k, f, size);
}

static int measure(const struct ctx *c, enum draw_font f, int size, const char *s)
{
	return layout_kit_measure(&c->k, f, size, s);
}

static int text(struct ctx *c, int x, int y, enum draw_font f, int size, struct draw_color col,
		const char *s, int max_w)
{
	return layout_kit_text(&c->k, x, y, f, size, col, s, max_w);
}

static int badge(struct ctx *c, int x, int y, int size, struct draw_color bg, struct draw_color fg,
		 const char *s, int max_w)
{
	return layout_kit_badge(&c->k, x, y, size, bg, fg, s, max_w);
}

static void local(const struct ctx *c, int64_t t_s, struct civil *out)
{
	layout_kit_local(&c->k, t_s, out);
}

static void hhmm_of(const struct civil *l, char out[8])
{
	snprintf(out, 8, "%02d:%02d", l->hour % 100, l->minute % 100);
}

static void hhmm(const struct ctx *c, int64_t t_s, char out[8])
{
	layout_kit_hhmm(&c->k, t_s, out);
}

static bool same_day(const struct civil *a, const struct civil *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static bool is_today(const struct ctx *c, int64_t t_s)
{
	struct civil l;
	local(c, t_s, &l);
	return same_day(&l, &c->today);
}

static bool is_new(const struct ctx *c, const struct board_change *ch)
{
	int64_t window = (int64_t)c->in->cfg->highlight_min * 60000;
	return ch && ch->seen_ms > 0 && c->in->now_ms - ch->seen_ms < window &&
	       c->in->now_ms >= ch->seen_ms;
}

/* ---- rooms: now and next ------------------------------------------------- */

/* What a cell shows: a real session, or the ghost of one that moved away. */
struct entry {
	const struct session *s;
	const struct board_change *change; /* its change, if any */
	bool ghost;                        /* moved away from this room */
	int64_t start, end;
	const char *title;
};

struct room_row {
	const struct room *room; /* NULL: a configured room the feed does not know */
	const char *name;
	struct entry now, next;
	bool any_today;
};

static bool room_matches(const struct room *r, const char *want)
{
	char a[KIOSK_MAX_NAME * 2], b[KIOSK_MAX_NAME * 2];
	if (strcmp(r->id, want) == 0)
		return true;
	text_fold_key(r->name, a, sizeof(a));
	text_fold_key(want, b, sizeof(b));
	return strcmp(a, b) == 0;
}

static void consider(const struct ctx *c, struct room_row *row, struct entry e)
{
	int64_t now = c->now_s;
	if (e.start <= now && now < e.end) {
		/* the latest-started running session wins; a real one over a ghost */
		if (!row->now.title || (row->now.ghost && !e.ghost) ||
		    (row->now.ghost == e.ghost && e.start > row->now.start))
			row->now = e;
	} else if (e.start > now && is_today(c, e.start)) {
		/* the earliest wins, a ghost too: people who come for it at that
		 * time must read where it went; at the same time, the real one */
		if (!row->next.title || e.start < row->next.start ||
		    (e.start == row->next.start && row->next.ghost && !e.ghost))
			row->next = e;
	}
	if (is_today(c, e.start) || (e.start <= now && now < e.end))
		row->any_today = true;
}

/* The rooms configured, in their order, each with the feed's room it names
 * (none when the feed does not know it); else every room of the feed. */
static size_t rows_of_rooms(const struct schedule *s, const struct kiosk_config *cfg,
			    struct room_row *rows, size_t cap)
{
	size_t n = 0;
	if (!cfg->n_rooms) {
		for (size_t k = 0; k < s->n_rooms && n < cap; k++)
			rows[n++] =
				(struct room_row){.room = &s->rooms[k], .name = s->rooms[k].name};
		return n;
	}
	for (size_t i = 0; i < cfg->n_rooms && n < cap; i++) {
		rows[n] = (struct room_row){.name = cfg->rooms[i]};
		for (size_t k = 0; k < s->n_rooms; k++)
			if (room_matches(&s->rooms[k], cfg->rooms[i])) {
				rows[n].room = &s->rooms[k];
				rows[n].name = s->rooms[k].name;
				break;
			}
		n++;
	}
	return n;
}

/* Each session within a day of now, on its room's row. */
static void place_sessions(struct ctx *c, struct room_row *rows, size_t n)
{
	const struct board *b = c->in->board;
	const struct schedule *s = b->schedule;
	for (size_t i = 0; i < s->n_sessions; i++) {
		const struct session *se = &s->sessions[i];
		if (!se->room || se->end < c->now_s - 86400 || se->start > c->now_s + 86400)
			continue;
		for (size_t r = 0; r < n; r++)
			if (rows[r].room && strcmp(rows[r].room->id, se->room) == 0) {
				struct entry e = {se,      board_change_for(b, se->id),
						  false,   se->start,
						  se->end, se->title};
				consider(c, &rows[r], e);
			}
	}
}

/* ghosts: a session that left a room still belongs on that room's row,
 * where people who read the printed programme will look for it */
static void place_ghosts(struct ctx *c, struct room_row *rows, size_t n)
{
	const struct board *b = c->in->board;
	const struct schedule *s = b->schedule;
	for (size_t i = 0; i < b->n_changes; i++) {
		const struct board_change *ch = &b->changes[i];
		if (ch->kind != CHANGE_MOVED || !ch->from_room || !ch->from_start)
			continue;
		int64_t len = 0;
		for (size_t k = 0; k < s->n_sessions; k++)
			if (strcmp(s->sessions[k].id, ch->session) == 0)
				len = s->sessions[k].end - s->sessions[k].start;
		for (size_t r = 0; r < n; r++) {
			char a[KIOSK_MAX_NAME * 2], bk[KIOSK_MAX_NAME * 2];
			text_fold_key(rows[r].name, a, sizeof(a));
			text_fold_key(ch->from_room, bk, sizeof(bk));
			if (strcmp(a, bk) == 0)
				consider(c, &rows[r],
					 (struct entry){NULL, ch, true, ch->from_start,
							ch->from_start + (len > 0 ? len : 1800),
							ch->title});
		}
	}
}

static size_t rooms_rows(struct ctx *c, struct room_row *rows, size_t cap)
{
	const struct kiosk_config *cfg = c->in->cfg;
	size_t n = rows_of_rooms(c->in->board->schedule, cfg, rows, cap);
	place_sessions(c, rows, n);
	place_ghosts(c, rows, n);
	if (!cfg->n_rooms) { /* every room: only those with something today */
		size_t k = 0;
		for (size_t r = 0; r < n; r++)
			if (rows[r].any_today)
				rows[k++] = rows[r];
		n = k;
	}
	return n;
}

/* ---- the rooms' rows: measured by drawing and taking back ----------------- */

/* Where the list stood: a measure draws, then returns the list to this. */
struct mark {
	size_t n, str_len;
};

static struct mark mark_of(const struct draw_list *dl)
{
	return (struct mark){dl->n, dl->str_len};
}

static void take_back(struct draw_list *dl, struct mark m)
{
	dl->n = m.n;
	dl->str_len = m.str_len;
}

/* s wrapped into at most lines lines; returns the height, *cut when "…". */
static int wrapped(struct ctx *c, int x, int y, enum draw_font f, int size, struct draw_color col,
		   const char *s, int w, int lines, bool *cut)
{
	struct text_fit fit;
	text_fit_wrap(&c->in->tm, f, size, s, w, lines, &fit);
	int lh = line_h(c, f, size);
	for (int i = 0; i < fit.n; i++) {
		size_t len;
		const char *l = text_fit_line(&fit, s, i, &len);
		draw_list_text(c->dl, x, y + i * lh, fit.lines[i].width, lh, f, size, col, l, len);
	}
	if (fit.n && fit.lines[fit.n - 1].ellipsized)
		*cut = true;
	return fit.n * lh;
}

/* How many lines a cell's title and speakers, and a room's name, are given:
 * two, one and two at least; more while the page has height to spare. */
struct row_fit {
	int name_lines;
	int title[2], speakers[2]; /* [0] now, [1] next */
};

/* What did not fit the lines given (a cut to grow). */
struct row_cuts {
	bool name, title[2], speakers[2];
};

/* The track's colour down the cell's side, h high; returns h. */
static int stripe_to(struct ctx *c, struct rect r, const struct session *s, int h)
{
	draw_list_rect(c->dl, r.x, r.y + px(c, 6), px(c, 6), h - px(c, 12),
		       theme_track_color(c->th, s ? s->track : NULL));
	return h;
}

/* The start time in the cell's time column, or "Now" where it would be (the
 * column widened to fit it); returns the column's width. */
static int cell_when(struct ctx *c, int x, int y, const struct entry *e, bool say_now)
{
	int ssize = px(c, 24), timew = px(c, 88);
	char t[8];
	const char *when = t;
	hhmm(c, e->start, t);
	if (say_now) {
		when = i18n_text(c->lang, MSG_NOW);
		int lw = measure(c, FONT_BOLD, ssize, when) + px(c, 12);
		timew = lw > timew ? lw : timew;
	}
	text(c, x, y, FONT_BOLD, ssize, c->th->muted, when, timew);
	return timew;
}

/* The title in the lines given, then "…"; struck through when the session
 * is not here (cancelled, or a ghost that left the room). Returns the y
 * under it. */
static int cell_title(struct ctx *c, int tx, int y, int tw, const char *title, bool struck,
		      int tlines, bool *tcut)
{
	int tsize = px(c, 30), lh = line_h(c, FONT_BOLD, tsize);
	struct draw_color tc = struck ? c->th->muted : c->th->text;
	struct text_fit fit;
	text_fit_wrap(&c->in->tm, FONT_BOLD, tsize, title, tw, tlines, &fit);
	for (int i = 0; i < fit.n; i++) {
		size_t len;
		const char *l = text_fit_line(&fit, title, i, &len);
		draw_list_text(c->dl, tx, y, fit.lines[i].width, lh, FONT_BOLD, tsize, tc, l, len);
		if (struck)
			draw_list_rect(c->dl, tx, y + lh / 2, fit.lines[i].width, px(c, 3), tc);
		y += lh;
	}
	if (fit.n && fit.lines[fit.n - 1].ellipsized)
		*tcut = true;
	return y;
}

/* A badge (none when label is NULL), then who speaks beside it; returns the
 * speakers' height. */
static int badge_and_speakers(struct ctx *c, const struct session *s, const char *label, int tx,
			      int by, int tw, int slines, bool *scut)
{
	int bsize = px(c, 24), ssize = px(c, 24);
	char msg[300];
	if (label) {
		int bw = badge(c, tx, by, bsize, c->th->alert_bg, c->th->alert_text, label, tw);
		tx += bw + px(c, 10);
		tw -= bw + px(c, 10);
	}
	layout_kit_speakers(s, msg, sizeof(msg));
	if (!msg[0])
		return 0;
	return wrapped(c, tx, by, FONT_REGULAR, ssize, c->th->muted, msg, tw, slines, scut);
}

/* The line under the title: what must not be missed (cancelled, moved,
 * starting soon, rescheduled), else who speaks. Returns the speakers'
 * height, 0 when there are none on it. */
static int cell_under(struct ctx *c, const struct entry *e, bool is_now, bool cancelled, int tx,
		      int by, int tw, int slines, bool *scut)
{
	const struct theme *th = c->th;
	const struct board_change *ch = e->change;
	int bsize = px(c, 24);
	char msg[300];
	if (cancelled) {
		badge(c, tx, by, bsize, th->cancel_bg, th->cancel_text,
		      i18n_text(c->lang, MSG_CANCELLED), tw);
		return 0;
	}
	if (ch && ch->kind == CHANGE_MOVED && ch->to_room) {
		i18n_moved_to(c->lang, ch->to_room, msg, sizeof(msg));
		int bw = badge(c, tx, by, bsize, th->alert_bg, th->alert_text, msg, tw);
		if (e->ghost && ch->to_start && ch->to_start != ch->from_start) {
			char at[8];
			hhmm(c, ch->to_start, at);
			text(c, tx + bw + px(c, 10), by, FONT_BOLD, bsize, th->text, at,
			     tw - bw - px(c, 10));
		}
		return 0;
	}
	if (!is_now && e->start - c->now_s <= (int64_t)c->in->cfg->soon_min * 60) {
		int mins = (int)((e->start - c->now_s + 59) / 60);
		i18n_starts_in(c->lang, mins, msg, sizeof(msg));
		return badge_and_speakers(c, e->s, msg, tx, by, tw, slines, scut);
	}
	bool rescheduled = ch && ch->kind == CHANGE_RESCHEDULED;
	return badge_and_speakers(c, e->s, rescheduled ? i18n_text(c->lang, MSG_RESCHEDULED) : NULL,
				  tx, by, tw, slines, scut);
}

/* One session in a room's now or next cell; the now cell says how full the
 * room is (rv, NULL when unknown). Stacked (portrait), the now cell says
 * "Now" where its start time would be: no column heads there. Returns the
 * height used. */
static int cell(struct ctx *c, struct rect r, const struct entry *e, bool is_now,
		const struct room_view *rv, bool stacked, int tlines, int slines, bool *tcut,
		bool *scut)
{
	const struct theme *th = c->th;
	int ssize = px(c, 24), stripe = px(c, 6);
	int x = r.x + stripe + px(c, 12), w = r.w - (x - r.x) - px(c, 8);
	if (!e->title) {
		if (is_now)
			return 0;
		return px(c, 8) +
		       wrapped(c, x, r.y + px(c, 8), FONT_REGULAR, ssize, th->muted,
			       i18n_text(c->lang, MSG_NO_MORE_TODAY), w, 1, scut) +
		       px(c, 8);
	}
	const struct session *s = e->s;
	int timew = cell_when(c, x, r.y + px(c, 8), e, stacked && is_now);
	int tx = x + timew, tw = w - timew;
	bool cancelled = s && s->status == SESSION_CANCELLED;
	int y = cell_title(c, tx, r.y + px(c, 4), tw, e->title, cancelled || e->ghost, tlines,
			   tcut);
	int by = y + px(c, 4), bsize = px(c, 24), under = line_h(c, FONT_BOLD, bsize);
	int end = by + under + px(c, 10) - r.y;
	if (is_now && rv && !e->ghost && !cancelled) { /* FULL first: it sends people away */
		int pw = room_marks_plate(&c->k, tx, by, bsize, rv, false, tw);
		tx += pw ? pw + px(c, 10) : 0;
		tw -= pw ? pw + px(c, 10) : 0;
		if (tw < px(c, 48))
			return stripe_to(c, r, s, end);
	}
	int sh = cell_under(c, e, is_now, cancelled, tx, by, tw, slines, scut);
	return stripe_to(c, r, s, sh > under ? end + sh - under : end);
}

/* A room's name in the largest size whose widest word fits whole (a word
 * is split only when it is wider than the column even at the smallest
 * size) and that needs no "…" in the lines given; returns the height. */
static int room_name(struct ctx *c, int x, int y, int w, const char *name, int lines, bool *cut)
{
	static const int sizes[] = {30, 27, 24, 21};
	int size = px(c, sizes[3]);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		int sz = px(c, sizes[k]);
		struct text_fit fit;
		text_fit_wrap(&c->in->tm, FONT_BOLD, sz, name, w, lines, &fit);
		size = sz;
		if (text_fit_widest_word(&c->in->tm, FONT_BOLD, sz, name) <= w &&
		    !(fit.n && fit.lines[fit.n - 1].ellipsized))
			break;
	}
	return px(c, 10) +
	       wrapped(c, x, y + px(c, 10), FONT_BOLD, size, c->th->text, name, w, lines, cut);
}

/* Where a row's parts go: landscape, the name then now and next side by
 * side; portrait (stacked), the name then now above next, each as wide as
 * the screen allows. */
struct rows_geo {
	int x, w; /* the rule's */
	int name_x, name_w;
	int now_x, next_x, cell_w;
	bool stacked;
};

/* Draws row r at y with the lines f gives; returns its height, and what
 * was cut in *cuts. */
static int row_draw(struct ctx *c, const struct rows_geo *g, const struct room_row *r, int y,
		    const struct row_fit *f, struct row_cuts *cuts)
{
	memset(cuts, 0, sizeof(*cuts));
	draw_list_rect(c->dl, g->x, y, g->w, px(c, 2), c->th->rule);
	int nh = room_name(c, g->name_x, y, g->name_w, r->name, f->name_lines, &cuts->name);
	const struct room_view *rv = c->in->rooms ? room_board_find(c->in->rooms, r->name) : NULL;
	int top = y + px(c, 6), h;
	int hn = cell(c, (struct rect){g->now_x, top, g->cell_w, 0}, &r->now, true, rv, g->stacked,
		      f->title[0], f->speakers[0], &cuts->title[0], &cuts->speakers[0]);
	int nx_top = g->stacked ? top + hn : top;
	int hx = cell(c, (struct rect){g->next_x, nx_top, g->cell_w, 0}, &r->next, false, NULL,
		      g->stacked, f->title[1], f->speakers[1], &cuts->title[1], &cuts->speakers[1]);
	h = g->stacked ? hn + hx : (hn > hx ? hn : hx);
	h += px(c, 6);
	return h > nh + px(c, 10) ? h : nh + px(c, 10);
}

/* The height row r takes with f, measured and taken back. */
static int row_measure(struct ctx *c, const struct rows_geo *g, const struct room_row *r,
		       const struct row_fit *f, struct row_cuts *cuts)
{
	struct mark m = mark_of(c->dl);
	int h = row_draw(c, g, r, 0, f, cuts);
	take_back(c->dl, m);
	return h;
}

static const struct row_fit ROW_FIT_MIN = {2, {2, 2}, {1, 1}};
/* when even that is taller than the page (letters large for legibility) */
static const struct row_fit ROW_FIT_LEAST = {1, {1, 1}, {1, 1}};

/* The lines row r starts with: two of title and name when the page has the
 * height for them, else one; its height in *h. */
static struct row_fit row_base(struct ctx *c, const struct rows_geo *g, const struct room_row *r,
			       int avail, int *h, struct row_cuts *cuts)
{
	*h = row_measure(c, g, r, &ROW_FIT_MIN, cuts);
	if (*h <= avail)
		return ROW_FIT_MIN;
	*h = row_measure(c, g, r, &ROW_FIT_LEAST, cuts);
	return ROW_FIT_LEAST;
}

/* Gives the rows the height left, a line at a time, round after round, to
 * whatever of theirs is cut, while the next line still fits: text is never
 * cut while the page has room for it. fit, heights and cuts come in as the
 * rows start (row_base) and go out grown. Returns the height used. */
static int rows_grow(struct ctx *c, const struct rows_geo *g, const struct room_row *rows, size_t n,
		     struct row_fit *fit, int *heights, struct row_cuts *cuts, int avail)
{
	int used = 0;
	for (size_t i = 0; i < n; i++)
		used += heights[i];
	/* a line that did not fit never will: the height left only shrinks */
	unsigned *stuck = calloc(n ? n : 1, sizeof(*stuck));
	if (!stuck)
		return used;
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			/* the title first, then who speaks, then the name */
			int *more[5] = {NULL};
			unsigned bit[5];
			int k = 0;
			for (int j = 0; j < 2; j++)
				if (cuts[i].title[j] && fit[i].title[j] < TEXT_FIT_MAX_LINES &&
				    !(stuck[i] & 1u << j)) {
					bit[k] = 1u << j;
					more[k++] = &fit[i].title[j];
				}
			for (int j = 0; j < 2; j++)
				if (cuts[i].speakers[j] &&
				    fit[i].speakers[j] < TEXT_FIT_MAX_LINES &&
				    !(stuck[i] & 4u << j)) {
					bit[k] = 4u << j;
					more[k++] = &fit[i].speakers[j];
				}
			if (cuts[i].name && fit[i].name_lines < TEXT_FIT_MAX_LINES &&
			    !(stuck[i] & 16u)) {
				bit[k] = 16u;
				more[k++] = &fit[i].name_lines;
			}
			for (int j = 0; j < k; j++) {
				struct row_cuts rc;
				(*more[j])++;
				int h = row_measure(c, g, &rows[i], &fit[i], &rc);
				if (used - heights[i] + h <= avail) {
					used += h - heights[i];
					heights[i] = h;
					cuts[i] = rc;
					grew = true;
					break; /* one line a row a round: shared fairly */
				}
				(*more[j])--;
				stuck[i] |= bit[j];
			}
		}
	}
	free(stuck);
	return used;
}

/* The rows' places in a, and the column heads (landscape); returns the top
 * of the first row. */
static int rows_geometry(struct ctx *c, struct rect a, struct rows_geo *g)
{
	int m = px(c, 32), hsize = px(c, 26), hy = a.y + px(c, 10);
	int name_w = a.w * 18 / 100, col_w = (a.w - name_w - m) / 2;
	/* portrait, or columns too narrow for a title's few words (letters
	 * made large for legibility): now above next */
	bool stacked = c->in->height > c->in->width || col_w < px(c, 400);
	*g = (struct rows_geo){a.x + m,
			       a.w - m,
			       a.x + m,
			       name_w - px(c, 16),
			       a.x + m + name_w,
			       a.x + m + name_w + col_w,
			       col_w,
			       stacked};
	if (stacked) { /* now above next: no column heads, each cell the full width */
		g->next_x = g->now_x;
		g->cell_w = a.w - m - name_w;
		return a.y + px(c, 6);
	}
	text(c, a.x + m + name_w, hy, FONT_BOLD, hsize, c->th->muted, i18n_text(c->lang, MSG_NOW),
	     col_w);
	text(c, a.x + m + name_w + col_w, hy, FONT_BOLD, hsize, c->th->muted,
	     i18n_text(c->lang, MSG_NEXT), col_w);
	return hy + line_h(c, FONT_BOLD, hsize) + px(c, 6);
}

/* Draws the rooms' rows in a; returns the bottom of the last one. */
static int rooms_area(struct ctx *c, struct rect a, struct layout_result *res)
{
	const struct theme *th = c->th;
	struct room_row *rows = calloc(MAX_ROWS, sizeof(*rows));
	if (!rows)
		return a.y;
	size_t n = rooms_rows(c, rows, MAX_ROWS);
	res->rooms_total = (int)n;
	res->rooms_area.x = a.x;
	res->rooms_area.y = a.y;
	res->rooms_area.w = a.w;
	res->rooms_area.h = a.h;
	int m = px(c, 32);
	if (n == 0) {
		text(c, a.x + m, a.y + px(c, 60), FONT_BOLD, px(c, 44), th->text,
		     i18n_text(c->lang, MSG_NO_SESSIONS_TODAY), a.w - 2 * m);
		/* the next day that has sessions, so an early visitor knows */
		const struct schedule *s = c->in->board->schedule;
		for (size_t i = 0; i < s->n_sessions; i++)
			if (s->sessions[i].start > c->now_s) {
				struct civil l;
				char d[96], t[8], line[160];
				local(c, s->sessions[i].start, &l);
				i18n_date(c->lang, &l, d, sizeof(d));
				hhmm(c, s->sessions[i].start, t);
				snprintf(line, sizeof(line), "%s → %s, %s",
					 i18n_text(c->lang, MSG_NEXT), d, t);
				text(c, a.x + m, a.y + px(c, 130), FONT_REGULAR, px(c, 32),
				     th->muted, line, a.w - 2 * m);
				break;
			}
		res->pages = 1;
		free(rows);
		return a.y + px(c, 130) + line_h(c, FONT_REGULAR, px(c, 32));
	}
	struct rows_geo g;
	int top = rows_geometry(c, a, &g);
	int avail = a.y + a.h - top;
	/* pages: as many rows as fit at their smallest, in order */
	int *heights = calloc(n, sizeof(*heights));
	size_t *starts = calloc(n + 1, sizeof(*starts));
	struct row_fit *fit = calloc(n, sizeof(*fit));
	struct row_cuts *cuts = calloc(n, sizeof(*cuts));
	int bottom = top;
	if (!heights || !starts || !fit || !cuts)
		goto out;
	size_t pages = 0;
	for (size_t i = 0, used = 0; i < n; i++) {
		fit[i] = row_base(c, &g, &rows[i], avail, &heights[i], &cuts[i]);
		if (i == 0 || (int)used + heights[i] > avail) {
			starts[pages++] = i;
			used = 0;
		}
		used += (size_t)heights[i];
	}
	starts[pages] = n;
	res->pages = (int)pages;
	res->page = (int)(c->in->page_tick % res->pages);
	size_t first = starts[res->page], count = starts[res->page + 1] - first;
	rows_grow(c, &g, rows + first, count, fit + first, heights + first, cuts + first, avail);
	int y = top;
	for (size_t i = first; i < first + count; i++) {
		struct row_cuts rc;
		y += row_draw(c, &g, &rows[i], y, &fit[i], &rc);
		res->rooms_shown++;
	}
	bottom = y;
out:
	free(heights);
	free(starts);
	free(fit);
	free(cuts);
	free(rows);
	return bottom;
}

/* ---- changes panel --------------------------------------------------------- */

static int64_t change_time(const struct board_change *ch)
{
	return ch->to_start ? ch->to_start : ch->from_start;
}

static int by_change_time(const void *a, const void *b)
{
	int64_t x = change_time(*(const struct board_change *const *)a);
	int64_t y = change_time(*(const struct board_change *const *)b);
	return x < y ? -1 : x > y;
}

/* "09:50 → 11:00", or "Wed 09:50 → Thu 09:00" when the day changed too. */
static void span(const struct ctx *c, int64_t from, int64_t to, char *out, size_t cap)
{
	struct civil a, b;
	char f[8], t[8];
	local(c, from, &a);
	local(c, to, &b);
	hhmm_of(&a, f);
	hhmm_of(&b, t);
	if (same_day(&a, &b))
		snprintf(out, cap, "%s → %s", f, t);
	else
		snprintf(out, cap, "%s %s → %s %s", i18n_weekday_short(c->lang, &a), f,
			 i18n_weekday_short(c->lang, &b), t);
}

/* One change: when and what; where to go now (the words that matter, first
 * and never cut off); where it was. */
static void change_row(struct ctx *c, int x, int y, int w, int rh, const struct board_change *ch)
{
	const struct theme *th = c->th;
	int tsize = px(c, 26), dsize = px(c, 24), gap = px(c, 10);
	bool fresh = is_new(c, ch);
	struct draw_color fg = fresh ? th->alert_text : th->text;
	struct draw_color dim = fresh ? th->alert_text : th->muted;
	if (fresh)
		draw_list_rect(c->dl, x - px(c, 16), y - px(c, 6), w + px(c, 32), rh - px(c, 6),
			       th->alert_bg);
	int lx = x, lw = w;
	if (fresh) {
		int bw = badge(c, lx, y, tsize, th->text, th->background,
			       i18n_text(c->lang, MSG_NEW), lw);
		lx += bw + gap;
		lw -= bw + gap;
	}
	char t[8], line[600], f2[64];
	hhmm(c, change_time(ch), t);
	snprintf(line, sizeof(line), "%s  %s", t, ch->title);
	text(c, lx, y, FONT_BOLD, tsize, fg, line, lw);
	int y2 = y + line_h(c, FONT_BOLD, tsize) + px(c, 4);
	int y3 = y2 + line_h(c, FONT_BOLD, dsize) + px(c, 2);
	struct draw_color plate = fresh ? th->text : th->alert_bg;
	struct draw_color plate_text = fresh ? th->background : th->alert_text;
	int bw = 0;
	switch (ch->kind) {
	case CHANGE_MOVED:
		i18n_moved_to(c->lang, ch->to_room ? ch->to_room : "?", line, sizeof(line));
		bw = badge(c, x, y2, dsize, plate, plate_text, line, w);
		if (ch->from_start && ch->to_start && ch->from_start != ch->to_start) {
			span(c, ch->from_start, ch->to_start, line, sizeof(line));
			text(c, x + bw + gap, y2, FONT_BOLD, dsize, fg, line, w - bw - gap);
		}
		break;
	case CHANGE_CANCELLED:
		badge(c, x, y2, dsize, th->cancel_bg, th->cancel_text,
		      i18n_text(c->lang, MSG_CANCELLED), w);
		break;
	case CHANGE_RESCHEDULED:
		span(c, ch->from_start, ch->to_start, f2, sizeof(f2));
		snprintf(line, sizeof(line), "%s %s", i18n_text(c->lang, MSG_RESCHEDULED), f2);
		badge(c, x, y2, dsize, plate, plate_text, line, w);
		break;
	case CHANGE_ADDED:
		snprintf(line, sizeof(line), "%s · %s", i18n_text(c->lang, MSG_ADDED),
			 ch->to_room ? ch->to_room : "");
		badge(c, x, y2, dsize, plate, plate_text, line, w);
		break;
	}
	const char *was = ch->kind == CHANGE_RESCHEDULED || ch->kind == CHANGE_ADDED
				  ? ch->to_room
				  : ch->from_room;
	if (was && ch->kind != CHANGE_ADDED) {
		if (ch->kind == CHANGE_RESCHEDULED)
			snprintf(line, sizeof(line), "%s", was);
		else
			i18n_was(c->lang, was, line, sizeof(line));
		text(c, x, y3, FONT_REGULAR, dsize, dim, line, w);
	}
}

/* A room that became full: when, which, and where to go instead. */
static void full_row(struct ctx *c, int x, int y, int w, const struct room_view *v)
{
	char t[8], line[300];
	int tsize = px(c, 26);
	hhmm(c, v->full_since_ms / 1000, t);
	snprintf(line, sizeof(line), "%s  %s", t, v->room);
	text(c, x, y, FONT_BOLD, tsize, c->th->text, line, w);
	room_marks_plate(&c->k, x, y + line_h(c, FONT_BOLD, tsize) + px(c, 4), px(c, 24), v, false,
			 w);
}

static int by_full_since(const void *a, const void *b)
{
	int64_t x = (*(const struct room_view *const *)a)->full_since_ms;
	int64_t y = (*(const struct room_view *const *)b)->full_since_ms;
	return x > y ? -1 : x < y; /* newest first */
}

/* The rooms that became full in the last 15 minutes, newest first. */
static size_t recently_full(const struct ctx *c, const struct room_view **out, size_t cap)
{
	const struct room_board *rb = c->in->rooms;
	size_t n = 0;
	for (size_t i = 0; rb && i < room_board_count(rb) && n < cap; i++) {
		const struct room_view *v = room_board_get(rb, i);
		int64_t age = c->in->now_ms - v->full_since_ms;
		if (v->full_since_ms && age >= 0 && age < FULL_LISTED_MIN * 60000LL)
			out[n++] = v;
	}
	qsort(out, n, sizeof(*out), by_full_since);
	return n;
}

/* The day's changes and the rooms just full, as changes_panel lists them. */
static size_t changes_count(struct ctx *c)
{
	const struct room_view *full[MAX_LISTED];
	const struct board *b = c->in->board;
	size_t n = recently_full(c, full, MAX_LISTED);
	for (size_t i = 0; i < b->n_changes && n < MAX_LISTED; i++) {
		const struct board_change *ch = &b->changes[i];
		if ((ch->to_start && is_today(c, ch->to_start)) ||
		    (ch->from_start && is_today(c, ch->from_start)))
			n++;
	}
	return n;
}

/* The height changes_panel needs to list everything (or say there is
 * nothing) in one page, or (at most 1) its first row only. */
static int changes_panel_need(struct ctx *c, size_t at_most)
{
	int head = px(c, 12) + line_h(c, FONT_BOLD, px(c, 32)) + px(c, 8);
	size_t n = changes_count(c);
	if (c->worst && n == 0)
		n = 1;
	if (n == 0)
		return head + line_h(c, FONT_REGULAR, px(c, 26)) + px(c, 16);
	int rh = line_h(c, FONT_BOLD, px(c, 26)) + line_h(c, FONT_BOLD, px(c, 24)) +
		 line_h(c, FONT_REGULAR, px(c, 24)) + px(c, 20);
	return head + (int)(n < at_most ? n : at_most) * rh + px(c, 8);
}

static void changes_panel(struct ctx *c, struct rect a, struct layout_result *res)
{
	const struct theme *th = c->th;
	const struct board *b = c->in->board;
	int m = px(c, 24);
	draw_list_rect(c->dl, a.x, a.y, a.w, a.h, th->panel);
	int y = a.y + px(c, 12), w = a.w - 2 * m, head_y = y;
	const char *head = i18n_text(c->lang, MSG_ROOM_CHANGES);
	y += line_h(c, FONT_BOLD, px(c, 32)) + px(c, 8);
	/* rows: the rooms just full (they send people somewhere now), then the
	 * day's changes in time order */
	const struct room_view *full[MAX_LISTED];
	const struct board_change *list[MAX_LISTED];
	size_t nf = recently_full(c, full, MAX_LISTED), n = 0;
	for (size_t i = 0; i < b->n_changes && n < MAX_LISTED; i++) {
		const struct board_change *ch = &b->changes[i];
		if ((ch->to_start && is_today(c, ch->to_start)) ||
		    (ch->from_start && is_today(c, ch->from_start)))
			list[n++] = ch;
	}
	qsort(list, n, sizeof(*list), by_change_time);
	res->changes_today = (int)n;
	res->rooms_full_listed = (int)nf;
	if (n + nf == 0) {
		text(c, a.x + m, head_y, FONT_BOLD, px(c, 32), th->text, head, w);
		text(c, a.x + m, y, FONT_REGULAR, px(c, 26), th->muted,
		     i18n_text(c->lang, MSG_NO_CHANGES), w);
		return;
	}
	int tsize = px(c, 26), dsize = px(c, 24);
	int rh = line_h(c, FONT_BOLD, tsize) + line_h(c, FONT_BOLD, dsize) +
		 line_h(c, FONT_REGULAR, dsize) + px(c, 20);
	int per_page = (a.y + a.h - y - px(c, 8)) / rh;
	if (per_page < 1) { /* not one row: the heading alone, never over the footer */
		text(c, a.x + m, head_y, FONT_BOLD, px(c, 32), th->text, head, w);
		return;
	}
	int pages = (int)((n + nf + (size_t)per_page - 1) / (size_t)per_page);
	size_t first = (size_t)(c->in->page_tick % pages) * (size_t)per_page;
	for (size_t i = first; i < n + nf && i < first + (size_t)per_page; i++, y += rh) {
		if (i < nf)
			full_row(c, a.x + m, y, w, full[i]);
		else
			change_row(c, a.x + m, y, w, rh, list[i - nf]);
	}
	int pw = 0;
	if (pages > 1) {
		char p[32];
		snprintf(p, sizeof(p), "%d / %d", (int)(c->in->page_tick % pages) + 1, pages);
		pw = measure(c, FONT_REGULAR, px(c, 22), p);
		text(c, a.x + a.w - m - pw, a.y + px(c, 18), FONT_REGULAR, px(c, 22), th->muted, p,
		     pw);
		pw += m / 2;
	}
	text(c, a.x + m, head_y, FONT_BOLD, px(c, 32), th->text, head, w - pw); /* beside "1 / 2" */
}

/* ---- the screen ------------------------------------------------------------- */

/* Words in the texts of ops [from, to): runs of non-spaces holding a letter
 * or a digit ("10:05" is one, "·" and "→" are none). */
static int words_in(const struct draw_list *dl, size_t from, size_t to)
{
	int n = 0;
	for (size_t i = from; i < to && i < dl->n; i++) {
		if (dl->ops[i].kind != DRAW_TEXT)
			continue;
		bool counted = false; /* this run of non-spaces is counted */
		for (const unsigned char *p =
			     (const unsigned char *)draw_list_text_of(dl, &dl->ops[i]);
		     *p; p++) {
			if (*p == ' ') {
				counted = false;
				continue;
			}
			/* a letter (any non-ASCII byte counts: accents, CJK) or a
			 * digit; "·" and "→" are non-ASCII too, but alone they are
			 * a glance, not a word: they count only within a word */
			if (!counted && ((*p >= '0' && *p <= '9') ||
					 ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') ||
					 (*p >= 0xC3 && *p <= 0xDF) || *p >= 0xE3)) {
				n++;
				counted = true;
			}
		}
	}
	return n;
}

int64_t layout_page_ms(const struct kiosk_config *cfg, int words)
{
	int64_t ms = (int64_t)words * 1000;
	int64_t lo = (int64_t)cfg->page_s * 1000, hi = (int64_t)cfg->page_s_max * 1000;
	return ms < lo ? lo : ms > hi ? (hi > lo ? hi : lo) : ms;
}

static void ctx_init(struct ctx *c, const struct layout_input *in, struct draw_list *dl)
{
	*c = (struct ctx){.in = in, .th = &in->cfg->theme, .lang = in->cfg->lang, .dl = dl};
	/* the design's sizes, or larger when readers stand further away than
	 * its smallest text reads from (legibility) */
	c->u = layout_kit_units(in->width, in->height, in->min_text_px, ROOMS_SMALLEST_TEXT);
	c->now_s = in->now_ms / 1000;
	/* before any schedule, the configured zone (looked up only then: it
	 * costs a search of the zone database) */
	c->zone = in->board->zone;
	if (!in->board->schedule && in->cfg->timezone[0])
		c->zone = civil_zone_find(in->cfg->timezone);
	c->k = (struct layout_kit){&in->tm, c->th, c->lang, dl, c->u, c->zone};
	c->fk = c->qk = c->k;
	c->fk.u = layout_kit_units(in->width, in->height, in->min_text_px, FRAME_SMALLEST_TEXT);
	c->qk.u = layout_kit_units(in->width, in->height, in->min_text_px, QUEUES_SMALLEST_TEXT);
}

/* Where the rooms go between the header and the footer: the width left of
 * the side panel (landscape), or the height above it (portrait: the
 * changes' list takes what it needs, up to a quarter). */
static struct rect rooms_rect(struct ctx *c, int body_top, int body_bottom)
{
	const struct layout_input *in = c->in;
	int gap = px(c, 16);
	if (in->height > in->width) {
		bool queues = in->queues != NULL;
		int side_h = (body_bottom - body_top) * (queues ? 36 : 26) / 100;
		if (!queues) { /* a short list of changes leaves its height to the rooms */
			int need = changes_panel_need(c, MAX_LISTED) + 2 * gap;
			side_h = need < side_h ? need : side_h;
		}
		/* large letters (legibility): still room for the first change */
		int one = changes_panel_need(c, 1) + 2 * gap;
		side_h = side_h < one ? one : side_h;
		return (struct rect){0, body_top, in->width - gap, body_bottom - body_top - side_h};
	}
	int side_w = in->width * 31 / 100;
	return (struct rect){0, body_top, in->width - side_w - gap, body_bottom - body_top};
}

int layout_rooms_fit(const struct layout_input *in, struct draw_list *scratch)
{
	if (in->cfg->layout == KIOSK_LAYOUT_ROOM && in->cfg->n_rooms)
		return door_layout_fits(in, scratch) ? 1 : 0;
	struct ctx c;
	ctx_init(&c, in, scratch);
	c.worst = true; /* what the day may bring must not push the one room off */
	draw_list_reset(scratch, in->width, in->height, c.th->background);
	int top = layout_frame_header(&c.fk, in, layout_frame_title(in)) +
		  layout_frame_notices_h(&c.fk);
	struct rect a = rooms_rect(&c, top, in->height - layout_frame_footer_h(&c.fk));
	struct rows_geo g;
	int rows_top = rows_geometry(&c, a, &g);
	/* the least a room takes: its name, a one-line title now and next */
	struct room_row probe = {
		.name = "Salle",
		.now = {.title = "Talk", .start = c.now_s, .end = c.now_s + 1},
		.next = {.title = "Talk", .start = c.now_s + 86400, .end = c.now_s + 86401},
	};
	struct row_cuts cuts;
	int h = row_measure(&c, &g, &probe, &ROW_FIT_LEAST, &cuts);
	int room = a.y + a.h - rows_top;
	return h > 0 && room > 0 ? room / h : 0;
}

void layout_build(const struct layout_input *in, struct draw_list *dl, struct layout_result *res)
{
	struct ctx c;
	ctx_init(&c, in, dl);
	memset(res, 0, sizeof(*res));
	res->pages = 1;
	if (in->n_alerts && in->alerts) { /* over everything, whatever the screen */
		res->alerts_shown = alert_screen_build(&c.k, in->width, in->height, in->alerts,
						       in->n_alerts, !in->clock_untrusted);
		return;
	}
	if (in->cfg->layout == KIOSK_LAYOUT_ROOM && in->cfg->n_rooms) {
		door_layout_build(in, dl, res);
		return;
	}
	draw_list_reset(dl, in->width, in->height, c.th->background);
	local(&c, c.now_s, &c.today);
	/* the phone page's code in the header where it fits there (landscape):
	 * the changes and the lunch lines keep all their room */
	bool qr_in_header = false;
	int y = layout_frame_header_qr(&c.fk, in, layout_frame_title(in),
				       in->width > in->height ? &qr_in_header : NULL);
	y = layout_frame_notices(&c.fk, in, y, &res->notices_shown);
	int body_top = y, body_bottom = in->height - layout_frame_footer_h(&c.fk);
	size_t body_ops = dl->n;
	if (!in->board->schedule || in->clock_untrusted) {
		/* yesterday's programme under a wrong clock is worse than none */
		text(&c, px(&c, 48), body_top + px(&c, 80), FONT_BOLD, px(&c, 48), c.th->text,
		     i18n_text(c.lang, in->clock_untrusted ? MSG_WAITING_FOR_TIME
							   : MSG_WAITING_FOR_SCHEDULE),
		     in->width - px(&c, 96));
		layout_frame_footer(&c.fk, in, res->page, res->pages);
		return;
	}
	bool queues = in->queues != NULL;
	struct queue_panel_input qp = {in->queues, in->advice, in->now_ms, in->page_tick};
	bool portrait = in->height > in->width;
	int gap = px(&c, 16);
	/* the phone page's code takes a corner of the changes' place (they turn
	 * pages when fewer fit); the rooms and the lunch lines keep theirs */
	int qr_w = 0, qr_h = 0;
	struct rect rooms = rooms_rect(&c, body_top, body_bottom);
	if (portrait) {
		int rooms_end = rooms_area(&c, rooms, res);
		/* every room on one page with height to spare: the panel below
		 * takes it, no blank band between them */
		if (res->pages == 1 && rooms_end < rooms.y + rooms.h) {
			rooms.h = rooms_end - rooms.y;
			res->rooms_area.h = rooms.h;
		}
		int sy = rooms.y + rooms.h + gap, sh = body_bottom - sy - gap;
		if (queues) {
			int half = (in->width - 3 * gap) / 2;
			layout_frame_qr(&c.k, in, gap + half, sy + sh, half, sh / 2, true, true,
					&qr_w, &qr_h);
			changes_panel(&c,
				      (struct rect){gap, sy, half, sh - (qr_h ? qr_h + gap : 0)},
				      res);
			queue_panel_draw(&c.qk, (struct layout_rect){2 * gap + half, sy, half, sh},
					 &qp);
		} else {
			layout_frame_qr(&c.k, in, in->width - gap, sy + sh, in->width / 4, sh,
					false, true, &qr_w, &qr_h);
			changes_panel(&c,
				      (struct rect){gap, sy,
						    in->width - 2 * gap - (qr_w ? qr_w + gap : 0),
						    sh},
				      res);
		}
	} else {
		int side_w = in->width * 31 / 100;
		rooms_area(&c, rooms, res);
		int sx = rooms.w + gap, sw = side_w - gap, top = body_top + gap;
		int h = body_bottom - top - gap;
		int ch = queues ? (h - gap) * 45 / 100 : h; /* the changes' place */
		if (!qr_in_header) /* a corner of the changes' place (they turn pages sooner) */
			layout_frame_qr(&c.k, in, sx + sw, top + ch, sw, queues ? ch / 2 : h / 4,
					true, true, &qr_w, &qr_h);
		changes_panel(&c, (struct rect){sx, top, sw, ch - (qr_h ? qr_h + gap : 0)}, res);
		if (queues)
			queue_panel_draw(&c.qk,
					 (struct layout_rect){sx, top + ch + gap, sw, h - ch - gap},
					 &qp);
	}
	res->words = words_in(dl, body_ops, dl->n);
	layout_frame_footer(&c.fk, in, res->page, res->pages);
}
