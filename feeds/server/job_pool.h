/* job_pool: a few threads for the reads too slow for the thread that answers
 * everyone (a day of lunch-line samples), each with a read-only database
 * handle of its own. Finished jobs come back through a file descriptor the
 * polling loop waits on, so the loop never blocks on them. */
#ifndef VB_JOB_POOL_H
#define VB_JOB_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "api.h"

struct job_pool;

/* Starts workers threads reading the database at db_path; at most
 * max_waiting jobs wait for one. Caller owns (job_pool_destroy). */
struct job_pool *job_pool_create(unsigned workers, size_t max_waiting, const char *db_path,
				 struct feed_error *e);

/* Finishes every job submitted, then stops the threads. Results not taken
 * are finished (freed). NULL does nothing. */
void job_pool_destroy(struct job_pool *p);

/* Queues job (taken) with tag, the caller's handle for its result; gzip:
 * compress the answer too (on the worker). False when max_waiting jobs
 * already wait: the job stays the caller's. */
bool job_pool_submit(struct job_pool *p, struct api_job *job, void *tag, bool gzip);

/* Readable when a job has finished. */
int job_pool_fd(const struct job_pool *p);

/* Takes one finished job: its tag, its response (the caller's, to finish)
 * and whether its body is gzip-compressed. False when none is ready. */
bool job_pool_take(struct job_pool *p, void **tag, struct api_response *res, bool *gzipped);

/* Jobs submitted and not yet taken. */
size_t job_pool_in_flight(struct job_pool *p);

/* Waits until every submitted job has finished (shutting down). */
void job_pool_drain(struct job_pool *p);

#endif
