/* schedule_feed: what venueboard.c's loop schedules for the schedule, kept
 * out of it; a failing feed is said once, then summarised. */
#include "schedule_feed.h"

#include "board.h"
#include "civil_time.h"
#include "coalesce.h"
#include "feed_health.h"
#include "feed_log.h"
#include "fetcher.h"
#include "kiosk_cache.h"
#include "kiosk_clock.h"
#include "kiosk_config.h"
#include "queue_feed.h"
#include "schedule.h"
#include "text.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFO(s, mod, ...)  log_line((s)->log, LOG_INFO, mod, __VA_ARGS__)
#define DEBUG(s, mod, ...) log_line((s)->log, LOG_DEBUG, mod, __VA_ARGS__)
#define WARN(s, mod, ...)  log_line((s)->log, LOG_WARN, mod, __VA_ARGS__)
#define ERROR(s, mod, ...) log_line((s)->log, LOG_ERROR, mod, __VA_ARGS__)

static const char SCHEDULE_CACHE[] = "schedule.feed";
static const char BASELINE_CACHE[] = "baseline.feed";

/* the stream's "the schedule changed": a few real changes in a row (an
 * alert, its withdrawal, a move: each one bumps the schedule's version)
 * wait at most 2 s; under a storm, 2, 4, 8 … up to 30 s between fetches */
enum { SCHEDULE_KICK_MIN_MS = 2000, SCHEDULE_KICK_MAX_MS = 30000 };

struct schedule_feed {
	const struct kiosk_config *cfg;
	enum log_level log;
	struct board *board;       /* borrowed */
	struct kiosk_clock *clock; /* borrowed */
	struct queue_feed *lunch;  /* borrowed */
	struct fetcher *fetcher;   /* borrowed, from schedule_feed_start */
	int f;                     /* the fetcher's index, -1: none */
	struct layout_feed feed;   /* age_s unused: schedule_feed_view works it out */
	int64_t confirmed_mono_ms; /* a schedule that reads received, or a 304 for it */
	struct feed_health health; /* answers that are not a schedule, for the log */
	char error[161];           /* why they are not, for the heartbeat; "" while it reads */
	int64_t said_wait_s;       /* the Retry-After last said (feed_log_wait) */
	unsigned cache_mode;       /* cache-dir's mode at start: made again alike */
	int64_t touched_mono_ms;   /* when the saved schedule's time was last set */
	bool cache_gone_said;
	unsigned polls_since_change, not_modified_since_change;
	/* the stream's "the schedule changed": one fetch in flight, coalesced
	 * (a server naming a new ETag in every event must not make the kiosk
	 * fetch back to back) */
	struct coalesce kick;
	struct feed_health cache_health; /* cache-dir writes that fail: said once, summed up */
};

struct schedule_feed *schedule_feed_create(const struct kiosk_config *cfg, enum log_level log,
					   struct board *board, struct kiosk_clock *clock,
					   struct queue_feed *lunch)
{
	struct schedule_feed *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cfg = cfg;
	s->log = log;
	s->board = board;
	s->clock = clock;
	s->lunch = lunch;
	s->f = -1;
	s->said_wait_s = -1;
	coalesce_init(&s->kick, SCHEDULE_KICK_MIN_MS, SCHEDULE_KICK_MAX_MS);
	return s;
}

void schedule_feed_destroy(struct schedule_feed *s)
{
	free(s);
}

bool schedule_feed_start(struct schedule_feed *s, struct fetcher *f)
{
	s->fetcher = f;
	s->f = fetcher_add(f, s->cfg->schedule_url, s->cfg->poll_s * 1000);
	return s->f >= 0;
}

static void clock_text(const struct schedule_feed *s, int64_t t_ms, char out[8])
{
	struct civil c;
	civil_from_utc_in(t_ms / 1000, s->board->zone, &c);
	snprintf(out, 8, "%02d:%02d", c.hour % 100, c.minute % 100);
}

