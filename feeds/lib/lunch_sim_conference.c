/* lunch_sim_conference: several days of one conference, whose people come
 * to lunch as the schedule's sessions let out; the line and its sensors are
 * lunch_sim.c's, run once a day. */
#include "lunch_sim.h"

#include "civil_time.h"
#include "lunch_sim_internal.h"
#include "schedule.h"
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The people model, in the order a day runs (ESTIMATION.md, Simulator, says
 * the same for readers of the figures):
 *
 * - People on site: on_site_scale (0.8) of the seats in use at the busiest
 *   moment of the conference — the keynote hall when there is one, which is
 *   sized for everyone but rarely full — times a factor per day. First days
 *   are the busiest (registration, keynotes); people leave early, so the
 *   last day is lighter: 1.0, 0.95 ... 0.85, 0.7, each with 5 % noise.
 *   Nobody arrives or leaves during the day.
 * - Sessions: each talk draws its audience when it starts, from the people
 *   free then (not in another session, not away for lunch). Its demand is
 *   1.1 x Kumaraswamy(2.5, 1.5) of its seats (mean 0.7; one session in ten
 *   wants more seats than it has and is simply full) times the day's factor.
 *   Catering sessions draw nobody; sessions longer than 4 hours are venues
 *   (an expo, registration) and draw nobody either. Everyone else is in the
 *   hallway.
 * - Lunch: the window is the day's lunch session (catering titled lunch or
 *   déjeuner), else 11:30-14:30 local. From early_s (15 min) before it opens
 *   until it closes, each person who has not had lunch yet may go: at the end
 *   of their session with probability g(t), and from the hallway at a rate of
 *   g(t) per hallway_min (20 min). g is a logistic curve of the local clock,
 *   centred 15 minutes before the programme's lunch opens (people eat when
 *   the programme says; 12:15 without a lunch session, as most of Europe
 *   eats) with a 10-minute scale: few go before noon, most after 12:30
 *   (0.18 of them at 12:00, 0.82 at 12:30, 0.99 at 13:00). Those who go are
 *   away for 40-70 minutes and miss the sessions that start meanwhile; those
 *   who do not go now may still go later; nobody goes twice.
 * - Here or elsewhere: a share of the people on site eats at this catering
 *   point (the others at other points, outside, or not at all), drawn per
 *   person per day. By default it is what the stations can serve at 85 %
 *   utilisation in the first 90 minutes of the first day's window (or all of
 *   it when shorter), over the people on site: caterers size a point for the
 *   crowd they expect in the rush, and the rush's peak still makes a line.
 *   8 % noise per day.
 * - Walking: from leaving to crossing the entry line, log-normal with median
 *   5 minutes and sigma 0.6 (P90 11 min: people stop to talk). Before the
 *   window opens they wait at the door, which lets one person a second
 *   through each entry door; after it closes nobody enters.
 * - Service, sensors: lunch_sim_run's, one period a day from lead_s before
 *   the opening until 30 minutes after the close or 10 minutes after the last
 *   diner left. Counters are never reset between days (a cumulative total
 *   "since it started", contracts section 1): between two lunches their
 *   spurious counts go on, nobody crosses (coffee is not served through the
 *   lunch line), and the next day's first totals carry on from there.
 * - Room counts: a camera in camera_share of the rooms counts people every
 *   minute from 10 minutes before each talk to 5 minutes after it: nine in
 *   ten arrive in the 10 minutes before the start, the rest up to 15 minutes
 *   late; they leave within 5 minutes of the end (a minute on average), one
 *   in twenty earlier. A room never holds more than its seats (the rest wait
 *   at the door). Counting noise: 3 % plus one person.
 */

/* Separate random streams: a day's people do not change when the sensors
 * get noisier or rooms get cameras, so scenarios that differ only there
 * watch the same line. The seed is mixed first: lunch_sim_run's seeds k and
 * k + 1 start one draw apart on the same stream, these do not. */
enum {
	STREAM_CONFERENCE = 1,
	STREAM_PEOPLE,
	STREAM_SERVICE,
	STREAM_SENSORS,
	STREAM_ROOMS,
	STREAM_PUBLISH, /* the forecast day's published changes */
	STREAM_OVERRUN, /* and its unannounced overrun */
};

static struct sim_rng rng_stream(uint64_t seed, uint64_t stream, uint64_t day)
{
	struct sim_rng r = {seed};
	r.s = sim_next_u64(&r) + stream * 0xD1B54A32D192ED03ULL + day * 0x8CB92BA72F3D8DD7ULL;
	sim_next_u64(&r);
	return r;
}

static double kumaraswamy(struct sim_rng *r, double a, double b)
{
	return pow(1 - pow(1 - sim_uniform(r), 1 / b), 1 / a);
}

enum kind { KIND_NONE, KIND_TALK, KIND_CATERING, KIND_LUNCH };

static const char *const catering_type_words[] = {"catering", "break", "lunch",
						  "coffee",   "meal",  NULL};
static const char *const catering_title_words[] = {"lunch", "dejeuner", "coffee",
						   "pause", "buffet",   NULL};
static const char *const lunch_words[] = {"lunch", "dejeuner", NULL};

/* A whole word of a text_fold_key key (words are joined by dashes). */
static bool has_word(const char *key, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(key, word); p; p = strstr(p + 1, word))
		if ((p == key || p[-1] == '-') && (p[n] == '\0' || p[n] == '-'))
			return true;
	return false;
}

/* Case and accents ignored: "Déjeuner", "DEJEUNER" and "déjeuner" match. */
static bool has_any_word(const char *text, const char *const *words)
{
	char key[2 * SCHEDULE_MAX_TITLE + 8];
	if (!text)
		return false;
	text_fold_key(text, key, sizeof(key));
	for (; *words; words++)
		if (has_word(key, *words))
			return true;
	return false;
}

/* Catering (sends nobody to the line): a type with the word catering,
 * break, lunch, coffee or meal, or a title with lunch, déjeuner, coffee,
 * pause or buffet. Lunch: catering whose title or type says lunch or
 * déjeuner and that starts from 10:00 to 16:00 local (a petit-déjeuner at
 * 8:00 is breakfast). A "Lunch & learn" talk counts as catering: its people
 * eat in the room. Talks: everything else that is scheduled and not a venue. */
