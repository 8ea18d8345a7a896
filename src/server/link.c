/* link.c — the daemon's UDP side (see link.h). One socket serves every
 * connection; a datagram's clear connection id picks the transport, which
 * authenticates it or drops it without a reply. Input events are applied
 * as they arrive, in order; views are rebuilt from the sessions on each
 * pass, which runs on the daemon's loop turns (pane output wakes the
 * daemon) and on this module's timer: the transport's next wakeup, the
 * echo acknowledgement's, and while anything moved lately the periodic
 * full rebuild's (window names, the status clock). With no traffic the
 * only wakeups left are the transport's heartbeats. See doc/PROTOCOL.md
 * 8.2 for the echo_ack rule. */
#include "server/link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/datagram.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"
#include "net/view.h"
#include "server/cmd.h"
#include "server/daemon.h"
#include "server/keys.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/view_build.h"
#include "server/window.h"
#include "term/screen.h"
#include "term/vt.h"

/* Full rebuilds on the timer go on this long after the last input or
 * change; later ones ride on the heartbeats. */
#define LINK_BUSY_MS 5000
/* echo_ack: an input event is acknowledged this long after it was applied,
 * or LINK_ECHO_QUIET_MS after the last output that followed its write
 * (the client checks its predictions against the view at that point, so
 * a quiet moment after the echo is a better point than a fixed delay). */
#define LINK_ECHO_ACK_MS 50
#define LINK_ECHO_QUIET_MS 5
/* Batches of applied events awaiting their acknowledgement. */
#define LINK_ECHO_MAX 64
/* Datagrams read per callback: a flood must not starve the panes. */
#define LINK_READ_BURST 256
#define LINK_PACKET_MAX 65536
/* A connection whose session is gone lingers this long so the client
 * can learn it from an empty view. */
#define LINK_GONE_MS 10000
/* The client's size until it reports one. */
#define LINK_DEFAULT_COLS 80
#define LINK_DEFAULT_ROWS 24

struct link_conn {
	uint32_t id;
	struct transport *t;
	struct view_build *vb;
	int session_id;
	unsigned cols, rows;
	int sized;          /* the client has reported its size */
	uint64_t applied;   /* number of the last input event applied */
	uint64_t created;
	uint64_t activity;  /* last input: window-size latest follows it */
	uint64_t gone_at;   /* when its session went, or 0 */
	int force;          /* rebuild the view in full on the next pass */
	/* Applied events not yet in echo_ack: the newest of each batch, when
	 * it was applied, whether output followed its write. */
	struct {
		uint64_t num;
		uint64_t at;
		int armed;      /* a pass after the one that applied it ran */
		int seen;
	} echo[LINK_ECHO_MAX];
	size_t necho;
	uint64_t output_at; /* the last pass that saw the session change */
	struct link_conn *next;
};

static struct link_conn *conns;
static size_t nconns;
static int sock_fd = -1;
static unsigned sock_port;
static struct event *ev_read;
static struct event *ev_timer;
static uint64_t last_busy;
static uint8_t packet[LINK_PACKET_MAX];

size_t link_count(void)
{
	return nconns;
}

unsigned link_port(void)
{
	return sock_port;
}

static void conn_free(struct link_conn *c)
{
	transport_free(c->t);
	view_build_free(c->vb);
	free(c);
}

static void conn_drop(struct link_conn *c, const char *why)
{
	struct link_conn **cp;

	for (cp = &conns; *cp != NULL; cp = &(*cp)->next) {
		if (*cp == c) {
			*cp = c->next;
			nconns--;
			break;
		}
	}
	log_debug("link: connection %08x dropped (%s)", c->id, why);
	conn_free(c);
}

static struct link_conn *conn_find(uint32_t id)
{
	struct link_conn *c;

	for (c = conns; c != NULL; c = c->next) {
		if (c->id == id)
			return c;
	}
	return NULL;
}

/* ---- window sizes ---- */

/* The size the windows of S take from its clients, by the window-size
 * option of W (largest, smallest, manual, latest). 0 if no client says. */
