/* mirror.c — the client's history mirror (see mirror.h): per pane a ring
 * of rows indexed by line number modulo its capacity. The lines held span
 * at most the limit, so each line of the window has its own slot; the
 * ring grows by doubling up to the limit as the span widens. */
#include "client/mirror.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"

#define MIRROR_CAP_START 64u

struct mirror_slot {
	uint64_t line;
	struct view_row *row; /* NULL: empty */
	int wrapped;
};

struct mirror_pane {
	uint32_t id;
	uint32_t gen;
	struct mirror_slot *slot;
	size_t cap;
	size_t count;
	uint64_t lo, hi; /* lowest and highest held, when count > 0 */
};

struct mirror {
	unsigned limit;
	struct mirror_pane *pane;
	size_t npanes;
};

struct mirror *mirror_create(unsigned limit)
{
	struct mirror *m = xcalloc(1, sizeof *m);

	m->limit = limit;
	return m;
}

static void mirror_pane_clear(struct mirror_pane *p)
{
	for (size_t i = 0; i < p->cap; i++) {
		if (p->slot[i].row != NULL)
			view_row_unref(p->slot[i].row);
		p->slot[i].row = NULL;
	}
	p->count = 0;
}

static void mirror_pane_free(struct mirror_pane *p)
{
	mirror_pane_clear(p);
	free(p->slot);
	p->slot = NULL;
	p->cap = 0;
}

void mirror_free(struct mirror *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->npanes; i++)
		mirror_pane_free(&m->pane[i]);
	free(m->pane);
	free(m);
}

static struct mirror_pane *mirror_find(const struct mirror *m, uint32_t id)
{
	for (size_t i = 0; i < m->npanes; i++) {
		if (m->pane[i].id == id)
			return &m->pane[i];
	}
	return NULL;
}

static struct mirror_slot *mirror_slot(const struct mirror_pane *p, uint64_t line)
{
	struct mirror_slot *s;

	if (p->cap == 0)
		return NULL;
	s = &p->slot[line % p->cap];
	if (s->row == NULL || s->line != line)
		return NULL;
	return s;
}

/* Move the ring to capacity CAP (at least the span held). */
static void mirror_pane_resize(struct mirror_pane *p, size_t cap)
{
	struct mirror_slot *slot = xcalloc(cap, sizeof *slot);

	for (size_t i = 0; i < p->cap; i++) {
		if (p->slot[i].row != NULL)
			slot[p->slot[i].line % cap] = p->slot[i];
	}
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
}

/* Drop the lowest line held. */
static void mirror_pane_drop_lowest(struct mirror_pane *p)
{
	struct mirror_slot *s = mirror_slot(p, p->lo);

	if (s != NULL) {
		view_row_unref(s->row);
		s->row = NULL;
		p->count--;
	}
	if (p->count == 0)
		return;
	do
		p->lo++;
	while (mirror_slot(p, p->lo) == NULL);
}

/* Drop lines until the span held is under LIMIT. */
static void mirror_pane_trim(struct mirror_pane *p, unsigned limit)
{
	while (p->count > 0 && p->hi - p->lo >= limit)
		mirror_pane_drop_lowest(p);
}

void mirror_set_limit(struct mirror *m, unsigned limit)
{
	m->limit = limit;
	if (limit == 0) {
		for (size_t i = 0; i < m->npanes; i++)
			mirror_pane_free(&m->pane[i]);
		free(m->pane);
		m->pane = NULL;
		m->npanes = 0;
		return;
	}
	for (size_t i = 0; i < m->npanes; i++) {
		struct mirror_pane *p = &m->pane[i];

		mirror_pane_trim(p, limit);
		if (p->cap > limit)
			mirror_pane_resize(p, limit);
	}
}

unsigned mirror_limit(const struct mirror *m)
{
	return m->limit;
}

void mirror_add(struct mirror *m, uint32_t pane, uint32_t gen, uint64_t line,
    struct view_row *row, int wrapped)
{
	struct mirror_pane *p;
	struct mirror_slot *s;
	uint64_t lo, hi;

