/* kiosk_config: a table of keys, each with its parser, so the file and the
 * flags accept exactly the same things and say the same errors. */
#include "kiosk_config.h"

#include "civil_time.h"
#include "qr_code.h"
#include "schedule.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kiosk_config_defaults(struct kiosk_config *c)
{
	memset(c, 0, sizeof(*c));
	c->poll_s = 30;
	c->queue_poll_s = 15;
	c->max_feed_bytes = 16u * 1024 * 1024;
	c->lang = LANG_EN;
	c->page_s = 8;
	c->page_s_max = 40;
	c->highlight_min = 15;
	c->soon_min = 10;
	c->clock_rate = 1.0;
	c->rotation = -1;
	snprintf(c->cache_dir, sizeof(c->cache_dir), "/var/lib/venueboard");
	snprintf(c->font_regular, sizeof(c->font_regular),
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	snprintf(c->font_bold, sizeof(c->font_bold),
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
	snprintf(c->font_fallback, sizeof(c->font_fallback),
		 "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");
	snprintf(c->font_emoji, sizeof(c->font_emoji),
		 "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	snprintf(c->time_source, sizeof(c->time_source), "system");
	c->heartbeat_s = 60;
	snprintf(c->run_dir, sizeof(c->run_dir), "/run/venueboard");
	c->update_from_min = c->update_to_min = -1;
	theme_default(&c->theme);
}

static bool copy(char *dst, size_t cap, const char *key, const char *v, struct feed_error *e)
{
	size_t n = strlen(v);
	if (n >= cap)
		return feed_error_set(e, "%s: longer than %zu bytes", key, cap - 1);
	if (!text_utf8_valid(v, n))
		return feed_error_set(e, "%s: not valid UTF-8", key);
	memcpy(dst, v, n + 1);
	return true;
}

static bool integer(const char *key, const char *v, long lo, long hi, long *out,
		    struct feed_error *e)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return feed_error_set(e, "%s: '%.40s' is not a whole number from %ld to %ld", key,
				      v, lo, hi);
	*out = n;
	return true;
}

/* t in milliseconds since the epoch, a wall time read in the configured zone. */
static bool to_ms(const struct kiosk_config *c, const char *key, const struct civil *t,
		  int64_t *out, struct feed_error *e)
{
	struct feed_error ze;
	if (!civil_to_utc(t, c->timezone[0] ? c->timezone : NULL, out, &ze))
		return feed_error_set(e, "%s: %s", key, ze.msg);
	*out *= 1000;
	return true;
}

/* An instant: RFC 3339 with an offset, or a wall time in the configured zone.
 * A wall time before any zone is known waits in pending for
 * kiosk_config_check (the zone may come from the file read after). */
static bool instant(const struct kiosk_config *c, const char *key, const char *v, int64_t *out,
		    char pending[64], struct feed_error *e)
{
	struct civil t;
	if (!civil_parse(v, strlen(v), &t) || !t.has_time)
		return feed_error_set(e, "%s: '%.40s' is not a time like 2014-11-06T12:30:00+01:00",
				      key, v);
	pending[0] = '\0';
	if (!t.has_offset && !c->timezone[0]) {
		if (strlen(v) >= 64)
			return feed_error_set(e, "%s: too long", key);
		memcpy(pending, v, strlen(v) + 1);
		return true;
	}
	return to_ms(c, key, &t, out, e);
}

/* walk QUEUE MINUTES and capacity ROOM SEATS: the name may hold spaces, the
 * last word is the number; a name given again takes its new number. */
static bool name_and_number(struct kiosk_config *c, const char *key, const char *v,
			    struct feed_error *e)
{
	bool walk = strcmp(key, "walk") == 0;
	long lo = walk ? 0 : 1, hi = walk ? KIOSK_MAX_WALK_MIN : SCHEDULE_MAX_CAPACITY, n;
	char name[KIOSK_MAX_NAME];
	if (!text_name_and_number(v, name, sizeof(name), &n) || n < lo || n > hi)
		return feed_error_set(e,
				      "%s: '%.60s' is not %s then a whole number from %ld to %ld",
				      key, v, walk ? "a queue" : "a room", lo, hi);
	if (!text_utf8_valid(name, strlen(name)))
		return feed_error_set(e, "%s: not valid UTF-8", key);
	size_t *count = walk ? &c->n_walks : &c->n_seats, i = 0;
	size_t cap = walk ? KIOSK_MAX_QUEUES : KIOSK_MAX_ROOMS;
	while (i < *count && strcmp(walk ? c->walks[i].queue : c->seats[i].room, name) != 0)
		i++;
	if (i == cap)
		return feed_error_set(e, "%s: more than %zu %s", key, cap,
				      walk ? "queues" : "rooms");
	*count += i == *count;
	memcpy(walk ? c->walks[i].queue : c->seats[i].room, name, strlen(name) + 1);
	*(walk ? &c->walks[i].minutes : &c->seats[i].seats) = (int)n;
	return true;
}

/* One room name of an overflow line: "a quoted name" or one word; *p moves
 * past it and the space after. */
static bool overflow_name(const char **p, char *out, size_t cap)
{
	const char *s = *p, *end;
	if (*s == '"') {
		end = strchr(++s, '"');
		if (!end)
			return false;
		*p = end + 1;
	} else {
		end = s + strcspn(s, " \t\"");
		*p = end;
	}
	size_t n = (size_t)(end - s);
	if (n == 0 || n >= cap || (**p && **p != ' ' && **p != '\t'))
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	*p += strspn(*p, " \t");
	return true;
}

/* overflow ROOM SHOWN-IN: two names, quoted when they hold spaces; a room
 * given again takes its new overflow. */
static bool overflow(struct kiosk_config *c, const char *v, struct feed_error *e)
{
	struct kiosk_overflow o;
	const char *p = v;
	if (!overflow_name(&p, o.room, sizeof(o.room)) ||
	    !overflow_name(&p, o.shown_in, sizeof(o.shown_in)) || *p)
		return feed_error_set(e,
				      "overflow: '%.80s' is not two room names (a name with spaces "
				      "in quotes: overflow \"Salle 252A\" \"Salle 243\")",
				      v);
	if (!text_utf8_valid(o.room, strlen(o.room)) ||
	    !text_utf8_valid(o.shown_in, strlen(o.shown_in)))
		return feed_error_set(e, "overflow: not valid UTF-8");
	size_t i = 0;
	while (i < c->n_overflows && strcmp(c->overflows[i].room, o.room) != 0)
		i++;
	if (i == KIOSK_MAX_ROOMS)
		return feed_error_set(e, "overflow: more than %d rooms", KIOSK_MAX_ROOMS);
	c->n_overflows += i == c->n_overflows;
	c->overflows[i] = o;
	return true;
}

/* update-window HH:MM-HH:MM (empty: any time). */
static bool update_window(struct kiosk_config *c, const char *v, struct feed_error *e)
{
	if (!*v) {
		c->update_from_min = c->update_to_min = -1;
		return true;
	}
	const char *dash = strchr(v, '-');
	int from, to;
	if (!dash || !civil_parse_clock(v, (size_t)(dash - v), &from) ||
	    !civil_parse_clock(dash + 1, strlen(dash + 1), &to) || from % 60 || to % 60 ||
	    from >= 86400 || to >= 86400 || from == to)
		return feed_error_set(e,
				      "update-window: '%.40s' is not two different times like "
				      "02:00-05:30",
				      v);
	c->update_from_min = from / 60;
	c->update_to_min = to / 60;
	return true;
}

/* A decimal from lo to hi, or 0 (off); a point, never a comma. */
static bool decimal(const char *key, const char *v, double lo, double hi, const char *unit,
		    double *out, struct feed_error *e)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !(d == 0 || (d >= lo && d <= hi)))
		return feed_error_set(e,
				      "%s: '%.40s' is not 0 (off) or a number of %s from %g to %g",
				      key, v, unit, lo, hi);
	*out = d;
	return true;
}

