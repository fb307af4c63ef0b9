/* Unit tests for api_forecast.c: each lunch line's next hour learned from the
 * demo summit's earlier days, its alert, and a forecast withheld. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "feed.h"
#include "forecast_record.h"
#include "lunch_sim.h"
#include "queue_sample.h"
#include "schedule.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The demo summit's lunch line on Monday to Wednesday (the project's own
 * conference simulator), then Thursday up to until_ms, posted as a sensor
 * would; from empty_from_ms on (INT64_MAX: never) nobody comes: the
 * counters' totals stay as they were. */
static void post_conference_emptied(struct api *api, int64_t until_ms, int64_t empty_from_ms)
{
	size_t len;
	char *text = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct schedule *s = NULL;
	struct feed_error e;
	assert_true(feed_parse(text, len, NULL, &s, &e));
	free(text);
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	c.seed = 3;
	struct sim_result r;
	assert_true(lunch_sim_conference_run(&c, &r));
	size_t cap = r.n_samples * QUEUE_LINE_MAX, used = 0;
	char *body = malloc(cap);
	assert_non_null(body);
	struct {
		char sensor[QUEUE_ID_MAX + 1];
		int64_t total;
	} kept[8];
	size_t n_kept = 0;
	for (size_t i = 0; i < r.n_samples; i++) {
		struct queue_sample *x = &r.samples[i];
		if (x->type != SAMPLE_QUEUE && x->t_ms > until_ms)
			continue;
		if (x->type == SAMPLE_COUNT && x->t_ms >= empty_from_ms) {
			size_t k = 0;
			while (k < n_kept && strcmp(kept[k].sensor, x->sensor) != 0)
				k++;
			if (k == n_kept && n_kept < 8) {
				snprintf(kept[k].sensor, sizeof(kept[k].sensor), "%s", x->sensor);
				kept[n_kept++].total = x->total;
			}
			if (k < n_kept)
				x->total = kept[k].total;
		}
		used += queue_sample_format(x, body + used, cap - used);
		body[used++] = '\n';
	}
	body[used] = '\0';
	post_samples_at(api, until_ms, body, 200, "\"accepted\"");
	free(body);
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

static void post_conference(struct api *api, int64_t until_ms)
{
	post_conference_emptied(api, until_ms, INT64_MAX);
}

/* The demo summit's api at t on a new database, configured by text, with
 * its log captured in lc: for the forecast's tests. The caller destroys the
 * api, closes *store and frees *feed. */
struct forecast_api {
	struct server_config cfg;
	struct test_log lc;
	struct api_log log;
	struct store *store;
	char *feed;
	size_t len;
};

static struct api *forecast_api(struct forecast_api *fa, const char *text, int64_t t)
{
	struct feed_error e = {{0}};
	memset(fa, 0, sizeof(*fa));
	assert_true(server_config_parse(text, strlen(text), &fa->cfg, &e));
	fa->feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &fa->len);
	fa->log = (struct api_log){test_log_line, &fa->lc};
	fa->store = store_open(db_path, &e);
	assert_non_null(fa->store);
	struct api *api = api_create(&fa->cfg, fa->store, fa->feed, fa->len, t, &fa->log, &e);
	if (!api)
		fail_msg("%s", e.msg);
	return api;
}

/* GET /v1/queues carries each line's next hour (five-minute steps, learned
 * from the earlier days in the database), the desk's alert when one is
 * forecast above alert-wait, /metrics the same; configured seats win over
 * the feed's; all of it comes back after a restart. */
