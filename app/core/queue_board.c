/* queue_board: samples are sorted by time and replayed through the
 * forecaster with a tick at every minute boundary, so a screen that starts
 * at 13:00 with the morning's samples draws the same chart as one that ran
 * all morning. A server's forecast is read whole before anything changes. */
#include "queue_board.h"

#include "civil_time.h"
#include "forecast.h"
#include "json_util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
	MINUTE_MS = 60000,
	STEP_MS = QUEUE_BOARD_FORECAST_STEP_MIN * MINUTE_MS,
	MAX_ROOM_SENSORS = 256,
	MAX_KEYS = ESTIMATOR_MAX_QUEUES * (ESTIMATOR_MAX_SENSORS + 1) + MAX_ROOM_SENSORS,
};

/* A forecast's wait beyond a day is not a lunch line's: the point is bad. */
static const double MAX_POINT_S = 86400.0;

/* A sample source: a queue's sensor (or its "#stations"), or a room's. */
struct seen_key {
	bool room;
	char queue[QUEUE_NAME_MAX + 1]; /* the queue id, or the room's name */
	char sensor[QUEUE_ID_MAX + 2];
	int64_t newest_ms;
};

struct queue_meta {
	char id[QUEUE_ID_MAX + 1], name[QUEUE_NAME_MAX + 1], venue[QUEUE_NAME_MAX + 1];
	int decl_stations;     /* the last declaration taken, to take each once: */
	double decl_service_s; /* repeated, it would undo a later "stations" */
	struct queue_view view;
	float ring[QUEUE_BOARD_HISTORY]; /* by minute index modulo the size */
	int64_t ring_first_min;          /* oldest minute with a slot in use */
	struct queue_forecast server;    /* the latest the server sent (have: any) */
	struct queue_forecast local;     /* worked out here ... */
	int64_t local_min;               /* ... in this minute ... */
	uint64_t local_taken;            /* ... after this many samples */
};

struct queue_board {
	struct forecaster *fc;
	struct estimator *est; /* fc's, borrowed: for reading estimates */
	uint64_t taken;        /* samples given to fc so far */
	char only[ESTIMATOR_MAX_QUEUES][QUEUE_ID_MAX + 1];
	size_t n_only;
	struct queue_meta queues[ESTIMATOR_MAX_QUEUES];
	size_t n_queues;
	struct seen_key keys[MAX_KEYS];
	size_t n_keys;
	int64_t newest_ms;     /* newest sample taken */
	int64_t last_tick_min; /* last minute whose estimate is in the history */
};

struct queue_board *queue_board_create(const char *const *only, size_t n_only)
{
	struct queue_board *qb = calloc(1, sizeof(*qb));
	if (!qb || !(qb->fc = forecaster_create())) {
		free(qb);
		return NULL;
	}
	qb->est = forecaster_estimator(qb->fc);
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
	forecaster_destroy(qb->fc);
	free(qb);
}

void queue_board_set_schedule(struct queue_board *qb, const struct schedule *s)
{
	forecaster_set_schedule(qb->fc, s);
	for (size_t i = 0; i < qb->n_queues; i++)
		qb->queues[i].local_min = INT64_MIN; /* worked out again */
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

static struct queue_meta *find_meta(struct queue_board *qb, const char *id)
{
	for (size_t i = 0; i < qb->n_queues; i++)
		if (strcmp(qb->queues[i].id, id) == 0)
			return &qb->queues[i];
	return NULL;
}

/* The queue's state, made when new; NULL past the cap. */
static struct queue_meta *meta(struct queue_board *qb, const char *id)
{
	struct queue_meta *found = find_meta(qb, id);
	if (found)
		return found;
	if (qb->n_queues == ESTIMATOR_MAX_QUEUES)
		return NULL;
	struct queue_meta *m = &qb->queues[qb->n_queues++];
	memset(m, 0, sizeof(*m));
	memcpy(m->id, id, strlen(id) + 1);
	for (int k = 0; k < QUEUE_BOARD_HISTORY; k++)
		m->ring[k] = -1;
	m->ring_first_min = INT64_MIN;
	m->local_min = INT64_MIN;
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
	bool room = s->type == SAMPLE_ROOM;
	const char *sensor = s->type == SAMPLE_STATIONS ? "#stations" : s->sensor;
	const char *source = room ? s->room : s->queue;
	for (size_t i = 0; i < qb->n_keys; i++) {
		struct seen_key *k = &qb->keys[i];
		if (k->room == room && strcmp(k->queue, source) == 0 &&
		    strcmp(k->sensor, sensor) == 0) {
			if (s->t_ms <= k->newest_ms)
				return false;
			k->newest_ms = s->t_ms;
			return true;
		}
	}
	if (qb->n_keys == MAX_KEYS)
		return false;
	struct seen_key *k = &qb->keys[qb->n_keys++];
	k->room = room;
	memcpy(k->queue, source, strlen(source) + 1);
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
	case SAMPLE_OK: b->n++; return true;
	case SAMPLE_SKIP: b->skipped++; return true;
	default: return feed_error_set(e, "sample %zu: %s", lineno, le.msg);
	}
}

