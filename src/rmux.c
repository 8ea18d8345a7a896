/* rmux.c — main: global flags, the control socket path, starting the
 * daemon on demand, and sending one command line to it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/attach.h"
#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/daemon.h"
#include "server/socket_path.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: rmux [-vV] [-f file] [-L socket-name] [-S socket-path] "
		   "[command [flags]]\n");
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	rmux_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Fork the daemon and wait until it listens. A lock next to the socket
 * keeps two command lines from starting two daemons at once. */
static int start_daemon(const char *path, const char *config, int verbose)
{
	char lockpath[4200];
	int lockfd, fd, ready[2], null;
	pid_t pid;
	char c = 0;

	snprintf(lockpath, sizeof lockpath, "%s.lock", path);
	lockfd = open(lockpath, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) != 0) {
		fprintf(stderr, "rmux: can't lock %s: %s\n", lockpath, strerror(errno));
		return -1;
	}
	fd = connect_to(path);
	if (fd >= 0)
		goto out;
	if (pipe(ready) != 0) {
		fprintf(stderr, "rmux: pipe: %s\n", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rmux: fork: %s\n", strerror(errno));
		close(ready[0]);
		close(ready[1]);
		goto out;
	}
	if (pid == 0) {
		close(ready[0]);
		close(lockfd);
		setsid();
		if (fork() != 0)
			_exit(0);
		if (verbose)
			log_open("rmux-server");
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		if (chdir("/") != 0) {
			/* The daemon works from absolute paths only. */
		}
		exit(daemon_run(path, config, ready[1]));
	}
	close(ready[1]);
	waitpid(pid, NULL, 0);
	if (read(ready[0], &c, 1) == 1)
		fd = connect_to(path);
	close(ready[0]);
	if (fd < 0)
		fprintf(stderr, "rmux: server failed to start on %s\n", path);
out:
	flock(lockfd, LOCK_UN);
	close(lockfd);
	return fd;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Send the command with the environment (the daemon takes
 * update-environment from it, as tmux does) and copy the reply to stdout
 * (or CAPTURE) and stderr. */
static int run_command(int fd, int argc, char **argv, struct buf *capture)
{
	static const char *const first[] = { "RMUX", "RMUX_PANE", "TERM", "PATH" };
	struct ctlmsg_command c;
	struct buf req, in;
	char cwd[4096], *env[CTLMSG_MAX_ENV];
	char chunk[65536];
	char **e;
	size_t i;
	int status = -1;

	memset(&c, 0, sizeof c);
	c.cwd = getcwd(cwd, sizeof cwd) != NULL ? cwd : "";
	c.argc = argc;
	c.argv = argv;
	c.env = env;
	/* The ones the daemon reads itself go first in case the environment
	 * is longer than a command carries. */
	for (i = 0; i < RMUX_NITEMS(first); i++) {
		const char *v = getenv(first[i]);

		if (v != NULL)
			env[c.envc++] = xasprintf("%s=%s", first[i], v);
	}
	for (e = environ; *e != NULL && c.envc < (int)CTLMSG_MAX_ENV; e++) {
		size_t n = strcspn(*e, "=");

		for (i = 0; i < RMUX_NITEMS(first); i++) {
			if (strlen(first[i]) == n && strncmp(*e, first[i], n) == 0)
				break;
		}
		if (i == RMUX_NITEMS(first) && (*e)[n] == '=')
			env[c.envc++] = xstrdup(*e);
	}
	buf_init(&req);
	buf_init(&in);
	ctlmsg_command_encode(&req, &c);
	for (i = 0; i < (size_t)c.envc; i++)
		free(env[i]);
	if (write_all(fd, req.data, req.len) != 0)
		goto out;
	while (status < 0) {
		const uint8_t *payload;
		size_t plen;
		uint32_t type;
		long n = ctlmsg_peek(in.data, in.len, &type, &payload, &plen);

		if (n < 0)
			break;
		if (n == 0) {
			ssize_t got = read(fd, chunk, sizeof chunk);

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			buf_add(&in, chunk, (size_t)got);
			continue;
		}
		if (type == CTLMSG_STDOUT && capture != NULL)
			buf_add(capture, payload, plen);
		else if (type == CTLMSG_STDOUT)
			write_all(STDOUT_FILENO, payload, plen);
		else if (type == CTLMSG_STDERR)
			write_all(STDERR_FILENO, payload, plen);
		else if (type == CTLMSG_EXIT && plen == 4)
			status = (int)(((uint32_t)payload[0] << 24) | ((uint32_t)payload[1] << 16) |
			    ((uint32_t)payload[2] << 8) | payload[3]);
		memmove(in.data, in.data + n, in.len - (size_t)n);
		in.len -= (size_t)n;
	}
out:
	if (status < 0) {
		fprintf(stderr, "server exited unexpectedly\n");
		status = 1;
	}
	buf_free(&req);
	buf_free(&in);
	return status;
}

static int is_client(const char *cmd)
{
	return strcmp(cmd, "attach") == 0 || strcmp(cmd, "attach-session") == 0 ||
	    strcmp(cmd, "connect") == 0;
}

/* The control socket: -S (made absolute: the daemon works from "/"),
 * else $RMUX's inside a pane unless -L names another, else -L's or the
 * default one. Returns 0, or -1 with the reason in ERR. */
static int server_path(const char *name, const char *path_flag, char *path, size_t size,
    char *err, size_t errsize)
{
	char found[4096];

	if (path_flag != NULL)
		snprintf(found, sizeof found, "%s", path_flag);
	else if (name != NULL || socket_path_from_env(getenv("RMUX"), found, sizeof found) != 0) {
		if (socket_path_resolve(name, found, sizeof found, err, errsize) != 0)
			return -1;
	}
	if (socket_path_absolute(found, path, size, err, errsize) != 0)
		return -1;
	/* sun_path holds 108 bytes: refuse what bind() would cut. */
	if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(err, errsize, "socket path %s too long", path);
		return -1;
	}
	return 0;
}

