/* history.c — the history channel's states (see history.h): the message
 * stream's wire encoding (the stream itself is a msg_stream), the wants,
 * and the channel's key. A message is kept as its encoding. */
#include "net/history.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/msg_stream.h"

/* A message: its encoding. In a diff, varint its length then the bytes. */
struct history_blob {
	struct msg_stream_msg hdr;
	size_t len;
	uint8_t data[];
};

static const uint8_t history_key_block[CRYPTO_KEY_LEN] = "rmux history    ";

void history_key_derive(const uint8_t key[CRYPTO_KEY_LEN], uint8_t out[CRYPTO_KEY_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	if (ctx == NULL || EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) != 1 ||
	    EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
	    EVP_EncryptUpdate(ctx, out, &n, history_key_block, CRYPTO_KEY_LEN) != 1 ||
	    n != CRYPTO_KEY_LEN)
		fatal("AES-128-ECB failed");
	EVP_CIPHER_CTX_free(ctx);
}

/* --- messages --- */

static struct msg_stream_msg *blob_create(const uint8_t *data, size_t len)
{
	struct history_blob *b = xmalloc(sizeof *b + (len ? len : 1));

	b->hdr.refs = 1;
	b->hdr.wire = msg_stream_varint_len(len) + len;
	b->len = len;
	if (len > 0)
		memcpy(b->data, data, len);
	return &b->hdr;
}

void history_msg_clear(struct history_msg *m)
{
	if (m->row != NULL) {
		for (unsigned i = 0; i < m->n; i++) {
			if (m->row[i] != NULL)
				view_row_unref(m->row[i]);
		}
	}
	free(m->row);
	free(m->wrapped);
	memset(m, 0, sizeof *m);
}

/* Parse one message's bytes into M (rows only when ROWS is set). */
static int msg_parse(const uint8_t *data, size_t len, struct history_msg *m, int rows)
{
	struct reader r;
	uint64_t v, pane, gen, first, n;
	uint8_t type, flags;
	int err = 0;

	memset(m, 0, sizeof *m);
	reader_init(&r, data, len);
	if ((err = reader_u8(&r, &type)) != 0)
		goto out;
	switch (type) {
	case HISTORY_MSG_LIMIT:
		if ((err = reader_varint(&r, &v)) != 0)
			goto out;
		if (v > HISTORY_LIMIT_MAX) {
			err = RMUX_ERR_RANGE;
			goto out;
		}
		m->type = HISTORY_MSG_LIMIT;
		m->limit = (uint32_t)v;
		break;
	case HISTORY_MSG_CHUNK:
		reader_varint(&r, &pane);
		reader_varint(&r, &gen);
		reader_varint(&r, &first);
		if ((err = reader_varint(&r, &n)) != 0)
			goto out;
		if (pane > UINT32_MAX || gen > UINT32_MAX || first >= HISTORY_LINE_MAX || n < 1 ||
		    n > HISTORY_CHUNK_LINES_MAX || n > HISTORY_LINE_MAX - first) {
			err = RMUX_ERR_RANGE;
			goto out;
		}
		m->type = HISTORY_MSG_CHUNK;
		m->pane = (uint32_t)pane;
		m->gen = (uint32_t)gen;
		m->first = first;
		if (rows) {
			m->row = calloc((size_t)n, sizeof *m->row);
			m->wrapped = calloc((size_t)n, 1);
			if (m->row == NULL || m->wrapped == NULL) {
				err = RMUX_ERR_NOMEM;
				goto out;
			}
		}
		for (uint64_t i = 0; i < n; i++) {
			struct view_row *row = NULL;

			if ((err = reader_u8(&r, &flags)) != 0)
				goto out;
			if (flags > 1) {
				err = RMUX_ERR_MALFORMED;
				goto out;
			}
			if ((err = view_row_decode(&r, &row)) != 0)
				goto out;
			if (rows) {
				m->row[i] = row;
				m->wrapped[i] = flags;
				m->n = (unsigned)i + 1;
			} else
				view_row_unref(row);
		}
		m->n = (unsigned)n;
		break;
	default:
		err = RMUX_ERR_MALFORMED;
		goto out;
	}
	err = reader_finish(&r);
out:
	if (err != 0)
		history_msg_clear(m);
	return err;
}

/* --- chunks --- */

void history_chunk_init(struct history_chunk *c, uint32_t pane, uint32_t gen, uint64_t first)
{
	c->pane = pane;
	c->gen = gen;
	c->first = first;
	c->n = 0;
	buf_init(&c->lines);
}

