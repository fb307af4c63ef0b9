/* test_util: file and parse helpers for the test programs. */
#include "test_util.h"

#include "civil_time.h"
#include "feed.h"
#include "file_io.h"
#include "lunch_sim.h"
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

struct sim_result test_lunch_sim(const char *scenario, uint64_t seed)
{
	struct sim_config c;
	lunch_sim_defaults(&c);
	c.seed = seed;
	assert_true(lunch_sim_scenario(scenario, &c));
	struct sim_result r;
	assert_true(lunch_sim_run(&c, &r));
	return r;
}

void test_buf_put(struct test_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		assert_non_null(b->p);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void test_buf_puts(struct test_buf *b, const char *s)
{
	test_buf_put(b, s, strlen(s));
}

void test_log_line(void *ctx, const char *level, const char *line)
{
	struct test_log *lc = ctx;
	int n = snprintf(lc->text + lc->len, sizeof(lc->text) - lc->len, "%s: %s\n", level, line);
	if (n > 0 && lc->len + (size_t)n < sizeof(lc->text))
		lc->len += (size_t)n;
}

const unsigned char test_tiny_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
	0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
	0xda, 0x63, 0x10, 0x32, 0x8d, 0x06, 0x00, 0x00, 0xff, 0x00, 0xa3, 0x1a, 0x2d, 0xa6,
	0xa8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
const size_t test_tiny_png_len = sizeof(test_tiny_png);

bool test_db_path(char *templ)
{
	int fd = mkstemp(templ);
	if (fd < 0)
		return false;
	close(fd);
	unlink(templ);
	return true;
}

void test_db_remove(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof(suffix) / sizeof(*suffix); i++) {
		char p[256];
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
}
