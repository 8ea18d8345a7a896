/* link_client.h — the test client of the daemon's link, shared by the
 * link tests (test_link.c, test_server_link.c) and the soak run
 * (tests/soak/soak.c): running rmux for a command's output, starting the
 * impairment relay, and a bare client (a transport on a UDP socket, no
 * terminal) that types, pumps datagrams and reads the view. Errors are
 * returned, so that each caller fails its own way (cmocka asserts, the
 * soak's report). */
#ifndef RMUX_TESTS_LINK_CLIENT_H
#define RMUX_TESTS_LINK_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/buf.h"
#include "net/crypto.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"
#include "net/view.h"

/* Run RMUX -f /dev/null -L SOCKNAME ARGS (NULL-ended): stdout into OUT
 * (NULL: dropped), stderr to /dev/null when QUIET. Returns the exit
 * status, or -1 if it could not run or did not exit. */
int link_rmux(const char *rmux, const char *sockname, int quiet, struct buf *out,
    const char *const *args);

/* Start RELAY in front of 127.0.0.1:TO_PORT, listening on a free port it
 * writes to PORT_FILE, with more arguments ARGS (NULL-ended); wait up to
 * 10 s for that port. Returns the pid with *PORT set, or -1. */
pid_t link_relay_start(const char *relay, unsigned to_port, const char *port_file,
    const char *const *args, unsigned *port);

struct link_client {
	int fd;
	struct transport *t;
	struct udp_addr server;
};

/* Connect C to the daemon as the bootstrap reply LINE ("RMUX CONNECT
 * PORT KEY") says, through port VIA instead when not 0. KEY, if not NULL,
 * gets the key. Returns 0, or -1 (a bad LINE, no socket). */
int link_client_open(struct link_client *c, const char *line, unsigned via,
    uint8_t key[CRYPTO_KEY_LEN]);
void link_client_close(struct link_client *c);
struct input_stream *link_client_input(struct link_client *c);
const struct view *link_client_view(const struct link_client *c);
/* TEXT as keys, one byte each. Returns 0 or -1. */
int link_client_type(struct link_client *c, const char *text);

/* One turn out: tick at NOW and send every datagram the transport has to
 * its peer; SENT (may be NULL) sees each. Returns the transport's next
 * wake time. */
uint64_t link_client_send(struct link_client *c, uint64_t now,
    void (*sent)(void *arg, const uint8_t *data, size_t len), void *arg);
/* Every datagram waiting on the socket into the transport; GOT (may be
 * NULL) sees each with transport_receive()'s result. */
void link_client_receive(struct link_client *c,
    void (*got)(void *arg, const uint8_t *data, size_t len, int rc), void *arg);

/* Row Y of pane P as text, trailing blanks cut. */
void link_row_text(const struct view_pane *p, unsigned y, char *out, size_t size);

#endif
