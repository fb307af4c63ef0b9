/* Unit tests for lunch_sim: reproducible, people conserved and served in
 * order, and each sensor fault where the configuration puts it; the
 * conference mode on the demo summit (4 days, lunch 12:30-14:00 at Le
 * Méridien, sessions ending at 11:40 and 12:30). */
#include "test_util.h"

#include "lunch_sim.h"
#include "queue_sample.h"
#include "schedule.h"

#include <stdlib.h>
#include <string.h>

static void test_reproducible(void **state)
{
	(void)state;
	struct sim_result a = test_lunch_sim("noisy", 7), b = test_lunch_sim("noisy", 7),
			  c = test_lunch_sim("noisy", 8);
	assert_int_equal(a.n_samples, b.n_samples);
	assert_int_equal(a.n_people, b.n_people);
	assert_memory_equal(a.samples, b.samples, a.n_samples * sizeof(*a.samples));
	assert_memory_equal(a.people, b.people, a.n_people * sizeof(*a.people));
	assert_true(c.n_people != a.n_people ||
		    memcmp(c.people, a.people, a.n_people * sizeof(*a.people)) != 0);
	lunch_sim_finish(&a);
	lunch_sim_finish(&b);
	lunch_sim_finish(&c);
	assert_false(lunch_sim_scenario("nonsense", &(struct sim_config){0}));
}

static void test_people_and_fifo(void **state)
{
	(void)state;
	struct sim_result r = test_lunch_sim("clean", 3);
	/* ~450 in the surge plus a trickle of 1.5 a minute for 150 minutes */
	assert_in_range(r.n_people, 550, 800);
	for (size_t i = 0; i < r.n_people; i++) {
		assert_true(r.people[i].exit_ms > r.people[i].enter_ms);
		if (i)
			assert_true(r.people[i].enter_ms >= r.people[i - 1].enter_ms);
	}
	/* after the keynote the line is long: someone waits over 20 minutes */
	int64_t longest = 0;
	for (size_t i = 0; i < r.n_people; i++)
		if (r.people[i].exit_ms - r.people[i].enter_ms > longest)
			longest = r.people[i].exit_ms - r.people[i].enter_ms;
	assert_true(longest > 20 * 60 * 1000);
	/* clean counters: the exit counter's growth is exactly who left */
	int64_t first = -1, last = -1, end_ms = 0;
	for (size_t i = 0; i < r.n_samples; i++) {
		const struct queue_sample *s = &r.samples[i];
		if (s->type == SAMPLE_COUNT && s->role == ROLE_EXIT) {
			if (first < 0)
				first = s->total;
			last = s->total;
			end_ms = s->t_ms;
		}
	}
	size_t left = 0;
	for (size_t i = 0; i < r.n_people; i++)
		left += r.people[i].exit_ms <= end_ms;
	assert_int_equal(last - first, (int64_t)left);
	assert_int_equal(r.samples[0].type, SAMPLE_QUEUE);
	lunch_sim_finish(&r);
}

static void test_faults_where_configured(void **state)
{
	(void)state;
	struct sim_config c;
	lunch_sim_defaults(&c);
	assert_true(lunch_sim_scenario("noisy", &c));
	struct sim_result r;
	assert_true(lunch_sim_run(&c, &r));
	int64_t from = c.start_ms + c.outage_from_s * 1000LL,
		to = c.start_ms + c.outage_to_s * 1000LL;
	size_t exits_in_outage = 0, restarts = 0, disorder = 0;
	int64_t prev_a = -1, prev_t = 0;
	for (size_t i = 0; i < r.n_samples; i++) {
		const struct queue_sample *s = &r.samples[i];
		if (s->type != SAMPLE_COUNT)
			continue;
		if (s->role == ROLE_EXIT && s->t_ms > from + 5000 && s->t_ms < to - 5000)
			exits_in_outage++;
		if (strcmp(s->sensor, "door-a") == 0) {
			restarts += prev_a >= 0 && s->total < prev_a;
			prev_a = s->total;
		}
		disorder += s->t_ms < prev_t;
		prev_t = s->t_ms;
	}
	assert_int_equal(exits_in_outage, 0);
	assert_int_equal(restarts, 1);
	assert_true(disorder > 0); /* skewed clocks and delivery delays reorder samples */
	lunch_sim_finish(&r);

	r = test_lunch_sim("biased", 2);
	size_t occ = 0;
	for (size_t i = 0; i < r.n_samples; i++)
		occ += r.samples[i].type == SAMPLE_OCCUPANCY;
	assert_true(occ > 200);
	lunch_sim_finish(&r);
}

