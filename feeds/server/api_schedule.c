/* api_schedule: the schedule as kiosks get it — the latest published version
 * with the organizers' live changes applied, its change list against the
 * first version, the notices and the audit log. A change is applied to a copy
 * of what is served and the result must read back as a schedule before the
 * change is stored; nothing is stored that would break the feed, and a stored
 * change that cannot apply (one written by an older server) is skipped, and
 * said so, rather than keep the server from starting. */
#include "api_internal.h"

#include "blob.h"
#include "civil_time.h"
#include "feed.h"
#include "json_util.h"
#include "normalized_json.h"
#include "room_fill.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "store.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times a schedule can hold (schedule_finish refuses others). */
static const int64_t MIN_T = -2208988800LL; /* 1900-01-01 */
static const int64_t MAX_T = 7258118400LL;  /* 2200-01-01 */
enum { MAX_LOGGED_SKIPS = 20 };

static void view_free(struct sched_view *v)
{
	cJSON_Delete(v->effective);
	cJSON_Delete(v->notices);
	cJSON_Delete(v->skipped);
	cJSON_Delete(v->extras);
	blob_unref(v->doc);
	schedule_destroy(v->model);
	memset(v, 0, sizeof(*v));
}

/* ---- change bodies: only the known fields, each checked ---------------------- */

enum kind { K_MOVE, K_CANCEL, K_RESCHEDULE, K_UNDO, K_NOTICE, K_ROOM, K_ALERT, K_ROLLOUT,
	    K_UNKNOWN };
static const char *const kind_names[] = {"move", "cancel", "reschedule", "undo", "notice",
					 "room", "alert", "rollout"};

/* Kinds that are not about the schedule: kept in the audit and the view's
 * extras, applied to nothing. */
static bool extra_kind(enum kind k)
{
	return k == K_ROOM || k == K_ALERT || k == K_ROLLOUT;
}

static enum kind kind_of(const char *s)
{
	for (int k = 0; s && k < K_UNKNOWN; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum kind)k;
	return K_UNKNOWN;
}

/* A string field: present, one line of UTF-8, 1..max bytes. */
static const char *text_field(const cJSON *body, const char *key, size_t max, const char *need,
			      char *why, size_t cap)
{
	const char *v = json_util_str(body, key);
	size_t n = v ? strlen(v) : 0;
	if (!v || n == 0 || n > max) {
		snprintf(why, cap, "%s: %s (at most %zu bytes)", key, need, max);
		return NULL;
	}
	if (!text_is_one_line(v, n)) {
		snprintf(why, cap, "%s: must be UTF-8 text on one line (no control characters)", key);
		return NULL;
	}
	return v;
}

/* An RFC 3339 time with an offset, within what a schedule holds, as UTC. A
 * time that reads but no schedule can hold is impossible (422), not
 * malformed (400). */
static bool time_field(const cJSON *body, const char *key, int64_t *t, char z[21], int *status,
		       char *why, size_t cap)
{
	const char *v = json_util_str(body, key);
	struct civil c;
	struct feed_error e;
	int year = v && strspn(v, "0123456789") >= 4 ? (v[0] - '0') * 1000 + (v[1] - '0') * 100 +
								(v[2] - '0') * 10 + (v[3] - '0')
						      : 2000;
	if (year < 1900 || year > 2199) { /* a time, but none a schedule holds */
		snprintf(why, cap, "%s: %.40s is outside the years 1900-2199", key, v);
		*status = 422;
		return false;
	}
	if (!v || !civil_parse(v, strlen(v), &c) || !c.has_time || !c.has_offset ||
	    !civil_to_utc(&c, NULL, t, &e)) {
		snprintf(why, cap, "%s: an RFC 3339 time with an offset is needed "
				   "(like 2014-11-06T14:00:00+01:00)", key);
		return false;
	}
	if (*t < MIN_T || *t >= MAX_T) {
		snprintf(why, cap, "%s: %.40s is outside the years 1900-2199", key, v);
		*status = 422;
		return false;
	}
	civil_format_utc(*t, z);
	return true;
}

/* Optional "zones" and "screens": arrays of names (letters, digits, '-',
 * '_', '.'), copied into out. Whether they exist is checked when posted
 * (a stored one outlives a zone taken out of the configuration). */
