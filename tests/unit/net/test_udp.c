/* test_udp.c — addresses (parse, format, compare, loopback) and sockets
 * on loopback: a datagram to oneself, binding in a port range that is
 * partly taken, oversize datagrams reported with their real length. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "net/udp.h"

static void test_parse_format(void **state)
{
	static const char *good[] = { "127.0.0.1:60000", "[::1]:9", "10.1.2.3:0", "[::ffff:127.0.0.2]:7" };
	static const char *bad[] = { "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "host:1", "[::1]9",
		"::1:5x", ":5", "[]:5", "127.0.0.1:-1" };
	struct udp_addr a, b;
	char text[UDP_ADDR_TEXT_SIZE];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(udp_addr_parse(good[i], &a), 0);
		udp_addr_format(&a, text, sizeof text);
		assert_string_equal(text, good[i]);
		assert_int_equal(udp_addr_parse(text, &b), 0);
		assert_true(udp_addr_equal(&a, &b));
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(udp_addr_parse(bad[i], &a), -1);

	assert_int_equal(udp_addr_parse("127.0.0.1:5", &a), 0);
	assert_int_equal(udp_addr_port(&a), 5);
	assert_int_equal(udp_addr_parse("127.0.0.1:6", &b), 0);
	assert_false(udp_addr_equal(&a, &b));
	udp_addr_set_port(&b, 5);
	assert_true(udp_addr_equal(&a, &b));
	assert_int_equal(udp_addr_parse("[::1]:5", &b), 0);
	assert_false(udp_addr_equal(&a, &b));

	assert_true(udp_addr_is_loopback(&a));
	assert_true(udp_addr_is_loopback(&b));
	assert_int_equal(udp_addr_parse("127.9.9.9:1", &a), 0);
	assert_true(udp_addr_is_loopback(&a));
	assert_int_equal(udp_addr_parse("[::ffff:127.0.0.1]:1", &a), 0);
	assert_true(udp_addr_is_loopback(&a));
	assert_int_equal(udp_addr_parse("10.0.0.1:1", &a), 0);
	assert_false(udp_addr_is_loopback(&a));
	assert_int_equal(udp_addr_parse("[::2]:1", &a), 0);
	assert_false(udp_addr_is_loopback(&a));
	memset(&a, 0, sizeof a);
	assert_false(udp_addr_is_loopback(&a));
	assert_false(udp_addr_equal(&a, &a));
}

static void test_resolve(void **state)
{
	struct udp_addr a;
	char text[UDP_ADDR_TEXT_SIZE];

	assert_int_equal(udp_addr_resolve("127.0.0.1", 4242, AF_UNSPEC, &a), 0);
	udp_addr_format(&a, text, sizeof text);
	assert_string_equal(text, "127.0.0.1:4242");
	assert_int_equal(udp_addr_resolve(NULL, 1, AF_INET, &a), 0);
	udp_addr_format(&a, text, sizeof text);
	assert_string_equal(text, "0.0.0.0:1");
	assert_int_equal(udp_addr_resolve("127.0.0.1", 70000, AF_UNSPEC, &a), -1);
}

static int wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 5000);
}

static void test_loopback_datagram(void **state)
{
	struct udp_addr any, me, from;
	uint8_t big[3000], got[100];
	int fd;
	ssize_t n;

	assert_int_equal(udp_addr_parse("127.0.0.1:0", &any), 0);
	fd = udp_bind(&any, 0, 0, &me);
	assert_true(fd >= 0);
	assert_true(udp_addr_port(&me) != 0);
	/* Non-blocking: nothing waits yet. */
	assert_int_equal(udp_recv(fd, got, sizeof got, &from), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	assert_int_equal(udp_send(fd, "hello", 5, &me), 0);
	assert_int_equal(wait_readable(fd), 1);
	n = udp_recv(fd, got, sizeof got, &from);
	assert_int_equal(n, 5);
	assert_memory_equal(got, "hello", 5);
	assert_true(udp_addr_equal(&from, &me));
	/* A datagram larger than the buffer reports its real size. */
	memset(big, 'x', sizeof big);
	assert_int_equal(udp_send(fd, big, sizeof big, &me), 0);
	assert_int_equal(wait_readable(fd), 1);
	n = udp_recv(fd, got, sizeof got, &from);
	assert_int_equal(n, (ssize_t)sizeof big);
	close(fd);
}

/* The first port of a range is taken: the next free one is used; a range
 * entirely taken fails with EADDRINUSE. */
static void test_bind_range(void **state)
{
	struct udp_addr any, first, second;
	unsigned p;
	int a, b, c;

	assert_int_equal(udp_addr_parse("127.0.0.1:0", &any), 0);
	a = udp_bind(&any, 0, 0, &first);
	assert_true(a >= 0);
	p = udp_addr_port(&first);
	if (p >= 65535) {
		close(a);
		a = udp_bind(&any, 0, 0, &first);
		assert_true(a >= 0);
		p = udp_addr_port(&first);
	}
	b = udp_bind(&any, p, p + 1 <= 65535 ? p + 1 : p, &second);
	if (b >= 0) {
		/* Port p+1 may itself be busy on a shared machine; when it was
		 * free it is the one chosen. */
		assert_int_equal(udp_addr_port(&second), p + 1);
		close(b);
	} else {
		assert_int_equal(errno, EADDRINUSE);
	}
	c = udp_bind(&any, p, p, NULL);
	assert_int_equal(c, -1);
	assert_int_equal(errno, EADDRINUSE);
	assert_int_equal(udp_bind(&any, 5, 4, NULL), -1);
	assert_int_equal(errno, EINVAL);
	close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_format),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_loopback_datagram),
		cmocka_unit_test(test_bind_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
