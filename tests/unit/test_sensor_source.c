/* Unit tests for sensor_source: roles and their defaults, totals and resets,
 * deltas summed (late and retried bins), the same reading twice, the future
 * refused, venueboard lines, the status GET /v1/sources shows, bounded state.
 * Every line written is read back with queue_sample_parse. */
#include "test_util.h"

#include "queue_sample.h"
#include "sensor_source.h"

#include <stdio.h>
#include <string.h>

#define T0   1415275200000LL /* 2014-11-06T12:00:00Z */
#define MIN  60000LL
#define NO_T SENSOR_NO_TIME

static struct sensor_source_config cfg(const char *name, enum sensor_format f, bool room,
				       const char *target)
{
	struct sensor_source_config c;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.format = f;
	c.from = SENSOR_FROM_PUSH;
	snprintf(c.from_text, sizeof(c.from_text), "push");
	c.room = room;
	snprintf(c.target, sizeof(c.target), "%s", target);
	c.period_s = SENSOR_DEFAULT_PERIOD_S;
	return c;
}

static void map(struct sensor_source_config *c, const char *counter, enum sensor_role r)
{
	snprintf(c->counters[c->n_counters].counter, sizeof(c->counters[0].counter), "%s", counter);
	c->counters[c->n_counters++].role = r;
}

static void add(struct sensor_payload *p, const char *counter, enum sensor_kind k, int64_t value,
		int64_t t_ms, int64_t from_ms)
{
	struct sensor_reading *r = &p->r[p->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->counter, sizeof(r->counter), "%s", counter);
	r->kind = k;
	r->value = value;
	r->t_ms = t_ms;
	r->from_ms = from_ms;
}

/* Runs take_readings, which must take p; returns the number of lines added. */
static size_t take(const struct sensor_source_config *c, struct sensor_source_state *s,
		   const struct sensor_payload *p, int64_t now, struct sensor_lines *out,
		   struct sensor_take_info *info)
{
	struct feed_error e = {{0}};
	size_t n0 = out->n;
	if (!sensor_source_take_readings(c, s, p, now, out, info, &e))
		fail_msg("refused: %s", e.msg);
	assert_int_equal(info->samples, out->n - n0);
	return out->n - n0;
}

static bool take_text(const struct sensor_source_config *c, struct sensor_source_state *s,
		      const char *text, int64_t now, struct sensor_lines *out,
		      struct sensor_take_info *info, struct feed_error *e)
{
	return sensor_source_take(c, s, text, strlen(text), NULL, now, out, info, e);
}

/* Line i of out, read back (it must read). */
static struct queue_sample line(const struct sensor_lines *out, size_t i)
{
	struct queue_sample q;
	struct feed_error e = {{0}};
	assert_true(i < out->n);
	if (queue_sample_parse(out->line[i], strlen(out->line[i]), &q, &e) != SAMPLE_OK)
		fail_msg("line %zu does not read: %s (%s)", i, e.msg, out->line[i]);
	return q;
}

static void assert_count(const struct sensor_lines *out, size_t i, const char *sensor,
			 enum sample_role role, int64_t t_ms, int64_t total)
{
	struct queue_sample q = line(out, i);
	assert_int_equal(q.type, SAMPLE_COUNT);
	assert_string_equal(q.queue, "meridien-lunch");
	assert_string_equal(q.sensor, sensor);
	assert_int_equal(q.role, role);
	assert_int_equal(q.t_ms, t_ms);
	assert_int_equal(q.total, total);
}

static void test_role_names(void **state)
{
	(void)state;
	static const char *const names[] = {"entry", "exit", "occupancy", "people"};
	for (int i = 0; i < 4; i++) {
		enum sensor_role r;
		assert_string_equal(sensor_role_name((enum sensor_role)i), names[i]);
		assert_true(sensor_role_named(names[i], &r));
		assert_int_equal(r, i);
	}
	enum sensor_role r;
	assert_false(sensor_role_named("in", &r));
	assert_false(sensor_role_named("Entry", &r));
}

