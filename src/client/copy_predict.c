/* copy_predict.c — copy-mode navigation predicted on the client (see
 * copy_predict.h).
 *
 * The server's copy mode (src/server/copy_mode.c) is followed move for
 * move: the same page sizes, clamps at the top and bottom of the history,
 * remembered column and "stick to the end of the line", and the same
 * position indicator "[oy/hsize]" in mode-style at the top right. The
 * client learns the server's state from each view of the active pane in
 * copy mode: the scroll position and history size from that indicator (it
 * is exact and needs nothing else), the absolute top line from copy_top,
 * and so the absolute number of the first screen row copied on entry
 * ("entry" below) as copy_top + oy. Copy-mode line Y (tmux numbering, 0 =
 * the oldest history line) is absolute line entry - hsize + Y.
 *
 * Where a line comes from, best first:
 * 1. rows the server drew in a copy-mode viewport of this copy mode (the
 *    exact cells; the top row is skipped, the indicator covers part of it);
 * 2. for lines of the copied screen (>= entry): the active pane's rows in
 *    the last view before copy mode, which is the screen the server copied
 *    unless output came in between; then the mirror;
 * 3. for history lines (< entry): the mirror, then those screen rows.
 * A line found nowhere is drawn as a dim "fetching" row.
 *
 * Hidden server state the view does not carry is tracked or guessed: the
 * remembered column (known after any move from a column that is not the
 * end of its line, else carried from the last confirmed prediction, else
 * 0 as on entry) and copy-mode -e (known when the client predicted the
 * wheel entry, learnt when a move down leaves copy mode). A wrong guess
 * shows as a wrong cursor or an unexpected exit, which drops predictions
 * but does not stop a key from being predicted. */
#include "client/copy_predict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/compose.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/key_string.h"

#define CP_CACHE 2048  /* server-drawn rows kept, direct-mapped by line */
#define CP_INDICATOR_MAX 48

enum {
	CP_NONE,
	CP_PAGE_UP,
	CP_PAGE_DOWN,
	CP_HALF_UP,
	CP_HALF_DOWN,
	CP_SCROLL_UP,
	CP_SCROLL_DOWN,
	CP_CURSOR_UP,
	CP_CURSOR_DOWN,
	CP_HISTORY_TOP,
	CP_HISTORY_BOTTOM,
	CP_TOP_LINE,
	CP_MIDDLE_LINE,
	CP_BOTTOM_LINE,
	CP_WHEEL_UP,   /* scroll-up 5 */
	CP_WHEEL_DOWN, /* scroll-down 5 */
	CP_WHEEL_ENTER /* root WheelUpPane: copy-mode -e */
};

struct cp_binding {
	const char *key;
	int cmd;
};

/* The navigation keys of the default copy-mode tables (copy_mode.c). */
static const struct cp_binding cp_emacs[] = {
	{ "PPage", CP_PAGE_UP }, { "M-v", CP_PAGE_UP }, { "NPage", CP_PAGE_DOWN },
	{ "C-v", CP_PAGE_DOWN }, { "Space", CP_PAGE_DOWN }, { "Up", CP_CURSOR_UP },
	{ "C-p", CP_CURSOR_UP }, { "Down", CP_CURSOR_DOWN }, { "C-n", CP_CURSOR_DOWN },
	{ "M-Up", CP_HALF_UP }, { "M-Down", CP_HALF_DOWN }, { "C-Up", CP_SCROLL_UP },
	{ "C-Down", CP_SCROLL_DOWN }, { "M-<", CP_HISTORY_TOP }, { "M->", CP_HISTORY_BOTTOM },
	{ "M-R", CP_TOP_LINE }, { "M-r", CP_MIDDLE_LINE },
};

static const struct cp_binding cp_vi[] = {
	{ "C-b", CP_PAGE_UP }, { "PPage", CP_PAGE_UP }, { "C-f", CP_PAGE_DOWN },
	{ "NPage", CP_PAGE_DOWN }, { "C-u", CP_HALF_UP }, { "C-d", CP_HALF_DOWN },
	{ "C-y", CP_SCROLL_UP }, { "K", CP_SCROLL_UP }, { "C-Up", CP_SCROLL_UP },
	{ "C-e", CP_SCROLL_DOWN }, { "J", CP_SCROLL_DOWN }, { "C-Down", CP_SCROLL_DOWN },
	{ "k", CP_CURSOR_UP }, { "Up", CP_CURSOR_UP }, { "j", CP_CURSOR_DOWN },
	{ "Down", CP_CURSOR_DOWN }, { "g", CP_HISTORY_TOP }, { "G", CP_HISTORY_BOTTOM },
	{ "H", CP_TOP_LINE }, { "M", CP_MIDDLE_LINE }, { "L", CP_BOTTOM_LINE },
};

