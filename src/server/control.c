/* control.c — command-line connections on the control socket. A peer
 * sends one CTLMSG_COMMAND; the reply (stdout, stderr, exit status) is
 * queued and the connection closes once it is written. Requests are run
 * in the daemon's per-turn pass, never inside the read callback. */
#include "server/control.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "common/ctlmsg.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/daemon.h"

#define CONTROL_READING 0
#define CONTROL_READY 1   /* a request waits for the next turn */
#define CONTROL_CLOSING 2 /* reply queued, close when written */
#define CONTROL_WAITING 3 /* blocked in wait-for */

struct control_client {
	struct bufferevent *bev;
	int state;
	struct ctlmsg_command req;
	size_t next_cmd;  /* where a command list resumes after wait-for */
	struct buf out, err;
	struct control_client *next;
};

static struct control_client *clients;

size_t control_count(void)
{
	struct control_client *c;
	size_t n = 0;

	for (c = clients; c != NULL; c = c->next)
		n++;
	return n;
}

static void control_free(struct control_client *c)
{
	struct control_client **pp;

	for (pp = &clients; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (c->state == CONTROL_WAITING)
		cmd_wait_cancel(c);
	bufferevent_free(c->bev);
	ctlmsg_command_free(&c->req);
	buf_free(&c->out);
	buf_free(&c->err);
	free(c);
	daemon_wake();
}

void control_wake(void *waiter)
{
	struct control_client *c;

	for (c = clients; c != NULL; c = c->next) {
		if (c == waiter && c->state == CONTROL_WAITING) {
			c->state = CONTROL_READY;
			daemon_wake();
		}
	}
}

static void control_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in), plen;
	const uint8_t *payload;
	uint32_t type;
	long n;

	if (c->state != CONTROL_READING) {
		evbuffer_drain(in, len);
		return;
	}
	n = ctlmsg_peek(evbuffer_pullup(in, -1), len, &type, &payload, &plen);
	if (n == 0)
		return;
	if (n < 0 || type != CTLMSG_COMMAND ||
	    ctlmsg_command_decode(payload, plen, &c->req) != 0) {
		log_debug("control: bad request, closing");
		control_free(c);
		return;
	}
	evbuffer_drain(in, (size_t)n);
	c->state = CONTROL_READY;
	daemon_wake();
}

static void control_write_cb(struct bufferevent *bev, void *arg)
{
	struct control_client *c = arg;

	if (c->state == CONTROL_CLOSING &&
	    evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		control_free(c);
}

static void control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		control_free(arg);
}

void control_accept(int fd)
{
	struct control_client *c;
	struct ucred cred;
	socklen_t len = sizeof cred;

	/* The directory is 0700, but a socket may be reached by other means
	 * (a passed descriptor, a -S path elsewhere): check the peer too. */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || cred.uid != getuid()) {
		log_debug("control: refusing peer");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	buf_init(&c->out);
	buf_init(&c->err);
	c->bev = bufferevent_socket_new(daemon_base(), fd, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(c->bev, control_read_cb, control_write_cb, control_event_cb, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, CTLMSG_HEADER + CTLMSG_MAX_PAYLOAD);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = clients;
	clients = c;
}

static void control_run(struct control_client *c)
{
	struct buf msg;
	char *cfg;
	int status;

	cfg = daemon_take_config_errors();
	if (cfg != NULL) {
		buf_add(&c->err, cfg, strlen(cfg));
		free(cfg);
	}
	status = cmd_execute_wait(&c->req, c->req.argc, c->req.argv, &c->out, &c->err, c,
	    &c->next_cmd);
	if (status == CMD_WAIT) {
		c->state = CONTROL_WAITING;
		return;
	}
	buf_init(&msg);
	if (c->out.len > 0)
		ctlmsg_add(&msg, CTLMSG_STDOUT, c->out.data, c->out.len);
	if (c->err.len > 0)
		ctlmsg_add(&msg, CTLMSG_STDERR, c->err.data, c->err.len);
	ctlmsg_add_exit(&msg, status);
	bufferevent_write(c->bev, msg.data, msg.len);
	buf_free(&msg);
	buf_reset(&c->out);
	buf_reset(&c->err);
	c->state = CONTROL_CLOSING;
}

void control_run_pending(void)
{
	struct control_client *c;

	for (c = clients; c != NULL; c = c->next) {
		if (c->state == CONTROL_READY)
			control_run(c);
	}
}

void control_free_all(void)
{
	struct control_client *c;

	/* The reply to kill-server is still queued: write it out before the
	 * server goes, blocking for a moment if the peer is slow. */
	while ((c = clients) != NULL) {
		struct evbuffer *out = bufferevent_get_output(c->bev);
		int fd = bufferevent_getfd(c->bev);

		size_t len = evbuffer_get_length(out), done = 0;

		/* A bufferevent's output is frozen for others (no drain, no
		 * copyout): look at it in place. */
		if (fd >= 0 && len > 0) {
			struct evbuffer_iovec v[16];
			int i, nv = evbuffer_peek(out, -1, NULL, v, 16);
			ssize_t n;

			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			for (i = 0; i < nv && i < 16; i++) {
				for (done = 0; done < v[i].iov_len; done += (size_t)n) {
					n = write(fd, (char *)v[i].iov_base + done, v[i].iov_len - done);
					if (n <= 0)
						break;
				}
			}
		}
		clients = c->next;
		bufferevent_free(c->bev);
		ctlmsg_command_free(&c->req);
		buf_free(&c->out);
		buf_free(&c->err);
		free(c);
	}
}
