/* sorted.h — arrays kept sorted by a key: where a key is or would go, and
 * opening or closing a slot there. The environments and the key tables
 * are such arrays; their lists are short, so moving elements to insert is
 * cheap enough. */
#ifndef RMUX_COMMON_SORTED_H
#define RMUX_COMMON_SORTED_H

#include <stddef.h>

/* The index of the element of BASE (N elements of SIZE bytes, ascending
 * by CMP) that equals KEY, or the index where KEY would go; *FOUND says
 * which. CMP tells how KEY orders against an element: negative, zero or
 * positive. */
size_t sorted_find(const void *base, size_t n, size_t size, const void *key,
    int (*cmp)(const void *, const void *), int *found);

/* Open a slot at I (<= *N) in BASE, an array of *N elements of SIZE bytes
 * with room for *CAP, growing it (dies on exhaustion); the slot is left
 * for the caller to fill. Returns the array, which may have moved. */
void *sorted_insert(void *base, size_t *n, size_t *cap, size_t size, size_t i);

/* Close the slot at I (< *N): the elements after it move down. */
void sorted_remove(void *base, size_t *n, size_t size, size_t i);

#endif
