/* render: executes a draw list with SDL2 and SDL2_ttf. Every line of text
 * becomes one cached texture; code points the main font lacks are drawn with
 * the fallback font on the same baseline, emoji with the colour emoji font;
 * an idle kiosk redraws from the cache.
 *
 * Emoji: the text is cut into clusters (an emoji with its variation selector,
 * skin tone, tags, keycap, the emoji joined to it by ZWJ; two regional
 * indicators). A cluster in emoji style whose first code point the emoji font
 * has goes to it whole, so SDL_ttf's HarfBuzz shaping makes one picture of a
 * flag or a ZWJ sequence the font knows, and draws its parts side by side
 * when it knows only them. Other clusters fall back code point by code point;
 * without the emoji font a flag is its two letters (FR), and the invisible
 * joiners and selectors are dropped rather than drawn as boxes. Noto Color
 * Emoji is a bitmap font of one size (109 ppem): its pictures are scaled (area
 * average) to the main font's height.
 *
 * Line box: a line of text at size px is TTF_FontLineSkip (or the ascent +
 * descent, when larger) of its main font tall, with the baseline TTF_FontAscent
 * below its top. Fallback runs sit on that baseline; any ink outside the box
 * (DroidSansFallback's CJK stays inside DejaVu's, measured) is clipped, so a
 * line never overflows the box layout gave it, and lines keep their place
 * whether or not they need the fallback. */
#include "render.h"

#include <SDL_ttf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	FACE_FALLBACK = FONT_COUNT, /* faces: regular, bold, then the fallback */
	FACES,
	EMOJI_OPEN_PX = 109, /* Noto Color Emoji's one strike; a scalable font is
			      * opened at it too and scaled like the bitmaps */
	SLOTS = 16,          /* pixel sizes with open fonts at once */
	MIN_PX = 4,
	MAX_PX = 512,
	MAX_TEXT_BYTES = 16384, /* a longer line is measured and drawn cut here */
	MAX_TEXT_W = 8192,      /* wider than any screen: the rest is never seen */
	WIDTH_SLOTS = 16384,    /* direct-mapped cache of measured widths (wrapping measures
				 * many prefixes of each title: 1024 thrashed) */
	WIDTH_TEXT = 100,       /* longer strings are measured every time */
	TEXT_BUCKETS = 4096,
	TEXT_MAX_ENTRIES = 4096,
	/* a texture unused for this many presented frames is dropped: a kiosk
	 * presents a few frames a minute, so this keeps the page on screen and
	 * lets the others go (a page turn re-renders its text in ~2 ms; holding
	 * every page of a 30-room board would cost megabytes for days) */
	STALE_FRAMES = 8,
};

/* Texture bytes kept for text; least recently used go first past it. */
#define TEXT_BUDGET ((size_t)24 << 20)

struct size_slot {
	int px;        /* 0: free */
	uint64_t used; /* r->tick at last use: the least recent is reused */
	TTF_Font *face[FACES];
	bool failed[FACES]; /* opening failed once: not retried on every call */
};

struct width_entry {
	uint64_t hash;
	int width;
	uint16_t len; /* 0: empty */
	uint16_t px;
	uint8_t font;
	char text[WIDTH_TEXT];
};

struct text_entry {
	uint64_t hash;
	char *text; /* owned copy of the key's bytes */
	size_t len;
	int px, w, h;
	enum draw_font font;
	struct draw_color color;
	SDL_Texture *tex;
	size_t bytes;
	uint64_t frame;       /* last frame that drew it */
	int32_t chain;        /* next in bucket, or in the free list */
	int32_t newer, older; /* LRU list */
};

struct renderer {
	SDL_Renderer *sdl;
	char *path[FACES]; /* owned copies; path[FACE_FALLBACK] may be NULL */
	char *emoji_path;  /* owned; NULL for none */
	TTF_Font *emoji;   /* one instance: its pictures are scaled to each size */
	bool emoji_failed;
	struct size_slot slot[SLOTS];
	uint64_t tick;
	char *scratch; /* one run of re-encoded UTF-8, NUL-terminated for SDL_ttf */
	size_t scratch_cap;
	struct width_entry *widths;
	struct text_entry *te;
	int32_t te_cap, te_used, te_free;
	int32_t bucket[TEXT_BUCKETS];
	int32_t newest, oldest;
	size_t bytes, entries;
	uint64_t frame;
	SDL_Texture *turn; /* the unturned frame when rotation != 0 */
	int turn_w, turn_h;
	int max_w, max_h; /* largest texture the renderer takes */
	struct render_stats stats;
	char font_err[256]; /* a font that failed to open after create */
};

