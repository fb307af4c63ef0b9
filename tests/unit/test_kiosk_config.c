/* Unit tests for kiosk_config: defaults, a full documented file, errors that
 * name the line and key, comments/CRLF/BOM, the size cap, flags over the
 * file, the run flags, walk and capacity, and the whole-config check. */
#include "test_util.h"

#include "kiosk_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2014-11-06T10:05:00+01:00 */
static const int64_t AT_1005_MS = 1415264700000LL;

static struct kiosk_config *fresh(void)
{
	struct kiosk_config *c = malloc(sizeof(*c)); /* large: fixed buffers */
	assert_non_null(c);
	kiosk_config_defaults(c);
	return c;
}

static bool parse(struct kiosk_config *c, const char *text, struct feed_error *e)
{
	return kiosk_config_parse(c, text, strlen(text), e);
}

/* argv from a NULL-terminated list, program name first. */
static bool args(struct kiosk_config *c, struct feed_error *e, ...)
{
	char *argv[64] = {"venueboard"};
	int argc = 1;
	va_list ap;
	va_start(ap, e);
	for (char *a; (a = va_arg(ap, char *)) != NULL && argc < 63;)
		argv[argc++] = a;
	va_end(ap);
	return kiosk_config_args(c, argc, argv, e);
}

static bool same_color(struct draw_color a, unsigned v)
{
	return a.r == (v >> 16 & 0xff) && a.g == (v >> 8 & 0xff) && a.b == (v & 0xff);
}

static void test_defaults(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	assert_string_equal(c->schedule_url, "");
	assert_string_equal(c->queues_url, "");
	assert_int_equal(c->poll_s, 30);
	assert_int_equal(c->queue_poll_s, 15);
	assert_int_equal(c->max_feed_bytes, 16u * 1024 * 1024);
	assert_int_equal(c->n_rooms, 0);
	assert_int_equal(c->n_queues, 0);
	assert_string_equal(c->timezone, "");
	assert_int_equal(c->rotation, -1); /* not given: screen_turn works it out */
	assert_int_equal(c->orientation, KIOSK_ORIENT_ANY);
	assert_int_equal(c->lang, LANG_EN);
	assert_int_equal(c->page_s, 8);
	assert_int_equal(c->page_s_max, 40);
	assert_string_equal(c->title, "");
	assert_true(c->viewing_distance_m == 0 && c->screen_diagonal_in == 0);
	assert_int_equal(c->highlight_min, 15);
	assert_int_equal(c->soon_min, 10);
	assert_string_equal(c->log_level, "info");
	assert_int_equal(c->mode, KIOSK_RUN);
	assert_int_equal(c->width, 0);
	assert_int_equal(c->at_ms, 0);
	assert_true(c->clock_rate == 1.0);
	assert_false(c->windowed);
	assert_non_null(strstr(c->font_regular, "DejaVuSans.ttf"));
	assert_non_null(strstr(c->font_emoji, "NotoColorEmoji.ttf"));
	struct theme t;
	theme_default(&t);
	assert_memory_equal(&c->theme, &t, sizeof(t));
	/* defaults alone lack only the feed */
	struct feed_error e = {{0}};
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "schedule-url"));
	assert_true(kiosk_config_set(c, "schedule-url", "file:///srv/schedule.json", &e));
	if (!kiosk_config_check(c, &e))
		fail_msg("defaults plus a feed fail the check: %s", e.msg);
	free(c);
}

