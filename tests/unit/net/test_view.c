/* test_view.c — the view state: diff/apply round trips over thousands of
 * seeded random edits (cells, wide characters, clusters, RGB, scrolls,
 * resizes, splits and closes), diff sizes, sharing of unchanged rows, and
 * refusal of corrupt or truncated diffs without side effects. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "net/view.h"
#include "term/screen.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static unsigned rndn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* --- an independent comparison, cell by cell --- */

static void assert_row_same(const struct view_row *a, const struct view_row *b)
{
	char ta[CLUSTER_MAX_BYTES], tb[CLUSTER_MAX_BYTES];

	assert_int_equal(view_row_cols(a), view_row_cols(b));
	for (unsigned x = 0; x < view_row_cols(a); x++) {
		const struct cell *ca = view_row_cell(a, x), *cb = view_row_cell(b, x);
		size_t la = view_row_text(a, x, ta), lb = view_row_text(b, x, tb);
		assert_int_equal(ca->attr, cb->attr);
		assert_int_equal(ca->fg, cb->fg);
		assert_int_equal(ca->bg, cb->bg);
		assert_int_equal(ca->link, cb->link);
		if (!(ca->attr & CELL_CLUSTER))
			assert_int_equal(ca->ch, cb->ch);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
	}
}

static void assert_view_same(const struct view *a, const struct view *b)
{
	assert_true(a->echo_ack == b->echo_ack);
	assert_string_equal(a->session, b->session);
	assert_int_equal(a->nwindows, b->nwindows);
	for (size_t i = 0; i < a->nwindows; i++) {
		assert_int_equal(a->window[i].index, b->window[i].index);
		assert_int_equal(a->window[i].flags, b->window[i].flags);
		assert_string_equal(a->window[i].name, b->window[i].name);
	}
	assert_int_equal(a->cols, b->cols);
	assert_int_equal(a->rows, b->rows);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->active_pane, b->active_pane);
	assert_int_equal(a->npanes, b->npanes);
	for (size_t i = 0; i < a->npanes; i++) {
		const struct view_pane *p = &a->pane[i], *q = &b->pane[i];
		assert_int_equal(p->id, q->id);
		assert_int_equal(p->x, q->x);
		assert_int_equal(p->y, q->y);
		assert_int_equal(p->cols, q->cols);
		assert_int_equal(p->rows, q->rows);
		assert_int_equal(p->cx, q->cx);
		assert_int_equal(p->cy, q->cy);
		assert_int_equal(p->cursor_shape, q->cursor_shape);
		assert_int_equal(p->flags, q->flags);
		assert_int_equal(p->modes, q->modes);
		assert_string_equal(p->title, q->title);
		for (unsigned y = 0; y < p->rows; y++)
			assert_row_same(p->line[y], q->line[y]);
	}
	assert_int_equal(a->nstatus, b->nstatus);
	for (unsigned i = 0; i < a->nstatus; i++)
		assert_row_same(a->status[i], b->status[i]);
	assert_int_equal(a->message == NULL, b->message == NULL);
	if (a->message != NULL) {
		assert_row_same(a->message, b->message);
		assert_int_equal(a->message_cx, b->message_cx);
	}
	assert_string_equal(a->key_table, b->key_table);
	assert_true(a->bells == b->bells);
	assert_true(a->redraws == b->redraws);
	assert_true(a->suspends == b->suspends);
	assert_true(a->clipboards == b->clipboards);
	assert_string_equal(a->clip_target, b->clip_target);
	assert_int_equal(a->cliplen, b->cliplen);
	if (a->cliplen > 0)
		assert_memory_equal(a->clip, b->clip, a->cliplen);
}

/* --- random content --- */

static const char *const clusters[] = {
	"e\xcc\x81",                     /* e + combining acute */
	"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", /* thumbs up + skin tone */
	"a\xcc\x8a\xcc\xa3",             /* a + two marks */
};

static uint32_t rnd_colour(void)
{
	switch (rndn(4)) {
	case 0:
		return COLOUR_DEFAULT;
	case 1:
		return colour_palette(rndn(256));
	default:
		return colour_rgb(rndn(256), rndn(256), rndn(256));
	}
}

