/* Unit tests for the server's fleet rules (issue 19): a rollout judges only
 * failures about its own version and holds when its canary is gone; a
 * screen's state event stays bounded however many alerts are live; the
 * alerts listing pages. Driven without sockets, on a real SQLite file. */
#include "api_test.h"

#include "api.h"
#include "blob.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How often needle occurs in hay. */
static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void config_of(struct server_config *c, bool with_hall)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "database %s\nbundle-dir %s.bundles\n"
		 "organizer alice organizer-token-0123456789\n"
		 "screen palais-l2-east screen-token-palais-l2-east\n%s",
		 db_path, db_path, with_hall ? "screen hall-b screen-token-hall-b-01234567\n" : "");
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), c, &e))
		fail_msg("%s", e.msg);
}

/* An api over a new database at NOW (caller destroys both). */
static struct api *open_fleet_api(const struct server_config *cfg, const struct api_log *log,
				  struct store **store)
{
	struct feed_error e = {{0}};
	*store = store_open(db_path, &e);
	assert_non_null(*store);
	struct api *api = api_create(cfg, *store, NULL, 0, NOW, log, &e);
	assert_non_null(api);
	return api;
}

static int setup(void **state)
{
	return api_test_fresh_db(state);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[200];
	test_db_remove(db_path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s.bundles'", db_path);
	return system(cmd) == 0 ? 0 : -1;
}

/* A bundle of version v, as the shell hands an upload over. */
static void post_bundle(struct api *api, const char *v)
{
	char dir[80], cmd[1200], up[96];
	snprintf(dir, sizeof(dir), "%s.d", db_path);
	snprintf(up, sizeof(up), "%s.bundles/.upload-test", db_path);
	snprintf(
		cmd, sizeof(cmd),
		"rm -rf '%s' && mkdir -p '%s' '%s.bundles' && printf '%%s\\n' '%s' >'%s/version' && "
		"for f in root.squashfs vmlinuz initrd.img SHA256SUMS SHA256SUMS.sig; do "
		"printf x >'%s'/$f; done && tar -C '%s' -cf '%s' . && rm -rf '%s'",
		dir, dir, db_path, v, dir, dir, dir, up, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(post_upload(api, up, NULL, NULL), 201);
}

static int start_rollout(struct api *api, int64_t now_ms, const char *v, const char *canary)
{
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"bundle\":\"%s\",\"canaries\":[\"%s\"],\"healthy_minutes\":1}", v, canary);
	cJSON *j = NULL;
	assert_int_equal(
		call_query_at(api, now_ms, "POST", "/v1/rollouts", NULL, org, body, NULL, &j, NULL),
		201);
	int id = cJSON_GetObjectItem(j, "change")->valueint;
	cJSON_Delete(j);
	return id;
}

/* The newest rollout as GET /v1/rollouts shows it (caller deletes). */
static cJSON *newest_rollout(struct api *api, int64_t now_ms)
{
	cJSON *list = NULL;
	assert_int_equal(call_query_at(api, now_ms, "GET", "/v1/rollouts", NULL, NULL, NULL, NULL,
				       &list, NULL),
			 200);
	cJSON *all = cJSON_GetObjectItem(list, "rollouts");
	cJSON *r = cJSON_DetachItemFromArray(all, cJSON_GetArraySize(all) - 1);
	cJSON_Delete(list);
	return r;
}

/* A canary that failed the last rollout still says so at the next one's
 * first heartbeat: that does not stop it (said once in the log); once
 * offered the new version, a failure it reports does; a failure that names
 * another version never does. */
static void test_stale_failure(void **state)
{
	(void)state;
	static struct server_config cfg;
	config_of(&cfg, true);
	struct test_log lc = {{0}, 0};
	struct api_log log = {test_log_line, &lc};
	struct store *store;
	struct api *api = open_fleet_api(&cfg, &log, &store);
	post_bundle(api, "1.0");
	post_bundle(api, "2.0");
	int first = start_rollout(api, NOW, "1.0", "palais-l2-east");
	cJSON_Delete(update_for(api, NOW + 1000, palais, "0.9", "idle"));
	assert_null(update_for(api, NOW + 2000, palais, "0.9", "failed: download: HTTP 404"));
	cJSON *r = newest_rollout(api, NOW + 3000);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "stopped");
	assert_int_equal(cJSON_GetObjectItem(r, "id")->valueint, first);
	cJSON_Delete(r);
	/* the next rollout: the same text at palais's first heartbeat */
	start_rollout(api, NOW + 10000, "2.0", "palais-l2-east");
	for (int i = 0; i < 3; i++) {
		cJSON *u = update_for(api, NOW + 11000 + i * 1000, palais, "0.9",
				      "failed: download: HTTP 404");
		assert_non_null(u);
		assert_string_equal(cJSON_GetObjectItem(u, "version")->valuestring, "2.0");
		cJSON_Delete(u);
	}
	assert_int_equal(count_of(lc.text, "still says 'failed: download: HTTP 404' from before"),
			 1);
	r = newest_rollout(api, NOW + 15000);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "canaries");
	cJSON *p = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "screens"), "palais-l2-east");
	assert_string_equal(cJSON_GetObjectItem(p, "part")->valuestring, "waiting");
	cJSON_Delete(r);
	/* a rollback of another version is not this rollout's either */
	cJSON *u = update_for(api, NOW + 16000, palais, "0.9", "rolled back from 1.0");
	assert_non_null(u);
	cJSON_Delete(u);
	/* palais downloads, then fails: now it is about 2.0 */
	cJSON_Delete(update_for(api, NOW + 20000, palais, "0.9", "downloading 50 %"));
	assert_null(update_for(api, NOW + 21000, palais, "0.9", "failed: download: HTTP 404"));
	r = newest_rollout(api, NOW + 22000);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "stopped");
	cJSON_Delete(r);
	api_destroy(api);
	store_close(store);
}

