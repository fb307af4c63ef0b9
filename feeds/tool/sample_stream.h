/* sample_stream: contracts §1 queue samples from a file or standard input,
 * a line at a time, handed on in time order: sensors' lines arrive a few
 * seconds out of order, so each is held until the stream has gone
 * REORDER_MS past it. A queue declaration has no time: it applies where it
 * stands. Shared by the commands that read samples (estimate, forecast). */
#ifndef VB_SAMPLE_STREAM_H
#define VB_SAMPLE_STREAM_H

#include <stdint.h>

#include "queue_sample.h"

/* Called with each sample in time order; returns an exit code (EXIT_OK to go
 * on). */
typedef int sample_take_fn(void *ctx, const struct queue_sample *s);

/* Reads path ("-": standard input) to its end, handing every sample to take.
 * Lines that do not read stop it (exit 1, naming the line); unknown types
 * are skipped with a warning. *newest: the latest sample time read
 * (INT64_MIN: none). Returns an exit code (contracts section 5). */
int sample_stream_read(const char *path, sample_take_fn *take, void *ctx, int64_t *newest);

#endif