static int policy_size(struct session *s, struct window *w, unsigned *sx, unsigned *sy)
{
	long long policy = options_get_number(w->options, "window-size");
	unsigned nstatus = view_build_status_lines(s);
	struct link_conn *c, *latest = NULL;
	int found = 0;

	if (policy == 2)
		return 0;
	for (c = conns; c != NULL; c = c->next) {
		unsigned cx, cy;

		if (c->session_id != s->id || !c->sized)
			continue;
		cx = c->cols;
		cy = c->rows > nstatus ? c->rows - nstatus : 1;
		if (policy == 3) {
			if (latest == NULL || c->activity >= latest->activity) {
				latest = c;
				*sx = cx;
				*sy = cy;
				found = 1;
			}
			continue;
		}
		if (!found) {
			*sx = cx;
			*sy = cy;
		} else if (policy == 0) {
			*sx = RMUX_MAX(*sx, cx);
			*sy = RMUX_MAX(*sy, cy);
		} else {
			*sx = RMUX_MIN(*sx, cx);
			*sy = RMUX_MIN(*sy, cy);
		}
		found = 1;
	}
	return found;
}

static void resize_session(struct session *s)
{
	struct window *w;

	for (w = s->windows; w != NULL; w = w->next) {
		unsigned sx, sy, cx, cy;

		if (!policy_size(s, w, &sx, &sy))
			continue;
		sx = RMUX_MIN(sx, (unsigned)INPUT_SIZE_MAX);
		sy = RMUX_MIN(sy, (unsigned)INPUT_SIZE_MAX);
		if (w == s->cur) {
			/* New windows open at the size clients show. */
			s->sx = sx;
			s->sy = sy;
		}
		window_size(w, &cx, &cy);
		if (cx == sx && cy == sy)
			continue;
		layout_resize(w->layout, sx, sy);
		window_apply_layout(w);
	}
}

/* ---- input events ---- */

static void write_focus(struct pane *p, int in)
{
	if (p->copy == NULL && (vt_screen(p->vt)->modes & MODE_FOCUS))
		pane_write(p, in ? "\033[I" : "\033[O", 3);
}

static void apply_paste(struct pane *p, const uint8_t *data, size_t len)
{
	int bracket = (vt_screen(p->vt)->modes & MODE_BRACKETED_PASTE) != 0;

	if (p->copy != NULL)
		return;
	if (bracket)
		pane_write(p, "\033[200~", 6);
	pane_write(p, data, len);
	if (bracket)
		pane_write(p, "\033[201~", 6);
}

/* The key path maps the event to the layout and the status line, as the
 * client sees them at its size. */
static void apply_mouse(struct link_conn *c, struct session *s, const struct input_event *ev)
{
	struct keys_mouse_event me = { ev->kind, ev->button, ev->x, ev->y, ev->mods,
		c->sized ? c->cols : LINK_DEFAULT_COLS, c->sized ? c->rows : LINK_DEFAULT_ROWS };

	keys_mouse(s, &me);
}

/* A client-side command: run as if typed in the active pane. */
static void apply_command(struct session *s, const struct input_event *ev)
{
	struct ctlmsg_command req;
	struct buf out, err;
	char var[32], *env[1];
	char **argv;
	struct pane *p = s->cur != NULL ? s->cur->active : NULL;

	if (ev->argc == 0)
		return;
	argv = xcalloc(ev->argc + 1, sizeof *argv);
	for (unsigned i = 0; i < ev->argc; i++)
		argv[i] = (char *)input_event_arg(ev, i);
	memset(&req, 0, sizeof req);
	req.cwd = (char *)"/";
	if (p != NULL) {
		snprintf(var, sizeof var, "RMUX_PANE=%%%d", p->id);
		env[0] = var;
		req.env = env;
		req.envc = 1;
	}
	req.argc = (int)ev->argc;
	req.argv = argv;
	buf_init(&out);
	buf_init(&err);
	cmd_execute(&req, (int)ev->argc, argv, &out, &err);
	buf_free(&out);
	buf_free(&err);
	free(argv);
}

