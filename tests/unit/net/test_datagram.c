/* test_datagram.c — sealing and opening datagrams: layout, nonce rule,
 * tampering, truncation, reflection, replay, reordering, the send limit,
 * garbage, and the replay window against a reference model. */
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
#include "net/crypto.h"
#include "net/datagram.h"
#include "net/fragment.h"

#define CONN 0x5eed1234u

/* Small deterministic generator so that failures replay. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

struct pair {
	uint8_t key[CRYPTO_KEY_LEN];
	struct datagram_link *client; /* sends to the server */
	struct datagram_link *server; /* sends to the client */
};

static int pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof *p);

	crypto_key_generate(p->key);
	p->client = datagram_link_create(p->key, CONN, DATAGRAM_TO_SERVER);
	p->server = datagram_link_create(p->key, CONN, DATAGRAM_TO_CLIENT);
	rng_state = 0x9e3779b97f4a7c15u;
	*state = p;
	return 0;
}

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	datagram_link_free(p->client);
	datagram_link_free(p->server);
	free(p);
	return 0;
}

static void fill(uint8_t *b, size_t n, unsigned salt)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(i * 31 + salt);
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void test_round_trip_and_layout(void **state)
{
	struct pair *p = *state;
	uint8_t frag[DATAGRAM_MAX_BODY], plain[DATAGRAM_MAX_LEN], nonce[CRYPTO_NONCE_LEN];
	struct crypto *c = crypto_create(p->key);
	struct datagram d;
	struct buf w;

	buf_init(&w);
	for (size_t len = 0; len <= DATAGRAM_MAX_BODY; len += len < 40 ? 1 : 97) {
		for (int side = 0; side < 2; side++) {
			struct datagram_link *tx = side ? p->server : p->client;
			struct datagram_link *rx = side ? p->client : p->server;
			uint64_t seq = datagram_link_next_seq(tx);
			uint16_t ts = (uint16_t)(len * 3), reply = (uint16_t)(len + 7);

			fill(frag, len, (unsigned)len);
			buf_reset(&w);
			assert_int_equal(datagram_link_seal(tx, ts, reply, frag, len, &w), 0);
			assert_int_equal(w.len, DATAGRAM_OVERHEAD + len);
			assert_int_equal(datagram_link_next_seq(tx), seq + 1);

			/* Clear header: conn_id, then direction bit and seq. */
			assert_int_equal(be64(w.data) >> 32, CONN);
			assert_int_equal(be64(w.data + 4), (side ? DATAGRAM_DIR_BIT : 0) | seq);
			/* The nonce rule, checked with the bare AEAD. */
			datagram_nonce(be64(w.data + 4), nonce);
			assert_int_equal(crypto_open(c, nonce, w.data, DATAGRAM_HEADER_LEN,
			    w.data + DATAGRAM_HEADER_LEN, w.len - DATAGRAM_HEADER_LEN, plain), 0);
			assert_int_equal(plain[0] << 8 | plain[1], ts);
			assert_int_equal(plain[2] << 8 | plain[3], reply);

			memset(&d, 0, sizeof d);
			assert_int_equal(datagram_link_open(rx, w.data, w.len, &d), 0);
			assert_int_equal(d.conn_id, CONN);
			assert_int_equal(d.seq, seq);
			assert_int_equal(d.newest, 1);
			assert_int_equal(d.timestamp, ts);
			assert_int_equal(d.timestamp_reply, reply);
			assert_int_equal(d.fraglen, len);
			if (len > 0)
				assert_memory_equal(d.frag, frag, len);
		}
	}
	/* A fragment too big for the MTU is refused without using a seq. */
	uint64_t before = datagram_link_next_seq(p->client);
	buf_reset(&w);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, frag, DATAGRAM_MAX_BODY + 1, &w),
	    RMUX_ERR_TOO_BIG);
	assert_int_equal(datagram_link_next_seq(p->client), before);
	assert_int_equal(w.len, 0);
	buf_free(&w);
	crypto_free(c);
}

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* The examples of doc/PROTOCOL.md 3.5, computed there with an independent
 * OCB implementation (Python cryptography's AESOCB3). */
static void test_protocol_example(void **state)
{
	static const char *const want[2] = {
		"c6a13b370000000000000000"
		"28a416cfbe8d7bcd14b4511f9a359f0eaaac8ab6534d31a689ea2701c0520c87",
		"c6a13b378000000000000005"
		"a15880d26297b7cbb7d758031931b5438317b77f4a91ec2de641066c25cb3373",
	};
	uint8_t key[CRYPTO_KEY_LEN], bytes[64];
	struct datagram_link *client, *server;
	struct buf frag, w;
	struct datagram d;
	size_t n;

	for (size_t i = 0; i < CRYPTO_KEY_LEN; i++)
		key[i] = (uint8_t)i;
	assert_int_equal(crypto_key_id(key), 0xc6a13b37u);
	client = datagram_link_create(key, crypto_key_id(key), DATAGRAM_TO_SERVER);
	server = datagram_link_create(key, crypto_key_id(key), DATAGRAM_TO_CLIENT);
	buf_init(&frag);
	buf_init(&w);
	assert_int_equal(fragment_encode(1, (const uint8_t *)"hi", 2, FRAGMENT_PAYLOAD_MAX, 0,
	    &frag), 0);

	assert_int_equal(datagram_link_seal(client, 0x1234, DATAGRAM_TS_NONE, frag.data, frag.len,
	    &w), 0);
	n = unhex(want[0], bytes);
	assert_int_equal(w.len, n);
	assert_memory_equal(w.data, bytes, n);
	assert_int_equal(datagram_link_open(server, bytes, n, &d), 0);
	assert_int_equal(d.timestamp, 0x1234);
	assert_int_equal(d.timestamp_reply, DATAGRAM_TS_NONE);

	buf_reset(&w);
	assert_int_equal(datagram_link_skip_to(server, 5), 0);
	assert_int_equal(datagram_link_seal(server, 0x0400, 0x1230, frag.data, frag.len, &w), 0);
	n = unhex(want[1], bytes);
	assert_int_equal(w.len, n);
	assert_memory_equal(w.data, bytes, n);
	assert_int_equal(datagram_link_open(client, bytes, n, &d), 0);
	assert_int_equal(d.seq, 5);
	assert_int_equal(d.fraglen, frag.len);
	assert_memory_equal(d.frag, frag.data, frag.len);

	buf_free(&frag);
	buf_free(&w);
	datagram_link_free(client);
	datagram_link_free(server);
}

/* Every single-bit flip, every truncation and an extension of a valid
 * datagram is rejected, and none of them disturbs the receiver. */
static void test_bit_flips_and_truncations(void **state)
{
	struct pair *p = *state;
	uint8_t frag[200], bad[DATAGRAM_MAX_LEN + 1];
	struct datagram d;
	struct buf w;

	buf_init(&w);
	/* Move the server's window so flipped seqs land on every side of it. */
	for (int i = 0; i < 700; i++) {
		buf_reset(&w);
		assert_int_equal(datagram_link_seal(p->client, 1, 2, frag, 0, &w), 0);
		if (i % 2 == 0)
			assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), 0);
	}
	fill(frag, sizeof frag, 5);
	buf_reset(&w);
	assert_int_equal(datagram_link_seal(p->client, 100, 200, frag, sizeof frag, &w), 0);

	for (size_t bit = 0; bit < w.len * 8; bit++) {
		memcpy(bad, w.data, w.len);
		bad[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		int err = datagram_link_open(p->server, bad, w.len, &d);
		assert_true(err < 0);
		size_t byte = bit / 8;
		if (byte < 4 || bit == 4 * 8 + 7) {
			/* conn_id, or the direction bit (a reflection) */
			assert_int_equal(err, RMUX_ERR_MALFORMED);
		} else if (byte < 7) {
			assert_int_equal(err, RMUX_ERR_RANGE); /* seq beyond the limit */
		} else if (byte < DATAGRAM_HEADER_LEN) {
			/* Seen seqs (the even ones below 700) are refused before
			 * decryption, the others by the tag. */
			uint64_t seq = 700 ^ (UINT64_C(1) << ((DATAGRAM_HEADER_LEN - 1 - byte) * 8 +
			    bit % 8));
			int seen = seq < 700 && seq % 2 == 0;
			assert_int_equal(err, seen ? RMUX_ERR_RANGE : RMUX_ERR_AUTH);
		} else {
			assert_int_equal(err, RMUX_ERR_AUTH);
		}
	}
	for (size_t len = 0; len < w.len; len++) {
		int err = datagram_link_open(p->server, w.data, len, &d);
		assert_int_equal(err, len < DATAGRAM_MIN_LEN ? RMUX_ERR_TRUNCATED : RMUX_ERR_AUTH);
	}
	memcpy(bad, w.data, w.len);
	bad[w.len] = 0;
	assert_int_equal(datagram_link_open(p->server, bad, w.len + 1, &d), RMUX_ERR_AUTH);
	memset(bad, 0, sizeof bad);
	assert_int_equal(datagram_link_open(p->server, bad, DATAGRAM_MAX_LEN + 1, &d),
	    RMUX_ERR_TOO_BIG);

	/* The untouched datagram still opens, exactly once. */
	assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), 0);
	assert_int_equal(d.fraglen, sizeof frag);
	assert_memory_equal(d.frag, frag, sizeof frag);
	assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), RMUX_ERR_RANGE);
	buf_free(&w);
}

