/* history.c — fuzz harness for the history channel's decoders
 * (net/history.h): the message stream (what a client does with chunks
 * from a buggy or hostile daemon) and the wants (what the daemon does with
 * a client's). The first byte picks which: even, a stream diff; odd, a
 * wants diff. Checked: errors are RMUX_ERR_* and change nothing; a decoded
 * stream's messages all decode, within their limits, numbered one after
 * the other, and the stream re-encodes to the input; applied to a stream
 * ending where the diff starts it gives the same end; wants re-encode to
 * the input. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/history.h"

static void fuzz_stream(const uint8_t *data, size_t size)
{
	const struct transport_state_ops *ops = &history_stream_ops;
	struct history_stream *s = history_stream_create();
	int err = history_stream_decode(data, size, s);

	if (err != 0) {
		FUZZ_CHECK(err < 0 && err >= RMUX_ERR_RANGE);
		FUZZ_CHECK(history_stream_count(s) == 0 && history_stream_end(s) == 1);
		struct history_stream *t = ops->copy(s);
		FUZZ_CHECK(ops->apply(t, data, size) != 0);
		ops->free(t);
		history_stream_free(s);
		return;
	}
	size_t n = history_stream_count(s);
	FUZZ_CHECK((n == 0) == (size == 0));
	if (n == 0) {
		history_stream_free(s);
		return;
	}
	uint64_t first = history_stream_end(s) - n;
	for (size_t i = 0; i < n; i++) {
		struct history_msg m;

		FUZZ_CHECK(history_stream_msg(s, i, &m) == 0);
		FUZZ_CHECK(m.num == first + i);
		if (m.type == HISTORY_MSG_CHUNK) {
			FUZZ_CHECK(m.n >= 1 && m.n <= HISTORY_CHUNK_LINES_MAX);
			for (unsigned k = 0; k < m.n; k++) {
				FUZZ_CHECK(m.row[k] != NULL && m.wrapped[k] <= 1);
				FUZZ_CHECK(view_row_cols(m.row[k]) >= 1);
				FUZZ_CHECK(view_row_cols(m.row[k]) <= VIEW_COLS_MAX);
			}
		} else {
			FUZZ_CHECK(m.type == HISTORY_MSG_LIMIT && m.limit <= HISTORY_LIMIT_MAX);
		}
		history_msg_clear(&m);
	}

	/* A stream ending where the diff starts. */
	struct history_stream *base = history_stream_create();
	if (first > 1) {
		struct buf pre;
		buf_init(&pre);
		buf_add_varint(&pre, first - 1);
		buf_add_varint(&pre, 1);
		buf_add_varint(&pre, 2);
		buf_add_u8(&pre, HISTORY_MSG_LIMIT);
		buf_add_u8(&pre, 7);
		FUZZ_CHECK(history_stream_decode(pre.data, pre.len, base) == 0);
		buf_free(&pre);
	}
	FUZZ_CHECK(history_stream_end(base) == first);
	struct buf b;
	buf_init(&b);
	ops->diff(base, s, &b);
	FUZZ_CHECK(b.len == size && memcmp(b.data, data, size) == 0);
	buf_free(&b);
	struct history_stream *applied = ops->copy(base);
	FUZZ_CHECK(ops->apply(applied, data, size) == 0);
	FUZZ_CHECK(ops->equal(applied, s));
	ops->subtract(applied, s);
	FUZZ_CHECK(history_stream_count(applied) == 0);
	ops->free(applied);
	history_stream_free(base);
	history_stream_free(s);
}

static void fuzz_wants(const uint8_t *data, size_t size)
{
	const struct transport_state_ops *ops = &history_wants_ops;
	struct history_wants *w = history_wants_create(), *empty = history_wants_create();
	int err = ops->apply(w, data, size);

	if (err != 0) {
		FUZZ_CHECK(err < 0 && err >= RMUX_ERR_RANGE);
		FUZZ_CHECK(w->n == 0);
	} else {
		FUZZ_CHECK(w->n <= HISTORY_WANTS_MAX);
		for (size_t i = 1; i < w->n; i++)
			FUZZ_CHECK(w->want[i - 1].pane < w->want[i].pane);
		if (w->n > 0) {
			struct buf b;
			buf_init(&b);
			ops->diff(empty, w, &b);
			FUZZ_CHECK(b.len == size && memcmp(b.data, data, size) == 0);
			buf_free(&b);
		}
	}
	ops->free(w);
	ops->free(empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_wants(data + 1, size - 1);
	else
		fuzz_stream(data + 1, size - 1);
	return 0;
}