static bool targets_field(const cJSON *body, cJSON *out, char *why, size_t cap)
{
	static const struct { const char *key; int max_n; size_t max_len; } keys[] = {
		{"zones", 32, CONFIG_ZONE_MAX}, {"screens", 256, CONFIG_NAME_MAX}};
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, keys[k].key);
		if (!list)
			continue;
		if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > keys[k].max_n) {
			snprintf(why, cap, "%s: a list of at most %d names", keys[k].key, keys[k].max_n);
			return false;
		}
		cJSON *copy = cJSON_AddArrayToObject(out, keys[k].key);
		const cJSON *v;
		cJSON_ArrayForEach(v, list) {
			const char *n = cJSON_IsString(v) ? v->valuestring : NULL;
			size_t len = n ? strlen(n) : 0;
			bool ok = len > 0 && len <= keys[k].max_len;
			for (size_t i = 0; ok && i < len; i++)
				ok = (n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
				     (n[i] >= '0' && n[i] <= '9') || n[i] == '-' || n[i] == '_' ||
				     n[i] == '.';
			if (!ok) {
				snprintf(why, cap, "%s: each a name of letters, digits, '-', '_' or '.' "
						   "(at most %zu bytes)", keys[k].key, keys[k].max_len);
				return false;
			}
			cJSON_AddItemToArray(copy, cJSON_CreateString(n));
		}
	}
	return true;
}

/* The change of kind k from body, holding only its own fields, checked; NULL
 * with why and *status (400 malformed, 422 impossible) filled when it cannot
 * be one. Used on requests and on rows read back from the database alike. */
static cJSON *clean_change(enum kind k, const cJSON *body, int *status, char *why, size_t cap)
{
	*status = 400;
	cJSON *out = cJSON_CreateObject();
	if (!out) {
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	if (k == K_NOTICE || k == K_ALERT) {
		const char *text = text_field(body, "text", API_MAX_NOTICE,
					      k == K_NOTICE ? "the notice text is missing"
							    : "the alert text is missing", why, cap);
		if (!text)
			goto fail;
		cJSON_AddStringToObject(out, "text", text);
		if (!targets_field(body, out, why, cap))
			goto fail;
		if (k == K_ALERT) {
			cJSON_AddStringToObject(out, "kind", kind_names[k]);
			return out;
		}
		/* a notice may be shown from start to end only (the morning's
		 * registration desk, the evening party) */
		int64_t t[2];
		char z[2][21];
		static const char *const ends[] = {"start", "end"};
		for (int i = 0; i < 2; i++) {
			if (!cJSON_GetObjectItemCaseSensitive(body, ends[i]))
				continue;
			if (!time_field(body, ends[i], &t[i], z[i], status, why, cap))
				goto fail;
			cJSON_AddStringToObject(out, ends[i], z[i]);
		}
		if (cJSON_GetObjectItemCaseSensitive(out, "start") &&
		    cJSON_GetObjectItemCaseSensitive(out, "end") && t[1] <= t[0]) {
			snprintf(why, cap, "end: not after start");
			goto fail;
		}
		return out;
	}
	cJSON_AddStringToObject(out, "kind", kind_names[k]);
	if (k == K_ROOM) { /* a steward's FULL, or open again */
		const char *room = text_field(body, "room", SCHEDULE_MAX_NAME,
					      "the name of the room is missing", why, cap);
		const char *state = json_util_str(body, "state");
		enum room_state rs;
		if (!room)
			goto fail;
		if (!room_state_parse(state, &rs) || rs == ROOM_FILLING) {
			snprintf(why, cap, "state: \"full\" or \"open\"");
			goto fail;
		}
		cJSON_AddStringToObject(out, "room", room);
		cJSON_AddStringToObject(out, "state", room_state_name(rs));
		/* from: when it was set by the rooms' clock (the server sets it;
		 * read back from the database as stored) */
		if (cJSON_GetObjectItemCaseSensitive(body, "from")) {
			int64_t from;
			char z[21];
			if (!time_field(body, "from", &from, z, status, why, cap))
				goto fail;
			cJSON_AddStringToObject(out, "from", z);
		}
		return out;
	}
	if (k == K_ROLLOUT) { /* checked against the bundles and screens when posted */
		const char *bundle = text_field(body, "bundle", 64, "the bundle's version is missing",
						why, cap);
		const cJSON *canaries = cJSON_GetObjectItemCaseSensitive(body, "canaries");
		const cJSON *healthy = cJSON_GetObjectItemCaseSensitive(body, "healthy_minutes");
		if (!bundle)
			goto fail;
		if (!cJSON_IsArray(canaries) || !cJSON_IsNumber(healthy)) {
			snprintf(why, cap, "canaries and healthy_minutes are missing");
			goto fail;
		}
		cJSON *copy = cJSON_AddArrayToObject(out, "canaries");
		const cJSON *v;
		cJSON_ArrayForEach(v, canaries)
			if (cJSON_IsString(v))
				cJSON_AddItemToArray(copy, cJSON_CreateString(v->valuestring));
		cJSON_AddStringToObject(out, "bundle", bundle);
		cJSON_AddNumberToObject(out, "healthy_minutes", healthy->valuedouble);
		return out;
	}
	if (k == K_UNDO) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "change");
		double d = cJSON_IsNumber(c) ? c->valuedouble : 0;
		if (!cJSON_IsNumber(c) || !isfinite(d) || d != floor(d) || d < 1 || d > 9007199254740992.0) {
			snprintf(why, cap, "change: the id of the change to undo, a whole number, "
					   "is missing");
			goto fail;
		}
		cJSON_AddNumberToObject(out, "change", d);
		return out;
	}
	const char *sid = text_field(body, "session", SCHEDULE_MAX_ID_OUT,
				     "the id of the session is missing", why, cap);
	if (!sid)
		goto fail;
	cJSON_AddStringToObject(out, "session", sid);
	if (k == K_MOVE) {
		const char *room = text_field(body, "room", SCHEDULE_MAX_NAME,
					      "the name of the new room is missing", why, cap);
		if (!room)
			goto fail;
		char key[SCHEDULE_MAX_NAME * 2 + 1];
		text_fold_key(room, key, sizeof(key));
		if (strspn(key, "-") == strlen(key)) {
			snprintf(why, cap, "room: '%.60s' has no letter or digit", room);
			goto fail;
		}
		cJSON_AddStringToObject(out, "room", room);
	} else if (k == K_RESCHEDULE) {
		int64_t start, end;
		char zs[21], ze[21];
		if (!time_field(body, "start", &start, zs, status, why, cap) ||
		    !time_field(body, "end", &end, ze, status, why, cap))
			goto fail;
		if (end < start) {
			snprintf(why, cap, "end: before start");
			goto fail;
		}
		cJSON_AddStringToObject(out, "start", zs);
		cJSON_AddStringToObject(out, "end", ze);
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

/* ---- applying changes to a schedule tree ----------------------------------- */

/* Sessions by id, for replays (a linear search per change would make a
 * replay quadratic). */
struct sess_index {
	struct sess_ref {
		const char *id;
		cJSON *node;
	} *v;
	size_t n;
};

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sess_ref *)a)->id, ((const struct sess_ref *)b)->id);
}

