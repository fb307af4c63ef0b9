/* The kiosk's fetcher against real sockets: venueboard-server on a free
 * loopback port (conditional GET, size cap), a port nobody listens on
 * (back-off), a socket that never answers (timeout without blocking the
 * loop), file:// feeds, TLS verification against openssl s_server, and the
 * server's event stream (bytes as they come, a wrong token, a cut and the
 * back-off, a silent stream cut, a stream its reader breaks off and whose
 * back-off goes on growing until it is said healthy), and a body over the
 * cap keeping its own back-off while its server answers other feeds. */
#include "test_util.h"

#include "fetch_backoff.h"
#include "fetcher.h"

#include <curl/curl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/vb-fetcher-test-XXXXXX";
static char conf[256], port_file[256], db[256], log_path[256];
static pid_t server = -1, tls_server = -1;
static pid_t faults = -1; /* the scripted server (test_retry_after) */
static int server_port;
static int listener = -1;
static struct fetcher *fx; /* destroyed by teardown whatever the test did */

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void pause_ms(long ms)
{
	nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000}, NULL);
}

static void reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
		*pid = -1;
	}
}

/* A loopback port that was free a moment ago. */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t alen = sizeof(a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
		fail_msg("no free loopback port");
	close(fd);
	return ntohs(a.sin_port);
}

static bool port_open(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

static void start_server(void)
{
	if (server > 0)
		return;
	server = test_start_server(VB_SERVER_BIN, conf, port_file, log_path, &server_port);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* Runs the fetcher until feed has a result: with the real clock, or with
 * *fake_now held still when fake_now is given. Fails after 10 s. */
static struct fetch_result drive(struct fetcher *f, int feed, const int64_t *fake_now)
{
	struct fetch_result r;
	int64_t end = mono_ms() + 10000;
	while (!fetcher_take(f, feed, &r)) {
		if (mono_ms() > end)
			fail_msg("feed %d: no result after 10 s", feed);
		fetcher_run(f, fake_now ? *fake_now : mono_ms(), 50);
	}
	return r;
}

static struct fetcher *make(size_t max_bytes, int timeout_ms, const char *ca_file)
{
	struct fetcher_options o = {
		.max_bytes = max_bytes,
		.connect_timeout_ms = timeout_ms,
		.timeout_ms = timeout_ms,
		.backoff_min_ms = 1000,
		.backoff_max_ms = 20000,
		.seed = 42,
		.ca_file = ca_file,
	};
	fetcher_destroy(fx);
	fx = fetcher_create(&o);
	assert_non_null(fx);
	return fx;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(conf, sizeof(conf), "%s/server.conf", dir);
	snprintf(port_file, sizeof(port_file), "%s/port", dir);
	snprintf(db, sizeof(db), "%s/server.db", dir);
	snprintf(log_path, sizeof(log_path), "%s/server.log", dir);
	FILE *f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f,
		"listen 127.0.0.1:0\ndatabase %s\nschedule %s\n"
		"organizer alice organizer-token-0123456789\n"
		"screen hall-a screen-token-0123456789abcdef\n",
		db, VB_DEMO_SCHEDULE);
	fclose(f);
	chmod(conf, 0600);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	reap(&server);
	reap(&tls_server);
	reap(&faults);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown_each(void **state)
{
	(void)state;
	fetcher_destroy(fx);
	fx = NULL;
	reap(&tls_server);
	if (listener >= 0) {
		close(listener);
		listener = -1;
	}
	return 0;
}

static void test_conditional_get(void **state)
{
	(void)state;
	start_server();
	struct fetcher *f = make(0, 10000, NULL);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/schedule", server_port);
	int feed = fetcher_add(f, url, 600000);
	assert_int_equal(feed, 0);
	assert_int_equal(fetcher_next_ms(f, mono_ms()), 0); /* due at once */

	struct fetch_result r = drive(f, feed, NULL);
	if (r.outcome != FETCH_NEW)
		fail_msg("first fetch: outcome %d, %s", r.outcome, r.error);
	assert_int_equal(r.http_status, 200);
	assert_non_null(strstr(r.body, "venueboard.schedule/1"));
	assert_int_equal(strlen(r.body), r.len);
	assert_true(r.wire_bytes > 0);
	assert_true(r.wire_bytes < r.len); /* gzip was asked for and used */
	assert_int_equal(r.failures, 0);
	free(r.body);
	assert_false(fetcher_busy(f));
	assert_true(fetcher_next_ms(f, mono_ms()) > 500000); /* next poll in ~10 min */

	fetcher_kick(f, feed);
	assert_int_equal(fetcher_next_ms(f, mono_ms()), 0);
	r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_NOT_MODIFIED);
	assert_int_equal(r.http_status, 304);
	assert_null(r.body);

	/* another URL: its validators and body hash start afresh, so the same
	 * document comes back as new */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/schedule?kiosk=1", server_port);
	assert_true(fetcher_set_url(f, feed, url));
	fetcher_kick(f, feed);
	r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_NEW);
	assert_int_equal(r.http_status, 200);
	free(r.body);
}

