/* api_rollouts: updates from the desk. An organizer uploads a bundle (the
 * kiosk image's bundle/ folder as a tar: the shell writes it to a file as it
 * comes) and rolls it out: to the canary screens first, then, once every
 * canary has run the new version in good health for a while, to the rest;
 * stopped when a canary fails or rolls back. Screens learn their target from
 * their heartbeat's answer, download it (resumable: the shell serves ranges)
 * and verify its signature themselves — the server checks only its shape.
 * A rollout is a change of kind "rollout" (audited; stopping it is an undo);
 * what happened to each screen is kept in rollout_events. */
#include "api_internal.h"

#include "civil_time.h"
#include "json_util.h"
#include "store.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	BUNDLE_NAME_MAX = 64,
	TAR_BLOCK = 512,
	VERSION_MAX = 64,
	FAIL_QUIET_MIN = 20, /* a canary not heard from this long after it began: failed */
};

/* ---- bundles ------------------------------------------------------------------------ */

void api_bundle_dir(const struct api *api, char *out, size_t cap)
{
	if (api->config->bundle_dir[0])
		snprintf(out, cap, "%s", api->config->bundle_dir);
	else
		snprintf(out, cap, "%s.bundles", api->config->database);
}

size_t api_bundle_max(const struct api *api)
{
	size_t mib = api->config->max_bundle_mib ? api->config->max_bundle_mib : 1024;
	return mib * 1024 * 1024;
}

void api_upload_reserve(const struct api *api, const char **database, bool *set, uint64_t *reserve)
{
	*database = api->config->database;
	*set = api->config->disk_reserve_set;
	*reserve = api->config->disk_reserve;
}

static bool name_ok(const char *n)
{
	return text_is_name(n, BUNDLE_NAME_MAX) && n[0] != '.';
}

/* The last component of a tar member's name ("./bundle/version" → "version"). */
static const char *base_name(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

static uint64_t octal(const char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(p[i] - '0');
	return v;
}

/* Checks that the tar at path holds a bundle (every file the screen's
 * updater needs, and a signature) and reads its version. False with why. */
static bool bundle_shape(const char *path, char version[VERSION_MAX + 1], char *why, size_t cap)
{
	static const char *const need[] = {"version",       "SHA256SUMS", "SHA256SUMS.sig",
					   "root.squashfs", "vmlinuz",    "initrd.img"};
	enum { N_NEED = sizeof(need) / sizeof(*need) };
	bool have[N_NEED] = {false};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, cap, "cannot read the upload: %s", strerror(errno));
		return false;
	}
	struct stat sb;
	fstat(fd, &sb);
	uint64_t off = 0, size = (uint64_t)sb.st_size;
	unsigned char h[TAR_BLOCK];
	version[0] = '\0';
	bool ok = true;
	for (int entries = 0; ok && entries < 10000; entries++) {
		if (off + TAR_BLOCK > size || pread(fd, h, TAR_BLOCK, (off_t)off) != TAR_BLOCK) {
			snprintf(why, cap, "not a tar archive (it ends inside a header)");
			ok = false;
			break;
		}
		if (h[0] == '\0')
			break; /* the end: two zero blocks */
		if (memcmp(h + 257, "ustar", 5) != 0) {
			snprintf(why, cap, "not a tar archive (no ustar header at byte %llu)",
				 (unsigned long long)off);
			ok = false;
			break;
		}
		char name[101];
		memcpy(name, h, 100);
		name[100] = '\0';
		uint64_t len = octal((const char *)h + 124, 12);
		char type = (char)h[156];
		off += TAR_BLOCK;
		if (type == '0' || type == '\0') {
			const char *base = base_name(name);
			for (int k = 0; k < N_NEED; k++)
				have[k] |= strcmp(base, need[k]) == 0;
			if (strcmp(base, "version") == 0 && len > 0 && len <= VERSION_MAX) {
				char v[VERSION_MAX + 1];
				ssize_t got = pread(fd, v, (size_t)len, (off_t)off);
				size_t n = got > 0 ? (size_t)got : 0;
				while (n &&
				       (v[n - 1] == '\n' || v[n - 1] == '\r' || v[n - 1] == ' '))
					n--;
				memcpy(version, v, n);
				version[n] = '\0';
			}
		}
		off += (len + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
	}
	close(fd);
	for (int k = 0; ok && k < N_NEED; k++)
		if (!have[k]) {
			snprintf(why, cap,
				 "the bundle has no %s (a bundle is the image build's bundle/ "
				 "folder, signed, as a tar)",
				 need[k]);
			ok = false;
		}
	if (ok && !name_ok(version)) {
		snprintf(why, cap, "the bundle's version file does not hold a version");
		ok = false;
	}
	return ok;
}

