/* test_grid.c — the visible grid: fills, scrolling by row rotation (cells
 * never copied), insert/delete of cells with wide halves, resize, used
 * width and dirty stamps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term/grid.h"
#include "term/simd.h"

static const struct cell blank = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

/* Write text S at row Y from column 0. */
static void put(struct grid *g, unsigned y, const char *s)
{
	for (unsigned x = 0; s[x] != '\0' && x < g->cols; x++)
		grid_cell(g, x, y)->ch = (uint8_t)s[x];
	grid_touch(g, y);
}

/* Row Y as a string of its characters ('.' for a tail). */
static const char *row_text(struct grid *g, unsigned y)
{
	static char buf[256];
	unsigned x;

	for (x = 0; x < g->cols && x < sizeof buf - 1; x++) {
		const struct cell *c = grid_cell(g, x, y);
		buf[x] = (c->attr & CELL_WIDE_TAIL) ? '.' : (char)c->ch;
	}
	buf[x] = '\0';
	return buf;
}

static void test_create_blank(void **state)
{
	struct grid *g = grid_create(7, 3);

	assert_int_equal(g->cols, 7);
	assert_int_equal(g->rows, 3);
	for (unsigned y = 0; y < 3; y++) {
		assert_string_equal(row_text(g, y), "       ");
		assert_int_equal(g->row[y].flags, 0);
		assert_int_equal(grid_row_used(g, y), 0);
		for (unsigned x = 0; x < 7; x++)
			assert_memory_equal(grid_cell(g, x, y), &blank, sizeof blank);
	}
	/* Every row carries its own dirty stamp. */
	assert_int_not_equal(g->row[0].dirty, g->row[1].dirty);
	assert_int_not_equal(g->row[1].dirty, g->row[2].dirty);
	grid_free(g);
}

static void test_fill(void **state)
{
	struct grid *g = grid_create(6, 2);
	struct cell red = blank;

	red.bg = colour_palette(1);
	put(g, 0, "abcdef");
	uint32_t d = g->row[0].dirty;
	grid_fill(g, 0, 2, 4, &red);
	assert_string_equal(row_text(g, 0), "ab  ef");
	assert_int_equal(grid_cell(g, 2, 0)->bg, colour_palette(1));
	assert_int_equal(grid_cell(g, 4, 0)->bg, COLOUR_DEFAULT);
	assert_int_not_equal(g->row[0].dirty, d);
	/* Out of range requests are clamped, not overrun. */
	grid_fill(g, 0, 5, 99, &blank);
	assert_string_equal(row_text(g, 0), "ab  e ");
	grid_fill(g, 9, 0, 6, &blank);

	g->row[1].flags = ROW_WRAPPED;
	put(g, 1, "xyz");
	grid_fill_rows(g, 0, 2, &red);
	assert_int_equal(g->row[1].flags, 0);
	assert_string_equal(row_text(g, 1), "      ");
	assert_int_equal(grid_cell(g, 5, 1)->bg, colour_palette(1));
	/* A coloured blank counts as used. */
	assert_int_equal(grid_row_used(g, 1), 6);
	grid_free(g);
}

static void test_scroll_up_rotates(void **state)
{
	struct grid *g = grid_create(4, 5);
	const char *lines[] = { "aaaa", "bbbb", "cccc", "dddd", "eeee" };

	for (unsigned y = 0; y < 5; y++)
		put(g, y, lines[y]);
	g->row[1].flags = ROW_WRAPPED;
	struct cell *rowc = g->row[2].cells;
	uint32_t dc = g->row[2].dirty;
	struct cell *rowb = g->row[1].cells;

	grid_scroll_up(g, 1, 3, 1, &blank);
	assert_string_equal(row_text(g, 0), "aaaa");
	assert_string_equal(row_text(g, 1), "cccc");
	assert_string_equal(row_text(g, 2), "dddd");
	assert_string_equal(row_text(g, 3), "    ");
	assert_string_equal(row_text(g, 4), "eeee");
	/* Rows moved as headers: same cell arrays, same stamp for the
	 * unchanged row; the recycled row is cleared and restamped. */
	assert_ptr_equal(g->row[1].cells, rowc);
	assert_int_equal(g->row[1].dirty, dc);
	assert_ptr_equal(g->row[3].cells, rowb);
	assert_int_equal(g->row[3].flags, 0);

	/* Scrolling more than the region clears it. */
	grid_scroll_up(g, 0, 4, 9, &blank);
	for (unsigned y = 0; y < 5; y++)
		assert_string_equal(row_text(g, y), "    ");
	grid_free(g);
}