static bool index_build(struct sess_index *ix, cJSON *tree)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(tree, "sessions");
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

static cJSON *find_session(cJSON *tree, const struct sess_index *ix, const char *id)
{
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

/* The id of the room called name (names match as rooms do: accents, case and
 * punctuation aside), adding it when the schedule lacks it. */
static const char *room_id_for(cJSON *tree, const char *name, char *why, size_t cap)
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

static void set_string(cJSON *obj, const char *key, const char *value)
{
	cJSON *v = cJSON_CreateString(value);
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
	else
		cJSON_AddItemToObject(obj, key, v);
}

enum applied { APPLIED, NO_SESSION, REFUSED };

/* Applies a clean change (not a notice, not an undo) to tree. */
static enum applied apply(cJSON *tree, const struct sess_index *ix, enum kind k,
			  const cJSON *change, char *why, size_t cap)
{
	cJSON *sess = find_session(tree, ix, json_util_str(change, "session"));
	if (!sess)
		return NO_SESSION;
	if (k == K_CANCEL) {
		set_string(sess, "status", "cancelled");
	} else if (k == K_MOVE) {
		const char *id = room_id_for(tree, json_util_str(change, "room"), why, cap);
		if (!id)
			return REFUSED;
		set_string(sess, "room", id);
	} else if (k == K_RESCHEDULE) {
		set_string(sess, "start", json_util_str(change, "start"));
		set_string(sess, "end", json_util_str(change, "end"));
	}
	return APPLIED;
}

/* ---- the audit log: every change and notice, in order ------------------------ */

/* An audit entry: id, kind, who, at, undone, change (its clean fields), and,
 * for a stored row that is not a valid change, "bad" (why; never applied). */
static cJSON *audit_entry(int64_t id, const char *kind, const char *who, int64_t at_ms,
			  bool undone, cJSON *change, const char *bad)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		cJSON_Delete(change);
		return NULL;
	}
	char at[21];
	civil_format_utc(at_ms / 1000, at);
	cJSON_AddNumberToObject(o, "id", (double)id);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "who", who);
	cJSON_AddStringToObject(o, "at", at);
	cJSON_AddBoolToObject(o, "undone", undone);
	cJSON_AddItemToObject(o, "change", change);
	if (bad)
		cJSON_AddStringToObject(o, "bad", bad);
	return o;
}

static int64_t entry_id(const cJSON *entry)
{
	return (int64_t)cJSON_GetObjectItemCaseSensitive(entry, "id")->valuedouble;
}

static cJSON *find_entry(cJSON *audit, int64_t id)
{
	cJSON *x;
	cJSON_ArrayForEach(x, audit)
		if (entry_id(x) == id)
			return x;
	return NULL;
}

/* ---- the served document ------------------------------------------------------ */

/* The audit as served: each entry with "skipped" (why) when it did not apply. */
static void describe(const cJSON *effective, const cJSON *change, char *out, size_t cap);