static void test_size_cap(void **state)
{
	(void)state;
	start_server();
	struct fetcher *f = make(1000, 10000, NULL);
	char url[300], path[256], big[5001];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/schedule", server_port);
	snprintf(path, sizeof(path), "%s/big.json", dir);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(path, big);
	int http = fetcher_add(f, url, 600000);
	snprintf(url, sizeof(url), "file://%s", path);
	int file = fetcher_add(f, url, 600000);

	int feeds[] = {http, file};
	for (int i = 0; i < 2; i++) {
		struct fetch_result r = drive(f, feeds[i], NULL);
		assert_int_equal(r.outcome, FETCH_FAILED);
		if (!strstr(r.error, "1000-byte cap"))
			fail_msg("feed %d: '%s' does not name the cap", i, r.error);
		assert_null(r.body);
		assert_int_equal(r.len, 0);
		assert_int_equal(r.failures, 1);
	}
}

/* Issue 19: a body over the cap is the server's answer, not an outage: the
 * size said, and its back-off its own while the same server answers
 * another feed (which used to end it: the schedule downloaded again after
 * every lunch-line poll). */
static void test_size_cap_own_backoff(void **state)
{
	(void)state;
	start_server();
	struct fetcher *f = make(1000, 10000, NULL);
	char url[300];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/schedule", server_port);
	int big = fetcher_add(f, url, 600000);
	int64_t now = 1000000; /* a fake clock, moved to each due time */
	struct fetch_result r;
	for (int i = 1; i <= 3; i++) {
		now += fetcher_next_ms(f, now);
		r = drive(f, big, &now);
		assert_int_equal(r.outcome, FETCH_FAILED);
		assert_true(r.too_big);
		assert_int_equal(r.failures, i);
		if (r.size <= 1000 || !strstr(r.error, " bytes, over the 1000-byte cap"))
			fail_msg("the size is not said: %lld, '%s'", (long long)r.size, r.error);
	}
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/healthz", server_port);
	int small = fetcher_add(f, url, 600000);
	r = drive(f, small, &now);
	if (r.outcome != FETCH_NEW)
		fail_msg("/healthz: %s", r.error);
	free(r.body);
	/* failures 3: 2 to 4 s; an origin's reset would have made it under 2 s */
	int64_t wait = fetcher_next_ms(f, now);
	if (wait < 1900)
		fail_msg("the body over the cap is asked again in %lld ms", (long long)wait);
	now += wait;
	r = drive(f, big, &now);
	assert_int_equal(r.failures, 4);
}

