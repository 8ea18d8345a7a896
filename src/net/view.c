/* view.c — the view state (see view.h): shared immutable rows, the view's
 * setters, equality, and the structured diff and its validated apply
 * (doc/PROTOCOL.md 8.2). Apply works on a copy and swaps it in at the end,
 * so a refused diff leaves the view untouched. */
#include "net/view.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/screen.h"
#include "term/utf8.h"

/* Diff record tags, in the order they must appear; a diff that is not
 * empty ends with TAG_END so that no prefix of it is a diff. */
#define TAG_END 0
#define TAG_ECHO_ACK 1
#define TAG_SESSION 2
#define TAG_WINDOWS 3
#define TAG_LAYOUT 4
#define TAG_PANE 5
#define TAG_STATUS 6
#define TAG_MESSAGE 7
#define TAG_KEY_TABLE 8
#define TAG_BELLS 9
#define TAG_CLIPBOARD 10
#define TAG_REDRAWS 11
#define TAG_SUSPENDS 12

/* Fields of a PANE record. */
#define PANE_CURSOR 0x1u
#define PANE_STATE 0x2u
#define PANE_TITLE 0x4u
#define PANE_ROWS 0x8u
#define PANE_HISTORY 0x10u
#define PANE_FIELDS 0x1fu

/* Row operations of a PANE record. */
#define OP_KEEP 0
#define OP_MOVE 1
#define OP_ROWS 2
#define OP_EDIT 3

/* Row updates of a STATUS record. */
#define UPDATE_LITERAL 0
#define UPDATE_EDIT 1

/* Run flags. */
#define RUN_FG 0x01u
#define RUN_BG 0x02u
#define RUN_ATTR 0x04u
#define RUN_LINK 0x08u
#define RUN_PAIRS 0x10u
#define RUN_REPEAT 0x20u

#define CELL_ATTR_MASK (ATTR_STYLE_MASK | CELL_SHAPE_MASK)
/* A cluster cell's ch inside a row: offset into the row's text, length. */
#define CLUSTER_REF(off, len) ((uint32_t)(off) << 6 | (uint32_t)(len))
#define CLUSTER_OFF(ch) ((ch) >> 6)
#define CLUSTER_LEN(ch) ((ch)&0x3fu)

struct view_row {
	unsigned refs;
	unsigned cols;
	int sealed;
	uint64_t hash;
	char *text; /* cluster texts */
	size_t textlen, textcap;
	struct cell cells[];
};

/* --- text checks --- */

/* Decode one scalar strictly: returns its length, or 0 for anything that
 * is not the shortest encoding of a Unicode scalar value. */
