/* compress.h — raw deflate (RFC 1951, no zlib header or checksum) of the
 * diffs that instructions carry, and bounded inflation of the ones that
 * arrive. doc/PROTOCOL.md section 7 says when a diff is deflated. */
#ifndef RMUX_NET_COMPRESS_H
#define RMUX_NET_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* The most a deflated diff may inflate to: the instruction cap, so that a
 * deflated diff never holds more than a raw one could. */
#define COMPRESS_MAX_INFLATED (4u * 1024 * 1024)
/* Diffs shorter than this are not worth deflating (measured on keystroke
 * and echo frames: the result is never shorter). */
#define COMPRESS_MIN_INPUT 24

/* Append the raw deflate of LEN bytes of DATA to OUT (LEN may be 0).
 * Returns 0, or RMUX_ERR_NOMEM if zlib could not get its memory (OUT is
 * then as it was). */
int compress_deflate(const uint8_t *data, size_t len, struct buf *out);
/* Append to OUT the inflation of the raw deflate stream of LEN bytes of
 * DATA, which must be one complete stream and nothing more. OUT grows as
 * the output is produced, never by a size the input claims. Returns 0, or
 * RMUX_ERR_TOO_BIG (more than MAX bytes), RMUX_ERR_TRUNCATED (the stream
 * ends early), RMUX_ERR_MALFORMED (invalid stream), RMUX_ERR_TRAILING
 * (bytes after the end) or RMUX_ERR_NOMEM; on error OUT is as it was. */
int compress_inflate(const uint8_t *data, size_t len, size_t max, struct buf *out);

#endif
