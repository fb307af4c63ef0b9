/* http_shell: the only file that knows about sockets. libmicrohttpd runs in
 * "external" epoll mode inside this file's loop, so one thread answers every
 * request (api.c needs no locks) and the same loop cuts the connections the
 * guard names, takes finished jobs back from the worker threads and rolls the
 * log's summaries. */
#define _GNU_SOURCE /* POLLRDHUP: a stream's client gone */
#include "http_shell.h"

#include "api.h"
#include "blob.h"
#include "byte_range.h"
#include "conn_guard.h"
#include "gzip.h"
#include "job_pool.h"
#include "server_log.h"
#include "upload_writer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	MAX_DAEMONS = 4,        /* the current one and those finishing after a reload */
	LOG_WINDOW_MS = 10000,  /* refusals and cuts are summed up over this */
	LOG_REFUSALS = 20,      /* refusals logged one by one in a window */
	TICK_MS = 250,          /* the guard (and the streams) look at least this often */
	STREAM_KEEPALIVE_MS = 15000, /* a comment down each idle stream: proxies and NATs */
	STREAM_BACKLOG = 64 * 1024,  /* unsent bytes a stream may hold: a client that does
				      * not read is cut, not buffered for */
	STREAM_STALL_MS = 30000,     /* unsent bytes not taken for this long: cut too */
	STREAMS_PER_SCREEN = 2,      /* a new one beyond replaces the screen's oldest */
	DOWNLOADS_PER_TOKEN = 2,     /* bundles one token downloads at once; then 429 */
	FILE_BLOCK = 16 * 1024,      /* a download's read size: its progress is seen per block */
	POOL_BYTES = 128 * 1024, /* libmicrohttpd's memory per connection (headers, arguments) */
};

static const char tls_priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
static const char api_csp[] = "default-src 'none'; frame-ancestors 'none'";

/* One connection: libmicrohttpd's "socket context". */
struct conn {
	struct MHD_Connection *c;
	struct MHD_Daemon *daemon; /* the one that accepted it */
	int fd, slot;
	char addr[INET6_ADDRSTRLEN];
	struct api_identity who; /* the token of its current or latest request */
	struct stream *stream;   /* its event stream, NULL when none */
	bool downloading;        /* sending a bundle */
	bool idle;               /* kept alive between requests */
};

/* One request: libmicrohttpd's "connection context", from its headers to
 * its completion. */
struct request {
	struct conn *conn;
	char *body;
	size_t len, cap, max;
	/* a body written to a file as it comes (a bundle) by the upload writer */
	struct MHD_Connection *c;
	bool to_file;
	struct upload *upload;
	uint64_t upload_len;
	bool upload_paused;  /* suspended: the writer has too much of it queued */
	bool upload_finishing, upload_done; /* synced and hashed: the api may keep it */
	bool upload_handed;  /* its file was the api's to keep: gone from its name */
	struct request *next_upload, **prev_upload;
	size_t reserved;  /* bytes of the upload budget held */
	bool too_big, over_budget;
	bool working;     /* suspended while a worker runs its job */
	bool has_result;  /* the job's answer, waiting for the connection to resume */
	bool result_gz;
	struct api_response result;
};

/* A screen's event stream (GET /v1/stream): what is still to send, and
 * whether libmicrohttpd waits for it (suspended) or is sending it. */
struct stream {
	struct http_shell *h;
	struct MHD_Connection *c;
	struct conn *conn;
	char screen[65];
	char *out;
	size_t len, pos;
	uint64_t gen;
	int64_t last_ms;    /* the last event or comment queued */
	int64_t drained_ms; /* the backlog last empty, or taken from */
	int64_t opened_ms;
	bool suspended, closing;
	struct stream *next;
};

struct http_shell {
	struct api *api;
	struct stream *streams;
	size_t n_streams, max_streams;
	struct job_pool *jobs;
	struct MHD_Daemon *daemons[MAX_DAEMONS]; /* the last one accepts; the others finish */
	size_t n_daemons;
	char *next_cert, *next_key; /* a certificate waiting for a daemon's place */
	int64_t next_since_ms;
	int listen_fd, port, epfd;
	bool tls;
	struct conn_guard *guard;
	struct conn **by_slot;
	size_t max_conns, n_conns;
	size_t upload_bytes, response_bytes;
	struct upload_writer *uploads;
	struct request *uploading; /* requests with a file upload: resumed at the end */
	bool stopping;
	/* log summaries */
	int64_t window_start_ms;
	unsigned refused_logged, refused_more;
	unsigned mhd_logged, mhd_more;
	unsigned cuts[GUARD_N_REASONS];
	unsigned streams_replaced, streams_stalled;
};

/* The context of a response's bytes: freed (and its budget given back) when
 * libmicrohttpd is done sending it. */
