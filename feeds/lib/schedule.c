/* schedule: model storage and the repairs every reader shares. Strings live in
 * the arena; the three growing arrays are malloc'd and freed on destroy. */
#include "schedule.h"

#include "arena.h"
#include "civil_time.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROOM_VARIANTS = 4, KEY_MAX = 256 };

struct room_info {
	const char *key;
	const char *variant[ROOM_VARIANTS];
	unsigned uses[ROOM_VARIANTS];
};

struct schedule_build {
	struct room_info *info; /* parallel to rooms */
	size_t room_cap, session_cap, warning_cap;
	size_t *slots; /* open-addressing table of room index + 1, 0 = empty */
	size_t n_slots;
};

struct schedule *schedule_create(void)
{
	struct schedule *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->arena = arena_create(SCHEDULE_MAX_ARENA);
	s->build = calloc(1, sizeof(*s->build));
	if (!s->arena || !s->build) {
		schedule_destroy(s);
		return NULL;
	}
	return s;
}

static void build_free(struct schedule_build *b)
{
	if (!b)
		return;
	free(b->info);
	free(b->slots);
	free(b);
}

void schedule_destroy(struct schedule *s)
{
	if (!s)
		return;
	build_free(s->build);
	free(s->sessions);
	free(s->rooms);
	free(s->warnings);
	arena_destroy(s->arena);
	free(s);
}

/* Grows *arr to hold at least need items of size sz. */
static bool grow(void *arr, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *p = realloc(*(void **)arr, ncap * sz);
	if (!p)
		return false;
	*(void **)arr = p;
	*cap = ncap;
	return true;
}

const char *schedule_text(struct schedule *s, const char *str, size_t len, size_t cap)
{
	if (!str)
		return NULL;
	if (len == SIZE_MAX)
		len = strlen(str);
	return text_clean(s->arena, str, len, cap);
}

