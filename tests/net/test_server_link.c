/* test_server_link.c — the daemon's side of the link, end to end: a test
 * client (a client transport in this process) runs `rmux bootstrap`,
 * speaks UDP to the daemon directly and through the impairment relay
 * (loss, duplication, reordering, two roams), types keys and resizes, and
 * checks the view it receives against capture-pane and the window size;
 * forged, garbage, truncated and replayed datagrams change nothing; two
 * connections share a session under window-size latest; a silent
 * connection is dropped after connection-timeout while the session stays;
 * echo_ack waits for the echo or the fixed delay; only a password prompt
 * (not bash's line editor) is echo off; detach-client and
 * prefix d detach one connection (its view says so, the daemon drops it
 * once that is acknowledged), list-clients and session_attached count
 * the live connections, switch-client moves one, the mouse option shows
 * in the view flags.
 * argv[1] is the rmux executable, argv[2] the relay. Waits are bounded by
 * generous deadlines, never by speed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "net/crypto.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"
#include "net/view.h"

#include "link_client.h"

#define WAIT_MS 30000 /* bound on any convergence */

static const char *rmux_path;
static const char *relay_path;
static char tmpdir[] = "/tmp/rmux-slink-XXXXXX";
static char sockname[64];
static int test_no;

/* ---- running rmux ---- */

/* Run rmux -L SOCKNAME ARGS...; stdout into OUT (may be NULL). */
static int rmux(struct buf *out, ...)
{
	const char *argv[32];
	va_list ap;
	int n = 0;

	va_start(ap, out);
	while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return link_rmux(rmux_path, sockname, 0, out, argv);
}

/* The output of a command (up to eight words, NULL-terminated) as a
 * string (caller frees). */
static char *rmux_text(const char *first, ...)
{
	const char *w[8] = { first };
	struct buf out;
	va_list ap;
	char *s;

	va_start(ap, first);
	for (int i = 1; i < 8 && w[i - 1] != NULL; i++)
		w[i] = va_arg(ap, const char *);
	va_end(ap);
	buf_init(&out);
	assert_int_equal(rmux(&out, w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], (char *)NULL), 0);
	s = malloc(out.len + 1);
	assert_non_null(s);
	if (out.len > 0)
		memcpy(s, out.data, out.len);
	s[out.len] = '\0';
	buf_free(&out);
	return s;
}

/* ---- the test client ---- */

struct client {
	struct link_client lc;
	uint8_t last[2048]; /* a datagram it sent, for forgeries */
	size_t lastlen;
	/* The last CLIENT_SENT datagrams it sent, for replays. */
	uint8_t sent[16][1400];
	size_t sentlen[16];
	size_t nsent;
};

#define CLIENT_SENT 16

/* bootstrap -t SESSION and connect to the port it names (or to VIA). */
static void client_open(struct client *c, const char *session, const unsigned *via)
{
	struct buf out;
	char *line;

	memset(c, 0, sizeof *c);
	buf_init(&out);
	assert_int_equal(rmux(&out, "bootstrap", "-t", session, (char *)NULL), 0);
	buf_add(&out, "", 1);
	line = (char *)out.data;
	/* Exactly one line. */
	assert_non_null(strchr(line, '\n'));
	assert_string_equal(strchr(line, '\n'), "\n");
	assert_int_equal(link_client_open(&c->lc, line, via != NULL ? *via : 0, NULL), 0);
	buf_free(&out);
}

static void client_close(struct client *c)
{
	link_client_close(&c->lc);
}

static struct input_stream *client_input(struct client *c)
{
	return link_client_input(&c->lc);
}

static void client_type(struct client *c, const char *text)
{
	assert_int_equal(link_client_type(&c->lc, text), 0);
}

static const struct view *client_view(struct client *c)
{
	return link_client_view(&c->lc);
}

/* Keeps what the client sends, for forgeries and replays. */
static void client_sent(void *arg, const uint8_t *data, size_t len)
{
	struct client *c = arg;

	if (len <= sizeof c->last) {
		memcpy(c->last, data, len);
		c->lastlen = len;
	}
	if (len <= sizeof c->sent[0]) {
		memcpy(c->sent[c->nsent % CLIENT_SENT], data, len);
		c->sentlen[c->nsent % CLIENT_SENT] = len;
		c->nsent++;
	}
}

/* Run the client for up to MS: tick, send, receive; stop early once
 * DONE(c, arg) holds (DONE NULL: run the whole time). Returns whether it
 * held. */
static int client_run(struct client *c, uint64_t ms, int (*done)(struct client *, const void *),
    const void *arg)
{
	uint64_t end = time_now_ms() + ms;

	for (;;) {
		uint64_t now = time_now_ms(), next;
		struct pollfd pfd = { c->lc.fd, POLLIN, 0 };
		int wait;

		if (done != NULL && done(c, arg))
			return 1;
		if (now >= end)
			return 0;
		next = link_client_send(&c->lc, now, client_sent, c);
		wait = (int)RMUX_MIN(RMUX_MIN(next > now ? next - now : 0, end - now), 20);
		if (poll(&pfd, 1, wait) > 0)
			link_client_receive(&c->lc, NULL, NULL);
	}
}

/* A row of the active pane reads exactly ARG. */
static int has_line(struct client *c, const void *arg)
{
	const struct view *v = client_view(c);
	char text[4096];

	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id != v->active_pane)
			continue;
		for (unsigned y = 0; y < v->pane[i].rows; y++) {
			link_row_text(&v->pane[i], y, text, sizeof text);
			if (strcmp(text, arg) == 0)
				return 1;
		}
	}
	return 0;
}

/* The shell's prompt ("$ " or, for root, "# ") is on the active pane.
 * Keys typed before it are echoed by the terminal before the prompt is
 * drawn, and the command's output then shares the prompt's line. */
static int has_prompt(struct client *c, const void *arg)
{
	const struct view *v = client_view(c);
	char text[4096];

	(void)arg;
	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id != v->active_pane)
			continue;
		for (unsigned y = 0; y < v->pane[i].rows; y++) {
			link_row_text(&v->pane[i], y, text, sizeof text);
			if (strcmp(text, "$") == 0 || strcmp(text, "#") == 0 ||
			    strcmp(text, "$ ") == 0 || strcmp(text, "# ") == 0)
				return 1;
		}
	}
	return 0;
}

struct size_want {
	unsigned cols, rows;
};

static int has_size(struct client *c, const void *arg)
{
	const struct size_want *w = arg;
	const struct view *v = client_view(c);

	return v->cols == w->cols && v->rows == w->rows && v->npanes == 1 &&
	       v->pane[0].cols == w->cols && v->pane[0].rows == w->rows - 1;
}

