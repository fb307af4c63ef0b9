/* Unit tests for fleet_state: the stream's state event and the heartbeat's
 * answer as SERVER.md shows them, alerts newest first and capped, messages
 * that do not read (refused naming the field), the screen's record
 * written and read back, and a heartbeat's answer merged into what the
 * stream said (issue 19: its alert shown, nothing twice, nothing withdrawn
 * brought back). */
#include "test_util.h"

#include "fleet_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fleet_msg *msg(void)
{
	struct fleet_msg *m = malloc(sizeof(*m));
	assert_non_null(m);
	return m;
}

static void read_ok(struct fleet_msg *m, const char *doc)
{
	struct feed_error e = {{0}};
	if (!fleet_msg_read(doc, strlen(doc), m, &e))
		fail_msg("%s: %s", doc, e.msg);
}

static void test_answer_and_event(void **state)
{
	(void)state;
	struct fleet_msg *m = msg();
	read_ok(m, "{\"screen\":\"palais-l2-east\",\"zones\":[\"level-2\",\"palais\"],"
		   "\"alerts\":[{\"id\":12,\"text\":\"Evacuate by the east stairs\",\"at\":"
		   "\"2014-11-06T10:02:11Z\"},{\"id\":14,\"text\":\"Newest\",\"at\":"
		   "\"2014-11-06T10:05:00+01:00\"},{\"id\":13,\"text\":\"Same moment\",\"at\":"
		   "\"2014-11-06T10:02:11Z\"}],"
		   "\"update\":{\"version\":\"20261127.120000-89fa40dddc\",\"url\":"
		   "\"/v1/bundles/20261127.120000-89fa40dddc.tar\",\"size\":198443008,\"sha256\":"
		   "\"0123456789abcdef0123456789abcdef0123456789ABCDEF0123456789abcdef\","
		   "\"rollout\":14},\"unknown\":true}");
	assert_true(m->has_identity && m->has_zones);
	assert_string_equal(m->who.screen, "palais-l2-east");
	assert_int_equal(m->who.n_zones, 2);
	assert_string_equal(m->who.zones[1], "palais");
	assert_true(m->has_alerts);
	assert_int_equal(m->n_alerts, 3);
	assert_int_equal(m->alerts[0].id, 13); /* newest first; at the same moment, the later id */
	assert_int_equal(m->alerts[1].id, 12);
	assert_int_equal(m->alerts[2].id, 14); /* 09:05Z */
	assert_string_equal(m->alerts[1].text, "Evacuate by the east stairs");
	assert_int_equal(m->alerts[1].at_ms, 1415268131000LL);
	assert_true(m->has_update && m->update);
	assert_string_equal(m->up.url, "/v1/bundles/20261127.120000-89fa40dddc.tar");
	assert_int_equal(m->up.size, 198443008);
	assert_string_equal(m->up.sha256,
			    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	assert_false(m->has_schedule);

	read_ok(m, "{\"screen\":\"palais-l2-east\",\"alerts\":[],\"schedule_version\":3,"
		   "\"schedule_etag\":\"\\\"9b2ad1b51f2ce72c\\\"\"}");
	assert_true(m->has_identity);
	assert_false(m->has_zones); /* an event: the screen's name only */
	assert_true(m->has_alerts);
	assert_int_equal(m->n_alerts, 0);
	assert_false(m->has_update);
	assert_true(m->has_schedule);
	assert_int_equal(m->schedule_version, 3);
	assert_string_equal(m->schedule_etag, "\"9b2ad1b51f2ce72c\"");

	read_ok(m, "{\"screen\":\"s\",\"zones\":[],\"alerts\":[],\"update\":null}");
	assert_true(m->has_update);
	assert_false(m->update);
	read_ok(m, "{}");
	assert_false(m->has_identity || m->has_alerts || m->has_update || m->has_schedule);
	free(m);
}

/* More than 64 alerts: the 64 newest are kept. */
static void test_alerts_capped(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"alerts\":[");
	for (int i = 1; i <= 100; i++) {
		char a[128];
		snprintf(a, sizeof(a),
			 "%s{\"id\":%d,\"text\":\"alert %d\",\"at\":\"2014-11-06T10:%02d:00Z\"}",
			 i > 1 ? "," : "", i, i, (i * 37) % 60);
		test_buf_puts(&b, a);
	}
	test_buf_puts(&b, "]}");
	struct fleet_msg *m = msg();
	read_ok(m, b.p);
	assert_int_equal(m->n_alerts, FLEET_MAX_ALERTS);
	assert_int_equal(m->dropped, 36);
	for (size_t i = 1; i < m->n_alerts; i++)
		assert_true(m->alerts[i - 1].at_ms > m->alerts[i].at_ms ||
			    (m->alerts[i - 1].at_ms == m->alerts[i].at_ms &&
			     m->alerts[i - 1].id > m->alerts[i].id));
	assert_int_equal(m->alerts[0].at_ms % 3600000, 59 * 60000); /* 10:59 is the newest */
	free(m);
	free(b.p);
}

