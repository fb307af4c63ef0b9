/* Unit tests for api_schedule.c: the schedule, organizers' changes, notices
 * and the audit; bad changes and a database holding them. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "blob.h"
#include "schedule.h"
#include "server_config.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *room_of(cJSON *doc, const char *id)
{
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sessions"))
		if (strcmp(cJSON_GetObjectItem(s, "id")->valuestring, id) == 0)
			return cJSON_GetObjectItem(s, "room")->valuestring;
	return NULL;
}

static void test_schedule_changes_and_restart(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	cJSON *doc;
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "sessions")), 149);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 0);
	assert_string_equal(cJSON_GetObjectItem(doc, "format")->valuestring,
			    "venueboard.schedule/1");
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	/* writes need the organizer's token; a refused write changes nothing */
	const char move[] = "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\"}";
	assert_int_equal(call(f.api, "POST", "/v1/changes", NULL, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", sensor, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", "Bearer wrong-token-0000000000", move,
			      NULL, NULL, NULL),
			 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"move\",\"session\":\"9999\",\"room\":\"X\"}", NULL, NULL,
			      NULL),
			 422);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"teleport\"}", NULL,
			      NULL, NULL),
			 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "not json", NULL, NULL, NULL),
			 400);
	assert_int_equal(
		call(f.api, "POST", "/v1/changes", org,
		     "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":\"tomorrow\","
		     "\"end\":\"2014-11-05T12:00:00+01:00\"}",
		     NULL, NULL, NULL),
		400);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	assert_int_equal(call(f.api, "POST", "/v1/changes", org, move, NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, NULL, NULL),
			 201);
	assert_int_equal(
		call(f.api, "POST", "/v1/changes", org,
		     "{\"kind\":\"reschedule\",\"session\":\"4211\",\"start\":"
		     "\"2014-11-06T17:40:00+01:00\",\"end\":\"2014-11-06T18:20:00+01:00\"}",
		     NULL, NULL, NULL),
		201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch line at Le M\xC3\xA9ridien: use the second buffet "
			      "upstairs\"}",
			      NULL, NULL, NULL),
			 201);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, &doc, etag2), 200);
	assert_string_not_equal(etag, etag2);
	assert_string_equal(room_of(doc, "4184"), "salle-243");
	cJSON *changes = cJSON_GetObjectItem(doc, "changes");
	assert_int_equal(cJSON_GetArraySize(changes), 3);
	assert_string_equal(
		cJSON_GetObjectItem(cJSON_GetArrayItem(changes, 0), "kind")->valuestring, "moved");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "notices")), 1);
	assert_null(cJSON_GetObjectItem(doc, "audit")); /* the desk's, not the kiosks' */
	cJSON_Delete(doc);
	cJSON *audit = audit_of(f.api);
	assert_int_equal(cJSON_GetArraySize(audit), 4);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "who")->valuestring,
			    "alice");
	/* in words: the session and where it went */
	const char *what = cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "what")->valuestring;
	if (!strstr(what, "move session 4184 ('") || !strstr(what, "') to Salle 243"))
		fail_msg("what: %s", what);
	cJSON_Delete(audit);

	/* undo the move: once */
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL),
			 200);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL),
			 409);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_string_equal(room_of(doc, "4184"), "salle-251");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 2);
	cJSON_Delete(doc);
	audit = audit_of(f.api);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "undone")));
	cJSON_Delete(audit);

	/* everything acknowledged is there after a restart, byte for byte */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);
}

