/* reflow.c — resizing the primary screen with its history (see reflow.h),
 * following what tmux 3.3a does (checked by experiment):
 *
 * 1. The height changes first, at the old width. Shrinking drops the rows
 *    below the cursor (whatever they hold), then moves top rows into the
 *    history; growing pulls the newest history lines back above the
 *    screen, then adds blank rows at the bottom. Without a history the
 *    top rows are simply dropped.
 * 2. If the width changes, every logical line (rows joined by ROW_WRAPPED)
 *    of the history and the screen is cut again at the new width; a wide
 *    character that would straddle the edge moves to the next row and
 *    leaves a blank that is not part of the text; at one column, where
 *    none fits, it becomes a blank in its colours. The last ROWS rows are
 *    the screen, blank rows at the bottom included; the rest is history.
 *    The cursor keeps its offset in its logical line; one past the end of
 *    a full row becomes a pending wrap.
 *
 * The re-cut streams: a logical line is never gathered whole (one line can
 * be the whole history), and history lines that need no change are copied
 * in their encoded form. */
#include "term/reflow.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

static const struct cell reflow_blank = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

static int reflow_is_default_blank(const struct cell *c)
{
	return c->ch == ' ' && c->fg == COLOUR_DEFAULT && c->bg == COLOUR_DEFAULT && c->attr == 0 &&
	       c->link == 0;
}

/* The state of one re-cut. */
struct reflow {
	unsigned cols;           /* the new width */
	struct history *out;     /* every row produced, oldest first */
	struct clusters *c;

	struct cell *buf;        /* cells of the current logical line not yet cut */
	unsigned len, cap;
	uint64_t start;          /* logical offset of buf[0] */
	int open;                /* a logical line is in progress */

	struct cell *row;        /* one output row */
	uint64_t rows_out;       /* rows produced so far */

	int cursor_wanted;       /* the cursor's line is being cut */
	uint64_t cursor_off;     /* its offset in that line */
	unsigned cursor_extra;   /* columns past the end of the text */
	uint64_t cursor_row;     /* output row of the cursor */
	unsigned cursor_x;
	int cursor_found;
};

static void reflow_append(struct reflow *r, const struct cell *cells, unsigned n)
{
	if (n == 0)
		return;
	if (r->len + n > r->cap) {
		unsigned cap = r->cap ? r->cap : 256;

		while (cap < r->len + n)
			cap *= 2;
		r->buf = xreallocarray(r->buf, cap, sizeof *r->buf);
		r->cap = cap;
	}
	if (r->cols > 1) {
		memcpy(r->buf + r->len, cells, n * sizeof *cells);
		r->len += n;
		return;
	}
	/* A wide character cannot fit in one column: it becomes a blank in
	 * its colours, as the screen drops one printed there. */
	for (unsigned i = 0; i < n; i++) {
		struct cell c = cells[i];

		if (c.attr & CELL_WIDE_TAIL)
			continue;
		if (c.attr & CELL_WIDE) {
			c.ch = ' ';
			c.attr &= (uint16_t)~CELL_SHAPE_MASK;
		}
		r->buf[r->len++] = c;
	}
}

/* Emit the first K cells of the buffer as one row with FLAGS. LAST says
 * the logical line ends with this row. */
static void reflow_emit(struct reflow *r, unsigned k, uint32_t flags, int last)
{
	if (k > 0)
		memcpy(r->row, r->buf, k * sizeof *r->row);
	for (unsigned x = k; x < r->cols; x++)
		r->row[x] = reflow_blank;
	if (r->cursor_wanted && (r->cursor_off < r->start + k || last)) {
		r->cursor_wanted = 0;
		r->cursor_found = 1;
		r->cursor_row = r->rows_out;
		uint64_t x = r->cursor_off - r->start + (last ? r->cursor_extra : 0);
		r->cursor_x = x > r->cols ? r->cols : (unsigned)x;
	}
	history_push(r->out, r->row, r->cols, flags, r->c);
	r->rows_out++;
	if (r->len > k)
		memmove(r->buf, r->buf + k, (r->len - k) * sizeof *r->buf);
	r->len -= k;
	r->start += k;
}

/* Cut full rows off the buffer while more cells follow them. */
static void reflow_cut(struct reflow *r)
{
	while (r->len > r->cols) {
		unsigned k = r->cols;

		/* A wide character may not straddle the edge (at one column
		 * there are none: reflow_append made them blanks). */
		if (k > 1 && (r->buf[k - 1].attr & CELL_WIDE) && (r->buf[k].attr & CELL_WIDE_TAIL))
			k--;
		reflow_emit(r, k, ROW_WRAPPED, 0);
	}
}