/* Reading a feed builds a parse tree many times the size of what is kept
 * (libxml2 holds FOSDEM's 2.7 MB as a 17 MB tree): hand that back to the
 * system, or a kiosk sits on its high-water mark for days. */
static void give_back_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* What stays on screen when a schedule does not read, in the log's words. */
static const char *keeping(const struct schedule_feed *s)
{
	return s->feed.have ? "keeping the schedule on screen"
			    : "no schedule yet; the screen says it is waiting for the schedule";
}

/* Writes to cache-dir, making the folder again (as it was at start) when
 * someone removed it under the running kiosk. */
static void save_cache(struct schedule_feed *s, const char *name, const char *body, size_t len)
{
	bool made = false;
	bool ok = kiosk_cache_save(s->cfg->cache_dir, name, body, len);
	if (!ok && errno == ENOENT && kiosk_cache_remake(s->cfg->cache_dir, s->cache_mode, &made))
		ok = kiosk_cache_save(s->cfg->cache_dir, name, body, len);
	if (made)
		INFO(s, "cache", "%s was gone: made it again (mode %04o)", s->cfg->cache_dir,
		     s->cache_mode);
	if (ok) {
		s->cache_gone_said = false;
		feed_log_fault_over(s->log, "cache", "saving", &s->cache_health);
		return;
	}
	char msg[KIOSK_MAX_VALUE + 160];
	snprintf(msg, sizeof(msg), "%s/%s: cannot save: %s", s->cfg->cache_dir, name,
		 strerror(errno));
	feed_log_fault(s->log, LOG_WARN, "cache", "saving", &s->cache_health, msg);
}

/* The baseline a running kiosk saw first, from cache-dir, when the board
 * has none yet. */
static void load_baseline(struct schedule_feed *s, const char *tz, struct feed_error *e)
{
	char *base = NULL;
	size_t blen = 0;
	int64_t bs;
	if (kiosk_cache_load(s->cfg->cache_dir, BASELINE_CACHE, s->cfg->max_feed_bytes, &base,
			     &blen, &bs))
		board_set_baseline(s->board, base, blen, tz, e);
	free(base);
}

/* The INFO lines of a schedule shown, and of each change it brings. */
static void say_loaded(struct schedule_feed *s, const struct board_summary *sum, size_t len,
		       const char *from, bool from_cache, int64_t saved_ms, int64_t now)
{
	char clock[8];
	clock_text(s, s->feed.received_ms, clock);
	if (from_cache)
		INFO(s, "schedule",
		     "showing the saved schedule from %s (last confirmed %s, %lld min ago): "
		     "%zu sessions in %zu rooms, %zu changes",
		     from, clock, (long long)((now - saved_ms) / 60000), sum->sessions, sum->rooms,
		     sum->changes);
	else
		INFO(s, "schedule",
		     "schedule fetched: %zu sessions in %zu rooms, %zu changes (%zu new), "
		     "%zu notices, %zu KB; %u of the %u polls before it unchanged (304)",
		     sum->sessions, sum->rooms, sum->changes, sum->new_changes, sum->notices,
		     (len + 512) / 1024, s->not_modified_since_change, s->polls_since_change);
	for (size_t i = 0; i < s->board->n_changes && !from_cache; i++) {
		const struct board_change *c = &s->board->changes[i];
		if (c->seen_ms == now)
			INFO(s, "schedule", "new change: %s '%.60s'%s%s%s%s",
			     schedule_diff_kind_name(c->kind), c->title,
			     c->from_room ? " from " : "", c->from_room ? c->from_room : "",
			     c->to_room ? " to " : "", c->to_room ? c->to_room : "");
	}
}

/* Shows a schedule feed; false (*e says why) when it does not read, and
 * then nothing changes: neither the screen nor the saved copy. */
