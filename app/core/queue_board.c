/* queue_board: samples are sorted by time and replayed through the estimator
 * with a tick at every minute boundary, so a screen that starts at 13:00 with
 * the morning's samples draws the same chart as one that ran all morning. */
#include "queue_board.h"

#include "json_util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MINUTE_MS = 60000, MAX_KEYS = ESTIMATOR_MAX_QUEUES * (ESTIMATOR_MAX_SENSORS + 1) };

struct seen_key {
	char queue[QUEUE_ID_MAX + 1], sensor[QUEUE_ID_MAX + 2];
	int64_t newest_ms;
};

struct queue_meta {
	char id[QUEUE_ID_MAX + 1], name[QUEUE_NAME_MAX + 1], venue[QUEUE_NAME_MAX + 1];
	int decl_stations;       /* the last declaration taken, to take each once: */
	double decl_service_s;   /* repeated, it would undo a later "stations" */
	struct queue_view view;
	float ring[QUEUE_BOARD_HISTORY]; /* by minute index modulo the size */
	int64_t ring_first_min;          /* oldest minute with a slot in use */
};

struct queue_board {
	struct estimator *est;
	char only[ESTIMATOR_MAX_QUEUES][QUEUE_ID_MAX + 1];
	size_t n_only;
	struct queue_meta queues[ESTIMATOR_MAX_QUEUES];
	size_t n_queues;
	struct seen_key keys[MAX_KEYS];
	size_t n_keys;
	int64_t newest_ms;    /* newest sample taken */
	int64_t last_tick_min; /* last minute whose estimate is in the history */
};

struct queue_board *queue_board_create(const char *const *only, size_t n_only)
{
	struct queue_board *qb = calloc(1, sizeof(*qb));
	if (!qb || !(qb->est = estimator_create())) {
		free(qb);
		return NULL;
	}
	for (size_t i = 0; i < n_only && i < ESTIMATOR_MAX_QUEUES; i++) {
		strncpy(qb->only[i], only[i], QUEUE_ID_MAX);
		qb->n_only++;
	}
	return qb;
}

void queue_board_destroy(struct queue_board *qb)
{
	if (!qb)
		return;
	estimator_destroy(qb->est);
	free(qb);
}

static bool wanted(const struct queue_board *qb, const char *queue)
{
	if (qb->n_only == 0)
		return true;
	for (size_t i = 0; i < qb->n_only; i++)
		if (strcmp(qb->only[i], queue) == 0)
			return true;
	return false;
}

static struct queue_meta *meta(struct queue_board *qb, const char *id)
{
	for (size_t i = 0; i < qb->n_queues; i++)
		if (strcmp(qb->queues[i].id, id) == 0)
			return &qb->queues[i];
	if (qb->n_queues == ESTIMATOR_MAX_QUEUES)
		return NULL;
	struct queue_meta *m = &qb->queues[qb->n_queues++];
	memset(m, 0, sizeof(*m));
	memcpy(m->id, id, strlen(id) + 1);
	for (int k = 0; k < QUEUE_BOARD_HISTORY; k++)
		m->ring[k] = -1;
	m->ring_first_min = INT64_MIN;
	return m;
}

/* True when the sample is newer than anything taken from its source; a
 * declaration, when it differs from the one in force (re-applying the same
 * one from an overlapping chunk would undo a later "stations" sample). */
static bool first_time(struct queue_board *qb, const struct queue_meta *m,
		       const struct queue_sample *s)
{
	if (s->type == SAMPLE_QUEUE)
		return m->decl_stations != s->stations || m->decl_service_s != s->service_s ||
		       strcmp(m->name, s->name) != 0 || strcmp(m->venue, s->venue) != 0;
	const char *sensor = s->type == SAMPLE_STATIONS ? "#stations" : s->sensor;
	for (size_t i = 0; i < qb->n_keys; i++) {
		struct seen_key *k = &qb->keys[i];
		if (strcmp(k->queue, s->queue) == 0 && strcmp(k->sensor, sensor) == 0) {
			if (s->t_ms <= k->newest_ms)
				return false;
			k->newest_ms = s->t_ms;
			return true;
		}
	}
	if (qb->n_keys == MAX_KEYS)
		return false;
	struct seen_key *k = &qb->keys[qb->n_keys++];
	memcpy(k->queue, s->queue, sizeof(k->queue));
	memcpy(k->sensor, sensor, strlen(sensor) + 1);
	k->newest_ms = s->t_ms;
	return true;
}