/* The entry in words, for the desk: the session and where it went. */
static void entry_what(const cJSON *effective, const cJSON *x, char *out, size_t cap)
{
	const char *kind = json_util_str(x, "kind");
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(x, "change");
	enum kind k = kind_of(kind);
	if (k == K_NOTICE || k == K_ALERT)
		snprintf(out, cap, "%s: %.200s", kind, json_util_str(c, "text"));
	else if (k == K_ROOM)
		snprintf(out, cap, "%.100s marked %s", json_util_str(c, "room"),
			 strcmp(json_util_str(c, "state"), "full") == 0 ? "FULL" : "open again");
	else if (k == K_ROLLOUT)
		snprintf(out, cap, "rollout of %.64s", json_util_str(c, "bundle"));
	else if (k == K_UNDO || k == K_UNKNOWN || !c)
		snprintf(out, cap, "%s", kind ? kind : "?");
	else {
		char d[240];
		describe(effective, c, d, sizeof(d));
		snprintf(out, cap, "%s%s", k == K_CANCEL ? "cancel" : k == K_MOVE ? "move" : "reschedule",
			 d);
	}
}

static cJSON *served_audit(const cJSON *audit, const cJSON *skipped, const cJSON *effective)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *x;
	cJSON_ArrayForEach(x, audit) {
		cJSON *o = cJSON_Duplicate(x, true);
		if (!o) {
			cJSON_Delete(out);
			return NULL;
		}
		char what[300];
		entry_what(effective, x, what, sizeof(what));
		cJSON_AddStringToObject(o, "what", what);
		cJSON *bad = cJSON_DetachItemFromObjectCaseSensitive(o, "bad");
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)entry_id(x));
		const char *why = bad ? json_util_strv(bad) : json_util_str(skipped, id);
		if (why)
			cJSON_AddStringToObject(o, "skipped", why);
		cJSON_Delete(bad);
		cJSON_AddItemToArray(out, o);
	}
	return out;
}

/* Makes v's document: v->effective read back as a schedule (the check that
 * nothing stored can break the feed), its change list against the first
 * version, the notices, the version. False, e saying why, when
 * the schedule does not read. */
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

/* Adds the notice of audit entry x to notices (its text and id). */
static bool add_notice(cJSON *notices, const cJSON *x)
{
	cJSON *n = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(x, "change"), true);
	if (!n)
		return false;
	cJSON_AddNumberToObject(n, "id", (double)entry_id(x));
	cJSON_AddItemToArray(notices, n);
	return true;
}

static void skip(cJSON *skipped, const cJSON *x, const char *why)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)entry_id(x));
	cJSON_DeleteItemFromObjectCaseSensitive(skipped, id);
	cJSON_AddStringToObject(skipped, id, why);
}

/* Makes a view of base with every live change of the audit applied, in
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
		view_free(v);
		v->effective = cJSON_Duplicate(base, true);
		v->notices = cJSON_CreateArray();
		v->skipped = cJSON_CreateObject();
		v->extras = cJSON_CreateArray();
		free(ix.v);
		if (!v->effective || !v->notices || !v->skipped || !v->extras ||
		    !index_build(&ix, v->effective))
			goto oom;
		const cJSON *x;
		cJSON_ArrayForEach(x, api->sched.audit) {
			const char *bad = json_util_str(x, "bad");
			enum kind k = kind_of(json_util_str(x, "kind"));
			const cJSON *change = cJSON_GetObjectItemCaseSensitive(x, "change");
			if (json_util_true(x, "undone") || bad)
				continue;
			if (k == K_NOTICE) {
				if (!add_notice(v->notices, x))
					goto oom;
				continue;
			}
			if (extra_kind(k)) { /* a room's state, an alert, a rollout */
				cJSON *m = cJSON_Duplicate(x, true);
				if (!m)
					goto oom;
				cJSON_AddItemToArray(v->extras, m);
				continue;
			}
			cJSON *before = careful ? cJSON_Duplicate(v->effective, true) : NULL;
			if (careful && !before)
				goto oom;
			char why[300] = "";
			struct feed_error ce = {{0}};
			enum applied a = apply(v->effective, &ix, k, change, why, sizeof(why));
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
					free(ix.v);
					if (!index_build(&ix, v->effective))
						goto oom;
				}
			}
			cJSON_Delete(before);
		}
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

/* Swaps next in as what is served. */
static void commit(struct api *api, struct sched_view *next)
{
	view_free(&api->sched.cur);
	api->sched.cur = *next;
	memset(next, 0, sizeof(*next));
	api->generation++;
	if (api->queues.fc)
		api_outlook_schedule(api);
}

/* ---- loading --------------------------------------------------------------------- */

struct audit_load {
	struct api *api;
	size_t n_bad;
	bool oom;
};

/* One stored change or notice into the audit (its clean fields, or why it
 * is not a valid one: an older server stored what this one refuses). */
