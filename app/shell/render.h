/* render: executes a draw list on an SDL renderer — a window's or a software
 * surface's for screenshots. Text is drawn from cached textures (one per
 * distinct line of text, size, font and colour), glyphs the main font lacks
 * come from a fallback font, emoji from a colour emoji font, and the whole frame can be turned for a panel
 * mounted turned. */
#ifndef VB_RENDER_H
#define VB_RENDER_H

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

#include "draw_list.h"

struct render_fonts {
	const char *regular, *bold; /* TrueType files; borrowed */
	const char *fallback;       /* for glyphs the two lack; NULL for none */
	const char *emoji;          /* colour emoji, scaled to the text; NULL for none */
};

struct render_stats {
	size_t texts_drawn, cache_hits, cache_misses, cache_bytes, cache_entries;
};

struct renderer;

/* Opens the fonts and binds to sdl (borrowed; must outlive the renderer).
 * NULL with err filled (naming the font file) on failure. Caller owns. */
struct renderer *render_create(SDL_Renderer *sdl, const struct render_fonts *fonts, char *err,
			       size_t err_cap);
void render_destroy(struct renderer *r);

/* Metrics that measure with the renderer's fonts (the fallback included);
 * valid while r lives. */
struct text_metrics render_metrics(struct renderer *r);

/* Draws dl onto the renderer's target, a panel mounted turned rotation
 * degrees clockwise as seen from its front (0, 90, 180, 270): the picture dl
 * (laid out as the viewer sees it) is turned as many degrees counter-clockwise
 * in the panel's pixels, so it stands upright once the panel is hung. Does not
 * present.
 * False with err filled when SDL fails. */
bool render_frame(struct renderer *r, const struct draw_list *dl, int rotation, char *err,
		  size_t err_cap);

/* Figures for benchmarks and DEBUG logs, since render_create. */
void render_get_stats(const struct renderer *r, struct render_stats *out);

#endif
