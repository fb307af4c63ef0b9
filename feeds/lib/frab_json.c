/* frab_json: schedule.json as frab, pretalx and the c3voc tools write it.
 * An event's own "date" (with offset) is trusted first; when it is missing the
 * day's date plus "start" is used, a start before the day's start hour
 * belonging to the next calendar day. */
#include "frab_json.h"

#include "civil_time.h"
#include "event_time.h"
#include "json_util.h"
#include "schedule.h"

#include <stdio.h>
#include <string.h>

struct frab_ctx {
	struct schedule *s;
	const struct civil_zone *zone; /* for wall-clock times; may be NULL */
	char path[256];                /* JSON path of the event being read, for messages */
	struct feed_error *e;
};

static bool fail(struct frab_ctx *c, const char *field, const char *what, const char *value)
{
	return feed_error_set(c->e, "%s%s%s: %s%s%s%s", c->path, field ? "." : "",
			      field ? field : "", what, value ? " '" : "", value ? value : "",
			      value ? "'" : "");
}

/* The event members read, fetched in one pass (events have ~20 members). */
enum ev_field {
	EV_ID,
	EV_GUID,
	EV_TITLE,
	EV_DATE,
	EV_START,
	EV_END,
	EV_DURATION,
	EV_ROOM,
	EV_TRACK,
	EV_TYPE,
	EV_LANGUAGE,
	EV_SUBTITLE,
	EV_STATE,
	EV_STATUS,
	EV_PERSONS,
	EV_N
};
static const char *const ev_keys[EV_N] = {"id",       "guid",     "title", "date",   "start",
					  "end",      "duration", "room",  "track",  "type",
					  "language", "subtitle", "state", "status", "persons"};

/* Reads the event's time fields; on failure names the field in the path. */
static bool event_times(struct frab_ctx *c, const cJSON *const *f, const struct civil *day,
			int day_start_s, int64_t *start, int64_t *end)
{
	struct event_time_in in = {
		.date = json_util_strv(f[EV_DATE]),
		.start = json_util_strv(f[EV_START]),
		.end = json_util_strv(f[EV_END]),
		.duration = json_util_strv(f[EV_DURATION]),
		.day = day,
		.day_change_s = day_start_s,
		.zone = c->zone,
	};
	const char *field = NULL;
	bool no_duration;
	if (!event_time_resolve(&in, start, end, &field, &no_duration, c->e)) {
		char inner[FEED_ERROR_MAX];
		snprintf(inner, sizeof(inner), "%s", c->e->msg);
		return fail(c, field, inner, NULL);
	}
	if (no_duration)
		schedule_warn(c->s, "%s: no duration, taken as 0", c->path);
	return true;
}

static bool is_cancelled_state(const char *v)
{
	return v && (strcmp(v, "cancelled") == 0 || strcmp(v, "canceled") == 0 ||
		     strcmp(v, "withdrawn") == 0 || strcmp(v, "rejected") == 0);
}

