/* sensor_source: a people counter's readings into contracts §1 samples, the
 * same for every format (roles, resets, the same reading twice, the future),
 * and what GET /v1/sources says of the source. Pure; bounded state. */
#include "sensor_source.h"

#include "civil_time.h"
#include "queue_sample.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	RING_BINS = 1024,    /* recent (counter, from, to) bins: an agent's retries */
	RING_PAYLOADS = 256, /* recent payloads of per-event deltas (Irisys Counts) */
	RING_LINES = 4096,   /* recent venueboard lines */
	MAX_KINDS = 32,      /* kinds of refusal remembered for first_of_kind */
	MAX_UNMAPPED = 8,    /* unmapped counters remembered for the status */
	MAX_LINES = 50000,   /* venueboard lines in one payload, as POST /v1/samples */
	MAX_PEOPLE = 100000, /* what queue_sample_parse takes as people */
};
#define MAX_TOTAL ((int64_t)1 << 40) /* what queue_sample_parse takes as a total */

/* Recent keys (64-bit hashes), the oldest forgotten first. */
struct ring {
	size_t head, n;
};

struct counter_state {
	bool used;
	char counter[SENSOR_COUNTER_MAX + 1];
	int64_t newest_dev_ms;  /* newest device time taken (totals, levels) */
	int64_t newest_emit_ms; /* newest sample time written */
	int64_t delta_total;    /* deltas summed since the server started */
};

struct sensor_source_state {
	int64_t created_ms;
	int64_t last_reading_ms; /* SENSOR_NO_TIME: never */
	int64_t ok_since_ms;
	bool failing;
	int64_t fail_since_ms;
	uint64_t readings, refused, duplicates;
	char last_error[FEED_ERROR_MAX];
	struct counter_state counters[SENSOR_MAX_COUNTERS];
	size_t next_evict;
	struct ring bins_r, payloads_r, lines_r;
	uint64_t bins[RING_BINS], payloads[RING_PAYLOADS], lines[RING_LINES];
	uint64_t kinds[MAX_KINDS];
	size_t n_kinds;
	char unmapped[MAX_UNMAPPED][SENSOR_COUNTER_MAX + 1];
	size_t n_unmapped;
	struct {
		int64_t sec;
		unsigned n;
	} per_sec[60];
};

/* ---- roles ------------------------------------------------------------------------------ */

static const char *const role_names[] = {"entry", "exit", "occupancy", "people"};

const char *sensor_role_name(enum sensor_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "?";
}

bool sensor_role_named(const char *name, enum sensor_role *out)
{
	for (size_t i = 0; name && i < 4; i++)
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum sensor_role)i;
			return true;
		}
	return false;
}

static bool role_is_level(enum sensor_role r)
{
	return r == SENSOR_ROLE_OCCUPANCY || r == SENSOR_ROLE_PEOPLE;
}

/* A room takes head counts only; a queue never. */
static bool role_fits(const struct sensor_source_config *c, enum sensor_role r)
{
	return c->room == (r == SENSOR_ROLE_PEOPLE);
}

/* The counters a format's readings name when no source-counter line does. */
static const struct {
	enum sensor_format format;
	const char *counter;
	enum sensor_role role;
} default_roles[] = {
	{SENSOR_AXIS_PEOPLE_COUNTER, "in", SENSOR_ROLE_ENTRY},
	{SENSOR_AXIS_PEOPLE_COUNTER, "out", SENSOR_ROLE_EXIT},
	{SENSOR_HIKVISION, "enter", SENSOR_ROLE_ENTRY},
	{SENSOR_HIKVISION, "leave", SENSOR_ROLE_EXIT},
};

/* The role of a device's counter, false when none fits this source. */
static bool counter_role(const struct sensor_source_config *c, const char *counter,
			 enum sensor_role *out)
{
	bool found = false;
	if (c->n_counters) {
		for (size_t i = 0; !found && i < c->n_counters && i < SENSOR_MAX_COUNTERS; i++)
			if (strcmp(c->counters[i].counter, counter) == 0) {
				*out = c->counters[i].role;
				found = true;
			}
	} else if (c->format == SENSOR_JSON) {
		found = sensor_role_named(counter, out);
	} else {
		for (size_t i = 0; !found && i < sizeof(default_roles) / sizeof(*default_roles);
		     i++)
			if (default_roles[i].format == c->format &&
			    strcmp(default_roles[i].counter, counter) == 0) {
				*out = default_roles[i].role;
				found = true;
			}
	}
	return found && role_fits(c, *out);
}

