/* venueboard-server: the organizer feed endpoint. Sensors post samples,
 * organizers publish the schedule, move and cancel sessions and post notices,
 * kiosks pull. SIGHUP reloads the tokens and the TLS certificate; SIGTERM
 * stops. usage: venueboard-server --config FILE [--port-file FILE] */
#include "api.h"
#include "file_io.h"
#include "http_shell.h"
#include "job_pool.h"
#include "schedule.h"
#include "server_config.h"
#include "server_log.h"
#include "source_links.h"
#include "store.h"
#include "text.h"

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };
enum { JOB_WORKERS = 2, MAX_PEM = 1 << 20, EVENTS_PER_TURN = 512 };

/* The people counters' links and the api they feed, for the loop. */
struct sources {
	struct api *api;
	struct source_links *links;
	uint64_t logins; /* the login files' bytes when the links started (a hash) */
};

static const char usage[] = "usage: venueboard-server --config FILE [--port-file FILE]\n";

/* The config holds every write token: refuse it if others may read it. A
 * config that does not read leaves *c untouched. */
static int load_config(const char *path, struct server_config *c)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		server_log("ERROR", "%s: %s", path, strerror(errno));
		return EXIT_IO;
	}
	if (st.st_mode & 077) {
		server_log("ERROR",
			   "%s: readable by others (mode %03o): it holds the write tokens; "
			   "chmod 600 it",
			   path, (unsigned)(st.st_mode & 0777));
		return EXIT_INVALID;
	}
	char *text;
	size_t len;
	if (file_io_read(path, 1 << 20, &text, &len) != FILE_IO_OK) {
		server_log("ERROR", "%s: cannot read: %s", path, strerror(errno));
		return EXIT_IO;
	}
	struct feed_error e = {{0}};
	struct server_config *next = malloc(sizeof(*next));
	bool ok = next && server_config_parse(text, len, next, &e);
	free(text);
	if (!ok) {
		server_log("ERROR", "%s: %s", path, next ? e.msg : "out of memory");
		free(next);
		return EXIT_INVALID;
	}
	*c = *next;
	free(next);
	return EXIT_OK;
}

/* The certificate and key as PEM text (caller frees). The key must not be
 * readable by everyone. */
static int load_tls(const struct server_config *c, char **cert, char **key)
{
	*cert = *key = NULL;
	if (!c->tls_certificate[0])
		return EXIT_OK;
	struct stat st;
	if (stat(c->tls_key, &st) == 0 && (st.st_mode & 004)) {
		server_log("ERROR",
			   "%s: readable by everyone (mode %03o): it is the TLS private key; "
			   "chmod 600 (or 640 for a group) it",
			   c->tls_key, (unsigned)(st.st_mode & 0777));
		return EXIT_INVALID;
	}
	size_t len;
	const char *paths[] = {c->tls_certificate, c->tls_key};
	char **out[] = {cert, key};
	for (int i = 0; i < 2; i++) {
		if (file_io_read(paths[i], MAX_PEM, out[i], &len) != FILE_IO_OK) {
			server_log("ERROR", "%s: cannot read: %s", paths[i], strerror(errno));
			free(*cert);
			*cert = NULL;
			return EXIT_IO;
		}
	}
	return EXIT_OK;
}

static void pem_free(char *cert, char *key)
{
	free(cert);
	if (key) /* a private key does not linger in freed memory */
		memset(key, 0, strlen(key));
	free(key);
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void api_line(void *ctx, const char *level, const char *line)
{
	(void)ctx;
	server_log_line(level, line);
}

/* Every connection needs a file descriptor: as many as the limit allows. */
static size_t raise_fd_limit(size_t wanted)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return wanted;
	rlim_t need = (rlim_t)wanted + 64;
	if (rl.rlim_cur < need) {
		rl.rlim_cur =
			rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < need) {
		size_t fit = rl.rlim_cur > 128 ? (size_t)rl.rlim_cur - 64 : 64;
		server_log("WARN",
			   "only %zu connections fit the open-file limit (%llu); raise it "
			   "(LimitNOFILE=) for %zu",
			   fit, (unsigned long long)rl.rlim_cur, wanted);
		return fit;
	}
	return wanted;
}