static bool read_event(struct frab_ctx *c, const cJSON *ev, const char *room_key,
		       const struct civil *day, int day_start_s)
{
	struct schedule *s = c->s;
	if (!cJSON_IsObject(ev))
		return fail(c, NULL, "an event must be a JSON object", NULL);
	const cJSON *f[EV_N];
	json_util_pick(ev, ev_keys, EV_N, f);
	char idbuf[SCHEDULE_MAX_ID + 2];
	const char *id = json_util_idv(f[EV_ID], idbuf, sizeof(idbuf));
	if (!id)
		id = json_util_idv(f[EV_GUID], idbuf, sizeof(idbuf));
	if (!id)
		return fail(c, "id", "missing (no \"guid\" either)", NULL);
	if (strlen(id) > SCHEDULE_MAX_ID)
		return fail(c, "id", "longer than 128 bytes", NULL);
	const char *title = json_util_strv(f[EV_TITLE]);
	if (!title)
		return fail(c, "title", "missing or not a string", NULL);
	int64_t start, end;
	if (!event_times(c, f, day, day_start_s, &start, &end))
		return false;
	const char *room_name = json_util_strv(f[EV_ROOM]);
	if (!room_name || !*room_name)
		room_name = room_key;
	const char *room = schedule_room(s, room_name, strlen(room_name), c->e);
	if (!room)
		return fail(c, "room", c->e->msg, NULL);

	struct session *sess = schedule_add_session(s, c->e);
	if (!sess)
		return false;
	sess->id = schedule_id(s, id, SIZE_MAX);
	sess->title = schedule_text(s, title, SIZE_MAX, SCHEDULE_MAX_TITLE);
	sess->room = room;
	sess->start = start;
	sess->end = end;
	sess->track = schedule_text(s, json_util_strv(f[EV_TRACK]), SIZE_MAX, SCHEDULE_MAX_NAME);
	sess->type = schedule_text(s, json_util_strv(f[EV_TYPE]), SIZE_MAX, SCHEDULE_MAX_NAME);
	sess->language = schedule_text(s, json_util_strv(f[EV_LANGUAGE]), SIZE_MAX, 16);
	sess->subtitle =
		schedule_text(s, json_util_strv(f[EV_SUBTITLE]), SIZE_MAX, SCHEDULE_MAX_TITLE);
	if (is_cancelled_state(json_util_strv(f[EV_STATE])) ||
	    is_cancelled_state(json_util_strv(f[EV_STATUS])))
		sess->status = SESSION_CANCELLED;
	if (!sess->id || !sess->title)
		return feed_error_set(c->e, "out of memory");
	const cJSON *p;
	cJSON_ArrayForEach(p, f[EV_PERSONS]) {
		const char *name =
			cJSON_IsString(p) ? p->valuestring : json_util_str(p, "public_name");
		if (!name)
			name = json_util_str(p, "name");
		if (!name)
			name = json_util_str(p, "full_public_name");
		if (name && !schedule_add_speaker(s, sess, name, strlen(name), c->e))
			return false;
	}
	return true;
}

static bool read_day(struct frab_ctx *c, const cJSON *day, int index)
{
	if (!cJSON_IsObject(day))
		return snprintf(c->path, sizeof(c->path), "schedule.conference.days[%d]", index),
		       fail(c, NULL, "a day must be a JSON object", NULL);
	struct civil date, ds;
	bool have_date = false;
	int day_start_s = 0;
	const char *d = json_util_str(day, "date");
	if (d && civil_parse(d, strlen(d), &date))
		have_date = true;
	const char *dstart = json_util_str(day, "day_start");
	if (dstart && civil_parse(dstart, strlen(dstart), &ds) && ds.has_time) {
		day_start_s = ds.hour * 3600 + ds.minute * 60;
		if (!have_date) {
			date = ds;
			have_date = true;
		}
	}
	if (have_date) {
		date.has_time = false;
		date.has_offset = false;
		date.hour = date.minute = date.second = 0;
	}
	const cJSON *rooms = cJSON_GetObjectItemCaseSensitive(day, "rooms");
	if (rooms && !cJSON_IsObject(rooms))
		return snprintf(c->path, sizeof(c->path), "schedule.conference.days[%d].rooms",
				index),
		       fail(c, NULL, "must be an object of room name to events", NULL);
	const cJSON *room;
	cJSON_ArrayForEach(room, rooms) {
		if (!cJSON_IsArray(room))
			return snprintf(c->path, sizeof(c->path),
					"schedule.conference.days[%d].rooms[\"%.60s\"]", index,
					room->string),
			       fail(c, NULL, "must be a list of events", NULL);
		int i = 0;
		const cJSON *ev;
		cJSON_ArrayForEach(ev, room) {
			snprintf(c->path, sizeof(c->path),
				 "schedule.conference.days[%d].rooms[\"%.60s\"][%d]", index,
				 room->string, i++);
			if (!read_event(c, ev, room->string, have_date ? &date : NULL, day_start_s))
				return false;
		}
	}
	return true;
}

