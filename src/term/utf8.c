/* utf8.c — UTF-8 encoding and decoding, and character widths. Widths come
 * from utf8proc (emoji presentation is 2, private use 1, as tmux built
 * with utf8proc sees them); a table answers ASCII and Latin at once and a
 * lazily filled cache makes repeated BMP look-ups (CJK text) cheap. */
#include "term/utf8.h"

#include <utf8proc.h>

/* Below this every printable character is one column wide and nothing
 * combines (U+0300 starts the combining diacritical marks). */
#define UTF8_NARROW_END 0x300u

/* Cache for the BMP: 0 means not computed yet, else width + 2. */
static uint8_t utf8_bmp_cache[0x10000];

/* Direct-mapped cache for the other planes (emoji are there). */
#define UTF8_ASTRAL_SLOTS 256u
static uint32_t utf8_astral_key[UTF8_ASTRAL_SLOTS];
static int8_t utf8_astral_width[UTF8_ASTRAL_SLOTS];

static int utf8_lookup(uint32_t cp)
{
	if (cp > 0x10ffffu || (cp >= 0xd800u && cp <= 0xdfffu))
		return -1;
	if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CO)
		return 1;
	if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CC)
		return -1;
	return utf8proc_charwidth((utf8proc_int32_t)cp);
}

int utf8_width(uint32_t cp)
{
	if (cp < UTF8_NARROW_END) {
		if (cp < 0x20u || (cp >= 0x7fu && cp < 0xa0u))
			return -1;
		return 1;
	}
	if (cp < 0x10000u) {
		uint8_t v = utf8_bmp_cache[cp];

		if (v == 0) {
			v = (uint8_t)(utf8_lookup(cp) + 2);
			utf8_bmp_cache[cp] = v;
		}
		return (int)v - 2;
	}
	/* Key 0 never matches an astral code point, so empty slots miss. */
	unsigned slot = (cp ^ (cp >> 8)) & (UTF8_ASTRAL_SLOTS - 1);
	if (utf8_astral_key[slot] != cp) {
		utf8_astral_width[slot] = (int8_t)utf8_lookup(cp);
		utf8_astral_key[slot] = cp;
	}
	return utf8_astral_width[slot];
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80u) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800u) {
		out[0] = (char)(0xc0u | cp >> 6);
		out[1] = (char)(0x80u | (cp & 0x3fu));
		return 2;
	}
	if (cp > 0x10ffffu || (cp >= 0xd800u && cp <= 0xdfffu))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x10000u) {
		out[0] = (char)(0xe0u | cp >> 12);
		out[1] = (char)(0x80u | ((cp >> 6) & 0x3fu));
		out[2] = (char)(0x80u | (cp & 0x3fu));
		return 3;
	}
	out[0] = (char)(0xf0u | cp >> 18);
	out[1] = (char)(0x80u | ((cp >> 12) & 0x3fu));
	out[2] = (char)(0x80u | ((cp >> 6) & 0x3fu));
	out[3] = (char)(0x80u | (cp & 0x3fu));
	return 4;
}

size_t utf8_decode(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t b = s[0];
	size_t need;
	uint32_t v, min;

	if (b < 0x80u) {
		*cp = b;
		return 1;
	}
	if (b >= 0xc2u && b <= 0xdfu) {
		need = 2;
		v = b & 0x1fu;
		min = 0x80u;
	} else if (b >= 0xe0u && b <= 0xefu) {
		need = 3;
		v = b & 0x0fu;
		min = 0x800u;
	} else if (b >= 0xf0u && b <= 0xf4u) {
		need = 4;
		v = b & 0x07u;
		min = 0x10000u;
	} else
		goto bad;
	if (len < need)
		goto bad;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			goto bad;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffffu || (v >= 0xd800u && v <= 0xdfffu))
		goto bad;
	*cp = v;
	return need;
bad:
	*cp = UTF8_REPLACEMENT;
	return 1;
}
