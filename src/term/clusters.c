/* clusters.c — the intern table of grapheme clusters (see clusters.h).
 * Entries live in an array indexed by id that grows by doubling up to
 * CLUSTERS_MAX; an open-addressing hash of ids finds existing text. Freed
 * ids are reused lowest first so ids stay small. */
#include "term/clusters.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "term/utf8.h"

#define CLUSTERS_MAX 8192u    /* ids 0 .. CLUSTERS_MAX-1 */
#define CLUSTERS_INITIAL 64u
#define CLUSTERS_EMPTY UINT32_MAX

struct cluster_entry {
	uint8_t len; /* 0: free */
	char text[CLUSTER_MAX_BYTES];
};

struct clusters {
	struct cluster_entry *entry;
	uint32_t cap;      /* entries allocated */
	uint32_t used;     /* entries with len != 0 */
	uint32_t next;     /* lowest id that may be free */
	uint32_t *hash;    /* hash_size slots of ids or CLUSTERS_EMPTY */
	uint32_t hash_size; /* power of two, at least 2 * cap */
};

static uint32_t clusters_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

static void clusters_rehash(struct clusters *c)
{
	for (uint32_t i = 0; i < c->hash_size; i++)
		c->hash[i] = CLUSTERS_EMPTY;
	for (uint32_t id = 0; id < c->cap; id++) {
		const struct cluster_entry *e = &c->entry[id];
		if (e->len == 0)
			continue;
		uint32_t slot = clusters_hash(e->text, e->len) & (c->hash_size - 1);
		while (c->hash[slot] != CLUSTERS_EMPTY)
			slot = (slot + 1) & (c->hash_size - 1);
		c->hash[slot] = id;
	}
}

static void clusters_grow(struct clusters *c, uint32_t cap)
{
	c->entry = xreallocarray(c->entry, cap, sizeof *c->entry);
	memset(c->entry + c->cap, 0, (size_t)(cap - c->cap) * sizeof *c->entry);
	c->cap = cap;
	c->hash_size = cap * 2;
	c->hash = xreallocarray(c->hash, c->hash_size, sizeof *c->hash);
	clusters_rehash(c);
}

struct clusters *clusters_create(void)
{
	struct clusters *c = xcalloc(1, sizeof *c);

	clusters_grow(c, CLUSTERS_INITIAL);
	return c;
}

void clusters_free(struct clusters *c)
{
	if (c == NULL)
		return;
	free(c->entry);
	free(c->hash);
	free(c);
}

/* Cut LEN to at most CLUSTER_MAX_BYTES without splitting a character. */
static size_t clusters_cut(const char *utf8, size_t len)
{
	if (len <= CLUSTER_MAX_BYTES)
		return len;
	len = CLUSTER_MAX_BYTES;
	while (len > 0 && ((uint8_t)utf8[len] & 0xc0u) == 0x80u)
		len--;
	return len;
}

uint32_t clusters_add(struct clusters *c, const char *utf8, size_t len)
{
	len = clusters_cut(utf8, len);
	if (len == 0)
		return UINT32_MAX;

	uint32_t slot = clusters_hash(utf8, len) & (c->hash_size - 1);
	while (c->hash[slot] != CLUSTERS_EMPTY) {
		const struct cluster_entry *e = &c->entry[c->hash[slot]];
		if (e->len == len && memcmp(e->text, utf8, len) == 0)
			return c->hash[slot];
		slot = (slot + 1) & (c->hash_size - 1);
	}

	if (c->used == c->cap) {
		if (c->cap == CLUSTERS_MAX)
			return UINT32_MAX;
		clusters_grow(c, c->cap * 2);
		/* The slot found above belonged to the old hash. */
		slot = clusters_hash(utf8, len) & (c->hash_size - 1);
		while (c->hash[slot] != CLUSTERS_EMPTY)
			slot = (slot + 1) & (c->hash_size - 1);
	}
	uint32_t id = c->next;
	while (c->entry[id].len != 0)
		id++;
	c->next = id + 1;
	c->entry[id].len = (uint8_t)len;
	memcpy(c->entry[id].text, utf8, len);
	c->used++;
	c->hash[slot] = id;
	return id;
}

const char *clusters_get(const struct clusters *c, uint32_t id, size_t *len)
{
	if (c == NULL || id >= c->cap || c->entry[id].len == 0) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = c->entry[id].len;
	return c->entry[id].text;
}

int clusters_full(const struct clusters *c)
{
	return c->used >= CLUSTERS_MAX;
}

size_t clusters_capacity(const struct clusters *c)
{
	(void)c;
	return CLUSTERS_MAX;
}

void clusters_collect(struct clusters *c, const uint8_t *in_use)
{
	for (uint32_t id = 0; id < c->cap; id++) {
		if (c->entry[id].len == 0 || (in_use[id / 8] & (1u << (id % 8))))
			continue;
		c->entry[id].len = 0;
		c->used--;
		if (id < c->next)
			c->next = id;
	}
	clusters_rehash(c);
}

size_t cell_utf8(const struct cell *cell, const struct clusters *c, char *out)
{
	if (cell->attr & CELL_WIDE_TAIL)
		return 0;
	if (cell->attr & CELL_CLUSTER) {
		size_t len;
		const char *text = clusters_get(c, cell->ch, &len);
		if (text == NULL) {
			out[0] = ' ';
			return 1;
		}
		memcpy(out, text, len);
		return len;
	}
	return utf8_encode(cell->ch, out);
}
