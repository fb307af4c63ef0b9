/* Unit tests for api_rollouts.c: bundles kept or refused, rollouts from the
 * canary to the fleet and stopped. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A bundle folder as the image build makes it, as a tar at path; version v,
 * without file `leave_out` (NULL: complete). */
static void make_bundle(const char *path, const char *v, const char *leave_out)
{
	char dir[256], cmd[1024];
	snprintf(dir, sizeof(dir), "%s.d", path);
	static const char *const files[] = {"root.squashfs", "vmlinuz", "initrd.img", "SHA256SUMS",
					    "SHA256SUMS.sig"};
	snprintf(cmd, sizeof(cmd),
		 "rm -rf '%s' && mkdir -p '%s' && printf '%%s\n' '%s' >'%s/version'", dir, dir, v,
		 dir);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		if (leave_out && strcmp(files[i], leave_out) == 0)
			continue;
		snprintf(cmd, sizeof(cmd), "printf '%s' >'%s/%s'", files[i], dir, files[i]);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "tar -C '%s' -cf '%s' . && rm -rf '%s'", dir, path, dir);
	assert_int_equal(system(cmd), 0);
}

/* POST /v1/bundles as the shell hands it over: the body already in a file
 * of the bundle folder. */
static int post_bundle(struct api *api, const char *tar, const char *query, cJSON **json)
{
	char up[300];
	snprintf(up, sizeof(up), "%s.bundles/.upload-test", db_path);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s.bundles' && cp '%s' '%s'", db_path, tar, up);
	assert_int_equal(system(cmd), 0);
	return post_upload(api, up, query, json);
}

/* Bundles: kept whole or refused (not a tar, a file missing, the name not
 * the version, twice); a rollout: the canary first, the rest once the
 * canary has run it a minute, stopped when a screen fails, said in the
 * log; a screen's first heartbeat on the version survives a restart. */
