/* queue_sample: contracts section 1, both ways. */
#include "queue_sample.h"

#include "civil_time.h"
#include "json_util.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Copies obj[key] (a non-empty string of at most cap bytes) into out. */
static bool read_id(const cJSON *obj, const char *key, char *out, size_t cap, struct feed_error *e)
{
	const char *v = json_util_str(obj, key);
	if (!v || !*v)
		return feed_error_set(e, "%s: missing or not a string", key);
	if (strlen(v) > cap)
		return feed_error_set(e, "%s: longer than %zu bytes", key, cap);
	/* ids reach logs, metric labels and URLs */
	if (!text_is_one_line(v, strlen(v)))
		return feed_error_set(e, "%s: not UTF-8 text without control characters", key);
	memcpy(out, v, strlen(v) + 1);
	return true;
}

/* Copies obj[key] (optional display text) into out, cut at a character so
 * that it fits cap bytes; fallback when absent. */
static bool read_name(const cJSON *obj, const char *key, const char *fallback, char *out,
		      size_t cap, struct feed_error *e)
{
	const char *v = json_util_str(obj, key);
	if (!v)
		v = fallback;
	size_t n = strlen(v);
	if (!text_is_one_line(v, n))
		return feed_error_set(e, "%s: not UTF-8 text without control characters", key);
	if (n >= cap)
		for (n = cap - 1; n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80; n--)
			;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

static bool read_t(const cJSON *obj, int64_t *out, struct feed_error *e)
{
	const char *v = json_util_str(obj, "t");
	if (!v)
		return feed_error_set(e, "t: missing or not a string");
	if (!civil_parse_instant_ms(v, strlen(v), out))
		return feed_error_set(e, "t: '%.40s' is not an RFC 3339 time with an offset", v);
	return true;
}

/* obj[key] as a whole number in [lo, hi]. */
static bool read_int(const cJSON *obj, const char *key, int64_t lo, int64_t hi, int64_t *out,
		     struct feed_error *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		return feed_error_set(e, "%s: missing or not a number", key);
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi)
		return feed_error_set(e, "%s: %g is not a whole number from %lld to %lld", key, d,
				      (long long)lo, (long long)hi);
	*out = (int64_t)d;
	return true;
}

/* A room's head count: it names a room, not a queue. */
static bool read_room(const cJSON *o, struct queue_sample *out, struct feed_error *e)
{
	int64_t v = 0;
	const char *room = json_util_str(o, "room");
	if (!room || !*room || strlen(room) > QUEUE_NAME_MAX)
		return feed_error_set(e, "room: missing, or longer than %d bytes", QUEUE_NAME_MAX);
	if (!read_name(o, "room", "", out->room, sizeof(out->room), e) ||
	    !read_id(o, "sensor", out->sensor, QUEUE_ID_MAX, e) || !read_t(o, &out->t_ms, e) ||
	    !read_int(o, "people", 0, 100000, &v, e))
		return false;
	out->people = (int)v;
	if (cJSON_GetObjectItemCaseSensitive(o, "capacity")) {
		if (!read_int(o, "capacity", 1, 100000, &v, e))
			return false;
		out->capacity = (int)v;
	}
	return true;
}

/* A queue's description: its names, stations and service time. */
static bool read_queue(const cJSON *o, struct queue_sample *out, struct feed_error *e)
{
	int64_t v = 0;
	if (!read_name(o, "name", out->queue, out->name, sizeof(out->name), e) ||
	    !read_name(o, "venue", "", out->venue, sizeof(out->venue), e) ||
	    !read_int(o, "stations", 0, 1000, &v, e))
		return false;
	out->stations = (int)v;
	const cJSON *svc = cJSON_GetObjectItemCaseSensitive(o, "service_s");
	if (!cJSON_IsNumber(svc) || !isfinite(svc->valuedouble) || svc->valuedouble <= 0 ||
	    svc->valuedouble > 3600)
		return feed_error_set(e,
				      "service_s: missing or not a number of seconds in (0, 3600]");
	out->service_s = svc->valuedouble;
	return true;
}

