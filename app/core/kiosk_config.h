/* kiosk_config: one screen's settings — a documented `key value` file plus the
 * same keys as command-line flags (flags win) — validated with messages that
 * name the file, line and key. */
#ifndef VB_KIOSK_CONFIG_H
#define VB_KIOSK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feed_error.h"
#include "i18n.h"
#include "theme.h"

enum {
	KIOSK_MAX_CONFIG_BYTES = 64 * 1024,
	KIOSK_MAX_VALUE = 512, /* bytes of one value */
	KIOSK_MAX_ROOMS = 200,
	KIOSK_MAX_QUEUES = 32,
	KIOSK_MAX_NAME = 160,
};

enum kiosk_mode { KIOSK_RUN, KIOSK_SCREENSHOT, KIOSK_BENCH, KIOSK_HELP, KIOSK_VERSION };

enum { KIOSK_MAX_WALK_MIN = 60 };

/* walk QUEUE MINUTES: from this screen to a lunch line (its id or name) */
struct kiosk_walk {
	char queue[KIOSK_MAX_NAME];
	int minutes;
};

/* capacity ROOM SEATS: a room's seats, winning over the feed's */
struct kiosk_seats {
	char room[KIOSK_MAX_NAME];
	int seats;
};

/* overflow ROOM SHOWN-IN: a room streamed into another, where people go
 * when it is full */
struct kiosk_overflow {
	char room[KIOSK_MAX_NAME];
	char shown_in[KIOSK_MAX_NAME];
};

/* the picture's shape as the viewer sees it; ANY: not given */
enum kiosk_orientation { KIOSK_ORIENT_ANY, KIOSK_ORIENT_LANDSCAPE, KIOSK_ORIENT_PORTRAIT };

/* layout hall: every room's now and next; room: one room's door */
enum kiosk_layout { KIOSK_LAYOUT_HALL, KIOSK_LAYOUT_ROOM };

