/* Unit tests for layout, on draw lists measured with a fixed-width stand-in
 * for the fonts: every text on screen and none over another at four screen
 * sizes, the words that matter (clock, date, CANCELLED, MOVED →, NEW, the
 * feed's age, the lunch lines' uncertainty, their forecast line, band, tip
 * and the shorter line) in English and French, long titles, 50 rooms
 * paged, an empty day, no schedule yet, and the hash. */
#include "test_util.h"

#include "layout_check.h"

#include "board.h"
#include "civil_time.h"
#include "i18n.h"
#include "kiosk_config.h"
#include "layout.h"
#include "legibility.h"
#include "lunch_advice.h"
#include "lunch_sim.h"
#include "queue_board.h"
#include "room_board.h"
#include "schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO "../../assets/demo/"

enum { MIN_MS = 60000 };

/* 2014-11-06 (a Thursday), Europe/Paris is UTC+1 */
static const int64_t T_1005 = 1415264700000LL; /* 10:05 in Paris */
static const int64_t T_0905 = 1415261100000LL; /* 09:05 */
static const int64_t T_1240 = 1415274000000LL; /* 12:40 */
static const int64_t T_1205 = 1415271900000LL; /* 12:05: the demo's rooms file */

static const char LONG_TITLE[] = "CRA Integration – How FOSS compliance measures support CRA "
				 "obligations, especially regarding documentation, security "
				 "updates, and traceability.";

/* A queue declared, nothing counted yet. */
static const char PALAIS_CAFE[] = "{\"type\":\"queue\",\"queue\":\"palais-cafe\",\"name\":"
				  "\"Palais — café\",\"venue\":\"Palais des Congrès\","
				  "\"stations\":2,\"service_s\":20}\n";

/* ---- scenes ------------------------------------------------------------- */

struct scene {
	const char *name;
	struct kiosk_config *cfg;
	struct board *board;
	struct queue_board *queues;
	struct lunch_advice *advice; /* NULL: none decided */
	struct room_board *rooms;    /* NULL: no room fill */
	struct layout_feed feed;
	int64_t now_ms;
	int min_text_px; /* legibility: 0 = the design's sizes */
};

static struct scene scene(const char *name, int64_t now_ms)
{
	struct scene s = {.name = name, .now_ms = now_ms};
	s.cfg = malloc(sizeof(*s.cfg));
	assert_non_null(s.cfg);
	kiosk_config_defaults(s.cfg);
	s.board = board_create();
	assert_non_null(s.board);
	s.feed = (struct layout_feed){.have = true, .age_s = 20, .received_ms = now_ms - 20000};
	return s;
}

static void scene_free(struct scene *s)
{
	board_destroy(s->board);
	queue_board_destroy(s->queues);
	room_board_destroy(s->rooms);
	free(s->advice);
	free(s->cfg);
}

static void load_text(struct board *b, const char *buf, size_t len, int64_t now_ms)
{
	struct feed_error e = {{0}};
	if (!board_load(b, buf, len, NULL, now_ms, NULL, &e))
		fail_msg("board_load: %s", e.msg);
}

static void load_file(struct board *b, const char *rel, int64_t now_ms)
{
	size_t len;
	char *t = test_fixture(rel, &len);
	load_text(b, t, len, now_ms);
	free(t);
}

/* The demo as a screen sees it: the printed programme first, Wednesday's
 * version arriving at seen_ms. */
static struct scene demo(const char *name, int64_t now_ms, int64_t seen_ms)
{
	struct scene s = scene(name, now_ms);
	layout_check_demo(s.board, seen_ms);
	return s;
}

struct syn_session {
	const char *id, *title, *room, *start, *end, *track, *speakers, *status;
};

/* A normalized schedule (contracts §3); rooms are "r<i>" named names[i];
 * extra (may be NULL) is appended inside the object ("changes", ...). */
static char *normalized(const char *title, const char *const *names, size_t n_rooms,
			const struct syn_session *ss, size_t n, const char *extra)
{
	struct test_buf b = {0};
	char line[2048];
	snprintf(line, sizeof(line),
		 "{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"%s\","
		 "\"timezone\":\"Europe/Paris\"},\"rooms\":[",
		 title);
	test_buf_puts(&b, line);
	for (size_t i = 0; i < n_rooms; i++) {
		snprintf(line, sizeof(line), "%s{\"id\":\"r%zu\",\"name\":\"%s\"}", i ? "," : "", i,
			 names[i]);
		test_buf_puts(&b, line);
	}
	test_buf_puts(&b, "],\"sessions\":[");
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line),
			 "%s{\"id\":\"%s\",\"title\":\"%s\",\"room\":\"%s\","
			 "\"start\":\"2014-11-%sZ\",\"end\":\"2014-11-%sZ\",\"track\":\"%s\","
			 "\"speakers\":[%s],\"status\":\"%s\"}",
			 i ? "," : "", ss[i].id, ss[i].title, ss[i].room, ss[i].start, ss[i].end,
			 ss[i].track ? ss[i].track : "Main", ss[i].speakers ? ss[i].speakers : "",
			 ss[i].status ? ss[i].status : "scheduled");
		test_buf_puts(&b, line);
	}
	test_buf_puts(&b, "]");
	if (extra)
		test_buf_puts(&b, extra);
	test_buf_puts(&b, "}");
	return b.p;
}

static struct scene fifty_rooms(void)
{
	struct scene s = scene("50 rooms", T_1005);
	static char names[50][16], ids[100][8], titles[100][32], rooms[50][8];
	const char *np[50];
	struct syn_session ss[100];
	for (int i = 0; i < 50; i++) {
		snprintf(names[i], sizeof(names[i]), "Room %02d", i + 1);
		snprintf(rooms[i], sizeof(rooms[i]), "r%d", i);
		np[i] = names[i];
		for (int k = 0; k < 2; k++) {
			int j = 2 * i + k;
			snprintf(ids[j], sizeof(ids[j]), "s%d", j);
			snprintf(titles[j], sizeof(titles[j]), "Talk %d%c", i + 1, k ? 'b' : 'a');
			ss[j] = (struct syn_session){ids[j],
						     titles[j],
						     rooms[i],
						     k ? "06T10:00:00" : "06T09:00:00",
						     k ? "06T11:00:00" : "06T10:00:00",
						     NULL,
						     "\"Speaker\"",
						     NULL};
		}
	}
	char *doc = normalized("Fifty rooms", np, 50, ss, 100, NULL);
	load_text(s.board, doc, strlen(doc), s.now_ms);
	free(doc);
	return s;
}

static const char *const long_rooms[] = {
	"Salle A",
	"Le Méridien Étoile — Grand Salon Arc de Triomphe, niveau -1",
	"Amphithéâtre Bleu",
	"Supercalifragilisticexpialidociousauditorium",
};

static const struct syn_session long_sessions[] = {
	/* now and next in Salle A: the 143-character title twice */
	{"L1", LONG_TITLE, "r0", "06T09:00:00", "06T09:40:00",
	 "Legal and Policy, Compliance and Standards",
	 "\"Alexandra Konstantinopoulou-Vandenberghe\",\"Jean-Baptiste de La Rochefoucauld\","
	 "\"Maria Fernanda Gonçalves da Silva\"",
	 NULL},
	{"L2", LONG_TITLE, "r0", "06T09:50:00", "06T10:30:00", NULL, NULL, NULL},
	/* starts in 5 minutes, with many speakers */
	{"L3",
	 "Keeping the lights on: what twenty years of running community infrastructure taught us",
	 "r1", "06T09:10:00", "06T09:50:00", "Community",
	 "\"Alexandra Konstantinopoulou-Vandenberghe\",\"Jean-Baptiste de La Rochefoucauld\"",
	 NULL},
	/* cancelled, with a long title */
	{"L4",
	 "Containers as a service: Magnum and the compute program, a very long retrospective of "
	 "everything that went wrong and right (continued)",
	 "r2", "06T09:00:00", "06T10:00:00", "Design Summit", NULL, "cancelled"},
	/* moved out of the last room (the server says so below) */
	{"L5", "Moved away: the session whose room changed at the last minute", "r1", "06T10:30:00",
	 "06T11:10:00", NULL, NULL, NULL},
	{"L6", "Word", "r3", "06T09:00:00", "06T10:00:00", NULL, NULL, NULL},
};

