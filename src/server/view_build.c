/* view_build.c — a link connection's view made from its session (see
 * view_build.h). The emulator stamps every grid row it changes with a
 * value unique in the grid, and rows that scroll keep their stamps; a
 * pane's cache remembers the stamp behind each row of the view, so a row
 * is converted again only when its stamp is new, and a row whose stamp
 * moved takes the view row object it had (the view's diff then sees a
 * scroll, not new text). */
#include "server/view_build.h"

#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "net/view.h"
#include "server/cmd.h"
#include "term/copy_mode.h"
#include "server/keys.h"
#include "server/display_panes.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/status.h"
#include "server/window.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

/* What a pane's rows in the view were made from. */
struct vb_pane {
	uint32_t id;
	const struct grid *grid; /* NULL: nothing cached (copy mode, new) */
	unsigned cols, rows;     /* of the view pane */
	int alt;                 /* the alternate screen was in use */
	uint32_t *dirty;         /* ROWS stamps */
	int seen;                /* still visible after this build */
	uint64_t overlay;        /* display_panes_serial() the rows were built with */
};

/* Bell counts of every pane of the session, to add up new bells. */
struct vb_bell {
	uint32_t id;
	uint32_t bells;
	int seen;
};

struct view_build {
	struct vb_pane *panes;
	size_t npanes;
	struct vb_bell *bells;
	size_t nbells;
	uint64_t bell_total;
	uint64_t signature;
	uint64_t last_full;
	int built;
};

struct view_build *view_build_create(void)
{
	return xcalloc(1, sizeof(struct view_build));
}

void view_build_free(struct view_build *vb)
{
	if (vb == NULL)
		return;
	for (size_t i = 0; i < vb->npanes; i++)
		free(vb->panes[i].dirty);
	free(vb->panes);
	free(vb->bells);
	free(vb);
}

unsigned view_build_status_lines(const struct session *s)
{
	/* The choice list is off, on, 2, 3, 4, 5. */
	long long n = options_get_number(s->options, "status");

	if (n <= 0)
		return 0;
	return (unsigned)RMUX_MIN(n, (long long)VIEW_STATUS_MAX);
}

/* ---- the cheap check ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0x100000001b3ull;
}

/* A hash of what changes often and is cheap to read: the structure of
 * the session and, for the current window's panes, the grid stamps,
 * cursors, modes and copy-mode positions. */
static uint64_t signature(struct session *s, unsigned cols, unsigned rows)
{
	uint64_t h = mix(0, cols);
	struct window *w;

	h = mix(h, rows);
	if (s == NULL)
		return h;
	h = mix(h, (uint64_t)s->id);
	h = mix(h, (uint64_t)(uintptr_t)s->cur);
	h = mix(h, (uint64_t)(uintptr_t)s->last);
	h = mix(h, prompt_serial(s));
	h = mix(h, display_panes_serial(s));
	h = mix(h, session_clipboard(s, NULL, NULL, NULL));
	/* The client turns its terminal's mouse on with the option. */
	h = mix(h, (uint64_t)options_get_number(s->options, "mouse"));
	for (w = s->windows; w != NULL; w = w->next) {
		h = mix(h, (uint64_t)w->id);
		h = mix(h, (uint64_t)w->index);
		h = mix(h, (uint64_t)w->npanes);
	}
	w = s->cur;
	if (w == NULL)
		return h;
	h = mix(h, (uint64_t)(w->active != NULL ? w->active->id : -1));
	h = mix(h, (uint64_t)layout_zoomed(w->layout));
	for (size_t i = 0; i < w->npanes; i++) {
		struct pane *p = w->panes[i];
		const struct screen *scr = vt_screen(p->vt);

		h = mix(h, (uint64_t)p->id);
		h = mix(h, (uint64_t)p->xoff << 32 | p->yoff);
		h = mix(h, (uint64_t)p->sx << 32 | p->sy);
		h = mix(h, (uint64_t)(uintptr_t)scr->grid);
		h = mix(h, scr->grid->stamp);
		h = mix(h, (uint64_t)scr->cx << 32 | scr->cy);
		h = mix(h, scr->modes);
		h = mix(h, scr->cursor_style);
		h = mix(h, scr->title_serial);
		h = mix(h, scr->bells);
		h = mix(h, (uint64_t)(uintptr_t)p->copy);
		h = mix(h, pane_history_gen(p));
		if (p->copy != NULL) {
			unsigned x, y;

			copy_mode_cursor(p->copy, &x, &y);
			h = mix(h, (uint64_t)x << 32 | y);
			h = mix(h, copy_mode_scroll_position(p->copy));
			h = mix(h, (uint64_t)copy_mode_has_selection(p->copy));
		}
	}
	return h;
}

