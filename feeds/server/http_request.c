/* http_request: a request's life in the shell. The headers settle most
 * refusals before a byte of the body is read; a body's memory is promised
 * from the upload budget before it arrives. */
#include "http_request.h"

#include "http_reply.h"
#include "http_stream.h"
#include "job_pool.h"
#include "server_log.h"
#include "upload_writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
			     c == '~' || c == ':' || c == ',';
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
	if (q->len + 2 > API_MAX_QUERY) {
		q->too_long = true;
		return MHD_NO;
	}
	if (q->len)
		q->s[q->len++] = '&';
	if (!query_put(q, key))
		return MHD_NO;
	if (value) {
		q->s[q->len++] = '=';
		if (!query_put(q, value))
			return MHD_NO;
	}
	q->s[q->len] = '\0';
	return MHD_YES;
}

/* Content-Length as a number, -1 when absent (or chunked), -2 when it does
 * not read (libmicrohttpd refuses those itself). */
static int64_t declared_length(struct MHD_Connection *c)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (!cl)
		return -1;
	int64_t n = 0;
	for (const char *p = cl; *p; p++) {
		if (*p < '0' || *p > '9' || n > INT64_MAX / 10 - 10)
			return -2;
		n = n * 10 + (*p - '0');
	}
	return n;
}

static void request_free(struct http_shell *h, struct request *r)
{
	if (r->upload && r->upload_done) {
		struct upload_result u;
		upload_writer_result(r->upload, &u);
		if (!r->upload_handed) /* never handed to the api: nothing kept */
			unlink(u.path);
		upload_writer_release(r->upload);
	} else if (r->upload) { /* cut short: the writer removes it */
		upload_writer_abort(r->upload);
	}
	if (r->prev_upload) {
		*r->prev_upload = r->next_upload;
		if (r->next_upload)
			r->next_upload->prev_upload = r->prev_upload;
	}
	h->upload_bytes -= r->reserved;
	free(r->body);
	if (r->has_result)
		api_response_finish(&r->result);
	free(r);
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct api_request request_of(struct MHD_Connection *c, const char *url, const char *method,
				     const char *query)
{
	return (struct api_request){
		.method = method,
		.path = url,
		.query = query,
		.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match"),
		.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
		.now_ms = wall_ms(),
	};
}

/* The headers are in: refuse at once what the headers alone settle. */
static enum MHD_Result begin(struct http_shell *h, struct MHD_Connection *c, const char *url,
			     const char *method, void **con_cls)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *conn = ci ? ci->socket_context : NULL;
	struct api_request req = request_of(c, url, method, NULL);
	if (conn) { /* whose token this request holds: a reload that revokes it cuts it */
		api_identify(h->api, req.authorization, &conn->who);
		conn->idle = false;
	}
	int64_t declared = declared_length(c);
	size_t max = 0;
	struct api_response res;
	if (!api_preflight(h->api, &req, declared, &max, &res)) {
		http_shell_log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
		return http_reply_send(h, c, conn, &res, false);
	}
	struct request *r = calloc(1, sizeof(*r));
	if (!r)
		return MHD_NO;
	r->conn = conn;
	r->c = c;
	r->max = max;
	char dir[API_BUNDLE_DIR_MAX];
	if (api_upload_to_file(h->api, &req, dir, sizeof(dir))) {
		/* a bundle: to disk as it comes, never to memory, by the writer's
		 * thread; refused first if it would eat the database's reserve */
		struct upload_place place = {.dir = dir};
		api_upload_reserve(h->api, &place.database, &place.reserve_set, &place.reserve);
		char why[UPLOAD_WHY_MAX] = "";
		struct feed_error e = {{0}};
		if (!upload_writer_room(&place, declared, why, sizeof(why)) ||
		    !(r->upload = upload_writer_begin(h->uploads, &place, r, &e))) {
			free(r);
			http_reply_error(&res, why[0] ? 507 : 500, why[0] ? why : e.msg);
			server_log("WARN", "a bundle upload from %s was refused: %s",
				   conn ? conn->addr : "?", why[0] ? why : e.msg);
			return http_reply_send(h, c, conn, &res, false);
		}
		r->to_file = true;
		r->next_upload = h->uploading;
		if (h->uploading)
			h->uploading->prev_upload = &r->next_upload;
		r->prev_upload = &h->uploading;
		h->uploading = r;
		if (conn)
			conn_guard_stage(h->guard, conn->slot, GUARD_BODY,
					 declared > 0 ? (uint64_t)declared : 0, mono_ms());
		*con_cls = r;
		return MHD_YES;
	}
	if (declared > 0) { /* the body's memory is promised before a byte arrives */
		if (h->upload_bytes + (size_t)declared > HTTP_UPLOAD_BUDGET) {
			free(r);
			memset(&res, 0, sizeof(res));
			http_reply_busy(&res, "too many uploads in progress");
			http_shell_log_refusal(h, method, url, 503, conn ? conn->addr : "?");
			return http_reply_send(h, c, conn, &res, false);
		}
		r->reserved = (size_t)declared;
		h->upload_bytes += r->reserved;
	}
	if (conn && declared != 0)
		conn_guard_stage(h->guard, conn->slot, GUARD_BODY,
				 declared > 0 ? (uint64_t)declared : 0, mono_ms());
	*con_cls = r;
	return MHD_YES;
}