/* The server's copy mode of one pane, as far as the client knows it. */
struct cp_state {
	int valid;
	uint32_t pane, gen;
	unsigned px, py, cols, rows;
	int vi;
	unsigned hsize, oy, cx, cy, lastcx, lastsx;
	uint64_t entry;  /* absolute line of the first copied screen row */
	int scroll_exit; /* copy-mode -e: 1, 0, or -1 unknown */
	int exited;      /* predicted to leave copy mode */
};

struct cp_pred {
	uint64_t event;
	uint64_t key; /* 0 for the mouse */
	int cmd, vi;
	int from_server; /* predicted straight on a view's state... */
	int clean;       /* ...which had taken every key sent before */
	struct cp_state before, after;
};

struct cp_line {
	uint32_t pane, gen;
	uint64_t line;
	struct view_row *row;
};

struct copy_predict {
	uint64_t key_code[2][RMUX_MAX(RMUX_NITEMS(cp_emacs), RMUX_NITEMS(cp_vi))];
	uint64_t *banned[2];
	size_t nbanned[2];
	unsigned refuted;

	uint64_t echo_ack;
	uint64_t last_event;
	uint64_t barrier; /* nothing predicted until echo_ack reaches it... */
	uint64_t unpredicted; /* the newest key not predicted */
	struct cp_state barrier_state; /* ...or the view moves on from this */
	int vi_seen;      /* the copy-mode table last seen: 1 vi, 0 emacs */
	unsigned known_lastcx, known_lastsx;
	int known_exit; /* scroll_exit of the current copy mode, -1 unknown */

	struct cp_state server; /* the last view's, valid in usable copy mode */
	int server_copy;        /* the active pane of the last view is in copy mode */
	uint32_t server_pane;

	struct cp_pred *pred;
	size_t npred;

	/* The active pane's rows in the last view where it was not in copy mode. */
	uint32_t scr_pane, scr_gen;
	uint64_t scr_base, scr_hsize;
	unsigned scr_rows, scr_cols, scr_cx, scr_cy;
	struct view_row **scr;

	struct cp_line cache[CP_CACHE];
	uint32_t cache_pane;
	uint64_t cache_entry;
};

/* ---- lines ---- */

static void cache_clear(struct copy_predict *cp)
{
	for (size_t i = 0; i < CP_CACHE; i++) {
		if (cp->cache[i].row != NULL)
			view_row_unref(cp->cache[i].row);
		cp->cache[i].row = NULL;
	}
}

static void cache_put(struct copy_predict *cp, uint32_t pane, uint32_t gen, uint64_t line,
    struct view_row *r)
{
	struct cp_line *l = &cp->cache[line % CP_CACHE];

	if (l->row != NULL)
		view_row_unref(l->row);
	l->pane = pane;
	l->gen = gen;
	l->line = line;
	l->row = view_row_ref(r);
}

static const struct view_row *cache_get(const struct copy_predict *cp, uint32_t pane,
    uint32_t gen, uint64_t line)
{
	const struct cp_line *l = &cp->cache[line % CP_CACHE];

	if (l->row == NULL || l->pane != pane || l->gen != gen || l->line != line)
		return NULL;
	return l->row;
}

static const struct view_row *screen_get(const struct copy_predict *cp, uint32_t pane,
    uint32_t gen, uint64_t line)
{
	if (cp->scr == NULL || cp->scr_pane != pane || cp->scr_gen != gen || line < cp->scr_base ||
	    line - cp->scr_base >= cp->scr_rows)
		return NULL;
	return cp->scr[line - cp->scr_base];
}

/* Absolute line LINE of the copy mode S (see the comment at the top). */
static const struct view_row *cp_lookup(const struct copy_predict *cp, const struct mirror *m,
    const struct cp_state *s, uint64_t line)
{
	const struct view_row *r = cache_get(cp, s->pane, s->gen, line);

	if (r != NULL)
		return r;
	if (line >= s->entry) {
		r = screen_get(cp, s->pane, s->gen, line);
		if (r == NULL && m != NULL)
			r = mirror_get(m, s->pane, s->gen, line, NULL);
		return r;
	}
	if (m != NULL)
		r = mirror_get(m, s->pane, s->gen, line, NULL);
	if (r == NULL)
		r = screen_get(cp, s->pane, s->gen, line);
	return r;
}

struct cp_ctx {
	const struct copy_predict *cp;
	const struct mirror *m;
	int guessed; /* a line needed for the cursor was not held */
};

static int cp_space(const struct cell *c)
{
	return !(c->attr & (CELL_CLUSTER | CELL_WIDE_TAIL)) && (c->ch == ' ' || c->ch == 0);
}

/* The length of copy-mode line Y as the server counts it: cells up to the
 * last that is not a space; lines past the end are blank. */
