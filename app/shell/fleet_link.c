/* fleet_link: the stream's bytes go through the SSE parser into the same
 * reader as the heartbeat's answers; while the stream is open it alone
 * says which alerts to show (an answer in flight may be older than it),
 * while it is cut the answers do. */
#include "fleet_link.h"

#include "fetcher.h"
#include "fleet_state.h"
#include "heartbeat.h"
#include "kiosk_cache.h"
#include "kiosk_config.h"
#include "sse.h"
#include "update_files.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INFO(l, ...) log_line((l)->log, LOG_INFO, "fleet", __VA_ARGS__)
#define DEBUG(l, ...) log_line((l)->log, LOG_DEBUG, "fleet", __VA_ARGS__)
#define WARN(l, ...) log_line((l)->log, LOG_WARN, "fleet", __VA_ARGS__)

static const char RECORD[] = "screen.json", TARGET[] = "update-target.json";

enum {
	STREAM_IDLE_MS = 45000,       /* the server comments every 15 s */
	STREAM_BACKOFF_MAX_MS = 30000,
	FALLBACK_BEAT_MS = 15000,     /* heartbeats while the stream is cut */
	QUIET_EVERY_MS = 60000,
};

struct fleet_link {
	const struct kiosk_config *cfg;
	enum log_level log;
	struct fetcher *fetcher;
	int stream; /* the fetcher's index, -1: none */
	bool stream_was_open;
	struct heartbeat *hb;
	bool hb_failing;
	struct sse sse;
	struct fleet_msg msg; /* scratch: a message being read */
	/* what the server said last */
	struct fleet_identity who;
	struct fleet_alert alerts[FLEET_MAX_ALERTS];
	size_t n_alerts;
	bool changed, kick;
	char etag[FLEET_ETAG_MAX + 1];
	/* the alerts on screen, and those the last heartbeat named */
	int64_t shown[FLEET_MAX_ALERTS], sent[FLEET_MAX_ALERTS];
	size_t n_shown, n_sent;
	int64_t beat_due_ms;
	bool showed_page;
	/* run-dir */
	bool files;
	char *target; /* update-target.json as last written, NULL: none */
	char status[UPDATE_STATUS_MAX + 1];
	int quiet; /* -1: not written yet */
	int64_t quiet_due_ms;
};

struct fleet_link *fleet_link_create(const struct kiosk_config *cfg, enum log_level log)
{
	struct fleet_link *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->cfg = cfg;
	l->log = log;
	l->stream = -1;
	l->quiet = -1;
	return l;
}

void fleet_link_destroy(struct fleet_link *l)
{
	if (!l)
		return;
	heartbeat_destroy(l->hb);
	sse_finish(&l->sse);
	free(l->target);
	free(l);
}

/* ---- what the server says ------------------------------------------------ */

static void save_record(struct fleet_link *l)
{
	char *json = fleet_state_json(&l->who, l->alerts, l->n_alerts);
	if (json && !kiosk_cache_save(l->cfg->cache_dir, RECORD, json, strlen(json)))
		WARN(l, "%s/%s: cannot save: %s; the screen's name and alerts will not survive a "
			"restart",
		     l->cfg->cache_dir, RECORD, strerror(errno));
	free(json);
}

static bool listed(const struct fleet_alert *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id)
			return true;
	return false;
}

/* True when the alerts changed. */
static bool take_alerts(struct fleet_link *l, const struct fleet_msg *m)
{
	if (fleet_alerts_same(l->alerts, l->n_alerts, m->alerts, m->n_alerts))
		return false;
	for (size_t i = 0; i < m->n_alerts; i++)
		if (!listed(l->alerts, l->n_alerts, m->alerts[i].id))
			INFO(l, "alert %lld on screen: '%.80s'", (long long)m->alerts[i].id,
			     m->alerts[i].text);
	for (size_t i = 0; i < l->n_alerts; i++)
		if (!listed(m->alerts, m->n_alerts, l->alerts[i].id))
			INFO(l, "alert %lld withdrawn", (long long)l->alerts[i].id);
	if (m->dropped)
		WARN(l, "%zu older alerts left out: a screen shows the %d newest", m->dropped,
		     FLEET_MAX_ALERTS);
	memcpy(l->alerts, m->alerts, m->n_alerts * sizeof(*l->alerts));
	l->n_alerts = m->n_alerts;
	return true;
}