static void take_body(struct http_shell *h, struct request *r, const char *data, size_t n)
{
	if (r->too_big || r->over_budget)
		return;
	if (r->to_file) { /* copied for the writer; paused while it has plenty */
		if (r->upload_len + n > r->max) {
			r->too_big = true;
			return;
		}
		r->upload_len += n;
		enum upload_put put = upload_writer_put(r->upload, data, n);
		if (put == UPLOAD_PAUSE && !r->upload_paused && !h->stopping) {
			r->upload_paused = true;
			MHD_suspend_connection(r->c);
		}
		return;
	}
	if (r->len + n > r->max) {
		r->too_big = true;
		return;
	}
	size_t need = r->len + n + 1;
	if (need > r->cap) {
		size_t ncap = r->reserved ? r->reserved + 1 : (r->cap ? r->cap * 2 : 16384);
		while (ncap < need)
			ncap *= 2;
		/* chunked bodies reserve as they grow */
		size_t extra = ncap > r->reserved + 1 ? ncap - (r->reserved + 1) : 0;
		if (extra && h->upload_bytes + extra > HTTP_UPLOAD_BUDGET) {
			r->over_budget = true;
			return;
		}
		char *nb = realloc(r->body, ncap);
		if (!nb) {
			r->over_budget = true;
			return;
		}
		h->upload_bytes += extra;
		r->reserved += extra;
		r->body = nb;
		r->cap = ncap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
}

/* Resumed: the worker's answer, or 304 when the client has it already. */
static enum MHD_Result reply_result(struct http_shell *h, struct MHD_Connection *c,
				    struct request *r)
{
	r->has_result = false;
	struct api_response res = r->result;
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	if (res.status == 200 && res.etag[0] && inm && strstr(inm, res.etag)) {
		free(res.body);
		res.body = NULL;
		res.body_len = 0;
		res.status = 304;
		r->result_gz = false;
	}
	return http_reply_send(h, c, r->conn, &res, r->result_gz);
}

/* A bundle's body is all in: suspended until the writer has it on disk. */
static enum MHD_Result finish_upload(struct http_shell *h, struct MHD_Connection *c,
				     struct request *r)
{
	struct conn *conn = r->conn;
	struct api_response res;
	if (h->stopping) {
		http_reply_error(&res, 503, "the server is stopping; nothing was kept");
		return http_reply_send(h, c, conn, &res, false);
	}
	/* the writer syncs the file off this thread; resumed when done */
	if (!r->upload_finishing)
		upload_writer_finish(r->upload);
	r->upload_finishing = true;
	r->working = true;
	if (conn)
		conn_guard_stage(h->guard, conn->slot, GUARD_WORKING, 0, mono_ms());
	MHD_suspend_connection(c);
	return MHD_YES;
}

/* A body over its limit (413) or over the upload budget (503). */
static enum MHD_Result refuse_body(struct http_shell *h, struct MHD_Connection *c,
				   struct request *r, const char *url, const char *method)
{
	struct conn *conn = r->conn;
	struct api_response res;
	memset(&res, 0, sizeof(res));
	if (r->over_budget) {
		http_reply_busy(&res, "too many uploads in progress");
	} else {
		res.status = 413;
		res.content_type = "application/json";
		char msg[96];
		snprintf(msg, sizeof(msg),
			 "{\"error\":\"the body is larger than the %zu %s limit\"}",
			 r->max >= 1024 * 1024 ? r->max / (1024 * 1024) : r->max / 1024,
			 r->max >= 1024 * 1024 ? "MiB" : "KiB");
		res.body = strdup(msg);
		res.body_len = res.body ? strlen(res.body) : 0;
	}
	http_shell_log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
	return http_reply_send(h, c, conn, &res, false);
}

/* The query string rebuilt into q: the number of arguments, or -1 (res
 * filled) when there are too many or they are too long. */
static int query_of(struct MHD_Connection *c, struct query *q, struct api_response *res)
{
	int n_args = MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL);
	if (n_args <= API_MAX_QUERY_PARAMS)
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_add, q);
	if (q->too_long || n_args > API_MAX_QUERY_PARAMS) {
		memset(res, 0, sizeof(*res));
		res->status = q->too_long ? 414 : 400;
		res->content_type = "application/json";
		res->body = strdup(
			q->too_long ? "{\"error\":\"the query string is longer than 4096 bytes\"}"
				    : "{\"error\":\"query: more than 16 parameters\"}");
		res->body_len = res->body ? strlen(res->body) : 0;
		return -1;
	}
	return n_args;
}

