/* update_files: what the kiosk and the image's update agent say to each
 * other through files in run-dir, as text — update-target.json (the update
 * the server offers, its URL made absolute), update-status (one line, what
 * the agent does), image ("VERSION SLOT"), and quiet (whether now is a
 * moment to reboot: no session starting within 10 minutes in the rooms this
 * screen shows, and inside update-window). Pure: the shell does the files. */
#ifndef VB_UPDATE_FILES_H
#define VB_UPDATE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct civil_zone;
struct fleet_update;
struct kiosk_config;
struct schedule;

enum {
	UPDATE_STATUS_MAX = 160,     /* bytes of update-status a heartbeat carries */
	UPDATE_IMAGE_MAX = 64,       /* bytes of the image's version */
	UPDATE_SLOT_MAX = 8,         /* bytes of its slot's name */
	UPDATE_FILE_MAX = 4096,      /* bytes read of update-status or image */
	UPDATE_QUIET_AHEAD_MIN = 10, /* a session starting this soon: not quiet */
};

/* update-target.json's text: {"version","url","size","sha256"}, url made
 * absolute against base (the heartbeat-url). Caller frees; NULL when the
 * URL cannot be made absolute or out of memory. */
char *update_files_target(const struct fleet_update *u, const char *base);

/* update-status's first line, cut to UPDATE_STATUS_MAX bytes at a character
 * boundary, into out. False when there is none or it is not one line of
 * UTF-8 without control characters (the server would refuse it). */
bool update_files_status(const char *buf, size_t len, char out[UPDATE_STATUS_MAX + 1]);

/* image's first line, "VERSION SLOT" (two words, printable ASCII). False
 * when it is not that. */
bool update_files_image(const char *buf, size_t len, char version[UPDATE_IMAGE_MAX + 1],
			char slot[UPDATE_SLOT_MAX + 1]);

/* Whether now_ms is a quiet moment for this screen: no session of s (may be
 * NULL: none known) starting within UPDATE_QUIET_AHEAD_MIN minutes in the
 * rooms it shows (cfg's rooms, or every room when it names none), and inside
 * cfg's update window (in zone's local time) when it has one. */
bool update_files_quiet(const struct kiosk_config *cfg, const struct schedule *s,
			const struct civil_zone *zone, int64_t now_ms);

#endif
