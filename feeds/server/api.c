/* api: routes, authorization, validation, and the derived views (the
 * effective schedule with its change list, the queue estimates). Every write
 * is stored before it is acknowledged, and a refused write stores nothing. */
#include "api.h"

#include "civil_time.h"
#include "feed.h"
#include "normalized_json.h"
#include "queue_sample.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "server_config.h"
#include "store.h"
#include "text.h"
#include "wait_estimator.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RECENT_MAX = 20000 };

/* assets/organizer/index.html, embedded by the build */
extern const unsigned char organizer_page[];
extern const size_t organizer_page_len;

struct api {
	const struct server_config *config;
	struct store *store;
	char *schedule_body; /* GET /v1/schedule, rebuilt after every write */
	size_t schedule_len;
	char schedule_etag[24];
	int64_t version, n_sessions;
	struct estimator *est;
	char **recent; /* ring of the latest sample lines */
	int64_t *recent_t;
	size_t recent_head, recent_n;
	int64_t newest_sample_ms;
	/* metrics */
	uint64_t requests, not_modified, samples_accepted, samples_refused;
};

static void etag_of(const char *body, size_t len, char out[24])
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)body[i]) * 1099511628211ULL;
	snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

static void respond(struct api_response *res, int status, const char *type, char *body)
{
	res->status = status;
	res->content_type = type;
	res->body = body;
	res->body_len = body ? strlen(body) : 0;
}

/* A JSON error a person can act on. */
static void fail(struct api_response *res, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct api_response *res, int status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", msg);
	respond(res, status, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
}

/* ---- the effective schedule ---------------------------------------------- */

static cJSON *find_by(cJSON *list, const char *key, const char *value)
{
	cJSON *x;
	cJSON_ArrayForEach(x, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);
		if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
			return x;
	}
	return NULL;
}

/* The room id for a room name, adding the room when the schedule lacks it. */
static const char *room_id_for(cJSON *root, const char *name)
{
	cJSON *rooms = cJSON_GetObjectItemCaseSensitive(root, "rooms");
	char key[256], k2[256];
	text_fold_key(name, key, sizeof(key));
	cJSON *r;
	cJSON_ArrayForEach(r, rooms) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(r, "name");
		if (cJSON_IsString(n)) {
			text_fold_key(n->valuestring, k2, sizeof(k2));
			if (strcmp(key, k2) == 0)
				return cJSON_GetObjectItemCaseSensitive(r, "id")->valuestring;
		}
	}
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", key);
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddItemToArray(rooms, r);
	return cJSON_GetObjectItemCaseSensitive(r, "id")->valuestring;
}

struct apply_ctx {
	cJSON *root, *notices, *log;
};

/* Applies one stored change to the schedule tree (skipping undone ones). */
static void apply_change(void *vctx, const struct stored_change *c)
{
	struct apply_ctx *ctx = vctx;
	cJSON *body = cJSON_Parse(c->body);
	cJSON *entry = cJSON_CreateObject();
	cJSON_AddNumberToObject(entry, "id", (double)c->id);
	cJSON_AddStringToObject(entry, "kind", c->kind);
	cJSON_AddStringToObject(entry, "who", c->who);
	char at[21];
	civil_format_utc(c->at_ms / 1000, at);
	cJSON_AddStringToObject(entry, "at", at);
	cJSON_AddBoolToObject(entry, "undone", c->undone);
	if (body)
		cJSON_AddItemToObject(entry, "change", cJSON_Duplicate(body, true));
	cJSON_AddItemToArray(ctx->log, entry);
	if (!body || c->undone) {
		cJSON_Delete(body);
		return;
	}
	if (strcmp(c->kind, "notice") == 0) {
		cJSON *n = cJSON_Duplicate(body, true);
		cJSON_AddNumberToObject(n, "id", (double)c->id);
		cJSON_AddItemToArray(ctx->notices, n);
		cJSON_Delete(body);
		return;
	}
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(body, "session");
	cJSON *sess = cJSON_IsString(sid) ? find_by(cJSON_GetObjectItemCaseSensitive(ctx->root,
										       "sessions"),
						  "id", sid->valuestring)
					  : NULL;
	if (sess) {
		const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
		const cJSON *start = cJSON_GetObjectItemCaseSensitive(body, "start");
		const cJSON *end = cJSON_GetObjectItemCaseSensitive(body, "end");
		if (strcmp(c->kind, "cancel") == 0)
			cJSON_ReplaceItemInObject(sess, "status", cJSON_CreateString("cancelled"));
		if (cJSON_IsString(room))
			cJSON_ReplaceItemInObject(
				sess, "room", cJSON_CreateString(room_id_for(ctx->root, room->valuestring)));
		if (cJSON_IsString(start))
			cJSON_ReplaceItemInObject(sess, "start", cJSON_CreateString(start->valuestring));
		if (cJSON_IsString(end))
			cJSON_ReplaceItemInObject(sess, "end", cJSON_CreateString(end->valuestring));
	}
	cJSON_Delete(body);
}