/* Issue 12: half speed unannounced, then one station closed with a word from
 * the staff, for the rest of the run; nobody is kept waiting for a station
 * that never reopens (seed 5 has someone whose station closes as they reach
 * it). */
static void test_slow_closure(void **state)
{
	(void)state;
	struct sim_config c;
	lunch_sim_defaults(&c);
	assert_true(lunch_sim_scenario("slow-closure", &c));
	assert_true(c.slow_to_s == c.closed_from_s && c.slow_factor == 2.0);
	for (c.seed = 1; c.seed <= 6; c.seed++) {
		struct sim_result r;
		assert_true(lunch_sim_run(&c, &r));
		size_t announced = 0;
		for (size_t i = 0; i < r.n_samples; i++) {
			if (r.samples[i].type != SAMPLE_STATIONS)
				continue;
			announced++;
			assert_int_equal(r.samples[i].stations, c.stations - 1);
			assert_true(r.samples[i].t_ms == c.start_ms + c.closed_from_s * 1000LL);
		}
		assert_int_equal(announced, 1);
		int64_t longest = 0;
		for (size_t i = 0; i < r.n_people; i++)
			if (r.people[i].exit_ms - r.people[i].enter_ms > longest)
				longest = r.people[i].exit_ms - r.people[i].enter_ms;
		assert_true(longest > 30 * 60 * 1000); /* the slow spell shows */
		assert_true(longest < 80 * 60 * 1000);
		lunch_sim_finish(&r);
	}
	/* new scenarios come after: the others keep their seeds */
	static const char *const order[] = {"clean",  "noisy", "slow",
					    "biased", "small", "slow-closure"};
	for (size_t i = 0; i < sizeof(order) / sizeof(*order); i++)
		assert_string_equal(lunch_sim_scenario_name(i), order[i]);
}

/* A restock: no station serves from 32 to 40 minutes while people keep
 * joining, then all serve at the usual pace; and the surge's crowd. */
static void test_stall_and_surge(void **state)
{
	(void)state;
	struct sim_config c;
	lunch_sim_defaults(&c);
	assert_true(lunch_sim_scenario("stall", &c));
	assert_true(c.stall_to_s - c.stall_from_s == 8 * 60);
	c.seed = 3;
	struct sim_result r;
	assert_true(lunch_sim_run(&c, &r));
	int64_t from = c.start_ms + c.stall_from_s * 1000LL,
		to = c.start_ms + c.stall_to_s * 1000LL;
	size_t joined = 0, left_late = 0;
	for (size_t i = 0; i < r.n_people; i++) {
		const struct sim_person *p = &r.people[i];
		joined += p->enter_ms >= from && p->enter_ms < to;
		/* only those whose service began before the stall leave in it */
		left_late += p->exit_ms > from + 5 * 60 * 1000 && p->exit_ms < to;
	}
	assert_true(joined > 60); /* ~15 a minute still join */
	assert_int_equal(left_late, 0);
	/* after it: served at the usual pace, 4 stations at 30 s */
	size_t left_after = 0;
	for (size_t i = 0; i < r.n_people; i++)
		left_after += r.people[i].exit_ms >= to && r.people[i].exit_ms < to + 5 * 60 * 1000;
	assert_in_range(left_after, 30, 50);
	lunch_sim_finish(&r);
	/* the surge: the door far faster than the stations */
	lunch_sim_defaults(&c);
	assert_true(lunch_sim_scenario("surge", &c));
	c.seed = 3;
	assert_true(lunch_sim_run(&c, &r));
	size_t first5 = 0;
	int64_t s0 = c.start_ms + c.surge_at_s * 1000LL;
	for (size_t i = 0; i < r.n_people; i++)
		first5 += r.people[i].enter_ms >= s0 && r.people[i].enter_ms < s0 + 5 * 60 * 1000;
	assert_true(first5 > 300); /* ~380: 8 times what the stations serve then */
	lunch_sim_finish(&r);
}

