/* udp.c — UDP sockets and addresses for the link (see udp.h). */
#include "net/udp.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "common/util.h"

int udp_addr_resolve(const char *host, unsigned port, int family, struct udp_addr *out)
{
	struct addrinfo hints, *res = NULL;
	char service[8];
	int rc;

	memset(out, 0, sizeof *out);
	if (port > 65535)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV | (host == NULL ? AI_PASSIVE : 0);
	if (host == NULL && family == AF_UNSPEC)
		hints.ai_family = AF_INET6;
	snprintf(service, sizeof service, "%u", port);
	rc = getaddrinfo(host, service, &hints, &res);
	if (rc != 0 || res == NULL || res->ai_addrlen > sizeof out->ss) {
		if (res != NULL)
			freeaddrinfo(res);
		return -1;
	}
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int udp_addr_parse(const char *text, struct udp_addr *out)
{
	char host[64];
	const char *colon, *h;
	size_t hlen;
	char *end;
	unsigned long port;
	struct addrinfo hints, *res = NULL;

	memset(out, 0, sizeof *out);
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		h = text + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL)
			return -1;
		h = text;
		hlen = (size_t)(colon - text);
	}
	if (hlen == 0 || hlen >= sizeof host)
		return -1;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || port > 65535)
		return -1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo(host, "0", &hints, &res) != 0 || res == NULL)
		return -1;
	if (res->ai_addrlen <= sizeof out->ss) {
		memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
		out->len = res->ai_addrlen;
	}
	freeaddrinfo(res);
	if (out->len == 0)
		return -1;
	udp_addr_set_port(out, (unsigned)port);
	return 0;
}

int udp_addr_equal(const struct udp_addr *a, const struct udp_addr *b)
{
	if (a->len == 0 || b->len == 0 || a->ss.ss_family != b->ss.ss_family)
		return 0;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss, *y = (const void *)&b->ss;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss, *y = (const void *)&b->ss;
		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		    memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
	}
	return 0;
}

unsigned udp_addr_port(const struct udp_addr *a)
{
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)(const void *)&a->ss)->sin_port);
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)(const void *)&a->ss)->sin6_port);
	return 0;
}

void udp_addr_set_port(struct udp_addr *a, unsigned port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)(void *)&a->ss)->sin_port = htons((uint16_t)port);
	else if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)&a->ss)->sin6_port = htons((uint16_t)port);
}

int udp_addr_is_loopback(const struct udp_addr *a)
{
	if (a->len == 0)
		return 0;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss;
		return (ntohl(x->sin_addr.s_addr) >> 24) == 127;
	}
	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss;
		const uint8_t *b = x->sin6_addr.s6_addr;
		if (IN6_IS_ADDR_LOOPBACK(&x->sin6_addr))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(&x->sin6_addr) && b[12] == 127;
	}
	return 0;
}

void udp_addr_format(const struct udp_addr *a, char *out, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (a->len == 0) {
		rmux_strlcpy(out, "(none)", size);
		return;
	}
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)&a->ss;
		inet_ntop(AF_INET, &x->sin_addr, host, sizeof host);
		snprintf(out, size, "%s:%u", host, udp_addr_port(a));
	} else if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)&a->ss;
		inet_ntop(AF_INET6, &x->sin6_addr, host, sizeof host);
		snprintf(out, size, "[%s]:%u", host, udp_addr_port(a));
	} else {
		rmux_strlcpy(out, "(unknown)", size);
	}
}

int udp_bind(const struct udp_addr *local, unsigned first, unsigned last, struct udp_addr *bound)
{
	struct udp_addr a = *local;
	int fd, saved;

	if (first > last || last > 65535) {
		errno = EINVAL;
		return -1;
	}
	fd = socket(a.ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (first == 0 && last == 0) {
		if (bind(fd, (struct sockaddr *)&a.ss, a.len) != 0)
			goto fail;
	} else {
		unsigned port;
		for (port = first; port <= last; port++) {
			udp_addr_set_port(&a, port);
			if (bind(fd, (struct sockaddr *)&a.ss, a.len) == 0)
				break;
			if (errno != EADDRINUSE && errno != EACCES)
				goto fail;
		}
		if (port > last) {
			errno = EADDRINUSE;
			goto fail;
		}
	}
	if (bound != NULL) {
		memset(bound, 0, sizeof *bound);
		bound->len = sizeof bound->ss;
		if (getsockname(fd, (struct sockaddr *)&bound->ss, &bound->len) != 0)
			goto fail;
	}
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int udp_send(int fd, const void *data, size_t len, const struct udp_addr *to)
{
	ssize_t n;

	do {
		n = sendto(fd, data, len, 0, (const struct sockaddr *)&to->ss, to->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	return 0;
}

ssize_t udp_recv(int fd, void *data, size_t cap, struct udp_addr *from)
{
	ssize_t n;

	memset(from, 0, sizeof *from);
	do {
		from->len = sizeof from->ss;
		n = recvfrom(fd, data, cap, MSG_TRUNC, (struct sockaddr *)&from->ss, &from->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		from->len = 0;
	return n;
}
