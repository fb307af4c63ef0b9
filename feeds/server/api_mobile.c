/* api_mobile: GET /m/ — what the screens show, on a phone, for those who
 * cannot read a screen from where they stand (the QR code on the board
 * leads here): the notices, what changed, what is on now and next in each
 * room (FULL when it is), the lunch lines' waits and their next hour.
 * Plain HTML from the server, no script, one small stylesheet; English or
 * French (?lang=fr). ?at=TIME shows another moment (the demo, a rehearsal). */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "schedule.h"
#include "schedule_diff.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NEXT_WITHIN_S = 12 * 3600 }; /* "next" is today's next, not next week's */

struct words {
	const char *now, *next, *changes, *none_changes, *rooms, *lunch, *wait, *at_time, *full,
		*filling, *moved, *cancelled, *rescheduled, *added, *nothing_now, *as_of, *no_lunch,
		*no_estimate, *minutes, *notices;
	const char *days[7]; /* Monday first */
};

static const struct words en = {
	"Now",
	"Next",
	"Changes",
	"No change to the printed programme.",
	"Rooms",
	"Lunch lines",
	"now",
	"at",
	"FULL",
	"filling",
	"moved",
	"cancelled",
	"new time",
	"added",
	"Nothing on now",
	"As of",
	"No lunch line reports yet.",
	"no estimate",
	"min",
	"Notices",
	{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
};

static const struct words fr = {
	"Maintenant",
	"Ensuite",
	"Changements",
	"Aucun changement au programme imprimé.",
	"Salles",
	"Files du déjeuner",
	"maintenant",
	"à",
	"COMPLET",
	"se remplit",
	"déplacée",
	"annulée",
	"nouvel horaire",
	"ajoutée",
	"Rien en ce moment",
	"À",
	"Aucune file ne donne de "
	"nouvelles.",
	"pas d'estimation",
	"min",
	"Annonces",
	{"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."},
};

/* Text into HTML: & < > " ' escaped (titles come from any feed). */
static void put_text(struct api_buf *b, const char *s)
{
	for (; s && *s; s++) {
		const char *esc = *s == '&'    ? "&amp;"
				  : *s == '<'  ? "&lt;"
				  : *s == '>'  ? "&gt;"
				  : *s == '"'  ? "&quot;"
				  : *s == '\'' ? "&#39;"
					       : NULL;
		if (esc)
			api_buf_put(b, esc, strlen(esc));
		else
			api_buf_put(b, s, 1);
	}
}

static void hhmm(const struct schedule *s, int64_t t, char out[8])
{
	struct civil c;
	civil_from_utc_in(t, s->zone, &c);
	snprintf(out, 8, "%02d:%02d", c.hour % 24, c.minute % 60);
}

static bool same_day(const struct schedule *s, int64_t a, int64_t b)
{
	struct civil x, y;
	civil_from_utc_in(a, s->zone, &x);
	civil_from_utc_in(b, s->zone, &y);
	return x.year == y.year && x.month == y.month && x.day == y.day;
}

static void session_line(struct api_buf *b, const struct schedule *s, const struct session *x)
{
	char a[8], z[8];
	hhmm(s, x->start, a);
	hhmm(s, x->end, z);
	api_buf_printf(b, "<span class=\"time\">%s–%s</span> ", a, z);
	put_text(b, x->title);
	if (x->n_speakers) {
		api_buf_printf(b, " <span class=\"who\">");
		for (size_t k = 0; k < x->n_speakers && k < 4; k++) {
			if (k)
				api_buf_printf(b, ", ");
			put_text(b, x->speakers[k]);
		}
		api_buf_printf(b, "</span>");
	}
}

static void notices(struct api_buf *b, const struct api *api, const struct words *w, int64_t t)
{
	const cJSON *n, *list = served_notices(api);
	bool any = false;
	cJSON_ArrayForEach(n, list) {
		/* those for every screen, in their time */
		if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(n, "zones")) ||
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(n, "screens")))
			continue;
		int64_t from, to;
		const char *start = json_util_str(n, "start"), *end = json_util_str(n, "end");
		if ((start && civil_parse_instant_ms(start, strlen(start), &from) &&
		     t * 1000 < from) ||
		    (end && civil_parse_instant_ms(end, strlen(end), &to) && t * 1000 >= to))
			continue;
		if (!any)
			api_buf_printf(b, "<section class=\"notices\"><h2>%s</h2><ul>", w->notices);
		any = true;
		api_buf_printf(b, "<li>");
		put_text(b, json_util_str(n, "text"));
		api_buf_printf(b, "</li>");
	}
	if (any)
		api_buf_printf(b, "</ul></section>");
}

