/* store: everything venueboard-server must not lose, in one SQLite file
 * (WAL, synchronous FULL: an acknowledged write survives a kill -9 or a
 * power cut), whose PRAGMA user_version says its schema (STORE_SCHEMA_VERSION).
 * Its tables:
 *   schedule_versions  each published schedule (normalized JSON), who, when
 *   changes            the audit log: organizer changes and notices, and the
 *                      changes of kind room, alert and rollout; who, when,
 *                      and who undid it when
 *   samples            accepted queue and room sample lines (indexed by when
 *                      stored and by the line's own time, samples_at/_t)
 *   screens            each screen's latest heartbeat and thumbnail
 *   probe              one row /healthz rewrites to learn that writes work
 *   alert_seen         when each screen first confirmed showing each alert
 *   bundles            uploaded update bundles (the files are the caller's)
 *   rollout_running    when each screen first ran each version in a rollout */
#ifndef VB_STORE_H
#define VB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct store;

struct stored_change {
	int64_t id, at_ms;
	const char *who, *kind, *body; /* borrowed for the callback's duration */
	bool undone;
};

struct stored_sample {
	int64_t id;       /* stored order */
	const char *line; /* borrowed for the callback's duration */
	bool by_time;     /* from the time-ordered part of store_each_sample_from */
};

struct stored_screen {
	const char *name; /* borrowed for the callback's duration */
	int64_t last_seen_ms;
	const char *fields; /* the heartbeat's fields, a JSON object; borrowed likewise */
	bool has_thumbnail;
};

/* The schema version this program writes (the file's PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 1

/* Opens (creating) the database at path; caller owns (store_close). The
 * file and its journal are made readable by their owner only. A new file
 * gets the schema at STORE_SCHEMA_VERSION; an older one is migrated step by
 * step in one transaction (all steps or none); one with a newer (or
 * negative) version is refused untouched, e naming the file and both
 * versions. */
struct store *store_open(const char *path, struct feed_error *e);

/* What store_open found and did, for the caller's log: the file's schema
 * version before (0 for a new file) and after, and whether it was new (had
 * no tables). */
struct store_schema_change {
	int from, to;
	bool created;
};
void store_schema_change(const struct store *st, struct store_schema_change *out);

/* Opens the database at path for reading only (one per thread that reads
 * beside the writer); caller owns (store_close). */
struct store *store_open_reader(const char *path, struct feed_error *e);

/* Writes to the database (one row, fsync'd) to learn whether writes work:
 * a full disk or a read-only file system fail here. */
bool store_probe(struct store *st, int64_t now_ms, struct feed_error *e);
void store_close(struct store *st);

/* Adds schedule version id (a normalized schedule JSON). The caller picks
 * the id (the next one): it has built what the version serves before
 * storing it. Fails when id is taken. */
bool store_put_schedule(struct store *st, int64_t id, const char *body, const char *who,
			int64_t at_ms, struct feed_error *e);

/* The first or the latest schedule version, malloc'd (caller frees); NULL
 * when there is none (e untouched) or on error (e filled). */
char *store_schedule(struct store *st, bool first, int64_t *id, struct feed_error *e);

/* Records organizer change or notice id (body: its JSON); the id as for
 * store_put_schedule. */
bool store_add_change(struct store *st, int64_t id, const char *kind, const char *body,
		      const char *who, int64_t at_ms, struct feed_error *e);

/* Marks change id undone (by who, at). False, saying why, when there is no
 * such change or it is already undone. */
bool store_undo_change(struct store *st, int64_t id, const char *who, int64_t at_ms,
		       struct feed_error *e);

/* Calls fn for every change in order. */
bool store_each_change(struct store *st, void (*fn)(void *ctx, const struct stored_change *c),
		       void *ctx, struct feed_error *e);

/* Adds sample lines in one transaction: all or none. */
bool store_add_samples(struct store *st, const char *const *lines, size_t n, const char *who,
		       int64_t at_ms, struct feed_error *e);

/* Through the index on sample time ("t"): calls fn first for every stored line
 * whose time SQLite does not read (queue declarations; spellings such as
 * 20141106T120015Z or +0100), in stored order, then (by_time) for every line
 * whose time SQLite reads as at or after from_ms, in time order. A superset:
 * SQLite's reading may differ from queue_sample_parse's by a millisecond, so
 * the caller filters. fn returns false to stop early. */
bool store_each_sample_from(struct store *st, int64_t from_ms,
			    bool (*fn)(void *ctx, const struct stored_sample *s), void *ctx,
			    struct feed_error *e);

/* Replaces screen name's heartbeat (one row per screen): when it was seen,
 * its fields (JSON text) and its thumbnail (PNG bytes, borrowed; NULL when
 * the heartbeat had none, which clears the previous one). */
bool store_put_screen(struct store *st, const char *name, int64_t seen_ms, const char *fields,
		      const void *png, size_t png_len, struct feed_error *e);

/* Calls fn for every screen's latest heartbeat, by name. */
bool store_each_screen(struct store *st, void (*fn)(void *ctx, const struct stored_screen *s),
		       void *ctx, struct feed_error *e);

/* Screen name's thumbnail into *png (malloc'd, caller frees) and *len; *png
 * is NULL when there is none (e untouched). False on a database error. */
bool store_screen_thumbnail(struct store *st, const char *name, unsigned char **png, size_t *len,
			    struct feed_error *e);

/* A screen's first confirmation that it shows alert id (kept once). */
bool store_alert_seen(struct store *st, int64_t alert, const char *screen, int64_t at_ms,
		      struct feed_error *e);

struct stored_alert_seen {
	int64_t alert, at_ms;
	const char *screen; /* borrowed for the callback's duration */
};

/* Calls fn for every confirmation, oldest first. */
bool store_each_alert_seen(struct store *st,
			   void (*fn)(void *ctx, const struct stored_alert_seen *s), void *ctx,
			   struct feed_error *e);

/* An uploaded bundle (its file is the caller's). */
struct stored_bundle {
	char name[65], sha256[65], who[65];
	uint64_t size;
	int64_t at_ms;
};
bool store_add_bundle(struct store *st, const char *name, uint64_t size, const char *sha256,
		      const char *who, int64_t at_ms, struct feed_error *e);
/* Bundle name into *out; false when there is none (e untouched) or on error. */
bool store_bundle(struct store *st, const char *name, struct stored_bundle *out,
		  struct feed_error *e);
bool store_each_bundle(struct store *st, void (*fn)(void *ctx, const struct stored_bundle *b),
		       void *ctx, struct feed_error *e);

/* When screen first ran version during a rollout (kept once). */
bool store_rollout_running(struct store *st, const char *screen, const char *version, int64_t at_ms,
			   struct feed_error *e);
struct stored_rollout_running {
	const char *screen, *version; /* borrowed for the callback's duration */
	int64_t at_ms;
};
bool store_each_rollout_running(struct store *st,
				void (*fn)(void *ctx, const struct stored_rollout_running *r),
				void *ctx, struct feed_error *e);

#endif