/* Rebuilds GET /v1/schedule from the store: latest version + live changes,
 * and the change list against the first published version. */
static bool rebuild_schedule(struct api *api, struct feed_error *e)
{
	int64_t first_id = 0, latest_id = 0;
	char *first = store_schedule(api->store, true, &first_id, e);
	char *latest = first ? store_schedule(api->store, false, &latest_id, e) : NULL;
	bool ok = false;
	cJSON *root = NULL;
	struct schedule *s_first = NULL, *s_now = NULL;
	struct schedule_changes changes = {0};
	char *effective = NULL, *diff = NULL;
	if (!first) {
		free(api->schedule_body);
		api->schedule_body = NULL;
		return e->msg[0] == '\0';
	}
	root = cJSON_Parse(latest);
	if (!root) {
		feed_error_set(e, "stored schedule does not parse");
		goto out;
	}
	struct apply_ctx ctx = {root, cJSON_CreateArray(), cJSON_CreateArray()};
	bool each = store_each_change(api->store, apply_change, &ctx, e);
	cJSON *notices = ctx.notices, *log = ctx.log;
	if (!each) {
		cJSON_Delete(notices);
		cJSON_Delete(log);
		goto out;
	}
	effective = cJSON_PrintUnformatted(root);
	if (!feed_parse(first, strlen(first), NULL, &s_first, e) ||
	    !feed_parse(effective, strlen(effective), NULL, &s_now, e) ||
	    !schedule_diff_compute(s_first, s_now, &changes)) {
		cJSON_Delete(notices);
		cJSON_Delete(log);
		goto out;
	}
	/* The served document: our normalized schedule of what is true now,
	 * plus optional fields (contracts allow additions). */
	char *norm = normalized_json_write(s_now);
	cJSON *out_doc = norm ? cJSON_Parse(norm) : NULL;
	free(norm);
	diff = schedule_diff_write_json(&changes);
	if (!out_doc || !diff) {
		cJSON_Delete(out_doc);
		cJSON_Delete(notices);
		cJSON_Delete(log);
		feed_error_set(e, "out of memory");
		goto out;
	}
	cJSON *diff_doc = cJSON_Parse(diff);
	cJSON_AddItemToObject(out_doc, "changes",
			      cJSON_DetachItemFromObject(diff_doc, "changes"));
	cJSON_AddItemToObject(out_doc, "notices", notices);
	cJSON_AddItemToObject(out_doc, "audit", log);
	cJSON_AddNumberToObject(out_doc, "version", (double)latest_id);
	cJSON_Delete(diff_doc);
	free(api->schedule_body);
	api->schedule_body = cJSON_PrintUnformatted(out_doc);
	cJSON_Delete(out_doc);
	api->schedule_len = api->schedule_body ? strlen(api->schedule_body) : 0;
	etag_of(api->schedule_body, api->schedule_len, api->schedule_etag);
	api->version = latest_id;
	api->n_sessions = (int64_t)s_now->n_sessions;
	ok = api->schedule_body != NULL;
out:
	schedule_diff_finish(&changes);
	schedule_destroy(s_first);
	schedule_destroy(s_now);
	cJSON_Delete(root);
	free(effective);
	free(diff);
	free(first);
	free(latest);
	return ok;
}

