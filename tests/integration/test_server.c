/* venueboard-server for real: started on a free loopback port by this test,
 * talked to with libcurl; killed with SIGKILL right after acknowledging a
 * write, started again, and the write is there. */
#include "test_util.h"

#include "file_io.h"
#include "text.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/vb-server-test-XXXXXX";
static char conf[256], port_file[256], db[256], log_path[256];
static pid_t server = -1;
static int port;

static const char org[] = "Authorization: Bearer organizer-token-0123456789";
static const char sensor[] = "Authorization: Bearer sensor-token-0123456789ab";
static const char screen[] = "Authorization: Bearer screen-token-palais-l2-east";

struct reply {
	long status;
	char *body;
	size_t len, cap;
	char etag[64], encoding[32], type[64];
};

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	if (r->len + size * n + 1 > r->cap) { /* doubling: a bundle is 70 MB */
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + size * n + 1)
			cap *= 2;
		char *nb = realloc(r->body, cap);
		if (!nb)
			return 0;
		r->body = nb;
		r->cap = cap;
	}
	char *nb = r->body;
	memcpy(nb + r->len, p, size * n);
	r->len += size * n;
	r->body[r->len] = '\0';
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct reply *r = ud;
	size_t len = size * n;
	if (len > 6 && strncasecmp(p, "ETag: ", 6) == 0)
		snprintf(r->etag, sizeof(r->etag), "%.*s", (int)(len - 8), p + 6);
	if (len > 18 && strncasecmp(p, "Content-Encoding: ", 18) == 0)
		snprintf(r->encoding, sizeof(r->encoding), "%.*s", (int)(len - 20), p + 18);
	if (len > 14 && strncasecmp(p, "Content-Type: ", 14) == 0)
		snprintf(r->type, sizeof(r->type), "%.*s", (int)(len - 16), p + 14);
	return len;
}

static struct reply request_within(const char *method, const char *path, const char *header,
				   const char *body, bool gzip, long timeout_s);

/* One request with libcurl; header may be NULL. */
static struct reply request(const char *method, const char *path, const char *header,
			    const char *body, bool gzip)
{
	return request_within(method, path, header, body, gzip, 10);
}

/* The same, given timeout_s seconds (a bundle under ASan takes longer). */
static struct reply request_within(const char *method, const char *path, const char *header,
				   const char *body, bool gzip, long timeout_s)
{
	struct reply r = {0};
	char url[8192];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	CURL *c = curl_easy_init();
	struct curl_slist *h = header ? curl_slist_append(NULL, header) : NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	if (gzip)
		curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
	if (h)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return r;
}

static void start_server(void)
{
	if (server > 0) { /* a test that failed left its server running */
		kill(server, SIGKILL);
		waitpid(server, NULL, 0);
	}
	server = test_start_server(VB_SERVER_BIN, conf, port_file, log_path, &port);
}

