/* copy_mode.c — copy mode (see copy_mode.h): the state, tmux 3.3a's
 * copy-mode commands, search, selection, the rendered view and the default
 * key tables.
 *
 * Coordinates are tmux's: line Y counts from the oldest history line held
 * on entry (0) through the history (HSIZE lines) and the copied screen
 * rows; the view's top line is HSIZE - OY and the cursor is at (CX, CY) in
 * the view. The behaviour was checked against tmux 3.3a (page and search
 * positions, the indicator, copied text); the rules it follows:
 * - Vertical moves remember the column (lastcx) and stick to the end of
 *   the line when the cursor was there.
 * - Search lands the match on screen with a quarter of the rows below it
 *   when it must scroll; emacs forward search leaves the cursor after the
 *   match, every other search on its first character.
 * - Emacs selections drop the bottom-right character, vi ones keep it; a
 *   wrapped line is copied without its newline. */
#include "term/copy_mode.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/utf8.h"

#define CM_SLOTS 8 /* decoded history lines kept */

enum { CM_DRAG_NONE, CM_DRAG_END, CM_DRAG_START };
enum { CM_LINE_NONE, CM_LINE_LEFT_RIGHT, CM_LINE_RIGHT_LEFT };
enum { CM_SEARCH_OFF, CM_SEARCH_UP, CM_SEARCH_DOWN };
enum { CM_JUMP_OFF, CM_JUMP_FORWARD, CM_JUMP_BACKWARD, CM_JUMP_TO_FORWARD, CM_JUMP_TO_BACKWARD };
enum { CM_WS, CM_SEP, CM_WORD };

struct cm_slot {
	unsigned y;
	int valid;
	uint32_t flags;
	struct cell *cells;
};

struct copy_mode {
	const struct screen *screen; /* NULL for a copy mode over a source */
	struct copy_mode_source src;
	unsigned misses; /* lines the source could not give */
	int vi;
	unsigned cols, rows;
	unsigned hsize;    /* history lines the view covers */
	uint64_t base_abs; /* absolute number of history line 0 */
	struct cell *snap; /* the screen rows copied on entry */
	uint32_t *snap_flags;
	struct clusters *cl;
	struct cm_slot slot[CM_SLOTS];
	unsigned next_slot;
	struct cell *blank;

	unsigned oy, cx, cy;
	unsigned lastcx, lastsx;
	int hide_position;
	int scroll_exit; /* copy-mode -e */

	int sel;
	unsigned selx, sely, endselx, endsely;
	int cursordrag;
	int lineflag;
	int rectflag;

	char *separators;
	int wrap_search;

	char *searchstr;
	int searchtype;
	int searchdir; /* direction of the last search: 1 down */
	int marks;     /* matches are highlighted and counted */
	int searchcount;
	int searchx, searchy, searcho; /* incremental search start, -1 none */

	int jumptype;
	uint32_t jumpchar;

	char *copied;
	size_t copied_len;
};

/* ---- lines ---- */

static void cm_invalidate(struct copy_mode *cm)
{
	unsigned i;

	for (i = 0; i < CM_SLOTS; i++)
		cm->slot[i].valid = 0;
}

/* Keep only the cluster ids of the copied rows when the table fills. */
static void cm_collect(struct copy_mode *cm)
{
	size_t cap = clusters_capacity(cm->cl), i;
	uint8_t *in_use = xcalloc((cap + 7) / 8 + 1, 1);

	for (i = 0; i < (size_t)cm->rows * cm->cols; i++) {
		const struct cell *c = &cm->snap[i];

		if ((c->attr & CELL_CLUSTER) && c->ch < cap)
			in_use[c->ch / 8] |= (uint8_t)(1u << (c->ch % 8));
	}
	clusters_collect(cm->cl, in_use);
	free(in_use);
	cm_invalidate(cm);
}

static unsigned cm_total(const struct copy_mode *cm)
{
	return cm->hsize + cm->rows;
}

/* Line Y's cells (cols of them) and flags. Lines the source cannot give
 * (dropped from the history since entry, or not held by a client) read as
 * blank and are not kept, so they are asked for again next time. */
static const struct cell *cm_line(struct copy_mode *cm, unsigned y, uint32_t *flags)
{
	struct cm_slot *sl;
	unsigned i;

	*flags = 0;
	if (y >= cm_total(cm))
		return cm->blank;
	if (y >= cm->hsize) {
		*flags = cm->snap_flags[y - cm->hsize];
		return &cm->snap[(size_t)(y - cm->hsize) * cm->cols];
	}
	for (i = 0; i < CM_SLOTS; i++) {
		if (cm->slot[i].valid && cm->slot[i].y == y) {
			*flags = cm->slot[i].flags;
			return cm->slot[i].cells;
		}
	}
	if (clusters_full(cm->cl))
		cm_collect(cm);
	sl = &cm->slot[cm->next_slot];
	sl->flags = 0;
	sl->valid = 0;
	if (cm->src.line(cm->src.arg, cm->base_abs + y, sl->cells, cm->cols, &sl->flags, cm->cl) < 0) {
		cm->misses++;
		return cm->blank;
	}
	cm->next_slot = (cm->next_slot + 1) % CM_SLOTS;
	sl->y = y;
	sl->valid = 1;
	*flags = sl->flags;
	return sl->cells;
}

static int cm_wrapped(struct copy_mode *cm, unsigned y)
{
	uint32_t flags;

	cm_line(cm, y, &flags);
	return (flags & ROW_WRAPPED) != 0;
}

static int cm_cell_space(const struct cell *c)
{
	return !(c->attr & (CELL_CLUSTER | CELL_WIDE_TAIL)) && (c->ch == ' ' || c->ch == 0);
}

/* Cells up to the last that is not a space (tmux's line length). */
static unsigned cm_length(struct copy_mode *cm, unsigned y)
{
	uint32_t flags;
	const struct cell *c = cm_line(cm, y, &flags);
	unsigned n = cm->cols;

	while (n > 0 && cm_cell_space(&c[n - 1]))
		n--;
	return n;
}

/* The last column the cursor may take: just past the line's last
 * character, in vi as in emacs (tmux 3.3a). */
static unsigned cm_limit(struct copy_mode *cm, unsigned y, int onemore)
{
	(void)onemore;
	return cm_length(cm, y);
}

static unsigned cm_cury(const struct copy_mode *cm)
{
	return cm->hsize - cm->oy + cm->cy;
}

static void cm_clear_selection(struct copy_mode *cm);

/* ---- the pane's own screen as the source (the daemon's copy mode) ---- */

/* Absolute line ABS of the screen ARG: a history line while the history
 * holds it, else a row of the visible grid (the rows continue the
 * history's numbers). */
static int screen_line(void *arg, uint64_t abs, struct cell *out, unsigned cols, uint32_t *flags,
    struct clusters *cl)
{
	const struct screen *s = arg;
	const struct history *h = s->history;
	uint64_t total = h != NULL ? history_total(h) : 0;
	uint64_t first = total - (h != NULL ? history_size(h) : 0);
	const struct grid_row *row;
	char text[CLUSTER_MAX_BYTES];
	unsigned x;
	size_t n;

	for (x = 0; x < cols; x++)
		out[x] = cell_blank(NULL);
	*flags = 0;
	if (abs < first)
		return -1;
	if (abs < total)
		return history_get(h, (unsigned)(abs - first), out, cols, flags, cl) < 0 ? -1 : 0;
	if (s->grid == NULL || abs - total >= s->grid->rows)
		return 0;
	row = &s->grid->row[abs - total];
	*flags = row->flags;
	for (x = 0; x < cols && x < s->grid->cols; x++) {
		out[x] = row->cells[x];
		if (out[x].attr & CELL_CLUSTER) {
			/* Ids are the screen's: intern the text in ours. */
			n = cell_utf8(&row->cells[x], s->clusters, text);
			out[x].ch = n > 0 ? clusters_add(cl, text, n) : UINT32_MAX;
			if (out[x].ch == UINT32_MAX) {
				out[x].attr &= (uint16_t)~CELL_CLUSTER;
				out[x].ch = UTF8_REPLACEMENT;
			}
		}
	}
	return 0;
}

/* ---- entry ---- */

/* Copy the COLS x ROWS screen that follows HSIZE history lines from
 * absolute line BASE_ABS. */
static void cm_snapshot(struct copy_mode *cm, unsigned cols, unsigned rows, unsigned hsize,
    uint64_t base_abs)
{
	unsigned y, x;

	cols = cols ? cols : 1;
	rows = rows ? rows : 1;
	if (cm->cl != NULL && cols == cm->cols && rows == cm->rows) {
		clusters_free(cm->cl);
	} else {
		if (cm->cl != NULL)
			clusters_free(cm->cl);
		free(cm->snap);
		free(cm->snap_flags);
		free(cm->blank);
		for (x = 0; x < CM_SLOTS; x++)
			free(cm->slot[x].cells);
		cm->cols = cols;
		cm->rows = rows;
		cm->snap = xcalloc((size_t)cm->cols * cm->rows, sizeof *cm->snap);
		cm->snap_flags = xcalloc(cm->rows, sizeof *cm->snap_flags);
		cm->blank = xcalloc(cm->cols, sizeof *cm->blank);
		for (x = 0; x < cm->cols; x++)
			cm->blank[x] = cell_blank(NULL);
		for (x = 0; x < CM_SLOTS; x++)
			cm->slot[x].cells = xcalloc(cm->cols, sizeof *cm->slot[x].cells);
	}
	cm->cl = clusters_create();
	cm_invalidate(cm);
	cm->hsize = hsize;
	cm->base_abs = base_abs;
	for (y = 0; y < cm->rows; y++) {
		struct cell *dst = &cm->snap[(size_t)y * cm->cols];

		if (cm->src.line(cm->src.arg, base_abs + hsize + y, dst, cm->cols, &cm->snap_flags[y],
			cm->cl) < 0) {
			for (x = 0; x < cm->cols; x++)
				dst[x] = cell_blank(NULL);
			cm->snap_flags[y] = 0;
			cm->misses++;
		}
	}
}

/* The screen's size and history now. */
static void cm_snapshot_screen(struct copy_mode *cm)
{
	const struct screen *s = cm->screen;
	unsigned hsize = s->history != NULL ? history_size(s->history) : 0;
	uint64_t total = s->history != NULL ? history_total(s->history) : 0;

	cm_snapshot(cm, s->cols, s->rows, hsize, total - hsize);
}

static struct copy_mode *cm_create(const struct copy_mode_source *src, int vi)
{
	struct copy_mode *cm = xcalloc(1, sizeof *cm);

	cm->src = *src;
	cm->vi = vi != 0;
	cm->separators = xstrdup(COPY_MODE_WORD_SEPARATORS);
	cm->wrap_search = 1;
	cm->searchcount = -1;
	cm->searchx = cm->searchy = cm->searcho = -1;
	return cm;
}

struct copy_mode *copy_mode_create(const struct screen *s, int vi)
{
	struct copy_mode_source src = { screen_line, (void *)(uintptr_t)s };
	struct copy_mode *cm = cm_create(&src, vi);

	cm->screen = s;
	cm_snapshot_screen(cm);
	cm->cx = RMUX_MIN(s->cx, cm->cols - 1);
	cm->cy = RMUX_MIN(s->cy, cm->rows - 1);
	return cm;
}

