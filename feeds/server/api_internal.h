/* api_internal: what the api's resource files share — the server's state
 * and the helpers every handler uses. Not for use outside feeds/server.
 *   api.c           the router (method, path, token) and the shared helpers
 *   api_schedule.c  the schedule's endpoints, changes, notices, the audit; the
 *                   kinds move, cancel, reschedule, notice
 *   api_queues.c    lunch-line samples in and out, estimates
 *   api_forecast.c  each lunch line's next hour, the desk's wait alert
 *   api_rooms.c     how full each session room is; the kind room (FULL or open)
 *   api_alerts.c    alerts to screens, the stream, confirmations; the kind alert
 *   api_rollouts.c  bundle uploads and downloads, rollouts; the kind rollout
 *   api_screens.c   screens' heartbeats and thumbnails
 *   api_mobile.c    GET /m/, the phone page
 *   api_health.c    /healthz and /metrics
 *   api_sources.c   people counters: pushes, what MQTT and polls bring, their state
 * Under them: journal.c (every change, the only writer of changes) and
 * served_schedule.c (the published schedule with the live changes). */
#ifndef VB_API_INTERNAL_H
#define VB_API_INTERNAL_H

#include "api.h"
#include "journal.h"
#include "served_schedule.h"
#include "server_config.h"

#include "forecast.h"
#include "queue_sample.h"
#include "room_fill.h"
#include "schedule.h"

#include <cjson/cJSON.h>

struct estimator;
struct schedule;

/* A sample line kept for kiosks that estimate by themselves. */
struct recent_sample {
	char *line;
	int64_t t_ms; /* INT64_MAX for a declaration (no time) */
	int queue;    /* the estimator's index of its queue, -1 when unknown */
};

/* A lunch line's next hour, as last worked out (api_forecast.c). */
enum { API_OUTLOOK_POINTS = 12, API_OUTLOOK_STEP_S = 300 };
struct queue_outlook {
	int64_t made_ms;   /* when: 0 before any */
	int64_t newest_ms; /* the queue's newest sample then: a newer one redoes it */
	int days;          /* earlier days learned from */
	int64_t at_ms[API_OUTLOOK_POINTS];
	struct forecast points[API_OUTLOOK_POINTS];
	bool alert;      /* forecast above the configured wait */
	int alert_point; /* the peak's index while alert */
	bool withheld;   /* some point withheld: the record is worse than persistence's */
	bool same_time;  /* some point is the earlier days' same time, not the model */
};

struct queue_state {
	struct forecaster *fc; /* the now-cast and the forecast; owned */
	struct estimator *est; /* fc's now-cast, borrowed: for reading */
	char names[ESTIMATOR_MAX_QUEUES][QUEUE_NAME_MAX + 1]; /* by the estimator's index */
	struct queue_outlook outlook[ESTIMATOR_MAX_QUEUES];
	struct recent_sample *recent; /* ring of the latest lines */
	size_t recent_head, recent_n;
	int64_t newest_ms; /* the newest sample time taken, 0 before any */
};

/* A session room's latest count (api_rooms.c), by its name folded. */
struct room_seen {
	char key[SCHEDULE_MAX_NAME * 2 + 1];
	char name[QUEUE_NAME_MAX + 1];
	char sensor[QUEUE_ID_MAX + 1];
	struct room_count count;
	enum room_state state; /* as last judged, and since when */
	int64_t since_ms;
	bool judged, warned;
};

struct rooms_state {
	struct room_seen *v;
	size_t n, cap;
	int64_t newest_ms; /* the newest count's time, 0 before any */
};

/* A configured screen and its latest heartbeat (GET /v1/screens). */
struct screen_seen {
	const char *name; /* the configuration's */
	int64_t last_seen_ms;
	char *fields; /* the heartbeat's fields (JSON), malloc'd; NULL: never heard */
	bool has_thumbnail;
};

/* A screen's proof that it shows an alert: when it first said so. */
struct alert_seen {
	int64_t alert, at_ms;
	char screen[CONFIG_NAME_MAX + 1];
};

/* The live rollout's update first offered to a screen: a failure the
 * screen already said before it (another version's) is not this rollout's. */
struct rollout_offer {
	char screen[CONFIG_NAME_MAX + 1];
	int64_t rollout, at_ms;
	char said[161]; /* its "update" when offered */
	bool moved;     /* its "update" has said something else since */
	bool stale_logged;
};

