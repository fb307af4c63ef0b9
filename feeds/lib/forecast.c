/* forecast: per queue, the minutes of each day (arrivals counted at the
 * entry line), a model of them fitted on the earlier days (how a day's
 * diners come counted from its opening — as the sessions let them out, and
 * as the earlier days came — and how many), today's opening from today's
 * programme, today's size from the rooms letting out and, as they come,
 * today's arrivals; a fluid queue run forward; a record of its own errors
 * for the interval, and of its errors against two baselines' that puts the
 * better baseline in its place where it does worse (forecast_record). */
#include "forecast.h"

#include "civil_time.h"
#include "schedule.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	DAY_MIN = 1440,
	LAG_MAX = 90,      /* minutes: nobody takes longer to reach the line */
	MAX_SENSORS = 16,  /* entry counters per queue */
	MAX_ENDS = 2048,   /* sessions letting out on one day */
	MAX_ROOMS = 128,   /* rooms with a count */
	ROOM_SLOT_S = 300, /* a room's count: the most seen per 5 minutes... */
	ROOM_SLOTS = (FORECAST_HISTORY_DAYS + 1) * 288, /* ...over the days learned from */
	CHECKS = 256,                                   /* self-checks kept per horizon */
	PENDING = 96,                                   /* forecasts waiting for their moment */
	MIN_CHECKS = 20,                                /* fewer: the prior interval */
	DOOR_LOOK_MIN = 20,                             /* a door's crowd is through within this */
	REL_BEFORE = 120,         /* the profile: from two hours before the opening... */
	REL_N = REL_BEFORE + 300, /* ...to five after */
	NEAR_AFTER = 30,          /* sessions letting out by this into the opening */
	FREE_BEFORE = 60,         /* and from this long before it */
};

/* The half-widths of the interval before the forecaster has checked itself
 * MIN_CHECKS times, as shares of (forecast + 2 min): wide, and wider above
 * (a line can grow further than it can shrink). */
static const double PRIOR_Q10 = -0.5, PRIOR_Q90 = 0.8;
static const double ERROR_FLOOR_S = 120.0; /* errors are relative to forecast + this */
static const double DEFAULT_SEATS = 100.0; /* a room nobody gave seats for */
static const double DAY_SCALE_SD = 0.25;   /* a day's crowd within a quarter of another's */
static const double DAY_SCALE_DAYS = 4.0;  /* ...as sure as four days' evidence */
static const double WAVE_NOISE = 0.10;     /* the model's own error on a wave's size */
static const double DOOR_NEAR = 0.8;       /* a minute near the door's most is held */
static const int HORIZONS_MIN[] = {15, 30, 60};
enum { N_H = sizeof(HORIZONS_MIN) / sizeof(*HORIZONS_MIN) };
static const int CHECK_EVERY_S = 300;
/* A forecast's errors depend on its size: a short line foreseen is short or
 * the wave came early; a long one is longer or shorter by minutes. The
 * interval takes the errors of forecasts of the same level: under 5
 * minutes, 5 to 15, over 15. */
static const double LEVEL_S[] = {300, 900};
enum { N_LEVELS = 3 };
static const int64_t COUNTER_GAP_MS = 600000; /* the now-cast's: every sensor dead */
static const double OPEN_MIN_PEOPLE = 5.0;    /* five minutes of at least this many... */
static const double OPEN_SHARE = 0.02;        /* ...and this share of a day: an opening */

/* A day of one queue: entries per local minute, and the minutes watched. */
struct day_obs {
	int64_t day; /* local days since 1970-01-01 */
	float arr[DAY_MIN];
	int first, last; /* watched minutes, -1 when none */
};

struct counter {
	char id[QUEUE_ID_MAX + 1];
	int64_t total, t_ms;
};

/* People letting out of a session: local minute, how many. */
struct end {
	int min;
	double people;
	int next; /* when the room's next session starts, DAY_MIN: none that day */
};

struct model {
	int days;            /* fitted on; 0: the day-one prior */
	double lag[LAG_MAX]; /* P(reaching the line m minutes after leaving) */
	double base;         /* per minute while open */
	double scale_sd;
	int open_min;    /* the usual opening, -1 when the line shows none */
	int open_offset; /* the usual opening after the programme's lunch, minutes */
	bool have_offset;
	double fill; /* people a room lets out per seat, where no camera counts */
	/* When people come: a share alpha of a day's diners as the sessions
	 * let them out (their people, walking lag), the rest as on the earlier
	 * days counted from the opening (profile, a share of the day per
	 * minute from REL_BEFORE before it). How many: day_total, times how
	 * many today's sessions around lunch hold against usual (near). */
	double alpha;
	float profile[REL_N];
	double near_usual;
	double door_per_min; /* the entry's pace when a crowd waits at it, 0: none seen */
	int close_min;       /* the usual last watched minute, -1 unknown */
	double day_total;    /* arrivals on a usual day, 0 unknown */
};

struct check {
	int64_t at_ms;
	int h;
	double forecast;
	/* the baselines as the forecast was made: the wait then, and the
	 * earlier days' at the moment's clock time */
	double persistence, same_time;
};

struct fq {
	struct day_obs today;
	struct day_obs *hist; /* ring of FORECAST_HISTORY_DAYS */
	size_t hist_head, hist_n;
	struct counter counters[MAX_SENSORS];
	int n_counters;
	struct model m;
	bool dirty; /* history changed since the fit */
	/* its errors in seconds (then minus forecast), per horizon and level */
	float errors[N_H][N_LEVELS][CHECKS];
	size_t n_errors[N_H][N_LEVELS], err_head[N_H][N_LEVELS];
	struct check pending[PENDING];
	size_t n_pending;
	int64_t next_check_ms;
	struct forecast_record record; /* against the baselines: is it worth showing */
};

struct room_counts {
	char key[SCHEDULE_MAX_NAME * 2 + 1]; /* the room's name, folded */
	int64_t slot[ROOM_SLOTS];            /* which 5 minutes each entry holds */
	int16_t people[ROOM_SLOTS];
};

struct forecaster {
	struct estimator *est;
	const struct schedule *schedule;
	unsigned char *kind; /* per session: KIND_ bits, worked out once per schedule */
	double seats_default;
	struct fq *q[ESTIMATOR_MAX_QUEUES];
	struct room_counts *rooms[MAX_ROOMS];
	size_t n_rooms;
	bool raw; /* while the self-check forecasts: the model's own, never withheld
		   * (a withheld forecast must still be scored to come back) */
};

