/* api_health: what monitoring reads — /healthz (which says "failing" when
 * writes do not reach the database, not just that the process is up) and
 * /metrics (Prometheus text, every label value escaped). */
#include "api_internal.h"

#include "store.h"
#include "wait_estimator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_get_health(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	struct write_health *h = &api->health;
	/* with no writes coming in, a write now and then still tells whether
	 * they would work (a full disk, a file system remounted read-only); a
	 * recent write already told, and /healthz must stay quick */
	if (req->now_ms - h->checked_ms >= API_HEALTH_PROBE_S * 1000LL ||
	    req->now_ms < h->checked_ms) {
		struct feed_error e = {{0}};
		api_write_result(api, store_probe(api->store, req->now_ms, &e), e.msg, req->now_ms);
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", h->failing ? "failing" : "ok");
	if (h->failing)
		cJSON_AddStringToObject(o, "error", h->why);
	cJSON_AddNumberToObject(o, "schedule_version", (double)served_version(api));
	cJSON_AddNumberToObject(o, "sessions", (double)served_sessions(api));
	cJSON_AddNumberToObject(o, "queues", (double)estimator_queue_count(api->queues.est));
	cJSON_AddNumberToObject(o, "screens", (double)api_screens_seen(api));
	api_respond(res, h->failing ? 503 : 200, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
	res->cache_control = "no-store";
}

void api_get_metrics(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	struct api_buf b = {0};
	api_buf_printf(&b,
		       "# TYPE venueboard_requests_total counter\n"
		       "venueboard_requests_total %llu\n"
		       "# TYPE venueboard_not_modified_total counter\n"
		       "venueboard_not_modified_total %llu\n"
		       "# TYPE venueboard_samples_accepted_total counter\n"
		       "venueboard_samples_accepted_total %llu\n",
		       (unsigned long long)api->requests, (unsigned long long)api->not_modified,
		       (unsigned long long)api->samples_accepted);
	api_buf_printf(&b,
		       "# TYPE venueboard_samples_refused_total counter\n"
		       "venueboard_samples_refused_total %llu\n"
		       "# TYPE venueboard_schedule_version gauge\n"
		       "venueboard_schedule_version %lld\n"
		       "# TYPE venueboard_database_writes_failing gauge\n"
		       "venueboard_database_writes_failing %d\n",
		       (unsigned long long)api->samples_refused, (long long)served_version(api),
		       api->health.failing ? 1 : 0);
	api_buf_printf(&b, "# TYPE venueboard_queue_last_sample_age_seconds gauge\n");
	struct estimator *est = api->queues.est;
	for (size_t i = 0; i < estimator_queue_count(est); i++) {
		int64_t newest = estimator_queue_newest_ms(est, i);
		double age = newest == INT64_MIN ? -1 : (double)(req->now_ms - newest) / 1000.0;
		api_put_gauge(&b, "venueboard_queue_last_sample_age_seconds", "queue",
			      estimator_queue_id(est, i), age);
	}
	/* the forecast a quarter, half and whole hour ahead (the outlook's
	 * points are the clock's five minutes: the third, sixth and twelfth) */
	static const int ahead[] = {15, 30, 60};
	api_buf_printf(&b, "# TYPE venueboard_queue_forecast_wait_seconds gauge\n");
	for (size_t i = 0; i < estimator_queue_count(est); i++) {
		const struct queue_outlook *o =
			api_outlook(api, i, api_queue_at(api, i, req->now_ms));
		for (size_t k = 0; k < sizeof(ahead) / sizeof(*ahead); k++) {
			const struct forecast *f = &o->points[ahead[k] / 5 - 1];
			if (!f->known)
				continue;
			api_buf_printf(&b, "venueboard_queue_forecast_wait_seconds{queue=\"");
			api_put_label(&b, estimator_queue_id(est, i));
			api_buf_printf(&b, "\",ahead_minutes=\"%d\"} %.0f\n", ahead[k], f->wait_s);
		}
	}
	api_buf_printf(&b, "# TYPE venueboard_queue_forecast_alert gauge\n");
	for (size_t i = 0; i < estimator_queue_count(est); i++)
		api_put_gauge(&b, "venueboard_queue_forecast_alert", "queue",
			      estimator_queue_id(est, i), api->queues.outlook[i].alert ? 1 : 0);
	/* 1: its record is worse than a baseline's, its forecast not shown */
	api_buf_printf(&b, "# TYPE venueboard_queue_forecast_withheld gauge\n");
	for (size_t i = 0; i < estimator_queue_count(est); i++)
		api_put_gauge(&b, "venueboard_queue_forecast_withheld", "queue",
			      estimator_queue_id(est, i), api->queues.outlook[i].withheld ? 1 : 0);
	api_rooms_metrics(api, req->now_ms, &b);
	api_buf_printf(&b, "# TYPE venueboard_screen_last_seen_age_seconds gauge\n");
	for (size_t i = 0; i < api->n_screens; i++) {
		const struct screen_seen *s = &api->screens[i];
		if (s->fields)
			api_put_gauge(&b, "venueboard_screen_last_seen_age_seconds", "screen",
				      s->name, (double)(req->now_ms - s->last_seen_ms) / 1000.0);
	}
	api_sources_metrics(api, req->now_ms, &b);
	if (b.oom) {
		free(b.p);
		api_fail(res, 500, "out of memory");
		return;
	}
	api_respond(res, 200, "text/plain; version=0.0.4", b.p);
	res->body_len = b.len;
	res->cache_control = "no-store";
}
