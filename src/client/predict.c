/* predict.c — predictive local echo (see predict.h).
 *
 * All predictions live in the coordinates of the pane as it will be once
 * every predicted scroll (Enter on the bottom row) has happened; the rows
 * of the last view are that many rows behind. A scroll re-dates the cells
 * it moves to its own event, so a cell is never checked before the scrolls
 * that moved it are in the view too. Cursor moves keep the coordinates of
 * their time: the newest is after every scroll, and the newest drawn one is
 * after every drawn scroll, which is all either is used for. */
#include "client/predict.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "term/key_string.h"
#include "term/utf8.h"

#define PREDICT_ORIG_MAX 4

struct predict_cell {
	int active;
	int unknown; /* something moved here that cannot be drawn or checked */
	int typed;   /* a typed character (its style follows the row's) */
	struct cell c;
	uint64_t event, epoch, time;
	/* What the server showed here each time this cell was predicted: a
	 * match with one of them proves nothing. */
	uint32_t orig[PREDICT_ORIG_MAX];
	unsigned norig;
};

struct predict_cursor {
	unsigned x, y;
	uint64_t event, epoch;
};

struct predict_scroll {
	uint64_t event, epoch;
};

struct predict {
	int policy;
	unsigned interval;
	int srtt_trigger, flagging;
	unsigned glitch;
	uint64_t last_quick;
	uint64_t epoch;     /* the epoch new predictions join */
	uint64_t confirmed; /* epochs up to this one are drawn */
	uint64_t last_event;

	/* The active pane of the last view. */
	int have_view, usable;
	uint32_t pane_id;
	unsigned px, py, cols, rows, vcx, vcy;
	uint32_t pflags;
	uint64_t echo_ack;
	struct view_row **vrow;

	struct predict_cell **row; /* ROWS entries, NULL: nothing predicted */
	struct predict_cursor *cur;
	size_t ncur, curcap;
	struct predict_scroll *scr;
	size_t nscr, scrcap;
};

static const char *const policy_names[] = { "adaptive", "always", "never" };

