/* schedule_diff: pairs sessions of two versions (by id, then by title for
 * feeds whose ids are not stable) and classifies what changed for attendees. */
#include "schedule_diff.h"

#include "civil_time.h"
#include "schedule.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

enum { TITLE_KEY_MAX = 160 };

/* A session waiting for a partner, with its folded title for the fallback. */
struct pending {
	const struct session *s;
	char key[TITLE_KEY_MAX];
};

struct change_list {
	struct change *items;
	size_t n, cap;
};

static bool push(struct change_list *l, struct change c)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct change *p = realloc(l->items, ncap * sizeof(*p));
		if (!p)
			return false;
		l->items = p;
		l->cap = ncap;
	}
	l->items[l->n++] = c;
	return true;
}

static int cmp_by_id(const void *a, const void *b)
{
	const struct session *x = *(const struct session *const *)a;
	const struct session *y = *(const struct session *const *)b;
	return strcmp(x->id, y->id);
}

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	if (x->s->start != y->s->start)
		return x->s->start < y->s->start ? -1 : 1;
	return strcmp(x->s->id, y->s->id);
}

static const char *room_name(const struct schedule *s, const char *room_id)
{
	const struct room *r = schedule_find_room(s, room_id);
	return r ? r->name : NULL;
}

static bool same_room(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Classifies one pair; adds nothing when nothing an attendee needs changed. */
static bool classify(struct change_list *l, const struct schedule *old, const struct schedule *new_,
		     const struct session *o, const struct session *n)
{
	struct change c = {.from = o,
			   .to = n,
			   .from_room = room_name(old, o->room),
			   .to_room = room_name(new_, n->room)};
	bool was_on = o->status != SESSION_CANCELLED, is_on = n->status != SESSION_CANCELLED;
	if (was_on && !is_on)
		c.kind = CHANGE_CANCELLED;
	else if (!was_on && is_on)
		c.kind = CHANGE_ADDED; /* reinstated: it is on again */
	else if (!was_on)
		return true;
	else if (!same_room(o->room, n->room))
		c.kind = CHANGE_MOVED; /* also when the time changed: contracts §4 */
	else if (o->start != n->start || o->end != n->end)
		c.kind = CHANGE_RESCHEDULED;
	else
		return true;
	return push(l, c);
}

static int64_t affects_at(const struct change *c)
{
	if (c->from && c->to)
		return c->from->start < c->to->start ? c->from->start : c->to->start;
	return c->from ? c->from->start : c->to->start;
}

static int cmp_change(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	int64_t tx = affects_at(x), ty = affects_at(y);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	const char *ix = x->to ? x->to->id : x->from->id, *iy = y->to ? y->to->id : y->from->id;
	return strcmp(ix, iy);
}

/* Pairs the leftovers by title: within one title, in start order. */
static bool pair_by_title(struct change_list *l, const struct schedule *old,
			  const struct schedule *new_, struct pending *po, size_t no,
			  struct pending *pn, size_t nn, size_t *matched)
{
	qsort(po, no, sizeof(*po), cmp_pending);
	qsort(pn, nn, sizeof(*pn), cmp_pending);
	size_t i = 0, j = 0;
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : strcmp(po[i].key, pn[j].key);
		if (c == 0 && po[i].key[0]) {
			if (!classify(l, old, new_, po[i].s, pn[j].s))
				return false;
			(*matched)++;
			i++, j++;
		} else if (c <= 0) {
			const struct session *o = po[i++].s;
			struct change ch = {.kind = CHANGE_CANCELLED,
					    .from = o,
					    .from_room = room_name(old, o->room)};
			if (o->status != SESSION_CANCELLED && !push(l, ch))
				return false;
		} else {
			const struct session *n = pn[j++].s;
			struct change ch = {
				.kind = CHANGE_ADDED, .to = n, .to_room = room_name(new_, n->room)};
			if (n->status != SESSION_CANCELLED && !push(l, ch))
				return false;
		}
	}
	return true;
}

