/* api: routes, authorization, validation, and the derived views (the
 * effective schedule with its change list, the queue estimates, the screens'
 * heartbeats). Every write is stored before it is acknowledged, and a refused
 * write stores nothing. */
#include "api.h"

#include "civil_time.h"
#include "feed.h"
#include "json_util.h"
#include "normalized_json.h"
#include "queue_sample.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "server_config.h"
#include "store.h"
#include "text.h"
#include "wait_estimator.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RECENT_MAX = 20000 };

/* assets/organizer/index.html, embedded by the build */
extern const unsigned char organizer_page[];
extern const size_t organizer_page_len;

/* A configured screen and its latest heartbeat (GET /v1/screens). */
struct screen_seen {
	const char *name;     /* the configuration's */
	int64_t last_seen_ms;
	char *fields;         /* the heartbeat's fields (JSON), malloc'd; NULL: never heard */
	bool has_thumbnail;
};

struct api {
	const struct server_config *config;
	struct store *store;
	char *schedule_body; /* GET /v1/schedule, rebuilt after every write */
	size_t schedule_len;
	char schedule_etag[24];
	int64_t version, n_sessions;
	struct estimator *est;
	char **recent; /* ring of the latest sample lines */
	int64_t *recent_t;
	size_t recent_head, recent_n;
	int64_t newest_sample_ms;
	struct screen_seen *screens; /* one per screen token, by name */
	size_t n_screens;
	/* metrics */
	uint64_t requests, not_modified, samples_accepted, samples_refused;
};

static void etag_of(const char *body, size_t len, char out[24])
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)body[i]) * 1099511628211ULL;
	snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

static void respond(struct api_response *res, int status, const char *type, char *body)
{
	res->status = status;
	res->content_type = type;
	res->body = body;
	res->body_len = body ? strlen(body) : 0;
}

/* A JSON error a person can act on. */
static void fail(struct api_response *res, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(struct api_response *res, int status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", msg);
	respond(res, status, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
}

/* ---- the effective schedule ---------------------------------------------- */

static cJSON *find_by(cJSON *list, const char *key, const char *value)
{
	cJSON *x;
	cJSON_ArrayForEach(x, list) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(x, key);
		if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
			return x;
	}
	return NULL;
}

/* The room id for a room name, adding the room when the schedule lacks it. */
static const char *room_id_for(cJSON *root, const char *name)
{
	cJSON *rooms = cJSON_GetObjectItemCaseSensitive(root, "rooms");
	char key[256], k2[256];
	text_fold_key(name, key, sizeof(key));
	cJSON *r;
	cJSON_ArrayForEach(r, rooms) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(r, "name");
		if (cJSON_IsString(n)) {
			text_fold_key(n->valuestring, k2, sizeof(k2));
			if (strcmp(key, k2) == 0)
				return cJSON_GetObjectItemCaseSensitive(r, "id")->valuestring;
		}
	}
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "id", key);
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddItemToArray(rooms, r);
	return cJSON_GetObjectItemCaseSensitive(r, "id")->valuestring;
}

struct apply_ctx {
	cJSON *root, *notices, *log;
};

/* Applies one stored change to the schedule tree (skipping undone ones). */
static void apply_change(void *vctx, const struct stored_change *c)
{
	struct apply_ctx *ctx = vctx;
	cJSON *body = cJSON_Parse(c->body);
	cJSON *entry = cJSON_CreateObject();
	cJSON_AddNumberToObject(entry, "id", (double)c->id);
	cJSON_AddStringToObject(entry, "kind", c->kind);
	cJSON_AddStringToObject(entry, "who", c->who);
	char at[21];
	civil_format_utc(c->at_ms / 1000, at);
	cJSON_AddStringToObject(entry, "at", at);
	cJSON_AddBoolToObject(entry, "undone", c->undone);
	if (body)
		cJSON_AddItemToObject(entry, "change", cJSON_Duplicate(body, true));
	cJSON_AddItemToArray(ctx->log, entry);
	if (!body || c->undone) {
		cJSON_Delete(body);
		return;
	}
	if (strcmp(c->kind, "notice") == 0) {
		cJSON *n = cJSON_Duplicate(body, true);
		cJSON_AddNumberToObject(n, "id", (double)c->id);
		cJSON_AddItemToArray(ctx->notices, n);
		cJSON_Delete(body);
		return;
	}
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(body, "session");
	cJSON *sess = cJSON_IsString(sid) ? find_by(cJSON_GetObjectItemCaseSensitive(ctx->root,
										       "sessions"),
						  "id", sid->valuestring)
					  : NULL;
	if (sess) {
		const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
		const cJSON *start = cJSON_GetObjectItemCaseSensitive(body, "start");
		const cJSON *end = cJSON_GetObjectItemCaseSensitive(body, "end");
		if (strcmp(c->kind, "cancel") == 0)
			cJSON_ReplaceItemInObject(sess, "status", cJSON_CreateString("cancelled"));
		if (cJSON_IsString(room))
			cJSON_ReplaceItemInObject(
				sess, "room", cJSON_CreateString(room_id_for(ctx->root, room->valuestring)));
		if (cJSON_IsString(start))
			cJSON_ReplaceItemInObject(sess, "start", cJSON_CreateString(start->valuestring));
		if (cJSON_IsString(end))
			cJSON_ReplaceItemInObject(sess, "end", cJSON_CreateString(end->valuestring));
	}
	cJSON_Delete(body);
}

/* Rebuilds GET /v1/schedule from the store: latest version + live changes,
 * and the change list against the first published version. */
