/* sessionize_json: reads Sessionize API v2 "All" JSON. */
#ifndef VB_SESSIONIZE_JSON_H
#define VB_SESSIONIZE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"

/* Reads buf[0..len) into *out (caller owns; schedule_destroy). Lenient with
 * what real exporters write; fails, naming the line or field, on what cannot
 * be read. On failure *out is NULL. */
bool sessionize_json_parse(const char *buf, size_t len, const struct feed_options *opt,
			   struct schedule **out, struct feed_error *e);

#endif
