/* sensor_json: any JSON, read through the source's source-field lines
 * (RFC 6901 pointers). Field t dates every reading; the others are counts
 * named after their field (entry, exit, occupancy, people). */
#include "json_util.h"
#include "sensor_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Unix seconds, or milliseconds when larger than 1e12 (devices write either). */
static bool read_t(struct sensor_ctx *c, const cJSON *v, const struct sensor_field *f, int64_t *out)
{
	char where[SENSOR_POINTER_MAX + 32];
	snprintf(where, sizeof(where), "t (%s)", f->pointer);
	if (!cJSON_IsNumber(v))
		return sensor_instant(c, v, where, out);
	double d = v->valuedouble;
	if (!isfinite(d) || d < 0 || d >= 253402300800000.0)
		return sensor_fail(c, "%s: not a time in Unix seconds or milliseconds", where);
	*out = d > 1e12 ? (int64_t)d : (int64_t)llround(d * 1000.0);
	return true;
}

static size_t field_len(const struct sensor_field *f)
{
	const char *z = memchr(f->field, '\0', sizeof(f->field));
	return z ? (size_t)(z - f->field) : sizeof(f->field);
}

bool sensor_json_read(struct sensor_ctx *c, const cJSON *root)
{
	const struct sensor_read_opts *o = c->o;
	int64_t t = SENSOR_NO_TIME;
	if (o->n_fields == 0 || !o->fields)
		return sensor_fail(c, "no source-field lines to read it with");
	if (o->n_fields > SENSOR_MAX_FIELDS)
		return sensor_fail(c, "more than %d source-field lines", SENSOR_MAX_FIELDS);
	for (size_t i = 0; i < o->n_fields; i++) { /* the time first: it dates the rest */
		const struct sensor_field *f = &o->fields[i];
		if (strcmp(f->field, "t") != 0)
			continue;
		const cJSON *v = json_util_pointer(root, f->pointer);
		if (!v)
			return sensor_fail(c, "t (%s): nothing there", f->pointer);
		if (!read_t(c, v, f, &t))
			return false;
	}
	for (size_t i = 0; i < o->n_fields; i++) {
		const struct sensor_field *f = &o->fields[i];
		char where[SENSOR_POINTER_MAX + 32];
		int64_t value;
		if (strcmp(f->field, "t") == 0)
			continue;
		const cJSON *v = json_util_pointer(root, f->pointer);
		snprintf(where, sizeof(where), "%s (%s)", f->field, f->pointer);
		if (!v)
			return sensor_fail(c, "%s: nothing there", where);
		if (!sensor_count(c, v, where, &value) ||
		    !sensor_add(c, where, f->field, field_len(f),
				f->delta ? SENSOR_DELTA : SENSOR_TOTAL, value, t, SENSOR_NO_TIME))
			return false;
	}
	return true;
}