/* ---- panes ---- */

static struct vb_pane *cache_find(struct view_build *vb, uint32_t id)
{
	for (size_t i = 0; i < vb->npanes; i++) {
		if (vb->panes[i].id == id)
			return &vb->panes[i];
	}
	vb->panes = xreallocarray(vb->panes, vb->npanes + 1, sizeof *vb->panes);
	memset(&vb->panes[vb->npanes], 0, sizeof *vb->panes);
	vb->panes[vb->npanes].id = id;
	return &vb->panes[vb->npanes++];
}

static void cache_reset(struct vb_pane *c, const struct grid *g, unsigned cols, unsigned rows,
    int alt)
{
	free(c->dirty);
	c->dirty = NULL;
	c->grid = g;
	c->cols = cols;
	c->rows = rows;
	c->alt = alt;
}

/* Drop the caches of panes no longer shown. */
static void cache_sweep(struct view_build *vb)
{
	size_t i = 0;

	while (i < vb->npanes) {
		if (vb->panes[i].seen) {
			vb->panes[i].seen = 0;
			i++;
			continue;
		}
		free(vb->panes[i].dirty);
		vb->panes[i] = vb->panes[--vb->npanes];
	}
}

/* A password prompt: echo cleared while the line discipline still edits
 * lines. Readline, zle and editors clear ECHO too, but they also turn
 * canonical mode off and draw their own echo, so prediction stays on
 * for them (a wrong guess is refuted by the next frame); only hidden
 * input must never be shown, even briefly. */
static int echo_off(const struct pane *p)
{
	struct termios tio;

	if (p->fd < 0 || tcgetattr(p->fd, &tio) != 0)
		return 0;
	return (tio.c_lflag & (ECHO | ICANON)) == ICANON;
}

/* Copy mode's viewport, compared row by row with what the view has. */
static void rows_from_copy_mode(struct view *v, struct view_pane *vp, struct copy_mode *cm)
{
	struct copy_mode_style st;
	unsigned ccols, crows, y, n;
	struct cell *cells, *line, blank = cell_blank(NULL);

	copy_mode_size(cm, &ccols, &crows);
	if (ccols == 0 || crows == 0)
		return;
	copy_mode_style_default(&st);
	cells = xreallocarray(NULL, (size_t)ccols * crows, sizeof *cells);
	line = xreallocarray(NULL, vp->cols, sizeof *line);
	copy_mode_render(cm, &st, cells);
	n = RMUX_MIN(vp->cols, ccols);
	for (y = 0; y < vp->rows; y++) {
		struct view_row *r;

		for (unsigned x = 0; x < vp->cols; x++)
			line[x] = blank;
		if (y < crows)
			memcpy(line, &cells[(size_t)y * ccols], n * sizeof *line);
		r = view_row_from_cells(line, vp->cols, copy_mode_clusters(cm));
		if (view_row_equal(r, vp->line[y])) {
			view_row_unref(r);
			continue;
		}
		view_set_pane_row(v, vp, y, r);
	}
	free(line);
	free(cells);
}

