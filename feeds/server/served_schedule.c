/* served_schedule: the published schedule with the journal's live changes
 * applied (see served_schedule.h). Kept in memory so that a change costs
 * one application, not a replay. */
#include "served_schedule.h"

#include "api_internal.h"
#include "blob.h"
#include "json_util.h"
#include "normalized_json.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "store.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LOGGED_SKIPS = 20 };

static void view_free(struct sched_view *v)
{
	cJSON_Delete(v->effective);
	cJSON_Delete(v->notices);
	cJSON_Delete(v->skipped);
	blob_unref(v->doc);
	schedule_destroy(v->model);
	memset(v, 0, sizeof(*v));
}

/* ---- sessions and rooms of a tree ------------------------------------------ */

/* Sessions by id, for replays (a linear search per change would make a
 * replay quadratic). */
struct sess_index {
	struct sess_ref {
		const char *id;
		cJSON *node;
	} * v;
	size_t n;
};

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sess_ref *)a)->id, ((const struct sess_ref *)b)->id);
}

static bool index_build(struct sess_index *ix, cJSON *tree)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(tree, "sessions");
	free(ix->v);
	ix->n = 0;
	ix->v = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*ix->v));
	if (!ix->v)
		return false;
	cJSON *s;
	cJSON_ArrayForEach(s, list) {
		const char *id = json_util_str(s, "id");
		if (id)
			ix->v[ix->n++] = (struct sess_ref){id, s};
	}
	qsort(ix->v, ix->n, sizeof(*ix->v), ref_cmp);
	return true;
}

static cJSON *find_session(const cJSON *tree, const struct sess_index *ix, const char *id)
{
	if (!id)
		return NULL;
	if (ix) {
		struct sess_ref key = {id, NULL};
		struct sess_ref *hit = bsearch(&key, ix->v, ix->n, sizeof(*ix->v), ref_cmp);
		return hit ? hit->node : NULL;
	}
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(tree, "sessions")) {
		const char *sid = json_util_str(s, "id");
		if (sid && strcmp(sid, id) == 0)
			return s;
	}
	return NULL;
}

