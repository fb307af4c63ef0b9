/* api: venueboard-server's behaviour, with no sockets — a request in, a
 * response out, state in the store. The HTTP shell (http_shell.c) only moves
 * bytes; tests drive this module directly with a real SQLite file. */
#ifndef VB_API_H
#define VB_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct server_config;
struct store;

enum {
	API_MAX_BODY = 8 * 1024 * 1024,   /* bytes of any request body */
	API_MAX_SAMPLE_LINES = 50000,     /* lines in one samples batch */
	API_RECENT_SAMPLE_S = 15 * 60,    /* samples /v1/queues hands to kiosks */
	API_MAX_QUERY = 4096,             /* bytes of a rebuilt query string */
	API_MAX_QUERY_PARAMS = 16,        /* parameters in one query string */
	API_MAX_QUERY_VALUE = 128,        /* bytes of one decoded name or value */
	API_SINCE_WINDOW_S = 24 * 3600,   /* /v1/queues?since reaches this far back */
	API_MAX_SINCE_SAMPLES = 200000,   /* timed sample lines in one since answer */
	API_MAX_DECLARATIONS = 10000,     /* latest queue declarations in it */
	API_MAX_HEARTBEAT = 256 * 1024,   /* bytes of a screen's heartbeat body */
	API_MAX_THUMBNAIL = 96 * 1024,    /* bytes of its PNG thumbnail, decoded */
	API_SCREEN_STALE_S = 120,         /* a screen not heard from for longer is stale */
};

struct api_request {
	const char *method, *path;
	const char *query;         /* k=v&k=v, percent-encoded, no '?'; NULL when none */
	const char *if_none_match; /* NULL when absent */
	const char *authorization; /* the Authorization header, NULL when absent */
	const char *body;
	size_t body_len;
	int64_t now_ms;
};

struct api_response {
	int status;
	const char *content_type;
	char *body; /* malloc'd, owned by the response: api_response_finish */
	size_t body_len; /* bytes of body (a PNG holds NULs: use this, not strlen) */
	char etag[24]; /* quoted, "" when none */
	const char *cache_control; /* NULL when none */
	const char *allow;         /* for 405 */
	char log[256];             /* what an operator should read at INFO, "" when nothing */
};

struct api;

/* Loads the state from the store (schedule, changes, recent samples); when
 * the store has no schedule and initial_feed is given, publishes it. Both
 * borrowed for the api's life. Caller owns (api_destroy). */
struct api *api_create(const struct server_config *config, struct store *store,
		       const char *initial_feed, size_t initial_len, int64_t now_ms,
		       struct feed_error *e);
void api_destroy(struct api *api);

/* Handles one request. Never fails: errors are responses. */
void api_handle(struct api *api, const struct api_request *req, struct api_response *res);
void api_response_finish(struct api_response *res);

/* The largest body a request to path may carry (API_MAX_BODY, less for some
 * paths): the HTTP shell stops reading there. */
size_t api_max_body(const char *path);

#endif
