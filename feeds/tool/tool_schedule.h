/* tool_schedule: reading a schedule feed from a file for any venueboard-feed
 * command, with its repairs and refusals reported the same way. */
#ifndef VB_TOOL_SCHEDULE_H
#define VB_TOOL_SCHEDULE_H

struct feed_options;
struct schedule;

/* Reads and parses the feed at path (- for standard input) into *out (caller
 * owns; schedule_destroy). Prints the repairs as "FILE: warning: ..." and a
 * failure as "FILE: ..." on standard error; returns an exit code (contracts
 * section 5), *out NULL unless EXIT_OK. */
int tool_schedule_load(const char *path, const struct feed_options *opt, struct schedule **out);

#endif