/* ---- a server's forecasts ---------------------------------------------------- */

/* The forecasts of a server document, read whole before any is taken. */
struct server_forecasts {
	size_t n, bad_points;
	struct {
		char id[QUEUE_ID_MAX + 1];
		struct queue_forecast fc; /* have false: the server sent none */
	} q[ESTIMATOR_MAX_QUEUES];
};

static bool read_time(const cJSON *v, int64_t *ms)
{
	const char *t = json_util_strv(v);
	return t && civil_parse_instant_ms(t, strlen(t), ms);
}

/* Seconds of a forecast point: a number from 0 to a day, or null (unknown). */
static bool read_seconds(const cJSON *v, bool *null, float *out)
{
	*null = cJSON_IsNull(v);
	if (*null)
		return true;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= MAX_POINT_S))
		return false;
	*out = (float)v->valuedouble;
	return true;
}

/* One point of a forecast made at made_ms, later than the point before it
 * (after_ms); false when it does not read: it is then ignored. A null point
 * of a forecast the server says is withheld is withheld. */
static bool read_point(const cJSON *o, int64_t made_ms, int64_t after_ms, bool withheld,
		       struct queue_forecast_point *p)
{
	static const char *const keys[] = {"at", "wait_s", "low_s", "high_s"};
	const cJSON *v[4];
	if (!cJSON_IsObject(o))
		return false;
	json_util_pick(o, keys, 4, v);
	if (!read_time(v[0], &p->at_ms) || p->at_ms <= made_ms || p->at_ms <= after_ms ||
	    p->at_ms - made_ms > FORECAST_MAX_AHEAD_S * 1000LL)
		return false;
	bool null[3];
	float x[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++)
		if (!read_seconds(v[k + 1], &null[k], &x[k]))
			return false;
	if (null[0] || null[1] || null[2]) { /* unknown: all three null */
		*p = (struct queue_forecast_point){.at_ms = p->at_ms, .withheld = withheld};
		return null[0] && null[1] && null[2];
	}
	*p = (struct queue_forecast_point){p->at_ms, true, x[0], x[1], x[2], false};
	return x[1] <= x[0] && x[0] <= x[2];
}

/* queues[qi].forecast (f, NULL when absent) into out. */
static bool read_forecast(const cJSON *f, size_t qi, struct queue_forecast *out, size_t *bad,
			  struct feed_error *e)
{
	static const char *const keys[] = {"t", "days_learned", "points", "withheld"};
	const cJSON *v[4];
	memset(out, 0, sizeof(*out));
	if (!f || cJSON_IsNull(f))
		return true;
	if (!cJSON_IsObject(f))
		return feed_error_set(e, "queues[%zu].forecast: not an object", qi);
	json_util_pick(f, keys, 4, v);
	if (!read_time(v[0], &out->made_ms))
		return feed_error_set(e,
				      "queues[%zu].forecast.t: not a time like "
				      "2014-11-06T11:10:00Z",
				      qi);
	double days = cJSON_IsNumber(v[1]) ? v[1]->valuedouble : 0;
	if ((v[1] && !cJSON_IsNumber(v[1])) || !(days >= 0 && days <= 10000) || days != (int)days)
		return feed_error_set(e,
				      "queues[%zu].forecast.days_learned: not a whole number "
				      "from 0 to 10000",
				      qi);
	if (!cJSON_IsArray(v[2]))
		return feed_error_set(e, "queues[%zu].forecast.points: not an array", qi);
	if (cJSON_GetArraySize(v[2]) > QUEUE_BOARD_FORECAST_MAX)
		return feed_error_set(e, "queues[%zu].forecast.points: more than %d", qi,
				      QUEUE_BOARD_FORECAST_MAX);
	out->source = FORECAST_SERVER;
	out->days_learned = (int)days;
	out->withheld = cJSON_IsTrue(v[3]); /* optional; anything else: not withheld */
	const cJSON *o;
	int64_t after = INT64_MIN;
	cJSON_ArrayForEach(o, v[2]) {
		struct queue_forecast_point p;
		if (!read_point(o, out->made_ms, after, out->withheld, &p)) {
			(*bad)++;
			continue;
		}
		out->points[out->n++] = p;
		out->have = true;
		after = p.at_ms;
	}
	return true;
}

