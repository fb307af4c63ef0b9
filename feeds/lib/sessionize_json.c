/* sessionize_json: the Sessionize API v2 "All" view. Sessions reference
 * speakers, rooms and category items by id; times are wall-clock with no zone
 * anywhere, so the caller must say where the conference is (--timezone). */
#include "sessionize_json.h"

#include "civil_time.h"
#include "json_util.h"
#include "schedule.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOOKUP_MAX = 20000, SZ_ID = SCHEDULE_MAX_ID + 2 };

/* One id → name pair of the speakers, rooms or category items lists. */
struct named {
	char id[SZ_ID];
	const char *name;  /* borrowed from the cJSON tree */
	const char *group; /* category title for category items */
};

struct lookup {
	struct named *items;
	size_t n;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->id, ((const struct named *)b)->id);
}

static const struct named *lookup_find(const struct lookup *l, const char *id)
{
	struct named key;
	snprintf(key.id, sizeof(key.id), "%s", id);
	return l->n ? bsearch(&key, l->items, l->n, sizeof(*l->items), cmp_named) : NULL;
}

static bool lookup_add(struct lookup *l, size_t cap, const cJSON *obj, const char *name,
		       const char *group)
{
	if (l->n >= cap)
		return false;
	struct named *x = &l->items[l->n];
	if (!json_util_id(obj, "id", x->id, sizeof(x->id)) || !name)
		return true; /* nothing to refer to: skip */
	x->name = name;
	x->group = group;
	l->n++;
	return true;
}

static bool lookup_alloc(struct lookup *l, const cJSON *list, const char *what,
			 struct feed_error *e)
{
	int n = cJSON_GetArraySize(list);
	if (n > LOOKUP_MAX)
		return feed_error_set(e, "%s: more than %d entries", what, LOOKUP_MAX);
	l->items = calloc((size_t)n + 1, sizeof(*l->items));
	return l->items ? true : feed_error_set(e, "out of memory");
}

/* A speaker's display name: fullName, else firstName + lastName. */
static const char *speaker_name(const cJSON *sp, char *buf, size_t cap)
{
	const char *full = json_util_str(sp, "fullName");
	if (full && *full)
		return full;
	const char *first = json_util_str(sp, "firstName"), *last = json_util_str(sp, "lastName");
	if (!first && !last)
		return NULL;
	snprintf(buf, cap, "%s%s%s", first ? first : "", first && last ? " " : "",
		 last ? last : "");
	return buf;
}

struct sz_ctx {
	struct schedule *s;
	struct lookup speakers, rooms, items;
	char (*speaker_names)[SCHEDULE_MAX_NAME + 2]; /* built names, one per speaker */
	struct feed_error *e;
};

static bool read_time(struct sz_ctx *c, const cJSON *o, int i, const char *key, int64_t *out)
{
	const char *v = json_util_str(o, key);
	struct civil t;
	if (!v || !civil_parse(v, strlen(v), &t) || !t.has_time)
		return feed_error_set(c->e, "sessions[%d].%s: '%.40s' is not an ISO 8601 time", i,
				      key, v ? v : "(missing)");
	char inner[FEED_ERROR_MAX];
	if (civil_to_utc_in(&t, c->s->zone, out, c->e))
		return true;
	snprintf(inner, sizeof(inner), "%s", c->e->msg);
	return feed_error_set(c->e, "sessions[%d].%s: %s", i, key, inner);
}

static bool is_cancelled_status(const char *v)
{
	return v && (text_starts_with_ci(v, "cancel") || text_starts_with_ci(v, "declined"));
}

/* Track and format from the session's category items. */
static void categories(struct sz_ctx *c, const cJSON *o, const char **track, const char **format)
{
	const char *fallback_track = NULL;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, "categoryItems")) {
		char id[SZ_ID];
		if (cJSON_IsNumber(it))
			snprintf(id, sizeof(id), "%.0f", it->valuedouble);
		else if (cJSON_IsString(it))
			snprintf(id, sizeof(id), "%s", it->valuestring);
		else if (!json_util_id(it, "id", id, sizeof(id)))
			continue;
		const struct named *x = lookup_find(&c->items, id);
		if (!x || !x->group)
			continue;
		if (strcmp(x->group, "Track") == 0 && !*track)
			*track = x->name;
		else if (strcmp(x->group, "Category") == 0 && !fallback_track)
			fallback_track = x->name;
		else if (strcmp(x->group, "Session format") == 0 && !*format)
			*format = x->name;
	}
	if (!*track)
		*track = fallback_track;
}

