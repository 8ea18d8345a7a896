/* test_transport.c — two transports wired in memory on a simulated clock,
 * with simulated loss, delay, reordering and roaming: states converge,
 * intermediate states are skipped, acks, heartbeats and resends keep
 * their timing, floods are paced but echoes and answers to input are not,
 * diffs travel deflated and bad deflated diffs change nothing, replays
 * change nothing, the server follows the newest datagram's address, and
 * the client knows when to rebind. */
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
#include "net/compress.h"
#include "net/datagram.h"
#include "net/fragment.h"
#include "net/instruction.h"
#include "net/rtt.h"
#include "net/transport.h"
#include "net/udp.h"

#include "bstr_state.h"

/* --- the state type: a byte string (bstr_state.h) --- */

static int bstr_is(const void *p, const char *text)
{
	struct bstr s = { strlen(text), (uint8_t *)(uintptr_t)text };

	return bstr_equal(p, &s);
}

/* --- the simulated network --- */

struct packet {
	uint8_t data[DATAGRAM_MAX_LEN];
	size_t len;
	uint64_t at;
	int to_server;
	struct udp_addr from;
};

/* Per direction: what was sent, and when the last datagram left. */
struct dirstats {
	unsigned sent;
	uint64_t last;
	uint64_t max_gap;
};

struct sim {
	uint64_t now;
	uint64_t rng;
	struct transport *c, *s;
	struct udp_addr caddr, saddr;
	struct packet *q;
	size_t nq, capq;
	unsigned loss;      /* percent */
	unsigned delay;     /* ms one way */
	unsigned jitter;    /* ms added at random (reorders) */
	unsigned dup;       /* percent */
	int block_up, block_down; /* blackouts */
	struct dirstats up, down;
	unsigned delivered_up, delivered_down;
	uint64_t first_down_after; /* see first_down_since() */
	uint64_t first_down_at;
	/* Capture the datagrams the client sends, for replay tests. */
	struct packet *captured;
	size_t ncaptured;
};

static const uint8_t key[CRYPTO_KEY_LEN] = "0123456789abcdef";
#define CONN_ID 0x1234abcdu

static uint64_t sim_rand(struct sim *m)
{
	uint64_t x = m->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return m->rng = x;
}

static void sim_init(struct sim *m, uint64_t seed, uint64_t start)
{
	struct bstr empty = { 0, NULL };

	memset(m, 0, sizeof *m);
	m->rng = seed * 2654435761u + 88172645463325252u;
	m->now = start;
	m->c = transport_create(TRANSPORT_CLIENT, key, CONN_ID, &bstr_ops, &empty, &bstr_ops, &empty,
	    start);
	m->s = transport_create(TRANSPORT_SERVER, key, CONN_ID, &bstr_ops, &empty, &bstr_ops, &empty,
	    start);
	assert_int_equal(udp_addr_parse("127.0.0.1:50001", &m->caddr), 0);
	assert_int_equal(udp_addr_parse("127.0.0.1:60000", &m->saddr), 0);
	transport_set_peer(m->c, &m->saddr);
	m->first_down_after = TRANSPORT_NEVER;
}

static void sim_free(struct sim *m)
{
	transport_free(m->c);
	transport_free(m->s);
	free(m->q);
	free(m->captured);
}

static void sim_queue(struct sim *m, const uint8_t *data, size_t len, int to_server, uint64_t at)
{
	struct packet *p;

	if (m->nq == m->capq) {
		m->capq = m->capq ? m->capq * 2 : 64;
		m->q = realloc(m->q, m->capq * sizeof *m->q);
		assert_non_null(m->q);
	}
	p = &m->q[m->nq++];
	assert_true(len <= sizeof p->data);
	memcpy(p->data, data, len);
	p->len = len;
	p->at = at;
	p->to_server = to_server;
	p->from = to_server ? m->caddr : m->saddr;
}

static void stats_note(struct dirstats *d, uint64_t now)
{
	if (d->sent > 0 && now - d->last > d->max_gap)
		d->max_gap = now - d->last;
	d->sent++;
	d->last = now;
}

/* Tick one side and put what it sends on the wire. */
static uint64_t sim_tick(struct sim *m, int server)
{
	struct transport *t = server ? m->s : m->c;
	uint64_t wake = transport_tick(t, m->now);
	const uint8_t *data;
	size_t len;

	assert_true(wake > m->now);
	while (transport_pop(t, &data, &len)) {
		int to_server = !server;
		const struct udp_addr *peer = transport_peer(t, m->now);

		assert_non_null(peer);
		assert_true(udp_addr_equal(peer, to_server ? &m->saddr : &m->caddr));
		stats_note(to_server ? &m->up : &m->down, m->now);
		if (!to_server && m->now >= m->first_down_after && m->first_down_at == 0)
			m->first_down_at = m->now;
		if (to_server) {
			m->captured = realloc(m->captured, (m->ncaptured + 1) * sizeof *m->captured);
			assert_non_null(m->captured);
			memcpy(m->captured[m->ncaptured].data, data, len);
			m->captured[m->ncaptured].len = len;
			m->captured[m->ncaptured].from = m->caddr;
			m->ncaptured++;
		}
		if ((to_server ? m->block_up : m->block_down) || sim_rand(m) % 100 < m->loss)
			continue;
		sim_queue(m, data, len, to_server,
		    m->now + m->delay + (m->jitter ? sim_rand(m) % (m->jitter + 1) : 0));
		if (m->dup && sim_rand(m) % 100 < m->dup)
			sim_queue(m, data, len, to_server, m->now + m->delay + sim_rand(m) % 50);
	}
	return wake;
}

