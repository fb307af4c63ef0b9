/* Unit tests for update_files: update-target.json's text with its URL made
 * absolute, update-status and image read the way the server will check
 * them, and quiet moments (sessions starting within 10 minutes in this
 * screen's rooms, the update window, across midnight). */
#include "test_util.h"

#include "civil_time.h"
#include "fleet_state.h"
#include "kiosk_config.h"
#include "schedule.h"
#include "text.h"
#include "update_files.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void test_target(void **state)
{
	(void)state;
	struct fleet_update u = {
		"20261127.120000-89fa40dddc", "/v1/bundles/20261127.120000-89fa40dddc.tar",
		198443008, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
	char *json = update_files_target(&u, "https://venueboard.local:8443/v1/screens/heartbeat");
	assert_non_null(json);
	cJSON *o = cJSON_Parse(json);
	assert_string_equal(cJSON_GetObjectItem(o, "version")->valuestring, u.version);
	assert_string_equal(
		cJSON_GetObjectItem(o, "url")->valuestring,
		"https://venueboard.local:8443/v1/bundles/20261127.120000-89fa40dddc.tar");
	assert_true(cJSON_GetObjectItem(o, "size")->valuedouble == 198443008.0);
	assert_string_equal(cJSON_GetObjectItem(o, "sha256")->valuestring, u.sha256);
	assert_int_equal(cJSON_GetArraySize(o), 4);
	cJSON_Delete(o);
	free(json);
	assert_null(update_files_target(&u, "file:///srv/heartbeat"));
}

static void test_status(void **state)
{
	(void)state;
	char out[UPDATE_STATUS_MAX + 1];
	static const struct {
		const char *in, *out; /* out NULL: nothing sent */
	} cases[] = {
		{"downloading 40 %\n", "downloading 40 %"},
		{"written, rebooting at a quiet moment\r\nsecond line\n",
		 "written, rebooting at a quiet moment"},
		{"idle", "idle"},
		{"refused: bad signature   \n", "refused: bad signature"},
		{"", NULL},
		{"\n", NULL},
		{"failed:\ttab", NULL},
		{"bad \xff byte", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		bool ok = update_files_status(cases[i].in, strlen(cases[i].in), out);
		if (ok != (cases[i].out != NULL) || (ok && strcmp(out, cases[i].out) != 0))
			fail_msg("case %zu: '%s'", i, ok ? out : "(none)");
	}
	/* longer than 160 bytes: cut at a character, never inside one */
	char lng[400] = "failed: ";
	for (size_t n = strlen(lng); n < 300; n += 2)
		memcpy(lng + n, "é", sizeof("é")); /* two bytes and the NUL */
	assert_true(update_files_status(lng, strlen(lng), out));
	assert_true(strlen(out) <= UPDATE_STATUS_MAX && strlen(out) >= UPDATE_STATUS_MAX - 1);
	assert_true(text_utf8_valid(out, strlen(out)));
}

static void test_image(void **state)
{
	(void)state;
	char v[UPDATE_IMAGE_MAX + 1], slot[UPDATE_SLOT_MAX + 1];
	assert_true(update_files_image("20261127.120000-89fa40dddc b\n", 29, v, slot));
	assert_string_equal(v, "20261127.120000-89fa40dddc");
	assert_string_equal(slot, "b");
	assert_true(update_files_image("1.4.2 a  ", 9, v, slot));
	assert_string_equal(slot, "a");
	static const char *const bad[] = {"",         "1.4.2",      "1.4.2 ",
					  " 1.4.2 a", "1.4.2 a b",  "1.4.2 slot-too-long",
					  "1.4.2\ta", "v\xc3\xa9 a"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (update_files_image(bad[i], strlen(bad[i]), v, slot))
			fail_msg("'%s' was read as an image", bad[i]);
	char lng[100];
	memset(lng, '1', 80);
	memcpy(lng + 80, " a", 3);
	assert_false(update_files_image(lng, strlen(lng), v, slot));
}

/* Thursday 6 November 2014 in Paris: Salle 251 at 10:00-10:40, Salle 243
 * at 10:20-11:00 (cancelled), Salle 241 at 23:50. */
static const char DOC[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"T\",\"timezone\":"
	"\"Europe/Paris\"},\"rooms\":[{\"id\":\"a\",\"name\":\"Salle 251\"},{\"id\":\"b\",\"name\":"
	"\"Salle 243\"},{\"id\":\"c\",\"name\":\"Salle 241\"}],\"sessions\":["
	"{\"id\":\"1\",\"title\":\"One\",\"room\":\"a\",\"start\":\"2014-11-06T09:00:00Z\",\"end\":"
	"\"2014-11-06T09:40:00Z\"},"
	"{\"id\":\"2\",\"title\":\"Two\",\"room\":\"b\",\"start\":\"2014-11-06T09:20:00Z\",\"end\":"
	"\"2014-11-06T10:00:00Z\",\"status\":\"cancelled\"},"
	"{\"id\":\"3\",\"title\":\"Late\",\"room\":\"c\",\"start\":\"2014-11-06T22:50:00Z\",\"end\":"
	"\"2014-11-06T23:40:00Z\"}]}";

/* 2014-11-06 hh:mm in Paris (UTC+1), in ms */
static int64_t paris(int hh, int mm)
{
	return 1415228400000LL + ((int64_t)hh * 60 + mm) * 60000; /* Paris midnight, plus */
}

static void test_quiet(void **state)
{
	(void)state;
	struct schedule *s = test_parse(DOC, NULL);
	const struct civil_zone *zone = civil_zone_find("Europe/Paris");
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	assert_non_null(cfg);
	kiosk_config_defaults(cfg);
	struct feed_error e;
	static const struct {
		const char *rooms, *window;
		int hh, mm;
		bool quiet;
	} cases[] = {
		{NULL, NULL, 9, 49, true},            /* 11 minutes before Salle 251's */
		{NULL, NULL, 9, 50, false},           /* 10 minutes before */
		{NULL, NULL, 10, 0, false},           /* it starts now */
		{NULL, NULL, 10, 1, true},            /* it has started: no session starting */
		{NULL, NULL, 10, 15, true},           /* Salle 243's is cancelled */
		{"Salle 243", NULL, 9, 55, true},     /* only Salle 243 on this screen */
		{"salle 251", NULL, 9, 55, false},    /* the room as configured, case aside */
		{NULL, "02:00-05:00", 10, 30, false}, /* outside the window */
		{NULL, "02:00-05:00", 3, 0, true},
		{NULL, "22:00-06:00", 23, 30, true}, /* across midnight */
		{NULL, "22:00-06:00", 5, 59, true},
		{NULL, "22:00-06:00", 6, 0, false},
		{NULL, "22:00-06:00", 23, 45, false}, /* Salle 241 at 23:50 */
		{"Salle 251", "22:00-06:00", 23, 45, true},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		kiosk_config_defaults(cfg);
		if (cases[i].rooms)
			assert_true(kiosk_config_set(cfg, "room", cases[i].rooms, &e));
		if (cases[i].window)
			assert_true(kiosk_config_set(cfg, "update-window", cases[i].window, &e));
		bool q = update_files_quiet(cfg, s, zone, paris(cases[i].hh, cases[i].mm));
		if (q != cases[i].quiet)
			fail_msg("case %zu (%02d:%02d): quiet %d", i, cases[i].hh, cases[i].mm, q);
	}
	/* no schedule yet: the window alone */
	kiosk_config_defaults(cfg);
	assert_true(update_files_quiet(cfg, NULL, zone, paris(9, 55)));
	schedule_destroy(s);
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