static void apply_event(struct link_conn *c, const struct input_event *ev)
{
	struct session *s = session_find_id(c->session_id);
	struct pane *p;
	struct cmd_ctx ctx;
	struct buf out, err;

	if (ev->type == INPUT_RESIZE) {
		c->cols = ev->cols;
		c->rows = ev->rows;
		c->sized = 1;
	}
	if (s == NULL || s->cur == NULL)
		return;
	p = s->cur->active;
	switch (ev->type) {
	case INPUT_KEY:
		if (p == NULL)
			break;
		memset(&ctx, 0, sizeof ctx);
		buf_init(&out);
		buf_init(&err);
		ctx.out = &out;
		ctx.err = &err;
		ctx.cur_pane = p;
		keys_dispatch(&ctx, s, &p, ev->key);
		buf_free(&out);
		buf_free(&err);
		break;
	case INPUT_PASTE:
		if (p != NULL)
			apply_paste(p, ev->data, ev->len);
		break;
	case INPUT_MOUSE:
		apply_mouse(c, s, ev);
		break;
	case INPUT_FOCUS:
		if (p != NULL)
			write_focus(p, ev->focus_in);
		break;
	case INPUT_COMMAND:
		apply_command(s, ev);
		break;
	default:
		break;
	}
}

static void echo_add(struct link_conn *c, uint64_t now);

/* The events that arrived since the last call, each applied once. */
static void apply_input(struct link_conn *c, uint64_t now)
{
	struct input_stream *in = input_stream_create();
	struct session *s;
	struct buf diff;

	buf_init(&diff);
	transport_remote_diff(c->t, &diff);
	if (input_stream_decode(diff.data, diff.len, in) == 0) {
		size_t n = input_stream_count(in);

		for (size_t i = 0; i < n; i++) {
			const struct input_event *ev = input_stream_event(in, i);

			if (ev->num <= c->applied)
				continue;
			c->applied = ev->num;
			c->activity = now;
			apply_event(c, ev);
			/* A command may have freed anything: look again. */
			if (conn_find(c->id) != c)
				break;
		}
	}
	buf_free(&diff);
	input_stream_free(in);
	s = session_find_id(c->session_id);
	if (s != NULL)
		resize_session(s);
	echo_add(c, now);
	c->force = 1;
	last_busy = now;
}

/* ---- echo acknowledgement ---- */

static void echo_add(struct link_conn *c, uint64_t now)
{
	size_t n = c->necho;

	if (n > 0 && c->echo[n - 1].num >= c->applied)
		return;
	/* Out of room or in the same millisecond: the newest batch takes
	 * these events too and is acknowledged later, never sooner. */
	if (n == LINK_ECHO_MAX || (n > 0 && c->echo[n - 1].at == now && !c->echo[n - 1].armed)) {
		c->echo[n - 1].num = c->applied;
		c->echo[n - 1].at = now;
		c->echo[n - 1].armed = 0;
		c->echo[n - 1].seen = 0;
		return;
	}
	c->echo[n].num = c->applied;
	c->echo[n].at = now;
	c->echo[n].armed = 0;
	c->echo[n].seen = 0;
	c->necho++;
}

/* Whether the writes of the events applied so far have reached the
 * active pane's program: output read before that cannot be their echo. */
static int writes_flushed(struct session *s)
{
	struct pane *p = s != NULL && s->cur != NULL ? s->cur->active : NULL;

	return p == NULL || p->out.len == 0;
}

/* After a pass built the view at NOW (OUTPUT: the session changed):
 * move echo_ack to the newest batch that is due. Returns the time the
 * next one is due, or TRANSPORT_NEVER. */