/* Setters for the keys whose value is not just one typed field. */
static bool set_overflow(struct kiosk_config *c, const char *key, const char *v,
			 struct feed_error *e)
{
	(void)key;
	return overflow(c, v, e);
}

static bool set_update_window(struct kiosk_config *c, const char *key, const char *v,
			      struct feed_error *e)
{
	(void)key;
	return update_window(c, v, e);
}

static bool set_mobile_url(struct kiosk_config *c, const char *key, const char *v,
			   struct feed_error *e)
{
	c->mobile_off = strcmp(v, "off") == 0;
	if (c->mobile_off || !*v) {
		c->mobile_url[0] = '\0';
		return true;
	}
	if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
		return feed_error_set(e,
				      "mobile-url: '%.60s' is not an http:// or https:// "
				      "URL (or off)",
				      v);
	if (strlen(v) > QR_CODE_MAX_TEXT)
		return feed_error_set(e,
				      "mobile-url: longer than %d bytes (a QR code a "
				      "phone reads across a hallway)",
				      QR_CODE_MAX_TEXT);
	return copy(c->mobile_url, sizeof(c->mobile_url), key, v, e);
}

static bool set_font_emoji(struct kiosk_config *c, const char *key, const char *v,
			   struct feed_error *e)
{
	return copy(c->font_emoji, sizeof(c->font_emoji), key, strcmp(v, "off") ? v : "", e);
}

