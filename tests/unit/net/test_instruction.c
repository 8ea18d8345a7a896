/* test_instruction.c — the instruction codec: round trips over random
 * numbers, diffs, deflate flags and chaff; every truncation and any
 * trailing byte rejected; version, order of the state numbers, the
 * deflate flag and the bounds checked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/fragment.h"
#include "net/instruction.h"
#include "net/protocol.h"

static uint64_t rng_state = 0x853c49e6748fea9bu;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* A number of random magnitude: small ones are the common case. */
static uint64_t rnum(void)
{
	return rng() >> (rng() % 64);
}

static void random_instruction(struct instruction *in, uint8_t *diff, size_t difflen)
{
	uint64_t a = rnum(), b = rnum(), c = rnum();
	uint64_t lo = RMUX_MIN(a, RMUX_MIN(b, c)), hi = RMUX_MAX(a, RMUX_MAX(b, c));

	in->throwaway_num = lo;
	in->new_num = hi;
	in->old_num = a + b + c - lo - hi; /* the middle one */
	in->ack_num = rnum();
	for (size_t i = 0; i < difflen; i++)
		diff[i] = (uint8_t)rng();
	in->diff = diff;
	in->difflen = difflen;
	in->deflated = difflen > 0 && rng() % 2;
}

static void test_roundtrip(void **state)
{
	uint8_t diff[3000], chaff[INSTRUCTION_CHAFF_MAX];

	for (int round = 0; round < 2000; round++) {
		struct instruction in, got;
		struct buf b;
		size_t difflen = round % 7 == 0 ? 0 : rng() % sizeof diff;
		size_t chafflen = rng() % (INSTRUCTION_CHAFF_MAX + 1);

		random_instruction(&in, diff, difflen);
		for (size_t i = 0; i < chafflen; i++)
			chaff[i] = (uint8_t)rng();
		buf_init(&b);
		assert_int_equal(instruction_encode(&in, chaff, chafflen, &b), 0);
		assert_true(b.len <= INSTRUCTION_HEADER_MAX + difflen + chafflen);
		assert_int_equal(b.data[0], PROTOCOL_VERSION);
		assert_int_equal(instruction_decode(b.data, b.len, &got), 0);
		assert_true(got.old_num == in.old_num);
		assert_true(got.new_num == in.new_num);
		assert_true(got.ack_num == in.ack_num);
		assert_true(got.throwaway_num == in.throwaway_num);
		assert_int_equal(got.difflen, difflen);
		assert_int_equal(got.deflated, in.deflated);
		if (difflen > 0)
			assert_memory_equal(got.diff, diff, difflen);
		/* The diff is a view into the encoded bytes, not a copy. */
		assert_true(difflen == 0 || (got.diff > b.data && got.diff < b.data + b.len));
		buf_free(&b);
	}
}

/* The layouts of PROTOCOL.md section 7, byte for byte: the diff field is
 * the length times 2, plus 1 for a deflated diff. */
static void test_layout(void **state)
{
	static const uint8_t want[] = {
		PROTOCOL_VERSION, 0x05, 0x96, 0x01, 0x00, 0x03, 0x04, 'h', 'i', 0x01, 0xaa,
	};
	static const uint8_t stored[] = { 0x01, 0x02, 0x00, 0xfd, 0xff, 'h', 'i' };
	static const uint8_t want_deflated[] = {
		PROTOCOL_VERSION, 0x05, 0x96, 0x01, 0x00, 0x03, 0x0f,
		0x01, 0x02, 0x00, 0xfd, 0xff, 'h', 'i', 0x00,
	};
	uint8_t chaff = 0xaa;
	struct instruction in = { 5, 150, 0, 3, (const uint8_t *)"hi", 2, 0 }, got;
	struct buf b;

	buf_init(&b);
	assert_int_equal(instruction_encode(&in, &chaff, 1, &b), 0);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	buf_reset(&b);
	in.diff = stored;
	in.difflen = sizeof stored;
	in.deflated = 1;
	assert_int_equal(instruction_encode(&in, NULL, 0, &b), 0);
	assert_int_equal(b.len, sizeof want_deflated);
	assert_memory_equal(b.data, want_deflated, sizeof want_deflated);
	assert_int_equal(instruction_decode(b.data, b.len, &got), 0);
	assert_int_equal(got.deflated, 1);
	assert_int_equal(got.difflen, sizeof stored);
	buf_free(&b);
}