static void take_update(struct fleet_link *l, const struct fleet_msg *m)
{
	if (!l->files || !m->has_update)
		return;
	if (!m->update) {
		if (l->target || kiosk_cache_has(l->cfg->run_dir, TARGET)) {
			char path[KIOSK_MAX_VALUE + 32];
			snprintf(path, sizeof(path), "%s/%s", l->cfg->run_dir, TARGET);
			if (unlink(path) != 0 && errno != ENOENT)
				WARN(l, "%s: cannot remove: %s", path, strerror(errno));
			else
				INFO(l, "no update offered: %s removed", path);
		}
		free(l->target);
		l->target = NULL;
		return;
	}
	char *json = update_files_target(&m->up, l->cfg->heartbeat_url);
	if (!json) {
		WARN(l, "update %s: its URL '%.80s' cannot be made absolute", m->up.version, m->up.url);
		return;
	}
	if (l->target && strcmp(l->target, json) == 0 && kiosk_cache_has(l->cfg->run_dir, TARGET)) {
		free(json);
		return;
	}
	if (!kiosk_cache_save(l->cfg->run_dir, TARGET, json, strlen(json))) {
		WARN(l, "%s/%s: cannot write: %s", l->cfg->run_dir, TARGET, strerror(errno));
		free(json);
		return;
	}
	INFO(l, "update offered: %s (%lld MB): %s/%s written", m->up.version,
	     (long long)(m->up.size >> 20), l->cfg->run_dir, TARGET);
	free(l->target);
	l->target = json;
}

/* One message, from the stream (from_stream) or a heartbeat's answer. */
static void take_msg(struct fleet_link *l, const struct fleet_msg *m, bool from_stream)
{
	bool record = false;
	struct fleet_identity who = l->who; /* an event names the screen, not its zones */
	if (m->has_identity)
		memcpy(who.screen, m->who.screen, sizeof(who.screen));
	if (m->has_zones) {
		memcpy(who.zones, m->who.zones, sizeof(who.zones));
		who.n_zones = m->who.n_zones;
	}
	if (!fleet_identity_same(&l->who, &who)) {
		char zones[256] = "";
		for (size_t i = 0, o = 0; i < who.n_zones && o < sizeof(zones); i++)
			o += (size_t)snprintf(zones + o, sizeof(zones) - o, "%s%s", i ? ", " : "",
					      who.zones[i]);
		INFO(l, "this screen is %s, zones: %s", who.screen, zones[0] ? zones : "none");
		l->who = who;
		l->changed = record = true;
	}
	bool stream_open = l->stream >= 0 && fetcher_stream_open(l->fetcher, l->stream);
	if (m->has_alerts && (from_stream || !stream_open) && take_alerts(l, m))
		l->changed = record = true;
	if (m->has_schedule && strcmp(m->schedule_etag, l->etag) != 0) {
		if (l->etag[0]) /* the schedule's own INFO line says what came */
			DEBUG(l, "the schedule's ETag changed on the server (version %lld): fetching "
				 "it now",
			      (long long)m->schedule_version);
		snprintf(l->etag, sizeof(l->etag), "%s", m->schedule_etag);
		l->kick = true;
	}
	take_update(l, m);
	if (record)
		save_record(l);
}

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct fleet_link *l = ctx;
	if (strcmp(ev->type, "state") != 0)
		return;
	struct feed_error e = {{0}};
	if (!fleet_msg_read(ev->data, ev->data_len, &l->msg, &e)) {
		WARN(l, "%s: an event that does not read: %s; keeping what the screen shows",
		     l->cfg->stream_url, e.msg);
		return;
	}
	take_msg(l, &l->msg, true);
}

static void on_bytes(void *ctx, const char *p, size_t len)
{
	struct fleet_link *l = ctx;
	if (!p) {
		sse_reset(&l->sse); /* a new connection */
		return;
	}
	size_t refused = l->sse.refused;
	if (!sse_feed(&l->sse, p, len) || l->sse.refused > refused)
		WARN(l, "%s: an event over %d KiB (or out of memory) dropped", l->cfg->stream_url,
		     SSE_MAX_EVENT / 1024);
}

/* ---- starting ------------------------------------------------------------- */

static void load_record(struct fleet_link *l)
{
	char *text = NULL;
	size_t len = 0;
	int64_t saved;
	struct feed_error e = {{0}};
	if (!kiosk_cache_load(l->cfg->cache_dir, RECORD, FLEET_MAX_BODY, &text, &len, &saved))
		return;
	if (!fleet_msg_read(text, len, &l->msg, &e)) {
		WARN(l, "%s/%s: %s; starting as a screen the server has not named", l->cfg->cache_dir,
		     RECORD, e.msg);
	} else {
		l->who = l->msg.who;
		memcpy(l->alerts, l->msg.alerts, l->msg.n_alerts * sizeof(*l->alerts));
		l->n_alerts = l->msg.n_alerts;
		INFO(l, "kept from before: this screen is %s, %zu zones, %zu alerts",
		     l->who.screen[0] ? l->who.screen : "(not named yet)", l->who.n_zones, l->n_alerts);
		l->changed = true;
	}
	free(text);
}

