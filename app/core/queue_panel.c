/* queue_panel: a line's block grows with what it has to say (a venue line,
 * an uncertainty badge, a forecast line of one or two lines, a tip), so
 * blocks are paged by their own heights; one too tall for the panel gets a
 * page to itself and a shorter chart. The forecast differs from the
 * measured hour in shape as well as colour: separate bars standing on the
 * baseline for what was measured, a continuous floating band (the 80 %
 * range) with a dashed line (the forecast) for what is expected, a dotted
 * "now" between them, and each half named under it. */
#include "queue_panel.h"

#include "i18n.h"
#include "lunch_advice.h"
#include "queue_board.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum {
	BARS = 12, /* five minutes each, for the hour measured and the hour ahead */
	PER = QUEUE_BOARD_HISTORY / BARS,
	CHART_U = 100,    /* design units a chart takes with its labels */
	CHART_MIN_U = 80, /* a squeezed block below this draws no chart */
};

static int px(const struct layout_kit *k, double units)
{
	return layout_kit_px(k, units);
}

static int lh(const struct layout_kit *k, enum draw_font f, double units)
{
	return layout_kit_line_h(k, f, px(k, units));
}

static int minutes(double s)
{
	return (int)lround(s / 60.0);
}

/* ---- the chart ------------------------------------------------------------------ */

/* The measured hour: twelve bars of five minutes, a thin mark where nothing
 * was known (so "no data" never looks like "no wait"). Their values in
 * vals (< 0 unknown). */
static void past_values(const struct queue_view *v, double vals[BARS])
{
	for (int b = 0; b < BARS; b++) {
		double sum = 0;
		int n = 0;
		for (int i = 0; i < PER; i++) {
			float x = v->history[b * PER + i];
			if (x >= 0) {
				sum += x;
				n++;
			}
		}
		vals[b] = n ? sum / n : -1;
	}
}

static int height_of(double s, double top, int ch)
{
	return (int)lround(s / top * ch);
}

/* The hour ahead in x..x+w: per five minutes a column of the band from the
 * low end to the high end, touching its neighbours, and a dash at the
 * forecast; a thin mark where the forecast knows nothing. */
static void band(const struct layout_kit *k, int x, int w, int base, int ch, double top,
		 const struct queue_forecast *f)
{
	int col = w / BARS, dash_h = px(k, 3);
	for (size_t j = 0; j < f->n && j < BARS; j++) {
		const struct queue_forecast_point *p = &f->points[j];
		int cx = x + (int)j * col;
		if (!p->known) {
			draw_list_rect(k->dl, cx + px(k, 2), base - px(k, 4), col - px(k, 4),
				       px(k, 2), k->th->bar_empty);
			continue;
		}
		int hi = base - height_of(p->high_s, top, ch);
		int lo = base - height_of(p->low_s, top, ch);
		draw_list_rect(k->dl, cx, hi, col, lo - hi > dash_h ? lo - hi : dash_h,
			       k->th->rule);
		int mid = base - height_of(p->wait_s, top, ch);
		draw_list_rect(k->dl, cx + col / 4, mid - dash_h / 2, col / 2, dash_h, k->th->text);
	}
}

