/* Unit tests for qr_code and the board's QR code to the phone page: the
 * modules drawn are libqrencode's own grid, with a light quiet zone of 4
 * modules; on the hallway board at the four sizes it sits inside the screen
 * over no text, modules of 3 px or more; none when off; mobile-url's
 * default from the server the screen talks to. */
#include "test_util.h"

#include "layout_check.h"

#include "board.h"
#include "draw_list.h"
#include "kiosk_config.h"
#include "layout.h"
#include "qr_code.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct draw_color black = {0, 0, 0}, white = {255, 255, 255};

static bool same(struct draw_color a, struct draw_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* The light square of a code of side modules drawn at module px: its op. */
static const struct draw_op *light_square(const struct draw_list *dl, int side, int module)
{
	int s = (side + 2 * QR_CODE_QUIET) * module;
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *op = &dl->ops[i];
		if (op->kind == DRAW_RECT && same(op->color, white) && op->w == s && op->h == s)
			return op;
	}
	return NULL;
}

/* The grid read back from the draw list's dark rectangles inside sq (the
 * light square), at module px; fails on a dark rectangle off the grid or in
 * the quiet zone. */
static void grid_of(const struct draw_list *dl, const struct draw_op *sq, int side, int module,
		    unsigned char *grid)
{
	memset(grid, 0, (size_t)side * (size_t)side);
	int ox = sq->x + QR_CODE_QUIET * module, oy = sq->y + QR_CODE_QUIET * module;
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *op = &dl->ops[i];
		if (op->kind != DRAW_RECT || !same(op->color, black))
			continue;
		if (op->x < sq->x || op->y < sq->y || op->x + op->w > sq->x + sq->w ||
		    op->y + op->h > sq->y + sq->h)
			continue; /* not the code's */
		if (op->x < ox || op->y < oy || op->x + op->w > ox + side * module ||
		    op->y + op->h > oy + side * module)
			fail_msg("a dark module at (%d,%d) in the quiet zone", op->x, op->y);
		if ((op->x - ox) % module || (op->y - oy) % module || op->w % module ||
		    op->h != module)
			fail_msg("a dark run off the module grid: %d,%d %dx%d", op->x, op->y, op->w,
				 op->h);
		int r = (op->y - oy) / module;
		for (int c = (op->x - ox) / module; c < (op->x - ox + op->w) / module; c++)
			grid[r * side + c] = 1;
	}
}

static void expect_qrencode_grid(const char *text, const unsigned char *grid, int side)
{
	QRcode *ref = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	assert_non_null(ref);
	assert_int_equal(ref->width, side);
	for (int i = 0; i < side * side; i++)
		if ((ref->data[i] & 1) != grid[i])
			fail_msg("module %d,%d differs from libqrencode's", i / side, i % side);
	QRcode_free(ref);
}

static void test_draw_matches_qrencode(void **state)
{
	(void)state;
	static const char *const urls[] = {
		"https://venueboard.local:8443/m/",
		"http://10.0.0.5:8080/m/?lang=fr",
		"https://conference.example.org/a/much/longer/path/for/the/phone/page/m/",
	};
	struct qr_code *q = malloc(sizeof(*q));
	assert_non_null(q);
	unsigned char *grid = malloc(QR_CODE_MAX_SIDE * QR_CODE_MAX_SIDE);
	assert_non_null(grid);
	for (size_t k = 0; k < sizeof(urls) / sizeof(*urls); k++) {
		assert_true(qr_code_make(q, urls[k]));
		for (int module = 3; module <= 10; module += 7) {
			struct draw_list dl;
			draw_list_init(&dl, 1000, 1000, black);
			qr_code_draw(q, &dl, 17, 23, module);
			assert_int_equal(qr_code_side_px(q, module), (q->side + 8) * module);
			const struct draw_op *sq = light_square(&dl, q->side, module);
			assert_non_null(sq);
			assert_int_equal(sq->x, 17);
			assert_int_equal(sq->y, 23);
			assert_true(sq == &dl.ops[0]); /* under the modules */
			grid_of(&dl, sq, q->side, module, grid);
			expect_qrencode_grid(urls[k], grid, q->side);
			draw_list_finish(&dl);
		}
		printf("%s: %d modules a side\n", urls[k], q->side);
	}
	/* refused: empty, too long */
	assert_false(qr_code_make(q, ""));
	assert_int_equal(q->side, 0);
	char *long_url = malloc(QR_CODE_MAX_TEXT + 2);
	assert_non_null(long_url);
	memset(long_url, 'a', QR_CODE_MAX_TEXT + 1);
	long_url[QR_CODE_MAX_TEXT + 1] = '\0';
	assert_false(qr_code_make(q, long_url));
	struct draw_list dl;
	draw_list_init(&dl, 100, 100, black);
	qr_code_draw(q, &dl, 0, 0, 5);
	assert_int_equal(dl.n, 0);
	draw_list_finish(&dl);
	free(long_url);
	free(grid);
	free(q);
}