static void test_backoff_grows(void **state)
{
	(void)state;
	struct fetcher *f = make(0, 2000, NULL);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", free_port());
	int feed = fetcher_add(f, url, 600000);
	int64_t now = 1000000; /* a fake clock, moved only to each due time */
	for (int n = 1; n <= 6; n++) {
		struct fetch_result r = drive(f, feed, &now);
		assert_int_equal(r.outcome, FETCH_FAILED);
		assert_int_equal(r.http_status, 0);
		assert_true(r.error[0] != '\0');
		assert_int_equal(r.failures, n);
		int64_t b = 1000LL << (n - 1);
		if (b > 20000)
			b = 20000;
		if (r.retry_ms < b / 2 || r.retry_ms > b)
			fail_msg("failure %d: retry in %lld ms, outside [%lld, %lld]", n,
				 (long long)r.retry_ms, (long long)b / 2, (long long)b);
		int64_t next = fetcher_next_ms(f, now);
		assert_true(next >= r.retry_ms); /* not due before the back-off */
		now += next;
		assert_int_equal(fetcher_next_ms(f, now), 0);
	}
}

/* A scripted HTTP/1.1 server in a child process: each path answers one way
 * (Retry-After in its forms, a server that is down while a file exists). */
static int faults_port;
static char down_flag[300];

static void answer(int c)
{
	char req[4096];
	size_t n = 0;
	req[0] = '\0';
	while (n < sizeof(req) - 1 && !strstr(req, "\r\n\r\n")) {
		ssize_t k = read(c, req + n, sizeof(req) - 1 - n);
		if (k <= 0)
			return;
		n += (size_t)k;
		req[n] = '\0';
	}
	char path[256] = "";
	const char *sp = strchr(req, ' ');
	if (sp) {
		size_t l = strcspn(sp + 1, " ");
		snprintf(path, sizeof(path), "%.*s", (int)(l < 255 ? l : 255), sp + 1);
	}
	time_t now = time(NULL);
	char date[64], later[64], head[512];
	struct tm tm;
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
	time_t at = now + 30;
	strftime(later, sizeof(later), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&at, &tm));
	const char *status = "200 OK", *extra = "", *body = "{\"ok\":true}";
	char ra[128] = "";
	if (strcmp(path, "/503-seconds") == 0) {
		status = "503 Service Unavailable";
		extra = "Retry-After: 7\r\n";
	} else if (strcmp(path, "/503-date") == 0) {
		status = "503 Service Unavailable";
		snprintf(ra, sizeof(ra), "Retry-After: %s\r\n", later);
		extra = ra;
	} else if (strcmp(path, "/503-bad") == 0) {
		status = "503 Service Unavailable";
		extra = "Retry-After: soon\r\n";
	} else if (strcmp(path, "/429-day") == 0) {
		status = "429 Too Many Requests";
		extra = "Retry-After: 86400\r\n";
	} else if (strcmp(path, "/404-with-retry") == 0) {
		status = "404 Not Found"; /* Retry-After means nothing on a 404 */
		extra = "Retry-After: 600\r\n";
	} else if (access(down_flag, F_OK) == 0) {
		status = "503 Service Unavailable"; /* the whole server is down */
	}
	int h = snprintf(
		head, sizeof(head),
		"HTTP/1.1 %s\r\nDate: %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
		status, date, extra, strlen(body));
	if (write(c, head, (size_t)h) < 0 || write(c, body, strlen(body)) < 0)
		return;
}

static void start_faults(void)
{
	if (faults > 0)
		return;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t alen = sizeof(a);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 16), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	faults_port = ntohs(a.sin_port);
	snprintf(down_flag, sizeof(down_flag), "%s/down", dir);
	faults = fork();
	if (faults == 0) {
		for (;;) {
			int c = accept(l, NULL, NULL);
			if (c < 0)
				continue;
			answer(c);
			close(c);
		}
	}
	close(l);
}

/* Retry-After on 503 and 429, as seconds and as a date: honoured within
 * the poll and an hour; a value that does not read and one on a 404: our
 * own back-off. */
