/* frab_json: reads frab / c3voc schedule.json, pretalx's export included. */
#ifndef VB_FRAB_JSON_H
#define VB_FRAB_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"

/* Reads buf[0..len) into *out (caller owns; schedule_destroy). Lenient with
 * what exporters write (ids as strings, missing optional fields, days past
 * midnight); fails, naming the JSON path, on what cannot be read. */
bool frab_json_parse(const char *buf, size_t len, const struct feed_options *opt,
		     struct schedule **out, struct feed_error *e);

#endif
