/* journal: every change, typed, in id order (see journal.h). An add is
 * checked by its kind, tried on a copy of what is served, stored, and only
 * then served; an undo is stored, then served. Refusals say why and store
 * nothing. */
#include "journal.h"

#include "api_internal.h"
#include "civil_time.h"
#include "json_util.h"
#include "served_schedule.h"
#include "store.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Times a schedule can hold (schedule_finish refuses others). */
static const int64_t MIN_T = -2208988800LL; /* 1900-01-01 */
static const int64_t MAX_T = 7258118400LL;  /* 2200-01-01 */
enum { MAX_LOGGED_BAD = 20 };

static const struct journal_kind *const kinds[] = {
	&change_move, &change_cancel, &change_reschedule, &change_notice,
	&change_room, &change_alert,  &change_rollout,
};

const struct journal_kind *journal_kind_named(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(name, kinds[i]->name) == 0)
			return kinds[i];
	return NULL;
}

/* "unknown" for an entry of a kind this server does not know. */
static const char *journal_kind_name(const struct journal_entry *x)
{
	return x->kind ? x->kind->name : "unknown";
}

/* ---- checks the kinds share ------------------------------------------------ */

const char *journal_text_field(const cJSON *body, const char *key, size_t max, const char *need,
			       char *why, size_t cap)
{
	const char *v = json_util_str(body, key);
	size_t n = v ? strlen(v) : 0;
	if (!v || n == 0 || n > max) {
		snprintf(why, cap, "%s: %s (at most %zu bytes)", key, need, max);
		return NULL;
	}
	if (!text_is_one_line(v, n)) {
		snprintf(why, cap, "%s: must be UTF-8 text on one line (no control characters)",
			 key);
		return NULL;
	}
	return v;
}

/* A time that reads but no schedule can hold is impossible (422), not
 * malformed (400). */
bool journal_time_field(const cJSON *body, const char *key, int64_t *t, char z[21], int *status,
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
		snprintf(why, cap,
			 "%s: an RFC 3339 time with an offset is needed "
			 "(like 2014-11-06T14:00:00+01:00)",
			 key);
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

/* Whether they exist is checked when posted (journal_targets_known): a
 * stored one outlives a zone taken out of the configuration. */
bool journal_targets_field(const cJSON *body, cJSON *out, char *why, size_t cap)
{
	static const struct {
		const char *key;
		int max_n;
		size_t max_len;
	} keys[] = {{"zones", 32, CONFIG_ZONE_MAX}, {"screens", 256, CONFIG_NAME_MAX}};
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, keys[k].key);
		if (!list)
			continue;
		if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > keys[k].max_n) {
			snprintf(why, cap, "%s: a list of at most %d names", keys[k].key,
				 keys[k].max_n);
			return false;
		}
		cJSON *copy = cJSON_AddArrayToObject(out, keys[k].key);
		const cJSON *v;
		cJSON_ArrayForEach(v, list) {
			const char *n = cJSON_IsString(v) ? v->valuestring : NULL;
			if (!text_is_name(n, keys[k].max_len)) {
				snprintf(why, cap,
					 "%s: each a name of letters, digits, '-', '_' or '.' "
					 "(at most %zu bytes)",
					 keys[k].key, keys[k].max_len);
				return false;
			}
			cJSON_AddItemToArray(copy, cJSON_CreateString(n));
		}
	}
	return true;
}

bool journal_targets_known(const struct api *api, const cJSON *fields, char *why, size_t cap)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(fields, "zones"))
		if (!server_config_zone_known(api->config, v->valuestring)) {
			snprintf(why, cap,
				 "zones: no zone '%.40s' in the configuration; nothing was "
				 "stored",
				 v->valuestring);
			return false;
		}
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(fields, "screens"))
		if (!server_config_screen(api->config, v->valuestring)) {
			snprintf(why, cap,
				 "screens: no screen '%.64s' in the configuration; nothing "
				 "was stored",
				 v->valuestring);
			return false;
		}
	return true;
}

/* ---- entries ----------------------------------------------------------------- */

static void entry_free(struct journal_entry *x)
{
	free(x->who);
	free(x->bad);
	cJSON_Delete(x->fields);
}

void journal_free(struct journal *j)
{
	for (size_t i = 0; i < j->n; i++)
		entry_free(&j->v[i]);
	free(j->v);
	memset(j, 0, sizeof(*j));
}

/* Room for one more entry (made before storing: a stored change is never
 * left out of memory). */
static bool reserve(struct journal *j)
{
	if (j->n < j->cap)
		return true;
	size_t cap = j->cap ? j->cap * 2 : 64;
	struct journal_entry *v = realloc(j->v, cap * sizeof(*v));
	if (!v)
		return false;
	j->v = v;
	j->cap = cap;
	return true;
}

