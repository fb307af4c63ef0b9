/* forecast_record: is the forecast worth showing? A line's record of its
 * forecaster's errors and of two baselines' — persistence (the wait shown
 * now stays as it is) and same time (the now-cast at that clock time on the
 * earlier days, averaged) — per horizon, and the verdict: where the model's
 * record is worse than the better baseline's, that baseline is shown instead:
 * the same-time value as the forecast, or for persistence only the wait now
 * (the forecast withheld). Pure plain data, owned by the caller (one per queue); time comes in as
 * local days and minutes. See feeds/ESTIMATION.md (Forecast, Method 8). */
#ifndef VB_FORECAST_RECORD_H
#define VB_FORECAST_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FORECAST_RECORD_HORIZONS = 3, /* the self-check's: 15, 30 and 60 minutes ahead */
	FORECAST_RECORD_KEEP = 24,    /* scored checks kept per horizon: two hours of them */
	FORECAST_RECORD_MIN = 8,      /* fewer scored: the model stands */
	FORECAST_RECORD_DAYS = 15,    /* today and the 14 earlier days of the now-cast */
	FORECAST_RECORD_SLOT_MIN = 5, /* the now-cast kept every 5 minutes of the local day */
	FORECAST_RECORD_SLOTS = 1440 / FORECAST_RECORD_SLOT_MIN,
};

/* What a horizon shows: the model's forecast, the same-time baseline's
 * value in its place, or nothing but "now" (persistence: withheld). */
enum forecast_basis { FORECAST_BASIS_MODEL, FORECAST_BASIS_SAME_TIME, FORECAST_BASIS_NOW };

/* One horizon's record, as reports show it. */
struct forecast_score {
	int n;                     /* scored checks, at most FORECAST_RECORD_KEEP */
	double model_s;            /* mean absolute error of the forecast, seconds */
	double persistence_s;      /* ... of "the wait now stays as it is" */
	double same_time_s;        /* ... of the earlier days' wait at that clock time */
	bool withheld;             /* the verdict: the forecast is not shown (worse than
				   * persistence, and persistence the better baseline) */
	enum forecast_basis basis; /* the verdict in full */
	double same_time_spread_s; /* 80 % of the same-time errors are within this */
};

struct forecast_record_errors {
	float model, persistence, same_time; /* absolute, seconds */
};

struct forecast_record {
	struct forecast_record_errors ring[FORECAST_RECORD_HORIZONS][FORECAST_RECORD_KEEP];
	size_t n[FORECAST_RECORD_HORIZONS], head[FORECAST_RECORD_HORIZONS];
	enum forecast_basis basis[FORECAST_RECORD_HORIZONS];
	size_t today[FORECAST_RECORD_HORIZONS]; /* checks scored since the model's last fit */
	/* the now-cast's wait in seconds per slot of each local day, -1 unknown;
	 * a ring of days, the newest today */
	int16_t wait[FORECAST_RECORD_DAYS][FORECAST_RECORD_SLOTS];
	int64_t day[FORECAST_RECORD_DAYS];
	size_t days_head, days_n;
};

/* Empties r (nothing scored, no day known). */
void forecast_record_init(struct forecast_record *r);

/* One check of horizon h scored: the absolute errors of the model and of the
 * two baselines against the now-cast at the forecast's moment. Moves the
 * verdict (with hysteresis: see forecast_record.c). */
void forecast_record_score(struct forecast_record *r, size_t h, double model_err,
			   double persistence_err, double same_time_err);

/* The model was fitted again (a new day): the same time must show again,
 * on checks of this model, that it does better. */
void forecast_record_new_day(struct forecast_record *r);

/* Whether horizon h's forecast is withheld now (basis FORECAST_BASIS_NOW). */
bool forecast_record_withheld(const struct forecast_record *r, size_t h);

/* What horizon h shows now. */
enum forecast_basis forecast_record_basis(const struct forecast_record *r, size_t h);

/* Horizon h's record into out. */
void forecast_record_get(const struct forecast_record *r, size_t h, struct forecast_score *out);

/* The p-th quantile (0..1, interpolated) of v[0..n), which it sorts; 0
 * when n is 0. */
double forecast_quantile(float *v, size_t n, double p);

/* The now-cast's wait (seconds, < 0: unknown) at minute (0..1439) of local
 * day; a day earlier than the newest noted is ignored (a clock gone back). */
void forecast_record_note(struct forecast_record *r, int64_t day, int minute, double wait_s);

/* The same-time baseline for a moment at minute of local day: the mean of the
 * now-cast's waits in that slot on the days before it; fallback (the
 * persistence value) when no earlier day knows the slot. */
double forecast_record_same_time(const struct forecast_record *r, int64_t day, int minute,
				 double fallback);

#endif
