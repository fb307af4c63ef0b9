/* byte_range: a Range header (RFC 9110 §14.2) read strictly against a
 * file's size, for resumed bundle downloads. One range is served; anything
 * that does not parse is refused rather than answered with the whole file. */
#ifndef VB_BYTE_RANGE_H
#define VB_BYTE_RANGE_H

#include <stdint.h>

enum byte_range_kind {
	BYTE_RANGE_WHOLE, /* ignore the header: another unit, or several ranges (200, the whole) */
	BYTE_RANGE_ONE,   /* one satisfiable range: [*from, *to] (206) */
	BYTE_RANGE_BAD,   /* not a valid bytes range-set, or nothing of it in the file (416) */
};

/* Reads the Range header value v (borrowed) against size bytes. */
enum byte_range_kind byte_range_parse(const char *v, uint64_t size, uint64_t *from, uint64_t *to);

#endif
