/* text: UTF-8 helpers for feed parsers; no locale, no allocation but the
 * caller's arena. */
#include "text.h"

#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void text_skip_bom(const char **buf, size_t *len)
{
	if (*len >= 3 && memcmp(*buf, "\xEF\xBB\xBF", 3) == 0) {
		*buf += 3;
		*len -= 3;
	}
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 if the
 * bytes there are malformed. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return need;
}

bool text_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

static bool is_space_cp(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
	       cp == 0xA0 || cp == 0x2028 || cp == 0x2029;
}

bool text_is_name(const char *s, size_t max)
{
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

bool text_is_one_line(const char *s, size_t len)
{
	if (!text_utf8_valid(s, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return false;
		/* C1 controls, U+0080..U+009F, are C2 80..C2 9F in UTF-8 */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
			return false;
	}
	return true;
}

char *text_clean(struct arena *a, const char *s, size_t len, size_t cap)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	static const char replacement[] = "\xEF\xBF\xBD";
	if (cap < sizeof(ellipsis))
		cap = sizeof(ellipsis);
	/* Worst case every byte becomes a 3-byte replacement; the cap bounds it. */
	size_t room = len * 3 < cap ? len * 3 : cap;
	char *out = arena_alloc(a, room + 1);
	if (!out)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0;
	bool pending_space = false, cut = false;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		const char *piece = (const char *)p + i;
		size_t plen = n;
		if (!n) {
			piece = replacement;
			plen = 3;
			n = 1;
			cp = 0xFFFD;
		}
		i += n;
		if (is_space_cp(cp)) {
			pending_space = o > 0;
			continue;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFEFF)
			continue;
		size_t need = plen + (pending_space ? 1 : 0);
		if (o + need > room) {
			cut = true;
			break;
		}
		if (pending_space)
			out[o++] = ' ';
		pending_space = false;
		memcpy(out + o, piece, plen);
		o += plen;
	}
	if (cut) {
		/* Back off whole code points until the ellipsis fits. */
		while (o > 0 && o + 3 > room) {
			do
				o--;
			while (o > 0 && (out[o] & 0xC0) == 0x80);
		}
		while (o > 0 && out[o - 1] == ' ')
			o--;
		memcpy(out + o, ellipsis, 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* Base letters for U+00C0..U+00FF and U+0100..U+017F; ' ' marks a symbol. */
static const char latin1_fold[] = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTs"
				  "aaaaaaaceeeeiiiidnooooo ouuuuyty";
static const char latin_ext_a_fold[] =
	"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLl"
	"NnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

void text_fold_key(const char *s, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, o = 0;
	bool sep = false;
	if (cap == 0)
		return;
	while (i < len && o + 5 < cap) {
		uint32_t cp;
		size_t n = utf8_seq(p + i, len - i, &cp);
		if (!n) {
			i++;
			continue;
		}
		char base = 0;
		if (cp < 0x80) {
			if (cp >= 'A' && cp <= 'Z')
				base = (char)(cp - 'A' + 'a');
			else if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
				base = (char)cp;
			else
				base = ' ';
		} else if (cp >= 0xC0 && cp <= 0xFF) {
			base = latin1_fold[cp - 0xC0];
		} else if (cp >= 0x100 && cp <= 0x17F) {
			base = latin_ext_a_fold[cp - 0x100];
		} else if (is_space_cp(cp) || (cp >= 0x2010 && cp <= 0x206F)) {
			base = ' '; /* dashes, quotes and other general punctuation */
		}
		if (base == ' ') {
			sep = o > 0;
		} else {
			if (sep)
				out[o++] = '-';
			sep = false;
			if (base) {
				out[o++] = (base >= 'A' && base <= 'Z') ? (char)(base - 'A' + 'a')
									: base;
			} else {
				memcpy(out + o, p + i, n);
				o += n;
			}
		}
		i += n;
	}
	out[o] = '\0';
}

bool text_starts_with_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char a = *s, b = *prefix;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

int text_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *text_base64(const unsigned char *data, size_t len)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		*o++ = a[v >> 18 & 63];
		*o++ = a[v >> 12 & 63];
		*o++ = i + 1 < len ? a[v >> 6 & 63] : '=';
		*o++ = i + 2 < len ? a[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

bool text_base64_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
			const char **why)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, n = 0, pad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = base64_value(c);
		if (v < 0 || pad) {
			*why = v < 0 ? "not base64 (only A-Z, a-z, 0-9, '+', '/' and '=' padding)"
				     : "not base64 ('=' before the end)";
			return false;
		}
		n++;
		acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap) {
				*why = "larger than the limit once decoded";
				return false;
			}
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (n % 4 == 1 || pad > 2 || (pad && (n + pad) % 4 != 0)) {
		*why = "not base64 (its length is not that of any encoding)";
		return false;
	}
	*out_len = o;
	return true;
}

bool text_name_and_number(const char *s, char *name, size_t cap, long *number)
{
	size_t end = strlen(s);
	while (end && (s[end - 1] == ' ' || s[end - 1] == '\t'))
		end--;
	size_t word = end;
	while (word && s[word - 1] != ' ' && s[word - 1] != '\t')
		word--;
	size_t name_end = word;
	while (name_end && (s[name_end - 1] == ' ' || s[name_end - 1] == '\t'))
		name_end--;
	size_t start = 0;
	while (start < name_end && (s[start] == ' ' || s[start] == '\t'))
		start++;
	if (word == end || name_end <= start || name_end - start >= cap)
		return false;
	long n = 0;
	for (size_t i = word; i < end; i++) {
		if (s[i] < '0' || s[i] > '9' || n > 100000000)
			return false;
		n = n * 10 + (s[i] - '0');
	}
	memcpy(name, s + start, name_end - start);
	name[name_end - start] = '\0';
	*number = n;
	return true;
}

/* Bytes of url's "scheme://authority" part, 0 when it is no http(s) URL. */
static size_t origin_len(const char *url)
{
	size_t skip = text_starts_with_ci(url, "https://")  ? 8
		      : text_starts_with_ci(url, "http://") ? 7
							    : 0;
	if (!skip || !url[skip] || strchr("/?#", url[skip]))
		return 0;
	return skip + strcspn(url + skip, "/?#");
}

bool text_url_origin(const char *url, char *out, size_t cap)
{
	size_t n = origin_len(url);
	if (!n || n >= cap)
		return false;
	memcpy(out, url, n);
	out[n] = '\0';
	return true;
}

bool text_url_resolve(const char *base, const char *ref, char *out, size_t cap)
{
	size_t n = origin_len(base);
	if (!n)
		return false;
	int w;
	if (text_starts_with_ci(ref, "http://") || text_starts_with_ci(ref, "https://"))
		w = snprintf(out, cap, "%s", ref);
	else if (ref[0] == '/' && ref[1] == '/')
		w = snprintf(out, cap, "%.*s%s", (int)strcspn(base, ":") + 1, base, ref);
	else if (ref[0] == '/')
		w = snprintf(out, cap, "%.*s%s", (int)n, base, ref);
	else { /* beside the last segment of base's path (its query left out) */
		size_t path = n + strcspn(base + n, "?#");
		while (path > n && base[path - 1] != '/')
			path--;
		w = path > n ? snprintf(out, cap, "%.*s%s", (int)path, base, ref)
			     : snprintf(out, cap, "%.*s/%s", (int)n, base, ref);
	}
	return w >= 0 && (size_t)w < cap;
}

uint64_t text_hash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}
