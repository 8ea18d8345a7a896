/* keys.c — the key path of the daemon (see keys.h). The decisions (which
 * table, prefix, repeat runs) are the key_table module's; this file holds
 * the state those decisions need per session and carries them out. A
 * session's state lives here, found by session id, so sessions need no
 * field for it; entries of sessions that are gone are dropped on the next
 * key. */
#include "server/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include <event2/event.h>

#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/input_stream.h"
#include "server/cmd.h"
#include "server/cmd_keys.h"
#include "server/cmd_copy.h"
#include "term/copy_mode.h"
#include "server/daemon.h"
#include "server/display_panes.h"
#include "server/key_table.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/style.h"
#include "server/view_build.h"
#include "server/window.h"
#include "term/key_string.h"
#include "term/vt.h"

/* Mouse events of a session's clients: the drag in progress (button + 1,
 * 0 for none) and what its motion does, the last position (window cells)
 * for border drags, and the click count of tmux 3.3a: a second press of
 * the same button within KEYS_CLICK_MS is a SecondClick, a third a
 * TripleClick; a second press not followed by a third in time is a
 * DoubleClick, sent when the timer fires. */
#define KEYS_CLICK_MS 300

struct keys_state {
	int session_id;
	struct key_client kc;
	int drag_flag, drag_what, drag_pane;
	unsigned lx, ly;
	int have_last;
	unsigned last_x, last_y; /* client cells of the last event */
	int clicks; /* 0; 1: a press seen; 2: a second one */
	unsigned click_button;
	struct keys_mouse_event click_ev;
	struct event *click_timer;
	struct keys_state *next;
};

static struct key_tables *tables;
static struct keys_state *states;
static unsigned depth;

/* ---- options ---- */

/* The set NAME is read from for P: the pane's chain for window and pane
 * options, its session's for session options, else the global sets. */
static const struct options *option_set(const struct pane *p, const char *name)
{
	const char *cause;
	const struct options_entry *oe = options_table_find(name, &cause);

	if (oe == NULL || (oe->scope & OPTION_SCOPE_SERVER))
		return global_options;
	if (oe->scope & OPTION_SCOPE_SESSION) {
		if (p != NULL && p->window != NULL && p->window->session != NULL)
			return p->window->session->options;
		return global_s_options;
	}
	return p != NULL && p->options != NULL ? p->options : global_w_options;
}

long long keys_option_number(const struct pane *p, const char *name)
{
	return options_get_number(option_set(p, name), name);
}

const char *keys_option_string(const struct pane *p, const char *name)
{
	const char *v = options_get_string(option_set(p, name), name);

	return v != NULL ? v : "";
}

/* ---- tables ---- */

struct key_tables *keys_tables(void)
{
	static const struct {
		const char *name;
		int vi;
	} modes[] = { { "copy-mode", 0 }, { "copy-mode-vi", 1 } };
	struct key_tables_ops ops = { cmd_keys_print, NULL };
	size_t i, j, n;

	if (tables != NULL)
		return tables;
	tables = key_tables_create(&ops);
	for (i = 0; i < RMUX_NITEMS(modes); i++) {
		const struct copy_mode_binding *b = copy_mode_default_bindings(modes[i].vi, &n);

		for (j = 0; j < n; j++) {
			char *cause = NULL;

			/* Fixed text from copy_mode.c; a failure is a bug there. */
			if (key_tables_bind_text(tables, modes[i].name, b[j].key, 0, NULL, b[j].command,
			    &cause) != 0) {
				fprintf(stderr, "rmux: bad default binding %s %s: %s\n", modes[i].name,
				    b[j].key, cause);
				abort();
			}
		}
	}
	return tables;
}

const char *keys_mode_table(const struct pane *p)
{
	if (p == NULL || p->copy == NULL)
		return NULL;
	return keys_option_number(p, "mode-keys") ? "copy-mode-vi" : "copy-mode";
}

/* ---- per-session state ---- */

static struct keys_state *state_get(const struct session *s)
{
	struct keys_state **sp, *st;

	for (sp = &states; *sp != NULL;) {
		st = *sp;
		if (st->session_id == s->id)
			return st;
		if (session_find_id(st->session_id) == NULL) {
			*sp = st->next;
			key_client_clear(&st->kc);
			if (st->click_timer != NULL)
				event_free(st->click_timer);
			free(st);
			continue;
		}
		sp = &st->next;
	}
	st = xcalloc(1, sizeof *st);
	st->session_id = s->id;
	st->next = states;
	states = st;
	return st;
}

