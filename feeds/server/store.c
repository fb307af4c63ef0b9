/* store: SQLite with prepared statements; every write is one transaction. */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A stored line's sample time as SQLite reads it (a Julian day), NULL for
 * queue declarations, for spellings SQLite's date functions do not read and
 * for JSON SQLite finds malformed (json_extract would fail the INSERT). The
 * index on it serves GET /v1/queues?since; queries spell it exactly alike. */
#define SAMPLE_T                                                                                   \
	"(CASE WHEN json_valid(line) THEN CASE WHEN json_extract(line, '$.type') = 'queue'"        \
	" THEN NULL ELSE julianday(json_extract(line, '$.t')) END END)"

/* How long a write waits for a lock someone else holds (only an outside
 * tool takes one: the server's readers never block its writer in WAL mode).
 * The one thread that answers everyone waits that long. */
enum { BUSY_MS = 1000 };

struct store {
	sqlite3 *db;
	struct store_schema_change schema; /* what store_open did */
};

/* The schema, one step per version (PRAGMA user_version): migrations[v]
 * takes a file from version v to v + 1; store_open runs the steps a file
 * lacks in one transaction. Step 0 -> 1 is the schema as files had it before
 * they said their version: on such a file every table is there and the step
 * only stamps it; on a new file it creates them all. A change to the schema
 * is a new step at the end, never an edit of an old one. */
static const char *const step_0_to_1[] = {
	"CREATE TABLE IF NOT EXISTS schedule_versions("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, body TEXT NOT NULL)",
	"CREATE TABLE IF NOT EXISTS changes("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, kind TEXT NOT NULL,"
	" body TEXT NOT NULL, undone_at_ms INTEGER, undone_by TEXT)",
	"CREATE TABLE IF NOT EXISTS samples("
	" id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, who TEXT NOT NULL, line TEXT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS samples_at ON samples(at_ms)",
	"CREATE INDEX IF NOT EXISTS samples_t ON samples(" SAMPLE_T ")",
	"CREATE TABLE IF NOT EXISTS screens("
	" name TEXT PRIMARY KEY, last_seen_ms INTEGER NOT NULL, fields TEXT NOT NULL,"
	" thumbnail BLOB)",
	"CREATE TABLE IF NOT EXISTS probe(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL)",
	"CREATE TABLE IF NOT EXISTS alert_seen("
	" alert INTEGER NOT NULL, screen TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	" PRIMARY KEY(alert, screen))",
	"CREATE TABLE IF NOT EXISTS bundles("
	" name TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL, who TEXT NOT NULL,"
	" at_ms INTEGER NOT NULL)",
	"CREATE TABLE IF NOT EXISTS rollout_running("
	" screen TEXT NOT NULL, version TEXT NOT NULL, at_ms INTEGER NOT NULL,"
	" PRIMARY KEY(screen, version))",
	NULL,
};

static const char *const *const migrations[] = {step_0_to_1};

_Static_assert(sizeof(migrations) / sizeof(*migrations) == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION is the number of migration steps");

static bool db_fail(struct store *st, const char *what, struct feed_error *e)
{
	return feed_error_set(e, "database: %s: %s", what, sqlite3_errmsg(st->db));
}

/* The database, its WAL and its shared memory hold every token's audit
 * trail and the organizers' names: for the server's user only. */
static void owner_only(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(suffix) / sizeof(*suffix); i++) {
		char p[4200];
		struct stat sb;
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		if (stat(p, &sb) == 0 && (sb.st_mode & 077))
			chmod(p, sb.st_mode & 0700);
	}
}

static struct store *open_db(const char *path, int flags, const char *setup, struct feed_error *e)
{
	struct store *st = calloc(1, sizeof(*st));
	if (!st) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(st->db, BUSY_MS) != SQLITE_OK ||
	    (setup && sqlite3_exec(st->db, setup, NULL, NULL, NULL) != SQLITE_OK)) {
		feed_error_set(e, "database %s: %s", path,
			       st->db ? sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return NULL;
	}
	return st;
}