/* Every input event sent has been applied. */
static int all_applied(struct client *c, const void *arg)
{
	return client_view(c)->echo_ack + 1 == input_stream_end(client_input(c));
}

/* The active pane as the view shows it equals capture-pane of TARGET. */
static void assert_view_is_capture(struct client *c, const char *target)
{
	const struct view *v = client_view(c);
	const struct view_pane *p = NULL;
	char *cap = rmux_text("capture-pane", "-p", "-t", target, (char *)NULL), *line = cap, text[4096];

	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == v->active_pane)
			p = &v->pane[i];
	}
	assert_non_null(p);
	for (unsigned y = 0; y < p->rows; y++) {
		char *nl = strchr(line, '\n');

		assert_non_null(nl);
		*nl = '\0';
		link_row_text(p, y, text, sizeof text);
		assert_string_equal(text, line);
		line = nl + 1;
	}
	assert_string_equal(line, "");
	free(cap);
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	snprintf(sockname, sizeof sockname, "slink%d-%ld", ++test_no, (long)getpid());
	return 0;
}

static int teardown(void **state)
{
	rmux(NULL, "kill-server", (char *)NULL);
	return 0;
}

static void start_session(const char *name)
{
	assert_int_equal(rmux(NULL, "new-session", "-d", "-s", name, (char *)NULL), 0);
}

/* ---- tests ---- */