/* The whole request is in: the api answers it. */
static enum MHD_Result handle(struct http_shell *h, struct MHD_Connection *c, struct request *r,
			      const char *url, const char *method)
{
	struct conn *conn = r->conn;
	struct api_response res;
	struct query q = {.len = 0};
	int n_args = query_of(c, &q, &res);
	if (n_args < 0) {
		http_shell_log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
		return http_reply_send(h, c, conn, &res, false);
	}
	struct api_request req = request_of(c, url, method, n_args > 0 ? q.s : NULL);
	req.body = r->body ? r->body : "";
	req.body_len = r->len;
	struct upload_result up;
	up.size = 0;
	if (r->to_file) { /* the whole file is in: the api keeps it (renames) or drops it */
		upload_writer_result(r->upload, &up);
		if (!up.ok) {
			http_reply_error(&res, up.status ? up.status : 507, up.why);
			server_log("WARN", "a bundle upload from %s was refused: %s",
				   conn ? conn->addr : "?", up.why);
			return http_reply_send(h, c, conn, &res, false);
		}
		req.upload_path = up.size ? up.path : NULL;
		req.upload_size = up.size;
		req.upload_sha256 = up.sha256;
	}
	api_handle(h->api, &req, &res);
	if (r->to_file && up.size) /* kept (renamed) or dropped; else dropped here (a 401) */
		unlink(up.path);
	r->upload_handed = r->to_file;
	if (res.log[0]) /* writes are rare and worth a line each; tokens never appear */
		server_log_line("INFO", res.log);
	else if (res.status >= 400 && res.status != 404)
		http_shell_log_refusal(h, method, url, res.status, conn ? conn->addr : "?");
	if (res.job) {
		if (!job_pool_submit(h->jobs, res.job, r, http_reply_wants_gzip(c))) {
			http_reply_busy(&res, "too many long reads waiting");
			http_shell_log_refusal(h, method, url, 503, conn ? conn->addr : "?");
			return http_reply_send(h, c, conn, &res, false);
		}
		res.job = NULL;
		r->working = true;
		if (conn)
			conn_guard_stage(h->guard, conn->slot, GUARD_WORKING, 0, mono_ms());
		MHD_suspend_connection(c);
		return MHD_YES;
	}
	if (res.stream)
		return http_stream_open(h, c, conn, &res);
	return http_reply_send(h, c, conn, &res, false);
}

enum MHD_Result http_request_receive(void *cls, struct MHD_Connection *c, const char *url,
				     const char *method, const char *version, const char *data,
				     size_t *data_size, void **con_cls)
{
	(void)version;
	struct http_shell *h = cls;
	struct request *r = *con_cls;
	if (!r)
		return begin(h, c, url, method, con_cls);
	if (*data_size) {
		take_body(h, r, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	if (r->has_result) /* resumed: the worker's answer */
		return reply_result(h, c, r);
	if (r->to_file && !r->upload_done && !r->too_big)
		return finish_upload(h, c, r);
	if (r->too_big || r->over_budget)
		return refuse_body(h, c, r, url, method);
	return handle(h, c, r, url, method);
}

void http_request_complete(void *cls, struct MHD_Connection *c, void **con_cls,
			   enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	struct http_shell *h = cls;
	struct request *r = *con_cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *conn = ci ? ci->socket_context : NULL;
	if (conn) { /* kept alive: the next request's headers are due */
		conn_guard_stage(h->guard, conn->slot, GUARD_IDLE, 0, mono_ms());
		conn->downloading = false;
		conn->idle = true;
	}
	if (r)
		request_free(h, r);
	*con_cls = NULL;
}
