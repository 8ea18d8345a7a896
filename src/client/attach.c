/* attach.c — the client (see attach.h). One libevent loop: callbacks for
 * the terminal, the UDP sockets, SIGWINCH and a timer only record what
 * happened; one "turn" after each of them ticks the transport, sends what
 * is due, composes and writes the frame if anything changed, and re-arms
 * the timer for the earliest deadline (the transport's, the lone-Escape
 * timeout, the status bar's next second, an old socket's end, the next
 * moment a late prediction changes how predictions are shown).
 *
 * Typed keys go to the prediction engine (predict.h) with the number of
 * the input event that carries them; its guesses are drawn over each
 * composed frame until the server's view confirms or refutes them.
 *
 * A second transport, the history channel (net/history.h), shares the
 * sockets: datagrams are told apart by connection id. It fills the
 * history mirror (mirror.h) and carries the client's wants. */
#include "client/attach.h"

#include <errno.h>
#include <event2/event.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/bootstrap.h"
#include "client/compose.h"
#include "client/display.h"
#include "client/input.h"
#include "client/mirror.h"
#include "client/notify.h"
#include "client/predict.h"
#include "client/copy_predict.h"
#include "client/native_history.h"
#include "client/tty.h"
#include "common/base64.h"
#include "common/buf.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/datagram.h"
#include "net/history.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "term/key_string.h"
#include "term/screen.h"

#define ATTACH_DATAGRAM_MAX 65536
#define ATTACH_READ_MAX 65536

struct attach_socket {
	int fd;
	struct event *ev;
	uint64_t until; /* old sockets: when to close */
};

struct attach_client {
	struct event_base *base;
	struct tty_caps *caps;
	struct tty_mode mode;
	int entered;
	struct display *display;
	struct display_frame *frame;
	struct input *input;
	struct predict *predict;
	struct copy_predict *copy_predict;
	struct native_history *native;
	int predict_policy;   /* the session's option, followed unless fixed */
	int predict_fixed;    /* --predict or $RMUX_PREDICT chose the policy */
	uint64_t predict_due; /* when predict_tick() is due, or 0 */
	struct transport *t;
	struct udp_addr server;
	const char *host;
	/* The history channel and the mirror it fills. */
	struct transport *ht;
	uint32_t hid;
	struct mirror *mirror;
	const char *mirror_dump; /* $RMUX_MIRROR_DUMP: SIGUSR1 writes the mirror there */
	struct event *ev_usr1;

	struct attach_socket sock;
	struct attach_socket old[ATTACH_OLD_SOCKETS];
	struct event *ev_tty, *ev_winch, *ev_hup, *ev_term, *ev_timer;

	unsigned cols, rows;
	uint64_t start;
	int heard;
	int seen_view, seen_windows;
	uint64_t bells, clipboards;
	uint64_t redraws, suspends; /* refresh-client, suspend-client seen */
	int dirty;
	char notice[NOTIFY_TEXT_MAX];
	int mouse;
	struct buf out;
	struct buf paste;

	int done;
	int status;
	int end;   /* ATTACH_END_* */
	char *session;
	char error[512];
};

int attach_view_end(const struct view *v, int seen_windows)
{
	if (v->flags & VIEW_DETACHED)
		return ATTACH_END_DETACHED;
	if (seen_windows && v->nwindows == 0 && v->npanes == 0)
		return ATTACH_END_EXITED;
	return ATTACH_END_NONE;
}

static int attach_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void attach_flush(struct attach_client *c)
{
	if (c->out.len > 0 && attach_write_all(STDOUT_FILENO, c->out.data, c->out.len) != 0 &&
	    !c->done) {
		c->done = 1;
		c->status = 1;
		snprintf(c->error, sizeof c->error, "lost the terminal: %s", strerror(errno));
		event_base_loopbreak(c->base);
	}
	buf_reset(&c->out);
}

static void attach_send(struct attach_client *c, uint64_t now);
static void attach_finish(struct attach_client *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void attach_finish(struct attach_client *c, int status, const char *fmt, ...)
{
	va_list ap;

	if (c->done)
		return;
	c->done = 1;
	c->status = status;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(c->error, sizeof c->error, fmt, ap);
		va_end(ap);
	}
	event_base_loopbreak(c->base);
}

static struct input_stream *attach_stream(struct attach_client *c)
{
	return transport_current_state(c->t);
}

/* ---- the view ---- */

/* OSC 52: DATA into the terminal's clipboard TARGET ("" is "c"). */
static void attach_osc52(struct attach_client *c, const char *target, const void *data,
    size_t len)
{
	char *b64 = xmalloc(base64_encoded_size(len));

	base64_encode(data, len, b64);
	buf_add_printf(&c->out, "\033]52;%s;%s\a", target[0] != '\0' ? target : "c", b64);
	free(b64);
}

/* The server's clipboard event, unless it is a copy the client predicted
 * and wrote already. */
static void attach_clipboard(struct attach_client *c, const struct view *v)
{
	if (copy_predict_copied(c->copy_predict, v->clip, v->cliplen))
		return;
	attach_osc52(c, v->clip_target, v->clip, v->cliplen);
}

/* A copy predicted in copy mode goes to the clipboard at once. */
static void attach_predicted_copy(struct attach_client *c)
{
	size_t len;
	char *text = copy_predict_take_copy(c->copy_predict, &len);

	if (text != NULL && len > 0)
		attach_osc52(c, "", text, len);
	free(text);
}

/* The active pane's mouse mode, or at least buttons and drags when the
 * session's mouse option is on (the daemon's key tables take them). */
