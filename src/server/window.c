/* window.c — a window's panes and their places from the layout module. */
#include "server/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/pty.h"
#include "server/session.h"

static int next_window_id;
static uint64_t use_counter;

struct window *window_find_id(int id)
{
	struct session *s;
	struct window *w;

	for (s = session_first(); s != NULL; s = s->next) {
		for (w = s->windows; w != NULL; w = w->next) {
			if (w->id == id)
				return w;
		}
	}
	return NULL;
}

void window_add_pane(struct window *w, struct pane *p)
{
	w->panes = xreallocarray(w->panes, w->npanes + 1, sizeof *w->panes);
	w->panes[w->npanes++] = p;
	if (p->window != w) {
		p->window = w;
		pane_reparent_options(p);
	}
}

static unsigned history_limit_of(const struct window *w)
{
	return (unsigned)options_get_number(w->session->options, "history-limit");
}

void window_set_name(struct window *w, const char *name)
{
	char *cause;

	free(w->name);
	w->name = xstrdup(name);
	if (options_set(w->options, "automatic-rename", "off", 0, 0, &cause) != 0)
		free(cause);
}

struct window *window_create_with(struct session *s, int index, unsigned sx, unsigned sy,
    struct pane *p)
{
	struct window *w = xcalloc(1, sizeof *w);

	w->id = next_window_id++;
	w->index = index;
	w->session = s;
	w->last_preset = -1;
	w->options = options_create(global_w_options);
	w->layout = layout_create(sx, sy, p->id);
	window_add_pane(w, p);
	window_set_active(w, p);
	window_apply_layout(w);
	return w;
}

/* Room enough to add one-cell panes one after another. */
#define WINDOW_SCRATCH_SIZE 10000u

int window_set_order(struct window *w, const int *ids)
{
	struct layout *l;
	const char *cause;
	char *shape;
	size_t i, n = layout_count(w->layout);

	/* A scratch layout with the new order (full-size splits append to
	 * it), then the old shape laid over it: the shape's cells take the
	 * panes in order. */
	l = layout_create(WINDOW_SCRATCH_SIZE, WINDOW_SCRATCH_SIZE, ids[0]);
	for (i = 1; i < n; i++) {
		if (layout_split(l, ids[0], LAYOUT_LEFTRIGHT, 1, LAYOUT_SPLIT_FULLSIZE, ids[i]) != 0) {
			layout_free(l);
			return -1;
		}
	}
	shape = layout_dump(w->layout, 0);
	if (layout_apply_string(l, shape, &cause) != 0) {
		free(shape);
		layout_free(l);
		return -1;
	}
	free(shape);
	layout_free(w->layout);
	w->layout = l;
	return 0;
}

struct window *window_create(struct session *s, int index, const char *name,
    struct pty_spawn *sp, char **cause)
{
	struct window *w = xcalloc(1, sizeof *w);
	struct pane *p;

	w->id = next_window_id;
	w->index = index;
	w->session = s;
	w->last_preset = -1;
	w->options = options_create(global_w_options);
	if (name != NULL)
		window_set_name(w, name);
	sp->sx = s->sx;
	sp->sy = s->sy;
	p = pane_create(w, sp, history_limit_of(w), cause);
	if (p == NULL) {
		options_free(w->options);
		free(w->name);
		free(w);
		return NULL;
	}
	next_window_id++;
	w->layout = layout_create(s->sx, s->sy, p->id);
	window_add_pane(w, p);
	window_set_active(w, p);
	return w;
}

void window_free(struct window *w)
{
	size_t i;

	for (i = 0; i < w->npanes; i++)
		pane_free(w->panes[i]);
	free(w->panes);
	layout_free(w->layout);
	options_free(w->options);
	free(w->name);
	free(w);
}

struct pane *window_split(struct window *w, struct pane *pane, int type, int size, int flags,
    struct pty_spawn *sp, char **cause)
{
	struct layout_geom g;
	struct pane *p;
	int id = pane_next_id();

	if (layout_split(w->layout, pane->id, type, size, flags, id) != 0) {
		*cause = xstrdup("no space for new pane");
		return NULL;
	}
	layout_geometry(w->layout, id, &g);
	sp->sx = g.sx;
	sp->sy = g.sy;
	p = pane_create(w, sp, history_limit_of(w), cause);
	if (p == NULL) {
		char *full = xasprintf("create pane failed: %s", *cause);

		free(*cause);
		*cause = full;
		layout_remove(w->layout, id);
		window_apply_layout(w);
		return NULL;
	}
	window_add_pane(w, p);
	window_apply_layout(w);
	return p;
}

