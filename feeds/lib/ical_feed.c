/* ical_feed: iCalendar schedules. Line ends and folds are undone at the byte
 * level first (real files use CR CR LF and fold inside UTF-8 characters), the
 * BEGIN/END structure is checked with line numbers (a cut file is an error,
 * not a shorter schedule), then libical reads the properties. Zones: a
 * VTIMEZONE in the file, else the TZID as an IANA name (JRES writes
 * TZID=Europe/Paris with no VTIMEZONE), else the calendar's or caller's zone. */
#include "ical_feed.h"

#include "civil_time.h"
#include "schedule.h"
#include "text.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ICAL_MAX_DEPTH = 16, ICAL_ZONE_MAX = 64 };

/* The unfolded text, and the original line of each VEVENT's BEGIN. */
struct unfolded {
	char *text;
	long *event_lines;
	size_t n_events;
};

/* The index past one line end at k: any run of CRs optionally followed
 * by LF (CR CR LF counts as one). */
static size_t past_line_end(const char *buf, size_t len, size_t k)
{
	while (k < len && buf[k] == '\r')
		k++;
	if (k < len && buf[k] == '\n')
		k++;
	return k;
}

/* Normalises line ends (CR CR LF, CR LF, lone CR) to LF and removes folds
 * (LF followed by space or tab), keeping bytes as they are. Records the
 * original line number of each logical line that is BEGIN:VEVENT. */
static bool unfold(const char *buf, size_t len, struct unfolded *u, struct feed_error *e)
{
	u->text = malloc(len + 1);
	size_t cap = 64;
	u->event_lines = malloc(cap * sizeof(*u->event_lines));
	if (!u->text || !u->event_lines)
		return feed_error_set(e, "out of memory");
	size_t o = 0, line_start = 0;
	long line = 1, logical_line = 1;
	for (size_t i = 0; i <= len; i++) {
		bool eol = i < len && (buf[i] == '\n' || buf[i] == '\r');
		if (i < len && !eol) {
			u->text[o++] = buf[i];
			continue;
		}
		size_t j = past_line_end(buf, len, i);
		if (i < len)
			line++;
		if (i < len && j < len && (buf[j] == ' ' || buf[j] == '\t')) {
			i = j; /* a fold: drop the line end and the one white space */
			continue;
		}
		if (o - line_start == 12 && memcmp(u->text + line_start, "BEGIN:VEVENT", 12) == 0) {
			if (u->n_events == cap) {
				long *p = realloc(u->event_lines, 2 * cap * sizeof(*p));
				if (!p)
					return feed_error_set(e, "out of memory");
				u->event_lines = p;
				cap *= 2;
			}
			u->event_lines[u->n_events++] = logical_line;
		}
		if (i < len)
			u->text[o++] = '\n';
		line_start = o;
		logical_line = line;
		i = j > i ? j - 1 : i;
	}
	u->text[o] = '\0';
	return true;
}

/* The components open at a line: names (not NUL-terminated), their
 * lengths and the lines of their BEGIN; seen once BEGIN:VCALENDAR came. */
struct open_components {
	const char *name[ICAL_MAX_DEPTH];
	size_t len[ICAL_MAX_DEPTH];
	long line[ICAL_MAX_DEPTH];
	int depth;
	bool seen;
};

/* BEGIN:name at line: the first one must open the VCALENDAR. */
static bool open_component(struct open_components *st, const char *l, size_t ll, long line,
			   struct feed_error *e)
{
	if (!st->seen && (ll != 15 || memcmp(l + 6, "VCALENDAR", 9) != 0))
		return feed_error_set(e,
				      "line %ld: an iCalendar file starts with "
				      "BEGIN:VCALENDAR",
				      line);
	if (st->depth == ICAL_MAX_DEPTH)
		return feed_error_set(e,
				      "line %ld: nested too deeply: more than %d "
				      "levels of BEGIN:",
				      line, ICAL_MAX_DEPTH);
	st->seen = true;
	st->name[st->depth] = l + 6;
	st->len[st->depth] = ll - 6;
	st->line[st->depth++] = line;
	return true;
}

