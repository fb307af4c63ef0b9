/* forecast_cmd: queue samples of several days and the conference's schedule
 * in; every --every seconds of sample time, for each queue heard from in the
 * last 10 minutes, one line per horizon, each from samples at or before its
 * own t (a tick is printed before any later sample is taken). */
#include "forecast_cmd.h"

#include "civil_time.h"
#include "feed.h"
#include "forecast.h"
#include "sample_stream.h"
#include "schedule.h"
#include "tool_common.h"
#include "tool_schedule.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_HORIZONS = 16, ACTIVE_S = 600 };

struct run {
	struct forecaster *f;
	int64_t every_ms, next_tick;
	bool ticking;
	int horizons[MAX_HORIZONS];
	size_t n_horizons;
};

static void put_seconds(const char *key, bool known, double v)
{
	if (known)
		printf(",\"%s\":%.0f", key, v);
	else
		printf(",\"%s\":null", key);
}

/* Why a forecast is null though one was made (contracts section 6 allows
 * added fields): its horizon's record against the baselines. */
static void put_why(const struct forecaster *f, size_t q, int64_t ahead_ms)
{
	struct forecast_score sc;
	int minutes;
	if (!forecaster_record(f, q, forecaster_record_horizon(ahead_ms), &minutes, &sc))
		return;
	printf(",\"withheld\":{\"ahead_min\":%d,\"n\":%d", minutes, sc.n);
	put_seconds("model_s", true, sc.model_s);
	put_seconds("persistence_s", true, sc.persistence_s);
	put_seconds("same_time_s", true, sc.same_time_s);
	printf("}");
}

static int print_tick(struct run *r, int64_t tick)
{
	char t[21], at[21];
	civil_format_utc(tick / 1000, t);
	for (size_t q = 0; q < forecaster_queue_count(r->f); q++) {
		int64_t newest = forecaster_queue_newest_ms(r->f, q);
		if (newest == INT64_MIN || newest > tick || tick - newest > ACTIVE_S * 1000LL)
			continue; /* not heard from in the last 10 minutes */
		for (size_t h = 0; h < r->n_horizons; h++) {
			int64_t when = tick + r->horizons[h] * 60000LL;
			struct forecast fc;
			forecaster_predict(r->f, q, tick, when, &fc);
			civil_format_utc(when / 1000, at);
			printf("{\"t\":\"%s\",\"queue\":\"%s\",\"at\":\"%s\"", t,
			       forecaster_queue_id(r->f, q), at);
			put_seconds("wait_s", fc.known, fc.wait_s);
			put_seconds("low_s", fc.known, fc.low_s);
			put_seconds("high_s", fc.known, fc.high_s);
			if (fc.known && fc.basis == FORECAST_BASIS_SAME_TIME)
				printf(",\"basis\":\"same_time\""); /* added: its record is better */
			if (fc.withheld)
				put_why(r->f, q, when - tick);
			puts("}");
		}
	}
	return ferror(stdout) ? EXIT_IO : EXIT_OK;
}

/* Takes one settled sample, printing every tick that comes before it. */
static int take(void *ctx, const struct queue_sample *s)
{
	struct run *r = ctx;
	if (s->type != SAMPLE_QUEUE) {
		if (!r->ticking) {
			r->ticking = true;
			r->next_tick = (s->t_ms + r->every_ms - 1) / r->every_ms * r->every_ms;
		}
		while (r->next_tick < s->t_ms) {
			if (print_tick(r, r->next_tick) != EXIT_OK)
				return EXIT_IO;
			r->next_tick += r->every_ms;
		}
	}
	struct feed_error e;
	if (!forecaster_add(r->f, s, &e)) {
		fprintf(stderr, "venueboard-feed: %s\n", e.msg);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

static bool read_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int forecast_cmd(int argc, char **argv)
{
	struct run r = {.every_ms = 300000};
	const char *schedule_path = NULL, *path = "-";
	struct feed_options opt = {0};
	int files = 0;
	long v;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--schedule") == 0 && i + 1 < argc) {
			schedule_path = argv[++i];
		} else if (strcmp(argv[i], "--timezone") == 0 && i + 1 < argc) {
			opt.timezone = argv[++i];
			if (!civil_zone_known(opt.timezone))
				return tool_usage("--timezone: not a known IANA zone");
		} else if (strcmp(argv[i], "--every") == 0 && i + 1 < argc) {
			if (!read_long(argv[++i], 1, 86400, &v))
				return tool_usage("--every takes whole seconds from 1 to 86400");
			r.every_ms = v * 1000;
		} else if (strcmp(argv[i], "--horizon") == 0 && i + 1 < argc) {
			if (!read_long(argv[++i], 1, FORECAST_MAX_AHEAD_S / 60, &v))
				return tool_usage("--horizon takes whole minutes from 1 to 360");
			if (r.n_horizons == MAX_HORIZONS)
				return tool_usage("at most 16 --horizon");
			r.horizons[r.n_horizons++] = (int)v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return tool_usage(
				"forecast takes --schedule FILE, --timezone AREA/CITY, "
				"--every SECONDS, --horizon MINUTES and one SAMPLES file or -");
		} else {
			path = argv[i];
			files++;
		}
	}
	if (!schedule_path)
		return tool_usage("forecast needs --schedule FILE (the conference's schedule)");
	if (files > 1)
		return tool_usage("forecast takes one SAMPLES file");
	if (r.n_horizons == 0) {
		r.horizons[0] = 15, r.horizons[1] = 30, r.horizons[2] = 60;
		r.n_horizons = 3;
	}
	struct schedule *s = NULL;
	int rc = tool_schedule_load(schedule_path, &opt, &s);
	if (rc != EXIT_OK)
		return rc;
	r.f = forecaster_create();
	if (!r.f) {
		schedule_destroy(s);
		return EXIT_IO;
	}
	forecaster_set_schedule(r.f, s);
	int64_t newest;
	rc = sample_stream_read(path, take, &r, &newest);
	while (rc == EXIT_OK && r.ticking && r.next_tick <= newest) {
		rc = print_tick(&r, r.next_tick);
		r.next_tick += r.every_ms;
	}
	if (rc == EXIT_OK)
		rc = tool_flush();
	forecaster_destroy(r.f);
	schedule_destroy(s);
	return rc;
}