_Static_assert(FORECAST_RECORD_HORIZONS == sizeof(HORIZONS_MIN) / sizeof(*HORIZONS_MIN),
	       "the record keeps one ring per self-check horizon");

struct forecaster *forecaster_create(void)
{
	struct forecaster *f = calloc(1, sizeof(*f));
	if (f && !(f->est = estimator_create())) {
		free(f);
		return NULL;
	}
	if (f)
		f->seats_default = DEFAULT_SEATS;
	return f;
}

void forecaster_destroy(struct forecaster *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++) {
		if (f->q[i])
			free(f->q[i]->hist);
		free(f->q[i]);
	}
	for (size_t i = 0; i < f->n_rooms; i++)
		free(f->rooms[i]);
	estimator_destroy(f->est);
	free(f->kind);
	free(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t forecaster_queue_count(const struct forecaster *f)
{
	return estimator_queue_count(f->est);
}

const char *forecaster_queue_id(const struct forecaster *f, size_t i)
{
	return estimator_queue_id(f->est, i);
}

int64_t forecaster_queue_newest_ms(const struct forecaster *f, size_t i)
{
	return estimator_queue_newest_ms(f->est, i);
}

void forecaster_now(struct forecaster *f, size_t i, int64_t t_ms, struct wait_estimate *out)
{
	estimator_estimate(f->est, i, t_ms, out);
}

struct estimator *forecaster_estimator(struct forecaster *f)
{
	return f->est;
}

int forecaster_days_learned(const struct forecaster *f, size_t i)
{
	return i < ESTIMATOR_MAX_QUEUES && f->q[i] ? (int)f->q[i]->hist_n : 0;
}

/* ---- the local clock --------------------------------------------------------------- */

static void local_time(const struct forecaster *f, int64_t t_ms, int64_t *day, int *minute)
{
	struct civil c;
	int64_t t = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
	civil_from_utc_in(t, f->schedule ? f->schedule->zone : NULL, &c);
	*day = civil_days_from_date(c.year, c.month, c.day);
	*minute = c.hour * 60 + c.minute;
}

/* ---- what the schedule says ------------------------------------------------------- */

static bool contains_ci(const char *s, const char *word)
{
	for (; s && *s; s++)
		if (text_starts_with_ci(s, word))
			return true;
	return false;
}

/* Catering sends nobody to lunch: breaks, meals, coffee. */
static bool is_catering_text(const struct session *x)
{
	static const char *const words[] = {"lunch",       "d\xC3\xA9jeuner", "dejeuner", "coffee",
					    "caf\xC3\xA9", "pause",           "buffet",   "break",
					    "repas",       "catering"};
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (contains_ci(x->type, words[k]) || contains_ci(x->title, words[k]))
			return true;
	return false;
}

enum { KIND_CATERING = 1, KIND_MEAL = 2 };

/* A meal by its words: lunch, déjeuner, repas, meal. */
static bool is_meal_text(const struct session *x)
{
	static const char *const words[] = {"lunch", "d\xC3\xA9jeuner", "dejeuner", "repas",
					    "meal"};
	for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
		if (contains_ci(x->title, words[k]) || contains_ci(x->type, words[k]))
			return true;
	return false;
}

/* Session i's KIND_ bits: from the table worked out when the schedule
 * came (the words are looked for once, not at every forecast), or from its
 * words when the table could not be made. */
static unsigned session_kind(const struct forecaster *f, size_t i)
{
	if (f->kind)
		return f->kind[i];
	const struct session *x = &f->schedule->sessions[i];
	return (is_catering_text(x) ? KIND_CATERING : 0) | (is_meal_text(x) ? KIND_MEAL : 0);
}

void forecaster_set_schedule(struct forecaster *f, const struct schedule *s)
{
	f->schedule = s;
	free(f->kind);
	f->kind = s && s->n_sessions ? malloc(s->n_sessions) : NULL;
	for (size_t i = 0; f->kind && i < s->n_sessions; i++)
		f->kind[i] =
			(unsigned char)((is_catering_text(&s->sessions[i]) ? KIND_CATERING : 0) |
					(is_meal_text(&s->sessions[i]) ? KIND_MEAL : 0));
	f->seats_default = DEFAULT_SEATS;
	size_t n = 0;
	double *caps = s && s->n_rooms ? malloc(s->n_rooms * sizeof(*caps)) : NULL;
	for (size_t i = 0; caps && i < s->n_rooms; i++)
		if (s->rooms[i].capacity > 0)
			caps[n++] = s->rooms[i].capacity;
	if (n) { /* a room without seats is like the others' median */
		qsort(caps, n, sizeof(*caps), cmp_double);
		f->seats_default = caps[n / 2];
	}
	free(caps);
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++)
		if (f->q[i])
			f->q[i]->dirty = true;
}

/* The most people a room's sensor saw while a session ran there (start to
 * end, UTC seconds; as far as it has been counted), -1 when none. */
static int counted_during(const struct forecaster *f, const char *room_name, int64_t start,
			  int64_t end)
{
	char key[sizeof(f->rooms[0]->key)];
	text_fold_key(room_name, key, sizeof(key));
	for (size_t i = 0; i < f->n_rooms; i++) {
		const struct room_counts *r = f->rooms[i];
		if (strcmp(r->key, key) != 0)
			continue;
		int best = -1;
		for (int64_t slot = start / ROOM_SLOT_S; slot <= end / ROOM_SLOT_S; slot++) {
			size_t j = (size_t)(slot % ROOM_SLOTS);
			if (r->slot[j] == slot && r->people[j] > best)
				best = r->people[j];
		}
		return best;
	}
	return -1;
}

/* A session whose room still holds people ten minutes after its end
 * overran (a keynote running late): the latest count after end, against
 * the most seen while it ran; next_start (UTC seconds, INT64_MAX: none):
 * the room's next session, whose audience is no overrun. */
static bool still_running(const struct forecaster *f, const char *room_name, int64_t start,
			  int64_t end, int64_t next_start, int64_t now)
{
	if (now < end + 600 || next_start < now + 900)
		return false;
	int during = counted_during(f, room_name, start, end);
	int after = counted_during(f, room_name, now - 300, now);
	return during > 0 && after >= 10 && after >= 0.3 * during;
}

/* Session i lets an audience out: not cancelled, not catering, and not an
 * exhibition or registration desk (open for more than four hours). */