/* The certificate and key of next, for the running HTTPS server: what
 * happened, in words for the reload's INFO line. A pair that does not load
 * keeps the old one and is said at ERROR; it never holds the tokens back. */
static const char *reload_tls(const struct server_config *next, struct http_shell *http)
{
	char *cert = NULL, *key = NULL;
	if (load_tls(next, &cert, &key) != EXIT_OK) {
		server_log("ERROR",
			   "reload: the new certificate and key did not load; the old ones "
			   "stay");
		return "the TLS certificate kept (see above)";
	}
	struct feed_error e = {{0}};
	enum http_tls_reload r = http_shell_reload_tls(http, cert, key, &e);
	pem_free(cert, key);
	if (r == HTTP_TLS_FAILED) {
		server_log("ERROR", "reload: %s", e.msg);
		return "the TLS certificate kept (see above)";
	}
	return r == HTTP_TLS_SWAPPED ? "the TLS certificate replaced"
				     : "the new TLS certificate waits for connections from earlier "
				       "reloads to close (said when it is served)";
}

/* FNV-1a of the login files the links read: a reload starts them again
 * when a password changed, not only when a line did. */
static uint64_t logins_hash(const struct server_config *c)
{
	uint64_t h = TEXT_HASH_START;
	const char *paths[CONFIG_MAX_SOURCES + 1];
	size_t n = 0;
	paths[n++] = c->mqtt_login;
	for (size_t i = 0; i < c->n_sources; i++)
		paths[n++] = c->sources[i].login_file;
	for (size_t i = 0; i < n; i++) {
		char *text = NULL;
		size_t len = 0;
		if (paths[i][0] && file_io_read(paths[i], 4096, &text, &len) == FILE_IO_OK) {
			h = text_hash(h, text, len);
			memset(text, 0, len);
		}
		free(text);
		h = text_hash(h, "\xff", 1); /* one file from the next */
	}
	return h;
}

/* What the links brought, a batch per turn of the loop (the eventfd stays
 * readable while more waits): HTTP requests go on between batches. */
static size_t take_batch(struct sources *s)
{
	struct api_source_event v[EVENTS_PER_TURN];
	size_t n = source_links_take(s->links, v, EVENTS_PER_TURN);
	if (n)
		api_sources_events(s->api, v, n, wall_ms());
	source_links_release(v, n);
	return n;
}

static void take_events(void *ctx)
{
	take_batch(ctx);
}

/* Stops the links, keeps what they already brought, frees them. */
static void links_end(struct sources *s, struct http_shell *http)
{
	if (!s->links)
		return;
	http_shell_watch(http, -1, NULL, NULL);
	source_links_stop(s->links);
	while (take_batch(s))
		;
	source_links_free(s->links);
	s->links = NULL;
}

static bool links_begin(struct sources *s, const struct server_config *c, struct http_shell *http)
{
	struct feed_error e = {{0}};
	s->logins = logins_hash(c);
	s->links = source_links_start(c, &e);
	if (!s->links && e.msg[0]) {
		server_log("ERROR", "sources: %s", e.msg);
		return false;
	}
	if (s->links && !http_shell_watch(http, source_links_fd(s->links), take_events, s)) {
		server_log("ERROR", "sources: cannot watch the links: %s", strerror(errno));
		return false;
	}
	size_t mqtt = 0, poll = 0, push = 0;
	for (size_t i = 0; i < c->n_sources; i++) {
		mqtt += c->sources[i].from == SENSOR_FROM_MQTT;
		poll += c->sources[i].from == SENSOR_FROM_POLL;
		push += c->sources[i].from == SENSOR_FROM_PUSH;
	}
	for (size_t i = 0; i < c->n_sources && !c->timezone[0]; i++)
		if (c->sources[i].format == SENSOR_AXIS_PEOPLE_COUNTER ||
		    c->sources[i].format == SENSOR_HIKVISION)
			server_log("WARN",
				   "source %s: its device's times have no offset and no timezone "
				   "is set: they are read as UTC (timezone AREA/CITY)",
				   c->sources[i].name);
	if (c->n_sources)
		server_log("INFO",
			   "sources: %zu over MQTT%s%s, %zu polled, %zu pushing to "
			   "/v1/ingest/NAME",
			   mqtt, mqtt ? " from " : "", mqtt ? c->mqtt_broker : "", poll, push);
	return true;
}

