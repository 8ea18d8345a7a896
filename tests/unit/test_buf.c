/* test_buf.c — the growable writer and the bounds-checked reader: growth,
 * big-endian layout, every reader function, error latching, varints. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common/buf.h"
#include "common/util.h"

static void test_writer_empty(void **state)
{
	struct buf b;

	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	buf_add(&b, "x", 0); /* nothing to add: no allocation either */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_null(b.data);
}

static void test_writer_growth(void **state)
{
	struct buf b;
	size_t last_cap = 0;
	unsigned grows = 0;

	buf_init(&b);
	/* 100000 single bytes: contents intact across every reallocation,
	 * capacity always enough and growing geometrically (few reallocations). */
	for (unsigned i = 0; i < 100000; i++) {
		buf_add_u8(&b, (uint8_t)(i * 7));
		assert_true(b.cap >= b.len);
		if (b.cap != last_cap) {
			grows++;
			last_cap = b.cap;
		}
	}
	assert_int_equal(b.len, 100000);
	assert_true(grows < 20);
	for (unsigned i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], (uint8_t)(i * 7));

	/* A big block on top of it lands whole, after the old bytes. */
	static uint8_t big[300000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i ^ (i >> 8));
	buf_add(&b, big, sizeof big);
	assert_int_equal(b.len, 100000 + sizeof big);
	assert_true(b.cap >= b.len);
	assert_memory_equal(b.data + 100000, big, sizeof big);
	assert_int_equal(b.data[99999], (uint8_t)(99999 * 7));
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void test_writer_reserve_reset(void **state)
{
	struct buf b;

	buf_init(&b);
	buf_reserve(&b, 1000);
	assert_true(b.cap >= 1000);
	assert_int_equal(b.len, 0);
	uint8_t *before = b.data;
	size_t cap = b.cap;
	/* Filling up to the reserved size must not reallocate. */
	for (unsigned i = 0; i < 1000; i++)
		buf_add_u8(&b, 0xaa);
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.cap, cap);

	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap); /* storage kept */
	assert_ptr_equal(b.data, before);
	buf_add(&b, "abc", 3);
	assert_memory_equal(b.data, "abc", 3);
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void test_writer_integers(void **state)
{
	struct buf b;
	static const uint8_t want[] = {
		0x7f,
		0x12, 0x34,
		0xde, 0xad, 0xbe, 0xef,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xff, 0xff,
	};

	buf_init(&b);
	buf_add_u8(&b, 0x7f);
	buf_add_u16(&b, 0x1234);
	buf_add_u32(&b, 0xdeadbeefu);
	buf_add_u64(&b, 0x0123456789abcdefull);
	buf_add_u16(&b, 0xffff);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.data, want, sizeof want);
	buf_free(&b);
}

static void test_writer_printf(void **state)
{
	struct buf b;

	buf_init(&b);
	buf_add_printf(&b, "%s=%d", "cols", 80);
	assert_int_equal(b.len, 7);
	assert_memory_equal(b.data, "cols=80", 7);
	/* The NUL that vsnprintf writes is not counted: the next add overwrites it. */
	buf_add_printf(&b, "%s", "");
	assert_int_equal(b.len, 7);
	buf_add_u8(&b, ';');
	/* Longer than any initial capacity: formatting must grow the buffer. */
	buf_add_printf(&b, "%0500d|%x", 7, 0xabcu);
	assert_int_equal(b.len, 8 + 500 + 4);
	assert_int_equal(b.data[7], ';');
	assert_int_equal(b.data[8], '0');
	assert_int_equal(b.data[8 + 499], '7');
	assert_memory_equal(b.data + 8 + 500, "|abc", 4);
	buf_free(&b);
}

