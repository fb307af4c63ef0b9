/* journal: venueboard-server's record of every change — a session moved,
 * given new times or cancelled, a notice, a steward's FULL, an alert, a
 * rollout — as typed entries in id order, stored in the database, undone
 * there and never removed. Each kind of change is a row (struct
 * change_kind) owned by the resource file that defines it: the checks of
 * its fields, its effect on the published schedule, its words for the
 * desk. Handlers parse a request, call journal_add or journal_undo and
 * write the reply; nothing else writes a change. */
#ifndef VB_JOURNAL_H
#define VB_JOURNAL_H

#include "feed.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct api;

enum change_effect {
	CHANGE_SESSION, /* changes one session of the published schedule */
	CHANGE_NOTICE,  /* served with the schedule, changes nothing in it */
	CHANGE_APART,   /* read by its own resource: a room's state, an alert, a rollout */
};

struct journal_kind {
	const char *name;
	enum change_effect effect;
	bool needs_schedule; /* refused (422) until a schedule is published */
	/* Only the kind's own fields of body, each checked; NULL, with *status
	 * (400 malformed, 422 impossible) and why, when it cannot be one. Used
	 * on requests and on rows read back from the database alike. */
	cJSON *(*clean)(const cJSON *body, int *status, char *why, size_t cap);
	/* When posted: checked against the server as it is now (the session,
	 * the room, the zones exist) and the server's own fields set. False,
	 * why filled, refuses it (422). NULL: nothing to check. */
	bool (*admit)(struct api *api, cJSON *fields, int64_t now_ms, char *why, size_t cap);
	/* CHANGE_SESSION: its effect on session, a node of the schedule tree;
	 * false, why filled, when it cannot apply. */
	bool (*apply)(cJSON *tree, cJSON *session, const cJSON *fields, char *why, size_t cap);
	/* Its words for the desk's list ("cancel session 7 ('Keynote')"). */
	void (*what)(const struct api *api, const cJSON *fields, char *out, size_t cap);
	/* The tail of the INFO line when posted (" Salle 1 is full"); NULL: none. */
	void (*said)(const struct api *api, const cJSON *fields, char *out, size_t cap);
};

/* The kinds, each defined by its resource file. */
extern const struct journal_kind change_move, change_cancel, change_reschedule, /* api_schedule.c */
	change_notice,                                                          /* api_schedule.c */
	change_room,                                                            /* api_rooms.c */
	change_alert,                                                           /* api_alerts.c */
	change_rollout;                                                         /* api_rollouts.c */

struct journal_entry {
	int64_t id, at_ms;
	const struct journal_kind *kind; /* NULL: a stored kind this server does not know */
	char *who;                       /* owned */
	bool undone;
	cJSON *fields; /* its clean fields (empty when bad); owned */
	char *bad;     /* owned: why a stored row is not a valid change (never applied) */
};

struct journal {
	struct journal_entry *v; /* in id order */
	size_t n, cap;
	int64_t last_id;
};

/* What an add or an undo did. */
struct journal_result {
	int status;       /* 201 added, 200 undone, else the refusal's (4xx, 500) */
	int64_t id;       /* the change added or undone */
	const char *kind; /* its kind's name */
	char why[600];    /* the refusal, for the reply */
	char said[200];   /* the INFO line's tail when added */
};

/* Reads every stored change (a row that is not a valid change is kept,
 * marked bad, and said at WARN). */
bool journal_load(struct api *api, struct feed_error *e);
void journal_free(struct journal *j);

/* The kind called name, or NULL. */
const struct journal_kind *journal_kind_named(const char *name);

/* Adds a change of kind from body: its fields checked, admitted against
 * the server as it is, its effect on the published schedule built and
 * read back, stored in one transaction, then served. False, r saying
 * why, when refused: nothing is stored or served then. */
bool journal_add(struct api *api, const struct journal_kind *kind, const cJSON *body,
		 const char *who, int64_t now_ms, struct journal_result *r);
/* Undoes change id; kind NULL: any kind (an unknown id is 422), else only
 * one of kind (an alert withdrawn, a rollout stopped: 404 otherwise). */
bool journal_undo(struct api *api, int64_t id, const struct journal_kind *kind, const char *who,
		  int64_t now_ms, struct journal_result *r);

const struct journal_entry *journal_find(const struct journal *j, int64_t id);
/* The entry after `after` (NULL: the first) of kind (NULL: any), only
 * live ones (not undone, not bad) when live; NULL after the last. */
const struct journal_entry *journal_next(const struct journal *j, const struct journal_entry *after,
					 const struct journal_kind *kind, bool live);
/* The newest live entry of kind, or NULL. */
const struct journal_entry *journal_last_live(const struct journal *j,
					      const struct journal_kind *kind);
/* The entry's time as the audit says it, to the second. */
void journal_at(const struct journal_entry *x, char out[21]);
/* The same time in milliseconds: to the second, so that what is judged
 * from it agrees with what the audit shows. */
int64_t journal_at_ms(const struct journal_entry *x);

/* The entry as GET /v1/audit lists it: its fields, "what" in words and
 * "skipped" (why) when it did not apply. NULL when out of memory. */
cJSON *journal_entry_json(const struct api *api, const struct journal_entry *x);
/* GET /v1/audit's list: the entries after change since (0: all). */
cJSON *journal_audit_json(const struct api *api, int64_t since);

/* ---- checks the kinds share ---- */

/* A string field: present, one line of UTF-8, 1..max bytes; need says
 * what is missing. NULL with why otherwise. */
const char *journal_text_field(const cJSON *body, const char *key, size_t max, const char *need,
			       char *why, size_t cap);
/* An RFC 3339 time with an offset, within what a schedule holds, as UTC
 * (z: its text). False with why and *status (400, or 422 for a time no
 * schedule can hold). */
bool journal_time_field(const cJSON *body, const char *key, int64_t *t, char z[21], int *status,
			char *why, size_t cap);
/* Optional "zones" and "screens": lists of names, copied into out. */
bool journal_targets_field(const cJSON *body, cJSON *out, char *why, size_t cap);
/* Every zone and screen fields name is in the configuration. */
bool journal_targets_known(const struct api *api, const cJSON *fields, char *why, size_t cap);

#endif
