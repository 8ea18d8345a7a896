/* input_stream.c — the input event stream state (see input_stream.h): the
 * events and their wire encoding; the stream itself is a msg_stream. An
 * event's payload (paste bytes, command arguments) lives in its message,
 * shared between copies of a stream like the message. */
#include "net/input_stream.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/msg_stream.h"

/* Numbers stay far from overflow. */
#define INPUT_NUM_MAX (UINT64_C(1) << 62)

/* A message: the event, then its payload (EV.DATA points at it). */
struct input_msg {
	struct msg_stream_msg hdr;
	struct input_event ev;
	uint8_t data[];
};

/* A stream is a msg_stream of input_type (below): the public type only
 * keeps callers from handing it where another stream is wanted. */
static struct msg_stream *ms(struct input_stream *s)
{
	return (struct msg_stream *)s;
}

static const struct msg_stream *cms(const struct input_stream *s)
{
	return (const struct msg_stream *)s;
}

size_t input_stream_count(const struct input_stream *s)
{
	return msg_stream_count(cms(s));
}

const struct input_event *input_stream_event(const struct input_stream *s, size_t i)
{
	const struct input_msg *m = (const struct input_msg *)msg_stream_at(cms(s), i);

	return m != NULL ? &m->ev : NULL;
}

uint64_t input_stream_end(const struct input_stream *s)
{
	return msg_stream_end(cms(s));
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
		return n + msg_stream_varint_len(ev->key);
	case INPUT_PASTE:
		return n + msg_stream_varint_len(ev->len) + ev->len;
	case INPUT_MOUSE:
		return n + 3 + msg_stream_varint_len(ev->x) + msg_stream_varint_len(ev->y);
	case INPUT_FOCUS:
		return n + 1;
	case INPUT_RESIZE:
		return n + msg_stream_varint_len(ev->cols) + msg_stream_varint_len(ev->rows);
	case INPUT_COMMAND:
		n += msg_stream_varint_len(ev->argc);
		p = (const char *)ev->data;
		for (unsigned i = 0; i < ev->argc; i++) {
			size_t k = strlen(p);
			n += msg_stream_varint_len(k) + k;
			p += k + 1;
		}
		return n;
	}
	return n;
}

/* A message for EV with room for LEN bytes of payload (paste, command). */
static struct input_msg *msg_create(const struct input_event *ev, size_t len)
{
	struct input_msg *m = xmalloc(sizeof *m + (len ? len : 1));

	m->hdr.refs = 1;
	m->ev = *ev;
	if (ev->type == INPUT_PASTE || ev->type == INPUT_COMMAND) {
		m->ev.data = m->data;
		m->ev.len = len;
	}
	return m;
}

/* M as message number NUM, its payload written. */
static struct msg_stream_msg *msg_seal(struct input_msg *m, uint64_t num)
{
	m->ev.num = num;
	m->hdr.wire = event_wire(&m->ev);
	return &m->hdr;
}

static int add(struct input_stream *s, struct input_msg *m)
{
	return msg_stream_push(ms(s), msg_seal(m, input_stream_end(s)));
}

int input_stream_add_key(struct input_stream *s, uint64_t key)
{
	struct input_event ev = { .type = INPUT_KEY, .key = key };

	return add(s, msg_create(&ev, 0));
}

int input_stream_add_paste(struct input_stream *s, const void *data, size_t len)
{
	struct input_event ev = { .type = INPUT_PASTE };
	struct input_msg *m;

	if (len > INPUT_PASTE_MAX)
		return RMUX_ERR_TOO_BIG;
	m = msg_create(&ev, len);
	if (len > 0)
		memcpy(m->data, data, len);
	return add(s, m);
}

int input_stream_add_mouse(struct input_stream *s, unsigned kind, unsigned button, unsigned x,
    unsigned y, unsigned mods)
{
	struct input_event ev = { .type = INPUT_MOUSE, .kind = kind, .button = button, .x = x,
		.y = y, .mods = mods };

	if (kind >= INPUT_MOUSE_KINDS || button > INPUT_MOUSE_BUTTON_MAX || x > INPUT_COORD_MAX ||
	    y > INPUT_COORD_MAX || (mods & ~INPUT_MOD_MASK) != 0)
		return RMUX_ERR_RANGE;
	return add(s, msg_create(&ev, 0));
}

