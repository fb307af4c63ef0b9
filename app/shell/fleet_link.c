/* fleet_link: the stream's bytes go through the SSE parser into the same
 * reader as the heartbeat's answers. An alert in any of them is shown;
 * while the stream is live (a state event read on this connection) it
 * alone withdraws alerts (an answer in flight may be older than it), while
 * it is not the answers do. stream_guard says when the stream is broken;
 * every repeated fault is said once, then summed up (feed_health). */
#include "fleet_link.h"

#include "coalesce.h"
#include "feed_health.h"
#include "feed_log.h"
#include "fetcher.h"
#include "fleet_state.h"
#include "heartbeat.h"
#include "kiosk_cache.h"
#include "kiosk_config.h"
#include "log_budget.h"
#include "sse.h"
#include "stream_guard.h"
#include "update_files.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define INFO(l, ...)  log_line((l)->log, LOG_INFO, "fleet", __VA_ARGS__)
#define DEBUG(l, ...) log_line((l)->log, LOG_DEBUG, "fleet", __VA_ARGS__)
#define WARN(l, ...)  log_line((l)->log, LOG_WARN, "fleet", __VA_ARGS__)

static const char RECORD[] = "screen.json", TARGET[] = "update-target.json";

enum {
	/* the stream_guard cuts a stream without whole events sooner: this is
	 * the fetcher's own cut of one that sends nothing at all */
	STREAM_IDLE_MS = STREAM_GUARD_IDLE_MS + 10000,
	STREAM_BACKOFF_MAX_MS = 30000,
	FALLBACK_BEAT_MS = 15000, /* heartbeats while the stream is cut */
	QUIET_EVERY_MS = 60000,
	/* what the stream asks for, at most this often (a server naming a new
	 * offer or record in every event must not make the kiosk write a file
	 * per event) */
	TARGET_EVERY_MS = 30000,
	RECORD_EVERY_MS = 5000,
	GONE_MAX = 64, /* alerts withdrawn lately that an older answer must not bring back */
	/* a heartbeat naming the alerts on screen goes as soon as they show, at
	 * most CONFIRM_MAX in CONFIRM_WINDOW_MS (a server changing them in every
	 * event must not get a heartbeat per frame) */
	CONFIRM_WINDOW_MS = 10000,
	CONFIRM_MAX = 10,
};

struct fleet_link {
	const struct kiosk_config *cfg;
	enum log_level log;
	struct fetcher *fetcher;
	int stream; /* the fetcher's index, -1: none */
	bool stream_was_open;
	bool connected;    /* a connection began and has not ended */
	bool healthy_said; /* fetcher_stream_healthy told for this connection */
	struct stream_guard guard;
	size_t seen_comments, seen_overflows; /* the parser's counts already told the guard */
	struct feed_health stream_faults;     /* its cuts */
	struct feed_health event_faults;      /* its events that do not read */
	struct feed_health answer_faults; /* heartbeats' answers that do not read or are too big */
	struct feed_health file_faults;   /* screen.json and update-target.json not written */
	struct feed_health offer_faults;  /* update offers whose URL cannot be made absolute */
	struct log_budget budget;         /* the lines a server's messages ask for */
	struct heartbeat *hb;
	bool hb_failing;
	struct sse sse;
	struct fleet_msg msg; /* scratch: a message being read */
	/* what the server said last */
	struct fleet_identity who;
	struct fleet_alert alerts[FLEET_MAX_ALERTS];
	size_t n_alerts;
	int64_t gone[GONE_MAX]; /* ids withdrawn lately, a ring */
	size_t n_gone;
	bool changed, kick;
	struct coalesce record_gate;
	char *record; /* screen.json as last written, NULL: not yet */
	char etag[FLEET_ETAG_MAX + 1];
	/* the alerts on screen, and those the last heartbeat named */
	int64_t shown[FLEET_MAX_ALERTS], sent[FLEET_MAX_ALERTS];
	size_t n_shown, n_sent;
	int64_t beat_due_ms;
	int64_t confirm_window_ms; /* heartbeats that named new alerts on screen: since when */
	int confirm_n;             /* and how many */
	bool showed_page;
	/* run-dir */
	bool files;
	char *target; /* update-target.json as last written, NULL: none */
	char *want;   /* as the server offers it now (NULL: none), written through target_gate */
	bool want_set;
	struct fleet_update want_up;
	struct coalesce target_gate;
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
	l->confirm_window_ms = INT64_MIN / 2;
	coalesce_init(&l->record_gate, RECORD_EVERY_MS, RECORD_EVERY_MS);
	coalesce_init(&l->target_gate, TARGET_EVERY_MS, TARGET_EVERY_MS);
	return l;
}

