/* crypto.c — AES-128-OCB through OpenSSL 3 EVP and connection keys (see
 * crypto.h). Tags are checked by EVP_DecryptFinal_ex, which compares them
 * with CRYPTO_memcmp (constant time); this file never compares tags itself. */
#include "net/crypto.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/base64.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"

struct crypto {
	/* Keyed once; each datagram only sets a fresh nonce, which skips the
	 * key schedule and the OCB L-table setup on the hot path. */
	EVP_CIPHER_CTX *seal;
	EVP_CIPHER_CTX *open;
};

void crypto_key_generate(uint8_t key[CRYPTO_KEY_LEN])
{
	if (RAND_bytes(key, CRYPTO_KEY_LEN) != 1)
		fatal("RAND_bytes failed: no key can be made");
}

void crypto_key_encode(const uint8_t key[CRYPTO_KEY_LEN], char out[CRYPTO_KEY_TEXT_SIZE])
{
	char tmp[32];

	static_assert(sizeof tmp >= (CRYPTO_KEY_LEN + 2) / 3 * 4 + 1, "key text buffer");
	base64_encode(key, CRYPTO_KEY_LEN, tmp);
	memcpy(out, tmp, CRYPTO_KEY_TEXT_LEN);
	out[CRYPTO_KEY_TEXT_LEN] = '\0';
	OPENSSL_cleanse(tmp, sizeof tmp);
}

int crypto_key_decode(const char *text, size_t len, uint8_t key[CRYPTO_KEY_LEN])
{
	/* One spare byte so that a longer key is seen, not silently cut. */
	uint8_t tmp[CRYPTO_KEY_LEN + 1];
	int err = RMUX_ERR_MALFORMED;

	if (len != CRYPTO_KEY_TEXT_LEN && !(len == CRYPTO_KEY_TEXT_LEN + 2 &&
	    text[CRYPTO_KEY_TEXT_LEN] == '=' && text[CRYPTO_KEY_TEXT_LEN + 1] == '='))
		goto out;
	if (base64_decode(text, len, tmp, sizeof tmp) != CRYPTO_KEY_LEN)
		goto out;
	memcpy(key, tmp, CRYPTO_KEY_LEN);
	err = 0;
out:
	OPENSSL_cleanse(tmp, sizeof tmp);
	return err;
}

uint32_t crypto_key_id(const uint8_t key[CRYPTO_KEY_LEN])
{
	static const uint8_t zero[16];
	uint8_t block[32];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n;

	if (ctx == NULL || EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_EncryptUpdate(ctx, block, &n, zero, sizeof zero) != 1 || n != 16)
		fatal("AES-128 is not available from OpenSSL");
	EVP_CIPHER_CTX_free(ctx);
	uint32_t id = (uint32_t)block[0] << 24 | (uint32_t)block[1] << 16 |
	    (uint32_t)block[2] << 8 | block[3];
	OPENSSL_cleanse(block, sizeof block);
	return id;
}

static EVP_CIPHER_CTX *crypto_ctx_new(const uint8_t key[CRYPTO_KEY_LEN], int enc)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx == NULL)
		fatal("EVP_CIPHER_CTX_new failed");
	if (EVP_CipherInit_ex(ctx, EVP_aes_128_ocb(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, CRYPTO_NONCE_LEN, NULL) != 1 ||
	    (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, CRYPTO_TAG_LEN, NULL) != 1) ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, NULL, enc) != 1)
		fatal("AES-128-OCB is not available from OpenSSL");
	return ctx;
}

struct crypto *crypto_create(const uint8_t key[CRYPTO_KEY_LEN])
{
	struct crypto *c = xcalloc(1, sizeof *c);

	c->seal = crypto_ctx_new(key, 1);
	c->open = crypto_ctx_new(key, 0);
	return c;
}

void crypto_free(struct crypto *c)
{
	if (c == NULL)
		return;
	/* EVP_CIPHER_CTX_free cleanses the key schedule and OCB state. */
	EVP_CIPHER_CTX_free(c->seal);
	EVP_CIPHER_CTX_free(c->open);
	OPENSSL_cleanse(c, sizeof *c);
	free(c);
}

void crypto_seal(struct crypto *c, const uint8_t nonce[CRYPTO_NONCE_LEN],
    const uint8_t *ad, size_t adlen, const uint8_t *pt, size_t ptlen, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = c->seal;
	int n, done = 0;

	if (adlen > INT_MAX || ptlen > INT_MAX)
		fatal("crypto_seal: message too long");
	if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) != 1)
		goto fail;
	if (adlen > 0 && EVP_EncryptUpdate(ctx, NULL, &n, ad, (int)adlen) != 1)
		goto fail;
	if (ptlen > 0) {
		if (EVP_EncryptUpdate(ctx, out, &n, pt, (int)ptlen) != 1)
			goto fail;
		done = n;
	}
	if (EVP_EncryptFinal_ex(ctx, out + done, &n) != 1)
		goto fail;
	done += n;
	if ((size_t)done != ptlen ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, CRYPTO_TAG_LEN, out + ptlen) != 1)
		goto fail;
	return;
fail:
	fatal("AES-128-OCB encryption failed");
}

int crypto_open(struct crypto *c, const uint8_t nonce[CRYPTO_NONCE_LEN],
    const uint8_t *ad, size_t adlen, const uint8_t *ct, size_t ctlen, uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = c->open;
	uint8_t spare[CRYPTO_TAG_LEN];
	uint8_t *dst;
	size_t len;
	int n, done = 0, err = RMUX_ERR_AUTH;

	if (ctlen < CRYPTO_TAG_LEN)
		return RMUX_ERR_TRUNCATED;
	len = ctlen - CRYPTO_TAG_LEN;
	dst = len > 0 ? out : spare; /* OUT may be NULL for an empty message */
	if (adlen > INT_MAX || len > INT_MAX)
		return RMUX_ERR_TOO_BIG;
	if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, nonce) != 1)
		goto out;
	/* The control takes a non-const pointer but only copies the tag. */
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, CRYPTO_TAG_LEN,
	    (void *)(uintptr_t)(ct + len)) != 1)
		goto out;
	if (adlen > 0 && EVP_DecryptUpdate(ctx, NULL, &n, ad, (int)adlen) != 1)
		goto out;
	if (len > 0) {
		if (EVP_DecryptUpdate(ctx, dst, &n, ct, (int)len) != 1)
			goto out;
		done = n;
	}
	if (EVP_DecryptFinal_ex(ctx, dst + done, &n) != 1)
		goto out;
	if ((size_t)(done + n) != len)
		goto out;
	err = 0;
out:
	/* OCB writes plaintext before the tag is known: never leave it behind. */
	if (err != 0 && len > 0)
		OPENSSL_cleanse(out, len);
	return err;
}
