/* layout_check: the draw-list questions every layout test asks. */
#include "layout_check.h"

#include "test_util.h"

#include "board.h"
#include "layout.h"
#include "room_board.h"

#include <stdlib.h>
#include <string.h>

const struct layout_check_size layout_check_sizes[LAYOUT_CHECK_SIZES] = {
	{1920, 1080}, {3840, 2160}, {1080, 1920}, {1280, 720}};

static int fake_width(void *ctx, enum draw_font font, int size, const char *s, size_t len)
{
	(void)ctx;
	(void)font;
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n * size / 2;
}

static int fake_line_height(void *ctx, enum draw_font font, int size)
{
	(void)ctx;
	(void)font;
	return size * 5 / 4;
}

struct text_metrics layout_check_metrics(void)
{
	return (struct text_metrics){NULL, fake_width, fake_line_height};
}

const char *layout_check_text(const struct draw_list *dl, size_t i)
{
	return dl->ops[i].kind == DRAW_TEXT ? draw_list_text_of(dl, &dl->ops[i]) : NULL;
}

size_t layout_check_find_prefix(const struct draw_list *dl, const char *prefix)
{
	for (size_t i = 0; i < dl->n; i++)
		if (dl->ops[i].kind == DRAW_TEXT &&
		    strncmp(draw_list_text_of(dl, &dl->ops[i]), prefix, strlen(prefix)) == 0)
			return i;
	return SIZE_MAX;
}

size_t layout_check_find(const struct draw_list *dl, const char *needle, size_t from)
{
	for (size_t i = from; i < dl->n; i++)
		if (dl->ops[i].kind == DRAW_TEXT && strstr(layout_check_text(dl, i), needle))
			return i;
	return SIZE_MAX;
}

void layout_check_expect(const struct draw_list *dl, const char *needle, const char *where)
{
	if (layout_check_find(dl, needle, 0) == SIZE_MAX) {
		print_message("%dx%d frame:\n", dl->width, dl->height);
		for (size_t i = 0; i < dl->n; i++)
			if (dl->ops[i].kind == DRAW_TEXT)
				print_message("  %s\n", layout_check_text(dl, i));
		fail_msg("%s: no text with '%s' (frame above)", where, needle);
	}
}

static bool intersect(const struct draw_op *a, const struct draw_op *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

int layout_check_geometry(const struct draw_list *dl, const char *where, int64_t tick)
{
	int bad = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *o = &dl->ops[i];
		if (o->kind != DRAW_TEXT)
			continue;
		if (o->x < 0 || o->y < 0 || o->x + o->w > dl->width || o->y + o->h > dl->height) {
			if (bad++ < 12)
				print_message("%s %dx%d page %lld: '%s' at %d,%d %dx%d leaves the "
					      "screen\n",
					      where, dl->width, dl->height, (long long)tick,
					      layout_check_text(dl, i), o->x, o->y, o->w, o->h);
		}
		for (size_t k = i + 1; k < dl->n; k++) {
			const struct draw_op *p = &dl->ops[k];
			if (p->kind != DRAW_TEXT || !intersect(o, p))
				continue;
			if (bad++ < 12)
				print_message("%s %dx%d page %lld: '%s' (%d,%d %dx%d) overlaps "
					      "'%s' (%d,%d %dx%d)\n",
					      where, dl->width, dl->height, (long long)tick,
					      layout_check_text(dl, i), o->x, o->y, o->w, o->h,
					      layout_check_text(dl, k), p->x, p->y, p->w, p->h);
		}
	}
	return bad;
}

static void board_text(struct board *b, const char *rel, int64_t now_ms, bool baseline)
{
	size_t len;
	char *t = test_fixture(rel, &len);
	struct feed_error e = {{0}};
	if ((baseline && !board_set_baseline(b, t, len, NULL, &e)) ||
	    !board_load(b, t, len, NULL, now_ms, NULL, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(t);
}

void layout_check_demo(struct board *b, int64_t seen_ms)
{
	board_text(b, "../../assets/demo/paris-2014.schedule.json", seen_ms - 3600000, true);
	board_text(b, "../../assets/demo/paris-2014-v2.schedule.json", seen_ms, false);
}

struct room_board *layout_check_rooms(const char *rel, const struct schedule *s,
				      const struct kiosk_config *cfg, int64_t now_ms)
{
	size_t len;
	char *t = test_fixture(rel, &len);
	struct room_board *rb = room_board_create();
	struct feed_error e = {{0}};
	if (!rb || !room_board_load(rb, t, len, NULL, &e))
		fail_msg("%s: %s", rel, e.msg);
	free(t);
	room_board_update(rb, s, cfg, now_ms);
	return rb;
}

void layout_check_frame(const struct kiosk_config *cfg, const struct board *b, int w, int h,
			int64_t now_ms, const struct layout_feed *f, const struct qr_code *q,
			struct draw_list *dl)
{
	struct layout_input in = {
		.cfg = cfg,
		.board = b,
		.tm = layout_check_metrics(),
		.width = w,
		.height = h,
		.now_ms = now_ms,
		.feed = f ? *f
			  : (struct layout_feed){.have = true,
						 .age_s = 20,
						 .received_ms = now_ms - 20000},
		.mobile_qr = q,
	};
	struct layout_result res;
	draw_list_init(dl, w, h, (struct draw_color){0, 0, 0});
	layout_build(&in, dl, &res);
	assert_false(dl->overflow);
}
