/* api: the router — method, path and token, checked from the headers before
 * any body is read — and the helpers the resource files share. Every write
 * is stored before it is acknowledged, and a refused write stores nothing. */
#include "api_internal.h"

#include "blob.h"
#include "json_util.h"
#include "store.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* assets/organizer/, embedded by the build */
extern const unsigned char organizer_page[], organizer_js[], organizer_css[], mobile_css[];
extern const size_t organizer_page_len, organizer_js_len, organizer_css_len, mobile_css_len;

/* The desk loads only its own script, style and thumbnails, and talks only
 * to this server. */
static const char desk_csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
			       "img-src 'self'; connect-src 'self'; base-uri 'none'; "
			       "form-action 'none'; frame-ancestors 'none'";

/* ---- helpers ----------------------------------------------------------------- */

void api_etag(const char *body, size_t len, char out[24])
{
	uint64_t h = text_hash(TEXT_HASH_START, body, len);
	snprintf(out, 24, "\"%016llx\"", (unsigned long long)h);
}

void api_respond(struct api_response *res, int status, const char *type, char *body)
{
	res->status = body || status == 204 || status == 304 ? status : 500;
	res->content_type = type;
	res->body = body;
	res->body_len = body ? strlen(body) : 0;
}

void api_fail(struct api_response *res, int status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", msg);
	free(res->body);
	api_respond(res, status, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
}

void api_logf(struct api *api, const char *level, const char *fmt, ...)
{
	if (!api->log.fn)
		return;
	char line[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	api->log.fn(api->log.ctx, level, line);
}

void api_write_result(struct api *api, bool ok, const char *why, int64_t now_ms)
{
	struct write_health *h = &api->health;
	h->checked_ms = now_ms;
	if (ok) {
		if (h->failing)
			api_logf(api, "INFO", "database writes work again");
		h->failing = false;
		return;
	}
	if (!h->failing) {
		h->since_ms = now_ms;
		api_logf(api, "ERROR", "database write failed: %s", why);
	}
	h->failing = true;
	snprintf(h->why, sizeof(h->why), "%s", why);
}

cJSON *api_body_object(const struct api_request *req, struct api_response *res)
{
	if (json_util_has_nul(req->body, req->body_len)) {
		api_fail(res, 400, "a string in the body holds a NUL character (\\u0000)");
		return NULL;
	}
	const char *end = NULL;
	cJSON *o = cJSON_ParseWithLengthOpts(req->body, req->body_len, &end, false);
	bool trailing = false;
	for (; o && end && end < req->body + req->body_len; end++)
		trailing |= *end != ' ' && *end != '\t' && *end != '\r' && *end != '\n';
	if (!cJSON_IsObject(o) || trailing) {
		cJSON_Delete(o);
		api_fail(res, 400, "the body must be one JSON object");
		return NULL;
	}
	return o;
}

void api_buf_put(struct api_buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 4096;
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

void api_buf_printf(struct api_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->oom = true; /* callers print short, bounded lines */
		return;
	}
	api_buf_put(b, tmp, (size_t)n);
}

/* A label value as the Prometheus text format wants it: backslash, double
 * quote and newline escaped. */
void api_put_label(struct api_buf *b, const char *v)
{
	for (; *v; v++) {
		const char *esc = *v == '\\'   ? "\\\\"
				  : *v == '"'  ? "\\\""
				  : *v == '\n' ? "\\n"
					       : NULL;
		if (esc)
			api_buf_put(b, esc, 2);
		else
			api_buf_put(b, v, 1);
	}
}

void api_put_gauge(struct api_buf *b, const char *name, const char *label, const char *value,
		   double x)
{
	api_buf_printf(b, "%s{%s=\"", name, label);
	api_put_label(b, value);
	api_buf_printf(b, "\"} %.1f\n", x);
}

int api_query_number(const char *query, const char *key, int64_t *out)
{
	size_t klen = strlen(key);
	for (const char *p = query; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			int64_t v = 0;
			size_t digits = len - klen - 1;
			if (digits == 0 || digits > 15)
				return -1;
			for (size_t i = klen + 1; i < len; i++) {
				if (p[i] < '0' || p[i] > '9')
					return -1;
				v = v * 10 + (p[i] - '0');
			}
			*out = v;
			return 1;
		}
		p = amp ? amp + 1 : NULL;
	}
	return 0;
}

/* ---- routing ------------------------------------------------------------- */

enum { M_GET = 1, M_POST = 2 };

static void get_desk(struct api *api, const struct api_call *c, struct api_response *res);
static void get_desk_js(struct api *api, const struct api_call *c, struct api_response *res);
static void get_desk_css(struct api *api, const struct api_call *c, struct api_response *res);
static void get_mobile_css(struct api *api, const struct api_call *c, struct api_response *res);
static bool match_change(const char *path, struct api_call *c);
static bool match_withdraw(const char *path, struct api_call *c);
static bool match_rollout_stop(const char *path, struct api_call *c);
static bool match_bundle(const char *path, struct api_call *c);
static bool match_thumbnail(const char *path, struct api_call *c);
static bool match_ingest(const char *path, struct api_call *c);

/* Every endpoint: a new one is a row here and a handler in its resource's
 * file (declared in api_internal.h). */
static const struct route {
	const char *path; /* exact; NULL: matched by match */
	bool (*match)(const char *path, struct api_call *c);
	api_handler *get, *post; /* NULL: that method is not allowed */
	enum token_role role;    /* whose token a POST needs */
	size_t max_body;         /* of a POST */
	bool upload;             /* a POST streamed to a file (api_bundle_max) */
	bool get_needs_token;    /* GET too needs role's token (a screen's stream, a bundle) */
	const char *allow;       /* the Allow header when another method is tried */
} routes[] = {
	{"/v1/schedule", NULL, api_get_schedule, api_post_schedule, TOKEN_ORGANIZER, API_MAX_BODY,
	 false, false, "GET, HEAD, POST"},
	{"/v1/changes", NULL, NULL, api_post_change, TOKEN_ORGANIZER, 64 * 1024, false, false,
	 "POST"},
	{NULL, match_change, api_get_change, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/notices", NULL, NULL, api_post_notice, TOKEN_ORGANIZER, 64 * 1024, false, false,
	 "POST"},
	{"/v1/audit", NULL, api_get_audit, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/queues", NULL, api_get_queues, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/samples", NULL, NULL, api_post_samples, TOKEN_SENSOR, API_MAX_BODY, false, false,
	 "POST"},
	{"/v1/rooms", NULL, api_get_rooms, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/alerts", NULL, api_get_alerts, api_post_alert, TOKEN_ORGANIZER, 64 * 1024, false,
	 false, "GET, HEAD, POST"},
	{NULL, match_withdraw, NULL, api_withdraw_alert, TOKEN_ORGANIZER, 4096, false, false,
	 "POST"},
	{"/v1/stream", NULL, api_get_stream, NULL, TOKEN_SCREEN, 0, false, true, "GET"},
	{"/v1/bundles", NULL, api_get_bundles, api_post_bundle, TOKEN_ORGANIZER, 0, true, false,
	 "GET, HEAD, POST"},
	{NULL, match_bundle, api_get_bundle, NULL, TOKEN_SCREEN, 0, false, true, "GET, HEAD"},
	{"/v1/rollouts", NULL, api_get_rollouts, api_post_rollout, TOKEN_ORGANIZER, 64 * 1024,
	 false, false, "GET, HEAD, POST"},
	{NULL, match_rollout_stop, NULL, api_stop_rollout, TOKEN_ORGANIZER, 4096, false, false,
	 "POST"},
	{"/v1/screens", NULL, api_get_screens, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/screens/heartbeat", NULL, NULL, api_post_heartbeat, TOKEN_SCREEN, API_MAX_HEARTBEAT,
	 false, false, "POST"},
	{NULL, match_thumbnail, api_get_thumbnail, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/v1/sources", NULL, api_get_sources, NULL, 0, 0, false, false, "GET, HEAD"},
	{NULL, match_ingest, NULL, api_post_ingest, TOKEN_SENSOR, SENSOR_MAX_PAYLOAD, false, false,
	 "POST"},
	{"/healthz", NULL, api_get_health, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/metrics", NULL, api_get_metrics, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/organizer/", NULL, get_desk, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/organizer", NULL, get_desk, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/organizer/desk.js", NULL, get_desk_js, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/organizer/desk.css", NULL, get_desk_css, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/m/", NULL, api_get_mobile, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/m", NULL, api_get_mobile, NULL, 0, 0, false, false, "GET, HEAD"},
	{"/m/style.css", NULL, get_mobile_css, NULL, 0, 0, false, false, "GET, HEAD"},
};
enum { N_ROUTES = sizeof(routes) / sizeof(*routes) };

bool api_path_part(const char *path, const char *prefix, const char *suffix, char *out, size_t max)
{
	size_t len = strlen(path), pre = strlen(prefix), suf = strlen(suffix);
	if (len <= pre + suf || len - pre - suf > max || strncmp(path, prefix, pre) != 0 ||
	    strcmp(path + len - suf, suffix) != 0)
		return false;
	memcpy(out, path + pre, len - pre - suf);
	out[len - pre - suf] = '\0';
	return true;
}

/* PREFIX N SUFFIX (/v1/changes/N, /v1/alerts/N/withdraw): N into *id. */
static bool id_path(const char *path, const char *prefix, const char *suffix, int64_t *id)
{
	char digits[16];
	if (!api_path_part(path, prefix, suffix, digits, 15))
		return false;
	int64_t v = 0;
	for (const char *d = digits; *d; d++) {
		if (*d < '0' || *d > '9')
			return false;
		v = v * 10 + (*d - '0');
	}
	*id = v;
	return v > 0;
}

static bool match_change(const char *path, struct api_call *c)
{
	return id_path(path, "/v1/changes/", "", &c->id);
}

static bool match_withdraw(const char *path, struct api_call *c)
{
	return id_path(path, "/v1/alerts/", "/withdraw", &c->id);
}

static bool match_rollout_stop(const char *path, struct api_call *c)
{
	return id_path(path, "/v1/rollouts/", "/stop", &c->id);
}

static bool match_bundle(const char *path, struct api_call *c)
{
	return api_bundle_path(path, c->name);
}

static bool match_thumbnail(const char *path, struct api_call *c)
{
	return api_thumbnail_path(path, c->name);
}

static bool match_ingest(const char *path, struct api_call *c)
{
	return api_ingest_path(path, c->name);
}

/* The route of path (exact paths first), what it names into c; NULL when none. */
static const struct route *route_of(const char *path, struct api_call *c)
{
	for (int i = 0; i < N_ROUTES; i++)
		if (routes[i].path && strcmp(path, routes[i].path) == 0)
			return &routes[i];
	for (int i = 0; i < N_ROUTES; i++)
		if (routes[i].match && routes[i].match(path, c))
			return &routes[i];
	return NULL;
}

static unsigned method_of(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ? M_GET
	       : strcmp(m, "POST") == 0                        ? M_POST
							       : 0;
}

/* The token of an "Authorization: Bearer TOKEN" header: the scheme in any
 * case (RFC 7235), spaces around the token ignored. NULL when there is none. */
static const char *bearer_token(const char *h, char out[CONFIG_TOKEN_MAX + 2])
{
	if (!h)
		return NULL;
	while (*h == ' ')
		h++;
	if (!text_starts_with_ci(h, "bearer") || (h[6] != ' ' && h[6] != '\t'))
		return NULL;
	h += 6;
	while (*h == ' ' || *h == '\t')
		h++;
	size_t n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (n == 0 || n > CONFIG_TOKEN_MAX)
		return n ? "" : NULL; /* too long: no token matches it */
	memcpy(out, h, n);
	out[n] = '\0';
	return out;
}

/* The password of an "Authorization: Basic …" header (any user name): a
 * device that can send nothing else sends its token so. NULL when none. */
static const char *basic_password(const char *h, char out[CONFIG_TOKEN_MAX + 2])
{
	if (!h)
		return NULL;
	while (*h == ' ')
		h++;
	if (!text_starts_with_ci(h, "basic") || (h[5] != ' ' && h[5] != '\t'))
		return NULL;
	h += 5;
	while (*h == ' ' || *h == '\t')
		h++;
	char both[2 * CONFIG_TOKEN_MAX + 4];
	size_t n = strcspn(h, " \t"), len;
	const char *why;
	if (!text_base64_decode(h, n, (unsigned char *)both, sizeof(both) - 1, &len, &why))
		return "";
	both[len] = '\0';
	const char *colon = strchr(both, ':');
	if (!colon || strlen(colon + 1) > CONFIG_TOKEN_MAX)
		return "";
	snprintf(out, CONFIG_TOKEN_MAX + 2, "%s", colon + 1);
	return out;
}

static const struct config_token *authorize(struct api *api, const struct api_request *req,
					    const struct route *r, struct api_response *res)
{
	static const char *const what[] = {[TOKEN_ORGANIZER] = "an organizer",
					   [TOKEN_SENSOR] = "a sensor",
					   [TOKEN_SCREEN] = "the screen's own"};
	/* a device that can send nothing else sends its token as a password */
	bool basic = r->match == match_ingest;
	char buf[CONFIG_TOKEN_MAX + 2];
	const char *token = bearer_token(req->authorization, buf);
	if (!token && basic)
		token = basic_password(req->authorization, buf);
	if (!token) {
		api_fail(res, 401, "this needs %s token: send 'Authorization: Bearer TOKEN'%s",
			 what[r->role], basic ? " (or HTTP Basic, the token as password)" : "");
		res->authenticate =
			basic ? "Basic realm=\"venueboard\"" : "Bearer realm=\"venueboard\"";
		return NULL;
	}
	const struct config_token *t = server_config_check(api->config, token, r->role);
	if (!t) {
		api_fail(res, 401, "the token is not %s token", what[r->role]);
		res->authenticate = basic ? "Basic realm=\"venueboard\""
					  : "Bearer realm=\"venueboard\", error=\"invalid_token\"";
	}
	return t;
}

/* FNV-1a: enough to tell a rotated secret from the one a connection used
 * (the secret itself need not outlive the request that carried it). */
static uint64_t fingerprint(const char *secret)
{
	return text_hash(TEXT_HASH_START, secret, strlen(secret));
}

bool api_identify(const struct api *api, const char *authorization, struct api_identity *out)
{
	memset(out, 0, sizeof(*out));
	out->role = -1;
	char buf[CONFIG_TOKEN_MAX + 2];
	const char *token = bearer_token(authorization, buf);
	if (!token || !*token)
		return false;
	static const enum token_role roles[] = {TOKEN_ORGANIZER, TOKEN_SENSOR, TOKEN_SCREEN};
	for (size_t i = 0; i < sizeof(roles) / sizeof(*roles); i++) {
		const struct config_token *t = server_config_check(api->config, token, roles[i]);
		if (t) {
			out->role = (int)t->role;
			snprintf(out->name, sizeof(out->name), "%s", t->name);
			out->fingerprint = fingerprint(t->secret);
		}
	}
	memset(buf, 0, sizeof(buf));
	return out->role >= 0;
}

bool api_identity_current(const struct api *api, const struct api_identity *id)
{
	const struct server_config *c = api->config;
	for (size_t i = 0; id->role >= 0 && i < c->n_tokens; i++)
		if ((int)c->tokens[i].role == id->role &&
		    strcmp(c->tokens[i].name, id->name) == 0 &&
		    fingerprint(c->tokens[i].secret) == id->fingerprint)
			return true;
	return false;
}

const struct config_token *api_token_of(const struct api *api, const struct api_request *req,
					enum token_role role)
{
	char buf[CONFIG_TOKEN_MAX + 2];
	const char *token = bearer_token(req->authorization, buf);
	return token ? server_config_check(api->config, token, role) : NULL;
}

static unsigned methods_of(const struct route *r)
{
	return (r->get ? M_GET : 0) | (r->post ? M_POST : 0);
}

static size_t max_body_of(const struct api *api, const struct route *r, unsigned method)
{
	return method != M_POST ? 0 : r->upload ? api_bundle_max(api) : r->max_body;
}

/* The route, method, token and length checks: the route (c filled), or
 * NULL with res filled. */
static const struct route *check(struct api *api, const struct api_request *req,
				 int64_t declared_len, struct api_call *c, struct api_response *res)
{
	memset(c, 0, sizeof(*c));
	c->req = req;
	const struct route *r = route_of(req->path, c);
	if (!r) {
		api_fail(res, 404, "no such resource: %.100s", req->path);
		return NULL;
	}
	unsigned m = method_of(req->method);
	if (!(m & methods_of(r))) {
		res->allow = r->allow;
		api_fail(res, 405, "%.10s is not allowed here; use %s", req->method, r->allow);
		return NULL;
	}
	if ((m == M_POST || r->get_needs_token) && !(c->who = authorize(api, req, r, res)))
		return NULL;
	size_t max = max_body_of(api, r, m);
	if (declared_len > (int64_t)max) {
		if (max == 0)
			api_fail(res, 413, "a %s request carries no body", req->method);
		else
			api_fail(res, 413, "the body is larger than the %zu %s limit",
				 max >= 1024 * 1024 ? max / (1024 * 1024) : max / 1024,
				 max >= 1024 * 1024 ? "MiB" : "KiB");
		return NULL;
	}
	return r;
}

bool api_preflight(struct api *api, const struct api_request *req, int64_t declared_len,
		   size_t *max_body, struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	struct api_call c;
	const struct route *r = check(api, req, declared_len, &c, res);
	if (!r) {
		api->requests++;
		return false;
	}
	*max_body = max_body_of(api, r, method_of(req->method));
	return true;
}

bool api_upload_to_file(const struct api *api, const struct api_request *req, char *dir, size_t cap)
{
	struct api_call c = {0};
	const struct route *r = route_of(req->path, &c);
	if (method_of(req->method) != M_POST || !r || !r->upload)
		return false;
	api_bundle_dir(api, dir, cap);
	mkdir(dir, 0700); /* the first upload makes it; an error shows when the file is made */
	return true;
}

static void static_page(const unsigned char *data, size_t len, const char *type,
			struct api_response *res)
{
	char *copy = malloc(len + 1);
	if (copy)
		memcpy(copy, data, len + 1);
	api_respond(res, 200, type, copy);
	res->body_len = copy ? len : 0;
	res->cache_control = "no-cache";
	api_etag((const char *)data, len, res->etag);
}

static void get_desk(struct api *api, const struct api_call *c, struct api_response *res)
{
	(void)api, (void)c;
	static_page(organizer_page, organizer_page_len, "text/html; charset=utf-8", res);
	res->csp = desk_csp;
}

static void get_desk_js(struct api *api, const struct api_call *c, struct api_response *res)
{
	(void)api, (void)c;
	static_page(organizer_js, organizer_js_len, "text/javascript; charset=utf-8", res);
}

static void get_desk_css(struct api *api, const struct api_call *c, struct api_response *res)
{
	(void)api, (void)c;
	static_page(organizer_css, organizer_css_len, "text/css; charset=utf-8", res);
}

static void get_mobile_css(struct api *api, const struct api_call *c, struct api_response *res)
{
	(void)api, (void)c;
	static_page(mobile_css, mobile_css_len, "text/css; charset=utf-8", res);
}

void api_handle(struct api *api, const struct api_request *req, struct api_response *res)
{
	memset(res, 0, sizeof(*res));
	api->requests++;
	api->now_seen_ms = req->now_ms;
	struct api_call c;
	const struct route *r = check(api, req, (int64_t)req->body_len, &c, res);
	if (!r)
		return; /* refused: res filled */
	(method_of(req->method) == M_POST ? r->post : r->get)(api, &c, res);
	if (res->etag[0] && req->if_none_match && res->status == 200 && !res->job &&
	    strstr(req->if_none_match, res->etag)) {
		api->not_modified++;
		free(res->body);
		res->body = NULL;
		blob_unref(res->blob);
		res->blob = NULL;
		api_respond(res, 304, NULL, NULL);
	}
}

bool api_add_change(struct api *api, const struct api_call *c, const struct journal_kind *kind,
		    struct api_response *res, struct journal_result *r)
{
	cJSON *body = api_body_object(c->req, res);
	memset(r, 0, sizeof(*r));
	if (!body)
		return false;
	journal_add(api, kind, body, c->who->name, c->req->now_ms, r);
	cJSON_Delete(body);
	api_change_reply(res, r, c->who);
	return r->status == 201;
}

void api_change_reply(struct api_response *res, const struct journal_result *r,
		      const struct config_token *who)
{
	char buf[80];
	if (r->status != 200 && r->status != 201) {
		api_fail(res, r->status, "%s", r->why);
		return;
	}
	snprintf(buf, sizeof(buf), "{\"change\":%lld,\"kind\":\"%s\"}", (long long)r->id,
		 r->status == 200 ? "undo" : r->kind);
	api_respond(res, r->status, "application/json", strdup(buf));
	if (r->status == 200)
		snprintf(res->log, sizeof(res->log), "change %lld by %s: undo (%s)",
			 (long long)r->id, who->name, r->kind);
	else
		snprintf(res->log, sizeof(res->log), "change %lld by %s: %s%s", (long long)r->id,
			 who->name, r->kind, r->said);
}

void api_response_finish(struct api_response *res)
{
	free(res->body);
	res->body = NULL;
	blob_unref(res->blob);
	res->blob = NULL;
	api_job_destroy(res->job);
	res->job = NULL;
}

struct api *api_create(const struct server_config *config, struct store *store,
		       const char *initial_feed, size_t initial_len, int64_t now_ms,
		       const struct api_log *log, struct feed_error *e)
{
	struct api *api = calloc(1, sizeof(*api));
	if (!api) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	api->config = config;
	api->store = store;
	api->now_seen_ms = now_ms;
	if (log)
		api->log = *log;
	e->msg[0] = '\0';
	if (!api_screens_load(api, e) || !journal_load(api, e) ||
	    !served_load(api, initial_feed, initial_len, now_ms, e) ||
	    !api_queues_load(api, now_ms, e) || !api_alerts_load(api, e) ||
	    !api_rollouts_load(api, e) || !api_sources_load(api, now_ms, e)) {
		api_destroy(api);
		return NULL;
	}
	return api;
}

bool api_set_config(struct api *api, const struct server_config *config, struct feed_error *e)
{
	struct screen_seen *screens = api->screens;
	size_t n = api->n_screens;
	const struct server_config *old = api->config;
	api->config = config;
	api->screens = NULL;
	api->n_screens = 0;
	if (!api_screens_load(api, e)) {
		api_screens_free(api);
		api->config = old;
		api->screens = screens;
		api->n_screens = n;
		return false;
	}
	for (size_t i = 0; i < n; i++)
		free(screens[i].fields);
	free(screens);
	if (!api_sources_load(api, api->now_seen_ms, e))
		api_logf(api, "ERROR", "reload: sources: %s", e->msg);
	served_reconfigured(api); /* seats may have changed */
	api->generation++;        /* and screens and zones: what streams and listings show */
	return true;
}

void api_destroy(struct api *api)
{
	if (!api)
		return;
	api_queues_free(api);
	api_rooms_free(api);
	api_alerts_free(api);
	api_rollouts_free(api);
	api_sources_free(api);
	api_screens_free(api);
	served_free(api);
	journal_free(&api->journal);
	free(api);
}
