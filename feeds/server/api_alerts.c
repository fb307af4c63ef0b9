/* api_alerts: the message that cannot wait ("evacuate by the east stairs")
 * — posted by an organizer for every screen, some zones or some screens,
 * pushed to them (GET /v1/stream, the shell keeps it open), shown until it
 * is withdrawn, and each screen's proof that it shows it (the alerts its
 * heartbeat says it shows, with when it first said so). An alert is a
 * change of kind "alert" (audited; withdrawing it is an undo). */
#include "api_internal.h"

#include "civil_time.h"
#include "blob.h"
#include "json_util.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ALERTS_SHOWN_MAX = 64 }; /* alert ids one heartbeat may say it shows */

/* Whether change (an alert or a notice) is for screen, whose zones are
 * given: for everyone when it names neither zones nor screens. */
static bool targets_zones(const cJSON *change, const char *screen, const char *const *zones_of,
			  size_t n_zones)
{
	const cJSON *zones = cJSON_GetObjectItemCaseSensitive(change, "zones");
	const cJSON *screens = cJSON_GetObjectItemCaseSensitive(change, "screens");
	if (cJSON_GetArraySize(zones) == 0 && cJSON_GetArraySize(screens) == 0)
		return true;
	const cJSON *v;
	cJSON_ArrayForEach(v, screens)
		if (strcmp(v->valuestring, screen) == 0)
			return true;
	cJSON_ArrayForEach(v, zones)
		for (size_t i = 0; i < n_zones; i++)
			if (strcmp(v->valuestring, zones_of[i]) == 0)
				return true;
	return false;
}

static bool targets(const struct api *api, const cJSON *change, const char *screen)
{
	const char *mine[CONFIG_MAX_ZONES];
	size_t n = server_config_zones_of(api->config, screen, mine, CONFIG_MAX_ZONES);
	return targets_zones(change, screen, mine, n);
}

/* ---- the kind of change ---------------------------------------------------------- */

static cJSON *clean_alert(const cJSON *body, int *status, char *why, size_t cap)
{
	*status = 400;
	cJSON *out = cJSON_CreateObject();
	const char *text = journal_text_field(body, "text", API_MAX_NOTICE,
					      "the alert text is missing", why, cap);
	if (!out || !text ||
	    (cJSON_AddStringToObject(out, "text", text),
	     !journal_targets_field(body, out, why, cap))) {
		if (!out)
			snprintf(why, cap, "out of memory");
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_AddStringToObject(out, "kind", "alert");
	return out;
}

static bool admit_alert(struct api *api, cJSON *fields, int64_t now_ms, char *why, size_t cap)
{
	(void)now_ms;
	return journal_targets_known(api, fields, why, cap);
}

static void what_alert(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	(void)api;
	snprintf(out, cap, "alert: %.200s", json_util_str(fields, "text"));
}

/* An alert needs no schedule: "evacuate" may come before any programme. */
const struct journal_kind change_alert = {"alert",     CHANGE_APART, false,      clean_alert,
					  admit_alert, NULL,         what_alert, NULL};

/* ---- to screens ------------------------------------------------------------------------ */

static cJSON *alert_item(const struct journal_entry *x)
{
	char at[21];
	journal_at(x, at);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)x->id);
	cJSON_AddStringToObject(o, "text", json_util_str(x->fields, "text"));
	cJSON_AddStringToObject(o, "at", at);
	return o;
}

