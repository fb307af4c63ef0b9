/* Unit tests for the server's api: every route driven without sockets, on a
 * real SQLite file that is closed and reopened to check what survives. */
#include "test_util.h"

#include "api.h"
#include "blob.h"
#include "civil_time.h"
#include "feed.h"
#include "forecast_record.h"
#include "lunch_sim.h"
#include "queue_sample.h"
#include "schedule.h"
#include "server_config.h"
#include "store.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int64_t NOW = 1415264400000LL; /* 2014-11-06T09:00:00Z */
static char db_path[] = "/tmp/vb-api-test-XXXXXX";
static struct server_config config;
static const char org[] = "Bearer organizer-token-0123456789";
static const char sensor[] = "Bearer sensor-token-0123456789ab";
static const char palais[] = "Bearer screen-token-palais-l2-east";
static const char hall[] = "Bearer screen-token-hall-b-01234567";

struct fixture {
	struct store *store;
	struct api *api;
};

static void open_api(struct fixture *f, bool with_feed)
{
	struct feed_error e = {{0}};
	size_t len = 0;
	char *feed = with_feed ? test_fixture("../../assets/demo/paris-2014.schedule.json", &len) : NULL;
	f->store = store_open(db_path, &e);
	assert_non_null(f->store);
	f->api = api_create(&config, f->store, feed, len, NOW, NULL, &e);
	if (!f->api)
		fail_msg("%s", e.msg);
	free(feed);
}

static void close_api(struct fixture *f)
{
	api_destroy(f->api);
	store_close(f->store);
}

static int setup(void **state)
{
	(void)state;
	int fd = mkstemp(db_path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(db_path);
	char text[1024];
	snprintf(text, sizeof(text), "database %s\nbundle-dir %s.bundles\n"
				     "organizer alice organizer-token-0123456789\n"
				     "sensor door sensor-token-0123456789ab\n"
				     "screen palais-l2-east screen-token-palais-l2-east\n"
				     "screen hall-b screen-token-hall-b-01234567\n", db_path, db_path);
	struct feed_error e;
	return server_config_parse(text, strlen(text), &config, &e) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[64];
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s.bundles", db_path);
	rmdir(p);
	return 0;
}

/* api_handle, and a job (a slow read) run as the server's workers run it,
 * on a database handle of its own. */
static void handle(struct api *api, const struct api_request *req, struct api_response *res)
{
	api_handle(api, req, res);
	if (res->blob) { /* a shared body: the bytes the shell sends */
		assert_null(res->body);
		res->body = strndup(res->blob->data, res->blob->len);
		res->body_len = res->blob->len;
		blob_unref(res->blob);
		res->blob = NULL;
	}
	if (!res->job)
		return;
	struct feed_error e = {{0}};
	struct store *reader = store_open_reader(db_path, &e);
	if (!reader)
		fail_msg("%s", e.msg);
	struct api_job *job = res->job;
	res->job = NULL;
	api_response_finish(res);
	api_job_run(job, reader, res);
	store_close(reader);
}

/* One request; the response body parsed (caller deletes), status returned. */
static int call_query(struct api *api, const char *method, const char *path, const char *query,
		      const char *auth, const char *body, const char *inm, cJSON **json,
		      char etag[24])
{
	struct api_request req = {.method = method, .path = path, .query = query,
				  .authorization = auth, .body = body ? body : "",
				  .body_len = body ? strlen(body) : 0, .if_none_match = inm,
				  .now_ms = NOW};
	struct api_response res;
	handle(api, &req, &res);
	if (json)
		*json = res.body ? cJSON_Parse(res.body) : NULL;
	if (etag)
		memcpy(etag, res.etag, 24);
	int status = res.status;
	if (status >= 400) {
		cJSON *err = res.body ? cJSON_Parse(res.body) : NULL;
		if (!cJSON_IsString(cJSON_GetObjectItem(err, "error")))
			fail_msg("%s %s: %d without a JSON error", method, path, status);
		cJSON_Delete(err);
	}
	api_response_finish(&res);
	return status;
}

static int call(struct api *api, const char *method, const char *path, const char *auth,
		const char *body, const char *inm, cJSON **json, char etag[24])
{
	return call_query(api, method, path, NULL, auth, body, inm, json, etag);
}

/* GET /v1/queues?query: the body as sent (caller frees), status returned. */
static int get_queues_raw(struct api *api, const char *query, char **body)
{
	struct api_request req = {.method = "GET", .path = "/v1/queues", .query = query,
				  .now_ms = NOW};
	struct api_response res;
	handle(api, &req, &res);
	*body = res.body ? strndup(res.body, res.body_len) : NULL;
	assert_non_null(*body);
	assert_int_equal(strlen(*body), res.body_len);
	int status = res.status;
	api_response_finish(&res);
	return status;
}

/* GET /v1/audit's list (caller deletes). */
static cJSON *audit_of(struct api *api)
{
	cJSON *doc;
	assert_int_equal(call(api, "GET", "/v1/audit", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *audit = cJSON_DetachItemFromObject(doc, "audit");
	cJSON_Delete(doc);
	assert_non_null(audit);
	return audit;
}

static int audit_size(struct api *api)
{
	cJSON *audit = audit_of(api);
	int n = cJSON_GetArraySize(audit);
	cJSON_Delete(audit);
	return n;
}

static const char *room_of(cJSON *doc, const char *id)
{
	cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(doc, "sessions"))
		if (strcmp(cJSON_GetObjectItem(s, "id")->valuestring, id) == 0)
			return cJSON_GetObjectItem(s, "room")->valuestring;
	return NULL;
}

static void test_schedule_changes_and_restart(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	cJSON *doc;
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "sessions")), 149);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 0);
	assert_string_equal(cJSON_GetObjectItem(doc, "format")->valuestring, "venueboard.schedule/1");
	cJSON_Delete(doc);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	/* writes need the organizer's token; a refused write changes nothing */
	const char move[] = "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\"}";
	assert_int_equal(call(f.api, "POST", "/v1/changes", NULL, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", sensor, move, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", "Bearer wrong-token-0000000000", move, NULL,
			      NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"move\",\"session\":\"9999\",\"room\":\"X\"}", NULL, NULL, NULL),
			 422);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"teleport\"}", NULL,
			      NULL, NULL), 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "not json", NULL, NULL, NULL), 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":\"tomorrow\","
			      "\"end\":\"2014-11-05T12:00:00+01:00\"}", NULL, NULL, NULL), 400);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, NULL, NULL), 304);

	assert_int_equal(call(f.api, "POST", "/v1/changes", org, move, NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"reschedule\",\"session\":\"4211\",\"start\":"
			      "\"2014-11-06T17:40:00+01:00\",\"end\":\"2014-11-06T18:20:00+01:00\"}",
			      NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch line at Le M\xC3\xA9ridien: use the second buffet "
			      "upstairs\"}", NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, etag, &doc, etag2), 200);
	assert_string_not_equal(etag, etag2);
	assert_string_equal(room_of(doc, "4184"), "salle-243");
	cJSON *changes = cJSON_GetObjectItem(doc, "changes");
	assert_int_equal(cJSON_GetArraySize(changes), 3);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(changes, 0), "kind")->valuestring,
			    "moved");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "notices")), 1);
	assert_null(cJSON_GetObjectItem(doc, "audit")); /* the desk's, not the kiosks' */
	cJSON_Delete(doc);
	cJSON *audit = audit_of(f.api);
	assert_int_equal(cJSON_GetArraySize(audit), 4);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "who")->valuestring,
			    "alice");
	/* in words: the session and where it went */
	const char *what = cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "what")->valuestring;
	if (!strstr(what, "move session 4184 ('") || !strstr(what, "') to Salle 243"))
		fail_msg("what: %s", what);
	cJSON_Delete(audit);

	/* undo the move: once */
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL), 200);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":1}",
			      NULL, NULL, NULL), 409);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag), 200);
	assert_string_equal(room_of(doc, "4184"), "salle-251");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 2);
	cJSON_Delete(doc);
	audit = audit_of(f.api);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "undone")));
	cJSON_Delete(audit);

	/* everything acknowledged is there after a restart, byte for byte */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);
}

static void test_samples_all_or_nothing(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	const char batch[] =
		"{\"type\":\"queue\",\"queue\":\"meridien\",\"name\":\"Le M\xC3\xA9ridien\",\"stations\":2,"
		"\"service_s\":60}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T08:59:00Z\",\"total\":100}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
		"\"t\":\"2014-11-06T08:59:00Z\",\"total\":50}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T09:00:00Z\",\"total\":110}\n"
		"{\"type\":\"room\",\"room\":\"Salle 252B\",\"sensor\":\"cam\","
		"\"t\":\"2014-11-06T09:00:00Z\",\"people\":200}\n"
		"{\"type\":\"weather\",\"queue\":\"meridien\"}\n";
	cJSON *doc;
	assert_int_equal(call(f.api, "POST", "/v1/samples", org, batch, NULL, NULL, NULL), 401);
	assert_int_equal(call(f.api, "POST", "/v1/samples", sensor, batch, NULL, &doc, NULL), 200);
	assert_int_equal(cJSON_GetObjectItem(doc, "accepted")->valueint, 5); /* the room count too */
	assert_int_equal(cJSON_GetObjectItem(doc, "skipped")->valueint, 1);
	cJSON_Delete(doc);
	/* one bad line refuses the batch, naming it; nothing of it is kept */
	const char bad[] = "{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":"
			   "\"entry\",\"t\":\"2014-11-06T08:59:50Z\",\"total\":500}\n"
			   "{\"type\":\"count\",\"queue\":\"meridien\"}\n";
	struct api_request req = {.method = "POST", .path = "/v1/samples", .authorization = sensor,
				  .body = bad, .body_len = strlen(bad), .now_ms = NOW};
	struct api_response res;
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.body, "line 2"));
	api_response_finish(&res);
	assert_int_equal(call(f.api, "GET", "/v1/queues", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *q = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), 0);
	assert_string_equal(cJSON_GetObjectItem(q, "queue")->valuestring, "meridien");
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 10); /* not 400 */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "queues")), 1); /* no room */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "samples")), 5);
	cJSON_Delete(doc);
	/* the estimator comes back from the store */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/queues", NULL, NULL, NULL, &doc, NULL), 200);
	q = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), 0);
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 10);
	cJSON_Delete(doc);
	close_api(&f);
}

static void test_routes_and_limits(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	assert_int_equal(call(f.api, "GET", "/nope", NULL, NULL, NULL, NULL, NULL), 404);
	assert_int_equal(call(f.api, "DELETE", "/v1/schedule", NULL, NULL, NULL, NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/v1/changes", NULL, NULL, NULL, NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/healthz", NULL, NULL, NULL, NULL, NULL), 200);
	struct api_request req = {.method = "GET", .path = "/metrics", .now_ms = NOW};
	struct api_response res;
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "venueboard_requests_total"));
	api_response_finish(&res);
	req = (struct api_request){.method = "POST", .path = "/v1/samples", .authorization = sensor,
				   .body = "", .body_len = API_MAX_BODY + 1, .now_ms = NOW};
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 413);
	api_response_finish(&res);
	/* publishing something that is not a schedule is refused, naming why */
	assert_int_equal(call(f.api, "POST", "/v1/schedule", org, "{\"hello\":1}", NULL, NULL, NULL),
			 422);
	close_api(&f);
}

/* Queue samples for GET /v1/queues, posted in two batches out of time order;
 * at is the sample time in ms relative to NOW (2014-11-06T09:00:00Z), 0 with
 * decl for a declaration. Lines are written as cJSON prints them, so the
 * answer must repeat them byte for byte. */
static const struct fixture_sample {
	const char *line;
	int batch;
	bool decl;
	int64_t at;
} samples[] = {
	{"{\"type\":\"queue\",\"queue\":\"meridien\",\"stations\":2,\"service_s\":60}", 1, true, 0},
	{"{\"type\":\"queue\",\"queue\":\"hilton\",\"stations\":1,\"service_s\":45}", 1, true, 0},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:50:00Z\",\"total\":101}", 1, false, -600000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
	 "\"t\":\"2014-11-06T08:50:00Z\",\"total\":102}", 1, false, -600000},
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T09:45:00+01:00\",\"total\":103}", 1, false, -900000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:29:59.999Z\",\"total\":104}", 1, false, -1800001},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T09:30:00+01:00\",\"total\":105}", 1, false, -1800000},
	/* the basic form: SQLite's date functions do not read it */
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"20141106T083500Z\",\"total\":106}", 1, false, -1500000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-05T09:00:00Z\",\"total\":107}", 1, false, -86400000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-05T08:59:59Z\",\"total\":108}", 1, false, -86401000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:55:00Z\",\"total\":109}", 2, false, -300000},
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:40:00.5+00:00\",\"total\":110}", 2, false, -1199500},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
	 "\"t\":\"2014-11-06T09:00:00Z\",\"total\":111}", 2, false, 0},
	{"{\"type\":\"stations\",\"queue\":\"hilton\",\"t\":\"2014-11-06T08:31:00Z\",\"open\":2}", 2,
	 false, -1740000},
};
enum { N_SAMPLES = sizeof(samples) / sizeof(*samples) };