static void test_reflection_and_wrong_connection(void **state)
{
	struct pair *p = *state;
	struct datagram_link *other = datagram_link_create(p->key, CONN + 1, DATAGRAM_TO_CLIENT);
	struct datagram_link *client2 = datagram_link_create(p->key, CONN, DATAGRAM_TO_SERVER);
	uint8_t frag[10] = "reflected";
	struct datagram d;
	struct buf w;
	uint32_t id;

	buf_init(&w);
	assert_int_equal(datagram_link_seal(p->server, 0, 0, frag, sizeof frag, &w), 0);
	/* Sent back to the server that made it. */
	assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), RMUX_ERR_MALFORMED);
	buf_reset(&w);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, frag, sizeof frag, &w), 0);
	/* A client's datagram shown to another client. */
	assert_int_equal(datagram_link_open(client2, w.data, w.len, &d), RMUX_ERR_MALFORMED);
	/* Another connection's link (same key, which never happens, still
	 * refused on the id). */
	assert_int_equal(datagram_peek_conn_id(w.data, w.len, &id), 0);
	assert_int_equal(id, CONN);
	assert_int_equal(datagram_link_open(other, w.data, w.len, &d), RMUX_ERR_MALFORMED);
	assert_int_equal(datagram_peek_conn_id(w.data, DATAGRAM_MIN_LEN - 1, &id),
	    RMUX_ERR_TRUNCATED);
	assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), 0);
	datagram_link_free(other);
	datagram_link_free(client2);
	buf_free(&w);
}

