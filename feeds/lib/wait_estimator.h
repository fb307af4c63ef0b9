/* wait_estimator: "if I join the line now, how long until I leave with my
 * food?" for each catering point, from faulty lunch-line sensors, and whether
 * that number can be trusted. Causal: an estimate at t uses only what was
 * added before it. See feeds/ESTIMATION.md for the method. */
#ifndef VB_WAIT_ESTIMATOR_H
#define VB_WAIT_ESTIMATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "queue_sample.h"

enum {
	ESTIMATOR_MAX_QUEUES = 64,
	ESTIMATOR_MAX_SENSORS = 16, /* per queue */
};

enum confidence { CONFIDENCE_GOOD, CONFIDENCE_DEGRADED, CONFIDENCE_NONE };

struct wait_estimate {
	const char *queue; /* borrowed from the estimator */
	int64_t t_ms;
	bool known;    /* false: no usable data (confidence none), wait unknown */
	double wait_s; /* for a person joining at t, entry line to exit line */
	double people; /* estimated number in the line */
	enum confidence confidence;
	const char *why; /* for logs: what degrades it, "" when good (static) */
};

struct estimator;

/* Returns a new estimator (caller owns; estimator_destroy), NULL on OOM. */
struct estimator *estimator_create(void);
void estimator_destroy(struct estimator *est);

/* Applies one sample (room counts are not about a line: ignored). Samples
 * should come roughly in time order; a few seconds of disorder is absorbed.
 * False (e filled) past the caps. */
bool estimator_add(struct estimator *est, const struct queue_sample *s, struct feed_error *e);

size_t estimator_queue_count(const struct estimator *est);
const char *estimator_queue_id(const struct estimator *est, size_t i);

/* The time of the latest timed sample added for queue i, INT64_MIN before
 * any: each queue's own clock (one sensor's clock never moves another's). */
int64_t estimator_queue_newest_ms(const struct estimator *est, size_t i);

/* The estimate for queue i at t_ms (not before the samples already added). */
void estimator_estimate(struct estimator *est, size_t i, int64_t t_ms, struct wait_estimate *out);

/* How fast queue i serves as of t_ms, for looking ahead: the open stations,
 * people per second at one station usually and in the current spell, and
 * how long the spell has lasted (Gott: as long again is as likely as not). */
struct serving_pace {
	int stations;
	double usual_per_s, spell_per_s;
	double spell_age_s; /* 0: no spell */
};
void estimator_pace(struct estimator *est, size_t i, int64_t t_ms, struct serving_pace *out);

/* Seconds to serve ahead people at pace p, starting from_s seconds after
 * the moment p describes (the spell then has from_s more seconds to run). */
double serving_pace_time(const struct serving_pace *p, double ahead, double from_s);

const char *estimator_confidence_name(enum confidence c);

/* Bytes of state one queue takes (fixed: nothing grows with time). */
size_t estimator_queue_state_bytes(void);

#endif