static void test_refused(void **state)
{
	(void)state;
	char long_text[1200];
	memset(long_text, 'a', sizeof(long_text));
	memcpy(long_text, "{\"alerts\":[{\"id\":1,\"text\":\"", 27);
	memcpy(long_text + 1100, "\"}]}", sizeof("\"}]}"));
	const struct {
		const char *doc, *needle;
	} bad[] = {
		{"", "line 1"},
		{"[]", "not a JSON object"},
		{"{\"screen\":\"a b\"}", "screen: not a screen's name"},
		{"{\"screen\":\"\"}", "screen"},
		{"{\"zones\":[\"level-2\"]}", "screen"},
		{"{\"screen\":\"s\",\"zones\":\"level-2\"}", "zones: not a list"},
		{"{\"screen\":\"s\",\"zones\":[\"ok\",\"not/ok\"]}", "zones[1]: not a zone's name"},
		{"{\"alerts\":{}}", "alerts: not a list"},
		{"{\"alerts\":[{\"id\":0,\"text\":\"x\"}]}", "alerts[0].id"},
		{"{\"alerts\":[{\"id\":\"12\",\"text\":\"x\"}]}", "alerts[0].id"},
		{"{\"alerts\":[{\"id\":1,\"text\":\"x\"},{\"id\":2.5,\"text\":\"y\"}]}",
		 "alerts[1].id"},
		{"{\"alerts\":[{\"id\":1}]}", "alerts[0].text"},
		{"{\"alerts\":[{\"id\":1,\"text\":\"a\\nb\"}]}", "alerts[0].text"},
		{"{\"alerts\":[{\"id\":1,\"text\":\"x\",\"at\":\"soon\"}]}", "alerts[0].at"},
		{long_text, "alerts[0].text: not one line of at most 1024 bytes"},
		{"{\"update\":3}", "update: not an object or null"},
		{"{\"update\":{\"url\":\"/x\",\"size\":1,\"sha256\":\"00\"}}", "update.version"},
		{"{\"update\":{\"version\":\"../x\",\"url\":\"/x\",\"size\":1}}", "update.version"},
		{"{\"update\":{\"version\":\"v\",\"url\":\"/a b\",\"size\":1}}", "update.url"},
		{"{\"update\":{\"version\":\"v\",\"url\":\"/x\",\"size\":-1}}", "update.size"},
		{"{\"update\":{\"version\":\"v\",\"url\":\"/x\",\"size\":1,\"sha256\":\"xyz\"}}",
		 "update.sha256"},
		{"{\"schedule_version\":\"3\"}", "schedule_version"},
		{"{\"schedule_etag\":7}", "schedule_etag"},
		{"{\"screen\":\"a\\u0000b\"}", "NUL"},
	};
	struct fleet_msg *m = msg();
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct feed_error e = {{0}};
		if (fleet_msg_read(bad[i].doc, strlen(bad[i].doc), m, &e))
			fail_msg("case %zu was read: %s", i, bad[i].doc);
		if (!strstr(e.msg, bad[i].needle))
			fail_msg("case %zu: '%s' does not say '%s'", i, e.msg, bad[i].needle);
	}
	struct feed_error e;
	assert_false(fleet_msg_read("{}", FLEET_MAX_BODY + 1, m, &e));
	assert_non_null(strstr(e.msg, "larger than 512 KiB"));
	free(m);
}