static void test_retry_after(void **state)
{
	(void)state;
	start_faults();
	struct fetcher *f = make(0, 5000, NULL);
	static const struct {
		const char *path;
		int64_t asked_s, lo_ms, hi_ms;
	} cases[] = {
		{"/503-seconds", 7, 7000, 7000},
		{"/503-date", 30, 28000, 31000}, /* the Date's second is rounded down */
		{"/429-day", 86400, 3600000, 3600000},
		{"/503-bad", -1, 500, 1000},
		{"/404-with-retry", -1, 500, 1000},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char url[128];
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", faults_port, cases[i].path);
		int feed = fetcher_add(f, url, 2000);
		assert_true(feed >= 0);
		struct fetch_result r = drive(f, feed, NULL);
		assert_int_equal(r.outcome, FETCH_FAILED);
		if (r.asked_wait_s != cases[i].asked_s || r.retry_ms < cases[i].lo_ms ||
		    r.retry_ms > cases[i].hi_ms)
			fail_msg("%s: asked %lld s, retry in %lld ms (%s)", cases[i].path,
				 (long long)r.asked_wait_s, (long long)r.retry_ms, r.error);
		int64_t next = fetcher_next_ms(f, mono_ms());
		if (cases[i].asked_s >= 0 && next < cases[i].lo_ms - 1500)
			fail_msg("%s: due again in %lld ms", cases[i].path, (long long)next);
		if (cases[i].asked_s >= 0 && !strstr(r.error, "the server asks to wait"))
			fail_msg("%s: '%s'", cases[i].path, r.error);
		if (strcmp(cases[i].path, "/503-bad") == 0)
			assert_string_equal(r.retry_after, "soon");
		fetcher_destroy(f);
		f = fx = NULL;
		f = make(0, 5000, NULL);
	}
}

/* The server down (503 to every path), then back: the first feed to get an
 * answer ends the back-off of the other feed on the same server. */
static void test_origin_back(void **state)
{
	(void)state;
	start_faults();
	write_file(down_flag, "down\n");
	struct fetcher *f = make(0, 5000, NULL);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/schedule", faults_port);
	int sched = fetcher_add(f, url, 600000);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/queues", faults_port);
	int lunch = fetcher_add(f, url, 600000);
	int64_t now = 1000000; /* a fake clock, moved to each due time */
	/* both fail; the lunch line's back-off grows to 8-16 s */
	struct fetch_result r;
	do {
		int64_t end = mono_ms() + 10000;
		while (!fetcher_take(f, lunch, &r)) {
			if (mono_ms() > end)
				fail_msg("no answer from the scripted server");
			if (!fetcher_busy(f))
				now += fetcher_next_ms(f, now);
			fetcher_run(f, now, 50);
		}
		assert_int_equal(r.outcome, FETCH_FAILED);
		assert_int_equal(r.http_status, 503);
	} while (r.failures < 5);
	assert_true(r.retry_ms >= 8000);
	while (fetcher_take(f, sched, &r))
		free(r.body);
	unlink(down_flag);      /* the server is back */
	fetcher_kick(f, sched); /* the schedule asks first (an event said so) */
	r = drive(f, sched, &now);
	assert_int_equal(r.outcome, FETCH_NEW);
	free(r.body);
	int64_t wait = fetcher_next_ms(f, now);
	if (wait > FETCH_BACKOFF_RESET_JITTER_MS)
		fail_msg("the lunch-line feed still waits %lld ms after its server answered",
			 (long long)wait);
	now += wait;
	r = drive(f, lunch, &now);
	assert_int_equal(r.outcome, FETCH_NEW);
	assert_int_equal(r.failures, 0);
	free(r.body);
}