static struct schedule *paris(void)
{
	size_t len;
	char *buf = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct schedule *s = test_parse(buf, NULL);
	free(buf);
	return s;
}

static struct sim_result conference(const struct schedule *s, const char *scenario, uint64_t seed)
{
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	assert_true(lunch_sim_conference_scenario(scenario, &c));
	c.seed = seed;
	struct sim_result r;
	assert_true(lunch_sim_conference_run(&c, &r));
	return r;
}

/* The people of day d: [first, end). */
static size_t day_end(const struct sim_result *r, size_t d)
{
	return d + 1 < r->n_days ? r->days[d + 1].first_person : r->n_people;
}

static bool same_line(const struct sim_result *a, const struct sim_result *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->n_samples && a->samples[i].type == SAMPLE_ROOM)
			i++;
		while (j < b->n_samples && b->samples[j].type == SAMPLE_ROOM)
			j++;
		if (i == a->n_samples || j == b->n_samples)
			return i == a->n_samples && j == b->n_samples;
		if (memcmp(&a->samples[i++], &b->samples[j++], sizeof(struct queue_sample)) != 0)
			return false;
	}
}

static void test_conference_reproducible(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_result a = conference(s, "conference", 5), b = conference(s, "conference", 5);
	struct sim_result c = conference(s, "conference", 6);
	struct sim_result rooms = conference(s, "conference-rooms", 5);
	assert_int_equal(a.n_days, 4);
	assert_int_equal(a.n_samples, b.n_samples);
	assert_int_equal(a.n_people, b.n_people);
	assert_memory_equal(a.samples, b.samples, a.n_samples * sizeof(*a.samples));
	assert_memory_equal(a.people, b.people, a.n_people * sizeof(*a.people));
	assert_true(c.n_people != a.n_people ||
		    memcmp(c.people, a.people, a.n_people * sizeof(*a.people)) != 0);
	/* cameras in the rooms change nothing about the line */
	assert_int_equal(rooms.n_people, a.n_people);
	assert_memory_equal(rooms.people, a.people, a.n_people * sizeof(*a.people));
	assert_true(same_line(&a, &rooms));
	assert_true(rooms.n_samples > a.n_samples);
	lunch_sim_finish(&a);
	lunch_sim_finish(&b);
	lunch_sim_finish(&c);
	lunch_sim_finish(&rooms);
	struct sim_conference k;
	lunch_sim_conference_defaults(&k, s);
	assert_false(lunch_sim_conference_scenario("clean", &k)); /* a single-period one */
	k.days = 5;                                               /* the summit has four */
	struct sim_result r;
	assert_false(lunch_sim_conference_run(&k, &r));
	k.days = 2;
	k.schedule = NULL;
	assert_false(lunch_sim_conference_run(&k, &r));
	schedule_destroy(s);
}

/* The window is the lunch session; people come after sessions let out,
 * once a day, never before the window. */
