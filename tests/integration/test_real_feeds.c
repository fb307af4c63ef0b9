/* Every published feed in ../shared/feeds read through the format detector,
 * with counts worked out independently (python3 over the raw files, see
 * tests/README.md), then written to the normalized form and read back. */
#include "test_util.h"

#include "feed.h"
#include "normalized_json.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect {
	const char *file, *zone_option;
	const char *format, *title, *timezone;
	size_t sessions, rooms, speakers;
	const char *first_id, *first_start, *last_id, *last_end;
};

static const struct expect feeds[] = {
	{"c3voc_pretalx-democon.json", NULL, "frab-json", "DemoCon", "UTC", 36, 2, 43, "25",
	 "2020-12-14T08:00:00Z", "62", "2020-12-16T14:30:00Z"},
	{"c3voc_frab-camp2019.json", NULL, "frab-json", "Chaos Communication Camp 2019",
	 "Europe/Berlin", 79, 2, 96, "10386", "2019-08-21T09:00:00Z", "10387",
	 "2019-08-25T16:30:00Z"},
	{"fosdem_2026_schedule.xml", NULL, "pentabarf-xml", "FOSDEM 2026", "Europe/Brussels", 883,
	 30, 1085, "8376", "2026-01-31T08:30:00Z", "8377", "2026-02-01T17:15:00Z"},
	{"sessionize_orlandocodecamp2020_All.json", "America/New_York", "sessionize", NULL,
	 "America/New_York", 99, 14, 92, "7b3d6b07-294f-4319-8234-aae9701d98b5",
	 "2020-03-28T12:00:00Z", "8c0a3898-ab99-4665-9587-89a3da16f81e", "2020-03-28T23:45:00Z"},
	{"giggity_jres_2022.ics", NULL, "icalendar", "JRES 2021/22", "Europe/Paris", 120, 14, 0,
	 "presentation_94@conf-ng.jres.org", "2022-05-17T09:00:00Z",
	 "presentation_113@conf-ng.jres.org", "2022-05-20T12:10:00Z"},
};

static struct schedule *load(const char *name, const char *zone)
{
	char path[1024];
	size_t len;
	char *buf = test_read_file(test_shared_path(name, path, sizeof(path)), &len);
	if (!buf)
		fail_msg("%s cannot be read", path);
	struct feed_options opt = {.timezone = zone};
	struct feed_error e = {{0}};
	struct schedule *s = NULL;
	if (!feed_parse(buf, len, &opt, &s, &e))
		fail_msg("%s: %s", name, e.msg);
	free(buf);
	return s;
}

static void check_feed(const struct expect *x)
{
	struct schedule *s = load(x->file, x->zone_option);
	char a[21];
	size_t speakers = 0;
	for (size_t i = 0; i < s->n_sessions; i++) {
		speakers += s->sessions[i].n_speakers;
		assert_true(s->sessions[i].end >= s->sessions[i].start);
		assert_true(i == 0 || s->sessions[i - 1].start <= s->sessions[i].start);
	}
	printf("%s: %zu sessions, %zu rooms, %zu speakers, %zu repairs\n", x->file, s->n_sessions,
	       s->n_rooms, speakers, s->n_warnings);
	assert_string_equal(s->format, x->format);
	if (x->title)
		assert_string_equal(s->title, x->title);
	else
		assert_null(s->title);
	assert_string_equal(s->timezone, x->timezone);
	assert_int_equal(s->n_sessions, x->sessions);
	assert_int_equal(s->n_rooms, x->rooms);
	assert_int_equal(speakers, x->speakers);
	assert_string_equal(s->sessions[0].id, x->first_id);
	assert_string_equal(test_utc(s->sessions[0].start, a), x->first_start);
	const struct session *last = &s->sessions[test_session_index(s, x->last_id)];
	assert_string_equal(test_utc(last->end, a), x->last_end);

	/* The normalized form reads back to the same schedule. */
	char *text = normalized_json_write(s);
	struct schedule *back = test_parse(text, NULL);
	assert_int_equal(back->n_sessions, s->n_sessions);
	assert_int_equal(back->n_rooms, s->n_rooms);
	for (size_t i = 0; i < s->n_sessions; i++) {
		assert_string_equal(back->sessions[i].id, s->sessions[i].id);
		assert_string_equal(back->sessions[i].title, s->sessions[i].title);
		assert_int_equal(back->sessions[i].start, s->sessions[i].start);
		assert_int_equal(back->sessions[i].end, s->sessions[i].end);
	}
	free(text);
	schedule_destroy(back);
	schedule_destroy(s);
}

