/* Unit tests for api_health.c: /metrics escaped, /healthz seeing writes
 * that fail. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Every /metrics line is a comment or "name{label="value"} number": no id
 * can add a line or break the scrape. */
static void test_metrics_escaped(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	post_samples_at(f.api, NOW,
			"{\"type\":\"queue\",\"queue\":\"lunch\\\"} 1 \\\\ x\",\"stations\":1,"
			"\"service_s\":30}\n",
			200, NULL);
	post_samples_at(f.api, NOW,
			"{\"type\":\"queue\",\"queue\":\"x\\nvenueboard_fake 1\",\"stations\":1,"
			"\"service_s\":30}\n",
			400, "queue: not UTF-8 text without control characters");
	struct api_response res;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	char *text = strndup(res.body, res.body_len);
	api_response_finish(&res);
	assert_non_null(strstr(text, "venueboard_queue_last_sample_age_seconds{queue=\"lunch\\\"} "
				     "1 \\\\ x\"} -1.0\n"));
	free(text);
	int lines = 0;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	const char *p = res.body, *end = res.body + res.body_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		size_t n = (size_t)(nl - p);
		lines++;
		if (n >= 7 && memcmp(p, "# TYPE ", 7) == 0) {
			p = nl + 1;
			continue;
		}
		assert_true(memcmp(p, "venueboard_", 11) == 0);
		/* a label value ends at an unescaped quote */
		const char *brace = memchr(p, '{', n);
		const char *q = p + n;
		if (brace) {
			const char *v = brace + 1;
			while (v < q && *v != '"')
				v++;
			for (v++; v < q && *v != '"'; v++)
				if (*v == '\\')
					v++;
			assert_true(v + 1 < q && v[1] == '}');
			q = v + 2;
		} else {
			q = memchr(p, ' ', n);
		}
		assert_non_null(q);
		assert_true(*q == ' ');
		char *num_end;
		strtod(q + 1, &num_end);
		assert_ptr_equal(num_end, nl);
		p = nl + 1;
	}
	assert_true(lines > 10);
	api_response_finish(&res);
	close_api(&f);
}

/* /healthz says "failing" when writes do not reach the database. */
static void test_health_sees_failing_writes(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "\"status\":\"ok\""));
	api_response_finish(&res);
	/* someone else holds the database: every write fails */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	request_at(f.api, NOW + 1000, "POST", "/v1/notices", org, "{\"text\":\"Lunch at 13:00\"}",
		   NULL, &res);
	assert_int_equal(res.status, 500);
	api_response_finish(&res);
	request_at(f.api, NOW + 2000, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 503);
	assert_non_null(strstr(res.body, "\"status\":\"failing\",\"error\":\"database"));
	api_response_finish(&res);
	assert_int_equal(audit_size(f.api), 0);
	/* the lock goes: the next look (a probe write) sees it */
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	request_at(f.api, NOW + 2000 + API_HEALTH_PROBE_S * 1000LL, "GET", "/healthz", NULL, NULL,
		   NULL, &res);
	assert_int_equal(res.status, 200);
	api_response_finish(&res);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_metrics_escaped, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_health_sees_failing_writes, NULL,
						api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
