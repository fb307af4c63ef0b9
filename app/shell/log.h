/* log: one line per event on standard error (the journal under systemd),
 * "venueboard: LEVEL: module: message". INFO is for operators: what the kiosk
 * is doing, in plain words; DEBUG is for developers. */
#ifndef VB_LOG_H
#define VB_LOG_H

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Reads "error", "warn", "info" or "debug"; false when unknown. */
bool log_level_parse(const char *s, enum log_level *out);

/* Writes one line when level is at or above threshold (the caller's
 * configured level: there is no global state). */
void log_line(enum log_level threshold, enum log_level level, const char *module, const char *fmt,
	      ...) __attribute__((format(printf, 4, 5)));

#endif
