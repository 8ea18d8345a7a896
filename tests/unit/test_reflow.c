/* test_reflow.c — resize with reflow. Every expectation here was taken
 * from tmux 3.3a: the same bytes written into a pane, `resize-window`,
 * then `capture-pane -p -S - -E -` and `#{cursor_x},#{cursor_y},
 * #{history_size}`. A small writer below stands in for the parser
 * (autowrap, early wrap of wide characters, scrolling into history). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/reflow.h"
#include "term/utf8.h"

static const struct cell blank = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

struct term {
	struct grid *g;
	struct history *h;
	struct clusters *c;
	unsigned cx, cy;
	int pending;
	struct pen pen;
};

static struct term *term_new(unsigned cols, unsigned rows, int with_history)
{
	struct term *t = calloc(1, sizeof *t);

	assert_non_null(t);
	t->g = grid_create(cols, rows);
	t->h = with_history ? history_create(HISTORY_DEFAULT_LIMIT) : NULL;
	t->c = clusters_create();
	return t;
}

static void term_free(struct term *t)
{
	grid_free(t->g);
	history_free(t->h);
	clusters_free(t->c);
	free(t);
}

static void term_linefeed(struct term *t)
{
	if (t->cy + 1 < t->g->rows) {
		t->cy++;
		return;
	}
	if (t->h != NULL)
		history_push(t->h, t->g->row[0].cells, t->g->cols, t->g->row[0].flags, t->c);
	grid_scroll_up(t->g, 0, t->g->rows - 1, 1, &blank);
}

static void term_char(struct term *t, uint32_t ch)
{
	int w = utf8_width(ch) == 2 ? 2 : 1;
	struct grid *g = t->g;

	if (t->pending || (w == 2 && t->cx + 1 >= g->cols)) {
		/* Autowrap; a wide character that does not fit leaves a blank. */
		g->row[t->cy].flags |= ROW_WRAPPED;
		t->pending = 0;
		t->cx = 0;
		term_linefeed(t);
	}
	struct cell *c = grid_cell(g, t->cx, t->cy);
	c->ch = ch;
	c->fg = t->pen.fg;
	c->bg = t->pen.bg;
	c->attr = t->pen.attr;
	c->link = t->pen.link;
	if (w == 2) {
		c->attr |= CELL_WIDE;
		c[1] = *c;
		c[1].ch = 0;
		c[1].attr = (uint16_t)(t->pen.attr | CELL_WIDE_TAIL);
	}
	grid_touch(g, t->cy);
	if (t->cx + w >= g->cols) {
		t->cx = g->cols - 1;
		t->pending = 1;
	} else {
		t->cx += w;
	}
}

/* Write UTF-8 text; '\n' is CR LF as a tty gives it. */
static void term_write(struct term *t, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;

		i += utf8_decode((const uint8_t *)s + i, len - i, &cp);
		if (cp == '\n') {
			t->cx = 0;
			t->pending = 0;
			term_linefeed(t);
		} else {
			term_char(t, cp);
		}
	}
}

static void term_goto(struct term *t, unsigned x, unsigned y)
{
	t->cx = x;
	t->cy = y;
	t->pending = 0;
}

static void term_resize(struct term *t, unsigned cols, unsigned rows)
{
	reflow_resize_pending(t->g, t->h, t->c, cols, rows, &t->cx, &t->cy, &t->pending);
	assert_int_equal(t->g->cols, cols);
	assert_int_equal(t->g->rows, rows);
	assert_true(t->cx < cols);
	assert_true(t->cy < rows);
}

/* One row as capture-pane prints it: tails skipped, trailing spaces cut. */
static void row_text(const struct cell *cells, unsigned n, const struct clusters *c, char *out)
{
	size_t len = 0, keep = 0;

	for (unsigned x = 0; x < n; x++) {
		char tmp[CLUSTER_MAX_BYTES];
		size_t l = cell_utf8(&cells[x], c, tmp);

		memcpy(out + len, tmp, l);
		len += l;
		if (!(l == 1 && tmp[0] == ' ') && l > 0)
			keep = len;
	}
	out[keep] = '\0';
}

