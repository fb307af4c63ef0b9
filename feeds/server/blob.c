/* blob: a counted reference to bytes that never change. */
#include "blob.h"

#include <stdlib.h>

struct blob *blob_wrap(char *data, size_t len)
{
	struct blob *b = data ? calloc(1, sizeof(*b)) : NULL;
	if (!b) {
		free(data);
		return NULL;
	}
	b->refs = 1;
	b->data = data;
	b->len = len;
	return b;
}

struct blob *blob_ref(struct blob *b)
{
	b->refs++;
	return b;
}

void blob_unref(struct blob *b)
{
	if (!b || --b->refs > 0)
		return;
	free(b->data);
	free(b->gz);
	free(b);
}
