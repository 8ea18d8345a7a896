/* datagram.c — sealing and opening link datagrams, the nonce rule, the
 * send counter and the replay window (see datagram.h, doc/PROTOCOL.md). */
#include "net/datagram.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/util.h"
#include "common/xmalloc.h"

static_assert(DATAGRAM_OVERHEAD == 32, "datagram overhead is part of the protocol");
static_assert(DATAGRAM_MAX_BODY == 1200, "fragment room is part of the protocol");
static_assert(DATAGRAM_REPLAY_WINDOW % 64 == 0, "replay bitmap is whole words");
static_assert(DATAGRAM_SEQ_LIMIT < DATAGRAM_DIR_BIT, "seq limit below the direction bit");

struct datagram_link {
	struct crypto *crypto;
	uint32_t conn_id;
	uint64_t send_dir;      /* DATAGRAM_DIR_BIT or 0 */
	uint64_t next_seq;
	struct datagram_replay replay;
	/* Plaintext of the last opened datagram: struct datagram points here. */
	uint8_t plain[DATAGRAM_MAX_LEN];
};

void datagram_replay_init(struct datagram_replay *w)
{
	memset(w, 0, sizeof *w);
}

static int replay_bit(const struct datagram_replay *w, uint64_t seq)
{
	uint64_t i = seq % DATAGRAM_REPLAY_WINDOW;

	return (w->bits[i / 64] >> (i % 64)) & 1;
}

static void replay_set(struct datagram_replay *w, uint64_t seq, int on)
{
	uint64_t i = seq % DATAGRAM_REPLAY_WINDOW;
	uint64_t mask = UINT64_C(1) << (i % 64);

	if (on)
		w->bits[i / 64] |= mask;
	else
		w->bits[i / 64] &= ~mask;
}

int datagram_replay_check(const struct datagram_replay *w, uint64_t seq)
{
	if (!w->any || seq > w->top)
		return 0;
	if (w->top - seq >= DATAGRAM_REPLAY_WINDOW)
		return RMUX_ERR_RANGE;
	return replay_bit(w, seq) ? RMUX_ERR_RANGE : 0;
}

int datagram_replay_accept(struct datagram_replay *w, uint64_t seq)
{
	if (w->any && seq <= w->top) {
		replay_set(w, seq, 1);
		return 0;
	}
	if (!w->any || seq - w->top >= DATAGRAM_REPLAY_WINDOW) {
		memset(w->bits, 0, sizeof w->bits);
	} else {
		/* The slots the window slides over now stand for new numbers. */
		for (uint64_t s = w->top + 1; s < seq; s++)
			replay_set(w, s, 0);
	}
	w->any = 1;
	w->top = seq;
	replay_set(w, seq, 1);
	return 1;
}