/* ---- queues ---------------------------------------------------------------- */

static void remember_sample(struct api *api, const char *line, int64_t t_ms)
{
	size_t slot = (api->recent_head + api->recent_n) % RECENT_MAX;
	if (api->recent_n == RECENT_MAX) {
		free(api->recent[api->recent_head]);
		api->recent_head = (api->recent_head + 1) % RECENT_MAX;
		api->recent_n--;
		slot = (api->recent_head + api->recent_n) % RECENT_MAX;
	}
	api->recent[slot] = strdup(line);
	api->recent_t[slot] = t_ms;
	if (api->recent[slot])
		api->recent_n++;
}

/* Feeds one stored or accepted line to the estimator and the recent ring. */
static void take_sample(void *vapi, const char *line)
{
	struct api *api = vapi;
	struct queue_sample s;
	struct feed_error e;
	if (queue_sample_parse(line, strlen(line), &s, &e) != SAMPLE_OK)
		return;
	estimator_add(api->est, &s, &e);
	if (s.type != SAMPLE_QUEUE && s.t_ms > api->newest_sample_ms)
		api->newest_sample_ms = s.t_ms;
	remember_sample(api, line, s.type == SAMPLE_QUEUE ? INT64_MAX : s.t_ms);
}

static void get_queues(struct api *api, const struct api_request *req, struct api_response *res)
{
	/* Estimates as of now; a replay whose samples are far from the server's
	 * clock (an accelerated simulation, yesterday's data) is judged as of
	 * its newest sample instead. */
	int64_t at = req->now_ms;
	if (api->newest_sample_ms > 0 && llabs(at - api->newest_sample_ms) > 3600 * 1000LL)
		at = api->newest_sample_ms;
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(at / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *qs = cJSON_AddArrayToObject(root, "queues");
	for (size_t i = 0; i < estimator_queue_count(api->est); i++) {
		struct wait_estimate w;
		estimator_estimate(api->est, i, at, &w);
		cJSON *q = cJSON_CreateObject();
		cJSON_AddStringToObject(q, "t", t);
		cJSON_AddStringToObject(q, "queue", w.queue);
		if (w.known) {
			cJSON_AddNumberToObject(q, "wait_s", (double)(int64_t)(w.wait_s + 0.5));
			cJSON_AddNumberToObject(q, "people", (double)(int64_t)(w.people + 0.5));
		} else {
			cJSON_AddNullToObject(q, "wait_s");
			cJSON_AddNullToObject(q, "people");
		}
		cJSON_AddStringToObject(q, "confidence", estimator_confidence_name(w.confidence));
		if (w.why && *w.why)
			cJSON_AddStringToObject(q, "why", w.why);
		cJSON_AddItemToArray(qs, q);
	}
	/* the samples a kiosk needs to estimate by itself */
	cJSON *samples = cJSON_AddArrayToObject(root, "samples");
	for (size_t k = 0; k < api->recent_n; k++) {
		size_t slot = (api->recent_head + k) % RECENT_MAX;
		if (api->recent_t[slot] != INT64_MAX &&
		    api->recent_t[slot] < at - API_RECENT_SAMPLE_S * 1000LL)
			continue;
		cJSON *o = cJSON_Parse(api->recent[slot]);
		if (o)
			cJSON_AddItemToArray(samples, o);
	}
	respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	etag_of(res->body, res->body_len, res->etag);
	res->cache_control = "no-cache";
}

/* ---- authorization ------------------------------------------------------- */

static const struct config_token *authorize(struct api *api, const struct api_request *req,
					    enum token_role role, struct api_response *res)
{
	const char *h = req->authorization;
	if (!h || strncmp(h, "Bearer ", 7) != 0) {
		fail(res, 401, "this needs an %s token: send 'Authorization: Bearer TOKEN'",
		     role == TOKEN_ORGANIZER ? "organizer" : "sensor");
		return NULL;
	}
	const struct config_token *t = server_config_check(api->config, h + 7, role);
	if (!t)
		fail(res, 401, "the token is not a valid %s token",
		     role == TOKEN_ORGANIZER ? "organizer" : "sensor");
	return t;
}

/* ---- writes ----------------------------------------------------------------- */

static void post_schedule(struct api *api, const struct api_request *req,
			  const struct config_token *who, struct api_response *res)
{
	struct feed_options opt = {.timezone = api->config->timezone[0] ? api->config->timezone : NULL};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!feed_parse(req->body, req->body_len, &opt, &s, &e)) {
		fail(res, 422, "the schedule was not published: %s", e.msg);
		return;
	}
	char *norm = normalized_json_write(s);
	int64_t id = 0;
	bool ok = norm && store_put_schedule(api->store, norm, who->name, req->now_ms, &id, &e) &&
		  rebuild_schedule(api, &e);
	size_t n = s->n_sessions;
	schedule_destroy(s);
	free(norm);
	if (!ok) {
		fail(res, 500, "the schedule could not be stored: %s", e.msg);
		return;
	}
	char buf[160];
	snprintf(buf, sizeof(buf), "{\"version\":%lld,\"sessions\":%zu}", (long long)id, n);
	snprintf(res->log, sizeof(res->log), "schedule version %lld published by %s: %zu sessions",
		 (long long)id, who->name, n);
	respond(res, 201, "application/json", strdup(buf));
}