static enum kind session_kind(const struct sim_conference *c, const struct session *x, int local_s)
{
	if (x->status == SESSION_CANCELLED)
		return KIND_NONE;
	if (has_any_word(x->type, catering_type_words) ||
	    has_any_word(x->title, catering_title_words)) {
		bool lunch =
			has_any_word(x->title, lunch_words) || has_any_word(x->type, lunch_words);
		bool room =
			!c->catering_room || (x->room && strcmp(x->room, c->catering_room) == 0);
		if (lunch && room && local_s >= 10 * 3600 && local_s < 16 * 3600)
			return KIND_LUNCH;
		return KIND_CATERING;
	}
	if (x->end - x->start > c->max_session_s)
		return KIND_NONE;
	return KIND_TALK;
}

/* What the whole run needs to know about the schedule, worked out once. */
struct conf_prep {
	const struct schedule *s;
	const struct civil_zone *zone;
	int n_days;
	int64_t first_day;   /* days since 1970-01-01 of day 0, local */
	unsigned char *kind; /* per session */
	int *day;            /* per session: its day, -1 outside the run */
	int *local_s;        /* per session: its local start, seconds after midnight */
	int64_t *end;        /* per session: when it really lets out (an overrun) */
	int *seats;          /* per session: its room's seats, or the default */
	int *room;           /* per session: index in s->rooms, -1 when none */
	bool *camera;        /* per room */
	int *room_seats;     /* per room: seats, or the default */
	double base;         /* people on site on a day of factor 1 */
	double factor[SIM_MAX_DAYS], eat[SIM_MAX_DAYS];
};

static void prep_finish(struct conf_prep *cp)
{
	free(cp->kind);
	free(cp->day);
	free(cp->local_s);
	free(cp->end);
	free(cp->seats);
	free(cp->room);
	free(cp->camera);
	free(cp->room_seats);
	memset(cp, 0, sizeof(*cp));
}

static int64_t local_day(int64_t t, const struct civil_zone *zone, int *local_s)
{
	struct civil lc;
	civil_from_utc_in(t, zone, &lc);
	if (local_s)
		*local_s = lc.hour * 3600 + lc.minute * 60 + lc.second;
	return civil_days_from_date(lc.year, lc.month, lc.day);
}

