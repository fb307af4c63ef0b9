/* draw_list: growable op and string buffers with hard caps, so a runaway
 * layout (a feed with 50 000 sessions) costs a dropped op, not the kiosk. */
#include "draw_list.h"

#include <stdlib.h>
#include <string.h>

void draw_list_init(struct draw_list *dl, int width, int height, struct draw_color bg)
{
	memset(dl, 0, sizeof(*dl));
	draw_list_reset(dl, width, height, bg);
}

void draw_list_finish(struct draw_list *dl)
{
	free(dl->ops);
	free(dl->strings);
	memset(dl, 0, sizeof(*dl));
}

void draw_list_reset(struct draw_list *dl, int width, int height, struct draw_color bg)
{
	dl->width = width;
	dl->height = height;
	dl->background = bg;
	dl->n = 0;
	dl->str_len = 0;
	dl->overflow = false;
}

static struct draw_op *push(struct draw_list *dl)
{
	if (dl->n == dl->cap) {
		size_t cap = dl->cap ? dl->cap * 2 : 256;
		if (cap > DRAW_LIST_MAX_OPS)
			cap = DRAW_LIST_MAX_OPS;
		struct draw_op *ops = dl->n < cap ? realloc(dl->ops, cap * sizeof(*ops)) : NULL;
		if (!ops) {
			dl->overflow = true;
			return NULL;
		}
		dl->ops = ops;
		dl->cap = cap;
	}
	struct draw_op *op = &dl->ops[dl->n++];
	memset(op, 0, sizeof(*op));
	return op;
}

void draw_list_rect(struct draw_list *dl, int x, int y, int w, int h, struct draw_color c)
{
	if (w <= 0 || h <= 0 || x >= dl->width || y >= dl->height || x + w <= 0 || y + h <= 0)
		return;
	struct draw_op *op = push(dl);
	if (!op)
		return;
	op->kind = DRAW_RECT;
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->color = c;
}

static bool store_text(struct draw_list *dl, const char *text, size_t len, size_t *off)
{
	if (dl->str_len + len + 1 > dl->str_cap) {
		size_t cap = dl->str_cap ? dl->str_cap : 4096;
		while (cap < dl->str_len + len + 1)
			cap *= 2;
		if (cap > DRAW_LIST_MAX_TEXT)
			return false;
		char *s = realloc(dl->strings, cap);
		if (!s)
			return false;
		dl->strings = s;
		dl->str_cap = cap;
	}
	*off = dl->str_len;
	memcpy(dl->strings + dl->str_len, text, len);
	dl->strings[dl->str_len + len] = '\0';
	dl->str_len += len + 1;
	return true;
}

void draw_list_text(struct draw_list *dl, int x, int y, int w, int h, enum draw_font font,
		    int size_px, struct draw_color c, const char *text, size_t len)
{
	if (len == SIZE_MAX)
		len = strlen(text);
	if (len == 0 || y >= dl->height || y + h <= 0 || x >= dl->width)
		return;
	size_t off;
	if (!store_text(dl, text, len, &off)) {
		dl->overflow = true;
		return;
	}
	struct draw_op *op = push(dl);
	if (!op) {
		dl->str_len = off;
		return;
	}
	op->kind = DRAW_TEXT;
	op->x = x;
	op->y = y;
	op->w = w;
	op->h = h;
	op->color = c;
	op->text_off = off;
	op->text_len = len;
	op->size_px = size_px;
	op->font = font;
}

const char *draw_list_text_of(const struct draw_list *dl, const struct draw_op *op)
{
	return dl->strings + op->text_off;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

uint64_t draw_list_hash(const struct draw_list *dl)
{
	uint64_t h = 1469598103934665603ULL;
	int32_t head[2] = {dl->width, dl->height};
	h = mix(h, head, sizeof(head));
	h = mix(h, &dl->background, sizeof(dl->background));
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *op = &dl->ops[i];
		int32_t f[8] = {(int32_t)op->kind,
				op->x,
				op->y,
				op->w,
				op->h,
				op->size_px,
				(int32_t)op->font,
				(int32_t)(op->color.r << 16 | op->color.g << 8 | op->color.b)};
		h = mix(h, f, sizeof(f));
		if (op->kind == DRAW_TEXT)
			h = mix(h, dl->strings + op->text_off, op->text_len);
	}
	return h;
}

char *draw_list_texts(const struct draw_list *dl)
{
	size_t len = 1;
	for (size_t i = 0; i < dl->n; i++)
		if (dl->ops[i].kind == DRAW_TEXT)
			len += dl->ops[i].text_len + 1;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *op = &dl->ops[i];
		if (op->kind != DRAW_TEXT)
			continue;
		memcpy(p, dl->strings + op->text_off, op->text_len);
		p += op->text_len;
		*p++ = '\n';
	}
	*p = '\0';
	return out;
}
