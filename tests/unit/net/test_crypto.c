/* test_crypto.c — AES-128-OCB against RFC 7253 Appendix A, tampering,
 * context reuse, and the key's text form. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base64.h"
#include "common/util.h"
#include "net/crypto.h"

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

/* RFC 7253 Appendix A, AES-128, 128-bit tag: nonce, A, P, C (ciphertext || tag). */
static const char *const rfc_key = "000102030405060708090A0B0C0D0E0F";
static const struct {
	const char *n, *a, *p, *c;
} rfc[] = {
	{ "BBAA99887766554433221100", "", "", "785407BFFFC8AD9EDCC5520AC9111EE6" },
	{ "BBAA99887766554433221101", "0001020304050607", "0001020304050607",
	  "6820B3657B6F615A5725BDA0D3B4EB3A257C9AF1F8F03009" },
	{ "BBAA99887766554433221102", "0001020304050607", "", "81017F8203F081277152FADE694A0A00" },
	{ "BBAA99887766554433221103", "", "0001020304050607",
	  "45DD69F8F5AAE72414054CD1F35D82760B2CD00D2F99BFA9" },
	{ "BBAA99887766554433221104", "000102030405060708090A0B0C0D0E0F",
	  "000102030405060708090A0B0C0D0E0F",
	  "571D535B60B277188BE5147170A9A22C3AD7A4FF3835B8C5701C1CCEC8FC3358" },
	{ "BBAA99887766554433221105", "000102030405060708090A0B0C0D0E0F", "",
	  "8CF761B6902EF764462AD86498CA6B97" },
	{ "BBAA99887766554433221106", "", "000102030405060708090A0B0C0D0E0F",
	  "5CE88EC2E0692706A915C00AEB8B2396F40E1C743F52436BDF06D8FA1ECA343D" },
	{ "BBAA99887766554433221107", "000102030405060708090A0B0C0D0E0F1011121314151617",
	  "000102030405060708090A0B0C0D0E0F1011121314151617",
	  "1CA2207308C87C010756104D8840CE1952F09673A448A122C92C62241051F57356D7F3C90BB0E07F" },
	{ "BBAA99887766554433221108", "000102030405060708090A0B0C0D0E0F1011121314151617", "",
	  "6DC225A071FC1B9F7C69F93B0F1E10DE" },
	{ "BBAA99887766554433221109", "", "000102030405060708090A0B0C0D0E0F1011121314151617",
	  "221BD0DE7FA6FE993ECCD769460A0AF2D6CDED0C395B1C3CE725F32494B9F914D85C0B1EB38357FF" },
	{ "BBAA9988776655443322110A",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "BD6F6C496201C69296C11EFD138A467ABD3C707924B964DEAFFC40319AF5A485"
	  "40FBBA186C5553C68AD9F592A79A4240" },
	{ "BBAA9988776655443322110B",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "",
	  "FE80690BEE8A485D11F32965BC9D2A32" },
	{ "BBAA9988776655443322110C", "",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	  "2942BFC773BDA23CABC6ACFD9BFD5835BD300F0973792EF46040C53F1432BCDF"
	  "B5E1DDE3BC18A5F840B52E653444D5DF" },
	{ "BBAA9988776655443322110D",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021222324252627",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021222324252627",
	  "D5CA91748410C1751FF8A2F618255B68A0A12E093FF454606E59F9C1D0DDC54B"
	  "65E8628E568BAD7AED07BA06A4A69483A7035490C5769E60" },
	{ "BBAA9988776655443322110E",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021222324252627", "",
	  "C5CD9D1850C141E358649994EE701B68" },
	{ "BBAA9988776655443322110F", "",
	  "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F2021222324252627",
	  "4412923493C57D5DE0D700F753CCE0D1D2D95060122E9F15A5DDBFC5787E50B5"
	  "CC55EE507BCB084E479AD363AC366B95A98CA5F3000B1479" },
};

static struct crypto *rfc_crypto(void)
{
	uint8_t key[CRYPTO_KEY_LEN];

	assert_int_equal(unhex(rfc_key, key), CRYPTO_KEY_LEN);
	return crypto_create(key);
}

