/* test_display.c — the renderer, checked by feeding what it writes into
 * rmux's own emulator: after every frame of long seeded random sequences
 * (edits, scrolls of bands, wide and combining characters, colours,
 * resizes, repaints) the emulator's screen must equal the frame as the
 * terminal can show it, cell by cell. Also the byte costs of small
 * changes, scrolls and no change, and the colour mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/display.h"
#include "client/tty.h"
#include "common/util.h"
#include "term/vt.h"

/* ---- a renderer feeding an emulator ---- */

struct rig {
	struct tty_caps *caps;
	struct display *d;
	struct vt *vt;
	struct display_frame *f;
	struct buf out;
	uint64_t rng;
};

static struct tty_caps *caps_for(const char *term, const char *colorterm)
{
	char err[256];
	struct tty_caps *caps = tty_caps_create(term, colorterm, err, sizeof err);
	if (caps == NULL)
		fail_msg("no caps for %s: %s", term, err);
	return caps;
}

static void rig_init(struct rig *r, const char *term, const char *colorterm, unsigned cols,
		     unsigned rows, uint64_t seed)
{
	memset(r, 0, sizeof *r);
	r->caps = caps_for(term, colorterm);
	r->d = display_create(r->caps, cols, rows);
	r->vt = vt_create(cols, rows, 0);
	r->f = display_frame_create(cols, rows);
	buf_init(&r->out);
	r->rng = seed * 0x9e3779b97f4a7c15ull + 1;
	tty_enter(r->caps, &r->out, TTY_ENTER_ALTSCREEN);
	vt_input(r->vt, r->out.data, r->out.len);
	buf_reset(&r->out);
}

static void rig_free(struct rig *r)
{
	display_free(r->d);
	vt_free(r->vt);
	display_frame_free(r->f);
	tty_caps_free(r->caps);
	buf_free(&r->out);
}

static uint32_t rnd(struct rig *r, uint32_t n)
{
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return n ? (uint32_t)(r->rng >> 11) % n : 0;
}

/* Render the frame, feed the bytes to the emulator; returns the count. */
static size_t rig_render(struct rig *r)
{
	buf_reset(&r->out);
	display_update(r->d, r->f, &r->out);
	vt_input(r->vt, r->out.data, r->out.len);
	return r->out.len;
}

static void dump_bytes(const struct buf *b)
{
	for (size_t i = 0; i < b->len && i < 4000; i++) {
		unsigned char c = b->data[i];
		if (c == 033)
			fputs("\\E", stderr);
		else if (c < 0x20 || c == 0x7f)
			fprintf(stderr, "^%c", c ^ 0x40);
		else
			fputc(c, stderr);
	}
	fputc('\n', stderr);
}

/* The emulator's screen equals the frame as mapped for the terminal. */
static void rig_check(struct rig *r, const char *what)
{
	struct screen *s = vt_screen(r->vt);
	const struct display_frame *f = r->f;

	assert_int_equal(s->cols, f->cols);
	assert_int_equal(s->rows, f->rows);
	for (unsigned y = 0; y < f->rows; y++) {
		for (unsigned x = 0; x < f->cols; x++) {
			struct cell want = f->cells[(size_t)y * f->cols + x];
			const struct cell *got = grid_cell(s->grid, x, y);
			display_map_cell(r->caps, &want);
			char wt[CLUSTER_MAX_BYTES + 4], gt[CLUSTER_MAX_BYTES + 4];
			size_t wl = cell_utf8(&want, f->clusters, wt);
			size_t gl = cell_utf8(got, s->clusters, gt);
			int ok = (want.attr & (CELL_WIDE | CELL_WIDE_TAIL)) ==
				 (got->attr & (CELL_WIDE | CELL_WIDE_TAIL));
			if (ok && !(want.attr & CELL_WIDE_TAIL)) {
				ok = wl == gl && memcmp(wt, gt, wl) == 0 && want.fg == got->fg &&
				     want.bg == got->bg &&
				     (want.attr & ATTR_STYLE_MASK) == (got->attr & ATTR_STYLE_MASK);
			}
			if (!ok) {
				fprintf(stderr,
					"%s: %s %ux%u cell %u,%u: want '%.*s' fg %08x bg %08x attr "
					"%04x, "
					"got '%.*s' fg %08x bg %08x attr %04x\nlast output: ",
					r->caps->term, what, f->cols, f->rows, x, y, (int)wl, wt,
					want.fg, want.bg, want.attr, (int)gl, gt, got->fg, got->bg,
					got->attr);
				dump_bytes(&r->out);
				fail();
			}
		}
	}
	if (s->cx != f->cx || s->cy != f->cy || s->wrap_pending) {
		fprintf(stderr, "%s: %s cursor want %u,%u got %u,%u pending %d\n", r->caps->term,
			what, f->cx, f->cy, s->cx, s->cy, s->wrap_pending);
		dump_bytes(&r->out);
		fail();
	}
	if (r->caps->civis != NULL && r->caps->cnorm != NULL)
		assert_int_equal(screen_cursor_visible(s) ? 1 : 0, f->cursor_visible ? 1 : 0);
	if (r->caps->ss != NULL)
		assert_int_equal(s->cursor_style, f->cursor_style);
	if (r->caps->title)
		assert_string_equal(s->title, f->title);
}

