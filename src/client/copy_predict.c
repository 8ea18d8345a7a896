/* copy_predict.c — copy mode predicted on the client (see copy_predict.h).
 *
 * The client runs the daemon's own copy-mode engine (term/copy_mode.h),
 * so every move, search, selection, indicator and copied text it predicts
 * is computed by the same code as the server's; only the lines differ in
 * where they come from. The engine reads them through a source over:
 * 1. rows the server drew in a copy-mode viewport of this copy mode (the
 *    exact cells; the top row is skipped, the indicator covers part of
 *    it, and views with a selection or search marks are skipped, their
 *    colours are not the lines');
 * 2. for lines of the screen copied on entry ("entry" and below): the
 *    active pane's rows in the last view before copy mode, which is the
 *    screen the server copied unless output came in between; then the
 *    mirror;
 * 3. for history lines (above entry): the mirror, then those screen rows.
 * A line found nowhere is a miss: drawn as a dim "fetching" row, and a
 * command other than plain navigation whose result read a missed line is
 * not predicted at all (a search that could not see every line may land
 * elsewhere and would count its results wrong).
 *
 * The server's state the client learns from each view of the active pane
 * in copy mode: the scroll position and history size from the position
 * indicator, the absolute top line from copy_top (so entry = copy_top +
 * oy), the cursor. A fresh engine is set to that; hidden state the view
 * does not carry (selection, search string and marks, remembered column,
 * jump character) is only known by following the keys from a state that
 * has none of it shown.
 *
 * Each prediction keeps the engine after its key (a deep copy) and what
 * it drew; a confirmed prediction's engine becomes the base the next keys
 * start from, so hidden state carries over exactly. The search prompt
 * (command-prompt in the server's message line) is predicted as well:
 * its text, the typed characters and the cursor, in the message style
 * learnt from the last message or prompt the server drew. */
#include "client/copy_predict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/compose.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "term/copy_mode.h"
#include "term/grid.h"
#include "term/key_string.h"

#define CP_CACHE 2048  /* server-drawn rows kept, direct-mapped by line */
#define CP_INDICATOR_MAX 48
#define CP_NAME_MAX 48   /* a command name, an argument, a prompt */
#define CP_INPUT_MAX 128 /* prompt input predicted */
#define CP_TOKENS 24
#define CP_COPIES 4 /* predicted copies remembered for the server's echo */
/* Presses closer than this may be a double click on the server (its
 * click time, and the network bunching them). */
#define CP_CLICK_GAP_MS 1000

enum { CP_BIND_NONE, CP_BIND_SEND, CP_BIND_PROMPT };
enum { CP_PROMPT_TEXT, CP_PROMPT_INCREMENTAL, CP_PROMPT_SINGLE };

/* A default binding of a copy-mode table, parsed. */
struct cp_bind {
	uint64_t key;
	int type;                /* CP_BIND_*; NONE: not predicted */
	char name[CP_NAME_MAX];  /* send-keys -X NAME, or the prompt's */
	char arg[CP_NAME_MAX];   /* its argument (send-keys) */
	int has_arg;
	unsigned repeat;         /* send-keys -N */
	int pkind;               /* CP_PROMPT_* */
	char ptext[CP_NAME_MAX]; /* the prompt as drawn */
};

/* The server's command prompt, predicted. */
struct cp_prompt {
	int open;
	int kind;
	char text[CP_NAME_MAX];
	char cmd[CP_NAME_MAX]; /* its template's send-keys -X command */
	char input[CP_INPUT_MAX];
	size_t len;
};

/* What a state draws: the pane's rows, the cursor, the prompt line. */
struct cp_drawn {
	struct view_row **row;
	uint8_t *held; /* the row shows lines held (else "fetching") */
	unsigned nrows, cx, cy;
	struct view_row *msg; /* the prompt line; NULL: none */
	int msg_cx;
	uint64_t top;
};

/* Copy mode after some keys. */
struct cp_st {
	struct copy_mode *cm; /* NULL once left */
	struct cp_prompt prompt;
	int search_known; /* the engine's search string is the server's */
	int exited;
	char *copy; /* a copy this state's key made */
	size_t copy_len;
	struct cp_drawn d;
};

struct cp_pred {
	uint64_t event;
	uint64_t key; /* 0: the mouse, or a key typed into a prompt */
	int vi;
	int from_server; /* predicted straight on a view's state... */
	int clean;       /* ...which had taken every key sent before */
	int navigation;  /* a move that may have read missed lines */
	struct cp_st st;
};

/* The copy mode the engines follow. */
struct cp_mode {
	int valid;
	uint32_t pane, gen;
	unsigned px, py, cols, rows, hsize;
	uint64_t entry; /* absolute line of the first copied screen row */
	int vi;
	uint8_t *snap_miss; /* copied rows the engine could not read */
};

/* The active pane as the last view shows it. */
struct cp_server {
	int copy;     /* in copy mode */
	int readable; /* the indicator was read, no marks, no prompt */
	uint32_t pane, gen;
	unsigned px, py, cols, rows;
	unsigned oy, hsize, cx, cy;
	uint64_t top;
	int prompt; /* a prompt is open */
};

struct cp_line {
	uint32_t pane, gen;
	uint64_t line;
	struct view_row *row;
};

struct cp_copy {
	char *data;
	size_t len;
};

struct copy_predict {
	struct cp_bind *bind[2];
	size_t nbind[2];
	uint64_t *banned[2];
	size_t nbanned[2];
	unsigned refuted;

	const struct mirror *m;
	unsigned vcols; /* the client's width, for the prompt line */

	/* The mouse: where the last event was, a drag predicted, a press. */
	unsigned last_x, last_y;
	int drag, pressed;
	uint64_t press_time;

	uint64_t echo_ack;
	uint64_t last_event;
	uint64_t barrier;     /* nothing predicted until echo_ack reaches it... */
	uint64_t unpredicted; /* the newest key not predicted */
	struct cp_server barrier_state; /* ...or the view moves on from this */
	int vi_seen; /* the copy-mode table last seen: 1 vi, 0 emacs */

	struct cp_server server;
	struct cell msg_pen; /* message-style, as last drawn by the server */
	int msg_pen_seen;    /* ...or tmux's default until one was */

	struct cp_mode mode;
	struct cp_st base; /* the engine at the server's state (cm NULL: none) */
	struct cp_pred *pred;
	size_t npred;

	char *clip; /* a predicted copy not yet taken */
	size_t cliplen;
	struct cp_copy copies[CP_COPIES];
	size_t next_copy;

	/* The active pane's rows in the last view where it was not in copy mode. */
	uint32_t scr_pane, scr_gen;
	uint64_t scr_base;
	unsigned scr_rows, scr_cols, scr_cx, scr_cy;
	struct view_row **scr;

