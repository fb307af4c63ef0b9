/* api_rooms: the session rooms — how full each is (the counting cameras'
 * room samples against the room's seats, judged by room_fill), a steward's
 * hand-set FULL or open (a change of kind "room": audited, undoable, and
 * over when the session it was set in ends), GET /v1/rooms and the fill
 * gauges of /metrics. */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "schedule.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROOMS_SEEN_MAX = SCHEDULE_MAX_ROOMS }; /* rooms with a count kept */
static const int64_t ROOM_REPLAY_GAP_MS = 3600 * 1000LL;
static const int64_t MARK_DEFAULT_MS = 2 * 3600 * 1000LL; /* a mark with no session to end it */

/* ---- the kind of change: a steward's FULL, or open again ------------------------ */

static cJSON *clean_room(const cJSON *body, int *status, char *why, size_t cap)
{
	*status = 400;
	const char *room = journal_text_field(body, "room", SCHEDULE_MAX_NAME,
					      "the name of the room is missing", why, cap);
	enum room_state rs;
	if (!room)
		return NULL;
	if (!room_state_parse(json_util_str(body, "state"), &rs) || rs == ROOM_FILLING) {
		snprintf(why, cap, "state: \"full\" or \"open\"");
		return NULL;
	}
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "kind", "room");
	cJSON_AddStringToObject(out, "room", room);
	cJSON_AddStringToObject(out, "state", room_state_name(rs));
	/* from: when it was set by the rooms' clock (the server sets it; read
	 * back from the database as stored) */
	int64_t from;
	char z[21];
	if (!cJSON_GetObjectItemCaseSensitive(body, "from"))
		return out;
	if (!journal_time_field(body, "from", &from, z, status, why, cap)) {
		cJSON_Delete(out);
		return NULL;
	}
	cJSON_AddStringToObject(out, "from", z);
	return out;
}

/* The room is the published schedule's; set from the rooms' clock. */
static bool admit_room(struct api *api, cJSON *fields, int64_t now_ms, char *why, size_t cap)
{
	const char *room = json_util_str(fields, "room");
	const struct schedule *s = served_model(api);
	if (!s || !schedule_room_named(s, room)) {
		snprintf(why, cap, "room: no room '%.80s' in the published schedule", room);
		return false;
	}
	char from[21];
	civil_format_utc(api_rooms_at(api, now_ms) / 1000, from);
	cJSON_DeleteItemFromObjectCaseSensitive(fields, "from");
	cJSON_AddStringToObject(fields, "from", from);
	return true;
}

static void what_room(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	(void)api;
	snprintf(out, cap, "%.100s marked %s", json_util_str(fields, "room"),
		 strcmp(json_util_str(fields, "state"), "full") == 0 ? "FULL" : "open again");
}

static void said_room(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	(void)api;
	snprintf(out, cap, " %.80s is %s", json_util_str(fields, "room"),
		 json_util_str(fields, "state"));
}

const struct journal_kind change_room = {"room",     CHANGE_APART, true,      clean_room,
					 admit_room, NULL,         what_room, said_room};

/* ---- counts -------------------------------------------------------------------------- */

static struct room_seen *seen_find(struct rooms_state *rs, const char *key)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].key, key) == 0)
			return &rs->v[i];
	return NULL;
}

void api_rooms_take(struct api *api, const struct queue_sample *s)
{
	struct rooms_state *rs = &api->rooms;
	char key[sizeof(rs->v[0].key)];
	text_fold_key(s->room, key, sizeof(key));
	struct room_seen *r = seen_find(rs, key);
	if (!r) {
		if (rs->n == ROOMS_SEEN_MAX)
			return; /* the schedule cannot have more rooms than this */
		if (rs->n == rs->cap) {
			size_t cap = rs->cap ? rs->cap * 2 : 16;
			struct room_seen *v = realloc(rs->v, cap * sizeof(*v));
			if (!v)
				return;
			rs->v = v;
			rs->cap = cap;
		}
		r = &rs->v[rs->n++];
		memset(r, 0, sizeof(*r));
		memcpy(r->key, key, sizeof(key));
		memcpy(r->name, s->room, sizeof(r->name));
		if (served_model(api) && !schedule_room_named(served_model(api), s->room))
			api_logf(api, "WARN",
				 "room counts from %s for '%s': no such room in the "
				 "schedule (rooms are named as the schedule names them)",
				 s->sensor, s->room);
	}
	if (r->count.have && s->t_ms <= r->count.t_ms)
		return; /* late: the newer count stands */
	r->count = (struct room_count){true, s->people, s->capacity, s->t_ms};
	memcpy(r->sensor, s->sensor, sizeof(r->sensor));
	if (s->t_ms > rs->newest_ms)
		rs->newest_ms = s->t_ms;
}