/* True when the sources or their broker differ between a and b. */
static bool sources_changed(const struct server_config *a, const struct server_config *b)
{
	return a->n_sources != b->n_sources ||
	       memcmp(a->sources, b->sources, a->n_sources * sizeof(*a->sources)) != 0 ||
	       strcmp(a->mqtt_broker, b->mqtt_broker) || strcmp(a->mqtt_login, b->mqtt_login) ||
	       strcmp(a->mqtt_ca_file, b->mqtt_ca_file);
}

/* SIGHUP: tokens and certificate from the file again. A file that does not
 * read changes nothing; otherwise the tokens are swapped whatever becomes of
 * the certificate (a revoked token must die on this reload, not on the next
 * that happens to renew the certificate well), and the connections of the
 * tokens revoked are cut. Settings that need a restart are named. */
static void reload(const char *path, struct server_config **config, struct api *api,
		   struct http_shell *http, struct sources *src)
{
	struct server_config *next = malloc(sizeof(*next));
	if (!next || load_config(path, next) != EXIT_OK) {
		server_log("ERROR", "reload: %s kept as it was", path);
		free(next);
		return;
	}
	const struct server_config *old = *config;
	if (strcmp(old->listen_host, next->listen_host) || old->listen_port != next->listen_port ||
	    strcmp(old->database, next->database) || old->max_connections != next->max_connections)
		server_log("WARN",
			   "reload: listen, database and max-connections change only with a "
			   "restart; the running values stay");
	if (!old->tls_certificate[0] != !next->tls_certificate[0])
		server_log("WARN", "reload: turning HTTPS on or off needs a restart");
	const char *tls =
		http_shell_tls(http) && next->tls_certificate[0] ? reload_tls(next, http) : NULL;
	struct feed_error e = {{0}};
	bool relink = sources_changed(old, next) || logins_hash(next) != src->logins;
	if (relink) /* what the old links brought is taken under the old sources */
		links_end(src, http);
	if (!api_set_config(api, next, &e)) {
		server_log("ERROR", "reload: %s; the tokens stay as they were", e.msg);
		free(next);
		if (relink)
			links_begin(src, *config, http);
		return;
	}
	free(*config);
	*config = next;
	if (relink && !links_begin(src, next, http))
		server_log("ERROR", "reload: the sources' links did not start (see above)");
	size_t streams = 0, cut = http_shell_revoke(http, &streams);
	char cuts[160] = "";
	if (cut)
		snprintf(cuts, sizeof(cuts),
			 "; %zu connections of revoked or changed tokens cut "
			 "(%zu of them streams)",
			 cut, streams);
	server_log("INFO", "reloaded %s: %zu tokens%s%s%s", path, next->n_tokens, tls ? ", " : "",
		   tls ? tls : "", cuts);
}

/* Opens the database, saying in the log when it was made or migrated. */
static struct store *open_store(const char *path)
{
	struct feed_error e = {{0}};
	struct store *store = store_open(path, &e);
	if (!store) {
		server_log("ERROR", "%s", e.msg);
		return NULL;
	}
	struct store_schema_change schema;
	store_schema_change(store, &schema);
	if (schema.created)
		server_log("INFO", "database %s: new, schema %d", path, schema.to);
	else if (schema.from != schema.to)
		server_log("INFO", "database %s: schema %d → %d", path, schema.from, schema.to);
	return store;
}

static bool write_port(const char *path, int port)
{
	char buf[16];
	int n = snprintf(buf, sizeof(buf), "%d\n", port);
	if (!file_io_replace(path, buf, (size_t)n)) {
		server_log("ERROR", "%s: %s", path, strerror(errno));
		return false;
	}
	return true;
}