/* room NAME and queue ID: one more in a capped list. */
static bool list_add(char (*list)[KIOSK_MAX_NAME], size_t *n, size_t cap, const char *key,
		     const char *what, const char *v, struct feed_error *e)
{
	if (*n == cap)
		return feed_error_set(e, "%s: more than %zu %ss", key, cap, key);
	if (!*v)
		return feed_error_set(e, "%s: a %s is needed", key, what);
	if (!copy(list[*n], KIOSK_MAX_NAME, key, v, e))
		return false;
	(*n)++;
	return true;
}

static bool set_room(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	return list_add(c->rooms, &c->n_rooms, KIOSK_MAX_ROOMS, key, "room name", v, e);
}

static bool set_queue(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	return list_add(c->queues, &c->n_queues, KIOSK_MAX_QUEUES, key, "queue id", v, e);
}

static bool set_timezone(struct kiosk_config *c, const char *key, const char *v,
			 struct feed_error *e)
{
	if (*v && !civil_zone_known(v))
		return feed_error_set(e,
				      "timezone: '%.60s' is not a known zone (an IANA name "
				      "such as Europe/Paris)",
				      v);
	return copy(c->timezone, sizeof(c->timezone), key, v, e);
}

static bool set_rotation(struct kiosk_config *c, const char *key, const char *v,
			 struct feed_error *e)
{
	long n = 0;
	if (!integer(key, v, 0, 270, &n, e) || n % 90)
		return feed_error_set(e, "rotation: '%.40s' is not 0, 90, 180 or 270", v);
	c->rotation = (int)n;
	return true;
}

static bool set_language(struct kiosk_config *c, const char *key, const char *v,
			 struct feed_error *e)
{
	(void)key;
	if (!i18n_lang_parse(v, &c->lang))
		return feed_error_set(e, "language: '%.40s' is not en or fr", v);
	return true;
}

static bool set_run_dir(struct kiosk_config *c, const char *key, const char *v,
			struct feed_error *e)
{
	if (*v != '/')
		return feed_error_set(e, "run-dir: '%.60s' is not an absolute path", v);
	return copy(c->run_dir, sizeof(c->run_dir), key, v, e);
}

static bool set_rooms_poll(struct kiosk_config *c, const char *key, const char *v,
			   struct feed_error *e)
{
	long n = 0;
	if (!integer(key, v, 0, 3600, &n, e))
		return false;
	if (n == 1) /* 0: as the lunch lines */
		return feed_error_set(e, "rooms-poll-seconds: 0 (as queue-poll-seconds) or "
					 "2 to 3600");
	c->room_poll_s = (int)n;
	return true;
}

static bool set_max_feed(struct kiosk_config *c, const char *key, const char *v,
			 struct feed_error *e)
{
	long n = 0;
	if (!integer(key, v, 16, 256 * 1024, &n, e))
		return false;
	c->max_feed_bytes = (size_t)n * 1024;
	return true;
}

static bool set_color(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	struct feed_error te;
	if (!theme_set(&c->theme, key + 6, v, &te))
		return feed_error_set(e, "color-%s", te.msg);
	return true;
}

enum key_type {
	KEY_STRING,   /* copied as it is, at most the field's size */
	KEY_URL,      /* http://, https:// or file://, or empty */
	KEY_HTTP_URL, /* http:// or https://, or empty */
	KEY_INT,      /* a whole number from lo to hi, into an int */
	KEY_DECIMAL,  /* 0 (off) or a number of unit from lo to hi, into a double */
	KEY_WORD,     /* one of values, copied as a string */
	KEY_ENUM,     /* one of values, stored as lo + its index in an enum */
	KEY_SETTER,   /* set() does it all */
};