static void test_full_file(void **state)
{
	(void)state;
	size_t len;
	char *text = test_fixture("kiosk/full.conf", &len);
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	if (!kiosk_config_parse(c, text, len, &e))
		fail_msg("full.conf: %s", e.msg);
	assert_string_equal(c->schedule_url, "https://summit.example.org/v1/schedule");
	assert_string_equal(c->queues_url,
			    "https://summit.example.org/v1/queues?queue=meridien-lunch");
	assert_string_equal(c->ca_file, "/etc/venueboard/ca.pem");
	assert_int_equal(c->poll_s, 45);
	assert_int_equal(c->queue_poll_s, 10);
	assert_string_equal(c->rooms_url, "file:///var/lib/venueboard/rooms.json");
	assert_int_equal(c->room_poll_s, 20);
	assert_int_equal(c->n_overflows, 2);
	assert_string_equal(c->overflows[0].room, "Salle 252A");
	assert_string_equal(c->overflows[0].shown_in, "Salle 243");
	assert_string_equal(c->overflows[1].room, "Amphi-Bleu");
	assert_string_equal(c->overflows[1].shown_in, "Le Méridien — Salon Arc");
	assert_int_equal(c->layout, KIOSK_LAYOUT_ROOM);
	assert_int_equal(c->max_feed_bytes, 8192u * 1024);
	assert_string_equal(c->cache_dir, "/var/cache/venueboard");
	assert_string_equal(c->venue, "Palais des Congrès");
	assert_string_equal(c->floor, "Niveau 2 — escalier#2");
	assert_int_equal(c->n_rooms, 3);
	assert_string_equal(c->rooms[0], "Salle 251");
	assert_string_equal(c->rooms[1], "Salle 252A");
	assert_string_equal(c->rooms[2], "Amphithéâtre Bleu"); /* after a tab */
	assert_int_equal(c->n_queues, 2);
	assert_string_equal(c->queues[1], "palais-cafe");
	assert_int_equal(c->n_walks, 2);
	assert_string_equal(c->walks[0].queue, "meridien-lunch");
	assert_int_equal(c->walks[0].minutes, 3); /* given again: the later one */
	assert_string_equal(c->walks[1].queue, "Palais — café");
	assert_int_equal(c->walks[1].minutes, 0);
	assert_int_equal(c->n_seats, 1);
	assert_string_equal(c->seats[0].room, "Le Méridien — Salon Arc");
	assert_int_equal(c->seats[0].seats, 120);
	assert_string_equal(c->timezone, "Europe/Paris");
	assert_int_equal(c->orientation, KIOSK_ORIENT_PORTRAIT);
	assert_int_equal(c->rotation, -1);
	assert_int_equal(c->lang, LANG_FR);
	assert_int_equal(c->page_s, 20);
	assert_int_equal(c->highlight_min, 30);
	assert_int_equal(c->soon_min, 5);
	assert_non_null(strstr(c->font_fallback, "DroidSansFallbackFull.ttf"));
	assert_true(same_color(c->theme.background, 0x000000));
	assert_true(same_color(c->theme.panel, 0x101418));
	assert_true(same_color(c->theme.text, 0xffffff));
	assert_string_equal(c->log_level, "debug");
	assert_string_equal(c->run_dir, "/tmp/venueboard-run");
	assert_int_equal(c->update_from_min, 22 * 60 + 30);
	assert_int_equal(c->update_to_min, 6 * 60);
	assert_string_equal(c->stream_url, "");
	if (!kiosk_config_check(c, &e))
		fail_msg("full.conf fails the check: %s", e.msg);
	/* the heartbeat's server's stream, by default */
	assert_string_equal(c->stream_url, "https://summit.example.org:8443/v1/stream");
	free(c);
	free(text);
}

/* The settings file the repository ships (and the kiosk image puts on its FAT
 * partition) reads, passes the check and keeps the kiosk's clock untrusted
 * until a time source says otherwise. */
static void test_shipped_file(void **state)
{
	(void)state;
	size_t len;
	char *text = test_fixture("../../assets/kiosk/venueboard.conf", &len);
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	if (!kiosk_config_parse(c, text, len, &e) || !kiosk_config_check(c, &e))
		fail_msg("assets/kiosk/venueboard.conf: %s", e.msg);
	assert_string_equal(c->time_source, "auto");
	assert_int_equal(c->heartbeat_s, 60);
	assert_string_equal(c->heartbeat_url, "");
	assert_int_equal(c->n_rooms, 5);
	/* every key it documents is set once, the new ones too */
	assert_int_equal(c->n_walks, 1);
	assert_int_equal(c->n_seats, 1);
	assert_string_equal(c->seats[0].room, "Salle 241");
	assert_int_equal(c->n_overflows, 1);
	assert_string_equal(c->overflows[0].room, "Salle 252A");
	assert_string_equal(c->overflows[0].shown_in, "Salle 243");
	assert_int_equal(c->layout, KIOSK_LAYOUT_HALL);
	assert_non_null(strstr(c->rooms_url, "/v1/rooms"));
	assert_int_equal(c->room_poll_s, 0);
	assert_string_equal(c->run_dir, "/run/venueboard");
	assert_int_equal(c->update_from_min, 19 * 60);
	assert_int_equal(c->update_to_min, 7 * 60 + 30);
	assert_string_equal(c->stream_url, ""); /* no heartbeats: no stream */
	free(c);
	free(text);
}