/* $RMUX and $RMUX_PANE speak of the server a pane belongs to: talking to
 * another server (PATH), they would name a pane there that is not ours, and
 * attaching to it is not nesting. */
static void forget_other_server(const char *path)
{
	char own[4096];

	if (socket_path_from_env(getenv("RMUX"), own, sizeof own) == 0 && strcmp(own, path) == 0)
		return;
	unsetenv("RMUX");
	unsetenv("RMUX_PANE");
}

/* new-session without -d attaches, as in tmux: where its flags end (the
 * first argument that is not one, or "--"), or -1 for a detached one. */
static int new_session_attaches(int argc, char **argv)
{
	const struct cmd_entry *e;
	int ambiguous, i = 1;

	e = cmd_find_entry(argv[0], &ambiguous);
	if (e == NULL || strcmp(e->name, "new-session") != 0)
		return -1;
	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0' && strcmp(argv[i], "--") != 0) {
		const char *arg = argv[i++];

		for (size_t j = 1; arg[j] != '\0'; j++) {
			const char *f = arg[j] != ':' ? strchr(e->flags, arg[j]) : NULL;

			/* A bad flag is the daemon's to report, as for -d. */
			if (arg[j] == 'd' || f == NULL)
				return -1;
			if (f[1] == ':') {
				if (arg[j + 1] == '\0' && i++ == argc)
					return -1;
				break;
			}
		}
	}
	return i;
}

/* What the client would refuse, checked before the session is made so
 * that nothing is left behind. */
static int new_can_attach(void)
{
	const char *nested = getenv("RMUX");

	if (nested != NULL && *nested != '\0') {
		fprintf(stderr, "rmux: sessions should be nested with care, unset $RMUX to force\n");
		return 0;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "rmux: open terminal failed: not a terminal\n");
		return 0;
	}
	return 1;
}

/* `new-session` without -d: made detached (-d, its name printed), then
 * attached. */
