/* crypto.h — the link's AEAD: AES-128-OCB (OpenSSL EVP) with a 12-byte
 * nonce and a 16-byte tag, connection keys and their text form on the
 * bootstrap line. Nonce choice belongs to the datagram layer. */
#ifndef RMUX_NET_CRYPTO_H
#define RMUX_NET_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_KEY_LEN 16
#define CRYPTO_NONCE_LEN 12
#define CRYPTO_TAG_LEN 16
/* A key as text: 22 base64 characters (no padding); the buffer adds a NUL. */
#define CRYPTO_KEY_TEXT_LEN 22
#define CRYPTO_KEY_TEXT_SIZE (CRYPTO_KEY_TEXT_LEN + 1)

struct crypto;

/* Fill KEY from RAND_bytes; dies if the generator fails (no weak fallback). */
void crypto_key_generate(uint8_t key[CRYPTO_KEY_LEN]);
/* Write KEY as 22 base64 characters and a NUL. */
void crypto_key_encode(const uint8_t key[CRYPTO_KEY_LEN], char out[CRYPTO_KEY_TEXT_SIZE]);
/* Parse LEN characters of base64 (22, or 24 with "==" padding) that must
 * decode to exactly CRYPTO_KEY_LEN bytes. Returns 0 or RMUX_ERR_MALFORMED;
 * KEY is untouched on failure. */
int crypto_key_decode(const char *text, size_t len, uint8_t key[CRYPTO_KEY_LEN]);

/* The connection id that goes with KEY: the first four bytes, big-endian,
 * of AES-128 of a zero block under KEY. Both ends derive it, so the
 * bootstrap line need not carry it; it reveals nothing usable about KEY. */
uint32_t crypto_key_id(const uint8_t key[CRYPTO_KEY_LEN]);

/* A keyed AEAD with one cipher context per direction (seal and open), set
 * up once and re-nonced per datagram. The caller may wipe KEY afterwards. */
struct crypto *crypto_create(const uint8_t key[CRYPTO_KEY_LEN]);
/* Wipes the key and the expanded key schedules. NULL is allowed. */
void crypto_free(struct crypto *c);

/* Encrypt PT (ptlen bytes) authenticating AD, writing ptlen bytes of
 * ciphertext followed by the tag to OUT (ptlen + CRYPTO_TAG_LEN bytes).
 * OUT may be PT itself (in place) but must not overlap it otherwise.
 * Cannot fail short of a broken OpenSSL, which is fatal. */
void crypto_seal(struct crypto *c, const uint8_t nonce[CRYPTO_NONCE_LEN],
    const uint8_t *ad, size_t adlen, const uint8_t *pt, size_t ptlen, uint8_t *out);
/* Check and decrypt CT (ctlen bytes: ciphertext then tag) into OUT
 * (ctlen - CRYPTO_TAG_LEN bytes). Returns 0, RMUX_ERR_TRUNCATED when CT is
 * shorter than a tag, or RMUX_ERR_AUTH; on failure OUT holds no plaintext. */
int crypto_open(struct crypto *c, const uint8_t nonce[CRYPTO_NONCE_LEN],
    const uint8_t *ad, size_t adlen, const uint8_t *ct, size_t ctlen, uint8_t *out);

#endif
