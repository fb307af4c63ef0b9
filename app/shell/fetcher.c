/* fetcher: every feed on one curl multi handle, driven by the main loop's
 * fetcher_run(); nothing here blocks longer than the caller's wait_ms. */
#include "fetcher.h"

#include "fetch_backoff.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#if LIBCURL_VERSION_NUM < 0x075500
#error "the fetcher needs libcurl 7.85 or newer (CURLOPT_PROTOCOLS_STR)"
#endif

enum {
	URL_MAX = 2048,
	ETAG_MAX = 256,
	LAST_MODIFIED_MAX = 64,
	RETRY_AFTER_MAX = 80,
	BODY_FIRST_CAP = 16384,
	MAX_REDIRECTS = 3,
	LOW_SPEED_BYTES = 16, /* below this many bytes per second... */
	LOW_SPEED_S = 20,     /* ...for this long, a transfer is cut */
};

/* Used for a zero (or negative) field of struct fetcher_options. */
static const struct fetcher_options defaults = {
	.max_bytes = 8u << 20,
	.connect_timeout_ms = 10000,
	.timeout_ms = 60000,
	.backoff_min_ms = 1000,
	.backoff_max_ms = 300000,
	.user_agent = "venueboard/0.1",
};

struct feed {
	struct fetcher *owner;
	char url[URL_MAX + 1];
	int interval_ms;
	int64_t due_ms; /* INT64_MIN: due at once */
	int failures;
	bool held;    /* waiting out the server's Retry-After */
	bool refused; /* its last body passed the cap: its own back-off, not the origin's */
	char origin[FETCH_BACKOFF_ORIGIN_MAX]; /* "" for file:// */

	/* what the next conditional GET sends (from the last 2xx of this URL) */
	char etag[ETAG_MAX];
	char last_modified[LAST_MODIFIED_MAX];
	uint64_t body_hash; /* of the last body handed out, with its length */
	size_t body_len;
	bool have_hash;

	/* the transfer in flight (easy is kept between transfers: curl_easy_reset
	 * keeps its TLS session cache) */
	CURL *easy;
	bool in_flight;
	bool stale; /* the URL changed under it: its validators are not kept */
	bool is_http;
	bool too_big;
	bool out_of_memory;
	int64_t started_ms;
	struct curl_slist *headers;
	char *body;
	size_t len, cap;
	char rx_etag[ETAG_MAX];
	char rx_last_modified[LAST_MODIFIED_MAX];
	int64_t rx_date_s; /* the Date header: a venue's time source when NTP is not */
	int64_t rx_length; /* Content-Length, -1 when none (said when over the cap) */
	char rx_retry_after[RETRY_AFTER_MAX]; /* "" when none (or too long to be one) */
	char errbuf[CURL_ERROR_SIZE];

	bool has_result;
	struct fetch_result result;

	/* a stream (fetcher_add_stream): the body goes to sink as it comes */
	bool is_stream, stream_open;
	char bearer[320]; /* the Authorization header line */
	int idle_ms, backoff_max_ms;
	int64_t last_rx_ms;
	bool idle_cut;
	bool cut; /* its reader broke it off (fetcher_stream_cut): cut_why says why */
	char cut_why[200];
	fetcher_sink_fn *sink;
	void *sink_ctx;
};

struct fetcher {
	CURLM *multi;
	struct fetcher_options opt;
	uint64_t rng;
	int n_feeds;
	int running;
	int64_t now_ms; /* fetcher_run's, for a stream's last bytes */
	struct feed feeds[FETCHER_MAX_FEEDS];
};

