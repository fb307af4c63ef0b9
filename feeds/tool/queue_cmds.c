/* queue_cmds: `venueboard-feed estimate` reads queue samples (JSON Lines),
 * absorbs a few seconds of disorder, and prints one estimate per queue at
 * every multiple of --every seconds of sample time, each from samples at or
 * before it; `simulate` writes a seeded lunch line's samples and truth, of
 * one period or of a conference's days from its schedule. */
#include "queue_cmds.h"

#include "civil_time.h"
#include "feed.h"
#include "file_io.h"
#include "lunch_sim.h"
#include "normalized_json.h"
#include "queue_sample.h"
#include "sample_stream.h"
#include "schedule.h"
#include "tool_common.h"
#include "tool_schedule.h"
#include "wait_estimator.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
	struct estimator *est;
	int64_t every_ms, next_tick;
	bool ticking;
};

static int print_tick(struct run *r, int64_t tick)
{
	for (size_t q = 0; q < estimator_queue_count(r->est); q++) {
		struct wait_estimate w;
		char t[21];
		estimator_estimate(r->est, q, tick, &w);
		civil_format_utc(tick / 1000, t);
		if (w.known)
			printf("{\"t\":\"%s\",\"queue\":\"%s\",\"wait_s\":%.0f,\"people\":%.0f,"
			       "\"confidence\":\"%s\"}\n",
			       t, w.queue, round(w.wait_s), round(w.people),
			       estimator_confidence_name(w.confidence));
		else
			printf("{\"t\":\"%s\",\"queue\":\"%s\",\"wait_s\":null,\"people\":null,"
			       "\"confidence\":\"none\"}\n",
			       t, w.queue);
	}
	return ferror(stdout) ? EXIT_IO : EXIT_OK;
}

/* Applies one settled sample, printing every tick that comes before it. */
static int settle(void *ctx, const struct queue_sample *s)
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
	if (!estimator_add(r->est, s, &e)) {
		fprintf(stderr, "venueboard-feed: %s\n", e.msg);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

int queue_cmd_estimate(int argc, char **argv)
{
	long every = 30;
	const char *path = "-";
	int files = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--every") == 0 && i + 1 < argc) {
			char *end;
			every = strtol(argv[++i], &end, 10);
			if (*end || every < 1 || every > 86400)
				return tool_usage("--every takes whole seconds from 1 to 86400");
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return tool_usage("estimate takes --every SECONDS and one FILE or -");
		} else {
			path = argv[i];
			files++;
		}
	}
	if (files > 1)
		return tool_usage("estimate takes one FILE");
	struct run r = {.est = estimator_create(), .every_ms = every * 1000};
	if (!r.est)
		return EXIT_IO;
	int64_t newest;
	int rc = sample_stream_read(path, settle, &r, &newest);
	while (rc == EXIT_OK && r.ticking && r.next_tick <= newest) {
		rc = print_tick(&r, r.next_tick);
		r.next_tick += r.every_ms;
	}
	if (rc == EXIT_OK)
		rc = tool_flush();
	estimator_destroy(r.est);
	return rc;
}

/* Writes a run's samples on stdout and, with truth_path, one line per person:
 * when they crossed the entry and exit lines. */