static bool rebuild_schedule(struct api *api, struct feed_error *e)
{
	int64_t first_id = 0, latest_id = 0;
	char *first = store_schedule(api->store, true, &first_id, e);
	char *latest = first ? store_schedule(api->store, false, &latest_id, e) : NULL;
	bool ok = false;
	cJSON *root = NULL;
	struct schedule *s_first = NULL, *s_now = NULL;
	struct schedule_changes changes = {0};
	char *effective = NULL, *diff = NULL;
	if (!first) {
		free(api->schedule_body);
		api->schedule_body = NULL;
		return e->msg[0] == '\0';
	}
	root = cJSON_Parse(latest);
	if (!root) {
		feed_error_set(e, "stored schedule does not parse");
		goto out;
	}
	struct apply_ctx ctx = {root, cJSON_CreateArray(), cJSON_CreateArray()};
	bool each = store_each_change(api->store, apply_change, &ctx, e);
	cJSON *notices = ctx.notices, *log = ctx.log;
	if (!each) {
		cJSON_Delete(notices);
		cJSON_Delete(log);
		goto out;
	}
	effective = cJSON_PrintUnformatted(root);
	if (!feed_parse(first, strlen(first), NULL, &s_first, e) ||
	    !feed_parse(effective, strlen(effective), NULL, &s_now, e) ||
	    !schedule_diff_compute(s_first, s_now, &changes)) {
		cJSON_Delete(notices);
		cJSON_Delete(log);
		goto out;
	}
	/* The served document: our normalized schedule of what is true now,
	 * plus optional fields (contracts allow additions). */
	char *norm = normalized_json_write(s_now);
	cJSON *out_doc = norm ? cJSON_Parse(norm) : NULL;
	free(norm);
	diff = schedule_diff_write_json(&changes);
	if (!out_doc || !diff) {
		cJSON_Delete(out_doc);
		cJSON_Delete(notices);
		cJSON_Delete(log);
		feed_error_set(e, "out of memory");
		goto out;
	}
	cJSON *diff_doc = cJSON_Parse(diff);
	cJSON_AddItemToObject(out_doc, "changes",
			      cJSON_DetachItemFromObject(diff_doc, "changes"));
	cJSON_AddItemToObject(out_doc, "notices", notices);
	cJSON_AddItemToObject(out_doc, "audit", log);
	cJSON_AddNumberToObject(out_doc, "version", (double)latest_id);
	cJSON_Delete(diff_doc);
	free(api->schedule_body);
	api->schedule_body = cJSON_PrintUnformatted(out_doc);
	cJSON_Delete(out_doc);
	api->schedule_len = api->schedule_body ? strlen(api->schedule_body) : 0;
	etag_of(api->schedule_body, api->schedule_len, api->schedule_etag);
	api->version = latest_id;
	api->n_sessions = (int64_t)s_now->n_sessions;
	ok = api->schedule_body != NULL;
out:
	schedule_diff_finish(&changes);
	schedule_destroy(s_first);
	schedule_destroy(s_now);
	cJSON_Delete(root);
	free(effective);
	free(diff);
	free(first);
	free(latest);
	return ok;
}

/* ---- queues ---------------------------------------------------------------- */

static void remember_sample(struct api *api, const char *line, int64_t t_ms)
{
	size_t slot = (api->recent_head + api->recent_n) % RECENT_MAX;
	if (api->recent_n == RECENT_MAX) {
		free(api->recent[api->recent_head]);
		api->recent_head = (api->recent_head + 1) % RECENT_MAX;
		api->recent_n--;
		slot = (api->recent_head + api->recent_n) % RECENT_MAX;
	}
	api->recent[slot] = strdup(line);
	api->recent_t[slot] = t_ms;
	if (api->recent[slot])
		api->recent_n++;
}

/* Feeds one stored or accepted line to the estimator and the recent ring. */
static void take_sample(void *vapi, const char *line)
{
	struct api *api = vapi;
	struct queue_sample s;
	struct feed_error e;
	if (queue_sample_parse(line, strlen(line), &s, &e) != SAMPLE_OK)
		return;
	estimator_add(api->est, &s, &e);
	if (s.type != SAMPLE_QUEUE && s.t_ms > api->newest_sample_ms)
		api->newest_sample_ms = s.t_ms;
	remember_sample(api, line, s.type == SAMPLE_QUEUE ? INT64_MAX : s.t_ms);
}

