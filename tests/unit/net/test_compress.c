/* test_compress.c — raw deflate round trips and the refusals of
 * compress_inflate(): bombs over the cap, truncated, garbled and trailing
 * streams. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/compress.h"

static uint64_t rng_state = 0x243f6a8885a308d3u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

/* Bytes like a diff: runs of repeated text with some noise. */
static void fill(uint8_t *p, size_t len, int noisy)
{
	static const char words[] = "alpha beta gamma delta \x1b[1;31m";

	for (size_t i = 0; i < len; i++)
		p[i] = noisy && rng() % 4 == 0 ? (uint8_t)rng() : (uint8_t)words[i % (sizeof words - 1)];
}

static void round_trip(const uint8_t *data, size_t len)
{
	struct buf z, back;

	buf_init(&z);
	buf_init(&back);
	buf_add_u8(&back, 0x5a); /* inflation appends: what was there stays */
	assert_int_equal(compress_deflate(data, len, &z), 0);
	assert_true(z.len > 0);
	assert_int_equal(compress_inflate(z.data, z.len, COMPRESS_MAX_INFLATED, &back), 0);
	assert_int_equal(back.len, len + 1);
	assert_int_equal(back.data[0], 0x5a);
	if (len > 0)
		assert_memory_equal(back.data + 1, data, len);
	buf_free(&z);
	buf_free(&back);
}

static void test_round_trip(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 23, 24, 100, 1190, 5000, 70000, 300000 };
	uint8_t *p = malloc(300000);

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		for (int noisy = 0; noisy < 2; noisy++) {
			fill(p, sizes[i], noisy);
			round_trip(p, sizes[i]);
		}
	}
	free(p);
}

/* Text that repeats must come out much smaller (what the link gains). */
static void test_repetitive_shrinks(void **state)
{
	uint8_t p[4000];
	struct buf z;

	fill(p, sizeof p, 0);
	buf_init(&z);
	assert_int_equal(compress_deflate(p, sizeof p, &z), 0);
	assert_true(z.len * 10 < sizeof p);
	buf_free(&z);
}

/* The cap: exactly MAX inflates, one byte more is refused, and the buffer
 * never grows towards what a bomb would produce. */
static void test_cap(void **state)
{
	size_t big = 1u << 20;
	uint8_t *p = calloc(1, big);
	struct buf z, out;

	buf_init(&z);
	buf_init(&out);
	assert_int_equal(compress_deflate(p, big, &z), 0);
	assert_true(z.len < 2000);
	assert_int_equal(compress_inflate(z.data, z.len, big, &out), 0);
	assert_int_equal(out.len, big);
	buf_free(&out);
	buf_init(&out);
	assert_int_equal(compress_inflate(z.data, z.len, big - 1, &out), RMUX_ERR_TOO_BIG);
	assert_int_equal(out.len, 0);
	/* A small cap keeps the buffer small however much the stream holds. */
	buf_free(&out);
	buf_init(&out);
	assert_int_equal(compress_inflate(z.data, z.len, 1000, &out), RMUX_ERR_TOO_BIG);
	assert_true(out.cap <= 64 * 1024);
	buf_free(&z);
	buf_free(&out);
	free(p);
}

/* A bomb: 64 MiB of zeros in about 64 KiB of stream is refused at the
 * 4 MiB cap, the buffer bounded by the cap and not by what the stream
 * holds; so is the smallest bomb, one byte over the cap. */
static void test_bomb(void **state)
{
	size_t chunk = 1u << 20;
	uint8_t *zeros = calloc(1, COMPRESS_MAX_INFLATED + 1);
	z_stream z = { 0 };
	struct buf bomb, out;

	buf_init(&bomb);
	buf_init(&out);
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	buf_reserve(&bomb, 256 * 1024);
	z.next_out = bomb.data;
	z.avail_out = (uInt)bomb.cap;
	for (int i = 0; i < 64; i++) {
		z.next_in = zeros;
		z.avail_in = (uInt)chunk;
		assert_int_equal(deflate(&z, i == 63 ? Z_FINISH : Z_NO_FLUSH), i == 63 ? Z_STREAM_END
		    : Z_OK);
		assert_int_equal(z.avail_in, 0);
	}
	bomb.len = z.total_out;
	deflateEnd(&z);
	assert_true(bomb.len < 128 * 1024);
	assert_int_equal(compress_inflate(bomb.data, bomb.len, COMPRESS_MAX_INFLATED, &out),
	    RMUX_ERR_TOO_BIG);
	assert_int_equal(out.len, 0);
	assert_true(out.cap <= 2 * (COMPRESS_MAX_INFLATED + 1));

	buf_reset(&bomb);
	assert_int_equal(compress_deflate(zeros, COMPRESS_MAX_INFLATED + 1, &bomb), 0);
	assert_true(bomb.len < 8192);
	assert_int_equal(compress_inflate(bomb.data, bomb.len, COMPRESS_MAX_INFLATED, &out),
	    RMUX_ERR_TOO_BIG);
	assert_int_equal(out.len, 0);
	/* Exactly the cap is fine. */
	buf_reset(&bomb);
	assert_int_equal(compress_deflate(zeros, COMPRESS_MAX_INFLATED, &bomb), 0);
	assert_int_equal(compress_inflate(bomb.data, bomb.len, COMPRESS_MAX_INFLATED, &out), 0);
	assert_int_equal(out.len, COMPRESS_MAX_INFLATED);
	free(zeros);
	buf_free(&bomb);
	buf_free(&out);
}

