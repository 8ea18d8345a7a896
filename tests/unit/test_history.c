/* test_history.c — the scrollback ring: exact round trips of every kind of
 * cell (colours, attributes, underline styles, links, wide pairs and lone
 * halves, clusters re-interned into another table, odd values, flags),
 * cutting and padding, limit and eviction order, pop, block freeing and
 * bounded memory over 100k lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/simd.h"
#include "term/utf8.h"

#define W 80

static const struct cell blank = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

static void fill_blank(struct cell *cells, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		cells[i] = blank;
}

static void put_text(struct cell *cells, const char *s)
{
	for (unsigned i = 0; s[i] != '\0'; i++)
		cells[i].ch = (uint8_t)s[i];
}

/* Compare two lines cell by cell, clusters by their text. */
static void assert_same_line(const struct cell *a, const struct clusters *ca, const struct cell *b,
			     const struct clusters *cb, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!(a[i].attr & CELL_CLUSTER)) {
			if (memcmp(&a[i], &b[i], sizeof a[i]) != 0)
				fail_msg("cell %u differs: ch %x/%x fg %x/%x bg %x/%x attr %x/%x link %u/%u", i,
					 a[i].ch, b[i].ch, a[i].fg, b[i].fg, a[i].bg, b[i].bg, a[i].attr,
					 b[i].attr, a[i].link, b[i].link);
			continue;
		}
		size_t la, lb;
		const char *ta = clusters_get(ca, a[i].ch, &la);
		const char *tb = clusters_get(cb, b[i].ch, &lb);

		assert_int_equal(b[i].attr, a[i].attr);
		assert_int_equal(b[i].fg, a[i].fg);
		assert_int_equal(b[i].bg, a[i].bg);
		assert_int_equal(b[i].link, a[i].link);
		assert_non_null(ta);
		assert_non_null(tb);
		assert_int_equal(la, lb);
		assert_memory_equal(ta, tb, la);
	}
}

static void test_plain_round_trip(void **state)
{
	struct history *h = history_create(100);
	struct cell in[W], out[W + 10];
	uint32_t flags = 99;

	fill_blank(in, W);
	put_text(in, "hello, world");
	history_push(h, in, W, 0, NULL);
	put_text(in, "second line that wraps");
	history_push(h, in, W, ROW_WRAPPED, NULL);

	assert_int_equal(history_size(h), 2);
	assert_int_equal(history_total(h), 2);
	/* Trailing default blanks are not held. */
	assert_int_equal(history_line_width(h, 0), 12);
	/* A wrapped line keeps its trailing blanks: a reflow needs them. */
	assert_int_equal(history_line_width(h, 1), W);
	assert_int_equal(history_get(h, 0, out, W, &flags, NULL), 12);
	assert_int_equal(flags, 0);
	fill_blank(in, W);
	put_text(in, "hello, world");
	assert_memory_equal(out, in, sizeof in);

	/* Wider output is padded with default blanks. */
	assert_int_equal(history_get(h, 1, out, W + 10, &flags, NULL), W);
	assert_int_equal(flags, ROW_WRAPPED);
	assert_int_equal(out[0].ch, 's');
	assert_int_equal(out[21].ch, 's');
	for (unsigned i = 22; i < W + 10; i++)
		assert_memory_equal(&out[i], &blank, sizeof blank);
	/* Narrower output is cut; the width is still the line's. */
	assert_int_equal(history_get(h, 1, out, 6, NULL, NULL), W);
	assert_int_equal(out[5].ch, 'd');

	assert_int_equal(history_get(h, 2, out, W, &flags, NULL), -1);
	assert_int_equal(history_line_width(h, 2), -1);
	history_free(h);
}

