/* api_screens: the kiosks' heartbeats — each screen posts its state with its
 * own token; the organizer desk reads the list and the thumbnails. */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "store.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields a heartbeat may carry, in the order GET /v1/screens shows them.
 * Unknown fields are ignored; a known one of the wrong type refuses it all. */
enum hb_kind { HB_STRING, HB_COUNT, HB_NUMBER_OR_NULL, HB_BOOL };
static const struct hb_field {
	const char *key;
	enum hb_kind kind;
	size_t max;       /* bytes, for strings */
	const char *need; /* what a refusal says is needed */
} hb_fields[] = {
	{"version", HB_STRING, 32, "a string of at most 32 bytes (UTF-8)"},
	{"uptime_s", HB_COUNT, 0, "a number of seconds, 0 or more"},
	{"feed_age_s", HB_NUMBER_OR_NULL, 0, "a number of seconds, or null without a schedule"},
	{"offline", HB_BOOL, 0, "true or false"},
	{"showing", HB_STRING, 120, "a string of at most 120 bytes (UTF-8)"},
	{"schedule_version", HB_NUMBER_OR_NULL, 0, "a number, or null"},
	{"slot", HB_STRING, 8, "a string of at most 8 bytes (the slot it runs from: a or b)"},
	{"update", HB_STRING, 160, "a string of at most 160 bytes (what its updater is doing)"},
	{"image", HB_STRING, 64, "a string of at most 64 bytes (the version of its system image)"},
	{"feed_error", HB_STRING, 160, "a string of at most 160 bytes (why its feed fails)"},
};
enum { N_HB_FIELDS = sizeof(hb_fields) / sizeof(*hb_fields) };

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

/* A heartbeat's body, checked: the known fields (a new object, in
 * hb_fields' order) and the thumbnail, decoded. */
struct heartbeat {
	cJSON *fields;
	cJSON *alerts;      /* the ids of the alerts it shows, NULL when it said nothing */
	unsigned char *png; /* NULL when the heartbeat had none */
	size_t png_len;
};

static void heartbeat_finish(struct heartbeat *hb)
{
	cJSON_Delete(hb->fields);
	cJSON_Delete(hb->alerts);
	free(hb->png);
}

/* Copies field f's value v into out when it is of f's kind; false (why
 * set when more than f's need says) when it is not. */
static bool hb_field_take(const struct hb_field *f, const cJSON *v, cJSON *out, const char **why)
{
	switch (f->kind) {
	case HB_STRING:
		if (!cJSON_IsString(v) || strlen(v->valuestring) > f->max ||
		    !text_utf8_valid(v->valuestring, strlen(v->valuestring)))
			return false;
		if (!text_is_one_line(v->valuestring, strlen(v->valuestring))) {
			*why = "control characters (tabs, newlines) are not allowed";
			return false;
		}
		cJSON_AddStringToObject(out, f->key, v->valuestring);
		return true;
	case HB_COUNT:
	case HB_NUMBER_OR_NULL:
		if (f->kind == HB_NUMBER_OR_NULL && cJSON_IsNull(v)) {
			cJSON_AddNullToObject(out, f->key);
			return true;
		}
		if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
		    (f->kind == HB_COUNT && v->valuedouble < 0))
			return false;
		cJSON_AddNumberToObject(out, f->key, v->valuedouble);
		return true;
	case HB_BOOL:
		if (!cJSON_IsBool(v))
			return false;
		cJSON_AddBoolToObject(out, f->key, cJSON_IsTrue(v));
		return true;
	}
	return false;
}

/* The known fields of doc into hb->fields: the first one that is not of
 * its kind, or NULL. */
static const struct hb_field *hb_fields_take(const cJSON *doc, struct heartbeat *hb,
					     const char **why)
{
	for (size_t i = 0; hb->fields && i < N_HB_FIELDS; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, hb_fields[i].key);
		if (v && !hb_field_take(&hb_fields[i], v, hb->fields, why))
			return &hb_fields[i];
	}
	return NULL;
}

