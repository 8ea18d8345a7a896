/* test_history.c — the history channel's states: chunks and limits
 * through diff, apply, decode and subtract; every truncation of an encoded
 * diff refused; the wants as a whole small state; the channel's key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "net/history.h"

/* A row of COLS cells with TEXT, in colour FG when non-zero. */
static struct view_row *text_row(unsigned cols, const char *text, uint32_t fg)
{
	struct view_row *r = view_row_create(cols);

	for (unsigned i = 0; text[i] != '\0' && i < cols; i++) {
		struct cell c;

		memset(&c, 0, sizeof c);
		c.ch = (unsigned char)text[i];
		c.fg = fg;
		view_row_set(r, i, &c, NULL, 0);
	}
	return r;
}

static void row_text(const struct view_row *r, char *out, size_t size)
{
	size_t n = 0;

	for (unsigned x = 0; x < view_row_cols(r) && n + 5 < size; x++)
		n += view_row_text(r, x, out + n);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* A chunk of pane PANE with lines FIRST.. numbered by their text. */
static void add_chunk(struct history_stream *s, uint32_t pane, uint32_t gen, uint64_t first,
    unsigned n)
{
	struct history_chunk c;
	char text[32];

	history_chunk_init(&c, pane, gen, first);
	for (unsigned i = 0; i < n; i++) {
		snprintf(text, sizeof text, "line %llu", (unsigned long long)(first + i));
		struct view_row *r = text_row(40, text, i % 3 == 0 ? 0 : 2 + i % 5);
		history_chunk_add(&c, r, (int)(i & 1));
		view_row_unref(r);
	}
	assert_int_equal(history_stream_add_chunk(s, &c), 0);
	history_chunk_free(&c);
}

static void check_chunk(const struct history_msg *m, uint32_t pane, uint32_t gen, uint64_t first,
    unsigned n)
{
	char want[32], got[64];

	assert_int_equal(m->type, HISTORY_MSG_CHUNK);
	assert_int_equal(m->pane, pane);
	assert_int_equal(m->gen, gen);
	assert_int_equal(m->first, first);
	assert_int_equal(m->n, n);
	for (unsigned i = 0; i < n; i++) {
		snprintf(want, sizeof want, "line %llu", (unsigned long long)(first + i));
		row_text(m->row[i], got, sizeof got);
		assert_string_equal(got, want);
		assert_int_equal(m->wrapped[i], i & 1);
		assert_int_equal(view_row_cols(m->row[i]), 40);
		assert_int_equal(view_row_cell(m->row[i], 0)->fg, i % 3 == 0 ? 0 : 2 + i % 5);
	}
}

/* The sender's stream goes through diff/apply to a receiver; the
 * receiver's transport_remote_diff()-style output decodes to the new
 * messages; subtracting what both hold empties the sender. */
static void test_stream_round_trip(void **state)
{
	(void)state;
	const struct transport_state_ops *ops = &history_stream_ops;
	struct history_stream *tx = history_stream_create(), *rx = history_stream_create();
	struct history_stream *sent0 = ops->copy(tx), *got = history_stream_create();
	struct history_msg m;
	struct buf d;

	assert_int_equal(history_stream_add_limit(tx, 1000), 0);
	add_chunk(tx, 3, 1, 100, 20);
	add_chunk(tx, 4, 9, 0, 1);
	assert_int_equal(history_stream_count(tx), 3);
	assert_int_equal(history_stream_end(tx), 4);
	assert_true(history_stream_wire(tx) > 20 * 10);
	assert_false(ops->equal(tx, sent0));

	buf_init(&d);
	ops->diff(sent0, tx, &d);
	assert_true(d.len > 0);
	assert_int_equal(ops->apply(rx, d.data, d.len), 0);
	assert_true(ops->equal(rx, tx));
	/* The same diff again does not start where RX ends. */
	assert_int_not_equal(ops->apply(rx, d.data, d.len), 0);
	assert_int_equal(history_stream_end(rx), 4);

	assert_int_equal(history_stream_decode(d.data, d.len, got), 0);
	assert_int_equal(history_stream_count(got), 3);
	assert_int_equal(history_stream_msg(got, 0, &m), 0);
	assert_int_equal(m.type, HISTORY_MSG_LIMIT);
	assert_int_equal(m.limit, 1000);
	assert_int_equal(m.num, 1);
	history_msg_clear(&m);
	assert_int_equal(history_stream_msg(got, 1, &m), 0);
	assert_int_equal(m.num, 2);
	check_chunk(&m, 3, 1, 100, 20);
	history_msg_clear(&m);
	assert_int_equal(history_stream_msg(got, 2, &m), 0);
	check_chunk(&m, 4, 9, 0, 1);
	history_msg_clear(&m);
	assert_int_not_equal(history_stream_msg(got, 3, &m), 0);
	buf_reset(&d);

	/* The peer acknowledged the first two: the sender keeps the rest. */
	struct history_stream *acked = ops->copy(tx);
	add_chunk(tx, 3, 1, 120, 5);
	ops->subtract(tx, acked);
	assert_int_equal(history_stream_count(tx), 1);
	assert_int_equal(history_stream_end(tx), 5);
	/* A diff from the acknowledged state carries only the new message. */
	ops->diff(acked, tx, &d);
	assert_int_equal(ops->apply(rx, d.data, d.len), 0);
	assert_int_equal(history_stream_end(rx), 5);
	assert_int_equal(history_stream_decode(d.data, d.len, got), 0);
	assert_int_equal(history_stream_count(got), 1);
	assert_int_equal(history_stream_msg(got, 0, &m), 0);
	assert_int_equal(m.num, 4);
	check_chunk(&m, 3, 1, 120, 5);
	history_msg_clear(&m);
	/* Equal streams: nothing at all. */
	buf_reset(&d);
	ops->diff(tx, tx, &d);
	assert_int_equal(d.len, 0);

	buf_free(&d);
	ops->free(acked);
	ops->free(sent0);
	history_stream_free(got);
	history_stream_free(rx);
	history_stream_free(tx);
}

/* Every proper prefix of a diff is refused by decode and by apply, and
 * leaves the target unchanged; so is the diff with a byte appended. */
static void test_stream_truncations(void **state)
{
	(void)state;
	const struct transport_state_ops *ops = &history_stream_ops;
	struct history_stream *tx = history_stream_create(), *empty = history_stream_create();
	struct buf d;

	history_stream_add_limit(tx, 50000);
	add_chunk(tx, 1, 2, 7, 6);
	buf_init(&d);
	ops->diff(empty, tx, &d);
	for (size_t len = 1; len < d.len; len++) {
		struct history_stream *rx = history_stream_create();

		assert_int_not_equal(history_stream_decode(d.data, len, rx), 0);
		assert_int_equal(history_stream_count(rx), 0);
		assert_int_not_equal(ops->apply(rx, d.data, len), 0);
		assert_int_equal(history_stream_end(rx), 1);
		history_stream_free(rx);
	}
	buf_add_u8(&d, 0);
	struct history_stream *rx = history_stream_create();
	assert_int_equal(history_stream_decode(d.data, d.len, rx), RMUX_ERR_TRAILING);
	history_stream_free(rx);
	buf_free(&d);
	history_stream_free(tx);
	history_stream_free(empty);
}

static void test_stream_limits(void **state)
{
	(void)state;
	struct history_stream *s = history_stream_create();
	struct history_chunk c;

	/* An empty chunk, a limit out of range, lines past the end. */
	history_chunk_init(&c, 1, 1, 5);
	assert_int_equal(history_stream_add_chunk(s, &c), RMUX_ERR_RANGE);
	assert_int_equal(history_stream_add_limit(s, HISTORY_LIMIT_MAX + 1), RMUX_ERR_RANGE);
	history_chunk_free(&c);
	history_chunk_init(&c, 1, 1, HISTORY_LINE_MAX);
	struct view_row *r = text_row(4, "x", 0);
	history_chunk_add(&c, r, 0);
	assert_int_equal(history_stream_add_chunk(s, &c), RMUX_ERR_RANGE);
	history_chunk_free(&c);
	/* The size estimate is what the message takes. */
	history_chunk_init(&c, 300, 70000, 123456);
	history_chunk_add(&c, r, 1);
	history_chunk_add(&c, r, 0);
	size_t before = history_stream_wire(s);
	assert_int_equal(history_stream_add_chunk(s, &c), 0);
	assert_int_equal(history_stream_wire(s) - before, history_chunk_bytes(&c));
	history_chunk_free(&c);
	view_row_unref(r);
	/* A stream refuses messages past its bound. */
	size_t n = history_stream_count(s);
	while (history_stream_add_limit(s, 1) == 0)
		n++;
	assert_int_equal(history_stream_count(s), HISTORY_STREAM_MSGS_MAX);
	assert_int_equal(n, HISTORY_STREAM_MSGS_MAX);
	history_stream_free(s);
}

/* The example of doc/PROTOCOL.md 11.4, byte for byte. */
static void test_example_bytes(void **state)
{
	(void)state;
	static const uint8_t want[] = { 0x01, 0x01, 0x0e, 0x01, 0x03, 0x01, 0x64, 0x01, 0x00, 0x0a,
		0x00, 0x02, 0x68, 0x69, 0x20, 0x08, 0x20 };
	struct history_stream *s = history_stream_create(), *empty = history_stream_create();
	struct view_row *r = text_row(10, "hi", 0);
	struct history_chunk c;
	struct buf d;

	history_chunk_init(&c, 3, 1, 100);
	history_chunk_add(&c, r, 0);
	assert_int_equal(history_stream_add_chunk(s, &c), 0);
	buf_init(&d);
	history_stream_ops.diff(empty, s, &d);
	assert_int_equal(d.len, sizeof want);
	assert_memory_equal(d.data, want, sizeof want);
	buf_free(&d);
	history_chunk_free(&c);
	view_row_unref(r);
	history_stream_free(s);
	history_stream_free(empty);
}

static void test_wants(void **state)
{
	(void)state;
	const struct transport_state_ops *ops = &history_wants_ops;
	struct history_wants *a = history_wants_create(), *b = history_wants_create();
	struct history_want list[] = { { 9, 2, 500 }, { 3, 1, 10 }, { 9, 5, 1 } };
	struct buf d;

	buf_init(&d);
	ops->diff(a, b, &d);
	assert_int_equal(d.len, 0);
	history_wants_set(a, list, 3);
	assert_int_equal(a->n, 2); /* one per pane, the first wins */
	assert_non_null(history_wants_find(a, 9));
	assert_int_equal(history_wants_find(a, 9)->line, 500);
	assert_int_equal(history_wants_find(a, 3)->gen, 1);
	assert_null(history_wants_find(a, 4));
	ops->diff(b, a, &d);
	assert_true(d.len > 0);
	assert_int_equal(ops->apply(b, d.data, d.len), 0);
	assert_true(ops->equal(a, b));
	for (size_t len = 1; len < d.len; len++) {
		struct history_wants *c = history_wants_create();

		assert_int_not_equal(ops->apply(c, d.data, len), 0);
		assert_int_equal(c->n, 0);
		history_wants_free(c);
	}
	/* Back to no wants: a one-byte diff, not nothing. */
	struct history_wants *none = history_wants_create();
	buf_reset(&d);
	ops->diff(b, none, &d);
	assert_int_equal(d.len, 1);
	assert_int_equal(ops->apply(b, d.data, d.len), 0);
	assert_int_equal(b->n, 0);
	/* Panes out of order are refused. */
	static const uint8_t bad[] = { 2, 5, 0, 0, 4, 0, 0 };
	assert_int_equal(ops->apply(b, bad, sizeof bad), RMUX_ERR_MALFORMED);
	buf_free(&d);
	history_wants_free(none);
	history_wants_free(a);
	history_wants_free(b);
}

static void test_key(void **state)
{
	(void)state;
	uint8_t k[CRYPTO_KEY_LEN], k2[CRYPTO_KEY_LEN], h[CRYPTO_KEY_LEN], h2[CRYPTO_KEY_LEN];

	for (int i = 0; i < CRYPTO_KEY_LEN; i++) {
		k[i] = (uint8_t)(i * 7 + 1);
		k2[i] = k[i];
	}
	k2[15] ^= 1;
	history_key_derive(k, h);
	history_key_derive(k, h2);
	assert_memory_equal(h, h2, CRYPTO_KEY_LEN);
	assert_memory_not_equal(h, k, CRYPTO_KEY_LEN);
	assert_int_not_equal(crypto_key_id(h), crypto_key_id(k));
	history_key_derive(k2, h2);
	assert_memory_not_equal(h, h2, CRYPTO_KEY_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_round_trip),
		cmocka_unit_test(test_stream_truncations),
		cmocka_unit_test(test_stream_limits),
		cmocka_unit_test(test_example_bytes),
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
