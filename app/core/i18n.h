/* i18n: every word the board shows, in English and French, and the dates and
 * durations written the way each language writes them. */
#ifndef VB_I18N_H
#define VB_I18N_H

#include <stdbool.h>
#include <stddef.h>

struct civil;

enum lang { LANG_EN, LANG_FR };

enum msg {
	MSG_NOW,
	MSG_NEXT,
	MSG_CANCELLED,
	MSG_NEW,
	MSG_STARTING_NOW,
	MSG_ROOM_CHANGES,
	MSG_NO_CHANGES,
	MSG_LUNCH_LINES,
	MSG_WAIT,
	MSG_RISING,
	MSG_FALLING,
	MSG_STEADY,
	MSG_UNCERTAIN,
	MSG_NO_ESTIMATE,
	MSG_LAST_HOUR,
	MSG_NO_MORE_TODAY,
	MSG_NO_SESSIONS_TODAY,
	MSG_WAITING_FOR_SCHEDULE,
	MSG_ADDED,
	MSG_RESCHEDULED,
	MSG_MOVED,
	MSG_JUST_UPDATED,
	MSG_WAITING_FOR_TIME,
	MSG_FORECAST,          /* under the chart's next hour */
	MSG_FORECAST_NOW,      /* the forecast line's first item: "now 6 min" */
	MSG_FORECAST_WITHHELD, /* in its place when the forecast's record is worse */
	MSG_FULL,              /* a room with no seat left */
	MSG_COUNT_UNAVAILABLE, /* a room whose count is too old, absurd or absent */
	MSG_SEATS_AVAILABLE,   /* a room with a count below 85 % */
	MSG_NO_SESSION_NOW,    /* the door screen between sessions */
	MSG_ALERT,             /* an organizer's alert, over everything */
	MSG_ON_YOUR_PHONE,     /* the caption of the QR code to the phone page */
	MSG_COUNT
};

/* Reads "en" or "fr". */
bool i18n_lang_parse(const char *s, enum lang *out);

/* A fixed word or phrase (static). */
const char *i18n_text(enum lang l, enum msg m);

/* The phrases with numbers or names in them, written into out (cap bytes). */
void i18n_moved_to(enum lang l, const char *room, char *out, size_t cap); /* MOVED → room */
void i18n_starts_in(enum lang l, int minutes, char *out, size_t cap);     /* STARTS IN 4 MIN */
void i18n_minutes(enum lang l, int minutes, char *out, size_t cap);       /* 12 min */
void i18n_people(enum lang l, int people, char *out, size_t cap);         /* about 40 in line */
void i18n_updated_ago(enum lang l, int seconds, char *out, size_t cap);   /* updated 40 s ago */
void i18n_offline_since(enum lang l, const char *clock, char *out, size_t cap);
void i18n_saved_at(enum lang l, const char *clock, int age_s, char *out, size_t cap);
/* "schedule confirmed at 08:30 (34 min ago)": the server last said it was
 * current then (a restart's saved copy: when it was last confirmed);
 * narrow: "confirmed at 08:30 (34 min ago)" */
void i18n_confirmed_at(enum lang l, const char *clock, int age_s, bool narrow, char *out,
		       size_t cap);
/* "offline since 09:47": the offline line's words for a narrow screen */
void i18n_offline_short(enum lang l, const char *clock, char *out, size_t cap);
/* "schedule feed failing since 10:02": it answers with something that is
 * not a schedule; narrow: "feed failing since 10:02" */
void i18n_failing_since(enum lang l, const char *clock, bool narrow, char *out, size_t cap);
void i18n_more(enum lang l, int n, char *out, size_t cap);             /* +3 more */
void i18n_was(enum lang l, const char *room, char *out, size_t cap);   /* was Salle 251 */
void i18n_reason(enum lang l, const char *why, char *out, size_t cap); /* estimator's why */
/* The forecast line's items and the tips, a number never parted from its
 * unit by a wrap: "now 6 min", "12:30 ≈ 18 min", "best before 12:25". */
void i18n_forecast_now(enum lang l, int minutes, char *out, size_t cap);
void i18n_forecast_at(enum lang l, const char *clock, int minutes, char *out, size_t cap);
void i18n_best_before(enum lang l, const char *clock, char *out, size_t cap);
void i18n_quieter_after(enum lang l, const char *clock, char *out, size_t cap);
/* Shorter: Level 3 buffet — 3 min + 2 min walk (no walk part for 0 min) */
void i18n_shorter(enum lang l, const char *line, int wait_min, int walk_min, char *out, size_t cap);

/* How full a room is: "filling · 85 %"; "FULL — seats in Salle 243" (long)
 * or "FULL → Salle 243" (short); "seats in Salle 243"; "312 people". */
void i18n_filling(enum lang l, int pct, char *out, size_t cap);
void i18n_full_go(enum lang l, const char *room, bool longer, char *out, size_t cap);
void i18n_seats_in(enum lang l, const char *room, char *out, size_t cap);
void i18n_people_in_room(enum lang l, int people, char *out, size_t cap);
/* The door screen's countdown: "Next in 12 min", "Next at 14:00", "Next: starting now" */
void i18n_next_in(enum lang l, int minutes, const char *clock, char *out, size_t cap);

/* An alert's age: "since 10:02" / "depuis 10:02" */
void i18n_since(enum lang l, const char *clock, char *out, size_t cap);

/* "Thursday 6 November" / "jeudi 6 novembre" */
void i18n_date(enum lang l, const struct civil *c, char *out, size_t cap);
/* "Thu" / "jeu." */
const char *i18n_weekday_short(enum lang l, const struct civil *c);

#endif
