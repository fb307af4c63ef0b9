/* server_config: a line format an organizer can edit by hand, checked
 * strictly because it holds the keys to every write. */
#include "server_config.h"

#include "config_sources.h"

#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Splits line into up to max words separated by spaces or tabs. */
static int words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static bool copy(char *dst, size_t cap, const char *src, int line, const char *key,
		 struct feed_error *e)
{
	if (strlen(src) >= cap)
		return feed_error_set(e, "line %d: %s: longer than %zu bytes", line, key, cap - 1);
	memcpy(dst, src, strlen(src) + 1);
	return true;
}

/* A screen's name goes into URLs and metric labels as it is. */
static bool screen_name_ok(const char *n)
{
	return text_is_name(n, SIZE_MAX);
}

static bool token_ok(const char *t)
{
	size_t n = strlen(t);
	if (n < CONFIG_TOKEN_MIN || n > CONFIG_TOKEN_MAX)
		return false;
	for (; *t; t++)
		if (*t < 0x21 || *t > 0x7E)
			return false;
	return true;
}

/* capacity ROOM SEATS: a room's name may hold spaces, so the number is
 * the last word. */
static bool parse_capacity(const char *rest, int line, struct server_config *out,
			   struct feed_error *e)
{
	struct config_capacity c;
	long seats;
	if (!text_name_and_number(rest, c.room, sizeof(c.room), &seats) || seats < 1 ||
	    seats > 100000)
		return feed_error_set(e,
				      "line %d: capacity ROOM SEATS (a room's name, then its "
				      "seats: 1 to 100000)",
				      line);
	if (out->n_capacities == CONFIG_MAX_CAPACITIES)
		return feed_error_set(e, "line %d: more than %d capacities", line,
				      CONFIG_MAX_CAPACITIES);
	for (size_t i = 0; i < out->n_capacities; i++)
		if (strcmp(out->capacities[i].room, c.room) == 0)
			return feed_error_set(e, "line %d: capacity of '%.80s' given twice", line,
					      c.room);
	c.seats = (int)seats;
	out->capacities[out->n_capacities++] = c;
	return true;
}

/* zone ZONE SCREEN...: screens are checked once the whole file is read
 * (their screen lines may come later). */
static bool parse_zone(char *rest, int line, struct server_config *out, struct feed_error *e)
{
	char *w[CONFIG_MAX_MEMBERS + 2];
	int n = words(rest, w, CONFIG_MAX_MEMBERS + 1);
	if (n < 2)
		return feed_error_set(e,
				      "line %d: zone ZONE SCREEN... (a zone's name, then its "
				      "screens)",
				      line);
	if (strlen(w[0]) > CONFIG_ZONE_MAX || !screen_name_ok(w[0]))
		return feed_error_set(e,
				      "line %d: zone name '%.64s' may hold only letters, digits, "
				      "'-', '_' and '.' (at most %d)",
				      line, w[0], CONFIG_ZONE_MAX);
	for (int i = 1; i < n; i++) {
		if (out->n_members == CONFIG_MAX_MEMBERS || n > CONFIG_MAX_MEMBERS)
			return feed_error_set(e, "line %d: more than %d screens in zones", line,
					      CONFIG_MAX_MEMBERS);
		struct config_member *m = &out->members[out->n_members];
		if (!copy(m->zone, sizeof(m->zone), w[0], line, "zone", e) ||
		    !copy(m->screen, sizeof(m->screen), w[i], line, "zone", e))
			return false;
		for (size_t k = 0; k < out->n_members; k++)
			if (strcmp(out->members[k].zone, m->zone) == 0 &&
			    strcmp(out->members[k].screen, m->screen) == 0)
				return feed_error_set(e,
						      "line %d: screen %.64s is already in zone %s",
						      line, m->screen, m->zone);
		out->n_members++;
	}
	size_t zones = 0;
	for (size_t k = 0; k < out->n_members; k++) {
		bool first = true;
		for (size_t j = 0; j < k && first; j++)
			first = strcmp(out->members[j].zone, out->members[k].zone) != 0;
		zones += first;
	}
	if (zones > CONFIG_MAX_ZONES)
		return feed_error_set(e, "line %d: more than %d zones", line, CONFIG_MAX_ZONES);
	return true;
}

