/* civil_time: hand-rolled readers for the few date shapes feeds use (strict:
 * the whole field must match), and zone conversion through libical. */
#include "civil_time.h"

#include "feed_error.h"

#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

static bool valid_fields(const struct civil *c)
{
	return c->year >= 1900 && c->year <= 2200 && c->month >= 1 && c->month <= 12 &&
	       c->day >= 1 && c->day <= days_in_month(c->year, c->month) && c->hour >= 0 &&
	       c->hour <= 24 && c->minute >= 0 && c->minute <= 59 && c->second >= 0 &&
	       c->second <= 60 && !(c->hour == 24 && (c->minute || c->second));
}

/* Reads Z or ±HH[:]MM at s; returns bytes used, 0 when none, -1 on garbage. */
static int parse_offset(const char *s, size_t n, struct civil *c)
{
	if (n == 0)
		return 0;
	if (s[0] == 'Z' || s[0] == 'z') {
		c->has_offset = true;
		c->offset_s = 0;
		return 1;
	}
	if (s[0] != '+' && s[0] != '-')
		return -1;
	int hh, mm = 0, used;
	if (n >= 6 && s[3] == ':' && digits(s + 1, 2, &hh) && digits(s + 4, 2, &mm))
		used = 6;
	else if (n >= 5 && digits(s + 1, 2, &hh) && digits(s + 3, 2, &mm))
		used = 5;
	else if (n >= 3 && digits(s + 1, 2, &hh))
		used = 3;
	else
		return -1;
	if (hh > 18 || mm > 59)
		return -1;
	c->has_offset = true;
	c->offset_s = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
	return used;
}

/* Reads YYYYMMDD (basic) or YYYY-MM-DD at s; bytes used, 0 when neither. */
static size_t parse_date(const char *s, size_t len, bool basic, struct civil *c)
{
	if (basic) {
		if (!digits(s, 4, &c->year) || !digits(s + 4, 2, &c->month) ||
		    !digits(s + 6, 2, &c->day))
			return 0;
		return 8;
	}
	if (len < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &c->year) ||
	    !digits(s + 5, 2, &c->month) || !digits(s + 8, 2, &c->day))
		return 0;
	return 10;
}

/* Reads hhmmss (basic) or hh:mm[:ss[.fff]] at s; bytes used, 0 when neither.
 * A fraction of a second must have digits but is not kept. */
static size_t parse_clock(const char *s, size_t n, bool basic, struct civil *c)
{
	if (basic) {
		if (n < 6 || !digits(s, 2, &c->hour) || !digits(s + 2, 2, &c->minute) ||
		    !digits(s + 4, 2, &c->second))
			return 0;
		return 6;
	}
	if (n < 5 || s[2] != ':' || !digits(s, 2, &c->hour) || !digits(s + 3, 2, &c->minute))
		return 0;
	size_t i = 5;
	if (i < n && s[i] == ':') {
		if (n - i < 3 || !digits(s + i + 1, 2, &c->second))
			return 0;
		i += 3;
		if (i < n && (s[i] == '.' || s[i] == ',')) {
			size_t f = ++i;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			if (i == f)
				return 0;
		}
	}
	return i;
}

bool civil_parse(const char *s, size_t len, struct civil *out)
{
	struct civil c = {0};
	bool basic = len >= 8 && s[4] != '-';
	size_t i = parse_date(s, len, basic, &c);
	if (i == 0)
		return false;
	if (i < len && (s[i] == 'T' || s[i] == 't' || (s[i] == ' ' && !basic))) {
		i++;
		c.has_time = true;
		size_t clock = parse_clock(s + i, len - i, basic, &c);
		if (clock == 0)
			return false;
		i += clock;
		int used = parse_offset(s + i, len - i, &c);
		if (used < 0)
			return false;
		i += (size_t)used;
	}
	if (i != len || !valid_fields(&c))
		return false;
	*out = c;
	return true;
}

bool civil_parse_clock(const char *s, size_t len, int *out_s)
{
	int h, m, sec = 0;
	size_t hl = len > 1 && s[1] == ':' ? 1 : 2;
	if (len < hl + 3 || s[hl] != ':' || !digits(s, hl, &h) || !digits(s + hl + 1, 2, &m))
		return false;
	size_t i = hl + 3;
	if (i < len) {
		if (len != i + 3 || s[i] != ':' || !digits(s + i + 1, 2, &sec))
			return false;
	}
	if (h > 23 || m > 59 || sec > 59)
		return false;
	*out_s = h * 3600 + m * 60 + sec;
	return true;
}

static bool parse_iso_duration(const char *s, size_t len, int64_t *out_s)
{
	int64_t total = 0;
	bool in_time = false, any = false;
	size_t i = 1;
	while (i < len) {
		if (s[i] == 'T') {
			in_time = true;
			i++;
			continue;
		}
		int64_t v = 0;
		size_t start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9' && v < 1000000)
			v = v * 10 + (s[i++] - '0');
		if (i == start || i >= len)
			return false;
		int64_t unit;
		switch (s[i]) {
		case 'W': unit = in_time ? 0 : 7 * 86400; break;
		case 'D': unit = in_time ? 0 : 86400; break;
		case 'H': unit = in_time ? 3600 : 0; break;
		case 'M': unit = in_time ? 60 : 0; break;
		case 'S': unit = in_time ? 1 : 0; break;
		default: return false;
		}
		if (!unit)
			return false;
		total += v * unit;
		any = true;
		i++;
	}
	if (!any)
		return false;
	*out_s = total;
	return true;
}

