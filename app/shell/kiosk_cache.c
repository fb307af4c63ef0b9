/* kiosk_cache: thin wrapper over file_io with the cache's directory. */
#include "kiosk_cache.h"

#include "file_io.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>

static bool path_of(const char *dir, const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return false;
	}
	return true;
}

bool kiosk_cache_prepare(const char *dir)
{
	char p[PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return false;
	}
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char keep = p[i];
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			return false;
		p[i] = keep;
	}
	return true;
}

bool kiosk_cache_load(const char *dir, const char *name, size_t cap, char **buf, size_t *len,
		      int64_t *saved_s)
{
	char p[PATH_MAX];
	struct stat st;
	*buf = NULL;
	*len = 0;
	if (!path_of(dir, name, p, sizeof(p)) || stat(p, &st) != 0)
		return false;
	if (file_io_read(p, cap, buf, len) != FILE_IO_OK)
		return false;
	*saved_s = (int64_t)st.st_mtime;
	return true;
}

bool kiosk_cache_save(const char *dir, const char *name, const void *data, size_t len)
{
	char p[PATH_MAX];
	return path_of(dir, name, p, sizeof(p)) && file_io_replace(p, data, len);
}

bool kiosk_cache_has(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;
	return path_of(dir, name, p, sizeof(p)) && stat(p, &st) == 0;
}

unsigned kiosk_cache_mode(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return 0755;
	return (unsigned)(st.st_mode & 07777);
}

bool kiosk_cache_remake(const char *dir, unsigned mode, bool *made)
{
	struct stat st;
	*made = false;
	if (stat(dir, &st) == 0)
		return true;
	if (errno != ENOENT || !kiosk_cache_prepare(dir))
		return false;
	*made = true;
	/* mkdir's mode passed through the umask: the mode it had, exactly */
	return chmod(dir, (mode_t)mode) == 0;
}

bool kiosk_cache_touch(const char *dir, const char *name)
{
	char p[PATH_MAX];
	return path_of(dir, name, p, sizeof(p)) && utimensat(AT_FDCWD, p, NULL, 0) == 0;
}