/* startsAt, and endsAt when given (null or absent: it ends as it starts). */
static bool read_times(struct sz_ctx *c, const cJSON *o, int i, int64_t *start, int64_t *end)
{
	if (!read_time(c, o, i, "startsAt", start))
		return false;
	const cJSON *ends = cJSON_GetObjectItemCaseSensitive(o, "endsAt");
	if (cJSON_IsNull(ends) || !ends)
		*end = *start;
	else if (!read_time(c, o, i, "endsAt", end))
		return false;
	return true;
}

/* The room roomId names; one missing from the rooms list is warned about
 * and the session kept without a room (*room NULL). */
static bool read_room(struct sz_ctx *c, const cJSON *o, int i, const char **room)
{
	char room_id[SZ_ID];
	*room = NULL;
	if (!json_util_id(o, "roomId", room_id, sizeof(room_id)))
		return true;
	const struct named *r = lookup_find(&c->rooms, room_id);
	if (!r)
		schedule_warn(c->s, "sessions[%d].roomId: %s is not in the rooms list", i, room_id);
	else if (!(*room = schedule_room(c->s, r->name, strlen(r->name), c->e)))
		return false;
	return true;
}

/* The session's speakers: ids into the speakers list, or objects carrying
 * their own name; an unknown id is warned about and skipped. */
static bool read_speakers(struct sz_ctx *c, const cJSON *o, int i, struct session *x)
{
	const cJSON *sp;
	cJSON_ArrayForEach(sp, cJSON_GetObjectItemCaseSensitive(o, "speakers")) {
		char sid[SZ_ID];
		const char *name = NULL;
		if (cJSON_IsString(sp))
			snprintf(sid, sizeof(sid), "%s", sp->valuestring);
		else if (cJSON_IsNumber(sp))
			snprintf(sid, sizeof(sid), "%.0f", sp->valuedouble);
		else if (cJSON_IsObject(sp) && json_util_id(sp, "id", sid, sizeof(sid)))
			name = json_util_str(sp, "name");
		else
			continue;
		if (!name) {
			const struct named *n = lookup_find(&c->speakers, sid);
			if (!n) {
				schedule_warn(c->s,
					      "sessions[%d].speakers: unknown speaker id %.60s", i,
					      sid);
				continue;
			}
			name = n->name;
		}
		if (!schedule_add_speaker(c->s, x, name, strlen(name), c->e))
			return false;
	}
	return true;
}

static bool read_session(struct sz_ctx *c, const cJSON *o, int i)
{
	struct schedule *s = c->s;
	if (!cJSON_IsObject(o))
		return feed_error_set(c->e, "sessions[%d]: must be an object", i);
	char id[SZ_ID];
	if (!json_util_id(o, "id", id, sizeof(id)) || strlen(id) > SCHEDULE_MAX_ID)
		return feed_error_set(c->e, "sessions[%d].id: missing or longer than %d bytes", i,
				      SCHEDULE_MAX_ID);
	const char *title = json_util_str(o, "title");
	if (!title)
		return feed_error_set(c->e, "sessions[%d].title: missing", i);
	if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "startsAt")) ||
	    !cJSON_GetObjectItemCaseSensitive(o, "startsAt")) {
		schedule_warn(s, "sessions[%d] ('%.60s') is not scheduled yet: left out", i, title);
		return true;
	}
	int64_t start, end;
	const char *room;
	if (!read_times(c, o, i, &start, &end) || !read_room(c, o, i, &room))
		return false;
	struct session *x = schedule_add_session(s, c->e);
	if (!x)
		return false;
	const char *track = NULL, *format = NULL;
	categories(c, o, &track, &format);
	x->id = schedule_id(s, id, SIZE_MAX);
	x->title = schedule_text(s, title, SIZE_MAX, SCHEDULE_MAX_TITLE);
	x->room = room;
	x->start = start;
	x->end = end;
	x->track = schedule_text(s, track, SIZE_MAX, SCHEDULE_MAX_NAME);
	x->type = json_util_true(o, "isServiceSession")
			  ? "service"
			  : schedule_text(s, format ? format : "session", SIZE_MAX,
					  SCHEDULE_MAX_NAME);
	if (is_cancelled_status(json_util_str(o, "status")))
		x->status = SESSION_CANCELLED;
	if (!x->id || !x->title || !x->type)
		return feed_error_set(c->e, "out of memory");
	return read_speakers(c, o, i, x);
}

