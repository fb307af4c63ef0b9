/* api: venueboard-server's behaviour, with no sockets — a request in, a
 * response out, state in the store. The HTTP shell (http_shell.c and the
 * files of http_shell_internal.h) only moves bytes; tests drive this module
 * directly with a real SQLite file. */
#ifndef VB_API_H
#define VB_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct server_config;
struct store;
struct blob;

enum {
	API_BUNDLE_DIR_MAX = 1100,      /* bytes of the bundles' folder's path */
	API_BUNDLE_PATH_MAX = 1200,     /* bytes of a bundle file's path */
	API_MAX_BODY = 8 * 1024 * 1024, /* bytes of any request body */
	API_MAX_SAMPLE_LINES = 50000,   /* lines in one samples batch */
	API_RECENT_SAMPLE_S = 15 * 60,  /* samples /v1/queues hands to kiosks */
	API_MAX_QUERY = 4096,           /* bytes of a rebuilt query string */
	API_MAX_QUERY_PARAMS = 16,      /* parameters in one query string */
	API_MAX_QUERY_VALUE = 128,      /* bytes of one decoded name or value */
	API_SINCE_WINDOW_S = 24 * 3600, /* /v1/queues?since reaches this far back */
	API_MAX_SINCE_SAMPLES = 50000,  /* timed sample lines in one since answer */
	API_MAX_DECLARATIONS = 10000,   /* latest queue declarations in it */
	API_MAX_HEARTBEAT = 256 * 1024, /* bytes of a screen's heartbeat body */
	API_MAX_THUMBNAIL = 96 * 1024,  /* bytes of its PNG thumbnail, decoded */
	API_SCREEN_STALE_S = 120,       /* a screen not heard from for longer is stale */
	API_SAMPLE_AHEAD_S = 300,       /* a sample dated later than now + this is refused */
	API_MAX_NOTICE = 280,           /* bytes of a notice */
	API_MAX_CHANGES = 100000,       /* changes and notices the server keeps applying */
	API_HEALTH_PROBE_S = 10,        /* /healthz writes to the database at most this often */
};

struct api_request {
	const char *method, *path;
	const char *query;         /* k=v&k=v, percent-encoded, no '?'; NULL when none */
	const char *if_none_match; /* NULL when absent */
	const char *authorization; /* the Authorization header, NULL when absent */
	const char *body;
	size_t body_len;
	int64_t now_ms;
	/* a body the shell wrote to a file instead (a bundle): its path, size
	 * and SHA-256 (hex); NULL when none */
	const char *upload_path;
	uint64_t upload_size;
	const char *upload_sha256;
};

struct api_job;

struct api_response {
	int status;
	const char *content_type;
	char *body;          /* malloc'd, owned by the response: api_response_finish */
	size_t body_len;     /* bytes of body (a PNG holds NULs: use this, not strlen) */
	struct blob *blob;   /* instead of body: a shared, immutable body (one reference, ours) */
	struct api_job *job; /* instead of a body: work to finish off the polling thread */
	char etag[24];       /* quoted, "" when none */
	const char *cache_control; /* NULL when none */
	const char *allow;         /* for 405 */
	const char *authenticate;  /* WWW-Authenticate, for 401 */
	const char *csp;           /* Content-Security-Policy of a page, NULL: the API's */
	int retry_after_s;         /* Retry-After when > 0 (503) */
	/* a stream (GET /v1/stream): the body is the first event, the shell
	 * keeps the connection and sends api_stream_event() when
	 * api_stream_generation() moves, and a comment now and then */
	bool stream;
	char stream_screen[65];
	/* a file to send (a bundle) instead of a body: the shell serves ranges */
	char file[API_BUNDLE_PATH_MAX];
	uint64_t file_size;
	char log[320]; /* what an operator should read at INFO, "" when nothing */
};

/* Where the api reports what an operator must know outside any request:
 * what it skipped while loading, a configuration reloaded. */
struct api_log {
	void (*fn)(void *ctx, const char *level, const char *line);
	void *ctx;
};

struct api;

/* Loads the state from the store (schedule, changes, recent samples); when
 * the store has no schedule and initial_feed is given, publishes it. Stored
 * changes or samples that can no longer apply are skipped and reported
 * through log, never fatal. config and store are borrowed for the api's life
 * (config until api_set_config). Caller owns (api_destroy). */
