/* theme: the kiosk's colours. Every pair of text and background it uses must
 * reach WCAG AAA contrast (7:1); meaning is always also carried by a word or
 * a sign, never by colour alone. */
#ifndef VB_THEME_H
#define VB_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "draw_list.h"
#include "feed_error.h"

struct theme {
	struct draw_color background, panel, rule;
	struct draw_color text, muted;            /* on background and on panel */
	struct draw_color alert_bg, alert_text;   /* MOVED, STARTS IN, NEW */
	struct draw_color cancel_bg, cancel_text; /* CANCELLED */
	struct draw_color notice_bg, notice_text; /* organizer notices */
	struct draw_color calm_bg, calm_text;     /* offline, waiting: calm, not alarming */
	struct draw_color bar, bar_empty;         /* the wait chart (graphics: 3:1) */
};

enum { THEME_AAA_TEXT = 700 /* 7.00:1, in hundredths */, THEME_GRAPHIC = 300 };

void theme_default(struct theme *t);

/* WCAG 2 contrast ratio of two colours, in hundredths (2100 = 21:1). */
int theme_contrast(struct draw_color a, struct draw_color b);

/* Checks every pair the layout draws; false with e naming the first pair
 * that falls short and its ratio. */
bool theme_check(const struct theme *t, struct feed_error *e);

/* Sets one colour by name from "#RRGGBB" (theme files and flags). */
bool theme_set(struct theme *t, const char *name, const char *value, struct feed_error *e);

/* A stripe colour for a track name: stable, distinct between tracks, and
 * at least 3:1 against the panel (it is decoration, the name is written). */
struct draw_color theme_track_color(const struct theme *t, const char *track);

#endif
