/* fuzz_pentabarf_xml: any bytes into the pentabarf_xml reader; it must fail cleanly or give a
 * schedule whose sessions all have an id, a title and end >= start. */
#include "pentabarf_xml.h"
#include "schedule.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_options opt = {.timezone = "Europe/Paris"};
	struct feed_error e;
	struct schedule *s = NULL;
	if (pentabarf_xml_parse((const char *)data, size, &opt, &s, &e)) {
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