static void test_queues_forecast(void **state)
{
	(void)state;
	static struct forecast_api fa;
	const int64_t t = 1415272200000LL; /* Thursday 2014-11-06T11:10:00Z, 12:10 in Paris */
	struct api *api = forecast_api(&fa,
				       "database x\norganizer alice organizer-token-0123456789\n"
				       "sensor door sensor-token-0123456789ab\n"
				       "alert-wait meridien-lunch 15\n"
				       "capacity  Salle 241   450\n"
				       "capacity Salle 999 10\n",
				       t);
	struct feed_error e = {{0}};
	struct store *store = fa.store;
	assert_non_null(strstr(fa.lc.text, "WARN: capacity Salle 999: no such room in schedule"));
	post_conference(api, t);
	cJSON *q = queue_estimate(api, t, "meridien-lunch");
	cJSON *fc = cJSON_GetObjectItem(q, "forecast");
	assert_non_null(fc);
	assert_string_equal(cJSON_GetObjectItem(fc, "t")->valuestring, "2014-11-06T11:10:00Z");
	assert_int_equal(cJSON_GetObjectItem(fc, "days_learned")->valueint, 3);
	cJSON *points = cJSON_GetObjectItem(fc, "points");
	assert_int_equal(cJSON_GetArraySize(points), 12);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(points, 0), "at")->valuestring,
			    "2014-11-06T11:15:00Z");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(points, 11), "at")->valuestring,
			    "2014-11-06T12:10:00Z");
	/* the line is empty now; the lunch wave at 12:30 in Paris is foreseen */
	assert_true(cJSON_GetObjectItem(q, "wait_s")->valuedouble < 120);
	double peak = 0;
	cJSON *p;
	cJSON_ArrayForEach(p, points) {
		cJSON *w = cJSON_GetObjectItem(p, "wait_s"), *lo = cJSON_GetObjectItem(p, "low_s"),
		      *hi = cJSON_GetObjectItem(p, "high_s");
		assert_true(cJSON_IsNumber(w) && cJSON_IsNumber(lo) && cJSON_IsNumber(hi));
		assert_true(lo->valuedouble <= w->valuedouble && w->valuedouble <= hi->valuedouble);
		peak = w->valuedouble > peak ? w->valuedouble : peak;
	}
	if (peak < 900)
		fail_msg("the lunch wave is not foreseen: at most %.0f s in the next hour", peak);
	cJSON *alert = cJSON_GetObjectItem(q, "alert");
	assert_non_null(alert);
	assert_int_equal(cJSON_GetObjectItem(alert, "threshold_s")->valueint, 900);
	assert_true(cJSON_GetObjectItem(alert, "wait_s")->valuedouble >= 900);
	const char *says = cJSON_GetObjectItem(alert, "text")->valuestring;
	if (!strstr(says, "Le M\xC3\xA9ridien") || !strstr(says, "open more stations?") ||
	    !strstr(says, " at 12:") /* Paris time */)
		fail_msg("alert text: %s", says);
	assert_non_null(strstr(fa.lc.text, "WARN: lunch line Le M\xC3\xA9ridien"));
	char *first = cJSON_PrintUnformatted(fc);
	cJSON_Delete(q);
	/* /metrics */
	struct api_response res;
	request_at(api, t, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(
		strstr(res.body, "venueboard_queue_forecast_alert{queue=\"meridien-lunch\"} 1"));
	assert_non_null(strstr(res.body,
			       "venueboard_queue_forecast_wait_seconds{queue=\"meridien-lunch\","
			       "ahead_minutes=\"30\"} "));
	api_response_finish(&res);
	/* the seats: configured 450 over the feed's 400 */
	request_at(api, t, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	int seats = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "rooms"))
		if (strcmp(cJSON_GetObjectItem(p, "name")->valuestring, "Salle 241") == 0)
			seats = cJSON_GetObjectItem(p, "capacity")->valueint;
	assert_int_equal(seats, 450);
	cJSON_Delete(doc);
	api_destroy(api);
	store_close(store);
	/* a restart learns the same days again from the database */
	store = store_open(db_path, &e);
	api = api_create(&fa.cfg, store, NULL, 0, t, NULL, &e);
	assert_non_null(api);
	q = queue_estimate(api, t, "meridien-lunch");
	char *again = cJSON_PrintUnformatted(cJSON_GetObjectItem(q, "forecast"));
	assert_string_equal(again, first);
	free(first);
	free(again);
	cJSON_Delete(q);
	api_destroy(api);
	store_close(store);
	free(fa.feed);
}

/* Thursday nobody comes to lunch (the counters stand still from 10:00 in
 * Paris), though the schedule and the three earlier days say the wave is
 * due at 12:30: by 13:40 the forecaster's record is worse than "it stays as
 * it is". GET /v1/queues withholds it (points null, "withheld", the record),
 * no alert is raised though alert-wait is 5 min, /metrics gives no forecast
 * gauge, and the log says it once. */
static void test_queues_forecast_withheld(void **state)
{
	(void)state;
	static struct forecast_api fa;
	const int64_t t = 1415277600000LL; /* 2014-11-06T12:40:00Z, 13:40 in Paris */
	struct api *api = forecast_api(&fa,
				       "database x\norganizer alice organizer-token-0123456789\n"
				       "sensor door sensor-token-0123456789ab\n"
				       "alert-wait meridien-lunch 5\n",
				       t);
	const struct test_log *lc = &fa.lc;
	post_conference_emptied(api, t, 1415264400000LL /* 10:00 in Paris */);
	cJSON *q = queue_estimate(api, t, "meridien-lunch");
	cJSON *fc = cJSON_GetObjectItem(q, "forecast");
	assert_non_null(fc);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(fc, "withheld"))) {
		char *all = cJSON_PrintUnformatted(fc);
		fail_msg("not withheld: %s", all);
	}
	cJSON *p;
	int nulls = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(fc, "points"))
		nulls += cJSON_IsNull(cJSON_GetObjectItem(p, "wait_s")) &&
			 cJSON_IsNull(cJSON_GetObjectItem(p, "low_s")) &&
			 cJSON_IsNull(cJSON_GetObjectItem(p, "high_s"));
	assert_true(nulls > 0);
	/* the record says why: at a withheld horizon, worse than persistence */
	int withheld = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(fc, "record")) {
		if (!cJSON_IsTrue(cJSON_GetObjectItem(p, "withheld")))
			continue;
		withheld++;
		assert_true(cJSON_GetObjectItem(p, "n")->valueint >= FORECAST_RECORD_MIN);
		assert_true(cJSON_GetObjectItem(p, "model_s")->valuedouble >
			    cJSON_GetObjectItem(p, "persistence_s")->valuedouble);
	}
	assert_true(withheld > 0);
	assert_null(cJSON_GetObjectItem(q, "alert"));
	cJSON_Delete(q);
	if (!strstr(lc->text, "INFO: lunch line Le M\xC3\xA9ridien \xE2\x80\x94 d\xC3\xA9jeuner: "
			      "forecast withheld: ") ||
	    !strstr(lc->text, "forecasts were off by") || strstr(lc->text, "WARN: lunch line"))
		fail_msg("log: %s", lc->text);
	/* said once, not at every look */
	const char *once = strstr(lc->text, "forecast withheld");
	q = queue_estimate(api, t + 60000, "meridien-lunch");
	cJSON_Delete(q);
	assert_null(strstr(once + 1, "forecast withheld"));
	struct api_response res;
	request_at(api, t, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(
		strstr(res.body, "venueboard_queue_forecast_withheld{queue=\"meridien-lunch\"} 1"));
	assert_non_null(
		strstr(res.body, "venueboard_queue_forecast_alert{queue=\"meridien-lunch\"} 0"));
	api_response_finish(&res);
	api_destroy(api);
	store_close(fa.store);
	free(fa.feed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queues_forecast, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues_forecast_withheld, NULL,
						api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
