/* i18n: tables for the fixed words, one small function per phrase with a
 * number in it (format strings stay literal, so the compiler checks them). */
#include "i18n.h"

#include "civil_time.h"

#include <stdio.h>
#include <string.h>

bool i18n_lang_parse(const char *s, enum lang *out)
{
	if (strcmp(s, "en") == 0)
		*out = LANG_EN;
	else if (strcmp(s, "fr") == 0)
		*out = LANG_FR;
	else
		return false;
	return true;
}

static const char *const words[MSG_COUNT][2] = {
	[MSG_NOW] = {"Now", "En cours"},
	[MSG_NEXT] = {"Next", "Ensuite"},
	[MSG_CANCELLED] = {"CANCELLED", "ANNULÉ"},
	[MSG_NEW] = {"NEW", "NOUVEAU"},
	[MSG_STARTING_NOW] = {"STARTING NOW", "COMMENCE"},
	[MSG_ROOM_CHANGES] = {"Changes today", "Changements du jour"},
	[MSG_NO_CHANGES] = {"No room changes today", "Aucun changement de salle aujourd’hui"},
	[MSG_LUNCH_LINES] = {"Lunch lines", "Files d’attente repas"},
	[MSG_WAIT] = {"wait", "d’attente"},
	[MSG_RISING] = {"↑ rising", "↑ en hausse"},
	[MSG_FALLING] = {"↓ falling", "↓ en baisse"},
	[MSG_STEADY] = {"→ steady", "→ stable"},
	[MSG_UNCERTAIN] = {"estimate uncertain", "estimation incertaine"},
	[MSG_NO_ESTIMATE] = {"no estimate", "pas d’estimation"},
	[MSG_LAST_HOUR] = {"last hour", "dernière heure"},
	[MSG_NO_MORE_TODAY] = {"Nothing more today", "Plus rien aujourd’hui"},
	[MSG_NO_SESSIONS_TODAY] = {"No sessions today", "Aucune session aujourd’hui"},
	[MSG_WAITING_FOR_SCHEDULE] = {"Waiting for the schedule…", "En attente du programme…"},
	[MSG_ADDED] = {"ADDED", "AJOUTÉ"},
	[MSG_RESCHEDULED] = {"NEW TIME", "NOUVEL HORAIRE"},
	[MSG_MOVED] = {"MOVED", "DÉPLACÉ"},
	[MSG_JUST_UPDATED] = {"updated just now", "mis à jour à l’instant"},
	[MSG_WAITING_FOR_TIME] = {"Waiting for the time…", "En attente de l’heure…"},
	[MSG_FORECAST] = {"forecast", "prévision"},
	[MSG_FORECAST_NOW] = {"now", "maintenant"},
	[MSG_FORECAST_WITHHELD] =
		{"no forecast: lately less right than the wait now",
		 "pas de pr\xC3\xA9vision\xC2\xA0: moins juste que l'attente actuelle"},
	[MSG_FULL] = {"FULL", "COMPLET"},
	[MSG_COUNT_UNAVAILABLE] = {"count unavailable", "comptage indisponible"},
	[MSG_SEATS_AVAILABLE] = {"seats available", "places disponibles"},
	[MSG_NO_SESSION_NOW] = {"No session now", "Pas de session en ce moment"},
	[MSG_ALERT] = {"ALERT", "ALERTE"},
	[MSG_ON_YOUR_PHONE] = {"On your phone", "Sur votre téléphone"},
};

const char *i18n_text(enum lang l, enum msg m)
{
	return (unsigned)m < MSG_COUNT ? words[m][l == LANG_FR] : "";
}

void i18n_moved_to(enum lang l, const char *room, char *out, size_t cap)
{
	snprintf(out, cap, "%s → %s", i18n_text(l, MSG_MOVED), room);
}

void i18n_starts_in(enum lang l, int minutes, char *out, size_t cap)
{
	if (minutes <= 0)
		snprintf(out, cap, "%s", i18n_text(l, MSG_STARTING_NOW));
	else if (l == LANG_FR)
		snprintf(out, cap, "DANS %d MIN", minutes);
	else
		snprintf(out, cap, "STARTS IN %d MIN", minutes);
}

void i18n_minutes(enum lang l, int minutes, char *out, size_t cap)
{
	(void)l; /* "min" in both */
	snprintf(out, cap, "%d min", minutes);
}

void i18n_people(enum lang l, int people, char *out, size_t cap)
{
	if (l == LANG_FR)
		snprintf(out, cap, "environ %d dans la file", people);
	else
		snprintf(out, cap, "about %d in line", people);
}