size_t server_config_zones_of(const struct server_config *c, const char *screen, const char **out,
			      size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_members && n < cap; i++)
		if (strcmp(c->members[i].screen, screen) == 0)
			out[n++] = c->members[i].zone;
	return n;
}

bool server_config_zone_known(const struct server_config *c, const char *zone)
{
	for (size_t i = 0; i < c->n_members; i++)
		if (strcmp(c->members[i].zone, zone) == 0)
			return true;
	return false;
}

/* alert-wait QUEUE MINUTES */
static bool parse_alert(char **w, int n, int line, struct server_config *out, struct feed_error *e)
{
	char *end = NULL;
	long minutes = n == 3 ? strtol(w[2], &end, 10) : 0;
	if (n != 3 || *end || minutes < 1 || minutes > 240)
		return feed_error_set(e,
				      "line %d: alert-wait QUEUE MINUTES (a queue id or *, then "
				      "1 to 240 minutes)",
				      line);
	if (out->n_alerts == CONFIG_MAX_ALERTS)
		return feed_error_set(e, "line %d: more than %d alert-wait lines", line,
				      CONFIG_MAX_ALERTS);
	struct config_alert *a = &out->alerts[out->n_alerts];
	if (!copy(a->queue, sizeof(a->queue), w[1], line, "alert-wait", e))
		return false;
	for (size_t i = 0; i < out->n_alerts; i++)
		if (strcmp(out->alerts[i].queue, a->queue) == 0)
			return feed_error_set(e, "line %d: alert-wait for %.64s given twice", line,
					      a->queue);
	a->minutes = (int)minutes;
	out->n_alerts++;
	return true;
}

/* disk-reserve SIZE: bytes, or KiB, MiB, GiB with K, M, G. */
static bool parse_size(const char *v, int line, unsigned long long *out, struct feed_error *e)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	unsigned long long unit = 1;
	bool digits = end != v;
	if (*end == 'K' || *end == 'k')
		unit = 1024ULL;
	else if (*end == 'M' || *end == 'm')
		unit = 1024ULL * 1024;
	else if (*end == 'G' || *end == 'g')
		unit = 1024ULL * 1024 * 1024;
	if (unit > 1)
		end++;
	if (!digits || *end || v[0] == '-' || errno || n > 1024ULL * 1024 * 1024 * 1024 / unit)
		return feed_error_set(
			e,
			"line %d: disk-reserve takes a size such as 256M or 2G (K, M, "
			"G: KiB, MiB, GiB; at most 1024G; 0 for none)",
			line);
	*out = n * unit;
	return true;
}

int server_config_alert_minutes(const struct server_config *c, const char *queue)
{
	int any = 0;
	for (size_t i = 0; i < c->n_alerts; i++) {
		if (strcmp(c->alerts[i].queue, queue) == 0)
			return c->alerts[i].minutes;
		if (strcmp(c->alerts[i].queue, "*") == 0)
			any = c->alerts[i].minutes;
	}
	return any;
}

/* How a key's line is read. */
enum key_shape {
	SHAPE_REST,  /* the whole rest of the line, spaces and all, to parse() */
	SHAPE_WORDS, /* its words (the key, then up to two), to parse() */
	SHAPE_VALUE, /* exactly one value, read by type */
};

enum key_type {
	KEY_PATH,   /* a string, at most the field's size */
	KEY_NUMBER, /* a whole number from lo to hi, into an unsigned */
	KEY_PARSER, /* parse() does it all */
};

struct server_key {
	const char *name;
	enum key_shape shape;
	enum key_type type;
	size_t off, size; /* the field in struct server_config */
	long lo, hi;      /* a number's range; a token's role */
	bool (*parse)(const struct server_key *k, char **w, int n, int line,
		      struct server_config *out, struct feed_error *e);
	const char *help;
};

