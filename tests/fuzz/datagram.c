/* datagram.c — fuzz harness for datagram_link_open() and the replay
 * window (net/datagram.h). Both ends use one fixed key, so the harness
 * can seal datagrams the fuzzer describes and get past the tag. The input
 * is a list of operations, one byte each and then its operands:
 *   0  open raw bytes (a length byte, then the bytes)
 *   1  seal a datagram and hold it (for reordering and replays)
 *   2  seal, damage it (position, xor, cut), open; then open it whole
 *   3  open a held datagram (index byte), again and again if asked
 *   4  move the sender's counter forward (u16, or near the limit)
 * A model of the replay window says what every open of a genuine datagram
 * must return: 0 exactly once per sequence number, within the window. A
 * damaged datagram is refused and changes nothing. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/datagram.h"

#define HELD_MAX 16
#define CONN_ID 0x1234abcdu

static const uint8_t key[CRYPTO_KEY_LEN] = { 0x52, 0x4d, 0x55, 0x58, 1, 2, 3, 4, 5, 6, 7, 8,
	9, 10, 11, 12 };

struct held {
	struct buf dg;
	uint64_t seq;
	uint16_t ts, tsr;
	size_t fraglen;
	const uint8_t *frag; /* into dg */
};

/* What the receiver accepted so far, to predict the window's answers. */
struct model {
	uint64_t *seen;
	size_t nseen, cap;
	uint64_t top;
	int any;
};

static int model_expect(const struct model *m, uint64_t seq)
{
	if (seq >= DATAGRAM_SEQ_LIMIT)
		return RMUX_ERR_RANGE;
	if (m->any && seq < m->top && m->top - seq >= DATAGRAM_REPLAY_WINDOW)
		return RMUX_ERR_RANGE;
	for (size_t i = 0; i < m->nseen; i++) {
		if (m->seen[i] == seq)
			return RMUX_ERR_RANGE;
	}
	return 0;
}

static void model_accept(struct model *m, uint64_t seq)
{
	if (m->nseen == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->seen = realloc(m->seen, m->cap * sizeof *m->seen);
		FUZZ_CHECK(m->seen != NULL);
	}
	m->seen[m->nseen++] = seq;
	if (!m->any || seq > m->top)
		m->top = seq;
	m->any = 1;
}

/* Open a genuine datagram and check the result against the model. */
static void open_genuine(struct datagram_link *rx, struct model *m, const struct held *h)
{
	struct datagram d;
	int newest = !m->any || h->seq > m->top;
	int want = model_expect(m, h->seq);
	int err = datagram_link_open(rx, h->dg.data, h->dg.len, &d);

	FUZZ_CHECK(err == want);
	if (err != 0)
		return;
	FUZZ_CHECK(d.conn_id == CONN_ID && d.seq == h->seq);
	FUZZ_CHECK(d.newest == newest);
	FUZZ_CHECK(d.timestamp == h->ts && d.timestamp_reply == h->tsr);
	FUZZ_CHECK(d.fraglen == h->fraglen);
	FUZZ_CHECK(d.fraglen == 0 || memcmp(d.frag, h->frag, d.fraglen) == 0);
	model_accept(m, h->seq);
}

