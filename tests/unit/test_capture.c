/* test_capture.c — capture_screen() on small screens built cell by cell.
 * Each expected string is what tmux 3.3a's capture-pane printed for the
 * same screen written as bytes (the input is given beside each test). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term/capture.h"
#include "term/cell.h"
#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/utf8.h"

/* The look the next characters take. */
struct style {
	uint32_t fg, bg;
	uint16_t attr;
};

static const struct style plain = { COLOUR_DEFAULT, COLOUR_DEFAULT, 0 };

static void blank_row(struct cell *row, unsigned cols)
{
	for (unsigned x = 0; x < cols; x++) {
		struct cell c = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };
		row[x] = c;
	}
}

/* Write UTF-8 TEXT into ROW from column X as the emulator would: wide
 * characters take two cells, combining marks join the cell before. */
static unsigned put(struct clusters *cl, struct cell *row, unsigned cols, unsigned x,
		    const char *text, const struct style *st)
{
	const uint8_t *p = (const uint8_t *)text;
	size_t left = strlen(text);
	unsigned prev = UINT32_MAX;

	while (left > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, left, &cp);
		int w = utf8_width(cp);

		p += n;
		left -= n;
		if (w == 0) {
			char buf[CLUSTER_MAX_BYTES + 4];
			size_t len;

			assert_true(prev != UINT32_MAX);
			len = cell_utf8(&row[prev], cl, buf);
			len += utf8_encode(cp, buf + len);
			row[prev].ch = clusters_add(cl, buf, len);
			assert_true(row[prev].ch != UINT32_MAX);
			row[prev].attr |= CELL_CLUSTER;
			continue;
		}
		assert_true(x + (unsigned)w <= cols);
		struct cell c = { cp, st->fg, st->bg, st->attr, 0 };
		if (w == 2) {
			c.attr |= CELL_WIDE;
			row[x] = c;
			c.ch = 0;
			c.attr = (uint16_t)(st->attr | CELL_WIDE_TAIL);
			row[x + 1] = c;
		} else
			row[x] = c;
		prev = x;
		x += (unsigned)w;
	}
	return x;
}

static unsigned put_row(struct screen *s, unsigned y, unsigned x, const char *text,
			const struct style *st)
{
	return put(s->clusters, s->grid->row[y].cells, s->cols, x, text, st);
}

/* Push a history line holding TEXT. */
static void push(struct screen *s, const char *text, uint32_t flags)
{
	struct cell *row = calloc(s->cols, sizeof *row);

	assert_non_null(row);
	blank_row(row, s->cols);
	put(s->clusters, row, s->cols, 0, text, &plain);
	history_push(s->history, row, s->cols, flags, s->clusters);
	free(row);
}

static void check(const struct screen *s, long start, long end, unsigned flags,
		  const char *want)
{
	size_t len = 12345;
	char *got = capture_screen(s, start, end, flags, &len);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
}

#define ALL CAPTURE_FROM_START, CAPTURE_TO_END

/* 10x8, tmux input:
 * x\e[41m   \e[m\r\na    b\r\nabcdefghi漢z\r\nabcdefghi j\r\n
 * é字\e[1;31mR\r\n\e[4mU */
static struct screen *mixed_screen(void)
{
	struct screen *s = screen_create(10, 8, 100);
	struct style red_bg = { COLOUR_DEFAULT, colour_palette(1), 0 };
	struct style bold_red = { colour_palette(1), COLOUR_DEFAULT, ATTR_BOLD };
	struct style bold_red_ul = { colour_palette(1), COLOUR_DEFAULT,
				     ATTR_BOLD | ATTR_UNDERLINE(UL_SINGLE) };

	assert_non_null(s);
	put_row(s, 0, 0, "x", &plain);
	put_row(s, 0, 1, "   ", &red_bg);
	put_row(s, 1, 0, "a", &plain);
	put_row(s, 1, 5, "b", &plain);
	put_row(s, 2, 0, "abcdefghi", &plain);
	s->grid->row[2].flags |= ROW_WRAPPED;
	put_row(s, 3, 0, "漢z", &plain);
	put_row(s, 4, 0, "abcdefghi ", &plain);
	s->grid->row[4].flags |= ROW_WRAPPED;
	put_row(s, 5, 0, "j", &plain);
	put_row(s, 6, put_row(s, 6, 0, "e\xcc\x81字", &plain), "R", &bold_red);
	put_row(s, 7, 0, "U", &bold_red_ul);
	return s;
}

static void test_plain(void **state)
{
	struct screen *s = mixed_screen();

	(void)state;
	check(s, ALL, 0, "x\na    b\nabcdefghi\n漢z\nabcdefghi\nj\ne\xcc\x81字R\nU\n");
	screen_free(s);
}

