/* The renderer and png_out on a software renderer over a plain surface (no
 * display needed), with the system's DejaVu and Droid fallback fonts: what
 * lands in which pixels, how text is measured, the texture cache, rotation,
 * and PNG files read back with libpng. */
#include "test_util.h"

#include "board.h"
#include "draw_list.h"
#include "kiosk_config.h"
#include "layout.h"
#include "layout_check.h"
#include "png_out.h"
#include "qr_code.h"
#include "render.h"
#include "screen_turn.h"
#include "theme.h"

#include <SDL_ttf.h>
#include <png.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FONT_DIR     "/usr/share/fonts/truetype/"
#define REGULAR_TTF  FONT_DIR "dejavu/DejaVuSans.ttf"
#define BOLD_TTF     FONT_DIR "dejavu/DejaVuSans-Bold.ttf"
#define FALLBACK_TTF FONT_DIR "droid/DroidSansFallbackFull.ttf"
#define EMOJI_TTF    FONT_DIR "noto/NotoColorEmoji.ttf"

/* render.c's budget for text textures */
#define TEXT_BUDGET ((size_t)24 << 20)

static const struct draw_color dark = {16, 20, 32};
static const struct draw_color red = {255, 0, 0};
static const struct draw_color white = {255, 255, 255};

static bool fonts_present(void)
{
	return access(REGULAR_TTF, R_OK) == 0 && access(BOLD_TTF, R_OK) == 0 &&
	       access(FALLBACK_TTF, R_OK) == 0 && access(EMOJI_TTF, R_OK) == 0;
}

static void need_fonts(void)
{
	if (fonts_present())
		return;
	printf("SKIP: fonts missing (%s, %s, %s, %s: Debian's fonts-dejavu-core, "
	       "fonts-droid-fallback and fonts-noto-color-emoji)\n",
	       REGULAR_TTF, BOLD_TTF, FALLBACK_TTF, EMOJI_TTF);
	skip();
}

struct canvas {
	SDL_Surface *s;
	SDL_Renderer *sdl;
	struct renderer *r;
	struct text_metrics m;
};

/* fallback, emoji: font files or NULL */
static void open_canvas_fonts(struct canvas *c, int w, int h, const char *fallback,
			      const char *emoji)
{
	c->s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(c->s);
	c->sdl = SDL_CreateSoftwareRenderer(c->s);
	assert_non_null(c->sdl);
	struct render_fonts f = {REGULAR_TTF, BOLD_TTF, fallback, emoji};
	char err[256] = "";
	c->r = render_create(c->sdl, &f, err, sizeof(err));
	if (!c->r)
		fail_msg("render_create: %s", err);
	c->m = render_metrics(c->r);
}

static void open_canvas(struct canvas *c, int w, int h, bool fallback)
{
	open_canvas_fonts(c, w, h, fallback ? FALLBACK_TTF : NULL, NULL);
}

static void close_canvas(struct canvas *c)
{
	render_destroy(c->r);
	SDL_DestroyRenderer(c->sdl);
	SDL_FreeSurface(c->s);
}

static void frame(struct canvas *c, const struct draw_list *dl, int rotation)
{
	char err[256] = "";
	if (!render_frame(c->r, dl, rotation, err, sizeof(err)))
		fail_msg("render_frame: %s", err);
	SDL_RenderFlush(c->sdl); /* the software renderer queues until then */
}

static struct draw_color at(const struct canvas *c, int x, int y)
{
	const Uint32 *row = (const Uint32 *)((const Uint8 *)c->s->pixels + y * c->s->pitch);
	Uint8 r, g, b;
	SDL_GetRGB(row[x], c->s->format, &r, &g, &b);
	return (struct draw_color){r, g, b};
}

