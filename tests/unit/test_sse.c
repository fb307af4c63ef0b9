/* Unit tests for sse: venueboard-server's stream as it writes it, the same
 * bytes cut at every place (split reads), CRLF / CR / LF, comments, data on
 * several lines, id and retry, a byte-order mark, a new connection in the
 * middle of an event, and events and lines over their caps refused without
 * holding their bytes. */
#include "test_util.h"

#include "sse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	int n;
	char type[8][SSE_MAX_TYPE + 1];
	char data[8][256];
	size_t len[8];
	char id[8][32];
};

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		snprintf(s->type[s->n], sizeof(s->type[0]), "%s", ev->type);
		snprintf(s->data[s->n], sizeof(s->data[0]), "%s", ev->data);
		snprintf(s->id[s->n], sizeof(s->id[0]), "%s", ev->id);
		s->len[s->n] = ev->data_len;
		assert_int_equal(strlen(ev->data), ev->data_len);
	}
	s->n++;
}

static const char STREAM[] =
	"retry: 5000\n"
	"event: state\n"
	"data: {\"screen\":\"palais-l2-east\",\"alerts\":[{\"id\":12,\"text\":\"Evacuate by the east "
	"stairs\",\"at\":\"2014-11-06T10:02:11Z\"}],\"schedule_version\":3}\n"
	"\n"
	": keep-alive\n"
	"\n"
	"event: state\n"
	"data: {\"screen\":\"palais-l2-east\",\"alerts\":[],\"schedule_version\":4}\n"
	"\n";

static void check_stream(const struct seen *s, const struct sse *p)
{
	assert_int_equal(s->n, 2);
	assert_string_equal(s->type[0], "state");
	assert_non_null(strstr(s->data[0], "Evacuate by the east stairs"));
	assert_string_equal(s->data[1],
			    "{\"screen\":\"palais-l2-east\",\"alerts\":[],\"schedule_version\":4}");
	assert_int_equal(p->retry_ms, 5000);
	assert_int_equal(p->comments, 1);
	assert_int_equal(p->refused, 0);
}

/* The server's stream whole, then cut in two at every byte, then a byte at
 * a time, then with CRLF and with CR line ends, each cut at every byte. */
static void test_split_reads_and_line_ends(void **state)
{
	(void)state;
	size_t n = strlen(STREAM);
	char crlf[1024], cr[1024];
	size_t a = 0, b = 0;
	for (size_t i = 0; i < n; i++) {
		if (STREAM[i] == '\n') {
			crlf[a++] = '\r';
			cr[b++] = '\r';
		} else {
			cr[b++] = STREAM[i];
		}
		if (STREAM[i] == '\n')
			crlf[a++] = '\n';
		else
			crlf[a++] = STREAM[i];
	}
	const struct {
		const char *bytes;
		size_t len;
	} forms[] = {{STREAM, n}, {crlf, a}, {cr, b}};
	for (size_t f = 0; f < 3; f++) {
		for (size_t cut = 0; cut <= forms[f].len; cut++) {
			struct seen s = {0};
			struct sse p;
			sse_init(&p, on_event, &s);
			assert_true(sse_feed(&p, forms[f].bytes, cut));
			assert_true(sse_feed(&p, forms[f].bytes + cut, forms[f].len - cut));
			check_stream(&s, &p);
			sse_finish(&p);
		}
		struct seen s = {0};
		struct sse p;
		sse_init(&p, on_event, &s);
		for (size_t i = 0; i < forms[f].len; i++)
			assert_true(sse_feed(&p, forms[f].bytes + i, 1));
		check_stream(&s, &p);
		sse_finish(&p);
	}
}

static void test_fields(void **state)
{
	(void)state;
	static const char doc[] = "\xEF\xBB\xBF"        /* a byte-order mark */
				  "data:no space\n"     /* the colon's space is optional */
				  "data:  two spaces\n" /* only one is dropped */
				  "data\n"              /* a field alone: an empty line */
				  "id: 7\n"
				  "unknown: ignored\n"
				  "\n"
				  "event: only a name\n" /* no data: no event */
				  "\n"
				  "data: after\n"
				  "retry: soon\n" /* not digits: ignored */
				  "\n"
				  ": a comment\n"
				  "data: last, never ended";
	struct seen s = {0};
	struct sse p;
	sse_init(&p, on_event, &s);
	assert_true(sse_feed(&p, doc, sizeof(doc) - 1));
	assert_int_equal(s.n, 2);
	assert_string_equal(s.type[0], "message");
	assert_string_equal(s.data[0], "no space\n two spaces\n");
	assert_int_equal(s.len[0], 21);
	assert_string_equal(s.id[0], "7");
	assert_string_equal(s.data[1], "after");
	assert_string_equal(s.id[1], "7"); /* the id lasts */
	assert_int_equal(p.retry_ms, -1);
	assert_int_equal(p.comments, 1);
	/* a new connection: the half event is forgotten */
	sse_reset(&p);
	assert_true(sse_feed(&p, "\n", 1));
	assert_int_equal(s.n, 2);
	assert_true(sse_feed(&p, "data: again\n\n", 13));
	assert_int_equal(s.n, 3);
	assert_string_equal(s.data[2], "again");
	sse_finish(&p);
}

