/* api_alerts: the message that cannot wait ("evacuate by the east stairs")
 * — posted by an organizer for every screen, some zones or some screens,
 * pushed to them (GET /v1/stream, the shell keeps it open), shown until it
 * is withdrawn, and each screen's proof that it shows it (the alerts its
 * heartbeat says it shows, with when it first said so). An alert is a
 * change of kind "alert" (audited; withdrawing it is an undo). */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ALERTS_SHOWN_MAX = 64 }; /* alert ids one heartbeat may say it shows */

/* True when the alert's change targets screen: every screen when it names
 * no zone and no screen, else those of its zones and those it names. */
static bool targets(const struct api *api, const cJSON *change, const char *screen)
{
	const cJSON *zones = cJSON_GetObjectItemCaseSensitive(change, "zones");
	const cJSON *screens = cJSON_GetObjectItemCaseSensitive(change, "screens");
	if (cJSON_GetArraySize(zones) == 0 && cJSON_GetArraySize(screens) == 0)
		return true;
	const cJSON *v;
	cJSON_ArrayForEach(v, screens)
		if (strcmp(v->valuestring, screen) == 0)
			return true;
	const char *mine[CONFIG_MAX_ZONES];
	size_t n = server_config_zones_of(api->config, screen, mine, CONFIG_MAX_ZONES);
	cJSON_ArrayForEach(v, zones)
		for (size_t i = 0; i < n; i++)
			if (strcmp(v->valuestring, mine[i]) == 0)
				return true;
	return false;
}

bool api_target_matches(const struct api *api, const cJSON *change, const char *screen)
{
	return targets(api, change, screen);
}

static int64_t entry_id(const cJSON *x)
{
	return (int64_t)cJSON_GetObjectItemCaseSensitive(x, "id")->valuedouble;
}

static bool is_alert(const cJSON *x)
{
	const char *k = json_util_str(x, "kind");
	return k && strcmp(k, "alert") == 0;
}

cJSON *api_alerts_for(const struct api *api, const char *screen)
{
	cJSON *list = cJSON_CreateArray();
	const cJSON *x;
	cJSON_ArrayForEach(x, api->sched.cur.extras) { /* live: withdrawn ones are not here */
		const cJSON *change = cJSON_GetObjectItemCaseSensitive(x, "change");
		if (!is_alert(x) || !targets(api, change, screen))
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)entry_id(x));
		cJSON_AddStringToObject(o, "text", json_util_str(change, "text"));
		cJSON_AddStringToObject(o, "at", json_util_str(x, "at"));
		cJSON_AddItemToArray(list, o);
	}
	return list;
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
		const cJSON *x;
		bool live = false;
		cJSON_ArrayForEach(x, api->sched.cur.extras)
			live |= is_alert(x) && entry_id(x) == id &&
				targets(api, cJSON_GetObjectItemCaseSensitive(x, "change"), screen);
		if (!live || seen_find(api, id, screen))
			continue; /* a withdrawn alert still on screen for a moment: no proof */
		if (!store_alert_seen(api->store, id, screen, now_ms, e) ||
		    !seen_add(api, id, screen, now_ms))
			return false;
		int64_t posted;
		const char *at = NULL;
		cJSON_ArrayForEach(x, api->sched.audit)
			if (entry_id(x) == id)
				at = json_util_str(x, "at");
		if (at && civil_parse_instant_ms(at, strlen(at), &posted))
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
		if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 9007199254740992.0 ||
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
	api->alerts_seen_n = api->alerts_seen_cap = 0;
}

void api_post_alert(struct api *api, const struct api_request *req,
		    const struct config_token *who, struct api_response *res)
{
	cJSON *body = api_body_object(req, res);
	if (!body)
		return;
	api_change_add(api, req, "alert", body, who, res);
	cJSON_Delete(body);
	if (res->status != 201)
		return;
	/* {"id":N,"screens":how many it goes to} */
	cJSON *made = cJSON_Parse(res->body);
	int64_t id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(made, "change"));
	cJSON_Delete(made);
	size_t n = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, api->sched.cur.extras)
		if (entry_id(x) == id)
			for (size_t i = 0; i < api->n_screens; i++)
				n += targets(api, cJSON_GetObjectItemCaseSensitive(x, "change"),
					     api->screens[i].name);
	char buf[80];
	snprintf(buf, sizeof(buf), "{\"id\":%lld,\"screens\":%zu}", (long long)id, n);
	free(res->body);
	res->body = NULL;
	api_respond(res, 201, "application/json", strdup(buf));
}

void api_withdraw_alert(struct api *api, const struct api_request *req, int64_t id,
			const struct config_token *who, struct api_response *res)
{
	api_change_undo(api, req, id, "alert", who, res);
}

void api_get_alerts(struct api *api, const struct api_request *req, struct api_response *res)
{
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(req->now_ms / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *list = cJSON_AddArrayToObject(root, "alerts");
	const cJSON *x;
	cJSON_ArrayForEach(x, api->sched.audit) { /* oldest first; the desk shows newest first */
		if (!is_alert(x) || json_util_str(x, "bad"))
			continue;
		const cJSON *change = cJSON_GetObjectItemCaseSensitive(x, "change");
		int64_t id = entry_id(x);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)id);
		cJSON_AddStringToObject(o, "text", json_util_str(change, "text"));
		cJSON *z = cJSON_GetObjectItemCaseSensitive(change, "zones");
		cJSON *sc = cJSON_GetObjectItemCaseSensitive(change, "screens");
		cJSON_AddItemToObject(o, "zones", z ? cJSON_Duplicate(z, true) : cJSON_CreateArray());
		cJSON_AddItemToObject(o, "screens_named",
				      sc ? cJSON_Duplicate(sc, true) : cJSON_CreateArray());
		cJSON_AddStringToObject(o, "at", json_util_str(x, "at"));
		cJSON_AddStringToObject(o, "who", json_util_str(x, "who"));
		cJSON_AddBoolToObject(o, "withdrawn", json_util_true(x, "undone"));
		cJSON *shown = cJSON_AddObjectToObject(o, "screens");
		size_t targeted = 0, showing = 0;
		for (size_t i = 0; i < api->n_screens; i++) {
			const char *name = api->screens[i].name;
			if (!targets(api, change, name))
				continue;
			targeted++;
			const struct alert_seen *s = seen_find(api, id, name);
			if (s) {
				civil_format_utc(s->at_ms / 1000, t);
				cJSON_AddStringToObject(shown, name, t);
				showing++;
			} else {
				cJSON_AddNullToObject(shown, name);
			}
		}
		cJSON_AddNumberToObject(o, "targeted", (double)targeted);
		cJSON_AddNumberToObject(o, "confirmed", (double)showing);
		cJSON_AddItemToArray(list, o);
	}
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	res->cache_control = "no-cache";
}

char *api_stream_event(struct api *api, const char *screen)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "screen", screen);
	cJSON_AddItemToObject(o, "alerts", api_alerts_for(api, screen));
	cJSON_AddNumberToObject(o, "schedule_version", (double)api->sched.version);
	cJSON_AddStringToObject(o, "schedule_etag", api->sched.cur.etag);
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

uint64_t api_stream_generation(const struct api *api)
{
	return api->generation;
}