/* A failure that names the rollout's version is about it from the first
 * heartbeat; one where the version is only part of another word is not. */
static void test_failure_names_version(void **state)
{
	(void)state;
	static struct server_config cfg;
	config_of(&cfg, true);
	struct store *store;
	struct api *api = open_fleet_api(&cfg, NULL, &store);
	post_bundle(api, "2.0");
	start_rollout(api, NOW, "2.0", "palais-l2-east");
	cJSON *u = update_for(api, NOW + 1000, palais, "0.9", "failed: only 12.0 MiB free");
	assert_non_null(u);
	cJSON_Delete(u);
	cJSON *r = newest_rollout(api, NOW + 1500);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "canaries");
	cJSON_Delete(r);
	assert_null(update_for(api, NOW + 2000, hall, "0.9", "idle"));
	/* hall-b is no canary; palais rolled back from 2.0 itself: stopped */
	assert_null(update_for(api, NOW + 2500, palais, "0.9", "rolled back from 2.0"));
	r = newest_rollout(api, NOW + 3000);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "stopped");
	assert_non_null(strstr(cJSON_GetObjectItem(r, "why")->valuestring, "rolled back from 2.0"));
	cJSON_Delete(r);
	api_destroy(api);
	store_close(store);
}

/* The canary's screen line removed (a reload): the rollout holds, no other
 * screen is offered the version, GET /v1/rollouts and the log say why; the
 * line back, it goes on. */
static void test_canary_gone_holds(void **state)
{
	(void)state;
	static struct server_config with, without;
	config_of(&with, true);
	/* the reload: hall-b stays, the canary's line is gone */
	char text[1024];
	snprintf(text, sizeof(text),
		 "database %s\nbundle-dir %s.bundles\n"
		 "organizer alice organizer-token-0123456789\n"
		 "screen hall-b screen-token-hall-b-01234567\n",
		 db_path, db_path);
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &without, &e));
	struct test_log lc = {{0}, 0};
	struct api_log log = {test_log_line, &lc};
	struct store *store;
	struct api *api = open_fleet_api(&with, &log, &store);
	post_bundle(api, "2.0");
	start_rollout(api, NOW, "2.0", "palais-l2-east");
	assert_null(update_for(api, NOW + 1000, hall, "1.0", "idle")); /* the canary first */
	assert_true(api_set_config(api, &without, &e));
	for (int i = 0; i < 5; i++) /* minutes later: still nothing for hall-b */
		assert_null(update_for(api, NOW + 120000 + i * 60000, hall, "1.0", "idle"));
	cJSON *r = newest_rollout(api, NOW + 500000);
	assert_string_equal(cJSON_GetObjectItem(r, "phase")->valuestring, "held");
	assert_non_null(strstr(cJSON_GetObjectItem(r, "why")->valuestring,
			       "canary palais-l2-east is no longer in the configuration"));
	cJSON_Delete(r);
	assert_int_equal(count_of(lc.text, "WARN: rollout"), 1);
	assert_non_null(strstr(lc.text, ": held: canary palais-l2-east"));
	/* back: the canary is offered it again, hall-b still waits */
	assert_true(api_set_config(api, &with, &e));
	cJSON *u = update_for(api, NOW + 600000, palais, "1.0", "idle");
	assert_non_null(u);
	cJSON_Delete(u);
	assert_null(update_for(api, NOW + 601000, hall, "1.0", "idle"));
	api_destroy(api);
	store_close(store);
}

