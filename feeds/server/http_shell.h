/* http_shell: libmicrohttpd around api.c, in one event loop. The method,
 * path and token are checked from the headers before a byte of the body is
 * read; bodies and responses in flight have a memory budget; every stage of a
 * request has a deadline (conn_guard); reads too slow for the loop go to the
 * job pool; HTTPS when given a certificate, which SIGHUP can replace without
 * dropping a request. */
#ifndef VB_HTTP_SHELL_H
#define VB_HTTP_SHELL_H

#include <stdbool.h>
#include <stddef.h>

#include "feed_error.h"

struct api;
struct job_pool;
struct http_shell;

enum {
	HTTP_MAX_CONNECTIONS = 2000,             /* default connection limit */
	HTTP_UPLOAD_BUDGET = 64 * 1024 * 1024,   /* request bodies held at once */
	HTTP_RESPONSE_BUDGET = 64 * 1024 * 1024, /* response bodies being sent (not shared ones) */
	HTTP_MAX_WAITING_JOBS = 16,              /* slow reads queued for the workers */
};

struct http_options {
	const char *host; /* IPv4 or IPv6 address to listen on */
	int port;         /* 0: any free port; -1: none (connections come from http_shell_add) */
	const char *cert_pem, *key_pem; /* HTTPS when both are set (borrowed during the call) */
	size_t max_connections;         /* 0: HTTP_MAX_CONNECTIONS */
};

/* Starts serving api (and jobs: slow reads; both borrowed). Caller owns the
 * result (http_shell_stop). NULL, e saying why, when it cannot listen or the
 * certificate does not load. */
struct http_shell *http_shell_start(struct api *api, struct job_pool *jobs,
				    const struct http_options *o, struct feed_error *e);
int http_shell_port(const struct http_shell *h);
bool http_shell_tls(const struct http_shell *h);

/* Serves until stop_fd (a signalfd, a pipe) is readable; returns then. */
void http_shell_serve(struct http_shell *h, int stop_fd);

/* One turn of the loop: waits at most timeout_ms for something to do. */
void http_shell_step(struct http_shell *h, int timeout_ms);

enum http_tls_reload {
	HTTP_TLS_SWAPPED, /* new connections get the new certificate */
	HTTP_TLS_WAITING, /* it loads, but every daemon's place is taken: served (and said
			   * in the log) once one is free; the old ones' connections close */
	HTTP_TLS_FAILED,  /* e says why; the old certificate stays */
};

/* Serves new connections with this certificate and key (copied); the
 * connections already open finish on the old ones, and those kept alive
 * between requests are closed so that the old certificate's daemon empties. */
enum http_tls_reload http_shell_reload_tls(struct http_shell *h, const char *cert_pem,
					   const char *key_pem, struct feed_error *e);

/* Cuts every connection (and stream) whose latest request's token the api
 * no longer knows as it was (removed, rotated, another role): call after
 * api_set_config. Returns how many; *streams of them were streams. */
size_t http_shell_revoke(struct http_shell *h, size_t *streams);

/* Calls fn(ctx) from the loop, after the turn's requests, whenever fd is
 * readable; one watch at a time (the next replaces it; fd -1: none). */
bool http_shell_watch(struct http_shell *h, int fd, void (*fn)(void *ctx), void *ctx);

/* Hands the shell a connected socket (taken), as if it had accepted it. */
bool http_shell_add(struct http_shell *h, int fd);

/* Connections open now. */
size_t http_shell_connections(const struct http_shell *h);

void http_shell_stop(struct http_shell *h);

#endif