static unsigned cp_len(struct cp_ctx *c, const struct cp_state *s, unsigned y)
{
	const struct view_row *r;
	unsigned n;

	if (y >= s->hsize + s->rows)
		return 0;
	r = cp_lookup(c->cp, c->m, s, s->entry - s->hsize + y);
	if (r == NULL) {
		c->guessed = 1;
		return 0;
	}
	n = RMUX_MIN(view_row_cols(r), s->cols);
	while (n > 0 && cp_space(view_row_cell(r, n - 1)))
		n--;
	return n;
}

/* ---- the server's moves (copy_mode.c), without selection or marks ---- */

static unsigned cp_cury(const struct cp_state *s)
{
	return s->hsize - s->oy + s->cy;
}

static void cp_update_cursor(struct cp_ctx *c, struct cp_state *s, unsigned x, unsigned cy)
{
	unsigned limit;

	if (cy < s->rows) {
		limit = cp_len(c, s, s->hsize - s->oy + cy);
		if (x > limit)
			x = limit;
	}
	s->cx = x;
	s->cy = cy;
}

static void cp_remember_column(struct cp_ctx *c, struct cp_state *s)
{
	unsigned ox = cp_len(c, s, cp_cury(s));

	if (s->cx != ox) {
		s->lastcx = s->cx;
		s->lastsx = ox;
	}
}

static void cp_stick_end(struct cp_ctx *c, struct cp_state *s)
{
	unsigned px = cp_len(c, s, cp_cury(s));

	if ((s->cx >= s->lastsx && s->cx != px) || s->cx > px)
		cp_update_cursor(c, s, px, s->cy);
}

static void cp_cursor_up(struct cp_ctx *c, struct cp_state *s, int scroll_only)
{
	cp_remember_column(c, s);
	if (scroll_only && s->vi && s->cy < s->rows - 1 && s->oy < s->hsize)
		s->cy++;
	if (scroll_only || s->cy == 0) {
		s->cx = s->lastcx;
		if (s->oy < s->hsize)
			s->oy++;
		cp_update_cursor(c, s, s->cx, s->cy);
	} else
		cp_update_cursor(c, s, s->lastcx, s->cy - 1);
	cp_stick_end(c, s);
}

static void cp_cursor_down(struct cp_ctx *c, struct cp_state *s, int scroll_only)
{
	cp_remember_column(c, s);
	if (scroll_only && s->vi && s->cy > 0 && s->oy > 0)
		s->cy--;
	if (scroll_only || s->cy == s->rows - 1) {
		s->cx = s->lastcx;
		if (s->oy > 0)
			s->oy--;
		cp_update_cursor(c, s, s->cx, s->cy);
	} else
		cp_update_cursor(c, s, s->lastcx, s->cy + 1);
	cp_stick_end(c, s);
}

static void cp_page(struct cp_ctx *c, struct cp_state *s, int up, int half)
{
	unsigned n = 1;

	cp_remember_column(c, s);
	s->cx = s->lastcx;
	if (s->rows > 2)
		n = half ? s->rows / 2 : s->rows - 2;
	if (up) {
		if (s->oy + n > s->hsize) {
			s->oy = s->hsize;
			s->cy = s->cy < n ? 0 : s->cy - n;
		} else
			s->oy += n;
	} else {
		if (s->oy < n) {
			s->cy = s->cy + (n - s->oy) >= s->rows ? s->rows - 1 : s->cy + (n - s->oy);
			s->oy = 0;
		} else
			s->oy -= n;
	}
	cp_stick_end(c, s);
}

/* Run CMD on S; returns 0 when it cannot be predicted. */
static int cp_run(struct cp_ctx *c, struct cp_state *s, int cmd)
{
	int down = 0;

	switch (cmd) {
	case CP_PAGE_UP: cp_page(c, s, 1, 0); break;
	case CP_PAGE_DOWN: cp_page(c, s, 0, 0); down = 1; break;
	case CP_HALF_UP: cp_page(c, s, 1, 1); break;
	case CP_HALF_DOWN: cp_page(c, s, 0, 1); down = 1; break;
	case CP_SCROLL_UP: cp_cursor_up(c, s, 1); break;
	case CP_SCROLL_DOWN: cp_cursor_down(c, s, 1); down = 1; break;
	case CP_CURSOR_UP: cp_cursor_up(c, s, 0); break;
	case CP_CURSOR_DOWN: cp_cursor_down(c, s, 0); break;
	case CP_WHEEL_UP:
		for (int i = 0; i < COPY_PREDICT_WHEEL_LINES; i++)
			cp_cursor_up(c, s, 1);
		break;
	case CP_WHEEL_DOWN:
		for (int i = 0; i < COPY_PREDICT_WHEEL_LINES; i++)
			cp_cursor_down(c, s, 1);
		down = 1;
		break;
	case CP_HISTORY_TOP:
		s->cy = 0;
		s->cx = 0;
		s->oy = s->hsize;
		break;
	case CP_HISTORY_BOTTOM:
		s->cy = s->rows - 1;
		s->oy = 0;
		s->cx = cp_len(c, s, cp_cury(s));
		break;
	case CP_TOP_LINE:
	case CP_MIDDLE_LINE:
	case CP_BOTTOM_LINE:
		s->cx = 0;
		s->cy = cmd == CP_TOP_LINE ? 0 :
		    cmd == CP_MIDDLE_LINE ? (s->rows - 1) / 2 : s->rows - 1;
		break;
	default:
		return 0;
	}
	/* copy-mode -e: back at the bottom by scrolling down leaves (the
	 * wheel's scroll-down is a scroll-down too). */
	if (down && cmd != CP_CURSOR_DOWN && s->oy == 0 && s->scroll_exit == 1)
		s->exited = 1;
	return 1;
}

