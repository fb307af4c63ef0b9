/* Unit tests for stream_guard: the issue 19 replays in miniature — an
 * endless line (bytes, no whole event) cut after the keep-alive period and
 * its margin however many bytes keep coming, the server's keep-alive
 * comment keeping a stream alive, bad events in a row, floods of events
 * and of bytes, a line over its cap, and when a stream has proven itself. */
#include "test_util.h"

#include "stream_guard.h"

#include <string.h>

static void test_bytes_are_not_life(void **state)
{
	(void)state;
	struct stream_guard g;
	stream_guard_open(&g, 1000);
	/* bytes every 100 ms, never a whole event (finding 10): the clock cuts it */
	int64_t t = 1000;
	for (; t <= 1000 + STREAM_GUARD_IDLE_MS; t += 100) {
		assert_true(stream_guard_bytes(&g, 64, t));
		assert_true(stream_guard_idle(&g, t));
	}
	t += 100;
	assert_true(stream_guard_bytes(&g, 64, t));
	assert_false(stream_guard_idle(&g, t));
	assert_true(g.broken);
	assert_non_null(strstr(g.why, "no whole event for 20 s"));
	/* broken stays broken until the next connection */
	assert_false(stream_guard_bytes(&g, 1, t));
	assert_false(stream_guard_whole(&g, STREAM_GUARD_GOOD, t));
	stream_guard_open(&g, t);
	assert_false(g.broken);
	assert_true(stream_guard_idle(&g, t + 1000));
}

static void test_keep_alive_keeps_it(void **state)
{
	(void)state;
	struct stream_guard g;
	stream_guard_open(&g, 0);
	assert_true(stream_guard_whole(&g, STREAM_GUARD_GOOD, 10));
	assert_true(g.live);
	/* the server's comment every 15 s, for an hour */
	for (int64_t t = 15000; t <= 3600000; t += 15000) {
		assert_true(stream_guard_idle(&g, t - 1));
		assert_true(stream_guard_whole(&g, STREAM_GUARD_COMMENT, t));
	}
	assert_true(stream_guard_healthy(&g, 3600000));
}

static void test_bad_in_a_row(void **state)
{
	(void)state;
	struct stream_guard g;
	stream_guard_open(&g, 0);
	/* bad, good, bad...: never STREAM_GUARD_BAD_MAX in a row */
	for (int i = 0; i < 50; i++)
		assert_true(stream_guard_whole(&g, i % 4 ? STREAM_GUARD_BAD : STREAM_GUARD_GOOD,
					       i * 100));
	stream_guard_open(&g, 0);
	for (int i = 1; i < STREAM_GUARD_BAD_MAX; i++)
		assert_true(stream_guard_whole(&g, STREAM_GUARD_BAD, i));
	assert_false(stream_guard_whole(&g, STREAM_GUARD_BAD, 100));
	assert_non_null(strstr(g.why, "8 events in a row that do not read"));
	assert_false(g.live);
	assert_false(stream_guard_healthy(&g, 100000));
}

static void test_floods(void **state)
{
	(void)state;
	struct stream_guard g;
	/* good events: as many as a window holds, each window */
	stream_guard_open(&g, 0);
	for (int w = 0; w < 5; w++)
		for (int i = 0; i < STREAM_GUARD_WINDOW_EVENTS; i++)
			assert_true(stream_guard_whole(&g, STREAM_GUARD_GOOD,
						       w * STREAM_GUARD_WINDOW_MS + i));
	/* one more in a window: no server sends that many */
	stream_guard_open(&g, 0);
	int i = 0;
	while (stream_guard_whole(&g, STREAM_GUARD_COMMENT, i))
		i++;
	assert_int_equal(i, STREAM_GUARD_WINDOW_EVENTS);
	assert_non_null(strstr(g.why, "more than 200 events in 10 s"));
	/* bytes */
	stream_guard_open(&g, 0);
	size_t sent = 0;
	while (stream_guard_bytes(&g, 16384, 5))
		sent += 16384;
	assert_true(sent <= STREAM_GUARD_WINDOW_BYTES && sent + 16384 > STREAM_GUARD_WINDOW_BYTES);
	assert_non_null(strstr(g.why, "more than 8 MiB in 10 s"));
}

static void test_over_and_healthy(void **state)
{
	(void)state;
	struct stream_guard g;
	stream_guard_open(&g, 0);
	assert_true(stream_guard_whole(&g, STREAM_GUARD_GOOD, 1));
	assert_false(stream_guard_healthy(&g, STREAM_GUARD_IDLE_MS - 1)); /* not long enough */
	assert_true(stream_guard_whole(&g, STREAM_GUARD_COMMENT, 15000));
	assert_true(stream_guard_healthy(&g, STREAM_GUARD_IDLE_MS));
	assert_false(stream_guard_over(&g, "a line over 128 KiB"));
	assert_string_equal(g.why, "a line over 128 KiB");
	assert_false(stream_guard_healthy(&g, STREAM_GUARD_IDLE_MS));
	/* comments alone never make a stream live: it must say its state */
	stream_guard_open(&g, 0);
	for (int64_t t = 0; t < 60000; t += 15000)
		assert_true(stream_guard_whole(&g, STREAM_GUARD_COMMENT, t));
	assert_false(g.live);
	assert_false(stream_guard_healthy(&g, 60000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_are_not_life),
		cmocka_unit_test(test_keep_alive_keeps_it),
		cmocka_unit_test(test_bad_in_a_row),
		cmocka_unit_test(test_floods),
		cmocka_unit_test(test_over_and_healthy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