static void chart(const struct layout_kit *k, struct layout_rect r, const struct queue_view *v)
{
	const struct theme *th = k->th;
	const struct queue_forecast *f = &v->forecast;
	double vals[BARS], top = 600; /* the scale: at least 10 minutes */
	bool any = false;
	past_values(v, vals);
	for (int b = 0; b < BARS; b++)
		if (vals[b] >= 0) {
			any = true;
			top = fmax(top, vals[b]);
		}
	for (size_t j = 0; f->have && j < f->n && j < BARS; j++)
		if (f->points[j].known) {
			any = true;
			top = fmax(top, f->points[j].high_s);
		}
	int lsize = px(k, 20), label_h = layout_kit_line_h(k, FONT_REGULAR, lsize);
	int base = r.y + r.h - label_h - px(k, 4), ch = base - r.y;
	int split = px(k, 14);
	int past_w = f->have ? (r.w - split) / 2 : r.w;
	int gap = px(k, 4), bw = (past_w - gap * (BARS - 1)) / BARS, least = px(k, 3);
	draw_list_rect(k->dl, r.x, base, r.w, px(k, 2), th->rule);
	for (int b = 0; b < BARS; b++) {
		int x = r.x + b * (bw + gap);
		if (vals[b] < 0) {
			draw_list_rect(k->dl, x, base - px(k, 4), bw, px(k, 2), th->bar_empty);
			continue;
		}
		int h = height_of(vals[b], top, ch);
		draw_list_rect(k->dl, x, base - (h < least ? least : h), bw, h < least ? least : h,
			       th->bar);
	}
	layout_kit_text(k, r.x, base + px(k, 4), FONT_REGULAR, lsize, th->muted,
			i18n_text(k->lang, MSG_LAST_HOUR), past_w);
	if (f->have) {
		int fx = r.x + past_w + split, fw = r.x + r.w - fx;
		for (int y = r.y; y < base; y += px(k, 8)) /* now */
			draw_list_rect(k->dl, fx - split / 2 - px(k, 1), y, px(k, 2), px(k, 4),
				       th->rule);
		band(k, fx, fw, base, ch, top, f);
		layout_kit_text(k, fx, base + px(k, 4), FONT_REGULAR, lsize, th->muted,
				i18n_text(k->lang, MSG_FORECAST), fw);
	}
	if (!any) /* no scale over nothing: a minute figure would read as a wait */
		return;
	char scale[16];
	snprintf(scale, sizeof(scale), "%d min", minutes(top));
	int sw = layout_kit_measure(k, FONT_REGULAR, lsize, scale);
	layout_kit_text(k, r.x + r.w - sw, r.y - label_h, FONT_REGULAR, lsize, th->muted, scale,
			sw);
}

/* ---- one line -------------------------------------------------------------------- */

/* "now 6 min · 12:30 ≈ 18 min · 13:10 ≈ 4 min" */
static void forecast_text(const struct layout_kit *k, const struct queue_view *v,
			  const struct lunch_line_advice *a, char *out, size_t cap)
{
	i18n_forecast_now(k->lang, minutes(v->now.wait_s), out, cap);
	size_t o = strlen(out);
	for (size_t i = 0; i < a->n_items && o < cap; i++) {
		char clock[8], item[48];
		layout_kit_hhmm(k, a->items[i].at_ms / 1000, clock);
		i18n_forecast_at(k->lang, clock, minutes(a->items[i].wait_s), item, sizeof(item));
		o += (size_t)snprintf(out + o, cap - o, " · %s", item);
	}
}

static void tip_text(const struct layout_kit *k, const struct lunch_line_advice *a, char *out,
		     size_t cap)
{
	char clock[8];
	layout_kit_hhmm(k, a->tip_ms / 1000, clock);
	if (a->tip == LUNCH_TIP_BEST_BEFORE)
		i18n_best_before(k->lang, clock, out, cap);
	else
		i18n_quieter_after(k->lang, clock, out, cap);
}

/* Everything above the chart at x, y (width w); returns its height. Draws
 * only when draw: the same code measures a block for paging. */