/* Datagrams delivered shuffled, duplicated and late: each within the
 * window is accepted once, "newest" marks exactly the new maxima, and
 * anything a full window behind the newest is refused. */
static void test_reorder_duplicate_and_too_old(void **state)
{
	struct pair *p = *state;
	enum { N = 3000 };
	struct buf *w = calloc(N, sizeof *w);
	size_t *order = calloc(2 * N, sizeof *order);
	int *got = calloc(N, sizeof *got);
	struct datagram d;
	uint8_t frag[8];
	uint64_t max = 0;
	int any = 0;

	for (size_t i = 0; i < N; i++) {
		buf_init(&w[i]);
		memcpy(frag, &i, sizeof frag < sizeof i ? sizeof frag : sizeof i);
		assert_int_equal(datagram_link_seal(p->server, 0, 0, frag, sizeof frag, &w[i]), 0);
		order[2 * i] = order[2 * i + 1] = i;
	}
	/* Local shuffles (a reordering network) with every datagram twice. */
	for (size_t i = 0; i < 2 * N; i++) {
		size_t j = i + (size_t)(rng() % 64);
		if (j < 2 * N) {
			size_t t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	}
	/* A few stragglers from far behind. */
	order[2 * N - 1] = 3;
	order[2 * N - 2] = N - 1 - DATAGRAM_REPLAY_WINDOW;
	for (size_t k = 0; k < 2 * N; k++) {
		size_t i = order[k];
		int err = datagram_link_open(p->client, w[i].data, w[i].len, &d);
		int fresh = !got[i] && (!any || max - i < DATAGRAM_REPLAY_WINDOW || i > max);

		if (fresh) {
			assert_int_equal(err, 0);
			assert_int_equal(d.seq, i);
			assert_int_equal(d.newest, !any || i > max);
			got[i] = 1;
			if (!any || i > max)
				max = i;
			any = 1;
		} else {
			assert_int_equal(err, RMUX_ERR_RANGE);
		}
	}
	for (size_t i = 0; i < N; i++)
		buf_free(&w[i]);
	free(w);
	free(order);
	free(got);
}

static void test_seq_limit(void **state)
{
	struct pair *p = *state;
	uint8_t nonce[CRYPTO_NONCE_LEN], hdr[DATAGRAM_HEADER_LEN], pkt[DATAGRAM_MIN_LEN + 4];
	struct crypto *c = crypto_create(p->key);
	struct datagram d;
	struct buf w;
	uint64_t dirseq;

	buf_init(&w);
	assert_int_equal(datagram_link_skip_to(p->client, 10), 0);
	assert_int_equal(datagram_link_skip_to(p->client, 9), RMUX_ERR_RANGE);
	assert_int_equal(datagram_link_skip_to(p->client, DATAGRAM_SEQ_LIMIT + 1), RMUX_ERR_RANGE);
	assert_int_equal(datagram_link_skip_to(p->client, DATAGRAM_SEQ_LIMIT - 2), 0);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, NULL, 0, &w), 0);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, NULL, 0, &w), 0);
	size_t len = w.len;
	assert_int_equal(datagram_link_seal(p->client, 0, 0, NULL, 0, &w), RMUX_ERR_RANGE);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, NULL, 0, &w), RMUX_ERR_RANGE);
	assert_int_equal(w.len, len);
	assert_int_equal(datagram_link_next_seq(p->client), DATAGRAM_SEQ_LIMIT);
	/* Both datagrams before the limit are good. */
	assert_int_equal(datagram_link_open(p->server, w.data, DATAGRAM_MIN_LEN, &d), 0);
	assert_int_equal(d.seq, DATAGRAM_SEQ_LIMIT - 2);
	assert_int_equal(datagram_link_open(p->server, w.data + DATAGRAM_MIN_LEN,
	    DATAGRAM_MIN_LEN, &d), 0);

	/* An authentic datagram past the limit (only a broken peer makes one)
	 * is refused all the same. */
	dirseq = DATAGRAM_SEQ_LIMIT;
	for (int i = 0; i < 4; i++)
		hdr[i] = (uint8_t)(CONN >> (24 - 8 * i));
	for (int i = 0; i < 8; i++)
		hdr[4 + i] = (uint8_t)(dirseq >> (56 - 8 * i));
	memcpy(pkt, hdr, sizeof hdr);
	memset(pkt + DATAGRAM_HEADER_LEN, 0, DATAGRAM_TS_LEN);
	datagram_nonce(dirseq, nonce);
	crypto_seal(c, nonce, hdr, sizeof hdr, pkt + DATAGRAM_HEADER_LEN, DATAGRAM_TS_LEN,
	    pkt + DATAGRAM_HEADER_LEN);
	assert_int_equal(datagram_link_open(p->server, pkt, DATAGRAM_MIN_LEN, &d), RMUX_ERR_RANGE);
	crypto_free(c);
	buf_free(&w);
}

