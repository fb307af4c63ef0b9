/* api_sources: people counters (contracts §7). POST /v1/ingest/NAME takes a
 * push source's payload; what MQTT and polls bring comes in from the shell
 * (source_links.c) through api_sources_events; both end in
 * api_samples_take_lines, as posted samples do. GET /v1/sources and
 * /metrics say which source is ok, silent or failing, and why. Faults are
 * logged once per kind and source, then summed up every ten minutes. */
#include "api_internal.h"

#include "civil_time.h"
#include "sensor_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	SUMMARY_MS = 10 * 60 * 1000, /* a source's refusals since the last one, summed up */
	MAX_EVENT_LINES = 50000,     /* samples stored in one transaction, at most */
};

static struct source_seen *seen_named(struct api *api, const char *name)
{
	for (size_t i = 0; i < api->n_sources; i++)
		if (strcmp(api->sources[i].config->name, name) == 0)
			return &api->sources[i];
	return NULL;
}

/* A source keeps what it said across a reload when it is still the same
 * device feeding the same target. */
static bool same_source(const struct sensor_source_config *a, const struct sensor_source_config *b)
{
	return strcmp(a->name, b->name) == 0 && a->format == b->format && a->room == b->room &&
	       strcmp(a->target, b->target) == 0 && strcmp(a->from_text, b->from_text) == 0;
}

bool api_sources_load(struct api *api, int64_t now_ms, struct feed_error *e)
{
	const struct server_config *c = api->config;
	struct source_seen *next = calloc(c->n_sources ? c->n_sources : 1, sizeof(*next));
	if (!next)
		return feed_error_set(e, "out of memory");
	const struct civil_zone *zone = c->timezone[0] ? civil_zone_find(c->timezone) : NULL;
	for (size_t i = 0; i < c->n_sources; i++) {
		struct source_seen *old = seen_named(api, c->sources[i].name);
		if (old && same_source(old->config, &c->sources[i])) {
			next[i] = *old;
			old->state = NULL; /* moved */
		} else {
			next[i].state = sensor_source_state_new(now_ms);
			next[i].summary_ms = now_ms;
		}
		next[i].config = &c->sources[i];
		next[i].zone = zone;
		if (!next[i].state) {
			for (size_t k = 0; k <= i; k++)
				sensor_source_state_free(next[k].state);
			free(next);
			return feed_error_set(e, "out of memory");
		}
	}
	api_sources_free(api);
	api->sources = next;
	api->n_sources = c->n_sources;
	return true;
}

void api_sources_free(struct api *api)
{
	for (size_t i = 0; i < api->n_sources; i++)
		sensor_source_state_free(api->sources[i].state);
	free(api->sources);
	api->sources = NULL;
	api->n_sources = 0;
}

/* The log's part of a refusal: the first of its kind said, the rest summed
 * up every ten minutes. */
static void note_refusal(struct api *api, struct source_seen *s, const struct sensor_take_info *in,
			 const char *why, int64_t now_ms)
{
	if (in->first_of_kind)
		api_logf(api, "WARN",
			 "source %s: payload refused: %s (said once; others like it "
			 "are counted in /v1/sources and /metrics)",
			 s->config->name, why);
	else
		s->refused_unsaid++;
	if (s->refused_unsaid && now_ms - s->summary_ms >= SUMMARY_MS) {
		api_logf(api, "WARN",
			 "source %s: %llu more payloads refused in the last %lld min "
			 "(latest: %s)",
			 s->config->name, (unsigned long long)s->refused_unsaid,
			 (long long)((now_ms - s->summary_ms) / 60000), why);
		s->refused_unsaid = 0;
		s->summary_ms = now_ms;
	}
}

/* One payload of source s into out (lines appended); false with e when
 * refused (logged and counted). */
static bool take_payload(struct api *api, struct source_seen *s, const char *bytes, size_t len,
			 const char *topic, int64_t now_ms, struct sensor_lines *out,
			 struct sensor_take_info *info, struct feed_error *e)
{
	struct sensor_read_opts o = {.zone = s->zone, .topic = topic};
	memset(info, 0, sizeof(*info));
	/* an empty MQTT message or body comes as NULL: it reads as nothing */
	if (sensor_source_take(s->config, s->state, bytes ? bytes : "", bytes ? len : 0, &o, now_ms,
			       out, info, e))
		return true;
	note_refusal(api, s, info, e->msg, now_ms);
	return false;
}

/* A source that fails or comes back is said at once, each time it changes. */
static void note_failure(struct api *api, struct source_seen *s, const char *why, int64_t now_ms)
{
	sensor_source_failed(s->state, now_ms, why);
	if (!s->failing) {
		api_logf(api, "WARN", "source %s: %s", s->config->name, why);
		s->failing = true;
	}
}

static void note_reached(struct api *api, struct source_seen *s, int64_t now_ms)
{
	sensor_source_reached(s->state, now_ms);
	if (s->failing)
		api_logf(api, "INFO", "source %s: reached again", s->config->name);
	s->failing = false;
}

