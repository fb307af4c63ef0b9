/* Unit tests for server_config: the file format, refusals naming the line,
 * and token checks by role (organizer, sensor, screen). */
#include "test_util.h"

#include "server_config.h"

#include <stdio.h>
#include <string.h>

static const char good[] = "# venueboard-server\n"
			   "listen 0.0.0.0:8443\n"
			   "database /var/lib/venueboard/server.db   # WAL file beside it\n"
			   "schedule /etc/venueboard/paris.json\r\n"
			   "timezone Europe/Paris\n"
			   "organizer alice organizer-token-0123456789\n"
			   "sensor meridien-door-a sensor-token-0123456789ab\n";

static void test_reads_a_good_file(void **state)
{
	(void)state;
	struct server_config c;
	struct feed_error e = {{0}};
	if (!server_config_parse(good, strlen(good), &c, &e))
		fail_msg("%s", e.msg);
	assert_string_equal(c.listen_host, "0.0.0.0");
	assert_int_equal(c.listen_port, 8443);
	assert_string_equal(c.database, "/var/lib/venueboard/server.db");
	assert_string_equal(c.schedule, "/etc/venueboard/paris.json");
	assert_string_equal(c.timezone, "Europe/Paris");
	assert_int_equal(c.n_tokens, 2);
	const struct config_token *t =
		server_config_check(&c, "organizer-token-0123456789", TOKEN_ORGANIZER);
	assert_non_null(t);
	assert_string_equal(t->name, "alice");
	/* a token only works in its own role, and only whole */
	assert_null(server_config_check(&c, "organizer-token-0123456789", TOKEN_SENSOR));
	assert_null(server_config_check(&c, "sensor-token-0123456789ab", TOKEN_ORGANIZER));
	assert_non_null(server_config_check(&c, "sensor-token-0123456789ab", TOKEN_SENSOR));
	assert_null(server_config_check(&c, "organizer-token-012345678", TOKEN_ORGANIZER));
	assert_null(server_config_check(&c, "organizer-token-01234567890", TOKEN_ORGANIZER));
	assert_null(server_config_check(&c, "", TOKEN_ORGANIZER));
	assert_null(server_config_check(&c, NULL, TOKEN_ORGANIZER));
}

static void test_refusals_name_the_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *needle;
	} cases[] = {
		{"database d\nlisten nowhere\norganizer a organizer-token-0123456789\n", "line 2"},
		{"database d\nlisten h:70000\norganizer a organizer-token-0123456789\n", "line 2"},
		{"database d\norganizer a short\n", "line 2: the token"},
		{"database d\norganizer a organizer-token-0123456789\nsensor b organizer-token-0123456789\n",
		 "line 3: this token is already given to a"},
		{"database d\ncolour blue\norganizer a organizer-token-0123456789\n",
		 "line 2: unknown"},
		{"database d\norganizer a\n", "line 2: organizer NAME TOKEN"},
		{"organizer a organizer-token-0123456789\n", "no database"},
		{"database d\nsensor s sensor-token-0123456789ab\n", "no organizer token"},
		{"database d\ncapacity Salle Bleue\n", "line 2: capacity ROOM SEATS"},
		{"database d\ncapacity 300\n", "line 2: capacity ROOM SEATS"},
		{"database d\ncapacity Salle 241 0\n", "line 2: capacity ROOM SEATS"},
		{"database d\ncapacity Salle 241 -5\n", "line 2: capacity ROOM SEATS"},
		{"database d\ncapacity Hall 3\ncapacity Hall 4\n",
		 "line 3: capacity of 'Hall' given twice"},
		{"database d\nalert-wait meridien\n", "line 2: alert-wait QUEUE MINUTES"},
		{"database d\nalert-wait meridien 0\n", "line 2: alert-wait QUEUE MINUTES"},
		{"database d\nalert-wait meridien 20min\n", "line 2: alert-wait QUEUE MINUTES"},
		{"database d\nalert-wait * 20\nalert-wait * 25\n",
		 "line 3: alert-wait for * given twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct server_config c;
		struct feed_error e = {{0}};
		if (server_config_parse(cases[i].text, strlen(cases[i].text), &c, &e) ||
		    !strstr(e.msg, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].needle);
	}
}

