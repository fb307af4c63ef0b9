/* room_fill: a count too old or beyond reason gives no fill, never FULL: a
 * screen that sends people away from a room with seats is worse than one
 * that says nothing. */
#include "room_fill.h"

#include <string.h>

static const char *const names[] = {"open", "filling", "full"};

/* More than this many times the seats (plus a few standing) is no count
 * but a sensor fault: a room's doors and walls hold only so many. */
static const double ABSURD_FACTOR = 2.0;
static const int ABSURD_SLACK = 10;

void room_fill_judge(const struct room_count *c, int seats, int64_t now_ms, struct room_fill *out)
{
	memset(out, 0, sizeof(*out));
	out->state = ROOM_OPEN;
	out->fill = -1;
	out->capacity = seats > 0 ? seats : c->have ? c->capacity : 0;
	if (!c->have) {
		out->why = "no count";
		return;
	}
	if (now_ms - c->t_ms > ROOM_COUNT_STALE_S * 1000LL) {
		out->why = "count unavailable: older than 3 minutes";
		return;
	}
	if (c->t_ms - now_ms > ROOM_COUNT_STALE_S * 1000LL) {
		out->why = "count unavailable: dated ahead of the clock";
		return;
	}
	if (out->capacity > 0 && c->people > ABSURD_FACTOR * out->capacity + ABSURD_SLACK) {
		out->why = "count refused: more than twice the seats (a sensor fault?)";
		return;
	}
	out->usable = true;
	out->people = c->people;
	if (out->capacity <= 0) {
		out->why = "no capacity known: people only";
		return;
	}
	out->fill = (double)c->people / out->capacity;
	out->why = "";
	if (c->people >= out->capacity)
		out->state = ROOM_FULL;
	else if (c->people * 100 >= ROOM_FILLING_PCT * out->capacity)
		out->state = ROOM_FILLING;
}

const char *room_state_name(enum room_state s)
{
	return s <= ROOM_FULL ? names[s] : "open";
}

bool room_state_parse(const char *name, enum room_state *out)
{
	for (int k = 0; name && k <= ROOM_FULL; k++)
		if (strcmp(name, names[k]) == 0) {
			*out = (enum room_state)k;
			return true;
		}
	return false;
}