static const char *bundle_name_of(const struct api_request *req)
{
	static const char key[] = "name=";
	const char *q = req->query;
	while (q && *q) {
		if (strncmp(q, key, sizeof(key) - 1) == 0)
			return q + sizeof(key) - 1;
		q = strchr(q, '&');
		q = q ? q + 1 : NULL;
	}
	return NULL;
}

void api_post_bundle(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct config_token *who = c->who;
	if (!req->upload_path) {
		api_fail(res, 400, "the bundle did not arrive (an empty body)");
		return;
	}
	char version[VERSION_MAX + 1], why[300], dir[API_BUNDLE_DIR_MAX],
		final[API_BUNDLE_DIR_MAX + 80];
	if (!bundle_shape(req->upload_path, version, why, sizeof(why))) {
		unlink(req->upload_path);
		api_fail(res, 422, "not a bundle: %s; nothing was stored", why);
		return;
	}
	const char *asked = bundle_name_of(req);
	if (asked && strcmp(asked, version) != 0) {
		unlink(req->upload_path);
		api_fail(res, 422, "name=%.64s, but the bundle's version is %s; nothing was stored",
			 asked, version);
		return;
	}
	struct feed_error e = {{0}};
	struct stored_bundle b;
	if (store_bundle(api->store, version, &b, &e)) {
		unlink(req->upload_path);
		api_fail(res, 409, "bundle %s is already on the server", version);
		return;
	}
	api_bundle_dir(api, dir, sizeof(dir));
	snprintf(final, sizeof(final), "%s/%s.tar", dir, version);
	if (rename(req->upload_path, final) != 0) {
		unlink(req->upload_path);
		api_fail(res, 500, "the bundle could not be kept: %s", strerror(errno));
		return;
	}
	bool stored = store_add_bundle(api->store, version, req->upload_size, req->upload_sha256,
				       who->name, req->now_ms, &e);
	api_write_result(api, stored, e.msg, req->now_ms);
	if (!stored) {
		unlink(final);
		api_fail(res, 500, "not stored: %s", e.msg);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "bundle", version);
	cJSON_AddNumberToObject(o, "size", (double)req->upload_size);
	cJSON_AddStringToObject(o, "sha256", req->upload_sha256);
	api_respond(res, 201, "application/json", cJSON_PrintUnformatted(o));
	cJSON_Delete(o);
	snprintf(res->log, sizeof(res->log), "bundle %s uploaded by %s: %.1f MiB", version,
		 who->name, (double)req->upload_size / (1024 * 1024));
}

static void list_bundle(void *ctx, const struct stored_bundle *b)
{
	cJSON *o = cJSON_CreateObject();
	char t[21];
	civil_format_utc(b->at_ms / 1000, t);
	cJSON_AddStringToObject(o, "bundle", b->name);
	cJSON_AddNumberToObject(o, "size", (double)b->size);
	cJSON_AddStringToObject(o, "sha256", b->sha256);
	cJSON_AddStringToObject(o, "who", b->who);
	cJSON_AddStringToObject(o, "at", t);
	cJSON_AddItemToArray(ctx, o);
}

void api_get_bundles(struct api *api, const struct api_call *c, struct api_response *res)
{
	(void)c;
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "bundles");
	struct feed_error e = {{0}};
	if (!store_each_bundle(api->store, list_bundle, list, &e)) {
		cJSON_Delete(root);
		api_fail(res, 500, "%s", e.msg);
		return;
	}
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	res->cache_control = "no-cache";
}