static void post_fixture_samples(struct api *api)
{
	for (int batch = 1; batch <= 2; batch++) {
		char body[4096] = "";
		size_t o = 0;
		for (size_t i = 0; i < N_SAMPLES; i++)
			if (samples[i].batch == batch)
				o += (size_t)snprintf(body + o, sizeof(body) - o, "%s\n", samples[i].line);
		assert_true(o < sizeof(body));
		assert_int_equal(call(api, "POST", "/v1/samples", sensor, body, NULL, NULL, NULL), 200);
	}
}

static const char *queue_of(const char *line)
{
	return strstr(line, "\"queue\":\"hilton\"") ? "hilton" : "meridien";
}

/* What ?since must answer: the declarations of the wanted queues (NULL: all)
 * in stored order, then their lines at or after since (relative to NOW) in
 * time order, equal times in stored order. */
static size_t expected_since(int64_t since, const char *only, const char **out)
{
	const struct fixture_sample *timed[N_SAMPLES];
	size_t n = 0, nt = 0;
	for (size_t i = 0; i < N_SAMPLES; i++)
		if (samples[i].decl && (!only || strcmp(queue_of(samples[i].line), only) == 0))
			out[n++] = samples[i].line;
	for (int batch = 1; batch <= 2; batch++) /* stored order */
		for (size_t i = 0; i < N_SAMPLES; i++) {
			const struct fixture_sample *x = &samples[i];
			if (x->batch != batch || x->decl || x->at < since ||
			    (only && strcmp(queue_of(x->line), only) != 0))
				continue;
			size_t j = nt++; /* insertion sort: stable */
			for (; j > 0 && timed[j - 1]->at > x->at; j--)
				timed[j] = timed[j - 1];
			timed[j] = x;
		}
	for (size_t i = 0; i < nt; i++)
		out[n++] = timed[i]->line;
	return n;
}

static void assert_samples(cJSON *doc, const char *const *want, size_t n, const char *query)
{
	cJSON *got = cJSON_GetObjectItem(doc, "samples");
	if ((size_t)cJSON_GetArraySize(got) != n)
		fail_msg("%s: %d samples, expected %zu", query, cJSON_GetArraySize(got), n);
	size_t i = 0;
	cJSON *x;
	cJSON_ArrayForEach(x, got) {
		char *text = cJSON_PrintUnformatted(x);
		if (strcmp(text, want[i]) != 0)
			fail_msg("%s: sample %zu is %s, expected %s", query, i, text, want[i]);
		free(text);
		i++;
	}
}

static void test_queues_since(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	post_fixture_samples(f.api);
	static const struct {
		const char *query;
		int64_t since; /* relative to NOW */
		const char *only;
	} cases[] = {
		{"since=2014-11-06T08:30:00Z", -1800000, NULL},
		{"since=2014-11-06T09%3A30%3A00%2B01%3A00", -1800000, NULL},
		{"since=2014-11-06T09:30:00+01:00", -1800000, NULL},
		{"since=2014-11-06T09:30:00%2001:00", -1800000, NULL}, /* '+' form-decoded */
		{"since=2014-11-06T08:30:00.001Z", -1799999, NULL},
		{"since=2014-11-06T08:40:00.5Z", -1199500, NULL},
		{"since=2014-11-06T08:40:00.501Z", -1199499, NULL},
		{"since=2014-11-06T10:00:00Z", 3600000, NULL},
		/* at most a day before the newest sample (NOW) */
		{"since=2014-11-05T08:59:59Z", -86400000, NULL},
		{"since=1999-01-01T00:00:00-05:00", -86400000, NULL},
		{"queue=hilton&since=2014-11-06T08:30:00Z", -1800000, "hilton"},
		{"since=2014-11-06T08:30:00Z&queue=nowhere,meridien", -1800000, "meridien"},
		{"since=2014-11-06T08:30:00Z&queue=nowhere&queue=meridien&x=1", -1800000, "meridien"},
		{"since=2014-11-06T08:30:00Z&queue=nowhere", -1800000, "nowhere"},
	};
	for (int pass = 0; pass < 2; pass++) { /* and again from the store after a restart */
		char *plain;
		assert_int_equal(get_queues_raw(f.api, NULL, &plain), 200);
		cJSON *plain_doc = cJSON_Parse(plain);
		for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
			cJSON *doc;
			assert_int_equal(call_query(f.api, "GET", "/v1/queues", cases[c].query, NULL, NULL,
						    NULL, &doc, NULL), 200);
			const char *want[N_SAMPLES];
			size_t n = expected_since(cases[c].since, cases[c].only, want);
			assert_samples(doc, want, n, cases[c].query);
			assert_null(cJSON_GetObjectItem(doc, "truncated"));
			assert_null(cJSON_GetObjectItem(doc, "next_since"));
			/* t and the estimates are the plain answer's (those asked for) */
			assert_string_equal(cJSON_GetObjectItem(doc, "t")->valuestring,
					    cJSON_GetObjectItem(plain_doc, "t")->valuestring);
			cJSON *q;
			int nq = 0;
			cJSON_ArrayForEach(q, cJSON_GetObjectItem(plain_doc, "queues")) {
				const char *id = cJSON_GetObjectItem(q, "queue")->valuestring;
				if (cases[c].only && strcmp(id, cases[c].only) != 0)
					continue;
				assert_true(cJSON_Compare(
					q, cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), nq++),
					true));
			}
			assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "queues")), nq);
			cJSON_Delete(doc);
		}
		cJSON_Delete(plain_doc);
		free(plain);
		close_api(&f);
		open_api(&f, false);
	}
	close_api(&f);
}

static void test_queues_filter_and_default(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	post_fixture_samples(f.api);
	/* without parameters: exactly the answer kiosks have had so far — t,
	 * queues, then the declarations and the samples of the last 15 minutes
	 * in stored order, nothing added */
	char *plain;
	assert_int_equal(get_queues_raw(f.api, NULL, &plain), 200);
	cJSON *doc = cJSON_Parse(plain);
	char *queues = cJSON_PrintUnformatted(cJSON_GetObjectItem(doc, "queues"));
	char want[8192];
	size_t o = (size_t)snprintf(want, sizeof(want),
				    "{\"t\":\"2014-11-06T09:00:00Z\",\"queues\":%s,\"samples\":[", queues);
	for (int batch = 1; batch <= 2; batch++)
		for (size_t i = 0; i < N_SAMPLES; i++)
			if (samples[i].batch == batch &&
			    (samples[i].decl || samples[i].at >= -API_RECENT_SAMPLE_S * 1000LL))
				o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%s",
						      want[o - 1] == '[' ? "" : ",", samples[i].line);
	snprintf(want + o, sizeof(want) - o, "]}");
	assert_string_equal(plain, want);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "queues")), 2);
	free(queues);
	/* an empty query and unknown parameters change nothing */
	const char *same[] = {"", "&", "x=1", "since2=yesterday&q=hilton", "x=%zz"};
	for (size_t i = 0; i < sizeof(same) / sizeof(*same); i++) {
		char *body;
		assert_int_equal(get_queues_raw(f.api, same[i], &body), 200);
		assert_string_equal(body, plain);
		free(body);
	}
	/* queue= alone: the default answer, narrowed */
	static const struct {
		const char *query;
		const char *only[2];
	} cases[] = {
		{"queue=hilton", {"hilton", NULL}},
		{"queue=hilton&queue=meridien", {"hilton", "meridien"}},
		{"queue=meridien%2Chilton", {"hilton", "meridien"}},
		{"queue=meridien,nowhere", {"meridien", NULL}},
		{"queue=nowhere", {NULL, NULL}},
		{"queue=", {NULL, NULL}},
		{"queue=HILTON", {NULL, NULL}},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		cJSON *got;
		assert_int_equal(call_query(f.api, "GET", "/v1/queues", cases[c].query, NULL, NULL,
					    NULL, &got, NULL), 200);
		const char *keys[] = {"queues", "samples"};
		for (int k = 0; k < 2; k++) {
			cJSON *all = cJSON_GetObjectItem(doc, keys[k]);
			cJSON *some = cJSON_GetObjectItem(got, keys[k]);
			int n = 0;
			cJSON *x;
			cJSON_ArrayForEach(x, all) {
				const char *id = cJSON_GetObjectItem(x, "queue")->valuestring;
				bool wanted = (cases[c].only[0] && strcmp(id, cases[c].only[0]) == 0) ||
					      (cases[c].only[1] && strcmp(id, cases[c].only[1]) == 0);
				if (!wanted)
					continue;
				if (!cJSON_Compare(x, cJSON_GetArrayItem(some, n++), true))
					fail_msg("%s: %s item %d differs", cases[c].query, keys[k], n - 1);
			}
			if (cJSON_GetArraySize(some) != n)
				fail_msg("%s: %d %s, expected %d", cases[c].query,
					 cJSON_GetArraySize(some), keys[k], n);
		}
		cJSON_Delete(got);
	}
	cJSON_Delete(doc);
	free(plain);
	close_api(&f);
}

static void test_queues_bad_query(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	post_fixture_samples(f.api);
	char many[512] = "", long_value[300] = "queue=";
	for (int i = 0; i < API_MAX_QUERY_PARAMS + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sq%d=1", i ? "&" : "", i);
	memset(long_value + 6, 'a', API_MAX_QUERY_VALUE + 1);
	static const char *const since_bad[] = {
		"since=yesterday",
		"since=",
		"since",
		"since=2014-11-06",
		"since=2014-11-06T11:00:00",        /* no offset */
		"since=2014-11-06T25:00:00Z",
		"since=2014-11-06T11:00:00Z&since=2014-11-06T12:00:00Z",
		"since=2014-11-06T11:00:00Z%",
		"since=2014-11-06T11%3G00:00Z",
		"since=2014-11-06T11:00:00Z%00",
		"queue=meridien&since=1415264400",
	};
	for (size_t i = 0; i < sizeof(since_bad) / sizeof(*since_bad); i++) {
		cJSON *doc;
		struct api_request req = {.method = "GET", .path = "/v1/queues",
					  .query = since_bad[i], .now_ms = NOW};
		struct api_response res;
		handle(f.api, &req, &res);
		if (res.status != 400)
			fail_msg("%s: %d", since_bad[i], res.status);
		doc = cJSON_Parse(res.body);
		const char *msg = cJSON_GetObjectItem(doc, "error")->valuestring;
		if (strncmp(msg, "since: ", 7) != 0)
			fail_msg("%s: '%s' does not name since", since_bad[i], msg);
		cJSON_Delete(doc);
		api_response_finish(&res);
	}
	cJSON *doc;
	assert_int_equal(call_query(f.api, "GET", "/v1/queues", many, NULL, NULL, NULL, &doc, NULL),
			 400);
	assert_non_null(strstr(cJSON_GetObjectItem(doc, "error")->valuestring, "parameters"));
	cJSON_Delete(doc);
	assert_int_equal(call_query(f.api, "GET", "/v1/queues", long_value, NULL, NULL, NULL, &doc,
				    NULL), 400);
	assert_non_null(strstr(cJSON_GetObjectItem(doc, "error")->valuestring, "queue: "));
	cJSON_Delete(doc);
	/* 16 parameters and 128-byte values are fine */
	many[strlen(many) - strlen("&q16=1")] = '\0';
	long_value[6 + API_MAX_QUERY_VALUE] = '\0';
	assert_int_equal(call_query(f.api, "GET", "/v1/queues", many, NULL, NULL, NULL, NULL, NULL),
			 200);
	assert_int_equal(call_query(f.api, "GET", "/v1/queues", long_value, NULL, NULL, NULL, NULL,
				    NULL), 200);
	close_api(&f);
}

/* More timed lines than one answer holds: the oldest come first, cut at a
 * whole second, and next_since picks up exactly where the answer stopped. */
static void test_queues_since_truncated(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	enum { N = API_MAX_SINCE_SAMPLES + 10 };
	const int64_t base = NOW / 1000 - 20 * 3600; /* t(i) = base + 0.6 s + i * 0.25 s */
	char **lines = calloc(N + 1, sizeof(*lines));
	assert_non_null(lines);
	lines[0] = strdup("{\"type\":\"queue\",\"queue\":\"big\",\"stations\":1,\"service_s\":30}");
	for (int i = 0; i < N; i++) {
		/* stored newest first: the answer must sort */
		int k = N - 1 - i;
		int64_t ms = base * 1000 + 600 + 250LL * k;
		char t[21], line[160];
		civil_format_utc(ms / 1000, t);
		t[19] = '\0';
		snprintf(line, sizeof(line),
			 "{\"type\":\"count\",\"queue\":\"big\",\"sensor\":\"in\",\"role\":\"entry\","
			 "\"t\":\"%s.%03dZ\",\"total\":%d}", t, (int)(ms % 1000), k);
		lines[i + 1] = strdup(line);
	}
	struct feed_error e = {{0}};
	assert_true(store_add_samples(f.store, (const char *const *)lines, N + 1, "test", NOW, &e));
	for (int i = 0; i <= N; i++)
		free(lines[i]);
	free(lines);
	close_api(&f); /* the api learns the newest sample from the store */
	open_api(&f, false);

	char since[64], t[21];
	civil_format_utc(base, t);
	snprintf(since, sizeof(since), "since=%s", t);
	int next = 0; /* the total (index) the next line must have */
	for (int round = 0; round < 2; round++) {
		cJSON *doc;
		assert_int_equal(call_query(f.api, "GET", "/v1/queues", since, NULL, NULL, NULL, &doc,
					    NULL), 200);
		cJSON *x, *arr = cJSON_GetObjectItem(doc, "samples");
		bool decl = true;
		cJSON_ArrayForEach(x, arr) {
			if (decl) { /* the declaration, first each time */
				assert_string_equal(cJSON_GetObjectItem(x, "type")->valuestring, "queue");
				decl = false;
				continue;
			}
			if (cJSON_GetObjectItem(x, "total")->valueint != next)
				fail_msg("round %d: total %d, expected %d", round,
					 cJSON_GetObjectItem(x, "total")->valueint, next);
			next++;
		}
		if (round == 0) {
			/* with 50 000 lines a page, line 49 999 is at base + 12 500.35 s,
			 * 49 998 at 12 500.1 s: both in the second of the first line left
			 * out (50 000, at 12 500.6 s) */
			assert_int_equal(next, API_MAX_SINCE_SAMPLES - 2);
			assert_true(cJSON_IsTrue(cJSON_GetObjectItem(doc, "truncated")));
			civil_format_utc(base + API_MAX_SINCE_SAMPLES / 4, t);
			assert_string_equal(cJSON_GetObjectItem(doc, "next_since")->valuestring, t);
			snprintf(since, sizeof(since), "queue=big&since=%s",
				 cJSON_GetObjectItem(doc, "next_since")->valuestring);
		} else {
			assert_int_equal(next, N);
			assert_null(cJSON_GetObjectItem(doc, "truncated"));
			assert_null(cJSON_GetObjectItem(doc, "next_since"));
		}
		cJSON_Delete(doc);
	}
	close_api(&f);
}

/* ---- screens ---------------------------------------------------------------- */

/* One request at now_ms, the response as the api made it (caller:
 * api_response_finish). An error must be a JSON error. */
static void request_at(struct api *api, int64_t now_ms, const char *method, const char *path,
		       const char *auth, const char *body, const char *inm, struct api_response *res)
{
	struct api_request req = {.method = method, .path = path, .authorization = auth,
				  .body = body ? body : "", .body_len = body ? strlen(body) : 0,
				  .if_none_match = inm, .now_ms = now_ms};
	handle(api, &req, res);
	if (res->status >= 400) {
		cJSON *err = res->body ? cJSON_ParseWithLength(res->body, res->body_len) : NULL;
		if (!cJSON_IsString(cJSON_GetObjectItem(err, "error")))
			fail_msg("%s %s: %d without a JSON error", method, path, res->status);
		cJSON_Delete(err);
	}
}

/* POST /v1/screens/heartbeat at now_ms; the status. log (may be NULL)
 * receives the INFO line. */
static int heartbeat_at(struct api *api, int64_t now_ms, const char *auth, const char *body,
			char log[320])
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/screens/heartbeat", auth, body, NULL, &res);
	if (res.status == 204 && (res.body || res.body_len))
		fail_msg("204 with a body");
	if (log)
		memcpy(log, res.log, sizeof(res.log));
	int status = res.status;
	api_response_finish(&res);
	return status;
}