struct sent {
	struct http_shell *h;
	char *body;
	struct blob *blob;
	size_t charged;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- logging, summed up under attack --------------------------------------------- */

static void roll_window(struct http_shell *h, int64_t now)
{
	if (now - h->window_start_ms < LOG_WINDOW_MS)
		return;
	if (h->refused_more)
		server_log("INFO", "%u more requests refused in the last %d s (not logged one by one)",
			   h->refused_more, LOG_WINDOW_MS / 1000);
	if (h->mhd_more)
		server_log("INFO", "%u more messages from libmicrohttpd in the last %d s", h->mhd_more,
			   LOG_WINDOW_MS / 1000);
	unsigned total = 0;
	char what[400] = "";
	size_t o = 0;
	for (int i = 0; i < GUARD_N_REASONS; i++) {
		if (!h->cuts[i])
			continue;
		total += h->cuts[i];
		o += (size_t)snprintf(what + o, o < sizeof(what) ? sizeof(what) - o : 0, "%s%u %s",
				      o ? ", " : "", h->cuts[i], conn_guard_reason_name(i));
	}
	if (total)
		server_log("INFO", "cut %u connections in the last %d s: %s; %zu open", total,
			   LOG_WINDOW_MS / 1000, what, h->n_conns);
	if (h->streams_replaced || h->streams_stalled)
		server_log("INFO", "streams in the last %d s: %u replaced by a newer one of the same "
				   "screen, %u cut for not reading; %zu open", LOG_WINDOW_MS / 1000,
			   h->streams_replaced, h->streams_stalled, h->n_streams);
	h->streams_replaced = h->streams_stalled = 0;
	memset(h->cuts, 0, sizeof(h->cuts));
	h->refused_logged = h->refused_more = 0;
	h->mhd_logged = h->mhd_more = 0;
	h->window_start_ms = now;
}

static void log_refusal(struct http_shell *h, const char *method, const char *url, int status,
			const char *addr)
{
	if (h->refused_logged >= LOG_REFUSALS) {
		h->refused_more++;
		return;
	}
	h->refused_logged++;
	server_log("INFO", "%.10s %.200s from %s refused with %d", method, url, addr, status);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_shell *h = cls;
	if (h->mhd_logged >= LOG_REFUSALS) {
		h->mhd_more++;
		return;
	}
	h->mhd_logged++;
	char text[600];
	vsnprintf(text, sizeof(text), fmt, ap);
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	server_log_line("INFO", text);
}

/* ---- responses --------------------------------------------------------------------- */

static void sent_free(void *cls)
{
	struct sent *s = cls;
	s->h->response_bytes -= s->charged;
	free(s->body);
	blob_unref(s->blob);
	free(s);
}

static bool wants_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* A JSON error the shell answers by itself (its text needs no escaping). */
static void shell_error(struct api_response *res, int status, const char *msg)
{
	char body[400];
	snprintf(body, sizeof(body), "{\"error\":\"%s\"}", msg);
	memset(res, 0, sizeof(*res));
	res->status = status;
	res->content_type = "application/json";
	res->body = strdup(body);
	res->body_len = res->body ? strlen(res->body) : 0;
}

static void busy(struct api_response *res, const char *what)
{
	api_response_finish(res);
	memset(res, 0, sizeof(*res));
	char msg[200];
	snprintf(msg, sizeof(msg), "{\"error\":\"the server is busy (%s); try again in a few "
				   "seconds\"}", what);
	res->status = 503;
	res->content_type = "application/json";
	res->body = strdup(msg);
	res->body_len = res->body ? strlen(res->body) : 0;
	res->retry_after_s = 5;
}

static enum MHD_Result reply(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
			     struct api_response *res, bool gz);

/* A connection of a daemon that no longer accepts (an earlier certificate)
 * closes after its answer: the old daemon empties, and its place is free
 * for the next reload. */
static void close_if_old(struct http_shell *h, const struct conn *conn, struct MHD_Response *r)
{
	if (conn && h->n_daemons && conn->daemon != h->daemons[h->n_daemons - 1])
		MHD_add_response_header(r, "Connection", "close");
}

/* A download's bytes, read as libmicrohttpd sends them: each block read
 * tells the guard how far the response got. */
struct file_send {
	struct http_shell *h;
	int fd, slot;
	uint64_t from, len;
};

static ssize_t file_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct file_send *f = cls;
	if (pos >= f->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t want = f->len - pos < max ? (size_t)(f->len - pos) : max;
	ssize_t n = pread(f->fd, buf, want, (off_t)(f->from + pos));
	if (n <= 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	conn_guard_progress(f->h->guard, f->slot, pos, mono_ms());
	return n;
}

static void file_free(void *cls)
{
	struct file_send *f = cls;
	close(f->fd);
	free(f);
}

/* The downloads conn's token has running, this one aside. */
static size_t downloads_of(const struct http_shell *h, const struct conn *conn)
{
	size_t n = 0;
	for (size_t i = 0; i < h->max_conns; i++) {
		const struct conn *o = h->by_slot[i];
		n += o && o != conn && o->downloading && o->who.role == conn->who.role &&
		     strcmp(o->who.name, conn->who.name) == 0;
	}
	return n;
}

/* A file (a bundle): the whole, or the range asked (a download that
 * resumes), straight from the disk. One token (a screen) downloads at most
 * DOWNLOADS_PER_TOKEN at once, so that a slow or hostile one cannot hold
 * every connection. */
static enum MHD_Result reply_file(struct http_shell *h, struct MHD_Connection *c,
				  struct conn *conn, struct api_response *res)
{
	if (conn && conn->who.role >= 0 && downloads_of(h, conn) >= DOWNLOADS_PER_TOKEN) {
		const char *base = strrchr(res->file, '/');
		char url[API_BUNDLE_PATH_MAX + 16];
		snprintf(url, sizeof(url), "/v1/bundles/%s", base ? base + 1 : res->file);
		log_refusal(h, "GET", url, 429, conn->addr);
		api_response_finish(res);
		char msg[160];
		snprintf(msg, sizeof(msg), "%d downloads with this token are running; try again when "
					   "one ends", DOWNLOADS_PER_TOKEN);
		shell_error(res, 429, msg);
		res->retry_after_s = 10;
		return reply(h, c, conn, res, false);
	}
	int fd = open(res->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		api_response_finish(res);
		shell_error(res, 500, "the bundle's file is missing on the server");
		return reply(h, c, conn, res, false);
	}
	uint64_t size = res->file_size, from = 0, to = size ? size - 1 : 0;
	const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
	unsigned status = 200;
	char cr[96] = "";
	enum byte_range_kind kind =
		range ? byte_range_parse(range, size, &from, &to) : BYTE_RANGE_WHOLE;
	if (kind == BYTE_RANGE_BAD) { /* malformed or past the end: never the whole file */
		close(fd);
		snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)size);
		struct MHD_Response *r =
			MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Range", cr);
		close_if_old(h, conn, r);
		enum MHD_Result ok = MHD_queue_response(c, 416, r);
		MHD_destroy_response(r);
		api_response_finish(res);
		return ok;
	}
	if (kind == BYTE_RANGE_ONE) {
		status = 206;
		snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu", (unsigned long long)from,
			 (unsigned long long)to, (unsigned long long)size);
	} else {
		from = 0;
		to = size ? size - 1 : 0;
	}
	uint64_t len = size ? to - from + 1 : 0;
	struct file_send *f = malloc(sizeof(*f));
	struct MHD_Response *r =
		f ? MHD_create_response_from_callback(len, FILE_BLOCK, file_read, f, file_free) : NULL;
	if (!r) {
		free(f);
		close(fd);
		api_response_finish(res);
		return MHD_NO;
	}
	*f = (struct file_send){h, fd, conn ? conn->slot : -1, from, len};
	MHD_add_response_header(r, "Content-Type", res->content_type);
	MHD_add_response_header(r, "Accept-Ranges", "bytes");
	if (cr[0])
		MHD_add_response_header(r, "Content-Range", cr);
	if (res->etag[0])
		MHD_add_response_header(r, "ETag", res->etag);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", api_csp);
	close_if_old(h, conn, r);
	if (conn) {
		conn_guard_stage(h->guard, conn->slot, GUARD_RESPONDING, len, mono_ms());
		conn->downloading = true;
	}
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}

