/* api_queues: the lunch lines — sensors' samples in (a batch stored whole or
 * refused whole), estimates, forecasts (api_forecast.c) and samples out. Each queue is judged by its own
 * clock, and a sample dated in the future is refused, so that one sensor's
 * clock cannot move another queue's "now". A day's samples (?since) are read
 * off the polling thread: api_get_queues answers with a job. */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "queue_sample.h"
#include "store.h"
#include "text.h"
#include "wait_estimator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RECENT_MAX = 20000 };
static const int64_t REPLAY_GAP_MS = 3600 * 1000LL;

/* ---- taking samples ------------------------------------------------------------- */

/* The queue index of a sample line's queue, or -1. */
static int queue_index(const struct estimator *est, const char *id)
{
	for (size_t i = 0; id && i < estimator_queue_count(est); i++)
		if (strcmp(estimator_queue_id(est, i), id) == 0)
			return (int)i;
	return -1;
}

/* Feeds one accepted line (already read into s) to the estimator and the
 * recent ring. */
static void take_sample(struct api *api, const char *line, const struct queue_sample *s)
{
	struct queue_state *qs = &api->queues;
	if (s->type == SAMPLE_ROOM)
		api_rooms_take(api, s);
	struct feed_error e;
	forecaster_add(qs->fc, s, &e); /* room counts too: who is about to leave */
	if (s->type == SAMPLE_QUEUE) {
		int q = queue_index(qs->est, s->queue);
		if (q >= 0 && *s->name)
			memcpy(qs->names[q], s->name, sizeof(qs->names[q]));
	}
	if (s->type != SAMPLE_QUEUE && s->t_ms > qs->newest_ms)
		qs->newest_ms = s->t_ms;
	if (qs->recent_n == RECENT_MAX) {
		free(qs->recent[qs->recent_head].line);
		qs->recent_head = (qs->recent_head + 1) % RECENT_MAX;
		qs->recent_n--;
	}
	struct recent_sample *r = &qs->recent[(qs->recent_head + qs->recent_n) % RECENT_MAX];
	r->line = strdup(line);
	r->t_ms = s->type == SAMPLE_QUEUE ? INT64_MAX : s->t_ms;
	r->queue = queue_index(qs->est, s->queue);
	if (r->line)
		qs->recent_n++;
}

/* Stored lines at start: those dated too far ahead of the clock (stored by
 * a server that did not refuse them) are skipped, and counted. */
struct sample_load {
	struct api *api;
	int64_t limit_ms;
	size_t n_future;
	int64_t latest_future_ms;
};

static bool load_sample(void *vctx, const struct stored_sample *stored)
{
	struct sample_load *ctx = vctx;
	const char *line = stored->line;
	struct queue_sample s;
	struct feed_error e;
	if (!line || queue_sample_parse(line, strlen(line), &s, &e) != SAMPLE_OK)
		return true;
	if (s.type != SAMPLE_QUEUE && s.t_ms > ctx->limit_ms) {
		if (ctx->n_future++ == 0 || s.t_ms > ctx->latest_future_ms)
			ctx->latest_future_ms = s.t_ms;
		return true;
	}
	take_sample(ctx->api, line, &s);
	return true;
}

bool api_queues_load(struct api *api, int64_t now_ms, struct feed_error *e)
{
	struct queue_state *qs = &api->queues;
	if (!(qs->fc = forecaster_create()) ||
	    !(qs->recent = calloc(RECENT_MAX, sizeof(*qs->recent))))
		return feed_error_set(e, "out of memory");
	qs->est = forecaster_estimator(qs->fc);
	forecaster_set_schedule(qs->fc, served_model(api));
	/* the estimator's state and the forecaster's earlier days come back
	 * from the stored samples, in the order of their times */
	struct sample_load ctx = {.api = api, .limit_ms = now_ms + API_SAMPLE_AHEAD_S * 1000LL};
	int64_t from = now_ms - (FORECAST_HISTORY_DAYS + 1) * 86400000LL;
	if (!store_each_sample_from(api->store, from, load_sample, &ctx, e))
		return false;
	if (ctx.n_future) {
		char t[21];
		civil_format_utc(ctx.latest_future_ms / 1000, t);
		api_logf(api, "WARN",
			 "%zu stored samples are dated more than %d s after this "
			 "server's clock (the latest %s) and are skipped: a sensor's "
			 "clock was wrong",
			 ctx.n_future, API_SAMPLE_AHEAD_S, t);
	}
	return true;
}

