/* Unit tests for door_layout, the screen at one room's door: at every size
 * the layout tests use (landscape and portrait), every text inside the
 * screen and none over another, and the words that matter — the session on
 * now, FULL and where there are seats (English and French), filling, the
 * count unavailable (never FULL on a stale count), the countdown and the
 * next two, a session moved away or cancelled, long titles and names, no
 * schedule yet. */
#include "test_util.h"

#include "layout_check.h"

#include "board.h"
#include "kiosk_config.h"
#include "layout.h"
#include "room_board.h"
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xC2\xA0"

static const int64_t T_1205 = 1415271900000LL; /* Thursday 12:05 in Paris */
static const int64_t T_1105 = 1415268300000LL; /* 11:05 */
static const int64_t T_1005 = 1415264700000LL; /* 10:05 */

struct door {
	const char *name;
	struct kiosk_config *cfg;
	struct board *board;
	struct room_board *rooms;
	int64_t now_ms;
};

static struct door door(const char *name, const char *room, int64_t now_ms)
{
	struct door d = {.name = name, .now_ms = now_ms};
	d.cfg = malloc(sizeof(*d.cfg));
	d.board = board_create();
	assert_true(d.cfg && d.board);
	kiosk_config_defaults(d.cfg);
	struct feed_error e;
	assert_true(kiosk_config_set(d.cfg, "layout", "room", &e));
	assert_true(kiosk_config_set(d.cfg, "room", room, &e));
	assert_true(kiosk_config_set(d.cfg, "venue", "Palais des Congrès", &e));
	return d;
}

/* The demo's door at room, its rooms counted at 12:04 (assets/demo). */
static struct door demo_door(const char *name, const char *room, int64_t now_ms)
{
	struct door d = door(name, room, now_ms);
	layout_check_demo(d.board, T_1005 - 3600000);
	struct feed_error e;
	assert_true(kiosk_config_set(d.cfg, "overflow", "\"Salle 252A\" \"Salle 243\"", &e));
	d.rooms = layout_check_rooms("../../assets/demo/rooms-thursday-1205.json",
				     d.board->schedule, d.cfg, now_ms);
	return d;
}

static struct door full(void)
{
	return demo_door("full", "Salle 252A", T_1205);
}

static struct door full_fr(void)
{
	struct door d = demo_door("full fr", "salle 252a", T_1205);
	d.cfg->lang = LANG_FR;
	return d;
}

static struct door filling(void)
{
	return demo_door("filling", "Salle 241", T_1205);
}

static struct door unavailable(void)
{
	return demo_door("count unavailable", "Salle 243", T_1205);
}

/* 12:08: 252A's count is 3.5 minutes old here */
static struct door stale(void)
{
	return demo_door("stale", "Salle 252A", T_1205 + 3 * 60000);
}

static struct door cancelled(void)
{
	return demo_door("cancelled now", "Salle 251", T_1105);
}

static struct door no_schedule(void)
{
	return door("no schedule", "Salle 252A", T_1205);
}

/* Everything long: the room's name, the titles, the speakers, the room to
 * go to; the session at 11:30 moved away from this room. */
