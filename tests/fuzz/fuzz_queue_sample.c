/* fuzz_queue_sample: any bytes as one sensor line; a line that reads must
 * write back and read again to the same sample, and feed an estimator. */
#include "queue_sample.h"
#include "wait_estimator.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct queue_sample a, b;
	struct feed_error e;
	e.msg[0] = '\0';
	enum sample_parse st = queue_sample_parse((const char *)data, size, &a, &e);
	if (st != SAMPLE_OK) {
		if (!e.msg[0])
			abort(); /* a refusal says why */
		return 0;
	}
	char line[QUEUE_LINE_MAX * 2];
	size_t n = queue_sample_format(&a, line, sizeof(line));
	if (!n || queue_sample_parse(line, n, &b, &e) != SAMPLE_OK)
		abort();
	if (a.type != b.type || a.t_ms != b.t_ms || a.total != b.total ||
	    strcmp(a.queue, b.queue) || a.people != b.people || a.capacity != b.capacity ||
	    strcmp(a.room, b.room))
		abort();
	struct estimator *est = estimator_create();
	if (!estimator_add(est, &a, &e) && estimator_queue_count(est) == 0)
		abort();
	struct wait_estimate w;
	for (size_t i = 0; i < estimator_queue_count(est); i++)
		estimator_estimate(est, i, a.t_ms + 30000, &w);
	estimator_destroy(est);
	return 0;
}
