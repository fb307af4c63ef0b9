/* lunch_advice: every rule here speaks only when the forecast's own 80 %
 * interval leaves no doubt; a screen that says nothing is better than one
 * that sends a hall of people the wrong way. */
#include "lunch_advice.h"

#include "schedule.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MINUTE_MS = 60000, FOLD = SCHEDULE_MAX_NAME * 2 + 1 };

/* The shorter line is judged on the wait 15 minutes ahead too: the time to
 * read the screen, decide and walk there. */
static const int64_t AHEAD_MS = 15 * MINUTE_MS;

void lunch_advice_state_init(struct lunch_advice_state *st)
{
	st->named[0] = '\0';
	st->changed_ms = INT64_MIN;
}

/* ---- the forecast line ------------------------------------------------------------ */

/* Now, then at most two moments: the highest point ahead when it is a minute
 * above now (when not to go), then the first point after it at half of it or
 * less (when the wave has passed). A line that does not rise shows the first
 * point at half of now's wait or less (when it has emptied). A line that
 * does neither shows where it is in an hour (the last point). Two moments
 * keep the line short enough for a portrait screen, and these two answer
 * the question people ask the screen: when should I go? */
static void pick_items(const struct queue_view *v, struct lunch_line_advice *a)
{
	const struct queue_forecast *f = &v->forecast;
	double now = v->now.wait_s;
	size_t peak = SIZE_MAX, last = SIZE_MAX;
	for (size_t k = 0; k < f->n; k++) {
		if (!f->points[k].known)
			continue;
		if (peak == SIZE_MAX || f->points[k].wait_s > f->points[peak].wait_s)
			peak = k;
		last = k;
	}
	if (peak == SIZE_MAX)
		return;
	double ref = now;
	size_t from = 0;
	if (f->points[peak].wait_s >= now + LUNCH_ADVICE_SHOW_S) {
		a->items[a->n_items++] = f->points[peak];
		ref = f->points[peak].wait_s;
		from = peak + 1;
	}
	for (size_t k = from; k < f->n; k++) {
		const struct queue_forecast_point *p = &f->points[k];
		if (p->known && p->wait_s <= ref / 2 && p->wait_s <= ref - LUNCH_ADVICE_SHOW_S) {
			a->items[a->n_items++] = *p;
			break;
		}
	}
	if (!a->n_items)
		a->items[a->n_items++] = f->points[last];
}

/* ---- when to go ------------------------------------------------------------------- */

static void fold(const char *s, char out[FOLD])
{
	text_fold_key(s ? s : "", out, FOLD);
}

static bool is_catering(const struct session *x)
{
	static const char *const words[] = {"lunch", "dejeuner", "buffet",
					    "repas", "catering", "meal"};
	char title[FOLD], type[FOLD];
	fold(x->title, title);
	fold(x->type, type);
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strstr(title, words[i]) || strstr(type, words[i]))
			return true;
	return false;
}

int64_t lunch_advice_catering_end(const struct schedule *s, const struct queue_view *v,
				  int64_t now_ms)
{
	if (!s || !v)
		return 0;
	char venue[FOLD], name[FOLD], room[FOLD];
	fold(v->venue, venue);
	fold(v->name, name);
	int64_t now_s = now_ms / 1000, end = 0;
	for (size_t i = 0; i < s->n_sessions && s->sessions[i].start <= now_s; i++) {
		const struct session *x = &s->sessions[i];
		const struct room *r = x->room ? schedule_find_room(s, x->room) : NULL;
		if (!r || x->status == SESSION_CANCELLED || now_s >= x->end || !is_catering(x))
			continue;
		fold(r->name, room);
		bool here = room[0] && ((venue[0] && strstr(room, venue)) ||
					(name[0] && (strstr(room, name) || strstr(name, room))));
		if (here && x->end * 1000 > end)
			end = x->end * 1000;
	}
	return end;
}

static double margin(double now_s)
{
	return fmax(LUNCH_ADVICE_MARGIN_S, now_s * LUNCH_ADVICE_MARGIN_PCT / 100.0);
}

/* "best before T" when at T even the interval's low end is more than the
 * margin above the wait now: whatever happens within 8 times in 10, the
 * line will be longer then. "quieter after T" when the line is long now and
 * at T even the interval's high end is more than the margin below it.
 * Whichever comes first; an interval that reaches within the margin of now
 * says nothing. Only while the line's catering is open, for a moment before
 * it closes (and for "quieter", early enough to still be served). */
static void pick_tip(const struct queue_view *v, int64_t end_ms, struct lunch_line_advice *a)
{
	const struct queue_forecast *f = &v->forecast;
	double now = v->now.wait_s, m = margin(now);
	for (size_t k = 0; k < f->n && f->points[k].at_ms <= end_ms; k++) {
		const struct queue_forecast_point *p = &f->points[k];
		if (!p->known)
			continue;
		if (p->low_s > now + m) {
			a->tip = LUNCH_TIP_BEST_BEFORE;
			a->tip_ms = p->at_ms;
			return;
		}
		if (now >= LUNCH_ADVICE_LONG_S && p->high_s < now - m &&
		    p->at_ms <= end_ms - LUNCH_ADVICE_LATE_MIN * MINUTE_MS) {
			a->tip = LUNCH_TIP_QUIETER_AFTER;
			a->tip_ms = p->at_ms;
			return;
		}
	}
}

/* ---- the shorter line ------------------------------------------------------------- */

