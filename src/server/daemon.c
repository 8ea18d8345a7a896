/* daemon.c — the server process. One libevent loop owns the control
 * socket, every pane's pty and the signals. Callbacks only record what
 * happened and call daemon_wake(); the per-turn pass then runs queued
 * commands, closes panes whose program is gone (and windows and sessions
 * left empty) and decides whether the server should exit. */
#include "server/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "common/buf.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/control.h"
#include "server/environ.h"
#include "server/link.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/window.h"

/* A server nobody talks to after start (its command line died) goes. */
#define DAEMON_IDLE_EXIT_SEC 10
/* Out of descriptors, the listening socket is left alone this long: it
 * stays readable while a peer waits, so watching it would spin. */
#define DAEMON_ACCEPT_PAUSE_MS 250

static struct event_base *base;
static struct event *ev_tick;
static struct event *ev_accept;
static struct event *ev_accept_pause;
/* Held open so that one more command can get in when the descriptors run
 * out (kill-window, to make room); reopened once something closes. */
static int spare_fd = -1;
static char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static int shutting_down;
static struct buf config_errors;

struct event_base *daemon_base(void)
{
	return base;
}

const char *daemon_socket_path(void)
{
	return socket_path;
}

void daemon_wake(void)
{
	if (ev_tick != NULL)
		event_active(ev_tick, EV_TIMEOUT, 0);
}

void daemon_shutdown(void)
{
	shutting_down = 1;
	daemon_wake();
}

char *daemon_take_config_errors(void)
{
	char *s;

	if (config_errors.len == 0)
		return NULL;
	s = xstrndup((const char *)config_errors.data, config_errors.len);
	buf_free(&config_errors);
	return s;
}

static void close_dead_panes(void)
{
	struct session *s, *snext;
	struct window *w, *wnext;
	size_t i;

	for (s = session_first(); s != NULL; s = snext) {
		snext = s->next;
		for (w = s->windows; w != NULL; w = wnext) {
			wnext = w->next;
			for (i = 0; i < w->npanes;) {
				struct pane *p = w->panes[i];

				if (!pane_is_dead(p)) {
					i++;
					continue;
				}
				if (pane_remains(p)) {
					/* The status goes in the message: wait for
					 * SIGCHLD if only the pty has closed. */
					if (p->flags & PANE_F_EXITED)
						pane_show_dead(p);
					i++;
					continue;
				}
				pane_drain(p);
				log_debug("pane %%%d closed", p->id);
				if (window_remove_pane(w, p) == 0)
					break;
			}
			if (w->npanes == 0 && session_remove_window(s, w) == 0) {
				session_destroy(s);
				break;
			}
		}
	}
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
	control_run_pending();
	close_dead_panes();
	if (spare_fd < 0)
		spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	link_turn();
	if (shutting_down || (session_count() == 0 && control_count() == 0))
		event_base_loopexit(base, NULL);
}

static void idle_cb(evutil_socket_t fd, short what, void *arg)
{
	daemon_wake();
}

static void accept_pause_cb(evutil_socket_t fd, short what, void *arg)
{
	event_add(ev_accept, NULL);
}

static void accept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval tv = { 0, DAEMON_ACCEPT_PAUSE_MS * 1000 };
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (c < 0 && (errno == EMFILE || errno == ENFILE) && spare_fd >= 0) {
		close(spare_fd);
		spare_fd = -1;
		c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	}
	if (c >= 0) {
		control_accept(c);
		return;
	}
	if (errno == EMFILE || errno == ENFILE) {
		log_debug("accept: %s; pausing", strerror(errno));
		event_del(ev_accept);
		evtimer_add(ev_accept_pause, &tv);
	}
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
	int status;
	pid_t pid;

	switch (sig) {
	case SIGCHLD:
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			pane_child_exited(pid, status);
		daemon_wake();
		break;
	case SIGTERM:
	case SIGINT:
		daemon_shutdown();
		break;
	default:
		break;
	}
}