static void load_change(void *vctx, const struct stored_change *c)
{
	struct audit_load *ctx = vctx;
	struct api *api = ctx->api;
	enum kind k = kind_of(c->kind);
	int status;
	char why[300] = "";
	cJSON *body = c->body ? cJSON_Parse(c->body) : NULL;
	cJSON *change = NULL;
	if (k == K_UNKNOWN || k == K_UNDO)
		snprintf(why, sizeof(why), "kind: unknown kind of change");
	else if (!body)
		snprintf(why, sizeof(why), "the stored change is not JSON");
	else
		change = clean_change(k, body, &status, why, sizeof(why));
	cJSON_Delete(body);
	const char *kind = k == K_UNKNOWN || k == K_UNDO ? "unknown" : kind_names[k];
	const char *who = c->who && text_is_one_line(c->who, strlen(c->who)) ? c->who : "?";
	if (!change) {
		change = cJSON_CreateObject();
		if (++ctx->n_bad <= MAX_LOGGED_SKIPS)
			api_logf(api, "WARN", "stored change %lld (%s by %s) is not a valid change "
					      "and is skipped: %s", (long long)c->id, kind, who, why);
	}
	cJSON *entry = audit_entry(c->id, kind, who, c->at_ms, c->undone, change,
				   change && why[0] ? why : NULL);
	if (!entry || !cJSON_AddItemToArray(api->sched.audit, entry)) {
		cJSON_Delete(entry);
		ctx->oom = true;
		return;
	}
	if (c->id > api->sched.last_change_id)
		api->sched.last_change_id = c->id;
}

static void log_skipped(struct api *api, const struct sched_view *v)
{
	int n = cJSON_GetArraySize(v->skipped), shown = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, v->skipped) {
		if (++shown > MAX_LOGGED_SKIPS)
			break;
		api_logf(api, "WARN", "change %s cannot be applied to schedule version %lld and is "
				      "skipped: %s", s->string, (long long)api->sched.version,
			 json_util_strv(s));
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

bool api_schedule_load(struct api *api, const char *initial_feed, size_t initial_len,
		       int64_t now_ms, struct feed_error *e)
{
	struct sched_state *st = &api->sched;
	st->audit = cJSON_CreateArray();
	if (!st->audit)
		return feed_error_set(e, "out of memory");
	struct audit_load ctx = {.api = api};
	if (!store_each_change(api->store, load_change, &ctx, e))
		return false;
	if (ctx.oom)
		return feed_error_set(e, "out of memory");
	if (ctx.n_bad > MAX_LOGGED_SKIPS)
		api_logf(api, "WARN", "%zu stored changes are not valid changes and are skipped",
			 ctx.n_bad);
	int64_t first_id = 0;
	char *first = store_schedule(api->store, true, &first_id, e);
	if (!first) {
		if (e->msg[0])
			return false;
		if (!initial_feed)
			return true;
		/* publish the configured schedule, as an organizer would */
		struct config_token boot = {.role = TOKEN_ORGANIZER, .name = "startup"};
		struct api_request req = {.method = "POST", .path = "/v1/schedule",
					  .body = initial_feed, .body_len = initial_len,
					  .now_ms = now_ms};
		struct api_response res;
		memset(&res, 0, sizeof(res));
		api_post_schedule(api, &req, &boot, &res);
		if (res.status != 201)
			feed_error_set(e, "the startup schedule: %s", res.body ? res.body : "");
		api_response_finish(&res);
		return res.status == 201;
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
	commit(api, &v);
	log_skipped(api, &api->sched.cur);
	warn_capacities(api);
	return true;
}

void api_schedule_free(struct api *api)
{
	struct sched_state *st = &api->sched;
	view_free(&st->cur);
	cJSON_Delete(st->audit);
	cJSON_Delete(st->base);
	schedule_destroy(st->first);
	memset(st, 0, sizeof(*st));
}

/* ---- requests ----------------------------------------------------------------------- */

void api_schedule_reconfigured(struct api *api)
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
	commit(api, &v);
	warn_capacities(api);
}

void api_get_schedule(struct api *api, const struct api_request *req, struct api_response *res)
{
	struct sched_view *v = &api->sched.cur;
	if (!v->doc) {
		api_fail(res, 404, "no schedule has been published yet");
		return;
	}
	memcpy(res->etag, v->etag, sizeof(res->etag));
	res->cache_control = "public, max-age=10, must-revalidate";
	if (req->if_none_match && strstr(req->if_none_match, v->etag)) {
		api->not_modified++;
		api_respond(res, 304, NULL, NULL);
		return;
	}
	res->status = 200;
	res->content_type = "application/json";
	res->blob = blob_ref(v->doc);
}

void api_get_audit(struct api *api, const struct api_request *req, struct api_response *res)
{
	(void)req;
	cJSON *root = cJSON_CreateObject();
	cJSON *audit = served_audit(api->sched.audit, api->sched.cur.skipped,
				    api->sched.cur.effective);
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

void api_post_schedule(struct api *api, const struct api_request *req,
		       const struct config_token *who, struct api_response *res)
{
	struct sched_state *st = &api->sched;
	struct feed_options opt = {.timezone = api->config->timezone[0] ? api->config->timezone : NULL};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!feed_parse(req->body, req->body_len, &opt, &s, &e)) {
		api_fail(res, 422, "the schedule was not published: %s", e.msg);
		return;
	}
	char *norm = normalized_json_write(s);
	cJSON *base = norm ? cJSON_Parse(norm) : NULL;
	struct schedule *first = NULL;
	int64_t version = st->version + 1;
	struct sched_view v = {0};
	bool built = false, stored = false;
	if (!base) {
		feed_error_set(&e, "out of memory");
	} else if (!st->first && !feed_parse(norm, strlen(norm), NULL, &first, &e)) {
		/* our own output always reads back; e says otherwise */
	} else {
		if (first)
			st->first = first; /* needed by the build; taken back below on failure */
		built = replay(api, base, version, &v, &e);
		stored = built && store_put_schedule(api->store, version, norm, who->name, req->now_ms, &e);
		if (!stored && first)
			st->first = NULL;
	}
	if (built)
		api_write_result(api, stored, e.msg, req->now_ms);
	size_t n = s->n_sessions;
	schedule_destroy(s);
	free(norm);
	if (!stored) {
		schedule_destroy(first);
		cJSON_Delete(base);
		view_free(&v);
		if (built)
			api_fail(res, 500, "the schedule could not be stored: %s", e.msg);
		else
			api_fail(res, 422, "the schedule was not published: %s", e.msg);
		return;
	}
	cJSON_Delete(st->base);
	st->base = base;
	st->version = version;
	commit(api, &v);
	char buf[160];
	snprintf(buf, sizeof(buf), "{\"version\":%lld,\"sessions\":%zu}", (long long)version, n);
	snprintf(res->log, sizeof(res->log), "schedule version %lld published by %s: %zu sessions",
		 (long long)version, who->name, n);
	api_respond(res, 201, "application/json", strdup(buf));
	log_skipped(api, &api->sched.cur);
	warn_capacities(api);
}

/* "session 4184 ('QA: the gate…') to Salle 243" for the INFO line. */
static void describe(const cJSON *effective, const cJSON *change, char *out, size_t cap)
{
	const char *sid = json_util_str(change, "session");
	const char *room = json_util_str(change, "room");
	const char *start = json_util_str(change, "start");
	const char *title = NULL;
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(effective, "sessions")) {
		const char *id = json_util_str(s, "id");
		if (sid && id && strcmp(id, sid) == 0) {
			title = json_util_str(s, "title");
			break;
		}
	}
	snprintf(out, cap, " session %.40s%s%.60s%s%s%.60s%s%s", sid ? sid : "",
		 title ? " ('" : "", title ? title : "", title ? "')" : "", room ? " to " : "",
		 room ? room : "", start ? " at " : "", start ? start : "");
}