bool schedule_diff_compute(const struct schedule *old, const struct schedule *new_,
			   struct schedule_changes *out)
{
	memset(out, 0, sizeof(*out));
	struct change_list l = {0};
	const struct session **by_id = malloc((new_->n_sessions + 1) * sizeof(*by_id));
	bool *taken = calloc(new_->n_sessions + 1, sizeof(*taken));
	struct pending *po = malloc((old->n_sessions + 1) * sizeof(*po));
	struct pending *pn = malloc((new_->n_sessions + 1) * sizeof(*pn));
	size_t no = 0, nn = 0;
	bool ok = by_id && taken && po && pn;
	for (size_t i = 0; ok && i < new_->n_sessions; i++)
		by_id[i] = &new_->sessions[i];
	if (ok && new_->n_sessions)
		qsort(by_id, new_->n_sessions, sizeof(*by_id), cmp_by_id);
	for (size_t i = 0; ok && i < old->n_sessions; i++) {
		const struct session *o = &old->sessions[i];
		const struct session *const *hit =
			new_->n_sessions
				? bsearch(&o, by_id, new_->n_sessions, sizeof(*by_id), cmp_by_id)
				: NULL;
		if (hit) {
			taken[hit - by_id] = true;
			ok = classify(&l, old, new_, o, *hit);
		} else {
			po[no].s = o;
			text_fold_key(o->title, po[no++].key, TITLE_KEY_MAX);
		}
	}
	for (size_t i = 0; ok && i < new_->n_sessions; i++) {
		if (taken[i])
			continue;
		pn[nn].s = by_id[i];
		text_fold_key(by_id[i]->title, pn[nn++].key, TITLE_KEY_MAX);
	}
	if (ok)
		ok = pair_by_title(&l, old, new_, po, no, pn, nn, &out->matched_by_title);
	free(by_id);
	free(taken);
	free(po);
	free(pn);
	if (!ok) {
		free(l.items);
		out->matched_by_title = 0;
		return false;
	}
	if (l.n)
		qsort(l.items, l.n, sizeof(*l.items), cmp_change);
	out->items = l.items;
	out->n = l.n;
	return true;
}

void schedule_diff_finish(struct schedule_changes *c)
{
	if (!c)
		return;
	free(c->items);
	memset(c, 0, sizeof(*c));
}

const char *schedule_diff_kind_name(enum change_kind k)
{
	switch (k) {
	case CHANGE_MOVED: return "moved";
	case CHANGE_RESCHEDULED: return "rescheduled";
	case CHANGE_CANCELLED: return "cancelled";
	case CHANGE_ADDED: return "added";
	}
	return "unknown";
}

static bool add_place(cJSON *obj, const char *key, const struct session *s, const char *room)
{
	char start[21], end[21];
	cJSON *p = cJSON_AddObjectToObject(obj, key);
	if (!p)
		return false;
	civil_format_utc(s->start, start);
	civil_format_utc(s->end, end);
	return (room ? cJSON_AddStringToObject(p, "room", room)
		     : cJSON_AddNullToObject(p, "room")) &&
	       cJSON_AddStringToObject(p, "start", start) && cJSON_AddStringToObject(p, "end", end);
}

char *schedule_diff_write_json(const struct schedule_changes *c)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *list = root ? cJSON_AddArrayToObject(root, "changes") : NULL;
	char *text = NULL;
	if (!list)
		goto out;
	for (size_t i = 0; i < c->n; i++) {
		const struct change *ch = &c->items[i];
		const struct session *who = ch->to ? ch->to : ch->from;
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(list, o) ||
		    !cJSON_AddStringToObject(o, "session", who->id) ||
		    !cJSON_AddStringToObject(o, "title", who->title) ||
		    !cJSON_AddStringToObject(o, "kind", schedule_diff_kind_name(ch->kind)))
			goto out;
		bool show_to = ch->to && ch->kind != CHANGE_CANCELLED;
		if (ch->from && !add_place(o, "from", ch->from, ch->from_room))
			goto out;
		if (show_to && !add_place(o, "to", ch->to, ch->to_room))
			goto out;
	}
	text = cJSON_Print(root);
out:
	cJSON_Delete(root);
	return text;
}
