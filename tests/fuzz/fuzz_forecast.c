/* fuzz_forecast: any bytes as a sensor feed (JSON Lines: lines that do not
 * read are skipped, as a sensor's bad line would be refused), fed in order
 * to a forecaster that knows a small conference's schedule; every forecast
 * made along the way must be a number of seconds with its interval around
 * it, or say it knows nothing. */
#include "feed.h"
#include "forecast.h"
#include "queue_sample.h"
#include "schedule.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Three rooms let out at noon (Paris) before a lunch session. */
static const char conference[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"F\",\"timezone\":\"Europe/Paris\"},"
	"\"rooms\":[{\"id\":\"a\",\"name\":\"A\",\"capacity\":300},{\"id\":\"b\",\"name\":\"B\"},"
	"{\"id\":\"l\",\"name\":\"Lunch\",\"capacity\":600}],\"sessions\":["
	"{\"id\":\"1\",\"title\":\"T1\",\"room\":\"a\",\"start\":\"2014-11-06T09:30:00Z\","
	"\"end\":\"2014-11-06T11:00:00Z\",\"status\":\"scheduled\"},"
	"{\"id\":\"2\",\"title\":\"T2\",\"room\":\"b\",\"start\":\"2014-11-06T10:00:00Z\","
	"\"end\":\"2014-11-06T11:10:00Z\",\"status\":\"scheduled\"},"
	"{\"id\":\"3\",\"title\":\"Lunch\",\"type\":\"catering\",\"room\":\"l\","
	"\"start\":\"2014-11-06T11:00:00Z\",\"end\":\"2014-11-06T13:00:00Z\",\"status\":\"scheduled\"}]}";

static void check(const struct forecast *f)
{
	if (!f->known)
		return;
	if (!isfinite(f->wait_s) || !isfinite(f->low_s) || !isfinite(f->high_s) || f->low_s < 0 ||
	    f->low_s > f->wait_s || f->wait_s > f->high_s)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_error e;
	struct schedule *s = NULL;
	if (!feed_parse(conference, sizeof(conference) - 1, NULL, &s, &e))
		abort();
	struct forecaster *f = forecaster_create();
	if (!f)
		abort();
	forecaster_set_schedule(f, s);
	const char *p = (const char *)data, *end = p + size;
	int64_t last = INT64_MIN;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct queue_sample q;
		if (queue_sample_parse(p, n, &q, &e) == SAMPLE_OK && forecaster_add(f, &q, &e) &&
		    q.type != SAMPLE_QUEUE && q.t_ms > last) {
			last = q.t_ms;
			for (size_t i = 0; i < forecaster_queue_count(f); i++) {
				int64_t at[3] = {last + 60000, last + 1800000,
						 last + 6 * 3600000LL};
				struct forecast out[3];
				forecaster_predict_series(f, i, last, at, 3, out);
				for (int k = 0; k < 3; k++)
					check(&out[k]);
			}
		}
		p += n + (nl != NULL);
	}
	forecaster_destroy(f);
	schedule_destroy(s);
	return 0;
}
