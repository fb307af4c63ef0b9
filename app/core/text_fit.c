/* text_fit: greedy line filling. Widths are asked of the metrics for whole
 * prefixes (kerning makes sums of parts inexact); a binary search over
 * character boundaries keeps that to a few calls per line. */
#include "text_fit.h"

#include <string.h>

static const char ELLIPSIS[] = "…";

static size_t next_cp(const char *s, size_t len, size_t i)
{
	i++;
	while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static int width(const struct text_metrics *tm, enum draw_font font, int size, const char *s,
		 size_t len)
{
	return len ? tm->width(tm->ctx, font, size, s, len) : 0;
}

/* The longest prefix of s[0..len) (at a code point boundary) that fits. */
static size_t fit_prefix(const struct text_metrics *tm, enum draw_font font, int size,
			 const char *s, size_t len, int max_width)
{
	size_t lo = 0, hi = len; /* lo fits, hi may not */
	if (width(tm, font, size, s, len) <= max_width)
		return len;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		while (mid > lo && ((unsigned char)s[mid] & 0xC0) == 0x80)
			mid--;
		if (mid == lo) {
			mid = next_cp(s, len, lo);
			if (mid >= hi)
				break;
		}
		if (width(tm, font, size, s, mid) <= max_width)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int text_fit_ellipsize(const struct text_metrics *tm, enum draw_font font, int size, const char *s,
		       size_t len, int max_width, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	while (len && s[len - 1] == ' ')
		len--;
	int w = width(tm, font, size, s, len);
	if (w <= max_width && len < cap) {
		memcpy(out, s, len);
		out[len] = '\0';
		return w;
	}
	if (cap < sizeof(ELLIPSIS)) /* no room even for "…" */
		return out[0] = '\0', 0;
	int ew = width(tm, font, size, ELLIPSIS, sizeof(ELLIPSIS) - 1);
	size_t keep = fit_prefix(tm, font, size, s, len, max_width - ew);
	while (keep && s[keep - 1] == ' ')
		keep--;
	if (keep + sizeof(ELLIPSIS) > cap)
		keep = cap - sizeof(ELLIPSIS);
	while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80)
		keep--;
	memcpy(out, s, keep);
	memcpy(out + keep, ELLIPSIS, sizeof(ELLIPSIS));
	return width(tm, font, size, out, keep + sizeof(ELLIPSIS) - 1);
}

void text_fit_wrap(const struct text_metrics *tm, enum draw_font font, int size, const char *s,
		   int max_width, int max_lines, struct text_fit *out)
{
	memset(out, 0, sizeof(*out));
	if (max_lines > TEXT_FIT_MAX_LINES)
		max_lines = TEXT_FIT_MAX_LINES;
	size_t len = strlen(s), pos = 0;
	while (pos < len && s[pos] == ' ')
		pos++;
	while (pos < len && out->n < max_lines) {
		const char *rest = s + pos;
		size_t rest_len = len - pos;
		struct text_line *l = &out->lines[out->n++];
		if (out->n == max_lines) {
			/* last line: everything left, ellipsized if it does not fit */
			int w = width(tm, font, size, rest, rest_len);
			if (w <= max_width) {
				*l = (struct text_line){pos, rest_len, false, w};
			} else {
				l->width = text_fit_ellipsize(tm, font, size, rest, rest_len, max_width,
							      out->last, sizeof(out->last));
				l->ellipsized = true;
				l->len = strlen(out->last);
			}
			return;
		}
		size_t fit = fit_prefix(tm, font, size, rest, rest_len, max_width);
		size_t cut = fit;
		if (fit < rest_len) {
			/* break at the last space inside what fits, if any */
			size_t sp = fit;
			while (sp > 0 && rest[sp] != ' ')
				sp--;
			if (sp > 0)
				cut = sp;
			if (cut == 0) /* not even one character fits: take one anyway */
				cut = next_cp(rest, rest_len, 0);
		}
		size_t shown = cut;
		while (shown && rest[shown - 1] == ' ')
			shown--;
		*l = (struct text_line){pos, shown, false, width(tm, font, size, rest, shown)};
		pos += cut;
		while (pos < len && s[pos] == ' ')
			pos++;
	}
}

const char *text_fit_line(const struct text_fit *fit, const char *s, int i, size_t *len)
{
	*len = fit->lines[i].len;
	return fit->lines[i].ellipsized ? fit->last : s + fit->lines[i].off;
}