static int id_cmp(const void *key, const void *x)
{
	int64_t id = *(const int64_t *)key, other = ((const struct journal_entry *)x)->id;
	return id < other ? -1 : id > other;
}

const struct journal_entry *journal_find(const struct journal *j, int64_t id)
{
	return j->n ? bsearch(&id, j->v, j->n, sizeof(*j->v), id_cmp) : NULL;
}

static bool wanted(const struct journal_entry *x, const struct journal_kind *kind, bool live)
{
	return (!kind || x->kind == kind) && (!live || (!x->undone && !x->bad));
}

const struct journal_entry *journal_next(const struct journal *j, const struct journal_entry *after,
					 const struct journal_kind *kind, bool live)
{
	for (size_t i = after ? (size_t)(after - j->v) + 1 : 0; i < j->n; i++)
		if (wanted(&j->v[i], kind, live))
			return &j->v[i];
	return NULL;
}

const struct journal_entry *journal_last_live(const struct journal *j,
					      const struct journal_kind *kind)
{
	for (size_t i = j->n; i-- > 0;)
		if (wanted(&j->v[i], kind, true))
			return &j->v[i];
	return NULL;
}

int64_t journal_at_ms(const struct journal_entry *x)
{
	return x->at_ms / 1000 * 1000;
}

void journal_at(const struct journal_entry *x, char out[21])
{
	civil_format_utc(x->at_ms / 1000, out);
}

/* ---- loading ------------------------------------------------------------------- */

struct load_ctx {
	struct api *api;
	size_t n_bad;
	bool oom;
};

/* One stored change: its clean fields, or why it is not a valid one (an
 * older server stored what this one refuses). */
static void load_change(void *vctx, const struct stored_change *c)
{
	struct load_ctx *ctx = vctx;
	struct journal *j = &ctx->api->journal;
	const struct journal_kind *kind = journal_kind_named(c->kind);
	int status;
	char why[300] = "";
	cJSON *body = c->body ? cJSON_Parse(c->body) : NULL;
	cJSON *fields = NULL;
	if (!kind)
		snprintf(why, sizeof(why), "kind: unknown kind of change");
	else if (!body)
		snprintf(why, sizeof(why), "the stored change is not JSON");
	else
		fields = kind->clean(body, &status, why, sizeof(why));
	cJSON_Delete(body);
	const char *who = c->who && text_is_one_line(c->who, strlen(c->who)) ? c->who : "?";
	bool bad = !fields;
	if (bad && ++ctx->n_bad <= MAX_LOGGED_BAD)
		api_logf(ctx->api, "WARN",
			 "stored change %lld (%s by %s) is not a valid change and "
			 "is skipped: %s",
			 (long long)c->id, kind ? kind->name : "unknown", who, why);
	struct journal_entry x = {
		.id = c->id,
		.at_ms = c->at_ms,
		.kind = kind,
		.who = strdup(who),
		.undone = c->undone,
		.fields = bad ? cJSON_CreateObject() : fields,
		.bad = bad ? strdup(why) : NULL,
	};
	if (!x.who || !x.fields || (bad && !x.bad) || !reserve(j)) {
		entry_free(&x);
		ctx->oom = true;
		return;
	}
	j->v[j->n++] = x;
	if (c->id > j->last_id)
		j->last_id = c->id;
}

bool journal_load(struct api *api, struct feed_error *e)
{
	struct load_ctx ctx = {.api = api};
	if (!store_each_change(api->store, load_change, &ctx, e))
		return false;
	if (ctx.oom)
		return feed_error_set(e, "out of memory");
	if (ctx.n_bad > MAX_LOGGED_BAD)
		api_logf(api, "WARN", "%zu stored changes are not valid changes and are skipped",
			 ctx.n_bad);
	return true;
}

/* ---- adding and undoing ----------------------------------------------------------- */

