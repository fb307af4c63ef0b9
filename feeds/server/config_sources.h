/* config_sources: the configuration lines that name people counters
 * (contracts §7): source, source-counter, source-login, source-field. Read
 * by server_config.c's key table; each fails naming the line. */
#ifndef VB_CONFIG_SOURCES_H
#define VB_CONFIG_SOURCES_H

#include "server_config.h"

/* source NAME FORMAT FROM queue:ID|room:ROOM NAME (rest: after the key) */
bool config_source_line(const char *rest, int line, struct server_config *out,
			struct feed_error *e);
/* source-counter NAME DEVICE-COUNTER ROLE */
bool config_source_counter_line(const char *rest, int line, struct server_config *out,
				struct feed_error *e);
/* source-login NAME FILE */
bool config_source_login_line(const char *rest, int line, struct server_config *out,
			      struct feed_error *e);
/* source-field NAME FIELD JSON-POINTER [total|delta] */
bool config_source_field_line(const char *rest, int line, struct server_config *out,
			      struct feed_error *e);
/* The whole file read: each source checked as a whole, its broker or its
 * token there. */
bool config_sources_finish(const struct server_config *c, struct feed_error *e);

#endif
