/* test_screen.c — the screen operations the parser drives (screen_ops.h),
 * called directly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "term/screen.h"
#include "term/screen_ops.h"
#include "term/simd.h"

/* Row Y as UTF-8 without trailing blanks. */
static const char *row_text(struct screen *s, unsigned y)
{
	static char out[1024];
	size_t len = 0, keep = 0;

	for (unsigned x = 0; x < s->cols; x++) {
		len += cell_utf8(&s->grid->row[y].cells[x], s->clusters, out + len);
		if (len > 0 && out[len - 1] != ' ')
			keep = len;
	}
	out[keep] = '\0';
	return out;
}

static void put(struct screen *s, const char *text)
{
	screen_put_ascii(s, (const uint8_t *)text, strlen(text));
}

static struct screen_params params(unsigned n, const int32_t *v, const uint8_t *colon)
{
	struct screen_params p;
	memset(&p, 0, sizeof p);
	p.n = n;
	for (unsigned i = 0; i < n; i++) {
		p.v[i] = v[i];
		p.colon[i] = colon != NULL ? colon[i] : 0;
	}
	return p;
}

static void test_print_and_wrap(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 3, 100);
	put(s, "0123456789");
	assert_int_equal(s->cx, 9);
	assert_true(s->wrap_pending);
	assert_int_equal(s->grid->row[0].flags & ROW_WRAPPED, 0);
	put(s, "ab");
	assert_string_equal(row_text(s, 0), "0123456789");
	assert_string_equal(row_text(s, 1), "ab");
	assert_true(s->grid->row[0].flags & ROW_WRAPPED);
	assert_int_equal(s->cx, 2);
	assert_int_equal(s->cy, 1);

	/* Without autowrap the last column takes the final character. */
	screen_set_private_mode(s, 7, 0);
	screen_cursor_to(s, 5, 2);
	put(s, "vwxyz!");
	assert_string_equal(row_text(s, 2), "     vwxy!");
	assert_int_equal(s->cx, 9);
	assert_false(s->wrap_pending);
	screen_free(s);
}

static void test_wide_and_combining(void **state)
{
	(void)state;
	struct screen *s = screen_create(5, 2, 100);
	screen_put(s, 0x4e00);
	assert_true(s->grid->row[0].cells[0].attr & CELL_WIDE);
	assert_true(s->grid->row[0].cells[1].attr & CELL_WIDE_TAIL);
	assert_int_equal(s->cx, 2);
	put(s, "ab");
	/* Does not fit in the last column: wraps, the column stays blank. */
	screen_put(s, 0x4e00);
	assert_string_equal(row_text(s, 0), "\xe4\xb8\x80" "ab");
	assert_string_equal(row_text(s, 1), "\xe4\xb8\x80");
	/* Writing over the tail blanks the head. */
	screen_cursor_to(s, 1, 1);
	put(s, "x");
	assert_string_equal(row_text(s, 1), " x");
	assert_int_equal(s->grid->row[1].cells[0].attr & CELL_SHAPE_MASK, 0);

	/* A combining mark joins the previous cell as a cluster. */
	screen_cursor_to(s, 0, 1);
	put(s, "e");
	screen_put(s, 0x0301);
	assert_true(s->grid->row[1].cells[0].attr & CELL_CLUSTER);
	assert_string_equal(row_text(s, 1), "e\xcc\x81x");
	assert_int_equal(s->cx, 1);
	screen_free(s);
}

static void test_cursor_motion(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 6, 100);
	screen_cursor_to(s, 50, 50);
	assert_int_equal(s->cx, 9);
	assert_int_equal(s->cy, 5);
	screen_cursor_up(s, 2);
	screen_cursor_left(s, 3);
	assert_int_equal(s->cx, 6);
	assert_int_equal(s->cy, 3);
	screen_cursor_down(s, 100);
	screen_cursor_right(s, 100);
	assert_int_equal(s->cx, 9);
	assert_int_equal(s->cy, 5);

	/* Inside a region, vertical motion stops at its margins. */
	screen_set_region(s, 1, 3);
	screen_cursor_to(s, 0, 2);
	screen_cursor_up(s, 10);
	assert_int_equal(s->cy, 1);
	screen_cursor_down(s, 10);
	assert_int_equal(s->cy, 3);

	/* Origin mode: rows count from the region's top and stay inside. */
	screen_set_private_mode(s, 6, 1);
	assert_int_equal(s->cy, 1);
	screen_cursor_to(s, 2, 1);
	assert_int_equal(s->cy, 2);
	screen_cursor_to(s, 2, 40);
	assert_int_equal(s->cy, 3);
	screen_free(s);
}

