/* history.c — the history channel's states (see history.h): the message
 * stream with its wire encoding and transport operations, the wants, and
 * the channel's key. Messages are kept as their encodings, shared between
 * copies by reference count (the transport keeps a copy per sent state). */
#include "net/history.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"

struct history_blob {
	unsigned refs;
	size_t len;
	uint8_t data[];
};

struct history_stream {
	uint64_t first; /* number of msg[0], or of the next message when empty */
	struct history_blob **msg;
	size_t n, cap;
	size_t wire; /* bytes of the held messages' encodings, length prefixes included */
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

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static struct history_blob *blob_create(const uint8_t *data, size_t len)
{
	struct history_blob *b = xmalloc(sizeof *b + (len ? len : 1));

	b->refs = 1;
	b->len = len;
	if (len > 0)
		memcpy(b->data, data, len);
	return b;
}

static void blob_unref(struct history_blob *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

static size_t blob_wire(const struct history_blob *b)
{
	return varint_len(b->len) + b->len;
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
	size_t len = 1 + varint_len(c->pane) + varint_len(c->gen) + varint_len(c->first) +
	    varint_len(c->n) + c->lines.len;

	return varint_len(len) + len;
}

void history_chunk_free(struct history_chunk *c)
{
	buf_free(&c->lines);
	c->n = 0;
}

/* --- the stream --- */

struct history_stream *history_stream_create(void)
{
	struct history_stream *s = xcalloc(1, sizeof *s);

	s->first = 1;
	return s;
}

static void drop_front(struct history_stream *s, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		s->wire -= blob_wire(s->msg[i]);
		blob_unref(s->msg[i]);
	}
	if (k > 0 && k < s->n)
		memmove(&s->msg[0], &s->msg[k], (s->n - k) * sizeof s->msg[0]);
	s->n -= k;
	s->first += k;
}

void history_stream_free(struct history_stream *s)
{
	if (s == NULL)
		return;
	drop_front(s, s->n);
	free(s->msg);
	free(s);
}

/* Append a blob (taking the reference). */
static int push(struct history_stream *s, struct history_blob *b)
{
	if (s->n >= HISTORY_STREAM_MSGS_MAX || s->wire + blob_wire(b) > HISTORY_STREAM_WIRE_MAX) {
		blob_unref(b);
		return RMUX_ERR_TOO_BIG;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->msg = xreallocarray(s->msg, s->cap, sizeof *s->msg);
	}
	s->msg[s->n++] = b;
	s->wire += blob_wire(b);
	return 0;
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
	err = push(s, blob_create(b.data, b.len));
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
	err = push(s, blob_create(b.data, b.len));
	buf_free(&b);
	return err;
}

size_t history_stream_count(const struct history_stream *s)
{
	return s->n;
}

size_t history_stream_wire(const struct history_stream *s)
{
	return s->wire;
}

uint64_t history_stream_end(const struct history_stream *s)
{
	return s->first + s->n;
}

int history_stream_msg(const struct history_stream *s, size_t i, struct history_msg *m)
{
	int err;

	if (i >= s->n) {
		memset(m, 0, sizeof *m);
		return RMUX_ERR_RANGE;
	}
	err = msg_parse(s->msg[i]->data, s->msg[i]->len, m, 1);
	m->num = s->first + i;
	return err;
}

/* Decode a whole diff into a new stream; NULL and *ERR on failure. */
static struct history_stream *decode_diff(const uint8_t *diff, size_t len, int *err)
{
	struct history_stream *s = history_stream_create();
	struct history_msg m;
	struct reader r;
	uint64_t first, count, mlen;
	const uint8_t *p;

