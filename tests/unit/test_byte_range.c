/* Unit tests for byte_range: the Range header of a resumed bundle download,
 * read strictly (RFC 9110 §14.1.1): one range served, a malformed one
 * refused (416), never the whole file for a range that does not parse. */
#include "test_util.h"

#include "byte_range.h"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		uint64_t size;
		enum byte_range_kind want;
		uint64_t from, to;
	} cases[] = {
		{"bytes=0-9", 100, BYTE_RANGE_ONE, 0, 9},
		{"bytes=10-", 100, BYTE_RANGE_ONE, 10, 99},
		{"bytes=-5", 100, BYTE_RANGE_ONE, 95, 99},
		{"bytes=-500", 100, BYTE_RANGE_ONE, 0, 99},     /* more than the file: all of it */
		{"bytes=90-1000", 100, BYTE_RANGE_ONE, 90, 99}, /* the end clipped */
		{"bytes=5-5", 100, BYTE_RANGE_ONE, 5, 5},
		{"Bytes=1-2", 100, BYTE_RANGE_ONE, 1, 2},   /* the unit in any case */
		{"bytes= 1-2 ", 100, BYTE_RANGE_ONE, 1, 2}, /* optional white space */
		{"bytes=1-2,", 100, BYTE_RANGE_ONE, 1, 2},  /* an empty list element */
		/* syntactically invalid: refused, not the whole file */
		{"bytes=--5", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=-", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=5-3", 100, BYTE_RANGE_BAD, 0, 0}, /* last before first */
		{"bytes=+5-9", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes= -+5", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=5", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=a-b", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=1-2x", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=0-1,junk", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=99999999999999999999-", 100, BYTE_RANGE_BAD, 0, 0}, /* overflows */
		/* unsatisfiable */
		{"bytes=100-", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=-0", 100, BYTE_RANGE_BAD, 0, 0},
		{"bytes=0-", 0, BYTE_RANGE_BAD, 0, 0},
		{"bytes=200-300,400-500", 100, BYTE_RANGE_BAD, 0, 0},
		/* ignored: another unit, or several ranges (no multipart answers) */
		{"items=0-5", 100, BYTE_RANGE_WHOLE, 0, 0},
		{"byte=0-5", 100, BYTE_RANGE_WHOLE, 0, 0},
		{"bytes=0-1,5-9", 100, BYTE_RANGE_WHOLE, 0, 0},
		{"bytes=0-1,500-", 100, BYTE_RANGE_WHOLE, 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uint64_t from = 7777, to = 7777;
		enum byte_range_kind k = byte_range_parse(cases[i].v, cases[i].size, &from, &to);
		if (k != cases[i].want)
			fail_msg("'%s' (size %llu): kind %d, want %d", cases[i].v,
				 (unsigned long long)cases[i].size, k, cases[i].want);
		if (k == BYTE_RANGE_ONE && (from != cases[i].from || to != cases[i].to))
			fail_msg("'%s': %llu-%llu, want %llu-%llu", cases[i].v,
				 (unsigned long long)from, (unsigned long long)to,
				 (unsigned long long)cases[i].from,
				 (unsigned long long)cases[i].to);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
