/* http_shell: the only file that knows about sockets. One MHD thread polls
 * every connection, so api.c needs no locks; a client that stalls is cut
 * after 15 s and cannot hold the others up. */
#include "http_shell.h"

#include "api.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

struct http_shell {
	struct MHD_Daemon *daemon;
	struct api *api;
	int port;
};

/* What one connection has sent so far. */
struct upload {
	char *body;
	size_t len, cap;
	size_t max; /* api_max_body of the path */
	bool too_big;
};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool wants_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* gzip-compresses in into a new buffer; NULL when it does not help. */
static char *gzip(const char *in, size_t len, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, len);
	char *out = malloc(cap);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (unsigned)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	int rc = out ? deflate(&z, Z_FINISH) : Z_MEM_ERROR;
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || *out_len >= len) {
		free(out);
		return NULL;
	}
	return out;
}

/* The query string, rebuilt: libmicrohttpd hands the arguments over decoded
 * and without the '?', so each name and value is percent-encoded again for
 * api.c (which decodes it once). Capped at API_MAX_QUERY bytes. */
struct query {
	char s[API_MAX_QUERY + 1];
	size_t len;
	bool too_long;
};

static bool query_put(struct query *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
			     c == ':' || c == ',';
		if (q->len + (plain ? 1 : 3) > API_MAX_QUERY) {
			q->too_long = true;
			return false;
		}
		if (plain) {
			q->s[q->len++] = (char)c;
		} else {
			q->s[q->len++] = '%';
			q->s[q->len++] = hex[c >> 4];
			q->s[q->len++] = hex[c & 15];
		}
	}
	q->s[q->len] = '\0';
	return true;
}

static enum MHD_Result query_add(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	struct query *q = cls;
	if (q->len && q->len + 1 > API_MAX_QUERY) {
		q->too_long = true;
		return MHD_NO;
	}
	if (q->len)
		q->s[q->len++] = '&';
	if (!query_put(q, key))
		return MHD_NO;
	if (value) {
		if (q->len + 1 > API_MAX_QUERY) {
			q->too_long = true;
			return MHD_NO;
		}
		q->s[q->len++] = '=';
		if (!query_put(q, value))
			return MHD_NO;
	}
	q->s[q->len] = '\0';
	return MHD_YES;
}

static enum MHD_Result reply(struct MHD_Connection *c, struct api_response *res, bool head)
{
	char *body = res->body;
	size_t len = res->body_len;
	bool zipped = false;
	if (body && len > 1024 && wants_gzip(c)) {
		size_t zl;
		char *z = gzip(body, len, &zl);
		if (z) {
			free(body);
			body = z;
			len = zl;
			zipped = true;
		}
	}
	res->body = NULL;
	struct MHD_Response *r = MHD_create_response_from_buffer(head ? 0 : len, body ? body : "",
								 body ? MHD_RESPMEM_MUST_FREE
								      : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	if (res->etag[0])
		MHD_add_response_header(r, "ETag", res->etag);
	if (res->cache_control)
		MHD_add_response_header(r, "Cache-Control", res->cache_control);
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	if (zipped)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **con_cls)
{
	(void)version;
	struct http_shell *h = cls;
	struct upload *u = *con_cls;
	if (!u) { /* first call: headers only */
		u = calloc(1, sizeof(*u));
		if (!u)
			return MHD_NO;
		u->max = api_max_body(url);
		*con_cls = u;
		return MHD_YES;
	}
	if (*data_size) { /* body arriving */
		if (!u->too_big && u->len + *data_size > u->max) {
			u->too_big = true;
		} else if (!u->too_big) {
			if (u->len + *data_size + 1 > u->cap) {
				size_t ncap = (u->cap ? u->cap * 2 : 16384);
				while (ncap < u->len + *data_size + 1)
					ncap *= 2;
				char *nb = realloc(u->body, ncap);
				if (!nb)
					return MHD_NO;
				u->body = nb;
				u->cap = ncap;
			}
			memcpy(u->body + u->len, data, *data_size);
			u->len += *data_size;
		}
		*data_size = 0;
		return MHD_YES;
	}
	struct api_response res;
	struct query q = {.len = 0};
	int n_args = MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_add, &q);
	if (u->too_big || q.too_long) {
		char msg[96];
		if (u->too_big)
			snprintf(msg, sizeof(msg),
				 "{\"error\":\"the body is larger than the %zu %s limit\"}",
				 u->max >= 1024 * 1024 ? u->max / (1024 * 1024) : u->max / 1024,
				 u->max >= 1024 * 1024 ? "MiB" : "KiB");
		else
			snprintf(msg, sizeof(msg),
				 "{\"error\":\"the query string is longer than 4096 bytes\"}");
		memset(&res, 0, sizeof(res));
		res.status = u->too_big ? 413 : 414;
		res.content_type = "application/json";
		res.body = strdup(msg);
		res.body_len = res.body ? strlen(res.body) : 0;
	} else {
		struct api_request req = {
			.method = method,
			.path = url,
			.query = n_args > 0 ? q.s : NULL,
			.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"),
			.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
			.body = u->body ? u->body : "",
			.body_len = u->len,
			.now_ms = now_ms(),
		};
		api_handle(h->api, &req, &res);
	}
	if (res.log[0]) /* writes are rare and worth a line each; tokens never appear */
		fprintf(stderr, "venueboard-server: INFO: %s\n", res.log);
	else if (res.status >= 400 && res.status != 404)
		fprintf(stderr, "venueboard-server: INFO: %s %s refused with %d\n", method, url,
			res.status);
	enum MHD_Result rc = reply(c, &res, strcmp(method, "HEAD") == 0);
	api_response_finish(&res);
	return rc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	struct upload *u = *con_cls;
	if (u) {
		free(u->body);
		free(u);
		*con_cls = NULL;
	}
}

struct http_shell *http_shell_start(struct api *api, const char *host, int port)
{
	struct http_shell *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->api = api;
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		free(h);
		return NULL;
	}
	h->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, (uint16_t)port, NULL,
		NULL, on_request, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)200,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, h, MHD_OPTION_END);
	if (!h->daemon) {
		free(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : port;
	return h;
}

int http_shell_port(const struct http_shell *h)
{
	return h->port;
}

void http_shell_stop(struct http_shell *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}
