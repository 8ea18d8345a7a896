/* udp.h — the thin socket layer under the link: addresses (IPv4 and IPv6),
 * binding in the daemon's port range, non-blocking sendto/recvfrom. The
 * event loop that waits on the sockets belongs to the caller. */
#ifndef RMUX_NET_UDP_H
#define RMUX_NET_UDP_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The daemon's port: the first free one from FIRST to LAST. */
#define UDP_PORT_FIRST 60000
#define UDP_PORT_LAST 61000
/* Longest text of udp_addr_format(): "[v6%scope]:65535" and a NUL. */
#define UDP_ADDR_TEXT_SIZE 80

struct udp_addr {
	struct sockaddr_storage ss;
	socklen_t len; /* 0: no address */
};

/* Resolve HOST (a name or a numeric address; NULL means the wildcard
 * address of FAMILY, AF_UNSPEC giving IPv6) and PORT into OUT. Returns 0
 * or -1 (unknown host, bad port). The first address found wins. */
int udp_addr_resolve(const char *host, unsigned port, int family, struct udp_addr *out);
/* Parse "HOST:PORT" or "[V6]:PORT" with a numeric host. Returns 0 or -1. */
int udp_addr_parse(const char *text, struct udp_addr *out);
/* Same family, address and port. */
int udp_addr_equal(const struct udp_addr *a, const struct udp_addr *b);
unsigned udp_addr_port(const struct udp_addr *a);
void udp_addr_set_port(struct udp_addr *a, unsigned port);
/* 127.0.0.0/8 or ::1 (or ::ffff:127.x.y.z). */
int udp_addr_is_loopback(const struct udp_addr *a);
/* "1.2.3.4:5" or "[::1]:5" into OUT (UDP_ADDR_TEXT_SIZE bytes). */
void udp_addr_format(const struct udp_addr *a, char *out, size_t size);

/* A non-blocking, close-on-exec UDP socket bound to LOCAL's address at the
 * first free port from FIRST to LAST (both 0: whatever port LOCAL names,
 * 0 meaning any). On success returns the fd and stores the bound address
 * in BOUND (may be NULL); on failure returns -1 with errno set (EADDRINUSE
 * when the whole range is taken). */
int udp_bind(const struct udp_addr *local, unsigned first, unsigned last, struct udp_addr *bound);
/* Send one datagram. Returns 0, or -1 with errno (EAGAIN when the socket
 * buffer is full: the link treats that as a loss). */
int udp_send(int fd, const void *data, size_t len, const struct udp_addr *to);
/* Receive one datagram of at most CAP bytes into DATA (longer ones are
 * truncated and reported with their full size, so callers can reject
 * them). Returns the length, or -1 with errno (EAGAIN when none waits). */
ssize_t udp_recv(int fd, void *data, size_t cap, struct udp_addr *from);

#endif
