/* api_test: what the api's test programs (unit/test_api_*.c) share — the
 * configuration and tokens, a database file of their own, and requests
 * handled as the server's shell and workers handle them, without sockets. */
#ifndef VB_API_TEST_H
#define VB_API_TEST_H

#include "test_util.h"

#include "api.h"
#include "server_config.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The moment every request is made at unless it says otherwise:
 * 2014-11-06T09:00:00Z, the demo summit's Thursday. */
extern const int64_t NOW;

/* The program's database: a name mkstemp made in api_test_setup, so that
 * programs running side by side never share one; its bundles beside it in
 * db_path.bundles. */
extern char db_path[];

/* The configuration api_test_setup parses: the database above, alice the
 * organizer, the door sensor, the screens palais-l2-east and hall-b. */
extern struct server_config config;

/* Their Authorization headers. */
extern const char org[], sensor[], palais[], hall[];

struct fixture {
	struct store *store;
	struct api *api;
};

/* The group setup: a new database name and the configuration; 0 or -1. */
int api_test_setup(void **state);

/* A new database name in db_path (a test's own setup); 0 or -1. */
int api_test_fresh_db(void **state);

/* Each test's teardown: the database, its WAL and bundle folder removed. */
int api_test_teardown(void **state);

/* An api over db_path at NOW with config, the demo summit's schedule
 * published when with_feed; fails the test when it does not start. */
void open_api(struct fixture *f, bool with_feed);

/* The same, without a schedule and with the api's log captured in lc. */
void open_api_logged(struct fixture *f, struct test_log *lc);

void close_api(struct fixture *f);

/* api_handle, and a job (a slow read) run as the server's workers run it,
 * on a database handle of its own. */
void handle(struct api *api, const struct api_request *req, struct api_response *res);

/* One request at NOW; the response body parsed into *json (caller deletes;
 * json may be NULL), the ETag copied (etag may be NULL), status returned.
 * An error must be a JSON error. */
int call_query(struct api *api, const char *method, const char *path, const char *query,
	       const char *auth, const char *body, const char *inm, cJSON **json, char etag[24]);

/* call_query at now_ms. */
int call_query_at(struct api *api, int64_t now_ms, const char *method, const char *path,
		  const char *query, const char *auth, const char *body, const char *inm,
		  cJSON **json, char etag[24]);

/* POST /v1/bundles as the shell hands an upload over: its body already in
 * the file up (in db_path.bundles); *json the answer (caller deletes; json
 * may be NULL); the status. */
int post_upload(struct api *api, const char *up, const char *query, cJSON **json);

/* The update in a heartbeat's answer at now_ms (caller deletes; NULL when
 * none); image is what the screen says it runs, update its update state. */
cJSON *update_for(struct api *api, int64_t now_ms, const char *auth, const char *image,
		  const char *update);

/* call_query without a query string. */
int call(struct api *api, const char *method, const char *path, const char *auth, const char *body,
	 const char *inm, cJSON **json, char etag[24]);

/* One request at now_ms, the response as the api made it (caller:
 * api_response_finish). An error must be a JSON error. */
void request_at(struct api *api, int64_t now_ms, const char *method, const char *path,
		const char *auth, const char *body, const char *inm, struct api_response *res);

/* GET /v1/audit's list (caller deletes), and its length. */
cJSON *audit_of(struct api *api);
int audit_size(struct api *api);

/* POST /v1/screens/heartbeat at now_ms; the status. log (may be NULL)
 * receives the INFO line. */
int heartbeat_at(struct api *api, int64_t now_ms, const char *auth, const char *body,
		 char log[320]);

/* A heartbeat's answer at now_ms, parsed (caller deletes); it must be 200. */
cJSON *heartbeat_answer_at(struct api *api, int64_t now_ms, const char *auth, const char *body);

/* POST /v1/samples at now_ms with the sensor's token: the status must be
 * status and the body hold says (when not NULL). */
void post_samples_at(struct api *api, int64_t now_ms, const char *body, int status,
		     const char *says);

/* The item of GET path's list whose key is value, at now_ms (caller
 * deletes); the test fails when there is none. */
cJSON *listed_item(struct api *api, int64_t now_ms, const char *path, const char *list,
		   const char *key, const char *value);

/* The estimate of queue id in GET /v1/queues at now_ms (caller deletes). */
cJSON *queue_estimate(struct api *api, int64_t now_ms, const char *id);

/* One room count line (camera cam-1) at minute offset min (may be negative)
 * from NOW, with its newline. */
void room_line(char *out, size_t cap, const char *room, int people, int min);

#endif
