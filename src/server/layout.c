/* layout.c — the layout tree of one window (see layout.h). Every rule here
 * (how a split divides, where a closed pane's space goes, how a window
 * resize is spread one cell at a time, the preset shapes, the layout
 * string and its checksum) reproduces tmux 3.3a, checked against it. */
#include "server/layout.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* Deepest tree a layout string may describe. */
#define LAYOUT_MAX_DEPTH 64

struct cell {
	int type; /* LAYOUT_LEFTRIGHT, LAYOUT_TOPBOTTOM, LAYOUT_WINDOWPANE */
	struct cell *parent;
	struct cell *first, *last; /* children of a node */
	struct cell *prev, *next;  /* siblings */
	unsigned sx, sy, xoff, yoff;
	int pane; /* leaf: the pane id; -1 for nodes and unassigned leaves */
};

struct layout {
	struct cell *root;
	struct cell *saved; /* the real tree while a pane is zoomed */
	int zoomed;         /* pane id, or -1 */
	unsigned sx, sy;    /* the window size */
	int *panes;         /* pane ids in window order */
	size_t npanes;
};

static struct cell *cell_create(struct cell *parent)
{
	struct cell *c = xcalloc(1, sizeof *c);

	c->type = LAYOUT_WINDOWPANE;
	c->parent = parent;
	c->pane = -1;
	return c;
}

static void cell_free(struct cell *c)
{
	if (c == NULL)
		return;
	struct cell *ch = c->first;
	while (ch != NULL) {
		struct cell *next = ch->next;
		cell_free(ch);
		ch = next;
	}
	free(c);
}

static void cell_set_size(struct cell *c, unsigned sx, unsigned sy, unsigned xoff, unsigned yoff)
{
	c->sx = sx;
	c->sy = sy;
	c->xoff = xoff;
	c->yoff = yoff;
}

static void cell_insert_after(struct cell *parent, struct cell *after, struct cell *c)
{
	c->parent = parent;
	c->prev = after;
	c->next = after != NULL ? after->next : parent->first;
	if (c->next != NULL)
		c->next->prev = c;
	else
		parent->last = c;
	if (after != NULL)
		after->next = c;
	else
		parent->first = c;
}

static void cell_insert_head(struct cell *parent, struct cell *c)
{
	cell_insert_after(parent, NULL, c);
}

static void cell_insert_tail(struct cell *parent, struct cell *c)
{
	cell_insert_after(parent, parent->last, c);
}

static void cell_unlink(struct cell *c)
{
	struct cell *parent = c->parent;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		parent->first = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		parent->last = c->prev;
	c->prev = c->next = NULL;
}

/* Put NEW where OLD is in OLD's parent. */
static void cell_replace(struct cell *old, struct cell *new)
{
	struct cell *parent = old->parent;

	new->parent = parent;
	new->prev = old->prev;
	new->next = old->next;
	if (new->prev != NULL)
		new->prev->next = new;
	else
		parent->first = new;
	if (new->next != NULL)
		new->next->prev = new;
	else
		parent->last = new;
	old->prev = old->next = NULL;
}

static struct cell *cell_find(const struct cell *c, int pane)
{
	if (c == NULL)
		return NULL;
	if (c->type == LAYOUT_WINDOWPANE)
		return c->pane == pane ? (struct cell *)c : NULL;
	for (struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		struct cell *found = cell_find(ch, pane);
		if (found != NULL)
			return found;
	}
	return NULL;
}

static unsigned cell_size(const struct cell *c, int type)
{
	return type == LAYOUT_LEFTRIGHT ? c->sx : c->sy;
}

static void fix_offsets1(struct cell *c)
{
	unsigned off = c->type == LAYOUT_LEFTRIGHT ? c->xoff : c->yoff;

	for (struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		if (c->type == LAYOUT_LEFTRIGHT) {
			ch->xoff = off;
			ch->yoff = c->yoff;
			off += ch->sx + 1;
		} else {
			ch->xoff = c->xoff;
			ch->yoff = off;
			off += ch->sy + 1;
		}
		if (ch->type != LAYOUT_WINDOWPANE)
			fix_offsets1(ch);
	}
}

static void fix_offsets(struct cell *root)
{
	root->xoff = 0;
	root->yoff = 0;
	fix_offsets1(root);
}

/* How far C can shrink in TYPE's direction. */
static unsigned resize_check(const struct cell *c, int type)
{
	unsigned available, minimum;

	if (c->type == LAYOUT_WINDOWPANE) {
		available = cell_size(c, type);
		return available > LAYOUT_PANE_MINIMUM ? available - LAYOUT_PANE_MINIMUM : 0;
	}
	if (c->type == type) {
		available = 0;
		for (const struct cell *ch = c->first; ch != NULL; ch = ch->next)
			available += resize_check(ch, type);
		return available;
	}
	minimum = UINT_MAX;
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		available = resize_check(ch, type);
		if (available < minimum)
			minimum = available;
	}
	return minimum;
}

/* Grow or shrink C by CHANGE; children in the same direction take it one
 * cell each in turn, which is tmux's (not strictly proportional) rule. */