static void test_truncation_and_trailing(void **state)
{
	uint8_t diff[40], chaff[5] = { 1, 2, 3, 4, 5 };
	struct instruction in, got;
	struct buf b;

	for (int round = 0; round < 50; round++) {
		random_instruction(&in, diff, rng() % sizeof diff);
		buf_init(&b);
		assert_int_equal(instruction_encode(&in, chaff, rng() % 6, &b), 0);
		for (size_t cut = 0; cut < b.len; cut++) {
			int err = instruction_decode(b.data, cut, &got);
			assert_int_equal(err, RMUX_ERR_TRUNCATED);
			assert_null(got.diff);
		}
		buf_add_u8(&b, 0);
		assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_TRAILING);
		assert_null(got.diff);
		buf_free(&b);
	}
}

static void test_rejects(void **state)
{
	uint8_t chaff[INSTRUCTION_CHAFF_MAX + 1] = { 0 };
	struct instruction in = { 4, 9, 2, 1, NULL, 0, 0 }, got;
	struct buf b;

	buf_init(&b);
	/* Too much chaff, on either end. */
	assert_int_equal(instruction_encode(&in, chaff, sizeof chaff, &b), RMUX_ERR_RANGE);
	assert_int_equal(b.len, 0);
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), 0);
	b.data[b.len - 1] = INSTRUCTION_CHAFF_MAX + 1;
	for (int i = 0; i <= INSTRUCTION_CHAFF_MAX; i++)
		buf_add_u8(&b, 0);
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_RANGE);

	/* Another protocol version. */
	buf_reset(&b);
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), 0);
	assert_int_equal(instruction_decode(b.data, b.len, &got), 0);
	b.data[0] = PROTOCOL_VERSION + 1;
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_MALFORMED);

	/* Numbers out of order: throwaway <= old <= new. */
	buf_reset(&b);
	in.old_num = 10;
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), RMUX_ERR_RANGE);
	in.old_num = 0;
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), RMUX_ERR_RANGE);
	buf_reset(&b);
	buf_add_u8(&b, PROTOCOL_VERSION);
	buf_add_varint(&b, 9); /* old above new */
	buf_add_varint(&b, 4);
	buf_add_varint(&b, 0);
	buf_add_varint(&b, 0);
	buf_add_varint(&b, 0);
	buf_add_u8(&b, 0);
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_RANGE);
	b.data[1] = 3; /* now in order */
	assert_int_equal(instruction_decode(b.data, b.len, &got), 0);
	b.data[4] = 4; /* throwaway above old */
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_RANGE);

	/* A diff length above the instruction cap, and an overlong varint. */
	buf_reset(&b);
	buf_add_u8(&b, PROTOCOL_VERSION);
	for (int i = 0; i < 4; i++)
		buf_add_varint(&b, 0);
	buf_add_varint(&b, (FRAGMENT_MAX_INSTRUCTION + 1) * 2);
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_TOO_BIG);

	/* An empty diff flagged deflated: no deflate stream is empty. */
	buf_reset(&b);
	in.old_num = 4;
	in.deflated = 1;
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), RMUX_ERR_RANGE);
	assert_int_equal(b.len, 0);
	in.deflated = 0;
	assert_int_equal(instruction_encode(&in, chaff, 0, &b), 0);
	assert_int_equal(b.data[5], 0x00);
	b.data[5] = 0x01;
	assert_int_equal(instruction_decode(b.data, b.len, &got), RMUX_ERR_MALFORMED);
	assert_null(got.diff);
	assert_int_equal(got.deflated, 0);
	buf_reset(&b);
	buf_add_u8(&b, PROTOCOL_VERSION);
	for (int i = 0; i < 11; i++)
		buf_add_u8(&b, 0xff);
	assert_true(instruction_decode(b.data, b.len, &got) < 0);
	buf_free(&b);
}

/* Random bytes never crash the decoder and never yield a diff outside them. */
static void test_garbage(void **state)
{
	uint8_t data[64];
	struct instruction got;

	for (int round = 0; round < 100000; round++) {
		size_t len = rng() % sizeof data;
		for (size_t i = 0; i < len; i++)
			data[i] = (uint8_t)(rng() % 4 == 0 ? rng() : rng() % 8);
		data[0] = round % 2 ? PROTOCOL_VERSION : data[0];
		if (instruction_decode(data, len, &got) == 0) {
			assert_true(got.diff + got.difflen <= data + len);
			assert_true(got.throwaway_num <= got.old_num && got.old_num <= got.new_num);
			assert_true(!got.deflated || got.difflen > 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_truncation_and_trailing),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