/* The file's PRAGMA user_version into *v. */
static bool read_version(struct store *st, const char *path, int *v, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return feed_error_set(e, "database %s: reading its schema version: %s", path,
				      sqlite3_errmsg(st->db));
	return true;
}

static bool refuse_version(const char *path, int v, struct feed_error *e)
{
	return feed_error_set(e,
			      "database %s: schema version %d, but this program knows versions "
			      "0 to %d: refused, nothing in it changed (a newer "
			      "venueboard-server made it?)",
			      path, v, STORE_SCHEMA_VERSION);
}

/* Runs the steps the file lacks, in one transaction: a failed step leaves
 * the file as it was. Fills st->schema. */
static bool migrate(struct store *st, const char *path, struct feed_error *e)
{
	int v = 0;
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return feed_error_set(e, "database %s: begin: %s", path, sqlite3_errmsg(st->db));
	/* read again under the lock: another process may have migrated it */
	bool ok = read_version(st, path, &v, e);
	if (ok && (v < 0 || v > STORE_SCHEMA_VERSION))
		ok = refuse_version(path, v, e);
	st->schema.from = v;
	st->schema.to = STORE_SCHEMA_VERSION;
	if (ok && v == 0) {
		ok = sqlite3_prepare_v2(st->db,
					"SELECT count(*) FROM sqlite_master "
					"WHERE type = 'table'",
					-1, &stmt, NULL) == SQLITE_OK &&
		     sqlite3_step(stmt) == SQLITE_ROW;
		st->schema.created = ok && sqlite3_column_int(stmt, 0) == 0;
		sqlite3_finalize(stmt);
		if (!ok)
			feed_error_set(e, "database %s: listing its tables: %s", path,
				       sqlite3_errmsg(st->db));
	}
	for (; ok && v < STORE_SCHEMA_VERSION; v++) {
		for (const char *const *sql = migrations[v]; ok && *sql; sql++) {
			if (sqlite3_exec(st->db, *sql, NULL, NULL, NULL) != SQLITE_OK)
				ok = feed_error_set(e, "database %s: schema %d -> %d: %s", path, v,
						    v + 1, sqlite3_errmsg(st->db));
		}
	}
	if (ok && st->schema.from != STORE_SCHEMA_VERSION) {
		char stamp[64];
		snprintf(stamp, sizeof(stamp), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
		if (sqlite3_exec(st->db, stamp, NULL, NULL, NULL) != SQLITE_OK)
			ok = feed_error_set(e, "database %s: stamping schema %d: %s", path,
					    STORE_SCHEMA_VERSION, sqlite3_errmsg(st->db));
	}
	if (ok && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		ok = feed_error_set(e, "database %s: commit: %s", path, sqlite3_errmsg(st->db));
	if (!ok)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return ok;
}

struct store *store_open(const char *path, struct feed_error *e)
{
	struct store *st = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL, e);
	if (!st)
		return NULL;
	/* A file from a newer program is refused before anything writes to it
	 * (not even the switch to WAL). */
	int v = 0;
	bool ok = read_version(st, path, &v, e);
	if (ok && (v < 0 || v > STORE_SCHEMA_VERSION))
		ok = refuse_version(path, v, e);
	if (ok && sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL,
			       NULL, NULL) != SQLITE_OK)
		ok = feed_error_set(e, "database %s: %s", path, sqlite3_errmsg(st->db));
	if (!ok || !migrate(st, path, e)) {
		store_close(st);
		return NULL;
	}
	owner_only(path);
	return st;
}

void store_schema_change(const struct store *st, struct store_schema_change *out)
{
	*out = st->schema;
}

