/* screen.c — the state of one terminal and every operation the parser
 * performs on it (screen_ops.h): printing with deferred autowrap, wide and
 * combining characters, cursor motion, erasing and editing, scroll regions
 * and the history, modes, SGR, OSC, charsets, the alternate screen and the
 * replies a program may ask for. Where xterm and tmux differ in a way a
 * program can see, this follows tmux 3.3a, which is what rmux replaces. */
#include "term/screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term/simd.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if SIMD_HAVE_AVX2
#include <immintrin.h>
#endif

#include "common/util.h"
#include "common/xmalloc.h"
#include "term/reflow.h"
#include "term/screen_ops.h"
#include "term/utf8.h"

#define SCREEN_LINKS_MAX 1024        /* OSC 8 ids 1 .. SCREEN_LINKS_MAX - 1 */
#define SCREEN_LINK_URI_MAX 2048     /* longer URIs are not linked */
#define SCREEN_CLIPBOARD_MAX 1048576 /* OSC 52 bytes held before the owner takes them */
#define SCREEN_CWD_MAX 4096

struct screen_saved {
	unsigned cx, cy;
	struct pen pen;
	uint8_t charset[2];
	uint8_t gl;
	int origin;
};

struct screen_link {
	char *uri; /* NULL: free slot */
	char *id;  /* the OSC 8 id= parameter, "" if none */
};

struct screen_internal {
	uint8_t *tabs; /* one byte per column: 1 = tab stop */
	uint8_t charset[2];
	uint8_t gl; /* 0: G0 in use, 1: G1 (after SO) */
	struct screen_saved saved;     /* DECSC */
	struct screen_saved alt_saved; /* 1049 */
	uint32_t last;                 /* REP: last printed character */
	int last_valid;
	struct screen_link link[SCREEN_LINKS_MAX];
};

