/* sensor_xovis: Xovis PC sensors' push agents. The legacy line-count push
 * (content.element[].measurement[] bins, one value per direction label)
 * and the v5 logics, binned or live. The v5 push envelope is not publicly
 * documented: read leniently (logics or logics_data; bins under bins or
 * data, dated begin/start/from .. end/to). */
#include "json_util.h"
#include "sensor_internal.h"

#include <stdio.h>
#include <string.h>

static const cJSON *member(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* The first of keys that o has. */
static const cJSON *first_of(const cJSON *o, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (member(o, keys[i]))
			return member(o, keys[i]);
	return NULL;
}

/* One legacy bin: a delta per direction, counter "LINE/label". */
static bool read_measurement(struct sensor_ctx *c, const char *line, const cJSON *m, const char *at)
{
	char where[160], counter[2 * SENSOR_COUNTER_MAX + 2];
	int64_t from, to, v;
	snprintf(where, sizeof(where), "%s.from", at);
	if (!sensor_instant(c, member(m, "from"), where, &from))
		return false;
	snprintf(where, sizeof(where), "%s.to", at);
	if (!sensor_instant(c, member(m, "to"), where, &to))
		return false;
	const cJSON *values = member(m, "value");
	if (!cJSON_IsArray(values))
		return sensor_fail(c, "%s.value: missing or not an array", at);
	int i = 0;
	for (const cJSON *x = values->child; x; x = x->next, i++) {
		const char *label = json_util_str(x, "label");
		if (!label)
			return sensor_fail(c, "%s.value[%d].label: missing or not a string", at, i);
		snprintf(where, sizeof(where), "%s.value[%d].value", at, i);
		if (!sensor_count(c, member(x, "value"), where, &v))
			return false;
		snprintf(counter, sizeof(counter), "%s/%s", line, label);
		snprintf(where, sizeof(where), "%s.value[%d].label", at, i);
		if (!sensor_add(c, where, counter, strlen(counter), SENSOR_DELTA, v, to, from))
			return false;
	}
	return true;
}

static bool read_legacy(struct sensor_ctx *c, const cJSON *content)
{
	char at[96];
	const cJSON *elements = member(content, "element");
	if (!cJSON_IsArray(elements))
		return sensor_fail(c, "content.element: missing or not an array");
	int ei = 0;
	for (const cJSON *el = elements->child; el; el = el->next, ei++) {
		const char *line = json_util_str(el, "element-name");
		if (!line)
			return sensor_fail(c,
					   "content.element[%d].element-name: missing or not a "
					   "string",
					   ei);
		const cJSON *ms = member(el, "measurement");
		if (ms && !cJSON_IsArray(ms))
			return sensor_fail(c, "content.element[%d].measurement: not an array", ei);
		int mi = 0;
		for (const cJSON *m = ms ? ms->child : NULL; m; m = m->next, mi++) {
			snprintf(at, sizeof(at), "content.element[%d].measurement[%d]", ei, mi);
			if (!read_measurement(c, line, m, at))
				return false;
		}
	}
	return true;
}

/* A v5 logic being read: its name, its count definitions, and whether its
 * counters need the count's name too. */
struct logic {
	char name[SENSOR_COUNTER_MAX + 2];
	const cJSON *defs; /* counts[] of the logic, NULL when none */
	bool multi;
	int index;
};

/* True when a and b are the same scalar id (objects are never ids: no deep
 * comparisons on hostile input). */
static bool same_id(const cJSON *a, const cJSON *b)
{
	return a && b && (cJSON_IsNumber(a) || cJSON_IsString(a)) && cJSON_Compare(a, b, true);
}

/* A count's name: its own, else its definition's (same id) in the logic,
 * else its id. */
static const char *count_name(const struct logic *lg, const cJSON *k, char *buf, size_t cap)
{
	const char *s = json_util_str(k, "name");
	if (s)
		return s;
	const cJSON *id = member(k, "id");
	for (const cJSON *d = lg->defs ? lg->defs->child : NULL; id && d; d = d->next)
		if (same_id(member(d, "id"), id) && json_util_str(d, "name"))
			return json_util_str(d, "name");
	return json_util_idv(id, buf, cap) ? buf : "";
}

/* A count typed "state" (occupancy) is a level at the bin's end; counts are
 * otherwise accumulations over the bin. */
static bool is_state(const struct logic *lg, const cJSON *k)
{
	const char *type = json_util_str(k, "type");
	const cJSON *id = member(k, "id");
	for (const cJSON *d = lg->defs ? lg->defs->child : NULL; !type && id && d; d = d->next)
		if (same_id(member(d, "id"), id))
			type = json_util_str(d, "type");
	return type && (strcmp(type, "state") == 0 || strcmp(type, "STATE") == 0);
}

/* A logic's counter: its name alone when it has one count (a line's
 * in-count, a zone's occupancy), "logic/count" when it has several (in and
 * out of one line), so that each stays a counter of its own. */
static bool add_count(struct sensor_ctx *c, const struct logic *lg, const cJSON *k, const char *at,
		      bool binned, int64_t t, int64_t from)
{
	char where[160], idbuf[32], counter[2 * SENSOR_COUNTER_MAX + 4];
	int64_t v;
	snprintf(where, sizeof(where), "%s.value", at);
	if (!sensor_count(c, member(k, "value"), where, &v))
		return false;
	if (lg->multi)
		snprintf(counter, sizeof(counter), "%s/%s", lg->name,
			 count_name(lg, k, idbuf, sizeof(idbuf)));
	else
		snprintf(counter, sizeof(counter), "%s", lg->name);
	enum sensor_kind kind = binned && !is_state(lg, k) ? SENSOR_DELTA : SENSOR_TOTAL;
	snprintf(where, sizeof(where), "%s.name", at);
	return sensor_add(c, where, counter, strlen(counter), kind, v, t, from);
}

static bool read_counts(struct sensor_ctx *c, const struct logic *lg, const cJSON *counts,
			const char *at, bool binned, int64_t t, int64_t from)
{
	char where[128];
	if (!cJSON_IsArray(counts))
		return sensor_fail(c, "%s.counts: missing or not an array", at);
	int i = 0;
	for (const cJSON *k = counts->child; k; k = k->next, i++) {
		snprintf(where, sizeof(where), "%s.counts[%d]", at, i);
		if (!add_count(c, lg, k, where, binned, t, from))
			return false;
	}
	return true;
}

static bool read_bin(struct sensor_ctx *c, const struct logic *lg, const cJSON *bin, const char *at)
{
	static const char *const begins[] = {"begin", "start", "from"};
	static const char *const ends[] = {"end", "to"};
	char where[128];
	int64_t from, to;
	snprintf(where, sizeof(where), "%s.begin", at);
	if (!sensor_instant(c, first_of(bin, begins, 3), where, &from))
		return false;
	snprintf(where, sizeof(where), "%s.end", at);
	if (!sensor_instant(c, first_of(bin, ends, 2), where, &to))
		return false;
	return read_counts(c, lg, member(bin, "counts"), at, true, to, from);
}

static bool read_logic(struct sensor_ctx *c, struct logic *lg, const cJSON *logic, int64_t t)
{
	static const char *const bin_keys[] = {"bins", "data"};
	char at[64], idbuf[32];
	snprintf(at, sizeof(at), "logics[%d]", lg->index);
	const char *name = json_util_str(logic, "name");
	if (!name)
		name = json_util_idv(member(logic, "id"), idbuf, sizeof(idbuf));
	if (!name)
		return sensor_fail(c, "%s.name: missing, and no id", at);
	if (strlen(name) > SENSOR_COUNTER_MAX)
		return sensor_fail(c, "%s.name: a counter name longer than %d bytes", at,
				   SENSOR_COUNTER_MAX);
	snprintf(lg->name, sizeof(lg->name), "%s", name);
	const cJSON *bins = first_of(logic, bin_keys, 2);
	lg->defs = cJSON_IsArray(member(logic, "counts")) ? member(logic, "counts") : NULL;
	const cJSON *first =
		cJSON_IsArray(bins) && bins->child ? member(bins->child, "counts") : NULL;
	lg->multi = cJSON_GetArraySize(lg->defs ? lg->defs : first) > 1;
	if (!cJSON_IsArray(bins)) { /* live totals, at the logic's time or the message's */
		const cJSON *lt = member(logic, "time");
		char where[80];
		snprintf(where, sizeof(where), "%s.time", at);
		if (lt && !sensor_instant(c, lt, where, &t))
			return false;
		return read_counts(c, lg, member(logic, "counts"), at, false, t, SENSOR_NO_TIME);
	}
	int i = 0;
	for (const cJSON *b = bins->child; b; b = b->next, i++) {
		char bat[96];
		snprintf(bat, sizeof(bat), "%s.bins[%d]", at, i);
		if (!read_bin(c, lg, b, bat))
			return false;
	}
	return true;
}

static bool read_v5(struct sensor_ctx *c, const cJSON *root, const cJSON *logics)
{
	int64_t t = SENSOR_NO_TIME;
	if (member(root, "time") && !sensor_instant(c, member(root, "time"), "time", &t))
		return false;
	if (!cJSON_IsArray(logics))
		return sensor_fail(c, "logics: not an array");
	int i = 0;
	for (const cJSON *l = logics->child; l; l = l->next, i++) {
		struct logic lg = {.index = i};
		if (!read_logic(c, &lg, l, t))
			return false;
	}
	return true;
}

bool sensor_xovis_read(struct sensor_ctx *c, const cJSON *root)
{
	if (!cJSON_IsObject(root))
		return sensor_fail(c, "not a JSON object");
	const cJSON *content = member(root, "content");
	if (content)
		return read_legacy(c, content);
	const cJSON *logics = member(root, "logics");
	const cJSON *wrapped = member(root, "logics_data");
	if (!logics && cJSON_IsObject(wrapped)) { /* {"logics_data":{"time","logics"}} */
		root = wrapped;
		logics = member(root, "logics");
	} else if (!logics) {
		logics = wrapped;
	}
	if (!logics)
		return sensor_fail(c, "neither content (line counts) nor logics");
	return read_v5(c, root, logics);
}