static int64_t mono_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A fault of a kind that may repeat: the first in full (msg, at level),
 * its repeats summed up; and its end. */
static void fault(struct fleet_link *l, struct feed_health *h, enum log_level level,
		  const char *subject, const char *msg)
{
	feed_log_fault(l->log, level, "fleet", subject, h, msg);
}

static void fault_over(struct fleet_link *l, struct feed_health *h, const char *subject)
{
	feed_log_fault_over(l->log, "fleet", subject, h);
}

static void save_record_now(struct fleet_link *l);

static void say_skipped(struct fleet_link *l, unsigned skipped)
{
	if (skipped)
		INFO(l,
		     "%u more changes of the alerts or of this screen's name not logged in the "
		     "last minute (the server made more than %d)",
		     skipped, LOG_BUDGET_LINES);
}

/* Whether a line a server's message asks for may be written: a server
 * changing the alerts in every event must not flood the log (log_budget). */
static bool budget(struct fleet_link *l)
{
	unsigned skipped;
	bool ok = log_budget_take(&l->budget, mono_now_ms(), &skipped);
	say_skipped(l, skipped);
	return ok;
}

void fleet_link_destroy(struct fleet_link *l)
{
	if (!l)
		return;
	if (l->record_gate.pending) /* a change not written yet: before the kiosk stops */
		save_record_now(l);
	heartbeat_destroy(l->hb);
	sse_finish(&l->sse);
	free(l->target);
	free(l->want);
	free(l->record);
	free(l);
}

/* ---- what the server says ------------------------------------------------ */

/* screen.json when its text changed (at most every RECORD_EVERY_MS: see
 * save_record). */
static void save_record_now(struct fleet_link *l)
{
	char *json = fleet_state_json(&l->who, l->alerts, l->n_alerts);
	l->record_gate.pending = false;
	if (!json || (l->record && strcmp(json, l->record) == 0)) {
		free(json);
		return;
	}
	if (!kiosk_cache_save(l->cfg->cache_dir, RECORD, json, strlen(json))) {
		char msg[KIOSK_MAX_VALUE + 160];
		snprintf(msg, sizeof(msg),
			 "%s/%s: cannot save: %s; the screen's name and alerts "
			 "will not survive a restart",
			 l->cfg->cache_dir, RECORD, strerror(errno));
		fault(l, &l->file_faults, LOG_WARN, "files", msg);
		free(json);
		return;
	}
	fault_over(l, &l->file_faults, "files");
	free(l->record);
	l->record = json;
}

static void save_record(struct fleet_link *l)
{
	coalesce_ask(&l->record_gate);
}

static bool listed(const struct fleet_alert *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id)
			return true;
	return false;
}

/* An answer while the stream is live: its alerts not shown yet are added
 * (it may be older than the stream: it withdraws nothing, and brings back
 * none the stream withdrew). True when some were. */
static bool merge_alerts(struct fleet_link *l, const struct fleet_msg *m)
{
	bool had[FLEET_MAX_ALERTS];
	for (size_t i = 0; i < m->n_alerts; i++)
		had[i] = listed(l->alerts, l->n_alerts, m->alerts[i].id);
	size_t n_gone = l->n_gone < GONE_MAX ? l->n_gone : GONE_MAX;
	if (!fleet_alerts_merge(l->alerts, &l->n_alerts, m->alerts, m->n_alerts, l->gone, n_gone))
		return false;
	for (size_t i = 0; i < m->n_alerts; i++)
		if (!had[i] && listed(l->alerts, l->n_alerts, m->alerts[i].id) && budget(l))
			INFO(l, "alert %lld on screen (from a heartbeat's answer): '%.80s'",
			     (long long)m->alerts[i].id, m->alerts[i].text);
	return true;
}

/* True when the alerts changed. */
static bool take_alerts(struct fleet_link *l, const struct fleet_msg *m)
{
	if (fleet_alerts_same(l->alerts, l->n_alerts, m->alerts, m->n_alerts))
		return false;
	for (size_t i = 0; i < m->n_alerts; i++)
		if (!listed(l->alerts, l->n_alerts, m->alerts[i].id) && budget(l))
			INFO(l, "alert %lld on screen: '%.80s'", (long long)m->alerts[i].id,
			     m->alerts[i].text);
	for (size_t i = 0; i < l->n_alerts; i++)
		if (!listed(m->alerts, m->n_alerts, l->alerts[i].id)) {
			if (budget(l))
				INFO(l, "alert %lld withdrawn", (long long)l->alerts[i].id);
			l->gone[l->n_gone++ % GONE_MAX] = l->alerts[i].id;
		}
	if (m->dropped && budget(l))
		WARN(l, "%zu older alerts left out: a screen shows the %d newest", m->dropped,
		     FLEET_MAX_ALERTS);
	memcpy(l->alerts, m->alerts, m->n_alerts * sizeof(*l->alerts));
	l->n_alerts = m->n_alerts;
	return true;
}

