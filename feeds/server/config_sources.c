/* config_sources: people counters in the server's configuration. A source's
 * name is a sensor token's name, a URL part (/v1/ingest/NAME) and a metric
 * label, so it is kept to letters, digits, '-', '_' and '.'. */
#include "config_sources.h"

#include "queue_sample.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next word of *s (spaces and tabs between) into out (cap bytes);
 * false when there is none or it does not fit. */
static bool next_word(const char **s, char *out, size_t cap)
{
	const char *p = *s;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, " \t");
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	*s = p + n;
	return true;
}

/* What is left of s, spaces trimmed at both ends, into out; false when
 * empty or too long. */
static bool rest_of(const char *s, char *out, size_t cap)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static struct sensor_source_config *source_named(struct server_config *c, const char *name)
{
	for (size_t i = 0; i < c->n_sources; i++)
		if (strcmp(c->sources[i].name, name) == 0)
			return &c->sources[i];
	return NULL;
}

const struct sensor_source_config *server_config_source(const struct server_config *c,
							const char *name)
{
	return source_named((struct server_config *)c, name);
}

/* poll:URL[@SECONDS]: the period is the digits after the last '@' (a URL's
 * user@host is not digits to its end). */
static bool parse_poll(const char *v, struct sensor_source_config *s)
{
	const char *at = strrchr(v, '@');
	size_t len = strlen(v);
	s->period_s = SENSOR_DEFAULT_PERIOD_S;
	if (at && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1)) {
		long p = strtol(at + 1, NULL, 10);
		if (strlen(at + 1) > 6 || p < SENSOR_MIN_PERIOD_S)
			return false;
		s->period_s = (int)p;
		len = (size_t)(at - v);
	}
	if (len >= sizeof(s->url) ||
	    (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0))
		return false;
	memcpy(s->url, v, len);
	s->url[len] = '\0';
	return true;
}

static bool parse_from(const char *from, struct sensor_source_config *s, int line,
		       struct feed_error *e)
{
	snprintf(s->from_text, sizeof(s->from_text), "%s", from);
	if (strcmp(from, "push") == 0) {
		s->from = SENSOR_FROM_PUSH;
		return true;
	}
	if (strncmp(from, "mqtt:", 5) == 0 && from[5] && strlen(from + 5) < sizeof(s->topic)) {
		s->from = SENSOR_FROM_MQTT;
		snprintf(s->topic, sizeof(s->topic), "%s", from + 5);
		return true;
	}
	if (strncmp(from, "poll:", 5) == 0 && parse_poll(from + 5, s)) {
		s->from = SENSOR_FROM_POLL;
		return true;
	}
	return feed_error_set(e,
			      "line %d: source %s: FROM is mqtt:TOPIC, push, or "
			      "poll:http(s)://URL[@SECONDS] (at least every %d s), not '%.80s'",
			      line, s->name, SENSOR_MIN_PERIOD_S, from);
}

static bool parse_target(const char *rest, struct sensor_source_config *s, int line,
			 struct feed_error *e)
{
	char t[SENSOR_TARGET_MAX + 8];
	bool ok = rest_of(rest, t, sizeof(t));
	if (ok && strncmp(t, "queue:", 6) == 0 && t[6] && strlen(t + 6) <= QUEUE_ID_MAX &&
	    !strpbrk(t + 6, " \t")) {
		s->room = false;
		snprintf(s->target, sizeof(s->target), "%s", t + 6);
		return true;
	}
	if (ok && strncmp(t, "room:", 5) == 0 && t[5] && strlen(t + 5) <= SENSOR_TARGET_MAX) {
		s->room = true;
		snprintf(s->target, sizeof(s->target), "%s", t + 5);
		return true;
	}
	return feed_error_set(e,
			      "line %d: source %s: the target is queue:QUEUE-ID (at most %d "
			      "bytes) or room:ROOM NAME",
			      line, s->name, QUEUE_ID_MAX);
}

