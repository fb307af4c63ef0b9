/* source_links: MQTT and polls for the people counters (see the header). */
#include "source_links.h"

#include "file_io.h"
#include "sensor_source.h"
#include "text.h"

#include <curl/curl.h>
#include <errno.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	LOGIN_MAX = 1024, /* bytes of a user:password file */
	POLL_TIMEOUT_MIN_MS = 5000,
	POLL_TIMEOUT_MAX_MS = 15000,
	MQTT_KEEPALIVE_S = 30,
};

struct item {
	struct api_source_event ev; /* its strings malloc'd */
	struct item *next;
};

/* A polled device. */
struct poll_link {
	char name[SENSOR_NAME_MAX + 1];
	char url[SENSOR_URL_MAX + 1];
	char login[LOGIN_MAX + 1]; /* user:password, "" when none */
	int period_s;
	int64_t due_ms; /* monotonic */
	CURL *easy;     /* in flight, else NULL */
	char *buf;      /* its answer so far */
	size_t len;
	bool too_big;
	char error[CURL_ERROR_SIZE];
};

/* A source subscribed to over MQTT. */
struct mqtt_link {
	char name[SENSOR_NAME_MAX + 1];
	char topic[SENSOR_TOPIC_MAX + 1];
};

struct source_links {
	int efd;
	pthread_mutex_t lock;
	pthread_cond_t room; /* the inbox has room again */
	struct item *head, *tail;
	size_t waiting, waiting_bytes;
	bool stopping;
	/* MQTT (its thread is libmosquitto's) */
	struct mosquitto *mosq;
	struct mqtt_link *mqtt;
	size_t n_mqtt;
	bool connected;         /* under lock */
	int64_t unconnected_ms; /* monotonic, since when; under lock */
	bool failing_said;      /* this time unconnected; under lock */
	char refused[200];      /* the broker's last refusal; under lock */
	/* polls */
	CURLM *multi;
	struct poll_link *polls;
	size_t n_polls;
	pthread_t poll_thread;
	bool poll_running;
	bool threads_stopped;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Makes the eventfd readable. It fails only when its counter is full,
 * and a full counter is readable anyway. */
static void wake(struct source_links *l)
{
	uint64_t one = 1;
	ssize_t w = write(l->efd, &one, sizeof(one));
	(void)w;
}

/* Queues an event (strings copied; bytes[0..len) copied). A full inbox
 * holds the caller back (the MQTT thread: the broker keeps what it has not
 * delivered) until there is room or the links stop. */
static void post(struct source_links *l, enum api_source_event_kind kind, const char *source,
		 const char *topic, const void *bytes, size_t len, const char *what,
		 const char *why)
{
	struct item *it = calloc(1, sizeof(*it));
	char *copy = len ? malloc(len) : NULL;
	if (!it || (len && !copy)) {
		free(it);
		free(copy);
		return;
	}
	if (len)
		memcpy(copy, bytes, len);
	it->ev = (struct api_source_event){
		kind, dup_or_null(source), dup_or_null(topic), copy,
		len,  wall_ms(),           dup_or_null(what),  dup_or_null(why)};
	pthread_mutex_lock(&l->lock);
	while (!l->stopping && (l->waiting >= LINKS_MAX_WAITING ||
				l->waiting_bytes + len > LINKS_MAX_WAITING_BYTES))
		pthread_cond_wait(&l->room, &l->lock);
	if (l->tail)
		l->tail->next = it;
	else
		l->head = it;
	l->tail = it;
	l->waiting++;
	l->waiting_bytes += len;
	pthread_mutex_unlock(&l->lock);
	wake(l);
}

size_t source_links_take(struct source_links *l, struct api_source_event *out, size_t cap)
{
	if (!l)
		return 0;
	uint64_t drained;
	if (read(l->efd, &drained, sizeof(drained)) < 0 && errno != EAGAIN)
		return 0;
	size_t n = 0;
	pthread_mutex_lock(&l->lock);
	while (l->head && n < cap) {
		struct item *it = l->head;
		l->head = it->next;
		if (!l->head)
			l->tail = NULL;
		l->waiting--;
		l->waiting_bytes -= it->ev.len;
		out[n++] = it->ev;
		free(it);
	}
	bool more = l->head != NULL;
	pthread_cond_broadcast(&l->room);
	pthread_mutex_unlock(&l->lock);
	if (more)
		wake(l);
	return n;
}

void source_links_release(struct api_source_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].source);
		free((char *)v[i].topic);
		free((char *)v[i].bytes);
		free((char *)v[i].what);
		free((char *)v[i].why);
	}
}

