/* compress.c — raw deflate and bounded inflate of instruction diffs (see
 * compress.h). Inflation runs on authenticated but untrusted bytes: it
 * stops at a cap instead of trusting the stream, and any error leaves the
 * caller's buffer as it was. */
#include "net/compress.h"

#include <limits.h>

#include <zlib.h>

#include "common/util.h"

/* Raw deflate: no zlib header and checksum (6 bytes per instruction the
 * datagram's tag already covers). */
#define COMPRESS_WINDOW_BITS (-15)
#define COMPRESS_LEVEL 9
#define COMPRESS_MEM_LEVEL 8
/* Output is added in steps of this much at most, so the buffer tracks
 * what the stream really produces. */
#define COMPRESS_STEP (64u * 1024)

int compress_deflate(const uint8_t *data, size_t len, struct buf *out)
{
	z_stream z = { 0 };
	size_t start = out->len, bound;
	int rc, err = 0;

	if (len > UINT_MAX)
		return RMUX_ERR_TOO_BIG;
	if (deflateInit2(&z, COMPRESS_LEVEL, Z_DEFLATED, COMPRESS_WINDOW_BITS, COMPRESS_MEM_LEVEL,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return RMUX_ERR_NOMEM;
	bound = deflateBound(&z, (uLong)len);
	buf_reserve(out, bound);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out->data + start;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	if (rc != Z_STREAM_END) {
		/* deflateBound() is an upper bound: only a lack of memory gets
		 * here. */
		err = RMUX_ERR_NOMEM;
		goto out;
	}
	out->len = start + (bound - z.avail_out);
out:
	deflateEnd(&z);
	return err;
}

int compress_inflate(const uint8_t *data, size_t len, size_t max, struct buf *out)
{
	z_stream z = { 0 };
	size_t start = out->len, produced = 0;
	int rc, err = 0;

	if (len > UINT_MAX)
		return RMUX_ERR_TOO_BIG;
	if (inflateInit2(&z, COMPRESS_WINDOW_BITS) != Z_OK)
		return RMUX_ERR_NOMEM;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	for (;;) {
		/* Room for one byte over the cap, to tell "exactly MAX" from
		 * "more than MAX". */
		size_t step = RMUX_MIN((size_t)COMPRESS_STEP, max - produced + 1);

		buf_reserve(out, produced + step);
		z.next_out = out->data + start + produced;
		z.avail_out = (uInt)step;
		rc = inflate(&z, Z_NO_FLUSH);
		produced += step - z.avail_out;
		if (produced > max) {
			err = RMUX_ERR_TOO_BIG;
			goto out;
		}
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_OK)
			continue;
		if (rc == Z_BUF_ERROR && z.avail_in == 0) {
			err = RMUX_ERR_TRUNCATED;
			goto out;
		}
		err = rc == Z_MEM_ERROR ? RMUX_ERR_NOMEM : RMUX_ERR_MALFORMED;
		goto out;
	}
	if (z.avail_in != 0) {
		err = RMUX_ERR_TRAILING;
		goto out;
	}
	out->len = start + produced;
out:
	inflateEnd(&z);
	return err;
}
