/* Unit tests for i18n: dates and weekdays in both languages, the phrases
 * with numbers in them, and a hallway wording for every reason the wait
 * estimator can give (read from its source, so a new one cannot be missed). */
#include "test_util.h"

#include "civil_time.h"
#include "i18n.h"
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_lang_parse(void **state)
{
	(void)state;
	enum lang l = LANG_FR;
	assert_true(i18n_lang_parse("en", &l));
	assert_int_equal(l, LANG_EN);
	assert_true(i18n_lang_parse("fr", &l));
	assert_int_equal(l, LANG_FR);
	static const char *const bad[] = {"", "EN", "de", "fr-FR", "english", " en"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		l = LANG_EN;
		assert_false(i18n_lang_parse(bad[i], &l));
		assert_int_equal(l, LANG_EN); /* untouched */
	}
}

static void test_words(void **state)
{
	(void)state;
	for (int m = 0; m < MSG_COUNT; m++) {
		const char *en = i18n_text(LANG_EN, (enum msg)m);
		const char *fr = i18n_text(LANG_FR, (enum msg)m);
		if (!en || !*en || !fr || !*fr)
			fail_msg("message %d has no text in one language", m);
		assert_true(text_utf8_valid(en, strlen(en)));
		assert_true(text_utf8_valid(fr, strlen(fr)));
		if (strcmp(en, fr) == 0)
			fail_msg("message %d is '%s' in French too", m, en);
	}
	assert_string_equal(i18n_text(LANG_EN, MSG_NOW), "Now");
	assert_string_equal(i18n_text(LANG_FR, MSG_NOW), "En cours");
	assert_string_equal(i18n_text(LANG_FR, MSG_NEXT), "Ensuite");
	assert_string_equal(i18n_text(LANG_EN, MSG_CANCELLED), "CANCELLED");
	assert_string_equal(i18n_text(LANG_EN, MSG_COUNT), "");
}

static void test_dates(void **state)
{
	(void)state;
	static const struct {
		int y, m, d;
		const char *en, *fr, *en_short, *fr_short;
	} cases[] = {
		{2014, 11, 6, "Thursday 6 November", "jeudi 6 novembre", "Thu", "jeu."},
		{2026, 2, 1, "Sunday 1 February", "dimanche 1er février", "Sun", "dim."},
		{2014, 11, 3, "Monday 3 November", "lundi 3 novembre", "Mon", "lun."},
		{2014, 11, 4, "Tuesday 4 November", "mardi 4 novembre", "Tue", "mar."},
		{2014, 11, 5, "Wednesday 5 November", "mercredi 5 novembre", "Wed", "mer."},
		{2026, 1, 31, "Saturday 31 January", "samedi 31 janvier", "Sat", "sam."},
		{2000, 2, 29, "Tuesday 29 February", "mardi 29 février", "Tue", "mar."},
		{1970, 1, 1, "Thursday 1 January", "jeudi 1er janvier", "Thu", "jeu."},
		{1969, 12, 31, "Wednesday 31 December", "mercredi 31 décembre", "Wed", "mer."},
		{2024, 8, 1, "Thursday 1 August", "jeudi 1er août", "Thu", "jeu."},
		{2019, 8, 23, "Friday 23 August", "vendredi 23 août", "Fri", "ven."},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct civil c = {.year = cases[i].y, .month = cases[i].m, .day = cases[i].d};
		char en[96], fr[96];
		i18n_date(LANG_EN, &c, en, sizeof(en));
		i18n_date(LANG_FR, &c, fr, sizeof(fr));
		if (strcmp(en, cases[i].en) || strcmp(fr, cases[i].fr))
			fail_msg("%04d-%02d-%02d: '%s' / '%s', want '%s' / '%s'", cases[i].y,
				 cases[i].m, cases[i].d, en, fr, cases[i].en, cases[i].fr);
		assert_string_equal(i18n_weekday_short(LANG_EN, &c), cases[i].en_short);
		assert_string_equal(i18n_weekday_short(LANG_FR, &c), cases[i].fr_short);
	}
	/* a date from a UTC instant in the conference's zone: 23:30 UTC on
	 * Wednesday is already Thursday in Paris */
	struct civil c;
	civil_from_utc_in(1415230200, civil_zone_find("Europe/Paris"), &c); /* 2014-11-05T23:30Z */
	char fr[96];
	i18n_date(LANG_FR, &c, fr, sizeof(fr));
	assert_string_equal(fr, "jeudi 6 novembre");
}

