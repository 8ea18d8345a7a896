/* grid.c — the visible cells of one screen (see grid.h). Each row owns its
 * cell array; scrolling rotates the 16-byte row headers and only the rows
 * that arrive blank are written. A scroll of the whole screen (every line
 * of `cat`) moves the row pointer one header forward in a larger header
 * array instead, and the array is compacted once every few dozen scrolls.
 * Row dirty counters are stamped from one
 * per-grid generation so that no two rows ever carry the same value: a
 * consumer that remembers the counter per row index sees a moved row as
 * changed, and one that follows a row by its cells pointer sees it as
 * unchanged (which is what scroll detection wants). */
#include "term/grid.h"

#include <stdlib.h>
#include <string.h>

#include "term/simd.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if SIMD_HAVE_AVX2
#include <immintrin.h>
#endif

#include "common/util.h"
#include "common/xmalloc.h"

/* Rotations by at most this many rows use a stack copy of the headers. */
#define GRID_ROTATE_STACK 16
/* Spare headers past the rows: whole-screen scrolls between compactions. */
#define GRID_ROW_SLACK 64u

static const struct cell grid_default_blank = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

static void grid_stamp(struct grid *g, unsigned y)
{
	g->row[y].dirty = ++g->stamp;
}

#if SIMD_HAVE_AVX2
/* Two cells a store, sixteen a turn. */
SIMD_TARGET_AVX2 static void grid_fill_cells_avx2(struct cell *cells, unsigned n,
						 const struct cell *blank)
{
	const __m256i v = _mm256_broadcastsi128_si256(
		_mm_loadu_si128((const __m128i *)(const void *)blank));
	unsigned i = 0;

	for (; i + 16 <= n; i += 16) {
		__m256i *d = (__m256i *)(void *)(cells + i);

		_mm256_storeu_si256(d, v);
		_mm256_storeu_si256(d + 1, v);
		_mm256_storeu_si256(d + 2, v);
		_mm256_storeu_si256(d + 3, v);
		_mm256_storeu_si256(d + 4, v);
		_mm256_storeu_si256(d + 5, v);
		_mm256_storeu_si256(d + 6, v);
		_mm256_storeu_si256(d + 7, v);
	}
	for (; i + 2 <= n; i += 2)
		_mm256_storeu_si256((__m256i *)(void *)(cells + i), v);
	if (i < n)
		_mm_storeu_si128((__m128i *)(void *)(cells + i), _mm256_castsi256_si128(v));
}
#endif

/* Every scrolled line refills a whole row, so this is one 16-byte store
 * per cell, four a turn (or 32-byte stores with AVX2). BLANK is copied
 * first: it may lie in CELLS. */
static void grid_fill_cells(struct cell *cells, unsigned n, const struct cell *blank)
{
	unsigned i = 0;
#if SIMD_HAVE_AVX2
	if (simd_avx2()) {
		grid_fill_cells_avx2(cells, n, blank);
		return;
	}
#endif
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)blank);
	__m128i *d = (__m128i *)(void *)cells;

	for (; i + 4 <= n; i += 4) {
		_mm_storeu_si128(d + i, v);
		_mm_storeu_si128(d + i + 1, v);
		_mm_storeu_si128(d + i + 2, v);
		_mm_storeu_si128(d + i + 3, v);
	}
	for (; i < n; i++)
		_mm_storeu_si128(d + i, v);
#else
	const struct cell b = *blank;

	for (; i < n; i++)
		cells[i] = b;
#endif
}

static void grid_row_init(struct grid *g, unsigned y)
{
	g->row[y].cells = xreallocarray(NULL, g->cols ? g->cols : 1, sizeof(struct cell));
	grid_fill_cells(g->row[y].cells, g->cols, &grid_default_blank);
	g->row[y].flags = 0;
	grid_stamp(g, y);
}

/* Make room for ROWS headers from g->row on: compact to the front of the
 * array, and grow it if that is not enough (with slack for scrolling). */
static void grid_reserve_rows(struct grid *g, unsigned rows)
{
	unsigned off = (unsigned)(g->row - g->row_base);

	if (off + rows <= g->row_cap)
		return;
	if (off > 0) {
		memmove(g->row_base, g->row, g->rows * sizeof *g->row);
		g->row = g->row_base;
	}
	if (rows > g->row_cap) {
		g->row_cap = rows + GRID_ROW_SLACK;
		g->row_base = xreallocarray(g->row_base, g->row_cap, sizeof *g->row_base);
		g->row = g->row_base;
	}
}