	struct cp_line cache[CP_CACHE];
	uint32_t cache_pane;
	uint64_t cache_entry;
};

/* ---- bindings ---- */

/* Split a binding's command into words: "quoted" words lose their
 * quotes, \" inside them is a quote. Returns the number of words. */
static size_t cp_tokens(const char *s, char tok[][CP_NAME_MAX], size_t max)
{
	size_t n = 0, len;

	while (*s != '\0' && n < max) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		len = 0;
		if (*s == '"') {
			for (s++; *s != '\0' && *s != '"'; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				if (len + 1 < CP_NAME_MAX)
					tok[n][len++] = *s;
			}
			if (*s == '"')
				s++;
		} else {
			for (; *s != '\0' && *s != ' '; s++) {
				if (len + 1 < CP_NAME_MAX)
					tok[n][len++] = *s;
			}
		}
		tok[n++][len] = '\0';
	}
	return n;
}

/* "send-keys -X [-N n] NAME [ARG]" from word I on; returns 0 or -1. */
static int cp_parse_send(struct cp_bind *b, char tok[][CP_NAME_MAX], size_t i, size_t n)
{
	int x = 0;

	if (i >= n || strcmp(tok[i], "send-keys") != 0)
		return -1;
	b->repeat = 1;
	for (i++; i < n && tok[i][0] == '-'; i++) {
		if (strcmp(tok[i], "-X") == 0)
			x = 1;
		else if (strcmp(tok[i], "-N") == 0 && i + 1 < n)
			b->repeat = (unsigned)strtoul(tok[++i], NULL, 10);
		else
			return -1; /* -F and others: formats the client cannot expand */
	}
	if (!x || i >= n || b->repeat == 0)
		return -1;
	rmux_strlcpy(b->name, tok[i++], sizeof b->name);
	if (i < n) {
		rmux_strlcpy(b->arg, tok[i++], sizeof b->arg);
		b->has_arg = 1;
	}
	return i == n ? 0 : -1;
}

/* command-prompt opening a search or jump prompt whose template is one
 * send-keys -X NAME "%%". */
static int cp_parse_prompt(struct cp_bind *b, char tok[][CP_NAME_MAX], size_t n)
{
	size_t i, end;
	int single = 0, incremental = 0, search_input = 0;
	const char *p = NULL;

	for (i = 1; i < n && tok[i][0] == '-'; i++) {
		if (strcmp(tok[i], "-1") == 0)
			single = 1;
		else if (strcmp(tok[i], "-i") == 0)
			incremental = 1;
		else if (strcmp(tok[i], "-I") == 0 && i + 1 < n)
			search_input = strcmp(tok[++i], "#{pane_search_string}") == 0 ? 1 : -1;
		else if (strcmp(tok[i], "-T") == 0 && i + 1 < n)
			i++;
		else if (strcmp(tok[i], "-p") == 0 && i + 1 < n)
			p = tok[++i];
		else
			return -1;
	}
	/* The incremental prompt's initial input only comes back on C-r or
	 * C-s typed on an empty input, which is not predicted. */
	if (p == NULL || strchr(p, '#') != NULL || strchr(p, ',') != NULL || search_input < 0 ||
	    (search_input && !incremental))
		return -1;
	if (i >= n || strcmp(tok[i], "{") != 0 || strcmp(tok[n - 1], "}") != 0)
		return -1;
	end = n - 1;
	if (end != i + 5 || strcmp(tok[i + 1], "send-keys") != 0 || strcmp(tok[i + 2], "-X") != 0 ||
	    strcmp(tok[i + 4], "%%") != 0)
		return -1;
	rmux_strlcpy(b->name, tok[i + 3], sizeof b->name);
	/* The server shows each prompt followed by a space. */
	snprintf(b->ptext, sizeof b->ptext, "%s ", p);
	b->pkind = single ? CP_PROMPT_SINGLE : incremental ? CP_PROMPT_INCREMENTAL : CP_PROMPT_TEXT;
	return 0;
}

static void cp_parse_binding(struct cp_bind *b, const struct copy_mode_binding *cb)
{
	char tok[CP_TOKENS][CP_NAME_MAX];
	size_t n = cp_tokens(cb->command, tok, CP_TOKENS);

	memset(b, 0, sizeof *b);
	b->key = key_string_lookup_string(cb->key);
	if (n == 0)
		return;
	if (strcmp(tok[0], "send-keys") == 0 && cp_parse_send(b, tok, 0, n) == 0)
		b->type = CP_BIND_SEND;
	else if (strcmp(tok[0], "command-prompt") == 0 && cp_parse_prompt(b, tok, n) == 0)
		b->type = CP_BIND_PROMPT;
	else
		b->type = CP_BIND_NONE;
}

