/* room_board: the server's words are read once per body; what they mean is
 * decided again at every update, at the kiosk's clock — the server judged
 * at its own moment, and a screen that lost the network must not keep
 * sending people away from a room on an old count. */
#include "room_board.h"

#include "civil_time.h"
#include "json_util.h"
#include "kiosk_config.h"
#include "schedule.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_MAX = 2 * ROOM_BOARD_NAME_MAX + 1 };

/* One room as the server said it. */
struct report {
	char room[ROOM_BOARD_NAME_MAX + 1], id[ROOM_BOARD_ID_MAX + 1];
	char key[KEY_MAX]; /* the name folded, for matching */
	bool have_people;  /* people is a count the server still took */
	int people, capacity;
	bool counted; /* the server has had a count (counted_at) */
	int64_t counted_ms, since_ms;
	enum room_state state;
	bool marked; /* a steward's mark, until mark_until_ms */
	int64_t mark_until_ms;
};

struct room_board {
	struct report *reports;
	struct room_view *views;
	size_t n;
	bool loaded;
};

struct room_board *room_board_create(void)
{
	return calloc(1, sizeof(struct room_board));
}

void room_board_destroy(struct room_board *rb)
{
	if (!rb)
		return;
	free(rb->reports);
	free(rb->views);
	free(rb);
}

bool room_board_loaded(const struct room_board *rb)
{
	return rb->loaded;
}

size_t room_board_count(const struct room_board *rb)
{
	return rb->n;
}

const struct room_view *room_board_get(const struct room_board *rb, size_t i)
{
	return i < rb->n ? &rb->views[i] : NULL;
}

/* ---- reading ----------------------------------------------------------- */

/* Fields refuse with "rooms[i] (name).field: why". */
static bool refuse(struct feed_error *e, size_t i, const struct report *r, const char *field,
		   const char *why)
{
	if (r->room[0])
		return feed_error_set(e, "rooms[%zu] (%.60s).%s: %s", i, r->room, field, why);
	return feed_error_set(e, "rooms[%zu].%s: %s", i, field, why);
}

static bool read_text(const cJSON *o, const char *key, char *out, size_t cap, bool required,
		      size_t i, const struct report *r, struct feed_error *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	out[0] = '\0';
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return refuse(e, i, r, key, "missing");
		return true;
	}
	const char *s = cJSON_GetStringValue(v);
	if (!s || (required && !*s))
		return refuse(e, i, r, key, "not a name");
	size_t n = strlen(s);
	if (n >= cap) {
		char why[64];
		snprintf(why, sizeof(why), "longer than %zu bytes", cap - 1);
		return refuse(e, i, r, key, why);
	}
	if (!text_is_one_line(s, n))
		return refuse(e, i, r, key, "not one line of UTF-8");
	memcpy(out, s, n + 1);
	return true;
}

/* A whole number from 0 to max, or null (*have false). */
static bool read_count(const cJSON *o, const char *key, int max, bool *have, int *out, size_t i,
		       const struct report *r, struct feed_error *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	*have = false;
	*out = 0;
	if (!v || cJSON_IsNull(v))
		return true;
	double d = cJSON_GetNumberValue(v);
	if (!cJSON_IsNumber(v) || !(d >= 0 && d <= max) || d != floor(d)) {
		char why[80];
		snprintf(why, sizeof(why), "not a whole number from 0 to %d", max);
		return refuse(e, i, r, key, why);
	}
	*have = true;
	*out = (int)d;
	return true;
}

/* An RFC 3339 instant, or absent/null (*out 0). */
static bool read_time(const cJSON *o, const char *key, int64_t *out, size_t i,
		      const struct report *r, struct feed_error *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	*out = 0;
	if (!v || cJSON_IsNull(v))
		return true;
	const char *s = cJSON_GetStringValue(v);
	if (!s || !civil_parse_instant_ms(s, strlen(s), out))
		return refuse(e, i, r, key, "not a time like 2014-11-06T11:05:00Z");
	return true;
}

static bool read_room(const cJSON *o, size_t i, struct report *r, struct feed_error *e)
{
	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(o))
		return feed_error_set(e, "rooms[%zu]: not an object", i);
	if (!read_text(o, "room", r->room, sizeof(r->room), true, i, r, e) ||
	    !read_text(o, "id", r->id, sizeof(r->id), false, i, r, e))
		return false;
	text_fold_key(r->room, r->key, sizeof(r->key));
	bool has_cap;
	if (!read_count(o, "people", ROOM_BOARD_MAX_PEOPLE, &r->have_people, &r->people, i, r, e) ||
	    !read_count(o, "capacity", SCHEDULE_MAX_CAPACITY, &has_cap, &r->capacity, i, r, e) ||
	    !read_time(o, "counted_at", &r->counted_ms, i, r, e) ||
	    !read_time(o, "since", &r->since_ms, i, r, e))
		return false;
	r->counted = r->counted_ms != 0;
	if (r->have_people && !r->counted)
		return refuse(e, i, r, "counted_at", "missing (people counted at no time)");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "state");
	r->state = ROOM_OPEN;
	if (st && !cJSON_IsNull(st) && !room_state_parse(cJSON_GetStringValue(st), &r->state))
		return refuse(e, i, r, "state", "not open, filling or full");
	const cJSON *mark = cJSON_GetObjectItemCaseSensitive(o, "mark");
	if (mark && !cJSON_IsNull(mark)) {
		if (!cJSON_IsObject(mark))
			return refuse(e, i, r, "mark", "not an object");
		if (!read_time(mark, "until", &r->mark_until_ms, i, r, e))
			return false;
		if (!r->mark_until_ms)
			return refuse(e, i, r, "mark.until", "missing (a mark ends)");
		if (r->state == ROOM_FILLING)
			return refuse(e, i, r, "state", "filling is no steward's word");
		r->marked = true;
	}
	return true;
}

