/* clusters.h — grapheme clusters too long for one cell's code point (a base
 * character plus combining marks, emoji sequences). A screen owns one
 * table; cells with CELL_CLUSTER hold an id in it. Ids are interned (the
 * same text gives the same id) and the table is bounded: when it is full
 * the owner calls clusters_collect() with the ids still in use. */
#ifndef RMUX_TERM_CLUSTERS_H
#define RMUX_TERM_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

#include "term/cell.h"

#define CLUSTER_MAX_BYTES 32 /* longer clusters are cut at a character boundary */

struct clusters;

struct clusters *clusters_create(void);
void clusters_free(struct clusters *c);
/* Intern UTF8 (LEN bytes); returns its id, or UINT32_MAX when the table is
 * full (the caller then collects and retries, or keeps the base only). */
uint32_t clusters_add(struct clusters *c, const char *utf8, size_t len);
/* The text of ID (not NUL-terminated), or NULL for an unknown id. */
const char *clusters_get(const struct clusters *c, uint32_t id, size_t *len);
int clusters_full(const struct clusters *c);
/* Forget every id for which IN_USE[id / 8] bit (id % 8) is clear. The
 * bitmap has clusters_capacity() bits. */
void clusters_collect(struct clusters *c, const uint8_t *in_use);
size_t clusters_capacity(const struct clusters *c);

/* The UTF-8 text of a cell into OUT (at least CLUSTER_MAX_BYTES bytes);
 * returns its length: 0 for a wide character's tail. */
size_t cell_utf8(const struct cell *cell, const struct clusters *c, char *out);

#endif