static int attach_mouse_mode(const struct view *v)
{
	const struct view_pane *ap = compose_active_pane(v);
	int base = (v->flags & VIEW_MOUSE) ? TTY_MOUSE_DRAG : TTY_MOUSE_OFF;

	if (ap == NULL)
		return base;
	if (ap->modes & MODE_MOUSE_ANY)
		return TTY_MOUSE_ANY;
	if (ap->modes & MODE_MOUSE_BUTTON)
		return TTY_MOUSE_DRAG;
	if (ap->modes & (MODE_MOUSE_STANDARD | MODE_MOUSE_X10))
		return RMUX_MAX(base, TTY_MOUSE_CLICK);
	return base;
}

/* The wants: per pane in copy mode, the top of its viewport. Set on
 * every turn, so a prediction of the viewport (once copy mode is
 * predicted locally) moves them at keystroke speed. */
static void attach_wants(struct attach_client *c, const struct view *v)
{
	struct history_want want[HISTORY_WANTS_MAX];
	size_t n = 0;

	for (size_t i = 0; i < v->npanes && n < HISTORY_WANTS_MAX; i++) {
		const struct view_pane *p = &v->pane[i];

		if (!(p->flags & VIEW_PANE_COPY_MODE))
			continue;
		want[n].pane = p->id;
		want[n].gen = p->hist_gen;
		want[n].line = copy_predict_top(c->copy_predict, p->id);
		if (want[n].line == UINT64_MAX)
			want[n].line = p->copy_top;
		n++;
	}
	history_wants_set(transport_current_state(c->ht), want, n);
}

/* New messages on the history channel: lines into the mirror. */
static void attach_history(struct attach_client *c)
{
	struct history_stream *s = history_stream_create();
	struct history_msg m;
	struct buf diff;
	size_t n;

	buf_init(&diff);
	transport_remote_diff(c->ht, &diff);
	if (history_stream_decode(diff.data, diff.len, s) != 0) {
		log_debug("history: undecodable diff of %zu bytes", diff.len);
		goto out;
	}
	n = history_stream_count(s);
	for (size_t i = 0; i < n; i++) {
		if (history_stream_msg(s, i, &m) != 0)
			continue;
		if (m.type == HISTORY_MSG_LIMIT)
			mirror_set_limit(c->mirror, m.limit);
		else if (m.type == HISTORY_MSG_CHUNK) {
			for (unsigned k = 0; k < m.n; k++) {
				mirror_add(c->mirror, m.pane, m.gen, m.first + k, m.row[k], m.wrapped[k]);
				m.row[k] = NULL;
			}
		}
		history_msg_clear(&m);
	}
	if (copy_predict_pending(c->copy_predict))
		c->dirty = 1;
	if (c->seen_view && native_history_write(c->native, transport_remote_state(c->t), c->mirror,
	    c->rows, 1, c->caps, &c->out) > 0)
		display_invalidate(c->display);
out:
	buf_free(&diff);
	history_stream_free(s);
}

/* Per pane "pane ID gen GEN count N lowest LO highest HI", then each line
 * held as "NUMBER TEXT" (trailing blanks cut), for tests. */
static void attach_dump_mirror(struct attach_client *c)
{
	uint32_t ids[VIEW_PANES_MAX];
	size_t n = mirror_panes(c->mirror, ids, VIEW_PANES_MAX);
	char tmp[1024];
	FILE *f;

	if (c->mirror_dump == NULL)
		return;
	snprintf(tmp, sizeof tmp, "%s.tmp", c->mirror_dump);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	n = RMUX_MIN(n, (size_t)VIEW_PANES_MAX);
	for (size_t i = 0; i < n; i++) {
		uint32_t gen = 0;
		uint64_t lo = 0, hi = 0;

		if (!mirror_range(c->mirror, ids[i], &gen, &lo, &hi))
			continue;
		fprintf(f, "pane %u gen %u count %zu lowest %llu highest %llu\n", ids[i], gen,
		    mirror_count(c->mirror, ids[i]), (unsigned long long)lo, (unsigned long long)hi);
		for (uint64_t l = lo; l <= hi; l++) {
			const struct view_row *r = mirror_get(c->mirror, ids[i], gen, l, NULL);
			char cell[CLUSTER_MAX_BYTES + 1];
			struct buf text;

			if (r == NULL)
				continue;
			buf_init(&text);
			for (unsigned x = 0; x < view_row_cols(r); x++)
				buf_add(&text, cell, view_row_text(r, x, cell));
			while (text.len > 0 && text.data[text.len - 1] == ' ')
				text.len--;
			fprintf(f, "%llu %.*s\n", (unsigned long long)l, (int)text.len,
			    text.len > 0 ? (const char *)text.data : "");
			buf_free(&text);
		}
	}
	if (fclose(f) == 0)
		(void)rename(tmp, c->mirror_dump);
}

static void attach_leave(struct attach_client *c);

/* suspend-client: the terminal goes back to the shell as it was, the
 * client stops as on a shell's Ctrl-Z, and once continued (fg) it takes
 * the terminal again and repaints everything. A client whose process
 * group has no shell to resume it is not stopped (the kernel discards the
 * signal) and just repaints. */