static uint64_t echo_update(struct link_conn *c, struct session *s, int output, uint64_t now)
{
	uint64_t wake = TRANSPORT_NEVER, ack = 0;
	size_t i, done = 0;

	if (output) {
		int flushed = writes_flushed(s);

		c->output_at = now;
		for (i = 0; i < c->necho && flushed; i++) {
			if (c->echo[i].armed)
				c->echo[i].seen = 1;
		}
	}
	for (i = 0; i < c->necho; i++)
		c->echo[i].armed = 1;
	/* Batches are in order and a newer one is never seen before an older
	 * one, so the acknowledged ones are a prefix. */
	for (i = 0; i < c->necho; i++) {
		if (now - c->echo[i].at < LINK_ECHO_ACK_MS &&
		    (!c->echo[i].seen || now - c->output_at < LINK_ECHO_QUIET_MS))
			break;
		ack = c->echo[i].num;
		done++;
	}
	if (done > 0) {
		memmove(&c->echo[0], &c->echo[done], (c->necho - done) * sizeof c->echo[0]);
		c->necho -= done;
		view_set_echo_ack(transport_current_state(c->t), ack);
	}
	if (c->necho > 0) {
		wake = c->echo[0].at + LINK_ECHO_ACK_MS;
		if (c->echo[0].seen)
			wake = RMUX_MIN(wake, c->output_at + LINK_ECHO_QUIET_MS);
	}
	return wake;
}

/* ---- the pass ---- */

static void schedule(uint64_t now, uint64_t wake)
{
	struct timeval tv;
	uint64_t ms;

	if (nconns == 0) {
		evtimer_del(ev_timer);
		return;
	}
	if (now - last_busy < LINK_BUSY_MS)
		wake = RMUX_MIN(wake, now + VIEW_BUILD_FULL_MS);
	if (wake == TRANSPORT_NEVER) {
		evtimer_del(ev_timer);
		return;
	}
	ms = wake <= now ? 0 : wake - now;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	evtimer_add(ev_timer, &tv);
}

static void conn_send(struct link_conn *c, uint64_t now)
{
	const struct udp_addr *to = transport_peer(c->t, now);
	const uint8_t *data;
	size_t len;

	while (transport_pop(c->t, &data, &len)) {
		/* A full socket buffer is a loss the transport recovers. */
		if (to != NULL)
			(void)udp_send(sock_fd, data, len, to);
	}
}

static void pass(uint64_t now)
{
	long long timeout = options_get_number(global_options, "connection-timeout");
	struct link_conn *c, *next;
	uint64_t wake = TRANSPORT_NEVER;

	for (c = conns; c != NULL; c = next) {
		struct session *s = session_find_id(c->session_id);
		uint64_t heard = RMUX_MAX(transport_last_heard(c->t), c->created), w;
		int changed;

		next = c->next;
		if (timeout > 0 && now - heard > (uint64_t)timeout * 1000) {
			conn_drop(c, "connection-timeout");
			continue;
		}
		if (transport_dead(c->t)) {
			conn_drop(c, "sequence numbers used up");
			continue;
		}
		if (s == NULL && c->gone_at == 0)
			c->gone_at = now;
		if (c->gone_at != 0 && now - c->gone_at > LINK_GONE_MS) {
			conn_drop(c, "session gone");
			continue;
		}
		changed = view_build_update(c->vb, transport_current_state(c->t), s,
		    c->sized ? c->cols : LINK_DEFAULT_COLS, c->sized ? c->rows : LINK_DEFAULT_ROWS,
		    now, c->force);
		c->force = 0;
		if (changed == 2)
			last_busy = now;
		w = echo_update(c, s, changed == 2, now);
		wake = RMUX_MIN(wake, w);
		w = transport_tick(c->t, now);
		conn_send(c, now);
		wake = RMUX_MIN(wake, w);
	}
	schedule(now, wake);
}

void link_turn(void)
{
	if (nconns > 0)
		pass(time_now_ms());
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
	pass(time_now_ms());
}

static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct udp_addr from;
	uint64_t now = time_now_ms();
	int got = 0;

	for (int i = 0; i < LINK_READ_BURST; i++) {
		struct link_conn *c;
		uint32_t id;
		ssize_t n = udp_recv(sock_fd, packet, sizeof packet, &from);

		if (n < 0)
			break;
		/* Longer than the buffer: cut, so not authentic anyway. */
		if ((size_t)n > sizeof packet)
			continue;
		if (datagram_peek_conn_id(packet, (size_t)n, &id) != 0)
			continue;
		c = conn_find(id);
		if (c == NULL)
			continue;
		got = 1;
		if (transport_receive(c->t, packet, (size_t)n, &from, now) == 1)
			apply_input(c, now);
	}
	if (got)
		pass(now);
}

