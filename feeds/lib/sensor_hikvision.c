/* sensor_hikvision: Hikvision ISAPI people counting, XML as the camera
 * pushes or answers it — an EventNotificationAlert with <peopleCounting>,
 * a CountingStatisticsResult (per-period counts) or a <Counting> document.
 * Elements are matched by local name: firmwares differ in namespace
 * (isapi.org/ver20, hikvision.com/ver20, none). libxml2 reads with no
 * network, no entity expansion and no output; a document declaring
 * entities is refused. */
#include "sensor_internal.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static bool is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The first child of parent named one of names (n of them). */
static const xmlNode *child_of(const xmlNode *parent, const char *const *names, size_t n)
{
	for (size_t i = 0; parent && i < n; i++)
		for (const xmlNode *k = parent->children; k; k = k->next)
			if (is_elem(k, names[i]))
				return k;
	return NULL;
}

static const xmlNode *child(const xmlNode *parent, const char *name)
{
	return child_of(parent, &name, 1);
}

/* The first element named name under n, depth first, at most depth levels
 * down (the counting block sits a level or two under the alert). */
static const xmlNode *find(const xmlNode *n, const char *name, int depth)
{
	for (const xmlNode *k = n->children; k && depth > 0; k = k->next) {
		if (is_elem(k, name))
			return k;
		const xmlNode *f = k->type == XML_ELEMENT_NODE ? find(k, name, depth - 1) : NULL;
		if (f)
			return f;
	}
	return NULL;
}