static bool lets_out(const struct forecaster *f, size_t i)
{
	const struct session *x = &f->schedule->sessions[i];
	return !(x->status == SESSION_CANCELLED || (session_kind(f, i) & KIND_CATERING) ||
		 x->end - x->start > 4 * 3600);
}

/* The start of the next session in session i's room (sessions are in start
 * order) within a day of its end, INT64_MAX when none: its audience, if it
 * is the same, is not free for lunch. */
static int64_t next_in_room(const struct schedule *s, size_t i)
{
	const struct session *x = &s->sessions[i];
	for (size_t j = i + 1; x->room && j < s->n_sessions; j++) {
		const struct session *y = &s->sessions[j];
		if (y->start >= x->end + 86400)
			break; /* a day later: no overrun, not the same audience */
		if (y->start >= x->end && y->room && strcmp(y->room, x->room) == 0 &&
		    y->status != SESSION_CANCELLED)
			return y->start;
	}
	return INT64_MAX;
}

/* The sessions that let out on local day: when, and how many (a room's
 * count when there was one, else its seats times the rooms' usual fill).
 * now (UTC seconds, 0 for a day past): a session that overran lets out
 * later, by Gott's rule as long again as it has overrun (at least 5 min).
 * Returns how many. */
static size_t day_ends(const struct forecaster *f, int64_t day, struct end *out, size_t cap,
		       double fill, int64_t now)
{
	const struct schedule *s = f->schedule;
	size_t n = 0;
	for (size_t i = 0; s && i < s->n_sessions && n < cap; i++) {
		const struct session *x = &s->sessions[i];
		if (!lets_out(f, i))
			continue;
		int64_t d;
		int m;
		local_time(f, x->end * 1000, &d, &m);
		if (d != day)
			continue;
		const struct room *r = x->room ? schedule_find_room(s, x->room) : NULL;
		int counted = r ? counted_during(f, r->name, x->start, x->end) : -1;
		double seats = r && r->capacity > 0 ? r->capacity : f->seats_default;
		int64_t next_start = next_in_room(s, i);
		if (now && r && still_running(f, r->name, x->start, x->end, next_start, now)) {
			int64_t over = now - x->end;
			m += (int)((over + (over > 300 ? over : 300)) / 60);
			counted = counted_during(f, r->name, x->start, now);
		}
		if (m >= DAY_MIN)
			continue;
		int next = DAY_MIN;
		if (next_start != INT64_MAX) {
			int64_t nd;
			int nm;
			local_time(f, next_start * 1000, &nd, &nm);
			next = nd == day ? nm : DAY_MIN;
		}
		out[n++] = (struct end){m, counted >= 0 ? counted : seats * fill, next};
	}
	return n;
}

/* ---- the model ---------------------------------------------------------------------- */

/* A log-normal walking time, median med minutes, spread sigma, per minute. */
static void lag_pmf(double med, double sigma, double *pmf)
{
	double prev = 0, sum = 0;
	for (int m = 0; m < LAG_MAX; m++) {
		double x = m + 1.0;
		double cdf = 0.5 * erfc(-(log(x) - log(med)) / (sigma * sqrt(2.0)));
		pmf[m] = cdf - prev;
		prev = cdf;
		sum += pmf[m];
	}
	for (int m = 0; m < LAG_MAX; m++)
		pmf[m] /= sum > 0 ? sum : 1;
}

/* The minute a line opened: the first from which five minutes bring at
 * least need people (a closed door lets nobody in; a few stray counts
 * before it are no opening). Looks at minutes up to upto; -1 when none. */
static int opening(const struct day_obs *o, int upto, double need)
{
	if (o->first < 0)
		return -1;
	upto = upto < o->last ? upto : o->last;
	double run = 0;
	for (int m = o->first, head = o->first; m <= upto; m++) {
		run += o->arr[m];
		if (m - head >= 5)
			run -= o->arr[head++];
		if (run >= need) {
			while (o->arr[head] <= 0) /* the first minute anyone came */
				head++;
			return head;
		}
	}
	return -1;
}

/* One earlier day, prepared for the fit. A door that opens at lunchtime
 * holds those who came early and lets them in as fast as it can: while it
 * does, the counts say how fast the door is, not how many came, so the fit
 * starts once the crowd at the door is through (fit_from). Running totals
 * weigh a wave by its size, not by how sharply it is timed. */
struct fit_day {
	const struct day_obs *obs;
	struct end *ends;
	size_t n_ends;
	int open, fit_from; /* opening (-1: none seen), first minute fitted */
	double door;        /* the door's pace that day, 0 when it never held anyone */
	float cy[DAY_MIN];  /* arrivals since the opening (or the first watched minute) */
};

static void prepare_day(struct fit_day *d)
{
	const struct day_obs *o = d->obs;
	double total = 0;
	for (int m = o->first; m <= o->last; m++)
		total += o->arr[m];
	d->open = opening(o, o->last, fmax(OPEN_MIN_PEOPLE, OPEN_SHARE * total));
	int from = d->open >= 0 ? d->open : o->first;
	double sum = 0;
	for (int m = o->first; m <= o->last; m++)
		d->cy[m] = (float)(sum += m >= from ? o->arr[m] : 0);
	/* the door: a plateau at the opening, three minutes or more near the
	 * most that came in a minute */
	d->door = 0;
	d->fit_from = from;
	if (d->open < 0)
		return;
	int end = d->open + DOOR_LOOK_MIN < o->last ? d->open + DOOR_LOOK_MIN : o->last;
	double top = 0;
	for (int m = d->open; m <= end; m++)
		top = fmax(top, o->arr[m]);
	int near = 0, last_near = d->open;
	double near_sum = 0;
	for (int m = d->open; m <= end; m++)
		if (o->arr[m] >= DOOR_NEAR * top) {
			near++;
			near_sum += o->arr[m];
			last_near = m;
		}
	if (near >= 3 && top >= 10) {
		d->door = near_sum / near;
		d->fit_from = last_near + 1;
	}
}

/* Lunch by the programme on local day: the start of its first meal
 * session between 10:00 and 16:00, -1 when it has none. */
static int programme_lunch(const struct forecaster *f, int64_t day)
{
	const struct schedule *s = f->schedule;
	int best = -1;
	for (size_t i = 0; s && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		if (x->status == SESSION_CANCELLED)
			continue;
		bool meal = session_kind(f, i) & KIND_MEAL;
		int64_t d;
		int m;
		local_time(f, x->start * 1000, &d, &m);
		if (meal && d == day && m >= 600 && m <= 960 && (best < 0 || m < best))
			best = m;
	}
	return best;
}