/* ---- keys ---- */

static int cp_command(const struct copy_predict *cp, int vi, uint64_t key)
{
	const struct cp_binding *b = vi ? cp_vi : cp_emacs;
	size_t n = vi ? RMUX_NITEMS(cp_vi) : RMUX_NITEMS(cp_emacs);

	for (size_t i = 0; i < cp->nbanned[vi]; i++) {
		if (cp->banned[vi][i] == key)
			return CP_NONE;
	}
	for (size_t i = 0; i < n; i++) {
		if (cp->key_code[vi][i] == key)
			return b[i].cmd;
	}
	return CP_NONE;
}

static void cp_ban(struct copy_predict *cp, int vi, uint64_t key)
{
	if (key == 0 || copy_predict_banned(cp, vi, key))
		return;
	cp->banned[vi] = xreallocarray(cp->banned[vi], cp->nbanned[vi] + 1, sizeof **cp->banned);
	cp->banned[vi][cp->nbanned[vi]++] = key;
}

int copy_predict_banned(const struct copy_predict *cp, int vi, uint64_t key)
{
	vi = vi != 0;
	for (size_t i = 0; i < cp->nbanned[vi]; i++) {
		if (cp->banned[vi][i] == key)
			return 1;
	}
	return 0;
}

struct copy_predict *copy_predict_create(void)
{
	struct copy_predict *cp = xcalloc(1, sizeof *cp);

	for (size_t i = 0; i < RMUX_NITEMS(cp_emacs); i++)
		cp->key_code[0][i] = key_string_lookup_string(cp_emacs[i].key);
	for (size_t i = 0; i < RMUX_NITEMS(cp_vi); i++)
		cp->key_code[1][i] = key_string_lookup_string(cp_vi[i].key);
	cp->pred = xcalloc(COPY_PREDICT_MAX, sizeof *cp->pred);
	cp->known_exit = -1;
	return cp;
}

static void screen_drop(struct copy_predict *cp)
{
	if (cp->scr != NULL) {
		for (unsigned y = 0; y < cp->scr_rows; y++)
			view_row_unref(cp->scr[y]);
		free(cp->scr);
	}
	cp->scr = NULL;
	cp->scr_rows = 0;
}

void copy_predict_free(struct copy_predict *cp)
{
	if (cp == NULL)
		return;
	cache_clear(cp);
	screen_drop(cp);
	free(cp->banned[0]);
	free(cp->banned[1]);
	free(cp->pred);
	free(cp);
}

void copy_predict_reset(struct copy_predict *cp)
{
	cp->npred = 0;
	cp->barrier = cp->last_event;
	cp->barrier_state = cp->server;
}

void copy_predict_other(struct copy_predict *cp, uint64_t event)
{
	cp->last_event = event;
	cp->barrier = event;
	cp->unpredicted = event;
	cp->barrier_state = cp->server;
}

int copy_predict_pending(const struct copy_predict *cp)
{
	return cp->npred > 0;
}

unsigned copy_predict_refuted(const struct copy_predict *cp)
{
	return cp->refuted;
}

/* The state new predictions start from, or NULL. */
static const struct cp_state *cp_base(const struct copy_predict *cp)
{
	if (cp->barrier > cp->echo_ack)
		return NULL;
	if (cp->npred > 0)
		return &cp->pred[cp->npred - 1].after;
	return cp->server.valid ? &cp->server : NULL;
}

static void cp_push(struct copy_predict *cp, const struct cp_state *before,
    const struct cp_state *after, uint64_t key, int cmd, uint64_t event)
{
	struct cp_pred *p;

	if (cp->npred == COPY_PREDICT_MAX) {
		/* Unchecked: the oldest goes, the rest still stand. */
		memmove(cp->pred, cp->pred + 1, (cp->npred - 1) * sizeof *cp->pred);
		cp->npred--;
	}
	p = &cp->pred[cp->npred++];
	p->event = event;
	p->key = key;
	p->cmd = cmd;
	p->vi = after->vi;
	p->from_server = cp->npred == 1;
	p->clean = cp->echo_ack >= cp->unpredicted;
	p->before = *before;
	p->after = *after;
}

