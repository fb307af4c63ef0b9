/* fuzz_reader: any bytes into one reader, chosen at build time (FUZZ_PARSE,
 * FUZZ_HEADER); it must fail cleanly, saying why, or give a schedule whose
 * sessions all have an id, a title and end >= start. */
#include FUZZ_HEADER
#include "schedule.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_options opt = {.timezone = "Europe/Paris"};
	struct feed_error e;
	struct schedule *s = NULL;
	e.msg[0] = '\0';
	if (FUZZ_PARSE((const char *)data, size, &opt, &s, &e)) {
		for (size_t i = 0; i < s->n_sessions; i++)
			if (!s->sessions[i].id || !s->sessions[i].title ||
			    s->sessions[i].end < s->sessions[i].start)
				abort();
	} else if (s || !e.msg[0]) {
		abort(); /* a failure must leave no schedule and say why */
	}
	schedule_destroy(s);
	return 0;
}