/* A door counter's running total, at the line's entry or its exit. */
static bool read_count(const cJSON *o, struct queue_sample *out, struct feed_error *e)
{
	const char *role = json_util_str(o, "role");
	if (!read_id(o, "sensor", out->sensor, QUEUE_ID_MAX, e) || !read_t(o, &out->t_ms, e) ||
	    !read_int(o, "total", 0, (int64_t)1 << 40, &out->total, e))
		return false;
	if (!role || (strcmp(role, "entry") != 0 && strcmp(role, "exit") != 0))
		return feed_error_set(e, "role: must be \"entry\" or \"exit\"");
	out->role = role[1] == 'n' ? ROLE_ENTRY : ROLE_EXIT;
	return true;
}

/* A camera's head count of the line. */
static bool read_occupancy(const cJSON *o, struct queue_sample *out, struct feed_error *e)
{
	int64_t v = 0;
	if (!read_id(o, "sensor", out->sensor, QUEUE_ID_MAX, e) || !read_t(o, &out->t_ms, e) ||
	    !read_int(o, "people", 0, 100000, &v, e))
		return false;
	out->people = (int)v;
	return true;
}

/* How many stations serve the line from t on. */
static bool read_stations(const cJSON *o, struct queue_sample *out, struct feed_error *e)
{
	int64_t v = 0;
	if (!read_t(o, &out->t_ms, e) || !read_int(o, "open", 0, 1000, &v, e))
		return false;
	out->stations = (int)v;
	return true;
}

/* One row per "type": its fields' reader, and whether it belongs to a queue
 * (then "queue" is read first, also for a type we do not know). */
static const struct sample_kind {
	const char *name;
	enum sample_type type;
	bool per_queue;
	bool (*read)(const cJSON *o, struct queue_sample *out, struct feed_error *e);
} sample_kinds[] = {
	{"room", SAMPLE_ROOM, false, read_room},
	{"queue", SAMPLE_QUEUE, true, read_queue},
	{"count", SAMPLE_COUNT, true, read_count},
	{"occupancy", SAMPLE_OCCUPANCY, true, read_occupancy},
	{"stations", SAMPLE_STATIONS, true, read_stations},
};

static const struct sample_kind *find_kind(const char *type)
{
	for (size_t i = 0; i < sizeof(sample_kinds) / sizeof(sample_kinds[0]); i++)
		if (strcmp(type, sample_kinds[i].name) == 0)
			return &sample_kinds[i];
	return NULL;
}

/* Only white space (or NULs) may follow the object: one sample per line. */
static bool rest_is_blank(const char *p, const char *end)
{
	for (; p && p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n' && *p != '\0')
			return false;
	return true;
}

enum sample_parse queue_sample_parse(const char *line, size_t len, struct queue_sample *out,
				     struct feed_error *e)
{
	memset(out, 0, sizeof(*out));
	if (len > QUEUE_LINE_MAX)
		return feed_error_set(e, "line longer than %d bytes", QUEUE_LINE_MAX),
		       SAMPLE_INVALID;
	if (json_util_has_nul(line, len))
		return feed_error_set(e, "a string holds a NUL character (\\u0000)"),
		       SAMPLE_INVALID;
	const char *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(line, len, &end, false);
	enum sample_parse rc = SAMPLE_INVALID;
	if (!cJSON_IsObject(o)) {
		feed_error_set(e, "not a JSON object");
		goto out;
	}
	if (!rest_is_blank(end, line + len)) {
		feed_error_set(e, "more after the JSON object (one sample per line)");
		goto out;
	}
	const char *type = json_util_str(o, "type");
	if (!type) {
		feed_error_set(e, "type: missing or not a string");
		goto out;
	}
	const struct sample_kind *kind = find_kind(type);
	if ((!kind || kind->per_queue) && !read_id(o, "queue", out->queue, QUEUE_ID_MAX, e))
		goto out;
	if (!kind) {
		feed_error_set(e, "type: unknown type '%.40s' skipped", type);
		rc = SAMPLE_SKIP;
		goto out;
	}
	out->type = kind->type;
	if (kind->read(o, out, e))
		rc = SAMPLE_OK;
out:
	cJSON_Delete(o);
	return rc;
}

/* JSON string escaping for ids and names (quotes, backslashes, controls). */
static size_t put_str(char *buf, size_t cap, size_t o, const char *s)
{
	if (o < cap)
		buf[o] = '"';
	o++;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[8];
		size_t n;
		if (c == '"' || c == '\\') {
			tmp[0] = '\\', tmp[1] = (char)c, n = 2;
		} else if (c < 0x20) {
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", c);
		} else {
			tmp[0] = (char)c, n = 1;
		}
		for (size_t i = 0; i < n; i++, o++)
			if (o < cap)
				buf[o] = tmp[i];
	}
	if (o < cap)
		buf[o] = '"';
	return o + 1;
}

