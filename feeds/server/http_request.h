/* http_request: libmicrohttpd's handlers of a request, from its headers to
 * its completion: what the headers alone refuse, the body (to memory, or a
 * bundle to a file through the upload writer), the api's answer, sent,
 * handed to a worker or made a stream. */
#ifndef VB_HTTP_REQUEST_H
#define VB_HTTP_REQUEST_H

#include "http_shell_internal.h"

/* libmicrohttpd's access handler (MHD_AccessHandlerCallback); cls is the
 * shell, *con_cls the request (made at the headers). */
enum MHD_Result http_request_receive(void *cls, struct MHD_Connection *c, const char *url,
				     const char *method, const char *version, const char *data,
				     size_t *data_size, void **con_cls);

/* libmicrohttpd's MHD_OPTION_NOTIFY_COMPLETED: frees the request. */
void http_request_complete(void *cls, struct MHD_Connection *c, void **con_cls,
			   enum MHD_RequestTerminationCode toe);

#endif
