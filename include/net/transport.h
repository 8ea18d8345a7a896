/* transport.h — the state synchronisation engine of the link (mosh's SSP
 * rebuilt): each side holds numbered copies of its local state as sent and
 * of the peer's state as received, and sends the peer the diff from a
 * state it may assume the peer holds to the newest local one, cut into
 * fragments and sealed into datagrams. Pure logic driven by the caller's
 * event loop with the times it passes in: no sockets, no clock, no
 * libevent. doc/PROTOCOL.md sections 7, 9 and 10 are normative. */
#ifndef RMUX_NET_TRANSPORT_H
#define RMUX_NET_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "net/crypto.h"
#include "net/datagram.h"
#include "net/udp.h"

/* The side of a transport is the direction it sends in. */
#define TRANSPORT_CLIENT DATAGRAM_TO_SERVER
#define TRANSPORT_SERVER DATAGRAM_TO_CLIENT

/* No timer: transport_tick() needs no wakeup until something is received
 * or the local state changes. */
#define TRANSPORT_NEVER UINT64_MAX

#define TRANSPORT_SENT_MAX 32        /* sent states kept */
#define TRANSPORT_RECEIVED_MAX 1024  /* received states kept */
#define TRANSPORT_ACK_DELAY_MS 100   /* delay of an ack for new data */
#define TRANSPORT_HEARTBEAT_MS 3000  /* longest silence towards the peer */
/* Collection delay after the first change of a state before it is sent,
 * at most half the frame interval so loopback stays fast. A client's
 * keys go at once (a paste arrives in one read anyway): the 1 ms it used
 * to wait cost about 4 ms of echo on loopback, a timer's rounding. */
#define TRANSPORT_COLLECT_SERVER_MS 8
#define TRANSPORT_COLLECT_CLIENT_MS 0
/* The longest frame interval for TRANSPORT_BULK_WINDOW_MS after fresh
 * input: keys and their answers are not spaced by half a long round
 * trip (measured: Ctrl-C at 200 ms RTT 242 ms instead of 311). */
#define TRANSPORT_INPUT_INTERVAL_MS 20
/* Bulk pacing: when the instructions with data sent in the
 * BULK_WINDOW_MS up to the newest of them are BULK_FRAMES or more (on the
 * server: the client's are keys, which go at once), or their diffs add up
 * to BULK_BYTES or more, a new state waits at least
 * BULK_MS after the newest sent one: a flood of output (however it is cut
 * into frames) costs at most this frame rate, while a lone frame after a
 * quiet spell keeps the frame interval. New input from the peer lifts it
 * for BULK_WINDOW_MS, so that echoes and the answer to a key (an
 * interrupt's prompt) are not held behind a flood's pace. */
#define TRANSPORT_BULK_FRAMES 2
#define TRANSPORT_BULK_BYTES 256
#define TRANSPORT_BULK_MS 50
#define TRANSPORT_BULK_WINDOW_MS 150
#define TRANSPORT_BULK_RING 8
/* A diff from the acknowledged state is sent instead of the one from the
 * assumed state when it is no longer, or under TRANSPORT_RESEND_SMALL
 * bytes and at most TRANSPORT_RESEND_SLACK longer. */
#define TRANSPORT_RESEND_SMALL 1000
#define TRANSPORT_RESEND_SLACK 100
/* Resends of unacknowledged states stop after this long without hearing
 * the peer (heartbeats go on). */
#define TRANSPORT_ACTIVE_RETRY_MS 10000
/* The server stops sending to a client it has not heard for this long. */
#define TRANSPORT_SERVER_SILENCE_MS 40000
/* The client moves to a new source port after this long without a round
 * trip and since its last move. */
#define TRANSPORT_REBIND_MS 10000
/* A full receive queue takes one more state at most this often. */
#define TRANSPORT_QUENCH_MS 15000

/* A state type. States are opaque to the transport; it keeps copies. */
struct transport_state_ops {
	void *(*copy)(const void *state);
	void (*free)(void *state);
	/* Append to OUT the diff that turns FROM into TO: nothing at all
	 * exactly when the two are equal. */
	void (*diff)(const void *from, const void *to, struct buf *out);
	/* Apply a diff received from the peer to STATE. Returns 0 or a
	 * negative RMUX_ERR_* (STATE is then discarded by the transport). */
	int (*apply)(void *state, const uint8_t *diff, size_t len);
	int (*equal)(const void *a, const void *b);
	/* Optional (NULL for none): remove from STATE what it shares with
	 * KNOWN, a state both ends hold, so that streams that only grow (the
	 * input events) do not grow without bound. Applied to every stored
	 * state, the oldest last. */
	void (*subtract)(void *state, const void *known);
};