static void test_direct(void **state)
{
	struct client c;
	struct size_want want = { 100, 30 };
	char *size;

	start_session("s");
	client_open(&c, "s", NULL);
	assert_int_equal(input_stream_add_resize(client_input(&c), 100, 30), 0);
	assert_true(client_run(&c, WAIT_MS, has_prompt, NULL));
	client_type(&c, "echo hel''lo\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "hello"));
	assert_true(client_run(&c, WAIT_MS, has_size, &want));
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	/* The status line is there and names the session. */
	assert_int_equal(client_view(&c)->nstatus, 1);
	assert_string_equal(client_view(&c)->session, "s");
	size = rmux_text("display-message", "-p", "-t", "s", "#{window_width}x#{window_height}", (char *)NULL);
	assert_string_equal(size, "100x29\n");
	free(size);
	/* Let output settle, then the view must equal the capture. */
	client_run(&c, 300, NULL, NULL);
	assert_view_is_capture(&c, "s");
	client_close(&c);
}

/* Start the relay in front of TO_PORT with the impairment options IMPAIR
 * (NULL-terminated); its listening port in *PORT. */
static pid_t start_relay(unsigned to_port, unsigned *port, const char *const *impair)
{
	char port_file[4200];
	pid_t pid;

	snprintf(port_file, sizeof port_file, "%s/relay-port", tmpdir);
	pid = link_relay_start(relay_path, to_port, port_file, impair, port);
	assert_true(pid > 0);
	return pid;
}

static void test_relay(void **state)
{
	static const char *const impair[] = { "--seed", "11", "--loss", "20", "--delay", "15",
		"--jitter", "10", "--dup", "5", "--reorder", "5", "--roam-at", "1000", "--roam-at",
		"2500", "--time-limit", "120", "--quiet", NULL };
	struct client c, probe;
	char text[700], expect[600];
	unsigned relay_port, server_port;
	pid_t pid;
	int status;

	start_session("r");
	/* A first connection tells the daemon's port; the relay sits in front. */
	client_open(&probe, "r", NULL);
	server_port = udp_addr_port(&probe.lc.server);
	client_close(&probe);
	pid = start_relay(server_port, &relay_port, impair);
	client_open(&c, "r", &relay_port);
	assert_int_equal(input_stream_add_resize(client_input(&c), 90, 20), 0);
	/* 300 keys across the roams: each applied once, in order. */
	for (int i = 0; i < 299; i++)
		expect[i] = (char)('a' + (i * 7) % 26);
	expect[299] = '\0';
	snprintf(text, sizeof text, "echo %s''\r", expect);
	for (const char *p = text; *p != '\0'; p++) {
		assert_int_equal(input_stream_add_key(client_input(&c), (uint8_t)*p), 0);
		client_run(&c, 10, NULL, NULL);
	}
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	client_run(&c, 500, NULL, NULL);
	{
		char *cap = rmux_text("capture-pane", "-p", "-J", "-t", "r", (char *)NULL);
		char *first = strstr(cap, expect);

		/* The command line holds expect followed by '', the output line
		 * holds it alone: exactly two copies, the output after. */
		assert_non_null(first);
		assert_non_null(strstr(first + 1, expect));
		assert_null(strstr(strstr(first + 1, expect) + 1, expect));
		free(cap);
	}
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	client_close(&c);
}

static void send_raw(struct client *c, const void *data, size_t len)
{
	assert_int_equal(udp_send(c->lc.fd, data, len, &c->lc.server), 0);
}

static void test_garbage(void **state)
{
	struct client c;
	uint8_t junk[1500], real[2048];
	size_t reallen;
	uint64_t rng = 12345;

	start_session("g");
	client_open(&c, "g", NULL);
	assert_true(client_run(&c, WAIT_MS, has_prompt, NULL));
	client_type(&c, "echo one''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "one"));
	assert_true(c.lastlen > 8);
	memcpy(real, c.last, c.lastlen);
	reallen = c.lastlen;
	/* Truncations, bit flips, replays, random bytes with and without the
	 * connection's id, empty datagrams. */
	for (size_t n = 0; n < reallen; n++)
		send_raw(&c, real, n);
	for (size_t bit = 0; bit < reallen * 8; bit += 3) {
		memcpy(junk, real, reallen);
		junk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		send_raw(&c, junk, reallen);
	}
	for (int i = 0; i < 50; i++)
		send_raw(&c, real, reallen);
	for (int i = 0; i < 500; i++) {
		size_t len = 1 + (size_t)(i * 37) % sizeof junk;

		for (size_t j = 0; j < len; j++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			junk[j] = (uint8_t)(rng >> 56);
		}
		if (i % 2 == 0 && len >= 4)
			memcpy(junk, real, 4);
		send_raw(&c, junk, len);
	}
	/* The session and the connection are unaffected. */
	assert_int_equal(rmux(NULL, "has-session", "-t", "g", (char *)NULL), 0);
	client_type(&c, "echo two''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "two"));
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	client_close(&c);
}

static int window_is(struct client *c, const void *arg)
{
	const struct size_want *w = arg;
	char *size = rmux_text("display-message", "-p", "#{window_width} #{window_height}", (char *)NULL);
	unsigned x = 0, y = 0;
	int ok = sscanf(size, "%u%u", &x, &y) == 2 && x == w->cols && y == w->rows;

	free(size);
	if (!ok)
		client_run(c, 50, NULL, NULL);
	return ok;
}

static void test_two_clients(void **state)
{
	struct client a, b;
	struct size_want wa = { 90, 19 }, wb = { 70, 24 };

	start_session("two");
	client_open(&a, "two", NULL);
	client_open(&b, "two", NULL);
	assert_int_equal(input_stream_add_resize(client_input(&a), 90, 20), 0);
	client_type(&a, "echo shared''\r");
	assert_true(client_run(&a, WAIT_MS, has_line, "shared"));
	assert_true(client_run(&b, WAIT_MS, has_line, "shared"));
	assert_true(client_run(&a, WAIT_MS, window_is, &wa));
	/* window-size latest: the client that spoke last sets the size. */
	assert_int_equal(input_stream_add_resize(client_input(&b), 70, 25), 0);
	assert_true(client_run(&b, WAIT_MS, all_applied, NULL));
	assert_true(client_run(&b, WAIT_MS, window_is, &wb));
	client_type(&a, " ");
	assert_true(client_run(&a, WAIT_MS, all_applied, NULL));
	assert_true(client_run(&a, WAIT_MS, window_is, &wa));
	client_close(&a);
	client_close(&b);
}

static void test_timeout(void **state)
{
	struct client c;
	char *cap;

	start_session("t");
	assert_int_equal(rmux(NULL, "set-option", "-s", "connection-timeout", "1", (char *)NULL), 0);
	client_open(&c, "t", NULL);
	assert_true(client_run(&c, WAIT_MS, has_prompt, NULL));
	client_type(&c, "echo alive''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "alive"));
	/* Silent for three times the timeout: the daemon forgets us. */
	usleep(3000 * 1000);
	client_type(&c, "echo late''\r");
	assert_false(client_run(&c, 2000, all_applied, NULL));
	assert_false(has_line(&c, "late"));
	cap = rmux_text("capture-pane", "-p", "-t", "t", (char *)NULL);
	assert_null(strstr(cap, "late"));
	free(cap);
	/* The session stays and takes new connections. */
	assert_int_equal(rmux(NULL, "has-session", "-t", "t", (char *)NULL), 0);
	client_close(&c);
	client_open(&c, "t", NULL);
	client_type(&c, "echo again''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "again"));
	client_close(&c);
}

/* ---- clients: detach, list, switch ---- */

/* The name list-clients gives C: its address as the daemon sees it. */
static void client_name(const struct client *c, char *out, size_t size)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	assert_int_equal(getsockname(c->lc.fd, (struct sockaddr *)&sin, &len), 0);
	snprintf(out, size, "udp:127.0.0.1:%u", (unsigned)ntohs(sin.sin_port));
}

static int has_windows(struct client *c, const void *arg)
{
	return client_view(c)->nwindows > 0;
}

static int flag_set(struct client *c, const void *arg)
{
	return (client_view(c)->flags & *(const uint32_t *)arg) != 0;
}

static int flag_clear(struct client *c, const void *arg)
{
	return (client_view(c)->flags & *(const uint32_t *)arg) == 0;
}

static int session_is(struct client *c, const void *arg)
{
	return strcmp(client_view(c)->session, arg) == 0;
}

/* The daemon acknowledged input state number *ARG or a later one. */
static int input_acked(struct client *c, const void *arg)
{
	return transport_acked_num(c->lc.t) >= *(const uint64_t *)arg;
}

/* C has seen its view flagged detached. The daemon keeps the connection
 * until the client acknowledges that view: let it, then a new key must
 * go unanswered (the daemon forgets the connection without a word). */
static void assert_detached_and_dropped(struct client *c)
{
	const uint32_t detached = VIEW_DETACHED;
	uint64_t want;

	assert_true(client_run(c, WAIT_MS, flag_set, &detached));
	/* Long enough for the client's acknowledgement to go out (its
	 * delayed-ack timer, not the machine's speed). */
	client_run(c, 1000, NULL, NULL);
	client_type(c, "x");
	client_run(c, 100, NULL, NULL);
	want = transport_sent_num(c->lc.t);
	assert_true(want > transport_acked_num(c->lc.t));
	assert_false(client_run(c, 3000, input_acked, &want));
}

static void test_detach_client(void **state)
{
	struct client a, b;
	char na[64], nb[64], want[160], *lsc;
	const uint32_t detached = VIEW_DETACHED;

	start_session("d");
	client_open(&a, "d", NULL);
	client_open(&b, "d", NULL);
	assert_true(client_run(&a, WAIT_MS, has_windows, NULL));
	assert_true(client_run(&b, WAIT_MS, has_windows, NULL));
	client_name(&a, na, sizeof na);
	client_name(&b, nb, sizeof nb);
	lsc = rmux_text("list-clients", "-F", "#{client_name}", (char *)NULL);
	snprintf(want, sizeof want, "%s\n%s\n", na, nb);
	assert_string_equal(lsc, want);
	free(lsc);
	/* Unknown clients are errors; unknown sessions with -s are not. */
	assert_int_equal(rmux(NULL, "detach-client", "-t", "udp:nosuch", (char *)NULL), 1);
	assert_int_equal(rmux(NULL, "detach-client", "-s", "nosuch", (char *)NULL), 0);

	assert_int_equal(rmux(NULL, "detach-client", "-t", na, (char *)NULL), 0);
	/* At once no longer a client. */
	lsc = rmux_text("list-clients", "-F", "#{client_name} #{session_attached}", (char *)NULL);
	snprintf(want, sizeof want, "%s 1\n", nb);
	assert_string_equal(lsc, want);
	free(lsc);
	assert_detached_and_dropped(&a);
	/* The other one is still attached and works. */
	client_type(&b, "echo still''\r");
	assert_true(client_run(&b, WAIT_MS, has_line, "still"));
	assert_false(flag_set(&b, &detached));
	assert_string_equal(client_view(&a)->session, "d");
	client_close(&a);
	client_close(&b);
}

static void test_prefix_d(void **state)
{
	struct client a, b;
	char nb[64], want[160], *lsc, *cap;
	const uint32_t detached = VIEW_DETACHED;

	start_session("p");
	client_open(&a, "p", NULL);
	client_open(&b, "p", NULL);
	assert_true(client_run(&a, WAIT_MS, has_windows, NULL));
	assert_true(client_run(&b, WAIT_MS, has_windows, NULL));
	client_name(&b, nb, sizeof nb);
	/* C-b d on A detaches A, not B. */
	assert_int_equal(input_stream_add_key(client_input(&a), 0x02), 0);
	client_type(&a, "d");
	assert_true(client_run(&a, WAIT_MS, flag_set, &detached));
	/* Keys typed after that go nowhere. */
	client_type(&a, "echo gone''\r");
	client_run(&a, 300, NULL, NULL);
	lsc = rmux_text("list-clients", "-F", "#{client_name} #{session_attached}", (char *)NULL);
	snprintf(want, sizeof want, "%s 1\n", nb);
	assert_string_equal(lsc, want);
	free(lsc);
	client_type(&b, "echo still''\r");
	assert_true(client_run(&b, WAIT_MS, has_line, "still"));
	assert_false(flag_set(&b, &detached));
	cap = rmux_text("capture-pane", "-p", "-t", "p", (char *)NULL);
	assert_null(strstr(cap, "gone"));
	free(cap);
	assert_detached_and_dropped(&a);
	/* The client's own "detach" command does the same. */
	{
		const char *argv[] = { "detach" };

		assert_int_equal(input_stream_add_command(client_input(&b), 1, argv), 0);
		assert_detached_and_dropped(&b);
	}
	lsc = rmux_text("list-clients", (char *)NULL);
	assert_string_equal(lsc, "");
	free(lsc);
	client_close(&a);
	client_close(&b);
}

static void run_all(struct client *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_true(client_run(&c[i], WAIT_MS, all_applied, NULL));
}

static void test_list_clients(void **state)
{
	struct client c[3];
	char name[3][64], want[512], *lsc;
	const char *old_term = getenv("TERM");
	char *saved = old_term != NULL ? strdup(old_term) : NULL;
	const uint32_t mouse = VIEW_MOUSE;

	start_session("lc");
	start_session("other");
	/* The terminal comes from bootstrap's environment. */
	setenv("TERM", "rmux-test-term", 1);
	client_open(&c[0], "lc", NULL);
	unsetenv("TERM");
	client_open(&c[1], "lc", NULL);
	client_open(&c[2], "other", NULL);
	if (saved != NULL)
		setenv("TERM", saved, 1);
	free(saved);
	assert_int_equal(input_stream_add_resize(client_input(&c[0]), 90, 20), 0);
	assert_int_equal(input_stream_add_resize(client_input(&c[1]), 70, 25), 0);
	assert_int_equal(input_stream_add_focus(client_input(&c[1]), 0), 0);
	client_type(&c[2], " ");
	run_all(c, 3);
	for (int i = 0; i < 3; i++)
		client_name(&c[i], name[i], sizeof name[i]);

	/* tmux 3.3a's line, in order of connection. */
	lsc = rmux_text("list-clients", (char *)NULL);
	snprintf(want, sizeof want,
	    "%s: lc [90x20 rmux-test-term] (attached,focused,UTF-8)\n"
	    "%s: lc [70x25 unknown] (attached,UTF-8)\n"
	    "%s: other [80x24 unknown] (attached,focused,UTF-8)\n",
	    name[0], name[1], name[2]);
	assert_string_equal(lsc, want);
	free(lsc);
	lsc = rmux_text("lsc", "-t", "lc", "-F", "#{client_name}", (char *)NULL);
	snprintf(want, sizeof want, "%s\n%s\n", name[0], name[1]);
	assert_string_equal(lsc, want);
	free(lsc);
	assert_int_equal(rmux(NULL, "list-clients", "-t", "nosuch", (char *)NULL), 1);
	lsc = rmux_text("list-clients", "-F", "#{client_session} #{session_attached} #{client_utf8}",
	    (char *)NULL);
	assert_string_equal(lsc, "lc 2 1\nlc 2 1\nother 1 1\n");
	free(lsc);

	/* switch-client from the client itself, and back with -l. */
	{
		const char *to_lc[] = { "switch-client", "-t", "lc" };
		const char *back[] = { "switch-client", "-l" };

		assert_int_equal(input_stream_add_command(client_input(&c[2]), 3, to_lc), 0);
		assert_true(client_run(&c[2], WAIT_MS, session_is, "lc"));
		lsc = rmux_text("list-clients", "-F", "#{client_session} #{session_attached}",
		    (char *)NULL);
		assert_string_equal(lsc, "lc 3\nlc 3\nlc 3\n");
		free(lsc);
		assert_int_equal(input_stream_add_command(client_input(&c[2]), 2, back), 0);
		assert_true(client_run(&c[2], WAIT_MS, session_is, "other"));
	}
	/* ... and of another client from the command line. */
	assert_int_equal(rmux(NULL, "switch-client", "-c", name[1], "-t", "other", (char *)NULL), 0);
	assert_true(client_run(&c[1], WAIT_MS, session_is, "other"));
	lsc = rmux_text("list-clients", "-F", "#{client_session} #{session_attached}", (char *)NULL);
	assert_string_equal(lsc, "lc 1\nother 2\nother 2\n");
	free(lsc);

	/* The session's mouse option reaches the view. */
	assert_false(flag_set(&c[0], &mouse));
	assert_int_equal(rmux(NULL, "set-option", "-t", "lc", "mouse", "on", (char *)NULL), 0);
	assert_true(client_run(&c[0], WAIT_MS, flag_set, &mouse));
	assert_false(flag_set(&c[1], &mouse));
	assert_int_equal(rmux(NULL, "set-option", "-t", "lc", "mouse", "off", (char *)NULL), 0);
	assert_true(client_run(&c[0], WAIT_MS, flag_clear, &mouse));

	/* -s detaches a session's clients, -a all but one. */
	assert_int_equal(rmux(NULL, "detach-client", "-s", "other", (char *)NULL), 0);
	lsc = rmux_text("list-clients", "-F", "#{client_name}", (char *)NULL);
	snprintf(want, sizeof want, "%s\n", name[0]);
	assert_string_equal(lsc, want);
	free(lsc);
	assert_detached_and_dropped(&c[1]);
	assert_detached_and_dropped(&c[2]);
	assert_int_equal(rmux(NULL, "detach-client", "-a", "-t", name[0], (char *)NULL), 0);
	lsc = rmux_text("list-clients", "-F", "#{client_name}", (char *)NULL);
	assert_string_equal(lsc, want);
	free(lsc);
	for (int i = 0; i < 3; i++)
		client_close(&c[i]);
}

/* ---- echo_ack timing ---- */

#define ECHO_KEYS 12
#define ECHO_ACK_MS 50 /* the daemon's fixed delay (doc/PROTOCOL.md 8.2) */

struct echo_probe {
	uint64_t num;        /* the event to wait for */
	const char *text;    /* the active pane must show this row by then, or NULL */
	uint64_t acked_at;
	int text_ok;
};

/* The view acknowledges the event: note when and what it shows. */
static int echo_acked(struct client *c, const void *arg)
{
	struct echo_probe *p = (struct echo_probe *)arg;

	if (client_view(c)->echo_ack < p->num)
		return 0;
	p->acked_at = time_now_ms();
	p->text_ok = p->text == NULL || has_line(c, p->text);
	return 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Type ECHO_KEYS letters one at a time into session NAME, waiting for
 * each acknowledgement; ECHOES: the pane shows them. Fills LAT with the
 * time from each key to its acknowledgement. */
static void echo_run(const char *name, int echoes, uint64_t lat[ECHO_KEYS])
{
	struct client c;
	char typed[ECHO_KEYS + 1];
	uint64_t sorted[ECHO_KEYS];

	client_open(&c, name, NULL);
	assert_int_equal(input_stream_add_resize(client_input(&c), 80, 24), 0);
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	for (int i = 0; i < ECHO_KEYS; i++) {
		struct echo_probe probe = { 0 };
		uint64_t t;

		typed[i] = (char)('a' + i);
		typed[i + 1] = '\0';
		t = time_now_ms();
		assert_int_equal(input_stream_add_key(client_input(&c), (uint8_t)typed[i]), 0);
		probe.num = input_stream_end(client_input(&c)) - 1;
		probe.text = echoes ? typed : NULL;
		assert_true(client_run(&c, WAIT_MS, echo_acked, &probe));
		lat[i] = probe.acked_at - t;
		/* The acknowledgement never runs ahead of the echo it covers. */
		if (!probe.text_ok)
			fail_msg("key %d acknowledged before its echo showed", i);
		/* Quiet between keys: each is a batch of its own. */
		client_run(&c, 20, NULL, NULL);
	}
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	memcpy(sorted, lat, sizeof sorted);
	qsort(sorted, ECHO_KEYS, sizeof sorted[0], cmp_u64);
	fprintf(stderr, "echo_ack %s: key to acknowledgement min %llu median %llu max %llu ms\n",
	    echoes ? "with echo" : "without echo", (unsigned long long)sorted[0],
	    (unsigned long long)sorted[ECHO_KEYS / 2], (unsigned long long)sorted[ECHO_KEYS - 1]);
	client_close(&c);
}

/* A pane that echoes (cat on a canonical terminal: the kernel echoes) is
 * acknowledged once its echo is in the view; one that shows nothing (the
 * terminal's echo off) only ECHO_ACK_MS after the daemon applied the key,
 * which is after the client sent it: a lower bound that holds at any
 * speed. Both reach the last event. */
static void test_echo_ack(void **state)
{
	uint64_t lat[ECHO_KEYS];

	assert_int_equal(rmux(NULL, "new-session", "-d", "-s", "echo", "cat", (char *)NULL), 0);
	assert_int_equal(rmux(NULL, "new-session", "-d", "-s", "quiet", "sh", "-c",
	    "stty -echo; exec cat >/dev/null", (char *)NULL), 0);
	echo_run("echo", 1, lat);
	echo_run("quiet", 0, lat);
	for (int i = 0; i < ECHO_KEYS; i++) {
		if (lat[i] < ECHO_ACK_MS)
			fail_msg("key %d without echo acknowledged after %llu ms", i,
			    (unsigned long long)lat[i]);
	}
}

/* ---- the echo-off flag ---- */

struct flag_want {
	const char *line; /* the active pane shows this row */
	int echo_off;     /* and its echo-off flag is this */
};

static int has_echo_flag(struct client *c, const void *arg)
{
	const struct flag_want *w = arg;
	const struct view *v = client_view(c);

	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == v->active_pane)
			return has_line(c, w->line) &&
			       !!(v->pane[i].flags & VIEW_PANE_ECHO_OFF) == w->echo_off;
	}
	return 0;
}

static int active_echo_off(struct client *c)
{
	const struct view *v = client_view(c);

	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == v->active_pane)
			return !!(v->pane[i].flags & VIEW_PANE_ECHO_OFF);
	}
	fail_msg("no active pane");
	return -1;
}

/* Only a password prompt (ECHO clear, canonical mode kept: `read -s`)
 * is echo off; bash's line editor clears ECHO too but draws its own
 * echo, so its prompt must leave prediction on. The line typed at the
 * prompt is echoed by readline, which it does only once it has set the
 * terminal up, so the flag is checked after that. */
static void test_echo_off_flag(void **state)
{
	struct flag_want at_prompt = { "P> echo x", 0 };
	struct flag_want hidden = { "P> read -s x", 1 };
	struct flag_want back = { "[hunter2]", 0 };
	struct client c;

	assert_int_equal(rmux(NULL, "new-session", "-d", "-s", "pw", "sh", "-c",
	    "PS1='P> ' exec bash --norc --noprofile -i", (char *)NULL), 0);
	client_open(&c, "pw", NULL);
	assert_int_equal(input_stream_add_resize(client_input(&c), 80, 24), 0);
	assert_true(client_run(&c, WAIT_MS, has_line, "P>"));
	client_type(&c, "echo x");
	assert_true(client_run(&c, WAIT_MS, has_echo_flag, &at_prompt));
	/* It stays so while readline waits (no later frame sets it). */
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	client_run(&c, 200, NULL, NULL);
	assert_int_equal(active_echo_off(&c), 0);
	/* Erase the line, then ask for a hidden one. */
	client_type(&c, "\025read -s x\r");
	assert_true(client_run(&c, WAIT_MS, has_echo_flag, &hidden));
	client_type(&c, "hunter2\r");
	client_type(&c, "echo \"[$x]\"\r");
	assert_true(client_run(&c, WAIT_MS, has_echo_flag, &back));
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	client_run(&c, 200, NULL, NULL);
	assert_int_equal(active_echo_off(&c), 0);
	/* The hidden input never reached the screen. */
	assert_false(has_line(&c, "hunter2"));
	assert_false(has_line(&c, "P> hunter2"));
	client_close(&c);
}

/* ---- property: convergence over impaired links ---- */

#define PROPERTY_SEEDS 8
#define PROPERTY_WORDS 3

static uint64_t prop_rand(uint64_t *rng)
{
	*rng = *rng * 6364136223846793005ull + 1442695040888963407ull;
	return *rng >> 33;
}

/* Compare the received view with the daemon's panes: geometry, cursor,
 * active pane and every row (capture-pane). Under STRICT, a difference
 * fails the test with a message; otherwise it only returns 0. */
static int view_matches(struct client *c, const char *session, unsigned cols, unsigned rows,
    int strict)
{
	const struct view *v = client_view(c);
	char *list = rmux_text("list-panes", "-t", session, "-F",
	    "#{pane_id} #{pane_left} #{pane_top} #{pane_width} #{pane_height} #{cursor_x} "
	    "#{cursor_y} #{pane_active}", (char *)NULL);
	char *line = list, *nl, text[4096];
	size_t seen = 0;
	int ok = 1;

#define CHECK(cond) do { \
		if (!(cond)) { \
			if (strict) \
				fail_msg("view differs: %s (session %s)", #cond, session); \
			ok = 0; \
			goto out; \
		} \
	} while (0)
	CHECK(v->cols == cols && v->rows == rows);
	for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		unsigned id, x, y, w, h, cx, cy, active;
		const struct view_pane *p = NULL;
		char target[32], *cap, *cl;

		*nl = '\0';
		CHECK(sscanf(line, "%%%u %u %u %u %u %u %u %u", &id, &x, &y, &w, &h, &cx, &cy,
		    &active) == 8);
		for (size_t i = 0; i < v->npanes; i++) {
			if (v->pane[i].id == id)
				p = &v->pane[i];
		}
		CHECK(p != NULL);
		seen++;
		CHECK(p->x == x && p->y == y && p->cols == w && p->rows == h);
		CHECK(p->cx == cx && p->cy == cy);
		CHECK((v->active_pane == id) == (active == 1));
		snprintf(target, sizeof target, "%%%u", id);
		cap = rmux_text("capture-pane", "-p", "-t", target, (char *)NULL);
		cl = cap;
		for (unsigned r = 0; r < p->rows && ok; r++) {
			char *end = strchr(cl, '\n');

			link_row_text(p, r, text, sizeof text);
			if (end == NULL || (*end = '\0', strcmp(text, cl) != 0)) {
				if (strict)
					fail_msg("pane %s row %u: view '%s', capture '%s'", target, r,
					    text, end == NULL ? "(none)" : cl);
				ok = 0;
			}
			if (end != NULL)
				cl = end + 1;
		}
		if (ok && *cl != '\0') {
			if (strict)
				fail_msg("pane %s: capture has more rows than the view", target);
			ok = 0;
		}
		free(cap);
		if (!ok)
			goto out;
	}
	CHECK(seen == v->npanes);
#undef CHECK
out:
	free(list);
	return ok;
}