void api_queues_free(struct api *api)
{
	struct queue_state *qs = &api->queues;
	for (size_t k = 0; qs->recent && k < qs->recent_n; k++)
		free(qs->recent[(qs->recent_head + k) % RECENT_MAX].line);
	free(qs->recent);
	forecaster_destroy(qs->fc);
	memset(qs, 0, sizeof(*qs));
}

int64_t api_replay_at(const struct api *api, int64_t now_ms)
{
	int64_t newest = api->queues.newest_ms;
	if (newest > 0 && llabs(now_ms - newest) > REPLAY_GAP_MS)
		return newest;
	return now_ms;
}

int64_t api_queue_at(const struct api *api, size_t i, int64_t now_ms)
{
	int64_t newest = estimator_queue_newest_ms(api->queues.est, i);
	if (newest != INT64_MIN && llabs(now_ms - newest) > REPLAY_GAP_MS)
		return newest; /* a replay of another day: judged as of its own last sample */
	return now_ms;
}

/* The body's sample lines, each checked, into lines (copies); false with
 * res filled (the line named) when the batch is refused. */
static bool read_lines(const struct api_request *req, char **lines, size_t *n, size_t *skipped,
		       struct api_response *res)
{
	const char *p = req->body, *end = req->body + req->body_len;
	int64_t limit = req->now_ms + API_SAMPLE_AHEAD_S * 1000LL;
	size_t lineno = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		lineno++;
		const char *line = p;
		p += len + (nl ? 1 : 0);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		struct queue_sample s;
		struct feed_error e = {{0}};
		enum sample_parse st = queue_sample_parse(line, len, &s, &e);
		if (st == SAMPLE_SKIP) {
			(*skipped)++;
			continue;
		}
		if (st == SAMPLE_INVALID) {
			api_fail(res, 400, "line %zu: %s; nothing from this batch was stored",
				 lineno, e.msg);
			return false;
		}
		if (s.type != SAMPLE_QUEUE && s.t_ms > limit) {
			char t[21], now[21];
			civil_format_utc(s.t_ms / 1000, t);
			civil_format_utc(req->now_ms / 1000, now);
			api_fail(res, 400,
				 "line %zu: t: %s is more than %d s after this server's clock "
				 "(%s): check the sensor's clock; nothing from this batch was "
				 "stored",
				 lineno, t, API_SAMPLE_AHEAD_S, now);
			return false;
		}
		if (*n == API_MAX_SAMPLE_LINES) {
			api_fail(res, 413, "more than %d samples in one batch; nothing was stored",
				 API_MAX_SAMPLE_LINES);
			return false;
		}
		if (!(lines[(*n)++] = strndup(line, len))) {
			api_fail(res, 500, "out of memory");
			return false;
		}
	}
	return true;
}

void api_samples_take_lines(struct api *api, char *const *lines, size_t n, size_t skipped,
			    const char *who, int64_t now_ms, struct api_response *res)
{
	struct feed_error e = {{0}};
	if (n && !store_add_samples(api->store, (const char *const *)lines, n, who, now_ms, &e)) {
		api_write_result(api, false, e.msg, now_ms);
		api_fail(res, 500, "not stored: %s", e.msg);
		api->samples_refused += n + 1;
		return;
	}
	if (n)
		api_write_result(api, true, NULL, now_ms);
	for (size_t i = 0; i < n; i++) {
		struct queue_sample s;
		if (queue_sample_parse(lines[i], strlen(lines[i]), &s, &e) == SAMPLE_OK)
			take_sample(api, lines[i], &s);
	}
	/* the desk's alert is judged as samples come, not only when asked */
	for (size_t i = 0; i < estimator_queue_count(api->queues.est); i++)
		api_outlook(api, i, api_queue_at(api, i, now_ms));
	api->samples_accepted += n;
	char buf[96];
	snprintf(buf, sizeof(buf), "{\"accepted\":%zu,\"skipped\":%zu}", n, skipped);
	api_respond(res, 200, "application/json", strdup(buf));
	snprintf(res->log, sizeof(res->log), "samples from %s: %zu accepted, %zu skipped", who, n,
		 skipped);
}

