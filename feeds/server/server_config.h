/* server_config: venueboard-server's configuration file — where to listen,
 * the database, the first schedule, and who may write (named tokens:
 * organizers, sensors, and the screens that report their heartbeats). */
#ifndef VB_SERVER_CONFIG_H
#define VB_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "feed_error.h"
#include "sensor_source.h"

enum {
	CONFIG_MAX_TOKENS = 256,
	CONFIG_NAME_MAX = 64,
	CONFIG_TOKEN_MIN = 16, /* bytes: shorter tokens are guessable */
	CONFIG_TOKEN_MAX = 128,
	CONFIG_PATH_MAX = 1024,
	CONFIG_MAX_CAPACITIES = 512,
	CONFIG_ROOM_MAX = 160, /* bytes of a room's name */
	CONFIG_MAX_ALERTS = 64,
	CONFIG_QUEUE_MAX = 64, /* bytes of a queue's id (contracts §1) */
	CONFIG_MAX_ZONES = 64,
	CONFIG_MAX_MEMBERS = 2048, /* screen-in-zone pairs */
	CONFIG_ZONE_MAX = 40,      /* bytes of a zone's name */
	CONFIG_MAX_SOURCES = 64,   /* people counters (contracts §7) */
};

enum token_role { TOKEN_ORGANIZER, TOKEN_SENSOR, TOKEN_SCREEN };

struct config_token {
	enum token_role role;
	char name[CONFIG_NAME_MAX + 1]; /* who: goes into the audit log; a screen's id */
	char secret[CONFIG_TOKEN_MAX + 1];
};

/* A room's seats, for feeds that give none (or a wrong number). */
struct config_capacity {
	char room[CONFIG_ROOM_MAX + 1]; /* as the schedule names it */
	int seats;
};

/* The wait above which the desk is warned of a lunch line's forecast. */
struct config_alert {
	char queue[CONFIG_QUEUE_MAX + 1]; /* a queue id, or "*": every other queue */
	int minutes;
};

/* A screen in a zone (level-2, meridien): alerts and notices go to zones. */
struct config_member {
	char zone[CONFIG_ZONE_MAX + 1];
	char screen[CONFIG_NAME_MAX + 1];
};

struct server_config {
	char listen_host[64];
	int listen_port;
	char database[CONFIG_PATH_MAX];
	char schedule[CONFIG_PATH_MAX];        /* "" when none */
	char timezone[65];                     /* for feeds without offsets, "" when none */
	char tls_certificate[CONFIG_PATH_MAX]; /* PEM; "" when serving plain HTTP */
	char tls_key[CONFIG_PATH_MAX];         /* PEM; set with the certificate */
	unsigned max_connections;              /* 0: the server's default */
	struct config_token tokens[CONFIG_MAX_TOKENS];
	size_t n_tokens;
	struct config_capacity capacities[CONFIG_MAX_CAPACITIES];
	size_t n_capacities;
	struct config_alert alerts[CONFIG_MAX_ALERTS];
	size_t n_alerts;
	struct config_member members[CONFIG_MAX_MEMBERS];
	size_t n_members;
	char bundle_dir
		[CONFIG_PATH_MAX]; /* where uploaded bundles are kept; "" = DATABASE.bundles */
	unsigned max_bundle_mib;   /* 0: the server's default */
	bool disk_reserve_set;     /* else 5 % of the database's disk, at most 512 MiB */
	unsigned long long disk_reserve; /* bytes an upload leaves free on the database's disk */
	/* people counters (contracts §7, config_sources.c) */
	char mqtt_broker[CONFIG_PATH_MAX];  /* mqtt://HOST[:PORT] or mqtts://…; "" when none */
	char mqtt_login[CONFIG_PATH_MAX];   /* a file holding user:password; "" when none */
	char mqtt_ca_file[CONFIG_PATH_MAX]; /* mqtts: the CA to verify the broker with */
	struct sensor_source_config sources[CONFIG_MAX_SOURCES];
	size_t n_sources;
};

/* Reads the text of a configuration file ("key value" lines, # comments):
 *   listen 127.0.0.1:8080
 *   database /var/lib/venueboard/server.db
 *   schedule /etc/venueboard/paris-2014.schedule.json
 *   timezone Europe/Paris
 *   tls-certificate /etc/venueboard/tls/fullchain.pem
 *   tls-key /etc/venueboard/tls/privkey.pem
 *   max-connections 2000
 *   organizer NAME TOKEN
 *   sensor NAME TOKEN
 *   screen NAME TOKEN
 *   capacity Salle 241 400            (a room's seats; the name may hold spaces)
 *   alert-wait meridien-lunch 20      (minutes; "*" for every other queue)
 *   zone level-2 palais-l2-east palais-l2-west   (a zone and its screens)
 *   bundle-dir /var/lib/venueboard/bundles
 *   max-bundle-mib 1024
 *   disk-reserve 256M                 (free space uploads leave on the database's
 *                                      disk: bytes, or K, M, G; 0 for none)
 *   mqtt-broker mqtt://127.0.0.1:1883 (and mqtt-login FILE, mqtt-ca-file FILE)
 *   source NAME FORMAT FROM queue:ID|room:ROOM NAME   (contracts §7; with
 *   source-counter, source-login, source-field lines: config_sources.c)
 * A token is 16-128 printable ASCII characters and given once. A screen's
 * NAME names its URLs (/v1/screens/NAME/thumbnail.png), so it is letters,
 * digits, '-', '_' and '.' only, and no two screens share one. Fails naming
 * the line on anything it does not understand. */
bool server_config_parse(const char *text, size_t len, struct server_config *out,
			 struct feed_error *e);

/* The source called name, or NULL. */
const struct sensor_source_config *server_config_source(const struct server_config *c,
							const char *name);

/* The token whose secret equals presented (compared in constant time over
 * every configured token), or NULL. */
const struct config_token *server_config_check(const struct server_config *c, const char *presented,
					       enum token_role role);

/* The screen token named name (exact bytes), or NULL: a screen's URLs and
 * stored heartbeat answer only for screens the file still names. */
const struct config_token *server_config_screen(const struct server_config *c, const char *name);

/* The alert threshold in minutes for queue id (its own line, else "*"),
 * 0 when none is set. */
int server_config_alert_minutes(const struct server_config *c, const char *queue);

/* The zones screen belongs to, in the file's order, at most cap into
 * out (borrowed from c); returns how many. */
size_t server_config_zones_of(const struct server_config *c, const char *screen, const char **out,
			      size_t cap);

/* True when some screen belongs to zone. */
bool server_config_zone_known(const struct server_config *c, const char *zone);

#endif