/* The thumbnail (base64 PNG) into hb->png: why it cannot be, or NULL. */
static const char *hb_thumbnail_take(const cJSON *thumb, struct heartbeat *hb)
{
	const char *why = NULL;
	if (!cJSON_IsString(thumb))
		return "a string is needed: a PNG image in base64";
	if (!(hb->png = malloc(API_MAX_THUMBNAIL)))
		return "out of memory";
	if (!text_base64_decode(thumb->valuestring, strlen(thumb->valuestring), hb->png,
				API_MAX_THUMBNAIL, &hb->png_len, &why))
		return strstr(why, "limit") ? "larger than 96 KiB once decoded" : why;
	if (hb->png_len < sizeof(png_signature) ||
	    memcmp(hb->png, png_signature, sizeof(png_signature)) != 0)
		return "not a PNG image (no PNG signature at its start)";
	return NULL;
}

/* Reads a heartbeat body into hb; on a refusal fills res (400 naming the
 * field) and returns false, hb holding nothing. */
static bool heartbeat_read(const char *body, size_t len, struct heartbeat *hb,
			   struct api_response *res)
{
	memset(hb, 0, sizeof(*hb));
	if (json_util_has_nul(body, len)) {
		api_fail(res, 400, "a string in the heartbeat holds a NUL character (\\u0000)");
		return false;
	}
	cJSON *doc = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		api_fail(res, 400, "the body must be a JSON object (the heartbeat's fields)");
		return false;
	}
	hb->fields = cJSON_CreateObject();
	const char *why = NULL, *alerts_why = NULL, *thumb_why = NULL;
	const struct hb_field *bad = hb_fields_take(doc, hb, &why);
	const cJSON *thumb = cJSON_GetObjectItemCaseSensitive(doc, "thumbnail");
	if (!bad)
		api_alerts_read_heartbeat(doc, &hb->alerts, &alerts_why);
	if (!bad && thumb)
		thumb_why = hb_thumbnail_take(thumb, hb);
	cJSON_Delete(doc);
	if (bad)
		api_fail(res, 400, "%s: %s", bad->key, why ? why : bad->need);
	else if (alerts_why)
		api_fail(res, 400, "%s", alerts_why);
	else if (thumb_why)
		api_fail(res, 400, "thumbnail: %s", thumb_why);
	else if (!hb->fields)
		api_fail(res, 500, "out of memory");
	else
		return true;
	heartbeat_finish(hb);
	memset(hb, 0, sizeof(*hb));
	return false;
}

/* The longest prefix of s, at most max bytes, that ends on a character. */
static int utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static struct screen_seen *screen_find(struct api *api, const char *name)
{
	for (size_t i = 0; i < api->n_screens; i++)
		if (strcmp(api->screens[i].name, name) == 0)
			return &api->screens[i];
	return NULL;
}

/* One INFO line: the screen, its version, what it shows, its feed's age. */
static void heartbeat_log(const char *name, const cJSON *fields, struct api_response *res)
{
	const cJSON *age = cJSON_GetObjectItemCaseSensitive(fields, "feed_age_s");
	char age_text[48] = "feed age ?";
	if (cJSON_IsNull(age))
		snprintf(age_text, sizeof(age_text), "no schedule");
	else if (cJSON_IsNumber(age))
		snprintf(age_text, sizeof(age_text), "feed age %.0f s", age->valuedouble);
	const char *v = json_util_str(fields, "version");
	const char *sh = json_util_str(fields, "showing");
	if (!v)
		v = "?";
	if (!sh)
		sh = "?";
	bool offline = json_util_true(fields, "offline");
	snprintf(res->log, sizeof(res->log), "heartbeat from %s: %s, %.*s, %s%s", name, v,
		 utf8_prefix(sh, 60), sh, age_text, offline ? ", offline" : "");
}