static void attach_suspend(struct attach_client *c)
{
	unsigned cols, rows;

	attach_leave(c);
	(void)kill(getpid(), SIGTSTP);
	if (tty_raw_enter(&c->mode, STDIN_FILENO) != 0) {
		attach_finish(c, 1, "can't set the terminal's mode after suspend-client");
		return;
	}
	tty_enter(c->caps, &c->out, TTY_ENTER_ALTSCREEN | TTY_ENTER_KEYPAD | TTY_ENTER_PASTE);
	c->entered = 1;
	if (c->mouse)
		tty_mouse(c->caps, &c->out, c->mouse);
	if (tty_get_size(STDOUT_FILENO, &cols, &rows) == 0 && cols > 0 && rows > 0 &&
	    (cols != c->cols || rows != c->rows)) {
		c->cols = RMUX_MIN(cols, INPUT_SIZE_MAX);
		c->rows = RMUX_MIN(rows, INPUT_SIZE_MAX);
		display_resize(c->display, c->cols, c->rows);
		display_frame_resize(c->frame, c->cols, c->rows);
		(void)input_stream_add_resize(attach_stream(c), c->cols, c->rows);
	}
	display_invalidate(c->display);
	c->dirty = 1;
}

static void attach_new_view(struct attach_client *c)
{
	const struct view *v = transport_remote_state(c->t);
	int mouse, end;

	if (!c->seen_view) {
		/* Bells and copies from before this client are not its own. */
		c->bells = v->bells;
		c->clipboards = v->clipboards;
		c->redraws = v->redraws;
		c->suspends = v->suspends;
		c->seen_view = 1;
	}
	if (v->redraws != c->redraws) {
		display_invalidate(c->display);
		c->dirty = 1;
	}
	c->redraws = v->redraws;
	if (v->suspends > c->suspends) {
		c->suspends = v->suspends;
		attach_suspend(c);
	}
	c->suspends = v->suspends;
	if (v->bells > c->bells)
		buf_add(&c->out, "\a", 1);
	c->bells = v->bells;
	if (v->clipboards > c->clipboards && v->cliplen > 0)
		attach_clipboard(c, v);
	c->clipboards = v->clipboards;
	if (v->session != NULL && v->session[0] != '\0') {
		free(c->session);
		c->session = xstrdup(v->session);
	}
	if (v->nwindows > 0)
		c->seen_windows = 1;
	if (!c->predict_fixed &&
	    (int)((v->flags & VIEW_PREDICT_MASK) >> VIEW_PREDICT_SHIFT) != c->predict_policy) {
		c->predict_policy = (int)((v->flags & VIEW_PREDICT_MASK) >> VIEW_PREDICT_SHIFT);
		predict_set_policy(c->predict, c->predict_policy);
	}
	predict_view(c->predict, v, time_now_ms());
	copy_predict_view(c->copy_predict, v, time_now_ms());
	native_history_set(c->native, (v->flags & VIEW_HISTORY_NATIVE) != 0);
	if (native_history_write(c->native, v, c->mirror, c->rows, 1, c->caps, &c->out) > 0)
		display_invalidate(c->display);
	{
		uint32_t ids[VIEW_PANES_MAX];
		size_t n = 0;

		/* The mirror keeps the panes shown; the daemon forgets the
		 * others too (a pane shown again is sent again). */
		for (size_t i = 0; i < v->npanes && n < VIEW_PANES_MAX; i++) {
			uint32_t gen;

			ids[n++] = v->pane[i].id;
			/* A newer generation renumbered the lines held. Chunks
			 * may run ahead of the view (another channel), so
			 * only an older mirror goes. */
			if (mirror_range(c->mirror, v->pane[i].id, &gen, NULL, NULL) &&
			    gen < v->pane[i].hist_gen)
				mirror_drop_pane(c->mirror, v->pane[i].id);
		}
		if (v->nwindows > 0)
			mirror_keep_only(c->mirror, ids, n);
	}
	log_debug("view echo_ack %llu srtt %u: predictions %s%s, glitch %u",
	    (unsigned long long)v->echo_ack, transport_srtt_ms(c->t),
	    predict_showing(c->predict) ? "shown" : "hidden",
	    predict_pending(c->predict) ? ", pending" : "", predict_glitch(c->predict));
	mouse = attach_mouse_mode(v);
	if (mouse != c->mouse) {
		tty_mouse(c->caps, &c->out, mouse);
		c->mouse = mouse;
	}
	c->dirty = 1;
	end = attach_view_end(v, c->seen_windows);
	if (end != ATTACH_END_NONE) {
		c->end = end;
		/* Acknowledge the detach now rather than after the ack delay,
		 * so the daemon can drop the connection at once. */
		if (end == ATTACH_END_DETACHED) {
			uint64_t now = time_now_ms();

			transport_ack_now(c->t);
			(void)transport_tick(c->t, now);
			attach_send(c, now);
		}
		attach_finish(c, 0, NULL);
	}
}

/* ---- input ---- */

/* A typed key: guessed at (unless it came in a bulk read, which is pasted
 * text) with the number its input event gets, then queued. */
static void attach_key(struct attach_client *c, struct input_stream *s,
    const struct input_item *it)
{
	uint64_t event = input_stream_end(s);

	if (input_stream_add_key(s, it->key) != 0) {
		log_debug("key %llx dropped", (unsigned long long)it->key);
		/* Guesses after a lost key would be off by it. */
		predict_reset(c->predict);
		copy_predict_reset(c->copy_predict);
		c->dirty = 1;
		return;
	}
	if (it->bulk) {
		predict_paste(c->predict);
		copy_predict_other(c->copy_predict, event);
	} else {
		predict_key(c->predict, it->key, event, time_now_ms());
		copy_predict_key(c->copy_predict, transport_remote_state(c->t), c->mirror, it->key, event,
		    time_now_ms());
		attach_predicted_copy(c);
		if (c->seen_view)
			attach_wants(c, transport_remote_state(c->t));
	}
	c->dirty = 1;
}