static void test_rfc7253_vectors(void **state)
{
	struct crypto *c = rfc_crypto();

	/* Twice over, so the second pass runs on reused, re-nonced contexts. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < RMUX_NITEMS(rfc); i++) {
			uint8_t n[CRYPTO_NONCE_LEN], a[64], p[64], c_want[96], c_got[96], p_got[64];
			size_t an, pn, cn;

			assert_int_equal(unhex(rfc[i].n, n), CRYPTO_NONCE_LEN);
			an = unhex(rfc[i].a, a);
			pn = unhex(rfc[i].p, p);
			cn = unhex(rfc[i].c, c_want);
			assert_int_equal(cn, pn + CRYPTO_TAG_LEN);

			crypto_seal(c, n, a, an, p, pn, c_got);
			assert_memory_equal(c_got, c_want, cn);
			memset(p_got, 0xa5, sizeof p_got);
			assert_int_equal(crypto_open(c, n, a, an, c_want, cn, p_got), 0);
			if (pn > 0)
				assert_memory_equal(p_got, p, pn);
		}
	}
	crypto_free(c);
}

static void num2str96(uint8_t n[CRYPTO_NONCE_LEN], unsigned v)
{
	memset(n, 0, CRYPTO_NONCE_LEN);
	n[10] = (uint8_t)(v >> 8);
	n[11] = (uint8_t)v;
}

/* RFC 7253 Appendix A, the iterated check for AES-128 and TAGLEN 128:
 * 384 encryptions of growing zero strings, then one over all their output. */
static void test_rfc7253_iterated(void **state)
{
	uint8_t key[CRYPTO_KEY_LEN] = { 0 }, n[CRYPTO_NONCE_LEN], want[CRYPTO_TAG_LEN];
	uint8_t s[128] = { 0 }, tag[CRYPTO_TAG_LEN], back[128];
	size_t cap = 3 * 128 * (128 + CRYPTO_TAG_LEN), len = 0;
	uint8_t *all = malloc(cap);
	struct crypto *c;

	assert_non_null(all);
	key[CRYPTO_KEY_LEN - 1] = 128;
	c = crypto_create(key);
	for (unsigned i = 0; i < 128; i++) {
		num2str96(n, 3 * i + 1);
		crypto_seal(c, n, s, i, s, i, all + len);
		assert_int_equal(crypto_open(c, n, s, i, all + len, i + CRYPTO_TAG_LEN, back), 0);
		len += i + CRYPTO_TAG_LEN;
		num2str96(n, 3 * i + 2);
		crypto_seal(c, n, NULL, 0, s, i, all + len);
		len += i + CRYPTO_TAG_LEN;
		num2str96(n, 3 * i + 3);
		crypto_seal(c, n, s, i, NULL, 0, all + len);
		len += CRYPTO_TAG_LEN;
	}
	num2str96(n, 385);
	crypto_seal(c, n, all, len, NULL, 0, tag);
	unhex("67E944D23256C5E0B6C61FA22FDF1EA2", want);
	assert_memory_equal(tag, want, CRYPTO_TAG_LEN);
	crypto_free(c);
	free(all);
}

/* Every flipped bit of the associated data, ciphertext or tag is caught,
 * and no plaintext is left in the output buffer. */
static void test_tamper(void **state)
{
	struct crypto *c = rfc_crypto();
	uint8_t n[CRYPTO_NONCE_LEN], a[64], p[64], ct[96], out[64], zero[64] = { 0 };
	size_t an, pn, cn;

	unhex(rfc[13].n, n);
	an = unhex(rfc[13].a, a);
	pn = unhex(rfc[13].p, p);
	cn = pn + CRYPTO_TAG_LEN;
	crypto_seal(c, n, a, an, p, pn, ct);

	for (size_t bit = 0; bit < an * 8; bit++) {
		a[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		memset(out, 0x5a, sizeof out);
		assert_int_equal(crypto_open(c, n, a, an, ct, cn, out), RMUX_ERR_AUTH);
		assert_memory_equal(out, zero, pn);
		a[bit / 8] ^= (uint8_t)(1 << (bit % 8));
	}
	for (size_t bit = 0; bit < cn * 8; bit++) {
		ct[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		memset(out, 0x5a, sizeof out);
		assert_int_equal(crypto_open(c, n, a, an, ct, cn, out), RMUX_ERR_AUTH);
		assert_memory_equal(out, zero, pn);
		ct[bit / 8] ^= (uint8_t)(1 << (bit % 8));
	}
	for (size_t bit = 0; bit < CRYPTO_NONCE_LEN * 8; bit++) {
		n[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		assert_int_equal(crypto_open(c, n, a, an, ct, cn, out), RMUX_ERR_AUTH);
		n[bit / 8] ^= (uint8_t)(1 << (bit % 8));
	}
	/* Shortened (the tag moves into the ciphertext) or no AD at all. */
	for (size_t len = CRYPTO_TAG_LEN; len < cn; len++)
		assert_int_equal(crypto_open(c, n, a, an, ct, len, out), RMUX_ERR_AUTH);
	for (size_t len = 0; len < CRYPTO_TAG_LEN; len++)
		assert_int_equal(crypto_open(c, n, a, an, ct, len, out), RMUX_ERR_TRUNCATED);
	assert_int_equal(crypto_open(c, n, NULL, 0, ct, cn, out), RMUX_ERR_AUTH);

	/* After all those failures the context still opens the real thing. */
	assert_int_equal(crypto_open(c, n, a, an, ct, cn, out), 0);
	assert_memory_equal(out, p, pn);
	crypto_free(c);
}

static void test_other_key_fails(void **state)
{
	uint8_t k1[CRYPTO_KEY_LEN], k2[CRYPTO_KEY_LEN], n[CRYPTO_NONCE_LEN] = { 1 };
	uint8_t msg[100], ct[100 + CRYPTO_TAG_LEN], out[100];
	struct crypto *c1, *c2;

	crypto_key_generate(k1);
	memcpy(k2, k1, sizeof k2);
	k2[7] ^= 1;
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7);
	c1 = crypto_create(k1);
	c2 = crypto_create(k2);
	crypto_seal(c1, n, NULL, 0, msg, sizeof msg, ct);
	assert_int_equal(crypto_open(c2, n, NULL, 0, ct, sizeof ct, out), RMUX_ERR_AUTH);
	assert_int_equal(crypto_open(c1, n, NULL, 0, ct, sizeof ct, out), 0);
	assert_memory_equal(out, msg, sizeof msg);
	crypto_free(c1);
	crypto_free(c2);
}

static void test_in_place(void **state)
{
	struct crypto *c = rfc_crypto();
	uint8_t n[CRYPTO_NONCE_LEN] = { 9 }, ad[5] = { 1, 2, 3, 4, 5 };
	uint8_t msg[333], sep[333 + CRYPTO_TAG_LEN], inplace[333 + CRYPTO_TAG_LEN];

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i ^ 0x3c);
	memcpy(inplace, msg, sizeof msg);
	crypto_seal(c, n, ad, sizeof ad, msg, sizeof msg, sep);
	crypto_seal(c, n, ad, sizeof ad, inplace, sizeof msg, inplace);
	assert_memory_equal(sep, inplace, sizeof sep);
	crypto_free(c);
}

static void test_key_text(void **state)
{
	uint8_t key[CRYPTO_KEY_LEN], back[CRYPTO_KEY_LEN], again[CRYPTO_KEY_LEN];
	char text[CRYPTO_KEY_TEXT_SIZE], padded[CRYPTO_KEY_TEXT_LEN + 3];

	for (int i = 0; i < 50; i++) {
		crypto_key_generate(key);
		crypto_key_encode(key, text);
		assert_int_equal(strlen(text), CRYPTO_KEY_TEXT_LEN);
		assert_int_equal(crypto_key_decode(text, strlen(text), back), 0);
		assert_memory_equal(key, back, CRYPTO_KEY_LEN);
		/* The padded form is the same key. */
		memcpy(padded, text, CRYPTO_KEY_TEXT_LEN);
		memcpy(padded + CRYPTO_KEY_TEXT_LEN, "==", 3);
		assert_int_equal(crypto_key_decode(padded, strlen(padded), again), 0);
		assert_memory_equal(key, again, CRYPTO_KEY_LEN);
	}
	/* Two fresh keys differ (a collision has probability 2^-128). */
	crypto_key_generate(back);
	assert_memory_not_equal(key, back, CRYPTO_KEY_LEN);
}

static void test_key_text_rejects(void **state)
{
	uint8_t bytes[24], key[CRYPTO_KEY_LEN], keep[CRYPTO_KEY_LEN];
	char text[64], good[CRYPTO_KEY_TEXT_SIZE];

	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)(0xf0 ^ i);
	crypto_key_encode(bytes, good);
	memset(keep, 0x77, sizeof keep);

	/* Keys of every other length, padded and unpadded. */
	for (size_t n = 0; n <= sizeof bytes; n++) {
		if (n == CRYPTO_KEY_LEN)
			continue;
		base64_encode(bytes, n, text);
		memcpy(key, keep, sizeof key);
		assert_int_equal(crypto_key_decode(text, strlen(text), key), RMUX_ERR_MALFORMED);
		assert_memory_equal(key, keep, sizeof key);
		while (strlen(text) > 0 && text[strlen(text) - 1] == '=')
			text[strlen(text) - 1] = '\0';
		assert_int_equal(crypto_key_decode(text, strlen(text), key), RMUX_ERR_MALFORMED);
		assert_memory_equal(key, keep, sizeof key);
	}
	/* Each character replaced by one outside the alphabet. */
	for (size_t i = 0; i < CRYPTO_KEY_TEXT_LEN; i++) {
		const char bad[] = { ' ', '\n', '-', '_', '=', '.', '\0' };
		for (size_t j = 0; j < RMUX_NITEMS(bad); j++) {
			memcpy(text, good, sizeof good);
			text[i] = bad[j];
			assert_int_equal(crypto_key_decode(text, CRYPTO_KEY_TEXT_LEN, key),
			    RMUX_ERR_MALFORMED);
			assert_memory_equal(key, keep, sizeof key);
		}
	}
	/* 22 characters carry 132 bits: the last 4 must be zero. */
	memcpy(text, good, sizeof good);
	/* The last character is one of A, Q, g, w; the next has a low bit set. */
	assert_non_null(strchr("AQgw", text[CRYPTO_KEY_TEXT_LEN - 1]));
	text[CRYPTO_KEY_TEXT_LEN - 1]++;
	assert_int_equal(crypto_key_decode(text, CRYPTO_KEY_TEXT_LEN, key), RMUX_ERR_MALFORMED);
	/* Trailing junk, wrong padding, a newline. */
	snprintf(text, sizeof text, "%s=", good);
	assert_int_equal(crypto_key_decode(text, strlen(text), key), RMUX_ERR_MALFORMED);
	snprintf(text, sizeof text, "%sAA", good);
	assert_int_equal(crypto_key_decode(text, strlen(text), key), RMUX_ERR_MALFORMED);
	snprintf(text, sizeof text, "%s\n", good);
	assert_int_equal(crypto_key_decode(text, strlen(text), key), RMUX_ERR_MALFORMED);
	assert_memory_equal(key, keep, sizeof key);
}

/* AES-128 of a zero block: the well-known all-zero-key value, and the
 * RFC key's value as computed by `openssl enc -aes-128-ecb -nopad`. */
static void test_key_id(void **state)
{
	uint8_t key[CRYPTO_KEY_LEN] = { 0 };

	assert_int_equal(crypto_key_id(key), 0x66e94bd4u);
	unhex(rfc_key, key);
	assert_int_equal(crypto_key_id(key), 0xc6a13b37u);
	key[15] ^= 1;
	assert_int_not_equal(crypto_key_id(key), 0xc6a13b37u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7253_vectors),
		cmocka_unit_test(test_rfc7253_iterated),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_other_key_fails),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_key_text),
		cmocka_unit_test(test_key_text_rejects),
		cmocka_unit_test(test_key_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
