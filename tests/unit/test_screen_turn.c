/* Unit tests for screen_turn: orientation, rotation and --size against the
 * panel, every combination, the contradictions refused naming the keys. */
#include "test_util.h"

#include "kiosk_config.h"
#include "screen_turn.h"

#include <stdlib.h>
#include <string.h>

static void test_combinations(void **state)
{
	(void)state;
	enum {
		ANY = KIOSK_ORIENT_ANY,
		LAND = KIOSK_ORIENT_LANDSCAPE,
		PORT = KIOSK_ORIENT_PORTRAIT
	};
	static const struct {
		int orientation, rotation; /* rotation -1: not given */
		int size_w, size_h;        /* --size; 0: full screen on the panel */
		int panel_w, panel_h;      /* the display's, full screen */
		/* expected: the mounting, the picture; or an error holding both */
		int rotation_out, pic_w, pic_h;
		const char *err1, *err2;
	} cases[] = {
		/* full screen on a 1920x1080 panel */
		{ANY, -1, 0, 0, 1920, 1080, 0, 1920, 1080, NULL, NULL},
		{LAND, -1, 0, 0, 1920, 1080, 0, 1920, 1080, NULL, NULL},
		{PORT, -1, 0, 0, 1920, 1080, 90, 1080, 1920, NULL, NULL},
		{LAND, 0, 0, 0, 1920, 1080, 0, 1920, 1080, NULL, NULL},
		{LAND, 180, 0, 0, 1920, 1080, 180, 1920, 1080, NULL, NULL},
		{PORT, 90, 0, 0, 1920, 1080, 90, 1080, 1920, NULL, NULL},
		{PORT, 270, 0, 0, 1920, 1080, 270, 1080, 1920, NULL, NULL},
		{ANY, 270, 0, 0, 1920, 1080, 270, 1080, 1920, NULL, NULL},
		{LAND, 90, 0, 0, 1920, 1080, 0, 0, 0, "orientation landscape", "rotation 90"},
		{LAND, 270, 0, 0, 1920, 1080, 0, 0, 0, "orientation landscape", "rotation 270"},
		{PORT, 0, 0, 0, 1920, 1080, 0, 0, 0, "orientation portrait", "rotation 0"},
		{PORT, 180, 0, 0, 1920, 1080, 0, 0, 0, "orientation portrait", "rotation 180"},
		/* a panel made portrait: portrait needs no turn */
		{PORT, -1, 0, 0, 1080, 1920, 0, 1080, 1920, NULL, NULL},
		{LAND, -1, 0, 0, 1080, 1920, 90, 1920, 1080, NULL, NULL},
		/* --size is the picture as seen: never turned twice */
		{PORT, -1, 1080, 1920, 0, 0, 0, 1080, 1920, NULL, NULL},
		{PORT, 90, 1080, 1920, 0, 0, 90, 1080, 1920, NULL, NULL},
		{PORT, 270, 1080, 1920, 0, 0, 270, 1080, 1920, NULL, NULL},
		{PORT, 0, 1080, 1920, 0, 0, 0, 1080, 1920, NULL, NULL},
		{PORT, 180, 1080, 1920, 0, 0, 180, 1080, 1920, NULL, NULL},
		{LAND, 90, 1920, 1080, 0, 0, 90, 1920, 1080, NULL, NULL},
		{ANY, 90, 1920, 1080, 0, 0, 90, 1920, 1080, NULL, NULL},
		{PORT, -1, 1920, 1080, 0, 0, 0, 0, 0, "orientation portrait", "--size 1920x1080"},
		{LAND, 90, 1080, 1920, 0, 0, 0, 0, 0, "orientation landscape", "--size 1080x1920"},
		{ANY, -1, 0, 0, 0, 0, 0, 0, 0, "--size", NULL},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		struct kiosk_config *c = malloc(sizeof(*c));
		assert_non_null(c);
		kiosk_config_defaults(c);
		c->orientation = (enum kiosk_orientation)cases[k].orientation;
		c->rotation = cases[k].rotation;
		c->width = cases[k].size_w;
		c->height = cases[k].size_h;
		struct screen_turn t;
		struct feed_error e = {{0}};
		bool ok = screen_turn_resolve(c, cases[k].panel_w, cases[k].panel_h, &t, &e);
		if (cases[k].err1) {
			if (ok)
				fail_msg("case %zu: accepted", k);
			if (!strstr(e.msg, cases[k].err1) ||
			    (cases[k].err2 && !strstr(e.msg, cases[k].err2)))
				fail_msg("case %zu: '%s'", k, e.msg);
		} else {
			if (!ok)
				fail_msg("case %zu: %s", k, e.msg);
			assert_int_equal(t.rotation, cases[k].rotation_out);
			assert_int_equal(t.picture_w, cases[k].pic_w);
			assert_int_equal(t.picture_h, cases[k].pic_h);
			bool turned = t.rotation % 180 != 0;
			assert_int_equal(t.panel_w, turned ? t.picture_h : t.picture_w);
			assert_int_equal(t.panel_h, turned ? t.picture_w : t.picture_h);
			if (cases[k].panel_w) { /* full screen: the panel is the display */
				assert_int_equal(t.panel_w, cases[k].panel_w);
				assert_int_equal(t.panel_h, cases[k].panel_h);
			}
		}
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_combinations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