struct grid *grid_create(unsigned cols, unsigned rows)
{
	struct grid *g = xcalloc(1, sizeof *g);

	g->cols = cols;
	g->rows = rows;
	g->row_cap = rows + GRID_ROW_SLACK;
	g->row_base = xcalloc(g->row_cap, sizeof *g->row_base);
	g->row = g->row_base;
	for (unsigned y = 0; y < rows; y++)
		grid_row_init(g, y);
	return g;
}

void grid_free(struct grid *g)
{
	if (g == NULL)
		return;
	for (unsigned y = 0; y < g->rows; y++)
		free(g->row[y].cells);
	free(g->row_base);
	free(g);
}

void grid_fill(struct grid *g, unsigned y, unsigned x0, unsigned x1, const struct cell *blank)
{
	if (y >= g->rows)
		return;
	if (x1 > g->cols)
		x1 = g->cols;
	if (x0 >= x1)
		return;
	grid_fill_cells(g->row[y].cells + x0, x1 - x0, blank);
	grid_stamp(g, y);
}

void grid_fill_rows(struct grid *g, unsigned y0, unsigned y1, const struct cell *blank)
{
	if (y1 > g->rows)
		y1 = g->rows;
	for (unsigned y = y0; y < y1; y++) {
		grid_fill_cells(g->row[y].cells, g->cols, blank);
		g->row[y].flags = 0;
		grid_stamp(g, y);
	}
}

static void grid_reverse(struct grid_row *r, unsigned n)
{
	for (unsigned i = 0, j = n - 1; n > 1 && i < j; i++, j--) {
		struct grid_row t = r[i];
		r[i] = r[j];
		r[j] = t;
	}
}

/* Rotate the COUNT headers at R left by N (0 < N < COUNT). */
static void grid_rotate_left(struct grid_row *r, unsigned count, unsigned n)
{
	if (n <= GRID_ROTATE_STACK) {
		struct grid_row tmp[GRID_ROTATE_STACK];

		/* Loops, not memcpy: see grid_scroll_up(). */
		for (unsigned i = 0; i < n; i++)
			tmp[i] = r[i];
		memmove(r, r + n, (count - n) * sizeof *r);
		for (unsigned i = 0; i < n; i++)
			r[count - n + i] = tmp[i];
		return;
	}
	grid_reverse(r, n);
	grid_reverse(r + n, count - n);
	grid_reverse(r, count);
}

/* Clamp a scroll request; returns the row count of the region or 0. */
static unsigned grid_region(const struct grid *g, unsigned top, unsigned *bottom, unsigned *n)
{
	if (g->rows == 0 || top >= g->rows || *n == 0)
		return 0;
	if (*bottom >= g->rows)
		*bottom = g->rows - 1;
	if (top > *bottom)
		return 0;
	unsigned count = *bottom - top + 1;
	if (*n > count)
		*n = count;
	return count;
}

void grid_scroll_up(struct grid *g, unsigned top, unsigned bottom, unsigned n, const struct cell *blank)
{
	unsigned count = grid_region(g, top, &bottom, &n);

	if (count == 0)
		return;
	if (n < count && count == g->rows && n <= GRID_ROW_SLACK) {
		/* The whole screen: the top N headers go after the last row
		 * and the screen starts N headers later. */
		grid_reserve_rows(g, g->rows + n);
		/* Not memcpy: for a few bytes of unknown size it can start
		 * a string move, which costs more than the rest of the
		 * scroll. */
		for (unsigned i = 0; i < n; i++)
			g->row[g->rows + i] = g->row[i];
		g->row += n;
	} else if (n < count)
		grid_rotate_left(g->row + top, count, n);
	grid_fill_rows(g, bottom + 1 - n, bottom + 1, blank);
}

void grid_scroll_down(struct grid *g, unsigned top, unsigned bottom, unsigned n, const struct cell *blank)
{
	unsigned count = grid_region(g, top, &bottom, &n);

	if (count == 0)
		return;
	if (n < count)
		grid_rotate_left(g->row + top, count, count - n);
	grid_fill_rows(g, top, top + n, blank);
}

