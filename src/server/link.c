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
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/datagram.h"
#include "net/history.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"
#include "net/view.h"
#include "server/cmd.h"
#include "server/daemon.h"
#include "server/history_feed.h"
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
/* A detached connection stays until the client acknowledges the view
 * that says so, or this long. */
#define LINK_DETACH_MS 10000
/* Longest terminal name kept for a client. */
#define LINK_TERM_MAX 64
/* The client's size until it reports one. */
#define LINK_DEFAULT_COLS 80
#define LINK_DEFAULT_ROWS 24

struct link_conn {
	uint32_t id;
	struct transport *t;
	/* The history channel: its own key and id, the scheduling. */
	uint32_t hid;
	struct transport *ht;
	struct history_feed *feed;
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
	/* What list-clients shows. */
	struct udp_addr addr; /* newest source address, if HAVE_ADDR */
	int have_addr;
	char term[LINK_TERM_MAX];
	time_t created_time, activity_time;
	int focused;
	int last_session_id; /* before switch-client, or -1 */
	/* Detached: the view says so and is built no more; the connection
	 * goes once a state sent after DETACH_SENT is acknowledged. */
	int detached;
	uint64_t detach_at;
	uint64_t detach_sent;
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
/* The connection whose input is being applied: commands its keys run
 * act on it (detach-client, switch-client with no -t). */
static struct link_conn *current;

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
	transport_free(c->ht);
	history_feed_free(c->feed);
	view_build_free(c->vb);
	free(c);
}

