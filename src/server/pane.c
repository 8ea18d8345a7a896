/* pane.c — a pane's pty I/O. Reads are bounded per loop turn and feed the
 * emulator; its replies (DSR, DA) and typed keys go back in non-blocking
 * writes. Read handlers only note EOF; closing happens in the daemon's
 * per-turn pass so nothing is freed under a running callback. */
#include "server/pane.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/base64.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd_buffer.h"
#include "server/cmd_parse.h"
#include "server/daemon.h"
#include "server/options.h"
#include "server/paste.h"
#include "server/session.h"
#include "server/window.h"
#include "term/copy_mode.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

static struct pane *all_panes;
static int next_pane_id;

int pane_next_id(void)
{
	return next_pane_id;
}

struct pane *pane_find(int id)
{
	struct pane *p;

	for (p = all_panes; p != NULL; p = p->next_all) {
		if (p->id == id)
			return p;
	}
	return NULL;
}

struct pane *pane_first(void)
{
	return all_panes;
}

void pane_set_clipboard(struct pane *p, const char *sel, const void *data, size_t len)
{
	p->clipboards++;
	if (p->window != NULL && p->window->session != NULL)
		session_set_clipboard(p->window->session, sel, data, len);
	daemon_wake();
}

/* One OSC 52 entry "selection;base64" from the emulator. */
static void pane_clipboard_entry(struct pane *p, const char *entry, size_t len, int on)
{
	const char *semi = memchr(entry, ';', len);
	char sel[PANE_CLIP_SEL_MAX + 1];
	size_t slen, blen;
	uint8_t *data;
	long n;

	if (semi == NULL)
		return;
	slen = (size_t)(semi - entry);
	if (slen > PANE_CLIP_SEL_MAX)
		slen = PANE_CLIP_SEL_MAX;
	memcpy(sel, entry, slen);
	sel[slen] = '\0';
	blen = len - (size_t)(semi + 1 - entry);
	data = xmalloc(blen / 4 * 3 + 4);
	n = base64_decode(semi + 1, blen, data, blen / 4 * 3 + 4);
	/* A program's bad base64 is dropped, as a terminal would. */
	if (n >= 0) {
		pane_set_clipboard(p, sel, data, (size_t)n);
		if (on && n > 0)
			paste_add(cmd_buffer_store(), data, (size_t)n);
	}
	free(data);
}

static void pane_flush_replies(struct pane *p)
{
	struct screen *s = vt_screen(p->vt);
	long long mode;
	size_t off = 0;

	if (s->replies.len > 0) {
		pane_write(p, s->replies.data, s->replies.len);
		buf_reset(&s->replies);
	}
	if (s->clipboard.len == 0)
		return;
	/* set-clipboard: off drops, external forwards to the clients, on
	 * also keeps a paste buffer. */
	mode = options_get_number(global_options, "set-clipboard");
	while (mode > 0 && off < s->clipboard.len) {
		const char *e = (const char *)s->clipboard.data + off;
		const char *nl = memchr(e, '\n', s->clipboard.len - off);
		size_t len = nl != NULL ? (size_t)(nl - e) : s->clipboard.len - off;

		pane_clipboard_entry(p, e, len, mode == 2);
		off += len + 1;
	}
	buf_reset(&s->clipboard);
}

/* Read up to LIMIT bytes into the emulator. The loop goes on until the
 * pty says EAGAIN: measured, one more read costs less than a trip through
 * the event loop, and the writer has often refilled the pty meanwhile. */
static void pane_read(struct pane *p, size_t limit)
{
	static char chunk[16384];
	size_t total = 0;
	ssize_t n;

	while (total < limit) {
		n = read(p->fd, chunk, sizeof chunk);
		if (n > 0) {
			vt_input(p->vt, chunk, (size_t)n);
			total += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		/* EOF, or EIO once every slave descriptor is closed. */
		p->flags |= PANE_F_EOF;
		event_del(p->ev_read);
		daemon_wake();
		break;
	}
	/* The screen changed: the link's pass should look at it this turn
	 * rather than on a poll. */
	if (total > 0)
		daemon_wake();
	pane_flush_replies(p);
}

static void pane_read_cb(evutil_socket_t fd, short what, void *arg)
{
	pane_read(arg, PANE_READ_SLICE);
}

static void pane_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pane *p = arg;
	ssize_t n;

	if (p->out.len == 0)
		return;
	n = write(fd, p->out.data, p->out.len);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR) {
			event_add(p->ev_write, NULL);
			return;
		}
		buf_reset(&p->out);
		return;
	}
	memmove(p->out.data, p->out.data + n, p->out.len - (size_t)n);
	p->out.len -= (size_t)n;
	if (p->out.len > 0)
		event_add(p->ev_write, NULL);
}