const char *schedule_id(struct schedule *s, const char *id, size_t len)
{
	if (len == SIZE_MAX)
		len = strlen(id);
	char *out = arena_alloc(s->arena, len + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t n = 1;
		unsigned char c = (unsigned char)id[i];
		if (c >= 0x80) {
			/* keep whole valid sequences only */
			n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (i + n > len || !text_utf8_valid(id + i, n)) {
				i++;
				continue;
			}
			memcpy(out + o, id + i, n);
			o += n;
		} else if (c >= 0x20 && c != 0x7F) {
			out[o++] = (char)c;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

bool schedule_set_conference(struct schedule *s, const char *title, const char *zone,
			     struct feed_error *e)
{
	if (title && *title) {
		s->title = schedule_text(s, title, SIZE_MAX, SCHEDULE_MAX_TITLE);
		if (!s->title)
			return feed_error_set(e, "out of memory");
	}
	if (zone && *zone) {
		if (strlen(zone) > 64 || !text_utf8_valid(zone, strlen(zone)))
			return feed_error_set(e, "time zone name is not a readable IANA name");
		s->zone = civil_zone_find(zone);
		if (!s->zone)
			return feed_error_set(e,
					      "unknown time zone '%s' (expected an IANA name such "
					      "as Europe/Paris)",
					      zone);
		s->timezone = arena_strndup(s->arena, zone, strlen(zone));
	}
	return true;
}

static uint64_t hash_str(const char *k)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return h;
}

static bool rehash(struct schedule_build *b, size_t n_rooms)
{
	size_t n = b->n_slots ? b->n_slots * 2 : 64;
	size_t *slots = calloc(n, sizeof(*slots));
	if (!slots)
		return false;
	for (size_t i = 0; i < n_rooms; i++) {
		size_t j = hash_str(b->info[i].key) & (n - 1);
		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = i + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->n_slots = n;
	return true;
}

/* Counts one use of spelling name for room r; the commonest spelling names it. */
static bool room_note_variant(struct schedule *s, size_t r, const char *name)
{
	struct room_info *ri = &s->build->info[r];
	for (int v = 0; v < ROOM_VARIANTS; v++) {
		if (!ri->variant[v]) {
			ri->variant[v] = name;
			ri->uses[v] = 1;
			if (v == 1)
				schedule_warn(s,
					      "room '%s' is also written '%s': treated as one room",
					      ri->variant[0], name);
			return true;
		}
		if (strcmp(ri->variant[v], name) == 0) {
			ri->uses[v]++;
			return true;
		}
	}
	return true; /* a fifth spelling only counts toward none */
}

const char *schedule_room(struct schedule *s, const char *name, size_t len, struct feed_error *e)
{
	struct schedule_build *b = s->build;
	const char *clean = schedule_text(s, name, len, SCHEDULE_MAX_NAME);
	if (!clean)
		return feed_error_set(e, "out of memory"), NULL;
	if (!*clean)
		return feed_error_set(e, "room name is empty"), NULL;
	char key[KEY_MAX];
	text_fold_key(clean, key, sizeof(key));
	if (!*key) /* all punctuation: keep it distinct by its own bytes */
		snprintf(key, sizeof(key), "%s", clean);
	if (b->n_slots) {
		size_t j = hash_str(key) & (b->n_slots - 1);
		while (b->slots[j]) {
			size_t r = b->slots[j] - 1;
			if (strcmp(b->info[r].key, key) == 0) {
				room_note_variant(s, r, clean);
				return s->rooms[r].id;
			}
			j = (j + 1) & (b->n_slots - 1);
		}
	}
	if (s->n_rooms >= SCHEDULE_MAX_ROOMS)
		return feed_error_set(e, "more than %d rooms", SCHEDULE_MAX_ROOMS), NULL;
	size_t cap = b->room_cap;
	if (!grow(&s->rooms, &cap, s->n_rooms + 1, sizeof(*s->rooms)) ||
	    !grow(&b->info, &b->room_cap, s->n_rooms + 1, sizeof(*b->info)))
		return feed_error_set(e, "out of memory"), NULL;
	size_t r = s->n_rooms++;
	memset(&b->info[r], 0, sizeof(b->info[r]));
	b->info[r].key = arena_strndup(s->arena, key, strlen(key));
	s->rooms[r] = (struct room){.id = b->info[r].key, .name = clean};
	if (!b->info[r].key)
		return feed_error_set(e, "out of memory"), NULL;
	room_note_variant(s, r, clean);
	if (s->n_rooms * 2 > b->n_slots) {
		if (!rehash(b, s->n_rooms)) /* places every room, the new one too */
			return feed_error_set(e, "out of memory"), NULL;
	} else {
		size_t j = hash_str(key) & (b->n_slots - 1);
		while (b->slots[j])
			j = (j + 1) & (b->n_slots - 1);
		b->slots[j] = r + 1;
	}
	return s->rooms[r].id;
}

void schedule_room_capacity(struct schedule *s, const char *id, double seats, const char *what)
{
	if (!(seats >= 1 && seats <= SCHEDULE_MAX_CAPACITY && seats == (double)(int)seats)) {
		schedule_warn(s, "%s: %g is not a number of seats from 1 to %d, ignored", what,
			      seats, SCHEDULE_MAX_CAPACITY);
		return;
	}
	for (size_t i = 0; i < s->n_rooms; i++)
		if (strcmp(s->rooms[i].id, id) == 0 && (int)seats > s->rooms[i].capacity)
			s->rooms[i].capacity = (int)seats;
}

static struct room *room_named(const struct schedule *s, const char *name)
{
	char want[SCHEDULE_MAX_NAME * 2 + 1], have[sizeof(want)];
	text_fold_key(name, want, sizeof(want));
	for (size_t i = 0; i < s->n_rooms; i++) {
		text_fold_key(s->rooms[i].name, have, sizeof(have));
		if (strcmp(have, want) == 0 || strcmp(s->rooms[i].id, name) == 0)
			return &s->rooms[i];
	}
	return NULL;
}

const struct room *schedule_room_named(const struct schedule *s, const char *name)
{
	return room_named(s, name);
}

bool schedule_set_room_seats(struct schedule *s, const char *name, int seats)
{
	struct room *r = room_named(s, name);
	if (r)
		r->capacity = seats;
	return r != NULL;
}

struct session *schedule_add_session(struct schedule *s, struct feed_error *e)
{
	if (s->n_sessions >= SCHEDULE_MAX_SESSIONS)
		return feed_error_set(e, "more than %d sessions", SCHEDULE_MAX_SESSIONS), NULL;
	if (!grow(&s->sessions, &s->build->session_cap, s->n_sessions + 1, sizeof(*s->sessions)))
		return feed_error_set(e, "out of memory"), NULL;
	struct session *sess = &s->sessions[s->n_sessions++];
	memset(sess, 0, sizeof(*sess));
	return sess;
}

bool schedule_add_speaker(struct schedule *s, struct session *sess, const char *name, size_t len,
			  struct feed_error *e)
{
	const char *clean = schedule_text(s, name, len, SCHEDULE_MAX_NAME);
	if (!clean)
		return feed_error_set(e, "out of memory");
	if (!*clean)
		return true;
	for (size_t i = 0; i < sess->n_speakers; i++)
		if (strcmp(sess->speakers[i], clean) == 0)
			return true;
	if (sess->n_speakers >= SCHEDULE_MAX_SPEAKERS) {
		if (sess->n_speakers == SCHEDULE_MAX_SPEAKERS)
			schedule_warn(s, "session '%s': more than %d speakers, the rest dropped",
				      sess->id ? sess->id : "?", SCHEDULE_MAX_SPEAKERS);
		return true;
	}
	/* The list lives in the arena too: capacity 4, doubling at each power of two. */
	size_t n = sess->n_speakers;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		const char **sp = arena_alloc(s->arena, (n ? 2 * n : 4) * sizeof(*sp));
		if (!sp)
			return feed_error_set(e, "out of memory");
		if (n)
			memcpy(sp, sess->speakers, n * sizeof(*sp));
		sess->speakers = sp;
	}
	sess->speakers[sess->n_speakers++] = clean;
	return true;
}

void schedule_warn(struct schedule *s, const char *fmt, ...)
{
	if (s->n_warnings >= SCHEDULE_MAX_WARNINGS || !s->build) {
		s->dropped_warnings++;
		return;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *w = arena_strndup(s->arena, buf, strlen(buf));
	if (!w ||
	    !grow(&s->warnings, &s->build->warning_cap, s->n_warnings + 1, sizeof(*s->warnings))) {
		s->dropped_warnings++;
		return;
	}
	s->warnings[s->n_warnings++] = w;
}

/* Title markers real feeds use instead of a status field. */
static const char *const cancel_markers[] = {"CANCELLED",  "CANCELED",   "ABGESAGT",
					     "ANNULÉ",     "ANNULE",     "[CANCELLED]",
					     "[CANCELED]", "(CANCELLED)"};
static const char *const amend_markers[] = {"AMENDMENT", "[AMENDMENT]", "AMENDED"};

/* If title starts with one of markers followed by a separator, returns the
 * rest of the title after the separators; else NULL. */
static const char *strip_marker(const char *title, const char *const *markers, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t ml = strlen(markers[i]);
		if (!text_starts_with_ci(title, markers[i]))
			continue;
		const char *p = title + ml;
		if (*p && !strchr(":- \xE2", *p))
			continue; /* "Cancellation policy" is a title, not a marker */
		while (*p == ':' || *p == ' ' || *p == '-' || strncmp(p, "\xE2\x80\x93", 3) == 0 ||
		       strncmp(p, "\xE2\x80\x94", 3) == 0)
			p += (*p & 0x80) ? 3 : 1;
		return p;
	}
	return NULL;
}

static void apply_markers(struct schedule *s, struct session *sess)
{
	for (int round = 0; round < 2; round++) {
		const char *rest = strip_marker(sess->title, cancel_markers,
						sizeof(cancel_markers) / sizeof(*cancel_markers));
		if (rest) {
			sess->status = SESSION_CANCELLED;
			sess->title = *rest ? rest : sess->title;
			continue;
		}
		rest = strip_marker(sess->title, amend_markers,
				    sizeof(amend_markers) / sizeof(*amend_markers));
		if (rest) {
			sess->amended = true;
			sess->title = *rest ? rest : sess->title;
		}
	}
	(void)s;
}

static int cmp_session_id(const void *a, const void *b)
{
	const struct session *x = *(const struct session *const *)a;
	const struct session *y = *(const struct session *const *)b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

static int cmp_str_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_session_time(const void *a, const void *b)
{
	const struct session *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	int c = cmp_str_null(x->room, y->room);
	if (c)
		return c;
	return strcmp(x->id, y->id);
}

void schedule_sort(struct schedule *s)
{
	if (s->n_sessions)
		qsort(s->sessions, s->n_sessions, sizeof(*s->sessions), cmp_session_time);
}

static bool same_session(const struct session *a, const struct session *b)
{
	return a->start == b->start && a->end == b->end && strcmp(a->title, b->title) == 0 &&
	       cmp_str_null(a->room, b->room) == 0;
}

/* Duplicate ids: an exact repeat is dropped, a different session gets "~N". */
static bool resolve_duplicates(struct schedule *s, struct feed_error *e)
{
	if (s->n_sessions < 2)
		return true;
	struct session **by_id = malloc(s->n_sessions * sizeof(*by_id));
	bool *drop = calloc(s->n_sessions, sizeof(*drop));
	if (!by_id || !drop) {
		free(by_id);
		free(drop);
		return feed_error_set(e, "out of memory");
	}
	for (size_t i = 0; i < s->n_sessions; i++)
		by_id[i] = &s->sessions[i];
	qsort(by_id, s->n_sessions, sizeof(*by_id), cmp_session_id);
	bool ok = true;
	size_t first = 0, kept = 1; /* start of the run of equal ids, sessions kept */
	for (size_t i = 1; i < s->n_sessions && ok; i++) {
		if (strcmp(by_id[i]->id, by_id[first]->id) != 0) {
			first = i;
			kept = 1;
			continue;
		}
		const struct session *orig = by_id[first];
		if (same_session(orig, by_id[i])) {
			drop[by_id[i] - s->sessions] = true;
			schedule_warn(s,
				      "session id '%s' appears twice with the same content: "
				      "kept once",
				      orig->id);
			continue;
		}
		/* keep the renamed id within what the normalized reader accepts */
		char buf[SCHEDULE_MAX_ID_OUT + 1];
		size_t base = strlen(orig->id);
		if (base > SCHEDULE_MAX_ID_OUT - 24)
			base = SCHEDULE_MAX_ID_OUT - 24;
		snprintf(buf, sizeof(buf), "%.*s~%zu", (int)base, orig->id, ++kept);
		schedule_warn(s,
			      "session id '%s' is used by two different sessions ('%s', '%s'): "
			      "the second is renamed '%s'",
			      orig->id, orig->title, by_id[i]->title, buf);
		by_id[i]->id = schedule_id(s, buf, SIZE_MAX); /* drops a cut UTF-8 sequence */
		if (!by_id[i]->id)
			ok = feed_error_set(e, "out of memory");
	}
	size_t o = 0;
	for (size_t i = 0; i < s->n_sessions; i++) {
		if (drop[i])
			continue;
		s->sessions[o++] = s->sessions[i];
	}
	s->n_sessions = o;
	free(by_id);
	free(drop);
	return ok;
}

static void pick_room_names(struct schedule *s)
{
	for (size_t r = 0; r < s->n_rooms; r++) {
		const struct room_info *ri = &s->build->info[r];
		int best = 0;
		for (int v = 1; v < ROOM_VARIANTS && ri->variant[v]; v++)
			if (ri->uses[v] > ri->uses[best])
				best = v;
		s->rooms[r].name = ri->variant[best];
	}
}

bool schedule_finish(struct schedule *s, struct feed_error *e)
{
	if (!s->build)
		return true;
	for (size_t i = 0; i < s->n_sessions; i++) {
		struct session *sess = &s->sessions[i];
		if (!sess->id || !*sess->id)
			return feed_error_set(e, "session %zu ('%s') has no id", i + 1,
					      sess->title ? sess->title : "");
		if (!sess->title || !*sess->title) {
			schedule_warn(s, "session '%s' has no title", sess->id);
			sess->title = "(untitled)";
		}
		/* The range civil_parse reads, so every output reads back. */
		const int64_t min_t = -2208988800LL, max_t = 7258118400LL; /* 1900, 2200 */
		if (sess->start < min_t || sess->start >= max_t || sess->end >= max_t)
			return feed_error_set(e, "session '%s' ('%s') has a time outside 1900-2199",
					      sess->id, sess->title);
		if (sess->end < sess->start)
			return feed_error_set(e, "session '%s' ('%s') ends before it starts",
					      sess->id, sess->title);
		apply_markers(s, sess);
	}
	if (s->n_sessions == 0)
		schedule_warn(s, "the feed holds no sessions");
	if (!resolve_duplicates(s, e))
		return false;
	pick_room_names(s);
	schedule_sort(s);
	build_free(s->build);
	s->build = NULL;
	return true;
}

bool schedule_finish_into(struct schedule **s, struct schedule **out, struct feed_error *e)
{
	if (!schedule_finish(*s, e))
		return false;
	*out = *s;
	*s = NULL;
	return true;
}

const struct room *schedule_find_room(const struct schedule *s, const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < s->n_rooms; i++)
		if (strcmp(s->rooms[i].id, id) == 0)
			return &s->rooms[i];
	return NULL;
}