static bool load_schedule(struct schedule_feed *s, const char *body, size_t len, const char *from,
			  bool from_cache, int64_t saved_ms, struct feed_error *e)
{
	struct board_summary sum;
	int64_t now = kiosk_clock_now(s->clock);
	const char *tz = s->cfg->timezone[0] ? s->cfg->timezone : NULL;
	/* the first schedule this screen sees is the baseline: only one that
	 * reads (a first answer of garbage must not become it for good) */
	bool first = s->cfg->mode == KIOSK_RUN && !s->board->baseline &&
		     !kiosk_cache_has(s->cfg->cache_dir, BASELINE_CACHE) && !from_cache;
	if (first && !board_set_baseline(s->board, body, len, tz, e)) {
		give_back_memory();
		return false;
	}
	if (!s->board->baseline)
		load_baseline(s, tz, e);
	bool loaded = board_load(s->board, body, len, tz, now, &sum, e);
	give_back_memory();
	if (!loaded)
		return false;
	if (first)
		save_cache(s, BASELINE_CACHE, body, len);
	/* the venue knows its rooms' seats better than the feed (the forecast
	 * counts on how many each session lets out) */
	for (size_t i = 0; i < s->cfg->n_seats; i++)
		if (!schedule_set_room_seats(s->board->schedule, s->cfg->seats[i].room,
					     s->cfg->seats[i].seats))
			WARN(s, "schedule", "capacity %s %d: the schedule has no such room",
			     s->cfg->seats[i].room, s->cfg->seats[i].seats);
	queue_feed_set_schedule(s->lunch, s->board->schedule);
	s->feed.have = true;
	s->feed.from_cache = from_cache;
	s->feed.received_ms = from_cache ? saved_ms : now;
	s->feed.confirmed_ms = s->feed.received_ms;
	say_loaded(s, &sum, len, from, from_cache, saved_ms, now);
	s->polls_since_change = s->not_modified_since_change = 0;
	return true;
}

static void went_online(struct schedule_feed *s, const char *what)
{
	if (!s->feed.offline)
		return;
	char clock[8];
	clock_text(s, s->feed.offline_since_ms, clock);
	INFO(s, "network", "%s reachable again (offline since %s)", what, clock);
	s->feed.offline = false;
}

/* A failure's message as the heartbeat may carry it: one line of UTF-8
 * without control characters, at most 160 bytes cut at a character (a
 * parser's message may quote the garbage it found). */
static void heartbeat_text(const char *msg, char out[161])
{
	size_t n = 0;
	for (const char *p = msg; *p && n < 160; p++)
		out[n++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
	while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80) /* cut mid-character */
		n--;
	out[n] = '\0';
	if (!text_is_one_line(out, n))
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
}

/* The saved schedule was confirmed current: its time says so (at most once
 * a minute: a restart then says an older time, never a fresher one). When
 * it is gone (or its folder), the next poll fetches it whole to save it. */
static void cache_confirmed(struct schedule_feed *s)
{
	int64_t m = kiosk_clock_mono_ms();
	if (s->cfg->mode != KIOSK_RUN || (s->touched_mono_ms && m - s->touched_mono_ms < 60000))
		return;
	s->touched_mono_ms = m;
	if (kiosk_cache_touch(s->cfg->cache_dir, SCHEDULE_CACHE) || errno != ENOENT)
		return;
	bool made = false;
	if (!kiosk_cache_remake(s->cfg->cache_dir, s->cache_mode, &made)) {
		if (!s->cache_gone_said)
			WARN(s, "cache", "%s is gone and cannot be made again: %s",
			     s->cfg->cache_dir, strerror(errno));
		s->cache_gone_said = true;
		return;
	}
	if (made)
		INFO(s, "cache",
		     "%s was gone: made it again (mode %04o); fetching the schedule "
		     "whole to save it",
		     s->cfg->cache_dir, s->cache_mode);
	else
		INFO(s, "cache", "%s/%s was gone: fetching the schedule whole to save it",
		     s->cfg->cache_dir, SCHEDULE_CACHE);
	fetcher_forget(s->fetcher, s->f);
	fetcher_kick(s->fetcher, s->f);
}

