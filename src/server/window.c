/* window.c — a window's panes and their places from the layout module. */
#include "server/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/layout.h"
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

static void add_pane(struct window *w, struct pane *p)
{
	w->panes = xreallocarray(w->panes, w->npanes + 1, sizeof *w->panes);
	w->panes[w->npanes++] = p;
}

struct window *window_create(struct session *s, int index, const char *name,
    struct pty_spawn *sp, char **cause)
{
	struct window *w = xcalloc(1, sizeof *w);
	struct pane *p;

	w->id = next_window_id;
	w->index = index;
	w->session = s;
	w->name = name != NULL ? xstrdup(name) : NULL;
	sp->sx = s->sx;
	sp->sy = s->sy;
	p = pane_create(w, sp, server_options.history_limit, cause);
	if (p == NULL) {
		free(w->name);
		free(w);
		return NULL;
	}
	next_window_id++;
	w->layout = layout_create(s->sx, s->sy, p->id);
	add_pane(w, p);
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
	p = pane_create(w, sp, server_options.history_limit, cause);
	if (p == NULL) {
		layout_remove(w->layout, id);
		window_apply_layout(w);
		return NULL;
	}
	add_pane(w, p);
	window_apply_layout(w);
	return p;
}

size_t window_remove_pane(struct window *w, struct pane *p)
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
	pane_free(p);
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

const char *window_name(const struct window *w, char *buf, size_t size)
{
	if (w->name != NULL)
		return w->name;
	if (w->active == NULL)
		return "";
	pty_current_command(w->active->fd, w->active->pid, buf, size);
	return buf;
}

void window_size(const struct window *w, unsigned *sx, unsigned *sy)
{
	layout_window_size(w->layout, sx, sy);
}