/* Queues res (consumed) on c. gz: res's body is gzip-compressed already. */
static enum MHD_Result reply(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
			     struct api_response *res, bool gz)
{
	if (res->file[0] && res->status == 200)
		return reply_file(h, c, conn, res);
	struct sent *s = calloc(1, sizeof(*s));
	if (!s) {
		api_response_finish(res);
		return MHD_NO;
	}
	s->h = h;
	const char *data = "";
	size_t len = 0;
	bool zip = wants_gzip(c);
	if (res->blob) { /* shared: compressed once for everyone */
		struct blob *b = res->blob;
		res->blob = NULL;
		if (zip && b->gz_state == 0 && b->len > 1024) {
			b->gz = gzip_compress(b->data, b->len, &b->gz_len);
			b->gz_state = b->gz ? 1 : -1;
		}
		gz = zip && b->gz_state == 1;
		data = gz ? b->gz : b->data;
		len = gz ? b->gz_len : b->len;
		s->blob = b;
	} else if (res->body) {
		char *body = res->body;
		len = res->body_len;
		res->body = NULL;
		bool png = res->content_type && strcmp(res->content_type, "image/png") == 0;
		if (!gz && zip && !png && len > 1024) {
			size_t zl;
			char *z = gzip_compress(body, len, &zl);
			if (z) {
				free(body);
				body = z;
				len = zl;
				gz = true;
			}
		}
		if (len > 4096 && h->response_bytes + len > HTTP_RESPONSE_BUDGET) {
			free(body);
			free(s);
			busy(res, "too many large answers being sent");
			return reply(h, c, conn, res, false);
		}
		s->body = body;
		s->charged = len;
		h->response_bytes += len;
		data = body;
	}
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(len, (void *)data, sent_free, s);
	if (!r) {
		sent_free(s);
		api_response_finish(res);
		return MHD_NO;
	}
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	if (res->etag[0])
		MHD_add_response_header(r, "ETag", res->etag);
	if (res->cache_control)
		MHD_add_response_header(r, "Cache-Control", res->cache_control);
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	if (res->authenticate)
		MHD_add_response_header(r, "WWW-Authenticate", res->authenticate);
	if (res->retry_after_s > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", res->retry_after_s);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy", res->csp ? res->csp : api_csp);
	close_if_old(h, conn, r);
	if (conn)
		conn_guard_stage(h->guard, conn->slot, GUARD_RESPONDING, len, mono_ms());
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}

/* ---- streams ----------------------------------------------------------------------------- */

static bool stream_put(struct stream *st, const char *text, int64_t now)
{
	size_t n = strlen(text);
	if (st->pos == st->len) {
		st->pos = st->len = 0;
		st->drained_ms = now; /* the wait for the client starts now */
	}
	if (st->len + n > STREAM_BACKLOG)
		return false;
	char *p = realloc(st->out, st->len + n);
	if (!p)
		return false;
	memcpy(p + st->len, text, n);
	st->out = p;
	st->len += n;
	return true;
}

/* libmicrohttpd asks for the stream's next bytes: what is queued, else the
 * connection waits (suspended) until the pump queues more. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct stream *st = cls;
	if (st->closing && st->pos == st->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (st->pos == st->len) {
		st->suspended = true;
		MHD_suspend_connection(st->c);
		return 0;
	}
	size_t n = st->len - st->pos < max ? st->len - st->pos : max;
	memcpy(buf, st->out + st->pos, n);
	st->pos += n;
	st->drained_ms = mono_ms();
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;
	struct http_shell *h = st->h;
	for (struct stream **p = &h->streams; *p; p = &(*p)->next)
		if (*p == st) {
			*p = st->next;
			break;
		}
	if (st->conn)
		st->conn->stream = NULL;
	h->n_streams--;
	free(st->out);
	free(st);
}

/* Ends a stream now: nothing more is queued on it, and libmicrohttpd, woken,
 * sees its connection shut and frees its place. */
static void stream_cut(struct stream *st)
{
	st->closing = true;
	if (st->conn && st->conn->fd >= 0)
		shutdown(st->conn->fd, SHUT_RDWR);
	if (st->suspended) {
		st->suspended = false;
		MHD_resume_connection(st->c);
	}
}

/* Streams whose client has gone: libmicrohttpd does not watch a suspended
 * connection, so without this a closed stream kept its place until the next
 * keep-alive comment failed to go out (15 s). */
static void cut_departed(struct http_shell *h)
{
	size_t n = 0;
	for (struct stream *st = h->streams; st; st = st->next)
		n += st->suspended && !st->closing && st->conn && st->conn->fd >= 0;
	if (n == 0)
		return;
	struct pollfd *fds = calloc(n, sizeof(*fds));
	struct stream **who = calloc(n, sizeof(*who));
	size_t k = 0;
	for (struct stream *st = h->streams; fds && who && st; st = st->next)
		if (st->suspended && !st->closing && st->conn && st->conn->fd >= 0) {
			fds[k] = (struct pollfd){.fd = st->conn->fd, .events = POLLRDHUP};
			who[k++] = st;
		}
	if (k && poll(fds, (nfds_t)k, 0) > 0)
		for (size_t i = 0; i < k; i++)
			if (fds[i].revents & (POLLRDHUP | POLLHUP | POLLERR))
				stream_cut(who[i]);
	free(fds);
	free(who);
}

/* Queues what changed (or a comment when nothing has for a while) on every
 * stream, and wakes the ones waiting. */
static void pump_streams(struct http_shell *h, int64_t now)
{
	cut_departed(h);
	uint64_t gen = api_stream_generation(h->api);
	for (struct stream *st = h->streams; st; st = st->next) {
		if (st->closing)
			continue;
		bool ok = true, queued = false;
		if (st->gen != gen) {
			char *event = api_stream_event(h->api, st->screen);
			ok = event && stream_put(st, event, now);
			free(event);
			st->gen = gen;
			queued = true;
		} else if (now - st->last_ms >= STREAM_KEEPALIVE_MS) {
			ok = stream_put(st, ": keep-alive\n\n", now);
			queued = true;
		}
		/* it does not read (its backlog full, or not taken from for a
		 * while): cut it, it reconnects */
		if (!ok || (st->pos < st->len && now - st->drained_ms > STREAM_STALL_MS)) {
			h->streams_stalled++;
			stream_cut(st);
			continue;
		}
		if (queued)
			st->last_ms = now;
		if (queued && st->suspended) {
			st->suspended = false;
			MHD_resume_connection(st->c);
		}
	}
}

