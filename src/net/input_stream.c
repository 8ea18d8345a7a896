/* input_stream.c — the input event stream state (see input_stream.h): the
 * events, their wire encoding, and the transport operations. Payloads
 * (paste bytes, command arguments) are shared between copies of a stream
 * by reference count, because the transport keeps a copy per sent state. */
#include "net/input_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* A receiver holds at most this many events not yet handed out by
 * transport_remote_diff(); beyond it diffs are refused (back pressure). */
#define INPUT_STREAM_HELD_MAX (4 * INPUT_STREAM_EVENTS_MAX)
#define HELD_WIRE_MAX (4 * INPUT_STREAM_WIRE_MAX)
/* Numbers stay far from overflow. */
#define INPUT_NUM_MAX (UINT64_C(1) << 62)

struct input_blob {
	unsigned refs;
	size_t len;
	uint8_t data[];
};

struct slot {
	struct input_event ev;
	struct input_blob *blob; /* NULL unless paste or command */
	size_t wire;             /* bytes of its encoding */
};

struct input_stream {
	uint64_t first; /* number of slot[0], or of the next event when empty */
	struct slot *slot;
	size_t n, cap;
	size_t wire; /* sum of slot[].wire */
};

static size_t varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static struct input_blob *blob_create(size_t len)
{
	struct input_blob *b = xmalloc(sizeof *b + (len ? len : 1));

	b->refs = 1;
	b->len = len;
	return b;
}

static void blob_unref(struct input_blob *b)
{
	if (b != NULL && --b->refs == 0)
		free(b);
}

struct input_stream *input_stream_create(void)
{
	struct input_stream *s = xcalloc(1, sizeof *s);

	s->first = 1;
	return s;
}

static void drop_front(struct input_stream *s, size_t k)
{
	for (size_t i = 0; i < k; i++) {
		s->wire -= s->slot[i].wire;
		blob_unref(s->slot[i].blob);
	}
	if (k > 0 && k < s->n)
		memmove(s->slot, s->slot + k, (s->n - k) * sizeof *s->slot);
	s->n -= k;
	s->first += k;
}

void input_stream_free(struct input_stream *s)
{
	if (s == NULL)
		return;
	drop_front(s, s->n);
	free(s->slot);
	free(s);
}

size_t input_stream_count(const struct input_stream *s)
{
	return s->n;
}

const struct input_event *input_stream_event(const struct input_stream *s, size_t i)
{
	return i < s->n ? &s->slot[i].ev : NULL;
}

uint64_t input_stream_end(const struct input_stream *s)
{
	return s->first + s->n;
}

const char *input_event_arg(const struct input_event *ev, unsigned i)
{
	const char *p = (const char *)ev->data;

	if (ev->type != INPUT_COMMAND || i >= ev->argc)
		return NULL;
	while (i-- > 0)
		p += strlen(p) + 1;
	return p;
}

/* The encoding of one event, without its type byte's neighbours: see
 * doc/PROTOCOL.md 8.1. */
static void encode_event(const struct input_event *ev, struct buf *out)
{
	const char *p;

	buf_add_u8(out, (uint8_t)ev->type);
	switch (ev->type) {
	case INPUT_KEY:
		buf_add_varint(out, ev->key);
		break;
	case INPUT_PASTE:
		buf_add_varint(out, ev->len);
		buf_add(out, ev->data, ev->len);
		break;
	case INPUT_MOUSE:
		buf_add_u8(out, (uint8_t)ev->kind);
		buf_add_u8(out, (uint8_t)ev->button);
		buf_add_varint(out, ev->x);
		buf_add_varint(out, ev->y);
		buf_add_u8(out, (uint8_t)ev->mods);
		break;
	case INPUT_FOCUS:
		buf_add_u8(out, ev->focus_in ? 1 : 0);
		break;
	case INPUT_RESIZE:
		buf_add_varint(out, ev->cols);
		buf_add_varint(out, ev->rows);
		break;
	case INPUT_COMMAND:
		buf_add_varint(out, ev->argc);
		p = (const char *)ev->data;
		for (unsigned i = 0; i < ev->argc; i++) {
			size_t n = strlen(p);
			buf_add_varint(out, n);
			buf_add(out, p, n);
			p += n + 1;
		}
		break;
	}
}