static const char long_changes[] =
	",\"changes\":[{\"session\":\"L5\",\"title\":\"Moved away: the session whose room changed "
	"at the last minute\",\"kind\":\"moved\",\"from\":{\"room\":"
	"\"Supercalifragilisticexpialidociousauditorium\",\"start\":"
	"\"2014-11-06T09:30:00Z\"},\"to\":{\"room\":\"Le Méridien Étoile — Grand Salon Arc de "
	"Triomphe, niveau -1\",\"start\":\"2014-11-06T10:30:00Z\"}},{\"session\":\"L4\",\"title\":"
	"\"Containers as a service: Magnum and the compute program, a very long retrospective of "
	"everything that went wrong and right (continued)\",\"kind\":\"cancelled\",\"from\":{"
	"\"room\":\"Amphithéâtre Bleu\",\"start\":\"2014-11-06T09:00:00Z\"}}],"
	"\"notices\":[{\"text\":\"The cloakroom on level -1 closes at 18:00 today; please "
	"collect your coats and bags "
	"before the closing keynote, as the building shuts at 19:00 sharp for the evening event\"},"
	"{\"text\":\"Lunch at Le Méridien\"}]";

static struct scene long_titles(void)
{
	struct scene s = scene("long titles", T_1005);
	snprintf(s.cfg->venue, sizeof(s.cfg->venue),
		 "Palais des Congrès de Paris, Porte Maillot, entrée principale");
	snprintf(s.cfg->floor, sizeof(s.cfg->floor), "Niveau 2 — près des escalators côté Neuilly");
	size_t n = sizeof(long_sessions) / sizeof(*long_sessions);
	/* the screen starts before the server lists the changes */
	char *plain = normalized("The Very Long Annual International Conference on Open Source "
				 "Compliance, Standards and Everything In Between 2014",
				 long_rooms, 4, long_sessions, n, NULL);
	load_text(s.board, plain, strlen(plain), s.now_ms - 30 * MIN_MS);
	free(plain);
	char *doc = normalized("The Very Long Annual International Conference on Open Source "
			       "Compliance, Standards and Everything In Between 2014",
			       long_rooms, 4, long_sessions, n, long_changes);
	load_text(s.board, doc, strlen(doc), s.now_ms - 2 * MIN_MS); /* NEW */
	free(doc);
	return s;
}

static struct scene empty_day(void)
{
	struct scene s = scene("empty day", T_1005);
	static const char *const names[] = {"Salle 251"};
	static const struct syn_session ss[] = {
		{"F1", "Friday's first talk", "r0", "07T09:00:00", "07T10:00:00", 0, 0, 0},
		{"F2", "Friday's second talk", "r0", "07T10:00:00", "07T11:00:00", 0, 0, 0},
	};
	char *doc = normalized("Friday only", names, 1, ss, 2, NULL);
	load_text(s.board, doc, strlen(doc), s.now_ms);
	free(doc);
	return s;
}

static struct scene stale(void)
{
	struct scene s = demo("stale feed", T_1005, T_1005 - 3 * 3600000);
	s.feed.offline = true;
	s.feed.offline_since_ms = T_1005 - 18 * MIN_MS; /* 09:47 */
	s.feed.received_ms = T_1005 - 50 * MIN_MS;      /* 09:15 */
	s.feed.age_s = 3000;
	return s;
}

/* r's samples as JSON Lines, appended to b. */
static void sim_lines(const struct sim_result *r, struct test_buf *b)
{
	for (size_t i = 0; i < r->n_samples; i++) {
		char line[QUEUE_LINE_MAX];
		size_t n = queue_sample_format(&r->samples[i], line, sizeof(line));
		assert_true(n > 0 && n + 1 < sizeof(line));
		line[n] = '\n';
		line[n + 1] = '\0';
		test_buf_puts(b, line);
	}
}

static struct queue_board *queues_from(const struct sim_result *r, int64_t until)
{
	struct queue_board *qb = queue_board_create(NULL, 0);
	assert_non_null(qb);
	struct test_buf b = {0};
	sim_lines(r, &b);
	struct feed_error e = {{0}};
	if (!queue_board_load(qb, b.p, b.len, until, NULL, &e))
		fail_msg("queue_board_load: %s", e.msg);
	free(b.p);
	queue_board_update(qb, until);
	return qb;
}

/* The demo at 12:40 with a lunch line whose exit counter is silent. */
static struct scene degraded(void)
{
	struct scene s = demo("degraded queue", T_1240, T_1005 - 3600000);
	struct sim_config d;
	lunch_sim_defaults(&d);
	struct sim_result r = test_lunch_sim("noisy", d.seed); /* the default seed */
	s.queues = queues_from(&r, s.now_ms);
	lunch_sim_finish(&r);
	const struct queue_view *v = queue_board_get(s.queues, 0);
	assert_non_null(v);
	if (!v->now.known || v->now.confidence != CONFIDENCE_DEGRADED)
		fail_msg("the noisy lunch at 12:40 is not degraded (%d, %s)", v->now.confidence,
			 v->now.why);
	return s;
}

/* A queue that is declared but has no counts yet. */
static struct scene unknown_queue(void)
{
	struct scene s = demo("unknown queue", T_1240, T_1005 - 3600000);
	s.queues = queue_board_create(NULL, 0);
	assert_non_null(s.queues);
	const char *decl = PALAIS_CAFE;
	struct feed_error e = {{0}};
	assert_true(queue_board_load(s.queues, decl, strlen(decl), INT64_MAX, NULL, &e));
	queue_board_update(s.queues, s.now_ms);
	assert_false(queue_board_get(s.queues, 0)->now.known);
	return s;
}

/* A server's forecast for queue id made at t_ms: twelve points at the next
 * five-minute steps, waits[k] give or take spread (JSON, the "queues" entry). */
static void forecast_json(struct test_buf *b, const char *id, int64_t t_ms, const double waits[12],
			  double spread)
{
	char line[512], t[21], at[21];
	civil_format_utc(t_ms / 1000, t);
	snprintf(line, sizeof(line), "{\"queue\":\"%s\",\"forecast\":{\"t\":\"%s\",\"points\":[",
		 id, t);
	test_buf_puts(b, line);
	for (int k = 0; k < 12; k++) {
		civil_format_utc((t_ms / (5 * MIN_MS) + 1 + k) * 5 * 60, at);
		double lo = waits[k] > spread ? waits[k] - spread : 0;
		snprintf(line, sizeof(line),
			 "%s{\"at\":\"%s\",\"wait_s\":%.0f,\"low_s\":%.0f,"
			 "\"high_s\":%.0f}",
			 k ? "," : "", at, waits[k], lo, waits[k] + spread);
		test_buf_puts(b, line);
	}
	test_buf_puts(b, "]}}");
}

/* The views of the scene's board, advice decided for them (walks and
 * schedule as given). */
static void advise(struct scene *s, const struct schedule *sched, size_t n_walks)
{
	const struct queue_view *views[ESTIMATOR_MAX_QUEUES];
	size_t n = queue_board_count(s->queues);
	for (size_t i = 0; i < n; i++)
		views[i] = queue_board_get(s->queues, i);
	struct lunch_advice_input in = {views, n, sched, s->cfg->walks, n_walks, s->now_ms};
	struct lunch_advice_state st;
	lunch_advice_state_init(&st);
	free(s->advice);
	s->advice = malloc(sizeof(*s->advice));
	assert_non_null(s->advice);
	lunch_advice_decide(&in, &st, s->advice);
}

/* The demo at 12:40 with two lunch lines, their walks from this screen and
 * the server's forecasts: le Méridien after the keynote's wave, emptying in
 * the hour ahead; the buffet on level 3 short and staying so. */
static struct scene lunch(void)
{
	struct scene s = demo("lunch forecast", T_1240, T_1005 - 3600000);
	struct sim_config c;
	lunch_sim_defaults(&c);
	struct sim_result a, b;
	assert_true(lunch_sim_run(&c, &a));
	c.queue = "level3-buffet";
	c.name = "Level 3 buffet";
	c.surge_people = 20;
	c.seed = 2;
	assert_true(lunch_sim_run(&c, &b));
	s.queues = queue_board_create(NULL, 0);
	assert_non_null(s.queues);
	queue_board_set_schedule(s.queues, s.board->schedule);
	struct test_buf lines = {0};
	sim_lines(&a, &lines);
	sim_lines(&b, &lines);
	struct feed_error e = {{0}};
	assert_true(queue_board_load(s.queues, lines.p, lines.len, s.now_ms, NULL, &e));
	free(lines.p);
	lunch_sim_finish(&a);
	lunch_sim_finish(&b);
	queue_board_update(s.queues, s.now_ms);
	double w = queue_board_get(s.queues, 0)->now.wait_s;
	if (w < 400 || queue_board_get(s.queues, 1)->now.wait_s > 120)
		fail_msg("the lines at 12:40: %.0f s and %.0f s", w,
			 queue_board_get(s.queues, 1)->now.wait_s);
	double m[12] = {0.95 * w, 0.8 * w, 0.6 * w, 0.4 * w, 0.25 * w, 0.15 * w,
			60,       60,      60,      60,      60,       60};
	static const double flat[12] = {60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60};
	struct test_buf doc = {0};
	test_buf_puts(&doc, "{\"queues\":[");
	forecast_json(&doc, "meridien-lunch", s.now_ms, m, 60);
	test_buf_puts(&doc, ",");
	forecast_json(&doc, "level3-buffet", s.now_ms, flat, 30);
	test_buf_puts(&doc, "],\"samples\":[]}");
	assert_true(queue_board_load(s.queues, doc.p, doc.len, s.now_ms, NULL, &e));
	free(doc.p);
	queue_board_update(s.queues, s.now_ms);
	assert_true(kiosk_config_set(s.cfg, "walk", "meridien-lunch 2", &e));
	assert_true(kiosk_config_set(s.cfg, "walk", "Level 3 buffet 1", &e));
	advise(&s, s.board->schedule, s.cfg->n_walks);
	return s;
}