/* How many source-counter lines give role r. */
static size_t role_lines(const struct sensor_source_config *c, enum sensor_role r)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_counters && i < SENSOR_MAX_COUNTERS; i++)
		n += c->counters[i].role == r;
	return n;
}

/* Copies src into dst (cap bytes), cut at a character boundary. */
static void copy_utf8(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		for (n = cap - 1; n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80; n--)
			;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The samples' sensor: NAME, or NAME/COUNTER when two counters share the
 * role (their totals must stay apart to add up as two doors do). */
static void sensor_id(const struct sensor_source_config *c, const char *counter, enum sensor_role r,
		      char out[QUEUE_ID_MAX + 1])
{
	char buf[SENSOR_NAME_MAX + SENSOR_COUNTER_MAX + 2];
	if (role_lines(c, r) >= 2)
		snprintf(buf, sizeof(buf), "%.64s/%.96s", c->name, counter);
	else
		snprintf(buf, sizeof(buf), "%.64s", c->name);
	copy_utf8(out, QUEUE_ID_MAX + 1, buf);
}

/* ---- sensor_source_check ---------------------------------------------------------------- */

static bool check_counters(const struct sensor_source_config *c, struct feed_error *e)
{
	if (c->n_counters > SENSOR_MAX_COUNTERS)
		return feed_error_set(e, "source %s: more than %d source-counter lines", c->name,
				      SENSOR_MAX_COUNTERS);
	for (size_t i = 0; i < c->n_counters; i++) {
		const struct sensor_counter_map *m = &c->counters[i];
		if (!m->counter[0] || !text_is_one_line(m->counter, strlen(m->counter)))
			return feed_error_set(e,
					      "source %s: a source-counter's counter is empty "
					      "or not one line of text",
					      c->name);
		if (!role_fits(c, m->role))
			return feed_error_set(e, "source %s: counter '%s' is %s, but a %s takes %s",
					      c->name, m->counter, sensor_role_name(m->role),
					      c->room ? "room" : "queue",
					      c->room ? "only people" : "entry, exit or occupancy");
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->counters[j].counter, m->counter) == 0)
				return feed_error_set(e, "source %s: counter '%s' is mapped twice",
						      c->name, m->counter);
		if (role_lines(c, m->role) >= 2 &&
		    strlen(c->name) + 1 + strlen(m->counter) > QUEUE_ID_MAX)
			return feed_error_set(e,
					      "source %s: sensor id '%s/%s' is longer than %d "
					      "bytes: shorten the source's name",
					      c->name, c->name, m->counter, QUEUE_ID_MAX);
	}
	return true;
}

static bool check_fields(const struct sensor_source_config *c, struct feed_error *e)
{
	if (c->format != SENSOR_JSON)
		return c->n_fields == 0 ||
		       feed_error_set(e, "source %s: source-field is for format json only",
				      c->name);
	if (c->n_counters)
		return feed_error_set(e,
				      "source %s: format json names its counters by "
				      "source-field, not source-counter",
				      c->name);
	if (c->n_fields > SENSOR_MAX_FIELDS)
		return feed_error_set(e, "source %s: more than %d source-field lines", c->name,
				      SENSOR_MAX_FIELDS);
	size_t counts = 0;
	for (size_t i = 0; i < c->n_fields; i++) {
		enum sensor_role r;
		if (strcmp(c->fields[i].field, "t") == 0)
			continue;
		if (!sensor_role_named(c->fields[i].field, &r))
			return feed_error_set(e,
					      "source %s: field '%s' is not t, entry, exit, "
					      "occupancy or people",
					      c->name, c->fields[i].field);
		if (!role_fits(c, r))
			return feed_error_set(e, "source %s: field %s does not fit a %s", c->name,
					      c->fields[i].field, c->room ? "room" : "queue");
		if (c->fields[i].delta && role_is_level(r))
			return feed_error_set(e, "source %s: field %s is a level, never a delta",
					      c->name, c->fields[i].field);
		counts++;
	}
	return counts > 0 ||
	       feed_error_set(e, "source %s: format json needs a source-field other than t",
			      c->name);
}

