/* server_log: venueboard-server's log lines on standard error, one write
 * each, "venueboard-server: LEVEL: text". Whatever a client sent (a path, a
 * room's name) may end up in a line, so control characters are escaped
 * (\x0a; U+2028, U+2029, C1 controls and bidirectional overrides as \u2028):
 * nobody can forge a line of their own. */
#ifndef VB_SERVER_LOG_H
#define VB_SERVER_LOG_H

/* level: "INFO", "WARN", "ERROR". */
void server_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The same with the text already formatted. */
void server_log_line(const char *level, const char *text);

#endif
