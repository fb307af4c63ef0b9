/* queue_feed: what venueboard.c's loop schedules for the lunch lines, kept
 * out of it: the URL of the next fetch, the log lines, and the one memory
 * the advice has (which line was named shorter, and when). */
#include "queue_feed.h"

#include "civil_time.h"
#include "feed_log.h"
#include "fetcher.h"
#include "kiosk_config.h"
#include "lunch_advice.h"
#include "queue_board.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFO(q, ...)  log_line((q)->log, LOG_INFO, "queues", __VA_ARGS__)
#define DEBUG(q, ...) log_line((q)->log, LOG_DEBUG, "queues", __VA_ARGS__)
#define ERROR(q, ...) log_line((q)->log, LOG_ERROR, "queues", __VA_ARGS__)

/* What the log last said of a line: said again only when it changes. */
struct said {
	int minutes; /* -1: no estimate; -2: nothing said yet */
	int confidence;
	enum forecast_source forecast;
	bool withheld; /* the forecast's record worse than a baseline's, said once */
};

struct queue_feed {
	const struct kiosk_config *cfg;
	enum log_level log;
	struct queue_board *board;
	struct fetcher *fetcher;
	int feed; /* the fetcher's index, -1: none */
	struct feed_watch watch;
	bool have_schedule;
	char *held; /* a body waiting for the schedule, owned */
	size_t held_len;
	int64_t held_until;
	struct lunch_advice_state state;
	struct lunch_advice advice;
	struct said said[ESTIMATOR_MAX_QUEUES];
	char said_shorter[QUEUE_ID_MAX + 1];
};

struct queue_feed *queue_feed_create(const struct kiosk_config *cfg, enum log_level log)
{
	struct queue_feed *q = calloc(1, sizeof(*q));
	const char *only[KIOSK_MAX_QUEUES];
	for (size_t i = 0; i < cfg->n_queues; i++)
		only[i] = cfg->queues[i];
	if (!q || !(q->board = queue_board_create(only, cfg->n_queues))) {
		free(q);
		return NULL;
	}
	q->cfg = cfg;
	q->log = log;
	q->feed = -1;
	feed_watch_init(&q->watch, log, "queues", "lunch-line feed");
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++)
		q->said[i].minutes = -2;
	lunch_advice_state_init(&q->state);
	return q;
}

void queue_feed_destroy(struct queue_feed *q)
{
	if (!q)
		return;
	queue_board_destroy(q->board);
	free(q->held);
	free(q);
}

/* venueboard-server's /v1/queues takes ?since= and ?queue=: ask only for what
 * is new, and only for this screen's queues. Other URLs are fetched as they
 * are (a JSON Lines file, another service). */
static void queue_url(const struct queue_feed *q, int64_t now_ms, char *out, size_t cap)
{
	const char *base = q->cfg->queues_url;
	if (!strstr(base, "/v1/queues") || strchr(base, '?') || strncmp(base, "file:", 5) == 0) {
		snprintf(out, cap, "%s", base);
		return;
	}
	int64_t newest = queue_board_newest_ms(q->board);
	int64_t since = newest ? newest - 60000 : now_ms - 6 * 3600 * 1000LL;
	char t[21];
	civil_format_utc(since / 1000, t);
	size_t o = (size_t)snprintf(out, cap, "%s?since=%s", base, t);
	for (size_t i = 0; i < q->cfg->n_queues && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "&queue=%s", q->cfg->queues[i]);
}

bool queue_feed_start(struct queue_feed *q, struct fetcher *f, int64_t now_ms)
{
	q->fetcher = f;
	if (!q->cfg->queues_url[0])
		return true;
	char url[KIOSK_MAX_VALUE + 1024];
	queue_url(q, now_ms, url, sizeof(url));
	q->feed = fetcher_add(f, url, q->cfg->queue_poll_s * 1000);
	return q->feed >= 0;
}

static void take_body(struct queue_feed *q, const char *body, size_t len, int64_t until_ms)
{
	struct feed_error e = {{0}};
	struct queue_load_summary s;
	bool ok = queue_board_load(q->board, body, len, until_ms, &s, &e);
	if (feed_watch_body(&q->watch, ok, e.msg))
		ERROR(q, "%s: %s; keeping the estimates", q->cfg->queues_url, e.msg);
	else if (ok)
		DEBUG(q,
		      "%zu samples, %zu new, %zu already seen, %zu KB; %zu forecasts, %zu "
		      "points that did not read",
		      s.samples, s.applied, s.duplicates, (len + 512) / 1024, s.forecasts,
		      s.bad_points);
}

