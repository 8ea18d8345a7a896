/* test_base64.c — RFC 4648 vectors both ways, strict decoding (padding,
 * alphabet, trailing bits, impossible lengths) and the output bound. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/util.h"

/* RFC 4648 section 10. */
static const struct {
	const char *plain;
	const char *coded;
} vectors[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static long decode_str(const char *in, uint8_t *out, size_t outsize)
{
	return base64_decode(in, strlen(in), out, outsize);
}

static void test_encode_vectors(void **state)
{
	for (size_t i = 0; i < RMUX_NITEMS(vectors); i++) {
		size_t len = strlen(vectors[i].plain);
		size_t size = base64_encoded_size(len);
		char *out = malloc(size + 1);

		assert_non_null(out);
		assert_int_equal(size, strlen(vectors[i].coded) + 1);
		memset(out, 'X', size + 1);
		base64_encode((const uint8_t *)vectors[i].plain, len, out);
		assert_string_equal(out, vectors[i].coded);
		assert_int_equal(out[size], 'X'); /* nothing written past the size */
		free(out);
	}
}

static void test_decode_vectors(void **state)
{
	uint8_t out[16];

	for (size_t i = 0; i < RMUX_NITEMS(vectors); i++) {
		size_t len = strlen(vectors[i].plain);

		memset(out, 0, sizeof out);
		assert_int_equal(decode_str(vectors[i].coded, out, sizeof out), (long)len);
		assert_memory_equal(out, vectors[i].plain, len);
	}
}

static void test_decode_unpadded(void **state)
{
	uint8_t out[16];

	/* Padding is optional: the same vectors without '='. */
	for (size_t i = 0; i < RMUX_NITEMS(vectors); i++) {
		char coded[16];
		size_t len = strlen(vectors[i].plain);
		size_t n = rmux_strlcpy(coded, vectors[i].coded, sizeof coded);

		while (n > 0 && coded[n - 1] == '=')
			coded[--n] = '\0';
		assert_int_equal(decode_str(coded, out, sizeof out), (long)len);
		assert_memory_equal(out, vectors[i].plain, len);
	}
}

static void test_roundtrip_all_bytes(void **state)
{
	uint8_t in[256], out[256];

	for (int i = 0; i < 256; i++)
		in[i] = (uint8_t)(255 - i);
	/* Every length 0..256, so every tail shape; every byte value. */
	for (size_t len = 0; len <= sizeof in; len++) {
		char *coded = malloc(base64_encoded_size(len));

		assert_non_null(coded);
		base64_encode(in, len, coded);
		assert_int_equal(strlen(coded) % 4, 0);
		assert_int_equal(strlen(coded) + 1, base64_encoded_size(len));
		assert_int_equal(decode_str(coded, out, len), (long)len);
		assert_memory_equal(out, in, len);
		free(coded);
	}
}

static void test_alphabet(void **state)
{
	/* 0xfb 0xff 0xbf uses both characters 62 and 63. */
	static const uint8_t in[] = { 0xfb, 0xff, 0xbf, 0x00, 0x10, 0x83 };
	char coded[9];
	uint8_t out[6];

	base64_encode(in, sizeof in, coded);
	assert_string_equal(coded, "+/+/ABCD");
	assert_int_equal(decode_str("+/+/ABCD", out, sizeof out), 6);
	assert_memory_equal(out, in, 6);
	/* The URL-safe alphabet is a different encoding: rejected. */
	assert_int_equal(decode_str("-_-_ABCD", out, sizeof out), RMUX_ERR_MALFORMED);
}

static void test_bad_padding(void **state)
{
	uint8_t out[16];
	static const char *bad[] = {
		"Zg=",      /* one '=' where two are needed */
		"Zg===",    /* three */
		"Zm9v=",    /* padding after a full quantum */
		"Zm9v==",
		"=",
		"==",
		"====",
		"Zm=9v",    /* '=' inside the data */
		"Zg==Zg==", /* concatenated padded blocks */
		"Z===",
		"Zm9vY===",
	};

	for (size_t i = 0; i < RMUX_NITEMS(bad); i++) {
		long rc = decode_str(bad[i], out, sizeof out);
		if (rc != RMUX_ERR_MALFORMED)
			fail_msg("\"%s\" decoded to %ld", bad[i], rc);
	}
}

static void test_bad_chars(void **state)
{
	uint8_t out[16];
	/* All of a length that would decode, so only the character can fail. */
	static const char *bad[] = {
		"Zm9 ", " Zm9", "Zm9\n", "Zm\r\n", "Zm.v", "Zm9!", "Zm\x80v", "Zm\xffv",
		"Zm9vZm9\t",
	};

	for (size_t i = 0; i < RMUX_NITEMS(bad); i++) {
		long rc = decode_str(bad[i], out, sizeof out);
		if (rc != RMUX_ERR_MALFORMED)
			fail_msg("bad string %zu decoded to %ld", i, rc);
	}
	/* A NUL inside the given length is a bad character, not an end. */
	assert_int_equal(base64_decode("Zm\0v", 4, out, sizeof out), RMUX_ERR_MALFORMED);
}

static void test_impossible_length(void **state)
{
	uint8_t out[16];

	/* 4n+1 characters cannot encode whole bytes. */
	assert_int_equal(decode_str("Z", out, sizeof out), RMUX_ERR_MALFORMED);
	assert_int_equal(decode_str("Zm9vY", out, sizeof out), RMUX_ERR_MALFORMED);
	assert_int_equal(decode_str("Zm9vYmFyZ", out, sizeof out), RMUX_ERR_MALFORMED);
}

static void test_trailing_bits(void **state)
{
	uint8_t out[16];

	/* "Zg" is 'f' with the last four bits zero; "Zh".."Zv" set them. */
	assert_int_equal(decode_str("Zg==", out, sizeof out), 1);
	assert_int_equal(decode_str("Zh==", out, sizeof out), RMUX_ERR_MALFORMED);
	assert_int_equal(decode_str("Zv", out, sizeof out), RMUX_ERR_MALFORMED);
	/* "Zm8" is "fo" with the last two bits zero; "Zm9" sets one. */
	assert_int_equal(decode_str("Zm8=", out, sizeof out), 2);
	assert_int_equal(decode_str("Zm9=", out, sizeof out), RMUX_ERR_MALFORMED);
	assert_int_equal(decode_str("Zm+", out, sizeof out), RMUX_ERR_MALFORMED);
	/* Every non-zero low nibble of the second character of a one-byte tail. */
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (int i = 0; i < 64; i++) {
		char s[5] = { 'Q', alphabet[i], '=', '=', '\0' };
		long rc = decode_str(s, out, sizeof out);
		if (i % 16 == 0) {
			assert_int_equal(rc, 1);
			assert_int_equal(out[0], 0x40 | i >> 4);
		} else {
			assert_int_equal(rc, RMUX_ERR_MALFORMED);
		}
	}
}

static void test_output_too_small(void **state)
{
	uint8_t out[8];

	memset(out, 0xee, sizeof out);
	assert_int_equal(decode_str("Zm9vYmFy", out, 5), RMUX_ERR_TOO_BIG);
	/* Nothing written past the given size. */
	assert_int_equal(out[5], 0xee);
	assert_int_equal(decode_str("Zm9vYmFy", out, 6), 6);
	assert_int_equal(decode_str("Zg==", out, 0), RMUX_ERR_TOO_BIG);
	assert_int_equal(decode_str("", out, 0), 0);
	assert_int_equal(base64_decode(NULL, 0, NULL, 0), 0);
}

static void test_encoded_size(void **state)
{
	assert_int_equal(base64_encoded_size(0), 1);
	assert_int_equal(base64_encoded_size(1), 5);
	assert_int_equal(base64_encoded_size(2), 5);
	assert_int_equal(base64_encoded_size(3), 5);
	assert_int_equal(base64_encoded_size(4), 9);
	assert_int_equal(base64_encoded_size(16), 25); /* a 128-bit key */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_vectors),
		cmocka_unit_test(test_decode_vectors),
		cmocka_unit_test(test_decode_unpadded),
		cmocka_unit_test(test_roundtrip_all_bytes),
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_bad_padding),
		cmocka_unit_test(test_bad_chars),
		cmocka_unit_test(test_impossible_length),
		cmocka_unit_test(test_trailing_bits),
		cmocka_unit_test(test_output_too_small),
		cmocka_unit_test(test_encoded_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