/* /v1/bundles/NAME.tar: NAME into name. */
bool api_bundle_path(const char *path, char name[65])
{
	return api_path_part(path, "/v1/bundles/", ".tar", name, BUNDLE_NAME_MAX) && name_ok(name);
}

void api_get_bundle(struct api *api, const struct api_call *c, struct api_response *res)
{
	const char *name = c->name;
	struct stored_bundle b;
	struct feed_error e = {{0}};
	if (!store_bundle(api->store, name, &b, &e)) {
		api_fail(res, 404, "no bundle %.64s", name);
		return;
	}
	char dir[API_BUNDLE_DIR_MAX];
	api_bundle_dir(api, dir, sizeof(dir));
	snprintf(res->file, sizeof(res->file), "%s/%s.tar", dir, name);
	res->file_size = b.size;
	res->status = 200;
	res->content_type = "application/x-tar";
	snprintf(res->etag, sizeof(res->etag), "\"%.16s\"", b.sha256);
	res->cache_control = "no-cache";
}

/* ---- rollouts ----------------------------------------------------------------------- */

/* The kind of change: what was rolled out, to which canaries first, how
 * long they must run well; checked against the bundles and the screens
 * when posted (api_post_rollout). */
static cJSON *clean_rollout(const cJSON *body, int *status, char *why, size_t cap)
{
	*status = 400;
	const char *bundle =
		journal_text_field(body, "bundle", 64, "the bundle's version is missing", why, cap);
	const cJSON *canaries = cJSON_GetObjectItemCaseSensitive(body, "canaries");
	const cJSON *healthy = cJSON_GetObjectItemCaseSensitive(body, "healthy_minutes");
	if (!bundle)
		return NULL;
	if (!cJSON_IsArray(canaries) || !cJSON_IsNumber(healthy)) {
		snprintf(why, cap, "canaries and healthy_minutes are missing");
		return NULL;
	}
	cJSON *out = cJSON_CreateObject();
	cJSON_AddStringToObject(out, "kind", "rollout");
	cJSON *copy = cJSON_AddArrayToObject(out, "canaries");
	const cJSON *v;
	cJSON_ArrayForEach(v, canaries)
		if (cJSON_IsString(v))
			cJSON_AddItemToArray(copy, cJSON_CreateString(v->valuestring));
	cJSON_AddStringToObject(out, "bundle", bundle);
	cJSON_AddNumberToObject(out, "healthy_minutes", healthy->valuedouble);
	return out;
}

static void what_rollout(const struct api *api, const cJSON *fields, char *out, size_t cap)
{
	(void)api;
	snprintf(out, cap, "rollout of %.64s", json_util_str(fields, "bundle"));
}

const struct journal_kind change_rollout = {"rollout", CHANGE_APART, false,        clean_rollout,
					    NULL,      NULL,         what_rollout, NULL};

static bool in_list(const cJSON *list, const char *s)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, list)
		if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0)
			return true;
	return false;
}

/* What the screen said in its latest heartbeat (NULL when never heard). */
static cJSON *screen_fields(const struct screen_seen *s)
{
	return s->fields ? cJSON_Parse(s->fields) : NULL;
}

/* A screen's part in a rollout, as its heartbeats tell it. */
enum part { P_WAITING, P_UPDATING, P_RUNNING, P_FAILED };

struct screen_part {
	enum part part;
	int64_t running_since_ms; /* first heartbeat on the new version, 0 none */
	bool stale;               /* it says a failure that is not this rollout's */
	char why[160];
};

static struct rollout_offer *offer_find(const struct api *api, const char *screen, int64_t rollout)
{
	for (size_t i = 0; i < api->rollout_offers_n; i++) {
		struct rollout_offer *o = &api->rollout_offers[i];
		if (o->rollout == rollout && strcmp(o->screen, screen) == 0)
			return o;
	}
	return NULL;
}

