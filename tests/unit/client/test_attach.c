/* test_attach.c — the client's main loop against a fake daemon: the
 * client runs in a child process on a pseudo-terminal, the test plays the
 * daemon's side of the link (a server transport on a loopback UDP socket)
 * and the person at the terminal (the pty's master). Checked: keys typed
 * arrive as input events in order, a terminal resize becomes a resize
 * event, a view's pane text reaches the screen, bell and clipboard counters
 * become BEL and OSC 52, a view without windows ends the client with
 * "[exited]", Ctrl-^ . ends it with the detach line, and both restore the
 * terminal (the normal screen is back); typed keys are drawn before the
 * daemon echoes them when predictions are on (and not when they are off),
 * and a view that refutes them shows the daemon's text.
 *
 * Screen contents are checked on an emulator fed with the client's
 * output, never as bytes: the renderer writes only differences and picks
 * the cheapest cursor moves, so the same screen comes out as different
 * bytes depending on which frames came before (a matter of timing). Only
 * what is not screen contents (modes, OSC 52, the lines printed after
 * leaving) is matched as bytes. Each test's
 * fake lives in the cmocka state, so a failed wait still frees it and
 * reaps the client. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/attach.h"
#include "client/predict.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/view.h"
#include "term/capture.h"
#include "term/vt.h"

#define LIMIT_MS 20000

struct fake {
	int udp, master;
	pid_t child; /* 0 once reaped */
	struct transport *t;
	struct view *v;
	struct buf screen; /* everything the client wrote */
	struct vt *vt;     /* ... and what it shows */
	struct buf keys;   /* INPUT_KEY codes received, one byte each */
	unsigned cols, rows;
};

static const uint8_t test_key[CRYPTO_KEY_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };

static void fake_pump(struct fake *f, int wait_ms)
{
	struct pollfd pfd[2] = { { f->udp, POLLIN, 0 }, { f->master, POLLIN, 0 } };
	uint8_t data[65536];
	uint64_t now;
	const uint8_t *out;
	size_t len;

	(void)poll(pfd, 2, wait_ms);
	now = time_now_ms();
	if (pfd[0].revents & POLLIN) {
		struct udp_addr from;
		ssize_t n;

		while ((n = udp_recv(f->udp, data, sizeof data, &from)) >= 0) {
			if (transport_receive(f->t, data, (size_t)n, &from, now) == 1) {
				struct input_stream *in = input_stream_create();
				struct buf diff;

				buf_init(&diff);
				transport_remote_diff(f->t, &diff);
				assert_int_equal(input_stream_decode(diff.data, diff.len, in), 0);
				for (size_t i = 0; i < input_stream_count(in); i++) {
					const struct input_event *ev = input_stream_event(in, i);

					if (ev->type == INPUT_KEY)
						buf_add_u8(&f->keys, (uint8_t)ev->key);
					if (ev->type == INPUT_RESIZE) {
						f->cols = ev->cols;
						f->rows = ev->rows;
					}
				}
				buf_free(&diff);
				input_stream_free(in);
			}
		}
	}
	if (pfd[1].revents & (POLLIN | POLLHUP)) {
		ssize_t n = read(f->master, data, sizeof data);

		if (n > 0) {
			buf_add(&f->screen, data, (size_t)n);
			vt_input(f->vt, data, (size_t)n);
			buf_reset(&vt_screen(f->vt)->replies);
		}
	}
	transport_tick(f->t, now);
	while (transport_pop(f->t, &out, &len)) {
		const struct udp_addr *peer = transport_peer(f->t, now);

		if (peer != NULL)
			(void)udp_send(f->udp, out, len, peer);
	}
}

static int fake_screen_has(struct fake *f, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= f->screen.len; i++) {
		if (memcmp(f->screen.data + i, s, n) == 0)
			return 1;
	}
	return 0;
}

/* Row Y of the emulated terminal is TEXT (trailing blanks aside). */
static int fake_row_is(struct fake *f, unsigned y, const char *text)
{
	size_t len;
	char *row = capture_screen(vt_screen(f->vt), y, y, 0, &len);
	int same = len == strlen(text) + 1 && memcmp(row, text, len - 1) == 0;

	free(row);
	return same;
}