struct copy_mode *copy_mode_create_source(const struct copy_mode_source *src, unsigned cols,
    unsigned rows, unsigned hsize, uint64_t base_abs, unsigned cx, unsigned cy, int vi)
{
	struct copy_mode *cm = cm_create(src, vi);

	cm_snapshot(cm, cols, rows, hsize, base_abs);
	cm->cx = RMUX_MIN(cx, cm->cols - 1);
	cm->cy = RMUX_MIN(cy, cm->rows - 1);
	return cm;
}

void copy_mode_set_position(struct copy_mode *cm, unsigned oy, unsigned cx, unsigned cy)
{
	cm_clear_selection(cm);
	cm->marks = 0;
	cm->oy = RMUX_MIN(oy, cm->hsize);
	cm->cy = RMUX_MIN(cy, cm->rows - 1);
	cm->cx = RMUX_MIN(cx, cm->cols);
	cm->lastcx = cm->cx;
	cm->lastsx = 0;
}

struct copy_mode *copy_mode_clone(const struct copy_mode *cm)
{
	struct copy_mode *c = xmalloc(sizeof *c);
	size_t n = (size_t)cm->cols * cm->rows, i;
	char text[CLUSTER_MAX_BYTES];
	size_t len;

	*c = *cm;
	c->snap = xreallocarray(NULL, n, sizeof *c->snap);
	memcpy(c->snap, cm->snap, n * sizeof *c->snap);
	c->snap_flags = xreallocarray(NULL, cm->rows, sizeof *c->snap_flags);
	memcpy(c->snap_flags, cm->snap_flags, cm->rows * sizeof *c->snap_flags);
	c->blank = xreallocarray(NULL, cm->cols, sizeof *c->blank);
	memcpy(c->blank, cm->blank, cm->cols * sizeof *c->blank);
	for (i = 0; i < CM_SLOTS; i++) {
		c->slot[i].cells = xcalloc(cm->cols, sizeof *c->slot[i].cells);
		c->slot[i].valid = 0;
	}
	/* The copy's own cluster table: the snapshot's ids are interned anew. */
	c->cl = clusters_create();
	for (i = 0; i < n; i++) {
		if (!(c->snap[i].attr & CELL_CLUSTER))
			continue;
		len = cell_utf8(&cm->snap[i], cm->cl, text);
		c->snap[i].ch = len > 0 ? clusters_add(c->cl, text, len) : UINT32_MAX;
		if (c->snap[i].ch == UINT32_MAX) {
			c->snap[i].attr &= (uint16_t)~CELL_CLUSTER;
			c->snap[i].ch = UTF8_REPLACEMENT;
		}
	}
	c->separators = xstrdup(cm->separators);
	c->searchstr = cm->searchstr != NULL ? xstrdup(cm->searchstr) : NULL;
	c->copied = NULL;
	c->copied_len = 0;
	if (cm->copied != NULL) {
		c->copied = xmalloc(cm->copied_len + 1);
		memcpy(c->copied, cm->copied, cm->copied_len);
		c->copied[cm->copied_len] = '\0';
		c->copied_len = cm->copied_len;
	}
	return c;
}

unsigned copy_mode_take_misses(struct copy_mode *cm)
{
	unsigned n = cm->misses;

	cm->misses = 0;
	return n;
}

void copy_mode_free(struct copy_mode *cm)
{
	unsigned i;

	if (cm == NULL)
		return;
	for (i = 0; i < CM_SLOTS; i++)
		free(cm->slot[i].cells);
	clusters_free(cm->cl);
	free(cm->snap);
	free(cm->snap_flags);
	free(cm->blank);
	free(cm->separators);
	free(cm->searchstr);
	free(cm->copied);
	free(cm);
}

void copy_mode_refresh(struct copy_mode *cm)
{
	cm_clear_selection(cm);
	cm->marks = 0;
	if (cm->screen != NULL)
		cm_snapshot_screen(cm);
	else
		cm_snapshot(cm, cm->cols, cm->rows, cm->hsize, cm->base_abs);
	if (cm->oy > cm->hsize)
		cm->oy = cm->hsize;
	if (cm->cy >= cm->rows)
		cm->cy = cm->rows - 1;
	if (cm->cx > cm->cols)
		cm->cx = cm->cols;
}

void copy_mode_set_separators(struct copy_mode *cm, const char *separators)
{
	free(cm->separators);
	cm->separators = xstrdup(separators != NULL ? separators : "");
}

void copy_mode_set_wrap_search(struct copy_mode *cm, int on)
{
	cm->wrap_search = on != 0;
}

void copy_mode_set_scroll_exit(struct copy_mode *cm, int on)
{
	cm->scroll_exit = on != 0;
}

/* ---- selection ---- */

static void cm_sync_selection(struct copy_mode *cm)
{
	if (!cm->sel)
		return;
	if (cm->cursordrag == CM_DRAG_END) {
		cm->endselx = cm->cx;
		cm->endsely = cm_cury(cm);
	} else if (cm->cursordrag == CM_DRAG_START) {
		cm->selx = cm->cx;
		cm->sely = cm_cury(cm);
	}
}

static void cm_start_selection(struct copy_mode *cm)
{
	cm->selx = cm->endselx = cm->cx;
	cm->sely = cm->endsely = cm_cury(cm);
	cm->cursordrag = CM_DRAG_END;
	cm->sel = 1;
}

static void cm_clear_selection(struct copy_mode *cm)
{
	unsigned limit;

	cm->sel = 0;
	cm->cursordrag = CM_DRAG_NONE;
	cm->lineflag = CM_LINE_NONE;
	limit = cm_limit(cm, cm_cury(cm), cm->rectflag);
	if (cm->cx > limit)
		cm->cx = limit;
}

/* ---- moving ---- */

/* Cursor to (X, CY) in the view, clamped to the line unless in a
 * rectangle (which may go past the end, as vi's virtualedit=block). */
static void cm_update_cursor(struct copy_mode *cm, unsigned x, unsigned cy)
{
	unsigned limit;

	if (!cm->rectflag && cy < cm->rows) {
		limit = cm_limit(cm, cm->hsize - cm->oy + cy, cm->sel && cm->rectflag);
		if (x > limit)
			x = limit;
	}
	cm->cx = x;
	cm->cy = cy;
	cm_sync_selection(cm);
}

/* Cursor to line PY column PX, scrolling as little as possible. */
static void cm_goto(struct copy_mode *cm, unsigned px, unsigned py)
{
	unsigned top = cm->hsize - cm->oy;

	if (py < top) {
		cm->oy = cm->hsize - py;
		cm->cy = 0;
	} else if (py >= top + cm->rows) {
		cm->oy = cm->hsize + cm->rows - 1 - py;
		cm->cy = cm->rows - 1;
	} else
		cm->cy = py - top;
	cm_update_cursor(cm, px, cm->cy);
}

/* Line PY column PX into view the way search results are shown: if off
 * screen, a quarter of the rows below it (or at the top/bottom edge). */
static void cm_scroll_to(struct copy_mode *cm, unsigned px, unsigned py)
{
	unsigned top = cm->hsize - cm->oy, gap, offset;

	if (py >= top && py < top + cm->rows)
		cm->cy = py - top;
	else {
		gap = cm->rows / 4;
		if (py < cm->rows) {
			offset = 0;
			cm->cy = py;
		} else if (py > cm->hsize + cm->rows - gap) {
			offset = cm->hsize;
			cm->cy = py - cm->hsize;
		} else {
			offset = py + gap - cm->rows;
			cm->cy = py - offset;
		}
		cm->oy = cm->hsize - offset;
	}
	cm->cx = px;
	cm_sync_selection(cm);
}

static void cm_remember_column(struct copy_mode *cm)
{
	unsigned ox = cm_length(cm, cm_cury(cm));

	if (cm->cx != ox) {
		cm->lastcx = cm->cx;
		cm->lastsx = ox;
	}
}

/* After a vertical move: stick to the end of the line if the cursor was
 * at the end of the line it came from. */
static void cm_stick_end(struct copy_mode *cm)
{
	unsigned px = cm_length(cm, cm_cury(cm));

	if ((cm->cx >= cm->lastsx && cm->cx != px) || cm->cx > px)
		cm_update_cursor(cm, px, cm->cy);
}

static void cm_scroll_view(struct copy_mode *cm, int up, unsigned n)
{
	if (up) {
		if (n > cm->hsize - cm->oy)
			n = cm->hsize - cm->oy;
		cm->oy += n;
	} else {
		if (n > cm->oy)
			n = cm->oy;
		cm->oy -= n;
	}
	cm_sync_selection(cm);
}

static void cm_line_select_adjust(struct copy_mode *cm)
{
	/* Line selections put the cursor past the end, even in vi. */
	if (cm->lineflag == CM_LINE_LEFT_RIGHT)
		cm->cx = cm->rectflag ? cm->cols : cm_length(cm, cm_cury(cm));
	else if (cm->lineflag == CM_LINE_RIGHT_LEFT)
		cm->cx = 0;
	else
		return;
	cm_sync_selection(cm);
}

static void cm_cursor_up(struct copy_mode *cm, int scroll_only)
{
	int norect = !cm->sel || !cm->rectflag;

	if (norect)
		cm_remember_column(cm);
	if (scroll_only && cm->vi && cm->cy < cm->rows - 1 && cm->oy < cm->hsize)
		cm->cy++;
	if (scroll_only || cm->cy == 0) {
		if (norect)
			cm->cx = cm->lastcx;
		cm_scroll_view(cm, 1, 1);
		cm_update_cursor(cm, cm->cx, cm->cy);
	} else
		cm_update_cursor(cm, norect ? cm->lastcx : cm->cx, cm->cy - 1);
	if (norect)
		cm_stick_end(cm);
	cm_line_select_adjust(cm);
}

static void cm_cursor_down(struct copy_mode *cm, int scroll_only)
{
	int norect = !cm->sel || !cm->rectflag;

	if (norect)
		cm_remember_column(cm);
	if (scroll_only && cm->vi && cm->cy > 0 && cm->oy > 0)
		cm->cy--;
	if (scroll_only || cm->cy == cm->rows - 1) {
		if (norect)
			cm->cx = cm->lastcx;
		cm_scroll_view(cm, 0, 1);
		cm_update_cursor(cm, cm->cx, cm->cy);
	} else
		cm_update_cursor(cm, norect ? cm->lastcx : cm->cx, cm->cy + 1);
	if (norect)
		cm_stick_end(cm);
	cm_line_select_adjust(cm);
}

static void cm_page(struct copy_mode *cm, int up, int half)
{
	unsigned n = 1;

	cm_remember_column(cm);
	cm->cx = cm->lastcx;
	if (cm->rows > 2)
		n = half ? cm->rows / 2 : cm->rows - 2;
	if (up) {
		if (cm->oy + n > cm->hsize) {
			cm->oy = cm->hsize;
			cm->cy = cm->cy < n ? 0 : cm->cy - n;
		} else
			cm->oy += n;
	} else {
		if (cm->oy < n) {
			cm->cy = cm->cy + (n - cm->oy) >= cm->rows ? cm->rows - 1 : cm->cy + (n - cm->oy);
			cm->oy = 0;
		} else
			cm->oy -= n;
	}
	if (!cm->sel || !cm->rectflag)
		cm_stick_end(cm);
	cm_sync_selection(cm);
}