static void test_tabs(void **state)
{
	(void)state;
	struct screen *s = screen_create(30, 2, 100);
	screen_tab(s, 1);
	assert_int_equal(s->cx, 8);
	screen_tab(s, 2);
	assert_int_equal(s->cx, 24);
	screen_tab(s, 1);
	assert_int_equal(s->cx, 29);
	screen_backtab(s, 1);
	assert_int_equal(s->cx, 24);
	screen_clear_tab(s, 3);
	screen_cursor_col(s, 3);
	screen_set_tab(s);
	screen_cursor_col(s, 0);
	screen_tab(s, 1);
	assert_int_equal(s->cx, 3);
	screen_tab(s, 1);
	assert_int_equal(s->cx, 29);
	screen_free(s);
}

static void test_erase(void **state)
{
	(void)state;
	struct screen *s = screen_create(6, 3, 100);
	for (unsigned y = 0; y < 3; y++) {
		screen_cursor_to(s, 0, y);
		put(s, "abcdef");
	}
	int32_t red[] = { 41 };
	struct screen_params p = params(1, red, NULL);
	screen_sgr(s, &p);
	screen_cursor_to(s, 2, 1);
	screen_erase_line(s, 0);
	assert_string_equal(row_text(s, 1), "ab");
	assert_int_equal(s->grid->row[1].cells[3].bg, colour_palette(1));
	screen_erase_line(s, 1);
	assert_string_equal(row_text(s, 1), "");
	screen_cursor_to(s, 1, 0);
	screen_erase_chars(s, 2);
	assert_string_equal(row_text(s, 0), "a  def");
	screen_cursor_to(s, 3, 2);
	screen_erase_display(s, 1);
	assert_string_equal(row_text(s, 0), "");
	assert_string_equal(row_text(s, 2), "    ef");
	screen_erase_display(s, 0);
	assert_string_equal(row_text(s, 2), "");
	screen_free(s);
}

static void test_insert_delete(void **state)
{
	(void)state;
	struct screen *s = screen_create(6, 4, 100);
	put(s, "abcdef");
	screen_cursor_to(s, 1, 0);
	screen_insert_chars(s, 2);
	assert_string_equal(row_text(s, 0), "a  bcd");
	screen_delete_chars(s, 3);
	assert_string_equal(row_text(s, 0), "acd");

	/* Insert mode shifts the rest of the line. */
	screen_set_ansi_mode(s, 4, 1);
	screen_cursor_to(s, 0, 0);
	put(s, "XY");
	assert_string_equal(row_text(s, 0), "XYacd");
	screen_set_ansi_mode(s, 4, 0);

	for (unsigned y = 1; y < 4; y++) {
		screen_cursor_to(s, 0, y);
		screen_put(s, '0' + y);
	}
	screen_cursor_to(s, 0, 1);
	screen_insert_lines(s, 1);
	assert_string_equal(row_text(s, 1), "");
	assert_string_equal(row_text(s, 2), "1");
	assert_string_equal(row_text(s, 3), "2");
	screen_delete_lines(s, 2);
	assert_string_equal(row_text(s, 1), "2");
	assert_string_equal(row_text(s, 2), "");
	screen_free(s);
}

