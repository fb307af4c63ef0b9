/* api_test: what the api's test programs (unit/test_api_*.c) share — the
 * configuration and tokens, a database file of their own, and requests
 * handled as the server's shell and workers handle them. */
#include "api_test.h"

#include "blob.h"
#include "civil_time.h"
#include "feed.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const int64_t NOW = 1415264400000LL; /* 2014-11-06T09:00:00Z */
char db_path[] = "/tmp/vb-api-test-XXXXXX";
struct server_config config;
const char org[] = "Bearer organizer-token-0123456789";
const char sensor[] = "Bearer sensor-token-0123456789ab";
const char palais[] = "Bearer screen-token-palais-l2-east";
const char hall[] = "Bearer screen-token-hall-b-01234567";

void open_api(struct fixture *f, bool with_feed)
{
	struct feed_error e = {{0}};
	size_t len = 0;
	char *feed =
		with_feed ? test_fixture("../../assets/demo/paris-2014.schedule.json", &len) : NULL;
	f->store = store_open(db_path, &e);
	assert_non_null(f->store);
	f->api = api_create(&config, f->store, feed, len, NOW, NULL, &e);
	if (!f->api)
		fail_msg("%s", e.msg);
	free(feed);
}

void close_api(struct fixture *f)
{
	api_destroy(f->api);
	store_close(f->store);
}

int api_test_fresh_db(void **state)
{
	static const char templ[] = "/tmp/vb-api-test-XXXXXX";
	_Static_assert(sizeof(templ) == sizeof(db_path), "db_path holds the template");
	(void)state;
	memcpy(db_path, templ, sizeof(templ));
	return test_db_path(db_path) ? 0 : -1;
}

int api_test_setup(void **state)
{
	if (api_test_fresh_db(state) != 0)
		return -1;
	char text[1024];
	snprintf(text, sizeof(text),
		 "database %s\nbundle-dir %s.bundles\n"
		 "organizer alice organizer-token-0123456789\n"
		 "sensor door sensor-token-0123456789ab\n"
		 "screen palais-l2-east screen-token-palais-l2-east\n"
		 "screen hall-b screen-token-hall-b-01234567\n",
		 db_path, db_path);
	struct feed_error e;
	return server_config_parse(text, strlen(text), &config, &e) ? 0 : -1;
}

int api_test_teardown(void **state)
{
	(void)state;
	char p[64];
	test_db_remove(db_path);
	snprintf(p, sizeof(p), "%s.bundles", db_path);
	rmdir(p);
	return 0;
}

void handle(struct api *api, const struct api_request *req, struct api_response *res)
{
	api_handle(api, req, res);
	if (res->blob) { /* a shared body: the bytes the shell sends */
		assert_null(res->body);
		res->body = strndup(res->blob->data, res->blob->len);
		res->body_len = res->blob->len;
		blob_unref(res->blob);
		res->blob = NULL;
	}
	if (!res->job)
		return;
	struct feed_error e = {{0}};
	struct store *reader = store_open_reader(db_path, &e);
	if (!reader)
		fail_msg("%s", e.msg);
	struct api_job *job = res->job;
	res->job = NULL;
	api_response_finish(res);
	api_job_run(job, reader, res);
	store_close(reader);
}

int call_query_at(struct api *api, int64_t now_ms, const char *method, const char *path,
		  const char *query, const char *auth, const char *body, const char *inm,
		  cJSON **json, char etag[24])
{
	struct api_request req = {.method = method,
				  .path = path,
				  .query = query,
				  .authorization = auth,
				  .body = body ? body : "",
				  .body_len = body ? strlen(body) : 0,
				  .if_none_match = inm,
				  .now_ms = now_ms};
	struct api_response res;
	handle(api, &req, &res);
	if (json)
		*json = res.body ? cJSON_Parse(res.body) : NULL;
	if (etag)
		memcpy(etag, res.etag, 24);
	int status = res.status;
	if (status >= 400) {
		cJSON *err = res.body ? cJSON_Parse(res.body) : NULL;
		if (!cJSON_IsString(cJSON_GetObjectItem(err, "error")))
			fail_msg("%s %s: %d without a JSON error", method, path, status);
		cJSON_Delete(err);
	}
	api_response_finish(&res);
	return status;
}

int call_query(struct api *api, const char *method, const char *path, const char *query,
	       const char *auth, const char *body, const char *inm, cJSON **json, char etag[24])
{
	return call_query_at(api, NOW, method, path, query, auth, body, inm, json, etag);
}

int post_upload(struct api *api, const char *up, const char *query, cJSON **json)
{
	struct api_request req = {.method = "POST",
				  .path = "/v1/bundles",
				  .query = query,
				  .authorization = org,
				  .body = "",
				  .now_ms = NOW,
				  .upload_path = up,
				  .upload_size = 10240,
				  .upload_sha256 = "ab12"};
	struct api_response res;
	handle(api, &req, &res);
	if (json)
		*json = res.body ? cJSON_Parse(res.body) : NULL;
	int status = res.status;
	api_response_finish(&res);
	return status;
}