struct api *api_create(const struct server_config *config, struct store *store,
		       const char *initial_feed, size_t initial_len, int64_t now_ms,
		       const struct api_log *log, struct feed_error *e);
void api_destroy(struct api *api);

/* Swaps in a reloaded configuration (tokens, screens), borrowed from now on;
 * the previous one may be freed once this returns. Settings that need a
 * restart (listen, database) are the caller's to compare. */
bool api_set_config(struct api *api, const struct server_config *config, struct feed_error *e);

/* Decides, from the headers alone (req's body unset), whether the request
 * is worth reading: an unknown path, a wrong method, a missing or wrong
 * token or a declared body over the limit are answered at once (res filled,
 * false), before a byte of the body is buffered. Otherwise true, with the
 * largest body the request may carry in *max_body. declared_len is the
 * Content-Length, or -1 when not given. */
bool api_preflight(struct api *api, const struct api_request *req, int64_t declared_len,
		   size_t *max_body, struct api_response *res);

/* True when the request preflighted is an upload the shell writes to a file
 * in dir (api_bundle_dir) rather than to memory. */
bool api_upload_to_file(const struct api *api, const struct api_request *req, char *dir,
			size_t cap);

/* The folder bundles are uploaded to and kept in. */
void api_bundle_dir(const struct api *api, char *out, size_t cap);

/* What an upload must leave free: the database's file (its filesystem) and
 * the disk-reserve setting (*set false: the server's default). */
void api_upload_reserve(const struct api *api, const char **database, bool *set, uint64_t *reserve);

/* Handles one complete request. Never fails: errors are responses. A
 * response may carry a job instead of a body (res->job): run it with
 * api_job_run, anywhere, then send what it answers. */
void api_handle(struct api *api, const struct api_request *req, struct api_response *res);
void api_response_finish(struct api_response *res);

/* Runs a job on any thread, reading through reader (a store of its own:
 * store_open_reader), and fills res; the job is consumed. */
void api_job_run(struct api_job *job, struct store *reader, struct api_response *res);
void api_job_destroy(struct api_job *job);

/* Who a request's token is: its role (enum token_role; -1 when none), name
 * and a fingerprint of its secret, kept by the shell for a connection so
 * that after a reload it can cut those whose token no longer stands. */
struct api_identity {
	int role;
	char name[65];
	uint64_t fingerprint;
};

/* The configured token in authorization (an Authorization header, may be
 * NULL), whatever its role, into *out; false (out->role -1) when none. */
bool api_identify(const struct api *api, const char *authorization, struct api_identity *out);

/* True when id still names a configured token: the same secret, role and
 * name (false for no token). */
bool api_identity_current(const struct api *api, const struct api_identity *id);

/* What the shell's links to the people counters (source_links.c) bring:
 * a payload of a source (an MQTT message, a poll's answer), a poll or login
 * that failed, a device reached again, the broker's state. */
enum api_source_event_kind {
	API_SOURCE_PAYLOAD,
	API_SOURCE_FAILED,
	API_SOURCE_REACHED,
	API_BROKER_STATE
};
struct api_source_event {
	enum api_source_event_kind kind;
	const char *source; /* its name; NULL for the broker */
	const char *topic;  /* an MQTT message's, else NULL */
	const char *bytes;  /* a payload */
	size_t len;
	int64_t at_ms;    /* when it was received (UTC ms) */
	const char *what; /* the broker: "connected", "connecting" or "failing" */
	const char *why;  /* a failure, in words; NULL or "" when none */
};

/* Takes what the links brought, in order: the payloads' samples stored in
 * one transaction, as posted samples are; faults logged once per kind. */
void api_sources_events(struct api *api, const struct api_source_event *v, size_t n,
			int64_t now_ms);

/* The event a screen's stream sends now: its live alerts and the served
 * schedule's version ("event: state\ndata: {...}\n\n"); malloc'd, caller
 * frees; NULL on OOM. */
char *api_stream_event(struct api *api, const char *screen);
/* Moves whenever what a stream sends may have changed. */
uint64_t api_stream_generation(const struct api *api);

#endif
