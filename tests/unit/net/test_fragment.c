/* test_fragment.c — cutting instructions into fragments and putting them
 * back: sizes against the MTU, loss, duplication, reordering, superseded
 * instructions, impossible fragments, the size cap and garbage. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/datagram.h"
#include "net/fragment.h"

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* An instruction cut into separately stored fragments. */
struct cut {
	size_t n;
	struct buf *f;
};

static void cut_make(struct cut *c, uint64_t id, const uint8_t *data, size_t len, size_t payload)
{
	c->n = fragment_count(len, payload);
	c->f = calloc(c->n, sizeof *c->f);
	assert_non_null(c->f);
	for (size_t i = 0; i < c->n; i++) {
		buf_init(&c->f[i]);
		assert_int_equal(fragment_encode(id, data, len, payload, i, &c->f[i]), 0);
	}
}

static void cut_free(struct cut *c)
{
	for (size_t i = 0; i < c->n; i++)
		buf_free(&c->f[i]);
	free(c->f);
}

static uint8_t *random_bytes(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rng();
	return p;
}

static int add(struct fragment_assembly *a, const struct buf *f, uint64_t *id,
    const uint8_t **out, size_t *outlen)
{
	return fragment_assembly_add(a, f->data, f->len, id, out, outlen);
}

/* Layout, sizes and MTU: every fragment sealed in a datagram fits 1280
 * bytes with IPv6 and UDP headers, and a full one fills it exactly. */
static void test_layout_and_mtu(void **state)
{
	const size_t lens[] = { 0, 1, FRAGMENT_PAYLOAD_MAX - 1, FRAGMENT_PAYLOAD_MAX,
		FRAGMENT_PAYLOAD_MAX + 1, 2 * FRAGMENT_PAYLOAD_MAX, 100000 };
	uint8_t key[CRYPTO_KEY_LEN] = { 1 };
	struct datagram_link *l = datagram_link_create(key, 7, DATAGRAM_TO_CLIENT);
	struct buf w;

	assert_int_equal(DATAGRAM_MAX_LEN, 1280 - 40 - 8);
	assert_int_equal(FRAGMENT_PAYLOAD_MAX + FRAGMENT_HEADER_LEN, DATAGRAM_MAX_BODY);
	buf_init(&w);
	for (size_t k = 0; k < RMUX_NITEMS(lens); k++) {
		uint8_t *data = random_bytes(lens[k]);
		uint64_t id = 0x0102030405060708u + k;
		struct cut c;
		size_t total = 0;

		cut_make(&c, id, data, lens[k], FRAGMENT_PAYLOAD_MAX);
		assert_int_equal(c.n, lens[k] == 0 ? 1 :
		    (lens[k] + FRAGMENT_PAYLOAD_MAX - 1) / FRAGMENT_PAYLOAD_MAX);
		for (size_t i = 0; i < c.n; i++) {
			const uint8_t *f = c.f[i].data;
			uint64_t fid = 0;
			for (int b = 0; b < 8; b++)
				fid = fid << 8 | f[b];
			unsigned word = (unsigned)f[8] << 8 | f[9];
			assert_int_equal(fid, id);
			assert_int_equal(word & FRAGMENT_NUM_MASK, i);
			assert_int_equal(!!(word & FRAGMENT_FINAL), i == c.n - 1);
			size_t n = c.f[i].len - FRAGMENT_HEADER_LEN;
			if (i < c.n - 1)
				assert_int_equal(n, FRAGMENT_PAYLOAD_MAX);
			if (n > 0)
				assert_memory_equal(f + FRAGMENT_HEADER_LEN, data + total, n);
			total += n;

			buf_reset(&w);
			assert_int_equal(datagram_link_seal(l, 0, 0, f, c.f[i].len, &w), 0);
			assert_true(w.len + 40 + 8 <= 1280);
			if (n == FRAGMENT_PAYLOAD_MAX)
				assert_int_equal(w.len + 40 + 8, 1280);
		}
		assert_int_equal(total, lens[k]);
		cut_free(&c);
		free(data);
	}
	buf_free(&w);
	datagram_link_free(l);
}

static void test_encode_limits(void **state)
{
	uint8_t *data = random_bytes(FRAGMENT_MAX_INSTRUCTION + 1);
	struct buf w;

	buf_init(&w);
	assert_int_equal(fragment_encode(1, data, FRAGMENT_MAX_INSTRUCTION + 1,
	    FRAGMENT_PAYLOAD_MAX, 0, &w), RMUX_ERR_TOO_BIG);
	/* Too many fragments at a tiny payload. */
	assert_int_equal(fragment_encode(1, data, FRAGMENT_MAX_COUNT + 1, 1, 0, &w),
	    RMUX_ERR_TOO_BIG);
	assert_int_equal(fragment_encode(1, data, FRAGMENT_MAX_COUNT, 1,
	    FRAGMENT_MAX_COUNT - 1, &w), 0);
	assert_int_equal(w.data[8], (FRAGMENT_FINAL | FRAGMENT_NUM_MASK) >> 8);
	buf_reset(&w);
	assert_int_equal(fragment_encode(1, data, 10, FRAGMENT_PAYLOAD_MAX + 1, 0, &w),
	    RMUX_ERR_RANGE);
	assert_int_equal(fragment_encode(1, data, 10, 0, 0, &w), RMUX_ERR_RANGE);
	assert_int_equal(fragment_encode(1, data, 10, 5, 2, &w), RMUX_ERR_RANGE);
	assert_int_equal(w.len, 0);
	buf_free(&w);
	free(data);
}

