/* fleet_state: what venueboard-server tells one screen — its name and its
 * zones, the alerts it must show, the update it should take, the
 * schedule's version — read alike from the stream's state events and the
 * heartbeat's answers (they share one shape), with caps on everything; and
 * the screen's own record of it, kept on disk in that same shape. Pure. */
#ifndef VB_FLEET_STATE_H
#define VB_FLEET_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

enum {
	FLEET_MAX_BODY = 512 * 1024, /* bytes of one answer or event */
	FLEET_MAX_ALERTS = 64,       /* kept, the newest; older ones past it are dropped */
	FLEET_MAX_LISTED = 4096,     /* alerts in one message: more is no server's */
	FLEET_ALERT_MAX = 1024,      /* bytes of an alert's text (the server takes 280) */
	FLEET_NAME_MAX = 64,         /* a screen's name */
	FLEET_MAX_ZONES = 64,
	FLEET_ZONE_MAX = 40,
	FLEET_URL_MAX = 1024,
	FLEET_VERSION_MAX = 64,
	FLEET_ETAG_MAX = 128,
};

struct fleet_alert {
	int64_t id;
	int64_t at_ms; /* when it was posted, 0 when the server did not say */
	char text[FLEET_ALERT_MAX + 1];
};

/* Who this screen is for the server; screen "" until it has said. */
struct fleet_identity {
	char screen[FLEET_NAME_MAX + 1];
	char zones[FLEET_MAX_ZONES][FLEET_ZONE_MAX + 1];
	size_t n_zones;
};

/* The bundle to take (a heartbeat's answer's "update"). */
struct fleet_update {
	char version[FLEET_VERSION_MAX + 1];
	char url[FLEET_URL_MAX + 1]; /* as the server wrote it: a path, or absolute */
	int64_t size;
	char sha256[65];
};

/* One message; each part is there only when the message carried it (the
 * stream's events name the screen without its zones). */
struct fleet_msg {
	bool has_identity, has_zones;
	struct fleet_identity who;
	bool has_alerts;
	struct fleet_alert alerts[FLEET_MAX_ALERTS]; /* newest first */
	size_t n_alerts, dropped;
	bool has_update, update; /* update false: "update": null, none to take */
	struct fleet_update up;
	bool has_schedule;
	int64_t schedule_version; /* -1 when null */
	char schedule_etag[FLEET_ETAG_MAX + 1];
};

/* Reads a state event's data or a heartbeat's answer into out (large:
 * the caller's memory). False with e naming the field when it does not
 * read; out is then unspecified. */
bool fleet_msg_read(const char *buf, size_t len, struct fleet_msg *out, struct feed_error *e);

/* The identity and the alerts on screen as one JSON object of the same
 * shape, to keep across restarts (fleet_msg_read reads it back). Caller
 * frees; NULL when out of memory. */
char *fleet_state_json(const struct fleet_identity *who, const struct fleet_alert *alerts,
		       size_t n_alerts);

/* True when a and b list the same alerts (ids and texts) in the same order. */
bool fleet_alerts_same(const struct fleet_alert *a, size_t na, const struct fleet_alert *b,
		       size_t nb);

/* Adds to list (newest first, *n of at most FLEET_MAX_ALERTS) the alerts of
 * add[n_add] it does not hold yet (by id: nothing twice), each where its
 * time puts it (the oldest drop off a full list), except the ids in
 * skip[n_skip] (withdrawn lately: an answer may be older than the
 * withdrawal). For an answer that may be older than what the stream said:
 * it adds, it never withdraws. Returns how many were added. */
size_t fleet_alerts_merge(struct fleet_alert *list, size_t *n, const struct fleet_alert *add,
			  size_t n_add, const int64_t *skip, size_t n_skip);

/* True when two identities are the same. */
bool fleet_identity_same(const struct fleet_identity *a, const struct fleet_identity *b);

#endif