/* Seats per room (names with spaces and accents) and alert thresholds per
 * queue, "*" for the others. */
static void test_capacities_and_alerts(void **state)
{
	(void)state;
	static const char text[] = "database d\norganizer a organizer-token-0123456789\n"
				   "capacity Amphith\xC3\xA9\xC3\xA2tre Bleu 3700\n"
				   "capacity\tSalle 252A  \t 250  # after the works\n"
				   "alert-wait meridien-lunch 20\nalert-wait * 30\n";
	static struct server_config c;
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), &c, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(c.n_capacities, 2);
	assert_string_equal(c.capacities[0].room, "Amphith\xC3\xA9\xC3\xA2tre Bleu");
	assert_int_equal(c.capacities[0].seats, 3700);
	assert_string_equal(c.capacities[1].room, "Salle 252A");
	assert_int_equal(c.capacities[1].seats, 250);
	assert_int_equal(server_config_alert_minutes(&c, "meridien-lunch"), 20);
	assert_int_equal(server_config_alert_minutes(&c, "hilton-buffet"), 30);
	static const char none[] = "database d\norganizer a organizer-token-0123456789\n";
	assert_true(server_config_parse(none, strlen(none), &c, &e));
	assert_int_equal(server_config_alert_minutes(&c, "meridien-lunch"), 0);
}

/* Screens: a token each, named by URL-safe names no two share. */
/* disk-reserve: a size with its unit, refused naming the line otherwise;
 * unset, the server's default applies (5 % of the disk, at most 512 MiB). */
