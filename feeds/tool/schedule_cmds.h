/* schedule_cmds: the schedule commands of venueboard-feed. */
#ifndef VB_SCHEDULE_CMDS_H
#define VB_SCHEDULE_CMDS_H

struct feed_options;
struct schedule;

/* Reads and parses the feed at path into *out (caller owns); prints its
 * repairs as warnings, or why it does not read; returns an exit code. */
int schedule_cmd_load(const char *path, const struct feed_options *opt, struct schedule **out);

/* parse FILE / diff OLD NEW: argv holds the operands; returns an exit code. */
int schedule_cmd_parse(int argc, char **argv, const struct feed_options *opt);
int schedule_cmd_diff(int argc, char **argv, const struct feed_options *opt);

#endif
