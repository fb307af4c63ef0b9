/* Unit tests for the store's schema version: a new file is stamped, a file
 * from before versions is migrated and keeps its rows, a file from a newer
 * program is refused and left as it was. */
#include "test_util.h"

#include "feed_error.h"
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char db_path[64];

/* The tables as venueboard-server made them before files said their
 * schema version (user_version 0): a frozen copy, not the store's. */
static const char schema_v0[] =
	"CREATE TABLE schedule_versions("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, body TEXT NOT NULL);"
	"CREATE TABLE changes("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, kind TEXT NOT NULL,"
	" body TEXT NOT NULL, undone_at_ms INTEGER, undone_by TEXT);"
	"CREATE TABLE samples("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, line TEXT NOT NULL);"
	"CREATE INDEX samples_at ON samples(at_ms);"
	"CREATE INDEX samples_t ON samples((CASE WHEN json_valid(line) THEN CASE WHEN"
	" json_extract(line, '$.type') = 'queue' THEN NULL ELSE"
	" julianday(json_extract(line, '$.t')) END END));"
	"CREATE TABLE screens("
	" name TEXT PRIMARY KEY, last_seen_ms INTEGER NOT NULL, fields TEXT NOT NULL,"
	" thumbnail BLOB);"
	"CREATE TABLE probe(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL);"
	"CREATE TABLE alert_seen("
	" alert INTEGER NOT NULL, screen TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	" PRIMARY KEY(alert, screen));"
	"CREATE TABLE bundles("
	" name TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL, who TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL);"
	"CREATE TABLE rollout_running("
	" screen TEXT NOT NULL, version TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	" PRIMARY KEY(screen, version));";

static int setup(void **state)
{
	(void)state;
	snprintf(db_path, sizeof(db_path), "/tmp/vb-store-test-XXXXXX");
	return test_db_path(db_path) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	test_db_remove(db_path);
	return 0;
}

/* Runs sql on the file with SQLite itself, outside the store. */
static void raw_exec(const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* An integer the query returns (one row, one column). */
static int raw_int(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	int v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return v;
}

static void count_change(void *ctx, const struct stored_change *c)
{
	(void)c;
	++*(int *)ctx;
}

/* Opens the test's database, which the open must have found at version
 * from (created: a new file) and left at the current one. */
static struct store *open_as(int from, bool created)
{
	struct feed_error e = {{0}};
	struct store *st = store_open(db_path, &e);
	if (!st)
		fail_msg("%s", e.msg);
	struct store_schema_change sc;
	store_schema_change(st, &sc);
	assert_int_equal(sc.created, created);
	assert_int_equal(sc.from, from);
	assert_int_equal(sc.to, STORE_SCHEMA_VERSION);
	return st;
}

static void test_new_file_gets_current_version(void **state)
{
	(void)state;
	struct feed_error e = {{0}};
	struct store *st = open_as(0, true);
	/* the tables are there */
	assert_true(store_add_change(st, 1, "notice", "{}", "alice", 1000, &e));
	store_close(st);
	assert_int_equal(raw_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);

	/* opened again: nothing to do */
	store_close(open_as(STORE_SCHEMA_VERSION, false));
}

static void test_version_0_file_is_stamped_and_keeps_rows(void **state)
{
	(void)state;
	raw_exec(schema_v0);
	raw_exec("INSERT INTO changes(id, at_ms, who, kind, body)"
		 " VALUES (7, 1000, 'alice', 'notice', '{\"text\":\"kept\"}')");
	assert_int_equal(raw_int("PRAGMA user_version"), 0);

	struct feed_error e = {{0}};
	struct store *st = open_as(0, false);
	int n = 0;
	assert_true(store_each_change(st, count_change, &n, &e));
	assert_int_equal(n, 1);
	store_close(st);
	assert_int_equal(raw_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int("SELECT count(*) FROM changes WHERE id = 7 AND who = 'alice'"), 1);
}

static void test_newer_file_is_refused_untouched(void **state)
{
	(void)state;
	struct feed_error e = {{0}};
	struct store *st = store_open(db_path, &e);
	if (!st)
		fail_msg("%s", e.msg);
	assert_true(store_add_change(st, 1, "notice", "{}", "alice", 1000, &e));
	store_close(st);
	char stamp[64];
	int future = STORE_SCHEMA_VERSION + 1;
	snprintf(stamp, sizeof(stamp), "PRAGMA user_version = %d", future);
	raw_exec(stamp);
	size_t len_before = 0, len_after = 0;
	char *before = test_read_file(db_path, &len_before);
	assert_non_null(before);

	st = store_open(db_path, &e);
	assert_null(st);
	char want[32];
	assert_non_null(strstr(e.msg, db_path));
	snprintf(want, sizeof(want), "version %d", future);
	assert_non_null(strstr(e.msg, want));
	snprintf(want, sizeof(want), "0 to %d", STORE_SCHEMA_VERSION);
	assert_non_null(strstr(e.msg, want));

	char *after = test_read_file(db_path, &len_after);
	assert_non_null(after);
	assert_int_equal(len_after, len_before);
	assert_memory_equal(after, before, len_before);
	free(before);
	free(after);
	assert_int_equal(raw_int("PRAGMA user_version"), future);
	assert_int_equal(raw_int("SELECT count(*) FROM changes"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_file_gets_current_version, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_version_0_file_is_stamped_and_keeps_rows,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_file_is_refused_untouched, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