/* The record of screen's offer for rollout, made (not yet offered) when
 * there is none; NULL on OOM. */
static struct rollout_offer *offer_get(struct api *api, const char *screen, int64_t rollout)
{
	struct rollout_offer *o = offer_find(api, screen, rollout);
	if (o)
		return o;
	if (api->rollout_offers_n == api->rollout_offers_cap) {
		size_t cap = api->rollout_offers_cap ? api->rollout_offers_cap * 2 : 32;
		o = realloc(api->rollout_offers, cap * sizeof(*o));
		if (!o)
			return NULL;
		api->rollout_offers = o;
		api->rollout_offers_cap = cap;
	}
	o = &api->rollout_offers[api->rollout_offers_n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->screen, sizeof(o->screen), "%s", screen);
	o->rollout = rollout;
	return o;
}

static bool is_failure(const char *update)
{
	return strncmp(update, "failed", 6) == 0 || strncmp(update, "refused", 7) == 0 ||
	       strncmp(update, "rolled back", 11) == 0;
}

static bool version_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* True when text names version as a word of its own ("2.0" is not named
 * by "12.0 MiB"). */
static bool names(const char *text, const char *version)
{
	size_t n = strlen(version);
	for (const char *p = strstr(text, version); n && p; p = strstr(p + 1, version))
		if ((p == text || !version_char(p[-1])) && !version_char(p[n]))
			return true;
	return false;
}

/* Whether a failure the screen reports is about this rollout: one that
 * names a version is about that version ("rolled back from V"); one that
 * names none is this rollout's only once the screen has said something
 * else since it was offered the version (else it is what it said before:
 * an earlier rollout's, which must not stop this one). */
static bool failure_is_ours(const char *update, const char *version,
			    const struct rollout_offer *offer)
{
	static const char back[] = "rolled back from ";
	if (strncmp(update, back, sizeof(back) - 1) == 0) {
		const char *v = update + sizeof(back) - 1;
		size_t n = strlen(version);
		return strncmp(v, version, n) == 0 && (v[n] == '\0' || v[n] == ' ' || v[n] == ':');
	}
	if (names(update, version))
		return true;
	return offer && offer->at_ms && offer->moved;
}

static void part_of(struct api *api, const struct screen_seen *s, const char *version,
		    int64_t rollout, int64_t started_ms, int64_t now_ms, struct screen_part *out)
{
	memset(out, 0, sizeof(*out));
	cJSON *f = screen_fields(s);
	const char *image = json_util_str(f, "image");
	const char *update = json_util_str(f, "update");
	int64_t since = 0;
	const struct rollout_mark *m = api_rollout_mark(api, s->name, version);
	const struct rollout_offer *offer = offer_find(api, s->name, rollout);
	bool offered = offer && offer->at_ms;
	if (m)
		since = m->running_ms;
	if (image && strcmp(image, version) == 0) {
		out->part = P_RUNNING;
		out->running_since_ms = since ? since : s->last_seen_ms;
	} else if (update && s->last_seen_ms >= started_ms && is_failure(update)) {
		if (failure_is_ours(update, version, offer)) {
			out->part = P_FAILED;
			snprintf(out->why, sizeof(out->why), "%.150s", update);
		} else {
			out->stale = true;
			snprintf(out->why, sizeof(out->why), "%.150s", update);
		}
	} else if (update && *update && strcmp(update, "idle") != 0 && !is_failure(update)) {
		out->part = P_UPDATING;
		if (now_ms - s->last_seen_ms > FAIL_QUIET_MIN * 60000LL &&
		    s->last_seen_ms >= started_ms && offered) {
			out->part = P_FAILED;
			snprintf(out->why, sizeof(out->why),
				 "not heard from for %d minutes while "
				 "updating",
				 FAIL_QUIET_MIN);
		}
	}
	cJSON_Delete(f);
}

/* The live rollout (the newest rollout change not undone), or NULL. */
static const struct journal_entry *live_rollout(const struct api *api)
{
	return journal_last_live(&api->journal, &change_rollout);
}

