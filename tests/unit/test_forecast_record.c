/* Unit tests for forecast_record: the verdict (withheld where the model's
 * mean error is worse than persistence's, the wait now), the minimum count before
 * judging, the hysteresis, the ring of the last scored checks, per horizon;
 * and the same-time baseline's memory of the earlier days. */
#include "test_util.h"

#include "forecast_record.h"

#include <math.h>
#include <stdlib.h>

static struct forecast_record *fresh(void)
{
	struct forecast_record *r = malloc(sizeof(*r));
	assert_non_null(r);
	forecast_record_init(r);
	return r;
}

static void score_n(struct forecast_record *r, size_t h, int n, double m, double p, double s)
{
	for (int k = 0; k < n; k++)
		forecast_record_score(r, h, m, p, s);
}

/* Table: a run of identical checks, then the verdict and the means. */
static void test_the_rule(void **state)
{
	(void)state;
	static const struct {
		const char *why;
		int n;
		double model, persistence, same_time;
		bool withheld;
		enum forecast_basis basis;
	} cases[] = {
		{"far worse than persistence", FORECAST_RECORD_MIN, 600, 10, 900, true,
		 FORECAST_BASIS_NOW},
		/* "now" would be worse still: the same-time value takes its place */
		{"worse than same time only", FORECAST_RECORD_MIN, 600, 900, 100, false,
		 FORECAST_BASIS_SAME_TIME},
		{"worse than both, same time the better", FORECAST_RECORD_MIN, 600, 300, 100, false,
		 FORECAST_BASIS_SAME_TIME},
		{"worse than both, persistence the better", FORECAST_RECORD_MIN, 600, 100, 300,
		 true, FORECAST_BASIS_NOW},
		{"better than both", FORECAST_RECORD_MIN, 100, 300, 400, false,
		 FORECAST_BASIS_MODEL},
		{"too few to judge", FORECAST_RECORD_MIN - 1, 600, 10, 900, false,
		 FORECAST_BASIS_MODEL},
		{"worse, within the margin (10 % + 15 s)", 20, 124, 100, 150, false,
		 FORECAST_BASIS_MODEL},
		{"worse, past the margin", 20, 126, 100, 200, true, FORECAST_BASIS_NOW},
		{"errors' sign does not matter", FORECAST_RECORD_MIN, -600, 10, -2000, true,
		 FORECAST_BASIS_NOW},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		struct forecast_record *r = fresh();
		score_n(r, 1, cases[c].n, cases[c].model, cases[c].persistence, cases[c].same_time);
		struct forecast_score sc;
		forecast_record_get(r, 1, &sc);
		if (sc.withheld != cases[c].withheld ||
		    forecast_record_withheld(r, 1) != sc.withheld || sc.basis != cases[c].basis ||
		    forecast_record_basis(r, 1) != sc.basis)
			fail_msg("%s: withheld %d, basis %d", cases[c].why, sc.withheld, sc.basis);
		assert_int_equal(sc.n, cases[c].n);
		assert_true(fabs(sc.model_s - fabs(cases[c].model)) < 0.5);
		assert_true(fabs(sc.persistence_s - fabs(cases[c].persistence)) < 0.5);
		assert_true(fabs(sc.same_time_s - fabs(cases[c].same_time)) < 0.5);
		/* the other horizons know nothing of it */
		forecast_record_get(r, 0, &sc);
		assert_int_equal(sc.n, 0);
		assert_false(forecast_record_withheld(r, 2));
		free(r);
	}
}

/* Withheld, it comes back only once no worse than the better baseline; the
 * ring forgets the oldest checks. */