/* stream-url (the heartbeat's server's by default; needs the token),
 * run-dir, update-window. */
static void test_fleet_settings(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_string_equal(c->run_dir, "/run/venueboard");
	assert_int_equal(c->update_from_min, -1);
	assert_true(parse(c, "schedule-url file:///s\nupdate-window 23:00-5:00\n", &e));
	assert_int_equal(c->update_from_min, 23 * 60);
	assert_int_equal(c->update_to_min, 5 * 60);
	assert_true(parse(c, "update-window\n", &e)); /* empty: any time */
	assert_int_equal(c->update_from_min, -1);
	static const char *const bad[] = {"02:00", "02:00-02:00",    "25:00-03:00",
					  "2-3",   "02:00-03:00:30", "02:00 - 03:00"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (kiosk_config_set(c, "update-window", bad[i], &e))
			fail_msg("update-window '%s' was taken", bad[i]);
		assert_non_null(strstr(e.msg, "update-window"));
	}
	assert_false(parse(c, "run-dir run\n", &e));
	assert_non_null(strstr(e.msg, "line 1: run-dir: 'run' is not an absolute path"));
	assert_false(parse(c, "stream-url ws://h/v1/stream\n", &e));
	assert_non_null(strstr(e.msg, "stream-url"));
	/* a stream is the screen's own: its token */
	assert_true(parse(c, "stream-url https://h/v1/stream\n", &e));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "stream-url: needs heartbeat-token"));
	assert_true(parse(c, "heartbeat-token 0123456789abcdef\n", &e));
	assert_true(kiosk_config_check(c, &e));
	assert_string_equal(c->stream_url, "https://h/v1/stream"); /* given: kept */
	free(c);
	c = fresh();
	assert_true(parse(c,
			  "schedule-url file:///s\nheartbeat-url http://127.0.0.1:8080/v1/screens/"
			  "heartbeat\nheartbeat-token 0123456789abcdef\n",
			  &e));
	assert_true(kiosk_config_check(c, &e));
	assert_string_equal(c->stream_url, "http://127.0.0.1:8080/v1/stream");
	free(c);
}

/* overflow ROOM SHOWN-IN (two names, quoted when they hold spaces), layout
 * hall|room (a door needs its room), rooms-url and its poll. */
static void test_rooms_settings(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_int_equal(c->layout, KIOSK_LAYOUT_HALL);
	assert_string_equal(c->rooms_url, "");
	assert_true(kiosk_config_set(c, "overflow", "\"Salle 252A\"   \"Salle 243\"", &e));
	assert_true(kiosk_config_set(c, "overflow", "Amphi \"Salon Étoile\"", &e));
	assert_true(kiosk_config_set(c, "overflow", "\"Salle 252A\" Salle-251", &e)); /* again */
	assert_int_equal(c->n_overflows, 2);
	assert_string_equal(c->overflows[0].shown_in, "Salle-251");
	assert_string_equal(c->overflows[1].room, "Amphi");
	assert_string_equal(c->overflows[1].shown_in, "Salon Étoile");
	static const char *const bad[] = {
		"Salle 252A Salle 243",        /* four words: which two rooms? */
		"\"Salle 252A\"",              /* one room */
		"\"Salle 252A\" \"Salle 243",  /* a quote left open */
		"\"\" \"Salle 243\"",          /* an empty name */
		"\"Salle 252A\"\"Salle 243\"", /* no space between */
		"\"a\" \"b\" \"c\"",
		"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		e.msg[0] = '\0';
		if (kiosk_config_set(c, "overflow", bad[i], &e))
			fail_msg("overflow '%s' was taken", bad[i]);
		if (!strstr(e.msg, "is not two room names"))
			fail_msg("overflow '%s': '%s'", bad[i], e.msg);
	}
	assert_int_equal(c->n_overflows, 2);
	/* a bad line names the line */
	assert_false(parse(c, "schedule-url file:///s\n\noverflow Salle 252A Salle 243\n", &e));
	assert_non_null(strstr(e.msg, "line 3: overflow"));
	assert_false(parse(c, "layout door\n", &e));
	assert_non_null(strstr(e.msg, "line 1: layout: 'door' is not hall or room"));
	assert_false(parse(c, "rooms-url ftp://x/rooms\n", &e));
	assert_non_null(strstr(e.msg, "rooms-url"));
	assert_false(parse(c, "rooms-poll-seconds 1\n", &e));
	assert_non_null(strstr(e.msg, "rooms-poll-seconds"));
	assert_true(parse(c, "rooms-poll-seconds 5\nrooms-url file:///tmp/rooms.json\n", &e));
	assert_int_equal(c->room_poll_s, 5);
	/* a door screen needs its room */
	assert_true(parse(c, "schedule-url file:///s\nlayout room\n", &e));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "layout room: needs the room"));
	assert_true(args(c, &e, "--room", "Salle 252A", NULL));
	if (!kiosk_config_check(c, &e))
		fail_msg("a door with its room: %s", e.msg);
	/* a flag's list replaces the file's */
	assert_true(args(c, &e, "--overflow", "A B", NULL));
	assert_int_equal(c->n_overflows, 1);
	assert_string_equal(c->overflows[0].room, "A");
	free(c);
}