struct rollout_view {
	const struct journal_entry *entry;
	const cJSON *change;
	const char *bundle;
	int64_t id, started_ms;
	enum { R_CANARIES, R_FLEET, R_DONE, R_STOPPED, R_HELD } phase;
	char why[200];
};

static const char *const phase_names[] = {"canaries", "fleet", "done", "stopped", "held"};

/* Where the rollout stands now, from every screen's heartbeats. */
static void judge_rollout(struct api *api, const struct journal_entry *entry, int64_t now_ms,
			  struct rollout_view *v)
{
	memset(v, 0, sizeof(*v));
	v->entry = entry;
	v->id = entry->id;
	v->change = entry->fields;
	v->bundle = json_util_str(v->change, "bundle");
	v->started_ms = journal_at_ms(entry);
	const cJSON *canaries = cJSON_GetObjectItemCaseSensitive(v->change, "canaries");
	double healthy_min = cJSON_GetNumberValue(
		cJSON_GetObjectItemCaseSensitive(v->change, "healthy_minutes"));
	bool canaries_ok = true, all_running = true;
	struct screen_part *parts = calloc(api->n_screens ? api->n_screens : 1, sizeof(*parts));
	for (size_t i = 0; parts && i < api->n_screens; i++) {
		const struct screen_seen *s = &api->screens[i];
		part_of(api, s, v->bundle, v->id, v->started_ms, now_ms, &parts[i]);
		if (in_list(canaries, s->name) &&
		    !(parts[i].part == P_RUNNING &&
		      now_ms - parts[i].running_since_ms >= (int64_t)(healthy_min * 60000)))
			canaries_ok = false;
		all_running &= parts[i].part == P_RUNNING;
	}
	v->phase = all_running ? R_DONE : canaries_ok ? R_FLEET : R_CANARIES;
	/* a gate without its canary would let the whole fleet through at once:
	 * it holds until the screen is back (or the rollout is stopped) */
	const cJSON *c;
	cJSON_ArrayForEach(c, canaries)
		if (v->phase != R_DONE && cJSON_IsString(c) &&
		    !server_config_screen(api->config, c->valuestring)) {
			v->phase = R_HELD;
			snprintf(v->why, sizeof(v->why),
				 "canary %.64s is no longer in the "
				 "configuration: held at the canaries until it is back, or stopped",
				 c->valuestring);
			break;
		}
	/* a canary that fails stops it; in the fleet phase, any screen */
	for (size_t i = 0; parts && i < api->n_screens; i++)
		if (parts[i].part == P_FAILED &&
		    (v->phase == R_FLEET || in_list(canaries, api->screens[i].name))) {
			v->phase = R_STOPPED;
			snprintf(v->why, sizeof(v->why), "%s: %s", api->screens[i].name,
				 parts[i].why);
			break;
		}
	free(parts);
}

const struct rollout_mark *api_rollout_mark(const struct api *api, const char *screen,
					    const char *version)
{
	for (size_t i = 0; i < api->rollout_marks_n; i++) {
		const struct rollout_mark *m = &api->rollout_marks[i];
		if (strcmp(m->screen, screen) == 0 && strcmp(m->version, version) == 0)
			return m;
	}
	return NULL;
}

static bool mark_add(struct api *api, const char *screen, const char *version, int64_t at_ms)
{
	if (api->rollout_marks_n == api->rollout_marks_cap) {
		size_t cap = api->rollout_marks_cap ? api->rollout_marks_cap * 2 : 32;
		struct rollout_mark *m = realloc(api->rollout_marks, cap * sizeof(*m));
		if (!m)
			return false;
		api->rollout_marks = m;
		api->rollout_marks_cap = cap;
	}
	struct rollout_mark *m = &api->rollout_marks[api->rollout_marks_n++];
	snprintf(m->screen, sizeof(m->screen), "%s", screen);
	snprintf(m->version, sizeof(m->version), "%s", version);
	m->running_ms = at_ms;
	return true;
}

/* A screen's heartbeat: the first one on a rollout's version is when its
 * health starts to count. */
