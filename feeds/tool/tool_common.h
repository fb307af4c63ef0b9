/* tool_common: what every venueboard-feed command shares — exit codes
 * (contracts section 5), usage errors and checked output. */
#ifndef VB_TOOL_COMMON_H
#define VB_TOOL_COMMON_H

enum exit_code { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

/* Prints why (may be NULL) and the usage text to stderr; returns EXIT_USAGE. */
int tool_usage(const char *why);

/* Prints the usage text to stdout (for --help). */
void tool_help(void);

/* Prints text (freed here) and a newline; EXIT_IO when it cannot be written
 * or text is NULL (out of memory). */
int tool_emit(char *text);

/* Flushes stdout; EXIT_IO (with a message) when that fails. */
int tool_flush(void);

#endif