static void conn_drop(struct link_conn *c, const char *why)
{
	struct link_conn **cp;

	if (current == c)
		current = NULL;

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

/* The connection either of whose channels has id ID; *HISTORY says which. */
static struct link_conn *conn_find_channel(uint32_t id, int *history)
{
	struct link_conn *c;

	for (c = conns; c != NULL; c = c->next) {
		if (c->id == id || c->hid == id) {
			*history = c->id != id;
			return c;
		}
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
	if (ev->type == INPUT_FOCUS)
		c->focused = ev->focus_in != 0;
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
	int gone = 0;

	buf_init(&diff);
	transport_remote_diff(c->t, &diff);
	if (input_stream_decode(diff.data, diff.len, in) == 0) {
		size_t n = input_stream_count(in);

		for (size_t i = 0; i < n; i++) {
			const struct input_event *ev = input_stream_event(in, i);

			if (ev->num <= c->applied)
				continue;
			c->applied = ev->num;
			/* Keys typed before the client saw it was detached
			 * go nowhere. */
			if (c->detached)
				continue;
			c->activity = now;
			c->activity_time = time(NULL);
			current = c;
			apply_event(c, ev);
			/* A command may have dropped the connection
			 * (conn_drop() clears CURRENT). */
			gone = current != c;
			current = NULL;
			if (gone)
				break;
		}
	}
	buf_free(&diff);
	input_stream_free(in);
	if (gone)
		return;
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

static void conn_send_one(struct transport *t, uint64_t now)
{
	const struct udp_addr *to = transport_peer(t, now);
	const uint8_t *data;
	size_t len;

	while (transport_pop(t, &data, &len)) {
		/* A full socket buffer is a loss the transport recovers. */
		if (to != NULL)
			(void)udp_send(sock_fd, data, len, to);
	}
}

static void conn_send(struct link_conn *c, uint64_t now)
{
	conn_send_one(c->t, now);
	conn_send_one(c->ht, now);
}

/* The history channel's turn: chunks for the panes the view shows, as
 * the feed's rules allow, then its transport's tick. Live frames go in
 * their own datagrams, first (conn_send). */
static uint64_t history_pass(struct link_conn *c, struct session *s, uint64_t now)
{
	const struct view *v = transport_current_state(c->t);
	uint32_t ids[VIEW_PANES_MAX];
	size_t n = 0;
	long long limit = s != NULL ? options_get_number(s->options, "client-history-limit") : 0;
	/* Busy while a live change is unacknowledged; an ack or heartbeat
	 * without data is acknowledged only with the client's next message,
	 * so the state numbers alone would keep it busy at idle. */
	int busy = transport_unacked_data(c->t);

	for (size_t i = 0; i < v->npanes && n < VIEW_PANES_MAX; i++)
		ids[n++] = v->pane[i].id;
	if (limit < 0)
		limit = 0;
	/* The transport drops what the client acknowledged from the stream
	 * when it ticks: tick first, or the window this acknowledgement
	 * opens would stay shut until some later pass. */
	(void)transport_tick(c->ht, now);
	(void)history_feed_update(c->feed, transport_current_state(c->ht), ids, n,
	    history_feed_pane_lookup, c->feed, transport_remote_state(c->ht),
	    (unsigned)RMUX_MIN(limit, (long long)HISTORY_LIMIT_MAX), busy, now);
	/* The flood's end by time needs a pass (its end by the live view's
	 * acknowledgement brings one). */
	return RMUX_MIN(transport_tick(c->ht, now), history_feed_wake(c->feed));
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
		if (c->detached) {
			/* The view stays as it was, with VIEW_DETACHED. */
			if (transport_acked_num(c->t) > c->detach_sent) {
				conn_drop(c, "detached");
				continue;
			}
			/* NOW may predate the detach (a key of this pass). */
			if (now > c->detach_at && now - c->detach_at > LINK_DETACH_MS) {
				conn_drop(c, "detached, unacknowledged");
				continue;
			}
			w = transport_tick(c->t, now);
			wake = RMUX_MIN(wake, w);
			w = transport_tick(c->ht, now);
			conn_send(c, now);
			wake = RMUX_MIN(wake, w);
			wake = RMUX_MIN(wake, c->detach_at + LINK_DETACH_MS + 1);
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
		wake = RMUX_MIN(wake, w);
		w = history_pass(c, s, now);
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

/* The address list-clients names the client by: where the daemon
 * sends to, which follows the client when it roams. */
static void conn_note_addr(struct link_conn *c, uint64_t now)
{
	const struct udp_addr *a = transport_peer(c->t, now);

	if (a != NULL) {
		c->addr = *a;
		c->have_addr = 1;
	}
}

static void read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct udp_addr from;
	uint64_t now = time_now_ms();
	int got = 0;

	for (int i = 0; i < LINK_READ_BURST; i++) {
		struct link_conn *c;
		uint32_t id;
		int r, history = 0;
		ssize_t n = udp_recv(sock_fd, packet, sizeof packet, &from);

		if (n < 0)
			break;
		/* Longer than the buffer: cut, so not authentic anyway. */
		if ((size_t)n > sizeof packet)
			continue;
		if (datagram_peek_conn_id(packet, (size_t)n, &id) != 0)
			continue;
		c = conn_find_channel(id, &history);
		if (c == NULL)
			continue;
		got = 1;
		if (history) {
			/* The wants are read where they are used. */
			(void)transport_receive(c->ht, packet, (size_t)n, &from, now);
			continue;
		}
		r = transport_receive(c->t, packet, (size_t)n, &from, now);
		if (r >= 0) {
			const struct udp_addr *a = transport_peer(c->t, now);

			conn_note_addr(c, now);
			/* Roaming: the history channel follows the live one,
			 * and hearing the client there keeps it in touch. */
			if (a != NULL)
				transport_set_peer(c->ht, a);
			transport_heard(c->ht, now);
		}
		if (r == 1)
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

/* TERM as the client's environment gave it, printable, or "unknown". */
static void term_copy(char *out, const char *term)
{
	size_t n = 0;

	for (; term != NULL && *term != '\0' && n < LINK_TERM_MAX - 1; term++) {
		if ((unsigned char)*term > 0x20 && (unsigned char)*term < 0x7f)
			out[n++] = *term;
	}
	if (n == 0) {
		snprintf(out, LINK_TERM_MAX, "unknown");
		return;
	}
	out[n] = '\0';
}

int link_connection_new(struct session *s, const char *term, unsigned port, unsigned *bound_port,
    char key_text[CRYPTO_KEY_TEXT_SIZE], char **cause)
{
	uint8_t key[CRYPTO_KEY_LEN], hkey[CRYPTO_KEY_LEN];
	struct view *initial_view;
	struct input_stream *initial_input;
	struct history_stream *initial_history;
	struct history_wants *initial_wants;
	struct link_conn *c, **cp;
	uint32_t id, hid;
	int dummy;
	uint64_t now = time_now_ms();

	if (nconns >= LINK_CONN_MAX) {
		*cause = xasprintf("too many connections (%d)", LINK_CONN_MAX);
		return -1;
	}
	if (link_bind(port, cause) != 0)
		return -1;
	/* Both channels' ids are new and differ from each other. */
	do {
		crypto_key_generate(key);
		id = crypto_key_id(key);
		history_key_derive(key, hkey);
		hid = crypto_key_id(hkey);
	} while (id == hid || conn_find_channel(id, &dummy) != NULL ||
	    conn_find_channel(hid, &dummy) != NULL);

	c = xcalloc(1, sizeof *c);
	c->id = id;
	c->session_id = s->id;
	c->cols = LINK_DEFAULT_COLS;
	c->rows = LINK_DEFAULT_ROWS;
	c->created = now;
	c->activity = now;
	c->created_time = c->activity_time = time(NULL);
	c->focused = 1;
	c->last_session_id = -1;
	term_copy(c->term, term);
	c->vb = view_build_create();
	/* Both ends start from an empty view and an empty input stream. */
	initial_view = view_create();
	initial_input = input_stream_create();
	c->t = transport_create(TRANSPORT_SERVER, key, id, &view_ops, initial_view,
	    &input_stream_ops, initial_input, now);
	view_free(initial_view);
	input_stream_free(initial_input);
	/* The history channel starts from an empty stream and no wants. */
	c->hid = hid;
	c->feed = history_feed_create();
	initial_history = history_stream_create();
	initial_wants = history_wants_create();
	c->ht = transport_create(TRANSPORT_SERVER, hkey, hid, &history_stream_ops, initial_history,
	    &history_wants_ops, initial_wants, now);
	/* The live channel's heartbeats keep the connection alive; an idle
	 * history channel costs nothing on the wire. */
	transport_set_quiet(c->ht, 1);
	history_stream_free(initial_history);
	history_wants_free(initial_wants);
	crypto_key_encode(key, key_text);
	explicit_bzero(key, sizeof key);
	explicit_bzero(hkey, sizeof hkey);
	c->force = 1;
	/* In order of creation, as list-clients shows them. */
	for (cp = &conns; *cp != NULL; cp = &(*cp)->next)
		;
	*cp = c;
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
	current = NULL;
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

/* ---- clients (list-clients, detach-client, switch-client) ---- */

struct link_conn *link_first(void)
{
	struct link_conn *c;

	for (c = conns; c != NULL && c->detached; c = c->next)
		;
	return c;
}

struct link_conn *link_next(struct link_conn *c)
{
	for (c = c->next; c != NULL && c->detached; c = c->next)
		;
	return c;
}

struct link_conn *link_current(void)
{
	return current != NULL && !current->detached ? current : NULL;
}

/* The client's address as text; an IPv4 client of the IPv6 socket
 * (::ffff:a.b.c.d) as the IPv4 address it is. */
static void addr_text(const struct link_conn *c, char out[UDP_ADDR_TEXT_SIZE])
{
	static const char mapped[] = "[::ffff:";
	char *end;

	udp_addr_format(&c->addr, out, UDP_ADDR_TEXT_SIZE);
	if (strncmp(out, mapped, sizeof mapped - 1) != 0 || strchr(out, '.') == NULL ||
	    (end = strchr(out, ']')) == NULL)
		return;
	*end = '\0';
	memmove(out, out + sizeof mapped - 1, strlen(out + sizeof mapped - 1) + 1);
	memmove(out + strlen(out), end + 1, strlen(end + 1) + 1);
}

void link_name(const struct link_conn *c, char out[LINK_NAME_SIZE])
{
	char addr[UDP_ADDR_TEXT_SIZE];

	if (!c->have_addr) {
		/* Not heard yet: its connection id stands in. */
		snprintf(out, LINK_NAME_SIZE, "udp:%08x", c->id);
		return;
	}
	addr_text(c, addr);
	snprintf(out, LINK_NAME_SIZE, "udp:%s", addr);
}

struct link_conn *link_find(const char *name)
{
	char text[LINK_NAME_SIZE], id[16];
	struct link_conn *c;

	for (c = link_first(); c != NULL; c = link_next(c)) {
		link_name(c, text);
		snprintf(id, sizeof id, "%08x", c->id);
		if (strcmp(name, text) == 0 || strcmp(name, id) == 0 ||
		    (strncmp(name, "udp:", 4) == 0 && strcmp(name + 4, id) == 0))
			return c;
	}
	return NULL;
}

struct link_conn *link_best(const struct session *s)
{
	struct link_conn *c, *best = NULL;

	for (c = link_first(); c != NULL; c = link_next(c)) {
		if (s != NULL && c->session_id != s->id)
			continue;
		if (best == NULL || c->activity >= best->activity)
			best = c;
	}
	return best;
}

struct session *link_session(const struct link_conn *c)
{
	return session_find_id(c->session_id);
}

unsigned link_session_attached(const struct session *s)
{
	struct link_conn *c;
	unsigned n = 0;

	for (c = link_first(); c != NULL; c = link_next(c)) {
		if (c->session_id == s->id)
			n++;
	}
	return n;
}

void link_detach(struct link_conn *c)
{
	struct view *v = transport_current_state(c->t);
	struct session *s;

	if (c->detached)
		return;
	/* Every state sent from here on carries the flag: a peer that
	 * acknowledges one newer than this has seen it. */
	c->detached = 1;
	c->detach_at = time_now_ms();
	c->detach_sent = transport_sent_num(c->t);
	c->necho = 0;
	view_set_flags(v, v->flags | VIEW_DETACHED);
	log_debug("link: connection %08x detached", c->id);
	/* The sizes of the windows no longer count it. */
	s = session_find_id(c->session_id);
	if (s != NULL)
		resize_session(s);
	last_busy = c->detach_at;
	/* Sent from the loop turn after the command. */
}

void link_switch(struct link_conn *c, struct session *s)
{
	struct session *old = session_find_id(c->session_id);

	if (c->detached || c->session_id == s->id)
		return;
	c->last_session_id = c->session_id;
	c->session_id = s->id;
	c->gone_at = 0;
	c->force = 1;
	c->necho = 0;
	session_touch(s);
	resize_session(s);
	if (old != NULL)
		resize_session(old);
	last_busy = time_now_ms();
}

/* refresh-client and suspend-client are counters in the view
 * (doc/PROTOCOL.md 8.2): a request reaches the client however many views
 * are lost. */
static void client_request(struct link_conn *c, int suspend)
{
	struct view *v = transport_current_state(c->t);

	if (c->detached)
		return;
	if (suspend)
		view_set_suspends(v, v->suspends + 1);
	else
		view_set_redraws(v, v->redraws + 1);
	last_busy = time_now_ms();
}

void link_redraw(struct link_conn *c)
{
	client_request(c, 0);
}

void link_suspend(struct link_conn *c)
{
	client_request(c, 1);
}

struct session *link_last_session(const struct link_conn *c)
{
	return c->last_session_id >= 0 ? session_find_id(c->last_session_id) : NULL;
}

char *link_format(const struct link_conn *c, const struct session *s, const char *name)
{
	char text[LINK_NAME_SIZE];

	if (s != NULL && strcmp(name, "session_attached") == 0)
		return xasprintf("%u", link_session_attached(s));
	if (c == NULL || strncmp(name, "client_", 7) != 0)
		return NULL;
	name += 7;
	if (strcmp(name, "name") == 0 || strcmp(name, "tty") == 0) {
		link_name(c, text);
		return xstrdup(text);
	}
	if (strcmp(name, "address") == 0) {
		char addr[UDP_ADDR_TEXT_SIZE];

		if (!c->have_addr)
			return xstrdup("");
		addr_text(c, addr);
		return xstrdup(addr);
	}
	if (strcmp(name, "termname") == 0)
		return xstrdup(c->term);
	if (strcmp(name, "width") == 0)
		return xasprintf("%u", c->sized ? c->cols : LINK_DEFAULT_COLS);
	if (strcmp(name, "height") == 0)
		return xasprintf("%u", c->sized ? c->rows : LINK_DEFAULT_ROWS);
	if (strcmp(name, "session") == 0) {
		struct session *cs = session_find_id(c->session_id);

		return xstrdup(cs != NULL ? cs->name : "");
	}
	if (strcmp(name, "last_session") == 0) {
		struct session *ls = link_last_session(c);

		return xstrdup(ls != NULL ? ls->name : "");
	}
	if (strcmp(name, "created") == 0)
		return xasprintf("%lld", (long long)c->created_time);
	if (strcmp(name, "activity") == 0)
		return xasprintf("%lld", (long long)c->activity_time);
	if (strcmp(name, "flags") == 0)
		return xasprintf("attached,%sUTF-8", c->focused ? "focused," : "");
	if (strcmp(name, "utf8") == 0)
		return xstrdup("1");
	if (strcmp(name, "readonly") == 0 || strcmp(name, "control_mode") == 0)
		return xstrdup("0");
	if (strcmp(name, "rtt") == 0)
		return xasprintf("%u", transport_srtt_ms(c->t));
	if (strcmp(name, "conn_id") == 0)
		return xasprintf("%08x", c->id);
	return NULL;
}
