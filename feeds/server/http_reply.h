/* http_reply: an api_response queued on libmicrohttpd, with the headers
 * every answer carries, gzip when the client takes it, and the budget of
 * response bytes being sent. */
#ifndef VB_HTTP_REPLY_H
#define VB_HTTP_REPLY_H

#include "http_shell_internal.h"

#include <stdbool.h>

/* The Content-Security-Policy of answers that name none. */
extern const char http_reply_csp[];

/* Queues res (consumed) on c; conn (borrowed) may be NULL. gz: res's body
 * is gzip-compressed already. A file (a bundle) goes to http_download. */
enum MHD_Result http_reply_send(struct http_shell *h, struct MHD_Connection *c, struct conn *conn,
				struct api_response *res, bool gz);

/* Whether c's client takes gzip. */
bool http_reply_wants_gzip(struct MHD_Connection *c);

/* Fills res (overwritten, not finished) with a JSON error the shell answers
 * by itself; msg needs no escaping. */
void http_reply_error(struct api_response *res, int status, const char *msg);

/* Finishes res and fills it with a 503 saying what is busy. */
void http_reply_busy(struct api_response *res, const char *what);

/* Adds "Connection: close" to r when conn belongs to an old daemon. */
void http_reply_close_if_old(struct http_shell *h, const struct conn *conn, struct MHD_Response *r);

#endif
