/* queue_cmds: the lunch-line commands of venueboard-feed. */
#ifndef VB_QUEUE_CMDS_H
#define VB_QUEUE_CMDS_H

/* estimate [--every SECONDS] [FILE|-]: contracts section 2. argv holds the
 * options and operands after the command name; returns an exit code. */
int queue_cmd_estimate(int argc, char **argv);

/* simulate [--scenario NAME] [--seed N] [--truth FILE], and for the
 * conference scenarios --schedule FILE [--timezone AREA/CITY] [--days N]:
 * samples on stdout. */
int queue_cmd_simulate(int argc, char **argv);

#endif