/* GET /v1/screens at now_ms: the body as sent (caller frees). */
static char *screens_at(struct api *api, int64_t now_ms)
{
	struct api_response res;
	request_at(api, now_ms, "GET", "/v1/screens", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "application/json");
	assert_string_equal(res.cache_control, "no-cache");
	char *body = strndup(res.body, res.body_len);
	assert_int_equal(strlen(body), res.body_len);
	api_response_finish(&res);
	return body;
}

/* The heartbeat of palais-l2-east as a kiosk would send it. */
static char *palais_heartbeat(const char *version, bool thumbnail)
{
	char *b64 = text_base64(test_tiny_png, test_tiny_png_len);
	assert_non_null(b64);
	char *body = malloc(strlen(b64) + 400);
	assert_non_null(body);
	snprintf(body, strlen(b64) + 400,
		 "{\"version\":\"%s\",\"uptime_s\":3600,\"feed_age_s\":42,\"offline\":false,"
		 "\"showing\":\"page 2/5\",\"schedule_version\":3,\"kiosk\":{\"unknown\":[1]}%s%s%s}",
		 version, thumbnail ? ",\"thumbnail\":\"" : "", thumbnail ? b64 : "",
		 thumbnail ? "\"" : "");
	free(b64);
	return body;
}

/* GET /v1/screens at now_ms, when palais_heartbeat("1.4.2", true) came at NOW. */
static void palais_listed(char *out, size_t cap, int64_t now_ms, int age_s, const char *state)
{
	char t[21];
	civil_format_utc(now_ms / 1000, t);
	snprintf(out, cap,
		 "{\"t\":\"%s\",\"screens\":[{\"screen\":\"palais-l2-east\","
		 "\"last_seen\":\"2014-11-06T09:00:00Z\",\"age_s\":%d,\"version\":\"1.4.2\","
		 "\"uptime_s\":3600,\"feed_age_s\":42,\"offline\":false,\"showing\":\"page 2/5\","
		 "\"schedule_version\":3,\"slot\":null,\"update\":null,\"image\":null,\"feed_error\":null,\"thumbnail\":\"/v1/screens/palais-l2-east/thumbnail.png\","
		 "\"state\":\"%s\"}]}",
		 t, age_s, state);
}

/* The thumbnail of screen as served: status; the bytes must be test_tiny_png. */
static int get_thumbnail_at(struct api *api, const char *screen, const char *method,
			    const char *inm, char etag[24])
{
	char path[128];
	snprintf(path, sizeof(path), "/v1/screens/%s/thumbnail.png", screen);
	struct api_response res;
	request_at(api, NOW, method, path, NULL, NULL, inm, &res);
	if (res.status == 200) {
		assert_string_equal(res.content_type, "image/png");
		assert_string_equal(res.cache_control, "no-cache");
		assert_int_equal(res.body_len, test_tiny_png_len);
		assert_memory_equal(res.body, test_tiny_png, test_tiny_png_len);
		assert_true(res.etag[0] == '"');
	}
	if (etag)
		memcpy(etag, res.etag, 24);
	int status = res.status;
	api_response_finish(&res);
	return status;
}

static void test_screens_heartbeat(void **state)
{
	(void)state;
	struct fixture f;
	/* a database from before screens existed (and before files said their
	 * schema version: user_version 0) gains the table */
	open_api(&f, true);
	close_api(&f);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE screens; PRAGMA user_version = 0", NULL, NULL,
				      NULL), SQLITE_OK);
	sqlite3_close(db);
	open_api(&f, false);

	char *list = screens_at(f.api, NOW);
	assert_string_equal(list, "{\"t\":\"2014-11-06T09:00:00Z\",\"screens\":[]}");
	free(list);
	cJSON *doc;
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);

	/* only the screen's own token */
	char *hb = palais_heartbeat("1.4.2", true);
	const char *refused[] = {NULL, "", "Bearer ", "Bearer wrong-token-0000000000", org, sensor,
				 "screen-token-palais-l2-east", "Basic screen-token-palais-l2-east"};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (heartbeat_at(f.api, NOW, refused[i], hb, NULL) != 401)
			fail_msg("heartbeat with '%s' was not refused", refused[i] ? refused[i] : "");
	list = screens_at(f.api, NOW);
	assert_non_null(strstr(list, "\"screens\":[]"));
	free(list);

	char log[320];
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb, log), 200);
	assert_string_equal(log, "heartbeat from palais-l2-east: 1.4.2, page 2/5, feed age 42 s");
	char want[1024];
	list = screens_at(f.api, NOW + 999);
	palais_listed(want, sizeof(want), NOW, 0, "ok");
	assert_string_equal(list, want);
	free(list);

	/* not a change: the schedule, its change list and its audit are as they were */
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, etag2), 200);
	assert_string_equal(etag, etag2);
	assert_int_equal(audit_size(f.api), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "changes")), 0);
	cJSON_Delete(doc);

	/* the thumbnail, byte for byte; only for configured screens that sent one */
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, etag), 200);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "HEAD", NULL, NULL), 200);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", etag, NULL), 304);
	assert_int_equal(get_thumbnail_at(f.api, "hall-b", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "alice", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "PALAIS-L2-EAST", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "x/palais-l2-east", "GET", NULL, NULL), 404);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "POST", NULL, NULL), 405);
	assert_int_equal(call(f.api, "GET", "/v1/screens/palais-l2-east/thumbnail.jpg", NULL, NULL,
			      NULL, NULL, NULL), 404);
	assert_int_equal(call(f.api, "GET", "/v1/screens/heartbeat", NULL, NULL, NULL, NULL, NULL),
			 405);
	assert_int_equal(call(f.api, "POST", "/v1/screens", palais, hb, NULL, NULL, NULL), 405);

	/* stale after 120 s without a word */
	list = screens_at(f.api, NOW + 120000);
	palais_listed(want, sizeof(want), NOW + 120000, 120, "ok");
	assert_string_equal(list, want);
	free(list);
	list = screens_at(f.api, NOW + 121000);
	palais_listed(want, sizeof(want), NOW + 121000, 121, "stale");
	assert_string_equal(list, want);
	free(list);
	struct api_response res;
	request_at(f.api, NOW + 121000, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "# TYPE venueboard_screen_last_seen_age_seconds gauge\n"
					 "venueboard_screen_last_seen_age_seconds{screen=\"palais-l2-east\"} "
					 "121.0\n"));
	assert_null(strstr(res.body, "hall-b"));
	api_response_finish(&res);

	/* a second screen, offline, with nothing else to say; listed by name */
	assert_int_equal(heartbeat_at(f.api, NOW + 60000, hall,
				      "{\"offline\":true,\"feed_age_s\":null,"
				      "\"showing\":\"waiting for the schedule\"}", log), 200);
	assert_string_equal(log, "heartbeat from hall-b: ?, waiting for the schedule, no schedule, "
				 "offline");
	assert_int_equal(call(f.api, "GET", "/healthz", NULL, NULL, NULL, &doc, NULL), 200);
	assert_int_equal(cJSON_GetObjectItem(doc, "screens")->valueint, 2);
	cJSON_Delete(doc);
	list = screens_at(f.api, NOW + 90000);
	doc = cJSON_Parse(list);
	free(list);
	cJSON *screens = cJSON_GetObjectItem(doc, "screens");
	assert_int_equal(cJSON_GetArraySize(screens), 2);
	cJSON *h = cJSON_GetArrayItem(screens, 0);
	assert_string_equal(cJSON_GetObjectItem(h, "screen")->valuestring, "hall-b");
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "offline");
	assert_int_equal(cJSON_GetObjectItem(h, "age_s")->valueint, 30);
	const char *nulls[] = {"version", "uptime_s", "feed_age_s", "schedule_version", "thumbnail"};
	for (size_t i = 0; i < sizeof(nulls) / sizeof(*nulls); i++)
		if (!cJSON_IsNull(cJSON_GetObjectItem(h, nulls[i])))
			fail_msg("hall-b: %s is not null", nulls[i]);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(screens, 1), "screen")->valuestring,
			    "palais-l2-east");
	cJSON_Delete(doc);
	/* a dead screen is stale, whatever it said last */
	list = screens_at(f.api, NOW + 60000 + 121000);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "stale");
	cJSON_Delete(doc);
	/* a feed that answers with no schedule: the screen is up, its feed fails */
	assert_int_equal(heartbeat_at(f.api, NOW + 200000, hall,
				      "{\"offline\":false,\"feed_error\":\"schedule: not valid JSON "
				      "(line 1)\"}", NULL), 200);
	list = screens_at(f.api, NOW + 200000);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 0);
	assert_string_equal(cJSON_GetObjectItem(h, "state")->valuestring, "failing");
	assert_string_equal(cJSON_GetObjectItem(h, "feed_error")->valuestring,
			    "schedule: not valid JSON (line 1)");
	cJSON_Delete(doc);

	/* each heartbeat replaces the last whole: one without a thumbnail clears it */
	char *hb2 = palais_heartbeat("1.4.3", false);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb2, NULL), 200);
	free(hb2);
	list = screens_at(f.api, NOW);
	doc = cJSON_Parse(list);
	free(list);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "screens"), 1);
	assert_string_equal(cJSON_GetObjectItem(h, "version")->valuestring, "1.4.3");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(h, "thumbnail")));
	cJSON_Delete(doc);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, NULL), 404);
	/* served by length, not as a C string: 35 bytes without a NUL */
	static const char no_nul[] = "\x89PNG\r\n\x1a\nnot a NUL in these 23 bytes";
	char *no_nul_b64 = text_base64((const unsigned char *)no_nul, strlen(no_nul));
	assert_non_null(no_nul_b64);
	char no_nul_hb[128];
	snprintf(no_nul_hb, sizeof(no_nul_hb), "{\"thumbnail\":\"%s\"}", no_nul_b64);
	free(no_nul_b64);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, no_nul_hb, NULL), 200);
	request_at(f.api, NOW, "GET", "/v1/screens/palais-l2-east/thumbnail.png", NULL, NULL, NULL,
		   &res);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body_len, strlen(no_nul));
	assert_memory_equal(res.body, no_nul, strlen(no_nul));
	api_response_finish(&res);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, hb, NULL), 200);
	free(hb);

	/* all of it survives a restart, byte for byte */
	char *before = screens_at(f.api, NOW + 5000);
	close_api(&f);
	open_api(&f, false);
	char *after = screens_at(f.api, NOW + 5000);
	assert_string_equal(before, after);
	free(after);
	assert_int_equal(get_thumbnail_at(f.api, "palais-l2-east", "GET", NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);

	/* a screen taken out of the configuration is no longer shown */
	static struct server_config fewer;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n"
				   "screen palais-l2-east screen-token-palais-l2-east\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &fewer, &e));
	f.store = store_open(db_path, &e);
	assert_non_null(f.store);
	f.api = api_create(&fewer, f.store, NULL, 0, NOW, NULL, &e);
	assert_non_null(f.api);
	after = screens_at(f.api, NOW + 5000);
	assert_null(strstr(after, "hall-b"));
	assert_non_null(strstr(before, "hall-b"));
	assert_non_null(strstr(after, "\"screen\":\"palais-l2-east\""));
	assert_int_equal(heartbeat_at(f.api, NOW, hall, "{}", NULL), 401);
	assert_int_equal(get_thumbnail_at(f.api, "hall-b", "GET", NULL, NULL), 404);
	free(after);
	free(before);
	close_api(&f);
}