static void test_updated_ago(void **state)
{
	(void)state;
	static const struct {
		int s;
		const char *en, *fr;
	} cases[] = {
		{0, "updated just now", "mis à jour à l’instant"},
		{9, "updated just now", "mis à jour à l’instant"},
		{10, "updated 10 s ago", "mis à jour il y a 10 s"},
		{59, "updated 59 s ago", "mis à jour il y a 59 s"},
		{60, "updated 1 min ago", "mis à jour il y a 1 min"},
		{119, "updated 1 min ago", "mis à jour il y a 1 min"},
		{3599, "updated 59 min ago", "mis à jour il y a 59 min"},
		{3600, "updated 1 h ago", "mis à jour il y a 1 h"},
		{7200, "updated 2 h ago", "mis à jour il y a 2 h"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char en[96], fr[96];
		i18n_updated_ago(LANG_EN, cases[i].s, en, sizeof(en));
		i18n_updated_ago(LANG_FR, cases[i].s, fr, sizeof(fr));
		assert_string_equal(en, cases[i].en);
		assert_string_equal(fr, cases[i].fr);
	}
}

static void test_phrases(void **state)
{
	(void)state;
	char buf[200];
	static const struct {
		int min;
		const char *en, *fr;
	} starts[] = {
		{-3, "STARTING NOW", "COMMENCE"},        {0, "STARTING NOW", "COMMENCE"},
		{1, "STARTS IN 1 MIN", "DANS 1 MIN"},    {4, "STARTS IN 4 MIN", "DANS 4 MIN"},
		{10, "STARTS IN 10 MIN", "DANS 10 MIN"},
	};
	for (size_t i = 0; i < sizeof(starts) / sizeof(*starts); i++) {
		i18n_starts_in(LANG_EN, starts[i].min, buf, sizeof(buf));
		assert_string_equal(buf, starts[i].en);
		i18n_starts_in(LANG_FR, starts[i].min, buf, sizeof(buf));
		assert_string_equal(buf, starts[i].fr);
	}
	i18n_moved_to(LANG_EN, "Salle 252B", buf, sizeof(buf));
	assert_string_equal(buf, "MOVED → Salle 252B");
	i18n_moved_to(LANG_FR, "Salle 252B", buf, sizeof(buf));
	assert_string_equal(buf, "DÉPLACÉ → Salle 252B");
	i18n_minutes(LANG_FR, 12, buf, sizeof(buf));
	assert_string_equal(buf, "12 min");
	i18n_people(LANG_EN, 40, buf, sizeof(buf));
	assert_string_equal(buf, "about 40 in line");
	i18n_people(LANG_FR, 40, buf, sizeof(buf));
	assert_string_equal(buf, "environ 40 dans la file");
	i18n_offline_since(LANG_EN, "09:47", buf, sizeof(buf));
	assert_non_null(strstr(buf, "offline since 09:47"));
	i18n_offline_since(LANG_FR, "09:47", buf, sizeof(buf));
	assert_non_null(strstr(buf, "hors ligne depuis 09:47"));
	i18n_saved_at(LANG_EN, "08:15", 119 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "schedule received at 08:15 (119 min ago)");
	i18n_saved_at(LANG_EN, "08:15", 120 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "schedule received at 08:15 (2 h ago)");
	i18n_saved_at(LANG_FR, "08:15", 30 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "programme reçu à 08:15 (il y a 30 min)");
	i18n_more(LANG_EN, 3, buf, sizeof(buf));
	assert_string_equal(buf, "+ 3 more");
	i18n_more(LANG_FR, 3, buf, sizeof(buf));
	assert_string_equal(buf, "+ 3 autres");
	i18n_was(LANG_EN, "Salle 251", buf, sizeof(buf));
	assert_string_equal(buf, "was in Salle 251");
	i18n_was(LANG_FR, "Salle 251", buf, sizeof(buf));
	assert_string_equal(buf, "était en Salle 251");
	/* the lunch lines' forecast and advice: a number and its unit held
	 * together by no-break spaces (written _ here) */
	static const struct {
		enum lang l;
		int kind, a, b;
		const char *want;
	} lunch[] = {
		{LANG_EN, 0, 6, 0, "now_6_min"},
		{LANG_FR, 0, 6, 0, "maintenant_6_min"},
		{LANG_EN, 1, 18, 0, "12:30_≈_18_min"},
		{LANG_FR, 1, 18, 0, "12:30_≈_18_min"},
		{LANG_EN, 2, 0, 0, "best before_12:30"},
		{LANG_FR, 2, 0, 0, "plutôt avant_12:30"},
		{LANG_EN, 3, 0, 0, "quieter after_12:30"},
		{LANG_FR, 3, 0, 0, "plus calme après_12:30"},
		{LANG_EN, 4, 3, 2, "Shorter: Level 3 buffet — 3_min + 2_min_walk"},
		{LANG_FR, 4, 3, 2, "Plus courte_: Level 3 buffet — 3_min + 2_min_à_pied"},
		{LANG_EN, 4, 4, 0, "Shorter: Level 3 buffet — 4_min"}, /* here: no walk */
	};
	for (size_t i = 0; i < sizeof(lunch) / sizeof(*lunch); i++) {
		char got[160], want[160];
		size_t o = 0;
		for (const char *p = lunch[i].want; *p && o + 3 < sizeof(want); p++)
			if (*p == '_')
				want[o++] = '\xC2', want[o++] = '\xA0';
			else
				want[o++] = *p;
		want[o] = '\0';
		switch (lunch[i].kind) {
		case 0: i18n_forecast_now(lunch[i].l, lunch[i].a, got, sizeof(got)); break;
		case 1: i18n_forecast_at(lunch[i].l, "12:30", lunch[i].a, got, sizeof(got)); break;
		case 2: i18n_best_before(lunch[i].l, "12:30", got, sizeof(got)); break;
		case 3: i18n_quieter_after(lunch[i].l, "12:30", got, sizeof(got)); break;
		default:
			i18n_shorter(lunch[i].l, "Level 3 buffet", lunch[i].a, lunch[i].b, got,
				     sizeof(got));
		}
		if (strcmp(got, want) != 0)
			fail_msg("'%s', want '%s'", got, lunch[i].want);
	}
	assert_string_equal(i18n_text(LANG_FR, MSG_FORECAST), "prévision");
}

/* Every string literal assigned to a `why` in the file (src/<rel>). */
static size_t why_strings(const char *rel, char out[][160], size_t cap)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/../../%s", VB_TEST_DATA, rel);
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src)
		fail_msg("cannot read %s", path);
	size_t n = 0;
	for (const char *p = src; (p = strstr(p, "why = \"")) != NULL && n < cap;) {
		p += strlen("why = \"");
		const char *q = strchr(p, '"');
		assert_non_null(q);
		if (q > p) { /* "" is the good case: nothing to say */
			assert_true((size_t)(q - p) < 160);
			memcpy(out[n], p, (size_t)(q - p));
			out[n][q - p] = '\0';
			n++;
		}
		p = q + 1;
	}
	free(src);
	return n;
}