static const struct pen screen_default_pen = { COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

/* DEC special graphics for 0x5f-0x7e (VT100 line drawing). */
static const uint16_t screen_dec_graphics[32] = {
	0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0,
	0x00b1, 0x2424, 0x240b, 0x2518, 0x2510, 0x250c, 0x2514, 0x253c,
	0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c, 0x2524, 0x2534,
	0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
};

static inline struct cell screen_blank(const struct screen *s)
{
	return cell_blank(&s->pen);
}

static inline void screen_dirty(struct screen *s, unsigned y)
{
	grid_touch(s->grid, y);
}

static void screen_reset_tabs(struct screen *s)
{
	free(s->in->tabs);
	s->in->tabs = xcalloc(s->cols, 1);
	for (unsigned x = 8; x < s->cols; x += 8)
		s->in->tabs[x] = 1;
}

static void screen_init_state(struct screen *s)
{
	s->cx = 0;
	s->cy = 0;
	s->wrap_pending = 0;
	s->modes = MODE_CURSOR_VISIBLE | MODE_WRAP;
	s->cursor_style = 0;
	s->scroll_top = 0;
	s->scroll_bottom = s->rows - 1;
	s->pen = screen_default_pen;
	s->in->charset[0] = s->in->charset[1] = SCREEN_CHARSET_ASCII;
	s->in->gl = 0;
	memset(&s->in->saved, 0, sizeof s->in->saved);
	s->in->last_valid = 0;
	screen_reset_tabs(s);
}

struct screen *screen_create(unsigned cols, unsigned rows, unsigned history_limit)
{
	struct screen *s = xcalloc(1, sizeof *s);

	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	s->cols = cols;
	s->rows = rows;
	s->in = xcalloc(1, sizeof *s->in);
	s->primary = grid_create(cols, rows);
	s->grid = s->primary;
	s->history = history_create(history_limit);
	s->clusters = clusters_create();
	s->title = xstrdup("");
	s->cwd = xstrdup("");
	buf_init(&s->replies);
	buf_init(&s->clipboard);
	screen_init_state(s);
	return s;
}

static void screen_free_links(struct screen *s)
{
	for (unsigned i = 0; i < SCREEN_LINKS_MAX; i++) {
		free(s->in->link[i].uri);
		free(s->in->link[i].id);
		s->in->link[i].uri = NULL;
		s->in->link[i].id = NULL;
	}
}

void screen_free(struct screen *s)
{
	if (s == NULL)
		return;
	grid_free(s->primary);
	grid_free(s->alternate);
	history_free(s->history);
	clusters_free(s->clusters);
	free(s->title);
	free(s->cwd);
	buf_free(&s->replies);
	buf_free(&s->clipboard);
	screen_free_links(s);
	free(s->in->tabs);
	free(s->in);
	free(s);
}

const char *screen_link_uri(const struct screen *s, uint16_t link)
{
	if (link == 0 || link >= SCREEN_LINKS_MAX)
		return NULL;
	return s->in->link[link].uri;
}

int screen_cursor_visible(const struct screen *s)
{
	return (s->modes & MODE_CURSOR_VISIBLE) != 0;
}

int screen_alternate_on(const struct screen *s)
{
	return (s->modes & MODE_ALT_SCREEN) != 0;
}

/* ---- scrolling ---- */

/* Scroll the region up N rows. On the primary screen the rows leaving the
 * top of the region go to the history, whatever the region (as tmux 3.3a
 * does: a program keeping a status line with DECSTBM still fills the
 * history). The moved rows keep their dirty stamps: stamps are unique in
 * the grid, so a row now at another index already reads as changed there,
 * and grid_scroll_up() stamps the rows that arrive blank. */
static void screen_scroll_region_up(struct screen *s, unsigned n)
{
	unsigned top = s->scroll_top, bottom = s->scroll_bottom;
	struct cell blank = screen_blank(s);

	if (n > bottom - top + 1)
		n = bottom - top + 1;
	if (s->grid == s->primary) {
		for (unsigned i = 0; i < n; i++) {
			struct grid_row *r = &s->grid->row[top + i];
			history_push(s->history, r->cells, s->cols, r->flags, s->clusters);
		}
	}
	grid_scroll_up(s->grid, top, bottom, n, &blank);
}

static void screen_scroll_region_down(struct screen *s, unsigned n)
{
	unsigned top = s->scroll_top, bottom = s->scroll_bottom;
	struct cell blank = screen_blank(s);

	if (n > bottom - top + 1)
		n = bottom - top + 1;
	grid_scroll_down(s->grid, top, bottom, n, &blank);
}

/* LF, IND: the pending wrap survives (tmux keeps its cursor past the
 * edge), so text written next still wraps. */
void screen_index(struct screen *s)
{
	if (s->cy == s->scroll_bottom)
		screen_scroll_region_up(s, 1);
	else if (s->cy < s->rows - 1)
		s->cy++;
}

void screen_linefeed(struct screen *s)
{
	if (s->modes & MODE_NEWLINE) {
		s->cx = 0;
		s->wrap_pending = 0;
	}
	screen_index(s);
}

void screen_next_line(struct screen *s)
{
	s->cx = 0;
	s->wrap_pending = 0;
	screen_index(s);
}

void screen_reverse_index(struct screen *s)
{
	if (s->cy == s->scroll_top)
		screen_scroll_region_down(s, 1);
	else if (s->cy > 0)
		s->cy--;
}

void screen_carriage_return(struct screen *s)
{
	s->cx = 0;
	s->wrap_pending = 0;
}

void screen_bell(struct screen *s)
{
	s->bells++;
}

/* ---- printing ---- */

/* Writing over half of a wide character blanks the other half: make
 * cells x0..x1-1 of row Y safe to overwrite. */
static inline void screen_split_wide(struct screen *s, struct cell *row, unsigned x0, unsigned x1)
{
	if ((row[x0].attr & CELL_WIDE_TAIL) && x0 > 0) {
		row[x0 - 1].ch = ' ';
		row[x0 - 1].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
	if ((row[x1 - 1].attr & CELL_WIDE) && x1 < s->cols) {
		row[x1].ch = ' ';
		row[x1].attr &= (uint16_t)~CELL_SHAPE_MASK;
	}
}

/* Deferred autowrap: the cursor sits on the last column after writing
 * it; the next printed character first moves to a new line. */
static inline void screen_do_wrap(struct screen *s)
{
	s->grid->row[s->cy].flags |= ROW_WRAPPED;
	s->cx = 0;
	s->wrap_pending = 0;
	screen_index(s);
}

static inline uint32_t screen_translate(const struct screen *s, uint32_t cp)
{
	unsigned set = s->in->charset[s->in->gl];

	if (set == SCREEN_CHARSET_DEC && cp >= 0x5f && cp <= 0x7e)
		return screen_dec_graphics[cp - 0x5f];
	if (set == SCREEN_CHARSET_UK && cp == '#')
		return 0xa3;
	return cp;
}

/* Collect the cluster ids still on either grid and let the table forget
 * the rest. */
static void screen_collect_clusters(struct screen *s)
{
	size_t cap = clusters_capacity(s->clusters);
	uint8_t *in_use = xcalloc((cap + 7) / 8, 1);
	struct grid *grids[2] = { s->primary, s->alternate };

	for (unsigned g = 0; g < 2; g++) {
		if (grids[g] == NULL)
			continue;
		for (unsigned y = 0; y < grids[g]->rows; y++) {
			const struct cell *row = grids[g]->row[y].cells;
			for (unsigned x = 0; x < grids[g]->cols; x++) {
				if ((row[x].attr & CELL_CLUSTER) && row[x].ch < cap)
					in_use[row[x].ch / 8] |= (uint8_t)(1u << (row[x].ch % 8));
			}
		}
	}
	clusters_collect(s->clusters, in_use);
	free(in_use);
}

/* A zero-width character joins the cell before the cursor. */
static void screen_combine(struct screen *s, uint32_t cp)
{
	unsigned x;

	if (s->wrap_pending)
		x = s->cx;
	else if (s->cx > 0)
		x = s->cx - 1;
	else
		return;
	struct cell *row = s->grid->row[s->cy].cells;
	if ((row[x].attr & CELL_WIDE_TAIL) && x > 0)
		x--;
	struct cell *c = &row[x];

	char text[CLUSTER_MAX_BYTES + 4];
	size_t len = cell_utf8(c, s->clusters, text);
	if (len == 0)
		return;
	len += utf8_encode(cp, text + len);
	if (len > CLUSTER_MAX_BYTES)
		return;
	uint32_t id = clusters_add(s->clusters, text, len);
	if (id == UINT32_MAX) {
		screen_collect_clusters(s);
		id = clusters_add(s->clusters, text, len);
		if (id == UINT32_MAX)
			return;
	}
	c->ch = id;
	c->attr |= CELL_CLUSTER;
	screen_dirty(s, s->cy);
}

void screen_put(struct screen *s, uint32_t cp)
{
	if (cp < 0x80)
		cp = screen_translate(s, cp);
	int width = utf8_width_fast(cp);
	if (width < 0)
		return;
	if (width == 0) {
		screen_combine(s, cp);
		return;
	}
	if (width > (int)s->cols)
		return;

	if (s->wrap_pending && (s->modes & MODE_WRAP))
		screen_do_wrap(s);
	s->wrap_pending = 0;
	if (s->cx + (unsigned)width > s->cols) {
		/* A wide character that does not fit wraps first, leaving
		 * the last column as it was; without autowrap it is lost. */
		if (!(s->modes & MODE_WRAP))
			return;
		screen_do_wrap(s);
	}

	struct cell blank = screen_blank(s);
	if (s->modes & MODE_INSERT)
		grid_insert_cells(s->grid, s->cx, s->cy, (unsigned)width, &blank);

	struct cell *row = s->grid->row[s->cy].cells;
	unsigned x = s->cx;
	screen_split_wide(s, row, x, x + (unsigned)width);
	struct cell c = { cp, s->pen.fg, s->pen.bg, s->pen.attr, s->pen.link };
	if (width == 2) {
		c.attr |= CELL_WIDE;
		row[x] = c;
		c.ch = 0;
		c.attr = (uint16_t)(s->pen.attr | CELL_WIDE_TAIL);
		row[x + 1] = c;
	} else
		row[x] = c;
	screen_dirty(s, s->cy);
	s->in->last = cp;
	s->in->last_valid = 1;

	x += (unsigned)width;
	if (x >= s->cols) {
		s->cx = s->cols - 1;
		s->wrap_pending = (s->modes & MODE_WRAP) != 0;
	} else
		s->cx = x;
}

/* The common case with the cursor, row and pen held in locals: characters
 * of width 1 or 2 that fit on the row, with no wrap due, no insert mode
 * and no wide character cut in half. Anything else goes through
 * screen_put() one at a time. */
void screen_put_many(struct screen *s, const uint32_t *cps, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (s->wrap_pending || (s->modes & MODE_INSERT)) {
			screen_put(s, cps[i++]);
			continue;
		}
		struct cell *row = s->grid->row[s->cy].cells;
		const unsigned cols = s->cols;
		unsigned x = s->cx;
		struct cell c = { 0, s->pen.fg, s->pen.bg, s->pen.attr, s->pen.link };
		struct cell head = c, tail = c;
		size_t first = i;

		head.attr |= CELL_WIDE;
		tail.attr |= CELL_WIDE_TAIL;
		while (i < n && x < cols) {
			uint32_t cp = cps[i];

			if (cp < 0x80)
				break; /* may need translating */
			int width = utf8_width_fast(cp);

			if (width == 2 && x + 2 <= cols && !(row[x].attr & CELL_WIDE_TAIL) &&
			    !(row[x + 1].attr & CELL_WIDE)) {
				head.ch = cp;
				row[x] = head;
				row[x + 1] = tail;
				x += 2;
			} else if (width == 1 && !(row[x].attr & (CELL_WIDE | CELL_WIDE_TAIL))) {
				c.ch = cp;
				row[x] = c;
				x++;
			} else
				break;
			i++;
		}
		if (i == first) {
			screen_put(s, cps[i++]);
			continue;
		}
		grid_touch(s->grid, s->cy);
		s->in->last = cps[i - 1];
		s->in->last_valid = 1;
		if (x >= cols) {
			s->cx = cols - 1;
			s->wrap_pending = (s->modes & MODE_WRAP) != 0;
		} else
			s->cx = x;
	}
}

#if SIMD_HAVE_AVX2
/* Two cells a store: the characters widened to 32 bits, each pair moved
 * into the first word of either half and blended into the pen. N is at
 * least eight; writes all N cells and returns N. */
SIMD_TARGET_AVX2 static unsigned screen_ascii_cells_avx2(struct cell *row, const uint8_t *p,
							 unsigned n, const struct cell *c)
{
	const int al = (int)((uint32_t)c->attr | (uint32_t)c->link << 16);
	const __m256i pen = _mm256_setr_epi32(0, (int)c->fg, (int)c->bg, al, 0, (int)c->fg,
					      (int)c->bg, al);
	const __m256i i0 = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
	const __m256i i1 = _mm256_setr_epi32(2, 2, 2, 2, 3, 3, 3, 3);
	const __m256i i2 = _mm256_setr_epi32(4, 4, 4, 4, 5, 5, 5, 5);
	const __m256i i3 = _mm256_setr_epi32(6, 6, 6, 6, 7, 7, 7, 7);
	const uint8_t *q = p, *last = p + n - 8;
	struct cell *d = row;

	/* Pointers, not indices: the loop is short enough for address
	 * arithmetic to be a fifth of it. The ragged end is done as one more
	 * group of eight that overlaps the one before (writing those cells
	 * twice with the same values). */
	for (;;) {
		__m256i w = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)q));
		__m256i *v = (__m256i *)(void *)d;

		_mm256_storeu_si256(v, _mm256_blend_epi32(pen, _mm256_permutevar8x32_epi32(w, i0), 0x11));
		_mm256_storeu_si256(v + 1, _mm256_blend_epi32(pen, _mm256_permutevar8x32_epi32(w, i1), 0x11));
		_mm256_storeu_si256(v + 2, _mm256_blend_epi32(pen, _mm256_permutevar8x32_epi32(w, i2), 0x11));
		_mm256_storeu_si256(v + 3, _mm256_blend_epi32(pen, _mm256_permutevar8x32_epi32(w, i3), 0x11));
		if (q == last)
			break;
		q += 8;
		d += 8;
		if (q > last) {
			d -= q - last;
			q = last;
		}
	}
	return n;
}
#endif

