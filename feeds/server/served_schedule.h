/* served_schedule: the schedule as kiosks get it — the latest published
 * version with the journal's live changes applied, its change list against
 * the first version, and the notices. A change is applied to a copy of
 * what is served and the result must read back as a schedule before it is
 * stored; a stored change that cannot apply (one written by an older
 * server) is skipped, and said so, rather than keep the server from
 * starting. Other resources read it through the functions below. */
#ifndef VB_SERVED_SCHEDULE_H
#define VB_SERVED_SCHEDULE_H

#include "feed.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

struct api;
struct blob;
struct journal_entry;
struct schedule;

/* What one schedule version and the live changes on it make. */
struct sched_view {
	cJSON *effective; /* the version with the live changes applied */
	cJSON *notices;   /* the live notices */
	cJSON *skipped;   /* change id (text) -> why it could not apply */
	struct blob *doc; /* GET /v1/schedule */
	char etag[24];
	int64_t n_sessions;
	struct schedule *model; /* what is served, read; owned */
};

struct sched_state {
	struct schedule *first; /* the first version: the change list is against it */
	int64_t version;        /* id of the latest version, 0 before any */
	cJSON *base;            /* the latest version, normalized */
	struct sched_view cur;  /* what is served */
};

/* Reads the stored versions and applies the journal (loaded first); the
 * initial feed is published when nothing is stored. */
bool served_load(struct api *api, const char *initial_feed, size_t initial_len, int64_t now_ms,
		 struct feed_error *e);
void served_free(struct api *api);
/* The configuration was read again: rebuilt with its seats (a failure
 * keeps what is served, and says so at WARN). */
void served_reconfigured(struct api *api);
/* Publishes a new version from a feed in any format: *status 201 (and
 * *version, *sessions), 422 when it does not read, 500 when not stored. */
int served_publish(struct api *api, const char *feed, size_t len, const char *who, int64_t now_ms,
		   int64_t *version, size_t *sessions, char *why, size_t cap);

/* The next view with entry x (a session change or a notice) applied to
 * what is served, built and read back: false with *status (422, 500) and
 * why when it cannot be. */
bool served_try(struct api *api, const struct journal_entry *x, struct sched_view *next,
		int *status, char *why, size_t cap);
/* All the live changes applied again to the latest version (after an
 * undo): false with why when the result does not read. */
bool served_replay(struct api *api, struct sched_view *next, char *why, size_t cap);
/* Serves next (taken: left empty). */
void served_commit(struct api *api, struct sched_view *next);
/* Frees a view not served (nothing when it is empty). */
void served_drop(struct sched_view *next);

/* ---- reading what is served ---- */
bool served_any(const struct api *api);                     /* a schedule is published */
const struct schedule *served_model(const struct api *api); /* NULL before any */
const struct schedule *served_first(const struct api *api);
int64_t served_version(const struct api *api);
const char *served_etag(const struct api *api);
struct blob *served_doc(const struct api *api); /* GET /v1/schedule's body; NULL before any */
int64_t served_sessions(const struct api *api);
const cJSON *served_notices(const struct api *api);
/* Why change id did not apply, or NULL. */
const char *served_skipped(const struct api *api, int64_t id);
/* Session id's node in what is served, or NULL. */
const cJSON *served_session(const struct api *api, const char *id);

/* ---- for the kinds' apply ---- */
/* The id of the room called name in tree (names match as rooms do), added
 * when the schedule lacks it; NULL with why when it cannot be. */
const char *served_room_id(cJSON *tree, const char *name, char *why, size_t cap);
void served_set(cJSON *obj, const char *key, const char *value);

#endif