static void test_scroll_and_history(void **state)
{
	(void)state;
	struct screen *s = screen_create(4, 3, 100);
	for (int i = 0; i < 5; i++) {
		screen_put(s, '0' + i);
		screen_carriage_return(s);
		screen_linefeed(s);
	}
	assert_int_equal(history_size(s->history), 3);
	assert_string_equal(row_text(s, 0), "3");
	assert_string_equal(row_text(s, 1), "4");

	/* A partial region feeds the history too (as tmux 3.3a): the row
	 * leaving the region's top goes, the row above the region stays. */
	screen_set_region(s, 1, 2);
	screen_cursor_to(s, 0, 2);
	screen_index(s);
	assert_int_equal(history_size(s->history), 4);
	assert_string_equal(row_text(s, 0), "3");
	assert_string_equal(row_text(s, 1), "");
	struct cell line[4];
	assert_int_equal(history_get(s->history, 3, line, 4, NULL, s->clusters), 1);
	assert_int_equal(line[0].ch, '4');

	screen_cursor_to(s, 0, 1);
	screen_put(s, 'z');
	screen_reverse_index(s);
	assert_string_equal(row_text(s, 1), "");
	assert_string_equal(row_text(s, 2), "z");
	screen_scroll_down(s, 5);
	assert_string_equal(row_text(s, 2), "");

	/* ED 2 moves the screen into the history, ED 3 clears it. */
	screen_set_region(s, 0, 2);
	screen_erase_display(s, 2);
	assert_int_equal(history_size(s->history), 5);
	screen_erase_display(s, 3);
	assert_int_equal(history_size(s->history), 0);
	screen_free(s);
}

/* Scrolling stamps no moved row again, yet a consumer comparing dirty
 * values by row index sees every row changed (stamps are unique), and
 * one following a row by its cells sees the moved rows unchanged. */
static void test_scroll_dirty_stamps(void **state)
{
	(void)state;
	struct screen *s = screen_create(4, 3, 100);
	uint32_t by_index[3];
	struct cell *cells[3];

	screen_cursor_to(s, 0, 2);
	for (unsigned y = 0; y < 3; y++) {
		by_index[y] = s->grid->row[y].dirty;
		cells[y] = s->grid->row[y].cells;
	}
	screen_index(s);
	for (unsigned y = 0; y < 3; y++)
		assert_int_not_equal(s->grid->row[y].dirty, by_index[y]);
	assert_ptr_equal(s->grid->row[0].cells, cells[1]);
	assert_int_equal(s->grid->row[0].dirty, by_index[1]);
	assert_int_equal(s->grid->row[1].dirty, by_index[2]);
	screen_free(s);
}

static void test_alternate_screen(void **state)
{
	(void)state;
	struct screen *s = screen_create(5, 3, 100);
	put(s, "main");
	screen_set_private_mode(s, 1049, 1);
	assert_true(screen_alternate_on(s));
	assert_ptr_equal(s->grid, s->alternate);
	assert_string_equal(row_text(s, 0), "");
	put(s, "alt");
	for (int i = 0; i < 5; i++)
		screen_linefeed(s);
	assert_int_equal(history_size(s->history), 0); /* no history from alt */
	screen_set_private_mode(s, 1049, 0);
	assert_false(screen_alternate_on(s));
	assert_null(s->alternate);
	assert_string_equal(row_text(s, 0), "main");
	assert_int_equal(s->cx, 4);
	assert_int_equal(s->cy, 0);
	screen_free(s);
}

static void test_save_restore(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 5, 100);
	int32_t v[] = { 1, 32 };
	struct screen_params p = params(2, v, NULL);
	screen_sgr(s, &p);
	screen_cursor_to(s, 3, 2);
	screen_designate(s, 0, SCREEN_CHARSET_DEC);
	screen_save_cursor(s);
	struct screen_params reset = params(0, NULL, NULL);
	screen_sgr(s, &reset);
	screen_designate(s, 0, SCREEN_CHARSET_ASCII);
	screen_cursor_to(s, 0, 0);
	screen_restore_cursor(s);
	assert_int_equal(s->cx, 3);
	assert_int_equal(s->cy, 2);
	assert_int_equal(s->pen.fg, colour_palette(2));
	assert_true(s->pen.attr & ATTR_BOLD);
	put(s, "q");
	assert_int_equal(s->grid->row[2].cells[3].ch, 0x2500); /* DEC 'q' */
	screen_free(s);
}

