/* render_demo.c — drives rmux's renderer (client/display.h) in a real
 * terminal, for tests/unit/client/render_tmux.py: it enters the terminal
 * with tty_enter, draws frame 0, and on each key 'n' the next frame (1: the
 * screen scrolled by three lines with new lines at the bottom; 2: a full
 * repaint of new content), and on 'q' restores the terminal and exits.
 * The frames are fixed so the driver knows what the pane must show. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/display.h"
#include "client/tty.h"
#include "term/utf8.h"

static void put_text(struct display_frame *f, unsigned x, unsigned y, const char *text,
		     struct cell style)
{
	const uint8_t *p = (const uint8_t *)text;
	size_t left = strlen(text);

	while (left > 0 && x < f->cols) {
		uint32_t cp;
		size_t n = utf8_decode(p, left, &cp);
		if (n == 0)
			break;
		struct cell c = style;
		c.ch = cp;
		int w = utf8_width(cp);
		if (w == 2)
			c.attr |= CELL_WIDE;
		display_frame_put(f, x, y, &c, NULL);
		if (w == 2 && x + 1 < f->cols) {
			struct cell t = c;
			t.ch = 0;
			t.attr = (uint16_t)((c.attr & ATTR_STYLE_MASK) | CELL_WIDE_TAIL);
			display_frame_put(f, x + 1, y, &t, NULL);
		}
		x += w == 2 ? 2 : 1;
		p += n;
		left -= n;
	}
}

static void put_cluster(struct display_frame *f, unsigned x, unsigned y, const char *text)
{
	struct cell c = cell_blank(NULL);
	c.ch = clusters_add(f->clusters, text, strlen(text));
	c.attr = CELL_CLUSTER;
	display_frame_put(f, x, y, &c, f->clusters);
}

/* Frame K: see the driver for what each row must look like. */
static void build(struct display_frame *f, int k)
{
	struct cell plain = cell_blank(NULL);
	char line[64];

	display_frame_clear(f);
	snprintf(line, sizeof line, "rmux render demo frame %d", k);
	put_text(f, 0, 0, line, plain);
	if (k == 2) {
		struct cell s = plain;
		s.fg = colour_palette(2);
		for (unsigned y = 1; y < f->rows; y++) {
			snprintf(line, sizeof line, "repainted %u", y);
			put_text(f, (y * 3) % 40, y, line, s);
		}
		f->cx = 5;
		f->cy = 5;
		return;
	}
	/* Rows 1..rows-1 show numbered lines "line N", N = row + 3k. */
	for (unsigned y = 1; y < f->rows; y++) {
		unsigned n = y + 3u * (unsigned)k;
		struct cell s = plain;
		snprintf(line, sizeof line, "line %02u ", n);
		put_text(f, 0, y, line, s);
		switch (n % 6) {
		case 0:
			s.fg = colour_palette(1);
			put_text(f, 8, y, "red", s);
			break;
		case 1:
			s.fg = colour_palette(208);
			s.bg = colour_palette(19);
			put_text(f, 8, y, "orange on blue", s);
			break;
		case 2:
			s.fg = colour_rgb(255, 0, 0); /* no true colour: 196 */
			put_text(f, 8, y, "rgb red", s);
			break;
		case 3:
			put_text(f, 8, y, "\xe4\xb8\xad\xe6\x96\x87 wide", s);
			put_cluster(f, 18, y, "e\xcc\x81");
			break;
		case 4:
			s.attr = ATTR_BOLD | ATTR_UNDERLINE(UL_SINGLE);
			put_text(f, 8, y, "bold underline", s);
			break;
		default:
			s.attr = ATTR_REVERSE;
			put_text(f, 8, y, "reverse", s);
			break;
		}
	}
	f->cx = 3;
	f->cy = (unsigned)f->rows - 1;
}

static int write_all(const struct buf *b)
{
	size_t off = 0;
	while (off < b->len) {
		ssize_t n = write(1, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int main(void)
{
	char err[256];
	struct tty_caps *caps = tty_caps_create(NULL, getenv("COLORTERM"), err, sizeof err);
	if (caps == NULL) {
		fprintf(stderr, "render_demo: %s\n", err);
		return 1;
	}
	unsigned cols = 80, rows = 24;
	tty_get_size(1, &cols, &rows);
	struct tty_mode mode;
	if (tty_raw_enter(&mode, 0) != 0) {
		fprintf(stderr, "render_demo: stdin is not a terminal\n");
		tty_caps_free(caps);
		return 1;
	}
	struct display *d = display_create(caps, cols, rows);
	struct display_frame *f = display_frame_create(cols, rows);
	struct buf out;
	buf_init(&out);
	tty_enter(caps, &out, TTY_ENTER_ALTSCREEN | TTY_ENTER_PASTE);

	int k = 0, rc = 0;
	build(f, k);
	display_update(d, f, &out);
	for (;;) {
		if (write_all(&out) != 0) {
			rc = 1;
			break;
		}
		buf_reset(&out);
		char c;
		ssize_t n = read(0, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || c == 'q')
			break;
		if (c != 'n' || k == 2)
			continue;
		k++;
		if (k == 1)
			display_hint_scroll(d, 1, rows - 1, 3);
		else
			display_invalidate(d);
		build(f, k);
		display_update(d, f, &out);
	}
	buf_reset(&out);
	tty_leave(caps, &out, rows);
	write_all(&out);
	tty_raw_leave(&mode);
	fprintf(stderr, "render_demo: %lu updates, %lu scrolls, %lu repaints, %lu bytes\n",
		display_stats(d)->updates, display_stats(d)->scrolls, display_stats(d)->repaints,
		display_stats(d)->bytes);
	buf_free(&out);
	display_frame_free(f);
	display_free(d);
	tty_caps_free(caps);
	return rc;
}
