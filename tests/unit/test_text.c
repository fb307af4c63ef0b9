/* Unit tests for text: BOM, UTF-8 validation, cleaning and caps, folded keys. */
#include "test_util.h"

#include "arena.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static void test_bom(void **state)
{
	(void)state;
	const char *b = "\xEF\xBB\xBF{}";
	size_t len = 5;
	text_skip_bom(&b, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(b, "{}", 2);
	const char *n = "{}";
	len = 2;
	text_skip_bom(&n, &len);
	assert_int_equal(len, 2);
}

static void test_utf8_valid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{"plain", true},
		{"Amphith\xC3\xA9\xC3\xA2tre", true},
		{"\xE2\x80\xA6", true},
		{"\xF0\x9F\x8D\xB4", true},  /* fork and knife */
		{"\xC3", false},             /* truncated */
		{"\xC0\xAF", false},         /* overlong */
		{"\xED\xA0\x80", false},     /* surrogate */
		{"\xF5\x80\x80\x80", false}, /* past U+10FFFF */
		{"caf\xE9", false},          /* Latin-1, not UTF-8 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_int_equal(text_utf8_valid(cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

static void test_clean(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t cap;
		const char *out;
	} cases[] = {
		{"  Lunch \r\n at\tLe  M\xC3\xA9ridien  ", 100, "Lunch at Le M\xC3\xA9ridien"},
		{"bad \xE9 byte", 100, "bad \xEF\xBF\xBD byte"},
		{"ctrl\x01\x7F chars", 100, "ctrl chars"},
		{"abcdefghij", 8, "abcde\xE2\x80\xA6"},
		/* never cut inside a code point */
		{"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 7, "\xC3\xA9\xC3\xA9\xE2\x80\xA6"},
		{"word word word", 12, "word word\xE2\x80\xA6"},
		{"", 10, ""},
	};
	struct arena *a = arena_create(1 << 20);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *got = text_clean(a, cases[i].in, strlen(cases[i].in), cases[i].cap);
		assert_non_null(got);
		assert_string_equal(got, cases[i].out);
		assert_true(strlen(got) <= cases[i].cap);
		assert_true(text_utf8_valid(got, strlen(got)));
	}
	arena_destroy(a);
}

static void test_fold_key(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		bool same;
	} cases[] = {
		{"Amphith\xC3\xA9\xC3\xA2tre 1600", "Amphitheatre 1600", true},
		{"Amphith\xC3\xA9"
		 "atre Callelongue",
		 "Amphith\xC3\xA9\xC3\xA2tre Callelongue", true},
		{"Salle  242-AB", "salle 242 ab", true},
		{"Le M\xC3\xA9ridien \xE2\x80\x94 Salon", "le meridien salon", true},
		{"\xC3\x89toile", "etoile", true},
		{"\xC5\x81\xC3\xB3"
		 "d\xC5\xBA",
		 "lodz", true},
		{"Room 1", "Room 11", false},
		{"ENDOUME 3", "Salle Endoume", false},
		{"\xE4\xBC\x9A\xE8\xAE\xAE", "\xE4\xBC\x9A\xE5\xAE\xA4", false}, /* CJK kept */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char ka[64], kb[64];
		text_fold_key(cases[i].a, ka, sizeof(ka));
		text_fold_key(cases[i].b, kb, sizeof(kb));
		if (cases[i].same)
			assert_string_equal(ka, kb);
		else
			assert_string_not_equal(ka, kb);
	}
	char k[32];
	text_fold_key("  Salle 241 ", k, sizeof(k));
	assert_string_equal(k, "salle-241");
	char tiny[4];
	text_fold_key("abcdefgh", tiny, sizeof(tiny));
	assert_true(strlen(tiny) < sizeof(tiny));
}

static void test_starts_with_ci(void **state)
{
	(void)state;
	assert_true(text_starts_with_ci("Cancelled: x", "CANCELLED"));
	assert_false(text_starts_with_ci("Cancel", "CANCELLED"));
	assert_true(text_starts_with_ci("anything", ""));
}