/* Round trips in random order, with duplicates, at several payload sizes,
 * including the largest instruction allowed. */
static void test_reorder_and_duplicates(void **state)
{
	const size_t lens[] = { 0, 5, 1190, 1191, 9000, 65536, FRAGMENT_MAX_INSTRUCTION };
	const size_t payloads[] = { FRAGMENT_PAYLOAD_MAX, 500, 77 };
	struct fragment_assembly *a = fragment_assembly_create();
	uint64_t id = 100;

	for (size_t k = 0; k < RMUX_NITEMS(lens); k++) {
		for (size_t q = 0; q < RMUX_NITEMS(payloads); q++) {
			if (fragment_count(lens[k], payloads[q]) > FRAGMENT_MAX_COUNT)
				continue;
			uint8_t *data = random_bytes(lens[k]);
			const uint8_t *out = NULL;
			size_t outlen = 0, *order;
			uint64_t got_id = 0;
			struct cut c;
			int done = 0;

			cut_make(&c, ++id, data, lens[k], payloads[q]);
			order = calloc(2 * c.n, sizeof *order);
			for (size_t i = 0; i < 2 * c.n; i++)
				order[i] = i % c.n;
			for (size_t i = 2 * c.n - 1; i > 0; i--) {
				size_t j = (size_t)(rng() % (i + 1)), t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
			size_t stored = 0, ignored = 0;
			for (size_t i = 0; i < 2 * c.n; i++) {
				int r = add(a, &c.f[order[i]], &got_id, &out, &outlen);
				if (r == FRAGMENT_COMPLETE) {
					assert_false(done);
					done = 1;
					assert_int_equal(got_id, id);
					assert_int_equal(outlen, lens[k]);
					if (outlen > 0)
						assert_memory_equal(out, data, outlen);
				} else if (r == FRAGMENT_STORED) {
					stored++;
				} else {
					assert_int_equal(r, FRAGMENT_IGNORED);
					ignored++;
				}
			}
			assert_true(done);
			assert_int_equal(stored, c.n - 1);
			assert_int_equal(ignored, c.n);
			free(order);
			cut_free(&c);
			free(data);
		}
	}
	fragment_assembly_free(a);
}

/* A lost fragment leaves the instruction incomplete; the next (newer) one
 * replaces it; late fragments of the old one are ignored. */
static void test_loss_and_supersede(void **state)
{
	struct fragment_assembly *a = fragment_assembly_create();
	uint8_t *d1 = random_bytes(5000), *d2 = random_bytes(3000);
	const uint8_t *out;
	size_t outlen;
	uint64_t id;
	struct cut c1, c2;

	cut_make(&c1, 41, d1, 5000, FRAGMENT_PAYLOAD_MAX);
	cut_make(&c2, 42, d2, 3000, FRAGMENT_PAYLOAD_MAX);
	for (size_t i = 0; i < c1.n; i++) {
		if (i != 2)
			assert_int_equal(add(a, &c1.f[i], &id, &out, &outlen), FRAGMENT_STORED);
	}
	assert_int_equal(add(a, &c2.f[1], &id, &out, &outlen), FRAGMENT_STORED);
	/* The lost one turns up late: its instruction is gone. */
	assert_int_equal(add(a, &c1.f[2], &id, &out, &outlen), FRAGMENT_IGNORED);
	assert_int_equal(add(a, &c2.f[0], &id, &out, &outlen), FRAGMENT_STORED);
	assert_int_equal(add(a, &c1.f[0], &id, &out, &outlen), FRAGMENT_IGNORED);
	assert_int_equal(add(a, &c2.f[2], &id, &out, &outlen), FRAGMENT_COMPLETE);
	assert_int_equal(id, 42);
	assert_int_equal(outlen, 3000);
	assert_memory_equal(out, d2, 3000);
	/* Everything of a completed id is ignored afterwards. */
	for (size_t i = 0; i < c2.n; i++)
		assert_int_equal(add(a, &c2.f[i], &id, &out, &outlen), FRAGMENT_IGNORED);
	cut_free(&c1);
	cut_free(&c2);
	free(d1);
	free(d2);
	fragment_assembly_free(a);
}

static void put(struct buf *b, uint64_t id, unsigned word, size_t n)
{
	buf_reset(b);
	buf_add_u64(b, id);
	buf_add_u16(b, (uint16_t)word);
	for (size_t i = 0; i < n; i++)
		buf_add_u8(b, (uint8_t)i);
}

/* Fragments that cannot belong to any valid instruction are refused, and
 * the instruction they claim is dropped for good. */
static void test_impossible(void **state)
{
	struct fragment_assembly *a = fragment_assembly_create();
	const uint8_t *out;
	size_t outlen;
	uint64_t id;
	struct buf b;

	buf_init(&b);
	/* Too short for a header. */
	for (size_t n = 0; n < FRAGMENT_HEADER_LEN; n++) {
		put(&b, 1, 0, 0);
		assert_int_equal(fragment_assembly_add(a, b.data, n, &id, &out, &outlen),
		    RMUX_ERR_TRUNCATED);
	}

	/* Number past the final one. */
	put(&b, 1, FRAGMENT_FINAL | 2, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	put(&b, 1, 3, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_MALFORMED);
	put(&b, 1, 0, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_IGNORED);

	/* A second, different final. */
	put(&b, 2, FRAGMENT_FINAL | 4, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	put(&b, 2, FRAGMENT_FINAL | 3, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_MALFORMED);

	/* The final claims a lower number than one already held. */
	put(&b, 3, 7, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	put(&b, 3, FRAGMENT_FINAL | 6, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_MALFORMED);

	/* The final number sent again without the final flag. */
	put(&b, 4, FRAGMENT_FINAL | 1, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	put(&b, 4, 1, 5);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_MALFORMED);

	/* An empty fragment that is not the final one. */
	put(&b, 5, 0, 0);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_MALFORMED);

	/* More data than a fragment can carry. */
	put(&b, 6, FRAGMENT_FINAL, FRAGMENT_PAYLOAD_MAX + 1);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_TOO_BIG);
	put(&b, 6, FRAGMENT_FINAL, 3);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_IGNORED);

	/* After all that, a good instruction still goes through. */
	put(&b, 7, FRAGMENT_FINAL, 0);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_COMPLETE);
	assert_int_equal(id, 7);
	assert_int_equal(outlen, 0);
	assert_non_null(out);
	buf_free(&b);
	fragment_assembly_free(a);
}