static void resize_adjust(struct cell *c, int type, int change)
{
	if (type == LAYOUT_LEFTRIGHT)
		c->sx += (unsigned)change;
	else
		c->sy += (unsigned)change;
	if (c->type == LAYOUT_WINDOWPANE)
		return;
	if (c->type != type) {
		for (struct cell *ch = c->first; ch != NULL; ch = ch->next)
			resize_adjust(ch, type, change);
		return;
	}
	while (change != 0) {
		int progress = 0;
		for (struct cell *ch = c->first; ch != NULL && change != 0; ch = ch->next) {
			if (change > 0) {
				resize_adjust(ch, type, 1);
				change--;
				progress = 1;
			} else if (resize_check(ch, type) > 0) {
				resize_adjust(ch, type, -1);
				change++;
				progress = 1;
			}
		}
		if (!progress) /* callers never ask for more than resize_check */
			break;
	}
}

/* C's new size when its parent of SIZE (PREVIOUS before) is re-divided:
 * proportional, but leaving room for the COUNT_LEFT - 1 cells after it. */
static unsigned new_pane_size(const struct cell *c, unsigned previous, int type, unsigned size,
    unsigned count_left, unsigned size_left)
{
	unsigned new_size, min, max, available, own = cell_size(c, type);

	if (count_left == 1)
		return size_left;
	available = resize_check(c, type);
	min = (LAYOUT_PANE_MINIMUM + 1) * (count_left - 1);
	if (own - available > min)
		min = own - available;
	new_size = previous ? (unsigned)((unsigned long long)own * size / previous) : 0;
	max = size_left > min ? size_left - min : 0;
	if (new_size > max)
		new_size = max;
	if (new_size < LAYOUT_PANE_MINIMUM)
		new_size = LAYOUT_PANE_MINIMUM;
	return new_size;
}

/* Resize the children of C to fill C: used after C's own size changed. */
static void resize_child_cells(struct cell *c)
{
	unsigned previous = 0, count = 0, idx = 0, available;

	if (c->type == LAYOUT_WINDOWPANE)
		return;
	for (struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		count++;
		previous += cell_size(ch, c->type);
	}
	previous += count - 1;
	available = cell_size(c, c->type);
	for (struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		if (c->type == LAYOUT_TOPBOTTOM) {
			ch->sx = c->sx;
			ch->xoff = c->xoff;
			ch->sy = new_pane_size(ch, previous, c->type, c->sy, count - idx, available);
			available -= RMUX_MIN(available, ch->sy + 1);
		} else {
			ch->sx = new_pane_size(ch, previous, c->type, c->sx, count - idx, available);
			available -= RMUX_MIN(available, ch->sx + 1);
			ch->sy = c->sy;
		}
		resize_child_cells(ch);
		idx++;
	}
}

/* The pane order ------------------------------------------------------- */

static void order_insert(struct layout *l, size_t at, int pane)
{
	l->panes = xreallocarray(l->panes, l->npanes + 1, sizeof *l->panes);
	memmove(l->panes + at + 1, l->panes + at, (l->npanes - at) * sizeof *l->panes);
	l->panes[at] = pane;
	l->npanes++;
}

static void order_remove(struct layout *l, size_t at)
{
	memmove(l->panes + at, l->panes + at + 1, (l->npanes - at - 1) * sizeof *l->panes);
	l->npanes--;
}

struct layout *layout_create(unsigned sx, unsigned sy, int pane)
{
	struct layout *l = xcalloc(1, sizeof *l);

	l->sx = sx;
	l->sy = sy;
	l->zoomed = -1;
	l->root = cell_create(NULL);
	cell_set_size(l->root, sx, sy, 0, 0);
	l->root->pane = pane;
	order_insert(l, 0, pane);
	return l;
}

void layout_free(struct layout *l)
{
	if (l == NULL)
		return;
	cell_free(l->root);
	cell_free(l->saved);
	free(l->panes);
	free(l);
}

void layout_window_size(const struct layout *l, unsigned *sx, unsigned *sy)
{
	*sx = l->sx;
	*sy = l->sy;
}

size_t layout_count(const struct layout *l)
{
	return l->npanes;
}

int layout_pane_at(const struct layout *l, size_t index)
{
	return index < l->npanes ? l->panes[index] : -1;
}

int layout_index_of(const struct layout *l, int pane)
{
	for (size_t i = 0; i < l->npanes; i++) {
		if (l->panes[i] == pane)
			return (int)i;
	}
	return -1;
}

int layout_geometry(const struct layout *l, int pane, struct layout_geom *g)
{
	const struct cell *c = cell_find(l->root, pane);
	int hidden = 0;

	if (c == NULL && l->saved != NULL) {
		c = cell_find(l->saved, pane);
		hidden = 1;
	}
	if (c == NULL)
		return -1;
	g->x = c->xoff;
	g->y = c->yoff;
	g->sx = c->sx;
	g->sy = c->sy;
	return hidden;
}

/* Zoom ---------------------------------------------------------------- */

int layout_zoomed(const struct layout *l)
{
	return l->zoomed;
}