/* An enum key's field is written as an int. */
_Static_assert(sizeof(enum kiosk_layout) == sizeof(int), "enum kiosk_layout is an int");
_Static_assert(sizeof(enum kiosk_orientation) == sizeof(int), "enum kiosk_orientation is an int");

struct kiosk_key {
	const char *name; /* a name ending in '-*' takes every key with that prefix */
	enum key_type type;
	size_t off, size; /* the field in struct kiosk_config */
	long lo, hi;
	double dlo, dhi;
	const char *unit;
	const char *const *values; /* NULL-terminated */
	bool (*set)(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e);
	const char *help;
};

#define FIELD(f) offsetof(struct kiosk_config, f), sizeof(((struct kiosk_config *)0)->f)
#define STRING(k, f, h)                                                                            \
	{                                                                                          \
		k, KEY_STRING, FIELD(f), 0, 0, 0, 0, NULL, NULL, NULL, h                           \
	}
#define URL(k, t, f, h)                                                                            \
	{                                                                                          \
		k, t, FIELD(f), 0, 0, 0, 0, NULL, NULL, NULL, h                                    \
	}
#define INT(k, f, lo, hi, h)                                                                       \
	{                                                                                          \
		k, KEY_INT, FIELD(f), lo, hi, 0, 0, NULL, NULL, NULL, h                            \
	}
#define DECIMAL(k, f, lo, hi, u, h)                                                                \
	{                                                                                          \
		k, KEY_DECIMAL, FIELD(f), 0, 0, lo, hi, u, NULL, NULL, h                           \
	}
#define CHOICE(k, t, f, base, v, h)                                                                \
	{                                                                                          \
		k, t, FIELD(f), base, 0, 0, 0, NULL, v, NULL, h                                    \
	}
#define SETTER(k, fn, h)                                                                           \
	{                                                                                          \
		k, KEY_SETTER, 0, 0, 0, 0, 0, 0, NULL, NULL, fn, h                                 \
	}

static const char *const layouts[] = {"hall", "room", NULL};
static const char *const orientations[] = {"landscape", "portrait", NULL};
static const char *const time_sources[] = {"system", "timesync", "feed", "auto", NULL};
static const char *const log_levels[] = {"error", "warn", "info", "debug", NULL};

/* Every key of the file and its flag (assets/kiosk/venueboard.conf documents
 * them at length). */
