/* test_input_stream.c — the input event stream: encoding round trips,
 * subtract, bounds, refusal of bad diffs, and exactly-once in-order
 * delivery through two transports over a simulated lossy network. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/input_stream.h"
#include "net/transport.h"
#include "net/udp.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Add event number I of a deterministic mixed sequence. */
static void add_nth(struct input_stream *s, unsigned i)
{
	char a0[16], a1[32];
	const char *argv[2] = { a0, a1 };
	uint8_t paste[300];

	switch (i % 6) {
	case 0:
		assert_int_equal(input_stream_add_key(s, (uint64_t)i * 0x10001u), 0);
		break;
	case 1:
		for (size_t k = 0; k < sizeof paste; k++)
			paste[k] = (uint8_t)(i + k);
		assert_int_equal(input_stream_add_paste(s, paste, i % sizeof paste), 0);
		break;
	case 2:
		assert_int_equal(input_stream_add_mouse(s, i % INPUT_MOUSE_KINDS, i % 3, i % 300,
		    i % 100, i % 8), 0);
		break;
	case 3:
		assert_int_equal(input_stream_add_focus(s, (int)(i & 8)), 0);
		break;
	case 4:
		assert_int_equal(input_stream_add_resize(s, 1 + i % 400, 1 + i % 200), 0);
		break;
	case 5:
		snprintf(a0, sizeof a0, "cmd%u", i);
		snprintf(a1, sizeof a1, "arg %u", i * 7);
		assert_int_equal(input_stream_add_command(s, 1 + i % 2, argv), 0);
		break;
	}
}

/* EV is event number I of add_nth(). */
static void check_nth(const struct input_event *ev, unsigned i)
{
	char want[32];

	assert_int_equal(ev->num, i + 1);
	switch (i % 6) {
	case 0:
		assert_int_equal(ev->type, INPUT_KEY);
		assert_true(ev->key == (uint64_t)i * 0x10001u);
		break;
	case 1:
		assert_int_equal(ev->type, INPUT_PASTE);
		assert_int_equal(ev->len, i % 300);
		for (size_t k = 0; k < ev->len; k++)
			assert_int_equal(ev->data[k], (uint8_t)(i + k));
		break;
	case 2:
		assert_int_equal(ev->type, INPUT_MOUSE);
		assert_int_equal(ev->kind, i % INPUT_MOUSE_KINDS);
		assert_int_equal(ev->button, i % 3);
		assert_int_equal(ev->x, i % 300);
		assert_int_equal(ev->y, i % 100);
		assert_int_equal(ev->mods, i % 8);
		break;
	case 3:
		assert_int_equal(ev->type, INPUT_FOCUS);
		assert_int_equal(ev->focus_in, (i & 8) != 0);
		break;
	case 4:
		assert_int_equal(ev->type, INPUT_RESIZE);
		assert_int_equal(ev->cols, 1 + i % 400);
		assert_int_equal(ev->rows, 1 + i % 200);
		break;
	case 5:
		assert_int_equal(ev->type, INPUT_COMMAND);
		assert_int_equal(ev->argc, 1 + i % 2);
		snprintf(want, sizeof want, "cmd%u", i);
		assert_string_equal(input_event_arg(ev, 0), want);
		if (ev->argc > 1) {
			snprintf(want, sizeof want, "arg %u", i * 7);
			assert_string_equal(input_event_arg(ev, 1), want);
		}
		assert_null(input_event_arg(ev, ev->argc));
		break;
	}
}

