/* pentabarf_xml: schedule.xml as pentabarf, frab and FOSDEM publish it —
 * <schedule><conference/><day><room><event/></room></day></schedule>; a
 * <schedule> holding some other structure is refused, not read as empty.
 * libxml2 parses with no network, no entity expansion and no error output;
 * a document that declares entities is refused outright. */
#include "pentabarf_xml.h"

#include "civil_time.h"
#include "event_time.h"
#include "schedule.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

struct xml_ctx {
	struct schedule *s;
	const struct civil_zone *zone;
	struct feed_error *e;
};

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
	for (const xmlNode *n = parent->children; n; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

/* Text content of the named child (owned by xml: free with xmlFree), NULL
 * when absent. */
static char *child_text(const xmlNode *parent, const char *name)
{
	const xmlNode *n = child(parent, name);
	return n ? (char *)xmlNodeGetContent(n) : NULL;
}

static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static bool is_cancelled_state(const char *v)
{
	return v && (strcmp(v, "cancelled") == 0 || strcmp(v, "canceled") == 0 ||
		     strcmp(v, "withdrawn") == 0);
}

/* The event's fields, freed together. */
struct event_fields {
	char *id, *title, *date, *start, *end, *duration, *room, *track, *type, *language,
		*subtitle, *state;
};

static void fields_free(struct event_fields *f)
{
	char **all[] = {&f->id,   &f->title, &f->date, &f->start,    &f->end,      &f->duration,
			&f->room, &f->track, &f->type, &f->language, &f->subtitle, &f->state};
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++) {
		xmlFree(*all[i]);
		*all[i] = NULL;
	}
}

/* The <person> children of parent (NULL: none) as speakers of x. */
static bool read_persons(struct xml_ctx *c, struct session *x, const xmlNode *parent)
{
	for (const xmlNode *p = parent ? parent->children : NULL; p; p = p->next) {
		if (!is_elem(p, "person"))
			continue;
		char *name = (char *)xmlNodeGetContent(p);
		bool added = !name || schedule_add_speaker(c->s, x, name, strlen(name), c->e);
		xmlFree(name);
		if (!added)
			return false;
	}
	return true;
}

/* Puts "line N: event ID: " (and "<field>: " when field names one) before
 * the reason already in c->e. */
static bool event_error(struct xml_ctx *c, long line, const char *id, const char *field)
{
	char inner[FEED_ERROR_MAX];
	snprintf(inner, sizeof(inner), "%s", c->e->msg);
	if (field)
		return feed_error_set(c->e, "line %ld: event %.60s: <%s>: %s", line, id, field,
				      inner);
	return feed_error_set(c->e, "line %ld: event %.60s: %s", line, id, inner);
}

/* The event's id attribute, else its guid; at most SCHEDULE_MAX_ID bytes. */
static bool read_event_id(struct xml_ctx *c, const xmlNode *ev, long line, struct event_fields *f)
{
	f->id = attr(ev, "id");
	if (!f->id || !*f->id) {
		xmlFree(f->id);
		f->id = attr(ev, "guid");
	}
	if (!f->id || !*f->id)
		return feed_error_set(
			c->e, "line %ld: <event> has neither an id nor a guid attribute", line);
	if (strlen(f->id) > SCHEDULE_MAX_ID)
		return feed_error_set(c->e, "line %ld: event id longer than %d bytes", line,
				      SCHEDULE_MAX_ID);
	return true;
}

/* The event's start and end from <date>, <start>, <end> and <duration>
 * (a bare time of day is on day, the listing's date). */
