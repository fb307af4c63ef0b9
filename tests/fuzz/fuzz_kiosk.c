/* fuzz_kiosk: any bytes as the kiosk's schedule feed, lunch-line feed,
 * rooms feed or server's event stream, then a whole screen laid out from
 * it (the lunch lines with their advice; the rooms on the hallway board and
 * on a door screen; the alerts over both). A feed that reads must lay out
 * with every text inside the screen; one that does not must leave the board
 * unchanged. The stream's bytes are also the update agent's files. */
#include "board.h"
#include "draw_list.h"
#include "fleet_state.h"
#include "kiosk_config.h"
#include "layout.h"
#include "lunch_advice.h"
#include "queue_board.h"
#include "room_board.h"
#include "schedule.h"
#include "sse.h"
#include "update_files.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int width(void *ctx, enum draw_font f, int size, const char *s, size_t len)
{
	(void)ctx;
	(void)f;
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n * size / 2;
}

static int height(void *ctx, enum draw_font f, int size)
{
	(void)ctx;
	(void)f;
	return size * 5 / 4;
}

/* Alerts for screen_of, NULL when none. */
static const struct fleet_msg *alerts_on;

static void screen_of(const struct kiosk_config *cfg, const struct board *b,
		      const struct queue_board *qb, const struct lunch_advice *advice,
		      const struct room_board *rb, int w, int h, int64_t now)
{
	struct draw_list dl;
	draw_list_init(&dl, w, h, cfg->theme.background);
	struct layout_input in = {.cfg = cfg,
				  .board = b,
				  .queues = qb,
				  .advice = advice,
				  .rooms = rb,
				  .width = w,
				  .height = h,
				  .screen = alerts_on ? &alerts_on->who : NULL,
				  .alerts = alerts_on ? alerts_on->alerts : NULL,
				  .n_alerts = alerts_on ? alerts_on->n_alerts : 0,
				  .now_ms = now,
				  .page_tick = now / 12000,
				  .feed = {.have = true, .offline = (now & 1) != 0}};
	in.tm = (struct text_metrics){NULL, width, height};
	struct layout_result res;
	layout_build(&in, &dl, &res);
	for (size_t i = 0; i < dl.n; i++) {
		const struct draw_op *op = &dl.ops[i];
		if (op->kind == DRAW_TEXT && (op->x < 0 || op->y < 0 || op->x + op->w > w + 1))
			abort(); /* text off the screen */
	}
	draw_list_finish(&dl);
}

static void screen(const struct board *b, const struct queue_board *qb,
		   const struct lunch_advice *advice, int w, int h, int64_t now)
{
	static struct kiosk_config cfg;
	kiosk_config_defaults(&cfg);
	screen_of(&cfg, b, qb, advice, NULL, w, h, now);
}

/* Three rooms with a session each all day: what a rooms body is judged
 * against. */
static const char ROOMS_SCHEDULE[] =
	"{\"format\":\"venueboard.schedule/1\",\"conference\":{\"title\":\"F\",\"timezone\":"
	"\"Europe/Paris\"},\"rooms\":[{\"id\":\"salle-252a\",\"name\":\"Salle 252A\"},{\"id\":"
	"\"salle-251\",\"name\":\"Salle 251\",\"capacity\":350},{\"id\":\"salle-243\",\"name\":"
	"\"Salle 243\"}],\"sessions\":[{\"id\":\"1\",\"title\":\"Keystone\",\"room\":\"salle-252a\","
	"\"start\":\"2014-11-06T08:00:00Z\",\"end\":\"2014-11-06T20:00:00Z\",\"track\":\"D\"},{\"id\":"
	"\"2\",\"title\":\"Nova\",\"room\":\"salle-251\",\"start\":\"2014-11-06T08:00:00Z\",\"end\":"
	"\"2014-11-06T20:00:00Z\",\"track\":\"D\"},{\"id\":\"3\",\"title\":\"Stream\",\"room\":"
	"\"salle-243\",\"start\":\"2014-11-06T08:00:00Z\",\"end\":\"2014-11-06T20:00:00Z\"}]}";
static const char ROOMS_GOOD[] = "{\"rooms\":[{\"room\":\"Salle 243\",\"people\":3,"
				 "\"counted_at\":\"2014-11-06T09:00:00Z\"}]}";

/* A rooms body judged against ROOMS_SCHEDULE, laid out on the hall and on
 * a door, in both orientations. */