static int cp_key_table(const struct view *v)
{
	if (v->key_table == NULL)
		return -1;
	if (strcmp(v->key_table, "copy-mode") == 0)
		return 0;
	if (strcmp(v->key_table, "copy-mode-vi") == 0)
		return 1;
	return -1;
}

void copy_predict_key(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    uint64_t key, uint64_t event, uint64_t now)
{
	const struct cp_state *base = cp_base(cp);
	struct cp_ctx c = { cp, m, 0 };
	struct cp_state s;
	int cmd, vi;

	(void)now;
	cp->last_event = event;
	if (base == NULL || base->exited)
		goto barrier;
	if (cp->npred == 0) {
		/* Keys go to the copy-mode table only without a prompt or
		 * message open and with no other table (prefix) pending. */
		vi = cp_key_table(v);
		if (vi < 0 || v->message != NULL || v->active_pane != base->pane)
			goto barrier;
	} else
		vi = base->vi;
	cmd = cp_command(cp, vi, key);
	if (cmd == CP_NONE)
		goto barrier;
	s = *base;
	s.vi = vi;
	if (!cp_run(&c, &s, cmd))
		goto barrier;
	cp_push(cp, base, &s, key, cmd, event);
	return;
barrier:
	log_debug("key %llx as event %llu not predicted (%s; barrier %llu echo_ack %llu copy %d)",
	    (unsigned long long)key, (unsigned long long)event,
	    base == NULL ? "no copy-mode state" : "not a navigation key",
	    (unsigned long long)cp->barrier, (unsigned long long)cp->echo_ack, cp->server_copy);
	cp->barrier = event;
	cp->unpredicted = event;
	cp->barrier_state = cp->server;
}

void copy_predict_mouse(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    const struct input_event *ev, uint64_t event, uint64_t now)
{
	const struct view_pane *ap = compose_active_pane(v);
	const struct cp_state *base = cp_base(cp);
	struct cp_ctx c = { cp, m, 0 };
	struct cp_state s, before;
	int cmd;

	(void)now;
	cp->last_event = event;
	if (ev->type != INPUT_MOUSE)
		goto barrier;
	/* Motion without a button changes nothing in copy mode or the root
	 * table's default bindings. */
	if (ev->kind == INPUT_MOUSE_MOVE && base != NULL)
		return;
	if (ev->kind != INPUT_MOUSE_WHEEL || ev->button > 1 || ap == NULL ||
	    ev->x < ap->x || ev->x >= ap->x + ap->cols || ev->y < ap->y ||
	    ev->y >= ap->y + ap->rows || v->message != NULL)
		goto barrier;
	if (base != NULL && !base->exited && base->pane == ap->id) {
		/* In copy mode (the copy-mode tables' WheelUpPane and
		 * WheelDownPane). */
		cmd = ev->button == 0 ? CP_WHEEL_UP : CP_WHEEL_DOWN;
		s = *base;
		if (!cp_run(&c, &s, cmd))
			goto barrier;
		cp_push(cp, base, &s, 0, cmd, event);
		return;
	}
	/* Not in copy mode: the root table's WheelUpPane enters it (copy-mode
	 * -e) when the session's mouse is on and the pane asks for no mouse. */
	if (cp->barrier > cp->echo_ack || cp->npred > 0 || ev->button != 0 ||
	    (ap->flags & VIEW_PANE_COPY_MODE) || !(v->flags & VIEW_MOUSE) ||
	    (ap->modes & (MODE_MOUSE_STANDARD | MODE_MOUSE_BUTTON | MODE_MOUSE_ANY | MODE_MOUSE_X10)) ||
	    v->key_table == NULL || strcmp(v->key_table, "root") != 0 || cp->scr == NULL ||
	    cp->scr_pane != ap->id || cp->scr_rows != ap->rows || cp->scr_cols != ap->cols)
		goto barrier;
	memset(&s, 0, sizeof s);
	s.valid = 1;
	s.pane = ap->id;
	s.gen = ap->hist_gen;
	s.px = ap->x;
	s.py = ap->y;
	s.cols = ap->cols;
	s.rows = ap->rows;
	s.vi = cp->vi_seen;
	s.hsize = ap->hist_size;
	s.entry = ap->hist_base;
	s.cx = RMUX_MIN(ap->cx, ap->cols - 1);
	s.cy = RMUX_MIN(ap->cy, ap->rows - 1);
	s.scroll_exit = 1;
	before = s;
	before.valid = 0;
	cp_push(cp, &before, &s, 0, CP_WHEEL_ENTER, event);
	return;
barrier:
	cp->barrier = event;
	cp->unpredicted = event;
	cp->barrier_state = cp->server;
}

