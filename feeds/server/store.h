/* store: everything venueboard-server must not lose — schedule versions,
 * organizer changes and notices (with who and when: the audit log), and
 * accepted queue samples — in one SQLite file (WAL, synchronous FULL: an
 * acknowledged write survives a kill -9 or a power cut). */
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

/* Opens (creating) the database at path; caller owns (store_close). */
struct store *store_open(const char *path, struct feed_error *e);
void store_close(struct store *st);

/* Adds a schedule version (a normalized schedule JSON). */
bool store_put_schedule(struct store *st, const char *body, const char *who, int64_t at_ms,
			int64_t *id, struct feed_error *e);

/* The first or the latest schedule version, malloc'd (caller frees); NULL
 * when there is none (e untouched) or on error (e filled). */
char *store_schedule(struct store *st, bool first, int64_t *id, struct feed_error *e);

/* Records an organizer change or notice (body: its JSON). */
bool store_add_change(struct store *st, const char *kind, const char *body, const char *who,
		      int64_t at_ms, int64_t *id, struct feed_error *e);

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

/* Calls fn for every stored sample line received at or after since_ms. */
bool store_each_sample(struct store *st, int64_t since_ms,
		       void (*fn)(void *ctx, const char *line), void *ctx, struct feed_error *e);

#endif