/* When a screen first ran a rollout's version (its health counts from it). */
struct rollout_mark {
	char screen[CONFIG_NAME_MAX + 1], version[65];
	int64_t running_ms;
};

/* Whether writes reach the database (/healthz). */
struct write_health {
	bool failing;
	char why[200];
	int64_t since_ms;   /* failing since */
	int64_t checked_ms; /* the last write or probe, 0 before any */
};

/* A configured people counter and what it said (api_sources.c). */
struct source_seen {
	const struct sensor_source_config *config; /* the configuration's */
	struct sensor_source_state *state;         /* owned */
	const struct civil_zone *zone;             /* of device times without an offset */
	uint64_t refused_unsaid;                   /* refusals not said since summary_ms */
	int64_t summary_ms;
	bool failing; /* said failing in the log */
};

/* The MQTT broker as the links last said. */
struct broker_seen {
	char state[16]; /* "" before the links said anything */
	int64_t since_ms;
	char last_error[200];
	bool said_failure;
};

struct api {
	const struct server_config *config;
	struct store *store;
	struct api_log log;
	struct journal journal;   /* every change (journal.c) */
	struct sched_state sched; /* what is served (served_schedule.c) */
	struct queue_state queues;
	struct rooms_state rooms;
	struct screen_seen *screens; /* one per screen token, by name */
	size_t n_screens;
	struct write_health health;
	struct alert_seen *alerts_seen;
	size_t alerts_seen_n, alerts_seen_cap;
	uint64_t generation; /* bumped by every change served: streams push it */
	/* GET /v1/alerts without a token: every alert with its counts, and its
	 * first page as sent, made again only when the generation or the
	 * confirmations move */
	cJSON *alerts_items;
	struct blob *alerts_view;
	uint64_t alerts_items_gen;
	size_t alerts_items_seen;
	struct rollout_mark *rollout_marks;
	size_t rollout_marks_n, rollout_marks_cap;
	struct rollout_offer *rollout_offers;
	size_t rollout_offers_n, rollout_offers_cap;
	int rollout_phase_logged; /* the live rollout's phase as last logged */
	int64_t rollout_logged;
	int64_t rollout_stopped; /* the rollout the server stopped itself, and why */
	char rollout_stop_why[200];
	uint64_t requests, not_modified, samples_accepted, samples_refused;
	struct source_seen *sources; /* one per configured source, in the file's order */
	size_t n_sources;
	struct broker_seen broker;
	int64_t now_seen_ms; /* the latest time a request or event brought (for a reload) */
};

/* What a handler is given: the request, the holder of the token the route
 * asks for (NULL on reads anyone may make) and what the path names. */
struct api_call {
	const struct api_request *req;
	const struct config_token *who;
	int64_t id;                     /* /v1/alerts/N/withdraw, /v1/rollouts/N/stop */
	char name[CONFIG_NAME_MAX + 1]; /* /v1/screens/NAME/thumbnail.png, /v1/bundles/NAME.tar */
};
typedef void api_handler(struct api *api, const struct api_call *c, struct api_response *res);

/* ---- helpers (api.c) ---- */

