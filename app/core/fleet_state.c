/* fleet_state: every field checked before anything is kept; a message that
 * does not read changes nothing (the shell keeps what it had). */
#include "fleet_state.h"

#include "civil_time.h"
#include "json_util.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A name of letters, digits, '-', '_' and '.' (the server's rule for
 * screens and zones), at most cap - 1 bytes. */
static bool name_ok(const char *s, size_t cap)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

/* A whole number from lo to 2^53. */
static bool whole(const cJSON *v, double lo, int64_t *out)
{
	double d = cJSON_GetNumberValue(v);
	if (!cJSON_IsNumber(v) || !(d >= lo && d <= 9007199254740992.0) || d != floor(d))
		return false;
	*out = (int64_t)d;
	return true;
}

static bool read_identity(const cJSON *root, struct fleet_msg *m, struct feed_error *e)
{
	const cJSON *screen = cJSON_GetObjectItemCaseSensitive(root, "screen");
	const cJSON *zones = cJSON_GetObjectItemCaseSensitive(root, "zones");
	if (!screen && !zones)
		return true;
	if (!name_ok(cJSON_GetStringValue(screen), sizeof(m->who.screen)))
		return feed_error_set(e,
				      "screen: not a screen's name (letters, digits, '-', '_', "
				      "'.'; at most %d bytes)",
				      FLEET_NAME_MAX);
	snprintf(m->who.screen, sizeof(m->who.screen), "%s", screen->valuestring);
	if (zones && !cJSON_IsArray(zones) && !cJSON_IsNull(zones))
		return feed_error_set(e, "zones: not a list");
	if (cJSON_GetArraySize(zones) > FLEET_MAX_ZONES)
		return feed_error_set(e, "zones: more than %d", FLEET_MAX_ZONES);
	const cJSON *z;
	cJSON_ArrayForEach(z, zones) {
		if (!name_ok(cJSON_GetStringValue(z), sizeof(m->who.zones[0])))
			return feed_error_set(e, "zones[%zu]: not a zone's name", m->who.n_zones);
		snprintf(m->who.zones[m->who.n_zones++], sizeof(m->who.zones[0]), "%s",
			 z->valuestring);
	}
	m->has_identity = true;
	m->has_zones = zones != NULL;
	return true;
}

static bool newer(const struct fleet_alert *a, const struct fleet_alert *b)
{
	return a->at_ms > b->at_ms || (a->at_ms == b->at_ms && a->id > b->id);
}

/* Keeps the FLEET_MAX_ALERTS newest, newest first. */
static void keep_alert(struct fleet_msg *m, const struct fleet_alert *a)
{
	size_t i = m->n_alerts;
	if (i == FLEET_MAX_ALERTS) {
		m->dropped++;
		if (!newer(a, &m->alerts[i - 1]))
			return;
		i--;
	} else {
		m->n_alerts++;
	}
	while (i > 0 && newer(a, &m->alerts[i - 1])) {
		m->alerts[i] = m->alerts[i - 1];
		i--;
	}
	m->alerts[i] = *a;
}

static bool read_alerts(const cJSON *root, struct fleet_msg *m, struct feed_error *e)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "alerts");
	if (!list)
		return true;
	if (!cJSON_IsArray(list))
		return feed_error_set(e, "alerts: not a list");
	if (cJSON_GetArraySize(list) > FLEET_MAX_LISTED)
		return feed_error_set(e, "alerts: more than %d", FLEET_MAX_LISTED);
	size_t i = 0;
	const cJSON *o;
	cJSON_ArrayForEach(o, list) {
		struct fleet_alert a = {0};
		const char *text = json_util_str(o, "text"), *at = json_util_str(o, "at");
		if (!cJSON_IsObject(o) ||
		    !whole(cJSON_GetObjectItemCaseSensitive(o, "id"), 1, &a.id))
			return feed_error_set(e, "alerts[%zu].id: not an alert's number", i);
		if (!text || !*text || strlen(text) > FLEET_ALERT_MAX ||
		    !text_is_one_line(text, strlen(text)))
			return feed_error_set(
				e,
				"alerts[%zu].text: not one line of at most %d bytes of "
				"UTF-8",
				i, FLEET_ALERT_MAX);
		if (at && !civil_parse_instant_ms(at, strlen(at), &a.at_ms))
			return feed_error_set(e, "alerts[%zu].at: not a time", i);
		snprintf(a.text, sizeof(a.text), "%s", text);
		keep_alert(m, &a);
		i++;
	}
	m->has_alerts = true;
	return true;
}