/* Who a connection's token is, and whether a reload left it standing: a
 * token removed, rotated or given another role does not (issue 19). */
static void test_identity_after_reload(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	struct api_identity screen, organizer, none;
	assert_true(api_identify(f.api, palais, &screen));
	assert_int_equal(screen.role, TOKEN_SCREEN);
	assert_string_equal(screen.name, "palais-l2-east");
	assert_true(api_identify(f.api, org, &organizer));
	assert_int_equal(organizer.role, TOKEN_ORGANIZER);
	assert_false(api_identify(f.api, "Bearer not-a-token-of-this-server", &none));
	assert_int_equal(none.role, -1);
	assert_false(api_identify(f.api, NULL, &none));
	assert_false(api_identity_current(f.api, &none));
	assert_true(api_identity_current(f.api, &screen));
	assert_true(api_identity_current(f.api, &organizer));
	/* the reload: alice's secret rotated, palais-l2-east now a sensor's name */
	static struct server_config next;
	static const char text[] = "database x\norganizer alice organizer-token-rotated-98765\n"
				   "sensor palais-l2-east screen-token-palais-l2-east\n"
				   "screen hall-b screen-token-hall-b-01234567\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &next, &e));
	struct api_identity hall_id;
	assert_true(api_identify(f.api, hall, &hall_id));
	assert_true(api_set_config(f.api, &next, &e));
	assert_false(api_identity_current(f.api, &screen));
	assert_false(api_identity_current(f.api, &organizer));
	assert_true(api_identity_current(f.api, &hall_id)); /* untouched: kept */
	assert_true(api_set_config(f.api, &config, &e));
	close_api(&f);
}

static void test_screens_refusals(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	char long_showing[160], long_version[64];
	snprintf(long_showing, sizeof(long_showing), "{\"showing\":\"%0121d\"}", 0);
	snprintf(long_version, sizeof(long_version), "{\"version\":\"%033d\"}", 0);
	/* a PNG one byte over 96 KiB, and one of exactly 96 KiB */
	unsigned char *big = calloc(1, API_MAX_THUMBNAIL + 1);
	memcpy(big, test_tiny_png, test_tiny_png_len);
	char *b64 = text_base64(big, API_MAX_THUMBNAIL + 1);
	assert_non_null(b64);
	char *too_big = malloc(strlen(b64) + 32);
	snprintf(too_big, strlen(b64) + 32, "{\"thumbnail\":\"%s\"}", b64);
	free(b64);
	b64 = text_base64(big, API_MAX_THUMBNAIL);
	assert_non_null(b64);
	char *just_fits = malloc(strlen(b64) + 32);
	snprintf(just_fits, strlen(b64) + 32, "{\"thumbnail\":\"%s\"}", b64);
	free(b64);
	free(big);
	static const char hello[] = "hello, world"; /* base64, but not a PNG */
	char *not_png_b64 = text_base64((const unsigned char *)hello, strlen(hello));
	assert_non_null(not_png_b64);
	char not_png[64];
	snprintf(not_png, sizeof(not_png), "{\"thumbnail\":\"%s\"}", not_png_b64);
	free(not_png_b64);

	const struct {
		const char *body, *needle;
	} cases[] = {
		{"", "the body"},
		{"not json", "the body"},
		{"[{\"version\":\"1.4.2\"}]", "the body"},
		{"\"hello\"", "the body"},
		{"{\"version\":5}", "version: "},
		{"{\"version\":null}", "version: "},
		{long_version, "version: "},
		{"{\"version\":\"1.4\xff\"}", "version: "},
		{"{\"uptime_s\":\"12\"}", "uptime_s: "},
		{"{\"uptime_s\":-1}", "uptime_s: "},
		{"{\"uptime_s\":1e999}", "uptime_s: "},
		{"{\"uptime_s\":null}", "uptime_s: "},
		{"{\"feed_age_s\":\"old\"}", "feed_age_s: "},
		{"{\"feed_age_s\":true}", "feed_age_s: "},
		{"{\"offline\":\"yes\"}", "offline: "},
		{"{\"offline\":1}", "offline: "},
		{"{\"offline\":null}", "offline: "},
		{"{\"showing\":[\"page 2/5\"]}", "showing: "},
		{long_showing, "showing: "},
		{"{\"showing\":\"page\\n2/5\"}", "showing: control characters"},
		{"{\"schedule_version\":\"3\"}", "schedule_version: "},
		{"{\"schedule_version\":{}}", "schedule_version: "},
		{"{\"showing\":\"page 2/5\",\"uptime_s\":\"long\"}", "uptime_s: "},
		{"{\"thumbnail\":12}", "thumbnail: a string"},
		{"{\"thumbnail\":null}", "thumbnail: a string"},
		{"{\"thumbnail\":\"\"}", "thumbnail: not a PNG"},
		{"{\"thumbnail\":\"not base64!\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"data:image/png;base64,iVBORw0KGgo=\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBORw0KG\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBO=Rw0KGgo\"}", "thumbnail: not base64"},
		{"{\"thumbnail\":\"iVBORw0KGgo===\"}", "thumbnail: not base64"},
		{not_png, "thumbnail: not a PNG"},
		{too_big, "thumbnail: larger than 96 KiB"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct api_response res;
		request_at(f.api, NOW, "POST", "/v1/screens/heartbeat", palais, cases[i].body, NULL,
			   &res);
		if (res.status != 400)
			fail_msg("case %zu: %d, not 400", i, res.status);
		cJSON *err = cJSON_ParseWithLength(res.body, res.body_len);
		const char *msg = cJSON_GetObjectItem(err, "error")->valuestring;
		if (strncmp(msg, cases[i].needle, strlen(cases[i].needle)) != 0)
			fail_msg("case %zu: '%s' does not start with '%s'", i, msg, cases[i].needle);
		cJSON_Delete(err);
		api_response_finish(&res);
	}
	/* a refused heartbeat stores nothing */
	char *list = screens_at(f.api, NOW);
	assert_non_null(strstr(list, "\"screens\":[]"));
	free(list);

	/* over 256 KiB of body is refused before it is read, whoever sends it */
	char *huge = malloc(API_MAX_HEARTBEAT + 2);
	snprintf(huge, API_MAX_HEARTBEAT + 2, "{\"pad\":\"%0*d\"}", API_MAX_HEARTBEAT - 9, 0);
	assert_int_equal(strlen(huge), API_MAX_HEARTBEAT + 1);
	assert_int_equal(heartbeat_at(f.api, NOW, palais, huge, NULL), 413);
	assert_int_equal(heartbeat_at(f.api, NOW, NULL, huge, NULL), 401); /* the token first */
	/* what the shell may read, known from the headers */
	static const struct {
		const char *path, *auth;
		size_t max;
	} limits[] = {
		{"/v1/screens/heartbeat", palais, API_MAX_HEARTBEAT},
		{"/v1/samples", sensor, API_MAX_BODY},
		{"/v1/schedule", org, API_MAX_BODY},
	};
	for (size_t i = 0; i < sizeof(limits) / sizeof(*limits); i++) {
		struct api_request pre = {.method = "POST", .path = limits[i].path,
					  .authorization = limits[i].auth, .now_ms = NOW};
		struct api_response res;
		size_t max = 0;
		assert_true(api_preflight(f.api, &pre, -1, &max, &res));
		assert_int_equal(max, limits[i].max);
		assert_false(api_preflight(f.api, &pre, (int64_t)limits[i].max + 1, &max, &res));
		assert_int_equal(res.status, 413);
		api_response_finish(&res);
	}

	/* the edges themselves are fine: 256 KiB of body, 96 KiB of PNG, 32 and
	 * 120 bytes of text, padding left out, base64 broken into lines */
	huge[API_MAX_HEARTBEAT - 2] = '"';
	huge[API_MAX_HEARTBEAT - 1] = '}';
	huge[API_MAX_HEARTBEAT] = '\0';
	const char *accepted[] = {
		huge,
		just_fits,
		"{\"version\":\"12345678901234567890123456789012\",\"uptime_s\":0,\"feed_age_s\":-1.5}",
		"{\"showing\":\"Salle 252 A \xe2\x80\x94 page 2/5 \xc3\xa9\"}",
		"{\"thumbnail\":\"iVBORw0KGgo\"}",
		"{\"thumbnail\":\"iVBO\\nRw0K\\r\\nGgo=\"}",
		"{}",
	};
	for (size_t i = 0; i < sizeof(accepted) / sizeof(*accepted); i++)
		if (heartbeat_at(f.api, NOW, palais, accepted[i], NULL) != 200)
			fail_msg("accepted case %zu was refused", i);
	free(huge);
	free(just_fits);
	free(too_big);
	close_api(&f);
}

/* Without any screen in the configuration: an empty list, nothing to post. */
static void test_screens_none_configured(void **state)
{
	(void)state;
	static struct server_config bare;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n";
	struct feed_error e = {{0}};
	assert_true(server_config_parse(text, strlen(text), &bare, &e));
	struct fixture f;
	f.store = store_open(db_path, &e);
	assert_non_null(f.store);
	f.api = api_create(&bare, f.store, NULL, 0, NOW, NULL, &e);
	assert_non_null(f.api);
	char *list = screens_at(f.api, NOW);
	assert_string_equal(list, "{\"t\":\"2014-11-06T09:00:00Z\",\"screens\":[]}");
	free(list);
	assert_int_equal(heartbeat_at(f.api, NOW, org, "{}", NULL), 401);
	assert_int_equal(get_thumbnail_at(f.api, "alice", "GET", NULL, NULL), 404);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "\"screens\":0}"));
	api_response_finish(&res);
	close_api(&f);
}

/* ---- what a careless organizer, a broken sensor or an attacker sends ---------- */

static void open_api_logged(struct fixture *f, struct test_log *lc)
{
	struct feed_error e = {{0}};
	struct api_log log = {test_log_line, lc};
	f->store = store_open(db_path, &e);
	assert_non_null(f->store);
	f->api = api_create(&config, f->store, NULL, 0, NOW, &log, &e);
	if (!f->api)
		fail_msg("the server must start over any database: %s", e.msg);
}