static void changes(struct api_buf *b, const struct api *api, const struct words *w, int64_t t)
{
	const struct schedule *s = served_model(api);
	struct schedule_changes c = {0};
	api_buf_printf(b, "<section><h2>%s</h2>", w->changes);
	if (!served_first(api) || !schedule_diff_compute(served_first(api), s, &c) || c.n == 0) {
		api_buf_printf(b, "<p>%s</p></section>", w->none_changes);
		schedule_diff_finish(&c);
		return;
	}
	api_buf_printf(b, "<ul class=\"changes\">");
	for (size_t i = 0; i < c.n && i < 200; i++) {
		const struct change *x = &c.items[i];
		const struct session *now = x->to ? x->to : x->from;
		static const char *const kinds[] = {"moved", "rescheduled", "cancelled", "added"};
		const char *said = x->kind == CHANGE_MOVED         ? w->moved
				   : x->kind == CHANGE_RESCHEDULED ? w->rescheduled
				   : x->kind == CHANGE_CANCELLED   ? w->cancelled
								   : w->added;
		api_buf_printf(b, "<li class=\"%s\"><strong>%s</strong> ", kinds[x->kind], said);
		put_text(b, now->title);
		char hm[8];
		hhmm(s, now->start, hm);
		struct civil day_of;
		civil_from_utc_in(now->start, s->zone, &day_of);
		int64_t days = civil_days_from_date(day_of.year, day_of.month, day_of.day);
		/* 1970-01-01 was a Thursday */
		const char *day = same_day(s, now->start, t) ? "" : w->days[((days % 7) + 10) % 7];
		api_buf_printf(b, " — %s%s%s ", day, *day ? " " : "", hm);
		if (x->kind == CHANGE_MOVED && x->from_room) {
			put_text(b, x->from_room);
			api_buf_printf(b, " → ");
		}
		put_text(b, x->to_room ? x->to_room : x->from_room ? x->from_room : "");
		api_buf_printf(b, "</li>");
	}
	api_buf_printf(b, "</ul></section>");
	schedule_diff_finish(&c);
}

static void rooms(struct api_buf *b, struct api *api, const struct words *w, int64_t t)
{
	const struct schedule *s = served_model(api);
	api_buf_printf(b, "<section><h2>%s</h2>", w->rooms);
	for (size_t i = 0; i < s->n_rooms; i++) {
		const struct room *r = &s->rooms[i];
		const struct session *now = NULL, *next = NULL;
		for (size_t k = 0; k < s->n_sessions; k++) {
			const struct session *x = &s->sessions[k];
			if (!x->room || strcmp(x->room, r->id) != 0 ||
			    x->status == SESSION_CANCELLED)
				continue;
			if (x->start <= t && t < x->end)
				now = x;
			else if (x->start > t && x->start - t < NEXT_WITHIN_S &&
				 same_day(s, x->start, t) && (!next || x->start < next->start))
				next = x;
		}
		if (!now && !next)
			continue;
		api_buf_printf(b, "<article class=\"room\"><h3>");
		put_text(b, r->name);
		enum room_state st;
		struct room_fill f;
		if (now && api_room_now(api, r, t * 1000, &f, &st)) {
			if (st == ROOM_FULL)
				api_buf_printf(b, " <span class=\"full\">%s</span>", w->full);
			else if (st == ROOM_FILLING && f.fill >= 0)
				api_buf_printf(b, " <span class=\"filling\">%s · %d %%</span>",
					       w->filling, (int)(f.fill * 100 + 0.5));
		}
		api_buf_printf(b, "</h3><p><span class=\"label\">%s</span> ", w->now);
		if (now)
			session_line(b, s, now);
		else
			api_buf_printf(b, "%s", w->nothing_now);
		api_buf_printf(b, "</p>");
		if (next) {
			api_buf_printf(b, "<p><span class=\"label\">%s</span> ", w->next);
			session_line(b, s, next);
			api_buf_printf(b, "</p>");
		}
		api_buf_printf(b, "</article>");
	}
	api_buf_printf(b, "</section>");
}