/* splitmix64: small, good enough for jitter, and its state is ours. */
static uint64_t next_random(struct fetcher *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* FNV-1a: only tells "same bytes as last time" apart, with the length too. */
static uint64_t hash_bytes(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool url_acceptable(const char *url)
{
	if (!url || strlen(url) > URL_MAX)
		return false;
	return has_prefix(url, "http://") || has_prefix(url, "https://") ||
	       has_prefix(url, "file://");
}

static bool valid_feed(const struct fetcher *f, int feed)
{
	return f && feed >= 0 && feed < f->n_feeds;
}

/* b = min(max, min * 2^(failures-1)), then equal jitter: uniform in [b/2, b]. */
static int64_t backoff_ms(struct fetcher *f, int failures, int max_ms)
{
	int lo = f->opt.backoff_min_ms;
	return fetch_backoff_delay_ms(failures, lo, max_ms > lo ? max_ms : f->opt.backoff_max_ms,
				      next_random(f));
}

static void free_result(struct fetch_result *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

/* A result waits until fetcher_take. A waiting new body is never dropped for a
 * less useful result (it is still the newest content); anything else is
 * replaced by the newer result. */
static void post_result(struct feed *fd, struct fetch_result *r)
{
	if (fd->has_result && fd->result.outcome == FETCH_NEW && r->outcome != FETCH_NEW) {
		free_result(r);
		return;
	}
	if (fd->has_result)
		free_result(&fd->result);
	fd->result = *r;
	fd->has_result = true;
}

static void fail(struct feed *fd, struct fetch_result *r, int64_t finished_ms)
{
	struct fetcher *f = fd->owner;
	free_result(r);
	r->outcome = FETCH_FAILED;
	if (fd->failures < INT_MAX)
		fd->failures++;
	r->failures = fd->failures;
	r->retry_ms = backoff_ms(f, fd->failures, fd->backoff_max_ms);
	r->asked_wait_s = -1;
	fd->held = false;
	/* the back-off counts from the end of the failed transfer, which is its
	 * start plus the time curl measured */
	fd->due_ms = finished_ms + r->retry_ms;
}

/* A 503 or 429 that says when to come back: the wait it asks for, within
 * fetch_backoff_hold_ms's bounds, instead of our own back-off. */
static void honour_retry_after(struct feed *fd, struct fetch_result *r, int64_t finished_ms)
{
	if (!fd->rx_retry_after[0] || (r->http_status != 503 && r->http_status != 429))
		return;
	int64_t now_s = fd->rx_date_s ? fd->rx_date_s : (int64_t)time(NULL);
	int64_t delay_s;
	snprintf(r->retry_after, sizeof(r->retry_after), "%s", fd->rx_retry_after);
	if (!fetch_backoff_retry_after(fd->rx_retry_after, now_s, &delay_s))
		return; /* the caller says it was ignored: asked_wait_s stays -1 */
	r->asked_wait_s = delay_s;
	r->retry_ms = fetch_backoff_hold_ms(delay_s, fd->interval_ms);
	fd->due_ms = finished_ms + r->retry_ms;
	fd->held = true;
}

/* The origin answered: its other feeds in back-off are tried soon (the
 * server is back; the lunch lines need not wait out their own minutes). */
static void origin_answered(struct fetcher *f, struct feed *fd, int64_t now_ms)
{
	struct fetch_backoff_peer peers[FETCHER_MAX_FEEDS];
	size_t who = 0;
	for (int i = 0; i < f->n_feeds; i++) {
		struct feed *p = &f->feeds[i];
		if (p == fd)
			who = (size_t)i;
		/* a stream keeps its own reconnection: a cut is not a server down */
		/* nor does a feed whose body was too big: the server answering
		 * others says nothing of that body */
		peers[i] =
			(struct fetch_backoff_peer){p->is_stream ? NULL : p->origin, p->failures,
						    p->due_ms, p->in_flight, p->held || p->refused};
	}
	if (!fetch_backoff_answered(peers, (size_t)f->n_feeds, who, now_ms, next_random(f)))
		return;
	for (int i = 0; i < f->n_feeds; i++) {
		f->feeds[i].failures = peers[i].failures;
		f->feeds[i].due_ms = peers[i].due_ms;
	}
}

static void succeed(struct feed *fd, struct fetch_result *r)
{
	fd->failures = 0;
	fd->held = fd->refused = false;
	r->failures = 0;
	r->retry_ms = 0;
	r->asked_wait_s = -1;
	/* a steady cadence: interval_ms after the transfer started */
	fd->due_ms = fd->started_ms + fd->interval_ms;
	origin_answered(fd->owner, fd, fd->started_ms + r->elapsed_ms);
}

static void store_header(char *dst, size_t cap, const char *v, size_t len)
{
	if (len >= cap)
		return; /* a truncated validator would never match: keep none */
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
			return;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

/* What a response's headers told: forgotten when a transfer starts and when
 * another response begins within it (a redirect, a 1xx). */
static void forget_response_headers(struct feed *fd)
{
	fd->rx_etag[0] = '\0';
	fd->rx_last_modified[0] = '\0';
	fd->rx_date_s = 0;
	fd->rx_length = -1;
	fd->rx_retry_after[0] = '\0';
}

static void take_etag(struct feed *fd, const char *v, size_t vlen)
{
	store_header(fd->rx_etag, sizeof(fd->rx_etag), v, vlen);
}

static void take_last_modified(struct feed *fd, const char *v, size_t vlen)
{
	store_header(fd->rx_last_modified, sizeof(fd->rx_last_modified), v, vlen);
}

static void take_date(struct feed *fd, const char *v, size_t vlen)
{
	if (vlen >= 64)
		return;
	char d[64];
	memcpy(d, v, vlen);
	d[vlen] = '\0';
	time_t t = curl_getdate(d, NULL);
	fd->rx_date_s = t > 0 ? (int64_t)t : 0;
}

/* Digits only, at most 18 of them (no overflow); anything else is no length. */
static void take_content_length(struct feed *fd, const char *v, size_t vlen)
{
	int64_t bytes = 0;
	size_t i = 0;
	while (i < vlen && i < 18 && v[i] >= '0' && v[i] <= '9')
		bytes = bytes * 10 + (v[i++] - '0');
	fd->rx_length = i == vlen && vlen ? bytes : -1;
}

static void take_retry_after(struct feed *fd, const char *v, size_t vlen)
{
	store_header(fd->rx_retry_after, sizeof(fd->rx_retry_after), v, vlen);
}

/* The headers the fetcher reads; the others pass by. */
static const struct {
	const char *name;
	void (*take)(struct feed *fd, const char *v, size_t vlen);
} header_rules[] = {
	{"ETag", take_etag},
	{"Last-Modified", take_last_modified},
	{"Date", take_date},
	{"Content-Length", take_content_length},
	{"Retry-After", take_retry_after},
};

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct feed *fd = ud;
	size_t len = size * n;
	if (len >= 5 && strncasecmp(p, "HTTP/", 5) == 0) { /* a new response (redirect, 1xx) */
		forget_response_headers(fd);
		return len;
	}
	const char *colon = memchr(p, ':', len);
	if (!colon)
		return len;
	size_t name_len = (size_t)(colon - p);
	const char *v = colon + 1, *end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (size_t i = 0; i < sizeof(header_rules) / sizeof(header_rules[0]); i++) {
		const char *name = header_rules[i].name;
		if (name_len == strlen(name) && strncasecmp(p, name, name_len) == 0) {
			header_rules[i].take(fd, v, (size_t)(end - v));
			break;
		}
	}
	return len;
}

/* A stream's bytes go on as they come, a 2xx answer's only (an error's
 * body is no event stream: the end of the transfer says what it was). */
static size_t on_stream(struct feed *fd, char *p, size_t len)
{
	long status = 0;
	curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status >= 300)
		return len;
	if (fd->cut)
		return 0; /* curl stops the transfer: finish() says why */
	fd->stream_open = true;
	fd->last_rx_ms = fd->owner->now_ms;
	fd->sink(fd->sink_ctx, p, len);
	return fd->cut ? 0 : len;
}

/* The cap is checked here too: a chunked or gzip'd body has no length up front. */
static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct feed *fd = ud;
	size_t len = size * n;
	if (fd->is_stream)
		return on_stream(fd, p, len);
	size_t max = fd->owner->opt.max_bytes;
	if (len > max || fd->len > max - len) {
		fd->too_big = true;
		return 0;
	}
	if (fd->len + len + 1 > fd->cap) {
		size_t ncap = fd->cap ? fd->cap : BODY_FIRST_CAP;
		while (ncap < fd->len + len + 1)
			ncap *= 2;
		char *nb = realloc(fd->body, ncap);
		if (!nb) {
			fd->out_of_memory = true;
			return 0;
		}
		fd->body = nb;
		fd->cap = ncap;
	}
	memcpy(fd->body + fd->len, p, len);
	fd->len += len;
	fd->body[fd->len] = '\0';
	return len;
}

static void drop_body(struct feed *fd)
{
	free(fd->body);
	fd->body = NULL;
	fd->len = fd->cap = 0;
}

static bool add_header(struct curl_slist **list, const char *name, const char *value)
{
	char line[ETAG_MAX + 32];
	snprintf(line, sizeof(line), "%s: %s", name, value);
	struct curl_slist *l = curl_slist_append(*list, line);
	if (!l)
		return false;
	*list = l;
	return true;
}

static bool set_options(struct feed *fd)
{
	const struct fetcher_options *o = &fd->owner->opt;
	CURL *c = fd->easy;
	bool ok = true;
	/* CURLE_OK is 0: or-ing the codes says whether any option was refused */
	int rc = curl_easy_setopt(c, CURLOPT_URL, fd->url);
	rc |= curl_easy_setopt(c, CURLOPT_PRIVATE, fd);
	rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
	/* a server must not send us to a local file */
	rc |= curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_MAXREDIRS, (long)MAX_REDIRECTS);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		rc |= curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
	if (fd->is_stream) { /* open for hours: no whole-transfer limit; cut when idle */
		rc |= curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
		ok = ok && add_header(&fd->headers, "Accept", "text/event-stream") &&
		     add_header(&fd->headers, "Cache-Control", "no-cache");
		struct curl_slist *l = curl_slist_append(fd->headers, fd->bearer);
		ok = ok && l;
		fd->headers = l ? l : fd->headers;
	} else {
		rc |= curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
		rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
		rc |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)LOW_SPEED_BYTES);
		rc |= curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)LOW_SPEED_S);
		/* fits: fetcher_create keeps max_bytes under SIZE_MAX / 4 */
		rc |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	}
	rc |= curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
	rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, fd->errbuf);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, fd);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	rc |= curl_easy_setopt(c, CURLOPT_HEADERDATA, fd);
	if (fd->is_http && fd->etag[0])
		ok = ok && add_header(&fd->headers, "If-None-Match", fd->etag);
	if (fd->is_http && fd->last_modified[0])
		ok = ok && add_header(&fd->headers, "If-Modified-Since", fd->last_modified);
	if (fd->headers)
		rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, fd->headers);
	return ok && rc == (int)CURLE_OK;
}