/* Ends every stream (the screens reconnect): before the daemons stop, and
 * after a reload, so that no stream keeps an old daemon alive. */
static void close_streams(struct http_shell *h)
{
	for (struct stream *st = h->streams; st; st = st->next)
		stream_cut(st);
}

/* Answers GET /v1/stream: res's body is the first event; the connection
 * stays open. At most max_streams at once (half the connections), and
 * STREAMS_PER_SCREEN per screen: a screen's new stream replaces its oldest,
 * since a kiosk that reconnects after a network blip must not be locked out
 * by its own half-dead stream (nor can one token hold every place). */
static enum MHD_Result open_stream(struct http_shell *h, struct MHD_Connection *c,
				   struct conn *conn, struct api_response *res)
{
	size_t live = 0, mine = 0;
	struct stream *oldest = NULL;
	for (struct stream *st = h->streams; st; st = st->next) {
		if (st->closing)
			continue;
		live++;
		if (strcmp(st->screen, res->stream_screen) == 0) {
			mine++;
			if (!oldest || st->opened_ms <= oldest->opened_ms)
				oldest = st;
		}
	}
	if (mine >= STREAMS_PER_SCREEN) {
		h->streams_replaced++;
		stream_cut(oldest);
		live--;
	}
	struct stream *st = live < h->max_streams ? calloc(1, sizeof(*st)) : NULL;
	if (!st) {
		busy(res, "too many screens streaming");
		return reply(h, c, conn, res, false);
	}
	int64_t now = mono_ms();
	st->h = h;
	st->c = c;
	st->conn = conn;
	snprintf(st->screen, sizeof(st->screen), "%s", res->stream_screen);
	st->gen = api_stream_generation(h->api);
	st->last_ms = st->opened_ms = now;
	if (!stream_put(st, "retry: 5000\n", now) || !stream_put(st, res->body, now)) {
		free(st->out);
		free(st);
		busy(res, "out of memory");
		return reply(h, c, conn, res, false);
	}
	struct MHD_Response *r =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
	if (!r) {
		free(st->out);
		free(st);
		api_response_finish(res);
		return MHD_NO;
	}
	st->next = h->streams;
	h->streams = st;
	h->n_streams++;
	if (conn)
		conn->stream = st;
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", api_csp);
	if (conn)
		conn_guard_stage(h->guard, conn->slot, GUARD_STREAMING, 0, now);
	enum MHD_Result ok = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}

/* ---- requests ------------------------------------------------------------------------ */

/* The query string, rebuilt: libmicrohttpd hands the arguments over decoded
 * and without the '?', so each name and value is percent-encoded again for
 * api.c (which decodes it once). Capped at API_MAX_QUERY bytes. */
struct query {
	char s[API_MAX_QUERY + 1];
	size_t len;
	bool too_long;
};

static bool query_put(struct query *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
			     c == ':' || c == ',';
		if (q->len + (plain ? 1 : 3) > API_MAX_QUERY) {
			q->too_long = true;
			return false;
		}
		if (plain) {
			q->s[q->len++] = (char)c;
		} else {
			q->s[q->len++] = '%';
			q->s[q->len++] = hex[c >> 4];
			q->s[q->len++] = hex[c & 15];
		}
	}
	q->s[q->len] = '\0';
	return true;
}

static enum MHD_Result query_add(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	struct query *q = cls;
	if (q->len + 2 > API_MAX_QUERY) {
		q->too_long = true;
		return MHD_NO;
	}
	if (q->len)
		q->s[q->len++] = '&';
	if (!query_put(q, key))
		return MHD_NO;
	if (value) {
		q->s[q->len++] = '=';
		if (!query_put(q, value))
			return MHD_NO;
	}
	q->s[q->len] = '\0';
	return MHD_YES;
}

/* Content-Length as a number, -1 when absent (or chunked), -2 when it does
 * not read (libmicrohttpd refuses those itself). */
static int64_t declared_length(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (!cl)
		return -1;
	int64_t n = 0;
	for (const char *p = cl; *p; p++) {
		if (*p < '0' || *p > '9' || n > INT64_MAX / 10 - 10)
			return -2;
		n = n * 10 + (*p - '0');
	}
	return n;
}

static void request_free(struct http_shell *h, struct request *r)
{
	if (r->upload && r->upload_done) {
		struct upload_result u;
		upload_writer_result(r->upload, &u);
		if (!r->upload_handed) /* never handed to the api: nothing kept */
			unlink(u.path);
		upload_writer_release(r->upload);
	} else if (r->upload) { /* cut short: the writer removes it */
		upload_writer_abort(r->upload);
	}
	if (r->prev_upload) {
		*r->prev_upload = r->next_upload;
		if (r->next_upload)
			r->next_upload->prev_upload = r->prev_upload;
	}
	h->upload_bytes -= r->reserved;
	free(r->body);
	if (r->has_result)
		api_response_finish(&r->result);
	free(r);
}

static struct api_request request_of(struct MHD_Connection *c, const char *url,
				     const char *method, const char *query)
{
	return (struct api_request){
		.method = method,
		.path = url,
		.query = query,
		.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"),
		.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
		.now_ms = wall_ms(),
	};
}