/* A row that looks like terminal output: words in a few styles, some
 * wide characters, clusters and blank tails. */
static struct view_row *rnd_row(unsigned cols)
{
	struct view_row *r = view_row_create(cols);
	struct cell pen = { 0, 0, 0, 0, 0 };
	unsigned x = 0, end = cols - rndn(cols / 2 + 1);

	while (x < end) {
		struct cell c = pen;
		unsigned k = rndn(100);

		if (rndn(10) == 0) {
			pen.fg = rnd_colour();
			pen.bg = rndn(3) ? COLOUR_DEFAULT : rnd_colour();
			pen.attr = (uint16_t)(rndn(4) ? 0 : (rnd() & ATTR_STYLE_MASK));
			pen.link = (uint16_t)(rndn(20) ? 0 : 1 + rndn(5));
			continue;
		}
		if (k < 80) {
			c.ch = 'a' + rndn(26);
			view_row_set(r, x++, &c, NULL, 0);
		} else if (k < 90 && x + 1 < end) {
			/* A wide character and its tail, as the screen leaves them. */
			c.ch = rndn(4) ? 0x4e00 + rndn(0x100) : 0x1f600 + rndn(0x40);
			c.attr |= CELL_WIDE;
			view_row_set(r, x++, &c, NULL, 0);
			c.ch = 0;
			c.attr = (uint16_t)(pen.attr | CELL_WIDE_TAIL);
			view_row_set(r, x++, &c, NULL, 0);
		} else if (k < 95) {
			const char *t = clusters[rndn(RMUX_NITEMS(clusters))];
			c.attr |= CELL_CLUSTER;
			view_row_set(r, x++, &c, t, strlen(t));
		} else if (k < 98) {
			c.ch = 0xe9 + rndn(40);
			view_row_set(r, x++, &c, NULL, 0);
		} else {
			/* An odd cell: a lone tail, a wide cell at the edge. */
			c.ch = rndn(2) ? 0 : 'Z';
			c.attr |= rndn(2) ? CELL_WIDE_TAIL : CELL_WIDE;
			view_row_set(r, x++, &c, NULL, 0);
		}
	}
	return r;
}

static void rnd_string(char *out, size_t size)
{
	size_t n = rndn((unsigned)size - 1);

	for (size_t i = 0; i < n; i++)
		out[i] = (char)('A' + rndn(58));
	out[n] = '\0';
}

/* --- a random view being edited --- */

struct model {
	struct view *v;
	uint32_t next_id;
};

/* Vertical strips over the pane area, each pane keeping its id. */
static void relayout(struct model *m, unsigned cols, unsigned rows, const uint32_t *ids, size_t n,
    unsigned nstatus)
{
	struct view_layout_pane lp[16];
	unsigned area = rows - nstatus, x = 0;

	assert_true(n <= 16);
	for (size_t i = 0; i < n; i++) {
		unsigned w = (cols - x) / (unsigned)(n - i);
		assert_true(w >= 1);
		lp[i] = (struct view_layout_pane){ ids[i], x, 0, w, area };
		x += w;
	}
	view_set_layout(m->v, cols, rows, (uint32_t)rndn(4), n ? ids[rndn((unsigned)n)] : 0, lp, n,
	    nstatus);
}

static void pane_ids(const struct view *v, uint32_t *ids)
{
	for (size_t i = 0; i < v->npanes; i++)
		ids[i] = v->pane[i].id;
}

static void edit_rows(struct view *v, struct view_pane *p, unsigned count)
{
	for (unsigned k = 0; k < count; k++)
		view_set_pane_row(v, p, rndn(p->rows), rnd_row(p->cols));
}