/* The reassembler stops at FRAGMENT_MAX_INSTRUCTION bytes. */
static void test_size_cap(void **state)
{
	struct fragment_assembly *a = fragment_assembly_create();
	size_t full = FRAGMENT_MAX_INSTRUCTION / FRAGMENT_PAYLOAD_MAX;
	const uint8_t *out;
	size_t outlen;
	uint64_t id;
	struct buf b;

	buf_init(&b);
	/* The fragments that fit are stored, the one that crosses the cap
	 * is refused, from whichever end they come. */
	for (size_t i = 0; i < full; i++) {
		put(&b, 9, (unsigned)(full - i), FRAGMENT_PAYLOAD_MAX);
		assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	}
	put(&b, 9, 0, FRAGMENT_PAYLOAD_MAX);
	assert_int_equal(add(a, &b, &id, &out, &outlen), RMUX_ERR_TOO_BIG);
	put(&b, 9, FRAGMENT_FINAL | (unsigned)(full + 1), 1);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_IGNORED);

	/* Many tiny fragments up to the highest number are fine. */
	for (unsigned i = 0; i < FRAGMENT_MAX_COUNT - 1; i += 1000) {
		put(&b, 10, i, 1);
		assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	}
	put(&b, 10, FRAGMENT_FINAL | FRAGMENT_NUM_MASK, 1);
	assert_int_equal(add(a, &b, &id, &out, &outlen), FRAGMENT_STORED);
	buf_free(&b);
	fragment_assembly_free(a);
}

/* Random bytes, and real fragments with random damage, never crash. */
static void test_garbage(void **state)
{
	struct fragment_assembly *a = fragment_assembly_create();
	uint8_t junk[FRAGMENT_HEADER_LEN + FRAGMENT_PAYLOAD_MAX + 20];
	const uint8_t *out;
	size_t outlen;
	uint64_t id;
	int counts[8] = { 0 };

	for (int i = 0; i < 50000; i++) {
		size_t len = (size_t)(rng() % sizeof junk);
		for (size_t j = 0; j < len; j++)
			junk[j] = (uint8_t)rng();
		if (len >= FRAGMENT_HEADER_LEN) {
			/* Ids that mostly climb and numbers that collide, so that
			 * some instructions complete among the wreckage. */
			uint64_t fid = (uint64_t)i / 8 + 1 - rng() % 2;
			for (int b = 0; b < 8; b++)
				junk[b] = (uint8_t)(fid >> (56 - 8 * b));
			junk[8] &= 0x80;
			junk[9] %= 3;
		}
		int r = fragment_assembly_add(a, junk, len, &id, &out, &outlen);
		assert_true(r >= RMUX_ERR_RANGE && r <= FRAGMENT_IGNORED);
		counts[r < 0 ? 3 + -r % 5 : r]++;
		if (r == FRAGMENT_COMPLETE)
			assert_true(outlen <= FRAGMENT_MAX_INSTRUCTION);
	}
	/* The input really reached every path. */
	assert_true(counts[FRAGMENT_STORED] > 0);
	assert_true(counts[FRAGMENT_COMPLETE] > 0);
	assert_true(counts[FRAGMENT_IGNORED] > 0);
	fragment_assembly_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_mtu),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_reorder_and_duplicates),
		cmocka_unit_test(test_loss_and_supersede),
		cmocka_unit_test(test_impossible),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
