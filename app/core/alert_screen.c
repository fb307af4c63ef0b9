/* alert_screen: the text's size is searched from very large down; a size
 * is taken only when the words fit whole (none broken, none cut). */
#include "alert_screen.h"

#include "fleet_state.h"
#include "i18n.h"
#include "text_fit.h"

#include <stdio.h>
#include <string.h>

enum { OLDER_LINES = 2 };

/* Whether s fits w x h at size: no word wider than w, no line cut. */
static bool fits(const struct layout_kit *k, const char *s, int size, int w, int h)
{
	int lh = layout_kit_line_h(k, FONT_BOLD, size);
	for (const char *p = s; *p;) {
		size_t n = strcspn(p, " ");
		if (n && k->tm->width(k->tm->ctx, FONT_BOLD, size, p, n) > w)
			return false;
		p += n + (p[n] == ' ');
	}
	struct text_fit fit;
	text_fit_wrap(k->tm, FONT_BOLD, size, s, w, TEXT_FIT_MAX_LINES, &fit);
	return fit.n > 0 && !fit.lines[fit.n - 1].ellipsized && fit.n * lh <= h;
}

/* The largest size from 220 design units down at which s fits; the
 * smallest (cut) when none does. */
static int largest(const struct layout_kit *k, const char *s, int w, int h)
{
	double units = 220;
	for (; units > 30; units *= 0.9)
		if (fits(k, s, layout_kit_px(k, units), w, h))
			return layout_kit_px(k, units);
	return layout_kit_px(k, 30);
}

/* An older alert: "10:01 — text" on at most two lines; returns its height. */
static int older(const struct layout_kit *k, int x, int y, int w, const struct fleet_alert *a,
		 bool clock_ok, bool draw)
{
	char line[FLEET_ALERT_MAX + 32], t[8];
	if (clock_ok && a->at_ms) {
		layout_kit_hhmm(k, a->at_ms / 1000, t);
		snprintf(line, sizeof(line), "%s — %s", t, a->text);
	} else {
		snprintf(line, sizeof(line), "%s", a->text);
	}
	return layout_kit_wrap(k, x, y, FONT_BOLD, layout_kit_px(k, 44), k->th->cancel_text, line,
			       w, OLDER_LINES, draw);
}

size_t alert_screen_build(const struct layout_kit *k, int width, int height,
			  const struct fleet_alert *alerts, size_t n, bool clock_ok)
{
	const struct theme *th = k->th;
	draw_list_reset(k->dl, width, height, th->cancel_bg);
	int m = layout_kit_px(k, 48), gap = layout_kit_px(k, 28), w = width - 2 * m;
	/* the plate, and since when */
	int psize = layout_kit_px(k, 80);
	int pw = layout_kit_badge(k, m, m, psize, th->alert_bg, th->alert_text,
				  i18n_text(k->lang, MSG_ALERT), w);
	char since[64] = "", t[8];
	if (clock_ok && alerts[0].at_ms) {
		layout_kit_hhmm(k, alerts[0].at_ms / 1000, t);
		i18n_since(k->lang, t, since, sizeof(since));
		int ssize = layout_kit_px(k, 44);
		int sw = layout_kit_measure(k, FONT_BOLD, ssize, since);
		int sy = m + (layout_kit_line_h(k, FONT_BOLD, psize) -
			      layout_kit_line_h(k, FONT_BOLD, ssize)) /
				     2;
		if (sw <= w - pw - gap)
			layout_kit_text(k, width - m - sw, sy, FONT_BOLD, ssize, th->cancel_text,
					since, sw);
	}
	int top = m + layout_kit_line_h(k, FONT_BOLD, psize) + gap, bottom = height - m;
	/* the older ones: under the newest, at most a third of the height */
	size_t shown = 1, more = 0;
	int older_h = 0, budget = (bottom - top) / 3;
	for (size_t i = 1; i < n; i++) {
		int h = older(k, m, 0, w, &alerts[i], clock_ok, false) + gap / 2;
		if (older_h + h > budget) {
			more = n - i;
			break;
		}
		older_h += h;
		shown++;
	}
	char more_text[48] = "";
	int more_h = 0;
	if (more) {
		i18n_more(k->lang, (int)more, more_text, sizeof(more_text));
		more_h = layout_kit_line_h(k, FONT_REGULAR, layout_kit_px(k, 36));
	}
	int rule = shown > 1 || more ? gap : 0;
	int main_h = bottom - top - older_h - more_h - rule;
	int size = largest(k, alerts[0].text, w, main_h);
	int lines = main_h / layout_kit_line_h(k, FONT_BOLD, size); /* past the smallest: cut */
	lines = lines < 1 ? 1 : lines > TEXT_FIT_MAX_LINES ? TEXT_FIT_MAX_LINES : lines;
	layout_kit_wrap(k, m, top, FONT_BOLD, size, th->cancel_text, alerts[0].text, w, lines,
			true);
	int y = top + main_h + rule;
	if (rule)
		draw_list_rect(k->dl, m, y - rule / 2, w, layout_kit_px(k, 3), th->cancel_text);
	for (size_t i = 1; i < shown; i++)
		y += older(k, m, y, w, &alerts[i], clock_ok, true) + gap / 2;
	if (more)
		layout_kit_text(k, m, y, FONT_REGULAR, layout_kit_px(k, 36), th->cancel_text,
				more_text, w);
	return shown;
}