const char *keys_session_table(const struct session *s)
{
	struct keys_state *st;

	for (st = states; st != NULL; st = st->next) {
		if (st->session_id == s->id)
			return key_client_table(&st->kc, "root");
	}
	return "root";
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- running ---- */

void keys_pane_key(struct pane *p, uint64_t key)
{
	const struct screen *scr;
	char bytes[KEY_BYTES_MAX];
	int modes = 0, n;

	if (p->copy != NULL)
		return;
	scr = vt_screen(p->vt);
	if (scr->modes & MODE_APP_CURSOR)
		modes |= KEY_MODE_CURSOR;
	if (scr->modes & MODE_APP_KEYPAD)
		modes |= KEY_MODE_KEYPAD;
	n = key_string_to_bytes(key, modes, bytes);
	if (n > 0)
		pane_write(p, bytes, (size_t)n);
}

/* One word for cmd_execute's argument splitting: a trailing ';' would
 * separate commands, so it is written "\;". */
static char *protect_word(const char *w)
{
	size_t len = strlen(w);

	if (len == 0 || w[len - 1] != ';')
		return xstrdup(w);
	return xasprintf("%.*s\\;", (int)(len - 1), w);
}

int keys_run(struct cmd_ctx *ctx, struct pane *p, const struct cmd_parse_result *cmds)
{
	struct ctlmsg_command req;
	char var[32];
	char *env[1];
	char **argv;
	size_t i, n = 0, total = 0;
	int j, status;

	if (cmds->ncmds == 0)
		return CMD_OK;
	if (depth >= KEYS_MAX_DEPTH)
		return cmd_error(ctx, "key bindings nest too deeply");
	for (i = 0; i < cmds->ncmds; i++)
		total += (size_t)cmds->cmds[i].argc + 1;
	argv = xcalloc(total + 1, sizeof *argv);
	for (i = 0; i < cmds->ncmds; i++) {
		if (i != 0)
			argv[n++] = xstrdup(";");
		for (j = 0; j < cmds->cmds[i].argc; j++)
			argv[n++] = protect_word(cmds->cmds[i].argv[j]);
	}
	/* The commands see P as the pane they were typed in (RMUX_PANE). */
	memset(&req, 0, sizeof req);
	req.cwd = ctx->req != NULL ? ctx->req->cwd : (char *)"/";
	if (p != NULL) {
		snprintf(var, sizeof var, "RMUX_PANE=%%%d", p->id);
		env[0] = var;
		req.env = env;
		req.envc = 1;
	}
	req.argc = (int)n;
	req.argv = argv;
	depth++;
	status = cmd_execute(&req, (int)n, argv, ctx->out, ctx->err);
	depth--;
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	return status;
}

int keys_dispatch(struct cmd_ctx *ctx, struct session *s, struct pane **pp, uint64_t key)
{
	struct keys_state *st = state_get(s);
	const struct key_binding *bd;
	struct key_dispatch kd;
	struct cmd_parse_result cmds;
	struct pane *p = *pp;
	int sid = s->id, status = CMD_OK;

	/* An open command prompt takes the keys before any table. */
	if (prompt_key(s, pp, key))
		return CMD_OK;
	if (display_panes_key(s, pp, key))
		return CMD_OK;
	memset(&kd, 0, sizeof kd);
	kd.default_table = "root";
	kd.mode_table = keys_mode_table(p);
	kd.prefix = (uint64_t)keys_option_number(p, "prefix");
	kd.prefix2 = (uint64_t)keys_option_number(p, "prefix2");
	kd.repeat_time = (unsigned)keys_option_number(p, "repeat-time");
	kd.now = now_ms();
	switch (key_tables_dispatch(keys_tables(), &st->kc, &kd, key, &bd)) {
	case KEY_DISPATCH_PANE:
		keys_pane_key(p, key);
		return CMD_OK;
	case KEY_DISPATCH_RUN:
		/* The binding may be replaced while it runs. */
		key_binding_dup(bd, &cmds);
		status = keys_run(ctx, p, &cmds);
		cmd_parse_result_free(&cmds);
		/* A client's key (no command line waits for the answer): the
		 * error shows on the session's message line. */
		if (status != CMD_OK && ctx->req == NULL)
			prompt_error(sid, ctx->err);
		break;
	default:
		return CMD_OK;
	}
	s = session_find_id(sid);
	*pp = s != NULL && s->cur != NULL ? s->cur->active : NULL;
	return status;
}

/* ---- the mouse ---- */

/* Mouse events in key_string_mouse()'s order: the first of each group is
 * button 1's. */
#define MOUSE_EV_MOVE 0
#define MOUSE_EV_DOWN 1
#define MOUSE_EV_UP 4
#define MOUSE_EV_DRAG 7
#define MOUSE_EV_DRAGEND 10
#define MOUSE_EV_WHEELUP 13
#define MOUSE_EV_WHEELDOWN 14
#define MOUSE_EV_SECOND 15
#define MOUSE_EV_DOUBLE 18
#define MOUSE_EV_TRIPLE 21

/* The event the running binding was made from (valid only meanwhile). */
static struct {
	int valid;
	int session_id, window_id, pane_id; /* pane_id -1: none */
	int location;
	unsigned x, y;
	struct keys_mouse_event ev;
} mouse;

static const char *opt_string(const struct options *oo, const char *name)
{
	const char *v = options_get_string(oo, name);

	return v != NULL ? v : "";
}

static int in_pane(const struct pane *p, unsigned x, unsigned y)
{
	return x >= p->xoff && x < p->xoff + p->sx && y >= p->yoff && y < p->yoff + p->sy;
}

static unsigned format_width(const char *fmt, struct session *s, struct window *w)
{
	char *t = cmd_format(fmt, s, w, w != NULL ? w->active : NULL);
	unsigned n = style_width(t);

	free(t);
	return n;
}

/* The entry of the first status line under column X of WIDTH: the left
 * and right parts, and the window list laid out from the left as the
 * default status-justify does. Other justifications map only the left and
 * right parts; the rest is StatusDefault. */
static void status_locate(struct session *s, unsigned x, unsigned width,
    struct keys_mouse_where *out)
{
	const struct options *oo = s->options;
	unsigned wl, wr, at, n;
	struct window *w;

	wl = RMUX_MIN(format_width(opt_string(oo, "status-left"), s, s->cur),
	    (unsigned)options_get_number(oo, "status-left-length"));
	wr = RMUX_MIN(format_width(opt_string(oo, "status-right"), s, s->cur),
	    (unsigned)options_get_number(oo, "status-right-length"));
	out->location = KEYS_MOUSE_STATUS_DEFAULT;
	out->w = s->cur;
	if (x < wl) {
		out->location = KEYS_MOUSE_STATUS_LEFT;
		return;
	}
	if (wr > 0 && wr <= width && x >= width - wr) {
		out->location = KEYS_MOUSE_STATUS_RIGHT;
		return;
	}
	if (options_get_number(oo, "status-justify") != 0)
		return;
	at = wl;
	for (w = s->windows; w != NULL && at <= x; w = w->next) {
		n = format_width(opt_string(w->options, w == s->cur ? "window-status-current-format" :
		    "window-status-format"), s, w);
		if (x < at + n) {
			out->location = KEYS_MOUSE_STATUS;
			out->w = w;
			return;
		}
		at += n + format_width(opt_string(w->options, "window-status-separator"), s, w);
	}
}

void keys_mouse_locate(struct session *s, const struct keys_mouse_event *ev,
    struct keys_mouse_where *out)
{
	struct window *w = s->cur;
	unsigned nstatus = view_build_status_lines(s), top = 0, area, x = ev->x, y = ev->y;
	int zoomed;
	size_t i;

	memset(out, 0, sizeof *out);
	out->location = KEYS_MOUSE_NOWHERE;
	if (w == NULL || ev->rows == 0)
		return;
	/* As the view is built: the status lines never take every row. */
	if (nstatus >= ev->rows)
		nstatus = ev->rows - 1;
	area = ev->rows - nstatus;
	if (nstatus > 0 && options_get_number(s->options, "status-position") == 0)
		top = nstatus;
	if (nstatus > 0 && (top != 0 ? y < top : y >= area)) {
		out->x = x;
		out->y = top != 0 ? y : y - area;
		if (out->y == 0)
			status_locate(s, x, ev->cols, out);
		else {
			out->location = KEYS_MOUSE_STATUS_DEFAULT;
			out->w = w;
		}
		out->p = out->w->active;
		return;
	}
	y -= top;
	out->x = x;
	out->y = y;
	out->w = w;
	zoomed = layout_zoomed(w->layout);
	/* A border is the cell column right of a pane or the row below it,
	 * corners included, as tmux counts them. */
	for (i = 0; zoomed < 0 && i < w->npanes; i++) {
		struct pane *p = w->panes[i];

		if ((p->xoff + p->sx == x && p->yoff <= 1 + y && p->yoff + p->sy >= y) ||
		    (p->yoff + p->sy == y && p->xoff <= 1 + x && p->xoff + p->sx >= x)) {
			out->location = KEYS_MOUSE_BORDER;
			out->p = p;
			return;
		}
	}
	for (i = 0; i < w->npanes; i++) {
		struct pane *p = w->panes[i];

		if (zoomed >= 0 && p->id != zoomed)
			continue;
		if (in_pane(p, x, y)) {
			out->location = KEYS_MOUSE_PANE;
			out->p = p;
			return;
		}
	}
}

/* A value of the UTF-8 mouse encoding (1005): one byte below 128, else
 * two. */
static size_t put_utf8_coord(unsigned v, char *out)
{
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	out[0] = (char)(0xc0 | (v >> 6));
	out[1] = (char)(0x80 | (v & 0x3f));
	return 2;
}

size_t keys_mouse_encode(unsigned modes, unsigned kind, unsigned button, unsigned mods,
    unsigned px, unsigned py, char *out)
{
	unsigned b;
	size_t n;

	if (!(modes & MODE_MOUSE_ANY_MASK))
		return 0;
	if (kind == INPUT_MOUSE_MOVE && !(modes & MODE_MOUSE_ANY))
		return 0;
	if (kind == INPUT_MOUSE_DRAG && !(modes & (MODE_MOUSE_BUTTON | MODE_MOUSE_ANY)))
		return 0;
	/* ?9 alone: presses only, without modifiers. */
	if ((modes & MODE_MOUSE_ANY_MASK) == MODE_MOUSE_X10) {
		if (kind != INPUT_MOUSE_PRESS && kind != INPUT_MOUSE_WHEEL)
			return 0;
		mods = 0;
	}
	switch (kind) {
	case INPUT_MOUSE_WHEEL:
		if (button > 3)
			return 0;
		b = 64 + button;
		break;
	case INPUT_MOUSE_MOVE:
		b = 35;
		break;
	default:
		b = button < 8 ? (button & 3) : 128 + ((button - 8) & 3);
		if (kind == INPUT_MOUSE_DRAG)
			b += 32;
		/* Without SGR a release does not say which button. */
		if (kind == INPUT_MOUSE_RELEASE && !(modes & MODE_MOUSE_SGR))
			b = 3;
		break;
	}
	if (mods & INPUT_MOD_SHIFT)
		b |= 4;
	if (mods & INPUT_MOD_META)
		b |= 8;
	if (mods & INPUT_MOD_CTRL)
		b |= 16;
	if (modes & MODE_MOUSE_SGR) {
		if (px >= 100000 || py >= 100000)
			return 0;
		return (size_t)snprintf(out, KEYS_MOUSE_BYTES_MAX, "\033[<%u;%u;%u%c", b, px + 1,
		    py + 1, kind == INPUT_MOUSE_RELEASE ? 'm' : 'M');
	}
	memcpy(out, "\033[M", 3);
	n = 3;
	if (modes & MODE_MOUSE_UTF8) {
		if (b + 32 > 0x7ff || px + 33 > 0x7ff || py + 33 > 0x7ff)
			return 0;
		n += put_utf8_coord(b + 32, out + n);
		n += put_utf8_coord(px + 33, out + n);
		n += put_utf8_coord(py + 33, out + n);
		return n;
	}
	if (b + 32 > 255 || px + 33 > 255 || py + 33 > 255)
		return 0;
	out[n++] = (char)(b + 32);
	out[n++] = (char)(px + 33);
	out[n++] = (char)(py + 33);
	return n;
}

/* EV at window cell X, Y to pane P, if it is inside P and P's program
 * asked for it. A pane in copy mode takes no mouse input. */
static void mouse_send(struct pane *p, const struct keys_mouse_event *ev, unsigned x, unsigned y)
{
	char buf[KEYS_MOUSE_BYTES_MAX];
	size_t n;

	if (p == NULL || p->copy != NULL || !in_pane(p, x, y))
		return;
	n = keys_mouse_encode(vt_screen(p->vt)->modes, ev->kind, ev->button, ev->mods, x - p->xoff,
	    y - p->yoff, buf);
	if (n != 0)
		pane_write(p, buf, n);
}

/* Move the border that was under LX, LY to X, Y (resize-pane -M). */
static void border_drag(struct window *w, unsigned lx, unsigned ly, unsigned x, unsigned y)
{
	size_t i;
	int done_x = 0, done_y = 0;

	if (w == NULL || layout_zoomed(w->layout) >= 0)
		return;
	for (i = 0; i < w->npanes; i++) {
		struct pane *p = w->panes[i];

		if (!done_x && x != lx && p->xoff + p->sx == lx && p->yoff <= 1 + ly &&
		    p->yoff + p->sy >= ly) {
			layout_resize_pane(w->layout, p->id, x > lx ? LAYOUT_DIR_RIGHT : LAYOUT_DIR_LEFT,
			    x > lx ? x - lx : lx - x);
			done_x = 1;
		}
		if (!done_y && y != ly && p->yoff + p->sy == ly && p->xoff <= 1 + lx &&
		    p->xoff + p->sx >= lx) {
			layout_resize_pane(w->layout, p->id, y > ly ? LAYOUT_DIR_DOWN : LAYOUT_DIR_UP,
			    y > ly ? y - ly : ly - y);
			done_y = 1;
		}
	}
	if (done_x || done_y)
		window_apply_layout(w);
}

/* Motion of a drag that a command took over. */
static void drag_update(struct session *s, struct keys_state *st, const struct keys_mouse_where *wh)
{
	struct pane *p;
	unsigned x, y;

	if (wh->location == KEYS_MOUSE_NOWHERE || wh->location == KEYS_MOUSE_STATUS ||
	    (wh->location >= KEYS_MOUSE_STATUS_LEFT && wh->location <= KEYS_MOUSE_STATUS_DEFAULT))
		return;
	if (st->drag_what == KEYS_DRAG_RESIZE) {
		border_drag(s->cur, st->lx, st->ly, wh->x, wh->y);
		return;
	}
	p = pane_find(st->drag_pane);
	if (p == NULL || p->copy == NULL || p->window != s->cur) {
		st->drag_what = 0;
		return;
	}
	/* Beyond the pane, the cursor stops at its edge. */
	x = wh->x < p->xoff ? 0 : RMUX_MIN(wh->x - p->xoff, p->sx - 1);
	y = wh->y < p->yoff ? 0 : RMUX_MIN(wh->y - p->yoff, p->sy - 1);
	copy_mode_mouse_move(p->copy, x, y);
}

static int mouse_on(struct session *s)
{
	return options_get_number(s->options, "mouse") != 0;
}

/* Mouse key KEY of event EV at WH: its binding runs with the mouse pane as
 * the pane it was typed in; unbound, the pane gets the event. */
static void mouse_run(struct session *s, struct keys_state *st, const struct keys_mouse_where *wh,
    uint64_t key, const struct keys_mouse_event *ev)
{
	const struct key_binding *bd;
	struct key_dispatch kd;
	struct cmd_parse_result cmds;
	struct cmd_ctx ctx;
	struct buf out, err;
	struct pane *p = wh->p != NULL ? wh->p : (s->cur != NULL ? s->cur->active : NULL);
	int saved_valid = mouse.valid;

	if (ev->mods & INPUT_MOD_SHIFT)
		key |= KEY_SHIFT;
	if (ev->mods & INPUT_MOD_META)
		key |= KEY_META;
	if (ev->mods & INPUT_MOD_CTRL)
		key |= KEY_CTRL;
	memset(&kd, 0, sizeof kd);
	kd.default_table = "root";
	kd.mode_table = keys_mode_table(p);
	kd.prefix = (uint64_t)keys_option_number(p, "prefix");
	kd.prefix2 = (uint64_t)keys_option_number(p, "prefix2");
	kd.repeat_time = (unsigned)keys_option_number(p, "repeat-time");
	kd.now = now_ms();
	switch (key_tables_dispatch(keys_tables(), &st->kc, &kd, key, &bd)) {
	case KEY_DISPATCH_PANE:
		if (wh->location == KEYS_MOUSE_PANE)
			mouse_send(wh->p, ev, wh->x, wh->y);
		return;
	case KEY_DISPATCH_RUN:
		break;
	default:
		return;
	}
	mouse.valid = 1;
	mouse.session_id = s->id;
	mouse.window_id = wh->w != NULL ? wh->w->id : -1;
	mouse.pane_id = p != NULL ? p->id : -1;
	mouse.location = wh->location;
	mouse.x = wh->x;
	mouse.y = wh->y;
	mouse.ev = *ev;
	key_binding_dup(bd, &cmds);
	memset(&ctx, 0, sizeof ctx);
	buf_init(&out);
	buf_init(&err);
	ctx.out = &out;
	ctx.err = &err;
	ctx.cur_pane = p;
	(void)keys_run(&ctx, p, &cmds);
	cmd_parse_result_free(&cmds);
	buf_free(&out);
	buf_free(&err);
	mouse.valid = saved_valid;
}

/* The key for event number EVENT at WH, unless there is none or the
 * mouse option is off: then the pane under the mouse gets EV itself. */
static void mouse_key(struct session *s, struct keys_state *st, const struct keys_mouse_where *wh,
    int event, const struct keys_mouse_event *ev)
{
	if (wh->location == KEYS_MOUSE_NOWHERE)
		return;
	if (!mouse_on(s)) {
		if (wh->location == KEYS_MOUSE_PANE)
			mouse_send(wh->p, ev, wh->x, wh->y);
		return;
	}
	if (event < 0)
		return;
	mouse_run(s, st, wh, key_string_mouse((unsigned)event, (unsigned)wh->location), ev);
}

static void click_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct session *s = session_find_id((int)(intptr_t)arg);
	struct keys_state *st;
	struct keys_mouse_where wh;

	(void)fd, (void)what;
	if (s == NULL)
		return;
	st = state_get(s);
	if (st->clicks == 2 && st->click_button < 3) {
		/* No third click came: it was a double click. */
		keys_mouse_locate(s, &st->click_ev, &wh);
		st->clicks = 0;
		mouse_key(s, st, &wh, MOUSE_EV_DOUBLE + (int)st->click_button, &st->click_ev);
	}
	st->clicks = 0;
}

