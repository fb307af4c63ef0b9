/* queue_sample: one line of the lunch-line sensor feed (contracts section 1),
 * read strictly enough that a broken sensor cannot poison the estimate. */
#ifndef VB_QUEUE_SAMPLE_H
#define VB_QUEUE_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"

enum {
	QUEUE_ID_MAX = 64,    /* bytes, queue and sensor ids */
	QUEUE_NAME_MAX = 160, /* bytes, display names */
	QUEUE_LINE_MAX = 4096 /* bytes, one JSON line */
};

enum sample_type { SAMPLE_QUEUE, SAMPLE_COUNT, SAMPLE_OCCUPANCY, SAMPLE_STATIONS, SAMPLE_ROOM };
enum sample_role { ROLE_ENTRY, ROLE_EXIT };

struct queue_sample {
	enum sample_type type;
	char queue[QUEUE_ID_MAX + 1];  /* "" for a room */
	char sensor[QUEUE_ID_MAX + 1]; /* count, occupancy and room */
	int64_t t_ms;                  /* sample time, UTC ms (not for queue) */
	/* queue */
	char name[QUEUE_NAME_MAX + 1], venue[QUEUE_NAME_MAX + 1];
	int stations;     /* queue: open serving points; stations: open now */
	double service_s; /* queue: nominal seconds per person at one station */
	/* count */
	enum sample_role role;
	int64_t total;
	/* occupancy and room */
	int people;
	/* room: people present in a session room, as the schedule names it */
	char room[QUEUE_NAME_MAX + 1];
	int capacity; /* seats the sensor reports, 0 when it says nothing */
};

enum sample_parse { SAMPLE_OK, SAMPLE_SKIP, SAMPLE_INVALID };

/* Reads one JSON line into out. SAMPLE_SKIP for an unknown "type" (e names
 * it, for a warning); SAMPLE_INVALID with e naming the field otherwise. */
enum sample_parse queue_sample_parse(const char *line, size_t len, struct queue_sample *out,
				     struct feed_error *e);

/* Writes s as one JSON line (no newline) into buf (cap bytes); returns the
 * length, or 0 when it does not fit. */
size_t queue_sample_format(const struct queue_sample *s, char *buf, size_t cap);

#endif