/* Run the two ends until END, delivering packets in time order. */
static void sim_run_until(struct sim *m, uint64_t end)
{
	for (int guard = 0; guard < 10000000; guard++) {
		uint64_t next = end, wc, ws;
		size_t i;

		/* Deliver everything due, earliest first. */
		for (;;) {
			size_t best = m->nq;
			for (i = 0; i < m->nq; i++) {
				if (m->q[i].at <= m->now && (best == m->nq || m->q[i].at < m->q[best].at))
					best = i;
			}
			if (best == m->nq)
				break;
			struct packet p = m->q[best];
			m->q[best] = m->q[--m->nq];
			if (p.to_server) {
				int rc = transport_receive(m->s, p.data, p.len, &p.from, m->now);
				assert_true(rc >= 0 || rc == RMUX_ERR_RANGE); /* duplicates only */
				m->delivered_up++;
			} else {
				int rc = transport_receive(m->c, p.data, p.len, &p.from, m->now);
				assert_true(rc >= 0 || rc == RMUX_ERR_RANGE);
				m->delivered_down++;
			}
		}
		wc = sim_tick(m, 0);
		ws = sim_tick(m, 1);
		next = RMUX_MIN(next, RMUX_MIN(wc, ws));
		for (i = 0; i < m->nq; i++)
			next = RMUX_MIN(next, m->q[i].at);
		if (m->now >= end)
			return;
		m->now = RMUX_MAX(next, m->now + (next <= m->now));
	}
	fail_msg("simulation did not settle");
}

static int sim_converged(struct sim *m)
{
	return bstr_equal(transport_remote_state(m->c), transport_current_state(m->s)) &&
	    bstr_equal(transport_remote_state(m->s), transport_current_state(m->c));
}

/* Run until both ends hold each other's current state; returns the time
 * it took, failing after LIMIT ms of simulated time. */
static uint64_t sim_converge(struct sim *m, uint64_t limit)
{
	uint64_t start = m->now;

	while (!sim_converged(m)) {
		if (m->now - start > limit)
			fail_msg("no convergence within %llu ms", (unsigned long long)limit);
		sim_run_until(m, m->now + 1);
	}
	return m->now - start;
}

/* --- tests --- */

static void test_first_contact(void **state)
{
	struct sim m;

	sim_init(&m, 1, 1000);
	/* The server has no peer until the client speaks. */
	assert_null(transport_peer(m.s, m.now));
	assert_int_equal(transport_tick(m.s, m.now), TRANSPORT_NEVER);
	m.delay = 10;
	sim_run_until(&m, 1100);
	assert_non_null(transport_peer(m.s, m.now));
	assert_true(udp_addr_equal(transport_peer(m.s, m.now), &m.caddr));
	/* Both sides measured the round trip: 2 x 10 ms. */
	assert_true(m.up.sent >= 1 && m.down.sent >= 1);
	assert_int_equal(transport_srtt_ms(m.c), 20);
	sim_free(&m);
}

static void test_converge_both_ways(void **state)
{
	struct sim m;
	char text[64];
	uint64_t cnum, snum;

	sim_init(&m, 2, 5000);
	m.delay = 30;
	sim_run_until(&m, 5500);
	for (int i = 0; i < 20; i++) {
		snprintf(text, sizeof text, "server state %d", i);
		bstr_set(m.s, text);
		snprintf(text, sizeof text, "client %d", i * 7);
		bstr_set(m.c, text);
		sim_run_until(&m, m.now + 37);
	}
	sim_converge(&m, 2000);
	assert_true(bstr_is(transport_remote_state(m.c), "server state 19"));
	assert_true(bstr_is(transport_remote_state(m.s), "client 133"));
	/* The senders learn of the acks: new data is acked within
	 * TRANSPORT_ACK_DELAY_MS plus a round trip. */
	cnum = transport_remote_num(m.c);
	snum = transport_remote_num(m.s);
	sim_run_until(&m, m.now + TRANSPORT_ACK_DELAY_MS + 2 * m.delay + 5);
	assert_true(transport_acked_num(m.s) >= cnum);
	assert_true(transport_acked_num(m.c) >= snum);
	sim_free(&m);
}

/* A flood of changes, one every millisecond for two seconds, over a link
 * with 100 ms of round trip: only about one state per frame interval
 * (SRTT/2 = 50 ms) goes out, the rest are skipped, and the receiver ends
 * with the last one. */
static void test_intermediate_skipped(void **state)
{
	struct sim m;
	char text[32];
	unsigned frames, states;
	uint64_t remote_before;

	sim_init(&m, 3, 0);
	m.delay = 50;
	sim_run_until(&m, 1000);
	/* A few exchanges of data give both ends RTT samples (idle
	 * heartbeats, 3 s apart, are echoed too late to be samples). */
	for (int i = 0; i < 3; i++) {
		bstr_set(m.c, i % 2 ? "a" : "b");
		sim_converge(&m, 2000);
		bstr_set(m.s, i % 2 ? "a" : "b");
		sim_converge(&m, 2000);
	}
	sim_run_until(&m, m.now + 500);
	assert_int_equal(transport_srtt_ms(m.s), 100);
	frames = m.down.sent;
	remote_before = transport_remote_num(m.c);
	bstr_applies = 0;
	for (int i = 0; i < 2000; i++) {
		snprintf(text, sizeof text, "frame %d", i);
		bstr_set(m.s, text);
		sim_run_until(&m, m.now + 1);
	}
	sim_converge(&m, 1000);
	assert_true(bstr_is(transport_remote_state(m.c), "frame 1999"));
	frames = m.down.sent - frames;
	states = (unsigned)(transport_remote_num(m.c) - remote_before);
	/* 2000 ms at one frame per 50 ms: about 40 frames, not 2000. */
	assert_true(frames >= 30);
	assert_true(frames <= 2000 / (rtt_frame_interval_ms(&(struct rtt){ .srtt = 100 })) + 5);
	assert_true(states <= frames);
	assert_true(bstr_applies <= (int)frames);
	sim_free(&m);
}

