/* stream_guard: counters per connection and per flood window. */
#include "stream_guard.h"

#include <stdio.h>
#include <string.h>

void stream_guard_open(struct stream_guard *g, int64_t now_ms)
{
	memset(g, 0, sizeof(*g));
	g->opened_ms = g->whole_ms = g->window_ms = now_ms;
}

static bool breaks(struct stream_guard *g)
{
	g->broken = true;
	return false;
}

/* A new window once the last one is over: floods are counted per window. */
static void window(struct stream_guard *g, int64_t now_ms)
{
	if (now_ms - g->window_ms < STREAM_GUARD_WINDOW_MS)
		return;
	g->window_ms = now_ms;
	g->window_events = 0;
	g->window_bytes = 0;
}

bool stream_guard_bytes(struct stream_guard *g, size_t len, int64_t now_ms)
{
	if (g->broken)
		return false;
	window(g, now_ms);
	g->window_bytes += len;
	if (g->window_bytes <= STREAM_GUARD_WINDOW_BYTES)
		return true;
	snprintf(g->why, sizeof(g->why), "more than %d MiB in %d s, no server sends that much",
		 STREAM_GUARD_WINDOW_BYTES >> 20, STREAM_GUARD_WINDOW_MS / 1000);
	return breaks(g);
}

bool stream_guard_whole(struct stream_guard *g, enum stream_guard_event ev, int64_t now_ms)
{
	if (g->broken)
		return false;
	window(g, now_ms);
	g->whole_ms = now_ms;
	if (++g->window_events > STREAM_GUARD_WINDOW_EVENTS) {
		snprintf(g->why, sizeof(g->why),
			 "more than %d events in %d s, no server sends that many",
			 STREAM_GUARD_WINDOW_EVENTS, STREAM_GUARD_WINDOW_MS / 1000);
		return breaks(g);
	}
	if (ev == STREAM_GUARD_GOOD) {
		g->live = true;
		g->bad_run = 0;
	} else if (ev == STREAM_GUARD_BAD && ++g->bad_run >= STREAM_GUARD_BAD_MAX) {
		snprintf(g->why, sizeof(g->why), "%d events in a row that do not read",
			 STREAM_GUARD_BAD_MAX);
		return breaks(g);
	}
	return true;
}

bool stream_guard_over(struct stream_guard *g, const char *what)
{
	if (g->broken)
		return false;
	snprintf(g->why, sizeof(g->why), "%s", what);
	return breaks(g);
}

bool stream_guard_idle(struct stream_guard *g, int64_t now_ms)
{
	if (g->broken)
		return false;
	if (now_ms - g->whole_ms <= STREAM_GUARD_IDLE_MS)
		return true;
	snprintf(g->why, sizeof(g->why),
		 "no whole event for %d s (the server writes one every 15 s)",
		 STREAM_GUARD_IDLE_MS / 1000);
	return breaks(g);
}

bool stream_guard_healthy(const struct stream_guard *g, int64_t now_ms)
{
	return !g->broken && g->live && now_ms - g->opened_ms >= STREAM_GUARD_IDLE_MS;
}
