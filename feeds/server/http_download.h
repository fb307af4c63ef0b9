/* http_download: a file (a bundle) sent straight from the disk, whole or
 * the range asked, with a cap on the downloads one token runs at once. */
#ifndef VB_HTTP_DOWNLOAD_H
#define VB_HTTP_DOWNLOAD_H

#include "http_shell_internal.h"

/* Queues res's file (res consumed) on c, or the refusal (429, 416, 500);
 * conn (borrowed) may be NULL. */
enum MHD_Result http_download_send(struct http_shell *h, struct MHD_Connection *c,
				   struct conn *conn, struct api_response *res);

#endif