int lunch_sim_conference_days(const struct schedule *s)
{
	if (!s || s->n_sessions == 0)
		return 0;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (size_t i = 0; i < s->n_sessions; i++) {
		int64_t d = local_day(s->sessions[i].start, s->zone, NULL);
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	return hi - lo + 1 > SIM_MAX_DAYS ? SIM_MAX_DAYS : (int)(hi - lo + 1);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Seats for rooms that give none: the median room of this conference is a
 * better guess than any constant; 150 (a mid-sized breakout room) when no
 * room says. -1 when out of memory. */
static int default_seats(const struct sim_conference *c, const struct schedule *s)
{
	if (c->default_capacity > 0)
		return c->default_capacity;
	int *v = malloc((s->n_rooms + 1) * sizeof(*v));
	if (!v)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < s->n_rooms; i++)
		if (s->rooms[i].capacity > 0)
			v[n++] = s->rooms[i].capacity;
	int m = 150;
	if (n) {
		qsort(v, n, sizeof(*v), cmp_int);
		m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	free(v);
	return m;
}

struct seat_step {
	int64_t t;
	int delta;
};

static int cmp_step(const void *a, const void *b)
{
	const struct seat_step *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	return (x->delta > y->delta) - (x->delta < y->delta); /* ends first */
}

/* The most seats in use at once by talks, over the whole schedule. */
static bool busiest_seats(const struct conf_prep *cp, double *out)
{
	const struct schedule *s = cp->s;
	struct seat_step *st = malloc((2 * s->n_sessions + 1) * sizeof(*st));
	if (!st)
		return false;
	size_t n = 0;
	for (size_t i = 0; i < s->n_sessions; i++) {
		if (cp->kind[i] != KIND_TALK)
			continue;
		st[n++] = (struct seat_step){s->sessions[i].start, cp->seats[i]};
		st[n++] = (struct seat_step){s->sessions[i].end, -cp->seats[i]};
	}
	qsort(st, n, sizeof(*st), cmp_step);
	double in_use = 0, most = 0;
	for (size_t i = 0; i < n; i++) {
		in_use += st[i].delta;
		most = in_use > most ? in_use : most;
	}
	free(st);
	*out = most;
	return true;
}

/* One day's lunch window and going curve. */
struct day_window {
	int64_t opens, closes, from; /* UTC seconds; from: the sensors' first report */
	int opens_local;             /* seconds after local midnight */
	double mid_local;            /* the middle of the going curve, local */
	bool from_schedule;
};

static bool day_window(const struct sim_conference *c, const struct conf_prep *cp, int d,
		       struct day_window *w)
{
	const struct schedule *s = cp->s;
	memset(w, 0, sizeof(*w));
	w->opens = INT64_MAX;
	w->closes = INT64_MIN;
	for (size_t i = 0; c->window_from_schedule && i < s->n_sessions; i++) {
		if (cp->day[i] != d || cp->kind[i] != KIND_LUNCH)
			continue;
		w->opens = s->sessions[i].start < w->opens ? s->sessions[i].start : w->opens;
		w->closes = s->sessions[i].end > w->closes ? s->sessions[i].end : w->closes;
	}
	w->from_schedule = w->opens < w->closes;
	if (!w->from_schedule) {
		struct civil lc = {.year = 1970, .month = 1, .day = 1, .has_time = true};
		civil_add_days(&lc, (int)(cp->first_day + d));
		struct civil a = lc, b = lc;
		a.hour = c->window_from_s / 3600, a.minute = c->window_from_s / 60 % 60;
		b.hour = c->window_to_s / 3600, b.minute = c->window_to_s / 60 % 60;
		struct feed_error e;
		if (!civil_to_utc_in(&a, cp->zone, &w->opens, &e) ||
		    !civil_to_utc_in(&b, cp->zone, &w->closes, &e) || w->closes <= w->opens)
			return false;
	}
	local_day(w->opens, cp->zone, &w->opens_local);
	w->mid_local = w->from_schedule ? w->opens_local - c->go_before_open_s : c->go_mid_s;
	w->from = w->opens - c->lead_s;
	return true;
}

/* The share of those not yet fed who go now, by the local clock. */
static double going(const struct sim_conference *c, const struct day_window *w, double t)
{
	double local = w->opens_local + (t - (double)w->opens);
	return 1 / (1 + exp(-(local - w->mid_local) / c->go_spread_s));
}

static bool day_has_talks(const struct conf_prep *cp, int d)
{
	for (size_t i = 0; i < cp->s->n_sessions; i++)
		if (cp->day[i] == d && cp->kind[i] == KIND_TALK)
			return true;
	return false;
}

/* The last day's biggest room letting out within an hour before lunch opens
 * (or half an hour into it) keeps its people longer than the programme
 * says: a keynote overruns. Its camera, if any, sees them stay. */
static bool overrun(const struct sim_conference *c, struct conf_prep *cp)
{
	int last = cp->n_days - 1;
	struct day_window w;
	if (c->overrun_max_s <= 0 || last < 0 || !day_window(c, cp, last, &w))
		return true;
	const struct schedule *s = cp->s;
	int pick = -1;
	for (size_t i = 0; i < s->n_sessions; i++) {
		if (cp->day[i] != last || cp->kind[i] != KIND_TALK ||
		    s->sessions[i].end < w.opens - 3600 || s->sessions[i].end > w.opens + 1800)
			continue;
		if (pick < 0 || cp->seats[i] > cp->seats[pick] ||
		    (cp->seats[i] == cp->seats[pick] && s->sessions[i].end > s->sessions[pick].end))
			pick = (int)i;
	}
	if (pick < 0)
		return true;
	struct sim_rng r = rng_stream(c->seed, STREAM_OVERRUN, 0);
	int lo = c->overrun_min_s, hi = c->overrun_max_s > lo ? c->overrun_max_s : lo;
	cp->end[pick] += lo + (int64_t)(sim_uniform(&r) * (hi - lo));
	return true;
}

/* Each day's turnout and appetite for this point, drawn before anything
 * else so that the rest of the run cannot change them; then the cameras. */
static bool day_turnouts(const struct sim_conference *c, struct conf_prep *cp)
{
	struct sim_rng r = rng_stream(c->seed, STREAM_CONFERENCE, 0);
	double share = c->eat_share;
	for (int d = 0; d < cp->n_days; d++) {
		double df = c->day_factor[d];
		if (c->last_day_as_before && d > 0 && d == cp->n_days - 1)
			df = c->day_factor[d - 1];
		double f = df * (1 + c->day_sd * sim_normal(&r));
		double e = 1 + c->eat_sd * sim_normal(&r);
		cp->factor[d] = f > 0.1 ? f : 0.1;
		cp->eat[d] = e > 0.2 ? e : 0.2; /* times the share, below */
		if (share <= 0 && day_has_talks(cp, d) && cp->base > 0) {
			struct day_window w;
			if (!day_window(c, cp, d, &w))
				return false;
			double rush = (double)(w.closes - w.opens);
			rush = rush < 90 * 60 ? rush : 90 * 60;
			double served = 0.85 * c->line.stations * rush / c->line.service_s;
			share = served / (cp->base * df);
		}
	}
	for (int d = 0; d < cp->n_days; d++) {
		cp->eat[d] *= share > 0 ? share : 0;
		cp->eat[d] = cp->eat[d] < 1 ? cp->eat[d] : 1;
	}
	/* The busy last day: its expected diners, not its turnout, are set, so
	 * that it is that much busier whatever the appetite drawn for it. */
	int last = cp->n_days - 1;
	if (c->busy_last_day > 0 && last > 0 && cp->eat[last] > 0) {
		double sum = 0;
		int k = 0;
		for (int d = 0; d < last; d++)
			if (day_has_talks(cp, d))
				sum += cp->factor[d] * cp->eat[d], k++;
		if (k)
			cp->factor[last] = c->busy_last_day * sum / k / cp->eat[last];
	}
	for (size_t k = 0; k < cp->s->n_rooms; k++)
		cp->camera[k] = sim_uniform(&r) < c->camera_share;
	return true;
}

/* The per-session and per-room arrays, one spare entry each so that none
 * is malloc(0); prep_finish frees them whatever failed. */
static bool prep_alloc(struct conf_prep *cp, size_t n, size_t n_rooms)
{
	cp->kind = malloc(n + 1);
	cp->day = malloc((n + 1) * sizeof(int));
	cp->local_s = malloc((n + 1) * sizeof(int));
	cp->end = malloc((n + 1) * sizeof(int64_t));
	cp->seats = malloc((n + 1) * sizeof(int));
	cp->room = malloc((n + 1) * sizeof(int));
	cp->camera = calloc(n_rooms + 1, sizeof(bool));
	cp->room_seats = malloc((n_rooms + 1) * sizeof(int));
	return cp->kind && cp->day && cp->local_s && cp->end && cp->seats && cp->room &&
	       cp->camera && cp->room_seats;
}

/* Each session's local day (absolute, made relative by prep_days), start,
 * end, room, seats and kind; first_day and *last_day the days they span. */
static void prep_sessions(const struct sim_conference *c, struct conf_prep *cp, int fallback,
			  int64_t *last_day)
{
	const struct schedule *s = cp->s;
	*last_day = INT64_MIN;
	cp->first_day = INT64_MAX;
	for (size_t i = 0; i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		int64_t ld = local_day(x->start, cp->zone, &cp->local_s[i]);
		cp->first_day = ld < cp->first_day ? ld : cp->first_day;
		*last_day = ld > *last_day ? ld : *last_day;
		cp->day[i] = (int)ld; /* made relative below */
		cp->end[i] = x->end;
		const struct room *rm = x->room ? schedule_find_room(s, x->room) : NULL;
		cp->room[i] = rm ? (int)(rm - s->rooms) : -1;
		cp->seats[i] = rm ? cp->room_seats[cp->room[i]] : fallback;
		cp->kind[i] = (unsigned char)session_kind(c, x, cp->local_s[i]);
	}
}

/* How many days run (c->days, else all the schedule's, as
 * lunch_sim_conference_days counts them) and each session's day among
 * them; false when the schedule has fewer. */
static bool prep_days(const struct sim_conference *c, struct conf_prep *cp, int64_t last_day)
{
	size_t n = cp->s->n_sessions;
	int64_t available = n ? last_day - cp->first_day + 1 : 0;
	available = available < SIM_MAX_DAYS ? available : SIM_MAX_DAYS;
	cp->n_days = c->days > 0 ? c->days : (int)available;
	if (available == 0 || cp->n_days > available)
		return false;
	for (size_t i = 0; i < n; i++) {
		int64_t d = cp->day[i] - cp->first_day;
		cp->day[i] = d < cp->n_days ? (int)d : -1;
	}
	return true;
}

static bool conf_prepare(const struct sim_conference *c, struct conf_prep *cp)
{
	const struct schedule *s = c->schedule;
	memset(cp, 0, sizeof(*cp));
	cp->s = s;
	cp->zone = s->zone;
	if (!prep_alloc(cp, s->n_sessions, s->n_rooms))
		return false;
	int fallback = default_seats(c, s);
	if (fallback < 0)
		return false;
	for (size_t k = 0; k < s->n_rooms; k++)
		cp->room_seats[k] = s->rooms[k].capacity > 0 ? s->rooms[k].capacity : fallback;
	int64_t last_day;
	prep_sessions(c, cp, fallback, &last_day);
	if (!prep_days(c, cp, last_day))
		return false;
	double busiest;
	if (!busiest_seats(cp, &busiest))
		return false;
	cp->base = c->on_site > 0 ? c->on_site : c->on_site_scale * busiest;

	return day_turnouts(c, cp) && overrun(c, cp);
}

bool lunch_sim_conference_publish(const struct sim_conference *c, struct schedule *s)
{
	if (!s || s != c->schedule || s->n_sessions == 0)
		return false;
	if (c->stagger_s <= 0 && c->lunch_later_s == 0)
		return true;
	struct conf_prep cp;
	bool ok = conf_prepare(c, &cp);
	int last = cp.n_days - 1;
	struct day_window w;
	if (ok && last >= 0 && day_window(c, &cp, last, &w)) {
		/* each room's morning (its talks ending by the opening) moves as
		 * one block, by a whole number of 10 minutes: no talk overlaps
		 * another, and the rooms let out at other times than before */
		struct sim_rng r = rng_stream(c->seed, STREAM_PUBLISH, 0);
		int steps = c->stagger_s / 600;
		for (size_t k = 0; steps > 0 && k < s->n_rooms; k++) {
			int64_t shift =
				600 * ((int64_t)(sim_uniform(&r) * (2 * steps + 1)) - steps);
			for (size_t i = 0; i < s->n_sessions; i++)
				if (cp.room[i] == (int)k && cp.day[i] == last &&
				    cp.kind[i] == KIND_TALK && s->sessions[i].end <= w.opens)
					s->sessions[i].start += shift, s->sessions[i].end += shift;
		}
		for (size_t i = 0; c->lunch_later_s && i < s->n_sessions; i++)
			if (cp.day[i] == last && cp.kind[i] == KIND_LUNCH)
				s->sessions[i].start += c->lunch_later_s,
					s->sessions[i].end += c->lunch_later_s;
		schedule_sort(s);
	}
	prep_finish(&cp);
	return ok;
}

struct person {
	int64_t free_at; /* busy (away for lunch, walking) until then */
	int session;     /* the one they sit in, -1 when none */
	bool done;       /* had lunch today, here or elsewhere */
	bool here;       /* eats at this point today */
};

enum { EV_END, EV_TICK, EV_START }; /* at one instant: leave, then decide, then sit */

struct event {
	int64_t t;
	int what, session;
};

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->t != y->t)
		return (x->t > y->t) - (x->t < y->t);
	if (x->what != y->what)
		return x->what - y->what;
	return x->session - y->session;
}