/* pretalx writes time_zone_name "UTC" while every time carries another
 * offset: the zone name is then not the one attendees live in. */
static void check_zone_claim(struct frab_ctx *c, const cJSON *conf)
{
	const char *zone = json_util_str(conf, "time_zone_name");
	if (!zone || strcmp(zone, "UTC") != 0 || !c->s->timezone ||
	    strcmp(c->s->timezone, "UTC") != 0 || c->s->n_sessions == 0)
		return;
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(conf, "days");
	const cJSON *day = cJSON_GetArrayItem(days, 0);
	const char *ds = json_util_str(day, "day_start");
	struct civil t;
	if (ds && civil_parse(ds, strlen(ds), &t) && t.has_offset && t.offset_s != 0)
		schedule_warn(c->s,
			      "time_zone_name says UTC but times carry offset %+03d:%02d: "
			      "times are right, but give --timezone for the local clock",
			      t.offset_s / 3600,
			      (t.offset_s < 0 ? -t.offset_s : t.offset_s) / 60 % 60);
}

bool frab_json_parse(const char *buf, size_t len, const struct feed_options *opt,
		     struct schedule **out, struct feed_error *e)
{
	*out = NULL;
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	struct schedule *s = schedule_create();
	struct frab_ctx c = {.s = s, .e = e};
	bool ok = false;
	if (!s) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	s->format = "frab-json";
	const cJSON *sched = cJSON_GetObjectItemCaseSensitive(root, "schedule");
	const cJSON *conf = cJSON_GetObjectItemCaseSensitive(sched, "conference");
	if (!cJSON_IsObject(sched) || !cJSON_IsObject(conf)) {
		feed_error_set(e, "schedule.conference: missing; not a frab schedule.json");
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(sched, "rooms")) {
		/* frab keeps the room list in conference.rooms; a list beside it means
		 * a hand-made file that no exporter wrote, and the c3voc schema
		 * forbids it: refuse rather than guess which list is right. */
		feed_error_set(e,
			       "schedule.rooms: the room list belongs in schedule.conference.rooms "
			       "(c3voc schema); this file is not a frab schedule.json as exported");
		goto out;
	}
	const char *zone =
		opt && opt->timezone ? opt->timezone : json_util_str(conf, "time_zone_name");
	if (!schedule_set_conference(s, json_util_str(conf, "title"), zone, e))
		goto out;
	c.zone = s->zone;
	const cJSON *room;
	int ri = 0;
	cJSON_ArrayForEach(room, cJSON_GetObjectItemCaseSensitive(conf, "rooms")) {
		const char *name = json_util_str(room, "name");
		if (!name) {
			feed_error_set(e, "schedule.conference.rooms[%d].name: missing", ri);
			goto out;
		}
		const char *id = schedule_room(s, name, strlen(name), e);
		if (!id)
			goto out;
		/* pretalx and c3voc give seats (often null: nothing said) */
		const cJSON *cap = cJSON_GetObjectItemCaseSensitive(room, "capacity");
		if (cJSON_IsNumber(cap)) {
			char where[64];
			snprintf(where, sizeof(where), "schedule.conference.rooms[%d].capacity",
				 ri);
			schedule_room_capacity(s, id, cap->valuedouble, where);
		}
		ri++;
	}
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(conf, "days");
	if (!cJSON_IsArray(days)) {
		feed_error_set(e, "schedule.conference.days: missing or not a list");
		goto out;
	}
	int di = 0;
	const cJSON *day;
	cJSON_ArrayForEach(day, days) {
		if (!read_day(&c, day, di++))
			goto out;
	}
	check_zone_claim(&c, conf);
	ok = schedule_finish_into(&s, out, e);
out:
	schedule_destroy(s);
	cJSON_Delete(root);
	return ok;
}
