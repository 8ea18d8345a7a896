/* control.h — the daemon's side of the control socket: one connection per
 * command line, one request, the reply, then close. */
#ifndef RMUX_SERVER_CONTROL_H
#define RMUX_SERVER_CONTROL_H

#include <stddef.h>

/* A new connection accepted on the control socket. Peers of another uid
 * are closed at once. */
void control_accept(int fd);
/* Run the requests that arrived since the last loop turn. */
void control_run_pending(void);
size_t control_count(void);
/* WAITER (a connection blocked in wait-for) may go on: its commands
 * resume on the next loop turn. */
void control_wake(void *waiter);
void control_free_all(void);

#endif
