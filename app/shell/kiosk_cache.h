/* kiosk_cache: the last good feeds on disk, so a screen that restarts without
 * network still shows the schedule (with its age). Files are replaced
 * atomically (temp file + fsync + rename): a power cut leaves the old or the
 * new file, never half of one. */
#ifndef VB_KIOSK_CACHE_H
#define VB_KIOSK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creates dir (and its parents) when missing. False with errno set. */
bool kiosk_cache_prepare(const char *dir);

/* Reads dir/name (at most cap bytes) into a malloc'd buffer the caller frees;
 * *saved_s is the file's modification time (UTC seconds). False when absent,
 * unreadable or too big. */
bool kiosk_cache_load(const char *dir, const char *name, size_t cap, char **buf, size_t *len,
		      int64_t *saved_s);

/* Replaces dir/name with data. False with errno set. */
bool kiosk_cache_save(const char *dir, const char *name, const void *data, size_t len);

/* The permission bits of dir, to make it again alike; 0755 when it cannot
 * be read. */
unsigned kiosk_cache_mode(const char *dir);

/* Makes dir again (and its parents) with mode when it is gone — someone
 * removed it under a running kiosk; *made says it was. False with errno. */
bool kiosk_cache_remake(const char *dir, unsigned mode, bool *made);

/* Sets dir/name's modification time to now: the saved schedule was
 * confirmed current. False with errno (ENOENT: it or dir is gone). */
bool kiosk_cache_touch(const char *dir, const char *name);

/* True when dir/name exists. */
bool kiosk_cache_has(const char *dir, const char *name);

#endif