	*err = 0;
	if (len == 0)
		return s;
	reader_init(&r, diff, len);
	reader_varint(&r, &first);
	if ((*err = reader_varint(&r, &count)) != 0)
		goto out;
	if (first < 1 || first > HISTORY_LINE_MAX || count < 1 || count > HISTORY_STREAM_MSGS_MAX) {
		*err = RMUX_ERR_RANGE;
		goto out;
	}
	s->first = first;
	for (uint64_t i = 0; i < count; i++) {
		if ((*err = reader_varint(&r, &mlen)) != 0)
			goto out;
		if (mlen < 1 || mlen > HISTORY_MSG_BYTES_MAX) {
			*err = RMUX_ERR_TOO_BIG;
			goto out;
		}
		if ((*err = reader_view(&r, &p, (size_t)mlen)) != 0)
			goto out;
		if ((*err = msg_parse(p, (size_t)mlen, &m, 0)) != 0)
			goto out;
		if ((*err = push(s, blob_create(p, (size_t)mlen))) != 0)
			goto out;
	}
	*err = reader_finish(&r);
out:
	if (*err != 0) {
		history_stream_free(s);
		return NULL;
	}
	return s;
}

int history_stream_decode(const uint8_t *diff, size_t len, struct history_stream *out)
{
	struct history_stream *s, tmp;
	int err;

	if ((s = decode_diff(diff, len, &err)) == NULL)
		return err;
	tmp = *out;
	*out = *s;
	*s = tmp;
	history_stream_free(s);
	return 0;
}

static void *stream_copy(const void *p)
{
	const struct history_stream *s = p;
	struct history_stream *c = xcalloc(1, sizeof *c);

	c->first = s->first;
	c->n = c->cap = s->n;
	c->wire = s->wire;
	if (s->n > 0) {
		c->msg = xreallocarray(NULL, s->n, sizeof *c->msg);
		memcpy(c->msg, s->msg, s->n * sizeof *c->msg);
		for (size_t i = 0; i < s->n; i++)
			c->msg[i]->refs++;
	}
	return c;
}

static void stream_free(void *p)
{
	history_stream_free(p);
}

/* Streams only grow and both ends number messages alike. */
static int stream_equal(const void *a, const void *b)
{
	return history_stream_end(a) == history_stream_end(b);
}

static void stream_diff(const void *pfrom, const void *pto, struct buf *out)
{
	const struct history_stream *from = pfrom, *to = pto;
	uint64_t start = history_stream_end(from), end = history_stream_end(to);

	if (end <= start)
		return;
	/* FROM is a state the peer may hold and only what it holds is
	 * subtracted, so TO still has every message after it. */
	if (start < to->first)
		abort();
	buf_add_varint(out, start);
	buf_add_varint(out, end - start);
	for (size_t i = (size_t)(start - to->first); i < to->n; i++) {
		buf_add_varint(out, to->msg[i]->len);
		buf_add(out, to->msg[i]->data, to->msg[i]->len);
	}
}

static int stream_apply(void *p, const uint8_t *diff, size_t len)
{
	struct history_stream *s = p, *d;
	int err;

	if (len == 0)
		return 0;
	if ((d = decode_diff(diff, len, &err)) == NULL)
		return err;
	if (d->first != history_stream_end(s) || s->n + d->n > HISTORY_STREAM_MSGS_MAX ||
	    s->wire + d->wire > HISTORY_STREAM_WIRE_MAX) {
		history_stream_free(d);
		return RMUX_ERR_RANGE;
	}
	for (size_t i = 0; i < d->n; i++) {
		/* Cannot fail: the bounds were checked above. */
		(void)push(s, d->msg[i]);
	}
	free(d->msg);
	free(d);
	return 0;
}

static void stream_subtract(void *p, const void *pknown)
{
	struct history_stream *s = p;
	uint64_t known_end = history_stream_end(pknown);

	if (known_end > s->first)
		drop_front(s, (size_t)RMUX_MIN(known_end - s->first, (uint64_t)s->n));
}

const struct transport_state_ops history_stream_ops = {
	stream_copy, stream_free, stream_diff, stream_apply, stream_equal, stream_subtract,
};

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