/* The day-one prior: a trickle, and four in ten of those who let out in the
 * half hour before the line opens or while it is open join, five minutes
 * later (give or take); the opening is the programme's lunch. */
static void prior_model(struct model *m)
{
	memset(m, 0, sizeof(*m));
	lag_pmf(5.0, 0.6, m->lag);
	m->base = 0.5;
	m->scale_sd = 0.5;
	m->open_min = m->close_min = -1;
	m->fill = 1.0;
}

static const struct day_obs *hist_at(const struct fq *q, size_t i)
{
	return &q->hist[(q->hist_head + i) % FORECAST_HISTORY_DAYS];
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* People a room lets out per seat, from the earlier days' sessions a
 * camera counted (contracts section 1, room): the rooms' seats stand for
 * that many where no camera counts, so that a share learned from counts
 * is not applied to seats. 1 when nothing was counted. */
static double learn_fill(const struct forecaster *f, const struct fq *q)
{
	const struct schedule *s = f->schedule;
	double people = 0, seats = 0;
	for (size_t i = 0; s && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		const struct room *r = x->room ? schedule_find_room(s, x->room) : NULL;
		if (!r || x->status == SESSION_CANCELLED || (session_kind(f, i) & KIND_CATERING))
			continue;
		int64_t d;
		int m;
		local_time(f, x->end * 1000, &d, &m);
		bool learned = false;
		for (size_t k = 0; k < q->hist_n && !learned; k++)
			learned = hist_at(q, k)->day == d;
		int counted = learned ? counted_during(f, r->name, x->start, x->end) : -1;
		if (counted < 0)
			continue;
		people += counted;
		seats += r->capacity > 0 ? r->capacity : f->seats_default;
	}
	return seats > 0 && people > 0 ? people / seats : 1.0;
}

/* Whether the people of a session let out at e are free for lunch: let
 * out at or after the opening, or in the hour before it from a room whose
 * next session starts after the opening. People let out between two
 * morning talks go to the next one, and a morning keynote's to the talks
 * after it, not to lunch. */
static bool free_for_lunch(const struct end *e, int open)
{
	return open < 0 || e->min >= open || (e->min >= open - FREE_BEFORE && e->next >= open);
}

/* The sessions' part of a day's timing: people let out free for lunch
 * walk to the line (the door holds them until it opens), as a share of the
 * day per minute (sums to 1; all 0 when no session counts). */
static void session_timing(const struct end *e, size_t n, int open, const double *lag, double *out)
{
	memset(out, 0, sizeof(double) * DAY_MIN);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (!free_for_lunch(&e[i], open))
			continue;
		for (int m = 0; m < LAG_MAX && e[i].min + m < DAY_MIN; m++)
			out[e[i].min + m] += e[i].people * lag[m], sum += e[i].people * lag[m];
	}
	for (int m = 0; sum > 0 && m < DAY_MIN; m++)
		out[m] /= sum;
}

/* People let out free for lunch around a day's opening (up to NEAR_AFTER
 * into it): how many the day's lunch has to draw on. */
static double near_people(const struct end *e, size_t n, int open)
{
	double p = 0;
	for (size_t i = 0; i < n; i++)
		if (open >= 0 && e[i].min <= open + NEAR_AFTER && free_for_lunch(&e[i], open))
			p += e[i].people;
	return p;
}

/* The earlier days' arrivals per minute from REL_BEFORE before their
 * opening, as shares of each day, averaged; skip: a day left out (-1:
 * none), so that a day is never explained by itself. */
static void profile_of(const struct fit_day *d, size_t nd, long skip, double *out)
{
	memset(out, 0, sizeof(double) * REL_N);
	size_t used = 0;
	for (size_t k = 0; k < nd; k++) {
		const struct day_obs *o = d[k].obs;
		double total = d[k].cy[o->last];
		if ((long)k == skip || d[k].open < 0 || total <= 0)
			continue;
		for (int r = 0; r < REL_N; r++) {
			int m = d[k].open - REL_BEFORE + r;
			if (m >= 0 && m < DAY_MIN && m >= d[k].open)
				out[r] += o->arr[m] / total;
		}
		used++;
	}
	for (int r = 0; used && r < REL_N; r++)
		out[r] /= (double)used;
}

/* How a day's diners come, fitted on the earlier days' running totals
 * (each day explained with the others' profile): the share alpha that
 * follows the sessions and their walk (a grid); how many come, and the
 * spread of the days' sizes. */
static void fit_timing(struct fq *q, struct fit_day *d, size_t nd)
{
	static const double sigmas[] = {0.35, 0.6, 0.9};
	static const double meds[] = {2, 3, 5, 8, 12};
	static const double alphas[] = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
	double *st = malloc(sizeof(double) * DAY_MIN), *prof = malloc(sizeof(double) * REL_N * nd);
	double lag[LAG_MAX];
	if (!st || !prof)
		goto out;
	for (size_t k = 0; k < nd; k++)
		profile_of(d, nd, nd > 1 ? (long)k : -1, prof + k * REL_N);
	double best = INFINITY, best_a = 0.5, best_med = 5, best_sigma = 0.6;
	for (size_t mi = 0; mi < sizeof(meds) / sizeof(*meds); mi++)
		for (size_t si = 0; si < sizeof(sigmas) / sizeof(*sigmas); si++) {
			lag_pmf(meds[mi], sigmas[si], lag);
			double sse[sizeof(alphas) / sizeof(*alphas)] = {0};
			for (size_t k = 0; k < nd; k++) {
				const struct fit_day *x = &d[k];
				if (x->open < 0)
					continue;
				session_timing(x->ends, x->n_ends, x->open, lag, st);
				double total = x->cy[x->obs->last], cs = 0, cp = 0;
				for (int m = 0; m <= x->obs->last; m++) {
					cs += st[m];
					int r = m - x->open + REL_BEFORE;
					cp += r >= 0 && r < REL_N ? prof[k * REL_N + r] : 0;
					if (m < x->fit_from)
						continue;
					for (size_t ai = 0; ai < sizeof(alphas) / sizeof(*alphas);
					     ai++) {
						double e =
							x->cy[m] - total * (alphas[ai] * cs +
									    (1 - alphas[ai]) * cp);
						sse[ai] += e * e;
					}
				}
			}
			for (size_t ai = 0; ai < sizeof(alphas) / sizeof(*alphas); ai++)
				if (sse[ai] < best)
					best = sse[ai], best_a = alphas[ai], best_med = meds[mi],
					best_sigma = sigmas[si];
		}
	q->m.alpha = best_a;
	lag_pmf(best_med, best_sigma, q->m.lag);
	profile_of(d, nd, -1, prof);
	for (int r = 0; r < REL_N; r++)
		q->m.profile[r] = (float)prof[r];
	q->m.base = 0;
	/* the days' sizes, and the sessions around lunch that made them */
	double totals[FORECAST_HISTORY_DAYS], near[FORECAST_HISTORY_DAYS];
	size_t ns = 0;
	for (size_t k = 0; k < nd; k++)
		if (d[k].open >= 0 && d[k].cy[d[k].obs->last] > 10) {
			totals[ns] = d[k].cy[d[k].obs->last];
			near[ns++] = near_people(d[k].ends, d[k].n_ends, d[k].open);
		}
	double mean = 0, var = 0, nmean = 0;
	for (size_t k = 0; k < ns; k++)
		mean += totals[k] / (double)ns, nmean += near[k] / (double)ns;
	for (size_t k = 0; k < ns; k++)
		var += (totals[k] / mean - 1) * (totals[k] / mean - 1) /
		       (double)(ns > 1 ? ns - 1 : 1);
	if (ns)
		q->m.day_total = mean;
	q->m.near_usual = nmean;
	/* few days say little about their spread: the prior's counts as
	 * DAY_SCALE_DAYS days of evidence (a scaled inverse chi-squared) */
	double dof = ns > 1 ? (double)(ns - 1) : 0;
	q->m.scale_sd = sqrt((DAY_SCALE_DAYS * DAY_SCALE_SD * DAY_SCALE_SD + dof * var) /
			     (DAY_SCALE_DAYS + dof));
out:
	free(st);
	free(prof);
}

