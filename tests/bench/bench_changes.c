/* bench_changes: what an organizer's change costs the thread that answers
 * everyone, as the changes pile up: 2 000 moves, cancels and reschedules
 * posted to venueboard-server's api (no sockets; a real SQLite file, fsync'd
 * as in production), then an undo, then a start over the database they left.
 * The first release rebuilt the schedule from every change on each write
 * (200 ms at 2 000 changes). usage: bench_changes [SCHEDULE] [CHANGES] */
#include "api.h"
#include "blob.h"
#include "file_io.h"
#include "server_config.h"
#include "store.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[(size_t)(p * (double)(n - 1))];
}

static int post(struct api *api, const char *path, const char *body)
{
	static const char org[] = "Bearer organizer-token-bench-0123456789";
	struct api_request req = {.method = "POST",
				  .path = path,
				  .authorization = org,
				  .body = body,
				  .body_len = strlen(body),
				  .now_ms = 1415264400000LL};
	struct api_response res;
	api_handle(api, &req, &res);
	int status = res.status;
	api_response_finish(&res);
	return status;
}

int main(int argc, char **argv)
{
	const char *feed = argc > 1 ? argv[1] : VB_DEMO_SCHEDULE;
	int n = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 2000;
	char *text;
	size_t len;
	if (n < 200 || file_io_read(feed, 64 << 20, &text, &len) != FILE_IO_OK) {
		fprintf(stderr, "usage: bench_changes [SCHEDULE] [CHANGES >= 200]\n");
		return 2;
	}
	char db[] = "/tmp/vb-bench-changes-XXXXXX";
	int fd = mkstemp(db);
	close(fd);
	unlink(db);
	static struct server_config config;
	static const char conf[] = "database x\norganizer bench organizer-token-bench-0123456789\n";
	struct feed_error e = {{0}};
	server_config_parse(conf, strlen(conf), &config, &e);
	struct store *st = store_open(db, &e);
	double t0 = now_ms();
	struct api *api = st ? api_create(&config, st, text, len, 1415264400000LL, NULL, &e) : NULL;
	if (!api) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	double publish = now_ms() - t0;
	/* the sessions and rooms to change, from the served schedule */
	struct api_request get = {
		.method = "GET", .path = "/v1/schedule", .now_ms = 1415264400000LL};
	struct api_response res;
	api_handle(api, &get, &res);
	cJSON *doc = cJSON_Parse(res.blob ? res.blob->data : res.body);
	api_response_finish(&res);
	int n_sessions = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "sessions"));
	int n_rooms = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "rooms"));
	double *cost = calloc((size_t)n, sizeof(*cost));
	srand(7);
	for (int i = 0; i < n; i++) {
		cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "sessions"),
					      rand() % n_sessions);
		cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "rooms"), rand() % n_rooms);
		const char *sid = cJSON_GetObjectItem(s, "id")->valuestring;
		char body[600];
		if (i % 10 == 9)
			snprintf(body, sizeof(body), "{\"kind\":\"cancel\",\"session\":\"%s\"}",
				 sid);
		else if (i % 10 == 8)
			snprintf(body, sizeof(body),
				 "{\"kind\":\"reschedule\",\"session\":\"%s\",\"start\":"
				 "\"%s\",\"end\":\"%s\"}",
				 sid, cJSON_GetObjectItem(s, "start")->valuestring,
				 cJSON_GetObjectItem(s, "end")->valuestring);
		else
			snprintf(body, sizeof(body),
				 "{\"kind\":\"move\",\"session\":\"%s\",\"room\":\"%s\"}", sid,
				 cJSON_GetObjectItem(r, "name")->valuestring);
		double a = now_ms();
		if (post(api, "/v1/changes", body) != 201) {
			fprintf(stderr, "change %d refused: %s\n", i + 1, body);
			return 1;
		}
		cost[i] = now_ms() - a;
	}
	double first_med = pct(cost, 100, 0.5), first_p95 = pct(cost, 100, 0.95);
	double last_med = pct(cost + n - 100, 100, 0.5), last_p95 = pct(cost + n - 100, 100, 0.95);
	double a = now_ms();
	char undo[64];
	snprintf(undo, sizeof(undo), "{\"kind\":\"undo\",\"change\":%d}", n / 2);
	int undo_status = post(api, "/v1/changes", undo);
	double undo_ms = now_ms() - a;
	a = now_ms();
	post(api, "/v1/notices", "{\"text\":\"Lunch at 13:00\"}");
	double notice_ms = now_ms() - a;
	a = now_ms();
	int alert_status = post(api, "/v1/alerts", "{\"text\":\"Hall B is closed\"}");
	double alert_ms = now_ms() - a;
	api_destroy(api);
	a = now_ms();
	api = api_create(&config, st, NULL, 0, 1415264400000LL, NULL, &e);
	double restart = now_ms() - a;
	printf("schedule: %s, %d sessions in %d rooms (published in %.1f ms)\n", feed, n_sessions,
	       n_rooms, publish);
	printf("one change (move, cancel or reschedule), stored with fsync and served:\n");
	printf("  changes 1-100:       median %.2f ms, p95 %.2f ms\n", first_med, first_p95);
	printf("  changes %d-%d: median %.2f ms, p95 %.2f ms\n", n - 99, n, last_med, last_p95);
	printf("  a notice after %d changes: %.2f ms\n", n, notice_ms);
	printf("  an alert after %d changes: %.2f ms (%d)\n", n, alert_ms, alert_status);
	printf("  undo of change %d (a replay of the live changes): %.2f ms (%d)\n", n / 2, undo_ms,
	       undo_status);
	printf("start over the database (%d changes replayed): %.1f ms%s\n", n + 1, restart,
	       api ? "" : " FAILED");
	printf("the first release: every change rebuilt from all changes, 200 ms at 2 000\n");
	api_destroy(api);
	store_close(st);
	cJSON_Delete(doc);
	free(cost);
	free(text);
	char p[64];
	unlink(db);
	snprintf(p, sizeof(p), "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db);
	unlink(p);
	return 0;
}