/* Checks a change against the schedule now; fills kind and why. */
static bool valid_change(struct api *api, cJSON *body, const char **kind, struct api_response *res)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(body, "kind");
	if (!cJSON_IsString(k)) {
		fail(res, 400, "kind: missing; one of move, cancel, reschedule, undo");
		return false;
	}
	*kind = k->valuestring;
	if (strcmp(*kind, "undo") == 0) {
		if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(body, "change"))) {
			fail(res, 400, "change: the id of the change to undo is missing");
			return false;
		}
		return true;
	}
	if (strcmp(*kind, "move") && strcmp(*kind, "cancel") && strcmp(*kind, "reschedule")) {
		fail(res, 400, "kind: '%.40s' is not one of move, cancel, reschedule, undo", *kind);
		return false;
	}
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(body, "session");
	if (!cJSON_IsString(sid)) {
		fail(res, 400, "session: the id of the session is missing");
		return false;
	}
	cJSON *doc = api->schedule_body ? cJSON_Parse(api->schedule_body) : NULL;
	bool known = doc && find_by(cJSON_GetObjectItemCaseSensitive(doc, "sessions"), "id",
				    sid->valuestring);
	cJSON_Delete(doc);
	if (!known) {
		fail(res, 422, "session: no session '%.80s' in the published schedule", sid->valuestring);
		return false;
	}
	if (strcmp(*kind, "move") == 0) {
		const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
		if (!cJSON_IsString(room) || !room->valuestring[0] || strlen(room->valuestring) > 160) {
			fail(res, 400, "room: the name of the new room is missing (at most 160 bytes)");
			return false;
		}
	}
	if (strcmp(*kind, "reschedule") == 0) {
		const char *keys[] = {"start", "end"};
		int64_t t[2];
		for (int i = 0; i < 2; i++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, keys[i]);
			struct civil c;
			struct feed_error e;
			if (!cJSON_IsString(v) || !civil_parse(v->valuestring, strlen(v->valuestring), &c) ||
			    !c.has_offset || !civil_to_utc(&c, NULL, &t[i], &e)) {
				fail(res, 400, "%s: an RFC 3339 time with an offset is needed", keys[i]);
				return false;
			}
			char z[21];
			civil_format_utc(t[i], z);
			cJSON_ReplaceItemInObject(body, keys[i], cJSON_CreateString(z));
		}
		if (t[1] < t[0]) {
			fail(res, 400, "end: before start");
			return false;
		}
	}
	return true;
}

