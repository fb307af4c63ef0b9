/* test_util: file and parse helpers for the test programs. */
#include "test_util.h"

#include "civil_time.h"
#include "feed.h"
#include "file_io.h"
#include "schedule.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

char *test_read_file(const char *path, size_t *len)
{
	char *buf;
	if (file_io_read(path, SCHEDULE_MAX_FEED_BYTES, &buf, len) != FILE_IO_OK)
		return NULL;
	return buf;
}

char *test_fixture(const char *rel, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", VB_TEST_DATA, rel);
	char *buf = test_read_file(path, len);
	if (!buf)
		fail_msg("fixture %s cannot be read", path);
	return buf;
}

const char *test_shared_path(const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", VB_SHARED_FEEDS, name);
	return buf;
}

bool test_shared_available(void)
{
	if (access(VB_SHARED_FEEDS "/README.md", R_OK) == 0)
		return true;
	printf("SKIP: %s is absent: the tests on real published feeds cannot run here\n",
	       VB_SHARED_FEEDS);
	return false;
}

struct schedule *test_parse(const char *text, const char *zone)
{
	struct feed_options opt = {.timezone = zone};
	struct feed_error e = {{0}};
	struct schedule *s = NULL;
	if (!feed_parse(text, strlen(text), &opt, &s, &e))
		fail_msg("parse failed: %s", e.msg);
	return s;
}

void test_refusals(reader_fn *parse, const struct refusal *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct feed_options opt = {.timezone = cases[i].zone};
		struct schedule *s = (struct schedule *)&opt; /* must be reset to NULL */
		struct feed_error e = {{0}};
		if (parse(cases[i].doc, strlen(cases[i].doc), &opt, &s, &e))
			fail_msg("case %zu: parsed, but must be refused", i);
		if (s)
			fail_msg("case %zu: refused, but left a schedule behind", i);
		if (!strstr(e.msg, cases[i].needle1) ||
		    (cases[i].needle2 && !strstr(e.msg, cases[i].needle2)))
			fail_msg("case %zu: message '%s' lacks '%s' or '%s'", i, e.msg,
				 cases[i].needle1, cases[i].needle2);
	}
}

size_t test_session_index(const struct schedule *s, const char *id)
{
	for (size_t i = 0; i < s->n_sessions; i++)
		if (strcmp(s->sessions[i].id, id) == 0)
			return i;
	fail_msg("no session with id '%s'", id);
	return 0;
}

const char *test_utc(int64_t t, char buf[static 21])
{
	civil_format_utc(t, buf);
	return buf;
}

int test_start_server(const char *bin, const char *conf, const char *port_file,
		      const char *log_path, int *port)
{
	unlink(port_file);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, 2);
		execl(bin, "venueboard-server", "--config", conf, "--port-file", port_file,
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 100; i++) { /* up to 5 s */
		size_t len;
		char *p = test_read_file(port_file, &len);
		if (p) {
			*port = (int)strtol(p, NULL, 10);
			free(p);
			if (*port > 0)
				return (int)pid;
		}
		nanosleep(&(struct timespec){0, 50000000}, NULL);
	}
	fail_msg("the server did not start; see %s", log_path);
	return -1;
}
