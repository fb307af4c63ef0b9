/* http_stream: GET /v1/stream's connections, held open; each turn of the
 * loop queues the screens' events on them and wakes the ones waiting. */
#define _GNU_SOURCE /* POLLRDHUP: a stream's client gone */
#include "http_stream.h"

#include "http_reply.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum {
	STREAM_KEEPALIVE_MS = 15000, /* a comment down each idle stream: proxies and NATs */
	STREAM_BACKLOG = 64 * 1024,  /* unsent bytes a stream may hold: a client that does
				      * not read is cut, not buffered for */
	STREAM_STALL_MS = 30000,     /* unsent bytes not taken for this long: cut too */
	STREAMS_PER_SCREEN = 2,      /* a new one beyond replaces the screen's oldest */
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
void http_stream_cut(struct stream *st)
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
				http_stream_cut(who[i]);
	free(fds);
	free(who);
}

/* Queues what changed (or a comment when nothing has for a while) on every
 * stream, and wakes the ones waiting. */
void http_stream_pump(struct http_shell *h, int64_t now)
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
			http_stream_cut(st);
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
void http_stream_close_all(struct http_shell *h)
{
	for (struct stream *st = h->streams; st; st = st->next)
		http_stream_cut(st);
}

/* Answers GET /v1/stream: res's body is the first event; the connection
 * stays open. At most max_streams at once (half the connections), and
 * STREAMS_PER_SCREEN per screen: a screen's new stream replaces its oldest,
 * since a kiosk that reconnects after a network blip must not be locked out
 * by its own half-dead stream (nor can one token hold every place). */
enum MHD_Result http_stream_open(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
				 struct api_response *res)
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
		http_stream_cut(oldest);
		live--;
	}
	struct stream *st = live < h->max_streams ? calloc(1, sizeof(*st)) : NULL;
	if (!st) {
		http_reply_busy(res, "too many screens streaming");
		return http_reply_send(h, c, conn, res, false);
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
		http_reply_busy(res, "out of memory");
		return http_reply_send(h, c, conn, res, false);
	}
	struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
								   stream_read, st, stream_free);
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
	MHD_add_response_header(r, "Content-Security-Policy", http_reply_csp);
	if (conn)
		conn_guard_stage(h->guard, conn->slot, GUARD_STREAMING, 0, now);
	enum MHD_Result ok = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}

bool http_stream_closing(const struct stream *st)
{
	return st->closing;
}

void http_stream_detach(struct stream *st)
{
	st->conn = NULL;
}