static void start(struct fetcher *f, struct feed *fd, int64_t now_ms)
{
	fd->started_ms = now_ms;
	fd->is_http = !has_prefix(fd->url, "file://");
	fd->stale = fd->too_big = fd->out_of_memory = false;
	fd->errbuf[0] = '\0';
	forget_response_headers(fd);
	fd->stream_open = fd->idle_cut = fd->cut = false;
	fd->last_rx_ms = now_ms;
	if (fd->is_stream)
		fd->sink(fd->sink_ctx, NULL, 0); /* a new connection */
	drop_body(fd);
	if (!fd->easy)
		fd->easy = curl_easy_init();
	else
		curl_easy_reset(fd->easy);
	if (fd->easy && set_options(fd) && curl_multi_add_handle(f->multi, fd->easy) == CURLM_OK) {
		fd->in_flight = true;
		f->running++;
		return;
	}
	curl_slist_free_all(fd->headers);
	fd->headers = NULL;
	struct fetch_result r = {0};
	fail(fd, &r, now_ms);
	snprintf(r.error, sizeof(r.error),
		 "cannot start the transfer: libcurl refused an option or ran out of memory");
	post_result(fd, &r);
}

/* curl's own words for a failed transfer when it left any, else its code's. */
static void say_curl_error(const struct feed *fd, CURLcode rc, struct fetch_result *r)
{
	snprintf(r->error, sizeof(r->error), "%s",
		 fd->errbuf[0] ? fd->errbuf : curl_easy_strerror(rc));
}