static bool read_event_times(struct xml_ctx *c, const xmlNode *ev, long line,
			     struct event_fields *f, const struct civil *day, int day_change_s,
			     int64_t *start, int64_t *end)
{
	f->date = child_text(ev, "date");
	f->start = child_text(ev, "start");
	f->end = child_text(ev, "end");
	f->duration = child_text(ev, "duration");
	struct event_time_in in = {.date = f->date,
				   .start = f->start,
				   .end = f->end,
				   .duration = f->duration,
				   .day = day,
				   .day_change_s = day_change_s,
				   .zone = c->zone};
	const char *field = NULL;
	bool no_duration;
	if (!event_time_resolve(&in, start, end, &field, &no_duration, c->e))
		return event_error(c, line, f->id, field);
	if (no_duration)
		schedule_warn(c->s, "line %ld: event %s has no duration, taken as 0", line, f->id);
	return true;
}

/* The event's room: its own <room>, else the <room name> it is listed
 * under; *room NULL when neither names one. */
static bool read_event_room(struct xml_ctx *c, const xmlNode *ev, long line, struct event_fields *f,
			    const char *room_name, const char **room)
{
	f->room = child_text(ev, "room");
	const char *rname = f->room && *f->room ? f->room : room_name;
	*room = NULL;
	if (rname && *rname && !(*room = schedule_room(c->s, rname, strlen(rname), c->e)))
		return event_error(c, line, f->id, NULL);
	return true;
}

/* The optional texts into x (empty ones left out, but an empty subtitle
 * kept), and a <state> (element or attribute) that cancels it. */
static void read_event_texts(struct schedule *s, const xmlNode *ev, struct event_fields *f,
			     struct session *x)
{
	f->track = child_text(ev, "track");
	f->type = child_text(ev, "type");
	f->language = child_text(ev, "language");
	f->subtitle = child_text(ev, "subtitle");
	f->state = child_text(ev, "state");
	if (!f->state)
		f->state = attr(ev, "state");
	x->track = f->track && *f->track ? schedule_text(s, f->track, SIZE_MAX, SCHEDULE_MAX_NAME)
					 : NULL;
	x->type =
		f->type && *f->type ? schedule_text(s, f->type, SIZE_MAX, SCHEDULE_MAX_NAME) : NULL;
	x->language =
		f->language && *f->language ? schedule_text(s, f->language, SIZE_MAX, 16) : NULL;
	x->subtitle =
		f->subtitle ? schedule_text(s, f->subtitle, SIZE_MAX, SCHEDULE_MAX_TITLE) : NULL;
	if (is_cancelled_state(f->state))
		x->status = SESSION_CANCELLED;
}

static bool read_event(struct xml_ctx *c, const xmlNode *ev, const char *room_name,
		       const struct civil *day, int day_change_s)
{
	long line = xmlGetLineNo(ev);
	struct event_fields f = {0};
	bool ok = false;
	if (!read_event_id(c, ev, line, &f))
		goto out;
	f.title = child_text(ev, "title");
	if (!f.title) {
		feed_error_set(c->e, "line %ld: event %.60s has no <title>", line, f.id);
		goto out;
	}
	int64_t start, end;
	const char *room;
	if (!read_event_times(c, ev, line, &f, day, day_change_s, &start, &end) ||
	    !read_event_room(c, ev, line, &f, room_name, &room))
		goto out;
	struct schedule *s = c->s;
	struct session *x = schedule_add_session(s, c->e);
	if (!x)
		goto out;
	x->id = schedule_id(s, f.id, SIZE_MAX);
	x->title = schedule_text(s, f.title, SIZE_MAX, SCHEDULE_MAX_TITLE);
	x->room = room;
	x->start = start;
	x->end = end;
	read_event_texts(s, ev, &f, x);
	if (!x->id || !x->title) {
		feed_error_set(c->e, "out of memory");
		goto out;
	}
	/* Some exporters drop the <persons> wrapper and list <person> in <event>. */
	ok = read_persons(c, x, child(ev, "persons")) && read_persons(c, x, ev);
out:
	fields_free(&f);
	return ok;
}