/* Two texts that may be NULL (none): the same? */
static bool same_text(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* What the server offers now: written by write_target, at most every
 * TARGET_EVERY_MS and only when it differs from the file. */
static void take_update(struct fleet_link *l, const struct fleet_msg *m)
{
	if (!l->files || !m->has_update)
		return;
	char *json = NULL;
	if (m->update && !(json = update_files_target(&m->up, l->cfg->heartbeat_url))) {
		char msg[FLEET_VERSION_MAX + FLEET_URL_MAX + 80];
		snprintf(msg, sizeof(msg), "update %s: its URL '%.80s' cannot be made absolute",
			 m->up.version, m->up.url);
		fault(l, &l->offer_faults, LOG_WARN, "update offers", msg);
		return;
	}
	if (l->want_set && same_text(json, l->want)) {
		free(json);
		return;
	}
	free(l->want);
	l->want = json;
	l->want_set = true;
	l->want_up = m->up;
	if (same_text(json, l->target))
		coalesce_cancel(&l->target_gate); /* back to what the file says */
	else
		coalesce_ask(&l->target_gate);
}

static void write_target(struct fleet_link *l, int64_t mono_ms)
{
	unsigned asks = 0;
	if (!coalesce_due(&l->target_gate, mono_ms, false, &asks))
		return;
	char changed[80] = "";
	if (asks > 1)
		snprintf(changed, sizeof(changed),
			 " (the offer changed %u times since the last write)", asks);
	if (!l->want) {
		if (l->target || kiosk_cache_has(l->cfg->run_dir, TARGET)) {
			char path[KIOSK_MAX_VALUE + 32];
			snprintf(path, sizeof(path), "%s/%s", l->cfg->run_dir, TARGET);
			if (unlink(path) != 0 && errno != ENOENT)
				WARN(l, "%s: cannot remove: %s", path, strerror(errno));
			else
				INFO(l, "no update offered: %s removed%s", path, changed);
		}
		free(l->target);
		l->target = NULL;
		return;
	}
	if (l->target && strcmp(l->target, l->want) == 0 &&
	    kiosk_cache_has(l->cfg->run_dir, TARGET))
		return;
	if (!kiosk_cache_save(l->cfg->run_dir, TARGET, l->want, strlen(l->want))) {
		char msg[KIOSK_MAX_VALUE + 120];
		snprintf(msg, sizeof(msg), "%s/%s: cannot write: %s", l->cfg->run_dir, TARGET,
			 strerror(errno));
		fault(l, &l->file_faults, LOG_WARN, "files", msg);
		coalesce_ask(&l->target_gate); /* again after the interval */
		return;
	}
	fault_over(l, &l->file_faults, "files");
	INFO(l, "update offered: %s (%lld MB): %s/%s written%s", l->want_up.version,
	     (long long)(l->want_up.size >> 20), l->cfg->run_dir, TARGET, changed);
	free(l->target);
	l->target = strdup(l->want);
}

/* Live: a state event read on this connection, nothing wrong with it. */
static bool stream_live(const struct fleet_link *l)
{
	return l->stream >= 0 && l->connected && l->guard.live && !l->guard.broken &&
	       fetcher_stream_open(l->fetcher, l->stream);
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
		if (budget(l))
			INFO(l, "this screen is %s, zones: %s", who.screen,
			     zones[0] ? zones : "none");
		l->who = who;
		l->changed = record = true;
	}
	/* an alert in any message is shown; only the stream while live, or an
	 * answer while it is not, withdraws */
	if (m->has_alerts &&
	    (from_stream || !stream_live(l) ? take_alerts(l, m) : merge_alerts(l, m)))
		l->changed = record = true;
	if (m->has_schedule && strcmp(m->schedule_etag, l->etag) != 0) {
		/* the first one learnt too: the server may be back from an outage
		 * that left the schedule's poll in back-off (the caller coalesces) */
		if (l->etag[0]) /* the schedule's own INFO line says what came */
			DEBUG(l,
			      "the schedule's ETag changed on the server (version %lld): fetching "
			      "it",
			      (long long)m->schedule_version);
		snprintf(l->etag, sizeof(l->etag), "%s", m->schedule_etag);
		l->kick = true;
	}
	take_update(l, m);
	if (record)
		save_record(l);
}