/* An event over SSE_MAX_EVENT (in many lines) and a line over SSE_MAX_LINE
 * are refused; the events around them arrive; nothing holds their bytes. */
static void test_oversize(void **state)
{
	(void)state;
	struct seen s = {0};
	struct sse p;
	sse_init(&p, on_event, &s);
	assert_true(sse_feed(&p, "data: before\n\n", 14));
	char chunk[4096];
	memset(chunk, 'x', sizeof(chunk));
	memcpy(chunk, "data: ", 6);
	chunk[sizeof(chunk) - 1] = '\n';
	for (size_t i = 0; i < SSE_MAX_EVENT / sizeof(chunk) + 2; i++)
		assert_true(sse_feed(&p, chunk, sizeof(chunk)));
	assert_true(sse_feed(&p, "\ndata: between\n\n", 16));
	/* one line of 300 KiB, given in pieces, in an event */
	assert_true(sse_feed(&p, "event: state\ndata: ", 19));
	for (size_t i = 0; i < 300 * 1024 / sizeof(chunk); i++)
		assert_true(sse_feed(&p, chunk, sizeof(chunk) - 1));
	assert_true(sse_feed(&p, "\n\n", 2));
	/* a long comment is only a comment */
	assert_true(sse_feed(&p, ":", 1));
	for (size_t i = 0; i < 200 * 1024 / sizeof(chunk); i++)
		assert_true(sse_feed(&p, chunk, sizeof(chunk) - 1));
	assert_true(sse_feed(&p, "\ndata: after\n\n", 14));
	assert_int_equal(s.n, 3);
	assert_string_equal(s.data[0], "before");
	assert_string_equal(s.data[1], "between");
	assert_string_equal(s.data[2], "after");
	assert_string_equal(s.type[2], "message"); /* the refused event's name went with it */
	assert_int_equal(p.refused, 2);
	assert_int_equal(p.overflows, 3); /* the long comment passed the cap too */
	assert_true(p.line_cap <= 2 * SSE_MAX_LINE);
	assert_true(p.data_cap <= 2 * SSE_MAX_EVENT);
	/* an event name longer than any of ours */
	char name[200] = "event: ";
	memset(name + 7, 'n', 100);
	memcpy(name + 107, "\ndata: x\n\n", 11);
	assert_true(sse_feed(&p, name, strlen(name)));
	assert_int_equal(s.n, 3);
	assert_int_equal(p.refused, 3);
	sse_finish(&p);
}

/* An endless line (finding 10): the overflow is counted as soon as the
 * line passes its cap, long before it ends (if ever), and its bytes are not
 * held; a megabyte more costs no memory. */
static void test_endless_line(void **state)
{
	(void)state;
	struct seen s = {0};
	struct sse p;
	sse_init(&p, on_event, &s);
	static char chunk[16384];
	memset(chunk, 'x', sizeof(chunk));
	assert_true(sse_feed(&p, "data: ", 6));
	size_t fed = 6;
	while (p.overflows == 0 && fed < 4 * SSE_MAX_LINE) {
		assert_true(sse_feed(&p, chunk, sizeof(chunk)));
		fed += sizeof(chunk);
	}
	assert_int_equal(p.overflows, 1);
	assert_true(fed <= SSE_MAX_LINE + sizeof(chunk));
	for (int i = 0; i < 64; i++)
		assert_true(sse_feed(&p, chunk, sizeof(chunk)));
	assert_int_equal(p.overflows, 1);
	assert_true(p.line_cap <= 2 * SSE_MAX_LINE);
	assert_int_equal(s.n, 0);
	assert_int_equal(p.events, 0);
	sse_finish(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_reads_and_line_ends),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_endless_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