/* ---- views ---- */

static int cp_mode_style(const struct cell *c)
{
	return c->fg == colour_palette(0) &&
	    (c->bg == colour_palette(3) || c->bg == colour_palette(5) || c->bg == colour_palette(6));
}

/* The position indicator "[oy/hsize]" at the right of row R (COLS
 * cells): 1 and the numbers, or 0 (hidden, search results shown, or not
 * copy mode's). *START is its first column. */
static int cp_indicator(const struct view_row *r, unsigned cols, unsigned *oy, unsigned *hsize,
    unsigned *start)
{
	char text[CP_INDICATOR_MAX + 1];
	unsigned x, n = 0, a, b;
	char tail;

	if (r == NULL || cols < 5 || view_row_cols(r) < cols)
		return 0;
	for (x = cols; x > 0 && n < CP_INDICATOR_MAX; x--) {
		const struct cell *c = view_row_cell(r, x - 1);

		if ((c->attr & (CELL_CLUSTER | CELL_WIDE | CELL_WIDE_TAIL)) || c->ch > 0x7e ||
		    !cp_mode_style(c))
			break;
		text[CP_INDICATOR_MAX - ++n] = (char)c->ch;
		if (c->ch == '[')
			break;
	}
	if (n == 0 || text[CP_INDICATOR_MAX - n] != '[')
		return 0;
	/* "(N results) [..]": the space before it is in mode-style too. */
	if (x - 1 > 0 && cp_mode_style(view_row_cell(r, x - 2)))
		return 0;
	text[CP_INDICATOR_MAX] = '\0';
	if (sscanf(&text[CP_INDICATOR_MAX - n], "[%u/%u%c", &a, &b, &tail) != 3 || tail != ']' ||
	    a > b)
		return 0;
	*oy = a;
	*hsize = b;
	*start = x - 1;
	return 1;
}

/* Selection or search marks drawn anywhere but the indicator: predictions
 * would have to draw them too. */
static int cp_marked(const struct view_pane *p, unsigned start)
{
	for (unsigned y = 0; y < p->rows; y++) {
		unsigned w = y == 0 ? start : p->cols;

		for (unsigned x = 0; x < w && x < view_row_cols(p->line[y]); x++) {
			if (cp_mode_style(view_row_cell(p->line[y], x)))
				return 1;
		}
	}
	return 0;
}

static void cp_read_server(struct copy_predict *cp, const struct view *v,
    const struct view_pane *ap)
{
	struct cp_state *s = &cp->server;
	unsigned oy, hsize, start;
	int vi = cp_key_table(v);

	memset(s, 0, sizeof *s);
	if (ap == NULL || !(ap->flags & VIEW_PANE_COPY_MODE) || ap->rows == 0)
		return;
	if (!cp_indicator(ap->line[0], ap->cols, &oy, &hsize, &start)) {
		log_debug("copy mode: no position indicator on the top row");
		return;
	}
	if (cp_marked(ap, start)) {
		log_debug("copy mode: selection or search marks shown");
		return;
	}
	if (vi >= 0)
		cp->vi_seen = vi;
	s->valid = 1;
	s->pane = ap->id;
	s->gen = ap->hist_gen;
	s->px = ap->x;
	s->py = ap->y;
	s->cols = ap->cols;
	s->rows = ap->rows;
	s->vi = vi >= 0 ? vi : cp->vi_seen;
	s->oy = oy;
	s->hsize = hsize;
	s->entry = ap->copy_top + oy;
	s->cx = ap->cx;
	s->cy = ap->cy;
	s->lastcx = cp->known_lastcx;
	s->lastsx = cp->known_lastsx;
	s->scroll_exit = cp->known_exit;
	if (cp->cache_pane != s->pane || cp->cache_entry != s->entry) {
		cache_clear(cp);
		cp->cache_pane = s->pane;
		cp->cache_entry = s->entry;
	}
	/* The top row is left out: the indicator hides part of it. */
	for (unsigned y = 1; y < ap->rows; y++)
		cache_put(cp, s->pane, s->gen, s->entry - oy + y, ap->line[y]);
}

static int cp_same_view(const struct cp_state *a, const struct cp_state *b)
{
	return a->valid && b->valid && a->pane == b->pane && a->oy == b->oy &&
	    a->hsize == b->hsize && a->entry == b->entry && a->rows == b->rows &&
	    a->cols == b->cols;
}

static int cp_matches(const struct cp_pred *p, const struct cp_state *server, int server_copy)
{
	if (p->after.exited)
		return !server_copy;
	return cp_same_view(&p->after, server) && p->after.cx == server->cx &&
	    p->after.cy == server->cy;
}