static size_t put_raw(char *buf, size_t cap, size_t o, const char *s)
{
	for (; *s; s++, o++)
		if (o < cap)
			buf[o] = *s;
	return o;
}

static size_t put_time(char *buf, size_t cap, size_t o, int64_t t_ms)
{
	char t[21], full[32];
	int64_t s = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
	civil_format_utc(s, t);
	int ms = (int)(t_ms - s * 1000);
	if (ms) { /* "…:SS.mmmZ" */
		t[19] = '\0';
		snprintf(full, sizeof(full), "%s.%03dZ", t, ms);
	} else {
		snprintf(full, sizeof(full), "%s", t);
	}
	return put_str(buf, cap, o, full);
}

size_t queue_sample_format(const struct queue_sample *s, char *buf, size_t cap)
{
	char num[48];
	size_t o = 0;
	static const char *const types[] = {"queue", "count", "occupancy", "stations", "room"};
	o = put_raw(buf, cap, o, "{\"type\":\"");
	o = put_raw(buf, cap, o, types[s->type]);
	if (s->type == SAMPLE_ROOM) {
		o = put_raw(buf, cap, o, "\",\"room\":");
		o = put_str(buf, cap, o, s->room);
	} else {
		o = put_raw(buf, cap, o, "\",\"queue\":");
		o = put_str(buf, cap, o, s->queue);
	}
	switch (s->type) {
	case SAMPLE_QUEUE:
		o = put_raw(buf, cap, o, ",\"name\":");
		o = put_str(buf, cap, o, s->name);
		o = put_raw(buf, cap, o, ",\"venue\":");
		o = put_str(buf, cap, o, s->venue);
		snprintf(num, sizeof(num), ",\"stations\":%d,\"service_s\":%g", s->stations,
			 s->service_s);
		o = put_raw(buf, cap, o, num);
		break;
	case SAMPLE_COUNT:
		o = put_raw(buf, cap, o, ",\"sensor\":");
		o = put_str(buf, cap, o, s->sensor);
		o = put_raw(buf, cap, o,
			    s->role == ROLE_ENTRY ? ",\"role\":\"entry\",\"t\":"
						  : ",\"role\":\"exit\",\"t\":");
		o = put_time(buf, cap, o, s->t_ms);
		snprintf(num, sizeof(num), ",\"total\":%lld", (long long)s->total);
		o = put_raw(buf, cap, o, num);
		break;
	case SAMPLE_OCCUPANCY:
		o = put_raw(buf, cap, o, ",\"sensor\":");
		o = put_str(buf, cap, o, s->sensor);
		o = put_raw(buf, cap, o, ",\"t\":");
		o = put_time(buf, cap, o, s->t_ms);
		snprintf(num, sizeof(num), ",\"people\":%d", s->people);
		o = put_raw(buf, cap, o, num);
		break;
	case SAMPLE_STATIONS:
		o = put_raw(buf, cap, o, ",\"t\":");
		o = put_time(buf, cap, o, s->t_ms);
		snprintf(num, sizeof(num), ",\"open\":%d", s->stations);
		o = put_raw(buf, cap, o, num);
		break;
	case SAMPLE_ROOM:
		o = put_raw(buf, cap, o, ",\"sensor\":");
		o = put_str(buf, cap, o, s->sensor);
		o = put_raw(buf, cap, o, ",\"t\":");
		o = put_time(buf, cap, o, s->t_ms);
		snprintf(num, sizeof(num), ",\"people\":%d", s->people);
		o = put_raw(buf, cap, o, num);
		if (s->capacity > 0) {
			snprintf(num, sizeof(num), ",\"capacity\":%d", s->capacity);
			o = put_raw(buf, cap, o, num);
		}
		break;
	}
	o = put_raw(buf, cap, o, "}");
	if (o >= cap)
		return 0;
	buf[o] = '\0';
	return o;
}