static int cmp_nonce(const void *a, const void *b)
{
	return memcmp(a, b, CRYPTO_NONCE_LEN);
}

/* 4 million nonces, 2 million from each direction, are all different. */
static void test_nonces_unique(void **state)
{
	enum { PER_DIR = 2000000 };
	uint8_t (*n)[CRYPTO_NONCE_LEN] = calloc(2 * PER_DIR, CRYPTO_NONCE_LEN);
	size_t k = 0;

	assert_non_null(n);
	for (uint64_t s = 0; s < PER_DIR; s++) {
		/* Spread the seqs over the whole range as well as the start. */
		uint64_t seq = s < PER_DIR / 2 ? s : DATAGRAM_SEQ_LIMIT - 1 - (s - PER_DIR / 2) * 7;
		datagram_nonce(seq, n[k++]);
		datagram_nonce(DATAGRAM_DIR_BIT | seq, n[k++]);
	}
	qsort(n, k, CRYPTO_NONCE_LEN, cmp_nonce);
	for (size_t i = 1; i < k; i++)
		assert_true(memcmp(n[i - 1], n[i], CRYPTO_NONCE_LEN) < 0);
	free(n);
}

/* Random and damaged input never crashes and never changes the state. */
static void test_garbage(void **state)
{
	struct pair *p = *state;
	uint8_t junk[DATAGRAM_MAX_LEN + 16], frag[50];
	struct datagram d;
	struct buf w;

	buf_init(&w);
	fill(frag, sizeof frag, 9);
	assert_int_equal(datagram_link_seal(p->client, 0, 0, frag, sizeof frag, &w), 0);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(rng() % sizeof junk);
		for (size_t j = 0; j < len; j++)
			junk[j] = (uint8_t)rng();
		if (i % 2 && len >= DATAGRAM_HEADER_LEN)
			memcpy(junk, w.data, DATAGRAM_HEADER_LEN); /* a real header */
		assert_true(datagram_link_open(p->server, junk, len, &d) < 0);
	}
	assert_int_equal(datagram_link_open(p->server, w.data, w.len, &d), 0);
	assert_memory_equal(d.frag, frag, sizeof frag);
	buf_free(&w);
}

