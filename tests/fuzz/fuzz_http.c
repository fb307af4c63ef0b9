/* fuzz_http: any bytes as what a client sends venueboard-server — through
 * libmicrohttpd's parser into the shell (preflight from the headers, the
 * query rebuilt, bodies and budgets, the guard) and the api behind it, on a
 * real SQLite file. Each input is one connection: its bytes, then the end of
 * the stream; the server answers (or keeps a request cut short until the
 * guard's deadline), never crashes, leaks or spins. The
 * server lives across inputs, as it does across clients. */
#include "api.h"
#include "http_shell.h"
#include "job_pool.h"
#include "server_config.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fuzz harness keeps its server between inputs: the one state it has. */
static struct {
	struct server_config config;
	struct store *store;
	struct api *api;
	struct job_pool *jobs;
	struct http_shell *http;
} fz;

static const char schedule[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"Fuzz\","
	"\"timezone\":\"Europe/Paris\"},\"rooms\":[{\"id\":\"a\",\"name\":\"Salle A\"},"
	"{\"id\":\"b\",\"name\":\"Salle B\"}],\"sessions\":[{\"id\":\"4184\",\"title\":\"Talk\","
	"\"room\":\"a\",\"start\":\"2014-11-06T09:00:00Z\",\"end\":\"2014-11-06T10:00:00Z\","
	"\"status\":\"scheduled\"}]}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	static const char text[] = "database fuzz\norganizer alice organizer-token-0123456789\n"
				   "sensor door sensor-token-0123456789ab\n"
				   "screen palais screen-token-palais-l2-east\n";
	struct feed_error e = {{0}};
	char db[64];
	/* on tmpfs when there is one: every acknowledged write is an fsync */
	snprintf(db, sizeof(db), "%s/vb-fuzz-http-%d.db",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (!server_config_parse(text, strlen(text), &fz.config, &e) ||
	    !(fz.store = store_open(db, &e)) ||
	    !(fz.api = api_create(&fz.config, fz.store, schedule, strlen(schedule),
				  (int64_t)ts.tv_sec * 1000, NULL, &e)) ||
	    !(fz.jobs = job_pool_create(1, 4, db, &e))) {
		fprintf(stderr, "fuzz_http: %s\n", e.msg);
		abort();
	}
	struct http_options o = {.port = -1, .max_connections = 64};
	if (!(fz.http = http_shell_start(fz.api, fz.jobs, &o, &e))) {
		fprintf(stderr, "fuzz_http: %s\n", e.msg);
		abort();
	}
	return 0;
}

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		abort();
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	if (!http_shell_add(fz.http, sv[1]))
		abort();
	size_t sent = 0;
	bool ended = false;
	char buf[65536];
	struct timespec t0, quiet;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	quiet = t0;
	for (;;) {
		if (sent < size) {
			ssize_t n = send(sv[0], data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				sent = size; /* the server closed early: an early answer */
		}
		if (sent == size && !ended) {
			shutdown(sv[0], SHUT_WR);
			ended = true;
		}
		http_shell_step(fz.http, 0);
		ssize_t n = recv(sv[0], buf, sizeof(buf), 0);
		if (n > 0)
			clock_gettime(CLOCK_MONOTONIC, &quiet);
		else if (n == 0 && ended)
			break; /* answered and closed */
		/* a request cut short stays until the guard's deadline: leave it
		 * there, as a client that went away does */
		if (ended && since(&quiet) > 0.02)
			break;
		if (since(&t0) > 5) {
			fprintf(stderr,
				"fuzz_http: the server is still busy with one input after 5 s\n");
			abort();
		}
	}
	close(sv[0]);
	return 0;
}