static void test_roundtrip(void **state)
{
	struct input_stream *a = input_stream_create(), *got = input_stream_create();
	const struct transport_state_ops *ops = &input_stream_ops;
	void *b;
	struct buf d;

	(void)state;
	buf_init(&d);
	b = ops->copy(a);
	for (unsigned i = 0; i < 60; i++)
		add_nth(a, i);
	assert_int_equal(input_stream_end(a), 61);
	assert_false(ops->equal(a, b));
	ops->diff(b, a, &d);
	assert_true(d.len > 0);
	assert_int_equal(ops->apply(b, d.data, d.len), 0);
	assert_true(ops->equal(a, b));
	assert_int_equal(input_stream_count(b), 60);
	for (unsigned i = 0; i < 60; i++)
		check_nth(input_stream_event(b, i), i);
	/* Equal streams diff to nothing. */
	buf_reset(&d);
	ops->diff(a, b, &d);
	assert_int_equal(d.len, 0);

	/* A diff from a middle state carries only the newer events. */
	ops->free(b);
	b = ops->copy(a);
	add_nth(a, 60);
	add_nth(a, 61);
	ops->diff(b, a, &d);
	assert_int_equal(input_stream_decode(d.data, d.len, got), 0);
	assert_int_equal(input_stream_count(got), 2);
	check_nth(input_stream_event(got, 0), 60);
	check_nth(input_stream_event(got, 1), 61);
	/* Applying it twice fails the second time: numbers must follow on. */
	assert_int_equal(ops->apply(b, d.data, d.len), 0);
	assert_int_equal(ops->apply(b, d.data, d.len), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_end(b), 63);
	ops->free(b);
	input_stream_free(a);
	input_stream_free(got);
	buf_free(&d);
}

static void test_subtract(void **state)
{
	struct input_stream *a = input_stream_create();
	const struct transport_state_ops *ops = &input_stream_ops;
	void *known, *older;
	struct buf d;

	(void)state;
	buf_init(&d);
	older = ops->copy(a);
	for (unsigned i = 0; i < 10; i++)
		add_nth(a, i);
	known = ops->copy(a);
	for (unsigned i = 10; i < 15; i++)
		add_nth(a, i);
	ops->subtract(a, known);
	assert_int_equal(input_stream_count(a), 5);
	assert_int_equal(input_stream_end(a), 16);
	check_nth(input_stream_event(a, 0), 10);
	/* Subtracting itself empties a state but keeps its numbering. */
	ops->subtract(known, known);
	assert_int_equal(input_stream_count(known), 0);
	assert_int_equal(input_stream_end(known), 11);
	ops->diff(known, a, &d);
	assert_int_equal(ops->apply(known, d.data, d.len), 0);
	assert_int_equal(input_stream_count(known), 5);
	check_nth(input_stream_event(known, 4), 14);
	/* An older known state removes less; a newer one no more than all. */
	ops->subtract(a, older);
	assert_int_equal(input_stream_count(a), 5);
	ops->free(known);
	ops->free(older);
	input_stream_free(a);
	buf_free(&d);
}

static void test_bounds(void **state)
{
	struct input_stream *s = input_stream_create();
	static uint8_t big[INPUT_PASTE_MAX + 1];
	const char *argv[INPUT_COMMAND_ARGC_MAX + 1];
	unsigned n = 0;

	(void)state;
	for (size_t i = 0; i < RMUX_NITEMS(argv); i++)
		argv[i] = "x";
	assert_int_equal(input_stream_add_paste(s, big, sizeof big), RMUX_ERR_TOO_BIG);
	assert_int_equal(input_stream_add_mouse(s, INPUT_MOUSE_KINDS, 0, 0, 0, 0), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_add_mouse(s, 0, 0, 0, 0, 8), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_add_resize(s, 0, 10), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_add_resize(s, 10, INPUT_SIZE_MAX + 1), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_add_command(s, 0, argv), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_add_command(s, INPUT_COMMAND_ARGC_MAX + 1, argv), RMUX_ERR_RANGE);
	assert_int_equal(input_stream_end(s), 1);
	/* A full stream refuses more, by bytes... */
	assert_int_equal(input_stream_add_paste(s, big, INPUT_PASTE_MAX), 0);
	assert_int_equal(input_stream_add_paste(s, big, INPUT_STREAM_WIRE_MAX - INPUT_PASTE_MAX - 20), 0);
	assert_int_equal(input_stream_add_paste(s, big, 100), RMUX_ERR_TOO_BIG);
	assert_int_equal(input_stream_add_key(s, 1), 0);
	input_stream_free(s);
	/* ...and by count. */
	s = input_stream_create();
	while (input_stream_add_key(s, 1) == 0)
		n++;
	assert_int_equal(n, INPUT_STREAM_EVENTS_MAX);
	input_stream_free(s);
}