static void test_reader_integers(void **state)
{
	static const uint8_t in[] = {
		0x80,
		0xbe, 0xef,
		0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	struct reader r;
	uint8_t a;
	uint16_t b;
	uint32_t c;
	uint64_t d;

	reader_init(&r, in, sizeof in);
	assert_int_equal(r.left, sizeof in);
	assert_int_equal(reader_u8(&r, &a), 0);
	assert_int_equal(a, 0x80);
	assert_int_equal(reader_u16(&r, &b), 0);
	assert_int_equal(b, 0xbeef);
	assert_int_equal(reader_u32(&r, &c), 0);
	assert_int_equal(c, 0x89abcdefu);
	assert_int_equal(reader_u64(&r, &d), 0);
	assert_true(d == 0xfedcba9876543210ull);
	assert_int_equal(r.left, 0);
	assert_int_equal(reader_finish(&r), 0);
}

static void test_roundtrip_writer_reader(void **state)
{
	struct buf b;
	struct reader r;
	uint8_t a;
	uint16_t x;
	uint32_t y;
	uint64_t z, v;
	char text[6];

	buf_init(&b);
	buf_add_u8(&b, 1);
	buf_add_varint(&b, 300);
	buf_add_u16(&b, 65535);
	buf_add(&b, "hello", 5);
	buf_add_u32(&b, 4000000000u);
	buf_add_u64(&b, UINT64_MAX - 1);
	reader_init(&r, b.data, b.len);
	assert_int_equal(reader_u8(&r, &a), 0);
	assert_int_equal(a, 1);
	assert_int_equal(reader_varint(&r, &v), 0);
	assert_int_equal(v, 300);
	assert_int_equal(reader_u16(&r, &x), 0);
	assert_int_equal(x, 65535);
	memset(text, 0, sizeof text);
	assert_int_equal(reader_bytes(&r, text, 5), 0);
	assert_string_equal(text, "hello");
	assert_int_equal(reader_u32(&r, &y), 0);
	assert_int_equal(y, 4000000000u);
	assert_int_equal(reader_u64(&r, &z), 0);
	assert_true(z == UINT64_MAX - 1);
	assert_int_equal(reader_finish(&r), 0);
	buf_free(&b);
}

static void test_reader_bytes_view(void **state)
{
	static const uint8_t in[] = "abcdefgh";
	struct reader r;
	const uint8_t *p = NULL;
	uint8_t out[4];

	reader_init(&r, in, 8);
	assert_int_equal(reader_view(&r, &p, 3), 0);
	assert_ptr_equal(p, in); /* a view points into the input, no copy */
	assert_int_equal(r.left, 5);
	assert_int_equal(reader_view(&r, &p, 0), 0); /* empty view is fine */
	assert_ptr_equal(p, in + 3);
	assert_int_equal(reader_bytes(&r, out, 0), 0);
	assert_int_equal(reader_bytes(&r, out, 4), 0);
	assert_memory_equal(out, "defg", 4);
	assert_int_equal(r.left, 1);
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRAILING);
	assert_int_equal(reader_view(&r, &p, 1), 0);
	assert_ptr_equal(p, in + 7);
	assert_int_equal(reader_finish(&r), 0);
}

static void test_reader_truncation_latches(void **state)
{
	static const uint8_t in[] = { 1, 2, 3 };
	struct reader r;
	uint8_t a = 0xee;
	uint16_t b = 0xeeee;
	uint32_t c = 0xeeeeeeee;
	uint64_t d = 1;
	uint8_t out[8];
	const uint8_t *p;

	reader_init(&r, in, sizeof in);
	assert_int_equal(reader_u16(&r, &b), 0);
	assert_int_equal(b, 0x0102);
	/* Four bytes wanted, one left: truncated, and the value is zeroed. */
	assert_int_equal(reader_u32(&r, &c), RMUX_ERR_TRUNCATED);
	assert_int_equal(c, 0);
	assert_int_equal(r.err, RMUX_ERR_TRUNCATED);
	/* The error latches: even a read that would fit now fails. */
	assert_int_equal(reader_u8(&r, &a), RMUX_ERR_TRUNCATED);
	assert_int_equal(a, 0);
	assert_int_equal(reader_u64(&r, &d), RMUX_ERR_TRUNCATED);
	assert_int_equal(d, 0);
	assert_int_equal(reader_varint(&r, &d), RMUX_ERR_TRUNCATED);
	assert_int_equal(reader_bytes(&r, out, 0), RMUX_ERR_TRUNCATED);
	assert_int_equal(reader_view(&r, &p, 0), RMUX_ERR_TRUNCATED);
	/* finish reports the latched error, not TRAILING. */
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRUNCATED);
}