static void cm_cursor_left(struct copy_mode *cm)
{
	unsigned y = cm_cury(cm);
	uint32_t flags;
	const struct cell *c;

	if (cm->cx > 0) {
		c = cm_line(cm, y, &flags);
		cm->cx--;
		while (cm->cx > 0 && cm->cx < cm->cols && (c[cm->cx].attr & CELL_WIDE_TAIL))
			cm->cx--;
		cm_update_cursor(cm, cm->cx, cm->cy);
	} else if (y > 0)
		cm_goto(cm, cm_length(cm, y - 1), y - 1);
}

static void cm_cursor_right(struct copy_mode *cm)
{
	unsigned y = cm_cury(cm), px;
	uint32_t flags;
	const struct cell *c;

	if (cm->sel && cm->rectflag)
		px = cm->cols;
	else
		px = cm_limit(cm, y, 0);
	if (cm->cx >= px) {
		if (y + 1 < cm_total(cm))
			cm_goto(cm, 0, y + 1);
		return;
	}
	c = cm_line(cm, y, &flags);
	cm->cx++;
	while (cm->cx < cm->cols && (c[cm->cx].attr & CELL_WIDE_TAIL))
		cm->cx++;
	cm_update_cursor(cm, cm->cx, cm->cy);
}

/* The first line of the logical line holding Y (wrapped lines join). */
static unsigned cm_logical_start(struct copy_mode *cm, unsigned y)
{
	while (y > 0 && cm_wrapped(cm, y - 1))
		y--;
	return y;
}

static unsigned cm_logical_end(struct copy_mode *cm, unsigned y)
{
	while (y + 1 < cm_total(cm) && cm_wrapped(cm, y))
		y++;
	return y;
}

static void cm_start_of_line(struct copy_mode *cm)
{
	cm_goto(cm, 0, cm_logical_start(cm, cm_cury(cm)));
}

static void cm_end_of_line(struct copy_mode *cm)
{
	unsigned y = cm_logical_end(cm, cm_cury(cm));

	cm_goto(cm, (cm->sel && cm->rectflag) ? cm->cols : cm_limit(cm, y, 0), y);
}

static void cm_back_to_indentation(struct copy_mode *cm)
{
	unsigned y = cm_logical_start(cm, cm_cury(cm)), end = cm_logical_end(cm, y), x, n;
	uint32_t flags;
	const struct cell *c;

	for (; y <= end; y++) {
		c = cm_line(cm, y, &flags);
		n = cm_length(cm, y);
		for (x = 0; x < n; x++) {
			if (!cm_cell_space(&c[x]) && c[x].ch != '\t') {
				cm_goto(cm, x, y);
				return;
			}
		}
	}
	cm_start_of_line(cm);
}

/* ---- word motions: positions walk cells, a line end is whitespace ---- */

static int cm_class(struct copy_mode *cm, unsigned x, unsigned y, const char *seps)
{
	uint32_t flags;
	const struct cell *c = cm_line(cm, y, &flags);

	if (x >= cm->cols || (!(flags & ROW_WRAPPED) && x >= cm_length(cm, y)))
		return CM_WS;
	if (c[x].attr & CELL_WIDE_TAIL)
		return CM_WORD;
	if (c[x].attr & CELL_CLUSTER)
		return CM_WORD;
	if (c[x].ch == ' ' || c[x].ch == '\t' || c[x].ch == 0)
		return CM_WS;
	if (c[x].ch < 0x80 && *seps != '\0' && strchr(seps, (int)c[x].ch) != NULL)
		return CM_SEP;
	return CM_WORD;
}

static int cm_advance(struct copy_mode *cm, unsigned *x, unsigned *y)
{
	unsigned end = cm_wrapped(cm, *y) ? cm->cols - 1 : cm_length(cm, *y);

	if (*x < end) {
		(*x)++;
		return 1;
	}
	if (*y + 1 >= cm_total(cm))
		return 0;
	(*y)++;
	*x = 0;
	return 1;
}

static int cm_retreat(struct copy_mode *cm, unsigned *x, unsigned *y)
{
	if (*x > 0) {
		(*x)--;
		return 1;
	}
	if (*y == 0)
		return 0;
	(*y)--;
	*x = cm_wrapped(cm, *y) ? cm->cols - 1 : cm_length(cm, *y);
	return 1;
}

static void cm_next_word(struct copy_mode *cm, const char *seps)
{
	unsigned x = cm->cx, y = cm_cury(cm);
	int cls = cm_class(cm, x, y, seps);

	if (cls != CM_WS) {
		while (cm_class(cm, x, y, seps) == cls) {
			if (!cm_advance(cm, &x, &y))
				goto out;
		}
	}
	while (cm_class(cm, x, y, seps) == CM_WS) {
		if (!cm_advance(cm, &x, &y))
			break;
	}
out:
	cm_goto(cm, x, y);
}

static void cm_next_word_end(struct copy_mode *cm, const char *seps)
{
	unsigned x = cm->cx, y = cm_cury(cm);
	int cls;

	if (cm->vi && cm_class(cm, x, y, seps) != CM_WS)
		cm_advance(cm, &x, &y);
	while (cm_class(cm, x, y, seps) == CM_WS) {
		if (!cm_advance(cm, &x, &y))
			goto out;
	}
	cls = cm_class(cm, x, y, seps);
	while (cm_class(cm, x, y, seps) == cls) {
		if (!cm_advance(cm, &x, &y))
			goto out;
	}
	if (cm->vi)
		cm_retreat(cm, &x, &y);
out:
	cm_goto(cm, x, y);
}

static void cm_previous_word(struct copy_mode *cm, const char *seps)
{
	unsigned x = cm->cx, y = cm_cury(cm), px, py;
	int cls;

	if (!cm_retreat(cm, &x, &y))
		goto out;
	while (cm_class(cm, x, y, seps) == CM_WS) {
		if (!cm_retreat(cm, &x, &y))
			goto out;
	}
	cls = cm_class(cm, x, y, seps);
	for (;;) {
		px = x;
		py = y;
		if (!cm_retreat(cm, &px, &py) || cm_class(cm, px, py, seps) != cls)
			break;
		x = px;
		y = py;
	}
out:
	cm_goto(cm, x, y);
}

static void cm_paragraph(struct copy_mode *cm, int next)
{
	unsigned y = cm_cury(cm), maxy = cm_total(cm) - 1;

	if (next) {
		while (y < maxy && cm_length(cm, y) == 0)
			y++;
		while (y < maxy && cm_length(cm, y) > 0)
			y++;
		cm_scroll_to(cm, cm_length(cm, y), y);
	} else {
		while (y > 0 && cm_length(cm, y) == 0)
			y--;
		while (y > 0 && cm_length(cm, y) > 0)
			y--;
		cm_scroll_to(cm, 0, y);
	}
}

/* ---- jumps (f F t T) ---- */

static int cm_cell_is(struct copy_mode *cm, unsigned x, unsigned y, uint32_t ch)
{
	uint32_t flags;
	const struct cell *c = cm_line(cm, y, &flags);

	return x < cm->cols && !(c[x].attr & (CELL_CLUSTER | CELL_WIDE_TAIL)) && c[x].ch == ch;
}

/* Find the jump character from (X, Y) forward or backward within the
 * logical line; returns 1 and moves X, Y when found. */
static int cm_jump_find(struct copy_mode *cm, unsigned *x, unsigned *y, int forward)
{
	unsigned px = *x, py = *y, len;

	if (forward) {
		for (;;) {
			len = cm_wrapped(cm, py) ? cm->cols : cm_length(cm, py);
			for (; px < len; px++) {
				if (cm_cell_is(cm, px, py, cm->jumpchar)) {
					*x = px;
					*y = py;
					return 1;
				}
			}
			if (!cm_wrapped(cm, py) || py + 1 >= cm_total(cm))
				return 0;
			py++;
			px = 0;
		}
	}
	for (;;) {
		if (px != UINT32_MAX) {
			for (;; px--) {
				if (cm_cell_is(cm, px, py, cm->jumpchar)) {
					*x = px;
					*y = py;
					return 1;
				}
				if (px == 0)
					break;
			}
		}
		if (py == 0 || !cm_wrapped(cm, py - 1))
			return 0;
		py--;
		px = cm->cols - 1;
	}
}

static void cm_jump(struct copy_mode *cm, int type)
{
	unsigned x = cm->cx, y = cm_cury(cm);

	switch (type) {
	case CM_JUMP_FORWARD:
		x++;
		if (cm_jump_find(cm, &x, &y, 1))
			cm_goto(cm, x, y);
		break;
	case CM_JUMP_TO_FORWARD:
		x += 2;
		if (cm_jump_find(cm, &x, &y, 1)) {
			if (x > 0)
				x--;
			cm_goto(cm, x, y);
		}
		break;
	case CM_JUMP_BACKWARD:
		if (x == 0)
			break;
		x--;
		if (cm_jump_find(cm, &x, &y, 0))
			cm_goto(cm, x, y);
		break;
	case CM_JUMP_TO_BACKWARD:
		if (x < 2)
			break;
		x -= 2;
		if (cm_jump_find(cm, &x, &y, 0))
			cm_goto(cm, x + 1, y);
		break;
	}
}

/* ---- search ---- */

struct cm_pattern {
	uint32_t *cp;
	size_t n;
	int cis; /* the pattern is lower case: ignore case */
};

static void cm_pattern_init(struct cm_pattern *p, const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t c;

	p->cp = xcalloc(len + 1, sizeof *p->cp);
	p->n = 0;
	p->cis = 1;
	while (i < len) {
		i += utf8_decode((const uint8_t *)s + i, len - i, &c);
		if (utf8_width(c) == 0)
			continue; /* combining marks are compared with their base only */
		p->cp[p->n++] = c;
	}
	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] < 0x80 && isupper((unsigned char)s[i]))
			p->cis = 0;
	}
}

static int cm_cell_matches(const struct cell *c, uint32_t want, int cis)
{
	uint32_t ch = c->ch;

	if (c->attr & CELL_CLUSTER)
		return 0;
	if (ch == 0)
		ch = ' ';
	if (cis && ch >= 'A' && ch <= 'Z')
		ch += 'a' - 'A';
	return ch == want;
}

/* Does the pattern start at (X, Y)? Sets the position after it. */
static int cm_match_at(struct copy_mode *cm, const struct cm_pattern *p, unsigned x, unsigned y,
		       unsigned *ex, unsigned *ey)
{
	uint32_t flags;
	const struct cell *c = cm_line(cm, y, &flags);
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (x >= cm->cols) {
			if (!(flags & ROW_WRAPPED) || y + 1 >= cm_total(cm))
				return 0;
			y++;
			x = 0;
			c = cm_line(cm, y, &flags);
		}
		if (c[x].attr & CELL_WIDE_TAIL)
			return 0;
		if (!cm_cell_matches(&c[x], p->cp[i], p->cis))
			return 0;
		x++;
		while (x < cm->cols && (c[x].attr & CELL_WIDE_TAIL))
			x++;
	}
	*ex = x;
	*ey = y;
	return 1;
}