static void edit_cell(struct view *v, struct view_pane *p)
{
	unsigned y = rndn(p->rows), x = rndn(p->cols);
	const struct view_row *old = p->line[y];
	struct view_row *r = view_row_create(p->cols);
	struct cell c = { 'a' + rndn(26), rnd_colour(), 0, 0, 0 };
	char text[CLUSTER_MAX_BYTES];

	for (unsigned i = 0; i < p->cols; i++) {
		size_t len = view_row_text(old, i, text);
		view_row_set(r, i, view_row_cell(old, i), text, len);
	}
	view_row_set(r, x, &c, NULL, 0);
	view_set_pane_row(v, p, y, r);
}

static void scroll(struct view *v, struct view_pane *p, unsigned k, int up)
{
	if (k >= p->rows)
		k = p->rows - 1;
	if (up) {
		for (unsigned y = 0; y + k < p->rows; y++)
			view_set_pane_row(v, p, y, view_row_ref(p->line[y + k]));
		for (unsigned y = p->rows - k; y < p->rows; y++)
			view_set_pane_row(v, p, y, rnd_row(p->cols));
	} else {
		for (unsigned y = p->rows; y-- > k;)
			view_set_pane_row(v, p, y, view_row_ref(p->line[y - k]));
		for (unsigned y = 0; y < k; y++)
			view_set_pane_row(v, p, y, rnd_row(p->cols));
	}
}

static void mutate(struct model *m)
{
	struct view *v = m->v;
	uint32_t ids[16];
	char s[24];
	unsigned what = rndn(20);
	struct view_pane *p = v->npanes ? &v->pane[rndn((unsigned)v->npanes)] : NULL;

	pane_ids(v, ids);
	switch (what) {
	case 0: /* resize */
		relayout(m, 10 + rndn(120), 4 + rndn(50), ids, v->npanes, rndn(3));
		break;
	case 1: /* split */
		if (v->npanes < 6) {
			ids[v->npanes] = m->next_id++;
			relayout(m, v->cols, v->rows, ids, v->npanes + 1, v->nstatus);
		}
		break;
	case 2: /* close */
		if (v->npanes > 0) {
			unsigned i = rndn((unsigned)v->npanes);
			memmove(&ids[i], &ids[i + 1], (v->npanes - i - 1) * sizeof ids[0]);
			relayout(m, v->cols, v->rows, ids, v->npanes - 1, v->nstatus);
		}
		break;
	case 3:
	case 4:
		if (p)
			scroll(v, p, 1 + rndn(5), rndn(4) != 0);
		break;
	case 5:
	case 6:
	case 7:
		if (p)
			edit_rows(v, p, 1 + rndn(3));
		break;
	case 8:
	case 9:
		if (p)
			edit_cell(v, p);
		break;
	case 10:
		if (p)
			view_set_pane_cursor(v, p, rndn(p->cols + 1), rndn(p->rows), rndn(7));
		break;
	case 11:
		if (p) {
			rnd_string(s, sizeof s);
			view_set_pane_state(v, p, (uint32_t)rnd() & VIEW_PANE_FLAGS,
			    (uint32_t)rnd() & VIEW_PANE_MODES, rndn(2) ? s : NULL);
		}
		break;
	case 12: {
		struct view_window w[4];
		char names[4][24];
		unsigned n = rndn(5);
		for (unsigned i = 0; i < n; i++) {
			rnd_string(names[i], sizeof names[i]);
			w[i] = (struct view_window){ i + rndn(3), (uint32_t)rnd() & VIEW_WINDOW_FLAGS, names[i] };
		}
		view_set_windows(v, w, n);
		break;
	}
	case 13:
		if (v->nstatus > 0)
			view_set_status(v, rndn(v->nstatus), rnd_row(v->cols));
		break;
	case 14:
		if (rndn(3) == 0)
			view_set_message(v, NULL, -1);
		else
			view_set_message(v, rnd_row(1 + rndn(v->cols)), (int)rndn(v->cols + 1) - 1);
		break;
	case 15:
		rnd_string(s, sizeof s);
		view_set_key_table(v, s);
		rnd_string(s, sizeof s);
		view_set_session(v, s);
		break;
	case 16:
		view_set_bells(v, v->bells + 1);
		view_set_echo_ack(v, v->echo_ack + rndn(5));
		if (rndn(3) == 0)
			view_set_redraws(v, v->redraws + 1 + rndn(1000));
		if (rndn(4) == 0)
			view_set_suspends(v, v->suspends + 1);
		break;
	case 17: {
		uint8_t data[64];
		unsigned n = rndn(sizeof data);
		for (unsigned i = 0; i < n; i++)
			data[i] = (uint8_t)rnd();
		view_set_clipboard(v, v->clipboards + 1, rndn(2) ? "c" : "p", data, n);
		break;
	}
	default:
		break; /* nothing: an unchanged view */
	}
}