void history_line_encode(struct view_row *r, int wrapped, struct buf *out)
{
	buf_add_u8(out, wrapped ? 1 : 0);
	view_row_encode(r, out);
}

void history_chunk_add(struct history_chunk *c, struct view_row *r, int wrapped)
{
	history_line_encode(r, wrapped, &c->lines);
	c->n++;
}

void history_chunk_add_encoded(struct history_chunk *c, const uint8_t *data, size_t len)
{
	buf_add(&c->lines, data, len);
	c->n++;
}

static void chunk_header(const struct history_chunk *c, struct buf *out)
{
	buf_add_u8(out, HISTORY_MSG_CHUNK);
	buf_add_varint(out, c->pane);
	buf_add_varint(out, c->gen);
	buf_add_varint(out, c->first);
	buf_add_varint(out, c->n);
}

size_t history_chunk_bytes(const struct history_chunk *c)
{
	size_t len = 1 + msg_stream_varint_len(c->pane) + msg_stream_varint_len(c->gen) +
	    msg_stream_varint_len(c->first) + msg_stream_varint_len(c->n) + c->lines.len;

	return msg_stream_varint_len(len) + len;
}

void history_chunk_free(struct history_chunk *c)
{
	buf_free(&c->lines);
	c->n = 0;
}

/* --- the stream --- */

static void blob_encode(const struct msg_stream_msg *m, struct buf *out)
{
	const struct history_blob *b = (const struct history_blob *)m;

	buf_add_varint(out, b->len);
	buf_add(out, b->data, b->len);
}

/* One message of a diff, checked whole before it is kept (its number
 * is the stream's business). */
static int blob_decode(struct reader *r, uint64_t num, struct msg_stream_msg **out)
{
	struct history_msg m;
	uint64_t mlen;
	const uint8_t *p;
	int err;

	if ((err = reader_varint(r, &mlen)) != 0)
		return err;
	if (mlen < 1 || mlen > HISTORY_MSG_BYTES_MAX)
		return RMUX_ERR_TOO_BIG;
	if ((err = reader_view(r, &p, (size_t)mlen)) != 0)
		return err;
	if ((err = msg_parse(p, (size_t)mlen, &m, 0)) != 0)
		return err;
	*out = blob_create(p, (size_t)mlen);
	return 0;
}

static const struct msg_stream_type history_type = {
	.msgs_max = HISTORY_STREAM_MSGS_MAX,
	.wire_max = HISTORY_STREAM_WIRE_MAX,
	.held_msgs_max = HISTORY_STREAM_MSGS_MAX,
	.held_wire_max = HISTORY_STREAM_WIRE_MAX,
	.num_max = HISTORY_LINE_MAX,
	.encode = blob_encode,
	.decode = blob_decode,
};

/* A history stream is a msg_stream of history_type: the public type only
 * keeps callers from handing it where another stream is wanted. */
static struct msg_stream *ms(struct history_stream *s)
{
	return (struct msg_stream *)s;
}

static const struct msg_stream *cms(const struct history_stream *s)
{
	return (const struct msg_stream *)s;
}

struct history_stream *history_stream_create(void)
{
	return (struct history_stream *)msg_stream_create(&history_type);
}

void history_stream_free(struct history_stream *s)
{
	msg_stream_free(ms(s));
}

static int add_encoded(struct history_stream *s, const struct buf *b)
{
	return msg_stream_push(ms(s), blob_create(b->data, b->len));
}

int history_stream_add_chunk(struct history_stream *s, const struct history_chunk *c)
{
	struct buf b;
	int err;

	if (c->n < 1 || c->n > HISTORY_CHUNK_LINES_MAX || c->first >= HISTORY_LINE_MAX ||
	    c->n > HISTORY_LINE_MAX - c->first)
		return RMUX_ERR_RANGE;
	if (history_chunk_bytes(c) > HISTORY_MSG_BYTES_MAX)
		return RMUX_ERR_TOO_BIG;
	buf_init(&b);
	chunk_header(c, &b);
	buf_add(&b, c->lines.data, c->lines.len);
	err = add_encoded(s, &b);
	buf_free(&b);
	return err;
}

int history_stream_add_limit(struct history_stream *s, uint32_t limit)
{
	struct buf b;
	int err;

	if (limit > HISTORY_LIMIT_MAX)
		return RMUX_ERR_RANGE;
	buf_init(&b);
	buf_add_u8(&b, HISTORY_MSG_LIMIT);
	buf_add_varint(&b, limit);
	err = add_encoded(s, &b);
	buf_free(&b);
	return err;
}

size_t history_stream_count(const struct history_stream *s)
{
	return msg_stream_count(cms(s));
}