/* However a stream ended, it is reopened after a back-off; the error says
 * why it ended, the reader's own reason first. */
static void finish_stream(struct fetcher *f, struct feed *fd, CURLcode rc, struct fetch_result *r,
			  int64_t finished_ms)
{
	bool was_open = fd->stream_open;
	fd->stream_open = false;
	fail(fd, r, fd->idle_cut || fd->cut ? f->now_ms : finished_ms);
	if (fd->cut)
		snprintf(r->error, sizeof(r->error), "%s", fd->cut_why);
	else if (fd->idle_cut)
		snprintf(r->error, sizeof(r->error), "nothing came for %d s", fd->idle_ms / 1000);
	else if (rc != CURLE_OK)
		say_curl_error(fd, rc, r);
	else if (r->http_status < 200 || r->http_status >= 300)
		snprintf(r->error, sizeof(r->error), "HTTP %ld", r->http_status);
	else
		snprintf(r->error, sizeof(r->error), "the server ended it%s",
			 was_open ? "" : " before any event");
}

/* A body over the cap is an answer, not an outage: it backs off on its own
 * (refused) and says its size when the answer's Content-Length gave one. */
static void finish_too_big(struct fetcher *f, struct feed *fd, struct fetch_result *r,
			   int64_t finished_ms)
{
	fail(fd, r, finished_ms);
	fd->refused = true;
	r->too_big = true;
	r->size = fd->rx_length > (int64_t)f->opt.max_bytes ? fd->rx_length : -1;
	char size[48] = "", cap[48];
	size_t max = f->opt.max_bytes;
	if (max >= 1u << 20)
		snprintf(cap, sizeof(cap), "%.0f MB", (double)max / 1048576.0);
	else
		snprintf(cap, sizeof(cap), "%zu-byte", max);
	if (r->size > 0 && max >= 1u << 20)
		snprintf(size, sizeof(size), "%.1f MB, ", (double)r->size / 1048576.0);
	else if (r->size > 0)
		snprintf(size, sizeof(size), "%lld bytes, ", (long long)r->size);
	snprintf(r->error, sizeof(r->error), "%sover the %s cap", size, cap);
}

