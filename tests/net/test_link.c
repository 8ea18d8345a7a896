/* test_link.c — two transports in one process talking over real UDP on
 * loopback through the impairment relay (tests/tools/relay.c): 20% loss,
 * delay, jitter, duplication and two roams of the client's source port.
 * Each side keeps changing a byte-string state for a while; afterwards
 * both must hold the other's final state, and the server must be sending
 * to the client's newest address. Bounded by a generous timeout, never
 * by speed. argv[1] is the relay executable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "net/crypto.h"
#include "net/datagram.h"
#include "net/transport.h"
#include "net/udp.h"

#include "../unit/net/bstr_state.h"
#include "link_client.h"

#define LINK_CHANGE_MS 4000     /* how long the states keep changing */
#define LINK_TIMEOUT_MS 60000   /* bound on convergence afterwards */

static const char *relay_path;

/* One end: its transport and socket. */
struct end {
	struct transport *t;
	int fd;
	unsigned received, rejected;
};

static void end_flush(struct end *e, uint64_t now, uint64_t *wake)
{
	const struct udp_addr *peer;
	const uint8_t *data;
	size_t len;
	uint64_t w = transport_tick(e->t, now);

	*wake = RMUX_MIN(*wake, w);
	peer = transport_peer(e->t, now);
	while (transport_pop(e->t, &data, &len)) {
		assert_non_null(peer);
		/* A full socket buffer is a loss; the link copes. */
		(void)udp_send(e->fd, data, len, peer);
	}
}

static void end_read(struct end *e, uint64_t now)
{
	uint8_t buf[DATAGRAM_MAX_LEN + 1];
	struct udp_addr from;
	ssize_t n;

	while ((n = udp_recv(e->fd, buf, sizeof buf, &from)) >= 0) {
		if ((size_t)n > DATAGRAM_MAX_LEN) {
			e->rejected++;
			continue;
		}
		if (transport_receive(e->t, buf, (size_t)n, &from, now) < 0)
			e->rejected++;
		else
			e->received++;
	}
}

/* The relay in front of SERVER: 20% loss, delay, jitter, duplication,
 * reordering and two roams. */
static pid_t start_relay(const struct udp_addr *server, const char *port_file, unsigned *port)
{
	/* RMUX_RELAY_SEED replays another impairment pattern. */
	const char *seed = getenv("RMUX_RELAY_SEED") ? getenv("RMUX_RELAY_SEED") : "7";
	const char *args[] = { "--seed", seed, "--loss", "20", "--delay", "15", "--jitter", "10",
		"--dup", "5", "--reorder", "5", "--roam-at", "1500", "--roam-at", "3000",
		"--time-limit", "120", NULL };
	pid_t pid = link_relay_start(relay_path, udp_addr_port(server), port_file, args, port);

	assert_true(pid > 0);
	return pid;
}

static void test_link_through_relay(void **state)
{
	uint8_t key[CRYPTO_KEY_LEN];
	struct bstr empty = { 0, NULL };
	struct udp_addr loop, server_addr, relay_addr, first_peer;
	struct end c, s;
	char port_file[] = "/tmp/rmux-relay-XXXXXX";
	char text[128];
	unsigned relay_port, peer_moves = 0;
	uint64_t start, now, next_change = 0, changes = 0;
	pid_t pid;
	int fd, status, converged = 0;

	crypto_key_generate(key);
	fd = mkstemp(port_file);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(udp_addr_parse("127.0.0.1:0", &loop), 0);
	s.fd = udp_bind(&loop, 0, 0, &server_addr);
	c.fd = udp_bind(&loop, 0, 0, NULL);
	assert_true(s.fd >= 0 && c.fd >= 0);
	pid = start_relay(&server_addr, port_file, &relay_port);
	relay_addr = loop;
	udp_addr_set_port(&relay_addr, relay_port);

	start = time_now_ms();
	s.t = transport_create(TRANSPORT_SERVER, key, crypto_key_id(key), &bstr_ops, &empty,
	    &bstr_ops, &empty, start);
	c.t = transport_create(TRANSPORT_CLIENT, key, crypto_key_id(key), &bstr_ops, &empty,
	    &bstr_ops, &empty, start);
	s.received = s.rejected = c.received = c.rejected = 0;
	transport_set_peer(c.t, &relay_addr);
	memset(&first_peer, 0, sizeof first_peer);

	for (;;) {
		struct pollfd p[2] = { { s.fd, POLLIN, 0 }, { c.fd, POLLIN, 0 } };
		uint64_t wake = TRANSPORT_NEVER;
		const struct udp_addr *peer;
		int timeout;

		now = time_now_ms();
		if (now - start < LINK_CHANGE_MS && now >= next_change) {
			changes++;
			snprintf(text, sizeof text, "server frame %llu %.*s", (unsigned long long)changes,
			    (int)(changes % 60), "================================================================");
			bstr_set(s.t, text);
			if (changes % 3 == 0) {
				snprintf(text, sizeof text, "client input %llu", (unsigned long long)changes);
				bstr_set(c.t, text);
			}
			next_change = now + 20;
		}
		end_flush(&s, now, &wake);
		end_flush(&c, now, &wake);
		peer = transport_peer(s.t, now);
		if (peer != NULL) {
			if (first_peer.len == 0)
				first_peer = *peer;
			else if (!udp_addr_equal(peer, &first_peer)) {
				peer_moves++;
				first_peer = *peer;
			}
		}
		if (now - start >= LINK_CHANGE_MS &&
		    bstr_equal(transport_remote_state(c.t), transport_current_state(s.t)) &&
		    bstr_equal(transport_remote_state(s.t), transport_current_state(c.t))) {
			converged = 1;
			break;
		}
		if (now - start > LINK_CHANGE_MS + LINK_TIMEOUT_MS)
			break;
		if (now - start < LINK_CHANGE_MS)
			wake = RMUX_MIN(wake, next_change);
		timeout = wake == TRANSPORT_NEVER ? 100 : (int)RMUX_MIN(RMUX_MAX(wake, now) - now, 100);
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			fail_msg("poll: %s", strerror(errno));
		now = time_now_ms();
		end_read(&s, now);
		end_read(&c, now);
	}
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(port_file);

	print_message("link: %llu changes, converged=%d after %llu ms; server got %u (%u dropped), "
	    "client got %u (%u dropped); server peer moved %u times; srtt %u/%u ms\n",
	    (unsigned long long)changes, converged, (unsigned long long)(now - start),
	    s.received, s.rejected, c.received, c.rejected, peer_moves,
	    transport_srtt_ms(c.t), transport_srtt_ms(s.t));
	assert_true(converged);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The final states, exactly. */
	snprintf(text, sizeof text, "server frame %llu", (unsigned long long)changes);
	assert_true(((const struct bstr *)transport_remote_state(c.t))->len >= strlen(text));
	assert_memory_equal(((const struct bstr *)transport_remote_state(c.t))->d, text, strlen(text));
	/* The relay roamed twice: the server followed the client each time. */
	assert_true(peer_moves >= 2);
	assert_true(s.received > 0 && c.received > 0);

	transport_free(s.t);
	transport_free(c.t);
	close(s.fd);
	close(c.fd);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_through_relay),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s RELAY\n", argv[0]);
		return 2;
	}
	relay_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