static void attach_item(const struct input_item *it, void *arg)
{
	struct attach_client *c = arg;
	struct input_stream *s = attach_stream(c);

	switch (it->type) {
	case INPUT_ITEM_KEY:
		if (it->key == 0x0c) {
			/* As mosh: C-l goes to the program and also repaints here. */
			display_invalidate(c->display);
			c->dirty = 1;
		}
		attach_key(c, s, it);
		break;
	case INPUT_ITEM_PASTE:
		predict_paste(c->predict);
		c->dirty = 1;
		if (c->paste.len + it->len <= INPUT_PASTE_MAX)
			buf_add(&c->paste, it->data, it->len);
		if (!it->more) {
			if (c->paste.len > 0 && input_stream_add_paste(s, c->paste.data, c->paste.len) != 0)
				log_debug("paste of %zu bytes dropped", c->paste.len);
			buf_reset(&c->paste);
		}
		break;
	case INPUT_ITEM_MOUSE:
		{
			struct input_event ev;

			memset(&ev, 0, sizeof ev);
			ev.num = input_stream_end(s);
			ev.type = INPUT_MOUSE;
			ev.kind = it->kind;
			ev.button = it->button;
			ev.x = it->x;
			ev.y = it->y;
			ev.mods = it->mods;
			if (input_stream_add_mouse(s, it->kind, it->button, it->x, it->y, it->mods) == 0) {
				copy_predict_mouse(c->copy_predict, transport_remote_state(c->t), c->mirror, &ev,
				    ev.num, time_now_ms());
				attach_predicted_copy(c);
				c->dirty = 1;
			}
		}
		break;
	case INPUT_ITEM_FOCUS:
		(void)input_stream_add_focus(s, it->focus_in);
		break;
	case INPUT_ITEM_QUIT:
		c->end = ATTACH_END_DETACHED;
		attach_finish(c, 0, NULL);
		break;
	default:
		break;
	}
}

/* ---- sockets ---- */

static void attach_udp_cb(evutil_socket_t fd, short what, void *arg);
static void attach_turn(struct attach_client *c);

static int attach_open_socket(struct attach_client *c, struct attach_socket *s)
{
	struct udp_addr local;

	if (udp_addr_resolve(NULL, 0, c->server.ss.ss_family, &local) != 0)
		return -1;
	s->fd = udp_bind(&local, 0, 0, NULL);
	if (s->fd < 0)
		return -1;
	s->ev = event_new(c->base, s->fd, EV_READ | EV_PERSIST, attach_udp_cb, c);
	event_add(s->ev, NULL);
	s->until = 0;
	return 0;
}

static void attach_close_socket(struct attach_socket *s)
{
	if (s->ev != NULL)
		event_free(s->ev);
	if (s->fd >= 0)
		close(s->fd);
	s->ev = NULL;
	s->fd = -1;
	s->until = 0;
}

/* A new source port: a NAT that forgot us, or a new network, gives the
 * new one a fresh mapping. The old socket still hears late replies. */
static void attach_rebind(struct attach_client *c, uint64_t now)
{
	struct attach_socket fresh, *slot = &c->old[0];

	if (attach_open_socket(c, &fresh) != 0) {
		transport_rebound(c->t, now);
		transport_rebound(c->ht, now);
		return;
	}
	for (size_t i = 0; i < ATTACH_OLD_SOCKETS; i++) {
		if (c->old[i].fd < 0) {
			slot = &c->old[i];
			break;
		}
		if (c->old[i].until < slot->until)
			slot = &c->old[i];
	}
	attach_close_socket(slot);
	*slot = c->sock;
	slot->until = now + ATTACH_OLD_SOCKET_MS;
	c->sock = fresh;
	transport_rebound(c->t, now);
	transport_rebound(c->ht, now);
	log_debug("rebound to a new source port");
}

static void attach_udp_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attach_client *c = arg;
	uint8_t data[ATTACH_DATAGRAM_MAX];
	struct udp_addr from;
	ssize_t n;

	while ((n = udp_recv(fd, data, sizeof data, &from)) >= 0) {
		uint32_t id;
		int r;

		if ((size_t)n > sizeof data)
			continue;
		if (datagram_peek_conn_id(data, (size_t)n, &id) == 0 && id == c->hid) {
			if (transport_receive(c->ht, data, (size_t)n, &from, time_now_ms()) == 1)
				attach_history(c);
			continue;
		}
		r = transport_receive(c->t, data, (size_t)n, &from, time_now_ms());
		if (r >= 0) {
			c->heard = 1;
			transport_heard(c->ht, time_now_ms());
		}
		if (r == 1)
			attach_new_view(c);
		if (c->done)
			break;
	}
	attach_turn(c);
}

static void attach_send(struct attach_client *c, uint64_t now)
{
	const struct udp_addr *peer;
	const uint8_t *data;
	size_t len;

	while (transport_pop(c->t, &data, &len)) {
		peer = transport_peer(c->t, now);
		if (peer != NULL)
			(void)udp_send(c->sock.fd, data, len, peer);
	}
	while (transport_pop(c->ht, &data, &len)) {
		peer = transport_peer(c->ht, now);
		if (peer != NULL)
			(void)udp_send(c->sock.fd, data, len, peer);
	}
}

/* ---- the terminal ---- */

