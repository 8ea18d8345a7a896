/* test_style.c — style strings and #[...] markers. The meaning of each
 * word (fg=default is the base colour, "default" resets attributes too,
 * a bad word is "invalid style" and changes nothing) is tmux 3.3a's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server/style.h"

static void test_apply(void **state)
{
	struct pen base = { colour_palette(0), colour_palette(2), 0, 0 };
	struct style sy;
	char *cause = NULL;

	(void)state;
	style_init(&sy, &base);
	assert_int_equal(style_apply(&sy, &base, "fg=red,bg=colour236,bold,noitalics", &cause), 0);
	assert_int_equal(sy.pen.fg, colour_palette(1));
	assert_int_equal(sy.pen.bg, colour_palette(236));
	assert_int_equal(sy.pen.attr, ATTR_BOLD);
	assert_int_equal(style_apply(&sy, &base, "fg=#ff0000 italics nobold", &cause), 0);
	assert_int_equal(sy.pen.fg, colour_rgb(0xff, 0, 0));
	assert_int_equal(sy.pen.attr, ATTR_ITALIC);
	assert_int_equal(style_apply(&sy, &base, "curly-underscore,double-underscore", &cause), 0);
	assert_int_equal(ATTR_UL_STYLE(sy.pen.attr), UL_DOUBLE);
	assert_int_equal(style_apply(&sy, &base, "fg=default,bg=brightred", &cause), 0);
	assert_int_equal(sy.pen.fg, base.fg);
	assert_int_equal(sy.pen.bg, colour_palette(9));
	assert_int_equal(style_apply(&sy, &base, "default", &cause), 0);
	assert_memory_equal(&sy.pen, &base, sizeof base);
	assert_int_equal(style_apply(&sy, &base, "align=right,list=focus,push-default", &cause), 0);
	assert_int_equal(sy.align, STYLE_ALIGN_RIGHT);
	assert_int_equal(sy.list, STYLE_LIST_FOCUS);
	assert_int_equal(sy.default_type, STYLE_DEFAULT_PUSH);
	assert_int_equal(style_apply(&sy, &base, "reverse,none", &cause), 0);
	assert_int_equal(sy.pen.attr, 0);

	/* A bad word: tmux's message, and the style is left as it was. */
	struct style before = sy;
	assert_int_equal(style_apply(&sy, &base, "bold,fg=nocolour", &cause), -1);
	assert_string_equal(cause, "invalid style: bold,fg=nocolour");
	free(cause);
	assert_memory_equal(&sy, &before, sizeof sy);
	assert_int_equal(style_apply(&sy, &base, "align=middle", NULL), -1);
	assert_int_equal(style_apply(&sy, &base, "blinky", NULL), -1);
}

static void test_draw(void **state)
{
	struct pen base = { colour_palette(0), colour_palette(2), 0, 0 };
	struct style_cells sc;

	(void)state;
	style_draw(&sc, &base, "#[fg=red,bold]L#[default]e\xe4\xb8\xad##[x]#[list=focus]f#[nolist]g");
	/* L e 中(2 cells) # [ x ] f g */
	assert_int_equal(sc.n, 10);
	assert_int_equal(sc.cells[0].ch, 'L');
	assert_int_equal(sc.cells[0].fg, colour_palette(1));
	assert_int_equal(sc.cells[0].attr, ATTR_BOLD);
	assert_int_equal(sc.cells[1].fg, colour_palette(0));
	assert_int_equal(sc.cells[1].attr, 0);
	assert_int_equal(sc.cells[2].ch, 0x4e2d);
	assert_true(sc.cells[2].attr & CELL_WIDE);
	assert_true(sc.cells[3].attr & CELL_WIDE_TAIL);
	assert_int_equal(sc.cells[4].ch, '#');
	assert_int_equal(sc.cells[5].ch, '[');
	assert_int_equal(sc.focus_start, 8);
	assert_int_equal(sc.focus_end, 9);
	style_cells_free(&sc);

	/* push-default makes "default" mean the pushed style; pop-default ends it. */
	style_draw(&sc, &base, "#[bg=blue]#[push-default]a#[fg=red]b#[default]c#[pop-default]#[default]d");
	assert_int_equal(sc.n, 4);
	assert_int_equal(sc.cells[1].fg, colour_palette(1));
	assert_int_equal(sc.cells[2].bg, colour_palette(4));
	assert_int_equal(sc.cells[2].fg, colour_palette(0));
	assert_int_equal(sc.cells[3].bg, colour_palette(2));
	style_cells_free(&sc);

	/* Control characters vanish; an unterminated marker is text. */
	assert_int_equal(style_width("a\tb\x01#[fg=red"), 10);
	assert_int_equal(style_width("#[fg=red]abc#[default]"), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_draw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