/* END:name at line: it must close the innermost open component. */
static bool close_component(struct open_components *st, const char *l, size_t ll, long line,
			    struct feed_error *e)
{
	int depth = st->depth;
	size_t nl = ll - 4;
	if (!depth || st->len[depth - 1] != nl || memcmp(st->name[depth - 1], l + 4, nl) != 0)
		return feed_error_set(e,
				      "line %ld: %.*s does not close the open "
				      "component",
				      line, (int)(ll > 40 ? 40 : ll), l);
	st->depth--;
	return true;
}

/* One physical line l (ll bytes, no line end) at line. */
static bool structure_line(struct open_components *st, const char *l, size_t ll, long line,
			   struct feed_error *e)
{
	if (ll > 6 && memcmp(l, "BEGIN:", 6) == 0)
		return open_component(st, l, ll, line, e);
	if (ll > 4 && memcmp(l, "END:", 4) == 0)
		return close_component(st, l, ll, line, e);
	if (!st->seen && ll > 0)
		return feed_error_set(e, "line %ld: not iCalendar (expected BEGIN:VCALENDAR)",
				      line);
	return true;
}

/* Checks that every BEGIN has its END, in order, naming the line if not. */
static bool check_structure(const char *buf, size_t len, struct feed_error *e)
{
	struct open_components st;
	st.depth = 0;
	st.seen = false;
	long line = 1;
	size_t i = 0;
	while (i < len) {
		/* physical line [i, k) */
		size_t k = i;
		while (k < len && buf[k] != '\n' && buf[k] != '\r')
			k++;
		if (!structure_line(&st, buf + i, k - i, line, e))
			return false;
		line++;
		i = past_line_end(buf, len, k);
	}
	if (!st.seen)
		return feed_error_set(e, "not iCalendar (no BEGIN:VCALENDAR)");
	int top = st.depth - 1;
	if (st.depth)
		return feed_error_set(e, "line %ld: BEGIN:%.*s is never closed (truncated file?)",
				      st.line[top], (int)(st.len[top] > 40 ? 40 : st.len[top]),
				      st.name[top]);
	return true;
}

/* A property's text whether the exporter typed it (VALUE=TEXT, as Apple
 * writes X-WR-CALNAME) or not; libical keeps the two apart. */
static const char *prop_text(icalproperty *p)
{
	icalvalue *v = p ? icalproperty_get_value(p) : NULL;
	if (!v)
		return NULL;
	if (icalvalue_isa(v) == ICAL_TEXT_VALUE)
		return icalvalue_get_text(v);
	return icalvalue_isa(v) == ICAL_X_VALUE ? icalvalue_get_x(v) : NULL;
}

static const char *x_property(icalcomponent *c, const char *name)
{
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	     p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
		const char *xn = icalproperty_get_x_name(p);
		if (xn && strcmp(xn, name) == 0)
			return prop_text(p);
	}
	return NULL;
}

static bool has_text(const char *s)
{
	return s && s[strspn(s, " \t\r\n")] != '\0';
}

/* The conference title: the calendar's name (X-WR-CALNAME, or RFC 7986's
 * NAME), else the first line of its description (X-WR-CALDESC), said in a
 * warning since a description is not meant as a title. NULL when none. */
static const char *calendar_title(struct schedule *s, icalcomponent *cal)
{
	const char *name = x_property(cal, "X-WR-CALNAME");
	if (has_text(name))
		return name;
	name = prop_text(icalcomponent_get_first_property(cal, ICAL_NAME_PROPERTY));
	if (has_text(name))
		return name;
	const char *desc = x_property(cal, "X-WR-CALDESC");
	if (!has_text(desc))
		return NULL;
	desc += strspn(desc, " \t\r\n");
	schedule_warn(s, "the calendar has no X-WR-CALNAME: the first line of X-WR-CALDESC is "
			 "the title");
	return schedule_text(s, desc, strcspn(desc, "\r\n"), SCHEDULE_MAX_TITLE);
}