/* The headers are in: refuse at once what the headers alone settle. */
static enum MHD_Result begin(struct http_shell *h, struct MHD_Connection *c, const char *url,
			     const char *method, void **con_cls)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *conn = ci ? ci->socket_context : NULL;
	struct api_request req = request_of(c, url, method, NULL);
	if (conn) { /* whose token this request holds: a reload that revokes it cuts it */
		api_identify(h->api, req.authorization, &conn->who);
		conn->idle = false;
	}
	int64_t declared = declared_length(c);
	size_t max = 0;
	struct api_response res;
	if (!api_preflight(h->api, &req, declared, &max, &res)) {
		log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
		return reply(h, c, conn, &res, false);
	}
	struct request *r = calloc(1, sizeof(*r));
	if (!r)
		return MHD_NO;
	r->conn = conn;
	r->c = c;
	r->max = max;
	char dir[API_BUNDLE_DIR_MAX];
	if (api_upload_to_file(h->api, &req, dir, sizeof(dir))) {
		/* a bundle: to disk as it comes, never to memory, by the writer's
		 * thread; refused first if it would eat the database's reserve */
		struct upload_place place = {.dir = dir};
		api_upload_reserve(h->api, &place.database, &place.reserve_set, &place.reserve);
		char why[UPLOAD_WHY_MAX] = "";
		struct feed_error e = {{0}};
		if (!upload_writer_room(&place, declared, why, sizeof(why)) ||
		    !(r->upload = upload_writer_begin(h->uploads, &place, r, &e))) {
			free(r);
			shell_error(&res, why[0] ? 507 : 500, why[0] ? why : e.msg);
			server_log("WARN", "a bundle upload from %s was refused: %s",
				   conn ? conn->addr : "?", why[0] ? why : e.msg);
			return reply(h, c, conn, &res, false);
		}
		r->to_file = true;
		r->next_upload = h->uploading;
		if (h->uploading)
			h->uploading->prev_upload = &r->next_upload;
		r->prev_upload = &h->uploading;
		h->uploading = r;
		if (conn)
			conn_guard_stage(h->guard, conn->slot, GUARD_BODY,
					 declared > 0 ? (uint64_t)declared : 0, mono_ms());
		*con_cls = r;
		return MHD_YES;
	}
	if (declared > 0) { /* the body's memory is promised before a byte arrives */
		if (h->upload_bytes + (size_t)declared > HTTP_UPLOAD_BUDGET) {
			free(r);
			memset(&res, 0, sizeof(res));
			busy(&res, "too many uploads in progress");
			log_refusal(h, method, url, 503, conn ? conn->addr : "?");
			return reply(h, c, conn, &res, false);
		}
		r->reserved = (size_t)declared;
		h->upload_bytes += r->reserved;
	}
	if (conn && declared != 0)
		conn_guard_stage(h->guard, conn->slot, GUARD_BODY, declared > 0 ? (uint64_t)declared : 0,
				 mono_ms());
	*con_cls = r;
	return MHD_YES;
}

static void take_body(struct http_shell *h, struct request *r, const char *data, size_t n)
{
	if (r->too_big || r->over_budget)
		return;
	if (r->to_file) { /* copied for the writer; paused while it has plenty */
		if (r->upload_len + n > r->max) {
			r->too_big = true;
			return;
		}
		r->upload_len += n;
		enum upload_put put = upload_writer_put(r->upload, data, n);
		if (put == UPLOAD_PAUSE && !r->upload_paused && !h->stopping) {
			r->upload_paused = true;
			MHD_suspend_connection(r->c);
		}
		return;
	}
	if (r->len + n > r->max) {
		r->too_big = true;
		return;
	}
	size_t need = r->len + n + 1;
	if (need > r->cap) {
		size_t ncap = r->reserved ? r->reserved + 1 : (r->cap ? r->cap * 2 : 16384);
		while (ncap < need)
			ncap *= 2;
		/* chunked bodies reserve as they grow */
		size_t extra = ncap > r->reserved + 1 ? ncap - (r->reserved + 1) : 0;
		if (extra && h->upload_bytes + extra > HTTP_UPLOAD_BUDGET) {
			r->over_budget = true;
			return;
		}
		char *nb = realloc(r->body, ncap);
		if (!nb) {
			r->over_budget = true;
			return;
		}
		h->upload_bytes += extra;
		r->reserved += extra;
		r->body = nb;
		r->cap = ncap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	(void)version;
	struct http_shell *h = cls;
	struct request *r = *con_cls;
	if (!r)
		return begin(h, c, url, method, con_cls);
	if (*data_size) {
		take_body(h, r, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	struct conn *conn = r->conn;
	if (r->has_result) { /* resumed: the worker's answer */
		r->has_result = false;
		struct api_response res = r->result;
		const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
		if (res.status == 200 && res.etag[0] && inm && strstr(inm, res.etag)) {
			free(res.body);
			res.body = NULL;
			res.body_len = 0;
			res.status = 304;
			r->result_gz = false;
		}
		return reply(h, c, conn, &res, r->result_gz);
	}
	if (r->to_file && !r->upload_done && !r->too_big) {
		struct api_response res;
		if (h->stopping) {
			shell_error(&res, 503, "the server is stopping; nothing was kept");
			return reply(h, c, conn, &res, false);
		}
		/* the writer syncs the file off this thread; resumed when done */
		if (!r->upload_finishing)
			upload_writer_finish(r->upload);
		r->upload_finishing = true;
		r->working = true;
		if (conn)
			conn_guard_stage(h->guard, conn->slot, GUARD_WORKING, 0, mono_ms());
		MHD_suspend_connection(c);
		return MHD_YES;
	}
	struct api_response res;
	if (r->too_big || r->over_budget) {
		memset(&res, 0, sizeof(res));
		if (r->over_budget) {
			busy(&res, "too many uploads in progress");
		} else {
			res.status = 413;
			res.content_type = "application/json";
			char msg[96];
			snprintf(msg, sizeof(msg), "{\"error\":\"the body is larger than the %zu %s limit\"}",
				 r->max >= 1024 * 1024 ? r->max / (1024 * 1024) : r->max / 1024,
				 r->max >= 1024 * 1024 ? "MiB" : "KiB");
			res.body = strdup(msg);
			res.body_len = res.body ? strlen(res.body) : 0;
		}
		log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
		return reply(h, c, conn, &res, false);
	}
	struct query q = {.len = 0};
	int n_args = MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL);
	if (n_args <= API_MAX_QUERY_PARAMS)
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_add, &q);
	if (q.too_long || n_args > API_MAX_QUERY_PARAMS) {
		memset(&res, 0, sizeof(res));
		res.status = q.too_long ? 414 : 400;
		res.content_type = "application/json";
		res.body = strdup(q.too_long ? "{\"error\":\"the query string is longer than 4096 bytes\"}"
					     : "{\"error\":\"query: more than 16 parameters\"}");
		res.body_len = res.body ? strlen(res.body) : 0;
		log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
		return reply(h, c, conn, &res, false);
	}
	struct api_request req = request_of(c, url, method, n_args > 0 ? q.s : NULL);
	req.body = r->body ? r->body : "";
	req.body_len = r->len;
	struct upload_result up;
	up.size = 0;
	if (r->to_file) { /* the whole file is in: the api keeps it (renames) or drops it */
		upload_writer_result(r->upload, &up);
		if (!up.ok) {
			shell_error(&res, up.status ? up.status : 507, up.why);
			server_log("WARN", "a bundle upload from %s was refused: %s",
				   conn ? conn->addr : "?", up.why);
			return reply(h, c, conn, &res, false);
		}
		req.upload_path = up.size ? up.path : NULL;
		req.upload_size = up.size;
		req.upload_sha256 = up.sha256;
	}
	api_handle(h->api, &req, &res);
	if (r->to_file && up.size) /* kept (renamed) or dropped; else dropped here (a 401) */
		unlink(up.path);
	r->upload_handed = r->to_file;
	if (res.log[0]) /* writes are rare and worth a line each; tokens never appear */
		server_log_line("INFO", res.log);
	else if (res.status >= 400 && res.status != 404)
		log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
	if (res.job) {
		if (!job_pool_submit(h->jobs, res.job, r, wants_gzip(c))) {
			busy(&res, "too many long reads waiting");
			log_refusal(h, method, url, 503, conn ? conn->addr : "?");
			return reply(h, c, conn, &res, false);
		}
		res.job = NULL;
		r->working = true;
		if (conn)
			conn_guard_stage(h->guard, conn->slot, GUARD_WORKING, 0, mono_ms());
		MHD_suspend_connection(c);
		return MHD_YES;
	}
	if (res.stream)
		return open_stream(h, c, conn, &res);
	return reply(h, c, conn, &res, false);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct http_shell *h = cls;
	struct request *r = *con_cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *conn = ci ? ci->socket_context : NULL;
	if (conn) { /* kept alive: the next request's headers are due */
		conn_guard_stage(h->guard, conn->slot, GUARD_IDLE, 0, mono_ms());
		conn->downloading = false;
		conn->idle = true;
	}
	if (r)
		request_free(h, r);
	*con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_shell *h = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct conn *conn = *socket_context;
		if (conn) {
			if (conn->slot >= 0) {
				conn_guard_close(h->guard, conn->slot);
				h->by_slot[conn->slot] = NULL;
			}
			if (conn->stream)
				conn->stream->conn = NULL;
			h->n_conns--;
			free(conn);
			*socket_context = NULL;
		}
		return;
	}
	struct conn *conn = calloc(1, sizeof(*conn));
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ad = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!conn) {
		if (fd)
			shutdown(fd->connect_fd, SHUT_RDWR);
		return;
	}
	conn->c = c;
	conn->fd = fd ? fd->connect_fd : -1;
	conn->who.role = -1;
	const union MHD_ConnectionInfo *di = MHD_get_connection_info(c, MHD_CONNECTION_INFO_DAEMON);
	conn->daemon = di ? di->daemon : NULL;
	struct guard_addr ga = {{0}};
	const struct sockaddr *sa = ad ? ad->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		ga.b[10] = ga.b[11] = 0xff;
		memcpy(ga.b + 12, &in->sin_addr, 4);
		inet_ntop(AF_INET, &in->sin_addr, conn->addr, sizeof(conn->addr));
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(ga.b, &in6->sin6_addr, 16);
		inet_ntop(AF_INET6, &in6->sin6_addr, conn->addr, sizeof(conn->addr));
	} else {
		snprintf(conn->addr, sizeof(conn->addr), "local");
	}
	conn->slot = conn_guard_open(h->guard, &ga, mono_ms());
	if (conn->slot >= 0)
		h->by_slot[conn->slot] = conn;
	else if (conn->fd >= 0) /* no slot left: this one is closed at once */
		shutdown(conn->fd, SHUT_RDWR);
	h->n_conns++;
	*socket_context = conn;
}