struct transport;

/* SIDE is TRANSPORT_CLIENT or TRANSPORT_SERVER. LOCAL_OPS/LOCAL_INITIAL are
 * what this side sends, REMOTE_OPS/REMOTE_INITIAL what it receives; both
 * ends start from the same initial states (number 0). The initial states
 * are copied. NOW is the caller's clock in ms (monotonic). */
struct transport *transport_create(int side, const uint8_t key[CRYPTO_KEY_LEN], uint32_t conn_id,
    const struct transport_state_ops *local_ops, const void *local_initial,
    const struct transport_state_ops *remote_ops, const void *remote_initial, uint64_t now);
void transport_free(struct transport *t);

/* The client names the server's address; the server learns the client's
 * from the newest authenticated datagram (roaming). Nothing is sent while
 * there is no peer. */
void transport_set_peer(struct transport *t, const struct udp_addr *addr);
/* The address datagrams go to, or NULL while there is none (or, on the
 * server, while the client has been silent TRANSPORT_SERVER_SILENCE_MS). */
const struct udp_addr *transport_peer(const struct transport *t, uint64_t now);

/* Replace the local state with a copy of STATE. */
void transport_set_current_state(struct transport *t, const void *state);
/* The local state, owned by the transport; the caller may change it in
 * place (the change is noticed at the next tick). */
void *transport_current_state(struct transport *t);
/* The newest state received from the peer and its number (0 and the
 * initial state until the first one arrives). */
const void *transport_remote_state(const struct transport *t);
uint64_t transport_remote_num(const struct transport *t);
/* For stream states: append to OUT the diff from the newest remote state
 * handed out by the last call (the initial one at first) to the newest
 * remote state, then subtract as the remote ops say. */
void transport_remote_diff(struct transport *t, struct buf *out);

/* One datagram from FROM, received at NOW. Returns 1 if it made a newer
 * remote state current, 0 if it was accepted without that (a fragment, an
 * ack, a state already held or not applicable), or a negative RMUX_ERR_*
 * if it was dropped (see datagram_link_open(), fragment_assembly_add(),
 * instruction_decode(); apply errors of the remote ops). Call
 * transport_tick() afterwards: receiving may make an ack due. */
int transport_receive(struct transport *t, const uint8_t *data, size_t len,
    const struct udp_addr *from, uint64_t now);

/* Do what is due at NOW: send a new state, a resend, an ack or a
 * heartbeat into the outbox (see transport_pop()). Returns the time of the
 * next wakeup (TRANSPORT_NEVER for none), always later than NOW; ticking
 * earlier is harmless. On the client it includes the moment a rebind
 * falls due, but not again once it is due (see transport_should_rebind()). */
uint64_t transport_tick(struct transport *t, uint64_t now);
/* Take the next datagram of the outbox (for transport_peer()). Returns 1
 * and sets DATA/LEN (valid until the next pop or tick) or 0 when empty.
 * Datagrams stay in the outbox until popped, across ticks. */
int transport_pop(struct transport *t, const uint8_t **data, size_t *len);

/* Client: 1 when the caller should move to a new source port (no round
 * trip and no move for TRANSPORT_REBIND_MS); then call transport_rebound().
 * The caller keeps the old socket open a while for late replies. */
int transport_should_rebind(const struct transport *t, uint64_t now);
void transport_rebound(struct transport *t, uint64_t now);

/* A quiet transport sends no heartbeats: only states, their resends and
 * acknowledgements of the peer's data (a side channel whose liveness the
 * caller learns from another transport). */
void transport_set_quiet(struct transport *t, int quiet);
/* The next tick acknowledges the newest remote state without waiting for
 * the ack delay (a client that is about to leave). */
void transport_ack_now(struct transport *t);
/* The peer was heard from at NOW on another channel of the same
 * connection: keeps a quiet server transport's peer and resends alive. */
void transport_heard(struct transport *t, uint64_t now);

/* When the last authenticated datagram arrived, and when the newest local
 * state the peer has acknowledged was sent (for "Last contact" notices). */
uint64_t transport_last_heard(const struct transport *t);
uint64_t transport_last_roundtrip(const struct transport *t);
uint64_t transport_remote_time(const struct transport *t); /* newest remote state */
unsigned transport_srtt_ms(const struct transport *t);
/* Number of the newest local state sent and acknowledged by the peer. */
uint64_t transport_sent_num(const struct transport *t);
uint64_t transport_acked_num(const struct transport *t);
/* A state sent with a change (not a bare ack or heartbeat) is not
 * acknowledged yet. */
int transport_unacked_data(const struct transport *t);
/* 1 once the sequence numbers are used up: the connection must go. */
int transport_dead(const struct transport *t);

#endif
