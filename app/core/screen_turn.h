/* screen_turn: the picture as a person in front of the mounted panel sees it,
 * against the panel's own pixels. `--size` and `orientation` describe the
 * picture as seen; `rotation` says how the panel is mounted (degrees
 * clockwise, seen from the front), so the picture is drawn turned the other
 * way in the panel's pixels. */
#ifndef VB_SCREEN_TURN_H
#define VB_SCREEN_TURN_H

#include <stdbool.h>

#include "feed_error.h"

struct kiosk_config;

struct screen_turn {
	int rotation;             /* the panel's mounting: 0, 90, 180, 270 clockwise */
	int picture_w, picture_h; /* as the viewer sees it: what layout fills */
	int panel_w, panel_h;     /* the panel's pixels: the window, the screenshot */
};

/* Works out the mounting from c's orientation, rotation and --size, and the
 * panel's pixels (panel_w, panel_h: the display's, for a full screen; 0 for a
 * window or screenshot of --size). With a panel, the picture is the panel
 * turned by the rotation; when only the orientation is given, a panel of the
 * other shape is taken as mounted turned 90° clockwise. Without, the picture
 * is --size and the panel is it turned by the rotation (0 when not given).
 * False with e naming the keys that contradict each other. */
bool screen_turn_resolve(const struct kiosk_config *c, int panel_w, int panel_h,
			 struct screen_turn *out, struct feed_error *e);

#endif