/* ---- the daemons ---------------------------------------------------------------------- */

static struct MHD_Daemon *start_daemon(struct http_shell *h, const char *cert, const char *key)
{
	/* each daemon gets its own copy of the listening socket: one that fails
	 * to start closes its copy, and one that stops accepting hands its copy
	 * back, while the socket itself stays open for the next */
	int fd = h->listen_fd >= 0 ? fcntl(h->listen_fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (h->listen_fd >= 0 && fd < 0)
		return NULL;
	struct MHD_OptionItem o[12];
	int n = 0;
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 15, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, (intptr_t)h->max_conns, NULL};
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT, POOL_BYTES, NULL};
	if (fd >= 0)
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
	if (cert) {
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert};
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key};
		o[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0,
						 (void *)tls_priorities};
	}
	o[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 (cert ? MHD_USE_TLS : 0) | (h->listen_fd < 0 ? MHD_USE_NO_LISTEN_SOCKET : 0);
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, MHD_OPTION_NOTIFY_CONNECTION,
		on_connection, h, MHD_OPTION_ARRAY, o, MHD_OPTION_END);
	if (!d) {
		if (fd >= 0 && fcntl(fd, F_GETFD) != -1) /* libmicrohttpd may have closed it */
			close(fd);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_EPOLL_FD);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = d};
	if (!info || epoll_ctl(h->epfd, EPOLL_CTL_ADD, info->epoll_fd, &ev) != 0) {
		MHD_stop_daemon(d);
		return NULL;
	}
	return d;
}

static int listen_on(const char *host, int port, int *bound_port, struct feed_error *e)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t len;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		len = sizeof(*in);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof(*in6);
	} else {
		feed_error_set(e, "listen: '%.64s' is not an IPv4 or IPv6 address", host);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 1024) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		feed_error_set(e, "cannot listen on %s:%d: %s", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*bound_port = ntohs(ss.ss_family == AF_INET ? in->sin_port : in6->sin6_port);
	return fd;
}