size_t history_stream_wire(const struct history_stream *s)
{
	return msg_stream_wire(cms(s));
}

uint64_t history_stream_end(const struct history_stream *s)
{
	return msg_stream_end(cms(s));
}

int history_stream_msg(const struct history_stream *s, size_t i, struct history_msg *m)
{
	const struct history_blob *b = (const struct history_blob *)msg_stream_at(cms(s), i);
	int err;

	if (b == NULL) {
		memset(m, 0, sizeof *m);
		return RMUX_ERR_RANGE;
	}
	err = msg_parse(b->data, b->len, m, 1);
	m->num = history_stream_end(s) - history_stream_count(s) + i;
	return err;
}

int history_stream_decode(const uint8_t *diff, size_t len, struct history_stream *out)
{
	return msg_stream_decode(diff, len, ms(out));
}

const struct transport_state_ops history_stream_ops = MSG_STREAM_TRANSPORT_OPS;

/* --- wants --- */

struct history_wants *history_wants_create(void)
{
	return xcalloc(1, sizeof(struct history_wants));
}

void history_wants_free(struct history_wants *w)
{
	free(w);
}

static int want_cmp(const void *a, const void *b)
{
	const struct history_want *x = a, *y = b;

	return x->pane < y->pane ? -1 : x->pane > y->pane;
}

void history_wants_set(struct history_wants *w, const struct history_want *list, size_t n)
{
	w->n = 0;
	for (size_t i = 0; i < n && w->n < HISTORY_WANTS_MAX; i++) {
		if (history_wants_find(w, list[i].pane) != NULL || list[i].line >= HISTORY_LINE_MAX)
			continue;
		w->want[w->n++] = list[i];
	}
	/* Sorted by pane: the encoding is canonical, so equal sets encode alike. */
	qsort(w->want, w->n, sizeof w->want[0], want_cmp);
}

const struct history_want *history_wants_find(const struct history_wants *w, uint32_t pane)
{
	for (size_t i = 0; i < w->n; i++) {
		if (w->want[i].pane == pane)
			return &w->want[i];
	}
	return NULL;
}

static void *wants_copy(const void *p)
{
	struct history_wants *c = xmalloc(sizeof *c);

	memcpy(c, p, sizeof *c);
	return c;
}

static void wants_free(void *p)
{
	history_wants_free(p);
}

static int wants_equal(const void *pa, const void *pb)
{
	const struct history_wants *a = pa, *b = pb;

	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->want[i].pane != b->want[i].pane || a->want[i].gen != b->want[i].gen ||
		    a->want[i].line != b->want[i].line)
			return 0;
	}
	return 1;
}

/* The whole set, never empty (a count of 0 is one byte). */
static void wants_diff(const void *from, const void *pto, struct buf *out)
{
	const struct history_wants *to = pto;

	if (wants_equal(from, to))
		return;
	buf_add_varint(out, to->n);
	for (size_t i = 0; i < to->n; i++) {
		buf_add_varint(out, to->want[i].pane);
		buf_add_varint(out, to->want[i].gen);
		buf_add_varint(out, to->want[i].line);
	}
}

static int wants_apply(void *p, const uint8_t *diff, size_t len)
{
	struct history_wants *w = p, tmp;
	struct reader r;
	uint64_t n, pane, gen, line;
	int err;

	if (len == 0)
		return 0;
	reader_init(&r, diff, len);
	if ((err = reader_varint(&r, &n)) != 0)
		return err;
	if (n > HISTORY_WANTS_MAX)
		return RMUX_ERR_TOO_BIG;
	tmp.n = (size_t)n;
	for (size_t i = 0; i < tmp.n; i++) {
		reader_varint(&r, &pane);
		reader_varint(&r, &gen);
		if ((err = reader_varint(&r, &line)) != 0)
			return err;
		if (pane > UINT32_MAX || gen > UINT32_MAX || line >= HISTORY_LINE_MAX)
			return RMUX_ERR_RANGE;
		/* Strictly ascending panes: one want per pane, canonical. */
		if (i > 0 && pane <= tmp.want[i - 1].pane)
			return RMUX_ERR_MALFORMED;
		tmp.want[i].pane = (uint32_t)pane;
		tmp.want[i].gen = (uint32_t)gen;
		tmp.want[i].line = line;
	}
	if ((err = reader_finish(&r)) != 0)
		return err;
	*w = tmp;
	return 0;
}

const struct transport_state_ops history_wants_ops = {
	wants_copy, wants_free, wants_diff, wants_apply, wants_equal, NULL,
};