/* History then screen, one row a line, joined by '|'. */
static char *capture(struct term *t)
{
	unsigned hs = t->h ? history_size(t->h) : 0;
	size_t cap = (size_t)(hs + t->g->rows) * (t->g->cols * 4 + 2) + 1;
	char *out = malloc(cap), *p = out;
	struct cell *line = calloc(t->g->cols, sizeof *line);

	assert_non_null(out);
	assert_non_null(line);
	for (unsigned i = 0; i < hs + t->g->rows; i++) {
		if (i < hs) {
			history_get(t->h, i, line, t->g->cols, NULL, t->c);
			row_text(line, t->g->cols, t->c, p);
		} else {
			row_text(t->g->row[i - hs].cells, t->g->cols, t->c, p);
		}
		p += strlen(p);
		*p++ = '|';
	}
	*p = '\0';
	free(line);
	return out;
}

/* Check the capture, the cursor as tmux reports it (x may equal the width
 * for a pending wrap) and the history size. */
static void expect(struct term *t, const char *text, unsigned x, unsigned y, unsigned hist)
{
	char *got = capture(t);

	assert_string_equal(got, text);
	free(got);
	assert_int_equal(t->cx + (t->pending ? 1 : 0), x);
	assert_int_equal(t->cy, y);
	assert_int_equal(t->h ? history_size(t->h) : 0, hist);
}

static void test_shrink_grow_width(void **state)
{
	struct term *t = term_new(20, 5, 1);

	term_write(t, "aaaaaaaaaaaaaaaaaaaaaaaaa\nbb\n$ ");
	expect(t, "aaaaaaaaaaaaaaaaaaaa|aaaaa|bb|$||", 2, 3, 0);
	term_resize(t, 10, 5);
	expect(t, "aaaaaaaaaa|aaaaaaaaaa|aaaaa|bb|$||", 2, 3, 1);
	term_resize(t, 20, 5);
	expect(t, "aaaaaaaaaaaaaaaaaaaa|aaaaa|bb|$||", 2, 3, 0);
	/* Height and width together: the row below the cursor goes, the top
	 * row goes to history, then everything is cut at 7. */
	term_resize(t, 7, 3);
	expect(t, "aaaaaaa|aaaaaaa|aaaaaaa|aaaa|bb|$|", 2, 2, 3);
	term_resize(t, 30, 8);
	expect(t, "aaaaaaaaaaaaaaaaaaaaaaaaa|bb|$||||||", 2, 2, 0);
	term_free(t);
}

static void test_shrink_drops_rows_below_cursor(void **state)
{
	struct term *t = term_new(20, 5, 1);

	/* tmux drops rows below the cursor even when they hold text. */
	term_write(t, "l1\nl2\nl3\nl4\nl5");
	term_goto(t, 2, 1);
	term_resize(t, 20, 3);
	expect(t, "l1|l2|l3|", 2, 1, 0);
	term_resize(t, 20, 6);
	expect(t, "l1|l2|l3||||", 2, 1, 0);
	term_free(t);
}

static void test_grow_pulls_history(void **state)
{
	struct term *t = term_new(20, 5, 1);

	term_write(t, "l1\nl2\nl3\nl4\nl5\nl6\nl7");
	term_goto(t, 2, 0);
	expect(t, "l1|l2|l3|l4|l5|l6|l7|", 2, 0, 2);
	term_resize(t, 20, 3);
	expect(t, "l1|l2|l3|l4|l5|", 2, 0, 2);
	term_resize(t, 20, 7);
	expect(t, "l1|l2|l3|l4|l5|||", 2, 2, 0);
	term_free(t);
}