static void note_broker(struct api *api, const struct api_source_event *ev)
{
	struct broker_seen *b = &api->broker;
	bool changed = strcmp(b->state, ev->what) != 0;
	if (changed) {
		snprintf(b->state, sizeof(b->state), "%s", ev->what);
		b->since_ms = ev->at_ms;
	}
	if (ev->why && ev->why[0])
		snprintf(b->last_error, sizeof(b->last_error), "%s", ev->why);
	if (strcmp(ev->what, "connected") == 0) {
		if (changed)
			api_logf(api, "INFO", "MQTT broker %s: connected, %s",
				 api->config->mqtt_broker,
				 b->said_failure ? "subscribed again" : "subscribed");
		b->said_failure = false;
		b->last_error[0] = '\0';
	} else if (strcmp(ev->what, "failing") == 0 && !b->said_failure) {
		api_logf(api, "ERROR", "MQTT broker %s: %s (retrying every few seconds; said once)",
			 api->config->mqtt_broker, ev->why ? ev->why : "unreachable");
		b->said_failure = true;
	}
	for (size_t i = 0; i < api->n_sources; i++)
		if (api->sources[i].config->from == SENSOR_FROM_MQTT) {
			if (strcmp(ev->what, "failing") == 0)
				sensor_source_failed(api->sources[i].state, ev->at_ms,
						     b->last_error[0]
							     ? b->last_error
							     : "the MQTT broker is unreachable");
			else if (strcmp(ev->what, "connected") == 0)
				sensor_source_reached(api->sources[i].state, ev->at_ms);
		}
}

/* Stores what a batch made, as posted samples are (one transaction). */
static void store_lines(struct api *api, struct sensor_lines *lines, const char *who,
			int64_t now_ms)
{
	if (!lines->n)
		return;
	struct api_response res = {0};
	api_samples_take_lines(api, lines->line, lines->n, 0, who, now_ms, &res);
	if (res.status != 200)
		api_logf(api, "ERROR", "sources: %zu samples not stored: %s", lines->n,
			 res.body ? res.body : "out of memory");
	api_response_finish(&res);
}

void api_sources_events(struct api *api, const struct api_source_event *v, size_t n, int64_t now_ms)
{
	struct sensor_lines lines = {0};
	api->now_seen_ms = now_ms;
	for (size_t i = 0; i < n; i++) {
		const struct api_source_event *ev = &v[i];
		if (ev->kind == API_BROKER_STATE) {
			note_broker(api, ev);
			continue;
		}
		struct source_seen *s = seen_named(api, ev->source);
		if (!s)
			continue; /* a source gone with a reload */
		struct feed_error e = {{0}};
		struct sensor_take_info info;
		if (ev->kind == API_SOURCE_FAILED)
			note_failure(api, s, ev->why, ev->at_ms);
		else if (ev->kind == API_SOURCE_REACHED)
			note_reached(api, s, ev->at_ms);
		else {
			if (lines.n >= MAX_EVENT_LINES) { /* stored, then the batch goes on */
				store_lines(api, &lines, "sources", now_ms);
				sensor_lines_free(&lines);
			}
			if (s->config->from == SENSOR_FROM_POLL)
				note_reached(api, s, ev->at_ms);
			take_payload(api, s, ev->bytes, ev->len, ev->topic, ev->at_ms, &lines,
				     &info, &e);
		}
	}
	store_lines(api, &lines, "sources", now_ms);
	sensor_lines_free(&lines);
}

/* ---- POST /v1/ingest/NAME ---------------------------------------------------------- */

bool api_ingest_path(const char *path, char name[CONFIG_NAME_MAX + 1])
{
	return api_path_part(path, "/v1/ingest/", "", name, CONFIG_NAME_MAX) && !strchr(name, '/');
}

void api_post_ingest(struct api *api, const struct api_call *c, struct api_response *res)
{
	struct source_seen *s = seen_named(api, c->name);
	if (!s || s->config->from != SENSOR_FROM_PUSH) {
		api_fail(res, 404, "no push source named %.64s (source NAME FORMAT push …)",
			 c->name);
		return;
	}
	if (strcmp(c->who->name, s->config->name) != 0) {
		api_fail(res, 403, "the token of sensor %.64s cannot push for source %.64s",
			 c->who->name, s->config->name);
		return;
	}
	struct sensor_lines lines = {0};
	struct sensor_take_info info;
	struct feed_error e = {{0}};
	if (!take_payload(api, s, c->req->body, c->req->body_len, NULL, c->req->now_ms, &lines,
			  &info, &e)) {
		api_fail(res, 400, "%s", e.msg);
		api->samples_refused++;
	} else {
		store_lines(api, &lines, s->config->name, c->req->now_ms);
		char buf[96];
		snprintf(buf, sizeof(buf), "{\"accepted\":%zu,\"duplicates\":%zu}", info.samples,
			 info.duplicates);
		api_respond(res, 200, "application/json", strdup(buf));
		snprintf(res->log, sizeof(res->log),
			 "source %s: %zu readings, %zu samples, %zu "
			 "already taken",
			 s->config->name, info.readings, info.samples, info.duplicates);
	}
	sensor_lines_free(&lines);
}