static bool overlaps(const struct draw_op *a, const struct draw_op *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* On the hallway board at the four sizes: inside the screen, over no text,
 * modules of 3 px or more, libqrencode's grid; none without a code. */
static void test_on_the_board(void **state)
{
	(void)state;
	const int64_t now = 1415271900000; /* 2014-11-06 12:05 in Paris */
	const char *url = "https://venueboard.local:8443/m/";
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	struct qr_code *q = malloc(sizeof(*q));
	unsigned char *grid = malloc(QR_CODE_MAX_SIDE * QR_CODE_MAX_SIDE);
	assert_true(cfg && q && grid);
	kiosk_config_defaults(cfg);
	assert_true(qr_code_make(q, url));
	struct board *b = board_create();
	assert_non_null(b);
	layout_check_demo(b, now - 86400000);
	for (int z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		size_t texts_without = 0;
		for (int with = 0; with < 2; with++) {
			struct draw_list dl;
			layout_check_frame(cfg, b, w, h, now, NULL, with ? q : NULL, &dl);
			const struct draw_op *sq = NULL;
			int module = 0;
			for (int m = 3; m <= 20 && !sq; m++)
				if ((sq = light_square(&dl, q->side, m)))
					module = m;
			size_t texts = 0, caption = 0;
			for (size_t i = 0; i < dl.n; i++)
				if (dl.ops[i].kind == DRAW_TEXT) {
					texts++;
					const char *t = draw_list_text_of(&dl, &dl.ops[i]);
					caption += strstr(t, "phone") || strstr(t, "On your");
				}
			if (!with) {
				texts_without = texts;
				assert_null(sq);
				assert_int_equal(layout_check_find(&dl, "On your phone", 0),
						 SIZE_MAX);
				draw_list_finish(&dl);
				continue;
			}
			if (!sq)
				fail_msg("%dx%d: no QR code", w, h);
			printf("%dx%d: QR code %d px, %d modules of %d px (quiet zone included)\n",
			       w, h, sq->w, q->side + 2 * QR_CODE_QUIET, module);
			assert_true(module >= 3);
			assert_true(sq->x >= 0 && sq->y >= 0 && sq->x + sq->w <= w &&
				    sq->y + sq->h <= h);
			/* a small corner: at most a quarter of the short side */
			assert_true(sq->w <= (w < h ? w : h) / 4);
			for (size_t i = 0; i < dl.n; i++)
				if (dl.ops[i].kind == DRAW_TEXT && overlaps(&dl.ops[i], sq))
					fail_msg("%dx%d: the QR code covers '%s'", w, h,
						 draw_list_text_of(&dl, &dl.ops[i]));
			/* drawn after every panel: nothing paints over it */
			for (size_t i = (size_t)(sq - dl.ops) + 1; i < dl.n; i++)
				if (dl.ops[i].kind == DRAW_RECT && !same(dl.ops[i].color, black) &&
				    overlaps(&dl.ops[i], sq))
					fail_msg("%dx%d: a rectangle over the QR code", w, h);
			/* a landscape board of 1080 lines or more has the code in its
			 * header: every other text keeps its place (the changes are
			 * not cut down for it) */
			if (w > h && h >= 1080) {
				size_t now_op = layout_check_find(&dl, "Now", 0);
				assert_true(now_op != SIZE_MAX);
				if (sq->y + sq->h > dl.ops[now_op].y)
					fail_msg("%dx%d: the QR code is not in the header", w, h);
				if (texts - caption != texts_without)
					fail_msg(
						"%dx%d: %zu texts besides the caption with the code, %zu "
						"without",
						w, h, texts - caption, texts_without);
			}
			grid_of(&dl, sq, q->side, module, grid);
			expect_qrencode_grid(url, grid, q->side);
			layout_check_expect(&dl, "On your phone", "the QR code's caption");
			assert_int_equal(layout_check_geometry(&dl, "QR code", 0), 0);
			draw_list_finish(&dl);
		}
	}
	board_destroy(b);
	free(grid);
	free(q);
	free(cfg);
}

/* On the door: only in what the next sessions leave, over no text; at
 * 1920x1080 there is room. */
static void test_on_the_door(void **state)
{
	(void)state;
	const int64_t now = 1415271900000; /* 2014-11-06 12:05 in Paris */
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	struct qr_code *q = malloc(sizeof(*q));
	assert_true(cfg && q);
	kiosk_config_defaults(cfg);
	cfg->layout = KIOSK_LAYOUT_ROOM;
	snprintf(cfg->rooms[0], sizeof(cfg->rooms[0]), "Salle 252A");
	cfg->n_rooms = 1;
	assert_true(qr_code_make(q, "https://venueboard.local:8443/m/"));
	struct board *b = board_create();
	assert_non_null(b);
	layout_check_demo(b, now - 86400000);
	int shown = 0;
	for (int z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		struct draw_list dl;
		layout_check_frame(cfg, b, w, h, now, NULL, q, &dl);
		const struct draw_op *sq = NULL;
		for (int m = 3; m <= 20 && !sq; m++)
			sq = light_square(&dl, q->side, m);
		printf("door %dx%d: %s\n", w, h, sq ? "QR code" : "no room for the QR code");
		if (sq) {
			shown++;
			assert_true(sq->x >= 0 && sq->y >= 0 && sq->x + sq->w <= w &&
				    sq->y + sq->h <= h);
			for (size_t i = 0; i < dl.n; i++)
				if (dl.ops[i].kind == DRAW_TEXT && overlaps(&dl.ops[i], sq))
					fail_msg("door %dx%d: the QR code covers '%s'", w, h,
						 draw_list_text_of(&dl, &dl.ops[i]));
			assert_int_equal(layout_check_geometry(&dl, "door QR code", 0), 0);
		}
		if (w == 1920 && h == 1080 && !sq)
			fail_msg("door 1920x1080: no QR code where the next sessions leave room");
		draw_list_finish(&dl);
	}
	assert_true(shown >= 1);
	board_destroy(b);
	free(q);
	free(cfg);
}

static void test_mobile_url(void **state)
{
	(void)state;
	static const struct {
		const char *conf, *want; /* want NULL: refused */
	} cases[] = {
		{"heartbeat-url https://vb.local:8443/v1/heartbeat\nheartbeat-token t\n",
		 "https://vb.local:8443/m/"},
		{"queues-url http://10.0.0.5:8080/v1/queues\n", "http://10.0.0.5:8080/m/"},
		{"queues-url http://q.local/v1/queues\nheartbeat-url https://vb.local/v1/heartbeat\n"
		 "heartbeat-token t\n",
		 "https://vb.local/m/"},
		{"heartbeat-url https://vb.local/v1/heartbeat\nheartbeat-token t\nlanguage fr\n",
		 "https://vb.local/m/?lang=fr"},
		{"queues-url file:///srv/queues.jsonl\n", ""}, /* no server known */
		{"", ""},
		{"heartbeat-url https://vb.local/v1/heartbeat\nheartbeat-token t\nmobile-url off\n",
		 ""},
		{"mobile-url https://elsewhere.example/phone\n", "https://elsewhere.example/phone"},
		{"mobile-url ftp://x/\n", NULL},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		struct kiosk_config *c = malloc(sizeof(*c));
		assert_non_null(c);
		kiosk_config_defaults(c);
		char conf[512];
		snprintf(conf, sizeof(conf), "schedule-url file:///s.json\n%s", cases[k].conf);
		struct feed_error e = {{0}};
		bool ok =
			kiosk_config_parse(c, conf, strlen(conf), &e) && kiosk_config_check(c, &e);
		if (!cases[k].want) {
			assert_false(ok);
			assert_non_null(strstr(e.msg, "mobile-url"));
		} else {
			if (!ok)
				fail_msg("case %zu: %s", k, e.msg);
			assert_string_equal(c->mobile_url, cases[k].want);
		}
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_matches_qrencode),
		cmocka_unit_test(test_on_the_board),
		cmocka_unit_test(test_on_the_door),
		cmocka_unit_test(test_mobile_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