void i18n_updated_ago(enum lang l, int seconds, char *out, size_t cap)
{
	if (seconds < 10)
		snprintf(out, cap, "%s", i18n_text(l, MSG_JUST_UPDATED));
	else if (seconds < 60)
		snprintf(out, cap, l == LANG_FR ? "mis à jour il y a %d s" : "updated %d s ago",
			 seconds);
	else if (seconds < 3600)
		snprintf(out, cap, l == LANG_FR ? "mis à jour il y a %d min" : "updated %d min ago",
			 seconds / 60);
	else
		snprintf(out, cap, l == LANG_FR ? "mis à jour il y a %d h" : "updated %d h ago",
			 seconds / 3600);
}

void i18n_offline_since(enum lang l, const char *clock, char *out, size_t cap)
{
	if (l == LANG_FR)
		snprintf(out, cap, "hors ligne depuis %s — dernier programme reçu affiché", clock);
	else
		snprintf(out, cap, "offline since %s — showing the last schedule", clock);
}

void i18n_saved_at(enum lang l, const char *clock, int age_s, char *out, size_t cap)
{
	int m = age_s / 60;
	if (l == LANG_FR) {
		if (m < 120)
			snprintf(out, cap, "programme reçu à %s (il y a %d min)", clock, m);
		else
			snprintf(out, cap, "programme reçu à %s (il y a %d h)", clock, m / 60);
	} else {
		if (m < 120)
			snprintf(out, cap, "schedule received at %s (%d min ago)", clock, m);
		else
			snprintf(out, cap, "schedule received at %s (%d h ago)", clock, m / 60);
	}
}

void i18n_confirmed_at(enum lang l, const char *clock, int age_s, bool narrow, char *out,
		       size_t cap)
{
	int m = age_s / 60;
	const char *what = l == LANG_FR ? (narrow ? "confirmé" : "programme confirmé")
					: (narrow ? "confirmed" : "schedule confirmed");
	if (l == LANG_FR) {
		if (m < 120)
			snprintf(out, cap, "%s à %s (il y a %d min)", what, clock, m);
		else
			snprintf(out, cap, "%s à %s (il y a %d h)", what, clock, m / 60);
	} else {
		if (m < 120)
			snprintf(out, cap, "%s at %s (%d min ago)", what, clock, m);
		else
			snprintf(out, cap, "%s at %s (%d h ago)", what, clock, m / 60);
	}
}

void i18n_offline_short(enum lang l, const char *clock, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "hors ligne depuis %s" : "offline since %s", clock);
}

void i18n_failing_since(enum lang l, const char *clock, bool narrow, char *out, size_t cap)
{
	if (l == LANG_FR)
		snprintf(out, cap, "%s en échec depuis %s", narrow ? "flux" : "flux du programme",
			 clock);
	else
		snprintf(out, cap, "%s failing since %s", narrow ? "feed" : "schedule feed", clock);
}

void i18n_more(enum lang l, int n, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "+ %d autres" : "+ %d more", n);
}

void i18n_was(enum lang l, const char *room, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "était en %s" : "was in %s", room);
}

void i18n_reason(enum lang l, const char *why, char *out, size_t cap)
{
	/* the estimator's reasons (wait_estimator.c), said for a hallway */
	static const char *const map[][3] = {
		{"a sensor is silent", "a sensor is not reporting", "un capteur ne répond plus"},
		{"a counter restarted", "a counter restarted", "un compteur a redémarré"},
		{"counts and occupancy disagree", "sensors disagree", "les capteurs divergent"},
		{"occupancy only: no entry and exit counts", "counted by zone only",
		 "comptage par zone seulement"},
		{"no station open", "no counter open", "aucun comptoir ouvert"},
		{"no entry and exit counts yet", "no counts yet", "pas encore de comptage"},
		{"every sensor silent for 10 minutes", "sensors silent for 10 min",
		 "capteurs muets depuis 10 min"},
		{"queue not declared (no stations or service time)", "not set up yet",
		 "pas encore configurée"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strcmp(why, map[i][0]) == 0) {
			snprintf(out, cap, "%s", map[i][l == LANG_FR ? 2 : 1]);
			return;
		}
	snprintf(out, cap, "%s", why);
}

/* The forecast and advice phrases keep a number with its unit (no-break
 * spaces): a line wrapped between "4" and "min" reads as two things. */
#define NBSP "\xC2\xA0"

void i18n_forecast_now(enum lang l, int minutes, char *out, size_t cap)
{
	snprintf(out, cap, "%s" NBSP "%d" NBSP "min", i18n_text(l, MSG_FORECAST_NOW), minutes);
}

void i18n_forecast_at(enum lang l, const char *clock, int minutes, char *out, size_t cap)
{
	(void)l; /* the same in both */
	snprintf(out, cap, "%s" NBSP "\xE2\x89\x88" NBSP "%d" NBSP "min", clock, minutes);
}

void i18n_best_before(enum lang l, const char *clock, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "plutôt avant" NBSP "%s" : "best before" NBSP "%s",
		 clock);
}