static const struct cp_bind *cp_binding(const struct copy_predict *cp, int vi, uint64_t key)
{
	vi = vi != 0;
	if (copy_predict_banned(cp, vi, key))
		return NULL;
	for (size_t i = 0; i < cp->nbind[vi]; i++) {
		if (cp->bind[vi][i].key == key)
			return cp->bind[vi][i].type != CP_BIND_NONE ? &cp->bind[vi][i] : NULL;
	}
	return NULL;
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

/* Absolute line LINE of the copy mode followed (see the comment at the
 * top); *WRAPPED from the mirror when it holds the line. */
static const struct view_row *cp_find(const struct copy_predict *cp, uint64_t line, int *wrapped)
{
	const struct cp_mode *md = &cp->mode;
	const struct view_row *r = cache_get(cp, md->pane, md->gen, line), *mr = NULL;

	*wrapped = 0;
	if (cp->m != NULL)
		mr = mirror_get(cp->m, md->pane, md->gen, line, wrapped);
	if (r != NULL)
		return r;
	if (line >= md->entry) {
		r = screen_get(cp, md->pane, md->gen, line);
		return r != NULL ? r : mr;
	}
	return mr != NULL ? mr : screen_get(cp, md->pane, md->gen, line);
}

/* The engine's source: rows turned back into cells. */
static int cp_source_line(void *arg, uint64_t abs, struct cell *out, unsigned cols,
    uint32_t *flags, struct clusters *cl)
{
	const struct copy_predict *cp = arg;
	const struct view_row *r;
	char text[CLUSTER_MAX_BYTES];
	unsigned x, n;
	int wrapped;

	for (x = 0; x < cols; x++)
		out[x] = cell_blank(NULL);
	*flags = 0;
	r = cp_find(cp, abs, &wrapped);
	if (r == NULL)
		return -1;
	n = RMUX_MIN(cols, view_row_cols(r));
	for (x = 0; x < n; x++) {
		out[x] = *view_row_cell(r, x);
		if (out[x].attr & CELL_CLUSTER) {
			size_t len = view_row_text(r, x, text);

			out[x].ch = len > 0 ? clusters_add(cl, text, len) : UINT32_MAX;
			if (out[x].ch == UINT32_MAX) {
				out[x].attr &= (uint16_t)~CELL_CLUSTER;
				out[x].ch = 0xfffd;
			}
		}
	}
	if (wrapped)
		*flags = ROW_WRAPPED;
	return 0;
}

/* ---- states ---- */

static void cp_drawn_free(struct cp_drawn *d)
{
	for (unsigned y = 0; y < d->nrows; y++) {
		if (d->row[y] != NULL)
			view_row_unref(d->row[y]);
	}
	free(d->row);
	free(d->held);
	if (d->msg != NULL)
		view_row_unref(d->msg);
	memset(d, 0, sizeof *d);
}

static void cp_st_free(struct cp_st *st)
{
	copy_mode_free(st->cm);
	free(st->copy);
	cp_drawn_free(&st->d);
	memset(st, 0, sizeof *st);
}

/* A copy of ST to run a key on (nothing drawn yet, no copy). */
static void cp_st_clone(struct cp_st *dst, const struct cp_st *src)
{
	memset(dst, 0, sizeof *dst);
	dst->cm = src->cm != NULL ? copy_mode_clone(src->cm) : NULL;
	dst->prompt = src->prompt;
	dst->search_known = src->search_known;
	dst->exited = src->exited;
}

static void cp_clear_preds(struct copy_predict *cp)
{
	for (size_t i = 0; i < cp->npred; i++)
		cp_st_free(&cp->pred[i].st);
	cp->npred = 0;
}

static void cp_mode_drop(struct copy_predict *cp)
{
	cp_clear_preds(cp);
	cp_st_free(&cp->base);
	free(cp->mode.snap_miss);
	memset(&cp->mode, 0, sizeof cp->mode);
}

/* The newest state: the last prediction's, else the base (NULL: none). */
static struct cp_st *cp_current(struct copy_predict *cp)
{
	if (cp->npred > 0)
		return &cp->pred[cp->npred - 1].st;
	return cp->base.cm != NULL ? &cp->base : NULL;
}

/* The prompt line P draws on a line of COLS cells: NULL when it does not
 * fit (the server would scroll the input). */
static struct view_row *cp_prompt_row(const struct copy_predict *cp, const struct cp_prompt *p,
    unsigned cols, int *cx)
{
	size_t tlen = strlen(p->text);
	struct cell *cells;
	struct view_row *r;
	unsigned x;

	if (cols == 0 || tlen + p->len + 1 > cols)
		return NULL;
	cells = xreallocarray(NULL, cols, sizeof *cells);
	for (x = 0; x < cols; x++) {
		cells[x] = cp->msg_pen;
		cells[x].ch = ' ';
		if (x < tlen)
			cells[x].ch = (unsigned char)p->text[x];
		else if (x < tlen + p->len)
			cells[x].ch = (unsigned char)p->input[x - tlen];
	}
	x = (unsigned)(tlen + p->len);
	cells[x].attr ^= ATTR_REVERSE;
	*cx = (int)x;
	r = view_row_from_cells(cells, cols, NULL);
	free(cells);
	return r;
}

/* Draw ST: the engine's view (or the live screen once it left), with the
 * rows whose lines are not held marked. Returns -1 when a prompt line
 * cannot be drawn. */
static int cp_draw(struct copy_predict *cp, struct cp_st *st)
{
	const struct cp_mode *md = &cp->mode;
	struct cp_drawn *d = &st->d;
	struct cell *cells = NULL;
	unsigned y, cx = 0, cy = 0;
	int wrapped;

	cp_drawn_free(d);
	d->nrows = md->rows;
	d->row = xcalloc(md->rows, sizeof *d->row);
	d->held = xcalloc(md->rows, 1);
	d->msg_cx = -1;
	if (st->exited) {
		for (y = 0; y < md->rows; y++) {
			const struct view_row *r = cp->scr != NULL && cp->scr_pane == md->pane &&
			    cp->scr_rows == md->rows && cp->scr_cols == md->cols ?
			    cp->scr[y] : cp_find(cp, md->entry + y, &wrapped);

			d->row[y] = r != NULL ? view_row_ref((struct view_row *)r) : NULL;
			d->held[y] = r != NULL;
		}
		if (cp->scr != NULL && cp->scr_pane == md->pane) {
			d->cx = cp->scr_cx;
			d->cy = cp->scr_cy;
		}
		return 0;
	}
	cells = xreallocarray(NULL, (size_t)md->cols * md->rows, sizeof *cells);
	(void)copy_mode_take_misses(st->cm);
	copy_mode_render(st->cm, NULL, cells);
	(void)copy_mode_take_misses(st->cm);
	d->top = copy_mode_top_line(st->cm);
	for (y = 0; y < md->rows; y++) {
		uint64_t line = d->top + y;

		d->row[y] = view_row_from_cells(&cells[(size_t)y * md->cols], md->cols,
		    copy_mode_clusters(st->cm));
		if (line >= md->entry && line - md->entry < md->rows)
			d->held[y] = !md->snap_miss[line - md->entry];
		else
			d->held[y] = cp_find(cp, line, &wrapped) != NULL;
	}
	free(cells);
	copy_mode_cursor(st->cm, &cx, &cy);
	d->cx = RMUX_MIN(cx, md->cols - 1);
	d->cy = RMUX_MIN(cy, md->rows - 1);
	if (st->prompt.open) {
		d->msg = cp_prompt_row(cp, &st->prompt, cp->vcols, &d->msg_cx);
		if (d->msg == NULL)
			return -1;
	}
	return 0;
}

/* Does the view V (active pane AP) show what D drew? */
static int cp_shows(const struct copy_predict *cp, const struct cp_st *st, const struct view *v,
    const struct view_pane *ap)
{
	const struct cp_mode *md = &cp->mode;
	const struct cp_drawn *d = &st->d;
	int prompt = v->message != NULL && v->message_cx >= 0;

	if (st->exited)
		return ap == NULL || !(ap->flags & VIEW_PANE_COPY_MODE) || ap->id != md->pane;
	if (ap == NULL || !(ap->flags & VIEW_PANE_COPY_MODE) || ap->id != md->pane ||
	    ap->rows != md->rows || ap->cols != md->cols || d->nrows != md->rows ||
	    ap->hist_gen != md->gen || ap->copy_top != d->top)
		return 0;
	for (unsigned y = 0; y < md->rows; y++) {
		if (d->held[y] && !view_row_equal(d->row[y], ap->line[y]))
			return 0;
	}
	if (ap->cx != d->cx || ap->cy != d->cy)
		return 0;
	if (d->msg != NULL)
		return prompt && v->message_cx == d->msg_cx && view_row_equal(v->message, d->msg);
	return !prompt;
}

/* ---- the server's view ---- */

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

/* Selection or search marks drawn anywhere but the indicator. */
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

static void cp_read_server(struct copy_predict *cp, const struct view *v,
    const struct view_pane *ap)
{
	struct cp_server *s = &cp->server;
	unsigned oy, hsize, start;
	int vi = cp_key_table(v);

	memset(s, 0, sizeof *s);
	if (vi >= 0)
		cp->vi_seen = vi;
	if (v->message != NULL && view_row_cols(v->message) > 0) {
		/* The message style: the line's last cell is a filler. */
		unsigned last = view_row_cols(v->message) - 1;

		if ((int)last != v->message_cx) {
			const struct cell *c = view_row_cell(v->message, last);

			cp->msg_pen = cell_blank(NULL);
			cp->msg_pen.fg = c->fg;
			cp->msg_pen.bg = c->bg;
			cp->msg_pen.attr = c->attr & ATTR_STYLE_MASK;
			cp->msg_pen_seen = 1;
		}
	}
	if (ap == NULL || !(ap->flags & VIEW_PANE_COPY_MODE) || ap->rows == 0)
		return;
	s->copy = 1;
	s->pane = ap->id;
	s->gen = ap->hist_gen;
	s->px = ap->x;
	s->py = ap->y;
	s->cols = ap->cols;
	s->rows = ap->rows;
	s->cx = ap->cx;
	s->cy = ap->cy;
	s->top = ap->copy_top;
	s->prompt = v->message != NULL && v->message_cx >= 0;
	if (!cp_indicator(ap->line[0], ap->cols, &oy, &hsize, &start)) {
		log_debug("copy mode: no position indicator on the top row");
		return;
	}
	s->oy = oy;
	s->hsize = hsize;
	if (cp_marked(ap, start)) {
		log_debug("copy mode: selection or search marks shown");
		return;
	}
	s->readable = !s->prompt;
	if (cp->cache_pane != s->pane || cp->cache_entry != s->top + oy) {
		cache_clear(cp);
		cp->cache_pane = s->pane;
		cp->cache_entry = s->top + oy;
	}
	/* The top row is left out: the indicator hides part of it. */
	for (unsigned y = 1; y < ap->rows; y++)
		cache_put(cp, s->pane, s->gen, s->top + y, ap->line[y]);
}

static int cp_server_same(const struct cp_server *a, const struct cp_server *b)
{
	return a->copy == b->copy && a->pane == b->pane && a->top == b->top && a->oy == b->oy &&
	    a->cx == b->cx && a->cy == b->cy && a->prompt == b->prompt &&
	    a->readable == b->readable;
}

/* The copy mode the server shows is the one followed. */
static int cp_mode_is_server(const struct copy_predict *cp)
{
	const struct cp_mode *md = &cp->mode;
	const struct cp_server *s = &cp->server;

	return md->valid && s->copy && md->pane == s->pane && md->gen == s->gen &&
	    md->px == s->px && md->py == s->py && md->cols == s->cols && md->rows == s->rows &&
	    md->hsize == s->hsize && md->entry == s->top + s->oy;
}

/* A new engine for a copy mode of pane AP-like geometry entered with
 * HSIZE history lines above line ENTRY, cursor (CX, CY). */
static void cp_mode_new(struct copy_predict *cp, uint32_t pane, uint32_t gen, unsigned px,
    unsigned py, unsigned cols, unsigned rows, unsigned hsize, uint64_t entry, unsigned cx,
    unsigned cy, int vi, struct cp_st *st)
{
	struct copy_mode_source src = { cp_source_line, cp };
	struct cp_mode *md = &cp->mode;
	int wrapped;

	cp_mode_drop(cp);
	md->valid = 1;
	md->pane = pane;
	md->gen = gen;
	md->px = px;
	md->py = py;
	md->cols = cols;
	md->rows = rows;
	md->hsize = hsize;
	md->entry = entry;
	md->vi = vi;
	md->snap_miss = xcalloc(rows, 1);
	for (unsigned y = 0; y < rows; y++)
		md->snap_miss[y] = cp_find(cp, entry + y, &wrapped) == NULL;
	memset(st, 0, sizeof *st);
	st->cm = copy_mode_create_source(&src, cols, rows, hsize, entry - hsize, cx, cy, vi);
	(void)copy_mode_take_misses(st->cm);
}

/* Before a key with nothing predicted: the base engine at the server's
 * state. Returns 0, or -1 when the server's copy mode cannot be followed
 * (not readable, or the lines the client holds do not give its view). */
static int cp_sync_base(struct copy_predict *cp, const struct view *v, int vi)
{
	const struct view_pane *ap = compose_active_pane(v);
	const struct cp_server *s = &cp->server;

	if (!s->copy || ap == NULL || ap->id != s->pane)
		return -1;
	/* Where the last confirmed prediction left it, hidden state and all. */
	if (cp->base.cm != NULL && cp->mode.vi == vi && cp_draw(cp, &cp->base) == 0 &&
	    cp_shows(cp, &cp->base, v, ap))
		return 0;
	if (!s->readable)
		return -1;
	if (!cp_mode_is_server(cp) || cp->base.cm == NULL || cp->mode.vi != vi) {
		cp_mode_new(cp, s->pane, s->gen, s->px, s->py, s->cols, s->rows, s->hsize,
		    s->top + s->oy, s->cx, s->cy, vi, &cp->base);
	}
	/* Moved by keys not predicted (or another client): what the view
	 * shows is all that is known. */
	copy_mode_set_position(cp->base.cm, s->oy, s->cx, s->cy);
	cp->base.search_known = 0;
	memset(&cp->base.prompt, 0, sizeof cp->base.prompt);
	if (cp_draw(cp, &cp->base) == 0 && cp_shows(cp, &cp->base, v, ap))
		return 0;
	log_debug("copy mode: the lines held do not give the server's view");
	return -1;
}

/* ---- running keys ---- */

/* Plain moves: predicted over missed lines too (the viewport is right,
 * the cursor column a guess the view corrects). */
static int cp_navigation(const char *name)
{
	static const char *const nav[] = { "page-up", "page-down", "halfpage-up", "halfpage-down",
		"scroll-up", "scroll-down", "cursor-up", "cursor-down", "history-top",
		"history-bottom", "top-line", "middle-line", "bottom-line" };

	for (size_t i = 0; i < RMUX_NITEMS(nav); i++) {
		if (strcmp(name, nav[i]) == 0)
			return 1;
	}
	return 0;
}

/* Run NAME [ARG] REPEAT times on ST's engine. Returns 0, or -1 when the
 * result cannot be predicted. *NAV is cleared for a command that is not
 * a plain move. */
static int cp_exec(struct copy_predict *cp, struct cp_st *st, const char *name, const char *arg,
    unsigned repeat, int *nav)
{
	const char *argv[1] = { arg };
	unsigned misses;
	int r;

	(void)cp;
	if (st->cm == NULL)
		return -1;
	if (!cp_navigation(name))
		*nav = 0;
	/* The search string from before this copy mode is the pane's. */
	if ((strcmp(name, "search-again") == 0 || strcmp(name, "search-reverse") == 0) &&
	    !st->search_known)
		return -1;
	(void)copy_mode_take_misses(st->cm);
	r = copy_mode_command(st->cm, name, arg != NULL ? 1 : 0, argv, repeat);
	misses = copy_mode_take_misses(st->cm);
	/* A command the engine does not know is one the server's (the same
	 * engine) ignores: predicted as nothing. */
	if (r == COPY_MODE_UNKNOWN)
		return 0;
	if (misses > 0 && !cp_navigation(name))
		return -1;
	if (strncmp(name, "search-", 7) == 0)
		st->search_known = 1;
	if (r & COPY_MODE_COPIED) {
		free(st->copy);
		st->copy = copy_mode_take_copy(st->cm, &st->copy_len);
		if (r & COPY_MODE_APPEND) {
			/* Appended to a buffer the client does not know. */
			return -1;
		}
	}
	if (r & COPY_MODE_CANCEL) {
		copy_mode_free(st->cm);
		st->cm = NULL;
		st->exited = 1;
	}
	return 0;
}

/* Characters typed into a prompt that are predicted: they reach the
 * server's template unquoted, so none that its parser would read. */
static int cp_prompt_char(uint64_t key)
{
	return key >= 0x20 && key < 0x7f && strchr("\"\\$;{}'~#%", (int)key) == NULL;
}

static int cp_prompt_key(struct copy_predict *cp, struct cp_st *st, uint64_t key, int *nav)
{
	struct cp_prompt *p = &st->prompt;
	char arg[CP_INPUT_MAX + 2];
	char cmd[CP_NAME_MAX];
	int kind = p->kind;

	*nav = 0;
	rmux_strlcpy(cmd, p->cmd, sizeof cmd);
	if (key == 0x1b || key == 0x03 || key == 0x07) {
		memset(p, 0, sizeof *p);
		return 0;
	}
	if (kind == CP_PROMPT_SINGLE) {
		/* -1: the key is the answer. */
		if (key < 0x20 || key >= 0x7f)
			return -1;
		snprintf(arg, sizeof arg, "%c", (char)key);
		memset(p, 0, sizeof *p);
		return cp_exec(cp, st, cmd, arg, 1, nav);
	}
	if (key == '\r' || key == '\n' || key == KEY_KP_ENTER) {
		if (kind == CP_PROMPT_TEXT && p->len == 0)
			return -1;
		rmux_strlcpy(arg, p->input, sizeof arg);
		memset(p, 0, sizeof *p);
		if (kind == CP_PROMPT_INCREMENTAL)
			return 0; /* it searched as the input changed */
		return cp_exec(cp, st, cmd, arg, 1, nav);
	}
	if (p->kind == CP_PROMPT_INCREMENTAL && (key == 0x12 || key == 0x13)) {
		/* C-r / C-s: the next match up or down. */
		if (p->len == 0)
			return -1;
		snprintf(arg, sizeof arg, "%c%s", key == 0x12 ? '-' : '+', p->input);
		return cp_exec(cp, st, p->cmd, arg, 1, nav);
	}
	if (key == 0x7f || key == KEY_BSPACE || key == 0x08) {
		if (p->len == 0)
			return 0;
		p->input[--p->len] = '\0';
	} else if (cp_prompt_char(key) && p->len + 1 < sizeof p->input) {
		p->input[p->len++] = (char)key;
		p->input[p->len] = '\0';
	} else
		return -1;
	if (p->kind == CP_PROMPT_INCREMENTAL) {
		snprintf(arg, sizeof arg, "=%s", p->input);
		return cp_exec(cp, st, p->cmd, arg, 1, nav);
	}
	return 0;
}

/* KEY's binding on ST. */
static int cp_bound_key(struct copy_predict *cp, struct cp_st *st, const struct cp_bind *b,
    int *nav)
{
	if (b->type == CP_BIND_SEND)
		return cp_exec(cp, st, b->name, b->has_arg ? b->arg : NULL, b->repeat, nav);
	*nav = 0;
	memset(&st->prompt, 0, sizeof st->prompt);
	st->prompt.open = 1;
	st->prompt.kind = b->pkind;
	rmux_strlcpy(st->prompt.text, b->ptext, sizeof st->prompt.text);
	rmux_strlcpy(st->prompt.cmd, b->name, sizeof st->prompt.cmd);
	/* The incremental prompt runs its template on opening, empty. */
	if (b->pkind == CP_PROMPT_INCREMENTAL)
		return cp_exec(cp, st, b->name, "=", 1, nav);
	return 0;
}

static void cp_remember_copy(struct copy_predict *cp, const char *data, size_t len)
{
	struct cp_copy *c = &cp->copies[cp->next_copy];

	free(cp->clip);
	cp->clip = xmalloc(len + 1);
	memcpy(cp->clip, data, len);
	cp->clip[len] = '\0';
	cp->cliplen = len;
	free(c->data);
	c->data = xmalloc(len + 1);
	memcpy(c->data, data, len);
	c->len = len;
	cp->next_copy = (cp->next_copy + 1) % CP_COPIES;
}

/* Keep ST (drawn) as the prediction of EVENT. */
static void cp_push(struct copy_predict *cp, struct cp_st *st, uint64_t key, int nav,
    uint64_t event)
{
	struct cp_pred *p;

	if (cp->npred == COPY_PREDICT_MAX) {
		/* Unchecked: the oldest goes, the rest still stand. */
		cp_st_free(&cp->pred[0].st);
		memmove(cp->pred, cp->pred + 1, (cp->npred - 1) * sizeof *cp->pred);
		cp->npred--;
	}
	if (st->copy != NULL && st->copy_len > 0)
		cp_remember_copy(cp, st->copy, st->copy_len);
	p = &cp->pred[cp->npred++];
	p->event = event;
	p->key = key;
	p->vi = cp->mode.vi;
	p->from_server = cp->npred == 1;
	/* A prompt drawn in a message style guessed proves nothing. */
	p->clean = cp->echo_ack >= cp->unpredicted && (!st->prompt.open || cp->msg_pen_seen);
	p->navigation = nav;
	p->st = *st;
	memset(st, 0, sizeof *st);
}

static void cp_barrier(struct copy_predict *cp, uint64_t event, const char *why)
{
	log_debug("input event %llu not predicted in copy mode (%s; barrier %llu echo_ack %llu)",
	    (unsigned long long)event, why, (unsigned long long)cp->barrier,
	    (unsigned long long)cp->echo_ack);
	cp->barrier = event;
	cp->unpredicted = event;
	cp->barrier_state = cp->server;
}

/* The state a key typed now starts from, the base synced when nothing is
 * predicted; NULL when none. */
static struct cp_st *cp_start(struct copy_predict *cp, const struct view *v,
    const struct mirror *m)
{
	int vi;

	cp->m = m;
	cp->vcols = v->cols;
	if (cp->barrier > cp->echo_ack)
		return NULL;
	if (cp->npred > 0)
		return &cp->pred[cp->npred - 1].st;
	/* Keys go to the copy-mode table only with no prompt open and no
	 * other table (prefix) pending. */
	vi = cp_key_table(v);
	if (vi < 0 || v->active_pane != cp->server.pane || cp_sync_base(cp, v, vi) != 0)
		return NULL;
	return &cp->base;
}

void copy_predict_key(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    uint64_t key, uint64_t event, uint64_t now)
{
	struct cp_st *cur, st;
	const struct cp_bind *b = NULL;
	int nav = 1, r;

	(void)now;
	cp->last_event = event;
	cur = cp_start(cp, v, m);
	if (cur == NULL || cur->exited) {
		cp_barrier(cp, event, "no copy-mode state");
		return;
	}
	if (!cur->prompt.open && (b = cp_binding(cp, cp->mode.vi, key)) == NULL) {
		cp_barrier(cp, event, "not a predicted key");
		return;
	}
	cp_st_clone(&st, cur);
	if (cur->prompt.open)
		r = cp_prompt_key(cp, &st, key, &nav);
	else
		r = cp_bound_key(cp, &st, b, &nav);
	if (r != 0 || cp_draw(cp, &st) != 0) {
		cp_st_free(&st);
		cp_barrier(cp, event, "its result depends on what the client does not hold");
		return;
	}
	cp_push(cp, &st, cur->prompt.open ? 0 : key, nav, event);
}

/* Button 1 in copy mode, as the server's tables and drags take it:
 * MouseDown1Pane selects the pane (nothing, it is active already); the
 * first MouseDrag1Pane begins a selection where the mouse was before it
 * (the press), the motion after it moves the selection's end (clamped to
 * the pane); the release is MouseDragEnd1Pane, copy-pipe-and-cancel with
 * the cursor at the release first. A second press soon after the first
 * is a double click (select-word, then a copy after a delay): not
 * predicted. Returns 0, or -1 for a barrier. */
static int cp_mouse_button(struct copy_predict *cp, struct cp_st *cur,
    const struct view_pane *ap, const struct input_event *ev, uint64_t event, uint64_t now)
{
	int inside = ev->x >= ap->x && ev->x < ap->x + ap->cols && ev->y >= ap->y &&
	    ev->y < ap->y + ap->rows;
	unsigned x = ev->x < ap->x ? 0 : RMUX_MIN(ev->x - ap->x, ap->cols - 1);
	unsigned y = ev->y < ap->y ? 0 : RMUX_MIN(ev->y - ap->y, ap->rows - 1);
	struct cp_st st;
	int nav = 0, r = 0;

	if (cp->drag && ev->kind == INPUT_MOUSE_DRAG && ev->button != 0)
		return -1;
	if (!cp->drag && ev->kind == INPUT_MOUSE_PRESS && ev->button == 0 && inside) {
		if (cp->pressed && now - cp->press_time < CP_CLICK_GAP_MS) {
			cp->pressed = 0;
			return -1;
		}
		cp->pressed = 1;
		cp->press_time = now;
	} else if (!cp->drag && ev->kind == INPUT_MOUSE_DRAG && ev->button == 0) {
		if (cp->last_x < ap->x || cp->last_x >= ap->x + ap->cols || cp->last_y < ap->y ||
		    cp->last_y >= ap->y + ap->rows)
			return -1;
	} else if (!cp->drag || ev->kind == INPUT_MOUSE_PRESS)
		return -1;
	cp_st_clone(&st, cur);
	(void)copy_mode_take_misses(st.cm);
	if (ev->kind == INPUT_MOUSE_DRAG && !cp->drag) {
		copy_mode_mouse_drag_start(st.cm, cp->last_x - ap->x, cp->last_y - ap->y);
		cp->drag = 1;
	} else if (ev->kind == INPUT_MOUSE_DRAG)
		copy_mode_mouse_move(st.cm, x, y);
	else if (cp->drag) {
		cp->drag = 0;
		if (inside)
			copy_mode_mouse_move(st.cm, x, y);
		r = cp_exec(cp, &st, "copy-pipe-and-cancel", NULL, 1, &nav);
	}
	if (r == 0 && st.cm != NULL && copy_mode_take_misses(st.cm) > 0)
		r = -1;
	if (r != 0 || cp_draw(cp, &st) != 0) {
		cp_st_free(&st);
		return -1;
	}
	cp_push(cp, &st, 0, 0, event);
	return 0;
}

void copy_predict_mouse(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    const struct input_event *ev, uint64_t event, uint64_t now)
{
	const struct view_pane *ap = compose_active_pane(v);
	struct cp_st *cur, st;
	int nav = 1;

	(void)now;
	cp->last_event = event;
	cp->m = m;
	cp->vcols = v->cols;
	if (ev->type != INPUT_MOUSE)
		goto barrier;
	cur = cp->barrier > cp->echo_ack ? NULL : cp_current(cp);
	/* Motion without a button changes nothing in copy mode or the root
	 * table's default bindings. */
	if (ev->kind == INPUT_MOUSE_MOVE && cur != NULL)
		return;
	if (ap == NULL || (v->message != NULL && v->message_cx >= 0))
		goto barrier;
	if (cur == NULL && cp->npred == 0 && cp->barrier <= cp->echo_ack && cp->server.copy &&
	    cp_key_table(v) >= 0 && cp_sync_base(cp, v, cp_key_table(v)) == 0)
		cur = &cp->base;
	if (ev->kind != INPUT_MOUSE_WHEEL && cur != NULL && !cur->exited && !cur->prompt.open &&
	    cp->mode.pane == ap->id) {
		if (cp_mouse_button(cp, cur, ap, ev, event, now) != 0)
			goto barrier;
		cp->last_x = ev->x;
		cp->last_y = ev->y;
		return;
	}
	if (ev->kind != INPUT_MOUSE_WHEEL || ev->button > 1 || ev->x < ap->x ||
	    ev->x >= ap->x + ap->cols || ev->y < ap->y || ev->y >= ap->y + ap->rows)
		goto barrier;
	cp->last_x = ev->x;
	cp->last_y = ev->y;
	if (cur != NULL && !cur->exited && cp->mode.pane == ap->id) {
		/* In copy mode: the tables' WheelUpPane and WheelDownPane. */
		if (cur->prompt.open)
			goto barrier;
		cp_st_clone(&st, cur);
		if (cp_exec(cp, &st, ev->button == 0 ? "scroll-up" : "scroll-down", NULL,
			COPY_PREDICT_WHEEL_LINES, &nav) != 0 || cp_draw(cp, &st) != 0) {
			cp_st_free(&st);
			goto barrier;
		}
		cp_push(cp, &st, 0, nav, event);
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
	cp_mode_new(cp, ap->id, ap->hist_gen, ap->x, ap->y, ap->cols, ap->rows, ap->hist_size,
	    ap->hist_base, RMUX_MIN(ap->cx, ap->cols - 1), RMUX_MIN(ap->cy, ap->rows - 1),
	    cp->vi_seen, &st);
	copy_mode_set_scroll_exit(st.cm, 1);
	if (cp_draw(cp, &st) != 0) {
		cp_st_free(&st);
		goto barrier;
	}
	cp_push(cp, &st, 0, 0, event);
	return;
barrier:
	cp->drag = 0;
	cp->last_x = ev->x;
	cp->last_y = ev->y;
	cp_barrier(cp, event, "mouse");
}

/* ---- checking ---- */

/* Predictions against the server's view. echo_ack may trail what the
 * view shows (the daemon holds it back for an echo), so the view may be
 * at any prediction from the newest it covers on: the newest that
 * matches is confirmed with all before it. Only when none matches and the
 * view covers one is that one wrong. */
static void cp_check(struct copy_predict *cp, const struct view *v, const struct view_pane *ap,
    int base_shown)
{
	size_t k = cp->npred, i, j;
	struct cp_pred *p;

	for (i = 0; i < cp->npred; i++) {
		if (cp->pred[i].event <= cp->echo_ack)
			k = i;
	}
	for (j = cp->npred; j > 0; j--) {
		if (k != cp->npred && j - 1 < k)
			break;
		/* Nothing covered and the view still as before the first: a
		 * later prediction that comes back there proves nothing. */
		if (k == cp->npred && base_shown)
			break;
		if (cp_shows(cp, &cp->pred[j - 1].st, v, ap)) {
			/* Confirmed: its engine is the server's state now. */
			cp_st_free(&cp->base);
			cp->base = cp->pred[j - 1].st;
			free(cp->base.copy);
			cp->base.copy = NULL;
			for (i = 0; i + 1 < j; i++)
				cp_st_free(&cp->pred[i].st);
			memmove(cp->pred, cp->pred + j, (cp->npred - j) * sizeof *cp->pred);
			cp->npred -= j;
			if (cp->base.exited)
				cp_mode_drop(cp);
			return;
		}
	}
	if (k == cp->npred)
		return;
	p = &cp->pred[k];
	if (k == 0 && p->from_server && p->clean && !p->navigation && p->key != 0 &&
	    cp->barrier < p->event && cp->server.copy && cp->server.pane == cp->mode.pane) {
		/* Nothing else was typed, every line was held, and the view
		 * the key gave is not what its default binding gives: it was
		 * rebound (or an option differs from its default). */
		cp_ban(cp, p->vi, p->key);
		cp->refuted++;
	} else if (k == 0 && p->from_server && p->clean && p->key != 0 && cp->barrier < p->event &&
	    cp->server.readable && cp->server.pane == cp->mode.pane && p->st.cm != NULL &&
	    copy_mode_top_line(p->st.cm) != cp->server.top) {
		/* A move whose viewport (which needs no line) is wrong. */
		cp_ban(cp, p->vi, p->key);
		cp->refuted++;
	}
	log_debug("copy prediction of event %llu dropped (server %s top %llu cursor %u,%u)",
	    (unsigned long long)p->event, cp->server.copy ? "in copy mode at" : "out of copy mode",
	    (unsigned long long)cp->server.top, cp->server.cx, cp->server.cy);
	/* Later predictions stood on this one: all go, and keys already sent
	 * are not guessed at again. The hidden state is lost with them. */
	cp_clear_preds(cp);
	cp_st_free(&cp->base);
	cp->barrier = cp->last_event;
	cp->barrier_state = cp->server;
}

void copy_predict_view(struct copy_predict *cp, const struct view *v, uint64_t now)
{
	const struct view_pane *ap = compose_active_pane(v);
	int base_shown;

	(void)now;
	cp->echo_ack = v->echo_ack;
	cp->vcols = v->cols;
	if (ap != NULL && !(ap->flags & VIEW_PANE_COPY_MODE) && ap->rows > 0) {
		screen_drop(cp);
		cp->scr = xcalloc(ap->rows, sizeof *cp->scr);
		for (unsigned y = 0; y < ap->rows; y++)
			cp->scr[y] = view_row_ref(ap->line[y]);
		cp->scr_pane = ap->id;
		cp->scr_gen = ap->hist_gen;
		cp->scr_base = ap->hist_base;
		cp->scr_rows = ap->rows;
		cp->scr_cols = ap->cols;
		cp->scr_cx = ap->cx;
		cp->scr_cy = ap->cy;
	}
	cp_read_server(cp, v, ap);
	/* Left on the server: what the engine knew ends with that copy mode
	 * (the next one starts with no jump, marks or selection). */
	if (cp->npred == 0 && !cp->server.copy && cp->mode.valid)
		cp_mode_drop(cp);
	if (cp->npred > 0) {
		const struct cp_mode *md = &cp->mode;

		/* The pane went away or changed shape under the predictions. */
		if (ap == NULL || ap->id != md->pane || ap->rows != md->rows ||
		    ap->cols != md->cols || ap->x != md->px || ap->y != md->py) {
			cp_mode_drop(cp);
			cp->barrier = cp->last_event;
			cp->barrier_state = cp->server;
			return;
		}
		if (cp->base.cm != NULL) {
			(void)cp_draw(cp, &cp->base);
			base_shown = cp_shows(cp, &cp->base, v, ap);
		} else
			base_shown = !cp->server.copy;
		cp_check(cp, v, ap, base_shown);
	}
	/* The view trails echo_ack behind what it shows. A copy mode that
	 * moved since the key that stopped predictions, in its table with no
	 * prompt, has taken that key: predict again (wrong only if more keys
	 * were in flight, and then refuted). */
	if (cp->barrier > cp->echo_ack && cp->npred == 0 && cp->server.readable &&
	    cp_key_table(v) >= 0 && !cp_server_same(&cp->barrier_state, &cp->server)) {
		log_debug("copy mode moved on: event %llu taken", (unsigned long long)cp->barrier);
		cp->barrier = cp->echo_ack;
	}
}

/* ---- the rest of the interface ---- */

struct copy_predict *copy_predict_create(void)
{
	struct copy_predict *cp = xcalloc(1, sizeof *cp);

	for (int vi = 0; vi < 2; vi++) {
		size_t n;
		const struct copy_mode_binding *b = copy_mode_default_bindings(vi, &n);

		cp->bind[vi] = xcalloc(n, sizeof *cp->bind[vi]);
		cp->nbind[vi] = n;
		for (size_t i = 0; i < n; i++)
			cp_parse_binding(&cp->bind[vi][i], &b[i]);
	}
	cp->pred = xcalloc(COPY_PREDICT_MAX, sizeof *cp->pred);
	/* tmux's default message-style until the server draws one. */
	cp->msg_pen = cell_blank(NULL);
	cp->msg_pen.fg = colour_palette(0);
	cp->msg_pen.bg = colour_palette(3);
	return cp;
}

void copy_predict_free(struct copy_predict *cp)
{
	if (cp == NULL)
		return;
	cp_mode_drop(cp);
	cache_clear(cp);
	screen_drop(cp);
	for (int vi = 0; vi < 2; vi++) {
		free(cp->bind[vi]);
		free(cp->banned[vi]);
	}
	for (size_t i = 0; i < CP_COPIES; i++)
		free(cp->copies[i].data);
	free(cp->clip);
	free(cp->pred);
	free(cp);
}

void copy_predict_reset(struct copy_predict *cp)
{
	cp->drag = 0;
	cp_clear_preds(cp);
	cp_st_free(&cp->base);
	cp->barrier = cp->last_event;
	cp->barrier_state = cp->server;
}

void copy_predict_other(struct copy_predict *cp, uint64_t event)
{
	cp->last_event = event;
	cp_barrier(cp, event, "not a key");
}

int copy_predict_pending(const struct copy_predict *cp)
{
	return cp->npred > 0;
}

unsigned copy_predict_refuted(const struct copy_predict *cp)
{
	return cp->refuted;
}

uint64_t copy_predict_top(const struct copy_predict *cp, uint32_t pane)
{
	const struct cp_st *st;

	if (cp->npred == 0 || cp->mode.pane != pane)
		return UINT64_MAX;
	st = &cp->pred[cp->npred - 1].st;
	if (st->exited || st->cm == NULL)
		return UINT64_MAX;
	return copy_mode_top_line(st->cm);
}

char *copy_predict_take_copy(struct copy_predict *cp, size_t *len)
{
	char *s = cp->clip;

	*len = cp->cliplen;
	cp->clip = NULL;
	cp->cliplen = 0;
	return s;
}

int copy_predict_copied(struct copy_predict *cp, const void *data, size_t len)
{
	for (size_t i = 0; i < CP_COPIES; i++) {
		struct cp_copy *c = &cp->copies[i];

		if (c->data != NULL && c->len == len && memcmp(c->data, data, len) == 0) {
			free(c->data);
			c->data = NULL;
			c->len = 0;
			return 1;
		}
	}
	return 0;
}

/* ---- drawing ---- */

static void cp_text(struct display_frame *f, unsigned x, unsigned y, unsigned w, const char *t,
    const struct cell *style)
{
	for (unsigned i = 0; i < w && t[i] != '\0'; i++) {
		struct cell c = *style;

		c.ch = (unsigned char)t[i];
		display_frame_put(f, x + i, y, &c, NULL);
	}
}

void copy_predict_apply(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    struct display_frame *f)
{
	const struct view_pane *ap = compose_active_pane(v);
	const struct cp_mode *md = &cp->mode;
	struct cell dim = cell_blank(NULL), blank = cell_blank(NULL);
	struct cp_st *st;
	unsigned y, my = compose_message_row(v);

	if (cp->npred == 0 || ap == NULL)
		return;
	st = &cp->pred[cp->npred - 1].st;
	if (ap->id != md->pane || ap->rows != md->rows || ap->cols != md->cols || ap->x != md->px ||
	    ap->y != md->py)
		return;
	cp->m = m;
	for (y = 0; y < st->d.nrows; y++) {
		if (!st->d.held[y]) {
			/* Lines that reached the mirror since are read now. */
			(void)cp_draw(cp, st);
			break;
		}
	}
	dim.attr = ATTR_DIM;
	for (y = 0; y < st->d.nrows; y++) {
		for (unsigned x = 0; x < md->cols; x++)
			display_frame_put(f, md->px + x, md->py + y, &blank, NULL);
		if (st->d.held[y]) {
			compose_row(f, md->px, md->py + y, st->d.row[y], md->cols);
			continue;
		}
		cp_text(f, md->px, md->py + y, md->cols, COPY_PREDICT_FETCHING, &dim);
		if (y == 0 && st->d.row[0] != NULL) {
			/* The indicator needs no line. */
			const struct view_row *r = st->d.row[0];
			unsigned x = md->cols;

			while (x > 0 && cp_mode_style(view_row_cell(r, x - 1)))
				x--;
			for (; x < md->cols; x++)
				display_frame_put(f, md->px + x, md->py, view_row_cell(r, x), NULL);
		}
	}
	f->cx = md->px + st->d.cx;
	f->cy = md->py + st->d.cy;
	if (!st->exited)
		f->cursor_visible = 1;
	if (st->d.msg != NULL && my < f->rows) {
		compose_row(f, 0, my, st->d.msg, RMUX_MIN(view_row_cols(st->d.msg), f->cols));
		f->cx = (unsigned)st->d.msg_cx;
		f->cy = my;
	} else if (v->message != NULL && v->message_cx >= 0 && v->nstatus > 0 && my < f->rows) {
		/* The server's prompt is closed by the keys predicted: the
		 * status line it covers. */
		unsigned first = v->rows - RMUX_MIN(v->nstatus, v->rows);
		unsigned i = (v->flags & VIEW_STATUS_TOP) ? 0 : my - first;
		const struct view_row *r = i < v->nstatus ? v->status[i] : NULL;

		if (r != NULL)
			compose_row(f, 0, my, r, RMUX_MIN(view_row_cols(r), f->cols));
	}
}