/* organizer|sensor|screen NAME TOKEN */
static bool parse_token(const struct server_key *k, char **w, int n, int line,
			struct server_config *out, struct feed_error *e)
{
	const char *key = k->name;
	enum token_role role = (enum token_role)k->lo;
	if (n != 3)
		return feed_error_set(e, "line %d: %s NAME TOKEN", line, key);
	if (out->n_tokens == CONFIG_MAX_TOKENS)
		return feed_error_set(e, "line %d: more than %d tokens", line, CONFIG_MAX_TOKENS);
	if (!token_ok(w[2]))
		return feed_error_set(e,
				      "line %d: the token of %.64s must be %d to %d "
				      "printable characters",
				      line, w[1], CONFIG_TOKEN_MIN, CONFIG_TOKEN_MAX);
	if (role == TOKEN_SCREEN && !screen_name_ok(w[1]))
		return feed_error_set(e,
				      "line %d: screen name '%.64s' may hold only "
				      "letters, digits, '-', '_' and '.'",
				      line, w[1]);
	struct config_token *t = &out->tokens[out->n_tokens];
	t->role = role;
	if (!copy(t->name, sizeof(t->name), w[1], line, key, e) ||
	    !copy(t->secret, sizeof(t->secret), w[2], line, key, e))
		return false;
	for (size_t j = 0; j < out->n_tokens; j++)
		if (strcmp(out->tokens[j].secret, t->secret) == 0)
			return feed_error_set(e,
					      "line %d: this token is already "
					      "given to %.64s",
					      line, out->tokens[j].name);
	/* t is not counted yet: the lookup sees only earlier lines */
	if (role == TOKEN_SCREEN && server_config_screen(out, t->name))
		return feed_error_set(e,
				      "line %d: screen %.64s already has a token: "
				      "each screen has its own",
				      line, t->name);
	out->n_tokens++;
	return true;
}

/* listen HOST:PORT */
static bool parse_listen(const struct server_key *k, char **w, int n, int line,
			 struct server_config *out, struct feed_error *e)
{
	(void)n;
	char *colon = strrchr(w[1], ':');
	char *end;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	if (!colon || *end || port < 0 || port > 65535 || colon == w[1])
		return feed_error_set(
			e, "line %d: listen HOST:PORT (port 0-65535, 0: any free port)", line);
	*colon = '\0';
	if (!copy(out->listen_host, sizeof(out->listen_host), w[1], line, k->name, e))
		return false;
	out->listen_port = (int)port;
	return true;
}

static bool parse_disk_reserve(const struct server_key *k, char **w, int n, int line,
			       struct server_config *out, struct feed_error *e)
{
	(void)k;
	(void)n;
	if (!parse_size(w[1], line, &out->disk_reserve, e))
		return false;
	out->disk_reserve_set = true;
	return true;
}

static bool parse_zone_line(const struct server_key *k, char **w, int n, int line,
			    struct server_config *out, struct feed_error *e)
{
	(void)k;
	(void)n;
	return parse_zone(w[0], line, out, e);
}

static bool parse_capacity_line(const struct server_key *k, char **w, int n, int line,
				struct server_config *out, struct feed_error *e)
{
	(void)k;
	(void)n;
	return parse_capacity(w[0], line, out, e);
}

static bool parse_alert_line(const struct server_key *k, char **w, int n, int line,
			     struct server_config *out, struct feed_error *e)
{
	(void)k;
	return parse_alert(w, n, line, out, e);
}

/* The lines of people counters (config_sources.c) take the rest of the line. */
static bool parse_source_line(const struct server_key *k, char **w, int n, int line,
			      struct server_config *out, struct feed_error *e)
{
	(void)n;
	bool (*const fns[])(const char *, int, struct server_config *, struct feed_error *) = {
		config_source_line, config_source_counter_line, config_source_login_line,
		config_source_field_line};
	return fns[k->lo](w[0], line, out, e);
}

#define FIELD(f) offsetof(struct server_config, f), sizeof(((struct server_config *)0)->f)
#define REST(k, fn, h)                                                                             \
	{                                                                                          \
		k, SHAPE_REST, KEY_PARSER, 0, 0, 0, 0, fn, h                                       \
	}
#define SOURCE(k, which, h)                                                                        \
	{                                                                                          \
		k, SHAPE_REST, KEY_PARSER, 0, 0, which, 0, parse_source_line, h                    \
	}
#define WORDS(k, fn, arg, h)                                                                       \
	{                                                                                          \
		k, SHAPE_WORDS, KEY_PARSER, 0, 0, arg, 0, fn, h                                    \
	}
