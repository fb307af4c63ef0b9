/* venueboard: the full-screen kiosk. One loop: sleep until the clock's next
 * second or the network needs attention, take finished fetches into the
 * board, lay out, and present only when the draw list changed. */
#include "board.h"
#include "civil_time.h"
#include "display_probe.h"
#include "draw_list.h"
#include "fetcher.h"
#include "file_io.h"
#include "fleet_link.h"
#include "fleet_state.h"
#include "kiosk_clock.h"
#include "kiosk_config.h"
#include "layout.h"
#include "legibility.h"
#include "log.h"
#include "png_out.h"
#include "qr_code.h"
#include "queue_feed.h"
#include "render.h"
#include "room_feed.h"
#include "schedule.h"
#include "schedule_feed.h"
#include "screen_turn.h"
#include "text.h"

#include <SDL.h>
#include <cjson/cJSON.h>
#include <systemd/sd-daemon.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef VB_VERSION
#define VB_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_INVALID = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

struct app {
	struct kiosk_config cfg;
	struct screen_turn turn;  /* the panel's mounting, worked out in open_screen */
	struct qr_code mobile_qr; /* the phone page's, encoded once; side 0: none */
	enum log_level log;
	struct board *board;
	struct queue_feed *lunch; /* the lunch lines: fetch, board, advice */
	struct room_feed *rooms;  /* the session rooms' fill */
	struct fetcher *fetcher;
	struct schedule_feed *schedule; /* its fetch, the cache, its freshness */
	SDL_Window *window;
	SDL_Renderer *sdl;
	SDL_Surface *shot; /* --screenshot: the software target */
	struct renderer *render;
	struct draw_list dl;
	uint64_t shown_hash;
	bool force_redraw;
	/* clocks: the monotonic one drives everything; the board clock is the
	 * wall clock, or a replayed day (--clock-start), trusted once
	 * synchronized (time-source) */
	struct kiosk_clock clock;
	FILE *frame_log;
	bool first_frame;
	int64_t frames, redraws;
	int64_t page_bias;                         /* --bench: turns pages without waiting */
	int64_t page_tick, page_since_ms, page_ms; /* the page shown, since when, for how long */
	int min_text_px; /* viewing-distance: every text at least this size; 0: unchecked */
	struct layout_result shown; /* what the last layout showed */
	struct fleet_link *fleet;   /* the server's stream, heartbeats, the update agent's files */
	/* the heartbeat's picture is taken inside frame(), before the present:
	 * after it a GL back buffer (KMS/DRM) reads back as black */
	bool thumb_wanted;
	char *thumb; /* base64 PNG or NULL; owned */
};

static int64_t mono_ms(void)
{
	return kiosk_clock_mono_ms();
}

static int64_t board_now(const struct app *a)
{
	return kiosk_clock_now(&a->clock);
}

#define INFO(a, mod, ...)  log_line((a)->log, LOG_INFO, mod, __VA_ARGS__)
#define DEBUG(a, mod, ...) log_line((a)->log, LOG_DEBUG, mod, __VA_ARGS__)
#define WARN(a, mod, ...)  log_line((a)->log, LOG_WARN, mod, __VA_ARGS__)
#define ERROR(a, mod, ...) log_line((a)->log, LOG_ERROR, mod, __VA_ARGS__)

/* ---- configuration ------------------------------------------------------- */

