/* feed_log: feed_health's lines and Retry-After, in words. */
#include "feed_log.h"

#include "fetcher.h"

#include <stdio.h>
#include <time.h>

int64_t feed_log_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void local_clock(int64_t ms, char out[8])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		snprintf(out, 8, "--:--");
		return;
	}
	snprintf(out, 8, "%02d:%02d", tm.tm_hour % 100, tm.tm_min % 100);
}

/* "20 min", "40 s", "3 h": the span a summary covers. */
static void span_text(int64_t ms, char *out, size_t cap)
{
	int64_t s = ms / 1000;
	if (s < 120)
		snprintf(out, cap, "%lld s", (long long)s);
	else if (s < 3 * 3600)
		snprintf(out, cap, "%lld min", (long long)(s / 60));
	else
		snprintf(out, cap, "%lld h", (long long)(s / 3600));
}

/* How a streak of failures is worded: a feed's polls, or another fault. */
struct streak_words {
	const char *same, *mixed, *since, *again, *unit;
};

static const struct streak_words poll_words = {"the same failure", "failures of several kinds",
					       "failing since", "reads again after", "failed poll"};
static const struct streak_words fault_words = {"the same fault", "faults of several kinds",
						"since", "fine again after", "fault"};

/* One feed_health line in words: repeats at level, the way back at INFO;
 * subject (may be NULL) before each. */
static void say_streak(enum log_level threshold, enum log_level level, const char *module,
		       const char *subject, const struct streak_words *w,
		       const struct feed_health_line *l)
{
	char since[8], span[32], pre[96] = "";
	local_clock(l->since_ms, since);
	span_text(l->span_ms, span, sizeof(span));
	if (subject)
		snprintf(pre, sizeof(pre), "%s: ", subject);
	const char *kind = l->mixed ? w->mixed : w->same;
	const char *s = l->count == 1 ? "" : "s";
	switch (l->say) {
	case FEED_HEALTH_SUMMARY:
		log_line(threshold, level, module, "%s%s %u more time%s in the last %s (%s %s)",
			 pre, kind, l->count, s, span, w->since, since);
		break;
	case FEED_HEALTH_FIRST:
		if (l->count) /* the old failure's repeats not said yet, before the new one */
			log_line(threshold, level, module,
				 "%s%s %u more time%s in the last %s, then another:", pre, kind,
				 l->count, s, span);
		break;
	case FEED_HEALTH_RECOVERED:
		log_line(threshold, LOG_INFO, module, "%s%s %u %s%s since %s", pre, w->again,
			 l->count, w->unit, s, since);
		break;
	case FEED_HEALTH_QUIET: break;
	}
}

void feed_log_streak(enum log_level threshold, const char *module, const struct feed_health_line *l)
{
	say_streak(threshold, LOG_ERROR, module, NULL, &poll_words, l);
}

void feed_log_fault(enum log_level threshold, enum log_level level, const char *module,
		    const char *subject, struct feed_health *h, const char *msg)
{
	struct feed_health_line l = feed_health_failed(h, msg, feed_log_now_ms());
	say_streak(threshold, level, module, subject, &fault_words,
		   &l); /* the old one's repeats first */
	if (l.say == FEED_HEALTH_FIRST)
		log_line(threshold, level, module, "%s", msg);
}

void feed_log_fault_over(enum log_level threshold, const char *module, const char *subject,
			 struct feed_health *h)
{
	struct feed_health_line l = feed_health_ok(h, feed_log_now_ms());
	say_streak(threshold, LOG_WARN, module, subject, &fault_words, &l);
}

void feed_log_wait(enum log_level threshold, const char *module, const char *feed,
		   const struct fetch_result *r, int64_t *said_s)
{
	if (!r->retry_after[0]) {
		*said_s = -1;
		return;
	}
	int64_t asked = r->asked_wait_s >= 0 ? r->asked_wait_s : -2; /* -2: did not read */
	if (asked == *said_s)
		return;
	*said_s = asked;
	if (asked >= 0)
		log_line(threshold, LOG_INFO, module,
			 "%s: the server asks to wait %lld s (HTTP %ld): next try in %lld s", feed,
			 (long long)asked, r->http_status, (long long)(r->retry_ms / 1000));
	else
		log_line(threshold, LOG_INFO, module,
			 "%s: the server's Retry-After '%.80s' (HTTP %ld) does not read: ignored, "
			 "next try in %lld s",
			 feed, r->retry_after, r->http_status, (long long)(r->retry_ms / 1000));
}

void feed_watch_init(struct feed_watch *w, enum log_level log, const char *module, const char *feed)
{
	*w = (struct feed_watch){.log = log, .module = module, .feed = feed, .said_wait_s = -1};
	feed_health_init(&w->health);
}

bool feed_watch_answer(struct feed_watch *w, const struct fetch_result *r, const char *meanwhile)
{
	if (r->outcome == FETCH_FAILED &&
	    r->too_big) { /* it answered: a body that cannot be read */
		if (w->offline)
			log_line(w->log, LOG_INFO, w->module, "%s reachable again", w->feed);
		w->offline = false;
		char msg[FEED_ERROR_MAX];
		snprintf(msg, sizeof(msg), "the %s is %s; next try in %lld s", w->feed, r->error,
			 (long long)(r->retry_ms / 1000));
		if (feed_watch_body(w, false, msg))
			log_line(w->log, LOG_ERROR, w->module, "%s; %s", msg, meanwhile);
		return false;
	}
	if (r->outcome == FETCH_FAILED) {
		feed_log_wait(w->log, w->module, w->feed, r, &w->said_wait_s);
		if (!w->offline)
			log_line(w->log, LOG_INFO, w->module, "%s unreachable: %s; %s", w->feed,
				 r->error, meanwhile);
		w->offline = true;
		return false;
	}
	if (w->offline)
		log_line(w->log, LOG_INFO, w->module, "%s reachable again", w->feed);
	w->offline = false;
	w->said_wait_s = -1;
	if (r->outcome == FETCH_NOT_MODIFIED && w->health.failing) { /* the same bad body */
		struct feed_health_line l =
			feed_health_failed(&w->health, w->failure, feed_log_now_ms());
		feed_log_streak(w->log, w->module, &l);
	}
	return true;
}

bool feed_watch_body(struct feed_watch *w, bool ok, const char *msg)
{
	struct feed_health_line l = ok ? feed_health_ok(&w->health, feed_log_now_ms())
				       : feed_health_failed(&w->health, msg, feed_log_now_ms());
	feed_log_streak(w->log, w->module, &l);
	if (!ok)
		snprintf(w->failure, sizeof(w->failure), "%s", msg);
	return !ok && l.say == FEED_HEALTH_FIRST;
}