void datagram_nonce(uint64_t dirseq, uint8_t nonce[CRYPTO_NONCE_LEN])
{
	memset(nonce, 0, 4);
	for (int i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(dirseq >> (56 - 8 * i));
}

uint16_t datagram_timestamp(uint64_t now_ms)
{
	uint16_t ts = (uint16_t)(now_ms & 0xffff);

	/* Skipping one value per 65.5 s costs at most 1 ms in one RTT sample. */
	return ts == DATAGRAM_TS_NONE ? 0 : ts;
}

uint16_t datagram_timestamp_diff(uint16_t newer, uint16_t older)
{
	return (uint16_t)(newer - older);
}

int datagram_peek_conn_id(const uint8_t *data, size_t len, uint32_t *conn_id)
{
	struct reader r;

	if (len < DATAGRAM_MIN_LEN)
		return RMUX_ERR_TRUNCATED;
	if (len > DATAGRAM_MAX_LEN)
		return RMUX_ERR_TOO_BIG;
	reader_init(&r, data, len);
	return reader_u32(&r, conn_id);
}

struct datagram_link *datagram_link_create(const uint8_t key[CRYPTO_KEY_LEN],
    uint32_t conn_id, int send_dir)
{
	struct datagram_link *l = xcalloc(1, sizeof *l);

	l->crypto = crypto_create(key);
	l->conn_id = conn_id;
	l->send_dir = send_dir == DATAGRAM_TO_CLIENT ? DATAGRAM_DIR_BIT : 0;
	datagram_replay_init(&l->replay);
	return l;
}

void datagram_link_free(struct datagram_link *l)
{
	if (l == NULL)
		return;
	crypto_free(l->crypto);
	OPENSSL_cleanse(l, sizeof *l);
	free(l);
}

uint64_t datagram_link_next_seq(const struct datagram_link *l)
{
	return l->next_seq;
}

int datagram_link_skip_to(struct datagram_link *l, uint64_t seq)
{
	if (seq < l->next_seq || seq > DATAGRAM_SEQ_LIMIT)
		return RMUX_ERR_RANGE;
	l->next_seq = seq;
	return 0;
}

int datagram_link_seal(struct datagram_link *l, uint16_t timestamp,
    uint16_t timestamp_reply, const uint8_t *frag, size_t fraglen, struct buf *out)
{
	uint8_t nonce[CRYPTO_NONCE_LEN];
	size_t start, pt, ptlen = DATAGRAM_TS_LEN + fraglen;
	uint64_t dirseq;

	if (fraglen > DATAGRAM_MAX_BODY)
		return RMUX_ERR_TOO_BIG;
	if (l->next_seq >= DATAGRAM_SEQ_LIMIT)
		return RMUX_ERR_RANGE;
	/* The counter moves before anything is sealed: a nonce is used once. */
	dirseq = l->send_dir | l->next_seq++;
	datagram_nonce(dirseq, nonce);

	/* Reserved once, so the pointers below stay put; the payload is laid
	 * out in OUT and sealed in place. */
	start = out->len;
	buf_reserve(out, DATAGRAM_HEADER_LEN + ptlen + CRYPTO_TAG_LEN);
	buf_add_u32(out, l->conn_id);
	buf_add_u64(out, dirseq);
	pt = out->len;
	buf_add_u16(out, timestamp);
	buf_add_u16(out, timestamp_reply);
	buf_add(out, frag, fraglen);
	crypto_seal(l->crypto, nonce, out->data + start, DATAGRAM_HEADER_LEN,
	    out->data + pt, ptlen, out->data + pt);
	out->len += CRYPTO_TAG_LEN;
	return 0;
}

int datagram_link_open(struct datagram_link *l, const uint8_t *data, size_t len,
    struct datagram *d)
{
	uint8_t nonce[CRYPTO_NONCE_LEN];
	struct reader r;
	uint32_t conn_id;
	uint64_t dirseq, seq;
	size_t ptlen;
	int err;

	if (len < DATAGRAM_MIN_LEN)
		return RMUX_ERR_TRUNCATED;
	if (len > DATAGRAM_MAX_LEN)
		return RMUX_ERR_TOO_BIG;
	reader_init(&r, data, DATAGRAM_HEADER_LEN);
	reader_u32(&r, &conn_id);
	reader_u64(&r, &dirseq);
	if ((err = reader_finish(&r)) != 0)
		goto out;
	/* Cheap checks first: nothing is decrypted for a datagram that could
	 * not be accepted anyway. Our own direction is a reflection. */
	if (conn_id != l->conn_id || (dirseq & DATAGRAM_DIR_BIT) == l->send_dir) {
		err = RMUX_ERR_MALFORMED;
		goto out;
	}
	seq = dirseq & ~DATAGRAM_DIR_BIT;
	if (seq >= DATAGRAM_SEQ_LIMIT) {
		err = RMUX_ERR_RANGE;
		goto out;
	}
	if ((err = datagram_replay_check(&l->replay, seq)) != 0)
		goto out;

	ptlen = len - DATAGRAM_HEADER_LEN - CRYPTO_TAG_LEN;
	datagram_nonce(dirseq, nonce);
	err = crypto_open(l->crypto, nonce, data, DATAGRAM_HEADER_LEN,
	    data + DATAGRAM_HEADER_LEN, len - DATAGRAM_HEADER_LEN, l->plain);
	if (err != 0)
		goto out;

	reader_init(&r, l->plain, ptlen);
	reader_u16(&r, &d->timestamp);
	reader_u16(&r, &d->timestamp_reply);
	if ((err = r.err) != 0)
		goto out;
	d->conn_id = conn_id;
	d->seq = seq;
	d->frag = r.p;
	d->fraglen = r.left;
	/* Only an authenticated datagram may move the window. */
	d->newest = datagram_replay_accept(&l->replay, seq);
out:
	return err;
}