size_t window_remove_pane(struct window *w, struct pane *p)
{
	size_t left = window_detach_pane(w, p);

	pane_free(p);
	return left;
}

size_t window_detach_pane(struct window *w, struct pane *p)
{
	size_t i;

	for (i = 0; i < w->npanes; i++) {
		if (w->panes[i] == p)
			break;
	}
	if (i == w->npanes)
		return w->npanes;
	memmove(&w->panes[i], &w->panes[i + 1], (w->npanes - i - 1) * sizeof *w->panes);
	w->npanes--;
	/* A pane leaving ends any zoom, as in tmux. */
	layout_unzoom(w->layout);
	if (w->npanes > 0)
		layout_remove(w->layout, p->id);
	if (w->last == p)
		w->last = NULL;
	if (w->active == p) {
		struct pane *best = w->last;

		/* The most recently used pane takes over, as in tmux. */
		for (i = 0; w->last == NULL && i < w->npanes; i++) {
			if (best == NULL || w->panes[i]->used > best->used)
				best = w->panes[i];
		}
		w->active = NULL;
		if (best != NULL)
			window_set_active(w, best);
		w->last = NULL;
	}
	if (w->npanes > 0)
		window_apply_layout(w);
	return w->npanes;
}

void window_set_active(struct window *w, struct pane *p)
{
	if (w->active != p && w->active != NULL)
		w->last = w->active;
	w->active = p;
	p->used = ++use_counter;
}

int window_pane_index(const struct window *w, const struct pane *p)
{
	return layout_index_of(w->layout, p->id);
}

struct pane *window_pane_at(const struct window *w, size_t index)
{
	int id = layout_pane_at(w->layout, index);
	size_t i;

	for (i = 0; id >= 0 && i < w->npanes; i++) {
		if (w->panes[i]->id == id)
			return w->panes[i];
	}
	return NULL;
}

void window_apply_layout(struct window *w)
{
	struct layout_geom g;
	size_t i;

	for (i = 0; i < w->npanes; i++) {
		struct pane *p = w->panes[i];

		if (layout_geometry(w->layout, p->id, &g) < 0)
			continue;
		p->xoff = g.x;
		p->yoff = g.y;
		pane_resize(p, g.sx, g.sy);
	}
}

const char *window_name(struct window *w, char *buf, size_t size)
{
	if (w->name != NULL && !options_get_number(w->options, "automatic-rename"))
		return w->name;
	if (w->active == NULL || (w->active->flags & PANE_F_DEAD_SHOWN))
		return w->name != NULL ? w->name : "";
	pty_current_command(w->active->fd, w->active->pid, buf, size);
	if (buf[0] == '\0')
		return w->name != NULL ? w->name : "";
	/* Kept so that turning automatic-rename off freezes what is shown. */
	if (w->name == NULL || strcmp(w->name, buf) != 0) {
		free(w->name);
		w->name = xstrdup(buf);
	}
	return buf;
}

void window_size(const struct window *w, unsigned *sx, unsigned *sy)
{
	layout_window_size(w->layout, sx, sy);
}

struct pane *window_neighbour(struct window *w, struct pane *p, int dir)
{
	struct pane *best = NULL;
	unsigned wx, wy, edge;
	size_t i;
	int pass;

	window_size(w, &wx, &wy);
	for (pass = 0; pass < 2 && best == NULL; pass++) {
		for (i = 0; i < w->npanes; i++) {
			struct pane *q = w->panes[i];
			int touch, overlap;

			if (q == p)
				continue;
			switch (dir) {
			case 'L':
				edge = pass == 0 ? p->xoff : wx + 1;
				touch = q->xoff + q->sx + 1 == edge;
				overlap = q->yoff < p->yoff + p->sy && p->yoff < q->yoff + q->sy;
				break;
			case 'R':
				edge = pass == 0 ? p->xoff + p->sx + 1 : 0;
				touch = q->xoff == edge;
				overlap = q->yoff < p->yoff + p->sy && p->yoff < q->yoff + q->sy;
				break;
			case 'U':
				edge = pass == 0 ? p->yoff : wy + 1;
				touch = q->yoff + q->sy + 1 == edge;
				overlap = q->xoff < p->xoff + p->sx && p->xoff < q->xoff + q->sx;
				break;
			default:
				edge = pass == 0 ? p->yoff + p->sy + 1 : 0;
				touch = q->yoff == edge;
				overlap = q->xoff < p->xoff + p->sx && p->xoff < q->xoff + q->sx;
				break;
			}
			if (touch && overlap && (best == NULL || q->used > best->used))
				best = q;
		}
	}
	return best;
}
