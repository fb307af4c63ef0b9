/* arena: chained blocks; allocations never move, so pointers stay valid until
 * arena_destroy. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_BLOCK = 64 * 1024 };

struct block {
	struct block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t limit, total;
};

struct arena *arena_create(size_t limit)
{
	struct arena *a = calloc(1, sizeof(*a));
	if (a)
		a->limit = limit;
	return a;
}

void arena_destroy(struct arena *a)
{
	if (!a)
		return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t len)
{
	const size_t align = alignof(max_align_t);
	if (len > SIZE_MAX / 2)
		return NULL;
	len = (len + align - 1) & ~(align - 1);
	if (len == 0)
		len = align;
	if (a->total + len > a->limit)
		return NULL;
	struct block *b = a->head;
	if (!b || b->size - b->used < len) {
		size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += len;
	a->total += len;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
