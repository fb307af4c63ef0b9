/* http_shell: libmicrohttpd around api.c — one polling thread (requests are
 * short and never wait on the network), body caps, timeouts for slow clients,
 * gzip when asked. */
#ifndef VB_HTTP_SHELL_H
#define VB_HTTP_SHELL_H

#include <stdbool.h>

struct api;
struct http_shell;

/* Starts serving api on host:port (port 0: any free port). Caller owns the
 * result (http_shell_stop). NULL when it cannot listen. */
struct http_shell *http_shell_start(struct api *api, const char *host, int port);
int http_shell_port(const struct http_shell *h);
void http_shell_stop(struct http_shell *h);

#endif
