/* display.c — the renderer (see display.h). It keeps a model of the
 * terminal's screen ("shown") and, per update: maps the frame to what the
 * terminal can show ("next"), repaints from a cleared screen when the model
 * is unknown, finds one scroll of a band of rows and does it with a scroll
 * region, then per row rewrites only the cells that differ (closing over
 * both halves of wide characters), erasing to end of line when the rest is
 * blank, moving the cursor by the cheapest of absolute, relative and
 * rewrite-what-is-there, and changing SGR only when the pen changes. The
 * whole update is wrapped in synchronized output when the terminal has it.
 *
 * The model follows what an xterm-like terminal does (and rmux's own
 * emulator, which the tests feed the output to): writing over one half of
 * a wide character blanks the other half; erases and scrolls fill with the
 * current background, which is why the pen's background is set to the
 * wanted blank before any erase, and erases other than default-coloured
 * are used only when the terminal has bce. */
#include "client/display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "term/utf8.h"

/* ---- colours ---- */

static const uint32_t display_ansi16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const unsigned display_cube[6] = { 0, 95, 135, 175, 215, 255 };

uint32_t display_palette_rgb(unsigned index)
{
	index &= 0xffu;
	if (index < 16)
		return display_ansi16[index];
	if (index < 232) {
		unsigned i = index - 16;
		return display_cube[i / 36] << 16 | display_cube[i / 6 % 6] << 8 |
		       display_cube[i % 6];
	}
	unsigned v = 8 + 10 * (index - 232);
	return v << 16 | v << 8 | v;
}

static unsigned display_dist(uint32_t rgb, unsigned r, unsigned g, unsigned b)
{
	int dr = (int)(rgb >> 16 & 0xff) - (int)r;
	int dg = (int)(rgb >> 8 & 0xff) - (int)g;
	int db = (int)(rgb & 0xff) - (int)b;
	return (unsigned)(dr * dr + dg * dg + db * db);
}

static unsigned display_cube_level(unsigned v)
{
	unsigned best = 0;
	for (unsigned i = 1; i < 6; i++) {
		if (abs((int)display_cube[i] - (int)v) < abs((int)display_cube[best] - (int)v))
			best = i;
	}
	return best;
}

/* The cube is a product of per-channel levels, so the nearest cube entry
 * is the nearest level of each channel; the grey ramp is a line, so its
 * nearest entry is the one nearest the mean. */
unsigned display_nearest_256(unsigned r, unsigned g, unsigned b)
{
	unsigned cube =
		16 + 36 * display_cube_level(r) + 6 * display_cube_level(g) + display_cube_level(b);
	int mean = (int)(r + g + b) / 3;
	int gi = (mean - 8 + 5) / 10;
	gi = RMUX_CLAMP(gi, 0, 23);
	/* The mean is rounded down: the neighbour may be as near. */
	unsigned grey = 232 + (unsigned)gi;
	if (gi < 23 && display_dist(display_palette_rgb(grey + 1), r, g, b) <
			       display_dist(display_palette_rgb(grey), r, g, b))
		grey++;
	if (display_dist(display_palette_rgb(grey), r, g, b) <
	    display_dist(display_palette_rgb(cube), r, g, b))
		return grey;
	return cube;
}

static unsigned display_nearest_of(uint32_t rgb, unsigned n)
{
	unsigned best = 0, bestd = UINT32_MAX;
	for (unsigned i = 0; i < n; i++) {
		unsigned d = display_dist(display_ansi16[i], rgb >> 16 & 0xff, rgb >> 8 & 0xff,
					  rgb & 0xff);
		if (d < bestd) {
			best = i;
			bestd = d;
		}
	}
	return best;
}

uint32_t display_colour(const struct tty_caps *caps, uint32_t c)
{
	if (caps->colours == 0)
		return COLOUR_DEFAULT;
	switch (COLOUR_KIND(c)) {
	case COLOUR_RGB: {
		uint32_t v = COLOUR_VALUE(c);
		if (caps->truecolour)
			return c;
		if (caps->colours >= 256)
			return colour_palette(
				display_nearest_256(v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff));
		return colour_palette(display_nearest_of(v, caps->colours));
	}
	case COLOUR_PALETTE: {
		unsigned i = c & 0xffu;
		if (i < caps->colours)
			return c;
		if (i < 16 && caps->colours == 8)
			return colour_palette(i - 8); /* bright to normal */
		return colour_palette(display_nearest_of(display_palette_rgb(i), caps->colours));
	}
	default: return COLOUR_DEFAULT;
	}
}

void display_map_cell(const struct tty_caps *caps, struct cell *c)
{
	c->fg = display_colour(caps, c->fg);
	c->bg = display_colour(caps, c->bg);
	uint16_t shape = c->attr & CELL_SHAPE_MASK;
	uint16_t style = c->attr & ATTR_STYLE_MASK & ~ATTR_UL_MASK & caps->attrs;
	unsigned ul = ATTR_UL_STYLE(c->attr);
	if (!(caps->attrs & ATTR_UL_MASK))
		ul = UL_NONE;
	else if (ul != UL_NONE && !caps->ul_styles)
		ul = UL_SINGLE;
	c->attr = (uint16_t)(shape | style | ATTR_UNDERLINE(ul));
	c->link = 0;
}