/* Seal the next operands into H; 0 or the seal's error. */
static int seal(struct datagram_link *tx, struct fuzz_in *in, struct held *h)
{
	size_t len;

	h->ts = fuzz_u16(in);
	h->tsr = fuzz_u16(in);
	h->frag = fuzz_piece(in, &len);
	/* A length byte reaches 255; the top bit of the next one makes
	 * full-size bodies reachable too. */
	if (len == 255 && in->left > 0 && (in->p[0] & 0x80)) {
		size_t more;
		fuzz_bytes(in, DATAGRAM_MAX_BODY + 1 - 255, &more);
		len += more;
	}
	h->fraglen = len;
	h->seq = datagram_link_next_seq(tx);
	buf_reset(&h->dg);
	int err = datagram_link_seal(tx, h->ts, h->tsr, h->frag, len, &h->dg);
	if (len > DATAGRAM_MAX_BODY) {
		FUZZ_CHECK(err == RMUX_ERR_TOO_BIG);
		return err;
	}
	if (h->seq >= DATAGRAM_SEQ_LIMIT) {
		FUZZ_CHECK(err == RMUX_ERR_RANGE);
		return err;
	}
	FUZZ_CHECK(err == 0);
	FUZZ_CHECK(h->dg.len == len + DATAGRAM_OVERHEAD && h->dg.len <= DATAGRAM_MAX_LEN);
	FUZZ_CHECK(datagram_link_next_seq(tx) == h->seq + 1);
	uint32_t id;
	FUZZ_CHECK(datagram_peek_conn_id(h->dg.data, h->dg.len, &id) == 0 && id == CONN_ID);
	/* The fragment is in the input, which outlives H. */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct datagram_link *tx = datagram_link_create(key, CONN_ID, DATAGRAM_TO_SERVER);
	struct datagram_link *rx = datagram_link_create(key, CONN_ID, DATAGRAM_TO_CLIENT);
	struct held held[HELD_MAX], tmp;
	struct model m = { 0 };
	struct datagram d;
	size_t nheld = 0, len;
	const uint8_t *p;

	buf_init(&tmp.dg);
	for (size_t i = 0; i < HELD_MAX; i++)
		buf_init(&held[i].dg);
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);
		switch (op % 5) {
		case 0: {
			p = fuzz_piece(&in, &len);
			uint32_t id;
			int perr = datagram_peek_conn_id(p, len, &id);
			FUZZ_CHECK(perr == 0 || perr == RMUX_ERR_TRUNCATED);
			int err = datagram_link_open(rx, p, len, &d);
			/* Raw bytes carry no valid tag (the fuzzer cannot forge one). */
			FUZZ_CHECK(err < 0);
			break;
		}
		case 1: {
			/* Sealed aside first: a failed seal must not spoil a slot. */
			if (seal(tx, &in, &tmp) != 0)
				break;
			struct held swap = held[nheld % HELD_MAX];
			held[nheld % HELD_MAX] = tmp;
			tmp = swap;
			nheld++;
			break;
		}
		case 2: {
			if (seal(tx, &in, &tmp) != 0)
				break;
			size_t at = fuzz_u16(&in) % tmp.dg.len;
			uint8_t x = fuzz_u8(&in);
			size_t cut = fuzz_u8(&in) % 4;
			uint8_t *bad = malloc(tmp.dg.len);
			FUZZ_CHECK(bad != NULL);
			memcpy(bad, tmp.dg.data, tmp.dg.len);
			bad[at] ^= x;
			/* Damage is either a flipped bit somewhere or a shorter datagram. */
			size_t badlen = tmp.dg.len - (x == 0 ? cut : 0);
			if (x != 0 || cut != 0) {
				int err = datagram_link_open(rx, bad, badlen, &d);
				FUZZ_CHECK(err < 0);
			}
			free(bad);
			open_genuine(rx, &m, &tmp);
			break;
		}
		case 3: {
			if (nheld == 0)
				break;
			size_t n = nheld < HELD_MAX ? nheld : HELD_MAX;
			uint8_t which = fuzz_u8(&in);
			const struct held *h = &held[which % n];
			open_genuine(rx, &m, h);
			if (which & 0x80)
				open_genuine(rx, &m, h);
			break;
		}
		default: {
			uint64_t next = datagram_link_next_seq(tx), to;
			uint16_t by = fuzz_u16(&in);
			if (by & 0x8000)
				to = DATAGRAM_SEQ_LIMIT - (by & 0x7fff) / 8;
			else
				to = next + by;
			int err = datagram_link_skip_to(tx, to);
			FUZZ_CHECK(err == (to < next || to > DATAGRAM_SEQ_LIMIT ? RMUX_ERR_RANGE : 0));
			FUZZ_CHECK(datagram_link_next_seq(tx) == (err ? next : to));
			break;
		}
		}
	}
	for (size_t i = 0; i < HELD_MAX; i++)
		buf_free(&held[i].dg);
	buf_free(&tmp.dg);
	free(m.seen);
	datagram_link_free(tx);
	datagram_link_free(rx);
	return 0;
}