static void post_change(struct api *api, const struct api_request *req,
			const struct config_token *who, struct api_response *res, bool notice)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		fail(res, 400, "the body must be a JSON object");
		return;
	}
	const char *kind = "notice";
	struct feed_error e = {{0}};
	int64_t id = 0;
	if (notice) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(body, "text");
		if (!cJSON_IsString(text) || !text->valuestring[0] || strlen(text->valuestring) > 280 ||
		    !text_utf8_valid(text->valuestring, strlen(text->valuestring))) {
			cJSON_Delete(body);
			fail(res, 400, "text: the notice text is missing (UTF-8, at most 280 bytes)");
			return;
		}
	} else if (!valid_change(api, body, &kind, res)) {
		cJSON_Delete(body);
		return;
	}
	bool ok;
	if (strcmp(kind, "undo") == 0) {
		int64_t target = (int64_t)cJSON_GetObjectItemCaseSensitive(body, "change")->valuedouble;
		ok = store_undo_change(api->store, target, who->name, req->now_ms, &e);
		if (!ok) {
			cJSON_Delete(body);
			fail(res, 409, "%s", e.msg);
			return;
		}
		id = target;
	} else {
		char *text = cJSON_PrintUnformatted(body);
		ok = text && store_add_change(api->store, kind, text, who->name, req->now_ms, &id, &e);
		free(text);
	}
	char kind_copy[16], what[160] = "";
	snprintf(kind_copy, sizeof(kind_copy), "%s", kind); /* kind points into body */
	const cJSON *sess = cJSON_GetObjectItemCaseSensitive(body, "session");
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
	if (cJSON_IsString(sess))
		snprintf(what, sizeof(what), " session %.40s%s%.60s", sess->valuestring,
			 cJSON_IsString(room) ? " to " : "", cJSON_IsString(room) ? room->valuestring : "");
	cJSON_Delete(body);
	if (!ok || !rebuild_schedule(api, &e)) {
		fail(res, 500, "not stored: %s", e.msg);
		return;
	}
	char buf[120];
	snprintf(buf, sizeof(buf), "{\"change\":%lld,\"kind\":\"%s\"}", (long long)id, kind_copy);
	respond(res, strcmp(kind_copy, "undo") == 0 ? 200 : 201, "application/json", strdup(buf));
	snprintf(res->log, sizeof(res->log), "change %lld by %s: %s%s", (long long)id, who->name,
		 kind_copy, what);
}