static void test_disk_reserve(void **state)
{
	(void)state;
	static const struct {
		const char *value;
		bool ok;
		unsigned long long bytes;
	} cases[] = {
		{"256M", true, 256ULL << 20},
		{"2G", true, 2ULL << 30},
		{"512k", true, 512ULL << 10},
		{"1048576", true, 1048576},
		{"0", true, 0},
		{"1024G", true, 1024ULL << 30},
		{"1025G", false, 0},
		{"-1M", false, 0},
		{"12T", false, 0},
		{"M", false, 0},
		{"5%", false, 0},
		{"99999999999999999999", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char text[200];
		snprintf(text, sizeof(text),
			 "database d\norganizer a organizer-token-0123456789\n"
			 "disk-reserve %s\n",
			 cases[i].value);
		struct server_config c;
		struct feed_error e = {{0}};
		bool ok = server_config_parse(text, strlen(text), &c, &e);
		if (ok != cases[i].ok)
			fail_msg("disk-reserve %s: %s", cases[i].value, ok ? "taken" : e.msg);
		if (ok) {
			assert_true(c.disk_reserve_set);
			assert_true(c.disk_reserve == cases[i].bytes);
		} else {
			assert_non_null(strstr(e.msg, "line 3: disk-reserve takes a size"));
		}
	}
	struct server_config c;
	struct feed_error e = {{0}};
	assert_true(server_config_parse(good, strlen(good), &c, &e));
	assert_false(c.disk_reserve_set);
}

static void test_screen_tokens(void **state)
{
	(void)state;
	static const char text[] = "database d\n"
				   "organizer alice organizer-token-0123456789\n"
				   "sensor door sensor-token-0123456789ab\n"
				   "screen palais-l2-east screen-token-palais-l2-east\n"
				   "screen Hall_B.1 screen-token-hall-b-0123\n";
	struct server_config c;
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), &c, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(c.n_tokens, 4);
	const struct config_token *t =
		server_config_check(&c, "screen-token-palais-l2-east", TOKEN_SCREEN);
	assert_non_null(t);
	assert_int_equal(t->role, TOKEN_SCREEN);
	assert_string_equal(t->name, "palais-l2-east");
	assert_ptr_equal(server_config_check(&c, "screen-token-hall-b-0123", TOKEN_SCREEN),
			 server_config_screen(&c, "Hall_B.1"));
	/* a screen token is nothing else, and nothing else is a screen token */
	assert_null(server_config_check(&c, "screen-token-palais-l2-east", TOKEN_ORGANIZER));
	assert_null(server_config_check(&c, "screen-token-palais-l2-east", TOKEN_SENSOR));
	assert_null(server_config_check(&c, "organizer-token-0123456789", TOKEN_SCREEN));
	assert_null(server_config_check(&c, "sensor-token-0123456789ab", TOKEN_SCREEN));
	assert_null(server_config_check(&c, "screen-token-palais-l2-eas", TOKEN_SCREEN));
	/* names match whole and exactly, and only screens' */
	assert_ptr_equal(server_config_screen(&c, "palais-l2-east"), t);
	assert_null(server_config_screen(&c, "palais-l2"));
	assert_null(server_config_screen(&c, "PALAIS-L2-EAST"));
	assert_null(server_config_screen(&c, "alice"));
	assert_null(server_config_screen(&c, "door"));
	assert_null(server_config_screen(&c, ""));
	assert_null(server_config_screen(&c, NULL));

	static const struct {
		const char *text, *needle;
	} refused[] = {
		{"database d\norganizer a organizer-token-0123456789\nscreen s short\n",
		 "line 3: the token of s must be 16 to 128"},
		{"database d\norganizer a organizer-token-0123456789\nscreen s\n",
		 "line 3: screen NAME TOKEN"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen s organizer-token-0123456789\n",
		 "line 3: this token is already given to a"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen s screen-token-0123456789ab\nsensor t screen-token-0123456789ab\n",
		 "line 4: this token is already given to s"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen s screen-token-0123456789ab\nscreen s screen-token-0123456789cd\n",
		 "line 4: screen s already has a token"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen hall/b screen-token-0123456789ab\n",
		 "line 3: screen name 'hall/b'"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen hall%20b screen-token-0123456789ab\n",
		 "line 3: screen name"},
		{"database d\norganizer a organizer-token-0123456789\n"
		 "screen h\xC3\xA9 screen-token-0123456789ab\n",
		 "line 3: screen name"},
		{"database d\nscreen s screen-token-0123456789ab\n", "no organizer token"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		if (server_config_parse(refused[i].text, strlen(refused[i].text), &c, &e) ||
		    !strstr(e.msg, refused[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, refused[i].needle);
	}
	/* the same name may be an organizer's or a sensor's as well */
	static const char shared[] = "database d\norganizer desk organizer-token-0123456789\n"
				     "screen desk screen-token-0123456789ab\n";
	assert_true(server_config_parse(shared, strlen(shared), &c, &e));
}

/* People counters (contracts §7): names with spaces in counters and rooms,
 * a topic's '#' kept (not a comment), poll periods, logins, json fields. */
static void test_sources(void **state)
{
	(void)state;
	static struct server_config c;
	static const char text[] =
		"database d\norganizer a organizer-token-0123456789\n"
		"sensor buffet buffet-token-0123456789\n"
		"mqtt-broker mqtt://127.0.0.1:1883\nmqtt-login /etc/venueboard/mqtt.login\n"
		"source door-a irisys mqtt:irisys/door-a/# queue:meridien-lunch # the front door\n"
		"source-counter door-a Door In  entry\n"
		"source-counter door-a Door Out exit\n"
		"source cam axis-people-counter poll:http://cam.local/local/tvpc/.api?live-sum.json@5 "
		"room:Salle 241\n"
		"source-counter cam in people\n"
		"source-login cam /etc/venueboard/cam.login\n"
		"source buffet json push queue:palais-l3-buffet\n"
		"source-field buffet entry /counts/0/value delta\n"
		"source-field buffet t /time\n"
		"source old axis-people-counter poll:https://user@cam2.local/x queue:q\n";
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), &c, &e))
		fail_msg("%s", e.msg);
	assert_int_equal(c.n_sources, 4);
	assert_string_equal(c.mqtt_broker, "mqtt://127.0.0.1:1883");
	const struct sensor_source_config *d = server_config_source(&c, "door-a");
	assert_non_null(d);
	assert_int_equal(d->format, SENSOR_IRISYS);
	assert_int_equal(d->from, SENSOR_FROM_MQTT);
	assert_string_equal(d->topic, "irisys/door-a/#");
	assert_string_equal(d->target, "meridien-lunch");
	assert_false(d->room);
	assert_int_equal(d->n_counters, 2);
	assert_string_equal(d->counters[0].counter, "Door In");
	assert_int_equal(d->counters[0].role, SENSOR_ROLE_ENTRY);
	assert_int_equal(d->counters[1].role, SENSOR_ROLE_EXIT);
	const struct sensor_source_config *cam = server_config_source(&c, "cam");
	assert_string_equal(cam->url, "http://cam.local/local/tvpc/.api?live-sum.json");
	assert_int_equal(cam->period_s, 5);
	assert_true(cam->room);
	assert_string_equal(cam->target, "Salle 241");
	assert_string_equal(cam->login_file, "/etc/venueboard/cam.login");
	const struct sensor_source_config *b = server_config_source(&c, "buffet");
	assert_int_equal(b->from, SENSOR_FROM_PUSH);
	assert_int_equal(b->n_fields, 2);
	assert_string_equal(b->fields[0].pointer, "/counts/0/value");
	assert_true(b->fields[0].delta);
	assert_false(b->fields[1].delta);
	const struct sensor_source_config *old = server_config_source(&c, "old");
	assert_string_equal(old->url, "https://user@cam2.local/x"); /* user@ is not a period */
	assert_int_equal(old->period_s, SENSOR_DEFAULT_PERIOD_S);
	assert_null(server_config_source(&c, "nobody"));
}

