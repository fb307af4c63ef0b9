/* source_links: venueboard-server's links to the people counters that do
 * not come to it (contracts §7): an MQTT client (libmosquitto, on its own
 * thread) subscribed to the sources' topics at QoS 1 with a session the
 * broker keeps, reconnecting every few seconds; and the polled devices
 * (libcurl multi on one thread: a slow or dead device never delays
 * another). What they bring waits in a bounded inbox for the event loop,
 * which an eventfd wakes, so that the api stays on one thread. */
#ifndef VB_SOURCE_LINKS_H
#define VB_SOURCE_LINKS_H

#include "api.h"
#include "server_config.h"

enum {
	LINKS_MAX_WAITING = 8192,           /* events in the inbox; a full one holds MQTT back */
	LINKS_MAX_WAITING_BYTES = 64 << 20, /* their payloads' bytes */
	LINKS_BROKER_SILENT_MS = 10 * 1000, /* unconnected this long: the broker is failing */
	LINKS_RECONNECT_MAX_S = 2,          /* the longest wait between two connection tries */
};

struct source_links;

/* Starts the links c's sources need (none: NULL, no thread, not an error).
 * What it needs of c is copied. NULL with e set when it cannot start. */
struct source_links *source_links_start(const struct server_config *c, struct feed_error *e);

/* Readable when events wait (an eventfd); -1 for NULL. */
int source_links_fd(const struct source_links *l);

/* Moves up to cap waiting events into out, oldest first; returns how many.
 * Their strings are the caller's: source_links_release. */
size_t source_links_take(struct source_links *l, struct api_source_event *out, size_t cap);
void source_links_release(struct api_source_event *v, size_t n);

/* Disconnects and stops the threads; what already waits stays for
 * source_links_take (the broker has been told it was received). */
void source_links_stop(struct source_links *l);
/* Frees l (stopped first if need be) and whatever still waits. NULL is fine. */
void source_links_free(struct source_links *l);

#endif
