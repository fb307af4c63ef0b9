/* Unit tests for sensor_read: each format's fixtures read to exact
 * counters, kinds, values and times; refusals name the field; the caps. */
#include "test_util.h"

#include "civil_time.h"
#include "json_util.h"
#include "sensor_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t NT = SENSOR_NO_TIME;

/* Reads tests/data/sensors/<rel> as f; the payload is the caller's. */
static bool rd(enum sensor_format f, const char *rel, const struct sensor_read_opts *o,
	       struct sensor_payload *p, struct feed_error *e)
{
	char path[256];
	size_t len;
	snprintf(path, sizeof(path), "sensors/%s", rel);
	char *buf = test_fixture(path, &len);
	e->msg[0] = '\0';
	bool ok = sensor_read(f, buf, len, o, p, e);
	free(buf);
	return ok;
}

static bool rds(enum sensor_format f, const char *text, const struct sensor_read_opts *o,
		struct sensor_payload *p, struct feed_error *e)
{
	e->msg[0] = '\0';
	return sensor_read(f, text, strlen(text), o, p, e);
}

static void expect(const struct sensor_payload *p, size_t i, const char *counter,
		   enum sensor_kind kind, int64_t value, int64_t t_ms, int64_t from_ms)
{
	assert_true(i < p->n);
	const struct sensor_reading *r = &p->r[i];
	assert_string_equal(r->counter, counter);
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->value, value);
	assert_int_equal(r->t_ms, t_ms);
	assert_int_equal(r->from_ms, from_ms);
}

/* Reading must fail with a message holding needle. */
static void refused(bool ok, const struct feed_error *e, const char *needle)
{
	assert_false(ok);
	if (!strstr(e->msg, needle))
		fail_msg("'%s' does not say '%s'", e->msg, needle);
}

static int setup(void **state)
{
	*state = test_malloc(sizeof(struct sensor_payload));
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	test_free(*state);
	return 0;
}

static void test_names(void **state)
{
	(void)state;
	static const char *const names[] = {
		"irisys",    "xovis", "axis-people-counter", "axis-object-analytics",
		"hikvision", "json",  "venueboard"};
	for (int i = 0; i < SENSOR_N_FORMATS; i++) {
		enum sensor_format f;
		assert_true(sensor_format_named(names[i], &f));
		assert_int_equal(f, i);
		assert_string_equal(sensor_format_name(f), names[i]);
	}
	enum sensor_format f;
	assert_false(sensor_format_named("Irisys", &f));
	assert_false(sensor_format_named("", &f));
}

