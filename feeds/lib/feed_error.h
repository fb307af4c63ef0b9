/* feed_error: the readable message a failing parser leaves for its caller;
 * it names the place (line, JSON path, element) so an organizer can fix it. */
#ifndef VB_FEED_ERROR_H
#define VB_FEED_ERROR_H

#include <stdbool.h>
#include <stddef.h>

enum { FEED_ERROR_MAX = 512 };

struct feed_error {
	char msg[FEED_ERROR_MAX];
};

/* Formats the message into e (may be NULL) and returns false, so that a
 * failing path can read `return feed_error_set(e, "...")`. */
bool feed_error_set(struct feed_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* 1-based line and column of byte offset off in buf. */
void feed_error_position(const char *buf, size_t len, size_t off, int *line, int *col);

#endif