static bool same(struct draw_color a, struct draw_color b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

static void assert_color(const struct canvas *c, int x, int y, struct draw_color want)
{
	struct draw_color got = at(c, x, y);
	if (!same(got, want))
		fail_msg("pixel (%d,%d) is %d,%d,%d, expected %d,%d,%d", x, y, got.r, got.g, got.b,
			 want.r, want.g, want.b);
}

/* Adds text at (x, y) measured with the canvas's renderer; returns its width. */
static int add_text(struct canvas *c, struct draw_list *dl, int x, int y, int px,
		    struct draw_color col, const char *text, size_t len)
{
	if (len == SIZE_MAX)
		len = strlen(text);
	int w = c->m.width(c->m.ctx, FONT_REGULAR, px, text, len);
	int h = c->m.line_height(c->m.ctx, FONT_REGULAR, px);
	draw_list_text(dl, x, y, w, h, FONT_REGULAR, px, col, text, len);
	return w;
}

/* Pixels that are not the background in the columns [x0, x1). */
static int ink_in_columns(const struct canvas *c, int x0, int x1, struct draw_color bg)
{
	int n = 0;
	for (int y = 0; y < c->s->h; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < c->s->w; x++)
			n += !same(at(c, x, y), bg);
	return n;
}

static void test_create_names_missing_font(void **state)
{
	(void)state;
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 8, 8, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Renderer *sdl = SDL_CreateSoftwareRenderer(s);
	struct render_fonts f = {"/nonexistent/venueboard/Missing.ttf", BOLD_TTF, NULL, NULL};
	char err[256] = "";
	assert_null(render_create(sdl, &f, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/venueboard/Missing.ttf"));
	SDL_DestroyRenderer(sdl);
	SDL_FreeSurface(s);
}

/* 1. A rectangle fills exactly its area. */
static void test_rect(void **state)
{
	(void)state;
	need_fonts();
	struct canvas c;
	open_canvas(&c, 64, 80, true);
	struct draw_list dl;
	draw_list_init(&dl, 64, 80, dark);
	draw_list_rect(&dl, 10, 20, 30, 40, red);
	frame(&c, &dl, 0);
	static const int inside[][2] = {{10, 20}, {39, 20}, {10, 59}, {39, 59}, {25, 40}};
	static const int outside[][2] = {{9, 20}, {40, 20}, {10, 19}, {10, 60}, {40, 60}, {0, 0}};
	for (size_t i = 0; i < sizeof(inside) / sizeof(*inside); i++)
		assert_color(&c, inside[i][0], inside[i][1], red);
	for (size_t i = 0; i < sizeof(outside) / sizeof(*outside); i++)
		assert_color(&c, outside[i][0], outside[i][1], dark);
	draw_list_finish(&dl);
	close_canvas(&c);
}

/* 2. Text lands inside the box layout measured for it, and fills its width. */
static void test_text_stays_in_its_box(void **state)
{
	(void)state;
	need_fonts();
	const char *text = "Salle 252A \xE2\x80\x94 Amphith\xC3\xA9\xC3\xA2tre";
	struct canvas c;
	open_canvas(&c, 700, 100, true);
	struct draw_list dl;
	draw_list_init(&dl, 700, 100, dark);
	const int x = 20, y = 30;
	int w = add_text(&c, &dl, x, y, 32, white, text, SIZE_MAX);
	int h = c.m.line_height(c.m.ctx, FONT_REGULAR, 32);
	printf("\"%s\" at 32 px: %d x %d\n", text, w, h);
	assert_in_range(w, 300, 600);
	assert_in_range(h, 32, 48);
	frame(&c, &dl, 0);
	int white_inside = 0;
	for (int py = 0; py < c.s->h; py++)
		for (int px = 0; px < c.s->w; px++) {
			struct draw_color p = at(&c, px, py);
			bool in_box = px >= x && px < x + w && py >= y && py < y + h;
			bool near_box =
				px >= x - 2 && px < x + w + 2 && py >= y - 2 && py < y + h + 2;
			if (in_box && p.r > 220 && p.g > 220 && p.b > 220)
				white_inside++;
			if (!near_box && !same(p, dark))
				fail_msg("ink at (%d,%d) outside the box %d,%d %dx%d", px, py, x, y,
					 w, h);
		}
	assert_true(white_inside > 100);
	/* the measured width is the drawn one: ink at both ends of the box */
	assert_true(ink_in_columns(&c, x, x + 4, dark) > 0);
	assert_true(ink_in_columns(&c, x + w - 4, x + w, dark) > 0);
	draw_list_finish(&dl);
	close_canvas(&c);
}

static int measure_and_draw(bool fallback, const char *text, int *ink)
{
	struct canvas c;
	open_canvas(&c, 300, 60, fallback);
	struct draw_list dl;
	draw_list_init(&dl, 300, 60, dark);
	int w = add_text(&c, &dl, 5, 5, 32, white, text, SIZE_MAX);
	frame(&c, &dl, 0);
	*ink = ink_in_columns(&c, 0, 300, dark);
	draw_list_finish(&dl);
	close_canvas(&c);
	return w;
}

/* 3. CJK comes from the fallback; without one, the main font's boxes. */
static void test_fallback(void **state)
{
	(void)state;
	need_fonts();
	const char *cjk = "\xE4\xBC\x9A\xE8\xAE\xAE\xE5\xAE\xA4"; /* 会议室 */
	int ink_fb, ink_tofu;
	int w_fb = measure_and_draw(true, cjk, &ink_fb);
	int w_tofu = measure_and_draw(false, cjk, &ink_tofu);
	printf("3 CJK characters at 32 px: %d px with the fallback, %d px as boxes\n", w_fb,
	       w_tofu);
	/* full-width ideographs are about one em each; DejaVu's box is narrower */
	assert_in_range(w_fb, 3 * 28, 3 * 34);
	assert_true(ink_fb > 200);
	assert_true(w_tofu > 0);
	assert_true(ink_tofu > 0);
	assert_int_not_equal(w_fb, w_tofu);
}

/* Pixels of the frame in colour (not grey, not the background): a colour
 * emoji's, never the white text's or its .notdef box's. */
static int coloured_pixels(const struct canvas *c)
{
	int n = 0;
	for (int y = 0; y < c->s->h; y++)
		for (int x = 0; x < c->s->w; x++) {
			struct draw_color p = at(c, x, y);
			int hi = p.r > p.g ? p.r : p.g, lo = p.r < p.g ? p.r : p.g;
			hi = hi > p.b ? hi : p.b;
			lo = lo < p.b ? lo : p.b;
			n += hi - lo > 60;
		}
	return n;
}

struct emoji_shot {
	int w, h, ink, coloured, outside; /* outside: ink off the line box */
};

/* Draws text at 32 px at (5, 10) of a 600x60 canvas with the fallback and
 * the emoji font (or not). */
static struct emoji_shot emoji_line(const char *text, bool with_emoji)
{
	struct canvas c;
	open_canvas_fonts(&c, 600, 60, FALLBACK_TTF, with_emoji ? EMOJI_TTF : NULL);
	struct draw_list dl;
	draw_list_init(&dl, 600, 60, dark);
	struct emoji_shot e = {0};
	e.w = add_text(&c, &dl, 5, 10, 32, white, text, SIZE_MAX);
	e.h = c.m.line_height(c.m.ctx, FONT_REGULAR, 32);
	frame(&c, &dl, 0);
	e.ink = ink_in_columns(&c, 0, 600, dark);
	e.coloured = coloured_pixels(&c);
	for (int y = 0; y < 60; y++)
		for (int x = 0; x < 600; x++)
			if ((y < 10 || y >= 10 + e.h || x < 5 || x >= 5 + e.w) &&
			    !same(at(&c, x, y), dark))
				e.outside++;
	draw_list_finish(&dl);
	close_canvas(&c);
	return e;
}

#define ROCKET     "\xF0\x9F\x9A\x80"
#define FLAG_FR    "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"
#define FLAG_XX    "\xF0\x9F\x87\xBD\xF0\x9F\x87\xBD" /* two letters that are no country */
#define TRANS_FLAG "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xE2\x9A\xA7\xEF\xB8\x8F"
#define ZWJ        "\xE2\x80\x8D"

/* 3b. Emoji in titles: each drawn in colour as one picture (a flag and a ZWJ
 * sequence too, the trans flag's ⚧ not split off to DejaVu), inside the line
 * box; a ZWJ sequence the font has no picture for drawn as its parts; without
 * the emoji font, a flag as its two letters, never a box. */
static void test_emoji(void **state)
{
	(void)state;
	need_fonts();
	static const struct {
		const char *title, *emoji;
	} titles[] = {
		{"Launch " ROCKET, ROCKET},
		{FLAG_FR " Bonjour", FLAG_FR},
		{"Pride " TRANS_FLAG, TRANS_FLAG},
	};
	struct emoji_shot one = emoji_line(ROCKET, true);
	printf("an emoji at 32 px: %dx%d px (line height), %d coloured pixels\n", one.w, one.h,
	       one.coloured);
	assert_in_range(one.w, 30, 45); /* Noto's 136x128 picture scaled to the line */
	for (size_t k = 0; k < sizeof(titles) / sizeof(*titles); k++) {
		struct emoji_shot e = emoji_line(titles[k].emoji, true);
		struct emoji_shot t = emoji_line(titles[k].title, true);
		struct emoji_shot before = emoji_line(titles[k].title, false);
		printf("'%s': emoji %d px wide, %d coloured pixels; title %d px, %d coloured; "
		       "without the emoji font %d coloured\n",
		       titles[k].title, e.w, e.coloured, t.w, t.coloured, before.coloured);
		/* one picture, the width of any other emoji */
		assert_int_equal(e.w, one.w);
		/* in colour: a box (what was drawn before) has none */
		if (e.coloured < 150)
			fail_msg("'%s' drawn with %d coloured pixels: the missing-glyph box?",
				 titles[k].title, e.coloured);
		assert_true(t.coloured >= e.coloured - 20);
		assert_int_equal(e.outside, 0);
		assert_int_equal(t.outside, 0);
		assert_int_equal(before.coloured, 0);
	}
	/* a flag of no country: Noto's unknown flag (a "?" on a white flag), one
	 * picture in colour; two emoji joined into no known picture: both drawn */
	struct emoji_shot unknown = emoji_line(FLAG_XX, true);
	assert_int_equal(unknown.w, one.w);
	assert_true(unknown.coloured > 50);
	struct emoji_shot joined = emoji_line(ROCKET ZWJ ROCKET, true);
	assert_in_range(joined.w, 2 * one.w - 2, 2 * one.w + 2); /* the joiner: no width */
	assert_true(joined.coloured > one.coloured * 3 / 2);
	/* without the emoji font: the flag's letters, the joiner and selectors
	 * dropped */
	assert_int_equal(emoji_line(FLAG_FR, false).w, emoji_line("FR", false).w);
	assert_int_equal(emoji_line("Pride \xE2\x9A\xA7\xEF\xB8\x8F", false).w,
			 emoji_line("Pride \xE2\x9A\xA7", false).w);
	/* a symbol DejaVu has stays text unless asked as emoji */
	assert_int_equal(emoji_line("\xE2\x9A\xA7", true).coloured, 0);
	assert_true(emoji_line("\xE2\x9A\xA7\xEF\xB8\x8F", true).coloured > 100);
}

/* 4. A mixed line measures as the sum of its runs. */
static void test_mixed_width(void **state)
{
	(void)state;
	need_fonts();
	struct canvas c;
	open_canvas(&c, 16, 16, true);
	static const char *parts[] = {"Room ", "\xE4\xBC\x9A\xE8\xAE\xAE\xE5\xAE\xA4", " A"};
	const char *mixed = "Room \xE4\xBC\x9A\xE8\xAE\xAE\xE5\xAE\xA4 A";
	static const int sizes[] = {16, 32, 48};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		int sum = 0;
		for (size_t i = 0; i < 3; i++)
			sum += c.m.width(c.m.ctx, FONT_REGULAR, sizes[k], parts[i],
					 strlen(parts[i]));
		int whole = c.m.width(c.m.ctx, FONT_REGULAR, sizes[k], mixed, strlen(mixed));
		printf("mixed at %d px: %d, parts %d\n", sizes[k], whole, sum);
		assert_in_range(whole, sum - 2, sum + 2);
	}
	close_canvas(&c);
}

static void stats_delta(const struct render_stats *a, const struct render_stats *b,
			struct render_stats *d)
{
	d->texts_drawn = b->texts_drawn - a->texts_drawn;
	d->cache_hits = b->cache_hits - a->cache_hits;
	d->cache_misses = b->cache_misses - a->cache_misses;
}

/* 5. A repeated frame draws from the cache; many texts stay in the budget;
 * textures no frame wants any more are dropped. */
static void test_cache(void **state)
{
	(void)state;
	need_fonts();
	struct canvas c;
	open_canvas(&c, 1000, 800, true);
	struct draw_list dl;
	draw_list_init(&dl, 1000, 800, dark);
	static const char *texts[] = {"09:30", "Salle 252A", "Keynote",
				      "09:30", "Lunch",      "Caf\xC3\xA9"};
	const size_t n = sizeof(texts) / sizeof(*texts);
	for (size_t i = 0; i < n; i++)
		add_text(&c, &dl, 10, 10 + 40 * (int)i, 24, white, texts[i], SIZE_MAX);
	struct render_stats s0, s1, s2, d;
	render_get_stats(c.r, &s0);
	frame(&c, &dl, 0);
	render_get_stats(c.r, &s1);
	stats_delta(&s0, &s1, &d);
	assert_int_equal(d.cache_misses, n - 1); /* "09:30" twice */
	assert_int_equal(d.cache_hits, 1);
	assert_int_equal(s1.cache_entries, n - 1);
	frame(&c, &dl, 0);
	render_get_stats(c.r, &s2);
	stats_delta(&s1, &s2, &d);
	assert_int_equal(d.cache_misses, 0);
	assert_int_equal(d.cache_hits, n);
	assert_int_equal(d.texts_drawn, n);

	/* 2000 distinct lines of about 100 KB of texture each */
	draw_list_reset(&dl, 1000, 800, dark);
	char line[96];
	for (int i = 0; i < 2000; i++) {
		snprintf(line, sizeof(line),
			 "Session %04d \xE2\x80\x94 Quantum widgets in practice", i);
		add_text(&c, &dl, 0, (i % 20) * 40, 32, white, line, SIZE_MAX);
	}
	assert_false(dl.overflow);
	frame(&c, &dl, 0);
	struct render_stats s3;
	render_get_stats(c.r, &s3);
	printf("2000 lines: %zu entries, %zu bytes kept (budget %zu)\n", s3.cache_entries,
	       s3.cache_bytes, TEXT_BUDGET);
	assert_int_equal(s3.cache_misses - s2.cache_misses, 2000);
	assert_true(s3.cache_bytes <= TEXT_BUDGET);
	assert_true(s3.cache_bytes > TEXT_BUDGET / 2);
	assert_true(s3.cache_entries < 2000);

	/* nothing drawn for long enough: the cache empties */
	draw_list_reset(&dl, 1000, 800, dark);
	for (int i = 0; i < 130; i++)
		frame(&c, &dl, 0);
	struct render_stats s4;
	render_get_stats(c.r, &s4);
	assert_int_equal(s4.cache_entries, 0);
	assert_int_equal(s4.cache_bytes, 0);
	draw_list_finish(&dl);
	close_canvas(&c);
}

/* 6. Turning: a 100x50 list with a 20x10 red block at its top-left corner,
 * on a panel mounted turned clockwise: the picture turned the other way. */
static void test_rotation(void **state)
{
	(void)state;
	need_fonts();
	static const struct {
		int rotation, out_w, out_h;
		int x, y, w, h; /* where the block must land */
	} cases[] = {
		{0, 100, 50, 0, 0, 20, 10},
		{90, 50, 100, 0, 80, 10, 20},   /* counter-clockwise: top-left goes bottom-left */
		{180, 100, 50, 80, 40, 20, 10}, /* bottom-right */
		{270, 50, 100, 40, 0, 10, 20},  /* top-right */
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		struct canvas c;
		open_canvas(&c, cases[k].out_w, cases[k].out_h, false);
		struct draw_list dl;
		draw_list_init(&dl, 100, 50, dark);
		draw_list_rect(&dl, 0, 0, 20, 10, red);
		/* twice: the second frame reuses the turned target */
		frame(&c, &dl, cases[k].rotation);
		frame(&c, &dl, cases[k].rotation);
		for (int y = 0; y < c.s->h; y++)
			for (int x = 0; x < c.s->w; x++) {
				bool in = x >= cases[k].x && x < cases[k].x + cases[k].w &&
					  y >= cases[k].y && y < cases[k].y + cases[k].h;
				struct draw_color p = at(&c, x, y);
				if (!same(p, in ? red : dark))
					fail_msg("rotation %d: pixel (%d,%d) is %d,%d,%d",
						 cases[k].rotation, x, y, p.r, p.g, p.b);
			}
		draw_list_finish(&dl);
		close_canvas(&c);
	}

	struct canvas c;
	open_canvas(&c, 10, 10, false);
	struct draw_list dl;
	draw_list_init(&dl, 10, 10, dark);
	char err[256] = "";
	assert_false(render_frame(c.r, &dl, 45, err, sizeof(err)));
	assert_non_null(strstr(err, "45"));
	draw_list_finish(&dl);
	close_canvas(&c);
}

/* What a person in front of the panel sees: its pixels turned clockwise by
 * the mounting (the panel's top row ends up on the right at 90°). Worked out
 * here from the physics, not from the renderer. Caller frees. */
static SDL_Surface *mount(const SDL_Surface *panel, int rotation)
{
	bool turned = rotation % 180 != 0;
	int vw = turned ? panel->h : panel->w, vh = turned ? panel->w : panel->h;
	SDL_Surface *v = SDL_CreateRGBSurfaceWithFormat(0, vw, vh, 32, SDL_PIXELFORMAT_ARGB8888);
	assert_non_null(v);
	for (int y = 0; y < panel->h; y++) {
		const Uint32 *row =
			(const Uint32 *)((const Uint8 *)panel->pixels + y * panel->pitch);
		for (int x = 0; x < panel->w; x++) {
			int vx = x, vy = y; /* where panel pixel (x, y) appears to the viewer */
			if (rotation == 90)
				vx = panel->h - 1 - y, vy = x;
			else if (rotation == 180)
				vx = panel->w - 1 - x, vy = panel->h - 1 - y;
			else if (rotation == 270)
				vx = y, vy = panel->w - 1 - x;
			((Uint32 *)((Uint8 *)v->pixels + vy * v->pitch))[vx] = row[x];
		}
	}
	return v;
}

static struct draw_color pixel(const SDL_Surface *s, int x, int y)
{
	Uint32 p = ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
	return (struct draw_color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p};
}

/* 6b. Orientation and rotation, each combination with and without --size,
 * on a real frame of the demo summit: the panel's pixels read back, mounted
 * as the key says, are the upright picture (the header band at the viewer's
 * top, no sideways board); contradictions refused naming the keys. */
static void test_mounting(void **state)
{
	(void)state;
	need_fonts();
	const int64_t now = 1415271900000; /* 2014-11-06 12:05 in Paris */
	struct board *b = board_create();
	assert_non_null(b);
	layout_check_demo(b, now - 86400000);
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	assert_non_null(cfg);
	int checked = 0, refused = 0;
	for (int o = KIOSK_ORIENT_LANDSCAPE; o <= KIOSK_ORIENT_PORTRAIT; o++)
		for (int rot = 0; rot < 360; rot += 90)
			for (int with_size = 0; with_size < 2; with_size++) {
				kiosk_config_defaults(cfg);
				cfg->orientation = (enum kiosk_orientation)o;
				cfg->rotation = rot;
				bool portrait = o == KIOSK_ORIENT_PORTRAIT;
				cfg->width = with_size ? (portrait ? 1080 : 1920) : 0;
				cfg->height = with_size ? (portrait ? 1920 : 1080) : 0;
				struct screen_turn t;
				struct feed_error e = {{0}};
				/* without --size: full screen on a 1920x1080 panel */
				bool ok = screen_turn_resolve(cfg, with_size ? 0 : 1920,
							      with_size ? 0 : 1080, &t, &e);
				bool sideways = rot % 180 != 0;
				if (!with_size && sideways != portrait) {
					if (ok)
						fail_msg(
							"%s, rotation %d on a landscape panel accepted",
							portrait ? "portrait" : "landscape", rot);
					assert_non_null(strstr(e.msg, "orientation"));
					assert_non_null(strstr(e.msg, "rotation"));
					refused++;
					continue;
				}
				if (!ok)
					fail_msg("%s", e.msg);
				assert_int_equal(t.rotation, rot);
				/* the picture laid out as seen, drawn on the panel */
				struct canvas panel, ref;
				open_canvas_fonts(&panel, t.panel_w, t.panel_h, FALLBACK_TTF,
						  EMOJI_TTF);
				open_canvas_fonts(&ref, t.picture_w, t.picture_h, FALLBACK_TTF,
						  EMOJI_TTF);
				struct layout_input in = {
					.cfg = cfg,
					.board = b,
					.tm = panel.m,
					.width = t.picture_w,
					.height = t.picture_h,
					.now_ms = now,
					.feed = {.have = true,
						 .age_s = 20,
						 .received_ms = now - 20000},
				};
				struct draw_list dl;
				draw_list_init(&dl, t.picture_w, t.picture_h,
					       cfg->theme.background);
				struct layout_result res;
				layout_build(&in, &dl, &res);
				frame(&panel, &dl, t.rotation);
				frame(&ref, &dl, 0); /* the same picture, drawn upright */
				SDL_Surface *seen = mount(panel.s, rot);
				/* the aspect: a portrait picture stands portrait */
				assert_int_equal(seen->w, t.picture_w);
				assert_int_equal(seen->h, t.picture_h);
				assert_true(portrait ? seen->h > seen->w : seen->w > seen->h);
				/* the header band across the viewer's top, not down a side */
				int top = 0, side = 0;
				for (int x = 0; x < seen->w; x++)
					top += same(pixel(seen, x, 2), cfg->theme.panel);
				for (int y = 0; y < seen->h; y++)
					side += same(pixel(seen, 2, y), cfg->theme.panel);
				if (top < seen->w * 9 / 10 || side > seen->h / 2)
					fail_msg("%s, rotation %d%s: the header is not at the top "
						 "(%d of %d top pixels, %d of %d left ones)",
						 portrait ? "portrait" : "landscape", rot,
						 with_size ? ", --size" : "", top, seen->w, side,
						 seen->h);
				/* and everything else where the upright picture has it */
				int differ = 0;
				for (int y = 0; y < seen->h; y++)
					for (int x = 0; x < seen->w; x++) {
						struct draw_color p = pixel(seen, x, y),
								  q = at(&ref, x, y);
						differ += abs(p.r - q.r) + abs(p.g - q.g) +
								  abs(p.b - q.b) >
							  24;
					}
				assert_true(differ < seen->w * seen->h / 1000);
				SDL_FreeSurface(seen);
				draw_list_finish(&dl);
				close_canvas(&panel);
				close_canvas(&ref);
				checked++;
			}
	printf("mounting: %d combinations upright for the viewer, %d refused\n", checked, refused);
	assert_int_equal(checked, 12);
	assert_int_equal(refused, 4);
	free(cfg);
	board_destroy(b);
}

/* What zbarimg (Debian's zbar-tools) reads in the PNG at path: its first
 * code's text, "" for none. */
static void zbar_read(const char *path, char *out, size_t cap)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "zbarimg -q --raw '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (fgets(out, (int)cap, p))
		out[strcspn(out, "\r\n")] = '\0';
	pclose(p);
}

/* 6c. The board's QR code read back by a phone's decoder: a real frame of the
 * demo summit (landscape at 1080p and 4K, portrait, a panel mounted turned 90°)
 * written as PNG and decoded by zbarimg to the configured URL; no code when
 * mobile-url is off. */
static void test_qr_decodes(void **state)
{
	(void)state;
	need_fonts();
	if (system("command -v zbarimg >/dev/null 2>&1") != 0)
		fail_msg("zbarimg missing: Debian's zbar-tools (.ci/install-deps)");
	const int64_t now = 1415271900000; /* 2014-11-06 12:05 in Paris */
	const char *url = "https://venueboard.local:8443/m/?lang=fr";
	struct board *b = board_create();
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	struct qr_code *q = malloc(sizeof(*q));
	assert_true(b && cfg && q);
	layout_check_demo(b, now - 86400000);
	assert_true(qr_code_make(q, url));
	char dir[] = "/tmp/vb-qr-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	static const struct {
		int w, h, rotation;
		bool on;
	} shots[] = {
		{1920, 1080, 0, true},  {3840, 2160, 0, true},  {1080, 1920, 0, true},
		{1080, 1920, 90, true}, {1920, 1080, 0, false},
	};
	for (size_t k = 0; k < sizeof(shots) / sizeof(*shots); k++) {
		kiosk_config_defaults(cfg);
		cfg->lang = LANG_FR;
		bool turned = shots[k].rotation % 180 != 0;
		struct canvas c;
		open_canvas_fonts(&c, turned ? shots[k].h : shots[k].w,
				  turned ? shots[k].w : shots[k].h, FALLBACK_TTF, EMOJI_TTF);
		struct layout_input in = {
			.cfg = cfg,
			.board = b,
			.tm = c.m,
			.width = shots[k].w,
			.height = shots[k].h,
			.now_ms = now,
			.feed = {.have = true, .age_s = 20, .received_ms = now - 20000},
			.mobile_qr = shots[k].on ? q : NULL,
		};
		struct draw_list dl;
		draw_list_init(&dl, shots[k].w, shots[k].h, cfg->theme.background);
		struct layout_result res;
		layout_build(&in, &dl, &res);
		frame(&c, &dl, shots[k].rotation);
		char path[128], err[256] = "", got[600];
		snprintf(path, sizeof(path), "%s/board-%zu.png", dir, k);
		if (!png_out_write(path, c.s, err, sizeof(err)))
			fail_msg("%s", err);
		zbar_read(path, got, sizeof(got));
		printf("%dx%d%s%s: zbarimg reads '%s'\n", shots[k].w, shots[k].h,
		       shots[k].rotation ? ", panel turned 90" : "", shots[k].on ? "" : ", off",
		       got);
		assert_string_equal(got, shots[k].on ? url : "");
		assert_int_equal(unlink(path), 0);
		draw_list_finish(&dl);
		close_canvas(&c);
	}
	assert_int_equal(rmdir(dir), 0);
	free(q);
	free(cfg);
	board_destroy(b);
}

