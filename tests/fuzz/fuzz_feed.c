/* fuzz_feed: any bytes through format detection; whatever parses must survive
 * the round trip through the normalized JSON with the same sessions. */
#include "feed.h"
#include "normalized_json.h"
#include "schedule.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_options opt = {.timezone = "America/New_York"};
	struct feed_error e;
	struct schedule *s = NULL, *back = NULL;
	if (!feed_parse((const char *)data, size, &opt, &s, &e))
		return 0;
	char *text = normalized_json_write(s);
	if (!text)
		abort();
	if (!feed_parse(text, strlen(text), &opt, &back, &e))
		abort(); /* our own output must always read back */
	if (back->n_sessions != s->n_sessions || back->n_rooms != s->n_rooms)
		abort();
	for (size_t i = 0; i < s->n_sessions; i++)
		if (back->sessions[i].start != s->sessions[i].start ||
		    back->sessions[i].end != s->sessions[i].end ||
		    back->sessions[i].status != s->sessions[i].status)
			abort();
	free(text);
	schedule_destroy(back);
	schedule_destroy(s);
	return 0;
}