/* The row of the old view whose stamp is D, or -1. HINT is where the
 * last match was relative to Y: scrolls move every row by the same. */
static int find_moved(const uint32_t *old, unsigned rows, unsigned y, uint32_t d, int *hint)
{
	long guess = (long)y + *hint;

	if (guess >= 0 && guess < (long)rows && old[guess] == d)
		return (int)guess;
	for (unsigned i = 0; i < rows; i++) {
		if (old[i] == d) {
			*hint = (int)i - (int)y;
			return (int)i;
		}
	}
	return -1;
}

static void rows_from_grid(struct view *v, struct view_pane *vp, struct vb_pane *c,
    const struct screen *scr)
{
	const struct grid *g = scr->grid;
	int alt = (scr->modes & MODE_ALT_SCREEN) != 0, hint = 0;
	unsigned y, rows = RMUX_MIN(vp->rows, g->rows), cols = RMUX_MIN(vp->cols, g->cols);
	struct view_row **old;
	uint32_t *dirty;

	if (c->grid != g || c->cols != vp->cols || c->rows != vp->rows || c->alt != alt)
		cache_reset(c, g, vp->cols, vp->rows, alt);
	old = xreallocarray(NULL, vp->rows, sizeof *old);
	for (y = 0; y < vp->rows; y++)
		old[y] = view_row_ref(vp->line[y]);
	dirty = xreallocarray(NULL, vp->rows, sizeof *dirty);
	for (y = 0; y < vp->rows; y++) {
		struct view_row *r;
		int from;

		if (y >= rows) {
			/* A pane wider or taller than its screen (mid-resize):
			 * the rest stays blank. */
			dirty[y] = 0;
			continue;
		}
		dirty[y] = g->row[y].dirty;
		if (c->dirty != NULL) {
			if (c->dirty[y] == dirty[y])
				continue;
			from = find_moved(c->dirty, c->rows, y, dirty[y], &hint);
			if (from >= 0) {
				view_set_pane_row(v, vp, y, view_row_ref(old[from]));
				continue;
			}
		}
		if (cols == vp->cols) {
			r = view_row_from_cells(g->row[y].cells, cols, scr->clusters);
		} else {
			struct cell *line = xreallocarray(NULL, vp->cols, sizeof *line);
			struct cell blank = cell_blank(NULL);

			for (unsigned x = 0; x < vp->cols; x++)
				line[x] = x < cols ? g->row[y].cells[x] : blank;
			r = view_row_from_cells(line, vp->cols, scr->clusters);
			free(line);
		}
		if (view_row_equal(r, vp->line[y]))
			view_row_unref(r);
		else
			view_set_pane_row(v, vp, y, r);
	}
	for (y = 0; y < vp->rows; y++)
		view_row_unref(old[y]);
	free(old);
	free(c->dirty);
	c->dirty = dirty;
}

/* The history numbers the client's mirror and copy mode go by. */
static void build_history(struct view *v, struct view_pane *vp, struct pane *p)
{
	const struct history *h = vt_screen(p->vt)->history;
	uint32_t gen = pane_history_gen(p), size = 0;
	uint64_t base = 0, top;

	if (h != NULL) {
		base = history_total(h);
		size = history_size(h);
	}
	top = p->copy != NULL ? copy_mode_top_line(p->copy) : base;
	if (vp->hist_gen != gen || vp->hist_base != base || vp->hist_size != size ||
	    vp->copy_top != top)
		view_set_pane_history(v, vp, gen, base, size, top);
}

static void build_pane(struct view_build *vb, struct view *v, struct view_pane *vp,
    struct session *s, struct pane *p)
{
	const struct screen *scr = vt_screen(p->vt);
	struct vb_pane *c = cache_find(vb, (uint32_t)p->id);
	uint32_t flags = 0;
	unsigned cx, cy;