/* Serves until SIGINT or SIGTERM; SIGHUP reloads. */
static void serve(const char *config_path, struct server_config **config, struct api *api,
		  struct http_shell *http, int sigfd, struct sources *src)
{
	for (;;) {
		http_shell_serve(http, sigfd);
		struct signalfd_siginfo si;
		if (read(sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo != SIGHUP) {
			server_log("INFO", "signal %u: stopping", si.ssi_signo);
			break;
		}
		reload(config_path, config, api, http, src);
	}
}

int main(int argc, char **argv)
{
	const char *config_path = NULL, *port_file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else if (strcmp(argv[i], "--port-file") == 0 && i + 1 < argc) {
			port_file = argv[++i];
		} else {
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (!config_path) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	umask(077); /* the database and everything else the server writes: its user's only */
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread: polls use libcurl */
	struct server_config *config = malloc(sizeof(*config));
	if (!config)
		return EXIT_IO;
	int rc = load_config(config_path, config);
	if (rc != EXIT_OK) {
		free(config);
		return rc;
	}
	struct feed_error e = {{0}};
	struct store *store = NULL;
	struct api *api = NULL;
	struct job_pool *jobs = NULL;
	struct http_shell *http = NULL;
	struct sources src = {0};
	char *feed = NULL, *cert = NULL, *key = NULL;
	size_t feed_len = 0;
	int sigfd = -1;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL); /* before any thread exists: they inherit it */

	if ((rc = load_tls(config, &cert, &key)) != EXIT_OK)
		goto out;
	if (!(store = open_store(config->database))) {
		rc = EXIT_IO;
		goto out;
	}
	if (config->schedule[0] && file_io_read(config->schedule, SCHEDULE_MAX_FEED_BYTES, &feed,
						&feed_len) != FILE_IO_OK) {
		server_log("ERROR", "%s: cannot read: %s", config->schedule, strerror(errno));
		rc = EXIT_IO;
		goto out;
	}
	struct api_log log = {api_line, NULL};
	api = api_create(config, store, feed, feed_len, wall_ms(), &log, &e);
	if (!api) {
		server_log("ERROR", "%s", e.msg);
		rc = EXIT_INVALID;
		goto out;
	}
	jobs = job_pool_create(JOB_WORKERS, HTTP_MAX_WAITING_JOBS, config->database, &e);
	if (!jobs) {
		server_log("ERROR", "%s", e.msg);
		rc = EXIT_IO;
		goto out;
	}
	size_t max_conns = config->max_connections ? config->max_connections : HTTP_MAX_CONNECTIONS;
	struct http_options opts = {
		.host = config->listen_host,
		.port = config->listen_port,
		.cert_pem = cert,
		.key_pem = key,
		.max_connections = raise_fd_limit(max_conns),
	};
	http = http_shell_start(api, jobs, &opts, &e);
	pem_free(cert, key);
	cert = key = NULL;
	if (!http) {
		server_log("ERROR", "%s", e.msg);
		rc = EXIT_IO;
		goto out;
	}
	sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sigfd < 0) {
		server_log("ERROR", "signalfd: %s", strerror(errno));
		rc = EXIT_IO;
		goto out;
	}
	server_log(
		"INFO", "listening on %s:%d (%s), database %s, %zu tokens, up to %zu connections",
		config->listen_host, http_shell_port(http), http_shell_tls(http) ? "HTTPS" : "HTTP",
		config->database, config->n_tokens, opts.max_connections);
	if (port_file && !write_port(port_file, http_shell_port(http))) {
		rc = EXIT_IO;
		goto out;
	}
	src.api = api;
	if (!links_begin(&src, config, http)) {
		rc = EXIT_INVALID;
		goto out;
	}
	serve(config_path, &config, api, http, sigfd, &src);
out:
	if (http)
		links_end(&src, http);
	http_shell_stop(http);
	job_pool_destroy(jobs);
	api_destroy(api);
	store_close(store);
	if (sigfd >= 0)
		close(sigfd);
	pem_free(cert, key);
	free(feed);
	free(config);
	curl_global_cleanup();
	return rc;
}