static size_t event_wire(const struct input_event *ev)
{
	size_t n = 1;
	const char *p;

	switch (ev->type) {
	case INPUT_KEY:
		return n + varint_len(ev->key);
	case INPUT_PASTE:
		return n + varint_len(ev->len) + ev->len;
	case INPUT_MOUSE:
		return n + 3 + varint_len(ev->x) + varint_len(ev->y);
	case INPUT_FOCUS:
		return n + 1;
	case INPUT_RESIZE:
		return n + varint_len(ev->cols) + varint_len(ev->rows);
	case INPUT_COMMAND:
		n += varint_len(ev->argc);
		p = (const char *)ev->data;
		for (unsigned i = 0; i < ev->argc; i++) {
			size_t k = strlen(p);
			n += varint_len(k) + k;
			p += k + 1;
		}
		return n;
	}
	return n;
}

/* Append EV (its number is assigned here) taking BLOB's reference. */
static int push(struct input_stream *s, const struct input_event *ev, struct input_blob *blob,
    size_t events_max, size_t wire_max)
{
	struct input_event e = *ev;
	size_t wire;
	struct slot *sl;

	if (blob != NULL) {
		e.data = blob->data;
		e.len = blob->len;
	}
	wire = event_wire(&e);
	if (s->n >= events_max || s->wire + wire > wire_max) {
		blob_unref(blob);
		return RMUX_ERR_TOO_BIG;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->slot = xreallocarray(s->slot, s->cap, sizeof *s->slot);
	}
	sl = &s->slot[s->n];
	sl->ev = e;
	sl->ev.num = s->first + s->n;
	sl->blob = blob;
	sl->wire = wire;
	s->n++;
	s->wire += wire;
	return 0;
}