/* Rows written straight into the database, as an older server stored them. */
static void insert_change(int64_t id, const char *kind, const char *body)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "INSERT INTO changes(id, at_ms, who, kind, body) "
					    "VALUES (?, ?, 'alice', ?, ?)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, NOW);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_bad_changes_store_nothing(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);
	static const struct {
		int status;
		const char *path, *body, *says;
	} refused[] = {
		{422, "/v1/changes",
		 "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"2200-01-01T10:00:00+01:00\",\"end\":\"2200-01-01T11:00:00+01:00\"}",
		 "1900-2199"},
		{422, "/v1/changes",
		 "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"1899-12-31T10:00:00Z\",\"end\":\"1899-12-31T11:00:00Z\"}",
		 "start: 1899"},
		{422, "/v1/changes",
		 "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"1900-01-01T00:30:00+01:00\",\"end\":\"1900-01-01T02:00:00+01:00\"}",
		 "start: 1900-01-01T00:30:00+01:00 is outside"},
		{400, "/v1/changes",
		 "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"2014-11-06T25:00:00Z\",\"end\":\"2014-11-06T11:00:00Z\"}",
		 "start: an RFC 3339"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":2.9}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":1e19}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":-1}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":\"1\"}", "whole number"},
		{422, "/v1/changes", "{\"kind\":\"undo\",\"change\":99}", "does not exist"},
		{400, "/v1/changes",
		 "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle \xff\"}",
		 "room: must be UTF-8"},
		{400, "/v1/changes",
		 "{\"kind\":\"move\",\"session\":\"4184\",\"room\":"
		 "\"Salle 243\\nvenueboard-server: INFO: fake\"}",
		 "one line"},
		{400, "/v1/changes", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"!!!\"}",
		 "no letter or digit"},
		{400, "/v1/changes",
		 "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle\\u0000 243\"}", "NUL"},
		{400, "/v1/changes",
		 "{\"kind\":\"cancel\",\"session\":\"4184\"} {\"kind\":\"cancel\"}",
		 "one JSON object"},
		{422, "/v1/changes", "{\"kind\":\"cancel\",\"session\":\"no-such-session\"}",
		 "no session"},
		{400, "/v1/notices", "{\"text\":\"Lunch\\u0000 is over\"}", "NUL"},
		{400, "/v1/notices", "{\"text\":\"Lunch\\nis over\"}", "one line"},
		{400, "/v1/notices", "{\"text\":\"\"}", "text:"},
		{400, "/v1/notices", "[\"Lunch\"]", "one JSON object"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		struct api_request req = {.method = "POST",
					  .path = refused[i].path,
					  .authorization = org,
					  .body = refused[i].body,
					  .body_len = strlen(refused[i].body),
					  .now_ms = NOW};
		struct api_response res;
		handle(f.api, &req, &res);
		if (res.status != refused[i].status || !strstr(res.body, refused[i].says))
			fail_msg("case %zu: %d %s, expected %d saying '%s'", i, res.status,
				 res.body, refused[i].status, refused[i].says);
		assert_true(text_utf8_valid(res.body, res.body_len));
		api_response_finish(&res);
	}
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	assert_int_equal(audit_size(f.api), 0);

	/* extra fields are neither stored nor echoed */
	char junk[2200];
	snprintf(junk, sizeof(junk),
		 "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\","
		 "\"junk\":\"%01000d\",\"who\":\"mallory\"}",
		 7);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, junk, NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch at 13:00\",\"pinned\":true,\"junk\":[1,2,3]}",
			      NULL, NULL, NULL),
			 201);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	const char *body = res.blob ? res.blob->data : res.body;
	assert_null(strstr(body, "junk"));
	assert_null(strstr(body, "mallory"));
	assert_null(strstr(body, "pinned"));
	cJSON *doc = cJSON_Parse(body);
	api_response_finish(&res);
	cJSON *audit = audit_of(f.api);
	cJSON *change = cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "change");
	assert_int_equal(cJSON_GetArraySize(change), 3); /* kind, session, room */
	cJSON_Delete(audit);
	assert_string_equal(cJSON_GetObjectItem(doc, "notices")->child->child->valuestring,
			    "Lunch at 13:00");
	cJSON_Delete(doc);

	/* the scheme is case-insensitive; a refusal says how to authenticate */
	const char *const spellings[] = {"bearer organizer-token-0123456789",
					 "BEARER   organizer-token-0123456789  "};
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(call(f.api, "POST", "/v1/changes", spellings[i],
				      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, NULL,
				      NULL),
				 201);
	request_at(f.api, NOW, "POST", "/v1/changes", "Basic YWxpY2U6c2VjcmV0",
		   "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, &res);
	assert_int_equal(res.status, 401);
	assert_string_equal(res.authenticate, "Bearer realm=\"venueboard\"");
	api_response_finish(&res);
	request_at(f.api, NOW, "POST", "/v1/changes", "Bearer organizer-token-0123456788",
		   "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, &res);
	assert_int_equal(res.status, 401);
	assert_non_null(strstr(res.authenticate, "invalid_token"));
	api_response_finish(&res);
	close_api(&f);
}

/* The move that would take the schedule past its room limit is refused: it
 * used to be stored, answered 500, and keep the server from starting. */
static void test_room_limit(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"Big\","
			  "\"timezone\":\"Europe/Paris\"},\"rooms\":[");
	for (int i = 0; i < SCHEDULE_MAX_ROOMS - 1; i++) {
		char room[64];
		snprintf(room, sizeof(room), "%s{\"id\":\"r%d\",\"name\":\"Room %d\"}",
			 i ? "," : "", i, i);
		test_buf_puts(&b, room);
	}
	test_buf_puts(&b,
		      "],\"sessions\":[{\"id\":\"s1\",\"title\":\"Talk\",\"room\":\"r0\",\"start\":"
		      "\"2014-11-06T09:00:00Z\",\"end\":\"2014-11-06T10:00:00Z\","
		      "\"status\":\"scheduled\"}]}");
	struct fixture f;
	open_api(&f, false);
	assert_int_equal(call(f.api, "POST", "/v1/schedule", org, b.p, NULL, NULL, NULL), 201);
	free(b.p);
	const char ok[] = "{\"kind\":\"move\",\"session\":\"s1\",\"room\":\"Room 2000\"}";
	const char over[] = "{\"kind\":\"move\",\"session\":\"s1\",\"room\":\"Room 2001\"}";
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, ok, NULL, NULL, NULL), 201);
	struct api_response res;
	request_at(f.api, NOW, "POST", "/v1/changes", org, over, NULL, &res);
	assert_int_equal(res.status, 422);
	assert_non_null(strstr(res.body, "2000 rooms"));
	api_response_finish(&res);
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);
	assert_int_equal(audit_size(f.api), 1);
	/* and the server starts again over what it stored */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);
}

