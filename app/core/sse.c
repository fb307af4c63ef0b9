/* sse: a line at a time; the buffers grow only up to their caps. */
#include "sse.h"

#include <stdlib.h>
#include <string.h>

void sse_init(struct sse *p, sse_event_fn *on_event, void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->on_event = on_event;
	p->ctx = ctx;
	p->retry_ms = -1;
}

void sse_finish(struct sse *p)
{
	free(p->line);
	free(p->data);
	p->line = p->data = NULL;
	p->line_cap = p->data_cap = 0;
}

static void forget_event(struct sse *p)
{
	p->data_len = 0;
	p->has_data = false;
	p->type[0] = '\0';
	p->skipping = false;
}

void sse_reset(struct sse *p)
{
	forget_event(p);
	p->line_len = 0;
	p->line_over = p->cr = p->started = false;
}

/* Grows *buf to hold need bytes (need is at most a cap). */
static bool reserve(char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	char *b = realloc(*buf, n);
	if (!b)
		return false;
	*buf = b;
	*cap = n;
	return true;
}

static bool data_line(struct sse *p, const char *v, size_t n)
{
	if (p->skipping)
		return true;
	if (p->data_len + n + 1 > SSE_MAX_EVENT) { /* the event is too large: dropped */
		p->skipping = true;
		p->overflows++;
		return true;
	}
	if (!reserve(&p->data, &p->data_cap, p->data_len + n + 2)) {
		p->skipping = true;
		return false;
	}
	memcpy(p->data + p->data_len, v, n);
	p->data_len += n;
	p->data[p->data_len++] = '\n';
	p->has_data = true;
	return true;
}

static void dispatch(struct sse *p)
{
	if (p->skipping) {
		p->refused++;
	} else if (p->has_data) {
		p->data[--p->data_len] = '\0'; /* the last line's newline */
		struct sse_event ev = {p->type[0] ? p->type : "message", p->data, p->data_len,
				       p->id};
		p->events++;
		p->on_event(p->ctx, &ev);
	}
	forget_event(p);
}

/* One whole line (without its end). */
static bool line(struct sse *p, const char *l, size_t n)
{
	if (n == 0) {
		dispatch(p);
		return true;
	}
	if (l[0] == ':') {
		p->comments++;
		return true;
	}
	const char *colon = memchr(l, ':', n);
	size_t fn = colon ? (size_t)(colon - l) : n;
	const char *v = colon ? colon + 1 : l + n;
	size_t vn = (size_t)(l + n - v);
	if (vn && *v == ' ') {
		v++;
		vn--;
	}
	if (fn == 4 && memcmp(l, "data", 4) == 0)
		return data_line(p, v, vn);
	if (fn == 5 && memcmp(l, "event", 5) == 0) {
		if (vn > SSE_MAX_TYPE)
			p->skipping = true; /* no event of ours is named so */
		else {
			memcpy(p->type, v, vn);
			p->type[vn] = '\0';
		}
	} else if (fn == 2 && memcmp(l, "id", 2) == 0) {
		if (vn <= SSE_MAX_ID && !memchr(v, '\0', vn)) {
			memcpy(p->id, v, vn);
			p->id[vn] = '\0';
		}
	} else if (fn == 5 && memcmp(l, "retry", 5) == 0) {
		long ms = 0;
		size_t i = 0;
		while (i < vn && i < 9 && v[i] >= '0' && v[i] <= '9')
			ms = ms * 10 + (v[i++] - '0');
		if (i == vn && vn > 0)
			p->retry_ms = ms;
	}
	return true; /* any other field is ignored */
}

static bool end_line(struct sse *p)
{
	bool ok = true;
	if (p->line_over) { /* a line past its cap: its event is refused */
		if (!(p->line_len && p->line[0] == ':'))
			p->skipping = true;
	} else {
		ok = line(p, p->line ? p->line : "", p->line_len);
	}
	p->line_len = 0;
	p->line_over = false;
	return ok;
}

bool sse_feed(struct sse *p, const char *buf, size_t len)
{
	bool ok = true;
	size_t i = 0;
	if (!p->started && len) { /* a UTF-8 byte-order mark may open the stream */
		p->started = true;
		if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
			i = 3;
	}
	while (i < len) {
		if (p->cr && buf[i] == '\n') { /* the LF of a CRLF */
			p->cr = false;
			i++;
			continue;
		}
		p->cr = false;
		size_t run = i;
		while (run < len && buf[run] != '\r' && buf[run] != '\n')
			run++;
		size_t n = run - i;
		if (n && !p->line_over) {
			if (p->line_len + n > SSE_MAX_LINE) {
				/* keep the first byte: a comment is still told apart */
				if (!p->line_len && reserve(&p->line, &p->line_cap, 1))
					p->line[p->line_len++] = buf[i];
				p->line_over = true;
				p->overflows++;
			} else if (reserve(&p->line, &p->line_cap, p->line_len + n)) {
				memcpy(p->line + p->line_len, buf + i, n);
				p->line_len += n;
			} else {
				p->line_over = true;
				ok = false;
			}
		}
		if (run == len)
			break;
		p->cr = buf[run] == '\r';
		ok &= end_line(p);
		i = run + 1;
	}
	return ok;
}