static const struct kiosk_key keys[] = {
	URL("schedule-url", KEY_URL, schedule_url, "the schedule feed (required)"),
	URL("queues-url", KEY_URL, queues_url, "lunch-line samples; empty: none shown"),
	URL("rooms-url", KEY_URL, rooms_url, "how full each room is; empty: none shown"),
	SETTER("overflow", set_overflow, "\"ROOM\" \"SHOWN IN\": where a full room streams"),
	CHOICE("layout", KEY_ENUM, layout, KIOSK_LAYOUT_HALL, layouts,
	       "hall: every room; room: one room's door"),
	STRING("ca-file", ca_file, "the venue's certificate authority"),
	STRING("cache-dir", cache_dir, "where the last good schedule is kept"),
	STRING("venue", venue, "the venue's name"),
	STRING("floor", floor, "where this screen stands"),
	STRING("font-regular", font_regular, "the text font"),
	STRING("font-bold", font_bold, "the bold font"),
	STRING("font-fallback", font_fallback, "glyphs the text font lacks"),
	SETTER("mobile-url", set_mobile_url, "the phone page the QR code links to; off: none"),
	SETTER("font-emoji", set_font_emoji, "colour emoji; off: none"),
	SETTER("room", set_room, "a room shown, in order (repeat)"),
	SETTER("queue", set_queue, "a lunch line shown (repeat)"),
	SETTER("walk", name_and_number, "QUEUE MINUTES: the walk to a lunch line (repeat)"),
	SETTER("capacity", name_and_number, "ROOM SEATS: a room's seats (repeat)"),
	SETTER("timezone", set_timezone, "the zone when the feed names none"),
	CHOICE("orientation", KEY_ENUM, orientation, KIOSK_ORIENT_LANDSCAPE, orientations,
	       "the picture's shape as seen"),
	SETTER("rotation", set_rotation, "the panel turned clockwise: 0, 90, 180, 270"),
	SETTER("language", set_language, "en or fr"),
	CHOICE("time-source", KEY_WORD, time_source, 0, time_sources,
	       "when the clock can be trusted"),
	URL("heartbeat-url", KEY_HTTP_URL, heartbeat_url,
	    "venueboard-server's heartbeat; empty: none"),
	STRING("heartbeat-token", heartbeat_token, "this screen's token on the server"),
	URL("stream-url", KEY_HTTP_URL, stream_url, "the server's event stream"),
	SETTER("run-dir", set_run_dir, "files shared with the update agent"),
	SETTER("update-window", set_update_window, "HH:MM-HH:MM when updates may apply"),
	CHOICE("log-level", KEY_WORD, log_level, 0, log_levels, "error, warn, info or debug"),
	INT("poll-seconds", poll_s, 2, 3600, "how often the schedule is asked for"),
	INT("queue-poll-seconds", queue_poll_s, 2, 3600, "how often the lunch lines are"),
	INT("page-seconds", page_s, 3, 600, "a page's shortest time"),
	INT("highlight-minutes", highlight_min, 0, 1440, "how long a change stays highlighted"),
	INT("soon-minutes", soon_min, 0, 120, "a session starting within this is marked"),
	INT("heartbeat-seconds", heartbeat_s, 10, 3600, "how often the screen reports"),
	SETTER("rooms-poll-seconds", set_rooms_poll, "how often room fill is; 0: as lunch lines"),
	SETTER("max-feed-kib", set_max_feed, "a larger feed is refused"),
	SETTER("color-*", set_color, "the theme's colours"),
	STRING("title", title, "the header's title; empty: the conference's name"),
	DECIMAL("viewing-distance", viewing_distance_m, 0.5, 100, "metres",
		"readers this far away read every text; 0: unchecked"),
	DECIMAL("screen-diagonal", screen_diagonal_in, 5, 1000, "inches",
		"the panel's diagonal when the display does not say"),
	INT("page-seconds-max", page_s_max, 3, 600, "a page's longest time"),
};

static const struct kiosk_key *key_find(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const char *name = keys[i].name;
		size_t n = strlen(name);
		if (n > 1 && name[n - 1] == '*' ? strncmp(key, name, n - 1) == 0
						: strcmp(key, name) == 0)
			return &keys[i];
	}
	return NULL;
}

/* The index of v in values, or -1; "a, b or c" into list. */
static int choice(const char *const *values, const char *v, char *list, size_t cap)
{
	int hit = -1;
	size_t used = 0;
	list[0] = '\0';
	for (int i = 0; values[i]; i++) {
		if (strcmp(v, values[i]) == 0)
			hit = i;
		const char *sep = i == 0 ? "" : values[i + 1] ? ", " : " or ";
		int w = snprintf(list + used, cap - used, "%s%s", sep, values[i]);
		used += w > 0 && (size_t)w < cap - used ? (size_t)w : 0;
	}
	return hit;
}

static bool url_checked(char *dst, size_t cap, bool file, const char *key, const char *v,
			struct feed_error *e)
{
	if (!*v)
		return copy(dst, cap, key, v, e);
	if (!text_starts_with_ci(v, "http://") && !text_starts_with_ci(v, "https://") &&
	    (!file || !text_starts_with_ci(v, "file://")))
		return feed_error_set(
			e,
			file ? "%s: '%.60s' is not an http://, https:// or file:// URL"
			     : "%s: '%.60s' is not an http:// or https:// URL",
			key, v);
	return copy(dst, cap, key, v, e);
}

bool kiosk_config_set(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	const struct kiosk_key *k = key_find(key);
	if (!k)
		return feed_error_set(e,
				      "%.60s: not a setting (assets/kiosk/venueboard.conf lists "
				      "them)",
				      key);
	char *field = (char *)c + k->off;
	long n = 0;
	char list[128];
	int i;
	switch (k->type) {
	case KEY_STRING: return copy(field, k->size, key, v, e);
	case KEY_URL:
	case KEY_HTTP_URL: return url_checked(field, k->size, k->type == KEY_URL, key, v, e);
	case KEY_INT:
		if (!integer(key, v, k->lo, k->hi, &n, e))
			return false;
		*(int *)(void *)field = (int)n;
		return true;
	case KEY_DECIMAL:
		return decimal(key, v, k->dlo, k->dhi, k->unit, (double *)(void *)field, e);
	case KEY_WORD:
	case KEY_ENUM:
		i = choice(k->values, v, list, sizeof(list));
		if (i < 0)
			return feed_error_set(e, "%s: '%.40s' is not %s", key, v, list);
		if (k->type == KEY_WORD)
			return copy(field, k->size, key, v, e);
		*(int *)(void *)field = (int)k->lo + i;
		return true;
	case KEY_SETTER: break;
	}
	return k->set(c, key, v, e);
}