/* walk QUEUE MINUTES and capacity ROOM SEATS: names with spaces, the number
 * last and in range, caps, and flags that replace the file's list. */
static void test_walk_and_capacity(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(kiosk_config_set(c, "capacity", "  Amphithéâtre Bleu\t3700 ", &e));
	assert_string_equal(c->seats[0].room, "Amphithéâtre Bleu");
	assert_int_equal(c->seats[0].seats, 3700);
	assert_true(kiosk_config_set(c, "walk", "level3-buffet 60", &e));
	assert_int_equal(c->walks[0].minutes, 60);
	static const struct {
		const char *key, *value, *needle;
	} bad[] = {
		{"walk", "meridien-lunch", "a queue then a whole number from 0 to 60"},
		{"walk", "meridien-lunch 61", "from 0 to 60"},
		{"walk", "meridien-lunch -1", "walk"},
		{"walk", "meridien-lunch 2.5", "walk"},
		{"walk", "5", "walk"},
		{"walk", "", "walk"},
		{"capacity", "Salle 241 0", "a room then a whole number from 1 to 100000"},
		{"capacity", "Salle 241 100001", "capacity"},
		{"capacity", "Salle 241 lots", "capacity"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		e.msg[0] = '\0';
		if (kiosk_config_set(c, bad[i].key, bad[i].value, &e))
			fail_msg("%s '%s' was taken", bad[i].key, bad[i].value);
		if (!strstr(e.msg, bad[i].needle))
			fail_msg("%s '%s': '%s' does not say '%s'", bad[i].key, bad[i].value, e.msg,
				 bad[i].needle);
	}
	/* "capacity Salle 241" reads as room "Salle" with 241 seats: valid here,
	 * the shell says the schedule has no such room */
	assert_true(kiosk_config_set(c, "capacity", "Salle 241", &e));
	assert_string_equal(c->seats[1].room, "Salle");
	assert_int_equal(c->n_walks, 1);
	assert_int_equal(c->n_seats, 2);
	/* a file line names the line and key */
	assert_false(parse(c, "schedule-url https://a/s.json\nwalk meridien-lunch soon\n", &e));
	assert_non_null(strstr(e.msg, "line 2: walk"));
	free(c);

	c = fresh();
	for (int i = 0; i < KIOSK_MAX_QUEUES; i++) {
		char v[32];
		snprintf(v, sizeof(v), "q%d %d", i, i % 60);
		assert_true(kiosk_config_set(c, "walk", v, &e));
	}
	assert_true(kiosk_config_set(c, "walk", "q3 7", &e)); /* a known one: replaced */
	assert_int_equal(c->walks[3].minutes, 7);
	assert_false(kiosk_config_set(c, "walk", "one-too-many 1", &e));
	assert_non_null(strstr(e.msg, "more than 32 queues"));
	for (int i = 0; i < KIOSK_MAX_ROOMS; i++) {
		char v[32];
		snprintf(v, sizeof(v), "Room %d 100", i);
		assert_true(kiosk_config_set(c, "capacity", v, &e));
	}
	assert_false(kiosk_config_set(c, "capacity", "Room X 100", &e));
	assert_non_null(strstr(e.msg, "more than 200 rooms"));
	free(c);

	c = fresh();
	assert_true(parse(
		c, "walk meridien-lunch 2\nwalk level3-buffet 4\ncapacity Salle 241 450\n", &e));
	assert_true(args(c, &e, "--walk", "level3-buffet 1", NULL));
	assert_int_equal(c->n_walks, 1); /* the flag's list, not the file's */
	assert_string_equal(c->walks[0].queue, "level3-buffet");
	assert_int_equal(c->walks[0].minutes, 1);
	assert_int_equal(c->n_seats, 1); /* not given as a flag: the file's */
	free(c);
}

static void test_time_sources(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_string_equal(c->time_source, "system"); /* a laptop's default */
	const char *ok[] = {"system", "timesync", "feed", "auto"};
	for (size_t i = 0; i < 4; i++) {
		char line[64];
		snprintf(line, sizeof(line), "time-source %s\n", ok[i]);
		assert_true(parse(c, line, &e));
		assert_string_equal(c->time_source, ok[i]);
	}
	assert_false(parse(c, "schedule-url file:///x\ntime-source ntp\n", &e));
	assert_non_null(strstr(e.msg, "line 2"));
	assert_non_null(strstr(e.msg, "not system, timesync, feed or auto"));
	assert_string_equal(c->time_source, "auto"); /* the last good value stays */
	free(c);
}

static void test_errors_name_line_and_key(void **state)
{
	(void)state;
	static const struct {
		const char *doc, *line, *key, *also;
	} cases[] = {
		{"schedule-url https://a/b\nbogus 1\n", "line 2", "bogus", NULL},
		{"# x\n\nschedule-url ftp://a/b\n", "line 3", "schedule-url", "ftp://a/b"},
		{"queues-url gopher://a\n", "line 1", "queues-url", NULL},
		{"poll-seconds 1x\n", "line 1", "poll-seconds", "1x"},
		{"poll-seconds 1\n", "line 1", "poll-seconds", NULL}, /* below 2 */
		{"page-seconds 99999999999999999999\n", "line 1", "page-seconds", NULL},
		{"soon-minutes -1\n", "line 1", "soon-minutes", NULL},
		{"max-feed-kib \n", "line 1", "max-feed-kib", NULL},
		{"venue A\norientation sideways\n", "line 2", "orientation", "sideways"},
		{"rotation 45\n", "line 1", "rotation", NULL},
		{"timezone Europe/Atlantis\n", "line 1", "timezone", "Europe/Atlantis"},
		{"language de\n", "line 1", "language", "de"},
		{"log-level loud\n", "line 1", "log-level", NULL},
		{"room\n", "line 1", "room", NULL},
		{"venue caf\xE9\n", "line 1", "venue", "UTF-8"},
		{"a b\r\nc d\r\ncolor-text #12345\r\n", "line 1", "a", NULL},
		{"venue x\nvenue y\ncolor-text #12345\n", "line 3", "color-text", "#12345"},
		{"venue x\ncolor-mauve #123456\n", "line 2", "color-mauve", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct kiosk_config *c = fresh();
		struct feed_error e = {{0}};
		if (parse(c, cases[i].doc, &e))
			fail_msg("case %zu was accepted", i);
		if (!strstr(e.msg, cases[i].line) || !strstr(e.msg, cases[i].key) ||
		    (cases[i].also && !strstr(e.msg, cases[i].also)))
			fail_msg("case %zu: '%s' should name %s, '%s' and '%s'", i, e.msg,
				 cases[i].line, cases[i].key, cases[i].also ? cases[i].also : "");
		free(c);
	}
}

static void test_comments_crlf_bom(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"# a screen\n\n   \n\t\nschedule-url https://a/s.json # the feed\nroom Salle 251\n"
		"   room   Salle 252A   \nvenue Le#Palais\n",
		"schedule-url https://a/s.json\r\nroom Salle 251\r\n\r\n# c\r\nroom Salle 252A\r\n"
		"venue Le#Palais",
		"\xEF\xBB\xBFschedule-url https://a/s.json\nroom Salle 251\nroom Salle 252A\n"
		"venue Le#Palais # no trailing newline",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		struct kiosk_config *c = fresh();
		struct feed_error e = {{0}};
		if (!parse(c, docs[i], &e))
			fail_msg("doc %zu: %s", i, e.msg);
		assert_string_equal(c->schedule_url, "https://a/s.json");
		assert_int_equal(c->n_rooms, 2);
		assert_string_equal(c->rooms[0], "Salle 251");
		assert_string_equal(c->rooms[1], "Salle 252A");
		assert_string_equal(c->venue, "Le#Palais");
		free(c);
	}
	/* a line count that survives CRLF: the error is on line 3 */
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_false(parse(c, "venue a\r\n\r\nlanguage xx\r\n", &e));
	assert_non_null(strstr(e.msg, "line 3"));
	free(c);
}

static void test_size_caps(void **state)
{
	(void)state;
	size_t n = KIOSK_MAX_CONFIG_BYTES + 1;
	char *big = malloc(n);
	assert_non_null(big);
	/* comment lines of 100 bytes: harmless but for their size */
	for (size_t i = 0; i < n; i++)
		big[i] = i % 100 == 99 ? '\n' : '#';
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_false(kiosk_config_parse(c, big, n, &e));
	assert_non_null(strstr(e.msg, "65536"));
	/* exactly 64 KiB is fine */
	assert_true(kiosk_config_parse(c, big, n - 1, &e));
	/* one line longer than a value can be: refused, naming the line */
	memset(big, 'x', 2000);
	memcpy(big, "venue ", 6);
	memcpy(big + 2000, "\n", 2);
	assert_false(parse(c, big, &e));
	assert_non_null(strstr(e.msg, "line 1"));
	/* a value longer than its field: refused, naming the key */
	char line[300];
	memset(line, 'v', sizeof(line));
	memcpy(line, "venue ", 6);
	line[sizeof(line) - 1] = '\0';
	assert_false(parse(c, line, &e));
	assert_non_null(strstr(e.msg, "venue"));
	free(big);
	free(c);
}

static void test_list_caps(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	char name[32];
	for (int i = 0; i < KIOSK_MAX_ROOMS; i++) {
		snprintf(name, sizeof(name), "Room %d", i);
		assert_true(kiosk_config_set(c, "room", name, &e));
	}
	assert_false(kiosk_config_set(c, "room", "one too many", &e));
	assert_non_null(strstr(e.msg, "room"));
	assert_int_equal(c->n_rooms, KIOSK_MAX_ROOMS);
	for (int i = 0; i < KIOSK_MAX_QUEUES; i++)
		assert_true(kiosk_config_set(c, "queue", "q", &e));
	assert_false(kiosk_config_set(c, "queue", "q", &e));
	assert_non_null(strstr(e.msg, "queue"));
	free(c);
}

static void test_flags_override_file(void **state)
{
	(void)state;
	const char *file = "schedule-url https://a/s.json\nlanguage fr\npoll-seconds 60\n"
			   "room Salle 251\nroom Salle 252A\nqueue meridien-lunch\n";
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(parse(c, file, &e));
	assert_true(args(c, &e, "--language", "en", "--room", "Salle 241", "--room", "Salle 243",
			 "--schedule-url", "http://127.0.0.1:8080/v1/schedule", "--orientation",
			 "portrait", "--color-muted", "#d0d0d0", "--rotation", "270",
			 "--font-emoji", "off", NULL));
	assert_int_equal(c->lang, LANG_EN);
	assert_int_equal(c->poll_s, 60); /* not given as a flag: the file's */
	assert_string_equal(c->schedule_url, "http://127.0.0.1:8080/v1/schedule");
	assert_int_equal(c->orientation, KIOSK_ORIENT_PORTRAIT);
	assert_int_equal(c->rotation, 270);
	assert_string_equal(c->font_emoji, "");
	assert_true(same_color(c->theme.muted, 0xd0d0d0));
	/* --room replaces the file's list rather than adding to it */
	assert_int_equal(c->n_rooms, 2);
	assert_string_equal(c->rooms[0], "Salle 241");
	assert_string_equal(c->rooms[1], "Salle 243");
	/* the queue list, not given, is the file's */
	assert_int_equal(c->n_queues, 1);
	assert_string_equal(c->queues[0], "meridien-lunch");
	free(c);

	/* the shell's way: flags once (for --config), the file, flags again */
	c = fresh();
	assert_true(args(c, &e, "--config", "/etc/vb.conf", "--queue", "palais-cafe", NULL));
	assert_string_equal(c->config_path, "/etc/vb.conf");
	kiosk_config_defaults(c);
	assert_true(parse(c, file, &e));
	assert_true(args(c, &e, "--config", "/etc/vb.conf", "--queue", "palais-cafe", NULL));
	assert_int_equal(c->n_queues, 1);
	assert_string_equal(c->queues[0], "palais-cafe");
	assert_int_equal(c->n_rooms, 2);
	assert_string_equal(c->rooms[0], "Salle 251");
	assert_int_equal(c->lang, LANG_FR);
	free(c);
}

static void test_run_flags(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(args(c, &e, "--schedule-url", "file:///tmp/s.json", "--screenshot", "out.png",
			 "--window", "--clock-rate", "60", "--exit-after", "2.5", "--frame-log",
			 "frames.txt", NULL));
	assert_int_equal(c->mode, KIOSK_SCREENSHOT);
	assert_string_equal(c->screenshot, "out.png");
	assert_true(c->windowed);
	assert_true(c->clock_rate == 60.0);
	assert_true(c->exit_after_s == 2.5);
	assert_string_equal(c->frame_log, "frames.txt");
	/* --screenshot without --size: the check says what is missing */
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "--size"));
	assert_true(args(c, &e, "--size", "1920x1080", NULL));
	assert_int_equal(c->width, 1920);
	assert_int_equal(c->height, 1080);
	if (!kiosk_config_check(c, &e))
		fail_msg("%s", e.msg);
	free(c);

	c = fresh();
	assert_true(args(c, &e, "--help", NULL));
	assert_int_equal(c->mode, KIOSK_HELP);
	assert_true(args(c, &e, "--version", NULL));
	assert_int_equal(c->mode, KIOSK_VERSION);
	assert_non_null(strstr(kiosk_config_usage(), "--screenshot"));
	free(c);

	static const struct {
		const char *a, *v, *needle;
	} bad[] = {
		{"--size", "1920", "size"},
		{"--size", "1920x1080x", "size"},
		{"--size", "10x10", "size"},
		{"--size", "x1080", "size"},
		{"--clock-rate", "0", "clock-rate"},
		{"--clock-rate", "fast", "clock-rate"},
		{"--exit-after", "-1", "exit-after"},
		{"--at", "tomorrow", "at"},
		{"--at", "2014-11-06", "at"}, /* a day, not a time */
		{"--language", "de", "--language"},
		{"--timezone", "Mars/Olympus", "--timezone"},
		{"--bogus", "1", "bogus"},
		{"positional", "x", "positional"},
		{"--", "x", "--"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		c = fresh();
		e.msg[0] = '\0';
		if (args(c, &e, bad[i].a, bad[i].v, NULL))
			fail_msg("%s %s was accepted", bad[i].a, bad[i].v);
		if (!strstr(e.msg, bad[i].needle))
			fail_msg("%s %s: '%s' lacks '%s'", bad[i].a, bad[i].v, e.msg,
				 bad[i].needle);
		free(c);
	}
	c = fresh();
	assert_false(args(c, &e, "--venue", NULL)); /* no value */
	assert_non_null(strstr(e.msg, "--venue"));
	free(c);
}

