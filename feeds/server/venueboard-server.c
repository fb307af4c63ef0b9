/* venueboard-server: the organizer feed endpoint. Sensors post samples,
 * organizers publish the schedule, move and cancel sessions and post notices,
 * kiosks pull. usage: venueboard-server --config FILE [--port-file FILE] */
#include "api.h"
#include "file_io.h"
#include "http_shell.h"
#include "schedule.h"
#include "server_config.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("venueboard-server: INFO: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* The config holds every write token: refuse it if others may read it. */
static int load_config(const char *path, struct server_config *c)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	if (st.st_mode & 077) {
		fprintf(stderr, "%s: readable by others (mode %03o): it holds the write tokens; "
				"chmod 600 it\n", path, (unsigned)(st.st_mode & 0777));
		return EXIT_INVALID;
	}
	char *text;
	size_t len;
	if (file_io_read(path, 1 << 20, &text, &len) != FILE_IO_OK) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	struct feed_error e = {{0}};
	bool ok = server_config_parse(text, len, c, &e);
	free(text);
	if (!ok) {
		fprintf(stderr, "%s: %s\n", path, e.msg);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL, *port_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[++i];
		else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc)
			port_file = argv[++i];
		else {
			fputs("usage: venueboard-server --config FILE [--port-file FILE]\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (!config_path) {
		fputs("usage: venueboard-server --config FILE [--port-file FILE]\n", stderr);
		return EXIT_USAGE;
	}
	static struct server_config config; /* large; lives for the whole run */
	int rc = load_config(config_path, &config);
	if (rc != EXIT_OK)
		return rc;
	struct feed_error e = {{0}};
	struct store *store = NULL;
	struct api *api = NULL;
	struct http_shell *http = NULL;
	char *feed = NULL;
	size_t feed_len = 0;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL); /* before MHD's thread exists */

	store = store_open(config.database, &e);
	if (!store) {
		fprintf(stderr, "venueboard-server: %s\n", e.msg);
		rc = EXIT_IO;
		goto out;
	}
	if (config.schedule[0] &&
	    file_io_read(config.schedule, SCHEDULE_MAX_FEED_BYTES, &feed, &feed_len) != FILE_IO_OK) {
		fprintf(stderr, "%s: cannot read: %s\n", config.schedule, strerror(errno));
		rc = EXIT_IO;
		goto out;
	}
	api = api_create(&config, store, feed, feed_len, wall_ms(), &e);
	if (!api) {
		fprintf(stderr, "venueboard-server: %s\n", e.msg);
		rc = EXIT_INVALID;
		goto out;
	}
	http = http_shell_start(api, config.listen_host, config.listen_port);
	if (!http) {
		fprintf(stderr, "venueboard-server: cannot listen on %s:%d\n", config.listen_host,
			config.listen_port);
		rc = EXIT_IO;
		goto out;
	}
	info("listening on %s:%d, database %s, %zu tokens", config.listen_host,
	     http_shell_port(http), config.database, config.n_tokens);
	if (port_file) {
		char buf[16];
		int n = snprintf(buf, sizeof(buf), "%d\n", http_shell_port(http));
		if (!file_io_replace(port_file, buf, (size_t)n)) {
			fprintf(stderr, "%s: %s\n", port_file, strerror(errno));
			rc = EXIT_IO;
			goto out;
		}
	}
	int sig = 0;
	sigwait(&sigs, &sig);
	info("signal %d: stopping", sig);
out:
	http_shell_stop(http);
	api_destroy(api);
	store_close(store);
	free(feed);
	return rc;
}