static void click_timer_start(struct session *s, struct keys_state *st)
{
	struct timeval tv = { 0, KEYS_CLICK_MS * 1000 };

	if (daemon_base() == NULL)
		return;
	if (st->click_timer == NULL)
		st->click_timer = evtimer_new(daemon_base(), click_timer_cb, (void *)(intptr_t)s->id);
	evtimer_del(st->click_timer);
	evtimer_add(st->click_timer, &tv);
}

void keys_mouse(struct session *s, const struct keys_mouse_event *ev)
{
	struct keys_state *st = state_get(s);
	struct keys_mouse_where wh;
	unsigned b = ev->button;
	int event = -1;

	keys_mouse_locate(s, ev, &wh);
	/* Anything but motion and the wheel ends a drag: MouseDragEnd of its
	 * button is the only key of the event. */
	if (st->drag_flag != 0 && ev->kind != INPUT_MOUSE_DRAG && ev->kind != INPUT_MOUSE_WHEEL) {
		int db = st->drag_flag - 1;
		struct pane *dp = pane_find(st->drag_pane);

		if (wh.location == KEYS_MOUSE_NOWHERE && st->drag_what == KEYS_DRAG_COPY &&
		    dp != NULL && dp->window == s->cur) {
			/* Released outside the window: the copy still ends. */
			wh.location = KEYS_MOUSE_PANE;
			wh.w = dp->window;
			wh.p = dp;
		}
		st->drag_flag = 0;
		st->drag_what = 0;
		mouse_key(s, st, &wh, db < 3 ? MOUSE_EV_DRAGEND + db : -1, ev);
		goto out;
	}
	switch (ev->kind) {
	case INPUT_MOUSE_DRAG:
		if (st->drag_what != 0 && mouse_on(s)) {
			drag_update(s, st, &wh);
			goto out;
		}
		/* A drag starts where the button went down, as in tmux. */
		if (st->have_last) {
			struct keys_mouse_event start = *ev;

			start.x = st->last_x;
			start.y = st->last_y;
			keys_mouse_locate(s, &start, &wh);
		}
		/* A drag is no click: the next press is a first one. */
		st->clicks = 0;
		if (b < 3)
			event = MOUSE_EV_DRAG + (int)b;
		if (mouse_on(s))
			st->drag_flag = (int)b + 1;
		break;
	case INPUT_MOUSE_PRESS:
		if (st->clicks == 1 && b == st->click_button) {
			event = MOUSE_EV_SECOND;
			st->clicks = 2;
		} else if (st->clicks == 2 && b == st->click_button) {
			event = MOUSE_EV_TRIPLE;
			st->clicks = 0;
			if (st->click_timer != NULL)
				evtimer_del(st->click_timer);
		} else {
			event = MOUSE_EV_DOWN;
			st->clicks = 1;
		}
		if (event != MOUSE_EV_TRIPLE) {
			st->click_button = b;
			st->click_ev = *ev;
			click_timer_start(s, st);
		}
		event = b < 3 ? event + (int)b : -1;
		break;
	case INPUT_MOUSE_RELEASE:
		if (b < 3)
			event = MOUSE_EV_UP + (int)b;
		break;
	case INPUT_MOUSE_WHEEL:
		if (b == 0)
			event = MOUSE_EV_WHEELUP;
		else if (b == 1)
			event = MOUSE_EV_WHEELDOWN;
		break;
	case INPUT_MOUSE_MOVE:
		event = MOUSE_EV_MOVE;
		break;
	default:
		return;
	}
	mouse_key(s, st, &wh, event, ev);
out:
	/* The session may be gone; its state with it. */
	if (session_find_id(s->id) != s)
		return;
	st->have_last = 1;
	st->last_x = ev->x;
	st->last_y = ev->y;
	if (wh.location == KEYS_MOUSE_PANE || wh.location == KEYS_MOUSE_BORDER) {
		st->lx = wh.x;
		st->ly = wh.y;
	}
}

