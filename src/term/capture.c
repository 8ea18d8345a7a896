/* capture.c — a screen and its history as text, the way tmux 3.3a's
 * `capture-pane -p` prints a pane (see capture.h).
 *
 * The rules, learnt from tmux by experiment:
 * - A line is printed up to its last used cell; without -J or -N trailing
 *   spaces are then cut. Lines are numbered with the history first, and
 *   every visible row is printed, blank or not.
 * - Wide characters are printed once; combining marks follow their base.
 * - -J leaves out the newline after a wrapped line. A wrapped line is used
 *   to its last column, except when a wide character that did not fit was
 *   moved to the next line: that column was never written.
 * - -e writes an SGR sequence before a cell whose look differs from the
 *   previous cell printed (carried across lines): attributes first (with a
 *   leading 0 if any attribute went away, values of 10 and more written as
 *   "a:b"), then the foreground, then the background, each in its own
 *   sequence; after a 0 both colours are written again.
 *
 * What rmux cannot reproduce from its cells: tmux also counts spaces a
 * program wrote explicitly as used (they show with -N and -J), it does not
 * count erased cells of a coloured background, it writes colours set with
 * 38;5;N below 16 as 38;5;N where rmux writes 30-37/90-97, and it keeps DEC
 * line-drawing characters as their ASCII letters. */
#include "term/capture.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/cell.h"
#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"

/* tmux parses -S/-E as numbers up to SHRT_MAX; a larger one is an error
 * and the default applies. */
#define CAPTURE_NUMBER_MAX 32767L

/* One SGR code as tmux writes it: codes of 10 and more become "a:b". */
struct capture_attr {
	uint16_t mask; /* ATTR_* bit, or 0 for an underline style */
	unsigned style; /* UL_* when mask is 0 */
	unsigned code;
};

/* tmux's order, which is the order codes are written in. */
static const struct capture_attr capture_attrs[] = {
	{ ATTR_BOLD, 0, 1 },
	{ ATTR_DIM, 0, 2 },
	{ ATTR_ITALIC, 0, 3 },
	{ 0, UL_SINGLE, 4 },
	{ ATTR_BLINK, 0, 5 },
	{ ATTR_REVERSE, 0, 7 },
	{ ATTR_HIDDEN, 0, 8 },
	{ ATTR_STRIKE, 0, 9 },
	{ 0, UL_DOUBLE, 42 },
	{ 0, UL_CURLY, 43 },
	{ 0, UL_DOTTED, 44 },
	{ 0, UL_DASHED, 45 },
	{ ATTR_OVERLINE, 0, 53 },
};

/* The previous cell printed with -e: attributes and colours. */
struct capture_pen {
	uint16_t attr;
	uint32_t fg;
	uint32_t bg;
};

static int capture_has(uint16_t attr, const struct capture_attr *a)
{
	if (a->mask != 0)
		return (attr & a->mask) != 0;
	return ATTR_UL_STYLE(attr) == a->style;
}

/* The SGR values of colour C for the foreground (BASE 30) or the
 * background (BASE 40); returns how many. */
static size_t capture_colour(uint32_t c, unsigned base, unsigned *v)
{
	unsigned idx;

	switch (COLOUR_KIND(c)) {
	case COLOUR_PALETTE:
		idx = COLOUR_VALUE(c) & 0xffu;
		if (idx < 8) {
			v[0] = base + idx;
			return 1;
		}
		if (idx < 16) {
			v[0] = base + 60 + idx - 8;
			return 1;
		}
		v[0] = base + 8;
		v[1] = 5;
		v[2] = idx;
		return 3;
	case COLOUR_RGB:
		v[0] = base + 8;
		v[1] = 2;
		v[2] = (COLOUR_VALUE(c) >> 16) & 0xffu;
		v[3] = (COLOUR_VALUE(c) >> 8) & 0xffu;
		v[4] = COLOUR_VALUE(c) & 0xffu;
		return 5;
	default:
		v[0] = base + 9;
		return 1;
	}
}

