/* Unit tests for coalesce: the first ask acted on at once, then at most one
 * act per interval whatever the number of asks (finding 12: a new schedule
 * ETag in every event), never while one is in flight, the last ask kept. */
#include "test_util.h"

#include "coalesce.h"

static void test_storm(void **state)
{
	(void)state;
	struct coalesce c;
	coalesce_init(&c, 10000);
	assert_false(coalesce_due(&c, 0, false, NULL)); /* nothing asked */
	assert_int_equal(coalesce_next_ms(&c, 0), INT64_MAX);
	/* an ask every millisecond for 21 s: 3 acts, at 0, 10 s and 20 s */
	int acts = 0;
	unsigned folded = 0, total = 0;
	for (int64_t t = 0; t < 21000; t++) {
		coalesce_ask(&c);
		if (coalesce_due(&c, t, false, &folded)) {
			assert_int_equal(t % 10000, 0);
			acts++;
			total += folded;
		}
	}
	assert_int_equal(acts, 3);
	assert_int_equal(total + c.asks, 21000); /* every ask answered or still waiting */
	assert_true(c.pending);
	assert_int_equal(coalesce_next_ms(&c, 21000), 9000);
}

static void test_in_flight_and_kept(void **state)
{
	(void)state;
	struct coalesce c;
	coalesce_init(&c, 10000);
	coalesce_ask(&c);
	assert_false(coalesce_due(&c, 0, true, NULL)); /* one in flight: it waits */
	assert_true(coalesce_due(&c, 3000, false, NULL));
	/* an ask during the interval is kept and acted on at its end */
	coalesce_ask(&c);
	assert_false(coalesce_due(&c, 12999, false, NULL));
	assert_false(coalesce_due(&c, 13000, true, NULL));
	assert_true(coalesce_due(&c, 13500, false, NULL));
	assert_false(c.pending);
	/* no ask: nothing, however long */
	assert_false(coalesce_due(&c, 100000, false, NULL));
	/* an ask made void: nothing to do, and the interval not spent on it */
	coalesce_ask(&c);
	coalesce_cancel(&c);
	assert_false(coalesce_due(&c, 50000, false, NULL));
	assert_int_equal(coalesce_next_ms(&c, 50000), INT64_MAX);
	/* an ask long after: at once */
	coalesce_ask(&c);
	assert_int_equal(coalesce_next_ms(&c, 100000), 0);
	assert_true(coalesce_due(&c, 100000, false, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_storm),
	    cmocka_unit_test(test_in_flight_and_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