/* An IANA name inside a TZID, for TZIDs like "/mozilla.org/2005_1/Europe/Paris". */
static const char *iana_suffix(const char *tzid)
{
	for (const char *p = tzid; p && *p; p = strchr(p + 1, '/')) {
		const char *cand = *p == '/' ? p + 1 : p;
		if (civil_zone_known(cand))
			return cand;
	}
	return NULL;
}

struct ical_ctx {
	struct schedule *s;
	icalcomponent *cal;
	const struct civil_zone *zone; /* for floating times */
	char last_iana[ICAL_ZONE_MAX]; /* the last TZID resolved, and its zone */
	const struct civil_zone *last_zone;
	char used_zone[ICAL_ZONE_MAX]; /* the TZID the events use, "" none, "*" several */
	struct feed_error *e;
};

/* UTC seconds of a DTSTART/DTEND property; false with e filled. */
static bool prop_time(struct ical_ctx *c, icalproperty *p, struct icaltimetype t, int64_t *out)
{
	if (icaltime_is_utc(t)) {
		*out = (int64_t)icaltime_as_timet(t);
		return true;
	}
	icalparameter *tzp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	const char *tzid = tzp ? icalparameter_get_tzid(tzp) : NULL;
	struct civil cv = {.year = t.year,
			   .month = t.month,
			   .day = t.day,
			   .hour = t.hour,
			   .minute = t.minute,
			   .second = t.second,
			   .has_time = true};
	if (!tzid)
		return civil_to_utc_in(&cv, c->zone, out, c->e);
	icaltimezone *own = icalcomponent_get_timezone(c->cal, tzid);
	if (own) {
		*out = (int64_t)icaltime_as_timet_with_zone(t, own);
		return true;
	}
	if (c->last_zone && strcmp(tzid, c->last_iana) == 0)
		return civil_to_utc_in(&cv, c->last_zone, out, c->e);
	const char *iana = iana_suffix(tzid);
	if (!iana)
		return feed_error_set(c->e,
				      "TZID '%.60s' is neither defined in the file nor an IANA "
				      "zone",
				      tzid);
	if (strlen(tzid) < sizeof(c->last_iana)) {
		snprintf(c->last_iana, sizeof(c->last_iana), "%s", tzid);
		c->last_zone = civil_zone_find(iana);
	}
	if (!c->used_zone[0])
		snprintf(c->used_zone, sizeof(c->used_zone), "%s", iana);
	else if (strcmp(c->used_zone, iana) != 0)
		snprintf(c->used_zone, sizeof(c->used_zone), "*");
	return civil_to_utc(&cv, iana, out, c->e);
}