static size_t est_index(const struct queue_board *qb, const char *id)
{
	for (size_t i = 0; i < estimator_queue_count(qb->est); i++)
		if (strcmp(estimator_queue_id(qb->est, i), id) == 0)
			return i;
	return SIZE_MAX;
}

static void record(struct queue_meta *m, int64_t minute, const struct wait_estimate *w)
{
	if (m->ring_first_min == INT64_MIN || minute - m->ring_first_min >= QUEUE_BOARD_HISTORY)
		m->ring_first_min = minute - QUEUE_BOARD_HISTORY + 1;
	size_t slot = (size_t)(((minute % QUEUE_BOARD_HISTORY) + QUEUE_BOARD_HISTORY) %
			       QUEUE_BOARD_HISTORY);
	m->ring[slot] = w->known ? (float)w->wait_s : -1.0f;
}

/* Estimates every queue at each minute boundary up to and including t_ms. */
static void tick_to(struct queue_board *qb, int64_t t_ms)
{
	int64_t last = t_ms / MINUTE_MS;
	if (qb->last_tick_min == 0 || last - qb->last_tick_min > 24 * 60)
		qb->last_tick_min = last - 1; /* a first tick, or a jump of days */
	for (int64_t m = qb->last_tick_min + 1; m <= last; m++)
		for (size_t i = 0; i < qb->n_queues; i++) {
			size_t k = est_index(qb, qb->queues[i].id);
			if (k == SIZE_MAX)
				continue;
			struct wait_estimate w;
			estimator_estimate(qb->est, k, m * MINUTE_MS, &w);
			record(&qb->queues[i], m, &w);
		}
	if (last > qb->last_tick_min)
		qb->last_tick_min = last;
}

static int by_time(const void *a, const void *b)
{
	const struct queue_sample *x = a, *y = b;
	int64_t tx = x->type == SAMPLE_QUEUE ? INT64_MIN : x->t_ms;
	int64_t ty = y->type == SAMPLE_QUEUE ? INT64_MIN : y->t_ms;
	return tx < ty ? -1 : tx > ty;
}

struct batch {
	struct queue_sample *s;
	size_t n, cap, skipped;
};

static bool take_line(struct batch *b, const char *line, size_t len, size_t lineno,
		      struct feed_error *e)
{
	if (b->n == QUEUE_BOARD_MAX_SAMPLES)
		return feed_error_set(e, "more than %d samples", QUEUE_BOARD_MAX_SAMPLES);
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct queue_sample *p = realloc(b->s, cap * sizeof(*p));
		if (!p)
			return feed_error_set(e, "out of memory");
		b->s = p;
		b->cap = cap;
	}
	struct feed_error le;
	switch (queue_sample_parse(line, len, &b->s[b->n], &le)) {
	case SAMPLE_OK: /* room counts are for the rooms, not the lunch lines */
		b->n += b->s[b->n].type != SAMPLE_ROOM;
		return true;
	case SAMPLE_SKIP: b->skipped++; return true;
	default: return feed_error_set(e, "sample %zu: %s", lineno, le.msg);
	}
}

static bool read_json(const char *buf, size_t len, struct batch *b, struct feed_error *e)
{
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	const cJSON *samples = cJSON_GetObjectItemCaseSensitive(root, "samples");
	bool ok = cJSON_IsArray(samples) ||
		  feed_error_set(e, "samples: missing (expected venueboard-server's /v1/queues)");
	const cJSON *o;
	size_t i = 0;
	char line[QUEUE_LINE_MAX + 1];
	if (!ok)
		samples = NULL;
	cJSON_ArrayForEach(o, samples) {
		i++;
		if (!cJSON_PrintPreallocated((cJSON *)o, line, sizeof(line), false)) {
			ok = feed_error_set(e, "samples[%zu]: longer than %d bytes", i - 1,
					    QUEUE_LINE_MAX);
			break;
		}
		if (!(ok = take_line(b, line, strlen(line), i, e)))
			break;
	}
	cJSON_Delete(root);
	return ok;
}

static bool read_lines(const char *buf, size_t len, struct batch *b, struct feed_error *e)
{
	const char *p = buf, *end = buf + len;
	size_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;
		p += n + (nl != NULL);
		lineno++;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		if (n && !take_line(b, line, n, lineno, e))
			return false;
	}
	return true;
}

