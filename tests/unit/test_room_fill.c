/* Unit tests for room_fill: the thresholds, and the counts that give no
 * fill (none, too old, absurd), never FULL. */
#include "test_util.h"

#include "room_fill.h"

#include <string.h>

static const int64_t T = 1415271600000LL;

static struct room_fill judge(int people, int sensor_cap, int seats, int64_t age_s)
{
	struct room_count c = {true, people, sensor_cap, T - age_s * 1000};
	struct room_fill f;
	room_fill_judge(&c, seats, T, &f);
	return f;
}

static void test_thresholds(void **state)
{
	(void)state;
	assert_int_equal(judge(400, 0, 400, 10).state, ROOM_FULL);
	assert_int_equal(judge(430, 0, 400, 10).state, ROOM_FULL); /* standing */
	assert_int_equal(judge(399, 0, 400, 10).state, ROOM_FILLING);
	assert_int_equal(judge(340, 0, 400, 10).state, ROOM_FILLING); /* exactly 85 % */
	assert_int_equal(judge(339, 0, 400, 10).state, ROOM_OPEN);
	struct room_fill f = judge(300, 0, 400, 10);
	assert_true(f.usable);
	assert_true(f.fill == 0.75);
	assert_string_equal(f.why, "");
	/* seats from the sensor when nobody else says */
	f = judge(90, 100, 0, 10);
	assert_int_equal(f.capacity, 100);
	assert_int_equal(f.state, ROOM_FILLING);
	/* the schedule's seats win over the sensor's */
	assert_int_equal(judge(90, 100, 400, 10).state, ROOM_OPEN);
}

static void test_no_fill_never_full(void **state)
{
	(void)state;
	struct room_count none = {0};
	struct room_fill f;
	room_fill_judge(&none, 400, T, &f);
	assert_false(f.usable);
	assert_string_equal(f.why, "no count");
	f = judge(400, 0, 400, 181); /* just over three minutes old */
	assert_false(f.usable);
	assert_int_equal(f.state, ROOM_OPEN);
	assert_true(f.fill < 0);
	assert_string_equal(f.why, "count unavailable: older than 3 minutes");
	assert_true(judge(400, 0, 400, 180).usable); /* three minutes: still good */
	f = judge(811, 0, 400, 10);                  /* more than twice the seats and ten */
	assert_false(f.usable);
	assert_int_equal(f.state, ROOM_OPEN);
	assert_non_null(strstr(f.why, "sensor fault"));
	assert_true(judge(810, 0, 400, 10).usable);
	f = judge(120, 0, 0, 10); /* no seats at all: people only */
	assert_true(f.usable);
	assert_int_equal(f.people, 120);
	assert_int_equal(f.state, ROOM_OPEN);
	assert_true(f.fill < 0);
	assert_string_equal(f.why, "no capacity known: people only");
}

static void test_names(void **state)
{
	(void)state;
	enum room_state s;
	assert_true(room_state_parse("full", &s) && s == ROOM_FULL);
	assert_true(room_state_parse("filling", &s) && s == ROOM_FILLING);
	assert_true(room_state_parse("open", &s) && s == ROOM_OPEN);
	assert_false(room_state_parse("FULL", &s));
	assert_false(room_state_parse(NULL, &s));
	assert_string_equal(room_state_name(ROOM_FULL), "full");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_no_fill_never_full),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