static void attach_tty_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attach_client *c = arg;
	uint8_t data[ATTACH_READ_MAX];
	ssize_t n = read(fd, data, sizeof data);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		attach_finish(c, 1, "lost the terminal");
		return;
	}
	input_feed(c->input, data, (size_t)n, time_now_ms());
	attach_turn(c);
}

static void attach_winch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct attach_client *c = arg;
	unsigned cols, rows;

	if (tty_get_size(STDOUT_FILENO, &cols, &rows) != 0 || cols == 0 || rows == 0)
		return;
	if (cols != c->cols || rows != c->rows) {
		c->cols = RMUX_MIN(cols, INPUT_SIZE_MAX);
		c->rows = RMUX_MIN(rows, INPUT_SIZE_MAX);
		display_resize(c->display, c->cols, c->rows);
		display_frame_resize(c->frame, c->cols, c->rows);
		(void)input_stream_add_resize(attach_stream(c), c->cols, c->rows);
		c->dirty = 1;
	}
	attach_turn(c);
}

static void attach_signal_cb(evutil_socket_t fd, short what, void *arg)
{
	attach_finish(arg, 1, NULL);
}

static void attach_usr1_cb(evutil_socket_t fd, short what, void *arg)
{
	attach_dump_mirror(arg);
}

static void attach_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	attach_turn(arg);
}

/* ---- the turn ---- */

static void attach_render(struct attach_client *c, uint64_t now)
{
	char text[NOTIFY_TEXT_MAX];
	uint64_t heard = RMUX_MAX(transport_last_heard(c->t), c->start);

	notify_text(now, heard, text, sizeof text);
	if (strcmp(text, c->notice) != 0) {
		rmux_strlcpy(c->notice, text, sizeof c->notice);
		c->dirty = 1;
	}
	if (!c->dirty)
		return;
	if (c->seen_view) {
		compose_view(transport_remote_state(c->t), c->frame);
		predict_apply(c->predict, c->frame);
		copy_predict_apply(c->copy_predict, transport_remote_state(c->t), c->mirror, c->frame);
	} else
		display_frame_clear(c->frame);
	notify_overlay(c->frame, now, heard);
	display_update(c->display, c->frame, &c->out);
	c->dirty = 0;
}

static void attach_turn(struct attach_client *c)
{
	uint64_t now = time_now_ms(), next, heard;
	int wait;
	struct timeval tv;

	if (c->done)
		return;
	if (input_wait_ms(c->input, now) == 0)
		input_timeout(c->input, now);
	if (!c->heard && now - c->start >= ATTACH_FIRST_REPLY_MS) {
		attach_finish(c, 1, "no reply from %s on UDP port %u; is a firewall blocking it?",
		    c->host, udp_addr_port(&c->server));
		return;
	}
	if (transport_should_rebind(c->t, now))
		attach_rebind(c, now);
	for (size_t i = 0; i < ATTACH_OLD_SOCKETS; i++) {
		if (c->old[i].fd >= 0 && c->old[i].until <= now)
			attach_close_socket(&c->old[i]);
	}
	next = transport_tick(c->t, now);
	if (c->seen_view)
		attach_wants(c, transport_remote_state(c->t));
	next = RMUX_MIN(next, transport_tick(c->ht, now));
	attach_send(c, now);
	predict_set_srtt(c->predict, transport_srtt_ms(c->t));
	if (c->predict_due != 0 && now >= c->predict_due) {
		predict_tick(c->predict, now);
		c->dirty = 1;
	}
	if (transport_dead(c->t)) {
		attach_finish(c, 1, "the connection used up its sequence numbers; attach again");
		return;
	}
	attach_render(c, now);
	attach_flush(c);
	if (c->done)
		return;

	heard = RMUX_MAX(transport_last_heard(c->t), c->start);
	next = RMUX_MIN(next, notify_next_change(now, heard));
	wait = predict_wake(c->predict, now);
	c->predict_due = wait >= 0 ? now + (uint64_t)wait : 0;
	if (wait >= 0)
		next = RMUX_MIN(next, c->predict_due);
	wait = input_wait_ms(c->input, now);
	if (wait >= 0)
		next = RMUX_MIN(next, now + (uint64_t)wait);
	if (!c->heard)
		next = RMUX_MIN(next, c->start + ATTACH_FIRST_REPLY_MS);
	for (size_t i = 0; i < ATTACH_OLD_SOCKETS; i++) {
		if (c->old[i].fd >= 0)
			next = RMUX_MIN(next, c->old[i].until);
	}
	/* Rebinding is checked at least this often. */
	next = RMUX_MIN(next, now + 1000);
	next = next > now ? next - now : 0;
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000 * 1000);
	evtimer_add(c->ev_timer, &tv);
}

/* ---- setup and teardown ---- */

static void attach_leave(struct attach_client *c)
{
	if (c->entered) {
		buf_reset(&c->out);
		tty_leave(c->caps, &c->out, c->rows);
		(void)attach_write_all(STDOUT_FILENO, c->out.data, c->out.len);
		buf_reset(&c->out);
		c->entered = 0;
	}
	if (c->mode.raw)
		(void)tty_raw_leave(&c->mode);
}