int keys_mouse_target(struct session **s, struct window **w, struct pane **p, int *px, int *py)
{
	struct session *ms;
	struct window *mw;
	struct pane *mp;

	if (!mouse.valid || (ms = session_find_id(mouse.session_id)) == NULL)
		return -1;
	mw = window_find_id(mouse.window_id);
	if (mw == NULL || mw->session != ms)
		return -1;
	mp = mouse.pane_id >= 0 ? pane_find(mouse.pane_id) : NULL;
	if (mp != NULL && mp->window != mw)
		mp = NULL;
	if (mp == NULL)
		mp = mw->active;
	if (s != NULL)
		*s = ms;
	if (w != NULL)
		*w = mw;
	if (p != NULL)
		*p = mp;
	if (px != NULL)
		*px = mp != NULL ? (int)mouse.x - (int)mp->xoff : -1;
	if (py != NULL)
		*py = mp != NULL ? (int)mouse.y - (int)mp->yoff : -1;
	if (mouse.location != KEYS_MOUSE_PANE && mouse.location != KEYS_MOUSE_BORDER) {
		/* Not a pane cell. */
		if (px != NULL)
			*px = -1;
		if (py != NULL)
			*py = -1;
	}
	return 0;
}

int keys_mouse_is_wheel(void)
{
	return mouse.valid && mouse.ev.kind == INPUT_MOUSE_WHEEL;
}

void keys_mouse_forward(void)
{
	struct pane *p;

	if (!mouse.valid || mouse.location != KEYS_MOUSE_PANE)
		return;
	p = pane_find(mouse.pane_id);
	if (p != NULL)
		mouse_send(p, &mouse.ev, mouse.x, mouse.y);
}

void keys_mouse_drag(int what)
{
	struct session *s;
	struct keys_state *st;

	if (!mouse.valid || (s = session_find_id(mouse.session_id)) == NULL)
		return;
	st = state_get(s);
	st->drag_what = what;
	st->drag_pane = mouse.pane_id;
	if (st->drag_flag == 0)
		st->drag_flag = (int)mouse.ev.button + 1;
	/* The motion that started the drag counts already. */
	if (what == KEYS_DRAG_RESIZE && mouse.location == KEYS_MOUSE_BORDER)
		border_drag(s->cur, st->lx, st->ly, mouse.x, mouse.y);
}
