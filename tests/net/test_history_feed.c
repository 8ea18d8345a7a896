/* test_history_feed.c — the daemon's history scheduling (history_feed.h)
 * against fake pane histories, its stream taken through the client's
 * decoding into a mirror (mirror.h) with acknowledgements simulated by
 * subtract: the order of chunks (want, newest, idle), the window of
 * unacknowledged bytes, the limit, generations, panes hidden and shown,
 * that every line arrives exactly once, and that the feed gives way to
 * a flood on the live screen (but not to a typed command). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/mirror.h"
#include "common/util.h"
#include "net/history.h"
#include "server/history_feed.h"

struct fake_pane {
	uint32_t id;
	uint32_t gen;
	uint64_t base;
	uint32_t size;
	unsigned rows;
	unsigned gets;
};

struct fake {
	struct fake_pane pane[4];
	size_t n;
};

static struct view_row *fake_get(void *arg, uint64_t line, int *wrapped)
{
	struct fake_pane *p = arg;
	struct view_row *r;
	char text[32];
	int len;

	if (line >= p->base || line < p->base - p->size)
		return NULL;
	p->gets++;
	r = view_row_create(20);
	len = snprintf(text, sizeof text, "%u:%u:%llu", p->id, p->gen, (unsigned long long)line);
	for (int i = 0; i < len; i++) {
		struct cell c;

		memset(&c, 0, sizeof c);
		c.ch = (uint32_t)text[i];
		view_row_set(r, (unsigned)i, &c, NULL, 0);
	}
	*wrapped = (int)(line & 1);
	return r;
}

static int fake_lookup(void *arg, uint32_t id, struct history_feed_source *src)
{
	struct fake *f = arg;

	for (size_t i = 0; i < f->n; i++) {
		struct fake_pane *p = &f->pane[i];

		if (p->id != id)
			continue;
		src->gen = p->gen;
		src->base = p->base;
		src->size = p->size;
		src->rows = p->rows;
		src->get = fake_get;
		src->arg = p;
		return 1;
	}
	return 0;
}

/* The client: what it got, in order, and its mirror. */
struct client {
	struct history_stream *acked; /* what the daemon knows it holds */
	struct mirror *m;
	uint32_t limit;
	int limits;
	uint64_t order[200000];       /* lines in arrival order (pane 1 only) */
	size_t norder;
	unsigned chunks;
	uint64_t first_last; /* the last line of the first chunk of pane 1 */
};

static void client_init(struct client *c, unsigned limit)
{
	memset(c, 0, sizeof *c);
	c->acked = history_stream_create();
	c->m = mirror_create(limit);
}

