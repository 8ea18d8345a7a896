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

/* A new connection showing session S. PORT 0: the default range, else
 * exactly that port (an error if the daemon's port is already another).
 * Fills *BOUND_PORT and KEY_TEXT (the caller prints it and wipes it).
 * Returns 0, or -1 with CAUSE (caller frees). */
int link_connection_new(struct session *s, unsigned port, unsigned *bound_port,
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

#endif