struct http_shell *http_shell_start(struct api *api, struct job_pool *jobs,
				    const struct http_options *o, struct feed_error *e)
{
	struct http_shell *h = calloc(1, sizeof(*h));
	if (!h) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	h->api = api;
	h->jobs = jobs;
	h->listen_fd = -1;
	h->epfd = -1;
	h->max_conns = o->max_connections ? o->max_connections : HTTP_MAX_CONNECTIONS;
	h->max_streams = h->max_conns / 2; /* the other half for everyone else */
	h->window_start_ms = mono_ms();
	struct guard_limits lim = conn_guard_defaults(h->max_conns);
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->guard = conn_guard_create(&lim);
	h->by_slot = calloc(h->max_conns, sizeof(*h->by_slot));
	if (h->epfd < 0 || !h->guard || !h->by_slot) {
		feed_error_set(e, "out of memory");
		goto fail;
	}
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, job_pool_fd(jobs), &ev) != 0) {
		feed_error_set(e, "epoll: %s", strerror(errno));
		goto fail;
	}
	if (!(h->uploads = upload_writer_create(e)))
		goto fail;
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, upload_writer_fd(h->uploads), &ev) != 0) {
		feed_error_set(e, "epoll: %s", strerror(errno));
		goto fail;
	}
	char dir[API_BUNDLE_DIR_MAX];
	api_bundle_dir(api, dir, sizeof(dir));
	size_t left = upload_writer_clean(dir); /* the server was killed while receiving */
	if (left)
		server_log("INFO", "removed %zu unfinished upload%s left in %s by an earlier run",
			   left, left == 1 ? "" : "s", dir);
	if (o->port >= 0 && (h->listen_fd = listen_on(o->host, o->port, &h->port, e)) < 0)
		goto fail;
	h->tls = o->cert_pem && o->key_pem;
	struct MHD_Daemon *d = start_daemon(h, h->tls ? o->cert_pem : NULL, o->key_pem);
	if (!d) {
		feed_error_set(e, h->tls ? "cannot serve HTTPS: the certificate or the key does not "
					   "load (PEM), or they do not match"
					 : "cannot start the HTTP server");
		goto fail;
	}
	h->daemons[h->n_daemons++] = d;
	return h;
fail:
	http_shell_stop(h);
	return NULL;
}

/* Whether the certificate and key load and match, asked of GnuTLS itself:
 * libmicrohttpd is never started on a pair that does not. The certificate
 * is parsed on its own first: GnuTLS's key-and-certificate loader keeps a
 * certificate it could not parse (136 B and 9 KiB under it each time, GnuTLS
 * 3.7/3.8), which every reload with a broken renewal would add up. */
static bool tls_pair_loads(const char *cert_pem, const char *key_pem)
{
	gnutls_datum_t c = {(unsigned char *)(uintptr_t)cert_pem, (unsigned)strlen(cert_pem)};
	gnutls_datum_t k = {(unsigned char *)(uintptr_t)key_pem, (unsigned)strlen(key_pem)};
	gnutls_x509_crt_t *chain = NULL;
	unsigned n = 0;
	if (gnutls_x509_crt_list_import2(&chain, &n, &c, GNUTLS_X509_FMT_PEM, 0) < 0)
		return false;
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(chain[i]);
	gnutls_free(chain);
	gnutls_certificate_credentials_t cred;
	if (n == 0 || gnutls_certificate_allocate_credentials(&cred) < 0)
		return false;
	bool ok = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM) >= 0;
	gnutls_certificate_free_credentials(cred);
	return ok;
}

static void drop_next_tls(struct http_shell *h)
{
	free(h->next_cert);
	if (h->next_key) /* a private key does not linger in freed memory */
		memset(h->next_key, 0, strlen(h->next_key));
	free(h->next_key);
	h->next_cert = h->next_key = NULL;
}

/* When every daemon's place is taken, the new certificate waits (a retry
 * each turn of the loop) rather than the tokens: the old daemons' kept-alive
 * connections idle between requests are closed now (a client opens a new
 * one), the others close after their current answer (close_if_old), so the
 * place frees within one request of each client. Closing them at every
 * reload would cut kiosks for nothing: after their next answer they leave
 * the old daemon anyway. */
static void empty_old_daemons(struct http_shell *h)
{
	struct MHD_Daemon *current = h->daemons[h->n_daemons - 1];
	for (size_t i = 0; i < h->max_conns; i++) {
		struct conn *conn = h->by_slot[i];
		if (conn && conn->daemon != current && conn->idle && conn->fd >= 0)
			shutdown(conn->fd, SHUT_RDWR);
	}
}

/* Starts the daemon of the waiting certificate; false when it cannot yet. */
static bool swap_tls(struct http_shell *h)
{
	if (h->n_daemons == MAX_DAEMONS)
		return false;
	struct MHD_Daemon *d = start_daemon(h, h->next_cert, h->next_key);
	drop_next_tls(h);
	if (!d)
		return false;
	/* the old daemon stops accepting; its connections finish on the old
	 * certificate */
	int fd = MHD_quiesce_daemon(h->daemons[h->n_daemons - 1]);
	if (fd >= 0)
		close(fd);
	h->daemons[h->n_daemons++] = d;
	close_streams(h); /* the screens come back on the new certificate */
	return true;
}

enum http_tls_reload http_shell_reload_tls(struct http_shell *h, const char *cert_pem,
					   const char *key_pem, struct feed_error *e)
{
	if (!h->tls || h->listen_fd < 0) {
		feed_error_set(e, "the server was started without HTTPS: restart it to add it");
		return HTTP_TLS_FAILED;
	}
	if (!tls_pair_loads(cert_pem, key_pem)) {
		feed_error_set(e, "the new certificate or key does not load (PEM), or they do not "
				  "match: the old ones stay");
		return HTTP_TLS_FAILED;
	}
	drop_next_tls(h); /* a newer certificate replaces one still waiting */
	h->next_cert = strdup(cert_pem);
	h->next_key = strdup(key_pem);
	if (!h->next_cert || !h->next_key) {
		drop_next_tls(h);
		feed_error_set(e, "out of memory: the old certificate stays");
		return HTTP_TLS_FAILED;
	}
	h->next_since_ms = mono_ms();
	if (swap_tls(h))
		return HTTP_TLS_SWAPPED;
	if (h->next_cert) { /* every daemon's place taken: it waits, they are emptied */
		empty_old_daemons(h);
		return HTTP_TLS_WAITING;
	}
	feed_error_set(e, "the HTTPS server did not start with the new certificate: the old one "
			  "stays");
	return HTTP_TLS_FAILED;
}

size_t http_shell_revoke(struct http_shell *h, size_t *streams)
{
	size_t n = 0;
	*streams = 0;
	for (size_t i = 0; i < h->max_conns; i++) {
		struct conn *conn = h->by_slot[i];
		if (!conn || conn->who.role < 0 || api_identity_current(h->api, &conn->who))
			continue;
		conn->who.role = -1; /* cut once */
		n++;
		if (conn->stream && !conn->stream->closing) {
			stream_cut(conn->stream);
			++*streams;
		} else if (conn->fd >= 0) {
			shutdown(conn->fd, SHUT_RDWR);
		}
	}
	return n;
}

