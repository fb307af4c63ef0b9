/* heartbeat: tells venueboard-server this screen is alive and what it shows
 * (version, uptime, feed age, page, a thumbnail), so an organizer spots a
 * dead screen from the desk, and keeps the server's answer (what the screen
 * must know). One POST at a time, never blocking the loop. */
#ifndef VB_HEARTBEAT_H
#define VB_HEARTBEAT_H

#include <stdbool.h>
#include <stddef.h>

struct heartbeat;

/* url and token are copied; ca_file (may be NULL) is borrowed. Caller owns
 * (heartbeat_destroy); NULL when libcurl cannot start. */
struct heartbeat *heartbeat_create(const char *url, const char *token, const char *ca_file);
void heartbeat_destroy(struct heartbeat *hb);

/* Starts posting json (copied) unless a post is still in flight: false then. */
bool heartbeat_send(struct heartbeat *hb, const char *json);

/* True while a post is on its way. */
bool heartbeat_busy(const struct heartbeat *hb);

/* Moves the post along without waiting; true once it has finished, with the
 * HTTP status (0 on a transport failure) and err filled on failure. */
bool heartbeat_poll(struct heartbeat *hb, long *status, char *err, size_t err_cap);

/* True when the last answer passed HEARTBEAT_MAX_ANSWER (it was dropped). */
bool heartbeat_answer_over(const struct heartbeat *hb);

enum { HEARTBEAT_MAX_ANSWER = 256 * 1024 }; /* a longer answer is cut off: none */

/* The last finished post's answer (NUL-terminated; len 0 when none, or
 * when it failed or passed HEARTBEAT_MAX_ANSWER), borrowed until the next
 * heartbeat_send. */
const char *heartbeat_answer(const struct heartbeat *hb, size_t *len);

#endif