static void post_samples(struct api *api, const struct api_request *req,
			 const struct config_token *who, struct api_response *res)
{
	char **lines = calloc(API_MAX_SAMPLE_LINES, sizeof(*lines));
	size_t n = 0, skipped = 0, lineno = 0;
	const char *p = req->body, *end = req->body + req->body_len;
	bool ok = lines != NULL;
	if (!ok)
		fail(res, 500, "out of memory");
	while (ok && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		const char *line = p;
		p += len + (nl ? 1 : 0);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		struct queue_sample s;
		struct feed_error e = {{0}};
		enum sample_parse st = queue_sample_parse(line, len, &s, &e);
		if (st == SAMPLE_SKIP) {
			skipped++;
			continue;
		}
		if (st == SAMPLE_INVALID) {
			fail(res, 400, "line %zu: %s; nothing from this batch was stored", lineno, e.msg);
			ok = false;
			break;
		}
		if (n == API_MAX_SAMPLE_LINES) {
			fail(res, 413, "more than %d samples in one batch; nothing was stored",
			     API_MAX_SAMPLE_LINES);
			ok = false;
			break;
		}
		lines[n] = strndup(line, len);
		if (!lines[n++]) {
			fail(res, 500, "out of memory");
			ok = false;
		}
	}
	struct feed_error e = {{0}};
	if (ok && n && !store_add_samples(api->store, (const char *const *)lines, n, who->name,
					  req->now_ms, &e)) {
		fail(res, 500, "not stored: %s", e.msg);
		ok = false;
	}
	if (ok) {
		for (size_t i = 0; i < n; i++)
			take_sample(api, lines[i]);
		api->samples_accepted += n;
		char buf[96];
		snprintf(buf, sizeof(buf), "{\"accepted\":%zu,\"skipped\":%zu}", n, skipped);
		respond(res, 200, "application/json", strdup(buf));
		snprintf(res->log, sizeof(res->log), "samples from %s: %zu accepted, %zu skipped",
			 who->name, n, skipped);
	} else {
		api->samples_refused += n + 1;
	}
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ---- reads ------------------------------------------------------------------ */

static void get_schedule(struct api *api, const struct api_request *req, struct api_response *res)
{
	if (!api->schedule_body) {
		fail(res, 404, "no schedule has been published yet");
		return;
	}
	memcpy(res->etag, api->schedule_etag, sizeof(res->etag));
	res->cache_control = "public, max-age=10, must-revalidate";
	if (req->if_none_match && strstr(req->if_none_match, api->schedule_etag)) {
		api->not_modified++;
		respond(res, 304, NULL, NULL);
		return;
	}
	char *copy = malloc(api->schedule_len + 1);
	if (copy)
		memcpy(copy, api->schedule_body, api->schedule_len + 1);
	respond(res, copy ? 200 : 500, "application/json", copy);
}

static void get_health(struct api *api, struct api_response *res)
{
	char buf[200];
	snprintf(buf, sizeof(buf), "{\"status\":\"ok\",\"schedule_version\":%lld,\"sessions\":%lld,"
				   "\"queues\":%zu}", (long long)api->version, (long long)api->n_sessions,
		 estimator_queue_count(api->est));
	respond(res, 200, "application/json", strdup(buf));
	res->cache_control = "no-store";
}

static void get_metrics(struct api *api, const struct api_request *req, struct api_response *res)
{
	size_t cap = 4096 + estimator_queue_count(api->est) * 200, o = 0;
	char *b = malloc(cap);
	if (!b) {
		fail(res, 500, "out of memory");
		return;
	}
	o += (size_t)snprintf(b + o, cap - o,
			      "# TYPE venueboard_requests_total counter\n"
			      "venueboard_requests_total %llu\n"
			      "# TYPE venueboard_not_modified_total counter\n"
			      "venueboard_not_modified_total %llu\n"
			      "# TYPE venueboard_samples_accepted_total counter\n"
			      "venueboard_samples_accepted_total %llu\n"
			      "# TYPE venueboard_samples_refused_total counter\n"
			      "venueboard_samples_refused_total %llu\n"
			      "# TYPE venueboard_schedule_version gauge\n"
			      "venueboard_schedule_version %lld\n"
			      "# TYPE venueboard_queue_last_sample_age_seconds gauge\n",
			      (unsigned long long)api->requests, (unsigned long long)api->not_modified,
			      (unsigned long long)api->samples_accepted,
			      (unsigned long long)api->samples_refused, (long long)api->version);
	for (size_t i = 0; i < estimator_queue_count(api->est) && o < cap; i++) {
		struct wait_estimate w;
		estimator_estimate(api->est, i, req->now_ms, &w);
		double age = api->newest_sample_ms > 0
				     ? (double)(req->now_ms - api->newest_sample_ms) / 1000.0
				     : -1;
		o += (size_t)snprintf(b + o, cap - o,
				      "venueboard_queue_last_sample_age_seconds{queue=\"%s\"} %.1f\n",
				      w.queue, age);
	}
	respond(res, 200, "text/plain; version=0.0.4", b);
	res->cache_control = "no-store";
}

/* ---- routing ------------------------------------------------------------- */

void api_handle(struct api *api, const struct api_request *req, struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	api->requests++;
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	bool post = strcmp(req->method, "POST") == 0;
	const char *path = req->path;
	struct {
		const char *path;
		const char *allow;
	} routes[] = {
		{"/v1/schedule", "GET, HEAD, POST"}, {"/v1/queues", "GET, HEAD"},
		{"/v1/samples", "POST"},             {"/v1/changes", "POST"},
		{"/v1/notices", "POST"},             {"/healthz", "GET, HEAD"},
		{"/metrics", "GET, HEAD"},
	};
	if (strcmp(path, "/organizer/") == 0 || strcmp(path, "/organizer") == 0) {
		if (!get) {
			res->allow = "GET, HEAD";
			fail(res, 405, "%.10s is not allowed here; use GET", req->method);
			return;
		}
		char *page = malloc(organizer_page_len + 1);
		if (page)
			memcpy(page, organizer_page, organizer_page_len + 1);
		respond(res, page ? 200 : 500, "text/html; charset=utf-8", page);
		res->cache_control = "no-cache";
		return;
	}
	const char *allow = NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(*routes); i++)
		if (strcmp(path, routes[i].path) == 0)
			allow = routes[i].allow;
	if (!allow) {
		fail(res, 404, "no such resource: %.100s", path);
		return;
	}
	bool allowed = (get && strstr(allow, "GET")) || (post && strstr(allow, "POST"));
	if (!allowed) {
		res->allow = allow;
		fail(res, 405, "%.10s is not allowed here; use %s", req->method, allow);
		return;
	}
	if (req->body_len > API_MAX_BODY) {
		fail(res, 413, "the body is larger than %d bytes", API_MAX_BODY);
		return;
	}
	if (get) {
		if (strcmp(path, "/v1/schedule") == 0)
			get_schedule(api, req, res);
		else if (strcmp(path, "/v1/queues") == 0)
			get_queues(api, req, res);
		else if (strcmp(path, "/healthz") == 0)
			get_health(api, res);
		else
			get_metrics(api, req, res);
		if (res->etag[0] && req->if_none_match && res->status == 200 &&
		    strstr(req->if_none_match, res->etag)) {
			api->not_modified++;
			free(res->body);
			respond(res, 304, NULL, NULL);
		}
		return;
	}
	bool samples = strcmp(path, "/v1/samples") == 0;
	const struct config_token *who =
		authorize(api, req, samples ? TOKEN_SENSOR : TOKEN_ORGANIZER, res);
	if (!who)
		return;
	if (samples)
		post_samples(api, req, who, res);
	else if (strcmp(path, "/v1/schedule") == 0)
		post_schedule(api, req, who, res);
	else
		post_change(api, req, who, res, strcmp(path, "/v1/notices") == 0);
}