struct match_want {
	const char *session;
	unsigned cols, rows;
	uint64_t next; /* when to ask the daemon again */
};

/* view_matches(), asked at most every 200 ms so the client keeps running. */
static int views_converged(struct client *c, const void *arg)
{
	struct match_want *w = (struct match_want *)arg;
	uint64_t now = time_now_ms();

	if (now < w->next)
		return 0;
	w->next = now + 200;
	return view_matches(c, w->session, w->cols, w->rows, 0);
}

static void type_paced(struct client *c, const char *text, uint64_t ms)
{
	for (; *text != '\0'; text++) {
		assert_int_equal(input_stream_add_key(client_input(c), (uint8_t)*text), 0);
		client_run(c, ms, NULL, NULL);
	}
}

/* One seed: a session with two panes seen through a relay whose loss,
 * delay, jitter, duplication and reordering come from SEED (loss LOSS%),
 * with a blackout of 2-3.5 s and three roams (before, during, after it)
 * while keys, resizes and output in the other pane go on. */
static void property_run(unsigned seed, unsigned loss, unsigned server_port)
{
	uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 7, bo_start, bo_len, started, typed;
	char session[16], a_loss[8], a_delay[8], a_jitter[8], a_dup[8], a_reorder[8], a_seed[16];
	char a_bo[32], a_roam[3][16], words[PROPERTY_WORDS][24], expect[512], line[64];
	char *first, *other, *cap, keyfile[4200], catcmd[4300], got[512];
	const char *impair[32];
	FILE *f;
	struct client c;
	struct match_want want;
	unsigned relay_port, cols, rows;
	size_t n = 0, elen = 0;
	pid_t pid;
	int status;

	snprintf(session, sizeof session, "p%u", seed);
	snprintf(a_seed, sizeof a_seed, "%u", seed);
	snprintf(a_loss, sizeof a_loss, "%u", loss);
	snprintf(a_delay, sizeof a_delay, "%u", (unsigned)(prop_rand(&rng) % 40));
	snprintf(a_jitter, sizeof a_jitter, "%u", (unsigned)(prop_rand(&rng) % 30));
	snprintf(a_dup, sizeof a_dup, "%u", (unsigned)(prop_rand(&rng) % 11));
	snprintf(a_reorder, sizeof a_reorder, "%u", (unsigned)(prop_rand(&rng) % 11));
	bo_start = 600 + prop_rand(&rng) % 600;
	bo_len = 2000 + prop_rand(&rng) % 1500;
	snprintf(a_bo, sizeof a_bo, "%llu:%llu", (unsigned long long)bo_start,
	    (unsigned long long)bo_len);
	snprintf(a_roam[0], sizeof a_roam[0], "%llu", (unsigned long long)(bo_start - 300));
	snprintf(a_roam[1], sizeof a_roam[1], "%llu", (unsigned long long)(bo_start + bo_len / 2));
	snprintf(a_roam[2], sizeof a_roam[2], "%llu", (unsigned long long)(bo_start + bo_len + 400));
	impair[n++] = "--seed"; impair[n++] = a_seed;
	impair[n++] = "--loss"; impair[n++] = a_loss;
	impair[n++] = "--delay"; impair[n++] = a_delay;
	impair[n++] = "--jitter"; impair[n++] = a_jitter;
	impair[n++] = "--dup"; impair[n++] = a_dup;
	impair[n++] = "--reorder"; impair[n++] = a_reorder;
	impair[n++] = "--blackout-at"; impair[n++] = a_bo;
	for (int i = 0; i < 3; i++) {
		impair[n++] = "--roam-at";
		impair[n++] = a_roam[i];
	}
	impair[n++] = "--time-limit"; impair[n++] = "120";
	impair[n++] = "--quiet";
	impair[n] = NULL;
	for (int i = 0; i < PROPERTY_WORDS; i++) {
		size_t len = 8 + prop_rand(&rng) % 12;

		for (size_t j = 0; j < len; j++)
			words[i][j] = (char)('a' + prop_rand(&rng) % 26);
		words[i][len] = '\0';
		/* The terminal turns the typed CR into LF. */
		elen += (size_t)snprintf(expect + elen, sizeof expect - elen, "%s\n", words[i]);
	}
	snprintf(keyfile, sizeof keyfile, "%s/keys-%u", tmpdir, seed);
	snprintf(catcmd, sizeof catcmd, "exec cat > %s", keyfile);

	start_session(session);
	first = rmux_text("display-message", "-p", "-t", session, "#{pane_id}", (char *)NULL);
	first[strcspn(first, "\n")] = '\0';
	assert_int_equal(rmux(NULL, "split-window", "-h", "-t", session, (char *)NULL), 0);
	/* The typed pane records exactly the bytes its terminal delivers: a
	 * shell would mix typeahead into its own output. */
	assert_int_equal(rmux(NULL, "send-keys", "-t", session, catcmd, "Enter", (char *)NULL), 0);
	for (int i = 0; i < 1000 && access(keyfile, F_OK) != 0; i++)
		usleep(10000);
	assert_int_equal(access(keyfile, F_OK), 0);
	pid = start_relay(server_port, &relay_port, impair);
	started = time_now_ms();
	client_open(&c, session, &relay_port);
	cols = 70 + (unsigned)(prop_rand(&rng) % 50);
	rows = 18 + (unsigned)(prop_rand(&rng) % 12);
	assert_int_equal(input_stream_add_resize(client_input(&c), cols, rows), 0);
	for (int i = 0; i < PROPERTY_WORDS; i++) {
		snprintf(line, sizeof line, "%s\r", words[i]);
		type_paced(&c, line, 30);
		if (i == 0) {
			/* A resize and output elsewhere while the link is bad. */
			cols = 70 + (unsigned)(prop_rand(&rng) % 50);
			rows = 18 + (unsigned)(prop_rand(&rng) % 12);
			assert_int_equal(input_stream_add_resize(client_input(&c), cols, rows), 0);
			assert_int_equal(rmux(NULL, "send-keys", "-t", first, "echo side", "Enter",
			    (char *)NULL), 0);
		}
	}
	/* Typing must have straddled the blackout to mean anything. */
	typed = time_now_ms();
	assert_true(typed - started > bo_start);
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	fprintf(stderr, "property: seed %u: typed %llu ms, all applied at %llu ms", seed,
	    (unsigned long long)(typed - started), (unsigned long long)(time_now_ms() - started));
	want.session = session;
	want.cols = cols;
	want.rows = rows;
	want.next = 0;
	if (!client_run(&c, WAIT_MS, views_converged, &want))
		view_matches(&c, session, cols, rows, 1);
	fprintf(stderr, ", view equal at %llu ms\n", (unsigned long long)(time_now_ms() - started));
	/* Still equal a moment later: the match was not a passing glimpse. */
	client_run(&c, 300, NULL, NULL);
	want.next = 0;
	if (!client_run(&c, WAIT_MS, views_converged, &want))
		view_matches(&c, session, cols, rows, 1);

	/* Every key applied once, in order: what cat wrote is what was typed
	 * (cat has it once the view shows all applied and the screen settled). */
	other = rmux_text("display-message", "-p", "-t", session, "#{pane_id}", (char *)NULL);
	other[strcspn(other, "\n")] = '\0';
	assert_string_not_equal(first, other);
	f = fopen(keyfile, "r");
	assert_non_null(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, expect);
	cap = rmux_text("capture-pane", "-p", "-J", "-S", "-", "-t", first, (char *)NULL);
	assert_non_null(strstr(cap, "echo side\nside\n"));
	free(cap);
	free(first);
	free(other);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	client_close(&c);
	assert_int_equal(rmux(NULL, "kill-session", "-t", session, (char *)NULL), 0);
}