static void test_empty_and_blank_lines(void **state)
{
	struct history *h = history_create(10);
	struct cell in[W], out[W];
	uint32_t flags;

	fill_blank(in, W);
	history_push(h, in, W, 0, NULL);
	history_push(h, in, 0, ROW_WRAPPED, NULL);
	assert_int_equal(history_line_width(h, 0), 0);
	assert_int_equal(history_get(h, 1, out, W, &flags, NULL), 0);
	assert_int_equal(flags, ROW_WRAPPED);
	assert_memory_equal(out, in, sizeof in);
	/* A blank in colour is kept. */
	in[W - 1].bg = colour_palette(4);
	history_push(h, in, W, 0, NULL);
	assert_int_equal(history_line_width(h, 2), W);
	assert_int_equal(history_get(h, 2, out, W, NULL, NULL), W);
	assert_memory_equal(out, in, sizeof in);
	history_free(h);
}

static void set_wide(struct cell *cells, unsigned x, uint32_t ch)
{
	cells[x].ch = ch;
	cells[x].attr |= CELL_WIDE;
	cells[x + 1] = cells[x];
	cells[x + 1].ch = 0;
	cells[x + 1].attr = (uint16_t)((cells[x].attr & ~CELL_SHAPE_MASK) | CELL_WIDE_TAIL);
}

static void test_every_kind_of_cell(void **state)
{
	struct history *h = history_create(10);
	struct clusters *c1 = clusters_create(), *c2 = clusters_create();
	struct cell in[W], out[W];
	uint32_t flags;
	unsigned x = 0;

	fill_blank(in, W);
	/* Colours of every kind, both planes. */
	in[x].ch = 'a';
	in[x++].fg = colour_palette(1);
	in[x].ch = 'b';
	in[x++].fg = colour_palette(255);
	in[x].ch = 'c';
	in[x++].fg = colour_rgb(0x12, 0x34, 0x56);
	in[x].ch = 'd';
	in[x++].bg = colour_rgb(0xff, 0, 0x80);
	in[x].ch = 'e';
	in[x++].bg = colour_palette(0);
	/* Renditions and every underline style. */
	in[x].ch = 'f';
	in[x++].attr = ATTR_BOLD | ATTR_ITALIC | ATTR_STRIKE | ATTR_OVERLINE;
	for (unsigned ul = UL_SINGLE; ul <= UL_DASHED; ul++) {
		in[x].ch = 'u';
		in[x++].attr = (uint16_t)(ATTR_UNDERLINE(ul) | ATTR_DIM);
	}
	in[x].ch = 'r';
	in[x++].attr = ATTR_REVERSE | ATTR_BLINK | ATTR_HIDDEN;
	/* Links. */
	in[x].ch = 'L';
	in[x++].link = 1;
	in[x].ch = 'L';
	in[x++].link = 65535;
	/* Non-ASCII narrow characters. */
	in[x++].ch = 0xe9;    /* é */
	in[x++].ch = 0x2500;  /* ─ */
	in[x++].ch = 0x1d400; /* a 4-byte form */
	/* CJK, coloured, and a pair with the style split across halves. */
	set_wide(in, x, 0x4e2d);
	x += 2;
	in[x].fg = colour_palette(2);
	set_wide(in, x, 0x6587);
	x += 2;
	set_wide(in, x, 0x1f600); /* emoji */
	in[x + 1].bg = colour_palette(3);
	x += 2;
	/* A narrow character in a wide cell, and a wide one in a narrow cell. */
	set_wide(in, x, 'N');
	x += 2;
	in[x++].ch = 0x4e2d;
	/* A lone tail; a tail holding a character of its own. */
	in[x].ch = 0;
	in[x++].attr = CELL_WIDE_TAIL;
	set_wide(in, x, 0x5b57);
	in[x + 1].ch = ' ';
	x += 2;
	/* Clusters: narrow (e + combining acute) and wide (flag pair). */
	in[x].ch = clusters_add(c1, "e\xcc\x81", 3);
	in[x++].attr = CELL_CLUSTER | ATTR_BOLD;
	in[x].ch = clusters_add(c1, "\xf0\x9f\x87\xab\xf0\x9f\x87\xb7", 8);
	in[x].attr = CELL_CLUSTER;
	set_wide(in, x, in[x].ch);
	x += 2;
	/* Odd values: NUL, a surrogate, past Unicode, the top of 32 bits. */
	in[x++].ch = 0;
	in[x++].ch = 0xd800;
	in[x++].ch = 0x110000;
	in[x++].ch = 0xffffffffu;
	in[x++].ch = 0x7f;
	assert_true(x < W - 2);
	/* A wide character cut at the right edge. */
	in[W - 1].ch = 0x4e2d;
	in[W - 1].attr = CELL_WIDE;

	/* Take some ids in the second table so the ids differ. */
	clusters_add(c2, "x\xcc\x82", 3);
	history_push(h, in, W, ROW_WRAPPED | 0x100u, c1);
	assert_int_equal(history_line_width(h, 0), W);
	memset(out, 0xaa, sizeof out);
	assert_int_equal(history_get(h, 0, out, W, &flags, c2), W);
	assert_int_equal(flags, ROW_WRAPPED | 0x100u);
	assert_same_line(in, c1, out, c2, W);
	history_free(h);
	clusters_free(c1);
	clusters_free(c2);
}