static void model_init(struct model *m)
{
	uint32_t ids[2] = { 1, 2 };

	m->v = view_create();
	m->next_id = 3;
	relayout(m, 80, 24, ids, 2, 1);
	for (size_t i = 0; i < m->v->npanes; i++)
		edit_rows(m->v, &m->v->pane[i], 30);
}

/* diff(old, new) applied to a copy of old gives new; returns the diff size. */
static size_t roundtrip(const struct view *old, const struct view *new)
{
	struct view *c = view_copy(old);
	struct buf d;
	size_t len;

	buf_init(&d);
	view_diff(old, new, &d);
	assert_int_equal(d.len == 0, view_equal(old, new));
	assert_int_equal(view_apply(c, d.data, d.len), 0);
	assert_true(view_equal(c, new));
	assert_view_same(c, new);
	/* The diff from the result to the target is empty. */
	buf_reset(&d);
	view_diff(c, new, &d);
	assert_int_equal(d.len, 0);
	len = d.len;
	buf_free(&d);
	view_free(c);
	return len;
}

static void test_random_roundtrips(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 30; seed++) {
		struct model m;

		rng_state = seed * 0x9e3779b97f4a7c15u | 1;
		model_init(&m);
		for (unsigned it = 0; it < 100; it++) {
			struct view *old = view_copy(m.v);
			unsigned steps = 1 + rndn(4);
			for (unsigned k = 0; k < steps; k++)
				mutate(&m);
			roundtrip(old, m.v);
			/* Also from further back, as after a lost state. */
			if (it % 10 == 0) {
				struct view *empty = view_create();
				roundtrip(empty, m.v);
				view_free(empty);
			}
			view_free(old);
		}
		view_free(m.v);
	}
}

static size_t diff_len(const struct view *a, const struct view *b)
{
	struct buf d;
	size_t n;

	buf_init(&d);
	view_diff(a, b, &d);
	n = d.len;
	buf_free(&d);
	return n;
}

static void test_sizes(void **state)
{
	struct model m;
	struct view *old, *empty = view_create();
	struct view_pane *p;
	size_t full, one, scrolled;

	(void)state;
	rng_state = 99;
	model_init(&m);
	p = &m.v->pane[0];
	/* An unchanged view, and a copy, diff to nothing. */
	old = view_copy(m.v);
	assert_int_equal(diff_len(old, m.v), 0);
	assert_true(view_equal(old, m.v));
	/* Copies share rows. */
	assert_ptr_equal(old->pane[0].line[3], m.v->pane[0].line[3]);

	full = diff_len(empty, m.v);
	/* One changed cell. */
	edit_cell(m.v, p);
	one = diff_len(old, m.v);
	assert_true(one > 0);
	assert_true(one <= 24);
	roundtrip(old, m.v);
	view_free(old);

	/* A full-height scroll by one line with one new line. */
	old = view_copy(m.v);
	scroll(m.v, p, 1, 1);
	scrolled = diff_len(old, m.v);
	assert_true(scrolled <= 16 + 4 * (size_t)p->cols);
	assert_true(scrolled * 8 < full / (size_t)m.v->npanes);
	print_message("view of %ux%u, %zu panes: full %zu B, one cell %zu B, scroll by one %zu B\n",
	    m.v->cols, m.v->rows, m.v->npanes, full, one, scrolled);
	roundtrip(old, m.v);
	view_free(old);

	/* A change in one pane says nothing about the other. */
	old = view_copy(m.v);
	view_set_pane_cursor(m.v, &m.v->pane[1], 3, 4, 2);
	assert_true(diff_len(old, m.v) <= 8);
	roundtrip(old, m.v);
	view_free(old);

	/* A blank row costs a few bytes. */
	old = view_copy(m.v);
	view_set_pane_row(m.v, p, 5, view_row_create(p->cols));
	assert_true(diff_len(old, m.v) <= 12);
	view_free(old);

	view_free(empty);
	view_free(m.v);
}