/* Can the pattern start at cell X of line Y? A cheap test of the first
 * character on the line read once, so that cm_match_at() (which reads
 * the line again and follows wraps) runs only where it may match:
 * searches and match counts cover the whole history. */
struct cm_scan {
	unsigned y;
	const struct cell *c;
};

static int cm_may_match(struct copy_mode *cm, struct cm_scan *sc, const struct cm_pattern *p,
    unsigned x, unsigned y)
{
	uint32_t flags;

	if (p->n == 0)
		return 1;
	if (sc->c == NULL || sc->y != y) {
		sc->c = cm_line(cm, y, &flags);
		sc->y = y;
	}
	return !(sc->c[x].attr & CELL_WIDE_TAIL) && cm_cell_matches(&sc->c[x], p->cp[0], p->cis);
}

/* cm_match_at() behind cm_may_match(); the scan's line is read again
 * after it (it may have read others). */
static int cm_scan_match(struct copy_mode *cm, struct cm_scan *sc, const struct cm_pattern *p,
    unsigned x, unsigned y, unsigned *ex, unsigned *ey)
{
	int found;

	if (!cm_may_match(cm, sc, p, x, y))
		return 0;
	found = cm_match_at(cm, p, x, y, ex, ey);
	sc->c = NULL;
	return found;
}

static int cm_search_lines(struct copy_mode *cm, const struct cm_pattern *p, unsigned fx,
			   unsigned fy, unsigned endy, int down, unsigned *px, unsigned *py)
{
	struct cm_scan sc = { 0, NULL };
	unsigned x, y, ex, ey;

	if (down) {
		for (y = fy; y <= endy; y++) {
			for (x = (y == fy ? fx : 0); x < cm->cols; x++) {
				if (cm_scan_match(cm, &sc, p, x, y, &ex, &ey)) {
					*px = x;
					*py = y;
					return 1;
				}
			}
		}
		return 0;
	}
	for (y = fy + 1; y > endy; y--) {
		x = (y - 1 == fy ? fx : cm->cols - 1);
		if (x >= cm->cols)
			x = cm->cols - 1;
		for (;; x--) {
			if (cm_scan_match(cm, &sc, p, x, y - 1, &ex, &ey)) {
				*px = x;
				*py = y - 1;
				return 1;
			}
			if (x == 0)
				break;
		}
	}
	return 0;
}

static int cm_count_matches(struct copy_mode *cm, const struct cm_pattern *p)
{
	struct cm_scan sc = { 0, NULL };
	unsigned x, y, ex, ey;
	int n = 0;

	for (y = 0; y < cm_total(cm); y++) {
		for (x = 0; x < cm->cols;) {
			if (cm_scan_match(cm, &sc, p, x, y, &ex, &ey)) {
				n++;
				x = ey == y ? ex : cm->cols;
			} else
				x++;
		}
	}
	return n;
}

/* The match holding the cursor (or ending just before it): its span. */
static int cm_match_at_cursor(struct copy_mode *cm, const struct cm_pattern *p, unsigned *sx,
			      unsigned *sy, unsigned *ex, unsigned *ey)
{
	unsigned cy = cm_cury(cm), y, x, mx, my;

	if (p->n == 0)
		return 0;
	for (y = cm_logical_start(cm, cy); y <= cy; y++) {
		for (x = 0; x < cm->cols; x++) {
			if (!cm_match_at(cm, p, x, y, &mx, &my))
				continue;
			if ((y < cy || x <= cm->cx) &&
			    (my > cy || (my == cy && mx > cm->cx) ||
			     (!cm->vi && cm->searchdir && my == cy && mx == cm->cx))) {
				*sx = x;
				*sy = y;
				*ex = mx;
				*ey = my;
				return 1;
			}
		}
	}
	return 0;
}

static int cm_search(struct copy_mode *cm, int down)
{
	struct cm_pattern p;
	unsigned fx = cm->cx, fy = cm_cury(cm), last = cm_total(cm) - 1, px, py, ex, ey;
	unsigned sx, sy;
	int found = 0;

	if (cm->searchstr == NULL || *cm->searchstr == '\0')
		return 0;
	cm_pattern_init(&p, cm->searchstr);
	if (p.n == 0)
		goto out;
	cm->searchdir = down;
	if (down) {
		/* vi starts after the match under the cursor, emacs at it
		 * (its cursor is already after the last match). */
		if (cm->vi) {
			if (cm->marks && cm_match_at_cursor(cm, &p, &sx, &sy, &ex, &ey) && ey < cm_total(cm)) {
				fx = ex;
				fy = ey;
			} else
				fx++;
			if (fx >= cm->cols) {
				fx = 0;
				fy = fy < last ? fy + 1 : (cm->wrap_search ? 0 : fy);
			}
		}
		found = cm_search_lines(cm, &p, fx, fy, last, 1, &px, &py);
		if (!found && cm->wrap_search)
			found = cm_search_lines(cm, &p, 0, 0, fy, 1, &px, &py);
	} else {
		if (fx == 0) {
			if (fy == 0) {
				if (!cm->wrap_search)
					goto out;
				fy = last;
			} else
				fy--;
			fx = cm->cols - 1;
		} else
			fx--;
		found = cm_search_lines(cm, &p, fx, fy, 0, 0, &px, &py);
		if (!found && cm->wrap_search)
			found = cm_search_lines(cm, &p, cm->cols - 1, last, fy, 0, &px, &py);
	}
	if (!found)
		goto out;
	cm_scroll_to(cm, px, py);
	if (down && !cm->vi && cm_match_at(cm, &p, px, py, &ex, &ey)) {
		/* Emacs leaves the cursor after the match. */
		if (ex >= cm->cols && ey + 1 < cm_total(cm)) {
			ex = 0;
			ey++;
		}
		if (ex > cm->cols)
			ex = cm->cols;
		if (ey >= cm->hsize - cm->oy && ey < cm->hsize - cm->oy + cm->rows) {
			cm->cy = ey - (cm->hsize - cm->oy);
			cm->cx = ex;
		}
	}
	cm_sync_selection(cm);
	cm->marks = 1;
	cm->searchcount = cm_count_matches(cm, &p);
out:
	free(p.cp);
	return found;
}

static void cm_set_search(struct copy_mode *cm, const char *s, int type)
{
	free(cm->searchstr);
	cm->searchstr = xstrdup(s);
	cm->searchtype = type;
}

const char *copy_mode_search_string(const struct copy_mode *cm)
{
	return cm->searchstr;
}

void copy_mode_set_search_string(struct copy_mode *cm, const char *s)
{
	cm_set_search(cm, s, CM_SEARCH_UP);
}

/* search-*-incremental: ARG starts with '=' (the text changed), '+' (next
 * forward) or '-' (next backward), as tmux's incremental prompt sends. */
static int cm_search_incremental(struct copy_mode *cm, const char *arg, int down)
{
	char prefix = *arg;
	int r = COPY_MODE_REDRAW;

	if (prefix != '=' && prefix != '+' && prefix != '-')
		return COPY_MODE_UNKNOWN;
	arg++;
	if (cm->searchx == -1 || cm->searchy == -1) {
		cm->searchx = (int)cm->cx;
		cm->searchy = (int)cm->cy;
		cm->searcho = (int)cm->oy;
	} else if (cm->searchstr != NULL && strcmp(arg, cm->searchstr) != 0) {
		/* The text changed: search again from where it began. */
		cm->cx = (unsigned)cm->searchx;
		cm->cy = (unsigned)cm->searchy;
		cm->oy = RMUX_MIN((unsigned)cm->searcho, cm->hsize);
	}
	if (*arg == '\0') {
		cm->marks = 0;
		return r;
	}
	if (prefix == '=')
		prefix = down ? '+' : '-';
	if (prefix == '+') {
		cm_set_search(cm, arg, CM_SEARCH_DOWN);
		cm_search(cm, 1);
	} else {
		cm_set_search(cm, arg, CM_SEARCH_UP);
		cm_search(cm, 0);
	}
	return r;
}

/* ---- copying ---- */

static void cm_cell_text(struct copy_mode *cm, const struct cell *c, struct buf *b)
{
	char text[CLUSTER_MAX_BYTES];
	size_t n = cell_utf8(c, cm->cl, text);

	if (n == 0 && !(c->attr & (CELL_CLUSTER | CELL_WIDE_TAIL))) {
		text[0] = ' ';
		n = 1;
	}
	buf_add(b, text, n);
}

static void cm_copy_line(struct copy_mode *cm, struct buf *b, unsigned y, unsigned sx, unsigned ex)
{
	uint32_t flags;
	const struct cell *c;
	unsigned xx, i;
	int wrapped;

	if (sx > ex)
		return;
	c = cm_line(cm, y, &flags);
	wrapped = (flags & ROW_WRAPPED) != 0;
	xx = wrapped ? cm->cols : cm_length(cm, y);
	if (ex > xx)
		ex = xx;
	if (sx > xx)
		sx = xx;
	for (i = sx; i < ex; i++) {
		if (c[i].attr & CELL_WIDE_TAIL)
			continue;
		cm_cell_text(cm, &c[i], b);
	}
	if (!wrapped || ex != xx)
		buf_add(b, "\n", 1);
}

