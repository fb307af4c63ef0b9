/* Unit tests for alert_screen: at every size and orientation the layout
 * tests use, the alert over the hallway board and the door screen alike,
 * the word ALERT (ALERTE) on its plate, a short alert in huge type, long
 * ones (280 bytes, a word longer than a line) whole or fitted, several
 * newest first with "+ N more" past what fits, and every text inside the
 * screen and none over another. */
#include "test_util.h"

#include "layout_check.h"

#include "board.h"
#include "fleet_state.h"
#include "kiosk_config.h"
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t T_1005 = 1415264700000LL; /* Thursday 10:05 in Paris */

static const char LONG_280[] =
	"Fire alarm in the Palais des Congrès: leave the building now by the nearest exit, do not "
	"use the lifts, follow the stewards in yellow vests to the assembly point on Place de la "
	"Porte Maillot, and wait there until the organizers tell you that you may come back in.";

struct scene {
	struct kiosk_config *cfg;
	struct board *board;
	struct fleet_alert alerts[80];
	size_t n;
};

static struct scene scene(enum kiosk_layout layout, enum lang lang)
{
	struct scene s = {0};
	s.cfg = malloc(sizeof(*s.cfg));
	s.board = board_create();
	assert_true(s.cfg && s.board);
	kiosk_config_defaults(s.cfg);
	s.cfg->lang = lang;
	struct feed_error e;
	if (layout == KIOSK_LAYOUT_ROOM) {
		assert_true(kiosk_config_set(s.cfg, "layout", "room", &e));
		assert_true(kiosk_config_set(s.cfg, "room", "Salle 252A", &e));
	}
	layout_check_demo(s.board, T_1005 - 3600000);
	return s;
}

static void add(struct scene *s, int64_t id, int64_t at_ms, const char *text)
{
	struct fleet_alert *a = &s->alerts[s->n++];
	a->id = id;
	a->at_ms = at_ms;
	snprintf(a->text, sizeof(a->text), "%s", text);
}

static void scene_free(struct scene *s)
{
	board_destroy(s->board);
	free(s->cfg);
}

static size_t build(const struct scene *s, int w, int h, struct draw_list *dl)
{
	struct layout_input in = {.cfg = s->cfg,
				  .board = s->board,
				  .alerts = s->alerts,
				  .n_alerts = s->n,
				  .tm = layout_check_metrics(),
				  .width = w,
				  .height = h,
				  .now_ms = T_1005,
				  .feed = {.have = true}};
	struct layout_result res;
	layout_build(&in, dl, &res);
	assert_false(dl->overflow);
	return res.alerts_shown;
}

/* The largest size of the texts holding needle. */
static int size_of(const struct draw_list *dl, const char *needle)
{
	int size = 0;
	for (size_t i = 0; (i = layout_check_find(dl, needle, i)) != SIZE_MAX; i++)
		size = dl->ops[i].size_px > size ? dl->ops[i].size_px : size;
	return size;
}

static void test_over_everything(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	static const enum kiosk_layout layouts[] = {KIOSK_LAYOUT_HALL, KIOSK_LAYOUT_ROOM};
	for (size_t l = 0; l < 2; l++) {
		struct scene s = scene(layouts[l], LANG_EN);
		add(&s, 12, T_1005 - 180000, "Evacuate by the east stairs");
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
			assert_int_equal(build(&s, w, h, &dl), 1);
			assert_int_equal(layout_check_geometry(&dl, "one alert", 0), 0);
			layout_check_expect(&dl, "ALERT", "the plate");
			layout_check_expect(&dl, "since 10:02", "since when");
			layout_check_expect(&dl, "Evacuate", "the alert");
			layout_check_expect(&dl, "stairs", "the alert, whole");
			/* nothing of the board under it */
			assert_int_equal(layout_check_find(&dl, "Now", 0), SIZE_MAX);
			assert_int_equal(layout_check_find(&dl, "10:05", 0), SIZE_MAX);
			/* readable across a hall: over 120 design units */
			int unit = (w < h ? w : h) / 1080.0 * 120;
			if (size_of(&dl, "Evacuate") < unit)
				fail_msg("%dx%d: the alert in %d px", w, h,
					 size_of(&dl, "Evacuate"));
			assert_true(dl.background.r == s.cfg->theme.cancel_bg.r &&
				    dl.background.g == s.cfg->theme.cancel_bg.g);
		}
		scene_free(&s);
	}
	draw_list_finish(&dl);
}

/* Long texts fit whole at every size; a word longer than a line is broken
 * only when no size holds it; French says ALERTE. */
static void test_long_texts(void **state)
{
	(void)state;
	char word[300];
	memset(word, 'W', 200);
	word[200] = '\0';
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct scene s = scene(KIOSK_LAYOUT_HALL, LANG_FR);
	add(&s, 3, 0, LONG_280);
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, &dl);
		assert_int_equal(layout_check_geometry(&dl, "280 bytes", 0), 0);
		layout_check_expect(&dl, "ALERTE", "le mot");
		layout_check_expect(&dl, "come back in.", "the end of the alert, not cut");
		assert_int_equal(layout_check_find(&dl, "depuis", 0), SIZE_MAX); /* no time given */
	}
	snprintf(s.alerts[0].text, sizeof(s.alerts[0].text), "%s", word);
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, &dl);
		assert_int_equal(layout_check_geometry(&dl, "one long word", 0), 0);
		layout_check_expect(&dl, "WWWW", "the word");
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

/* Several: the newest largest, the older under it newest first, "+ N
 * more" past what fits; the count on screen is what the heartbeat names. */
static void test_several(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct scene s = scene(KIOSK_LAYOUT_ROOM, LANG_EN);
	add(&s, 14, T_1005 - 60000, "Lunch moved to Le Méridien");
	add(&s, 13, T_1005 - 120000, "Salle 252A closed: water leak");
	add(&s, 12, T_1005 - 180000, "Keynote starts 10 minutes late");
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		assert_int_equal(build(&s, w, h, &dl), 3);
		assert_int_equal(layout_check_geometry(&dl, "three alerts", 0), 0);
		size_t a = layout_check_find(&dl, "Lunch", 0),
		       b = layout_check_find(&dl, "10:03 — Salle", 0);
		size_t c = layout_check_find(&dl, "10:02 — Keynote", 0);
		assert_true(a != SIZE_MAX && b != SIZE_MAX && c != SIZE_MAX);
		assert_true(dl.ops[a].y < dl.ops[b].y && dl.ops[b].y < dl.ops[c].y);
		assert_true(dl.ops[a].size_px > dl.ops[b].size_px);
	}
	/* seventy: some of them, then "+ N more" */
	s.n = 0;
	for (int i = 70; i >= 1; i--) {
		char t[64];
		snprintf(t, sizeof(t), "Alert number %d of the afternoon", i);
		add(&s, i, T_1005 - (71 - i) * 1000LL, i == 70 ? LONG_280 : t);
	}
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		size_t shown = build(&s, w, h, &dl);
		assert_int_equal(layout_check_geometry(&dl, "seventy alerts", 0), 0);
		if (shown < 2 || shown >= 70)
			fail_msg("%dx%d: %zu of 70 shown", w, h, shown);
		char more[32];
		snprintf(more, sizeof(more), "+ %zu more", 70 - shown);
		layout_check_expect(&dl, more, "the rest, counted");
		layout_check_expect(&dl, "come back in.", "the newest, whole");
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_over_everything),
		cmocka_unit_test(test_long_texts),
		cmocka_unit_test(test_several),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