/* Daemons that no longer accept and hold no connection are stopped. */
static void reap_daemons(struct http_shell *h)
{
	for (size_t i = 0; i + 1 < h->n_daemons;) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(h->daemons[i], MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info && info->num_connections == 0) {
			MHD_stop_daemon(h->daemons[i]);
			memmove(&h->daemons[i], &h->daemons[i + 1],
				(h->n_daemons - i - 1) * sizeof(*h->daemons));
			h->n_daemons--;
		} else {
			i++;
		}
	}
}

static void take_jobs(struct http_shell *h)
{
	void *tag;
	struct api_response res;
	bool gz;
	while (job_pool_take(h->jobs, &tag, &res, &gz)) {
		struct request *r = tag;
		r->result = res;
		r->result_gz = gz;
		r->has_result = true;
		r->working = false;
		MHD_resume_connection(r->conn->c);
	}
}

/* The writer's word on uploads: one may go on reading, one is written. */
static void take_uploads(struct http_shell *h)
{
	void *tag;
	enum upload_event what;
	bool resumed = false;
	while (upload_writer_take(h->uploads, &tag, &what)) {
		struct request *r = tag;
		if (what == UPLOAD_EVENT_DONE) {
			r->upload_done = true;
			r->working = false;
		} else if (!r->upload_paused) {
			continue;
		}
		r->upload_paused = false;
		MHD_resume_connection(r->c);
		resumed = true;
	}
	/* the bytes of a resumed upload wait in its socket already: no new
	 * event would wake the loop for them, so they are read now */
	for (size_t i = 0; resumed && i < h->n_daemons; i++)
		MHD_run(h->daemons[i]);
}

static void guard(struct http_shell *h, int64_t now)
{
	struct guard_cut cuts[256];
	size_t n = conn_guard_due(h->guard, now, cuts, sizeof(cuts) / sizeof(*cuts));
	for (size_t i = 0; i < n; i++) {
		struct conn *conn = h->by_slot[cuts[i].slot];
		h->cuts[cuts[i].why]++;
		if (conn && conn->fd >= 0 && (conn->downloading || cuts[i].why == GUARD_CUT_RESPONSE)) {
			/* a reset, not an end queued behind the unsent answer: the
			 * kernel does not keep sending to a reader that does not read */
			struct linger hard = {.l_onoff = 1, .l_linger = 0};
			setsockopt(conn->fd, SOL_SOCKET, SO_LINGER, &hard, sizeof(hard));
		}
		/* libmicrohttpd sees the end of the stream and closes it */
		if (conn && conn->fd >= 0)
			shutdown(conn->fd, SHUT_RDWR);
	}
}

/* epoll's mark for the stop descriptor's events */
static const char stop_mark;

static bool step(struct http_shell *h, int timeout_ms)
{
	int64_t now = mono_ms();
	int wait = timeout_ms < TICK_MS ? timeout_ms : TICK_MS;
	for (size_t i = 0; i < h->n_daemons; i++) {
		MHD_UNSIGNED_LONG_LONG t;
		if (MHD_get_timeout(h->daemons[i], &t) == MHD_YES && t < (MHD_UNSIGNED_LONG_LONG)wait)
			wait = (int)t;
	}
	int64_t next = conn_guard_next_deadline(h->guard);
	if (next != INT64_MAX && next - now < wait)
		wait = next - now > 0 ? (int)(next - now) : 0;
	struct epoll_event ev[8];
	int n = epoll_wait(h->epfd, ev, 8, wait);
	bool stop = false;
	for (int i = 0; i < n; i++)
		stop |= ev[i].data.ptr == &stop_mark;
	for (size_t i = 0; i < h->n_daemons; i++)
		MHD_run(h->daemons[i]);
	take_jobs(h);
	take_uploads(h);
	now = mono_ms();
	pump_streams(h, now);
	guard(h, now);
	reap_daemons(h);
	if (h->next_cert && h->n_daemons < MAX_DAEMONS) {
		int64_t waited = now - h->next_since_ms;
		if (swap_tls(h))
			server_log("INFO", "reload: the new TLS certificate is served now, after %lld s "
					   "waiting for connections from earlier reloads to end",
				   (long long)(waited / 1000));
		else
			server_log("ERROR", "reload: the HTTPS server did not start with the new "
					    "certificate; the old one stays");
	}
	roll_window(h, now);
	return stop;
}

void http_shell_step(struct http_shell *h, int timeout_ms)
{
	step(h, timeout_ms);
}

void http_shell_serve(struct http_shell *h, int stop_fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = (void *)&stop_mark};
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, stop_fd, &ev) != 0)
		return;
	while (!step(h, 1000))
		;
	epoll_ctl(h->epfd, EPOLL_CTL_DEL, stop_fd, NULL);
}

bool http_shell_add(struct http_shell *h, int fd)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	return MHD_add_connection(h->daemons[h->n_daemons - 1], fd, (struct sockaddr *)&sa,
				  sizeof(sa)) == MHD_YES;
}

int http_shell_port(const struct http_shell *h)
{
	return h->port;
}

bool http_shell_tls(const struct http_shell *h)
{
	return h->tls;
}

size_t http_shell_connections(const struct http_shell *h)
{
	return h->n_conns;
}

void http_shell_stop(struct http_shell *h)
{
	if (!h)
		return;
	/* every suspended request gets its answer back, and every stream its
	 * end, before the daemons stop */
	h->stopping = true;
	if (h->jobs && h->n_daemons) {
		job_pool_drain(h->jobs);
		take_jobs(h);
		close_streams(h);
		for (struct request *r = h->uploading; r; r = r->next_upload)
			if (r->upload_paused || (r->working && !r->upload_done)) {
				/* cut: what was not written is not kept */
				r->upload_paused = r->working = false;
				if (r->conn && r->conn->fd >= 0)
					shutdown(r->conn->fd, SHUT_RDWR);
				MHD_resume_connection(r->c);
			}
		for (int round = 0; round < 3; round++) /* resumed, read to the end, closed */
			for (size_t i = 0; i < h->n_daemons; i++)
				MHD_run(h->daemons[i]);
	}
	for (size_t i = 0; i < h->n_daemons; i++)
		MHD_stop_daemon(h->daemons[i]);
	upload_writer_destroy(h->uploads); /* after the requests that used it */
	if (h->listen_fd >= 0)
		close(h->listen_fd);
	if (h->epfd >= 0)
		close(h->epfd);
	conn_guard_destroy(h->guard);
	drop_next_tls(h);
	free(h->by_slot);
	free(h);
}