static void test_rows(void **state)
{
	struct cell cells[6] = {
		{ 'h', 0, 0, 0, 0 },
		{ 0x4e2d, COLOUR_RGB | 0x102030, 0, CELL_WIDE, 0 },
		{ 0, COLOUR_RGB | 0x102030, 0, CELL_WIDE_TAIL, 0 },
		{ 7, 0, 0, 0, 0 },        /* a control: shown as U+FFFD */
		{ 0xd800, 0, 0, 0, 0 },   /* a surrogate */
		{ 99, 0, 0, CELL_CLUSTER, 0 }, /* no cluster table */
	};
	struct view_row *r = view_row_from_cells(cells, 6, NULL), *s;
	char text[CLUSTER_MAX_BYTES];

	(void)state;
	assert_int_equal(view_row_text(r, 0, text), 1);
	assert_int_equal(text[0], 'h');
	assert_int_equal(view_row_text(r, 1, text), 3);
	assert_memory_equal(text, "\xe4\xb8\xad", 3);
	assert_int_equal(view_row_text(r, 2, text), 0);
	assert_int_equal(view_row_cell(r, 3)->ch, 0xfffd);
	assert_int_equal(view_row_cell(r, 4)->ch, 0xfffd);
	assert_int_equal(view_row_cell(r, 5)->attr & CELL_CLUSTER, 0);
	assert_null(view_row_cell(r, 6));
	/* Cluster cells carry their text, not the table's id. */
	{
		struct clusters *cl = clusters_create();
		struct cell cc[2] = { { 0, 0, 0, CELL_CLUSTER, 0 }, { 'x', 0, 0, 0, 0 } };
		struct view_row *a, *b;
		cc[0].ch = clusters_add(cl, "e\xcc\x81", 3);
		a = view_row_from_cells(cc, 2, cl);
		cc[0].ch = clusters_add(cl, "o\xcc\x88", 3);
		b = view_row_from_cells(cc, 2, cl);
		assert_int_equal(view_row_text(a, 0, text), 3);
		assert_memory_equal(text, "e\xcc\x81", 3);
		assert_false(view_row_equal(a, b));
		view_row_unref(b);
		cc[0].ch = clusters_add(cl, "e\xcc\x81", 3);
		b = view_row_from_cells(cc, 2, cl);
		assert_true(view_row_equal(a, b));
		view_row_unref(a);
		view_row_unref(b);
		clusters_free(cl);
	}
	s = view_row_from_cells(cells, 6, NULL);
	assert_true(view_row_equal(r, s));
	cells[0].fg = 1;
	view_row_unref(s);
	s = view_row_from_cells(cells, 6, NULL);
	assert_false(view_row_equal(r, s));
	view_row_unref(s);
	view_row_unref(r);
}

/* A view with something in every field, and a diff from the empty view. */
static void sample(struct view **empty, struct view **full, struct buf *d)
{
	struct model m;

	rng_state = 4242;
	model_init(&m);
	view_set_message(m.v, rnd_row(30), 4);
	view_set_clipboard(m.v, 3, "c", "hello", 5);
	view_set_bells(m.v, 2);
	view_set_redraws(m.v, 5);
	view_set_suspends(m.v, 1);
	view_set_echo_ack(m.v, 17);
	view_set_key_table(m.v, "prefix");
	view_set_session(m.v, "main");
	view_set_status(m.v, 0, rnd_row(m.v->cols));
	{
		struct view_window w[2] = { { 0, VIEW_WINDOW_CURRENT, "bash" }, { 1, 0, "vim" } };
		view_set_windows(m.v, w, 2);
	}
	*empty = view_create();
	*full = m.v;
	buf_init(d);
	view_diff(*empty, *full, d);
}