static char *cm_get_selection(struct copy_mode *cm, size_t *len)
{
	unsigned sx, sy, ex, ey, y, ey_last, firstsx, lastex, restsx, restex, selx;
	struct buf b;
	struct cm_pattern p;
	unsigned msx, msy, mex, mey;

	*len = 0;
	if (!cm->sel) {
		/* No selection: tmux copies the search match at the cursor. */
		if (!cm->marks || cm->searchstr == NULL)
			return NULL;
		cm_pattern_init(&p, cm->searchstr);
		buf_init(&b);
		if (cm_match_at_cursor(cm, &p, &msx, &msy, &mex, &mey)) {
			for (y = msy; y <= mey; y++) {
				uint32_t flags;
				const struct cell *c = cm_line(cm, y, &flags);
				unsigned x, to = y == mey ? mex : cm->cols;

				for (x = y == msy ? msx : 0; x < to && x < cm->cols; x++) {
					if (!(c[x].attr & CELL_WIDE_TAIL))
						cm_cell_text(cm, &c[x], &b);
				}
			}
		}
		free(p.cp);
		if (b.len == 0) {
			buf_free(&b);
			return NULL;
		}
		*len = b.len;
		buf_add(&b, "", 1);
		return (char *)b.data;
	}

	if (cm->endsely < cm->sely || (cm->endsely == cm->sely && cm->endselx < cm->selx)) {
		sx = cm->endselx;
		sy = cm->endsely;
		ex = cm->selx;
		ey = cm->sely;
	} else {
		sx = cm->selx;
		sy = cm->sely;
		ex = cm->endselx;
		ey = cm->endsely;
	}
	if (cm->lineflag != CM_LINE_NONE) {
		/* Whole lines; the end is past the last character. */
		sx = 0;
		ex = cm_length(cm, ey) + (cm->vi ? 1 : 0);
		if (!cm->vi)
			ex = cm_length(cm, ey);
	}
	ey_last = cm_length(cm, ey);
	if (ex > ey_last && cm->lineflag == CM_LINE_NONE)
		ex = ey_last;

	if (cm->rectflag) {
		selx = cm->cursordrag == CM_DRAG_END ? cm->selx : cm->endselx;
		if (selx < cm->cx) {
			lastex = restex = cm->vi ? cm->cx + 1 : cm->cx;
			firstsx = restsx = selx;
		} else {
			lastex = restex = selx + 1;
			firstsx = restsx = cm->cx;
		}
	} else {
		lastex = cm->vi ? ex + 1 : ex;
		if (cm->lineflag != CM_LINE_NONE)
			lastex = ex;
		restex = cm->cols;
		firstsx = sx;
		restsx = 0;
	}

	buf_init(&b);
	for (y = sy; y <= ey; y++)
		cm_copy_line(cm, &b, y, y == sy ? firstsx : restsx, y == ey ? lastex : restex);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	/* The last newline goes, except a vi selection reaching past the end. */
	if (!cm->vi || lastex <= ey_last) {
		if (!cm_wrapped(cm, ey) || lastex != ey_last)
			b.len--;
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	buf_add(&b, "", 1);
	return (char *)b.data;
}

char *copy_mode_selection_text(struct copy_mode *cm, size_t *len)
{
	size_t dummy;

	return cm_get_selection(cm, len != NULL ? len : &dummy);
}

static int cm_copy(struct copy_mode *cm, int append)
{
	size_t len;
	char *text = cm_get_selection(cm, &len);

	if (text == NULL)
		return 0;
	free(cm->copied);
	cm->copied = text;
	cm->copied_len = len;
	return COPY_MODE_COPIED | (append ? COPY_MODE_APPEND : 0);
}

char *copy_mode_take_copy(struct copy_mode *cm, size_t *len)
{
	char *text = cm->copied;

	if (len != NULL)
		*len = cm->copied_len;
	cm->copied = NULL;
	cm->copied_len = 0;
	return text;
}

static void cm_other_end(struct copy_mode *cm)
{
	unsigned x, y;

	if (!cm->sel)
		return;
	if (cm->lineflag == CM_LINE_LEFT_RIGHT)
		cm->lineflag = CM_LINE_RIGHT_LEFT;
	else if (cm->lineflag == CM_LINE_RIGHT_LEFT)
		cm->lineflag = CM_LINE_LEFT_RIGHT;
	if (cm->cursordrag == CM_DRAG_END) {
		cm->cursordrag = CM_DRAG_START;
		x = cm->selx;
		y = cm->sely;
	} else {
		cm->cursordrag = CM_DRAG_END;
		x = cm->endselx;
		y = cm->endsely;
	}
	cm_goto(cm, x, y);
}

static void cm_select_line(struct copy_mode *cm)
{
	cm->lineflag = CM_LINE_LEFT_RIGHT;
	cm->rectflag = 0;
	cm_start_of_line(cm);
	cm_start_selection(cm);
	cm_end_of_line(cm);
	cm->endselx = cm_length(cm, cm_cury(cm));
}

static void cm_select_word(struct copy_mode *cm)
{
	unsigned x = cm->cx, y = cm_cury(cm), px, py;
	int cls = cm_class(cm, x, y, cm->separators);

	cm->lineflag = CM_LINE_NONE;
	for (;;) {
		px = x;
		py = y;
		if (!cm_retreat(cm, &px, &py) || cm_class(cm, px, py, cm->separators) != cls)
			break;
		x = px;
		y = py;
	}
	cm_goto(cm, x, y);
	cm_start_selection(cm);
	x = cm->cx;
	for (;;) {
		px = x;
		py = y;
		if (!cm_advance(cm, &px, &py) || cm_class(cm, px, py, cm->separators) != cls)
			break;
		x = px;
		y = py;
	}
	cm_goto(cm, cm->vi ? x : x + 1, y);
}

/* copy-end-of-line and copy-line: select, copy, and put things back. */
static int cm_copy_span(struct copy_mode *cm, int whole_line, unsigned repeat, int cancel)
{
	unsigned ocx = cm->cx, ocy = cm->cy, ooy = cm->oy;
	int r;

	if (whole_line)
		cm_start_of_line(cm);
	cm_start_selection(cm);
	for (; repeat > 1; repeat--)
		cm_cursor_down(cm, 0);
	cm_end_of_line(cm);
	r = cm_copy(cm, 0);
	cm_clear_selection(cm);
	if (cancel)
		return r | COPY_MODE_CANCEL;
	cm->cx = ocx;
	cm->cy = ocy;
	cm->oy = ooy;
	return r | COPY_MODE_REDRAW;
}

/* ---- commands ---- */

/* When search marks go away: emacs clears them on motion, vi keeps them. */
#define CM_CLEAR_ALWAYS 0
#define CM_CLEAR_EMACS 1
#define CM_CLEAR_NEVER 2

struct cm_command {
	const char *name;
	int minargs, maxargs;
	int clear;
	int (*fn)(struct copy_mode *, int, int, const char *const *, unsigned);
	int arg; /* the variant of fn the name stands for: CM_ARG_*, CM_ROW_*, ... */
};

/* One function serves several names: the arg of an entry says which. */
#define CM_ARG_BACK 0x1     /* up, backwards, previous */
#define CM_ARG_SCROLL 0x2   /* move the view, not the cursor */
#define CM_ARG_HALF 0x4     /* half a page */
#define CM_ARG_CANCEL 0x8   /* ...-and-cancel */
#define CM_ARG_SPACE 0x10   /* words are separated by spaces only */
#define CM_ARG_END 0x20     /* to the end of the word */
#define CM_ARG_REVERSE 0x40 /* the last jump or search, the other way */
#define CM_ARG_APPEND 0x80  /* append to the newest buffer */
#define CM_ARG_LINE 0x100   /* the whole line, not from the cursor */
#define CM_ARG_EACH 0x200   /* act once for each repeat, not once */
enum { CM_ROW_TOP, CM_ROW_MIDDLE, CM_ROW_BOTTOM };
enum { CM_RECT_OFF, CM_RECT_ON, CM_RECT_TOGGLE };

#define CM_EACH(body)                                                                              \
	do {                                                                                       \
		for (; repeat > 0; repeat--) {                                                     \
			body;                                                                      \
		}                                                                                  \
	} while (0)

static int cmd_cursor(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	int scroll = (arg & CM_ARG_SCROLL) != 0;
	unsigned cy = cm->cy;

	(void)c, (void)v;
	if (arg & CM_ARG_BACK)
		CM_EACH(cm_cursor_up(cm, scroll));
	else
		CM_EACH(cm_cursor_down(cm, scroll));
	/* scroll-down-and-cancel leaves at the bottom of the history,
	 * cursor-down-and-cancel only when the cursor could not move. */
	if ((arg & CM_ARG_CANCEL) && cm->oy == 0 && (scroll || cy == cm->cy))
		return COPY_MODE_CANCEL;
	return COPY_MODE_REDRAW;
}

static int cmd_page(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	(void)c, (void)v;
	CM_EACH(cm_page(cm, (arg & CM_ARG_BACK) != 0, (arg & CM_ARG_HALF) != 0);
		if ((arg & CM_ARG_CANCEL) && cm->oy == 0 && !cm->sel) return COPY_MODE_CANCEL);
	return COPY_MODE_REDRAW;
}

static void cm_history_top(struct copy_mode *cm)
{
	cm->cy = 0;
	cm->cx = 0;
	cm->oy = cm->hsize;
	cm_sync_selection(cm);
}

static void cm_history_bottom(struct copy_mode *cm)
{
	cm->cy = cm->rows - 1;
	cm->oy = 0;
	cm->cx = cm_limit(cm, cm_cury(cm), 0);
	cm_sync_selection(cm);
}

static unsigned cm_row(const struct copy_mode *cm, int row)
{
	switch (row) {
	case CM_ROW_TOP: return 0;
	case CM_ROW_MIDDLE: return (cm->rows - 1) / 2;
	}
	return cm->rows - 1;
}

static int cmd_view_line(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	(void)c, (void)v, (void)repeat;
	cm->cx = 0;
	cm->cy = cm_row(cm, arg);
	cm_sync_selection(cm);
	return COPY_MODE_REDRAW;
}

static int cmd_word(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	const char *separators = (arg & CM_ARG_SPACE) ? "" : cm->separators;

	(void)c, (void)v;
	if (arg & CM_ARG_BACK)
		CM_EACH(cm_previous_word(cm, separators));
	else if (arg & CM_ARG_END)
		CM_EACH(cm_next_word_end(cm, separators));
	else
		CM_EACH(cm_next_word(cm, separators));
	return COPY_MODE_REDRAW;
}

static int cmd_paragraph(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	(void)c, (void)v;
	CM_EACH(cm_paragraph(cm, !(arg & CM_ARG_BACK)));
	return COPY_MODE_REDRAW;
}

/* ARG is the jump type. */
static int cmd_jump(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	uint32_t ch;

	if (c < 1 || *v[0] == '\0')
		return COPY_MODE_UNKNOWN;
	utf8_decode((const uint8_t *)v[0], strlen(v[0]), &ch);
	cm->jumptype = arg;
	cm->jumpchar = ch;
	CM_EACH(cm_jump(cm, arg));
	return COPY_MODE_REDRAW;
}

static int cmd_jump_again(struct copy_mode *cm, int arg, int c, const char *const *v,
			  unsigned repeat)
{
	static const int reverse[] = { CM_JUMP_OFF, CM_JUMP_BACKWARD, CM_JUMP_FORWARD,
				       CM_JUMP_TO_BACKWARD, CM_JUMP_TO_FORWARD };
	int type = (arg & CM_ARG_REVERSE) ? reverse[cm->jumptype] : cm->jumptype;

	(void)c, (void)v;
	if (cm->jumptype != CM_JUMP_OFF)
		CM_EACH(cm_jump(cm, type));
	return COPY_MODE_REDRAW;
}

static int cmd_search(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	int down = !(arg & CM_ARG_BACK);
	int type = down ? CM_SEARCH_DOWN : CM_SEARCH_UP;

	if (c > 0 && *v[0] != '\0')
		cm_set_search(cm, v[0], type);
	else if (cm->searchstr == NULL)
		return COPY_MODE_REDRAW;
	cm->searchtype = type;
	CM_EACH(cm_search(cm, down));
	return COPY_MODE_REDRAW;
}

static int cmd_search_incremental(struct copy_mode *cm, int arg, int c, const char *const *v,
				  unsigned repeat)
{
	(void)repeat;
	if (c < 1)
		return COPY_MODE_UNKNOWN;
	return cm_search_incremental(cm, v[0], !(arg & CM_ARG_BACK));
}

static int cmd_search_again(struct copy_mode *cm, int arg, int c, const char *const *v,
			    unsigned repeat)
{
	int down = (cm->searchtype == CM_SEARCH_DOWN) != ((arg & CM_ARG_REVERSE) != 0);

	(void)c, (void)v;
	if (cm->searchtype != CM_SEARCH_OFF)
		CM_EACH(cm_search(cm, down));
	return COPY_MODE_REDRAW;
}

static void cm_begin_selection(struct copy_mode *cm)
{
	cm->lineflag = CM_LINE_NONE;
	cm_start_selection(cm);
}

static void cm_stop_selection(struct copy_mode *cm)
{
	cm->cursordrag = CM_DRAG_NONE;
	cm->lineflag = CM_LINE_NONE;
}

static int cmd_select_line(struct copy_mode *cm, int arg, int c, const char *const *v,
			   unsigned repeat)
{
	(void)arg, (void)c, (void)v;
	cm_select_line(cm);
	for (; repeat > 1; repeat--)
		cm_cursor_down(cm, 0);
	return COPY_MODE_REDRAW;
}

static int cmd_rectangle(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	unsigned limit;

	(void)c, (void)v, (void)repeat;
	cm->lineflag = CM_LINE_NONE;
	cm->rectflag = arg == CM_RECT_TOGGLE ? !cm->rectflag : arg == CM_RECT_ON;
	limit = cm_limit(cm, cm_cury(cm), cm->rectflag);
	if (cm->cx > limit)
		cm_update_cursor(cm, limit, cm->cy);
	return COPY_MODE_REDRAW;
}

static int cmd_other_end(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	(void)arg, (void)c, (void)v;
	if (repeat % 2 != 0)
		cm_other_end(cm);
	return COPY_MODE_REDRAW;
}

static int cmd_copy_selection(struct copy_mode *cm, int arg, int c, const char *const *v,
			      unsigned repeat)
{
	int r;

	(void)c, (void)v, (void)repeat;
	r = cm_copy(cm, (arg & CM_ARG_APPEND) != 0);
	cm_clear_selection(cm);
	return r | ((arg & CM_ARG_CANCEL) ? COPY_MODE_CANCEL : COPY_MODE_REDRAW);
}

static int cmd_copy_selection_no_clear(struct copy_mode *cm, int arg, int c, const char *const *v,
				       unsigned repeat)
{
	(void)arg, (void)c, (void)v, (void)repeat;
	return cm_copy(cm, 0);
}

static int cmd_copy_span(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	(void)c, (void)v;
	return cm_copy_span(cm, (arg & CM_ARG_LINE) != 0, repeat, (arg & CM_ARG_CANCEL) != 0);
}

static int cmd_cancel(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	(void)arg, (void)cm, (void)c, (void)v, (void)repeat;
	return COPY_MODE_CANCEL;
}

static int cmd_goto_line(struct copy_mode *cm, int arg, int c, const char *const *v,
			 unsigned repeat)
{
	char *end;
	long n;

	(void)arg, (void)repeat;
	if (c < 1)
		return COPY_MODE_UNKNOWN;
	n = strtol(v[0], &end, 10);
	if (*v[0] == '\0' || *end != '\0')
		return COPY_MODE_REDRAW; /* tmux ignores a bad number */
	if (n < 0 || (unsigned long)n > cm->hsize)
		n = cm->hsize;
	cm->oy = (unsigned)n;
	cm_sync_selection(cm);
	return COPY_MODE_REDRAW;
}

static void cm_toggle_position(struct copy_mode *cm)
{
	cm->hide_position = !cm->hide_position;
}

/* Scrolls so that the cursor's line stands at row ARG of the view. */
static int cmd_scroll_line_to(struct copy_mode *cm, int arg, int c, const char *const *v,
			      unsigned repeat)
{
	unsigned to = cm_row(cm, arg);
	unsigned delta = cm->cy > to ? cm->cy - to : to - cm->cy;

	(void)c, (void)v, (void)repeat;
	if (cm->cy > to && cm->oy >= delta) {
		cm->oy -= delta;
		cm->cy -= delta;
	} else if (cm->cy < to && cm->hsize - cm->oy >= delta) {
		cm->oy += delta;
		cm->cy += delta;
	}
	return COPY_MODE_REDRAW;
}

/* Commands that are one action and a redraw: ARG is the CM_ACT_* index,
 * with CM_ARG_EACH when the action repeats. */
enum {
	CM_ACT_INDENT, CM_ACT_BEGIN_SELECTION, CM_ACT_CLEAR_SELECTION, CM_ACT_LEFT, CM_ACT_RIGHT,
	CM_ACT_END_OF_LINE, CM_ACT_HISTORY_BOTTOM, CM_ACT_HISTORY_TOP, CM_ACT_REFRESH,
	CM_ACT_SELECT_WORD, CM_ACT_START_OF_LINE, CM_ACT_STOP_SELECTION, CM_ACT_TOGGLE_POSITION
};

static void (*const cm_acts[])(struct copy_mode *) = {
	[CM_ACT_INDENT] = cm_back_to_indentation,
	[CM_ACT_BEGIN_SELECTION] = cm_begin_selection,
	[CM_ACT_CLEAR_SELECTION] = cm_clear_selection,
	[CM_ACT_LEFT] = cm_cursor_left,
	[CM_ACT_RIGHT] = cm_cursor_right,
	[CM_ACT_END_OF_LINE] = cm_end_of_line,
	[CM_ACT_HISTORY_BOTTOM] = cm_history_bottom,
	[CM_ACT_HISTORY_TOP] = cm_history_top,
	[CM_ACT_REFRESH] = copy_mode_refresh,
	[CM_ACT_SELECT_WORD] = cm_select_word,
	[CM_ACT_START_OF_LINE] = cm_start_of_line,
	[CM_ACT_STOP_SELECTION] = cm_stop_selection,
	[CM_ACT_TOGGLE_POSITION] = cm_toggle_position,
};

static int cmd_act(struct copy_mode *cm, int arg, int c, const char *const *v, unsigned repeat)
{
	(void)c, (void)v;
	if (!(arg & CM_ARG_EACH))
		repeat = 1;
	CM_EACH(cm_acts[arg & ~CM_ARG_EACH](cm));
	return COPY_MODE_REDRAW;
}

/* copy-pipe* run a command with the selection: the owner runs it; here
 * they copy like their copy-selection* cousins. */
static const struct cm_command cm_commands[] = {
	{ "append-selection", 0, 0, CM_CLEAR_ALWAYS, cmd_copy_selection, CM_ARG_APPEND },
	{ "append-selection-and-cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_copy_selection,
	  CM_ARG_APPEND | CM_ARG_CANCEL },
	{ "back-to-indentation", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_INDENT },
	{ "begin-selection", 0, 0, CM_CLEAR_ALWAYS, cmd_act, CM_ACT_BEGIN_SELECTION },
	{ "bottom-line", 0, 0, CM_CLEAR_EMACS, cmd_view_line, CM_ROW_BOTTOM },
	{ "cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_cancel, 0 },
	{ "clear-selection", 0, 0, CM_CLEAR_ALWAYS, cmd_act, CM_ACT_CLEAR_SELECTION },
	{ "copy-end-of-line", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_span, 0 },
	{ "copy-end-of-line-and-cancel", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_span, CM_ARG_CANCEL },
	{ "copy-line", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_span, CM_ARG_LINE },
	{ "copy-line-and-cancel", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_span,
	  CM_ARG_LINE | CM_ARG_CANCEL },
	{ "copy-pipe", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_selection, 0 },
	{ "copy-pipe-and-cancel", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_selection, CM_ARG_CANCEL },
	{ "copy-pipe-end-of-line", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_span, 0 },
	{ "copy-pipe-end-of-line-and-cancel", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_span, CM_ARG_CANCEL },
	{ "copy-pipe-line", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_span, CM_ARG_LINE },
	{ "copy-pipe-line-and-cancel", 0, 2, CM_CLEAR_ALWAYS, cmd_copy_span,
	  CM_ARG_LINE | CM_ARG_CANCEL },
	{ "copy-pipe-no-clear", 0, 2, CM_CLEAR_NEVER, cmd_copy_selection_no_clear, 0 },
	{ "copy-selection", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_selection, 0 },
	{ "copy-selection-and-cancel", 0, 1, CM_CLEAR_ALWAYS, cmd_copy_selection, CM_ARG_CANCEL },
	{ "copy-selection-no-clear", 0, 1, CM_CLEAR_NEVER, cmd_copy_selection_no_clear, 0 },
	{ "cursor-down", 0, 0, CM_CLEAR_EMACS, cmd_cursor, 0 },
	{ "cursor-down-and-cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_cursor, CM_ARG_CANCEL },
	{ "cursor-left", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_LEFT | CM_ARG_EACH },
	{ "cursor-right", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_RIGHT | CM_ARG_EACH },
	{ "cursor-up", 0, 0, CM_CLEAR_EMACS, cmd_cursor, CM_ARG_BACK },
	{ "end-of-line", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_END_OF_LINE },
	{ "goto-line", 1, 1, CM_CLEAR_EMACS, cmd_goto_line, 0 },
	{ "halfpage-down", 0, 0, CM_CLEAR_EMACS, cmd_page, CM_ARG_HALF },
	{ "halfpage-down-and-cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_page,
	  CM_ARG_HALF | CM_ARG_CANCEL },
	{ "halfpage-up", 0, 0, CM_CLEAR_EMACS, cmd_page, CM_ARG_HALF | CM_ARG_BACK },
	{ "history-bottom", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_HISTORY_BOTTOM },
	{ "history-top", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_HISTORY_TOP },
	{ "jump-again", 0, 0, CM_CLEAR_EMACS, cmd_jump_again, 0 },
	{ "jump-backward", 1, 1, CM_CLEAR_EMACS, cmd_jump, CM_JUMP_BACKWARD },
	{ "jump-forward", 1, 1, CM_CLEAR_EMACS, cmd_jump, CM_JUMP_FORWARD },
	{ "jump-reverse", 0, 0, CM_CLEAR_EMACS, cmd_jump_again, CM_ARG_REVERSE },
	{ "jump-to-backward", 1, 1, CM_CLEAR_EMACS, cmd_jump, CM_JUMP_TO_BACKWARD },
	{ "jump-to-forward", 1, 1, CM_CLEAR_EMACS, cmd_jump, CM_JUMP_TO_FORWARD },
	{ "middle-line", 0, 0, CM_CLEAR_EMACS, cmd_view_line, CM_ROW_MIDDLE },
	{ "next-paragraph", 0, 0, CM_CLEAR_EMACS, cmd_paragraph, 0 },
	{ "next-space", 0, 0, CM_CLEAR_EMACS, cmd_word, CM_ARG_SPACE },
	{ "next-space-end", 0, 0, CM_CLEAR_EMACS, cmd_word, CM_ARG_SPACE | CM_ARG_END },
	{ "next-word", 0, 0, CM_CLEAR_EMACS, cmd_word, 0 },
	{ "next-word-end", 0, 0, CM_CLEAR_EMACS, cmd_word, CM_ARG_END },
	{ "other-end", 0, 0, CM_CLEAR_EMACS, cmd_other_end, 0 },
	{ "page-down", 0, 0, CM_CLEAR_EMACS, cmd_page, 0 },
	{ "page-down-and-cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_page, CM_ARG_CANCEL },
	{ "page-up", 0, 0, CM_CLEAR_EMACS, cmd_page, CM_ARG_BACK },
	{ "previous-paragraph", 0, 0, CM_CLEAR_EMACS, cmd_paragraph, CM_ARG_BACK },
	{ "previous-space", 0, 0, CM_CLEAR_EMACS, cmd_word, CM_ARG_SPACE | CM_ARG_BACK },
	{ "previous-word", 0, 0, CM_CLEAR_EMACS, cmd_word, CM_ARG_BACK },
	{ "rectangle-off", 0, 0, CM_CLEAR_ALWAYS, cmd_rectangle, CM_RECT_OFF },
	{ "rectangle-on", 0, 0, CM_CLEAR_ALWAYS, cmd_rectangle, CM_RECT_ON },
	{ "rectangle-toggle", 0, 0, CM_CLEAR_ALWAYS, cmd_rectangle, CM_RECT_TOGGLE },
	{ "refresh-from-pane", 0, 0, CM_CLEAR_ALWAYS, cmd_act, CM_ACT_REFRESH },
	{ "scroll-bottom", 0, 0, CM_CLEAR_ALWAYS, cmd_scroll_line_to, CM_ROW_BOTTOM },
	{ "scroll-down", 0, 0, CM_CLEAR_EMACS, cmd_cursor, CM_ARG_SCROLL },
	{ "scroll-down-and-cancel", 0, 0, CM_CLEAR_ALWAYS, cmd_cursor,
	  CM_ARG_SCROLL | CM_ARG_CANCEL },
	{ "scroll-middle", 0, 0, CM_CLEAR_ALWAYS, cmd_scroll_line_to, CM_ROW_MIDDLE },
	{ "scroll-top", 0, 0, CM_CLEAR_ALWAYS, cmd_scroll_line_to, CM_ROW_TOP },
	{ "scroll-up", 0, 0, CM_CLEAR_EMACS, cmd_cursor, CM_ARG_SCROLL | CM_ARG_BACK },
	{ "search-again", 0, 0, CM_CLEAR_NEVER, cmd_search_again, 0 },
	{ "search-backward", 0, 1, CM_CLEAR_NEVER, cmd_search, CM_ARG_BACK },
	{ "search-backward-incremental", 1, 1, CM_CLEAR_NEVER, cmd_search_incremental,
	  CM_ARG_BACK },
	{ "search-backward-text", 0, 1, CM_CLEAR_NEVER, cmd_search, CM_ARG_BACK },
	{ "search-forward", 0, 1, CM_CLEAR_NEVER, cmd_search, 0 },
	{ "search-forward-incremental", 1, 1, CM_CLEAR_NEVER, cmd_search_incremental, 0 },
	{ "search-forward-text", 0, 1, CM_CLEAR_NEVER, cmd_search, 0 },
	{ "search-reverse", 0, 0, CM_CLEAR_NEVER, cmd_search_again, CM_ARG_REVERSE },
	{ "select-line", 0, 0, CM_CLEAR_ALWAYS, cmd_select_line, 0 },
	{ "select-word", 0, 0, CM_CLEAR_ALWAYS, cmd_act, CM_ACT_SELECT_WORD },
	{ "start-of-line", 0, 0, CM_CLEAR_EMACS, cmd_act, CM_ACT_START_OF_LINE },
	{ "stop-selection", 0, 0, CM_CLEAR_ALWAYS, cmd_act, CM_ACT_STOP_SELECTION },
	{ "toggle-position", 0, 0, CM_CLEAR_NEVER, cmd_act, CM_ACT_TOGGLE_POSITION },
	{ "top-line", 0, 0, CM_CLEAR_EMACS, cmd_view_line, CM_ROW_TOP },
};

int copy_mode_command(struct copy_mode *cm, const char *name, int argc, const char *const *argv,
		      unsigned repeat)
{
	const struct cm_command *cmd = NULL;
	size_t i;
	int r;

	for (i = 0; i < RMUX_NITEMS(cm_commands); i++) {
		if (strcmp(cm_commands[i].name, name) == 0) {
			cmd = &cm_commands[i];
			break;
		}
	}
	if (cmd == NULL || argc < cmd->minargs || argc > cmd->maxargs)
		return COPY_MODE_UNKNOWN;
	if (repeat == 0)
		repeat = 1;
	r = cmd->fn(cm, cmd->arg, argc, argv, repeat);
	if (r == COPY_MODE_UNKNOWN)
		return r;
	/* copy-mode -e: scrolling back down to the live screen leaves. */
	if (cm->scroll_exit && cm->oy == 0 &&
	    (strcmp(name, "scroll-down") == 0 || strcmp(name, "page-down") == 0 ||
		strcmp(name, "halfpage-down") == 0))
		r |= COPY_MODE_CANCEL;
	if (strncmp(name, "search-", 7) != 0) {
		if (cmd->clear == CM_CLEAR_ALWAYS || (cmd->clear == CM_CLEAR_EMACS && !cm->vi)) {
			if (cm->marks)
				r |= COPY_MODE_REDRAW;
			cm->marks = 0;
			cm->searchx = cm->searchy = -1;
		}
	}
	return r;
}

/* ---- queries ---- */

uint64_t copy_mode_top_line(const struct copy_mode *cm)
{
	return cm->base_abs + cm->hsize - cm->oy;
}

unsigned copy_mode_scroll_position(const struct copy_mode *cm)
{
	return cm->oy;
}

unsigned copy_mode_history_size(const struct copy_mode *cm)
{
	return cm->hsize;
}

void copy_mode_cursor(const struct copy_mode *cm, unsigned *x, unsigned *y)
{
	*x = cm->cx;
	*y = cm->cy;
}

int copy_mode_has_selection(const struct copy_mode *cm)
{
	return cm->sel;
}

void copy_mode_size(const struct copy_mode *cm, unsigned *cols, unsigned *rows)
{
	*cols = cm->cols;
	*rows = cm->rows;
}

const struct clusters *copy_mode_clusters(const struct copy_mode *cm)
{
	return cm->cl;
}

char *copy_mode_line_text(struct copy_mode *cm, unsigned y)
{
	struct buf b;
	uint32_t flags;
	const struct cell *c;
	unsigned line = cm->hsize - cm->oy + y, n, x;

	buf_init(&b);
	if (y < cm->rows) {
		c = cm_line(cm, line, &flags);
		n = cm_length(cm, line);
		for (x = 0; x < n; x++) {
			if (!(c[x].attr & CELL_WIDE_TAIL))
				cm_cell_text(cm, &c[x], &b);
		}
	}
	buf_add(&b, "", 1);
	return (char *)b.data;
}

/* ---- the view ---- */

void copy_mode_style_default(struct copy_mode_style *st)
{
	memset(st, 0, sizeof *st);
	st->mode.fg = colour_palette(0);
	st->mode.bg = colour_palette(3);
	st->match.fg = colour_palette(0);
	st->match.bg = colour_palette(6);
	st->current_match.fg = colour_palette(0);
	st->current_match.bg = colour_palette(5);
}

static void cm_apply(struct cell *c, const struct pen *p)
{
	c->fg = p->fg;
	c->bg = p->bg;
	c->attr = (uint16_t)((c->attr & CELL_SHAPE_MASK) | (p->attr & ATTR_STYLE_MASK));
}

/* Is (X, Y) selected as tmux shows it? */
static int cm_selected(const struct copy_mode *cm, unsigned x, unsigned y)
{
	unsigned sx = cm->selx, sy = cm->sely, ex = cm->endselx, ey = cm->endsely, t;
	uint64_t p, a, b;

	if (!cm->sel)
		return 0;
	if (cm->rectflag) {
		if (sy > ey) {
			t = sy;
			sy = ey;
			ey = t;
		}
		if (sx > ex) {
			t = sx;
			sx = ex;
			ex = t;
		}
		return y >= sy && y <= ey && x >= sx && x <= ex;
	}
	if (cm->lineflag != CM_LINE_NONE) {
		if (sy > ey) {
			t = sy;
			sy = ey;
			ey = t;
		}
		return y >= sy && y <= ey;
	}
	p = (uint64_t)y * (cm->cols + 1) + x;
	a = (uint64_t)sy * (cm->cols + 1) + sx;
	b = (uint64_t)ey * (cm->cols + 1) + ex;
	if (a > b) {
		uint64_t tt = a;

		a = b;
		b = tt;
	}
	/* emacs keeps the top-left character and drops the bottom-right one. */
	return p >= a && (cm->vi ? p <= b : p < b);
}

void copy_mode_render(struct copy_mode *cm, const struct copy_mode_style *st, struct cell *out)
{
	struct copy_mode_style defaults;
	struct cm_pattern p;
	uint8_t *mark = NULL;
	unsigned py, x, y, top = cm->hsize - cm->oy, ex, ey, msx, msy, mex, mey, len, i;
	uint32_t flags;
	const struct cell *c;
	char hdr[96];
	int have_current = 0;

	if (st == NULL) {
		copy_mode_style_default(&defaults);
		st = &defaults;
	}
	p.cp = NULL;
	p.n = 0;
	if (cm->marks && cm->searchstr != NULL) {
		cm_pattern_init(&p, cm->searchstr);
		mark = xcalloc((size_t)cm->rows * cm->cols, 1);
		have_current = cm_match_at_cursor(cm, &p, &msx, &msy, &mex, &mey);
		/* Matches starting above the view may run into it. */
		for (y = cm_logical_start(cm, top); y < top + cm->rows && p.n > 0; y++) {
			for (x = 0; x < cm->cols;) {
				unsigned mx = x, my = y;

				if (!cm_match_at(cm, &p, x, y, &ex, &ey)) {
					x++;
					continue;
				}
				while (my < ey || (my == ey && mx < ex)) {
					if (my >= top && my < top + cm->rows && mx < cm->cols)
						mark[(size_t)(my - top) * cm->cols + mx] =
							have_current && y == msy && x == msx ? 2 : 1;
					if (++mx >= cm->cols) {
						mx = 0;
						my++;
					}
				}
				x = ey == y ? ex : cm->cols;
			}
		}
	}

	for (py = 0; py < cm->rows; py++) {
		struct cell *row = &out[(size_t)py * cm->cols];

		y = top + py;
		c = cm_line(cm, y, &flags);
		memcpy(row, c, cm->cols * sizeof *row);
		for (x = 0; x < cm->cols; x++) {
			if (mark != NULL && mark[(size_t)py * cm->cols + x] != 0)
				cm_apply(&row[x], mark[(size_t)py * cm->cols + x] == 2 ? &st->current_match
										   : &st->match);
			if (cm_selected(cm, x, y))
				cm_apply(&row[x], &st->mode);
		}
	}

	if (!cm->hide_position && cm->rows > 1) {
		if (cm->marks && cm->searchcount >= 0)
			snprintf(hdr, sizeof hdr, "(%d results) [%u/%u]", cm->searchcount, cm->oy,
				 cm->hsize);
		else
			snprintf(hdr, sizeof hdr, "[%u/%u]", cm->oy, cm->hsize);
		len = (unsigned)strlen(hdr);
		if (len > cm->cols)
			len = cm->cols;
		/* A wide character cut in half by the indicator becomes a space. */
		if (cm->cols - len > 0 && (out[cm->cols - len].attr & CELL_WIDE_TAIL)) {
			out[cm->cols - len - 1] = cell_blank(NULL);
		}
		for (i = 0; i < len; i++) {
			struct cell *cell = &out[cm->cols - len + i];

			*cell = cell_blank(NULL);
			cell->ch = (unsigned char)hdr[i];
			cm_apply(cell, &st->mode);
		}
	}
	free(mark);
	free(p.cp);
}

/* ---- the mouse ---- */

void copy_mode_mouse_move(struct copy_mode *cm, unsigned x, unsigned y)
{
	if (y >= cm->rows)
		y = cm->rows - 1;
	if (x >= cm->cols)
		x = cm->cols - 1;
	cm_update_cursor(cm, x, y);
}

void copy_mode_mouse_drag_start(struct copy_mode *cm, unsigned x, unsigned y)
{
	cm->lineflag = CM_LINE_NONE;
	cm->rectflag = 0;
	copy_mode_mouse_move(cm, x, y);
	cm_start_selection(cm);
}

/* ---- default key tables (tmux 3.3a, `list-keys -T copy-mode[-vi]`) ---- */

#define CM_REPEAT(k) { k, "command-prompt -N -I " k " -p (repeat) { send-keys -N \"%%\" }" }
#define CM_MREPEAT(k) { "M-" k, "command-prompt -N -I " k " -p (repeat) { send-keys -N \"%%\" }" }

static const struct copy_mode_binding cm_emacs[] = {
	{ "C-Space", "send-keys -X begin-selection" },
	{ "C-a", "send-keys -X start-of-line" },
	{ "C-b", "send-keys -X cursor-left" },
	{ "C-c", "send-keys -X cancel" },
	{ "C-e", "send-keys -X end-of-line" },
	{ "C-f", "send-keys -X cursor-right" },
	{ "C-g", "send-keys -X clear-selection" },
	{ "C-k", "send-keys -X copy-pipe-end-of-line-and-cancel" },
	{ "C-n", "send-keys -X cursor-down" },
	{ "C-p", "send-keys -X cursor-up" },
	{ "C-r", "command-prompt -i -I \"#{pane_search_string}\" -T search -p \"(search up)\" "
		 "{ send-keys -X search-backward-incremental \"%%\" }" },
	{ "C-s", "command-prompt -i -I \"#{pane_search_string}\" -T search -p \"(search down)\" "
		 "{ send-keys -X search-forward-incremental \"%%\" }" },
	{ "C-v", "send-keys -X page-down" },
	{ "C-w", "send-keys -X copy-pipe-and-cancel" },
	{ "Escape", "send-keys -X cancel" },
	{ "Space", "send-keys -X page-down" },
	{ ",", "send-keys -X jump-reverse" },
	{ ";", "send-keys -X jump-again" },
	{ "F", "command-prompt -1 -p \"(jump backward)\" { send-keys -X jump-backward \"%%\" }" },
	{ "N", "send-keys -X search-reverse" },
	{ "P", "send-keys -X toggle-position" },
	{ "R", "send-keys -X rectangle-toggle" },
	{ "T", "command-prompt -1 -p \"(jump to backward)\" { send-keys -X jump-to-backward \"%%\" }" },
	{ "X", "send-keys -X set-mark" },
	{ "f", "command-prompt -1 -p \"(jump forward)\" { send-keys -X jump-forward \"%%\" }" },
	{ "g", "command-prompt -p \"(goto line)\" { send-keys -X goto-line \"%%\" }" },
	{ "n", "send-keys -X search-again" },
	{ "q", "send-keys -X cancel" },
	{ "r", "send-keys -X refresh-from-pane" },
	{ "t", "command-prompt -1 -p \"(jump to forward)\" { send-keys -X jump-to-forward \"%%\" }" },
	{ "MouseDown1Pane", "select-pane" },
	{ "MouseDrag1Pane", "select-pane \\; send-keys -X begin-selection" },
	{ "MouseDragEnd1Pane", "send-keys -X copy-pipe-and-cancel" },
	{ "WheelUpPane", "select-pane \\; send-keys -X -N 5 scroll-up" },
	{ "WheelDownPane", "select-pane \\; send-keys -X -N 5 scroll-down" },
	{ "DoubleClick1Pane", "select-pane \\; send-keys -X select-word \\; run-shell -d 0.3 \\; "
			      "send-keys -X copy-pipe-and-cancel" },
	{ "TripleClick1Pane", "select-pane \\; send-keys -X select-line \\; run-shell -d 0.3 \\; "
			      "send-keys -X copy-pipe-and-cancel" },
	{ "Home", "send-keys -X start-of-line" },
	{ "End", "send-keys -X end-of-line" },
	{ "NPage", "send-keys -X page-down" },
	{ "PPage", "send-keys -X page-up" },
	{ "Up", "send-keys -X cursor-up" },
	{ "Down", "send-keys -X cursor-down" },
	{ "Left", "send-keys -X cursor-left" },
	{ "Right", "send-keys -X cursor-right" },
	{ "M-C-b", "send-keys -X previous-matching-bracket" },
	{ "M-C-f", "send-keys -X next-matching-bracket" },
	CM_MREPEAT("1"), CM_MREPEAT("2"), CM_MREPEAT("3"), CM_MREPEAT("4"), CM_MREPEAT("5"),
	CM_MREPEAT("6"), CM_MREPEAT("7"), CM_MREPEAT("8"), CM_MREPEAT("9"),
	{ "M-<", "send-keys -X history-top" },
	{ "M->", "send-keys -X history-bottom" },
	{ "M-R", "send-keys -X top-line" },
	{ "M-b", "send-keys -X previous-word" },
	{ "M-f", "send-keys -X next-word-end" },
	{ "M-m", "send-keys -X back-to-indentation" },
	{ "M-r", "send-keys -X middle-line" },
	{ "M-v", "send-keys -X page-up" },
	{ "M-w", "send-keys -X copy-pipe-and-cancel" },
	{ "M-x", "send-keys -X jump-to-mark" },
	{ "M-{", "send-keys -X previous-paragraph" },
	{ "M-}", "send-keys -X next-paragraph" },
	{ "M-Up", "send-keys -X halfpage-up" },
	{ "M-Down", "send-keys -X halfpage-down" },
	{ "C-Up", "send-keys -X scroll-up" },
	{ "C-Down", "send-keys -X scroll-down" },
};

static const struct copy_mode_binding cm_vi[] = {
	{ "C-b", "send-keys -X page-up" },
	{ "C-c", "send-keys -X cancel" },
	{ "C-d", "send-keys -X halfpage-down" },
	{ "C-e", "send-keys -X scroll-down" },
	{ "C-f", "send-keys -X page-down" },
	{ "C-h", "send-keys -X cursor-left" },
	{ "C-j", "send-keys -X copy-pipe-and-cancel" },
	{ "Enter", "send-keys -X copy-pipe-and-cancel" },
	{ "C-u", "send-keys -X halfpage-up" },
	{ "C-v", "send-keys -X rectangle-toggle" },
	{ "C-y", "send-keys -X scroll-up" },
	{ "Escape", "send-keys -X clear-selection" },
	{ "Space", "send-keys -X begin-selection" },
	{ "#", "send-keys -FX search-backward \"#{copy_cursor_word}\"" },
	{ "$", "send-keys -X end-of-line" },
	{ "%", "send-keys -X next-matching-bracket" },
	{ "*", "send-keys -FX search-forward \"#{copy_cursor_word}\"" },
	{ ",", "send-keys -X jump-reverse" },
	{ "/", "command-prompt -T search -p \"(search down)\" { send-keys -X search-forward \"%%\" }" },
	{ "0", "send-keys -X start-of-line" },
	CM_REPEAT("1"), CM_REPEAT("2"), CM_REPEAT("3"), CM_REPEAT("4"), CM_REPEAT("5"),
	CM_REPEAT("6"), CM_REPEAT("7"), CM_REPEAT("8"), CM_REPEAT("9"),
	{ ":", "command-prompt -p \"(goto line)\" { send-keys -X goto-line \"%%\" }" },
	{ ";", "send-keys -X jump-again" },
	{ "?", "command-prompt -T search -p \"(search up)\" { send-keys -X search-backward \"%%\" }" },
	{ "A", "send-keys -X append-selection-and-cancel" },
	{ "B", "send-keys -X previous-space" },
	{ "D", "send-keys -X copy-pipe-end-of-line-and-cancel" },
	{ "E", "send-keys -X next-space-end" },
	{ "F", "command-prompt -1 -p \"(jump backward)\" { send-keys -X jump-backward \"%%\" }" },
	{ "G", "send-keys -X history-bottom" },
	{ "H", "send-keys -X top-line" },
	{ "J", "send-keys -X scroll-down" },
	{ "K", "send-keys -X scroll-up" },
	{ "L", "send-keys -X bottom-line" },
	{ "M", "send-keys -X middle-line" },
	{ "N", "send-keys -X search-reverse" },
	{ "P", "send-keys -X toggle-position" },
	{ "T", "command-prompt -1 -p \"(jump to backward)\" { send-keys -X jump-to-backward \"%%\" }" },
	{ "V", "send-keys -X select-line" },
	{ "W", "send-keys -X next-space" },
	{ "X", "send-keys -X set-mark" },
	{ "^", "send-keys -X back-to-indentation" },
	{ "b", "send-keys -X previous-word" },
	{ "e", "send-keys -X next-word-end" },
	{ "f", "command-prompt -1 -p \"(jump forward)\" { send-keys -X jump-forward \"%%\" }" },
	{ "g", "send-keys -X history-top" },
	{ "h", "send-keys -X cursor-left" },
	{ "j", "send-keys -X cursor-down" },
	{ "k", "send-keys -X cursor-up" },
	{ "l", "send-keys -X cursor-right" },
	{ "n", "send-keys -X search-again" },
	{ "o", "send-keys -X other-end" },
	{ "q", "send-keys -X cancel" },
	{ "r", "send-keys -X refresh-from-pane" },
	{ "t", "command-prompt -1 -p \"(jump to forward)\" { send-keys -X jump-to-forward \"%%\" }" },
	{ "v", "send-keys -X rectangle-toggle" },
	{ "w", "send-keys -X next-word" },
	{ "{", "send-keys -X previous-paragraph" },
	{ "}", "send-keys -X next-paragraph" },
	{ "MouseDown1Pane", "select-pane" },
	{ "MouseDrag1Pane", "select-pane \\; send-keys -X begin-selection" },
	{ "MouseDragEnd1Pane", "send-keys -X copy-pipe-and-cancel" },
	{ "WheelUpPane", "select-pane \\; send-keys -X -N 5 scroll-up" },
	{ "WheelDownPane", "select-pane \\; send-keys -X -N 5 scroll-down" },
	{ "DoubleClick1Pane", "select-pane \\; send-keys -X select-word \\; run-shell -d 0.3 \\; "
			      "send-keys -X copy-pipe-and-cancel" },
	{ "TripleClick1Pane", "select-pane \\; send-keys -X select-line \\; run-shell -d 0.3 \\; "
			      "send-keys -X copy-pipe-and-cancel" },
	{ "BSpace", "send-keys -X cursor-left" },
	{ "NPage", "send-keys -X page-down" },
	{ "PPage", "send-keys -X page-up" },
	{ "Up", "send-keys -X cursor-up" },
	{ "Down", "send-keys -X cursor-down" },
	{ "Left", "send-keys -X cursor-left" },
	{ "Right", "send-keys -X cursor-right" },
	{ "M-x", "send-keys -X jump-to-mark" },
	{ "C-Up", "send-keys -X scroll-up" },
	{ "C-Down", "send-keys -X scroll-down" },
};

const struct copy_mode_binding *copy_mode_default_bindings(int vi, size_t *n)
{
	if (vi) {
		*n = RMUX_NITEMS(cm_vi);
		return cm_vi;
	}
	*n = RMUX_NITEMS(cm_emacs);
	return cm_emacs;
}