static void attach_free(struct attach_client *c)
{
	struct event **evs[] = { &c->ev_tty, &c->ev_winch, &c->ev_hup, &c->ev_term, &c->ev_timer,
		&c->ev_usr1 };

	for (size_t i = 0; i < RMUX_NITEMS(evs); i++) {
		if (*evs[i] != NULL)
			event_free(*evs[i]);
	}
	attach_close_socket(&c->sock);
	for (size_t i = 0; i < ATTACH_OLD_SOCKETS; i++)
		attach_close_socket(&c->old[i]);
	if (c->t != NULL)
		transport_free(c->t);
	if (c->ht != NULL)
		transport_free(c->ht);
	mirror_free(c->mirror);
	if (c->input != NULL)
		input_free(c->input);
	predict_free(c->predict);
	copy_predict_free(c->copy_predict);
	native_history_free(c->native);
	if (c->frame != NULL)
		display_frame_free(c->frame);
	if (c->display != NULL)
		display_free(c->display);
	if (c->caps != NULL)
		tty_caps_free(c->caps);
	if (c->base != NULL)
		event_base_free(c->base);
	buf_free(&c->out);
	buf_free(&c->paste);
	free(c->session);
}

int attach_run(const struct udp_addr *server, const uint8_t key[CRYPTO_KEY_LEN], const char *host,
    int predict)
{
	struct attach_client c;
	struct input_stream *empty_in;
	struct view *empty_view;
	struct history_wants *empty_wants;
	struct history_stream *empty_history;
	uint8_t hkey[CRYPTO_KEY_LEN];
	char err[256];
	int status;

	memset(&c, 0, sizeof c);
	c.sock.fd = -1;
	for (size_t i = 0; i < ATTACH_OLD_SOCKETS; i++)
		c.old[i].fd = -1;
	c.server = *server;
	c.host = host;
	buf_init(&c.out);
	buf_init(&c.paste);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "rmux: not a terminal\n");
		return 1;
	}
	c.caps = tty_caps_create(NULL, getenv("COLORTERM"), err, sizeof err);
	if (c.caps == NULL) {
		fprintf(stderr, "rmux: %s\n", err);
		return 1;
	}
	if (tty_get_size(STDOUT_FILENO, &c.cols, &c.rows) != 0 || c.cols == 0 || c.rows == 0) {
		c.cols = 80;
		c.rows = 24;
	}
	c.cols = RMUX_MIN(c.cols, INPUT_SIZE_MAX);
	c.rows = RMUX_MIN(c.rows, INPUT_SIZE_MAX);
	c.base = event_base_new();
	if (c.base == NULL)
		fatal("can't start the event loop");
	c.start = time_now_ms();

	empty_in = input_stream_create();
	empty_view = view_create();
	c.t = transport_create(TRANSPORT_CLIENT, key, crypto_key_id(key), &input_stream_ops, empty_in,
	    &view_ops, empty_view, c.start);
	input_stream_free(empty_in);
	view_free(empty_view);
	transport_set_peer(c.t, server);
	/* The history channel: key and id derived from the connection's. */
	history_key_derive(key, hkey);
	c.hid = crypto_key_id(hkey);
	empty_wants = history_wants_create();
	empty_history = history_stream_create();
	c.ht = transport_create(TRANSPORT_CLIENT, hkey, c.hid, &history_wants_ops, empty_wants,
	    &history_stream_ops, empty_history, c.start);
	history_wants_free(empty_wants);
	history_stream_free(empty_history);
	OPENSSL_cleanse(hkey, sizeof hkey);
	transport_set_peer(c.ht, server);
	transport_set_quiet(c.ht, 1);
	/* The daemon's first limit message sets the real limit. */
	c.mirror = mirror_create(MIRROR_DEFAULT_LIMIT);
	c.mirror_dump = getenv("RMUX_MIRROR_DUMP");
	if (c.mirror_dump != NULL && *c.mirror_dump == '\0')
		c.mirror_dump = NULL;
	if (attach_open_socket(&c, &c.sock) != 0) {
		fprintf(stderr, "rmux: can't open a UDP socket: %s\n", strerror(errno));
		attach_free(&c);
		return 1;
	}
	(void)input_stream_add_resize(attach_stream(&c), c.cols, c.rows);

	c.display = display_create(c.caps, c.cols, c.rows);
	c.frame = display_frame_create(c.cols, c.rows);
	c.input = input_create(attach_item, &c);
	c.predict_fixed = predict != ATTACH_PREDICT_SESSION;
	c.predict_policy = c.predict_fixed ? predict : PREDICT_ADAPTIVE;
	c.predict = predict_create(c.predict_policy);
	c.copy_predict = copy_predict_create();
	c.native = native_history_create(0);
	input_add_terminfo(c.input);

	if (tty_raw_enter(&c.mode, STDIN_FILENO) != 0) {
		fprintf(stderr, "rmux: can't set the terminal's mode: %s\n", strerror(errno));
		attach_free(&c);
		return 1;
	}
	tty_enter(c.caps, &c.out, TTY_ENTER_ALTSCREEN | TTY_ENTER_KEYPAD | TTY_ENTER_PASTE);
	c.entered = 1;
	attach_flush(&c);

	signal(SIGPIPE, SIG_IGN);
	c.ev_tty = event_new(c.base, STDIN_FILENO, EV_READ | EV_PERSIST, attach_tty_cb, &c);
	c.ev_winch = evsignal_new(c.base, SIGWINCH, attach_winch_cb, &c);
	c.ev_hup = evsignal_new(c.base, SIGHUP, attach_signal_cb, &c);
	c.ev_term = evsignal_new(c.base, SIGTERM, attach_signal_cb, &c);
	c.ev_timer = evtimer_new(c.base, attach_timer_cb, &c);
	if (c.mirror_dump != NULL) {
		c.ev_usr1 = evsignal_new(c.base, SIGUSR1, attach_usr1_cb, &c);
		event_add(c.ev_usr1, NULL);
	}
	event_add(c.ev_tty, NULL);
	event_add(c.ev_winch, NULL);
	event_add(c.ev_hup, NULL);
	event_add(c.ev_term, NULL);

	attach_turn(&c);
	if (!c.done)
		event_base_dispatch(c.base);

	attach_leave(&c);
	status = c.status;
	if (c.error[0] != '\0')
		fprintf(stderr, "rmux: %s\n", c.error);
	else if (c.end == ATTACH_END_DETACHED) {
		if (c.session != NULL)
			printf("[detached (from session %s)]\n", c.session);
		else
			printf("[detached]\n");
	} else if (c.end == ATTACH_END_EXITED)
		printf("[exited]\n");
	fflush(stdout);
	attach_free(&c);
	return status;
}

