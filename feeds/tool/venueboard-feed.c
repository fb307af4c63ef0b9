/* venueboard-feed: the command-line face of feeds/ — parse any schedule feed
 * into the normalized JSON, and list what changed between two versions.
 * Exit codes follow contracts section 5. */
#include "civil_time.h"
#include "feed.h"
#include "file_io.h"
#include "normalized_json.h"
#include "schedule.h"
#include "schedule_diff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum exit_code { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_text[] =
	"usage: venueboard-feed parse [--timezone AREA/CITY] FILE\n"
	"       venueboard-feed diff [--timezone AREA/CITY] OLD NEW\n"
	"\n"
	"FILE may be - for standard input. Formats are recognised by content:\n"
	"frab/pretalx schedule.json, pentabarf schedule.xml, Sessionize JSON,\n"
	"iCalendar, venueboard.schedule/1.\n"
	"--timezone gives the zone of feeds whose times carry no offset.\n"
	"Exit: 0 ok, 1 invalid input, 2 usage, 3 I/O failure.\n";

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "venueboard-feed: %s\n", why);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Reads and parses one feed; prints the reason and returns an exit code. */
static int load(const char *path, const struct feed_options *opt, struct schedule **out)
{
	char *buf;
	size_t len;
	*out = NULL;
	enum file_io_status st = file_io_read(path, SCHEDULE_MAX_FEED_BYTES, &buf, &len);
	if (st == FILE_IO_TOO_BIG) {
		fprintf(stderr, "%s: larger than the %d MiB feed limit\n", path,
			SCHEDULE_MAX_FEED_BYTES / (1024 * 1024));
		return EXIT_INVALID;
	}
	if (st != FILE_IO_OK) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	struct feed_error e = {{0}};
	bool ok = feed_parse(buf, len, opt, out, &e);
	free(buf);
	if (!ok) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		return EXIT_INVALID;
	}
	for (size_t i = 0; i < (*out)->n_warnings; i++)
		fprintf(stderr, "%s: warning: %s\n", path, (*out)->warnings[i]);
	if ((*out)->dropped_warnings)
		fprintf(stderr, "%s: warning: %zu more repairs not listed\n", path,
			(*out)->dropped_warnings);
	return EXIT_OK;
}

/* Prints text and a newline; a failed write is an I/O failure. */
static int emit(char *text)
{
	if (!text) {
		fputs("venueboard-feed: out of memory\n", stderr);
		return EXIT_IO;
	}
	int rc = EXIT_OK;
	if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) == EOF) {
		fprintf(stderr, "venueboard-feed: cannot write output: %s\n", strerror(errno));
		rc = EXIT_IO;
	}
	free(text);
	return rc;
}

static int cmd_parse(int argc, char **argv, const struct feed_options *opt)
{
	if (argc != 1)
		return usage("parse takes exactly one FILE");
	struct schedule *s;
	int rc = load(argv[0], opt, &s);
	if (rc == EXIT_OK)
		rc = emit(normalized_json_write(s));
	schedule_destroy(s);
	return rc;
}

static int cmd_diff(int argc, char **argv, const struct feed_options *opt)
{
	if (argc != 2)
		return usage("diff takes OLD and NEW");
	struct schedule *old = NULL, *new_ = NULL;
	struct schedule_changes changes = {0};
	int rc = load(argv[0], opt, &old);
	if (rc == EXIT_OK)
		rc = load(argv[1], opt, &new_);
	if (rc == EXIT_OK) {
		if (!schedule_diff_compute(old, new_, &changes)) {
			fputs("venueboard-feed: out of memory\n", stderr);
			rc = EXIT_IO;
		} else {
			rc = emit(schedule_diff_write_json(&changes));
		}
	}
	schedule_diff_finish(&changes);
	schedule_destroy(new_);
	schedule_destroy(old);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	struct feed_options opt = {0};
	int i = 2;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--timezone") == 0 && i + 1 < argc) {
			opt.timezone = argv[++i];
		} else if (strncmp(argv[i], "--timezone=", 11) == 0) {
			opt.timezone = argv[i] + 11;
		} else {
			char msg[160];
			snprintf(msg, sizeof(msg), "unknown option '%.100s'", argv[i]);
			return usage(msg);
		}
	}
	if (opt.timezone && !civil_zone_known(opt.timezone)) {
		char msg[160];
		snprintf(msg, sizeof(msg), "--timezone: '%.80s' is not a known IANA zone", opt.timezone);
		return usage(msg);
	}
	if (strcmp(cmd, "parse") == 0)
		return cmd_parse(argc - i, argv + i, &opt);
	if (strcmp(cmd, "diff") == 0)
		return cmd_diff(argc - i, argv + i, &opt);
	char msg[160];
	snprintf(msg, sizeof(msg), "unknown command '%.60s'", cmd);
	return usage(msg);
}
