/* json_util: cJSON helpers the JSON readers share — parsing with a line and
 * column on error, and lenient field access (ids as numbers or strings). */
#ifndef VB_JSON_UTIL_H
#define VB_JSON_UTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "feed_error.h"

/* Parses buf[0..len) (a UTF-8 BOM is skipped); on failure fills e with
 * "line L, column C: ..." and returns NULL. Caller owns the tree (cJSON_Delete). */
cJSON *json_util_parse(const char *buf, size_t len, struct feed_error *e);

/* The string value of obj[key]; NULL when absent, null or not a string. */
const char *json_util_str(const cJSON *obj, const char *key);

/* obj[key] as text whether the feed wrote a string or an integer (ids):
 * fills out (cap bytes) and returns it, or NULL when absent or another type. */
const char *json_util_id(const cJSON *obj, const char *key, char *out, size_t cap);

/* Finds several members of obj in one pass over it: vals[i] is the member
 * named keys[i], NULL when absent (first match wins). Cheaper than one
 * lookup per key on objects with many members. */
void json_util_pick(const cJSON *obj, const char *const *keys, size_t n, const cJSON **vals);

/* v's string value; NULL when v is NULL or not a string. */
const char *json_util_strv(const cJSON *v);

/* v as id text (string, or integer number), as json_util_id. */
const char *json_util_idv(const cJSON *v, char *out, size_t cap);

/* True when buf[0..len) writes a NUL character (\u0000) inside a string:
 * cJSON would end the string there, silently shortening it. */
bool json_util_has_nul(const char *buf, size_t len);

/* True when obj[key] is true (a boolean true or the string "true"). */
bool json_util_true(const cJSON *obj, const char *key);

/* The value the RFC 6901 pointer ptr ("/counts/0/value"; "~1" is "/",
 * "~0" is "~"; "" is root itself) names in root; NULL when it names nothing
 * or is malformed. Borrowed from root. */
const cJSON *json_util_pointer(const cJSON *root, const char *ptr);

#endif