static void cut(struct fleet_link *l)
{
	fetcher_stream_cut(l->fetcher, l->stream, l->guard.why);
}

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct fleet_link *l = ctx;
	if (l->guard.broken)
		return; /* the rest of the bytes that broke it */
	int64_t now = mono_now_ms();
	if (strcmp(ev->type, "state") != 0) {
		if (!stream_guard_whole(&l->guard, STREAM_GUARD_COMMENT, now))
			cut(l);
		return;
	}
	struct feed_error e = {{0}};
	if (!fleet_msg_read(ev->data, ev->data_len, &l->msg, &e)) {
		char msg[KIOSK_MAX_VALUE + FEED_ERROR_MAX + 80];
		snprintf(msg, sizeof(msg),
			 "%s: an event that does not read: %s; keeping what the "
			 "screen shows",
			 l->cfg->stream_url, e.msg);
		fault(l, &l->event_faults, LOG_WARN, "stream events", msg);
		if (!stream_guard_whole(&l->guard, STREAM_GUARD_BAD, now))
			cut(l);
		return;
	}
	if (!stream_guard_whole(&l->guard, STREAM_GUARD_GOOD, now)) {
		cut(l);
		return;
	}
	fault_over(l, &l->event_faults, "stream events");
	take_msg(l, &l->msg, true);
}

static void on_bytes(void *ctx, const char *p, size_t len)
{
	struct fleet_link *l = ctx;
	int64_t now = mono_now_ms();
	if (!p) { /* a new connection */
		sse_reset(&l->sse);
		stream_guard_open(&l->guard, now);
		l->connected = true;
		l->healthy_said = false;
		l->seen_comments = l->sse.comments;
		l->seen_overflows = l->sse.overflows;
		return;
	}
	if (l->guard.broken)
		return;
	if (!stream_guard_bytes(&l->guard, len, now)) {
		cut(l);
		return;
	}
	bool ok = sse_feed(&l->sse, p, len);
	if (!ok || l->sse.overflows != l->seen_overflows) {
		char what[96];
		snprintf(what, sizeof(what),
			 ok ? "a line over %d KiB or an event over %d KiB"
			    : "out of memory reading an event",
			 SSE_MAX_LINE / 1024, SSE_MAX_EVENT / 1024);
		l->seen_overflows = l->sse.overflows;
		stream_guard_over(&l->guard, what);
		cut(l);
		return;
	}
	/* a comment (the keep-alive) is a whole event too: the stream lives */
	while (!l->guard.broken && l->seen_comments < l->sse.comments) {
		l->seen_comments++;
		if (!stream_guard_whole(&l->guard, STREAM_GUARD_COMMENT, now))
			cut(l);
	}
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
		WARN(l, "%s/%s: %s; starting as a screen the server has not named",
		     l->cfg->cache_dir, RECORD, e.msg);
	} else {
		l->who = l->msg.who;
		memcpy(l->alerts, l->msg.alerts, l->msg.n_alerts * sizeof(*l->alerts));
		l->n_alerts = l->msg.n_alerts;
		l->record =
			fleet_state_json(&l->who, l->alerts, l->n_alerts); /* not written again */
		INFO(l, "kept from before: this screen is %s, %zu zones, %zu alerts",
		     l->who.screen[0] ? l->who.screen : "(not named yet)", l->who.n_zones,
		     l->n_alerts);
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
		struct fetcher_stream s = {c->stream_url,  c->heartbeat_token,
					   STREAM_IDLE_MS, STREAM_BACKOFF_MAX_MS,
					   on_bytes,       l};
		l->stream = fetcher_add_stream(f, &s);
		if (l->stream < 0)
			WARN(l, "cannot open the stream %s: alerts come with heartbeats",
			     c->stream_url);
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
	char msg[KIOSK_MAX_VALUE + 400];
	snprintf(msg, sizeof(msg),
		 "%s cut: %s; heartbeats every %d s bring the alerts meanwhile, "
		 "reopening in %lld s",
		 l->cfg->stream_url, r.error,
		 (l->cfg->heartbeat_s * 1000 < FALLBACK_BEAT_MS ? l->cfg->heartbeat_s * 1000
								: FALLBACK_BEAT_MS) /
			 1000,
		 (long long)((r.retry_ms + 999) / 1000));
	fault(l, &l->stream_faults, LOG_INFO, "stream", msg);
	l->stream_was_open = l->connected = false;
	free(r.body);
}