/* Predictions against the server's state. echo_ack may trail what the
 * view shows (the daemon holds it back for an echo), so the view may be
 * at any prediction from the newest it covers on: the newest that matches
 * is confirmed with all before it. Only when none matches and the view
 * covers one is that one wrong. */
static void cp_check(struct copy_predict *cp, const struct cp_state *prev, int server_copy)
{
	size_t k = cp->npred, i, j;
	const struct cp_pred *p;

	for (i = 0; i < cp->npred; i++) {
		if (cp->pred[i].event <= cp->echo_ack)
			k = i;
	}
	for (j = cp->npred; j > 0; j--) {
		p = &cp->pred[j - 1];
		if (k != cp->npred && j - 1 < k)
			break;
		/* Nothing covered and the view still as before the first:
		 * a later prediction that comes back there proves nothing. */
		if (k == cp->npred && server_copy && cp_same_view(&cp->pred[0].before, &cp->server) &&
		    cp->pred[0].before.cx == cp->server.cx && cp->pred[0].before.cy == cp->server.cy)
			break;
		if (cp_matches(p, &cp->server, server_copy)) {
			/* Confirmed: what it knew of the hidden state holds. */
			cp->known_lastcx = p->after.lastcx;
			cp->known_lastsx = p->after.lastsx;
			cp->server.lastcx = p->after.lastcx;
			cp->server.lastsx = p->after.lastsx;
			memmove(cp->pred, cp->pred + j, (cp->npred - j) * sizeof *cp->pred);
			cp->npred -= j;
			return;
		}
	}
	if (k == cp->npred)
		return;
	p = &cp->pred[k];
	if (!server_copy && !p->after.exited &&
	    (p->cmd == CP_PAGE_DOWN || p->cmd == CP_HALF_DOWN || p->cmd == CP_SCROLL_DOWN ||
		p->cmd == CP_WHEEL_DOWN) &&
	    p->after.oy == 0) {
		/* Down to the bottom and out: copy-mode -e, which the view
		 * does not say. */
		cp->known_exit = 1;
	} else if (cp->server.valid && cp->server.pane == p->after.pane &&
	    !cp_same_view(&p->after, &cp->server) && k == 0 && p->from_server &&
	    p->clean && cp_same_view(&p->before, prev) && p->key != 0 && cp->barrier < p->event) {
		/* Nothing else was typed, and the viewport the key gave is not
		 * the one its binding gives: it was rebound. */
		cp_ban(cp, p->vi, p->key);
		cp->refuted++;
	}
	log_debug("copy prediction of event %llu dropped: predicted top %llu oy %u cursor %u,%u%s; "
		  "server %s top %llu oy %u cursor %u,%u",
	    (unsigned long long)p->event, (unsigned long long)(p->after.entry - p->after.oy),
	    p->after.oy, p->after.cx, p->after.cy, p->after.exited ? " (exited)" : "",
	    !server_copy ? "out of copy mode" : cp->server.valid ? "at" : "unreadable",
	    (unsigned long long)(cp->server.entry - cp->server.oy), cp->server.oy, cp->server.cx,
	    cp->server.cy);
	/* Later predictions stood on this one: all go, and keys already sent
	 * are not guessed at again. */
	cp->npred = 0;
	cp->barrier = cp->last_event;
	cp->barrier_state = cp->server;
}

void copy_predict_view(struct copy_predict *cp, const struct view *v, uint64_t now)
{
	const struct view_pane *ap = compose_active_pane(v);
	struct cp_state prev = cp->server;
	int was_copy = cp->server_copy && cp->server_pane == (ap != NULL ? ap->id : 0);
	int copy = ap != NULL && (ap->flags & VIEW_PANE_COPY_MODE);

	(void)now;
	cp->echo_ack = v->echo_ack;
	if (copy && !was_copy) {
		/* A new copy mode starts with nothing remembered. */
		cp->known_lastcx = cp->known_lastsx = 0;
		cp->known_exit = -1;
		for (size_t i = 0; i < cp->npred; i++) {
			if (cp->pred[i].cmd == CP_WHEEL_ENTER)
				cp->known_exit = 1;
		}
	}
	cp->server_copy = copy;
	cp->server_pane = ap != NULL ? ap->id : 0;
	if (ap != NULL && !copy && ap->rows > 0) {
		screen_drop(cp);
		cp->scr = xcalloc(ap->rows, sizeof *cp->scr);
		for (unsigned y = 0; y < ap->rows; y++)
			cp->scr[y] = view_row_ref(ap->line[y]);
		cp->scr_pane = ap->id;
		cp->scr_gen = ap->hist_gen;
		cp->scr_base = ap->hist_base;
		cp->scr_hsize = ap->hist_size;
		cp->scr_rows = ap->rows;
		cp->scr_cols = ap->cols;
		cp->scr_cx = ap->cx;
		cp->scr_cy = ap->cy;
	}
	cp_read_server(cp, v, ap);
	cp_check(cp, &prev, copy);
	/* The view trails echo_ack behind what it shows. A copy mode whose
	 * viewport or cursor moved since the key that stopped predictions,
	 * with its table and no prompt, has taken that key: predict again
	 * (wrong only if more keys were in flight, and then refuted). */
	if (cp->barrier > cp->echo_ack && cp->npred == 0 && cp->server.valid &&
	    cp_key_table(v) >= 0 && v->message == NULL &&
	    !(cp_same_view(&cp->barrier_state, &cp->server) &&
		cp->barrier_state.cx == cp->server.cx && cp->barrier_state.cy == cp->server.cy)) {
		log_debug("copy mode moved on: event %llu taken", (unsigned long long)cp->barrier);
		cp->barrier = cp->echo_ack;
	}
	/* The pane went away or changed shape under the predictions. */
	if (cp->npred > 0) {
		const struct cp_state *s = &cp->pred[cp->npred - 1].after;

		if (ap == NULL || ap->id != s->pane || ap->rows != s->rows || ap->cols != s->cols ||
		    ap->x != s->px || ap->y != s->py) {
			cp->npred = 0;
			cp->barrier = cp->last_event;
		}
	}
}

