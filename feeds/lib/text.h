/* text: UTF-8 chores every feed needs: byte-order marks, broken bytes,
 * whitespace, length caps, and accent-folded keys for matching names. */
#ifndef VB_TEXT_H
#define VB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Advances buf and len past a UTF-8 byte-order mark, if any. */
void text_skip_bom(const char **buf, size_t *len);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_utf8_valid(const char *s, size_t len);

/* True when s[0..len) is well-formed UTF-8 holding no control character
 * (C0, DEL or C1): text that may go into a log line or one line on a screen
 * as it is. */
bool text_is_one_line(const char *s, size_t len);
/* 1..max bytes of ASCII letters, digits, '-', '_' and '.': a name that goes
 * into URLs, paths and metric labels as it is. False for NULL. */
bool text_is_name(const char *s, size_t max);

/* Copies s[0..len) into the arena as one clean display line: leading and
 * trailing space dropped, runs of white space (newlines too) folded into one
 * space, malformed bytes replaced by U+FFFD, control characters dropped, and
 * cut at a code point boundary to at most cap bytes with "…" when cut.
 * Returns the arena copy (owned by the arena), NULL when out of memory. */
char *text_clean(struct arena *a, const char *s, size_t len, size_t cap);

/* Writes into out (cap bytes, always NUL-terminated) a matching key for s:
 * Latin letters lower-cased with accents removed, every run of other ASCII
 * punctuation or space turned into one dash, other code points kept.
 * "Amphithéâtre  1600" and "Amphitheatre 1600" give the same key. */
void text_fold_key(const char *s, char *out, size_t cap);

/* The value of a hexadecimal digit, -1 for any other character. */
int text_hex_digit(char c);

/* Standard base64 (RFC 4648, '=' padding) of len bytes; caller frees, NULL
 * when out of memory. */
char *text_base64(const unsigned char *data, size_t len);

/* Decodes base64 (RFC 4648's standard alphabet; '=' padding optional, ASCII
 * white space ignored, as line-wrapping encoders write it) into out, at most
 * cap bytes, the length in *out_len. On failure says why (static text). */
bool text_base64_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
			const char **why);

/* True when s starts with prefix, ASCII case-insensitively. */
bool text_starts_with_ci(const char *s, const char *prefix);

/* Splits "NAME WORDS NUMBER" (a room or queue name, which may hold spaces,
 * then a whole number) into name (at most cap - 1 bytes, trimmed) and
 * *number. False when the last word is not a whole number below 10^9, or
 * the name is empty or too long. */
bool text_name_and_number(const char *s, char *name, size_t cap, long *number);

/* The origin of an http:// or https:// URL ("https://host:8443" of
 * "https://host:8443/v1/screens/heartbeat"), into out (cap bytes). False
 * when url is not one or out is too small. */
bool text_url_origin(const char *url, char *out, size_t cap);

/* ref made absolute against the http(s) URL base: ref as it is when it is
 * absolute already, its scheme's when it starts "//", base's origin + ref
 * when it starts "/", else ref beside base's last path segment. False when
 * base is not an http(s) URL or out (cap bytes) is too small. */
bool text_url_resolve(const char *base, const char *ref, char *out, size_t cap);

/* FNV-1a of p[0..n), continued from h (TEXT_HASH_START to begin): ETags,
 * fingerprints and dedup keys — fast and well spread, not for secrets'
 * safety. */
#define TEXT_HASH_START 1469598103934665603ULL
uint64_t text_hash(uint64_t h, const void *p, size_t n);

#endif