static cJSON *alerts_for(const struct api *api, const char *screen, size_t budget, size_t *left_out)
{
	/* newest first until the budget or the count is spent: past a few
	 * hundred live alerts a screen's event would not fit its stream */
	const struct journal_entry *kept[API_ALERTS_SENT_MAX], *x = NULL;
	size_t n_kept = 0, n_all = 0, used = 2, cap = api->journal.n;
	const struct journal_entry **mine = malloc((cap ? cap : 1) * sizeof(*mine));
	while (mine && (x = journal_next(&api->journal, x, &change_alert, true)))
		if (targets(api, x->fields, screen))
			mine[n_all++] = x;
	for (size_t i = n_all; i-- > 0 && n_kept < API_ALERTS_SENT_MAX;) {
		cJSON *o = alert_item(mine[i]);
		char *json = cJSON_PrintUnformatted(o);
		size_t len = json ? strlen(json) + 1 : budget;
		free(json);
		cJSON_Delete(o);
		if (used + len > budget)
			break;
		used += len;
		kept[n_kept++] = mine[i];
	}
	free(mine);
	cJSON *list = cJSON_CreateArray();
	for (size_t k = n_kept; k-- > 0;) /* oldest first, as before */
		cJSON_AddItemToArray(list, alert_item(kept[k]));
	*left_out = n_all - n_kept;
	return list;
}

void api_alerts_add(const struct api *api, const char *screen, cJSON *o)
{
	size_t left_out = 0;
	cJSON_AddItemToObject(o, "alerts",
			      alerts_for(api, screen, API_ALERTS_SENT_BYTES, &left_out));
	if (left_out) /* the oldest: the screen can say that more are live */
		cJSON_AddNumberToObject(o, "alerts_left_out", (double)left_out);
}

/* The confirmation of alert id by screen, or NULL. */
static struct alert_seen *seen_find(struct api *api, int64_t id, const char *screen)
{
	for (size_t i = 0; i < api->alerts_seen_n; i++) {
		struct alert_seen *s = &api->alerts_seen[i];
		if (s->alert == id && strcmp(s->screen, screen) == 0)
			return s;
	}
	return NULL;
}

static bool seen_add(struct api *api, int64_t id, const char *screen, int64_t at_ms)
{
	if (api->alerts_seen_n == api->alerts_seen_cap) {
		size_t cap = api->alerts_seen_cap ? api->alerts_seen_cap * 2 : 64;
		struct alert_seen *v = realloc(api->alerts_seen, cap * sizeof(*v));
		if (!v)
			return false;
		api->alerts_seen = v;
		api->alerts_seen_cap = cap;
	}
	struct alert_seen *s = &api->alerts_seen[api->alerts_seen_n++];
	s->alert = id;
	s->at_ms = at_ms;
	snprintf(s->screen, sizeof(s->screen), "%s", screen);
	return true;
}

bool api_alerts_confirm(struct api *api, const char *screen, const cJSON *ids, int64_t now_ms,
			struct feed_error *e)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, ids) {
		int64_t id = (int64_t)v->valuedouble;
		const struct journal_entry *x = journal_find(&api->journal, id);
		bool live = x && x->kind == &change_alert && !x->undone && !x->bad &&
			    targets(api, x->fields, screen);
		if (!live || seen_find(api, id, screen))
			continue; /* a withdrawn alert still on screen for a moment: no proof */
		if (!store_alert_seen(api->store, id, screen, now_ms, e) ||
		    !seen_add(api, id, screen, now_ms))
			return false;
		int64_t posted = journal_at_ms(x);
		api_logf(api, "INFO", "alert %lld shown on %s, %.1f s after it was posted",
			 (long long)id, screen, (double)(now_ms - posted) / 1000.0);
	}
	return true;
}

bool api_alerts_read_heartbeat(const cJSON *doc, cJSON **ids, const char **why)
{
	*ids = NULL;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "alerts");
	if (!list)
		return true;
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > ALERTS_SHOWN_MAX) {
		*why = "alerts: a list of at most 64 alert ids (the alerts on screen)";
		return false;
	}
	const cJSON *v;
	cJSON_ArrayForEach(v, list)
		if (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > 9007199254740992.0 ||
		    v->valuedouble != (double)(int64_t)v->valuedouble) {
			*why = "alerts: each an alert id, a whole number";
			return false;
		}
	*ids = cJSON_Duplicate(list, true);
	return true;
}

