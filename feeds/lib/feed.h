/* feed: one entry point for every schedule format — detects the format from
 * the bytes (never the file name) and hands them to its reader. */
#ifndef VB_FEED_H
#define VB_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "feed_error.h"

struct schedule;

enum feed_format {
	FEED_UNKNOWN,
	FEED_FRAB_JSON,     /* frab / c3voc / pretalx schedule.json */
	FEED_PENTABARF_XML, /* pentabarf / frab schedule.xml (FOSDEM) */
	FEED_SESSIONIZE,    /* Sessionize API v2 "All" */
	FEED_ICALENDAR,     /* RFC 5545 */
	FEED_NORMALIZED,    /* venueboard.schedule/1 (contracts §3) */
};

struct feed_options {
	/* IANA zone for wall-clock times that carry no offset, and the zone shown
	 * when the feed names none (or names one its own times contradict).
	 * NULL: use only what the feed says. Borrowed. */
	const char *timezone;
};

/* Guesses the format from the first bytes of buf. */
enum feed_format feed_detect(const char *buf, size_t len);

/* Stable lower-case name of a format ("frab-json", ...). */
const char *feed_format_name(enum feed_format f);

/* Reads buf[0..len) in whatever supported format it is into *out (caller
 * owns; free with schedule_destroy). On failure returns false, *out is NULL
 * and e names the place. */
bool feed_parse(const char *buf, size_t len, const struct feed_options *opt, struct schedule **out,
		struct feed_error *e);

#endif