static void test_bundles_and_rollouts(void **state)
{
	(void)state;
	struct fixture f;
	struct test_log lc = {{0}, 0};
	struct feed_error e = {{0}};
	struct api_log log = {test_log_line, &lc};
	f.store = store_open(db_path, &e);
	f.api = api_create(&config, f.store, NULL, 0, NOW, &log, &e);
	assert_non_null(f.api);
	const char *v = "20261127.120000-abc";
	char tar[300], bad[300];
	snprintf(tar, sizeof(tar), "%s.good.tar", db_path);
	snprintf(bad, sizeof(bad), "%s.bad.tar", db_path);
	make_bundle(tar, v, NULL);
	make_bundle(bad, v, "SHA256SUMS.sig");
	cJSON *j;
	assert_int_equal(post_bundle(f.api, bad, NULL, &j), 422);
	assert_non_null(strstr(cJSON_GetObjectItem(j, "error")->valuestring, "no SHA256SUMS.sig"));
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, "name=1.0", &j), 422);
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, NULL, &j), 201);
	assert_string_equal(cJSON_GetObjectItem(j, "bundle")->valuestring, v);
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, NULL, NULL), 409);
	char kept[300];
	snprintf(kept, sizeof(kept), "%s.bundles/%s.tar", db_path, v);
	assert_int_equal(access(kept, R_OK), 0);
	/* the download: a screen's token */
	struct api_response res;
	char path[96];
	snprintf(path, sizeof(path), "/v1/bundles/%s.tar", v);
	request_at(f.api, NOW, "GET", path, org, NULL, NULL, &res);
	assert_int_equal(res.status, 401);
	api_response_finish(&res);
	request_at(f.api, NOW, "GET", path, palais, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.file, kept);
	api_response_finish(&res);
	/* rollouts: refused, then palais first */
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org,
			      "{\"bundle\":\"9.9\",\"canaries\":[\"palais-l2-east\"]}", NULL, NULL,
			      NULL),
			 422);
	char body[256];
	snprintf(body, sizeof(body), "{\"bundle\":\"%s\",\"canaries\":[\"lobby\"]}", v);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, NULL, NULL), 422);
	snprintf(body, sizeof(body),
		 "{\"bundle\":\"%s\",\"canaries\":[\"palais-l2-east\"],"
		 "\"healthy_minutes\":1}",
		 v);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, &j, NULL), 201);
	int id = cJSON_GetObjectItem(j, "change")->valueint;
	cJSON_Delete(j);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, NULL, NULL), 409);
	cJSON *u = update_for(f.api, NOW, palais, "old", "idle");
	assert_non_null(u);
	assert_string_equal(cJSON_GetObjectItem(u, "version")->valuestring, v);
	assert_string_equal(cJSON_GetObjectItem(u, "url")->valuestring, path);
	cJSON_Delete(u);
	assert_null(update_for(f.api, NOW, hall, "old", "idle")); /* not yet */
	/* palais runs it: nothing more for it; the rest wait a healthy minute */
	assert_null(update_for(f.api, NOW + 1000, palais, v, "idle"));
	assert_null(update_for(f.api, NOW + 30000, hall, "old", "idle"));
	assert_null(update_for(f.api, NOW + 62000, palais, v, "idle"));
	u = update_for(f.api, NOW + 63000, hall, "old", "idle");
	assert_non_null(u);
	cJSON_Delete(u);
	assert_non_null(
		strstr(lc.text, "INFO: rollout of 20261127.120000-abc: palais-l2-east runs it"));
	assert_non_null(strstr(lc.text, ": fleet"));
	/* hall refuses the bundle: the rollout stops, the desk sees why */
	assert_null(update_for(f.api, NOW + 70000, hall, "old", "refused: bad signature"));
	assert_non_null(strstr(lc.text, "WARN: rollout"));
	struct api_request rq = {.method = "GET", .path = "/v1/rollouts", .now_ms = NOW + 71000};
	handle(f.api, &rq, &res);
	cJSON *list = cJSON_Parse(res.body);
	api_response_finish(&res);
	cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "rollouts"), 0);
	assert_string_equal(cJSON_GetObjectItem(r0, "phase")->valuestring, "stopped");
	assert_non_null(strstr(cJSON_GetObjectItem(r0, "why")->valuestring, "bad signature"));
	cJSON *sp = cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "screens"), "palais-l2-east");
	assert_string_equal(cJSON_GetObjectItem(sp, "part")->valuestring, "running");
	assert_string_equal(cJSON_GetObjectItem(sp, "slot")->valuestring, "a");
	cJSON_Delete(list);
	/* for good: hall back to idle gets nothing; a desk's stop now is a 409 */
	assert_null(update_for(f.api, NOW + 80000, hall, "old", "idle"));
	snprintf(path, sizeof(path), "/v1/rollouts/%d/stop", id);
	assert_int_equal(call(f.api, "POST", path, org, NULL, NULL, NULL, NULL), 409);
	snprintf(path, sizeof(path), "/v1/rollouts/%d/stop", id + 100);
	assert_int_equal(call(f.api, "POST", path, org, NULL, NULL, NULL, NULL), 404);
	close_api(&f);
	open_api(&f, false);
	handle(f.api, &rq, &res);
	list = cJSON_Parse(res.body);
	api_response_finish(&res);
	r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "rollouts"), 0);
	assert_string_equal(cJSON_GetObjectItem(r0, "phase")->valuestring, "stopped");
	sp = cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "screens"), "palais-l2-east");
	assert_string_equal(cJSON_GetObjectItem(sp, "running_since")->valuestring,
			    "2014-11-06T09:00:01Z");
	cJSON_Delete(list);
	close_api(&f);
	unlink(tar);
	unlink(bad);
	unlink(kept);
	char dir[300];
	snprintf(dir, sizeof(dir), "%s.bundles", db_path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bundles_and_rollouts, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