static void reflow_end_line(struct reflow *r, uint32_t flags)
{
	reflow_cut(r);
	if (r->cursor_wanted && r->cursor_off > r->start + r->len)
		r->cursor_off = r->start + r->len;
	reflow_emit(r, r->len, flags, 1);
	r->open = 0;
	r->start = 0;
}

/* Feed one source row: N cells of text and its FLAGS. CURSOR_X is the
 * cursor's column when it is on this row, else -1. */
static void reflow_feed(struct reflow *r, const struct cell *cells, unsigned n, uint32_t flags,
			long cursor_x)
{
	if (!r->open) {
		r->open = 1;
		r->start = 0;
		r->len = 0;
	}
	if (cursor_x >= 0) {
		unsigned px = (unsigned)cursor_x;

		unsigned before = px < n ? px : n;

		r->cursor_wanted = 1;
		r->cursor_off = r->start + r->len + before;
		r->cursor_extra = px > n ? px - n : 0;
		if (r->cols == 1) {
			/* Tails are dropped at one column (see reflow_append). */
			for (unsigned x = 0; x < before; x++) {
				if (cells[x].attr & CELL_WIDE_TAIL)
					r->cursor_off--;
			}
		}
	}
	reflow_append(r, cells, n);
	if (flags & ROW_WRAPPED)
		reflow_cut(r);
	else
		reflow_end_line(r, flags);
}

/* The text width of a row of N cells: a wrapped row is all text but for
 * the blank a wide character left when it moved to the next row; a row
 * that ends its line stops at its last non-blank cell. */
static unsigned reflow_text_width(const struct cell *cells, unsigned n, uint32_t flags,
				  const struct cell *next_first)
{
	if (flags & ROW_WRAPPED) {
		if (n > 0 && next_first != NULL && (next_first->attr & CELL_WIDE) &&
		    reflow_is_default_blank(&cells[n - 1]))
			n--;
		return n;
	}
	while (n > 0 && reflow_is_default_blank(&cells[n - 1]))
		n--;
	return n;
}

/* Step 1: change the height at the old width. */
static void reflow_height(struct grid *g, struct history *h, struct clusters *c, unsigned rows,
			  unsigned *cy)
{
	unsigned oldy = g->rows;

	if (rows < oldy) {
		unsigned needed = oldy - rows;
		unsigned below = oldy - 1 - *cy;
		unsigned eat = below < needed ? below : needed;

		if (eat > 0)
			grid_resize(g, g->cols, oldy - eat);
		needed -= eat;
		if (needed > *cy)
			needed = *cy;
		for (unsigned y = 0; h != NULL && y < needed; y++)
			history_push(h, g->row[y].cells, g->cols, g->row[y].flags, c);
		if (needed > 0) {
			grid_scroll_up(g, 0, g->rows - 1, needed, &reflow_blank);
			*cy -= needed;
		}
		grid_resize(g, g->cols, rows);
		return;
	}
	if (rows > oldy) {
		unsigned needed = rows - oldy;
		unsigned pull = h != NULL ? history_size(h) : 0;

		if (pull > needed)
			pull = needed;
		grid_resize(g, g->cols, rows);
		if (pull == 0)
			return;
		grid_scroll_down(g, 0, rows - 1, pull, &reflow_blank);
		for (unsigned y = pull; y-- > 0;) {
			uint32_t flags = 0;

			history_pop(h, g->row[y].cells, g->cols, &flags, c);
			g->row[y].flags = flags;
			grid_touch(g, y);
		}
		*cy += pull;
	}
}

