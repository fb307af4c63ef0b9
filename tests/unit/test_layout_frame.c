/* Unit tests for layout_frame's freshness line (issue 15): it never says a
 * schedule is fresher than it is — a feed that answers with something that
 * is not a schedule is "failing since", the age is the last confirmation's
 * (received, or a 304), and a restart's saved copy says when it was last
 * confirmed; in English and French, at every size the layout tests use,
 * the line whole and over nothing else. */
#include "test_util.h"

#include "board.h"
#include "draw_list.h"
#include "i18n.h"
#include "kiosk_config.h"
#include "layout.h"
#include "layout_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t T_1005 = 1415264700000LL; /* 10:05 in Paris */
static const int64_t MIN_MS = 60000;

/* The footer's text in a frame of the demo summit at 10:05 with feed f:
 * the text op at the bottom band ("" when none). */
static void footer_of(const struct layout_feed *f, enum lang lang, bool schedule, int w, int h,
		      char *out, size_t cap)
{
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	assert_non_null(cfg);
	kiosk_config_defaults(cfg);
	cfg->lang = lang;
	snprintf(cfg->timezone, sizeof(cfg->timezone), "Europe/Paris");
	struct board *b = board_create();
	assert_non_null(b);
	if (schedule)
		layout_check_demo(b, T_1005 - 3 * 3600000);
	struct draw_list dl;
	layout_check_frame(cfg, b, w, h, T_1005, f, NULL, &dl);
	if (layout_check_geometry(&dl, "footer", 0))
		fail_msg("%dx%d: texts outside the screen or over another", w, h);
	out[0] = '\0';
	for (size_t i = 0; i < dl.n; i++) {
		const char *t = layout_check_text(&dl, i);
		if (t && dl.ops[i].kind == DRAW_TEXT && dl.ops[i].y > h - h / 12 &&
		    !strchr(t, '/')) /* the page number ("1 / 2") shares the band */
			snprintf(out, cap, "%s", t);
	}
	draw_list_finish(&dl);
	board_destroy(b);
	free(cfg);
}

