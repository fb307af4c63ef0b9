/* update_files: lines are taken only as far as the first newline; what is
 * sent on to the server is checked the way the server checks it, so one bad
 * file cannot get a whole heartbeat refused. */
#include "update_files.h"

#include "civil_time.h"
#include "fleet_state.h"
#include "kiosk_config.h"
#include "schedule.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <string.h>

char *update_files_target(const struct fleet_update *u, const char *base)
{
	char url[FLEET_URL_MAX + KIOSK_MAX_VALUE];
	if (!text_url_resolve(base, u->url, url, sizeof(url)))
		return NULL;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "version", u->version);
	cJSON_AddStringToObject(o, "url", url);
	cJSON_AddNumberToObject(o, "size", (double)u->size);
	cJSON_AddStringToObject(o, "sha256", u->sha256);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return json;
}

/* Bytes of buf's first line, a trailing CR left out. */
static size_t first_line(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n = nl ? (size_t)(nl - buf) : len;
	return n && buf[n - 1] == '\r' ? n - 1 : n;
}

bool update_files_status(const char *buf, size_t len, char out[UPDATE_STATUS_MAX + 1])
{
	size_t n = first_line(buf, len);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	if (n > UPDATE_STATUS_MAX) { /* cut before a continuation byte, never inside a character */
		n = UPDATE_STATUS_MAX;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
	}
	if (n == 0 || !text_is_one_line(buf, n))
		return false;
	memcpy(out, buf, n);
	out[n] = '\0';
	return true;
}

/* A word of printable ASCII at most cap - 1 bytes, from *p up to a space or
 * end; *p moves past it. */
static bool word(const char **p, const char *end, char *out, size_t cap)
{
	const char *s = *p;
	while (*p<end &&* * p> ' ' && **p < 0x7f)
		(*p)++;
	size_t n = (size_t)(*p - s);
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool update_files_image(const char *buf, size_t len, char version[UPDATE_IMAGE_MAX + 1],
			char slot[UPDATE_SLOT_MAX + 1])
{
	const char *p = buf, *end = buf + first_line(buf, len);
	if (!word(&p, end, version, UPDATE_IMAGE_MAX + 1) || p == end || *p++ != ' ' ||
	    !word(&p, end, slot, UPDATE_SLOT_MAX + 1))
		return false;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end;
}

/* Whether room id is one this screen shows. */
static bool shown(const struct kiosk_config *cfg, const struct schedule *s, const char *room_id)
{
	if (!cfg->n_rooms)
		return true;
	for (size_t i = 0; i < cfg->n_rooms; i++) {
		const struct room *r = schedule_room_named(s, cfg->rooms[i]);
		if (r && strcmp(r->id, room_id) == 0)
			return true;
	}
	return false;
}

static bool in_window(const struct kiosk_config *cfg, const struct civil_zone *zone, int64_t now_ms)
{
	if (cfg->update_from_min < 0)
		return true;
	struct civil l;
	civil_from_utc_in(now_ms / 1000, zone, &l);
	int m = l.hour * 60 + l.minute, from = cfg->update_from_min, to = cfg->update_to_min;
	return from < to ? m >= from && m < to : m >= from || m < to; /* across midnight */
}

bool update_files_quiet(const struct kiosk_config *cfg, const struct schedule *s,
			const struct civil_zone *zone, int64_t now_ms)
{
	if (!in_window(cfg, zone, now_ms))
		return false;
	int64_t now = now_ms / 1000, soon = now + UPDATE_QUIET_AHEAD_MIN * 60;
	for (size_t i = 0; s && i < s->n_sessions; i++) {
		const struct session *x = &s->sessions[i];
		if (x->start > soon)
			break; /* sorted by start */
		if (x->start >= now && x->room && x->status != SESSION_CANCELLED &&
		    shown(cfg, s, x->room))
			return false;
	}
	return true;
}