void pane_write(struct pane *p, const void *data, size_t len)
{
	if (len == 0 || (p->flags & (PANE_F_EOF | PANE_F_DEAD_SHOWN)))
		return;
	/* With nothing queued, write now: a typed key reaches the program
	 * (and its echo comes back) a loop turn sooner. */
	if (p->out.len == 0 && p->fd >= 0) {
		buf_add(&p->out, data, len);
		pane_write_cb(p->fd, EV_WRITE, p);
		return;
	}
	buf_add(&p->out, data, len);
	event_add(p->ev_write, NULL);
}

static void pane_set_command(struct pane *p, const struct pty_spawn *sp)
{
	int i;

	for (i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	p->argc = sp->argc;
	p->argv = xcalloc((size_t)sp->argc + 1, sizeof *p->argv);
	for (i = 0; i < sp->argc; i++)
		p->argv[i] = xstrdup(sp->argv[i]);
}

/* Start SP's program on a new pty for P and watch it. */
static int pane_spawn(struct pane *p, struct pty_spawn *sp, char **cause)
{
	char **env, **saved = sp->env, **base = sp->env != NULL ? sp->env : environ;
	size_t n = 0, i;
	int rc;

	/* SP's environment (the daemon's own without one) and the pane's id. */
	for (i = 0; base[i] != NULL; i++)
		;
	env = xcalloc(i + 2, sizeof *env);
	for (i = 0; base[i] != NULL; i++) {
		if (strncmp(base[i], "RMUX_PANE=", 10) != 0)
			env[n++] = base[i];
	}
	env[n++] = xasprintf("RMUX_PANE=%%%d", p->id);
	env[n] = NULL;
	sp->env = env;
	rc = pty_spawn(sp, &p->fd, &p->pid, p->tty, sizeof p->tty);
	sp->env = saved;
	free(env[n - 1]);
	free(env);
	if (rc != 0) {
		*cause = xasprintf("fork failed: %s", strerror(errno));
		p->fd = -1;
		return -1;
	}
	p->ev_read = event_new(daemon_base(), p->fd, EV_READ | EV_PERSIST, pane_read_cb, p);
	p->ev_write = event_new(daemon_base(), p->fd, EV_WRITE, pane_write_cb, p);
	event_add(p->ev_read, NULL);
	log_debug("pane %%%d pid %ld on %s", p->id, (long)p->pid, p->tty);
	return 0;
}

struct pane *pane_create(struct window *w, struct pty_spawn *sp, unsigned history_limit,
    char **cause)
{
	struct pane *p = xcalloc(1, sizeof *p);
	char host[256];

	p->id = next_pane_id;
	p->window = w;
	p->sx = sp->sx;
	p->sy = sp->sy;
	if (pane_spawn(p, sp, cause) != 0) {
		free(p);
		return NULL;
	}
	next_pane_id++;
	pane_set_command(p, sp);
	p->vt = vt_create(sp->sx, sp->sy, history_limit);
	/* A new pane is titled with the host's name until its program sets
	 * a title, as in tmux (the default status-right shows it). */
	if (gethostname(host, sizeof host - 1) == 0) {
		host[sizeof host - 1] = '\0';
		screen_set_title(vt_screen(p->vt), host, strlen(host));
	}
	p->options = options_create(w->options);
	buf_init(&p->out);
	p->next_all = all_panes;
	all_panes = p;
	return p;
}

/* Close the pty and hang up the program if it still runs. */
static void pane_close_pty(struct pane *p)
{
	if (p->ev_read != NULL)
		event_free(p->ev_read);
	if (p->ev_write != NULL)
		event_free(p->ev_write);
	p->ev_read = p->ev_write = NULL;
	if (p->fd < 0)
		return;
	/* Closing the last master descriptor hangs up the slave; the signal
	 * makes sure a program that ignores the hangup still hears of it. */
	close(p->fd);
	p->fd = -1;
	if (!(p->flags & PANE_F_EXITED))
		kill(-p->pid, SIGHUP);
}

void pane_free(struct pane *p)
{
	struct pane **pp;

	for (pp = &all_panes; *pp != NULL; pp = &(*pp)->next_all) {
		if (*pp == p) {
			*pp = p->next_all;
			break;
		}
	}
	pane_close_pty(p);
	for (int i = 0; i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	copy_mode_free(p->copy);
	free(p->searchstr);
	vt_free(p->vt);
	buf_free(&p->out);
	options_free(p->options);
	free(p);
}

uint32_t pane_history_gen(struct pane *p)
{
	const struct history *h = vt_screen(p->vt)->history;
	uint64_t total = h != NULL ? history_total(h) : 0;
	unsigned size = h != NULL ? history_size(h) : 0;

	/* Pushes only raise the total, and the size with it up to the
	 * limit; anything else removed or renumbered lines. */
	if (total < p->hist_total ||
	    (uint64_t)size < RMUX_MIN((uint64_t)p->hist_size + (total - p->hist_total),
	    (uint64_t)(h != NULL ? history_limit(h) : 0)))
		p->hist_gen++;
	p->hist_total = total;
	p->hist_size = size;
	return p->hist_gen;
}

void pane_resize(struct pane *p, unsigned sx, unsigned sy)
{
	if (sx == p->sx && sy == p->sy)
		return;
	/* A reflow renumbers the history; a taller screen pops lines back. */
	if (sx != p->sx || sy > p->sy)
		p->hist_gen++;
	p->sx = sx;
	p->sy = sy;
	vt_resize(p->vt, sx, sy);
	(void)pane_history_gen(p);
	if (p->copy != NULL)
		copy_mode_refresh(p->copy);
	if (p->fd >= 0)
		pty_resize(p->fd, sx, sy);
}

int pane_is_dead(const struct pane *p)
{
	return (p->flags & (PANE_F_EOF | PANE_F_EXITED)) != 0 && !(p->flags & PANE_F_DEAD_SHOWN);
}

void pane_drain(struct pane *p)
{
	if (!(p->flags & PANE_F_EOF) && p->fd >= 0)
		pane_read(p, PANE_DRAIN_MAX);
}

int pane_remains(const struct pane *p)
{
	switch (options_get_number(p->options, "remain-on-exit")) {
	case 1:
		return 1;
	case 2:
		/* "failed": only a non-zero exit or a signal keeps it. */
		return !(p->flags & PANE_F_EXITED) || !WIFEXITED(p->status) ||
		    WEXITSTATUS(p->status) != 0;
	default:
		return 0;
	}
}

void pane_show_dead(struct pane *p)
{
	char when[64], line[256], *seq;
	struct tm tm;

	pane_drain(p);
	if (p->ev_read != NULL)
		event_del(p->ev_read);
	p->flags |= PANE_F_DEAD_SHOWN;
	p->dead_time = time(NULL);
	localtime_r(&p->dead_time, &tm);
	strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
	if (!(p->flags & PANE_F_EXITED))
		snprintf(line, sizeof line, "Pane is dead (%s)", when);
	else if (WIFSIGNALED(p->status))
		snprintf(line, sizeof line, "Pane is dead (signal %d, %s)", WTERMSIG(p->status), when);
	else
		snprintf(line, sizeof line, "Pane is dead (status %d, %s)", WEXITSTATUS(p->status),
		    when);
	/* As tmux: whole-screen scroll region, a line feed on the bottom line,
	 * then the text in the default colours, cut at the pane's width. */
	if (p->sx < sizeof line)
		line[p->sx] = '\0';
	seq = xasprintf("\030\033[0m\033(B\017\033[4l\033[r\033[%u;1H\n\033[?7l%s", p->sy, line);
	vt_input(p->vt, seq, strlen(seq));
	free(seq);
	buf_reset(&vt_screen(p->vt)->replies);
}

int pane_respawn(struct pane *p, struct pty_spawn *sp, char **cause)
{
	pane_close_pty(p);
	buf_reset(&p->out);
	p->flags = 0;
	p->status = 0;
	sp->sx = p->sx;
	sp->sy = p->sy;
	screen_reset(vt_screen(p->vt));
	if (sp->argc > 0)
		pane_set_command(p, sp);
	if (pane_spawn(p, sp, cause) != 0) {
		/* Nothing runs: the pane stays dead. */
		p->flags = PANE_F_EOF | PANE_F_EXITED | PANE_F_DEAD_SHOWN;
		return -1;
	}
	return 0;
}

void pane_reparent_options(struct pane *p)
{
	struct options *old = p->options;
	struct cmd_parse_result r;
	char *all, *cause;
	size_t i;

	/* Carry the pane's own values over through their printed form. */
	all = options_show_all(old, OPTION_SCOPE_SERVER | OPTION_SCOPE_SESSION |
	    OPTION_SCOPE_WINDOW | OPTION_SCOPE_PANE, 0);
	p->options = options_create(p->window->options);
	memset(&r, 0, sizeof r);
	cmd_parse_string(all, strlen(all), NULL, &r);
	for (i = 0; i < r.ncmds; i++) {
		if (r.cmds[i].argc == 2 &&
		    options_set(p->options, r.cmds[i].argv[0], r.cmds[i].argv[1], 0, 0, &cause) != 0)
			free(cause);
	}
	cmd_parse_result_free(&r);
	free(all);
	options_free(old);
}

int pane_child_exited(pid_t pid, int status)
{
	struct pane *p;

	for (p = all_panes; p != NULL; p = p->next_all) {
		if (p->pid == pid) {
			p->flags |= PANE_F_EXITED;
			p->status = status;
			return 1;
		}
	}
	return 0;
}
