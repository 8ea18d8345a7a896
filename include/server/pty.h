/* pty.h — starting a pane's program on a new pseudo-terminal and asking
 * the kernel what runs in it. */
#ifndef RMUX_SERVER_PTY_H
#define RMUX_SERVER_PTY_H

#include <stddef.h>
#include <sys/types.h>

#define PTY_NAME_MAX 64

struct pty_spawn {
	int argc;            /* 0: the shell; 1: "sh -c ARGV[0]"; more: exec'd as is */
	char **argv;
	const char *shell;   /* the user's shell (login shell when argc is 0) */
	const char *cwd;     /* NULL or unusable: the home directory */
	char **env;          /* the whole environment, NULL-terminated; NULL: the daemon's */
	unsigned sx, sy;
};

/* Fork the program on a new pty. Returns 0 with the master (non-blocking,
 * close-on-exec) in *FD, the child in *PID and the slave's name in TTY,
 * or -1 with errno set. */
int pty_spawn(const struct pty_spawn *sp, int *fd, pid_t *pid, char *tty, size_t ttysize);
/* Tell the program its window size changed. */
void pty_resize(int fd, unsigned sx, unsigned sy);
/* The name (comm) and working directory of the pty's foreground process,
 * falling back to PID. Return OUT, "" when unknown. */
char *pty_current_command(int fd, pid_t pid, char *out, size_t size);
char *pty_current_path(int fd, pid_t pid, char *out, size_t size);

#endif
