/* api_forecast: each lunch line's next hour for GET /v1/queues and /metrics
 * (the forecaster of feeds/lib, fed the same samples as the now-cast, and
 * the schedule as served), and the desk's alert when a line is forecast
 * above the wait the configuration sets for it (alert-wait). A forecast whose
 * record is worse than a baseline's is withheld (feeds/lib/forecast_record):
 * its points are null, it raises no alert, and the log says so once. */
#include "api_internal.h"

#include "civil_time.h"
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* An alert ends once the forecast falls this far below the threshold: a
 * forecast that hovers at it must not raise and end it every minute. */
static const double ALERT_CLEAR = 0.8;

void api_outlook_schedule(struct api *api)
{
	forecaster_set_schedule(api->queues.fc, served_model(api));
	for (size_t i = 0; i < ESTIMATOR_MAX_QUEUES; i++)
		api->queues.outlook[i].made_ms = 0; /* worked out again */
}

/* "12:40" in the conference's zone (UTC when the schedule names none). */
static void local_hhmm(const struct api *api, int64_t t_ms, char out[8])
{
	const struct schedule *s = served_model(api);
	struct civil c;
	civil_from_utc_in(t_ms / 1000, s ? s->zone : NULL, &c);
	snprintf(out, 8, "%02d:%02d", c.hour % 24, c.minute % 60);
}

static const char *queue_name(const struct api *api, size_t i)
{
	const char *name = api->queues.names[i];
	return *name ? name : estimator_queue_id(api->queues.est, i);
}

/* "30 min ahead its last 24 forecasts were off by 9.5 min on average, 'stays
 * as it is' by 0.2 min": the record of queue i's first withheld horizon, or
 * of its 30 minutes when none is. */
static void record_words(const struct api *api, size_t i, char *out, size_t cap)
{
	struct forecast_score at;
	int minutes = 0;
	size_t h = 0;
	while (h < FORECAST_RECORD_HORIZONS &&
	       !(forecaster_record(api->queues.fc, i, h, &minutes, &at) &&
		 at.basis != FORECAST_BASIS_MODEL))
		h++;
	if (h == FORECAST_RECORD_HORIZONS)
		forecaster_record(api->queues.fc, i, 1, &minutes, &at);
	snprintf(out, cap,
		 "%d min ahead its last %d forecasts were off by %.1f min on average, "
		 "'stays as it is' by %.1f min, the same time on earlier days by %.1f min",
		 minutes, at.n, at.model_s / 60.0, at.persistence_s / 60.0, at.same_time_s / 60.0);
}

/* Says once when queue i's forecast becomes withheld, gives way to the
 * earlier days' same time, or is the model's again. */
static void say_withheld(struct api *api, size_t i, struct queue_outlook *o, bool was,
			 bool was_same)
{
	if (o->withheld == was && o->same_time == was_same)
		return;
	char why[240];
	record_words(api, i, why, sizeof(why));
	api_logf(api, "INFO", "lunch line %s: forecast %s: %s", queue_name(api, i),
		 o->withheld    ? "withheld"
		 : o->same_time ? "from the same time on earlier days"
				: "the model's again",
		 why);
}

/* Raises or ends queue i's alert from its outlook, and says so in the log.
 * Withheld points are not known: a withheld forecast raises nothing. */
static void judge(struct api *api, size_t i, struct queue_outlook *o)
{
	const char *id = estimator_queue_id(api->queues.est, i);
	int minutes = server_config_alert_minutes(api->config, id);
	double limit = minutes * 60.0, peak = -1;
	int at = -1;
	for (int k = 0; k < API_OUTLOOK_POINTS; k++)
		if (o->points[k].known && o->points[k].wait_s > peak)
			peak = o->points[k].wait_s, at = k;
	bool was = o->alert;
	if (!minutes || at < 0)
		o->alert = false;
	else if (peak >= limit)
		o->alert = true;
	else if (peak < ALERT_CLEAR * limit)
		o->alert = false;
	if (o->alert)
		o->alert_point = at;
	char hhmm[8];
	if (o->alert && !was) {
		local_hhmm(api, o->at_ms[at], hhmm);
		api_logf(api, "WARN",
			 "lunch line %s: forecast %.0f min at %s, above the %d min of "
			 "alert-wait: open more stations?",
			 queue_name(api, i), peak / 60.0, hhmm, minutes);
	} else if (!o->alert && was) {
		if (o->withheld)
			api_logf(api, "INFO",
				 "lunch line %s: alert ended: the forecast is withheld",
				 queue_name(api, i));
		else
			api_logf(api, "INFO", "lunch line %s: forecast back below %d min",
				 queue_name(api, i), minutes);
	}
}