static void test_bad_diffs(void **state)
{
	struct input_stream *a = input_stream_create();
	const struct transport_state_ops *ops = &input_stream_ops;
	void *b = ops->copy(a);
	struct buf d;
	static const uint8_t bad[][12] = {
		{ 0x01, 0x00 },                   /* no events */
		{ 0x01, 0x01, 0x07, 0x00 },       /* unknown type */
		{ 0x01, 0x01, 0x04, 0x02 },       /* focus 2 */
		{ 0x01, 0x01, 0x05, 0x00, 0x05 }, /* resize 0 cols */
		{ 0x01, 0x01, 0x03, 0x09, 0, 0, 0, 0 }, /* mouse kind 9 */
		{ 0x01, 0x01, 0x06, 0x01, 0x02, 'a', 0 }, /* NUL in an argument */
		{ 0x01, 0x01, 0x06, 0x00 },             /* no arguments */
		{ 0x02, 0x01, 0x01, 0x05 },             /* does not follow on */
		{ 0x01, 0x01, 0x01, 0x05, 0x00 },       /* trailing byte */
		{ 0x01, 0x01, 0x02, 0x80, 0x80, 0x80, 0x01 }, /* paste over 1 MiB */
	};
	static const size_t badlen[] = { 2, 4, 4, 5, 8, 7, 4, 4, 5, 7 };

	(void)state;
	buf_init(&d);
	for (size_t i = 0; i < RMUX_NITEMS(bad); i++)
		assert_true(ops->apply(b, bad[i], badlen[i]) < 0);
	assert_int_equal(input_stream_end(b), 1);
	assert_int_equal(input_stream_count(b), 0);
	/* Every truncation of a valid diff is refused, without a change. */
	for (unsigned i = 0; i < 30; i++)
		add_nth(a, i);
	ops->diff(b, a, &d);
	for (size_t n = 1; n < d.len; n++) {
		assert_true(ops->apply(b, d.data, n) < 0);
		assert_int_equal(input_stream_end(b), 1);
	}
	/* Random corruption never crashes or leaks; what is accepted is a
	 * well-formed stream that follows on. */
	rng_state = 77;
	for (unsigned k = 0; k < 3000; k++) {
		struct buf c;
		void *t = ops->copy(b);
		buf_init(&c);
		buf_add(&c, d.data, d.len);
		for (unsigned f = 0; f < 1 + rnd() % 4; f++)
			c.data[rnd() % c.len] ^= (uint8_t)(1u << (rnd() % 8));
		if (ops->apply(t, c.data, c.len) == 0)
			assert_int_equal(input_stream_event(t, 0)->num, 1);
		ops->free(t);
		buf_free(&c);
	}
	ops->free(b);
	input_stream_free(a);
	buf_free(&d);
}

/* --- exactly once over a lossy simulated network --- */

#define LOSS_PERCENT 30
#define EVENTS 1000

struct pkt {
	uint8_t data[DATAGRAM_MAX_LEN];
	size_t len;
	uint64_t at;
	int to_server;
};

struct net {
	uint64_t now;
	struct transport *c, *s;
	struct udp_addr caddr, saddr;
	struct pkt *q;
	size_t nq, cap;
};

static void net_pump(struct net *m, struct transport *t, int to_server)
{
	const uint8_t *data;
	size_t len;

	while (transport_pop(t, &data, &len)) {
		if (rnd() % 100 < LOSS_PERCENT)
			continue;
		if (m->nq == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 64;
			m->q = realloc(m->q, m->cap * sizeof *m->q);
			assert_non_null(m->q);
		}
		memcpy(m->q[m->nq].data, data, len);
		m->q[m->nq].len = len;
		/* 20-60 ms one way: datagrams overtake each other. */
		m->q[m->nq].at = m->now + 20 + rnd() % 41;
		m->q[m->nq].to_server = to_server;
		m->nq++;
	}
}

