/* Unit tests for draw_list: what is appended and what is skipped, the hash
 * that decides whether a frame is presented, the texts dump, and the caps. */
#include "test_util.h"

#include "draw_list.h"

#include <stdlib.h>
#include <string.h>

static const struct draw_color black = {0, 0, 0}, white = {255, 255, 255};

static void test_append(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1920, 1080, black);
	assert_int_equal(dl.n, 0);
	assert_int_equal(dl.width, 1920);
	assert_int_equal(dl.height, 1080);
	draw_list_rect(&dl, 10, 20, 300, 40, white);
	draw_list_text(&dl, 32, 14, 200, 52, FONT_BOLD, 42, white, "Salle 251", SIZE_MAX);
	/* an explicit length takes only those bytes */
	draw_list_text(&dl, 32, 80, 90, 35, FONT_REGULAR, 28, white, "10:05 and more", 5);
	assert_int_equal(dl.n, 3);
	assert_false(dl.overflow);

	const struct draw_op *r = &dl.ops[0];
	assert_int_equal(r->kind, DRAW_RECT);
	assert_int_equal(r->x, 10);
	assert_int_equal(r->y, 20);
	assert_int_equal(r->w, 300);
	assert_int_equal(r->h, 40);
	assert_int_equal(r->color.r, 255);

	const struct draw_op *t = &dl.ops[1];
	assert_int_equal(t->kind, DRAW_TEXT);
	assert_int_equal(t->size_px, 42);
	assert_int_equal(t->font, FONT_BOLD);
	assert_int_equal(t->w, 200);
	assert_int_equal(t->h, 52);
	assert_int_equal(t->text_len, 9);
	assert_string_equal(draw_list_text_of(&dl, t), "Salle 251");
	assert_string_equal(draw_list_text_of(&dl, &dl.ops[2]), "10:05");
	assert_int_equal(dl.ops[2].font, FONT_REGULAR);
	/* strings are NUL-separated: "Salle 251\0" "10:05\0" */
	assert_int_equal(dl.str_len, 10 + 6);

	/* reset empties the list and keeps the buffers */
	struct draw_op *ops = dl.ops;
	draw_list_reset(&dl, 1080, 1920, white);
	assert_int_equal(dl.n, 0);
	assert_int_equal(dl.str_len, 0);
	assert_int_equal(dl.width, 1080);
	assert_int_equal(dl.height, 1920);
	assert_ptr_equal(dl.ops, ops);
	draw_list_finish(&dl);
	assert_null(dl.ops);
	assert_null(dl.strings);
}

static void test_skipped(void **state)
{
	(void)state;
	static const struct {
		int x, y, w, h;
		bool kept;
	} rects[] = {
		{0, 0, 1920, 1080, true},                           /* the whole screen */
		{-50, -50, 100, 100, true},                         /* partly on screen */
		{1900, 1060, 100, 100, true}, {0, 0, 0, 10, false}, /* empty */
		{0, 0, 10, 0, false},         {0, 0, -5, 10, false},
		{0, 0, 10, -5, false},        {1920, 0, 10, 10, false}, /* right of the screen */
		{0, 1080, 10, 10, false},                               /* below */
		{-10, 0, 10, 10, false},                                /* left: ends at x = 0 */
		{0, -10, 10, 10, false},                                /* above */
		{-500, 500, 100, 10, false},
	};
	struct draw_list dl;
	draw_list_init(&dl, 1920, 1080, black);
	for (size_t i = 0; i < sizeof(rects) / sizeof(*rects); i++) {
		size_t before = dl.n;
		draw_list_rect(&dl, rects[i].x, rects[i].y, rects[i].w, rects[i].h, white);
		if (dl.n - before != (size_t)rects[i].kept)
			fail_msg("rect %zu (%d,%d %dx%d): kept %zu, want %d", i, rects[i].x,
				 rects[i].y, rects[i].w, rects[i].h, dl.n - before, rects[i].kept);
	}

	static const struct {
		int x, y, h;
		const char *s;
		bool kept;
	} texts[] = {
		{0, 0, 40, "ok", true},        {0, -20, 40, "half above", true},
		{0, 0, 40, "", false}, /* empty */
		{0, 1080, 40, "below", false}, {0, -40, 40, "above", false},
		{1920, 0, 40, "right", false},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		size_t before = dl.n, str = dl.str_len;
		draw_list_text(&dl, texts[i].x, texts[i].y, 100, texts[i].h, FONT_REGULAR, 32,
			       white, texts[i].s, SIZE_MAX);
		if (dl.n - before != (size_t)texts[i].kept)
			fail_msg("text %zu '%s': kept %zu, want %d", i, texts[i].s, dl.n - before,
				 texts[i].kept);
		if (!texts[i].kept)
			assert_int_equal(dl.str_len, str); /* nothing stored for it */
	}
	assert_false(dl.overflow);
	draw_list_finish(&dl);
}

