/* compose.c — view to frame (see compose.h). Borders are not in the view:
 * they are the cells of the window area outside every pane but next to one,
 * found the way tmux finds them, so a client draws exactly the lines tmux
 * draws for the same layout. A border's shape (line, corner, junction)
 * follows from which of its four neighbours are borders too. */
#include "client/compose.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"

/* Bits of the per-cell map. */
#define COMPOSE_IN_PANE 0x1u
#define COMPOSE_BORDER 0x2u
#define COMPOSE_ACTIVE 0x4u

struct compose_area {
	unsigned x0, y0, cols, rows; /* the window area in frame cells */
	unsigned fcols, frows;
	uint8_t *map; /* fcols * frows */
};

const struct view_pane *compose_active_pane(const struct view *v)
{
	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == v->active_pane)
			return &v->pane[i];
	}
	return NULL;
}

unsigned compose_message_row(const struct view *v)
{
	if (v->flags & VIEW_STATUS_TOP)
		return 0;
	if (v->nstatus > 0 && v->nstatus <= v->rows)
		return v->rows - v->nstatus;
	return v->rows > 0 ? v->rows - 1 : 0;
}

/* Copy a view row into the frame at (x, y), at most W cells. Cluster texts
 * go into the frame's own table; a wide character cut by the edge becomes
 * a blank. */
static void compose_put_row(struct display_frame *f, unsigned x, unsigned y,
    const struct view_row *r, unsigned w)
{
	unsigned cols = view_row_cols(r);
	char text[CLUSTER_MAX_BYTES];

	if (y >= f->rows)
		return;
	if (w > cols)
		w = cols;
	for (unsigned i = 0; i < w && x + i < f->cols; i++) {
		struct cell c = *view_row_cell(r, i);
		int cut = ((c.attr & CELL_WIDE) && (i + 1 >= w || x + i + 1 >= f->cols)) ||
		    ((c.attr & CELL_WIDE_TAIL) && i == 0);

		if (cut) {
			c.ch = ' ';
			c.attr &= (uint16_t)~CELL_SHAPE_MASK;
		} else if (c.attr & CELL_CLUSTER) {
			size_t len = view_row_text(r, i, text);
			uint32_t id = len > 0 ? clusters_add(f->clusters, text, len) : UINT32_MAX;

			if (id == UINT32_MAX) {
				/* A full table keeps the look of the cell, not its marks. */
				c.ch = 0xfffd;
				c.attr &= (uint16_t)~CELL_CLUSTER;
			} else
				c.ch = id;
		}
		f->cells[(size_t)y * f->cols + x + i] = c;
	}
}

void compose_row(struct display_frame *f, unsigned x, unsigned y, const struct view_row *r,
    unsigned w)
{
	compose_put_row(f, x, y, r, w);
}

/* Is (x, y), window-relative, on the edge of pane P (window-relative
 * rectangle PX, PY, PW, PH) as tmux counts edges: the column left or right
 * of it or the row above or below it, corners included. */
static int compose_on_edge(int x, int y, int px, int py, int pw, int ph)
{
	if ((x == px - 1 || x == px + pw) && y >= py - 1 && y <= py + ph)
		return 1;
	if ((y == py - 1 || y == py + ph) && x >= px - 1 && x <= px + pw)
		return 1;
	return 0;
}

/* The active pane's border as tmux colours it. With exactly two panes side
 * by side (or one above the other) only the half of the shared border next
 * to the active pane is coloured, so the active one shows even on a
 * terminal without colour differences in the middle of the line. */