static void test_urls(void **state)
{
	(void)state;
	char out[128];
	static const struct {
		const char *url, *origin;
	} origins[] = {
		{"https://venueboard.local:8443/v1/screens/heartbeat",
		 "https://venueboard.local:8443"},
		{"HTTP://127.0.0.1:41577/v1/screens/heartbeat?x=1", "HTTP://127.0.0.1:41577"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"http://h?q", "http://h"},
	};
	for (size_t i = 0; i < sizeof(origins) / sizeof(*origins); i++) {
		assert_true(text_url_origin(origins[i].url, out, sizeof(out)));
		assert_string_equal(out, origins[i].origin);
	}
	static const char *const not_urls[] = {
		"file:///x", "ftp://h/", "https://", "https:///path", "venueboard.local/v1", ""};
	for (size_t i = 0; i < sizeof(not_urls) / sizeof(*not_urls); i++)
		assert_false(text_url_origin(not_urls[i], out, sizeof(out)));
	assert_false(text_url_origin("https://a-rather-long-host.example.org", out, 10));
	static const struct {
		const char *base, *ref, *want;
	} refs[] = {
		{"https://h:8443/v1/screens/heartbeat", "/v1/bundles/2026.tar",
		 "https://h:8443/v1/bundles/2026.tar"},
		{"https://h:8443/v1/screens/heartbeat", "bundles/x.tar",
		 "https://h:8443/v1/screens/bundles/x.tar"},
		{"https://h:8443", "x.tar", "https://h:8443/x.tar"},
		{"https://h/a/b?c=/d", "x", "https://h/a/x"},
		{"https://h/a", "https://mirror.example.org/x.tar",
		 "https://mirror.example.org/x.tar"},
		{"https://h/a", "//cdn.example.org/x.tar", "https://cdn.example.org/x.tar"},
	};
	for (size_t i = 0; i < sizeof(refs) / sizeof(*refs); i++) {
		assert_true(text_url_resolve(refs[i].base, refs[i].ref, out, sizeof(out)));
		assert_string_equal(out, refs[i].want);
	}
	assert_false(text_url_resolve("file:///a", "/b", out, sizeof(out)));
	assert_false(text_url_resolve("https://h", "/a-path-too-long-for-the-buffer", out, 16));
}

static void test_one_line(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{"Salle 252B \xe2\x80\x94 \xc3\xa9t\xc3\xa9", true},
		{"", true},
		{"a\nb", false},
		{"a\tb", false},
		{"a\x7f", false},
		{"a\xc2\x85", false}, /* U+0085, a C1 control (NEL) */
		{"a\xc2\xa0"
		 "b",
		 true}, /* U+00A0 is a space */
		{"a\xff", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (text_is_one_line(cases[i].s, strlen(cases[i].s)) != cases[i].ok)
			fail_msg("case %zu", i);
}

static void test_base64_round_trip(void **state)
{
	(void)state;
	unsigned char data[256], out[256];
	for (int i = 0; i < 256; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	for (size_t len = 0; len < 10; len++) {
		char *b64 = text_base64(data, len);
		size_t n = 0;
		const char *why = NULL;
		assert_true(text_base64_decode(b64, strlen(b64), out, sizeof(out), &n, &why));
		assert_int_equal(n, len);
		assert_memory_equal(out, data, len);
		free(b64);
	}
	size_t n;
	const char *why = NULL;
	assert_true(text_base64_decode("iVBO\nRw0K\r\nGgo", 14, out, sizeof(out), &n, &why));
	assert_int_equal(n, 8);
	assert_false(text_base64_decode("iVB*", 4, out, sizeof(out), &n, &why));
	assert_non_null(strstr(why, "only A-Z"));
	assert_false(text_base64_decode("iVBORw0KGgo=", 12, out, 4, &n, &why));
	assert_non_null(strstr(why, "limit"));
	assert_false(text_base64_decode("a", 1, out, sizeof(out), &n, &why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_fold_key),
		cmocka_unit_test(test_starts_with_ci),
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_base64_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
