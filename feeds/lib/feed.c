/* feed: format detection by content and dispatch to the readers. */
#include "feed.h"

#include "frab_json.h"
#include "ical_feed.h"
#include "normalized_json.h"
#include "pentabarf_xml.h"
#include "schedule.h"
#include "sessionize_json.h"
#include "text.h"

#include <string.h>

/* True when the first bytes of the JSON text (after the opening brace) hold
 * key within the first window bytes: cheap and good enough to route. */
static bool has_key(const char *buf, size_t len, const char *key, size_t window)
{
	size_t kl = strlen(key);
	if (len > window)
		len = window;
	for (size_t i = 0; i + kl <= len; i++)
		if (memcmp(buf + i, key, kl) == 0)
			return true;
	return false;
}

enum feed_format feed_detect(const char *buf, size_t len)
{
	text_skip_bom(&buf, &len);
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	buf += i;
	len -= i;
	if (len == 0)
		return FEED_UNKNOWN;
	if (buf[0] == '<')
		return FEED_PENTABARF_XML;
	if (len >= 15 && text_starts_with_ci(buf, "BEGIN:VCALENDAR"))
		return FEED_ICALENDAR;
	if (buf[0] != '{')
		return FEED_UNKNOWN;
	if (has_key(buf, len, "\"venueboard.schedule/", 4096))
		return FEED_NORMALIZED;
	if (has_key(buf, len, "\"schedule\"", 4096))
		return FEED_FRAB_JSON;
	/* Sessionize puts sessions first; its marker keys sit in every session. */
	if (has_key(buf, len, "\"startsAt\"", 64 * 1024) || has_key(buf, len, "\"sessions\"", 4096))
		return FEED_SESSIONIZE;
	return FEED_UNKNOWN;
}

const char *feed_format_name(enum feed_format f)
{
	switch (f) {
	case FEED_FRAB_JSON: return "frab-json";
	case FEED_PENTABARF_XML: return "pentabarf-xml";
	case FEED_SESSIONIZE: return "sessionize";
	case FEED_ICALENDAR: return "icalendar";
	case FEED_NORMALIZED: return "venueboard";
	case FEED_UNKNOWN: break;
	}
	return "unknown";
}

bool feed_parse(const char *buf, size_t len, const struct feed_options *opt, struct schedule **out,
		struct feed_error *e)
{
	*out = NULL;
	if (len > SCHEDULE_MAX_FEED_BYTES)
		return feed_error_set(e, "feed is %zu bytes, more than the %d MiB limit", len,
				      SCHEDULE_MAX_FEED_BYTES / (1024 * 1024));
	switch (feed_detect(buf, len)) {
	case FEED_FRAB_JSON: return frab_json_parse(buf, len, opt, out, e);
	case FEED_PENTABARF_XML: return pentabarf_xml_parse(buf, len, opt, out, e);
	case FEED_SESSIONIZE: return sessionize_json_parse(buf, len, opt, out, e);
	case FEED_ICALENDAR: return ical_feed_parse(buf, len, opt, out, e);
	case FEED_NORMALIZED: return normalized_json_parse(buf, len, opt, out, e);
	case FEED_UNKNOWN: break;
	}
	if (len == 0)
		return feed_error_set(e, "the feed is empty");
	return feed_error_set(e, "not a schedule format venueboard reads (frab/pretalx "
				 "schedule.json, pentabarf schedule.xml, Sessionize JSON, "
				 "iCalendar, or venueboard.schedule/1)");
}