/* Fits queue q's model on its earlier days: each day's opening and door,
 * the usual delay after the programme's lunch, the usual close; then when
 * and how many people come (fit_timing). */
static void fit(struct forecaster *f, struct fq *q)
{
	q->dirty = false;
	prior_model(&q->m);
	if (q->hist_n == 0)
		return;
	q->m.fill = learn_fill(f, q);
	struct fit_day *d = calloc(FORECAST_HISTORY_DAYS, sizeof(*d));
	size_t nd = 0;
	bool ok = d != NULL;
	for (size_t i = 0; ok && i < q->hist_n; i++) {
		if (hist_at(q, i)->first < 0)
			continue;
		struct fit_day *x = &d[nd++];
		x->obs = hist_at(q, i);
		x->ends = malloc(MAX_ENDS * sizeof(*x->ends));
		ok = x->ends != NULL;
		if (ok) {
			x->n_ends = day_ends(f, x->obs->day, x->ends, MAX_ENDS, q->m.fill, 0);
			prepare_day(x);
		}
	}
	if (!ok || nd == 0)
		goto out;
	double opens[FORECAST_HISTORY_DAYS], doors[FORECAST_HISTORY_DAYS],
		lasts[FORECAST_HISTORY_DAYS];
	size_t n_open = 0, n_door = 0;
	for (size_t k = 0; k < nd; k++) {
		if (d[k].open >= 0)
			opens[n_open++] = d[k].open;
		if (d[k].door > 0)
			doors[n_door++] = d[k].door;
		lasts[k] = d[k].obs->last;
	}
	q->m.open_min = n_open ? (int)median(opens, n_open) : -1;
	/* the buffet opens when the programme says, give or take the usual */
	double offs[FORECAST_HISTORY_DAYS];
	size_t n_off = 0;
	for (size_t k = 0; k < nd; k++) {
		int prog = programme_lunch(f, d[k].obs->day);
		if (d[k].open >= 0 && prog >= 0)
			offs[n_off++] = d[k].open - prog;
	}
	q->m.have_offset = n_off > 0;
	q->m.open_offset = n_off ? (int)median(offs, n_off) : 0;
	/* a door seen holding people on most days is the venue's */
	q->m.door_per_min = 2 * n_door > nd ? median(doors, n_door) : 0;
	q->m.close_min = (int)median(lasts, nd);
	for (size_t k = 0; k < nd; k++)
		lasts[k] = d[k].cy[d[k].obs->last];
	q->m.day_total =
		median(lasts, nd); /* fit_timing's mean of the days that opened replaces it */
	fit_timing(q, d, nd);
	q->m.days = (int)nd;
out:
	for (size_t k = 0; d && k < nd; k++) {
		free(d[k].ends);
	}
	free(d);
}

/* ---- taking samples ---------------------------------------------------------------- */

static struct fq *queue_state(struct forecaster *f, const char *id)
{
	for (size_t i = 0; i < estimator_queue_count(f->est); i++) {
		if (strcmp(estimator_queue_id(f->est, i), id) != 0)
			continue;
		if (!f->q[i]) {
			struct fq *q = calloc(1, sizeof(*q));
			if (!q || !(q->hist = calloc(FORECAST_HISTORY_DAYS, sizeof(*q->hist)))) {
				free(q);
				return NULL;
			}
			q->today.first = q->today.last = -1;
			q->today.day = INT64_MIN;
			q->dirty = true;
			forecast_record_init(&q->record);
			f->q[i] = q;
		}
		return f->q[i];
	}
	return NULL;
}

/* A new local day: yesterday's minutes join the history. */
static void roll_day(struct fq *q, int64_t day)
{
	if (q->today.day != INT64_MIN && q->today.first >= 0) {
		if (q->hist_n == FORECAST_HISTORY_DAYS)
			q->hist_head = (q->hist_head + 1) % FORECAST_HISTORY_DAYS, q->hist_n--;
		q->hist[(q->hist_head + q->hist_n++) % FORECAST_HISTORY_DAYS] = q->today;
		q->dirty = true;
		forecast_record_new_day(&q->record); /* a model fitted on one more day */
	}
	memset(&q->today, 0, sizeof(q->today));
	q->today.day = day;
	q->today.first = q->today.last = -1;
	q->n_pending = 0; /* forecasts across the night are not checked */
}