static void test_trailing(void **state)
{
	struct screen *s = mixed_screen();

	(void)state;
	check(s, ALL, CAPTURE_TRAILING,
	      "x   \na    b\nabcdefghi\n漢z\nabcdefghi \nj\ne\xcc\x81字R\nU\n");
	screen_free(s);
}

static void test_join(void **state)
{
	struct screen *s = mixed_screen();

	(void)state;
	check(s, ALL, CAPTURE_JOIN, "x   \na    b\nabcdefghi漢z\nabcdefghi j\ne\xcc\x81字R\nU\n");
	screen_free(s);
}

/* tmux 3.3a: `capture-pane -p -J -S 2 -E 2` on a wrapped row still ends the
 * line: the range's last row always gets its newline. */
static void test_join_last_row_wrapped(void **state)
{
	struct screen *s = mixed_screen();

	(void)state;
	check(s, 2, 2, CAPTURE_JOIN, "abcdefghi\n");
	check(s, 2, 3, CAPTURE_JOIN, "abcdefghi漢z\n");
	screen_free(s);
}

static void test_escapes_trim(void **state)
{
	struct screen *s = mixed_screen();

	(void)state;
	check(s, ALL, CAPTURE_ESCAPES,
	      "x\033[41m\n\033[49ma    b\nabcdefghi\n漢z\nabcdefghi\nj\n"
	      "e\xcc\x81字\033[1m\033[31mR\n\033[4mU\n");
	check(s, ALL, CAPTURE_ESCAPES | CAPTURE_TRAILING,
	      "x\033[41m   \n\033[49ma    b\nabcdefghi\n漢z\nabcdefghi \nj\n"
	      "e\xcc\x81字\033[1m\033[31mR\n\033[4mU\n");
	screen_free(s);
}

/* 20x3, tmux input: \e[53mo\e[4:2md\e[4:3mc\e[0;1;2;3;5;7;8;9mA\e[mB
 * \e[21mU\e[m\e[91;102mC\e[38;5;100;48;5;200mD\e[38;2;1;2;3;48;2;255;0;10mE
 * \e[31;41mF\e[39mG\e[49mH\r\n\e[4:4mx\e[4:5my\e[24mz */
static void test_escapes_sgr(void **state)
{
	struct screen *s = screen_create(20, 3, 0);
	const struct style st[] = {
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_OVERLINE },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_OVERLINE | ATTR_UNDERLINE(UL_DOUBLE) },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_OVERLINE | ATTR_UNDERLINE(UL_CURLY) },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT,
		  ATTR_BOLD | ATTR_DIM | ATTR_ITALIC | ATTR_BLINK | ATTR_REVERSE | ATTR_HIDDEN |
			  ATTR_STRIKE },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, 0 },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_UNDERLINE(UL_DOUBLE) },
		{ colour_palette(9), colour_palette(10), 0 },
		{ colour_palette(100), colour_palette(200), 0 },
		{ colour_rgb(1, 2, 3), colour_rgb(255, 0, 10), 0 },
		{ colour_palette(1), colour_palette(1), 0 },
		{ COLOUR_DEFAULT, colour_palette(1), 0 },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, 0 },
	};
	const struct style st2[] = {
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_UNDERLINE(UL_DOTTED) },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_UNDERLINE(UL_DASHED) },
		{ COLOUR_DEFAULT, COLOUR_DEFAULT, 0 },
	};
	const char *text = "odcABUCDEFGH", *text2 = "xyz";
	char ch[2] = { 0, 0 };

	(void)state;
	assert_non_null(s);
	for (unsigned i = 0; i < strlen(text); i++) {
		ch[0] = text[i];
		put_row(s, 0, i, ch, &st[i]);
	}
	for (unsigned i = 0; i < strlen(text2); i++) {
		ch[0] = text2[i];
		put_row(s, 1, i, ch, &st2[i]);
	}
	check(s, ALL, CAPTURE_ESCAPES,
	      "\033[5:3mo\033[4:2md\033[0;4:3;5:3m\033[39m\033[49mc"
	      "\033[0;1;2;3;5;7;8;9m\033[39m\033[49mA\033[0m\033[39m\033[49mB\033[4:2mU"
	      "\033[0m\033[91m\033[102mC\033[38;5;100m\033[48;5;200mD"
	      "\033[38;2;1;2;3m\033[48;2;255;0;10mE\033[31m\033[41mF\033[39mG\033[49mH\n"
	      "\033[4:4mx\033[0;4:5m\033[39m\033[49my\033[0m\033[39m\033[49mz\n\n");
	/* Without -e the same screen is only its text. */
	check(s, ALL, 0, "odcABUCDEFGH\nxyz\n\n");
	screen_free(s);
}