/* ---- random frames ---- */

static struct cell rnd_style(struct rig *r)
{
	struct cell c = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };
	/* Few distinct styles, so runs share a pen as real screens do. */
	switch (rnd(r, 6)) {
	case 0:
	case 1: break;
	case 2:
		c.fg = colour_palette(rnd(r, 16));
		c.attr = (uint16_t)(rnd(r, 2) ? ATTR_BOLD : 0);
		break;
	case 3:
		c.fg = colour_palette(rnd(r, 256));
		c.bg = colour_palette(rnd(r, 256));
		break;
	case 4:
		c.fg = colour_rgb(rnd(r, 256), rnd(r, 256), rnd(r, 256));
		c.bg = rnd(r, 2) ? colour_rgb(rnd(r, 256), rnd(r, 256), rnd(r, 256))
				 : COLOUR_DEFAULT;
		if (rnd(r, 2)) /* every rendition and true colour: a long SGR */
			c.attr = (uint16_t)((rnd(r, 0x100) | ATTR_UNDERLINE(rnd(r, 6))) &
					    ATTR_STYLE_MASK);
		break;
	default:
		c.attr = (uint16_t)(rnd(r, 0x100) | ATTR_UNDERLINE(rnd(r, 6)));
		c.attr &= ATTR_STYLE_MASK;
		break;
	}
	return c;
}