/* A comment starts with # at the beginning, or with a # between white space
 * and white space (or the end): "color-text #ffffff" is a value. */
static void strip_comment(char *line)
{
	for (char *h = line; *h; h++)
		if (*h == '#' && (strspn(line, " \t") == (size_t)(h - line) ||
				  ((h[-1] == ' ' || h[-1] == '\t') && strchr(" \t\r", h[1])))) {
			*h = '\0';
			break;
		}
}

/* "  key   value  " cut in place into its key (returned, "" on a blank line)
 * and *value, the rest of the line without the white space around it. */
static char *split_setting(char *line, char **value)
{
	char *k = line;
	while (*k == ' ' || *k == '\t')
		k++;
	size_t ln = strlen(k);
	while (ln && (k[ln - 1] == ' ' || k[ln - 1] == '\t' || k[ln - 1] == '\r'))
		k[--ln] = '\0';
	char *v = k;
	while (*v && *v != ' ' && *v != '\t')
		v++;
	if (*v)
		*v++ = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	*value = v;
	return k;
}

bool kiosk_config_parse(struct kiosk_config *c, const char *buf, size_t len, struct feed_error *e)
{
	if (len > KIOSK_MAX_CONFIG_BYTES)
		return feed_error_set(e, "larger than %d bytes", KIOSK_MAX_CONFIG_BYTES);
	const char *p = buf, *end = buf + len;
	int lineno = 0;
	text_skip_bom(&p, &len);
	end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		lineno++;
		char line[KIOSK_MAX_VALUE + 64];
		size_t n = (size_t)(stop - p);
		if (n >= sizeof(line))
			return feed_error_set(e, "line %d: longer than %zu bytes", lineno,
					      sizeof(line) - 1);
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		strip_comment(line);
		char *v, *k = split_setting(line, &v);
		if (!*k)
			continue;
		struct feed_error ke;
		if (!kiosk_config_set(c, k, v, &ke))
			return feed_error_set(e, "line %d: %s", lineno, ke.msg);
	}
	return true;
}

static bool size_arg(const char *v, int *w, int *h)
{
	char *x;
	errno = 0;
	long a = strtol(v, &x, 10);
	if (errno || x == v || (*x != 'x' && *x != 'X'))
		return false;
	char *end;
	long b = strtol(x + 1, &end, 10);
	if (errno || end == x + 1 || *end || a < 64 || b < 64 || a > 8192 || b > 8192)
		return false;
	*w = (int)a;
	*h = (int)b;
	return true;
}

/* The flags without a value; false when a is none of them. */
static bool bare_flag(struct kiosk_config *c, const char *a)
{
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
		c->mode = KIOSK_HELP;
	else if (strcmp(a, "--version") == 0)
		c->mode = KIOSK_VERSION;
	else if (strcmp(a, "--window") == 0)
		c->windowed = true;
	else
		return false;
	return true;
}

static bool positive_number(const char *key, const char *v, double *out, struct feed_error *e)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	bool ok = !errno && end != v && !*end && d > 0 && d <= 100000;
	if (!ok)
		return feed_error_set(e, "%s: '%.40s' is not a positive number", key, v);
	*out = d;
	return true;
}

/* The run flags: how this run goes, not settings of the file. */
static bool flag_config(struct kiosk_config *c, const char *key, const char *v,
			struct feed_error *e)
{
	return copy(c->config_path, sizeof(c->config_path), key, v, e);
}

static bool flag_screenshot(struct kiosk_config *c, const char *key, const char *v,
			    struct feed_error *e)
{
	bool ok = copy(c->screenshot, sizeof(c->screenshot), key, v, e);
	c->mode = KIOSK_SCREENSHOT;
	return ok;
}

static bool flag_size(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	(void)key;
	return size_arg(v, &c->width, &c->height) ||
	       feed_error_set(e, "size: '%.40s' is not WIDTHxHEIGHT (64 to 8192)", v);
}