/* Rows written straight into the database, as an older server stored them. */
static void insert_change(int64_t id, const char *kind, const char *body)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO changes(id, at_ms, who, kind, body) "
						"VALUES (?, ?, 'alice', ?, ?)", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, NOW);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, body, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void test_bad_changes_store_nothing(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);
	static const struct {
		int status;
		const char *path, *body, *says;
	} refused[] = {
		{422, "/v1/changes", "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"2200-01-01T10:00:00+01:00\",\"end\":\"2200-01-01T11:00:00+01:00\"}", "1900-2199"},
		{422, "/v1/changes", "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"1899-12-31T10:00:00Z\",\"end\":\"1899-12-31T11:00:00Z\"}", "start: 1899"},
		{422, "/v1/changes", "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"1900-01-01T00:30:00+01:00\",\"end\":\"1900-01-01T02:00:00+01:00\"}",
		 "start: 1900-01-01T00:30:00+01:00 is outside"},
		{400, "/v1/changes", "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
		 "\"2014-11-06T25:00:00Z\",\"end\":\"2014-11-06T11:00:00Z\"}", "start: an RFC 3339"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":2.9}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":1e19}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":-1}", "whole number"},
		{400, "/v1/changes", "{\"kind\":\"undo\",\"change\":\"1\"}", "whole number"},
		{422, "/v1/changes", "{\"kind\":\"undo\",\"change\":99}", "does not exist"},
		{400, "/v1/changes", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle \xff\"}",
		 "room: must be UTF-8"},
		{400, "/v1/changes", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":"
		 "\"Salle 243\\nvenueboard-server: INFO: fake\"}", "one line"},
		{400, "/v1/changes", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"!!!\"}",
		 "no letter or digit"},
		{400, "/v1/changes", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle\\u0000 243\"}",
		 "NUL"},
		{400, "/v1/changes", "{\"kind\":\"cancel\",\"session\":\"4184\"} {\"kind\":\"cancel\"}",
		 "one JSON object"},
		{422, "/v1/changes", "{\"kind\":\"cancel\",\"session\":\"no-such-session\"}", "no session"},
		{400, "/v1/notices", "{\"text\":\"Lunch\\u0000 is over\"}", "NUL"},
		{400, "/v1/notices", "{\"text\":\"Lunch\\nis over\"}", "one line"},
		{400, "/v1/notices", "{\"text\":\"\"}", "text:"},
		{400, "/v1/notices", "[\"Lunch\"]", "one JSON object"},
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		struct api_request req = {.method = "POST", .path = refused[i].path,
					  .authorization = org, .body = refused[i].body,
					  .body_len = strlen(refused[i].body), .now_ms = NOW};
		struct api_response res;
		handle(f.api, &req, &res);
		if (res.status != refused[i].status || !strstr(res.body, refused[i].says))
			fail_msg("case %zu: %d %s, expected %d saying '%s'", i, res.status, res.body,
				 refused[i].status, refused[i].says);
		assert_true(text_utf8_valid(res.body, res.body_len));
		api_response_finish(&res);
	}
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	assert_int_equal(audit_size(f.api), 0);

	/* extra fields are neither stored nor echoed */
	char junk[2200];
	snprintf(junk, sizeof(junk), "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\","
				     "\"junk\":\"%01000d\",\"who\":\"mallory\"}", 7);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, junk, NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch at 13:00\",\"pinned\":true,\"junk\":[1,2,3]}", NULL, NULL,
			      NULL), 201);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	const char *body = res.blob ? res.blob->data : res.body;
	assert_null(strstr(body, "junk"));
	assert_null(strstr(body, "mallory"));
	assert_null(strstr(body, "pinned"));
	cJSON *doc = cJSON_Parse(body);
	api_response_finish(&res);
	cJSON *audit = audit_of(f.api);
	cJSON *change = cJSON_GetObjectItem(cJSON_GetArrayItem(audit, 0), "change");
	assert_int_equal(cJSON_GetArraySize(change), 3); /* kind, session, room */
	cJSON_Delete(audit);
	assert_string_equal(cJSON_GetObjectItem(doc, "notices")->child->child->valuestring,
			    "Lunch at 13:00");
	cJSON_Delete(doc);

	/* the scheme is case-insensitive; a refusal says how to authenticate */
	const char *const spellings[] = {"bearer organizer-token-0123456789",
					 "BEARER   organizer-token-0123456789  "};
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(call(f.api, "POST", "/v1/changes", spellings[i],
				      "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, NULL, NULL),
				 201);
	request_at(f.api, NOW, "POST", "/v1/changes", "Basic YWxpY2U6c2VjcmV0",
		   "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, &res);
	assert_int_equal(res.status, 401);
	assert_string_equal(res.authenticate, "Bearer realm=\"venueboard\"");
	api_response_finish(&res);
	request_at(f.api, NOW, "POST", "/v1/changes", "Bearer organizer-token-0123456788",
		   "{\"kind\":\"cancel\",\"session\":\"4216\"}", NULL, &res);
	assert_int_equal(res.status, 401);
	assert_non_null(strstr(res.authenticate, "invalid_token"));
	api_response_finish(&res);
	close_api(&f);
}

/* The move that would take the schedule past its room limit is refused: it
 * used to be stored, answered 500, and keep the server from starting. */
static void test_room_limit(void **state)
{
	(void)state;
	struct test_buf b = {0};
	test_buf_puts(&b, "{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"Big\","
			  "\"timezone\":\"Europe/Paris\"},\"rooms\":[");
	for (int i = 0; i < SCHEDULE_MAX_ROOMS - 1; i++) {
		char room[64];
		snprintf(room, sizeof(room), "%s{\"id\":\"r%d\",\"name\":\"Room %d\"}", i ? "," : "", i, i);
		test_buf_puts(&b, room);
	}
	test_buf_puts(&b, "],\"sessions\":[{\"id\":\"s1\",\"title\":\"Talk\",\"room\":\"r0\",\"start\":"
			  "\"2014-11-06T09:00:00Z\",\"end\":\"2014-11-06T10:00:00Z\","
			  "\"status\":\"scheduled\"}]}");
	struct fixture f;
	open_api(&f, false);
	assert_int_equal(call(f.api, "POST", "/v1/schedule", org, b.p, NULL, NULL, NULL), 201);
	free(b.p);
	const char ok[] = "{\"kind\":\"move\",\"session\":\"s1\",\"room\":\"Room 2000\"}";
	const char over[] = "{\"kind\":\"move\",\"session\":\"s1\",\"room\":\"Room 2001\"}";
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, ok, NULL, NULL, NULL), 201);
	struct api_response res;
	request_at(f.api, NOW, "POST", "/v1/changes", org, over, NULL, &res);
	assert_int_equal(res.status, 422);
	assert_non_null(strstr(res.body, "2000 rooms"));
	api_response_finish(&res);
	char etag[24], etag2[24];
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag), 200);
	assert_int_equal(audit_size(f.api), 1);
	/* and the server starts again over what it stored */
	close_api(&f);
	open_api(&f, false);
	assert_int_equal(call(f.api, "GET", "/v1/schedule", NULL, NULL, NULL, NULL, etag2), 200);
	assert_string_equal(etag, etag2);
	close_api(&f);
}

/* A database an older server left with changes this one refuses: it starts,
 * says which changes it skips, and serves the rest. */
static void test_restart_over_bad_changes(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	close_api(&f);
	insert_change(1, "reschedule", "{\"kind\":\"reschedule\",\"session\":\"4184\",\"start\":"
					"\"2200-01-01T10:00:00Z\",\"end\":\"2200-01-01T11:00:00Z\"}");
	insert_change(2, "move", "{\"kind\":\"move\",\"session\":\"4216\",\"room\":\"Salle \xff\"}");
	insert_change(3, "move", "{\"kind\":\"move\",\"session\":\"4211\",\"room\":\"Salle 243\","
				 "\"junk\":\"xxxxxxxxxxxxxxxxxxxx\"}");
	insert_change(4, "notice", "{\"text\":\"Bonjour\",\"junk\":1}");
	insert_change(5, "teleport", "{\"kind\":\"teleport\"}");
	insert_change(6, "move", "not json at all");
	insert_change(7, "move", "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 252B\"}");
	struct test_log lc = {{0}, 0};
	open_api_logged(&f, &lc);
	assert_non_null(strstr(lc.text, "WARN: stored change 1 (reschedule by alice) is not a valid "
					"change and is skipped: start: 2200-01-01T10:00:00Z is outside "
					"the years 1900-2199"));
	assert_non_null(strstr(lc.text, "stored change 2 (move by alice)"));
	assert_non_null(strstr(lc.text, "stored change 5 (unknown by alice)"));
	assert_non_null(strstr(lc.text, "stored change 6 (move by alice) is not a valid change and "
					"is skipped: the stored change is not JSON"));
	assert_null(strstr(lc.text, "change 3"));
	assert_null(strstr(lc.text, "change 7"));
	struct api_response res;
	request_at(f.api, NOW, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	const char *body = res.blob ? res.blob->data : res.body;
	size_t len = res.blob ? res.blob->len : res.body_len;
	assert_true(text_utf8_valid(body, len)); /* strict clients read it */
	assert_null(strstr(body, "junk"));
	cJSON *doc = cJSON_Parse(body);
	api_response_finish(&res);
	assert_non_null(doc);
	assert_string_equal(room_of(doc, "4211"), "salle-243");
	assert_string_equal(room_of(doc, "4184"), "salle-252b");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "notices")), 1);
	cJSON *audit = audit_of(f.api);
	assert_int_equal(cJSON_GetArraySize(audit), 7);
	static const bool skipped[] = {true, true, false, false, true, true, false};
	for (int i = 0; i < 7; i++)
		assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(audit, i), "skipped") != NULL,
				 skipped[i]);
	cJSON_Delete(audit);
	cJSON_Delete(doc);
	/* new changes go on from the highest stored id */
	cJSON *ack;
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"cancel\",\"session\":"
			      "\"4216\"}", NULL, &ack, NULL), 201);
	assert_int_equal(cJSON_GetObjectItem(ack, "change")->valueint, 8);
	cJSON_Delete(ack);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, "{\"kind\":\"undo\",\"change\":7}",
			      NULL, NULL, NULL), 200);
	close_api(&f);
}

static void post_samples_at(struct api *api, int64_t now_ms, const char *body, int status,
			    const char *says)
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/samples", sensor, body, NULL, &res);
	if (res.status != status || (says && !strstr(res.body, says)))
		fail_msg("samples: %d %.*s, expected %d saying '%s'", res.status, (int)res.body_len,
			 res.body ? res.body : "", status, says ? says : "");
	api_response_finish(&res);
}

/* The estimate of queue id in GET /v1/queues at now_ms (caller deletes). */
static cJSON *queue_estimate(struct api *api, int64_t now_ms, const char *id)
{
	struct api_response res;
	request_at(api, now_ms, "GET", "/v1/queues", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	cJSON *q, *hit = NULL;
	cJSON_ArrayForEach(q, cJSON_GetObjectItem(doc, "queues"))
		if (strcmp(cJSON_GetObjectItem(q, "queue")->valuestring, id) == 0)
			hit = cJSON_DetachItemViaPointer(cJSON_GetObjectItem(doc, "queues"), q);
	cJSON_Delete(doc);
	if (!hit)
		fail_msg("queue %s is not in /v1/queues", id);
	return hit;
}

/* A sample from the future is refused; one queue's clock never moves
 * another's; a database holding future samples still starts. */
static void test_future_samples(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	const char meridien[] =
		"{\"type\":\"queue\",\"queue\":\"meridien\",\"stations\":2,\"service_s\":60}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T08:58:00Z\",\"total\":10}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
		"\"t\":\"2014-11-06T08:58:00Z\",\"total\":0}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T08:59:30Z\",\"total\":14}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
		"\"t\":\"2014-11-06T08:59:30Z\",\"total\":2}\n";
	post_samples_at(f.api, NOW, meridien, 200, NULL);
	const char future[] =
		"{\"type\":\"queue\",\"queue\":\"hilton\",\"stations\":1,\"service_s\":45}\n"
		"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2200-01-01T12:00:00Z\",\"total\":1}\n";
	post_samples_at(f.api, NOW, future, 400, "line 2: t: 2200-01-01T12:00:00Z is more than 300 s "
						 "after this server's clock (2014-11-06T09:00:00Z)");
	/* 4 minutes ahead is a clock a little fast: taken, and hilton's alone */
	const char fast[] =
		"{\"type\":\"queue\",\"queue\":\"hilton\",\"stations\":1,\"service_s\":45}\n"
		"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T09:04:00Z\",\"total\":1}\n";
	post_samples_at(f.api, NOW, fast, 200, "\"accepted\":2");
	cJSON *q = queue_estimate(f.api, NOW, "meridien");
	assert_string_equal(cJSON_GetObjectItem(q, "t")->valuestring, "2014-11-06T09:00:00Z");
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(q, "wait_s")));
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 2); /* 4 in, 2 out */
	cJSON_Delete(q);
	close_api(&f);

	/* a sample dated 2200 stored by an older server: skipped at start, said */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO samples(at_ms, who, line) VALUES (1415264399000,"
					  " 'door', '{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":"
					  "\"in\",\"role\":\"entry\",\"t\":\"2200-01-01T12:00:00Z\","
					  "\"total\":500}')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct test_log lc = {{0}, 0};
	open_api_logged(&f, &lc);
	assert_non_null(strstr(lc.text, "WARN: 1 stored samples are dated more than 300 s after this "
					"server's clock (the latest 2200-01-01T12:00:00Z) and are skipped"));
	q = queue_estimate(f.api, NOW, "meridien");
	assert_string_equal(cJSON_GetObjectItem(q, "confidence")->valuestring, "good");
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 2); /* 4 in, 2 out */
	cJSON_Delete(q);
	close_api(&f);
}

/* The demo summit's lunch line on Monday to Wednesday (the project's own
 * conference simulator), then Thursday up to until_ms, posted as a sensor
 * would; from empty_from_ms on (INT64_MAX: never) nobody comes: the
 * counters' totals stay as they were. */
static void post_conference_emptied(struct api *api, int64_t until_ms, int64_t empty_from_ms)
{
	size_t len;
	char *text = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct schedule *s = NULL;
	struct feed_error e;
	assert_true(feed_parse(text, len, NULL, &s, &e));
	free(text);
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	c.seed = 3;
	struct sim_result r;
	assert_true(lunch_sim_conference_run(&c, &r));
	size_t cap = r.n_samples * QUEUE_LINE_MAX, used = 0;
	char *body = malloc(cap);
	assert_non_null(body);
	struct {
		char sensor[QUEUE_ID_MAX + 1];
		int64_t total;
	} kept[8];
	size_t n_kept = 0;
	for (size_t i = 0; i < r.n_samples; i++) {
		struct queue_sample *x = &r.samples[i];
		if (x->type != SAMPLE_QUEUE && x->t_ms > until_ms)
			continue;
		if (x->type == SAMPLE_COUNT && x->t_ms >= empty_from_ms) {
			size_t k = 0;
			while (k < n_kept && strcmp(kept[k].sensor, x->sensor) != 0)
				k++;
			if (k == n_kept && n_kept < 8) {
				snprintf(kept[k].sensor, sizeof(kept[k].sensor), "%s", x->sensor);
				kept[n_kept++].total = x->total;
			}
			if (k < n_kept)
				x->total = kept[k].total;
		}
		used += queue_sample_format(x, body + used, cap - used);
		body[used++] = '\n';
	}
	body[used] = '\0';
	post_samples_at(api, until_ms, body, 200, "\"accepted\"");
	free(body);
	lunch_sim_finish(&r);
	schedule_destroy(s);
}

