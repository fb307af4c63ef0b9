/* event_time: when a session starts and ends, from the fields frab-style
 * feeds (JSON and XML alike) give: a full date-time, or a day's date plus a
 * wall-clock start; an end, or a duration. */
#ifndef VB_EVENT_TIME_H
#define VB_EVENT_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "civil_time.h"
#include "feed_error.h"

struct event_time_in {
	const char *date;        /* full date-time, may be NULL */
	const char *start;       /* wall-clock "HH:MM" (or a full date-time), may be NULL */
	const char *end;         /* full date-time, may be NULL; wins over duration */
	const char *duration;    /* may be NULL: the session then lasts 0 s */
	const struct civil *day; /* the conference day the event is listed under, may be NULL */
	int day_change_s;        /* a start clock earlier than this is on the next calendar day */
	const struct civil_zone *zone; /* for wall-clock times, may be NULL */
};

/* Fills *start and *end (UTC seconds). On failure names the field that could
 * not be read in field (e.g. "duration") and the reason in e. Sets
 * *no_duration when neither end nor duration was given. */
bool event_time_resolve(const struct event_time_in *in, int64_t *start, int64_t *end,
			const char **field, bool *no_duration, struct feed_error *e);

#endif