static void test_at(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(args(c, &e, "--at", "2014-11-06T10:05:00+01:00", NULL));
	assert_int_equal(c->at_ms, AT_1005_MS);
	assert_true(args(c, &e, "--at", "2014-11-06T09:05:00Z", NULL));
	assert_int_equal(c->at_ms, AT_1005_MS);
	assert_true(args(c, &e, "--clock-start", "2014-11-06T08:00:00.500Z", NULL));
	assert_int_equal(c->clock_start_ms, 1415260800000LL); /* whole seconds */
	/* a wall time needs a zone: the configured one; with none by the end,
	 * the check refuses it, naming the flag */
	kiosk_config_defaults(c);
	assert_true(args(c, &e, "--schedule-url", "https://a/s.json", "--at", "2014-11-06T10:05",
			 NULL));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "at: "));
	kiosk_config_defaults(c);
	assert_true(args(c, &e, "--timezone", "Europe/Paris", "--at", "2014-11-06T10:05", NULL));
	assert_int_equal(c->at_ms, AT_1005_MS);
	/* summer time: 10:05 in Paris in July is 08:05 UTC */
	assert_true(args(c, &e, "--at", "2014-07-03T10:05:00", NULL));
	assert_int_equal(c->at_ms, 1404374700000LL);
	free(c);
}

