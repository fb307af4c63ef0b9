/* http_shell: with the files http_shell_internal.h lists, the only code
 * that knows about sockets. libmicrohttpd runs in
 * "external" epoll mode inside this file's loop, so one thread answers every
 * request (api.c needs no locks) and the same loop cuts the connections the
 * guard names, takes finished jobs back from the worker threads and rolls the
 * log's summaries. */
#include "http_shell.h"

#include "api.h"
#include "conn_guard.h"
#include "http_request.h"
#include "http_shell_internal.h"
#include "http_stream.h"
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	LOG_WINDOW_MS = 10000,   /* refusals and cuts are summed up over this */
	LOG_REFUSALS = 20,       /* refusals logged one by one in a window */
	TICK_MS = 250,           /* the guard (and the streams) look at least this often */
	POOL_BYTES = 128 * 1024, /* libmicrohttpd's memory per connection (headers, arguments) */
};

static const char tls_priorities[] = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

/* ---- logging, summed up under attack --------------------------------------------- */

static void roll_window(struct http_shell *h, int64_t now)
{
	if (now - h->window_start_ms < LOG_WINDOW_MS)
		return;
	if (h->refused_more)
		server_log("INFO",
			   "%u more requests refused in the last %d s (not logged one by one)",
			   h->refused_more, LOG_WINDOW_MS / 1000);
	if (h->mhd_more)
		server_log("INFO", "%u more messages from libmicrohttpd in the last %d s",
			   h->mhd_more, LOG_WINDOW_MS / 1000);
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
		server_log("INFO",
			   "streams in the last %d s: %u replaced by a newer one of the same "
			   "screen, %u cut for not reading; %zu open",
			   LOG_WINDOW_MS / 1000, h->streams_replaced, h->streams_stalled,
			   h->n_streams);
	h->streams_replaced = h->streams_stalled = 0;
	memset(h->cuts, 0, sizeof(h->cuts));
	h->refused_logged = h->refused_more = 0;
	h->mhd_logged = h->mhd_more = 0;
	h->window_start_ms = now;
}

void http_shell_log_refusal(struct http_shell *h, const char *method, const char *url, int status,
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

/* ---- connections ------------------------------------------------------------------- */

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
				http_stream_detach(conn->stream);
			h->n_conns--;
			free(conn);
			*socket_context = NULL;
		}
		return;
	}
	struct conn *conn = calloc(1, sizeof(*conn));
	const union MHD_ConnectionInfo *fd =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ad =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
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
			 (cert ? MHD_USE_TLS : 0) |
			 (h->listen_fd < 0 ? MHD_USE_NO_LISTEN_SOCKET : 0);
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, http_request_receive, h,
						MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h,
						MHD_OPTION_NOTIFY_COMPLETED, http_request_complete,
						h, MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
						MHD_OPTION_ARRAY, o, MHD_OPTION_END);
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
	h->watch.fd = -1;
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
		feed_error_set(e,
			       h->tls ? "cannot serve HTTPS: the certificate or the key does not "
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
	http_stream_close_all(h); /* the screens come back on the new certificate */
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
		if (conn->stream && !http_stream_closing(conn->stream)) {
			http_stream_cut(conn->stream);
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
		if (conn && conn->fd >= 0 &&
		    (conn->downloading || cuts[i].why == GUARD_CUT_RESPONSE)) {
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
		if (MHD_get_timeout(h->daemons[i], &t) == MHD_YES &&
		    t < (MHD_UNSIGNED_LONG_LONG)wait)
			wait = (int)t;
	}
	int64_t next = conn_guard_next_deadline(h->guard);
	if (next != INT64_MAX && next - now < wait)
		wait = next - now > 0 ? (int)(next - now) : 0;
	struct epoll_event ev[8];
	int n = epoll_wait(h->epfd, ev, 8, wait);
	bool stop = false, watched = false;
	for (int i = 0; i < n; i++) {
		stop |= ev[i].data.ptr == &stop_mark;
		watched |= ev[i].data.ptr == &h->watch;
	}
	for (size_t i = 0; i < h->n_daemons; i++)
		MHD_run(h->daemons[i]);
	if (watched)
		h->watch.fn(h->watch.ctx);
	take_jobs(h);
	take_uploads(h);
	now = mono_ms();
	http_stream_pump(h, now);
	guard(h, now);
	reap_daemons(h);
	if (h->next_cert && h->n_daemons < MAX_DAEMONS) {
		int64_t waited = now - h->next_since_ms;
		if (swap_tls(h))
			server_log("INFO",
				   "reload: the new TLS certificate is served now, after %lld s "
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

bool http_shell_watch(struct http_shell *h, int fd, void (*fn)(void *ctx), void *ctx)
{
	if (h->watch.fd >= 0)
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, h->watch.fd, NULL);
	h->watch.fd = -1;
	if (fd < 0)
		return true;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &h->watch};
	if (epoll_ctl(h->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return false;
	h->watch.fd = fd;
	h->watch.fn = fn;
	h->watch.ctx = ctx;
	return true;
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
		http_stream_close_all(h);
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
