/* Unit tests for file_io: capped reads and atomic replacement. */
#include "test_util.h"

#include "file_io.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/vb-file-io-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_replace_then_read(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "%s/cache.json", dir);
	assert_true(file_io_replace(path, "old", 3));
	assert_true(file_io_replace(path, "new content", 11));
	char *buf;
	size_t len;
	assert_int_equal(file_io_read(path, 1024, &buf, &len), FILE_IO_OK);
	assert_int_equal(len, 11);
	assert_string_equal(buf, "new content");
	free(buf);
	/* no temporary file is left behind */
	DIR *d = opendir(dir);
	int entries = 0;
	for (struct dirent *de; (de = readdir(d));)
		entries += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(entries, 1);
}

static void test_caps_and_failures(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "%s/big", dir);
	size_t n = 300 * 1024;
	char *big = malloc(n);
	memset(big, 'x', n);
	assert_true(file_io_replace(path, big, n));
	free(big);
	char *buf = (char *)1;
	size_t len = 1;
	assert_int_equal(file_io_read(path, n - 1, &buf, &len), FILE_IO_TOO_BIG);
	assert_null(buf);
	assert_int_equal(file_io_read(path, n, &buf, &len), FILE_IO_OK);
	assert_int_equal(len, n);
	free(buf);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(file_io_read(path, 10, &buf, &len), FILE_IO_ERROR);
	assert_int_equal(errno, ENOENT);
	snprintf(path, sizeof(path), "%s/no/such/dir/file", dir);
	assert_false(file_io_replace(path, "x", 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_then_read),
		cmocka_unit_test(test_caps_and_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