static void client_free(struct client *c)
{
	history_stream_free(c->acked);
	mirror_free(c->m);
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

/* Deliver what STREAM holds beyond what the client acknowledged, through
 * the wire encoding, and acknowledge it (the daemon then forgets it). */
static void deliver(struct client *c, struct history_stream *stream)
{
	const struct transport_state_ops *ops = &history_stream_ops;
	struct history_stream *got = history_stream_create();
	struct buf d;

	buf_init(&d);
	ops->diff(c->acked, stream, &d);
	assert_int_equal(ops->apply(c->acked, d.data, d.len), 0);
	assert_int_equal(history_stream_decode(d.data, d.len, got), 0);
	for (size_t i = 0; i < history_stream_count(got); i++) {
		struct history_msg msg;
		char text[64], want[64];

		assert_int_equal(history_stream_msg(got, i, &msg), 0);
		if (msg.type == HISTORY_MSG_LIMIT) {
			c->limit = msg.limit;
			c->limits++;
			mirror_set_limit(c->m, msg.limit);
		} else {
			if (c->chunks++ == 0 && msg.pane == 1)
				c->first_last = msg.first + msg.n - 1;
			/* A chunk fits a datagram, give or take its last line. */
			assert_true(msg.n <= HISTORY_CHUNK_LINES_MAX);
			for (unsigned k = 0; k < msg.n; k++) {
				snprintf(want, sizeof want, "%u:%u:%llu", msg.pane, msg.gen,
				    (unsigned long long)(msg.first + k));
				row_text(msg.row[k], text, sizeof text);
				assert_string_equal(text, want);
				assert_int_equal(msg.wrapped[k], (msg.first + k) & 1);
				if (msg.pane == 1 && c->norder < RMUX_NITEMS(c->order))
					c->order[c->norder++] = msg.first + k;
				mirror_add(c->m, msg.pane, msg.gen, msg.first + k, msg.row[k],
				    msg.wrapped[k]);
				msg.row[k] = NULL;
			}
		}
		history_msg_clear(&msg);
	}
	ops->subtract(stream, c->acked);
	ops->subtract(c->acked, c->acked);
	buf_free(&d);
	history_stream_free(got);
}

/* The daemon's clock: a second per pass unless a test says otherwise, so
 * the growth between passes is never a flood by accident. */
static uint64_t clock_ms;

static uint64_t tick(void)
{
	clock_ms += 1000;
	return clock_ms;
}

/* Run passes (each delivered and acknowledged) until nothing is added;
 * returns the passes. */
static unsigned run(struct history_feed *feed, struct history_stream *stream, struct fake *f,
    struct client *c, const struct history_wants *w, unsigned limit, int busy)
{
	uint32_t ids[4];
	unsigned passes = 0;

	for (size_t i = 0; i < f->n; i++)
		ids[i] = f->pane[i].id;
	for (;;) {
		size_t added = history_feed_update(feed, stream, ids, f->n, fake_lookup, f, w, limit,
		    busy, tick());

		assert_true(history_stream_wire(stream) <
		    (size_t)(busy ? HISTORY_FEED_BUSY_WINDOW : HISTORY_FEED_WINDOW) + 2 * 1024);
		deliver(c, stream);
		passes++;
		if (added == 0)
			break;
	}
	return passes;
}

/* Newest first, then older in idle time; every line once; all held. */
static void test_newest_first_all_once(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 0, 5000, 5000, 24, 0 } }, .n = 1 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	static struct client c;
	uint32_t ids[] = { 1 };

	client_init(&c, 50000);
	/* One pass: the limit first, then the newest lines, within the window. */
	assert_true(history_feed_update(feed, stream, ids, 1, fake_lookup, &f, NULL, 50000, 0,
	    tick()) > 0);
	assert_true(history_stream_wire(stream) >= HISTORY_FEED_WINDOW);
	assert_true(history_stream_wire(stream) < HISTORY_FEED_WINDOW + 2 * 1024);
	/* The window is full: nothing more until acknowledged. */
	assert_int_equal(history_feed_update(feed, stream, ids, 1, fake_lookup, &f, NULL, 50000, 0,
	    tick()), 0);
	deliver(&c, stream);
	assert_int_equal(c.limits, 1);
	assert_int_equal(c.limit, 50000);
	/* The first chunk ends just above the screen. */
	assert_int_equal(c.first_last, 4999);
	run(feed, stream, &f, &c, NULL, 50000, 0);
	assert_int_equal(c.norder, 5000);
	assert_int_equal(mirror_count(c.m, 1), 5000);
	/* Each line once, and the lines near the screen before older ones. */
	static uint8_t seen[5000];
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < c.norder; i++) {
		assert_int_equal(seen[c.order[i]], 0);
		seen[c.order[i]] = 1;
	}
	assert_true(c.order[c.norder - 1] < 100);
	assert_int_equal(c.limits, 1);
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

/* While the live view is busy: the smaller window and only the newest
 * HISTORY_FEED_NEAR lines; the rest once it is idle. */
static void test_busy(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 0, 5000, 5000, 24, 0 } }, .n = 1 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	static struct client c;

	client_init(&c, 50000);
	run(feed, stream, &f, &c, NULL, 50000, 1);
	assert_int_equal(mirror_count(c.m, 1), HISTORY_FEED_NEAR);
	for (size_t i = 0; i < c.norder; i++)
		assert_true(c.order[i] >= 5000 - HISTORY_FEED_NEAR);
	run(feed, stream, &f, &c, NULL, 50000, 0);
	assert_int_equal(mirror_count(c.m, 1), 5000);
	assert_int_equal(c.norder, 5000);
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

/* A want far up comes before the newest lines, and its page is whole. */
static void test_want_first(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 3, 20000, 20000, 24, 0 } }, .n = 1 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	struct history_wants *w = history_wants_create();
	struct history_want one = { 1, 3, 1000 };
	static struct client c;
	uint32_t ids[] = { 1 };

	client_init(&c, 50000);
	history_wants_set(w, &one, 1);
	history_feed_update(feed, stream, ids, 1, fake_lookup, &f, w, 50000, 0, tick());
	deliver(&c, stream);
	assert_int_equal(c.order[0], 1000);
	for (uint64_t l = 1000 - 24; l < 1000 + 48; l++)
		assert_non_null(mirror_get(c.m, 1, 3, l, NULL));
	/* A want of another generation is ignored: newest first. */
	struct history_feed *feed2 = history_feed_create();
	struct history_stream *stream2 = history_stream_create();
	static struct client c2;
	one.gen = 2;
	history_wants_set(w, &one, 1);
	client_init(&c2, 50000);
	history_feed_update(feed2, stream2, ids, 1, fake_lookup, &f, w, 50000, 0, tick());
	deliver(&c2, stream2);
	assert_int_equal(c2.first_last, 19999);
	history_feed_free(feed2);
	history_stream_free(stream2);
	client_free(&c2);
	history_wants_free(w);
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