static int compose_active_edge(const struct view *v, const struct compose_area *a,
    const struct view_pane *ap, int x, int y)
{
	int px = (int)ap->x - (int)a->x0, py = (int)ap->y - (int)a->y0;
	int pw = (int)ap->cols, ph = (int)ap->rows;

	if (v->npanes == 2) {
		const struct view_pane *second = &v->pane[1];
		int left_right = second->x != a->x0;
		int top_bottom = second->y != a->y0;

		if (left_right) {
			if (px == 0 && x == pw && y <= ph / 2)
				return 1;
			if (px != 0 && x == px - 1 && y > ph / 2)
				return 1;
			return 0;
		}
		if (top_bottom) {
			if (py == 0 && y == ph && x <= pw / 2)
				return 1;
			if (py != 0 && y == py - 1 && x > pw / 2)
				return 1;
			return 0;
		}
	}
	return compose_on_edge(x, y, px, py, pw, ph);
}

static uint8_t *compose_cell(struct compose_area *a, unsigned x, unsigned y)
{
	return &a->map[(size_t)y * a->fcols + x];
}

static int compose_is_border(struct compose_area *a, int x, int y)
{
	if (x < (int)a->x0 || y < (int)a->y0 || x >= (int)(a->x0 + a->cols) ||
	    y >= (int)(a->y0 + a->rows))
		return 0;
	return (*compose_cell(a, (unsigned)x, (unsigned)y) & COMPOSE_BORDER) != 0;
}

static uint32_t compose_glyph(struct compose_area *a, unsigned x, unsigned y)
{
	int l = compose_is_border(a, (int)x - 1, (int)y);
	int r = compose_is_border(a, (int)x + 1, (int)y);
	int u = compose_is_border(a, (int)x, (int)y - 1);
	int d = compose_is_border(a, (int)x, (int)y + 1);
	unsigned mask = (unsigned)l | (unsigned)r << 1 | (unsigned)u << 2 | (unsigned)d << 3;
	static const uint32_t glyphs[16] = {
		[0x0] = COMPOSE_LINE_V,
		[0x1] = COMPOSE_LINE_H,
		[0x2] = COMPOSE_LINE_H,
		[0x3] = COMPOSE_LINE_H,
		[0x4] = COMPOSE_LINE_V,
		[0x5] = COMPOSE_CORNER_BR,
		[0x6] = COMPOSE_CORNER_BL,
		[0x7] = COMPOSE_JOIN_B,
		[0x8] = COMPOSE_LINE_V,
		[0x9] = COMPOSE_CORNER_TR,
		[0xa] = COMPOSE_CORNER_TL,
		[0xb] = COMPOSE_JOIN_T,
		[0xc] = COMPOSE_LINE_V,
		[0xd] = COMPOSE_JOIN_R,
		[0xe] = COMPOSE_JOIN_L,
		[0xf] = COMPOSE_CROSS,
	};
	return glyphs[mask];
}

static void compose_borders(const struct view *v, struct display_frame *f, struct compose_area *a)
{
	const struct view_pane *ap = compose_active_pane(v);

	for (unsigned y = a->y0; y < a->y0 + a->rows; y++) {
		for (unsigned x = a->x0; x < a->x0 + a->cols; x++) {
			uint8_t *m = compose_cell(a, x, y);
			int wx = (int)(x - a->x0), wy = (int)(y - a->y0);

			if (*m & COMPOSE_IN_PANE)
				continue;
			for (size_t i = 0; i < v->npanes; i++) {
				const struct view_pane *p = &v->pane[i];

				if (compose_on_edge(wx, wy, (int)p->x - (int)a->x0,
					(int)p->y - (int)a->y0, (int)p->cols, (int)p->rows)) {
					*m |= COMPOSE_BORDER;
					break;
				}
			}
			if ((*m & COMPOSE_BORDER) && ap != NULL && compose_active_edge(v, a, ap, wx, wy))
				*m |= COMPOSE_ACTIVE;
		}
	}
	for (unsigned y = a->y0; y < a->y0 + a->rows; y++) {
		for (unsigned x = a->x0; x < a->x0 + a->cols; x++) {
			uint8_t m = *compose_cell(a, x, y);
			struct cell c = { 0, COMPOSE_BORDER_FG, COLOUR_DEFAULT, 0, 0 };

			if (!(m & COMPOSE_BORDER))
				continue;
			c.ch = compose_glyph(a, x, y);
			if (m & COMPOSE_ACTIVE)
				c.fg = COMPOSE_ACTIVE_BORDER_FG;
			f->cells[(size_t)y * f->cols + x] = c;
		}
	}
}

