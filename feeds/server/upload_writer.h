/* upload_writer: a thread that writes uploads (bundles) to their files,
 * hashes them and syncs them, so that the polling thread never waits on the
 * disk; and the disk reserve: an upload never leaves less than a set amount
 * free on the filesystem the database lives on (alerts must still be
 * written). Events (a paused upload may go on, an upload is finished) come
 * back through a file descriptor the polling loop waits on. */
#ifndef VB_UPLOAD_WRITER_H
#define VB_UPLOAD_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct upload_writer;
struct upload;

enum {
	UPLOAD_PATH_MAX = 1200,
	UPLOAD_WHY_MAX = 200,
	UPLOAD_HIGH_WATER = 4 * 1024 * 1024, /* queued bytes past which an upload pauses */
	UPLOAD_LOW_WATER = 1024 * 1024,      /* ... and below which it goes on */
};

/* Where uploads go and what they must leave free. */
struct upload_place {
	const char *dir;      /* the folder the files are made in */
	const char *database; /* the database's file: its filesystem keeps the reserve */
	bool reserve_set;     /* reserve given (disk-reserve), else the default */
	uint64_t reserve;     /* bytes to leave free there */
};

/* Starts the thread. Caller owns (upload_writer_destroy). */
struct upload_writer *upload_writer_create(struct feed_error *e);

/* Stops the thread once every queued piece is dealt with; uploads not
 * finished are removed. NULL does nothing. */
void upload_writer_destroy(struct upload_writer *w);

/* Readable when upload_writer_take has something. */
int upload_writer_fd(const struct upload_writer *w);

/* Whether an upload of declared bytes (-1: unknown) may start at place:
 * false with a message for the uploader when it would leave less than the
 * reserve free (or the filesystem cannot be read). Reads the filesystem's
 * figures: cheap, no write. */
bool upload_writer_room(const struct upload_place *place, int64_t declared, char *why, size_t cap);

/* The reserve in effect: setting (bytes) when set, else 5 % of the
 * filesystem's size, at most 512 MiB. */
uint64_t upload_writer_reserve(bool set, uint64_t setting, uint64_t fs_bytes);

/* Makes a new file in place->dir (.upload-XXXXXX) for an upload; tag is the
 * caller's, handed back with its events. NULL, e saying why, when the file
 * cannot be made. The upload is the writer's; the caller ends it with
 * upload_writer_finish or upload_writer_abort. */
struct upload *upload_writer_begin(struct upload_writer *w, const struct upload_place *place,
				   void *tag, struct feed_error *e);

enum upload_put { UPLOAD_MORE, UPLOAD_PAUSE, UPLOAD_FAILED };

/* Queues n bytes (copied) for writing. UPLOAD_PAUSE: more than
 * UPLOAD_HIGH_WATER wait; the caller stops reading until the writer says it
 * may go on (UPLOAD_EVENT_RESUME). UPLOAD_FAILED: it failed (the rest is
 * to be dropped; the finish says why). */
enum upload_put upload_writer_put(struct upload *u, const char *data, size_t n);

/* Everything is in: the writer syncs and closes the file, then reports
 * UPLOAD_EVENT_DONE. */
void upload_writer_finish(struct upload *u);

/* The request ended before its end: the file is removed and u freed by the
 * writer; no event about it is handed out from now on. NULL does nothing. */
void upload_writer_abort(struct upload *u);

enum upload_event { UPLOAD_EVENT_RESUME, UPLOAD_EVENT_DONE };

/* One event: its upload's tag. False when none is waiting. */
bool upload_writer_take(struct upload_writer *w, void **tag, enum upload_event *what);

/* A finished upload: its file, size and SHA-256 (hex); or false, status
 * (507) and why when it failed. Valid after UPLOAD_EVENT_DONE; then
 * upload_writer_release (the file stays: the caller renames or removes it). */
struct upload_result {
	bool ok;
	int status;
	char why[UPLOAD_WHY_MAX];
	char path[UPLOAD_PATH_MAX];
	uint64_t size;
	char sha256[65];
};
void upload_writer_result(const struct upload *u, struct upload_result *r);
void upload_writer_release(struct upload *u);

/* Removes the .upload-* files an earlier run left in dir (killed while
 * receiving); returns how many. */
size_t upload_writer_clean(const char *dir);

#endif