static int write_run(const struct sim_result *r, const char *queue, const char *truth_path)
{
	char line[QUEUE_LINE_MAX];
	for (size_t i = 0; i < r->n_samples; i++)
		if (queue_sample_format(&r->samples[i], line, sizeof(line)))
			puts(line);
	int rc = tool_flush();
	if (rc != EXIT_OK || !truth_path)
		return rc;
	FILE *f = fopen(truth_path, "w");
	if (!f) {
		fprintf(stderr, "%s: cannot write: %s\n", truth_path, strerror(errno));
		return EXIT_IO;
	}
	for (size_t i = 0; i < r->n_people; i++) {
		char a[21], b[21];
		civil_format_utc(r->people[i].enter_ms / 1000, a);
		civil_format_utc(r->people[i].exit_ms / 1000, b);
		fprintf(f, "{\"queue\":\"%s\",\"enter\":\"%s\",\"exit\":\"%s\",\"wait_s\":%.1f}\n",
			queue, a, b,
			(double)(r->people[i].exit_ms - r->people[i].enter_ms) / 1000.0);
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "%s: cannot write: %s\n", truth_path, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

struct simulate_args {
	const char *scenario, *truth, *schedule, *timezone;
	const char *published; /* the programme as published on the last day */
	uint64_t seed;
	bool seeded;
	long days; /* 0: all of the schedule's */
};

static const char simulate_usage[] =
	"simulate takes --scenario NAME, --seed N, --truth FILE, and for the conference "
	"scenarios --schedule FILE, --timezone AREA/CITY, --days N, --published FILE";

static int simulate_options(int argc, char **argv, struct simulate_args *a)
{
	memset(a, 0, sizeof(*a));
	a->scenario = "clean";
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		if (!val)
			return tool_usage(simulate_usage);
		i++;
		if (strcmp(opt, "--seed") == 0) {
			errno = 0;
			a->seed = strtoull(val, &end, 10);
			a->seeded = true;
			if (*end || end == val || errno || val[0] == '-')
				return tool_usage("--seed takes a whole number");
		} else if (strcmp(opt, "--scenario") == 0) {
			a->scenario = val;
		} else if (strcmp(opt, "--truth") == 0) {
			a->truth = val;
		} else if (strcmp(opt, "--schedule") == 0) {
			a->schedule = val;
		} else if (strcmp(opt, "--published") == 0) {
			a->published = val;
		} else if (strcmp(opt, "--timezone") == 0) {
			a->timezone = val;
			if (!civil_zone_known(val))
				return tool_usage("--timezone takes a known IANA zone, "
						  "e.g. Europe/Paris");
		} else if (strcmp(opt, "--days") == 0) {
			a->days = strtol(val, &end, 10);
			if (*end || end == val || a->days < 1 || a->days > SIM_MAX_DAYS)
				return tool_usage("--days takes a whole number from 1 to 31");
		} else {
			return tool_usage(simulate_usage);
		}
	}
	return EXIT_OK;
}

/* The scenarios, named from the simulator's own lists. */
static int scenario_usage(void)
{
	char msg[1024] = "--scenario is one of";
	size_t n = strlen(msg);
	const char *name;
	for (size_t i = 0; (name = lunch_sim_scenario_name(i)) && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s %s", i ? "," : "", name);
	for (size_t i = 0; (name = lunch_sim_conference_scenario_name(i)) && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, ", %s", name);
	return tool_usage(msg);
}

/* Writes the programme as the forecast day's changes left it. */
static int write_published(const struct schedule *s, const char *path)
{
	char *json = normalized_json_write(s);
	if (!json) {
		fputs("venueboard-feed: out of memory\n", stderr);
		return EXIT_IO;
	}
	bool ok = file_io_replace(path, json, strlen(json));
	free(json);
	if (!ok) {
		fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	return EXIT_OK;
}

static int simulate_period(const struct simulate_args *a)
{
	struct sim_config c;
	lunch_sim_defaults(&c);
	if (a->seeded)
		c.seed = a->seed;
	if (!lunch_sim_scenario(a->scenario, &c))
		return scenario_usage();
	if (a->schedule || a->timezone || a->days || a->published)
		return tool_usage("--schedule, --timezone, --days and --published are for the "
				  "conference scenarios");
	struct sim_result r;
	if (!lunch_sim_run(&c, &r)) {
		fputs("venueboard-feed: simulation failed (out of memory)\n", stderr);
		return EXIT_IO;
	}
	int rc = write_run(&r, c.queue, a->truth);
	lunch_sim_finish(&r);
	return rc;
}

static int simulate_conference(const struct simulate_args *a)
{
	if (!a->schedule)
		return tool_usage("the conference scenarios need --schedule FILE");
	struct feed_options opt = {.timezone = a->timezone};
	struct schedule *s;
	int rc = tool_schedule_load(a->schedule, &opt, &s);
	if (rc != EXIT_OK)
		return rc;
	int available = lunch_sim_conference_days(s);
	if (available == 0) {
		fprintf(stderr, "%s: no sessions to simulate\n", a->schedule);
		schedule_destroy(s);
		return EXIT_INVALID;
	}
	if (a->days > available) {
		char msg[200];
		snprintf(msg, sizeof(msg), "--days %ld: %.100s has %d", a->days, a->schedule,
			 available);
		schedule_destroy(s);
		return tool_usage(msg);
	}
	if (!s->zone)
		fprintf(stderr,
			"%s: warning: no time zone: local days and lunch hours are taken in UTC "
			"(give --timezone)\n",
			a->schedule);
	struct sim_conference c;
	lunch_sim_conference_defaults(&c, s);
	lunch_sim_conference_scenario(a->scenario, &c);
	if (a->seeded)
		c.seed = a->seed;
	c.days = (int)a->days;
	/* a family that changes the last day's programme publishes it: the
	 * forecaster must be given the same (--published) */
	if (!lunch_sim_conference_publish(&c, s)) {
		fprintf(stderr, "%s: no sessions to simulate\n", a->schedule);
		schedule_destroy(s);
		return EXIT_INVALID;
	}
	if (a->published && (rc = write_published(s, a->published)) != EXIT_OK) {
		schedule_destroy(s);
		return rc;
	}
	if (!a->published && (c.stagger_s > 0 || c.lunch_later_s))
		fprintf(stderr,
			"%s: warning: scenario %s changes the last day's programme; "
			"--published FILE writes it\n",
			a->schedule, a->scenario);
	struct sim_result r;
	if (!lunch_sim_conference_run(&c, &r)) {
		fputs("venueboard-feed: simulation failed (out of memory)\n", stderr);
		schedule_destroy(s);
		return EXIT_IO;
	}
	rc = write_run(&r, c.line.queue, a->truth);
	lunch_sim_finish(&r);
	schedule_destroy(s);
	return rc;
}

int queue_cmd_simulate(int argc, char **argv)
{
	struct simulate_args a;
	int rc = simulate_options(argc, argv, &a);
	if (rc != EXIT_OK)
		return rc;
	if (lunch_sim_conference_scenario_about(a.scenario))
		return simulate_conference(&a);
	return simulate_period(&a);
}