/* The stream's clock: cut when no whole event came in time; once it has
 * proven itself, its back-off starts over and the end of its trouble is said. */
static void watch_stream(struct fleet_link *l, int64_t mono_ms)
{
	if (l->stream < 0 || !l->connected)
		return;
	if (!stream_guard_idle(&l->guard, mono_ms)) {
		cut(l);
		return;
	}
	if (!l->healthy_said && stream_guard_healthy(&l->guard, mono_ms)) {
		l->healthy_said = true;
		fetcher_stream_healthy(l->fetcher, l->stream);
		fault_over(l, &l->stream_faults, "stream");
	}
}

static void take_answer(struct fleet_link *l)
{
	long status;
	char err[256];
	if (!l->hb || !heartbeat_poll(l->hb, &status, err, sizeof(err)))
		return;
	if (err[0] && !l->hb_failing)
		WARN(l, "%s: %s; the desk will see this screen as stale", l->cfg->heartbeat_url,
		     err);
	else if (!err[0] && l->hb_failing)
		INFO(l, "heartbeats reach %s again", l->cfg->heartbeat_url);
	else
		DEBUG(l, "heartbeat sent (%ld)", status);
	l->hb_failing = err[0] != '\0';
	size_t len;
	const char *body = heartbeat_answer(l->hb, &len);
	struct feed_error e = {{0}};
	char msg[KIOSK_MAX_VALUE + FEED_ERROR_MAX + 80];
	if (!err[0] && heartbeat_answer_over(l->hb)) {
		snprintf(msg, sizeof(msg), "%s: an answer over %d KiB, dropped",
			 l->cfg->heartbeat_url, HEARTBEAT_MAX_ANSWER / 1024);
		fault(l, &l->answer_faults, LOG_WARN, "heartbeat answers", msg);
		return;
	}
	if (!len)
		return;
	if (!fleet_msg_read(body, len, &l->msg, &e)) {
		snprintf(msg, sizeof(msg), "%s: the answer does not read: %s",
			 l->cfg->heartbeat_url, e.msg);
		fault(l, &l->answer_faults, LOG_WARN, "heartbeat answers", msg);
		return;
	}
	fault_over(l, &l->answer_faults, "heartbeat answers");
	take_msg(l, &l->msg, false);
}

bool fleet_link_take(struct fleet_link *l, int64_t mono_ms, bool *fetch_schedule)
{
	take_stream_end(l);
	if (l->stream >= 0 && !l->stream_was_open && fetcher_stream_open(l->fetcher, l->stream)) {
		if (l->stream_faults.failing) /* said once it has proven itself */
			DEBUG(l, "%s open again", l->cfg->stream_url);
		else
			INFO(l, "%s open: alerts arrive as they are posted", l->cfg->stream_url);
		l->stream_was_open = true;
	}
	watch_stream(l, mono_ms);
	take_answer(l);
	say_skipped(l, log_budget_over(&l->budget, mono_ms));
	if (l->files)
		write_target(l, mono_ms);
	if (coalesce_due(&l->record_gate, mono_ms, false, NULL))
		save_record_now(l);
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
	return mono_ms >= l->beat_due_ms || page != l->showed_page ||
	       (shown_unsaid(l) && (mono_ms - l->confirm_window_ms >= CONFIRM_WINDOW_MS ||
				    l->confirm_n < CONFIRM_MAX));
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
	char version[UPDATE_IMAGE_MAX + 1], slot[UPDATE_SLOT_MAX + 1],
		status[UPDATE_STATUS_MAX + 1];
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

void fleet_link_beat(struct fleet_link *l, const struct fleet_report *r, bool page, int64_t mono_ms)
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
		bool cut = l->stream >= 0 && !stream_live(l);
		int64_t period = l->cfg->heartbeat_s * 1000LL;
		l->beat_due_ms =
			mono_ms + (cut && period > FALLBACK_BEAT_MS ? FALLBACK_BEAT_MS : period);
		l->showed_page = page;
		if (shown_unsaid(l)) {
			if (mono_ms - l->confirm_window_ms >= CONFIRM_WINDOW_MS) {
				l->confirm_window_ms = mono_ms;
				l->confirm_n = 0;
			}
			l->confirm_n++;
		}
		memcpy(l->sent, l->shown, l->n_shown * sizeof(*l->sent));
		l->n_sent = l->n_shown;
	}
	free(json);
}

void fleet_link_quiet(struct fleet_link *l, const struct schedule *s, const struct civil_zone *zone,
		      int64_t board_now_ms, bool clock_trusted, int64_t mono_ms)
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
