/* Unit tests for api_sources.c without sockets: what the links bring
 * (payloads, failures, the broker's state) into samples and GET
 * /v1/sources; POST /v1/ingest/NAME and its tokens (Bearer or Basic); faults
 * said once; a reload that keeps what an unchanged source said. The real
 * broker and devices are tests/integration/test_sources.py's. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "server_config.h"
#include "store.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct server_config cfg;
static const char door_token[] = "door-a-token-0123456789";

static void parse_config(struct server_config *c, const char *extra)
{
	char text[2048];
	snprintf(text, sizeof(text),
		 "database %s\norganizer alice organizer-token-0123456789\n"
		 "sensor door-a %s\nsensor other other-token-0123456789\n"
		 "mqtt-broker mqtt://127.0.0.1:1883\n"
		 "source irisys-a irisys mqtt:irisys/a/counts queue:lunch\n"
		 "source-counter irisys-a In entry\n"
		 "source door-a json push queue:lunch\n"
		 "source-field door-a entry /in\n"
		 "source cam axis-people-counter poll:http://127.0.0.1:9/x@5 queue:lunch\n"
		 "source bridge venueboard mqtt:v/lines queue:lunch\n%s",
		 db_path, door_token, extra);
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), c, &e))
		fail_msg("config: %s", e.msg);
}

static struct api *open_sources(struct store **store, struct test_log *lc)
{
	struct feed_error e = {{0}};
	parse_config(&cfg, "");
	*store = store_open(db_path, &e);
	assert_non_null(*store);
	struct api_log log = {test_log_line, lc};
	struct api *api = api_create(&cfg, *store, NULL, 0, NOW, &log, &e);
	if (!api)
		fail_msg("%s", e.msg);
	return api;
}

/* The source called name in GET /v1/sources at now_ms (caller deletes doc). */
static cJSON *source_at(struct api *api, int64_t now_ms, const char *name, cJSON **doc)
{
	assert_int_equal(
		call_query_at(api, now_ms, "GET", "/v1/sources", NULL, NULL, NULL, NULL, doc, NULL),
		200);
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(*doc, "sources")) {
		if (strcmp(cJSON_GetObjectItem(s, "name")->valuestring, name) == 0)
			return s;
	}
	fail_msg("no source %s", name);
	return NULL;
}

static double number(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const char *text(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

/* How many times the log says what. */
static int said(const struct test_log *lc, const char *what)
{
	int n = 0;
	for (const char *p = lc->text; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void payload(struct api *api, const char *source, const char *bytes, int64_t at)
{
	struct api_source_event ev = {API_SOURCE_PAYLOAD,
				      source,
				      "irisys/a/counts",
				      bytes,
				      strlen(bytes),
				      at,
				      NULL,
				      NULL};
	api_sources_events(api, &ev, 1, at);
}

/* Irisys Counts events through the links: a running total stored as a
 * sample; the same message again counts once; garbage refused, said once. */
static void test_events_become_samples(void **state)
{
	(void)state;
	struct store *store;
	struct test_log lc = {0};
	struct api *api = open_sources(&store, &lc);
	cJSON *doc;
	cJSON *s = source_at(api, NOW, "irisys-a", &doc);
	assert_string_equal(text(s, "state"), "silent");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "last_reading")));
	assert_string_equal(text(s, "target"), "queue:lunch");
	assert_string_equal(text(s, "from"), "mqtt:irisys/a/counts");
	assert_string_equal(text(cJSON_GetObjectItem(doc, "broker"), "state"), "connecting");
	cJSON_Delete(doc);

	const char *events =
		"[{\"register\":\"In\",\"value\":2,\"t\":\"2014-11-06T08:59:50+0000\"},"
		"{\"register\":\"In\",\"value\":3,\"t\":\"2014-11-06T08:59:55+0000\"}]";
	payload(api, "irisys-a", events, NOW);
	payload(api, "irisys-a", events, NOW + 1000); /* QoS 1 redelivery */
	assert_int_equal(call_query_at(api, NOW + 2000, "GET", "/v1/queues", NULL, NULL, NULL, NULL,
				       &doc, NULL),
			 200);
	cJSON *totals = cJSON_CreateArray(), *x;
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(doc, "samples")) {
		assert_string_equal(text(x, "sensor"), "irisys-a");
		cJSON_AddItemToArray(totals, cJSON_CreateNumber(number(x, "total")));
	}
	char *got = cJSON_PrintUnformatted(totals);
	assert_string_equal(got, "[2,5]");
	free(got);
	cJSON_Delete(totals);
	cJSON_Delete(doc);
	s = source_at(api, NOW + 2000, "irisys-a", &doc);
	assert_string_equal(text(s, "state"), "ok");
	assert_int_equal(number(s, "readings"), 4);
	assert_int_equal(number(s, "duplicates"), 2);
	cJSON_Delete(doc);

	payload(api, "irisys-a", "{\"counts\": [", NOW + 3000);
	payload(api, "irisys-a", "{\"counts\": [{", NOW + 4000);
	struct api_source_event empty = {
		API_SOURCE_PAYLOAD, "irisys-a", "irisys/a/counts", NULL, 0, NOW + 4500, NULL, NULL};
	api_sources_events(api, &empty, 1, NOW + 4500); /* an empty MQTT message */
	s = source_at(api, NOW + 5000, "irisys-a", &doc);
	assert_int_equal(number(s, "refused"), 3);
	assert_non_null(strstr(text(s, "last_error"), "irisys"));
	cJSON_Delete(doc);
	assert_int_equal(said(&lc, "source irisys-a: payload refused"), 1);
	/* and it falls silent three minutes after its last reading */
	s = source_at(api, NOW + 4 * 60 * 1000, "irisys-a", &doc);
	assert_string_equal(text(s, "state"), "silent");
	cJSON_Delete(doc);
	api_destroy(api);
	store_close(store);
}