/* user:password from path, one line, into out; false with why. */
static bool read_login(const char *path, char out[LOGIN_MAX + 1], char *why, size_t cap)
{
	char *text;
	size_t len;
	struct stat st;
	if (stat(path, &st) == 0 && (st.st_mode & 077)) {
		snprintf(why, cap,
			 "%s: readable by others (mode %03o): it holds a password; chmod 600 it",
			 path, (unsigned)(st.st_mode & 0777));
		return false;
	}
	if (file_io_read(path, LOGIN_MAX, &text, &len) != FILE_IO_OK) {
		snprintf(why, cap, "cannot read the login file %s: %s", path, strerror(errno));
		return false;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	text[len] = '\0';
	bool ok = strchr(text, ':') && !strchr(text, '\n');
	if (ok)
		snprintf(out, LOGIN_MAX + 1, "%s", text);
	else
		snprintf(why, cap, "%s: one line user:password expected", path);
	memset(text, 0, len);
	free(text);
	return ok;
}

/* ---- MQTT ----------------------------------------------------------------------------- */

static void broker_state(struct source_links *l, const char *what, const char *why)
{
	post(l, API_BROKER_STATE, NULL, NULL, NULL, 0, what, why);
}

static void on_connect(struct mosquitto *m, void *ctx, int rc)
{
	struct source_links *l = ctx;
	if (rc != 0) {
		char why[200];
		snprintf(why, sizeof(why), "the broker refused the connection: %s",
			 mosquitto_connack_string(rc));
		pthread_mutex_lock(&l->lock);
		bool again = strcmp(l->refused, why) == 0;
		snprintf(l->refused, sizeof(l->refused), "%s", why);
		pthread_mutex_unlock(&l->lock);
		if (!again) /* a wrong password is said once, not every few seconds */
			broker_state(l, "failing", why);
		return;
	}
	for (size_t i = 0; i < l->n_mqtt; i++)
		mosquitto_subscribe(m, NULL, l->mqtt[i].topic, 1);
	pthread_mutex_lock(&l->lock);
	l->connected = true;
	l->failing_said = false;
	l->refused[0] = '\0';
	pthread_mutex_unlock(&l->lock);
	broker_state(l, "connected", NULL);
}

static void on_disconnect(struct mosquitto *m, void *ctx, int rc)
{
	(void)m;
	struct source_links *l = ctx;
	pthread_mutex_lock(&l->lock);
	bool was = l->connected;
	l->connected = false;
	l->unconnected_ms = mono_ms();
	pthread_mutex_unlock(&l->lock);
	if (was && rc != 0)
		broker_state(l, "connecting", "the connection to the broker was lost");
}

static void on_message(struct mosquitto *m, void *ctx, const struct mosquitto_message *msg)
{
	(void)m;
	struct source_links *l = ctx;
	/* more than a reader takes is passed cut, one byte over: refused there */
	size_t len = msg->payloadlen > SENSOR_MAX_PAYLOAD ? SENSOR_MAX_PAYLOAD + 1
							  : (size_t)msg->payloadlen;
	for (size_t i = 0; i < l->n_mqtt; i++) {
		bool match = false;
		if (mosquitto_topic_matches_sub(l->mqtt[i].topic, msg->topic, &match) ==
			    MOSQ_ERR_SUCCESS &&
		    match)
			post(l, API_SOURCE_PAYLOAD, l->mqtt[i].name, msg->topic, msg->payload, len,
			     NULL, NULL);
	}
}

/* host and port of mqtt[s]://HOST[:PORT][/] */
static bool broker_address(const char *url, char *host, size_t cap, int *port, bool *tls)
{
	*tls = strncmp(url, "mqtts://", 8) == 0;
	const char *h = url + (*tls ? 8 : 7);
	size_t n = strcspn(h, ":/");
	if (n == 0 || n >= cap)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = *tls ? 8883 : 1883;
	if (h[n] == ':') {
		char *end;
		long p = strtol(h + n + 1, &end, 10);
		if (p < 1 || p > 65535 || (*end && *end != '/'))
			return false;
		*port = (int)p;
	}
	return true;
}

/* The session the broker keeps for us (QoS 1 messages while we are away)
 * is found again by a client id that stays the same across restarts: one
 * per database, so that two servers on one machine do not take turns. */
static void client_id(const struct server_config *c, char out[64])
{
	uint64_t h = text_hash(TEXT_HASH_START, c->database, strlen(c->database));
	snprintf(out, 64, "venueboard-server-%016llx", (unsigned long long)h);
}

static bool mqtt_setup(struct source_links *l, const struct server_config *c, struct feed_error *e)
{
	char host[256], id[64], login[LOGIN_MAX + 1] = "", why[300];
	int port;
	bool tls;
	if (!broker_address(c->mqtt_broker, host, sizeof(host), &port, &tls))
		return feed_error_set(e, "mqtt-broker %s: not mqtt[s]://HOST[:PORT]",
				      c->mqtt_broker);
	if (c->mqtt_login[0] && !read_login(c->mqtt_login, login, why, sizeof(why)))
		return feed_error_set(e, "mqtt-login: %s", why);
	mosquitto_lib_init();
	client_id(c, id);
	l->mosq = mosquitto_new(id, false, l);
	if (!l->mosq)
		return feed_error_set(e, "MQTT: cannot make a client: %s", strerror(errno));
	char *colon = strchr(login, ':');
	if (colon) {
		*colon = '\0';
		mosquitto_username_pw_set(l->mosq, login, colon + 1);
		memset(login, 0, sizeof(login));
	}
	if (tls && mosquitto_tls_set(l->mosq, c->mqtt_ca_file[0] ? c->mqtt_ca_file : NULL,
				     c->mqtt_ca_file[0] ? NULL : "/etc/ssl/certs", NULL, NULL,
				     NULL) != MOSQ_ERR_SUCCESS)
		return feed_error_set(e, "mqtt-ca-file %s: not usable", c->mqtt_ca_file);
	mosquitto_connect_callback_set(l->mosq, on_connect);
	mosquitto_disconnect_callback_set(l->mosq, on_disconnect);
	mosquitto_message_callback_set(l->mosq, on_message);
	mosquitto_reconnect_delay_set(l->mosq, 1, LINKS_RECONNECT_MAX_S, true);
	l->unconnected_ms = mono_ms();
	/* an unreachable broker now is retried by the loop, like one lost later */
	mosquitto_connect_async(l->mosq, host, port, MQTT_KEEPALIVE_S);
	if (mosquitto_loop_start(l->mosq) != MOSQ_ERR_SUCCESS)
		return feed_error_set(e, "MQTT: cannot start its thread");
	return true;
}

/* Unconnected for long (a broker down, a wrong address): said once. */
static void watch_broker(struct source_links *l)
{
	if (!l->mosq)
		return;
	pthread_mutex_lock(&l->lock);
	bool say = !l->connected && !l->failing_said && !l->refused[0] &&
		   mono_ms() - l->unconnected_ms >= LINKS_BROKER_SILENT_MS;
	if (say)
		l->failing_said = true;
	pthread_mutex_unlock(&l->lock);
	if (say)
		broker_state(l, "failing", "the broker does not answer (no connection for 10 s)");
}

/* ---- polls ---------------------------------------------------------------------------- */

static size_t poll_write(char *data, size_t size, size_t n, void *ctx)
{
	struct poll_link *p = ctx;
	size_t add = size * n;
	if (p->len + add > SENSOR_MAX_PAYLOAD) {
		p->too_big = true;
		return 0;
	}
	char *next = realloc(p->buf, p->len + add + 1);
	if (!next)
		return 0;
	memcpy(next + p->len, data, add);
	p->buf = next;
	p->len += add;
	return add;
}

static void poll_begin(struct source_links *l, struct poll_link *p, int64_t now)
{
	p->due_ms = now + (int64_t)p->period_s * 1000;
	p->easy = curl_easy_init();
	if (!p->easy)
		return;
	long timeout = (long)p->period_s * 1000;
	timeout = timeout < POLL_TIMEOUT_MIN_MS   ? POLL_TIMEOUT_MIN_MS
		  : timeout > POLL_TIMEOUT_MAX_MS ? POLL_TIMEOUT_MAX_MS
						  : timeout;
	p->len = 0;
	p->too_big = false;
	p->error[0] = '\0';
	curl_easy_setopt(p->easy, CURLOPT_URL, p->url);
	curl_easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(p->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(p->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)POLL_TIMEOUT_MIN_MS);
	curl_easy_setopt(p->easy, CURLOPT_TIMEOUT_MS, timeout);
	curl_easy_setopt(p->easy, CURLOPT_WRITEFUNCTION, poll_write);
	curl_easy_setopt(p->easy, CURLOPT_WRITEDATA, p);
	curl_easy_setopt(p->easy, CURLOPT_ERRORBUFFER, p->error);
	curl_easy_setopt(p->easy, CURLOPT_PRIVATE, p);
	curl_easy_setopt(p->easy, CURLOPT_USERAGENT, "venueboard-server");
	if (p->login[0]) { /* Basic or Digest, as the device asks (VAPIX: Digest) */
		curl_easy_setopt(p->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_ANY);
		curl_easy_setopt(p->easy, CURLOPT_USERPWD, p->login);
	}
	curl_multi_add_handle(l->multi, p->easy);
}

static void poll_done(struct source_links *l, struct poll_link *p, CURLcode rc)
{
	long status = 0;
	curl_easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &status);
	char why[CURL_ERROR_SIZE + 300];
	if (rc == CURLE_OK && status == 200) {
		post(l, API_SOURCE_PAYLOAD, p->name, NULL, p->buf ? p->buf : "", p->len, NULL,
		     NULL);
	} else {
		if (p->too_big)
			snprintf(why, sizeof(why), "poll %.200s: the answer is larger than %d KiB",
				 p->url, SENSOR_MAX_PAYLOAD / 1024);
		else if (rc != CURLE_OK)
			snprintf(why, sizeof(why), "poll %.200s: %s", p->url,
				 p->error[0] ? p->error : curl_easy_strerror(rc));
		else
			snprintf(why, sizeof(why), "poll %.200s: HTTP %ld%s", p->url, status,
				 status == 401 ? " (the login is refused: source-login)" : "");
		post(l, API_SOURCE_FAILED, p->name, NULL, NULL, 0, NULL, why);
	}
	curl_multi_remove_handle(l->multi, p->easy);
	curl_easy_cleanup(p->easy);
	p->easy = NULL;
	free(p->buf);
	p->buf = NULL;
	p->len = 0;
}