static void post_conference(struct api *api, int64_t until_ms)
{
	post_conference_emptied(api, until_ms, INT64_MAX);
}

/* GET /v1/queues carries each line's next hour (five-minute steps, learned
 * from the earlier days in the database), the desk's alert when one is
 * forecast above alert-wait, /metrics the same; configured seats win over
 * the feed's; all of it comes back after a restart. */
/* The demo summit's api at t on a new database, configured by text, with
 * its log captured in lc: for the forecast's tests. The caller destroys the
 * api, closes *store and frees *feed. */
struct forecast_api {
	struct server_config cfg;
	struct test_log lc;
	struct api_log log;
	struct store *store;
	char *feed;
	size_t len;
};

static struct api *forecast_api(struct forecast_api *fa, const char *text, int64_t t)
{
	struct feed_error e = {{0}};
	memset(fa, 0, sizeof(*fa));
	assert_true(server_config_parse(text, strlen(text), &fa->cfg, &e));
	fa->feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &fa->len);
	fa->log = (struct api_log){test_log_line, &fa->lc};
	fa->store = store_open(db_path, &e);
	assert_non_null(fa->store);
	struct api *api = api_create(&fa->cfg, fa->store, fa->feed, fa->len, t, &fa->log, &e);
	if (!api)
		fail_msg("%s", e.msg);
	return api;
}

static void test_queues_forecast(void **state)
{
	(void)state;
	static struct forecast_api fa;
	const int64_t t = 1415272200000LL; /* Thursday 2014-11-06T11:10:00Z, 12:10 in Paris */
	struct api *api = forecast_api(&fa, "database x\norganizer alice organizer-token-0123456789\n"
					    "sensor door sensor-token-0123456789ab\n"
					    "alert-wait meridien-lunch 15\n"
					    "capacity  Salle 241   450\n"
					    "capacity Salle 999 10\n", t);
	struct feed_error e = {{0}};
	struct store *store = fa.store;
	assert_non_null(strstr(fa.lc.text, "WARN: capacity Salle 999: no such room in schedule"));
	post_conference(api, t);
	cJSON *q = queue_estimate(api, t, "meridien-lunch");
	cJSON *fc = cJSON_GetObjectItem(q, "forecast");
	assert_non_null(fc);
	assert_string_equal(cJSON_GetObjectItem(fc, "t")->valuestring, "2014-11-06T11:10:00Z");
	assert_int_equal(cJSON_GetObjectItem(fc, "days_learned")->valueint, 3);
	cJSON *points = cJSON_GetObjectItem(fc, "points");
	assert_int_equal(cJSON_GetArraySize(points), 12);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(points, 0), "at")->valuestring,
			    "2014-11-06T11:15:00Z");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(points, 11), "at")->valuestring,
			    "2014-11-06T12:10:00Z");
	/* the line is empty now; the lunch wave at 12:30 in Paris is foreseen */
	assert_true(cJSON_GetObjectItem(q, "wait_s")->valuedouble < 120);
	double peak = 0;
	cJSON *p;
	cJSON_ArrayForEach(p, points) {
		cJSON *w = cJSON_GetObjectItem(p, "wait_s"), *lo = cJSON_GetObjectItem(p, "low_s"),
		      *hi = cJSON_GetObjectItem(p, "high_s");
		assert_true(cJSON_IsNumber(w) && cJSON_IsNumber(lo) && cJSON_IsNumber(hi));
		assert_true(lo->valuedouble <= w->valuedouble && w->valuedouble <= hi->valuedouble);
		peak = w->valuedouble > peak ? w->valuedouble : peak;
	}
	if (peak < 900)
		fail_msg("the lunch wave is not foreseen: at most %.0f s in the next hour", peak);
	cJSON *alert = cJSON_GetObjectItem(q, "alert");
	assert_non_null(alert);
	assert_int_equal(cJSON_GetObjectItem(alert, "threshold_s")->valueint, 900);
	assert_true(cJSON_GetObjectItem(alert, "wait_s")->valuedouble >= 900);
	const char *says = cJSON_GetObjectItem(alert, "text")->valuestring;
	if (!strstr(says, "Le M\xC3\xA9ridien") || !strstr(says, "open more stations?") ||
	    !strstr(says, " at 12:") /* Paris time */)
		fail_msg("alert text: %s", says);
	assert_non_null(strstr(fa.lc.text, "WARN: lunch line Le M\xC3\xA9ridien"));
	char *first = cJSON_PrintUnformatted(fc);
	cJSON_Delete(q);
	/* /metrics */
	struct api_response res;
	request_at(api, t, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "venueboard_queue_forecast_alert{queue=\"meridien-lunch\"} 1"));
	assert_non_null(strstr(res.body, "venueboard_queue_forecast_wait_seconds{queue=\"meridien-lunch\","
					 "ahead_minutes=\"30\"} "));
	api_response_finish(&res);
	/* the seats: configured 450 over the feed's 400 */
	request_at(api, t, "GET", "/v1/schedule", NULL, NULL, NULL, &res);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	int seats = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "rooms"))
		if (strcmp(cJSON_GetObjectItem(p, "name")->valuestring, "Salle 241") == 0)
			seats = cJSON_GetObjectItem(p, "capacity")->valueint;
	assert_int_equal(seats, 450);
	cJSON_Delete(doc);
	api_destroy(api);
	store_close(store);
	/* a restart learns the same days again from the database */
	store = store_open(db_path, &e);
	api = api_create(&fa.cfg, store, NULL, 0, t, NULL, &e);
	assert_non_null(api);
	q = queue_estimate(api, t, "meridien-lunch");
	char *again = cJSON_PrintUnformatted(cJSON_GetObjectItem(q, "forecast"));
	assert_string_equal(again, first);
	free(first);
	free(again);
	cJSON_Delete(q);
	api_destroy(api);
	store_close(store);
	free(fa.feed);
}


/* Thursday nobody comes to lunch (the counters stand still from 10:00 in
 * Paris), though the schedule and the three earlier days say the wave is
 * due at 12:30: by 13:40 the forecaster's record is worse than "it stays as
 * it is". GET /v1/queues withholds it (points null, "withheld", the record),
 * no alert is raised though alert-wait is 5 min, /metrics gives no forecast
 * gauge, and the log says it once. */
static void test_queues_forecast_withheld(void **state)
{
	(void)state;
	static struct forecast_api fa;
	const int64_t t = 1415277600000LL; /* 2014-11-06T12:40:00Z, 13:40 in Paris */
	struct api *api = forecast_api(&fa, "database x\norganizer alice organizer-token-0123456789\n"
					    "sensor door sensor-token-0123456789ab\n"
					    "alert-wait meridien-lunch 5\n", t);
	const struct test_log *lc = &fa.lc;
	post_conference_emptied(api, t, 1415264400000LL /* 10:00 in Paris */);
	cJSON *q = queue_estimate(api, t, "meridien-lunch");
	cJSON *fc = cJSON_GetObjectItem(q, "forecast");
	assert_non_null(fc);
	if (!cJSON_IsTrue(cJSON_GetObjectItem(fc, "withheld"))) {
		char *all = cJSON_PrintUnformatted(fc);
		fail_msg("not withheld: %s", all);
	}
	cJSON *p;
	int nulls = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(fc, "points"))
		nulls += cJSON_IsNull(cJSON_GetObjectItem(p, "wait_s")) &&
			 cJSON_IsNull(cJSON_GetObjectItem(p, "low_s")) &&
			 cJSON_IsNull(cJSON_GetObjectItem(p, "high_s"));
	assert_true(nulls > 0);
	/* the record says why: at a withheld horizon, worse than persistence */
	int withheld = 0;
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(fc, "record")) {
		if (!cJSON_IsTrue(cJSON_GetObjectItem(p, "withheld")))
			continue;
		withheld++;
		assert_true(cJSON_GetObjectItem(p, "n")->valueint >= FORECAST_RECORD_MIN);
		assert_true(cJSON_GetObjectItem(p, "model_s")->valuedouble >
			    cJSON_GetObjectItem(p, "persistence_s")->valuedouble);
	}
	assert_true(withheld > 0);
	assert_null(cJSON_GetObjectItem(q, "alert"));
	cJSON_Delete(q);
	if (!strstr(lc->text, "INFO: lunch line Le M\xC3\xA9ridien \xE2\x80\x94 d\xC3\xA9jeuner: "
			     "forecast withheld: ") ||
	    !strstr(lc->text, "forecasts were off by") || strstr(lc->text, "WARN: lunch line"))
		fail_msg("log: %s", lc->text);
	/* said once, not at every look */
	const char *once = strstr(lc->text, "forecast withheld");
	q = queue_estimate(api, t + 60000, "meridien-lunch");
	cJSON_Delete(q);
	assert_null(strstr(once + 1, "forecast withheld"));
	struct api_response res;
	request_at(api, t, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "venueboard_queue_forecast_withheld{queue=\"meridien-lunch\"} 1"));
	assert_non_null(strstr(res.body, "venueboard_queue_forecast_alert{queue=\"meridien-lunch\"} 0"));
	api_response_finish(&res);
	api_destroy(api);
	store_close(fa.store);
	free(fa.feed);
}

/* One room count line at minute offset min (may be negative) from NOW. */
static void room_line(char *out, size_t cap, const char *room, int people, int min)
{
	char t[21];
	civil_format_utc(NOW / 1000 + min * 60, t);
	snprintf(out, cap, "{\"type\":\"room\",\"room\":\"%s\",\"sensor\":\"cam-1\",\"t\":\"%s\","
			   "\"people\":%d}\n", room, t, people);
}

/* The room of GET /v1/rooms named name at now_ms (caller deletes). */
static cJSON *room_now(struct api *api, int64_t now_ms, const char *name)
{
	struct api_response res;
	request_at(api, now_ms, "GET", "/v1/rooms", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	cJSON *r, *hit = NULL;
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(doc, "rooms"))
		if (strcmp(cJSON_GetObjectItem(r, "room")->valuestring, name) == 0)
			hit = cJSON_DetachItemViaPointer(cJSON_GetObjectItem(doc, "rooms"), r);
	cJSON_Delete(doc);
	if (!hit)
		fail_msg("room %s is not in /v1/rooms", name);
	return hit;
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);
	return cJSON_IsString(v) ? v->valuestring : "(none)";
}

/* GET /v1/rooms: a count at the seats is FULL, 85 % filling, an old count
 * gives no fill (never FULL), an absurd one is refused and said; a bad
 * line refuses its batch; a steward's FULL wins over the sensor, is
 * audited, undone, and over when its session ends. */