/* Cells ROW[0..N-1] get the characters P[0..N-1] in the style of C: the
 * inner loop of printing text, so with SSE2 each cell is one 16-byte
 * store built from its byte and the pen. */
static inline void screen_ascii_cells(struct cell *row, const uint8_t *p, unsigned n,
				      struct cell c)
{
	unsigned i = 0;
#if SIMD_HAVE_AVX2
	if (n >= 8 && simd_avx2())
		i = screen_ascii_cells_avx2(row, p, n, &c);
#endif
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128(), fg = _mm_set1_epi32((int)c.fg);
	const uint32_t al = (uint32_t)c.attr | (uint32_t)c.link << 16;
	/* The upper half of every cell: bg, then attr and link. */
	const __m128i style = _mm_setr_epi32((int)c.bg, (int)al, (int)c.bg, (int)al);
	__m128i *d = (__m128i *)(void *)row;

	for (; i + 16 <= n; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		__m128i lo = _mm_unpacklo_epi8(b, zero), hi = _mm_unpackhi_epi8(b, zero);
		__m128i w[4] = { _mm_unpacklo_epi16(lo, zero), _mm_unpackhi_epi16(lo, zero),
				 _mm_unpacklo_epi16(hi, zero), _mm_unpackhi_epi16(hi, zero) };

		for (unsigned k = 0; k < 4; k++) {
			__m128i a = _mm_unpacklo_epi32(w[k], fg), e = _mm_unpackhi_epi32(w[k], fg);

			_mm_storeu_si128(d + i + 4 * k, _mm_unpacklo_epi64(a, style));
			_mm_storeu_si128(d + i + 4 * k + 1, _mm_unpackhi_epi64(a, style));
			_mm_storeu_si128(d + i + 4 * k + 2, _mm_unpacklo_epi64(e, style));
			_mm_storeu_si128(d + i + 4 * k + 3, _mm_unpackhi_epi64(e, style));
		}
	}
	for (; i + 4 <= n; i += 4) {
		int32_t four;

		memcpy(&four, p + i, sizeof four);
		__m128i w = _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(four), zero), zero);
		__m128i a = _mm_unpacklo_epi32(w, fg), e = _mm_unpackhi_epi32(w, fg);

		_mm_storeu_si128(d + i, _mm_unpacklo_epi64(a, style));
		_mm_storeu_si128(d + i + 1, _mm_unpackhi_epi64(a, style));
		_mm_storeu_si128(d + i + 2, _mm_unpacklo_epi64(e, style));
		_mm_storeu_si128(d + i + 3, _mm_unpackhi_epi64(e, style));
	}
#endif
	for (; i < n; i++) {
		c.ch = p[i];
		row[i] = c;
	}
}

void screen_put_ascii(struct screen *s, const uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (s->in->charset[s->in->gl] != SCREEN_CHARSET_ASCII || (s->modes & MODE_INSERT)) {
		for (size_t i = 0; i < n; i++)
			screen_put(s, p[i]);
		return;
	}

	const unsigned cols = s->cols;
	struct cell c = { 0, s->pen.fg, s->pen.bg, s->pen.attr, s->pen.link };

	s->in->last = p[n - 1];
	s->in->last_valid = 1;
	while (n > 0) {
		if (s->wrap_pending) {
			if (s->modes & MODE_WRAP)
				screen_do_wrap(s);
			s->wrap_pending = 0;
		}
		struct grid_row *gr = &s->grid->row[s->cy];
		struct cell *row = gr->cells + s->cx;
		unsigned avail = cols - s->cx;
		unsigned k = n < avail ? (unsigned)n : avail;

		if (!(s->modes & MODE_WRAP) && n > avail) {
			/* Without autowrap everything past the edge lands on
			 * the last column: only the final character stays. */
			screen_split_wide(s, gr->cells, s->cx, cols);
			for (unsigned i = 0; i + 1 < avail; i++) {
				c.ch = p[i];
				row[i] = c;
			}
			c.ch = p[n - 1];
			row[avail - 1] = c;
			grid_touch(s->grid, s->cy);
			s->cx = cols - 1;
			return;
		}
		if ((row[0].attr | row[k - 1].attr) & (CELL_WIDE | CELL_WIDE_TAIL))
			screen_split_wide(s, gr->cells, s->cx, s->cx + k);
		screen_ascii_cells(row, p, k, c);
		grid_touch(s->grid, s->cy);
		p += k;
		n -= k;
		if (s->cx + k >= cols) {
			s->cx = cols - 1;
			s->wrap_pending = (s->modes & MODE_WRAP) != 0;
		} else
			s->cx += k;
	}
}

