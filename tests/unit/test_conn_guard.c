/* Unit tests for conn_guard: which connections venueboard-server cuts — the
 * deadlines of each stage, the cap on one address's slow header senders, and
 * room made for new clients when the table fills up. */
#include "test_util.h"

#include "conn_guard.h"

#include <string.h>

static struct guard_addr addr(unsigned char last)
{
	struct guard_addr a = {{0}};
	a.b[10] = a.b[11] = 0xff;
	a.b[12] = 10;
	a.b[15] = last;
	return a;
}

static size_t due(struct conn_guard *g, int64_t now, struct guard_cut *out)
{
	return conn_guard_due(g, now, out, 4096);
}

static void test_stage_deadlines(void **state)
{
	(void)state;
	struct guard_limits lim = conn_guard_defaults(100);
	struct conn_guard *g = conn_guard_create(&lim);
	assert_non_null(g);
	struct guard_addr a = addr(1);
	int headers = conn_guard_open(g, &a, 0);
	int body = conn_guard_open(g, &a, 0);
	int working = conn_guard_open(g, &a, 0);
	int responding = conn_guard_open(g, &a, 0);
	assert_true(headers >= 0 && body >= 0 && working >= 0 && responding >= 0);
	conn_guard_stage(g, body, GUARD_BODY, 1024 * 1024, 0); /* 30 s + 32 s at 32 KiB/s */
	conn_guard_stage(g, working, GUARD_WORKING, 0, 0);
	conn_guard_stage(g, responding, GUARD_RESPONDING, 64 * 1024, 0); /* 30 s + 2 s */
	struct guard_cut cuts[4096];
	assert_int_equal(conn_guard_next_deadline(g), lim.headers_ms);
	/* one byte every 8 s does not help: the deadline is fixed at the start */
	assert_int_equal(due(g, lim.headers_ms - 1, cuts), 0);
	assert_int_equal(due(g, lim.headers_ms, cuts), 1);
	assert_int_equal(cuts[0].slot, headers);
	assert_int_equal(cuts[0].why, GUARD_CUT_HEADERS);
	assert_int_equal(due(g, lim.headers_ms + 1, cuts), 0); /* named once */
	assert_int_equal(due(g, 31999, cuts), 0);
	assert_int_equal(due(g, 32000, cuts), 1);
	assert_int_equal(cuts[0].slot, responding);
	assert_int_equal(cuts[0].why, GUARD_CUT_RESPONSE);
	assert_int_equal(due(g, 61999, cuts), 0);
	assert_int_equal(due(g, 62000, cuts), 1);
	assert_int_equal(cuts[0].slot, body);
	assert_int_equal(cuts[0].why, GUARD_CUT_BODY);
	/* the server's own work has no deadline */
	assert_int_equal(due(g, 10LL * 24 * 3600 * 1000, cuts), 0);
	assert_int_equal(conn_guard_next_deadline(g), INT64_MAX);
	/* a kept-alive connection waits for its next request's headers */
	conn_guard_stage(g, working, GUARD_IDLE, 0, 100000);
	assert_int_equal(conn_guard_next_deadline(g), 100000 + lim.headers_ms);
	assert_int_equal(due(g, 100000 + lim.headers_ms, cuts), 1);
	assert_int_equal(cuts[0].why, GUARD_CUT_IDLE);
	assert_int_equal(conn_guard_count(g), 4);
	conn_guard_close(g, headers);
	conn_guard_close(g, body);
	assert_int_equal(conn_guard_count(g), 2);
	conn_guard_destroy(g);
}

static void test_full_table(void **state)
{
	(void)state;
	struct guard_limits lim = conn_guard_defaults(16);
	struct conn_guard *g = conn_guard_create(&lim);
	struct guard_addr a = addr(1);
	int slots[16];
	for (int i = 0; i < 16; i++)
		assert_true((slots[i] = conn_guard_open(g, &a, 0)) >= 0);
	assert_int_equal(conn_guard_open(g, &a, 0), -1);
	conn_guard_close(g, slots[7]);
	assert_int_equal(conn_guard_open(g, &a, 0), slots[7]); /* the slot is used again */
	conn_guard_destroy(g);
}

/* Slow header senders from one address: only per_addr_slow of them stay,
 * the oldest go; another address's, and fresh ones, are left alone. */
static void test_one_address(void **state)
{
	(void)state;
	struct guard_limits lim = conn_guard_defaults(1000);
	struct conn_guard *g = conn_guard_create(&lim);
	struct guard_addr attacker = addr(66), kiosks = addr(7);
	int first[10];
	for (int i = 0; i < (int)lim.per_addr_slow + 10; i++) {
		int s = conn_guard_open(g, &attacker, i); /* one a millisecond */
		if (i < 10)
			first[i] = s;
	}
	for (int i = 0; i < 40; i++) /* a NAT of kiosks, all slow to send for once */
		conn_guard_open(g, &kiosks, 0);
	for (int i = 0; i < 300; i++) { /* and 300 more between their polls */
		int s = conn_guard_open(g, &kiosks, 0);
		conn_guard_stage(g, s, GUARD_IDLE, 0, 0);
	}
	struct guard_cut cuts[4096];
	int64_t now = lim.slow_ms + 100;
	int fresh = conn_guard_open(g, &attacker, now - 10);
	assert_true(fresh >= 0);
	size_t n = due(g, now, cuts);
	assert_int_equal(n, 10);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cuts[i].why, GUARD_CUT_ADDRESS);
		assert_int_equal(cuts[i].slot, first[i]);
		assert_int_not_equal(cuts[i].slot, fresh);
	}
	conn_guard_destroy(g);
}