/* A poll that fails, the broker refusing the login: failing with why, said
 * once; reached again: ok. */
static void test_failures_and_the_broker(void **state)
{
	(void)state;
	struct store *store;
	struct test_log lc = {0};
	struct api *api = open_sources(&store, &lc);
	struct api_source_event fail = {API_SOURCE_FAILED,        "cam", NULL, NULL, 0, NOW, NULL,
					"poll http://x: HTTP 503"};
	api_sources_events(api, &fail, 1, NOW);
	fail.at_ms = NOW + 5000;
	api_sources_events(api, &fail, 1, NOW + 5000);
	cJSON *doc;
	cJSON *s = source_at(api, NOW + 6000, "cam", &doc);
	assert_string_equal(text(s, "state"), "failing");
	assert_non_null(strstr(text(s, "last_error"), "HTTP 503"));
	assert_string_equal(text(s, "since"), "2014-11-06T09:00:00Z");
	cJSON_Delete(doc);
	assert_int_equal(said(&lc, "source cam: poll http://x: HTTP 503"), 1);
	const char *answer = "{\"serial\":\"A\",\"name\":\"x\",\"timestamp\":\"20141106085950\","
			     "\"in\":4,\"out\":1}";
	struct api_source_event ok = {API_SOURCE_PAYLOAD, "cam",      NULL, answer,
				      strlen(answer),     NOW + 7000, NULL, NULL};
	api_sources_events(api, &ok, 1, NOW + 7000);
	s = source_at(api, NOW + 8000, "cam", &doc);
	assert_string_equal(text(s, "state"), "ok");
	cJSON_Delete(doc);
	assert_int_equal(said(&lc, "source cam: reached again"), 1);

	struct api_source_event broker = {API_BROKER_STATE,
					  NULL,
					  NULL,
					  NULL,
					  0,
					  NOW,
					  "failing",
					  "the broker refused the connection: not authorised"};
	api_sources_events(api, &broker, 1, NOW);
	s = source_at(api, NOW + 1000, "irisys-a", &doc);
	assert_string_equal(text(s, "state"), "failing"); /* its broker turned it away */
	cJSON *b = cJSON_GetObjectItem(doc, "broker");
	assert_string_equal(text(b, "state"), "failing");
	assert_non_null(strstr(text(b, "last_error"), "not authorised"));
	cJSON_Delete(doc);
	assert_int_equal(said(&lc, "not authorised"), 1);
	broker.what = "connected";
	broker.why = NULL;
	api_sources_events(api, &broker, 1, NOW + 2000);
	s = source_at(api, NOW + 3000, "irisys-a", &doc);
	assert_string_equal(text(cJSON_GetObjectItem(doc, "broker"), "state"), "connected");
	assert_string_equal(text(s, "state"), "silent"); /* reachable, but nothing said yet */
	cJSON_Delete(doc);
	char *m = NULL;
	struct api_response res;
	request_at(api, NOW + 3000, "GET", "/metrics", NULL, NULL, NULL, &res);
	m = strndup(res.body, res.body_len);
	api_response_finish(&res);
	assert_non_null(strstr(m, "venueboard_source_state{source=\"cam\",state=\"ok\"} 1\n"));
	assert_non_null(strstr(m, "venueboard_mqtt_connected 1\n"));
	free(m);
	api_destroy(api);
	store_close(store);
}

/* POST /v1/ingest/NAME: the source's own token as Bearer or as Basic's
 * password, any user; another sensor's is a 403; a source that is not a
 * push, a 404; a payload that does not read, a 400 naming it. */