int layout_zoom(struct layout *l, int pane)
{
	if (l->zoomed == pane)
		return 0;
	layout_unzoom(l);
	if (l->npanes < 2 || cell_find(l->root, pane) == NULL)
		return -1;
	l->saved = l->root;
	l->root = cell_create(NULL);
	cell_set_size(l->root, l->sx, l->sy, 0, 0);
	l->root->pane = pane;
	l->zoomed = pane;
	return 0;
}

void layout_unzoom(struct layout *l)
{
	if (l->zoomed < 0)
		return;
	cell_free(l->root);
	l->root = l->saved;
	l->saved = NULL;
	l->zoomed = -1;
}

/* Split --------------------------------------------------------------- */

unsigned layout_split_base(const struct layout *l, int pane, int type, int flags)
{
	const struct cell *root = l->zoomed >= 0 ? l->saved : l->root;
	const struct cell *c = (flags & LAYOUT_SPLIT_FULLSIZE) ? root : cell_find(root, pane);

	return c != NULL ? cell_size(c, type) : 0;
}

int layout_parse_size(const char *s, unsigned base, int *out, const char **cause)
{
	char *end;
	size_t len = strlen(s);
	int percent = len > 0 && s[len - 1] == '%';
	long long max = percent ? 100 : INT_MAX;

	if (len == 0 || isspace((unsigned char)s[0]))
		goto invalid;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || (size_t)(end - s) != len - (percent ? 1 : 0))
		goto invalid;
	if (errno == ERANGE && v < 0) {
		*cause = "too small";
		return -1;
	}
	if (errno == ERANGE) {
		*cause = "too large";
		return -1;
	}
	if (v < 0) {
		*cause = "too small";
		return -1;
	}
	if (v > max) {
		*cause = "too large";
		return -1;
	}
	*out = percent ? (int)((long long)base * v / 100) : (int)v;
	return 0;
invalid:
	*cause = "invalid";
	return -1;
}

/* Would C fit in SIZE cells in TYPE's direction (full-size splits)? */
static int set_size_check(const struct cell *c, int type, int size)
{
	unsigned available, previous, count = 0, idx = 0, new_size;

	if (c->type == LAYOUT_WINDOWPANE)
		return size >= (int)LAYOUT_PANE_MINIMUM;
	if (size < 0)
		return 0;
	available = (unsigned)size;
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next)
		count++;
	if (c->type != type) {
		for (const struct cell *ch = c->first; ch != NULL; ch = ch->next) {
			if (ch->type != LAYOUT_WINDOWPANE && !set_size_check(ch, type, size))
				return 0;
		}
		return 1;
	}
	if (available < count * 2 - 1)
		return 0;
	previous = cell_size(c, type);
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		new_size = new_pane_size(ch, previous, type, (unsigned)size, count - idx, available);
		if (idx == count - 1) {
			if (new_size > available)
				return 0;
			available -= new_size;
		} else {
			if (new_size + 1 > available)
				return 0;
			available -= new_size + 1;
		}
		if (!set_size_check(ch, type, (int)new_size))
			return 0;
		idx++;
	}
	return 1;
}

int layout_split(struct layout *l, int pane, int type, int size, int flags, int new_pane)
{
	struct cell *lc, *lcparent, *lcnew, *lc1, *lc2;
	unsigned sx, sy, xoff, yoff, size1, size2, saved_size, new_size;
	int full = (flags & LAYOUT_SPLIT_FULLSIZE) != 0;
	int before = (flags & LAYOUT_SPLIT_BEFORE) != 0;
	int resize_first = 0;
	int at = layout_index_of(l, pane);

	if (at < 0 || layout_index_of(l, new_pane) >= 0)
		return -1;
	layout_unzoom(l);
	lc = full ? l->root : cell_find(l->root, pane);
	sx = lc->sx;
	sy = lc->sy;
	xoff = lc->xoff;
	yoff = lc->yoff;
	saved_size = type == LAYOUT_LEFTRIGHT ? sx : sy;
	if (saved_size < LAYOUT_PANE_MINIMUM * 2 + 1)
		return -1;

	if (size < 0)
		size2 = ((saved_size + 1) / 2) - 1;
	else if (before)
		/* tmux computes this unsigned: too big a size wraps and is then
		 * clamped, leaving the new pane the smallest. */
		size2 = (unsigned)size + 1 > saved_size ? UINT_MAX : saved_size - (unsigned)size - 1;
	else
		size2 = (unsigned)size;
	if (size2 < LAYOUT_PANE_MINIMUM)
		size2 = LAYOUT_PANE_MINIMUM;
	else if (size2 > saved_size - 2)
		size2 = saved_size - 2;
	size1 = saved_size - 1 - size2;
	new_size = before ? size2 : size1;

	if (full && !set_size_check(lc, type, (int)new_size))
		return -1;

	if (lc->parent != NULL && lc->parent->type == type) {
		lcparent = lc->parent;
		lcnew = cell_create(lcparent);
		cell_insert_after(lcparent, before ? lc->prev : lc, lcnew);
	} else if (full && lc->parent == NULL && lc->type == type) {
		/* Full size in the root's own direction: squeeze the existing
		 * children and add the new cell beside them. */
		if (type == LAYOUT_LEFTRIGHT)
			lc->sx = new_size;
		else
			lc->sy = new_size;
		resize_child_cells(lc);
		if (type == LAYOUT_LEFTRIGHT)
			lc->sx = saved_size;
		else
			lc->sy = saved_size;
		resize_first = 1;
		lcnew = cell_create(lc);
		unsigned other = saved_size - 1 - new_size;
		if (type == LAYOUT_LEFTRIGHT)
			cell_set_size(lcnew, other, sy, 0, 0);
		else
			cell_set_size(lcnew, sx, other, 0, 0);
		if (before)
			cell_insert_head(lc, lcnew);
		else
			cell_insert_tail(lc, lcnew);
	} else {
		lcparent = cell_create(lc->parent);
		lcparent->type = type;
		cell_set_size(lcparent, sx, sy, xoff, yoff);
		if (lc->parent == NULL)
			l->root = lcparent;
		else
			cell_replace(lc, lcparent);
		lc->parent = lcparent;
		cell_insert_head(lcparent, lc);
		lcnew = cell_create(lcparent);
		if (before)
			cell_insert_head(lcparent, lcnew);
		else
			cell_insert_tail(lcparent, lcnew);
	}
	lc1 = before ? lcnew : lc;
	lc2 = before ? lc : lcnew;
	if (!resize_first && type == LAYOUT_LEFTRIGHT) {
		cell_set_size(lc1, size1, sy, xoff, yoff);
		cell_set_size(lc2, size2, sy, xoff + lc1->sx + 1, yoff);
	} else if (!resize_first) {
		cell_set_size(lc1, sx, size1, xoff, yoff);
		cell_set_size(lc2, sx, size2, xoff, yoff + lc1->sy + 1);
	}
	if (full) {
		if (!resize_first)
			resize_child_cells(lc);
		fix_offsets(l->root);
	}
	lcnew->pane = new_pane;

	if (full)
		order_insert(l, before ? 0 : l->npanes, new_pane);
	else
		order_insert(l, before ? (size_t)at : (size_t)at + 1, new_pane);
	return 0;
}