static void lunch(struct api_buf *b, struct api *api, const struct words *w, int64_t t)
{
	const struct schedule *s = served_model(api);
	struct estimator *est = api->queues.est;
	size_t n = est ? estimator_queue_count(est) : 0;
	api_buf_printf(b, "<section><h2>%s</h2>", w->lunch);
	if (!n) {
		api_buf_printf(b, "<p>%s</p></section>", w->no_lunch);
		return;
	}
	api_buf_printf(b, "<ul class=\"lunch\">");
	for (size_t i = 0; i < n; i++) {
		int64_t at = api_queue_at(api, i, t * 1000);
		struct wait_estimate now;
		estimator_estimate(est, i, at, &now);
		const char *name =
			api->queues.names[i][0] ? api->queues.names[i] : estimator_queue_id(est, i);
		api_buf_printf(b, "<li><strong>");
		put_text(b, name);
		api_buf_printf(b, "</strong> ");
		if (!now.known) {
			api_buf_printf(b, "%s</li>", w->no_estimate);
			continue;
		}
		api_buf_printf(b, "%s %.0f %s", w->wait,
			       now.wait_s / 60.0 + 0.5 < 1 ? 1.0 : now.wait_s / 60.0 + 0.5,
			       w->minutes);
		const struct queue_outlook *o = api_outlook(api, i, at);
		for (int k = 2; k < API_OUTLOOK_POINTS;
		     k += 3) { /* each quarter of the hour ahead */
			if (!o->points[k].known)
				continue;
			char hm[8];
			hhmm(s, o->at_ms[k] / 1000, hm);
			api_buf_printf(b, " · %s %s ≈ %.0f %s", w->at_time, hm,
				       o->points[k].wait_s / 60.0 + 0.5, w->minutes);
		}
		api_buf_printf(b, "</li>");
	}
	api_buf_printf(b, "</ul></section>");
}

void api_get_mobile(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct schedule *s = served_model(api);
	if (!s) {
		api_fail(res, 404, "no schedule has been published yet");
		return;
	}
	const struct words *w = &en;
	int64_t t = api_replay_at(api, req->now_ms) / 1000; /* a replay's clock, as the screens */
	const char *q = req->query;
	while (q && *q) { /* lang=fr, at=TIME (percent-encoded as api.c hands it) */
		if (strncmp(q, "lang=fr", 7) == 0)
			w = &fr;
		if (strncmp(q, "at=", 3) == 0) {
			char v[64];
			size_t n = strcspn(q + 3, "&");
			size_t o = 0;
			for (size_t k = 0; k < n && o + 1 < sizeof(v); k++) { /* %2B, %3A */
				const char *p = q + 3 + k;
				int hi = p[0] == '%' && k + 2 < n ? text_hex_digit(p[1]) : -1;
				int lo = hi >= 0 ? text_hex_digit(p[2]) : -1;
				if (hi >= 0 && lo >= 0) {
					v[o++] = (char)(hi * 16 + lo);
					k += 2;
				} else {
					v[o++] = *p;
				}
			}
			v[o] = '\0';
			int64_t ms;
			if (civil_parse_instant_ms(v, o, &ms))
				t = ms / 1000;
		}
		q = strchr(q, '&');
		q = q ? q + 1 : NULL;
	}
	struct api_buf b = {0};
	char as_of[8];
	hhmm(s, t, as_of);
	api_buf_printf(&b,
		       "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		       "<meta http-equiv=\"refresh\" content=\"60\">"
		       "<link rel=\"stylesheet\" href=\"/m/style.css\"><title>",
		       w == &fr ? "fr" : "en");
	put_text(&b, s->title);
	api_buf_printf(&b, "</title></head><body><header><h1>");
	put_text(&b, s->title);
	api_buf_printf(&b, "</h1><p class=\"asof\">%s %s</p></header><main>", w->as_of, as_of);
	notices(&b, api, w, t);
	changes(&b, api, w, t);
	rooms(&b, api, w, t);
	lunch(&b, api, w, t);
	api_buf_printf(&b, "</main></body></html>\n");
	if (b.oom) {
		free(b.p);
		api_fail(res, 500, "out of memory");
		return;
	}
	api_respond(res, 200, "text/html; charset=utf-8", b.p);
	res->body_len = b.len;
	res->cache_control = "no-cache";
	res->csp = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
}