static void test_bad_diffs(void **state)
{
	struct view *empty, *full, *t;
	struct buf d;
	size_t accepted = 0;

	(void)state;
	sample(&empty, &full, &d);
	/* Every truncation is refused and leaves the view as it was. */
	for (size_t n = 0; n < d.len; n++) {
		t = view_copy(empty);
		if (n > 0)
			assert_true(view_apply(t, d.data, n) < 0);
		assert_true(view_equal(t, empty));
		view_free(t);
	}
	/* Trailing garbage, unknown tags, records out of order. */
	{
		static const uint8_t bad[][8] = {
			{ 0x0d, 0x00, 0x00 },       /* unknown tag */
			{ 0x02, 0x01, 'a', 0x01, 0x00, 0x00 }, /* session then echo_ack */
			{ 0x02, 0x01, 0x1b, 0x00 }, /* control byte in a name */
			{ 0x05, 0x09, 0x01, 0, 0, 0, 0 }, /* pane record, no such pane */
			{ 0x06, 0x03, 0x00, 0x00 }, /* status line that does not exist */
			{ 0x04, 0x00, 0x18, 0, 0, 0, 0, 0 }, /* zero columns */
			{ 0x01, 0x05, 0x00, 0x00 }, /* trailing byte */
			{ 0x01, 0x05 },             /* no end */
		};
		static const size_t len[] = { 3, 6, 4, 7, 4, 8, 4, 2 };
		for (size_t i = 0; i < RMUX_NITEMS(bad); i++) {
			t = view_copy(full);
			assert_true(view_apply(t, bad[i], len[i]) < 0);
			assert_true(view_equal(t, full));
			view_free(t);
		}
	}
	/* Random bit flips: never a crash or leak; a refusal changes nothing;
	 * an acceptance yields a view whose own diff round trips. */
	rng_state = 5;
	for (unsigned k = 0; k < 4000; k++) {
		struct buf c;
		int rc;

		buf_init(&c);
		buf_add(&c, d.data, d.len);
		for (unsigned f = 0; f < 1 + rndn(3); f++)
			c.data[rndn((unsigned)c.len)] ^= (uint8_t)(1u << rndn(8));
		t = view_copy(empty);
		rc = view_apply(t, c.data, c.len);
		if (rc != 0) {
			assert_true(view_equal(t, empty));
		} else {
			accepted++;
			roundtrip(empty, t);
		}
		view_free(t);
		buf_free(&c);
	}
	/* Some flips (colours, letters) are harmless and must be accepted. */
	assert_true(accepted > 0);
	buf_free(&d);
	view_free(empty);
	view_free(full);
}

/* Names obey the cells' rule on both sides: the builder cleans what it is
 * given (a control to '?', a stray byte to U+FFFD, the length cut at a
 * character), and view_apply refuses a name that breaks it. */