static void test_cluster_fallbacks(void **state)
{
	struct history *h = history_create(10);
	struct clusters *c = clusters_create();
	struct cell in[4], out[4];

	fill_blank(in, 4);
	in[0].ch = clusters_add(c, "a\xcc\x88", 3);
	in[0].attr = CELL_CLUSTER;
	in[1].ch = 4000; /* an id the table does not know */
	in[1].attr = CELL_CLUSTER;
	history_push(h, in, 4, 0, c);
	/* Without a table to intern into, the base character is kept. */
	assert_int_equal(history_get(h, 0, out, 4, NULL, NULL), 2);
	assert_int_equal(out[0].ch, 'a');
	assert_int_equal(out[0].attr, 0);
	assert_int_equal(out[1].ch, UTF8_REPLACEMENT);
	assert_int_equal(out[1].attr, 0);
	history_free(h);
	clusters_free(c);
}

static void test_cut_wide_pair(void **state)
{
	struct history *h = history_create(10);
	struct cell in[6], out[5];

	fill_blank(in, 6);
	set_wide(in, 0, 0x4e00);
	set_wide(in, 2, 0x4e01);
	set_wide(in, 4, 0x4e02);
	history_push(h, in, 6, 0, NULL);
	/* Cut through the last pair: its head stays, without a tail. */
	assert_int_equal(history_get(h, 0, out, 5, NULL, NULL), 6);
	assert_memory_equal(out, in, 4 * sizeof *in);
	assert_int_equal(out[4].ch, 0x4e02);
	assert_int_equal(out[4].attr, CELL_WIDE);
	history_free(h);
}

/* A deterministic generator: tests never depend on chance. */
static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static uint32_t rnd_colour(void)
{
	switch (rnd(4)) {
	case 0:
		return COLOUR_DEFAULT;
	case 1:
		return colour_palette(rnd(256));
	case 2:
		return colour_rgb(rnd(256), rnd(256), rnd(256));
	default:
		return COLOUR_DEFAULT;
	}
}

