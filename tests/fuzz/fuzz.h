/* fuzz.h — the libFuzzer entry point every harness here defines; replay.c
 * calls it from a plain main() so saved inputs run in the test suite. Also
 * the few helpers the harnesses share: FUZZ_CHECK (an invariant failure
 * aborts, so libFuzzer saves the input), a cursor that hands out the
 * input's bytes piece by piece, and a UTF-8 validity test. */
#ifndef RMUX_TESTS_FUZZ_H
#define RMUX_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                          \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "fuzz: invariant failed, %s:%d: %s\n",    \
				__FILE__, __LINE__, #cond);                       \
			abort();                                                  \
		}                                                                 \
	} while (0)

/* The input, consumed from the front; reads past the end give zeros and
 * empty pieces, so every input is a valid (if short) program. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t hi = fuzz_u8(in);
	return (uint16_t)(hi << 8 | fuzz_u8(in));
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | fuzz_u8(in);
	return v;
}

/* The next LEN bytes (fewer at the end); *GOT says how many. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t len, size_t *got)
{
	const uint8_t *p = in->p;
	if (len > in->left)
		len = in->left;
	in->p += len;
	in->left -= len;
	*got = len;
	return p;
}

/* A piece whose length is the next byte: what a length-prefixed record
 * format gives the mutator to play with. */
static inline const uint8_t *fuzz_piece(struct fuzz_in *in, size_t *got)
{
	return fuzz_bytes(in, fuzz_u8(in), got);
}

/* A NUL-terminated copy of the input up to the next SEP byte (or the end),
 * the separator skipped. Caller frees. */
static inline char *fuzz_string(struct fuzz_in *in, uint8_t sep)
{
	const uint8_t *end = memchr(in->p, sep, in->left);
	size_t len = end != NULL ? (size_t)(end - in->p) : in->left;
	char *s = malloc(len + 1);
	FUZZ_CHECK(s != NULL);
	memcpy(s, in->p, len);
	s[len] = '\0';
	in->p += len;
	in->left -= len;
	if (end != NULL) {
		in->p++;
		in->left--;
	}
	return s;
}

/* 1 if the LEN bytes at P are well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
static inline int fuzz_utf8_valid(const void *p, size_t len)
{
	const unsigned char *s = p;
	size_t i = 0;

	while (i < len) {
		size_t n;
		uint32_t cp, min;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 2, cp = s[i] & 0x1f, min = 0x80;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 3, cp = s[i] & 0x0f, min = 0x800;
		else if ((s[i] & 0xf8) == 0xf0)
			n = 4, cp = s[i] & 0x07, min = 0x10000;
		else
			return 0;
		if (n > len - i)
			return 0;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n;
	}
	return 1;
}

#endif