static void test_source_refusals(void **state)
{
	(void)state;
	static const char head[] = "database d\norganizer a organizer-token-0123456789\n"
				   "mqtt-broker mqtt://127.0.0.1\n";
	static const struct {
		const char *text, *needle;
	} cases[] = {
		{"source x\n", "line 4: source NAME FORMAT FROM"},
		{"source x/y irisys push queue:q\n", "line 4: source name 'x/y'"},
		{"source x gizmo push queue:q\n", "line 4: source x: unknown format 'gizmo'"},
		{"source x irisys ftp:host queue:q\n", "line 4: source x: FROM is mqtt:TOPIC"},
		{"source x irisys poll:http://h/x@0 queue:q\n", "line 4: source x: FROM is"},
		{"source x irisys mqtt:a/b hall:q\n", "line 4: source x: the target is"},
		{"source x irisys mqtt:a/b queue:q\nsource x irisys mqtt:a/c queue:q\n",
		 "line 5: source x given twice"},
		{"source-counter x In entry\n", "line 4: source-counter x: no source line"},
		{"source x irisys mqtt:a queue:q\nsource-counter x In sideways\n",
		 "line 5: source-counter x DEVICE-COUNTER ROLE"},
		{"source x irisys mqtt:a queue:q\nsource-counter x In entry\n"
		 "source-counter x In exit\n",
		 "line 6: source-counter x 'In' given twice"},
		{"source x json mqtt:a queue:q\nsource-field x colour /c\n",
		 "line 5: source-field x FIELD JSON-POINTER"},
		{"source x json mqtt:a queue:q\nsource-field x entry c\n",
		 "line 5: source-field x"},
		{"source x json mqtt:a queue:q\nsource-field x entry /c sometimes\n",
		 "line 5: source-field x"},
		{"source x json push queue:q\nsource-field x entry /in\n",
		 "source x: push needs the device's token"},
		{"source x irisys mqtt:a queue:q\nsource-login x /f\n",
		 "source x: source-login is for poll"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		static struct server_config c;
		char text[1024];
		snprintf(text, sizeof(text), "%s%s", head, cases[i].text);
		struct feed_error e = {{0}};
		if (server_config_parse(text, strlen(text), &c, &e) ||
		    !strstr(e.msg, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].needle);
	}
	/* an MQTT source without a broker, a broker of another scheme */
	static struct server_config c;
	static const char no_broker[] = "database d\norganizer a organizer-token-0123456789\n"
					"source x irisys mqtt:a queue:q\n";
	struct feed_error e = {{0}};
	assert_false(server_config_parse(no_broker, strlen(no_broker), &c, &e));
	assert_non_null(strstr(e.msg, "needs an mqtt-broker line"));
	static const char bad_broker[] = "database d\norganizer a organizer-token-0123456789\n"
					 "mqtt-broker http://h\n";
	assert_false(server_config_parse(bad_broker, strlen(bad_broker), &c, &e));
	assert_non_null(strstr(e.msg, "mqtt-broker is mqtt://"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_a_good_file),
		cmocka_unit_test(test_refusals_name_the_line),
		cmocka_unit_test(test_capacities_and_alerts),
		cmocka_unit_test(test_screen_tokens),
		cmocka_unit_test(test_disk_reserve),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_source_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