/* The limit bounds what is sent; a new limit is sent again; a new
 * generation sends everything again; a hidden pane is sent again when
 * shown; two panes both get served. */
static void test_limit_gen_panes(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 0, 3000, 3000, 24, 0 }, { 2, 0, 800, 800, 10, 0 } },
		.n = 2 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	static struct client c;

	client_init(&c, 50000);
	run(feed, stream, &f, &c, NULL, 1000, 0);
	assert_int_equal(c.limit, 1000);
	assert_int_equal(mirror_count(c.m, 1), 1000);
	assert_int_equal(mirror_count(c.m, 2), 800);
	for (size_t i = 0; i < c.norder; i++)
		assert_true(c.order[i] >= 2000);

	/* More output: only the new lines go. */
	f.pane[0].base = 3100;
	f.pane[0].size = 3100;
	size_t before = c.norder;
	run(feed, stream, &f, &c, NULL, 1000, 0);
	assert_int_equal(c.norder - before, 100);
	assert_int_equal(mirror_count(c.m, 1), 1000);

	/* A new generation: everything within the limit again. */
	f.pane[0].gen = 1;
	before = c.norder;
	run(feed, stream, &f, &c, NULL, 1000, 0);
	assert_int_equal(c.norder - before, 1000);
	assert_null(mirror_get(c.m, 1, 0, 3099, NULL));
	assert_non_null(mirror_get(c.m, 1, 1, 3099, NULL));

	/* A smaller limit is announced and bounds the mirror. */
	run(feed, stream, &f, &c, NULL, 300, 0);
	assert_int_equal(c.limit, 300);
	assert_int_equal(c.limits, 2);
	assert_int_equal(mirror_count(c.m, 1), 300);
	assert_int_equal(mirror_count(c.m, 2), 300);

	/* Pane 2 hidden, then shown: sent again from scratch. */
	f.n = 1;
	run(feed, stream, &f, &c, NULL, 300, 0);
	f.n = 2;
	f.pane[1].gets = 0;
	run(feed, stream, &f, &c, NULL, 300, 0);
	assert_int_equal(f.pane[1].gets, 300);

	/* Limit 0: nothing is sent at all. */
	f.pane[0].gen = 2;
	f.pane[0].gets = 0;
	run(feed, stream, &f, &c, NULL, 0, 0);
	assert_int_equal(c.limit, 0);
	assert_int_equal(f.pane[0].gets, 0);
	assert_int_equal(mirror_count(c.m, 1), 0);
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

/* One pass at NOW, delivered and acknowledged; the lines added. In a
 * flood the window is the busy one. */
static size_t step(struct history_feed *feed, struct history_stream *stream, struct fake *f,
    struct client *c, const struct history_wants *w, unsigned limit, int busy, uint64_t now)
{
	uint32_t ids[4];
	size_t added;

	for (size_t i = 0; i < f->n; i++)
		ids[i] = f->pane[i].id;
	added = history_feed_update(feed, stream, ids, f->n, fake_lookup, f, w, limit, busy, now);
	if (history_feed_flood(feed))
		assert_true(history_stream_wire(stream) <
		    (size_t)HISTORY_FEED_BUSY_WINDOW + 2 * 1024);
	deliver(c, stream);
	return added;
}

/* Output: LINES more lines scroll into pane P's history, which holds at
 * most CAP. */
static void grow(struct fake_pane *p, uint64_t lines, uint32_t cap)
{
	p->base += lines;
	p->size = (uint32_t)RMUX_MIN(p->base, (uint64_t)cap);
}

/* A flood (`seq`): nothing is sent while the pane's history grows fast,
 * except the lines copy mode wants; the flood lasts until the growth has
 * stopped for HISTORY_FEED_FLOOD_MS and the live view is acknowledged;
 * then the newest lines go first and only those within the limit. */
