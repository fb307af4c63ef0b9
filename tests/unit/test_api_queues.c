/* Unit tests for api_queues.c: sensors' samples stored whole or refused,
 * GET /v1/queues and its ?since, a sample from the future. (api_test.h) */
#include "api_test.h"

#include "api.h"
#include "civil_time.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GET /v1/queues?query: the body as sent (caller frees), status returned. */
static int get_queues_raw(struct api *api, const char *query, char **body)
{
	struct api_request req = {
		.method = "GET", .path = "/v1/queues", .query = query, .now_ms = NOW};
	struct api_response res;
	handle(api, &req, &res);
	*body = res.body ? strndup(res.body, res.body_len) : NULL;
	assert_non_null(*body);
	assert_int_equal(strlen(*body), res.body_len);
	int status = res.status;
	api_response_finish(&res);
	return status;
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
	assert_int_equal(cJSON_GetObjectItem(doc, "accepted")->valueint,
			 5); /* the room count too */
	assert_int_equal(cJSON_GetObjectItem(doc, "skipped")->valueint, 1);
	cJSON_Delete(doc);
	/* one bad line refuses the batch, naming it; nothing of it is kept */
	const char bad[] = "{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":"
			   "\"entry\",\"t\":\"2014-11-06T08:59:50Z\",\"total\":500}\n"
			   "{\"type\":\"count\",\"queue\":\"meridien\"}\n";
	struct api_request req = {.method = "POST",
				  .path = "/v1/samples",
				  .authorization = sensor,
				  .body = bad,
				  .body_len = strlen(bad),
				  .now_ms = NOW};
	struct api_response res;
	handle(f.api, &req, &res);
	assert_int_equal(res.status, 400);
	assert_non_null(strstr(res.body, "line 2"));
	api_response_finish(&res);
	assert_int_equal(call(f.api, "GET", "/v1/queues", NULL, NULL, NULL, &doc, NULL), 200);
	cJSON *q = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"), 0);
	assert_string_equal(cJSON_GetObjectItem(q, "queue")->valuestring, "meridien");
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 10);            /* not 400 */
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
	 "\"t\":\"2014-11-06T08:50:00Z\",\"total\":101}",
	 1, false, -600000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
	 "\"t\":\"2014-11-06T08:50:00Z\",\"total\":102}",
	 1, false, -600000},
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T09:45:00+01:00\",\"total\":103}",
	 1, false, -900000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:29:59.999Z\",\"total\":104}",
	 1, false, -1800001},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T09:30:00+01:00\",\"total\":105}",
	 1, false, -1800000},
	/* the basic form: SQLite's date functions do not read it */
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"20141106T083500Z\",\"total\":106}",
	 1, false, -1500000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-05T09:00:00Z\",\"total\":107}",
	 1, false, -86400000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-05T08:59:59Z\",\"total\":108}",
	 1, false, -86401000},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:55:00Z\",\"total\":109}",
	 2, false, -300000},
	{"{\"type\":\"count\",\"queue\":\"hilton\",\"sensor\":\"in\",\"role\":\"entry\","
	 "\"t\":\"2014-11-06T08:40:00.5+00:00\",\"total\":110}",
	 2, false, -1199500},
	{"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"out\",\"role\":\"exit\","
	 "\"t\":\"2014-11-06T09:00:00Z\",\"total\":111}",
	 2, false, 0},
	{"{\"type\":\"stations\",\"queue\":\"hilton\",\"t\":\"2014-11-06T08:31:00Z\",\"open\":2}",
	 2, false, -1740000},
};

enum { N_SAMPLES = sizeof(samples) / sizeof(*samples) };