/* ---- frames ---- */

struct display_frame *display_frame_create(unsigned cols, unsigned rows)
{
	struct display_frame *f = xcalloc(1, sizeof *f);

	f->title = xstrdup("");
	f->cursor_visible = 1;
	display_frame_resize(f, cols, rows);
	return f;
}

void display_frame_free(struct display_frame *f)
{
	if (f == NULL)
		return;
	free(f->cells);
	clusters_free(f->clusters);
	free(f->title);
	free(f);
}

void display_frame_resize(struct display_frame *f, unsigned cols, unsigned rows)
{
	free(f->cells);
	f->cols = cols;
	f->rows = rows;
	f->cells = xcalloc((size_t)cols * rows + 1, sizeof *f->cells);
	display_frame_clear(f);
}

void display_frame_clear(struct display_frame *f)
{
	struct cell blank = cell_blank(NULL);

	for (size_t i = 0; i < (size_t)f->cols * f->rows; i++)
		f->cells[i] = blank;
	clusters_free(f->clusters);
	f->clusters = clusters_create();
	f->cx = f->cy = 0;
}

void display_frame_set_title(struct display_frame *f, const char *title)
{
	free(f->title);
	f->title = xstrdup(title != NULL ? title : "");
}

void display_frame_put(struct display_frame *f, unsigned x, unsigned y, const struct cell *cell,
		       const struct clusters *src)
{
	if (x >= f->cols || y >= f->rows)
		return;
	struct cell c = *cell;
	if (c.attr & CELL_CLUSTER) {
		size_t len;
		const char *text = src != NULL ? clusters_get(src, c.ch, &len) : NULL;
		uint32_t id = text != NULL ? clusters_add(f->clusters, text, len) : UINT32_MAX;
		if (id == UINT32_MAX) {
			/* Unknown, or the table is full: keep the base character. */
			uint32_t cp = ' ';
			if (text != NULL)
				utf8_decode((const uint8_t *)text, len, &cp);
			c.ch = cp;
			c.attr &= (uint16_t)~CELL_CLUSTER;
		} else
			c.ch = id;
	}
	f->cells[(size_t)y * f->cols + x] = c;
}

void display_frame_copy_screen(struct display_frame *f, unsigned x, unsigned y,
			       const struct screen *s, unsigned sx, unsigned sy, unsigned w,
			       unsigned h)
{
	const struct grid *g = s->grid;

	for (unsigned j = 0; j < h && y + j < f->rows && sy + j < g->rows; j++) {
		const struct cell *row = g->row[sy + j].cells;
		for (unsigned i = 0; i < w && x + i < f->cols && sx + i < g->cols; i++) {
			struct cell c = row[sx + i];
			int cut = ((c.attr & CELL_WIDE_TAIL) && i == 0) ||
				  ((c.attr & CELL_WIDE) && (i + 1 == w || x + i + 1 >= f->cols));
			if (cut) {
				c.ch = ' ';
				c.attr &= (uint16_t)~CELL_SHAPE_MASK;
			}
			display_frame_put(f, x + i, y + j, &c, s->clusters);
		}
	}
}

/* ---- the renderer ---- */

struct display {
	const struct tty_caps *caps;
	unsigned cols, rows;
	struct cell *shown;        /* what the terminal shows */
	struct cell *next;         /* the frame being drawn, mapped */
	struct clusters *clusters; /* ids of CELL_CLUSTER cells in shown and next */
	uint64_t *hash_shown, *hash_next;
	uint8_t *mark; /* cols: cells of the row to rewrite */
	int valid;     /* 0: repaint everything */

	int cx, cy; /* cursor; -1: unknown */
	int pen_known;
	struct cell pen;    /* fg, bg, attr (rendition) in force */
	int cursor_visible; /* -1 unknown */
	int cursor_style;   /* -1 unknown */
	char *title;        /* NULL: unknown */

	int hint; /* a scroll hint is pending */
	unsigned hint_top, hint_bottom;
	int hint_n;

	struct display_stats stats;
};

static void display_alloc(struct display *d)
{
	size_t n = (size_t)d->cols * d->rows + 1;

	d->shown = xcalloc(n, sizeof *d->shown);
	d->next = xcalloc(n, sizeof *d->next);
	d->hash_shown = xcalloc(d->rows + 1, sizeof *d->hash_shown);
	d->hash_next = xcalloc(d->rows + 1, sizeof *d->hash_next);
	d->mark = xcalloc(d->cols + 1, 1);
}

static void display_release(struct display *d)
{
	free(d->shown);
	free(d->next);
	free(d->hash_shown);
	free(d->hash_next);
	free(d->mark);
}

struct display *display_create(const struct tty_caps *caps, unsigned cols, unsigned rows)
{
	struct display *d = xcalloc(1, sizeof *d);

	d->caps = caps;
	d->cols = RMUX_MAX(cols, 1u);
	d->rows = RMUX_MAX(rows, 1u);
	d->clusters = clusters_create();
	display_alloc(d);
	display_invalidate(d);
	return d;
}

void display_free(struct display *d)
{
	if (d == NULL)
		return;
	display_release(d);
	clusters_free(d->clusters);
	free(d->title);
	free(d);
}