static bool check_from(const struct sensor_source_config *c, struct feed_error *e)
{
	if (c->from == SENSOR_FROM_POLL && !c->url[0])
		return feed_error_set(e, "source %s: poll needs a URL", c->name);
	if (c->from == SENSOR_FROM_POLL && c->period_s < SENSOR_MIN_PERIOD_S)
		return feed_error_set(e, "source %s: poll period %d s is under %d s", c->name,
				      c->period_s, SENSOR_MIN_PERIOD_S);
	if (c->from == SENSOR_FROM_MQTT && !c->topic[0])
		return feed_error_set(e, "source %s: mqtt needs a topic", c->name);
	return true;
}

static bool check_target(const struct sensor_source_config *c, struct feed_error *e)
{
	size_t n = strlen(c->target);
	if (!n || !text_is_one_line(c->target, n))
		return feed_error_set(e, "source %s: the %s is empty or not one line of text",
				      c->name, c->room ? "room" : "queue");
	if (!c->room && n > QUEUE_ID_MAX)
		return feed_error_set(e, "source %s: queue id longer than %d bytes", c->name,
				      QUEUE_ID_MAX);
	if (c->room && n > QUEUE_NAME_MAX)
		return feed_error_set(e, "source %s: room name longer than %d bytes", c->name,
				      QUEUE_NAME_MAX);
	return true;
}

/* A default mapping that gives roles the target cannot take (AXIS' in/out
 * for a room) would leave every reading unmapped: say so at start. */
static bool check_defaults(const struct sensor_source_config *c, struct feed_error *e)
{
	if (c->n_counters || !c->room)
		return true;
	for (size_t i = 0; i < sizeof(default_roles) / sizeof(*default_roles); i++)
		if (default_roles[i].format == c->format)
			return feed_error_set(e,
					      "source %s: %s counts entries and exits; a room "
					      "needs a source-counter line with role people",
					      c->name, sensor_format_name(c->format));
	return true;
}

bool sensor_source_check(const struct sensor_source_config *c, struct feed_error *e)
{
	if (!c->name[0])
		return feed_error_set(e, "source: the name is empty");
	if (!text_is_name(c->name, SENSOR_NAME_MAX))
		return feed_error_set(e,
				      "source %s: a name is letters, digits, '-', '_' and '.' "
				      "(it goes into URLs)",
				      c->name);
	if ((unsigned)c->format >= SENSOR_N_FORMATS)
		return feed_error_set(e, "source %s: unknown format", c->name);
	if (c->format == SENSOR_VENUEBOARD && (c->n_counters || c->n_fields))
		return feed_error_set(e,
				      "source %s: format venueboard takes no source-counter "
				      "or source-field lines",
				      c->name);
	return check_target(c, e) && check_from(c, e) && check_counters(c, e) &&
	       check_fields(c, e) && check_defaults(c, e);
}

/* ---- state ------------------------------------------------------------------------------ */

struct sensor_source_state *sensor_source_state_new(int64_t now_ms)
{
	struct sensor_source_state *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->created_ms = now_ms;
	s->last_reading_ms = SENSOR_NO_TIME;
	for (size_t i = 0; i < 60; i++)
		s->per_sec[i].sec = INT64_MIN;
	return s;
}

void sensor_source_state_free(struct sensor_source_state *s)
{
	free(s);
}

void sensor_lines_free(struct sensor_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->line[i]);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

static bool ring_has(const struct ring *r, const uint64_t *keys, size_t cap, uint64_t k)
{
	for (size_t i = 0; i < r->n; i++)
		if (keys[(r->head + i) % cap] == k)
			return true;
	return false;
}

static void ring_put(struct ring *r, uint64_t *keys, size_t cap, uint64_t k)
{
	if (r->n == cap) {
		r->head = (r->head + 1) % cap;
		r->n--;
	}
	keys[(r->head + r->n++) % cap] = k;
}

/* The counter's state, made (or an old one's slot reused) when new. */
static struct counter_state *counter_state(struct sensor_source_state *s, const char *counter)
{
	for (size_t i = 0; i < SENSOR_MAX_COUNTERS; i++)
		if (s->counters[i].used && strcmp(s->counters[i].counter, counter) == 0)
			return &s->counters[i];
	size_t k = 0;
	while (k < SENSOR_MAX_COUNTERS && s->counters[k].used)
		k++;
	if (k == SENSOR_MAX_COUNTERS) /* only after the configuration changed */
		k = s->next_evict++ % SENSOR_MAX_COUNTERS;
	struct counter_state *cs = &s->counters[k];
	memset(cs, 0, sizeof(*cs));
	cs->used = true;
	copy_utf8(cs->counter, sizeof(cs->counter), counter);
	cs->newest_dev_ms = INT64_MIN;
	cs->newest_emit_ms = INT64_MIN;
	return cs;
}