/* On a fast link the frame floor and the collection delay govern: a
 * change goes out within a few milliseconds. */
static void test_loopback_latency(void **state)
{
	struct sim m;
	uint64_t took;

	sim_init(&m, 4, 0);
	m.delay = 0;
	sim_run_until(&m, 2000);
	bstr_set(m.s, "x");
	took = sim_converge(&m, 1000);
	assert_true(took <= TRANSPORT_COLLECT_SERVER_MS + RTT_FRAME_MIN_MS);
	bstr_set(m.c, "key");
	took = sim_converge(&m, 1000);
	assert_true(took <= TRANSPORT_COLLECT_CLIENT_MS + RTT_FRAME_MIN_MS);
	sim_free(&m);
}

/* New data is acknowledged TRANSPORT_ACK_DELAY_MS later when the receiver
 * has nothing of its own to send. */
static void test_delayed_ack(void **state)
{
	struct sim m;
	uint64_t sent_at;

	sim_init(&m, 5, 0);
	m.delay = 5;
	sim_run_until(&m, 1000);
	bstr_set(m.c, "hello");
	sim_run_until(&m, m.now + 20); /* the client sends it */
	sent_at = m.up.last;
	assert_true(sent_at >= 1000);
	m.first_down_after = sent_at;
	m.first_down_at = 0;
	sim_run_until(&m, m.now + 500);
	assert_true(bstr_is(transport_remote_state(m.s), "hello"));
	/* Arrived at sent_at + 5; acked 100 ms after. */
	assert_true(m.first_down_at >= sent_at + m.delay + TRANSPORT_ACK_DELAY_MS);
	assert_true(m.first_down_at <= sent_at + m.delay + TRANSPORT_ACK_DELAY_MS + 1);
	sim_run_until(&m, m.now + 200);
	assert_int_equal(transport_acked_num(m.c), transport_sent_num(m.c));
	sim_free(&m);
}

/* transport_ack_now(): the acknowledgement goes at the next tick, not
 * after the ack delay (a client leaving after the detach frame). */
static void test_ack_now(void **state)
{
	struct sim m;
	unsigned up;

	sim_init(&m, 8, 0);
	m.delay = 5;
	sim_run_until(&m, 1000);
	bstr_set(m.s, "detached");
	sim_run_until(&m, m.now + 20);
	assert_true(bstr_is(transport_remote_state(m.c), "detached"));
	assert_true(transport_acked_num(m.s) < transport_sent_num(m.s));
	up = m.up.sent;
	transport_ack_now(m.c);
	(void)sim_tick(&m, 0);
	assert_int_equal(m.up.sent, up + 1);
	sim_run_until(&m, m.now + 2 * m.delay);
	assert_int_equal(transport_acked_num(m.s), transport_sent_num(m.s));
	sim_free(&m);
}

/* transport_unacked_data(): a change sent and not acknowledged yet;
 * heartbeats, which the peer acknowledges only with its next message,
 * do not count. */
static void test_unacked_data(void **state)
{
	struct sim m;
	int waiting = 0;

	sim_init(&m, 9, 0);
	m.delay = 5;
	sim_run_until(&m, 1000);
	sim_run_until(&m, m.now + 500);
	assert_false(transport_unacked_data(m.s));
	bstr_set(m.s, "frame");
	sim_run_until(&m, m.now + 20);
	assert_true(bstr_is(transport_remote_state(m.c), "frame"));
	assert_true(transport_unacked_data(m.s));
	sim_run_until(&m, m.now + 500);
	assert_false(transport_unacked_data(m.s));
	/* Idle for several heartbeats: never busy, though the newest
	 * heartbeat often waits for its acknowledgement. */
	for (int i = 0; i < 100; i++) {
		sim_run_until(&m, m.now + 100);
		assert_false(transport_unacked_data(m.s));
		waiting += transport_acked_num(m.s) < transport_sent_num(m.s);
	}
	assert_true(waiting > 0);
	sim_free(&m);
}

/* An idle link carries a heartbeat each way at most every 3 s, and not
 * much more often. */
static void test_heartbeat(void **state)
{
	struct sim m;
	unsigned up, down;

	sim_init(&m, 6, 0);
	m.delay = 20;
	sim_run_until(&m, 1000);
	up = m.up.sent;
	down = m.down.sent;
	m.up.max_gap = m.down.max_gap = 0;
	sim_run_until(&m, 61000);
	assert_true(m.up.max_gap <= TRANSPORT_HEARTBEAT_MS);
	assert_true(m.down.max_gap <= TRANSPORT_HEARTBEAT_MS);
	/* 60 s: 20 heartbeats each way, plus at most a few. */
	assert_true(m.up.sent - up >= 19 && m.up.sent - up <= 25);
	assert_true(m.down.sent - down >= 19 && m.down.sent - down <= 25);
	/* Still in touch: no reason to rebind. */
	assert_false(transport_should_rebind(m.c, m.now));
	sim_free(&m);
}

/* Quiet transports (the history channel) say nothing while idle, still
 * acknowledge and deliver data, and a server kept in touch through
 * transport_heard() keeps its peer past the silence limit. */