static bool flag_at(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	return instant(c, key, v, &c->at_ms, c->at_text, e);
}

static bool flag_clock_start(struct kiosk_config *c, const char *key, const char *v,
			     struct feed_error *e)
{
	return instant(c, key, v, &c->clock_start_ms, c->clock_start_text, e);
}

static bool flag_clock_rate(struct kiosk_config *c, const char *key, const char *v,
			    struct feed_error *e)
{
	return positive_number(key, v, &c->clock_rate, e);
}

static bool flag_exit_after(struct kiosk_config *c, const char *key, const char *v,
			    struct feed_error *e)
{
	return positive_number(key, v, &c->exit_after_s, e);
}

static bool flag_bench(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e)
{
	long n = 0;
	bool ok = integer(key, v, 1, 100000, &n, e);
	c->bench_frames = (int)n;
	c->mode = KIOSK_BENCH;
	return ok;
}

static bool flag_frame_log(struct kiosk_config *c, const char *key, const char *v,
			   struct feed_error *e)
{
	return copy(c->frame_log, sizeof(c->frame_log), key, v, e);
}

static const struct {
	const char *key;
	bool (*set)(struct kiosk_config *c, const char *key, const char *v, struct feed_error *e);
} run_flags[] = {
	{"config", flag_config},
	{"screenshot", flag_screenshot},
	{"size", flag_size},
	{"at", flag_at},
	{"clock-start", flag_clock_start},
	{"clock-rate", flag_clock_rate},
	{"exit-after", flag_exit_after},
	{"bench", flag_bench},
	{"frame-log", flag_frame_log},
};

/* A list key given as a flag replaces the file's list: its first flag
 * empties it. */
struct list_flag {
	const char *key;
	size_t *count;
	bool cleared;
};

/* --KEY VALUE: a run flag, else a setting as in the file. */
static bool flag(struct kiosk_config *c, struct list_flag *lists, size_t n_lists, const char *key,
		 const char *v, struct feed_error *e)
{
	for (size_t k = 0; k < sizeof(run_flags) / sizeof(*run_flags); k++)
		if (strcmp(key, run_flags[k].key) == 0)
			return run_flags[k].set(c, key, v, e);
	for (size_t k = 0; k < n_lists; k++)
		if (strcmp(key, lists[k].key) == 0 && !lists[k].cleared) {
			*lists[k].count = 0;
			lists[k].cleared = true;
		}
	return kiosk_config_set(c, key, v, e);
}

bool kiosk_config_args(struct kiosk_config *c, int argc, char **argv, struct feed_error *e)
{
	struct list_flag lists[] = {{"room", &c->n_rooms, false},
				    {"queue", &c->n_queues, false},
				    {"walk", &c->n_walks, false},
				    {"capacity", &c->n_seats, false},
				    {"overflow", &c->n_overflows, false}};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (bare_flag(c, a))
			continue;
		if (strncmp(a, "--", 2) != 0 || !a[2])
			return feed_error_set(e, "'%.60s': expected --KEY VALUE (see --help)", a);
		if (i + 1 >= argc)
			return feed_error_set(e, "%.60s: needs a value", a);
		const char *key = a + 2, *v = argv[++i];
		struct feed_error ke;
		if (!flag(c, lists, sizeof(lists) / sizeof(*lists), key, v, &ke))
			return feed_error_set(e, "--%s", ke.msg);
	}
	return true;
}

/* --at and --clock-start given as wall times before the zone was known:
 * read now, in the zone the whole configuration says. */
static bool settle_wall_times(struct kiosk_config *c, struct feed_error *e)
{
	struct {
		const char *key;
		char *text;
		int64_t *ms;
	} waiting[] = {{"at", c->at_text, &c->at_ms},
		       {"clock-start", c->clock_start_text, &c->clock_start_ms}};
	for (size_t i = 0; i < sizeof(waiting) / sizeof(*waiting); i++) {
		if (!waiting[i].text[0])
			continue;
		struct civil t;
		civil_parse(waiting[i].text, strlen(waiting[i].text), &t);
		if (!to_ms(c, waiting[i].key, &t, waiting[i].ms, e))
			return false;
		waiting[i].text[0] = '\0';
	}
	return true;
}

