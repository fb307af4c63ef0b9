/* upload_writer: one thread, a queue of pieces (data, finish, abort) and an
 * eventfd. The polling thread only copies bytes into the queue; the writer
 * writes, hashes, checks the reserve before every write and syncs. */
#include "upload_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

enum piece_kind { P_DATA, P_FINISH, P_ABORT };

struct piece {
	enum piece_kind kind;
	struct upload *u;
	char *data;
	size_t len;
	struct piece *next;
};

struct event {
	struct upload *u;
	enum upload_event what;
	struct event *next;
};

struct upload {
	struct upload_writer *w;
	void *tag;
	int fd;
	char path[UPLOAD_PATH_MAX], dir[UPLOAD_PATH_MAX];
	bool keeps_reserve; /* on the database's filesystem */
	bool reserve_set;
	uint64_t reserve_setting;
	gnutls_hash_hd_t hash;
	uint64_t written;
	bool removed; /* the writer's: the file is gone (failed) */
	/* under the writer's lock */
	size_t queued;
	bool paused, failed, done, aborted;
	int status;
	char why[UPLOAD_WHY_MAX];
	char sha256[65];
	struct piece finish, abort; /* made with it: ending never needs memory */
};

struct upload_writer {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct piece *head, *tail;
	struct event *events, *events_tail;
	bool stopping;
	int fd;
	pthread_t thread;
	bool started;
};

uint64_t upload_writer_reserve(bool set, uint64_t setting, uint64_t fs_bytes)
{
	if (set)
		return setting;
	uint64_t five = fs_bytes / 20, cap = 512ULL * 1024 * 1024;
	return five < cap ? five : cap;
}

/* The folder holding path (path itself when it is one). */
static void folder_of(const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s", path);
	char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == out)
		out[1] = '\0';
	else
		*slash = '\0';
}

/* Whether dir is on the database's filesystem (the one the reserve is for). */
static bool same_fs(const char *dir, const char *database)
{
	char folder[UPLOAD_PATH_MAX];
	folder_of(database, folder, sizeof(folder));
	struct stat a, b;
	return stat(dir, &a) != 0 || stat(folder, &b) != 0 || a.st_dev == b.st_dev;
}

/* Free bytes and the size of dir's filesystem; false when it cannot say. */
static bool fs_figures(const char *dir, uint64_t *avail, uint64_t *size)
{
	struct statvfs v;
	if (statvfs(dir, &v) != 0)
		return false;
	*avail = (uint64_t)v.f_bavail * v.f_frsize;
	*size = (uint64_t)v.f_blocks * v.f_frsize;
	return true;
}

static double mib(uint64_t b)
{
	return (double)b / (1024 * 1024);
}

bool upload_writer_room(const struct upload_place *place, int64_t declared, char *why, size_t cap)
{
	uint64_t avail, size;
	if (!same_fs(place->dir, place->database))
		return true; /* another disk: a full one fails the write, not the database */
	if (!fs_figures(place->dir, &avail, &size)) {
		snprintf(why, cap, "the server cannot read the free space of its bundle folder: %s",
			 strerror(errno));
		return false;
	}
	uint64_t reserve = upload_writer_reserve(place->reserve_set, place->reserve, size);
	uint64_t need = declared > 0 ? (uint64_t)declared : 0;
	if (avail >= reserve && avail - reserve >= need)
		return true;
	snprintf(why, cap,
		 "not enough room: the bundle (%.1f MiB) would leave less than the %.1f "
		 "MiB kept free for the database (disk-reserve); %.1f MiB are free",
		 mib(need), mib(reserve), mib(avail));
	return false;
}

/* Posts an event (under the lock). */
static void post(struct upload_writer *w, struct upload *u, enum upload_event what)
{
	struct event *ev = malloc(sizeof(*ev));
	if (!ev)
		return; /* the connection stays paused until the guard cuts it */
	ev->u = u;
	ev->what = what;
	ev->next = NULL;
	if (w->events_tail)
		w->events_tail->next = ev;
	else
		w->events = ev;
	w->events_tail = ev;
	uint64_t one = 1;
	if (write(w->fd, &one, sizeof(one)) < 0) {
		/* an eventfd's counter does not overflow here */
	}
}

/* The upload failed (the writer's thread): its file goes at once, so that
 * what it took is free again for the database. */