bool config_source_line(const char *rest, int line, struct server_config *out, struct feed_error *e)
{
	char name[SENSOR_NAME_MAX + 2], format[40], from[SENSOR_FROM_MAX + 1];
	const char *p = rest;
	if (!next_word(&p, name, sizeof(name)) || !next_word(&p, format, sizeof(format)) ||
	    !next_word(&p, from, sizeof(from)))
		return feed_error_set(e, "line %d: source NAME FORMAT FROM queue:ID|room:ROOM",
				      line);
	if (strlen(name) > SENSOR_NAME_MAX || !text_is_name(name, SENSOR_NAME_MAX))
		return feed_error_set(e,
				      "line %d: source name '%.70s' may hold only letters, "
				      "digits, '-', '_' and '.' (at most %d)",
				      line, name, SENSOR_NAME_MAX);
	if (source_named(out, name))
		return feed_error_set(e, "line %d: source %s given twice", line, name);
	if (out->n_sources == CONFIG_MAX_SOURCES)
		return feed_error_set(e, "line %d: more than %d sources", line, CONFIG_MAX_SOURCES);
	struct sensor_source_config *s = &out->sources[out->n_sources];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%.*s", SENSOR_NAME_MAX, name);
	if (!sensor_format_named(format, &s->format))
		return feed_error_set(e,
				      "line %d: source %s: unknown format '%.40s' (irisys, xovis, "
				      "axis-people-counter, axis-object-analytics, hikvision, "
				      "json, venueboard)",
				      line, name, format);
	if (!parse_from(from, s, line, e) || !parse_target(p, s, line, e))
		return false;
	out->n_sources++;
	return true;
}

/* The source a source-… line names (its first word), which must come after
 * its source line. */
static struct sensor_source_config *named_source(const char **p, const char *key, int line,
						 struct server_config *out, struct feed_error *e)
{
	char name[SENSOR_NAME_MAX + 2];
	if (!next_word(p, name, sizeof(name))) {
		feed_error_set(e, "line %d: %s NAME …: which source?", line, key);
		return NULL;
	}
	struct sensor_source_config *s = source_named(out, name);
	if (!s)
		feed_error_set(e, "line %d: %s %.70s: no source line of that name above", line, key,
			       name);
	return s;
}

bool config_source_counter_line(const char *rest, int line, struct server_config *out,
				struct feed_error *e)
{
	const char *p = rest;
	struct sensor_source_config *s = named_source(&p, "source-counter", line, out, e);
	if (!s)
		return false;
	char both[SENSOR_COUNTER_MAX + 40];
	if (!rest_of(p, both, sizeof(both)))
		return feed_error_set(e, "line %d: source-counter %s DEVICE-COUNTER ROLE", line,
				      s->name);
	char *space = strrchr(both, ' '), *tab = strrchr(both, '\t');
	char *cut = space > tab ? space : tab;
	struct sensor_counter_map m;
	char counter[sizeof(both)];
	if (!cut || !sensor_role_named(cut + 1, &m.role))
		return feed_error_set(e,
				      "line %d: source-counter %s DEVICE-COUNTER ROLE: the last "
				      "word is entry, exit, occupancy or people",
				      line, s->name);
	*cut = '\0';
	if (!rest_of(both, counter, sizeof(counter)) || strlen(counter) > SENSOR_COUNTER_MAX)
		return feed_error_set(e,
				      "line %d: source-counter %s: the device's counter name "
				      "(1 to %d bytes) comes before the role",
				      line, s->name, SENSOR_COUNTER_MAX);
	for (size_t i = 0; i < s->n_counters; i++)
		if (strcmp(s->counters[i].counter, counter) == 0)
			return feed_error_set(e, "line %d: source-counter %s '%.60s' given twice",
					      line, s->name, counter);
	if (s->n_counters == SENSOR_MAX_COUNTERS)
		return feed_error_set(e, "line %d: source %s: more than %d counters", line, s->name,
				      SENSOR_MAX_COUNTERS);
	snprintf(m.counter, sizeof(m.counter), "%.*s", SENSOR_COUNTER_MAX, counter);
	s->counters[s->n_counters++] = m;
	return true;
}