static void remember_unmapped(struct sensor_source_state *s, const char *counter)
{
	for (size_t i = 0; i < s->n_unmapped; i++)
		if (strcmp(s->unmapped[i], counter) == 0)
			return;
	if (s->n_unmapped < MAX_UNMAPPED)
		copy_utf8(s->unmapped[s->n_unmapped++], SENSOR_COUNTER_MAX + 1, counter);
}

static int64_t floor_s(int64_t ms)
{
	int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	return s * 1000;
}

static int64_t silence_ms(const struct sensor_source_config *c)
{
	int64_t poll = c->from == SENSOR_FROM_POLL ? 3LL * c->period_s * 1000 : 0;
	return poll > SENSOR_SILENT_MS ? poll : SENSOR_SILENT_MS;
}

static bool is_silent(const struct sensor_source_config *c, const struct sensor_source_state *s,
		      int64_t now_ms)
{
	return s->last_reading_ms == SENSOR_NO_TIME || now_ms - s->last_reading_ms > silence_ms(c);
}

/* A payload was taken: the source is heard from (even when all of it was
 * known already: a poll's same answer still says the device is there). */
static void heard(const struct sensor_source_config *c, struct sensor_source_state *s,
		  int64_t now_ms, size_t readings)
{
	if (s->failing || is_silent(c, s, now_ms))
		s->ok_since_ms = now_ms;
	s->failing = false;
	s->last_reading_ms = now_ms;
	s->readings += readings;
	int64_t sec = floor_s(now_ms) / 1000;
	size_t b = (size_t)(((sec % 60) + 60) % 60);
	if (s->per_sec[b].sec != sec) {
		s->per_sec[b].sec = sec;
		s->per_sec[b].n = 0;
	}
	s->per_sec[b].n += (unsigned)readings;
}

static void set_last_error(struct sensor_source_state *s, int64_t now_ms, const char *msg)
{
	char t[21];
	civil_format_utc(floor_s(now_ms) / 1000, t);
	snprintf(s->last_error, sizeof(s->last_error), "%s: %.480s", t, msg);
}

/* Counts a refusal (e says why); first_of_kind when no refusal with this
 * message, digits aside, was seen on the source before. */
static bool refuse(struct sensor_source_state *s, int64_t now_ms, struct sensor_take_info *info,
		   const struct feed_error *e)
{
	s->refused++;
	set_last_error(s, now_ms, e->msg);
	uint64_t h = TEXT_HASH_START;
	for (const char *p = e->msg; *p; p++)
		if (*p < '0' || *p > '9')
			h = text_hash(h, p, 1);
	bool seen = false;
	for (size_t i = 0; i < s->n_kinds; i++)
		seen = seen || s->kinds[i] == h;
	/* past MAX_KINDS kinds nothing is new any more: the log stays short */
	info->first_of_kind = !seen && s->n_kinds < MAX_KINDS;
	if (info->first_of_kind)
		s->kinds[s->n_kinds++] = h;
	return false;
}

void sensor_source_failed(struct sensor_source_state *s, int64_t now_ms, const char *why)
{
	if (!s->failing)
		s->fail_since_ms = now_ms;
	s->failing = true;
	set_last_error(s, now_ms, why ? why : "failed");
}

void sensor_source_reached(struct sensor_source_state *s, int64_t now_ms)
{
	if (s->failing)
		s->ok_since_ms = now_ms;
	s->failing = false;
}

/* ---- output ------------------------------------------------------------------------------ */

static bool lines_push(struct sensor_lines *out, char *line)
{
	if (!line)
		return false;
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		char **p = realloc(out->line, cap * sizeof(*p));
		if (!p) {
			free(line);
			return false;
		}
		out->line = p;
		out->cap = cap;
	}
	out->line[out->n++] = line;
	return true;
}

/* Drops what was appended after n (a refusal appends nothing). */
static void lines_cut(struct sensor_lines *out, size_t n)
{
	while (out->n > n)
		free(out->line[--out->n]);
}