	c->seen = 1;
	/* The display-panes overlay came or went: every row is compared
	 * again (the cache would keep rows drawn over). */
	if (c->overlay != display_panes_serial(s)) {
		cache_reset(c, NULL, 0, 0, 0);
		c->overlay = display_panes_serial(s);
	}
	if (p->copy != NULL) {
		cache_reset(c, NULL, 0, 0, 0);
		rows_from_copy_mode(v, vp, p->copy);
		copy_mode_cursor(p->copy, &cx, &cy);
		flags |= VIEW_PANE_COPY_MODE | VIEW_PANE_CURSOR_VISIBLE;
	} else {
		rows_from_grid(v, vp, c, scr);
		cx = scr->cx;
		cy = scr->cy;
		if (scr->modes & MODE_CURSOR_VISIBLE)
			flags |= VIEW_PANE_CURSOR_VISIBLE;
	}
	display_panes_draw(s, p, v, vp);
	if (scr->modes & MODE_ALT_SCREEN)
		flags |= VIEW_PANE_ALT_SCREEN;
	if (echo_off(p))
		flags |= VIEW_PANE_ECHO_OFF;
	cx = RMUX_MIN(cx, vp->cols - 1);
	cy = RMUX_MIN(cy, vp->rows - 1);
	view_set_pane_cursor(v, vp, cx, cy, scr->cursor_style);
	if (vp->flags != flags || vp->modes != (scr->modes & VIEW_PANE_MODES) ||
	    strcmp(vp->title, scr->title) != 0)
		view_set_pane_state(v, vp, flags, scr->modes, scr->title);
	build_history(v, vp, p);
}

/* ---- layout ---- */

static int layout_same(const struct view *v, unsigned cols, unsigned rows, uint32_t flags,
    uint32_t active, const struct view_layout_pane *lp, size_t n, unsigned nstatus)
{
	if (v->cols != cols || v->rows != rows || v->flags != flags || v->active_pane != active ||
	    v->npanes != n || v->nstatus != nstatus)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct view_pane *p = &v->pane[i];

		if (p->id != lp[i].id || p->x != lp[i].x || p->y != lp[i].y || p->cols != lp[i].cols ||
		    p->rows != lp[i].rows)
			return 0;
	}
	return 1;
}

/* The current window's visible panes clipped to the client's area below
 * or above the status lines; fills LP (room for the window's panes) and
 * PP, returns how many. */
static size_t visible_panes(struct window *w, unsigned cols, unsigned area, unsigned top,
    struct view_layout_pane *lp, struct pane **pp)
{
	size_t n = 0, count = layout_count(w->layout);

	for (size_t i = 0; i < count && n < VIEW_PANES_MAX; i++) {
		struct pane *p = pane_find(layout_pane_at(w->layout, i));
		const struct screen *scr;
		struct layout_geom g;

		if (p == NULL || p->window != w || layout_geometry(w->layout, p->id, &g) != 0)
			continue;
		if (g.x >= cols || g.y >= area || g.sx == 0 || g.sy == 0)
			continue;
		scr = vt_screen(p->vt);
		lp[n].id = (uint32_t)p->id;
		lp[n].x = g.x;
		lp[n].y = g.y + top;
		lp[n].cols = RMUX_MIN(RMUX_MIN(g.sx, cols - g.x), scr->cols);
		lp[n].rows = RMUX_MIN(RMUX_MIN(g.sy, area - g.y), scr->rows);
		pp[n++] = p;
	}
	return n;
}

/* ---- windows and status ---- */

struct status_arg {
	struct session *s;
	struct window **w;
	const struct status_window *sw;
};

static char *status_lookup(const char *name, const struct status_window *sw, void *arg)
{
	struct status_arg *sa = arg;
	struct window *w = sw != NULL ? sa->w[sw - sa->sw] : sa->s->cur;
	char *fmt = xasprintf("#{%s}", name), *out;

	out = cmd_format(fmt, sa->s, w, w != NULL ? w->active : NULL);
	free(fmt);
	return out;
}