/* What GET /v1/queues was asked for (see SERVER.md). */
struct queues_query {
	bool since_given;
	int64_t since_ms;
	size_t n_queue; /* queue= values, each a comma-separated list of ids */
	char queue[API_MAX_QUERY_PARAMS][API_MAX_QUERY_VALUE + 1];
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
static bool queues_query_parse(const char *query, struct queues_query *q,
			       struct api_response *res)
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
			fail(res, 400, "query: more than %d parameters", API_MAX_QUERY_PARAMS);
			return false;
		}
		const char *eq = memchr(item, '=', len);
		size_t klen = eq ? (size_t)(eq - item) : len;
		char key[API_MAX_QUERY_VALUE + 1], value[API_MAX_QUERY_VALUE + 1];
		const char *why = NULL;
		if (!query_decode(item, klen, key, &why)) {
			fail(res, 400, "query: a parameter name %s", why);
			return false;
		}
		bool since = strcmp(key, "since") == 0, queue = strcmp(key, "queue") == 0;
		if (!since && !queue)
			continue;
		if (!query_decode(eq ? eq + 1 : item + len, eq ? len - klen - 1 : 0, value, &why)) {
			fail(res, 400, "%s: the value %s", key, why);
			return false;
		}
		if (queue) {
			memcpy(q->queue[q->n_queue++], value, sizeof(value));
			continue;
		}
		if (q->since_given) {
			fail(res, 400, "since: given more than once");
			return false;
		}
		if (!parse_since(value, &q->since_ms)) {
			fail(res, 400,
			     "since: '%.40s' is not an RFC 3339 time with an offset or Z "
			     "(like 2014-11-06T11:00:00Z)",
			     value);
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

/* A growing response body. */
struct body {
	char *p;
	size_t len, cap;
	bool oom;
};

static void body_put(struct body *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 65536;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		char *np = realloc(b->p, ncap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* One stored line as the default answer prints it (cJSON, unformatted). */
static void body_put_line(struct body *b, const char *line, bool *first)
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
		body_put(b, ",", 1);
	*first = false;
	body_put(b, text, strlen(text));
	free(text);
}

/* The samples part of a since answer, appended to head (the answer so far,
 * printed, without its closing brace). Fills res. */
static void since_samples(struct api *api, const struct api_request *req,
			  const struct queues_query *q, const char *head, struct api_response *res)
{
	/* at most a day before the newest sample (or now, before any) */
	int64_t newest = api->newest_sample_ms > 0 ? api->newest_sample_ms : req->now_ms;
	int64_t from = q->since_ms;
	if (from < newest - API_SINCE_WINDOW_S * 1000LL)
		from = newest - API_SINCE_WINDOW_S * 1000LL;
	struct since_read r = {.q = q, .from_ms = from};
	struct body b = {0};
	struct feed_error e = {{0}};
	bool ok = (r.heap = calloc(API_MAX_SINCE_SAMPLES, sizeof(*r.heap))) != NULL &&
		  (r.decl = calloc(API_MAX_DECLARATIONS, sizeof(*r.decl))) != NULL;
	/* 1 s of slack: SQLite's reading of a time may differ from ours */
	if (ok && !store_each_sample_from(api->store, from - 1000, take_since, &r, &e)) {
		fail(res, 500, "samples could not be read: %s", e.msg);
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
	body_put(&b, head, strlen(head));
	body_put(&b, ",\"samples\":[", 12);
	bool first = true;
	for (size_t k = 0; k < r.decl_n; k++)
		body_put_line(&b, r.decl[(r.decl_head + k) % API_MAX_DECLARATIONS], &first);
	for (size_t k = 0; k < n_out; k++)
		body_put_line(&b, r.heap[k].line, &first);
	body_put(&b, "]", 1);
	if (r.omitted) {
		char t[21], tail[64];
		civil_format_utc(next_s, t);
		int n = snprintf(tail, sizeof(tail), ",\"truncated\":true,\"next_since\":\"%s\"", t);
		body_put(&b, tail, (size_t)n);
	}
	body_put(&b, "}", 1);
	if (b.oom)
		goto oom;
	respond(res, 200, "application/json", b.p);
	res->body_len = b.len;
	b.p = NULL;
	goto out;
oom:
	fail(res, 500, "out of memory");
out:
	free(b.p);
	for (size_t k = 0; r.heap && k < r.heap_n; k++)
		free(r.heap[k].line);
	for (size_t k = 0; r.decl && k < r.decl_n; k++)
		free(r.decl[(r.decl_head + k) % API_MAX_DECLARATIONS]);
	free(r.heap);
	free(r.decl);
}

static void get_queues(struct api *api, const struct api_request *req, struct api_response *res)
{
	struct queues_query q;
	if (!queues_query_parse(req->query, &q, res))
		return;
	/* Estimates as of now; a replay whose samples are far from the server's
	 * clock (an accelerated simulation, yesterday's data) is judged as of
	 * its newest sample instead. */
	int64_t at = req->now_ms;
	if (api->newest_sample_ms > 0 && llabs(at - api->newest_sample_ms) > 3600 * 1000LL)
		at = api->newest_sample_ms;
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(at / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *qs = cJSON_AddArrayToObject(root, "queues");
	for (size_t i = 0; i < estimator_queue_count(api->est); i++) {
		struct wait_estimate w;
		estimator_estimate(api->est, i, at, &w);
		if (!queue_wanted(&q, w.queue))
			continue;
		cJSON *o = cJSON_CreateObject();
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
		cJSON_AddItemToArray(qs, o);
	}
	if (q.since_given) {
		/* the day's samples come from the store, printed line by line:
		 * a cJSON tree of 200 000 of them would not be small */
		char *head = cJSON_PrintUnformatted(root);
		cJSON_Delete(root);
		if (!head) {
			fail(res, 500, "out of memory");
			return;
		}
		head[strlen(head) - 1] = '\0'; /* the closing brace */
		since_samples(api, req, &q, head, res);
		free(head);
	} else {
		/* the samples a kiosk needs to estimate by itself */
		cJSON *samples = cJSON_AddArrayToObject(root, "samples");
		for (size_t k = 0; k < api->recent_n; k++) {
			size_t slot = (api->recent_head + k) % RECENT_MAX;
			if (api->recent_t[slot] != INT64_MAX &&
			    api->recent_t[slot] < at - API_RECENT_SAMPLE_S * 1000LL)
				continue;
			cJSON *o = cJSON_Parse(api->recent[slot]);
			if (o && q.n_queue && !queue_wanted(&q, json_util_str(o, "queue"))) {
				cJSON_Delete(o);
				continue;
			}
			if (o)
				cJSON_AddItemToArray(samples, o);
		}
		respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
		cJSON_Delete(root);
	}
	if (res->status != 200)
		return;
	etag_of(res->body, res->body_len, res->etag);
	res->cache_control = "no-cache";
}

/* ---- authorization ------------------------------------------------------- */

static const struct config_token *authorize(struct api *api, const struct api_request *req,
					    enum token_role role, struct api_response *res)
{
	const char *h = req->authorization;
	const char *what = role == TOKEN_ORGANIZER ? "organizer"
			   : role == TOKEN_SENSOR  ? "sensor"
						   : "screen";
	if (!h || strncmp(h, "Bearer ", 7) != 0) {
		if (role == TOKEN_SCREEN)
			fail(res, 401, "this needs the screen's own token: send 'Authorization: "
				       "Bearer TOKEN'");
		else
			fail(res, 401, "this needs an %s token: send 'Authorization: Bearer TOKEN'",
			     what);
		return NULL;
	}
	const struct config_token *t = server_config_check(api->config, h + 7, role);
	if (!t)
		fail(res, 401, "the token is not a valid %s token", what);
	return t;
}

/* ---- writes ----------------------------------------------------------------- */

static void post_schedule(struct api *api, const struct api_request *req,
			  const struct config_token *who, struct api_response *res)
{
	struct feed_options opt = {.timezone = api->config->timezone[0] ? api->config->timezone : NULL};
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	if (!feed_parse(req->body, req->body_len, &opt, &s, &e)) {
		fail(res, 422, "the schedule was not published: %s", e.msg);
		return;
	}
	char *norm = normalized_json_write(s);
	int64_t id = 0;
	bool ok = norm && store_put_schedule(api->store, norm, who->name, req->now_ms, &id, &e) &&
		  rebuild_schedule(api, &e);
	size_t n = s->n_sessions;
	schedule_destroy(s);
	free(norm);
	if (!ok) {
		fail(res, 500, "the schedule could not be stored: %s", e.msg);
		return;
	}
	char buf[160];
	snprintf(buf, sizeof(buf), "{\"version\":%lld,\"sessions\":%zu}", (long long)id, n);
	snprintf(res->log, sizeof(res->log), "schedule version %lld published by %s: %zu sessions",
		 (long long)id, who->name, n);
	respond(res, 201, "application/json", strdup(buf));
}

/* Checks a change against the schedule now; fills kind and why. */
static bool valid_change(struct api *api, cJSON *body, const char **kind, struct api_response *res)
{
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(body, "kind");
	if (!cJSON_IsString(k)) {
		fail(res, 400, "kind: missing; one of move, cancel, reschedule, undo");
		return false;
	}
	*kind = k->valuestring;
	if (strcmp(*kind, "undo") == 0) {
		if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(body, "change"))) {
			fail(res, 400, "change: the id of the change to undo is missing");
			return false;
		}
		return true;
	}
	if (strcmp(*kind, "move") && strcmp(*kind, "cancel") && strcmp(*kind, "reschedule")) {
		fail(res, 400, "kind: '%.40s' is not one of move, cancel, reschedule, undo", *kind);
		return false;
	}
	const cJSON *sid = cJSON_GetObjectItemCaseSensitive(body, "session");
	if (!cJSON_IsString(sid)) {
		fail(res, 400, "session: the id of the session is missing");
		return false;
	}
	cJSON *doc = api->schedule_body ? cJSON_Parse(api->schedule_body) : NULL;
	bool known = doc && find_by(cJSON_GetObjectItemCaseSensitive(doc, "sessions"), "id",
				    sid->valuestring);
	cJSON_Delete(doc);
	if (!known) {
		fail(res, 422, "session: no session '%.80s' in the published schedule", sid->valuestring);
		return false;
	}
	if (strcmp(*kind, "move") == 0) {
		const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
		if (!cJSON_IsString(room) || !room->valuestring[0] || strlen(room->valuestring) > 160) {
			fail(res, 400, "room: the name of the new room is missing (at most 160 bytes)");
			return false;
		}
	}
	if (strcmp(*kind, "reschedule") == 0) {
		const char *keys[] = {"start", "end"};
		int64_t t[2];
		for (int i = 0; i < 2; i++) {
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, keys[i]);
			struct civil c;
			struct feed_error e;
			if (!cJSON_IsString(v) || !civil_parse(v->valuestring, strlen(v->valuestring), &c) ||
			    !c.has_offset || !civil_to_utc(&c, NULL, &t[i], &e)) {
				fail(res, 400, "%s: an RFC 3339 time with an offset is needed", keys[i]);
				return false;
			}
			char z[21];
			civil_format_utc(t[i], z);
			cJSON_ReplaceItemInObject(body, keys[i], cJSON_CreateString(z));
		}
		if (t[1] < t[0]) {
			fail(res, 400, "end: before start");
			return false;
		}
	}
	return true;
}

static void post_change(struct api *api, const struct api_request *req,
			const struct config_token *who, struct api_response *res, bool notice)
{
	cJSON *body = cJSON_ParseWithLength(req->body, req->body_len);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		fail(res, 400, "the body must be a JSON object");
		return;
	}
	const char *kind = "notice";
	struct feed_error e = {{0}};
	int64_t id = 0;
	if (notice) {
		const cJSON *text = cJSON_GetObjectItemCaseSensitive(body, "text");
		if (!cJSON_IsString(text) || !text->valuestring[0] || strlen(text->valuestring) > 280 ||
		    !text_utf8_valid(text->valuestring, strlen(text->valuestring))) {
			cJSON_Delete(body);
			fail(res, 400, "text: the notice text is missing (UTF-8, at most 280 bytes)");
			return;
		}
	} else if (!valid_change(api, body, &kind, res)) {
		cJSON_Delete(body);
		return;
	}
	bool ok;
	if (strcmp(kind, "undo") == 0) {
		int64_t target = (int64_t)cJSON_GetObjectItemCaseSensitive(body, "change")->valuedouble;
		ok = store_undo_change(api->store, target, who->name, req->now_ms, &e);
		if (!ok) {
			cJSON_Delete(body);
			fail(res, 409, "%s", e.msg);
			return;
		}
		id = target;
	} else {
		char *text = cJSON_PrintUnformatted(body);
		ok = text && store_add_change(api->store, kind, text, who->name, req->now_ms, &id, &e);
		free(text);
	}
	char kind_copy[16], what[160] = "";
	snprintf(kind_copy, sizeof(kind_copy), "%s", kind); /* kind points into body */
	const cJSON *sess = cJSON_GetObjectItemCaseSensitive(body, "session");
	const cJSON *room = cJSON_GetObjectItemCaseSensitive(body, "room");
	if (cJSON_IsString(sess))
		snprintf(what, sizeof(what), " session %.40s%s%.60s", sess->valuestring,
			 cJSON_IsString(room) ? " to " : "", cJSON_IsString(room) ? room->valuestring : "");
	cJSON_Delete(body);
	if (!ok || !rebuild_schedule(api, &e)) {
		fail(res, 500, "not stored: %s", e.msg);
		return;
	}
	char buf[120];
	snprintf(buf, sizeof(buf), "{\"change\":%lld,\"kind\":\"%s\"}", (long long)id, kind_copy);
	respond(res, strcmp(kind_copy, "undo") == 0 ? 200 : 201, "application/json", strdup(buf));
	snprintf(res->log, sizeof(res->log), "change %lld by %s: %s%s", (long long)id, who->name,
		 kind_copy, what);
}

