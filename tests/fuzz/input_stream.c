/* input_stream.c — fuzz harness for the client-to-server state decoders
 * (net/input_stream.h): input_stream_decode() and the transport's apply,
 * what the daemon does with input events from a buggy or hostile client.
 * The input is one diff. Checked: a decoded stream holds events within the
 * limits, numbered one after the other; applied to a stream that ends
 * where the diff starts it gives the same events; and the encoder writes
 * exactly the input back (one spelling per stream). */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/input_stream.h"

static void check_event(const struct input_event *ev, uint64_t num)
{
	FUZZ_CHECK(ev->num == num);
	switch (ev->type) {
	case INPUT_KEY:
		break;
	case INPUT_PASTE:
		FUZZ_CHECK(ev->len <= INPUT_PASTE_MAX && (ev->len == 0 || ev->data != NULL));
		break;
	case INPUT_MOUSE:
		FUZZ_CHECK(ev->kind < INPUT_MOUSE_KINDS && ev->button <= INPUT_MOUSE_BUTTON_MAX);
		FUZZ_CHECK(ev->x <= INPUT_COORD_MAX && ev->y <= INPUT_COORD_MAX);
		FUZZ_CHECK((ev->mods & ~INPUT_MOD_MASK) == 0);
		break;
	case INPUT_FOCUS:
		FUZZ_CHECK(ev->focus_in == 0 || ev->focus_in == 1);
		break;
	case INPUT_RESIZE:
		FUZZ_CHECK(ev->cols >= 1 && ev->cols <= INPUT_SIZE_MAX);
		FUZZ_CHECK(ev->rows >= 1 && ev->rows <= INPUT_SIZE_MAX);
		break;
	case INPUT_COMMAND: {
		size_t total = 0;
		FUZZ_CHECK(ev->argc >= 1 && ev->argc <= INPUT_COMMAND_ARGC_MAX);
		for (unsigned i = 0; i < ev->argc; i++) {
			const char *a = input_event_arg(ev, i);
			FUZZ_CHECK(a != NULL);
			total += strlen(a) + 1;
		}
		FUZZ_CHECK(total <= INPUT_COMMAND_BYTES_MAX);
		FUZZ_CHECK(input_event_arg(ev, ev->argc) == NULL);
		break;
	}
	default:
		FUZZ_CHECK(0);
	}
}

static int same_event(const struct input_event *a, const struct input_event *b)
{
	if (a->num != b->num || a->type != b->type || a->key != b->key || a->kind != b->kind ||
	    a->button != b->button || a->x != b->x || a->y != b->y || a->mods != b->mods ||
	    a->focus_in != b->focus_in || a->cols != b->cols || a->rows != b->rows ||
	    a->len != b->len || a->argc != b->argc)
		return 0;
	return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_stream *s = input_stream_create();
	const struct transport_state_ops *ops = &input_stream_ops;

	int err = input_stream_decode(data, size, s);
	if (err != 0) {
		FUZZ_CHECK(err < 0 && err >= RMUX_ERR_RANGE);
		/* Left unchanged: still the empty stream it was. */
		FUZZ_CHECK(input_stream_count(s) == 0 && input_stream_end(s) == 1);
		/* The transport's apply refuses it too. */
		struct input_stream *t = ops->copy(s);
		FUZZ_CHECK(ops->apply(t, data, size) != 0 || size == 0);
		ops->free(t);
		input_stream_free(s);
		return 0;
	}
	size_t n = input_stream_count(s);
	FUZZ_CHECK((n == 0) == (size == 0));
	if (n == 0) {
		input_stream_free(s);
		return 0;
	}
	uint64_t first = input_stream_event(s, 0)->num;
	FUZZ_CHECK(first >= 1 && input_stream_end(s) == first + n);
	for (size_t i = 0; i < n; i++)
		check_event(input_stream_event(s, i), first + i);

	/* A stream ending where the diff starts: empty (first 1) or one
	 * event in front. */
	struct input_stream *base = input_stream_create();
	if (first > 1) {
		struct buf pre;
		buf_init(&pre);
		buf_add_varint(&pre, first - 1);
		buf_add_varint(&pre, 1);
		buf_add_u8(&pre, INPUT_FOCUS);
		buf_add_u8(&pre, 1);
		FUZZ_CHECK(input_stream_decode(pre.data, pre.len, base) == 0);
		buf_free(&pre);
	}
	FUZZ_CHECK(input_stream_end(base) == first);

	struct buf b;
	buf_init(&b);
	ops->diff(base, s, &b);
	if (b.len != size || memcmp(b.data, data, size) != 0) {
		fprintf(stderr, "fuzz: %zu bytes re-encode as %zu different bytes\n", size, b.len);
		FUZZ_CHECK(0);
	}
	buf_free(&b);

	struct input_stream *applied = ops->copy(base);
	FUZZ_CHECK(ops->apply(applied, data, size) == 0);
	FUZZ_CHECK(ops->equal(applied, s));
	size_t off = input_stream_count(base);
	FUZZ_CHECK(input_stream_count(applied) == off + n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(same_event(input_stream_event(applied, off + i), input_stream_event(s, i)));
	/* Once the receiver knows everything, nothing is left to hold. */
	ops->subtract(applied, s);
	FUZZ_CHECK(input_stream_count(applied) == 0 && input_stream_end(applied) == first + n);
	ops->free(applied);
	input_stream_free(base);
	input_stream_free(s);
	return 0;
}