/* Step 2: cut every logical line again at COLS. */
static void reflow_width(struct grid *g, struct history *h, struct clusters *c, unsigned cols,
			 unsigned *cx, unsigned *cy, int *pending)
{
	struct reflow r;
	unsigned rows = g->rows, limit = history_limit(h);
	unsigned hsize = history_size(h);
	struct cell *line = NULL, *next = NULL;
	unsigned line_cap = 0, next_cap = 0;
	long px = (long)*cx + (pending != NULL && *pending ? 1 : 0);

	memset(&r, 0, sizeof r);
	r.cols = cols;
	r.c = c;
	r.row = xreallocarray(NULL, cols, sizeof *r.row);
	/* Room for the screen rows until they are taken back below. */
	r.out = history_create(limit + rows);

	/* The history, oldest first. NEXT holds line i + 1 decoded ahead so
	 * a wrapped line can look at what follows it. */
	int next_n = -1;
	uint32_t next_flags = 0;
	for (unsigned i = 0; i < hsize; i++) {
		uint32_t flags;
		int n;

		if (next_n >= 0) {
			struct cell *t = line;
			unsigned tc = line_cap;

			line = next;
			line_cap = next_cap;
			next = t;
			next_cap = tc;
			n = next_n;
			flags = next_flags;
			next_n = -1;
		} else {
			n = history_line_width(h, i);
			if (!r.open && n <= (int)cols) {
				/* Only if it is a whole line: look at its flags. */
				history_get(h, i, NULL, 0, &flags, NULL);
				if (!(flags & ROW_WRAPPED)) {
					history_copy_line(r.out, h, i);
					r.rows_out++;
					continue;
				}
			}
			if ((unsigned)n > line_cap) {
				line_cap = (unsigned)n;
				line = xreallocarray(line, line_cap, sizeof *line);
			}
			n = history_get(h, i, line, (unsigned)n, &flags, c);
		}
		const struct cell *nf = NULL;
		if (flags & ROW_WRAPPED) {
			if (i + 1 < hsize) {
				int w = history_line_width(h, i + 1);

				if ((unsigned)w > next_cap) {
					next_cap = (unsigned)w;
					next = xreallocarray(next, next_cap, sizeof *next);
				}
				next_n = history_get(h, i + 1, next, (unsigned)w, &next_flags, c);
				nf = next_n > 0 ? next : NULL;
			} else if (rows > 0) {
				nf = &g->row[0].cells[0];
			}
		}
		reflow_feed(&r, line, reflow_text_width(line, (unsigned)n, flags, nf), flags, -1);
	}
	free(line);
	free(next);

	for (unsigned y = 0; y < rows; y++) {
		const struct grid_row *gr = &g->row[y];
		const struct cell *nf = y + 1 < rows ? &g->row[y + 1].cells[0] : NULL;
		unsigned n = reflow_text_width(gr->cells, g->cols, gr->flags, g->cols ? nf : NULL);

		reflow_feed(&r, gr->cells, n, gr->flags, y == *cy ? px : -1);
	}
	if (r.open)
		reflow_end_line(&r, ROW_WRAPPED); /* the last row wrapped into nothing */

	/* The newest ROWS rows are the screen; blank rows pad a short one. */
	uint64_t total = r.rows_out;
	unsigned on_screen = total < rows ? (unsigned)total : rows;

	grid_resize(g, cols, rows);
	for (unsigned y = 0; y < rows; y++) {
		g->row[y].flags = 0;
		for (unsigned x = 0; x < cols; x++)
			g->row[y].cells[x] = reflow_blank;
	}
	for (unsigned y = on_screen; y-- > 0;) {
		uint32_t flags = 0;

		history_pop(r.out, g->row[y].cells, cols, &flags, c);
		g->row[y].flags = flags;
	}
	for (unsigned y = 0; y < rows; y++)
		grid_touch(g, y);
	history_set_limit(r.out, limit);
	history_replace(h, r.out);

	uint64_t top = total - on_screen;
	if (pending != NULL)
		*pending = 0;
	if (r.cursor_found && r.cursor_row >= top) {
		*cy = (unsigned)(r.cursor_row - top);
		*cx = r.cursor_x;
		if (*cx >= cols) {
			if (*cx == cols && pending != NULL)
				*pending = 1;
			*cx = cols - 1;
		}
	} else {
		*cx = 0;
		*cy = 0;
	}
	free(r.buf);
	free(r.row);
}

void reflow_resize_pending(struct grid *g, struct history *h, struct clusters *c, unsigned cols,
			   unsigned rows, unsigned *cx, unsigned *cy, int *pending)
{
	if (cols == 0 || rows == 0) {
		grid_resize(g, cols, rows);
		*cx = 0;
		*cy = 0;
		if (pending != NULL)
			*pending = 0;
		return;
	}
	if (*cy >= g->rows)
		*cy = g->rows ? g->rows - 1 : 0;
	if (g->rows == 0)
		grid_resize(g, g->cols, 1);
	if (rows != g->rows)
		reflow_height(g, h, c, rows, cy);
	if (cols != g->cols) {
		if (h != NULL) {
			reflow_width(g, h, c, cols, cx, cy, pending);
			return;
		}
		grid_resize(g, cols, rows);
	}
	if (*cx >= cols) {
		*cx = cols - 1;
		if (pending != NULL)
			*pending = 0;
	}
}

void reflow_resize(struct grid *g, struct history *h, struct clusters *c, unsigned cols,
		   unsigned rows, unsigned *cx, unsigned *cy)
{
	reflow_resize_pending(g, h, c, cols, rows, cx, cy, NULL);
}