/* >= 400, or a redirect with nowhere to go: a 503 or 429 may say how long
 * to wait. */
static void finish_http_error(struct feed *fd, struct fetch_result *r, int64_t finished_ms)
{
	fail(fd, r, finished_ms);
	honour_retry_after(fd, r, finished_ms);
	if (r->asked_wait_s >= 0)
		snprintf(r->error, sizeof(r->error), "HTTP %ld, the server asks to wait %lld s",
			 r->http_status, (long long)r->asked_wait_s);
	else
		snprintf(r->error, sizeof(r->error), "HTTP %ld", r->http_status);
}

/* A body came: the validators are kept for the next conditional GET, and the
 * body is handed out unless it is the same bytes as last time (a server
 * without validators). A URL changed mid-transfer keeps neither. */
static void finish_body(struct feed *fd, struct fetch_result *r, int64_t finished_ms)
{
	succeed(fd, r);
	if (fd->is_http && !fd->stale) {
		memcpy(fd->etag, fd->rx_etag, sizeof(fd->etag));
		memcpy(fd->last_modified, fd->rx_last_modified, sizeof(fd->last_modified));
	}
	uint64_t h = hash_bytes(fd->body ? fd->body : "", fd->len);
	if (fd->have_hash && h == fd->body_hash && fd->len == fd->body_len) {
		r->outcome = FETCH_NOT_MODIFIED;
		return;
	}
	r->outcome = FETCH_NEW;
	r->body = fd->body ? fd->body : calloc(1, 1);
	r->len = fd->len;
	fd->body = NULL;
	fd->len = fd->cap = 0;
	if (!r->body) {
		fail(fd, r, finished_ms);
		snprintf(r->error, sizeof(r->error), "out of memory");
	} else if (!fd->stale) {
		fd->body_hash = h;
		fd->body_len = r->len;
		fd->have_hash = true;
	}
}