static void test_quiet(void **state)
{
	struct sim m;
	unsigned up, down;

	sim_init(&m, 7, 0);
	m.delay = 20;
	transport_set_quiet(m.c, 1);
	transport_set_quiet(m.s, 1);
	sim_run_until(&m, 1000);
	up = m.up.sent;
	down = m.down.sent;
	for (uint64_t t = 1000; t < 1000 + TRANSPORT_SERVER_SILENCE_MS + 20000; t += 1000) {
		sim_run_until(&m, t);
		transport_heard(m.s, m.now);
	}
	assert_int_equal(m.up.sent, up);
	assert_int_equal(m.down.sent, down);
	assert_non_null(transport_peer(m.s, m.now));
	bstr_set(m.s, "history lines");
	bstr_set(m.c, "wants");
	sim_converge(&m, 10000);
	assert_true(bstr_is(transport_remote_state(m.c), "history lines"));
	assert_true(bstr_is(transport_remote_state(m.s), "wants"));
	/* Lost acknowledgements do not stall a quiet channel: the resends
	 * are acknowledged again. */
	bstr_set(m.s, "one more chunk");
	m.block_up = 1;
	sim_run_until(&m, m.now + 300);
	assert_true(bstr_is(transport_remote_state(m.c), "one more chunk"));
	assert_true(transport_acked_num(m.s) < transport_sent_num(m.s));
	m.block_up = 0;
	for (uint64_t end = m.now + 5000; m.now < end;) {
		sim_run_until(&m, m.now + 500);
		transport_heard(m.s, m.now);
	}
	assert_int_equal(transport_acked_num(m.s), transport_sent_num(m.s));
	/* Once both have acknowledged, quiet again. */
	sim_run_until(&m, m.now + 2000);
	up = m.up.sent;
	down = m.down.sent;
	sim_run_until(&m, m.now + 20000);
	assert_int_equal(m.up.sent, up);
	assert_int_equal(m.down.sent, down);
	sim_free(&m);
}

/* A state sent into a blackout is resent after the RTO and arrives once
 * the link heals, while resends stay spaced by the RTO, not a flood. */
static void test_resend_after_loss(void **state)
{
	struct sim m;
	unsigned before, during;

	sim_init(&m, 7, 0);
	m.delay = 40;
	sim_run_until(&m, 3000);
	m.block_down = 1;
	before = m.down.sent;
	bstr_set(m.s, "lost at first");
	sim_run_until(&m, m.now + 2000);
	during = m.down.sent - before;
	/* The first send, then one resend per RTO+100 ms at most. */
	assert_true(during >= 2);
	assert_true(during <= 1 + 2000 / (RTT_MIN_RTO_MS + TRANSPORT_ACK_DELAY_MS));
	assert_false(bstr_is(transport_remote_state(m.c), "lost at first"));
	m.block_down = 0;
	sim_converge(&m, 1500);
	assert_true(bstr_is(transport_remote_state(m.c), "lost at first"));
	sim_free(&m);
}

/* Loss, jitter (reordering) and duplication, over many seeds: the ends
 * converge on the last states, in bounded simulated time. */
static void test_lossy_property(void **state)
{
	for (uint64_t seed = 1; seed <= 30; seed++) {
		struct sim m;
		char text[64];

		sim_init(&m, seed, 100);
		m.loss = 10 + (unsigned)(seed % 5) * 10; /* 10..50 % */
		m.delay = (unsigned)(seed * 7 % 150);
		m.jitter = (unsigned)(seed * 13 % 100);
		m.dup = (unsigned)(seed % 3) * 10;
		for (int i = 0; i < 50; i++) {
			int len = snprintf(text, sizeof text, "s%llu-%d-", (unsigned long long)seed, i);
			for (int k = len; k < (int)sizeof text - 1; k++)
				text[k] = (char)('a' + sim_rand(&m) % 26);
			text[sizeof text - 1 - (sim_rand(&m) % 20)] = '\0';
			if (i % 2 == 0)
				bstr_set(m.s, text);
			else
				bstr_set(m.c, text);
			sim_run_until(&m, m.now + sim_rand(&m) % 200);
		}
		sim_converge(&m, 60000);
		sim_free(&m);
	}
}

/* An instruction larger than one datagram is fragmented and survives. */
static void test_big_state(void **state)
{
	struct sim m;
	struct bstr big;

	sim_init(&m, 8, 0);
	m.delay = 10;
	m.loss = 5;
	big.len = 50000;
	big.d = malloc(big.len);
	assert_non_null(big.d);
	for (size_t i = 0; i < big.len; i++)
		big.d[i] = (uint8_t)sim_rand(&m);
	transport_set_current_state(m.s, &big);
	sim_converge(&m, 30000);
	assert_true(bstr_equal(transport_remote_state(m.c), &big));
	free(big.d);
	sim_free(&m);
}

/* A datagram replayed (the same bytes again, later) is dropped by the
 * datagram layer, and an older instruction replayed by an attacker who
 * strips nothing changes no state. */
static void test_replay(void **state)
{
	struct sim m;
	uint64_t num;
	size_t mark;

	sim_init(&m, 9, 0);
	m.delay = 5;
	sim_run_until(&m, 500);
	mark = m.ncaptured;
	bstr_set(m.c, "one");
	sim_run_until(&m, m.now + 300);
	assert_true(m.ncaptured > mark);
	bstr_set(m.c, "two");
	sim_converge(&m, 1000);
	num = transport_remote_num(m.s);
	for (size_t i = 0; i < m.ncaptured; i++) {
		int rc = transport_receive(m.s, m.captured[i].data, m.captured[i].len,
		    &m.captured[i].from, m.now);
		assert_int_equal(rc, RMUX_ERR_RANGE);
	}
	assert_true(bstr_is(transport_remote_state(m.s), "two"));
	assert_true(transport_remote_num(m.s) == num);
	/* Damaged datagrams are refused as well. */
	m.captured[0].data[m.captured[0].len - 1] ^= 1;
	assert_int_equal(transport_receive(m.s, m.captured[0].data, m.captured[0].len,
	    &m.captured[0].from, m.now), RMUX_ERR_RANGE);
	sim_free(&m);
}

