/* daemon.h — the server process: its control socket, its one libevent
 * loop and the work done once per loop turn. */
#ifndef RMUX_SERVER_DAEMON_H
#define RMUX_SERVER_DAEMON_H

struct event_base;

/* Listen on PATH and run until the last session ends or kill-server.
 * READY_FD (or -1) gets one byte once the socket accepts connections, so
 * the command line that forked us can connect. CONFIG is loaded first
 * (NULL: the user's files; "/dev/null": none). Returns the exit status;
 * 1 with a message on stderr if PATH has a live server already. */
int daemon_run(const char *path, const char *config, int ready_fd);

struct event_base *daemon_base(void);
const char *daemon_socket_path(void);
/* Ask for a pass of the per-turn work (closing dead panes, replies). */
void daemon_wake(void);
/* kill-server: leave the loop after this turn. */
void daemon_shutdown(void);
/* Config-file errors not yet shown: taken (caller frees) by the first
 * command's reply. NULL if none. */
char *daemon_take_config_errors(void);

#endif