/* ---- commands ---- */

static char *attach_self(void)
{
	char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);

	if (n <= 0)
		return xstrdup("rmux");
	path[n] = '\0';
	return xstrdup(path);
}

/* The argv of this program with the global flags G, then the words of
 * WORDS (NULL-terminated). */
static char **attach_self_argv(const struct attach_global *g, const char *const *words)
{
	size_t n = 0, i = 0;
	char **argv;

	while (words[n] != NULL)
		n++;
	argv = xcalloc(n + 8, sizeof *argv);
	argv[i++] = attach_self();
	if (g->socket_name != NULL) {
		argv[i++] = xstrdup("-L");
		argv[i++] = xstrdup(g->socket_name);
	}
	if (g->socket_path != NULL) {
		argv[i++] = xstrdup("-S");
		argv[i++] = xstrdup(g->socket_path);
	}
	if (g->config != NULL) {
		argv[i++] = xstrdup("-f");
		argv[i++] = xstrdup(g->config);
	}
	for (size_t j = 0; j < n; j++)
		argv[i++] = xstrdup(words[j]);
	argv[i] = NULL;
	return argv;
}

static int attach_local(const struct attach_global *g, const char *session, unsigned port,
    int predict)
{
	const char *words[6] = { "bootstrap", NULL, NULL, NULL, NULL, NULL };
	struct bootstrap_reply r;
	struct udp_addr addr;
	char **argv, err[1024], portbuf[16];
	size_t n = 1;
	int status, rc;

	if (session != NULL) {
		words[n++] = "-t";
		words[n++] = session;
	}
	if (port != 0) {
		snprintf(portbuf, sizeof portbuf, "%u", port);
		words[n++] = "--port";
		words[n++] = portbuf;
	}
	argv = attach_self_argv(g, words);
	rc = bootstrap_run(argv, NULL, &r, err, sizeof err);
	bootstrap_argv_free(argv);
	if (rc != 0) {
		fprintf(stderr, "rmux: %s\n", err);
		return 1;
	}
	if (udp_addr_parse("127.0.0.1:1", &addr) != 0)
		return 1;
	udp_addr_set_port(&addr, r.port);
	status = attach_run(&addr, r.key, "localhost", predict);
	OPENSSL_cleanse(&r, sizeof r);
	return status;
}

static int attach_remote(const char *host, const char *ssh, const char *server_cmd,
    const char *server_addr, const char *session, unsigned port, int predict)
{
	struct bootstrap_reply r;
	struct udp_addr addr;
	char **argv, err[1024], *name;
	int status, rc;

	argv = bootstrap_ssh_argv(ssh != NULL ? ssh : "ssh", host,
	    server_cmd != NULL ? server_cmd : "rmux", session, port);
	if (argv == NULL) {
		fprintf(stderr, "rmux: bad --ssh command: %s\n", ssh);
		return 1;
	}
	rc = bootstrap_run(argv, host, &r, err, sizeof err);
	bootstrap_argv_free(argv);
	if (rc != 0) {
		fprintf(stderr, "rmux: %s\n", err);
		return 1;
	}
	/* The address ssh reached: the name resolved the way ssh resolves it,
	 * unless the caller knows better. */
	name = server_addr != NULL ? xstrdup(server_addr) :
	    bootstrap_ssh_hostname(ssh != NULL ? ssh : "ssh", host);
	if (udp_addr_resolve(name, r.port, AF_UNSPEC, &addr) != 0) {
		fprintf(stderr, "rmux: can't resolve %s\n", name);
		OPENSSL_cleanse(&r, sizeof r);
		free(name);
		return 1;
	}
	status = attach_run(&addr, r.key, name, predict);
	OPENSSL_cleanse(&r, sizeof r);
	free(name);
	return status;
}

/* Checked before anything is created or bootstrapped. */
static int attach_can_run(int local)
{
	const char *nested = getenv("RMUX");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "rmux: open terminal failed: not a terminal\n");
		return 0;
	}
	if (local && nested != NULL && *nested != '\0') {
		fprintf(stderr, "rmux: sessions should be nested with care, unset $RMUX to force\n");
		return 0;
	}
	return 1;
}

static int attach_port_arg(const char *text, unsigned *port)
{
	char *end;
	long v = strtol(text, &end, 10);

	if (*text == '\0' || *end != '\0' || v < 1 || v > 65535) {
		fprintf(stderr, "rmux: bad port: %s\n", text);
		return -1;
	}
	*port = (unsigned)v;
	return 0;
}

/* The display policy: --predict (TEXT, or NULL when not given), else
 * $RMUX_PREDICT, else ATTACH_PREDICT_SESSION: the session's option
 * `predict` as each view carries it. */
