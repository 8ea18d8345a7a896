/* test_tty.c — terminfo capabilities of real entries, parameter expansion,
 * raw mode on a pseudo-terminal with an exact restore, and the enter and
 * leave sequences checked through rmux's emulator. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "client/tty.h"
#include "term/vt.h"

static struct tty_caps *caps_for(const char *term, const char *colorterm)
{
	char err[256];
	struct tty_caps *caps = tty_caps_create(term, colorterm, err, sizeof err);
	if (caps == NULL)
		fail_msg("no caps for %s: %s", term, err);
	return caps;
}

static void test_caps(void **state)
{
	(void)state;
	struct tty_caps *x = caps_for("xterm-256color", NULL);
	assert_int_equal(x->colours, 256);
	assert_false(x->truecolour);
	assert_true(x->bce);
	assert_true(x->xenl);
	assert_true(x->sync);
	assert_true(x->title);
	assert_string_equal(x->tsl, "\033]2;");
	assert_string_equal(x->sync_begin, "\033[?2026h");
	assert_string_equal(x->smcup, "\033[?1049h\033[22;0;0t");
	assert_non_null(x->ss);
	assert_true(x->attrs & ATTR_ITALIC);
	assert_true(x->attrs & ATTR_STRIKE);
	assert_string_equal(tty_key(x, "kcuu1"), "\033OA");
	assert_string_equal(tty_key(x, "kf5"), "\033[15~");
	assert_string_equal(tty_key(x, "kRIT5"), "\033[1;5C");
	assert_null(tty_key(x, "nonsense"));
	tty_caps_free(x);

	x = caps_for("xterm-256color", "truecolor");
	assert_true(x->truecolour);
	tty_caps_free(x);
	x = caps_for("xterm-256color", "24bit");
	assert_true(x->truecolour);
	tty_caps_free(x);
	x = caps_for("xterm-direct", NULL);
	assert_true(x->truecolour);
	tty_caps_free(x);

	struct tty_caps *t = caps_for("tmux-256color", NULL);
	assert_false(t->bce);
	assert_true(t->ul_styles);
	assert_string_equal(t->tsl, "\033]0;");
	assert_string_equal(t->fsl, "\007");
	assert_string_equal(t->paste_on, "\033[?2004h");
	tty_caps_free(t);

	/* vt100: no colours, padding removed, no synchronized output. */
	struct tty_caps *v = caps_for("vt100", NULL);
	assert_int_equal(v->colours, 0);
	assert_false(v->sync);
	assert_false(v->title);
	assert_string_equal(v->cup, "\033[%i%p1%d;%p2%dH");
	assert_string_equal(v->el, "\033[K");
	assert_null(v->ech);
	assert_false(v->attrs & ATTR_ITALIC);
	assert_true(v->attrs & ATTR_BOLD);
	tty_caps_free(v);

	struct tty_caps *l = caps_for("linux", NULL);
	assert_int_equal(l->colours, 8);
	assert_true(l->bce);
	assert_false(l->sync);
	tty_caps_free(l);

	char err[128] = "";
	assert_null(tty_caps_create("no-such-terminal-here", NULL, err, sizeof err));
	assert_non_null(strstr(err, "no-such-terminal-here"));
}

static void test_params(void **state)
{
	(void)state;
	struct tty_caps *x = caps_for("xterm-256color", NULL);
	struct buf b;
	buf_init(&b);
	assert_int_equal(tty_put2(&b, x->cup, 4, 9), 7);
	assert_memory_equal(b.data, "\033[5;10H", 7);
	buf_reset(&b);
	tty_put2(&b, x->csr, 0, 23);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "\033[1;24r", 7);
	buf_reset(&b);
	assert_int_equal(tty_put(&b, NULL), 0);
	assert_int_equal(tty_put1(&b, x->ss, 5), 5);
	assert_memory_equal(b.data, "\033[5 q", 5);
	buf_free(&b);
	tty_caps_free(x);
}