	if (m->limit == 0 || row == NULL) {
		if (row != NULL)
			view_row_unref(row);
		return;
	}
	p = mirror_find(m, pane);
	if (p == NULL) {
		m->pane = xreallocarray(m->pane, m->npanes + 1, sizeof *m->pane);
		p = &m->pane[m->npanes++];
		memset(p, 0, sizeof *p);
		p->id = pane;
		p->gen = gen;
	}
	if (p->gen != gen) {
		mirror_pane_clear(p);
		p->gen = gen;
	}
	if (p->count > 0) {
		if (line < p->hi && p->hi - line >= m->limit) {
			view_row_unref(row); /* too far below the newest */
			return;
		}
		if ((s = mirror_slot(p, line)) != NULL) {
			view_row_unref(s->row);
			s->row = row;
			s->wrapped = wrapped != 0;
			return;
		}
		if (line > p->hi) {
			if (line - p->hi >= m->limit)
				mirror_pane_clear(p);
			else {
				while (p->count > 0 && line - p->lo >= m->limit)
					mirror_pane_drop_lowest(p);
			}
		}
	}
	if (p->count == 0) {
		lo = hi = line;
	} else {
		lo = RMUX_MIN(p->lo, line);
		hi = RMUX_MAX(p->hi, line);
	}
	if (hi - lo + 1 > p->cap) {
		size_t cap = p->cap == 0 ? MIRROR_CAP_START : p->cap * 2;

		if (cap < hi - lo + 1)
			cap = hi - lo + 1;
		if (cap > m->limit)
			cap = m->limit;
		mirror_pane_resize(p, cap);
	}
	s = &p->slot[line % p->cap];
	s->line = line;
	s->row = row;
	s->wrapped = wrapped != 0;
	p->count++;
	p->lo = lo;
	p->hi = hi;
}

const struct view_row *mirror_get(const struct mirror *m, uint32_t pane, uint32_t gen,
    uint64_t line, int *wrapped)
{
	const struct mirror_pane *p = mirror_find(m, pane);
	const struct mirror_slot *s;

	if (p == NULL || p->gen != gen || p->count == 0)
		return NULL;
	if (line < p->lo || line > p->hi)
		return NULL;
	if ((s = mirror_slot(p, line)) == NULL)
		return NULL;
	if (wrapped != NULL)
		*wrapped = s->wrapped;
	return s->row;
}

size_t mirror_count(const struct mirror *m, uint32_t pane)
{
	const struct mirror_pane *p = mirror_find(m, pane);

	return p == NULL ? 0 : p->count;
}

int mirror_range(const struct mirror *m, uint32_t pane, uint32_t *gen, uint64_t *lowest,
    uint64_t *highest)
{
	const struct mirror_pane *p = mirror_find(m, pane);

	if (p == NULL || p->count == 0)
		return 0;
	if (gen != NULL)
		*gen = p->gen;
	if (lowest != NULL)
		*lowest = p->lo;
	if (highest != NULL)
		*highest = p->hi;
	return 1;
}

void mirror_drop_pane(struct mirror *m, uint32_t pane)
{
	struct mirror_pane *p = mirror_find(m, pane);
	size_t i;

	if (p == NULL)
		return;
	i = (size_t)(p - m->pane);
	mirror_pane_free(p);
	memmove(&m->pane[i], &m->pane[i + 1], (m->npanes - i - 1) * sizeof *m->pane);
	m->npanes--;
}

void mirror_keep_only(struct mirror *m, const uint32_t *panes, size_t n)
{
	size_t i = 0;

	while (i < m->npanes) {
		int keep = 0;

		for (size_t j = 0; j < n; j++) {
			if (panes[j] == m->pane[i].id) {
				keep = 1;
				break;
			}
		}
		if (keep)
			i++;
		else
			mirror_drop_pane(m, m->pane[i].id);
	}
}

size_t mirror_panes(const struct mirror *m, uint32_t *out, size_t max)
{
	for (size_t i = 0; i < m->npanes && i < max; i++)
		out[i] = m->pane[i].id;
	return m->npanes;
}