#define FAKE_WAIT(f, cond)                                                      \
	do {                                                                    \
		uint64_t end_ = time_now_ms() + LIMIT_MS;                       \
		while (!(cond) && time_now_ms() < end_)                         \
			fake_pump((f), 10);                                     \
		if (!(cond))                                                    \
			fail_msg("timed out waiting for %s", #cond);            \
	} while (0)

static void fake_publish(struct fake *f)
{
	transport_set_current_state(f->t, f->v);
}

static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	f->udp = f->master = -1;
	buf_init(&f->screen);
	buf_init(&f->keys);
	*state = f;
	return 0;
}

/* Also after a failure: the client is killed if it still runs. */
static int fake_teardown(void **state)
{
	struct fake *f = *state;

	if (f->child > 0) {
		kill(f->child, SIGKILL);
		(void)waitpid(f->child, NULL, 0);
	}
	if (f->t != NULL)
		transport_free(f->t);
	if (f->v != NULL)
		view_free(f->v);
	if (f->vt != NULL)
		vt_free(f->vt);
	if (f->udp >= 0)
		close(f->udp);
	if (f->master >= 0)
		close(f->master);
	buf_free(&f->screen);
	buf_free(&f->keys);
	free(f);
	return 0;
}

static void fake_start_predict(struct fake *f, int predict)
{
	struct udp_addr local, bound;
	struct winsize ws = { 24, 80, 0, 0 };
	struct input_stream *empty_in = input_stream_create();
	struct view *empty_view = view_create();
	int slave;

	assert_int_equal(udp_addr_parse("127.0.0.1:0", &local), 0);
	f->udp = udp_bind(&local, 0, 0, &bound);
	assert_true(f->udp >= 0);
	assert_int_equal(openpty(&f->master, &slave, NULL, NULL, &ws), 0);
	f->t = transport_create(TRANSPORT_SERVER, test_key, crypto_key_id(test_key), &view_ops,
	    empty_view, &input_stream_ops, empty_in, time_now_ms());
	input_stream_free(empty_in);
	view_free(empty_view);
	f->v = view_create();
	f->vt = vt_create(80, 24, 0);
	f->child = fork();
	assert_true(f->child >= 0);
	if (f->child == 0) {
		close(f->master);
		close(f->udp);
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, STDIN_FILENO);
		dup2(slave, STDOUT_FILENO);
		if (slave > STDOUT_FILENO)
			close(slave);
		setenv("TERM", "xterm-256color", 1);
		unsetenv("COLORTERM");
		_exit(attach_run(&bound, test_key, "fake", predict));
	}
	close(slave);
	fcntl(f->master, F_SETFL, O_NONBLOCK);
}

static void fake_start(struct fake *f)
{
	fake_start_predict(f, PREDICT_ADAPTIVE);
}

