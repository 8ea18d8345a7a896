/* Unit tests of native_history.c: lines written into the terminal's own
 * scrollback keep their colours and renditions, mapped to what the
 * terminal can show. (Order, gaps and the alternate screen are covered in
 * test_copy_predict.c with a real screen.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/mirror.h"
#include "client/native_history.h"
#include "client/tty.h"
#include "net/view.h"

#define COLS 20
#define ROWS 5

/* A single-pane view whose screen starts at line BASE. */
static struct view *one_pane(uint64_t base)
{
	struct view *v = view_create();
	struct view_layout_pane lp = { 1, 0, 0, COLS, ROWS };
	struct view_pane *p;

	view_set_layout(v, COLS, ROWS, 0, 1, &lp, 1, 0);
	p = view_find_pane(v, 1);
	view_set_pane_history(v, p, 1, base, (uint32_t)base, base);
	return v;
}

/* "red" in red, " bold" bold, "  " default, then a blue-background blank. */
static struct view_row *coloured_row(void)
{
	struct view_row *r = view_row_create(COLS);
	struct cell c = cell_blank(NULL);
	const char *text = "red bold";

	for (unsigned x = 0; text[x] != '\0'; x++) {
		c = cell_blank(NULL);
		c.ch = (unsigned char)text[x];
		if (x < 3)
			c.fg = colour_palette(1);
		else
			c.attr = ATTR_BOLD;
		view_row_set(r, x, &c, NULL, 0);
	}
	c = cell_blank(NULL);
	c.bg = colour_rgb(0, 0, 0xff);
	view_row_set(r, 10, &c, NULL, 0);
	return r;
}

static void write_one(struct tty_caps *caps, struct buf *out)
{
	struct mirror *m = mirror_create(100);
	struct native_history *nh = native_history_create(1);
	struct view *v = one_pane(10);

	assert_int_equal(native_history_write(nh, v, m, ROWS, 0, caps, out), 0);
	view_free(v);
	mirror_add(m, 1, 1, 10, coloured_row(), 0);
	v = one_pane(11);
	assert_int_equal(native_history_write(nh, v, m, ROWS, 0, caps, out), 1);
	buf_add(out, "", 1);
	view_free(v);
	native_history_free(nh);
	mirror_free(m);
}

static void test_colours_kept(void **state)
{
	char err[256];
	struct tty_caps *caps = tty_caps_create("xterm-256color", "truecolor", err, sizeof err);
	struct buf out;
	const char *s;

	(void)state;
	assert_non_null(caps);
	buf_init(&out);
	write_one(caps, &out);
	s = (const char *)out.data;
	/* Red text, then bold (the colour reset), the blanks up to the
	 * coloured one kept, the pen back to default at the end. */
	assert_non_null(strstr(s, "\033[0;31mred"));
	assert_non_null(strstr(s, "bold"));
	assert_non_null(strstr(s, "1m"));
	assert_non_null(strstr(s, "48;2;0;0;255m "));
	assert_non_null(strstr(s, " \033[m"));
	assert_true(strstr(s, "\033[0;31mred") < strstr(s, "bold"));
	buf_free(&out);
	tty_caps_free(caps);
}

static void test_colours_mapped(void **state)
{
	char err[256];
	struct tty_caps *caps = tty_caps_create("xterm-256color", NULL, err, sizeof err);
	struct buf out;

	(void)state;
	assert_non_null(caps);
	buf_init(&out);
	write_one(caps, &out);
	/* No true colour: the nearest of the 256 (pure blue is 21). */
	assert_non_null(strstr((const char *)out.data, "48;5;21m "));
	assert_null(strstr((const char *)out.data, "48;2;"));
	buf_free(&out);
	tty_caps_free(caps);
}

static void test_text_only(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out);
	write_one(NULL, &out);
	assert_non_null(strstr((const char *)out.data, "\033[2Kred bold   \033["));
	assert_null(strstr((const char *)out.data, "31m"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colours_kept),
		cmocka_unit_test(test_colours_mapped),
		cmocka_unit_test(test_text_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
