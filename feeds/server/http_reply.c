/* http_reply: answers queued on libmicrohttpd, compressed when worth it;
 * their bytes are counted against HTTP_RESPONSE_BUDGET until sent. */
#include "http_reply.h"

#include "blob.h"
#include "gzip.h"
#include "http_download.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char http_reply_csp[] = "default-src 'none'; frame-ancestors 'none'";

/* The context of a response's bytes: freed (and its budget given back) when
 * libmicrohttpd is done sending it. */
struct sent {
	struct http_shell *h;
	char *body;
	struct blob *blob;
	size_t charged;
};

static void sent_free(void *cls)
{
	struct sent *s = cls;
	s->h->response_bytes -= s->charged;
	free(s->body);
	blob_unref(s->blob);
	free(s);
}

bool http_reply_wants_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	return ae && strstr(ae, "gzip");
}

/* A JSON error the shell answers by itself (its text needs no escaping). */
void http_reply_error(struct api_response *res, int status, const char *msg)
{
	char body[400];
	snprintf(body, sizeof(body), "{\"error\":\"%s\"}", msg);
	memset(res, 0, sizeof(*res));
	res->status = status;
	res->content_type = "application/json";
	res->body = strdup(body);
	res->body_len = res->body ? strlen(res->body) : 0;
}

void http_reply_busy(struct api_response *res, const char *what)
{
	api_response_finish(res);
	memset(res, 0, sizeof(*res));
	char msg[200];
	snprintf(msg, sizeof(msg),
		 "{\"error\":\"the server is busy (%s); try again in a few "
		 "seconds\"}",
		 what);
	res->status = 503;
	res->content_type = "application/json";
	res->body = strdup(msg);
	res->body_len = res->body ? strlen(res->body) : 0;
	res->retry_after_s = 5;
}

/* A connection of a daemon that no longer accepts (an earlier certificate)
 * closes after its answer: the old daemon empties, and its place is free
 * for the next reload. */
void http_reply_close_if_old(struct http_shell *h, const struct conn *conn, struct MHD_Response *r)
{
	if (conn && h->n_daemons && conn->daemon != h->daemons[h->n_daemons - 1])
		MHD_add_response_header(r, "Connection", "close");
}

/* A shared answer's bytes, taken from res into s: compressed once for
 * everyone, the first time a client takes gzip. */
static const char *blob_bytes(struct sent *s, struct api_response *res, bool zip, size_t *len,
			      bool *gz)
{
	struct blob *b = res->blob;
	res->blob = NULL;
	if (zip && b->gz_state == 0 && b->len > 1024) {
		b->gz = gzip_compress(b->data, b->len, &b->gz_len);
		b->gz_state = b->gz ? 1 : -1;
	}
	*gz = zip && b->gz_state == 1;
	*len = *gz ? b->gz_len : b->len;
	s->blob = b;
	return *gz ? b->gz : b->data;
}

/* res's own body, taken into s (compressed when worth it) and charged to
 * the response budget; NULL, the body freed, when the budget has no room. */
static const char *body_bytes(struct http_shell *h, struct sent *s, struct api_response *res,
			      bool zip, size_t *out_len, bool *gz)
{
	char *body = res->body;
	size_t len = res->body_len;
	res->body = NULL;
	bool png = res->content_type && strcmp(res->content_type, "image/png") == 0;
	if (!*gz && zip && !png && len > 1024) {
		size_t zl;
		char *z = gzip_compress(body, len, &zl);
		if (z) {
			free(body);
			body = z;
			len = zl;
			*gz = true;
		}
	}
	if (len > 4096 && h->response_bytes + len > HTTP_RESPONSE_BUDGET) {
		free(body);
		return NULL;
	}
	s->body = body;
	s->charged = len;
	h->response_bytes += len;
	*out_len = len;
	return body;
}

static void add_headers(struct MHD_Response *r, const struct api_response *res, bool gz)
{
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	if (res->etag[0])
		MHD_add_response_header(r, "ETag", res->etag);
	if (res->cache_control)
		MHD_add_response_header(r, "Cache-Control", res->cache_control);
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	if (res->authenticate)
		MHD_add_response_header(r, "WWW-Authenticate", res->authenticate);
	if (res->retry_after_s > 0) {
		char ra[16];
		snprintf(ra, sizeof(ra), "%d", res->retry_after_s);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy", res->csp ? res->csp : http_reply_csp);
}

enum MHD_Result http_reply_send(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
				struct api_response *res, bool gz)
{
	if (res->file[0] && res->status == 200)
		return http_download_send(h, c, conn, res);
	struct sent *s = calloc(1, sizeof(*s));
	if (!s) {
		api_response_finish(res);
		return MHD_NO;
	}
	s->h = h;
	const char *data = "";
	size_t len = 0;
	bool zip = http_reply_wants_gzip(c);
	if (res->blob) { /* shared: compressed once for everyone */
		data = blob_bytes(s, res, zip, &len, &gz);
	} else if (res->body && !(data = body_bytes(h, s, res, zip, &len, &gz))) {
		free(s);
		http_reply_busy(res, "too many large answers being sent");
		return http_reply_send(h, c, conn, res, false);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
		len, (void *)data, sent_free, s);
	if (!r) {
		sent_free(s);
		api_response_finish(res);
		return MHD_NO;
	}
	add_headers(r, res, gz);
	http_reply_close_if_old(h, conn, r);
	if (conn)
		conn_guard_stage(h->guard, conn->slot, GUARD_RESPONDING, len, mono_ms());
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}
