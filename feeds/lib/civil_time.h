/* civil_time: reading the dates, times and durations feeds write, and turning
 * wall-clock times in an IANA zone into UTC instants (DST-correct, through
 * libical's copy of the system zone database). */
#ifndef VB_CIVIL_TIME_H
#define VB_CIVIL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct feed_error;

/* A time zone resolved once (libical owns it for the life of the process). */
struct civil_zone;

struct civil {
	int year, month, day, hour, minute, second;
	bool has_time;
	bool has_offset; /* an explicit Z or ±HH:MM was written */
	int offset_s;    /* seconds east of UTC when has_offset */
};

/* Reads "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH[:]MM]" or the
 * basic "YYYYMMDD[THHMMSS[Z]]" form; the whole of s[0..len) must match. */
bool civil_parse(const char *s, size_t len, struct civil *out);

/* Reads a wall-clock "H:MM" or "HH:MM[:SS]" into seconds after midnight. */
bool civil_parse_clock(const char *s, size_t len, int *out_s);

/* Reads a duration: "H:MM", "HH:MM", "HH:MM:SS" (two-digit first field),
 * "D:HH:MM" (one-digit first field: days are never zero-padded), or ISO 8601
 * "PT1H30M" / "P1DT2H". */
bool civil_parse_duration(const char *s, size_t len, int64_t *out_s);

/* UTC seconds for c: its own offset when it has one, else the wall time in
 * zone (IANA name; NULL means none known). Fails, naming what is missing,
 * when neither is there or the zone is unknown. In a DST gap or fold the
 * later offset wins, as libical and mktime resolve it. */
bool civil_to_utc(const struct civil *c, const char *zone, int64_t *out, struct feed_error *e);

/* True when zone is a known IANA name (or "UTC"). */
bool civil_zone_known(const char *zone);

/* The zone called name (IANA, or "UTC"), NULL when unknown. Looking a zone
 * up costs a search of the whole database: resolve once, convert many. */
const struct civil_zone *civil_zone_find(const char *name);

/* civil_to_utc with a resolved zone (NULL: none known). */
bool civil_to_utc_in(const struct civil *c, const struct civil_zone *zone, int64_t *out,
		     struct feed_error *e);

/* The wall-clock time in zone (NULL: UTC) at UTC second t, with its offset
 * (has_offset set). The inverse of civil_to_utc_in outside DST folds. */
void civil_from_utc_in(int64_t t, const struct civil_zone *zone, struct civil *out);

/* Reads an RFC 3339 instant with an offset or Z ("2014-11-06T12:00:15.250+01:00")
 * into UTC milliseconds, keeping up to three digits of the fraction (a few
 * hundred ms matter between sensors). False for anything else. */
bool civil_parse_instant_ms(const char *s, size_t len, int64_t *out_ms);

/* Adds days to a calendar date, normalizing month and year. */
void civil_add_days(struct civil *c, int days);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t civil_days_from_date(int y, int m, int d);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void civil_format_utc(int64_t t, char out[static 21]);

#endif
