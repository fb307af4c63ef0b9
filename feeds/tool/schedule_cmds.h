/* schedule_cmds: the schedule commands of venueboard-feed. */
#ifndef VB_SCHEDULE_CMDS_H
#define VB_SCHEDULE_CMDS_H

struct feed_options;

/* parse FILE / diff OLD NEW: argv holds the operands; returns an exit code. */
int schedule_cmd_parse(int argc, char **argv, const struct feed_options *opt);
int schedule_cmd_diff(int argc, char **argv, const struct feed_options *opt);

#endif