void screen_repeat(struct screen *s, unsigned n)
{
	if (!s->in->last_valid)
		return;
	/* tmux repeats only up to the end of the line. */
	unsigned room = s->cols - s->cx - (s->wrap_pending ? 1 : 0);
	if (n > room)
		n = room;
	uint32_t cp = s->in->last;
	int saved = s->in->charset[s->in->gl];
	/* The character was translated when first printed. */
	s->in->charset[s->in->gl] = SCREEN_CHARSET_ASCII;
	for (unsigned i = 0; i < n; i++)
		screen_put(s, cp);
	s->in->charset[s->in->gl] = (uint8_t)saved;
}

void screen_forget_last(struct screen *s)
{
	s->in->last_valid = 0;
}

/* ---- C0, ESC ---- */

void screen_backspace(struct screen *s)
{
	/* From a pending wrap, tmux's cursor is one past the last column. */
	if (s->wrap_pending)
		s->wrap_pending = 0;
	else if (s->cx > 0)
		s->cx--;
}

void screen_tab(struct screen *s, unsigned n)
{
	if (s->wrap_pending)
		return;
	while (n-- > 0 && s->cx < s->cols - 1) {
		do
			s->cx++;
		while (s->cx < s->cols - 1 && !s->in->tabs[s->cx]);
	}
}

void screen_backtab(struct screen *s, unsigned n)
{
	s->wrap_pending = 0;
	while (n-- > 0 && s->cx > 0) {
		do
			s->cx--;
		while (s->cx > 0 && !s->in->tabs[s->cx]);
	}
}

void screen_set_tab(struct screen *s)
{
	s->in->tabs[s->cx] = 1;
}

void screen_clear_tab(struct screen *s, unsigned mode)
{
	if (mode == 0)
		s->in->tabs[s->cx] = 0;
	else if (mode == 3)
		memset(s->in->tabs, 0, s->cols);
}

void screen_designate(struct screen *s, unsigned g, unsigned charset)
{
	if (g < 2)
		s->in->charset[g] = (uint8_t)charset;
}

void screen_shift(struct screen *s, unsigned g)
{
	s->in->gl = g ? 1 : 0;
}

/* Cursor, pen and character sets, shared by DECSC and the alternate
 * screen (which leaves the origin mode alone). */
static void screen_saved_store(const struct screen *s, struct screen_saved *sv)
{
	sv->cx = s->cx;
	sv->cy = s->cy;
	sv->pen = s->pen;
	sv->charset[0] = s->in->charset[0];
	sv->charset[1] = s->in->charset[1];
	sv->gl = s->in->gl;
}

static void screen_saved_load(struct screen *s, const struct screen_saved *sv)
{
	s->cx = RMUX_MIN(sv->cx, s->cols - 1);
	s->cy = RMUX_MIN(sv->cy, s->rows - 1);
	s->wrap_pending = 0;
	s->pen = sv->pen;
	if (s->pen.link != 0 && screen_link_uri(s, s->pen.link) == NULL)
		s->pen.link = 0;
	s->in->charset[0] = sv->charset[0];
	s->in->charset[1] = sv->charset[1];
	s->in->gl = sv->gl;
}

void screen_save_cursor(struct screen *s)
{
	struct screen_saved *sv = &s->in->saved;

	screen_saved_store(s, sv);
	sv->origin = (s->modes & MODE_ORIGIN) != 0;
}

void screen_restore_cursor(struct screen *s)
{
	const struct screen_saved *sv = &s->in->saved;

	screen_saved_load(s, sv);
	if (sv->origin)
		s->modes |= MODE_ORIGIN;
	else
		s->modes &= ~MODE_ORIGIN;
}

