/* fleet_link: this screen as one of venueboard-server's fleet — the event
 * stream held open (alerts within seconds, a schedule that changed fetched
 * at once), the heartbeat (what the screen shows, the alerts on it, its
 * image and its updater's state) and its answer (its name and zones, the
 * alerts while the stream is cut, the update to take), the screen's record
 * kept in cache-dir across restarts, and the files shared with the image's
 * update agent in run-dir. Nothing here blocks the loop. */
#ifndef VB_FLEET_LINK_H
#define VB_FLEET_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct civil_zone;
struct fetcher;
struct fleet_alert;
struct fleet_identity;
struct kiosk_config;
struct schedule;

/* What the screen shows, said in the heartbeat; strings borrowed. */
struct fleet_report {
	const char *version;
	const char *showing; /* "page 2/5", "waiting for the time", ... */
	bool offline;
	int64_t feed_age_s; /* -1: no schedule */
	int64_t uptime_s;
	int64_t schedule_version; /* -1: none */
	const char *thumbnail;    /* base64 PNG, NULL when none */
	const char *feed_error;   /* why the schedule feed's answers do not read (one line,
				     <= 160 bytes); NULL while they do */
};

struct fleet_link;

/* cfg is borrowed for the link's life. Caller owns (fleet_link_destroy);
 * NULL on OOM. */
struct fleet_link *fleet_link_create(const struct kiosk_config *cfg, enum log_level log);
void fleet_link_destroy(struct fleet_link *l);

/* Reads the record kept in cache-dir (the screen's name, zones and alerts
 * before a restart); with heartbeats configured, opens them and adds the
 * stream to f (borrowed for the link's life) and prepares run-dir. False
 * when libcurl cannot start (said in the log). */
bool fleet_link_start(struct fleet_link *l, struct fetcher *f);

/* Takes what came — stream events, the stream's end, the heartbeat's
 * answer — without blocking, cuts a stream that stream_guard finds broken,
 * and writes what is due in cache-dir and run-dir. True when what the
 * screen shows must change (the alerts, the screen's zones);
 * *fetch_schedule is set when the server's schedule changed (the caller
 * coalesces). */
bool fleet_link_take(struct fleet_link *l, int64_t mono_ms, bool *fetch_schedule);

/* For layout, borrowed until the next take: the alerts (newest first) and
 * who this screen is (its name "" until the server said). */
const struct fleet_alert *fleet_link_alerts(const struct fleet_link *l, size_t *n);
const struct fleet_identity *fleet_link_identity(const struct fleet_link *l);

/* The last presented frame showed the first n alerts. */
void fleet_link_shown(struct fleet_link *l, size_t n);

/* Whether a heartbeat should go now: its period (at most 15 s while the
 * stream is cut), the screen starting or stopping to show its programme
 * (page), or alerts on screen that the last heartbeat did not name (at
 * once, at most 10 such in 10 s). False while one is on its way, or without
 * heartbeats. */
bool fleet_link_beat_due(const struct fleet_link *l, int64_t mono_ms, bool page);

/* Posts the heartbeat: r, the alerts on screen, the image and the updater's
 * state from run-dir. */
void fleet_link_beat(struct fleet_link *l, const struct fleet_report *r, bool page,
		     int64_t mono_ms);

/* True while a heartbeat is on its way (the loop should come back soon). */
bool fleet_link_busy(const struct fleet_link *l);

/* Writes run-dir/quiet when due (every minute, and when it changes): yes
 * when now is a quiet moment for this screen (update_files_quiet), no
 * otherwise or while the clock is not trusted. */
void fleet_link_quiet(struct fleet_link *l, const struct schedule *s, const struct civil_zone *zone,
		      int64_t board_now_ms, bool clock_trusted, int64_t mono_ms);

#endif