static bool emit(const struct sensor_source_config *c, const char *counter, enum sensor_role r,
		 int64_t t_ms, int64_t value, struct sensor_lines *out)
{
	struct queue_sample q;
	memset(&q, 0, sizeof(q));
	q.t_ms = t_ms;
	sensor_id(c, counter, r, q.sensor);
	if (c->room) {
		q.type = SAMPLE_ROOM;
		copy_utf8(q.room, sizeof(q.room), c->target);
		q.people = (int)value;
	} else {
		copy_utf8(q.queue, sizeof(q.queue), c->target);
		q.type = r == SENSOR_ROLE_OCCUPANCY ? SAMPLE_OCCUPANCY : SAMPLE_COUNT;
		q.role = r == SENSOR_ROLE_EXIT ? ROLE_EXIT : ROLE_ENTRY;
		q.total = value;
		q.people = (int)value;
	}
	char buf[QUEUE_LINE_MAX + 1];
	size_t n = queue_sample_format(&q, buf, sizeof(buf));
	return n > 0 && n < sizeof(buf) && lines_push(out, strndup(buf, n));
}

/* ---- readings ---------------------------------------------------------------------------- */

/* "reading dated 2014-11-06T12:10:00Z, 10 min ahead of the server's clock" */
static bool refuse_future(int64_t t_ms, int64_t now_ms, const char *where, struct feed_error *e)
{
	char t[21];
	civil_format_utc(floor_s(t_ms) / 1000, t);
	return feed_error_set(e, "%sreading dated %s, %lld min ahead of the server's clock", where,
			      t, (long long)((t_ms - now_ms + 30000) / 60000));
}

/* What refuses a payload before anything of it is taken. */
static bool check_readings(const struct sensor_source_config *c, const struct sensor_payload *p,
			   int64_t now_ms, struct feed_error *e)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct sensor_reading *r = &p->r[i];
		enum sensor_role role;
		if (r->t_ms != SENSOR_NO_TIME && r->t_ms > now_ms + SENSOR_FUTURE_MS)
			return refuse_future(r->t_ms, now_ms, "", e);
		if (!counter_role(c, r->counter, &role))
			continue;
		if (r->kind == SENSOR_DELTA && role_is_level(role))
			return feed_error_set(e,
					      "counter %s: counts per interval cannot be a level "
					      "(%s): map it to entry or exit",
					      r->counter, sensor_role_name(role));
		int64_t max = role_is_level(role) ? MAX_PEOPLE : MAX_TOTAL;
		if (r->value < 0 || r->value > max)
			return feed_error_set(e, "counter %s: %lld is not a count from 0 to %lld",
					      r->counter, (long long)r->value, (long long)max);
	}
	return true;
}

static uint64_t payload_hash(const struct sensor_payload *p, bool *has_events)
{
	uint64_t h = TEXT_HASH_START;
	*has_events = false;
	for (size_t i = 0; i < p->n; i++) {
		const struct sensor_reading *r = &p->r[i];
		*has_events |= r->kind == SENSOR_DELTA && r->t_ms != SENSOR_NO_TIME &&
			       r->from_ms == SENSOR_NO_TIME;
		h = text_hash(h, r->counter, strlen(r->counter) + 1);
		h = text_hash(h, &r->t_ms, sizeof(r->t_ms));
		h = text_hash(h, &r->value, sizeof(r->value));
	}
	return h;
}

/* False when the reading was taken already (it is dropped). */
static bool take_delta(struct sensor_source_state *s, struct counter_state *cs,
		       const struct sensor_reading *r, bool payload_seen)
{
	if (r->t_ms != SENSOR_NO_TIME && r->from_ms != SENSOR_NO_TIME) {
		uint64_t k = text_hash(TEXT_HASH_START, r->counter, strlen(r->counter) + 1);
		k = text_hash(k, &r->from_ms, sizeof(r->from_ms));
		k = text_hash(k, &r->t_ms, sizeof(r->t_ms));
		if (ring_has(&s->bins_r, s->bins, RING_BINS, k))
			return false;
		ring_put(&s->bins_r, s->bins, RING_BINS, k);
	} else if (r->t_ms != SENSOR_NO_TIME && payload_seen) {
		return false;
	}
	cs->delta_total += r->value;
	if (cs->delta_total > MAX_TOTAL) /* never in practice: start again, as a reset */
		cs->delta_total = r->value;
	return true;
}