/* Remove -------------------------------------------------------------- */

/* Take C out of the tree rooted at *ROOT, giving its space to the previous
 * sibling (the next one for a first child) and collapsing a parent left
 * with one child. */
static void destroy_cell(struct cell *c, struct cell **root)
{
	struct cell *parent = c->parent, *other;

	if (parent == NULL) {
		cell_free(c);
		*root = NULL;
		return;
	}
	other = c == parent->first ? c->next : c->prev;
	if (other != NULL)
		resize_adjust(other, parent->type, (int)cell_size(c, parent->type) + 1);
	cell_unlink(c);
	cell_free(c);

	c = parent->first;
	if (c->next == NULL) {
		cell_unlink(c);
		c->parent = parent->parent;
		if (c->parent == NULL) {
			c->xoff = 0;
			c->yoff = 0;
			*root = c;
		} else
			cell_replace(parent, c);
		free(parent);
	}
}

int layout_remove(struct layout *l, int pane)
{
	int at = layout_index_of(l, pane);

	if (at < 0 || l->npanes < 2)
		return -1;
	layout_unzoom(l);
	destroy_cell(cell_find(l->root, pane), &l->root);
	fix_offsets(l->root);
	order_remove(l, (size_t)at);
	return 0;
}

/* Resize -------------------------------------------------------------- */

static unsigned resize_pane_grow(struct cell *lc, int type, int needed, int opposite)
{
	struct cell *lcremove;
	unsigned size = 0;

	for (lcremove = lc->next; lcremove != NULL; lcremove = lcremove->next) {
		size = resize_check(lcremove, type);
		if (size > 0)
			break;
	}
	if (opposite && lcremove == NULL) {
		for (lcremove = lc->prev; lcremove != NULL; lcremove = lcremove->prev) {
			size = resize_check(lcremove, type);
			if (size > 0)
				break;
		}
	}
	if (lcremove == NULL)
		return 0;
	if (size > (unsigned)needed)
		size = (unsigned)needed;
	resize_adjust(lc, type, (int)size);
	resize_adjust(lcremove, type, -(int)size);
	return size;
}

static unsigned resize_pane_shrink(struct cell *lc, int type, int needed)
{
	struct cell *lcremove = lc, *lcadd;
	unsigned size = 0;

	do {
		size = resize_check(lcremove, type);
		if (size != 0)
			break;
		lcremove = lcremove->prev;
	} while (lcremove != NULL);
	if (lcremove == NULL)
		return 0;
	lcadd = lc->next;
	if (lcadd == NULL)
		return 0;
	if (size > (unsigned)-needed)
		size = (unsigned)-needed;
	resize_adjust(lcadd, type, (int)size);
	resize_adjust(lcremove, type, -(int)size);
	return size;
}

/* PANE or its ancestor that is a child of a TYPE split (NULL if none):
 * the cell whose border a resize of PANE in that direction moves. */
static struct cell *cell_in_split(struct cell *root, int pane, int type)
{
	struct cell *lc = cell_find(root, pane);

	while (lc != NULL && lc->parent != NULL && lc->parent->type != type)
		lc = lc->parent;
	return lc == NULL || lc->parent == NULL ? NULL : lc;
}