static void test_wide_characters(void **state)
{
	struct term *t = term_new(10, 4, 1);

	/* 中 does not fit in the last column: it wraps early. */
	term_write(t, "abcdefghi\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97xy");
	expect(t, "abcdefghi|\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97xy|||", 8, 1, 0);
	term_resize(t, 12, 4);
	expect(t, "abcdefghi\xe4\xb8\xad|\xe6\x96\x87\xe5\xad\x97xy|||", 6, 1, 0);
	term_resize(t, 5, 4);
	expect(t, "abcde|fghi|\xe4\xb8\xad\xe6\x96\x87|\xe5\xad\x97xy|||", 4, 1, 2);
	term_resize(t, 9, 4);
	expect(t, "abcdefghi|\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97xy|||", 8, 1, 0);
	term_resize(t, 3, 4);
	expect(t, "abc|def|ghi|\xe4\xb8\xad|\xe6\x96\x87|\xe5\xad\x97x|y|||", 1, 1, 5);
	/* No pair was ever split: every head has its tail. */
	for (unsigned y = 0; y < 4; y++)
		for (unsigned x = 0; x < 3; x++)
			if (grid_cell(t->g, x, y)->attr & CELL_WIDE)
				assert_true(x + 1 < 3 && (grid_cell(t->g, x + 1, y)->attr & CELL_WIDE_TAIL));
	term_free(t);
}

static void test_cursor_inside_line(void **state)
{
	struct term *t = term_new(10, 4, 1);

	term_write(t, "abcdefghijklmnopqrstuvw");
	term_goto(t, 3, 1); /* on the 'n' */
	term_resize(t, 4, 4);
	expect(t, "abcd|efgh|ijkl|mnop|qrst|uvw||", 1, 0, 3);
	term_resize(t, 20, 4);
	expect(t, "abcdefghijklmnopqrst|uvw|||", 13, 0, 0);
	term_resize(t, 6, 4);
	expect(t, "abcdef|ghijkl|mnopqr|stuvw|||", 1, 0, 2);
	assert_int_equal(grid_cell(t->g, t->cx, t->cy)->ch, 'n');
	term_free(t);
}

static void test_cursor_pending_wrap(void **state)
{
	struct term *t = term_new(10, 4, 1);

	term_write(t, "abcdefghijklmno");
	expect(t, "abcdefghij|klmno|||", 5, 1, 0);
	/* tmux puts the cursor at x == width: a pending wrap. */
	term_resize(t, 5, 4);
	expect(t, "abcde|fghij|klmno|||", 5, 1, 1);
	assert_int_equal(t->pending, 1);
	term_resize(t, 15, 4);
	expect(t, "abcdefghijklmno||||", 15, 0, 0);
	term_resize(t, 10, 4);
	expect(t, "abcdefghij|klmno||||", 5, 0, 1);
	assert_int_equal(t->pending, 0);
	/* The next character goes where tmux puts it. */
	term_write(t, "Z");
	expect(t, "abcdefghij|klmnoZ||||", 6, 0, 1);
	term_free(t);
}

static void test_alternate_screen(void **state)
{
	struct term *t = term_new(10, 5, 0);

	term_write(t, "l1\nl2abcdefghijk\nl4\nl5");
	term_goto(t, 2, 1);
	term_resize(t, 10, 3);
	expect(t, "l1|l2abcdefgh|ijk|", 2, 1, 0);
	term_resize(t, 5, 3);
	expect(t, "l1|l2abc|ijk|", 2, 1, 0);
	term_resize(t, 8, 6);
	expect(t, "l1|l2abc|ijk||||", 2, 1, 0);
	term_free(t);

	/* With the cursor at the bottom, the top rows go. */
	t = term_new(10, 5, 0);
	term_write(t, "l1\nl2\nl3\nl4\nl5");
	term_goto(t, 1, 4);
	term_resize(t, 8, 2);
	expect(t, "l4|l5|", 1, 1, 0);
	term_free(t);
}