/* The change of an undo, as a candidate: the entry marked undone and the
 * view replayed. */
static void post_undo(struct api *api, const struct api_request *req, const cJSON *change,
		      const struct config_token *who, struct api_response *res)
{
	struct sched_state *st = &api->sched;
	int64_t target = (int64_t)cJSON_GetObjectItemCaseSensitive(change, "change")->valuedouble;
	cJSON *entry = find_entry(st->audit, target);
	if (!entry) {
		api_fail(res, 422, "change %lld does not exist", (long long)target);
		return;
	}
	if (json_util_true(entry, "undone")) {
		api_fail(res, 409, "change %lld is already undone", (long long)target);
		return;
	}
	cJSON_ReplaceItemInObjectCaseSensitive(entry, "undone", cJSON_CreateTrue());
	struct sched_view v;
	struct feed_error e = {{0}};
	if (!st->base && extra_kind(kind_of(json_util_str(entry, "kind")))) {
		/* an alert or a rollout on a server with no schedule yet: no
		 * view to rebuild, only the live extras to drop it from */
		if (!store_undo_change(api->store, target, who->name, req->now_ms, &e)) {
			api_write_result(api, false, e.msg, req->now_ms);
			cJSON_ReplaceItemInObjectCaseSensitive(entry, "undone", cJSON_CreateFalse());
			api_fail(res, 500, "not undone: %s", e.msg);
			return;
		}
		api_write_result(api, true, NULL, req->now_ms);
		cJSON *x;
		cJSON_ArrayForEach(x, st->cur.extras)
			if (entry_id(x) == target) {
				cJSON_Delete(cJSON_DetachItemViaPointer(st->cur.extras, x));
				break;
			}
		api->generation++;
		goto done;
	}
	bool built = st->base && replay(api, st->base, st->version, &v, &e);
	bool stored = built && store_undo_change(api->store, target, who->name, req->now_ms, &e);
	if (built)
		api_write_result(api, stored, e.msg, req->now_ms);
	if (!stored) {
		cJSON_ReplaceItemInObjectCaseSensitive(entry, "undone", cJSON_CreateFalse());
		if (built)
			view_free(&v);
		api_fail(res, built ? 500 : 422, "not undone: %s",
			 st->base ? e.msg : "no schedule has been published yet");
		return;
	}
	commit(api, &v);
done:;
	char buf[80];
	snprintf(buf, sizeof(buf), "{\"change\":%lld,\"kind\":\"undo\"}", (long long)target);
	api_respond(res, 200, "application/json", strdup(buf));
	snprintf(res->log, sizeof(res->log), "change %lld by %s: undo (%s)", (long long)target,
		 who->name, json_util_str(entry, "kind"));
}