void screen_alignment(struct screen *s)
{
	struct cell e = { 'E', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

	grid_fill_rows(s->grid, 0, s->rows, &e);
	for (unsigned y = 0; y < s->rows; y++)
		screen_dirty(s, y);
	s->scroll_top = 0;
	s->scroll_bottom = s->rows - 1;
	s->cx = s->cy = 0;
	s->wrap_pending = 0;
}

void screen_soft_reset(struct screen *s)
{
	s->modes |= MODE_CURSOR_VISIBLE | MODE_WRAP;
	s->modes &= ~(MODE_INSERT | MODE_ORIGIN | MODE_APP_CURSOR | MODE_APP_KEYPAD);
	s->scroll_top = 0;
	s->scroll_bottom = s->rows - 1;
	s->pen = screen_default_pen;
	s->in->charset[0] = s->in->charset[1] = SCREEN_CHARSET_ASCII;
	s->in->gl = 0;
	memset(&s->in->saved, 0, sizeof s->in->saved);
	s->wrap_pending = 0;
}

/* ---- cursor motion ---- */

void screen_cursor_up(struct screen *s, unsigned n)
{
	unsigned limit = s->cy >= s->scroll_top ? s->scroll_top : 0;

	s->cy = s->cy - limit < n ? limit : s->cy - n;
	s->wrap_pending = 0;
}

void screen_cursor_down(struct screen *s, unsigned n)
{
	unsigned limit = s->cy <= s->scroll_bottom ? s->scroll_bottom : s->rows - 1;

	s->cy = limit - s->cy < n ? limit : s->cy + n;
	s->wrap_pending = 0;
}

void screen_cursor_right(struct screen *s, unsigned n)
{
	if (s->wrap_pending) {
		s->wrap_pending = 0;
		return;
	}
	s->cx = s->cols - 1 - s->cx < n ? s->cols - 1 : s->cx + n;
}

void screen_cursor_left(struct screen *s, unsigned n)
{
	/* From a pending wrap tmux counts from one past the last column. */
	unsigned x = s->cx + (s->wrap_pending ? 1 : 0);

	s->cx = x < n ? 0 : RMUX_MIN(x - n, s->cols - 1);
	s->wrap_pending = 0;
}

void screen_cursor_col(struct screen *s, unsigned x)
{
	s->cx = RMUX_MIN(x, s->cols - 1);
	s->wrap_pending = 0;
}

void screen_cursor_row(struct screen *s, unsigned y)
{
	if (s->modes & MODE_ORIGIN)
		s->cy = RMUX_MIN(s->scroll_top + RMUX_MIN(y, s->rows), s->scroll_bottom);
	else
		s->cy = RMUX_MIN(y, s->rows - 1);
	s->wrap_pending = 0;
}

void screen_cursor_to(struct screen *s, unsigned x, unsigned y)
{
	screen_cursor_col(s, x);
	screen_cursor_row(s, y);
}

/* ---- erasing and editing ---- */

static void screen_fill(struct screen *s, unsigned y, unsigned x0, unsigned x1)
{
	if (x0 >= x1)
		return;
	struct cell blank = screen_blank(s);
	struct cell *row = s->grid->row[y].cells;
	/* Half of a wide character left outside the range goes too. */
	if (x0 > 0 && (row[x0].attr & CELL_WIDE_TAIL))
		x0--;
	if (x1 < s->cols && (row[x1 - 1].attr & CELL_WIDE))
		x1++;
	grid_fill(s->grid, y, x0, x1, &blank);
	screen_dirty(s, y);
}

static void screen_fill_rows(struct screen *s, unsigned y0, unsigned y1)
{
	if (y0 >= y1)
		return;
	struct cell blank = screen_blank(s);
	grid_fill_rows(s->grid, y0, y1, &blank);
	for (unsigned y = y0; y < y1; y++)
		screen_dirty(s, y);
}

/* tmux's scroll-on-clear: clearing the whole primary screen first scrolls
 * the rows that hold anything into the history. */
static void screen_clear_to_history(struct screen *s)
{
	unsigned last = 0;

	for (unsigned y = 0; y < s->rows; y++) {
		if (grid_row_used(s->grid, y) != 0)
			last = y + 1;
	}
	for (unsigned y = 0; y < last; y++) {
		struct grid_row *r = &s->grid->row[y];
		history_push(s->history, r->cells, s->cols, r->flags, s->clusters);
	}
	screen_fill_rows(s, 0, s->rows);
}

void screen_erase_display(struct screen *s, unsigned mode)
{
	unsigned x = s->cx + (s->wrap_pending ? 1 : 0);

	switch (mode) {
	case 0:
		if (x == 0 && s->cy == 0 && s->grid == s->primary) {
			screen_clear_to_history(s);
			break;
		}
		screen_fill(s, s->cy, x, s->cols);
		s->grid->row[s->cy].flags &= ~ROW_WRAPPED;
		screen_fill_rows(s, s->cy + 1, s->rows);
		break;
	case 1:
		screen_fill_rows(s, 0, s->cy);
		screen_fill(s, s->cy, 0, RMUX_MIN(x + 1, s->cols));
		break;
	case 2:
		if (s->grid == s->primary)
			screen_clear_to_history(s);
		else
			screen_fill_rows(s, 0, s->rows);
		break;
	case 3:
		history_clear(s->history);
		break;
	}
}

void screen_erase_line(struct screen *s, unsigned mode)
{
	unsigned x = s->cx + (s->wrap_pending ? 1 : 0);

	switch (mode) {
	case 0:
		screen_fill(s, s->cy, x, s->cols);
		s->grid->row[s->cy].flags &= ~ROW_WRAPPED;
		break;
	case 1:
		screen_fill(s, s->cy, 0, RMUX_MIN(x + 1, s->cols));
		break;
	case 2:
		screen_fill(s, s->cy, 0, s->cols);
		s->grid->row[s->cy].flags &= ~ROW_WRAPPED;
		break;
	}
}

void screen_erase_chars(struct screen *s, unsigned n)
{
	if (s->wrap_pending)
		return;
	screen_fill(s, s->cy, s->cx, s->cx + RMUX_MIN(n, s->cols - s->cx));
}

/* After cells moved sideways, a wide character may have lost a half. */
static void screen_fix_row(struct screen *s, unsigned y)
{
	struct cell *row = s->grid->row[y].cells;
	unsigned cols = s->cols;

	for (unsigned x = 0; x < cols; x++) {
		if ((row[x].attr & CELL_WIDE) && (x + 1 >= cols || !(row[x + 1].attr & CELL_WIDE_TAIL))) {
			row[x].ch = ' ';
			row[x].attr &= (uint16_t)~CELL_SHAPE_MASK;
		} else if ((row[x].attr & CELL_WIDE_TAIL) && (x == 0 || !(row[x - 1].attr & CELL_WIDE))) {
			row[x].ch = ' ';
			row[x].attr &= (uint16_t)~CELL_SHAPE_MASK;
		}
	}
	screen_dirty(s, y);
}

void screen_insert_chars(struct screen *s, unsigned n)
{
	if (s->wrap_pending)
		return;
	struct cell blank = screen_blank(s);
	grid_insert_cells(s->grid, s->cx, s->cy, RMUX_MIN(n, s->cols - s->cx), &blank);
	screen_fix_row(s, s->cy);
}

void screen_delete_chars(struct screen *s, unsigned n)
{
	if (s->wrap_pending)
		return;
	struct cell blank = screen_blank(s);
	grid_delete_cells(s->grid, s->cx, s->cy, RMUX_MIN(n, s->cols - s->cx), &blank);
	screen_fix_row(s, s->cy);
}

/* IL and DL inside the scroll region work on the region. Outside it tmux
 * 3.3a ignores IL but lets DL work on the rest of the screen. */
static void screen_line_bounds(const struct screen *s, unsigned *bottom)
{
	if (s->cy < s->scroll_top || s->cy > s->scroll_bottom)
		*bottom = s->rows - 1;
	else
		*bottom = s->scroll_bottom;
}

/* Lines from the cursor to the region's bottom move DOWN (insert) or up
 * (delete) by N; the column stays, as in tmux (ECMA-48 and xterm go home). */
static void screen_shift_lines(struct screen *s, unsigned n, int down)
{
	unsigned bottom;
	struct cell blank = screen_blank(s);

	screen_line_bounds(s, &bottom);
	n = RMUX_MIN(n, bottom - s->cy + 1);
	if (down)
		grid_scroll_down(s->grid, s->cy, bottom, n, &blank);
	else
		grid_scroll_up(s->grid, s->cy, bottom, n, &blank);
	for (unsigned y = s->cy; y <= bottom; y++)
		screen_dirty(s, y);
	s->wrap_pending = 0;
}

void screen_insert_lines(struct screen *s, unsigned n)
{
	if (s->cy < s->scroll_top || s->cy > s->scroll_bottom)
		return;
	screen_shift_lines(s, n, 1);
}

void screen_delete_lines(struct screen *s, unsigned n)
{
	screen_shift_lines(s, n, 0);
}

void screen_scroll_up(struct screen *s, unsigned n)
{
	screen_scroll_region_up(s, n);
}

void screen_scroll_down(struct screen *s, unsigned n)
{
	screen_scroll_region_down(s, n);
}

void screen_set_region(struct screen *s, unsigned top, unsigned bottom)
{
	if (top > s->rows - 1)
		top = s->rows - 1;
	if (bottom > s->rows - 1)
		bottom = s->rows - 1;
	if (top >= bottom)
		return;
	s->scroll_top = top;
	s->scroll_bottom = bottom;
	/* tmux homes to the screen corner, even under DECOM. */
	s->cx = 0;
	s->cy = 0;
	s->wrap_pending = 0;
}

/* ---- modes ---- */

static void screen_alternate_enter(struct screen *s, int save)
{
	if (s->modes & MODE_ALT_SCREEN)
		return;
	if (save)
		screen_saved_store(s, &s->in->alt_saved);
	s->alternate = grid_create(s->cols, s->rows);
	s->grid = s->alternate;
	s->modes |= MODE_ALT_SCREEN;
	for (unsigned y = 0; y < s->rows; y++)
		screen_dirty(s, y);
}

static void screen_alternate_leave(struct screen *s, int restore)
{
	if (!(s->modes & MODE_ALT_SCREEN))
		return;
	grid_free(s->alternate);
	s->alternate = NULL;
	s->grid = s->primary;
	s->modes &= ~MODE_ALT_SCREEN;
	if (restore)
		screen_saved_load(s, &s->in->alt_saved);
	s->cx = RMUX_MIN(s->cx, s->cols - 1);
	s->cy = RMUX_MIN(s->cy, s->rows - 1);
	s->wrap_pending = 0;
	for (unsigned y = 0; y < s->rows; y++)
		screen_dirty(s, y);
}

static void screen_set_mode_bit(struct screen *s, uint32_t bit, int on)
{
	if (on)
		s->modes |= bit;
	else
		s->modes &= ~bit;
}

void screen_set_ansi_mode(struct screen *s, unsigned mode, int on)
{
	if (mode == 4)
		screen_set_mode_bit(s, MODE_INSERT, on);
	else if (mode == 20)
		screen_set_mode_bit(s, MODE_NEWLINE, on);
}

/* Private modes whose whole effect is one mode bit. */
struct screen_mode_bit {
	unsigned mode;
	uint32_t bit;
};

static const struct screen_mode_bit screen_private_bits[] = {
	{ 1, MODE_APP_CURSOR },
	{ 5, MODE_REVERSE_VIDEO },
	{ 12, MODE_CURSOR_BLINK },
	{ 25, MODE_CURSOR_VISIBLE },
	{ 1004, MODE_FOCUS },
	{ 1005, MODE_MOUSE_UTF8 },
	{ 1006, MODE_MOUSE_SGR },
	{ 1015, MODE_MOUSE_URXVT },
	{ 2004, MODE_BRACKETED_PASTE },
	{ 2026, MODE_SYNC },
};

void screen_set_private_mode(struct screen *s, unsigned mode, int on)
{
	switch (mode) {
	case 3: /* DECCOLM: the size stays, the screen clears as tmux does */
		screen_cursor_to(s, 0, 0);
		screen_erase_display(s, 2);
		break;
	case 6:
		screen_set_mode_bit(s, MODE_ORIGIN, on);
		screen_cursor_to(s, 0, 0);
		break;
	case 7:
		screen_set_mode_bit(s, MODE_WRAP, on);
		if (!on)
			s->wrap_pending = 0;
		break;
	case 9:
	case 1000:
	case 1002:
	case 1003:
		/* One tracking mode at a time; any reset turns tracking off. */
		s->modes &= ~MODE_MOUSE_ANY_MASK;
		if (on) {
			s->modes |= mode == 9 ? MODE_MOUSE_X10 :
				    mode == 1000 ? MODE_MOUSE_STANDARD :
				    mode == 1002 ? MODE_MOUSE_BUTTON : MODE_MOUSE_ANY;
		}
		break;
	case 47:
	case 1047:
		if (on)
			screen_alternate_enter(s, 0);
		else
			screen_alternate_leave(s, 0);
		break;
	case 1048:
		if (on)
			screen_save_cursor(s);
		else
			screen_restore_cursor(s);
		break;
	case 1049:
		if (on)
			screen_alternate_enter(s, 1);
		else
			screen_alternate_leave(s, 1);
		break;
	default:
		for (size_t i = 0; i < sizeof screen_private_bits / sizeof screen_private_bits[0]; i++) {
			if (screen_private_bits[i].mode == mode)
				screen_set_mode_bit(s, screen_private_bits[i].bit, on);
		}
		break;
	}
}

void screen_set_keypad(struct screen *s, int application)
{
	screen_set_mode_bit(s, MODE_APP_KEYPAD, application);
}

void screen_set_cursor_style(struct screen *s, unsigned style)
{
	if (style <= 6)
		s->cursor_style = style;
}

/* ---- SGR ---- */

/* An extended colour (38, 48, 58) starting at parameter I; returns the
 * index of its last parameter and sets *COLOUR (UINT32_MAX: invalid). */
static unsigned screen_sgr_colour(const struct screen_params *p, unsigned i, uint32_t *colour)
{
	*colour = UINT32_MAX;
	if (i + 1 < p->n && p->colon[i + 1]) {
		/* Colon form: 38:5:n, 38:2:[space]:r:g:b, 38:2:r:g:b. */
		unsigned end = i + 1;
		while (end + 1 < p->n && p->colon[end + 1])
			end++;
		unsigned k = end - i; /* sub-parameters */
		const int32_t *v = &p->v[i + 1];
		if (v[0] == 5 && k >= 2) {
			if (v[1] >= 0 && v[1] <= 255)
				*colour = colour_palette((unsigned)v[1]);
		} else if (v[0] == 2 && k >= 4) {
			const int32_t *rgb = k >= 5 ? &v[2] : &v[1];
			if (rgb[0] >= 0 && rgb[0] <= 255 && rgb[1] >= 0 && rgb[1] <= 255 &&
			    rgb[2] >= 0 && rgb[2] <= 255)
				*colour = colour_rgb((unsigned)rgb[0], (unsigned)rgb[1], (unsigned)rgb[2]);
		}
		return end;
	}
	if (i + 1 >= p->n)
		return i;
	if (p->v[i + 1] == 5) {
		if (i + 2 >= p->n)
			return p->n - 1;
		if (p->v[i + 2] >= 0 && p->v[i + 2] <= 255)
			*colour = colour_palette((unsigned)p->v[i + 2]);
		return i + 2;
	}
	if (p->v[i + 1] == 2) {
		if (i + 4 >= p->n)
			return p->n - 1;
		const int32_t *rgb = &p->v[i + 2];
		if (rgb[0] >= 0 && rgb[0] <= 255 && rgb[1] >= 0 && rgb[1] <= 255 && rgb[2] >= 0 &&
		    rgb[2] <= 255)
			*colour = colour_rgb((unsigned)rgb[0], (unsigned)rgb[1], (unsigned)rgb[2]);
		return i + 4;
	}
	return i + 1;
}

static void screen_set_underline(struct screen *s, unsigned style)
{
	s->pen.attr = (uint16_t)((s->pen.attr & ~ATTR_UL_MASK) | ATTR_UNDERLINE(style));
}

/* SGR parameters whose whole effect is to set or clear rendition bits. */
struct screen_sgr_bits {
	int32_t sgr;
	uint16_t set;
	uint16_t clear;
};

static const struct screen_sgr_bits screen_sgr_table[] = {
	{ 1, ATTR_BOLD, 0 },
	{ 2, ATTR_DIM, 0 },
	{ 3, ATTR_ITALIC, 0 },
	{ 5, ATTR_BLINK, 0 },
	{ 6, ATTR_BLINK, 0 },
	{ 7, ATTR_REVERSE, 0 },
	{ 8, ATTR_HIDDEN, 0 },
	{ 9, ATTR_STRIKE, 0 },
	{ 53, ATTR_OVERLINE, 0 },
	{ 22, 0, ATTR_BOLD | ATTR_DIM },
	{ 23, 0, ATTR_ITALIC },
	{ 25, 0, ATTR_BLINK },
	{ 27, 0, ATTR_REVERSE },
	{ 28, 0, ATTR_HIDDEN },
	{ 29, 0, ATTR_STRIKE },
	{ 55, 0, ATTR_OVERLINE },
};

static void screen_sgr_attr(struct pen *pen, int32_t v)
{
	for (size_t i = 0; i < sizeof screen_sgr_table / sizeof screen_sgr_table[0]; i++) {
		const struct screen_sgr_bits *b = &screen_sgr_table[i];
		if (b->sgr == v)
			pen->attr = (uint16_t)((pen->attr | b->set) & ~b->clear);
	}
}

void screen_sgr(struct screen *s, const struct screen_params *p)
{
	struct pen *pen = &s->pen;

	if (p->n == 0) {
		pen->fg = pen->bg = COLOUR_DEFAULT;
		pen->attr = 0;
		return;
	}
	for (unsigned i = 0; i < p->n; i++) {
		int32_t v = p->v[i];
		uint32_t colour;

		if (p->colon[i])
			continue; /* a stray sub-parameter */
		if (v == SCREEN_PARAM_NONE)
			v = 0;
		switch (v) {
		case 0:
			pen->fg = pen->bg = COLOUR_DEFAULT;
			pen->attr = 0;
			break;
		case 4:
			if (i + 1 < p->n && p->colon[i + 1]) {
				int32_t st = p->v[++i];
				while (i + 1 < p->n && p->colon[i + 1])
					i++;
				if (st >= 0 && st <= 5)
					screen_set_underline(s, (unsigned)st);
			} else
				screen_set_underline(s, UL_SINGLE);
			break;
		case 21:
			screen_set_underline(s, UL_DOUBLE);
			break;
		case 24:
			screen_set_underline(s, UL_NONE);
			break;
		case 30: case 31: case 32: case 33: case 34: case 35: case 36: case 37:
			pen->fg = colour_palette((unsigned)(v - 30));
			break;
		case 38:
		case 48:
			i = screen_sgr_colour(p, i, &colour);
			if (colour != UINT32_MAX)
				*(v == 38 ? &pen->fg : &pen->bg) = colour;
			break;
		case 39:
			pen->fg = COLOUR_DEFAULT;
			break;
		case 40: case 41: case 42: case 43: case 44: case 45: case 46: case 47:
			pen->bg = colour_palette((unsigned)(v - 40));
			break;
		case 49:
			pen->bg = COLOUR_DEFAULT;
			break;
		case 58: /* underline colour: parsed, not kept */
			i = screen_sgr_colour(p, i, &colour);
			break;
		case 90: case 91: case 92: case 93: case 94: case 95: case 96: case 97:
			pen->fg = colour_palette((unsigned)(v - 90 + 8));
			break;
		case 100: case 101: case 102: case 103: case 104: case 105: case 106: case 107:
			pen->bg = colour_palette((unsigned)(v - 100 + 8));
			break;
		default:
			screen_sgr_attr(pen, v);
			break;
		}
		/* Sub-parameters of anything else are skipped. */
		while (i + 1 < p->n && p->colon[i + 1])
			i++;
	}
}

/* ---- OSC ---- */

/* Text a terminal may show: valid UTF-8 without control characters. */
static int screen_text_ok(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode((const uint8_t *)s + i, len - i, &cp);
		if (cp == UTF8_REPLACEMENT && n == 1 && (uint8_t)s[i] >= 0x80)
			return 0;
		if (cp < 0x20 || cp == 0x7f)
			return 0;
		i += n;
	}
	return 1;
}