/* p goes to lunch at tau: away for a while; if they eat here, they reach the
 * entry line after their walk, unless it has closed by then. */
static void go_to_lunch(const struct sim_conference *c, const struct day_window *w,
			struct sim_rng *r, struct person *p, double tau, double *arr, size_t *n)
{
	p->done = true;
	double walk = exp(log(c->lag_median_s) + c->lag_sigma * sim_normal(r));
	double away = c->away_min_s + sim_uniform(r) * (c->away_max_s - c->away_min_s);
	p->free_at = (int64_t)ceil(tau + away);
	if (p->here && tau + walk < (double)w->closes)
		arr[(*n)++] = tau + walk - (double)w->from;
}

/* One day's people as the day's events move them. */
struct crowd {
	const struct sim_conference *c;
	const struct day_window *w;
	struct sim_rng r;
	struct person *pp;
	int on_site;
	int *freeidx; /* scratch: who is free when a talk starts */
	double *arr;  /* the entry crossings so far */
	size_t *n_arr;
};

/* The day's talks' starts and ends and a tick every minute from go_from,
 * in order; attend[i] -1 for every session (a talk's is set as it starts).
 * Returns how many. */
static size_t day_events(const struct conf_prep *cp, int d, int64_t go_from, size_t n_ticks,
			 struct event *ev, int *attend)
{
	const struct schedule *s = cp->s;
	size_t ne = 0;
	for (size_t i = 0; i < s->n_sessions; i++) {
		attend[i] = -1;
		if (cp->day[i] != d || cp->kind[i] != KIND_TALK)
			continue;
		ev[ne++] = (struct event){s->sessions[i].start, EV_START, (int)i};
		ev[ne++] = (struct event){cp->end[i], EV_END, (int)i};
	}
	for (size_t k = 0; k < n_ticks; k++)
		ev[ne++] = (struct event){go_from + (int64_t)k * 60, EV_TICK, -1};
	qsort(ev, ne, sizeof(*ev), cmp_event);
	return ne;
}