/* AXIS in/out and Hikvision enter/leave by default; json by role name;
 * others only as source-counter lines say; the rest unmapped, remembered. */
static void test_mapping_defaults(void **state)
{
	(void)state;
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	struct sensor_source_config axis =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	add(&p, "in", SENSOR_TOTAL, 57, T0, NO_T);
	add(&p, "out", SENSOR_TOTAL, 12, T0, NO_T);
	add(&p, "lost", SENSOR_TOTAL, 3, T0, NO_T);
	assert_int_equal(take(&axis, s, &p, T0 + 1000, &out, &info), 2);
	assert_int_equal(info.readings, 3);
	assert_int_equal(info.unmapped, 1);
	assert_count(&out, 0, "door-a", ROLE_ENTRY, T0, 57);
	assert_count(&out, 1, "door-a", ROLE_EXIT, T0, 12);
	struct sensor_status st;
	sensor_source_status(&axis, s, T0 + 2000, &st);
	assert_string_equal(st.unmapped, "lost");
	sensor_source_state_free(s);

	struct sensor_source_config hik = cfg("hik", SENSOR_HIKVISION, false, "meridien-lunch");
	s = sensor_source_state_new(T0);
	p.n = 0;
	add(&p, "enter", SENSOR_TOTAL, 5, T0, NO_T);
	add(&p, "leave", SENSOR_TOTAL, 4, T0, NO_T);
	add(&p, "in", SENSOR_TOTAL, 4, T0, NO_T);
	assert_int_equal(take(&hik, s, &p, T0, &out, &info), 2);
	assert_count(&out, 2, "hik", ROLE_ENTRY, T0, 5);
	assert_count(&out, 3, "hik", ROLE_EXIT, T0, 4);
	assert_int_equal(info.unmapped, 1);
	sensor_source_state_free(s);

	/* json: the counter is the role; a room takes people */
	struct sensor_source_config js = cfg("cam", SENSOR_JSON, true, "Salle 252B");
	s = sensor_source_state_new(T0);
	p.n = 0;
	add(&p, "people", SENSOR_TOTAL, 212, T0 - 1500, NO_T);
	add(&p, "entry", SENSOR_TOTAL, 300, T0, NO_T); /* not for a room */
	assert_int_equal(take(&js, s, &p, T0, &out, &info), 1);
	assert_int_equal(info.unmapped, 1);
	struct queue_sample q = line(&out, 4);
	assert_int_equal(q.type, SAMPLE_ROOM);
	assert_string_equal(q.room, "Salle 252B");
	assert_string_equal(q.sensor, "cam");
	assert_int_equal(q.people, 212);
	assert_int_equal(q.t_ms, T0 - 2000); /* whole seconds */
	sensor_source_state_free(s);

	/* Irisys: only what source-counter lines name; occupancy as a level */
	struct sensor_source_config iri = cfg("iri", SENSOR_IRISYS, false, "meridien-lunch");
	map(&iri, "Main Door In", SENSOR_ROLE_ENTRY);
	map(&iri, "Queue Zone", SENSOR_ROLE_OCCUPANCY);
	s = sensor_source_state_new(T0);
	p.n = 0;
	add(&p, "Main Door In", SENSOR_TOTAL, 40, NO_T, NO_T);
	add(&p, "Queue Zone", SENSOR_TOTAL, 17, NO_T, NO_T);
	add(&p, "in", SENSOR_TOTAL, 1, NO_T, NO_T);
	assert_int_equal(take(&iri, s, &p, T0 + 7250, &out, &info), 2);
	assert_count(&out, 5, "iri", ROLE_ENTRY, T0 + 7000, 40); /* stamped when received */
	q = line(&out, 6);
	assert_int_equal(q.type, SAMPLE_OCCUPANCY);
	assert_int_equal(q.people, 17);
	assert_string_equal(q.sensor, "iri");
	sensor_source_status(&iri, s, T0 + 8000, &st);
	assert_string_equal(st.unmapped, "in");
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* Two lines of one sensor both counted as entries: two sensors' totals. */
static void test_two_counters_one_role(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("xo", SENSOR_XOVIS, false, "meridien-lunch");
	map(&c, "Left/fw", SENSOR_ROLE_ENTRY);
	map(&c, "Right/fw", SENSOR_ROLE_ENTRY);
	map(&c, "Left/bw", SENSOR_ROLE_EXIT);
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	add(&p, "Left/fw", SENSOR_DELTA, 3, T0 + MIN, T0);
	add(&p, "Right/fw", SENSOR_DELTA, 4, T0 + MIN, T0);
	add(&p, "Left/bw", SENSOR_DELTA, 2, T0 + MIN, T0);
	assert_int_equal(take(&c, s, &p, T0 + MIN + 5000, &out, &info), 3);
	assert_count(&out, 0, "xo/Left/fw", ROLE_ENTRY, T0 + MIN, 3);
	assert_count(&out, 1, "xo/Right/fw", ROLE_ENTRY, T0 + MIN, 4);
	assert_count(&out, 2, "xo", ROLE_EXIT, T0 + MIN, 2);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* Totals pass as totals; a lower one (the device's reset) too. */
static void test_totals_and_reset(void **state)
{
	(void)state;
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	static const int64_t totals[] = {100, 130, 4, 9};
	for (size_t i = 0; i < 4; i++) {
		struct sensor_payload p = {0};
		add(&p, "in", SENSOR_TOTAL, totals[i], T0 + (int64_t)i * 30000, NO_T);
		assert_int_equal(take(&c, s, &p, T0 + (int64_t)i * 30000 + 500, &out, &info), 1);
		assert_count(&out, i, "door-a", ROLE_ENTRY, T0 + (int64_t)i * 30000, totals[i]);
	}
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* Bins summed, dated at their ends; a late bin at the newest time; a
 * retried bin once. */
static void test_deltas(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("xo", SENSOR_XOVIS, false, "meridien-lunch");
	map(&c, "Entrance/fw", SENSOR_ROLE_ENTRY);
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	add(&p, "Entrance/fw", SENSOR_DELTA, 5, T0 + MIN, T0);
	add(&p, "Entrance/fw", SENSOR_DELTA, 3, T0 + 2 * MIN, T0 + MIN);
	assert_int_equal(take(&c, s, &p, T0 + 2 * MIN, &out, &info), 2);
	assert_count(&out, 0, "xo", ROLE_ENTRY, T0 + MIN, 5);
	assert_count(&out, 1, "xo", ROLE_ENTRY, T0 + 2 * MIN, 8);
	/* the bin to 12:04 comes before the one to 12:03 (a failed push retried) */
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 2, T0 + 4 * MIN, T0 + 3 * MIN);
	assert_int_equal(take(&c, s, &p, T0 + 4 * MIN, &out, &info), 1);
	assert_count(&out, 2, "xo", ROLE_ENTRY, T0 + 4 * MIN, 10);
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 4, T0 + 3 * MIN, T0 + 2 * MIN);
	assert_int_equal(take(&c, s, &p, T0 + 5 * MIN, &out, &info), 1);
	assert_count(&out, 3, "xo", ROLE_ENTRY, T0 + 4 * MIN, 14); /* not 12:03 */
	/* the first push retried: both bins known, nothing new */
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 5, T0 + MIN, T0);
	add(&p, "Entrance/fw", SENSOR_DELTA, 3, T0 + 2 * MIN, T0 + MIN);
	assert_int_equal(take(&c, s, &p, T0 + 5 * MIN, &out, &info), 0);
	assert_int_equal(info.duplicates, 2);
	/* a delta without any time (json "delta"): stamped, summed */
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 1, NO_T, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 6 * MIN, &out, &info), 1);
	assert_count(&out, 4, "xo", ROLE_ENTRY, T0 + 6 * MIN, 15);
	struct sensor_status st;
	sensor_source_status(&c, s, T0 + 6 * MIN, &st);
	assert_int_equal(st.duplicates, 2);
	assert_int_equal(st.readings, 7);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* Irisys Counts events (a delta with a time, no bin): a redelivered
 * message (QoS 1) counts once. */
