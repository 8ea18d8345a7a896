/* link.h — the daemon's UDP side of the link: one port for the whole
 * daemon (UDP_PORT_FIRST, else the next free one up to UDP_PORT_LAST, or
 * the port bootstrap asks for), bound when the first connection is made;
 * connections told apart by their id; each one a transport carrying the
 * client's input events up and its view of a session down. */
#ifndef RMUX_SERVER_LINK_H
#define RMUX_SERVER_LINK_H

#include <stddef.h>

#include "net/crypto.h"

struct session;

/* Most connections at once: bootstrap refuses more. */
#define LINK_CONN_MAX 256

/* A new connection showing session S, for a client whose terminal is
 * TERM (NULL: unknown). PORT 0: the default range, else exactly that port
 * (an error if the daemon's port is already another). Fills *BOUND_PORT
 * and KEY_TEXT (the caller prints it and wipes it). Returns 0, or -1 with
 * CAUSE (caller frees). */
int link_connection_new(struct session *s, const char *term, unsigned port, unsigned *bound_port,
    char key_text[CRYPTO_KEY_TEXT_SIZE], char **cause);
/* Once per loop turn of the daemon: notice what changed in the sessions
 * the connections show, drop connections unheard for connection-timeout
 * seconds (0: never), send what is due. */
void link_turn(void);
/* Connections, and the bound port (0 while none is bound). */
size_t link_count(void);
unsigned link_port(void);
/* Close every connection and the socket (daemon exit). */
void link_free_all(void);

/* ---- the clients: connections not detached ----
 * A client is named "udp:ADDR:PORT" by the address it sends from (it
 * changes when the client roams), "udp:ID" (its connection id in hex)
 * until it is first heard. */
struct link_conn;

#define LINK_NAME_SIZE 96

/* In order of creation. */
struct link_conn *link_first(void);
struct link_conn *link_next(struct link_conn *c);
/* The client whose input (a key, a mouse event, a command it sent) is
 * being applied, or NULL: the "current client" of a command. */
struct link_conn *link_current(void);
/* The client of session S (NULL: any) that sent input last, or NULL. */
struct link_conn *link_best(const struct session *s);
/* By name, or by connection id (hex, with or without "udp:"), or NULL. */
struct link_conn *link_find(const char *name);
void link_name(const struct link_conn *c, char out[LINK_NAME_SIZE]);
/* Its session (NULL if gone) and the one before switch-client. */
struct session *link_session(const struct link_conn *c);
struct session *link_last_session(const struct link_conn *c);
/* The clients showing S (#{session_attached}). */
unsigned link_session_attached(const struct session *s);
/* The client's view says VIEW_DETACHED from now on and is built no more;
 * the connection goes once the client acknowledges that view, or after
 * ten seconds. It stops being a client at once. */
void link_detach(struct link_conn *c);
/* Show session S (switch-client). */
void link_switch(struct link_conn *c, struct session *s);
/* refresh-client: the client repaints its whole terminal. */
void link_redraw(struct link_conn *c);
/* suspend-client: the client gives its terminal back and stops itself
 * (the shell's job control resumes it, and it repaints). */
void link_suspend(struct link_conn *c);
/* A format variable: client_* of C (C may be NULL: none), and
 * session_attached of S. NULL if NAME is not one (caller frees). */
char *link_format(const struct link_conn *c, const struct session *s, const char *name);

#endif