static void capture_colour_code(struct buf *b, uint32_t now, uint32_t last, unsigned base,
				int reset)
{
	unsigned nv[5], lv[5];
	size_t nn, nl, i;

	nn = capture_colour(now, base, nv);
	nl = capture_colour(last, base, lv);
	if (!reset && nn == nl && memcmp(nv, lv, nn * sizeof nv[0]) == 0)
		return;
	buf_add(b, "\033[", 2);
	for (i = 0; i < nn; i++)
		buf_add_printf(b, i + 1 < nn ? "%u;" : "%u", nv[i]);
	buf_add(b, "m", 1);
}

/* The escape sequences that change LAST into CELL's look. */
static void capture_code(struct buf *b, struct capture_pen *last, const struct cell *cell)
{
	unsigned codes[RMUX_NITEMS(capture_attrs) + 1];
	uint16_t attr = cell->attr & ATTR_STYLE_MASK;
	uint16_t lastattr = last->attr;
	size_t n = 0, i;
	int reset = 0;

	for (i = 0; i < RMUX_NITEMS(capture_attrs); i++) {
		if (!capture_has(attr, &capture_attrs[i]) && capture_has(lastattr, &capture_attrs[i])) {
			codes[n++] = 0;
			lastattr = 0;
			reset = 1;
			break;
		}
	}
	for (i = 0; i < RMUX_NITEMS(capture_attrs); i++) {
		if (capture_has(attr, &capture_attrs[i]) && !capture_has(lastattr, &capture_attrs[i]))
			codes[n++] = capture_attrs[i].code;
	}
	if (n > 0) {
		buf_add(b, "\033[", 2);
		for (i = 0; i < n; i++) {
			if (codes[i] < 10)
				buf_add_printf(b, "%u", codes[i]);
			else
				buf_add_printf(b, "%u:%u", codes[i] / 10, codes[i] % 10);
			if (i + 1 < n)
				buf_add(b, ";", 1);
		}
		buf_add(b, "m", 1);
	}
	capture_colour_code(b, cell->fg, last->fg, 30, reset);
	capture_colour_code(b, cell->bg, last->bg, 40, reset);

	last->attr = attr;
	last->fg = cell->fg;
	last->bg = cell->bg;
}

static int capture_blank(const struct cell *c)
{
	return (c->ch == ' ' || c->ch == 0) && (c->attr & (ATTR_STYLE_MASK | CELL_SHAPE_MASK)) == 0 &&
	       c->fg == COLOUR_DEFAULT && c->bg == COLOUR_DEFAULT;
}

/* Cells of a line that count as used: up to the last one that is not a
 * default blank; a wrapped line to its last column, unless that column was
 * skipped by a wide character moved on to NEXT (the next line's cells). */
static unsigned capture_used(const struct cell *cells, unsigned n, unsigned cols, int wrapped,
			     const struct cell *next)
{
	unsigned used = n;

	if (wrapped && n == cols && n > 0) {
		if (!capture_blank(&cells[n - 1]) || next == NULL || !(next[0].attr & CELL_WIDE))
			return n;
		used = n - 1;
	}
	while (used > 0 && capture_blank(&cells[used - 1]))
		used--;
	return used;
}

/* Append one line of text. */
static void capture_line(struct buf *b, const struct cell *cells, unsigned used,
			 const struct clusters *cl, unsigned flags, struct capture_pen *last)
{
	char text[CLUSTER_MAX_BYTES];
	size_t start = b->len, n;
	unsigned x;

	for (x = 0; x < used; x++) {
		const struct cell *c = &cells[x];

		if (c->attr & CELL_WIDE_TAIL)
			continue;
		if (flags & CAPTURE_ESCAPES)
			capture_code(b, last, c);
		n = cell_utf8(c, cl, text);
		if (n == 0 && !(c->attr & CELL_CLUSTER) && c->ch == 0) {
			text[0] = ' ';
			n = 1;
		}
		buf_add(b, text, n);
	}
	if (!(flags & (CAPTURE_JOIN | CAPTURE_TRAILING))) {
		while (b->len > start && b->data[b->len - 1] == ' ')
			b->len--;
	}
}

/* Where the capture reads lines from: the history first, then the grid.
 * History lines are decoded into one of two slots (the current line and
 * the next), each with its own table for combining text, which is
 * emptied when full: no id outlives the line it was decoded for. */
struct capture_src {
	const struct screen *s;
	unsigned hsize;
	struct cell *cells[2];
	struct clusters *cl[2];
};

struct capture_row {
	const struct cell *cells;
	unsigned n; /* cells held, at most s->cols */
	uint32_t flags;
	const struct clusters *cl;
};