static bool read_forecasts(const cJSON *root, struct server_forecasts *sf, struct feed_error *e)
{
	const cJSON *queues = cJSON_GetObjectItemCaseSensitive(root, "queues"), *o;
	if (!queues)
		return true;
	if (!cJSON_IsArray(queues))
		return feed_error_set(e, "queues: not an array");
	cJSON_ArrayForEach(o, queues) {
		size_t i = sf->n;
		if (i == ESTIMATOR_MAX_QUEUES)
			return feed_error_set(e, "queues: more than %d", ESTIMATOR_MAX_QUEUES);
		const char *id = cJSON_IsObject(o) ? json_util_str(o, "queue") : NULL;
		if (!id || !*id || strlen(id) > QUEUE_ID_MAX)
			return feed_error_set(e,
					      "queues[%zu].queue: not a queue id of 1 to %d bytes",
					      i, QUEUE_ID_MAX);
		memcpy(sf->q[i].id, id, strlen(id) + 1);
		if (!read_forecast(cJSON_GetObjectItemCaseSensitive(o, "forecast"), i, &sf->q[i].fc,
				   &sf->bad_points, e))
			return false;
		sf->n++;
	}
	return true;
}

/* ---- bodies ---------------------------------------------------------------------- */

static bool read_json(const char *buf, size_t len, struct batch *b, struct server_forecasts *sf,
		      struct feed_error *e)
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
	ok = ok && read_forecasts(root, sf, e);
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

/* The server's word on each queue it lists, after the samples (a forecast
 * is shown only beside a queue this board knows). */
static size_t take_forecasts(struct queue_board *qb, const struct server_forecasts *sf,
			     int64_t until_ms)
{
	size_t taken = 0;
	for (size_t i = 0; i < sf->n; i++) {
		const struct queue_forecast *f = &sf->q[i].fc;
		struct queue_meta *m = wanted(qb, sf->q[i].id) ? find_meta(qb, sf->q[i].id) : NULL;
		if (!m || (f->have && f->made_ms > until_ms))
			continue;
		m->server = *f;
		taken += f->have;
	}
	return taken;
}

bool queue_board_load(struct queue_board *qb, const char *buf, size_t len, int64_t until_ms,
		      struct queue_load_summary *sum, struct feed_error *e)
{
	struct batch b = {0};
	struct server_forecasts *sf = NULL;
	bool ok;
	if (is_server_doc(buf, len)) {
		ok = (sf = calloc(1, sizeof(*sf))) != NULL || feed_error_set(e, "out of memory");
		ok = ok && read_json(buf, len, &b, sf, e);
	} else {
		ok = read_lines(buf, len, &b, e);
	}
	if (!ok) {
		free(b.s);
		free(sf);
		return false;
	}
	if (b.n)
		qsort(b.s, b.n, sizeof(*b.s), by_time);
	size_t applied = 0, dups = 0;
	for (size_t i = 0; i < b.n; i++) {
		const struct queue_sample *s = &b.s[i];
		bool room = s->type == SAMPLE_ROOM; /* for the forecaster: not a queue's */
		if ((!room && !wanted(qb, s->queue)) ||
		    (s->type != SAMPLE_QUEUE && s->t_ms > until_ms))
			continue;
		struct queue_meta *m = room ? NULL : meta(qb, s->queue);
		if (!room && !m)
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
		if (forecaster_add(qb->fc, s, &ae)) {
			applied++;
			qb->taken++;
		}
	}
	free(b.s);
	size_t forecasts = sf ? take_forecasts(qb, sf, until_ms) : 0;
	if (sum)
		*sum = (struct queue_load_summary){b.n,
						   applied,
						   dups,
						   b.skipped,
						   qb->n_queues,
						   forecasts,
						   sf ? sf->bad_points : 0,
						   qb->newest_ms};
	free(sf);
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
	return d > QUEUE_BOARD_TREND_S    ? TREND_RISING
	       : d < -QUEUE_BOARD_TREND_S ? TREND_FALLING
					  : TREND_STEADY;
}