/* A talk ends: its audience leaves the room, some of them for lunch. */
static void talk_ends(struct crowd *cr, const struct event *e, bool lunch_time)
{
	double g = going(cr->c, cr->w, (double)e->t);
	for (int i = 0; i < cr->on_site; i++) {
		struct person *p = &cr->pp[i];
		if (p->session != e->session)
			continue;
		p->session = -1;
		p->free_at = e->t + 60; /* out of the door: not at this tick */
		if (lunch_time && !p->done && sim_uniform(&cr->r) < g)
			go_to_lunch(cr->c, cr->w, &cr->r, p, (double)e->t, cr->arr, cr->n_arr);
	}
}

/* A minute passes: each hallway person who wants lunch goes with
 * probability p, at a moment within the minute. */
static void minute_passes(struct crowd *cr, const struct event *e, bool lunch_time, double p)
{
	for (int i = 0; lunch_time && i < cr->on_site; i++)
		if (cr->pp[i].session < 0 && cr->pp[i].free_at <= e->t && !cr->pp[i].done &&
		    sim_uniform(&cr->r) < p)
			go_to_lunch(cr->c, cr->w, &cr->r, &cr->pp[i],
				    (double)e->t + sim_uniform(&cr->r) * 60, cr->arr, cr->n_arr);
}

/* A talk starts: as many of those free as its pull and its seats allow,
 * drawn at random, sit in it. Returns its audience. */
static int talk_starts(struct crowd *cr, const struct conf_prep *cp, int d, const struct event *e)
{
	const struct sim_conference *c = cr->c;
	int nfree = 0;
	for (int i = 0; i < cr->on_site; i++)
		if (cr->pp[i].session < 0 && cr->pp[i].free_at <= e->t)
			cr->freeidx[nfree++] = i;
	double want = c->fill_demand * kumaraswamy(&cr->r, c->fill_a, c->fill_b) * cp->factor[d];
	int seats = cp->seats[e->session];
	int a = (int)lround((want < 1 ? want : 1) * seats);
	a = a < nfree ? a : nfree;
	for (int j = 0; j < a; j++) { /* a random a of those free */
		int pick = j + (int)(sim_uniform(&cr->r) * (nfree - j));
		int tmp = cr->freeidx[j];
		cr->freeidx[j] = cr->freeidx[pick];
		cr->freeidx[pick] = tmp;
		cr->pp[cr->freeidx[j]].session = e->session;
	}
	return a;
}

/* Before the opening they wait at the door; a crowd goes through one
 * person a second per door. arr is sorted. */
static void through_the_door(const struct sim_conference *c, const struct day_window *w,
			     double *arr, size_t n)
{
	double gap = 1.0 / (c->door_per_s * c->line.entry_doors),
	       opens = (double)(w->opens - w->from);
	for (size_t k = 0; k < n; k++) {
		double t = arr[k] > opens ? arr[k] : opens;
		if (k && t < arr[k - 1] + gap)
			t = arr[k - 1] + gap;
		arr[k] = t;
	}
}

/* One day: who sits where, who goes to lunch when, who of them eats here.
 * arr gets the entry crossings (seconds from w->from, sorted; room for
 * on_site), attend each talk's audience (by session index). */
static bool day_people(const struct sim_conference *c, const struct conf_prep *cp, int d,
		       const struct day_window *w, int on_site, double *arr, size_t *n_arr,
		       int *attend)
{
	const struct schedule *s = cp->s;
	struct crowd cr = {.c = c,
			   .w = w,
			   .r = rng_stream(c->seed, STREAM_PEOPLE, (uint64_t)d),
			   .on_site = on_site,
			   .arr = arr,
			   .n_arr = n_arr};
	int64_t go_from = w->opens - c->early_s;
	size_t n_talks = 0, n_ticks = (size_t)((w->closes - go_from) / 60 + 1);
	for (size_t i = 0; i < s->n_sessions; i++)
		n_talks += cp->day[i] == d && cp->kind[i] == KIND_TALK;
	struct event *ev = malloc((2 * n_talks + n_ticks + 1) * sizeof(*ev));
	cr.pp = malloc(((size_t)on_site + 1) * sizeof(*cr.pp));
	cr.freeidx = malloc(((size_t)on_site + 1) * sizeof(*cr.freeidx));
	bool ok = ev && cr.pp && cr.freeidx;
	if (!ok)
		goto out;
	size_t ne = day_events(cp, d, go_from, n_ticks, ev, attend);
	for (int i = 0; i < on_site; i++)
		cr.pp[i] = (struct person){INT64_MIN, -1, false, sim_uniform(&cr.r) < cp->eat[d]};
	/* a hallway person who wants lunch goes at rate going() per hallway_min */
	double per_tick = 60.0 / (c->hallway_min * 60.0);
	*n_arr = 0;
	for (size_t k = 0; k < ne; k++) {
		const struct event *e = &ev[k];
		bool lunch_time = e->t >= go_from && e->t < w->closes;
		if (e->what == EV_END)
			talk_ends(&cr, e, lunch_time);
		else if (e->what == EV_TICK)
			minute_passes(&cr, e, lunch_time,
				      1 - exp(-going(c, w, (double)e->t) * per_tick));
		else
			attend[e->session] = talk_starts(&cr, cp, d, e);
	}
	qsort(arr, *n_arr, sizeof(*arr), lunch_sim_cmp_double);
	through_the_door(c, w, arr, *n_arr);
out:
	free(ev);
	free(cr.pp);
	free(cr.freeidx);
	return ok;
}

/* The line's day: the configured faults happen on incident_day only, counted
 * from the opening. */