static int block_text(const struct layout_kit *k, int x, int y, int w, const struct queue_view *v,
		      const struct lunch_line_advice *a, bool draw)
{
	const struct theme *th = k->th;
	int y0 = y;
	y += px(k, 10);
	if (draw)
		layout_kit_text(k, x, y, FONT_BOLD, px(k, 30), th->text, v->name, w);
	y += lh(k, FONT_BOLD, 30);
	if (v->venue && *v->venue && !strstr(v->name, v->venue)) {
		if (draw)
			layout_kit_text(k, x, y, FONT_REGULAR, px(k, 22), th->muted, v->venue, w);
		y += lh(k, FONT_REGULAR, 22);
	}
	const struct wait_estimate *e = &v->now;
	char line[400], why[160];
	if (!e->known) {
		if (draw) {
			layout_kit_text(k, x, y, FONT_BOLD, px(k, 44), th->muted,
					i18n_text(k->lang, MSG_NO_ESTIMATE), w);
			i18n_reason(k->lang, e->why ? e->why : "", why, sizeof(why));
			layout_kit_text(k, x, y + lh(k, FONT_BOLD, 44), FONT_REGULAR, px(k, 24),
					th->muted, why, w);
		}
		return y + lh(k, FONT_BOLD, 44) + lh(k, FONT_REGULAR, 24) + px(k, 6) - y0;
	}
	int bs = px(k, 64), ls = px(k, 26);
	if (draw) {
		char num[24], big[48];
		i18n_minutes(k->lang, minutes(e->wait_s), num, sizeof(num));
		/* a number that is not fully trusted says so, in words too */
		snprintf(big, sizeof(big), "%s%s", e->confidence == CONFIDENCE_GOOD ? "" : "≈ ",
			 num);
		int bw = layout_kit_text(k, x, y, FONT_BOLD, bs, th->text, big, w);
		layout_kit_text(k, x + bw + px(k, 12),
				y + layout_kit_line_h(k, FONT_BOLD, bs) -
					layout_kit_line_h(k, FONT_REGULAR, ls) - px(k, 8),
				FONT_REGULAR, ls, th->muted, i18n_text(k->lang, MSG_WAIT),
				w - bw - px(k, 12));
		enum msg tm = v->trend == TREND_RISING    ? MSG_RISING
			      : v->trend == TREND_FALLING ? MSG_FALLING
							  : MSG_STEADY;
		i18n_people(k->lang, (int)lround(e->people), line, sizeof(line));
		int y2 = y + layout_kit_line_h(k, FONT_BOLD, bs);
		int tw = 0;
		if (v->trend != TREND_UNKNOWN)
			tw = layout_kit_text(k, x, y2, FONT_BOLD, ls, th->text,
					     i18n_text(k->lang, tm), w) +
			     px(k, 14);
		layout_kit_text(k, x + tw, y2, FONT_REGULAR, px(k, 24), th->muted, line, w - tw);
	}
	y += lh(k, FONT_BOLD, 64) + lh(k, FONT_BOLD, 26) + px(k, 6);
	if (e->confidence != CONFIDENCE_GOOD) {
		if (draw) {
			i18n_reason(k->lang, e->why, why, sizeof(why));
			int bw = layout_kit_badge(k, x, y, px(k, 22), th->alert_bg, th->alert_text,
						  i18n_text(k->lang, MSG_UNCERTAIN), w);
			layout_kit_text(k, x + bw + px(k, 10), y, FONT_REGULAR, px(k, 22),
					th->muted, why, w - bw - px(k, 10));
		}
		y += lh(k, FONT_BOLD, 22) + px(k, 6);
	}
	if (a->n_items) {
		forecast_text(k, v, a, line, sizeof(line));
		y += layout_kit_wrap(k, x, y, FONT_REGULAR, px(k, 22), th->text, line, w, 2, draw) +
		     px(k, 4);
	} else if (v->forecast.withheld && v->now.known) {
		/* the forecast did worse than "it stays as it is" lately: say why
		 * there is none, so that an empty line is not read as a fault */
		y += layout_kit_wrap(k, x, y, FONT_REGULAR, px(k, 22), th->muted,
				     i18n_text(k->lang, MSG_FORECAST_WITHHELD), w, 2, draw) +
		     px(k, 4);
	}
	if (a->tip) {
		tip_text(k, a, line, sizeof(line));
		if (draw)
			layout_kit_text(k, x, y, FONT_BOLD, px(k, 24), th->text, line, w);
		y += lh(k, FONT_BOLD, 24) + px(k, 4);
	}
	return y - y0;
}