/* Move the border after PANE's ancestor in a TYPE split by CHANGE. */
static void resize_pane(struct layout *l, int pane, int type, int change, int opposite)
{
	struct cell *lc = cell_in_split(l->root, pane, type);
	int needed;

	if (lc == NULL)
		return;
	if (lc == lc->parent->last)
		lc = lc->prev;

	needed = change;
	while (needed != 0) {
		unsigned size;
		if (change > 0) {
			size = resize_pane_grow(lc, type, needed, opposite);
			needed -= (int)size;
		} else {
			size = resize_pane_shrink(lc, type, needed);
			needed += (int)size;
		}
		if (size == 0)
			break;
	}
	fix_offsets(l->root);
}

void layout_resize_pane(struct layout *l, int pane, int dir, unsigned n)
{
	int change = n > INT_MAX / 2 ? INT_MAX / 2 : (int)n;

	layout_unzoom(l);
	switch (dir) {
	case LAYOUT_DIR_LEFT:
		resize_pane(l, pane, LAYOUT_LEFTRIGHT, -change, 1);
		break;
	case LAYOUT_DIR_RIGHT:
		resize_pane(l, pane, LAYOUT_LEFTRIGHT, change, 1);
		break;
	case LAYOUT_DIR_UP:
		resize_pane(l, pane, LAYOUT_TOPBOTTOM, -change, 1);
		break;
	case LAYOUT_DIR_DOWN:
		resize_pane(l, pane, LAYOUT_TOPBOTTOM, change, 1);
		break;
	}
}

void layout_resize_pane_to(struct layout *l, int pane, int type, unsigned new_size)
{
	struct cell *lc;
	long long change, size;

	layout_unzoom(l);
	lc = cell_in_split(l->root, pane, type);
	if (lc == NULL)
		return;
	size = cell_size(lc, type);
	if (new_size > INT_MAX / 2)
		new_size = INT_MAX / 2;
	if (lc == lc->parent->last)
		change = size - (long long)new_size;
	else
		change = (long long)new_size - size;
	resize_pane(l, pane, type, (int)change, 1);
}

/* Resize the tree at ROOT from HAVE to WANT in the TYPE direction, never
 * below its minimum. */
static void resize_tree_axis(struct cell *root, int type, unsigned have, unsigned want)
{
	long long change = (long long)want - have, limit;

	limit = resize_check(root, type);
	if (change < 0 && change < -limit)
		change = -limit;
	if (limit == 0)
		change = want <= have ? 0 : (long long)want - have;
	if (change != 0)
		resize_adjust(root, type, (int)change);
}

/* Resize the tree at ROOT to SX x SY, never below its minimum. */
static void resize_tree(struct cell *root, unsigned sx, unsigned sy)
{
	resize_tree_axis(root, LAYOUT_LEFTRIGHT, root->sx, sx);
	resize_tree_axis(root, LAYOUT_TOPBOTTOM, root->sy, sy);
	fix_offsets(root);
}

void layout_resize(struct layout *l, unsigned sx, unsigned sy)
{
	int zoomed = l->zoomed;

	if (sx < 1)
		sx = 1;
	if (sy < 1)
		sy = 1;
	/* Like tmux: unzoom, resize the real tree, zoom again. */
	layout_unzoom(l);
	resize_tree(l->root, sx, sy);
	l->sx = sx;
	l->sy = sy;
	if (zoomed >= 0)
		layout_zoom(l, zoomed);
}

/* Presets ------------------------------------------------------------- */

static const char *const preset_names[LAYOUT_NPRESETS] = {
	"even-horizontal", "even-vertical", "main-horizontal", "main-vertical", "tiled",
};

const char *layout_preset_name(int preset)
{
	return preset >= 0 && preset < LAYOUT_NPRESETS ? preset_names[preset] : NULL;
}

int layout_preset_lookup(const char *name)
{
	int found = -1;
	size_t len = strlen(name);

	for (int i = 0; i < LAYOUT_NPRESETS; i++) {
		if (strcmp(preset_names[i], name) == 0)
			return i;
	}
	for (int i = 0; i < LAYOUT_NPRESETS; i++) {
		if (strncmp(preset_names[i], name, len) == 0) {
			if (found != -1)
				return -1;
			found = i;
		}
	}
	return found;
}

/* Share PARENT's size evenly between its children; 1 if anything moved. */
static int spread_cell(struct cell *parent)
{
	unsigned number = 0, each, size;
	int changed = 0;

	for (struct cell *c = parent->first; c != NULL; c = c->next)
		number++;
	if (number <= 1 || parent->type == LAYOUT_WINDOWPANE)
		return 0;
	size = cell_size(parent, parent->type);
	if (size < number - 1)
		return 0;
	each = (size - (number - 1)) / number;
	if (each == 0)
		return 0;
	for (struct cell *c = parent->first; c != NULL; c = c->next) {
		if (c->next == NULL)
			each = size - ((each + 1) * (number - 1));
		int change = (int)each - (int)cell_size(c, parent->type);
		resize_adjust(c, parent->type, change);
		if (change != 0)
			changed = 1;
	}
	return changed;
}