static void test_styles_survive(void **state)
{
	struct term *t = term_new(8, 3, 1);
	struct clusters *c = t->c;

	t->pen.fg = colour_rgb(1, 2, 3);
	t->pen.attr = ATTR_UNDERLINE(UL_CURLY);
	t->pen.link = 9;
	term_write(t, "abcdefghij");
	t->pen = (struct pen){ 0 };
	/* A cluster on the screen (e + combining acute). */
	struct cell *cl = grid_cell(t->g, 3, 1);
	cl->ch = clusters_add(c, "e\xcc\x81", 3);
	cl->attr = CELL_CLUSTER;
	term_goto(t, 0, 2);
	term_resize(t, 3, 3);
	expect(t, "abc|def|ghi|j e\xcc\x81||", 0, 2, 2);
	term_resize(t, 8, 3);
	expect(t, "abcdefgh|ij e\xcc\x81||", 0, 2, 0);
	const struct cell *j = grid_cell(t->g, 1, 1);
	assert_int_equal(j->ch, 'j');
	assert_int_equal(j->fg, colour_rgb(1, 2, 3));
	assert_int_equal(j->attr, ATTR_UNDERLINE(UL_CURLY));
	assert_int_equal(j->link, 9);
	assert_int_equal(grid_cell(t->g, 2, 1)->fg, COLOUR_DEFAULT);
	assert_true(grid_cell(t->g, 3, 1)->attr & CELL_CLUSTER);
	assert_int_equal(t->g->row[0].flags, ROW_WRAPPED);
	assert_int_equal(t->g->row[1].flags, 0);
	term_free(t);
}

static void test_spaces_at_wrap_kept(void **state)
{
	struct term *t = term_new(10, 3, 1);

	/* Blanks at the end of a wrapped row are text, in history too. */
	term_write(t, "aaaa      bbbb\n\n\n");
	expect(t, "aaaa|bbbb||||", 0, 2, 2);
	term_resize(t, 7, 3);
	expect(t, "aaaa|   bbbb||||", 0, 2, 2);
	term_resize(t, 14, 3);
	expect(t, "aaaa      bbbb||||", 0, 2, 1);
	term_free(t);
}

/* A deterministic generator: tests never depend on chance. */
static uint32_t rng_state = 777;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static void test_round_trip_many_lines(void **state)
{
	struct term *t = term_new(80, 24, 1);

	history_set_limit(t->h, 100000);
	/* Lines of 0-200 characters, some wide, some coloured. */
	for (unsigned i = 0; i < 20000; i++) {
		unsigned n = rnd(200);

		t->pen.fg = rnd(4) == 0 ? colour_palette(rnd(256)) : COLOUR_DEFAULT;
		for (unsigned k = 0; k < n; k++)
			term_char(t, rnd(10) == 0 ? 0x4e00 + rnd(100) : 'a' + rnd(26));
		term_write(t, "\n");
	}
	char *before = capture(t);
	unsigned hist = history_size(t->h), cx = t->cx, cy = t->cy;

	term_resize(t, 33, 24);
	assert_true(history_size(t->h) > hist);
	term_resize(t, 80, 24);
	char *after = capture(t);
	assert_string_equal(after, before);
	assert_int_equal(history_size(t->h), hist);
	assert_int_equal(t->cx, cx);
	assert_int_equal(t->cy, cy);
	free(before);
	free(after);
	term_free(t);
}

/* Not from tmux, which lets the history pass its limit for a while after
 * a reflow: rmux keeps the limit at once, dropping the oldest rows. */
static void test_history_limit_respected(void **state)
{
	struct term *t = term_new(10, 3, 1);

	history_set_limit(t->h, 5);
	for (unsigned i = 0; i < 8; i++)
		term_write(t, "0123456789abcde\n");
	assert_int_equal(history_size(t->h), 5);
	term_resize(t, 5, 3);
	assert_int_equal(history_size(t->h), 5);
	assert_int_equal(history_limit(t->h), 5);
	/* The newest rows are the ones kept. */
	expect(t, "abcde|01234|56789|abcde|01234|56789|abcde||", 0, 2, 5);
	term_free(t);
}

/* Every head is followed by its tail and every tail follows a head, on
 * the screen and in every history line. */
static void check_pairs(struct term *t)
{
	unsigned cols = t->g->cols, hs = t->h ? history_size(t->h) : 0;
	struct cell *line = calloc(cols, sizeof *line);

	assert_non_null(line);
	for (unsigned i = 0; i < hs + t->g->rows; i++) {
		const struct cell *row = line;

		if (i < hs)
			assert_true(history_get(t->h, i, line, cols, NULL, t->c) >= 0);
		else
			row = t->g->row[i - hs].cells;
		for (unsigned x = 0; x < cols; x++) {
			if (row[x].attr & CELL_WIDE)
				assert_true(x + 1 < cols && (row[x + 1].attr & CELL_WIDE_TAIL));
			if (row[x].attr & CELL_WIDE_TAIL)
				assert_true(x > 0 && (row[x - 1].attr & CELL_WIDE));
		}
	}
	free(line);
}