static void post_samples(struct api *api, const struct api_request *req,
			 const struct config_token *who, struct api_response *res)
{
	char **lines = calloc(API_MAX_SAMPLE_LINES, sizeof(*lines));
	size_t n = 0, skipped = 0, lineno = 0;
	const char *p = req->body, *end = req->body + req->body_len;
	bool ok = lines != NULL;
	if (!ok)
		fail(res, 500, "out of memory");
	while (ok && p < end) {
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
			skipped++;
			continue;
		}
		if (st == SAMPLE_INVALID) {
			fail(res, 400, "line %zu: %s; nothing from this batch was stored", lineno, e.msg);
			ok = false;
			break;
		}
		if (n == API_MAX_SAMPLE_LINES) {
			fail(res, 413, "more than %d samples in one batch; nothing was stored",
			     API_MAX_SAMPLE_LINES);
			ok = false;
			break;
		}
		lines[n] = strndup(line, len);
		if (!lines[n++]) {
			fail(res, 500, "out of memory");
			ok = false;
		}
	}
	struct feed_error e = {{0}};
	if (ok && n && !store_add_samples(api->store, (const char *const *)lines, n, who->name,
					  req->now_ms, &e)) {
		fail(res, 500, "not stored: %s", e.msg);
		ok = false;
	}
	if (ok) {
		for (size_t i = 0; i < n; i++)
			take_sample(api, lines[i]);
		api->samples_accepted += n;
		char buf[96];
		snprintf(buf, sizeof(buf), "{\"accepted\":%zu,\"skipped\":%zu}", n, skipped);
		respond(res, 200, "application/json", strdup(buf));
		snprintf(res->log, sizeof(res->log), "samples from %s: %zu accepted, %zu skipped",
			 who->name, n, skipped);
	} else {
		api->samples_refused += n + 1;
	}
	for (size_t i = 0; lines && i < n; i++)
		free(lines[i]);
	free(lines);
}