/* The new views keep when each room became full from the old ones (by name:
 * the order is the server's and seldom changes). */
static int64_t full_since_of(const struct room_board *rb, size_t guess, const char *key)
{
	if (guess < rb->n && strcmp(rb->reports[guess].key, key) == 0)
		return rb->views[guess].full_since_ms;
	for (size_t k = 0; k < rb->n; k++)
		if (strcmp(rb->reports[k].key, key) == 0)
			return rb->views[k].full_since_ms;
	return 0;
}

bool room_board_load(struct room_board *rb, const char *buf, size_t len,
		     struct room_board_summary *sum, struct feed_error *e)
{
	if (len > ROOM_BOARD_MAX_BODY)
		return feed_error_set(e, "larger than %d MiB", ROOM_BOARD_MAX_BODY >> 20);
	if (json_util_has_nul(buf, len))
		return feed_error_set(e, "a string holds a NUL character");
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "rooms");
	int n = cJSON_GetArraySize(list);
	bool ok = true;
	if (!cJSON_IsObject(root) || !cJSON_IsArray(list))
		ok = feed_error_set(e, "rooms: missing (not a GET /v1/rooms answer)");
	else if (n > ROOM_BOARD_MAX_ROOMS)
		ok = feed_error_set(e, "rooms: more than %d rooms", ROOM_BOARD_MAX_ROOMS);
	size_t cnt = ok ? (size_t)n : 0;
	struct report *reports = ok ? calloc(cnt + 1, sizeof(*reports)) : NULL;
	struct room_view *views = ok ? calloc(cnt + 1, sizeof(*views)) : NULL;
	if (ok && (!reports || !views))
		ok = feed_error_set(e, "out of memory");
	size_t i = 0;
	const cJSON *o;
	const cJSON *each = ok ? list : NULL;
	cJSON_ArrayForEach(o, each) {
		if (!read_room(o, i, &reports[i], e)) {
			ok = false;
			break;
		}
		i++;
	}
	cJSON_Delete(root);
	if (!ok) {
		free(reports);
		free(views);
		return false;
	}
	struct room_board_summary s = {.rooms = cnt};
	for (i = 0; i < cnt; i++) {
		views[i].room = reports[i].room;
		views[i].fill_pct = -1;
		views[i].full_since_ms = full_since_of(rb, i, reports[i].key);
		s.counted += reports[i].have_people;
		s.full += reports[i].state == ROOM_FULL;
		s.filling += reports[i].state == ROOM_FILLING;
		s.marked += reports[i].marked;
	}
	free(rb->reports);
	free(rb->views);
	rb->reports = reports;
	rb->views = views;
	rb->n = cnt;
	rb->loaded = true;
	if (sum)
		*sum = s;
	return true;
}

/* ---- judging ----------------------------------------------------------- */

static bool names_match(const struct report *r, const char *name, const char *name_key)
{
	return strcmp(r->key, name_key) == 0 || (r->id[0] && strcmp(r->id, name) == 0);
}

static size_t find_index(const struct room_board *rb, const char *name)
{
	char key[KEY_MAX];
	text_fold_key(name, key, sizeof(key));
	for (size_t i = 0; i < rb->n; i++)
		if (names_match(&rb->reports[i], name, key))
			return i;
	return SIZE_MAX;
}

const struct room_view *room_board_find(const struct room_board *rb, const char *name)
{
	size_t i = find_index(rb, name);
	return i == SIZE_MAX ? NULL : &rb->views[i];
}

/* The room of the schedule a report speaks of: by id, else by name. */
static const struct room *schedule_room_of(const struct schedule *s, const struct report *r)
{
	const struct room *room = r->id[0] ? schedule_find_room(s, r->id) : NULL;
	return room ? room : schedule_room_named(s, r->room);
}

/* Seats: the server's, else the schedule's (the configuration's already in
 * it), else the configuration's for a room the schedule lacks. */