static bool is_server_doc(const char *buf, size_t len)
{
	/* a JSON Lines file starts with a sample object: {"type":... */
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	if (i == len || buf[i] != '{')
		return false;
	const char *nl = memchr(buf + i, '\n', len - i);
	size_t first = nl ? (size_t)(nl - buf) - i : len - i;
	bool samples = false, queues = false;
	for (size_t k = i; k + 9 <= i + first && !samples && !queues; k++) {
		samples = samples || memcmp(buf + k, "\"samples\"", 9) == 0;
		queues = queues || memcmp(buf + k, "\"queues\"", 8) == 0;
	}
	return samples || queues;
}

bool queue_board_load(struct queue_board *qb, const char *buf, size_t len, int64_t until_ms,
		      struct queue_load_summary *sum, struct feed_error *e)
{
	struct batch b = {0};
	bool ok = is_server_doc(buf, len) ? read_json(buf, len, &b, e) : read_lines(buf, len, &b, e);
	if (!ok) {
		free(b.s);
		return false;
	}
	if (b.n)
		qsort(b.s, b.n, sizeof(*b.s), by_time);
	size_t applied = 0, dups = 0;
	for (size_t i = 0; i < b.n; i++) {
		const struct queue_sample *s = &b.s[i];
		if (!wanted(qb, s->queue) || (s->type != SAMPLE_QUEUE && s->t_ms > until_ms))
			continue;
		struct queue_meta *m = meta(qb, s->queue);
		if (!m)
			continue;
		if (!first_time(qb, m, s)) {
			dups++;
			continue;
		}
		if (s->type == SAMPLE_QUEUE) {
			m->decl_stations = s->stations;
			m->decl_service_s = s->service_s;
			memcpy(m->name, s->name, sizeof(m->name));
			memcpy(m->venue, s->venue, sizeof(m->venue));
		} else {
			tick_to(qb, s->t_ms - 1); /* estimates before this sample */
			if (s->t_ms > qb->newest_ms)
				qb->newest_ms = s->t_ms;
		}
		struct feed_error ae;
		if (estimator_add(qb->est, s, &ae))
			applied++;
	}
	free(b.s);
	if (sum)
		*sum = (struct queue_load_summary){b.n, applied, dups, b.skipped, qb->n_queues,
						   qb->newest_ms};
	return true;
}

static enum trend trend_of(const struct queue_meta *m, const struct wait_estimate *now)
{
	if (!now->known)
		return TREND_UNKNOWN;
	float then = m->view.history[QUEUE_BOARD_HISTORY - 1 - QUEUE_BOARD_TREND_MIN];
	if (then < 0)
		return TREND_UNKNOWN;
	double d = now->wait_s - then;
	return d > QUEUE_BOARD_TREND_S ? TREND_RISING : d < -QUEUE_BOARD_TREND_S ? TREND_FALLING
										 : TREND_STEADY;
}

void queue_board_update(struct queue_board *qb, int64_t now_ms)
{
	int64_t at = now_ms > qb->newest_ms ? now_ms : qb->newest_ms;
	if (qb->newest_ms)
		tick_to(qb, at);
	for (size_t i = 0; i < qb->n_queues; i++) {
		struct queue_meta *m = &qb->queues[i];
		struct queue_view *v = &m->view;
		v->id = m->id;
		v->name = m->name[0] ? m->name : m->id;
		v->venue = m->venue;
		v->history_end_ms = qb->last_tick_min * MINUTE_MS;
		for (int k = 0; k < QUEUE_BOARD_HISTORY; k++) {
			int64_t minute = qb->last_tick_min - (QUEUE_BOARD_HISTORY - 1) + k;
			size_t slot = (size_t)(((minute % QUEUE_BOARD_HISTORY) + QUEUE_BOARD_HISTORY) %
					       QUEUE_BOARD_HISTORY);
			v->history[k] = minute >= m->ring_first_min ? m->ring[slot] : -1.0f;
		}
		size_t k = est_index(qb, m->id);
		memset(&v->now, 0, sizeof(v->now));
		v->now.queue = m->id;
		v->now.confidence = CONFIDENCE_NONE;
		v->now.why = "no entry and exit counts yet";
		if (k != SIZE_MAX && qb->newest_ms)
			estimator_estimate(qb->est, k, at, &v->now);
		v->trend = trend_of(m, &v->now);
	}
}

size_t queue_board_count(const struct queue_board *qb)
{
	return qb->n_queues;
}

const struct queue_view *queue_board_get(const struct queue_board *qb, size_t i)
{
	return i < qb->n_queues ? &qb->queues[i].view : NULL;
}

int64_t queue_board_newest_ms(const struct queue_board *qb)
{
	return qb->newest_ms;
}