/* ---- screens: heartbeats from the kiosks ----------------------------------- */

/* The fields a heartbeat may carry, in the order GET /v1/screens shows them.
 * Unknown fields are ignored; a known one of the wrong type refuses it all. */
enum hb_kind { HB_STRING, HB_COUNT, HB_NUMBER_OR_NULL, HB_BOOL };
static const struct hb_field {
	const char *key;
	enum hb_kind kind;
	size_t max; /* bytes, for strings */
	const char *need; /* what a refusal says is needed */
} hb_fields[] = {
	{"version", HB_STRING, 32, "a string of at most 32 bytes (UTF-8)"},
	{"uptime_s", HB_COUNT, 0, "a number of seconds, 0 or more"},
	{"feed_age_s", HB_NUMBER_OR_NULL, 0, "a number of seconds, or null without a schedule"},
	{"offline", HB_BOOL, 0, "true or false"},
	{"showing", HB_STRING, 120, "a string of at most 120 bytes (UTF-8)"},
	{"schedule_version", HB_NUMBER_OR_NULL, 0, "a number, or null"},
};
enum { N_HB_FIELDS = sizeof(hb_fields) / sizeof(*hb_fields) };

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 (RFC 4648's standard alphabet; the '=' padding optional,
 * ASCII white space ignored, as line-wrapping encoders write it) into out,
 * at most cap bytes. On failure says why. */
static bool base64_decode(const char *s, size_t len, unsigned char *out, size_t cap,
			  size_t *out_len, const char **why)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0, n = 0, pad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = base64_value(c);
		if (v < 0 || pad) {
			*why = v < 0 ? "not base64 (only A-Z, a-z, 0-9, '+', '/' and '=' padding)"
				     : "not base64 ('=' before the end)";
			return false;
		}
		n++;
		acc = (acc << 6 | (uint32_t)v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap) {
				*why = "larger than 96 KiB once decoded";
				return false;
			}
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	if (n % 4 == 1 || pad > 2 || (pad && (n + pad) % 4 != 0)) {
		*why = "not base64 (its length is not that of any encoding)";
		return false;
	}
	*out_len = o;
	return true;
}

/* A heartbeat's body, checked: the known fields (a new object, in
 * hb_fields' order) and the thumbnail, decoded. */
struct heartbeat {
	cJSON *fields;
	unsigned char *png; /* NULL when the heartbeat had none */
	size_t png_len;
};

static void heartbeat_finish(struct heartbeat *hb)
{
	cJSON_Delete(hb->fields);
	free(hb->png);
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return true;
	return false;
}

/* Reads a heartbeat body into hb; on a refusal fills res (400 naming the
 * field) and returns false, hb holding nothing. */
static bool heartbeat_read(const char *body, size_t len, struct heartbeat *hb,
			   struct api_response *res)
{
	memset(hb, 0, sizeof(*hb));
	cJSON *doc = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		fail(res, 400, "the body must be a JSON object (the heartbeat's fields)");
		return false;
	}
	hb->fields = cJSON_CreateObject();
	const struct hb_field *bad = NULL;
	const char *why = NULL;
	for (size_t i = 0; hb->fields && !bad && i < N_HB_FIELDS; i++) {
		const struct hb_field *f = &hb_fields[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, f->key);
		if (!v)
			continue;
		bool ok = false;
		switch (f->kind) {
		case HB_STRING:
			ok = cJSON_IsString(v) && strlen(v->valuestring) <= f->max &&
			     text_utf8_valid(v->valuestring, strlen(v->valuestring));
			if (ok && has_control(v->valuestring)) {
				ok = false;
				why = "control characters (tabs, newlines) are not allowed";
			}
			if (ok)
				cJSON_AddStringToObject(hb->fields, f->key, v->valuestring);
			break;
		case HB_COUNT:
		case HB_NUMBER_OR_NULL:
			ok = (cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
			      (f->kind != HB_COUNT || v->valuedouble >= 0)) ||
			     (f->kind == HB_NUMBER_OR_NULL && cJSON_IsNull(v));
			if (ok && cJSON_IsNull(v))
				cJSON_AddNullToObject(hb->fields, f->key);
			else if (ok)
				cJSON_AddNumberToObject(hb->fields, f->key, v->valuedouble);
			break;
		case HB_BOOL:
			ok = cJSON_IsBool(v);
			if (ok)
				cJSON_AddBoolToObject(hb->fields, f->key, cJSON_IsTrue(v));
			break;
		}
		if (!ok)
			bad = f;
	}
	const cJSON *thumb = cJSON_GetObjectItemCaseSensitive(doc, "thumbnail");
	const char *thumb_why = NULL;
	if (!bad && thumb) {
		if (!cJSON_IsString(thumb)) {
			thumb_why = "a string is needed: a PNG image in base64";
		} else if (!(hb->png = malloc(API_MAX_THUMBNAIL))) {
			thumb_why = "out of memory";
		} else if (base64_decode(thumb->valuestring, strlen(thumb->valuestring), hb->png,
					 API_MAX_THUMBNAIL, &hb->png_len, &thumb_why)) {
			if (hb->png_len < sizeof(png_signature) ||
			    memcmp(hb->png, png_signature, sizeof(png_signature)) != 0)
				thumb_why = "not a PNG image (no PNG signature at its start)";
		}
	}
	cJSON_Delete(doc);
	if (bad)
		fail(res, 400, "%s: %s", bad->key, why ? why : bad->need);
	else if (thumb_why)
		fail(res, 400, "thumbnail: %s", thumb_why);
	else if (!hb->fields)
		fail(res, 500, "out of memory");
	else
		return true;
	heartbeat_finish(hb);
	memset(hb, 0, sizeof(*hb));
	return false;
}