static int seats_of(const struct report *r, const struct room *room, const struct kiosk_config *cfg)
{
	if (r->capacity > 0)
		return r->capacity;
	if (room && room->capacity > 0)
		return room->capacity;
	for (size_t k = 0; cfg && k < cfg->n_seats; k++) {
		char key[KEY_MAX];
		text_fold_key(cfg->seats[k].room, key, sizeof(key));
		if (names_match(r, cfg->seats[k].room, key))
			return cfg->seats[k].seats;
	}
	return 0;
}

static void judge(struct room_view *v, const struct report *r, int seats, int64_t now_ms)
{
	struct room_count c = {r->have_people, r->people, 0, r->counted_ms};
	room_fill_judge(&c, seats, now_ms, &v->fill);
	v->counted = r->counted;
	v->state = v->fill.state;
	v->by_steward = r->marked && now_ms < r->mark_until_ms;
	v->mark_until_ms = v->by_steward ? r->mark_until_ms : 0;
	if (v->by_steward)
		v->state = r->state;
	v->fill_pct = v->fill.fill >= 0 ? (int)floor(v->fill.fill * 100) : -1;
	if (v->state != ROOM_FULL)
		v->full_since_ms = 0;
	else if (!v->full_since_ms) /* the server saw it first: its word */
		v->full_since_ms = r->state == ROOM_FULL && r->since_ms && r->since_ms <= now_ms
					   ? r->since_ms
					   : now_ms;
	v->alternative = NULL;
	v->alt_kind = ROOM_ALT_NONE;
}

/* A room people may be sent to: a session on now, a count that says it is
 * neither full nor filling. */
static bool has_seats(const struct room_view *v)
{
	return v->session_now && v->state == ROOM_OPEN && v->fill.usable && v->fill.fill >= 0;
}

static void alternative(struct room_board *rb, size_t i, const char *const *tracks,
			const struct kiosk_config *cfg)
{
	struct room_view *v = &rb->views[i];
	for (int pass = ROOM_ALT_TRACK; pass <= ROOM_ALT_EMPTIEST; pass++) {
		size_t best = SIZE_MAX;
		for (size_t j = 0; j < rb->n; j++) {
			const struct room_view *c = &rb->views[j];
			if (j == i || !has_seats(c))
				continue;
			if (pass == ROOM_ALT_TRACK &&
			    (!tracks[i] || !tracks[j] || strcmp(tracks[i], tracks[j]) != 0))
				continue;
			if (best == SIZE_MAX || c->fill.fill < rb->views[best].fill.fill)
				best = j;
		}
		if (best != SIZE_MAX) {
			v->alternative = rb->views[best].room;
			v->alt_kind = (enum room_alt_kind)pass;
			return;
		}
	}
	const struct report *r = &rb->reports[i];
	for (size_t k = 0; cfg && k < cfg->n_overflows; k++) {
		char key[KEY_MAX];
		text_fold_key(cfg->overflows[k].room, key, sizeof(key));
		if (!names_match(r, cfg->overflows[k].room, key))
			continue;
		size_t o = find_index(rb, cfg->overflows[k].shown_in);
		if (o == i || (o != SIZE_MAX && rb->views[o].state == ROOM_FULL))
			continue; /* full too: no place to send anyone */
		v->alternative = o != SIZE_MAX ? rb->views[o].room : cfg->overflows[k].shown_in;
		v->alt_kind = ROOM_ALT_OVERFLOW;
		return;
	}
}

void room_board_update(struct room_board *rb, const struct schedule *s,
		       const struct kiosk_config *cfg, int64_t now_ms)
{
	if (!rb->n)
		return;
	/* which view each schedule room is, and the track on now in each */
	size_t *view_of = s && s->n_rooms ? malloc(s->n_rooms * sizeof(*view_of)) : NULL;
	const char **tracks = calloc(rb->n, sizeof(*tracks));
	for (size_t k = 0; view_of && k < s->n_rooms; k++)
		view_of[k] = SIZE_MAX;
	for (size_t i = 0; i < rb->n; i++) {
		const struct report *r = &rb->reports[i];
		const struct room *room = s ? schedule_room_of(s, r) : NULL;
		if (room && view_of && view_of[room - s->rooms] == SIZE_MAX)
			view_of[room - s->rooms] = i;
		judge(&rb->views[i], r, seats_of(r, room, cfg), now_ms);
		rb->views[i].session_now = false;
	}
	int64_t now_s = now_ms / 1000;
	for (size_t k = 0; view_of && k < s->n_sessions; k++) {
		const struct session *x = &s->sessions[k];
		if (x->start > now_s)
			break; /* sorted by start */
		if (x->status == SESSION_CANCELLED || now_s >= x->end)
			continue;
		const struct room *room = schedule_find_room(s, x->room);
		if (!room)
			continue;
		size_t i = view_of[room - s->rooms];
		if (i == SIZE_MAX)
			continue;
		rb->views[i].session_now = true;
		if (tracks && x->track && *x->track)
			tracks[i] = x->track;
	}
	for (size_t i = 0; tracks && i < rb->n; i++)
		if (rb->views[i].state == ROOM_FULL)
			alternative(rb, i, tracks, cfg);
	free(view_of);
	free(tracks);
}