static void rooms(const char *buf, size_t len, int64_t now)
{
	static struct kiosk_config cfg;
	struct feed_error e;
	kiosk_config_defaults(&cfg);
	kiosk_config_set(&cfg, "overflow", "\"Salle 252A\" \"Salle 243\"", &e);
	struct board *b = board_create();
	struct room_board *rb = room_board_create();
	if (!b || !rb ||
	    !board_load(b, ROOMS_SCHEDULE, sizeof(ROOMS_SCHEDULE) - 1, NULL, now, NULL, &e) ||
	    !room_board_load(rb, ROOMS_GOOD, sizeof(ROOMS_GOOD) - 1, NULL, &e))
		abort();
	if (!room_board_load(rb, buf, len, NULL, &e) && room_board_count(rb) != 1)
		abort(); /* a body that does not read leaves the board as it was */
	room_board_update(rb, b->schedule, &cfg, now);
	for (size_t i = 0; i < room_board_count(rb); i++) {
		const struct room_view *v = room_board_get(rb, i);
		if (v->state == ROOM_FULL && !v->by_steward && !v->fill.usable)
			abort(); /* FULL by a count that may not be shown */
	}
	screen_of(&cfg, b, NULL, NULL, rb, 1920, 1080, now);
	screen_of(&cfg, b, NULL, NULL, rb, 1080, 1920, now);
	kiosk_config_set(&cfg, "layout", "room", &e);
	kiosk_config_set(&cfg, "room", "Salle 252A", &e);
	screen_of(&cfg, b, NULL, NULL, rb, 1920, 1080, now);
	screen_of(&cfg, b, NULL, NULL, rb, 1080, 1920, now);
	room_board_destroy(rb);
	board_destroy(b);
}

/* Each state event of the stream read as the server's message, and its
 * alerts laid out over a hallway board. */
static void on_event(void *ctx, const struct sse_event *ev)
{
	static struct fleet_msg m;
	struct feed_error e;
	if (!fleet_msg_read(ev->data, ev->data_len, &m, &e))
		return;
	if (m.n_alerts > FLEET_MAX_ALERTS)
		abort();
	alerts_on = &m;
	screen(ctx, NULL, NULL, 1920, 1080, 1415264400000LL);
	screen(ctx, NULL, NULL, 1080, 1920, 1415264400000LL);
	alerts_on = NULL;
}

/* The stream, fed in two reads cut at the second byte's place. */
static void stream(const uint8_t *data, size_t size, const char *buf, size_t len, int64_t now)
{
	struct board *b = board_create();
	struct sse p;
	sse_init(&p, on_event, b);
	size_t cut = size > 1 ? data[1] % (len + 1) : 0;
	sse_feed(&p, buf, cut);
	sse_feed(&p, buf + cut, len - cut);
	sse_finish(&p);
	board_destroy(b);
	/* the same bytes as the update agent's files */
	char status[UPDATE_STATUS_MAX + 1], version[UPDATE_IMAGE_MAX + 1],
		slot[UPDATE_SLOT_MAX + 1];
	if (update_files_status(buf, len, status) && strlen(status) > UPDATE_STATUS_MAX)
		abort();
	update_files_image(buf, len, version, slot);
	(void)now;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	/* the first byte picks the feed and the moment on the board */
	int64_t now = 1415264400000LL + (int64_t)(data[0] >> 1) * 600000; /* 2014-11-06 09:00Z + */
	/* odd: lunch lines; 2 (a newline) rooms; 6 ('&', 'V') the stream */
	if ((data[0] & 7) == 2) {
		rooms(buf, len, now);
		return 0;
	}
	if ((data[0] & 7) == 6) {
		stream(data, size, buf, len, now);
		return 0;
	}
	struct board *b = board_create();
	struct queue_board *qb = queue_board_create(NULL, 0);
	struct feed_error e;
	if (data[0] & 1) {
		struct queue_load_summary s1, s2;
		if (queue_board_load(qb, buf, len, INT64_MAX, &s1, &e)) {
			/* the same body again brings nothing new */
			if (!queue_board_load(qb, buf, len, INT64_MAX, &s2, &e) ||
			    s2.applied > s1.applied)
				abort();
		}
		queue_board_update(qb, now);
		/* every line walked to: any two may be compared */
		static const struct kiosk_walk walks[] = {
			{"meridien-lunch", 2}, {"level3-buffet", 1}, {"palais-cafe", 0}};
		const struct queue_view *views[ESTIMATOR_MAX_QUEUES];
		size_t n = queue_board_count(qb);
		for (size_t i = 0; i < n; i++)
			views[i] = queue_board_get(qb, i);
		struct lunch_advice_input ai = {views, n, NULL, walks, 3, now};
		struct lunch_advice_state st;
		static struct lunch_advice advice;
		lunch_advice_state_init(&st);
		lunch_advice_decide(&ai, &st, &advice);
		screen(b, qb, &advice, 1920, 1080, now);
		screen(b, qb, &advice, 1080, 1920, now);
	} else {
		struct board_summary s;
		if (board_load(b, buf, len, "Europe/Paris", now, &s, &e)) {
			const struct schedule *first = b->schedule;
			/* a body that does not read leaves the board as it was */
			if (board_load(b, "{", 1, NULL, now, &s, &e) || b->schedule != first)
				abort();
			screen(b, NULL, NULL, 1920, 1080, now);
			screen(b, NULL, NULL, 1080, 1920, now);
		}
	}
	queue_board_destroy(qb);
	board_destroy(b);
	return 0;
}
