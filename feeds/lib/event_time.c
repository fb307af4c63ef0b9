/* event_time: one reading of frab's time fields for every frab-style format. */
#include "event_time.h"

#include <stdio.h>
#include <string.h>

static bool bad(const char **field, const char *name, struct feed_error *e, const char *what,
		const char *value)
{
	*field = name;
	if (value)
		return feed_error_set(e, "%s '%.60s'", what, value);
	return feed_error_set(e, "%s", what);
}

/* Converts with the zone, keeping civil_to_utc's reason in e. */
static bool to_utc(const struct civil *t, const struct civil_zone *zone, int64_t *out,
		   const char **field, const char *name, struct feed_error *e)
{
	if (civil_to_utc_in(t, zone, out, e))
		return true;
	*field = name;
	return false;
}

static bool resolve_start(const struct event_time_in *in, int64_t *out, const char **field,
			  struct feed_error *e)
{
	struct civil t;
	if (in->date && *in->date) {
		if (!civil_parse(in->date, strlen(in->date), &t) || !t.has_time)
			return bad(field, "date", e, "not an ISO 8601 date and time", in->date);
		return to_utc(&t, in->zone, out, field, "date", e);
	}
	if (!in->start || !*in->start)
		return bad(field, "start", e, "missing (and no date either)", NULL);
	if (!(civil_parse(in->start, strlen(in->start), &t) && t.has_time)) {
		/* a wall-clock time on the day the event is listed under */
		int clock;
		if (!civil_parse_clock(in->start, strlen(in->start), &clock))
			return bad(field, "start", e, "not a time of day (HH:MM)", in->start);
		if (!in->day)
			return bad(field, "start", e, "a time of day, but the day has no date",
				   in->start);
		t = *in->day;
		t.has_time = true;
		t.has_offset = false;
		t.hour = clock / 3600;
		t.minute = clock / 60 % 60;
		t.second = clock % 60;
		if (clock < in->day_change_s)
			civil_add_days(&t, 1); /* the day runs past midnight */
	}
	return to_utc(&t, in->zone, out, field, "start", e);
}

bool event_time_resolve(const struct event_time_in *in, int64_t *start, int64_t *end,
			const char **field, bool *no_duration, struct feed_error *e)
{
	*no_duration = false;
	if (!resolve_start(in, start, field, e))
		return false;
	struct civil t;
	if (in->end && *in->end) {
		if (!civil_parse(in->end, strlen(in->end), &t) || !t.has_time)
			return bad(field, "end", e, "not an ISO 8601 date and time", in->end);
		return to_utc(&t, in->zone, end, field, "end", e);
	}
	if (!in->duration || !*in->duration) {
		*no_duration = true;
		*end = *start;
		return true;
	}
	int64_t d;
	if (!civil_parse_duration(in->duration, strlen(in->duration), &d) || d > 7 * 86400)
		return bad(field, "duration", e, "not a duration (H:MM, HH:MM:SS or D:HH:MM)",
			   in->duration);
	*end = *start + d;
	return true;
}
