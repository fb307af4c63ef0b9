/* Unit tests for coalesce: the first ask acted on at once; a storm (finding
 * 12: a new schedule ETag in every event) folded into a handful of acts, the
 * interval doubling while it lasts and back to its least once it ends;
 * never while one is in flight; the newest ask kept; a fixed interval; an
 * ask made void. */
#include "test_util.h"

#include "coalesce.h"

static void test_storm(void **state)
{
	(void)state;
	struct coalesce c;
	coalesce_init(&c, 2000, 30000);
	assert_false(coalesce_due(&c, 0, false, NULL)); /* nothing asked */
	assert_int_equal(coalesce_next_ms(&c, 0), INT64_MAX);
	/* an ask every millisecond for 60 s: acts at 0, 2, 6, 14, 30 and 60 s */
	int64_t at[8];
	int acts = 0;
	unsigned folded = 0, total = 0;
	for (int64_t t = 0; t <= 60000; t++) {
		coalesce_ask(&c);
		if (coalesce_due(&c, t, false, &folded)) {
			if (acts < 8)
				at[acts] = t;
			acts++;
			total += folded;
		}
	}
	assert_int_equal(acts, 6);
	static const int64_t want[] = {0, 2000, 6000, 14000, 30000, 60000};
	for (int i = 0; i < 6; i++)
		assert_int_equal(at[i], want[i]);
	assert_int_equal(total + c.asks, 60001); /* every ask answered or still waiting */
	/* the storm ends: an ask that comes alone waits out the long interval
	 * once, then the interval is back to its least */
	assert_false(c.pending);
	coalesce_ask(&c);
	assert_false(coalesce_due(&c, 70000, false, NULL));
	assert_true(coalesce_due(&c, 90000, false, NULL));
	coalesce_ask(&c);
	assert_int_equal(coalesce_next_ms(&c, 91000), 1000);
}

/* A few real changes in a row (an alert, its withdrawal, a move): none
 * waits more than the least interval. */
static void test_a_few_in_a_row(void **state)
{
	(void)state;
	struct coalesce c;
	coalesce_init(&c, 2000, 30000);
	int64_t asked[] = {0, 300, 700, 2500, 2600, 5000, 5100, 5200, 9000};
	int64_t waiting = -1, worst = 0;
	size_t next = 0;
	for (int64_t t = 0; t <= 12000; t++) {
		if (next < sizeof(asked) / sizeof(*asked) && asked[next] == t) {
			coalesce_ask(&c);
			if (waiting < 0)
				waiting = t;
			next++;
		}
		if (coalesce_due(&c, t, false, NULL)) {
			worst = t - waiting > worst ? t - waiting : worst;
			waiting = -1;
		}
	}
	assert_true(worst <= 2000);
	assert_int_equal(waiting, -1);
}

static void test_in_flight_and_kept(void **state)
{
	(void)state;
	struct coalesce c;
	coalesce_init(&c, 10000, 10000); /* a fixed interval */
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
	/* an ask made void: nothing to do */
	coalesce_ask(&c);
	coalesce_cancel(&c);
	assert_false(coalesce_due(&c, 110000, false, NULL));
	assert_int_equal(coalesce_next_ms(&c, 110000), INT64_MAX);
	/* a storm does not stretch a fixed interval */
	for (int i = 0; i < 100; i++)
		coalesce_ask(&c);
	assert_true(coalesce_due(&c, 120000, false, NULL));
	coalesce_ask(&c);
	assert_int_equal(coalesce_next_ms(&c, 120000), 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storm),
		cmocka_unit_test(test_a_few_in_a_row),
		cmocka_unit_test(test_in_flight_and_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