int input_stream_add_focus(struct input_stream *s, int focus_in)
{
	struct input_event ev = { .type = INPUT_FOCUS, .focus_in = focus_in ? 1 : 0 };

	return add(s, msg_create(&ev, 0));
}

int input_stream_add_resize(struct input_stream *s, unsigned cols, unsigned rows)
{
	struct input_event ev = { .type = INPUT_RESIZE, .cols = cols, .rows = rows };

	if (cols < 1 || rows < 1 || cols > INPUT_SIZE_MAX || rows > INPUT_SIZE_MAX)
		return RMUX_ERR_RANGE;
	return add(s, msg_create(&ev, 0));
}

int input_stream_add_command(struct input_stream *s, unsigned argc, const char *const *argv)
{
	struct input_event ev = { .type = INPUT_COMMAND, .argc = argc };
	struct input_msg *m;
	size_t total = 0, at = 0;

	if (argc < 1 || argc > INPUT_COMMAND_ARGC_MAX)
		return RMUX_ERR_RANGE;
	for (unsigned i = 0; i < argc; i++) {
		total += strlen(argv[i]) + 1;
		if (total > INPUT_COMMAND_BYTES_MAX)
			return RMUX_ERR_TOO_BIG;
	}
	m = msg_create(&ev, total);
	for (unsigned i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(m->data + at, argv[i], n);
		at += n;
	}
	return add(s, m);
}

/* Decode one event into EV from R, and into *M when it has a payload; 0
 * or RMUX_ERR_* (and *M NULL). */
static int decode_event(struct reader *r, struct input_event *ev, struct input_msg **m)
{
	uint8_t type, u8a, u8b, u8c;
	uint64_t a, b;
	const uint8_t *p;
	int err;

	memset(ev, 0, sizeof *ev);
	*m = NULL;
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
		*m = msg_create(ev, a);
		if (a > 0)
			memcpy((*m)->data, p, a);
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
		ev->argc = (unsigned)a;
		*m = msg_create(ev, total);
		for (uint64_t i = 0; i < a; i++) {
			reader_varint(r, &b);
			reader_view(r, &p, b);
			memcpy((*m)->data + at, p, b);
			(*m)->data[at + b] = '\0';
			at += b + 1;
		}
		return 0;
	}
	}
	return RMUX_ERR_MALFORMED;
}

static int decode_msg(struct reader *r, uint64_t num, struct msg_stream_msg **out)
{
	struct input_event ev;
	struct input_msg *m;
	int err;

	if ((err = decode_event(r, &ev, &m)) != 0)
		return err;
	if (m == NULL)
		m = msg_create(&ev, 0);
	*out = msg_seal(m, num);
	return 0;
}

static void encode_msg(const struct msg_stream_msg *m, struct buf *out)
{
	encode_event(&((const struct input_msg *)m)->ev, out);
}

/* A receiver holds at most four times what a sender may have in flight,
 * counting the events not yet handed out by transport_remote_diff();
 * beyond it diffs are refused (back pressure). */
static const struct msg_stream_type input_type = {
	.msgs_max = INPUT_STREAM_EVENTS_MAX,
	.wire_max = INPUT_STREAM_WIRE_MAX,
	.held_msgs_max = 4 * INPUT_STREAM_EVENTS_MAX,
	.held_wire_max = 4 * INPUT_STREAM_WIRE_MAX,
	.num_max = INPUT_NUM_MAX,
	.encode = encode_msg,
	.decode = decode_msg,
};

struct input_stream *input_stream_create(void)
{
	return (struct input_stream *)msg_stream_create(&input_type);
}

void input_stream_free(struct input_stream *s)
{
	msg_stream_free(ms(s));
}

int input_stream_decode(const uint8_t *diff, size_t len, struct input_stream *out)
{
	return msg_stream_decode(diff, len, ms(out));
}

const struct transport_state_ops input_stream_ops = MSG_STREAM_TRANSPORT_OPS;
