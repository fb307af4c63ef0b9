/* schedule_cmds: `venueboard-feed parse` and `diff` — read feeds, print the
 * normalized schedule or the changes (contracts sections 3 and 4). */
#include "schedule_cmds.h"

#include "feed.h"
#include "file_io.h"
#include "normalized_json.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "tool_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int schedule_cmd_load(const char *path, const struct feed_options *opt, struct schedule **out)
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

int schedule_cmd_parse(int argc, char **argv, const struct feed_options *opt)
{
	if (argc != 1)
		return tool_usage("parse takes exactly one FILE");
	struct schedule *s;
	int rc = schedule_cmd_load(argv[0], opt, &s);
	if (rc == EXIT_OK)
		rc = tool_emit(normalized_json_write(s));
	schedule_destroy(s);
	return rc;
}

int schedule_cmd_diff(int argc, char **argv, const struct feed_options *opt)
{
	if (argc != 2)
		return tool_usage("diff takes OLD and NEW");
	struct schedule *old = NULL, *new_ = NULL;
	struct schedule_changes changes = {0};
	int rc = schedule_cmd_load(argv[0], opt, &old);
	if (rc == EXIT_OK)
		rc = schedule_cmd_load(argv[1], opt, &new_);
	if (rc == EXIT_OK) {
		if (!schedule_diff_compute(old, new_, &changes)) {
			fputs("venueboard-feed: out of memory\n", stderr);
			rc = EXIT_IO;
		} else {
			rc = tool_emit(schedule_diff_write_json(&changes));
		}
	}
	schedule_diff_finish(&changes);
	schedule_destroy(new_);
	schedule_destroy(old);
	return rc;
}

