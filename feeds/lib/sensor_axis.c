/* sensor_axis: the two AXIS formats. People Counter's live-sum.json
 * ({"serial","name","timestamp","in","out"}, totals since the last reset,
 * the camera's local time without an offset) and Object Analytics' MQTT
 * events (crossline totals per class, occupancy in area), humans only. */
#include "json_util.h"
#include "sensor_internal.h"

#include <stdio.h>
#include <string.h>

/* "YYYYMMDDhhmmss" in the camera's zone (opts->zone). */
static bool read_timestamp(struct sensor_ctx *c, const char *s, int64_t *t)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			len = 0;
	if (len != 14)
		return sensor_fail(c, "timestamp: '%.40s' is not YYYYMMDDhhmmss", s);
	char basic[16]; /* civil_parse's basic form wants the T */
	memcpy(basic, s, 8);
	basic[8] = 'T';
	memcpy(basic + 9, s + 8, 6);
	return sensor_local_time(c, basic, 15, "timestamp", t);
}

bool sensor_axis_pc_read(struct sensor_ctx *c, const cJSON *root)
{
	int64_t in, out, t = SENSOR_NO_TIME;
	if (!cJSON_IsObject(root))
		return sensor_fail(c, "not a JSON object");
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (ts && !cJSON_IsString(ts))
		return sensor_fail(c, "timestamp: not a string");
	if (ts && !read_timestamp(c, ts->valuestring, &t))
		return false;
	if (!sensor_count(c, cJSON_GetObjectItemCaseSensitive(root, "in"), "in", &in) ||
	    !sensor_count(c, cJSON_GetObjectItemCaseSensitive(root, "out"), "out", &out))
		return false;
	return sensor_add(c, "in", "in", 2, SENSOR_TOTAL, in, t, SENSOR_NO_TIME) &&
	       sensor_add(c, "out", "out", 3, SENSOR_TOTAL, out, t, SENSOR_NO_TIME);
}

/* The topic's last level ("…/Device1Scenario1"): the scenario's slot, for
 * an event whose data does not name its scenario. */
static const char *last_level(const char *topic, size_t *n)
{
	const char *slash = topic ? strrchr(topic, '/') : NULL;
	const char *s = slash ? slash + 1 : topic;
	*n = s ? strlen(s) : 0;
	return s;
}

static bool scenario_name(struct sensor_ctx *c, const cJSON *root, const cJSON *data,
			  const char **name, size_t *n)
{
	const char *s = json_util_str(data, "scenario");
	if (s && *s) {
		*name = s;
		*n = strlen(s);
		return true;
	}
	*name = last_level(json_util_str(root, "topic"), n);
	if (!*n)
		*name = last_level(c->o->topic, n);
	if (!*n)
		return sensor_fail(c, "message.data.scenario: missing, and no topic to name it");
	return true;
}

bool sensor_axis_oa_read(struct sensor_ctx *c, const cJSON *root)
{
	if (!cJSON_IsObject(root))
		return sensor_fail(c, "not a JSON object");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(msg, "data");
	if (!cJSON_IsObject(data))
		return sensor_fail(c, "message.data: missing or not an object");
	/* humans only: total adds vehicles and every other class */
	const char *key = "message.data.totalHuman";
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, "totalHuman");
	if (!v) {
		key = "message.data.human";
		v = cJSON_GetObjectItemCaseSensitive(data, "human");
	}
	if (!v)
		return true; /* a motion event (only "active"), or no human class */
	int64_t value, t = SENSOR_NO_TIME;
	const char *name;
	size_t n;
	const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
	if (!sensor_count(c, v, key, &value) || (ts && !sensor_instant(c, ts, "timestamp", &t)) ||
	    !scenario_name(c, root, data, &name, &n))
		return false;
	return sensor_add(c, "message.data.scenario", name, n, SENSOR_TOTAL, value, t,
			  SENSOR_NO_TIME);
}