/* One mapped reading into at most one sample; false only when out of memory. */
static bool take_reading(const struct sensor_source_config *c, struct sensor_source_state *s,
			 const struct sensor_reading *r, enum sensor_role role, bool payload_seen,
			 int64_t now_ms, struct sensor_lines *out, struct sensor_take_info *info)
{
	struct counter_state *cs = counter_state(s, r->counter);
	int64_t t = floor_s(r->t_ms == SENSOR_NO_TIME ? now_ms : r->t_ms);
	int64_t value = r->value;
	if (r->kind == SENSOR_DELTA) {
		if (!take_delta(s, cs, r, payload_seen))
			goto duplicate;
		value = cs->delta_total;
		if (t < cs->newest_emit_ms) /* a late bin: credited now, never rewinding */
			t = cs->newest_emit_ms;
	} else if (r->t_ms != SENSOR_NO_TIME) {
		if (r->t_ms <= cs->newest_dev_ms) /* the same reading, or an older one */
			goto duplicate;
		cs->newest_dev_ms = r->t_ms;
	}
	if (t > cs->newest_emit_ms)
		cs->newest_emit_ms = t;
	info->samples++;
	return emit(c, r->counter, role, t, value, out);
duplicate:
	info->duplicates++;
	s->duplicates++;
	return true;
}

bool sensor_source_take_readings(const struct sensor_source_config *c,
				 struct sensor_source_state *s, const struct sensor_payload *p,
				 int64_t now_ms, struct sensor_lines *out,
				 struct sensor_take_info *info, struct feed_error *e)
{
	memset(info, 0, sizeof(*info));
	info->readings = p->n;
	if (p->n > SENSOR_MAX_READINGS) {
		feed_error_set(e, "more than %d readings in one payload", SENSOR_MAX_READINGS);
		return refuse(s, now_ms, info, e);
	}
	if (!check_readings(c, p, now_ms, e))
		return refuse(s, now_ms, info, e);
	bool has_events;
	uint64_t ph = payload_hash(p, &has_events);
	bool payload_seen = has_events && ring_has(&s->payloads_r, s->payloads, RING_PAYLOADS, ph);
	if (has_events && !payload_seen)
		ring_put(&s->payloads_r, s->payloads, RING_PAYLOADS, ph);
	size_t n0 = out->n;
	for (size_t i = 0; i < p->n; i++) {
		enum sensor_role role;
		if (!counter_role(c, p->r[i].counter, &role)) {
			info->unmapped++;
			remember_unmapped(s, p->r[i].counter);
			continue;
		}
		if (!take_reading(c, s, &p->r[i], role, payload_seen, now_ms, out, info)) {
			lines_cut(out, n0);
			info->samples = 0;
			feed_error_set(e, "out of memory");
			return refuse(s, now_ms, info, e);
		}
	}
	heard(c, s, now_ms, p->n);
	return true;
}

/* ---- venueboard lines --------------------------------------------------------------------- */

/* One line, checked and written again (whole seconds), appended to l. */
static bool take_line(const char *line, size_t len, size_t lineno, int64_t now_ms,
		      struct sensor_lines *l, struct feed_error *e)
{
	struct queue_sample q;
	struct feed_error pe = {{0}};
	enum sample_parse st = queue_sample_parse(line, len, &q, &pe);
	if (st == SAMPLE_SKIP)
		return true;
	if (st == SAMPLE_INVALID)
		return feed_error_set(e, "line %zu: %s", lineno, pe.msg);
	char where[32];
	snprintf(where, sizeof(where), "line %zu: ", lineno);
	if (q.type != SAMPLE_QUEUE && q.t_ms > now_ms + SENSOR_FUTURE_MS)
		return refuse_future(q.t_ms, now_ms, where, e);
	if (l->n == MAX_LINES)
		return feed_error_set(e, "more than %d lines in one payload", MAX_LINES);
	if (q.type != SAMPLE_QUEUE)
		q.t_ms = floor_s(q.t_ms);
	char buf[QUEUE_LINE_MAX + 1];
	size_t n = queue_sample_format(&q, buf, sizeof(buf));
	if (n == 0 || n >= sizeof(buf))
		return feed_error_set(e, "line %zu: longer than %d bytes once written", lineno,
				      QUEUE_LINE_MAX);
	return lines_push(l, strndup(buf, n)) || feed_error_set(e, "out of memory");
}

/* The payload's lines, all checked before any is taken. */
static bool read_lines(const char *bytes, size_t len, int64_t now_ms, struct sensor_lines *l,
		       struct feed_error *e)
{
	const char *p = bytes, *end = bytes + len;
	size_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		p += n + (nl ? 1 : 0);
		lineno++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n && !take_line(line, n, lineno, now_ms, l, e))
			return false;
	}
	return true;
}