static int new_and_attach(int fd, const struct attach_global *g, int argc, char **argv, int at)
{
	static const char *const extra[] = { "-d", "-P", "-F", "#{session_name}" };
	char **nargv, *name;
	const char *attach_argv[4];
	struct buf out;
	size_t n, i, k = 0;
	int status;

	/* Flags repeat with the last one winning: ours go after the user's. */
	nargv = xcalloc((size_t)argc + RMUX_NITEMS(extra) + 1, sizeof *nargv);
	for (i = 0; i < (size_t)at; i++)
		nargv[k++] = argv[i];
	for (i = 0; i < RMUX_NITEMS(extra); i++)
		nargv[k++] = (char *)extra[i];
	for (i = (size_t)at; i < (size_t)argc; i++)
		nargv[k++] = argv[i];
	buf_init(&out);
	status = run_command(fd, (int)k, nargv, &out);
	free(nargv);
	close(fd);
	/* The first line names the session; a command list may print more. */
	n = 0;
	while (n < out.len && out.data[n] != '\n')
		n++;
	if (n + 1 < out.len)
		write_all(STDOUT_FILENO, out.data + n + 1, out.len - n - 1);
	if (status != 0 || n == 0) {
		buf_free(&out);
		return status != 0 ? status : 1;
	}
	name = xstrndup((const char *)out.data, n);
	buf_free(&out);
	attach_argv[0] = "attach-session";
	attach_argv[1] = "-t";
	attach_argv[2] = name;
	attach_argv[3] = NULL;
	status = attach_command(g, 3, (char **)attach_argv);
	free(name);
	return status;
}

int main(int argc, char **argv)
{
	const char *name = NULL, *path_flag = NULL, *config = NULL;
	char path[4096], config_abs[4096], err[4352];
	struct attach_global g;
	int opt, verbose = 0, fd, at;

	while ((opt = getopt(argc, argv, "+2f:hL:S:uvV")) != -1) {
		switch (opt) {
		case 'V':
			printf("rmux %s\n", RMUX_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case 'f':
			config = optarg;
			break;
		case 'L':
			name = optarg;
			break;
		case 'S':
			path_flag = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case '2':
		case 'u':
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	/* The daemon reads its config after leaving for "/". */
	if (config != NULL) {
		if (socket_path_absolute(config, config_abs, sizeof config_abs, err, sizeof err) != 0) {
			fprintf(stderr, "rmux: %s\n", err);
			return 1;
		}
		config = config_abs;
	}
	g.socket_name = name;
	g.socket_path = path_flag;
	g.config = config;
	g.verbose = verbose;
	if (server_path(name, path_flag, path, sizeof path, err, sizeof err) == 0) {
		forget_other_server(path);
		/* The client's bootstrap reaches the same socket as a command
		 * would, whatever the current directory. */
		g.socket_name = NULL;
		g.socket_path = path;
	} else if (argc != 0 && !is_client(argv[0])) {
		fprintf(stderr, "rmux: %s\n", err);
		return 1;
	}
	if (verbose)
		log_open("rmux-client");
	if (argc == 0 || is_client(argv[0])) {
		/* The client: its own loop, not a command for the daemon. A
		 * remote attach needs no local socket: its errors are the
		 * bootstrap's. */
		if (argc == 0)
			return attach_new_session(&g);
		if (strcmp(argv[0], "connect") == 0)
			return attach_connect_command(&g, argc, argv);
		return attach_command(&g, argc, argv);
	}
	signal(SIGPIPE, SIG_IGN);
	at = new_session_attaches(argc, argv);
	if (at >= 0 && !new_can_attach())
		return 1;

	fd = connect_to(path);
	if (fd < 0 && (errno == ENOENT || errno == ECONNREFUSED)) {
		if (!cmd_starts_server(argv[0])) {
			fprintf(stderr, "no server running on %s\n", path);
			return 1;
		}
		fd = start_daemon(path, config, verbose);
		if (fd < 0)
			return 1;
	} else if (fd < 0) {
		fprintf(stderr, "error connecting to %s (%s)\n", path, strerror(errno));
		return 1;
	}
	if (at >= 0)
		return new_and_attach(fd, &g, argc, argv, at);
	opt = run_command(fd, argc, argv, NULL);
	close(fd);
	return opt;
}
