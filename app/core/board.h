/* board: what the kiosk knows about the conference — the schedule as it is
 * now, the changes attendees must see (from the server's change list, or
 * worked out against the first version this screen saw), the organizers'
 * notices, and when this screen first saw each change. A feed that does not
 * read leaves the board as it was. */
#ifndef VB_BOARD_H
#define VB_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "schedule_diff.h"

struct schedule;
struct civil_zone;
struct fleet_identity;

enum {
	BOARD_MAX_NOTICES = 64, /* kept (most target some screens only) */
	BOARD_MAX_CHANGES = 5000,
	BOARD_NOTICE_MAX = 280,
	BOARD_MAX_TARGETS = 256, /* zones or screens one notice names */
};

/* An organizer's notice: for every screen, or only those of its zones and
 * those it names; from start to end, or always. */
struct board_notice {
	const char *text;
	const char **zones, **screens; /* arena strings */
	size_t n_zones, n_screens;     /* both 0: every screen */
	int64_t start_ms, end_ms;      /* 0: open on that side */
};

struct board_change {
	enum change_kind kind;
	const char *session, *title;
	const char *from_room, *to_room; /* room names; NULL when none */
	int64_t from_start, to_start;    /* UTC seconds; 0 when that side is absent */
	int64_t seen_ms;                 /* when this screen first saw it; 0 = since start-up */
};

struct board {
	struct schedule *schedule;    /* NULL until a feed has been read; owned */
	struct board_change *changes; /* ordered as the feed gives them */
	size_t n_changes;
	struct board_notice notices[BOARD_MAX_NOTICES];
	size_t n_notices;
	int64_t version;               /* the server's schedule version, -1 when none */
	bool server_changes;           /* the change list came with the feed */
	const struct civil_zone *zone; /* the conference's, NULL = UTC */
	const char *zone_name;
	struct arena *arena;       /* changes' and notices' strings */
	struct schedule *baseline; /* what changes are measured against, owned */
};

struct board_summary {
	size_t sessions, rooms, changes, new_changes, notices;
};

/* Caller owns (board_destroy); NULL on OOM. */
struct board *board_create(void);
void board_destroy(struct board *b);

/* Reads a schedule feed (any supported format; venueboard-server's
 * /v1/schedule brings its change list and notices with it). timezone (may
 * be NULL) is used when the feed's times carry no zone and names the
 * conference zone when the feed names none. Changes not seen before are
 * stamped now_ms. On failure the board is unchanged and e says why. */
bool board_load(struct board *b, const char *buf, size_t len, const char *timezone, int64_t now_ms,
		struct board_summary *sum, struct feed_error *e);

/* Sets the version that changes are measured against for feeds that bring
 * no change list (a plain schedule.xml): the first one this screen saw. */
bool board_set_baseline(struct board *b, const char *buf, size_t len, const char *timezone,
			struct feed_error *e);

/* Whether notice n is for the screen who (NULL or unnamed: a screen the
 * server has not named yet sees only notices for every screen) at now_ms. */
bool board_notice_shown(const struct board_notice *n, const struct fleet_identity *who,
			int64_t now_ms);

/* The change concerning session id, NULL when none. */
const struct board_change *board_change_for(const struct board *b, const char *session);

#endif