bool fleet_link_start(struct fleet_link *l, struct fetcher *f)
{
	const struct kiosk_config *c = l->cfg;
	l->fetcher = f;
	sse_init(&l->sse, on_event, l);
	load_record(l);
	if (!c->heartbeat_url[0])
		return true;
	l->hb = heartbeat_create(c->heartbeat_url, c->heartbeat_token,
				 c->ca_file[0] ? c->ca_file : NULL);
	if (!l->hb) {
		WARN(l, "cannot start heartbeats to %s", c->heartbeat_url);
		return false;
	}
	if (c->stream_url[0]) {
		struct fetcher_stream s = {c->stream_url, c->heartbeat_token, STREAM_IDLE_MS,
					   STREAM_BACKOFF_MAX_MS, on_bytes, l};
		l->stream = fetcher_add_stream(f, &s);
		if (l->stream < 0)
			WARN(l, "cannot open the stream %s: alerts come with heartbeats", c->stream_url);
	}
	l->files = kiosk_cache_prepare(c->run_dir);
	if (!l->files)
		WARN(l, "%s: %s; no files for the update agent", c->run_dir, strerror(errno));
	return true;
}

/* ---- each loop ------------------------------------------------------------ */

static void take_stream_end(struct fleet_link *l)
{
	struct fetch_result r;
	if (l->stream < 0 || !fetcher_take(l->fetcher, l->stream, &r))
		return;
	if (l->stream_was_open || r.failures <= 1)
		INFO(l, "%s cut: %s; heartbeats every %d s bring the alerts meanwhile, reopening "
			"in %lld s",
		     l->cfg->stream_url, r.error,
		     (l->cfg->heartbeat_s * 1000 < FALLBACK_BEAT_MS ? l->cfg->heartbeat_s * 1000
								    : FALLBACK_BEAT_MS) / 1000,
		     (long long)((r.retry_ms + 999) / 1000));
	else
		DEBUG(l, "%s still closed (%d failures): %s", l->cfg->stream_url, r.failures, r.error);
	l->stream_was_open = false;
	free(r.body);
}

static void take_answer(struct fleet_link *l)
{
	long status;
	char err[256];
	if (!l->hb || !heartbeat_poll(l->hb, &status, err, sizeof(err)))
		return;
	if (err[0] && !l->hb_failing)
		WARN(l, "%s: %s; the desk will see this screen as stale", l->cfg->heartbeat_url, err);
	else if (!err[0] && l->hb_failing)
		INFO(l, "heartbeats reach %s again", l->cfg->heartbeat_url);
	else
		DEBUG(l, "heartbeat sent (%ld)", status);
	l->hb_failing = err[0] != '\0';
	size_t len;
	const char *body = heartbeat_answer(l->hb, &len);
	struct feed_error e = {{0}};
	if (!len)
		return;
	if (!fleet_msg_read(body, len, &l->msg, &e))
		WARN(l, "%s: the answer does not read: %s", l->cfg->heartbeat_url, e.msg);
	else
		take_msg(l, &l->msg, false);
}

bool fleet_link_take(struct fleet_link *l, int64_t mono_ms, bool *fetch_schedule)
{
	(void)mono_ms;
	take_stream_end(l);
	if (l->stream >= 0 && !l->stream_was_open && fetcher_stream_open(l->fetcher, l->stream)) {
		INFO(l, "%s open: alerts arrive as they are posted", l->cfg->stream_url);
		l->stream_was_open = true;
	}
	take_answer(l);
	*fetch_schedule = l->kick;
	l->kick = false;
	bool changed = l->changed;
	l->changed = false;
	return changed;
}

const struct fleet_alert *fleet_link_alerts(const struct fleet_link *l, size_t *n)
{
	*n = l->n_alerts;
	return l->alerts;
}

const struct fleet_identity *fleet_link_identity(const struct fleet_link *l)
{
	return &l->who;
}

void fleet_link_shown(struct fleet_link *l, size_t n)
{
	l->n_shown = n < l->n_alerts ? n : l->n_alerts;
	for (size_t i = 0; i < l->n_shown; i++)
		l->shown[i] = l->alerts[i].id;
}