static void test_silent_server_times_out(void **state)
{
	(void)state;
	listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t alen = sizeof(a);
	assert_int_equal(bind(listener, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(listener, 4), 0); /* accepted by the kernel, never read */
	assert_int_equal(getsockname(listener, (struct sockaddr *)&a, &alen), 0);

	struct fetcher *f = make(0, 1000, NULL);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(a.sin_port));
	int feed = fetcher_add(f, url, 600000);
	struct fetch_result r;
	int calls = 0;
	int64_t t0 = mono_ms();
	do {
		int64_t before = mono_ms();
		fetcher_run(f, before, 200);
		int64_t took = mono_ms() - before;
		if (took >= 2000)
			fail_msg("fetcher_run blocked for %lld ms", (long long)took);
		calls++;
		if (mono_ms() - t0 > 10000)
			fail_msg("no result 10 s after a 1 s timeout");
	} while (!fetcher_take(f, feed, &r));
	assert_int_equal(r.outcome, FETCH_FAILED);
	if (!strstr(r.error, "timed out"))
		fail_msg("error '%s' is not a timeout", r.error);
	assert_true(r.elapsed_ms >= 900 && r.elapsed_ms < 2000);
	assert_true(calls >= 3); /* the loop came back while the transfer waited */
}

static void test_file_feed(void **state)
{
	(void)state;
	struct fetcher *f = make(0, 2000, NULL);
	char path[256], url[300];
	snprintf(path, sizeof(path), "%s/feed.json", dir);
	write_file(path, "{\"version\":1}");
	snprintf(url, sizeof(url), "file://%s", path);
	int feed = fetcher_add(f, url, 600000);

	struct fetch_result r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_NEW);
	assert_int_equal(r.http_status, 0);
	assert_string_equal(r.body, "{\"version\":1}");
	free(r.body);

	fetcher_kick(f, feed);
	r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_NOT_MODIFIED);
	assert_null(r.body);

	write_file(path, "{\"version\":2}");
	fetcher_kick(f, feed);
	r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_NEW);
	assert_string_equal(r.body, "{\"version\":2}");
	free(r.body);

	snprintf(url, sizeof(url), "file://%s/missing.json", dir);
	int missing = fetcher_add(f, url, 600000);
	r = drive(f, missing, NULL);
	assert_int_equal(r.outcome, FETCH_FAILED);
	assert_null(r.body);
	assert_int_equal(r.failures, 1);
	assert_true(r.error[0] != '\0');
}

static void test_schemes(void **state)
{
	(void)state;
	fetcher_destroy(NULL);
	struct fetcher *f = make(0, 2000, NULL);
	assert_int_equal(fetcher_add(f, "ftp://127.0.0.1/feed.json", 60000), -1);
	assert_int_equal(fetcher_add(f, "gopher://127.0.0.1/", 60000), -1);
	assert_int_equal(fetcher_add(f, "httpx://127.0.0.1/", 60000), -1);
	assert_int_equal(fetcher_add(f, "/etc/passwd", 60000), -1);
	char long_url[2100] = "http://127.0.0.1/";
	memset(long_url + 17, 'a', 2049 - 17);
	long_url[2049] = '\0';
	assert_int_equal(fetcher_add(f, long_url, 60000), -1);
	long_url[2048] = '\0'; /* 2048 bytes: allowed */
	assert_int_equal(fetcher_add(f, long_url, 60000), 0);
	assert_int_equal(fetcher_add(f, "FILE:///x", 60000), 1);
	assert_int_equal(fetcher_add(f, "HtTpS://127.0.0.1/", 60000), 2);
	assert_false(fetcher_set_url(f, 1, "ftp://127.0.0.1/"));
	assert_false(fetcher_set_url(f, 7, "http://127.0.0.1/"));
	for (int i = 3; i < FETCHER_MAX_FEEDS; i++)
		assert_int_equal(fetcher_add(f, "http://127.0.0.1/", 60000), i);
	assert_int_equal(fetcher_add(f, "http://127.0.0.1/", 60000), -1);
}