static void test_conference_arrivals(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_result r = conference(s, "conference", 3);
	size_t total = 0;
	for (size_t d = 0; d < r.n_days; d++) {
		const struct sim_day *day = &r.days[d];
		assert_true(day->window_from_schedule);
		/* 12:30-14:00 in Paris, UTC+1 in November */
		assert_int_equal(day->opens_ms % 86400000, (11 * 3600 + 30 * 60) * 1000LL);
		assert_int_equal(day->closes_ms - day->opens_ms, 90 * 60 * 1000LL);
		assert_int_equal(day->first_person, total);
		size_t end = day_end(&r, d), after_end = 0;
		assert_int_equal(end - day->first_person, (size_t)day->diners);
		assert_true(day->diners > 100);
		assert_true(day->diners <= day->on_site); /* each eats at most once */
		for (size_t i = day->first_person; i < end; i++) {
			const struct sim_person *p = &r.people[i];
			assert_true(p->enter_ms >= day->opens_ms);
			assert_true(p->enter_ms <= day->closes_ms + 60000); /* the door's last */
			assert_true(p->exit_ms > p->enter_ms);
			assert_true(p->enter_ms >= day->from_ms && p->exit_ms <= day->to_ms);
			after_end += p->enter_ms < day->opens_ms + 45 * 60 * 1000LL;
		}
		/* the 12:30 sessions let out as lunch opens: most come in 45 minutes */
		assert_true(after_end * 10 > (size_t)day->diners * 7);
		total = end;
	}
	assert_int_equal(total, r.n_people);
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

/* With the window opening at 12:00 instead, the 12:30 session ends stand
 * alone: their people take minutes to walk over, so the first minute after
 * the end sees few of them and the next minutes many. */
static void test_conference_walking_lag(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	assert_true(lunch_sim_conference_scenario("conference", &c));
	c.window_from_schedule = false;
	c.window_from_s = 12 * 3600;
	c.window_to_s = 14 * 3600 + 30 * 60;
	size_t first = 0, later = 0;
	for (c.seed = 1; c.seed <= 2; c.seed++) {
		struct sim_result r;
		assert_true(lunch_sim_conference_run(&c, &r));
		for (size_t d = 0; d < r.n_days; d++) {
			assert_false(r.days[d].window_from_schedule);
			int64_t end_ms = r.days[d].opens_ms + 30 * 60 * 1000LL; /* 12:30 */
			for (size_t i = r.days[d].first_person; i < day_end(&r, d); i++) {
				int64_t t = r.people[i].enter_ms - end_ms;
				first += t >= 0 && t < 60000;
				later += t >= 3 * 60000 && t < 8 * 60000;
			}
		}
		lunch_sim_finish(&r);
	}
	/* per minute, the first (the hallway's trickle and the quickest walkers)
	 * holds less than half of minutes 3 to 8 (about a quarter); without the
	 * walk it would hold twice as many */
	assert_true(later > 200);
	assert_true(first * 5 * 2 < later);
	schedule_destroy(s);
}

static void test_conference_day_volumes(void **state)
{
	(void)state;
	struct schedule *s = paris();
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct sim_result r = conference(s, "conference-busy-day", seed);
		struct sim_result q = conference(s, "conference", seed);
		assert_int_equal(r.n_days, 4);
		double mean = (r.days[0].diners + r.days[1].diners + r.days[2].diners) / 3.0;
		assert_true(r.days[3].diners > 1.2 * mean);
		for (int d = 0; d < 3; d++) /* the earlier days are the same days */
			assert_int_equal(r.days[d].diners, q.days[d].diners);
		/* without the busy day the last day is the lightest */
		assert_true(q.days[3].diners < q.days[0].diners);
		assert_true(q.days[3].on_site < q.days[0].on_site);
		lunch_sim_finish(&r);
		lunch_sim_finish(&q);
	}
	schedule_destroy(s);
}

/* Every sample reads back as written; one queue declaration a day; counters
 * carry their totals from one day to the next; the noisy scenario's outage
 * and restart on the second day only. */