static const char LONG_ROOM[] = "Le Méridien Étoile — Grand Salon Arc de Triomphe, niveau -1";
static const char LONG_DOC[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"T\",\"timezone\":"
	"\"Europe/Paris\"},\"rooms\":[{\"id\":\"r0\",\"name\":\"Le Méridien Étoile — Grand Salon "
	"Arc de Triomphe, niveau -1\",\"capacity\":120}],\"sessions\":["
	"{\"id\":\"L1\",\"title\":\"CRA Integration – How FOSS compliance measures support CRA "
	"obligations, especially regarding documentation, security updates, and traceability, with "
	"a long detour through every standard body that ever met in Geneva or Brussels\",\"room\":"
	"\"r0\",\"start\":\"2014-11-06T10:50:00Z\",\"end\":\"2014-11-06T11:20:00Z\",\"track\":"
	"\"Legal and Policy, Compliance and Standards\",\"speakers\":[\"Alexandra "
	"Konstantinopoulou-Vandenberghe\",\"Jean-Baptiste de La Rochefoucauld\",\"Maria Fernanda "
	"Gonçalves da Silva\"]},"
	"{\"id\":\"L2\",\"title\":\"Supercalifragilisticexpialidociousandevenlongerwordsthatneverend"
	"atallinanylanguage\",\"room\":\"r0\",\"start\":\"2014-11-06T11:40:00Z\",\"end\":"
	"\"2014-11-06T12:20:00Z\"},"
	"{\"id\":\"L3\",\"title\":\"Keeping the lights on: what twenty years of running community "
	"infrastructure taught us about people, pagers and the long weekend\",\"room\":\"r0\","
	"\"start\":\"2014-11-06T12:30:00Z\",\"end\":\"2014-11-06T13:00:00Z\"}],"
	"\"changes\":[{\"session\":\"L9\",\"title\":\"Moved away: the session whose room changed at "
	"the last minute\",\"kind\":\"moved\",\"from\":{\"room\":\"Le Méridien Étoile — Grand "
	"Salon Arc de Triomphe, niveau -1\",\"start\":\"2014-11-06T11:30:00Z\"},\"to\":{\"room\":"
	"\"Amphithéâtre Bleu de la Porte Maillot, entrée principale\",\"start\":"
	"\"2014-11-06T11:30:00Z\"}}]}";
static const char LONG_ROOMS[] =
	"{\"rooms\":[{\"room\":\"Le Méridien Étoile — Grand Salon Arc de Triomphe, niveau -1\","
	"\"people\":120,\"capacity\":120,\"state\":\"full\",\"counted_at\":\"2014-11-06T11:04:50Z\"}]}";

static struct door long_everything(void)
{
	struct door d = door("long", LONG_ROOM, T_1205);
	struct feed_error e = {{0}};
	assert_true(board_load(d.board, LONG_DOC, strlen(LONG_DOC), NULL, T_1205, NULL, &e));
	assert_true(
		kiosk_config_set(d.cfg, "overflow",
				 "\"Le Méridien Étoile — Grand Salon Arc de Triomphe, niveau -1\" "
				 "\"Supercalifragilisticexpialidociousauditorium, aile nord, "
				 "niveau -2, derrière le vestiaire\"",
				 &e));
	d.rooms = room_board_create();
	assert_true(room_board_load(d.rooms, LONG_ROOMS, strlen(LONG_ROOMS), NULL, &e));
	room_board_update(d.rooms, d.board->schedule, d.cfg, T_1205);
	return d;
}

static struct door long_fr(void)
{
	struct door d = long_everything();
	d.name = "long fr";
	d.cfg->lang = LANG_FR;
	return d;
}

static void door_free(struct door *d)
{
	board_destroy(d->board);
	room_board_destroy(d->rooms);
	free(d->cfg);
}

static void build(const struct door *d, int w, int h, struct draw_list *dl)
{
	struct layout_input in = {.cfg = d->cfg,
				  .board = d->board,
				  .rooms = d->rooms,
				  .tm = layout_check_metrics(),
				  .width = w,
				  .height = h,
				  .now_ms = d->now_ms,
				  .feed = {.have = true, .age_s = 20}};
	struct layout_result res;
	layout_build(&in, dl, &res);
	assert_false(dl->overflow);
}

typedef struct door door_fn(void);

static void test_doors(void **state)
{
	(void)state;
	static const struct {
		door_fn *make;
		const char *want[7];
		const char *never[3];
	} cases[] = {
		{full,
		 {"Salle 252A", "Now", "11:50 – 12:30", "Keystone:", "FULL", "Seats in Salle 251",
		  "Next at 14:00"},
		 {"COMPLET", "filling", "unavailable"}},
		{full_fr,
		 {"Salle 252A", "En cours", "Keystone:", "COMPLET",
		  "Places libres" NBSP ": Salle 251", "Ensuite à 14:00", "Horizon: splitting"},
		 {"FULL", "Seats in", NULL}},
		{filling,
		 {"Salle 241", "Cinder replication", "filling · 92" NBSP "%", "Nothing more today"},
		 {"FULL", "Seats in", NULL}},
		{unavailable, {"Salle 243", "No session now", "count unavailable"}, {"FULL", NULL}},
		{stale, {"Keystone:", "count unavailable", "Next at 14:00"}, {"FULL", "Seats in"}},
		{cancelled, {"Salle 251", "Containers as a service", "CANCELLED"}, {"FULL", NULL}},
		{no_schedule, {"Salle 252A", "Waiting for the schedule…"}, {"Now", NULL}},
		{long_everything,
		 {"Le Méridien Étoile", "CRA Integration", "FULL",
		  "Supercalifragilisticexpialidociousauditorium", "Next in 25" NBSP "min",
		  "MOVED → Amphithéâtre Bleu"},
		 {"filling", NULL}},
		{long_fr,
		 {"COMPLET", "Places libres", "DÉPLACÉ → Amphithéâtre", "Ensuite dans 25"},
		 {NULL}},
	};
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	int bad = 0;
	for (size_t c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		struct door d = cases[c].make();
		for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
			int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
			build(&d, w, h, &dl);
			bad += layout_check_geometry(&dl, d.name, 0);
			for (size_t k = 0; k < 7 && cases[c].want[k]; k++)
				layout_check_expect(&dl, cases[c].want[k], d.name);
			for (size_t k = 0; k < 3 && cases[c].never[k]; k++)
				if (layout_check_find(&dl, cases[c].never[k], 0) != SIZE_MAX)
					fail_msg("%s %dx%d: '%s' on screen", d.name, w, h,
						 cases[c].never[k]);
		}
		door_free(&d);
	}
	draw_list_finish(&dl);
	if (bad)
		fail_msg("%d texts off the screen or over another (first ones above)", bad);
}

/* The session is large: its title in a bigger type than anything but the
 * clock, and FULL on a plate larger than the hallway's. */
static void test_large_type(void **state)
{
	(void)state;
	struct draw_list dl;
	draw_list_init(&dl, 1, 1, (struct draw_color){0, 0, 0});
	struct door d = full();
	for (size_t z = 0; z < LAYOUT_CHECK_SIZES; z++) {
		int w = layout_check_sizes[z].w, h = layout_check_sizes[z].h;
		int u = (w < h ? w : h) / 1080.0 * 60; /* 60 design units */
		build(&d, w, h, &dl);
		size_t t = layout_check_find_prefix(&dl, "Keystone:");
		size_t f = layout_check_find_prefix(&dl, "FULL");
		assert_true(t != SIZE_MAX && f != SIZE_MAX);
		if (dl.ops[t].size_px < u || dl.ops[f].size_px < u * 3 / 4)
			fail_msg("%dx%d: title %d px, FULL %d px: not readable across a corridor",
				 w, h, dl.ops[t].size_px, dl.ops[f].size_px);
	}
	door_free(&d);
	draw_list_finish(&dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doors),
		cmocka_unit_test(test_large_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