/* Entries counted at minute m: the increment of an entry counter's total. */
static void take_count(struct forecaster *f, struct fq *q, const struct queue_sample *s)
{
	struct counter *c = NULL;
	for (int i = 0; i < q->n_counters; i++)
		if (strcmp(q->counters[i].id, s->sensor) == 0)
			c = &q->counters[i];
	if (!c) {
		if (q->n_counters == MAX_SENSORS)
			return;
		c = &q->counters[q->n_counters++];
		memcpy(c->id, s->sensor, sizeof(c->id));
		c->total = s->total, c->t_ms = s->t_ms;
		return; /* the first total is a baseline */
	}
	if (s->t_ms <= c->t_ms)
		return; /* late: nothing new */
	if (s->t_ms - c->t_ms > COUNTER_GAP_MS) {
		/* back after a night or an outage: what it counted meanwhile
		 * belongs to no minute (stray counts); a new baseline */
		c->total = s->total, c->t_ms = s->t_ms;
		return;
	}
	int64_t inc = s->total >= c->total ? s->total - c->total : s->total; /* a restart */
	c->total = s->total, c->t_ms = s->t_ms;
	int64_t day;
	int m;
	local_time(f, s->t_ms, &day, &m);
	if (day == q->today.day)
		q->today.arr[m] += (float)inc;
}

static void take_room(struct forecaster *f, const struct queue_sample *s)
{
	char key[sizeof(f->rooms[0]->key)];
	text_fold_key(s->room, key, sizeof(key));
	struct room_counts *r = NULL;
	for (size_t i = 0; i < f->n_rooms; i++)
		if (strcmp(f->rooms[i]->key, key) == 0)
			r = f->rooms[i];
	if (!r) {
		if (f->n_rooms == MAX_ROOMS || !(r = malloc(sizeof(*r))))
			return;
		memcpy(r->key, key, sizeof(key));
		for (size_t j = 0; j < ROOM_SLOTS; j++)
			r->slot[j] = -1;
		f->rooms[f->n_rooms++] = r;
	}
	int64_t slot = (s->t_ms / 1000) / ROOM_SLOT_S;
	size_t j = (size_t)(((slot % ROOM_SLOTS) + ROOM_SLOTS) % ROOM_SLOTS);
	int people = s->people < INT16_MAX ? s->people : INT16_MAX;
	if (r->slot[j] != slot)
		r->slot[j] = slot, r->people[j] = (int16_t)people;
	else if (people > r->people[j])
		r->people[j] = (int16_t)people;
}

static size_t bucket_of(int64_t ahead_ms)
{
	size_t best = 0;
	for (size_t h = 1; h < N_H; h++)
		if (llabs(ahead_ms - HORIZONS_MIN[h] * 60000LL) <
		    llabs(ahead_ms - HORIZONS_MIN[best] * 60000LL))
			best = h;
	return best;
}

static size_t level_of(double forecast_s)
{
	size_t l = 0;
	while (l < N_LEVELS - 1 && forecast_s >= LEVEL_S[l])
		l++;
	return l;
}

static void record_error(struct fq *q, size_t h, size_t l, double err)
{
	size_t j = (q->err_head[h][l] + q->n_errors[h][l]) % CHECKS;
	if (q->n_errors[h][l] == CHECKS)
		q->err_head[h][l] = (q->err_head[h][l] + 1) % CHECKS;
	else
		q->n_errors[h][l]++;
	q->errors[h][l][j] = (float)err;
}

/* The forecaster checks itself: every 5 minutes it forecasts 15, 30 and 60
 * minutes ahead, and when that moment comes compares with the now-cast. */
static void self_check(struct forecaster *f, size_t i, struct fq *q, int64_t t_ms)
{
	size_t kept = 0;
	for (size_t k = 0; k < q->n_pending; k++) {
		struct check *c = &q->pending[k];
		if (c->at_ms > t_ms) {
			q->pending[kept++] = *c;
			continue;
		}
		struct wait_estimate w;
		estimator_estimate(f->est, i, t_ms, &w);
		/* a quiet line is easy to foresee: its errors would make the
		 * interval of a busy one too narrow */
		if (w.known && t_ms - c->at_ms < 120000 &&
		    (c->forecast > ERROR_FLOOR_S || w.wait_s > ERROR_FLOOR_S))
			record_error(q, (size_t)c->h, level_of(c->forecast),
				     (w.wait_s - c->forecast) / (c->forecast + ERROR_FLOOR_S));
		/* against the baselines, the same rule with their values too: a
		 * moment all four call idle says nothing of who foresees better */
		if (w.known && t_ms - c->at_ms < 120000 &&
		    fmax(fmax(c->forecast, w.wait_s), fmax(c->persistence, c->same_time)) >
			    ERROR_FLOOR_S)
			forecast_record_score(&q->record, (size_t)c->h, w.wait_s - c->forecast,
					      w.wait_s - c->persistence, w.wait_s - c->same_time);
	}
	q->n_pending = kept;
	if (t_ms < q->next_check_ms)
		return;
	q->next_check_ms = (t_ms / (CHECK_EVERY_S * 1000LL) + 1) * CHECK_EVERY_S * 1000LL;
	int64_t at[N_H], day;
	int minute;
	struct forecast fc[N_H];
	struct wait_estimate now;
	estimator_estimate(f->est, i, t_ms, &now);
	local_time(f, t_ms, &day, &minute);
	if (now.known) /* the same-time baseline's memory, every 5 minutes */
		forecast_record_note(&q->record, day, minute, now.wait_s);
	for (size_t h = 0; h < N_H; h++)
		at[h] = t_ms + HORIZONS_MIN[h] * 60000LL;
	f->raw = true;
	forecaster_predict_series(f, i, t_ms, at, N_H, fc);
	f->raw = false;
	for (size_t h = 0; h < N_H && q->n_pending < PENDING; h++) {
		if (!fc[h].known)
			continue;
		int64_t at_day;
		int at_min;
		local_time(f, at[h], &at_day, &at_min);
		q->pending[q->n_pending++] = (struct check){
			at[h], (int)h, fc[h].wait_s, now.wait_s,
			forecast_record_same_time(&q->record, at_day, at_min, now.wait_s)};
	}
}

bool forecaster_add(struct forecaster *f, const struct queue_sample *s, struct feed_error *e)
{
	if (s->type == SAMPLE_ROOM) {
		take_room(f, s);
		return true;
	}
	if (!estimator_add(f->est, s, e))
		return false;
	if (s->type == SAMPLE_QUEUE)
		return true;
	struct fq *q = queue_state(f, s->queue);
	if (!q)
		return true; /* out of memory: the now-cast still works */
	int64_t day;
	int m;
	local_time(f, s->t_ms, &day, &m);
	if (day > q->today.day)
		roll_day(q, day);
	if (day == q->today.day) {
		if (q->today.first < 0 || m < q->today.first)
			q->today.first = m;
		if (m > q->today.last)
			q->today.last = m;
	}
	if (s->type == SAMPLE_COUNT && s->role == ROLE_ENTRY)
		take_count(f, q, s);
	for (size_t i = 0; i < estimator_queue_count(f->est); i++)
		if (f->q[i] == q)
			self_check(f, i, q, s->t_ms);
	return true;
}

