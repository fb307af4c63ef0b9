/* api_schedule: the schedule's endpoints — GET and POST /v1/schedule, POST
 * /v1/changes and /v1/notices, GET /v1/audit — and the kinds of change
 * about the schedule (move, cancel, reschedule, notice): their fields,
 * their effect on a session, their words. What is served is
 * served_schedule.c's; every change goes through the journal. */
#include "api_internal.h"

#include "blob.h"
#include "json_util.h"
#include "journal.h"
#include "served_schedule.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the kinds: fields ------------------------------------------------------------- */

/* {"kind", "session"}: what every session change has. */
static cJSON *session_fields(const char *kind, const cJSON *body, int *status, char *why,
			     size_t cap)
{
	*status = 400;
	const char *sid = journal_text_field(body, "session", SCHEDULE_MAX_ID_OUT,
					     "the id of the session is missing", why, cap);
	cJSON *out = sid ? cJSON_CreateObject() : NULL;
	if (sid && !out)
		snprintf(why, cap, "out of memory");
	if (out) {
		cJSON_AddStringToObject(out, "kind", kind);
		cJSON_AddStringToObject(out, "session", sid);
	}
	return out;
}

static cJSON *clean_cancel(const cJSON *body, int *status, char *why, size_t cap)
{
	return session_fields("cancel", body, status, why, cap);
}