static void test_scroll_large_n(void **state)
{
	/* Past the stack-copy size, the rotation takes another route. */
	struct grid *g = grid_create(2, 40);
	char s[3] = "00";

	for (unsigned y = 0; y < 40; y++) {
		s[0] = (char)('0' + y / 10);
		s[1] = (char)('0' + y % 10);
		put(g, y, s);
	}
	grid_scroll_up(g, 0, 39, 25, &blank);
	assert_string_equal(row_text(g, 0), "25");
	assert_string_equal(row_text(g, 14), "39");
	assert_string_equal(row_text(g, 15), "  ");
	grid_scroll_down(g, 0, 39, 20, &blank);
	assert_string_equal(row_text(g, 19), "  ");
	assert_string_equal(row_text(g, 20), "25");
	assert_string_equal(row_text(g, 34), "39");
	assert_string_equal(row_text(g, 39), "  ");
	/* Every row still owns a distinct cell array. */
	for (unsigned i = 0; i < 40; i++)
		for (unsigned j = i + 1; j < 40; j++)
			assert_ptr_not_equal(g->row[i].cells, g->row[j].cells);
	grid_free(g);
}

static void test_scroll_down(void **state)
{
	struct grid *g = grid_create(3, 4);
	struct cell blue = blank;

	blue.bg = colour_rgb(0, 0, 255);
	put(g, 0, "aaa");
	put(g, 1, "bbb");
	put(g, 2, "ccc");
	put(g, 3, "ddd");
	grid_scroll_down(g, 0, 2, 2, &blue);
	assert_string_equal(row_text(g, 0), "   ");
	assert_int_equal(grid_cell(g, 1, 1)->bg, colour_rgb(0, 0, 255));
	assert_string_equal(row_text(g, 2), "aaa");
	assert_string_equal(row_text(g, 3), "ddd");
	/* Bad regions do nothing. */
	grid_scroll_down(g, 3, 1, 1, &blank);
	grid_scroll_down(g, 7, 9, 1, &blank);
	assert_string_equal(row_text(g, 2), "aaa");
	grid_free(g);
}

static void set_wide(struct grid *g, unsigned x, unsigned y, uint32_t ch)
{
	grid_cell(g, x, y)->ch = ch;
	grid_cell(g, x, y)->attr = CELL_WIDE;
	grid_cell(g, x + 1, y)->ch = 0;
	grid_cell(g, x + 1, y)->attr = CELL_WIDE_TAIL;
}

