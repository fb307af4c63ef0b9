/* normalized_json: contracts section 3 — the schedule as venueboard writes
 * it, and reading it back (so every tool's output is also an input). */
#include "normalized_json.h"

#include "civil_time.h"
#include "json_util.h"
#include "schedule.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char format_tag[] = "venueboard.schedule/1";

static bool add_str_or_null(cJSON *obj, const char *key, const char *v)
{
	return (v ? cJSON_AddStringToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)) != NULL;
}

static bool add_time(cJSON *obj, const char *key, int64_t t)
{
	char buf[21];
	civil_format_utc(t, buf);
	return cJSON_AddStringToObject(obj, key, buf) != NULL;
}

static cJSON *session_json(const struct session *x)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddStringToObject(o, "id", x->id) &&
		  cJSON_AddStringToObject(o, "title", x->title) &&
		  add_str_or_null(o, "room", x->room) && add_time(o, "start", x->start) &&
		  add_time(o, "end", x->end) && add_str_or_null(o, "track", x->track);
	cJSON *sp = ok ? cJSON_AddArrayToObject(o, "speakers") : NULL;
	for (size_t i = 0; sp && i < x->n_speakers; i++) {
		cJSON *name = cJSON_CreateString(x->speakers[i]);
		if (!name || !cJSON_AddItemToArray(sp, name)) {
			cJSON_Delete(name);
			sp = NULL;
		}
	}
	ok = sp && cJSON_AddStringToObject(
			   o, "status", x->status == SESSION_CANCELLED ? "cancelled" : "scheduled");
	/* Optional fields (contracts allow additions): only when known. */
	if (ok && x->type)
		ok = cJSON_AddStringToObject(o, "type", x->type) != NULL;
	if (ok && x->language)
		ok = cJSON_AddStringToObject(o, "language", x->language) != NULL;
	if (ok && x->subtitle && *x->subtitle)
		ok = cJSON_AddStringToObject(o, "subtitle", x->subtitle) != NULL;
	if (ok && x->amended)
		ok = cJSON_AddTrueToObject(o, "amended") != NULL;
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

char *normalized_json_write(const struct schedule *s)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *conf = NULL, *rooms = NULL, *sessions = NULL;
	char *text = NULL;
	if (!root || !cJSON_AddStringToObject(root, "format", format_tag))
		goto out;
	conf = cJSON_AddObjectToObject(root, "conference");
	if (!conf || !add_str_or_null(conf, "title", s->title) ||
	    !add_str_or_null(conf, "timezone", s->timezone))
		goto out;
	if (s->format && !cJSON_AddStringToObject(conf, "source_format", s->format))
		goto out;
	rooms = cJSON_AddArrayToObject(root, "rooms");
	for (size_t i = 0; rooms && i < s->n_rooms; i++) {
		cJSON *r = cJSON_CreateObject();
		if (!r || !cJSON_AddItemToArray(rooms, r) ||
		    !cJSON_AddStringToObject(r, "id", s->rooms[i].id) ||
		    !cJSON_AddStringToObject(r, "name", s->rooms[i].name) ||
		    (s->rooms[i].capacity > 0 &&
		     !cJSON_AddNumberToObject(r, "capacity", s->rooms[i].capacity)))
			goto out;
	}
	sessions = rooms ? cJSON_AddArrayToObject(root, "sessions") : NULL;
	if (!sessions)
		goto out;
	for (size_t i = 0; i < s->n_sessions; i++) {
		cJSON *o = session_json(&s->sessions[i]);
		if (!o || !cJSON_AddItemToArray(sessions, o)) {
			cJSON_Delete(o);
			goto out;
		}
	}
	text = cJSON_Print(root);
out:
	cJSON_Delete(root);
	return text;
}

static bool read_time(const cJSON *o, const char *key, int i, int64_t *out, struct feed_error *e)
{
	const char *v = json_util_str(o, key);
	struct civil t;
	if (!v)
		return feed_error_set(e, "sessions[%d].%s: missing", i, key);
	if (!civil_parse(v, strlen(v), &t) || !t.has_time || !t.has_offset)
		return feed_error_set(e,
				      "sessions[%d].%s: '%.40s' is not an RFC 3339 time with an "
				      "offset",
				      i, key, v);
	return civil_to_utc(&t, NULL, out, e);
}

/* Room ids of the file map to names; the builder derives its own ids again. */
static const char *room_for(struct schedule *s, const cJSON *rooms, const char *id, int i,
			    struct feed_error *e)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, rooms) {
		const char *rid = json_util_str(r, "id");
		if (rid && strcmp(rid, id) == 0) {
			const char *name = json_util_str(r, "name");
			if (!name)
				name = rid;
			return schedule_room(s, name, strlen(name), e);
		}
	}
	feed_error_set(e, "sessions[%d].room: '%.60s' is not in the rooms list", i, id);
	return NULL;
}