/* 10x3 after h1\r\n ... h5\r\nr1\r\nr2\r\nr3: five lines of history. */
static void test_ranges(void **state)
{
	struct screen *s = screen_create(10, 3, 100);
	static const struct {
		long start, end;
		const char *want;
	} cases[] = {
		{ CAPTURE_FROM_START, CAPTURE_TO_END, "h1\nh2\nh3\nh4\nh5\nr1\nr2\nr3\n" },
		{ -2, CAPTURE_TO_END, "h4\nh5\nr1\nr2\nr3\n" },
		{ -100, CAPTURE_TO_END, "h1\nh2\nh3\nh4\nh5\nr1\nr2\nr3\n" },
		{ 0, -1, "h5\nr1\n" },
		{ 1, 1, "r2\n" },
		{ 100, CAPTURE_TO_END, "r3\n" },
		{ 40000, CAPTURE_TO_END, "r1\nr2\nr3\n" },
		{ 0, -3, "h3\nh4\nh5\nr1\n" },
		{ -5, -5, "h1\n" },
		{ -6, -6, "h1\n" },
		{ 0, 40000, "r1\nr2\nr3\n" },
		{ -2, -100, "h1\nh2\nh3\nh4\n" },
		{ 0, 2, "r1\nr2\nr3\n" },
	};

	(void)state;
	assert_non_null(s);
	push(s, "h1", 0);
	push(s, "h2", 0);
	push(s, "h3", 0);
	push(s, "h4", 0);
	push(s, "h5", 0);
	put_row(s, 0, 0, "r1", &plain);
	put_row(s, 1, 0, "r2", &plain);
	put_row(s, 2, 0, "r3", &plain);
	assert_int_equal(history_size(s->history), 5);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(s, cases[i].start, cases[i].end, 0, cases[i].want);
	screen_free(s);
}

/* 10x2: a line wrapped from the history onto the screen.
 * abcdefghijklm\r\nq, abcdefghi jk\r\nq, abcdefghi漢z\r\nq */
static void test_join_history(void **state)
{
	static const struct {
		const char *first, *second, *plain, *joined, *visible;
	} cases[] = {
		{ "abcdefghij", "klm", "abcdefghij\nklm\nq\n", "abcdefghijklm\nq\n", "klm\nq\n" },
		{ "abcdefghi ", "jk", "abcdefghi\njk\nq\n", "abcdefghi jk\nq\n", "jk\nq\n" },
		{ "abcdefghi", "漢z", "abcdefghi\n漢z\nq\n", "abcdefghi漢z\nq\n", "漢z\nq\n" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct screen *s = screen_create(10, 2, 100);

		assert_non_null(s);
		push(s, cases[i].first, ROW_WRAPPED);
		put_row(s, 0, 0, cases[i].second, &plain);
		put_row(s, 1, 0, "q", &plain);
		check(s, ALL, 0, cases[i].plain);
		check(s, ALL, CAPTURE_JOIN, cases[i].joined);
		/* The default range is the visible screen only. */
		check(s, 0, CAPTURE_TO_END, 0, cases[i].visible);
		screen_free(s);
	}
}

/* Combining text in the history survives the trip through its storage. */
static void test_history_combining(void **state)
{
	struct screen *s = screen_create(8, 1, 10);

	(void)state;
	assert_non_null(s);
	push(s, "a\xcc\x88\xcc\x81 x 字", 0);
	push(s, "n\xcc\x83", 0);
	put_row(s, 0, 0, "o\xcc\xa3\xcc\x82", &plain);
	check(s, ALL, 0, "a\xcc\x88\xcc\x81 x 字\nn\xcc\x83\no\xcc\xa3\xcc\x82\n");
	screen_free(s);
}

static void test_empty(void **state)
{
	struct screen *s = screen_create(5, 3, 10);
	size_t len = 99;
	char *got;

	(void)state;
	assert_non_null(s);
	check(s, ALL, 0, "\n\n\n");
	check(s, ALL, CAPTURE_ESCAPES | CAPTURE_JOIN, "\n\n\n");
	got = capture_screen(s, ALL, 0, NULL);
	assert_string_equal(got, "\n\n\n");
	free(got);
	got = capture_screen(s, 1, 1, 0, &len);
	assert_int_equal(len, 1);
	free(got);
	screen_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_last_row_wrapped),
		cmocka_unit_test(test_escapes_trim),
		cmocka_unit_test(test_escapes_sgr),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_join_history),
		cmocka_unit_test(test_history_combining),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
