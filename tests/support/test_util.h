/* test_util: what every test program needs — reading fixture files and the
 * shared real feeds, and a visible skip when they are absent. */
#ifndef VB_TEST_UTIL_H
#define VB_TEST_UTIL_H

#include <setjmp.h> /* cmocka needs these before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>

struct schedule;
struct feed_options;
struct feed_error;
struct sim_result;

/* Reads a whole file; caller frees. NULL (and *len 0) when it cannot. */
char *test_read_file(const char *path, size_t *len);

/* Reads tests/data/<rel>; fails the current test when missing. */
char *test_fixture(const char *rel, size_t *len);

/* Path of a file in ../shared/feeds (static buffer of the caller). */
const char *test_shared_path(const char *name, char *buf, size_t cap);

/* True when ../shared/feeds is there; otherwise prints why tests skip. */
bool test_shared_available(void);

/* Parses text (NUL-terminated) with feed_parse and the given zone; fails the
 * test with the parser's message when it does not parse. */
struct schedule *test_parse(const char *text, const char *zone);

/* A reader's entry point, as every <format>_parse has it. */
typedef bool reader_fn(const char *buf, size_t len, const struct feed_options *opt,
		       struct schedule **out, struct feed_error *e);

/* A document a reader must refuse, and what its message must hold
 * (needle2 may be NULL). */
struct refusal {
	const char *doc, *needle1, *needle2;
	const char *zone; /* --timezone for the case, NULL when none */
};

/* Runs parse over each case: it must fail, leave no schedule, and say both
 * needles; fails the test naming the case otherwise. */
void test_refusals(reader_fn *parse, const struct refusal *cases, size_t n);

/* Index of the session with this id, or fails the test. */
size_t test_session_index(const struct schedule *s, const char *id);

/* Formats a UTC instant for comparisons ("YYYY-MM-DDTHH:MM:SSZ"). */
const char *test_utc(int64_t t, char buf[static 21]);

/* Starts venueboard-server (bin) with conf, its standard error appended to
 * log_path, and waits (up to 5 s) for it to write its port to port_file.
 * Returns the child's pid and fills *port; fails the test otherwise. */
int test_start_server(const char *bin, const char *conf, const char *port_file,
		      const char *log_path, int *port);

/* Runs lunch_sim on scenario (over the defaults) with seed; fails the test
 * when the scenario is unknown or the run fails. Caller: lunch_sim_finish
 * (and includes lunch_sim.h). */
struct sim_result test_lunch_sim(const char *scenario, uint64_t seed);

/* A growing text buffer, always NUL-terminated once written to; starts as
 * {0}, caller frees p. */
struct test_buf {
	char *p;
	size_t len, cap;
};

/* Appends n bytes of s (fails the test when out of memory). */
void test_buf_put(struct test_buf *b, const char *s, size_t n);

/* Appends the string s. */
void test_buf_puts(struct test_buf *b, const char *s);

/* The lines a module logs through a (ctx, level, line) callback, kept for
 * checks as "LEVEL: line\n"; a line past the capacity is dropped. */
struct test_log {
	char text[32768];
	size_t len;
};

/* The callback: ctx is a struct test_log. */
void test_log_line(void *ctx, const char *level, const char *line);

/* A fresh database path: templ ("/tmp/vb-NAME-XXXXXX") is made unique in
 * place, and no file is left there (the store creates it). False when it
 * cannot be made. */
bool test_db_path(char *templ);

/* Removes the database file at path and SQLite's -wal, -shm and -journal
 * beside it. */
void test_db_remove(const char *path);

/* A 1x1 PNG (one dark blue pixel), here rather than as a binary file. */
extern const unsigned char test_tiny_png[];
extern const size_t test_tiny_png_len;

#endif