static int configure(struct app *a, int argc, char **argv)
{
	struct kiosk_config *c = &a->cfg;
	struct feed_error e = {{0}};
	kiosk_config_defaults(c);
	if (!kiosk_config_args(c, argc, argv, &e)) {
		fprintf(stderr, "venueboard: %s\n%s", e.msg, kiosk_config_usage());
		return EXIT_USAGE;
	}
	if (c->mode == KIOSK_HELP || c->mode == KIOSK_VERSION)
		return EXIT_OK;
	if (c->config_path[0]) {
		char path[KIOSK_MAX_VALUE], *text = NULL;
		size_t len = 0;
		memcpy(path, c->config_path, sizeof(path));
		if (file_io_read(path, KIOSK_MAX_CONFIG_BYTES, &text, &len) != FILE_IO_OK) {
			fprintf(stderr, "%s: cannot read: %s\n", path,
				errno ? strerror(errno) : "larger than 64 KiB");
			return EXIT_IO;
		}
		kiosk_config_defaults(c);
		bool ok = kiosk_config_parse(c, text, len, &e);
		free(text);
		if (!ok) {
			fprintf(stderr, "%s: %s\n", path, e.msg);
			return EXIT_INVALID;
		}
		if (!kiosk_config_args(c, argc, argv, &e)) { /* flags win */
			fprintf(stderr, "venueboard: %s\n", e.msg);
			return EXIT_USAGE;
		}
	}
	struct screen_turn turn;
	if (!kiosk_config_check(c, &e) ||
	    ((c->mode == KIOSK_SCREENSHOT || c->windowed) && c->width > 0 && c->height > 0 &&
	     !screen_turn_resolve(c, 0, 0, &turn, &e))) {
		fprintf(stderr, "%s: %s\n", c->config_path[0] ? c->config_path : "venueboard",
			e.msg);
		return EXIT_INVALID;
	}
	log_level_parse(c->log_level, &a->log);
	return EXIT_OK;
}

/* ---- feeds ------------------------------------------------------------------ */