static void test_sgr(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 2, 100);
	int32_t a[] = { 1, 3, 4, 38, 2, 10, 20, 30, 48, 5, 200, 53, 95 };
	struct screen_params p = params(13, a, NULL);
	screen_sgr(s, &p);
	assert_int_equal(s->pen.fg, colour_palette(13)); /* 95 came last */
	assert_int_equal(s->pen.bg, colour_palette(200));
	assert_int_equal(s->pen.attr & (ATTR_BOLD | ATTR_ITALIC | ATTR_OVERLINE),
			 ATTR_BOLD | ATTR_ITALIC | ATTR_OVERLINE);
	assert_int_equal(ATTR_UL_STYLE(s->pen.attr), UL_SINGLE);

	/* Colon forms: 38:2::r:g:b, 4:3, 58:5:n ignored. */
	int32_t b[] = { 38, 2, SCREEN_PARAM_NONE, 1, 2, 3, 4, 3, 58, 5, 9, 22 };
	uint8_t bc[] = { 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0 };
	p = params(12, b, bc);
	screen_sgr(s, &p);
	assert_int_equal(s->pen.fg, colour_rgb(1, 2, 3));
	assert_int_equal(ATTR_UL_STYLE(s->pen.attr), UL_CURLY);
	assert_false(s->pen.attr & ATTR_BOLD);

	int32_t c[] = { 38, 2, 1, 2, 3 }; /* colon without colour space */
	uint8_t cc[] = { 0, 1, 1, 1, 1 };
	p = params(5, c, cc);
	screen_sgr(s, &p);
	assert_int_equal(s->pen.fg, colour_rgb(1, 2, 3));

	int32_t d[] = { 38, 2, 300, 0, 0, 24, 39, 49 }; /* invalid colour skipped */
	p = params(8, d, NULL);
	screen_sgr(s, &p);
	assert_int_equal(s->pen.fg, COLOUR_DEFAULT);
	assert_int_equal(ATTR_UL_STYLE(s->pen.attr), UL_NONE);

	int32_t e[] = { 0 };
	p = params(1, e, NULL);
	screen_sgr(s, &p);
	assert_int_equal(s->pen.attr, 0);
	assert_int_equal(s->pen.bg, COLOUR_DEFAULT);
	screen_free(s);
}

static void test_osc(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 2, 100);
	uint32_t serial = s->title_serial;
	screen_osc(s, "2;hello", 7);
	assert_string_equal(s->title, "hello");
	assert_int_not_equal(s->title_serial, serial);
	screen_osc(s, "0;bad\x01", 6); /* control characters: refused */
	assert_string_equal(s->title, "hello");
	screen_osc(s, "7;file://h/tmp", 14);
	assert_string_equal(s->cwd, "file://h/tmp");

	screen_osc(s, "8;id=a;http://x/", 16);
	uint16_t link = s->pen.link;
	assert_int_not_equal(link, 0);
	assert_string_equal(screen_link_uri(s, link), "http://x/");
	put(s, "L");
	assert_int_equal(s->grid->row[0].cells[0].link, link);
	screen_osc(s, "8;;", 3);
	assert_int_equal(s->pen.link, 0);
	screen_osc(s, "8;id=a;http://x/", 16);
	assert_int_equal(s->pen.link, link); /* interned */

	screen_osc(s, "52;c;aGk=", 9);
	assert_int_equal(s->clipboard.len, 7);
	assert_memory_equal(s->clipboard.data, "c;aGk=\n", 7);
	screen_osc(s, "52;c;?", 6); /* queries are not answered */
	assert_int_equal(s->clipboard.len, 7);
	assert_int_equal(s->replies.len, 0);
	screen_free(s);
}

static void test_link_table_bounded(void **state)
{
	(void)state;
	struct screen *s = screen_create(4, 2, 100);
	char uri[32];
	/* Many more links than the table holds: unused ones are recycled. */
	for (int i = 0; i < 3000; i++) {
		int n = snprintf(uri, sizeof uri, "8;;http://h/%d", i);
		screen_osc(s, uri, (size_t)n);
		assert_int_not_equal(s->pen.link, 0);
		assert_string_equal(screen_link_uri(s, s->pen.link), uri + 3);
	}
	screen_free(s);
}