static void test_reader_truncation_each(void **state)
{
	static const uint8_t in[8] = { 0 };
	struct reader r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	uint8_t out[9];
	const uint8_t *p = NULL;

	/* Every reader, one byte short. */
	reader_init(&r, in, 0);
	assert_int_equal(reader_u8(&r, &u8), RMUX_ERR_TRUNCATED);
	reader_init(&r, in, 1);
	assert_int_equal(reader_u16(&r, &u16), RMUX_ERR_TRUNCATED);
	reader_init(&r, in, 3);
	assert_int_equal(reader_u32(&r, &u32), RMUX_ERR_TRUNCATED);
	reader_init(&r, in, 7);
	assert_int_equal(reader_u64(&r, &u64), RMUX_ERR_TRUNCATED);
	reader_init(&r, in, 8);
	assert_int_equal(reader_bytes(&r, out, 9), RMUX_ERR_TRUNCATED);
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRUNCATED);
	reader_init(&r, in, 8);
	assert_int_equal(reader_view(&r, &p, 9), RMUX_ERR_TRUNCATED);
	assert_null(p);
	/* A huge length must not wrap the bounds check. */
	reader_init(&r, in, 8);
	assert_int_equal(reader_view(&r, &p, SIZE_MAX), RMUX_ERR_TRUNCATED);
	assert_int_equal(r.left, 0);
	/* A NULL input is an empty one. */
	reader_init(&r, NULL, 100);
	assert_int_equal(r.left, 0);
	assert_int_equal(reader_finish(&r), 0);
	assert_int_equal(reader_u8(&r, &u8), RMUX_ERR_TRUNCATED);
}

static void test_reader_finish_trailing(void **state)
{
	static const uint8_t in[] = { 9, 8 };
	struct reader r;
	uint8_t a;

	reader_init(&r, in, sizeof in);
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRAILING);
	assert_int_equal(reader_u8(&r, &a), 0);
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRAILING);
	assert_int_equal(r.err, 0); /* finish reports, it does not latch */
	assert_int_equal(reader_u8(&r, &a), 0);
	assert_int_equal(a, 8);
	assert_int_equal(reader_finish(&r), 0);
}

/* The encoded length of V: one byte per started group of 7 bits. */
static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >>= 7)
		n++;
	return n;
}

static void test_varint_roundtrip(void **state)
{
	uint64_t values[] = {
		0, 1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000, 300, 65535, 65536,
		UINT32_MAX, (uint64_t)UINT32_MAX + 1, (1ull << 56) - 1, 1ull << 56,
		(1ull << 63) - 1, 1ull << 63, UINT64_MAX - 1, UINT64_MAX,
	};
	struct buf b;

	buf_init(&b);
	for (size_t i = 0; i < RMUX_NITEMS(values); i++) {
		struct reader r;
		uint64_t v = 12345;

		buf_reset(&b);
		buf_add_varint(&b, values[i]);
		assert_int_equal(b.len, varint_len(values[i]));
		assert_true(b.len <= 10);
		/* Continuation bit on every byte but the last. */
		for (size_t j = 0; j + 1 < b.len; j++)
			assert_true(b.data[j] & 0x80);
		assert_false(b.data[b.len - 1] & 0x80);
		reader_init(&r, b.data, b.len);
		assert_int_equal(reader_varint(&r, &v), 0);
		assert_true(v == values[i]);
		assert_int_equal(reader_finish(&r), 0);
	}

	/* A pseudo-random sweep across every bit length, back to back in one buffer. */
	uint64_t x = 0x9e3779b97f4a7c15ull;
	uint64_t seq[640];
	buf_reset(&b);
	for (size_t i = 0; i < RMUX_NITEMS(seq); i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		seq[i] = x >> (i % 64);
		buf_add_varint(&b, seq[i]);
	}
	struct reader r;
	reader_init(&r, b.data, b.len);
	for (size_t i = 0; i < RMUX_NITEMS(seq); i++) {
		uint64_t v;
		assert_int_equal(reader_varint(&r, &v), 0);
		assert_true(v == seq[i]);
	}
	assert_int_equal(reader_finish(&r), 0);
	buf_free(&b);
}

static void test_varint_known_bytes(void **state)
{
	struct buf b;

	buf_init(&b);
	buf_add_varint(&b, 300);
	assert_int_equal(b.len, 2);
	assert_int_equal(b.data[0], 0xac);
	assert_int_equal(b.data[1], 0x02);
	buf_reset(&b);
	buf_add_varint(&b, UINT64_MAX);
	assert_int_equal(b.len, 10);
	for (int i = 0; i < 9; i++)
		assert_int_equal(b.data[i], 0xff);
	assert_int_equal(b.data[9], 0x01);
	buf_free(&b);
}

