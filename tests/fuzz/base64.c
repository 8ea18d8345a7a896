/* base64.c — fuzz harness for base64_decode() (keys on the bootstrap line,
 * OSC 52 payloads). The input is the text. Whatever decodes must encode
 * back to the same text (padding as given: the decoder accepts one
 * spelling per byte string), and a too-small output buffer must be
 * refused, never overrun. */
#include "common/base64.h"
#include "common/util.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	size_t cap = size * 3 / 4 + 1;
	uint8_t *out = malloc(cap);

	FUZZ_CHECK(out != NULL);
	long n = base64_decode(in, size, out, cap);
	if (n < 0) {
		FUZZ_CHECK(n == RMUX_ERR_MALFORMED);
		goto out;
	}
	FUZZ_CHECK((size_t)n <= size * 3 / 4);

	char *text = malloc(base64_encoded_size((size_t)n));
	FUZZ_CHECK(text != NULL);
	base64_encode(out, (size_t)n, text);
	size_t tlen = strlen(text);
	FUZZ_CHECK(tlen + 1 == base64_encoded_size((size_t)n));
	/* The input may leave out the padding; nothing else may differ. */
	size_t bare = tlen;
	while (bare > 0 && text[bare - 1] == '=')
		bare--;
	FUZZ_CHECK(size == tlen || size == bare);
	FUZZ_CHECK(memcmp(text, in, size) == 0);
	free(text);

	/* One byte short of room: refused, and nothing written past it. */
	if (n > 0) {
		uint8_t *small = malloc((size_t)n - 1 + 1);
		FUZZ_CHECK(small != NULL);
		FUZZ_CHECK(base64_decode(in, size, small, (size_t)n - 1) == RMUX_ERR_TOO_BIG);
		free(small);
	}
out:
	free(out);
	return 0;
}
