/* venueboard-feed: the command-line face of feeds/ — schedules (parse, diff)
 * and lunch lines (estimate, simulate, forecast). Exit codes: contracts
 * section 5. */
#include "civil_time.h"
#include "feed.h"
#include "forecast_cmd.h"
#include "queue_cmds.h"
#include "schedule_cmds.h"
#include "tool_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: venueboard-feed parse [--timezone AREA/CITY] FILE\n"
	"       venueboard-feed diff [--timezone AREA/CITY] OLD NEW\n"
	"       venueboard-feed estimate [--every SECONDS] [FILE|-]\n"
	"       venueboard-feed simulate [--scenario NAME] [--seed N] [--truth FILE]\n"
	"       venueboard-feed simulate --scenario conference[-FAMILY] --schedule FILE\n"
	"                       [--timezone AREA/CITY] [--days N] [--seed N] [--truth FILE]\n"
	"                       [--published FILE]\n"
	"       venueboard-feed forecast --schedule FILE [--timezone AREA/CITY] [--every SECONDS]\n"
	"                                [--horizon MINUTES]... [SAMPLES|-]\n"
	"\n"
	"FILE may be - for standard input. Schedules are recognised by content:\n"
	"frab/pretalx schedule.json, pentabarf schedule.xml, Sessionize JSON,\n"
	"iCalendar, venueboard.schedule/1. --timezone gives the zone of feeds whose\n"
	"times carry no offset. estimate reads queue samples (JSON Lines) and prints\n"
	"wait estimates; simulate writes a simulated lunch line's samples (scenarios:\n"
	"clean, noisy, slow, biased, small, slow-closure, surge, stall) and, with\n"
	"--truth, each person's times; the conference scenarios run the schedule's\n"
	"days (all, or the first N), people coming to lunch as its sessions let\n"
	"out (families: -noisy, -busy-day, -rooms, -same, -stagger, -overrun,\n"
	"-lunch-later, -light, -heavy, -station-more, -station-fewer; --published\n"
	"writes the programme as the last day's changes left it); forecast reads samples of several days and the schedule and prints the lunch line's forecast\n"
	"wait (80 % interval) 15, 30 and 60 minutes ahead.\n"
	"Exit: 0 ok, 1 invalid input, 2 usage, 3 I/O failure.\n";

int tool_usage(const char *why)
{
	if (why)
		fprintf(stderr, "venueboard-feed: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

void tool_help(void)
{
	fputs(usage_text, stdout);
}

int tool_flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "venueboard-feed: cannot write output: %s\n", strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

int tool_emit(char *text)
{
	if (!text) {
		fputs("venueboard-feed: out of memory\n", stderr);
		return EXIT_IO;
	}
	int rc = EXIT_OK;
	if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF)
		rc = EXIT_IO;
	free(text);
	return rc == EXIT_OK ? tool_flush() : (tool_flush(), EXIT_IO);
}

/* parse and diff share --timezone; returns the index of the first operand. */
static int schedule_options(int argc, char **argv, struct feed_options *opt, int *rc)
{
	int i = 2;
	*rc = EXIT_OK;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (strcmp(argv[i], "--timezone") == 0 && i + 1 < argc) {
			opt->timezone = argv[++i];
		} else if (strncmp(argv[i], "--timezone=", 11) == 0) {
			opt->timezone = argv[i] + 11;
		} else {
			char msg[160];
			snprintf(msg, sizeof(msg), "unknown option '%.100s'", argv[i]);
			*rc = tool_usage(msg);
			return i;
		}
	}
	if (opt->timezone && !civil_zone_known(opt->timezone)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "--timezone: '%.80s' is not a known IANA zone",
			 opt->timezone);
		*rc = tool_usage(msg);
	}
	return i;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return tool_usage(NULL);
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		tool_help();
		return EXIT_OK;
	}
	if (strcmp(cmd, "estimate") == 0)
		return queue_cmd_estimate(argc - 2, argv + 2);
	if (strcmp(cmd, "simulate") == 0)
		return queue_cmd_simulate(argc - 2, argv + 2);
	if (strcmp(cmd, "forecast") == 0)
		return forecast_cmd(argc - 2, argv + 2);
	if (strcmp(cmd, "parse") == 0 || strcmp(cmd, "diff") == 0) {
		struct feed_options opt = {0};
		int rc, i = schedule_options(argc, argv, &opt, &rc);
		if (rc != EXIT_OK)
			return rc;
		return cmd[0] == 'p' ? schedule_cmd_parse(argc - i, argv + i, &opt)
				     : schedule_cmd_diff(argc - i, argv + i, &opt);
	}
	char msg[160];
	snprintf(msg, sizeof(msg), "unknown command '%.60s'", cmd);
	return tool_usage(msg);
}