uint64_t copy_predict_top(const struct copy_predict *cp, uint32_t pane)
{
	const struct cp_state *s;

	if (cp->npred == 0)
		return UINT64_MAX;
	s = &cp->pred[cp->npred - 1].after;
	if (s->pane != pane || s->exited)
		return UINT64_MAX;
	return s->entry - s->oy;
}

/* ---- drawing ---- */

static void cp_blank_row(struct display_frame *f, unsigned x, unsigned y, unsigned w)
{
	struct cell blank = cell_blank(NULL);

	for (unsigned i = 0; i < w; i++)
		display_frame_put(f, x + i, y, &blank, NULL);
}

static void cp_text(struct display_frame *f, unsigned x, unsigned y, unsigned w, const char *t,
    const struct cell *style)
{
	for (unsigned i = 0; i < w && t[i] != '\0'; i++) {
		struct cell c = *style;

		c.ch = (unsigned char)t[i];
		display_frame_put(f, x + i, y, &c, NULL);
	}
}

void copy_predict_apply(const struct copy_predict *cp, const struct view *v,
    const struct mirror *m, struct display_frame *f)
{
	const struct view_pane *ap = compose_active_pane(v);
	const struct cp_state *s;
	struct cell dim = cell_blank(NULL), mode = cell_blank(NULL);
	char hdr[64];
	unsigned len, y;

	if (cp->npred == 0 || ap == NULL)
		return;
	s = &cp->pred[cp->npred - 1].after;
	if (ap->id != s->pane || ap->rows != s->rows || ap->cols != s->cols || ap->x != s->px ||
	    ap->y != s->py)
		return;
	dim.attr = ATTR_DIM;
	for (y = 0; y < s->rows; y++) {
		uint64_t line = s->exited ? s->entry + y : s->entry - s->oy + y;
		const struct view_row *r = cp_lookup(cp, m, s, line);

		cp_blank_row(f, s->px, s->py + y, s->cols);
		if (r != NULL)
			compose_row(f, s->px, s->py + y, r, s->cols);
		else
			cp_text(f, s->px, s->py + y, s->cols, COPY_PREDICT_FETCHING, &dim);
	}
	if (s->exited) {
		if (cp->scr != NULL && cp->scr_pane == s->pane) {
			f->cx = s->px + cp->scr_cx;
			f->cy = s->py + cp->scr_cy;
		}
		return;
	}
	if (s->rows > 1) {
		snprintf(hdr, sizeof hdr, "[%u/%u]", s->oy, s->hsize);
		len = RMUX_MIN((unsigned)strlen(hdr), s->cols);
		mode.fg = colour_palette(0);
		mode.bg = colour_palette(3);
		/* A wide character cut in half by the indicator goes, as the
		 * server draws it. */
		if (s->cols > len && s->px + s->cols - len < f->cols && s->py < f->rows &&
		    (f->cells[(size_t)s->py * f->cols + s->px + s->cols - len].attr & CELL_WIDE_TAIL)) {
			struct cell blank = cell_blank(NULL);

			display_frame_put(f, s->px + s->cols - len - 1, s->py, &blank, NULL);
		}
		cp_text(f, s->px + s->cols - len, s->py, len, hdr, &mode);
	}
	f->cx = s->px + RMUX_MIN(s->cx, s->cols - 1);
	f->cy = s->py + RMUX_MIN(s->cy, s->rows - 1);
	f->cursor_visible = 1;
}