/* A database an older server left with changes this one refuses: it starts,
 * says which changes it skips, and serves the rest. */
static void test_restart_over_bad_changes(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	close_api(&f);
	insert_change(1, "reschedule",
		      "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		      "\"2200-01-01T10:00:00Z\",\"end\":\"2200-01-01T11:00:00Z\"}");
	insert_change(2, "move",
		      "{\"kind\":\"move\",\"session\":\"4216\",\"room\":\"Salle \xff\"}");
	insert_change(3, "move",
		      "{\"kind\":\"move\",\"session\":\"4211\",\"room\":\"Salle 243\","
		      "\"junk\":\"xxxxxxxxxxxxxxxxxxxx\"}");
	insert_change(4, "notice", "{\"text\":\"Bonjour\",\"junk\":1}");
	insert_change(5, "teleport", "{\"kind\":\"teleport\"}");
	insert_change(6, "move", "not json at all");
	insert_change(7, "move",
		      "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 252B\"}");
	struct test_log lc = {{0}, 0};
	open_api_logged(&f, &lc);
	assert_non_null(strstr(lc.text,
			       "WARN: stored change 1 (reschedule by alice) is not a valid "
			       "change and is skipped: start: 2200-01-01T10:00:00Z is outside "
			       "the years 1900-2199"));
	assert_non_null(strstr(lc.text, "stored change 2 (move by alice)"));
	assert_non_null(strstr(lc.text, "stored change 5 (unknown by alice)"));
	assert_non_null(strstr(lc.text, "stored change 6 (move by alice) is not a valid change and "
					"is skipped: the stored change is not JSON"));
	assert_null(strstr(lc.text, "change 3"));
	assert_null(strstr(lc.text, "change 7"));
	struct api_response res;
	request_at(f.api, NOW, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	const char *body = res.blob ? res.blob->data : res.body;
	size_t len = res.blob ? res.blob->len : res.body_len;
	assert_true(text_utf8_valid(body, len)); /* strict clients read it */
	assert_null(strstr(body, "junk"));
	cJSON *doc = cJSON_Parse(body);
	api_response_finish(&res);
	assert_non_null(doc);
	assert_string_equal(room_of(doc, "4211"), "salle-243");
	assert_string_equal(room_of(doc, "4184"), "salle-252b");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "notices")), 1);
	cJSON *audit = audit_of(f.api);
	assert_int_equal(cJSON_GetArraySize(audit), 7);
	static const bool skipped[] = {true, true, false, false, true, true, false};
	for (int i = 0; i < 7; i++)
		assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, i), "skipped") !=
					 NULL,
				 skipped[i]);
	cJSON_Delete(audit);
	cJSON_Delete(doc);
	/* new changes go on from the highest stored id */
	cJSON *ack;
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"cancel\",\"session\":"
			      "\"4216\"}",
			      NULL, &ack, NULL),
			 201);
	assert_int_equal(cJSON_GetObjectItem(ack, "change")->valueint, 8);
	cJSON_Delete(ack);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":7}",
			      NULL, NULL, NULL),
			 200);
	close_api(&f);
}