void api_rollouts_heartbeat(struct api *api, const char *screen, const cJSON *fields,
			    int64_t now_ms)
{
	const char *image = json_util_str(fields, "image");
	const char *update = json_util_str(fields, "update");
	const struct journal_entry *live = live_rollout(api);
	struct rollout_offer *offer = live ? offer_find(api, screen, live->id) : NULL;
	if (offer && offer->at_ms && strcmp(update ? update : "", offer->said) != 0)
		offer->moved = true; /* a failure from now on is about this offer */
	if (!image || !live || api_rollout_mark(api, screen, image))
		return;
	const char *bundle = json_util_str(live->fields, "bundle");
	if (!bundle || strcmp(bundle, image) != 0)
		return;
	struct feed_error e = {{0}};
	if (!store_rollout_running(api->store, screen, image, now_ms, &e)) {
		api_logf(api, "WARN", "rollout: %s's new version was not recorded: %s", screen,
			 e.msg);
		return;
	}
	if (mark_add(api, screen, image, now_ms))
		api_logf(api, "INFO", "rollout of %s: %s runs it", image, screen);
}

/* Stops rollout id by the server's own hand (an undo by "venueboard-server",
 * audited like the desk's), keeping why for GET /v1/rollouts. */
static void stop(struct api *api, int64_t id, int64_t now_ms, const char *why)
{
	struct journal_result r;
	if (journal_undo(api, id, &change_rollout, "venueboard-server", now_ms, &r)) {
		api->rollout_stopped = id;
		snprintf(api->rollout_stop_why, sizeof(api->rollout_stop_why), "%s", why);
	}
}

/* The rollout's phase, logged when it moves (WARN when it stopped or is held). */
static void log_phase(struct api *api, const struct rollout_view *v)
{
	if ((int)v->phase == api->rollout_phase_logged && v->id == api->rollout_logged)
		return;
	api->rollout_phase_logged = (int)v->phase;
	api->rollout_logged = v->id;
	api_logf(api, v->phase == R_STOPPED || v->phase == R_HELD ? "WARN" : "INFO",
		 "rollout %lld of %s: %s%s%s", (long long)v->id, v->bundle, phase_names[v->phase],
		 v->why[0] ? ": " : "", v->why);
}

/* Whether screen should be offered the rollout in its phase. */
static bool rollout_targets(const struct rollout_view *v, const char *screen)
{
	return v->phase == R_FLEET || v->phase == R_DONE ||
	       ((v->phase == R_CANARIES || v->phase == R_HELD) &&
		in_list(cJSON_GetObjectItemCaseSensitive(v->change, "canaries"), screen));
}

static const struct screen_seen *screen_named(const struct api *api, const char *screen)
{
	for (size_t i = 0; i < api->n_screens; i++)
		if (strcmp(api->screens[i].name, screen) == 0)
			return &api->screens[i];
	return NULL;
}

/* The update a screen should take now, into its heartbeat's answer (o),
 * with the rollout's phase logged when it moves. */