void screen_set_title(struct screen *s, const char *text, size_t len)
{
	if (len > SCREEN_TITLE_MAX) {
		len = SCREEN_TITLE_MAX;
		while (len > 0 && ((uint8_t)text[len] & 0xc0u) == 0x80u)
			len--;
	}
	if (!screen_text_ok(text, len))
		return;
	free(s->title);
	s->title = xstrndup(text, len);
	s->title_serial++;
}

/* Link ids still used by a cell or the pen (the table is full). */
static void screen_collect_links(struct screen *s)
{
	uint8_t in_use[SCREEN_LINKS_MAX / 8] = { 0 };
	struct grid *grids[2] = { s->primary, s->alternate };

	in_use[s->pen.link / 8] |= (uint8_t)(1u << (s->pen.link % 8));
	in_use[s->in->saved.pen.link / 8] |= (uint8_t)(1u << (s->in->saved.pen.link % 8));
	in_use[s->in->alt_saved.pen.link / 8] |= (uint8_t)(1u << (s->in->alt_saved.pen.link % 8));
	for (unsigned g = 0; g < 2; g++) {
		if (grids[g] == NULL)
			continue;
		for (unsigned y = 0; y < grids[g]->rows; y++) {
			const struct cell *row = grids[g]->row[y].cells;
			for (unsigned x = 0; x < grids[g]->cols; x++) {
				uint16_t l = row[x].link;
				if (l < SCREEN_LINKS_MAX)
					in_use[l / 8] |= (uint8_t)(1u << (l % 8));
			}
		}
	}
	for (unsigned i = 1; i < SCREEN_LINKS_MAX; i++) {
		if (in_use[i / 8] & (1u << (i % 8)))
			continue;
		free(s->in->link[i].uri);
		free(s->in->link[i].id);
		s->in->link[i].uri = NULL;
		s->in->link[i].id = NULL;
	}
}