static void test_property(void **state)
{
	struct client probe;
	unsigned server_port;
	uint64_t t0 = time_now_ms();

	start_session("hold");
	client_open(&probe, "hold", NULL);
	server_port = udp_addr_port(&probe.lc.server);
	client_close(&probe);
	for (unsigned seed = 1; seed <= PROPERTY_SEEDS; seed++) {
		uint64_t t = time_now_ms();
		/* Loss spans 0% to 50%, the ends included. */
		unsigned loss = (seed - 1) * 50 / (PROPERTY_SEEDS - 1);

		property_run(seed, loss, server_port);
		fprintf(stderr, "property: seed %u loss %u%% converged in %llu ms\n", seed, loss,
		    (unsigned long long)(time_now_ms() - t));
	}
	fprintf(stderr, "property: %d seeds in %llu ms\n", PROPERTY_SEEDS,
	    (unsigned long long)(time_now_ms() - t0));
}

/* ---- flood ---- */

#define FLOOD_COUNT 100000
#define FLOOD_BURST 50
/* RSS the daemon may gain over the flood, in KiB: far below what keeping
 * anything per datagram would cost (100k datagrams). */
#define FLOOD_RSS_SLACK_KB 4096

static long daemon_rss_kb(long pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	assert_true(kb > 0);
	return kb;
}

