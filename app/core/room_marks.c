/* room_marks: the longest words that fit, so a narrow column still names the
 * room to go to. */
#include "room_marks.h"

#include "i18n.h"
#include "room_board.h"

#include <stdio.h>

enum room_mark room_marks_of(const struct room_view *v)
{
	if (!v)
		return ROOM_MARK_NONE;
	if (v->state == ROOM_FULL)
		return ROOM_MARK_FULL;
	if (v->state == ROOM_FILLING)
		return ROOM_MARK_FILLING;
	if (v->fill.usable && v->fill_pct >= 0)
		return ROOM_MARK_OPEN;
	return v->counted && !v->fill.usable ? ROOM_MARK_UNAVAILABLE : ROOM_MARK_NONE;
}

int room_marks_plate(const struct layout_kit *k, int x, int y, int size, const struct room_view *v,
		     bool quiet, int max_w)
{
	const struct theme *th = k->th;
	char words[3][400];
	int n = 0;
	switch (room_marks_of(v)) {
	case ROOM_MARK_FULL:
		if (v->alternative) {
			i18n_full_go(k->lang, v->alternative, true, words[n++], sizeof(words[0]));
			i18n_full_go(k->lang, v->alternative, false, words[n++], sizeof(words[0]));
		}
		snprintf(words[n++], sizeof(words[0]), "%s", i18n_text(k->lang, MSG_FULL));
		break;
	case ROOM_MARK_FILLING:
		if (v->fill_pct >= 0)
			i18n_filling(k->lang, v->fill_pct, words[n++], sizeof(words[0]));
		break;
	case ROOM_MARK_UNAVAILABLE:
		if (quiet)
			return layout_kit_text(k, x, y, FONT_REGULAR, size, th->muted,
					       i18n_text(k->lang, MSG_COUNT_UNAVAILABLE), max_w);
		return 0;
	default: return 0;
	}
	if (!n)
		return 0;
	int pad = layout_kit_px(k, 8), pick = n - 1;
	for (int i = 0; i < n - 1; i++)
		if (layout_kit_measure(k, FONT_BOLD, size, words[i]) + 2 * pad <= max_w) {
			pick = i;
			break;
		}
	bool full = room_marks_of(v) == ROOM_MARK_FULL;
	return layout_kit_badge(k, x, y, size, full ? th->cancel_bg : th->alert_bg,
				full ? th->cancel_text : th->alert_text, words[pick], max_w);
}