bool config_source_login_line(const char *rest, int line, struct server_config *out,
			      struct feed_error *e)
{
	const char *p = rest;
	struct sensor_source_config *s = named_source(&p, "source-login", line, out, e);
	if (!s)
		return false;
	if (!rest_of(p, s->login_file, sizeof(s->login_file)))
		return feed_error_set(e, "line %d: source-login %s FILE (user:password in it)",
				      line, s->name);
	return true;
}

bool config_source_field_line(const char *rest, int line, struct server_config *out,
			      struct feed_error *e)
{
	const char *p = rest;
	struct sensor_source_config *s = named_source(&p, "source-field", line, out, e);
	if (!s)
		return false;
	struct sensor_field f = {0};
	char how[16] = "total", extra[8];
	bool ok = next_word(&p, f.field, sizeof(f.field)) &&
		  next_word(&p, f.pointer, sizeof(f.pointer));
	if (ok && next_word(&p, how, sizeof(how)) && next_word(&p, extra, sizeof(extra)))
		ok = false;
	static const char *const fields[] = {"t", "entry", "exit", "occupancy", "people"};
	bool known = false;
	for (size_t i = 0; ok && i < sizeof(fields) / sizeof(*fields); i++)
		known |= strcmp(f.field, fields[i]) == 0;
	if (!ok || !known || (f.pointer[0] && f.pointer[0] != '/') ||
	    (strcmp(how, "total") && strcmp(how, "delta")))
		return feed_error_set(e,
				      "line %d: source-field %s FIELD JSON-POINTER [total|delta]: "
				      "FIELD is t, entry, exit, occupancy or people; the pointer "
				      "starts with '/' (RFC 6901)",
				      line, s->name);
	f.delta = strcmp(how, "delta") == 0;
	for (size_t i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].field, f.field) == 0)
			return feed_error_set(e, "line %d: source-field %s %s given twice", line,
					      s->name, f.field);
	if (s->n_fields == SENSOR_MAX_FIELDS)
		return feed_error_set(e, "line %d: source %s: more than %d fields", line, s->name,
				      SENSOR_MAX_FIELDS);
	s->fields[s->n_fields++] = f;
	return true;
}

static bool broker_ok(const char *url)
{
	return strncmp(url, "mqtt://", 7) == 0    ? url[7] != '\0'
	       : strncmp(url, "mqtts://", 8) == 0 ? url[8] != '\0'
						  : false;
}

bool config_sources_finish(const struct server_config *c, struct feed_error *e)
{
	if (c->mqtt_broker[0] && !broker_ok(c->mqtt_broker))
		return feed_error_set(e,
				      "mqtt-broker is mqtt://HOST[:PORT] or mqtts://HOST[:PORT], "
				      "not '%.80s'",
				      c->mqtt_broker);
	for (size_t i = 0; i < c->n_sources; i++) {
		const struct sensor_source_config *s = &c->sources[i];
		if (!sensor_source_check(s, e))
			return false;
		if (s->from == SENSOR_FROM_MQTT && !c->mqtt_broker[0])
			return feed_error_set(e, "source %s: mqtt:%s needs an mqtt-broker line",
					      s->name, s->topic);
		bool token = false;
		for (size_t k = 0; k < c->n_tokens; k++)
			token |= c->tokens[k].role == TOKEN_SENSOR &&
				 strcmp(c->tokens[k].name, s->name) == 0;
		if (s->from == SENSOR_FROM_PUSH && !token)
			return feed_error_set(e,
					      "source %s: push needs the device's token: a line "
					      "'sensor %s TOKEN'",
					      s->name, s->name);
		if (s->login_file[0] && s->from != SENSOR_FROM_POLL)
			return feed_error_set(e, "source %s: source-login is for poll: sources",
					      s->name);
	}
	return true;
}
