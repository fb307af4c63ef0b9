/* sensor_read: the format table, the dispatch, and what the readers share
 * (sensor_internal.h). Each format's reader lives in its own file. */
#include "sensor_read.h"

#include "civil_time.h"
#include "json_util.h"
#include "sensor_internal.h"
#include "text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[SENSOR_N_FORMATS] = {
	[SENSOR_IRISYS] = "irisys",
	[SENSOR_XOVIS] = "xovis",
	[SENSOR_AXIS_PEOPLE_COUNTER] = "axis-people-counter",
	[SENSOR_AXIS_OBJECT_ANALYTICS] = "axis-object-analytics",
	[SENSOR_HIKVISION] = "hikvision",
	[SENSOR_JSON] = "json",
	[SENSOR_VENUEBOARD] = "venueboard",
};

/* The JSON formats' readers, by format. */
static bool (*const json_readers[SENSOR_N_FORMATS])(struct sensor_ctx *, const cJSON *) = {
	[SENSOR_IRISYS] = sensor_irisys_read,
	[SENSOR_XOVIS] = sensor_xovis_read,
	[SENSOR_AXIS_PEOPLE_COUNTER] = sensor_axis_pc_read,
	[SENSOR_AXIS_OBJECT_ANALYTICS] = sensor_axis_oa_read,
	[SENSOR_JSON] = sensor_json_read,
};

bool sensor_format_named(const char *name, enum sensor_format *out)
{
	for (int i = 0; name && i < SENSOR_N_FORMATS; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum sensor_format)i;
			return true;
		}
	}
	return false;
}

const char *sensor_format_name(enum sensor_format f)
{
	return (unsigned)f < SENSOR_N_FORMATS ? format_names[f] : "unknown";
}

bool sensor_fail(struct sensor_ctx *c, const char *fmt, ...)
{
	char msg[FEED_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return feed_error_set(c->e, "%s: %s", c->fmt, msg);
}

bool sensor_add(struct sensor_ctx *c, const char *where, const char *counter, size_t n,
		enum sensor_kind kind, int64_t value, int64_t t_ms, int64_t from_ms)
{
	if (c->out->n >= SENSOR_MAX_READINGS)
		return sensor_fail(c, "more than %d readings in one payload", SENSOR_MAX_READINGS);
	if (n == 0)
		return sensor_fail(c, "%s: an empty counter name", where);
	if (n > SENSOR_COUNTER_MAX)
		return sensor_fail(c, "%s: a counter name longer than %d bytes", where,
				   SENSOR_COUNTER_MAX);
	/* counter names reach logs, metric labels and the configuration's lines */
	if (!text_is_one_line(counter, n) || memchr(counter, '\0', n))
		return sensor_fail(c, "%s: not UTF-8 text without control characters", where);
	struct sensor_reading *r = &c->out->r[c->out->n++];
	memcpy(r->counter, counter, n);
	r->counter[n] = '\0';
	r->kind = kind;
	r->value = value;
	r->t_ms = t_ms;
	r->from_ms = from_ms;
	return true;
}

bool sensor_count_text(struct sensor_ctx *c, const char *s, size_t len, const char *where,
		       int64_t *out)
{
	while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
			   s[len - 1] == '\r'))
		len--;
	if (len > 0 && *s == '-')
		return sensor_fail(c, "%s: negative", where);
	int64_t v = 0;
	size_t i = 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		if ((v = v * 10 + (s[i] - '0')) > SENSOR_VALUE_MAX)
			return sensor_fail(c, "%s: larger than %d", where, SENSOR_VALUE_MAX);
	if (i == 0 || i < len)
		return sensor_fail(c, "%s: not a number", where);
	*out = v;
	return true;
}

bool sensor_count(struct sensor_ctx *c, const cJSON *v, const char *where, int64_t *out)
{
	if (cJSON_IsString(v))
		return sensor_count_text(c, v->valuestring, strlen(v->valuestring), where, out);
	if (!cJSON_IsNumber(v))
		return sensor_fail(c, "%s: %s", where, v ? "not a number" : "missing");
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d))
		return sensor_fail(c, "%s: not a whole number", where);
	if (d < 0)
		return sensor_fail(c, "%s: negative", where);
	if (d > SENSOR_VALUE_MAX)
		return sensor_fail(c, "%s: larger than %d", where, SENSOR_VALUE_MAX);
	*out = (int64_t)d;
	return true;
}