static void day_line(const struct sim_conference *c, int d, bool last, const struct day_window *w,
		     struct sim_config *dc)
{
	*dc = c->line;
	if (last && c->stations_delta) /* declared in the morning's queue sample */
		dc->stations =
			dc->stations + c->stations_delta > 1 ? dc->stations + c->stations_delta : 1;
	dc->start_ms = w->from * 1000;
	int shift = (int)(w->opens - w->from);
	if (d == c->incident_day) {
		dc->slow_from_s += shift, dc->slow_to_s += shift;
		dc->closed_from_s += shift, dc->closed_to_s += shift;
		dc->outage_from_s += shift, dc->outage_to_s += shift;
		if (dc->restart_at_s > 0)
			dc->restart_at_s += shift;
	} else {
		dc->slow_from_s = dc->slow_to_s = 0, dc->slow_factor = 1;
		dc->closed_from_s = dc->closed_to_s = dc->closed_stations = 0;
		dc->outage_from_s = dc->outage_to_s = 0;
		dc->restart_at_s = 0;
	}
}

/* Copies src into dst (cap bytes with the NUL), cut at a character. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		for (n = cap - 1; n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80; n--)
			;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The span a camera watches room k on the day: from 10 minutes before its
 * first talk to 5 after its last; *lo > *hi when it has none. */
static void room_span(const struct conf_prep *cp, size_t k, const int *attend, int64_t *lo,
		      int64_t *hi)
{
	const struct schedule *s = cp->s;
	*lo = INT64_MAX, *hi = INT64_MIN;
	for (size_t i = 0; i < s->n_sessions; i++) {
		if (cp->room[i] != (int)k || attend[i] < 0)
			continue;
		*lo = s->sessions[i].start - 600 < *lo ? s->sessions[i].start - 600 : *lo;
		*hi = cp->end[i] + 300 > *hi ? cp->end[i] + 300 : *hi;
	}
}

/* Room k's true head count at each of the nt moments t0 + j * every, and
 * which moments a talk covers: each of its audience comes in around its
 * start and leaves around its end. */
static void room_counts(const struct conf_prep *cp, size_t k, const int *attend, int64_t t0,
			int64_t every, size_t nt, struct sim_rng *r, int *count, bool *seen)
{
	const struct schedule *s = cp->s;
	for (size_t i = 0; i < s->n_sessions; i++) {
		if (cp->room[i] != (int)k || attend[i] < 0)
			continue;
		double start = (double)s->sessions[i].start, end = (double)cp->end[i];
		size_t a = (size_t)((s->sessions[i].start - 600 - t0 + every - 1) / every);
		size_t b = (size_t)((cp->end[i] + 300 - t0) / every);
		for (size_t j = a; j <= b && j < nt; j++)
			seen[j] = true;
		for (int p = 0; p < attend[i]; p++) {
			double in = sim_uniform(r) < 0.9
					    ? start - 600 * sim_uniform(r)
					    : start + fmin(sim_expo(r, 1 / 180.0), 900);
			double out = sim_uniform(r) < 0.95
					     ? end + fmin(sim_expo(r, 1 / 60.0), 300)
					     : end - sim_uniform(r) * fmin(900, end - start);
			for (size_t j = a; j <= b && j < nt; j++) {
				double t = (double)(t0 + (int64_t)j * every);
				count[j] += t >= in && t < out;
			}
		}
	}
}

/* The camera's samples of room k at the moments a talk covers: the count
 * (at most the seats) give or take its error, delivered late by up to the
 * line's delay. */
static bool room_samples(const struct sim_conference *c, const struct conf_prep *cp, size_t k,
			 int64_t t0, size_t nt, const int *count, const bool *seen,
			 struct sim_rng *r, struct sim_samples *rl)
{
	const struct room *rm = &cp->s->rooms[k];
	int64_t every = c->room_every_s;
	for (size_t j = 0; j < nt; j++) {
		if (!seen[j])
			continue;
		int truth = count[j] < cp->room_seats[k] ? count[j] : cp->room_seats[k];
		double v = truth + sim_normal(r) * (c->room_sd * truth + 1);
		struct queue_sample smp;
		memset(&smp, 0, sizeof(smp));
		smp.type = SAMPLE_ROOM;
		copy_cut(smp.room, sizeof(smp.room), rm->name);
		memcpy(smp.sensor, "cam-", 5);
		copy_cut(smp.sensor + 4, sizeof(smp.sensor) - 4, rm->id);
		smp.t_ms = (t0 + (int64_t)j * every) * 1000;
		smp.people = v < 0 ? 0 : (int)lround(v);
		smp.capacity = rm->capacity;
		int64_t at = smp.t_ms + (int64_t)llround(sim_uniform(r) * c->line.delay_s * 1000);
		if (!lunch_sim_push(rl, &smp, at))
			return false;
	}
	return true;
}

/* Every camera room's counts for day d, from each talk's audience. */
static bool day_rooms(const struct sim_conference *c, const struct conf_prep *cp, int d,
		      const int *attend, struct sim_samples *rl)
{
	struct sim_rng r = rng_stream(c->seed, STREAM_ROOMS, (uint64_t)d);
	int64_t every = c->room_every_s;
	for (size_t k = 0; k < cp->s->n_rooms; k++) {
		if (!cp->camera[k])
			continue;
		int64_t lo, hi;
		room_span(cp, k, attend, &lo, &hi);
		if (lo > hi)
			continue;
		int64_t t0 = (lo + every - 1) / every * every;
		size_t nt = (size_t)((hi - t0) / every + 1);
		int *count = calloc(nt, sizeof(*count));
		bool *seen = calloc(nt, sizeof(*seen));
		bool ok = count && seen;
		if (ok) {
			room_counts(cp, k, attend, t0, every, nt, &r, count, seen);
			ok = room_samples(c, cp, k, t0, nt, count, seen, &r, rl);
		}
		free(count);
		free(seen);
		if (!ok)
			return false;
	}
	return true;
}

struct by_delivery {
	int64_t at;
	size_t i;
};

static int cmp_delivery(const void *a, const void *b)
{
	const struct by_delivery *x = a, *y = b;
	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->i > y->i) - (x->i < y->i);
}

/* Merges the room counts (any order) into the line's samples (in delivery
 * order), the line's first on a tie. */