int predict_policy_from_string(const char *s)
{
	for (size_t i = 0; i < RMUX_NITEMS(policy_names); i++) {
		if (strcmp(s, policy_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

static void become_tentative(struct predict *p)
{
	p->epoch++;
}

static void clear_cells(struct predict *p)
{
	if (p->row == NULL)
		return;
	for (unsigned y = 0; y < p->rows; y++) {
		free(p->row[y]);
		p->row[y] = NULL;
	}
}

void predict_reset(struct predict *p)
{
	clear_cells(p);
	p->ncur = 0;
	p->nscr = 0;
	become_tentative(p);
}

/* A new pane or screen: nothing known yet. Asked to always show, the
 * first epoch needs no proof, unless the pane is a full-screen program's. */
static void start_over(struct predict *p, uint32_t pflags)
{
	predict_reset(p);
	if (p->policy == PREDICT_ALWAYS && !(pflags & VIEW_PANE_ALT_SCREEN))
		p->confirmed = p->epoch;
}

static void drop_view(struct predict *p)
{
	clear_cells(p);
	free(p->row);
	p->row = NULL;
	if (p->vrow != NULL) {
		for (unsigned y = 0; y < p->rows; y++)
			view_row_unref(p->vrow[y]);
		free(p->vrow);
		p->vrow = NULL;
	}
	p->have_view = 0;
	p->usable = 0;
	p->rows = p->cols = 0;
}

struct predict *predict_create(int policy)
{
	struct predict *p = xcalloc(1, sizeof *p);

	p->epoch = 1;
	p->interval = PREDICT_INTERVAL_MIN;
	predict_set_policy(p, policy);
	return p;
}

void predict_free(struct predict *p)
{
	if (p == NULL)
		return;
	drop_view(p);
	free(p->cur);
	free(p->scr);
	free(p);
}

void predict_set_policy(struct predict *p, int policy)
{
	if (policy < PREDICT_ADAPTIVE || policy > PREDICT_NEVER)
		policy = PREDICT_ADAPTIVE;
	p->policy = policy;
	start_over(p, p->pflags);
}

static int any_active(const struct predict *p)
{
	if (p->ncur > 0 || p->nscr > 0)
		return 1;
	if (p->row == NULL)
		return 0;
	for (unsigned y = 0; y < p->rows; y++) {
		if (p->row[y] == NULL)
			continue;
		for (unsigned x = 0; x < p->cols; x++) {
			if (p->row[y][x].active)
				return 1;
		}
	}
	return 0;
}

/* The display triggers, with hysteresis so they do not flicker. */
static void update_triggers(struct predict *p)
{
	if (p->interval > PREDICT_SHOW_HIGH)
		p->srtt_trigger = 1;
	else if (p->srtt_trigger && p->interval <= PREDICT_SHOW_LOW && !any_active(p))
		p->srtt_trigger = 0;
	if (p->interval > PREDICT_FLAG_HIGH)
		p->flagging = 1;
	else if (p->interval <= PREDICT_FLAG_LOW)
		p->flagging = 0;
	if (p->glitch > PREDICT_GLITCH_COUNT)
		p->flagging = 1;
}

void predict_set_srtt(struct predict *p, unsigned srtt_ms)
{
	unsigned iv = srtt_ms / 2 + (srtt_ms & 1);

	p->interval = RMUX_CLAMP(iv, PREDICT_INTERVAL_MIN, PREDICT_INTERVAL_MAX);
	update_triggers(p);
}

int predict_showing(const struct predict *p)
{
	if (p->policy == PREDICT_NEVER)
		return 0;
	if (p->policy == PREDICT_ALWAYS)
		return 1;
	return p->srtt_trigger || p->glitch > 0;
}

int predict_underlining(const struct predict *p)
{
	return predict_showing(p) && p->flagging;
}

int predict_pending(const struct predict *p)
{
	return any_active(p);
}

unsigned predict_glitch(const struct predict *p)
{
	return p->glitch;
}

/* ---- the last view ---- */

/* The server's cell under predicted position (X, Y), or NULL when it is
 * still below the pane (a predicted scroll brought it in). */
static const struct cell *base_cell(const struct predict *p, unsigned x, unsigned y)
{
	size_t vy = (size_t)y + p->nscr;

	if (vy >= p->rows || x >= p->cols)
		return NULL;
	return view_row_cell(p->vrow[vy], x);
}

static int cell_plain(const struct cell *c)
{
	return (c->attr & (CELL_CLUSTER | CELL_WIDE | CELL_WIDE_TAIL)) == 0;
}

static uint32_t cell_char(const struct cell *c)
{
	if (!cell_plain(c))
		return 0;
	return c->ch == 0 ? ' ' : c->ch;
}

static int is_blank(uint32_t ch)
{
	return ch == ' ' || ch == 0;
}

/* ---- making predictions ---- */

static void cursor_of(const struct predict *p, unsigned *x, unsigned *y)
{
	if (p->ncur > 0) {
		*x = p->cur[p->ncur - 1].x;
		*y = p->cur[p->ncur - 1].y;
	} else {
		*x = p->vcx;
		*y = p->vcy;
	}
	*x = RMUX_MIN(*x, p->cols - 1);
	*y = RMUX_MIN(*y, p->rows - 1);
}

static void push_cursor(struct predict *p, unsigned x, unsigned y, uint64_t event)
{
	if (p->ncur == p->curcap) {
		p->curcap = p->curcap ? p->curcap * 2 : 16;
		p->cur = xreallocarray(p->cur, p->curcap, sizeof *p->cur);
	}
	p->cur[p->ncur].x = x;
	p->cur[p->ncur].y = y;
	p->cur[p->ncur].event = event;
	p->cur[p->ncur].epoch = p->epoch;
	p->ncur++;
}

static struct predict_cell *get_row(struct predict *p, unsigned y)
{
	if (p->row[y] == NULL)
		p->row[y] = xcalloc(p->cols, sizeof *p->row[y]);
	return p->row[y];
}

/* Cell (X, Y) is predicted again by EVENT: remember what the server shows
 * there now. */
static struct predict_cell *touch(struct predict *p, unsigned x, unsigned y, uint64_t event,
    uint64_t now)
{
	struct predict_cell *c = &get_row(p, y)[x];
	const struct cell *b = base_cell(p, x, y);

	if (!c->active)
		c->norig = 0;
	if (c->norig < PREDICT_ORIG_MAX)
		c->orig[c->norig++] = b != NULL ? cell_char(b) : ' ';
	c->active = 1;
	c->event = event;
	c->epoch = p->epoch;
	c->time = now;
	return c;
}

/* What (X, Y) will show once every key so far is applied, into OUT: a
 * guess already made there, else the server's narrow cell. 0: unknown (a
 * wide or combined character, which is not moved around). */
static int future_cell(const struct predict *p, unsigned x, unsigned y, struct cell *out)
{
	const struct predict_cell *pc = p->row[y] != NULL ? &p->row[y][x] : NULL;
	const struct cell *b;

	if (pc != NULL && pc->active) {
		if (pc->unknown)
			return 0;
		*out = pc->c;
		return 1;
	}
	b = base_cell(p, x, y);
	if (b == NULL) {
		*out = cell_blank(NULL);
		return 1;
	}
	if (!cell_plain(b))
		return 0;
	*out = *b;
	out->ch = cell_char(b);
	out->link = 0;
	return 1;
}

static void set_from(struct predict_cell *c, int known, const struct cell *src, int typed)
{
	c->unknown = !known;
	c->typed = known && typed;
	if (known)
		c->c = *src;
}

/* Enter, or typing past the last column: the start of the next line,
 * scrolling the pane when the cursor is on the bottom row. */
static void newline(struct predict *p, unsigned y, uint64_t event, uint64_t now)
{
	struct predict_cell *r;
	struct cell blank = cell_blank(NULL);

	if (y + 1 < p->rows) {
		push_cursor(p, 0, y + 1, event);
		return;
	}
	/* Everything predicted moves up a row and waits for the scroll. */
	free(p->row[0]);
	memmove(p->row, p->row + 1, (p->rows - 1) * sizeof *p->row);
	p->row[p->rows - 1] = NULL;
	for (unsigned ry = 0; ry + 1 < p->rows; ry++) {
		if (p->row[ry] == NULL)
			continue;
		for (unsigned x = 0; x < p->cols; x++) {
			if (p->row[ry][x].active) {
				p->row[ry][x].event = event;
				p->row[ry][x].time = now;
			}
		}
	}
	if (p->nscr == p->scrcap) {
		p->scrcap = p->scrcap ? p->scrcap * 2 : 8;
		p->scr = xreallocarray(p->scr, p->scrcap, sizeof *p->scr);
	}
	p->scr[p->nscr].event = event;
	p->scr[p->nscr].epoch = p->epoch;
	p->nscr++;
	r = get_row(p, p->rows - 1);
	for (unsigned x = 0; x < p->cols; x++) {
		touch(p, x, p->rows - 1, event, now);
		set_from(&r[x], 1, &blank, 0);
	}
	push_cursor(p, 0, p->rows - 1, event);
}

static void insert_char(struct predict *p, uint32_t ch, uint64_t event, uint64_t now)
{
	unsigned cx, cy;
	struct predict_cell *r;
	struct cell src;
	int known;

	cursor_of(p, &cx, &cy);
	if (cx + 1 >= p->cols)
		become_tentative(p); /* a shell wraps, an editor may not */
	r = get_row(p, cy);
	/* The rest of the row moves right; the last column gets what cannot
	 * be known (it may have wrapped to the next row). */
	for (unsigned x = p->cols - 1; x > cx; x--) {
		known = x != p->cols - 1 && future_cell(p, x - 1, cy, &src);
		int typed = known && r[x - 1].active && r[x - 1].typed;

		touch(p, x, cy, event, now);
		set_from(&r[x], known, &src, typed);
	}
	/* The new character takes the style of typing just before it. */
	src = cell_blank(NULL);
	if (cx > 0 && r[cx - 1].active && r[cx - 1].typed)
		src = r[cx - 1].c;
	src.ch = ch;
	src.attr &= ATTR_STYLE_MASK;
	src.link = 0;
	touch(p, cx, cy, event, now);
	set_from(&r[cx], 1, &src, 1);
	if (cx + 1 < p->cols) {
		push_cursor(p, cx + 1, cy, event);
	} else {
		become_tentative(p);
		newline(p, cy, event, now);
	}
}

static void backspace(struct predict *p, uint64_t event, uint64_t now)
{
	unsigned cx, cy;
	struct predict_cell *r;
	struct cell src;
	int known;

	cursor_of(p, &cx, &cy);
	if (cx == 0)
		return;
	cx--;
	push_cursor(p, cx, cy, event);
	r = get_row(p, cy);
	for (unsigned x = cx; x < p->cols; x++) {
		known = x + 2 < p->cols && future_cell(p, x + 1, cy, &src);
		int typed = known && r[x + 1].active && r[x + 1].typed;

		touch(p, x, cy, event, now);
		set_from(&r[x], known, &src, typed);
	}
}

void predict_key(struct predict *p, uint64_t key, uint64_t event, uint64_t now)
{
	uint64_t k = key & KEY_MASK_KEY;
	unsigned cx, cy;

	if (event > p->last_event)
		p->last_event = event;
	if (p->policy == PREDICT_NEVER)
		return;
	if (!p->usable || (key & KEY_MASK_MODIFIERS) != 0) {
		become_tentative(p);
		return;
	}
	if (k == '\r' || k == KEY_KP_ENTER) {
		become_tentative(p);
		cursor_of(p, &cx, &cy);
		newline(p, cy, event, now);
	} else if (k == KEY_BSPACE) {
		backspace(p, event, now);
	} else if (k == KEY_LEFT) {
		cursor_of(p, &cx, &cy);
		if (cx > 0)
			push_cursor(p, cx - 1, cy, event);
	} else if (k == KEY_RIGHT) {
		cursor_of(p, &cx, &cy);
		if (cx + 1 < p->cols)
			push_cursor(p, cx + 1, cy, event);
	} else if (k >= 0x20 && k < 0x7f) {
		insert_char(p, (uint32_t)k, event, now);
	} else if (k > 0x7f && k < KEY_BASE && utf8_width((uint32_t)k) == 1) {
		insert_char(p, (uint32_t)k, event, now);
	} else {
		become_tentative(p);
	}
}

void predict_paste(struct predict *p)
{
	predict_reset(p);
}

/* ---- checking predictions ---- */

/* Undo the newest scroll's move of the cells older than it. */
static void unscroll(struct predict *p)
{
	free(p->row[p->rows - 1]);
	memmove(p->row + 1, p->row, (p->rows - 1) * sizeof *p->row);
	p->row[0] = NULL;
}

/* A wrong guess in tentative epoch E: E and everything after it go. */
static void kill_epoch(struct predict *p, uint64_t e)
{
	size_t n = 0;

	for (unsigned y = 0; y < p->rows; y++) {
		if (p->row[y] == NULL)
			continue;
		for (unsigned x = 0; x < p->cols; x++) {
			if (p->row[y][x].active && p->row[y][x].epoch >= e)
				p->row[y][x].active = 0;
		}
	}
	while (p->nscr > 0 && p->scr[p->nscr - 1].epoch >= e) {
		p->nscr--;
		unscroll(p);
	}
	for (size_t i = 0; i < p->ncur; i++) {
		if (p->cur[i].epoch < e)
			p->cur[n++] = p->cur[i];
	}
	p->ncur = n;
	become_tentative(p);
	/* Older moves may still be drawn: the next guesses start from where
	 * the server has the cursor. */
	if (p->ncur > 0)
		push_cursor(p, RMUX_MIN(p->vcx, p->cols - 1), p->vcy, p->last_event);
}

static void late(struct predict *p, const struct predict_cell *c, uint64_t now)
{
	uint64_t age = now > c->time ? now - c->time : 0;

	if (age >= PREDICT_GLITCH_FLAG_MS)
		p->glitch = PREDICT_GLITCH_COUNT * 2;
	else if (age >= PREDICT_GLITCH_MS && p->glitch < PREDICT_GLITCH_COUNT)
		p->glitch = PREDICT_GLITCH_COUNT;
}

static void confirmed_quickly(struct predict *p, const struct predict_cell *c, uint64_t now)
{
	if (now - c->time >= PREDICT_GLITCH_MS || p->glitch == 0)
		return;
	if (p->last_quick != 0 && now - p->last_quick < PREDICT_GLITCH_REPAIR_MS)
		return;
	p->glitch--;
	p->last_quick = now;
}

enum { CHECK_PENDING, CHECK_RIGHT, CHECK_NO_CREDIT, CHECK_WRONG };

static int check_cell(const struct predict *p, const struct predict_cell *c, unsigned x, unsigned y)
{
	const struct cell *b;
	uint32_t want;

	if (c->event > p->echo_ack)
		return CHECK_PENDING;
	if (c->unknown)
		return CHECK_NO_CREDIT;
	want = c->c.ch;
	if (is_blank(want))
		return CHECK_NO_CREDIT; /* too easily right by chance */
	b = view_row_cell(p->vrow[y], x);
	if (cell_char(b) != want)
		return CHECK_WRONG;
	for (unsigned i = 0; i < c->norig; i++) {
		if (c->orig[i] == want)
			return CHECK_NO_CREDIT;
	}
	return CHECK_RIGHT;
}

/* Check everything the view's echo_ack covers. Returns 0 when all
 * predictions were thrown away. */
static int cull(struct predict *p, uint64_t now)
{
	size_t n;

	/* Scrolls the view has made (their cells re-dated to them). */
	n = 0;
	while (n < p->nscr && p->scr[n].event <= p->echo_ack)
		n++;
	if (n > 0) {
		memmove(p->scr, p->scr + n, (p->nscr - n) * sizeof *p->scr);
		p->nscr -= n;
	}

	/* A killed epoch may move rows (an undone scroll): look again. */
again:
	for (unsigned y = 0; y < p->rows; y++) {
		for (unsigned x = 0; p->row[y] != NULL && x < p->cols; x++) {
			struct predict_cell *c = &p->row[y][x];

			if (!c->active)
				continue;
			switch (check_cell(p, c, x, y)) {
			case CHECK_PENDING:
				late(p, c, now);
				break;
			case CHECK_RIGHT: {
				const struct cell *b = view_row_cell(p->vrow[y], x);

				if (c->epoch > p->confirmed)
					p->confirmed = c->epoch;
				confirmed_quickly(p, c, now);
				/* Typing still to come looks like what arrived. */
				for (unsigned i = x + 1; i < p->cols; i++) {
					struct predict_cell *t = &p->row[y][i];

					if (t->active && t->typed) {
						t->c.fg = b->fg;
						t->c.bg = b->bg;
						t->c.attr = b->attr & ATTR_STYLE_MASK;
					}
				}
				c->active = 0;
				break;
			}
			case CHECK_NO_CREDIT:
				c->active = 0;
				break;
			case CHECK_WRONG:
				if (c->epoch > p->confirmed) {
					kill_epoch(p, c->epoch);
					goto again;
				}
				predict_reset(p);
				return 0;
			}
		}
	}

	if (p->ncur > 0 && p->cur[p->ncur - 1].event <= p->echo_ack) {
		const struct predict_cursor *c = &p->cur[p->ncur - 1];

		if (c->x != p->vcx || c->y != p->vcy) {
			if (c->epoch > p->confirmed) {
				kill_epoch(p, c->epoch);
			} else {
				predict_reset(p);
				return 0;
			}
		}
	}
	n = 0;
	for (size_t i = 0; i < p->ncur; i++) {
		if (p->cur[i].event > p->echo_ack)
			p->cur[n++] = p->cur[i];
	}
	p->ncur = n;
	return 1;
}

static const struct view_pane *active_pane(const struct view *v)
{
	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].id == v->active_pane)
			return &v->pane[i];
	}
	return NULL;
}

static int view_usable(const struct view *v, const struct view_pane *vp)
{
	if (vp->cols == 0 || vp->rows == 0 || (vp->flags & VIEW_PANE_ECHO_OFF))
		return 0;
	if (v->key_table != NULL && v->key_table[0] != '\0' && strcmp(v->key_table, "root") != 0)
		return 0;
	if (v->message_cx >= 0)
		return 0;
	for (size_t i = 0; i < v->npanes; i++) {
		if (v->pane[i].flags & VIEW_PANE_COPY_MODE)
			return 0;
	}
	return 1;
}

void predict_view(struct predict *p, const struct view *v, uint64_t now)
{
	const struct view_pane *vp = active_pane(v);
	int fresh;

	if (vp == NULL || vp->cols == 0 || vp->rows == 0) {
		drop_view(p);
		predict_reset(p);
		return;
	}
	fresh = !p->have_view || vp->id != p->pane_id || vp->cols != p->cols ||
		vp->rows != p->rows || v->echo_ack < p->echo_ack ||
		((vp->flags ^ p->pflags) & VIEW_PANE_ALT_SCREEN) != 0;
	if (fresh) {
		drop_view(p);
		start_over(p, vp->flags);
		p->cols = vp->cols;
		p->rows = vp->rows;
		p->row = xcalloc(p->rows, sizeof *p->row);
		p->vrow = xcalloc(p->rows, sizeof *p->vrow);
	} else {
		for (unsigned y = 0; y < p->rows; y++)
			view_row_unref(p->vrow[y]);
	}
	for (unsigned y = 0; y < p->rows; y++)
		p->vrow[y] = view_row_ref(vp->line[y]);
	p->have_view = 1;
	p->pane_id = vp->id;
	p->px = vp->x;
	p->py = vp->y;
	p->vcx = vp->cx;
	p->vcy = RMUX_MIN(vp->cy, p->rows - 1);
	p->pflags = vp->flags;
	p->echo_ack = v->echo_ack;
	p->usable = view_usable(v, vp);
	if (!p->usable)
		predict_reset(p);
	else
		cull(p, now);
	update_triggers(p);
}

void predict_tick(struct predict *p, uint64_t now)
{
	for (unsigned y = 0; p->row != NULL && y < p->rows; y++) {
		for (unsigned x = 0; p->row[y] != NULL && x < p->cols; x++) {
			if (p->row[y][x].active && p->row[y][x].event > p->echo_ack)
				late(p, &p->row[y][x], now);
		}
	}
	update_triggers(p);
}

int predict_wake(const struct predict *p, uint64_t now)
{
	uint64_t best = UINT64_MAX;

	for (unsigned y = 0; p->row != NULL && y < p->rows; y++) {
		for (unsigned x = 0; p->row[y] != NULL && x < p->cols; x++) {
			const struct predict_cell *c = &p->row[y][x];
			uint64_t t;

			if (!c->active || c->event <= p->echo_ack)
				continue;
			t = c->time + PREDICT_GLITCH_MS;
			if (t <= now || p->glitch >= PREDICT_GLITCH_COUNT)
				t = c->time + PREDICT_GLITCH_FLAG_MS;
			if (t > now && t < best)
				best = t;
		}
	}
	if (best == UINT64_MAX)
		return -1;
	return (int)RMUX_MIN(best - now, (uint64_t)PREDICT_GLITCH_FLAG_MS);
}

/* ---- drawing ---- */

/* A wide character cut by a cell about to be written becomes a blank. */
static void unpair(struct display_frame *f, unsigned fx, unsigned fy)
{
	struct cell *row = f->cells + (size_t)fy * f->cols;
	struct cell blank = cell_blank(NULL);

	if ((row[fx].attr & CELL_WIDE) && fx + 1 < f->cols)
		row[fx + 1] = blank;
	if ((row[fx].attr & CELL_WIDE_TAIL) && fx > 0)
		row[fx - 1] = blank;
}

static void scroll_frame(const struct predict *p, struct display_frame *f, unsigned n)
{
	unsigned w, h;

	if (p->px >= f->cols || p->py >= f->rows)
		return;
	w = RMUX_MIN(p->cols, f->cols - p->px);
	h = RMUX_MIN(p->rows, f->rows - p->py);
	n = RMUX_MIN(n, h);
	for (unsigned y = 0; y < h; y++) {
		struct cell *dst = f->cells + (size_t)(p->py + y) * f->cols + p->px;

		if (y + n < h) {
			memcpy(dst, dst + (size_t)n * f->cols, w * sizeof *dst);
		} else {
			for (unsigned x = 0; x < w; x++)
				dst[x] = cell_blank(NULL);
		}
	}
}

void predict_apply(const struct predict *p, struct display_frame *f)
{
	unsigned hidden = 0, shown;
	int flag = p->flagging;

	if (!p->have_view || !p->usable || !predict_showing(p))
		return;
	for (size_t i = 0; i < p->nscr; i++) {
		if (p->scr[i].epoch > p->confirmed)
			hidden++;
	}
	shown = (unsigned)p->nscr - hidden;
	if (shown > 0)
		scroll_frame(p, f, shown);
	/* Cells moved up by a scroll not yet drawn are drawn where they were. */
	for (unsigned y = 0; y + hidden < p->rows; y++) {
		unsigned fy = p->py + y + hidden;

		if (p->row[y] == NULL || fy >= f->rows)
			continue;
		for (unsigned x = 0; x < p->cols; x++) {
			const struct predict_cell *c = &p->row[y][x];
			unsigned fx = p->px + x;
			struct cell *fc;

			if (!c->active || c->epoch > p->confirmed || fx >= f->cols)
				continue;
			fc = &f->cells[(size_t)fy * f->cols + fx];
			if (c->unknown) {
				if (flag && x + 1 < p->cols)
					fc->attr = (uint16_t)((fc->attr & ~ATTR_UL_MASK) |
							      ATTR_UNDERLINE(UL_SINGLE));
				continue;
			}
			unpair(f, fx, fy);
			*fc = c->c;
			if (flag)
				fc->attr = (uint16_t)((fc->attr & ~ATTR_UL_MASK) | ATTR_UNDERLINE(UL_SINGLE));
		}
	}
	for (size_t i = p->ncur; i > 0; i--) {
		const struct predict_cursor *c = &p->cur[i - 1];

		if (c->epoch <= p->confirmed) {
			if (p->px + c->x < f->cols && p->py + c->y < f->rows) {
				f->cx = p->px + c->x;
				f->cy = p->py + c->y;
			}
			break;
		}
	}
}