static void test_irisys(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	assert_true(rd(SENSOR_IRISYS, "irisys/live_counts.json", NULL, p, &e));
	assert_int_equal(p->n, 3);
	expect(p, 0, "Door In", SENSOR_TOTAL, 57, NT, NT);
	expect(p, 1, "Door Out", SENSOR_TOTAL, 12, NT, NT);
	expect(p, 2, "Lunch line", SENSOR_TOTAL, 0, NT, NT);
	assert_true(rd(SENSOR_IRISYS, "irisys/counts_events.json", NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "Door In", SENSOR_DELTA, 1, 1549024200000LL, NT);
	expect(p, 1, "Door Out", SENSOR_DELTA, 2, 1549020605000LL, NT);
	assert_true(rd(SENSOR_IRISYS, "irisys/counts_empty.json", NULL, p, &e));
	assert_int_equal(p->n, 0);
	assert_true(rd(SENSOR_IRISYS, "irisys/status.json", NULL, p, &e));
	assert_int_equal(p->n, 0);
	refused(rd(SENSOR_IRISYS, "irisys/garbage.json", NULL, p, &e), &e,
		"irisys: counts[1].count: not a number");
	assert_int_equal(p->n, 0);
	refused(rds(SENSOR_IRISYS, "[{\"register\":\"a\",\"value\":1,\"t\":\"yesterday\"}]", NULL,
		    p, &e),
		&e, "irisys: [0].t");
	refused(rds(SENSOR_IRISYS, "{\"counts\":[{\"count\":1}]}", NULL, p, &e), &e,
		"counts[0].name");
	refused(rds(SENSOR_IRISYS, "{\"nothing\":1}", NULL, p, &e), &e, "irisys: ");
	refused(rds(SENSOR_IRISYS, "{\"counts\":[", NULL, p, &e), &e, "irisys: line 1");
}

static void test_xovis_legacy(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	const int64_t m0 = 1415271600000LL, m1 = m0 + 60000, m2 = m1 + 60000;
	assert_true(rd(SENSOR_XOVIS, "xovis/line_count.json", NULL, p, &e));
	assert_int_equal(p->n, 6);
	expect(p, 0, "Entrance/fw", SENSOR_DELTA, 3, m1, m0);
	expect(p, 1, "Entrance/bw", SENSOR_DELTA, 1, m1, m0);
	expect(p, 2, "Entrance/fw", SENSOR_DELTA, 0, m2, m1);
	expect(p, 3, "Entrance/bw", SENSOR_DELTA, 2, m2, m1);
	expect(p, 4, "Side door/fw", SENSOR_DELTA, 5, m1, m0);
	expect(p, 5, "Side door/bw", SENSOR_DELTA, 4, m1, m0);
	assert_true(rd(SENSOR_XOVIS, "xovis/line_count_unix_ms.json", NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "Entrance/fw", SENSOR_DELTA, 3, m1, m0);
	expect(p, 1, "Entrance/bw", SENSOR_DELTA, 1, m1, m0);
	refused(rd(SENSOR_XOVIS, "xovis/garbage.json", NULL, p, &e), &e,
		"xovis: content.element[0].measurement[2].value[0].value: not a number");
	refused(rds(SENSOR_XOVIS,
		    "{\"content\":{\"element\":[{\"element-name\":\"E\",\"measurement\":[{\"from\":"
		    "\"2014-11-06T12:00:00\",\"to\":1,\"value\":[]}]}]}}",
		    NULL, p, &e),
		&e, "xovis: content.element[0].measurement[0].from");
	refused(rds(SENSOR_XOVIS, "{\"sensor-time\":{}}", NULL, p, &e), &e, "xovis: ");
}

static void test_xovis_logics(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	const int64_t m0 = 1415271600000LL, m1 = m0 + 60000, m2 = m1 + 60000;
	assert_true(rd(SENSOR_XOVIS, "xovis/logics_bins.json", NULL, p, &e));
	assert_int_equal(p->n, 5);
	expect(p, 0, "Lunch line/fw", SENSOR_DELTA, 4, m1, m0);
	expect(p, 1, "Lunch line/bw", SENSOR_DELTA, 1, m1, m0);
	expect(p, 2, "Lunch line/fw", SENSOR_DELTA, 2, m2, m1);
	expect(p, 3, "Lunch line/bw", SENSOR_DELTA, 0, m2, m1);
	/* a state count (occupancy) is a level at the bin's end */
	expect(p, 4, "Queue zone", SENSOR_TOTAL, 17, m1, m0);
	assert_true(rd(SENSOR_XOVIS, "xovis/logics_live.json", NULL, p, &e));
	assert_int_equal(p->n, 3);
	expect(p, 0, "Lunch in", SENSOR_TOTAL, 120, 1415271615000LL, NT);
	expect(p, 1, "Lunch line/fw", SENSOR_TOTAL, 57, 1415271615000LL, NT);
	expect(p, 2, "Lunch line/bw", SENSOR_TOTAL, 12, 1415271615000LL, NT);
	refused(rds(SENSOR_XOVIS,
		    "{\"logics\":[{\"name\":\"L\",\"bins\":[{\"begin\":1,\"end\":2,\"counts\":"
		    "[{\"id\":0,\"value\":-1}]}]}]}",
		    NULL, p, &e),
		&e, "xovis: logics[0].bins[0].counts[0].value: negative");
}

static void test_axis_people_counter(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	struct sensor_read_opts paris = {.zone = civil_zone_find("Europe/Paris")};
	assert_non_null(paris.zone);
	assert_true(
		rd(SENSOR_AXIS_PEOPLE_COUNTER, "axis-people-counter/live_sum.json", &paris, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "in", SENSOR_TOTAL, 57, 1415271615000LL, NT);
	expect(p, 1, "out", SENSOR_TOTAL, 12, 1415271615000LL, NT);
	/* no zone: the camera's clock is read as UTC */
	assert_true(rd(SENSOR_AXIS_PEOPLE_COUNTER, "axis-people-counter/live_sum_strings.json",
		       NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "in", SENSOR_TOTAL, 57, 1415275215000LL, NT);
	expect(p, 1, "out", SENSOR_TOTAL, 12, 1415275215000LL, NT);
	refused(rd(SENSOR_AXIS_PEOPLE_COUNTER, "axis-people-counter/garbage.json", NULL, p, &e), &e,
		"axis-people-counter: timestamp");
	refused(rds(SENSOR_AXIS_PEOPLE_COUNTER, "{\"in\":1.5,\"out\":0}", NULL, p, &e), &e,
		"axis-people-counter: in: not a whole number");
	refused(rds(SENSOR_AXIS_PEOPLE_COUNTER, "{\"in\":1}", NULL, p, &e), &e,
		"axis-people-counter: out: missing");
}

static void test_axis_object_analytics(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	assert_true(rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/crossline.json", NULL,
		       p, &e));
	assert_int_equal(p->n, 1);
	expect(p, 0, "Queue", SENSOR_TOTAL, 10, 1415271615000LL, NT); /* not total's 12 */
	assert_true(rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/occupancy.json", NULL,
		       p, &e));
	assert_int_equal(p->n, 1);
	expect(p, 0, "Line area", SENSOR_TOTAL, 7, 1415271620000LL, NT);
	assert_true(
		rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/motion.json", NULL, p, &e));
	assert_int_equal(p->n, 0);
	struct sensor_read_opts mqtt = {
		.topic = "axis/ACCC8E000000/event/CameraApplicationPlatform/ObjectAnalytics/"
			 "Device1Scenario4"};
	assert_true(rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/no_scenario.json",
		       &mqtt, p, &e));
	assert_int_equal(p->n, 1);
	expect(p, 0, "Device1Scenario4", SENSOR_TOTAL, 3, 1415271615000LL, NT);
	refused(rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/no_scenario.json", NULL, p,
		   &e),
		&e, "axis-object-analytics: message.data.scenario");
	refused(rd(SENSOR_AXIS_OBJECT_ANALYTICS, "axis-object-analytics/garbage.json", NULL, p, &e),
		&e, "axis-object-analytics: message.data.totalHuman: negative");
	refused(rds(SENSOR_AXIS_OBJECT_ANALYTICS, "{\"message\":{}}", NULL, p, &e), &e,
		"message.data");
}

static void test_hikvision(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	struct sensor_read_opts paris = {.zone = civil_zone_find("Europe/Paris")};
	assert_true(rd(SENSOR_HIKVISION, "hikvision/alert_realtime.xml", NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "enter", SENSOR_TOTAL, 57, 1415271610000LL, NT);
	expect(p, 1, "leave", SENSOR_TOTAL, 12, 1415271610000LL, NT);
	assert_true(rd(SENSOR_HIKVISION, "hikvision/alert_multipart.http", NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "enter", SENSOR_TOTAL, 57, 1415271615000LL, NT);
	expect(p, 1, "leave", SENSOR_TOTAL, 12, 1415271615000LL, NT);
	const int64_t h0 = 1415271600000LL, h1 = h0 + 3600000, h2 = h1 + 3600000;
	assert_true(rd(SENSOR_HIKVISION, "hikvision/statistics.xml", &paris, p, &e));
	assert_int_equal(p->n, 4);
	expect(p, 0, "enter", SENSOR_DELTA, 3, h1, h0);
	expect(p, 1, "leave", SENSOR_DELTA, 1, h1, h0);
	expect(p, 2, "enter", SENSOR_DELTA, 40, h2, h1);
	expect(p, 3, "leave", SENSOR_DELTA, 38, h2, h1);
	assert_true(rd(SENSOR_HIKVISION, "hikvision/counting_v2.xml", NULL, p, &e));
	assert_int_equal(p->n, 2);
	expect(p, 0, "enter", SENSOR_TOTAL, 57, 1415275215000LL, NT);
	expect(p, 1, "leave", SENSOR_TOTAL, 12, 1415275215000LL, NT);
	refused(rd(SENSOR_HIKVISION, "hikvision/garbage.xml", NULL, p, &e), &e,
		"hikvision: the document declares XML entities");
	refused(rds(SENSOR_HIKVISION, "<EventNotificationAlert><peopleCounting>", NULL, p, &e), &e,
		"hikvision: line ");
	refused(rds(SENSOR_HIKVISION, "<schedule/>", NULL, p, &e), &e, "<schedule>");
	refused(rds(SENSOR_HIKVISION,
		    "<Counting><enterCount>5</enterCount><leaveCount>x</leaveCount></Counting>",
		    NULL, p, &e),
		&e, "hikvision: Counting/leaveCount: not a number");
	/* another event, or a heartbeat: nothing counted */
	assert_true(
		rds(SENSOR_HIKVISION,
		    "<EventNotificationAlert xmlns=\"http://www.hikvision.com/ver20/XMLSchema\">"
		    "<eventType>videoloss</eventType></EventNotificationAlert>",
		    NULL, p, &e));
	assert_int_equal(p->n, 0);
}

static void test_json(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	const struct sensor_field fields[] = {
		{"entry", "/counts/0/value", false},
		{"exit", "/counts/1/value", true},
		{"occupancy", "/a~1b/m~0n", false},
		{"t", "/at", false},
	};
	struct sensor_read_opts o = {.fields = fields, .n_fields = 4};
	assert_true(rd(SENSOR_JSON, "json/device.json", &o, p, &e));
	assert_int_equal(p->n, 3);
	expect(p, 0, "entry", SENSOR_TOTAL, 57, 1415271615000LL, NT);
	expect(p, 1, "exit", SENSOR_DELTA, 12, 1415271615000LL, NT);
	expect(p, 2, "occupancy", SENSOR_TOTAL, 3, 1415271615000LL, NT);
	const struct sensor_field secs[] = {{"t", "/uptime", false},
					    {"people", "/a~1b/m~0n", false}};
	o = (struct sensor_read_opts){.fields = secs, .n_fields = 2};
	assert_true(rd(SENSOR_JSON, "json/device.json", &o, p, &e));
	expect(p, 0, "people", SENSOR_TOTAL, 3, 1415271615000LL, NT);
	refused(rds(SENSOR_JSON, "{\"t\":1415271615250,\"n\":[4]}", &o, p, &e), &e,
		"json: t (/uptime): nothing there");
	const struct sensor_field ms[] = {{"t", "/t", false}, {"people", "/n/0", false}};
	o = (struct sensor_read_opts){.fields = ms, .n_fields = 2};
	assert_true(rds(SENSOR_JSON, "{\"t\":1415271615250,\"n\":[4]}", &o, p, &e));
	expect(p, 0, "people", SENSOR_TOTAL, 4, 1415271615250LL, NT);
	const struct sensor_field gone[] = {{"entry", "/counts/5/value", false}};
	o = (struct sensor_read_opts){.fields = gone, .n_fields = 1};
	refused(rd(SENSOR_JSON, "json/device.json", &o, p, &e), &e,
		"json: entry (/counts/5/value): nothing there");
	const struct sensor_field text[] = {{"exit", "/device", false}};
	o = (struct sensor_read_opts){.fields = text, .n_fields = 1};
	refused(rd(SENSOR_JSON, "json/device.json", &o, p, &e), &e,
		"json: exit (/device): not a number");
	refused(rd(SENSOR_JSON, "json/device.json", NULL, p, &e), &e, "json: no source-field");
}

static void test_pointer(void **state)
{
	(void)state;
	cJSON *root = cJSON_Parse("{\"a/b\":{\"m~n\":3},\"l\":[1,2,{\"\":5}],\"~1\":7}");
	assert_non_null(root);
	assert_ptr_equal(json_util_pointer(root, ""), root);
	assert_int_equal(json_util_pointer(root, "/a~1b/m~0n")->valueint, 3);
	assert_int_equal(json_util_pointer(root, "/l/1")->valueint, 2);
	assert_int_equal(json_util_pointer(root, "/l/2/")->valueint, 5);
	assert_int_equal(json_util_pointer(root, "/~01")->valueint, 7);
	assert_null(json_util_pointer(root, "/l/01"));
	assert_null(json_util_pointer(root, "/l/3"));
	assert_null(json_util_pointer(root, "/l/-"));
	assert_null(json_util_pointer(root, "/a~2b"));
	assert_null(json_util_pointer(root, "a"));
	assert_null(json_util_pointer(root, "/l/1/x"));
	cJSON_Delete(root);
}

/* Irisys live counts with n registers named r0, r1, …. */
static char *many_registers(int n)
{
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"counts\":[");
	for (int i = 0; i < n; i++) {
		char one[64];
		snprintf(one, sizeof(one), "%s{\"name\":\"r%d\",\"count\":%d}", i ? "," : "", i, i);
		test_buf_puts(&b, one);
	}
	test_buf_puts(&b, "]}");
	return b.p;
}

static void test_caps(void **state)
{
	struct sensor_payload *p = *state;
	struct feed_error e;
	char *doc = many_registers(SENSOR_MAX_READINGS);
	assert_true(rds(SENSOR_IRISYS, doc, NULL, p, &e));
	assert_int_equal(p->n, SENSOR_MAX_READINGS);
	free(doc);
	doc = many_registers(SENSOR_MAX_READINGS + 1);
	refused(rds(SENSOR_IRISYS, doc, NULL, p, &e), &e, "more than 512 readings");
	assert_int_equal(p->n, 0);
	free(doc);
	char name[SENSOR_COUNTER_MAX + 2], text[256];
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"counts\":[{\"name\":\"%s\",\"count\":1}]}", name);
	refused(rds(SENSOR_IRISYS, text, NULL, p, &e), &e, "counts[0].name: a counter name longer");
	name[SENSOR_COUNTER_MAX] = '\0';
	snprintf(text, sizeof(text), "{\"counts\":[{\"name\":\"%s\",\"count\":1}]}", name);
	assert_true(rds(SENSOR_IRISYS, text, NULL, p, &e));
	refused(rds(SENSOR_IRISYS, "{\"counts\":[{\"name\":\"a\",\"count\":1000000001}]}", NULL, p,
		    &e),
		&e, "larger than 1000000000");
	refused(rds(SENSOR_IRISYS, "{\"counts\":[{\"name\":\"a\",\"count\":\"1e3\"}]}", NULL, p,
		    &e),
		&e, "not a number");
	refused(rds(SENSOR_IRISYS, "{\"counts\":[{\"name\":\"a\\nb\",\"count\":1}]}", NULL, p, &e),
		&e, "control characters");
	char *big = calloc(SENSOR_MAX_PAYLOAD + 1, 1);
	assert_non_null(big);
	refused(sensor_read(SENSOR_JSON, big, SENSOR_MAX_PAYLOAD + 1, NULL, p, &e), &e,
		"json: payload larger than");
	free(big);
	refused(rds(SENSOR_VENUEBOARD, "{}", NULL, p, &e), &e, "venueboard");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_irisys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xovis_legacy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xovis_logics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_axis_people_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_axis_object_analytics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hikvision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
