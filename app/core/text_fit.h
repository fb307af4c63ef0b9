/* text_fit: fitting a text into a box with the renderer's metrics — wrapped
 * at spaces (and after a hyphen, slash or dash joining a word's parts) into
 * at most N lines, the last one ellipsized with "…" after a whole word; only
 * a word longer than a whole line is broken between characters. */
#ifndef VB_TEXT_FIT_H
#define VB_TEXT_FIT_H

#include <stdbool.h>
#include <stddef.h>

#include "draw_list.h"

enum { TEXT_FIT_MAX_LINES = 8 };

struct text_line {
	size_t off, len; /* bytes of the source text, or of out->ellipsized */
	bool ellipsized; /* this line's text is in out->last (it ends with "…") */
	int width;
};

struct text_fit {
	struct text_line lines[TEXT_FIT_MAX_LINES];
	int n;
	char last[512]; /* the ellipsized last line, when there is one */
};

/* Wraps s into at most max_lines lines of at most max_width pixels. */
void text_fit_wrap(const struct text_metrics *tm, enum draw_font font, int size, const char *s,
		   int max_width, int max_lines, struct text_fit *out);

/* The width of the widest piece of s that no line may break (a word, or a
 * part of one between hyphens): s fits w without a split word iff this <= w. */
int text_fit_widest_word(const struct text_metrics *tm, enum draw_font font, int size,
			 const char *s);

/* The bytes of line i (borrowed from s or from fit). */
const char *text_fit_line(const struct text_fit *fit, const char *s, int i, size_t *len);

/* Fits s on one line: copies it, or its longest prefix plus "…", into out. */
int text_fit_ellipsize(const struct text_metrics *tm, enum draw_font font, int size, const char *s,
		       size_t len, int max_width, char *out, size_t cap);

#endif