/* The client's exit status, after reading what it wrote to the end. */
static int fake_finish(struct fake *f)
{
	int status = 0;
	uint64_t end = time_now_ms() + LIMIT_MS;
	pid_t r;

	while ((r = waitpid(f->child, &status, WNOHANG)) == 0 && time_now_ms() < end)
		fake_pump(f, 10);
	if (r != f->child)
		fail_msg("the client did not end");
	f->child = 0;
	fake_pump(f, 50);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* One window with one pane of 80x23 showing TEXT on its first row, and a
 * status line. */
static void fake_view(struct fake *f, const char *text)
{
	struct view_window w = { 0, VIEW_WINDOW_CURRENT, (char *)"sh" };
	struct view_layout_pane lp = { 1, 0, 0, 80, 23 };
	struct view_row *r = view_row_create(80);

	view_set_session(f->v, "fake");
	view_set_windows(f->v, &w, 1);
	view_set_layout(f->v, 80, 24, 0, 1, &lp, 1, 1);
	for (unsigned x = 0; text[x] != '\0' && x < 80; x++) {
		struct cell c = { (uint32_t)(unsigned char)text[x], COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

		view_row_set(r, x, &c, NULL, 0);
	}
	view_set_pane_row(f->v, view_find_pane(f->v, 1), 0, r);
	view_set_pane_cursor(f->v, view_find_pane(f->v, 1), (unsigned)strlen(text), 0, 0);
	fake_publish(f);
}

static void test_keys_view_bell_clipboard_exit(void **state)
{
	struct fake *f = *state;
	struct winsize ws = { 30, 100, 0, 0 };

	fake_start(f);
	/* The first datagram tells the fake daemon where the client is, with
	 * the terminal's size. */
	FAKE_WAIT(f, f->cols == 80 && f->rows == 24);
	fake_view(f, "pane-text-here");
	FAKE_WAIT(f, fake_row_is(f, 0, "pane-text-here"));
	/* The alternate screen was entered. */
	assert_true(fake_screen_has(f, "\033[?1049h"));

	assert_int_equal(write(f->master, "hi\r", 3), 3);
	FAKE_WAIT(f, f->keys.len >= 3);
	assert_memory_equal(f->keys.data, "hi\r", 3);

	vt_resize(f->vt, 100, 30);
	ioctl(f->master, TIOCSWINSZ, &ws);
	kill(f->child, SIGWINCH);
	FAKE_WAIT(f, f->cols == 100 && f->rows == 30);

	view_set_bells(f->v, 1);
	view_set_clipboard(f->v, 1, "c", "hello", 5);
	fake_publish(f);
	FAKE_WAIT(f, fake_screen_has(f, "\a\033]52;c;aGVsbG8=\a"));

	/* The session goes: the client ends with "[exited]". */
	view_set_windows(f->v, NULL, 0);
	view_set_layout(f->v, 80, 24, 0, 0, NULL, 0, 0);
	fake_publish(f);
	assert_int_equal(fake_finish(f), 0);
	assert_true(fake_screen_has(f, "[exited]"));
	assert_true(fake_screen_has(f, "\033[?1049l"));
	assert_false(screen_alternate_on(vt_screen(f->vt)));
}

static void test_quit_key(void **state)
{
	struct fake *f = *state;

	fake_start(f);
	FAKE_WAIT(f, f->cols == 80);
	fake_view(f, "before-quit");
	FAKE_WAIT(f, fake_row_is(f, 0, "before-quit"));
	/* Ctrl-^ . quits locally, with the session's name. */
	assert_int_equal(write(f->master, "\036.", 2), 2);
	assert_int_equal(fake_finish(f), 0);
	assert_true(fake_screen_has(f, "[detached (from session fake)]"));
	assert_true(fake_screen_has(f, "\033[?1049l"));
	assert_false(screen_alternate_on(vt_screen(f->vt)));
}

/* Pump for MS milliseconds. */
static void fake_idle(struct fake *f, uint64_t ms)
{
	uint64_t end = time_now_ms() + ms;

	while (time_now_ms() < end)
		fake_pump(f, 10);
}

static void test_predict_always(void **state)
{
	struct fake *f = *state;

	fake_start_predict(f, PREDICT_ALWAYS);
	FAKE_WAIT(f, f->cols == 80);
	fake_view(f, "prompt> ");
	FAKE_WAIT(f, fake_row_is(f, 0, "prompt>"));
	/* The fake daemon never echoes: the letters on the screen are the
	 * client's guesses (event 1 was the size, the keys are 2 and 3). */
	assert_int_equal(write(f->master, "zq", 2), 2);
	FAKE_WAIT(f, f->keys.len >= 2);
	FAKE_WAIT(f, fake_row_is(f, 0, "prompt> zq"));
	/* The program echoed something else: the daemon's text replaces the
	 * guesses. */
	view_set_echo_ack(f->v, 3);
	fake_view(f, "prompt> ZQ");
	FAKE_WAIT(f, fake_row_is(f, 0, "prompt> ZQ"));
	assert_int_equal(write(f->master, "\036.", 2), 2);
	assert_int_equal(fake_finish(f), 0);
}

static void test_predict_never(void **state)
{
	struct fake *f = *state;

	fake_start_predict(f, PREDICT_NEVER);
	FAKE_WAIT(f, f->cols == 80);
	fake_view(f, "prompt> ");
	FAKE_WAIT(f, fake_row_is(f, 0, "prompt>"));
	assert_int_equal(write(f->master, "zq", 2), 2);
	FAKE_WAIT(f, f->keys.len >= 2);
	fake_idle(f, 300);
	assert_true(fake_row_is(f, 0, "prompt>"));
	/* The echo shows. */
	view_set_echo_ack(f->v, 3);
	fake_view(f, "prompt> zq");
	FAKE_WAIT(f, fake_row_is(f, 0, "prompt> zq"));
	assert_int_equal(write(f->master, "\036.", 2), 2);
	assert_int_equal(fake_finish(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keys_view_bell_clipboard_exit, fake_setup,
		    fake_teardown),
		cmocka_unit_test_setup_teardown(test_quit_key, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_predict_always, fake_setup, fake_teardown),
		cmocka_unit_test_setup_teardown(test_predict_never, fake_setup, fake_teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
