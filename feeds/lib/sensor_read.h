/* sensor_read: what a people counter says, read as its maker sends it
 * (contracts §7, ../shared/context/sensors.md). One pure reader per format:
 * bytes in, the device's counter readings (or a named error) out. Turning
 * readings into samples (roles, resets, the same reading twice) is
 * sensor_source's job, the same for every format. */
#ifndef VB_SENSOR_READ_H
#define VB_SENSOR_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

struct civil_zone;

enum sensor_format {
	SENSOR_IRISYS, /* Irisys Vector 4D over MQTT: live counts (totals) or Counts events */
	SENSOR_XOVIS,  /* Xovis push: legacy line counts, v5 logics (bins) */
	SENSOR_AXIS_PEOPLE_COUNTER,   /* AXIS People Counter live-sum.json (totals, local time) */
	SENSOR_AXIS_OBJECT_ANALYTICS, /* AOA crossline totals / occupancy over MQTT (humans) */
	SENSOR_HIKVISION,             /* Hikvision ISAPI counting XML (enter, leave) */
	SENSOR_JSON,                  /* any JSON, fields named by source-field pointers */
	SENSOR_VENUEBOARD,            /* contracts §1 lines as posted (not read here) */
	SENSOR_N_FORMATS
};

enum {
	SENSOR_MAX_PAYLOAD = 1 << 20, /* bytes of one message, push or poll answer */
	SENSOR_MAX_READINGS = 512,    /* readings one payload may carry */
	SENSOR_COUNTER_MAX = 96,      /* bytes of a device's counter name */
	SENSOR_MAX_FIELDS = 8,        /* source-field lines per json source */
	SENSOR_POINTER_MAX = 256,     /* bytes of an RFC 6901 pointer */
};
#define SENSOR_NO_TIME INT64_MIN /* a reading without a device time */

enum sensor_kind {
	SENSOR_TOTAL, /* the counter's value now: a total since its last reset, or a level */
	SENSOR_DELTA, /* people counted during the bin [from_ms, t_ms] (or since the last message) */
};

struct sensor_reading {
	char counter[SENSOR_COUNTER_MAX + 1]; /* the device's name for it (contracts §7,
					       * DEVICE-COUNTER): an Irisys register, Xovis
					       * "LINE/fw" or a logic's name, an AOA scenario,
					       * "in"/"out", "enter"/"leave"; json: the FIELD */
	enum sensor_kind kind;
	int64_t value;   /* >= 0 */
	int64_t t_ms;    /* device time (a bin's end), UTC ms; SENSOR_NO_TIME when none */
	int64_t from_ms; /* a bin's start, UTC ms; SENSOR_NO_TIME when none */
};

/* format json: one source-field line. */
struct sensor_field {
	char field[16];                       /* t, entry, exit, occupancy or people */
	char pointer[SENSOR_POINTER_MAX + 1]; /* RFC 6901 */
	bool delta;                           /* counts since the last message, not totals */
};

struct sensor_read_opts {
	const struct civil_zone *zone;     /* device times without an offset (AXIS, Hikvision);
					* NULL: UTC */
	const char *topic;                 /* the MQTT topic it came on, or NULL */
	const struct sensor_field *fields; /* format json */
	size_t n_fields;
};

struct sensor_payload {
	size_t n;
	struct sensor_reading r[SENSOR_MAX_READINGS];
};

/* The format called name ("irisys", "axis-people-counter", …). */
bool sensor_format_named(const char *name, enum sensor_format *out);
const char *sensor_format_name(enum sensor_format f);

/* Reads bytes[0..len) (not NUL-terminated; len <= SENSOR_MAX_PAYLOAD) as
 * format f into out. False, e naming the field or element that is wrong
 * ("xovis: content.element[2].measurement[0].value[1].value: not a number"),
 * on anything that does not read; a payload that reads but carries no
 * counts (Irisys' empty Counts array, an AOA motion event) is true with
 * out->n == 0. Never for SENSOR_VENUEBOARD (false). */
bool sensor_read(enum sensor_format f, const char *bytes, size_t len,
		 const struct sensor_read_opts *o, struct sensor_payload *out,
		 struct feed_error *e);

#endif