void display_invalidate(struct display *d)
{
	d->valid = 0;
	d->cx = d->cy = -1;
	d->pen_known = 0;
	d->cursor_visible = -1;
	d->cursor_style = -1;
	free(d->title);
	d->title = NULL;
	d->hint = 0;
}

void display_resize(struct display *d, unsigned cols, unsigned rows)
{
	display_release(d);
	d->cols = RMUX_MAX(cols, 1u);
	d->rows = RMUX_MAX(rows, 1u);
	display_alloc(d);
	d->valid = 0;
	d->cx = d->cy = -1;
	d->hint = 0;
}

void display_hint_scroll(struct display *d, unsigned top, unsigned bottom, int n)
{
	d->hint = 1;
	d->hint_top = top;
	d->hint_bottom = bottom;
	d->hint_n = n;
}

const struct display_stats *display_stats(const struct display *d)
{
	return &d->stats;
}

static inline struct cell *display_shown(struct display *d, unsigned x, unsigned y)
{
	return &d->shown[(size_t)y * d->cols + x];
}

static inline struct cell *display_next(struct display *d, unsigned x, unsigned y)
{
	return &d->next[(size_t)y * d->cols + x];
}

static inline int display_cell_equal(const struct cell *a, const struct cell *b)
{
	return a->ch == b->ch && a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

/* A cell an erase in background BG leaves. */
static inline int display_is_blank(const struct cell *c, uint32_t bg)
{
	return c->ch == ' ' && c->fg == COLOUR_DEFAULT && c->bg == bg && c->attr == 0;
}

static int display_printable(uint32_t ch)
{
	return ch >= 0x20 && !(ch >= 0x7f && ch < 0xa0) && ch <= 0x10ffff &&
	       !(ch >= 0xd800 && ch < 0xe000);
}

/* Ids of cluster cells in use by the model and the part of next built so
 * far, so a full table can be collected. */
static void display_collect(struct display *d, size_t next_done)
{
	size_t cap = clusters_capacity(d->clusters);
	uint8_t *used = xcalloc(cap / 8 + 1, 1);
	size_t n = (size_t)d->cols * d->rows;

	for (size_t i = 0; i < n; i++) {
		if ((d->shown[i].attr & CELL_CLUSTER) && d->shown[i].ch < cap)
			used[d->shown[i].ch / 8] |= (uint8_t)(1u << (d->shown[i].ch % 8));
	}
	for (size_t i = 0; i < next_done; i++) {
		if ((d->next[i].attr & CELL_CLUSTER) && d->next[i].ch < cap)
			used[d->next[i].ch / 8] |= (uint8_t)(1u << (d->next[i].ch % 8));
	}
	clusters_collect(d->clusters, used);
	free(used);
}

/* Fill d->next from FRAME: mapped to the terminal's abilities, wide
 * characters made whole, cluster ids moved into the display's table. */
static void display_map_frame(struct display *d, const struct display_frame *f)
{
	struct cell blank = cell_blank(NULL);

	for (unsigned y = 0; y < d->rows; y++) {
		for (unsigned x = 0; x < d->cols; x++) {
			struct cell c = blank;
			if (y < f->rows && x < f->cols)
				c = f->cells[(size_t)y * f->cols + x];
			display_map_cell(d->caps, &c);
			struct cell *dst = display_next(d, x, y);
			if (c.attr & CELL_WIDE_TAIL) {
				/* Made by its head (below); a stray tail is a blank. */
				if (x > 0 && (dst[-1].attr & CELL_WIDE))
					continue;
				c.ch = ' ';
				c.attr &= (uint16_t)~CELL_SHAPE_MASK;
			}
			if (c.attr & CELL_CLUSTER) {
				size_t len;
				const char *text = clusters_get(f->clusters, c.ch, &len);
				uint32_t id = UINT32_MAX;
				if (text != NULL) {
					id = clusters_add(d->clusters, text, len);
					if (id == UINT32_MAX) {
						display_collect(d, (size_t)y * d->cols + x);
						id = clusters_add(d->clusters, text, len);
					}
				}
				if (id == UINT32_MAX) {
					uint32_t cp = ' ';
					if (text != NULL)
						utf8_decode((const uint8_t *)text, len, &cp);
					c.ch = cp;
					c.attr &= (uint16_t)~CELL_CLUSTER;
				} else
					c.ch = id;
			}
			if (!(c.attr & CELL_CLUSTER) && !display_printable(c.ch)) {
				/* Content never reaches the terminal as a control. */
				c.ch = '?';
				c.attr &= (uint16_t)~CELL_SHAPE_MASK;
			}
			if ((c.attr & CELL_WIDE) && x + 1 >= d->cols) {
				/* Never split: a wide character that does not fit is a blank. */
				c.ch = ' ';
				c.attr &= (uint16_t)~CELL_SHAPE_MASK;
			}
			c.attr &= (uint16_t)~CELL_WIDE_TAIL;
			*dst = c;
			if (c.attr & CELL_WIDE) {
				struct cell t = c;
				t.ch = 0;
				t.attr = (uint16_t)((c.attr & ATTR_STYLE_MASK) | CELL_WIDE_TAIL);
				dst[1] = t;
				x++;
			}
		}
	}
}

/* ---- output helpers ---- */

/* Set the pen to WANT (fg, bg, rendition). */
void display_sgr(const struct tty_caps *caps, const struct cell *from, const struct cell *want,
    struct buf *out)
{
	struct cell cur = from != NULL ? *from : cell_blank(NULL);
	uint16_t wattr = want->attr & ATTR_STYLE_MASK;
	char p[160];
	size_t n = 0;

	cur.attr &= ATTR_STYLE_MASK;
	if (from != NULL && cur.fg == want->fg && cur.bg == want->bg && cur.attr == wattr)
		return;
	unsigned cul = ATTR_UL_STYLE(cur.attr), wul = ATTR_UL_STYLE(wattr);
	uint16_t cother = cur.attr & ~ATTR_UL_MASK, wother = wattr & ~ATTR_UL_MASK;
	if (from == NULL || (cother & ~wother) != 0 || (cul != UL_NONE && wul == UL_NONE)) {
		p[n++] = '0';
		cur.fg = cur.bg = COLOUR_DEFAULT;
		cur.attr = 0;
		cother = 0;
		cul = UL_NONE;
	}
	static const struct {
		uint16_t bit;
		const char *code;
	} codes[] = {
		{ ATTR_BOLD, "1" },   { ATTR_DIM, "2" },       { ATTR_ITALIC, "3" },
		{ ATTR_BLINK, "5" },  { ATTR_REVERSE, "7" },   { ATTR_HIDDEN, "8" },
		{ ATTR_STRIKE, "9" }, { ATTR_OVERLINE, "53" },
	};
	for (size_t i = 0; i < RMUX_NITEMS(codes); i++) {
		if ((wother & codes[i].bit) && !(cother & codes[i].bit)) {
			n += (size_t)snprintf(p + n, sizeof p - n, "%s%s", n ? ";" : "",
					      codes[i].code);
		}
	}
	if (wul != cul) {
		if (wul == UL_SINGLE || !caps->ul_styles)
			n += (size_t)snprintf(p + n, sizeof p - n, "%s4", n ? ";" : "");
		else
			n += (size_t)snprintf(p + n, sizeof p - n, "%s4:%u", n ? ";" : "", wul);
	}
	for (int which = 0; which < 2; which++) {
		uint32_t w = which ? want->bg : want->fg;
		uint32_t c = which ? cur.bg : cur.fg;
		unsigned base = which ? 40 : 30;
		if (w == c)
			continue;
		/* Terminals keep 16 to 30 parameters: with every rendition on,
		 * a true-colour pair would pass that, so it starts afresh. */
		unsigned params = n > 0;
		for (size_t i = 0; i < n; i++)
			params += p[i] == ';' || p[i] == ':';
		if (params > 8) {
			buf_add(out, "\033[", 2);
			buf_add(out, p, n);
			buf_add_u8(out, 'm');
			n = 0;
		}
		const char *sep = n ? ";" : "";
		if (COLOUR_KIND(w) == COLOUR_RGB) {
			uint32_t v = COLOUR_VALUE(w);
			n += (size_t)snprintf(p + n, sizeof p - n, "%s%u;2;%u;%u;%u", sep, base + 8,
					      v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
		} else if (COLOUR_KIND(w) == COLOUR_PALETTE) {
			unsigned i = w & 0xffu;
			if (i < 8)
				n += (size_t)snprintf(p + n, sizeof p - n, "%s%u", sep, base + i);
			else if (i < 16 && caps->colours >= 16)
				n += (size_t)snprintf(p + n, sizeof p - n, "%s%u", sep,
						      base + 60 + i - 8);
			else
				n += (size_t)snprintf(p + n, sizeof p - n, "%s%u;5;%u", sep,
						      base + 8, i);
		} else
			n += (size_t)snprintf(p + n, sizeof p - n, "%s%u", sep, base + 9);
	}
	buf_add(out, "\033[", 2);
	buf_add(out, p, n);
	buf_add_u8(out, 'm');
}

static void display_pen(struct display *d, struct buf *out, const struct cell *want)
{
	display_sgr(d->caps, d->pen_known ? &d->pen : NULL, want, out);
	d->pen.fg = want->fg;
	d->pen.bg = want->bg;
	d->pen.attr = want->attr & ATTR_STYLE_MASK;
	d->pen_known = 1;
}

/* Make the pen's background BG (for erases and scrolls); renditions go
 * too, since some terminals erase in reverse video. */
static void display_pen_bg(struct display *d, struct buf *out, uint32_t bg)
{
	struct cell want = { ' ', d->pen_known ? d->pen.fg : COLOUR_DEFAULT, bg, 0, 0 };

	display_pen(d, out, &want);
}

/* Bytes of capability STR with parameters (0: absent). */
static size_t display_cost(struct buf *scratch, const char *str, int nparams, int a, int b)
{
	if (str == NULL)
		return 0;
	buf_reset(scratch);
	if (nparams == 0)
		return tty_put(scratch, str);
	if (nparams == 1)
		return tty_put1(scratch, str, a);
	return tty_put2(scratch, str, a, b);
}

/* Can the cells x0..x1-1 of row Y be rewritten as they are with the pen in
 * force, to move the cursor right? Returns the byte count or 0. */
static size_t display_rewrite_cost(struct display *d, unsigned y, unsigned x0, unsigned x1)
{
	size_t len = 0;

	if (!d->pen_known || x1 > d->cols)
		return 0;
	for (unsigned x = x0; x < x1; x++) {
		const struct cell *c = display_shown(d, x, y);
		if ((c->attr & CELL_SHAPE_MASK) || !cell_same_style(c, &d->pen) ||
		    c->fg != d->pen.fg || c->bg != d->pen.bg)
			return 0;
		len += c->ch < 0x80 ? 1 : c->ch < 0x800 ? 2 : c->ch < 0x10000 ? 3 : 4;
	}
	return len;
}

static void display_rewrite(struct display *d, struct buf *out, unsigned y, unsigned x0,
			    unsigned x1)
{
	char text[8];

	for (unsigned x = x0; x < x1; x++)
		buf_add(out, text, utf8_encode(display_shown(d, x, y)->ch, text));
}

/* Horizontal move on the current row from FROM to X (from may be the start
 * after a carriage return); appends the cheapest to OUT. */
static void display_move_x(struct display *d, struct buf *out, struct buf *scratch, unsigned y,
			   unsigned from, unsigned x)
{
	const struct tty_caps *caps = d->caps;
	enum {
		NONE,
		PARAM,
		REPEAT,
		REWRITE,
		HPA
	} best = NONE;
	size_t best_len = SIZE_MAX, len;
	unsigned dx = x > from ? x - from : from - x;

	if (x == from)
		return;
	const char *param = x > from ? caps->cuf : caps->cub;
	const char *one = x > from ? caps->cuf1 : caps->cub1;
	if ((len = display_cost(scratch, param, 1, (int)dx, 0)) > 0 && len < best_len) {
		best = PARAM;
		best_len = len;
	}
	if (one != NULL && dx <= 8 && (len = strlen(one) * dx) < best_len) {
		best = REPEAT;
		best_len = len;
	}
	if (x > from && dx <= 16 && (len = display_rewrite_cost(d, y, from, x)) > 0 &&
	    len < best_len) {
		best = REWRITE;
		best_len = len;
	}
	if ((len = display_cost(scratch, caps->hpa, 1, (int)x, 0)) > 0 && len < best_len) {
		best = HPA;
		best_len = len;
	}
	switch (best) {
	case PARAM: tty_put1(out, param, (int)dx); break;
	case REPEAT:
		for (unsigned i = 0; i < dx; i++)
			tty_put(out, one);
		break;
	case REWRITE: display_rewrite(d, out, y, from, x); break;
	case HPA: tty_put1(out, caps->hpa, (int)x); break;
	case NONE: tty_put2(out, caps->cup, (int)y, (int)x); break;
	}
}

/* Move the cursor to (X, Y) by the cheapest way. */
static void display_move(struct display *d, struct buf *out, unsigned x, unsigned y)
{
	const struct tty_caps *caps = d->caps;
	struct buf a, b, scratch;

	if (d->cx == (int)x && d->cy == (int)y)
		return;
	buf_init(&a);
	buf_init(&b);
	buf_init(&scratch);
	tty_put2(&a, caps->cup, (int)y, (int)x);
	if (caps->cup == NULL) {
		tty_put(&a, caps->home);
		for (unsigned i = 0; i < y; i++)
			tty_put(&a, caps->cud1);
		for (unsigned i = 0; i < x; i++)
			tty_put(&a, caps->cuf1);
	}
	if (d->cx >= 0 && d->cy >= 0) {
		unsigned cx = (unsigned)d->cx, cy = (unsigned)d->cy;
		/* Vertical first: the column is kept. */
		if (y != cy) {
			unsigned dy = y > cy ? y - cy : cy - y;
			const char *param = y > cy ? caps->cud : caps->cuu;
			const char *one = y > cy ? caps->cud1 : caps->cuu1;
			struct buf v;
			buf_init(&v);
			size_t best = display_cost(&scratch, param, 1, (int)dy, 0);
			if (best > 0)
				tty_put1(&v, param, (int)dy);
			/* A line feed as cud1 may become CR LF: only when the
			 * column is 0 afterwards anyway (see below). */
			int one_ok = one != NULL && dy <= 4 && !(one[0] == '\n' && x != 0);
			if (one_ok && (best == 0 || strlen(one) * dy < best)) {
				buf_reset(&v);
				if (one[0] == '\n')
					tty_put(&v, caps->cr);
				for (unsigned i = 0; i < dy; i++)
					tty_put(&v, one);
				best = v.len;
				if (one[0] == '\n')
					cx = 0;
			}
			size_t vpa = display_cost(&scratch, caps->vpa, 1, (int)y, 0);
			if (vpa > 0 && (best == 0 || vpa < best)) {
				buf_reset(&v);
				tty_put1(&v, caps->vpa, (int)y);
				best = vpa;
				cx = (unsigned)d->cx;
			}
			if (best == 0)
				goto absolute;
			buf_add(&b, v.data, v.len);
			buf_free(&v);
		}
		/* Horizontal: directly, or from column 0 after a CR. */
		struct buf h1, h2;
		buf_init(&h1);
		buf_init(&h2);
		display_move_x(d, &h1, &scratch, y, cx, x);
		if (caps->cr != NULL && x < cx) {
			tty_put(&h2, caps->cr);
			display_move_x(d, &h2, &scratch, y, 0, x);
		}
		if (h2.len > 0 && h2.len < h1.len)
			buf_add(&b, h2.data, h2.len);
		else
			buf_add(&b, h1.data, h1.len);
		buf_free(&h1);
		buf_free(&h2);
		if (b.len < a.len) {
			buf_add(out, b.data, b.len);
			goto done;
		}
	}
absolute:
	buf_add(out, a.data, a.len);
done:
	buf_free(&a);
	buf_free(&b);
	buf_free(&scratch);
	d->cx = (int)x;
	d->cy = (int)y;
}

/* The model of a write of cell C at (X, Y): the other half of a wide
 * character it covers partly is blanked, as the terminal does. */
static void display_model_write(struct display *d, unsigned x, unsigned y, const struct cell *c)
{
	struct cell *row = display_shown(d, 0, y);
	unsigned w = (c->attr & CELL_WIDE) ? 2 : 1;

	if ((row[x].attr & CELL_WIDE_TAIL) && x > 0) {
		row[x - 1].ch = ' ';
		row[x - 1].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
	if ((row[x + w - 1].attr & CELL_WIDE) && x + w < d->cols) {
		row[x + w].ch = ' ';
		row[x + w].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
	row[x] = *c;
	if (w == 2)
		row[x + 1] = *display_next(d, x + 1, y);
}

/* Write cell (X, Y) of next, the cursor being there. */
static void display_put_cell(struct display *d, struct buf *out, unsigned x, unsigned y)
{
	const struct cell *c = display_next(d, x, y);
	char text[CLUSTER_MAX_BYTES + 8];

	display_pen(d, out, c);
	size_t len = cell_utf8(c, d->clusters, text);
	buf_add(out, text, len);
	display_model_write(d, x, y, c);
	unsigned nx = x + ((c->attr & CELL_WIDE) ? 2 : 1);
	if (nx >= d->cols)
		d->cx = d->cy = -1; /* the wrap is pending: where the cursor is varies */
	else
		d->cx = (int)nx;
}

/* ---- scrolling ---- */

static uint64_t display_hash_row(const struct cell *row, unsigned cols)
{
	uint64_t h = 1469598103934665603ull;

	for (unsigned x = 0; x < cols; x++) {
		const struct cell *c = &row[x];
		uint64_t v = (uint64_t)c->ch ^ (uint64_t)c->fg << 21 ^ (uint64_t)c->bg << 42 ^
			     (uint64_t)c->attr << 7;
		h = (h ^ v) * 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

static int display_rows_equal(struct display *d, unsigned ynext, unsigned yshown)
{
	if (d->hash_next[ynext] != d->hash_shown[yshown])
		return 0;
	const struct cell *a = display_next(d, 0, ynext), *b = display_shown(d, 0, yshown);
	for (unsigned x = 0; x < d->cols; x++) {
		if (!display_cell_equal(&a[x], &b[x]))
			return 0;
	}
	return 1;
}

/* Bytes a row costs to draw from blank, roughly. */
static unsigned display_row_weight(struct display *d, unsigned y)
{
	unsigned w = 0;
	const struct cell *row = display_next(d, 0, y);

	for (unsigned x = 0; x < d->cols; x++) {
		if (!display_is_blank(&row[x], COLOUR_DEFAULT))
			w++;
	}
	return w;
}

/* Scroll rows TOP..BOTTOM of the terminal by N (up if > 0) and the model
 * with them. */
static void display_scroll(struct display *d, struct buf *out, unsigned top, unsigned bottom, int n)
{
	const struct tty_caps *caps = d->caps;
	int full = top == 0 && bottom == d->rows - 1;
	unsigned count = (unsigned)(n > 0 ? n : -n);
	struct cell blank = cell_blank(NULL);

	display_pen_bg(d, out, COLOUR_DEFAULT);
	if (!full) {
		tty_put2(out, caps->csr, (int)top, (int)bottom);
		d->cx = d->cy = -1;
	}
	if (n > 0) {
		display_move(d, out, 0, bottom);
		if (caps->indn != NULL && (count > 2 || caps->ind == NULL))
			tty_put1(out, caps->indn, (int)count);
		else
			for (unsigned i = 0; i < count; i++)
				tty_put(out, caps->ind);
	} else {
		display_move(d, out, 0, top);
		if (caps->rin != NULL && (count > 2 || caps->ri == NULL))
			tty_put1(out, caps->rin, (int)count);
		else
			for (unsigned i = 0; i < count; i++)
				tty_put(out, caps->ri);
	}
	d->cx = d->cy = -1; /* a line feed may also have been a carriage return */
	if (!full)
		tty_put2(out, caps->csr, 0, (int)d->rows - 1);

	size_t rowlen = (size_t)d->cols * sizeof *d->shown;
	unsigned span = bottom - top + 1;
	if (n > 0) {
		memmove(display_shown(d, 0, top), display_shown(d, 0, top + count),
			rowlen * (span - count));
		memmove(&d->hash_shown[top], &d->hash_shown[top + count],
			sizeof *d->hash_shown * (span - count));
		for (unsigned y = bottom + 1 - count; y <= bottom; y++) {
			for (unsigned x = 0; x < d->cols; x++)
				*display_shown(d, x, y) = blank;
			d->hash_shown[y] = display_hash_row(display_shown(d, 0, y), d->cols);
		}
	} else {
		memmove(display_shown(d, 0, top + count), display_shown(d, 0, top),
			rowlen * (span - count));
		memmove(&d->hash_shown[top + count], &d->hash_shown[top],
			sizeof *d->hash_shown * (span - count));
		for (unsigned y = top; y < top + count; y++) {
			for (unsigned x = 0; x < d->cols; x++)
				*display_shown(d, x, y) = blank;
			d->hash_shown[y] = display_hash_row(display_shown(d, 0, y), d->cols);
		}
	}
	d->stats.scrolls++;
}

/* The best run of rows that a scroll by N would bring into place: returns
 * the bytes saved and sets the band [*top, *bottom] (terminal rows). */
static unsigned display_scroll_gain(struct display *d, int n, unsigned lo, unsigned hi,
				    unsigned *top, unsigned *bottom)
{
	unsigned count = (unsigned)(n > 0 ? n : -n);
	unsigned best = 0;

	if (count == 0 || count > hi - lo)
		return 0;
	/* Next row y takes shown row y + n. */
	unsigned y0 = n > 0 ? lo : lo + count, y1 = n > 0 ? hi - count : hi;
	for (unsigned y = y0; y <= y1;) {
		unsigned from = (unsigned)((int)y + n);
		if (!display_rows_equal(d, y, from)) {
			y++;
			continue;
		}
		unsigned start = y, gain = 0;
		while (y <= y1 && display_rows_equal(d, y, (unsigned)((int)y + n))) {
			if (!display_rows_equal(d, y, y))
				gain += display_row_weight(d, y) + 4;
			y++;
		}
		if (gain > best) {
			best = gain;
			if (n > 0) {
				*top = start;
				*bottom = y - 1 + count;
			} else {
				*top = start - count;
				*bottom = y - 1;
			}
		}
	}
	return best;
}

static void display_find_scroll(struct display *d, struct buf *out)
{
	const struct tty_caps *caps = d->caps;
	unsigned best_gain = 0, top = 0, bottom = 0, t, b;
	int best_n = 0;

	if (d->rows < 2)
		return;
	for (unsigned y = 0; y < d->rows; y++) {
		d->hash_shown[y] = display_hash_row(display_shown(d, 0, y), d->cols);
		d->hash_next[y] = display_hash_row(display_next(d, 0, y), d->cols);
	}
	if (d->hint) {
		d->hint = 0;
		unsigned lo = RMUX_MIN(d->hint_top, d->rows - 1),
			 hi = RMUX_MIN(d->hint_bottom, d->rows - 1);
		if (lo < hi) {
			unsigned g = display_scroll_gain(d, d->hint_n, lo, hi, &t, &b);
			if (g > 0) {
				best_gain = g;
				best_n = d->hint_n;
				top = t;
				bottom = b;
			}
		}
	}
	if (best_n == 0) {
		for (int n = 1; n < (int)d->rows; n++) {
			for (int sign = 1; sign >= -1; sign -= 2) {
				unsigned g =
					display_scroll_gain(d, n * sign, 0, d->rows - 1, &t, &b);
				if (g > best_gain) {
					best_gain = g;
					best_n = n * sign;
					top = t;
					bottom = b;
				}
			}
		}
	}
	if (best_n == 0)
		return;
	int full = top == 0 && bottom == d->rows - 1;
	unsigned count = (unsigned)(best_n > 0 ? best_n : -best_n);
	if (!full && caps->csr == NULL)
		return;
	if (best_n > 0 && caps->ind == NULL && caps->indn == NULL)
		return;
	if (best_n < 0 && caps->ri == NULL && caps->rin == NULL)
		return;
	/* csr twice, a move and the line feeds: worth it only when it saves more. */
	if (best_gain <= 24 + 2 * count)
		return;
	display_scroll(d, out, top, bottom, best_n);
}

/* ---- rows ---- */

static void display_row(struct display *d, struct buf *out, unsigned y)
{
	const struct tty_caps *caps = d->caps;
	unsigned cols = d->cols;
	uint8_t *mark = d->mark;
	struct cell *shown = display_shown(d, 0, y), *next = display_next(d, 0, y);
	int any = 0;

	for (unsigned x = 0; x < cols; x++) {
		mark[x] = !display_cell_equal(&shown[x], &next[x]);
		any |= mark[x];
	}
	if (!any)
		return;
	/* Both halves of a wide character, old or new, go together. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (unsigned x = 0; x < cols; x++) {
			if (!mark[x])
				continue;
			uint16_t both = shown[x].attr | next[x].attr;
			if ((both & CELL_WIDE) && x + 1 < cols && !mark[x + 1])
				mark[x + 1] = changed = 1;
			if ((both & CELL_WIDE_TAIL) && x > 0 && !mark[x - 1])
				mark[x - 1] = changed = 1;
		}
	}

	/* Erase to end of line when the rest of the row is blank. */
	unsigned limit = cols, e = cols;
	uint32_t bg = next[cols - 1].bg;
	if (display_is_blank(&next[cols - 1], bg) && (bg == COLOUR_DEFAULT || caps->bce) &&
	    caps->el != NULL) {
		e = cols - 1;
		while (e > 0 && display_is_blank(&next[e - 1], bg))
			e--;
		unsigned first = cols, last = 0;
		for (unsigned x = e; x < cols; x++) {
			if (mark[x]) {
				if (first == cols)
					first = x;
				last = x;
			}
		}
		int pen_ok = d->pen_known && d->pen.bg == bg && d->pen.attr == 0;
		if (first < cols && last - first + 1 > (pen_ok ? 3u : 8u))
			limit = first;
	}

	for (unsigned x = 0; x < limit; x++) {
		if (!mark[x] || (next[x].attr & CELL_WIDE_TAIL))
			continue;
		if (y == d->rows - 1 && x + ((next[x].attr & CELL_WIDE) ? 2 : 1) >= cols &&
		    caps->am && !caps->xenl && caps->rmam == NULL)
			continue; /* the bottom-right cell would scroll the screen */
		display_move(d, out, x, y);
		display_put_cell(d, out, x, y);
		if (next[x].attr & CELL_WIDE)
			x++;
	}
	if (limit < cols) {
		display_move(d, out, limit, y);
		display_pen_bg(d, out, bg);
		tty_put(out, caps->el);
		unsigned x0 = limit;
		if (x0 > 0 && (shown[x0].attr & CELL_WIDE_TAIL)) {
			shown[x0 - 1].ch = ' ';
			shown[x0 - 1].attr &= (uint16_t)~CELL_SHAPE_MASK;
		}
		struct cell blank = cell_blank(NULL);
		blank.bg = bg;
		for (unsigned x = x0; x < cols; x++)
			shown[x] = blank;
	}
}

/* ---- update ---- */

/* Updates larger than this hide the cursor while they draw (when the
 * terminal has no synchronized output): below it the flicker is not worth
 * the bytes. */
#define DISPLAY_HIDE_CURSOR_BYTES 64

static void display_repaint_start(struct display *d, struct buf *out)
{
	const struct tty_caps *caps = d->caps;
	struct cell blank = cell_blank(NULL);

	d->pen_known = 0;
	display_pen_bg(d, out, COLOUR_DEFAULT);
	if (caps->csr != NULL)
		tty_put2(out, caps->csr, 0, (int)d->rows - 1);
	if (caps->clear != NULL)
		tty_put(out, caps->clear);
	else {
		tty_put2(out, caps->cup, 0, 0);
		tty_put(out, caps->ed);
	}
	d->cx = d->cy = 0;
	for (size_t i = 0; i < (size_t)d->cols * d->rows; i++)
		d->shown[i] = blank;
	d->valid = 1;
	d->stats.repaints++;
}

void display_update(struct display *d, const struct display_frame *f, struct buf *out)
{
	const struct tty_caps *caps = d->caps;
	size_t start = out->len;
	int nowrap = caps->am && !caps->xenl && caps->rmam != NULL && caps->smam != NULL;

	display_map_frame(d, f);
	if (!d->valid)
		display_repaint_start(d, out);
	else
		display_find_scroll(d, out);
	d->hint = 0;
	if (nowrap)
		tty_put(out, caps->rmam);
	size_t before_rows = out->len;
	for (unsigned y = 0; y < d->rows; y++)
		display_row(d, out, y);
	if (!caps->sync && d->cursor_visible != 0 && caps->civis != NULL &&
	    out->len - before_rows > DISPLAY_HIDE_CURSOR_BYTES) {
		/* Without synchronized output, hide the cursor while it runs
		 * around a large update. */
		size_t hl = strlen(caps->civis);
		buf_reserve(out, hl);
		memmove(out->data + before_rows + hl, out->data + before_rows,
			out->len - before_rows);
		memcpy(out->data + before_rows, caps->civis, hl);
		out->len += hl;
		d->cursor_visible = 0;
	}
	if (nowrap)
		tty_put(out, caps->smam);

	unsigned cx = RMUX_MIN(f->cx, d->cols - 1), cy = RMUX_MIN(f->cy, d->rows - 1);
	display_move(d, out, cx, cy);
	if (caps->ss != NULL && d->cursor_style != (int)f->cursor_style && f->cursor_style <= 6) {
		tty_put1(out, caps->ss, (int)f->cursor_style);
		d->cursor_style = (int)f->cursor_style;
	}
	int vis = f->cursor_visible ? 1 : 0;
	if (d->cursor_visible != vis) {
		tty_put(out, vis ? caps->cnorm : caps->civis);
		d->cursor_visible = vis;
	}
	if (caps->title && (d->title == NULL || strcmp(d->title, f->title) != 0)) {
		tty_set_title(caps, out, f->title);
		free(d->title);
		d->title = xstrdup(f->title);
	}

	if (out->len > start) {
		if (caps->sync) {
			size_t bl = strlen(caps->sync_begin);
			buf_reserve(out, bl);
			memmove(out->data + start + bl, out->data + start, out->len - start);
			memcpy(out->data + start, caps->sync_begin, bl);
			out->len += bl;
			tty_put(out, caps->sync_end);
		}
		d->stats.updates++;
		d->stats.bytes += out->len - start;
	}
}