/* A small frame; variant v changes one thing in it (0: none). */
static void frame(struct draw_list *dl, int v)
{
	struct draw_color bg = v == 7 ? (struct draw_color){0, 0, 1} : black;
	draw_list_reset(dl, v == 8 ? 1921 : 1920, 1080, bg);
	struct draw_color c = {0x17, 0x20, 0x2a};
	if (v == 2)
		c.b++;
	draw_list_rect(dl, 0, 0, 1920, v == 1 ? 119 : 118, c);
	draw_list_text(dl, v == 3 ? 1711 : 1710, 20, 150, 95, v == 6 ? FONT_REGULAR : FONT_BOLD,
		       v == 5 ? 77 : 76, white, v == 4 ? "10:06" : "10:05", SIZE_MAX);
	draw_list_text(dl, 32, 14, 600, 52, FONT_BOLD, 42, white, "OpenStack Summit Paris 2014",
		       SIZE_MAX);
}

static void test_hash(void **state)
{
	(void)state;
	static const char *const what[] = {
		"nothing",          "a rect 1 px taller", "a colour", "a text 1 px right",
		"a text",           "a font size",        "a font",   "the background",
		"the screen width",
	};
	struct draw_list a, b;
	draw_list_init(&a, 1920, 1080, black);
	draw_list_init(&b, 1920, 1080, black);
	frame(&a, 0);
	frame(&b, 0);
	uint64_t h0 = draw_list_hash(&a);
	assert_true(h0 == draw_list_hash(&b));
	/* built again into used buffers: still the same frame */
	frame(&b, 4);
	frame(&b, 0);
	assert_true(h0 == draw_list_hash(&b));
	for (int v = 1; v < (int)(sizeof(what) / sizeof(*what)); v++) {
		frame(&b, v);
		if (draw_list_hash(&b) == h0)
			fail_msg("changing %s leaves the hash as it was", what[v]);
	}
	/* the same texts in another order are another frame */
	draw_list_reset(&b, 1920, 1080, black);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "b", SIZE_MAX);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "a", SIZE_MAX);
	uint64_t ba = draw_list_hash(&b);
	draw_list_reset(&b, 1920, 1080, black);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "a", SIZE_MAX);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "b", SIZE_MAX);
	assert_true(ba != draw_list_hash(&b));
	/* text boundaries count: "ab" + "c" is not "a" + "bc" */
	draw_list_reset(&b, 1920, 1080, black);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "ab", SIZE_MAX);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "c", SIZE_MAX);
	uint64_t abc = draw_list_hash(&b);
	draw_list_reset(&b, 1920, 1080, black);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "a", SIZE_MAX);
	draw_list_text(&b, 0, 0, 10, 10, FONT_BOLD, 8, white, "bc", SIZE_MAX);
	assert_true(abc != draw_list_hash(&b));
	draw_list_finish(&a);
	draw_list_finish(&b);
}