/* Out-of-order delivery with a lower sequence number does not move the
 * server's destination back; a newer datagram from a new address does. */
static void test_roaming(void **state)
{
	struct sim m;
	struct udp_addr roamed, stale;
	struct packet late;

	sim_init(&m, 10, 0);
	m.delay = 5;
	sim_run_until(&m, 500);
	assert_true(udp_addr_equal(transport_peer(m.s, m.now), &m.caddr));
	/* Hold one client datagram back, from the old address. */
	bstr_set(m.c, "before roam");
	m.block_up = 1;
	sim_run_until(&m, m.now + 20);
	assert_true(m.ncaptured > 0);
	late = m.captured[m.ncaptured - 1];
	stale = m.caddr;
	m.block_up = 0;
	/* The client moves: later datagrams come from another port. */
	assert_int_equal(udp_addr_parse("127.0.0.1:50999", &roamed), 0);
	m.caddr = roamed;
	bstr_set(m.c, "after roam");
	sim_converge(&m, 3000);
	assert_true(udp_addr_equal(transport_peer(m.s, m.now), &roamed));
	/* The late datagram still counts as data but moves nothing. */
	assert_true(transport_receive(m.s, late.data, late.len, &stale, m.now) >= 0);
	assert_true(udp_addr_equal(transport_peer(m.s, m.now), &roamed));
	/* And the server's replies reach the new address (sim_tick checks). */
	bstr_set(m.s, "reply");
	sim_converge(&m, 3000);
	sim_free(&m);
}

/* The client asks to rebind after 10 s without a round trip, not sooner,
 * and not again for 10 s after it moved; the server never does. */
static void test_rebind(void **state)
{
	struct sim m;
	uint64_t cut;

	sim_init(&m, 11, 0);
	m.delay = 10;
	sim_run_until(&m, 5000);
	assert_false(transport_should_rebind(m.c, m.now));
	m.block_down = 1;
	cut = m.now;
	sim_run_until(&m, cut + 5000);
	assert_false(transport_should_rebind(m.c, m.now));
	sim_run_until(&m, cut + TRANSPORT_REBIND_MS + 100);
	assert_true(transport_should_rebind(m.c, m.now));
	assert_false(transport_should_rebind(m.s, m.now));
	transport_rebound(m.c, m.now);
	assert_false(transport_should_rebind(m.c, m.now));
	sim_run_until(&m, m.now + TRANSPORT_REBIND_MS - 100);
	assert_false(transport_should_rebind(m.c, m.now));
	sim_run_until(&m, m.now + 200);
	assert_true(transport_should_rebind(m.c, m.now));
	/* The link heals: round trips resume and the urge goes away. */
	m.block_down = 0;
	sim_run_until(&m, m.now + 4000);
	assert_false(transport_should_rebind(m.c, m.now));
	assert_true(m.now - transport_last_roundtrip(m.c) < TRANSPORT_REBIND_MS);
	sim_free(&m);
}

/* A server not heard for 40 s stops sending until the client is back. */
static void test_server_silence(void **state)
{
	struct sim m;
	unsigned down;

	sim_init(&m, 12, 0);
	m.delay = 10;
	sim_run_until(&m, 2000);
	m.block_up = 1;
	sim_run_until(&m, 2000 + TRANSPORT_SERVER_SILENCE_MS + 1000);
	assert_null(transport_peer(m.s, m.now));
	down = m.down.sent;
	sim_run_until(&m, m.now + 10000);
	assert_int_equal(m.down.sent, down);
	m.block_up = 0;
	bstr_set(m.s, "welcome back");
	sim_converge(&m, 10000);
	assert_true(m.down.sent > down);
	sim_free(&m);
}

/* Send the client an instruction as the server would, with the link L,
 * fragmented as needed; DIFF is sent as it is, flagged DEFLATED. Returns
 * what transport_receive() said of the last fragment. */
static int deliver(struct sim *m, struct datagram_link *l, uint64_t old_num, uint64_t new_num,
    const uint8_t *diff, size_t difflen, int deflated)
{
	struct instruction in = { old_num, new_num, 0, 0, diff, difflen, deflated };
	struct buf enc, frag, dgram;
	static uint64_t id = 5000;
	size_t count;
	int rc = 0;

	buf_init(&enc);
	buf_init(&frag);
	buf_init(&dgram);
	assert_int_equal(instruction_encode(&in, NULL, 0, &enc), 0);
	count = fragment_count(enc.len, FRAGMENT_PAYLOAD_MAX);
	for (size_t i = 0; i < count; i++) {
		buf_reset(&frag);
		buf_reset(&dgram);
		assert_int_equal(fragment_encode(id, enc.data, enc.len, FRAGMENT_PAYLOAD_MAX, i, &frag),
		    0);
		assert_int_equal(datagram_link_seal(l, 0, DATAGRAM_TS_NONE, frag.data, frag.len,
		    &dgram), 0);
		rc = transport_receive(m->c, dgram.data, dgram.len, &m->saddr, m->now);
		if (i + 1 < count)
			assert_int_equal(rc, 0);
	}
	id++;
	buf_free(&enc);
	buf_free(&frag);
	buf_free(&dgram);
	return rc;
}