void api_rooms_free(struct api *api)
{
	free(api->rooms.v);
	memset(&api->rooms, 0, sizeof(api->rooms));
}

int64_t api_rooms_at(const struct api *api, int64_t now_ms)
{
	int64_t newest = api->rooms.newest_ms;
	if (newest && llabs(now_ms - newest) > ROOM_REPLAY_GAP_MS)
		return newest; /* a replay of another day: judged as of its last count */
	return now_ms;
}

/* The session in room (by id) at t, else the next one to start there that
 * day (the one people are coming for); NULL when none. */
static const struct session *session_at(const struct schedule *s, const char *room_id, int64_t t_s)
{
	const struct session *next = NULL;
	for (size_t i = 0; s && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		if (!x->room || strcmp(x->room, room_id) != 0 || x->status == SESSION_CANCELLED)
			continue;
		if (x->start <= t_s && t_s < x->end)
			return x;
		if (x->start > t_s && x->start - t_s < 12 * 3600 &&
		    (!next || x->start < next->start))
			next = x;
	}
	return next;
}

/* The steward's state of room r in force at t (the newest live mark for it
 * whose session has not ended), or NULL; *until_ms when it ends. */
static const struct journal_entry *mark_in_force(const struct api *api, const struct room *r,
						 int64_t t_ms, int64_t *until_ms)
{
	const struct schedule *s = served_model(api);
	const struct journal_entry *x = NULL, *hit = NULL;
	while ((x = journal_next(&api->journal, x, &change_room, true))) {
		const struct room *mr = schedule_room_named(s, json_util_str(x->fields, "room"));
		int64_t at_ms = journal_at_ms(x);
		const char *at = json_util_str(x->fields, "from"); /* the rooms' clock then */
		if (mr != r || (at && !civil_parse_instant_ms(at, strlen(at), &at_ms)) ||
		    at_ms > t_ms)
			continue;
		const struct session *during = session_at(s, r->id, at_ms / 1000);
		int64_t until = during ? during->end * 1000 : at_ms + MARK_DEFAULT_MS;
		if (t_ms < until) { /* audit order: a later mark wins */
			hit = x;
			*until_ms = until;
		}
	}
	return hit;
}

/* Room r at t: its count judged, a steward's mark over it, and when the
 * state it is in began (as this server saw it). */
struct room_now {
	const struct room_seen *seen; /* NULL: never counted */
	struct room_fill fill;
	enum room_state state;
	const struct journal_entry *mark;
	int64_t mark_until_ms, since_ms;
};

static void judge(struct api *api, const struct room *r, int64_t t_ms, struct room_now *out)
{
	char key[sizeof(api->rooms.v[0].key)];
	text_fold_key(r->name, key, sizeof(key));
	struct room_seen *seen = seen_find(&api->rooms, key);
	if (!seen) {
		text_fold_key(r->id, key, sizeof(key));
		seen = seen_find(&api->rooms, key);
	}
	static const struct room_count none = {0};
	memset(out, 0, sizeof(*out));
	out->seen = seen;
	room_fill_judge(seen ? &seen->count : &none, r->capacity, t_ms, &out->fill);
	out->state = out->fill.state;
	out->mark = mark_in_force(api, r, t_ms, &out->mark_until_ms);
	if (out->mark)
		room_state_parse(json_util_str(out->mark->fields, "state"), &out->state);
	if (seen) { /* since: when this server first saw the state */
		if (!seen->judged || seen->state != out->state)
			seen->state = out->state, seen->since_ms = t_ms, seen->judged = true;
		out->since_ms = seen->since_ms;
	}
	if (out->fill.usable || !seen || seen->warned || !*out->fill.why ||
	    strncmp(out->fill.why, "count refused", 13) != 0)
		return;
	seen->warned = true;
	api_logf(api, "WARN", "room %s: %s (%d people counted by %s, %d seats)", r->name,
		 out->fill.why, seen->count.people, seen->sensor, out->fill.capacity);
}

