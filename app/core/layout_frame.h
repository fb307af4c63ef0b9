/* layout_frame: what frames every screen — the header (the title, the venue
 * and floor, the date, the clock), the organizers' notices as a banner, and
 * the freshness line at the bottom. The hallway board (layout) and the door
 * screen (door_layout) both draw with it. Pure. */
#ifndef VB_LAYOUT_FRAME_H
#define VB_LAYOUT_FRAME_H

#include <stdint.h>

#include "layout.h"
#include "layout_kit.h"

/* The hallway board's title: the configured `title`, else the schedule's
 * conference name, else the configured venue (then not repeated under it),
 * else "" — never the product's name, which tells a visitor nothing.
 * Borrowed from in. */
const char *layout_frame_title(const struct layout_input *in);

/* The header band with title (borrowed; "" for none) at the left; returns
 * its height. */
int layout_frame_header(const struct layout_kit *k, const struct layout_input *in,
			const char *title);

/* The same, with the phone page's code between the title and the date when
 * it fits there whole (the panels then keep all their room); *qr_shown says
 * whether it did. */
int layout_frame_header_qr(const struct layout_kit *k, const struct layout_input *in,
			   const char *title, bool *qr_shown);

/* The notices banner at y: those for this screen now (its zones and name,
 * their start and end), one at a time, turning with the page; returns the y
 * under it (y when there is none) and how many there are in *shown (may be
 * NULL). */
int layout_frame_notices(const struct layout_kit *k, const struct layout_input *in, int y,
			 int *shown);

/* Height of the notices banner, when there is one. */
int layout_frame_notices_h(const struct layout_kit *k);

/* Height of the freshness line at the bottom. */
int layout_frame_footer_h(const struct layout_kit *k);

/* The freshness line: how fresh the schedule is, calmly when it is not, and
 * "page / pages" when pages > 1; returns its top. */
int layout_frame_footer(const struct layout_kit *k, const struct layout_input *in, int page,
			int pages);

/* The QR code to the phone page (in->mobile_qr) and its caption ("On your
 * phone"): beside, the caption at the code's left (a wide strip), else under
 * it. Modules of 5 design units, smaller for a long URL but never under 3 px,
 * the whole within max_w x max_h: its size in *w, *h, both 0 when there is no
 * code or it does not fit. Drawn with its bottom-right corner at (right,
 * bottom) when draw. */
void layout_frame_qr(const struct layout_kit *k, const struct layout_input *in, int right,
		     int bottom, int max_w, int max_h, bool beside, bool draw, int *w, int *h);

#endif