bool civil_parse_duration(const char *s, size_t len, int64_t *out_s)
{
	if (len >= 2 && s[0] == 'P')
		return parse_iso_duration(s, len, out_s);
	/* Split on ':' into up to three numeric fields. */
	int f[3], n = 0;
	size_t flen[3] = {0};
	size_t i = 0;
	while (n < 3) {
		size_t st = i;
		while (i < len && s[i] != ':')
			i++;
		if (i == st || i - st > 4 || !digits(s + st, i - st, &f[n]))
			return false;
		flen[n++] = i - st;
		if (i == len)
			break;
		i++;
	}
	if (i != len || n < 2)
		return false;
	if (n == 2) {
		if (flen[1] != 2 || f[1] > 59)
			return false;
		*out_s = (int64_t)f[0] * 3600 + f[1] * 60;
		return true;
	}
	if (flen[1] != 2 || flen[2] != 2 || f[2] > 59)
		return false;
	if (flen[0] == 1) { /* D:HH:MM */
		if (f[1] > 23)
			return false;
		*out_s = (int64_t)f[0] * 86400 + f[1] * 3600 + f[2] * 60;
	} else { /* HH:MM:SS */
		if (f[1] > 59)
			return false;
		*out_s = (int64_t)f[0] * 3600 + f[1] * 60 + f[2];
	}
	return true;
}

int64_t civil_days_from_date(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_add_days(struct civil *c, int days)
{
	int64_t z = civil_days_from_date(c->year, c->month, c->day) + days + 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;
	c->year = (int)((int64_t)yoe + era * 400 + (m <= 2));
	c->month = (int)m;
	c->day = (int)d;
}

static icaltimezone *zone_lookup(const char *zone)
{
	if (!zone || !*zone)
		return NULL;
	if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0)
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(zone);
}

bool civil_zone_known(const char *zone)
{
	return zone_lookup(zone) != NULL;
}

const struct civil_zone *civil_zone_find(const char *name)
{
	return (const struct civil_zone *)zone_lookup(name);
}

bool civil_to_utc(const struct civil *c, const char *zone, int64_t *out, struct feed_error *e)
{
	if (c->has_offset || !zone || !*zone)
		return civil_to_utc_in(c, NULL, out, e);
	const struct civil_zone *z = civil_zone_find(zone);
	if (!z)
		return feed_error_set(e,
				      "unknown time zone '%s' (expected an IANA name such as "
				      "Europe/Paris)",
				      zone);
	return civil_to_utc_in(c, z, out, e);
}

bool civil_to_utc_in(const struct civil *c, const struct civil_zone *zone, int64_t *out,
		     struct feed_error *e)
{
	int64_t secs = (int64_t)c->hour * 3600 + c->minute * 60 + (c->second > 59 ? 59 : c->second);
	if (c->has_offset) {
		*out = civil_days_from_date(c->year, c->month, c->day) * 86400 + secs - c->offset_s;
		return true;
	}
	if (!zone)
		return feed_error_set(e,
				      "local time %04d-%02d-%02d %02d:%02d has no UTC offset and "
				      "no time zone is known (give one with --timezone)",
				      c->year, c->month, c->day, c->hour, c->minute);
	/* libical's zones are mutable caches, but converting only reads them */
	icaltimezone *z = (icaltimezone *)(uintptr_t)zone;
	struct icaltimetype t = icaltime_null_time();
	t.year = c->year;
	t.month = c->month;
	t.day = c->day;
	t.hour = c->hour;
	t.minute = c->minute;
	t.second = c->second > 59 ? 59 : c->second;
	t.is_date = 0;
	*out = (int64_t)icaltime_as_timet_with_zone(t, z);
	return true;
}

bool civil_parse_instant_ms(const char *s, size_t len, int64_t *out_ms)
{
	struct civil c;
	int64_t secs;
	struct feed_error e;
	if (!civil_parse(s, len, &c) || !c.has_time || !c.has_offset ||
	    !civil_to_utc_in(&c, NULL, &secs, &e))
		return false;
	int64_t ms = 0;
	const char *dot = memchr(s, '.', len);
	if (dot) {
		int digits = 0;
		for (const char *p = dot + 1; p < s + len && *p >= '0' && *p <= '9' && digits < 3;
		     p++, digits++)
			ms = ms * 10 + (*p - '0');
		for (; digits < 3; digits++)
			ms *= 10;
	}
	*out_ms = secs * 1000 + ms;
	return true;
}

void civil_from_utc_in(int64_t t, const struct civil_zone *zone, struct civil *out)
{
	int offset = 0;
	if (zone) {
		icaltimezone *z = (icaltimezone *)(uintptr_t)zone;
		struct icaltimetype u = icaltime_from_timet_with_zone(
			(time_t)t, 0, icaltimezone_get_utc_timezone());
		int is_daylight = 0;
		offset = icaltimezone_get_utc_offset_of_utc_time(z, &u, &is_daylight);
	}
	int64_t local = t + offset;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t rem = local - days * 86400;
	memset(out, 0, sizeof(*out));
	out->year = 1970;
	out->month = 1;
	out->day = 1;
	civil_add_days(out, (int)days);
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem / 60 % 60);
	out->second = (int)(rem % 60);
	out->has_time = true;
	out->has_offset = true;
	out->offset_s = offset;
}

void civil_format_utc(int64_t t, char out[static 21])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t rem = t - days * 86400;
	struct civil c = {.year = 1970, .month = 1, .day = 1};
	civil_add_days(&c, (int)days);
	unsigned y = (unsigned)c.year % 10000u, mo = (unsigned)c.month % 100u,
		 d = (unsigned)c.day % 100u;
	unsigned h = (unsigned)(rem / 3600) % 100u, mi = (unsigned)(rem / 60 % 60),
		 se = (unsigned)(rem % 60);
	snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, mo, d, h, mi, se);
}