static void test_tls_verification(void **state)
{
	(void)state;
	if (system("command -v openssl >/dev/null 2>&1") != 0) {
		printf("SKIP: no openssl command: no test TLS server can be made\n");
		skip();
	}
	char cert[256], key[256], cmd[1024];
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 "
		 "-addext subjectAltName=IP:127.0.0.1 -days 1 -keyout '%s' -out '%s' "
		 ">/dev/null 2>&1",
		 key, cert);
	assert_int_equal(system(cmd), 0);

	int port = free_port();
	char accept_at[32];
	snprintf(accept_at, sizeof(accept_at), "127.0.0.1:%d", port);
	tls_server = fork();
	if (tls_server == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execlp("openssl", "openssl", "s_server", "-accept", accept_at, "-cert", cert,
		       "-key", key, "-www", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 100 && !port_open(port); i++)
		pause_ms(50);
	assert_true(port_open(port));

	char url[64];
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", port);
	struct fetcher *f = make(0, 5000, NULL);
	int feed = fetcher_add(f, url, 600000);
	struct fetch_result r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_FAILED);
	if (!strstr(r.error, "certificate") && !strstr(r.error, "SSL"))
		fail_msg("error '%s' is not about the certificate", r.error);

	f = make(0, 5000, cert); /* now the self-signed certificate is trusted */
	feed = fetcher_add(f, url, 600000);
	r = drive(f, feed, NULL);
	if (r.outcome != FETCH_NEW)
		fail_msg("with ca_file: outcome %d, %s", r.outcome, r.error);
	assert_int_equal(r.http_status, 200);
	assert_non_null(strstr(r.body, "s_server"));
	free(r.body);
}

/* What a stream handed over. */
struct sunk {
	char bytes[65536];
	size_t len;
	int connections;
};

static void sink(void *ctx, const char *p, size_t len)
{
	struct sunk *s = ctx;
	if (!p) {
		s->connections++;
		return;
	}
	size_t n = len < sizeof(s->bytes) - 1 - s->len ? len : sizeof(s->bytes) - 1 - s->len;
	memcpy(s->bytes + s->len, p, n);
	s->len += n;
	s->bytes[s->len] = '\0';
}