static void build_windows(struct view *v, struct session *s, unsigned nstatus)
{
	size_t n = session_nwindows(s), i = 0;
	struct view_window *vw = xcalloc(n ? n : 1, sizeof *vw);
	struct status_window *sw = xcalloc(n ? n : 1, sizeof *sw);
	struct window **wl = xcalloc(n ? n : 1, sizeof *wl);
	char (*names)[256] = xcalloc(n ? n : 1, sizeof *names);
	char (*fl)[8] = xcalloc(n ? n : 1, sizeof *fl);
	struct window *w;

	for (w = s->windows; w != NULL && i < n; w = w->next, i++) {
		int zoomed = layout_zoomed(w->layout) >= 0;
		char *f = fl[i];

		wl[i] = w;
		vw[i].index = (uint32_t)w->index;
		vw[i].name = (char *)window_name(w, names[i], sizeof names[i]);
		if (w == s->cur)
			vw[i].flags |= VIEW_WINDOW_CURRENT;
		if (w == s->last)
			vw[i].flags |= VIEW_WINDOW_LAST;
		if (zoomed)
			vw[i].flags |= VIEW_WINDOW_ZOOMED;
		if (w == s->cur)
			*f++ = '*';
		else if (w == s->last)
			*f++ = '-';
		if (zoomed)
			*f++ = 'Z';
		*f = '\0';
		sw[i].index = w->index;
		sw[i].name = vw[i].name;
		sw[i].flags = fl[i];
		sw[i].current = w == s->cur;
		sw[i].last = w == s->last;
		sw[i].oo = w->options;
	}
	n = i;
	view_set_windows(v, vw, n);
	if (nstatus > 0) {
		struct status_arg sa = { s, wl, sw };
		struct status_input in;
		struct cell *cells = xreallocarray(NULL, v->cols, sizeof *cells);
		struct cell blank = cell_blank(NULL);

		memset(&in, 0, sizeof in);
		in.session_name = s->name;
		in.windows = sw;
		in.nwindows = (unsigned)n;
		in.oo = s->options;
		in.lookup = status_lookup;
		in.arg = &sa;
		in.now = time(NULL);
		for (unsigned l = 0; l < nstatus; l++) {
			struct view_row *r;

			/* Lines past the first have no format of their own yet. */
			if (l == 0) {
				status_render(&in, v->cols, cells);
			} else {
				for (unsigned x = 0; x < v->cols; x++)
					cells[x] = blank;
			}
			r = view_row_from_cells(cells, v->cols, NULL);
			if (view_row_equal(r, v->status[l]))
				view_row_unref(r);
			else
				view_set_status(v, l, r);
		}
		free(cells);
	}
	free(fl);
	free(names);
	free(wl);
	free(sw);
	free(vw);
}

/* New bells of any pane of the session since the last build. */
static void count_bells(struct view_build *vb, struct session *s)
{
	struct window *w;
	size_t i, j;

	for (w = s->windows; w != NULL; w = w->next) {
		for (i = 0; i < w->npanes; i++) {
			struct pane *p = w->panes[i];
			uint32_t b = vt_screen(p->vt)->bells;

			for (j = 0; j < vb->nbells && vb->bells[j].id != (uint32_t)p->id; j++)
				;
			if (j == vb->nbells) {
				/* Bells rung before the pane was seen are old news. */
				vb->bells = xreallocarray(vb->bells, vb->nbells + 1, sizeof *vb->bells);
				vb->bells[vb->nbells].id = (uint32_t)p->id;
				vb->bells[vb->nbells++].bells = b;
			}
			vb->bell_total += (uint32_t)(b - vb->bells[j].bells);
			vb->bells[j].bells = b;
			vb->bells[j].seen = 1;
		}
	}
	for (j = 0; j < vb->nbells;) {
		if (vb->bells[j].seen) {
			vb->bells[j++].seen = 0;
			continue;
		}
		vb->bells[j] = vb->bells[--vb->nbells];
	}
}