static cJSON *clean_move(const cJSON *body, int *status, char *why, size_t cap)
{
	cJSON *out = session_fields("move", body, status, why, cap);
	const char *room = out ? journal_text_field(body, "room", SCHEDULE_MAX_NAME,
						    "the name of the new room is missing", why, cap)
			       : NULL;
	char key[SCHEDULE_MAX_NAME * 2 + 1];
	if (room) {
		text_fold_key(room, key, sizeof(key));
		if (strspn(key, "-") == strlen(key)) {
			snprintf(why, cap, "room: '%.60s' has no letter or digit", room);
			room = NULL;
		}
	}
	if (!room) {
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_AddStringToObject(out, "room", room);
	return out;
}

static cJSON *clean_reschedule(const cJSON *body, int *status, char *why, size_t cap)
{
	cJSON *out = session_fields("reschedule", body, status, why, cap);
	int64_t start, end;
	char zs[21], ze[21];
	if (!out || !journal_time_field(body, "start", &start, zs, status, why, cap) ||
	    !journal_time_field(body, "end", &end, ze, status, why, cap))
		goto fail;
	if (end < start) {
		snprintf(why, cap, "end: before start");
		goto fail;
	}
	cJSON_AddStringToObject(out, "start", zs);
	cJSON_AddStringToObject(out, "end", ze);
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

/* A notice may be shown from start to end only (the morning's registration
 * desk, the evening party). */
static cJSON *clean_notice(const cJSON *body, int *status, char *why, size_t cap)
{
	static const char *const ends[] = {"start", "end"};
	int64_t t[2];
	char z[2][21];
	*status = 400;
	cJSON *out = cJSON_CreateObject();
	const char *text = journal_text_field(body, "text", API_MAX_NOTICE,
					      "the notice text is missing", why, cap);
	if (!out || !text ||
	    (cJSON_AddStringToObject(out, "text", text),
	     !journal_targets_field(body, out, why, cap)))
		goto fail;
	for (int i = 0; i < 2; i++) {
		if (!cJSON_GetObjectItemCaseSensitive(body, ends[i]))
			continue;
		if (!journal_time_field(body, ends[i], &t[i], z[i], status, why, cap))
			goto fail;
		cJSON_AddStringToObject(out, ends[i], z[i]);
	}
	if (cJSON_GetObjectItemCaseSensitive(out, "start") &&
	    cJSON_GetObjectItemCaseSensitive(out, "end") && t[1] <= t[0]) {
		snprintf(why, cap, "end: not after start");
		goto fail;
	}
	return out;
fail:
	if (!out)
		snprintf(why, cap, "out of memory");
	cJSON_Delete(out);
	return NULL;
}

/* ---- the kinds: effect and words --------------------------------------------------------- */

static bool admit_session(struct api *api, cJSON *fields, int64_t now_ms, char *why, size_t cap)
{
	(void)now_ms;
	const char *sid = json_util_str(fields, "session");
	if (served_session(api, sid))
		return true;
	snprintf(why, cap, "session: no session '%.80s' in the published schedule", sid);
	return false;
}

static bool admit_notice(struct api *api, cJSON *fields, int64_t now_ms, char *why, size_t cap)
{
	(void)now_ms;
	return journal_targets_known(api, fields, why, cap);
}

static bool apply_cancel(cJSON *tree, cJSON *session, const cJSON *fields, char *why, size_t cap)
{
	(void)tree, (void)fields, (void)why, (void)cap;
	served_set(session, "status", "cancelled");
	return true;
}

static bool apply_move(cJSON *tree, cJSON *session, const cJSON *fields, char *why, size_t cap)
{
	const char *id = served_room_id(tree, json_util_str(fields, "room"), why, cap);
	if (id)
		served_set(session, "room", id);
	return id != NULL;
}

static bool apply_reschedule(cJSON *tree, cJSON *session, const cJSON *fields, char *why,
			     size_t cap)
{
	(void)tree, (void)why, (void)cap;
	served_set(session, "start", json_util_str(fields, "start"));
	served_set(session, "end", json_util_str(fields, "end"));
	return true;
}

/* " session 4184 ('QA: the gate…') to Salle 243" for the INFO line. */
static void describe(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	const char *sid = json_util_str(fields, "session");
	const char *room = json_util_str(fields, "room");
	const char *start = json_util_str(fields, "start");
	const char *title = json_util_str(served_session(api, sid), "title");
	snprintf(out, cap, " session %.40s%s%.60s%s%s%.60s%s%s", sid ? sid : "", title ? " ('" : "",
		 title ? title : "", title ? "')" : "", room ? " to " : "", room ? room : "",
		 start ? " at " : "", start ? start : "");
}

/* "move session 4184 ('…') to Salle 243" for the desk. */
static void what_session(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	char d[240];
	describe(api, fields, d, sizeof(d));
	snprintf(out, cap, "%s%s", json_util_str(fields, "kind"), d);
}

static void what_notice(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	(void)api;
	snprintf(out, cap, "notice: %.200s", json_util_str(fields, "text"));
}

const struct journal_kind change_move = {"move",        CHANGE_SESSION, true,         clean_move,
					 admit_session, apply_move,     what_session, describe};
const struct journal_kind change_cancel = {"cancel",     CHANGE_SESSION, true,
					   clean_cancel, admit_session,  apply_cancel,
					   what_session, describe};
const struct journal_kind change_reschedule = {"reschedule",     CHANGE_SESSION, true,
					       clean_reschedule, admit_session,  apply_reschedule,
					       what_session,     describe};
const struct journal_kind change_notice = {"notice",     CHANGE_NOTICE, true,        clean_notice,
					   admit_notice, NULL,          what_notice, NULL};

/* ---- requests ----------------------------------------------------------------------- */

void api_get_schedule(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	struct blob *doc = served_doc(api);
	const char *etag = served_etag(api);
	if (!doc) {
		api_fail(res, 404, "no schedule has been published yet");
		return;
	}
	memcpy(res->etag, etag, sizeof(res->etag));
	res->cache_control = "public, max-age=10, must-revalidate";
	if (req->if_none_match && strstr(req->if_none_match, etag)) {
		api->not_modified++;
		api_respond(res, 304, NULL, NULL);
		return;
	}
	res->status = 200;
	res->content_type = "application/json";
	res->blob = blob_ref(doc);
}

void api_get_audit(struct api *api, const struct api_call *c, struct api_response *res)
{
	int64_t since = 0;
	if (api_query_number(c->req->query, "since", &since) < 0) {
		api_fail(res, 400, "query: since=ID (a change's id) only");
		return;
	}
	cJSON *root = cJSON_CreateObject();
	cJSON *audit = journal_audit_json(api, since);
	if (!root || !audit) {
		cJSON_Delete(root);
		cJSON_Delete(audit);
		api_fail(res, 500, "out of memory");
		return;
	}
	cJSON_AddItemToObject(root, "audit", audit);
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	if (res->status == 200)
		api_etag(res->body, res->body_len, res->etag);
	res->cache_control = "no-cache";
}

/* What a client reads back after posting, without the whole audit. */
void api_get_change(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct journal_entry *x = journal_find(&api->journal, c->id);
	cJSON *o = x ? journal_entry_json(api, x) : NULL;
	if (!x) {
		api_fail(res, 404, "no change %lld", (long long)c->id);
		return;
	}
	api_respond(res, o ? 200 : 500, "application/json", o ? cJSON_PrintUnformatted(o) : NULL);
	cJSON_Delete(o);
	if (res->status == 200)
		api_etag(res->body, res->body_len, res->etag);
	res->cache_control = "no-cache";
}

void api_post_schedule(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct config_token *who = c->who;
	int64_t version;
	size_t n;
	char why[600];
	int status = served_publish(api, req->body, req->body_len, who->name, req->now_ms, &version,
				    &n, why, sizeof(why));
	if (status != 201) {
		api_fail(res, status, "%s", why);
		return;
	}
	char buf[160];
	snprintf(buf, sizeof(buf), "{\"version\":%lld,\"sessions\":%zu}", (long long)version, n);
	snprintf(res->log, sizeof(res->log), "schedule version %lld published by %s: %zu sessions",
		 (long long)version, who->name, n);
	api_respond(res, 201, "application/json", strdup(buf));
}

/* {"kind":"undo","change":N}: N checked, then undone. */
static void post_undo(struct api *api, const struct api_request *req, const cJSON *body,
		      const struct config_token *who, struct api_response *res)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "change");
	double d = cJSON_IsNumber(c) ? c->valuedouble : 0;
	if (!cJSON_IsNumber(c) || !isfinite(d) || d != floor(d) || d < 1 ||
	    d > 9007199254740992.0) {
		api_fail(res, 400,
			 "change: the id of the change to undo, a whole number, is "
			 "missing; nothing was stored");
		return;
	}
	struct journal_result r;
	journal_undo(api, (int64_t)d, NULL, who->name, req->now_ms, &r);
	api_change_reply(res, &r, who);
}

void api_post_change(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct config_token *who = c->who;
	cJSON *body = api_body_object(req, res);
	if (!body)
		return;
	const char *kind = json_util_str(body, "kind");
	const struct journal_kind *k = journal_kind_named(kind);
	struct journal_result r;
	if (k == &change_alert || k == &change_rollout)
		api_fail(res, 400, "kind: an %s is posted to /v1/%ss", kind, kind);
	else if (kind && strcmp(kind, "undo") == 0)
		post_undo(api, req, body, who, res);
	else if ((!k || k == &change_notice) && kind && text_is_one_line(kind, strlen(kind)))
		api_fail(res, 400,
			 "kind: '%.40s' is not one of move, cancel, reschedule, room, undo", kind);
	else if (!k || k == &change_notice)
		api_fail(res, 400, "kind: missing; one of move, cancel, reschedule, room, undo");
	else {
		journal_add(api, k, body, who->name, req->now_ms, &r);
		api_change_reply(res, &r, who);
	}
	cJSON_Delete(body);
}

void api_post_notice(struct api *api, const struct api_call *c, struct api_response *res)
{
	struct journal_result r;
	api_add_change(api, c, &change_notice, res, &r);
}
