/* http_download: bundles sent from the disk as libmicrohttpd asks for their
 * blocks, so that the guard sees a slow reader's progress block by block. */
#include "http_download.h"

#include "byte_range.h"
#include "http_reply.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	DOWNLOADS_PER_TOKEN = 2, /* bundles one token downloads at once; then 429 */
	FILE_BLOCK = 16 * 1024,  /* a download's read size: its progress is seen per block */
};

/* A download's bytes, read as libmicrohttpd sends them: each block read
 * tells the guard how far the response got. */
struct file_send {
	struct http_shell *h;
	int fd, slot;
	uint64_t from, len;
};

static ssize_t file_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct file_send *f = cls;
	if (pos >= f->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t want = f->len - pos < max ? (size_t)(f->len - pos) : max;
	ssize_t n = pread(f->fd, buf, want, (off_t)(f->from + pos));
	if (n <= 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	conn_guard_progress(f->h->guard, f->slot, pos, mono_ms());
	return n;
}

static void file_free(void *cls)
{
	struct file_send *f = cls;
	close(f->fd);
	free(f);
}

/* The downloads conn's token has running, this one aside. */
static size_t downloads_of(const struct http_shell *h, const struct conn *conn)
{
	size_t n = 0;
	for (size_t i = 0; i < h->max_conns; i++) {
		const struct conn *o = h->by_slot[i];
		n += o && o != conn && o->downloading && o->who.role == conn->who.role &&
		     strcmp(o->who.name, conn->who.name) == 0;
	}
	return n;
}

/* A file (a bundle): the whole, or the range asked (a download that
 * resumes), straight from the disk. One token (a screen) downloads at most
 * DOWNLOADS_PER_TOKEN at once, so that a slow or hostile one cannot hold
 * every connection. */
enum MHD_Result http_download_send(struct http_shell *h, struct MHD_Connection *c,
				   struct conn *conn, struct api_response *res)
{
	if (conn && conn->who.role >= 0 && downloads_of(h, conn) >= DOWNLOADS_PER_TOKEN) {
		const char *base = strrchr(res->file, '/');
		char url[API_BUNDLE_PATH_MAX + 16];
		snprintf(url, sizeof(url), "/v1/bundles/%s", base ? base + 1 : res->file);
		http_shell_log_refusal(h, "GET", url, 429, conn->addr);
		api_response_finish(res);
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "%d downloads with this token are running; try again when "
			 "one ends",
			 DOWNLOADS_PER_TOKEN);
		http_reply_error(res, 429, msg);
		res->retry_after_s = 10;
		return http_reply_send(h, c, conn, res, false);
	}
	int fd = open(res->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		api_response_finish(res);
		http_reply_error(res, 500, "the bundle's file is missing on the server");
		return http_reply_send(h, c, conn, res, false);
	}
	uint64_t size = res->file_size, from = 0, to = size ? size - 1 : 0;
	const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
	unsigned status = 200;
	char cr[96] = "";
	enum byte_range_kind kind =
		range ? byte_range_parse(range, size, &from, &to) : BYTE_RANGE_WHOLE;
	if (kind == BYTE_RANGE_BAD) { /* malformed or past the end: never the whole file */
		close(fd);
		snprintf(cr, sizeof(cr), "bytes */%llu", (unsigned long long)size);
		struct MHD_Response *r =
			MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Range", cr);
		http_reply_close_if_old(h, conn, r);
		enum MHD_Result ok = MHD_queue_response(c, 416, r);
		MHD_destroy_response(r);
		api_response_finish(res);
		return ok;
	}
	if (kind == BYTE_RANGE_ONE) {
		status = 206;
		snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu", (unsigned long long)from,
			 (unsigned long long)to, (unsigned long long)size);
	} else {
		from = 0;
		to = size ? size - 1 : 0;
	}
	uint64_t len = size ? to - from + 1 : 0;
	struct file_send *f = malloc(sizeof(*f));
	struct MHD_Response *r =
		f ? MHD_create_response_from_callback(len, FILE_BLOCK, file_read, f, file_free)
		  : NULL;
	if (!r) {
		free(f);
		close(fd);
		api_response_finish(res);
		return MHD_NO;
	}
	*f = (struct file_send){h, fd, conn ? conn->slot : -1, from, len};
	MHD_add_response_header(r, "Content-Type", res->content_type);
	MHD_add_response_header(r, "Accept-Ranges", "bytes");
	if (cr[0])
		MHD_add_response_header(r, "Content-Range", cr);
	if (res->etag[0])
		MHD_add_response_header(r, "ETag", res->etag);
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", http_reply_csp);
	http_reply_close_if_old(h, conn, r);
	if (conn) {
		conn_guard_stage(h->guard, conn->slot, GUARD_RESPONDING, len, mono_ms());
		conn->downloading = true;
	}
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	api_response_finish(res);
	return ok;
}