/* A line with a walk time, wait plus walk, and how far that may be off
 * either way: the now-cast's own error (by its confidence) plus how far the
 * line may move before one gets there (the interval 15 minutes ahead,
 * measured from now's wait; without a forecast, half the wait or 3 min). */
struct rival {
	size_t line;
	int walk_min;
	double wait, total, up, down;
};

static bool rival_of(const struct queue_view *v, int walk_min, int64_t now_ms, struct rival *r)
{
	const struct wait_estimate *w = &v->now;
	if (!w->known || w->confidence == CONFIDENCE_NONE)
		return false;
	double now = w->wait_s;
	double err =
		w->confidence == CONFIDENCE_GOOD ? fmax(60, 0.15 * now) : fmax(120, 0.35 * now);
	const struct queue_forecast_point *near = NULL;
	int64_t ahead = now_ms + AHEAD_MS, off = 5 * MINUTE_MS + 1;
	for (size_t k = 0; k < v->forecast.n; k++) {
		const struct queue_forecast_point *p = &v->forecast.points[k];
		if (p->known && llabs(p->at_ms - ahead) < off) {
			near = p;
			off = llabs(p->at_ms - ahead);
		}
	}
	double up = fmax(180, 0.5 * now), down = up;
	if (near) {
		up = fmax(0, near->high_s - now);
		down = fmax(0, now - near->low_s);
	}
	*r = (struct rival){.walk_min = walk_min, .wait = now, .total = now + walk_min * 60.0};
	r->up = err + up;
	r->down = err + down;
	return true;
}

/* a beats b beyond doubt: a at its worst is shorter than b at its best */
static bool clearly_shorter(const struct rival *a, const struct rival *b)
{
	return a->total + a->up < b->total - b->down;
}

/* The walk configured for line v (by id, or by name as people write it), -1
 * when none. */
static int walk_of(const struct lunch_advice_input *in, const struct queue_view *v)
{
	char want[FOLD], have[FOLD];
	fold(v->name, have);
	for (size_t i = 0; i < in->n_walks; i++) {
		if (strcmp(in->walks[i].queue, v->id) == 0)
			return in->walks[i].minutes;
		fold(in->walks[i].queue, want);
		if (want[0] && strcmp(want, have) == 0)
			return in->walks[i].minutes;
	}
	return -1;
}

/* The line to name now, regardless of what was said before: among the lines
 * with a walk time (two at least, every one with a wait), the one whose
 * total beats every other's beyond doubt. SIZE_MAX when none. */
static size_t best_line(const struct rival *r, size_t n, bool all_known)
{
	if (!all_known || n < 2)
		return SIZE_MAX;
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (r[i].total < r[best].total)
			best = i;
	for (size_t i = 0; i < n; i++)
		if (i != best && !clearly_shorter(&r[best], &r[i]))
			return SIZE_MAX;
	return best;
}

/* The advice changes at most once per LUNCH_ADVICE_HOLD_MIN; the one
 * exception: a line named shorter that is no longer there to show, or that
 * another line now beats beyond doubt, is withdrawn at once (a screen must
 * never send people to the longer line), and the next name waits out the
 * rest. A clock that went back (another day replayed) may change it. */
static void shorter(const struct lunch_advice_input *in, struct lunch_advice_state *st,
		    struct lunch_shorter *out)
{
	struct rival r[ESTIMATOR_MAX_QUEUES];
	size_t n = 0, held = SIZE_MAX;
	bool all_known = true;
	for (size_t i = 0; i < in->n_views && n < ESTIMATOR_MAX_QUEUES; i++) {
		int walk = walk_of(in, in->views[i]);
		if (walk < 0)
			continue;
		if (!rival_of(in->views[i], walk, in->now_ms, &r[n])) {
			all_known = false;
			continue;
		}
		r[n].line = i;
		if (strcmp(in->views[i]->id, st->named) == 0)
			held = n;
		n++;
	}
	size_t best = best_line(r, n, all_known);
	const char *want = best == SIZE_MAX ? "" : in->views[r[best].line]->id;
	int64_t now = in->now_ms;
	if (strcmp(want, st->named) != 0) {
		bool may = st->changed_ms == INT64_MIN || now < st->changed_ms ||
			   now - st->changed_ms >= LUNCH_ADVICE_HOLD_MIN * MINUTE_MS;
		bool wrong = st->named[0] && held == SIZE_MAX;
		for (size_t i = 0; i < n && !wrong && held != SIZE_MAX; i++)
			wrong = i != held && clearly_shorter(&r[i], &r[held]);
		if (may || wrong) {
			if (!may)
				want = "";
			memcpy(st->named, want, strlen(want) + 1);
			st->changed_ms = now;
			held = may ? best : SIZE_MAX;
		}
	}
	if (st->named[0] && held != SIZE_MAX)
		*out = (struct lunch_shorter){true, r[held].line, r[held].wait, r[held].walk_min};
}

void lunch_advice_decide(const struct lunch_advice_input *in, struct lunch_advice_state *st,
			 struct lunch_advice *out)
{
	memset(out, 0, sizeof(*out));
	out->n = in->n_views < ESTIMATOR_MAX_QUEUES ? in->n_views : ESTIMATOR_MAX_QUEUES;
	for (size_t i = 0; i < out->n; i++) {
		const struct queue_view *v = in->views[i];
		if (!v->now.known || !v->forecast.have)
			continue;
		pick_items(v, &out->lines[i]);
		int64_t end = lunch_advice_catering_end(in->schedule, v, in->now_ms);
		if (end)
			pick_tip(v, end, &out->lines[i]);
	}
	shorter(in, st, &out->shorter);
}