static SDL_Surface *pattern(Uint32 format)
{
	SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 7, 5, 32, format);
	assert_non_null(s);
	for (int y = 0; y < s->h; y++)
		for (int x = 0; x < s->w; x++) {
			Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
			row[x] = SDL_MapRGBA(s->format, (Uint8)(x * 30), (Uint8)(y * 50), 77,
					     (Uint8)(255 - x * y * 5));
		}
	return s;
}

static bool file_starts_with_png_signature(const char *path)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	unsigned char head[8] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t got = fread(head, 1, sizeof(head), f);
	fclose(f);
	return got == sizeof(head) && memcmp(head, sig, sizeof(sig)) == 0;
}

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* 7. PNG files: signature, size and pixels read back; a bad path is named. */
static void test_png_out(void **state)
{
	(void)state;
	char dir[] = "/tmp/vb-render-test-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof(path), "%s/shot.png", dir);
	static const Uint32 formats[] = {SDL_PIXELFORMAT_ARGB8888, SDL_PIXELFORMAT_RGB888};
	for (size_t k = 0; k < 2; k++) {
		bool alpha = k == 0;
		SDL_Surface *s = pattern(formats[k]);
		char err[256] = "";
		if (!png_out_write(path, s, err, sizeof(err)))
			fail_msg("png_out_write: %s", err);
		assert_true(file_starts_with_png_signature(path));
		assert_int_equal(files_in(dir), 1); /* no temporary left behind */

		png_image img;
		memset(&img, 0, sizeof(img));
		img.version = PNG_IMAGE_VERSION;
		assert_true(png_image_begin_read_from_file(&img, path));
		assert_int_equal(img.width, 7);
		assert_int_equal(img.height, 5);
		assert_int_equal((img.format & PNG_FORMAT_FLAG_ALPHA) != 0, alpha);
		img.format = PNG_FORMAT_RGBA;
		unsigned char px[7 * 5 * 4];
		assert_int_equal(PNG_IMAGE_SIZE(img), sizeof(px));
		assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
		for (int y = 0; y < 5; y++)
			for (int x = 0; x < 7; x++) {
				const unsigned char *p = px + (y * 7 + x) * 4;
				assert_int_equal(p[0], x * 30);
				assert_int_equal(p[1], y * 50);
				assert_int_equal(p[2], 77);
				assert_int_equal(p[3], alpha ? 255 - x * y * 5 : 255);
			}
		SDL_FreeSurface(s);
	}
	unlink(path);
	rmdir(dir);

	SDL_Surface *s = pattern(SDL_PIXELFORMAT_ARGB8888);
	const char *bad = "/nonexistent-venueboard-dir/shot.png";
	char err[256] = "";
	assert_false(png_out_write(bad, s, err, sizeof(err)));
	printf("refused: %s\n", err);
	assert_non_null(strstr(err, bad));
	SDL_FreeSurface(s);
}