static void test_alternate_cuts_wide(void **state)
{
	/* No history: the grid is cut, and 字 loses its tail at the edge. */
	struct term *t = term_new(20, 6, 0);

	t->pen.bg = colour_palette(4);
	term_write(t, "\xe6\xbc\xa2\xe5\xad\x97z");
	term_resize(t, 3, 1);
	check_pairs(t);
	expect(t, "\xe6\xbc\xa2|", 2, 0, 0);
	/* What is left of it is a blank in its colours. */
	assert_int_equal(grid_cell(t->g, 2, 0)->ch, ' ');
	assert_int_equal(grid_cell(t->g, 2, 0)->bg, colour_palette(4));
	term_resize(t, 20, 6);
	check_pairs(t);
	expect(t, "\xe6\xbc\xa2||||||", 2, 0, 0);
	term_free(t);

	/* The same with history: 字 moves to the next row instead. */
	t = term_new(20, 6, 1);
	term_write(t, "\xe6\xbc\xa2\xe5\xad\x97z");
	term_resize(t, 3, 1);
	check_pairs(t);
	expect(t, "\xe6\xbc\xa2|\xe5\xad\x97z|", 3, 0, 1);
	term_free(t);
}

static void test_wide_one_column(void **state)
{
	/* A wide character cannot fit in one column: it becomes a blank, as
	 * one printed on a 1-column screen is dropped. */
	struct term *t = term_new(10, 4, 1);

	term_write(t, "a\xe6\xbc\xa2" "b\n\xe5\xad\x97");
	expect(t, "a\xe6\xbc\xa2" "b|\xe5\xad\x97|||", 2, 1, 0);
	term_resize(t, 1, 4);
	check_pairs(t);
	expect(t, "a||b||||", 1, 1, 2);
	assert_int_equal(t->pending, 1);
	term_resize(t, 10, 4);
	check_pairs(t);
	expect(t, "a b||||", 1, 1, 0);
	term_free(t);
}

static void test_wide_tail_survives_round_trip(void **state)
{
	/* Down to one column and back: nothing left a head without its tail
	 * (a head cut alone used to meet a stranger as its tail). */
	struct term *t = term_new(20, 6, 1);

	term_write(t, "xx\xe6\xbc\xa2\xe5\xad\x97yy\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97"
		      "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\n\xe5\xad\x97");
	check_pairs(t);
	term_resize(t, 1, 1);
	check_pairs(t);
	term_resize(t, 20, 6);
	check_pairs(t);
	for (unsigned y = 0; y < 6; y++)
		for (unsigned x = 0; x < 20; x++)
			assert_false(grid_cell(t->g, x, y)->attr & (CELL_WIDE | CELL_WIDE_TAIL));
	/* Odd widths on the way split pairs at the edge without losing one. */
	term_write(t, "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2");
	for (unsigned w = 2; w < 12; w++) {
		term_resize(t, w, 3);
		check_pairs(t);
	}
	term_resize(t, 20, 6);
	check_pairs(t);
	term_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrink_grow_width),
		cmocka_unit_test(test_shrink_drops_rows_below_cursor),
		cmocka_unit_test(test_grow_pulls_history),
		cmocka_unit_test(test_wide_characters),
		cmocka_unit_test(test_cursor_inside_line),
		cmocka_unit_test(test_cursor_pending_wrap),
		cmocka_unit_test(test_alternate_screen),
		cmocka_unit_test(test_styles_survive),
		cmocka_unit_test(test_spaces_at_wrap_kept),
		cmocka_unit_test(test_round_trip_many_lines),
		cmocka_unit_test(test_history_limit_respected),
		cmocka_unit_test(test_alternate_cuts_wide),
		cmocka_unit_test(test_wide_one_column),
		cmocka_unit_test(test_wide_tail_survives_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