static void test_footer(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		struct layout_feed feed;
		enum lang lang;
		bool schedule;
		const char *says;
		const char *narrow; /* on a narrow screen (portrait): NULL, the same */
	} cases[] = {
		/* the live feed, confirmed 20 s ago */
		{"live",
		 {.have = true,
		  .age_s = 20,
		  .received_ms = T_1005 - 65 * MIN_MS,
		  .confirmed_ms = T_1005 - 20000},
		 LANG_EN,
		 true,
		 "updated 20 s ago",
		 NULL},
		/* received at 09:00, a 304 at 09:30, then the network went at 09:47 */
		{"offline after a 304",
		 {.have = true,
		  .offline = true,
		  .offline_since_ms = T_1005 - 18 * MIN_MS,
		  .age_s = 35 * 60,
		  .received_ms = T_1005 - 65 * MIN_MS,
		  .confirmed_ms = T_1005 - 35 * MIN_MS},
		 LANG_EN,
		 true,
		 "offline since 09:47 — showing the last schedule · schedule confirmed at 09:30 (35 min ago)",
		 "offline since 09:47 · confirmed at 09:30 (35 min ago)"},
		/* never confirmed since it came: "received", its own age */
		{"offline, no 304",
		 {.have = true,
		  .offline = true,
		  .offline_since_ms = T_1005 - 18 * MIN_MS,
		  .age_s = 65 * 60,
		  .received_ms = T_1005 - 65 * MIN_MS,
		  .confirmed_ms = T_1005 - 65 * MIN_MS},
		 LANG_EN,
		 true,
		 "offline since 09:47 — showing the last schedule · schedule received at 09:00 (65 min ago)",
		 "offline since 09:47 · schedule received at 09:00 (65 min ago)"},
		/* the server answers garbage since 10:02: not "updated", the last confirmation */
		{"failing",
		 {.have = true,
		  .failing = true,
		  .failing_since_ms = T_1005 - 3 * MIN_MS,
		  .age_s = 4 * 60,
		  .received_ms = T_1005 - 65 * MIN_MS,
		  .confirmed_ms = T_1005 - 4 * MIN_MS},
		 LANG_EN,
		 true,
		 "schedule feed failing since 10:02 · schedule confirmed at 10:01 (4 min ago)",
		 "feed failing since 10:02 · confirmed at 10:01 (4 min ago)"},
		{"failing, fr",
		 {.have = true,
		  .failing = true,
		  .failing_since_ms = T_1005 - 3 * MIN_MS,
		  .age_s = 4 * 60,
		  .received_ms = T_1005 - 65 * MIN_MS,
		  .confirmed_ms = T_1005 - 4 * MIN_MS},
		 LANG_FR,
		 true,
		 "flux du programme en échec depuis 10:02 · programme confirmé à 10:01 (il y a 4 min)",
		 "flux en échec depuis 10:02 · confirmé à 10:01 (il y a 4 min)"},
		/* garbage from the start: nothing to date */
		{"failing, no schedule",
		 {.failing = true, .failing_since_ms = T_1005 - 3 * MIN_MS},
		 LANG_EN,
		 false,
		 "schedule feed failing since 10:02",
		 NULL},
		/* a restart: the saved copy's time is its last confirmation */
		{"from cache",
		 {.have = true,
		  .from_cache = true,
		  .received_ms = T_1005 - 130 * MIN_MS,
		  .confirmed_ms = T_1005 - 130 * MIN_MS},
		 LANG_EN,
		 true,
		 "schedule confirmed at 07:55 (2 h ago)",
		 NULL},
		{"from cache, fr",
		 {.have = true,
		  .from_cache = true,
		  .received_ms = T_1005 - 30 * MIN_MS,
		  .confirmed_ms = T_1005 - 30 * MIN_MS},
		 LANG_FR,
		 true,
		 "programme confirmé à 09:35 (il y a 30 min)",
		 NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			char got[400];
			footer_of(&cases[i].feed, cases[i].lang, cases[i].schedule,
				  layout_check_sizes[z].w, layout_check_sizes[z].h, got,
				  sizeof(got));
			/* the long form wherever it fits: at least at 1920 and 3840 */
			bool wide = layout_check_sizes[z].w >= 1920;
			const char *narrow = cases[i].narrow ? cases[i].narrow : cases[i].says;
			if (wide ? strcmp(got, cases[i].says) != 0
				 : strcmp(got, cases[i].says) != 0 && strcmp(got, narrow) != 0)
				fail_msg("%s at %dx%d: '%s', not '%s'", cases[i].name,
					 layout_check_sizes[z].w, layout_check_sizes[z].h, got,
					 cases[i].says);
		}
}

/* The phrases themselves, both languages, the hour past 120 minutes. */
static void test_phrases(void **state)
{
	(void)state;
	char buf[200];
	i18n_confirmed_at(LANG_EN, "08:30", 34 * 60 + 59, false, buf, sizeof(buf));
	assert_string_equal(buf, "schedule confirmed at 08:30 (34 min ago)");
	i18n_confirmed_at(LANG_EN, "08:30", 3 * 3600, false, buf, sizeof(buf));
	assert_string_equal(buf, "schedule confirmed at 08:30 (3 h ago)");
	i18n_confirmed_at(LANG_FR, "08:30", 3 * 3600, false, buf, sizeof(buf));
	assert_string_equal(buf, "programme confirmé à 08:30 (il y a 3 h)");
	i18n_confirmed_at(LANG_FR, "08:30", 60, true, buf, sizeof(buf));
	assert_string_equal(buf, "confirmé à 08:30 (il y a 1 min)");
	i18n_offline_short(LANG_FR, "09:47", buf, sizeof(buf));
	assert_string_equal(buf, "hors ligne depuis 09:47");
	i18n_failing_since(LANG_EN, "10:02", false, buf, sizeof(buf));
	assert_string_equal(buf, "schedule feed failing since 10:02");
	i18n_failing_since(LANG_FR, "10:02", false, buf, sizeof(buf));
	assert_string_equal(buf, "flux du programme en échec depuis 10:02");
	i18n_failing_since(LANG_EN, "10:02", true, buf, sizeof(buf));
	assert_string_equal(buf, "feed failing since 10:02");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_footer),
		cmocka_unit_test(test_phrases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