static uint16_t screen_intern_link(struct screen *s, const char *id, size_t idlen, const char *uri,
				   size_t urilen)
{
	unsigned free_slot = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 1; i < SCREEN_LINKS_MAX; i++) {
			const struct screen_link *l = &s->in->link[i];
			if (l->uri == NULL) {
				if (free_slot == 0)
					free_slot = i;
				continue;
			}
			/* Links without an id= are distinct per OSC, as xterm
			 * treats them, but the same URI may share a slot. */
			if (strlen(l->uri) == urilen && memcmp(l->uri, uri, urilen) == 0 &&
			    strlen(l->id) == idlen && memcmp(l->id, id, idlen) == 0)
				return (uint16_t)i;
		}
		if (free_slot != 0)
			break;
		screen_collect_links(s);
	}
	if (free_slot == 0)
		return 0;
	s->in->link[free_slot].uri = xstrndup(uri, urilen);
	s->in->link[free_slot].id = xstrndup(id, idlen);
	return (uint16_t)free_slot;
}

/* OSC 8 ; params ; URI — params are key=value pairs split by ':'. */
static void screen_osc_link(struct screen *s, const char *data, size_t len)
{
	const char *semi = memchr(data, ';', len);
	if (semi == NULL)
		return;
	const char *params = data;
	size_t plen = (size_t)(semi - data);
	const char *uri = semi + 1;
	size_t urilen = len - plen - 1;

	if (urilen == 0) {
		s->pen.link = 0;
		return;
	}
	if (urilen > SCREEN_LINK_URI_MAX || !screen_text_ok(uri, urilen))
		return;

	const char *id = "";
	size_t idlen = 0;
	size_t i = 0;
	while (i < plen) {
		const char *colon = memchr(params + i, ':', plen - i);
		size_t end = colon != NULL ? (size_t)(colon - params) : plen;
		if (end - i > 3 && memcmp(params + i, "id=", 3) == 0) {
			id = params + i + 3;
			idlen = end - i - 3;
		}
		i = end + 1;
	}
	if (!screen_text_ok(id, idlen))
		return;
	s->pen.link = screen_intern_link(s, id, idlen, uri, urilen);
}