void api_rollouts_answer(struct api *api, const char *screen, int64_t now_ms, cJSON *o)
{
	const struct journal_entry *live = live_rollout(api);
	struct rollout_view v;
	if (!live) {
		cJSON_AddNullToObject(o, "update");
		return;
	}
	judge_rollout(api, live, now_ms, &v);
	log_phase(api, &v);
	if (v.phase == R_STOPPED) { /* for good: a screen that recovers does not restart it */
		stop(api, live->id, now_ms, v.why);
		cJSON_AddNullToObject(o, "update");
		return;
	}
	const struct screen_seen *me = screen_named(api, screen);
	struct screen_part p = {0};
	if (me)
		part_of(api, me, v.bundle, v.id, v.started_ms, now_ms, &p);
	struct rollout_offer *offer = offer_get(api, screen, v.id);
	if (p.stale && offer && !offer->stale_logged) { /* once per screen and rollout */
		offer->stale_logged = true;
		api_logf(api, "INFO",
			 "rollout %lld of %s: %s still says '%s' from before; not "
			 "counted against this rollout",
			 (long long)v.id, v.bundle, screen, p.why);
	}
	struct stored_bundle b;
	struct feed_error e = {{0}};
	if (!rollout_targets(&v, screen) || p.part == P_RUNNING ||
	    !store_bundle(api->store, v.bundle, &b, &e)) {
		cJSON_AddNullToObject(o, "update");
		return;
	}
	if (offer && !offer->at_ms) { /* what it says now is from before this offer */
		cJSON *f = me ? screen_fields(me) : NULL;
		const char *said = json_util_str(f, "update");
		snprintf(offer->said, sizeof(offer->said), "%s", said ? said : "");
		offer->at_ms = now_ms;
		cJSON_Delete(f);
	}
	cJSON *u = cJSON_AddObjectToObject(o, "update");
	char url[128];
	snprintf(url, sizeof(url), "/v1/bundles/%s.tar", v.bundle);
	cJSON_AddStringToObject(u, "version", v.bundle);
	cJSON_AddStringToObject(u, "url", url);
	cJSON_AddNumberToObject(u, "size", (double)b.size);
	cJSON_AddStringToObject(u, "sha256", b.sha256);
	cJSON_AddNumberToObject(u, "rollout", (double)live->id);
}

void api_post_rollout(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	const struct config_token *who = c->who;
	cJSON *body = api_body_object(req, res);
	if (!body)
		return;
	const char *bundle = json_util_str(body, "bundle");
	const cJSON *canaries = cJSON_GetObjectItemCaseSensitive(body, "canaries");
	const cJSON *healthy = cJSON_GetObjectItemCaseSensitive(body, "healthy_minutes");
	struct stored_bundle b;
	struct feed_error e = {{0}};
	const cJSON *v;
	cJSON *change = NULL;
	if (!bundle || !name_ok(bundle)) {
		api_fail(res, 400, "bundle: the version of an uploaded bundle is missing");
		goto out;
	}
	if (!cJSON_IsArray(canaries) || cJSON_GetArraySize(canaries) < 1 ||
	    cJSON_GetArraySize(canaries) > 16) {
		api_fail(res, 400, "canaries: a list of 1 to 16 screens that take it first");
		goto out;
	}
	cJSON_ArrayForEach(v, canaries)
		if (!cJSON_IsString(v) || !server_config_screen(api->config, v->valuestring)) {
			api_fail(res, 422, "canaries: '%.64s' is not a screen of the configuration",
				 cJSON_IsString(v) ? v->valuestring : "?");
			goto out;
		}
	if (healthy &&
	    (!cJSON_IsNumber(healthy) || healthy->valuedouble < 1 || healthy->valuedouble > 1440)) {
		api_fail(res, 400,
			 "healthy_minutes: how long the canaries must run well, 1 to 1440");
		goto out;
	}
	if (!store_bundle(api->store, bundle, &b, &e)) {
		api_fail(res, 422, "bundle: no bundle %.64s on the server (upload it first)",
			 bundle);
		goto out;
	}
	const struct journal_entry *live = live_rollout(api);
	struct rollout_view rv;
	if (live) {
		judge_rollout(api, live, req->now_ms, &rv);
		if (rv.phase != R_DONE && rv.phase != R_STOPPED) {
			api_fail(res, 409, "rollout %lld of %s is still going: stop it first",
				 (long long)live->id, rv.bundle);
			goto out;
		}
	}
	change = cJSON_CreateObject();
	cJSON_AddStringToObject(change, "bundle", bundle);
	cJSON_AddItemToObject(change, "canaries", cJSON_Duplicate(canaries, true));
	cJSON_AddNumberToObject(change, "healthy_minutes", healthy ? healthy->valuedouble : 5);
	struct journal_result r;
	journal_add(api, &change_rollout, change, who->name, req->now_ms, &r);
	api_change_reply(res, &r, who);
	if (r.status == 201) {
		snprintf(res->log, sizeof(res->log), "rollout of %s by %s: canaries first (%d)",
			 bundle, who->name, cJSON_GetArraySize(canaries));
	}
out:
	cJSON_Delete(change);
	cJSON_Delete(body);
}

