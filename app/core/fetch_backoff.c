/* fetch_backoff: the fetcher's timing decisions, without a clock or a socket. */
#include "fetch_backoff.h"

#include "civil_time.h"
#include "text.h"

#include <string.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool fetch_backoff_origin(const char *url, char *out, size_t cap)
{
	if (!cap)
		return false;
	out[0] = '\0';
	if (!url || !text_url_origin(url, out, cap)) {
		out[0] = '\0';
		return false;
	}
	for (char *p = out; *p; p++) /* "HTTP://Host" is the same server */
		*p = lower(*p);
	return true;
}

int64_t fetch_backoff_delay_ms(int failures, int min_ms, int max_ms, uint64_t rnd)
{
	int64_t lo = min_ms > 0 ? min_ms : 1, hi = max_ms > lo ? max_ms : lo;
	int64_t b = lo;
	for (int i = 1; i < failures && b < hi; i++)
		b *= 2;
	if (b > hi)
		b = hi;
	int64_t half = b / 2;
	uint64_t span = (uint64_t)(b - half) + 1;
	return half + (int64_t)(rnd % span);
}

/* ---- Retry-After ---------------------------------------------------------- */

struct cursor {
	const char *p, *end;
};

static bool digits(struct cursor *c, int n_min, int n_max, int *out)
{
	int v = 0, n = 0;
	while (c->p < c->end && n < n_max && *c->p >= '0' && *c->p <= '9') {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	*out = v;
	return n >= n_min;
}

static bool lit(struct cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static void spaces(struct cursor *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

static bool month(struct cursor *c, int *m)
{
	static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	if (c->end - c->p < 3)
		return false;
	char w[3] = {lower(c->p[0]), lower(c->p[1]), lower(c->p[2])};
	for (int i = 0; i < 12; i++)
		if (memcmp(names + 3 * i, w, 3) == 0) {
			*m = i + 1;
			c->p += 3;
			return true;
		}
	return false;
}

/* The day's name: letters, then a comma for IMF-fixdate and RFC 850. */
static bool day_name(struct cursor *c, bool *comma)
{
	const char *s = c->p;
	while (c->p < c->end && ((*c->p >= 'a' && *c->p <= 'z') || (*c->p >= 'A' && *c->p <= 'Z')))
		c->p++;
	if (c->p - s < 3)
		return false;
	*comma = lit(c, ',');
	return true;
}

static bool clock_of(struct cursor *c, int *h, int *mi, int *s)
{
	return digits(c, 2, 2, h) && lit(c, ':') && digits(c, 2, 2, mi) && lit(c, ':') &&
	       digits(c, 2, 2, s) && *h < 24 && *mi < 60 && *s < 61;
}

static bool http_date(const char *v, size_t len, int64_t *out_s)
{
	struct cursor c = {v, v + len};
	int d = 0, m = 0, y = 0, h = 0, mi = 0, s = 0;
	bool comma;
	if (!day_name(&c, &comma))
		return false;
	spaces(&c);
	if (comma) { /* "06 Nov 1994 08:49:37 GMT" or "06-Nov-94 08:49:37 GMT" */
		if (!digits(&c, 2, 2, &d))
			return false;
		bool dashed = lit(&c, '-');
		if (!dashed)
			spaces(&c);
		if (!month(&c, &m) || (dashed ? !lit(&c, '-') : (spaces(&c), false)))
			return false;
		if (!digits(&c, dashed ? 2 : 4, dashed ? 2 : 4, &y))
			return false;
		if (dashed) /* RFC 9110: a two-digit year more than 50 years ahead is the past */
			y += y < 70 ? 2000 : 1900;
		spaces(&c);
		if (!clock_of(&c, &h, &mi, &s))
			return false;
		spaces(&c);
		if (c.end - c.p != 3 || memcmp(c.p, "GMT", 3) != 0)
			return false;
		c.p += 3;
	} else { /* asctime: "Nov  6 08:49:37 1994" */
		if (!month(&c, &m))
			return false;
		spaces(&c);
		if (!digits(&c, 1, 2, &d))
			return false;
		spaces(&c);
		if (!clock_of(&c, &h, &mi, &s))
			return false;
		spaces(&c);
		if (!digits(&c, 4, 4, &y))
			return false;
	}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (c.p != c.end || d < 1 || d > mdays[m - 1] || y < 1970)
		return false;
	*out_s = civil_days_from_date(y, m, d) * 86400 + h * 3600 + mi * 60 + s;
	return true;
}

bool fetch_backoff_retry_after(const char *value, int64_t now_s, int64_t *delay_s)
{
	if (!value)
		return false;
	size_t len = strlen(value);
	while (len && value[len - 1] == ' ')
		len--;
	while (len && *value == ' ') {
		value++;
		len--;
	}
	if (!len || len > 64)
		return false;
	if (value[0] >= '0' && value[0] <= '9') {
		int64_t v = 0;
		for (size_t i = 0; i < len; i++) {
			if (value[i] < '0' || value[i] > '9' || v > 100000000)
				return false; /* junk, or beyond three years: not a delay */
			v = v * 10 + (value[i] - '0');
		}
		*delay_s = v;
		return true;
	}
	int64_t at;
	if (!http_date(value, len, &at))
		return false;
	*delay_s = at > now_s ? at - now_s : 0; /* a date passed: now */
	return true;
}

int64_t fetch_backoff_hold_ms(int64_t delay_s, int interval_ms)
{
	int64_t ms = delay_s > FETCH_BACKOFF_HOLD_MAX_MS / 1000 ? FETCH_BACKOFF_HOLD_MAX_MS
								: delay_s * 1000;
	if (ms < interval_ms)
		ms = interval_ms;
	return ms > FETCH_BACKOFF_HOLD_MAX_MS ? FETCH_BACKOFF_HOLD_MAX_MS : ms;
}

size_t fetch_backoff_answered(struct fetch_backoff_peer *peers, size_t n, size_t who,
			      int64_t now_ms, uint64_t rnd)
{
	if (who >= n || !peers[who].origin || !peers[who].origin[0])
		return 0;
	size_t reset = 0;
	for (size_t i = 0; i < n; i++) {
		struct fetch_backoff_peer *p = &peers[i];
		if (i == who || p->failures <= 0 || p->busy || p->held || !p->origin ||
		    strcmp(p->origin, peers[who].origin) != 0)
			continue;
		/* spread them: several feeds of one server must not come at once */
		uint64_t z = rnd + 0x9e3779b97f4a7c15u * (i + 1);
		z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9u;
		z ^= z >> 29;
		int64_t due = now_ms + (int64_t)(z % FETCH_BACKOFF_RESET_JITTER_MS);
		p->failures = 0;
		if (due < p->due_ms)
			p->due_ms = due;
		reset++;
	}
	return reset;
}