/* Past the soft limit, the slowest header senders make room, oldest first;
 * requests already past their headers are kept. */
static void test_pressure(void **state)
{
	(void)state;
	struct guard_limits lim = conn_guard_defaults(100); /* soft: 75 */
	lim.per_addr_slow = 1000;
	struct conn_guard *g = conn_guard_create(&lim);
	int slow[80];
	for (int i = 0; i < 80; i++) {
		struct guard_addr a = addr((unsigned char)(i % 5));
		slow[i] = conn_guard_open(g, &a, 100 + i);
	}
	for (int i = 0; i < 10; i++) {
		struct guard_addr a = addr(9);
		int s = conn_guard_open(g, &a, 0);
		conn_guard_stage(g, s, GUARD_BODY, 1 << 20, 0);
	}
	struct guard_cut cuts[4096];
	/* not yet slow: nothing goes however full the table is (slow comes
	 * sooner when it is full: 250 ms, not 1 s) */
	assert_int_equal(due(g, 100 + lim.busy_slow_ms, cuts), 0);
	size_t n = due(g, 2000, cuts);
	assert_int_equal(n, 15); /* 90 open, 75 kept */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cuts[i].why, GUARD_CUT_PRESSURE);
		assert_int_equal(cuts[i].slot, slow[i]);
	}
	assert_int_equal(due(g, 2001, cuts), 0);
	/* the cut ones closed, a new client gets a slot */
	for (size_t i = 0; i < n; i++)
		conn_guard_close(g, cuts[i].slot);
	struct guard_addr a = addr(200);
	assert_true(conn_guard_open(g, &a, 2002) >= 0);
	conn_guard_destroy(g);
}

/* A response whose progress is reported: cut when it stops moving, and
 * under pressure the ones that moved least recently make room. */
static void test_responses(void **state)
{
	(void)state;
	struct guard_limits lim = conn_guard_defaults(16); /* soft: 12 */
	struct conn_guard *g = conn_guard_create(&lim);
	struct guard_addr a = addr(1);
	struct guard_cut cuts[64];
	int big = conn_guard_open(g, &a, 0);
	conn_guard_stage(g, big, GUARD_RESPONDING, 1ULL << 30, 0); /* a deadline hours away */
	conn_guard_progress(g, big, 16384, 1000);
	assert_int_equal(conn_guard_next_deadline(g), 1000 + lim.respond_stall_ms);
	conn_guard_progress(g, big, 32768, 20000); /* it moves: the stall counts from here */
	assert_int_equal(due(g, 20000 + lim.respond_stall_ms - 1, cuts), 0);
	conn_guard_progress(g, big, 32768, 40000); /* the same count is no progress */
	assert_int_equal(due(g, 20000 + lim.respond_stall_ms, cuts), 1);
	assert_int_equal(cuts[0].slot, big);
	assert_int_equal(cuts[0].why, GUARD_CUT_RESPONSE);
	conn_guard_close(g, big);

	/* 14 responses open (past the soft limit): 8 moving, 6 not; the 2 that
	 * moved least recently go, the moving ones stay */
	int moving[8], stuck[6];
	for (int i = 0; i < 6; i++) {
		stuck[i] = conn_guard_open(g, &a, 0);
		conn_guard_stage(g, stuck[i], GUARD_RESPONDING, 1ULL << 30, 0);
		conn_guard_progress(g, stuck[i], 65536, 100 + i);
	}
	for (int i = 0; i < 8; i++) {
		moving[i] = conn_guard_open(g, &a, 0);
		conn_guard_stage(g, moving[i], GUARD_RESPONDING, 1ULL << 30, 0);
	}
	for (int64_t t = 500; t <= 3000; t += 500)
		for (int i = 0; i < 8; i++)
			conn_guard_progress(g, moving[i], (uint64_t)t * 100, t);
	size_t n = due(g, 3000, cuts);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(cuts[i].why, GUARD_CUT_PRESSURE);
		assert_int_equal(cuts[i].slot, stuck[i]);
	}
	/* below the soft limit nothing is cut for not moving (its stall aside) */
	conn_guard_close(g, stuck[0]);
	conn_guard_close(g, stuck[1]);
	assert_int_equal(due(g, 3500, cuts), 0);
	conn_guard_destroy(g);
}

static void test_reason_names(void **state)
{
	(void)state;
	for (int i = 0; i < GUARD_N_REASONS; i++)
		assert_true(strlen(conn_guard_reason_name((enum guard_reason)i)) > 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_deadlines), cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_one_address),     cmocka_unit_test(test_pressure),
		cmocka_unit_test(test_responses),       cmocka_unit_test(test_reason_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