static bool shown_unsaid(const struct fleet_link *l)
{
	return l->n_shown != l->n_sent ||
	       memcmp(l->shown, l->sent, l->n_shown * sizeof(*l->shown)) != 0;
}

bool fleet_link_beat_due(const struct fleet_link *l, int64_t mono_ms, bool page)
{
	if (!l->hb || heartbeat_busy(l->hb))
		return false;
	return mono_ms >= l->beat_due_ms || page != l->showed_page || shown_unsaid(l);
}

bool fleet_link_busy(const struct fleet_link *l)
{
	return l->hb && heartbeat_busy(l->hb);
}

/* run-dir's image and update-status into the heartbeat. */
static void agent_fields(struct fleet_link *l, cJSON *o)
{
	char *text = NULL;
	size_t len = 0;
	int64_t t;
	char version[UPDATE_IMAGE_MAX + 1], slot[UPDATE_SLOT_MAX + 1], status[UPDATE_STATUS_MAX + 1];
	if (kiosk_cache_load(l->cfg->run_dir, "image", UPDATE_FILE_MAX, &text, &len, &t) &&
	    update_files_image(text, len, version, slot)) {
		cJSON_AddStringToObject(o, "image", version);
		cJSON_AddStringToObject(o, "slot", slot);
	}
	free(text);
	text = NULL;
	if (kiosk_cache_load(l->cfg->run_dir, "update-status", UPDATE_FILE_MAX, &text, &len, &t) &&
	    update_files_status(text, len, status)) {
		cJSON_AddStringToObject(o, "update", status);
		if (strcmp(status, l->status) != 0)
			INFO(l, "the updater says: %s", status);
		memcpy(l->status, status, sizeof(status));
	}
	free(text);
}

void fleet_link_beat(struct fleet_link *l, const struct fleet_report *r, bool page,
		     int64_t mono_ms)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", r->version);
	cJSON_AddNumberToObject(o, "uptime_s", (double)r->uptime_s);
	if (r->feed_age_s >= 0)
		cJSON_AddNumberToObject(o, "feed_age_s", (double)r->feed_age_s);
	else
		cJSON_AddNullToObject(o, "feed_age_s");
	cJSON_AddBoolToObject(o, "offline", r->offline);
	cJSON_AddStringToObject(o, "showing", r->showing);
	if (r->schedule_version >= 0)
		cJSON_AddNumberToObject(o, "schedule_version", (double)r->schedule_version);
	else
		cJSON_AddNullToObject(o, "schedule_version");
	if (r->feed_error && r->feed_error[0])
		cJSON_AddStringToObject(o, "feed_error", r->feed_error);
	cJSON *ids = cJSON_AddArrayToObject(o, "alerts");
	for (size_t i = 0; i < l->n_shown; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)l->shown[i]));
	if (l->files)
		agent_fields(l, o);
	if (r->thumbnail)
		cJSON_AddStringToObject(o, "thumbnail", r->thumbnail);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (json && heartbeat_send(l->hb, json)) {
		bool cut = l->stream >= 0 && !fetcher_stream_open(l->fetcher, l->stream);
		int64_t period = l->cfg->heartbeat_s * 1000LL;
		l->beat_due_ms = mono_ms + (cut && period > FALLBACK_BEAT_MS ? FALLBACK_BEAT_MS : period);
		l->showed_page = page;
		memcpy(l->sent, l->shown, l->n_shown * sizeof(*l->sent));
		l->n_sent = l->n_shown;
	}
	free(json);
}

void fleet_link_quiet(struct fleet_link *l, const struct schedule *s,
		      const struct civil_zone *zone, int64_t board_now_ms, bool clock_trusted,
		      int64_t mono_ms)
{
	if (!l->files)
		return;
	int quiet = clock_trusted && update_files_quiet(l->cfg, s, zone, board_now_ms);
	if (quiet == l->quiet && mono_ms < l->quiet_due_ms)
		return;
	if (!kiosk_cache_save(l->cfg->run_dir, "quiet", quiet ? "yes\n" : "no\n", quiet ? 4 : 3)) {
		WARN(l, "%s/quiet: cannot write: %s", l->cfg->run_dir, strerror(errno));
		l->files = false;
		return;
	}
	if (quiet != l->quiet)
		DEBUG(l, "quiet: %s", quiet ? "yes" : "no");
	l->quiet = quiet;
	l->quiet_due_ms = mono_ms + QUIET_EVERY_MS;
}
