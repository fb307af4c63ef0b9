/* board: parses a feed completely into new state before touching the old,
 * so a bad feed costs nothing but a log line. */
#include "board.h"

#include "arena.h"
#include "civil_time.h"
#include "feed.h"
#include "fleet_state.h"
#include "json_util.h"
#include "schedule.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

struct board *board_create(void)
{
	struct board *b = calloc(1, sizeof(struct board));
	if (b)
		b->version = -1;
	return b;
}

static void clear_changes(struct board *b)
{
	free(b->changes);
	b->changes = NULL;
	b->n_changes = 0;
	b->n_notices = 0;
	arena_destroy(b->arena);
	b->arena = NULL;
}

void board_destroy(struct board *b)
{
	if (!b)
		return;
	clear_changes(b);
	schedule_destroy(b->schedule);
	schedule_destroy(b->baseline);
	free(b);
}

static bool parse(const char *buf, size_t len, const char *timezone, struct schedule **out,
		  struct feed_error *e)
{
	struct feed_options opt = {.timezone = timezone && *timezone ? timezone : NULL};
	return feed_parse(buf, len, &opt, out, e);
}

bool board_set_baseline(struct board *b, const char *buf, size_t len, const char *timezone,
			struct feed_error *e)
{
	struct schedule *s;
	if (!parse(buf, len, timezone, &s, e))
		return false;
	schedule_destroy(b->baseline);
	b->baseline = s;
	return true;
}

/* New state built aside, swapped in only when complete. */
struct fresh {
	struct board_change *changes;
	size_t n, cap;
	struct board_notice notices[BOARD_MAX_NOTICES];
	size_t n_notices;
	int64_t version;
	struct arena *arena;
};

static const char *keep(struct fresh *f, const char *s, size_t cap)
{
	return s ? text_clean(f->arena, s, strlen(s), cap) : NULL;
}

static bool add(struct fresh *f, struct board_change c)
{
	if (f->n == BOARD_MAX_CHANGES)
		return true; /* more than a screen can list: the rest is dropped */
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		struct board_change *p = realloc(f->changes, cap * sizeof(*p));
		if (!p)
			return false;
		f->changes = p;
		f->cap = cap;
	}
	f->changes[f->n++] = c;
	return true;
}

static bool kind_of(const char *s, enum change_kind *k)
{
	static const enum change_kind kinds[] = {CHANGE_MOVED, CHANGE_RESCHEDULED, CHANGE_CANCELLED,
						 CHANGE_ADDED};
	for (size_t i = 0; i < 4; i++)
		if (s && strcmp(s, schedule_diff_kind_name(kinds[i])) == 0) {
			*k = kinds[i];
			return true;
		}
	return false;
}

static void place(struct fresh *f, const cJSON *o, const char **room, int64_t *start)
{
	if (!cJSON_IsObject(o))
		return;
	*room = keep(f, json_util_str(o, "room"), SCHEDULE_MAX_NAME);
	const char *t = json_util_str(o, "start");
	struct civil c;
	int64_t v;
	struct feed_error e;
	if (t && civil_parse(t, strlen(t), &c) && civil_to_utc(&c, "UTC", &v, &e))
		*start = v;
}

/* A list of names (zones or screens), copied; *n 0 when absent. A name
 * that is not a string is skipped. */
static bool names(struct fresh *f, const cJSON *list, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t count = (size_t)cJSON_GetArraySize(list);
	if (!cJSON_IsArray(list) || !count)
		return true;
	if (count > BOARD_MAX_TARGETS)
		count = BOARD_MAX_TARGETS;
	const char **v = arena_alloc(f->arena, count * sizeof(*v));
	if (!v)
		return false;
	const cJSON *x;
	cJSON_ArrayForEach(x, list) {
		const char *s = cJSON_GetStringValue(x);
		if (s && *n < count && !(v[*n] = keep(f, s, FLEET_NAME_MAX)))
			return false;
		*n += s && *n < count;
	}
	*out = v;
	return true;
}

/* An instant of a notice's "start" or "end", 0 when absent or unreadable
 * (an unreadable bound bounds nothing: the server checked them). */
static int64_t bound(const cJSON *o, const char *key)
{
	const char *t = json_util_str(o, key);
	int64_t ms;
	return t && civil_parse_instant_ms(t, strlen(t), &ms) ? ms : 0;
}

static bool notice(struct fresh *f, const cJSON *c, const char *text)
{
	struct board_notice *n = &f->notices[f->n_notices];
	n->text = keep(f, text, BOARD_NOTICE_MAX + 4);
	n->start_ms = bound(c, "start");
	n->end_ms = bound(c, "end");
	if (!n->text ||
	    !names(f, cJSON_GetObjectItemCaseSensitive(c, "zones"), &n->zones, &n->n_zones) ||
	    !names(f, cJSON_GetObjectItemCaseSensitive(c, "screens"), &n->screens, &n->n_screens))
		return false;
	f->n_notices++;
	return true;
}

/* venueboard-server's additions to the normalized schedule (contracts §4
 * changes, plus notices and the version). Unknown kinds are skipped: the
 * contract may grow. */