static bool server_fresh(const struct queue_meta *m, int64_t at_ms)
{
	return m->server.have &&
	       at_ms - m->server.made_ms <= QUEUE_BOARD_FORECAST_STALE_MIN * (int64_t)MINUTE_MS;
}

/* This board's forecast of queue m (the forecaster's k) made at at_ms: the
 * multiples of five minutes of the clock in the next hour. Once a minute or
 * after new samples: the forecaster's model is not cheap. */
static void work_out(struct queue_board *qb, struct queue_meta *m, size_t k, int64_t at_ms)
{
	if (m->local_min == at_ms / MINUTE_MS && m->local_taken == qb->taken)
		return;
	m->local_min = at_ms / MINUTE_MS;
	m->local_taken = qb->taken;
	enum { N = QUEUE_BOARD_FORECAST_POINTS };
	int64_t at[N];
	struct forecast out[N];
	for (int j = 0; j < N; j++)
		at[j] = (at_ms / STEP_MS + 1 + j) * STEP_MS;
	forecaster_predict_series(qb->fc, k, at_ms, at, N, out);
	struct queue_forecast *f = &m->local;
	*f = (struct queue_forecast){.source = FORECAST_LOCAL,
				     .made_ms = at_ms,
				     .days_learned = forecaster_days_learned(qb->fc, k),
				     .n = N};
	for (int j = 0; j < N; j++) {
		f->points[j] = (struct queue_forecast_point){at[j],
							     out[j].known,
							     (float)out[j].wait_s,
							     (float)out[j].low_s,
							     (float)out[j].high_s,
							     out[j].withheld};
		f->have |= out[j].known;
		f->withheld |= out[j].withheld;
	}
}

/* What the screen may show: the server's forecast while fresh, else this
 * board's; of either, the points still ahead of at_ms. */
static void show_forecast(const struct queue_meta *m, int64_t at_ms, struct queue_forecast *out)
{
	const struct queue_forecast *src = server_fresh(m, at_ms)               ? &m->server
					   : m->local.have || m->local.withheld ? &m->local
										: NULL;
	memset(out, 0, sizeof(*out));
	if (!src)
		return;
	*out = *src;
	out->n = 0;
	out->have = out->withheld = false;
	for (size_t j = 0; j < src->n; j++)
		if (src->points[j].at_ms > at_ms) {
			out->points[out->n++] = src->points[j];
			out->have |= src->points[j].known;
			out->withheld |= src->points[j].withheld;
		}
	if (!out->have) { /* nothing known ahead: no forecast to show, perhaps withheld */
		bool withheld = out->withheld;
		enum forecast_source from = out->source;
		memset(out, 0, sizeof(*out));
		out->withheld = withheld;
		out->source = withheld ? from : FORECAST_NONE;
	}
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
			size_t slot =
				(size_t)(((minute % QUEUE_BOARD_HISTORY) + QUEUE_BOARD_HISTORY) %
					 QUEUE_BOARD_HISTORY);
			v->history[k] = minute >= m->ring_first_min ? m->ring[slot] : -1.0f;
		}
		size_t k = est_index(qb, m->id);
		memset(&v->now, 0, sizeof(v->now));
		v->now.queue = m->id;
		v->now.confidence = CONFIDENCE_NONE;
		v->now.why = "no entry and exit counts yet";
		if (k != SIZE_MAX && qb->newest_ms) {
			estimator_estimate(qb->est, k, at, &v->now);
			if (!server_fresh(m, at))
				work_out(qb, m, k, at);
		}
		v->trend = trend_of(m, &v->now);
		show_forecast(m, at, &v->forecast);
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
