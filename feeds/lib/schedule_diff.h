/* schedule_diff: what an attendee must know between two versions of a
 * schedule — moved, rescheduled, cancelled, added (contracts section 4). */
#ifndef VB_SCHEDULE_DIFF_H
#define VB_SCHEDULE_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct schedule;
struct session;

enum change_kind { CHANGE_MOVED, CHANGE_RESCHEDULED, CHANGE_CANCELLED, CHANGE_ADDED };

/* One change. from/to borrow from the two schedules passed to
 * schedule_diff_compute: keep them alive while the changes are used. */
struct change {
	enum change_kind kind;
	const struct session *from; /* NULL for added */
	const struct session *to;   /* NULL for a session gone from the new feed */
	const char *from_room;      /* room names (not ids), NULL when none */
	const char *to_room;
};

struct schedule_changes {
	struct change *items; /* ordered by the time attendees are affected */
	size_t n;
	size_t matched_by_title; /* pairs found by the no-stable-id fallback */
};

/* Compares old and new (both borrowed). Sessions pair by id; those left over
 * pair by accent-folded title, nearest start first, so feeds whose ids change
 * between exports still diff sensibly. Returns false only on OOM. The caller
 * owns out's items: free with schedule_diff_finish. */
bool schedule_diff_compute(const struct schedule *old, const struct schedule *new_,
			   struct schedule_changes *out);
void schedule_diff_finish(struct schedule_changes *c);

const char *schedule_diff_kind_name(enum change_kind k);

/* Writes the change list as contracts section 4 JSON; caller frees with
 * free(). NULL on OOM. */
char *schedule_diff_write_json(const struct schedule_changes *c);

#endif