/* What a screen learns from its heartbeat's answer: its name and zones (for
 * targeted notices), the alerts it must show, the version it should run. */
static void heartbeat_answer(struct api *api, const char *name, int64_t now_ms,
			     struct api_response *res)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "screen", name);
	cJSON *zones = cJSON_AddArrayToObject(o, "zones");
	const char *mine[CONFIG_MAX_ZONES];
	size_t n = server_config_zones_of(api->config, name, mine, CONFIG_MAX_ZONES);
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(zones, cJSON_CreateString(mine[i]));
	api_alerts_add(api, name, o);
	api_rollouts_answer(api, name, now_ms, o);
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
	res->cache_control = "no-store";
}

void api_post_heartbeat(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct config_token *who = c->who;
	struct heartbeat hb;
	if (!heartbeat_read(req->body, req->body_len, &hb, res))
		return;
	struct screen_seen *seen = screen_find(api, who->name);
	char *fields = cJSON_PrintUnformatted(hb.fields);
	struct feed_error e = {{0}};
	if (!seen || !fields) {
		api_fail(res, 500, "out of memory");
	} else if (!store_put_screen(api->store, who->name, req->now_ms, fields, hb.png, hb.png_len,
				     &e)) {
		api_write_result(api, false, e.msg, req->now_ms);
		api_fail(res, 500, "the heartbeat was not stored: %s", e.msg);
	} else {
		api_write_result(api, true, NULL, req->now_ms);
		free(seen->fields);
		seen->fields = fields;
		fields = NULL;
		seen->last_seen_ms = req->now_ms;
		seen->has_thumbnail = hb.png != NULL;
		heartbeat_log(who->name, hb.fields, res);
		if (hb.alerts && !api_alerts_confirm(api, who->name, hb.alerts, req->now_ms, &e))
			api_logf(api, "WARN", "the alerts %s shows were not recorded: %s",
				 who->name, e.msg);
		api_rollouts_heartbeat(api, who->name, hb.fields, req->now_ms);
		heartbeat_answer(api, who->name, req->now_ms, res);
	}
	free(fields);
	heartbeat_finish(&hb);
}

/* "stale" (not heard from: the likely dead screen) before "offline" (it
 * says its feed is unreachable), before "failing" (the feed answers with
 * something that is not a schedule), else "ok". */
static const char *screen_state(const struct screen_seen *s, const cJSON *fields, int64_t now_ms)
{
	if (now_ms - s->last_seen_ms > API_SCREEN_STALE_S * 1000LL)
		return "stale";
	if (json_util_true(fields, "offline"))
		return "offline";
	const char *feed_error = json_util_str(fields, "feed_error");
	if (feed_error && *feed_error) /* it answers, but not with a schedule that reads */
		return "failing";
	return "ok";
}

size_t api_screens_seen(const struct api *api)
{
	size_t n = 0;
	for (size_t i = 0; i < api->n_screens; i++)
		n += api->screens[i].fields != NULL;
	return n;
}

void api_get_screens(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(req->now_ms / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *list = cJSON_AddArrayToObject(root, "screens");
	for (size_t i = 0; i < api->n_screens; i++) { /* sorted by name */
		const struct screen_seen *s = &api->screens[i];
		cJSON *fields = s->fields ? cJSON_Parse(s->fields) : NULL;
		if (!fields)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "screen", s->name);
		civil_format_utc(s->last_seen_ms / 1000, t);
		cJSON_AddStringToObject(o, "last_seen", t);
		int64_t age_ms = req->now_ms - s->last_seen_ms;
		cJSON_AddNumberToObject(o, "age_s", (double)(age_ms > 0 ? age_ms / 1000 : 0));
		for (size_t k = 0; k < N_HB_FIELDS; k++) {
			const char *key = hb_fields[k].key;
			cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(fields, key);
			cJSON_AddItemToObject(o, key, v ? v : cJSON_CreateNull());
		}
		if (s->has_thumbnail) {
			char path[CONFIG_NAME_MAX + 40];
			snprintf(path, sizeof(path), "/v1/screens/%s/thumbnail.png", s->name);
			cJSON_AddStringToObject(o, "thumbnail", path);
		} else {
			cJSON_AddNullToObject(o, "thumbnail");
		}
		cJSON_AddStringToObject(o, "state", screen_state(s, o, req->now_ms));
		cJSON_AddItemToArray(list, o);
		cJSON_Delete(fields);
	}
	char *body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!body) {
		api_fail(res, 500, "out of memory");
		return;
	}
	api_respond(res, 200, "application/json", body);
	res->cache_control = "no-cache";
}