static bool read_event(struct ical_ctx *c, icalcomponent *ev, size_t index, long line)
{
	struct schedule *s = c->s;
	const char *uid = icalcomponent_get_uid(ev);
	char idbuf[32];
	if (!uid || !*uid) {
		snprintf(idbuf, sizeof(idbuf), "ical-%zu", index + 1);
		schedule_warn(s, "line %ld: event without UID, called '%s'", line, idbuf);
		uid = idbuf;
	}
	if (strlen(uid) > SCHEDULE_MAX_ID)
		return feed_error_set(c->e, "line %ld: UID longer than %d bytes", line,
				      SCHEDULE_MAX_ID);
	icalproperty *ps = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	if (!ps) {
		icalproperty *err = icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY);
		return feed_error_set(c->e, "line %ld: event %.60s: no readable DTSTART%s%.120s",
				      line, uid, err ? ": " : "",
				      err ? icalproperty_get_xlicerror(err) : "");
	}
	struct icaltimetype ts = icalproperty_get_dtstart(ps);
	if (ts.is_date) {
		schedule_warn(s, "line %ld: event %.60s lasts all day: left off the board", line,
			      uid);
		return true;
	}
	int64_t start, end;
	char inner[FEED_ERROR_MAX];
	if (!prop_time(c, ps, ts, &start)) {
		snprintf(inner, sizeof(inner), "%s", c->e->msg);
		return feed_error_set(c->e, "line %ld: event %.60s: DTSTART: %s", line, uid, inner);
	}
	icalproperty *pe = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	icalproperty *pd = icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY);
	if (pe) {
		if (!prop_time(c, pe, icalproperty_get_dtend(pe), &end)) {
			snprintf(inner, sizeof(inner), "%s", c->e->msg);
			return feed_error_set(c->e, "line %ld: event %.60s: DTEND: %s", line, uid,
					      inner);
		}
	} else if (pd) {
		end = start + icaldurationtype_as_int(icalproperty_get_duration(pd));
	} else {
		end = start;
	}
	if (icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY))
		schedule_warn(s,
			      "line %ld: event %.60s repeats (RRULE): only its first occurrence "
			      "is shown",
			      line, uid);
	const char *location = icalcomponent_get_location(ev);
	const char *room = NULL;
	if (location && *location && !(room = schedule_room(s, location, strlen(location), c->e))) {
		snprintf(inner, sizeof(inner), "%s", c->e->msg);
		return feed_error_set(c->e, "line %ld: event %.60s: LOCATION: %s", line, uid,
				      inner);
	}
	struct session *x = schedule_add_session(s, c->e);
	if (!x)
		return false;
	const char *summary = icalcomponent_get_summary(ev);
	icalproperty *cat = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY);
	x->id = schedule_id(s, uid, SIZE_MAX);
	x->title = schedule_text(s, summary ? summary : "", SIZE_MAX, SCHEDULE_MAX_TITLE);
	x->room = room;
	x->start = start;
	x->end = end;
	x->track = cat ? schedule_text(s, icalproperty_get_categories(cat), SIZE_MAX,
				       SCHEDULE_MAX_NAME)
		       : NULL;
	if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED)
		x->status = SESSION_CANCELLED;
	if (!x->id || !x->title)
		return feed_error_set(c->e, "out of memory");
	return true;
}

bool ical_feed_parse(const char *buf, size_t len, const struct feed_options *opt,
		     struct schedule **out, struct feed_error *e)
{
	*out = NULL;
	text_skip_bom(&buf, &len);
	if (len > SCHEDULE_MAX_FEED_BYTES)
		return feed_error_set(e, "feed larger than the %d MiB limit",
				      SCHEDULE_MAX_FEED_BYTES / (1024 * 1024));
	if (!check_structure(buf, len, e))
		return false;
	struct unfolded u = {0};
	struct ical_ctx c = {.e = e};
	bool ok = false;
	if (!unfold(buf, len, &u, e))
		goto out;
	icalerror_set_errors_are_fatal(0);
	c.cal = icalparser_parse_string(u.text);
	if (!c.cal || icalcomponent_isa(c.cal) != ICAL_VCALENDAR_COMPONENT) {
		feed_error_set(e, "line 1: libical could not read the calendar");
		goto out;
	}
	c.s = schedule_create();
	if (!c.s) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	c.s->format = "icalendar";
	const char *calzone = x_property(c.cal, "X-WR-TIMEZONE");
	const char *zone = opt && opt->timezone ? opt->timezone : calzone;
	if (!schedule_set_conference(c.s, calendar_title(c.s, c.cal), zone, e))
		goto out;
	c.zone = c.s->zone;
	size_t index = 0;
	for (icalcomponent *ev = icalcomponent_get_first_component(c.cal, ICAL_VEVENT_COMPONENT);
	     ev; ev = icalcomponent_get_next_component(c.cal, ICAL_VEVENT_COMPONENT), index++) {
		long line = index < u.n_events ? u.event_lines[index] : 0;
		if (!read_event(&c, ev, index, line))
			goto out;
	}
	/* No zone named for the calendar: the one every event uses is it. */
	if (!c.s->timezone && c.used_zone[0] && strcmp(c.used_zone, "*") != 0 &&
	    !schedule_set_conference(c.s, NULL, c.used_zone, e))
		goto out;
	ok = schedule_finish_into(&c.s, out, e);
out:
	schedule_destroy(c.s);
	if (c.cal)
		icalcomponent_free(c.cal);
	free(u.text);
	free(u.event_lines);
	return ok;
}