bool queue_feed_take(struct queue_feed *q, int64_t now_ms, int64_t until_ms)
{
	struct fetch_result r;
	if (q->feed < 0 || !fetcher_take(q->fetcher, q->feed, &r))
		return false;
	if (!feed_watch_answer(&q->watch, &r, "estimates age out after 10 minutes without samples"))
		return true;
	if (r.outcome == FETCH_NEW && q->have_schedule) {
		take_body(q, r.body, r.len, until_ms);
		free(r.body);
	} else if (r.outcome == FETCH_NEW) { /* a newer answer covers the older one */
		DEBUG(q, "%zu KB kept until the schedule is in", (r.len + 512) / 1024);
		free(q->held);
		q->held = r.body;
		q->held_len = r.len;
		q->held_until = until_ms;
	}
	char url[KIOSK_MAX_VALUE + 1024];
	queue_url(q, now_ms, url, sizeof(url));
	fetcher_set_url(q->fetcher, q->feed, url);
	return true;
}

void queue_feed_set_schedule(struct queue_feed *q, const struct schedule *s)
{
	queue_board_set_schedule(q->board, s);
	q->have_schedule = s != NULL;
	if (!q->have_schedule || !q->held)
		return;
	take_body(q, q->held, q->held_len, q->held_until);
	free(q->held);
	q->held = NULL;
}

static const char *source_name(const struct queue_forecast *f)
{
	return f->source == FORECAST_SERVER ? "from the server" : "worked out here";
}

/* INFO when what a line's screen says changes, not at every fetch. */
static void log_lines(struct queue_feed *q)
{
	for (size_t i = 0; i < queue_board_count(q->board) && i < ESTIMATOR_MAX_QUEUES; i++) {
		const struct queue_view *v = queue_board_get(q->board, i);
		int mins = v->now.known ? (int)((v->now.wait_s + 30) / 60) : -1;
		struct said *l = &q->said[i];
		if (l->minutes != mins || l->confidence != (int)v->now.confidence) {
			l->minutes = mins;
			l->confidence = (int)v->now.confidence;
			if (mins >= 0)
				INFO(q, "wait at %s: %d min, about %.0f in line (%s%s%s)", v->name,
				     mins, v->now.people,
				     estimator_confidence_name(v->now.confidence),
				     *v->now.why ? ": " : "", v->now.why);
			else
				INFO(q, "wait at %s: no estimate (%s)", v->name, v->now.why);
		}
		if (l->forecast != v->forecast.source) {
			l->forecast = v->forecast.source;
			if (v->forecast.have)
				INFO(q, "forecast for %s: %s, %d earlier days learned", v->name,
				     source_name(&v->forecast), v->forecast.days_learned);
			else
				INFO(q, "forecast for %s: none", v->name);
		}
		if (l->withheld != v->forecast.withheld) {
			l->withheld = v->forecast.withheld;
			if (l->withheld)
				INFO(q,
				     "forecast for %s: withheld (%s): its record is worse than "
				     "'the wait now stays as it is'",
				     v->name, source_name(&v->forecast));
			else
				INFO(q, "forecast for %s: shown again", v->name);
		}
	}
	const struct lunch_shorter *sh = &q->advice.shorter;
	if (strcmp(q->said_shorter, q->state.named) != 0) {
		memcpy(q->said_shorter, q->state.named, sizeof(q->said_shorter));
		if (sh->named)
			INFO(q, "advice: %s is shorter from here (%.0f min + %d min walk)",
			     queue_board_get(q->board, sh->line)->name, sh->wait_s / 60,
			     sh->walk_min);
		else
			INFO(q, "advice: no line named shorter");
	}
}

void queue_feed_frame(struct queue_feed *q, const struct schedule *s, int64_t now_ms)
{
	if (!q->cfg->queues_url[0])
		return;
	queue_board_update(q->board, now_ms);
	const struct queue_view *views[ESTIMATOR_MAX_QUEUES];
	size_t n = queue_board_count(q->board);
	for (size_t i = 0; i < n && i < ESTIMATOR_MAX_QUEUES; i++)
		views[i] = queue_board_get(q->board, i);
	struct lunch_advice_input in = {views, n, s, q->cfg->walks, q->cfg->n_walks, now_ms};
	lunch_advice_decide(&in, &q->state, &q->advice);
	log_lines(q);
}

const struct queue_board *queue_feed_board(const struct queue_feed *q)
{
	return q->cfg->queues_url[0] ? q->board : NULL;
}

const struct lunch_advice *queue_feed_advice(const struct queue_feed *q)
{
	return &q->advice;
}
