/* buf.h — bounded byte buffers: a growable writer for encoding and a
 * bounds-checked reader for decoding untrusted bytes. Every read checks
 * what is left; a failed read latches an error so decoders can check once
 * at the end. */
#ifndef RMUX_COMMON_BUF_H
#define RMUX_COMMON_BUF_H

#include <stddef.h>
#include <stdint.h>

/* Writer: grows with xrealloc (encoding is daemon/UI code). Big-endian integers. */
struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);   /* frees storage, leaves an empty buffer */
void buf_reset(struct buf *b);  /* len = 0, keeps storage */
void buf_reserve(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_add_u8(struct buf *b, uint8_t v);
void buf_add_u16(struct buf *b, uint16_t v);
void buf_add_u32(struct buf *b, uint32_t v);
void buf_add_u64(struct buf *b, uint64_t v);
void buf_add_varint(struct buf *b, uint64_t v); /* LEB128, 1-10 bytes */
void buf_add_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reader over memory it does not own. */
struct reader {
	const uint8_t *p;
	size_t left;
	int err; /* 0, or the first RMUX_ERR_* met */
};

void reader_init(struct reader *r, const void *data, size_t len);
int reader_u8(struct reader *r, uint8_t *v);
int reader_u16(struct reader *r, uint16_t *v);
int reader_u32(struct reader *r, uint32_t *v);
int reader_u64(struct reader *r, uint64_t *v);
int reader_varint(struct reader *r, uint64_t *v); /* rejects > 10 bytes and overflow */
int reader_bytes(struct reader *r, void *out, size_t len);
/* Point *out at the next LEN bytes without copying. */
int reader_view(struct reader *r, const uint8_t **out, size_t len);
/* RMUX_ERR_TRAILING if bytes are left, else the latched error (0 if none). */
int reader_finish(const struct reader *r);

#endif