static struct scene lunch_fr(void)
{
	struct scene s = lunch();
	s.name = "lunch forecast fr";
	s.cfg->lang = LANG_FR;
	return s;
}

/* The same lines, nothing to advise: no walks, no catering hours. */
static struct scene lunch_no_advice(void)
{
	struct scene s = lunch();
	s.name = "lunch, no advice";
	advise(&s, NULL, 0);
	return s;
}

/* ---- building and reading frames ---------------------------------------- */

/* The layout's input for scene s at w x h. */
static struct layout_input input_of(const struct scene *s, int w, int h, int64_t page_tick)
{
	return (struct layout_input){
		.cfg = s->cfg,
		.board = s->board,
		.queues = s->queues,
		.advice = s->advice,
		.rooms = s->rooms,
		.tm = layout_check_metrics(),
		.width = w,
		.height = h,
		.now_ms = s->now_ms,
		.page_tick = page_tick,
		.feed = s->feed,
		.min_text_px = s->min_text_px,
	};
}

static void build(const struct scene *s, int w, int h, int64_t page_tick, struct draw_list *dl,
		  struct layout_result *res)
{
	struct layout_input in = input_of(s, w, h, page_tick);
	draw_list_reset(dl, w, h, (struct draw_color){0, 0, 0});
	layout_build(&in, dl, res);
	assert_false(dl->overflow);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && memcmp(s + a - b, tail, b) == 0;
}

typedef struct scene scene_fn(void);

static struct scene demo_en(void)
{
	return demo("demo", T_1005, T_1005 - 3600000);
}

static struct scene demo_fr(void)
{
	struct scene s = demo("demo fr", T_1005, T_1005 - 3600000);
	s.cfg->lang = LANG_FR;
	return s;
}

static struct scene no_schedule(void)
{
	return scene("no schedule", T_1005);
}

static struct scene notices(void)
{
	struct scene s = scene("server notices", T_1005);
	load_file(s.board, "kiosk/server-schedule.json", s.now_ms);
	return s;
}

static struct scene french_long(void)
{
	struct scene s = long_titles();
	s.name = "long titles fr";
	s.cfg->lang = LANG_FR;
	return s;
}

static struct scene degraded_portrait_queues(void)
{
	struct scene s = degraded();
	/* a second, unknown queue beside it */
	const char *decl = PALAIS_CAFE;
	struct feed_error e = {{0}};
	assert_true(queue_board_load(s.queues, decl, strlen(decl), INT64_MAX, NULL, &e));
	queue_board_update(s.queues, s.now_ms);
	s.name = "two queues";
	return s;
}

/* The demo at 12:05 on Thursday, its rooms counted at 12:04 (the demo's
 * rooms file): Salle 252A full, 241 filling, 243's count 24 minutes old. */
static struct scene rooms_at(const char *name, int64_t now_ms)
{
	struct scene s = demo(name, now_ms, T_1005 - 3600000);
	struct feed_error e;
	static const char *const shown[] = {"Salle 252A", "Salle 241", "Salle 243"};
	for (size_t i = 0; i < 3; i++)
		assert_true(kiosk_config_set(s.cfg, "room", shown[i], &e));
	assert_true(kiosk_config_set(s.cfg, "overflow", "\"Salle 252A\" \"Salle 243\"", &e));
	s.rooms = layout_check_rooms(DEMO "rooms-thursday-1205.json", s.board->schedule, s.cfg,
				     now_ms);
	return s;
}

static struct scene rooms_hall(void)
{
	return rooms_at("rooms", T_1205);
}

static struct scene rooms_hall_fr(void)
{
	struct scene s = rooms_at("rooms fr", T_1205);
	s.cfg->lang = LANG_FR;
	return s;
}

/* 12:08: every count is more than 3 minutes old on this screen */
static struct scene rooms_stale(void)
{
	return rooms_at("rooms, counts stale", T_1205 + 3 * MIN_MS);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_geometry(void **state)
{
	(void)state;
	static scene_fn *const scenes[] = {
		demo_en,       demo_fr,     fifty_rooms,     long_titles,
		french_long,   empty_day,   stale,           no_schedule,
		notices,       degraded,    unknown_queue,   degraded_portrait_queues,
		lunch,         lunch_fr,    lunch_no_advice, rooms_hall,
		rooms_hall_fr, rooms_stale,
	};
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	int bad = 0;
	for (size_t i = 0; i < sizeof(scenes) / sizeof(*scenes); i++) {
		struct scene s = scenes[i]();
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++)
			for (int64_t tick = 0; tick < 3; tick++) {
				struct layout_result res;
				build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, tick,
				      &dl, &res);
				assert_true(dl.n > 3);
				bad += layout_check_geometry(&dl, s.name, tick);
			}
		scene_free(&s);
	}
	draw_list_finish(&dl);
	if (bad)
		fail_msg("%d texts off the screen or over another (first ones above)", bad);
}

static void test_clock_and_date(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = demo_en();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		layout_check_expect(&dl, "10:05", "clock");
		layout_check_expect(&dl, "Thursday 6 November", "date");
		layout_check_expect(&dl, "OpenStack Summit", "title");
		layout_check_expect(&dl, "Now", "column");
		if (layout_check_sizes[z].w > layout_check_sizes[z].h) /* portrait: no heads */
			layout_check_expect(&dl, "Next", "column");
		layout_check_expect(&dl, "updated 20 s ago", "footer");
		assert_int_equal(layout_check_find(&dl, "En cours", 0), SIZE_MAX);
	}
	scene_free(&s);
	s = demo_fr();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		layout_check_expect(&dl, "10:05", "horloge");
		layout_check_expect(&dl, "jeudi 6 novembre", "date");
		layout_check_expect(&dl, "En cours", "colonne");
		if (layout_check_sizes[z].w > layout_check_sizes[z].h)
			layout_check_expect(&dl, "Ensuite", "colonne");
		layout_check_expect(&dl, "ANNULÉ", "annulation");
		layout_check_expect(&dl, "DÉPLACÉ → Salle 252B", "déplacement");
		layout_check_expect(&dl, "Changements du jour", "changements");
		assert_int_equal(layout_check_find(&dl, "Thursday", 0), SIZE_MAX);
		assert_int_equal(layout_check_find(&dl, "CANCELLED", 0), SIZE_MAX);
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

/* The rooms' rows in a frame: how far the lowest text in the rooms' area
 * is from the area's bottom, and whether any text there ends with "…". */
struct rooms_look {
	int blank; /* pixels under the last row's text */
	int cut;   /* texts cut with "…" */
	char first_cut[256];
};

static struct rooms_look rooms_look(const struct draw_list *dl, const struct layout_result *r)
{
	struct rooms_look l = {0};
	int lowest = r->rooms_area.y;
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *o = &dl->ops[i];
		if (o->kind != DRAW_TEXT || o->x < r->rooms_area.x ||
		    o->x >= r->rooms_area.x + r->rooms_area.w || o->y < r->rooms_area.y ||
		    o->y >= r->rooms_area.y + r->rooms_area.h)
			continue;
		lowest = o->y + o->h > lowest ? o->y + o->h : lowest;
		if (ends_with(layout_check_text(dl, i), "…") && !l.cut++)
			snprintf(l.first_cut, sizeof(l.first_cut), "%s", layout_check_text(dl, i));
	}
	l.blank = r->rooms_area.y + r->rooms_area.h - lowest;
	return l;
}

/* Text is cut in the rooms' rows only when the page has no room for one
 * more line (a title's line is 37.5 design units, with its spacing under
 * 44); and a portrait page shows the panel right under the rooms. */