static size_t utf8_strict(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07u;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static size_t utf8_put(uint32_t c, uint8_t *out)
{
	if (c < 0x80) {
		out[0] = (uint8_t)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (uint8_t)(0xc0 | c >> 6);
		out[1] = (uint8_t)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (uint8_t)(0xe0 | c >> 12);
		out[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		out[2] = (uint8_t)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | c >> 18);
	out[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
	out[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
	out[3] = (uint8_t)(0x80 | (c & 0x3f));
	return 4;
}

/* Code points a cell may show: NUL (an empty cell) and printable
 * scalars; never a control a terminal would act on. */
static int cp_allowed(uint32_t c)
{
	if (c == 0)
		return 1;
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	return c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff);
}

/* A cluster: 1..CLUSTER_MAX_BYTES bytes of strict UTF-8, no controls. */
static int cluster_valid(const uint8_t *s, size_t len)
{
	uint32_t c;
	size_t n;

	if (len < 1 || len > CLUSTER_MAX_BYTES)
		return 0;
	while (len > 0) {
		if ((n = utf8_strict(s, len, &c)) == 0 || c == 0 || !cp_allowed(c))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

/* Strings (names, titles, the key table) reach the client's terminal as
 * they are, so they obey the cells' rule: strict UTF-8 with no NUL and no
 * C0, DEL or C1 control. */
static int string_valid(const uint8_t *s, size_t len)
{
	uint32_t c;
	size_t n;

	while (len > 0) {
		if ((n = utf8_strict(s, len, &c)) == 0 || c == 0 || !cp_allowed(c))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

/* S made valid for string_valid: a control becomes '?', a byte that is
 * not UTF-8 U+FFFD; cut at a character boundary to VIEW_NAME_MAX bytes. */
static char *string_clean(const char *s)
{
	const uint8_t *p = (const uint8_t *)(s != NULL ? s : "");
	size_t left = strlen((const char *)p), len = 0;
	char *c = xmalloc(VIEW_NAME_MAX + 1);

	while (left > 0) {
		uint8_t piece[4];
		uint32_t cp;
		size_t n = utf8_strict(p, left, &cp), plen;
		if (n == 0) {
			plen = utf8_put(0xfffd, piece);
			n = 1;
		} else if (!cp_allowed(cp)) {
			piece[0] = '?';
			plen = 1;
		} else {
			memcpy(piece, p, n);
			plen = n;
		}
		if (len + plen > VIEW_NAME_MAX)
			break;
		memcpy(c + len, piece, plen);
		len += plen;
		p += n;
		left -= n;
	}
	c[len] = '\0';
	return c;
}

/* --- rows --- */

struct view_row *view_row_create(unsigned cols)
{
	struct view_row *r;

	if (cols > VIEW_COLS_MAX)
		abort();
	r = xmalloc(sizeof *r + cols * sizeof r->cells[0]);
	r->refs = 1;
	r->cols = cols;
	r->sealed = 0;
	r->hash = 0;
	r->text = NULL;
	r->textlen = r->textcap = 0;
	for (unsigned x = 0; x < cols; x++)
		r->cells[x] = cell_blank(NULL);
	return r;
}

static void row_add_text(struct view_row *r, struct cell *c, const char *text, size_t len)
{
	if (r->textlen + len > r->textcap) {
		r->textcap = RMUX_MAX(r->textcap * 2, r->textlen + len + 64);
		r->text = xrealloc(r->text, r->textcap);
	}
	memcpy(r->text + r->textlen, text, len);
	c->ch = CLUSTER_REF(r->textlen, len);
	r->textlen += len;
}

void view_row_set(struct view_row *r, unsigned x, const struct cell *c, const char *text,
    size_t len)
{
	struct cell n = *c;

	if (r->sealed || x >= r->cols)
		abort();
	n.attr &= CELL_ATTR_MASK;
	if (n.attr & CELL_CLUSTER) {
		if (text != NULL && cluster_valid((const uint8_t *)text, len)) {
			row_add_text(r, &n, text, len);
			r->cells[x] = n;
			return;
		}
		n.attr &= (uint16_t)~CELL_CLUSTER;
		n.ch = UTF8_REPLACEMENT;
	}
	if (!cp_allowed(n.ch))
		n.ch = UTF8_REPLACEMENT;
	r->cells[x] = n;
}

struct view_row *view_row_from_cells(const struct cell *cells, unsigned cols,
    const struct clusters *clusters)
{
	struct view_row *r = view_row_create(cols);
	const char *text;
	size_t len;

	for (unsigned x = 0; x < cols; x++) {
		text = NULL;
		len = 0;
		if ((cells[x].attr & CELL_CLUSTER) && clusters != NULL)
			text = clusters_get(clusters, cells[x].ch, &len);
		view_row_set(r, x, &cells[x], text, len);
	}
	return r;
}

struct view_row *view_row_ref(struct view_row *r)
{
	r->refs++;
	return r;
}

void view_row_unref(struct view_row *r)
{
	if (r != NULL && --r->refs == 0) {
		free(r->text);
		free(r);
	}
}

unsigned view_row_cols(const struct view_row *r)
{
	return r->cols;
}

const struct cell *view_row_cell(const struct view_row *r, unsigned x)
{
	return x < r->cols ? &r->cells[x] : NULL;
}

static const char *cell_cluster(const struct view_row *r, const struct cell *c, size_t *len)
{
	*len = CLUSTER_LEN(c->ch);
	return r->text + CLUSTER_OFF(c->ch);
}

size_t view_row_text(const struct view_row *r, unsigned x, char *out)
{
	const struct cell *c = &r->cells[x];
	const char *t;
	size_t len;

	if (c->attr & CELL_WIDE_TAIL)
		return 0;
	if (c->attr & CELL_CLUSTER) {
		t = cell_cluster(r, c, &len);
		memcpy(out, t, len);
		return len;
	}
	if (c->ch == 0) {
		out[0] = ' ';
		return 1;
	}
	return utf8_put(c->ch, (uint8_t *)out);
}

#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME UINT64_C(1099511628211)

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

/* Wide characters are whole: every wide cell is followed by a tail and
 * every tail follows a wide cell (as the screen keeps them). */
static int row_pairs_whole(const struct view_row *r)
{
	for (unsigned x = 0; x < r->cols; x++) {
		uint16_t a = r->cells[x].attr;
		if ((a & CELL_WIDE) && (a & CELL_WIDE_TAIL))
			return 0;
		if ((a & CELL_WIDE) && (x + 1 >= r->cols || !(r->cells[x + 1].attr & CELL_WIDE_TAIL)))
			return 0;
		if ((a & CELL_WIDE_TAIL) && (x == 0 || !(r->cells[x - 1].attr & CELL_WIDE)))
			return 0;
	}
	return 1;
}

/* Make a row built locally whole: a broken half shows as a narrow cell. */
static void row_pairs_repair(struct view_row *r)
{
	for (unsigned x = 0; x < r->cols; x++) {
		struct cell *c = &r->cells[x];
		if ((c->attr & CELL_WIDE) && (c->attr & CELL_WIDE_TAIL))
			c->attr &= (uint16_t)~CELL_WIDE_TAIL;
		if ((c->attr & CELL_WIDE_TAIL) && (x == 0 || !(r->cells[x - 1].attr & CELL_WIDE))) {
			c->attr &= (uint16_t)~CELL_WIDE_TAIL;
			if (c->ch == 0)
				c->ch = ' ';
		}
		if ((c->attr & CELL_WIDE) &&
		    (x + 1 >= r->cols || (r->cells[x + 1].attr & (CELL_WIDE | CELL_WIDE_TAIL)) != CELL_WIDE_TAIL))
			c->attr &= (uint16_t)~CELL_WIDE;
	}
}

static void row_seal(struct view_row *r)
{
	uint64_t h = fnv(FNV_OFFSET, &r->cols, sizeof r->cols);

	if (r->sealed)
		return;
	row_pairs_repair(r);
	if (r->textlen == 0) {
		h = fnv(h, r->cells, r->cols * sizeof r->cells[0]);
	} else {
		for (unsigned x = 0; x < r->cols; x++) {
			struct cell c = r->cells[x];
			if (c.attr & CELL_CLUSTER) {
				size_t len;
				const char *t = cell_cluster(r, &r->cells[x], &len);
				c.ch = (uint32_t)fnv(FNV_OFFSET, t, len);
			}
			h = fnv(h, &c, sizeof c);
		}
	}
	r->hash = h;
	r->sealed = 1;
}

static int cell_equal(const struct view_row *ra, const struct cell *a, const struct view_row *rb,
    const struct cell *b)
{
	const char *ta, *tb;
	size_t la, lb;

	if (!((a->attr | b->attr) & CELL_CLUSTER))
		return memcmp(a, b, sizeof *a) == 0;
	if (a->attr != b->attr || a->fg != b->fg || a->bg != b->bg || a->link != b->link)
		return 0;
	ta = cell_cluster(ra, a, &la);
	tb = cell_cluster(rb, b, &lb);
	return la == lb && memcmp(ta, tb, la) == 0;
}

int view_row_equal(const struct view_row *a, const struct view_row *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL || a->cols != b->cols)
		return 0;
	if (a->sealed && b->sealed && a->hash != b->hash)
		return 0;
	if (a->textlen == 0 && b->textlen == 0)
		return memcmp(a->cells, b->cells, a->cols * sizeof a->cells[0]) == 0;
	for (unsigned x = 0; x < a->cols; x++) {
		if (!cell_equal(a, &a->cells[x], b, &b->cells[x]))
			return 0;
	}
	return 1;
}

static struct view_row *blank_row(unsigned cols)
{
	struct view_row *r = view_row_create(cols);

	row_seal(r);
	return r;
}

/* --- views --- */

struct view *view_create(void)
{
	struct view *v = xcalloc(1, sizeof *v);

	v->session = xstrdup("");
	v->key_table = xstrdup("root");
	v->cols = 80;
	v->rows = 24;
	v->message_cx = -1;
	return v;
}

static void pane_clear(struct view_pane *p)
{
	for (unsigned y = 0; y < p->rows; y++)
		view_row_unref(p->line[y]);
	free(p->line);
	free(p->title);
}

static void windows_clear(struct view *v)
{
	for (size_t i = 0; i < v->nwindows; i++)
		free(v->window[i].name);
	free(v->window);
	v->window = NULL;
	v->nwindows = 0;
}

void view_free(struct view *v)
{
	if (v == NULL)
		return;
	free(v->session);
	windows_clear(v);
	for (size_t i = 0; i < v->npanes; i++)
		pane_clear(&v->pane[i]);
	free(v->pane);
	for (unsigned i = 0; i < v->nstatus; i++)
		view_row_unref(v->status[i]);
	view_row_unref(v->message);
	free(v->key_table);
	free(v->clip);
	free(v);
}

static void pane_copy(struct view_pane *dst, const struct view_pane *src)
{
	*dst = *src;
	dst->title = xstrdup(src->title);
	dst->line = xreallocarray(NULL, src->rows, sizeof *dst->line);
	for (unsigned y = 0; y < src->rows; y++)
		dst->line[y] = view_row_ref(src->line[y]);
}

struct view *view_copy(const struct view *v)
{
	struct view *c = xmalloc(sizeof *c);

	*c = *v;
	c->session = xstrdup(v->session);
	c->key_table = xstrdup(v->key_table);
	c->window = NULL;
	if (v->nwindows > 0) {
		c->window = xreallocarray(NULL, v->nwindows, sizeof *c->window);
		for (size_t i = 0; i < v->nwindows; i++) {
			c->window[i] = v->window[i];
			c->window[i].name = xstrdup(v->window[i].name);
		}
	}
	c->pane = NULL;
	if (v->npanes > 0) {
		c->pane = xreallocarray(NULL, v->npanes, sizeof *c->pane);
		for (size_t i = 0; i < v->npanes; i++)
			pane_copy(&c->pane[i], &v->pane[i]);
	}
	for (unsigned i = 0; i < v->nstatus; i++)
		view_row_ref(c->status[i]);
	if (c->message != NULL)
		view_row_ref(c->message);
	c->clip = NULL;
	if (v->cliplen > 0) {
		c->clip = xmalloc(v->cliplen);
		memcpy(c->clip, v->clip, v->cliplen);
	}
	return c;
}

static int layout_equal(const struct view *a, const struct view *b)
{
	if (a->cols != b->cols || a->rows != b->rows || a->flags != b->flags ||
	    a->active_pane != b->active_pane || a->nstatus != b->nstatus || a->npanes != b->npanes)
		return 0;
	for (size_t i = 0; i < a->npanes; i++) {
		const struct view_pane *p = &a->pane[i], *q = &b->pane[i];
		if (p->id != q->id || p->x != q->x || p->y != q->y || p->cols != q->cols ||
		    p->rows != q->rows)
			return 0;
	}
	return 1;
}

static int windows_equal(const struct view *a, const struct view *b)
{
	if (a->nwindows != b->nwindows)
		return 0;
	for (size_t i = 0; i < a->nwindows; i++) {
		if (a->window[i].index != b->window[i].index ||
		    a->window[i].flags != b->window[i].flags ||
		    strcmp(a->window[i].name, b->window[i].name) != 0)
			return 0;
	}
	return 1;
}

static int clip_equal(const struct view *a, const struct view *b)
{
	return a->clipboards == b->clipboards && strcmp(a->clip_target, b->clip_target) == 0 &&
	       a->cliplen == b->cliplen && (a->cliplen == 0 || memcmp(a->clip, b->clip, a->cliplen) == 0);
}

static int message_equal(const struct view *a, const struct view *b)
{
	if ((a->message == NULL) != (b->message == NULL))
		return 0;
	return a->message == NULL || (a->message_cx == b->message_cx && view_row_equal(a->message, b->message));
}

/* Pane P and Q (same geometry) show the same. */
static int pane_equal(const struct view_pane *p, const struct view_pane *q, unsigned *fields)
{
	unsigned f = 0;

	if (p->cx != q->cx || p->cy != q->cy || p->cursor_shape != q->cursor_shape)
		f |= PANE_CURSOR;
	if (p->flags != q->flags || p->modes != q->modes)
		f |= PANE_STATE;
	if (strcmp(p->title, q->title) != 0)
		f |= PANE_TITLE;
	if (p->hist_gen != q->hist_gen || p->hist_base != q->hist_base ||
	    p->hist_size != q->hist_size || p->copy_top != q->copy_top)
		f |= PANE_HISTORY;
	for (unsigned y = 0; y < p->rows; y++) {
		if (!view_row_equal(p->line[y], q->line[y])) {
			f |= PANE_ROWS;
			break;
		}
	}
	if (fields != NULL)
		*fields = f;
	return f == 0;
}

int view_equal(const struct view *a, const struct view *b)
{
	if (a->echo_ack != b->echo_ack || strcmp(a->session, b->session) != 0 || !windows_equal(a, b) ||
	    !layout_equal(a, b) || !message_equal(a, b) || strcmp(a->key_table, b->key_table) != 0 ||
	    a->bells != b->bells || !clip_equal(a, b) || a->redraws != b->redraws ||
	    a->suspends != b->suspends)
		return 0;
	for (size_t i = 0; i < a->npanes; i++) {
		if (!pane_equal(&a->pane[i], &b->pane[i], NULL))
			return 0;
	}
	for (unsigned i = 0; i < a->nstatus; i++) {
		if (!view_row_equal(a->status[i], b->status[i]))
			return 0;
	}
	return 1;
}

void view_set_echo_ack(struct view *v, uint64_t n)
{
	v->echo_ack = n;
}

void view_set_session(struct view *v, const char *name)
{
	free(v->session);
	v->session = string_clean(name);
}

void view_set_windows(struct view *v, const struct view_window *w, size_t n)
{
	windows_clear(v);
	if (n > VIEW_WINDOWS_MAX)
		n = VIEW_WINDOWS_MAX;
	if (n == 0)
		return;
	v->window = xreallocarray(NULL, n, sizeof *v->window);
	for (size_t i = 0; i < n; i++) {
		v->window[i].index = w[i].index;
		v->window[i].flags = w[i].flags & VIEW_WINDOW_FLAGS;
		v->window[i].name = string_clean(w[i].name);
	}
	v->nwindows = n;
}

void view_set_key_table(struct view *v, const char *name)
{
	free(v->key_table);
	v->key_table = string_clean(name);
}

void view_set_bells(struct view *v, uint64_t n)
{
	v->bells = n;
}

void view_set_redraws(struct view *v, uint64_t n)
{
	v->redraws = n;
}

void view_set_suspends(struct view *v, uint64_t n)
{
	v->suspends = n;
}

void view_set_clipboard(struct view *v, uint64_t count, const char *target, const void *data,
    size_t len)
{
	size_t n = 0;

	v->clipboards = count;
	for (; target != NULL && target[n] != '\0' && n < VIEW_CLIP_TARGET_MAX; n++) {
		char c = target[n];
		v->clip_target[n] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : 'c';
	}
	v->clip_target[n] = '\0';
	free(v->clip);
	v->clip = NULL;
	v->cliplen = RMUX_MIN(len, (size_t)VIEW_CLIP_MAX);
	if (v->cliplen > 0) {
		v->clip = xmalloc(v->cliplen);
		memcpy(v->clip, data, v->cliplen);
	}
}

/* Give pane P geometry COLS x ROWS, keeping rows that still fit. */
static void pane_fit(struct view_pane *p, unsigned cols, unsigned rows)
{
	struct view_row **line = xreallocarray(NULL, rows ? rows : 1, sizeof *line);
	struct view_row *blank = NULL;

	for (unsigned y = 0; y < rows; y++) {
		if (y < p->rows && p->line[y]->cols == cols) {
			line[y] = view_row_ref(p->line[y]);
			continue;
		}
		if (blank == NULL)
			blank = blank_row(cols);
		line[y] = view_row_ref(blank);
	}
	view_row_unref(blank);
	for (unsigned y = 0; y < p->rows; y++)
		view_row_unref(p->line[y]);
	free(p->line);
	p->line = line;
	p->cols = cols;
	p->rows = rows;
}

/* The layout, trusted: checked by the caller. */
static void set_layout(struct view *v, unsigned cols, unsigned rows, uint32_t flags,
    uint32_t active_pane, const struct view_layout_pane *lp, size_t n, unsigned nstatus)
{
	struct view_pane *pane = n ? xcalloc(n, sizeof *pane) : NULL;
	struct view_row *blank = NULL;

	for (size_t i = 0; i < n; i++) {
		struct view_pane *p = &pane[i];
		struct view_pane *old = view_find_pane(v, lp[i].id);

		if (old != NULL) {
			*p = *old;
			old->line = NULL;
			old->title = NULL;
			old->rows = 0;
		} else {
			memset(p, 0, sizeof *p);
			p->title = xstrdup("");
			p->id = lp[i].id;
		}
		p->x = lp[i].x;
		p->y = lp[i].y;
		pane_fit(p, lp[i].cols, lp[i].rows);
	}
	for (size_t i = 0; i < v->npanes; i++)
		pane_clear(&v->pane[i]);
	free(v->pane);
	v->pane = pane;
	v->npanes = n;

	for (unsigned i = 0; i < VIEW_STATUS_MAX; i++) {
		struct view_row *r = i < v->nstatus ? v->status[i] : NULL;
		if (i < nstatus && r != NULL && r->cols == cols)
			continue;
		view_row_unref(r);
		v->status[i] = NULL;
		if (i < nstatus) {
			if (blank == NULL)
				blank = blank_row(cols);
			v->status[i] = view_row_ref(blank);
		}
	}
	view_row_unref(blank);
	v->nstatus = nstatus;
	if (v->message != NULL && v->message->cols > cols) {
		view_row_unref(v->message);
		v->message = NULL;
		v->message_cx = -1;
	}
	v->cols = cols;
	v->rows = rows;
	v->flags = flags;
	v->active_pane = active_pane;
}

/* The layout rules apply enforces (0 or RMUX_ERR_RANGE). */
static int layout_check(unsigned cols, unsigned rows, uint32_t flags,
    const struct view_layout_pane *lp, size_t n, unsigned nstatus)
{
	uint64_t area = 0;

	if (cols < 1 || rows < 1 || cols > VIEW_COLS_MAX || rows > VIEW_ROWS_MAX ||
	    (uint64_t)cols * rows > VIEW_AREA_MAX || (flags & ~VIEW_FLAGS) != 0 ||
	    (flags & VIEW_PREDICT_MASK) >> VIEW_PREDICT_SHIFT > VIEW_PREDICT_NEVER ||
	    nstatus > VIEW_STATUS_MAX || n > VIEW_PANES_MAX)
		return RMUX_ERR_RANGE;
	for (size_t i = 0; i < n; i++) {
		if (lp[i].cols < 1 || lp[i].rows < 1 || lp[i].x >= cols || lp[i].y >= rows ||
		    lp[i].cols > cols - lp[i].x || lp[i].rows > rows - lp[i].y)
			return RMUX_ERR_RANGE;
		area += (uint64_t)lp[i].cols * lp[i].rows;
		for (size_t j = 0; j < i; j++) {
			if (lp[j].id == lp[i].id)
				return RMUX_ERR_MALFORMED;
		}
	}
	/* Visible panes do not overlap: this bounds the cells a view holds. */
	return area > (uint64_t)cols * rows ? RMUX_ERR_RANGE : 0;
}

void view_set_layout(struct view *v, unsigned cols, unsigned rows, uint32_t flags,
    uint32_t active_pane, const struct view_layout_pane *p, size_t n, unsigned nstatus)
{
	if (layout_check(cols, rows, flags, p, n, nstatus) != 0)
		abort();
	set_layout(v, cols, rows, flags, active_pane, p, n, nstatus);
}

void view_set_flags(struct view *v, uint32_t flags)
{
	v->flags = flags & VIEW_FLAGS;
	if ((v->flags & VIEW_PREDICT_MASK) >> VIEW_PREDICT_SHIFT > VIEW_PREDICT_NEVER)
		v->flags &= ~VIEW_PREDICT_MASK;
}

struct view_pane *view_find_pane(struct view *v, uint32_t id)
{
	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == id && v->pane[i].line != NULL)
			return &v->pane[i];
	}
	return NULL;
}

void view_set_pane_row(struct view *v, struct view_pane *p, unsigned y, struct view_row *r)
{
	(void)v;
	if (y >= p->rows || r->cols != p->cols)
		abort();
	row_seal(r);
	view_row_unref(p->line[y]);
	p->line[y] = r;
}

void view_set_pane_cursor(struct view *v, struct view_pane *p, unsigned cx, unsigned cy,
    unsigned shape)
{
	(void)v;
	p->cx = RMUX_MIN(cx, (unsigned)VIEW_COLS_MAX);
	p->cy = RMUX_MIN(cy, (unsigned)VIEW_ROWS_MAX);
	p->cursor_shape = shape <= VIEW_CURSOR_SHAPE_MAX ? shape : 0;
}

void view_set_pane_state(struct view *v, struct view_pane *p, uint32_t flags, uint32_t modes,
    const char *title)
{
	(void)v;
	p->flags = flags & VIEW_PANE_FLAGS;
	p->modes = modes & VIEW_PANE_MODES;
	if (title != NULL) {
		free(p->title);
		p->title = string_clean(title);
	}
}

void view_set_pane_history(struct view *v, struct view_pane *p, uint32_t gen, uint64_t base,
    uint32_t size, uint64_t copy_top)
{
	(void)v;
	p->hist_gen = gen;
	p->hist_base = base;
	p->hist_size = (uint32_t)RMUX_MIN((uint64_t)size, base);
	p->copy_top = copy_top;
}

void view_set_status(struct view *v, unsigned i, struct view_row *r)
{
	if (i >= v->nstatus || r->cols != v->cols)
		abort();
	row_seal(r);
	view_row_unref(v->status[i]);
	v->status[i] = r;
}

void view_set_message(struct view *v, struct view_row *r, int cx)
{
	if (r != NULL && r->cols > v->cols)
		abort();
	view_row_unref(v->message);
	v->message = r;
	v->message_cx = -1;
	if (r != NULL) {
		row_seal(r);
		if (cx >= 0)
			v->message_cx = RMUX_MIN(cx, VIEW_COLS_MAX);
	}
}

/* --- encoding rows --- */

struct style {
	uint32_t fg, bg, attr, link;
};

static void put_string(struct buf *out, const char *s)
{
	size_t n = strlen(s);

	buf_add_varint(out, n);
	buf_add(out, s, n);
}

/* Cell X+1 is the tail xterm-style screens leave after a wide cell X. */
static int canonical_pair(const struct view_row *r, unsigned x, unsigned end)
{
	const struct cell *h = &r->cells[x], *t;

	if (x + 1 >= end || (h->attr & (CELL_WIDE | CELL_WIDE_TAIL)) != CELL_WIDE)
		return 0;
	t = &r->cells[x + 1];
	return t->ch == 0 && t->fg == h->fg && t->bg == h->bg && t->link == h->link &&
	       t->attr == ((h->attr & ~CELL_SHAPE_MASK) | CELL_WIDE_TAIL);
}

static void put_item(struct buf *out, const struct view_row *r, const struct cell *c)
{
	uint8_t tmp[4];

	if (c->attr & CELL_CLUSTER) {
		size_t len;
		const char *t = cell_cluster(r, c, &len);
		buf_add_u8(out, (uint8_t)len);
		buf_add(out, t, len);
	} else {
		buf_add(out, tmp, utf8_put(c->ch, tmp));
	}
}

/* Cells X..X+W of R as attribute runs (the style state starts at default). */
static void encode_runs(struct buf *out, const struct view_row *r, unsigned x, unsigned w)
{
	struct style cur = { 0, 0, 0, 0 };
	unsigned end = x + w;

	while (x < end) {
		const struct cell *c = &r->cells[x];
		int pairs = canonical_pair(r, x, end);
		unsigned step = pairs ? 2 : 1, n = 1, rep = 1, y;
		uint8_t flags = 0;

		/* Units of the same style and shape that follow. */
		for (y = x + step; y < end; y += step) {
			const struct cell *d = &r->cells[y];
			if (d->attr != c->attr || !cell_same_style(c, d) || canonical_pair(r, y, end) != pairs)
				break;
			n++;
		}
		/* A repeat of the first unit, or the units up to a repeat. */
		while (rep < n && cell_equal(r, c, r, &r->cells[x + rep * step]))
			rep++;
		if (rep >= 4) {
			n = rep;
			flags |= RUN_REPEAT;
		} else {
			for (unsigned k = 1; k + 3 < n; k++) {
				const struct cell *a = &r->cells[x + k * step];
				if (cell_equal(r, a, r, &r->cells[x + (k + 1) * step]) &&
				    cell_equal(r, a, r, &r->cells[x + (k + 2) * step]) &&
				    cell_equal(r, a, r, &r->cells[x + (k + 3) * step])) {
					n = k;
					break;
				}
			}
		}
		if (c->fg != cur.fg)
			flags |= RUN_FG;
		if (c->bg != cur.bg)
			flags |= RUN_BG;
		if (c->attr != cur.attr)
			flags |= RUN_ATTR;
		if (c->link != cur.link)
			flags |= RUN_LINK;
		if (pairs)
			flags |= RUN_PAIRS;
		buf_add_u8(out, flags);
		if (flags & RUN_FG)
			buf_add_varint(out, c->fg);
		if (flags & RUN_BG)
			buf_add_varint(out, c->bg);
		if (flags & RUN_ATTR)
			buf_add_varint(out, c->attr);
		if (flags & RUN_LINK)
			buf_add_varint(out, c->link);
		buf_add_varint(out, n);
		if (flags & RUN_REPEAT) {
			put_item(out, r, c);
		} else {
			for (unsigned k = 0; k < n; k++)
				put_item(out, r, &r->cells[x + k * step]);
		}
		cur.fg = c->fg;
		cur.bg = c->bg;
		cur.attr = c->attr;
		cur.link = c->link;
		x += n * step;
	}
}

/* The cheaper of a literal row and an edit of BASE (same width), as a
 * row update: UPDATE_LITERAL runs, or UPDATE_EDIT x w runs. */
static void encode_update(struct buf *out, const struct view_row *r, const struct view_row *base)
{
	struct buf lit, ed;
	unsigned a = 0, b;

	buf_init(&lit);
	buf_add_u8(&lit, UPDATE_LITERAL);
	encode_runs(&lit, r, 0, r->cols);
	if (base != NULL && base->cols == r->cols) {
		b = r->cols;
		while (a < b && cell_equal(r, &r->cells[a], base, &base->cells[a]))
			a++;
		while (b > a && cell_equal(r, &r->cells[b - 1], base, &base->cells[b - 1]))
			b--;
		buf_init(&ed);
		buf_add_u8(&ed, UPDATE_EDIT);
		buf_add_varint(&ed, a);
		buf_add_varint(&ed, b - a);
		encode_runs(&ed, r, a, b - a);
		if (ed.len < lit.len) {
			buf_add(out, ed.data, ed.len);
			buf_free(&ed);
			buf_free(&lit);
			return;
		}
		buf_free(&ed);
	}
	buf_add(out, lit.data, lit.len);
	buf_free(&lit);
}

void view_row_encode(struct view_row *r, struct buf *out)
{
	row_seal(r);
	buf_add_varint(out, r->cols);
	encode_runs(out, r, 0, r->cols);
}

/* Old rows by hash, to find where a changed row came from. */
struct row_index {
	size_t *slot; /* row number + 1, 0 = empty */
	size_t mask;
};

static void index_build(struct row_index *ix, struct view_row **line, unsigned n)
{
	size_t cap = 16;

	while (cap < 2 * (size_t)n)
		cap *= 2;
	ix->slot = xcalloc(cap, sizeof *ix->slot);
	ix->mask = cap - 1;
	/* Newest first wins nothing in particular; keep the first row of a
	 * hash so runs of equal rows resolve to the topmost. */
	for (unsigned y = 0; y < n; y++) {
		size_t h = (size_t)line[y]->hash & ix->mask;
		while (ix->slot[h] != 0) {
			if (line[ix->slot[h] - 1]->hash == line[y]->hash)
				break;
			h = (h + 1) & ix->mask;
		}
		if (ix->slot[h] == 0)
			ix->slot[h] = (size_t)y + 1;
	}
}

static int index_find(const struct row_index *ix, struct view_row **line, const struct view_row *r,
    unsigned *at)
{
	size_t h = (size_t)r->hash & ix->mask;

	while (ix->slot[h] != 0) {
		const struct view_row *o = line[ix->slot[h] - 1];
		if (o->hash == r->hash) {
			if (!view_row_equal(o, r))
				return 0;
			*at = (unsigned)(ix->slot[h] - 1);
			return 1;
		}
		h = (h + 1) & ix->mask;
	}
	return 0;
}

/* Row operations turning BASE's rows into P's (same geometry). */
static void encode_pane_rows(struct buf *out, const struct view_pane *base, const struct view_pane *p)
{
	struct row_index ix = { NULL, 0 };
	unsigned y = 0, n, src;
	struct buf lits;
	unsigned nlits = 0;

	buf_init(&lits);
	while (y < p->rows) {
		struct view_row *r = p->line[y];
		int moved = 0;

		if (view_row_equal(r, base->line[y])) {
			for (n = 1; y + n < p->rows && view_row_equal(p->line[y + n], base->line[y + n]); n++)
				;
			goto flush_then_op;
		}
		if (ix.slot == NULL)
			index_build(&ix, base->line, base->rows);
		if (index_find(&ix, base->line, r, &src)) {
			/* A run of rows that moved together: a scroll. */
			for (n = 1; y + n < p->rows && src + n < base->rows &&
			     !view_row_equal(p->line[y + n], base->line[y + n]) &&
			     view_row_equal(p->line[y + n], base->line[src + n]); n++)
				;
			moved = 1;
			goto flush_then_op;
		}
		/* A changed row: an edit of the old row if that is cheaper. */
		{
			struct buf one;
			buf_init(&one);
			encode_update(&one, r, base->line[y]);
			if (one.data[0] == UPDATE_EDIT) {
				if (nlits > 0) {
					buf_add_u8(out, OP_ROWS);
					buf_add_varint(out, nlits);
					buf_add(out, lits.data, lits.len);
					buf_reset(&lits);
					nlits = 0;
				}
				buf_add_u8(out, OP_EDIT);
				buf_add(out, one.data + 1, one.len - 1);
			} else {
				buf_add(&lits, one.data + 1, one.len - 1);
				nlits++;
			}
			buf_free(&one);
		}
		y++;
		continue;
flush_then_op:
		if (nlits > 0) {
			buf_add_u8(out, OP_ROWS);
			buf_add_varint(out, nlits);
			buf_add(out, lits.data, lits.len);
			buf_reset(&lits);
			nlits = 0;
		}
		if (moved) {
			buf_add_u8(out, OP_MOVE);
			buf_add_varint(out, n);
			buf_add_varint(out, src);
		} else {
			buf_add_u8(out, OP_KEEP);
			buf_add_varint(out, n);
		}
		y += n;
	}
	if (nlits > 0) {
		buf_add_u8(out, OP_ROWS);
		buf_add_varint(out, nlits);
		buf_add(out, lits.data, lits.len);
	}
	buf_free(&lits);
	free(ix.slot);
}

void view_diff(const struct view *from, const struct view *to, struct buf *out)
{
	struct view *base = NULL;
	const struct view *b = from;
	size_t start = out->len;

	if (from->echo_ack != to->echo_ack) {
		buf_add_u8(out, TAG_ECHO_ACK);
		buf_add_varint(out, to->echo_ack);
	}
	if (strcmp(from->session, to->session) != 0) {
		buf_add_u8(out, TAG_SESSION);
		put_string(out, to->session);
	}
	if (!windows_equal(from, to)) {
		buf_add_u8(out, TAG_WINDOWS);
		buf_add_varint(out, to->nwindows);
		for (size_t i = 0; i < to->nwindows; i++) {
			buf_add_varint(out, to->window[i].index);
			buf_add_varint(out, to->window[i].flags);
			put_string(out, to->window[i].name);
		}
	}
	if (!layout_equal(from, to)) {
		struct view_layout_pane *lp = to->npanes ? xcalloc(to->npanes, sizeof *lp) : NULL;

		buf_add_u8(out, TAG_LAYOUT);
		buf_add_varint(out, to->cols);
		buf_add_varint(out, to->rows);
		buf_add_varint(out, to->flags);
		buf_add_varint(out, to->active_pane);
		buf_add_varint(out, to->nstatus);
		buf_add_varint(out, to->npanes);
		for (size_t i = 0; i < to->npanes; i++) {
			const struct view_pane *p = &to->pane[i];
			lp[i] = (struct view_layout_pane){ p->id, p->x, p->y, p->cols, p->rows };
			buf_add_varint(out, p->id);
			buf_add_varint(out, p->x);
			buf_add_varint(out, p->y);
			buf_add_varint(out, p->cols);
			buf_add_varint(out, p->rows);
		}
		/* Diff the rest against what the receiver will hold after
		 * taking the new layout. */
		base = view_copy(from);
		set_layout(base, to->cols, to->rows, to->flags, to->active_pane, lp, to->npanes, to->nstatus);
		free(lp);
		b = base;
	}
	for (size_t i = 0; i < to->npanes; i++) {
		const struct view_pane *p = &to->pane[i], *q = &b->pane[i];
		unsigned f;

		if (pane_equal(q, p, &f))
			continue;
		buf_add_u8(out, TAG_PANE);
		buf_add_varint(out, i);
		buf_add_varint(out, f);
		if (f & PANE_CURSOR) {
			buf_add_varint(out, p->cx);
			buf_add_varint(out, p->cy);
			buf_add_varint(out, p->cursor_shape);
		}
		if (f & PANE_STATE) {
			buf_add_varint(out, p->flags);
			buf_add_varint(out, p->modes);
		}
		if (f & PANE_TITLE)
			put_string(out, p->title);
		if (f & PANE_HISTORY) {
			buf_add_varint(out, p->hist_gen);
			buf_add_varint(out, p->hist_base);
			buf_add_varint(out, p->hist_size);
			buf_add_varint(out, p->copy_top);
		}
		if (f & PANE_ROWS)
			encode_pane_rows(out, q, p);
	}
	for (unsigned i = 0; i < to->nstatus; i++) {
		if (view_row_equal(b->status[i], to->status[i]))
			continue;
		buf_add_u8(out, TAG_STATUS);
		buf_add_varint(out, i);
		encode_update(out, to->status[i], b->status[i]);
	}
	if (!message_equal(b, to)) {
		buf_add_u8(out, TAG_MESSAGE);
		buf_add_u8(out, to->message != NULL);
		if (to->message != NULL) {
			buf_add_varint(out, (uint64_t)(to->message_cx + 1));
			buf_add_varint(out, to->message->cols);
			encode_runs(out, to->message, 0, to->message->cols);
		}
	}
	if (strcmp(from->key_table, to->key_table) != 0) {
		buf_add_u8(out, TAG_KEY_TABLE);
		put_string(out, to->key_table);
	}
	if (from->bells != to->bells) {
		buf_add_u8(out, TAG_BELLS);
		buf_add_varint(out, to->bells);
	}
	if (!clip_equal(from, to)) {
		buf_add_u8(out, TAG_CLIPBOARD);
		buf_add_varint(out, to->clipboards);
		put_string(out, to->clip_target);
		buf_add_varint(out, to->cliplen);
		buf_add(out, to->clip, to->cliplen);
	}
	if (from->redraws != to->redraws) {
		buf_add_u8(out, TAG_REDRAWS);
		buf_add_varint(out, to->redraws);
	}
	if (from->suspends != to->suspends) {
		buf_add_u8(out, TAG_SUSPENDS);
		buf_add_varint(out, to->suspends);
	}
	if (out->len > start)
		buf_add_u8(out, TAG_END);
	view_free(base);
}

/* --- decoding --- */

static int get_uint(struct reader *r, uint64_t max, unsigned *v)
{
	uint64_t x;
	int err;

	if ((err = reader_varint(r, &x)) != 0)
		return err;
	if (x > max)
		return r->err = RMUX_ERR_RANGE;
	*v = (unsigned)x;
	return 0;
}

static int get_string(struct reader *r, size_t max, char **out)
{
	uint64_t n;
	const uint8_t *p;
	int err;

	if ((err = reader_varint(r, &n)) != 0)
		return err;
	if (n > max)
		return RMUX_ERR_TOO_BIG;
	if ((err = reader_view(r, &p, n)) != 0)
		return err;
	if (!string_valid(p, n))
		return RMUX_ERR_MALFORMED;
	free(*out);
	*out = xstrndup((const char *)p, n);
	return 0;
}

static int get_item(struct reader *rd, struct view_row *row, struct cell *c)
{
	uint8_t len;
	const uint8_t *p;
	uint32_t cp;
	size_t n;
	int err;

	if (c->attr & CELL_CLUSTER) {
		if ((err = reader_u8(rd, &len)) != 0)
			return err;
		if ((err = reader_view(rd, &p, len)) != 0)
			return err;
		if (!cluster_valid(p, len))
			return RMUX_ERR_MALFORMED;
		row_add_text(row, c, (const char *)p, len);
		return 0;
	}
	if (rd->left == 0)
		return rd->err = RMUX_ERR_TRUNCATED;
	n = utf8_strict(rd->p, rd->left, &cp);
	if (n == 0 || !cp_allowed(cp))
		return rd->err = RMUX_ERR_MALFORMED;
	rd->p += n;
	rd->left -= n;
	c->ch = cp;
	return 0;
}

/* Runs filling cells X..X+W of ROW. */
static int decode_runs(struct reader *rd, struct view_row *row, unsigned x, unsigned w)
{
	struct style cur = { 0, 0, 0, 0 };
	unsigned end = x + w, n, step;
	uint8_t flags;
	struct cell c, tail;
	int err;

	while (x < end) {
		if ((err = reader_u8(rd, &flags)) != 0)
			return err;
		if (flags & ~(RUN_FG | RUN_BG | RUN_ATTR | RUN_LINK | RUN_PAIRS | RUN_REPEAT))
			return RMUX_ERR_MALFORMED;
		if ((flags & RUN_FG) && (err = get_uint(rd, UINT32_MAX, &cur.fg)) != 0)
			return err;
		if ((flags & RUN_BG) && (err = get_uint(rd, UINT32_MAX, &cur.bg)) != 0)
			return err;
		if ((flags & RUN_ATTR) && (err = get_uint(rd, CELL_ATTR_MASK, &cur.attr)) != 0)
			return err;
		if ((flags & RUN_LINK) && (err = get_uint(rd, UINT16_MAX, &cur.link)) != 0)
			return err;
		if ((cur.attr & ~CELL_ATTR_MASK) != 0)
			return RMUX_ERR_MALFORMED;
		if ((flags & RUN_PAIRS) && (cur.attr & (CELL_WIDE | CELL_WIDE_TAIL)) != CELL_WIDE)
			return RMUX_ERR_MALFORMED;
		step = (flags & RUN_PAIRS) ? 2 : 1;
		if ((err = get_uint(rd, VIEW_COLS_MAX, &n)) != 0)
			return err;
		if (n < 1 || n * step > end - x)
			return RMUX_ERR_RANGE;
		c = (struct cell){ 0, cur.fg, cur.bg, (uint16_t)cur.attr, (uint16_t)cur.link };
		tail = (struct cell){ 0, cur.fg, cur.bg,
			(uint16_t)((cur.attr & ~CELL_SHAPE_MASK) | CELL_WIDE_TAIL), (uint16_t)cur.link };
		for (unsigned k = 0; k < n; k++) {
			if (k == 0 || !(flags & RUN_REPEAT)) {
				if ((err = get_item(rd, row, &c)) != 0)
					return err;
			}
			row->cells[x++] = c;
			if (step == 2)
				row->cells[x++] = tail;
		}
	}
	return 0;
}

/* A copy of cell X of SRC into DST (relocating cluster text). */
static void row_copy_cell(struct view_row *dst, unsigned x, const struct view_row *src)
{
	struct cell c = src->cells[x];

	if (c.attr & CELL_CLUSTER) {
		size_t len;
		const char *t = cell_cluster(src, &src->cells[x], &len);
		row_add_text(dst, &c, t, len);
	}
	dst->cells[x] = c;
}

/* A row update (literal or edit of BASE) of COLS cells into *OUT. */
static int decode_update(struct reader *rd, unsigned kind, unsigned cols,
    const struct view_row *base, struct view_row **out)
{
	struct view_row *row = view_row_create(cols);
	unsigned x = 0, w = 0;
	int err;

	if (kind == UPDATE_LITERAL) {
		err = decode_runs(rd, row, 0, cols);
	} else if (kind == UPDATE_EDIT && base != NULL && base->cols == cols) {
		get_uint(rd, cols, &x);
		if ((err = get_uint(rd, cols, &w)) != 0 || (err = (w > cols - x ? RMUX_ERR_RANGE : 0)) != 0)
			goto out;
		for (unsigned i = 0; i < cols; i++) {
			if (i < x || i >= x + w)
				row_copy_cell(row, i, base);
		}
		err = decode_runs(rd, row, x, w);
	} else {
		err = RMUX_ERR_MALFORMED;
	}
	if (err == 0 && !row_pairs_whole(row))
		err = RMUX_ERR_MALFORMED;
out:
	if (err != 0) {
		view_row_unref(row);
		return err;
	}
	row_seal(row);
	*out = row;
	return 0;
}

int view_row_decode(struct reader *rd, struct view_row **out)
{
	struct view_row *row;
	unsigned cols;
	int err;

	if ((err = get_uint(rd, VIEW_COLS_MAX, &cols)) != 0)
		return err;
	if (cols < 1)
		return RMUX_ERR_RANGE;
	row = view_row_create(cols);
	err = decode_runs(rd, row, 0, cols);
	if (err == 0 && !row_pairs_whole(row))
		err = RMUX_ERR_MALFORMED;
	if (err != 0) {
		view_row_unref(row);
		return err;
	}
	row_seal(row);
	*out = row;
	return 0;
}

static int decode_pane_rows(struct reader *rd, struct view_pane *p)
{
	struct view_row **line = xcalloc(p->rows, sizeof *line);
	unsigned y = 0, n, src;
	uint8_t op;
	int err = 0;

	while (y < p->rows) {
		if ((err = reader_u8(rd, &op)) != 0)
			goto out;
		if (op == OP_EDIT) {
			if ((err = decode_update(rd, UPDATE_EDIT, p->cols, p->line[y], &line[y])) != 0)
				goto out;
			y++;
			continue;
		}
		if ((err = get_uint(rd, p->rows - y, &n)) != 0)
			goto out;
		if (n < 1) {
			err = RMUX_ERR_RANGE;
			goto out;
		}
		switch (op) {
		case OP_KEEP:
			for (unsigned k = 0; k < n; k++, y++)
				line[y] = view_row_ref(p->line[y]);
			break;
		case OP_MOVE:
			if ((err = get_uint(rd, p->rows - n, &src)) != 0)
				goto out;
			for (unsigned k = 0; k < n; k++, y++)
				line[y] = view_row_ref(p->line[src + k]);
			break;
		case OP_ROWS:
			for (unsigned k = 0; k < n; k++, y++) {
				if ((err = decode_update(rd, UPDATE_LITERAL, p->cols, NULL, &line[y])) != 0)
					goto out;
			}
			break;
		default:
			err = RMUX_ERR_MALFORMED;
			goto out;
		}
	}
out:
	if (err != 0) {
		for (unsigned k = 0; k < p->rows; k++)
			view_row_unref(line[k]);
		free(line);
		return err;
	}
	for (unsigned k = 0; k < p->rows; k++)
		view_row_unref(p->line[k]);
	free(p->line);
	p->line = line;
	return 0;
}

static int decode_layout(struct reader *rd, struct view *v)
{
	unsigned cols = 0, rows = 0, flags = 0, active = 0, nstatus = 0, n = 0;
	struct view_layout_pane *lp = NULL;
	int err;

	get_uint(rd, VIEW_COLS_MAX, &cols);
	get_uint(rd, VIEW_ROWS_MAX, &rows);
	get_uint(rd, VIEW_FLAGS, &flags);
	get_uint(rd, UINT32_MAX, &active);
	get_uint(rd, VIEW_STATUS_MAX, &nstatus);
	if ((err = get_uint(rd, VIEW_PANES_MAX, &n)) != 0)
		return err;
	if (rd->err != 0)
		return rd->err;
	if (n > 0)
		lp = xcalloc(n, sizeof *lp);
	for (unsigned i = 0; i < n; i++) {
		get_uint(rd, UINT32_MAX, &lp[i].id);
		get_uint(rd, VIEW_COLS_MAX, &lp[i].x);
		get_uint(rd, VIEW_ROWS_MAX, &lp[i].y);
		get_uint(rd, VIEW_COLS_MAX, &lp[i].cols);
		if ((err = get_uint(rd, VIEW_ROWS_MAX, &lp[i].rows)) != 0 || (err = rd->err) != 0)
			goto out;
	}
	if ((err = layout_check(cols, rows, flags, lp, n, nstatus)) != 0)
		goto out;
	set_layout(v, cols, rows, flags, active, lp, n, nstatus);
out:
	free(lp);
	return err;
}

static int decode_pane(struct reader *rd, struct view *v, unsigned *last)
{
	unsigned i, f, cx = 0, cy = 0, shape = 0, flags = 0, modes = 0, gen = 0, size = 0;
	struct view_pane *p;
	int err;

	if ((err = get_uint(rd, VIEW_PANES_MAX, &i)) != 0)
		return err;
	if (i >= v->npanes || (*last != UINT32_MAX && i <= *last))
		return RMUX_ERR_MALFORMED;
	*last = i;
	p = &v->pane[i];
	if ((err = get_uint(rd, PANE_FIELDS, &f)) != 0)
		return err;
	if (f == 0)
		return RMUX_ERR_MALFORMED;
	if (f & PANE_CURSOR) {
		get_uint(rd, VIEW_COLS_MAX, &cx);
		get_uint(rd, VIEW_ROWS_MAX, &cy);
		if ((err = get_uint(rd, VIEW_CURSOR_SHAPE_MAX, &shape)) != 0)
			return err;
		if (rd->err != 0)
			return rd->err;
		p->cx = cx;
		p->cy = cy;
		p->cursor_shape = shape;
	}
	if (f & PANE_STATE) {
		get_uint(rd, VIEW_PANE_FLAGS, &flags);
		if ((err = get_uint(rd, UINT32_MAX, &modes)) != 0)
			return err;
		if (rd->err != 0 || (modes & ~VIEW_PANE_MODES) != 0)
			return rd->err ? rd->err : RMUX_ERR_RANGE;
		p->flags = flags;
		p->modes = modes;
	}
	if ((f & PANE_TITLE) && (err = get_string(rd, VIEW_NAME_MAX, &p->title)) != 0)
		return err;
	if (f & PANE_HISTORY) {
		uint64_t base, copy_top;

		get_uint(rd, UINT32_MAX, &gen);
		reader_varint(rd, &base);
		get_uint(rd, UINT32_MAX, &size);
		if ((err = reader_varint(rd, &copy_top)) != 0)
			return err;
		if (rd->err != 0)
			return rd->err;
		if (size > base)
			return RMUX_ERR_RANGE;
		p->hist_gen = gen;
		p->hist_base = base;
		p->hist_size = size;
		p->copy_top = copy_top;
	}
	if (f & PANE_ROWS)
		return decode_pane_rows(rd, p);
	return 0;
}

static int decode_windows(struct reader *rd, struct view *v)
{
	unsigned n;
	struct view_window *w = NULL;
	size_t got = 0;
	int err;

	if ((err = get_uint(rd, VIEW_WINDOWS_MAX, &n)) != 0)
		return err;
	if (n > 0)
		w = xcalloc(n, sizeof *w);
	for (; got < n; got++) {
		get_uint(rd, UINT32_MAX, &w[got].index);
		if ((err = get_uint(rd, VIEW_WINDOW_FLAGS, &w[got].flags)) != 0)
			goto out;
		if ((err = get_string(rd, VIEW_NAME_MAX, &w[got].name)) != 0 || (err = rd->err) != 0)
			goto out;
	}
	windows_clear(v);
	v->window = w;
	v->nwindows = n;
	return 0;
out:
	for (size_t i = 0; i < n; i++)
		free(w[i].name);
	free(w);
	return err;
}

static int decode_message(struct reader *rd, struct view *v)
{
	uint8_t present;
	unsigned cx = 0, cols = 0;
	struct view_row *row;
	int err;

	if ((err = reader_u8(rd, &present)) != 0)
		return err;
	if (present > 1)
		return RMUX_ERR_MALFORMED;
	if (present == 0) {
		view_row_unref(v->message);
		v->message = NULL;
		v->message_cx = -1;
		return 0;
	}
	get_uint(rd, VIEW_COLS_MAX + 1, &cx);
	if ((err = get_uint(rd, v->cols, &cols)) != 0)
		return err;
	if (rd->err != 0)
		return rd->err;
	if ((err = decode_update(rd, UPDATE_LITERAL, cols, NULL, &row)) != 0)
		return err;
	view_row_unref(v->message);
	v->message = row;
	v->message_cx = (int)cx - 1;
	return 0;
}

static int decode_clipboard(struct reader *rd, struct view *v)
{
	uint64_t count, len;
	char *target = NULL;
	const uint8_t *p;
	int err;

	reader_varint(rd, &count);
	if ((err = get_string(rd, VIEW_CLIP_TARGET_MAX, &target)) != 0)
		goto out;
	for (const char *t = target; *t != '\0'; t++) {
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9'))) {
			err = RMUX_ERR_MALFORMED;
			goto out;
		}
	}
	reader_varint(rd, &len);
	if ((err = rd->err) != 0)
		goto out;
	if (len > VIEW_CLIP_MAX) {
		err = RMUX_ERR_TOO_BIG;
		goto out;
	}
	if ((err = reader_view(rd, &p, len)) != 0)
		goto out;
	view_set_clipboard(v, count, target, p, len);
out:
	free(target);
	return err;
}

int view_apply(struct view *v, const uint8_t *diff, size_t len)
{
	struct view *nv = view_copy(v), tmp;
	struct reader rd;
	unsigned last_pane = UINT32_MAX, last_status = UINT32_MAX, kind, i;
	uint8_t tag, last_tag = 0;
	int err = 0;

	if (len == 0) {
		view_free(nv);
		return 0;
	}

	reader_init(&rd, diff, len);
	for (;;) {
		if ((err = reader_u8(&rd, &tag)) != 0)
			goto out;
		if (tag == TAG_END)
			break;
		if (tag < last_tag || (tag == last_tag && tag != TAG_PANE && tag != TAG_STATUS)) {
			err = RMUX_ERR_MALFORMED;
			goto out;
		}
		last_tag = tag;
		switch (tag) {
		case TAG_ECHO_ACK:
			err = reader_varint(&rd, &nv->echo_ack);
			break;
		case TAG_SESSION:
			err = get_string(&rd, VIEW_NAME_MAX, &nv->session);
			break;
		case TAG_WINDOWS:
			err = decode_windows(&rd, nv);
			break;
		case TAG_LAYOUT:
			err = decode_layout(&rd, nv);
			break;
		case TAG_PANE:
			err = decode_pane(&rd, nv, &last_pane);
			break;
		case TAG_STATUS:
			if ((err = get_uint(&rd, VIEW_STATUS_MAX, &i)) != 0)
				break;
			if (i >= nv->nstatus || (last_status != UINT32_MAX && i <= last_status) ||
			    (err = get_uint(&rd, UPDATE_EDIT, &kind)) != 0) {
				err = err ? err : RMUX_ERR_MALFORMED;
				break;
			}
			last_status = i;
			{
				struct view_row *row;
				if ((err = decode_update(&rd, kind, nv->cols, nv->status[i], &row)) == 0) {
					view_row_unref(nv->status[i]);
					nv->status[i] = row;
				}
			}
			break;
		case TAG_MESSAGE:
			err = decode_message(&rd, nv);
			break;
		case TAG_KEY_TABLE:
			err = get_string(&rd, VIEW_NAME_MAX, &nv->key_table);
			break;
		case TAG_BELLS:
			err = reader_varint(&rd, &nv->bells);
			break;
		case TAG_CLIPBOARD:
			err = decode_clipboard(&rd, nv);
			break;
		case TAG_REDRAWS:
			err = reader_varint(&rd, &nv->redraws);
			break;
		case TAG_SUSPENDS:
			err = reader_varint(&rd, &nv->suspends);
			break;
		default:
			err = RMUX_ERR_MALFORMED;
			break;
		}
		if (err == 0)
			err = rd.err;
		if (err != 0)
			goto out;
	}
	err = reader_finish(&rd);
out:
	if (err == 0) {
		tmp = *v;
		*v = *nv;
		*nv = tmp;
	}
	view_free(nv);
	return err;
}

/* --- transport operations --- */

static void *ops_copy(const void *p)
{
	return view_copy(p);
}

static void ops_free(void *p)
{
	view_free(p);
}

static void ops_diff(const void *from, const void *to, struct buf *out)
{
	view_diff(from, to, out);
}

static int ops_apply(void *p, const uint8_t *diff, size_t len)
{
	return view_apply(p, diff, len);
}

static int ops_equal(const void *a, const void *b)
{
	return view_equal(a, b);
}

const struct transport_state_ops view_ops = {
	ops_copy, ops_free, ops_diff, ops_apply, ops_equal, NULL,
};