/* The longest prefix of s, at most max bytes, that ends on a character. */
static int utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return (int)n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

static struct screen_seen *screen_find(struct api *api, const char *name)
{
	for (size_t i = 0; i < api->n_screens; i++)
		if (strcmp(api->screens[i].name, name) == 0)
			return &api->screens[i];
	return NULL;
}

/* One INFO line: the screen, its version, what it shows, its feed's age. */
static void heartbeat_log(const char *name, const cJSON *fields, struct api_response *res)
{
	const cJSON *age = cJSON_GetObjectItemCaseSensitive(fields, "feed_age_s");
	char age_text[48] = "feed age ?";
	if (cJSON_IsNull(age))
		snprintf(age_text, sizeof(age_text), "no schedule");
	else if (cJSON_IsNumber(age))
		snprintf(age_text, sizeof(age_text), "feed age %.0f s", age->valuedouble);
	const char *v = json_util_str(fields, "version");
	const char *sh = json_util_str(fields, "showing");
	if (!v)
		v = "?";
	if (!sh)
		sh = "?";
	bool offline = json_util_true(fields, "offline");
	snprintf(res->log, sizeof(res->log), "heartbeat from %s: %s, %.*s, %s%s", name, v,
		 utf8_prefix(sh, 60), sh, age_text, offline ? ", offline" : "");
}

static void post_heartbeat(struct api *api, const struct api_request *req,
			   const struct config_token *who, struct api_response *res)
{
	struct heartbeat hb;
	if (!heartbeat_read(req->body, req->body_len, &hb, res))
		return;
	struct screen_seen *seen = screen_find(api, who->name);
	char *fields = cJSON_PrintUnformatted(hb.fields);
	struct feed_error e = {{0}};
	if (!seen || !fields) {
		fail(res, 500, "out of memory");
	} else if (!store_put_screen(api->store, who->name, req->now_ms, fields, hb.png, hb.png_len,
				     &e)) {
		fail(res, 500, "the heartbeat was not stored: %s", e.msg);
	} else {
		free(seen->fields);
		seen->fields = fields;
		fields = NULL;
		seen->last_seen_ms = req->now_ms;
		seen->has_thumbnail = hb.png != NULL;
		heartbeat_log(who->name, hb.fields, res);
		respond(res, 204, NULL, NULL);
	}
	free(fields);
	heartbeat_finish(&hb);
}

/* "stale" (not heard from: the likely dead screen) before "offline" (it
 * says its feed is unreachable), else "ok". */
static const char *screen_state(const struct screen_seen *s, const cJSON *fields, int64_t now_ms)
{
	if (now_ms - s->last_seen_ms > API_SCREEN_STALE_S * 1000LL)
		return "stale";
	if (json_util_true(fields, "offline"))
		return "offline";
	return "ok";
}

static size_t screens_seen(const struct api *api)
{
	size_t n = 0;
	for (size_t i = 0; i < api->n_screens; i++)
		n += api->screens[i].fields != NULL;
	return n;
}

static void get_screens(struct api *api, const struct api_request *req, struct api_response *res)
{
	cJSON *root = cJSON_CreateObject();
	char t[21];
	civil_format_utc(req->now_ms / 1000, t);
	cJSON_AddStringToObject(root, "t", t);
	cJSON *list = cJSON_AddArrayToObject(root, "screens");
	for (size_t i = 0; i < api->n_screens; i++) { /* sorted by name */
		const struct screen_seen *s = &api->screens[i];
		cJSON *fields = s->fields ? cJSON_Parse(s->fields) : NULL;
		if (!fields)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "screen", s->name);
		civil_format_utc(s->last_seen_ms / 1000, t);
		cJSON_AddStringToObject(o, "last_seen", t);
		int64_t age_ms = req->now_ms - s->last_seen_ms;
		cJSON_AddNumberToObject(o, "age_s", (double)(age_ms > 0 ? age_ms / 1000 : 0));
		for (size_t k = 0; k < N_HB_FIELDS; k++) {
			const char *key = hb_fields[k].key;
			cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(fields, key);
			cJSON_AddItemToObject(o, key, v ? v : cJSON_CreateNull());
		}
		if (s->has_thumbnail) {
			char path[CONFIG_NAME_MAX + 40];
			snprintf(path, sizeof(path), "/v1/screens/%s/thumbnail.png", s->name);
			cJSON_AddStringToObject(o, "thumbnail", path);
		} else {
			cJSON_AddNullToObject(o, "thumbnail");
		}
		cJSON_AddStringToObject(o, "state", screen_state(s, o, req->now_ms));
		cJSON_AddItemToArray(list, o);
		cJSON_Delete(fields);
	}
	char *body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	if (!body) {
		fail(res, 500, "out of memory");
		return;
	}
	respond(res, 200, "application/json", body);
	res->cache_control = "no-cache";
}

/* The NAME of /v1/screens/NAME/thumbnail.png into name; false when path
 * is not of that shape. */
static bool thumbnail_path(const char *path, char name[CONFIG_NAME_MAX + 1])
{
	static const char prefix[] = "/v1/screens/", suffix[] = "/thumbnail.png";
	size_t len = strlen(path), pre = sizeof(prefix) - 1, suf = sizeof(suffix) - 1;
	if (len <= pre + suf || strncmp(path, prefix, pre) != 0 ||
	    strcmp(path + len - suf, suffix) != 0)
		return false;
	size_t n = len - pre - suf;
	if (n > CONFIG_NAME_MAX || memchr(path + pre, '/', n))
		return false;
	memcpy(name, path + pre, n);
	name[n] = '\0';
	return true;
}

