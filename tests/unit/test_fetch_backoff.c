/* Unit tests for fetch_backoff: origins, the back-off's growth and jitter,
 * Retry-After in its three date forms and as seconds (and what is refused),
 * its bounds, and one origin's answer ending its other feeds' back-off. */
#include "test_util.h"

#include "civil_time.h"
#include "fetch_backoff.h"

#include <string.h>

static void test_origin(void **state)
{
	(void)state;
	static const struct {
		const char *url, *origin;
	} cases[] = {
		{"http://127.0.0.1:8080/v1/schedule", "http://127.0.0.1:8080"},
		{"HTTPS://Venueboard.LOCAL/v1/queues?since=x", "https://venueboard.local"},
		{"https://venueboard.local:8443", "https://venueboard.local:8443"},
		{"http://[::1]:9/v1/rooms#x", "http://[::1]:9"},
	};
	char o[FETCH_BACKOFF_ORIGIN_MAX];
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		if (!fetch_backoff_origin(cases[i].url, o, sizeof(o)) ||
		    strcmp(o, cases[i].origin) != 0)
			fail_msg("%s: '%s', not '%s'", cases[i].url, o, cases[i].origin);
	}
	assert_false(fetch_backoff_origin("file:///srv/feed.json", o, sizeof(o)));
	assert_string_equal(o, "");
	assert_false(fetch_backoff_origin("no-scheme/x", o, sizeof(o)));
	assert_false(fetch_backoff_origin("ftp://host/x", o, sizeof(o)));
	char small[12];
	assert_false(fetch_backoff_origin("http://a-long-host-name/x", small, sizeof(small)));
	assert_string_equal(small, "");
}

static void test_delay(void **state)
{
	(void)state;
	/* 2 s doubled up to 120 s; each between half and all of it */
	static const int64_t full[] = {2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000};
	for (int f = 1; f <= 8; f++)
		for (uint64_t r = 0; r < 2000; r += 37) {
			int64_t d =
				fetch_backoff_delay_ms(f, 2000, 120000, r * 0x9e3779b97f4a7c15u);
			if (d < full[f - 1] / 2 || d > full[f - 1])
				fail_msg("failure %d: %lld ms outside [%lld, %lld]", f,
					 (long long)d, (long long)full[f - 1] / 2,
					 (long long)full[f - 1]);
		}
	assert_true(fetch_backoff_delay_ms(1000, 2000, 120000, 0) == 60000); /* no overflow */
	assert_true(fetch_backoff_delay_ms(1, 2000, 120000, 1000) == 2000);
}

static void test_retry_after(void **state)
{
	(void)state;
	/* Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example) */
	const int64_t date = civil_days_from_date(1994, 11, 6) * 86400 + 8 * 3600 + 49 * 60 + 37;
	const int64_t now = date - 120;
	static const struct {
		const char *v;
		int64_t delay; /* -1: refused */
	} cases[] = {
		{"120", 120},
		{" 5 ", 5},
		{"0", 0},
		{"Sun, 06 Nov 1994 08:49:37 GMT", 120},
		{"Sunday, 06-Nov-94 08:49:37 GMT", 120},
		{"Sun Nov  6 08:49:37 1994", 120},
		{"Sun, 06 Nov 1994 08:40:00 GMT", 0}, /* passed: now */
		{"-5", -1},
		{"12abc", -1},
		{"1.5", -1},
		{"soon", -1},
		{"", -1},
		{"99999999999999999999", -1},
		{"Sun, 06 Nov 1994 08:49:37 UTC", -1},
		{"Sun, 31 Feb 1994 08:49:37 GMT", -1},
		{"Sun, 06 Nov 1994 25:49:37 GMT", -1},
		{"Sun, 06 Nox 1994 08:49:37 GMT", -1},
		{"Sun, 06 Nov 1994 08:49:37 GMT trailing", -1},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int64_t d = -7;
		bool ok = fetch_backoff_retry_after(cases[i].v, now, &d);
		if (ok != (cases[i].delay >= 0) || (ok && d != cases[i].delay))
			fail_msg("'%s': %s %lld, expected %lld", cases[i].v,
				 ok ? "read" : "refused", (long long)d, (long long)cases[i].delay);
	}
	int64_t d;
	assert_false(fetch_backoff_retry_after(NULL, now, &d));
	/* the bounds: never below the poll, never above an hour */
	assert_true(fetch_backoff_hold_ms(5, 30000) == 30000);
	assert_true(fetch_backoff_hold_ms(120, 30000) == 120000);
	assert_true(fetch_backoff_hold_ms(86400, 30000) == 3600000);
	assert_true(fetch_backoff_hold_ms(100000000, 2000) == 3600000);
	assert_true(fetch_backoff_hold_ms(0, 2000) == 2000);
}

static void test_answered(void **state)
{
	(void)state;
	const char *srv = "http://127.0.0.1:8080", *other = "http://10.0.0.2";
	struct fetch_backoff_peer p[] = {
		{srv, 0, 60000, false, false},    /* the schedule: it just answered */
		{srv, 6, 118000, false, false},   /* the lunch lines: 2 min of back-off left */
		{srv, 3, 0, false, false},        /* due now already: kept */
		{srv, 2, 90000, true, false},     /* in flight: its own answer will say */
		{srv, 4, 900000, false, true},    /* the server asked it to wait: it waits */
		{other, 5, 100000, false, false}, /* another server: not ours to judge */
		{NULL, 5, 100000, false, false},  /* a file:// feed */
	};
	size_t n = sizeof(p) / sizeof(*p);
	assert_int_equal(fetch_backoff_answered(p, n, 0, 0, 12345), 2);
	assert_int_equal(p[1].failures, 0);
	assert_true(p[1].due_ms >= 0 && p[1].due_ms < FETCH_BACKOFF_RESET_JITTER_MS);
	assert_int_equal(p[2].failures, 0);
	assert_true(p[2].due_ms == 0);
	assert_int_equal(p[3].failures, 2);
	assert_int_equal(p[4].failures, 4);
	assert_true(p[4].due_ms == 900000);
	assert_int_equal(p[5].failures, 5);
	assert_int_equal(p[6].failures, 5);
	/* jitter: several feeds of one origin are spread */
	struct fetch_backoff_peer q[5];
	for (int i = 0; i < 5; i++)
		q[i] = (struct fetch_backoff_peer){srv, 3, 500000, false, false};
	q[0].failures = 0;
	assert_int_equal(fetch_backoff_answered(q, 5, 0, 1000000, 7), 4);
	assert_true(q[1].due_ms == 500000 && q[1].failures == 0); /* overdue: stays due */
	for (int i = 0; i < 5; i++)
		q[i] = (struct fetch_backoff_peer){srv, 3, 5000000, false, false};
	assert_int_equal(fetch_backoff_answered(q, 5, 0, 1000000, 7), 4);
	int distinct = 0;
	for (int i = 1; i < 5; i++) {
		assert_true(q[i].due_ms >= 1000000 && q[i].due_ms < 1000000 + 2000);
		bool seen = false;
		for (int j = 1; j < i; j++)
			seen |= q[j].due_ms == q[i].due_ms;
		distinct += !seen;
	}
	assert_true(distinct >= 3);
	/* a feed without origin answering resets nothing */
	p[1].failures = 3;
	assert_int_equal(fetch_backoff_answered(p, n, 6, 0, 1), 0);
	assert_int_equal(fetch_backoff_answered(p, n, 99, 0, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_origin),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_answered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
