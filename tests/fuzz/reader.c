/* reader.c — fuzz harness for the bounds-checked reader every wire decoder
 * is built on (common/buf.h). The first bytes pick the reads (three bits
 * each), the rest is what they read. Checked: a read never claims bytes
 * that are not there, an error latches and stops all later reads, and a
 * varint that reads re-encodes to exactly the bytes it came from (one
 * spelling per value). */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"

#define READER_OPS 8 /* bytes of opcodes in front of the body */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r;
	struct buf b;
	size_t nops = size < READER_OPS ? size : READER_OPS;
	uint64_t ops = 0;

	for (size_t i = 0; i < nops; i++)
		ops = ops << 8 | data[i];
	reader_init(&r, data + nops, size - nops);
	buf_init(&b);
	/* 21 reads of three bits each, then varints until the end. */
	for (unsigned k = 0; r.left > 0 || k < 21; k++) {
		const uint8_t *before = r.p, *view;
		size_t left = r.left;
		int had = r.err;
		unsigned op = k < 21 ? (ops >> (3 * k)) & 7 : 4;
		uint8_t v8, tmp[8];
		uint16_t v16;
		uint32_t v32;
		uint64_t v64;
		size_t want = 0;
		int err;

		switch (op) {
		case 0:
			err = reader_u8(&r, &v8), want = 1;
			break;
		case 1:
			err = reader_u16(&r, &v16), want = 2;
			break;
		case 2:
			err = reader_u32(&r, &v32), want = 4;
			break;
		case 3:
			err = reader_u64(&r, &v64), want = 8;
			break;
		case 4:
		case 5:
			err = reader_varint(&r, &v64);
			if (err == 0) {
				buf_reset(&b);
				buf_add_varint(&b, v64);
				FUZZ_CHECK(b.len == (size_t)(r.p - before));
				FUZZ_CHECK(memcmp(b.data, before, b.len) == 0);
			}
			break;
		case 6:
			want = k % 8;
			err = reader_bytes(&r, tmp, want);
			if (err == 0)
				FUZZ_CHECK(memcmp(tmp, before, want) == 0);
			break;
		default:
			want = k * 3;
			err = reader_view(&r, &view, want);
			if (err == 0)
				FUZZ_CHECK(view == before);
			break;
		}
		if (had) {
			/* Latched: nothing moves, the first error stays. */
			FUZZ_CHECK(err == had && r.err == had);
			FUZZ_CHECK(r.p == before && r.left == left);
			break;
		}
		if (err) {
			FUZZ_CHECK(err < 0 && r.err == err);
			if (op != 4 && op != 5)
				FUZZ_CHECK(err == RMUX_ERR_TRUNCATED && want > left);
			continue;
		}
		FUZZ_CHECK(r.left <= left && (size_t)(r.p - before) == left - r.left);
		if (op != 4 && op != 5)
			FUZZ_CHECK(left - r.left == want);
	}
	FUZZ_CHECK(reader_finish(&r) == (r.err ? r.err : r.left ? RMUX_ERR_TRAILING : 0));
	buf_free(&b);
	return 0;
}
