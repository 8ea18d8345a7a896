/* msg_stream.c — the numbered message stream (see msg_stream.h): the
 * array of shared messages with their numbers, its bounds, and the
 * transport operations; the message encodings belong to the stream types. */
#include "net/msg_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"

struct msg_stream {
	const struct msg_stream_type *type;
	uint64_t first; /* number of msg[0], or of the next message when empty */
	struct msg_stream_msg **msg;
	size_t n, cap;
	size_t wire; /* sum of msg[]->wire */
};

size_t msg_stream_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void msg_unref(struct msg_stream_msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

struct msg_stream *msg_stream_create(const struct msg_stream_type *type)
{
	struct msg_stream *s = xcalloc(1, sizeof *s);

	s->type = type;
	s->first = 1;
	return s;
}

static void drop_front(struct msg_stream *s, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		s->wire -= s->msg[i]->wire;
		msg_unref(s->msg[i]);
	}
	if (k > 0 && k < s->n)
		memmove(&s->msg[0], &s->msg[k], (s->n - k) * sizeof s->msg[0]);
	s->n -= k;
	s->first += k;
}

void msg_stream_free(struct msg_stream *s)
{
	if (s == NULL)
		return;
	drop_front(s, s->n);
	free(s->msg);
	free(s);
}

/* Append M within the bounds given, taking its reference. */
static int push(struct msg_stream *s, struct msg_stream_msg *m, size_t msgs_max, size_t wire_max)
{
	if (s->n >= msgs_max || s->wire + m->wire > wire_max) {
		msg_unref(m);
		return RMUX_ERR_TOO_BIG;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->msg = xreallocarray(s->msg, s->cap, sizeof *s->msg);
	}
	s->msg[s->n++] = m;
	s->wire += m->wire;
	return 0;
}

int msg_stream_push(struct msg_stream *s, struct msg_stream_msg *m)
{
	return push(s, m, s->type->msgs_max, s->type->wire_max);
}

size_t msg_stream_count(const struct msg_stream *s)
{
	return s->n;
}

size_t msg_stream_wire(const struct msg_stream *s)
{
	return s->wire;
}

uint64_t msg_stream_end(const struct msg_stream *s)
{
	return s->first + s->n;
}

const struct msg_stream_msg *msg_stream_at(const struct msg_stream *s, size_t i)
{
	return i < s->n ? s->msg[i] : NULL;
}

/* Decode a whole diff into a new stream of TYPE; NULL and *ERR on failure. */
static struct msg_stream *decode_diff(const struct msg_stream_type *type, const uint8_t *diff,
    size_t len, int *err)
{
	struct msg_stream *s = msg_stream_create(type);
	struct msg_stream_msg *m;
	struct reader r;
	uint64_t first, count;

	*err = 0;
	if (len == 0)
		return s;
	reader_init(&r, diff, len);
	reader_varint(&r, &first);
	if ((*err = reader_varint(&r, &count)) != 0)
		goto out;
	if (first < 1 || first > type->num_max || count < 1 || count > type->held_msgs_max) {
		*err = RMUX_ERR_RANGE;
		goto out;
	}
	s->first = first;
	for (uint64_t i = 0; i < count; i++) {
		if ((*err = type->decode(&r, first + i, &m)) != 0)
			goto out;
		if ((*err = push(s, m, type->held_msgs_max, type->held_wire_max)) != 0)
			goto out;
	}
	*err = reader_finish(&r);
out:
	if (*err != 0) {
		msg_stream_free(s);
		return NULL;
	}
	return s;
}

int msg_stream_decode(const uint8_t *diff, size_t len, struct msg_stream *out)
{
	struct msg_stream *s, tmp;
	int err;

	if ((s = decode_diff(out->type, diff, len, &err)) == NULL)
		return err;
	tmp = *out;
	*out = *s;
	*s = tmp;
	msg_stream_free(s);
	return 0;
}

/* --- transport operations --- */

void *msg_stream_op_copy(const void *p)
{
	const struct msg_stream *s = p;
	struct msg_stream *c = xcalloc(1, sizeof *c);

	c->type = s->type;
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

void msg_stream_op_free(void *p)
{
	msg_stream_free(p);
}

/* Streams only grow and both ends number messages alike, so two streams
 * with the same end hold the same messages (minus what was subtracted). */
int msg_stream_op_equal(const void *a, const void *b)
{
	return msg_stream_end(a) == msg_stream_end(b);
}

void msg_stream_op_diff(const void *pfrom, const void *pto, struct buf *out)
{
	const struct msg_stream *from = pfrom, *to = pto;
	uint64_t start = msg_stream_end(from), end = msg_stream_end(to);

	if (end <= start)
		return;
	/* The transport subtracts only what the peer holds, and FROM is a
	 * state the peer may hold, so TO still has every message after it. */
	if (start < to->first)
		abort();
	buf_add_varint(out, start);
	buf_add_varint(out, end - start);
	for (size_t i = (size_t)(start - to->first); i < to->n; i++)
		to->type->encode(to->msg[i], out);
}

int msg_stream_op_apply(void *p, const uint8_t *diff, size_t len)
{
	struct msg_stream *s = p, *d;
	int err;

	if (len == 0)
		return 0;
	if ((d = decode_diff(s->type, diff, len, &err)) == NULL)
		return err;
	if (d->first != msg_stream_end(s) || s->n + d->n > s->type->held_msgs_max ||
	    s->wire + d->wire > s->type->held_wire_max) {
		msg_stream_free(d);
		return RMUX_ERR_RANGE;
	}
	for (size_t i = 0; i < d->n; i++) {
		/* Cannot fail: the bounds were checked above. */
		(void)push(s, d->msg[i], SIZE_MAX, SIZE_MAX);
	}
	free(d->msg);
	free(d);
	return 0;
}

void msg_stream_op_subtract(void *p, const void *pknown)
{
	struct msg_stream *s = p;
	uint64_t known_end = msg_stream_end(pknown);

	if (known_end > s->first)
		drop_front(s, (size_t)RMUX_MIN(known_end - s->first, (uint64_t)s->n));
}