static void get_thumbnail(struct api *api, const char *name, struct api_response *res)
{
	if (!server_config_screen(api->config, name)) {
		fail(res, 404, "no screen named '%.64s' in the configuration", name);
		return;
	}
	unsigned char *png = NULL;
	size_t len = 0;
	struct feed_error e = {{0}};
	if (!store_screen_thumbnail(api->store, name, &png, &len, &e)) {
		fail(res, 500, "the thumbnail could not be read: %s", e.msg);
		return;
	}
	if (!png) {
		fail(res, 404, "screen %s has sent no thumbnail with its latest heartbeat", name);
		return;
	}
	res->status = 200; /* not respond(): a PNG is no C string */
	res->content_type = "image/png";
	res->body = (char *)png;
	res->body_len = len;
	etag_of((const char *)png, len, res->etag);
	res->cache_control = "no-cache";
}

/* Each configured screen, by name, with what the store holds of it. */
struct screens_load {
	struct api *api;
	bool oom;
};

static void load_screen(void *vctx, const struct stored_screen *st)
{
	struct screens_load *ctx = vctx;
	struct screen_seen *s = screen_find(ctx->api, st->name);
	if (!s) /* no longer in the configuration: kept, not shown */
		return;
	free(s->fields);
	s->fields = strdup(st->fields);
	ctx->oom |= s->fields == NULL;
	s->last_seen_ms = st->last_seen_ms;
	s->has_thumbnail = st->has_thumbnail;
}

static int screen_cmp(const void *va, const void *vb)
{
	const struct screen_seen *a = va, *b = vb;
	return strcmp(a->name, b->name);
}

static bool load_screens(struct api *api, struct feed_error *e)
{
	size_t n = 0;
	for (size_t i = 0; i < api->config->n_tokens; i++)
		n += api->config->tokens[i].role == TOKEN_SCREEN;
	api->screens = calloc(n ? n : 1, sizeof(*api->screens));
	if (!api->screens)
		return feed_error_set(e, "out of memory");
	for (size_t i = 0; i < api->config->n_tokens; i++)
		if (api->config->tokens[i].role == TOKEN_SCREEN)
			api->screens[api->n_screens++].name = api->config->tokens[i].name;
	qsort(api->screens, api->n_screens, sizeof(*api->screens), screen_cmp);
	struct screens_load ctx = {.api = api};
	if (!store_each_screen(api->store, load_screen, &ctx, e))
		return false;
	return ctx.oom ? feed_error_set(e, "out of memory") : true;
}

/* ---- reads ------------------------------------------------------------------ */

static void get_schedule(struct api *api, const struct api_request *req, struct api_response *res)
{
	if (!api->schedule_body) {
		fail(res, 404, "no schedule has been published yet");
		return;
	}
	memcpy(res->etag, api->schedule_etag, sizeof(res->etag));
	res->cache_control = "public, max-age=10, must-revalidate";
	if (req->if_none_match && strstr(req->if_none_match, api->schedule_etag)) {
		api->not_modified++;
		respond(res, 304, NULL, NULL);
		return;
	}
	char *copy = malloc(api->schedule_len + 1);
	if (copy)
		memcpy(copy, api->schedule_body, api->schedule_len + 1);
	respond(res, copy ? 200 : 500, "application/json", copy);
}

static void get_health(struct api *api, struct api_response *res)
{
	char buf[200];
	snprintf(buf, sizeof(buf), "{\"status\":\"ok\",\"schedule_version\":%lld,\"sessions\":%lld,"
				   "\"queues\":%zu,\"screens\":%zu}", (long long)api->version,
		 (long long)api->n_sessions, estimator_queue_count(api->est), screens_seen(api));
	respond(res, 200, "application/json", strdup(buf));
	res->cache_control = "no-store";
}

static void get_metrics(struct api *api, const struct api_request *req, struct api_response *res)
{
	size_t cap = 4096 + estimator_queue_count(api->est) * 200 +
		     api->n_screens * (CONFIG_NAME_MAX + 64), o = 0;
	char *b = malloc(cap);
	if (!b) {
		fail(res, 500, "out of memory");
		return;
	}
	o += (size_t)snprintf(b + o, cap - o,
			      "# TYPE venueboard_requests_total counter\n"
			      "venueboard_requests_total %llu\n"
			      "# TYPE venueboard_not_modified_total counter\n"
			      "venueboard_not_modified_total %llu\n"
			      "# TYPE venueboard_samples_accepted_total counter\n"
			      "venueboard_samples_accepted_total %llu\n"
			      "# TYPE venueboard_samples_refused_total counter\n"
			      "venueboard_samples_refused_total %llu\n"
			      "# TYPE venueboard_schedule_version gauge\n"
			      "venueboard_schedule_version %lld\n"
			      "# TYPE venueboard_queue_last_sample_age_seconds gauge\n",
			      (unsigned long long)api->requests, (unsigned long long)api->not_modified,
			      (unsigned long long)api->samples_accepted,
			      (unsigned long long)api->samples_refused, (long long)api->version);
	for (size_t i = 0; i < estimator_queue_count(api->est) && o < cap; i++) {
		struct wait_estimate w;
		estimator_estimate(api->est, i, req->now_ms, &w);
		double age = api->newest_sample_ms > 0
				     ? (double)(req->now_ms - api->newest_sample_ms) / 1000.0
				     : -1;
		o += (size_t)snprintf(b + o, cap - o,
				      "venueboard_queue_last_sample_age_seconds{queue=\"%s\"} %.1f\n",
				      w.queue, age);
	}
	if (o < cap)
		o += (size_t)snprintf(b + o, cap - o,
				      "# TYPE venueboard_screen_last_seen_age_seconds gauge\n");
	for (size_t i = 0; i < api->n_screens && o < cap; i++) {
		const struct screen_seen *s = &api->screens[i];
		double age = (double)(req->now_ms - s->last_seen_ms) / 1000.0;
		if (s->fields)
			o += (size_t)snprintf(b + o, cap - o,
					      "venueboard_screen_last_seen_age_seconds"
					      "{screen=\"%s\"} %.1f\n", s->name, age);
	}
	respond(res, 200, "text/plain; version=0.0.4", b);
	res->cache_control = "no-store";
}

