/* sensor_irisys: Irisys Vector 4D over MQTT — the live counts topic
 * ({"counts":[{"name","count"}]}, register totals without a time), the older
 * Counts topic (an array of {"register","value","t"} events, value a
 * change) and the Status topic ({"status":…}, no counts). */
#include "json_util.h"
#include "sensor_internal.h"

#include <stdio.h>
#include <string.h>

static bool read_live(struct sensor_ctx *c, const cJSON *counts)
{
	char where[64];
	int i = 0;
	for (const cJSON *r = counts->child; r; r = r->next, i++) {
		int64_t v;
		const char *name = json_util_str(r, "name");
		snprintf(where, sizeof(where), "counts[%d].name", i);
		if (!name)
			return sensor_fail(c, "%s: missing or not a string", where);
		snprintf(where, sizeof(where), "counts[%d].count", i);
		if (!sensor_count(c, cJSON_GetObjectItemCaseSensitive(r, "count"), where, &v))
			return false;
		snprintf(where, sizeof(where), "counts[%d].name", i);
		if (!sensor_add(c, where, name, strlen(name), SENSOR_TOTAL, v, SENSOR_NO_TIME,
				SENSOR_NO_TIME))
			return false;
	}
	return true;
}

/* One Counts event: a register's change, dated (t is "+0000", no colon). */
static bool read_event(struct sensor_ctx *c, const cJSON *ev, int i)
{
	char where[48];
	int64_t v, t = SENSOR_NO_TIME;
	if (!cJSON_IsObject(ev))
		return sensor_fail(c, "[%d]: not an object", i);
	const char *reg = json_util_str(ev, "register");
	if (!reg)
		return sensor_fail(c, "[%d].register: missing or not a string", i);
	snprintf(where, sizeof(where), "[%d].value", i);
	if (!sensor_count(c, cJSON_GetObjectItemCaseSensitive(ev, "value"), where, &v))
		return false;
	const cJSON *tv = cJSON_GetObjectItemCaseSensitive(ev, "t");
	snprintf(where, sizeof(where), "[%d].t", i);
	if (tv && !sensor_instant(c, tv, where, &t))
		return false;
	snprintf(where, sizeof(where), "[%d].register", i);
	return sensor_add(c, where, reg, strlen(reg), SENSOR_DELTA, v, t, SENSOR_NO_TIME);
}

bool sensor_irisys_read(struct sensor_ctx *c, const cJSON *root)
{
	if (cJSON_IsArray(root)) { /* Counts topic; [] when nothing happened */
		int i = 0;
		for (const cJSON *ev = root->child; ev; ev = ev->next, i++)
			if (!read_event(c, ev, i))
				return false;
		return true;
	}
	if (!cJSON_IsObject(root))
		return sensor_fail(c, "neither an object (live counts) nor an array (Counts)");
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(root, "counts");
	if (cJSON_IsArray(counts))
		return read_live(c, counts);
	if (counts)
		return sensor_fail(c, "counts: not an array");
	if (cJSON_GetObjectItemCaseSensitive(root, "CountLogs"))
		return sensor_fail(c,
				   "CountLogs (Vector HTTP POST logs) are not read: whether their "
				   "values are totals or counts per log entry is not documented");
	if (json_util_str(root, "status"))
		return true; /* connected / disconnected: says nothing of people */
	return sensor_fail(c, "no counts array (live counts) and no status");
}