/* Datagrams the kernel dropped at a UDP port for a full receive buffer
 * (/proc/net/udp{,6} "drops"), to report how many the daemon really read. */
static unsigned long udp_port_drops(unsigned port)
{
	static const char *const files[] = { "/proc/net/udp", "/proc/net/udp6" };
	unsigned long total = 0;

	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "r");
		char line[512];

		if (f == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL) {
			char *colon = strchr(line, ':'), *last;
			unsigned lport;

			/* "sl: local_address:port ..." */
			if (colon == NULL || (colon = strchr(colon + 1, ':')) == NULL ||
			    sscanf(colon + 1, "%x", &lport) != 1 || lport != port)
				continue;
			last = strrchr(line, ' ');
			if (last != NULL)
				total += strtoul(last + 1, NULL, 10);
		}
		fclose(f);
	}
	return total;
}

/* Datagram K of the flood into OUT: random bytes, random bytes behind the
 * connection's clear id, verbatim replays, and flipped or cut replays.
 * Returns its length; *OWN says to send it from the client's own socket. */
static size_t flood_datagram(const struct client *c, uint64_t *rng, unsigned long k,
    uint8_t *out, int *own)
{
	size_t n = c->nsent < CLIENT_SENT ? c->nsent : CLIENT_SENT;
	size_t pick = (size_t)(prop_rand(rng) % n), len;

	*own = 0;
	switch (k % 4) {
	case 0:
	case 1:
		len = (size_t)(prop_rand(rng) % 1400);
		for (size_t j = 0; j < len; j++)
			out[j] = (uint8_t)prop_rand(rng);
		if (k % 4 == 1 && len >= 4)
			memcpy(out, c->sent[pick], 4);
		return len;
	case 2:
		len = c->sentlen[pick];
		memcpy(out, c->sent[pick], len);
		*own = (k / 4) % 2;
		return len;
	default:
		len = c->sentlen[pick];
		memcpy(out, c->sent[pick], len);
		if (k % 8 == 3)
			out[prop_rand(rng) % len] ^= (uint8_t)(1u << (prop_rand(rng) % 8));
		else
			len = (size_t)(prop_rand(rng) % len);
		*own = (k / 8) % 2;
		return len;
	}
}

