/* theme: a dark board (bright text on near-black reads best across a hall and
 * keeps a backlit screen from glaring) with yellow for what must not be
 * missed. */
#include "theme.h"

#include "text.h"

#include <math.h>
#include <string.h>

static struct draw_color rgb(unsigned v)
{
	return (struct draw_color){(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
}

void theme_default(struct theme *t)
{
	t->background = rgb(0x0b0f14);
	t->panel = rgb(0x17202a);
	t->rule = rgb(0x5c6b7a);
	t->text = rgb(0xffffff);
	t->muted = rgb(0xc3ccd5);
	t->alert_bg = rgb(0xffd23f);
	t->alert_text = rgb(0x000000);
	t->cancel_bg = rgb(0x8c1010);
	t->cancel_text = rgb(0xffffff);
	t->notice_bg = rgb(0xe6eef7);
	t->notice_text = rgb(0x0b0f14);
	t->calm_bg = rgb(0x1c3a5e);
	t->calm_text = rgb(0xffffff);
	t->bar = rgb(0x8fc1ff);
	t->bar_empty = rgb(0x5c6b7a);
}

static double channel(uint8_t v)
{
	double c = v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct draw_color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

int theme_contrast(struct draw_color a, struct draw_color b)
{
	double la = luminance(a), lb = luminance(b);
	double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
	return (int)floor((hi + 0.05) / (lo + 0.05) * 100.0);
}

struct pair {
	const char *fg_name, *bg_name;
	size_t fg, bg;
	int min;
};

#define OFF(f) offsetof(struct theme, f)
static const struct pair pairs[] = {
	{"text", "background", OFF(text), OFF(background), THEME_AAA_TEXT},
	{"text", "panel", OFF(text), OFF(panel), THEME_AAA_TEXT},
	{"muted", "background", OFF(muted), OFF(background), THEME_AAA_TEXT},
	{"muted", "panel", OFF(muted), OFF(panel), THEME_AAA_TEXT},
	{"alert-text", "alert-bg", OFF(alert_text), OFF(alert_bg), THEME_AAA_TEXT},
	{"cancel-text", "cancel-bg", OFF(cancel_text), OFF(cancel_bg), THEME_AAA_TEXT},
	{"notice-text", "notice-bg", OFF(notice_text), OFF(notice_bg), THEME_AAA_TEXT},
	{"calm-text", "calm-bg", OFF(calm_text), OFF(calm_bg), THEME_AAA_TEXT},
	{"bar", "panel", OFF(bar), OFF(panel), THEME_GRAPHIC},
	{"bar-empty", "panel", OFF(bar_empty), OFF(panel), THEME_GRAPHIC},
	{"rule", "panel", OFF(rule), OFF(panel), THEME_GRAPHIC},
};

static struct draw_color at(const struct theme *t, size_t off)
{
	struct draw_color c;
	memcpy(&c, (const char *)t + off, sizeof(c));
	return c;
}

bool theme_check(const struct theme *t, struct feed_error *e)
{
	for (size_t i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		int r = theme_contrast(at(t, pairs[i].fg), at(t, pairs[i].bg));
		if (r < pairs[i].min)
			return feed_error_set(
				e,
				"%s on %s has contrast %d.%02d:1, below the %d.%02d:1 "
				"the board needs (WCAG %s)",
				pairs[i].fg_name, pairs[i].bg_name, r / 100, r % 100,
				pairs[i].min / 100, pairs[i].min % 100,
				pairs[i].min == THEME_AAA_TEXT ? "AAA text" : "non-text contrast");
	}
	return true;
}

static const struct {
	const char *name;
	size_t off;
} names[] = {
	{"background", OFF(background)},
	{"panel", OFF(panel)},
	{"rule", OFF(rule)},
	{"text", OFF(text)},
	{"muted", OFF(muted)},
	{"alert-bg", OFF(alert_bg)},
	{"alert-text", OFF(alert_text)},
	{"cancel-bg", OFF(cancel_bg)},
	{"cancel-text", OFF(cancel_text)},
	{"notice-bg", OFF(notice_bg)},
	{"notice-text", OFF(notice_text)},
	{"calm-bg", OFF(calm_bg)},
	{"calm-text", OFF(calm_text)},
	{"bar", OFF(bar)},
	{"bar-empty", OFF(bar_empty)},
};

bool theme_set(struct theme *t, const char *name, const char *value, struct feed_error *e)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (strcmp(names[i].name, name) != 0)
			continue;
		unsigned v = 0;
		if (strlen(value) != 7 || value[0] != '#')
			return feed_error_set(e, "%s: '%.20s' is not a colour like #1c3a5e", name,
					      value);
		for (int k = 1; k < 7; k++) {
			int h = text_hex_digit(value[k]);
			if (h < 0)
				return feed_error_set(e, "%s: '%.20s' is not a colour like #1c3a5e",
						      name, value);
			v = v << 4 | (unsigned)h;
		}
		struct draw_color c = rgb(v);
		memcpy((char *)t + names[i].off, &c, sizeof(c));
		return true;
	}
	return feed_error_set(e, "%.40s: no theme colour is called that", name);
}

struct draw_color theme_track_color(const struct theme *t, const char *track)
{
	/* eight hues, bright enough on the dark panel; a track keeps its colour
	 * from one feed version to the next because only its name picks it */
	static const unsigned palette[] = {0x8fc1ff, 0xffb86b, 0x7ee2a8, 0xf59fd0,
					   0xd6c36a, 0x9fe3e8, 0xc4a8ff, 0xff9a8f};
	if (!track || !*track)
		return t->rule;
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)track; *p; p++)
		h = (h ^ *p) * 16777619u;
	return rgb(palette[h % (sizeof(palette) / sizeof(*palette))]);
}