/* Every cut of a valid stream is refused (TRUNCATED, or MALFORMED when the
 * cut lands where a block cannot end), and nothing is appended. */
static void test_truncated(void **state)
{
	uint8_t p[3000];
	struct buf z, out;

	fill(p, sizeof p, 1);
	buf_init(&z);
	buf_init(&out);
	assert_int_equal(compress_deflate(p, sizeof p, &z), 0);
	for (size_t cut = 0; cut < z.len; cut++) {
		int err = compress_inflate(z.data, cut, COMPRESS_MAX_INFLATED, &out);
		assert_true(err == RMUX_ERR_TRUNCATED || err == RMUX_ERR_MALFORMED);
		assert_int_equal(out.len, 0);
	}
	buf_free(&z);
	buf_free(&out);
}

static void test_trailing(void **state)
{
	uint8_t p[500];
	struct buf z, out;

	fill(p, sizeof p, 1);
	buf_init(&z);
	buf_init(&out);
	assert_int_equal(compress_deflate(p, sizeof p, &z), 0);
	buf_add_u8(&z, 0);
	assert_int_equal(compress_inflate(z.data, z.len, COMPRESS_MAX_INFLATED, &out),
	    RMUX_ERR_TRAILING);
	assert_int_equal(out.len, 0);
	buf_free(&z);
	buf_free(&out);
}

/* Garbled streams: never a crash or an overrun; whatever inflates stays
 * within the cap. An invalid block type is always refused. */
static void test_garbled(void **state)
{
	uint8_t p[2000];
	struct buf z, g, out;
	int refused = 0;

	fill(p, sizeof p, 1);
	buf_init(&z);
	buf_init(&g);
	buf_init(&out);
	assert_int_equal(compress_deflate(p, sizeof p, &z), 0);
	for (int i = 0; i < 2000; i++) {
		buf_reset(&g);
		buf_add(&g, z.data, z.len);
		for (int k = 0; k < 1 + i % 4; k++)
			g.data[rng() % g.len] ^= (uint8_t)(1u << (rng() % 8));
		buf_reset(&out);
		int err = compress_inflate(g.data, g.len, sizeof p, &out);
		if (err != 0) {
			assert_true(err < 0);
			assert_int_equal(out.len, 0);
			refused++;
		} else {
			assert_true(out.len <= sizeof p);
		}
	}
	assert_true(refused > 1000);
	/* BTYPE 11 (reserved) in the first block header. */
	static const uint8_t reserved[] = { 0x07, 0x00 };
	assert_int_equal(compress_inflate(reserved, sizeof reserved, 100, &out),
	    RMUX_ERR_MALFORMED);
	/* A stored block whose length and its complement disagree. */
	static const uint8_t stored[] = { 0x01, 0x05, 0x00, 0x00, 0x00, 'h', 'e', 'l', 'l', 'o' };
	assert_int_equal(compress_inflate(stored, sizeof stored, 100, &out), RMUX_ERR_MALFORMED);
	buf_free(&z);
	buf_free(&g);
	buf_free(&out);
}

/* A stored block written by hand inflates: the format is RFC 1951 raw. */
static void test_raw_format(void **state)
{
	static const uint8_t stored[] = { 0x01, 0x05, 0x00, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o' };
	struct buf out;

	buf_init(&out);
	assert_int_equal(compress_inflate(stored, sizeof stored, 100, &out), 0);
	assert_int_equal(out.len, 5);
	assert_memory_equal(out.data, "hello", 5);
	buf_reset(&out);
	assert_int_equal(compress_inflate(stored, sizeof stored, 4, &out), RMUX_ERR_TOO_BIG);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_repetitive_shrinks),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_trailing),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_raw_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