static void capture_get(struct capture_src *src, unsigned i, unsigned slot,
			struct capture_row *row)
{
	const struct screen *s = src->s;
	int got;

	if (i >= src->hsize) {
		const struct grid_row *gr = &s->grid->row[i - src->hsize];

		row->cells = gr->cells;
		row->n = s->grid->cols < s->cols ? s->grid->cols : s->cols;
		row->flags = gr->flags;
		row->cl = s->clusters;
		return;
	}
	if (clusters_full(src->cl[slot])) {
		size_t bytes = (clusters_capacity(src->cl[slot]) + 7) / 8;
		uint8_t *none = xcalloc(bytes ? bytes : 1, 1);

		clusters_collect(src->cl[slot], none);
		free(none);
	}
	row->flags = 0;
	got = history_get(s->history, i, src->cells[slot], s->cols, &row->flags, src->cl[slot]);
	if (got < 0) {
		got = 0;
		row->flags = 0;
	}
	/* The rest of the line is padded with default blanks, which is what
	 * a wrapped line needs: its trailing spaces were not stored. */
	row->n = s->cols;
	row->cells = src->cells[slot];
	row->cl = src->cl[slot];
}

/* tmux's line number for -S (IS_END 0) or -E value V: 0 is the top
 * visible row, negative numbers are history lines. A number tmux would
 * refuse gives its default for a missing flag. */
static unsigned capture_resolve(long v, unsigned hsize, unsigned rows, int is_end)
{
	unsigned long last = (unsigned long)hsize + rows - 1;
	unsigned long line;

	if (v == (is_end ? CAPTURE_TO_END : CAPTURE_FROM_START))
		return is_end ? (unsigned)last : 0;
	if (v > CAPTURE_NUMBER_MAX || v < INT_MIN)
		line = is_end ? last : hsize;
	else if (v < 0 && (unsigned long)-v > hsize)
		line = 0;
	else
		line = (unsigned long)((long)hsize + v);
	if (line > last)
		line = last;
	return (unsigned)line;
}

char *capture_screen(const struct screen *s, long start, long end, unsigned flags, size_t *len)
{
	struct capture_pen last = { 0, COLOUR_DEFAULT, COLOUR_DEFAULT };
	struct capture_src src;
	struct capture_row row[2];
	const struct cell *next;
	unsigned top, bottom, tmp, i, total, used, cur, k;
	struct buf b;
	char *out;

	buf_init(&b);
	src.s = s;
	src.hsize = s->history != NULL ? history_size(s->history) : 0;
	total = src.hsize + s->rows;
	for (k = 0; k < 2; k++) {
		src.cells[k] = xcalloc(s->cols ? s->cols : 1, sizeof *src.cells[k]);
		src.cl[k] = clusters_create();
	}

	if (s->rows > 0 && s->cols > 0) {
		top = capture_resolve(start, src.hsize, s->rows, 0);
		bottom = capture_resolve(end, src.hsize, s->rows, 1);
		if (bottom < top) {
			tmp = bottom;
			bottom = top;
			top = tmp;
		}
		cur = 0;
		capture_get(&src, top, cur, &row[cur]);
		for (i = top; i <= bottom; i++, cur ^= 1) {
			next = NULL;
			if (i + 1 < total) {
				capture_get(&src, i + 1, cur ^ 1, &row[cur ^ 1]);
				if (row[cur ^ 1].n > 0)
					next = row[cur ^ 1].cells;
			}
			used = capture_used(row[cur].cells, row[cur].n, s->cols,
					    (row[cur].flags & ROW_WRAPPED) != 0, next);
			capture_line(&b, row[cur].cells, used, row[cur].cl, flags, &last);
			/* -J joins a wrapped row to the next, but the last row in
			 * range always ends its line, as tmux prints it. */
			if (!(flags & CAPTURE_JOIN) || !(row[cur].flags & ROW_WRAPPED) ||
			    i == bottom)
				buf_add(&b, "\n", 1);
		}
	}

	buf_add(&b, "", 1);
	if (len != NULL)
		*len = b.len - 1;
	out = (char *)b.data;
	for (k = 0; k < 2; k++) {
		free(src.cells[k]);
		clusters_free(src.cl[k]);
	}
	return out;
}
