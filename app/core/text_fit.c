/* text_fit: greedy line filling. Widths are asked of the metrics for whole
 * prefixes (kerning makes sums of parts inexact); a binary search over
 * character boundaries keeps that to a few calls per line. Lines break
 * where a reader expects them (spaces; after a hyphen, slash or dash inside
 * a word), never inside a word that a whole line would hold. */
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

/* A line may end at p (0 < p <= len) when a space follows, or after a '-',
 * '/' or '—' joining two parts of a word ("Maillot-Passy", "A/B"): not a
 * sign standing alone or leading a number (" -1", " / "). */
static bool breakable(const char *s, size_t len, size_t p)
{
	if (p == 0 || p > len)
		return false;
	if (p == len || s[p] == ' ')
		return s[p - 1] != ' ';
	bool joined = false;
	if (s[p - 1] == '-' || s[p - 1] == '/')
		joined = p >= 2 && s[p - 2] != ' ';
	else if (p >= 3 && memcmp(s + p - 3, "\xE2\x80\x94", 3) == 0) /* — */
		joined = p >= 4 && s[p - 4] != ' ';
	return joined;
}

/* The last break at or before limit, 0 when the first word runs past it. */
static size_t last_break(const char *s, size_t len, size_t limit)
{
	for (size_t p = limit; p > 0; p--)
		if (breakable(s, len, p))
			return p;
	return 0;
}

int text_fit_widest_word(const struct text_metrics *tm, enum draw_font font, int size,
			 const char *s)
{
	size_t len = strlen(s), from = 0;
	int widest = 0;
	while (from < len) {
		while (from < len && s[from] == ' ')
			from++;
		size_t p = from + 1;
		while (p < len && !breakable(s + from, len - from, p - from))
			p++;
		if (p > len)
			p = len;
		int w = width(tm, font, size, s + from, p - from);
		widest = w > widest ? w : widest;
		from = p;
	}
	return widest;
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
	for (;;) {
		while (keep && ((unsigned char)s[keep] & 0xC0) == 0x80)
			keep--;
		memcpy(out, s, keep);
		memcpy(out + keep, ELLIPSIS, sizeof(ELLIPSIS));
		w = width(tm, font, size, out, keep + sizeof(ELLIPSIS) - 1);
		/* widths of parts need not add up (kerning, rounding): the
		 * whole is measured, one character less while it is too wide */
		if (w <= max_width || keep == 0)
			return w;
		keep--;
	}
}

/* The last line: what fits before "…", ended at a break when one is there
 * ("Room K.3.201 (OpenOffice / …", not "(OpenOff…"); a first word wider
 * than the line is cut between characters. */
static int ellipsize_words(const struct text_metrics *tm, enum draw_font font, int size,
			   const char *s, size_t len, int max_width, char *out, size_t cap)
{
	int ew = width(tm, font, size, ELLIPSIS, sizeof(ELLIPSIS) - 1);
	size_t keep = fit_prefix(tm, font, size, s, len, max_width - ew);
	size_t brk = keep < len ? last_break(s, len, keep) : 0;
	if (brk == 0 || brk + sizeof(ELLIPSIS) > cap)
		return text_fit_ellipsize(tm, font, size, s, len, max_width, out, cap);
	while (brk && s[brk - 1] == ' ')
		brk--;
	memcpy(out, s, brk);
	memcpy(out + brk, ELLIPSIS, sizeof(ELLIPSIS));
	int w = width(tm, font, size, out, brk + sizeof(ELLIPSIS) - 1);
	if (w > max_width) /* the parts' widths did not add up: cut shorter */
		return text_fit_ellipsize(tm, font, size, s, brk, max_width, out, cap);
	return w;
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
				l->width = ellipsize_words(tm, font, size, rest, rest_len,
							   max_width, out->last, sizeof(out->last));
				l->ellipsized = true;
				l->len = strlen(out->last);
			}
			return;
		}
		size_t fit = fit_prefix(tm, font, size, rest, rest_len, max_width);
		size_t cut = fit;
		if (fit < rest_len) {
			/* the last break inside what fits; a word wider than the
			 * whole line is split between characters (no hyphen: the
			 * language's hyphenation is unknown) */
			size_t brk = last_break(rest, rest_len, fit);
			if (brk > 0)
				cut = brk;
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