static void kill_server(int sig)
{
	if (server > 0) {
		kill(server, sig);
		waitpid(server, NULL, 0);
		server = -1;
	}
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
	fprintf(f,
		"listen 127.0.0.1:0\ndatabase %s\nschedule %s\n"
		"organizer alice organizer-token-0123456789\n"
		"sensor meridien sensor-token-0123456789ab\n"
		"screen palais-l2-east screen-token-palais-l2-east\n",
		db, VB_DEMO_SCHEDULE);
	fclose(f);
	chmod(conf, 0600);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kill_server(SIGKILL);
	curl_global_cleanup();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_serves_and_survives_kill(void **state)
{
	(void)state;
	start_server();
	struct reply r = request("GET", "/v1/schedule", NULL, NULL, false);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "venueboard.schedule/1"));
	char inm[96];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", r.etag);
	size_t plain = r.len;
	free(r.body);
	r = request("GET", "/v1/schedule", inm, NULL, false);
	assert_int_equal(r.status, 304);
	free(r.body);
	r = request("GET", "/v1/schedule", NULL, NULL, true);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.encoding, "gzip");
	assert_int_equal(r.len, plain); /* libcurl unzipped it to the same document */
	free(r.body);

	r = request("POST", "/v1/changes", org,
		    "{\"kind\":\"move\",\"session\":\"4184\","
		    "\"room\":\"Salle 243\"}",
		    false);
	assert_int_equal(r.status, 201);
	free(r.body);
	kill_server(SIGKILL); /* right after the acknowledgement */
	start_server();
	r = request("GET", "/v1/schedule", NULL, NULL, false);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"room\":\"Salle 243\""));
	free(r.body);

	r = request("POST", "/v1/changes", NULL, "{\"kind\":\"cancel\",\"session\":\"4184\"}",
		    false);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body, "\"error\""));
	free(r.body);
	r = request("PUT", "/v1/schedule", org, "{}", false);
	assert_int_equal(r.status, 405);
	free(r.body);
	r = request("GET", "/elsewhere", NULL, NULL, false);
	assert_int_equal(r.status, 404);
	free(r.body);
	r = request("POST", "/v1/samples", sensor,
		    "{\"type\":\"queue\",\"queue\":\"meridien\",\"stations\":2,\"service_s\":60}\n",
		    false);
	assert_int_equal(r.status, 200);
	free(r.body);
	r = request("GET", "/v1/queues", NULL, NULL, false);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"queue\":\"meridien\""));
	free(r.body);

	/* the query string reaches the api through libmicrohttpd */
	r = request(
		"POST", "/v1/samples", sensor,
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T10:59:00Z\",\"total\":7}\n"
		"{\"type\":\"count\",\"queue\":\"meridien\",\"sensor\":\"in\",\"role\":\"entry\","
		"\"t\":\"2014-11-06T11:00:00Z\",\"total\":8}\n",
		false);
	assert_int_equal(r.status, 200);
	free(r.body);
	static const char *const since_ok[] = {
		"/v1/queues?since=2014-11-06T12%3A00%3A00%2B01%3A00&queue=meridien",
		"/v1/queues?queue=elsewhere&since=2014-11-06T12:00:00+01:00&queue=meridien",
	};
	for (size_t i = 0; i < sizeof(since_ok) / sizeof(*since_ok); i++) {
		r = request("GET", since_ok[i], NULL, NULL, false);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "\"queues\":[{\"t\":"));
		assert_non_null(
			strstr(r.body, "\"samples\":[{\"type\":\"queue\",\"queue\":\"meridien\""));
		assert_non_null(strstr(r.body, "\"total\":8}]}"));
		assert_null(strstr(r.body, "\"total\":7"));
		free(r.body);
	}
	r = request("GET", "/v1/queues?since=2014-11-06T11:00:00Z&queue=elsewhere", NULL, NULL,
		    false);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"queues\":[],\"samples\":[]}"));
	free(r.body);
	r = request("GET", "/v1/queues?since=noon", NULL, NULL, false);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "{\"error\":\"since: "));
	free(r.body);
	char path[5200] = "/v1/queues?queue=";
	memset(path + strlen(path), 'a', 5000);
	r = request("GET", path, NULL, NULL, false);
	assert_int_equal(r.status, 414);
	assert_non_null(strstr(r.body, "{\"error\":\"the query string"));
	free(r.body);
	kill_server(SIGTERM);
}

/* A kiosk's heartbeat with its own token, then what the organizer desk
 * reads: the list and the thumbnail, byte for byte, after a kill -9. */
