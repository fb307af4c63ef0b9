/* draw_list: what one frame shows, as plain data — filled rectangles and
 * lines of text with their font, size and colour. Layout builds it without a
 * display; the renderer only executes it; its hash tells whether a frame
 * changed at all. */
#ifndef VB_DRAW_LIST_H
#define VB_DRAW_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum draw_font { FONT_REGULAR, FONT_BOLD, FONT_COUNT };

struct draw_color {
	uint8_t r, g, b;
};

enum draw_kind { DRAW_RECT, DRAW_TEXT };

struct draw_op {
	enum draw_kind kind;
	int x, y, w, h; /* rect: the area; text: top-left of the line box, w = its
			 * measured width, h = the font's line height */
	struct draw_color color;
	/* text only: bytes [text_off, text_off + text_len) of the list's strings */
	size_t text_off, text_len;
	int size_px; /* font size in pixels */
	enum draw_font font;
};

enum { DRAW_LIST_MAX_OPS = 20000, DRAW_LIST_MAX_TEXT = 1 << 20 };

struct draw_list {
	int width, height; /* the logical screen the list was laid out for */
	struct draw_color background;
	struct draw_op *ops;
	size_t n, cap;
	char *strings; /* every text, NUL-separated */
	size_t str_len, str_cap;
	bool overflow; /* an op was dropped at a cap: the frame is incomplete */
};

/* Caller owns the memory of dl: draw_list_init, then draw_list_finish. */
void draw_list_init(struct draw_list *dl, int width, int height, struct draw_color bg);
void draw_list_finish(struct draw_list *dl);

/* Empties the list for the next frame, keeping its buffers. */
void draw_list_reset(struct draw_list *dl, int width, int height, struct draw_color bg);

/* Appends a filled rectangle; empty or off-screen ones are skipped. */
void draw_list_rect(struct draw_list *dl, int x, int y, int w, int h, struct draw_color c);

/* Appends one line of text (copied; len may be SIZE_MAX for NUL-terminated),
 * with its measured width w and line height h. */
void draw_list_text(struct draw_list *dl, int x, int y, int w, int h, enum draw_font font,
		    int size_px, struct draw_color c, const char *text, size_t len);

/* The text of op (NUL-terminated, borrowed from dl). */
const char *draw_list_text_of(const struct draw_list *dl, const struct draw_op *op);

/* A 64-bit hash of everything that reaches the screen: equal hashes mean
 * nothing visible changed. */
uint64_t draw_list_hash(const struct draw_list *dl);

/* Every text of the frame in drawing order, one per line, for logs and tests;
 * caller frees. NULL on OOM. */
char *draw_list_texts(const struct draw_list *dl);

/* How text is measured: the renderer's fonts on screen, a fixed-width stand-in
 * in tests. Widths in pixels of the UTF-8 s[0..len). */
struct text_metrics {
	void *ctx;
	int (*width)(void *ctx, enum draw_font font, int size_px, const char *s, size_t len);
	int (*line_height)(void *ctx, enum draw_font font, int size_px);
};

#endif
