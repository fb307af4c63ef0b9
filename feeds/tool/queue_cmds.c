/* queue_cmds: `venueboard-feed estimate` reads queue samples (JSON Lines),
 * absorbs a few seconds of disorder, and prints one estimate per queue at
 * every multiple of --every seconds of sample time, each from samples at or
 * before it; `simulate` writes a seeded lunch line's samples and truth. */
#include "queue_cmds.h"

#include "civil_time.h"
#include "lunch_sim.h"
#include "queue_sample.h"
#include "tool_common.h"
#include "wait_estimator.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	REORDER_MS = 10000,     /* samples this much older than the newest are settled */
	PENDING_MAX = 100000,   /* samples held for reordering */
};

struct pending {
	struct queue_sample *s;
	size_t n, cap;
};

static bool pending_push(struct pending *p, const struct queue_sample *s)
{
	if (p->n == p->cap) {
		if (p->cap >= PENDING_MAX)
			return false;
		size_t ncap = p->cap ? p->cap * 2 : 256;
		struct queue_sample *ns = realloc(p->s, ncap * sizeof(*ns));
		if (!ns)
			return false;
		p->s = ns;
		p->cap = ncap;
	}
	/* keep sorted by time: insert from the back (disorder is small) */
	size_t i = p->n++;
	while (i > 0 && p->s[i - 1].t_ms > s->t_ms) {
		p->s[i] = p->s[i - 1];
		i--;
	}
	p->s[i] = *s;
	return true;
}

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
			       "\"confidence\":\"none\"}\n", t, w.queue);
	}
	return ferror(stdout) ? EXIT_IO : EXIT_OK;
}

/* Applies one settled sample, printing every tick that comes before it. */
static int settle(struct run *r, const struct queue_sample *s)
{
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

/* A queue declaration carries no time: it applies where it stands. */
static int64_t sample_time(const struct queue_sample *s, int64_t newest)
{
	return s->type == SAMPLE_QUEUE ? newest : s->t_ms;
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
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	struct run r = {.est = estimator_create(), .every_ms = every * 1000};
	struct pending p = {0};
	int rc = r.est ? EXIT_OK : EXIT_IO;
	char line[QUEUE_LINE_MAX + 2];
	long lineno = 0;
	int64_t newest = INT64_MIN;
	while (rc == EXIT_OK && fgets(line, sizeof(line), in)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			fprintf(stderr, "%s:%ld: line longer than %d bytes\n", path, lineno,
				QUEUE_LINE_MAX);
			rc = EXIT_INVALID;
			break;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		struct queue_sample s;
		struct feed_error e;
		enum sample_parse st = queue_sample_parse(line, len, &s, &e);
		if (st == SAMPLE_SKIP) {
			fprintf(stderr, "%s:%ld: warning: %s\n", path, lineno, e.msg);
			continue;
		}
		if (st == SAMPLE_INVALID) {
			fprintf(stderr, "%s:%ld: %s\n", path, lineno, e.msg);
			rc = EXIT_INVALID;
			break;
		}
		if (s.type != SAMPLE_QUEUE && s.t_ms > newest)
			newest = s.t_ms;
		s.t_ms = sample_time(&s, newest == INT64_MIN ? INT64_MIN / 2 : newest);
		if (!pending_push(&p, &s)) {
			fprintf(stderr, "%s:%ld: more than %d samples out of order\n", path, lineno,
				PENDING_MAX);
			rc = EXIT_INVALID;
			break;
		}
		size_t done = 0;
		while (rc == EXIT_OK && newest != INT64_MIN && done < p.n &&
		       p.s[done].t_ms <= newest - REORDER_MS)
			rc = settle(&r, &p.s[done++]);
		memmove(p.s, p.s + done, (p.n - done) * sizeof(*p.s));
		p.n -= done;
	}
	if (rc == EXIT_OK && ferror(in)) {
		fprintf(stderr, "%s: read error: %s\n", path, strerror(errno));
		rc = EXIT_IO;
	}
	for (size_t i = 0; rc == EXIT_OK && i < p.n; i++)
		rc = settle(&r, &p.s[i]);
	while (rc == EXIT_OK && r.ticking && r.next_tick <= newest) {
		rc = print_tick(&r, r.next_tick);
		r.next_tick += r.every_ms;
	}
	if (rc == EXIT_OK)
		rc = tool_flush();
	if (in != stdin)
		fclose(in);
	free(p.s);
	estimator_destroy(r.est);
	return rc;
}

int queue_cmd_simulate(int argc, char **argv)
{
	struct sim_config c;
	lunch_sim_defaults(&c);
	const char *truth_path = NULL, *scenario = "clean";
	for (int i = 0; i < argc; i++) {
		char *end = NULL;
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			c.seed = strtoull(argv[++i], &end, 10);
		} else if (strcmp(argv[i], "--scenario") == 0 && i + 1 < argc) {
			scenario = argv[++i];
		} else if (strcmp(argv[i], "--truth") == 0 && i + 1 < argc) {
			truth_path = argv[++i];
		} else {
			return tool_usage("simulate takes --scenario NAME, --seed N, --truth FILE");
		}
		if (end && *end)
			return tool_usage("--seed takes a whole number");
	}
	uint64_t seed = c.seed;
	lunch_sim_defaults(&c);
	c.seed = seed;
	if (!lunch_sim_scenario(scenario, &c))
		return tool_usage("--scenario is one of clean, noisy, slow, biased, small, slow-closure");
	struct sim_result r;
	if (!lunch_sim_run(&c, &r)) {
		fputs("venueboard-feed: simulation failed (out of memory)\n", stderr);
		return EXIT_IO;
	}
	int rc = EXIT_OK;
	char line[QUEUE_LINE_MAX];
	for (size_t i = 0; i < r.n_samples; i++)
		if (queue_sample_format(&r.samples[i], line, sizeof(line)))
			puts(line);
	rc = tool_flush();
	if (rc == EXIT_OK && truth_path) {
		FILE *f = fopen(truth_path, "w");
		if (!f) {
			fprintf(stderr, "%s: cannot write: %s\n", truth_path, strerror(errno));
			rc = EXIT_IO;
		} else {
			/* one line per person: when they crossed the entry and exit lines */
			for (size_t i = 0; i < r.n_people; i++) {
				char a[21], b[21];
				civil_format_utc(r.people[i].enter_ms / 1000, a);
				civil_format_utc(r.people[i].exit_ms / 1000, b);
				fprintf(f, "{\"queue\":\"%s\",\"enter\":\"%s\",\"exit\":\"%s\",\"wait_s\":%.1f}\n",
					c.queue, a, b,
					(double)(r.people[i].exit_ms - r.people[i].enter_ms) / 1000.0);
			}
			if (fclose(f) != 0) {
				fprintf(stderr, "%s: cannot write: %s\n", truth_path, strerror(errno));
				rc = EXIT_IO;
			}
		}
	}
	lunch_sim_finish(&r);
	return rc;
}