static void test_insert_delete(void **state)
{
	struct grid *g = grid_create(6, 1);

	put(g, 0, "abcdef");
	grid_insert_cells(g, 1, 0, 2, &blank);
	assert_string_equal(row_text(g, 0), "a  bcd");
	grid_delete_cells(g, 1, 0, 2, &blank);
	assert_string_equal(row_text(g, 0), "abcd  ");
	grid_delete_cells(g, 2, 0, 50, &blank);
	assert_string_equal(row_text(g, 0), "ab    ");
	grid_insert_cells(g, 0, 0, 50, &blank);
	assert_string_equal(row_text(g, 0), "      ");

	/* A wide character pushed half off the edge leaves a blank. */
	put(g, 0, "abcd");
	set_wide(g, 4, 0, 'W');
	grid_insert_cells(g, 0, 0, 1, &blank);
	assert_string_equal(row_text(g, 0), " abcd ");
	assert_int_equal(grid_cell(g, 5, 0)->attr & CELL_SHAPE_MASK, 0);

	/* Deleting the head of a wide character blanks its tail. */
	put(g, 0, "xxxxxx");
	set_wide(g, 1, 0, 'W');
	grid_delete_cells(g, 1, 0, 1, &blank);
	assert_string_equal(row_text(g, 0), "x xxx ");
	assert_int_equal(grid_cell(g, 1, 0)->attr & CELL_SHAPE_MASK, 0);

	/* Inserting inside a wide character splits it into two blanks. */
	put(g, 0, "xxxxxx");
	set_wide(g, 2, 0, 'W');
	grid_insert_cells(g, 3, 0, 1, &blank);
	assert_string_equal(row_text(g, 0), "xx   x");
	for (unsigned x = 0; x < 6; x++)
		assert_int_equal(grid_cell(g, x, 0)->attr & CELL_SHAPE_MASK, 0);
	grid_free(g);
}

static void test_resize(void **state)
{
	struct grid *g = grid_create(4, 3);

	put(g, 0, "abcd");
	put(g, 2, "wxyz");
	grid_resize(g, 6, 4);
	assert_int_equal(g->cols, 6);
	assert_int_equal(g->rows, 4);
	assert_string_equal(row_text(g, 0), "abcd  ");
	assert_string_equal(row_text(g, 2), "wxyz  ");
	assert_string_equal(row_text(g, 3), "      ");
	assert_memory_equal(grid_cell(g, 5, 3), &blank, sizeof blank);
	grid_resize(g, 2, 1);
	assert_int_equal(g->rows, 1);
	assert_string_equal(row_text(g, 0), "ab");
	grid_resize(g, 3, 2);
	assert_string_equal(row_text(g, 0), "ab ");
	assert_string_equal(row_text(g, 1), "   ");
	grid_free(g);
}

static void test_resize_cuts_wide(void **state)
{
	struct grid *g = grid_create(6, 1);
	struct cell *c = grid_cell(g, 2, 0);

	/* A wide character in columns 2-3, red on blue. */
	c[0] = (struct cell){ 0x6f22, colour_palette(1), colour_palette(4), CELL_WIDE, 0 };
	c[1] = (struct cell){ 0, colour_palette(1), colour_palette(4), CELL_WIDE_TAIL, 0 };
	grid_resize(g, 4, 1);
	assert_int_equal(grid_cell(g, 2, 0)->ch, 0x6f22);
	assert_true(grid_cell(g, 3, 0)->attr & CELL_WIDE_TAIL);
	/* Cut between head and tail: the head becomes a blank in its colours. */
	grid_resize(g, 3, 1);
	c = grid_cell(g, 2, 0);
	assert_int_equal(c->ch, ' ');
	assert_int_equal(c->attr & CELL_SHAPE_MASK, 0);
	assert_int_equal(c->bg, colour_palette(4));
	grid_resize(g, 6, 1);
	for (unsigned x = 0; x < 6; x++)
		assert_int_equal(grid_cell(g, x, 0)->attr & CELL_SHAPE_MASK, 0);
	grid_free(g);
}

static void test_row_used(void **state)
{
	struct grid *g = grid_create(8, 1);

	put(g, 0, "ab  c");
	assert_int_equal(grid_row_used(g, 0), 5);
	grid_cell(g, 6, 0)->attr = ATTR_UNDERLINE(UL_SINGLE);
	assert_int_equal(grid_row_used(g, 0), 7);
	grid_cell(g, 6, 0)->attr = 0;
	grid_cell(g, 7, 0)->link = 3;
	assert_int_equal(grid_row_used(g, 0), 8);
	grid_cell(g, 7, 0)->link = 0;
	grid_cell(g, 7, 0)->fg = colour_palette(0);
	assert_int_equal(grid_row_used(g, 0), 8);
	assert_int_equal(grid_row_used(g, 5), 0);
	grid_free(g);
}