void api_stop_rollout(struct api *api, const struct api_call *c, struct api_response *res)
{
	struct journal_result r;
	journal_undo(api, c->id, &change_rollout, c->who->name, c->req->now_ms, &r);
	api_change_reply(res, &r, c->who);
}

void api_get_rollouts(struct api *api, const struct api_call *c, struct api_response *res)
{
	const struct api_request *req = c->req;
	cJSON *root = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(root, "rollouts");
	const struct journal_entry *x = NULL, *live = live_rollout(api);
	while ((x = journal_next(&api->journal, x, &change_rollout, false))) {
		if (x->bad)
			continue;
		char at[21];
		journal_at(x, at);
		struct rollout_view v;
		judge_rollout(api, x, req->now_ms, &v);
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "id", (double)x->id);
		cJSON_AddStringToObject(o, "bundle", v.bundle);
		cJSON_AddItemToObject(
			o, "canaries",
			cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(v.change, "canaries"),
					true));
		cJSON_AddStringToObject(o, "at", at);
		cJSON_AddStringToObject(o, "who", x->who);
		bool stopped = x->undone;
		bool newest = live && live->id == x->id;
		const char *phase = stopped                        ? "stopped"
				    : !newest && v.phase != R_DONE ? "replaced"
								   : phase_names[v.phase];
		cJSON_AddStringToObject(o, "phase", phase);
		if (stopped)
			cJSON_AddStringToObject(
				o, "why",
				api->rollout_stopped == x->id
					? api->rollout_stop_why
					: "stopped (from the desk, or by the server "
					  "when a screen failed)");
		else if (v.why[0])
			cJSON_AddStringToObject(o, "why", v.why);
		cJSON *screens = cJSON_AddObjectToObject(o, "screens");
		for (size_t i = 0; i < api->n_screens; i++) {
			const struct screen_seen *s = &api->screens[i];
			struct screen_part p;
			part_of(api, s, v.bundle, v.id, v.started_ms, req->now_ms, &p);
			static const char *const parts[] = {"waiting", "updating", "running",
							    "failed"};
			cJSON *sj = cJSON_AddObjectToObject(screens, s->name);
			cJSON_AddStringToObject(sj, "part", parts[p.part]);
			cJSON *f = screen_fields(s);
			const char *image = json_util_str(f, "image"),
				   *slot = json_util_str(f, "slot");
			const char *update = json_util_str(f, "update");
			cJSON_AddItemToObject(sj, "image",
					      image ? cJSON_CreateString(image)
						    : cJSON_CreateNull());
			cJSON_AddItemToObject(sj, "slot",
					      slot ? cJSON_CreateString(slot) : cJSON_CreateNull());
			cJSON_AddItemToObject(sj, "update",
					      update ? cJSON_CreateString(update)
						     : cJSON_CreateNull());
			if (p.running_since_ms) {
				char t[21];
				civil_format_utc(p.running_since_ms / 1000, t);
				cJSON_AddStringToObject(sj, "running_since", t);
			}
			cJSON_Delete(f);
		}
		cJSON_AddItemToArray(list, o);
	}
	api_respond(res, 200, "application/json", cJSON_PrintUnformatted(root));
	cJSON_Delete(root);
	res->cache_control = "no-cache";
}

static void load_mark(void *ctx, const struct stored_rollout_running *r)
{
	struct api *api = ctx;
	if (!api_rollout_mark(api, r->screen, r->version))
		mark_add(api, r->screen, r->version, r->at_ms);
}

bool api_rollouts_load(struct api *api, struct feed_error *e)
{
	api->rollout_phase_logged = -1;
	return store_each_rollout_running(api->store, load_mark, api, e);
}

void api_rollouts_free(struct api *api)
{
	free(api->rollout_marks);
	api->rollout_marks = NULL;
	free(api->rollout_offers);
	api->rollout_offers = NULL;
	api->rollout_offers_n = api->rollout_offers_cap = 0;
	api->rollout_marks_n = api->rollout_marks_cap = 0;
}
