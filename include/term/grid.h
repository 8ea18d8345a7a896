/* grid.h — the visible screen: rows of cells, each row the full width.
 * Rows are structs in an array so scrolling moves 16-byte row headers,
 * never cells. Fields are public for the hot paths (parser fast path,
 * renderer); change them only through grid_* or screen_*. */
#ifndef RMUX_TERM_GRID_H
#define RMUX_TERM_GRID_H

#include <stdint.h>

#include "term/cell.h"

#define ROW_WRAPPED 0x01u /* the line continues on the next row (autowrap) */

struct grid_row {
	struct cell *cells; /* cols cells */
	uint32_t flags;     /* ROW_* */
	uint32_t dirty;     /* incremented on change (for renderers and diffs) */
};

struct grid {
	unsigned cols;
	unsigned rows;
	struct grid_row *row; /* row[0] is the top: points into row_base */
	uint32_t stamp;       /* the last dirty value given (grid_touch) */
	/* The header array: a whole-screen scroll moves row forward over
	 * spare headers instead of shifting them all (private to grid.c). */
	struct grid_row *row_base;
	unsigned row_cap;
};

struct grid *grid_create(unsigned cols, unsigned rows);
void grid_free(struct grid *g);

static inline struct cell *grid_cell(struct grid *g, unsigned x, unsigned y)
{
	return &g->row[y].cells[x];
}

/* Fill cells x0..x1-1 of row y with BLANK. */
void grid_fill(struct grid *g, unsigned y, unsigned x0, unsigned x1, const struct cell *blank);
/* Fill whole rows y0..y1-1 with BLANK and clear their flags. */
void grid_fill_rows(struct grid *g, unsigned y0, unsigned y1, const struct cell *blank);
/* Rotate rows top..bottom (inclusive) up by N: the top N rows are moved to
 * the bottom and filled with BLANK. The caller saves them first if needed. */
void grid_scroll_up(struct grid *g, unsigned top, unsigned bottom, unsigned n, const struct cell *blank);
void grid_scroll_down(struct grid *g, unsigned top, unsigned bottom, unsigned n, const struct cell *blank);
/* Insert N blanks at x on row y, shifting the rest right (lost off the edge). */
void grid_insert_cells(struct grid *g, unsigned x, unsigned y, unsigned n, const struct cell *blank);
/* Delete N cells at x on row y, shifting the rest left and filling with BLANK. */
void grid_delete_cells(struct grid *g, unsigned x, unsigned y, unsigned n, const struct cell *blank);
/* Change the size without reflow: rows and columns are cut or padded with
 * default blanks at the bottom and right. A wide character cut in half
 * becomes a blank in its colours. */
void grid_resize(struct grid *g, unsigned cols, unsigned rows);
/* Mark row y changed: gives it a fresh dirty value (unique in the grid).
 * Code that writes cells directly (the parser's fast path) calls this.
 * Inline: printing calls it for every character. */
static inline void grid_touch(struct grid *g, unsigned y)
{
	if (y < g->rows)
		g->row[y].dirty = ++g->stamp;
}
/* Number of cells of row y up to and including the last one that is not a
 * default-styled space (what capture and history keep). */
unsigned grid_row_used(const struct grid *g, unsigned y);

#endif