int layout_spread_out(struct layout *l, int pane)
{
	struct cell *c;

	layout_unzoom(l);
	c = cell_find(l->root, pane);
	if (c == NULL)
		return 0;
	for (struct cell *parent = c->parent; parent != NULL; parent = parent->parent) {
		if (spread_cell(parent)) {
			fix_offsets(l->root);
			return 1;
		}
	}
	return 0;
}

static struct cell *new_leaf(struct cell *parent, int pane, unsigned sx, unsigned sy)
{
	struct cell *c = cell_create(parent);

	c->pane = pane;
	cell_set_size(c, sx, sy, 0, 0);
	cell_insert_tail(parent, c);
	return c;
}

static void replace_root(struct layout *l, struct cell *root)
{
	cell_free(l->root);
	l->root = root;
}

static void set_even(struct layout *l, int type)
{
	unsigned n = (unsigned)l->npanes, sx, sy;
	struct cell *lc;

	if (n <= 1)
		return;
	lc = cell_create(NULL);
	lc->type = type;
	sx = l->sx;
	sy = l->sy;
	if (type == LAYOUT_LEFTRIGHT)
		sx = RMUX_MAX(n * (LAYOUT_PANE_MINIMUM + 1) - 1, l->sx);
	else
		sy = RMUX_MAX(n * (LAYOUT_PANE_MINIMUM + 1) - 1, l->sy);
	cell_set_size(lc, sx, sy, 0, 0);
	for (size_t i = 0; i < l->npanes; i++)
		new_leaf(lc, l->panes[i], l->sx, l->sy);
	spread_cell(lc);
	replace_root(l, lc);
	fix_offsets(l->root);
}

/* An option value "N" or "N%" of CURVAL within 0..MAXVAL; -1 if invalid,
 * missing or out of range (the caller then uses tmux's fallback). */
static long long option_size(const char *s, unsigned maxval, unsigned curval)
{
	const char *cause;
	int v;

	if (s == NULL)
		return -1;
	size_t len = strlen(s);
	if (len > 0 && s[len - 1] == '%') {
		if (layout_parse_size(s, curval, &v, &cause) != 0)
			return -1;
	} else if (layout_parse_size(s, 0, &v, &cause) != 0)
		return -1;
	return (unsigned)v > maxval ? -1 : v;
}

/* main-horizontal (TOPBOTTOM root) and main-vertical (LEFTRIGHT root). */
static void set_main(struct layout *l, int root_type, const struct layout_main_opts *o)
{
	unsigned n = (unsigned)l->npanes, avail, mainsz, othersz, across, wsize, wacross;
	int horizontal = root_type == LAYOUT_TOPBOTTOM;
	const char *mainopt = horizontal ? o->main_pane_height : o->main_pane_width;
	const char *otheropt = horizontal ? o->other_pane_height : o->other_pane_width;
	long long v;
	struct cell *lc, *lcother;

	if (n <= 1)
		return;
	n--;
	wsize = horizontal ? l->sy : l->sx;
	wacross = horizontal ? l->sx : l->sy;
	avail = wsize - 1;

	v = option_size(mainopt != NULL ? mainopt : (horizontal ? "24" : "80"), avail, avail);
	mainsz = v < 0 ? (horizontal ? 24 : 80) : (unsigned)v;
	if (mainsz + LAYOUT_PANE_MINIMUM >= avail) {
		if (avail <= LAYOUT_PANE_MINIMUM + LAYOUT_PANE_MINIMUM)
			mainsz = LAYOUT_PANE_MINIMUM;
		else
			mainsz = avail - LAYOUT_PANE_MINIMUM;
		othersz = LAYOUT_PANE_MINIMUM;
	} else {
		v = option_size(otheropt != NULL ? otheropt : "0", avail, avail);
		if (v <= 0)
			othersz = avail - mainsz;
		else if ((unsigned)v > avail || avail - (unsigned)v < mainsz)
			othersz = avail - mainsz;
		else {
			othersz = (unsigned)v;
			mainsz = avail - othersz;
		}
	}
	across = RMUX_MAX(n * (LAYOUT_PANE_MINIMUM + 1) - 1, wacross);

	lc = cell_create(NULL);
	lc->type = root_type;
	if (horizontal) {
		cell_set_size(lc, across, mainsz + othersz + 1, 0, 0);
		new_leaf(lc, l->panes[0], across, mainsz);
	} else {
		cell_set_size(lc, mainsz + othersz + 1, across, 0, 0);
		new_leaf(lc, l->panes[0], mainsz, across);
	}
	if (n == 1) {
		if (horizontal)
			new_leaf(lc, l->panes[1], across, othersz);
		else
			new_leaf(lc, l->panes[1], othersz, across);
	} else {
		lcother = cell_create(lc);
		lcother->type = horizontal ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM;
		if (horizontal)
			cell_set_size(lcother, across, othersz, 0, 0);
		else
			cell_set_size(lcother, othersz, across, 0, 0);
		cell_insert_tail(lc, lcother);
		for (size_t i = 1; i < l->npanes; i++) {
			if (horizontal)
				new_leaf(lcother, l->panes[i], LAYOUT_PANE_MINIMUM, othersz);
			else
				new_leaf(lcother, l->panes[i], othersz, LAYOUT_PANE_MINIMUM);
		}
		spread_cell(lcother);
	}
	replace_root(l, lc);
	fix_offsets(l->root);
}