static bool read_day(struct xml_ctx *c, const xmlNode *day, int day_change_s)
{
	struct civil date;
	bool have_date = false;
	char *d = attr(day, "date");
	if (d && civil_parse(d, strlen(d), &date) && !date.has_time)
		have_date = true;
	else if (d)
		schedule_warn(c->s, "line %ld: <day date=\"%.40s\"> is not a date",
			      xmlGetLineNo(day), d);
	xmlFree(d);
	for (const xmlNode *n = day->children; n; n = n->next) {
		if (is_elem(n, "event")) { /* some exporters skip the <room> level */
			if (!read_event(c, n, NULL, have_date ? &date : NULL, day_change_s))
				return false;
			continue;
		}
		if (!is_elem(n, "room"))
			continue;
		char *room_name = attr(n, "name");
		bool ok = true;
		for (const xmlNode *ev = n->children; ok && ev; ev = ev->next)
			if (is_elem(ev, "event"))
				ok = read_event(c, ev, room_name, have_date ? &date : NULL,
						day_change_s);
		xmlFree(room_name);
		if (!ok)
			return false;
	}
	return true;
}

/* The conference's day change ("09:00:00"): starts before it are after midnight. */
static int day_change_of(struct xml_ctx *c, const xmlNode *conf)
{
	char *dc = conf ? child_text(conf, "day_change") : NULL;
	int secs = 0;
	if (dc && *dc && !civil_parse_clock(dc, strlen(dc), &secs)) {
		schedule_warn(c->s, "<day_change> '%.20s' is not a time of day: midnight used", dc);
		secs = 0;
	}
	xmlFree(dc);
	return secs;
}

static bool named_in(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (is_elem(n, *names))
			return true;
	return false;
}

/* The first element where pentabarf has <day>, <room> or <event> (or the
 * header elements frab and FOSDEM write beside them) but the feed has
 * something else: the sign of another format under a <schedule> root. */
static const xmlNode *foreign_element(const xmlNode *root)
{
	static const char *const top[] = {"conference", "day",     "version", "generator",
					  "tracks",     "persons", NULL};
	static const char *const in_day[] = {"room", "event", NULL};
	static const char *const in_room[] = {"event", NULL};
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!named_in(n, top))
			return n;
		for (const xmlNode *r = is_elem(n, "day") ? n->children : NULL; r; r = r->next) {
			if (r->type != XML_ELEMENT_NODE)
				continue;
			if (!named_in(r, in_day))
				return r;
			for (const xmlNode *ev = r->children; ev; ev = ev->next)
				if (ev->type == XML_ELEMENT_NODE && !named_in(ev, in_room))
					return ev;
		}
	}
	return NULL;
}

/* With no event read, tells a schedule with nothing scheduled yet (days and
 * empty rooms, or only the conference: frab exports both) from a document
 * that is not pentabarf at all, which is refused rather than read as empty. */
static bool check_structure(const xmlNode *root, struct feed_error *e)
{
	const xmlNode *odd = foreign_element(root);
	char found[120];
	if (odd)
		snprintf(found, sizeof(found), "found <%.40s> under <%.40s>",
			 (const char *)odd->name, (const char *)odd->parent->name);
	else if (!child(root, "conference") && !child(root, "day"))
		snprintf(found, sizeof(found), "no <conference> and no <day>");
	else
		return true;
	return feed_error_set(e,
			      "line %ld: no <day><room><event> found: not a pentabarf/frab "
			      "schedule (%s)",
			      xmlGetLineNo(odd ? odd : root), found);
}

/* libxml2 stops past 256 levels (its guard against stack exhaustion) with
 * advice meant for programmers: 2.9 reports an internal error carrying the
 * limit, 2.12 and later a resource limit carrying the depth reached. Fills
 * *limit when err is that. */
static bool too_deep(const xmlError *err, int *limit)
{
#if LIBXML_VERSION >= 21200
	*limit = 256;
	return err->code == XML_ERR_RESOURCE_LIMIT && err->int1 > *limit;
#else
	*limit = err->int1;
	return err->code == XML_ERR_INTERNAL_ERROR && err->int1 > 0 &&
	       (unsigned)err->int1 == xmlParserMaxDepth;
#endif
}