static bool build_lookups(struct sz_ctx *c, const cJSON *root)
{
	const cJSON *speakers = cJSON_GetObjectItemCaseSensitive(root, "speakers");
	const cJSON *rooms = cJSON_GetObjectItemCaseSensitive(root, "rooms");
	const cJSON *cats = cJSON_GetObjectItemCaseSensitive(root, "categories");
	int n_items = 0;
	const cJSON *cat;
	cJSON_ArrayForEach(cat, cats)
		n_items += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cat, "items"));
	if (n_items > LOOKUP_MAX)
		return feed_error_set(c->e, "categories: more than %d items", LOOKUP_MAX);
	if (!lookup_alloc(&c->speakers, speakers, "speakers", c->e) ||
	    !lookup_alloc(&c->rooms, rooms, "rooms", c->e))
		return false;
	c->items.items = calloc((size_t)n_items + 1, sizeof(*c->items.items));
	c->speaker_names =
		calloc((size_t)cJSON_GetArraySize(speakers) + 1, sizeof(*c->speaker_names));
	if (!c->items.items || !c->speaker_names)
		return feed_error_set(c->e, "out of memory");
	size_t k = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, speakers) {
		const char *name =
			speaker_name(x, c->speaker_names[k], sizeof(c->speaker_names[k]));
		k++;
		lookup_add(&c->speakers, LOOKUP_MAX, x, name, NULL);
	}
	cJSON_ArrayForEach(x, rooms)
		lookup_add(&c->rooms, LOOKUP_MAX, x, json_util_str(x, "name"), NULL);
	cJSON_ArrayForEach(cat, cats) {
		const char *group = json_util_str(cat, "title");
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(cat, "items"))
			lookup_add(&c->items, (size_t)n_items, x, json_util_str(x, "name"), group);
	}
	qsort(c->speakers.items, c->speakers.n, sizeof(struct named), cmp_named);
	qsort(c->rooms.items, c->rooms.n, sizeof(struct named), cmp_named);
	qsort(c->items.items, c->items.n, sizeof(struct named), cmp_named);
	/* Declared rooms come first, in the feed's order, even if unused. */
	cJSON_ArrayForEach(x, rooms) {
		const char *name = json_util_str(x, "name");
		if (name && *name && !schedule_room(c->s, name, strlen(name), c->e))
			return false;
	}
	return true;
}

bool sessionize_json_parse(const char *buf, size_t len, const struct feed_options *opt,
			   struct schedule **out, struct feed_error *e)
{
	*out = NULL;
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	struct sz_ctx c = {.e = e};
	bool ok = false;
	const cJSON *sessions = cJSON_GetObjectItemCaseSensitive(root, "sessions");
	if (!cJSON_IsArray(sessions)) {
		feed_error_set(e,
			       "sessions: missing or not a list; not a Sessionize \"All\" export");
		goto out;
	}
	c.s = schedule_create();
	if (!c.s) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	c.s->format = "sessionize";
	/* Sessionize has no conference title or zone: the zone is the caller's. */
	if (!schedule_set_conference(c.s, NULL, opt ? opt->timezone : NULL, e) ||
	    !build_lookups(&c, root))
		goto out;
	int i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, sessions) {
		if (!read_session(&c, o, i++))
			goto out;
	}
	ok = schedule_finish_into(&c.s, out, e);
out:
	schedule_destroy(c.s);
	free(c.speakers.items);
	free(c.rooms.items);
	free(c.items.items);
	free(c.speaker_names);
	cJSON_Delete(root);
	return ok;
}
