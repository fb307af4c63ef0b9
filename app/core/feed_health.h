/* feed_health: how a feed's failures are said in the log. A feed polled
 * every 30 s that keeps failing the same way must not write the same ERROR
 * 2 900 times a day: the first failure is said in full, then how often it
 * repeated (after 1, 2, 4 … minutes, at most every hour), and once it reads
 * again, after how many failed polls since when. Pure: time comes in. */
#ifndef VB_FEED_HEALTH_H
#define VB_FEED_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FEED_HEALTH_KEY_MAX = 96,         /* the failure's kind, see feed_health_key */
	FEED_HEALTH_FIRST_GAP_MS = 60000, /* the first summary after a minute... */
	FEED_HEALTH_MAX_GAP_MS = 3600000, /* ...doubling up to an hour */
	/* kinds said in full per FEED_HEALTH_FIRST_GAP_MS: past them another
	 * kind is counted with the streak (a source that changes its failure
	 * every time must not write a line each time) */
	FEED_HEALTH_KINDS_MAX = 3,
};

/* One feed's failing streak; zero it (or feed_health_init) to start. */
struct feed_health {
	bool failing;
	char key[FEED_HEALTH_KEY_MAX];
	int64_t since_ms;  /* the streak's first failure */
	unsigned failures; /* failed polls in the streak */
	unsigned unsaid;   /* failures since the last line about them */
	int64_t said_ms;   /* when the last line about them was written */
	int64_t gap_ms;    /* the wait before the next summary */
	int64_t kinds_ms;  /* kinds said in full since then... */
	unsigned kinds;    /* ...this many */
	bool mixed;        /* the unsaid failures are of several kinds */
};

enum feed_health_say {
	FEED_HEALTH_QUIET,     /* nothing to write */
	FEED_HEALTH_FIRST,     /* write the failure in full (new, or another kind) */
	FEED_HEALTH_SUMMARY,   /* write "the same failure N more times in the last M min"
				  ("N more failures of several kinds" when mixed) */
	FEED_HEALTH_RECOVERED, /* write "reads again after N failed polls since HH:MM" */
};

/* What feed_health_failed / feed_health_ok ask the caller to write. */
struct feed_health_line {
	enum feed_health_say say;
	unsigned count;   /* SUMMARY: repeats since the last line; RECOVERED: failed polls */
	int64_t span_ms;  /* SUMMARY: the time those repeats cover */
	int64_t since_ms; /* RECOVERED (and FIRST): when the streak began */
	bool mixed;       /* SUMMARY, FIRST's count: of several kinds */
};

void feed_health_init(struct feed_health *h);

/* The failure's kind, for telling "the same failure" from another: msg
 * with quoted parts ('…', "…", `…`) and numbers dropped, spaces folded,
 * cut at its first 8 words (line and column, byte counts, the character
 * found do not make another failure). Writes at most cap bytes. */
void feed_health_key(const char *msg, char *out, size_t cap);

/* A failed poll at now_ms with message msg (borrowed). A failure of another
 * kind than the streak's is FIRST again (the repeats of the old one are then
 * in .count, to be said before it), at most FEED_HEALTH_KINDS_MAX times a
 * minute; past that it is counted as a repeat (mixed). */
struct feed_health_line feed_health_failed(struct feed_health *h, const char *msg, int64_t now_ms);

/* A poll that read: RECOVERED when it ends a streak, else QUIET. */
struct feed_health_line feed_health_ok(struct feed_health *h, int64_t now_ms);

#endif