/* Every zone and screen a notice or an alert names is in the configuration. */
static bool targets_known(const struct api *api, const cJSON *change, char *why, size_t cap)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(change, "zones"))
		if (!server_config_zone_known(api->config, v->valuestring)) {
			snprintf(why, cap, "zones: no zone '%.40s' in the configuration", v->valuestring);
			return false;
		}
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(change, "screens"))
		if (!server_config_screen(api->config, v->valuestring)) {
			snprintf(why, cap, "screens: no screen '%.64s' in the configuration",
				 v->valuestring);
			return false;
		}
	return true;
}

/* A move, cancel, reschedule or notice: applied to a copy of what is
 * served, the result built and read back, then stored, then served. */
static void post_new(struct api *api, const struct api_request *req, enum kind k, cJSON *change,
		     const struct config_token *who, struct api_response *res)
{
	struct sched_state *st = &api->sched;
	struct sched_view *cur = &api->sched.cur;
	/* an alert or a rollout needs no schedule; the rest change it */
	bool served = cur->effective != NULL;
	if (!served && (!extra_kind(k) || k == K_ROOM)) {
		cJSON_Delete(change);
		api_fail(res, 422, "no schedule has been published yet");
		return;
	}
	if (cJSON_GetArraySize(st->audit) >= API_MAX_CHANGES) {
		cJSON_Delete(change);
		api_fail(res, 422, "the server already holds %d changes and notices: publish a new "
				   "schedule version instead", API_MAX_CHANGES);
		return;
	}
	char why[300] = "", what[200] = "";
	if (k == K_ROOM && (!cur->model || !schedule_room_named(cur->model,
								json_util_str(change, "room")))) {
		api_fail(res, 422, "room: no room '%.80s' in the published schedule",
			 json_util_str(change, "room"));
		cJSON_Delete(change);
		return;
	}
	if ((k == K_NOTICE || k == K_ALERT) && !targets_known(api, change, why, sizeof(why))) {
		api_fail(res, 422, "%s; nothing was stored", why);
		cJSON_Delete(change);
		return;
	}
	if (k != K_NOTICE && !extra_kind(k) &&
	    !find_session(cur->effective, NULL, json_util_str(change, "session"))) {
		api_fail(res, 422, "session: no session '%.80s' in the published schedule",
			 json_util_str(change, "session"));
		cJSON_Delete(change);
		return;
	}
	if (k == K_ROOM) {
		char from[21];
		civil_format_utc(api_rooms_at(api, req->now_ms) / 1000, from);
		cJSON_DeleteItemFromObjectCaseSensitive(change, "from");
		cJSON_AddStringToObject(change, "from", from);
		snprintf(what, sizeof(what), " %.80s is %s", json_util_str(change, "room"),
			 json_util_str(change, "state"));
	}
	else if (k != K_NOTICE && !extra_kind(k))
		describe(cur->effective, change, what, sizeof(what));
	int64_t id = st->last_change_id + 1;
	char *text = cJSON_PrintUnformatted(change);
	struct sched_view v = {
		.effective = cJSON_Duplicate(cur->effective, true),
		.notices = cJSON_Duplicate(cur->notices, true),
		.skipped = cJSON_Duplicate(cur->skipped, true),
		.extras = cJSON_Duplicate(cur->extras, true),
	};
	cJSON *entry = audit_entry(id, kind_names[k], who->name, req->now_ms, false, change, NULL);
	struct feed_error e = {{0}};
	int status = 500;
	if (!text || (served && (!v.effective || !v.notices || !v.skipped)) ||
	    (!v.extras && !(v.extras = cJSON_CreateArray())) || !entry) {
		feed_error_set(&e, "out of memory");
		goto refused;
	}
	if (extra_kind(k)) {
		cJSON *m = cJSON_Duplicate(entry, true);
		if (!m) {
			feed_error_set(&e, "out of memory");
			goto refused;
		}
		cJSON_AddItemToArray(v.extras, m);
	} else if (k == K_NOTICE) {
		if (!add_notice(v.notices, entry)) {
			feed_error_set(&e, "out of memory");
			goto refused;
		}
	} else if (apply(v.effective, NULL, k, change, why, sizeof(why)) != APPLIED) {
		status = 422;
		feed_error_set(&e, "%s", why);
		goto refused;
	}
	cJSON_AddItemToArray(st->audit, entry);
	if (served && !build_doc(api, &v, st->version, &e)) {
		cJSON_DetachItemViaPointer(st->audit, entry);
		status = 422;
		char msg[FEED_ERROR_MAX];
		snprintf(msg, sizeof(msg), "%s", e.msg);
		feed_error_set(&e, "the schedule would not read with this change: %s", msg);
		goto refused;
	}
	bool stored = store_add_change(api->store, id, kind_names[k], text, who->name, req->now_ms, &e);
	api_write_result(api, stored, e.msg, req->now_ms);
	if (!stored) {
		cJSON_DetachItemViaPointer(st->audit, entry);
		goto refused;
	}
	free(text);
	st->last_change_id = id;
	commit(api, &v);
	char buf[80];
	snprintf(buf, sizeof(buf), "{\"change\":%lld,\"kind\":\"%s\"}", (long long)id, kind_names[k]);
	api_respond(res, 201, "application/json", strdup(buf));
	snprintf(res->log, sizeof(res->log), "change %lld by %s: %s%s", (long long)id, who->name,
		 kind_names[k], what);
	return;
refused:
	free(text);
	cJSON_Delete(entry);
	view_free(&v);
	if (status == 422)
		api_fail(res, 422, "%s; nothing was stored", e.msg);
	else
		api_fail(res, 500, "not stored: %s", e.msg);
}