/* The zone of the config file serves an --at without offset, however the
 * shell orders its passes (flags for --config, the file, flags again). */
static void test_at_with_zone_from_file(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	const char *file = "schedule-url https://a/s.json\ntimezone Europe/Paris\n";
	bool first = args(c, &e, "--config", "venueboard.conf", "--at", "2014-11-06T10:05", NULL);
	if (!first)
		fail_msg("the first pass over the flags (to learn --config) fails before the file "
			 "gives the zone: %s",
			 e.msg);
	kiosk_config_defaults(c);
	assert_true(parse(c, file, &e));
	assert_true(args(c, &e, "--config", "venueboard.conf", "--at", "2014-11-06T10:05", NULL));
	assert_int_equal(c->at_ms, AT_1005_MS);
	free(c);
}

static void test_check_theme_contrast(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(parse(c, "schedule-url https://a/s.json\ncolor-muted #777777\n", &e));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "muted on background"));
	assert_non_null(strstr(e.msg, "theme"));
	/* as a flag too */
	kiosk_config_defaults(c);
	assert_true(args(c, &e, "--schedule-url", "https://a/s.json", "--color-calm-bg", "#3a6ea5",
			 NULL));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "calm-text on calm-bg"));
	free(c);
}

/* title, viewing-distance, screen-diagonal, page-seconds-max (issue 15):
 * in the file and as flags, their bounds, the floor under the ceiling. */
