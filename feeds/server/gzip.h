/* gzip: response bodies compressed for clients that ask (kiosks on venue
 * Wi-Fi), with zlib. */
#ifndef VB_GZIP_H
#define VB_GZIP_H

#include <stddef.h>

/* in[0..len) gzip-compressed into a new buffer (caller frees), its length
 * in *out_len; NULL when out of memory or when it would not be smaller.
 * Large inputs get zlib's fastest level: this runs where requests wait. */
char *gzip_compress(const char *in, size_t len, size_t *out_len);

#endif