/* GET /v1/changes/N reads back one change as the audit lists it; the audit
 * since a change lists only the later ones. */
static void test_change_read_back(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	cJSON *doc;
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, &doc, NULL),
			 201);
	assert_int_equal((int)cJSON_GetObjectItem(doc, "change")->valuedouble, 1);
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Coffee in the hall\"}", NULL, NULL, NULL),
			 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL),
			 200);

	assert_int_equal(call(f.api, "GET", "/v1/changes/1", NULL, NULL, NULL, &doc, NULL), 200);
	assert_string_equal(cJSON_GetObjectItem(doc, "kind")->valuestring, "cancel");
	assert_string_equal(cJSON_GetObjectItem(doc, "who")->valuestring, "alice");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "undone")));
	assert_non_null(
		strstr(cJSON_GetObjectItem(doc, "what")->valuestring, "cancel session 4216"));
	cJSON *audit = audit_of(f.api);
	char *one = cJSON_PrintUnformatted(doc),
	     *listed = cJSON_PrintUnformatted(cJSON_GetArrayItem(audit, 0));
	assert_string_equal(one, listed); /* the same object as in the audit */
	free(one);
	free(listed);
	cJSON_Delete(audit);
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "GET", "/v1/changes/2", NULL, NULL, NULL, &doc, NULL), 200);
	assert_string_equal(cJSON_GetObjectItem(doc, "what")->valuestring,
			    "notice: Coffee in the hall");
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "GET", "/v1/changes/3", NULL, NULL, NULL, NULL, NULL), 404);
	assert_int_equal(call(f.api, "GET", "/v1/changes/x", NULL, NULL, NULL, NULL, NULL), 404);
	assert_int_equal(call(f.api, "POST", "/v1/changes/1", org, "{}", NULL, NULL, NULL), 405);

	assert_int_equal(
		call_query(f.api, "GET", "/v1/audit", "since=1", NULL, NULL, NULL, &doc, NULL),
		200);
	audit = cJSON_GetObjectItem(doc, "audit");
	assert_int_equal(cJSON_GetArraySize(audit), 1);
	assert_int_equal((int)cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "id")->valuedouble,
			 2);
	cJSON_Delete(doc);
	assert_int_equal(
		call_query(f.api, "GET", "/v1/audit", "since=2", NULL, NULL, NULL, &doc, NULL),
		200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "audit")), 0);
	cJSON_Delete(doc);
	assert_int_equal(
		call_query(f.api, "GET", "/v1/audit", "since=two", NULL, NULL, NULL, NULL, NULL),
		400);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schedule_changes_and_restart, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_bad_changes_store_nothing, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_room_limit, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_restart_over_bad_changes, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_change_read_back, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