/* A schedule that reads came, or the server confirmed the one we hold. */
static void schedule_confirmed(struct schedule_feed *s)
{
	struct feed_health_line l = feed_health_ok(&s->health, feed_log_now_ms());
	feed_log_streak(s->log, "schedule", &l);
	s->feed.failing = false;
	s->error[0] = '\0';
	s->confirmed_mono_ms = kiosk_clock_mono_ms();
	s->feed.confirmed_ms = kiosk_clock_now(s->clock);
}

/* The server answered with something that is not a schedule (or a 304 for
 * that): nothing is confirmed; said once, then summarised (feed_health). */
static void schedule_refused(struct schedule_feed *s, const char *msg)
{
	struct feed_health_line l = feed_health_failed(&s->health, msg, feed_log_now_ms());
	feed_log_streak(s->log, "schedule", &l);
	if (l.say == FEED_HEALTH_FIRST)
		ERROR(s, "schedule", "%s: %s; %s", s->cfg->schedule_url, msg, keeping(s));
	s->polls_since_change++;
	if (!s->feed.failing) {
		s->feed.failing = true;
		s->feed.failing_since_ms = kiosk_clock_now(s->clock);
	}
	heartbeat_text(msg, s->error);
}

/* The feed cannot be reached: said once, and how long we wait. */
static void went_offline(struct schedule_feed *s, const struct fetch_result *r)
{
	feed_log_wait(s->log, "network", "schedule feed", r, &s->said_wait_s);
	if (!s->feed.offline) {
		s->feed.offline = true;
		s->feed.offline_since_ms = kiosk_clock_now(s->clock);
		INFO(s, "network", "schedule feed unreachable: %s; %s, retrying in %lld s",
		     r->error,
		     s->feed.have ? "showing the last schedule" : "no schedule to show yet",
		     (long long)(r->retry_ms / 1000));
	} else {
		DEBUG(s, "network", "schedule feed still unreachable (%d failures): %s",
		      r->failures, r->error);
	}
}

/* A 304: the schedule we hold is current — unless the last answer did not
 * read: the validators are its, so "not modified" confirms the failure. */
static void not_modified(struct schedule_feed *s, const struct fetch_result *r)
{
	give_back_memory(); /* the unchanged body was read, hashed and freed */
	DEBUG(s, "schedule", "not modified (%ld) in %lld ms", r->http_status,
	      (long long)r->elapsed_ms);
	if (s->feed.failing) {
		schedule_refused(s, s->error);
		return;
	}
	s->polls_since_change++;
	s->not_modified_since_change++;
	if (s->feed.have) {
		s->feed.from_cache = false;
		schedule_confirmed(s);
		cache_confirmed(s);
	}
}

bool schedule_feed_take(struct schedule_feed *s)
{
	struct fetch_result r;
	if (s->f < 0 || !fetcher_take(s->fetcher, s->f, &r))
		return false;
	if (r.outcome == FETCH_FAILED && r.too_big) { /* the server answered: no outage */
		went_online(s, "schedule feed");
		char msg[FEED_ERROR_MAX];
		snprintf(msg, sizeof(msg), "the schedule is %s; next try in %lld s", r.error,
			 (long long)(r.retry_ms / 1000));
		schedule_refused(s, msg);
		return false;
	}
	if (r.outcome == FETCH_FAILED) {
		went_offline(s, &r);
		return false;
	}
	went_online(s, "schedule feed");
	s->said_wait_s = -1;
	kiosk_clock_take_date(s->clock, r.server_date_s);
	if (r.outcome == FETCH_NOT_MODIFIED) {
		not_modified(s, &r);
		return false;
	}
	struct feed_error e = {{0}};
	if (load_schedule(s, r.body, r.len, s->cfg->schedule_url, false, 0, &e)) {
		schedule_confirmed(s);
		if (s->cfg->mode == KIOSK_RUN)
			save_cache(s, SCHEDULE_CACHE, r.body, r.len);
	} else {
		schedule_refused(s, e.msg);
	}
	free(r.body);
	return true;
}