static void *poll_main(void *ctx)
{
	struct source_links *l = ctx;
	for (;;) {
		pthread_mutex_lock(&l->lock);
		bool stop = l->stopping;
		pthread_mutex_unlock(&l->lock);
		if (stop)
			break;
		int64_t now = mono_ms(), next = now + 1000;
		for (size_t i = 0; i < l->n_polls; i++) {
			struct poll_link *p = &l->polls[i];
			if (!p->easy && now >= p->due_ms)
				poll_begin(l, p, now);
			if (!p->easy && p->due_ms < next)
				next = p->due_ms;
		}
		int running;
		curl_multi_perform(l->multi, &running);
		CURLMsg *m;
		int left;
		while ((m = curl_multi_info_read(l->multi, &left)))
			if (m->msg == CURLMSG_DONE) {
				struct poll_link *p;
				curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&p);
				poll_done(l, p, m->data.result);
			}
		watch_broker(l);
		int wait = next - mono_ms() > 250 ? 250 : (int)(next - mono_ms());
		curl_multi_poll(l->multi, NULL, 0, wait > 0 ? wait : 0, NULL);
	}
	for (size_t i = 0; i < l->n_polls; i++)
		if (l->polls[i].easy) {
			curl_multi_remove_handle(l->multi, l->polls[i].easy);
			curl_easy_cleanup(l->polls[i].easy);
			free(l->polls[i].buf);
			l->polls[i].easy = NULL;
		}
	return NULL;
}

