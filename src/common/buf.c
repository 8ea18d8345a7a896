/* buf.c — growable writer and bounds-checked reader (see buf.h). */
#include "common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
}

void buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra;

	if (need < b->len)
		fatal("buffer size overflow");
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_reserve(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

void buf_add_u8(struct buf *b, uint8_t v)
{
	buf_reserve(b, 1);
	b->data[b->len++] = v;
}

void buf_add_u16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	buf_add(b, x, sizeof x);
}

void buf_add_u32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	buf_add(b, x, sizeof x);
}

void buf_add_u64(struct buf *b, uint64_t v)
{
	buf_add_u32(b, (uint32_t)(v >> 32));
	buf_add_u32(b, (uint32_t)v);
}

void buf_add_varint(struct buf *b, uint64_t v)
{
	buf_reserve(b, 10);
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		b->data[b->len++] = byte | (v ? 0x80 : 0);
	} while (v);
}

void buf_add_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void reader_init(struct reader *r, const void *data, size_t len)
{
	r->p = data;
	r->left = data ? len : 0;
	r->err = 0;
}

int reader_view(struct reader *r, const uint8_t **out, size_t len)
{
	if (r->err)
		return r->err;
	if (len > r->left) {
		r->err = RMUX_ERR_TRUNCATED;
		r->left = 0;
		return r->err;
	}
	*out = r->p;
	r->p += len;
	r->left -= len;
	return 0;
}

int reader_bytes(struct reader *r, void *out, size_t len)
{
	const uint8_t *p;
	int err = reader_view(r, &p, len);

	if (err == 0 && len > 0)
		memcpy(out, p, len);
	return err;
}

static int reader_be(struct reader *r, unsigned n, uint64_t *v)
{
	const uint8_t *p;
	int err = reader_view(r, &p, n);

	*v = 0;
	if (err)
		return err;
	for (unsigned i = 0; i < n; i++)
		*v = (*v << 8) | p[i];
	return 0;
}

int reader_u8(struct reader *r, uint8_t *v)
{
	uint64_t x;
	int err = reader_be(r, 1, &x);
	*v = (uint8_t)x;
	return err;
}

int reader_u16(struct reader *r, uint16_t *v)
{
	uint64_t x;
	int err = reader_be(r, 2, &x);
	*v = (uint16_t)x;
	return err;
}

int reader_u32(struct reader *r, uint32_t *v)
{
	uint64_t x;
	int err = reader_be(r, 4, &x);
	*v = (uint32_t)x;
	return err;
}

int reader_u64(struct reader *r, uint64_t *v)
{
	return reader_be(r, 8, v);
}

int reader_varint(struct reader *r, uint64_t *v)
{
	uint64_t x = 0;

	*v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		uint8_t byte;
		int err = reader_u8(r, &byte);
		if (err)
			return err;
		if (shift == 63 && (byte & 0x7e)) {
			r->err = RMUX_ERR_RANGE;
			return r->err;
		}
		x |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			/* A zero final byte after others is a padded (non-minimal)
			 * encoding: one value must have one spelling on the wire. */
			if (byte == 0 && shift > 0) {
				r->err = RMUX_ERR_MALFORMED;
				return r->err;
			}
			*v = x;
			return 0;
		}
	}
	r->err = RMUX_ERR_MALFORMED;
	return r->err;
}

int reader_finish(const struct reader *r)
{
	if (r->err)
		return r->err;
	return r->left ? RMUX_ERR_TRAILING : 0;
}