static void test_flood(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 0, 5000, 5000, 24, 0 } }, .n = 1 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	struct history_wants *w = history_wants_create();
	static struct client c;
	const unsigned limit = 20000;
	uint64_t t = tick(), stopped, base;
	size_t before;

	client_init(&c, limit);
	assert_true(step(feed, stream, &f, &c, NULL, limit, 0, t) > 0);
	assert_int_equal(history_feed_flood(feed), 0);
	before = c.norder;
	/* 500 lines every 10 ms, the live view never acknowledged. */
	for (int i = 0; i < 200; i++) {
		t += 10;
		grow(&f.pane[0], 500, 100000);
		assert_int_equal(step(feed, stream, &f, &c, NULL, limit, 1, t), 0);
		assert_int_equal(history_feed_flood(feed), 1);
	}
	assert_int_equal(c.norder, before);
	/* Copy mode at the top of the limit: its page still comes. */
	struct history_want one = { 1, 0, f.pane[0].base - limit + 100 };
	history_wants_set(w, &one, 1);
	for (int i = 0; i < 3; i++) {
		t += 10;
		grow(&f.pane[0], 500, 100000);
		one.line += 500;
		history_wants_set(w, &one, 1);
		assert_true(step(feed, stream, &f, &c, w, limit, 1, t) > 0);
		assert_int_equal(history_feed_flood(feed), 1);
		for (uint64_t l = one.line; l < one.line + 24; l++)
			assert_non_null(mirror_get(c.m, 1, 0, l, NULL));
	}
	t += 10;
	grow(&f.pane[0], 500, 100000);
	assert_int_equal(step(feed, stream, &f, &c, NULL, limit, 1, t), 0);
	stopped = t;
	base = f.pane[0].base;
	/* The growth stopped: still a flood for FLOOD_MS, and a pass is due
	 * when that ends. */
	t = stopped + HISTORY_FEED_FLOOD_MS / 2;
	assert_int_equal(step(feed, stream, &f, &c, NULL, limit, 0, t), 0);
	assert_int_equal(history_feed_flood(feed), 1);
	assert_int_equal(history_feed_wake(feed), stopped + HISTORY_FEED_FLOOD_MS);
	/* Then until the live view's last state is acknowledged. */
	t = stopped + HISTORY_FEED_FLOOD_MS + 10;
	assert_int_equal(step(feed, stream, &f, &c, NULL, limit, 1, t), 0);
	assert_int_equal(history_feed_flood(feed), 1);
	assert_int_equal(history_feed_wake(feed), UINT64_MAX);
	before = c.norder;
	t += 10;
	assert_true(step(feed, stream, &f, &c, NULL, limit, 0, t) > 0);
	assert_int_equal(history_feed_flood(feed), 0);
	assert_int_equal(history_feed_wake(feed), UINT64_MAX);
	/* Newest first: the first chunk after the flood ends at the screen. */
	size_t newest = before;
	while (newest < c.norder && newest < before + HISTORY_CHUNK_LINES_MAX &&
	    c.order[newest] != base - 1)
		newest++;
	assert_true(newest < c.norder && c.order[newest] == base - 1);
	run(feed, stream, &f, &c, NULL, limit, 0);
	assert_int_equal(mirror_count(c.m, 1), limit);
	/* Nothing sent after the flood fell outside the limit, none twice. */
	assert_true(c.norder - before <= limit);
	for (size_t i = before; i < c.norder; i++)
		assert_true(c.order[i] >= base - limit && c.order[i] < base);
	history_wants_free(w);
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

/* A typed command is no flood: its echo leaves the live view
 * unacknowledged for a round trip and adds a line or two, and the new
 * lines keep coming; so does one burst of output after a quiet spell. A
 * second burst within FLOOD_MS makes a flood. */
static void test_typing_not_flood(void **state)
{
	(void)state;
	struct fake f = { .pane = { { 1, 0, 3000, 3000, 24, 0 } }, .n = 1 };
	struct history_feed *feed = history_feed_create();
	struct history_stream *stream = history_stream_create();
	static struct client c;
	uint64_t t;

	client_init(&c, 50000);
	run(feed, stream, &f, &c, NULL, 50000, 0);
	assert_int_equal(mirror_count(c.m, 1), 3000);
	t = tick();
	for (int i = 0; i < 50; i++) {
		t += 100;
		grow(&f.pane[0], 1 + (unsigned)(i & 1), 100000);
		assert_true(step(feed, stream, &f, &c, NULL, 50000, 1, t) > 0);
		assert_int_equal(history_feed_flood(feed), 0);
		assert_non_null(mirror_get(c.m, 1, 0, f.pane[0].base - 1, NULL));
	}
	t += 5000;
	grow(&f.pane[0], 300, 100000);
	assert_true(step(feed, stream, &f, &c, NULL, 50000, 1, t) > 0);
	assert_int_equal(history_feed_flood(feed), 0);
	assert_non_null(mirror_get(c.m, 1, 0, f.pane[0].base - 1, NULL));
	t += HISTORY_FEED_FLOOD_MS / 5;
	grow(&f.pane[0], 300, 100000);
	assert_int_equal(step(feed, stream, &f, &c, NULL, 50000, 1, t), 0);
	assert_int_equal(history_feed_flood(feed), 1);
	assert_null(mirror_get(c.m, 1, 0, f.pane[0].base - 1, NULL));
	history_feed_free(feed);
	history_stream_free(stream);
	client_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newest_first_all_once),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_want_first),
		cmocka_unit_test(test_limit_gen_panes),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_typing_not_flood),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