static bool take_venueboard(const struct sensor_source_config *c, struct sensor_source_state *s,
			    const char *bytes, size_t len, int64_t now_ms, struct sensor_lines *out,
			    struct sensor_take_info *info, struct feed_error *e)
{
	struct sensor_lines l = {0};
	if (!read_lines(bytes, len, now_ms, &l, e)) {
		info->readings = l.n;
		sensor_lines_free(&l);
		return refuse(s, now_ms, info, e);
	}
	info->readings = l.n;
	size_t n0 = out->n;
	for (size_t i = 0; i < l.n; i++) {
		uint64_t h = text_hash(TEXT_HASH_START, l.line[i], strlen(l.line[i]));
		if (ring_has(&s->lines_r, s->lines, RING_LINES, h)) {
			info->duplicates++;
			s->duplicates++;
			free(l.line[i]);
			continue;
		}
		ring_put(&s->lines_r, s->lines, RING_LINES, h);
		if (!lines_push(out, l.line[i])) {
			for (size_t j = i + 1; j < l.n; j++)
				free(l.line[j]);
			free(l.line);
			lines_cut(out, n0);
			info->samples = 0;
			feed_error_set(e, "out of memory");
			return refuse(s, now_ms, info, e);
		}
		info->samples++;
	}
	free(l.line);
	heard(c, s, now_ms, info->readings);
	return true;
}

bool sensor_source_take(const struct sensor_source_config *c, struct sensor_source_state *s,
			const char *bytes, size_t len, const struct sensor_read_opts *o,
			int64_t now_ms, struct sensor_lines *out, struct sensor_take_info *info,
			struct feed_error *e)
{
	memset(info, 0, sizeof(*info));
	if (c->format == SENSOR_VENUEBOARD)
		return take_venueboard(c, s, bytes, len, now_ms, out, info, e);
	struct sensor_read_opts ro = {
		.zone = o ? o->zone : NULL,
		.topic = o ? o->topic : NULL,
		.fields = c->fields,
		.n_fields = c->n_fields,
	};
	/* 64 kB of readings: off the stack of the server's threads */
	struct sensor_payload *p = malloc(sizeof(*p));
	if (!p) {
		feed_error_set(e, "out of memory");
		return refuse(s, now_ms, info, e);
	}
	bool ok;
	if (!sensor_read(c->format, bytes, len, &ro, p, e))
		ok = refuse(s, now_ms, info, e);
	else
		ok = sensor_source_take_readings(c, s, p, now_ms, out, info, e);
	free(p);
	return ok;
}

/* ---- status ------------------------------------------------------------------------------ */

static void join_unmapped(const struct sensor_source_state *s, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->n_unmapped; i++) {
		size_t n = strlen(s->unmapped[i]);
		size_t sep = o ? 2 : 0;
		if (o + sep + n >= cap)
			break; /* whole names only */
		memcpy(out + o, ", ", sep);
		memcpy(out + o + sep, s->unmapped[i], n);
		o += sep + n;
		out[o] = '\0';
	}
}

void sensor_source_status(const struct sensor_source_config *c, const struct sensor_source_state *s,
			  int64_t now_ms, struct sensor_status *out)
{
	memset(out, 0, sizeof(*out));
	if (s->failing) {
		out->state = "failing";
		out->since_ms = s->fail_since_ms;
	} else if (is_silent(c, s, now_ms)) {
		out->state = "silent";
		out->since_ms = s->last_reading_ms == SENSOR_NO_TIME
					? s->created_ms
					: s->last_reading_ms + silence_ms(c);
	} else {
		out->state = "ok";
		out->since_ms = s->ok_since_ms;
	}
	out->last_reading_ms = s->last_reading_ms;
	int64_t sec = floor_s(now_ms) / 1000;
	for (size_t i = 0; i < 60; i++)
		if (s->per_sec[i].sec > sec - 60 && s->per_sec[i].sec <= sec)
			out->readings_per_min += s->per_sec[i].n;
	out->readings = s->readings;
	out->refused = s->refused;
	out->duplicates = s->duplicates;
	snprintf(out->last_error, sizeof(out->last_error), "%s", s->last_error);
	join_unmapped(s, out->unmapped, sizeof(out->unmapped));
}