static bool declares_entities(const xmlDoc *doc)
{
	const xmlDtd *dtd = doc->intSubset;
	if (!dtd)
		return false;
	for (const xmlNode *n = dtd->children; n; n = n->next)
		if (n->type == XML_ENTITY_DECL)
			return true;
	return false;
}

/* Why libxml2 read no document, as "line N: reason" (its message without
 * the trailing newline, or ours for a document nested too deeply). */
static bool not_read(xmlParserCtxtPtr pc, struct feed_error *e)
{
	const xmlError *err = xmlCtxtGetLastError(pc);
	char msg[200] = "not well-formed XML";
	int limit;
	if (err && too_deep(err, &limit)) {
		snprintf(msg, sizeof(msg),
			 "nested too deeply: more than %d levels of "
			 "elements",
			 limit);
	} else if (err && err->message) {
		snprintf(msg, sizeof(msg), "%s", err->message);
		size_t ml = strlen(msg);
		while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
			msg[--ml] = '\0';
	}
	return feed_error_set(e, "line %d: %s", err ? err->line : 0, msg);
}

/* The <conference>'s title and time zone (opt's zone before the feed's);
 * conf NULL: neither. */
static bool read_conference(struct schedule *s, const xmlNode *conf, const struct feed_options *opt,
			    struct feed_error *e)
{
	char *title = conf ? child_text(conf, "title") : NULL;
	char *tz = conf ? child_text(conf, "time_zone_name") : NULL;
	const char *zone = opt && opt->timezone ? opt->timezone : tz;
	bool ok = schedule_set_conference(s, title, zone, e);
	xmlFree(title);
	xmlFree(tz);
	return ok;
}

bool pentabarf_xml_parse(const char *buf, size_t len, const struct feed_options *opt,
			 struct schedule **out, struct feed_error *e)
{
	*out = NULL;
	if (len > (size_t)INT_MAX || len > SCHEDULE_MAX_FEED_BYTES)
		return feed_error_set(e, "feed larger than the %d MiB limit",
				      SCHEDULE_MAX_FEED_BYTES / (1024 * 1024));
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	if (!pc)
		return feed_error_set(e, "out of memory");
	/* No network, no entity substitution, no DTD loading, nothing printed. */
	const int options =
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlDocPtr doc = xmlCtxtReadMemory(pc, buf, (int)len, NULL, NULL, options);
	struct schedule *s = NULL;
	bool ok = false;
	if (!doc) {
		not_read(pc, e);
		goto out;
	}
	if (declares_entities(doc)) {
		feed_error_set(e,
			       "the document declares XML entities; schedule feeds have no use for "
			       "them and they are refused for safety");
		goto out;
	}
	const xmlNode *root = xmlDocGetRootElement(doc);
	if (!root || !is_elem(root, "schedule")) {
		feed_error_set(e, "line %ld: the root element is <%s>, not <schedule>",
			       root ? xmlGetLineNo(root) : 1L,
			       root ? (const char *)root->name : "");
		goto out;
	}
	s = schedule_create();
	if (!s) {
		feed_error_set(e, "out of memory");
		goto out;
	}
	s->format = "pentabarf-xml";
	const xmlNode *conf = child(root, "conference");
	if (!read_conference(s, conf, opt, e))
		goto out;
	struct xml_ctx c = {.s = s, .zone = s->zone, .e = e};
	int day_change_s = day_change_of(&c, conf);
	for (const xmlNode *n = root->children; n; n = n->next)
		if (is_elem(n, "day") && !read_day(&c, n, day_change_s))
			goto out;
	if (s->n_sessions == 0 && !check_structure(root, e))
		goto out;
	ok = schedule_finish_into(&s, out, e);
out:
	schedule_destroy(s);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return ok;
}