static int attach_predict_arg(const char *text)
{
	const char *from = "--predict";
	int policy;

	if (text == NULL) {
		text = getenv("RMUX_PREDICT");
		from = "RMUX_PREDICT";
		if (text == NULL || *text == '\0')
			return ATTACH_PREDICT_SESSION;
	}
	policy = predict_policy_from_string(text);
	if (policy < 0)
		fprintf(stderr, "rmux: bad %s: %s (adaptive, always or never)\n", from, text);
	return policy;
}

int attach_command(const struct attach_global *g, int argc, char **argv)
{
	const char *session = NULL, *ssh = NULL, *server_cmd = NULL, *server_addr = NULL;
	const char *host = NULL, *predict_text = NULL;
	unsigned port = 0;
	int i, predict;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **value = NULL;

		if (strcmp(a, "-t") == 0)
			value = &session;
		else if (strncmp(a, "-t", 2) == 0) {
			session = a + 2;
			continue;
		} else if (strcmp(a, "--ssh") == 0)
			value = &ssh;
		else if (strcmp(a, "--server-cmd") == 0)
			value = &server_cmd;
		else if (strcmp(a, "--server-addr") == 0)
			value = &server_addr;
		else if (strcmp(a, "--predict") == 0)
			value = &predict_text;
		else if (strcmp(a, "--port") == 0) {
			if (i + 1 >= argc || attach_port_arg(argv[i + 1], &port) != 0)
				goto usage;
			i++;
			continue;
		} else if (strcmp(a, "-d") == 0 || strcmp(a, "-r") == 0 || strcmp(a, "-E") == 0)
			continue; /* tmux's flags that mean nothing here */
		else if (a[0] == '-')
			goto usage;
		else if (host == NULL) {
			host = a;
			continue;
		} else
			goto usage;
		if (i + 1 >= argc)
			goto usage;
		*value = argv[++i];
	}
	predict = attach_predict_arg(predict_text);
	if (predict < 0 && predict != ATTACH_PREDICT_SESSION)
		return 1;
	if (host == NULL) {
		if (ssh != NULL || server_cmd != NULL || server_addr != NULL)
			goto usage;
		if (!attach_can_run(1))
			return 1;
		return attach_local(g, session, port, predict);
	}
	if (!attach_can_run(0))
		return 1;
	return attach_remote(host, ssh, server_cmd, server_addr, session, port, predict);
usage:
	fprintf(stderr, "usage: rmux attach [-t session] [--ssh command] [--port N] "
			"[--server-cmd path] [--server-addr address] "
			"[--predict adaptive|always|never] [[user@]host]\n");
	return 1;
}

int attach_connect_command(const struct attach_global *g, int argc, char **argv)
{
	uint8_t key[CRYPTO_KEY_LEN];
	struct udp_addr addr;
	unsigned port = 0;
	char *text;
	const char *predict_text = NULL;
	int status, predict;

	if (argc == 5 && strcmp(argv[1], "--predict") == 0) {
		predict_text = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: RMUX_KEY=key rmux connect [--predict adaptive|always|never] "
				"address port\n");
		return 1;
	}
	predict = attach_predict_arg(predict_text);
	if (predict < 0 && predict != ATTACH_PREDICT_SESSION)
		return 1;
	text = getenv("RMUX_KEY");
	if (text == NULL) {
		fprintf(stderr, "rmux: RMUX_KEY is not set\n");
		return 1;
	}
	text = xstrdup(text);
	/* Children (and /proc/PID/environ readers later) do not see it. */
	OPENSSL_cleanse(getenv("RMUX_KEY"), strlen(text));
	unsetenv("RMUX_KEY");
	status = crypto_key_decode(text, strlen(text), key);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	if (status != 0) {
		fprintf(stderr, "rmux: RMUX_KEY is not a key\n");
		return 1;
	}
	if (!attach_can_run(0)) {
		OPENSSL_cleanse(key, sizeof key);
		return 1;
	}
	if (attach_port_arg(argv[2], &port) != 0 ||
	    udp_addr_resolve(argv[1], port, AF_UNSPEC, &addr) != 0) {
		if (port != 0)
			fprintf(stderr, "rmux: can't resolve %s\n", argv[1]);
		OPENSSL_cleanse(key, sizeof key);
		return 1;
	}
	status = attach_run(&addr, key, argv[1], predict);
	OPENSSL_cleanse(key, sizeof key);
	return status;
}

int attach_new_session(const struct attach_global *g)
{
	static const char *const words[] = { "new-session", "-d", "-P", "-F", "#{session_name}",
		NULL };
	char **argv;
	struct buf so, se;
	int status = 0, e, predict;
	char *name;

	predict = attach_predict_arg(NULL);
	if (predict < 0 && predict != ATTACH_PREDICT_SESSION)
		return 1;
	if (!attach_can_run(1))
		return 1;
	argv = attach_self_argv(g, words);
	buf_init(&so);
	buf_init(&se);
	e = bootstrap_capture(argv, &so, &se, &status);
	bootstrap_argv_free(argv);
	if (e != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || so.len == 0) {
		if (se.len > 0)
			(void)attach_write_all(STDERR_FILENO, se.data, se.len);
		else
			fprintf(stderr, "rmux: can't create a session\n");
		buf_free(&so);
		buf_free(&se);
		return 1;
	}
	while (so.len > 0 && (so.data[so.len - 1] == '\n' || so.data[so.len - 1] == '\r'))
		so.len--;
	name = xmalloc(so.len + 1);
	memcpy(name, so.data, so.len);
	name[so.len] = '\0';
	buf_free(&so);
	buf_free(&se);
	status = attach_local(g, name, 0, predict);
	free(name);
	return status;
}
