/* normalized_json: reads venueboard's own normalized schedule, contracts section 3. */
#ifndef VB_NORMALIZED_JSON_H
#define VB_NORMALIZED_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "feed.h"

/* Reads buf[0..len) into *out (caller owns; schedule_destroy). Lenient with
 * what real exporters write; fails, naming the line or field, on what cannot
 * be read. On failure *out is NULL. */
bool normalized_json_parse(const char *buf, size_t len, const struct feed_options *opt,
			   struct schedule **out, struct feed_error *e);

struct schedule_changes;

/* Writes s as contracts section 3 JSON. Returns a NUL-terminated string the
 * caller frees with free(), NULL on OOM. */
char *normalized_json_write(const struct schedule *s);

#endif
