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

/* Whether the door's blocks (nothing on now, nothing next: the least they
 * say) fit their parts of the screen with every text at least
 * in->min_text_px. Draws into scratch. */
bool door_layout_fits(const struct layout_input *in, struct draw_list *scratch);

#endif