/* Seal an instruction as the server would, with the link L. */
static void forge(struct datagram_link *l, uint64_t old_num, uint64_t new_num,
    const uint8_t *diff, size_t difflen, struct buf *dgram)
{
	struct instruction in = { old_num, new_num, 0, 0, diff, difflen, 0 };
	struct buf enc, frag;
	static uint64_t id = 1000;

	buf_init(&enc);
	buf_init(&frag);
	buf_reset(dgram);
	assert_int_equal(instruction_encode(&in, NULL, 0, &enc), 0);
	assert_int_equal(fragment_encode(id++, enc.data, enc.len, FRAGMENT_PAYLOAD_MAX, 0, &frag), 0);
	assert_int_equal(datagram_link_seal(l, 0, DATAGRAM_TS_NONE, frag.data, frag.len, dgram), 0);
	buf_free(&enc);
	buf_free(&frag);
}

/* Authenticated instructions the receiver cannot use: a diff the state
 * type rejects, a base state it does not hold, a state it already has.
 * None changes the remote state; a good one then does. */
static void test_unusable_instructions(void **state)
{
	struct sim m;
	struct datagram_link *l = datagram_link_create(key, CONN_ID, TRANSPORT_SERVER);
	struct buf d;
	static const uint8_t bad[] = { 9, 'x' }, good[] = { 0, 'o', 'k' }, more[] = { 2, '!' };

	sim_init(&m, 13, 0);
	buf_init(&d);
	forge(l, 0, 1, bad, sizeof bad, &d);
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), RMUX_ERR_MALFORMED);
	assert_int_equal(transport_remote_num(m.c), 0);
	forge(l, 5, 6, good, sizeof good, &d); /* no state 5 here */
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), 0);
	assert_int_equal(transport_remote_num(m.c), 0);
	forge(l, 0, 2, good, sizeof good, &d);
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), 1);
	assert_int_equal(transport_remote_num(m.c), 2);
	assert_true(bstr_is(transport_remote_state(m.c), "ok"));
	forge(l, 0, 2, more, sizeof more, &d); /* state 2 again, other diff */
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), 0);
	assert_true(bstr_is(transport_remote_state(m.c), "ok"));
	forge(l, 2, 3, more, sizeof more, &d);
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), 1);
	assert_true(bstr_is(transport_remote_state(m.c), "ok!"));
	/* An older state arriving late is stored but is not the newest. */
	forge(l, 0, 1, good, sizeof good, &d);
	assert_int_equal(transport_receive(m.c, d.data, d.len, &m.saddr, 10), 0);
	assert_int_equal(transport_remote_num(m.c), 3);
	buf_free(&d);
	datagram_link_free(l);
	sim_free(&m);
}

/* A large repetitive state crosses the link deflated: a few datagrams
 * instead of one per 1190 bytes, and the peer gets it exactly. */
static void test_deflated_on_wire(void **state)
{
	struct sim m;
	struct bstr big;
	struct buf text;
	unsigned before;

	sim_init(&m, 16, 0);
	m.delay = 10;
	sim_run_until(&m, 1000);
	buf_init(&text);
	for (int i = 0; text.len < 30000; i++)
		buf_add_printf(&text, "%06d alpha beta gamma delta epsilon\r\n", i);
	big.len = text.len;
	big.d = text.data;
	before = m.down.sent;
	transport_set_current_state(m.s, &big);
	sim_converge(&m, 2000);
	assert_true(bstr_equal(transport_remote_state(m.c), &big));
	/* Raw, 26 fragments at least; deflated, a handful (and an ack). */
	assert_true(m.down.sent - before <= 8);
	/* A short change goes raw and still applies. */
	bstr_set(m.s, "k");
	sim_converge(&m, 2000);
	buf_free(&text);
	sim_free(&m);
}

/* Deflated diffs that do not inflate, or inflate past the 4 MiB cap, are
 * refused like a diff the state type rejects: nothing changes, and a good
 * one is taken afterwards. */
static void test_deflated_refused(void **state)
{
	struct sim m;
	struct datagram_link *l = datagram_link_create(key, CONN_ID, TRANSPORT_SERVER);
	struct buf raw, z;
	static const uint8_t reserved[] = { 0x07, 0x00 };
	static const uint8_t good[] = { 0, 'o', 'k' };

	sim_init(&m, 17, 0);
	m.now = 10;
	buf_init(&raw);
	buf_init(&z);
	/* A bomb: a valid bstr diff of 4 MiB + 1 bytes, deflated to a few KiB. */
	buf_add_varint(&raw, 0);
	buf_reserve(&raw, COMPRESS_MAX_INFLATED);
	memset(raw.data + raw.len, 'a', COMPRESS_MAX_INFLATED);
	raw.len += COMPRESS_MAX_INFLATED;
	assert_int_equal(compress_deflate(raw.data, raw.len, &z), 0);
	assert_true(z.len < 16 * 1024);
	bstr_applies = 0;
	assert_int_equal(deliver(&m, l, 0, 1, z.data, z.len, 1), RMUX_ERR_TOO_BIG);
	assert_int_equal(transport_remote_num(m.c), 0);
	/* Truncated: the stream ends early. */
	assert_int_equal(deliver(&m, l, 0, 2, z.data, z.len / 2, 1), RMUX_ERR_TRUNCATED);
	/* Not deflate at all. */
	assert_int_equal(deliver(&m, l, 0, 3, reserved, sizeof reserved, 1), RMUX_ERR_MALFORMED);
	/* Bytes after the end of the stream. */
	buf_reset(&z);
	assert_int_equal(compress_deflate(good, sizeof good, &z), 0);
	buf_add_u8(&z, 0);
	assert_int_equal(deliver(&m, l, 0, 4, z.data, z.len, 1), RMUX_ERR_TRAILING);
	assert_int_equal(bstr_applies, 0);
	assert_int_equal(transport_remote_num(m.c), 0);
	/* The same diff, well formed, is applied. */
	z.len--;
	assert_int_equal(deliver(&m, l, 0, 5, z.data, z.len, 1), 1);
	assert_int_equal(transport_remote_num(m.c), 5);
	assert_true(bstr_is(transport_remote_state(m.c), "ok"));
	buf_free(&raw);
	buf_free(&z);
	datagram_link_free(l);
	sim_free(&m);
}