static void test_rooms(void **state)
{
	(void)state;
	struct fixture f;
	struct test_log lc = {{0}, 0};
	struct feed_error e = {{0}};
	size_t len;
	char *feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct api_log log = {test_log_line, &lc};
	f.store = store_open(db_path, &e);
	f.api = api_create(&config, f.store, feed, len, NOW, &log, &e);
	free(feed);
	assert_non_null(f.api);
	char line[256], batch[1024];
	room_line(line, sizeof(line), "Salle 241", 400, -1); /* 400 seats in the feed */
	post_samples_at(f.api, NOW, line, 200, "\"accepted\":1");
	cJSON *r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "sensor");
	assert_int_equal(cJSON_GetObjectItem(r, "people")->valueint, 400);
	assert_int_equal(cJSON_GetObjectItem(r, "capacity")->valueint, 400);
	assert_true(cJSON_GetObjectItem(r, "fill")->valuedouble == 1.0);
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "session"), "id"), "4245");
	cJSON_Delete(r);
	/* 350 of 400: filling */
	room_line(line, sizeof(line), "Salle 241", 350, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	assert_true(cJSON_GetObjectItem(r, "fill")->valuedouble == 0.88);
	cJSON_Delete(r);
	/* a batch with one bad line stores nothing: still filling */
	room_line(line, sizeof(line), "Salle 241", 400, 0);
	snprintf(batch, sizeof(batch), "%s{\"type\":\"room\",\"room\":\"Salle 241\","
					"\"sensor\":\"cam-1\",\"t\":\"2014-11-06T09:00:30Z\","
					"\"people\":-4}\n", line);
	post_samples_at(f.api, NOW, batch, 400, "line 2: people");
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	cJSON_Delete(r);
	/* four minutes later without a count: no fill, not FULL */
	r = room_now(f.api, NOW + 4 * 60000, "Salle 241");
	assert_string_equal(str_of(r, "state"), "open");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "people")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "fill")));
	assert_string_equal(str_of(r, "why"), "count unavailable: older than 3 minutes");
	assert_string_equal(str_of(r, "counted_at"), "2014-11-06T09:00:00Z");
	cJSON_Delete(r);
	/* 2 000 in a room of 200: a fault, refused, said once */
	room_line(line, sizeof(line), "Salle 243", 2000, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	r = room_now(f.api, NOW, "Salle 243");
	assert_string_equal(str_of(r, "state"), "open");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "people")));
	assert_non_null(strstr(str_of(r, "why"), "more than twice the seats"));
	cJSON_Delete(r);
	assert_non_null(strstr(lc.text, "WARN: room Salle 243: count refused"));
	/* a room no schedule knows is said */
	room_line(line, sizeof(line), "Salle 999", 10, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	assert_non_null(strstr(lc.text, "WARN: room counts from cam-1 for 'Salle 999': no such room"));
	/* the metrics */
	struct api_response res;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_non_null(strstr(res.body, "venueboard_room_fill{room=\"Salle 241\"} 0.9"));
	assert_non_null(strstr(res.body, "venueboard_room_full{room=\"Salle 241\"} 0.0"));
	api_response_finish(&res);
	/* ETag: asked again unchanged, a 304 */
	request_at(f.api, NOW, "GET", "/v1/rooms", NULL, NULL, NULL, &res);
	char etag[24];
	memcpy(etag, res.etag, sizeof(etag));
	api_response_finish(&res);
	struct api_request rq = {.method = "GET", .path = "/v1/rooms", .if_none_match = etag,
				 .now_ms = NOW};
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 304);
	api_response_finish(&res);
	/* the steward: refused kinds, then FULL by hand over a sensor that says 350 */
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"filling\"}", NULL,
			      NULL, NULL), 400);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 999\",\"state\":\"full\"}", NULL,
			      NULL, NULL), 422);
	assert_int_equal(call(f.api, "POST", "/v1/changes", sensor,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"full\"}", NULL,
			      NULL, NULL), 401);
	cJSON *ok;
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"salle 241\",\"state\":\"full\"}", NULL,
			      &ok, NULL), 201);
	int id = cJSON_GetObjectItem(ok, "change")->valueint;
	cJSON_Delete(ok);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "steward");
	assert_int_equal(cJSON_GetObjectItem(r, "people")->valueint, 350); /* still said */
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "mark"), "until"), "2014-11-06T09:30:00Z");
	assert_string_equal(str_of(cJSON_GetObjectItem(r, "mark"), "by"), "alice");
	cJSON_Delete(r);
	assert_int_equal(audit_size(f.api), 1);
	/* the session is over at 09:30: so is the mark */
	r = room_now(f.api, NOW + 31 * 60000, "Salle 241");
	assert_string_equal(str_of(r, "source"), "none");
	assert_true(strcmp(str_of(r, "state"), "full") != 0);
	cJSON_Delete(r);
	/* undone: the sensor's word again at once; and after a restart the same */
	char undo[64];
	snprintf(undo, sizeof(undo), "{\"kind\":\"undo\",\"change\":%d}", id);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org, undo, NULL, NULL, NULL), 200);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "filling");
	cJSON_Delete(r);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"room\",\"room\":\"Salle 241\",\"state\":\"full\"}", NULL,
			      NULL, NULL), 201);
	close_api(&f);
	open_api(&f, false);
	r = room_now(f.api, NOW, "Salle 241");
	assert_string_equal(str_of(r, "state"), "full");
	assert_string_equal(str_of(r, "source"), "steward");
	cJSON_Delete(r);
	close_api(&f);
}

/* A heartbeat's answer at now_ms, parsed (caller deletes). */
static cJSON *heartbeat_answer_at(struct api *api, int64_t now_ms, const char *auth,
				  const char *body)
{
	struct api_response res;
	request_at(api, now_ms, "POST", "/v1/screens/heartbeat", auth, body, NULL, &res);
	assert_int_equal(res.status, 200);
	cJSON *doc = cJSON_Parse(res.body);
	api_response_finish(&res);
	assert_non_null(doc);
	return doc;
}

/* Alerts: posted for a zone, refused for an unknown one, listed with each
 * targeted screen's proof (null until its heartbeat says it shows it),
 * handed to its screens by heartbeat answers and by the stream, withdrawn
 * by an undo; the proofs survive a restart. Notices go to zones and have
 * a start and an end. */
static void test_alerts_and_zones(void **state)
{
	(void)state;
	static struct server_config cfg;
	static const char text[] = "database x\norganizer alice organizer-token-0123456789\n"
				   "sensor door sensor-token-0123456789ab\n"
				   "zone level-2 palais-l2-east\n"
				   "zone meridien hall-b\n"
				   "screen palais-l2-east screen-token-palais-l2-east\n"
				   "screen hall-b screen-token-hall-b-01234567\n";
	struct feed_error e = {{0}};
	if (!server_config_parse(text, strlen(text), &cfg, &e))
		fail_msg("%s", e.msg);
	size_t len;
	char *feed = test_fixture("../../assets/demo/paris-2014.schedule.json", &len);
	struct test_log lc = {{0}, 0};
	struct api_log log = {test_log_line, &lc};
	struct store *store = store_open(db_path, &e);
	struct api *api = api_create(&cfg, store, feed, len, NOW, &log, &e);
	assert_non_null(api);
	/* refusals */
	assert_int_equal(call(api, "POST", "/v1/alerts", org, "{\"zones\":[\"level-2\"]}", NULL, NULL,
			      NULL), 400);
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"x\",\"zones\":[\"level-9\"]}", NULL, NULL, NULL), 422);
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"x\",\"screens\":[\"no/such\"]}", NULL, NULL, NULL), 400);
	assert_int_equal(call(api, "POST", "/v1/alerts", sensor, "{\"text\":\"x\"}", NULL, NULL,
			      NULL), 401);
	assert_int_equal(call(api, "POST", "/v1/changes", org, "{\"kind\":\"alert\",\"text\":\"x\"}",
			      NULL, NULL, NULL), 400);
	uint64_t gen = api_stream_generation(api);
	cJSON *made;
	assert_int_equal(call(api, "POST", "/v1/alerts", org,
			      "{\"text\":\"Evacuate by the east stairs\",\"zones\":[\"level-2\"]}",
			      NULL, &made, NULL), 201);
	int id = cJSON_GetObjectItem(made, "id")->valueint;
	assert_int_equal(cJSON_GetObjectItem(made, "screens")->valueint, 1);
	cJSON_Delete(made);
	assert_true(api_stream_generation(api) != gen);
	/* the heartbeat's answer: palais has it, hall-b not */
	cJSON *a = heartbeat_answer_at(api, NOW, palais, "{\"version\":\"1.5\"}");
	assert_string_equal(cJSON_GetObjectItem(a, "screen")->valuestring, "palais-l2-east");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "zones"), 0)->valuestring,
			    "level-2");
	cJSON *al = cJSON_GetArrayItem(cJSON_GetObjectItem(a, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(al, "id")->valueint, id);
	assert_string_equal(cJSON_GetObjectItem(al, "text")->valuestring, "Evacuate by the east stairs");
	cJSON_Delete(a);
	a = heartbeat_answer_at(api, NOW, hall, "{\"version\":\"1.5\"}");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "alerts")), 0);
	cJSON_Delete(a);
	/* the stream: a screen's token only; its first event holds the alert */
	struct api_response res;
	request_at(api, NOW, "GET", "/v1/stream", org, NULL, NULL, &res);
	assert_int_equal(res.status, 401);
	api_response_finish(&res);
	request_at(api, NOW, "GET", "/v1/stream", palais, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_true(res.stream);
	assert_string_equal(res.content_type, "text/event-stream");
	assert_string_equal(res.stream_screen, "palais-l2-east");
	assert_true(strncmp(res.body, "event: state\ndata: {", 20) == 0);
	assert_non_null(strstr(res.body, "Evacuate by the east stairs"));
	assert_true(res.body[res.body_len - 1] == '\n' && res.body[res.body_len - 2] == '\n');
	api_response_finish(&res);
	/* the list: one targeted, none has shown it yet; without a token the
	 * counts only, the organizer's token each screen */
	cJSON *list;
	char tag1[24], tag2[24];
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, tag1), 200);
	cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "targeted")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 0);
	assert_null(cJSON_GetObjectItem(x, "screens"));
	assert_int_equal(cJSON_GetObjectItem(list, "older")->valueint, 0);
	cJSON_Delete(list);
	assert_int_equal(call(api, "GET", "/v1/alerts", org, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "targeted")->valueint, 1);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 0);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"),
						     "palais-l2-east")));
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"), "hall-b"));
	cJSON_Delete(list);
	/* palais shows it, 2.5 s after it was posted */
	char hb[128];
	snprintf(hb, sizeof(hb), "{\"version\":\"1.5\",\"alerts\":[%d]}", id);
	cJSON_Delete(heartbeat_answer_at(api, NOW + 2500, palais, hb));
	assert_int_equal(heartbeat_at(api, NOW, palais, "{\"alerts\":[\"x\"]}", NULL), 400);
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, tag2), 200);
	assert_string_not_equal(tag1, tag2); /* the tokenless view made again: a confirmation */
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	cJSON_Delete(list);
	assert_int_equal(call(api, "GET", "/v1/alerts", org, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(x, "screens"),
						"palais-l2-east")->valuestring, "2014-11-06T09:00:02Z");
	cJSON_Delete(list);
	char says[96];
	snprintf(says, sizeof(says), "INFO: alert %d shown on palais-l2-east, 2.5 s after", id);
	assert_non_null(strstr(lc.text, says));
	/* a notice for the Méridien's screens, from 12:00 to 14:00 in Paris */
	assert_int_equal(call(api, "POST", "/v1/notices", org,
			      "{\"text\":\"Second buffet upstairs\",\"zones\":[\"meridien\"],"
			      "\"start\":\"2014-11-06T12:00:00+01:00\",\"end\":\"2014-11-06T14:00:00+01:00\"}",
			      NULL, NULL, NULL), 201);
	assert_int_equal(call(api, "POST", "/v1/notices", org,
			      "{\"text\":\"x\",\"screens\":[\"lobby\"]}", NULL, NULL, NULL), 422);
	assert_int_equal(call(api, "POST", "/v1/notices", org,
			      "{\"text\":\"x\",\"start\":\"2014-11-06T12:00:00Z\","
			      "\"end\":\"2014-11-06T11:00:00Z\"}", NULL, NULL, NULL), 400);
	cJSON *doc;
	assert_int_equal(call(api, "GET", "/v1/schedule", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *notice = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "notices"), 0);
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(notice, "zones"), 0)->valuestring,
			    "meridien");
	assert_string_equal(cJSON_GetObjectItem(notice, "start")->valuestring, "2014-11-06T11:00:00Z");
	assert_string_equal(cJSON_GetObjectItem(notice, "end")->valuestring, "2014-11-06T13:00:00Z");
	cJSON_Delete(doc);
	/* withdrawn: gone from the answers, listed as withdrawn */
	char path[64];
	snprintf(path, sizeof(path), "/v1/alerts/%d/withdraw", id);
	assert_int_equal(call(api, "POST", path, sensor, NULL, NULL, NULL, NULL), 401);
	assert_int_equal(call(api, "POST", path, org, NULL, NULL, NULL, NULL), 200);
	assert_int_equal(call(api, "POST", path, org, NULL, NULL, NULL, NULL), 409);
	assert_int_equal(call(api, "POST", "/v1/alerts/999/withdraw", org, NULL, NULL, NULL, NULL), 404);
	a = heartbeat_answer_at(api, NOW + 5000, palais, "{\"version\":\"1.5\"}");
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "alerts")), 0);
	cJSON_Delete(a);
	api_destroy(api);
	store_close(store);
	/* after a restart: withdrawn, and palais's proof kept */
	store = store_open(db_path, &e);
	api = api_create(&cfg, store, NULL, 0, NOW, NULL, &e);
	assert_non_null(api);
	assert_int_equal(call(api, "GET", "/v1/alerts", NULL, NULL, NULL, &list, NULL), 200);
	x = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "alerts"), 0);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(x, "withdrawn")));
	assert_int_equal(cJSON_GetObjectItem(x, "confirmed")->valueint, 1);
	cJSON_Delete(list);
	api_destroy(api);
	store_close(store);
	free(feed);
}

/* A bundle folder as the image build makes it, as a tar at path; version v,
 * without file `leave_out` (NULL: complete). */
static void make_bundle(const char *path, const char *v, const char *leave_out)
{
	char dir[256], cmd[1024];
	snprintf(dir, sizeof(dir), "%s.d", path);
	static const char *const files[] = {"root.squashfs", "vmlinuz", "initrd.img", "SHA256SUMS",
					    "SHA256SUMS.sig"};
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && printf '%%s\n' '%s' >'%s/version'",
		 dir, dir, v, dir);
	assert_int_equal(system(cmd), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		if (leave_out && strcmp(files[i], leave_out) == 0)
			continue;
		snprintf(cmd, sizeof(cmd), "printf '%s' >'%s/%s'", files[i], dir, files[i]);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "tar -C '%s' -cf '%s' . && rm -rf '%s'", dir, path, dir);
	assert_int_equal(system(cmd), 0);
}

/* POST /v1/bundles as the shell hands it over: the body already in a file
 * of the bundle folder. */
static int post_bundle(struct api *api, const char *tar, const char *query, cJSON **json)
{
	char up[300];
	snprintf(up, sizeof(up), "%s.bundles/.upload-test", db_path);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s.bundles' && cp '%s' '%s'", db_path, tar, up);
	assert_int_equal(system(cmd), 0);
	struct api_request req = {.method = "POST", .path = "/v1/bundles", .query = query,
				  .authorization = org, .body = "", .now_ms = NOW,
				  .upload_path = up, .upload_size = 10240, .upload_sha256 = "ab12"};
	struct api_response res;
	handle(api, &req, &res);
	if (json)
		*json = res.body ? cJSON_Parse(res.body) : NULL;
	int status = res.status;
	api_response_finish(&res);
	return status;
}

