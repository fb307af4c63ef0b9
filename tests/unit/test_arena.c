/* Unit tests for arena: alignment, growth past a block, the byte limit. */
#include "test_util.h"

#include "arena.h"

#include <stdalign.h>
#include <string.h>

static void test_alignment_and_strings(void **state)
{
	(void)state;
	struct arena *a = arena_create(1 << 20);
	assert_non_null(a);
	for (size_t n = 1; n < 100; n += 7) {
		void *p = arena_alloc(a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	}
	char *s = arena_strndup(a, "Le Méridien", 6);
	assert_string_equal(s, "Le Mé");
	arena_destroy(a);
	arena_destroy(NULL);
}

static void test_big_allocations_and_limit(void **state)
{
	(void)state;
	struct arena *a = arena_create(300 * 1024);
	char *big = arena_alloc(a, 200 * 1024); /* larger than a block */
	assert_non_null(big);
	memset(big, 'x', 200 * 1024);
	char *small = arena_alloc(a, 16);
	assert_non_null(small);
	assert_true(arena_used(a) >= 200 * 1024 + 16);
	assert_null(arena_alloc(a, 200 * 1024)); /* past the limit */
	assert_non_null(arena_alloc(a, 1024));   /* still usable under it */
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_strings),
		cmocka_unit_test(test_big_allocations_and_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