#define PATH(k, f, h)                                                                              \
	{                                                                                          \
		k, SHAPE_VALUE, KEY_PATH, FIELD(f), 0, 0, NULL, h                                  \
	}
#define NUMBER(k, f, lo, hi, h)                                                                    \
	{                                                                                          \
		k, SHAPE_VALUE, KEY_NUMBER, FIELD(f), lo, hi, NULL, h                              \
	}
#define VALUE(k, fn, h)                                                                            \
	{                                                                                          \
		k, SHAPE_VALUE, KEY_PARSER, 0, 0, 0, 0, fn, h                                      \
	}

/* Every key of the file (server_config.h shows a whole file). */
static const struct server_key keys[] = {
	REST("zone", parse_zone_line, "ZONE SCREEN...: a zone and its screens"),
	REST("capacity", parse_capacity_line,
	     "ROOM SEATS: a room's seats (the name may hold spaces)"),
	WORDS("organizer", parse_token, TOKEN_ORGANIZER, "NAME TOKEN: who may publish and change"),
	WORDS("sensor", parse_token, TOKEN_SENSOR, "NAME TOKEN: a queue sensor"),
	WORDS("screen", parse_token, TOKEN_SCREEN, "NAME TOKEN: a kiosk's heartbeat"),
	WORDS("alert-wait", parse_alert_line, 0, "QUEUE MINUTES: warn the desk above this wait"),
	VALUE("listen", parse_listen, "HOST:PORT to serve on"),
	PATH("database", database, "the database file (required)"),
	PATH("schedule", schedule, "the first schedule"),
	PATH("timezone", timezone, "the zone of feeds without offsets"),
	PATH("tls-certificate", tls_certificate, "PEM certificate chain; none: plain HTTP"),
	PATH("tls-key", tls_key, "PEM private key, with the certificate"),
	PATH("bundle-dir", bundle_dir, "where uploaded bundles are kept"),
	NUMBER("max-bundle-mib", max_bundle_mib, 1, 16384, "the largest bundle upload"),
	VALUE("disk-reserve", parse_disk_reserve, "free space uploads leave: bytes, K, M, G"),
	NUMBER("max-connections", max_connections, 16, 100000, "connections served at once"),
	PATH("mqtt-broker", mqtt_broker, "mqtt://HOST[:PORT] or mqtts://: the devices' broker"),
	PATH("mqtt-login", mqtt_login, "a file holding user:password for the broker"),
	PATH("mqtt-ca-file", mqtt_ca_file, "the CA that signed an mqtts:// broker's certificate"),
	SOURCE("source", 0, "NAME FORMAT FROM queue:ID|room:ROOM: a people counter"),
	SOURCE("source-counter", 1, "NAME DEVICE-COUNTER ROLE: which counter is what"),
	SOURCE("source-login", 2, "NAME FILE: user:password for a polled device"),
	SOURCE("source-field", 3, "NAME FIELD POINTER [total|delta]: format json"),
};

/* The key the line starts with, followed by a space or a tab. */
static const struct server_key *rest_key(const char *line)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		size_t n = strlen(keys[i].name);
		if (keys[i].shape == SHAPE_REST && strncmp(line, keys[i].name, n) == 0 &&
		    (line[n] == ' ' || line[n] == '\t'))
			return &keys[i];
	}
	return NULL;
}

/* A key read word by word (never one that takes the rest of the line). */
static const struct server_key *word_key(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (keys[i].shape != SHAPE_REST && strcmp(key, keys[i].name) == 0)
			return &keys[i];
	return NULL;
}