static void add_time(cJSON *o, const char *key, int64_t t_ms)
{
	char t[21];
	civil_format_utc(t_ms / 1000, t);
	cJSON_AddStringToObject(o, key, t);
}

static cJSON *room_json(struct api *api, const struct room *r, int64_t t_ms)
{
	struct room_now n;
	judge(api, r, t_ms, &n);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "room", r->name);
	cJSON_AddStringToObject(o, "id", r->id);
	if (n.fill.usable)
		cJSON_AddNumberToObject(o, "people", n.fill.people);
	else
		cJSON_AddNullToObject(o, "people");
	if (n.fill.capacity > 0)
		cJSON_AddNumberToObject(o, "capacity", n.fill.capacity);
	else
		cJSON_AddNullToObject(o, "capacity");
	if (n.fill.fill >= 0)
		cJSON_AddNumberToObject(o, "fill", (double)(int)(n.fill.fill * 100 + 0.5) / 100);
	else
		cJSON_AddNullToObject(o, "fill");
	cJSON_AddStringToObject(o, "state", room_state_name(n.state));
	cJSON_AddStringToObject(o, "source",
				n.mark          ? "steward"
				: n.fill.usable ? "sensor"
						: "none");
	if (n.since_ms)
		add_time(o, "since", n.since_ms);
	if (n.seen)
		add_time(o, "counted_at", n.seen->count.t_ms);
	if (*n.fill.why)
		cJSON_AddStringToObject(o, "why", n.fill.why);
	if (n.mark) {
		cJSON *m = cJSON_AddObjectToObject(o, "mark");
		cJSON_AddNumberToObject(m, "change", (double)n.mark->id);
		char at[21];
		journal_at(n.mark, at);
		cJSON_AddStringToObject(m, "by", n.mark->who);
		cJSON_AddStringToObject(m, "at", at);
		add_time(m, "until", n.mark_until_ms);
	}
	const struct session *x = session_at(served_model(api), r->id, t_ms / 1000);
	if (x) {
		cJSON *sj = cJSON_AddObjectToObject(o, "session");
		cJSON_AddStringToObject(sj, "id", x->id);
		cJSON_AddStringToObject(sj, "title", x->title);
		add_time(sj, "start", x->start * 1000);
		add_time(sj, "end", x->end * 1000);
	} else {
		cJSON_AddNullToObject(o, "session");
	}
	return o;
}

void api_get_rooms(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct schedule *s = served_model(api);
	if (!s) {
		api_fail(res, 404, "no schedule has been published yet");
		return;
	}
	int64_t t = api_rooms_at(api, req->now_ms);
	cJSON *root = cJSON_CreateObject();
	add_time(root, "t", t);
	cJSON *list = cJSON_AddArrayToObject(root, "rooms");
	for (size_t i = 0; i < s->n_rooms; i++)
		cJSON_AddItemToArray(list, room_json(api, &s->rooms[i], t));
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	if (res->status != 200)
		return;
	api_etag(res->body, res->body_len, res->etag); /* api_handle answers If-None-Match */
	res->cache_control = "no-cache";
}

bool api_room_now(struct api *api, const struct room *r, int64_t t_ms, struct room_fill *fill,
		  enum room_state *state)
{
	struct room_now n;
	judge(api, r, t_ms, &n);
	*fill = n.fill;
	*state = n.state;
	return n.seen != NULL || n.mark != NULL;
}

void api_rooms_metrics(struct api *api, int64_t now_ms, struct api_buf *b)
{
	const struct schedule *s = served_model(api);
	int64_t t = api_rooms_at(api, now_ms);
	struct room_now *n = s && s->n_rooms ? calloc(s->n_rooms, sizeof(*n)) : NULL;
	for (size_t i = 0; n && i < s->n_rooms; i++)
		judge(api, &s->rooms[i], t, &n[i]);
	api_buf_printf(b, "# TYPE venueboard_room_fill gauge\n");
	for (size_t i = 0; n && i < s->n_rooms; i++)
		if (n[i].fill.fill >= 0)
			api_put_gauge(b, "venueboard_room_fill", "room", s->rooms[i].name,
				      n[i].fill.fill);
	api_buf_printf(b, "# TYPE venueboard_room_full gauge\n");
	for (size_t i = 0; n && i < s->n_rooms; i++)
		api_put_gauge(b, "venueboard_room_full", "room", s->rooms[i].name,
			      n[i].state == ROOM_FULL);
	free(n);
}
