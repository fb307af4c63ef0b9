/* Unit tests for upload_writer: a file written, hashed and synced off the
 * caller's thread; the pause past the high water mark; an abort removes
 * the file; the disk reserve (its default, and a refusal); leftovers of an
 * earlier run removed. */
#include "test_util.h"

#include "upload_writer.h"

#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char database[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/vb-upload-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(database, sizeof(database), "%s/server.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Waits for the writer's next event (at most 10 s). */
static enum upload_event next_event(struct upload_writer *w, void **tag)
{
	enum upload_event what;
	for (int i = 0; i < 1000; i++) {
		if (upload_writer_take(w, tag, &what))
			return what;
		struct pollfd p = {.fd = upload_writer_fd(w), .events = POLLIN};
		poll(&p, 1, 10);
	}
	fail_msg("no event from the writer within 10 s");
	return UPLOAD_EVENT_DONE;
}

static size_t uploads_in(const char *d)
{
	DIR *dh = opendir(d);
	assert_non_null(dh);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(dh)))
		n += strncmp(de->d_name, ".upload-", 8) == 0;
	closedir(dh);
	return n;
}

/* "abc" in pieces: its SHA-256, its size, the file kept for the caller. */
static void test_written_and_hashed(void **state)
{
	(void)state;
	struct feed_error e = {{0}};
	struct upload_writer *w = upload_writer_create(&e);
	assert_non_null(w);
	struct upload_place place = {.dir = dir, .database = database};
	int tag = 7;
	struct upload *u = upload_writer_begin(w, &place, &tag, &e);
	assert_non_null(u);
	assert_int_equal(upload_writer_put(u, "a", 1), UPLOAD_MORE);
	assert_int_equal(upload_writer_put(u, "bc", 2), UPLOAD_MORE);
	upload_writer_finish(u);
	void *got;
	assert_int_equal(next_event(w, &got), UPLOAD_EVENT_DONE);
	assert_ptr_equal(got, &tag);
	struct upload_result r;
	upload_writer_result(u, &r);
	assert_true(r.ok);
	assert_int_equal(r.size, 3);
	assert_string_equal(r.sha256,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	struct stat st;
	assert_int_equal(stat(r.path, &st), 0);
	assert_int_equal(st.st_size, 3);
	unlink(r.path);
	upload_writer_release(u);
	upload_writer_destroy(w);
}

/* Past the high water mark the caller is told to pause, then to go on;
 * an aborted upload leaves no file and no event. */
static void test_pause_and_abort(void **state)
{
	(void)state;
	struct feed_error e = {{0}};
	struct upload_writer *w = upload_writer_create(&e);
	struct upload_place place = {.dir = dir, .database = database};
	int tag = 1;
	struct upload *u = upload_writer_begin(w, &place, &tag, &e);
	assert_non_null(u);
	size_t piece = 256 * 1024;
	char *data = calloc(1, piece);
	bool paused = false;
	for (int i = 0; i < 64 && !paused; i++)
		paused = upload_writer_put(u, data, piece) == UPLOAD_PAUSE;
	/* the writer may keep up with the queue; a pause, when it came, ends */
	void *got;
	if (paused)
		assert_int_equal(next_event(w, &got), UPLOAD_EVENT_RESUME);
	assert_int_equal(uploads_in(dir), 1);
	upload_writer_abort(u);
	upload_writer_destroy(w); /* the abort done first */
	assert_int_equal(uploads_in(dir), 0);
	free(data);
}

/* The reserve: 5 % of the disk, at most 512 MiB, unless set; an upload that
 * would eat into it is refused from its length, and one that gets there
 * fails with 507 and its file removed. */
static void test_reserve(void **state)
{
	(void)state;
	assert_true(upload_writer_reserve(false, 0, 1000ULL << 20) == 50ULL << 20);
	assert_true(upload_writer_reserve(false, 0, 100ULL << 30) == 512ULL << 20);
	assert_true(upload_writer_reserve(true, 7, 100ULL << 30) == 7);
	char why[UPLOAD_WHY_MAX] = "";
	struct upload_place place = {
		.dir = dir, .database = database, .reserve_set = true, .reserve = 0};
	assert_true(upload_writer_room(&place, 1024, why, sizeof(why)));
	place.reserve = 1ULL << 60; /* more than any disk: nothing fits */
	assert_false(upload_writer_room(&place, 1024, why, sizeof(why)));
	assert_non_null(strstr(why, "disk-reserve"));
	struct feed_error e = {{0}};
	struct upload_writer *w = upload_writer_create(&e);
	int tag = 2;
	struct upload *u = upload_writer_begin(w, &place, &tag, &e);
	assert_non_null(u);
	upload_writer_put(u, "abc", 3);
	upload_writer_finish(u);
	void *got;
	while (next_event(w, &got) != UPLOAD_EVENT_DONE)
		;
	struct upload_result r;
	upload_writer_result(u, &r);
	assert_false(r.ok);
	assert_int_equal(r.status, 507);
	assert_non_null(strstr(r.why, "disk-reserve"));
	assert_int_equal(access(r.path, F_OK), -1);
	upload_writer_release(u);
	upload_writer_destroy(w);
}

static void test_leftovers_cleaned(void **state)
{
	(void)state;
	char path[128];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/.upload-%d", dir, i);
		fclose(fopen(path, "w"));
	}
	snprintf(path, sizeof(path), "%s/1.0.tar", dir);
	fclose(fopen(path, "w"));
	assert_int_equal(upload_writer_clean(dir), 3);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(upload_writer_clean(dir), 0);
	assert_int_equal(upload_writer_clean("/nonexistent/folder"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_written_and_hashed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pause_and_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leftovers_cleaned, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
