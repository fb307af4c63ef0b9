/* fuzz_sensor: the first byte picks a people counter's format, the rest is
 * its payload; a refusal must say why, and every reading must be one the
 * sources can take. Then the payload goes through a source (sensor_source,
 * venueboard lines too), twice: every sample it makes reads back as a
 * contracts §1 line, and the second time makes none that the first did not
 * already date. */
#include "queue_sample.h"
#include "sensor_read.h"
#include "sensor_source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every line a source makes reads back as a sample. */
static void check_lines(const struct sensor_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct queue_sample s;
		struct feed_error e;
		if (queue_sample_parse(l->line[i], strlen(l->line[i]), &s, &e) != SAMPLE_OK)
			abort();
	}
}

static void through_source(enum sensor_format f, const uint8_t *data, size_t size,
			   const struct sensor_read_opts *o)
{
	struct sensor_source_config c;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "fuzz");
	snprintf(c.target, sizeof(c.target), "q");
	c.format = f;
	c.from = SENSOR_FROM_MQTT;
	snprintf(c.topic, sizeof(c.topic), "#");
	static const char *const counters[] = {"In",        "Out", "Entrance/fw",
					       "Salle 241", "in",  "enter"};
	for (size_t i = 0; i < sizeof(counters) / sizeof(*counters); i++) {
		snprintf(c.counters[i].counter, sizeof(c.counters[i].counter), "%s", counters[i]);
		c.counters[i].role = i % 2 ? SENSOR_ROLE_EXIT : SENSOR_ROLE_ENTRY;
	}
	c.n_counters = f == SENSOR_JSON || f == SENSOR_VENUEBOARD ? 0 : 6;
	memcpy(c.fields, o->fields, o->n_fields * sizeof(*o->fields));
	c.n_fields = f == SENSOR_JSON ? o->n_fields : 0;
	/* a clock after any time a payload is likely to hold: most readings are taken */
	const int64_t now = 4102444800000LL; /* 2100-01-01 */
	struct sensor_source_state *st = sensor_source_state_new(now);
	struct sensor_lines a = {0}, b = {0};
	struct sensor_take_info info;
	struct feed_error e;
	e.msg[0] = '\0';
	bool ok = sensor_source_take(&c, st, (const char *)data, size, o, now, &a, &info, &e);
	if (!ok && (!e.msg[0] || a.n))
		abort(); /* a refusal says why and makes nothing */
	check_lines(&a);
	if (ok && sensor_source_take(&c, st, (const char *)data, size, o, now, &b, &info, &e)) {
		check_lines(&b);
		/* the same payload again: readings with a device time are known */
		if (f != SENSOR_JSON && f != SENSOR_IRISYS && f != SENSOR_VENUEBOARD && b.n > a.n)
			abort();
	}
	sensor_lines_free(&a);
	sensor_lines_free(&b);
	sensor_source_state_free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sensor_payload p; /* 64 KiB: not on the fuzzer's stack */
	static const struct sensor_field fields[] = {
		{"t", "/t", false},
		{"entry", "/counts/0/value", false},
		{"exit", "/a~1b/1", true},
	};
	if (size < 1)
		return 0;
	const struct sensor_read_opts o = {
		.topic = "axis/ACCC8E000000/event/CameraApplicationPlatform/ObjectAnalytics/"
			 "Device1Scenario1",
		.fields = fields,
		.n_fields = sizeof(fields) / sizeof(fields[0]),
	};
	/* the seeds start with the format's digit ('0' irisys … '6' venueboard) */
	unsigned pick =
		data[0] >= '0' && data[0] < '0' + SENSOR_N_FORMATS ? data[0] - '0' : data[0];
	enum sensor_format f = (enum sensor_format)(pick % SENSOR_N_FORMATS);
	if (f == SENSOR_VENUEBOARD) {
		through_source(f, data + 1, size - 1, &o);
		return 0;
	}
	struct feed_error e;
	e.msg[0] = '\0';
	if (!sensor_read(f, (const char *)data + 1, size - 1, &o, &p, &e)) {
		if (!e.msg[0] || p.n != 0)
			abort(); /* a refusal says why, and yields nothing */
		return 0;
	}
	if (p.n > SENSOR_MAX_READINGS)
		abort();
	for (size_t i = 0; i < p.n; i++) {
		const struct sensor_reading *r = &p.r[i];
		if (r->value < 0 || !memchr(r->counter, '\0', sizeof(r->counter)) || !r->counter[0])
			abort();
		if (r->kind != SENSOR_TOTAL && r->kind != SENSOR_DELTA)
			abort();
	}
	through_source(f, data + 1, size - 1, &o);
	return 0;
}