/* ---- forecasting ------------------------------------------------------------------- */

size_t forecaster_record_horizon(int64_t ahead_ms)
{
	return bucket_of(ahead_ms);
}

bool forecaster_record(const struct forecaster *f, size_t i, size_t h, int *minutes,
		       struct forecast_score *out)
{
	memset(out, 0, sizeof(*out));
	if (i >= ESTIMATOR_MAX_QUEUES || !f->q[i] || h >= N_H)
		return false;
	forecast_record_get(&f->q[i]->record, h, out);
	*minutes = HORIZONS_MIN[h];
	return true;
}

/* The verdict, after the model: where a horizon's record is worse than
 * the better baseline's, that baseline takes its place. Persistence: the
 * forecast is withheld, the screens show the wait now (which is
 * persistence) and say why. Same time: the earlier days' wait at that
 * clock time is the forecast, its interval the spread of its own errors
 * (withheld when no earlier day knows that time). */
static void withhold(const struct forecaster *f, const struct fq *q, int64_t t_ms,
		     const int64_t *at_ms, size_t n_at, struct forecast *out)
{
	for (size_t j = 0; j < n_at; j++) {
		size_t h = bucket_of(at_ms[j] - t_ms);
		enum forecast_basis b = forecast_record_basis(&q->record, h);
		if (!out[j].known || b == FORECAST_BASIS_MODEL)
			continue;
		double model = out[j].wait_s;
		int64_t day;
		int minute;
		local_time(f, at_ms[j], &day, &minute);
		double v = forecast_record_same_time(&q->record, day, minute, -1);
		if (b == FORECAST_BASIS_NOW || v < 0) {
			out[j] = (struct forecast){
				.withheld = true, .basis = FORECAST_BASIS_NOW, .model_s = model};
			continue;
		}
		struct forecast_score sc;
		forecast_record_get(&q->record, h, &sc);
		out[j] = (struct forecast){.known = true,
					   .basis = FORECAST_BASIS_SAME_TIME,
					   .wait_s = v,
					   .low_s = fmax(0, v - sc.same_time_spread_s),
					   .high_s = v + sc.same_time_spread_s,
					   .model_s = model};
	}
}

/* The p-th quantile of the last errors of horizon bucket h, level l. */
static double quantile(const struct fq *q, size_t h, size_t l, double p)
{
	float v[CHECKS];
	size_t n = q->n_errors[h][l];
	for (size_t k = 0; k < n; k++)
		v[k] = q->errors[h][l][k];
	return forecast_quantile(v, n, p);
}

/* Today as the model sees it at minute m_now: when the line opens (or
 * opened), the expected demand per minute at scale 1 (wave), and the scale
 * k today's arrivals so far support. */
struct today {
	int open;       /* -1: no opening known, people pass as they come */
	int close;      /* the last minute people come, -1 unknown */
	double k;       /* today's scale on the waves */
	double backlog; /* people held at the door now */
	double wave[DAY_MIN];
};

/* The mean of N(1, sd) above lo: what a scale at least lo is expected to be. */
static double scale_above(double lo, double sd)
{
	double a = (lo - 1.0) / sd;
	double tail = 0.5 * erfc(a / sqrt(2.0));
	if (tail < 1e-9)
		return lo;
	return 1.0 + sd * exp(-0.5 * a * a) / 2.5066282746310002 /* sqrt(2 pi) */ / tail;
}

/* When the line opens today: when it did if it has, else today's
 * programme and the usual delay, else the usual time; and when it closes. */
static void today_hours(const struct forecaster *f, const struct fq *q, int64_t day, int m_now,
			struct today *td)
{
	td->open = opening(&q->today, m_now, fmax(OPEN_MIN_PEOPLE, OPEN_SHARE * q->m.day_total));
	if (td->open < 0) { /* not open yet: today's programme and the usual delay,
			     * else the usual time, or any minute now */
		int prog = programme_lunch(f, day);
		td->open = prog >= 0 && q->m.have_offset ? prog + q->m.open_offset
			   : q->m.open_min >= 0          ? q->m.open_min
							 : prog;
		/* late by a few minutes: any minute now; long past its time
		 * with nobody counted, it opened and nobody came (the kiosk
		 * must not promise a crowd at a door that is not there) */
		if (td->open >= 0 && td->open <= m_now && m_now - td->open < DOOR_LOOK_MIN)
			td->open = m_now + 1;
	}
	/* the line closes as long after its opening as usual */
	td->close = q->m.close_min;
	if (td->close >= 0 && td->open >= 0 && q->m.open_min >= 0)
		td->close += td->open - q->m.open_min;
}

/* The expected demand per minute at scale 1: the sessions letting out
 * today (st, when each comes) blended with the usual day's profile. */
static bool today_waves(const struct forecaster *f, const struct fq *q, int64_t day, int64_t now_s,
			struct today *td)
{
	struct end *ends = calloc(MAX_ENDS, sizeof(*ends));
	double *st = malloc(sizeof(double) * DAY_MIN);
	if (!ends || !st) {
		free(ends);
		free(st);
		return false;
	}
	size_t n = day == q->today.day ? day_ends(f, day, ends, MAX_ENDS, q->m.fill, now_s) : 0;
	memset(td->wave, 0, sizeof(td->wave));
	session_timing(ends, n, td->open, q->m.lag, st);
	if (q->m.days == 0) {
		/* the day-one prior: four in ten of those let out free for lunch
		 * come, five minutes later */
		double size = 0.4 * near_people(ends, n, td->open);
		for (int m = 0; m < DAY_MIN; m++)
			td->wave[m] = size * st[m];
	} else {
		double sum = 0;
		for (int m = 0; m < DAY_MIN; m++)
			sum += st[m];
		double alpha = sum > 0 ? q->m.alpha : 0, size = q->m.day_total;
		/* today's sessions around lunch against the usual: a camera that
		 * counts fewer people says so before any of them comes */
		double near = near_people(ends, n, td->open);
		if (q->m.near_usual > 0 && near > 0)
			size *= fmin(3.0, fmax(0.3, near / q->m.near_usual));
		for (int m = 0; m < DAY_MIN; m++) {
			int r = m - td->open + REL_BEFORE;
			double p = td->open >= 0 && r >= 0 && r < REL_N ? q->m.profile[r] : 0;
			td->wave[m] = size * (alpha * st[m] + (1 - alpha) * p);
		}
	}
	free(ends);
	free(st);
	return true;
}