static void test_conference_samples(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_result r = conference(s, "conference-noisy", 4);
	char line[QUEUE_LINE_MAX], again[QUEUE_LINE_MAX];
	size_t queues = 0, restarts = 0, exits_in_outage[4] = {0};
	int64_t prev_at = INT64_MIN, prev_a = -1;
	int64_t out_first[4] = {-1, -1, -1, -1}, out_last[4] = {-1, -1, -1, -1};
	for (size_t i = 0; i < r.n_samples; i++) {
		const struct queue_sample *x = &r.samples[i];
		size_t n = queue_sample_format(x, line, sizeof(line));
		assert_true(n > 0);
		struct queue_sample back;
		struct feed_error e;
		assert_int_equal(queue_sample_parse(line, n, &back, &e), SAMPLE_OK);
		assert_int_equal(queue_sample_format(&back, again, sizeof(again)), n);
		assert_string_equal(line, again);
		assert_true(r.delivered_ms[i] >= prev_at);
		prev_at = r.delivered_ms[i];
		queues += x->type == SAMPLE_QUEUE;
		assert_true(x->type != SAMPLE_ROOM);
		if (x->type != SAMPLE_COUNT)
			continue;
		size_t d = 0;
		while (d + 1 < r.n_days && x->t_ms >= r.days[d + 1].from_ms - 60000)
			d++;
		if (strcmp(x->sensor, "out") == 0) {
			if (out_first[d] < 0)
				out_first[d] = x->total;
			out_last[d] = x->total;
			int64_t from = r.days[d].opens_ms + 10 * 60000;
			int64_t to = r.days[d].opens_ms + 20 * 60000;
			if (x->t_ms > from + 5000 && x->t_ms < to - 5000)
				exits_in_outage[d]++;
		}
		if (strcmp(x->sensor, "door-a") == 0) {
			restarts += prev_a >= 0 && x->total < prev_a;
			prev_a = x->total;
		}
	}
	assert_int_equal(queues, r.n_days);
	assert_int_equal(restarts, 1);
	for (int d = 0; d < 4; d++) /* the exit counter is silent on day 2 only */
		assert_true(d == 1 ? exits_in_outage[d] == 0 : exits_in_outage[d] > 30);
	for (int d = 1; d < 4; d++) /* counters run on: spurious counts overnight */
		assert_true(out_first[d] > out_last[d - 1]);
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

/* Room counts only when asked; each a room of the schedule, counted during
 * its sessions, never more than its seats plus the counting noise. */
static void test_conference_room_counts(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_result r = conference(s, "conference-rooms", 2);
	size_t rooms = 0, busy = 0;
	for (size_t i = 0; i < r.n_samples; i++) {
		const struct queue_sample *x = &r.samples[i];
		if (x->type != SAMPLE_ROOM)
			continue;
		rooms++;
		char line[QUEUE_LINE_MAX];
		struct queue_sample back;
		struct feed_error e;
		size_t n = queue_sample_format(x, line, sizeof(line));
		assert_int_equal(queue_sample_parse(line, n, &back, &e), SAMPLE_OK);
		assert_memory_equal(&back, x, sizeof(back)); /* reads back as written */
		const struct room *rm = NULL;
		for (size_t k = 0; k < s->n_rooms; k++)
			if (strcmp(s->rooms[k].name, x->room) == 0)
				rm = &s->rooms[k];
		assert_non_null(rm);
		assert_int_equal(x->capacity, rm->capacity);
		assert_true(x->people <= rm->capacity + 5 * (0.03 * rm->capacity + 1));
		assert_true(strncmp(x->sensor, "cam-", 4) == 0);
		assert_true(strcmp(rm->id, "le-meridien-dejeuner") != 0); /* catering only */
		bool during = false;
		for (size_t k = 0; k < s->n_sessions; k++) {
			const struct session *se = &s->sessions[k];
			if (se->room && strcmp(se->room, rm->id) == 0 &&
			    x->t_ms >= (se->start - 600) * 1000 &&
			    x->t_ms <= (se->end + 300) * 1000)
				during = true;
		}
		assert_true(during);
		busy += x->people > rm->capacity / 4;
	}
	assert_true(rooms > 1000);
	assert_true(busy > rooms / 4); /* talks do draw people */
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

/* Without a lunch session (none in a room of that name) the configured
 * window, 11:30-14:30 local, applies. */
static void test_conference_window_fallback(void **state)
{
	(void)state;
	struct schedule *s = paris();
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	c.catering_room = "salle-241";
	c.days = 2;
	struct sim_result r;
	assert_true(lunch_sim_conference_run(&c, &r));
	assert_int_equal(r.n_days, 2);
	for (size_t d = 0; d < r.n_days; d++) {
		assert_false(r.days[d].window_from_schedule);
		assert_int_equal(r.days[d].opens_ms % 86400000, (10 * 3600 + 30 * 60) * 1000LL);
		assert_int_equal(r.days[d].closes_ms - r.days[d].opens_ms, 3 * 3600 * 1000LL);
		for (size_t i = r.days[d].first_person; i < day_end(&r, d); i++)
			assert_true(r.people[i].enter_ms >= r.days[d].opens_ms);
	}
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

/* Issue 20's families change only the last day: the programme as
 * published (staggered rooms, a later lunch), an overrun the programme
 * does not know, the stations declared that morning, the day's size. */
static void test_conference_families(void **state)
{
	(void)state;
	struct schedule *base = paris();
	struct sim_result same = conference(base, "conference-same", 9);
	const struct sim_day *last = &same.days[same.n_days - 1];
	/* (d) the lunch session moves, and the window with it */
	struct schedule *s = paris();
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	assert_true(lunch_sim_conference_scenario("conference-lunch-later", &c));
	c.seed = 9;
	assert_true(lunch_sim_conference_publish(&c, s));
	struct sim_result later;
	assert_true(lunch_sim_conference_run(&c, &later));
	assert_int_equal(later.days[later.n_days - 1].opens_ms - last->opens_ms, 30 * 60000LL);
	for (size_t d = 0; d + 1 < later.n_days; d++)
		assert_int_equal(later.days[d].opens_ms, same.days[d].opens_ms);
	lunch_sim_finish(&later);
	schedule_destroy(s);
	/* (b) some room's morning ends at another time than before, earlier
	 * days untouched; no two talks of a room overlap */
	s = paris();
	lunch_sim_conference_defaults(&c, s);
	assert_true(lunch_sim_conference_scenario("conference-stagger", &c));
	c.seed = 9;
	assert_true(lunch_sim_conference_publish(&c, s));
	size_t moved = 0, moved_early = 0;
	for (size_t i = 0; i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		const struct session *o = NULL;
		for (size_t k = 0; k < base->n_sessions; k++)
			if (strcmp(base->sessions[k].id, x->id) == 0)
				o = &base->sessions[k];
		assert_non_null(o);
		if (o->start != x->start) {
			moved++;
			assert_true(x->start >=
				    last->opens_ms / 1000 - 86400); /* the last day only */
			assert_int_equal(x->end - x->start, o->end - o->start);
		}
		moved_early += o->start != x->start && o->start < last->opens_ms / 1000 - 86400;
		for (size_t k = 0; k < s->n_sessions; k++)
			if (k != i && x->room && s->sessions[k].room &&
			    strcmp(x->room, s->sessions[k].room) == 0 &&
			    !strstr(x->room, "dejeuner"))
				assert_false(s->sessions[k].start < x->end &&
					     s->sessions[k].end > x->start);
	}
	assert_true(moved >= 4);
	assert_int_equal(moved_early, 0);
	schedule_destroy(s);
	/* (c) the biggest room before lunch keeps its people 30-45 min longer:
	 * its camera counts them after the programme's end */
	struct sim_conference o;
	lunch_sim_conference_defaults(&o, base);
	assert_true(lunch_sim_conference_scenario("conference-overrun", &o));
	o.seed = 9, o.room_counts = true, o.camera_share = 1.0;
	struct sim_result over;
	assert_true(lunch_sim_conference_run(&o, &over));
	int late = 0;
	for (size_t i = 0; i < over.n_samples; i++) {
		const struct queue_sample *x = &over.samples[i];
		/* Salle 241 (400 seats) lets out at 11:30 on the last day */
		if (x->type == SAMPLE_ROOM && strcmp(x->room, "Salle 241") == 0 &&
		    x->t_ms >= last->opens_ms + 20 * 60000LL &&
		    x->t_ms < last->opens_ms + 30 * 60000LL)
			late = x->people > late ? x->people : late;
	}
	assert_true(late > 50);
	lunch_sim_finish(&over);
	/* (f) one station fewer, declared in the last morning's queue sample */
	struct sim_result fewer = conference(base, "conference-station-fewer", 9);
	int declared = -1;
	for (size_t i = 0; i < fewer.n_samples; i++)
		if (fewer.samples[i].type == SAMPLE_QUEUE)
			declared = fewer.samples[i].stations;
	assert_int_equal(declared, 3);
	lunch_sim_finish(&fewer);
	/* (e) the last day's diners 1.3 times the earlier days' mean */
	struct sim_result heavy = conference(base, "conference-heavy", 9);
	double earlier = 0;
	for (size_t d = 1; d + 1 < heavy.n_days; d++)
		earlier += heavy.days[d].diners / (double)(heavy.n_days - 2);
	assert_true(heavy.days[heavy.n_days - 1].diners > 1.15 * earlier);
	lunch_sim_finish(&heavy);
	lunch_sim_finish(&same);
	schedule_destroy(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_people_and_fifo),
		cmocka_unit_test(test_faults_where_configured),
		cmocka_unit_test(test_slow_closure),
		cmocka_unit_test(test_stall_and_surge),
		cmocka_unit_test(test_conference_reproducible),
		cmocka_unit_test(test_conference_arrivals),
		cmocka_unit_test(test_conference_walking_lag),
		cmocka_unit_test(test_conference_day_volumes),
		cmocka_unit_test(test_conference_samples),
		cmocka_unit_test(test_conference_room_counts),
		cmocka_unit_test(test_conference_window_fallback),
		cmocka_unit_test(test_conference_families),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