/* Many whole-screen scrolls walk the rows through the spare headers and
 * compact them back, with resizes in between: the rows keep their order
 * and every cell array stays owned by exactly one row. */
static void test_scroll_whole_screen_many(void **state)
{
	struct grid *g = grid_create(3, 5);
	char s[4] = "000";
	unsigned next = 0;

	for (unsigned y = 0; y < 5; y++, next++) {
		s[0] = (char)('0' + next / 100 % 10);
		s[1] = (char)('0' + next / 10 % 10);
		s[2] = (char)('0' + next % 10);
		put(g, y, s);
	}
	unsigned fresh = 5; /* rows written since the last resize */

	for (unsigned step = 0; step < 400; step++) {
		unsigned n = step % 7 == 0 ? 3 : 1;

		if (step == 150 || step == 250) {
			/* Taller: blank rows at the bottom; shorter: the
			 * bottom rows go. */
			grid_resize(g, 3, step == 150 ? 9 : 4);
			fresh = 0;
		}
		grid_scroll_up(g, 0, g->rows - 1, n, &blank);
		for (unsigned k = 0; k < n; k++)
			assert_string_equal(row_text(g, g->rows - n + k), "   ");
		for (unsigned k = 0; k < n; k++, next++, fresh++) {
			s[0] = (char)('0' + next / 100 % 10);
			s[1] = (char)('0' + next / 10 % 10);
			s[2] = (char)('0' + next % 10);
			put(g, g->rows - n + k, s);
		}
		/* The rows written since the resize read back in order. */
		for (unsigned k = 0; k < fresh && k < g->rows; k++)
			assert_int_equal(atoi(row_text(g, g->rows - 1 - k)), (int)(next - 1 - k));
	}
	assert_int_equal(atoi(row_text(g, g->rows - 1)), (int)next - 1);
	for (unsigned i = 0; i < g->rows; i++)
		for (unsigned j = i + 1; j < g->rows; j++)
			assert_ptr_not_equal(g->row[i].cells, g->row[j].cells);
	grid_free(g);
}

/* The SSE2 and AVX2 fills write exactly the cells asked for, at every
 * length and offset. */
static void test_fill_vector_paths(void **state)
{
	const struct cell mark = { 'x', colour_rgb(1, 2, 3), colour_palette(9), ATTR_BOLD, 7 };
	const struct cell paint = { ' ', COLOUR_DEFAULT, colour_rgb(200, 0, 0), 0, 0 };

	for (int avx = 0; avx < 2; avx++) {
		simd_force(avx);
		struct grid *g = grid_create(40, 1);

		for (unsigned x0 = 0; x0 < 6; x0++) {
			for (unsigned len = 0; len + x0 <= 40; len++) {
				for (unsigned x = 0; x < 40; x++)
					*grid_cell(g, x, 0) = mark;
				grid_fill(g, 0, x0, x0 + len, &paint);
				for (unsigned x = 0; x < 40; x++) {
					const struct cell *want = x >= x0 && x < x0 + len ? &paint : &mark;
					assert_memory_equal(grid_cell(g, x, 0), want, sizeof *want);
				}
			}
		}
		grid_free(g);
	}
	simd_force(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_blank),
		cmocka_unit_test(test_fill),
		cmocka_unit_test(test_scroll_up_rotates),
		cmocka_unit_test(test_scroll_large_n),
		cmocka_unit_test(test_scroll_down),
		cmocka_unit_test(test_insert_delete),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_resize_cuts_wide),
		cmocka_unit_test(test_row_used),
		cmocka_unit_test(test_scroll_whole_screen_many),
		cmocka_unit_test(test_fill_vector_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