/* Unix ms from 1970 to 9999: anything else is not a device's clock. */
static bool ms_in_range(double d)
{
	return isfinite(d) && d == floor(d) && d >= 0 && d < 253402300800000.0;
}

bool sensor_instant(struct sensor_ctx *c, const cJSON *v, const char *where, int64_t *out_ms)
{
	double d = 0;
	if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
	} else if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		size_t len = strlen(s);
		if (civil_parse_instant_ms(s, len, out_ms))
			return true;
		char *end = NULL;
		if (len == 0 || len > 16 || s[0] < '0' || s[0] > '9' ||
		    (d = strtod(s, &end), *end != '\0'))
			return sensor_fail(c,
					   "%s: '%.40s' is neither an RFC 3339 time with an "
					   "offset nor Unix milliseconds",
					   where, s);
	} else {
		return sensor_fail(c, "%s: %s", where, v ? "not a time" : "missing");
	}
	if (!ms_in_range(d))
		return sensor_fail(c, "%s: %.0f is not a time in Unix milliseconds", where, d);
	*out_ms = (int64_t)d;
	return true;
}

/* Milliseconds of a fraction of a second written after the first '.'. */
static int64_t fraction_ms(const char *s, size_t len)
{
	const char *dot = memchr(s, '.', len);
	int64_t ms = 0;
	int digits = 0;
	for (const char *p = dot ? dot + 1 : s + len;
	     p < s + len && *p >= '0' && *p <= '9' && digits < 3; p++, digits++)
		ms = ms * 10 + (*p - '0');
	for (; dot && digits < 3; digits++)
		ms *= 10;
	return ms;
}

bool sensor_local_time(struct sensor_ctx *c, const char *s, size_t len, const char *where,
		       int64_t *out_ms)
{
	struct civil cv;
	int64_t secs;
	struct feed_error why;
	if (!civil_parse(s, len, &cv) || !cv.has_time)
		return sensor_fail(c, "%s: '%.*s' is not a date and time", where,
				   (int)(len < 40 ? len : 40), s);
	if (!cv.has_offset && !c->o->zone) { /* no zone configured: the device's clock is UTC */
		cv.has_offset = true;
		cv.offset_s = 0;
	}
	if (!civil_to_utc_in(&cv, c->o->zone, &secs, &why))
		return sensor_fail(c, "%s: %s", where, why.msg);
	*out_ms = secs * 1000 + fraction_ms(s, len);
	return true;
}

static bool read_json(struct sensor_ctx *c, enum sensor_format f, const char *bytes, size_t len)
{
	struct feed_error why;
	if (json_util_has_nul(bytes, len))
		return sensor_fail(c, "a string holds a NUL character (\\u0000)");
	cJSON *root = json_util_parse(bytes, len, &why);
	if (!root)
		return sensor_fail(c, "%s", why.msg);
	bool ok = json_readers[f](c, root);
	cJSON_Delete(root);
	return ok;
}

bool sensor_read(enum sensor_format f, const char *bytes, size_t len,
		 const struct sensor_read_opts *o, struct sensor_payload *out, struct feed_error *e)
{
	static const struct sensor_read_opts none = {0};
	struct sensor_ctx c = {
		.fmt = sensor_format_name(f), .o = o ? o : &none, .out = out, .e = e};
	out->n = 0;
	if ((unsigned)f >= SENSOR_N_FORMATS || f == SENSOR_VENUEBOARD)
		return sensor_fail(&c, "not a format sensor_read reads");
	if (len > SENSOR_MAX_PAYLOAD)
		return sensor_fail(&c, "payload larger than %d bytes", SENSOR_MAX_PAYLOAD);
	bool ok = f == SENSOR_HIKVISION ? sensor_hikvision_read(&c, bytes, len)
					: read_json(&c, f, bytes, len);
	if (!ok)
		out->n = 0; /* a payload that does not read yields nothing */
	return ok;
}