static void test_texts(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1920, 1080, black);
	char *none = draw_list_texts(&dl);
	assert_non_null(none);
	assert_string_equal(none, "");
	free(none);
	draw_list_text(&dl, 0, 0, 10, 10, FONT_BOLD, 8, white, "Now", SIZE_MAX);
	draw_list_rect(&dl, 0, 0, 10, 10, white); /* rects add nothing */
	draw_list_text(&dl, 0, 0, 10, 10, FONT_BOLD, 8, white, "MOVED → Salle 252B", SIZE_MAX);
	draw_list_text(&dl, 0, 0, 10, 10, FONT_BOLD, 8, white, "Next", SIZE_MAX);
	char *all = draw_list_texts(&dl);
	assert_non_null(all);
	assert_string_equal(all, "Now\nMOVED → Salle 252B\nNext\n");
	free(all);
	draw_list_finish(&dl);
}

static void test_op_cap(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1920, 1080, black);
	for (int i = 0; i < DRAW_LIST_MAX_OPS; i++)
		draw_list_rect(&dl, i % 1900, i % 1000, 4, 4, white);
	assert_int_equal(dl.n, DRAW_LIST_MAX_OPS);
	assert_false(dl.overflow);
	size_t str = dl.str_len;
	draw_list_rect(&dl, 0, 0, 4, 4, white);
	draw_list_text(&dl, 0, 0, 10, 10, FONT_BOLD, 8, white, "dropped", SIZE_MAX);
	assert_int_equal(dl.n, DRAW_LIST_MAX_OPS);
	assert_true(dl.overflow);
	assert_int_equal(dl.str_len, str); /* the dropped text's bytes given back */
	/* the list is still whole and usable */
	assert_int_equal(dl.ops[DRAW_LIST_MAX_OPS - 1].kind, DRAW_RECT);
	(void)draw_list_hash(&dl);
	char *t = draw_list_texts(&dl);
	assert_non_null(t);
	assert_string_equal(t, "");
	free(t);
	/* the next frame starts clean */
	draw_list_reset(&dl, 1920, 1080, black);
	assert_false(dl.overflow);
	draw_list_text(&dl, 0, 0, 10, 10, FONT_BOLD, 8, white, "kept", SIZE_MAX);
	assert_int_equal(dl.n, 1);
	assert_string_equal(draw_list_text_of(&dl, &dl.ops[0]), "kept");
	draw_list_finish(&dl);
}

static void test_text_cap(void **state)
{
	(void)state;
	enum { LEN = 1000 };
	char *big = malloc(LEN + 1);
	assert_non_null(big);
	memset(big, 'x', LEN);
	big[LEN] = '\0';
	struct draw_list dl;
	draw_list_init(&dl, 1920, 1080, black);
	size_t i;
	for (i = 0; i < 2 * DRAW_LIST_MAX_TEXT / LEN && !dl.overflow; i++)
		draw_list_text(&dl, 0, 0, 10, 10, FONT_REGULAR, 8, white, big, SIZE_MAX);
	assert_true(dl.overflow);
	assert_true(dl.str_len <= DRAW_LIST_MAX_TEXT);
	assert_true(dl.n < i); /* the last one was dropped */
	assert_int_equal(dl.n, DRAW_LIST_MAX_TEXT / (LEN + 1));
	for (size_t k = 0; k < dl.n; k++)
		assert_int_equal(strlen(draw_list_text_of(&dl, &dl.ops[k])), LEN);
	/* a one-line text a mebibyte long is refused, not stored */
	char *huge = malloc(DRAW_LIST_MAX_TEXT + 1);
	assert_non_null(huge);
	memset(huge, 'y', DRAW_LIST_MAX_TEXT);
	huge[DRAW_LIST_MAX_TEXT] = '\0';
	draw_list_reset(&dl, 1920, 1080, black);
	draw_list_text(&dl, 0, 0, 10, 10, FONT_REGULAR, 8, white, huge, SIZE_MAX);
	assert_int_equal(dl.n, 0);
	assert_true(dl.overflow);
	free(huge);
	free(big);
	draw_list_finish(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append), cmocka_unit_test(test_skipped),
		cmocka_unit_test(test_hash),   cmocka_unit_test(test_texts),
		cmocka_unit_test(test_op_cap), cmocka_unit_test(test_text_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
