/* room_board: how full each session room is, as this screen judges it —
 * venueboard-server's GET /v1/rooms read (capped; a body that does not read
 * is refused whole, naming the field, and the last good one stays), each
 * count judged again at the kiosk's clock with room_fill (a count the
 * server still called fresh but now older than 3 minutes here shows no
 * fill and is never FULL), a steward's mark honoured until its end, when
 * each room became full, and where to send people instead of a full room.
 * Pure. */
#ifndef VB_ROOM_BOARD_H
#define VB_ROOM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "room_fill.h"

struct kiosk_config;
struct schedule;

enum {
	ROOM_BOARD_MAX_ROOMS = 2000,           /* a schedule holds no more */
	ROOM_BOARD_MAX_BODY = 8 * 1024 * 1024, /* bytes of one answer */
	ROOM_BOARD_MAX_PEOPLE = 100000,        /* the server refuses more */
	ROOM_BOARD_NAME_MAX = 160,             /* bytes of a room's name (SCHEDULE_MAX_NAME) */
	ROOM_BOARD_ID_MAX = 160,               /* bytes of its id */
};

/* Where a full room sends people, in the order it is looked for. */
enum room_alt_kind {
	ROOM_ALT_NONE,
	ROOM_ALT_TRACK,    /* a room of the same track with seats */
	ROOM_ALT_EMPTIEST, /* the emptiest room with a session now */
	ROOM_ALT_OVERFLOW, /* the room it is streamed into (configuration) */
};

/* One room as this screen shows it, at the last room_board_update. */
struct room_view {
	const char *room;      /* its name (the schedule's spelling when it knows it) */
	struct room_fill fill; /* the count judged at the kiosk's clock */
	enum room_state state; /* the fill's, or the steward's while the mark holds */
	bool by_steward;       /* state is a steward's hand-set one */
	int64_t mark_until_ms; /* while by_steward: when the mark ends */
	int fill_pct;          /* people per seat in %, -1 unknown */
	bool counted;     /* the feed has ever had a count for it (shown: "count unavailable") */
	bool session_now; /* a session is on in it now (by the schedule) */
	int64_t full_since_ms;   /* when it became full (the server's word, else this screen's
				  * first sight), 0 when it is not full */
	const char *alternative; /* a full room: where there are seats, NULL when nowhere */
	enum room_alt_kind alt_kind;
};

struct room_board_summary {
	size_t rooms, counted, full, filling, marked;
};

struct room_board;

/* Caller owns (room_board_destroy); NULL on OOM. */
struct room_board *room_board_create(void);
void room_board_destroy(struct room_board *rb);

/* Reads a GET /v1/rooms body (or a file of the same JSON). On failure the
 * board keeps what it had and e names the field ("rooms[3].people: ...").
 * The views are stale until the next room_board_update. */
bool room_board_load(struct room_board *rb, const char *buf, size_t len,
		     struct room_board_summary *sum, struct feed_error *e);

/* True once a body has been read. */
bool room_board_loaded(const struct room_board *rb);

/* Judges every room at now_ms (the kiosk's clock): fills, steward marks,
 * since when full, the alternatives. s (the board's schedule, may be NULL)
 * gives the sessions on now and their tracks and the seats the server did
 * not; cfg the venue's seats and overflow rooms. Both are borrowed for the
 * call only. */
void room_board_update(struct room_board *rb, const struct schedule *s,
		       const struct kiosk_config *cfg, int64_t now_ms);

/* The room named name (its id, or its name with accents, case and
 * punctuation aside), NULL when the feed says nothing of it. Borrowed until
 * the next load or update. */
const struct room_view *room_board_find(const struct room_board *rb, const char *name);

size_t room_board_count(const struct room_board *rb);
const struct room_view *room_board_get(const struct room_board *rb, size_t i);

#endif
