/* pty.c — forkpty and the child side up to exec. The child must not keep
 * the daemon's descriptors or signal dispositions: a pane program that
 * inherits an ignored SIGPIPE or the control socket misbehaves in ways
 * that are hard to trace. */
#include "server/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void child_exec(const struct pty_spawn *sp)
{
	static const int sigs[] = { SIGPIPE, SIGCHLD, SIGTERM, SIGHUP, SIGINT, SIGQUIT,
		SIGUSR1, SIGUSR2, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU };
	sigset_t none;
	const char *shell = sp->shell != NULL ? sp->shell : "/bin/sh";
	const char *base, *dir;
	char argv0[PATH_MAX], pwd[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	closefrom(STDERR_FILENO + 1);

	dir = sp->cwd;
	if (dir == NULL || chdir(dir) != 0) {
		dir = getenv("HOME");
		if (dir == NULL || chdir(dir) != 0)
			dir = chdir("/") == 0 ? "/" : NULL;
	}
	if (dir != NULL) {
		/* HOME's storage goes with the environment. */
		snprintf(pwd, sizeof pwd, "%s", dir);
		dir = pwd;
	}
	if (sp->env != NULL) {
		clearenv();
		for (i = 0; sp->env[i] != NULL; i++)
			putenv(sp->env[i]);
	}
	/* The directory it starts in, as tmux tells its panes. */
	if (dir != NULL)
		setenv("PWD", dir, 1);

	if (sp->argc == 0) {
		/* A login shell, named "-sh" as login(1) would. */
		base = strrchr(shell, '/');
		base = base != NULL ? base + 1 : shell;
		snprintf(argv0, sizeof argv0, "-%s", base);
		execl(shell, argv0, (char *)NULL);
	} else if (sp->argc == 1) {
		execl("/bin/sh", "sh", "-c", sp->argv[0], (char *)NULL);
	} else {
		execvp(sp->argv[0], sp->argv);
	}
	fprintf(stderr, "rmux: can't run %s: %s\n", sp->argc == 0 ? shell : sp->argv[0],
		strerror(errno));
	_exit(127);
}

int pty_spawn(const struct pty_spawn *sp, int *fd, pid_t *pid, char *tty, size_t ttysize)
{
	struct winsize ws;
	struct termios tio;
	char name[PATH_MAX];
	int master, fl;
	pid_t p;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)sp->sx;
	ws.ws_row = (unsigned short)sp->sy;
	/* Sane cooked-mode defaults whatever terminal the daemon came from. */
	memset(&tio, 0, sizeof tio);
	tio.c_iflag = ICRNL | IXANY | IUTF8;
	tio.c_oflag = OPOST | ONLCR;
	tio.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	tio.c_cflag = CREAD | CS8 | HUPCL;
	tio.c_cc[VINTR] = 0x03;
	tio.c_cc[VQUIT] = 0x1c;
	tio.c_cc[VERASE] = 0x7f;
	tio.c_cc[VKILL] = 0x15;
	tio.c_cc[VEOF] = 0x04;
	tio.c_cc[VSTART] = 0x11;
	tio.c_cc[VSTOP] = 0x13;
	tio.c_cc[VSUSP] = 0x1a;
	tio.c_cc[VWERASE] = 0x17;
	tio.c_cc[VLNEXT] = 0x16;
	tio.c_cc[VREPRINT] = 0x12;
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	cfsetispeed(&tio, B38400);
	cfsetospeed(&tio, B38400);

	p = forkpty(&master, name, &tio, &ws);
	if (p < 0)
		return -1;
	if (p == 0)
		child_exec(sp);
	fl = fcntl(master, F_GETFL);
	fcntl(master, F_SETFL, fl | O_NONBLOCK);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	*fd = master;
	*pid = p;
	snprintf(tty, ttysize, "%s", name);
	return 0;
}

void pty_resize(int fd, unsigned sx, unsigned sy)
{
	struct winsize ws;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)sx;
	ws.ws_row = (unsigned short)sy;
	ioctl(fd, TIOCSWINSZ, &ws);
}

static pid_t foreground(int fd, pid_t pid)
{
	pid_t pg = tcgetpgrp(fd);

	return pg > 0 ? pg : pid;
}

char *pty_current_command(int fd, pid_t pid, char *out, size_t size)
{
	char path[64];
	FILE *f;
	size_t n = 0;

	out[0] = '\0';
	snprintf(path, sizeof path, "/proc/%ld/comm", (long)foreground(fd, pid));
	f = fopen(path, "r");
	if (f == NULL)
		return out;
	if (fgets(out, (int)size, f) != NULL)
		n = strcspn(out, "\n");
	out[n] = '\0';
	fclose(f);
	return out;
}

char *pty_current_path(int fd, pid_t pid, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/cwd", (long)foreground(fd, pid));
	n = readlink(path, out, size - 1);
	if (n < 0)
		n = 0;
	out[n] = '\0';
	return out;
}