static void test_pretalx_democon(void **state)
{
	(void)state;
	check_feed(&feeds[0]);
}
static void test_frab_camp2019(void **state)
{
	(void)state;
	check_feed(&feeds[1]);
}
static void test_fosdem_2026(void **state)
{
	(void)state;
	check_feed(&feeds[2]);
}
static void test_sessionize(void **state)
{
	(void)state;
	check_feed(&feeds[3]);
}
static void test_jres_ics(void **state)
{
	(void)state;
	check_feed(&feeds[4]);
}

static void test_pretalx_zone_claim_is_reported(void **state)
{
	(void)state;
	/* time_zone_name says UTC while times carry +01:00: a repair is noted */
	struct schedule *s = load("c3voc_pretalx-democon.json", NULL);
	bool noted = false;
	for (size_t i = 0; i < s->n_warnings; i++)
		noted |= strstr(s->warnings[i], "says UTC") != NULL;
	assert_true(noted);
	schedule_destroy(s);
	s = load("c3voc_pretalx-democon.json", "Europe/Berlin");
	assert_string_equal(s->timezone, "Europe/Berlin");
	char a[21];
	assert_string_equal(test_utc(s->sessions[0].start, a), "2020-12-14T08:00:00Z");
	schedule_destroy(s);
}

static void test_sessionize_needs_a_zone(void **state)
{
	(void)state;
	char path[1024];
	size_t len;
	char *buf = test_read_file(
		test_shared_path("sessionize_orlandocodecamp2020_All.json", path, sizeof(path)),
		&len);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(feed_parse(buf, len, NULL, &s, &e));
	assert_non_null(strstr(e.msg, "--timezone"));
	assert_non_null(strstr(e.msg, "startsAt"));
	free(buf);
}

static void test_invalid_example_refused(void **state)
{
	(void)state;
	char path[1024];
	size_t len;
	char *buf = test_read_file(
		test_shared_path("c3voc_invalid-example.json", path, sizeof(path)), &len);
	assert_non_null(buf);
	struct schedule *s = NULL;
	struct feed_error e = {{0}};
	assert_false(feed_parse(buf, len, NULL, &s, &e));
	assert_null(s);
	assert_non_null(strstr(e.msg, "schedule.rooms"));
	printf("c3voc_invalid-example.json refused: %s\n", e.msg);
	free(buf);
}

static void test_truncated_real_feeds_fail_cleanly(void **state)
{
	(void)state;
	/* Cut each real feed at a handful of points: an error, never a schedule. */
	for (size_t f = 0; f < sizeof(feeds) / sizeof(*feeds); f++) {
		char path[1024];
		size_t len;
		char *buf =
			test_read_file(test_shared_path(feeds[f].file, path, sizeof(path)), &len);
		assert_non_null(buf);
		struct feed_options opt = {.timezone = feeds[f].zone_option};
		for (int k = 1; k <= 7; k++) {
			size_t cut = len * (size_t)k / 8;
			struct schedule *s = NULL;
			struct feed_error e = {{0}};
			if (feed_parse(buf, cut, &opt, &s, &e))
				fail_msg("%s cut at %zu of %zu bytes parsed as %zu sessions",
					 feeds[f].file, cut, len, s->n_sessions);
			assert_true(e.msg[0] != '\0');
		}
		free(buf);
	}
}

static int need_shared(void **state)
{
	(void)state;
	return 0;
}

int main(void)
{
	if (!test_shared_available())
		return 77; /* ctest shows it as skipped, with the reason printed */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pretalx_democon),
		cmocka_unit_test(test_frab_camp2019),
		cmocka_unit_test(test_fosdem_2026),
		cmocka_unit_test(test_sessionize),
		cmocka_unit_test(test_jres_ics),
		cmocka_unit_test(test_pretalx_zone_claim_is_reported),
		cmocka_unit_test(test_sessionize_needs_a_zone),
		cmocka_unit_test(test_invalid_example_refused),
		cmocka_unit_test(test_truncated_real_feeds_fail_cleanly),
	};
	return cmocka_run_group_tests(tests, need_shared, NULL);
}
