/* room_feed: the session rooms' fill in the shell — the fetch of
 * venueboard-server's /v1/rooms (or a file of the same JSON), each body
 * into the room board (a body that does not read is logged and changes
 * nothing), the rooms judged at every frame, and an INFO line when what a
 * shown room says changes (FULL and where to go instead, filling, open, the
 * count unavailable). */
#ifndef VB_ROOM_FEED_H
#define VB_ROOM_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"

struct fetcher;
struct kiosk_config;
struct room_board;
struct schedule;

struct room_feed;

/* cfg is borrowed for the feed's life. Caller owns (room_feed_destroy);
 * NULL on OOM. */
struct room_feed *room_feed_create(const struct kiosk_config *cfg, enum log_level log);
void room_feed_destroy(struct room_feed *r);

/* Adds the rooms' fetch to f (borrowed for the feed's life); true when there
 * is none to add (no rooms-url). */
bool room_feed_start(struct room_feed *r, struct fetcher *f);

/* Takes the fetch's result if one came (never blocks): true when one did. */
bool room_feed_take(struct room_feed *r);

/* Judges the rooms at now_ms with the board's schedule s (NULL when none);
 * logs what changed. */
void room_feed_frame(struct room_feed *r, const struct schedule *s, int64_t now_ms);

/* For layout, borrowed: NULL when the screen shows no room fill. */
const struct room_board *room_feed_board(const struct room_feed *r);

#endif