static void random_line(struct cell *cells, unsigned n, struct clusters *c)
{
	static const char *cl[] = { "e\xcc\x81", "o\xcc\x88\xcc\x81", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd" };
	struct cell style = blank;

	fill_blank(cells, n);
	for (unsigned x = 0; x < n; x++) {
		if (rnd(6) == 0) {
			style.fg = rnd_colour();
			style.bg = rnd_colour();
			style.attr = (uint16_t)rnd(ATTR_STYLE_MASK + 1);
			style.link = (uint16_t)(rnd(3) == 0 ? rnd(70000) : 0);
		}
		cells[x] = style;
		switch (rnd(8)) {
		case 0:
			cells[x].ch = 0x4e00 + rnd(0x5000);
			if (x + 1 < n) {
				set_wide(cells, x, cells[x].ch);
				x++;
			}
			break;
		case 1: {
			const char *t = cl[rnd(3)];

			cells[x].ch = clusters_add(c, t, strlen(t));
			cells[x].attr |= CELL_CLUSTER;
			break;
		}
		case 2:
			cells[x].ch = 0xa0 + rnd(0x2000);
			break;
		default:
			cells[x].ch = 0x20 + rnd(0x5f);
			break;
		}
	}
}

static void test_random_round_trips(void **state)
{
	struct history *h = history_create(300);
	struct clusters *c = clusters_create();
	struct cell(*lines)[W] = calloc(300, sizeof *lines);
	struct cell out[W];

	assert_non_null(lines);
	for (unsigned i = 0; i < 300; i++) {
		unsigned n = rnd(W + 1);

		random_line(lines[i], W, c);
		fill_blank(lines[i] + n, W - n);
		history_push(h, lines[i], W, i & 1 ? ROW_WRAPPED : 0, c);
	}
	for (unsigned i = 0; i < 300; i++) {
		uint32_t flags;

		history_get(h, i, out, W, &flags, c);
		assert_int_equal(flags, i & 1 ? ROW_WRAPPED : 0);
		assert_same_line(lines[i], c, out, c, W);
	}
	free(lines);
	history_free(h);
	clusters_free(c);
}

/* Lines of few long style runs holding every glyph the encoder has an
 * inline path for (ASCII, Latin, wide CJK and emoji) mixed with ones it
 * has not (narrow emoji, lone halves, a tail holding a character), at
 * widths that are not a multiple of the encoder's group of cells. */
static void test_fast_paths_round_trip(void **state)
{
	static const unsigned widths[] = { 1, 3, 5, 16, 17, 33, 77, W };
	struct clusters *c = clusters_create();
	struct cell out[W];

	(void)state;
	for (unsigned wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
		unsigned cols = widths[wi];
		struct history *h = history_create(200);
		struct cell(*lines)[W] = calloc(200, sizeof *lines);

		assert_non_null(lines);
		for (unsigned i = 0; i < 200; i++) {
			struct cell *l = lines[i], style = blank;
			unsigned used = rnd(cols + 1), odd = i % 4 == 3;

			fill_blank(l, W);
			if (i % 3 == 1)
				style.fg = colour_palette(rnd(256));
			for (unsigned x = 0; x < used; x++) {
				if (rnd(40) == 0)
					style.bg = colour_rgb(rnd(256), 0, 7);
				l[x] = style;
				switch (rnd(odd ? 7 : 5)) {
				case 0:
				case 1:
					l[x].ch = 0x21 + rnd(0x5e);
					break;
				case 2:
					l[x].ch = 0xa1 + rnd(0x100);
					break;
				case 3:
				case 4:
					l[x].ch = rnd(2) ? 0x4e00 + rnd(0x5000) : 0x1f600 + rnd(0x40);
					if (x + 1 < used) {
						set_wide(l, x, l[x].ch);
						x++;
					} else
						l[x].ch = 'w';
					break;
				case 5:
					l[x].ch = 0x1f600 + rnd(0x40); /* wide, stored narrow */
					break;
				default:
					l[x].ch = 0x4e00 + rnd(0x100);
					l[x].attr |= CELL_WIDE; /* a lone head */
					if (x + 1 < used && rnd(2)) {
						l[x + 1] = style;
						l[x + 1].ch = 'T'; /* a tail holding a character */
						l[x + 1].attr |= CELL_WIDE_TAIL;
						x++;
					}
					break;
				}
			}
			history_push(h, l, cols, i & 1 ? ROW_WRAPPED : 0, c);
		}
		for (unsigned i = 0; i < 200; i++) {
			uint32_t flags;

			fill_blank(out, W);
			history_get(h, i, out, cols, &flags, c);
			assert_int_equal(flags, i & 1 ? ROW_WRAPPED : 0);
			assert_same_line(lines[i], c, out, c, cols);
		}
		free(lines);
		history_free(h);
	}
	clusters_free(c);
}

static void push_number(struct history *h, unsigned n)
{
	struct cell in[W];

	fill_blank(in, W);
	for (unsigned i = 0; i < 8; i++, n /= 10)
		in[7 - i].ch = '0' + n % 10;
	history_push(h, in, W, 0, NULL);
}

static unsigned get_number(const struct history *h, unsigned i)
{
	struct cell out[W];
	unsigned n = 0;

	assert_int_equal(history_get(h, i, out, W, NULL, NULL), 8);
	for (unsigned k = 0; k < 8; k++)
		n = n * 10 + (out[k].ch - '0');
	return n;
}

static void test_limit_and_eviction(void **state)
{
	struct history *h = history_create(5);

	for (unsigned i = 0; i < 12; i++)
		push_number(h, i);
	assert_int_equal(history_size(h), 5);
	assert_int_equal(history_total(h), 12);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(get_number(h, i), 7 + i);

	history_set_limit(h, 3);
	assert_int_equal(history_limit(h), 3);
	assert_int_equal(history_size(h), 3);
	assert_int_equal(get_number(h, 0), 9);
	history_set_limit(h, 8);
	for (unsigned i = 12; i < 20; i++)
		push_number(h, i);
	assert_int_equal(history_size(h), 8);
	assert_int_equal(get_number(h, 0), 12);
	assert_int_equal(get_number(h, 7), 19);

	history_set_limit(h, 0);
	push_number(h, 1);
	assert_int_equal(history_size(h), 0);
	assert_int_equal(history_total(h), 21);
	history_free(h);
}

static void test_pop(void **state)
{
	struct history *h = history_create(100);
	struct cell out[W];
	uint32_t flags;

	assert_int_equal(history_pop(h, out, W, &flags, NULL), -1);
	for (unsigned i = 0; i < 10; i++)
		push_number(h, i);
	for (unsigned i = 10; i-- > 6;) {
		assert_int_equal(history_pop(h, out, W, &flags, NULL), 8);
		assert_int_equal(out[7].ch, '0' + i);
	}
	assert_int_equal(history_size(h), 6);
	assert_int_equal(history_total(h), 6);
	push_number(h, 42);
	assert_int_equal(get_number(h, 6), 42);
	assert_int_equal(get_number(h, 5), 5);
	while (history_pop(h, out, W, NULL, NULL) >= 0)
		;
	assert_int_equal(history_size(h), 0);
	assert_int_equal(history_total(h), 0);
	push_number(h, 7);
	assert_int_equal(get_number(h, 0), 7);
	history_free(h);
}

static void test_pop_across_blocks(void **state)
{
	struct history *h = history_create(100000);
	struct cell out[W];
	size_t peak;

	for (unsigned i = 0; i < 5000; i++)
		push_number(h, i);
	peak = history_bytes(h);
	for (unsigned i = 5000; i-- > 100;) {
		assert_int_equal(history_pop(h, out, W, NULL, NULL), 8);
		assert_int_equal(out[7].ch, '0' + i % 10);
	}
	assert_true(history_bytes(h) < peak);
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(get_number(h, i), i);
	history_free(h);
}

static void test_blocks_freed(void **state)
{
	struct history *h = history_create(100000);
	struct cell in[W];
	size_t full, empty;

	empty = history_bytes(h);
	fill_blank(in, W);
	for (unsigned x = 0; x < W; x++)
		in[x].ch = 'a' + x % 26;
	for (unsigned i = 0; i < 20000; i++)
		history_push(h, in, W, 0, NULL);
	full = history_bytes(h);
	assert_true(full > 20000u * W);

	/* Dropping the oldest half frees about half the blocks. */
	history_set_limit(h, 10000);
	assert_true(history_bytes(h) < full * 6 / 10);
	history_clear(h);
	assert_int_equal(history_size(h), 0);
	assert_int_equal(history_total(h), 20000);
	assert_true(history_bytes(h) < empty + 128 * 1024);
	history_free(h);
}

static void test_100k_lines_bounded(void **state)
{
	struct history *h = history_create(100000);
	struct cell in[W];

	fill_blank(in, W);
	for (unsigned i = 0; i < 100000; i++) {
		for (unsigned x = 0; x < W; x++)
			in[x].ch = 'a' + (x + i) % 26;
		history_push(h, in, W, 0, NULL);
	}
	/* 80 columns of ASCII: at most 100 bytes a line, index included. */
	assert_int_equal(history_size(h), 100000);
	assert_true(history_bytes(h) <= 100u * 100000u);

	/* A small ring stays small however much goes through it. */
	struct history *s = history_create(1000);
	for (unsigned i = 0; i < 100000; i++)
		history_push(s, in, W, 0, NULL);
	assert_int_equal(history_size(s), 1000);
	assert_true(history_bytes(s) <= 1000u * 100u + 2 * 65536u);

	/* The oldest kept line is line 0 of what is held, intact. */
	struct cell out[W];
	assert_int_equal(history_get(h, 0, out, W, NULL, NULL), W);
	assert_int_equal(out[0].ch, 'a');
	assert_int_equal(history_get(h, 99999, out, W, NULL, NULL), W);
	assert_int_equal(out[0].ch, 'a' + 99999 % 26);
	history_free(s);
	history_free(h);
}

/* Style runs of every length the run forms treat differently (a nibble
 * ends at 15, a short op length at 7, an op byte at 127), whose changes
 * are a palette foreground only (the packed form when the whole line is
 * like that), a default foreground, or other fields; read back whole and
 * cut at every width, with wide pairs and clusters past the cut. */
static void test_style_run_forms(void **state)
{
	enum { LW = 400 };
	static const unsigned lens[] = { 1, 2, 7, 8, 14, 15, 16, 29, 30, 31, 45, 127, 128, 200 };
	struct clusters *c = clusters_create();
	struct history *h = history_create(100);
	struct cell(*lines)[LW] = calloc(60, sizeof *lines);
	struct cell *out = calloc(LW, sizeof *out);
	unsigned used[60];

	(void)state;
	assert_non_null(lines);
	assert_non_null(out);
	for (unsigned i = 0; i < 60; i++) {
		struct cell *l = lines[i], style = blank;
		unsigned x = 0, kind = i % 4;

		fill_blank(l, LW);
		while (x < LW) {
			/* The packed form pays off with runs up to 31 long. */
			unsigned len = lens[rnd(kind == 0 ? 10 : sizeof lens / sizeof lens[0])];

			if (x + len > LW)
				len = LW - x;
			/* kind 0: palette foregrounds only (packed form). */
			style.fg = colour_palette(rnd(256));
			if (kind == 1 && rnd(3) == 0)
				style.fg = COLOUR_DEFAULT;
			if (kind == 2 && rnd(3) == 0)
				style.bg = rnd_colour();
			if (kind == 3 && rnd(2) == 0) {
				style.attr = (uint16_t)rnd(ATTR_STYLE_MASK + 1);
				style.link = (uint16_t)rnd(3);
			}
			for (unsigned k = 0; k < len; k++, x++) {
				l[x] = style;
				l[x].attr = style.attr;
				l[x].ch = 'a' + rnd(26);
				if (rnd(9) == 0 && k + 1 < len) {
					l[x].ch = 0x4e00 + rnd(0x5000);
					l[x].attr |= CELL_WIDE;
					l[x + 1] = l[x];
					l[x + 1].ch = 0;
					l[x + 1].attr = (uint16_t)(style.attr | CELL_WIDE_TAIL);
					x++;
					k++;
				} else if (rnd(15) == 0) {
					l[x].ch = clusters_add(c, "e\xcc\x81", 3);
					l[x].attr |= CELL_CLUSTER;
				}
			}
		}
		used[i] = LW - rnd(30);
		fill_blank(l + used[i], LW - used[i]);
		history_push(h, l, LW, 0, c);
	}
	for (unsigned i = 0; i < 60; i++) {
		assert_int_equal(history_line_width(h, i), used[i]);
		assert_int_equal(history_get(h, i, out, LW, NULL, c), used[i]);
		assert_same_line(lines[i], c, out, c, LW);
		for (unsigned cols = 1; cols < LW; cols += 1 + rnd(23)) {
			assert_int_equal(history_get(h, i, out, cols, NULL, c), used[i]);
			/* A pair cut by the edge keeps its head alone. */
			assert_same_line(lines[i], c, out, c, cols);
		}
	}
	free(out);
	free(lines);
	history_free(h);
	clusters_free(c);
}

static void test_coloured_and_cjk_compact(void **state)
{
	struct history *h = history_create(10000);
	struct cell in[W];

	/* A 256-colour change every word (5 letters and a space). */
	for (unsigned i = 0; i < 10000; i++) {
		fill_blank(in, W);
		for (unsigned x = 0; x < W; x++) {
			in[x].ch = x % 6 == 5 ? ' ' : 'a' + (x + i) % 26;
			in[x].fg = colour_palette((x / 6 + i) % 256);
		}
		history_push(h, in, W, 0, NULL);
	}
	/* tmux 3.3a holds about 448 bytes a line of such text; a quarter is
	 * 112. The runs take 1.5 bytes each. */
	assert_true(history_bytes(h) / 10000 <= 112);
	history_clear(h);
	history_free(h);

	h = history_create(10000);
	for (unsigned i = 0; i < 10000; i++) {
		fill_blank(in, W);
		for (unsigned x = 0; x + 1 < W; x += 2)
			set_wide(in, x, 0x4e00 + (x + i) % 0x5000);
		history_push(h, in, W, 0, NULL);
	}
	assert_true(history_bytes(h) / 10000 < 140);
	history_free(h);
}

/* The plain-line copy in its SSE2 and AVX2 forms: lines of every length
 * round-trip, and one cell that is not plain ASCII in the default style,
 * wherever it is, is kept exactly (the line is not taken as plain). */
static void test_plain_copy_vector_paths(void **state)
{
	(void)state;
	enum { COLS = 100 };
	static const struct cell odd[] = {
		{ 0xe9, COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 },
		{ 0x80, COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 },
		{ 0x161, COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 },
		{ 'a', COLOUR_PALETTE | 0, COLOUR_DEFAULT, 0, 0 },
		{ 'a', COLOUR_DEFAULT, COLOUR_RGB | 1, 0, 0 },
		{ 'a', COLOUR_DEFAULT, COLOUR_DEFAULT, ATTR_ITALIC, 0 },
		{ 'a', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 1 },
		{ 'a', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0x8000 },
	};
	struct cell line[COLS], out[COLS];

	for (int avx = 0; avx < 2; avx++) {
		simd_force(avx);
		struct history *h = history_create(4);

		for (unsigned len = 1; len <= COLS; len++) {
			for (int o = -1; o < (int)(sizeof odd / sizeof odd[0]); o++) {
				unsigned at = (len * 13 + (unsigned)(o + 1) * 5) % len;

				fill_blank(line, COLS);
				for (unsigned x = 0; x < len; x++)
					line[x].ch = (uint8_t)('!' + (x * 11 + len) % 94);
				if (o >= 0)
					line[at] = odd[o];
				history_push(h, line, COLS, 0, NULL);
				assert_int_equal(history_get(h, history_size(h) - 1, out, COLS, NULL, NULL),
						 (int)len);
				assert_same_line(line, NULL, out, NULL, COLS);
			}
		}
		history_free(h);
	}
	simd_force(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_round_trip),
		cmocka_unit_test(test_empty_and_blank_lines),
		cmocka_unit_test(test_every_kind_of_cell),
		cmocka_unit_test(test_cluster_fallbacks),
		cmocka_unit_test(test_cut_wide_pair),
		cmocka_unit_test(test_random_round_trips),
		cmocka_unit_test(test_fast_paths_round_trip),
		cmocka_unit_test(test_limit_and_eviction),
		cmocka_unit_test(test_pop),
		cmocka_unit_test(test_pop_across_blocks),
		cmocka_unit_test(test_blocks_freed),
		cmocka_unit_test(test_100k_lines_bounded),
		cmocka_unit_test(test_style_run_forms),
		cmocka_unit_test(test_coloured_and_cjk_compact),
		cmocka_unit_test(test_plain_copy_vector_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
