/* fuzz_sensor: the first byte picks a people counter's format (not
 * venueboard), the rest is its payload; a refusal must say why, and every
 * reading must be one the sources can take. */
#include "sensor_read.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	enum sensor_format f = (enum sensor_format)(data[0] % 6);
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
	return 0;
}