static int start_feeds(struct app *a)
{
	struct fetcher_options fo = {
		.max_bytes = a->cfg.max_feed_bytes,
		.connect_timeout_ms = 5000,
		.timeout_ms = 30000,
		.backoff_min_ms = 2000,
		.backoff_max_ms = 120000,
		.seed = (uint64_t)kiosk_clock_wall_ms() ^ ((uint64_t)getpid() << 32),
		.user_agent = "venueboard/" VB_VERSION,
		.ca_file = a->cfg.ca_file[0] ? a->cfg.ca_file : NULL,
	};
	a->fetcher = fetcher_create(&fo);
	if (!a->fetcher) {
		ERROR(a, "network", "libcurl could not start");
		return EXIT_IO;
	}
	bool sched = schedule_feed_start(a->schedule, a->fetcher); /* the fetcher's first */
	if (!queue_feed_start(a->lunch, a->fetcher, board_now(a)) || !sched) {
		ERROR(a, "network", "cannot fetch %s", a->cfg.schedule_url);
		return EXIT_INVALID;
	}
	if (!room_feed_start(a->rooms, a->fetcher)) {
		ERROR(a, "network", "cannot fetch %s", a->cfg.rooms_url);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}
/* ---- the screen ----------------------------------------------------------- */

static void write_frame_log(struct app *a, int64_t now, const struct layout_result *res,
			    const struct layout_feed *feed)
{
	if (!a->frame_log)
		return;
	cJSON *o = cJSON_CreateObject();
	char t[21], h[20];
	civil_format_utc(now / 1000, t);
	snprintf(h, sizeof(h), "%016llx", (unsigned long long)a->shown_hash);
	cJSON_AddStringToObject(o, "t", t);
	/* when it reached the screen, real time: latencies are measured from it */
	cJSON_AddNumberToObject(o, "wall_ms", (double)kiosk_clock_wall_ms());
	cJSON_AddNumberToObject(o, "mono_ms", (double)mono_ms());
	cJSON_AddStringToObject(o, "hash", h);
	cJSON_AddNumberToObject(o, "page", res->page + 1);
	cJSON_AddNumberToObject(o, "pages", res->pages);
	cJSON_AddBoolToObject(o, "offline", feed->offline);
	cJSON *texts = cJSON_AddArrayToObject(o, "texts");
	for (size_t i = 0; i < a->dl.n; i++)
		if (a->dl.ops[i].kind == DRAW_TEXT)
			cJSON_AddItemToArray(texts, cJSON_CreateString(draw_list_text_of(
							    &a->dl, &a->dl.ops[i])));
	char *line = cJSON_PrintUnformatted(o);
	if (line) {
		fputs(line, a->frame_log);
		fputc('\n', a->frame_log);
		fflush(a->frame_log);
	}
	free(line);
	cJSON_Delete(o);
}

static void logical_size(const struct app *a, int *w, int *h)
{
	int ow = 0, oh = 0;
	if (a->shot) {
		ow = a->shot->w;
		oh = a->shot->h;
	} else {
		SDL_GetRendererOutputSize(a->sdl, &ow, &oh);
	}
	bool turned = a->turn.rotation == 90 || a->turn.rotation == 270;
	*w = turned ? oh : ow;
	*h = turned ? ow : oh;
}

/* A small picture of what the screen shows, as base64 PNG: NULL when the
 * renderer cannot read its pixels back. Caller frees. */
static char *thumbnail(struct app *a)
{
	int w, h;
	if (SDL_GetRendererOutputSize(a->sdl, &w, &h) != 0 || w < 2 || h < 2)
		return NULL;
	int tw = 320, th = (int)((int64_t)h * tw / w);
	SDL_Surface *full = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	SDL_Surface *small = SDL_CreateRGBSurfaceWithFormat(0, tw, th > 0 ? th : 1, 32,
							    SDL_PIXELFORMAT_ARGB8888);
	char *b64 = NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	char err[200];
	if (full && small &&
	    SDL_RenderReadPixels(a->sdl, NULL, SDL_PIXELFORMAT_ARGB8888, full->pixels,
				 full->pitch) == 0 &&
	    SDL_SoftStretchLinear(full, NULL, small, NULL) == 0 &&
	    png_out_encode(small, &png, &len, err, sizeof(err)))
		b64 = text_base64(png, len);
	free(png);
	SDL_FreeSurface(full);
	SDL_FreeSurface(small);
	return b64;
}

/* Lays out; renders and presents only when the list differs from what is on
 * screen. Returns true when a frame was presented. */
static bool frame(struct app *a, int64_t start_mono)
{
	int64_t now = board_now(a);
	queue_feed_frame(a->lunch, a->board->schedule, now);
	room_feed_frame(a->rooms, a->board->schedule, now);
	int w, h;
	logical_size(a, &w, &h);
	struct layout_feed feed = schedule_feed_view(a->schedule, mono_ms());
	if (mono_ms() - a->page_since_ms >= a->page_ms) { /* its words read: the next page */
		a->page_tick += a->page_ms > 0;
		a->page_since_ms = mono_ms();
	}
	struct layout_input in = {
		.cfg = &a->cfg,
		.board = a->board,
		.queues = queue_feed_board(a->lunch),
		.advice = queue_feed_advice(a->lunch),
		.rooms = room_feed_board(a->rooms),
		.screen = fleet_link_identity(a->fleet),
		.tm = render_metrics(a->render),
		.width = w,
		.height = h,
		.now_ms = now,
		.page_tick = a->page_tick + a->page_bias,
		.feed = feed,
		.clock_untrusted = !a->clock.trusted,
		.mobile_qr = a->mobile_qr.side ? &a->mobile_qr : NULL,
		.min_text_px = a->min_text_px,
	};
	in.alerts = fleet_link_alerts(a->fleet, &in.n_alerts);
	struct layout_result res;
	layout_build(&in, &a->dl, &res);
	a->shown = res;
	a->page_ms = layout_page_ms(&a->cfg, res.words);
	a->frames++;
	uint64_t hash = draw_list_hash(&a->dl);
	if (hash == a->shown_hash && !a->force_redraw)
		return false;
	char err[256];
	if (!render_frame(a->render, &a->dl, a->turn.rotation, err, sizeof(err))) {
		ERROR(a, "render", "%s", err);
		return false;
	}
	if (a->thumb_wanted) {
		a->thumb = thumbnail(a);
		a->thumb_wanted = false;
	}
	if (!a->shot)
		SDL_RenderPresent(a->sdl);
	fleet_link_shown(a->fleet, res.alerts_shown);
	a->shown_hash = hash;
	a->force_redraw = false;
	a->redraws++;
	write_frame_log(a, now, &res, &feed);
	if (!a->first_frame) {
		a->first_frame = true;
		sd_notify(0, "READY=1"); /* systemd: started (and, in the image, healthy) */
		INFO(a, "screen", "first frame presented after %lld ms (%dx%d, %s)",
		     (long long)(mono_ms() - start_mono), w, h,
		     !feed.have        ? "no schedule yet"
		     : feed.from_cache ? "from cache"
				       : "from network");
	}
	DEBUG(a, "screen", "frame presented: page %d/%d, %d of %d rooms, %zu draw ops",
	      res.page + 1, res.pages, res.rooms_shown, res.rooms_total, a->dl.n);
	return true;
}

static int open_screen(struct app *a)
{
	char err[256];
	/* emoji are a nicety: a screen without their font still shows the board
	 * (flags as their letters), said at WARN */
	const char *emoji = a->cfg.font_emoji[0] ? a->cfg.font_emoji : NULL;
	if (emoji && access(emoji, R_OK) != 0) {
		WARN(a, "screen",
		     "font-emoji %s: %s; emoji are drawn as letters or boxes "
		     "(Debian's fonts-noto-color-emoji)",
		     emoji, strerror(errno));
		emoji = NULL;
	}
	struct render_fonts fonts = {a->cfg.font_regular, a->cfg.font_bold,
				     a->cfg.font_fallback[0] ? a->cfg.font_fallback : NULL, emoji};
	if (a->cfg.mode == KIOSK_SCREENSHOT) {
		/* --size is the picture as the viewer sees it; the screenshot is
		 * the panel's pixels, the picture turned against its mounting */
		struct feed_error e = {{0}};
		if (!screen_turn_resolve(&a->cfg, 0, 0, &a->turn, &e)) {
			ERROR(a, "screen", "%s", e.msg);
			return EXIT_INVALID;
		}
		a->shot = SDL_CreateRGBSurfaceWithFormat(0, a->turn.panel_w, a->turn.panel_h, 32,
							 SDL_PIXELFORMAT_ARGB8888);
		a->sdl = a->shot ? SDL_CreateSoftwareRenderer(a->shot) : NULL;
	} else {
		/* the software renderer draws into the window's own framebuffer
		 * (XShm on X11): no GL context, no shader compiler, no 100 MB of
		 * driver in memory for a board of flat rectangles and text */
		SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
		if (SDL_Init(SDL_INIT_VIDEO) != 0) {
			ERROR(a, "screen", "no display: %s", SDL_GetError());
			return EXIT_IO;
		}
		Uint32 flags = SDL_WINDOW_SHOWN;
		int x = SDL_WINDOWPOS_UNDEFINED, y = SDL_WINDOWPOS_UNDEFINED;
		/* a window is the panel: --size (the picture) turned by the
		 * mounting; full screen, the display is the panel */
		int w = 1920, h = 1080, panel_w = 1920, panel_h = 1080;
		SDL_Rect bounds;
		bool full = !a->cfg.windowed && SDL_GetDisplayBounds(0, &bounds) == 0;
		if (full) {
			panel_w = bounds.w;
			panel_h = bounds.h;
		}
		struct feed_error e = {{0}};
		if (!screen_turn_resolve(&a->cfg, full || !a->cfg.width ? panel_w : 0,
					 full || !a->cfg.width ? panel_h : 0, &a->turn, &e)) {
			ERROR(a, "screen", "%s", e.msg);
			return EXIT_INVALID;
		}
		w = a->turn.panel_w;
		h = a->turn.panel_h;
		if (full) {
			/* full screen as a borderless window over the whole display:
			 * SDL's fullscreen request waits ~100 ms for a window manager
			 * a kiosk does not have; KMS/DRM is full screen anyway */
			flags |= SDL_WINDOW_BORDERLESS | SDL_WINDOW_ALWAYS_ON_TOP;
			x = bounds.x;
			y = bounds.y;
			w = bounds.w;
			h = bounds.h;
		}
		a->window = SDL_CreateWindow("venueboard", x, y, w, h, flags);
		if (!a->window) {
			ERROR(a, "screen", "cannot open a window: %s", SDL_GetError());
			return EXIT_IO;
		}
		DEBUG(a, "screen", "window open at %lld ms",
		      (long long)(mono_ms() - a->clock.mono0_ms));
		SDL_ShowCursor(SDL_DISABLE);
		SDL_DisableScreenSaver();
		/* the board is a few dozen flat rectangles and cached text: the
		 * software renderer is cheapest where there is no GPU, and SDL
		 * falls back to it anyway */
		a->sdl = SDL_CreateRenderer(a->window, -1, SDL_RENDERER_SOFTWARE);
		if (!a->sdl)
			a->sdl = SDL_CreateRenderer(a->window, -1, 0);
		SDL_RendererInfo ri;
		if (a->sdl && SDL_GetRendererInfo(a->sdl, &ri) == 0) {
			int ow, oh;
			SDL_GetRendererOutputSize(a->sdl, &ow, &oh);
			INFO(a, "screen",
			     "%s video, %s renderer, %dx%d, the panel mounted "
			     "turned %d° clockwise",
			     SDL_GetCurrentVideoDriver(), ri.name, ow, oh, a->turn.rotation);
		}
	}
	if (!a->sdl) {
		ERROR(a, "screen", "cannot draw: %s", SDL_GetError());
		return EXIT_IO;
	}
	DEBUG(a, "screen", "renderer ready at %lld ms", (long long)(mono_ms() - a->clock.mono0_ms));
	a->render = render_create(a->sdl, &fonts, err, sizeof(err));
	DEBUG(a, "screen", "fonts open at %lld ms", (long long)(mono_ms() - a->clock.mono0_ms));
	if (!a->render) {
		ERROR(a, "screen", "%s", err);
		return EXIT_INVALID;
	}
	return EXIT_OK;
}

/* viewing-distance: the text size readers that far need on this panel, and
 * whether one room fits at that size (else the configuration is refused:
 * exit 1); without the panel's size, an INFO line and the design's sizes. */
static int legibility_setup(struct app *a)
{
	double metres = a->cfg.viewing_distance_m;
	if (metres <= 0)
		return EXIT_OK;
	int w, h;
	logical_size(a, &w, &h);
	const char *source;
	double ppmm = display_probe_px_per_mm(a->window, w, h, a->cfg.screen_diagonal_in, &source);
	if (ppmm <= 0) {
		INFO(a, "screen",
		     "legibility cannot be checked: the display gives no physical size "
		     "and screen-diagonal is not set; text at the design's sizes");
		return EXIT_OK;
	}
	double cap = display_probe_cap_ratio(a->cfg.font_regular);
	double cap_bold = display_probe_cap_ratio(a->cfg.font_bold);
	cap = cap_bold > 0 && (cap <= 0 || cap_bold < cap) ? cap_bold : cap;
	if (cap <= 0) {
		ERROR(a, "screen", "legibility: cannot measure the capitals of %s",
		      a->cfg.font_regular);
		return EXIT_INVALID;
	}
	a->min_text_px = legibility_min_size(metres, ppmm, cap);
	double mm = legibility_letter_mm(metres);
	struct layout_input in = {.cfg = &a->cfg,
				  .board = a->board,
				  .queues = queue_feed_board(a->lunch),
				  .rooms = room_feed_board(a->rooms),
				  .tm = render_metrics(a->render),
				  .width = w,
				  .height = h,
				  .now_ms = board_now(a),
				  .feed = schedule_feed_view(a->schedule, mono_ms()),
				  .min_text_px = a->min_text_px};
	int fit = layout_rooms_fit(&in, &a->dl);
	if (fit < 1) {
		ERROR(a, "kiosk",
		      "viewing-distance %g: capitals %.0f mm tall need text of %d px on "
		      "this %dx%d screen (%.2f px/mm, from %s); not one room fits at that "
		      "size — a shorter viewing-distance, a larger screen, or fewer things on it",
		      metres, mm, a->min_text_px, w, h, ppmm, source);
		return EXIT_INVALID;
	}
	INFO(a, "screen",
	     "legibility: readers at %g m need capitals %.0f mm tall: text of at least "
	     "%d px (capitals %.2f of the size, %.2f px/mm from %s); %d room%s a page at "
	     "the least",
	     metres, mm, a->min_text_px, cap, ppmm, source, fit, fit > 1 ? "s" : "");
	return EXIT_OK;
}

/* ---- runs ----------------------------------------------------------------- */

/* The configured feeds once, synchronously (screenshot, bench); the saved
 * schedule when the network gives none. False when there is no schedule. */
static bool fetch_once(struct app *a)
{
	int64_t deadline = mono_ms() + 20000;
	bool sched_done = false, queues_done = !a->cfg.queues_url[0];
	bool rooms_done = !a->cfg.rooms_url[0];
	while ((!sched_done || !queues_done || !rooms_done) && mono_ms() < deadline) {
		fetcher_run(a->fetcher, mono_ms(), 50);
		if (!sched_done)
			sched_done = schedule_feed_take_once(a->schedule);
		if (!queues_done)
			queues_done = queue_feed_take(a->lunch, board_now(a), board_now(a));
		if (!rooms_done)
			rooms_done = room_feed_take(a->rooms);
	}
	return schedule_feed_settle_once(a->schedule);
}

/* --screenshot: the configured feeds at --at, one frame, a PNG, exit. */
static int screenshot(struct app *a, int64_t start)
{
	if (!fetch_once(a))
		return EXIT_IO;
	a->force_redraw = true;
	frame(a, start);
	char err[300];
	if (!png_out_write(a->cfg.screenshot, a->shot, err, sizeof(err))) {
		ERROR(a, "screenshot", "%s", err);
		return EXIT_IO;
	}
	INFO(a, "screenshot", "%s written (%dx%d)", a->cfg.screenshot, a->shot->w, a->shot->h);
	return EXIT_OK;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Times n frames of one kind; returns the median in microseconds. */
static int64_t time_frames(struct app *a, int64_t start, int n, int kind, int64_t *first)
{
	int64_t *us = calloc((size_t)n, sizeof(*us));
	if (!us)
		return -1;
	for (int i = 0; i < n; i++) {
		struct timespec t0, t1;
		if (kind == 0)
			a->force_redraw = true; /* the same picture, drawn again */
		else if (kind == 1)
			a->page_bias++; /* the next page: other texts */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		frame(a, start);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = (t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	}
	*first = us[0];
	qsort(us, (size_t)n, sizeof(*us), cmp_i64);
	int64_t median = us[n / 2];
	free(us);
	return median;
}

/* --bench N: the costs the idle figure is made of, in this process. */
static int bench(struct app *a, int64_t start)
{
	if (!fetch_once(a))
		return EXIT_IO;
	a->force_redraw = true;
	frame(a, start);
	int n = a->cfg.bench_frames;
	int64_t f0, f1, f2;
	int64_t full = time_frames(a, start, n, 0, &f0);
	int64_t page = time_frames(a, start, n, 1, &f1);
	int64_t same = time_frames(a, start, n, 2, &f2);
	struct render_stats rs;
	render_get_stats(a->render, &rs);
	int w, h;
	logical_size(a, &w, &h);
	printf("bench %dx%d: %zu sessions, %zu draw ops; median of %d: full redraw %.2f ms, "
	       "page turn %.2f ms (first %.2f ms), unchanged frame %.3f ms; text cache %zu entries, "
	       "%.1f MiB\n",
	       w, h, a->board->schedule ? a->board->schedule->n_sessions : 0, a->dl.n, n,
	       (double)full / 1000.0, (double)page / 1000.0, (double)f1 / 1000.0,
	       (double)same / 1000.0, rs.cache_entries, (double)rs.cache_bytes / 1048576.0);
	return EXIT_OK;
}

/* Alive, what it shows (an alert, a page), how fresh, and the picture
 * frame() has just kept (none when nothing could be drawn). */
static void beat_send(struct app *a, int64_t start)
{
	int64_t m = mono_ms();
	struct layout_feed feed = schedule_feed_view(a->schedule, m);
	bool page = a->clock.trusted && feed.have;
	char showing[120];
	size_t n_alerts;
	const struct fleet_alert *alerts = fleet_link_alerts(a->fleet, &n_alerts);
	if (a->shown.alerts_shown && n_alerts)
		snprintf(showing, sizeof(showing), "alert %lld%s", (long long)alerts[0].id,
			 a->shown.alerts_shown > 1 ? " and older ones" : "");
	else if (!a->clock.trusted)
		snprintf(showing, sizeof(showing), "waiting for the time");
	else if (!feed.have)
		snprintf(showing, sizeof(showing), "waiting for the schedule");
	else
		snprintf(showing, sizeof(showing), "page %d/%d", a->shown.page + 1, a->shown.pages);
	struct fleet_report r = {
		.version = VB_VERSION,
		.showing = showing,
		.offline = feed.offline,
		.feed_age_s = schedule_feed_age_s(a->schedule, m),
		.feed_error = schedule_feed_error(a->schedule),
		.uptime_s = (m - start) / 1000,
		.schedule_version = feed.have ? a->board->version : -1,
		.thumbnail = a->thumb,
	};
	fleet_link_beat(a->fleet, &r, page, m);
}

static int run(struct app *a, int64_t start)
{
	schedule_feed_prepare_cache(a->schedule);
	schedule_feed_load_cache(a->schedule);
	DEBUG(a, "cache", "cache read at %lld ms", (long long)(mono_ms() - a->clock.mono0_ms));
	bool running = true;
	int64_t stop_at =
		a->cfg.exit_after_s > 0 ? start + (int64_t)(a->cfg.exit_after_s * 1000) : 0;
	while (running) {
		SDL_Event ev;
		while (SDL_PollEvent(&ev)) {
			if (ev.type == SDL_QUIT)
				running = false;
			else if (ev.type == SDL_WINDOWEVENT &&
				 (ev.window.event == SDL_WINDOWEVENT_EXPOSED ||
				  ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED))
				a->force_redraw = true;
			else if (ev.type == SDL_KEYDOWN && a->cfg.windowed &&
				 ev.key.keysym.sym == SDLK_ESCAPE)
				running = false;
		}
		a->force_redraw |= schedule_feed_take(a->schedule);
		queue_feed_take(a->lunch, board_now(a),
				a->cfg.mode == KIOSK_SCREENSHOT ? board_now(a) : INT64_MAX);
		room_feed_take(a->rooms);
		bool fetch_now = false;
		bool alerts_came = fleet_link_take(a->fleet, mono_ms(), &fetch_now);
		schedule_feed_kick(a->schedule, fetch_now, mono_ms());
		kiosk_clock_check(&a->clock);
		/* the heartbeat's picture is kept by frame(), drawn again for it;
		 * new alerts are confirmed by a heartbeat right after their frame */
		bool page = a->clock.trusted && schedule_feed_have(a->schedule);
		bool beat_now = a->first_frame && fleet_link_beat_due(a->fleet, mono_ms(), page);
		a->thumb_wanted = beat_now || alerts_came;
		a->force_redraw |= a->thumb_wanted;
		frame(a, start);
		if (a->first_frame && (beat_now || fleet_link_beat_due(a->fleet, mono_ms(), page)))
			beat_send(a, start);
		free(a->thumb);
		a->thumb = NULL;
		fleet_link_quiet(a->fleet, a->board->schedule, a->board->zone, board_now(a),
				 a->clock.trusted, mono_ms());
		sd_notify(0, "WATCHDOG=1"); /* a hung loop stops this: systemd restarts us */
		int64_t m = mono_ms();
		if (stop_at && m >= stop_at)
			break;
		/* sleep until the board clock's next second (the clock and the
		 * freshness line), or sooner when the network needs us */
		int64_t now = board_now(a);
		int64_t to_second = 1000 - ((now % 1000) + 1000) % 1000;
		int64_t wait = (int64_t)((double)to_second / a->cfg.clock_rate) + 1;
		int64_t net = fetcher_next_ms(a->fetcher, m);
		if (net < wait)
			wait = net;
		if (wait > 1000)
			wait = 1000;
		if (fleet_link_busy(a->fleet) && wait > 20)
			wait = 20; /* a heartbeat on its way: its own handle is moved along here */
		fetcher_run(a->fetcher, m, (int)wait);
	}
	INFO(a, "screen", "stopping: %lld layouts, %lld frames presented", (long long)a->frames,
	     (long long)a->redraws);
	return EXIT_OK;
}

/* What this kiosk is set to show, in one INFO line. */
static void say_start(const struct app *a)
{
	char rooms[KIOSK_MAX_NAME + 40] = "every room", queues[40] = "every queue";
	if (a->cfg.layout == KIOSK_LAYOUT_ROOM)
		snprintf(rooms, sizeof(rooms), "the door of %.*s", KIOSK_MAX_NAME, a->cfg.rooms[0]);
	else if (a->cfg.n_rooms)
		snprintf(rooms, sizeof(rooms), "%zu room%s", a->cfg.n_rooms,
			 a->cfg.n_rooms > 1 ? "s" : "");
	if (a->cfg.n_queues)
		snprintf(queues, sizeof(queues), "%zu queues", a->cfg.n_queues);
	INFO(a, "kiosk",
	     "venueboard %s: schedule %s%s%s%s%s, cache %s, venue '%s', floor '%s', "
	     "language %s, %s, showing %s and %s",
	     VB_VERSION, a->cfg.schedule_url, a->cfg.queues_url[0] ? ", lunch lines " : "",
	     a->cfg.queues_url, a->cfg.rooms_url[0] ? ", rooms " : "", a->cfg.rooms_url,
	     a->cfg.cache_dir, a->cfg.venue, a->cfg.floor, a->cfg.lang == LANG_FR ? "fr" : "en",
	     a->cfg.orientation == KIOSK_ORIENT_PORTRAIT    ? "portrait"
	     : a->cfg.orientation == KIOSK_ORIENT_LANDSCAPE ? "landscape"
							    : "the panel's shape",
	     rooms, queues);
}

/* The board, its feeds and the clock, before any screen or network; false
 * when one could not be made (main's teardown frees those that were). */
static bool create_parts(struct app *a)
{
	kiosk_clock_init(&a->clock, &a->cfg, a->log);
	a->board = board_create();
	a->lunch = queue_feed_create(&a->cfg, a->log);
	a->rooms = room_feed_create(&a->cfg, a->log);
	a->fleet = fleet_link_create(&a->cfg, a->log);
	a->schedule = a->board && a->lunch
			      ? schedule_feed_create(&a->cfg, a->log, a->board, &a->clock, a->lunch)
			      : NULL;
	return a->board && a->lunch && a->rooms && a->fleet && a->schedule;
}

/* The phone page's QR code, encoded once at start; said, or why there is none. */
static void make_mobile_qr(struct app *a)
{
	if (!a->cfg.mobile_url[0])
		return;
	if (qr_code_make(&a->mobile_qr, a->cfg.mobile_url))
		INFO(a, "screen", "QR code to %s (%d modules a side)", a->cfg.mobile_url,
		     a->mobile_qr.side);
	else
		ERROR(a, "screen", "mobile-url %s: no QR code (libqrencode refused it)",
		      a->cfg.mobile_url);
}

int main(int argc, char **argv)
{
	static struct app app; /* large (the config holds fixed buffers); owned by main */
	struct app *a = &app;
#ifdef __GLIBC__
	/* feed bodies and parse trees are megabytes, allocated every poll: keep
	 * them in mappings that go back to the system when freed (glibc would
	 * otherwise raise this threshold after the first free and let them
	 * fragment the heap for the rest of a days-long run) */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	int64_t start = mono_ms();
	a->log = LOG_INFO;
	int rc = configure(a, argc, argv);
	if (rc != EXIT_OK || a->cfg.mode == KIOSK_HELP || a->cfg.mode == KIOSK_VERSION) {
		if (a->cfg.mode == KIOSK_HELP)
			fputs(kiosk_config_usage(), stdout);
		if (a->cfg.mode == KIOSK_VERSION)
			puts("venueboard " VB_VERSION);
		return rc;
	}
	bool made = create_parts(a);
	draw_list_init(&a->dl, 1, 1, a->cfg.theme.background);
	if (!made) {
		rc = EXIT_IO;
		goto out;
	}
	if (a->cfg.frame_log[0] && !(a->frame_log = fopen(a->cfg.frame_log, "a"))) {
		ERROR(a, "screen", "%s: %s", a->cfg.frame_log, strerror(errno));
		rc = EXIT_IO;
		goto out;
	}
	say_start(a);
	make_mobile_qr(a);
	if ((rc = start_feeds(a)) != EXIT_OK || (rc = open_screen(a)) != EXIT_OK ||
	    (rc = legibility_setup(a)) != EXIT_OK)
		goto out;
	kiosk_clock_check(&a->clock);
	if (!a->clock.trusted)
		INFO(a, "clock", "waiting for the time (%s) before showing the programme",
		     a->cfg.time_source);
	if (a->cfg.mode == KIOSK_RUN)
		fleet_link_start(a->fleet, a->fetcher);
	rc = a->cfg.mode == KIOSK_SCREENSHOT ? screenshot(a, start)
	     : a->cfg.mode == KIOSK_BENCH    ? bench(a, start)
					     : run(a, start);
out:
	if (a->frame_log)
		fclose(a->frame_log);
	draw_list_finish(&a->dl);
	render_destroy(a->render);
	if (a->sdl)
		SDL_DestroyRenderer(a->sdl);
	if (a->shot)
		SDL_FreeSurface(a->shot);
	if (a->window)
		SDL_DestroyWindow(a->window);
	schedule_feed_destroy(a->schedule);
	fetcher_destroy(a->fetcher);
	fleet_link_destroy(a->fleet);
	free(a->thumb);
	queue_feed_destroy(a->lunch);
	room_feed_destroy(a->rooms);
	board_destroy(a->board);
	SDL_Quit();
	return rc;
}