static void test_legibility_and_pages(void **state)
{
	(void)state;
	struct kiosk_config *c = fresh();
	struct feed_error e = {{0}};
	assert_true(parse(c,
			  "schedule-url https://a/s.json\ntitle FOSDEM 2026\n"
			  "viewing-distance 6\nscreen-diagonal 55\npage-seconds 10\n"
			  "page-seconds-max 30\n",
			  &e));
	assert_true(kiosk_config_check(c, &e));
	assert_string_equal(c->title, "FOSDEM 2026");
	assert_true(c->viewing_distance_m == 6.0 && c->screen_diagonal_in == 55.0);
	assert_int_equal(c->page_s, 10);
	assert_int_equal(c->page_s_max, 30);
	assert_true(args(c, &e, "--viewing-distance", "2.5", "--screen-diagonal", "0", NULL));
	assert_true(c->viewing_distance_m == 2.5 && c->screen_diagonal_in == 0);
	static const struct {
		const char *doc, *also;
	} bad[] = {
		{"viewing-distance 0.2\n", "0.5"},    {"viewing-distance 3,5\n", "3,5"},
		{"viewing-distance far\n", "metres"}, {"screen-diagonal 2000\n", "inches"},
		{"page-seconds-max 2\n", "3 to 600"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		kiosk_config_defaults(c);
		if (parse(c, bad[i].doc, &e))
			fail_msg("'%s' was accepted", bad[i].doc);
		if (!strstr(e.msg, "line 1") || !strstr(e.msg, bad[i].also))
			fail_msg("'%s': '%s' should say line 1 and '%s'", bad[i].doc, e.msg,
				 bad[i].also);
	}
	/* a floor over the ceiling */
	kiosk_config_defaults(c);
	assert_true(parse(c, "schedule-url https://a/s.json\npage-seconds 50\n", &e));
	assert_false(kiosk_config_check(c, &e));
	assert_non_null(strstr(e.msg, "page-seconds-max 40"));
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_rooms_settings),
		cmocka_unit_test(test_fleet_settings),
		cmocka_unit_test(test_walk_and_capacity),
		cmocka_unit_test(test_time_sources),
		cmocka_unit_test(test_errors_name_line_and_key),
		cmocka_unit_test(test_comments_crlf_bom),
		cmocka_unit_test(test_size_caps),
		cmocka_unit_test(test_list_caps),
		cmocka_unit_test(test_flags_override_file),
		cmocka_unit_test(test_run_flags),
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_at_with_zone_from_file),
		cmocka_unit_test(test_check_theme_contrast),
		cmocka_unit_test(test_legibility_and_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
