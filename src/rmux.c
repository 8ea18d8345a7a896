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
 * and stderr. */
static int run_command(int fd, int argc, char **argv)
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
		if (type == CTLMSG_STDOUT)
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

int main(int argc, char **argv)
{
	const char *name = NULL, *path_flag = NULL, *config = NULL;
	char path[4096], err[4352];
	int opt, verbose = 0, fd;

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
	if (argc == 0 || strcmp(argv[0], "attach") == 0 || strcmp(argv[0], "attach-session") == 0 ||
	    strcmp(argv[0], "connect") == 0) {
		/* The client: its own loop, not a command for the daemon. */
		struct attach_global g = { name, path_flag, config, verbose };

		if (verbose)
			log_open("rmux-client");
		if (argc == 0)
			return attach_new_session(&g);
		if (strcmp(argv[0], "connect") == 0)
			return attach_connect_command(&g, argc, argv);
		return attach_command(&g, argc, argv);
	}
	if (path_flag != NULL) {
		if (rmux_strlcpy(path, path_flag, sizeof path) >= 108) {
			fprintf(stderr, "rmux: socket path %s too long\n", path_flag);
			return 1;
		}
	} else if (socket_path_resolve(name, path, sizeof path, err, sizeof err) != 0) {
		fprintf(stderr, "rmux: %s\n", err);
		return 1;
	}
	if (verbose)
		log_open("rmux-client");
	signal(SIGPIPE, SIG_IGN);

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
	opt = run_command(fd, argc, argv);
	close(fd);
	return opt;
}