/* The text of n, trimmed, into buf (cap bytes); false when it does not fit. */
static bool text_of(const xmlNode *n, char *buf, size_t cap, size_t *len)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = t ? (const char *)t : "";
	size_t l = strlen(s);
	while (l > 0 && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++, l--;
	while (l > 0 &&
	       (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\r' || s[l - 1] == '\t'))
		l--;
	bool fits = l < cap;
	if (fits) {
		memcpy(buf, s, l);
		buf[l] = '\0';
		*len = l;
	}
	xmlFree(t);
	return fits;
}

static bool read_time(struct sensor_ctx *c, const xmlNode *n, const char *where, int64_t *t)
{
	char buf[64];
	size_t len;
	if (!text_of(n, buf, sizeof(buf), &len))
		return sensor_fail(c, "%s: not a date and time", where);
	return sensor_local_time(c, buf, len, where, t);
}

static bool read_count(struct sensor_ctx *c, const xmlNode *n, const char *where, int64_t *v)
{
	char buf[32];
	size_t len;
	if (!text_of(n, buf, sizeof(buf), &len))
		return sensor_fail(c, "%s: not a number", where);
	return sensor_count_text(c, buf, len, where, v);
}

/* When the counts of block were taken: a span (per-period counts) or a
 * moment (totals); t_ms stays as given (the alert's dateTime) otherwise. */
static bool read_when(struct sensor_ctx *c, const xmlNode *block, const char *at, bool *span,
		      int64_t *from, int64_t *t)
{
	static const char *const spans[] = {"timeSpan", "TimeSpan", "TimeRange", "timeRange"};
	static const char *const moments[] = {"time", "dateTime"};
	char where[160];
	const xmlNode *s = child_of(block, spans, 4);
	*span = s != NULL;
	if (s) {
		const xmlNode *b = child(s, "startTime"), *e = child(s, "endTime");
		snprintf(where, sizeof(where), "%s/%s/%s", at, (const char *)s->name,
			 b ? "endTime" : "startTime");
		if (!b || !e)
			return sensor_fail(c, "%s: missing", where);
		snprintf(where, sizeof(where), "%s/%s/startTime", at, (const char *)s->name);
		if (!read_time(c, b, where, from))
			return false;
		snprintf(where, sizeof(where), "%s/%s/endTime", at, (const char *)s->name);
		return read_time(c, e, where, t);
	}
	const xmlNode *rt = child(block, "RealTime");
	const xmlNode *m = child_of(rt ? rt : block, moments, 2);
	if (!m)
		return true;
	snprintf(where, sizeof(where), "%s/%s%s", at, rt ? "RealTime/" : "", (const char *)m->name);
	return read_time(c, m, where, t);
}

/* A block of counts: enter and leave (exit, exitCount, …), totals at a
 * moment or deltas over a span. t_ms: the enclosing message's time. */
static bool read_block(struct sensor_ctx *c, const xmlNode *block, const char *at, int64_t t_ms)
{
	static const char *const enters[] = {"enter", "enterCount", "enterNum"};
	static const char *const leaves[] = {"leave", "leaveCount", "exit", "exitCount", "exitNum"};
	const char *const *names[2] = {enters, leaves};
	const size_t n_names[2] = {3, 5};
	static const char *const counters[2] = {"enter", "leave"};
	int64_t from = SENSOR_NO_TIME, t = t_ms, v;
	bool span = false, any = false;
	char where[160];
	if (!read_when(c, block, at, &span, &from, &t))
		return false;
	for (int i = 0; i < 2; i++) {
		const xmlNode *n = child_of(block, names[i], n_names[i]);
		if (!n)
			continue;
		any = true;
		snprintf(where, sizeof(where), "%s/%s", at, (const char *)n->name);
		if (!read_count(c, n, where, &v) ||
		    !sensor_add(c, where, counters[i], strlen(counters[i]),
				span ? SENSOR_DELTA : SENSOR_TOTAL, v, t, from))
			return false;
	}
	if (!any)
		return sensor_fail(c, "%s: no enter or leave count", at);
	return true;
}

static bool read_alert(struct sensor_ctx *c, const xmlNode *root)
{
	int64_t t = SENSOR_NO_TIME;
	const xmlNode *dt = child(root, "dateTime");
	if (dt && !read_time(c, dt, "EventNotificationAlert/dateTime", &t))
		return false;
	const xmlNode *pc = find(root, "peopleCounting", 3);
	if (!pc)
		pc = find(root, "PeopleCounting", 3);
	if (!pc)
		return true; /* another event (a heartbeat, motion): no counts */
	char at[96];
	snprintf(at, sizeof(at), "EventNotificationAlert/%s", (const char *)pc->name);
	return read_block(c, pc, at, t);
}

static bool read_statistics(struct sensor_ctx *c, const xmlNode *root)
{
	const xmlNode *list = child(root, "matchList");
	int i = 0;
	for (const xmlNode *m = list ? list->children : NULL; m; m = m->next) {
		if (!is_elem(m, "matchElement"))
			continue;
		char at[96];
		snprintf(at, sizeof(at), "CountingStatisticsResult/matchList/matchElement[%d]",
			 i++);
		if (!read_block(c, m, at, SENSOR_NO_TIME))
			return false;
	}
	return true;
}

static bool declares_entities(const xmlDoc *doc)
{
	const xmlDtd *dtd = doc->intSubset;
	for (const xmlNode *n = dtd ? dtd->children : NULL; n; n = n->next)
		if (n->type == XML_ENTITY_DECL)
			return true;
	return false;
}

/* Finds s (n bytes) in b[0..len). */
static const char *find_bytes(const char *b, size_t len, const char *s, size_t n)
{
	for (size_t i = 0; n && i + n <= len; i++)
		if (b[i] == s[0] && memcmp(b + i, s, n) == 0)
			return b + i;
	return NULL;
}

/* A multipart body ("--boundary" first): its first XML part, up to the
 * next boundary. */
static void xml_part(const char **b, size_t *len)
{
	if (*len < 2 || (*b)[0] != '-' || (*b)[1] != '-')
		return;
	const char *eol = memchr(*b, '\n', *len);
	if (!eol)
		return;
	size_t blen = (size_t)(eol - *b);
	if (blen > 0 && (*b)[blen - 1] == '\r')
		blen--;
	const char *start = find_bytes(eol, *len - (size_t)(eol - *b), "<?xml", 5);
	if (!start)
		start = memchr(eol, '<', *len - (size_t)(eol - *b));
	if (!start)
		return;
	size_t rest = *len - (size_t)(start - *b);
	const char *end = find_bytes(start, rest, *b, blen);
	*len = end ? (size_t)(end - start) : rest;
	*b = start;
}

static bool read_doc(struct sensor_ctx *c, const xmlNode *root)
{
	if (!root)
		return sensor_fail(c, "no root element");
	if (is_elem(root, "EventNotificationAlert"))
		return read_alert(c, root);
	if (is_elem(root, "CountingStatisticsResult"))
		return read_statistics(c, root);
	if (is_elem(root, "Counting") || is_elem(root, "peopleCounting"))
		return read_block(c, root, (const char *)root->name, SENSOR_NO_TIME);
	return sensor_fail(c, "line %ld: the root element is <%.40s>, not a counting document",
			   xmlGetLineNo(root), (const char *)root->name);
}

bool sensor_hikvision_read(struct sensor_ctx *c, const char *bytes, size_t len)
{
	xml_part(&bytes, &len);
	if (len > (size_t)INT_MAX)
		return sensor_fail(c, "payload too large");
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	if (!pc)
		return sensor_fail(c, "out of memory");
	/* no network, no entity substitution, no DTD loading, nothing printed */
	const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc = xmlCtxtReadMemory(pc, bytes, (int)len, NULL, NULL, options);
	bool ok = false;
	if (!doc) {
		const xmlError *err = xmlCtxtGetLastError(pc);
		char msg[200] = "not well-formed XML";
		if (err && err->message)
			snprintf(msg, sizeof(msg), "%s", err->message);
		size_t ml = strlen(msg);
		while (ml > 0 && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
			msg[--ml] = '\0';
		sensor_fail(c, "line %d: %s", err ? err->line : 0, msg);
	} else if (declares_entities(doc)) {
		sensor_fail(c, "the document declares XML entities: refused for safety");
	} else {
		ok = read_doc(c, xmlDocGetRootElement(doc));
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
	return ok;
}
