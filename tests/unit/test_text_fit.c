/* Unit tests for text_fit with a fixed-width stand-in for the fonts (every
 * code point size/2 pixels wide, lines 1.25 × size high): wrapping, the
 * ellipsis, words longer than a line, and UTF-8 never cut in two. */
#include "test_util.h"

#include "text.h"
#include "text_fit.h"

#include <string.h>

static const char ELL[] = "…";

static size_t code_points(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static int fake_width(void *ctx, enum draw_font font, int size, const char *s, size_t len)
{
	(void)font;
	if (ctx) /* counts calls, to keep the search cheap */
		(*(int *)ctx)++;
	return (int)code_points(s, len) * size / 2;
}

static int fake_line_height(void *ctx, enum draw_font font, int size)
{
	(void)ctx;
	(void)font;
	return size * 5 / 4;
}

static const struct text_metrics tm = {NULL, fake_width, fake_line_height};

/* Line i of fit as a NUL-terminated copy. */
static const char *line(const struct text_fit *fit, const char *s, int i, char *buf, size_t cap)
{
	size_t len;
	const char *p = text_fit_line(fit, s, i, &len);
	assert_true(len < cap);
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && memcmp(s + a - b, tail, b) == 0;
}

/* Every line is valid UTF-8, as wide as it says, and no wider than max. */
static void check_lines(const struct text_fit *fit, const char *s, int size, int max_w)
{
	for (int i = 0; i < fit->n; i++) {
		size_t len;
		const char *p = text_fit_line(fit, s, i, &len);
		if (!text_utf8_valid(p, len))
			fail_msg("line %d of '%s' is not valid UTF-8", i, s);
		assert_int_equal(fit->lines[i].width, fake_width(NULL, FONT_BOLD, size, p, len));
		if (fit->lines[i].width > max_w)
			fail_msg("line %d of '%s' is %d px wide, more than %d", i, s,
				 fit->lines[i].width, max_w);
		assert_true(len > 0);
	}
}

static void test_wrap_at_spaces(void **state)
{
	(void)state;
	/* size 20: 10 px a character, so 100 px hold 10 characters */
	static const struct {
		const char *s;
		int max_w, max_lines;
		const char *want[4];
	} cases[] = {
		{"the quick brown fox jumps", 100, 4, {"the quick", "brown fox", "jumps"}},
		{"  leading and   inner   spaces  ", 100, 8, {"leading", "and", "inner", "spaces"}},
		{"exactly ten", 110, 4, {"exactly ten"}},
		{"exactlyten", 100, 4, {"exactlyten"}},
		{"a b c d e f g h i j k", 100, 4, {"a b c d e", "f g h i j", "k"}},
		{"Salle 252B", 1000, 2, {"Salle 252B"}},
		{"Amphithéâtre Bleu", 100, 2, {"Amphithéât", "re Bleu"}},
		{"Amphithéâtre Bleu", 160, 2, {"Amphithéâtre", "Bleu"}},
		{"Amphithéâtre Bleu", 170, 2, {"Amphithéâtre Bleu"}},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		struct text_fit fit;
		text_fit_wrap(&tm, FONT_BOLD, 20, cases[c].s, cases[c].max_w, cases[c].max_lines,
			      &fit);
		int want_n = 0;
		while (want_n < 4 && cases[c].want[want_n])
			want_n++;
		if (fit.n != want_n)
			fail_msg("case %zu '%s': %d lines, want %d", c, cases[c].s, fit.n, want_n);
		for (int i = 0; i < fit.n; i++) {
			char buf[256];
			const char *got = line(&fit, cases[c].s, i, buf, sizeof(buf));
			if (strcmp(got, cases[c].want[i]) != 0)
				fail_msg("case %zu line %d: '%s', want '%s'", c, i, got,
					 cases[c].want[i]);
			assert_false(fit.lines[i].ellipsized);
		}
		check_lines(&fit, cases[c].s, 20, cases[c].max_w);
	}
}

static void test_at_most_n_lines(void **state)
{
	(void)state;
	const char *s = "one two three four five six seven eight nine ten eleven twelve";
	for (int n = 1; n <= TEXT_FIT_MAX_LINES + 2; n++) {
		struct text_fit fit;
		text_fit_wrap(&tm, FONT_BOLD, 20, s, 100, n, &fit);
		int cap = n > TEXT_FIT_MAX_LINES ? TEXT_FIT_MAX_LINES : n;
		assert_true(fit.n <= cap);
		check_lines(&fit, s, 20, 100);
		char buf[256];
		const char *last = line(&fit, s, fit.n - 1, buf, sizeof(buf));
		if (n < 7) { /* the whole text needs 7 lines of 10 characters */
			assert_int_equal(fit.n, n);
			assert_true(fit.lines[fit.n - 1].ellipsized);
			if (!ends_with(last, ELL))
				fail_msg("%d lines: last line '%s' has no ellipsis", n, last);
		} else {
			assert_int_equal(fit.n, 7);
			assert_false(fit.lines[fit.n - 1].ellipsized);
			assert_string_equal(last, "twelve");
		}
		/* lines before the last never carry the ellipsis */
		for (int i = 0; i + 1 < fit.n; i++)
			assert_false(fit.lines[i].ellipsized);
	}
	/* one line: the ellipsized text itself, cut after a whole word */
	struct text_fit fit;
	text_fit_wrap(&tm, FONT_BOLD, 20, s, 100, 1, &fit);
	char buf[64];
	assert_string_equal(line(&fit, s, 0, buf, sizeof(buf)), "one two…");
}

static void test_long_word_broken_between_code_points(void **state)
{
	(void)state;
	static const char *const words[] = {
		"Supercalifragilisticexpialidocious",
		"ééééééééééééééééééééééééééééé",                /* 2 bytes each */
		"日本語のテキストは空白なしで続きます長い長い", /* 3 bytes each */
		"🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴🍴",                       /* 4 bytes each */
		"aé日🍴aé日🍴aé日🍴aé日🍴aé日🍴aé日🍴aé日🍴",          /* mixed */
		"before Donaudampfschifffahrtsgesellschaftskapitän after",
	};
	for (size_t w = 0; w < sizeof(words) / sizeof(*words); w++) {
		for (int max_w = 10; max_w <= 130; max_w += 15) {
			struct text_fit fit;
			text_fit_wrap(&tm, FONT_BOLD, 20, words[w], max_w, TEXT_FIT_MAX_LINES,
				      &fit);
			assert_true(fit.n >= 1);
			check_lines(&fit, words[w], 20, max_w < 10 ? 10 : max_w);
			/* when nothing was ellipsized, the lines give back the text
			 * (spaces at the breaks aside) */
			if (fit.lines[fit.n - 1].ellipsized)
				continue;
			char joined[512], nospace[512];
			size_t o = 0, k = 0;
			for (int i = 0; i < fit.n; i++) {
				size_t len;
				const char *p = text_fit_line(&fit, words[w], i, &len);
				for (size_t b = 0; b < len; b++)
					if (p[b] != ' ')
						joined[o++] = p[b];
			}
			joined[o] = '\0';
			for (const char *p = words[w]; *p; p++)
				if (*p != ' ')
					nospace[k++] = *p;
			nospace[k] = '\0';
			assert_string_equal(joined, nospace);
		}
	}
	/* not even one character fits: one is taken anyway, whole */
	struct text_fit fit;
	text_fit_wrap(&tm, FONT_BOLD, 20, "日本", 5, 4, &fit);
	assert_int_equal(fit.n, 2);
	assert_int_equal(fit.lines[0].len, 3);
	assert_true(text_utf8_valid("日本", fit.lines[0].len));
}

static void test_real_long_title(void **state)
{
	(void)state;
	/* FOSDEM 2026, 143 characters */
	const char *t = "CRA Integration – How FOSS compliance measures support CRA obligations, "
			"especially regarding documentation, security updates, and traceability.";
	assert_int_equal(code_points(t, strlen(t)), 143);
	/* a "now" cell on a 1080p board: 30 px bold, about 480 px for the title */
	for (int max_w = 300; max_w <= 900; max_w += 75) {
		struct text_fit fit;
		int calls = 0;
		struct text_metrics counting = {&calls, fake_width, fake_line_height};
		text_fit_wrap(&counting, FONT_BOLD, 30, t, max_w, 2, &fit);
		assert_int_equal(fit.n, 2);
		check_lines(&fit, t, 30, max_w);
		char first[256], last[600];
		line(&fit, t, 0, first, sizeof(first));
		line(&fit, t, 1, last, sizeof(last));
		assert_false(fit.lines[0].ellipsized);
		assert_true(fit.lines[1].ellipsized);
		if (!ends_with(last, ELL))
			fail_msg("%d px: '%s' lacks the ellipsis", max_w, last);
		/* the first line breaks at a space, between words */
		assert_true(strncmp(t, first, strlen(first)) == 0);
		assert_true(t[strlen(first)] == ' ');
		/* a binary search, not a character-by-character walk */
		assert_true(calls < 60);
	}
}

static void test_empty(void **state)
{
	(void)state;
	static const char *const empties[] = {"", " ", "     "};
	for (size_t i = 0; i < sizeof(empties) / sizeof(*empties); i++) {
		struct text_fit fit;
		text_fit_wrap(&tm, FONT_BOLD, 20, empties[i], 100, 2, &fit);
		assert_int_equal(fit.n, 0);
	}
	struct text_fit fit;
	text_fit_wrap(&tm, FONT_BOLD, 20, "anything", 100, 0, &fit);
	assert_int_equal(fit.n, 0);
}

static void test_ellipsize(void **state)
{
	(void)state;
	/* size 20: 10 px a character; the ellipsis is one character */
	static const struct {
		const char *s;
		int max_w;
		const char *want;
	} cases[] = {
		{"abcde", 50, "abcde"}, /* exact fit: not cut */
		{"abcde", 1000, "abcde"},
		{"abcdef", 50, "abcd…"},
		{"abcde  ", 50, "abcde"},  /* trailing spaces do not count */
		{"abc defgh", 50, "abc…"}, /* no space left before the ellipsis */
		{"éééééé", 50, "éééé…"},
		{"日本語のテキスト", 40, "日本語…"},
		{"", 50, ""},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		char out[64];
		int w = text_fit_ellipsize(&tm, FONT_BOLD, 20, cases[c].s, strlen(cases[c].s),
					   cases[c].max_w, out, sizeof(out));
		if (strcmp(out, cases[c].want) != 0)
			fail_msg("case %zu: '%s', want '%s'", c, out, cases[c].want);
		assert_int_equal(w, fake_width(NULL, FONT_BOLD, 20, out, strlen(out)));
		assert_true(w <= cases[c].max_w);
		assert_true(text_utf8_valid(out, strlen(out)));
	}
	/* a buffer too small for the text: cut to fit it, whole code points */
	static const struct {
		const char *s;
		size_t cap;
		const char *want;
	} small[] = {
		{"abcdefghij", 8, "abcd…"},
		{"ééééé", 8, "éé…"},
		{"aéééé", 8, "aé…"},
		{"🍴🍴🍴", 9, "🍴…"},
	};
	for (size_t c = 0; c < sizeof(small) / sizeof(*small); c++) {
		char out[16];
		memset(out, '#', sizeof(out));
		text_fit_ellipsize(&tm, FONT_BOLD, 20, small[c].s, strlen(small[c].s), 10000, out,
				   small[c].cap);
		if (strcmp(out, small[c].want) != 0)
			fail_msg("small case %zu: '%s', want '%s'", c, out, small[c].want);
		assert_true(strlen(out) < small[c].cap);
		assert_int_equal(out[small[c].cap], '#'); /* nothing written past cap */
	}
	/* a buffer too small even for the ellipsis: an empty string, and
	 * nothing written past it */
	for (size_t cap = 1; cap < sizeof(ELL); cap++) {
		char out[16];
		memset(out, '#', sizeof(out));
		int w = text_fit_ellipsize(&tm, FONT_BOLD, 20, "abcdef", 6, 10000, out, cap);
		assert_true(strlen(out) < cap);
		assert_int_equal(out[cap], '#');
		assert_int_equal(w, fake_width(NULL, FONT_BOLD, 20, out, strlen(out)));
	}
	/* a length shorter than the string: only those bytes */
	char out[32];
	text_fit_ellipsize(&tm, FONT_BOLD, 20, "10:05 and more", 5, 1000, out, sizeof(out));
	assert_string_equal(out, "10:05");
}

/* True when the text broke inside a word at the end of line i although
 * that word, whole, would have fitted a line (issue 15: "…openoffi / ce"). */
static bool split_fitting_word(const struct text_fit *fit, const char *s, int i, int size,
			       int max_w)
{
	if (fit->lines[i].ellipsized) /* "…" after a whole word, or a word too long */
		return false;
	size_t end = fit->lines[i].off + fit->lines[i].len;
	if (end == 0 || s[end] == '\0' || s[end] == ' ' || s[end - 1] == ' ')
		return false;
	char c = s[end - 1];
	if ((c == '-' || c == '/') && end >= 2 && s[end - 2] != ' ')
		return false;
	if (end >= 3 && memcmp(s + end - 3, "—", 3) == 0)
		return false;
	/* the word around the break: from the last space before to the next */
	size_t a = end, b = end;
	while (a > 0 && s[a - 1] != ' ')
		a--;
	while (s[b] && s[b] != ' ')
		b++;
	return fake_width(NULL, FONT_BOLD, size, s + a, b - a) <= max_w;
}

static void test_word_boundaries(void **state)
{
	(void)state;
	static const char *const names[] = {
		"Room K.3.201 (OpenOffice / LibreOffice devroom)",
		"Salle Maillot-Passy-Étoile",
		"Le Méridien Étoile — Grand Salon Arc de Triomphe, niveau -1",
		"Amphithéâtre Bleu—Rouge (niveau -2)",
		"Supercalifragilisticexpialidociousauditorium Est",
	};
	/* the sizes the layouts draw names and titles at, on the four screens
	 * the layout tests use (1080p: 21..30 px, 4K: 42..60, 720p: 14..20) */
	static const int sizes[] = {14, 20, 21, 24, 27, 30, 42, 48, 60};
	for (size_t n = 0; n < sizeof(names) / sizeof(*names); n++)
		for (size_t z = 0; z < sizeof(sizes) / sizeof(*sizes); z++)
			for (int max_w = 80; max_w <= 900; max_w += 20)
				for (int lines = 1; lines <= 4; lines++) {
					struct text_fit fit;
					text_fit_wrap(&tm, FONT_BOLD, sizes[z], names[n], max_w,
						      lines, &fit);
					check_lines(&fit, names[n], sizes[z], max_w);
					for (int i = 0; i < fit.n; i++)
						if (split_fitting_word(&fit, names[n], i, sizes[z],
								       max_w)) {
							char buf[600];
							fail_msg(
								"'%s' at %d px in %d px: line %d '%s' "
								"ends inside a word that fits",
								names[n], sizes[z], max_w, i,
								line(&fit, names[n], i, buf,
								     sizeof(buf)));
						}
				}
	/* the breaks themselves, 10 px a character */
	static const struct {
		const char *s;
		int max_w, lines;
		const char *want[4];
	} cases[] = {
		{"Room K.3.201 (OpenOffice / LibreOffice devroom)",
		 200,
		 3,
		 {"Room K.3.201", "(OpenOffice /", "LibreOffice devroom)"}},
		{"Salle Maillot-Passy-Étoile", 150, 2, {"Salle Maillot-", "Passy-Étoile"}},
		{"niveau -1 et -2", 80, 3, {"niveau", "-1 et -2"}}, /* a minus is no hyphen */
		{"Bleu—Rouge—Vert", 110, 2, {"Bleu—Rouge—", "Vert"}},
		{"Room K.3.201 (OpenOffice / LibreOffice devroom)",
		 200,
		 2,
		 {"Room K.3.201", "(OpenOffice /…"}}, /* "…" after a whole word */
		{"Supercalifragilistic",
		 100,
		 3,
		 {"Supercalif", "ragilistic"}}, /* too long: split */
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		struct text_fit fit;
		text_fit_wrap(&tm, FONT_BOLD, 20, cases[c].s, cases[c].max_w, cases[c].lines, &fit);
		for (int i = 0; i < 4; i++) {
			char buf[256];
			if (!cases[c].want[i]) {
				assert_int_equal(fit.n, i);
				break;
			}
			assert_true(i < fit.n);
			if (strcmp(line(&fit, cases[c].s, i, buf, sizeof(buf)), cases[c].want[i]))
				fail_msg("case %zu line %d: '%s', want '%s'", c, i, buf,
					 cases[c].want[i]);
		}
	}
	/* the widest piece no line may break */
	assert_int_equal(text_fit_widest_word(&tm, FONT_BOLD, 20, "Salle Maillot-Passy-Étoile"),
			 80);
	assert_int_equal(text_fit_widest_word(&tm, FONT_BOLD, 20, "Room (OpenOffice / x)"), 110);
	assert_int_equal(text_fit_widest_word(&tm, FONT_BOLD, 20, ""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_at_spaces),
		cmocka_unit_test(test_at_most_n_lines),
		cmocka_unit_test(test_long_word_broken_between_code_points),
		cmocka_unit_test(test_real_long_title),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ellipsize),
		cmocka_unit_test(test_word_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