const struct queue_outlook *api_outlook(struct api *api, size_t i, int64_t t_ms)
{
	struct queue_outlook *o = &api->queues.outlook[i];
	int64_t newest = estimator_queue_newest_ms(api->queues.est, i);
	if (o->made_ms && o->newest_ms == newest && o->made_ms / 60000 == t_ms / 60000)
		return o;
	/* the multiples of five minutes of the clock in the next hour */
	int64_t step = API_OUTLOOK_STEP_S * 1000LL;
	for (int k = 0; k < API_OUTLOOK_POINTS; k++)
		o->at_ms[k] = (t_ms / step + 1 + k) * step;
	forecaster_predict_series(api->queues.fc, i, t_ms, o->at_ms, API_OUTLOOK_POINTS, o->points);
	o->made_ms = t_ms;
	o->newest_ms = newest;
	o->days = forecaster_days_learned(api->queues.fc, i);
	bool was = o->withheld, was_same = o->same_time;
	o->withheld = o->same_time = false;
	for (int k = 0; k < API_OUTLOOK_POINTS; k++) {
		o->withheld |= o->points[k].withheld;
		o->same_time |= o->points[k].basis == FORECAST_BASIS_SAME_TIME;
	}
	say_withheld(api, i, o, was, was_same);
	judge(api, i, o);
	return o;
}

static void add_seconds(cJSON *o, const char *key, bool known, double s)
{
	if (known)
		cJSON_AddNumberToObject(o, key, (double)(int64_t)(s + 0.5));
	else
		cJSON_AddNullToObject(o, key);
}

void api_outlook_json(struct api *api, size_t i, int64_t t_ms, cJSON *o)
{
	const struct queue_outlook *q = api_outlook(api, i, t_ms);
	char t[21];
	cJSON *f = cJSON_AddObjectToObject(o, "forecast");
	civil_format_utc(q->made_ms / 1000, t);
	cJSON_AddStringToObject(f, "t", t);
	cJSON_AddNumberToObject(f, "days_learned", q->days);
	cJSON *points = cJSON_AddArrayToObject(f, "points");
	for (int k = 0; k < API_OUTLOOK_POINTS; k++) {
		const struct forecast *p = &q->points[k];
		cJSON *x = cJSON_CreateObject();
		civil_format_utc(q->at_ms[k] / 1000, t);
		cJSON_AddStringToObject(x, "at", t);
		add_seconds(x, "wait_s", p->known, p->wait_s);
		add_seconds(x, "low_s", p->known, p->low_s);
		add_seconds(x, "high_s", p->known, p->high_s);
		if (p->known && p->basis == FORECAST_BASIS_SAME_TIME) /* optional */
			cJSON_AddStringToObject(x, "basis", "same_time");
		cJSON_AddItemToArray(points, x);
	}
	/* optional (contracts: fields are only added): why points are null */
	if (q->withheld)
		cJSON_AddTrueToObject(f, "withheld");
	cJSON *rec = cJSON_AddArrayToObject(f, "record");
	for (size_t h = 0; h < FORECAST_RECORD_HORIZONS; h++) {
		struct forecast_score sc;
		int minutes;
		if (!forecaster_record(api->queues.fc, i, h, &minutes, &sc))
			continue;
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "ahead_min", minutes);
		cJSON_AddNumberToObject(x, "n", sc.n);
		add_seconds(x, "model_s", sc.n > 0, sc.model_s);
		add_seconds(x, "persistence_s", sc.n > 0, sc.persistence_s);
		add_seconds(x, "same_time_s", sc.n > 0, sc.same_time_s);
		cJSON_AddBoolToObject(x, "withheld", sc.withheld);
		cJSON_AddStringToObject(x, "shows",
					sc.basis == FORECAST_BASIS_MODEL ? "model"
					: sc.withheld                    ? "now"
									 : "same_time");
		cJSON_AddItemToArray(rec, x);
	}
	if (!q->alert)
		return;
	const struct forecast *peak = &q->points[q->alert_point];
	int minutes =
		server_config_alert_minutes(api->config, estimator_queue_id(api->queues.est, i));
	cJSON *a = cJSON_AddObjectToObject(o, "alert");
	civil_format_utc(q->at_ms[q->alert_point] / 1000, t);
	cJSON_AddStringToObject(a, "at", t);
	add_seconds(a, "wait_s", true, peak->wait_s);
	cJSON_AddNumberToObject(a, "threshold_s", minutes * 60);
	char hhmm[8], text[QUEUE_NAME_MAX + 96];
	local_hhmm(api, q->at_ms[q->alert_point], hhmm);
	snprintf(text, sizeof(text),
		 "%s: \xE2\x89\x88 %.0f min at %s \xE2\x80\x94 open more stations?",
		 queue_name(api, i), ceil(peak->wait_s / 60.0), hhmm);
	cJSON_AddStringToObject(a, "text", text);
}