void i18n_quieter_after(enum lang l, const char *clock, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "plus calme après" NBSP "%s" : "quieter after" NBSP "%s",
		 clock);
}

void i18n_shorter(enum lang l, const char *line, int wait_min, int walk_min, char *out, size_t cap)
{
	const char *label = l == LANG_FR ? "Plus courte" NBSP ":" : "Shorter:";
	if (walk_min <= 0)
		snprintf(out, cap, "%s %s — %d" NBSP "min", label, line, wait_min);
	else
		snprintf(out, cap,
			 l == LANG_FR ? "%s %s — %d" NBSP "min + %d" NBSP "min" NBSP "à" NBSP "pied"
				      : "%s %s — %d" NBSP "min + %d" NBSP "min" NBSP "walk",
			 label, line, wait_min, walk_min);
}

void i18n_filling(enum lang l, int pct, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "se remplit · %d" NBSP "%%" : "filling · %d" NBSP "%%",
		 pct);
}

void i18n_full_go(enum lang l, const char *room, bool longer, char *out, size_t cap)
{
	if (!longer)
		snprintf(out, cap, "%s → %s", i18n_text(l, MSG_FULL), room);
	else if (l == LANG_FR)
		snprintf(out, cap, "COMPLET — places libres" NBSP ": %s", room);
	else
		snprintf(out, cap, "FULL — seats in %s", room);
}

void i18n_seats_in(enum lang l, const char *room, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "Places libres" NBSP ": %s" : "Seats in %s", room);
}

void i18n_people_in_room(enum lang l, int people, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "%d" NBSP "personnes" : "%d" NBSP "people", people);
}

void i18n_next_in(enum lang l, int minutes, const char *clock, char *out, size_t cap)
{
	if (minutes <= 0)
		snprintf(out, cap,
			 l == LANG_FR ? "Ensuite" NBSP ": commence" : "Next: starting now");
	else if (minutes < 60)
		snprintf(out, cap,
			 l == LANG_FR ? "Ensuite dans %d" NBSP "min" : "Next in %d" NBSP "min",
			 minutes);
	else
		snprintf(out, cap, l == LANG_FR ? "Ensuite à %s" : "Next at %s", clock);
}

void i18n_since(enum lang l, const char *clock, char *out, size_t cap)
{
	snprintf(out, cap, l == LANG_FR ? "depuis %s" : "since %s", clock);
}

static int weekday(const struct civil *c)
{
	int64_t d = civil_days_from_date(c->year, c->month, c->day); /* 1970-01-01: Thursday */
	return (int)(((d % 7) + 7 + 3) % 7);                         /* 0 = Monday */
}

static const char *const days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
				      "Friday", "Saturday", "Sunday"};
static const char *const days_fr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
				      "vendredi", "samedi", "dimanche"};
static const char *const months_en[] = {"January",   "February", "March",    "April",
					"May",       "June",     "July",     "August",
					"September", "October",  "November", "December"};
static const char *const months_fr[] = {"janvier",   "février", "mars",     "avril",
					"mai",       "juin",    "juillet",  "août",
					"septembre", "octobre", "novembre", "décembre"};

void i18n_date(enum lang l, const struct civil *c, char *out, size_t cap)
{
	int m = c->month >= 1 && c->month <= 12 ? c->month - 1 : 0;
	if (l == LANG_FR)
		snprintf(out, cap, "%s %d%s %s", days_fr[weekday(c)], c->day,
			 c->day == 1 ? "er" : "", months_fr[m]);
	else
		snprintf(out, cap, "%s %d %s", days_en[weekday(c)], c->day, months_en[m]);
}

const char *i18n_weekday_short(enum lang l, const struct civil *c)
{
	static const char *const en[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const fr[] = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."};
	return (l == LANG_FR ? fr : en)[weekday(c)];
}