static void check_room_to_spare(const struct draw_list *dl, const struct layout_result *r,
				const char *where, int64_t tick)
{
	int w = dl->width, h = dl->height;
	double u = (w < h ? w : h) / 1080.0;
	struct rooms_look l = rooms_look(dl, r);
	if (l.cut && l.blank > 44 * u)
		fail_msg("%s %dx%d page %lld: '%s' cut while %d px (%.0f %%) under the rooms are "
			 "blank",
			 where, w, h, (long long)tick, l.first_cut, l.blank, 100.0 * l.blank / h);
	if (h > w && r->pages == 1 && l.blank > 44 * u)
		fail_msg("%s %dx%d: %d px (%.0f %%) blank between the rooms and the panel", where,
			 w, h, l.blank, 100.0 * l.blank / h);
}

/* The long title in Salle A, now and next: wrapped at spaces, its lines one
 * under the other, and cut only when the page had no room left. */
static void test_long_title_uses_room(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = long_titles();
	char first_words[32];
	snprintf(first_words, sizeof(first_words), "%.15s", LONG_TITLE);
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		int starts = 0;
		for (size_t i = 0; i < dl.n; i++) {
			const char *t = layout_check_text(&dl, i);
			if (!t || strncmp(t, first_words, strlen(first_words)) != 0)
				continue;
			starts++;
			/* the first line is the title's start, broken at a space */
			assert_true(strstr(LONG_TITLE, t) == LONG_TITLE);
			assert_true(LONG_TITLE[strlen(t)] == ' ');
		}
		/* now and next in Salle A */
		if (starts != 2)
			fail_msg("%dx%d: the long title starts %d times, want 2",
				 layout_check_sizes[z].w, layout_check_sizes[z].h, starts);
		check_room_to_spare(&dl, &res, "long titles", 0);
		/* the rest of this crowded screen still says what matters */
		layout_check_expect(&dl, "STARTS IN 5 MIN", "soon");
		layout_check_expect(&dl, "CANCELLED", "cancelled");
		layout_check_expect(&dl, "NEW", "a change seen 2 minutes ago");
		layout_check_expect(&dl, "The cloakroom", "notice");
	}
	/* four rooms on a portrait screen: the whole title, its end included */
	build(&s, 1080, 1920, 0, &dl, &res);
	layout_check_expect(&dl, "traceability.", "the long title's end in portrait");
	scene_free(&s);
	draw_list_finish(&dl);
}

/* Six rooms with long titles, long lists of speakers and long names (a
 * FOSDEM Saturday): the case of issue 15, where portrait cut every title
 * after two lines and the speakers after a few letters over a blank third
 * of the screen. */
static const char *const six_rooms[] = {
	"Room K.3.201 (OpenOffice / LibreOffice devroom)",
	"Salle Maillot-Passy-Étoile",
	"Janson",
	"UB2.252A (Lameere)",
	"H.1302 (Depage) — Rust devroom",
	"AW1.120 Free Java",
};

#define SPEAKERS2 "\"Morgan Fairchild-Oyelaran\",\"Jean-Baptiste de La Rochefoucauld\""
#define SPEAKERS6 SPEAKERS2 ",\"Mária Gonçalves da Silva\",\"Aleksandr Konstantinopoulos\""

static const struct syn_session six_sessions[] = {
	{"S1",
	 "LibreOffice Online at scale: collaborative editing for a million users without "
	 "losing a single keystroke",
	 "r0", "06T08:30:00", "06T09:30:00", "Office", SPEAKERS2, NULL},
	{"S2",
	 "ODF 1.4 in practice: what changed for interoperability between OpenOffice, "
	 "LibreOffice and the rest",
	 "r0", "06T09:30:00", "06T10:00:00", "Office", SPEAKERS2, NULL},
	{"S3",
	 "Keeping the lights on: what twenty years of running community infrastructure "
	 "taught us about people",
	 "r1", "06T08:40:00", "06T09:40:00", "Community", SPEAKERS2, NULL},
	{"S4", LONG_TITLE, "r1", "06T09:45:00", "06T10:30:00", "Legal", SPEAKERS6, NULL},
	{"S5",
	 "The state of the open source hardware ecosystem, from silicon to the finished "
	 "product",
	 "r2", "06T09:30:00", "06T10:30:00", "Keynotes", SPEAKERS2, NULL},
	{"S6",
	 "Lightning talks: ten projects in fifty minutes, and what each of them needs "
	 "from you",
	 "r3", "06T08:30:00", "06T09:20:00", "Lightning", SPEAKERS2, NULL},
	{"S7",
	 "Writing a garbage collector in safe Rust: the borrow checker is not your enemy "
	 "after all",
	 "r4", "06T08:35:00", "06T09:25:00", "Rust", SPEAKERS2, NULL},
	{"S8",
	 "Async Rust in embedded systems: executors, interrupts and the memory you do not "
	 "have",
	 "r4", "06T09:30:00", "06T10:20:00", "Rust", SPEAKERS2, NULL},
	{"S9",
	 "Project Valhalla value classes: what changes for your collections and your "
	 "garbage collector",
	 "r5", "06T09:40:00", "06T10:30:00", "Java", SPEAKERS2, NULL},
};

/* At 10:05 (09:05 UTC): four rooms have a session on now, two not. */
static struct scene six(void)
{
	struct scene s = scene("six rooms", T_1005);
	char *doc = normalized("FOSDEM", six_rooms, 6, six_sessions,
			       sizeof(six_sessions) / sizeof(*six_sessions), NULL);
	load_text(s.board, doc, strlen(doc), s.now_ms);
	free(doc);
	return s;
}

/* At 09:05 (08:05 UTC): nothing on yet anywhere, every now cell empty. */
static struct scene six_early(void)
{
	struct scene s = six();
	s.name = "six rooms, nothing on yet";
	s.now_ms = T_0905;
	s.feed.received_ms = s.now_ms - 20000;
	return s;
}

/* Whether line t (a room name's, maybe ending with "…") ends where a line
 * may end in one of the six names: at a space, the name's end, or after a
 * hyphen, slash or dash joining a word's parts. */
static bool ends_at_break_in(const char *t, const char *const *texts, size_t n_texts)
{
	char l[256];
	snprintf(l, sizeof(l), "%s", t);
	if (ends_with(l, "…"))
		l[strlen(l) - strlen("…")] = '\0';
	size_t n = strlen(l);
	for (size_t k = 0; k < n_texts; k++) {
		const char *p = strstr(texts[k], l);
		if (!p || !n)
			continue;
		char next = p[n], last = l[n - 1];
		if (next == '\0' || next == ' ' || next == '/' || last == '-' || last == '/' ||
		    ends_with(l, "—"))
			return true;
	}
	return false;
}

static bool ends_at_break(const char *t)
{
	return ends_at_break_in(t, six_rooms, sizeof(six_rooms) / sizeof(*six_rooms));
}

/* Whether t (8 bytes or more) is a line of one of the six rooms' titles. */
static bool title_line(const char *t, const char **titles, size_t *n)
{
	*n = sizeof(six_sessions) / sizeof(*six_sessions);
	for (size_t k = 0; k < *n; k++)
		titles[k] = six_sessions[k].title;
	char l[256];
	snprintf(l, sizeof(l), "%s", t);
	if (ends_with(l, "…"))
		l[strlen(l) - strlen("…")] = '\0';
	if (strlen(l) < 8)
		return false;
	for (size_t k = 0; k < *n; k++)
		if (strstr(titles[k], l))
			return true;
	return false;
}