/* The polled sources and their logins; a login that does not read makes
 * its source fail (said at once), never the server. */
static bool polls_setup(struct source_links *l, const struct server_config *c, struct feed_error *e)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_sources; i++)
		n += c->sources[i].from == SENSOR_FROM_POLL;
	l->polls = calloc(n ? n : 1, sizeof(*l->polls));
	if (!l->polls)
		return feed_error_set(e, "out of memory");
	int64_t now = mono_ms();
	for (size_t i = 0; i < c->n_sources; i++) {
		const struct sensor_source_config *s = &c->sources[i];
		if (s->from != SENSOR_FROM_POLL)
			continue;
		struct poll_link *p = &l->polls[l->n_polls++];
		snprintf(p->name, sizeof(p->name), "%s", s->name);
		snprintf(p->url, sizeof(p->url), "%s", s->url);
		p->period_s = s->period_s;
		p->due_ms = now;
		char why[300];
		if (s->login_file[0] && !read_login(s->login_file, p->login, why, sizeof(why))) {
			post(l, API_SOURCE_FAILED, p->name, NULL, NULL, 0, NULL, why);
			p->due_ms = INT64_MAX; /* until a reload brings a login that reads */
		}
	}
	return true;
}

static bool mqtt_links(struct source_links *l, const struct server_config *c, struct feed_error *e)
{
	l->mqtt = calloc(c->n_sources ? c->n_sources : 1, sizeof(*l->mqtt));
	if (!l->mqtt)
		return feed_error_set(e, "out of memory");
	for (size_t i = 0; i < c->n_sources; i++)
		if (c->sources[i].from == SENSOR_FROM_MQTT) {
			struct mqtt_link *m = &l->mqtt[l->n_mqtt++];
			snprintf(m->name, sizeof(m->name), "%s", c->sources[i].name);
			snprintf(m->topic, sizeof(m->topic), "%s", c->sources[i].topic);
		}
	return l->n_mqtt == 0 || mqtt_setup(l, c, e);
}

