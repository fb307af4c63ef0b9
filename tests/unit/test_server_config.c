/* Unit tests for server_config: the file format, refusals naming the line,
 * and token checks by role. */
#include "test_util.h"

#include "server_config.h"

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
	const struct config_token *t = server_config_check(&c, "organizer-token-0123456789",
							   TOKEN_ORGANIZER);
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
	static const struct { const char *text, *needle; } cases[] = {
		{"database d\nlisten nowhere\norganizer a organizer-token-0123456789\n", "line 2"},
		{"database d\nlisten h:70000\norganizer a organizer-token-0123456789\n", "line 2"},
		{"database d\norganizer a short\n", "line 2: the token"},
		{"database d\norganizer a organizer-token-0123456789\nsensor b organizer-token-0123456789\n",
		 "line 3: this token is already given to a"},
		{"database d\ncolour blue\norganizer a organizer-token-0123456789\n", "line 2: unknown"},
		{"database d\norganizer a\n", "line 2: organizer NAME TOKEN"},
		{"organizer a organizer-token-0123456789\n", "no database"},
		{"database d\nsensor s sensor-token-0123456789ab\n", "no organizer token"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct server_config c;
		struct feed_error e = {{0}};
		if (server_config_parse(cases[i].text, strlen(cases[i].text), &c, &e) ||
		    !strstr(e.msg, cases[i].needle))
			fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, cases[i].needle);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_a_good_file),
		cmocka_unit_test(test_refusals_name_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