static void test_space_given_to_text(void **state)
{
	(void)state;
	static scene_fn *const scenes[] = {six, six_early, long_titles, demo_en, lunch};
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	for (size_t k = 0; k < sizeof(scenes) / sizeof(*scenes); k++) {
		struct scene s = scenes[k]();
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
			struct layout_result res;
			build(&s, w, h, 0, &dl, &res);
			for (int64_t tick = 0; tick < res.pages; tick++) {
				build(&s, w, h, tick, &dl, &res);
				check_room_to_spare(&dl, &res, s.name, tick);
				if (layout_check_geometry(&dl, s.name, tick))
					fail_msg("%s: texts over each other (above)", s.name);
			}
		}
		scene_free(&s);
	}
	/* the six rooms in portrait: all on one page, the titles in as many
	 * lines as they need (not two and "…"); only what the page has no
	 * height left for is cut (check_room_to_spare above) */
	struct scene s = six();
	struct layout_result res;
	build(&s, 1080, 1920, 0, &dl, &res);
	assert_int_equal(res.pages, 1);
	assert_int_equal(res.rooms_shown, 6);
	layout_check_expect(&dl, "traceability.", "the long title whole");
	layout_check_expect(&dl, "single keystroke", "a title's third line");
	layout_check_expect(&dl, "Morgan Fairchild-Oyelaran, Jean-Baptiste de La Rochefoucauld",
			    "two speakers whole");
	/* room names break between words at every size, never in one */
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		int name_x = res.rooms_area.x +
			     (int)lround(32 *
					 (layout_check_sizes[z].w < layout_check_sizes[z].h
						  ? layout_check_sizes[z].w
						  : layout_check_sizes[z].h) /
					 1080.0);
		int names = 0;
		for (size_t i = 0; i < dl.n; i++) {
			const char *t = layout_check_text(&dl, i);
			if (!t || dl.ops[i].x != name_x || dl.ops[i].y < res.rooms_area.y ||
			    dl.ops[i].y >= res.rooms_area.y + res.rooms_area.h)
				continue;
			names++;
			if (!ends_at_break(t))
				fail_msg("%dx%d: room name line '%s' ends inside a word",
					 layout_check_sizes[z].w, layout_check_sizes[z].h, t);
		}
		assert_true(names >= 6);
		/* and the titles' lines (their words all fit a line) */
		int lines = 0;
		for (size_t i = 0; i < dl.n; i++) {
			const char *t = layout_check_text(&dl, i), *titles[16];
			size_t nt;
			if (!t || !title_line(t, titles, &nt))
				continue;
			lines++;
			if (!ends_at_break_in(t, titles, nt))
				fail_msg("%dx%d: title line '%s' ends inside a word",
					 layout_check_sizes[z].w, layout_check_sizes[z].h, t);
		}
		assert_true(lines >= 10);
	}
	scene_free(&s);
	/* nothing on yet: the empty now cells take no room, the next ones the
	 * screen's width */
	s = six_early();
	build(&s, 1080, 1920, 0, &dl, &res);
	struct rooms_look l = rooms_look(&dl, &res);
	if (l.cut)
		fail_msg("1080x1920 at 09:05: '%s' cut", l.first_cut);
	size_t t = layout_check_find(&dl, "LibreOffice Online at scale", 0);
	assert_true(t != SIZE_MAX);
	assert_true(dl.ops[t].x < 1080 / 2); /* not pushed into a right-hand column */
	scene_free(&s);
	draw_list_finish(&dl);
}

/* A struck-through title: a thin rect across the middle of the line. */
static bool struck(const struct draw_list *dl, size_t text_op)
{
	const struct draw_op *t = &dl->ops[text_op];
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *r = &dl->ops[i];
		if (r->kind == DRAW_RECT && r->x == t->x && r->w == t->w && r->y > t->y &&
		    r->y + r->h < t->y + t->h && r->h <= t->h / 4)
			return true;
	}
	return false;
}

static void test_cancelled_and_moved(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	/* 10:05: Salle 251's next session (11:00) is cancelled */
	struct scene s = demo_en();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		layout_check_expect(&dl, "CANCELLED", "cancelled session");
		size_t t = layout_check_find_prefix(&dl, "Containers as a");
		if (t == SIZE_MAX)
			fail_msg("%dx%d: the cancelled session's title is not shown",
				 layout_check_sizes[z].w, layout_check_sizes[z].h);
		if (!struck(&dl, t))
			fail_msg("%dx%d: '%s' is not struck through", layout_check_sizes[z].w,
				 layout_check_sizes[z].h, layout_check_text(&dl, t));
		/* a session that runs as planned is not */
		size_t ok = layout_check_find_prefix(&dl, "Docker and Nova");
		assert_true(ok != SIZE_MAX);
		assert_false(struck(&dl, ok));
		/* 4183 went to Salle 252B this morning: the changes panel says so */
		layout_check_expect(&dl, "MOVED → Salle 252B", "moved session");
		layout_check_expect(&dl, "was in Le Méridien — Salon Arc", "moved from");
	}
	scene_free(&s);
	/* 09:05: 4183 runs now in its new room, and its cell says where it went */
	s = demo("demo 09:05", T_0905, T_0905 - 3600000);
	build(&s, 1920, 1080, 0, &dl, &res);
	size_t title = layout_check_find_prefix(&dl, "Cross-project: live");
	assert_true(title != SIZE_MAX);
	size_t badge = layout_check_find(&dl, "MOVED → Salle 252B", 0);
	assert_true(badge != SIZE_MAX);
	assert_true(badge > title); /* under the title, in its cell */
	scene_free(&s);
	/* the ghost of a session moved away today, in the room it left */
	s = long_titles();
	build(&s, 1920, 1080, 0, &dl, &res);
	size_t ghost = layout_check_find_prefix(&dl, "Moved away");
	assert_true(ghost != SIZE_MAX);
	assert_true(struck(&dl, ghost));
	layout_check_expect(&dl, "MOVED → Le Méridien", "ghost");
	scene_free(&s);
	draw_list_finish(&dl);
}

/* Rows of the changes panel: texts that start with "HH:MM  ". */
static int change_rows(const struct draw_list *dl)
{
	int n = 0;
	for (size_t i = 0; i < dl->n; i++) {
		const char *t = layout_check_text(dl, i);
		n += t && strlen(t) > 7 && t[2] == ':' && t[5] == ' ' && t[6] == ' ';
	}
	return n;
}