/* Put cell C at (x, y) keeping wide characters whole, as an emulator does. */
static void frame_set(struct display_frame *f, unsigned x, unsigned y, struct cell c)
{
	struct cell *row = &f->cells[(size_t)y * f->cols];
	unsigned w = (c.attr & CELL_WIDE) ? 2 : 1;

	if (x + w > f->cols)
		return;
	if ((row[x].attr & CELL_WIDE_TAIL) && x > 0) {
		row[x - 1].ch = ' ';
		row[x - 1].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
	if ((row[x + w - 1].attr & CELL_WIDE) && x + w < f->cols) {
		row[x + w].ch = ' ';
		row[x + w].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
	row[x] = c;
	if (w == 2) {
		struct cell t = c;
		t.ch = 0;
		t.attr = (uint16_t)((c.attr & ATTR_STYLE_MASK) | CELL_WIDE_TAIL);
		row[x + 1] = t;
	}
}

static struct cell rnd_char(struct rig *r, struct cell c)
{
	static const char *const clusters[] = { "e\xcc\x81", "a\xcc\x88", "n\xcc\x83\xcc\xa3" };
	static const uint32_t wide[] = { 0x4e2d, 0xac00, 0x1f600, 0xff21 };
	static const uint32_t narrow[] = { 0xe9, 0x3b1, 0x2500, 0x20ac };
	unsigned k = rnd(r, 20);

	c.attr &= ATTR_STYLE_MASK;
	if (k < 12)
		c.ch = 'a' + rnd(r, 26);
	else if (k < 14)
		c.ch = ' ';
	else if (k < 16)
		c.ch = narrow[rnd(r, 4)];
	else if (k < 18) {
		c.ch = wide[rnd(r, 4)];
		c.attr |= CELL_WIDE;
	} else {
		const char *t = clusters[rnd(r, 3)];
		c.ch = clusters_add(r->f->clusters, t, strlen(t));
		c.attr |= CELL_CLUSTER;
	}
	return c;
}

static struct cell rnd_blank(struct rig *r)
{
	struct cell b = cell_blank(NULL);
	if (rnd(r, 3) == 0)
		b.bg = colour_palette(rnd(r, 256));
	return b;
}

static void frame_fill_row(struct rig *r, unsigned y, unsigned x0, unsigned x1)
{
	struct cell st = rnd_style(r);
	for (unsigned x = x0; x < x1; x++) {
		if (rnd(r, 8) == 0)
			st = rnd_style(r);
		struct cell c = rnd_char(r, st);
		frame_set(r->f, x, y, c);
		if (c.attr & CELL_WIDE)
			x++;
	}
}

static void frame_blank_row(struct rig *r, unsigned y, unsigned x0, struct cell blank)
{
	for (unsigned x = x0; x < r->f->cols; x++)
		frame_set(r->f, x, y, blank);
}

static void frame_random(struct rig *r)
{
	display_frame_clear(r->f);
	for (unsigned y = 0; y < r->f->rows; y++) {
		unsigned len = rnd(r, r->f->cols + 1);
		frame_fill_row(r, y, 0, len);
		if (rnd(r, 4) == 0)
			frame_blank_row(r, y, len, rnd_blank(r));
	}
}

/* Scroll rows top..bottom of the frame by n (up if > 0), new rows blank. */
static void frame_scroll(struct display_frame *f, unsigned top, unsigned bottom, int n,
			 struct cell blank)
{
	unsigned count = (unsigned)(n > 0 ? n : -n), cols = f->cols;
	struct cell *base = f->cells;

	if (count > bottom - top)
		count = bottom - top + 1;
	if (n > 0) {
		memmove(base + (size_t)top * cols, base + (size_t)(top + count) * cols,
			sizeof *base * cols * (bottom - top + 1 - count));
		for (unsigned y = bottom + 1 - count; y <= bottom; y++)
			for (unsigned x = 0; x < cols; x++)
				base[(size_t)y * cols + x] = blank;
	} else {
		memmove(base + (size_t)(top + count) * cols, base + (size_t)top * cols,
			sizeof *base * cols * (bottom - top + 1 - count));
		for (unsigned y = top; y < top + count; y++)
			for (unsigned x = 0; x < cols; x++)
				base[(size_t)y * cols + x] = blank;
	}
}

static void frame_step(struct rig *r, unsigned step)
{
	struct display_frame *f = r->f;
	unsigned k = rnd(r, 100);

	if (k < 30) {
		/* A few cells. */
		for (unsigned n = 1 + rnd(r, 8); n > 0; n--) {
			struct cell c = rnd_char(r, rnd_style(r));
			frame_set(f, rnd(r, f->cols), rnd(r, f->rows), c);
		}
	} else if (k < 45) {
		/* A line rewritten, perhaps shorter. */
		unsigned y = rnd(r, f->rows), len = rnd(r, f->cols + 1);
		frame_fill_row(r, y, 0, len);
		frame_blank_row(r, y, len, rnd(r, 2) ? cell_blank(NULL) : rnd_blank(r));
	} else if (k < 65) {
		/* A band scrolled, new lines written: output, a pager, a pane. */
		unsigned top = 0, bottom = f->rows - 1;
		if (rnd(r, 2) && f->rows > 3) {
			top = rnd(r, f->rows - 2);
			bottom = top + 1 + rnd(r, f->rows - top - 1);
		}
		int n = 1 + (int)rnd(r, rnd(r, 4) ? 2 : (bottom - top + 1));
		if (rnd(r, 3) == 0)
			n = -n;
		if (step % 7 == 0)
			display_hint_scroll(r->d, top, bottom, n);
		frame_scroll(f, top, bottom, n, cell_blank(NULL));
		unsigned count = (unsigned)RMUX_MIN((unsigned)abs(n), bottom - top + 1);
		unsigned y0 = n > 0 ? bottom + 1 - count : top;
		for (unsigned y = y0; y < y0 + count; y++)
			frame_fill_row(r, y, 0, rnd(r, f->cols + 1));
	} else if (k < 72) {
		/* A run of blank rows (clear, or erase below). */
		struct cell b = rnd_blank(r);
		for (unsigned y = rnd(r, f->rows); y < f->rows; y++)
			frame_blank_row(r, y, 0, b);
	} else if (k < 80) {
		/* Cursor, shape, visibility, title. */
		f->cursor_visible = rnd(r, 4) != 0;
		f->cursor_style = rnd(r, 7);
		char title[32];
		snprintf(title, sizeof title, "title %u", rnd(r, 5));
		display_frame_set_title(f, title);
	} else if (k < 84) {
		/* Ctrl-L. */
		display_invalidate(r->d);
	} else if (k < 87) {
		/* The terminal resized. */
		unsigned cols = 2 + rnd(r, 100), rows = 1 + rnd(r, 40);
		display_frame_resize(f, cols, rows);
		display_resize(r->d, cols, rows);
		vt_resize(r->vt, cols, rows);
		frame_random(r);
	} else if (k < 90) {
		frame_random(r);
	} else {
		/* Nothing: the renderer must write nothing. */
		rig_render(r);
		if (r->out.len != 0) {
			dump_bytes(&r->out);
			fail_msg("%s: bytes written for an unchanged frame", r->caps->term);
		}
	}
	f->cx = rnd(r, f->cols);
	f->cy = rnd(r, f->rows);
	if (rnd(r, 4))
		f->cx = f->cx / 2;
}

static void random_run(const char *term, const char *colorterm, uint64_t seed, unsigned steps)
{
	struct rig r;
	char what[64];

	rig_init(&r, term, colorterm, 80, 24, seed);
	frame_random(&r);
	rig_render(&r);
	rig_check(&r, "first frame");
	for (unsigned i = 0; i < steps; i++) {
		frame_step(&r, i);
		rig_render(&r);
		snprintf(what, sizeof what, "seed %llu step %u", (unsigned long long)seed, i);
		rig_check(&r, what);
	}
	const struct display_stats *st = display_stats(r.d);
	/* The run exercised the paths it is meant to. */
	assert_true(st->scrolls > 10);
	assert_true(st->repaints > 5);
	rig_free(&r);
}

static void test_random_xterm(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++)
		random_run("xterm-256color", NULL, seed, 400);
}

static void test_random_xterm_truecolour(void **state)
{
	(void)state;
	for (uint64_t seed = 11; seed <= 12; seed++)
		random_run("xterm-256color", "truecolor", seed, 400);
}

static void test_random_tmux(void **state)
{
	(void)state;
	for (uint64_t seed = 21; seed <= 23; seed++)
		random_run("tmux-256color", NULL, seed, 400);
}

static void test_random_screen(void **state)
{
	(void)state;
	for (uint64_t seed = 31; seed <= 32; seed++)
		random_run("screen-256color", NULL, seed, 400);
}

static void test_random_linux(void **state)
{
	(void)state;
	for (uint64_t seed = 41; seed <= 42; seed++)
		random_run("linux", NULL, seed, 400);
}

static void test_random_vt100(void **state)
{
	(void)state;
	for (uint64_t seed = 51; seed <= 52; seed++)
		random_run("vt100", NULL, seed, 400);
}

/* ---- costs ---- */

static void fill_text(struct rig *r)
{
	display_frame_clear(r->f);
	for (unsigned y = 0; y < r->f->rows; y++) {
		struct cell c = cell_blank(NULL);
		c.fg = colour_palette(y % 8);
		for (unsigned x = 0; x < r->f->cols; x++) {
			c.ch = 'A' + (x * 7 + y * 3) % 26;
			frame_set(r->f, x, y, c);
		}
	}
}

static void test_costs(void **state)
{
	(void)state;
	struct rig r;

	rig_init(&r, "xterm-256color", NULL, 80, 24, 5);
	r.caps->sync = 0; /* count the drawing alone */
	fill_text(&r);
	r.f->cx = 0;
	r.f->cy = 23;
	size_t repaint = rig_render(&r);
	rig_check(&r, "text");
	assert_true(repaint > 80 * 24);

	/* Nothing changed: nothing written. */
	assert_int_equal(rig_render(&r), 0);

	/* One cell: a move, the character and a move back. */
	struct cell c = r.f->cells[10 * 80 + 40];
	c.ch = c.ch == 'Z' ? 'Y' : 'Z';
	frame_set(r.f, 40, 10, c);
	size_t one = rig_render(&r);
	rig_check(&r, "one cell");
	/* \E[11;41H \E[32m Z \E[13B \r: 20 bytes. */
	assert_true(one > 0);
	assert_true(one <= 24);

	/* The same cell again with the cursor next to it: relative moves. */
	r.f->cx = 41;
	r.f->cy = 10;
	rig_render(&r);
	c.ch = c.ch == 'Z' ? 'Y' : 'Z';
	frame_set(r.f, 40, 10, c);
	size_t near = rig_render(&r);
	rig_check(&r, "one cell near the cursor");
	assert_true(near <= 8); /* \b \E[32m Z */

	/* A scroll of 24 rows with one new line. */
	unsigned long scrolls = display_stats(r.d)->scrolls;
	frame_scroll(r.f, 0, 23, 1, cell_blank(NULL));
	for (unsigned x = 0; x < 30; x++) {
		c.ch = 'a' + x % 26;
		frame_set(r.f, x, 23, c);
	}
	size_t scroll = rig_render(&r);
	rig_check(&r, "scroll");
	assert_int_equal(display_stats(r.d)->scrolls, scrolls + 1);
	assert_true(scroll * 10 < repaint);
	assert_true(scroll < 80);

	/* A band of a split screen scrolled (rows 5-15 by 3, down). */
	scrolls = display_stats(r.d)->scrolls;
	frame_scroll(r.f, 5, 15, -3, cell_blank(NULL));
	size_t band = rig_render(&r);
	rig_check(&r, "band");
	assert_int_equal(display_stats(r.d)->scrolls, scrolls + 1);
	assert_true(band * 10 < repaint);

	/* With synchronized output the update is wrapped, once. */
	r.caps->sync = 1;
	c.ch = c.ch == 'Z' ? 'Y' : 'Z';
	frame_set(r.f, 3, 3, c);
	rig_render(&r);
	rig_check(&r, "sync");
	assert_true(r.out.len > 16);
	assert_memory_equal(r.out.data, "\033[?2026h", 8);
	assert_memory_equal(r.out.data + r.out.len - 8, "\033[?2026l", 8);
	assert_int_equal(rig_render(&r), 0);

	print_message("bytes: repaint %zu, one cell %zu, one cell near the cursor %zu, "
		      "24-row scroll + new line %zu, band scroll %zu\n",
		      repaint, one, near, scroll, band);

	/* Ctrl-L repaints everything. */
	unsigned long repaints = display_stats(r.d)->repaints;
	display_invalidate(r.d);
	assert_true(rig_render(&r) > 80 * 18); /* the frame has 18 full rows */
	assert_int_equal(display_stats(r.d)->repaints, repaints + 1);
	rig_check(&r, "repaint");
	rig_free(&r);
}

/* A pen change costs one SGR; the same pen none. */
static void test_sgr_only_on_change(void **state)
{
	(void)state;
	struct rig r;

	rig_init(&r, "xterm-256color", NULL, 20, 2, 6);
	r.caps->sync = 0;
	struct cell c = cell_blank(NULL);
	c.fg = colour_palette(196);
	c.attr = ATTR_BOLD;
	for (unsigned x = 0; x < 10; x++) {
		c.ch = 'a' + x;
		frame_set(r.f, x, 0, c);
	}
	rig_render(&r);
	rig_check(&r, "styled run");
	size_t sgr = 0;
	for (size_t i = 0; i + 1 < r.out.len; i++) {
		if (r.out.data[i] == 033 && r.out.data[i + 1] == '[') {
			size_t j = i + 2;
			while (j < r.out.len && (r.out.data[j] < 0x40 || r.out.data[j] > 0x7e))
				j++;
			if (j < r.out.len && r.out.data[j] == 'm')
				sgr++;
		}
	}
	/* Reset at the repaint, then one pen for the whole run. */
	assert_true(sgr <= 2);
	assert_non_null(memmem(r.out.data, r.out.len, "abcdefghij", 10));
	rig_free(&r);
}

/* Erase to end of line in a colour only where the terminal has bce: a
 * terminal without it erases in the default colour, which the (bce)
 * emulator cannot show, so look at the bytes. */
static void test_bce(void **state)
{
	(void)state;
	const char *terms[] = { "xterm-256color", "tmux-256color" };

	for (unsigned i = 0; i < 2; i++) {
		struct rig r;
		rig_init(&r, terms[i], NULL, 40, 3, 9);
		struct cell c = cell_blank(NULL);
		c.bg = colour_palette(4);
		for (unsigned x = 0; x < 40; x++) {
			c.ch = x < 5 ? 'a' + x : ' ';
			frame_set(r.f, x, 1, c);
		}
		rig_render(&r);
		rig_check(&r, "coloured blanks");
		int has_el = memmem(r.out.data, r.out.len, "\033[K", 3) != NULL;
		assert_int_equal(has_el, r.caps->bce);
		/* Default blanks are erased on both. */
		for (unsigned x = 0; x < 40; x++)
			frame_set(r.f, x, 1, cell_blank(NULL));
		rig_render(&r);
		rig_check(&r, "default blanks");
		assert_non_null(memmem(r.out.data, r.out.len, "\033[K", 3));
		assert_true(r.out.len < 40);
		rig_free(&r);
	}
}

/* Wide characters are never split, even when the frame asks for it. */
static void test_wide_edges(void **state)
{
	(void)state;
	struct rig r;

	rig_init(&r, "xterm-256color", NULL, 10, 3, 7);
	struct cell w = cell_blank(NULL);
	w.ch = 0x4e2d;
	w.attr = CELL_WIDE;
	/* Row 0: wide characters everywhere; then shifted by one. */
	for (unsigned x = 0; x + 1 < 10; x += 2)
		frame_set(r.f, x, 0, w);
	rig_render(&r);
	rig_check(&r, "wide row");
	for (unsigned x = 1; x + 1 < 10; x += 2)
		frame_set(r.f, x, 0, w);
	rig_render(&r);
	rig_check(&r, "wide row shifted");
	/* A wide head in the last column is shown as a blank. */
	r.f->cells[1 * 10 + 9] = w;
	rig_render(&r);
	const struct cell *got = grid_cell(vt_screen(r.vt)->grid, 9, 1);
	assert_int_equal(got->ch, ' ');
	assert_int_equal(got->attr & CELL_SHAPE_MASK, 0);
	/* A control character in a cell never reaches the terminal. */
	struct cell bad = cell_blank(NULL);
	bad.ch = 0x1b;
	r.f->cells[2 * 10 + 0] = bad;
	rig_render(&r);
	got = grid_cell(vt_screen(r.vt)->grid, 0, 2);
	assert_int_equal(got->ch, '?');
	rig_free(&r);
}

/* Frames copied from an emulator that ran a program's output: the second
 * emulator, fed the renderer's bytes, shows the same. Scrolling text must
 * go through scroll regions. */
static void test_from_screen(void **state)
{
	(void)state;
	struct rig r;
	struct vt *src = vt_create(60, 20, 100);
	char line[256];

	rig_init(&r, "tmux-256color", NULL, 60, 20, 8);
	for (unsigned i = 0; i < 300; i++) {
		int n = snprintf(
			line, sizeof line,
			"\033[3%um%04u \033[1;4%um%s\033[m \xe4\xb8\xad e\xcc\x81 %.*s\r\n", i % 8,
			i, (i / 8) % 8, i % 3 ? "ok" : "fail", (int)(i % 40),
			"................................................");
		vt_input(src, line, (size_t)n);
		if (i % 50 == 49) {
			static const char band[] = "\033[5;15r\033[15;1H\n\n\033[r";
			vt_input(src, band, sizeof band - 1);
		} /* a band scrolls */
		if (i % 3)
			continue;
		struct screen *s = vt_screen(src);
		display_frame_clear(r.f);
		display_frame_copy_screen(r.f, 0, 0, s, 0, 0, s->cols, s->rows);
		r.f->cx = s->cx;
		r.f->cy = s->cy;
		rig_render(&r);
		rig_check(&r, "from screen");
	}
	assert_true(display_stats(r.d)->scrolls > 50);
	vt_free(src);
	rig_free(&r);
}

/* ---- colours ---- */

static void test_nearest_256(void **state)
{
	(void)state;
	uint64_t s = 99;
	for (unsigned i = 0; i < 20000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		unsigned r = s & 0xff, g = s >> 8 & 0xff, b = s >> 16 & 0xff;
		unsigned got = display_nearest_256(r, g, b);
		assert_in_range(got, 16, 255);
		unsigned best = UINT32_MAX;
		for (unsigned k = 16; k < 256; k++) {
			uint32_t v = display_palette_rgb(k);
			int dr = (int)(v >> 16) - (int)r, dg = (int)(v >> 8 & 0xff) - (int)g,
			    db = (int)(v & 0xff) - (int)b;
			unsigned d = (unsigned)(dr * dr + dg * dg + db * db);
			if (d < best)
				best = d;
		}
		uint32_t v = display_palette_rgb(got);
		int dr = (int)(v >> 16) - (int)r, dg = (int)(v >> 8 & 0xff) - (int)g,
		    db = (int)(v & 0xff) - (int)b;
		assert_int_equal((unsigned)(dr * dr + dg * dg + db * db), best);
	}
	/* Exact palette colours map to themselves. */
	for (unsigned k = 16; k < 256; k++) {
		uint32_t v = display_palette_rgb(k);
		unsigned got = display_nearest_256(v >> 16, v >> 8 & 0xff, v & 0xff);
		assert_int_equal(display_palette_rgb(got), v);
	}
}

static void test_colour_mapping(void **state)
{
	(void)state;
	struct tty_caps *x = caps_for("xterm-256color", NULL);
	struct tty_caps *t = caps_for("xterm-256color", "truecolor");
	struct tty_caps *l = caps_for("linux", NULL);
	struct tty_caps *v = caps_for("vt100", NULL);
	uint32_t red = colour_rgb(255, 0, 0);

	assert_int_equal(display_colour(t, red), red);
	assert_int_equal(display_colour(x, red), colour_palette(196));
	assert_int_equal(display_colour(x, colour_rgb(0x80, 0x80, 0x80)), colour_palette(244));
	assert_int_equal(display_colour(x, colour_palette(77)), colour_palette(77));
	assert_int_equal(display_colour(l, red), colour_palette(1));
	assert_int_equal(display_colour(l, colour_palette(9)), colour_palette(1));
	assert_int_equal(display_colour(l, colour_palette(21)), colour_palette(4));
	assert_int_equal(display_colour(v, red), COLOUR_DEFAULT);
	assert_int_equal(display_colour(v, colour_palette(3)), COLOUR_DEFAULT);

	/* vt100 shows bold, underline, blink and reverse only. */
	struct cell c = { 'a', red, COLOUR_DEFAULT,
			  ATTR_BOLD | ATTR_ITALIC | ATTR_UNDERLINE(UL_CURLY), 3 };
	display_map_cell(v, &c);
	assert_int_equal(c.attr, ATTR_BOLD | ATTR_UNDERLINE(UL_SINGLE));
	assert_int_equal(c.fg, COLOUR_DEFAULT);
	assert_int_equal(c.link, 0);
	tty_caps_free(x);
	tty_caps_free(t);
	tty_caps_free(l);
	tty_caps_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nearest_256),
		cmocka_unit_test(test_colour_mapping),
		cmocka_unit_test(test_costs),
		cmocka_unit_test(test_sgr_only_on_change),
		cmocka_unit_test(test_bce),
		cmocka_unit_test(test_wide_edges),
		cmocka_unit_test(test_from_screen),
		cmocka_unit_test(test_random_xterm),
		cmocka_unit_test(test_random_xterm_truecolour),
		cmocka_unit_test(test_random_tmux),
		cmocka_unit_test(test_random_screen),
		cmocka_unit_test(test_random_linux),
		cmocka_unit_test(test_random_vt100),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
