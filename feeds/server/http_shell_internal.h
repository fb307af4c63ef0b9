/* http_shell_internal: what the HTTP shell's files share — the shell's
 * state, its connections and requests. Not for use outside feeds/server.
 *   http_shell.c     the daemons and the loop, connections, TLS reloads, the log's summaries
 *   http_request.c   a request from its headers to the api's answer: refusals, bodies, uploads
 *   http_reply.c     answers queued on libmicrohttpd: headers, gzip, the response budget
 *   http_download.c  files (bundles) sent from the disk: ranges, downloads per token
 *   http_stream.c    screens' event streams (GET /v1/stream) */
#ifndef VB_HTTP_SHELL_INTERNAL_H
#define VB_HTTP_SHELL_INTERNAL_H

#include "http_shell.h"

#include "api.h"
#include "conn_guard.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <time.h>

enum {
	MAX_DAEMONS = 4, /* the current one and those finishing after a reload */
};

struct stream;
struct upload;
struct upload_writer;

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
	bool upload_paused;                 /* suspended: the writer has too much of it queued */
	bool upload_finishing, upload_done; /* synced and hashed: the api may keep it */
	bool upload_handed;                 /* its file was the api's to keep: gone from its name */
	struct request *next_upload, **prev_upload;
	size_t reserved; /* bytes of the upload budget held */
	bool too_big, over_budget;
	bool working;    /* suspended while a worker runs its job */
	bool has_result; /* the job's answer, waiting for the connection to resume */
	bool result_gz;
	struct api_response result;
};

struct http_shell {
	struct api *api;
	struct {
		int fd; /* -1: none */
		void (*fn)(void *ctx);
		void *ctx;
	} watch; /* another source of work for the loop (source_links) */
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

/* The clock of deadlines, windows and stream timers (every file of the shell). */
static inline int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Logs a request refused (http_shell.c): one by one up to a number in each
 * window, then only counted. */
void http_shell_log_refusal(struct http_shell *h, const char *method, const char *url, int status,
			    const char *addr);

#endif
