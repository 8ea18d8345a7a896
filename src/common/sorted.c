/* sorted.c — sorted arrays (see sorted.h): a binary search and the moves
 * that keep the order on insert and remove. */
#include "common/sorted.h"

#include <string.h>

#include "common/xmalloc.h"

size_t sorted_find(const void *base, size_t n, size_t size, const void *key,
    int (*cmp)(const void *, const void *), int *found)
{
	const unsigned char *p = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(key, p + mid * size);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

void *sorted_insert(void *base, size_t *n, size_t *cap, size_t size, size_t i)
{
	unsigned char *p;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		base = xreallocarray(base, *cap, size);
	}
	p = base;
	memmove(p + (i + 1) * size, p + i * size, (*n - i) * size);
	(*n)++;
	return base;
}

void sorted_remove(void *base, size_t *n, size_t size, size_t i)
{
	unsigned char *p = base;

	memmove(p + i * size, p + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}
