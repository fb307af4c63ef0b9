/* schedule_cmds: `venueboard-feed parse` and `diff` — read feeds, print the
 * normalized schedule or the changes (contracts sections 3 and 4). */
#include "schedule_cmds.h"

#include "feed.h"
#include "normalized_json.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "tool_common.h"
#include "tool_schedule.h"

#include <stdio.h>

int schedule_cmd_parse(int argc, char **argv, const struct feed_options *opt)
{
	if (argc != 1)
		return tool_usage("parse takes exactly one FILE");
	struct schedule *s;
	int rc = tool_schedule_load(argv[0], opt, &s);
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
	int rc = tool_schedule_load(argv[0], opt, &old);
	if (rc == EXIT_OK)
		rc = tool_schedule_load(argv[1], opt, &new_);
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