static void post_fixture_samples(struct api *api)
{
	for (int batch = 1; batch <= 2; batch++) {
		char body[4096] = "";
		size_t o = 0;
		for (size_t i = 0; i < N_SAMPLES; i++)
			if (samples[i].batch == batch)
				o += (size_t)snprintf(body + o, sizeof(body) - o, "%s\n",
						      samples[i].line);
		assert_true(o < sizeof(body));
		assert_int_equal(call(api, "POST", "/v1/samples", sensor, body, NULL, NULL, NULL),
				 200);
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
		{"since=2014-11-06T08:30:00Z&queue=nowhere&queue=meridien&x=1", -1800000,
		 "meridien"},
		{"since=2014-11-06T08:30:00Z&queue=nowhere", -1800000, "nowhere"},
	};
	for (int pass = 0; pass < 2; pass++) { /* and again from the store after a restart */
		char *plain;
		assert_int_equal(get_queues_raw(f.api, NULL, &plain), 200);
		cJSON *plain_doc = cJSON_Parse(plain);
		for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
			cJSON *doc;
			assert_int_equal(call_query(f.api, "GET", "/v1/queues", cases[c].query,
						    NULL, NULL, NULL, &doc, NULL),
					 200);
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
					q,
					cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "queues"),
							   nq++),
					true));
			}
			assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "queues")),
					 nq);
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
				    "{\"t\":\"2014-11-06T09:00:00Z\",\"queues\":%s,\"samples\":[",
				    queues);
	for (int batch = 1; batch <= 2; batch++)
		for (size_t i = 0; i < N_SAMPLES; i++)
			if (samples[i].batch == batch &&
			    (samples[i].decl || samples[i].at >= -API_RECENT_SAMPLE_S * 1000LL))
				o += (size_t)snprintf(want + o, sizeof(want) - o, "%s%s",
						      want[o - 1] == '[' ? "" : ",",
						      samples[i].line);
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
					    NULL, &got, NULL),
				 200);
		const char *keys[] = {"queues", "samples"};
		for (int k = 0; k < 2; k++) {
			cJSON *all = cJSON_GetObjectItem(doc, keys[k]);
			cJSON *some = cJSON_GetObjectItem(got, keys[k]);
			int n = 0;
			cJSON *x;
			cJSON_ArrayForEach(x, all) {
				const char *id = cJSON_GetObjectItem(x, "queue")->valuestring;
				bool wanted =
					(cases[c].only[0] && strcmp(id, cases[c].only[0]) == 0) ||
					(cases[c].only[1] && strcmp(id, cases[c].only[1]) == 0);
				if (!wanted)
					continue;
				if (!cJSON_Compare(x, cJSON_GetArrayItem(some, n++), true))
					fail_msg("%s: %s item %d differs", cases[c].query, keys[k],
						 n - 1);
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
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%sq%d=1", i ? "&" : "",
			 i);
	memset(long_value + 6, 'a', API_MAX_QUERY_VALUE + 1);
	static const char *const since_bad[] = {
		"since=yesterday",
		"since=",
		"since",
		"since=2014-11-06",
		"since=2014-11-06T11:00:00", /* no offset */
		"since=2014-11-06T25:00:00Z",
		"since=2014-11-06T11:00:00Z&since=2014-11-06T12:00:00Z",
		"since=2014-11-06T11:00:00Z%",
		"since=2014-11-06T11%3G00:00Z",
		"since=2014-11-06T11:00:00Z%00",
		"queue=meridien&since=1415264400",
	};
	for (size_t i = 0; i < sizeof(since_bad) / sizeof(*since_bad); i++) {
		cJSON *doc;
		struct api_request req = {.method = "GET",
					  .path = "/v1/queues",
					  .query = since_bad[i],
					  .now_ms = NOW};
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
	assert_int_equal(
		call_query(f.api, "GET", "/v1/queues", long_value, NULL, NULL, NULL, &doc, NULL),
		400);
	assert_non_null(strstr(cJSON_GetObjectItem(doc, "error")->valuestring, "queue: "));
	cJSON_Delete(doc);
	/* 16 parameters and 128-byte values are fine */
	many[strlen(many) - strlen("&q16=1")] = '\0';
	long_value[6 + API_MAX_QUERY_VALUE] = '\0';
	assert_int_equal(call_query(f.api, "GET", "/v1/queues", many, NULL, NULL, NULL, NULL, NULL),
			 200);
	assert_int_equal(
		call_query(f.api, "GET", "/v1/queues", long_value, NULL, NULL, NULL, NULL, NULL),
		200);
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
		snprintf(
			line, sizeof(line),
			"{\"type\":\"count\",\"queue\":\"big\",\"sensor\":\"in\",\"role\":\"entry\","
			"\"t\":\"%s.%03dZ\",\"total\":%d}",
			t, (int)(ms % 1000), k);
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
		assert_int_equal(
			call_query(f.api, "GET", "/v1/queues", since, NULL, NULL, NULL, &doc, NULL),
			200);
		cJSON *x, *arr = cJSON_GetObjectItem(doc, "samples");
		bool decl = true;
		cJSON_ArrayForEach(x, arr) {
			if (decl) { /* the declaration, first each time */
				assert_string_equal(cJSON_GetObjectItem(x, "type")->valuestring,
						    "queue");
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
	post_samples_at(f.api, NOW, future, 400,
			"line 2: t: 2200-01-01T12:00:00Z is more than 300 s "
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
	assert_int_equal(
		sqlite3_exec(db,
			     "INSERT INTO samples(at_ms, who, line) VALUES (1415264399000,"
			     " 'door', '{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":"
			     "\"in\",\"role\":\"entry\",\"t\":\"2200-01-01T12:00:00Z\","
			     "\"total\":500}')",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	struct test_log lc = {{0}, 0};
	open_api_logged(&f, &lc);
	assert_non_null(strstr(lc.text,
			       "WARN: 1 stored samples are dated more than 300 s after this "
			       "server's clock (the latest 2200-01-01T12:00:00Z) and are skipped"));
	q = queue_estimate(f.api, NOW, "meridien");
	assert_string_equal(cJSON_GetObjectItem(q, "confidence")->valuestring, "good");
	assert_int_equal(cJSON_GetObjectItem(q, "people")->valueint, 2); /* 4 in, 2 out */
	cJSON_Delete(q);
	close_api(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_samples_all_or_nothing, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues_since, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues_filter_and_default, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues_bad_query, NULL, api_test_teardown),
		cmocka_unit_test_setup_teardown(test_queues_since_truncated, NULL,
						api_test_teardown),
		cmocka_unit_test_setup_teardown(test_future_samples, NULL, api_test_teardown),
	};
	return cmocka_run_group_tests(tests, api_test_setup, NULL);
}