/* The NAME of /v1/screens/NAME/thumbnail.png into name; false when path
 * is not of that shape. */
bool api_thumbnail_path(const char *path, char name[CONFIG_NAME_MAX + 1])
{
	return api_path_part(path, "/v1/screens/", "/thumbnail.png", name, CONFIG_NAME_MAX) &&
	       !strchr(name, '/');
}

void api_get_thumbnail(struct api *api, const struct api_call *c, struct api_response *res)
{
	const char *name = c->name;
	if (!server_config_screen(api->config, name)) {
		api_fail(res, 404, "no screen named '%.64s' in the configuration", name);
		return;
	}
	unsigned char *png = NULL;
	size_t len = 0;
	struct feed_error e = {{0}};
	if (!store_screen_thumbnail(api->store, name, &png, &len, &e)) {
		api_fail(res, 500, "the thumbnail could not be read: %s", e.msg);
		return;
	}
	if (!png) {
		api_fail(res, 404, "screen %s has sent no thumbnail with its latest heartbeat",
			 name);
		return;
	}
	res->status = 200; /* not respond(): a PNG is no C string */
	res->content_type = "image/png";
	res->body = (char *)png;
	res->body_len = len;
	api_etag((const char *)png, len, res->etag);
	res->cache_control = "no-cache";
}

/* Each configured screen, by name, with what the store holds of it. */
struct screens_load {
	struct api *api;
	bool oom;
};

static void load_screen(void *vctx, const struct stored_screen *st)
{
	struct screens_load *ctx = vctx;
	struct screen_seen *s = screen_find(ctx->api, st->name);
	if (!s) /* no longer in the configuration: kept, not shown */
		return;
	free(s->fields);
	s->fields = strdup(st->fields);
	ctx->oom |= s->fields == NULL;
	s->last_seen_ms = st->last_seen_ms;
	s->has_thumbnail = st->has_thumbnail;
}

static int screen_cmp(const void *va, const void *vb)
{
	const struct screen_seen *a = va, *b = vb;
	return strcmp(a->name, b->name);
}

bool api_screens_load(struct api *api, struct feed_error *e)
{
	size_t n = 0;
	for (size_t i = 0; i < api->config->n_tokens; i++)
		n += api->config->tokens[i].role == TOKEN_SCREEN;
	api->screens = calloc(n ? n : 1, sizeof(*api->screens));
	if (!api->screens)
		return feed_error_set(e, "out of memory");
	for (size_t i = 0; i < api->config->n_tokens; i++)
		if (api->config->tokens[i].role == TOKEN_SCREEN)
			api->screens[api->n_screens++].name = api->config->tokens[i].name;
	qsort(api->screens, api->n_screens, sizeof(*api->screens), screen_cmp);
	struct screens_load ctx = {.api = api};
	if (!store_each_screen(api->store, load_screen, &ctx, e))
		return false;
	return ctx.oom ? feed_error_set(e, "out of memory") : true;
}

void api_screens_free(struct api *api)
{
	for (size_t i = 0; api->screens && i < api->n_screens; i++)
		free(api->screens[i].fields);
	free(api->screens);
	api->screens = NULL;
	api->n_screens = 0;
}