static void test_timestamps(void **state)
{
	for (uint64_t t = 0; t < 4 * 65536; t += 13)
		assert_int_equal(datagram_timestamp(t), (t & 0xffff) == 0xffff ? 0 : (t & 0xffff));
	assert_int_equal(datagram_timestamp(0xffff), 0);
	assert_int_equal(datagram_timestamp(UINT64_C(0x123456789ffff)), 0);
	for (int i = 0; i < 1000; i++) {
		uint16_t a = (uint16_t)rng(), delta = (uint16_t)(rng() % 65536);
		assert_int_equal(datagram_timestamp_diff((uint16_t)(a + delta), a), delta);
	}
}

/* The window against a model that remembers every seq ever accepted. */
static void test_replay_window_model(void **state)
{
	enum { SPAN = 20000 };
	struct datagram_replay w;
	uint8_t *seen = calloc(SPAN, 1);
	uint64_t max = 0, base = 0;
	int any = 0;

	datagram_replay_init(&w);
	for (int i = 0; i < 200000; i++) {
		uint64_t r = rng(), seq;
		/* Mostly near the front, sometimes far behind or jumping ahead. */
		if (r % 10 < 7)
			seq = max + (r >> 8) % 40 - RMUX_MIN(max, 20);
		else if (r % 10 < 9)
			seq = max - RMUX_MIN(max, (r >> 8) % 2048);
		else
			seq = max + (r >> 8) % 1500;
		if (seq >= base + SPAN) {
			/* Slide the model (everything it drops is far too old). */
			uint64_t shift = seq - base - SPAN / 2;
			shift = RMUX_MIN(shift, (uint64_t)SPAN);
			memmove(seen, seen + shift, SPAN - shift);
			memset(seen + SPAN - shift, 0, shift);
			base += shift;
		}
		int want_ok = seq < base ? 0 : !seen[seq - base] &&
		    (!any || seq > max || max - seq < DATAGRAM_REPLAY_WINDOW);
		int err = datagram_replay_check(&w, seq);
		assert_int_equal(err, want_ok ? 0 : RMUX_ERR_RANGE);
		if (want_ok) {
			/* Authenticated in half the cases: the other half are forgeries
			 * that passed the cheap check but not the AEAD. */
			if (r & (UINT64_C(1) << 60))
				continue;
			assert_int_equal(datagram_replay_accept(&w, seq), !any || seq > max);
			seen[seq - base] = 1;
			if (!any || seq > max)
				max = seq;
			any = 1;
		}
	}
	free(seen);
}

#define PAIR_TEST(f) cmocka_unit_test_setup_teardown(f, pair_setup, pair_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PAIR_TEST(test_round_trip_and_layout),
		cmocka_unit_test(test_protocol_example),
		PAIR_TEST(test_bit_flips_and_truncations),
		PAIR_TEST(test_reflection_and_wrong_connection),
		PAIR_TEST(test_reorder_duplicate_and_too_old),
		PAIR_TEST(test_seq_limit),
		PAIR_TEST(test_garbage),
		PAIR_TEST(test_timestamps),
		PAIR_TEST(test_replay_window_model),
		cmocka_unit_test(test_nonces_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