/* A JSON error a person can act on. */
void api_fail(struct api_response *res, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fills status, type and a malloc'd body (taken; NULL means out of memory). */
void api_respond(struct api_response *res, int status, const char *type, char *body);
void api_etag(const char *body, size_t len, char out[24]);
/* A line for the operator outside any request. */
void api_logf(struct api *api, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records whether a write reached the database (for /healthz). */
void api_write_result(struct api *api, bool ok, const char *why, int64_t now_ms);
/* The token of role the request carries (Authorization: Bearer), or NULL:
 * for reads anyone may make that show more to a token's holder. */
const struct config_token *api_token_of(const struct api *api, const struct api_request *req,
					enum token_role role);
/* The reply to a journal_add or journal_undo: 201 {"change":N,"kind":K}
 * or 200 {"change":N,"kind":"undo"} and the INFO line, or the refusal. */
void api_change_reply(struct api_response *res, const struct journal_result *r,
		      const struct config_token *who);
/* A whole number parameter of the query (digits only): 1 read, 0 absent,
 * -1 not a number. */
int api_query_number(const char *query, const char *key, int64_t *out);
/* A change of kind from the request's body (one JSON object), added to the
 * journal and replied to as api_change_reply does; r says what happened. */
bool api_add_change(struct api *api, const struct api_call *c, const struct journal_kind *kind,
		    struct api_response *res, struct journal_result *r);
/* The part of path between prefix and suffix, 1..max bytes, into out
 * (max + 1 bytes); false when path is not of that shape. */
bool api_path_part(const char *path, const char *prefix, const char *suffix, char *out, size_t max);
/* Parses a request body that must be one JSON object; 400 otherwise. */
cJSON *api_body_object(const struct api_request *req, struct api_response *res);

/* A growing text buffer; oom is sticky. */
struct api_buf {
	char *p;
	size_t len, cap;
	bool oom;
};
void api_buf_put(struct api_buf *b, const char *s, size_t n);
void api_buf_printf(struct api_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A Prometheus label value, escaped (backslash, quote, newline). */
void api_put_label(struct api_buf *b, const char *v);
/* name{label="value"} x, one line. */
void api_put_gauge(struct api_buf *b, const char *name, const char *label, const char *value,
		   double x);

/* ---- resources ---- */

void api_get_schedule(struct api *api, const struct api_call *c, struct api_response *res);
/* Every change, notice, alert, room state and rollout (?since=ID: those
 * after change ID), with who, when, whether undone or skipped, and "what"
 * in words (the desk's list). */
void api_get_audit(struct api *api, const struct api_call *c, struct api_response *res);
void api_post_schedule(struct api *api, const struct api_call *c, struct api_response *res);
void api_post_change(struct api *api, const struct api_call *c, struct api_response *res);
/* GET /v1/changes/N: change N as the audit lists it. */
void api_get_change(struct api *api, const struct api_call *c, struct api_response *res);
void api_post_notice(struct api *api, const struct api_call *c, struct api_response *res);

bool api_queues_load(struct api *api, int64_t now_ms, struct feed_error *e);
void api_queues_free(struct api *api);
void api_post_samples(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_queues(struct api *api, const struct api_call *c, struct api_response *res);
/* Sample lines (contracts section 1), each already checked: stored in one
 * transaction, then given to the estimator, the forecaster and the rooms;
 * the 200 {"accepted","skipped"} or the 500 into res. Where every sensor
 * format comes to. lines borrowed. */
void api_samples_take_lines(struct api *api, char *const *lines, size_t n, size_t skipped,
			    const char *who, int64_t now_ms, struct api_response *res);
/* The time queue i is judged at: now, or its newest sample when that is
 * more than an hour away (a replay of another day). */
int64_t api_queue_at(const struct api *api, size_t i, int64_t now_ms);
/* Now, or the newest sample's time when that is more than an hour away: the
 * clock of a replayed day (the demo) for pages that show "now". */
int64_t api_replay_at(const struct api *api, int64_t now_ms);

/* The outlook of queue i as of t_ms (worked out again when a sample came or
 * the minute changed); logs an alert that starts or ends. */
const struct queue_outlook *api_outlook(struct api *api, size_t i, int64_t t_ms);
/* Adds queue i's "forecast" (and "alert" while raised) to its /v1/queues
 * object o. */
void api_outlook_json(struct api *api, size_t i, int64_t t_ms, cJSON *o);
/* The served schedule changed: the forecaster reads the new one. */
void api_outlook_schedule(struct api *api);

/* Takes a room sample (already stored, or read back at start). */
void api_rooms_take(struct api *api, const struct queue_sample *s);
void api_rooms_free(struct api *api);
void api_get_rooms(struct api *api, const struct api_call *c, struct api_response *res);
/* The time rooms are judged at: now, or the newest count when that is more
 * than an hour away (a replay of another day). */
int64_t api_rooms_at(const struct api *api, int64_t now_ms);
void api_rooms_metrics(struct api *api, int64_t now_ms, struct api_buf *b);
/* Room r at t_ms: its count judged and its state (a steward's over the
 * sensor's). False when it has no count at all. */
bool api_room_now(struct api *api, const struct room *r, int64_t t_ms, struct room_fill *fill,
		  enum room_state *state);
/* GET /m/: the board for a phone (api_mobile.c). */
void api_get_mobile(struct api *api, const struct api_call *c, struct api_response *res);

bool api_alerts_load(struct api *api, struct feed_error *e);
void api_alerts_free(struct api *api);
void api_post_alert(struct api *api, const struct api_call *c, struct api_response *res);
void api_withdraw_alert(struct api *api, const struct api_call *c, struct api_response *res);
/* GET /v1/alerts: a page of the alerts (?before=ID&limit=N), oldest first,
 * "older" counting those before it; with an organizer's token each
 * targeted screen and when it confirmed (API_ALERTS_PAGE_SCREENS a page by
 * default), without one the counts only (API_ALERTS_PAGE), made once per
 * change. */
enum { API_ALERTS_PAGE = 200, API_ALERTS_PAGE_SCREENS = 50 };
void api_get_alerts(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_stream(struct api *api, const struct api_call *c, struct api_response *res);
enum {
	API_ALERTS_SENT_MAX = 64,          /* the kiosk keeps the 64 newest */
	API_ALERTS_SENT_BYTES = 24 * 1024, /* of a stream's event or a heartbeat's answer:
					    * well under a stream's 64 KiB backlog */
};
/* Adds the live alerts for screen to o: "alerts" [{"id","text","at"}], oldest
 * first, only the newest that fit in API_ALERTS_SENT_BYTES of JSON (at most
 * API_ALERTS_SENT_MAX), and "alerts_left_out" when some did not fit. */
void api_alerts_add(const struct api *api, const char *screen, cJSON *o);
/* The "alerts" of a heartbeat (ids on screen), checked: *ids a copy (caller
 * deletes; NULL when absent); false with why when malformed. */
bool api_alerts_read_heartbeat(const cJSON *doc, cJSON **ids, const char **why);
/* Records that screen shows alerts ids (first time only), logging how long
 * after its posting. False (e filled) when the store fails. */
bool api_alerts_confirm(struct api *api, const char *screen, const cJSON *ids, int64_t now_ms,
			struct feed_error *e);

/* ---- bundles and rollouts (api_rollouts.c) ---- */
_Static_assert(API_BUNDLE_DIR_MAX >= CONFIG_PATH_MAX + 16, "the database's path and .bundles");
size_t api_bundle_max(const struct api *api);
void api_post_bundle(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_bundles(struct api *api, const struct api_call *c, struct api_response *res);
/* NAME of /v1/bundles/NAME.tar; false for any other path. */
bool api_bundle_path(const char *path, char name[65]);
void api_get_bundle(struct api *api, const struct api_call *c, struct api_response *res);
void api_post_rollout(struct api *api, const struct api_call *c, struct api_response *res);
void api_stop_rollout(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_rollouts(struct api *api, const struct api_call *c, struct api_response *res);
/* A screen's heartbeat fields: notes the first one on a rollout's version. */
void api_rollouts_heartbeat(struct api *api, const char *screen, const cJSON *fields,
			    int64_t now_ms);
/* Adds "update" (the bundle screen should take now, or null) to o. */
void api_rollouts_answer(struct api *api, const char *screen, int64_t now_ms, cJSON *o);
const struct rollout_mark *api_rollout_mark(const struct api *api, const char *screen,
					    const char *version);
bool api_rollouts_load(struct api *api, struct feed_error *e);
void api_rollouts_free(struct api *api);

bool api_screens_load(struct api *api, struct feed_error *e);
void api_screens_free(struct api *api);
void api_post_heartbeat(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_screens(struct api *api, const struct api_call *c, struct api_response *res);
/* NAME of /v1/screens/NAME/thumbnail.png; false for any other path. */
bool api_thumbnail_path(const char *path, char name[CONFIG_NAME_MAX + 1]);
void api_get_thumbnail(struct api *api, const struct api_call *c, struct api_response *res);
size_t api_screens_seen(const struct api *api);

void api_get_health(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_metrics(struct api *api, const struct api_call *c, struct api_response *res);

bool api_sources_load(struct api *api, int64_t now_ms, struct feed_error *e);
void api_sources_free(struct api *api);
/* /v1/ingest/NAME: NAME into name. */
bool api_ingest_path(const char *path, char name[CONFIG_NAME_MAX + 1]);
void api_post_ingest(struct api *api, const struct api_call *c, struct api_response *res);
void api_get_sources(struct api *api, const struct api_call *c, struct api_response *res);
void api_sources_metrics(struct api *api, int64_t now_ms, struct api_buf *b);

#endif