void api_post_change(struct api *api, const struct api_request *req,
		     const struct config_token *who, struct api_response *res)
{
	cJSON *body = api_body_object(req, res);
	if (!body)
		return;
	const char *kind = json_util_str(body, "kind");
	enum kind k = kind_of(kind);
	char why[300];
	if (k == K_ALERT || k == K_ROLLOUT) {
		api_fail(res, 400, "kind: an %s is posted to /v1/%ss", kind, kind);
		cJSON_Delete(body);
		return;
	}
	if (k == K_UNKNOWN || k == K_NOTICE) {
		if (kind && text_is_one_line(kind, strlen(kind)))
			api_fail(res, 400, "kind: '%.40s' is not one of move, cancel, reschedule, "
					   "room, undo", kind);
		else
			api_fail(res, 400, "kind: missing; one of move, cancel, reschedule, room, undo");
		cJSON_Delete(body);
		return;
	}
	int status;
	cJSON *change = clean_change(k, body, &status, why, sizeof(why));
	cJSON_Delete(body);
	if (!change) {
		api_fail(res, status, "%s; nothing was stored", why);
		return;
	}
	if (k == K_UNDO) {
		post_undo(api, req, change, who, res);
		cJSON_Delete(change);
		return;
	}
	post_new(api, req, k, change, who, res);
}

void api_post_notice(struct api *api, const struct api_request *req,
		     const struct config_token *who, struct api_response *res)
{
	cJSON *body = api_body_object(req, res);
	if (!body)
		return;
	char why[300];
	int status;
	cJSON *change = clean_change(K_NOTICE, body, &status, why, sizeof(why));
	cJSON_Delete(body);
	if (!change) {
		api_fail(res, status, "%s; nothing was stored", why);
		return;
	}
	post_new(api, req, K_NOTICE, change, who, res);
}

void api_change_add(struct api *api, const struct api_request *req, const char *kind,
		    const cJSON *body, const struct config_token *who, struct api_response *res)
{
	enum kind k = kind_of(kind);
	char why[300];
	int status;
	cJSON *change = k == K_UNKNOWN ? NULL : clean_change(k, body, &status, why, sizeof(why));
	if (!change) {
		api_fail(res, k == K_UNKNOWN ? 500 : status, "%s; nothing was stored",
			 k == K_UNKNOWN ? "unknown kind" : why);
		return;
	}
	post_new(api, req, k, change, who, res);
}

void api_change_undo(struct api *api, const struct api_request *req, int64_t id,
		     const char *kind, const struct config_token *who, struct api_response *res)
{
	const cJSON *entry = find_entry(api->sched.audit, id);
	const char *was = entry ? json_util_str(entry, "kind") : NULL;
	if (!was || strcmp(was, kind) != 0) {
		api_fail(res, 404, "no %s %lld", kind, (long long)id);
		return;
	}
	cJSON *change = cJSON_CreateObject();
	if (!change) {
		api_fail(res, 500, "out of memory");
		return;
	}
	cJSON_AddNumberToObject(change, "change", (double)id);
	post_undo(api, req, change, who, res);
	cJSON_Delete(change);
}
