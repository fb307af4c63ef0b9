/* sensor_source: what holds for every people counter (contracts §7), pure.
 * A source is one device (or one MQTT topic filter) feeding one queue or one
 * room. Its readings (sensor_read) become contracts §1 samples: totals pass
 * as totals (a lower one is the device's restart, as §1 says), per-bin
 * counts are added up into a running total dated at each bin's end (a late
 * bin no earlier than the newest reading taken), the same reading twice
 * counts once, readings from the future are refused. It also keeps what
 * GET /v1/sources says of the source: ok, silent or failing, and why. */
#ifndef VB_SENSOR_SOURCE_H
#define VB_SENSOR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "sensor_read.h"

enum {
	SENSOR_NAME_MAX = 64,    /* bytes of a source's name (it is a sensor token's name) */
	SENSOR_TARGET_MAX = 160, /* bytes of a queue id or a room's name */
	SENSOR_TOPIC_MAX = 256,  /* bytes of an MQTT topic filter */
	SENSOR_URL_MAX = 1024,   /* bytes of a polled URL */
	SENSOR_FROM_MAX = 1100,  /* bytes of FROM as written */
	SENSOR_PATH_MAX = 1024,
	SENSOR_MAX_COUNTERS = 16,         /* source-counter lines per source */
	SENSOR_FUTURE_MS = 5 * 60 * 1000, /* a reading further ahead is refused */
	SENSOR_SILENT_MS = 3 * 60 * 1000, /* or three poll periods, if longer */
	SENSOR_MIN_PERIOD_S = 1,
	SENSOR_DEFAULT_PERIOD_S = 30,
};

enum sensor_from { SENSOR_FROM_MQTT, SENSOR_FROM_PUSH, SENSOR_FROM_POLL };
enum sensor_role { SENSOR_ROLE_ENTRY, SENSOR_ROLE_EXIT, SENSOR_ROLE_OCCUPANCY, SENSOR_ROLE_PEOPLE };

/* source-counter NAME DEVICE-COUNTER ROLE */
struct sensor_counter_map {
	char counter[SENSOR_COUNTER_MAX + 1];
	enum sensor_role role;
};

/* One `source` line of the server's configuration, with its source-counter,
 * source-login and source-field lines. */
struct sensor_source_config {
	char name[SENSOR_NAME_MAX + 1];
	enum sensor_format format;
	enum sensor_from from;
	char from_text[SENSOR_FROM_MAX + 1]; /* FROM as written: mqtt:…, push, poll:… */
	char topic[SENSOR_TOPIC_MAX + 1];    /* mqtt: the topic filter */
	char url[SENSOR_URL_MAX + 1];        /* poll */
	int period_s;                        /* poll: seconds between fetches */
	bool room;                           /* target is a room (room:), else a queue (queue:) */
	char target[SENSOR_TARGET_MAX + 1];
	struct sensor_counter_map counters[SENSOR_MAX_COUNTERS]; /* none: the format's defaults
								  * (AXIS in/out, Hikvision
								  * enter/leave: entry/exit) */
	size_t n_counters;
	struct sensor_field fields[SENSOR_MAX_FIELDS]; /* format json */
	size_t n_fields;
	char login_file[SENSOR_PATH_MAX]; /* poll: user:password; "" when none */
};

/* The role name ("entry", …) and back. */
const char *sensor_role_name(enum sensor_role r);
bool sensor_role_named(const char *name, enum sensor_role *out);

/* Checks a configured source as a whole (targets and roles agree: a room
 * takes only `people`, a queue never; json has fields; a poll has a URL …).
 * False, e naming what is wrong. */
bool sensor_source_check(const struct sensor_source_config *c, struct feed_error *e);

/* What a source has said so far (opaque; one per configured source). */
struct sensor_source_state;
struct sensor_source_state *sensor_source_state_new(int64_t now_ms);
void sensor_source_state_free(struct sensor_source_state *s);

/* Section-1 lines (each NUL-terminated, no newline), owned by the list. */
struct sensor_lines {
	size_t n, cap;
	char **line;
};
void sensor_lines_free(struct sensor_lines *l);

/* What one payload came to. */
struct sensor_take_info {
	size_t readings;    /* counter readings in it */
	size_t samples;     /* lines appended */
	size_t duplicates;  /* readings already taken (redelivery, retry, a poll's same answer) */
	size_t unmapped;    /* readings of counters no source-counter line names */
	bool first_of_kind; /* refused, and the first refusal of its kind: say it in the log */
};

/* Reads one payload (push body, MQTT message, poll answer) of source c,
 * received at now_ms (server clock, UTC ms), and appends the samples it
 * makes to out. o gives the zone and topic (its fields are c's). False when
 * it is refused: nothing appended, e naming why (for a push's 400), counted
 * in the state. */
bool sensor_source_take(const struct sensor_source_config *c, struct sensor_source_state *s,
			const char *bytes, size_t len, const struct sensor_read_opts *o,
			int64_t now_ms, struct sensor_lines *out, struct sensor_take_info *info,
			struct feed_error *e);

/* sensor_source_take after the reading: p's readings of source c (any
 * format but venueboard) into samples, as above. */
bool sensor_source_take_readings(const struct sensor_source_config *c,
				 struct sensor_source_state *s, const struct sensor_payload *p,
				 int64_t now_ms, struct sensor_lines *out,
				 struct sensor_take_info *info, struct feed_error *e);

/* A poll, a login or the broker failed (why: how, for last_error): the
 * source is failing until sensor_source_reached or a payload is taken. */
void sensor_source_failed(struct sensor_source_state *s, int64_t now_ms, const char *why);
void sensor_source_reached(struct sensor_source_state *s, int64_t now_ms);

/* GET /v1/sources' view of a source at now_ms. */
struct sensor_status {
	const char *state;         /* "ok", "silent" or "failing" */
	int64_t since_ms;          /* when it entered that state */
	int64_t last_reading_ms;   /* when the newest reading was received; SENSOR_NO_TIME */
	unsigned readings_per_min; /* readings received in the last 60 s */
	uint64_t readings, refused, duplicates;
	char last_error[FEED_ERROR_MAX]; /* "" when none */
	char unmapped[256]; /* counters seen that no source-counter names, ", "-joined */
};
void sensor_source_status(const struct sensor_source_config *c, const struct sensor_source_state *s,
			  int64_t now_ms, struct sensor_status *out);

#endif