static bool server_extras(const char *buf, size_t len, struct fresh *f, bool *has)
{
	struct feed_error e;
	cJSON *root = json_util_parse(buf, len, &e);
	*has = false;
	if (!root)
		return true;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "changes");
	const cJSON *c;
	bool ok = true;
	if (cJSON_IsArray(list)) {
		*has = true;
		cJSON_ArrayForEach(c, list) {
			struct board_change bc = {0};
			char id[SCHEDULE_MAX_ID + 1];
			const char *sid = json_util_id(c, "session", id, sizeof(id));
			if (!sid || !kind_of(json_util_str(c, "kind"), &bc.kind))
				continue;
			bc.session = keep(f, sid, SCHEDULE_MAX_ID);
			const char *title = json_util_str(c, "title");
			bc.title = keep(f, title ? title : sid, SCHEDULE_MAX_TITLE);
			place(f, cJSON_GetObjectItemCaseSensitive(c, "from"), &bc.from_room,
			      &bc.from_start);
			place(f, cJSON_GetObjectItemCaseSensitive(c, "to"), &bc.to_room,
			      &bc.to_start);
			if (!bc.session || !bc.title || !add(f, bc)) {
				ok = false;
				break;
			}
		}
	}
	const cJSON *notices = cJSON_GetObjectItemCaseSensitive(root, "notices");
	if (!cJSON_IsArray(notices))
		notices = NULL;
	cJSON_ArrayForEach(c, notices) {
		const char *text = json_util_str(c, "text");
		if (text && *text && f->n_notices < BOARD_MAX_NOTICES)
			ok = ok && notice(f, c, text);
	}
	double v = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(root, "version"));
	f->version = v >= 0 && v < 9e15 ? (int64_t)v : -1;
	cJSON_Delete(root);
	return ok;
}

static bool local_diff(const struct schedule *base, const struct schedule *now, struct fresh *f)
{
	struct schedule_changes ch = {0};
	if (!schedule_diff_compute(base, now, &ch))
		return false;
	bool ok = true;
	for (size_t i = 0; i < ch.n && ok; i++) {
		const struct change *c = &ch.items[i];
		const struct session *who = c->to ? c->to : c->from;
		struct board_change bc = {.kind = c->kind};
		bc.session = keep(f, who->id, SCHEDULE_MAX_ID_OUT);
		bc.title = keep(f, who->title, SCHEDULE_MAX_TITLE);
		if (c->from) {
			bc.from_room = keep(f, c->from_room, SCHEDULE_MAX_NAME);
			bc.from_start = c->from->start;
		}
		if (c->to && c->kind != CHANGE_CANCELLED) {
			bc.to_room = keep(f, c->to_room, SCHEDULE_MAX_NAME);
			bc.to_start = c->to->start;
		}
		ok = bc.session && bc.title && add(f, bc);
	}
	schedule_diff_finish(&ch);
	return ok;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_change(const struct board_change *a, const struct board_change *b)
{
	return a->kind == b->kind && a->to_start == b->to_start &&
	       same_str(a->session, b->session) && same_str(a->to_room, b->to_room);
}

bool board_load(struct board *b, const char *buf, size_t len, const char *timezone, int64_t now_ms,
		struct board_summary *sum, struct feed_error *e)
{
	struct schedule *s = NULL;
	if (!parse(buf, len, timezone, &s, e))
		return false;
	struct fresh f = {.arena = arena_create(8u * 1024 * 1024), .version = -1};
	bool has_list = false;
	bool ok = f.arena != NULL;
	if (ok && feed_detect(buf, len) == FEED_NORMALIZED)
		ok = server_extras(buf, len, &f, &has_list);
	if (ok && !has_list && b->baseline)
		ok = local_diff(b->baseline, s, &f);
	const char *zname = s->timezone ? s->timezone : (timezone && *timezone ? timezone : "UTC");
	const char *zcopy = ok ? arena_strndup(f.arena, zname, strlen(zname)) : NULL;
	if (!ok || !zcopy) {
		schedule_destroy(s);
		free(f.changes);
		arena_destroy(f.arena);
		return feed_error_set(e, "out of memory");
	}
	/* a change keeps the moment it was first seen; on the first load nothing
	 * is "new": the screen just started */
	size_t fresh_n = 0;
	for (size_t i = 0; i < f.n; i++) {
		f.changes[i].seen_ms = b->schedule ? now_ms : 0;
		for (size_t k = 0; k < b->n_changes; k++)
			if (same_change(&f.changes[i], &b->changes[k])) {
				f.changes[i].seen_ms = b->changes[k].seen_ms;
				break;
			}
		fresh_n += f.changes[i].seen_ms == now_ms && b->schedule;
	}
	clear_changes(b);
	schedule_destroy(b->schedule);
	b->schedule = s;
	b->changes = f.changes;
	b->n_changes = f.n;
	memcpy(b->notices, f.notices, sizeof(f.notices));
	b->n_notices = f.n_notices;
	b->version = f.version;
	b->arena = f.arena;
	b->server_changes = has_list;
	b->zone_name = zcopy;
	b->zone = civil_zone_find(zcopy);
	if (sum)
		*sum = (struct board_summary){s->n_sessions, s->n_rooms, f.n, fresh_n, f.n_notices};
	return true;
}

bool board_notice_shown(const struct board_notice *n, const struct fleet_identity *who,
			int64_t now_ms)
{
	if ((n->start_ms && now_ms < n->start_ms) || (n->end_ms && now_ms >= n->end_ms))
		return false;
	if (!n->n_zones && !n->n_screens)
		return true;
	if (!who || !who->screen[0])
		return false;
	for (size_t i = 0; i < n->n_screens; i++)
		if (strcmp(n->screens[i], who->screen) == 0)
			return true;
	for (size_t i = 0; i < n->n_zones; i++)
		for (size_t k = 0; k < who->n_zones; k++)
			if (strcmp(n->zones[i], who->zones[k]) == 0)
				return true;
	return false;
}

const struct board_change *board_change_for(const struct board *b, const char *session)
{
	for (size_t i = 0; i < b->n_changes; i++)
		if (strcmp(b->changes[i].session, session) == 0)
			return &b->changes[i];
	return NULL;
}