static int block_h(const struct layout_kit *k, int w, const struct queue_view *v,
		   const struct lunch_line_advice *a)
{
	return block_text(k, 0, 0, w, v, a, false) + px(k, CHART_U) + px(k, 8);
}

/* One line's block in r: the rule, the words, the chart at the bottom. */
static void block(const struct layout_kit *k, struct layout_rect r, const struct queue_view *v,
		  const struct lunch_line_advice *a)
{
	int m = px(k, 24), w = r.w - 2 * m, x = r.x + m, label = px(k, 24);
	draw_list_rect(k->dl, x, r.y, w, px(k, 2), k->th->rule);
	int y = r.y + block_text(k, x, r.y, w, v, a, true);
	int bottom = r.y + r.h - px(k, 8);
	if (bottom - y > px(k, CHART_U))
		y = bottom - px(k, CHART_U);
	if (bottom - y >= px(k, CHART_MIN_U))
		chart(k, (struct layout_rect){x, y + label, w, bottom - y - label}, v);
}

/* ---- the panel ----------------------------------------------------------------------- */

static const struct lunch_line_advice *advice_for(const struct queue_panel_input *in, size_t i)
{
	static const struct lunch_line_advice none;
	return in->advice && i < in->advice->n ? &in->advice->lines[i] : &none;
}

void queue_panel_draw(const struct layout_kit *k, struct layout_rect r,
		      const struct queue_panel_input *in)
{
	const struct theme *th = k->th;
	const struct queue_board *qb = in->queues;
	int m = px(k, 24), w = r.w - 2 * m;
	draw_list_rect(k->dl, r.x, r.y, r.w, r.h, th->panel);
	int y = r.y + px(k, 12);
	layout_kit_text(k, r.x + m, y, FONT_BOLD, px(k, 32), th->text,
			i18n_text(k->lang, MSG_LUNCH_LINES), w);
	y += lh(k, FONT_BOLD, 32) + px(k, 8);
	size_t n = qb ? queue_board_count(qb) : 0;
	if (n > ESTIMATOR_MAX_QUEUES)
		n = ESTIMATOR_MAX_QUEUES;
	if (n == 0) {
		layout_kit_text(k, r.x + m, y, FONT_REGULAR, px(k, 26), th->muted,
				i18n_text(k->lang, MSG_NO_ESTIMATE), w);
		return;
	}
	const struct lunch_shorter *sh = in->advice ? &in->advice->shorter : NULL;
	if (sh && sh->named && sh->line < n) {
		char line[QUEUE_NAME_MAX + 96];
		i18n_shorter(k->lang, queue_board_get(qb, sh->line)->name, minutes(sh->wait_s),
			     sh->walk_min, line, sizeof(line));
		y += layout_kit_wrap(k, r.x + m, y, FONT_BOLD, px(k, 24), th->text, line, w, 2,
				     true) +
		     px(k, 8);
	}
	/* pages of whole blocks, as many as fit, in the board's order */
	int avail = r.y + r.h - y, heights[ESTIMATOR_MAX_QUEUES], used = 0, pages = 0;
	size_t first[ESTIMATOR_MAX_QUEUES];
	for (size_t i = 0; i < n; i++) {
		heights[i] = block_h(k, w, queue_board_get(qb, i), advice_for(in, i));
		if (pages == 0 || used + heights[i] > avail) {
			first[pages++] = i;
			used = 0;
		}
		used += heights[i];
	}
	int page = (int)(in->page_tick % pages);
	size_t end = page + 1 < pages ? first[page + 1] : n;
	for (size_t i = first[page]; i < end; i++) {
		int h = heights[i] < r.y + r.h - y ? heights[i] : r.y + r.h - y;
		if (block_text(k, 0, 0, w, queue_board_get(qb, i), advice_for(in, i), false) > h)
			break; /* letters too large for this panel (legibility): not over the footer */
		block(k, (struct layout_rect){r.x, y, r.w, h}, queue_board_get(qb, i),
		      advice_for(in, i));
		y += h;
	}
}