static void set_err(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t cap, const char *fmt, ...)
{
	if (!err || cap == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

/* ---- UTF-8 ---- */

/* The code point at s[*i] (i < len), advancing *i. Invalid, truncated,
 * overlong and surrogate sequences read as U+FFFD one byte at a time, so
 * measuring and drawing see the same valid text whatever came in. */
static uint32_t utf8_next(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[*i];
	uint32_t cp, min;
	size_t n;
	if (c < 0x80) {
		(*i)++;
		return c;
	} else if ((c & 0xE0) == 0xC0) {
		n = 1, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, cp = c & 0x07, min = 0x10000;
	} else {
		(*i)++;
		return 0xFFFD;
	}
	if (len - *i <= n) {
		(*i)++;
		return 0xFFFD;
	}
	for (size_t k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = cp << 6 | (s[*i + k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
	    cp == 0xFFFF) {
		(*i)++;
		return 0xFFFD;
	}
	*i += n + 1;
	return cp;
}

static size_t utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t key_hash(enum draw_font font, int px, const struct draw_color *c, const char *s,
			 size_t len)
{
	uint32_t head[3] = {(uint32_t)font, (uint32_t)px,
			    c ? (uint32_t)(c->r << 16 | c->g << 8 | c->b) : 0};
	return fnv(fnv(1469598103934665603ULL, head, sizeof(head)), s, len);
}

/* ---- fonts, one instance per (face, pixel size), opened on first use ---- */

static int clamp_px(int px)
{
	return px < MIN_PX ? MIN_PX : px > MAX_PX ? MAX_PX : px;
}

static enum draw_font clamp_font(enum draw_font f)
{
	return (unsigned)f < (unsigned)FONT_COUNT ? f : FONT_REGULAR;
}

static void slot_close(struct size_slot *s)
{
	for (int f = 0; f < FACES; f++)
		if (s->face[f])
			TTF_CloseFont(s->face[f]);
	memset(s, 0, sizeof(*s));
}

static struct size_slot *slot_for(struct renderer *r, int px)
{
	struct size_slot *pick = &r->slot[0];
	for (int i = 0; i < SLOTS; i++) {
		struct size_slot *s = &r->slot[i];
		if (s->px == px) {
			s->used = ++r->tick;
			return s;
		}
		if (pick->px != 0 && (s->px == 0 || s->used < pick->used))
			pick = s;
	}
	slot_close(pick);
	pick->px = px;
	pick->used = ++r->tick;
	return pick;
}

static TTF_Font *face_at(struct renderer *r, struct size_slot *s, int face)
{
	if (!s->face[face] && !s->failed[face] && r->path[face]) {
		s->face[face] = TTF_OpenFont(r->path[face], s->px);
		if (!s->face[face]) {
			s->failed[face] = true;
			set_err(r->font_err, sizeof(r->font_err),
				"cannot open font %s at %d px: %s", r->path[face], s->px,
				TTF_GetError());
		}
	}
	return s->face[face];
}

static bool scratch_reserve(struct renderer *r, size_t n)
{
	if (n <= r->scratch_cap)
		return true;
	size_t cap = r->scratch_cap ? r->scratch_cap : 256;
	while (cap < n)
		cap *= 2;
	char *p = realloc(r->scratch, cap);
	if (!p)
		return false;
	r->scratch = p;
	r->scratch_cap = cap;
	return true;
}

/* One run's face: its pictures are scaled by num/den (1/1 but for emoji). */
struct face_use {
	TTF_Font *font;
	int num, den;
};

static int scaled(const struct face_use *f, int v)
{
	if (f->num == f->den)
		return v;
	return (int)(((int64_t)v * f->num + f->den / 2) / f->den);
}

/* Called for each run of text one face draws, as NUL-terminated valid UTF-8
 * (r->scratch, writable up to n); false stops. */
typedef bool run_fn(const struct face_use *face, char *run, size_t n, void *ctx);

static TTF_Font *emoji_face(struct renderer *r)
{
	if (!r->emoji && !r->emoji_failed && r->emoji_path) {
		r->emoji = TTF_OpenFont(r->emoji_path, EMOJI_OPEN_PX);
		if (!r->emoji) {
			r->emoji_failed = true;
			set_err(r->font_err, sizeof(r->font_err), "cannot open font %s: %s",
				r->emoji_path, TTF_GetError());
		}
	}
	return r->emoji;
}

/* ---- emoji clusters ---- */

static bool is_regional(uint32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Belongs to the emoji before it: variation selectors, skin tones, tags,
 * the keycap. */
static bool is_emoji_mark(uint32_t cp)
{
	return cp == 0xFE0E || cp == 0xFE0F || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
	       (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3;
}

/* Never drawn on their own: without the emoji font they would be boxes. */
static bool is_invisible_mark(uint32_t cp)
{
	return cp == 0x200D || cp == 0xFE0E || cp == 0xFE0F || (cp >= 0xE0020 && cp <= 0xE007F);
}

/* Shown as emoji when nothing asks otherwise (Unicode's Emoji_Presentation,
 * by block for the pictographs; the few of the BMP one by one). */
static bool emoji_by_default(uint32_t cp)
{
	static const uint32_t bmp[][2] = {
		{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
		{0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
		{0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE},
		{0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
		{0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
		{0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C},
		{0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
		{0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50},
		{0x2B55, 0x2B55},
	};
	if (cp >= 0x1F300 && cp <= 0x1FAFF)
		return true;
	if (is_regional(cp) || cp == 0x1F004 || cp == 0x1F0CF || cp == 0x1F18E ||
	    (cp >= 0x1F191 && cp <= 0x1F19A))
		return true;
	for (size_t k = 0; k < sizeof(bmp) / sizeof(*bmp); k++)
		if (cp >= bmp[k][0] && cp <= bmp[k][1])
			return true;
	return false;
}

/* The cluster starting at s[*i]: its code points into cps (at most cap; the
 * rest of an absurd cluster is read and dropped), *i advanced past it.
 * *emoji: written in emoji style (a selector, joiner, skin tone, tag, keycap
 * or flag asks for it, or the first code point is an emoji by default) and
 * not asked as text (FE0E). */
static size_t read_cluster(const char *s, size_t len, size_t *i, uint32_t *cps, size_t cap,
			   bool *emoji)
{
	size_t n = 0;
	uint32_t base = utf8_next(s, len, i);
	cps[n++] = base;
	bool styled = emoji_by_default(base), text = false;
	if (is_regional(base) && *i < len) {
		size_t j = *i;
		uint32_t next = utf8_next(s, len, &j);
		if (is_regional(next)) {
			cps[n++] = next;
			*i = j;
		}
	}
	while (*i < len) {
		size_t j = *i;
		uint32_t next = utf8_next(s, len, &j);
		if (next == 0x200D && j < len) {
			uint32_t joined = utf8_next(s, len, &j);
			if (n + 2 <= cap) {
				cps[n++] = next;
				cps[n++] = joined;
			}
			styled = true;
		} else if (is_emoji_mark(next)) {
			if (n < cap)
				cps[n++] = next;
			if (next == 0xFE0E)
				text = true;
			else
				styled = true;
		} else {
			break;
		}
		*i = j;
	}
	*emoji = styled && !text;
	return n;
}

struct runs {
	struct renderer *r;
	run_fn *fn;
	void *ctx;
	struct face_use cur;
	size_t n;
};

static bool runs_flush(struct runs *rs)
{
	if (rs->n == 0)
		return true;
	rs->r->scratch[rs->n] = '\0';
	size_t n = rs->n;
	rs->n = 0;
	return rs->fn(&rs->cur, rs->r->scratch, n, rs->ctx);
}

static bool runs_put(struct runs *rs, const struct face_use *face, uint32_t cp)
{
	if ((face->font != rs->cur.font) && !runs_flush(rs))
		return false;
	rs->cur = *face;
	rs->n += utf8_put(rs->r->scratch + rs->n, cp);
	return true;
}

/* The faces a text's runs are drawn with (a font NULL when there is none). */
struct run_faces {
	struct face_use plain, fallback, emoji;
};

static bool has_glyph(TTF_Font *font, uint32_t cp)
{
	return font && TTF_GlyphIsProvided32(font, cp);
}

/* The emoji font, scaled to the main font's height, when the text may need
 * it: every emoji and joiner is U+2000 or above (a lead byte of 0xE2 or
 * more), so Latin text never opens the 10 MB emoji font. */
static struct face_use emoji_use(struct renderer *r, TTF_Font *main_font, const char *s, size_t len)
{
	struct face_use emoji = {NULL, 1, 1};
	bool high = false;
	for (size_t i = 0; i < len && !high; i++)
		high = (unsigned char)s[i] >= 0xE2;
	if (high && (emoji.font = emoji_face(r)) != NULL) {
		emoji.num = TTF_FontHeight(main_font);
		emoji.den = TTF_FontHeight(emoji.font) > 0 ? TTF_FontHeight(emoji.font) : 1;
	}
	return emoji;
}

/* One code point's face: the main font, the fallback, the emoji font; none
 * has it: the main font, which draws its .notdef box. */
static const struct face_use *face_for(const struct run_faces *f, uint32_t cp)
{
	if (TTF_GlyphIsProvided32(f->plain.font, cp))
		return &f->plain;
	if (has_glyph(f->fallback.font, cp))
		return &f->fallback;
	if (has_glyph(f->emoji.font, cp))
		return &f->emoji;
	return &f->plain;
}

/* A cluster code point by code point: its joiners, selectors and tags are
 * dropped rather than drawn as boxes, a flag no font draws is its letters. */
static bool put_code_points(struct runs *rs, const struct run_faces *f, const uint32_t *cps,
			    size_t n)
{
	for (size_t k = 0; k < n; k++) {
		uint32_t cp = cps[k];
		if (cp == 0 || (n > 1 && is_invisible_mark(cp)))
			continue;
		if (is_regional(cp) && !has_glyph(f->emoji.font, cp))
			cp = 'A' + (cp - 0x1F1E6); /* a flag no font draws: its letters */
		if (!runs_put(rs, face_for(f, cp), cp))
			return false;
	}
	return true;
}

/* An emoji cluster whose first code point the emoji font has goes to it
 * whole, so that shaping draws a sequence it knows as one picture. */
static bool put_cluster(struct runs *rs, const struct run_faces *f, const uint32_t *cps, size_t n,
			bool styled)
{
	if (!styled || !cps[0] || !has_glyph(f->emoji.font, cps[0]))
		return put_code_points(rs, f, cps, n);
	for (size_t k = 0; k < n; k++)
		if (!runs_put(rs, &f->emoji, cps[k]))
			return false;
	return true;
}

/* Splits s into runs of one face each: emoji clusters to the emoji font
 * (scaled to the main font's height), then code point by code point the main
 * font, the fallback, the emoji font; code points none has stay with the
 * main font, which draws its .notdef box. False when the main font cannot be
 * opened, or fn said so. */
static bool each_run(struct renderer *r, struct size_slot *slot, enum draw_font font, const char *s,
		     size_t len, run_fn *fn, void *ctx)
{
	TTF_Font *main_font = face_at(r, slot, font);
	if (!main_font)
		return false;
	if (len > MAX_TEXT_BYTES)
		len = MAX_TEXT_BYTES;
	/* each input byte becomes at most 3 (a lone bad byte turns into U+FFFD) */
	if (!scratch_reserve(r, len * 3 + 1))
		return false;
	struct run_faces faces = {{main_font, 1, 1}, {NULL, 1, 1}, {NULL, 1, 1}};
	if (r->path[FACE_FALLBACK])
		faces.fallback.font = face_at(r, slot, FACE_FALLBACK);
	faces.emoji = emoji_use(r, main_font, s, len);
	struct runs rs = {r, fn, ctx, faces.plain, 0};
	uint32_t cps[32];
	for (size_t i = 0; i < len;) {
		bool styled;
		size_t n = read_cluster(s, len, &i, cps, sizeof(cps) / sizeof(*cps), &styled);
		if (!put_cluster(&rs, &faces, cps, n, styled))
			return false;
	}
	return runs_flush(&rs);
}

/* ---- metrics ---- */

static bool add_width(const struct face_use *face, char *run, size_t n, void *ctx)
{
	(void)n;
	int w = 0, *sum = ctx;
	if (TTF_SizeUTF8(face->font, run, &w, NULL) != 0)
		return false;
	w = scaled(face, w);
	*sum = w > INT_MAX / 2 - *sum ? INT_MAX / 2 : *sum + w;
	return true;
}

static int measure(struct renderer *r, enum draw_font font, int px, const char *s, size_t len)
{
	if (len == 0)
		return 0;
	font = clamp_font(font);
	px = clamp_px(px);
	uint64_t h = key_hash(font, px, NULL, s, len);
	struct width_entry *e = NULL;
	if (len <= WIDTH_TEXT) {
		e = &r->widths[h & (WIDTH_SLOTS - 1)];
		if (e->hash == h && e->len == len && e->px == px && e->font == font &&
		    memcmp(e->text, s, len) == 0)
			return e->width;
	}
	int w = 0;
	if (!each_run(r, slot_for(r, px), font, s, len, add_width, &w))
		return w; /* not cached: a later call may do better */
	if (e) {
		e->hash = h;
		e->width = w;
		e->len = (uint16_t)len;
		e->px = (uint16_t)px;
		e->font = (uint8_t)font;
		memcpy(e->text, s, len);
	}
	return w;
}

static int line_height(struct renderer *r, enum draw_font font, int px)
{
	px = clamp_px(px);
	TTF_Font *f = face_at(r, slot_for(r, px), clamp_font(font));
	if (!f)
		return px + px / 4;
	int skip = TTF_FontLineSkip(f), height = TTF_FontHeight(f);
	return skip > height ? skip : height;
}

static int metrics_width(void *ctx, enum draw_font font, int size_px, const char *s, size_t len)
{
	return measure(ctx, font, size_px, s, len);
}

static int metrics_line_height(void *ctx, enum draw_font font, int size_px)
{
	return line_height(ctx, font, size_px);
}

struct text_metrics render_metrics(struct renderer *r)
{
	struct text_metrics m = {r, metrics_width, metrics_line_height};
	return m;
}

/* ---- composing a line from its runs ---- */

struct compose {
	SDL_Surface *dst;
	SDL_Color fg;
	int x, baseline, limit;
	bool cut; /* the line is wider than limit: runs are cut to fit */
	char err[256];
};

/* How far the run's surface starts above the font's ascent: SDL_ttf grows the
 * surface upwards for a glyph taller than the ascent (it does not say by how
 * much, so it is worked out from the glyphs' tops). */
static int rise_above_ascent(TTF_Font *font, const SDL_Surface *s, const char *run, size_t n)
{
	if (s->h <= TTF_FontHeight(font))
		return 0;
	int ascent = TTF_FontAscent(font), top = ascent;
	for (size_t i = 0; i < n;) {
		int maxy;
		if (TTF_GlyphMetrics32(font, utf8_next(run, n, &i), NULL, NULL, NULL, &maxy,
				       NULL) == 0 &&
		    maxy > top)
			top = maxy;
	}
	return top - ascent;
}

/* Shortens run to the code points that fit in room pixels, plus a couple for
 * the glyph cut at the edge (and ligatures, which SDL_ttf counts as one). */
static void cut_run(TTF_Font *font, char *run, size_t *n, int room)
{
	int extent = 0, count = 0;
	if (TTF_MeasureUTF8(font, run, room, &extent, &count) != 0)
		return;
	size_t i = 0;
	for (int k = 0; k < count + 2 && i < *n; k++)
		utf8_next(run, *n, &i);
	run[i] = '\0';
	*n = i;
}

/* Copies src (ARGB8888) into dst's (ARGB8888) rectangle at (x, y) of w x h,
 * each pixel the average of the source pixels it covers (weighted by alpha,
 * so transparent edges do not darken), clipped to dst. */
static void paste_scaled(const SDL_Surface *src, SDL_Surface *dst, int x, int y, int w, int h)
{
	if (w <= 0 || h <= 0)
		return;
	for (int oy = y < 0 ? 0 : y; oy < y + h && oy < dst->h; oy++) {
		int sy0 = (int)((int64_t)(oy - y) * src->h / h);
		int sy1 = (int)(((int64_t)(oy - y + 1) * src->h + h - 1) / h);
		Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)oy * (size_t)dst->pitch);
		for (int ox = x < 0 ? 0 : x; ox < x + w && ox < dst->w; ox++) {
			int sx0 = (int)((int64_t)(ox - x) * src->w / w);
			int sx1 = (int)(((int64_t)(ox - x + 1) * src->w + w - 1) / w);
			uint64_t a = 0, rr = 0, gg = 0, bb = 0, count = 0;
			for (int sy = sy0; sy < sy1; sy++) {
				const Uint32 *in =
					(const Uint32 *)((const Uint8 *)src->pixels +
							 (size_t)sy * (size_t)src->pitch);
				for (int sx = sx0; sx < sx1; sx++) {
					Uint32 p = in[sx], pa = p >> 24;
					a += pa;
					rr += pa * (p >> 16 & 0xFF);
					gg += pa * (p >> 8 & 0xFF);
					bb += pa * (p & 0xFF);
					count++;
				}
			}
			if (count == 0)
				continue;
			Uint32 pa = (Uint32)(a / count);
			Uint32 pr = a ? (Uint32)(rr / a) : 0, pg = a ? (Uint32)(gg / a) : 0,
			       pb = a ? (Uint32)(bb / a) : 0;
			out[ox] = pa << 24 | pr << 16 | pg << 8 | pb;
		}
	}
}

static bool blit_run(const struct face_use *face, char *run, size_t n, void *ctx)
{
	struct compose *c = ctx;
	TTF_Font *font = face->font;
	if (c->x >= c->limit)
		return true; /* past the right edge: nothing of it is kept */
	if (c->cut)          /* the room in the font's own pixels */
		cut_run(font, run, &n,
			(int)((int64_t)(c->limit - c->x) * face->den /
			      (face->num ? face->num : 1)));
	SDL_Surface *s = TTF_RenderUTF8_Blended(font, run, c->fg);
	if (!s) {
		int w = 0;
		if (TTF_SizeUTF8(font, run, &w, NULL) == 0 && w == 0)
			return true; /* zero-width marks only: nothing to draw */
		set_err(c->err, sizeof(c->err), "SDL_ttf: %s", TTF_GetError());
		return false;
	}
	int top = c->baseline -
		  scaled(face, TTF_FontAscent(font) + rise_above_ascent(font, s, run, n));
	bool ok;
	int w = scaled(face, s->w);
	if (face->num == face->den) {
		SDL_Rect to = {c->x, top, s->w, s->h};
		/* runs never overlap: copy the pixels, alpha included */
		SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
		ok = SDL_BlitSurface(s, NULL, c->dst, &to) == 0;
		if (!ok)
			set_err(c->err, sizeof(c->err), "SDL: %s", SDL_GetError());
	} else {
		SDL_Surface *argb =
			s->format->format == SDL_PIXELFORMAT_ARGB8888
				? s
				: SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
		ok = argb != NULL && SDL_LockSurface(c->dst) == 0;
		if (ok) {
			paste_scaled(argb, c->dst, c->x, top, w, scaled(face, s->h));
			SDL_UnlockSurface(c->dst);
		} else {
			set_err(c->err, sizeof(c->err), "SDL: %s", SDL_GetError());
		}
		if (argb && argb != s)
			SDL_FreeSurface(argb);
	}
	c->x += w;
	SDL_FreeSurface(s);
	return ok;
}

/* Makes *out, a texture of the line (owned by the caller) of *w x *h pixels;
 * *out is NULL when the line has nothing to draw. False with err filled. */
static bool make_texture(struct renderer *r, enum draw_font font, int px, struct draw_color color,
			 const char *text, size_t len, SDL_Texture **out, int *w, int *h, char *err,
			 size_t err_cap)
{
	*out = NULL;
	*w = *h = 0;
	int width = measure(r, font, px, text, len);
	struct size_slot *slot = slot_for(r, px);
	TTF_Font *main_font = face_at(r, slot, font);
	if (!main_font) {
		set_err(err, err_cap, "render: %s", r->font_err);
		return false;
	}
	if (width <= 0)
		return true;
	int height = line_height(r, font, px);
	int limit = r->max_w > 0 && r->max_w < MAX_TEXT_W ? r->max_w : MAX_TEXT_W;
	if (r->max_h > 0 && height > r->max_h)
		height = r->max_h;
	struct compose c = {
		.fg = {color.r, color.g, color.b, 255},
		.baseline = TTF_FontAscent(main_font),
		.limit = limit,
		.cut = width > limit,
	};
	c.dst = SDL_CreateRGBSurfaceWithFormat(0, width < limit ? width : limit, height, 32,
					       SDL_PIXELFORMAT_ARGB8888);
	if (!c.dst) {
		set_err(err, err_cap, "render: text surface %dx%d: %s", width, height,
			SDL_GetError());
		return false;
	}
	/* transparent in the text's colour, so filtered edges do not darken */
	SDL_FillRect(c.dst, NULL, SDL_MapRGBA(c.dst->format, color.r, color.g, color.b, 0));
	bool ok = false;
	if (!each_run(r, slot, font, text, len, blit_run, &c)) {
		set_err(err, err_cap, "render: drawing \"%.40s\" at %d px: %s", text, px,
			c.err[0] ? c.err : r->font_err);
	} else if (!(*out = SDL_CreateTextureFromSurface(r->sdl, c.dst))) {
		set_err(err, err_cap, "render: text texture %dx%d: %s", c.dst->w, c.dst->h,
			SDL_GetError());
	} else {
		SDL_SetTextureBlendMode(*out, SDL_BLENDMODE_BLEND);
		*w = c.dst->w;
		*h = c.dst->h;
		ok = true;
	}
	SDL_FreeSurface(c.dst);
	return ok;
}

/* ---- the text texture cache: chained hash table plus an LRU list ---- */

static void lru_unlink(struct renderer *r, int32_t i)
{
	struct text_entry *e = &r->te[i];
	if (e->newer >= 0)
		r->te[e->newer].older = e->older;
	else
		r->newest = e->older;
	if (e->older >= 0)
		r->te[e->older].newer = e->newer;
	else
		r->oldest = e->newer;
}

static void lru_push(struct renderer *r, int32_t i)
{
	struct text_entry *e = &r->te[i];
	e->newer = -1;
	e->older = r->newest;
	if (r->newest >= 0)
		r->te[r->newest].newer = i;
	r->newest = i;
	if (r->oldest < 0)
		r->oldest = i;
}

static void evict(struct renderer *r, int32_t i)
{
	struct text_entry *e = &r->te[i];
	int32_t *link = &r->bucket[e->hash & (TEXT_BUCKETS - 1)];
	while (*link != i)
		link = &r->te[*link].chain;
	*link = e->chain;
	lru_unlink(r, i);
	/* SDL flushes queued draws that use it before it goes */
	SDL_DestroyTexture(e->tex);
	free(e->text);
	r->bytes -= e->bytes;
	r->entries--;
	memset(e, 0, sizeof(*e));
	e->chain = r->te_free;
	r->te_free = i;
}

static int32_t find_text(const struct renderer *r, uint64_t h, enum draw_font font, int px,
			 struct draw_color c, const char *text, size_t len)
{
	for (int32_t i = r->bucket[h & (TEXT_BUCKETS - 1)]; i >= 0; i = r->te[i].chain) {
		const struct text_entry *e = &r->te[i];
		if (e->hash == h && e->len == len && e->px == px && e->font == font &&
		    e->color.r == c.r && e->color.g == c.g && e->color.b == c.b &&
		    memcmp(e->text, text, len) == 0)
			return i;
	}
	return -1;
}

/* A free entry for a texture of bytes, evicting the least recently used
 * until it fits the budget; -1 when memory runs out. */
static int32_t take_entry(struct renderer *r, size_t bytes)
{
	while (r->oldest >= 0 && (r->bytes + bytes > TEXT_BUDGET || r->entries >= TEXT_MAX_ENTRIES))
		evict(r, r->oldest);
	if (r->te_free >= 0) {
		int32_t i = r->te_free;
		r->te_free = r->te[i].chain;
		return i;
	}
	if (r->te_used == r->te_cap) {
		int32_t cap = r->te_cap ? r->te_cap * 2 : 64;
		struct text_entry *te = realloc(r->te, (size_t)cap * sizeof(*te));
		if (!te)
			return -1;
		r->te = te;
		r->te_cap = cap;
	}
	return r->te_used++;
}

static bool copy_texture(struct renderer *r, SDL_Texture *tex, int x, int y, int w, int h,
			 char *err, size_t err_cap)
{
	SDL_Rect dst = {x, y, w, h};
	if (SDL_RenderCopy(r->sdl, tex, NULL, &dst) != 0) {
		set_err(err, err_cap, "render: SDL_RenderCopy: %s", SDL_GetError());
		return false;
	}
	r->stats.texts_drawn++;
	return true;
}

static bool draw_text(struct renderer *r, const struct draw_list *dl, const struct draw_op *op,
		      char *err, size_t err_cap)
{
	const char *text = draw_list_text_of(dl, op);
	size_t len = op->text_len;
	enum draw_font font = clamp_font(op->font);
	int px = clamp_px(op->size_px);
	uint64_t h = key_hash(font, px, &op->color, text, len);
	int32_t i = find_text(r, h, font, px, op->color, text, len);
	if (i >= 0) {
		struct text_entry *e = &r->te[i];
		r->stats.cache_hits++;
		e->frame = r->frame;
		lru_unlink(r, i);
		lru_push(r, i);
		return copy_texture(r, e->tex, op->x, op->y, e->w, e->h, err, err_cap);
	}
	r->stats.cache_misses++;
	int w, th;
	SDL_Texture *tex;
	if (!make_texture(r, font, px, op->color, text, len, &tex, &w, &th, err, err_cap))
		return false;
	if (!tex)
		return true;
	size_t bytes = (size_t)w * (size_t)th * 4;
	char *copy = bytes <= TEXT_BUDGET ? malloc(len ? len : 1) : NULL;
	i = copy ? take_entry(r, bytes) : -1;
	if (i < 0) {
		/* too big to keep, or out of memory: drawn once, not cached */
		bool ok = copy_texture(r, tex, op->x, op->y, w, th, err, err_cap);
		SDL_DestroyTexture(tex);
		free(copy);
		return ok;
	}
	memcpy(copy, text, len);
	struct text_entry *e = &r->te[i];
	*e = (struct text_entry){
		.hash = h,
		.text = copy,
		.len = len,
		.px = px,
		.w = w,
		.h = th,
		.font = font,
		.color = op->color,
		.tex = tex,
		.bytes = bytes,
		.frame = r->frame,
	};
	int32_t *b = &r->bucket[h & (TEXT_BUCKETS - 1)];
	e->chain = *b;
	*b = i;
	lru_push(r, i);
	r->bytes += bytes;
	r->entries++;
	return copy_texture(r, tex, op->x, op->y, w, th, err, err_cap);
}

/* ---- frames ---- */

static bool draw_ops(struct renderer *r, const struct draw_list *dl, char *err, size_t err_cap)
{
	const struct draw_color bg = dl->background;
	if (SDL_SetRenderDrawBlendMode(r->sdl, SDL_BLENDMODE_NONE) != 0 ||
	    SDL_SetRenderDrawColor(r->sdl, bg.r, bg.g, bg.b, 255) != 0 ||
	    SDL_RenderClear(r->sdl) != 0) {
		set_err(err, err_cap, "render: clearing the frame: %s", SDL_GetError());
		return false;
	}
	/* one op failing (a text too big for the GPU) costs that op, not the frame;
	 * the first failure is reported */
	bool ok = true;
	char op_err[256];
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *op = &dl->ops[i];
		op_err[0] = '\0';
		bool done;
		if (op->kind == DRAW_RECT) {
			SDL_Rect rect = {op->x, op->y, op->w, op->h};
			done = SDL_SetRenderDrawColor(r->sdl, op->color.r, op->color.g, op->color.b,
						      255) == 0 &&
			       SDL_RenderFillRect(r->sdl, &rect) == 0;
			if (!done)
				set_err(op_err, sizeof(op_err), "render: rectangle: %s",
					SDL_GetError());
		} else {
			done = draw_text(r, dl, op, op_err, sizeof(op_err));
		}
		if (!done && ok) {
			ok = false;
			set_err(err, err_cap, "%s", op_err);
		}
	}
	return ok;
}

/* Drops textures no frame has drawn for a while, so memory follows what the
 * screen shows rather than what it once showed. */
static void drop_stale(struct renderer *r)
{
	while (r->oldest >= 0 && r->te[r->oldest].frame + STALE_FRAMES < r->frame)
		evict(r, r->oldest);
}

static bool turn_texture(struct renderer *r, int w, int h, char *err, size_t err_cap)
{
	if (r->turn && r->turn_w == w && r->turn_h == h)
		return true;
	if (r->turn)
		SDL_DestroyTexture(r->turn);
	r->turn =
		SDL_CreateTexture(r->sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, w, h);
	if (!r->turn) {
		set_err(err, err_cap, "render: %dx%d target texture for rotation: %s", w, h,
			SDL_GetError());
		return false;
	}
	r->turn_w = w;
	r->turn_h = h;
	SDL_SetTextureBlendMode(r->turn, SDL_BLENDMODE_NONE);
	SDL_SetTextureScaleMode(r->turn, SDL_ScaleModeNearest);
	return true;
}

static bool draw_turned(struct renderer *r, const struct draw_list *dl, int rotation, char *err,
			size_t err_cap)
{
	if (!SDL_RenderTargetSupported(r->sdl)) {
		set_err(err, err_cap,
			"render: rotation %d needs render targets, which this "
			"renderer lacks",
			rotation);
		return false;
	}
	if (!turn_texture(r, dl->width, dl->height, err, err_cap))
		return false;
	SDL_Texture *out = SDL_GetRenderTarget(r->sdl);
	int ow, oh;
	if (out ? SDL_QueryTexture(out, NULL, NULL, &ow, &oh) != 0
		: SDL_GetRendererOutputSize(r->sdl, &ow, &oh) != 0) {
		set_err(err, err_cap, "render: output size: %s", SDL_GetError());
		return false;
	}
	if (SDL_SetRenderTarget(r->sdl, r->turn) != 0) {
		set_err(err, err_cap, "render: SDL_SetRenderTarget: %s", SDL_GetError());
		return false;
	}
	bool ok = draw_ops(r, dl, err, err_cap);
	if (SDL_SetRenderTarget(r->sdl, out) != 0) {
		set_err(err, err_cap, "render: SDL_SetRenderTarget back: %s", SDL_GetError());
		return false;
	}
	/* The unturned frame, centred on the output, turned about its centre
	 * against the panel's mounting (SDL's angle is clockwise): an output of
	 * the turned size is covered exactly. */
	const struct draw_color bg = dl->background;
	SDL_FRect dst = {(float)(ow - dl->width) / 2.0f, (float)(oh - dl->height) / 2.0f,
			 (float)dl->width, (float)dl->height};
	if (SDL_SetRenderDrawColor(r->sdl, bg.r, bg.g, bg.b, 255) != 0 ||
	    SDL_RenderClear(r->sdl) != 0 ||
	    SDL_RenderCopyExF(r->sdl, r->turn, NULL, &dst, (double)(360 - rotation), NULL,
			      SDL_FLIP_NONE) != 0) {
		set_err(err, err_cap, "render: turning the frame by %d: %s", rotation,
			SDL_GetError());
		return false;
	}
	return ok;
}

bool render_frame(struct renderer *r, const struct draw_list *dl, int rotation, char *err,
		  size_t err_cap)
{
	if (err && err_cap)
		err[0] = '\0';
	if (rotation != 0 && rotation != 90 && rotation != 180 && rotation != 270) {
		set_err(err, err_cap, "render: rotation %d is not 0, 90, 180 or 270", rotation);
		return false;
	}
	if (dl->width <= 0 || dl->height <= 0) {
		set_err(err, err_cap, "render: empty screen %dx%d", dl->width, dl->height);
		return false;
	}
	r->frame++;
	bool ok;
	if (rotation == 0) {
		if (r->turn) { /* the screen was turned back: free its frame */
			SDL_DestroyTexture(r->turn);
			r->turn = NULL;
		}
		ok = draw_ops(r, dl, err, err_cap);
	} else {
		ok = draw_turned(r, dl, rotation, err, err_cap);
	}
	drop_stale(r);
	return ok;
}

void render_get_stats(const struct renderer *r, struct render_stats *out)
{
	*out = r->stats;
	out->cache_bytes = r->bytes;
	out->cache_entries = r->entries;
}

/* ---- life cycle ---- */

static bool font_opens(const char *path, char *err, size_t err_cap)
{
	TTF_Font *f = TTF_OpenFont(path, 16);
	if (!f) {
		set_err(err, err_cap, "render: cannot open font %s: %s", path, TTF_GetError());
		return false;
	}
	TTF_CloseFont(f);
	return true;
}

struct renderer *render_create(SDL_Renderer *sdl, const struct render_fonts *fonts, char *err,
			       size_t err_cap)
{
	if (!sdl || !fonts || !fonts->regular || !fonts->bold) {
		set_err(err, err_cap,
			"render: an SDL renderer and regular and bold fonts are "
			"needed");
		return NULL;
	}
	/* counted: each renderer's TTF_Quit pairs with its own TTF_Init */
	if (TTF_Init() != 0) {
		set_err(err, err_cap, "render: TTF_Init: %s", TTF_GetError());
		return NULL;
	}
	struct renderer *r = calloc(1, sizeof(*r));
	if (!r) {
		set_err(err, err_cap, "render: out of memory");
		TTF_Quit();
		return NULL;
	}
	r->sdl = sdl;
	r->te_free = r->newest = r->oldest = -1;
	for (int i = 0; i < TEXT_BUCKETS; i++)
		r->bucket[i] = -1;
	const char *paths[FACES] = {[FONT_REGULAR] = fonts->regular,
				    [FONT_BOLD] = fonts->bold,
				    [FACE_FALLBACK] = fonts->fallback};
	for (int f = 0; f < FACES; f++) {
		if (!paths[f])
			continue;
		if (!font_opens(paths[f], err, err_cap))
			goto fail;
		if (!(r->path[f] = strdup(paths[f]))) {
			set_err(err, err_cap, "render: out of memory");
			goto fail;
		}
	}
	if (fonts->emoji) {
		if (!font_opens(fonts->emoji, err, err_cap))
			goto fail;
		if (!(r->emoji_path = strdup(fonts->emoji))) {
			set_err(err, err_cap, "render: out of memory");
			goto fail;
		}
	}
	r->widths = calloc(WIDTH_SLOTS, sizeof(*r->widths));
	if (!r->widths) {
		set_err(err, err_cap, "render: out of memory");
		goto fail;
	}
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(sdl, &info) == 0) {
		r->max_w = info.max_texture_width;
		r->max_h = info.max_texture_height;
	}
	return r;
fail:
	render_destroy(r);
	return NULL;
}

void render_destroy(struct renderer *r)
{
	if (!r)
		return;
	while (r->oldest >= 0)
		evict(r, r->oldest);
	if (r->turn)
		SDL_DestroyTexture(r->turn);
	for (int i = 0; i < SLOTS; i++)
		slot_close(&r->slot[i]);
	for (int f = 0; f < FACES; f++)
		free(r->path[f]);
	if (r->emoji)
		TTF_CloseFont(r->emoji);
	free(r->emoji_path);
	free(r->te);
	free(r->widths);
	free(r->scratch);
	free(r);
	TTF_Quit();
}
