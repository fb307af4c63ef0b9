/* Unit tests for log_budget: a server changing the alerts in every event
 * (20 a second for 3 minutes) makes 20 lines a minute and one line saying
 * how many were left out; a few changes a minute are all said. */
#include "test_util.h"

#include "log_budget.h"

static void test_flood(void **state)
{
	(void)state;
	struct log_budget b = {0};
	unsigned written = 0, said_skipped = 0, summaries = 0, skipped;
	for (int64_t t = 0; t < 180000; t += 50) {
		if (log_budget_take(&b, t, &skipped))
			written++;
		if (skipped) {
			summaries++;
			said_skipped += skipped;
		}
	}
	assert_int_equal(written, 3 * LOG_BUDGET_LINES);
	assert_int_equal(summaries, 2); /* the third minute's is said when it is over */
	skipped = log_budget_over(&b, 240000);
	assert_int_equal(written + said_skipped + skipped, 3600);
	assert_int_equal(log_budget_over(&b, 240001), 0);
}

static void test_quiet(void **state)
{
	(void)state;
	struct log_budget b = {0};
	unsigned skipped;
	for (int64_t t = 0; t < 3600000; t += 10000) { /* one change every 10 s */
		assert_true(log_budget_take(&b, t, &skipped));
		assert_int_equal(skipped, 0);
	}
	assert_int_equal(log_budget_over(&b, 9999999), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