static void test_screen_heartbeat(void **state)
{
	(void)state;
	start_server();
	char body[512];
	char *b64 = text_base64(test_tiny_png, test_tiny_png_len);
	assert_non_null(b64);
	snprintf(body, sizeof(body),
		 "{\"version\":\"1.4.2\",\"uptime_s\":3600,\"feed_age_s\":42,\"offline\":false,"
		 "\"showing\":\"page 2/5\",\"schedule_version\":3,\"thumbnail\":\"%s\"}",
		 b64);
	free(b64);
	struct reply r = request("POST", "/v1/screens/heartbeat", org, body, false);
	assert_int_equal(r.status, 401);
	free(r.body);
	r = request("POST", "/v1/screens/heartbeat", screen, body, false);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "{\"screen\":\"palais-l2-east\",\"zones\":[],\"alerts\":[],"
				       "\"update\":null}"));
	free(r.body);
	kill_server(SIGKILL); /* right after the acknowledgement */
	start_server();

	r = request("GET", "/v1/screens", NULL, NULL, false);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "application/json");
	assert_non_null(strstr(r.body, "{\"screen\":\"palais-l2-east\",\"last_seen\":\""));
	assert_non_null(strstr(r.body, "\"version\":\"1.4.2\""));
	assert_non_null(strstr(r.body, "\"showing\":\"page 2/5\""));
	assert_non_null(strstr(r.body, "\"thumbnail\":\"/v1/screens/palais-l2-east/thumbnail.png\","
				       "\"state\":\"ok\"}]}"));
	free(r.body);
	r = request("GET", "/v1/screens/palais-l2-east/thumbnail.png", NULL, NULL, true);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.type, "image/png");
	assert_int_equal(r.len, test_tiny_png_len);
	assert_memory_equal(r.body, test_tiny_png, test_tiny_png_len);
	char inm[96];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", r.etag);
	free(r.body);
	r = request("GET", "/v1/screens/palais-l2-east/thumbnail.png", inm, NULL, false);
	assert_int_equal(r.status, 304);
	free(r.body);
	r = request("GET", "/v1/screens/elsewhere/thumbnail.png", NULL, NULL, false);
	assert_int_equal(r.status, 404);
	free(r.body);
	r = request("GET", "/healthz", NULL, NULL, false);
	assert_non_null(strstr(r.body, "\"screens\":1}"));
	free(r.body);

	/* the shell stops reading a heartbeat at 256 KiB */
	char *huge = malloc(300 * 1024);
	memset(huge, ' ', 300 * 1024 - 1);
	huge[0] = '{';
	huge[300 * 1024 - 2] = '}';
	huge[300 * 1024 - 1] = '\0';
	r = request("POST", "/v1/screens/heartbeat", screen, huge, false);
	free(huge);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "256 KiB"));
	free(r.body);
	kill_server(SIGTERM);

	size_t len;
	char *log = test_read_file(log_path, &len);
	assert_non_null(log);
	assert_non_null(strstr(log,
			       "venueboard-server: INFO: heartbeat from palais-l2-east: 1.4.2, "
			       "page 2/5, feed age 42 s\n"));
	assert_null(strstr(log, "screen-token-palais-l2-east"));
	free(log);
}

static void test_slow_client_does_not_stall_others(void **state)
{
	(void)state;
	start_server();
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	const char partial[] =
		"POST /v1/samples HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{";
	assert_true(write(fd, partial, sizeof(partial) - 1) > 0); /* ...and then nothing */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct reply r = request("GET", "/healthz", NULL, NULL, false);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.status, 200);
	free(r.body);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(s < 2.0);
	close(fd);
	kill_server(SIGTERM);
}

/* Reads from fd until buf holds needle or timeout_ms passes; true when it does. */
static bool read_until(int fd, char *buf, size_t cap, size_t *len, const char *needle,
		       int timeout_ms)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!strstr(buf, needle)) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		int left = timeout_ms - (int)((t.tv_sec - t0.tv_sec) * 1000 +
					      (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, left) <= 0 || *len + 1 >= cap)
			return false;
		ssize_t n = read(fd, buf + *len, cap - *len - 1);
		if (n <= 0)
			return false;
		*len += (size_t)n;
		buf[*len] = '\0';
	}
	return true;
}

static int open_stream(const char *auth)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	char req[256];
	int n = snprintf(req, sizeof(req), "GET /v1/stream HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n",
			 auth);
	assert_int_equal(write(fd, req, (size_t)n), n);
	return fd;
}

/* The stream: a screen's token only; the first event at once, an alert
 * posted reaches it within a second, a comment keeps it alive, and the
 * server stops cleanly with streams open. */