/* One line, its comment cut off. */
static bool parse_line(char *line, int lineno, struct server_config *out, struct feed_error *e)
{
	const struct server_key *k = rest_key(line);
	if (k) {
		char *rest = line + strlen(k->name);
		return k->parse(k, &rest, 1, lineno, out, e);
	}
	char *w[4];
	int n = words(line, w, 3);
	if (n == 0)
		return true;
	if (n > 3)
		return feed_error_set(e, "line %d: too many words", lineno);
	k = word_key(w[0]);
	if (k && k->shape == SHAPE_WORDS)
		return k->parse(k, w, n, lineno, out, e);
	if (n != 2)
		return feed_error_set(e, "line %d: %.40s takes one value", lineno, w[0]);
	if (!k)
		return feed_error_set(e, "line %d: unknown setting '%.40s'", lineno, w[0]);
	char *field = (char *)out + k->off;
	char *end;
	long v;
	switch (k->type) {
	case KEY_PATH: return copy(field, k->size, w[1], lineno, k->name, e);
	case KEY_NUMBER:
		v = strtol(w[1], &end, 10);
		if (*end || v < k->lo || v > k->hi)
			return feed_error_set(e, "line %d: %s takes a number from %ld to %ld",
					      lineno, k->name, k->lo, k->hi);
		*(unsigned *)(void *)field = (unsigned)v;
		return true;
	case KEY_PARSER: break;
	}
	return k->parse(k, w, n, lineno, out, e);
}

/* A comment starts with '#' at the start of a line or after a space: an
 * MQTT topic's '#' wildcard (mqtt:irisys/#) is not one. */
static void comment_off(char *line)
{
	for (char *p = line; *p; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

/* The whole file read: what no single line can tell. */
static bool parse_finish(struct server_config *out, struct feed_error *e)
{
	if (!out->database[0])
		return feed_error_set(e, "no database set (database PATH)");
	for (size_t m = 0; m < out->n_members; m++)
		if (!server_config_screen(out, out->members[m].screen))
			return feed_error_set(e,
					      "zone %s: no screen named '%.64s' (each needs its "
					      "screen NAME TOKEN line)",
					      out->members[m].zone, out->members[m].screen);
	if (!out->tls_certificate[0] != !out->tls_key[0])
		return feed_error_set(e, "tls-certificate and tls-key go together: give both, or "
					 "neither for plain HTTP");
	bool organizer = false;
	for (size_t j = 0; j < out->n_tokens; j++)
		organizer |= out->tokens[j].role == TOKEN_ORGANIZER;
	if (!organizer)
		return feed_error_set(
			e, "no organizer token: nobody could publish or change anything");
	return config_sources_finish(out, e);
}

bool server_config_parse(const char *text, size_t len, struct server_config *out,
			 struct feed_error *e)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->listen_host, sizeof(out->listen_host), "127.0.0.1");
	out->listen_port = 8080;
	int lineno = 0;
	size_t i = 0;
	while (i < len) {
		char line[2048];
		size_t k = 0;
		lineno++;
		while (i < len && text[i] != '\n') {
			if (k + 1 < sizeof(line))
				line[k++] = text[i];
			else
				return feed_error_set(e, "line %d: longer than %zu bytes", lineno,
						      sizeof(line) - 1);
			i++;
		}
		i++;
		line[k] = '\0';
		if (k && line[k - 1] == '\r')
			line[--k] = '\0';
		comment_off(line);
		if (!parse_line(line, lineno, out, e))
			return false;
	}
	return parse_finish(out, e);
}

const struct config_token *server_config_check(const struct server_config *c, const char *presented,
					       enum token_role role)
{
	const struct config_token *hit = NULL;
	size_t plen = presented ? strlen(presented) : 0;
	if (plen == 0 || plen > CONFIG_TOKEN_MAX)
		return NULL;
	/* Compare with every token, every byte: timing says nothing of which. */
	for (size_t i = 0; i < c->n_tokens; i++) {
		const char *s = c->tokens[i].secret;
		size_t slen = strlen(s);
		unsigned char diff = (unsigned char)(slen != plen);
		for (size_t k = 0; k < CONFIG_TOKEN_MAX; k++) {
			unsigned char a = k < plen ? (unsigned char)presented[k] : 0;
			unsigned char b = k < slen ? (unsigned char)s[k] : 0;
			diff |= a ^ b;
		}
		if (!diff && c->tokens[i].role == role)
			hit = &c->tokens[i];
	}
	return hit;
}

const struct config_token *server_config_screen(const struct server_config *c, const char *name)
{
	for (size_t i = 0; name && i < c->n_tokens; i++)
		if (c->tokens[i].role == TOKEN_SCREEN && strcmp(c->tokens[i].name, name) == 0)
			return &c->tokens[i];
	return NULL;
}
