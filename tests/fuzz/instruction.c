/* instruction.c — fuzz harness for instruction_decode() (net/instruction.h)
 * and the inflation of deflated diffs (net/compress.h). The input is the
 * instruction. Whatever decodes must re-encode, with the chaff it carried,
 * to exactly the same bytes: one spelling per instruction, and a diff that
 * points inside the input. A deflated diff inflates within the cap or is
 * refused cleanly, and what inflates deflates and inflates back. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/compress.h"
#include "net/instruction.h"

/* Small enough that a bomb in the input is cut short quickly. */
#define FUZZ_INFLATE_CAP (256u * 1024)

static void check_inflate(const struct instruction *in)
{
	struct buf raw, again, back;
	int err;

	buf_init(&raw);
	err = compress_inflate(in->diff, in->difflen, FUZZ_INFLATE_CAP, &raw);
	if (err != 0) {
		FUZZ_CHECK(err < 0 && raw.len == 0);
		buf_free(&raw);
		return;
	}
	FUZZ_CHECK(raw.len <= FUZZ_INFLATE_CAP);
	buf_init(&again);
	buf_init(&back);
	FUZZ_CHECK(compress_deflate(raw.data, raw.len, &again) == 0);
	FUZZ_CHECK(compress_inflate(again.data, again.len, FUZZ_INFLATE_CAP, &back) == 0);
	FUZZ_CHECK(back.len == raw.len && (raw.len == 0 || memcmp(back.data, raw.data, raw.len) == 0));
	buf_free(&raw);
	buf_free(&again);
	buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct instruction in;
	struct buf b;

	int err = instruction_decode(data, size, &in);
	if (err != 0) {
		FUZZ_CHECK(err < 0);
		FUZZ_CHECK(in.diff == NULL && in.difflen == 0);
		return 0;
	}
	FUZZ_CHECK(in.throwaway_num <= in.old_num && in.old_num <= in.new_num);
	FUZZ_CHECK(in.difflen <= size);
	FUZZ_CHECK(!in.deflated || in.difflen > 0);
	if (in.deflated)
		check_inflate(&in);
	if (in.difflen > 0)
		FUZZ_CHECK(in.diff >= data && in.diff + in.difflen <= data + size);
	/* Without chaff the encoding is the input up to the chaff length
	 * byte; the chaff is all that follows that byte. */
	buf_init(&b);
	FUZZ_CHECK(instruction_encode(&in, NULL, 0, &b) == 0);
	FUZZ_CHECK(b.len >= 1 && b.len <= size);
	size_t chafflen = size - b.len;
	FUZZ_CHECK(chafflen <= INSTRUCTION_CHAFF_MAX && data[b.len - 1] == chafflen);
	FUZZ_CHECK(memcmp(b.data, data, b.len - 1) == 0);
	FUZZ_CHECK(b.len - 1 <= INSTRUCTION_HEADER_MAX + in.difflen);
	buf_reset(&b);
	FUZZ_CHECK(instruction_encode(&in, data + size - chafflen, chafflen, &b) == 0);
	FUZZ_CHECK(b.len == size && memcmp(b.data, data, size) == 0);
	buf_free(&b);
	return 0;
}
