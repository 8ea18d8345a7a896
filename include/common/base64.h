/* base64.h — standard alphabet (RFC 4648); used for keys and OSC 52. */
#ifndef RMUX_COMMON_BASE64_H
#define RMUX_COMMON_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Output size including the terminating NUL, with '=' padding. */
size_t base64_encoded_size(size_t len);
/* Write the NUL-terminated encoding of IN to OUT (base64_encoded_size(len) bytes). */
void base64_encode(const uint8_t *in, size_t len, char *out);
/* Decode IN (padding optional, no whitespace) into OUT (at most outsize bytes).
 * Returns the decoded length, or a negative RMUX_ERR_* for bad characters,
 * impossible lengths or non-zero trailing bits, or an output too small. */
long base64_decode(const char *in, size_t len, uint8_t *out, size_t outsize);

#endif
