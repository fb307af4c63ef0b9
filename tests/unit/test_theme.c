/* Unit tests for theme: WCAG contrast figures, the default theme passing its
 * own check, colours set by name, and the track stripes. */
#include "test_util.h"

#include "theme.h"

#include <stdio.h>
#include <string.h>

static struct draw_color hex(unsigned v)
{
	return (struct draw_color){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

static bool same(struct draw_color a, struct draw_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void test_contrast_known_values(void **state)
{
	(void)state;
	/* worked out from the WCAG 2 definition; lo..hi in hundredths */
	static const struct {
		unsigned a, b;
		int lo, hi;
	} cases[] = {
		{0x000000, 0xffffff, 2100, 2100}, {0xffffff, 0xffffff, 100, 100},
		{0x777777, 0xffffff, 447, 448}, /* 4.48:1, just short of AA */
		{0x767676, 0xffffff, 454, 455}, /* 4.54:1, the lightest AA grey */
		{0x595959, 0xffffff, 700, 701}, /* 7.00:1, the lightest AAA grey */
		{0xff0000, 0xffffff, 399, 400}, /* 4.00:1 */
		{0x0000ff, 0xffffff, 858, 859}, /* 8.59:1 */
		{0x000000, 0x000000, 100, 100},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int ab = theme_contrast(hex(cases[i].a), hex(cases[i].b));
		int ba = theme_contrast(hex(cases[i].b), hex(cases[i].a));
		assert_int_equal(ab, ba); /* symmetric */
		if (ab < cases[i].lo || ab > cases[i].hi)
			fail_msg("#%06x on #%06x: %d, want %d..%d", cases[i].a, cases[i].b, ab,
				 cases[i].lo, cases[i].hi);
	}
}

static void test_default_passes(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	struct feed_error e = {{0}};
	if (!theme_check(&t, &e))
		fail_msg("the default theme fails its own check: %s", e.msg);
	/* the pairs the layout draws, each at AAA (text) or 3:1 (graphics) */
	static const struct {
		size_t fg, bg;
		int min;
	} pairs[] = {
		{offsetof(struct theme, text), offsetof(struct theme, background), 700},
		{offsetof(struct theme, text), offsetof(struct theme, panel), 700},
		{offsetof(struct theme, muted), offsetof(struct theme, background), 700},
		{offsetof(struct theme, muted), offsetof(struct theme, panel), 700},
		{offsetof(struct theme, alert_text), offsetof(struct theme, alert_bg), 700},
		{offsetof(struct theme, cancel_text), offsetof(struct theme, cancel_bg), 700},
		{offsetof(struct theme, notice_text), offsetof(struct theme, notice_bg), 700},
		{offsetof(struct theme, calm_text), offsetof(struct theme, calm_bg), 700},
		/* the NEW plate in the changes panel: background on text */
		{offsetof(struct theme, background), offsetof(struct theme, text), 700},
		{offsetof(struct theme, bar), offsetof(struct theme, panel), 300},
		{offsetof(struct theme, bar_empty), offsetof(struct theme, panel), 300},
		{offsetof(struct theme, rule), offsetof(struct theme, panel), 300},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		struct draw_color fg, bg;
		memcpy(&fg, (const char *)&t + pairs[i].fg, sizeof(fg));
		memcpy(&bg, (const char *)&t + pairs[i].bg, sizeof(bg));
		int r = theme_contrast(fg, bg);
		if (r < pairs[i].min)
			fail_msg("pair %zu: %d.%02d:1", i, r / 100, r % 100);
	}
}

static void test_set(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	struct feed_error e = {{0}};
	assert_true(theme_set(&t, "panel", "#1c3a5e", &e));
	assert_true(same(t.panel, hex(0x1c3a5e)));
	assert_true(theme_set(&t, "alert-bg", "#FFD23F", &e));
	assert_true(same(t.alert_bg, hex(0xffd23f)));
	assert_true(theme_set(&t, "bar-empty", "#000000", &e));
	assert_true(same(t.bar_empty, hex(0)));

	static const char *const bad[] = {
		"1c3a5e",  "#1c3a5", "#1c3a5e0", "#1c3a5eff", "#gg3a5e",
		"#1c 3a5", "",       "#",        "red",       "#1c3a5\xC3\xA9",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct theme before = t;
		e.msg[0] = '\0';
		if (theme_set(&t, "muted", bad[i], &e))
			fail_msg("'%s' was taken as a colour", bad[i]);
		if (!strstr(e.msg, "muted"))
			fail_msg("'%s': message '%s' does not name the key", bad[i], e.msg);
		assert_memory_equal(&before, &t, sizeof(t)); /* nothing changed */
	}
	assert_false(theme_set(&t, "mauve", "#123456", &e));
	assert_non_null(strstr(e.msg, "mauve"));
}

static void test_check_names_the_pair(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	struct feed_error e = {{0}};
	assert_true(theme_set(&t, "muted", "#777777", &e));
	assert_false(theme_check(&t, &e));
	assert_non_null(strstr(e.msg, "muted"));
	assert_non_null(strstr(e.msg, "background"));

	/* each colour made equal to what it is drawn on: the check names it */
	static const struct {
		const char *key, *same_as, *needle;
	} cases[] = {
		{"text", "#0b0f14", "text on background"},
		{"muted", "#0b0f14", "muted on background"},
		{"alert-text", "#ffd23f", "alert-text on alert-bg"},
		{"cancel-text", "#8c1010", "cancel-text on cancel-bg"},
		{"notice-text", "#e6eef7", "notice-text on notice-bg"},
		{"calm-text", "#1c3a5e", "calm-text on calm-bg"},
		{"bar", "#17202a", "bar on panel"},
		{"bar-empty", "#17202a", "bar-empty on panel"},
		{"rule", "#17202a", "rule on panel"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		theme_default(&t);
		assert_true(theme_set(&t, cases[i].key, cases[i].same_as, &e));
		e.msg[0] = '\0';
		if (theme_check(&t, &e))
			fail_msg("%s = %s passes the check", cases[i].key, cases[i].same_as);
		if (!strstr(e.msg, cases[i].needle))
			fail_msg("%s: message '%s' lacks '%s'", cases[i].key, e.msg,
				 cases[i].needle);
		assert_non_null(strstr(e.msg, "1.00:1"));
	}
	/* graphics need 3:1 only: a bar at 3.5:1 passes */
	theme_default(&t);
	assert_true(theme_set(&t, "bar", "#6a7787", &e));
	int r = theme_contrast(t.bar, t.panel);
	assert_in_range(r, 300, 699);
	assert_true(theme_check(&t, &e));
}

static void test_track_colors(void **state)
{
	(void)state;
	struct theme t;
	theme_default(&t);
	static const char *const tracks[] = {
		"Compute",
		"Networking",
		"Storage",
		"Operations",
		"Design Summit",
		"Keynote",
		"Catering",
		"Security",
		"Containers",
		"Identity",
		"Documentation",
		"QA",
		"Infrastructure",
		"Télécom",
		"日本語トラック",
		"a",
		"ab",
		"ba",
		"Main Track",
		"Lightning Talks",
		"Open Source Design",
		"Rust",
		"Go",
		"Python",
		"Kernel",
		"Embedded, Mobile and Automotive",
		"Community",
		"Legal and Policy",
	};
	struct draw_color seen[8];
	size_t n_seen = 0;
	for (size_t i = 0; i < sizeof(tracks) / sizeof(*tracks); i++) {
		struct draw_color c = theme_track_color(&t, tracks[i]);
		/* stable: the same name, the same colour */
		char copy[64];
		snprintf(copy, sizeof(copy), "%s", tracks[i]);
		assert_true(same(c, theme_track_color(&t, copy)));
		int r = theme_contrast(c, t.panel);
		if (r < THEME_GRAPHIC)
			fail_msg("track '%s': %d.%02d:1 on the panel", tracks[i], r / 100, r % 100);
		bool known = false;
		for (size_t k = 0; k < n_seen; k++)
			known |= same(seen[k], c);
		if (!known && n_seen < 8)
			seen[n_seen++] = c;
	}
	/* distinct between tracks: 28 names use more than a few colours */
	assert_true(n_seen >= 5);
	/* no track: the rule colour, also >= 3:1 */
	assert_true(same(theme_track_color(&t, NULL), t.rule));
	assert_true(same(theme_track_color(&t, ""), t.rule));
	/* a themed panel does not change which colour a track gets */
	struct theme light = t;
	assert_true(theme_set(&light, "panel", "#000000", NULL));
	assert_true(same(theme_track_color(&light, "Compute"), theme_track_color(&t, "Compute")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contrast_known_values),
		cmocka_unit_test(test_default_passes),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_check_names_the_pair),
		cmocka_unit_test(test_track_colors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