static bool read_session(struct schedule *s, const cJSON *o, const cJSON *rooms, int i,
			 struct feed_error *e)
{
	if (!cJSON_IsObject(o))
		return feed_error_set(e, "sessions[%d]: must be an object", i);
	char idbuf[SCHEDULE_MAX_ID_OUT + 2];
	const char *id = json_util_id(o, "id", idbuf, sizeof(idbuf));
	const char *title = json_util_str(o, "title");
	if (!id || strlen(id) > SCHEDULE_MAX_ID_OUT)
		return feed_error_set(e, "sessions[%d].id: missing or longer than %d bytes", i,
				      SCHEDULE_MAX_ID_OUT);
	if (!title)
		return feed_error_set(e, "sessions[%d].title: missing", i);
	int64_t start, end;
	if (!read_time(o, "start", i, &start, e) || !read_time(o, "end", i, &end, e))
		return false;
	const char *room_id = json_util_str(o, "room");
	const char *room = room_id ? room_for(s, rooms, room_id, i, e) : NULL;
	if (room_id && !room)
		return false;
	const char *status = json_util_str(o, "status");
	if (status && strcmp(status, "scheduled") != 0 && strcmp(status, "cancelled") != 0)
		return feed_error_set(e,
				      "sessions[%d].status: '%.20s' is neither scheduled nor "
				      "cancelled",
				      i, status);
	struct session *x = schedule_add_session(s, e);
	if (!x)
		return false;
	x->id = schedule_id(s, id, SIZE_MAX);
	x->title = schedule_text(s, title, SIZE_MAX, SCHEDULE_MAX_TITLE);
	x->room = room;
	x->start = start;
	x->end = end;
	x->track = schedule_text(s, json_util_str(o, "track"), SIZE_MAX, SCHEDULE_MAX_NAME);
	x->type = schedule_text(s, json_util_str(o, "type"), SIZE_MAX, SCHEDULE_MAX_NAME);
	x->language = schedule_text(s, json_util_str(o, "language"), SIZE_MAX, 16);
	x->subtitle = schedule_text(s, json_util_str(o, "subtitle"), SIZE_MAX, SCHEDULE_MAX_TITLE);
	x->status =
		status && strcmp(status, "cancelled") == 0 ? SESSION_CANCELLED : SESSION_SCHEDULED;
	x->amended = json_util_true(o, "amended");
	if (!x->id || !x->title)
		return feed_error_set(e, "out of memory");
	const cJSON *sp;
	cJSON_ArrayForEach(sp, cJSON_GetObjectItemCaseSensitive(o, "speakers")) {
		if (cJSON_IsString(sp) &&
		    !schedule_add_speaker(s, x, sp->valuestring, strlen(sp->valuestring), e))
			return false;
	}
	return true;
}

bool normalized_json_parse(const char *buf, size_t len, const struct feed_options *opt,
			   struct schedule **out, struct feed_error *e)
{
	*out = NULL;
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	struct schedule *s = schedule_create();
	bool ok = false;
	const char *fmt = json_util_str(root, "format");
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(root, "conference");
	const cJSON *rooms = cJSON_GetObjectItemCaseSensitive(root, "rooms");
	const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(root, "sessions");
	if (!s) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	s->format = "venueboard";
	if (!fmt || strcmp(fmt, format_tag) != 0) {
		feed_error_set(e, "format: expected \"%s\"", format_tag);
		goto out;
	}
	if (!cJSON_IsArray(sessions) || (rooms && !cJSON_IsArray(rooms))) {
		feed_error_set(e, "sessions: missing or not a list");
		goto out;
	}
	const char *zone = opt && opt->timezone ? opt->timezone : json_util_str(conf, "timezone");
	if (!schedule_set_conference(s, json_util_str(conf, "title"), zone, e))
		goto out;
	const cJSON *r;
	int ri = 0;
	cJSON_ArrayForEach(r, rooms) {
		const char *name = json_util_str(r, "name");
		const char *id = name ? schedule_room(s, name, strlen(name), e) : NULL;
		if (name && !id)
			goto out;
		const cJSON *cap = cJSON_GetObjectItemCaseSensitive(r, "capacity");
		if (id && cJSON_IsNumber(cap)) {
			char where[48];
			snprintf(where, sizeof(where), "rooms[%d].capacity", ri);
			schedule_room_capacity(s, id, cap->valuedouble, where);
		}
		ri++;
	}
	int i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, sessions) {
		if (!read_session(s, o, rooms, i++, e))
			goto out;
	}
	ok = schedule_finish_into(&s, out, e);
out:
	schedule_destroy(s);
	cJSON_Delete(root);
	return ok;
}
