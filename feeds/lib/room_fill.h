/* room_fill: how full a session room is, from the latest count of its
 * camera or zone sensor (contracts section 1, type room) against its seats
 * — and when that count must not be trusted (too old, absurd). The server's
 * GET /v1/rooms and the kiosk judge alike with it. Pure. */
#ifndef VB_ROOM_FILL_H
#define VB_ROOM_FILL_H

#include <stdbool.h>
#include <stdint.h>

enum room_state { ROOM_OPEN, ROOM_FILLING, ROOM_FULL };

enum {
	ROOM_COUNT_STALE_S = 180, /* an older count says nothing of the room now */
	ROOM_FILLING_PCT = 85,    /* from this fill a room is filling */
};

/* A room's latest count: have false before any. capacity is the seats the
 * sensor reported with it, 0 when it said none. */
struct room_count {
	bool have;
	int people, capacity;
	int64_t t_ms;
};

struct room_fill {
	enum room_state state; /* open unless a usable count says otherwise */
	bool usable;           /* the count may be shown */
	int people;            /* the count, when usable */
	int capacity;          /* seats, 0 when nobody said */
	double fill;           /* people / capacity; -1 unknown (no count, no seats) */
	const char *why;       /* static: why there is no fill, "" when there is */
};

/* Judges a room at now_ms from its latest count c and its seats (the
 * schedule's or the configuration's, 0 when none: the sensor's then). */
void room_fill_judge(const struct room_count *c, int seats, int64_t now_ms, struct room_fill *out);

/* "open", "filling", "full". */
const char *room_state_name(enum room_state s);

/* ROOM_OPEN etc. from its name; false when it is none of them. */
bool room_state_parse(const char *name, enum room_state *out);

#endif
