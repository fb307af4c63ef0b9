/* schedule: the normalized conference model every feed format is read into,
 * and the builder parsers use to fill it (room merging, duplicate ids,
 * CANCELLED/AMENDMENT title markers, caps, ordering). */
#ifndef VB_SCHEDULE_H
#define VB_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct civil_zone;

/* Caps on what one feed may hold; past them a feed is refused, not cut. */
enum {
	SCHEDULE_MAX_FEED_BYTES = 64 * 1024 * 1024,
	SCHEDULE_MAX_SESSIONS = 50000,
	SCHEDULE_MAX_ROOMS = 2000,
	SCHEDULE_MAX_SPEAKERS = 64, /* per session; more are dropped with a warning */
	SCHEDULE_MAX_WARNINGS = 200,
	SCHEDULE_MAX_ID = 128,          /* bytes; longer ids are refused */
	SCHEDULE_MAX_ID_OUT = 160,      /* what we write: an id may gain a "~N" suffix */
	SCHEDULE_MAX_TITLE = 400,       /* bytes; longer titles are cut with "…" */
	SCHEDULE_MAX_NAME = 160,        /* bytes; rooms, speakers, tracks */
	SCHEDULE_MAX_CAPACITY = 100000, /* seats in one room; more is a typo */
	SCHEDULE_MAX_ARENA = 256 * 1024 * 1024,
};

enum session_status { SESSION_SCHEDULED, SESSION_CANCELLED };

struct room {
	const char *id;   /* stable slug derived from the accent-folded name */
	const char *name; /* the spelling the feed uses most */
	int capacity;     /* seats, 0 when nobody said */
};

struct session {
	const char *id;
	const char *title;
	const char *room; /* a room id, NULL when the feed names no room */
	const char *track, *type, *language, *subtitle; /* NULL when absent */
	const char **speakers;                          /* owned by the schedule's arena */
	size_t n_speakers;
	int64_t start, end; /* UTC seconds */
	enum session_status status;
	bool amended; /* the feed marked it AMENDMENT */
};

struct schedule_build;

/* Plain data once built; everything is owned by the schedule. */
struct schedule {
	const char *format; /* which reader produced it, e.g. "frab-json" */
	const char *title;
	const char *timezone;          /* IANA name, NULL when the feed has none */
	const struct civil_zone *zone; /* timezone resolved, for conversions */
	struct room *rooms;
	size_t n_rooms;
	struct session *sessions; /* sorted by start, room, id after finish */
	size_t n_sessions;
	const char **warnings; /* what was repaired while reading, in order */
	size_t n_warnings;
	size_t dropped_warnings;
	struct arena *arena;
	struct schedule_build *build; /* parse-time state, NULL after finish */
};

/* Returns an empty schedule (caller owns; free with schedule_destroy), NULL
 * on OOM. */
struct schedule *schedule_create(void);
void schedule_destroy(struct schedule *s);

/* Copies a display string into the schedule (text_clean with cap); NULL on
 * OOM. len may be SIZE_MAX for NUL-terminated s. */
const char *schedule_text(struct schedule *s, const char *str, size_t len, size_t cap);

/* Copies a session id into the schedule: bytes kept as they are but for
 * malformed UTF-8 and control characters, which are dropped (an id is never
 * made longer). NULL on OOM. */
const char *schedule_id(struct schedule *s, const char *id, size_t len);

/* Sets the conference title and zone (copied). The zone must be a known IANA
 * name; an unknown one fails naming it. */
bool schedule_set_conference(struct schedule *s, const char *title, const char *zone,
			     struct feed_error *e);

/* Returns the id of the room called name, adding it when new. Names that
 * differ only by case, accents or punctuation are one room. Returns NULL and
 * fills e past SCHEDULE_MAX_ROOMS or on OOM. The pointer is owned by s. */
const char *schedule_room(struct schedule *s, const char *name, size_t len, struct feed_error *e);

/* Sets the seats of room id (as schedule_room returned it). A value that is
 * not a whole number from 1 to SCHEDULE_MAX_CAPACITY is ignored with a
 * warning naming where (what). Of two spellings of one room, the larger. */
void schedule_room_capacity(struct schedule *s, const char *id, double seats, const char *what);

/* Appends a zeroed session and returns it for the caller to fill; valid only
 * until the next schedule_add_session. NULL and e filled past the cap. */
struct session *schedule_add_session(struct schedule *s, struct feed_error *e);

/* Adds a speaker name to sess (copied, cleaned); extra speakers past the cap
 * are dropped with a warning. */
bool schedule_add_speaker(struct schedule *s, struct session *sess, const char *name, size_t len,
			  struct feed_error *e);

/* Records a repair the reader made (printf-style); capped. */
void schedule_warn(struct schedule *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Completes the model: applies title markers, resolves duplicate ids, picks
 * room names, sorts. Fails (e filled) when a session has no id, no title or
 * ends before it starts. */
bool schedule_finish(struct schedule *s, struct feed_error *e);

/* Puts the sessions back in start, room, id order (as schedule_finish
 * leaves them) after their times were changed in place. */
void schedule_sort(struct schedule *s);

/* The end of every reader: finishes *s and, on success, hands it to *out
 * (*s becomes NULL, the caller's teardown then frees nothing). */
bool schedule_finish_into(struct schedule **s, struct schedule **out, struct feed_error *e);

/* Sets the seats of the room named name (its spelling or its id, accents
 * and case aside) to seats, as a venue's configuration says: it wins over
 * the feed's. False when the schedule has no such room. */
bool schedule_set_room_seats(struct schedule *s, const char *name, int seats);

/* The room named name (its spelling or its id, accents and case aside), or
 * NULL. Borrowed from s. */
const struct room *schedule_room_named(const struct schedule *s, const char *name);

/* The room with this id, or NULL. */
const struct room *schedule_find_room(const struct schedule *s, const char *id);

#endif