static void set_tiled(struct layout *l)
{
	unsigned n = (unsigned)l->npanes, rows = 1, columns = 1, width, height, used, i, j;
	size_t next = 0;
	struct cell *lc, *lcrow;

	if (n <= 1)
		return;
	while (rows * columns < n) {
		rows++;
		if (rows * columns < n)
			columns++;
	}
	width = l->sx >= columns - 1 ? (l->sx - (columns - 1)) / columns : 0;
	if (width < LAYOUT_PANE_MINIMUM)
		width = LAYOUT_PANE_MINIMUM;
	height = l->sy >= rows - 1 ? (l->sy - (rows - 1)) / rows : 0;
	if (height < LAYOUT_PANE_MINIMUM)
		height = LAYOUT_PANE_MINIMUM;

	lc = cell_create(NULL);
	lc->type = LAYOUT_TOPBOTTOM;
	cell_set_size(lc, RMUX_MAX((width + 1) * columns - 1, l->sx),
	    RMUX_MAX((height + 1) * rows - 1, l->sy), 0, 0);
	for (j = 0; j < rows && next < l->npanes; j++) {
		lcrow = cell_create(lc);
		cell_set_size(lcrow, l->sx, height, 0, 0);
		cell_insert_tail(lc, lcrow);
		if (n - j * columns == 1 || columns == 1) {
			lcrow->pane = l->panes[next++];
			continue;
		}
		lcrow->type = LAYOUT_LEFTRIGHT;
		for (i = 0; i < columns; i++) {
			new_leaf(lcrow, l->panes[next++], width, height);
			if (next == l->npanes)
				break;
		}
		if (i == columns)
			i--;
		used = (i + 1) * (width + 1) - 1;
		if (l->sx <= used)
			continue;
		resize_adjust(lcrow->last, LAYOUT_LEFTRIGHT, (int)(l->sx - used));
	}
	used = rows * height + rows - 1;
	if (l->sy > used)
		resize_adjust(lc->last, LAYOUT_TOPBOTTOM, (int)(l->sy - used));
	replace_root(l, lc);
	fix_offsets(l->root);
}

void layout_select_preset(struct layout *l, int preset, const struct layout_main_opts *opts)
{
	static const struct layout_main_opts defaults;

	if (opts == NULL)
		opts = &defaults;
	layout_unzoom(l);
	switch (preset) {
	case LAYOUT_EVEN_HORIZONTAL:
		set_even(l, LAYOUT_LEFTRIGHT);
		break;
	case LAYOUT_EVEN_VERTICAL:
		set_even(l, LAYOUT_TOPBOTTOM);
		break;
	case LAYOUT_MAIN_HORIZONTAL:
		set_main(l, LAYOUT_TOPBOTTOM, opts);
		break;
	case LAYOUT_MAIN_VERTICAL:
		set_main(l, LAYOUT_LEFTRIGHT, opts);
		break;
	case LAYOUT_TILED:
		set_tiled(l);
		break;
	}
}

/* Layout strings ------------------------------------------------------ */

static unsigned short layout_checksum(const char *s)
{
	unsigned short csum = 0;

	for (; *s != '\0'; s++) {
		csum = (unsigned short)((csum >> 1) + ((csum & 1) << 15));
		csum = (unsigned short)(csum + (unsigned char)*s);
	}
	return csum;
}

static void dump_cell(const struct cell *c, struct buf *b)
{
	if (c->type == LAYOUT_WINDOWPANE && c->pane >= 0)
		buf_add_printf(b, "%ux%u,%u,%u,%d", c->sx, c->sy, c->xoff, c->yoff, c->pane);
	else
		buf_add_printf(b, "%ux%u,%u,%u", c->sx, c->sy, c->xoff, c->yoff);
	if (c->type == LAYOUT_WINDOWPANE)
		return;
	buf_add_u8(b, c->type == LAYOUT_LEFTRIGHT ? '{' : '[');
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		dump_cell(ch, b);
		if (ch->next != NULL)
			buf_add_u8(b, ',');
	}
	buf_add_u8(b, c->type == LAYOUT_LEFTRIGHT ? '}' : ']');
}

char *layout_dump(const struct layout *l, int visible)
{
	const struct cell *root = (!visible && l->saved != NULL) ? l->saved : l->root;
	struct buf b;
	char *out;

	buf_init(&b);
	dump_cell(root, &b);
	buf_add_u8(&b, '\0');
	out = xasprintf("%04hx,%s", layout_checksum((char *)b.data), (char *)b.data);
	buf_free(&b);
	return out;
}

static int parse_uint(const char **sp, unsigned *out)
{
	const char *s = *sp;
	unsigned long v = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 100000)
			return -1;
		s++;
	}
	*out = (unsigned)v;
	*sp = s;
	return 0;
}

/* One cell of a layout string and its children; NULL if malformed. */
static struct cell *construct(struct cell *parent, const char **sp, int depth)
{
	struct cell *c = NULL, *ch;
	unsigned sx, sy, xoff, yoff, id;
	const char *s = *sp;
	char close;