static void test_names_clean(void **state)
{
	struct view *v = view_create(), *t;
	struct buf d;
	char long_name[VIEW_NAME_MAX + 2];

	(void)state;
	view_set_session(v, "a\x1b[31m\xc2\x9b" "b\x7f\xff\xc3\xa9\xed\xa0\x80");
	assert_string_equal(v->session, "a?[31m?b?\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	view_set_key_table(v, "\xc0\xafx");
	assert_string_equal(v->key_table, "\xef\xbf\xbd\xef\xbf\xbdx");
	{
		struct view_window w[1] = { { 0, VIEW_WINDOW_CURRENT, "\xc2\x85w" } };
		view_set_windows(v, w, 1);
		assert_string_equal(v->window[0].name, "?w");
	}
	/* One byte short of the limit, then a two-byte character: it goes. */
	memset(long_name, 'n', VIEW_NAME_MAX - 1);
	memcpy(long_name + VIEW_NAME_MAX - 1, "\xc3\xa9", 3);
	view_set_session(v, long_name);
	assert_int_equal(strlen(v->session), VIEW_NAME_MAX - 1);
	/* What the builder made, the other side takes. */
	buf_init(&d);
	t = view_create();
	view_diff(t, v, &d);
	assert_int_equal(view_apply(t, d.data, d.len), 0);
	assert_true(view_equal(t, v));
	view_free(t);
	buf_free(&d);
	view_free(v);

	static const uint8_t bad[][8] = {
		{ 0x02, 0x02, 0xc2, 0x9b, 0x00 },       /* C1 CSI */
		{ 0x02, 0x01, 0xff, 0x00 },             /* not UTF-8 */
		{ 0x02, 0x01, 0x7f, 0x00 },             /* DEL */
		{ 0x02, 0x02, 0xc0, 0xaf, 0x00 },       /* overlong '/' */
		{ 0x02, 0x03, 0xed, 0xa0, 0x80, 0x00 }, /* a surrogate */
		{ 0x02, 0x02, 0xc3, 0x28, 0x00 },       /* a broken sequence */
		{ 0x02, 0x02, 'a', 0x00, 0x00 },        /* NUL */
		{ 0x02, 0x02, 0xc3, 0xa9, 0x00 },       /* fine: é */
	};
	static const size_t len[] = { 5, 4, 4, 5, 6, 5, 5, 5 };
	for (size_t i = 0; i < RMUX_NITEMS(bad); i++) {
		t = view_create();
		int rc = view_apply(t, bad[i], len[i]);
		if (i + 1 < RMUX_NITEMS(bad)) {
			if (rc >= 0)
				fail_msg("bad name %zu accepted", i);
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(t->session, "\xc3\xa9");
		}
		view_free(t);
	}
}

static void test_transport_ops(void **state)
{
	struct view *empty, *full;
	void *c;
	struct buf d, e;

	(void)state;
	sample(&empty, &full, &d);
	c = view_ops.copy(empty);
	assert_false(view_ops.equal(c, full));
	buf_init(&e);
	view_ops.diff(c, full, &e);
	assert_int_equal(e.len, d.len);
	assert_int_equal(view_ops.apply(c, e.data, e.len), 0);
	assert_true(view_ops.equal(c, full));
	assert_null(view_ops.subtract);
	view_ops.free(c);
	buf_free(&d);
	buf_free(&e);
	view_free(empty);
	view_free(full);
}

/* The example of doc/PROTOCOL.md 8.2, byte for byte. */
static void test_doc_example(void **state)
{
	struct view *v = view_create(), *old;
	struct view_layout_pane lp = { 0, 0, 0, 80, 24 };
	struct view_pane *p;
	struct cell c = { 0, 0, 0, 0, 0 };
	struct buf d;
	static const uint8_t want[] = { 0x05, 0x00, 0x08, 0x01, 0x17, 0x01, 0x02, 0x01, 0x00, 0x01,
		0x24, 0x20, 0x4f, 0x20, 0x00 };

	(void)state;
	view_set_layout(v, 80, 24, 0, 0, &lp, 1, 0);
	p = &v->pane[0];
	for (unsigned y = 0; y < 24; y++) {
		struct view_row *r = view_row_create(80);
		for (unsigned x = 0; x < 80; x++) {
			c.ch = 'a' + (x * 7 + y * 3) % 26;
			view_row_set(r, x, &c, NULL, 0);
		}
		view_set_pane_row(v, p, y, r);
	}
	old = view_copy(v);
	for (unsigned y = 0; y < 23; y++)
		view_set_pane_row(v, p, y, view_row_ref(p->line[y + 1]));
	{
		struct view_row *r = view_row_create(80);
		c.ch = '$';
		view_row_set(r, 0, &c, NULL, 0);
		view_set_pane_row(v, p, 23, r);
	}
	buf_init(&d);
	view_diff(old, v, &d);
	assert_int_equal(d.len, sizeof want);
	assert_memory_equal(d.data, want, sizeof want);
	roundtrip(old, v);
	buf_free(&d);
	view_free(old);
	view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_random_roundtrips),
		cmocka_unit_test(test_bad_diffs),
		cmocka_unit_test(test_names_clean),
		cmocka_unit_test(test_transport_ops),
		cmocka_unit_test(test_doc_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