static void finish(struct fetcher *f, struct feed *fd, CURLcode rc)
{
	struct fetch_result r = {0};
	curl_off_t total_us = 0, wire = 0;
	curl_easy_getinfo(fd->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	curl_easy_getinfo(fd->easy, CURLINFO_SIZE_DOWNLOAD_T, &wire);
	if (fd->is_http)
		curl_easy_getinfo(fd->easy, CURLINFO_RESPONSE_CODE, &r.http_status);
	r.elapsed_ms = (int64_t)(total_us / 1000);
	r.wire_bytes = wire > 0 ? (size_t)wire : 0;
	r.server_date_s = fd->is_http ? fd->rx_date_s : 0;
	curl_multi_remove_handle(f->multi, fd->easy);
	curl_slist_free_all(fd->headers);
	fd->headers = NULL;
	fd->in_flight = false;
	f->running--;
	int64_t finished_ms = fd->started_ms + r.elapsed_ms;

	if (fd->is_stream) {
		finish_stream(f, fd, rc, &r, finished_ms);
	} else if (fd->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		finish_too_big(f, fd, &r, finished_ms);
	} else if (fd->out_of_memory) {
		fail(fd, &r, finished_ms);
		snprintf(r.error, sizeof(r.error), "out of memory holding a %zu-byte body",
			 fd->len);
	} else if (rc != CURLE_OK) {
		fail(fd, &r, finished_ms);
		say_curl_error(fd, rc, &r);
	} else if (fd->is_http && r.http_status == 304) {
		succeed(fd, &r);
		r.outcome = FETCH_NOT_MODIFIED;
	} else if (fd->is_http && (r.http_status < 200 || r.http_status >= 300)) {
		finish_http_error(fd, &r, finished_ms);
	} else {
		finish_body(fd, &r, finished_ms);
	}
	drop_body(fd);
	post_result(fd, &r);
}

struct fetcher *fetcher_create(const struct fetcher_options *opt)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;
	struct fetcher *f = calloc(1, sizeof(*f));
	if (!f) {
		curl_global_cleanup();
		return NULL;
	}
	f->opt = opt ? *opt : defaults;
	if (!f->opt.max_bytes)
		f->opt.max_bytes = defaults.max_bytes;
	if (f->opt.max_bytes > SIZE_MAX / 4) /* so the body's growth cannot overflow */
		f->opt.max_bytes = SIZE_MAX / 4;
	if (f->opt.connect_timeout_ms <= 0)
		f->opt.connect_timeout_ms = defaults.connect_timeout_ms;
	if (f->opt.timeout_ms <= 0)
		f->opt.timeout_ms = defaults.timeout_ms;
	if (f->opt.backoff_min_ms <= 0)
		f->opt.backoff_min_ms = defaults.backoff_min_ms;
	if (f->opt.backoff_max_ms < f->opt.backoff_min_ms)
		f->opt.backoff_max_ms = f->opt.backoff_min_ms;
	if (!f->opt.user_agent)
		f->opt.user_agent = defaults.user_agent;
	f->rng = f->opt.seed;
	f->multi = curl_multi_init();
	if (!f->multi) {
		free(f);
		curl_global_cleanup();
		return NULL;
	}
	return f;
}

void fetcher_destroy(struct fetcher *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->n_feeds; i++) {
		struct feed *fd = &f->feeds[i];
		if (fd->easy) {
			if (fd->in_flight)
				curl_multi_remove_handle(f->multi, fd->easy);
			curl_easy_cleanup(fd->easy);
		}
		curl_slist_free_all(fd->headers);
		drop_body(fd);
		if (fd->has_result)
			free_result(&fd->result);
	}
	curl_multi_cleanup(f->multi);
	free(f);
	curl_global_cleanup();
}

int fetcher_add(struct fetcher *f, const char *url, int interval_ms)
{
	if (!f || f->n_feeds >= FETCHER_MAX_FEEDS || !url_acceptable(url) || interval_ms <= 0)
		return -1;
	struct feed *fd = &f->feeds[f->n_feeds];
	memset(fd, 0, sizeof(*fd));
	fd->owner = f;
	memcpy(fd->url, url, strlen(url) + 1);
	fd->interval_ms = interval_ms;
	fd->due_ms = INT64_MIN;
	fetch_backoff_origin(url, fd->origin, sizeof(fd->origin));
	return f->n_feeds++;
}

int fetcher_add_stream(struct fetcher *f, const struct fetcher_stream *s)
{
	if (!s || !s->sink || !s->bearer || s->idle_ms <= 0 || strlen(s->bearer) > 256 ||
	    has_prefix(s->url ? s->url : "", "file://"))
		return -1;
	int i = fetcher_add(f, s->url, 1);
	if (i < 0)
		return -1;
	struct feed *fd = &f->feeds[i];
	fd->is_stream = true;
	snprintf(fd->bearer, sizeof(fd->bearer), "Authorization: Bearer %s", s->bearer);
	fd->idle_ms = s->idle_ms;
	fd->backoff_max_ms = s->backoff_max_ms;
	fd->sink = s->sink;
	fd->sink_ctx = s->ctx;
	return i;
}

bool fetcher_stream_open(const struct fetcher *f, int feed)
{
	return valid_feed(f, feed) && f->feeds[feed].stream_open;
}

void fetcher_stream_cut(struct fetcher *f, int feed, const char *why)
{
	if (!valid_feed(f, feed) || !f->feeds[feed].is_stream || !f->feeds[feed].in_flight)
		return;
	struct feed *fd = &f->feeds[feed];
	if (!fd->cut)
		snprintf(fd->cut_why, sizeof(fd->cut_why), "%s", why);
	fd->cut = true;
}