int view_build_update(struct view_build *vb, struct view *v, struct session *s, unsigned cols,
    unsigned rows, uint64_t now, int force)
{
	uint64_t sig;
	int changed;
	struct view_layout_pane *lp;
	struct pane **pp;
	struct window *w;
	unsigned nstatus, area, top;
	uint32_t flags = 0, active = 0;
	size_t n, cap;
	const char *table;

	cols = RMUX_MAX(1u, RMUX_MIN(cols, (unsigned)VIEW_COLS_MAX));
	rows = RMUX_MAX(1u, RMUX_MIN(rows, (unsigned)VIEW_ROWS_MAX));
	if ((uint64_t)cols * rows > VIEW_AREA_MAX)
		rows = VIEW_AREA_MAX / cols;
	sig = signature(s, cols, rows);
	if (!force && vb->built && sig == vb->signature && now - vb->last_full < VIEW_BUILD_FULL_MS)
		return 0;
	changed = !vb->built || sig != vb->signature ? 2 : 1;
	vb->built = 1;
	vb->signature = sig;
	vb->last_full = now;

	if (s == NULL || s->cur == NULL) {
		view_set_session(v, "");
		view_set_windows(v, NULL, 0);
		view_set_layout(v, cols, rows, 0, 0, NULL, 0, 0);
		return changed;
	}
	if (strcmp(v->session, s->name) != 0)
		view_set_session(v, s->name);
	w = s->cur;
	nstatus = view_build_status_lines(s);
	if (nstatus >= rows)
		nstatus = rows - 1;
	area = rows - nstatus;
	top = 0;
	if (nstatus > 0 && options_get_number(s->options, "status-position") == 0) {
		flags |= VIEW_STATUS_TOP;
		top = nstatus;
	}
	if (layout_zoomed(w->layout) >= 0)
		flags |= VIEW_ZOOMED;
	if (options_get_number(s->options, "mouse"))
		flags |= VIEW_MOUSE;
	if (options_get_number(s->options, "history-native"))
		flags |= VIEW_HISTORY_NATIVE;
	flags |= ((uint32_t)options_get_number(s->options, "predict") << VIEW_PREDICT_SHIFT) &
	    VIEW_PREDICT_MASK;
	if (w->active != NULL)
		active = (uint32_t)w->active->id;

	cap = w->npanes ? w->npanes : 1;
	lp = xcalloc(cap, sizeof *lp);
	pp = xcalloc(cap, sizeof *pp);
	n = visible_panes(w, cols, area, top, lp, pp);
	if (!layout_same(v, cols, rows, flags, active, lp, n, nstatus))
		view_set_layout(v, cols, rows, flags, active, lp, n, nstatus);
	for (size_t i = 0; i < n; i++)
		build_pane(vb, v, view_find_pane(v, lp[i].id), s, pp[i]);
	cache_sweep(vb);
	free(pp);
	free(lp);

	build_windows(v, s, nstatus);
	table = w->active != NULL ? keys_mode_table(w->active) : NULL;
	if (table == NULL || strcmp(keys_session_table(s), "root") != 0)
		table = keys_session_table(s);
	if (strcmp(v->key_table, table) != 0)
		view_set_key_table(v, table);
	count_bells(vb, s);
	prompt_view(v, s);
	{
		const char *sel;
		const uint8_t *clip;
		size_t cliplen;
		uint32_t nclip = session_clipboard(s, &sel, &clip, &cliplen);

		if (v->clipboards != nclip)
			view_set_clipboard(v, nclip, sel, clip, cliplen);
	}
	if (v->bells != vb->bell_total)
		view_set_bells(v, vb->bell_total);
	return changed;
}