const char *served_room_id(cJSON *tree, const char *name, char *why, size_t cap)
{
	cJSON *rooms = cJSON_GetObjectItemCaseSensitive(tree, "rooms");
	char key[SCHEDULE_MAX_NAME * 2 + 1], k2[SCHEDULE_MAX_NAME * 2 + 1];
	text_fold_key(name, key, sizeof(key));
	cJSON *r;
	int n = 0;
	cJSON_ArrayForEach(r, rooms) {
		const char *rn = json_util_str(r, "name");
		const char *id = json_util_str(r, "id");
		n++;
		if (rn && id) {
			text_fold_key(rn, k2, sizeof(k2));
			if (strcmp(key, k2) == 0)
				return id;
		}
		if (id && strcmp(id, key) == 0)
			return id;
	}
	if (n >= SCHEDULE_MAX_ROOMS) {
		snprintf(why, cap, "room: the schedule already has %d rooms, the most it may have",
			 SCHEDULE_MAX_ROOMS);
		return NULL;
	}
	if (!cJSON_IsArray(rooms) || !(r = cJSON_CreateObject())) {
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	cJSON_AddStringToObject(r, "id", key);
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddItemToArray(rooms, r);
	return json_util_str(r, "id");
}

void served_set(cJSON *obj, const char *key, const char *value)
{
	cJSON *v = cJSON_CreateString(value);
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
	else
		cJSON_AddItemToObject(obj, key, v);
}

enum applied { APPLIED, NO_SESSION, REFUSED };

/* A live session change applied to tree. */
static enum applied apply(cJSON *tree, const struct sess_index *ix, const struct journal_entry *x,
			  char *why, size_t cap)
{
	cJSON *sess = find_session(tree, ix, json_util_str(x->fields, "session"));
	if (!sess)
		return NO_SESSION;
	return x->kind->apply(tree, sess, x->fields, why, cap) ? APPLIED : REFUSED;
}

/* ---- the served document ------------------------------------------------------ */

/* Makes v's document: v->effective read back as a schedule (the check that
 * nothing stored can break the feed), its change list against the first
 * version, the notices, the version. False, e saying why, when the
 * schedule does not read. */
static bool build_doc(struct api *api, struct sched_view *v, int64_t version, struct feed_error *e)
{
	struct sched_state *st = &api->sched;
	struct schedule *now = NULL;
	struct schedule_changes changes = {0};
	char *text = cJSON_PrintUnformatted(v->effective);
	char *norm = NULL, *diff = NULL;
	cJSON *doc = NULL, *diff_doc = NULL;
	bool ok = false;
	if (!text) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	if (!feed_parse(text, strlen(text), NULL, &now, e))
		goto out;
	/* the venue's seats (configuration) win over the feed's */
	for (size_t i = 0; i < api->config->n_capacities; i++)
		schedule_set_room_seats(now, api->config->capacities[i].room,
					api->config->capacities[i].seats);
	if (!schedule_diff_compute(st->first ? st->first : now, now, &changes) ||
	    !(norm = normalized_json_write(now)) || !(diff = schedule_diff_write_json(&changes)) ||
	    !(doc = cJSON_Parse(norm)) || !(diff_doc = cJSON_Parse(diff))) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	/* the normalized schedule of what is true now, plus optional fields */
	cJSON_AddItemToObject(doc, "changes", cJSON_DetachItemFromObject(diff_doc, "changes"));
	cJSON_AddItemReferenceToObject(doc, "notices", v->notices);
	/* kiosks need the changes, not the audit trail (GET /v1/audit): the
	 * document stays the size of the schedule however long the day */
	cJSON_AddNumberToObject(doc, "version", (double)version);
	char *body = cJSON_PrintUnformatted(doc);
	blob_unref(v->doc);
	v->doc = body ? blob_wrap(body, strlen(body)) : NULL;
	if (!v->doc) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	api_etag(v->doc->data, v->doc->len, v->etag);
	v->n_sessions = (int64_t)now->n_sessions;
	schedule_destroy(v->model);
	v->model = now; /* the forecaster reads it */
	now = NULL;
	ok = true;
out:
	cJSON_Delete(doc);
	cJSON_Delete(diff_doc);
	schedule_diff_finish(&changes);
	schedule_destroy(now);
	free(text);
	free(norm);
	free(diff);
	return ok;
}

/* Adds notice x to notices (its fields and id). */
static bool add_notice(cJSON *notices, const struct journal_entry *x)
{
	cJSON *n = cJSON_Duplicate(x->fields, true);
	if (!n)
		return false;
	cJSON_AddNumberToObject(n, "id", (double)x->id);
	cJSON_AddItemToArray(notices, n);
	return true;
}

static void skip(cJSON *skipped, const struct journal_entry *x, const char *why)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)x->id);
	cJSON_DeleteItemFromObjectCaseSensitive(skipped, id);
	cJSON_AddStringToObject(skipped, id, why);
}

static bool view_start(struct sched_view *v, const cJSON *base)
{
	view_free(v);
	v->effective = cJSON_Duplicate(base, true);
	v->notices = cJSON_CreateArray();
	v->skipped = cJSON_CreateObject();
	return v->effective && v->notices && v->skipped;
}

/* One live change of a replay; careful: checked by building the document,
 * and taken back (with the index) when it breaks it. False when out of
 * memory. */
static bool replay_one(struct api *api, const struct journal_entry *x, int64_t version,
		       bool careful, struct sched_view *v, struct sess_index *ix)
{
	if (x->kind->effect == CHANGE_NOTICE)
		return add_notice(v->notices, x);
	cJSON *before = careful ? cJSON_Duplicate(v->effective, true) : NULL;
	if (careful && !before)
		return false;
	char why[300] = "";
	struct feed_error ce = {{0}};
	enum applied a = apply(v->effective, ix, x, why, sizeof(why));
	if (a == APPLIED && careful && !build_doc(api, v, version, &ce)) {
		snprintf(why, sizeof(why), "the schedule would not read: %.250s", ce.msg);
		a = REFUSED;
	}
	if (a == REFUSED) {
		skip(v->skipped, x, why);
		if (careful) { /* back to before it, and the index with it */
			cJSON_Delete(v->effective);
			v->effective = before;
			before = NULL;
			if (!index_build(ix, v->effective))
				return false;
		}
	}
	cJSON_Delete(before);
	return true;
}

/* Makes a view of base with every live change of the journal applied, in
 * order. A change that cannot apply is skipped (noted in v->skipped). When
 * the result does not read as a schedule although each change applied, the
 * changes are applied again one at a time, each checked, and those that
 * break it are skipped too: whatever is stored, the server serves. */