static void test_ingest(void **state)
{
	(void)state;
	struct store *store;
	struct test_log lc = {0};
	struct api *api = open_sources(&store, &lc);
	char bearer[96], basic[160];
	snprintf(bearer, sizeof(bearer), "Bearer %s", door_token);
	char both[96];
	snprintf(both, sizeof(both), "any-user:%s", door_token);
	char *b64 = text_base64((const unsigned char *)both, strlen(both));
	snprintf(basic, sizeof(basic), "Basic %s", b64);
	free(b64);
	cJSON *doc;
	assert_int_equal(call_query(api, "POST", "/v1/ingest/door-a", NULL, bearer, "{\"in\":5}",
				    NULL, &doc, NULL),
			 200);
	assert_int_equal(number(doc, "accepted"), 1);
	cJSON_Delete(doc);
	assert_int_equal(call_query(api, "POST", "/v1/ingest/door-a", NULL, basic, "{\"in\":7}",
				    NULL, &doc, NULL),
			 200);
	cJSON_Delete(doc);
	struct api_response res;
	request_at(api, NOW, "POST", "/v1/ingest/door-a", NULL, "{\"in\":7}", NULL, &res);
	assert_int_equal(res.status, 401);
	assert_string_equal(res.authenticate, "Basic realm=\"venueboard\"");
	api_response_finish(&res);
	assert_int_equal(call_query(api, "POST", "/v1/ingest/door-a", NULL,
				    "Basic YW55Ondyb25nLXRva2VuLTAxMjM0NTY3ODk=", "{\"in\":7}",
				    NULL, &doc, NULL),
			 401);
	cJSON_Delete(doc);
	assert_int_equal(call_query(api, "POST", "/v1/ingest/door-a", NULL,
				    "Bearer other-token-0123456789", "{\"in\":7}", NULL, &doc,
				    NULL),
			 403);
	cJSON_Delete(doc);
	assert_int_equal(call_query(api, "POST", "/v1/ingest/cam", NULL,
				    "Bearer other-token-0123456789", "{}", NULL, &doc, NULL),
			 404);
	cJSON_Delete(doc);
	assert_int_equal(call_query(api, "POST", "/v1/ingest/door-a", NULL, bearer, "{\"out\":5}",
				    NULL, &doc, NULL),
			 400);
	assert_non_null(strstr(text(doc, "error"), "/in"));
	cJSON_Delete(doc);
	cJSON *s = source_at(api, NOW, "door-a", &doc);
	assert_int_equal(number(s, "readings"), 2);
	assert_int_equal(number(s, "refused"), 1);
	cJSON_Delete(doc);
	api_destroy(api);
	store_close(store);
}

/* A reload keeps what an unchanged source said and forgets a removed one. */
static void test_reload_keeps_sources(void **state)
{
	(void)state;
	struct store *store;
	struct test_log lc = {0};
	struct api *api = open_sources(&store, &lc);
	payload(api, "irisys-a",
		"[{\"register\":\"In\",\"value\":2,\"t\":\"2014-11-06T08:59:50+0000\"}]", NOW);
	static struct server_config next;
	parse_config(&next, "source late json push queue:lunch\nsource-field late entry /n\n"
			    "sensor late late-token-0123456789\n");
	struct feed_error e = {{0}};
	assert_true(api_set_config(api, &next, &e));
	cJSON *doc;
	cJSON *s = source_at(api, NOW + 1000, "irisys-a", &doc);
	assert_int_equal(number(s, "readings"), 1);
	cJSON_Delete(doc);
	s = source_at(api, NOW + 1000, "late", &doc);
	assert_string_equal(text(s, "state"), "silent");
	cJSON_Delete(doc);
	api_destroy(api);
	store_close(store);
}

/* More samples in one batch of events than one transaction takes: stored
 * in turn, none dropped. */
static void test_a_batch_larger_than_a_transaction(void **state)
{
	(void)state;
	struct store *store;
	struct test_log lc = {0};
	struct api *api = open_sources(&store, &lc);
	enum { EVENTS = 3, PER_EVENT = 25000, LINE = 128 };
	struct api_source_event ev[EVENTS];
	char *bodies[EVENTS];
	for (int k = 0; k < EVENTS; k++) {
		bodies[k] = malloc((size_t)PER_EVENT * LINE);
		assert_non_null(bodies[k]);
		size_t len = 0;
		for (int i = 0; i < PER_EVENT; i++)
			len += (size_t)snprintf(
				bodies[k] + len, LINE,
				"{\"type\":\"count\",\"queue\":\"lunch\",\"sensor\":"
				"\"s%d\",\"role\":\"entry\",\"t\":"
				"\"2014-11-06T08:00:00Z\",\"total\":%d}\n",
				k, i);
		ev[k] = (struct api_source_event){
			API_SOURCE_PAYLOAD, "bridge", "v/lines", bodies[k], len, NOW, NULL, NULL};
	}
	api_sources_events(api, ev, EVENTS, NOW);
	cJSON *doc;
	cJSON *s = source_at(api, NOW, "bridge", &doc);
	assert_int_equal(number(s, "readings"), EVENTS * PER_EVENT);
	assert_int_equal(number(s, "refused"), 0);
	cJSON_Delete(doc);
	struct api_response res;
	request_at(api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "venueboard_samples_accepted_total 75000\n"));
	api_response_finish(&res);
	for (int k = 0; k < EVENTS; k++)
		free(bodies[k]);
	api_destroy(api);
	store_close(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_events_become_samples, api_test_fresh_db,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_failures_and_the_broker, api_test_fresh_db,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_ingest, api_test_fresh_db, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_sources, api_test_fresh_db,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_a_batch_larger_than_a_transaction,
						api_test_fresh_db, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
