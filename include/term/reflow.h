/* reflow.h — resizing the primary screen as tmux and xterm do: wrapped
 * lines (ROW_WRAPPED) are joined and re-cut at the new width, through the
 * history as well as the visible rows; the cursor keeps its place in the
 * text; a shorter screen pushes its top rows into the history and a taller
 * one pulls them back. */
#ifndef RMUX_TERM_REFLOW_H
#define RMUX_TERM_REFLOW_H

#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"

/* Resize G to COLS x ROWS reflowing with H (may be NULL: no history, as
 * the alternate screen). *CX, *CY are the cursor, updated to its new place. */
void reflow_resize(struct grid *g, struct history *h, struct clusters *c, unsigned cols,
		   unsigned rows, unsigned *cx, unsigned *cy);

/* The same, with the deferred-autowrap state of the cursor: *PENDING (in
 * and out; may be NULL) says the cursor sits just past *CX, at the right
 * edge of a full row, as after writing the last column. */
void reflow_resize_pending(struct grid *g, struct history *h, struct clusters *c, unsigned cols,
			   unsigned rows, unsigned *cx, unsigned *cy, int *pending);

#endif