static bool merge_rooms(struct sim_samples *l, const struct sim_samples *rl)
{
	if (rl->n == 0)
		return true;
	struct by_delivery *o = malloc(rl->n * sizeof(*o));
	struct sim_samples m = {0};
	bool ok = o != NULL;
	for (size_t i = 0; ok && i < rl->n; i++)
		o[i] = (struct by_delivery){rl->at[i], i};
	if (ok)
		qsort(o, rl->n, sizeof(*o), cmp_delivery);
	for (size_t a = 0, b = 0; ok && (a < l->n || b < rl->n);) {
		if (b == rl->n || (a < l->n && l->at[a] <= o[b].at))
			ok = lunch_sim_push(&m, &l->s[a], l->at[a]), a++;
		else
			ok = lunch_sim_push(&m, &rl->s[o[b].i], o[b].at), b++;
	}
	free(o);
	if (!ok) {
		free(m.s);
		free(m.at);
		return false;
	}
	free(l->s);
	free(l->at);
	*l = m;
	return true;
}

void lunch_sim_conference_defaults(struct sim_conference *c, const struct schedule *s)
{
	memset(c, 0, sizeof(*c));
	c->seed = 1;
	c->schedule = s;
	lunch_sim_defaults(&c->line);
	c->line.trickle_per_min = 0, c->line.surge_people = 0; /* people come from the schedule */
	c->incident_day = -1;
	c->window_from_schedule = true;
	c->window_from_s = 11 * 3600 + 30 * 60;
	c->window_to_s = 14 * 3600 + 30 * 60;
	c->lead_s = 2 * 3600; /* a forecaster has the late morning to work with */
	c->on_site_scale = 0.8;
	int n = s ? lunch_sim_conference_days(s) : SIM_MAX_DAYS;
	for (int d = 0; d < SIM_MAX_DAYS; d++) {
		if (d == 0)
			c->day_factor[d] = 1.0;
		else if (d == n - 1)
			c->day_factor[d] = 0.7;
		else if (d < n - 1)
			c->day_factor[d] = n > 3 ? 0.95 - 0.10 * (d - 1) / (n - 3) : 0.95;
		else
			c->day_factor[d] = 0.85;
	}
	c->day_sd = 0.05;
	c->fill_a = 2.5, c->fill_b = 1.5, c->fill_demand = 1.1;
	c->max_session_s = 4 * 3600;
	c->eat_sd = 0.08;
	c->early_s = 15 * 60;
	c->go_before_open_s = 15 * 60;
	c->go_mid_s = 12 * 3600 + 15 * 60;
	c->go_spread_s = 10 * 60;
	c->hallway_min = 20;
	c->lag_median_s = 5 * 60, c->lag_sigma = 0.6;
	c->door_per_s = 1.0;
	c->away_min_s = 40 * 60, c->away_max_s = 70 * 60;
	c->camera_share = 0.8;
	c->room_every_s = 60;
	c->room_sd = 0.03;
}

struct conference_scenario {
	const char *name, *about;
	void (*apply)(struct sim_conference *c);
};

static void cs_plain(struct sim_conference *c)
{
	(void)c;
}

/* The single-period noisy sensors every day; on the second day the exit
 * counter is silent for 10 minutes in the rush and an entry counter
 * restarts. */
static void cs_noisy(struct sim_conference *c)
{
	struct sim_config *l = &c->line;
	l->miss_entry = 0.04, l->miss_exit = 0.02, l->false_per_hour = 15;
	l->skew_s = 3, l->delay_s = 5;
	c->incident_day = 1;
	l->outage_from_s = 10 * 60, l->outage_to_s = 20 * 60;
	l->restart_at_s = 45 * 60;
}

/* A last day 35 % busier than the mean of the others (a one-day pass, a
 * popular closing keynote): what the earlier days taught is too low. */
static void cs_busy_day(struct sim_conference *c)
{
	c->busy_last_day = 1.35;
}

static void cs_rooms(struct sim_conference *c)
{
	c->room_counts = true;
}

/* Issue 20's families: the forecast day (the last) unlike the earlier
 * ones, each otherwise as the day before (not the lighter last day of the
 * defaults, which would be a second difference). */
static void cs_same(struct sim_conference *c)
{
	c->last_day_as_before = true;
}

static void cs_stagger(struct sim_conference *c)
{
	cs_same(c);
	c->stagger_s = 30 * 60;
}

static void cs_overrun(struct sim_conference *c)
{
	cs_same(c);
	c->overrun_min_s = 30 * 60, c->overrun_max_s = 45 * 60;
}

static void cs_lunch_later(struct sim_conference *c)
{
	cs_same(c);
	c->lunch_later_s = 30 * 60;
}

static void cs_light(struct sim_conference *c)
{
	cs_same(c);
	c->busy_last_day = 0.7;
}

static void cs_heavy(struct sim_conference *c)
{
	cs_same(c);
	c->busy_last_day = 1.3;
}

static void cs_station_more(struct sim_conference *c)
{
	cs_same(c);
	c->stations_delta = 1;
}

static void cs_station_fewer(struct sim_conference *c)
{
	cs_same(c);
	c->stations_delta = -1;
}

/* New scenarios go at the end: the benchmark's seeds follow this order. */
static const struct conference_scenario conference_scenarios[] = {
	{"conference", "the schedule's days, clean sensors", cs_plain},
	{"conference-noisy", "noisy sensors, day 2 outage + restart", cs_noisy},
	{"conference-busy-day", "last day 35 % busier", cs_busy_day},
	{"conference-rooms", "clean sensors + room counts", cs_rooms},
	{"conference-same", "(a) the same day again", cs_same},
	{"conference-stagger", "(b) rooms let out staggered", cs_stagger},
	{"conference-overrun", "(c) biggest room overruns 30-45 min", cs_overrun},
	{"conference-lunch-later", "(d) lunch opens 30 min later", cs_lunch_later},
	{"conference-light", "(e) attendance 0.7x", cs_light},
	{"conference-heavy", "(e) attendance 1.3x", cs_heavy},
	{"conference-station-more", "(f) one station more", cs_station_more},
	{"conference-station-fewer", "(f) one station fewer", cs_station_fewer},
};

enum { N_CONFERENCE_SCENARIOS = sizeof(conference_scenarios) / sizeof(*conference_scenarios) };