static bool read_update(const cJSON *root, struct fleet_msg *m, struct feed_error *e)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(root, "update");
	if (!u)
		return true;
	m->has_update = true;
	if (cJSON_IsNull(u))
		return true;
	const char *version = json_util_str(u, "version"), *url = json_util_str(u, "url");
	const char *sha = json_util_str(u, "sha256");
	if (!cJSON_IsObject(u))
		return feed_error_set(e, "update: not an object or null");
	if (!version || !*version || strlen(version) > FLEET_VERSION_MAX ||
	    !text_is_one_line(version, strlen(version)) || strchr(version, '/'))
		return feed_error_set(e, "update.version: not a version of at most %d bytes",
				      FLEET_VERSION_MAX);
	if (!url || !*url || strlen(url) > FLEET_URL_MAX || !text_is_one_line(url, strlen(url)) ||
	    strchr(url, ' '))
		return feed_error_set(e, "update.url: not a URL of at most %d bytes",
				      FLEET_URL_MAX);
	if (!whole(cJSON_GetObjectItemCaseSensitive(u, "size"), 0, &m->up.size))
		return feed_error_set(e, "update.size: not a number of bytes");
	bool hex = sha && strlen(sha) == 64;
	for (size_t i = 0; hex && i < 64; i++)
		hex = text_hex_digit(sha[i]) >= 0;
	if (!hex)
		return feed_error_set(e, "update.sha256: not 64 hexadecimal digits");
	snprintf(m->up.version, sizeof(m->up.version), "%s", version);
	snprintf(m->up.url, sizeof(m->up.url), "%s", url);
	for (size_t i = 0; i < 64; i++) /* lower case, as sha256sum writes it */
		m->up.sha256[i] =
			(char)(sha[i] >= 'A' && sha[i] <= 'F' ? sha[i] - 'A' + 'a' : sha[i]);
	m->up.sha256[64] = '\0';
	m->update = true;
	return true;
}

static bool read_schedule(const cJSON *root, struct fleet_msg *m, struct feed_error *e)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "schedule_version");
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(root, "schedule_etag");
	if (!v && !t)
		return true;
	m->schedule_version = -1;
	if (v && !cJSON_IsNull(v) && !whole(v, 0, &m->schedule_version))
		return feed_error_set(e, "schedule_version: not a whole number");
	const char *etag = cJSON_GetStringValue(t);
	if (t && (!etag || strlen(etag) > FLEET_ETAG_MAX || !text_is_one_line(etag, strlen(etag))))
		return feed_error_set(e, "schedule_etag: not a tag of at most %d bytes",
				      FLEET_ETAG_MAX);
	snprintf(m->schedule_etag, sizeof(m->schedule_etag), "%s", etag ? etag : "");
	m->has_schedule = true;
	return true;
}

bool fleet_msg_read(const char *buf, size_t len, struct fleet_msg *out, struct feed_error *e)
{
	memset(out, 0, sizeof(*out));
	out->schedule_version = -1;
	if (len > FLEET_MAX_BODY)
		return feed_error_set(e, "larger than %d KiB", FLEET_MAX_BODY / 1024);
	if (json_util_has_nul(buf, len))
		return feed_error_set(e, "a string holds a NUL character");
	cJSON *root = json_util_parse(buf, len, e);
	if (!root)
		return false;
	bool ok = cJSON_IsObject(root) ? true : feed_error_set(e, "not a JSON object");
	ok = ok && read_identity(root, out, e) && read_alerts(root, out, e) &&
	     read_update(root, out, e) && read_schedule(root, out, e);
	cJSON_Delete(root);
	return ok;
}

char *fleet_state_json(const struct fleet_identity *who, const struct fleet_alert *alerts,
		       size_t n_alerts)
{
	cJSON *o = cJSON_CreateObject();
	if (who->screen[0]) {
		cJSON_AddStringToObject(o, "screen", who->screen);
		cJSON *z = cJSON_AddArrayToObject(o, "zones");
		for (size_t i = 0; i < who->n_zones; i++)
			cJSON_AddItemToArray(z, cJSON_CreateString(who->zones[i]));
	}
	cJSON *list = cJSON_AddArrayToObject(o, "alerts");
	for (size_t i = 0; i < n_alerts; i++) {
		cJSON *a = cJSON_CreateObject();
		cJSON_AddNumberToObject(a, "id", (double)alerts[i].id);
		cJSON_AddStringToObject(a, "text", alerts[i].text);
		if (alerts[i].at_ms) {
			char t[21];
			civil_format_utc(alerts[i].at_ms / 1000, t);
			cJSON_AddStringToObject(a, "at", t);
		}
		cJSON_AddItemToArray(list, a);
	}
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return json;
}

bool fleet_alerts_same(const struct fleet_alert *a, size_t na, const struct fleet_alert *b,
		       size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i].id != b[i].id || strcmp(a[i].text, b[i].text) != 0)
			return false;
	return true;
}

size_t fleet_alerts_merge(struct fleet_alert *list, size_t *n, const struct fleet_alert *add,
			  size_t n_add, const int64_t *skip, size_t n_skip)
{
	size_t added = 0;
	for (size_t i = 0; i < n_add; i++) {
		const struct fleet_alert *a = &add[i];
		bool have = false;
		for (size_t j = 0; j < *n && !have; j++)
			have = list[j].id == a->id;
		for (size_t j = 0; j < n_skip && !have; j++)
			have = skip[j] == a->id;
		if (have)
			continue;
		size_t at = 0; /* before the first one older than it */
		while (at < *n && !newer(a, &list[at]))
			at++;
		if (at >= FLEET_MAX_ALERTS)
			continue; /* older than every alert of a full list */
		size_t keep = *n < FLEET_MAX_ALERTS ? *n : FLEET_MAX_ALERTS - 1;
		memmove(&list[at + 1], &list[at], (keep - at) * sizeof(*list));
		list[at] = *a;
		*n = keep + 1;
		added++;
	}
	return added;
}

bool fleet_identity_same(const struct fleet_identity *a, const struct fleet_identity *b)
{
	if (strcmp(a->screen, b->screen) != 0 || a->n_zones != b->n_zones)
		return false;
	for (size_t i = 0; i < a->n_zones; i++)
		if (strcmp(a->zones[i], b->zones[i]) != 0)
			return false;
	return true;
}