/* After a shift, a wide character may have lost one of its halves inside
 * [x0, x1): such a lone half shows as a blank in its own colours. */
static void grid_fix_halves(struct cell *cells, unsigned cols, unsigned x0, unsigned x1)
{
	if (x0 > 0)
		x0--;
	if (x1 > cols)
		x1 = cols;
	for (unsigned x = x0; x < x1; x++) {
		struct cell *c = &cells[x];
		int lone = 0;

		if ((c->attr & CELL_WIDE_TAIL) && (x == 0 || !(cells[x - 1].attr & CELL_WIDE)))
			lone = 1;
		if ((c->attr & CELL_WIDE) && x + 1 < cols && !(cells[x + 1].attr & CELL_WIDE_TAIL))
			lone = 1;
		if (lone) {
			c->ch = ' ';
			c->attr &= ~CELL_SHAPE_MASK;
		}
	}
}

void grid_insert_cells(struct grid *g, unsigned x, unsigned y, unsigned n, const struct cell *blank)
{
	if (y >= g->rows || x >= g->cols || n == 0)
		return;
	struct cell *cells = g->row[y].cells;
	unsigned left = g->cols - x;

	if (n > left)
		n = left;
	memmove(cells + x + n, cells + x, (left - n) * sizeof *cells);
	grid_fill_cells(cells + x, n, blank);
	grid_fix_halves(cells, g->cols, x, x + n + 1);
	/* A wide character whose tail went off the edge. */
	if (g->cols > 0 && (cells[g->cols - 1].attr & CELL_WIDE) && n < left) {
		cells[g->cols - 1].ch = ' ';
		cells[g->cols - 1].attr &= ~CELL_SHAPE_MASK;
	}
	grid_stamp(g, y);
}

void grid_delete_cells(struct grid *g, unsigned x, unsigned y, unsigned n, const struct cell *blank)
{
	if (y >= g->rows || x >= g->cols || n == 0)
		return;
	struct cell *cells = g->row[y].cells;
	unsigned left = g->cols - x;

	if (n > left)
		n = left;
	memmove(cells + x, cells + x + n, (left - n) * sizeof *cells);
	grid_fill_cells(cells + g->cols - n, n, blank);
	grid_fix_halves(cells, g->cols, x, x + 1);
	grid_fix_halves(cells, g->cols, g->cols - n, g->cols);
	grid_stamp(g, y);
}

void grid_resize(struct grid *g, unsigned cols, unsigned rows)
{
	if (cols != g->cols) {
		for (unsigned y = 0; y < g->rows; y++) {
			struct grid_row *r = &g->row[y];

			r->cells = xreallocarray(r->cells, cols ? cols : 1, sizeof *r->cells);
			if (cols > g->cols)
				grid_fill_cells(r->cells + g->cols, cols - g->cols, &grid_default_blank);
			else if (cols > 0 && (r->cells[cols - 1].attr & CELL_WIDE)) {
				/* Its tail was cut off: a blank in its colours. */
				r->cells[cols - 1].ch = ' ';
				r->cells[cols - 1].attr &= (uint16_t)~CELL_SHAPE_MASK;
			}
			grid_stamp(g, y);
		}
		g->cols = cols;
	}
	if (rows < g->rows) {
		for (unsigned y = rows; y < g->rows; y++)
			free(g->row[y].cells);
		g->rows = rows;
	} else if (rows > g->rows) {
		unsigned old = g->rows;

		grid_reserve_rows(g, rows);
		g->rows = rows;
		for (unsigned y = old; y < rows; y++)
			grid_row_init(g, y);
	}
}

static int grid_cell_is_default_blank(const struct cell *c)
{
	return c->ch == ' ' && c->fg == COLOUR_DEFAULT && c->bg == COLOUR_DEFAULT && c->attr == 0 &&
	       c->link == 0;
}

unsigned grid_row_used(const struct grid *g, unsigned y)
{
	if (y >= g->rows)
		return 0;
	const struct cell *cells = g->row[y].cells;
	unsigned x = g->cols;

	while (x > 0 && grid_cell_is_default_blank(&cells[x - 1]))
		x--;
	return x;
}
