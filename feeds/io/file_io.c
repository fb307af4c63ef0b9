/* file_io: POSIX file reading and atomic replacement. */
#include "file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum file_io_status file_io_read(const char *path, size_t cap, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FILE_IO_ERROR;
	size_t size = 0, alloc = 64 * 1024;
	char *buf = malloc(alloc + 1);
	enum file_io_status st = FILE_IO_OK;
	while (buf) {
		if (size == alloc) {
			if (alloc > cap) {
				st = FILE_IO_TOO_BIG;
				break;
			}
			size_t nalloc = alloc * 2;
			char *nb = realloc(buf, nalloc + 1);
			if (!nb) {
				st = FILE_IO_ERROR;
				break;
			}
			buf = nb;
			alloc = nalloc;
		}
		ssize_t got = read(fd, buf + size, alloc - size);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			st = FILE_IO_ERROR;
			break;
		}
		if (got == 0)
			break;
		size += (size_t)got;
	}
	int saved = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	if (!buf)
		return FILE_IO_ERROR;
	if (st == FILE_IO_OK && size > cap)
		st = FILE_IO_TOO_BIG;
	if (st != FILE_IO_OK) {
		free(buf);
		errno = saved;
		return st;
	}
	buf[size] = '\0';
	*out = buf;
	*len = size;
	return FILE_IO_OK;
}

bool file_io_replace(const char *path, const void *data, size_t len)
{
	char tmp[4096];
	int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return false;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	const char *p = data;
	size_t left = len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int saved = errno;
			close(fd);
			unlink(tmp);
			errno = saved;
			return false;
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
		return false;
	}
	if (rename(tmp, path) != 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
		return false;
	}
	/* the rename is in the folder: sync it too, or a power cut soon after
	 * can bring back the old file (or none) — the kiosk image's power-cut
	 * test lost a fresh cache that way */
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int dn = slash ? snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path)
		       : snprintf(dir, sizeof(dir), ".");
	if (dn == 0)
		snprintf(dir, sizeof(dir), "/");
	int dfd = dn >= 0 && (size_t)dn < sizeof(dir)
			  ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
			  : -1;
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return true;
}
