/* door_layout: the screen beside one room's door (`layout room`, the first
 * `room` of the configuration) — the session on now in large type, how
 * full the room is (FULL with where there are seats instead, filling, or
 * that the count is unavailable), a countdown to the next session and the
 * two after it; landscape or portrait, every text fitted. Pure, like
 * layout, which hands it the same input. */
#ifndef VB_DOOR_LAYOUT_H
#define VB_DOOR_LAYOUT_H

#include "layout.h"

void door_layout_build(const struct layout_input *in, struct draw_list *dl,
		       struct layout_result *res);

#endif