struct store *store_open_reader(const char *path, struct feed_error *e)
{
	return open_db(path, SQLITE_OPEN_READONLY, "PRAGMA query_only=1;", e);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

/* Runs one INSERT/UPDATE with text and integer parameters ("t" / "i"). */
static bool exec_one(struct store *st, const char *sql, const char *types, const void **args,
		     int *changed, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	for (int i = 0; types[i]; i++) {
		int rc = types[i] == 't'
				 ? sqlite3_bind_text(stmt, i + 1, args[i], -1, SQLITE_STATIC)
				 : sqlite3_bind_int64(stmt, i + 1, *(const int64_t *)args[i]);
		if (rc != SQLITE_OK) {
			sqlite3_finalize(stmt);
			return db_fail(st, "bind", e);
		}
	}
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return db_fail(st, "write", e);
	if (changed)
		*changed = sqlite3_changes(st->db);
	return true;
}

bool store_probe(struct store *st, int64_t now_ms, struct feed_error *e)
{
	const void *args[] = {&now_ms};
	return exec_one(st, "INSERT OR REPLACE INTO probe(id, at_ms) VALUES (1, ?)", "i", args,
			NULL, e);
}

bool store_put_schedule(struct store *st, int64_t id, const char *body, const char *who,
			int64_t at_ms, struct feed_error *e)
{
	const void *args[] = {&id, &at_ms, who, body};
	return exec_one(st,
			"INSERT INTO schedule_versions(id, at_ms, who, body) VALUES (?, ?, ?, ?)",
			"iitt", args, NULL, e);
}

char *store_schedule(struct store *st, bool first, int64_t *id, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	const char *sql = first ? "SELECT id, body FROM schedule_versions ORDER BY id ASC LIMIT 1"
				: "SELECT id, body FROM schedule_versions ORDER BY id DESC LIMIT 1";
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		db_fail(st, "prepare", e);
		return NULL;
	}
	char *body = NULL;
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_text(stmt, 1);
		int n = sqlite3_column_bytes(stmt, 1);
		if (id)
			*id = sqlite3_column_int64(stmt, 0);
		body = malloc((size_t)n + 1);
		if (body) {
			memcpy(body, b, (size_t)n);
			body[n] = '\0';
		} else {
			feed_error_set(e, "out of memory");
		}
	} else if (rc != SQLITE_DONE) {
		db_fail(st, "read", e);
	}
	sqlite3_finalize(stmt);
	return body;
}

bool store_add_change(struct store *st, int64_t id, const char *kind, const char *body,
		      const char *who, int64_t at_ms, struct feed_error *e)
{
	const void *args[] = {&id, &at_ms, who, kind, body};
	return exec_one(st,
			"INSERT INTO changes(id, at_ms, who, kind, body) VALUES (?, ?, ?, ?, ?)",
			"iittt", args, NULL, e);
}

bool store_undo_change(struct store *st, int64_t id, const char *who, int64_t at_ms,
		       struct feed_error *e)
{
	const void *args[] = {&at_ms, who, &id};
	int changed = 0;
	if (!exec_one(st,
		      "UPDATE changes SET undone_at_ms = ?, undone_by = ? "
		      "WHERE id = ? AND undone_at_ms IS NULL",
		      "iti", args, &changed, e))
		return false;
	if (!changed)
		return feed_error_set(e, "change %lld does not exist or is already undone",
				      (long long)id);
	return true;
}

bool store_each_change(struct store *st, void (*fn)(void *ctx, const struct stored_change *c),
		       void *ctx, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, at_ms, who, kind, body, undone_at_ms IS NOT NULL "
			       "FROM changes ORDER BY id",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct stored_change c = {
			.id = sqlite3_column_int64(stmt, 0),
			.at_ms = sqlite3_column_int64(stmt, 1),
			.who = (const char *)sqlite3_column_text(stmt, 2),
			.kind = (const char *)sqlite3_column_text(stmt, 3),
			.body = (const char *)sqlite3_column_text(stmt, 4),
			.undone = sqlite3_column_int(stmt, 5) != 0,
		};
		fn(ctx, &c);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "read", e);
}