static void test_modes_reset(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 4, 100);
	screen_set_private_mode(s, 1002, 1);
	screen_set_private_mode(s, 1006, 1);
	screen_set_private_mode(s, 2004, 1);
	screen_set_private_mode(s, 2026, 1);
	screen_set_private_mode(s, 25, 0);
	screen_set_cursor_style(s, 5);
	assert_true(s->modes & MODE_MOUSE_BUTTON);
	screen_set_private_mode(s, 1003, 1);
	assert_int_equal(s->modes & MODE_MOUSE_ANY_MASK, MODE_MOUSE_ANY);
	assert_false(screen_cursor_visible(s));
	assert_int_equal(s->cursor_style, 5);
	put(s, "text");
	screen_reset(s);
	assert_int_equal(s->modes, MODE_CURSOR_VISIBLE | MODE_WRAP);
	assert_int_equal(s->cursor_style, 0);
	assert_string_equal(row_text(s, 0), "");
	assert_int_equal(history_size(s->history), 1);

	screen_alignment(s);
	assert_string_equal(row_text(s, 3), "EEEEEEEEEE");
	screen_free(s);
}

static void test_repeat(void **state)
{
	(void)state;
	struct screen *s = screen_create(6, 2, 100);
	put(s, "a");
	screen_repeat(s, 100); /* only to the end of the line */
	assert_string_equal(row_text(s, 0), "aaaaaa");
	assert_string_equal(row_text(s, 1), "");
	screen_forget_last(s);
	screen_cursor_to(s, 0, 1);
	screen_repeat(s, 3);
	assert_string_equal(row_text(s, 1), "");
	screen_free(s);
}

static void test_resize(void **state)
{
	(void)state;
	struct screen *s = screen_create(10, 4, 100);
	put(s, "0123456789abc");
	screen_set_region(s, 1, 2);
	screen_resize(s, 20, 5);
	assert_int_equal(s->cols, 20);
	assert_int_equal(s->rows, 5);
	assert_int_equal(s->scroll_bottom, 4);
	assert_true(s->cx < s->cols && s->cy < s->rows);
	screen_set_private_mode(s, 1049, 1);
	screen_resize(s, 5, 2);
	assert_int_equal(s->alternate->cols, 5);
	assert_int_equal(s->primary->cols, 5);
	screen_set_private_mode(s, 1049, 0);
	assert_true(s->cx < 5 && s->cy < 2);
	screen_free(s);
}

/* Printable runs of every length from every column, in a pen with every
 * field set, through the SSE2 and the AVX2 loops: each cell holds its
 * byte and the pen, and the cells around the run are untouched. */
static void test_ascii_vector_paths(void **state)
{
	(void)state;
	uint8_t text[104];

	for (unsigned i = 0; i < sizeof text; i++)
		text[i] = (uint8_t)(' ' + (i * 7 + 3) % 95);
	for (int avx = 0; avx < 2; avx++) {
		simd_force(avx);
		struct screen *s = screen_create(100, 2, 0);

		s->pen.fg = colour_rgb(10, 20, 30);
		s->pen.bg = colour_palette(200);
		s->pen.attr = ATTR_BOLD | ATTR_UNDERLINE(UL_CURLY);
		s->pen.link = 0x8001;
		for (unsigned x0 = 0; x0 < 9; x0++) {
			for (unsigned len = 1; x0 + len <= 100; len++) {
				for (unsigned x = 0; x < 100; x++)
					s->grid->row[0].cells[x] = cell_blank(NULL);
				s->cx = x0;
				s->cy = 0;
				s->wrap_pending = 0;
				screen_put_ascii(s, text + len % 5, len);
				for (unsigned x = 0; x < 100; x++) {
					const struct cell *c = &s->grid->row[0].cells[x];

					if (x < x0 || x >= x0 + len) {
						struct cell b = cell_blank(NULL);
						assert_memory_equal(c, &b, sizeof b);
						continue;
					}
					assert_int_equal(c->ch, text[len % 5 + x - x0]);
					assert_int_equal(c->fg, s->pen.fg);
					assert_int_equal(c->bg, s->pen.bg);
					assert_int_equal(c->attr, s->pen.attr);
					assert_int_equal(c->link, s->pen.link);
				}
			}
		}
		screen_free(s);
	}
	simd_force(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_and_wrap),
		cmocka_unit_test(test_wide_and_combining),
		cmocka_unit_test(test_cursor_motion),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_insert_delete),
		cmocka_unit_test(test_scroll_and_history),
		cmocka_unit_test(test_scroll_dirty_stamps),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_save_restore),
		cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_osc),
		cmocka_unit_test(test_link_table_bounded),
		cmocka_unit_test(test_modes_reset),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_ascii_vector_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
