/* room_marks: how full a room is, said on a plate — "FULL — seats in Salle
 * 243" (or shorter when the width is short), "filling · 85 %", or, where
 * there is room for it, "count unavailable" — never by colour alone. The
 * hallway board and the door screen draw them. Pure. */
#ifndef VB_ROOM_MARKS_H
#define VB_ROOM_MARKS_H

#include <stdbool.h>

#include "layout_kit.h"

struct room_view;

enum room_mark {
	ROOM_MARK_NONE,        /* nothing to say (no feed, or no count ever) */
	ROOM_MARK_FULL,        /* by count or by a steward */
	ROOM_MARK_FILLING,     /* 85 % and more */
	ROOM_MARK_OPEN,        /* a usable count below 85 % */
	ROOM_MARK_UNAVAILABLE, /* a count too old or refused: never FULL */
};

/* What v (may be NULL) says. */
enum room_mark room_marks_of(const struct room_view *v);

/* The plate of v at x, y in font size `size`, fitted to max_w: FULL with its
 * alternative (long words, else short, else FULL alone), or filling with
 * its fill; with quiet, also "count unavailable" (muted, no plate). Returns
 * the width drawn, 0 when nothing. */
int room_marks_plate(const struct layout_kit *k, int x, int y, int size, const struct room_view *v,
		     bool quiet, int max_w);

#endif