static void load_seen(void *ctx, const struct stored_alert_seen *s)
{
	struct api *api = ctx;
	if (!seen_find(api, s->alert, s->screen))
		seen_add(api, s->alert, s->screen, s->at_ms);
}

bool api_alerts_load(struct api *api, struct feed_error *e)
{
	return store_each_alert_seen(api->store, load_seen, api, e);
}

void api_alerts_free(struct api *api)
{
	free(api->alerts_seen);
	api->alerts_seen = NULL;
	blob_unref(api->alerts_view);
	api->alerts_view = NULL;
	cJSON_Delete(api->alerts_items);
	api->alerts_items = NULL;
	api->alerts_seen_n = api->alerts_seen_cap = 0;
}

void api_post_alert(struct api *api, const struct api_call *c, struct api_response *res)
{
	struct journal_result r;
	if (!api_add_change(api, c, &change_alert, res, &r))
		return;
	/* {"id":N,"screens":how many it goes to} */
	const struct journal_entry *x = journal_find(&api->journal, r.id);
	size_t n = 0;
	for (size_t i = 0; i < api->n_screens; i++)
		n += targets(api, x->fields, api->screens[i].name);
	char buf[80];
	snprintf(buf, sizeof(buf), "{\"id\":%lld,\"screens\":%zu}", (long long)r.id, n);
	free(res->body);
	res->body = NULL;
	api_respond(res, 201, "application/json", strdup(buf));
}

void api_withdraw_alert(struct api *api, const struct api_call *c, struct api_response *res)
{
	struct journal_result r;
	journal_undo(api, c->id, &change_alert, c->who->name, c->req->now_ms, &r);
	api_change_reply(res, &r, c->who);
}

/* What a listing looks alerts' screens up in: the confirmations sorted by
 * (alert, screen) and each screen's zones, made once per listing rather
 * than once per alert and screen. */
struct listing {
	const struct api *api;
	const struct alert_seen **seen;
	size_t n_seen;
	const char *(*zones)[CONFIG_MAX_ZONES];
	size_t *n_zones;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct alert_seen *x = *(const struct alert_seen *const *)a;
	const struct alert_seen *y = *(const struct alert_seen *const *)b;
	return x->alert != y->alert ? (x->alert < y->alert ? -1 : 1) : strcmp(x->screen, y->screen);
}

static bool listing_init(struct listing *l, const struct api *api)
{
	memset(l, 0, sizeof(*l));
	l->api = api;
	size_t ns = api->n_screens ? api->n_screens : 1;
	l->seen = malloc((api->alerts_seen_n ? api->alerts_seen_n : 1) * sizeof(*l->seen));
	l->zones = malloc(ns * sizeof(*l->zones));
	l->n_zones = malloc(ns * sizeof(*l->n_zones));
	if (!l->seen || !l->zones || !l->n_zones)
		return false;
	for (size_t i = 0; i < api->alerts_seen_n; i++)
		l->seen[i] = &api->alerts_seen[i];
	l->n_seen = api->alerts_seen_n;
	qsort(l->seen, l->n_seen, sizeof(*l->seen), seen_cmp);
	for (size_t i = 0; i < api->n_screens; i++)
		l->n_zones[i] = server_config_zones_of(api->config, api->screens[i].name,
						       l->zones[i], CONFIG_MAX_ZONES);
	return true;
}

static void listing_finish(struct listing *l)
{
	free(l->seen);
	free(l->zones);
	free(l->n_zones);
}

/* targets(), with screen i's zones already looked up. */
static bool listing_targets(const struct listing *l, const cJSON *change, size_t i)
{
	return targets_zones(change, l->api->screens[i].name, l->zones[i], l->n_zones[i]);
}

