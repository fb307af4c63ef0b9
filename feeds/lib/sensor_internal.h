/* sensor_internal: what the readers of sensor_read share — the payload
 * being filled, errors that name the format first, lenient numbers (some
 * firmwares write them as strings) and device times. Not a public header. */
#ifndef VB_SENSOR_INTERNAL_H
#define VB_SENSOR_INTERNAL_H

#include "sensor_read.h"

#include <cjson/cJSON.h>

enum { SENSOR_VALUE_MAX = 1000000000 }; /* a larger count is a broken device */

/* One read in progress: borrowed options, payload and error. */
struct sensor_ctx {
	const char *fmt; /* the format's name, first word of every error */
	const struct sensor_read_opts *o;
	struct sensor_payload *out;
	struct feed_error *e;
};

/* Fills e with "<format>: <message>" and returns false. */
bool sensor_fail(struct sensor_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a reading; counter (n bytes, not NUL-terminated) must be one line
 * of text of 1..SENSOR_COUNTER_MAX bytes. where names it in errors. */
bool sensor_add(struct sensor_ctx *c, const char *where, const char *counter, size_t n,
		enum sensor_kind kind, int64_t value, int64_t t_ms, int64_t from_ms);

/* v as a count: a whole number (or the text of one) in 0..SENSOR_VALUE_MAX. */
bool sensor_count(struct sensor_ctx *c, const cJSON *v, const char *where, int64_t *out);

/* s[0..len) as digits only (no sign, no fraction) in 0..SENSOR_VALUE_MAX;
 * where names it in errors. */
bool sensor_count_text(struct sensor_ctx *c, const char *s, size_t len, const char *where,
		       int64_t *out);

/* v as an instant: RFC 3339 text with an offset, or a number of Unix ms
 * (as text too). */
bool sensor_instant(struct sensor_ctx *c, const cJSON *v, const char *where, int64_t *out_ms);

/* s[0..len) as a date-time, with an offset or else in c->o->zone (NULL:
 * UTC), to UTC ms (fraction kept to the ms). */
bool sensor_local_time(struct sensor_ctx *c, const char *s, size_t len, const char *where,
		       int64_t *out_ms);

/* The readers, one per format (JSON ones get the parsed root). */
bool sensor_irisys_read(struct sensor_ctx *c, const cJSON *root);
bool sensor_xovis_read(struct sensor_ctx *c, const cJSON *root);
bool sensor_axis_pc_read(struct sensor_ctx *c, const cJSON *root);
bool sensor_axis_oa_read(struct sensor_ctx *c, const cJSON *root);
bool sensor_json_read(struct sensor_ctx *c, const cJSON *root);
bool sensor_hikvision_read(struct sensor_ctx *c, const char *bytes, size_t len);

#endif