/* A flood of small changes on a fast link is paced as bulk output (about
 * one frame per TRANSPORT_BULK_MS, not one per frame interval), while a
 * sparse small change goes out at once and input from the peer lifts the
 * pacing so that the answer is not held back. */
static void test_bulk_pacing(void **state)
{
	struct sim m;
	char text[128];
	unsigned before, frames;
	uint64_t start, key_at;
	int keyed = 0;

	sim_init(&m, 18, 0);
	m.delay = 0;
	sim_run_until(&m, 2000);
	/* 2 s of 80-byte frames every 2 ms: each alone is small. */
	before = m.down.sent;
	start = m.now;
	for (int i = 0; m.now < start + 2000; i++) {
		snprintf(text, sizeof text, "%06d %s", i,
		    "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuv");
		bstr_set(m.s, text);
		sim_run_until(&m, m.now + 2);
	}
	frames = m.down.sent - before;
	assert_true(frames >= 2000 / TRANSPORT_BULK_MS / 2);
	assert_true(frames <= 2000 / TRANSPORT_BULK_MS + 10);

	/* Still flooding: a key from the client, just after a paced frame. */
	for (int i = 0; !keyed && i < 1000; i++) {
		snprintf(text, sizeof text, "%06d more output", i);
		bstr_set(m.s, text);
		sim_run_until(&m, m.now + 1);
		if (m.down.last + 1 >= m.now && i > 10) {
			bstr_set(m.c, "^C");
			keyed = 1;
		}
	}
	assert_true(keyed);
	/* The client's key goes at its own (short) frame interval. */
	for (int i = 0; i < 20 && !bstr_is(transport_remote_state(m.s), "^C"); i++)
		sim_run_until(&m, m.now + 1);
	assert_true(bstr_is(transport_remote_state(m.s), "^C"));
	/* The shell answers: the frame showing the prompt does not wait out
	 * the bulk pace. */
	key_at = m.now;
	bstr_set(m.s, "prompt$ ");
	m.first_down_after = m.now;
	m.first_down_at = 0;
	sim_run_until(&m, m.now + TRANSPORT_BULK_MS);
	assert_true(bstr_is(transport_remote_state(m.c), "prompt$ "));
	assert_true(m.first_down_at != 0);
	assert_true(m.first_down_at - key_at <= TRANSPORT_COLLECT_SERVER_MS + RTT_FRAME_MIN_MS);

	/* Keys typed fast (10 ms apart) each go out at once: the client
	 * paces only large pastes. */
	sim_run_until(&m, m.now + 1000);
	for (int i = 0; i < 8; i++) {
		uint64_t at = m.now;

		snprintf(text, sizeof text, "typed %d", i);
		bstr_set(m.c, text);
		for (int k = 0; k < 10 && !bstr_is(transport_remote_state(m.s), text); k++)
			sim_run_until(&m, m.now + 1);
		assert_true(bstr_is(transport_remote_state(m.s), text));
		assert_true(m.now - at <= TRANSPORT_COLLECT_CLIENT_MS + RTT_FRAME_MIN_MS + 1);
		sim_run_until(&m, at + 10);
	}

	/* Quiet, then a sparse small change (an echo): no pacing. */
	sim_run_until(&m, m.now + 1000);
	for (int i = 0; i < 5; i++) {
		uint64_t at = m.now;

		snprintf(text, sizeof text, "echo %d", i);
		bstr_set(m.s, text);
		m.first_down_after = at;
		m.first_down_at = 0;
		sim_run_until(&m, m.now + 100);
		assert_true(m.first_down_at != 0);
		assert_true(m.first_down_at - at <= TRANSPORT_COLLECT_SERVER_MS + RTT_FRAME_MIN_MS);
	}
	sim_free(&m);
}

/* After an idle spell the sender may hold an acknowledgement the peer has
 * not acknowledged (it had nothing to send). A change sent then is not resent
 * at every frame interval while its acknowledgement is on its way: one
 * frame, then the peer's acknowledgement. */
static void test_no_resend_storm(void **state)
{
	for (unsigned delay = 0; delay <= 100; delay += 50) {
		struct sim m;
		unsigned before;

		sim_init(&m, 19 + delay, 0);
		m.delay = delay;
		bstr_set(m.c, "x");
		sim_run_until(&m, 1000);
		bstr_set(m.s, "y");
		sim_converge(&m, 2000);
		sim_run_until(&m, m.now + 1000);
		/* The client types; the server's acknowledgement of it is
		 * acknowledged by nothing until the client's next heartbeat. */
		bstr_set(m.c, "xz");
		sim_run_until(&m, m.now + 2 * delay + TRANSPORT_ACK_DELAY_MS + 500);
		assert_true(bstr_is(transport_remote_state(m.s), "xz"));
		assert_true(transport_acked_num(m.s) < transport_sent_num(m.s));
		before = m.down.sent;
		bstr_set(m.s, "echo");
		sim_run_until(&m, m.now + 2 * delay + TRANSPORT_ACK_DELAY_MS + 20);
		assert_true(bstr_is(transport_remote_state(m.c), "echo"));
		assert_int_equal(transport_acked_num(m.s), transport_sent_num(m.s));
		assert_int_equal(m.down.sent - before, 1);
		sim_free(&m);
	}
}