static const struct alert_seen *listing_seen(const struct listing *l, int64_t id,
					     const char *screen)
{
	struct alert_seen key = {.alert = id};
	snprintf(key.screen, sizeof(key.screen), "%s", screen);
	const struct alert_seen *k = &key;
	const struct alert_seen **hit =
		l->n_seen ? bsearch(&k, l->seen, l->n_seen, sizeof(*l->seen), seen_cmp) : NULL;
	return hit ? *hit : NULL;
}

/* One alert of the listing; per_screen: each targeted screen and when it
 * confirmed (the organizer's view), else the counts only. */
static cJSON *listed_alert(const struct listing *l, const struct journal_entry *x, bool per_screen)
{
	const cJSON *change = x->fields;
	int64_t id = x->id;
	char t[21];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "id", (double)id);
	cJSON_AddStringToObject(o, "text", json_util_str(change, "text"));
	cJSON *z = cJSON_GetObjectItemCaseSensitive(change, "zones");
	cJSON *sc = cJSON_GetObjectItemCaseSensitive(change, "screens");
	cJSON_AddItemToObject(o, "zones", z ? cJSON_Duplicate(z, true) : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "screens_named",
			      sc ? cJSON_Duplicate(sc, true) : cJSON_CreateArray());
	journal_at(x, t);
	cJSON_AddStringToObject(o, "at", t);
	cJSON_AddStringToObject(o, "who", x->who);
	cJSON_AddBoolToObject(o, "withdrawn", x->undone);
	cJSON *shown = per_screen ? cJSON_AddObjectToObject(o, "screens") : NULL;
	size_t targeted = 0, showing = 0;
	for (size_t i = 0; i < l->api->n_screens; i++) {
		const char *name = l->api->screens[i].name;
		if (!listing_targets(l, change, i))
			continue;
		targeted++;
		const struct alert_seen *s = listing_seen(l, id, name);
		showing += s != NULL;
		if (shown && s) {
			civil_format_utc(s->at_ms / 1000, t);
			cJSON_AddStringToObject(shown, name, t);
		} else if (shown) {
			cJSON_AddNullToObject(shown, name);
		}
	}
	cJSON_AddNumberToObject(o, "targeted", (double)targeted);
	cJSON_AddNumberToObject(o, "confirmed", (double)showing);
	return o;
}

/* The page of at most limit alerts (oldest first) older than before (0:
 * the newest), "older" counting those before the page: of items, made
 * already (tokenless_items), or, items NULL, of the journal with each
 * targeted screen's confirmation (the organizer's view). */
