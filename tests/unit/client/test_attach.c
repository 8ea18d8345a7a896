/* test_attach.c — the client's main loop against a fake daemon: the
 * client runs in a child process on a pseudo-terminal, the test plays the
 * daemon's side of the link (a server transport on a loopback UDP socket)
 * and the person at the terminal (the pty's master). Checked: keys typed
 * arrive as input events in order, a terminal resize becomes a resize
 * event, a view's pane text reaches the screen, bell and clipboard counters
 * become BEL and OSC 52, a view without windows ends the client with
 * "[exited]", Ctrl-^ . ends it with the detach line, and both restore the
 * terminal (the normal screen is back). */
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
#include "common/buf.h"
#include "common/timeutil.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/view.h"

#define LIMIT_MS 20000

struct fake {
	int udp, master;
	pid_t child;
	struct transport *t;
	struct view *v;
	struct buf screen; /* everything the client wrote */
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

		if (n > 0)
			buf_add(&f->screen, data, (size_t)n);
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

static void fake_start(struct fake *f)
{
	struct udp_addr local, bound;
	struct winsize ws = { 24, 80, 0, 0 };
	struct input_stream *empty_in = input_stream_create();
	struct view *empty_view = view_create();
	int slave;

	memset(f, 0, sizeof *f);
	buf_init(&f->screen);
	buf_init(&f->keys);
	assert_int_equal(udp_addr_parse("127.0.0.1:0", &local), 0);
	f->udp = udp_bind(&local, 0, 0, &bound);
	assert_true(f->udp >= 0);
	assert_int_equal(openpty(&f->master, &slave, NULL, NULL, &ws), 0);
	f->t = transport_create(TRANSPORT_SERVER, test_key, crypto_key_id(test_key), &view_ops,
	    empty_view, &input_stream_ops, empty_in, time_now_ms());
	input_stream_free(empty_in);
	view_free(empty_view);
	f->v = view_create();
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
		_exit(attach_run(&bound, test_key, "fake"));
	}
	close(slave);
	fcntl(f->master, F_SETFL, O_NONBLOCK);
}

/* The client's exit status, after reading what it wrote to the end. */
static int fake_finish(struct fake *f)
{
	int status = 0;
	uint64_t end = time_now_ms() + LIMIT_MS;

	while (waitpid(f->child, &status, WNOHANG) == 0 && time_now_ms() < end)
		fake_pump(f, 10);
	fake_pump(f, 50);
	transport_free(f->t);
	view_free(f->v);
	close(f->udp);
	close(f->master);
	buf_free(&f->keys);
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
	fake_publish(f);
}

static void test_keys_view_bell_clipboard_exit(void **state)
{
	struct fake f;
	struct winsize ws = { 30, 100, 0, 0 };

	fake_start(&f);
	/* The first datagram tells the fake daemon where the client is, with
	 * the terminal's size. */
	FAKE_WAIT(&f, f.cols == 80 && f.rows == 24);
	fake_view(&f, "pane-text-here");
	FAKE_WAIT(&f, fake_screen_has(&f, "pane-text-here"));
	/* The alternate screen was entered. */
	assert_true(fake_screen_has(&f, "\033[?1049h"));

	assert_int_equal(write(f.master, "hi\r", 3), 3);
	FAKE_WAIT(&f, f.keys.len >= 3);
	assert_memory_equal(f.keys.data, "hi\r", 3);

	ioctl(f.master, TIOCSWINSZ, &ws);
	kill(f.child, SIGWINCH);
	FAKE_WAIT(&f, f.cols == 100 && f.rows == 30);

	view_set_bells(f.v, 1);
	view_set_clipboard(f.v, 1, "c", "hello", 5);
	fake_publish(&f);
	FAKE_WAIT(&f, fake_screen_has(&f, "\a\033]52;c;aGVsbG8=\a"));

	/* The session goes: the client ends with "[exited]". */
	view_set_windows(f.v, NULL, 0);
	view_set_layout(f.v, 80, 24, 0, 0, NULL, 0, 0);
	fake_publish(&f);
	assert_int_equal(fake_finish(&f), 0);
	assert_true(fake_screen_has(&f, "[exited]"));
	assert_true(fake_screen_has(&f, "\033[?1049l"));
	buf_free(&f.screen);
}

static void test_quit_key(void **state)
{
	struct fake f;

	fake_start(&f);
	FAKE_WAIT(&f, f.cols == 80);
	fake_view(&f, "before-quit");
	FAKE_WAIT(&f, fake_screen_has(&f, "before-quit"));
	/* Ctrl-^ . quits locally, with the session's name. */
	assert_int_equal(write(f.master, "\036.", 2), 2);
	assert_int_equal(fake_finish(&f), 0);
	assert_true(fake_screen_has(&f, "[detached (from session fake)]"));
	assert_true(fake_screen_has(&f, "\033[?1049l"));
	buf_free(&f.screen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_view_bell_clipboard_exit),
		cmocka_unit_test(test_quit_key),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