cJSON *update_for(struct api *api, int64_t now_ms, const char *auth, const char *image,
		  const char *update)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"image\":\"%s\",\"slot\":\"a\",\"update\":\"%s\"}", image,
		 update);
	cJSON *a = NULL;
	assert_int_equal(call_query_at(api, now_ms, "POST", "/v1/screens/heartbeat", NULL, auth,
				       body, NULL, &a, NULL),
			 200);
	cJSON *u = cJSON_DetachItemFromObject(a, "update");
	cJSON_Delete(a);
	if (cJSON_IsNull(u)) {
		cJSON_Delete(u);
		return NULL;
	}
	return u;
}

int call(struct api *api, const char *method, const char *path, const char *auth, const char *body,
	 const char *inm, cJSON **json, char etag[24])
{
	return call_query(api, method, path, NULL, auth, body, inm, json, etag);
}

cJSON *audit_of(struct api *api)
{
	cJSON *doc;
	assert_int_equal(call(api, "GET", "/v1/audit", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *audit = cJSON_DetachItemFromObject(doc, "audit");
	cJSON_Delete(doc);
	assert_non_null(audit);
	return audit;
}

int audit_size(struct api *api)
{
	cJSON *audit = audit_of(api);
	int n = cJSON_GetArraySize(audit);
	cJSON_Delete(audit);
	return n;
}

void request_at(struct api *api, int64_t now_ms, const char *method, const char *path,
		const char *auth, const char *body, const char *inm, struct api_response *res)
{
	struct api_request req = {.method = method,
				  .path = path,
				  .authorization = auth,
				  .body = body ? body : "",
				  .body_len = body ? strlen(body) : 0,
				  .if_none_match = inm,
				  .now_ms = now_ms};
	handle(api, &req, res);
	if (res->status >= 400) {
		cJSON *err = res->body ? cJSON_ParseWithLength(res->body, res->body_len) : NULL;
		if (!cJSON_IsString(cJSON_GetObjectItem(err, "error")))
			fail_msg("%s %s: %d without a JSON error", method, path, res->status);
		cJSON_Delete(err);
	}
}

int heartbeat_at(struct api *api, int64_t now_ms, const char *auth, const char *body, char log[320])
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/screens/heartbeat", auth, body, NULL, &res);
	if (res.status == 204 && (res.body || res.body_len))
		fail_msg("204 with a body");
	if (log)
		memcpy(log, res.log, sizeof(res.log));
	int status = res.status;
	api_response_finish(&res);
	return status;
}

cJSON *heartbeat_answer_at(struct api *api, int64_t now_ms, const char *auth, const char *body)
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/screens/heartbeat", auth, body, NULL, &res);
	assert_int_equal(res.status, 200);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	assert_non_null(doc);
	return doc;
}

void open_api_logged(struct fixture *f, struct test_log *lc)
{
	struct feed_error e = {{0}};
	struct api_log log = {test_log_line, lc};
	f->store = store_open(db_path, &e);
	assert_non_null(f->store);
	f->api = api_create(&config, f->store, NULL, 0, NOW, &log, &e);
	if (!f->api)
		fail_msg("the server must start over any database: %s", e.msg);
}

void post_samples_at(struct api *api, int64_t now_ms, const char *body, int status,
		     const char *says)
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/samples", sensor, body, NULL, &res);
	if (res.status != status || (says && !strstr(res.body, says)))
		fail_msg("samples: %d %.*s, expected %d saying '%s'", res.status, (int)res.body_len,
			 res.body ? res.body : "", status, says ? says : "");
	api_response_finish(&res);
}

cJSON *listed_item(struct api *api, int64_t now_ms, const char *path, const char *list,
		   const char *key, const char *value)
{
	struct api_response res;
	request_at(api, now_ms, "GET", path, NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	cJSON *x, *hit = NULL;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, list))
		if (strcmp(cJSON_GetObjectItem(x, key)->valuestring, value) == 0)
			hit = cJSON_DetachItemViaPointer(cJSON_GetObjectItem(doc, list), x);
	cJSON_Delete(doc);
	if (!hit)
		fail_msg("%s %s is not in %s", key, value, path);
	return hit;
}

cJSON *queue_estimate(struct api *api, int64_t now_ms, const char *id)
{
	return listed_item(api, now_ms, "/v1/queues", "queues", "queue", id);
}

void room_line(char *out, size_t cap, const char *room, int people, int min)
{
	char t[21];
	civil_format_utc(NOW / 1000 + min * 60, t);
	snprintf(out, cap,
		 "{\"type\":\"room\",\"room\":\"%s\",\"sensor\":\"cam-1\",\"t\":\"%s\","
		 "\"people\":%d}\n",
		 room, t, people);
}