struct source_links *source_links_start(const struct server_config *c, struct feed_error *e)
{
	size_t linked = 0;
	for (size_t i = 0; i < c->n_sources; i++)
		linked += c->sources[i].from != SENSOR_FROM_PUSH;
	if (!linked)
		return NULL;
	struct source_links *l = calloc(1, sizeof(*l));
	if (!l) {
		feed_error_set(e, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->room, NULL);
	l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	l->multi = curl_multi_init();
	bool ok = l->efd >= 0 && l->multi && polls_setup(l, c, e) && mqtt_links(l, c, e);
	if (ok && (l->n_polls || l->mosq)) {
		/* the poll thread also watches the broker's silence */
		ok = pthread_create(&l->poll_thread, NULL, poll_main, l) == 0;
		l->poll_running = ok;
		if (!ok)
			feed_error_set(e, "cannot start the polling thread");
	}
	if (!ok) {
		if (l->efd < 0 || !l->multi)
			feed_error_set(e, "sources: cannot make an eventfd or a curl multi handle");
		source_links_free(l);
		return NULL;
	}
	return l;
}

int source_links_fd(const struct source_links *l)
{
	return l ? l->efd : -1;
}

void source_links_stop(struct source_links *l)
{
	if (!l || l->threads_stopped)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_cond_broadcast(&l->room);
	pthread_mutex_unlock(&l->lock);
	if (l->mosq) {
		mosquitto_disconnect(l->mosq);
		mosquitto_loop_stop(l->mosq, false);
	}
	if (l->poll_running) {
		curl_multi_wakeup(l->multi);
		pthread_join(l->poll_thread, NULL);
	}
	l->threads_stopped = true;
}

void source_links_free(struct source_links *l)
{
	if (!l)
		return;
	source_links_stop(l);
	if (l->mosq) {
		mosquitto_destroy(l->mosq);
		mosquitto_lib_cleanup();
	}
	for (struct item *it = l->head, *next; it; it = next) {
		next = it->next;
		source_links_release(&it->ev, 1);
		free(it);
	}
	if (l->multi)
		curl_multi_cleanup(l->multi);
	for (size_t i = 0; i < l->n_polls; i++)
		memset(l->polls[i].login, 0, sizeof(l->polls[i].login));
	free(l->polls);
	free(l->mqtt);
	if (l->efd >= 0)
		close(l->efd);
	pthread_cond_destroy(&l->room);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