/* 1 if a server answers on PATH. */
static int socket_live(const char *path)
{
	struct sockaddr_un sa;
	int fd, live;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	rmux_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	live = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return live;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	mode_t mask;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (rmux_strlcpy(sa.sun_path, path, sizeof sa.sun_path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* Only a socket nobody answers on is replaced. */
	if (unlink(path) != 0 && errno != ENOENT)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	mask = umask(S_IXUSR | S_IRWXG | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0) {
		int saved = errno;

		umask(mask);
		close(fd);
		errno = saved;
		return -1;
	}
	umask(mask);
	return fd;
}

static void load_config(const char *config)
{
	const char *home = getenv("HOME");
	char path[4096];
	struct buf out;

	buf_init(&out);
	if (config != NULL) {
		cmd_source_file(config, 0, &out, &config_errors);
		buf_free(&out);
		return;
	}
	if (home != NULL) {
		snprintf(path, sizeof path, "%s/.config/rmux/rmux.conf", home);
		if (access(path, R_OK) != 0)
			snprintf(path, sizeof path, "%s/.rmux.conf", home);
		if (access(path, R_OK) == 0)
			cmd_source_file(path, 0, &out, &config_errors);
	}
	/* Output of config commands has nowhere to go without a client. */
	buf_free(&out);
}

int daemon_run(const char *path, const char *config, int ready_fd)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT };
	struct event *ev_sig[RMUX_NITEMS(sigs)];
	struct event *ev_idle;
	struct timeval idle = { DAEMON_IDLE_EXIT_SEC, 0 };
	struct session *s;
	size_t i;
	int lfd;
	char one = 1;

	if (socket_live(path)) {
		fprintf(stderr, "rmux: a server is already running on %s\n", path);
		return 1;
	}
	lfd = listen_on(path);
	if (lfd < 0) {
		fprintf(stderr, "rmux: can't listen on %s: %s\n", path, strerror(errno));
		return 1;
	}
	rmux_strlcpy(socket_path, path, sizeof socket_path);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	buf_init(&config_errors);
	server_options_init();
	/* The global environment is the daemon's as it starts. */
	environ_global();

	base = event_base_new();
	if (base == NULL)
		fatal("event_base_new failed");
	ev_tick = event_new(base, -1, 0, tick_cb, NULL);
	ev_accept = event_new(base, lfd, EV_READ | EV_PERSIST, accept_cb, NULL);
	event_add(ev_accept, NULL);
	ev_accept_pause = evtimer_new(base, accept_pause_cb, NULL);
	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	for (i = 0; i < RMUX_NITEMS(sigs); i++) {
		ev_sig[i] = evsignal_new(base, sigs[i], signal_cb, NULL);
		event_add(ev_sig[i], NULL);
	}
	ev_idle = evtimer_new(base, idle_cb, NULL);
	evtimer_add(ev_idle, &idle);
	log_debug("server %ld listening on %s", (long)getpid(), path);

	load_config(config);
	if (ready_fd >= 0) {
		(void)write(ready_fd, &one, 1);
		close(ready_fd);
	}
	event_base_dispatch(base);

	log_debug("server exiting");
	unlink(socket_path);
	close(lfd);
	link_free_all();
	control_free_all();
	cmd_wait_free_all();
	while ((s = session_first()) != NULL)
		session_destroy(s);
	for (i = 0; i < RMUX_NITEMS(sigs); i++)
		event_free(ev_sig[i]);
	event_free(ev_accept);
	event_free(ev_accept_pause);
	ev_accept = ev_accept_pause = NULL;
	if (spare_fd >= 0)
		close(spare_fd);
	spare_fd = -1;
	event_free(ev_idle);
	event_free(ev_tick);
	ev_tick = NULL;
	event_base_free(base);
	base = NULL;
	buf_free(&config_errors);
	prompt_free_history();
	server_options_free();
	environ_global_free();
	return 0;
}