/* What the screen keeps across restarts reads back as it was. */
static void test_record_round_trip(void **state)
{
	(void)state;
	struct fleet_identity who = {
		.screen = "palais-l2-east", .zones = {"level-2", "palais"}, .n_zones = 2};
	struct fleet_alert alerts[2] = {{14, 1415264700000LL, "Évacuez par l’escalier est"},
					{12, 0, "Evacuate by the east stairs"}};
	char *json = fleet_state_json(&who, alerts, 2);
	assert_non_null(json);
	struct fleet_msg *m = msg();
	read_ok(m, json);
	assert_true(fleet_identity_same(&who, &m->who));
	assert_true(fleet_alerts_same(alerts, 2, m->alerts, m->n_alerts));
	assert_int_equal(m->alerts[0].at_ms, 1415264700000LL);
	free(json);
	/* unnamed: no identity, the alerts only */
	struct fleet_identity nobody = {0};
	json = fleet_state_json(&nobody, NULL, 0);
	read_ok(m, json);
	assert_false(m->has_identity);
	assert_true(m->has_alerts);
	free(json);
	who.n_zones = 1;
	struct fleet_identity other = who;
	assert_true(fleet_identity_same(&who, &other));
	other.zones[0][0] = 'L';
	assert_false(fleet_identity_same(&who, &other));
	assert_false(fleet_alerts_same(alerts, 2, alerts, 1));
	assert_false(fleet_alerts_same(alerts, 1, alerts + 1, 1));
	free(m);
}

static struct fleet_alert alert(int64_t id, int64_t at_ms, const char *text)
{
	struct fleet_alert a = {id, at_ms, ""};
	snprintf(a.text, sizeof(a.text), "%s", text);
	return a;
}

static void test_merge(void **state)
{
	(void)state;
	static struct fleet_alert list[FLEET_MAX_ALERTS], add[3];
	size_t n = 0;
	/* the stream said nothing (an endless line): the answer's alert is shown */
	add[0] = alert(12, 1000, "Evacuate by the east stairs");
	assert_int_equal(fleet_alerts_merge(list, &n, add, 1, NULL, 0), 1);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].text, "Evacuate by the east stairs");
	/* the same answer again, and the stream's same alert: nothing twice */
	assert_int_equal(fleet_alerts_merge(list, &n, add, 1, NULL, 0), 0);
	assert_int_equal(n, 1);
	/* an older one and a newer one: each where its time puts it */
	add[0] = alert(9, 500, "Lifts closed");
	add[1] = alert(14, 2000, "Keynote delayed");
	add[2] = alert(12, 1000, "Evacuate by the east stairs");
	assert_int_equal(fleet_alerts_merge(list, &n, add, 3, NULL, 0), 2);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, 14);
	assert_int_equal(list[1].id, 12);
	assert_int_equal(list[2].id, 9);
	/* withdrawn lately by the stream: an older answer does not bring it back */
	int64_t gone[] = {7, 21};
	add[0] = alert(21, 3000, "Withdrawn a second ago");
	assert_int_equal(fleet_alerts_merge(list, &n, add, 1, gone, 2), 0);
	assert_int_equal(n, 3);
	/* a full list: the oldest drops off, one older than all is not added */
	n = 0;
	for (int i = 0; i < FLEET_MAX_ALERTS; i++) {
		add[0] = alert(100 + i, 10000 + i, "x");
		assert_int_equal(fleet_alerts_merge(list, &n, add, 1, NULL, 0), 1);
	}
	assert_int_equal(n, FLEET_MAX_ALERTS);
	assert_int_equal(list[0].id, 100 + FLEET_MAX_ALERTS - 1);
	add[0] = alert(1, 1, "older than every one");
	assert_int_equal(fleet_alerts_merge(list, &n, add, 1, NULL, 0), 0);
	add[0] = alert(500, 99999, "the newest");
	assert_int_equal(fleet_alerts_merge(list, &n, add, 1, NULL, 0), 1);
	assert_int_equal(n, FLEET_MAX_ALERTS);
	assert_int_equal(list[0].id, 500);
	assert_int_equal(list[FLEET_MAX_ALERTS - 1].id, 101); /* 100 dropped off */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_and_event),
		cmocka_unit_test(test_alerts_capped),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