static void fail(struct upload *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct upload *u, const char *fmt, ...)
{
	char why[UPLOAD_WHY_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	unlink(u->path);
	u->removed = true;
	pthread_mutex_lock(&u->w->lock);
	u->failed = true;
	u->status = 507;
	snprintf(u->why, sizeof(u->why), "%s", why);
	pthread_mutex_unlock(&u->w->lock);
}

static void write_piece(struct upload *u, const char *data, size_t len)
{
	if (u->removed)
		return;
	uint64_t avail, size;
	if (u->keeps_reserve && fs_figures(u->dir, &avail, &size)) {
		uint64_t reserve = upload_writer_reserve(u->reserve_set, u->reserve_setting, size);
		if (avail < reserve || avail - reserve < len) {
			fail(u,
			     "the disk the database is on would have less than %.1f MiB free "
			     "(disk-reserve): the upload stopped at %.1f MiB; nothing was kept",
			     mib(reserve), mib(u->written));
			return;
		}
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = write(u->fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fail(u,
			     "the bundle could not be written to the server's disk (%s); nothing "
			     "was kept",
			     n < 0 ? strerror(errno) : "no progress");
			return;
		}
		done += (size_t)n;
	}
	gnutls_hash(u->hash, data, len);
	u->written += len;
}

static void finish_upload(struct upload *u)
{
	char sha[65] = "";
	pthread_mutex_lock(&u->w->lock);
	bool failed = u->failed; /* out of memory on the way in */
	pthread_mutex_unlock(&u->w->lock);
	if (failed && !u->removed) {
		close(u->fd);
		u->fd = -1;
		unlink(u->path);
		u->removed = true;
	}
	if (!u->removed) {
		bool synced = fsync(u->fd) == 0;
		int err = errno;
		close(u->fd);
		u->fd = -1;
		if (!synced) {
			fail(u,
			     "the bundle could not be written to the server's disk (%s); nothing "
			     "was kept",
			     strerror(err));
		} else {
			unsigned char digest[32];
			gnutls_hash_output(u->hash, digest);
			for (int i = 0; i < 32; i++)
				snprintf(sha + 2 * i, 3, "%02x", digest[i]);
		}
	}
	pthread_mutex_lock(&u->w->lock);
	memcpy(u->sha256, sha, sizeof(sha));
	u->done = true;
	if (!u->aborted)
		post(u->w, u, UPLOAD_EVENT_DONE);
	pthread_mutex_unlock(&u->w->lock);
}

static void upload_free(struct upload *u)
{
	if (u->fd >= 0)
		close(u->fd);
	if (!u->removed)
		unlink(u->path);
	gnutls_hash_deinit(u->hash, NULL);
	free(u);
}

static void *run(void *arg)
{
	struct upload_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		struct piece *p = w->head;
		if (!p)
			break;
		w->head = p->next;
		if (!w->head)
			w->tail = NULL;
		bool aborted = p->u->aborted;
		pthread_mutex_unlock(&w->lock);
		struct upload *u = p->u;
		if (p->kind == P_DATA) {
			if (!aborted)
				write_piece(u, p->data, p->len);
			pthread_mutex_lock(&w->lock);
			u->queued -= p->len;
			/* going on: drained enough, or failed (the rest is dropped) */
			if (u->paused && !u->aborted &&
			    (u->queued <= UPLOAD_LOW_WATER || u->failed)) {
				u->paused = false;
				post(w, u, UPLOAD_EVENT_RESUME);
			}
			pthread_mutex_unlock(&w->lock);
			free(p->data);
			free(p);
		} else if (p->kind == P_FINISH) {
			finish_upload(u);
		} else {
			upload_free(u); /* p was part of it */
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct upload_writer *upload_writer_create(struct feed_error *e)
{
	struct upload_writer *w = calloc(1, sizeof(*w));
	if (!w) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	w->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->fd < 0 || pthread_create(&w->thread, NULL, run, w) != 0) {
		feed_error_set(e, "cannot start the upload writer: %s", strerror(errno));
		upload_writer_destroy(w);
		return NULL;
	}
	w->started = true;
	return w;
}

void upload_writer_destroy(struct upload_writer *w)
{
	if (!w)
		return;
	if (w->started) {
		pthread_mutex_lock(&w->lock);
		w->stopping = true;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	while (w->events) {
		struct event *ev = w->events;
		w->events = ev->next;
		free(ev);
	}
	if (w->fd >= 0)
		close(w->fd);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int upload_writer_fd(const struct upload_writer *w)
{
	return w->fd;
}

struct upload *upload_writer_begin(struct upload_writer *w, const struct upload_place *place,
				   void *tag, struct feed_error *e)
{
	struct upload *u = calloc(1, sizeof(*u));
	if (!u) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	u->w = w;
	u->tag = tag;
	snprintf(u->dir, sizeof(u->dir), "%s", place->dir);
	snprintf(u->path, sizeof(u->path), "%s/.upload-XXXXXX", place->dir);
	u->keeps_reserve = same_fs(place->dir, place->database);
	u->reserve_set = place->reserve_set;
	u->reserve_setting = place->reserve;
	u->fd = mkstemp(u->path);
	if (u->fd < 0 || gnutls_hash_init(&u->hash, GNUTLS_DIG_SHA256) < 0) {
		feed_error_set(e, "the server cannot keep an upload in its bundle folder");
		if (u->fd >= 0) {
			close(u->fd);
			unlink(u->path);
		}
		free(u);
		return NULL;
	}
	fcntl(u->fd, F_SETFD, FD_CLOEXEC);
	return u;
}

/* Appends p; true when the upload now has so much waiting that its sender
 * should pause (decided under the same lock as the writer's draining, so
 * that the writer's word to go on cannot come before the pause). */
static bool queue(struct upload *u, struct piece *p)
{
	struct upload_writer *w = u->w;
	pthread_mutex_lock(&w->lock);
	u->queued += p->len;
	if (w->tail)
		w->tail->next = p;
	else
		w->head = p;
	w->tail = p;
	bool pause = p->kind == P_DATA && u->queued > UPLOAD_HIGH_WATER && !u->failed;
	u->paused |= pause;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return pause;
}

enum upload_put upload_writer_put(struct upload *u, const char *data, size_t n)
{
	struct upload_writer *w = u->w;
	pthread_mutex_lock(&w->lock);
	bool failed = u->failed;
	pthread_mutex_unlock(&w->lock);
	if (failed)
		return UPLOAD_FAILED;
	struct piece *p = calloc(1, sizeof(*p));
	char *copy = malloc(n ? n : 1);
	if (!p || !copy) {
		free(p);
		free(copy);
		pthread_mutex_lock(&w->lock);
		u->failed = true;
		u->status = 507;
		snprintf(u->why, sizeof(u->why),
			 "the server ran out of memory while receiving the "
			 "bundle; nothing was kept");
		pthread_mutex_unlock(&w->lock);
		return UPLOAD_FAILED;
	}
	memcpy(copy, data, n);
	*p = (struct piece){.kind = P_DATA, .u = u, .data = copy, .len = n};
	return queue(u, p) ? UPLOAD_PAUSE : UPLOAD_MORE;
}

void upload_writer_finish(struct upload *u)
{
	u->finish = (struct piece){.kind = P_FINISH, .u = u};
	queue(u, &u->finish);
}

void upload_writer_abort(struct upload *u)
{
	if (!u)
		return;
	struct upload_writer *w = u->w;
	pthread_mutex_lock(&w->lock);
	u->aborted = true;
	for (struct event **e = &w->events; *e;) { /* none about it from now on */
		if ((*e)->u == u) {
			struct event *gone = *e;
			*e = gone->next;
			free(gone);
		} else {
			e = &(*e)->next;
		}
	}
	w->events_tail = NULL;
	for (struct event *e = w->events; e; e = e->next)
		w->events_tail = e;
	pthread_mutex_unlock(&w->lock);
	u->abort = (struct piece){.kind = P_ABORT, .u = u};
	queue(u, &u->abort);
}

bool upload_writer_take(struct upload_writer *w, void **tag, enum upload_event *what)
{
	uint64_t n;
	if (read(w->fd, &n, sizeof(n)) < 0) {
		/* nothing counted: the list says */
	}
	pthread_mutex_lock(&w->lock);
	struct event *ev = w->events;
	if (ev) {
		w->events = ev->next;
		if (!w->events)
			w->events_tail = NULL;
		*tag = ev->u->tag;
		*what = ev->what;
	}
	pthread_mutex_unlock(&w->lock);
	bool got = ev != NULL;
	free(ev);
	return got;
}

void upload_writer_result(const struct upload *u, struct upload_result *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&u->w->lock);
	r->ok = u->done && !u->failed;
	r->status = u->failed ? u->status : 0;
	snprintf(r->why, sizeof(r->why), "%s", u->why);
	snprintf(r->sha256, sizeof(r->sha256), "%s", u->sha256);
	pthread_mutex_unlock(&u->w->lock);
	snprintf(r->path, sizeof(r->path), "%s", u->path);
	r->size = u->written;
}

void upload_writer_release(struct upload *u)
{
	if (!u)
		return;
	gnutls_hash_deinit(u->hash, NULL);
	free(u);
}

size_t upload_writer_clean(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, ".upload-", 8) == 0 &&
		    unlinkat(dirfd(d), de->d_name, 0) == 0)
			n++;
	closedir(d);
	return n;
}