static void test_raw_mode(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);

	/* Odd settings the restore must bring back exactly. */
	struct termios before, now;
	assert_int_equal(tcgetattr(slave, &before), 0);
	before.c_cc[VERASE] = 0x08;
	before.c_lflag |= ECHOCTL;
	before.c_oflag |= ONLCR;
	assert_int_equal(tcsetattr(slave, TCSANOW, &before), 0);
	assert_int_equal(tcgetattr(slave, &before), 0);

	struct tty_mode m;
	assert_int_equal(tty_raw_enter(&m, slave), 0);
	assert_int_equal(tcgetattr(slave, &now), 0);
	assert_false(now.c_lflag & (ICANON | ECHO | ISIG));
	assert_false(now.c_oflag & OPOST);
	assert_false(now.c_iflag & (ICRNL | IXON));
	assert_int_equal(now.c_cc[VMIN], 1);

	/* Raw: a byte typed arrives alone, no line discipline. */
	assert_int_equal(write(master, "\003", 1), 1);
	char c = 0;
	assert_int_equal(read(slave, &c, 1), 1);
	assert_int_equal(c, 3);

	assert_int_equal(tty_raw_leave(&m), 0);
	assert_int_equal(tcgetattr(slave, &now), 0);
	assert_int_equal(now.c_iflag, before.c_iflag);
	assert_int_equal(now.c_oflag, before.c_oflag);
	assert_int_equal(now.c_cflag, before.c_cflag);
	assert_int_equal(now.c_lflag, before.c_lflag);
	assert_memory_equal(now.c_cc, before.c_cc, sizeof now.c_cc);
	/* Leaving twice is harmless. */
	assert_int_equal(tty_raw_leave(&m), 0);

	unsigned cols, rows;
	struct winsize ws = { .ws_row = 33, .ws_col = 101 };
	assert_int_equal(ioctl(slave, TIOCSWINSZ, &ws), 0);
	assert_int_equal(tty_get_size(slave, &cols, &rows), 0);
	assert_int_equal(cols, 101);
	assert_int_equal(rows, 33);
	assert_true(tty_raw_enter(&m, -1) < 0);
	close(slave);
	close(master);
}

/* Enter and leave through the emulator: every mode comes back. */
static void test_enter_leave(void **state)
{
	(void)state;
	const char *terms[] = { "xterm-256color", "tmux-256color", "screen-256color" };
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
		struct tty_caps *caps = caps_for(terms[i], NULL);
		struct vt *vt = vt_create(40, 10, 100);
		struct screen *s = vt_screen(vt);
		struct buf b;
		buf_init(&b);
		vt_input(vt, "shell prompt$ ", 14);
		unsigned cx = s->cx, cy = s->cy;

		tty_enter(caps, &b,
			  TTY_ENTER_ALTSCREEN | TTY_ENTER_KEYPAD | TTY_ENTER_PASTE |
				  TTY_ENTER_FOCUS);
		tty_mouse(caps, &b, TTY_MOUSE_DRAG);
		tty_put(&b, caps->civis);
		tty_put1(&b, caps->ss, 4);
		tty_put2(&b, caps->csr, 2, 5);
		tty_put(&b, caps->sync_begin);
		buf_add(&b, "\033[1;31;44mdrawn", 15);
		tty_set_title(caps, &b, "rmux \033 title\x07");
		vt_input(vt, b.data, b.len);
		assert_true(screen_alternate_on(s));
		assert_true(s->modes & MODE_BRACKETED_PASTE);
		assert_true(s->modes & MODE_MOUSE_BUTTON);
		assert_true(s->modes & MODE_MOUSE_SGR);
		assert_true(s->modes & MODE_FOCUS);
		assert_true(s->modes & MODE_APP_CURSOR);
		assert_false(screen_cursor_visible(s));
		if (caps->ss != NULL)
			assert_int_equal(s->cursor_style, 4);
		if (caps->title)
			assert_string_equal(s->title, "rmux  title");

		buf_reset(&b);
		tty_leave(caps, &b, 10);
		vt_input(vt, b.data, b.len);
		assert_false(screen_alternate_on(s));
		assert_false(s->modes &
			     (MODE_BRACKETED_PASTE | MODE_MOUSE_ANY_MASK | MODE_MOUSE_SGR |
			      MODE_FOCUS | MODE_APP_CURSOR | MODE_APP_KEYPAD | MODE_SYNC));
		assert_true(screen_cursor_visible(s));
		assert_int_equal(s->cursor_style, 0);
		assert_int_equal(s->pen.fg, COLOUR_DEFAULT);
		assert_int_equal(s->pen.attr, 0);
		assert_int_equal(s->scroll_top, 0);
		assert_int_equal(s->scroll_bottom, 9);
		/* The shell's screen and cursor are as they were. */
		assert_int_equal(s->cx, cx);
		assert_int_equal(s->cy, cy);
		assert_int_equal(grid_cell(s->grid, 0, 0)->ch, 's');
		buf_free(&b);
		vt_free(vt);
		tty_caps_free(caps);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_raw_mode),
		cmocka_unit_test(test_enter_leave),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