static void test_every_reason_is_said(void **state)
{
	(void)state;
	char why[64][160];
	size_t n = why_strings("feeds/lib/wait_estimator.c", why, 48);
	assert_true(n >= 8); /* eight today */
	n += why_strings("app/core/queue_board.c", why + n, 64 - n);
	for (size_t i = 0; i < n; i++) {
		char en[160], fr[160];
		i18n_reason(LANG_EN, why[i], en, sizeof(en));
		i18n_reason(LANG_FR, why[i], fr, sizeof(fr));
		if (!en[0] || !fr[0])
			fail_msg("reason '%s' says nothing", why[i]);
		if (strcmp(fr, why[i]) == 0 || strcmp(fr, en) == 0)
			fail_msg("reason '%s' is shown in English on a French board", why[i]);
		assert_true(text_utf8_valid(fr, strlen(fr)));
	}
	/* a reason from a newer estimator: shown as it is, never blank */
	char out[160];
	i18n_reason(LANG_FR, "something new", out, sizeof(out));
	assert_string_equal(out, "something new");
	i18n_reason(LANG_EN, "a sensor is silent", out, sizeof(out));
	assert_string_equal(out, "a sensor is not reporting");
	i18n_reason(LANG_FR, "a counter restarted", out, sizeof(out));
	assert_string_equal(out, "un compteur a redémarré");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_parse), cmocka_unit_test(test_words),
		cmocka_unit_test(test_dates),      cmocka_unit_test(test_updated_ago),
		cmocka_unit_test(test_phrases),    cmocka_unit_test(test_every_reason_is_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