/* ---- GET /v1/sources ------------------------------------------------------------------ */

static void add_time(cJSON *o, const char *key, int64_t ms)
{
	if (ms == SENSOR_NO_TIME) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	char t[24];
	civil_format_utc(ms / 1000, t);
	cJSON_AddStringToObject(o, key, t);
}

static cJSON *source_json(const struct source_seen *s, int64_t now_ms)
{
	const struct sensor_source_config *c = s->config;
	struct sensor_status st;
	sensor_source_status(c, s->state, now_ms, &st);
	cJSON *o = cJSON_CreateObject();
	char target[SENSOR_TARGET_MAX + 8];
	snprintf(target, sizeof(target), "%s:%s", c->room ? "room" : "queue", c->target);
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "format", sensor_format_name(c->format));
	cJSON_AddStringToObject(o, "from", c->from_text);
	cJSON_AddStringToObject(o, "target", target);
	cJSON_AddStringToObject(o, "state", st.state);
	add_time(o, "since", st.since_ms);
	add_time(o, "last_reading", st.last_reading_ms);
	cJSON_AddNumberToObject(o, "readings_per_min", st.readings_per_min);
	cJSON_AddNumberToObject(o, "refused", (double)st.refused);
	cJSON_AddStringToObject(o, "last_error", st.last_error);
	cJSON_AddNumberToObject(o, "readings", (double)st.readings);
	cJSON_AddNumberToObject(o, "duplicates", (double)st.duplicates);
	cJSON *un = cJSON_AddArrayToObject(o, "unmapped");
	for (const char *p = st.unmapped; *p;) {
		size_t k = strcspn(p, ",");
		char one[SENSOR_COUNTER_MAX + 1];
		snprintf(one, sizeof(one), "%.*s", (int)(k < sizeof(one) - 1 ? k : sizeof(one) - 1),
			 p);
		cJSON_AddItemToArray(un, cJSON_CreateString(one));
		p += k;
		p += strspn(p, ", ");
	}
	return o;
}

void api_get_sources(struct api *api, const struct api_call *c, struct api_response *res)
{
	int64_t now = c->req->now_ms;
	cJSON *o = cJSON_CreateObject();
	add_time(o, "t", now);
	cJSON *list = cJSON_AddArrayToObject(o, "sources");
	for (size_t i = 0; i < api->n_sources; i++)
		cJSON_AddItemToArray(list, source_json(&api->sources[i], now));
	if (api->config->mqtt_broker[0]) {
		const struct broker_seen *b = &api->broker;
		cJSON *k = cJSON_AddObjectToObject(o, "broker");
		cJSON_AddStringToObject(k, "url", api->config->mqtt_broker);
		cJSON_AddStringToObject(k, "state", b->state[0] ? b->state : "connecting");
		add_time(k, "since", b->state[0] ? b->since_ms : SENSOR_NO_TIME);
		cJSON_AddStringToObject(k, "last_error", b->last_error);
	}
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
	res->cache_control = "no-store";
}

void api_sources_metrics(struct api *api, int64_t now_ms, struct api_buf *b)
{
	static const char *const states[] = {"ok", "silent", "failing"};
	api_buf_printf(b, "# TYPE venueboard_source_state gauge\n");
	struct sensor_status st[CONFIG_MAX_SOURCES];
	for (size_t i = 0; i < api->n_sources; i++) {
		sensor_source_status(api->sources[i].config, api->sources[i].state, now_ms, &st[i]);
		for (size_t k = 0; k < 3; k++) {
			api_buf_printf(b, "venueboard_source_state{source=\"");
			api_put_label(b, api->sources[i].config->name);
			api_buf_printf(b, "\",state=\"%s\"} %d\n", states[k],
				       strcmp(st[i].state, states[k]) == 0);
		}
	}
	static const char *const counters[] = {"readings", "refused", "duplicates"};
	for (size_t k = 0; k < 3; k++) {
		char name[64];
		snprintf(name, sizeof(name), "venueboard_source_%s_total", counters[k]);
		api_buf_printf(b, "# TYPE %s counter\n", name);
		for (size_t i = 0; i < api->n_sources; i++) {
			uint64_t v = k == 0   ? st[i].readings
				     : k == 1 ? st[i].refused
					      : st[i].duplicates;
			api_put_gauge(b, name, "source", api->sources[i].config->name, (double)v);
		}
	}
	api_buf_printf(b, "# TYPE venueboard_source_last_reading_age_seconds gauge\n");
	for (size_t i = 0; i < api->n_sources; i++)
		if (st[i].last_reading_ms != SENSOR_NO_TIME)
			api_put_gauge(b, "venueboard_source_last_reading_age_seconds", "source",
				      api->sources[i].config->name,
				      (double)(now_ms - st[i].last_reading_ms) / 1000.0);
	if (api->config->mqtt_broker[0])
		api_buf_printf(b,
			       "# TYPE venueboard_mqtt_connected gauge\n"
			       "venueboard_mqtt_connected %d\n",
			       strcmp(api->broker.state, "connected") == 0);
}
