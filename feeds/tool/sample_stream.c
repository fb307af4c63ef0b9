/* sample_stream: read, check, hold a few seconds, hand on in order. */
#include "sample_stream.h"

#include "tool_common.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	REORDER_MS = 10000,   /* samples this much older than the newest are settled */
	PENDING_MAX = 100000, /* samples held for reordering */
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

/* A queue declaration carries no time: it applies where it stands. */
static int64_t sample_time(const struct queue_sample *s, int64_t newest)
{
	return s->type == SAMPLE_QUEUE ? newest : s->t_ms;
}

/* One line as fgets read it into line (cap bytes): SAMPLE_OK with the
 * sample in s; SAMPLE_SKIP for a blank line or an unknown type (warned
 * about); SAMPLE_INVALID after saying why, naming the line. */
static enum sample_parse parse_line(const char *path, long lineno, char *line, size_t cap,
				    struct queue_sample *s)
{
	size_t len = strlen(line);
	if (len == cap - 1 && line[len - 1] != '\n') {
		fprintf(stderr, "%s:%ld: line longer than %d bytes\n", path, lineno,
			QUEUE_LINE_MAX);
		return SAMPLE_INVALID;
	}
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	if (len == 0)
		return SAMPLE_SKIP;
	struct feed_error e;
	enum sample_parse st = queue_sample_parse(line, len, s, &e);
	if (st == SAMPLE_SKIP)
		fprintf(stderr, "%s:%ld: warning: %s\n", path, lineno, e.msg);
	else if (st == SAMPLE_INVALID)
		fprintf(stderr, "%s:%ld: %s\n", path, lineno, e.msg);
	return st;
}

/* Hands on, oldest first, the held samples settled by newest. */
static int hand_on_settled(struct pending *p, int64_t newest, sample_take_fn *take, void *ctx)
{
	int rc = EXIT_OK;
	size_t done = 0;
	while (rc == EXIT_OK && newest != INT64_MIN && done < p->n &&
	       p->s[done].t_ms <= newest - REORDER_MS)
		rc = take(ctx, &p->s[done++]);
	memmove(p->s, p->s + done, (p->n - done) * sizeof(*p->s));
	p->n -= done;
	return rc;
}

int sample_stream_read(const char *path, sample_take_fn *take, void *ctx, int64_t *newest_out)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	*newest_out = INT64_MIN;
	if (!in) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	struct pending p = {0};
	int rc = EXIT_OK;
	char line[QUEUE_LINE_MAX + 2];
	long lineno = 0;
	int64_t newest = INT64_MIN;
	while (rc == EXIT_OK && fgets(line, sizeof(line), in)) {
		lineno++;
		struct queue_sample s;
		enum sample_parse st = parse_line(path, lineno, line, sizeof(line), &s);
		if (st == SAMPLE_SKIP)
			continue;
		if (st == SAMPLE_INVALID) {
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
		rc = hand_on_settled(&p, newest, take, ctx);
	}
	if (rc == EXIT_OK && ferror(in)) {
		fprintf(stderr, "%s: read error: %s\n", path, strerror(errno));
		rc = EXIT_IO;
	}
	for (size_t i = 0; rc == EXIT_OK && i < p.n; i++)
		rc = take(ctx, &p.s[i]);
	if (in != stdin)
		fclose(in);
	free(p.s);
	*newest_out = newest;
	return rc;
}
