/* Unit tests for legibility: the signage rule (25 mm of capitals per 3 m),
 * a panel's pixels per millimetre from its diagonal, the font size that
 * gives capitals that tall, and the way back. */
#include "test_util.h"

#include "legibility.h"

#include <math.h>

static void test_letter_height(void **state)
{
	(void)state;
	assert_true(fabs(legibility_letter_mm(3) - 25) < 1e-9);
	assert_true(fabs(legibility_letter_mm(6) - 50) < 1e-9);
	assert_true(fabs(legibility_letter_mm(10) - 83.333) < 0.001);
	assert_true(legibility_letter_mm(0) == 0 && legibility_letter_mm(-1) == 0);
}

static void test_panels(void **state)
{
	(void)state;
	/* a 55" 1080p panel: 2203 px over 1397 mm; turned, the same */
	double p = legibility_px_per_mm(1920, 1080, 55);
	assert_true(fabs(p - 1.5770) < 0.0005);
	assert_true(fabs(legibility_px_per_mm(1080, 1920, 55) - p) < 1e-12);
	/* 4K on the same glass: twice the pixels a millimetre */
	assert_true(fabs(legibility_px_per_mm(3840, 2160, 55) - 2 * p) < 1e-9);
	assert_true(legibility_px_per_mm(1920, 1080, 0) == 0);
	assert_true(legibility_px_per_mm(0, 1080, 55) == 0);
}

static void test_sizes(void **state)
{
	(void)state;
	double p = legibility_px_per_mm(1920, 1080, 55);
	/* DejaVu Sans Bold's capitals are 0.729 of its size */
	static const struct {
		double m;
		int want;
	} cases[] = {{3, 55}, {6, 109}, {10, 181}, {1.5, 28}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int got = legibility_min_size(cases[i].m, p, 0.729);
		if (got != cases[i].want)
			fail_msg("%.1f m: %d px, want %d", cases[i].m, got, cases[i].want);
		/* the size found gives capitals at least that tall, one less not */
		assert_true(got * 0.729 / p >= legibility_letter_mm(cases[i].m) - 1e-9);
		assert_true((got - 1) * 0.729 / p < legibility_letter_mm(cases[i].m));
		/* and back: that size reads from at least that far */
		assert_true(legibility_distance_m(got, p, 0.729) >= cases[i].m - 1e-9);
	}
	/* nothing known, nothing asked */
	assert_int_equal(legibility_min_size(0, p, 0.729), 0);
	assert_int_equal(legibility_min_size(3, 0, 0.729), 0);
	assert_int_equal(legibility_min_size(3, p, 0), 0);
	/* the board's smallest text, 20 px on 1080p, reads from about 1.1 m */
	assert_true(fabs(legibility_distance_m(20, p, 0.729) - 1.109) < 0.01);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_letter_height),
		cmocka_unit_test(test_panels),
		cmocka_unit_test(test_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
