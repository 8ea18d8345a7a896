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
#include <unistd.h>

#include <event2/event.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/daemon.h"
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

static void pane_flush_replies(struct pane *p)
{
	struct screen *s = vt_screen(p->vt);

	if (s->replies.len > 0) {
		pane_write(p, s->replies.data, s->replies.len);
		buf_reset(&s->replies);
	}
	/* OSC 52 goes to attached clients; there are none yet. */
	buf_reset(&s->clipboard);
}

static void pane_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pane *p = arg;
	static char chunk[16384];
	size_t total = 0;
	ssize_t n;

	while (total < PANE_READ_SLICE) {
		n = read(fd, chunk, sizeof chunk);
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
	pane_flush_replies(p);
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
	if (len == 0 || (p->flags & PANE_F_EOF))
		return;
	buf_add(&p->out, data, len);
	event_add(p->ev_write, NULL);
}

struct pane *pane_create(struct window *w, struct pty_spawn *sp, unsigned history_limit,
    char **cause)
{
	struct pane *p = xcalloc(1, sizeof *p);
	char var[32];
	char *env[8];
	size_t n = 0, i;

	p->id = next_pane_id;
	p->window = w;
	p->sx = sp->sx;
	p->sy = sp->sy;
	snprintf(var, sizeof var, "RMUX_PANE=%%%d", p->id);
	/* Keep the caller's extra entries and add ours. */
	for (i = 0; sp->env != NULL && sp->env[i] != NULL && n < RMUX_NITEMS(env) - 2; i++)
		env[n++] = sp->env[i];
	env[n++] = var;
	env[n] = NULL;
	{
		char **saved = sp->env;

		sp->env = env;
		if (pty_spawn(sp, &p->fd, &p->pid, p->tty, sizeof p->tty) != 0) {
			sp->env = saved;
			*cause = xasprintf("create pane failed: %s", strerror(errno));
			free(p);
			return NULL;
		}
		sp->env = saved;
	}
	next_pane_id++;
	p->vt = vt_create(sp->sx, sp->sy, history_limit);
	buf_init(&p->out);
	p->ev_read = event_new(daemon_base(), p->fd, EV_READ | EV_PERSIST, pane_read_cb, p);
	p->ev_write = event_new(daemon_base(), p->fd, EV_WRITE, pane_write_cb, p);
	event_add(p->ev_read, NULL);
	p->next_all = all_panes;
	all_panes = p;
	log_debug("pane %%%d pid %ld on %s", p->id, (long)p->pid, p->tty);
	return p;
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
	event_free(p->ev_read);
	event_free(p->ev_write);
	/* Closing the last master descriptor hangs up the slave; the signal
	 * makes sure a program that ignores the hangup still hears of it. */
	close(p->fd);
	if (!(p->flags & PANE_F_EXITED))
		kill(-p->pid, SIGHUP);
	vt_free(p->vt);
	buf_free(&p->out);
	free(p);
}

void pane_resize(struct pane *p, unsigned sx, unsigned sy)
{
	if (sx == p->sx && sy == p->sy)
		return;
	p->sx = sx;
	p->sy = sy;
	vt_resize(p->vt, sx, sy);
	pty_resize(p->fd, sx, sy);
}

int pane_is_dead(const struct pane *p)
{
	return (p->flags & (PANE_F_EOF | PANE_F_EXITED)) != 0;
}

void pane_drain(struct pane *p)
{
	if (!(p->flags & PANE_F_EOF))
		pane_read_cb(p->fd, EV_READ, p);
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
