/* tool_schedule: one way for every command to read a schedule file. */
#include "tool_schedule.h"

#include "feed.h"
#include "file_io.h"
#include "schedule.h"
#include "tool_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tool_schedule_load(const char *path, const struct feed_options *opt, struct schedule **out)
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