/* ---- routing ------------------------------------------------------------- */

void api_handle(struct api *api, const struct api_request *req, struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	api->requests++;
	bool get = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	bool post = strcmp(req->method, "POST") == 0;
	const char *path = req->path;
	struct {
		const char *path;
		const char *allow;
	} routes[] = {
		{"/v1/schedule", "GET, HEAD, POST"}, {"/v1/queues", "GET, HEAD"},
		{"/v1/samples", "POST"},             {"/v1/changes", "POST"},
		{"/v1/notices", "POST"},             {"/healthz", "GET, HEAD"},
		{"/metrics", "GET, HEAD"},           {"/v1/screens", "GET, HEAD"},
		{"/v1/screens/heartbeat", "POST"},
	};
	if (strcmp(path, "/organizer/") == 0 || strcmp(path, "/organizer") == 0) {
		if (!get) {
			res->allow = "GET, HEAD";
			fail(res, 405, "%.10s is not allowed here; use GET", req->method);
			return;
		}
		char *page = malloc(organizer_page_len + 1);
		if (page)
			memcpy(page, organizer_page, organizer_page_len + 1);
		respond(res, page ? 200 : 500, "text/html; charset=utf-8", page);
		res->cache_control = "no-cache";
		return;
	}
	char screen[CONFIG_NAME_MAX + 1];
	bool thumbnail = thumbnail_path(path, screen);
	const char *allow = thumbnail ? "GET, HEAD" : NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(*routes); i++)
		if (strcmp(path, routes[i].path) == 0)
			allow = routes[i].allow;
	if (!allow) {
		fail(res, 404, "no such resource: %.100s", path);
		return;
	}
	bool allowed = (get && strstr(allow, "GET")) || (post && strstr(allow, "POST"));
	if (!allowed) {
		res->allow = allow;
		fail(res, 405, "%.10s is not allowed here; use %s", req->method, allow);
		return;
	}
	if (req->body_len > api_max_body(path)) {
		fail(res, 413, "the body is larger than %zu bytes", api_max_body(path));
		return;
	}
	if (get) {
		if (strcmp(path, "/v1/schedule") == 0)
			get_schedule(api, req, res);
		else if (strcmp(path, "/v1/queues") == 0)
			get_queues(api, req, res);
		else if (strcmp(path, "/healthz") == 0)
			get_health(api, res);
		else if (strcmp(path, "/v1/screens") == 0)
			get_screens(api, req, res);
		else if (thumbnail)
			get_thumbnail(api, screen, res);
		else
			get_metrics(api, req, res);
		if (res->etag[0] && req->if_none_match && res->status == 200 &&
		    strstr(req->if_none_match, res->etag)) {
			api->not_modified++;
			free(res->body);
			respond(res, 304, NULL, NULL);
		}
		return;
	}
	bool samples = strcmp(path, "/v1/samples") == 0;
	bool heartbeat = strcmp(path, "/v1/screens/heartbeat") == 0;
	enum token_role role = samples ? TOKEN_SENSOR : heartbeat ? TOKEN_SCREEN : TOKEN_ORGANIZER;
	const struct config_token *who = authorize(api, req, role, res);
	if (!who)
		return;
	if (samples)
		post_samples(api, req, who, res);
	else if (heartbeat)
		post_heartbeat(api, req, who, res);
	else if (strcmp(path, "/v1/schedule") == 0)
		post_schedule(api, req, who, res);
	else
		post_change(api, req, who, res, strcmp(path, "/v1/notices") == 0);
}

size_t api_max_body(const char *path)
{
	return strcmp(path, "/v1/screens/heartbeat") == 0 ? API_MAX_HEARTBEAT : API_MAX_BODY;
}

void api_response_finish(struct api_response *res)
{
	free(res->body);
	res->body = NULL;
}

struct api *api_create(const struct server_config *config, struct store *store,
		       const char *initial_feed, size_t initial_len, int64_t now_ms,
		       struct feed_error *e)
{
	struct api *api = calloc(1, sizeof(*api));
	if (!api || !(api->est = estimator_create()) ||
	    !(api->recent = calloc(RECENT_MAX, sizeof(*api->recent))) ||
	    !(api->recent_t = calloc(RECENT_MAX, sizeof(*api->recent_t)))) {
		api_destroy(api);
		feed_error_set(e, "out of memory");
		return NULL;
	}
	api->config = config;
	api->store = store;
	e->msg[0] = '\0';
	if (!rebuild_schedule(api, e) || !load_screens(api, e))
		goto fail;
	if (!api->schedule_body && initial_feed) {
		struct config_token boot = {.role = TOKEN_ORGANIZER, .name = "startup"};
		struct api_request req = {.method = "POST", .path = "/v1/schedule",
					  .body = initial_feed, .body_len = initial_len,
					  .now_ms = now_ms};
		struct api_response res;
		memset(&res, 0, sizeof(res));
		post_schedule(api, &req, &boot, &res);
		if (res.status != 201) {
			feed_error_set(e, "the startup schedule: %s", res.body ? res.body : "");
			api_response_finish(&res);
			goto fail;
		}
		api_response_finish(&res);
	}
	/* the estimator's state comes back from the stored samples of the day */
	if (!store_each_sample(store, now_ms - 24 * 3600 * 1000LL, take_sample, api, e))
		goto fail;
	return api;
fail:
	api_destroy(api);
	return NULL;
}

void api_destroy(struct api *api)
{
	if (!api)
		return;
	for (size_t k = 0; api->recent && k < api->recent_n; k++)
		free(api->recent[(api->recent_head + k) % RECENT_MAX]);
	free(api->recent);
	free(api->recent_t);
	for (size_t i = 0; api->screens && i < api->n_screens; i++)
		free(api->screens[i].fields);
	free(api->screens);
	estimator_destroy(api->est);
	free(api->schedule_body);
	free(api);
}
