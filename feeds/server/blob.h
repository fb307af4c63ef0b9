/* blob: an immutable response body shared by every request that sends it
 * (the schedule goes to every kiosk: one copy, however many are sending),
 * reference-counted, with room for its gzip form, made once by whoever
 * needs it. Single-threaded: only the polling thread touches a blob. */
#ifndef VB_BLOB_H
#define VB_BLOB_H

#include <stdbool.h>
#include <stddef.h>

struct blob {
	unsigned refs;
	size_t len;
	char *data;   /* NUL-terminated, len bytes before it */
	int gz_state; /* 0 not tried, 1 gz holds it, -1 gzip does not help */
	size_t gz_len;
	char *gz;
};

/* Takes ownership of data (malloc'd, len bytes, NUL after them); one
 * reference. NULL, data freed, on OOM or when data is NULL. */
struct blob *blob_wrap(char *data, size_t len);

/* Another reference to b; returns b. */
struct blob *blob_ref(struct blob *b);

/* Drops a reference; the last one frees b. NULL does nothing. */
void blob_unref(struct blob *b);

#endif