static void test_hysteresis_and_ring(void **state)
{
	(void)state;
	struct forecast_record *r = fresh();
	score_n(r, 0, FORECAST_RECORD_KEEP, 400, 100, 500); /* mean 400 against 100 */
	assert_true(forecast_record_withheld(r, 0));
	/* good checks push the bad ones out one by one: withheld while the mean
	 * is above 100 s, though it is soon within the margin */
	int k = 0;
	while (forecast_record_withheld(r, 0) && k < FORECAST_RECORD_KEEP) {
		forecast_record_score(r, 0, 0, 100, 500);
		k++;
	}
	/* mean (400 (24 - k) + 0 k) / 24 <= 100 first at k = 18 */
	assert_int_equal(k, 18);
	struct forecast_score sc;
	forecast_record_get(r, 0, &sc);
	assert_int_equal(sc.n, FORECAST_RECORD_KEEP);
	assert_true(sc.model_s <= 100);
	/* (at k = 17 the mean, 117 s, was within the margin: still withheld) */
	/* the band between: 120 s against 100 s keeps whichever verdict stands */
	struct forecast_record *g = fresh();
	static const struct {
		double model;
		bool withheld;
	} walk[] = {{120, false}, {130, true},  {110, true},
		    {120, true},  {100, false}, {120, false}};
	for (size_t w = 0; w < sizeof(walk) / sizeof(*walk); w++) {
		score_n(g, 2, FORECAST_RECORD_KEEP, walk[w].model, 100, 500);
		if (forecast_record_withheld(g, 2) != walk[w].withheld)
			fail_msg("step %zu, %.0f s against 100 s: withheld %d", w, walk[w].model,
				 !walk[w].withheld);
	}
	free(g);
	/* the ring is the last KEEP: 24 checks of 50 s make the mean 50 s */
	score_n(r, 0, FORECAST_RECORD_KEEP, 50, 100, 500);
	forecast_record_get(r, 0, &sc);
	assert_true(fabs(sc.model_s - 50) < 0.01);
	/* out of range horizons are nothing */
	forecast_record_score(r, FORECAST_RECORD_HORIZONS, 1e9, 0, 0);
	assert_false(forecast_record_withheld(r, FORECAST_RECORD_HORIZONS));
	forecast_record_get(r, FORECAST_RECORD_HORIZONS, &sc);
	assert_int_equal(sc.n, 0);
	free(r);
}

/* The same-time baseline: the mean of the earlier days' now-cast in the
 * moment's 5-minute slot; today's own values and unknown slots do not count;
 * the persistence value when no earlier day knows it. */
static void test_same_time(void **state)
{
	(void)state;
	struct forecast_record *r = fresh();
	forecast_record_note(r, 100, 12 * 60 + 30, 600);
	forecast_record_note(r, 101, 12 * 60 + 32, 1200); /* the same slot, 12:30-12:35 */
	forecast_record_note(r, 101, 12 * 60 + 40, 300);
	forecast_record_note(r, 102, 12 * 60 + 30, 60);   /* today's */
	forecast_record_note(r, 101, 12 * 60 + 45, 9999); /* a day gone: ignored */
	forecast_record_note(r, 102, 13 * 60, -1);        /* unknown: ignored */
	assert_true(fabs(forecast_record_same_time(r, 102, 12 * 60 + 34, 7) - 900) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 102, 12 * 60 + 40, 7) - 300) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 102, 12 * 60 + 45, 7) - 7) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 102, 13 * 60, 7) - 7) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 100, 12 * 60 + 30, 7) - 7) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 103, 12 * 60 + 30, 7) - 620) < 0.01);
	assert_true(fabs(forecast_record_same_time(r, 102, -5, 7) - 7) < 0.01);
	/* the ring keeps FORECAST_RECORD_DAYS days: day 100's value goes */
	for (int64_t d = 103; d < 103 + FORECAST_RECORD_DAYS - 2; d++)
		forecast_record_note(r, d, 0, 0);
	assert_true(fabs(forecast_record_same_time(r, 200, 12 * 60 + 30, 7) - 630) < 0.01);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_rule),
		cmocka_unit_test(test_hysteresis_and_ring),
		cmocka_unit_test(test_same_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