/* Settings that need others: each refusal names what is missing. */
static bool check_needs(const struct kiosk_config *c, struct feed_error *e)
{
	if (!c->schedule_url[0])
		return feed_error_set(e, "schedule-url: not set (the feed this screen shows)");
	if (c->mode == KIOSK_SCREENSHOT && (!c->width || !c->height))
		return feed_error_set(e, "--screenshot needs --size WIDTHxHEIGHT");
	if (c->layout == KIOSK_LAYOUT_ROOM && !c->n_rooms)
		return feed_error_set(e,
				      "layout room: needs the room at this door (its `room` line)");
	if (c->heartbeat_url[0] && !c->heartbeat_token[0])
		return feed_error_set(e, "heartbeat-token: needed with heartbeat-url (the screen's "
					 "token in the server's config)");
	if (c->stream_url[0] && !c->heartbeat_token[0])
		return feed_error_set(e, "stream-url: needs heartbeat-token (the stream is the "
					 "screen's own)");
	return true;
}

/* Without a stream-url, the stream of the server the heartbeats go to. */
static bool default_stream_url(struct kiosk_config *c, struct feed_error *e)
{
	if (c->stream_url[0] || !c->heartbeat_url[0])
		return true;
	char origin[KIOSK_MAX_VALUE - 16];
	if (!text_url_origin(c->heartbeat_url, origin, sizeof(origin)))
		return feed_error_set(e, "heartbeat-url: '%.60s' has no host", c->heartbeat_url);
	snprintf(c->stream_url, sizeof(c->stream_url), "%s/v1/stream", origin);
	return true;
}

/* the phone page of the server this screen already talks to */
static void default_mobile_url(struct kiosk_config *c)
{
	const char *server = c->heartbeat_url[0] ? c->heartbeat_url : c->queues_url;
	if (!c->mobile_off && !c->mobile_url[0] &&
	    (!strncmp(server, "http://", 7) || !strncmp(server, "https://", 8))) {
		char origin[KIOSK_MAX_VALUE - 16];
		if (text_url_origin(server, origin, sizeof(origin)))
			snprintf(c->mobile_url, sizeof(c->mobile_url), "%s/m/%s", origin,
				 c->lang == LANG_FR ? "?lang=fr" : "");
	}
}

bool kiosk_config_check(struct kiosk_config *c, struct feed_error *e)
{
	if (!settle_wall_times(c, e) || !check_needs(c, e) || !default_stream_url(c, e))
		return false;
	default_mobile_url(c);
	if (c->page_s > c->page_s_max)
		return feed_error_set(e,
				      "page-seconds: %d is more than page-seconds-max %d (a page "
				      "stays from the one to the other, by its words)",
				      c->page_s, c->page_s_max);
	struct feed_error te;
	if (!theme_check(&c->theme, &te))
		return feed_error_set(e, "theme: %s", te.msg);
	return true;
}

const char *kiosk_config_usage(void)
{
	return "usage: venueboard [--config FILE] [--KEY VALUE ...] [run flags]\n"
	       "  every setting of the config file is also a flag: --schedule-url URL,\n"
	       "  --queues-url URL, --room NAME (repeat), --queue ID (repeat), --venue TEXT,\n"
	       "  --walk 'QUEUE MINUTES' (repeat), --capacity 'ROOM SEATS' (repeat),\n"
	       "  --rooms-url URL, --overflow '\"ROOM\" \"SHOWN IN\"' (repeat), --layout hall|room,\n"
	       "  --heartbeat-url URL, --stream-url URL, --run-dir DIR, --update-window HH:MM-HH:MM,\n"
	       "  --floor TEXT, --language en|fr, --orientation landscape|portrait,\n"
	       "  --timezone AREA/CITY, --cache-dir DIR, --log-level info|debug,\n"
	       "  --title TEXT, --viewing-distance METRES, --screen-diagonal INCHES, ...\n"
	       "  (assets/kiosk/venueboard.conf documents them all)\n"
	       "run flags:\n"
	       "  --screenshot OUT.png --size WxH [--at TIME]  render one frame headless and exit\n"
	       "  --window --size WxH                           a window instead of full screen\n"
	       "  --clock-start TIME --clock-rate N             replay a day (demo)\n"
	       "  --frame-log FILE                              append each presented frame's texts\n"
	       "  --exit-after SECONDS                          stop after a while (tests)\n"
	       "  --bench N                                     time N frames of each kind, exit\n";
}