const char *lunch_sim_conference_scenario_name(size_t i)
{
	return i < N_CONFERENCE_SCENARIOS ? conference_scenarios[i].name : NULL;
}

static const struct conference_scenario *conference_find(const char *name)
{
	for (size_t i = 0; i < N_CONFERENCE_SCENARIOS; i++)
		if (strcmp(conference_scenarios[i].name, name) == 0)
			return &conference_scenarios[i];
	return NULL;
}

bool lunch_sim_conference_scenario(const char *name, struct sim_conference *c)
{
	const struct conference_scenario *sc = conference_find(name);
	if (sc)
		sc->apply(c);
	return sc != NULL;
}

const char *lunch_sim_conference_scenario_about(const char *name)
{
	const struct conference_scenario *sc = conference_find(name);
	return sc ? sc->about : NULL;
}

static bool conference_runs(const struct sim_conference *c)
{
	struct sim_config probe = c->line;
	probe.duration_s = 1;
	return c->schedule && lunch_sim_config_runs(&probe) && c->days >= 0 &&
	       c->days <= SIM_MAX_DAYS && c->lead_s >= 0 && c->early_s >= 0 && c->go_spread_s > 0 &&
	       c->hallway_min > 0 && c->lag_median_s > 0 && c->lag_sigma >= 0 &&
	       c->door_per_s > 0 && c->away_min_s >= 0 && c->away_max_s >= c->away_min_s &&
	       c->fill_a > 0 && c->fill_b > 0 && c->fill_demand >= 0 && c->room_every_s >= 1 &&
	       c->window_from_s >= 0 && c->window_to_s > c->window_from_s &&
	       c->window_to_s < 24 * 3600;
}

bool lunch_sim_conference_run(const struct sim_conference *c, struct sim_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!conference_runs(c))
		return false;
	struct conf_prep cp;
	struct sim_samples l = {0}, rl = {0};
	struct sim_person *people = NULL;
	size_t n_people = 0, cap_people = 0;
	struct sim_day *days = NULL;
	int *attend = NULL;
	double *arr = NULL, *ex = NULL;
	struct sim_period p = {0};
	struct sim_sensors sn;
	bool ok = false, sensors_on = false;
	int64_t last_from = 0;
	struct sim_rng rsens = rng_stream(c->seed, STREAM_SENSORS, 0);
	if (!conf_prepare(c, &cp))
		goto out;
	days = calloc((size_t)cp.n_days, sizeof(*days));
	attend = malloc((c->schedule->n_sessions + 1) * sizeof(*attend));
	if (!days || !attend)
		goto out;
	for (int d = 0; d < cp.n_days; d++) {
		struct day_window w;
		struct sim_day *day = &days[d];
		if (!day_window(c, &cp, d, &w))
			goto out;
		day->opens_ms = w.opens * 1000, day->closes_ms = w.closes * 1000;
		day->window_from_schedule = w.from_schedule;
		day->first_person = n_people;
		if (!day_has_talks(&cp, d))
			continue; /* nobody at the conference that day */
		double want = cp.base * cp.factor[d];
		int on_site = (int)lround(want < SIM_MAX_PEOPLE ? want : SIM_MAX_PEOPLE);
		day->on_site = on_site;
		free(arr);
		free(ex);
		arr = malloc(((size_t)on_site + 1) * sizeof(*arr));
		ex = malloc(((size_t)on_site + 1) * sizeof(*ex));
		size_t n = 0;
		if (!arr || !ex || !day_people(c, &cp, d, &w, on_site, arr, &n, attend))
			goto out;
		struct sim_config dc;
		day_line(c, d, d == cp.n_days - 1, &w, &dc);
		struct sim_rng rserv = rng_stream(c->seed, STREAM_SERVICE, (uint64_t)d);
		lunch_sim_serve(&dc, &rserv, arr, n, ex);
		double last_exit = 0;
		for (size_t i = 0; i < n; i++)
			last_exit = ex[i] > last_exit ? ex[i] : last_exit;
		double end = (double)(w.closes - w.from) + 1800;
		end = last_exit + 600 > end ? last_exit + 600 : end;
		dc.duration_s = ((int)ceil(end) + dc.report_every_s - 1) / dc.report_every_s *
				dc.report_every_s;
		day->from_ms = w.from * 1000;
		day->to_ms = (w.from + dc.duration_s) * 1000;
		day->diners = (int)n;
		lunch_sim_period_finish(&p);
		if (!lunch_sim_period_split(&dc, &rsens, arr, ex, n, &p))
			goto out;
		if (!sensors_on)
			lunch_sim_sensors_start(&dc, &rsens, &sn);
		else
			lunch_sim_sensors_carry(&dc, &rsens, &sn, (double)(w.from - last_from));
		sensors_on = true;
		last_from = w.from;
		if (!lunch_sim_period_observe(&dc, &rsens, &sn, &p, &l))
			goto out;
		if (n_people + n > cap_people) {
			size_t ncap = (n_people + n) * 2;
			struct sim_person *np = realloc(people, ncap * sizeof(*np));
			if (!np)
				goto out;
			people = np;
			cap_people = ncap;
		}
		for (size_t i = 0; i < n; i++)
			people[n_people++] =
				(struct sim_person){dc.start_ms + (int64_t)llround(arr[i] * 1000),
						    dc.start_ms + (int64_t)llround(ex[i] * 1000)};
		if (c->room_counts && !day_rooms(c, &cp, d, attend, &rl))
			goto out;
	}
	lunch_sim_order_by_delivery(&l);
	if (!merge_rooms(&l, &rl))
		goto out;
	out->samples = l.s;
	out->delivered_ms = l.at;
	out->n_samples = l.n;
	out->people = people;
	out->n_people = n_people;
	out->days = days;
	out->n_days = (size_t)cp.n_days;
	l = (struct sim_samples){0};
	people = NULL;
	days = NULL;
	ok = true;
out:
	free(l.s);
	free(l.at);
	free(rl.s);
	free(rl.at);
	free(people);
	free(days);
	free(attend);
	free(arr);
	free(ex);
	lunch_sim_period_finish(&p);
	prep_finish(&cp);
	return ok;
}
