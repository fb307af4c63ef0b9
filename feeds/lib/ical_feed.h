/* ical_feed: reads iCalendar (RFC 5545) schedules (libical). */
#ifndef VB_ICAL_FEED_H
#define VB_ICAL_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"

/* Reads buf[0..len) into *out (caller owns; schedule_destroy). Lenient with
 * what real exporters write; fails, naming the line or field, on what cannot
 * be read. On failure *out is NULL. */
bool ical_feed_parse(const char *buf, size_t len, const struct feed_options *opt,
		     struct schedule **out, struct feed_error *e);

#endif