bool store_add_samples(struct store *st, const char *const *lines, size_t n, const char *who,
		       int64_t at_ms, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, "begin", e);
	bool ok =
		sqlite3_prepare_v2(st->db, "INSERT INTO samples(at_ms, who, line) VALUES (?, ?, ?)",
				   -1, &stmt, NULL) == SQLITE_OK;
	for (size_t i = 0; ok && i < n; i++) {
		ok = sqlite3_bind_int64(stmt, 1, at_ms) == SQLITE_OK &&
		     sqlite3_bind_text(stmt, 2, who, -1, SQLITE_STATIC) == SQLITE_OK &&
		     sqlite3_bind_text(stmt, 3, lines[i], -1, SQLITE_STATIC) == SQLITE_OK &&
		     sqlite3_step(stmt) == SQLITE_DONE;
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	if (!ok) {
		db_fail(st, "write samples", e);
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_fail(st, "commit", e);
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	return true;
}

bool store_each_sample_from(struct store *st, int64_t from_ms,
			    bool (*fn)(void *ctx, const struct stored_sample *s), void *ctx,
			    struct feed_error *e)
{
	static const char *const sql[] = {
		"SELECT id, line FROM samples WHERE " SAMPLE_T " IS NULL ORDER BY id",
		"SELECT id, line FROM samples WHERE " SAMPLE_T " >= ? ORDER BY " SAMPLE_T ", id",
	};
	for (int part = 0; part < 2; part++) {
		sqlite3_stmt *stmt = NULL;
		if (sqlite3_prepare_v2(st->db, sql[part], -1, &stmt, NULL) != SQLITE_OK)
			return db_fail(st, "prepare", e);
		if (part == 1)
			sqlite3_bind_double(stmt, 1, (double)from_ms / 86400000.0 + 2440587.5);
		int rc = SQLITE_DONE;
		bool more = true;
		while (more && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			struct stored_sample s = {
				.id = sqlite3_column_int64(stmt, 0),
				.line = (const char *)sqlite3_column_text(stmt, 1),
				.by_time = part == 1,
			};
			more = fn(ctx, &s);
		}
		sqlite3_finalize(stmt);
		if (!more)
			return true;
		if (rc != SQLITE_DONE)
			return db_fail(st, "read", e);
	}
	return true;
}

bool store_put_screen(struct store *st, const char *name, int64_t seen_ms, const char *fields,
		      const void *png, size_t png_len, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "INSERT INTO screens(name, last_seen_ms, fields, thumbnail) "
			       "VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
			       "last_seen_ms = excluded.last_seen_ms, fields = excluded.fields, "
			       "thumbnail = excluded.thumbnail",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	bool ok = sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC) == SQLITE_OK &&
		  sqlite3_bind_int64(stmt, 2, seen_ms) == SQLITE_OK &&
		  sqlite3_bind_text(stmt, 3, fields, -1, SQLITE_STATIC) == SQLITE_OK &&
		  (png ? sqlite3_bind_blob64(stmt, 4, png, png_len, SQLITE_STATIC)
		       : sqlite3_bind_null(stmt, 4)) == SQLITE_OK;
	int rc = ok ? sqlite3_step(stmt) : SQLITE_ERROR;
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "write screen", e);
}

bool store_each_screen(struct store *st, void (*fn)(void *ctx, const struct stored_screen *s),
		       void *ctx, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, last_seen_ms, fields, thumbnail IS NOT NULL "
			       "FROM screens ORDER BY name",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct stored_screen s = {
			.name = (const char *)sqlite3_column_text(stmt, 0),
			.last_seen_ms = sqlite3_column_int64(stmt, 1),
			.fields = (const char *)sqlite3_column_text(stmt, 2),
			.has_thumbnail = sqlite3_column_int(stmt, 3) != 0,
		};
		if (s.name && s.fields)
			fn(ctx, &s);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "read", e);
}