/* The update in a heartbeat's answer at now_ms (caller deletes; NULL when
 * none); image is what the screen says it runs. */
static cJSON *update_for(struct api *api, int64_t now_ms, const char *auth, const char *image,
			 const char *update)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"image\":\"%s\",\"slot\":\"a\",\"update\":\"%s\"}", image,
		 update);
	cJSON *a = heartbeat_answer_at(api, now_ms, auth, body);
	cJSON *u = cJSON_DetachItemFromObject(a, "update");
	cJSON_Delete(a);
	if (cJSON_IsNull(u)) {
		cJSON_Delete(u);
		return NULL;
	}
	return u;
}

/* Bundles: kept whole or refused (not a tar, a file missing, the name not
 * the version, twice); a rollout: the canary first, the rest once the
 * canary has run it a minute, stopped when a screen fails, said in the
 * log; a screen's first heartbeat on the version survives a restart. */
static void test_bundles_and_rollouts(void **state)
{
	(void)state;
	struct fixture f;
	struct test_log lc = {{0}, 0};
	struct feed_error e = {{0}};
	struct api_log log = {test_log_line, &lc};
	f.store = store_open(db_path, &e);
	f.api = api_create(&config, f.store, NULL, 0, NOW, &log, &e);
	assert_non_null(f.api);
	const char *v = "20261127.120000-abc";
	char tar[300], bad[300];
	snprintf(tar, sizeof(tar), "%s.good.tar", db_path);
	snprintf(bad, sizeof(bad), "%s.bad.tar", db_path);
	make_bundle(tar, v, NULL);
	make_bundle(bad, v, "SHA256SUMS.sig");
	cJSON *j;
	assert_int_equal(post_bundle(f.api, bad, NULL, &j), 422);
	assert_non_null(strstr(cJSON_GetObjectItem(j, "error")->valuestring, "no SHA256SUMS.sig"));
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, "name=1.0", &j), 422);
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, NULL, &j), 201);
	assert_string_equal(cJSON_GetObjectItem(j, "bundle")->valuestring, v);
	cJSON_Delete(j);
	assert_int_equal(post_bundle(f.api, tar, NULL, NULL), 409);
	char kept[300];
	snprintf(kept, sizeof(kept), "%s.bundles/%s.tar", db_path, v);
	assert_int_equal(access(kept, R_OK), 0);
	/* the download: a screen's token */
	struct api_response res;
	char path[96];
	snprintf(path, sizeof(path), "/v1/bundles/%s.tar", v);
	request_at(f.api, NOW, "GET", path, org, NULL, NULL, &res);
	assert_int_equal(res.status, 401);
	api_response_finish(&res);
	request_at(f.api, NOW, "GET", path, palais, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.file, kept);
	api_response_finish(&res);
	/* rollouts: refused, then palais first */
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org,
			      "{\"bundle\":\"9.9\",\"canaries\":[\"palais-l2-east\"]}", NULL, NULL,
			      NULL), 422);
	char body[256];
	snprintf(body, sizeof(body), "{\"bundle\":\"%s\",\"canaries\":[\"lobby\"]}", v);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, NULL, NULL), 422);
	snprintf(body, sizeof(body), "{\"bundle\":\"%s\",\"canaries\":[\"palais-l2-east\"],"
				     "\"healthy_minutes\":1}", v);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, &j, NULL), 201);
	int id = cJSON_GetObjectItem(j, "change")->valueint;
	cJSON_Delete(j);
	assert_int_equal(call(f.api, "POST", "/v1/rollouts", org, body, NULL, NULL, NULL), 409);
	cJSON *u = update_for(f.api, NOW, palais, "old", "idle");
	assert_non_null(u);
	assert_string_equal(cJSON_GetObjectItem(u, "version")->valuestring, v);
	assert_string_equal(cJSON_GetObjectItem(u, "url")->valuestring, path);
	cJSON_Delete(u);
	assert_null(update_for(f.api, NOW, hall, "old", "idle")); /* not yet */
	/* palais runs it: nothing more for it; the rest wait a healthy minute */
	assert_null(update_for(f.api, NOW + 1000, palais, v, "idle"));
	assert_null(update_for(f.api, NOW + 30000, hall, "old", "idle"));
	assert_null(update_for(f.api, NOW + 62000, palais, v, "idle"));
	u = update_for(f.api, NOW + 63000, hall, "old", "idle");
	assert_non_null(u);
	cJSON_Delete(u);
	assert_non_null(strstr(lc.text, "INFO: rollout of 20261127.120000-abc: palais-l2-east runs it"));
	assert_non_null(strstr(lc.text, ": fleet"));
	/* hall refuses the bundle: the rollout stops, the desk sees why */
	assert_null(update_for(f.api, NOW + 70000, hall, "old", "refused: bad signature"));
	assert_non_null(strstr(lc.text, "WARN: rollout"));
	struct api_request rq = {.method = "GET", .path = "/v1/rollouts", .now_ms = NOW + 71000};
	handle(f.api, &rq, &res);
	cJSON *list = cJSON_Parse(res.body);
	api_response_finish(&res);
	cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "rollouts"), 0);
	assert_string_equal(cJSON_GetObjectItem(r0, "phase")->valuestring, "stopped");
	assert_non_null(strstr(cJSON_GetObjectItem(r0, "why")->valuestring, "bad signature"));
	cJSON *sp = cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "screens"), "palais-l2-east");
	assert_string_equal(cJSON_GetObjectItem(sp, "part")->valuestring, "running");
	assert_string_equal(cJSON_GetObjectItem(sp, "slot")->valuestring, "a");
	cJSON_Delete(list);
	/* for good: hall back to idle gets nothing; a desk's stop now is a 409 */
	assert_null(update_for(f.api, NOW + 80000, hall, "old", "idle"));
	snprintf(path, sizeof(path), "/v1/rollouts/%d/stop", id);
	assert_int_equal(call(f.api, "POST", path, org, NULL, NULL, NULL, NULL), 409);
	snprintf(path, sizeof(path), "/v1/rollouts/%d/stop", id + 100);
	assert_int_equal(call(f.api, "POST", path, org, NULL, NULL, NULL, NULL), 404);
	close_api(&f);
	open_api(&f, false);
	handle(f.api, &rq, &res);
	list = cJSON_Parse(res.body);
	api_response_finish(&res);
	r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "rollouts"), 0);
	assert_string_equal(cJSON_GetObjectItem(r0, "phase")->valuestring, "stopped");
	sp = cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "screens"), "palais-l2-east");
	assert_string_equal(cJSON_GetObjectItem(sp, "running_since")->valuestring,
			    "2014-11-06T09:00:01Z");
	cJSON_Delete(list);
	close_api(&f);
	unlink(tar);
	unlink(bad);
	unlink(kept);
	char dir[300];
	snprintf(dir, sizeof(dir), "%s.bundles", db_path);
	rmdir(dir);
}

/* GET /m/: the board for a phone: now and next per room with FULL, the
 * changes in words, the notices for everyone, the lunch lines; text from
 * feeds escaped; French on request; another moment with ?at=. */
static void test_mobile_page(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	assert_int_equal(call(f.api, "POST", "/v1/changes", org,
			      "{\"kind\":\"move\",\"session\":\"4184\",\"room\":\"Salle 243\"}", NULL,
			      NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"Lunch <b>upstairs</b> & \\\"more\\\"\"}", NULL, NULL, NULL), 201);
	assert_int_equal(call(f.api, "POST", "/v1/notices", org,
			      "{\"text\":\"For the Palais only\",\"screens\":[\"palais-l2-east\"]}", NULL,
			      NULL, NULL), 201);
	char line[256];
	room_line(line, sizeof(line), "Salle 241", 400, 0);
	post_samples_at(f.api, NOW, line, 200, NULL);
	struct api_response res;
	struct api_request rq = {.method = "GET", .path = "/m/", .query = "at=2014-11-06T10%3A00%3A00%2B01%3A00",
				 .now_ms = NOW};
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "text/html; charset=utf-8");
	assert_null(strstr(res.csp, "script"));
	const char *html = res.body;
	assert_non_null(strstr(html, "<h1>OpenStack Summit Paris 2014</h1>"));
	assert_non_null(strstr(html, "As of 10:00"));
	assert_non_null(strstr(html, "Lunch &lt;b&gt;upstairs&lt;/b&gt; &amp; &quot;more&quot;"));
	assert_null(strstr(html, "For the Palais only")); /* a notice for one screen */
	assert_non_null(strstr(html, "<strong>moved</strong> TripleO: review policy"));
	assert_non_null(strstr(html, "Salle 251 → Salle 243"));
	/* Salle 241 at 10:00 in Paris: Docker and Nova, counted at its 400 seats */
	assert_non_null(strstr(html, "Salle 241 <span class=\"full\">FULL</span>"));
	assert_non_null(strstr(html, "09:50–10:30</span> Docker and Nova"));
	api_response_finish(&res);
	rq.query = "lang=fr&at=2014-11-06T10%3A00%3A00%2B01%3A00";
	handle(f.api, &rq, &res);
	assert_non_null(strstr(res.body, "<html lang=\"fr\">"));
	assert_non_null(strstr(res.body, "COMPLET"));
	assert_non_null(strstr(res.body, "Changements"));
	api_response_finish(&res);
	rq.path = "/m/style.css";
	rq.query = NULL;
	handle(f.api, &rq, &res);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "text/css; charset=utf-8");
	api_response_finish(&res);
	close_api(&f);
}

/* Every /metrics line is a comment or "name{label="value"} number": no id
 * can add a line or break the scrape. */
static void test_metrics_escaped(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, false);
	post_samples_at(f.api, NOW,
			"{\"type\":\"queue\",\"queue\":\"lunch\\\"} 1 \\\\ x\",\"stations\":1,"
			"\"service_s\":30}\n", 200, NULL);
	post_samples_at(f.api, NOW,
			"{\"type\":\"queue\",\"queue\":\"x\\nvenueboard_fake 1\",\"stations\":1,"
			"\"service_s\":30}\n", 400, "queue: not UTF-8 text without control characters");
	struct api_response res;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	char *text = strndup(res.body, res.body_len);
	api_response_finish(&res);
	assert_non_null(strstr(text, "venueboard_queue_last_sample_age_seconds{queue=\"lunch\\\"} "
				     "1 \\\\ x\"} -1.0\n"));
	free(text);
	int lines = 0;
	request_at(f.api, NOW, "GET", "/metrics", NULL, NULL, NULL, &res);
	const char *p = res.body, *end = res.body + res.body_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		assert_non_null(nl);
		size_t n = (size_t)(nl - p);
		lines++;
		if (n >= 7 && memcmp(p, "# TYPE ", 7) == 0) {
			p = nl + 1;
			continue;
		}
		assert_true(memcmp(p, "venueboard_", 11) == 0);
		/* a label value ends at an unescaped quote */
		const char *brace = memchr(p, '{', n);
		const char *q = p + n;
		if (brace) {
			const char *v = brace + 1;
			while (v < q && *v != '"')
				v++;
			for (v++; v < q && *v != '"'; v++)
				if (*v == '\\')
					v++;
			assert_true(v + 1 < q && v[1] == '}');
			q = v + 2;
		} else {
			q = memchr(p, ' ', n);
		}
		assert_non_null(q);
		assert_true(*q == ' ');
		char *num_end;
		strtod(q + 1, &num_end);
		assert_ptr_equal(num_end, nl);
		p = nl + 1;
	}
	assert_true(lines > 10);
	api_response_finish(&res);
	close_api(&f);
}

/* /healthz says "failing" when writes do not reach the database. */
static void test_health_sees_failing_writes(void **state)
{
	(void)state;
	struct fixture f;
	open_api(&f, true);
	struct api_response res;
	request_at(f.api, NOW, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(res.body, "\"status\":\"ok\""));
	api_response_finish(&res);
	/* someone else holds the database: every write fails */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	request_at(f.api, NOW + 1000, "POST", "/v1/notices", org, "{\"text\":\"Lunch at 13:00\"}", NULL,
		   &res);
	assert_int_equal(res.status, 500);
	api_response_finish(&res);
	request_at(f.api, NOW + 2000, "GET", "/healthz", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 503);
	assert_non_null(strstr(res.body, "\"status\":\"failing\",\"error\":\"database"));
	api_response_finish(&res);
	assert_int_equal(audit_size(f.api), 0);
	/* the lock goes: the next look (a probe write) sees it */
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	request_at(f.api, NOW + 2000 + API_HEALTH_PROBE_S * 1000LL, "GET", "/healthz", NULL, NULL, NULL,
		   &res);
	assert_int_equal(res.status, 200);
	api_response_finish(&res);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_schedule_changes_and_restart, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_samples_all_or_nothing, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_routes_and_limits, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_since, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_filter_and_default, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_bad_query, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_since_truncated, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_screens_heartbeat, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_screens_refusals, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_screens_none_configured, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_bad_changes_store_nothing, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_room_limit, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_restart_over_bad_changes, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_forecast, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_queues_forecast_withheld, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_rooms, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_and_zones, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_bundles_and_rollouts, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_mobile_page, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_future_samples, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_metrics_escaped, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_health_sees_failing_writes, NULL, teardown),
		cmocka_unit_test_setup_teardown(test_identity_after_reload, NULL, teardown),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