/* 8. Broken UTF-8, embedded NULs and a very long line neither crash nor leak. */
static void test_hostile_text(void **state)
{
	(void)state;
	need_fonts();
	struct canvas c;
	open_canvas(&c, 1000, 200, true);
	struct draw_list dl;
	draw_list_init(&dl, 1000, 200, dark);
	int w_bad = add_text(&c, &dl, 0, 0, 32, white, "\xff\xfe abc", SIZE_MAX);
	int w_cut = add_text(&c, &dl, 0, 50, 32, white, "abc \xE4\xBC", SIZE_MAX);
	int w_nul = c.m.width(c.m.ctx, FONT_REGULAR, 32, "ab\0cd", 5);
	int w_plain = c.m.width(c.m.ctx, FONT_REGULAR, 32, "abcd", 4);
	char *long_line = malloc(601);
	assert_non_null(long_line);
	memset(long_line, 'W', 600);
	long_line[600] = '\0';
	int w_long = add_text(&c, &dl, 0, 100, 32, white, long_line, 600);
	printf("widths: broken %d, truncated %d, long %d\n", w_bad, w_cut, w_long);
	assert_true(w_bad > 0);
	assert_true(w_cut > 0);
	assert_int_equal(w_nul, w_plain);
	assert_true(w_long > 8192); /* measured in full, drawn up to 8192 px */
	frame(&c, &dl, 0);
	assert_true(ink_in_columns(&c, 0, 100, dark) > 0);
	assert_true(ink_in_columns(&c, 900, 1000, dark) > 0); /* the long line */
	struct render_stats st;
	render_get_stats(c.r, &st);
	assert_int_equal(st.cache_misses, 3);
	free(long_line);
	draw_list_finish(&dl);
	close_canvas(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_names_missing_font),
		cmocka_unit_test(test_rect),
		cmocka_unit_test(test_text_stays_in_its_box),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_emoji),
		cmocka_unit_test(test_mixed_width),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_mounting),
		cmocka_unit_test(test_qr_decodes),
		cmocka_unit_test(test_png_out),
		cmocka_unit_test(test_hostile_text),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	if (failed == 0 && !fonts_present())
		return 77; /* ctest shows it as skipped, with the reason printed */
	return failed;
}