static void test_irisys_events_redelivered(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("iri", SENSOR_IRISYS, false, "meridien-lunch");
	map(&c, "In", SENSOR_ROLE_ENTRY);
	map(&c, "Out", SENSOR_ROLE_EXIT);
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	add(&p, "In", SENSOR_DELTA, 1, T0 + 1000, NO_T);
	add(&p, "In", SENSOR_DELTA, 1, T0 + 2000, NO_T);
	add(&p, "Out", SENSOR_DELTA, 1, T0 + 2000, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 3000, &out, &info), 3);
	assert_count(&out, 1, "iri", ROLE_ENTRY, T0 + 2000, 2);
	assert_int_equal(take(&c, s, &p, T0 + 4000, &out, &info), 0);
	assert_int_equal(info.duplicates, 3);
	/* the next event counts on */
	p.n = 0;
	add(&p, "In", SENSOR_DELTA, 1, T0 + 5000, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 6000, &out, &info), 1);
	assert_count(&out, 3, "iri", ROLE_ENTRY, T0 + 5000, 3);
	/* the empty array: read, nothing to take */
	p.n = 0;
	assert_int_equal(take(&c, s, &p, T0 + 7000, &out, &info), 0);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* A poll answering the same AXIS reading (same timestamp) counts once; an
 * older one cannot rewind. */