/* 300 live alerts: a screen's stream event and heartbeat answer carry the
 * newest that fit (well under a stream's 64 KiB backlog) and say how many
 * were left out; the kiosk's 64 newest are among them. */
static void test_state_event_bounded(void **state)
{
	(void)state;
	static struct server_config cfg;
	config_of(&cfg, true);
	struct store *store;
	struct api *api = open_fleet_api(&cfg, NULL, &store);
	char body[400], text[300];
	int last = 0;
	for (int i = 0; i < 300; i++) {
		memset(text, 'a' + i % 26, 250);
		snprintf(text + 250, sizeof(text) - 250, " %d", i);
		snprintf(body, sizeof(body), "{\"text\":\"%s\"}", text);
		cJSON *j = NULL;
		assert_int_equal(call_query_at(api, NOW + i, "POST", "/v1/alerts", NULL, org, body,
					       NULL, &j, NULL),
				 201);
		last = cJSON_GetObjectItem(j, "id")->valueint;
		cJSON_Delete(j);
	}
	char *event = api_stream_event(api, "palais-l2-east");
	assert_non_null(event);
	assert_true(strlen(event) < 32 * 1024);
	cJSON *doc = cJSON_Parse(strstr(event, "data: ") + 6);
	free(event);
	cJSON *alerts = cJSON_GetObjectItem(doc, "alerts");
	int n = cJSON_GetArraySize(alerts);
	assert_true(n >= 40 && n <= 64);
	assert_int_equal(cJSON_GetObjectItem(doc, "alerts_left_out")->valueint, 300 - n);
	/* oldest first, ending with the newest */
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(alerts, n - 1), "id")->valueint,
			 last);
	assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(alerts, 0), "id")->valueint <
		    cJSON_GetObjectItem(cJSON_GetArrayItem(alerts, 1), "id")->valueint);
	cJSON_Delete(doc);
	cJSON *a = NULL;
	assert_int_equal(call_query_at(api, NOW + 1000, "POST", "/v1/screens/heartbeat", NULL, hall,
				       "{\"version\":\"1.5\"}", NULL, &a, NULL),
			 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "alerts")), n);
	assert_int_equal(cJSON_GetObjectItem(a, "alerts_left_out")->valueint, 300 - n);
	cJSON_Delete(a);
	/* the listing pages: the newest 200 without a token, then the rest */
	cJSON *list = NULL;
	char tag[24], tag2[24];
	assert_int_equal(call_query_at(api, NOW + 2000, "GET", "/v1/alerts", NULL, NULL, NULL, NULL,
				       &list, tag),
			 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(list, "alerts")), 200);
	assert_int_equal(cJSON_GetObjectItem(list, "older")->valueint, 100);
	cJSON *oldest = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	char q[48];
	snprintf(q, sizeof(q), "before=%d", cJSON_GetObjectItem(oldest, "id")->valueint);
	cJSON_Delete(list);
	assert_int_equal(call_query_at(api, NOW + 3000, "GET", "/v1/alerts", NULL, NULL, NULL, NULL,
				       NULL, tag2),
			 200);
	assert_string_equal(tag, tag2); /* nothing changed: the same copy */
	assert_int_equal(call_query_at(api, NOW + 3000, "GET", "/v1/alerts", q, NULL, NULL, NULL,
				       &list, NULL),
			 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(list, "alerts")), 100);
	assert_int_equal(cJSON_GetObjectItem(list, "older")->valueint, 0);
	cJSON_Delete(list);
	assert_int_equal(call_query_at(api, NOW, "GET", "/v1/alerts", "limit=0", NULL, NULL, NULL,
				       NULL, NULL),
			 400);
	assert_int_equal(call_query_at(api, NOW, "GET", "/v1/alerts", "before=x", NULL, NULL, NULL,
				       NULL, NULL),
			 400);
	/* the organizer's view: each screen, 50 a page */
	assert_int_equal(
		call_query_at(api, NOW, "GET", "/v1/alerts", NULL, org, NULL, NULL, &list, NULL),
		200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(list, "alerts")), 50);
	cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"), "hall-b")));
	assert_int_equal(cJSON_GetObjectItem(x, "targeted")->valueint, 2);
	cJSON_Delete(list);
	api_destroy(api);
	store_close(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stale_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_names_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_canary_gone_holds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_event_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
