/* utf8.h — UTF-8 encoding and decoding, and character widths from utf8proc. */
#ifndef RMUX_TERM_UTF8_H
#define RMUX_TERM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xfffdu

/* Columns a character takes: 1 or 2; 0 for combining marks and other
 * zero-width characters; -1 for C0/C1 controls. Fast for ASCII. */
int utf8_width(uint32_t cp);
/* Encode CP (a Unicode scalar) into OUT; returns 1-4. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Decode one scalar from S; returns bytes used (1-4) and sets *CP, or
 * returns 1 with *CP = UTF8_REPLACEMENT for an invalid or truncated
 * sequence (so callers always advance). LEN must be >= 1. */
size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp);

/* utf8_width() with the commonest answers inline: ASCII, CJK ideographs
 * and Hangul syllables (hot paths of the parser). */
static inline int utf8_width_fast(uint32_t cp)
{
	if (cp - 0x20u < 0x5fu)
		return 1;
	if (cp - 0x4e00u < 0x5200u || cp - 0xac00u < 0x2ba4u)
		return 2;
	return utf8_width(cp);
}

#endif
