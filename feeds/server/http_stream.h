/* http_stream: screens' event streams (GET /v1/stream), kept open and fed
 * by the loop: what changed for the screen, else a keep-alive comment.
 * A stream belongs to libmicrohttpd's response; it frees it. */
#ifndef VB_HTTP_STREAM_H
#define VB_HTTP_STREAM_H

#include "http_shell_internal.h"

#include <stdbool.h>
#include <stdint.h>

/* Answers with a stream for res->stream_screen (res consumed), or a 503
 * when there are too many; conn (borrowed) may be NULL. */
enum MHD_Result http_stream_open(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
				 struct api_response *res);

/* One turn of the loop: feeds every stream, cuts those that do not read. */
void http_stream_pump(struct http_shell *h, int64_t now);

/* Ends st now (its screen reconnects). */
void http_stream_cut(struct stream *st);

/* Ends every stream. */
void http_stream_close_all(struct http_shell *h);

/* Whether st is ending already. */
bool http_stream_closing(const struct stream *st);

/* st's connection is gone (closed): st no longer points at it. */
void http_stream_detach(struct stream *st);

#endif