static void test_exactly_once_lossy(void **state)
{
	static const uint8_t key[CRYPTO_KEY_LEN] = "fedcba9876543210";
	struct input_stream *empty = input_stream_create(), *got = input_stream_create();
	struct net m = { 0 };
	unsigned sent = 0, received = 0;
	struct buf d;

	(void)state;
	rng_state = 12345;
	buf_init(&d);
	m.now = 1000;
	m.c = transport_create(TRANSPORT_CLIENT, key, 7, &input_stream_ops, empty, &input_stream_ops,
	    empty, m.now);
	m.s = transport_create(TRANSPORT_SERVER, key, 7, &input_stream_ops, empty, &input_stream_ops,
	    empty, m.now);
	assert_int_equal(udp_addr_parse("127.0.0.1:50001", &m.caddr), 0);
	assert_int_equal(udp_addr_parse("127.0.0.1:60000", &m.saddr), 0);
	transport_set_peer(m.c, &m.saddr);

	while (received < EVENTS) {
		assert_true(m.now < 1000 + 600000); /* ten simulated minutes at most */
		/* Type a burst now and then. */
		if (sent < EVENTS && rnd() % 20 == 0) {
			unsigned burst = 1 + (unsigned)(rnd() % 8);
			for (unsigned k = 0; k < burst && sent < EVENTS; k++)
				add_nth(transport_current_state(m.c), sent++);
		}
		for (size_t i = 0; i < m.nq;) {
			if (m.q[i].at > m.now) {
				i++;
				continue;
			}
			struct pkt p = m.q[i];
			m.q[i] = m.q[--m.nq];
			transport_receive(p.to_server ? m.s : m.c, p.data, p.len,
			    p.to_server ? &m.caddr : &m.saddr, m.now);
		}
		transport_tick(m.c, m.now);
		net_pump(&m, m.c, 1);
		transport_tick(m.s, m.now);
		net_pump(&m, m.s, 0);
		/* The server reads what is new, as the daemon would. */
		buf_reset(&d);
		transport_remote_diff(m.s, &d);
		assert_int_equal(input_stream_decode(d.data, d.len, got), 0);
		for (size_t i = 0; i < input_stream_count(got); i++) {
			const struct input_event *ev = input_stream_event(got, i);
			assert_true(received < sent);
			check_nth(ev, received);
			received++;
		}
		m.now += 1 + rnd() % 5;
	}
	assert_int_equal(received, EVENTS);
	/* Nothing is delivered twice however long the link keeps going. */
	for (unsigned k = 0; k < 2000; k++) {
		for (size_t i = 0; i < m.nq;) {
			if (m.q[i].at > m.now) {
				i++;
				continue;
			}
			struct pkt p = m.q[i];
			m.q[i] = m.q[--m.nq];
			transport_receive(p.to_server ? m.s : m.c, p.data, p.len,
			    p.to_server ? &m.caddr : &m.saddr, m.now);
		}
		transport_tick(m.c, m.now);
		net_pump(&m, m.c, 1);
		transport_tick(m.s, m.now);
		net_pump(&m, m.s, 0);
		buf_reset(&d);
		transport_remote_diff(m.s, &d);
		assert_int_equal(d.len, 0);
		m.now += 5;
	}
	/* Acknowledged events were dropped from the client's states. */
	assert_true(input_stream_count(transport_current_state(m.c)) < 10);
	transport_free(m.c);
	transport_free(m.s);
	input_stream_free(empty);
	input_stream_free(got);
	free(m.q);
	buf_free(&d);
}

/* The example of doc/PROTOCOL.md 8.1, byte for byte. */
static void test_doc_example(void **state)
{
	struct input_stream *a = input_stream_create(), *b = input_stream_create();
	static const uint8_t want[] = { 0x01, 0x03, 0x01, 0x61, 0x04, 0x01, 0x05, 0x50, 0x18 };
	struct buf d;

	(void)state;
	buf_init(&d);
	assert_int_equal(input_stream_add_key(a, 0x61), 0);
	assert_int_equal(input_stream_add_focus(a, 1), 0);
	assert_int_equal(input_stream_add_resize(a, 80, 24), 0);
	input_stream_ops.diff(b, a, &d);
	assert_int_equal(d.len, sizeof want);
	assert_memory_equal(d.data, want, sizeof want);
	input_stream_free(a);
	input_stream_free(b);
	buf_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_subtract),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_bad_diffs),
		cmocka_unit_test(test_exactly_once_lossy),
		cmocka_unit_test(test_doc_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