void api_response_finish(struct api_response *res)
{
	free(res->body);
	res->body = NULL;
}

struct api *api_create(const struct server_config *config, struct store *store,
		       const char *initial_feed, size_t initial_len, int64_t now_ms,
		       struct feed_error *e)
{
	struct api *api = calloc(1, sizeof(*api));
	if (!api || !(api->est = estimator_create()) ||
	    !(api->recent = calloc(RECENT_MAX, sizeof(*api->recent))) ||
	    !(api->recent_t = calloc(RECENT_MAX, sizeof(*api->recent_t)))) {
		api_destroy(api);
		feed_error_set(e, "out of memory");
		return NULL;
	}
	api->config = config;
	api->store = store;
	e->msg[0] = '\0';
	if (!rebuild_schedule(api, e))
		goto fail;
	if (!api->schedule_body && initial_feed) {
		struct config_token boot = {.role = TOKEN_ORGANIZER, .name = "startup"};
		struct api_request req = {.method = "POST", .path = "/v1/schedule",
					  .body = initial_feed, .body_len = initial_len,
					  .now_ms = now_ms};
		struct api_response res;
		memset(&res, 0, sizeof(res));
		post_schedule(api, &req, &boot, &res);
		if (res.status != 201) {
			feed_error_set(e, "the startup schedule: %s", res.body ? res.body : "");
			api_response_finish(&res);
			goto fail;
		}
		api_response_finish(&res);
	}
	/* the estimator's state comes back from the stored samples of the day */
	if (!store_each_sample(store, now_ms - 24 * 3600 * 1000LL, take_sample, api, e))
		goto fail;
	return api;
fail:
	api_destroy(api);
	return NULL;
}

void api_destroy(struct api *api)
{
	if (!api)
		return;
	for (size_t k = 0; api->recent && k < api->recent_n; k++)
		free(api->recent[(api->recent_head + k) % RECENT_MAX]);
	free(api->recent);
	free(api->recent_t);
	estimator_destroy(api->est);
	free(api->schedule_body);
	free(api);
}