static void test_same_reading_twice(void **state)
{
	(void)state;
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	add(&p, "in", SENSOR_TOTAL, 57, T0, NO_T);
	add(&p, "out", SENSOR_TOTAL, 12, T0, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 1000, &out, &info), 2);
	assert_int_equal(take(&c, s, &p, T0 + 31000, &out, &info), 0);
	assert_int_equal(info.duplicates, 2);
	p.n = 0;
	add(&p, "in", SENSOR_TOTAL, 50, T0 - MIN, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 32000, &out, &info), 0);
	assert_int_equal(info.duplicates, 1);
	p.n = 0;
	add(&p, "in", SENSOR_TOTAL, 60, T0 + 30000, NO_T);
	assert_int_equal(take(&c, s, &p, T0 + 33000, &out, &info), 1);
	assert_count(&out, 2, "door-a", ROLE_ENTRY, T0 + 30000, 60);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* A reading 10 min ahead refuses the payload: nothing taken, said why. */
static void test_future_refused(void **state)
{
	(void)state;
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct feed_error e = {{0}};
	struct sensor_payload p = {0};
	add(&p, "in", SENSOR_TOTAL, 57, T0, NO_T);
	add(&p, "out", SENSOR_TOTAL, 12, T0 + 10 * MIN, NO_T);
	assert_false(sensor_source_take_readings(&c, s, &p, T0, &out, &info, &e));
	assert_non_null(strstr(
		e.msg, "reading dated 2014-11-06T12:10:00Z, 10 min ahead of the server's clock"));
	assert_int_equal(out.n, 0);
	assert_true(info.first_of_kind);
	/* nothing of it was taken: the same "in" reading is new */
	p.n = 1;
	assert_int_equal(take(&c, s, &p, T0, &out, &info), 1);
	/* within five minutes: taken */
	p.n = 0;
	add(&p, "in", SENSOR_TOTAL, 58, T0 + 4 * MIN, NO_T);
	assert_int_equal(take(&c, s, &p, T0, &out, &info), 1);
	struct sensor_status st;
	sensor_source_status(&c, s, T0 + 1000, &st);
	assert_int_equal(st.refused, 1);
	assert_non_null(strstr(st.last_error, "2014-11-06T12:00:00Z: reading dated"));
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* Per-interval counts mapped to a level, and counts out of range, refuse. */
static void test_delta_level_refused(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("xo", SENSOR_XOVIS, false, "meridien-lunch");
	map(&c, "Zone", SENSOR_ROLE_OCCUPANCY);
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct feed_error e = {{0}};
	struct sensor_payload p = {0};
	add(&p, "Zone", SENSOR_DELTA, 3, T0, T0 - MIN);
	assert_false(sensor_source_take_readings(&c, s, &p, T0, &out, &info, &e));
	assert_non_null(strstr(e.msg, "Zone"));
	assert_non_null(strstr(e.msg, "occupancy"));
	p.n = 0;
	add(&p, "Zone", SENSOR_TOTAL, 200000, T0, NO_T);
	assert_false(sensor_source_take_readings(&c, s, &p, T0, &out, &info, &e));
	assert_non_null(strstr(e.msg, "200000"));
	assert_int_equal(out.n, 0);
	sensor_source_state_free(s);
}

static void test_venueboard_lines(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("vb", SENSOR_VENUEBOARD, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct feed_error e = {{0}};
	const char *body =
		"{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"door-a\","
		"\"role\":\"entry\",\"t\":\"2014-11-06T13:00:15.250+01:00\",\"total\":57}\r\n"
		"\n"
		"{\"type\":\"weather\",\"queue\":\"meridien-lunch\"}\n"
		"{\"type\":\"occupancy\",\"queue\":\"meridien-lunch\",\"sensor\":\"cam\","
		"\"t\":\"2014-11-06T12:00:20Z\",\"people\":9}";
	assert_true(take_text(&c, s, body, T0 + MIN, &out, &info, &e));
	assert_int_equal(out.n, 2);
	assert_int_equal(info.samples, 2);
	assert_count(&out, 0, "door-a", ROLE_ENTRY, T0 + 15000, 57);
	assert_null(strstr(out.line[0], ".250"));
	struct queue_sample q = line(&out, 1);
	assert_int_equal(q.type, SAMPLE_OCCUPANCY);
	assert_int_equal(q.people, 9);
	/* posted again: the same lines count once */
	assert_true(take_text(&c, s, body, T0 + MIN, &out, &info, &e));
	assert_int_equal(out.n, 2);
	assert_int_equal(info.duplicates, 2);
	/* an invalid line refuses the whole payload, naming it */
	const char *bad = "{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"door-a\","
			  "\"role\":\"entry\",\"t\":\"2014-11-06T12:01:00Z\",\"total\":60}\n"
			  "{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"door-a\","
			  "\"role\":\"sideways\",\"t\":\"2014-11-06T12:01:00Z\",\"total\":60}\n";
	assert_false(take_text(&c, s, bad, T0 + MIN, &out, &info, &e));
	assert_non_null(strstr(e.msg, "line 2: role"));
	assert_int_equal(out.n, 2);
	/* and a line from the future too */
	const char *future =
		"{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"door-a\","
		"\"role\":\"entry\",\"t\":\"2014-11-06T12:10:00Z\",\"total\":60}\n";
	assert_false(take_text(&c, s, future, T0, &out, &info, &e));
	assert_non_null(strstr(e.msg, "line 1: reading dated 2014-11-06T12:10:00Z, 10 min ahead"));
	assert_int_equal(out.n, 2);
	/* the first line of the refused payload was not remembered */
	assert_true(take_text(&c, s, bad, T0 + MIN, &out, &info, &e) == false);
	bad = "{\"type\":\"count\",\"queue\":\"meridien-lunch\",\"sensor\":\"door-a\","
	      "\"role\":\"entry\",\"t\":\"2014-11-06T12:01:00Z\",\"total\":60}";
	assert_true(take_text(&c, s, bad, T0 + MIN, &out, &info, &e));
	assert_int_equal(out.n, 3);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* ok → silent after 3 min → failing → ok, and what since says. */
static void test_status_transitions(void **state)
{
	(void)state;
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_status st;
	sensor_source_status(&c, s, T0 + 1000, &st);
	assert_string_equal(st.state, "silent");
	assert_int_equal(st.since_ms, T0);
	assert_int_equal(st.last_reading_ms, SENSOR_NO_TIME);
	assert_string_equal(st.last_error, "");

	struct sensor_payload p = {0};
	add(&p, "in", SENSOR_TOTAL, 1, NO_T, NO_T);
	add(&p, "out", SENSOR_TOTAL, 1, NO_T, NO_T);
	take(&c, s, &p, T0 + 10000, &out, &info);
	take(&c, s, &p, T0 + 40000, &out, &info);
	sensor_source_status(&c, s, T0 + 50000, &st);
	assert_string_equal(st.state, "ok");
	assert_int_equal(st.since_ms, T0 + 10000);
	assert_int_equal(st.last_reading_ms, T0 + 40000);
	assert_int_equal(st.readings_per_min, 4);
	assert_int_equal(st.readings, 4);
	sensor_source_status(&c, s, T0 + 80000, &st);
	assert_int_equal(st.readings_per_min, 2); /* the one at +10 s is over a minute old */

	sensor_source_status(&c, s, T0 + 40000 + 3 * MIN + 1000, &st);
	assert_string_equal(st.state, "silent");
	assert_int_equal(st.since_ms, T0 + 40000 + 3 * MIN);
	assert_int_equal(st.readings_per_min, 0);

	sensor_source_failed(s, T0 + 5 * MIN, "poll: connection refused");
	sensor_source_failed(s, T0 + 6 * MIN, "poll: connection refused");
	sensor_source_status(&c, s, T0 + 7 * MIN, &st);
	assert_string_equal(st.state, "failing");
	assert_int_equal(st.since_ms, T0 + 5 * MIN);
	assert_string_equal(st.last_error, "2014-11-06T12:06:00Z: poll: connection refused");

	take(&c, s, &p, T0 + 8 * MIN, &out, &info);
	sensor_source_status(&c, s, T0 + 8 * MIN, &st);
	assert_string_equal(st.state, "ok");
	assert_int_equal(st.since_ms, T0 + 8 * MIN);

	/* failing while readings are fresh, then reached again */
	sensor_source_failed(s, T0 + 8 * MIN + 5000, "login refused");
	sensor_source_status(&c, s, T0 + 8 * MIN + 6000, &st);
	assert_string_equal(st.state, "failing");
	sensor_source_reached(s, T0 + 8 * MIN + 7000);
	sensor_source_status(&c, s, T0 + 8 * MIN + 8000, &st);
	assert_string_equal(st.state, "ok");
	assert_int_equal(st.since_ms, T0 + 8 * MIN + 7000);

	/* a poll every 2 min is silent after three periods, not three minutes */
	c.from = SENSOR_FROM_POLL;
	c.period_s = 120;
	sensor_source_status(&c, s, T0 + 8 * MIN + 5 * MIN, &st);
	assert_string_equal(st.state, "ok");
	sensor_source_status(&c, s, T0 + 8 * MIN + 6 * MIN + 1000, &st);
	assert_string_equal(st.state, "silent");
	assert_int_equal(st.since_ms, T0 + 14 * MIN);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

static void test_first_of_kind(void **state)
{
	(void)state;
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct feed_error e = {{0}};
	struct sensor_payload p = {0};
	add(&p, "in", SENSOR_TOTAL, 1, T0 + 10 * MIN, NO_T);
	assert_false(sensor_source_take_readings(&c, s, &p, T0, &out, &info, &e));
	assert_true(info.first_of_kind);
	/* another time, the same kind */
	p.r[0].t_ms = T0 + 20 * MIN;
	assert_false(sensor_source_take_readings(&c, s, &p, T0 + 1000, &out, &info, &e));
	assert_false(info.first_of_kind);
	/* another kind: too many readings */
	p.n = SENSOR_MAX_READINGS + 1;
	assert_false(sensor_source_take_readings(&c, s, &p, T0 + 2000, &out, &info, &e));
	assert_true(info.first_of_kind);
	/* a venueboard source has its own kinds; past 32 nothing is first */
	struct sensor_source_config vb = cfg("vb", SENSOR_VENUEBOARD, false, "meridien-lunch");
	struct sensor_source_state *v = sensor_source_state_new(T0);
	size_t firsts = 0;
	for (int i = 0; i < 40; i++) {
		char body[128];
		snprintf(body, sizeof(body), "{\"type\":\"count\",\"queue\":\"q\",\"f%d\":", i);
		assert_false(take_text(&vb, v, body, T0, &out, &info, &e));
		firsts += info.first_of_kind;
		char more[160];
		snprintf(more, sizeof(more),
			 "{\"type\":\"count\",\"queue\":\"q%d\",\"sensor\":\"a\"}", i);
		assert_false(take_text(&vb, v, more, T0, &out, &info, &e));
		firsts += info.first_of_kind;
	}
	assert_int_equal(firsts, 2); /* "not a JSON object", "t: missing" */
	for (int i = 0; i < 40; i++) {
		char body[128];
		snprintf(body, sizeof(body),
			 "{\"type\":\"count\",\"queue\":\"q\",\"sensor\":\"a\","
			 "\"role\":\"entry\",\"t\":\"x%c%c\",\"total\":1}",
			 'a' + i % 26, 'a' + i / 26);
		assert_false(take_text(&vb, v, body, T0, &out, &info, &e));
		firsts += info.first_of_kind;
	}
	assert_int_equal(firsts, 32); /* 30 kinds of bad time, then no more */
	sensor_source_state_free(v);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

/* 100 000 distinct bins: the state does not grow (the ring forgets the
 * oldest), the newest bins are still known. */
static void test_bounded(void **state)
{
	(void)state;
	struct sensor_source_config c = cfg("xo", SENSOR_XOVIS, false, "meridien-lunch");
	map(&c, "Entrance/fw", SENSOR_ROLE_ENTRY);
	struct sensor_source_state *s = sensor_source_state_new(T0);
	struct sensor_lines out = {0};
	struct sensor_take_info info;
	struct sensor_payload p = {0};
	p.n = 1;
	int64_t t0 = T0 - 100000LL * 1000;
	for (int64_t i = 0; i < 100000; i++) {
		p.n = 0;
		add(&p, "Entrance/fw", SENSOR_DELTA, 1, t0 + (i + 1) * 1000, t0 + i * 1000);
		take(&c, s, &p, T0, &out, &info);
		if (out.n > 1000)
			sensor_lines_free(&out);
	}
	sensor_lines_free(&out);
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 1, T0, T0 - 1000); /* the newest */
	assert_int_equal(take(&c, s, &p, T0, &out, &info), 0);
	assert_int_equal(info.duplicates, 1);
	p.n = 0;
	add(&p, "Entrance/fw", SENSOR_DELTA, 1, t0 + 1000, t0); /* long forgotten */
	assert_int_equal(take(&c, s, &p, T0, &out, &info), 1);
	assert_count(&out, 0, "xo", ROLE_ENTRY, T0, 100001);
	sensor_source_state_free(s);
	sensor_lines_free(&out);
}

static void test_check(void **state)
{
	(void)state;
	struct feed_error e = {{0}};
	struct sensor_source_config c =
		cfg("door-a", SENSOR_AXIS_PEOPLE_COUNTER, false, "meridien-lunch");
	c.from = SENSOR_FROM_POLL;
	snprintf(c.url, sizeof(c.url), "http://cam/local/tvpc/.api?live-sum.json");
	assert_true(sensor_source_check(&c, &e));
	c.period_s = 0;
	assert_false(sensor_source_check(&c, &e));
	assert_non_null(strstr(e.msg, "source door-a: poll period"));
	c.period_s = 30;
	c.url[0] = '\0';
	assert_false(sensor_source_check(&c, &e));
	assert_non_null(strstr(e.msg, "URL"));

	struct sensor_source_config m = cfg("iri", SENSOR_IRISYS, false, "meridien-lunch");
	m.from = SENSOR_FROM_MQTT;
	assert_false(sensor_source_check(&m, &e));
	assert_non_null(strstr(e.msg, "source iri: mqtt needs a topic"));
	snprintf(m.topic, sizeof(m.topic), "irisys/+/live_counts");
	map(&m, "In", SENSOR_ROLE_ENTRY);
	assert_true(sensor_source_check(&m, &e));
	map(&m, "Hall", SENSOR_ROLE_PEOPLE); /* a queue never takes people */
	assert_false(sensor_source_check(&m, &e));
	assert_non_null(strstr(e.msg, "Hall"));
	m.n_counters = 1;
	map(&m, "In", SENSOR_ROLE_EXIT);
	assert_false(sensor_source_check(&m, &e));
	assert_non_null(strstr(e.msg, "twice"));

	struct sensor_source_config r = cfg("cam", SENSOR_IRISYS, true, "Salle 252B");
	map(&r, "Zone", SENSOR_ROLE_PEOPLE);
	assert_true(sensor_source_check(&r, &e));
	map(&r, "In", SENSOR_ROLE_ENTRY); /* a room takes only people */
	assert_false(sensor_source_check(&r, &e));

	struct sensor_source_config j = cfg("js", SENSOR_JSON, false, "meridien-lunch");
	assert_false(sensor_source_check(&j, &e));
	snprintf(j.fields[0].field, sizeof(j.fields[0].field), "t");
	j.n_fields = 1;
	assert_false(sensor_source_check(&j, &e));
	assert_non_null(strstr(e.msg, "other than t"));
	snprintf(j.fields[1].field, sizeof(j.fields[1].field), "entry");
	j.n_fields = 2;
	assert_true(sensor_source_check(&j, &e));
	map(&j, "entry", SENSOR_ROLE_ENTRY);
	assert_false(sensor_source_check(&j, &e));
	j.n_counters = 0;
	snprintf(j.fields[1].field, sizeof(j.fields[1].field), "people");
	assert_false(sensor_source_check(&j, &e));

	struct sensor_source_config v = cfg("vb", SENSOR_VENUEBOARD, false, "meridien-lunch");
	assert_true(sensor_source_check(&v, &e));
	map(&v, "in", SENSOR_ROLE_ENTRY);
	assert_false(sensor_source_check(&v, &e));

	struct sensor_source_config n = cfg("", SENSOR_HIKVISION, false, "meridien-lunch");
	assert_false(sensor_source_check(&n, &e));
	/* a queue id is at most 64 bytes */
	struct sensor_source_config q = cfg("hik", SENSOR_HIKVISION, false,
					    "a-queue-id-that-is-far-too-long-for-a-sample-line-"
					    "of-contracts-section-one");
	assert_false(sensor_source_check(&q, &e));
	/* NAME/COUNTER must fit a sensor id */
	struct sensor_source_config x = cfg("xovis-main-hall", SENSOR_XOVIS, false, "q");
	map(&x, "A very long line name for the left side of the hall/fw", SENSOR_ROLE_ENTRY);
	assert_true(sensor_source_check(&x, &e));
	map(&x, "Right/fw", SENSOR_ROLE_ENTRY);
	assert_false(sensor_source_check(&x, &e));
	assert_non_null(strstr(e.msg, "longer than 64 bytes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_mapping_defaults),
		cmocka_unit_test(test_two_counters_one_role),
		cmocka_unit_test(test_totals_and_reset),
		cmocka_unit_test(test_deltas),
		cmocka_unit_test(test_irisys_events_redelivered),
		cmocka_unit_test(test_same_reading_twice),
		cmocka_unit_test(test_future_refused),
		cmocka_unit_test(test_delta_level_refused),
		cmocka_unit_test(test_venueboard_lines),
		cmocka_unit_test(test_status_transitions),
		cmocka_unit_test(test_first_of_kind),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