static char *alerts_page(const struct api *api, const cJSON *items, int64_t before, size_t limit,
			 int64_t now_ms)
{
	bool per_screen = !items;
	struct listing l = {0};
	cJSON *root = cJSON_CreateObject();
	char *json = NULL;
	size_t n = 0, cap = per_screen ? api->journal.n : (size_t)cJSON_GetArraySize(items);
	const struct journal_entry **entries =
		per_screen ? malloc((cap ? cap : 1) * sizeof(*entries)) : NULL;
	const cJSON **made = per_screen ? NULL : malloc((cap ? cap : 1) * sizeof(*made));
	if ((per_screen ? !entries || !listing_init(&l, api) : !made) || !root)
		goto out;
	char t[21];
	civil_format_utc(now_ms / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	const struct journal_entry *x = NULL;
	while (per_screen && (x = journal_next(&api->journal, x, &change_alert, false)))
		if (!x->bad && (!before || x->id < before))
			entries[n++] = x;
	const cJSON *m;
	cJSON_ArrayForEach(m, items)
		if (!before || (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(m, "id")) < before)
			made[n++] = m;
	size_t from = n > limit ? n - limit : 0;
	cJSON *list = cJSON_AddArrayToObject(root, "alerts");
	for (size_t i = from; i < n; i++)
		cJSON_AddItemToArray(list, per_screen ? listed_alert(&l, entries[i], true)
						      : cJSON_Duplicate(made[i], true));
	cJSON_AddNumberToObject(root, "older", (double)from);
	json = cJSON_PrintUnformatted(root);
out:
	free(entries);
	free(made);
	listing_finish(&l);
	cJSON_Delete(root);
	return json;
}

/* Every alert with its counts, oldest first, made again only when an alert,
 * a confirmation or the screens changed: a tokenless read is then a copy,
 * not a walk over screens times alerts. NULL on OOM. */
static const cJSON *tokenless_items(struct api *api)
{
	if (api->alerts_items && api->alerts_items_gen == api->generation &&
	    api->alerts_items_seen == api->alerts_seen_n)
		return api->alerts_items;
	struct listing l;
	cJSON *items = cJSON_CreateArray();
	if (!listing_init(&l, api) || !items) {
		listing_finish(&l);
		cJSON_Delete(items);
		return NULL;
	}
	const struct journal_entry *x = NULL;
	while ((x = journal_next(&api->journal, x, &change_alert, false)))
		if (!x->bad)
			cJSON_AddItemToArray(items, listed_alert(&l, x, false));
	listing_finish(&l);
	cJSON_Delete(api->alerts_items);
	api->alerts_items = items;
	api->alerts_items_gen = api->generation;
	api->alerts_items_seen = api->alerts_seen_n;
	blob_unref(api->alerts_view);
	api->alerts_view = NULL;
	return items;
}

void api_get_alerts(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	bool organizer = api_token_of(api, req, TOKEN_ORGANIZER) != NULL;
	int64_t before = 0, limit = organizer ? API_ALERTS_PAGE_SCREENS : API_ALERTS_PAGE;
	int hb = api_query_number(req->query, "before", &before);
	int hl = api_query_number(req->query, "limit", &limit);
	if (hb < 0 || hl < 0 || limit < 1 || limit > API_ALERTS_PAGE) {
		api_fail(res, 400, "query: before=ID (an alert's id) and limit=N (1 to %d) only",
			 API_ALERTS_PAGE);
		return;
	}
	res->cache_control = "no-cache";
	if (organizer) { /* each screen's confirmation, for a page only */
		api_respond(res, 200, "application/json",
			    alerts_page(api, NULL, before, (size_t)limit, req->now_ms));
		return;
	}
	const cJSON *items = tokenless_items(api);
	if (items && (hb || hl)) {
		api_respond(res, 200, "application/json",
			    alerts_page(api, items, before, (size_t)limit, req->now_ms));
		return;
	}
	if (items && !api->alerts_view) { /* the first page: sent as it is to every poller */
		char *json = alerts_page(api, items, 0, API_ALERTS_PAGE, req->now_ms);
		api->alerts_view = json ? blob_wrap(json, strlen(json)) : NULL;
	}
	if (!items || !api->alerts_view) {
		api_fail(res, 500, "out of memory");
		return;
	}
	res->status = 200;
	res->content_type = "application/json";
	res->blob = blob_ref(api->alerts_view);
	api_etag(api->alerts_view->data, api->alerts_view->len, res->etag);
}

char *api_stream_event(struct api *api, const char *screen)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "screen", screen);
	api_alerts_add(api, screen, o);
	cJSON_AddNumberToObject(o, "schedule_version", (double)served_version(api));
	cJSON_AddStringToObject(o, "schedule_etag", served_etag(api));
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		return NULL;
	size_t n = strlen(json) + 32;
	char *event = malloc(n);
	if (event)
		snprintf(event, n, "event: state\ndata: %s\n\n", json);
	free(json);
	return event;
}

/* GET /v1/stream: the first event; the shell keeps the connection. */
void api_get_stream(struct api *api, const struct api_call *c, struct api_response *res)
{
	char *event = api_stream_event(api, c->who->name);
	api_respond(res, 200, "text/event-stream", event);
	res->cache_control = "no-store";
	res->stream = res->status == 200;
	snprintf(res->stream_screen, sizeof(res->stream_screen), "%s", c->who->name);
}

uint64_t api_stream_generation(const struct api *api)
{
	return api->generation;
}
