/* layout_check: what the layout tests look at in a draw list — fixed-width
 * metrics standing in for the fonts, the screen sizes every layout is tried
 * at, finding texts, and the geometry check (every text inside the screen,
 * none over another). */
#ifndef VB_LAYOUT_CHECK_H
#define VB_LAYOUT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "draw_list.h"

struct board;
struct kiosk_config;
struct room_board;
struct schedule;

/* 1920x1080, 3840x2160, 1080x1920 (portrait), 1280x720 */
struct layout_check_size {
	int w, h;
};
enum { LAYOUT_CHECK_SIZES = 4 };
extern const struct layout_check_size layout_check_sizes[LAYOUT_CHECK_SIZES];

/* Half the size per character, lines 5/4 of the size. */
struct text_metrics layout_check_metrics(void);

/* Text of op i, NULL for a rectangle (borrowed from dl). */
const char *layout_check_text(const struct draw_list *dl, size_t i);

/* Index of the first text op containing needle at or after from, or SIZE_MAX. */
size_t layout_check_find(const struct draw_list *dl, const char *needle, size_t from);

/* Index of the first text op starting with prefix, or SIZE_MAX. */
size_t layout_check_find_prefix(const struct draw_list *dl, const char *prefix);

/* Fails the test (printing the frame) when no text holds needle. */
void layout_check_expect(const struct draw_list *dl, const char *needle, const char *where);

/* Texts outside the screen or over another, printed (the first ones);
 * returns how many. */
int layout_check_geometry(const struct draw_list *dl, const char *where, int64_t tick);

/* The frame of cfg and b at w x h and now_ms into dl (made here: caller
 * draw_list_finish), the feed as f says (NULL: 20 s old), with the QR code
 * q (NULL: none); the draw list must not overflow. */
struct layout_feed;
struct qr_code;
void layout_check_frame(const struct kiosk_config *cfg, const struct board *b, int w, int h,
			int64_t now_ms, const struct layout_feed *f, const struct qr_code *q,
			struct draw_list *dl);

/* The demo summit on b as a screen sees it: the printed programme first,
 * Wednesday's version arriving at seen_ms. Fails the test when it does not
 * load. */
void layout_check_demo(struct board *b, int64_t seen_ms);

/* A room board read from tests/data/<rel> and judged at now_ms with s and
 * cfg (both may be NULL). Caller owns (room_board_destroy). */
struct room_board *layout_check_rooms(const char *rel, const struct schedule *s,
				      const struct kiosk_config *cfg, int64_t now_ms);

#endif
