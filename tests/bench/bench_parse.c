/* bench_parse: times one way of reading a feed, for run-parse-bench.sh.
 * usage: bench_parse full|raw|read FILE [ZONE] [REPS]
 *   full  venueboard's reader (detect, parse, normalize, finish)
 *   raw   only the underlying library's parse of the same bytes
 *         (cJSON_Parse, xmlReadMemory, icalparser_parse_string)
 *   read  nothing but the file in memory: the memory baseline
 * Prints: median_ms min_ms peak_rss_kb sessions */
#include "feed.h"
#include "file_io.h"
#include "schedule.h"

#include <cjson/cJSON.h>
#include <libical/ical.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One raw parse with the library the format is built on. */
static size_t raw_parse(const char *buf, size_t len)
{
	switch (feed_detect(buf, len)) {
	case FEED_PENTABARF_XML: {
		xmlDocPtr d = xmlReadMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET);
		xmlFreeDoc(d);
		return d != NULL;
	}
	case FEED_ICALENDAR: {
		char *copy = malloc(len + 1); /* libical wants a NUL-terminated string */
		memcpy(copy, buf, len);
		copy[len] = '\0';
		icalcomponent *c = icalparser_parse_string(copy);
		free(copy);
		icalcomponent_free(c);
		return c != NULL;
	}
	default: {
		size_t skip = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		cJSON *j = cJSON_ParseWithLength(buf + skip, len - skip);
		cJSON_Delete(j);
		return j != NULL;
	}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: bench_parse full|raw|read FILE [ZONE] [REPS]\n", stderr);
		return 2;
	}
	const char *mode = argv[1];
	struct feed_options opt = {.timezone = argc > 3 && *argv[3] ? argv[3] : NULL};
	int reps = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 20;
	if (reps < 1 || reps > 10000)
		reps = 20;
	char *buf;
	size_t len;
	if (file_io_read(argv[2], SCHEDULE_MAX_FEED_BYTES, &buf, &len) != FILE_IO_OK) {
		perror(argv[2]);
		return 3;
	}
	double *t = calloc((size_t)reps, sizeof(*t));
	size_t sessions = 0;
	for (int i = 0; i < reps; i++) {
		double t0 = now_ms();
		if (strcmp(mode, "full") == 0) {
			struct schedule *s = NULL;
			struct feed_error e;
			if (!feed_parse(buf, len, &opt, &s, &e)) {
				fprintf(stderr, "%s: %s\n", argv[2], e.msg);
				return 1;
			}
			sessions = s->n_sessions;
			schedule_destroy(s);
		} else if (strcmp(mode, "raw") == 0) {
			if (!raw_parse(buf, len)) {
				fprintf(stderr, "%s: raw parse failed\n", argv[2]);
				return 1;
			}
		}
		t[i] = now_ms() - t0;
	}
	qsort(t, (size_t)reps, sizeof(*t), cmp_double);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %.3f %ld %zu\n", t[reps / 2], t[0], ru.ru_maxrss, sessions);
	free(t);
	free(buf);
	return 0;
}