static void compose_message(const struct view *v, struct display_frame *f)
{
	unsigned y = compose_message_row(v), w;
	struct cell fill = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

	if (y >= f->rows)
		return;
	w = view_row_cols(v->message);
	compose_put_row(f, 0, y, v->message, RMUX_MIN(w, v->cols));
	/* The message style fills the line, as tmux draws it. */
	if (w > 0) {
		const struct cell *last = view_row_cell(v->message, w - 1);

		fill.fg = last->fg;
		fill.bg = last->bg;
		fill.attr = last->attr & ATTR_STYLE_MASK;
	}
	for (unsigned x = w; x < v->cols && x < f->cols; x++)
		f->cells[(size_t)y * f->cols + x] = fill;
}

void compose_view(const struct view *v, struct display_frame *f)
{
	struct compose_area a;
	const struct view_pane *ap;
	unsigned nstatus = RMUX_MIN(v->nstatus, v->rows);

	display_frame_clear(f);
	memset(&a, 0, sizeof a);
	a.fcols = f->cols;
	a.frows = f->rows;
	a.x0 = 0;
	a.y0 = (v->flags & VIEW_STATUS_TOP) ? nstatus : 0;
	a.cols = RMUX_MIN(v->cols, f->cols);
	a.rows = v->rows - nstatus;
	if (a.y0 >= f->rows)
		a.rows = 0;
	else
		a.rows = RMUX_MIN(a.rows, f->rows - a.y0);
	a.map = xcalloc((size_t)f->cols * f->rows + 1, 1);

	for (size_t i = 0; i < v->npanes; i++) {
		const struct view_pane *p = &v->pane[i];

		for (unsigned j = 0; j < p->rows; j++) {
			unsigned y = p->y + j;

			if (y >= f->rows)
				break;
			compose_put_row(f, p->x, y, p->line[j], p->cols);
			for (unsigned k = 0; k < p->cols && p->x + k < f->cols; k++)
				*compose_cell(&a, p->x + k, y) |= COMPOSE_IN_PANE;
		}
	}
	compose_borders(v, f, &a);
	for (unsigned i = 0; i < nstatus; i++) {
		unsigned y = (v->flags & VIEW_STATUS_TOP) ? i : v->rows - nstatus + i;

		compose_put_row(f, 0, y, v->status[i], v->cols);
	}

	f->cursor_visible = 0;
	f->cursor_style = 0;
	ap = compose_active_pane(v);
	if (v->message != NULL) {
		compose_message(v, f);
		if (v->message_cx >= 0) {
			f->cx = (unsigned)v->message_cx;
			f->cy = compose_message_row(v);
			f->cursor_visible = 1;
		}
	}
	if (ap != NULL && !f->cursor_visible) {
		f->cursor_style = ap->cursor_shape;
		if ((ap->flags & VIEW_PANE_CURSOR_VISIBLE) && ap->cx < ap->cols && ap->cy < ap->rows) {
			f->cx = ap->x + ap->cx;
			f->cy = ap->y + ap->cy;
			f->cursor_visible = 1;
		}
	}
	if (f->cx >= f->cols || f->cy >= f->rows) {
		f->cx = 0;
		f->cy = 0;
		f->cursor_visible = 0;
	}
	if (ap != NULL && ap->title != NULL && ap->title[0] != '\0')
		display_frame_set_title(f, ap->title);
	else
		display_frame_set_title(f, v->session != NULL ? v->session : "");
	free(a.map);
}