/* Today's scale k from what came so far against what the waves so far
 * would bring at scale 1, and the people that leaves held at the door. */
static void today_scale(const struct fq *q, int m_now, struct today *td)
{
	int start = td->open >= 0 ? 0 : q->today.first;
	int from = td->open >= 0 ? td->open : q->today.first;
	double seen = 0, expected = 0, base_seen = 0;
	for (int m = start; m >= 0 && m <= m_now && m < DAY_MIN; m++) {
		if (m >= from) {
			seen += q->today.arr[m];
			base_seen += q->m.base;
		}
		expected += td->wave[m];
	}
	double sd = q->m.scale_sd;
	if (td->open < 0 || m_now < td->open) {
		td->k = 1; /* nobody in yet: the arrivals say nothing of today */
	} else if (q->m.door_per_min > 0 && expected - (seen - base_seen) > q->m.door_per_min &&
		   m_now - td->open < DOOR_LOOK_MIN) {
		/* the door still holds people: today brought at least what came
		 * (a door's crowd is through within DOOR_LOOK_MIN: after that,
		 * what did not come is not waiting at it) */
		td->k = expected > 0 ? scale_above((seen - base_seen) / expected, sd) : 1;
	} else {
		/* normal-normal: the prior (1, give or take the days' spread) and
		 * the arrivals so far against the waves so far */
		double var = seen + 1.0 + (WAVE_NOISE * expected) * (WAVE_NOISE * expected);
		td->k = (1.0 / (sd * sd) + expected * (seen - base_seen) / var) /
			(1.0 / (sd * sd) + expected * expected / var);
	}
	if (td->k < 0)
		td->k = 0;
	td->backlog = td->open >= 0 ? fmax(0, td->k * expected + base_seen - seen) : 0;
}

static bool see_today(const struct forecaster *f, const struct fq *q, int64_t day, int m_now,
		      int64_t now_s, struct today *td)
{
	today_hours(f, q, day, m_now, td);
	if (!today_waves(f, q, day, now_s, td))
		return false;
	today_scale(q, m_now, td);
	return true;
}

/* The line at ahead_ms from now: demand joins the crowd at the door, the
 * door lets it in (all at once when it holds nobody), the stations serve
 * at their pace; minute by minute. A spell runs on to twice its age. */
static double run_forward(const struct fq *q, const struct today *td, int m_now,
			  const struct serving_pace *pace, double people, int64_t ahead_ms)
{
	double held = td->backlog;
	int64_t steps = (ahead_ms + 59999) / 60000;
	for (int64_t s = 1; s <= steps; s++) {
		int m = m_now + (int)s - 1; /* the minute stepped through */
		double dt = s == steps ? (double)(ahead_ms - (steps - 1) * 60000) / 1000.0 : 60.0;
		bool open = m < DAY_MIN && (td->close < 0 || m <= td->close || m <= q->today.last);
		bool doors = td->open < 0 || m >= td->open;
		if (open && m < DAY_MIN)
			held += (td->k * td->wave[m] + (doors ? q->m.base : 0)) * dt / 60.0;
		double in = 0;
		if (open && doors)
			in = q->m.door_per_min > 0 ? fmin(held, q->m.door_per_min * dt / 60.0)
						   : held;
		held -= in;
		double from = (double)(s - 1) * 60.0;
		double served_per_s =
			pace->stations * (pace->spell_age_s > 0 && from < pace->spell_age_s
						  ? pace->spell_per_s
						  : pace->usual_per_s);
		people = fmax(0, people + in - served_per_s * dt);
	}
	return people;
}

void forecaster_predict_series(struct forecaster *f, size_t i, int64_t t_ms, const int64_t *at_ms,
			       size_t n_at, struct forecast *out)
{
	memset(out, 0, n_at * sizeof(*out));
	for (size_t j = 0; j < n_at; j++)
		out[j].model_s = -1;
	if (i >= estimator_queue_count(f->est))
		return;
	struct wait_estimate now;
	estimator_estimate(f->est, i, t_ms, &now);
	struct fq *q = f->q[i];
	if (!now.known || !q)
		return;
	if (q->dirty)
		fit(f, q);
	struct serving_pace pace;
	estimator_pace(f->est, i, t_ms, &pace);
	if (pace.stations <= 0 || pace.usual_per_s <= 0)
		return;
	int64_t day;
	int m_now;
	local_time(f, t_ms, &day, &m_now);
	struct today *td = malloc(sizeof(*td));
	if (!td || !see_today(f, q, day, m_now, t_ms / 1000, td)) {
		free(td);
		return;
	}
	for (size_t j = 0; j < n_at; j++) {
		int64_t ahead_ms = at_ms[j] - t_ms;
		if (ahead_ms <= 0 || ahead_ms > FORECAST_MAX_AHEAD_S * 1000LL)
			continue;
		double people = run_forward(q, td, m_now, &pace, now.people, ahead_ms);
		double ahead = fmax(people + 1.0, pace.stations);
		struct forecast *o = &out[j];
		o->wait_s = serving_pace_time(&pace, ahead, (double)ahead_ms / 1000.0);
		size_t h = bucket_of(ahead_ms), l = level_of(o->wait_s);
		/* before it has checked itself enough: wide, and wider above (a
		 * line can grow further than it can shrink) */
		double scale = o->wait_s + ERROR_FLOOR_S;
		double lo = PRIOR_Q10 * scale, hi = PRIOR_Q90 * scale;
		if (q->n_errors[h][l] >= MIN_CHECKS) {
			lo = quantile(q, h, l, 0.1) * scale;
			hi = quantile(q, h, l, 0.9) * scale;
		}
		o->low_s = fmin(fmax(0, o->wait_s + lo), o->wait_s);
		o->high_s = fmax(o->wait_s, o->wait_s + hi);
		o->known = true;
		o->model_s = o->wait_s;
	}
	free(td);
	if (!f->raw)
		withhold(f, q, t_ms, at_ms, n_at, out);
}

void forecaster_predict(struct forecaster *f, size_t i, int64_t t_ms, int64_t at_ms,
			struct forecast *out)
{
	forecaster_predict_series(f, i, t_ms, &at_ms, 1, out);
}
