/* byte_range: the grammar of RFC 9110 §14.1.1, digits only (strtoull would
 * take "-5" and " +5"), each position capped so it cannot wrap. */
#include "byte_range.h"

#include <stdbool.h>
#include <stddef.h>

struct spec {
	bool suffix; /* "-N": the last N bytes */
	bool open;   /* "A-": from A to the end */
	uint64_t a, b;
};

static const char *ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Digits at *p into *n; false when there are none or they overflow. */
static bool digits(const char **p, uint64_t *n)
{
	const char *s = *p;
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (s == *p)
		return false;
	*p = s;
	*n = v;
	return true;
}

/* One range-spec at *p: "A-B", "A-" or "-N"; false when invalid (B < A too). */
static bool spec(const char **p, struct spec *out)
{
	*out = (struct spec){0};
	if (**p == '-') {
		(*p)++;
		out->suffix = true;
		return digits(p, &out->b);
	}
	if (!digits(p, &out->a) || **p != '-')
		return false;
	(*p)++;
	if (**p < '0' || **p > '9') {
		out->open = true;
		return true;
	}
	return digits(p, &out->b) && out->b >= out->a;
}

enum byte_range_kind byte_range_parse(const char *v, uint64_t size, uint64_t *from, uint64_t *to)
{
	/* the unit is case-insensitive; another unit is ignored (§14.2: MUST) */
	static const char unit[] = "bytes=";
	for (size_t i = 0; i < sizeof(unit) - 1; i++) {
		char c = v[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != unit[i])
			return BYTE_RANGE_WHOLE;
	}
	const char *p = v + sizeof(unit) - 1;
	struct spec first;
	size_t n = 0;
	bool any_satisfiable = false;
	for (;;) { /* 1#range-spec: every one must parse, empty elements allowed */
		p = ows(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (!*p)
			break;
		struct spec s;
		if (!spec(&p, &s))
			return BYTE_RANGE_BAD;
		p = ows(p);
		if (*p && *p != ',')
			return BYTE_RANGE_BAD;
		if (n++ == 0)
			first = s;
		any_satisfiable |= s.suffix ? s.b > 0 && size > 0 : s.a < size;
	}
	if (n == 0 || !any_satisfiable)
		return BYTE_RANGE_BAD;
	if (n > 1) /* no multipart answers: several ranges get the whole file (§14.2: MAY ignore) */
		return BYTE_RANGE_WHOLE;
	if (first.suffix) {
		*from = first.b >= size ? 0 : size - first.b;
		*to = size - 1;
	} else {
		*from = first.a;
		*to = first.open || first.b >= size ? size - 1 : first.b;
	}
	return BYTE_RANGE_ONE;
}