static void test_flood(void **state)
{
	struct client c;
	struct udp_addr loop;
	uint8_t pkt[1400];
	uint64_t rng = 99, t0;
	char text[160], expect[128], *pidtext, *cap, *hit;
	unsigned long drops0, drops1, k = 0;
	long pid, rss0, rss1;
	size_t typed = 0, tlen;
	int foreign, own;

	/* Under AddressSanitizer, freed memory waits in a quarantine (256 MiB
	 * by default) that would read as growth: the daemon started here
	 * frees at once. */
	{
		const char *old = getenv("ASAN_OPTIONS");
		char opts[512];

		snprintf(opts, sizeof opts, "%s%squarantine_size_mb=0", old != NULL ? old : "",
		    old != NULL && *old != '\0' ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	start_session("f");
	client_open(&c, "f", NULL);
	assert_int_equal(input_stream_add_resize(client_input(&c), 100, 30), 0);
	assert_true(client_run(&c, WAIT_MS, has_prompt, NULL));
	client_type(&c, "echo before''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "before"));
	assert_true(c.nsent > 0);
	pidtext = rmux_text("display-message", "-p", "#{pid}", (char *)NULL);
	pid = strtol(pidtext, NULL, 10);
	free(pidtext);
	assert_true(pid > 0);
	assert_int_equal(udp_addr_parse("127.0.0.1:0", &loop), 0);
	foreign = udp_bind(&loop, 0, 0, NULL);
	assert_true(foreign >= 0);
	for (int i = 0; i < 90; i++)
		expect[i] = (char)('a' + (i * 11) % 26);
	expect[90] = '\0';
	tlen = (size_t)snprintf(text, sizeof text, "echo %s''\r", expect);

	/* A first tenth warms the daemon's allocator up; RSS is measured
	 * after it, then the whole flood follows while the client types. */
	drops0 = udp_port_drops(udp_addr_port(&c.lc.server));
	t0 = time_now_ms();
	for (int round = 0; round < 2; round++) {
		unsigned long end = round == 0 ? FLOOD_COUNT / 10 : FLOOD_COUNT / 10 + FLOOD_COUNT;

		if (round == 1) {
			client_run(&c, 500, NULL, NULL);
			rss0 = daemon_rss_kb(pid);
		}
		while (k < end) {
			for (int b = 0; b < FLOOD_BURST && k < end; b++, k++) {
				size_t len = flood_datagram(&c, &rng, k, pkt, &own);

				(void)udp_send(own ? c.lc.fd : foreign, pkt, len, &c.lc.server);
			}
			if (round == 1 && typed < tlen && (k / FLOOD_BURST) % 16 == 0) {
				assert_int_equal(input_stream_add_key(client_input(&c),
				    (uint8_t)text[typed]), 0);
				typed++;
			}
			client_run(&c, 1, NULL, NULL);
		}
	}
	for (; typed < tlen; typed++)
		assert_int_equal(input_stream_add_key(client_input(&c), (uint8_t)text[typed]), 0);
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	assert_true(client_run(&c, WAIT_MS, has_line, expect));
	client_run(&c, 500, NULL, NULL);
	rss1 = daemon_rss_kb(pid);
	drops1 = udp_port_drops(udp_addr_port(&c.lc.server));
	fprintf(stderr, "flood: %lu datagrams in %llu ms, %lu dropped by the kernel; daemon RSS "
	    "%ld -> %ld KiB\n", k, (unsigned long long)(time_now_ms() - t0), drops1 - drops0,
	    rss0, rss1);
	assert_true(rss1 <= rss0 + FLOOD_RSS_SLACK_KB);

	/* Typed during the flood: applied once, in order. */
	cap = rmux_text("capture-pane", "-p", "-J", "-t", "f", (char *)NULL);
	hit = strstr(cap, expect);
	assert_non_null(hit);
	assert_non_null(strstr(hit + 1, expect));
	assert_null(strstr(strstr(hit + 1, expect) + 1, expect));
	free(cap);
	/* Still the same connection, still live. */
	client_type(&c, "echo after''\r");
	assert_true(client_run(&c, WAIT_MS, has_line, "after"));
	assert_true(client_run(&c, WAIT_MS, all_applied, NULL));
	assert_int_equal(rmux(NULL, "has-session", "-t", "f", (char *)NULL), 0);
	close(foreign);
	client_close(&c);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest basic[] = {
		cmocka_unit_test_setup_teardown(test_direct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_off_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detach_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_d, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_clients, setup, teardown),
	};
	const struct CMUnitTest property[] = {
		cmocka_unit_test_setup_teardown(test_property, setup, teardown),
	};
	const struct CMUnitTest flood[] = {
		cmocka_unit_test_setup_teardown(test_flood, setup, teardown),
	};
	const char *group = argc > 3 ? argv[3] : "basic";
	int rc;

	if (argc < 3 || argc > 4 || (strcmp(group, "basic") != 0 && strcmp(group, "property") != 0 &&
	    strcmp(group, "flood") != 0)) {
		fprintf(stderr, "usage: %s RMUX RELAY [basic|property|flood]\n", argv[0]);
		return 1;
	}
	rmux_path = argv[1];
	relay_path = argv[2];
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	/* A private socket directory and a plain shell with a fixed prompt. */
	setenv("RMUX_TMPDIR", tmpdir, 1);
	setenv("SHELL", "/bin/sh", 1);
	setenv("PS1", "$ ", 1);
	unsetenv("ENV");
	unsetenv("RMUX");
	unsetenv("RMUX_PANE");
	if (strcmp(group, "property") == 0)
		rc = cmocka_run_group_tests_name("property", property, NULL, NULL);
	else if (strcmp(group, "flood") == 0)
		rc = cmocka_run_group_tests_name("flood", flood, NULL, NULL);
	else
		rc = cmocka_run_group_tests_name("basic", basic, NULL, NULL);
	{
		char cmd[256];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			rc = rc != 0 ? rc : 1;
	}
	return rc;
}