int input_stream_add_key(struct input_stream *s, uint64_t key)
{
	struct input_event ev = { .type = INPUT_KEY, .key = key };

	return push(s, &ev, NULL, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

int input_stream_add_paste(struct input_stream *s, const void *data, size_t len)
{
	struct input_event ev = { .type = INPUT_PASTE };
	struct input_blob *b;

	if (len > INPUT_PASTE_MAX)
		return RMUX_ERR_TOO_BIG;
	b = blob_create(len);
	if (len > 0)
		memcpy(b->data, data, len);
	return push(s, &ev, b, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

int input_stream_add_mouse(struct input_stream *s, unsigned kind, unsigned button, unsigned x,
    unsigned y, unsigned mods)
{
	struct input_event ev = { .type = INPUT_MOUSE, .kind = kind, .button = button, .x = x,
		.y = y, .mods = mods };

	if (kind >= INPUT_MOUSE_KINDS || button > INPUT_MOUSE_BUTTON_MAX || x > INPUT_COORD_MAX ||
	    y > INPUT_COORD_MAX || (mods & ~INPUT_MOD_MASK) != 0)
		return RMUX_ERR_RANGE;
	return push(s, &ev, NULL, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

int input_stream_add_focus(struct input_stream *s, int focus_in)
{
	struct input_event ev = { .type = INPUT_FOCUS, .focus_in = focus_in ? 1 : 0 };

	return push(s, &ev, NULL, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

int input_stream_add_resize(struct input_stream *s, unsigned cols, unsigned rows)
{
	struct input_event ev = { .type = INPUT_RESIZE, .cols = cols, .rows = rows };

	if (cols < 1 || rows < 1 || cols > INPUT_SIZE_MAX || rows > INPUT_SIZE_MAX)
		return RMUX_ERR_RANGE;
	return push(s, &ev, NULL, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

int input_stream_add_command(struct input_stream *s, unsigned argc, const char *const *argv)
{
	struct input_event ev = { .type = INPUT_COMMAND, .argc = argc };
	struct input_blob *b;
	size_t total = 0, at = 0;

	if (argc < 1 || argc > INPUT_COMMAND_ARGC_MAX)
		return RMUX_ERR_RANGE;
	for (unsigned i = 0; i < argc; i++) {
		total += strlen(argv[i]) + 1;
		if (total > INPUT_COMMAND_BYTES_MAX)
			return RMUX_ERR_TOO_BIG;
	}
	b = blob_create(total);
	for (unsigned i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(b->data + at, argv[i], n);
		at += n;
	}
	return push(s, &ev, b, INPUT_STREAM_EVENTS_MAX, INPUT_STREAM_WIRE_MAX);
}

/* Decode one event into EV (and *BLOB) from R; 0 or RMUX_ERR_*. */
static int decode_event(struct reader *r, struct input_event *ev, struct input_blob **blob)
{
	uint8_t type, u8a, u8b, u8c;
	uint64_t a, b;
	const uint8_t *p;
	int err;

	memset(ev, 0, sizeof *ev);
	*blob = NULL;
	if ((err = reader_u8(r, &type)) != 0)
		return err;
	ev->type = type;
	switch (type) {
	case INPUT_KEY:
		return reader_varint(r, &ev->key);
	case INPUT_PASTE:
		if ((err = reader_varint(r, &a)) != 0)
			return err;
		if (a > INPUT_PASTE_MAX)
			return RMUX_ERR_TOO_BIG;
		if ((err = reader_view(r, &p, a)) != 0)
			return err;
		*blob = blob_create(a);
		if (a > 0)
			memcpy((*blob)->data, p, a);
		return 0;
	case INPUT_MOUSE:
		reader_u8(r, &u8a);
		reader_u8(r, &u8b);
		reader_varint(r, &a);
		reader_varint(r, &b);
		if ((err = reader_u8(r, &u8c)) != 0)
			return err;
		if (u8a >= INPUT_MOUSE_KINDS || u8b > INPUT_MOUSE_BUTTON_MAX || a > INPUT_COORD_MAX ||
		    b > INPUT_COORD_MAX || (u8c & ~INPUT_MOD_MASK) != 0)
			return RMUX_ERR_RANGE;
		ev->kind = u8a;
		ev->button = u8b;
		ev->x = (unsigned)a;
		ev->y = (unsigned)b;
		ev->mods = u8c;
		return 0;
	case INPUT_FOCUS:
		if ((err = reader_u8(r, &u8a)) != 0)
			return err;
		if (u8a > 1)
			return RMUX_ERR_RANGE;
		ev->focus_in = u8a;
		return 0;
	case INPUT_RESIZE:
		reader_varint(r, &a);
		if ((err = reader_varint(r, &b)) != 0)
			return err;
		if (a < 1 || b < 1 || a > INPUT_SIZE_MAX || b > INPUT_SIZE_MAX)
			return RMUX_ERR_RANGE;
		ev->cols = (unsigned)a;
		ev->rows = (unsigned)b;
		return 0;
	case INPUT_COMMAND: {
		struct reader save;
		size_t total = 0, at = 0;

		if ((err = reader_varint(r, &a)) != 0)
			return err;
		if (a < 1 || a > INPUT_COMMAND_ARGC_MAX)
			return RMUX_ERR_RANGE;
		/* Measure and check first, then copy. */
		save = *r;
		for (uint64_t i = 0; i < a; i++) {
			if ((err = reader_varint(r, &b)) != 0)
				return err;
			if (b > INPUT_COMMAND_BYTES_MAX || total + b + 1 > INPUT_COMMAND_BYTES_MAX)
				return RMUX_ERR_TOO_BIG;
			if ((err = reader_view(r, &p, b)) != 0)
				return err;
			if (memchr(p, '\0', b) != NULL)
				return RMUX_ERR_MALFORMED;
			total += b + 1;
		}
		*r = save;
		*blob = blob_create(total);
		for (uint64_t i = 0; i < a; i++) {
			reader_varint(r, &b);
			reader_view(r, &p, b);
			memcpy((*blob)->data + at, p, b);
			(*blob)->data[at + b] = '\0';
			at += b + 1;
		}
		ev->argc = (unsigned)a;
		return 0;
	}
	}
	return RMUX_ERR_MALFORMED;
}

/* Decode a whole diff into a new stream; NULL and *ERR on failure. */
static struct input_stream *decode_diff(const uint8_t *diff, size_t len, size_t held_max, int *err)
{
	struct input_stream *s = input_stream_create();
	struct reader r;
	uint64_t first, count;
	struct input_event ev;
	struct input_blob *blob;

	*err = 0;
	if (len == 0)
		return s;
	reader_init(&r, diff, len);
	reader_varint(&r, &first);
	if ((*err = reader_varint(&r, &count)) != 0)
		goto out;
	if (first < 1 || first > INPUT_NUM_MAX || count < 1 || count > held_max) {
		*err = RMUX_ERR_RANGE;
		goto out;
	}
	s->first = first;
	for (uint64_t i = 0; i < count; i++) {
		if ((*err = decode_event(&r, &ev, &blob)) != 0) {
			blob_unref(blob);
			goto out;
		}
		if ((*err = push(s, &ev, blob, held_max, HELD_WIRE_MAX)) != 0)
			goto out;
	}
	*err = reader_finish(&r);
out:
	if (*err != 0) {
		input_stream_free(s);
		return NULL;
	}
	return s;
}

int input_stream_decode(const uint8_t *diff, size_t len, struct input_stream *out)
{
	struct input_stream *s, tmp;
	int err;

	if ((s = decode_diff(diff, len, INPUT_STREAM_HELD_MAX, &err)) == NULL)
		return err;
	tmp = *out;
	*out = *s;
	*s = tmp;
	input_stream_free(s);
	return 0;
}

/* --- transport operations --- */

static void *ops_copy(const void *p)
{
	const struct input_stream *s = p;
	struct input_stream *c = xcalloc(1, sizeof *c);

	c->first = s->first;
	c->n = c->cap = s->n;
	c->wire = s->wire;
	if (s->n > 0) {
		c->slot = xreallocarray(NULL, s->n, sizeof *c->slot);
		memcpy(c->slot, s->slot, s->n * sizeof *c->slot);
		for (size_t i = 0; i < s->n; i++) {
			if (c->slot[i].blob != NULL)
				c->slot[i].blob->refs++;
		}
	}
	return c;
}

static void ops_free(void *p)
{
	input_stream_free(p);
}

/* Streams only grow, and both ends number events alike, so two streams
 * with the same end hold the same events (minus what was subtracted). */
static int ops_equal(const void *pa, const void *pb)
{
	return input_stream_end(pa) == input_stream_end(pb);
}

static void ops_diff(const void *pfrom, const void *pto, struct buf *out)
{
	const struct input_stream *from = pfrom, *to = pto;
	uint64_t start = input_stream_end(from), end = input_stream_end(to);

	if (end <= start)
		return;
	/* The transport subtracts only what the peer holds, and FROM is a
	 * state the peer may hold, so TO still has every event after it. */
	if (start < to->first)
		abort();
	buf_add_varint(out, start);
	buf_add_varint(out, end - start);
	for (size_t i = (size_t)(start - to->first); i < to->n; i++)
		encode_event(&to->slot[i].ev, out);
}

static int ops_apply(void *p, const uint8_t *diff, size_t len)
{
	struct input_stream *s = p, *d;
	int err;

	if (len == 0)
		return 0;
	if ((d = decode_diff(diff, len, INPUT_STREAM_HELD_MAX, &err)) == NULL)
		return err;
	if (d->first != input_stream_end(s) || s->n + d->n > INPUT_STREAM_HELD_MAX) {
		input_stream_free(d);
		return RMUX_ERR_RANGE;
	}
	for (size_t i = 0; i < d->n; i++) {
		/* Cannot fail: the bound was checked above. */
		push(s, &d->slot[i].ev, d->slot[i].blob, SIZE_MAX, SIZE_MAX);
	}
	free(d->slot);
	free(d);
	return 0;
}

static void ops_subtract(void *p, const void *pknown)
{
	struct input_stream *s = p;
	uint64_t known_end = input_stream_end(pknown);

	if (known_end > s->first)
		drop_front(s, (size_t)RMUX_MIN(known_end - s->first, (uint64_t)s->n));
}

const struct transport_state_ops input_stream_ops = {
	ops_copy, ops_free, ops_diff, ops_apply, ops_equal, ops_subtract,
};