static bool replay(struct api *api, const cJSON *base, int64_t version, struct sched_view *v,
		   struct feed_error *e)
{
	memset(v, 0, sizeof(*v));
	struct sess_index ix = {0};
	for (int careful = 0; careful < 2; careful++) {
		if (!view_start(v, base) || !index_build(&ix, v->effective))
			goto oom;
		const struct journal_entry *x = NULL;
		while ((x = journal_next(&api->journal, x, NULL, true)))
			if (x->kind->effect != CHANGE_APART &&
			    !replay_one(api, x, version, careful, v, &ix))
				goto oom;
		struct feed_error be = {{0}};
		if (build_doc(api, v, version, &be)) {
			free(ix.v);
			return true;
		}
		if (careful) {
			feed_error_set(e, "the schedule does not read: %s", be.msg);
			break;
		}
	}
	free(ix.v);
	view_free(v);
	return false;
oom:
	free(ix.v);
	view_free(v);
	return feed_error_set(e, "out of memory");
}

/* Rooms the configuration gives seats to that the schedule does not have:
 * said once per published version. */
static void warn_capacities(struct api *api)
{
	const struct schedule *s = api->sched.cur.model;
	for (size_t i = 0; s && i < api->config->n_capacities; i++) {
		const char *room = api->config->capacities[i].room;
		if (!schedule_room_named(s, room))
			api_logf(api, "WARN", "capacity %s: no such room in schedule version %lld",
				 room, (long long)api->sched.version);
	}
}

void served_commit(struct api *api, struct sched_view *next)
{
	view_free(&api->sched.cur);
	api->sched.cur = *next;
	memset(next, 0, sizeof(*next));
	api->generation++;
	if (api->queues.fc)
		api_outlook_schedule(api);
}

void served_drop(struct sched_view *next)
{
	view_free(next);
}

bool served_try(struct api *api, const struct journal_entry *x, struct sched_view *next,
		int *status, char *why, size_t cap)
{
	struct sched_view *cur = &api->sched.cur;
	struct feed_error e = {{0}};
	*next = (struct sched_view){
		.effective = cJSON_Duplicate(cur->effective, true),
		.notices = cJSON_Duplicate(cur->notices, true),
		.skipped = cJSON_Duplicate(cur->skipped, true),
	};
	*status = 500;
	if (!next->effective || !next->notices || !next->skipped ||
	    (x->kind->effect == CHANGE_NOTICE && !add_notice(next->notices, x))) {
		snprintf(why, cap, "out of memory");
		goto refused;
	}
	if (x->kind->effect == CHANGE_SESSION &&
	    apply(next->effective, NULL, x, why, cap) != APPLIED) {
		*status = 422;
		goto refused;
	}
	if (!build_doc(api, next, api->sched.version, &e)) {
		*status = 422;
		snprintf(why, cap, "the schedule would not read with this change: %s", e.msg);
		goto refused;
	}
	return true;
refused:
	view_free(next);
	return false;
}

bool served_replay(struct api *api, struct sched_view *next, char *why, size_t cap)
{
	struct feed_error e = {{0}};
	if (!api->sched.base) {
		snprintf(why, cap, "no schedule has been published yet");
		return false;
	}
	if (replay(api, api->sched.base, api->sched.version, next, &e))
		return true;
	snprintf(why, cap, "%s", e.msg);
	return false;
}

/* ---- loading and publishing --------------------------------------------------- */

static void log_skipped(struct api *api, const struct sched_view *v)
{
	int n = cJSON_GetArraySize(v->skipped), shown = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, v->skipped) {
		if (++shown > MAX_LOGGED_SKIPS)
			break;
		api_logf(api, "WARN",
			 "change %s cannot be applied to schedule version %lld and is "
			 "skipped: %s",
			 s->string, (long long)api->sched.version, json_util_strv(s));
	}
	if (n > MAX_LOGGED_SKIPS)
		api_logf(api, "WARN", "%d more changes skipped (see the audit's \"skipped\")",
			 n - MAX_LOGGED_SKIPS);
}

/* Parses a normalized schedule text into a tree and a model. */
static bool read_version(const char *text, cJSON **tree, struct schedule **model,
			 struct feed_error *e)
{
	*tree = cJSON_Parse(text);
	if (!*tree)
		return feed_error_set(e, "a stored schedule version is not JSON");
	if (model && !feed_parse(text, strlen(text), NULL, model, e)) {
		cJSON_Delete(*tree);
		*tree = NULL;
		return false;
	}
	return true;
}

