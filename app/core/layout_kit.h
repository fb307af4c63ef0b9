/* layout_kit: what every part of the screen draws with — sizes in design
 * units (a 1080th of the short side, so one design reads the same on 1080p,
 * 4K and portrait), one line of text cut with "…", text wrapped into a few
 * lines, words on plates, clock times in the conference's zone. Shared by
 * layout and its panels; pure like them. */
#ifndef VB_LAYOUT_KIT_H
#define VB_LAYOUT_KIT_H

#include <stdbool.h>
#include <stdint.h>

#include "draw_list.h"
#include "i18n.h"
#include "theme.h"

struct civil;
struct civil_zone;
struct session;

struct layout_kit {
	const struct text_metrics *tm; /* borrowed, as are the rest */
	const struct theme *th;
	enum lang lang;
	struct draw_list *dl;          /* where the ops go */
	double u;                      /* pixels per design unit */
	const struct civil_zone *zone; /* the conference's, NULL = UTC */
};

struct layout_rect {
	int x, y, w, h;
};

/* Pixels per design unit on a w x h screen: a 1080th of the short side, or
 * more when the smallest text (smallest units) would be under min_px. */
double layout_kit_units(int w, int h, int min_px, int smallest);

/* design units to pixels */
int layout_kit_px(const struct layout_kit *k, double units);
int layout_kit_line_h(const struct layout_kit *k, enum draw_font f, int size);
int layout_kit_measure(const struct layout_kit *k, enum draw_font f, int size, const char *s);

/* One line of text, cut with "…" to max_w; returns its width. */
int layout_kit_text(const struct layout_kit *k, int x, int y, enum draw_font f, int size,
		    struct draw_color col, const char *s, int max_w);

/* s wrapped at spaces into at most max_lines lines of max_w, the last cut
 * with "…"; returns the height drawn. With draw false, only measures. */
int layout_kit_wrap(const struct layout_kit *k, int x, int y, enum draw_font f, int size,
		    struct draw_color col, const char *s, int max_w, int max_lines, bool draw);

/* A word on a coloured plate (MOVED → …, CANCELLED, NEW); returns its width. */
int layout_kit_badge(const struct layout_kit *k, int x, int y, int size, struct draw_color bg,
		     struct draw_color fg, const char *s, int max_w);

/* The wall-clock time of UTC second t_s in the conference's zone. */
void layout_kit_local(const struct layout_kit *k, int64_t t_s, struct civil *out);
/* ... as "12:40" */
void layout_kit_hhmm(const struct layout_kit *k, int64_t t_s, char out[8]);

/* Who speaks and the track: "Ana, Bo · Storage" ("" for NULL). */
void layout_kit_speakers(const struct session *s, char *out, size_t cap);

#endif
