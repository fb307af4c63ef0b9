/* arena: bump allocator that owns every string of a parsed schedule, so a
 * parser can bail out anywhere and one free releases it all. */
#ifndef VB_ARENA_H
#define VB_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Returns a new arena (caller owns; free with arena_destroy), NULL on OOM.
 * limit caps the total bytes handed out; allocations past it fail. */
struct arena *arena_create(size_t limit);
void arena_destroy(struct arena *a);

/* Returns len bytes aligned for any type, owned by the arena; NULL when out of
 * memory or past the arena's limit. */
void *arena_alloc(struct arena *a, size_t len);

/* Copies s[0..len) plus a NUL into the arena; NULL as arena_alloc. */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Bytes handed out so far (for benchmarks and caps). */
size_t arena_used(const struct arena *a);

#endif
