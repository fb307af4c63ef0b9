/* layout_kit: thin on purpose — the measuring is text_fit's, the drawing
 * draw_list's; this only fixes the units and the clock. */
#include "layout_kit.h"

#include "civil_time.h"
#include "schedule.h"
#include "text_fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double layout_kit_units(int w, int h, int min_px, int smallest)
{
	double u = (w < h ? w : h) / 1080.0;
	/* half a pixel over: px() rounds, and must not round under min_px */
	if (min_px > 0 && smallest > 0 && lround(smallest * u) < min_px)
		u = (min_px + 0.5) / smallest;
	return u;
}

int layout_kit_px(const struct layout_kit *k, double units)
{
	return (int)lround(units * k->u);
}

int layout_kit_line_h(const struct layout_kit *k, enum draw_font f, int size)
{
	return k->tm->line_height(k->tm->ctx, f, size);
}

int layout_kit_measure(const struct layout_kit *k, enum draw_font f, int size, const char *s)
{
	size_t n = strlen(s);
	return n ? k->tm->width(k->tm->ctx, f, size, s, n) : 0;
}

int layout_kit_text(const struct layout_kit *k, int x, int y, enum draw_font f, int size,
		    struct draw_color col, const char *s, int max_w)
{
	char buf[1024];
	int w = text_fit_ellipsize(k->tm, f, size, s, strlen(s), max_w, buf, sizeof(buf));
	draw_list_text(k->dl, x, y, w, layout_kit_line_h(k, f, size), f, size, col, buf, SIZE_MAX);
	return w;
}

int layout_kit_wrap(const struct layout_kit *k, int x, int y, enum draw_font f, int size,
		    struct draw_color col, const char *s, int max_w, int max_lines, bool draw)
{
	struct text_fit fit;
	text_fit_wrap(k->tm, f, size, s, max_w, max_lines, &fit);
	int lh = layout_kit_line_h(k, f, size);
	for (int i = 0; draw && i < fit.n; i++) {
		size_t len;
		const char *l = text_fit_line(&fit, s, i, &len);
		draw_list_text(k->dl, x, y + i * lh, fit.lines[i].width, lh, f, size, col, l, len);
	}
	return fit.n * lh;
}

int layout_kit_badge(const struct layout_kit *k, int x, int y, int size, struct draw_color bg,
		     struct draw_color fg, const char *s, int max_w)
{
	int pad = layout_kit_px(k, 8), h = layout_kit_line_h(k, FONT_BOLD, size);
	char buf[512];
	int w = text_fit_ellipsize(k->tm, FONT_BOLD, size, s, strlen(s), max_w - 2 * pad, buf,
				   sizeof(buf));
	draw_list_rect(k->dl, x, y, w + 2 * pad, h, bg);
	draw_list_text(k->dl, x + pad, y, w, h, FONT_BOLD, size, fg, buf, SIZE_MAX);
	return w + 2 * pad;
}

void layout_kit_local(const struct layout_kit *k, int64_t t_s, struct civil *out)
{
	civil_from_utc_in(t_s, k->zone, out);
}

void layout_kit_hhmm(const struct layout_kit *k, int64_t t_s, char out[8])
{
	struct civil l;
	layout_kit_local(k, t_s, &l);
	snprintf(out, 8, "%02d:%02d", l.hour % 100, l.minute % 100);
}

void layout_kit_speakers(const struct session *s, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; s && i < s->n_speakers && o + 1 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", s->speakers[i]);
	if (s && s->track && *s->track && o + 1 < cap)
		snprintf(out + o, cap - o, "%s%s", o ? " · " : "", s->track);
}