/* Runs f until cond(s) or 5 s; never more than one wait at a time. */
static bool run_until(struct fetcher *f, const struct sunk *s, const char *needle)
{
	int64_t end = mono_ms() + 5000;
	while (mono_ms() < end) {
		int64_t before = mono_ms();
		fetcher_run(f, before, 100);
		if (mono_ms() - before > 1000)
			fail_msg("fetcher_run blocked for %lld ms",
				 (long long)(mono_ms() - before));
		if (strstr(s->bytes, needle))
			return true;
	}
	return false;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static void post_alert(const char *text)
{
	char url[128], body[256];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/alerts", server_port);
	snprintf(body, sizeof(body), "{\"text\":\"%s\"}", text);
	CURL *c = curl_easy_init();
	struct curl_slist *h =
		curl_slist_append(NULL, "Authorization: Bearer organizer-token-0123456789");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void test_stream(void **state)
{
	(void)state;
	start_server();
	struct fetcher *f = make(0, 2000, NULL);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/stream", server_port);
	static struct sunk good, bad;
	memset(&good, 0, sizeof(good));
	memset(&bad, 0, sizeof(bad));
	struct fetcher_stream s = {url, "screen-token-0123456789abcdef", 3000, 4000, sink, &good};
	int feed = fetcher_add_stream(f, &s);
	s.bearer = "screen-token-but-not-the-right-one";
	s.ctx = &bad;
	int wrong = fetcher_add_stream(f, &s);
	assert_true(feed >= 0 && wrong >= 0);
	assert_true(run_until(f, &good, "event: state"));
	assert_true(fetcher_stream_open(f, feed));
	assert_int_equal(good.connections, 1);
	/* an alert reaches the stream within a second of its post */
	int64_t posted = mono_ms();
	post_alert("Evacuate by the east stairs");
	assert_true(run_until(f, &good, "Evacuate by the east stairs"));
	assert_true(mono_ms() - posted < 1500);
	/* the wrong token: refused, no byte of the answer handed over */
	struct fetch_result r = drive(f, wrong, NULL);
	assert_int_equal(r.outcome, FETCH_FAILED);
	assert_string_equal(r.error, "HTTP 401");
	assert_int_equal(bad.len, 0);
	assert_false(fetcher_stream_open(f, wrong));
	/* the server goes: the stream ends, and is retried after a back-off */
	reap(&server);
	r = drive(f, feed, NULL);
	assert_int_equal(r.outcome, FETCH_FAILED);
	assert_false(fetcher_stream_open(f, feed));
	assert_true(r.retry_ms >= 500 && r.retry_ms <= 1000);
	r = drive(f, feed, NULL); /* the retry finds nobody: a longer wait */
	assert_true(r.failures == 2 && r.retry_ms >= 1000 && r.retry_ms <= 2000);
	assert_int_equal(good.connections, 2); /* the first, and the retry */

	/* a stream that says nothing is cut after idle_ms */
	listener = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	socklen_t alen = sizeof(a);
	assert_int_equal(bind(listener, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(listener, 4), 0);
	assert_int_equal(getsockname(listener, (struct sockaddr *)&a, &alen), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/stream", ntohs(a.sin_port));
	struct fetcher_stream q = {url, "screen-token-0123456789abcdef", 1000, 0, sink, &bad};
	int silent = fetcher_add_stream(f, &q);
	int64_t t0 = mono_ms();
	r = drive(f, silent, NULL);
	assert_int_equal(r.outcome, FETCH_FAILED);
	if (!strstr(r.error, "nothing came for 1 s"))
		fail_msg("a silent stream: '%s'", r.error);
	assert_true(mono_ms() - t0 >= 900 && mono_ms() - t0 < 2500);
}

/* A stream whose reader breaks it off (junk, an endless line): the reason
 * is its result's error, and its back-off grows although every connection
 * opens, until its reader says it is healthy. */
static struct fetcher *cut_fetcher;
static int cut_feed = -1;

static void cutting_sink(void *ctx, const char *p, size_t len)
{
	sink(ctx, p, len);
	if (p)
		fetcher_stream_cut(cut_fetcher, cut_feed, "8 events in a row that do not read");
}

static void test_stream_cut(void **state)
{
	(void)state;
	start_server();
	struct fetcher *f = make(0, 2000, NULL);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/stream", server_port);
	static struct sunk got;
	memset(&got, 0, sizeof(got));
	struct fetcher_stream s = {url, "screen-token-0123456789abcdef", 3000, 30000, cutting_sink,
				   &got};
	cut_fetcher = f;
	cut_feed = fetcher_add_stream(f, &s);
	assert_true(cut_feed >= 0);
	int64_t now = mono_ms();
	for (int i = 1; i <= 3; i++) {
		struct fetch_result r = drive(f, cut_feed, &now);
		assert_int_equal(r.outcome, FETCH_FAILED);
		assert_string_equal(r.error, "8 events in a row that do not read");
		assert_int_equal(r.failures, i); /* it opened, and still counts */
		assert_int_equal(got.connections, i);
		now += fetcher_next_ms(f, now);
	}
	fetcher_stream_healthy(f, cut_feed);
	struct fetch_result r = drive(f, cut_feed, &now);
	assert_int_equal(r.failures, 1);
	assert_true(r.retry_ms <= 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_conditional_get, teardown_each),
		cmocka_unit_test_teardown(test_size_cap, teardown_each),
		cmocka_unit_test_teardown(test_size_cap_own_backoff, teardown_each),
		cmocka_unit_test_teardown(test_backoff_grows, teardown_each),
		cmocka_unit_test_teardown(test_retry_after, teardown_each),
		cmocka_unit_test_teardown(test_origin_back, teardown_each),
		cmocka_unit_test_teardown(test_silent_server_times_out, teardown_each),
		cmocka_unit_test_teardown(test_file_feed, teardown_each),
		cmocka_unit_test_teardown(test_schemes, teardown_each),
		cmocka_unit_test_teardown(test_tls_verification, teardown_each),
		cmocka_unit_test_teardown(test_stream, teardown_each),
		cmocka_unit_test_teardown(test_stream_cut, teardown_each),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