void api_post_samples(struct api *api, const struct api_call *c, struct api_response *res)
{
	/* lines are read twice (checked, then taken once stored) rather than
	 * kept read: a parsed sample is half a kilobyte, a batch 50 000 lines */
	char **lines = calloc(API_MAX_SAMPLE_LINES, sizeof(*lines));
	size_t n = 0, skipped = 0;
	if (lines && read_lines(c->req, lines, &n, &skipped, res)) {
		api_samples_take_lines(api, lines, n, skipped, c->who->name, c->req->now_ms, res);
	} else {
		if (!lines)
			api_fail(res, 500, "out of memory");
		api->samples_refused += n + 1;
	}
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ---- GET /v1/queues ---------------------------------------------------------------- */

/* What GET /v1/queues was asked for (see SERVER.md). */
struct queues_query {
	bool since_given;
	int64_t since_ms;
	size_t n_queue; /* queue= values, each a comma-separated list of ids */
	char queue[API_MAX_QUERY_PARAMS][API_MAX_QUERY_VALUE + 1];
};

/* A day's samples, read off the polling thread. */
struct api_job {
	struct queues_query q;
	int64_t from_ms;
	char *head; /* the answer so far (the estimates), without its closing brace */
};

/* Percent-decodes s[0..len) into out (NUL-terminated). '+' stays '+': a
 * time's offset must survive a client that does not encode it. Fills why. */
static bool query_decode(const char *s, size_t len, char out[API_MAX_QUERY_VALUE + 1],
			 const char **why)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < len ? text_hex_digit(s[i + 1]) : -1;
			int lo = i + 2 < len ? text_hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				*why = "has a '%' not followed by two hex digits (or %00)";
				return false;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (o == API_MAX_QUERY_VALUE) {
			*why = "is longer than 128 bytes";
			return false;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

/* An RFC 3339 time with an offset or Z, fraction kept to the millisecond (as
 * queue_sample_parse reads "t"). A space after the date and time stands for
 * '+': form decoding (libmicrohttpd's) turns an unencoded "+01:00" into one. */
static bool parse_since(const char *value, int64_t *out_ms)
{
	char v[API_MAX_QUERY_VALUE + 1];
	snprintf(v, sizeof(v), "%s", value);
	size_t len = strlen(v);
	for (size_t i = 11; i < len; i++)
		if (v[i] == ' ')
			v[i] = '+';
	return civil_parse_instant_ms(v, len, out_ms);
}

/* Reads req->query into q; on a bad query fills res (400 naming the
 * parameter) and returns false. Unknown parameters are ignored. */
static bool queues_query_parse(const char *query, struct queues_query *q, struct api_response *res)
{
	memset(q, 0, sizeof(*q));
	size_t n = 0;
	for (const char *p = query; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *item = p;
		p += len + (amp ? 1 : 0);
		if (len == 0)
			continue;
		if (++n > API_MAX_QUERY_PARAMS) {
			api_fail(res, 400, "query: more than %d parameters", API_MAX_QUERY_PARAMS);
			return false;
		}
		const char *eq = memchr(item, '=', len);
		size_t klen = eq ? (size_t)(eq - item) : len;
		char key[API_MAX_QUERY_VALUE + 1], value[API_MAX_QUERY_VALUE + 1];
		const char *why = NULL;
		if (!query_decode(item, klen, key, &why)) {
			api_fail(res, 400, "query: a parameter name %s", why);
			return false;
		}
		bool since = strcmp(key, "since") == 0, queue = strcmp(key, "queue") == 0;
		if (!since && !queue)
			continue;
		if (!query_decode(eq ? eq + 1 : item + len, eq ? len - klen - 1 : 0, value, &why)) {
			api_fail(res, 400, "%s: the value %s", key, why);
			return false;
		}
		if (queue) {
			memcpy(q->queue[q->n_queue++], value, sizeof(value));
			continue;
		}
		if (q->since_given) {
			api_fail(res, 400, "since: given more than once");
			return false;
		}
		if (!parse_since(value, &q->since_ms)) {
			bool printable = text_is_one_line(value, strlen(value));
			api_fail(res, 400,
				 "since: '%.40s' is not an RFC 3339 time with an offset or Z "
				 "(like 2014-11-06T11:00:00Z)",
				 printable ? value : "?");
			return false;
		}
		q->since_given = true;
	}
	return true;
}

/* True when id is one of the queues asked for (all when none were). */
static bool queue_wanted(const struct queues_query *q, const char *id)
{
	if (q->n_queue == 0)
		return true;
	if (!id)
		return false;
	size_t idlen = strlen(id);
	for (size_t i = 0; i < q->n_queue; i++) {
		for (const char *p = q->queue[i];;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			if (len == idlen && memcmp(p, id, len) == 0)
				return true;
			if (!comma)
				break;
			p = comma + 1;
		}
	}
	return false;
}

/* A sample line kept for a since answer. */
struct kept_sample {
	int64_t t_ms, id;
	char *line;
};

/* GET /v1/queues?since: the oldest API_MAX_SINCE_SAMPLES timed lines at or
 * after from_ms (a max-heap on (t, id) while reading, whatever order the
 * store gives), and the latest API_MAX_DECLARATIONS declarations (a ring). */
struct since_read {
	const struct queues_query *q;
	int64_t from_ms;
	struct kept_sample *heap;
	size_t heap_n;
	bool omitted;             /* a timed line did not fit */
	int64_t first_omitted_ms; /* the earliest of those */
	char **decl;
	size_t decl_head, decl_n;
	bool oom;
};

static bool kept_before(const struct kept_sample *a, const struct kept_sample *b)
{
	return a->t_ms < b->t_ms || (a->t_ms == b->t_ms && a->id < b->id);
}

static int kept_cmp(const void *va, const void *vb)
{
	const struct kept_sample *a = va, *b = vb;
	return kept_before(a, b) ? -1 : kept_before(b, a) ? 1 : 0;
}

static void heap_sift_down(struct kept_sample *h, size_t n, size_t i)
{
	for (;;) {
		size_t big = i, l = 2 * i + 1, r = l + 1;
		if (l < n && kept_before(&h[big], &h[l]))
			big = l;
		if (r < n && kept_before(&h[big], &h[r]))
			big = r;
		if (big == i)
			return;
		struct kept_sample tmp = h[i];
		h[i] = h[big];
		h[big] = tmp;
		i = big;
	}
}

static void heap_sift_up(struct kept_sample *h, size_t i)
{
	while (i > 0 && kept_before(&h[(i - 1) / 2], &h[i])) {
		struct kept_sample tmp = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static void note_omitted(struct since_read *r, int64_t t_ms)
{
	if (!r->omitted || t_ms < r->first_omitted_ms)
		r->first_omitted_ms = t_ms;
	r->omitted = true;
}

static bool take_since(void *vr, const struct stored_sample *ss)
{
	struct since_read *r = vr;
	struct queue_sample s;
	struct feed_error e;
	if (r->oom)
		return false;
	if (queue_sample_parse(ss->line, strlen(ss->line), &s, &e) != SAMPLE_OK ||
	    !queue_wanted(r->q, s.queue))
		return true;
	if (s.type == SAMPLE_QUEUE) {
		char *copy = strdup(ss->line);
		if (!copy) {
			r->oom = true;
			return false;
		}
		size_t slot = (r->decl_head + r->decl_n) % API_MAX_DECLARATIONS;
		if (r->decl_n == API_MAX_DECLARATIONS) {
			free(r->decl[r->decl_head]);
			r->decl_head = (r->decl_head + 1) % API_MAX_DECLARATIONS;
		} else {
			r->decl_n++;
		}
		r->decl[slot] = copy;
		return true;
	}
	if (s.t_ms < r->from_ms)
		return true;
	/* by_time lines come in SQLite's time order, within a millisecond of
	 * ours: once one is well past the first line that did not fit, none
	 * after it can fit or come earlier */
	if (ss->by_time && r->omitted && s.t_ms > r->first_omitted_ms + 1000)
		return false;
	struct kept_sample k = {.t_ms = s.t_ms, .id = ss->id};
	if (r->heap_n == API_MAX_SINCE_SAMPLES) {
		if (!kept_before(&k, &r->heap[0])) {
			note_omitted(r, k.t_ms);
			return true;
		}
		note_omitted(r, r->heap[0].t_ms);
		free(r->heap[0].line);
		if (!(k.line = strdup(ss->line))) {
			r->heap[0] = r->heap[--r->heap_n];
			heap_sift_down(r->heap, r->heap_n, 0);
			r->oom = true;
			return false;
		}
		r->heap[0] = k;
		heap_sift_down(r->heap, r->heap_n, 0);
		return true;
	}
	if (!(k.line = strdup(ss->line))) {
		r->oom = true;
		return false;
	}
	r->heap[r->heap_n] = k;
	heap_sift_up(r->heap, r->heap_n++);
	return true;
}

/* One stored line as the default answer prints it (cJSON, unformatted). */
static void put_line(struct api_buf *b, const char *line, bool *first)
{
	cJSON *o = cJSON_Parse(line);
	if (!o)
		return; /* as the default answer does */
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text) {
		b->oom = true;
		return;
	}
	if (!*first)
		api_buf_put(b, ",", 1);
	*first = false;
	api_buf_put(b, text, strlen(text));
	free(text);
}

void api_job_run(struct api_job *job, struct store *reader, struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	struct since_read r = {.q = &job->q, .from_ms = job->from_ms};
	struct api_buf b = {0};
	struct feed_error e = {{0}};
	bool ok = (r.heap = calloc(API_MAX_SINCE_SAMPLES, sizeof(*r.heap))) != NULL &&
		  (r.decl = calloc(API_MAX_DECLARATIONS, sizeof(*r.decl))) != NULL;
	/* 1 s of slack: SQLite's reading of a time may differ from ours */
	if (ok && !store_each_sample_from(reader, job->from_ms - 1000, take_since, &r, &e)) {
		api_fail(res, 500, "samples could not be read: %s", e.msg);
		goto out;
	}
	if (!ok || r.oom)
		goto oom;
	qsort(r.heap, r.heap_n, sizeof(*r.heap), kept_cmp);
	/* Cut at a whole second, so that since=next_since (whole seconds, like
	 * every time we write) repeats nothing and skips nothing. Only when
	 * more than API_MAX_SINCE_SAMPLES lines share that second are the rest
	 * of it skipped, so that the client still moves on. */
	size_t n_out = r.heap_n;
	int64_t next_s = 0;
	if (r.omitted) {
		int64_t t = r.first_omitted_ms;
		next_s = t >= 0 ? t / 1000 : -((-t + 999) / 1000);
		while (n_out > 0 && r.heap[n_out - 1].t_ms >= next_s * 1000)
			n_out--;
		if (n_out == 0) {
			n_out = r.heap_n;
			next_s++;
		}
	}
	api_buf_put(&b, job->head, strlen(job->head));
	api_buf_put(&b, ",\"samples\":[", 12);
	bool first = true;
	for (size_t k = 0; k < r.decl_n; k++)
		put_line(&b, r.decl[(r.decl_head + k) % API_MAX_DECLARATIONS], &first);
	for (size_t k = 0; k < n_out; k++)
		put_line(&b, r.heap[k].line, &first);
	api_buf_put(&b, "]", 1);
	if (r.omitted) {
		char t[21];
		civil_format_utc(next_s, t);
		api_buf_printf(&b, ",\"truncated\":true,\"next_since\":\"%s\"", t);
	}
	api_buf_put(&b, "}", 1);
	if (b.oom)
		goto oom;
	api_respond(res, 200, "application/json", b.p);
	res->body_len = b.len;
	res->cache_control = "no-cache";
	api_etag(b.p, b.len, res->etag);
	b.p = NULL;
	goto out;
oom:
	api_fail(res, 500, "out of memory");
out:
	free(b.p);
	for (size_t k = 0; r.heap && k < r.heap_n; k++)
		free(r.heap[k].line);
	for (size_t k = 0; r.decl && k < r.decl_n; k++)
		free(r.decl[(r.decl_head + k) % API_MAX_DECLARATIONS]);
	free(r.heap);
	free(r.decl);
	api_job_destroy(job);
}

void api_job_destroy(struct api_job *job)
{
	if (!job)
		return;
	free(job->head);
	free(job);
}

void api_get_queues(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	struct queue_state *qs = &api->queues;
	struct queues_query q;
	if (!queues_query_parse(req->query, &q, res))
		return;
	size_t nq = estimator_queue_count(qs->est);
	int64_t at[ESTIMATOR_MAX_QUEUES];
	int64_t top = nq ? INT64_MIN : req->now_ms;
	for (size_t i = 0; i < nq; i++) {
		at[i] = api_queue_at(api, i, req->now_ms);
		top = at[i] > top ? at[i] : top;
	}
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(top / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *list = cJSON_AddArrayToObject(root, "queues");
	for (size_t i = 0; i < nq; i++) {
		struct wait_estimate w;
		estimator_estimate(qs->est, i, at[i], &w);
		if (!queue_wanted(&q, w.queue))
			continue;
		cJSON *o = cJSON_CreateObject();
		civil_format_utc(at[i] / 1000, t);
		cJSON_AddStringToObject(o, "t", t);
		cJSON_AddStringToObject(o, "queue", w.queue);
		if (w.known) {
			cJSON_AddNumberToObject(o, "wait_s", (double)(int64_t)(w.wait_s + 0.5));
			cJSON_AddNumberToObject(o, "people", (double)(int64_t)(w.people + 0.5));
		} else {
			cJSON_AddNullToObject(o, "wait_s");
			cJSON_AddNullToObject(o, "people");
		}
		cJSON_AddStringToObject(o, "confidence", estimator_confidence_name(w.confidence));
		if (w.why && *w.why)
			cJSON_AddStringToObject(o, "why", w.why);
		api_outlook_json(api, i, at[i], o);
		cJSON_AddItemToArray(list, o);
	}
	if (q.since_given) {
		/* the day's samples come from the store, line by line, on another
		 * thread: at most a day before the newest sample (or now) */
		struct api_job *job = calloc(1, sizeof(*job));
		char *head = cJSON_PrintUnformatted(root);
		cJSON_Delete(root);
		if (!job || !head) {
			free(job);
			free(head);
			api_fail(res, 500, "out of memory");
			return;
		}
		head[strlen(head) - 1] = '\0'; /* the closing brace */
		int64_t newest = qs->newest_ms > 0 ? qs->newest_ms : req->now_ms;
		job->q = q;
		job->head = head;
		job->from_ms = q.since_ms;
		if (job->from_ms < newest - API_SINCE_WINDOW_S * 1000LL)
			job->from_ms = newest - API_SINCE_WINDOW_S * 1000LL;
		res->status = 200;
		res->job = job;
		return;
	}
	/* the samples a kiosk needs to estimate by itself: the lines as stored
	 * (each checked, one JSON object), appended as they are rather than
	 * parsed again; at 10 000 readings a second the ring holds 20 000 */
	cJSON_AddArrayToObject(root, "samples");
	char *head = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	struct api_buf b = {0};
	if (head) /* it ends with the empty samples' "[]}" */
		api_buf_put(&b, head, strlen(head) - 2);
	free(head);
	bool first = true;
	for (size_t k = 0; head && k < qs->recent_n; k++) {
		const struct recent_sample *r = &qs->recent[(qs->recent_head + k) % RECENT_MAX];
		int64_t ref = r->queue >= 0 ? at[r->queue] : top;
		if (r->t_ms != INT64_MAX && r->t_ms < ref - API_RECENT_SAMPLE_S * 1000LL)
			continue;
		if (q.n_queue && (r->queue < 0 ||
				  !queue_wanted(&q, estimator_queue_id(qs->est, (size_t)r->queue))))
			continue;
		if (!first)
			api_buf_put(&b, ",", 1);
		api_buf_put(&b, r->line, strlen(r->line));
		first = false;
	}
	api_buf_put(&b, "]}", 2);
	if (!head || b.oom) {
		free(b.p);
		api_fail(res, 500, "out of memory");
		return;
	}
	api_respond(res, 200, "application/json", b.p);
	res->body_len = b.len;
	api_etag(res->body, res->body_len, res->etag);
	res->cache_control = "no-cache";
}