bool schedule_feed_take_once(struct schedule_feed *s)
{
	struct fetch_result r;
	if (s->f < 0 || !fetcher_take(s->fetcher, s->f, &r))
		return false;
	struct feed_error e = {{0}};
	if (r.outcome == FETCH_NEW &&
	    !load_schedule(s, r.body, r.len, s->cfg->schedule_url, false, 0, &e))
		ERROR(s, "schedule", "%s: %s; %s", s->cfg->schedule_url, e.msg, keeping(s));
	else if (r.outcome != FETCH_NEW)
		WARN(s, "network", "%s: %s", s->cfg->schedule_url, r.error);
	free(r.body);
	return true;
}

bool schedule_feed_settle_once(struct schedule_feed *s)
{
	if (!s->feed.have)
		schedule_feed_load_cache(s);
	if (!s->feed.have) {
		ERROR(s, "kiosk", "no schedule from %s and none saved", s->cfg->schedule_url);
		return false;
	}
	if (!s->feed.from_cache) /* the saved copy is as old as its time says */
		s->confirmed_mono_ms = kiosk_clock_mono_ms();
	return true;
}

void schedule_feed_prepare_cache(struct schedule_feed *s)
{
	if (!kiosk_cache_prepare(s->cfg->cache_dir))
		WARN(s, "cache", "%s: %s; the schedule will not survive a restart",
		     s->cfg->cache_dir, strerror(errno));
	s->cache_mode = kiosk_cache_mode(s->cfg->cache_dir);
}

void schedule_feed_load_cache(struct schedule_feed *s)
{
	char *body = NULL;
	size_t len = 0;
	int64_t saved_s = 0;
	if (!kiosk_cache_load(s->cfg->cache_dir, SCHEDULE_CACHE, s->cfg->max_feed_bytes, &body,
			      &len, &saved_s)) {
		INFO(s, "cache", "no saved schedule in %s: waiting for the network",
		     s->cfg->cache_dir);
		return;
	}
	/* the file's age in real time, on the board's clock */
	int64_t age_ms = kiosk_clock_wall_ms() - saved_s * 1000;
	char where[KIOSK_MAX_VALUE + 32];
	snprintf(where, sizeof(where), "%s/%s", s->cfg->cache_dir, SCHEDULE_CACHE);
	struct feed_error e = {{0}};
	if (!load_schedule(
		    s, body, len, where, true,
		    kiosk_clock_now(s->clock) - (int64_t)((double)age_ms * s->cfg->clock_rate), &e))
		ERROR(s, "schedule", "%s: %s; %s", where, e.msg, keeping(s));
	free(body);
}

void schedule_feed_kick(struct schedule_feed *s, bool asked, int64_t mono_ms)
{
	if (asked)
		coalesce_ask(&s->kick);
	/* one in flight may bring the old version: the ask waits for its end */
	unsigned asks = 0;
	if (s->f < 0 ||
	    !coalesce_due(&s->kick, mono_ms, fetcher_in_flight(s->fetcher, s->f), &asks))
		return;
	fetcher_kick(s->fetcher, s->f);
	if (asks > 1)
		DEBUG(s, "schedule",
		      "the server's stream said %u times that the schedule changed: "
		      "one fetch",
		      asks);
}

bool schedule_feed_have(const struct schedule_feed *s)
{
	return s->feed.have;
}

struct layout_feed schedule_feed_view(const struct schedule_feed *s, int64_t mono_ms)
{
	struct layout_feed v = s->feed;
	v.age_s = s->confirmed_mono_ms ? (int)((mono_ms - s->confirmed_mono_ms) / 1000) : 0;
	return v;
}

int64_t schedule_feed_age_s(const struct schedule_feed *s, int64_t mono_ms)
{
	/* since a schedule that reads was last received or confirmed; from
	 * the saved copy's time until the feed confirms it */
	if (!s->feed.have)
		return -1;
	if (s->confirmed_mono_ms)
		return (mono_ms - s->confirmed_mono_ms) / 1000;
	return (kiosk_clock_now(s->clock) - s->feed.confirmed_ms) / 1000;
}

const char *schedule_feed_error(const struct schedule_feed *s)
{
	return s->error[0] ? s->error : NULL;
}