	if (depth > LAYOUT_MAX_DEPTH)
		return NULL;
	if (parse_uint(&s, &sx) != 0 || *s++ != 'x' || parse_uint(&s, &sy) != 0 ||
	    *s++ != ',' || parse_uint(&s, &xoff) != 0 || *s++ != ',' ||
	    parse_uint(&s, &yoff) != 0)
		return NULL;
	if (*s == ',') {
		const char *saved = s++;
		if (parse_uint(&s, &id) != 0 || *s == 'x')
			s = saved;
	}
	/* A zero side would be a pane nothing can be drawn in, and a huge one a
	 * grid the daemon cannot allocate. */
	if (sx < 1 || sy < 1 || sx > LAYOUT_SIZE_MAX || sy > LAYOUT_SIZE_MAX)
		return NULL;
	c = cell_create(parent);
	cell_set_size(c, sx, sy, xoff, yoff);
	switch (*s) {
	case ',':
	case '}':
	case ']':
	case '\0':
		*sp = s;
		return c;
	case '{':
		c->type = LAYOUT_LEFTRIGHT;
		close = '}';
		break;
	case '[':
		c->type = LAYOUT_TOPBOTTOM;
		close = ']';
		break;
	default:
		goto fail;
	}
	do {
		s++;
		ch = construct(c, &s, depth + 1);
		if (ch == NULL)
			goto fail;
		cell_insert_tail(c, ch);
	} while (*s == ',');
	/* A split of one is never dumped, and removing cells to match the pane
	 * count assumes every split keeps a sibling. */
	if (*s != close || c->first == c->last)
		goto fail;
	*sp = s + 1;
	return c;
fail:
	cell_free(c);
	return NULL;
}

static int check_cell(const struct cell *c)
{
	unsigned n = 0;

	if (c->type == LAYOUT_WINDOWPANE)
		return 1;
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next) {
		if (c->type == LAYOUT_LEFTRIGHT ? ch->sy != c->sy : ch->sx != c->sx)
			return 0;
		if (!check_cell(ch))
			return 0;
		n += cell_size(ch, c->type) + 1;
	}
	return n - 1 == cell_size(c, c->type);
}

static unsigned count_cells(const struct cell *c)
{
	unsigned n = 0;

	if (c->type == LAYOUT_WINDOWPANE)
		return 1;
	for (const struct cell *ch = c->first; ch != NULL; ch = ch->next)
		n += count_cells(ch);
	return n;
}

static struct cell *bottom_right(struct cell *c)
{
	while (c->type != LAYOUT_WINDOWPANE)
		c = c->last;
	return c;
}

static void assign_panes(struct cell *c, const struct layout *l, size_t *next)
{
	if (c->type == LAYOUT_WINDOWPANE) {
		c->pane = *next < l->npanes ? l->panes[(*next)++] : -1;
		return;
	}
	for (struct cell *ch = c->first; ch != NULL; ch = ch->next)
		assign_panes(ch, l, next);
}

int layout_apply_string(struct layout *l, const char *s, const char **cause)
{
	struct cell *lc = NULL;
	unsigned csum, sx = 0, sy = 0;
	size_t next = 0;

	*cause = "invalid layout";
	if (strlen(s) < 5 || s[4] != ',')
		return -1;
	for (int i = 0; i < 4; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	}
	csum = (unsigned)strtoul(s, NULL, 16);
	s += 5;
	if (csum != layout_checksum(s))
		return -1;
	lc = construct(NULL, &s, 0);
	if (lc == NULL)
		return -1;
	if (*s != '\0')
		goto fail;
	for (;;) {
		unsigned ncells = count_cells(lc);
		if (l->npanes > ncells) {
			*cause = "have more panes than the layout has cells";
			goto fail;
		}
		if (l->npanes == ncells)
			break;
		destroy_cell(bottom_right(lc), &lc);
	}
	/* Older layouts may carry a wrong top size: trust the children. */
	if (lc->type != LAYOUT_WINDOWPANE) {
		for (struct cell *ch = lc->first; ch != NULL; ch = ch->next) {
			if (lc->type == LAYOUT_LEFTRIGHT) {
				sy = ch->sy + 1;
				sx += ch->sx + 1;
			} else {
				sx = ch->sx + 1;
				sy += ch->sy + 1;
			}
		}
		if (lc->sx != sx || lc->sy != sy) {
			lc->sx = sx - 1;
			lc->sy = sy - 1;
		}
	}
	/* Merging surplus cells above can leave one pane of their summed
	 * size: check every root, not only split ones. */
	if (lc->sx > LAYOUT_SIZE_MAX || lc->sy > LAYOUT_SIZE_MAX) {
		*cause = "layout too large";
		goto fail;
	}
	if (!check_cell(lc)) {
		*cause = "size mismatch after applying layout";
		goto fail;
	}
	layout_unzoom(l);
	replace_root(l, lc);
	assign_panes(l->root, l, &next);
	fix_offsets(l->root);
	l->sx = l->root->sx;
	l->sy = l->root->sy;
	*cause = NULL;
	return 0;
fail:
	cell_free(lc);
	return -1;
}