static void test_varint_rejects_padding(void **state)
{
	struct reader r;
	uint64_t v;

	/* One value, one spelling: zero padding after the first byte is refused. */
	static const uint8_t zero_padded[2] = { 0x80, 0x00 };
	reader_init(&r, zero_padded, sizeof zero_padded);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_MALFORMED);
	static const uint8_t seven_padded[10] = { 0xff, 0x80, 0x80, 0x80, 0x80,
						  0x80, 0x80, 0x80, 0x80, 0x00 };
	reader_init(&r, seven_padded, sizeof seven_padded);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_MALFORMED);
	/* A lone zero byte is the minimal spelling of 0. */
	static const uint8_t zero[1] = { 0x00 };
	reader_init(&r, zero, sizeof zero);
	assert_int_equal(reader_varint(&r, &v), 0);
	assert_true(v == 0);
}

static void test_varint_rejects(void **state)
{
	struct reader r;
	uint64_t v;

	/* Eleven bytes (ten continuations): longer than any 64-bit value. */
	static const uint8_t too_long[11] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
					      0x80, 0x80, 0x80, 0x80, 0x00 };
	reader_init(&r, too_long, sizeof too_long);
	v = 7;
	assert_true(reader_varint(&r, &v) < 0);
	assert_int_equal(v, 0);
	assert_true(reader_finish(&r) < 0);
	assert_int_not_equal(reader_finish(&r), RMUX_ERR_TRAILING);

	/* Ten bytes whose last carries bits above 2^64. */
	static const uint8_t overflow[10] = { 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff, 0x02 };
	reader_init(&r, overflow, sizeof overflow);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_RANGE);
	assert_int_equal(v, 0);
	assert_int_equal(reader_finish(&r), RMUX_ERR_RANGE);
	static const uint8_t overflow_hi[10] = { 0x80, 0x80, 0x80, 0x80, 0x80,
						 0x80, 0x80, 0x80, 0x80, 0x7f };
	reader_init(&r, overflow_hi, sizeof overflow_hi);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_RANGE);

	/* The largest legal ten-byte value is accepted (the boundary). */
	static const uint8_t top[10] = { 0x80, 0x80, 0x80, 0x80, 0x80,
					 0x80, 0x80, 0x80, 0x80, 0x01 };
	reader_init(&r, top, sizeof top);
	assert_int_equal(reader_varint(&r, &v), 0);
	assert_true(v == 1ull << 63);
	assert_int_equal(reader_finish(&r), 0);

	/* Ten bytes, the tenth still continuing. */
	static const uint8_t ten_cont[11] = { 0xff, 0xff, 0xff, 0xff, 0xff,
					      0xff, 0xff, 0xff, 0xff, 0x81, 0x00 };
	reader_init(&r, ten_cont, sizeof ten_cont);
	assert_true(reader_varint(&r, &v) < 0);
	assert_true(reader_finish(&r) < 0);

	/* Input ending inside a varint. */
	static const uint8_t cut[2] = { 0xac, 0x82 };
	reader_init(&r, cut, sizeof cut);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_TRUNCATED);
	assert_int_equal(v, 0);
	assert_int_equal(reader_finish(&r), RMUX_ERR_TRUNCATED);

	/* After a rejected varint, the reader stays failed. */
	reader_init(&r, overflow, sizeof overflow);
	assert_int_equal(reader_varint(&r, &v), RMUX_ERR_RANGE);
	uint8_t byte;
	assert_int_equal(reader_u8(&r, &byte), RMUX_ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_empty),
		cmocka_unit_test(test_writer_growth),
		cmocka_unit_test(test_writer_reserve_reset),
		cmocka_unit_test(test_writer_integers),
		cmocka_unit_test(test_writer_printf),
		cmocka_unit_test(test_reader_integers),
		cmocka_unit_test(test_roundtrip_writer_reader),
		cmocka_unit_test(test_reader_bytes_view),
		cmocka_unit_test(test_reader_truncation_latches),
		cmocka_unit_test(test_reader_truncation_each),
		cmocka_unit_test(test_reader_finish_trailing),
		cmocka_unit_test(test_varint_roundtrip),
		cmocka_unit_test(test_varint_known_bytes),
		cmocka_unit_test(test_varint_rejects),
		cmocka_unit_test(test_varint_rejects_padding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
