/* feed_health: a failing streak per feed, and when to speak of it. */
#include "feed_health.h"

#include <string.h>

void feed_health_init(struct feed_health *h)
{
	memset(h, 0, sizeof(*h));
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void feed_health_key(const char *msg, char *out, size_t cap)
{
	if (!cap)
		return;
	size_t o = 0;
	int words = 0;
	bool in_word = false;
	char quote = 0;
	for (const char *p = msg ? msg : ""; *p && o + 1 < cap; p++) {
		char c = *p;
		if (quote) { /* the quoted detail: a token, a name, a byte */
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '\'' || c == '"' || c == '`') {
			quote = c;
			continue;
		}
		if (c >= '0' && c <= '9')
			continue;
		if (is_space(c)) {
			in_word = false;
			continue;
		}
		if (!in_word) {
			if (words == 8)
				break;
			if (o > 0)
				out[o++] = ' ';
			if (o + 1 >= cap)
				break;
			words++;
			in_word = true;
		}
		out[o++] = c;
	}
	out[o] = '\0';
}

static void begin(struct feed_health *h, const char *key, int64_t now_ms)
{
	h->failing = true;
	memcpy(h->key, key, sizeof(h->key));
	h->since_ms = now_ms;
	h->failures = 1;
	h->unsaid = 0;
	h->said_ms = now_ms;
	h->gap_ms = FEED_HEALTH_FIRST_GAP_MS;
	h->mixed = false;
}

struct feed_health_line feed_health_failed(struct feed_health *h, const char *msg, int64_t now_ms)
{
	struct feed_health_line l = {FEED_HEALTH_QUIET, 0, 0, 0, false};
	char key[FEED_HEALTH_KEY_MAX];
	feed_health_key(msg, key, sizeof(key));
	bool other = h->failing && strcmp(key, h->key) != 0;
	if (other && now_ms - h->kinds_ms >= FEED_HEALTH_FIRST_GAP_MS) {
		h->kinds_ms = now_ms;
		h->kinds = 0;
	}
	if (other && h->kinds >= FEED_HEALTH_KINDS_MAX) {
		h->mixed = true; /* too many kinds this minute: counted below */
	} else if (!h->failing || other) {
		l.say = FEED_HEALTH_FIRST;
		l.count = h->failing ? h->unsaid : 0; /* the old kind's last repeats */
		l.span_ms = h->failing ? now_ms - h->said_ms : 0;
		l.mixed = h->failing && h->mixed;
		unsigned before = h->failing ? h->failures : 0;
		int64_t since = h->failing ? h->since_ms : now_ms;
		int64_t kinds_ms = h->failing ? h->kinds_ms : now_ms;
		unsigned kinds = h->failing ? h->kinds : 0;
		begin(h, key, now_ms);
		/* the feed has not read since the first kind began: one streak */
		h->failures += before;
		h->since_ms = since;
		h->kinds_ms = kinds_ms;
		h->kinds = kinds + 1;
		l.since_ms = since;
		return l;
	}
	if (h->failures < UINT32_MAX)
		h->failures++;
	h->unsaid++;
	if (now_ms - h->said_ms >= h->gap_ms) {
		l.say = FEED_HEALTH_SUMMARY;
		l.count = h->unsaid;
		l.mixed = h->mixed;
		h->mixed = false;
		l.span_ms = now_ms - h->said_ms;
		l.since_ms = h->since_ms;
		h->unsaid = 0;
		h->said_ms = now_ms;
		h->gap_ms = h->gap_ms * 2 > FEED_HEALTH_MAX_GAP_MS ? FEED_HEALTH_MAX_GAP_MS
								   : h->gap_ms * 2;
	}
	return l;
}

struct feed_health_line feed_health_ok(struct feed_health *h, int64_t now_ms)
{
	struct feed_health_line l = {FEED_HEALTH_QUIET, 0, 0, 0, false};
	if (!h->failing)
		return l;
	l.say = FEED_HEALTH_RECOVERED;
	l.count = h->failures;
	l.span_ms = now_ms - h->since_ms;
	l.since_ms = h->since_ms;
	feed_health_init(h);
	return l;
}