/* A frame lost in the middle of a flood breaks the chain of diffs built
 * on it: once its acknowledgement is overdue the sender goes back to the
 * acknowledged state, so the peer catches up while the flood goes on
 * (not only when it stops). */
static void test_flood_recovers_from_loss(void **state)
{
	struct sim m;
	struct buf log;
	struct bstr cur;
	const struct bstr *got;

	sim_init(&m, 21, 0);
	m.delay = 20;
	sim_run_until(&m, 1000);
	buf_init(&log);
	for (int i = 0; i < 300; i++) {
		/* Each frame adds more than the resend slack: the diff from
		 * the acknowledged state is not the cheap choice. */
		buf_add_printf(&log, "line %04d of a log that scrolls by, as a build does\n", i);
		cur.len = log.len;
		cur.d = log.data;
		transport_set_current_state(m.s, &cur);
		if (i == 100)
			m.block_down = 1;
		if (i == 106)
			m.block_down = 0;
		sim_run_until(&m, m.now + 10);
	}
	/* 1.9 s after the loss, still flooding: the client is at most
	 * about a round trip, an RTO and a frame or two behind. */
	got = transport_remote_state(m.c);
	assert_true(got->len <= log.len && memcmp(got->d, log.data, got->len) == 0);
	assert_true(log.len - got->len < 60 * 52);
	buf_free(&log);
	sim_free(&m);
}

/* A caller that ticks twice before popping (a loop computing its timeout
 * with a macro that evaluates the tick twice did) still gets every
 * datagram: the second tick must not throw away what the first sealed.
 * Losing them silenced the client upstream until the server gave up. */
static void test_tick_twice_keeps_outbox(void **state)
{
	struct sim m;
	const uint8_t *data;
	size_t len, n = 0;
	unsigned before;

	sim_init(&m, 14, 0);
	m.delay = 10;
	sim_run_until(&m, 2000);
	assert_true(sim_converged(&m));
	bstr_set(m.c, "typed");
	/* The first tick notices the change, the send is due after the
	 * collection delay. */
	m.now += 100;
	m.now = sim_tick(&m, 0);
	transport_tick(m.c, m.now);
	transport_tick(m.c, m.now);
	while (transport_pop(m.c, &data, &len)) {
		assert_int_equal(transport_receive(m.s, data, len, &m.caddr, m.now), n == 0);
		n++;
	}
	assert_int_equal(n, 1);
	assert_true(bstr_is(transport_remote_state(m.s), "typed"));
	/* Ticks spread out, popped only now and then: heartbeats still all
	 * come out, in order. */
	before = m.up.sent;
	for (int i = 0; i < 10; i++) {
		m.now += TRANSPORT_HEARTBEAT_MS;
		transport_tick(m.c, m.now);
		transport_tick(m.c, m.now);
		if (i % 3 == 2)
			sim_tick(&m, 0);
	}
	sim_tick(&m, 0);
	assert_int_equal(m.up.sent - before, 10);
	assert_false(transport_pop(m.c, &data, &len));
	sim_free(&m);
}

/* A client whose caller does not rebind (it roams some other way, or
 * not at all) is not woken at once, over and over, for a rebind it has
 * already been told of: the wakeups stay at the heartbeat's pace. */
static void test_rebind_due_no_spin(void **state)
{
	struct sim m;
	uint64_t wake, from;
	unsigned ticks = 0;

	sim_init(&m, 15, 0);
	m.delay = 10;
	sim_run_until(&m, 2000);
	m.block_down = 1;
	sim_run_until(&m, 2000 + TRANSPORT_REBIND_MS + 500);
	assert_true(transport_should_rebind(m.c, m.now));
	/* The client's own clock, as its loop would drive it. */
	from = m.now;
	while (m.now < from + 10000) {
		wake = sim_tick(&m, 0);
		assert_true(wake > m.now);
		m.now = wake;
		ticks++;
	}
	assert_true(transport_should_rebind(m.c, m.now));
	/* A heartbeat every 3 s, plus a few resends. */
	assert_true(ticks <= 10);
	sim_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_contact),
		cmocka_unit_test(test_converge_both_ways),
		cmocka_unit_test(test_intermediate_skipped),
		cmocka_unit_test(test_loopback_latency),
		cmocka_unit_test(test_delayed_ack),
		cmocka_unit_test(test_unacked_data),
		cmocka_unit_test(test_heartbeat),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_ack_now),
		cmocka_unit_test(test_resend_after_loss),
		cmocka_unit_test(test_lossy_property),
		cmocka_unit_test(test_big_state),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_roaming),
		cmocka_unit_test(test_rebind),
		cmocka_unit_test(test_server_silence),
		cmocka_unit_test(test_unusable_instructions),
		cmocka_unit_test(test_tick_twice_keeps_outbox),
		cmocka_unit_test(test_rebind_due_no_spin),
		cmocka_unit_test(test_deflated_on_wire),
		cmocka_unit_test(test_deflated_refused),
		cmocka_unit_test(test_bulk_pacing),
		cmocka_unit_test(test_no_resend_storm),
		cmocka_unit_test(test_flood_recovers_from_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