/* OSC 52 ; selection ; base64 — kept for the owner to forward. Queries
 * ("?") are not answered: a program may not read the user's clipboard. */
static void screen_osc_clipboard(struct screen *s, const char *data, size_t len)
{
	const char *semi = memchr(data, ';', len);
	if (semi == NULL)
		return;
	const char *b64 = semi + 1;
	size_t blen = len - (size_t)(b64 - data);
	if (blen == 1 && b64[0] == '?')
		return;
	for (const char *p = data; p < data + len; p++) {
		if (*p == '\n' || *p == '\0')
			return;
	}
	if (s->clipboard.len + len + 1 > SCREEN_CLIPBOARD_MAX)
		return;
	if (semi == data)
		buf_add(&s->clipboard, "s0", 2); /* xterm's default selection */
	buf_add(&s->clipboard, data, len);
	buf_add_u8(&s->clipboard, '\n');
}

void screen_osc(struct screen *s, const char *data, size_t len)
{
	unsigned n = 0;
	size_t i = 0;

	while (i < len && data[i] >= '0' && data[i] <= '9' && n < 100000) {
		n = n * 10 + (unsigned)(data[i] - '0');
		i++;
	}
	if (i == 0)
		return;
	if (i < len && data[i] != ';')
		return;
	if (i < len)
		i++;
	const char *arg = data + i;
	size_t alen = len - i;

	switch (n) {
	case 0:
	case 2:
		screen_set_title(s, arg, alen);
		break;
	case 7:
		if (alen <= SCREEN_CWD_MAX && screen_text_ok(arg, alen)) {
			free(s->cwd);
			s->cwd = xstrndup(arg, alen);
		}
		break;
	case 8:
		screen_osc_link(s, arg, alen);
		break;
	case 52:
		screen_osc_clipboard(s, arg, alen);
		break;
	default:
		break;
	}
}

/* ---- replies ---- */

void screen_report_status(struct screen *s, unsigned n)
{
	if (n == 5)
		buf_add(&s->replies, "\033[0n", 4);
	else if (n == 6) {
		unsigned y = s->cy;
		/* tmux's cursor is one past the edge while a wrap is pending. */
		unsigned x = s->cx + (s->wrap_pending ? 1 : 0);
		if ((s->modes & MODE_ORIGIN) && y >= s->scroll_top)
			y -= s->scroll_top;
		buf_add_printf(&s->replies, "\033[%u;%uR", y + 1, x + 1);
	}
}

void screen_report_attributes(struct screen *s, int secondary)
{
	if (secondary)
		buf_add(&s->replies, "\033[>84;0;0c", 10);
	else
		buf_add(&s->replies, "\033[?1;2c", 7);
}

void screen_report_mode(struct screen *s, unsigned mode, int private_mode)
{
	int state = 0; /* 0: not recognised, 1: set, 2: reset, 4: always reset */
	uint32_t bit = 0;

	if (!private_mode) {
		if (mode == 4)
			bit = MODE_INSERT;
		else if (mode == 20)
			bit = MODE_NEWLINE;
	} else {
		switch (mode) {
		case 1: bit = MODE_APP_CURSOR; break;
		case 3: state = 4; break;
		case 5: bit = MODE_REVERSE_VIDEO; break;
		case 6: bit = MODE_ORIGIN; break;
		case 7: bit = MODE_WRAP; break;
		case 9: bit = MODE_MOUSE_X10; break;
		case 12: bit = MODE_CURSOR_BLINK; break;
		case 25: bit = MODE_CURSOR_VISIBLE; break;
		case 47: case 1047: case 1049: bit = MODE_ALT_SCREEN; break;
		case 1000: bit = MODE_MOUSE_STANDARD; break;
		case 1002: bit = MODE_MOUSE_BUTTON; break;
		case 1003: bit = MODE_MOUSE_ANY; break;
		case 1004: bit = MODE_FOCUS; break;
		case 1005: bit = MODE_MOUSE_UTF8; break;
		case 1006: bit = MODE_MOUSE_SGR; break;
		case 1015: bit = MODE_MOUSE_URXVT; break;
		case 2004: bit = MODE_BRACKETED_PASTE; break;
		case 2026: bit = MODE_SYNC; break;
		default: break;
		}
	}
	if (bit != 0)
		state = (s->modes & bit) ? 1 : 2;
	buf_add_printf(&s->replies, "\033[%s%u;%d$y", private_mode ? "?" : "", mode, state);
}

/* ---- whole-screen changes ---- */

void screen_reset(struct screen *s)
{
	screen_alternate_leave(s, 0);
	screen_init_state(s);
	screen_clear_to_history(s);
	s->cx = s->cy = 0;
}

void screen_resize(struct screen *s, unsigned cols, unsigned rows)
{
	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if (cols == s->cols && rows == s->rows)
		return;

	if (s->modes & MODE_ALT_SCREEN) {
		struct screen_saved *sv = &s->in->alt_saved;
		unsigned px = RMUX_MIN(sv->cx, s->cols - 1), py = RMUX_MIN(sv->cy, s->rows - 1);
		reflow_resize(s->primary, s->history, s->clusters, cols, rows, &px, &py);
		sv->cx = px;
		sv->cy = py;
		/* The alternate grid is cut, not reflowed (no history): rows
		 * below the cursor go first, as on the primary. A pending
		 * wrap on a screen growing wider becomes the next column,
		 * where tmux's cursor already is. */
		unsigned old_cols = s->cols;
		int pending = s->wrap_pending && cols > old_cols;
		reflow_resize(s->alternate, NULL, s->clusters, cols, rows, &s->cx, &s->cy);
		s->wrap_pending = 0;
		if (pending)
			s->cx = old_cols;
	} else {
		/* The pending wrap follows the text: still at a row's end
		 * after the reflow, the next character wraps. */
		reflow_resize_pending(s->primary, s->history, s->clusters, cols, rows, &s->cx, &s->cy,
				      &s->wrap_pending);
		if (!(s->modes & MODE_WRAP))
			s->wrap_pending = 0;
	}
	s->cols = cols;
	s->rows = rows;
	if (s->cx >= cols) {
		s->cx = cols - 1;
		s->wrap_pending = 0;
	}
	s->cy = RMUX_MIN(s->cy, rows - 1);
	s->scroll_top = 0;
	s->scroll_bottom = rows - 1;
	screen_reset_tabs(s);
	for (unsigned y = 0; y < rows; y++)
		screen_dirty(s, y);
}
