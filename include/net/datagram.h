/* datagram.h — one UDP datagram of the link: the clear header
 * conn_id | direction+seq, the AES-128-OCB sealed payload (timestamps and
 * one fragment), the nonce rule, the send counter and the replay window.
 * doc/PROTOCOL.md "Datagram" is the normative description. */
#ifndef RMUX_NET_DATAGRAM_H
#define RMUX_NET_DATAGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "net/crypto.h"

/* conn_id u32 | seq u64 (top bit = direction), big-endian, in clear. */
#define DATAGRAM_HEADER_LEN 12
/* timestamp u16 | timestamp reply u16, first in the sealed payload. */
#define DATAGRAM_TS_LEN 4
#define DATAGRAM_OVERHEAD (DATAGRAM_HEADER_LEN + DATAGRAM_TS_LEN + CRYPTO_TAG_LEN)
/* 1280 (IPv6 minimum MTU) - 40 (IPv6 header) - 8 (UDP header). Larger
 * datagrams are never sent and are rejected on receipt. */
#define DATAGRAM_MAX_LEN 1232
/* Room for a fragment (its own header included) in one datagram. */
#define DATAGRAM_MAX_BODY (DATAGRAM_MAX_LEN - DATAGRAM_OVERHEAD)
#define DATAGRAM_MIN_LEN DATAGRAM_OVERHEAD

/* The direction bit is the top bit of the 64-bit sequence field. */
#define DATAGRAM_TO_SERVER 0
#define DATAGRAM_TO_CLIENT 1
#define DATAGRAM_DIR_BIT (UINT64_C(1) << 63)
/* A sender stops at this many datagrams, far below 2^63: 2^40 datagrams
 * of fewer than 128 AES blocks each stay under 2^47 blocks per key and
 * direction, and at 1000 datagrams a second the limit is 34 years away. */
#define DATAGRAM_SEQ_LIMIT (UINT64_C(1) << 40)

/* 16-bit millisecond timestamps (milliseconds mod 65536); this value means
 * "none" and is never produced by datagram_timestamp(). */
#define DATAGRAM_TS_NONE 0xffff

/* Replay window: the newest sequence number accepted and a bitmap of the
 * DATAGRAM_REPLAY_WINDOW numbers at and below it. */
#define DATAGRAM_REPLAY_WINDOW 1024
struct datagram_replay {
	uint64_t top;   /* newest accepted seq, valid when any != 0 */
	int any;
	uint64_t bits[DATAGRAM_REPLAY_WINDOW / 64]; /* bit (seq % WINDOW) */
};

void datagram_replay_init(struct datagram_replay *w);
/* 0 if SEQ may be accepted, RMUX_ERR_RANGE if it was seen or is too old
 * (more than DATAGRAM_REPLAY_WINDOW - 1 below the newest). Changes nothing:
 * call it before authenticating and datagram_replay_accept() after. */
int datagram_replay_check(const struct datagram_replay *w, uint64_t seq);
/* Record SEQ (which passed the check); returns 1 if it is now the newest
 * seq seen (only such a datagram may move the peer's address), else 0. */
int datagram_replay_accept(struct datagram_replay *w, uint64_t seq);

/* Nonce of the datagram whose 64-bit header field is DIRSEQ (direction bit
 * and sequence): four zero bytes then DIRSEQ big-endian. */
void datagram_nonce(uint64_t dirseq, uint8_t nonce[CRYPTO_NONCE_LEN]);
/* NOW_MS mod 65536, with DATAGRAM_TS_NONE mapped to 0. */
uint16_t datagram_timestamp(uint64_t now_ms);
/* Milliseconds from OLDER to NEWER, modulo 65536. */
uint16_t datagram_timestamp_diff(uint16_t newer, uint16_t older);

/* Read the connection id of a datagram before any key is known (to find
 * the connection). Returns 0 or RMUX_ERR_TRUNCATED / RMUX_ERR_TOO_BIG. */
int datagram_peek_conn_id(const uint8_t *data, size_t len, uint32_t *conn_id);

/* A received, authenticated datagram. FRAG points into the link and stays
 * valid until the next datagram_link_open() or datagram_link_free(). */
struct datagram {
	uint32_t conn_id;
	uint64_t seq;          /* without the direction bit */
	int newest;            /* 1 if no higher seq was accepted before */
	uint16_t timestamp;
	uint16_t timestamp_reply;
	const uint8_t *frag;
	size_t fraglen;
};

/* One end of a connection: its key, its conn_id, the side it plays
 * (DATAGRAM_TO_CLIENT for the server: the direction it sends in), the
 * next seq to send and the replay window of what it received. */
struct datagram_link;

struct datagram_link *datagram_link_create(const uint8_t key[CRYPTO_KEY_LEN],
    uint32_t conn_id, int send_dir);
void datagram_link_free(struct datagram_link *l);
/* Seal one datagram carrying FRAG (at most DATAGRAM_MAX_BODY bytes) and
 * append it to OUT. Returns 0, RMUX_ERR_TOO_BIG, or RMUX_ERR_RANGE once the
 * sequence numbers are used up (the connection must then be dropped). */
int datagram_link_seal(struct datagram_link *l, uint16_t timestamp,
    uint16_t timestamp_reply, const uint8_t *frag, size_t fraglen, struct buf *out);
/* Check, authenticate and decode DATA. Returns 0 and fills D, or a negative
 * RMUX_ERR_*: TRUNCATED/TOO_BIG (size), MALFORMED (wrong conn_id or a
 * datagram in our own sending direction, e.g. reflected), RANGE (replayed,
 * too old, or seq beyond the limit), AUTH (forged or damaged). A rejected
 * datagram changes nothing. */
int datagram_link_open(struct datagram_link *l, const uint8_t *data, size_t len,
    struct datagram *d);
/* The seq the next datagram_link_seal() will use. */
uint64_t datagram_link_next_seq(const struct datagram_link *l);
/* Move the send counter forward to SEQ (never back: nonces are never
 * reused). Returns 0, or RMUX_ERR_RANGE if SEQ is behind or past the limit. */
int datagram_link_skip_to(struct datagram_link *l, uint64_t seq);

#endif