/* ---- connections ---- */

static int link_bind(unsigned port, char **cause)
{
	struct udp_addr any, bound;
	unsigned first = port != 0 ? port : UDP_PORT_FIRST;
	unsigned last = port != 0 ? port : UDP_PORT_LAST;
	int fd = -1;

	if (sock_fd >= 0) {
		if (port != 0 && port != sock_port) {
			*cause = xasprintf("the server's UDP port is already %u", sock_port);
			return -1;
		}
		return 0;
	}
	/* The IPv6 wildcard takes IPv4 too; some hosts have no IPv6. */
	if (udp_addr_resolve(NULL, 0, AF_INET6, &any) == 0)
		fd = udp_bind(&any, first, last, &bound);
	if (fd < 0 && errno != EADDRINUSE && udp_addr_resolve(NULL, 0, AF_INET, &any) == 0)
		fd = udp_bind(&any, first, last, &bound);
	if (fd < 0) {
		if (errno == EADDRINUSE && port == 0)
			*cause = xasprintf("no free UDP port from %u to %u", first, last);
		else
			*cause = xasprintf("can't bind UDP port %u: %s", first, strerror(errno));
		return -1;
	}
	sock_fd = fd;
	sock_port = udp_addr_port(&bound);
	ev_read = event_new(daemon_base(), sock_fd, EV_READ | EV_PERSIST, read_cb, NULL);
	event_add(ev_read, NULL);
	ev_timer = evtimer_new(daemon_base(), timer_cb, NULL);
	log_debug("link: UDP port %u", sock_port);
	return 0;
}

int link_connection_new(struct session *s, unsigned port, unsigned *bound_port,
    char key_text[CRYPTO_KEY_TEXT_SIZE], char **cause)
{
	uint8_t key[CRYPTO_KEY_LEN];
	struct view *initial_view;
	struct input_stream *initial_input;
	struct link_conn *c;
	uint32_t id;
	uint64_t now = time_now_ms();

	if (nconns >= LINK_CONN_MAX) {
		*cause = xasprintf("too many connections (%d)", LINK_CONN_MAX);
		return -1;
	}
	if (link_bind(port, cause) != 0)
		return -1;
	do {
		crypto_key_generate(key);
		id = crypto_key_id(key);
	} while (conn_find(id) != NULL);

	c = xcalloc(1, sizeof *c);
	c->id = id;
	c->session_id = s->id;
	c->cols = LINK_DEFAULT_COLS;
	c->rows = LINK_DEFAULT_ROWS;
	c->created = now;
	c->activity = now;
	c->vb = view_build_create();
	/* Both ends start from an empty view and an empty input stream. */
	initial_view = view_create();
	initial_input = input_stream_create();
	c->t = transport_create(TRANSPORT_SERVER, key, id, &view_ops, initial_view,
	    &input_stream_ops, initial_input, now);
	view_free(initial_view);
	input_stream_free(initial_input);
	crypto_key_encode(key, key_text);
	explicit_bzero(key, sizeof key);
	c->force = 1;
	c->next = conns;
	conns = c;
	nconns++;
	*bound_port = sock_port;
	last_busy = now;
	log_debug("link: connection %08x for session $%d", id, s->id);
	pass(now);
	return 0;
}

void link_free_all(void)
{
	struct link_conn *c;

	while ((c = conns) != NULL) {
		conns = c->next;
		conn_free(c);
	}
	nconns = 0;
	if (ev_read != NULL)
		event_free(ev_read);
	if (ev_timer != NULL)
		event_free(ev_timer);
	ev_read = ev_timer = NULL;
	if (sock_fd >= 0)
		close(sock_fd);
	sock_fd = -1;
	sock_port = 0;
}
