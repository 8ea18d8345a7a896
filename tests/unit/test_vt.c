/* test_vt.c — the emulator facade (vt.h) and the replies a program gets
 * back: DSR, CPR, DA1, DA2, DECRQM. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "term/vt.h"

#define IN(vt, lit) vt_input((vt), (lit), sizeof(lit) - 1)

/* The replies so far as a string; they are then taken, as the owner does. */
static const char *take_replies(struct screen *s)
{
	static char out[512];
	size_t n = s->replies.len < sizeof out - 1 ? s->replies.len : sizeof out - 1;
	memcpy(out, s->replies.data, n);
	out[n] = '\0';
	buf_reset(&s->replies);
	return out;
}

static void test_status_and_position(void **state)
{
	(void)state;
	struct vt *vt = vt_create(20, 10, 100);
	struct screen *s = vt_screen(vt);
	IN(vt, "\033[5n");
	assert_string_equal(take_replies(s), "\033[0n");
	IN(vt, "\033[4;7H\033[6n");
	assert_string_equal(take_replies(s), "\033[4;7R");
	/* Under DECOM the row counts from the region's top. */
	IN(vt, "\033[3;8r\033[?6h\033[2;3H\033[6n");
	assert_string_equal(take_replies(s), "\033[2;3R");
	IN(vt, "\033[?6l\033[r");
	/* A pending wrap reports the column past the edge, as tmux does. */
	IN(vt, "\033[1;15Habcdef\033[6n");
	assert_string_equal(take_replies(s), "\033[1;21R");
	vt_free(vt);
}

static void test_attributes(void **state)
{
	(void)state;
	struct vt *vt = vt_create(20, 10, 100);
	struct screen *s = vt_screen(vt);
	IN(vt, "\033[c");
	assert_string_equal(take_replies(s), "\033[?1;2c");
	IN(vt, "\033[0c");
	assert_string_equal(take_replies(s), "\033[?1;2c");
	IN(vt, "\033[>c");
	assert_string_equal(take_replies(s), "\033[>84;0;0c");
	IN(vt, "\033[1c"); /* not a request */
	assert_string_equal(take_replies(s), "");
	IN(vt, "\033[18t");
	assert_string_equal(take_replies(s), "\033[8;10;20t");
	vt_free(vt);
}

static void test_mode_reports(void **state)
{
	(void)state;
	struct vt *vt = vt_create(20, 10, 100);
	struct screen *s = vt_screen(vt);
	IN(vt, "\033[?2026$p");
	assert_string_equal(take_replies(s), "\033[?2026;2$y");
	IN(vt, "\033[?2026h\033[?2026$p");
	assert_string_equal(take_replies(s), "\033[?2026;1$y");
	assert_true(s->modes & MODE_SYNC);
	IN(vt, "\033[?25$p\033[?2004$p\033[?1049$p");
	assert_string_equal(take_replies(s), "\033[?25;1$y\033[?2004;2$y\033[?1049;2$y");
	IN(vt, "\033[?1049h\033[?1049$p\033[?1049l");
	assert_string_equal(take_replies(s), "\033[?1049;1$y");
	IN(vt, "\033[4h\033[4$p\033[?4242$p");
	assert_string_equal(take_replies(s), "\033[4;1$y\033[?4242;0$y");
	vt_free(vt);
}

static void test_modes_and_resize(void **state)
{
	(void)state;
	struct vt *vt = vt_create(20, 10, 100);
	struct screen *s = vt_screen(vt);
	IN(vt, "\033[?1h\033=\033[?1000h\033[?1006h\033[?1004h\033[?2004h\033[3 q\033[?25l");
	assert_int_equal(s->modes & (MODE_APP_CURSOR | MODE_APP_KEYPAD | MODE_MOUSE_STANDARD |
				     MODE_MOUSE_SGR | MODE_FOCUS | MODE_BRACKETED_PASTE),
			 MODE_APP_CURSOR | MODE_APP_KEYPAD | MODE_MOUSE_STANDARD | MODE_MOUSE_SGR |
				 MODE_FOCUS | MODE_BRACKETED_PASTE);
	assert_int_equal(s->cursor_style, 3);
	assert_false(screen_cursor_visible(s));
	IN(vt, "\033[?1l\033>\033[?1000l\033[!p");
	assert_false(s->modes & (MODE_APP_CURSOR | MODE_APP_KEYPAD | MODE_MOUSE_ANY_MASK));
	assert_true(screen_cursor_visible(s)); /* DECSTR shows the cursor */

	IN(vt, "\a\a");
	assert_int_equal(s->bells, 2);
	IN(vt, "\033]52;c;Zm9v\a");
	assert_int_equal(s->clipboard.len, strlen("c;Zm9v\n"));

	vt_resize(vt, 30, 4);
	assert_int_equal(s->cols, 30);
	assert_int_equal(s->rows, 4);
	assert_ptr_equal(vt_screen(vt), s);
	IN(vt, "\033[99;99H\033[6n");
	assert_string_equal(take_replies(s), "\033[4;30R");
	vt_free(vt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_and_position),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_mode_reports),
		cmocka_unit_test(test_modes_and_resize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