static void test_changes_panel(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	/* seen an hour ago: listed, not highlighted */
	struct scene s = demo_en();
	build(&s, 1920, 1080, 0, &dl, &res);
	assert_int_equal(res.changes_today, 3); /* 4183, 4216 and 4211 are Thursday's */
	layout_check_expect(&dl, "Changes today", "panel");
	layout_check_expect(&dl, "09:00  Cross-project: live", "4183");
	layout_check_expect(&dl, "11:00  Containers as a", "4216");
	layout_check_expect(&dl, "17:40  Cross-project: the big", "4211");
	layout_check_expect(&dl, "NEW TIME 09:00 → 17:40", "4211");
	/* Tuesday's and Wednesday's changes are not today's: three rows */
	assert_int_equal(change_rows(&dl), 3);
	assert_int_equal(layout_check_find(&dl, "NEW", 0), layout_check_find(&dl, "NEW TIME", 0));
	scene_free(&s);

	/* seen 5 minutes ago: NEW; 20 minutes ago (highlight is 15): not */
	static const struct {
		int64_t ago_min;
		bool is_new;
	} cases[] = {{0, true}, {5, true}, {14, true}, {15, false}, {20, false}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		s = demo("demo new", T_1005, T_1005 - cases[i].ago_min * MIN_MS);
		build(&s, 1920, 1080, 0, &dl, &res);
		bool shown = false;
		for (size_t k = 0; k < dl.n; k++)
			shown |= layout_check_text(&dl, k) &&
				 strcmp(layout_check_text(&dl, k), "NEW") == 0;
		if (shown != cases[i].is_new)
			fail_msg("seen %lld min ago: NEW %s", (long long)cases[i].ago_min,
				 shown ? "shown" : "missing");
		scene_free(&s);
	}
	/* after a restart nothing is new */
	s = scene("restart", T_1005);
	size_t len;
	char *v1 = test_fixture(DEMO "paris-2014.schedule.json", &len);
	struct feed_error e = {{0}};
	assert_true(board_set_baseline(s.board, v1, len, NULL, &e));
	free(v1);
	load_file(s.board, DEMO "paris-2014-v2.schedule.json", T_1005 - MIN_MS);
	build(&s, 1920, 1080, 0, &dl, &res);
	assert_int_equal(res.changes_today, 3);
	for (size_t k = 0; k < dl.n; k++)
		assert_false(layout_check_text(&dl, k) &&
			     strcmp(layout_check_text(&dl, k), "NEW") == 0);
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_fifty_rooms_paged(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = fifty_rooms();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		assert_int_equal(res.rooms_total, 50);
		if (res.pages < 2)
			fail_msg("%dx%d: 50 rooms on one page", layout_check_sizes[z].w,
				 layout_check_sizes[z].h);
		int seen[50] = {0};
		char first_page[64] = "";
		for (int64_t tick = 0; tick < res.pages; tick++) {
			struct layout_result r;
			build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, tick, &dl, &r);
			assert_int_equal(r.page, (int)tick);
			assert_int_equal(r.pages, res.pages);
			char page[64] = "";
			for (size_t i = 0; i < dl.n; i++) {
				const char *t = layout_check_text(&dl, i);
				int n;
				if (!t || strncmp(t, "Room ", 5) != 0 || strlen(t) != 7)
					continue;
				n = (t[5] - '0') * 10 + (t[6] - '0');
				assert_in_range(n, 1, 50);
				seen[n - 1]++;
				if (!page[0])
					snprintf(page, sizeof(page), "%s", t);
			}
			char label[32];
			snprintf(label, sizeof(label), "%lld / %d", (long long)tick + 1, r.pages);
			layout_check_expect(&dl, label, "page number");
			/* another tick, other rooms */
			if (tick == 0)
				memcpy(first_page, page, sizeof(page));
			else
				assert_string_not_equal(page, first_page);
			assert_true(r.rooms_shown > 0);
		}
		for (int n = 0; n < 50; n++)
			if (seen[n] != 1)
				fail_msg("%dx%d: Room %02d shown %d times over %d pages",
					 layout_check_sizes[z].w, layout_check_sizes[z].h, n + 1,
					 seen[n], res.pages);
		/* the page after the last is the first again */
		struct layout_result again;
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, res.pages, &dl, &again);
		assert_int_equal(again.page, 0);
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_empty_day(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = empty_day();
	build(&s, 1920, 1080, 0, &dl, &res);
	layout_check_expect(&dl, "No sessions today", "empty day");
	layout_check_expect(&dl, "Next → Friday 7 November, 10:00", "the next day");
	assert_int_equal(res.rooms_total, 0);
	s.cfg->lang = LANG_FR;
	build(&s, 1920, 1080, 0, &dl, &res);
	layout_check_expect(&dl, "Aucune session aujourd’hui", "journée vide");
	layout_check_expect(&dl, "vendredi 7 novembre", "le jour suivant");
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_waiting_for_schedule(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	/* before the first schedule, the configured zone tells the time */
	struct scene s = no_schedule();
	s.feed = (struct layout_feed){0};
	snprintf(s.cfg->timezone, sizeof(s.cfg->timezone), "Europe/Paris");
	build(&s, 1920, 1080, 0, &dl, &res);
	layout_check_expect(&dl, "Waiting for the schedule…", "no schedule");
	layout_check_expect(&dl, "Thursday 6 November", "date without a schedule");
	layout_check_expect(&dl, "10:05",
			    "clock without a schedule (timezone Europe/Paris configured)");
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_stale_feed(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = stale();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		size_t i = layout_check_find(&dl, "offline since", 0);
		if (i == SIZE_MAX)
			fail_msg("%dx%d: no 'offline since'", layout_check_sizes[z].w,
				 layout_check_sizes[z].h);
		assert_non_null(strstr(layout_check_text(&dl, i), "offline since 09:47"));
		/* the schedule is still shown */
		layout_check_expect(&dl, "Docker and Nova", "schedule kept");
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

/* The now cell of a full room says FULL and where there are seats, a
 * filling one how full it is; a stale or absent count says nothing, never
 * FULL; the changes panel lists the room that just filled up. */
static void test_room_fill(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	static const struct {
		scene_fn *make;
		const char *full, *seats, *filling;
	} cases[] = {
		{rooms_hall, "FULL", "Salle 251", "filling · 92"},
		{rooms_hall_fr, "COMPLET", "Salle 251", "se remplit · 92"},
	};
	for (size_t c = 0; c < 2; c++) {
		struct scene s = cases[c].make();
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
			build(&s, w, h, 0, &dl, &res);
			size_t plate = layout_check_find_prefix(&dl, cases[c].full);
			size_t title = layout_check_find_prefix(&dl, "Keystone: federation");
			if (plate == SIZE_MAX || title == SIZE_MAX)
				layout_check_expect(&dl, cases[c].full, "the full room's plate");
			const char *p = layout_check_text(&dl, plate);
			if (!strstr(p, cases[c].seats))
				fail_msg("%s %dx%d: '%s' does not send people to %s", s.name, w, h,
					 p, cases[c].seats);
			/* in the row of Salle 252A, under its session's title */
			const struct draw_op *po = &dl.ops[plate], *to = &dl.ops[title];
			if (po->x < to->x || po->x > to->x + to->h || po->y <= to->y ||
			    po->y - to->y > 3 * to->h)
				fail_msg(
					"%s %dx%d: the plate at %d,%d is not under the title at %d,%d",
					s.name, w, h, po->x, po->y, to->x, to->y);
			layout_check_expect(&dl, cases[c].filling, "Salle 241 filling");
			/* 243's count is stale: nothing on the hall */
			assert_int_equal(layout_check_find(&dl, "unavailable", 0), SIZE_MAX);
			assert_int_equal(layout_check_find(&dl, "indisponible", 0), SIZE_MAX);
			/* the changes panel: the room full since 12:04 */
			layout_check_expect(&dl, "12:04  Salle 252A", "the panel's full room");
			assert_int_equal(res.rooms_full_listed, 1);
		}
		scene_free(&s);
	}
	struct scene s = rooms_stale();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		layout_check_expect(&dl, "Keystone: federation", "the session");
		assert_int_equal(layout_check_find_prefix(&dl, "FULL"), SIZE_MAX);
		assert_int_equal(layout_check_find(&dl, "filling", 0), SIZE_MAX);
		assert_int_equal(layout_check_find(&dl, "Salle 252A", 0),
				 layout_check_find_prefix(&dl, "Salle 252A")); /* its name only */
		assert_int_equal(res.rooms_full_listed, 0);
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

/* True when s holds a number followed by " min". */
static bool has_minutes(const char *s)
{
	for (const char *p = strstr(s, " min"); p; p = strstr(p + 1, " min"))
		if (p > s && p[-1] >= '0' && p[-1] <= '9')
			return true;
	return false;
}

static void test_degraded_queue(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = degraded();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		layout_check_expect(&dl, "Lunch lines", "panel");
		layout_check_expect(&dl, "Le Méridien — déjeuner", "queue name");
		size_t wait = layout_check_find(&dl, "≈ ", 0);
		if (wait == SIZE_MAX)
			fail_msg("%dx%d: a degraded wait without '≈'", layout_check_sizes[z].w,
				 layout_check_sizes[z].h);
		assert_true(has_minutes(layout_check_text(&dl, wait)));
		layout_check_expect(&dl, "estimate uncertain", "degraded");
		/* why, in words: whole on a landscape screen; on a portrait one
		 * the half-width panel may cut it, but it starts legibly */
		char why[160];
		i18n_reason(LANG_EN, queue_board_get(s.queues, 0)->now.why, why, sizeof(why));
		if (layout_check_sizes[z].w < layout_check_sizes[z].h)
			why[10] = '\0';
		layout_check_expect(&dl, why, "the reason");
	}
	s.cfg->lang = LANG_FR;
	build(&s, 1920, 1080, 0, &dl, &res);
	layout_check_expect(&dl, "estimation incertaine", "dégradé");
	char pourquoi[160];
	i18n_reason(LANG_FR, queue_board_get(s.queues, 0)->now.why, pourquoi, sizeof(pourquoi));
	pourquoi[10] = '\0'; /* "un capteur ne répond pl…" at 1920x1080: cut, but legible */
	layout_check_expect(&dl, pourquoi, "la raison");
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_unknown_queue(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = unknown_queue();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		build(&s, layout_check_sizes[z].w, layout_check_sizes[z].h, 0, &dl, &res);
		size_t head = layout_check_find(&dl, "Lunch lines", 0);
		assert_true(head != SIZE_MAX);
		layout_check_expect(&dl, "no estimate", "unknown queue");
		layout_check_expect(&dl, "no counts yet", "the reason");
		/* no number of minutes anywhere in the panel: it would be read as
		 * the wait */
		int footer_y = dl.height - dl.height * 58 / 1080;
		for (size_t i = head; i < dl.n; i++) {
			const char *t = layout_check_text(&dl, i);
			if (t && dl.ops[i].y < footer_y && has_minutes(t))
				fail_msg("%dx%d: '%s' in the panel of a queue with no estimate",
					 layout_check_sizes[z].w, layout_check_sizes[z].h, t);
		}
		assert_int_equal(layout_check_find(&dl, "≈", head), SIZE_MAX);
	}
	scene_free(&s);
	draw_list_finish(&dl);
}

/* Every text of the frames of page ticks 0 and 1 (the lunch blocks may
 * take a page each), one per line. */
static char *two_pages(const struct scene *s, int w, int h, struct draw_list *dl)
{
	struct layout_result res;
	struct test_buf b = {0};
	for (int64_t tick = 0; tick < 2; tick++) {
		build(s, w, h, tick, dl, &res);
		char *t = draw_list_texts(dl);
		test_buf_puts(&b, t);
		free(t);
	}
	return b.p;
}

/* The dashes of the forecast band: rects of the text colour, 3 units tall,
 * each inside a column of the band (the rule's colour) around it. */
static size_t dashes(const struct draw_list *dl, const struct theme *th, double u)
{
	size_t n = 0;
	int dash_h = (int)(3 * u + 0.5);
	for (size_t i = 0; i < dl->n; i++) {
		const struct draw_op *d = &dl->ops[i];
		if (d->kind != DRAW_RECT || d->h != dash_h || memcmp(&d->color, &th->text, 3) != 0)
			continue;
		bool banded = false;
		for (size_t k = 0; k < i && !banded; k++) {
			const struct draw_op *b = &dl->ops[k];
			banded = b->kind == DRAW_RECT && memcmp(&b->color, &th->rule, 3) == 0 &&
				 b->x <= d->x && d->x + d->w <= b->x + b->w &&
				 b->y <= d->y + d->h && d->y <= b->y + b->h && b->w < 2 * d->w + 4;
		}
		n += banded;
	}
	return n;
}

static void test_lunch_forecast(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct scene s = lunch();
	const struct lunch_advice *a = s.advice;
	const struct queue_view *m = queue_board_get(s.queues, 0),
				*b = queue_board_get(s.queues, 1);
	assert_int_equal(m->forecast.source, FORECAST_SERVER);
	assert_true(a->shorter.named);
	assert_int_equal(a->shorter.line, 1);
	assert_int_equal(a->lines[0].tip, LUNCH_TIP_QUIETER_AFTER);
	char tip[64], clock[8], now_m[32], now_b[32];
	struct civil l;
	civil_from_utc_in(a->lines[0].tip_ms / 1000, s.board->zone, &l);
	snprintf(clock, sizeof(clock), "%02d:%02d", l.hour, l.minute);
	i18n_quieter_after(LANG_EN, clock, tip, sizeof(tip));
	i18n_forecast_now(LANG_EN, (int)lround(m->now.wait_s / 60), now_m, sizeof(now_m));
	i18n_forecast_now(LANG_EN, (int)lround(b->now.wait_s / 60), now_b, sizeof(now_b));
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		char *texts = two_pages(&s, w, h, &dl);
		/* whole, not cut: nothing in the lunch panel ends with "…", the
		 * shorter line ends with its walk, each forecast line with its
		 * last moment */
		static const char *const words[] = {"Shorter: Level 3 buffet", "walk", "forecast",
						    "last hour"};
		for (const char *p = strstr(texts, "Lunch lines"); p;
		     p = strstr(p + 1, "Lunch lines")) {
			const char *cut = strstr(p, "…"), *footer = strstr(p, "updated ");
			if (cut && (!footer || cut < footer))
				fail_msg("%dx%d: a text cut in the lunch panel:\n%s", w, h, p);
		}
		for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
			if (!strstr(texts, words[k]))
				fail_msg("%dx%d: no '%s' in\n%s", w, h, words[k], texts);
		const char *need[] = {tip, now_m, now_b};
		for (size_t k = 0; k < 3; k++)
			if (!strstr(texts, need[k]))
				fail_msg("%dx%d: no '%s' in\n%s", w, h, need[k], texts);
		for (size_t q = 0; q < 2; q++) {
			const struct lunch_line_advice *la = &a->lines[q];
			char last[48], at[8];
			const struct queue_forecast_point *p = &la->items[la->n_items - 1];
			civil_from_utc_in(p->at_ms / 1000, s.board->zone, &l);
			snprintf(at, sizeof(at), "%02d:%02d", l.hour, l.minute);
			i18n_forecast_at(LANG_EN, at, (int)lround(p->wait_s / 60), last,
					 sizeof(last));
			if (!strstr(texts, last))
				fail_msg("%dx%d: no '%s' in\n%s", w, h, last, texts);
		}
		free(texts);
		/* the band: a dash inside a column of it for each point ahead */
		struct layout_result res;
		size_t most = 0;
		for (int64_t tick = 0; tick < 2; tick++) {
			build(&s, w, h, tick, &dl, &res);
			size_t d = dashes(&dl, &s.cfg->theme, (w < h ? w : h) / 1080.0);
			most = d > most ? d : most;
		}
		if (most < 12)
			fail_msg("%dx%d: %zu dashes in the band, want 12 a line", w, h, most);
	}
	/* in French */
	s.cfg->lang = LANG_FR;
	char *texts = two_pages(&s, 1920, 1080, &dl);
	static const char *const mots[] = {"Plus courte", "pied", "prévision", "maintenant",
					   "plus calme après"};
	for (size_t k = 0; k < sizeof(mots) / sizeof(*mots); k++)
		if (!strstr(texts, mots[k]))
			fail_msg("fr: no '%s' in\n%s", mots[k], texts);
	free(texts);
	scene_free(&s);

	/* nothing to advise: the forecast line and the band, no tip, no
	 * shorter line */
	s = lunch_no_advice();
	texts = two_pages(&s, 1920, 1080, &dl);
	assert_non_null(strstr(texts, "now\u00a0"));
	assert_non_null(strstr(texts, "forecast"));
	assert_null(strstr(texts, "Shorter"));
	assert_null(strstr(texts, "quieter after"));
	assert_null(strstr(texts, "best before"));
	free(texts);
	/* no advice decided at all: no forecast line, the band still */
	free(s.advice);
	s.advice = NULL;
	texts = two_pages(&s, 1920, 1080, &dl);
	assert_null(strstr(texts, "now\u00a0"));
	assert_non_null(strstr(texts, "forecast"));
	free(texts);
	scene_free(&s);

	/* a line without a forecast: no band, no forecast line */
	s = unknown_queue();
	advise(&s, s.board->schedule, 0);
	texts = two_pages(&s, 1920, 1080, &dl);
	assert_null(strstr(texts, "forecast"));
	assert_null(strstr(texts, "now\u00a0"));
	free(texts);
	build(&s, 1920, 1080, 0, &dl, &(struct layout_result){0});
	assert_int_equal(dashes(&dl, &s.cfg->theme, 1.0), 0);
	scene_free(&s);
	draw_list_finish(&dl);
}

static void test_hash(void **state)
{
	(void)state;
	struct draw_list a, b;
	draw_list_init(&a, 1, 1, (struct draw_color){0, 0, 0});
	draw_list_init(&b, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = demo_en();
	build(&s, 1920, 1080, 0, &a, &res);
	build(&s, 1920, 1080, 0, &b, &res);
	assert_true(draw_list_hash(&a) == draw_list_hash(&b));
	char *ta = draw_list_texts(&a), *tb = draw_list_texts(&b);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	/* a board built again from the same feeds draws the same frame */
	struct scene t = demo_en();
	build(&t, 1920, 1080, 0, &b, &res);
	assert_true(draw_list_hash(&a) == draw_list_hash(&b));
	scene_free(&t);
	/* 10:06: the clock changed */
	s.now_ms += MIN_MS;
	build(&s, 1920, 1080, 0, &b, &res);
	layout_check_expect(&b, "10:06", "clock");
	assert_true(draw_list_hash(&a) != draw_list_hash(&b));
	/* another size, another frame */
	s.now_ms -= MIN_MS;
	build(&s, 1280, 720, 0, &b, &res);
	assert_true(draw_list_hash(&a) != draw_list_hash(&b));
	scene_free(&s);
	draw_list_finish(&a);
	draw_list_finish(&b);
}

static size_t count_texts(const struct draw_list *dl, const char *needle)
{
	size_t n = 0;
	for (size_t i = layout_check_find(dl, needle, 0); i != SIZE_MAX;
	     i = layout_check_find(dl, needle, i + 1))
		n++;
	return n;
}

/* The header's title with no conference name in the schedule: the
 * configured title, else the venue (said once), else none — never the
 * product's name (issue 15). */
static void test_header_title(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result res;
	struct scene s = scene("nameless", T_1005);
	static const char *const names[] = {"Salle 251"};
	static const struct syn_session ss[] = {
		{"N1", "A talk", "r0", "06T09:00:00", "06T10:00:00", 0, 0, 0},
	};
	char *doc = normalized("", names, 1, ss, 1, NULL);
	load_text(s.board, doc, strlen(doc), s.now_ms);
	free(doc);
	struct scene waiting = scene("nameless, no schedule yet", T_1005);
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		/* nothing configured: no title at all, the date and clock still */
		s.cfg->venue[0] = s.cfg->title[0] = '\0';
		build(&s, w, h, 0, &dl, &res);
		assert_int_equal(count_texts(&dl, "venueboard"), 0);
		for (size_t i = 0; i < dl.n; i++)
			if (dl.ops[i].kind == DRAW_TEXT && !layout_check_text(&dl, i)[0])
				fail_msg("%dx%d: an empty text drawn", w, h);
		layout_check_expect(&dl, "10:05", "clock");
		layout_check_expect(&dl, "A talk", "the programme");
		build(&waiting, w, h, 0, &dl, &res);
		assert_int_equal(count_texts(&dl, "venueboard"), 0);
		/* the venue: the title, not said again under it */
		snprintf(s.cfg->venue, sizeof(s.cfg->venue), "Palais des Congrès");
		snprintf(s.cfg->floor, sizeof(s.cfg->floor), "Niveau 2");
		build(&s, w, h, 0, &dl, &res);
		assert_int_equal(count_texts(&dl, "Palais des Congrès"), 1);
		assert_true(layout_check_find_prefix(&dl, "Palais des Congrès") != SIZE_MAX);
		layout_check_expect(&dl, "Niveau 2", "floor");
		assert_int_equal(count_texts(&dl, "venueboard"), 0);
		/* a configured title wins, the venue goes back under it */
		snprintf(s.cfg->title, sizeof(s.cfg->title), "Open Source Days");
		build(&s, w, h, 0, &dl, &res);
		layout_check_expect(&dl, "Open Source Days", "configured title");
		layout_check_expect(&dl, "Palais des Congrès · Niveau 2", "venue and floor");
		if (layout_check_geometry(&dl, "header title", 0))
			fail_msg("texts over each other (above)");
	}
	scene_free(&s);
	scene_free(&waiting);
	/* a schedule's own name stays when nothing is configured */
	s = demo_en();
	build(&s, 1920, 1080, 0, &dl, &res);
	layout_check_expect(&dl, "OpenStack Summit", "the conference's name");
	scene_free(&s);
	draw_list_finish(&dl);
}

/* A page stays about a second a word, within page-seconds..page-seconds-max;
 * a page with more to read stays longer (issue 15). */
static void test_page_time(void **state)
{
	(void)state;
	struct kiosk_config *cfg = malloc(sizeof(*cfg));
	assert_non_null(cfg);
	kiosk_config_defaults(cfg); /* 8..40 s */
	assert_int_equal(layout_page_ms(cfg, 0), 8000);
	assert_int_equal(layout_page_ms(cfg, 8), 8000);
	assert_int_equal(layout_page_ms(cfg, 21), 21000);
	assert_int_equal(layout_page_ms(cfg, 40), 40000);
	assert_int_equal(layout_page_ms(cfg, 4000), 40000);
	for (int w = 0; w < 100; w++)
		assert_true(layout_page_ms(cfg, w + 1) >= layout_page_ms(cfg, w));
	cfg->page_s = 3;
	cfg->page_s_max = 3;
	assert_int_equal(layout_page_ms(cfg, 500), 3000);
	free(cfg);
	/* the words of real pages: an empty day says little, the long titles
	 * a lot; the header's title and clock and the footer are not counted */
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct layout_result little, much, more;
	struct scene a = empty_day(), b = demo_en(), c = long_titles();
	build(&a, 1920, 1080, 0, &dl, &little);
	build(&b, 1920, 1080, 0, &dl, &much);
	build(&c, 1920, 1080, 0, &dl, &more);
	/* "No sessions today", "Next → Friday 7 November, 10:00", "Changes
	 * today", "No room changes today": 3 + 5 + 2 + 4 words */
	assert_int_equal(little.words, 14);
	assert_true(much.words > 60);
	assert_true(layout_page_ms(a.cfg, little.words) == 14000);
	assert_true(layout_page_ms(b.cfg, much.words) > layout_page_ms(a.cfg, little.words));
	assert_true(layout_page_ms(c.cfg, more.words) <= 40000);
	scene_free(&a);
	scene_free(&b);
	scene_free(&c);
	draw_list_finish(&dl);
}

/* The stand-in font's capitals: 0.7 of its size (DejaVu Sans's are 0.73;
 * the kiosk measures its own font's 'H'). */
static const double CAP = 0.7;

static int rooms_fit(const struct scene *s, int w, int h, struct draw_list *scratch)
{
	struct layout_input in = input_of(s, w, h, 0);
	return layout_rooms_fit(&in, scratch);
}

static struct scene door_demo(void)
{
	struct scene s = demo("door", T_1005, T_1005 - 3600000);
	struct feed_error e;
	assert_true(kiosk_config_set(s.cfg, "layout", "room", &e));
	assert_true(kiosk_config_set(s.cfg, "room", "Salle 252A", &e));
	return s;
}

/* viewing-distance: on a 55-inch panel (and a 32-inch one at 720p), every
 * text of every page is at least the size readers at 2, 3, 4 and 6 m need
 * (issue 15); the rooms take more pages rather than smaller text; a
 * distance no room can be shown for is found before anything is drawn. */
static void test_legible_from_afar(void **state)
{
	(void)state;
	static scene_fn *const scenes[] = {demo_en,    fifty_rooms, long_titles, six,      lunch,
					   rooms_hall, notices,     no_schedule, door_demo};
	static const double metres[] = {2, 3, 4, 6};
	struct draw_list dl, scratch;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	draw_list_init(&scratch, 1, 1, (struct draw_color){0, 0, 0});
	int checked = 0, refused = 0;
	for (size_t k = 0; k < sizeof(scenes) / sizeof(*scenes); k++) {
		struct scene s = scenes[k]();
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
			double inches = w == 1280 ? 32 : 55;
			double ppmm = legibility_px_per_mm(w, h, inches);
			s.min_text_px = 0;
			struct layout_result plain;
			build(&s, w, h, 0, &dl, &plain);
			for (size_t d = 0; d < sizeof(metres) / sizeof(*metres); d++) {
				s.min_text_px = legibility_min_size(metres[d], ppmm, CAP);
				int fit = rooms_fit(&s, w, h, &scratch);
				if (fit == 0) { /* refused at start: the kiosk stops */
					refused++;
					continue;
				}
				struct layout_result res;
				build(&s, w, h, 0, &dl, &res);
				for (int64_t tick = 0; tick < res.pages + 1; tick++) {
					build(&s, w, h, tick, &dl, &res);
					checked++;
					for (size_t i = 0; i < dl.n; i++)
						if (dl.ops[i].kind == DRAW_TEXT &&
						    dl.ops[i].size_px < s.min_text_px)
							fail_msg(
								"%s %dx%d at %.0f m: '%s' is %d px, "
								"under %d px",
								s.name, w, h, metres[d],
								layout_check_text(&dl, i),
								dl.ops[i].size_px, s.min_text_px);
					if (layout_check_geometry(&dl, s.name, tick))
						fail_msg("%s %dx%d at %.0f m: texts off the screen "
							 "or over another (above)",
							 s.name, w, h, metres[d]);
				}
				/* fewer rooms a page, never fewer pages */
				if (res.pages < plain.pages)
					fail_msg("%s %dx%d at %.0f m: %d pages, %d without "
						 "legibility",
						 s.name, w, h, metres[d], res.pages, plain.pages);
				if (res.rooms_total > fit && res.pages < 2)
					fail_msg(
						"%s %dx%d at %.0f m: %d rooms, %d a page, one page",
						s.name, w, h, metres[d], res.rooms_total, fit);
			}
		}
		scene_free(&s);
	}
	assert_true(checked > 100);
	assert_true(refused > 0);
	/* the figures: a 55-inch 1080p panel */
	double ppmm = legibility_px_per_mm(1920, 1080, 55);
	assert_true(fabs(ppmm - 1.577) < 0.001);
	assert_int_equal(legibility_min_size(3, ppmm, CAP), 57);  /* 25 mm: 39.4 px capitals */
	assert_int_equal(legibility_min_size(6, ppmm, CAP), 113); /* 50 mm */
	/* fifty rooms at 3 m: more pages than at arm's length; at 10 m not one
	 * room, on either screen, and so the kiosk refuses to start */
	struct scene s = fifty_rooms();
	struct layout_result near, far;
	build(&s, 1920, 1080, 0, &dl, &near);
	s.min_text_px = legibility_min_size(3, ppmm, CAP);
	build(&s, 1920, 1080, 0, &dl, &far);
	assert_true(far.pages > near.pages);
	s.min_text_px = legibility_min_size(10, ppmm, CAP);
	assert_int_equal(rooms_fit(&s, 1920, 1080, &scratch), 0);
	assert_int_equal(rooms_fit(&s, 1080, 1920, &scratch), 0);
	s.min_text_px = 0;
	assert_true(rooms_fit(&s, 1920, 1080, &scratch) >= 5);
	scene_free(&s);
	s = door_demo();
	s.min_text_px = legibility_min_size(10, ppmm, CAP);
	assert_int_equal(rooms_fit(&s, 1920, 1080, &scratch), 0);
	s.min_text_px = legibility_min_size(2, ppmm, CAP);
	assert_int_equal(rooms_fit(&s, 1080, 1920, &scratch), 1);
	scene_free(&s);
	draw_list_finish(&dl);
	draw_list_finish(&scratch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_clock_and_date),
		cmocka_unit_test(test_long_title_uses_room),
		cmocka_unit_test(test_space_given_to_text),
		cmocka_unit_test(test_header_title),
		cmocka_unit_test(test_page_time),
		cmocka_unit_test(test_legible_from_afar),
		cmocka_unit_test(test_cancelled_and_moved),
		cmocka_unit_test(test_changes_panel),
		cmocka_unit_test(test_fifty_rooms_paged),
		cmocka_unit_test(test_empty_day),
		cmocka_unit_test(test_waiting_for_schedule),
		cmocka_unit_test(test_stale_feed),
		cmocka_unit_test(test_room_fill),
		cmocka_unit_test(test_degraded_queue),
		cmocka_unit_test(test_unknown_queue),
		cmocka_unit_test(test_lunch_forecast),
		cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