bool store_screen_thumbnail(struct store *st, const char *name, unsigned char **png, size_t *len,
			    struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	*png = NULL;
	*len = 0;
	if (sqlite3_prepare_v2(st->db, "SELECT thumbnail FROM screens WHERE name = ?", -1, &stmt,
			       NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	bool ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
	if (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_BLOB) {
		const void *b = sqlite3_column_blob(stmt, 0);
		int n = sqlite3_column_bytes(stmt, 0);
		*png = malloc(n > 0 ? (size_t)n : 1);
		if (*png) {
			if (n > 0)
				memcpy(*png, b, (size_t)n);
			*len = (size_t)n;
		} else {
			ok = feed_error_set(e, "out of memory");
		}
	}
	if (!ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(st, "read", e);
	sqlite3_finalize(stmt);
	return ok;
}

bool store_alert_seen(struct store *st, int64_t alert, const char *screen, int64_t at_ms,
		      struct feed_error *e)
{
	const void *args[] = {&alert, screen, &at_ms};
	return exec_one(st,
			"INSERT OR IGNORE INTO alert_seen(alert, screen, at_ms) VALUES (?, ?, ?)",
			"iti", args, NULL, e);
}

bool store_each_alert_seen(struct store *st,
			   void (*fn)(void *ctx, const struct stored_alert_seen *s), void *ctx,
			   struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT alert, screen, at_ms FROM alert_seen ORDER BY at_ms",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct stored_alert_seen s = {
			.alert = sqlite3_column_int64(stmt, 0),
			.screen = (const char *)sqlite3_column_text(stmt, 1),
			.at_ms = sqlite3_column_int64(stmt, 2),
		};
		if (s.screen)
			fn(ctx, &s);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "read", e);
}

bool store_add_bundle(struct store *st, const char *name, uint64_t size, const char *sha256,
		      const char *who, int64_t at_ms, struct feed_error *e)
{
	int64_t sz = (int64_t)size;
	const void *args[] = {name, &sz, sha256, who, &at_ms};
	return exec_one(
		st, "INSERT INTO bundles(name, size, sha256, who, at_ms) VALUES (?, ?, ?, ?, ?)",
		"titti", args, NULL, e);
}

static void bundle_row(sqlite3_stmt *stmt, struct stored_bundle *b)
{
	const char *name = (const char *)sqlite3_column_text(stmt, 0);
	const char *sha = (const char *)sqlite3_column_text(stmt, 2);
	const char *who = (const char *)sqlite3_column_text(stmt, 3);
	snprintf(b->name, sizeof(b->name), "%s", name ? name : "");
	b->size = (uint64_t)sqlite3_column_int64(stmt, 1);
	snprintf(b->sha256, sizeof(b->sha256), "%s", sha ? sha : "");
	snprintf(b->who, sizeof(b->who), "%s", who ? who : "");
	b->at_ms = sqlite3_column_int64(stmt, 4);
}

bool store_bundle(struct store *st, const char *name, struct stored_bundle *out,
		  struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, size, sha256, who, at_ms FROM bundles "
			       "WHERE name = ?",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		bundle_row(stmt, out);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(st, "read", e);
	return rc == SQLITE_ROW;
}

bool store_each_bundle(struct store *st, void (*fn)(void *ctx, const struct stored_bundle *b),
		       void *ctx, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name, size, sha256, who, at_ms FROM bundles "
			       "ORDER BY at_ms",
			       -1, &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct stored_bundle b;
		bundle_row(stmt, &b);
		fn(ctx, &b);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "read", e);
}

bool store_rollout_running(struct store *st, const char *screen, const char *version, int64_t at_ms,
			   struct feed_error *e)
{
	const void *args[] = {screen, version, &at_ms};
	return exec_one(st,
			"INSERT OR IGNORE INTO rollout_running(screen, version, at_ms) "
			"VALUES (?, ?, ?)",
			"tti", args, NULL, e);
}

bool store_each_rollout_running(struct store *st,
				void (*fn)(void *ctx, const struct stored_rollout_running *r),
				void *ctx, struct feed_error *e)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT screen, version, at_ms FROM rollout_running", -1,
			       &stmt, NULL) != SQLITE_OK)
		return db_fail(st, "prepare", e);
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct stored_rollout_running r = {
			.screen = (const char *)sqlite3_column_text(stmt, 0),
			.version = (const char *)sqlite3_column_text(stmt, 1),
			.at_ms = sqlite3_column_int64(stmt, 2),
		};
		if (r.screen && r.version)
			fn(ctx, &r);
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? true : db_fail(st, "read", e);
}