static void test_stream(void **state)
{
	(void)state;
	start_server();
	char buf[8192] = "";
	size_t len = 0;
	int bad = open_stream(org);
	assert_true(read_until(bad, buf, sizeof(buf), &len, "401", 3000));
	close(bad);
	int fd = open_stream(screen), fd2 = open_stream(screen);
	buf[0] = '\0', len = 0;
	assert_true(read_until(fd, buf, sizeof(buf), &len, "\"alerts\":[]", 3000));
	assert_non_null(strstr(buf, "HTTP/1.1 200"));
	assert_non_null(strstr(buf, "Content-Type: text/event-stream"));
	assert_non_null(strstr(buf, "event: state\n"));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct reply r = request("POST", "/v1/alerts", org,
				 "{\"text\":\"Evacuate by the east stairs\"}", false);
	assert_int_equal(r.status, 201);
	free(r.body);
	assert_true(read_until(fd, buf, sizeof(buf), &len, "Evacuate by the east stairs", 3000));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (s > 1.0)
		fail_msg("the alert took %.2f s to reach the stream", s);
	char buf2[8192] = "";
	size_t len2 = 0;
	assert_true(
		read_until(fd2, buf2, sizeof(buf2), &len2, "Evacuate by the east stairs", 3000));
	/* fifteen seconds without news: a comment */
	assert_true(read_until(fd, buf, sizeof(buf), &len, ": keep-alive", 17000));
	kill(server, SIGTERM);
	int status;
	waitpid(server, &status, 0);
	server = -1;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
	close(fd2);
}

/* A bundle through the real HTTP shell: written to disk as it comes (a body
 * larger than any memory budget), hashed, kept; downloaded whole and by
 * ranges (a download that resumes); a cut upload leaves nothing behind. */
static void test_bundle_upload_and_ranges(void **state)
{
	(void)state;
	start_server();
	char cmd[1024], tar[300];
	snprintf(tar, sizeof(tar), "%s/bundle.tar", dir);
	snprintf(cmd, sizeof(cmd),
		 "set -e; d='%s/b'; mkdir -p \"$d\"; echo 20261127.1-test >\"$d/version\"; "
		 "head -c 70000000 /dev/urandom >\"$d/root.squashfs\"; for f in vmlinuz initrd.img "
		 "SHA256SUMS SHA256SUMS.sig; do echo $f >\"$d/$f\"; done; tar -C \"$d\" -cf '%s' .",
		 dir, tar);
	assert_int_equal(system(cmd), 0);
	size_t len;
	char *body;
	assert_int_equal(file_io_read(tar, 256 * 1024 * 1024, &body, &len), FILE_IO_OK);
	/* curl's POSTFIELDS stops at a NUL: send the bytes with their length */
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/bundles", port);
	CURL *c = curl_easy_init();
	struct reply r = {0};
	struct curl_slist *h = curl_slist_append(NULL, org);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (r.status != 201)
		fail_msg("upload: %ld %s", r.status, r.body ? r.body : "");
	assert_non_null(strstr(r.body, "\"bundle\":\"20261127.1-test\""));
	free(r.body);
	/* whole, and a range */
	r = request_within("GET", "/v1/bundles/20261127.1-test.tar", screen, NULL, false, 120);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.len, len);
	assert_memory_equal(r.body, body, len);
	free(r.body);
	c = curl_easy_init();
	memset(&r, 0, sizeof(r));
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/v1/bundles/20261127.1-test.tar", port);
	h = curl_slist_append(curl_slist_append(NULL, screen), "Range: bytes=1000000-");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	assert_int_equal(r.status, 206);
	assert_int_equal(r.len, len - 1000000);
	assert_memory_equal(r.body, body + 1000000, len - 1000000);
	free(r.body);
	free(body);
	kill_server(SIGTERM);
	/* nothing but the bundle in the folder: no upload left half-written */
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s.bundles')\" = 20261127.1-test.tar", db);
	assert_int_equal(system(cmd), 0);
}

static void test_refuses_a_readable_config(void **state)
{
	(void)state;
	chmod(conf, 0644);
	pid_t p = fork();
	if (p == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 2);
		execl(VB_SERVER_BIN, "venueboard-server", "--config", conf, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(p, &status, 0);
	chmod(conf, 0600);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serves_and_survives_kill),
		cmocka_unit_test(test_screen_heartbeat),
		cmocka_unit_test(test_slow_client_does_not_stall_others),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_bundle_upload_and_ranges),
		cmocka_unit_test(test_refuses_a_readable_config),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