struct kiosk_config {
	/* feeds */
	char schedule_url[KIOSK_MAX_VALUE];
	char queues_url[KIOSK_MAX_VALUE]; /* "" when the screen shows no lunch lines */
	char rooms_url[KIOSK_MAX_VALUE];  /* "" when the screen shows no room fill */
	char ca_file[KIOSK_MAX_VALUE];
	int poll_s, queue_poll_s;
	int room_poll_s; /* 0: queue_poll_s */
	size_t max_feed_bytes;
	char cache_dir[KIOSK_MAX_VALUE];
	/* where the screen stands and what matters there */
	char venue[KIOSK_MAX_NAME], floor[KIOSK_MAX_NAME];
	char rooms[KIOSK_MAX_ROOMS][KIOSK_MAX_NAME]; /* display order; none = every room */
	size_t n_rooms;
	char queues[KIOSK_MAX_QUEUES][KIOSK_MAX_NAME]; /* queue ids; none = every queue */
	size_t n_queues;
	struct kiosk_walk walks[KIOSK_MAX_QUEUES]; /* the shorter line is named among these */
	size_t n_walks;
	struct kiosk_seats seats[KIOSK_MAX_ROOMS];
	size_t n_seats;
	struct kiosk_overflow overflows[KIOSK_MAX_ROOMS];
	size_t n_overflows;
	char timezone[64]; /* when the feed names none; "" = the feed's */
	/* how it looks */
	enum kiosk_layout layout; /* room: the door of rooms[0] */
	enum kiosk_orientation orientation;
	int rotation; /* the panel mounted turned clockwise, seen from the front: 0,
		       * 90, 180, 270; -1 not given (screen_turn works it out) */
	enum lang lang;
	int page_s;        /* seconds per page when more than fits */
	int highlight_min; /* minutes a new change stays highlighted */
	int soon_min;      /* a session starting within this is marked */
	char font_regular[KIOSK_MAX_VALUE], font_bold[KIOSK_MAX_VALUE];
	char font_fallback[KIOSK_MAX_VALUE];
	char font_emoji[KIOSK_MAX_VALUE]; /* colour emoji; "" (font-emoji off) = none */
	struct theme theme;
	char log_level[8];
	/* when the clock can be trusted: "system" (always), "timesync" (once
	 * systemd-timesyncd has synchronized), "feed" (the schedule server's
	 * Date header: a venue without NTP), "auto" (whichever comes first,
	 * NTP's time once it has it) */
	char time_source[16];
	/* the heartbeat to venueboard-server: "" = none */
	char heartbeat_url[KIOSK_MAX_VALUE];
	char heartbeat_token[160];
	int heartbeat_s;
	/* the server's event stream (alerts within seconds): "" = none; set to
	 * the heartbeat-url's origin + /v1/stream by kiosk_config_check when
	 * heartbeats are on and it is not given */
	char stream_url[KIOSK_MAX_VALUE];
	/* the phone page the board's QR code links to: given, or the
	 * heartbeat-url's (else queues-url's) origin + /m/ (kiosk_config_check);
	 * "" = no QR code (`mobile-url off`, or no server known) */
	char mobile_url[KIOSK_MAX_VALUE];
	bool mobile_off;
	/* the files shared with the image's update agent */
	char run_dir[KIOSK_MAX_VALUE];
	/* update-window HH:MM-HH:MM, the conference's local time, in minutes
	 * after midnight; -1: any time (a window may cross midnight) */
	int update_from_min, update_to_min;
	/* how it runs (flags only) */
	enum kiosk_mode mode;
	char config_path[KIOSK_MAX_VALUE];
	char screenshot[KIOSK_MAX_VALUE]; /* --screenshot OUT.png */
	int width, height;      /* --size WxH: window or screenshot size; 0 = full screen */
	bool windowed;          /* --window: not full screen (development) */
	int64_t at_ms;          /* --at TIME: the board's clock (screenshot), 0 = now */
	int64_t clock_start_ms; /* --clock-start TIME: a replayed day (demo) */
	char at_text[64], clock_start_text[64]; /* a wall time waiting for the zone */
	double clock_rate;               /* --clock-rate N: seconds of the day per real second */
	char frame_log[KIOSK_MAX_VALUE]; /* --frame-log FILE: texts of each presented frame */
	double exit_after_s;             /* --exit-after S: stop after S seconds (tests) */
	int bench_frames;                /* --bench N: time N frames of each kind, print, exit */
	/* the header's title, legibility, the time a page stays (issue 15) */
	char title[KIOSK_MAX_NAME]; /* "" = the schedule's conference name */
	double viewing_distance_m;  /* readers this far away must read every text; 0 = unchecked */
	double screen_diagonal_in; /* the panel's diagonal when the display does not say; 0 = unknown */
	int page_s_max;            /* a page stays page_s..page_s_max seconds, by its words */
};

/* Fills c with the defaults (documented in assets/kiosk/venueboard.conf). */
void kiosk_config_defaults(struct kiosk_config *c);

/* Sets one key (a file line or a flag without its dashes). False with e
 * naming the key and what is wrong. */
bool kiosk_config_set(struct kiosk_config *c, const char *key, const char *value,
		      struct feed_error *e);

/* Reads a config file's text on top of c; e names the line and key. */
bool kiosk_config_parse(struct kiosk_config *c, const char *buf, size_t len, struct feed_error *e);

/* Applies the command line: --config FILE, --KEY VALUE for every file key
 * (a list key given as a flag replaces the file's list), and the run flags
 * (--screenshot, --size, --at, --window, --clock-start, --clock-rate,
 * --frame-log, --exit-after, --bench, --help, --version). The shell applies it
 * once to learn --config, then again after the file so flags win. */
bool kiosk_config_args(struct kiosk_config *c, int argc, char **argv, struct feed_error *e);

/* Completes and checks the whole: wall times given before the zone was known
 * are converted now; a schedule URL, sizes, the theme's contrast. */
bool kiosk_config_check(struct kiosk_config *c, struct feed_error *e);

/* Usage text (static). */
const char *kiosk_config_usage(void);

#endif