static bool refuse(struct journal_result *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool refuse(struct journal_result *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	r->status = status;
	return false;
}

/* The kind's checks against the server as it is, before anything is tried. */
static bool admit(struct api *api, const struct journal_kind *kind, cJSON *fields, int64_t now_ms,
		  struct journal_result *r)
{
	if (kind->needs_schedule && !served_any(api))
		return refuse(r, 422, "no schedule has been published yet");
	if (api->journal.n >= API_MAX_CHANGES)
		return refuse(r, 422,
			      "the server already holds %d changes and notices: publish a "
			      "new schedule version instead",
			      API_MAX_CHANGES);
	char why[300];
	if (kind->admit && !kind->admit(api, fields, now_ms, why, sizeof(why)))
		return refuse(r, 422, "%s", why);
	if (kind->said)
		kind->said(api, fields, r->said, sizeof(r->said));
	return true;
}

bool journal_add(struct api *api, const struct journal_kind *kind, const cJSON *body,
		 const char *who, int64_t now_ms, struct journal_result *r)
{
	struct journal *j = &api->journal;
	memset(r, 0, sizeof(*r));
	r->kind = kind->name;
	int status = 400;
	char why[300];
	cJSON *fields = kind->clean(body, &status, why, sizeof(why));
	if (!fields)
		return refuse(r, status, "%s; nothing was stored", why);
	struct journal_entry x = {.id = j->last_id + 1,
				  .at_ms = now_ms,
				  .kind = kind,
				  .who = strdup(who),
				  .fields = fields};
	struct sched_view next = {0};
	bool apart = kind->effect == CHANGE_APART; /* serves nothing of the schedule */
	char *text = NULL;
	struct feed_error e = {{0}};
	if (!admit(api, kind, fields, now_ms, r))
		goto out;
	if (!x.who || !(text = cJSON_PrintUnformatted(fields)) || !reserve(j)) {
		refuse(r, 500, "not stored: out of memory");
		goto out;
	}
	if (!apart && !served_try(api, &x, &next, &status, why, sizeof(why))) {
		if (status == 422)
			refuse(r, 422, "%s; nothing was stored", why);
		else
			refuse(r, 500, "not stored: %s", why);
		goto out;
	}
	bool stored = store_add_change(api->store, x.id, kind->name, text, who, now_ms, &e);
	api_write_result(api, stored, e.msg, now_ms);
	if (!stored) {
		refuse(r, 500, "not stored: %s", e.msg);
		goto out;
	}
	j->v[j->n++] = x;
	j->last_id = x.id;
	x = (struct journal_entry){0};
	if (apart)
		api->generation++; /* streams push the alert, the room's state, the rollout */
	else
		served_commit(api, &next);
	r->status = 201;
	r->id = j->last_id;
out:
	served_drop(&next);
	free(text);
	entry_free(&x);
	return r->status == 201;
}

bool journal_undo(struct api *api, int64_t id, const struct journal_kind *kind, const char *who,
		  int64_t now_ms, struct journal_result *r)
{
	struct journal_entry *x = (struct journal_entry *)journal_find(&api->journal, id);
	memset(r, 0, sizeof(*r));
	r->id = id;
	if (kind && (!x || x->kind != kind))
		return refuse(r, 404, "no %s %lld", kind->name, (long long)id);
	if (!x)
		return refuse(r, 422, "change %lld does not exist", (long long)id);
	if (x->undone)
		return refuse(r, 409, "change %lld is already undone", (long long)id);
	r->kind = journal_kind_name(x);
	/* only a change that made what is served needs it made again */
	bool replayed = x->kind && x->kind->effect != CHANGE_APART && !x->bad;
	struct sched_view next = {0};
	struct feed_error e = {{0}};
	x->undone = true;
	if (replayed && !served_replay(api, &next, e.msg, sizeof(e.msg))) {
		x->undone = false;
		return refuse(r, 422, "not undone: %s", e.msg);
	}
	bool stored = store_undo_change(api->store, id, who, now_ms, &e);
	api_write_result(api, stored, e.msg, now_ms);
	if (!stored) {
		x->undone = false;
		served_drop(&next);
		return refuse(r, 500, "not undone: %s", e.msg);
	}
	if (replayed)
		served_commit(api, &next);
	else
		api->generation++;
	r->status = 200;
	return true;
}

/* ---- the audit ------------------------------------------------------------------------ */

cJSON *journal_entry_json(const struct api *api, const struct journal_entry *x)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *fields = cJSON_Duplicate(x->fields, true);
	if (!o || !fields) {
		cJSON_Delete(o);
		cJSON_Delete(fields);
		return NULL;
	}
	char at[21], what[300];
	journal_at(x, at);
	if (x->kind && !x->bad)
		x->kind->what(api, x->fields, what, sizeof(what));
	else
		snprintf(what, sizeof(what), "%s", journal_kind_name(x));
	cJSON_AddNumberToObject(o, "id", (double)x->id);
	cJSON_AddStringToObject(o, "kind", journal_kind_name(x));
	cJSON_AddStringToObject(o, "who", x->who);
	cJSON_AddStringToObject(o, "at", at);
	cJSON_AddBoolToObject(o, "undone", x->undone);
	cJSON_AddItemToObject(o, "change", fields);
	cJSON_AddStringToObject(o, "what", what);
	const char *why = x->bad ? x->bad : served_skipped(api, x->id);
	if (why)
		cJSON_AddStringToObject(o, "skipped", why);
	return o;
}

cJSON *journal_audit_json(const struct api *api, int64_t since)
{
	cJSON *out = cJSON_CreateArray();
	for (size_t i = 0; out && i < api->journal.n; i++) {
		if (api->journal.v[i].id <= since)
			continue;
		cJSON *o = journal_entry_json(api, &api->journal.v[i]);
		if (!o) {
			cJSON_Delete(out);
			return NULL;
		}
		cJSON_AddItemToArray(out, o);
	}
	return out;
}