void fetcher_stream_healthy(struct fetcher *f, int feed)
{
	if (valid_feed(f, feed) && f->feeds[feed].is_stream)
		f->feeds[feed].failures = 0;
}

bool fetcher_set_url(struct fetcher *f, int feed, const char *url)
{
	if (!valid_feed(f, feed) || !url_acceptable(url))
		return false;
	struct feed *fd = &f->feeds[feed];
	if (strcmp(fd->url, url) == 0)
		return true;
	memcpy(fd->url, url, strlen(url) + 1);
	fetch_backoff_origin(url, fd->origin, sizeof(fd->origin));
	/* another document: nothing learnt from the old one may answer for it */
	fd->etag[0] = fd->last_modified[0] = '\0';
	fd->have_hash = false;
	fd->stale = fd->in_flight;
	return true;
}

void fetcher_forget(struct fetcher *f, int feed)
{
	if (!valid_feed(f, feed))
		return;
	struct feed *fd = &f->feeds[feed];
	fd->etag[0] = fd->last_modified[0] = '\0';
	fd->have_hash = false;
	fd->stale = fd->in_flight; /* what is on its way must not bring them back */
}

bool fetcher_kick(struct fetcher *f, int feed)
{
	if (!valid_feed(f, feed) || f->feeds[feed].in_flight)
		return false;
	f->feeds[feed].due_ms = INT64_MIN;
	return true;
}

bool fetcher_in_flight(const struct fetcher *f, int feed)
{
	return valid_feed(f, feed) && f->feeds[feed].in_flight;
}

bool fetcher_busy(const struct fetcher *f)
{
	return f && f->running > 0;
}

/* INT_MAX when nothing is scheduled, so the answer always fits wait_ms. */
int64_t fetcher_next_ms(const struct fetcher *f, int64_t now_ms)
{
	int64_t next = INT_MAX;
	if (!f)
		return next;
	for (int i = 0; i < f->n_feeds; i++) {
		const struct feed *fd = &f->feeds[i];
		if (fd->in_flight)
			continue;
		if (fd->due_ms <= now_ms)
			return 0;
		if (fd->due_ms - now_ms < next)
			next = fd->due_ms - now_ms;
	}
	if (f->running > 0) {
		long t = -1;
		if (curl_multi_timeout(f->multi, &t) == CURLM_OK && t >= 0 && t < next)
			next = t;
	}
	return next;
}

void fetcher_run(struct fetcher *f, int64_t now_ms, int wait_ms)
{
	if (!f)
		return;
	f->now_ms = now_ms;
	for (int i = 0; i < f->n_feeds; i++) {
		struct feed *fd = &f->feeds[i];
		if (fd->is_stream && fd->in_flight &&
		    (fd->cut || now_ms - fd->last_rx_ms > fd->idle_ms)) {
			fd->idle_cut = !fd->cut; /* a silent stream is a dead one (NAT, proxy) */
			finish(f, fd, CURLE_OPERATION_TIMEDOUT);
		}
		if (!fd->in_flight && fd->due_ms <= now_ms)
			start(f, fd, now_ms);
	}
	int still = 0;
	if (f->running > 0)
		curl_multi_perform(f->multi, &still); /* sends what was just added */

	/* fetcher_next_ms holds both the next poll and, while transfers run,
	 * curl's own timeout; with nothing in flight curl_multi_poll sleeps it all */
	int64_t wait = wait_ms < 0 ? 0 : wait_ms;
	int64_t next = fetcher_next_ms(f, now_ms);
	if (next < wait)
		wait = next;
	curl_multi_poll(f->multi, NULL, 0, (int)wait, NULL);
	if (f->running > 0)
		curl_multi_perform(f->multi, &still);

	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(f->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		void *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		struct feed *fd = priv;
		if (fd && fd->in_flight)
			finish(f, fd, m->data.result);
	}
}

bool fetcher_take(struct fetcher *f, int feed, struct fetch_result *out)
{
	if (!valid_feed(f, feed) || !f->feeds[feed].has_result)
		return false;
	*out = f->feeds[feed].result;
	memset(&f->feeds[feed].result, 0, sizeof(f->feeds[feed].result));
	f->feeds[feed].has_result = false;
	return true;
}