bool served_load(struct api *api, const char *initial_feed, size_t initial_len, int64_t now_ms,
		 struct feed_error *e)
{
	struct sched_state *st = &api->sched;
	int64_t first_id = 0;
	char *first = store_schedule(api->store, true, &first_id, e);
	if (!first) {
		if (e->msg[0])
			return false;
		if (!initial_feed)
			return true;
		/* publish the configured schedule, as an organizer would */
		int64_t version;
		size_t n;
		char why[FEED_ERROR_MAX];
		if (served_publish(api, initial_feed, initial_len, "startup", now_ms, &version, &n,
				   why, sizeof(why)) == 201)
			return true;
		return feed_error_set(e, "the startup schedule: %s", why);
	}
	char *latest = store_schedule(api->store, false, &st->version, e);
	bool ok = latest && read_version(first, &st->base, &st->first, e);
	if (ok && first_id != st->version) {
		cJSON_Delete(st->base);
		ok = read_version(latest, &st->base, NULL, e);
	}
	free(first);
	free(latest);
	struct sched_view v;
	if (!ok || !replay(api, st->base, st->version, &v, e))
		return false;
	served_commit(api, &v);
	log_skipped(api, &api->sched.cur);
	warn_capacities(api);
	return true;
}

void served_free(struct api *api)
{
	struct sched_state *st = &api->sched;
	view_free(&st->cur);
	cJSON_Delete(st->base);
	schedule_destroy(st->first);
	memset(st, 0, sizeof(*st));
}

void served_reconfigured(struct api *api)
{
	struct sched_state *st = &api->sched;
	struct sched_view v;
	struct feed_error e = {{0}};
	if (!st->base)
		return;
	if (!replay(api, st->base, st->version, &v, &e)) {
		api_logf(api, "WARN", "the schedule was not rebuilt with the new configuration: %s",
			 e.msg);
		return;
	}
	served_commit(api, &v);
	warn_capacities(api);
}

int served_publish(struct api *api, const char *feed, size_t len, const char *who, int64_t now_ms,
		   int64_t *version, size_t *sessions, char *why, size_t cap)
{
	struct sched_state *st = &api->sched;
	struct feed_options opt = {.timezone =
					   api->config->timezone[0] ? api->config->timezone : NULL};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!feed_parse(feed, len, &opt, &s, &e)) {
		snprintf(why, cap, "the schedule was not published: %s", e.msg);
		return 422;
	}
	char *norm = normalized_json_write(s);
	cJSON *base = norm ? cJSON_Parse(norm) : NULL;
	struct schedule *first = NULL;
	struct sched_view v = {0};
	bool built = false, stored = false;
	*version = st->version + 1;
	*sessions = s->n_sessions;
	schedule_destroy(s);
	if (!base) {
		feed_error_set(&e, "out of memory");
	} else if (!st->first && !feed_parse(norm, strlen(norm), NULL, &first, &e)) {
		/* our own output always reads back; e says otherwise */
	} else {
		if (first)
			st->first = first; /* needed by the build; taken back below on failure */
		built = replay(api, base, *version, &v, &e);
		stored = built && store_put_schedule(api->store, *version, norm, who, now_ms, &e);
		if (!stored && first)
			st->first = NULL;
	}
	if (built)
		api_write_result(api, stored, e.msg, now_ms);
	free(norm);
	if (!stored) {
		schedule_destroy(first);
		cJSON_Delete(base);
		view_free(&v);
		snprintf(why, cap, "%s%s",
			 built ? "the schedule could not be stored: "
			       : "the schedule was not published: ",
			 e.msg);
		return built ? 500 : 422;
	}
	cJSON_Delete(st->base);
	st->base = base;
	st->version = *version;
	served_commit(api, &v);
	log_skipped(api, &api->sched.cur);
	warn_capacities(api);
	return 201;
}

/* ---- reading ------------------------------------------------------------------------ */

bool served_any(const struct api *api)
{
	return api->sched.cur.effective != NULL;
}

const struct schedule *served_model(const struct api *api)
{
	return api->sched.cur.model;
}

const struct schedule *served_first(const struct api *api)
{
	return api->sched.first;
}

int64_t served_version(const struct api *api)
{
	return api->sched.version;
}

const char *served_etag(const struct api *api)
{
	return api->sched.cur.etag;
}

struct blob *served_doc(const struct api *api)
{
	return api->sched.cur.doc;
}

int64_t served_sessions(const struct api *api)
{
	return api->sched.cur.n_sessions;
}

const cJSON *served_notices(const struct api *api)
{
	return api->sched.cur.notices;
}

const char *served_skipped(const struct api *api, int64_t id)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_util_str(api->sched.cur.skipped, key);
}

const cJSON *served_session(const struct api *api, const char *id)
{
	return find_session(api->sched.cur.effective, NULL, id);
}
