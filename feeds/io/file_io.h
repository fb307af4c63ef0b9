/* file_io: the I/O shell's file chores — whole files read with a size cap,
 * and files replaced atomically (temp file + rename). */
#ifndef VB_FILE_IO_H
#define VB_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>

enum file_io_status { FILE_IO_OK, FILE_IO_ERROR, FILE_IO_TOO_BIG };

/* Reads path ("-" is standard input) into a malloc'd, NUL-terminated buffer
 * stored in *out (caller frees) with its length in *len. Refuses more than
 * cap bytes. On failure *out is NULL and errno tells why (FILE_IO_ERROR). */
enum file_io_status file_io_read(const char *path, size_t cap, char **out, size_t *len);

/* Replaces path with data[0..len) so readers see the old or the new file,
 * never half of one: writes path.tmp.PID, fsyncs, renames, fsyncs the folder. */
bool file_io_replace(const char *path, const void *data, size_t len);

#endif
