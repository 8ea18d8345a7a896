/* history_feed.c — the daemon's side of the history channel (see
 * history_feed.h): per pane an interval set of the lines sent in the
 * current generation, and the scheduling of the next chunks. */
#include "server/history_feed.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "server/pane.h"
#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

/* Lines sent: [lo, hi) ranges, sorted and disjoint, never touching. */
struct hf_range {
	uint64_t lo, hi;
};

struct hf_pane {
	uint32_t id;
	uint32_t gen;
	struct hf_range *r;
	size_t n, cap;
	int seen;
	/* Growth: the base at MARK_AT, a new mark every FLOOD_MS. */
	uint64_t mark_base;
	uint64_t mark_at;
};

struct history_feed {
	struct hf_pane *pane;
	size_t npanes;
	size_t next; /* round robin: the pane served first next time */
	int limit_sent;
	unsigned limit;
	/* The flood: when a pane last grew that fast (valid if GREW). */
	int grew;
	uint64_t grew_at;
	int flood;
	uint64_t now; /* of the last update */
	/* The pane lookup's scratch. */
	struct pane *src_pane;
	struct clusters *cl;
	struct cell *cells;
	unsigned ncells;
};

struct history_feed *history_feed_create(void)
{
	return xcalloc(1, sizeof(struct history_feed));
}

void history_feed_free(struct history_feed *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->npanes; i++)
		free(f->pane[i].r);
	free(f->pane);
	if (f->cl != NULL)
		clusters_free(f->cl);
	free(f->cells);
	free(f);
}

/* --- the interval set --- */

/* Index of the first range whose hi is above LINE (n if none). */
static size_t range_find(const struct hf_pane *p, uint64_t line)
{
	size_t a = 0, b = p->n;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (p->r[m].hi <= line)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static int range_has(const struct hf_pane *p, uint64_t line)
{
	size_t i = range_find(p, line);

	return i < p->n && p->r[i].lo <= line;
}

static void range_add(struct hf_pane *p, uint64_t lo, uint64_t hi)
{
	size_t i = range_find(p, lo), j;

	if (lo >= hi)
		return;
	/* Ranges i.. with lo <= HI merge with the new one (touching too). */
	if (i > 0 && p->r[i - 1].hi == lo)
		i--;
	j = i;
	while (j < p->n && p->r[j].lo <= hi) {
		lo = RMUX_MIN(lo, p->r[j].lo);
		hi = RMUX_MAX(hi, p->r[j].hi);
		j++;
	}
	if (j == i) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 8;
			p->r = xreallocarray(p->r, p->cap, sizeof *p->r);
		}
		memmove(&p->r[i + 1], &p->r[i], (p->n - i) * sizeof *p->r);
		p->n++;
	} else if (j > i + 1) {
		memmove(&p->r[i + 1], &p->r[j], (p->n - j) * sizeof *p->r);
		p->n -= j - i - 1;
	}
	p->r[i].lo = lo;
	p->r[i].hi = hi;
}

/* The highest unsent line in [LO, HI), or 0 with nothing. */
static int highest_unsent(const struct hf_pane *p, uint64_t lo, uint64_t hi, uint64_t *out)
{
	size_t i;

	if (lo >= hi)
		return 0;
	i = range_find(p, hi - 1);
	if (i < p->n && p->r[i].lo <= hi - 1) {
		if (p->r[i].lo <= lo)
			return 0;
		*out = p->r[i].lo - 1;
		return 1;
	}
	*out = hi - 1;
	return 1;
}

/* The lowest unsent line in [LO, HI), or 0 with nothing. */
static int lowest_unsent(const struct hf_pane *p, uint64_t lo, uint64_t hi, uint64_t *out)
{
	size_t i;

	if (lo >= hi)
		return 0;
	i = range_find(p, lo);
	if (i < p->n && p->r[i].lo <= lo) {
		if (p->r[i].hi >= hi)
			return 0;
		*out = p->r[i].hi;
		return 1;
	}
	*out = lo;
	return 1;
}

/* --- chunks --- */

/* One chunk of unsent lines from START, going DOWN or up, within [LO,
 * HI). Returns the lines added to the stream (0: the stream is full). */
static size_t send_chunk(struct hf_pane *p, struct history_stream *stream,
    const struct history_feed_source *src, uint64_t start, int down, uint64_t lo, uint64_t hi)
{
	struct buf *line = NULL;
	size_t nline = 0, cap = 0, bytes = 0, sent = 0;
	uint64_t at = start, first;
	struct history_chunk c;

	while (at >= lo && at < hi && !range_has(p, at) && nline < HISTORY_CHUNK_LINES_MAX &&
	    bytes < HISTORY_FEED_CHUNK_BYTES) {
		int wrapped = 0;
		struct view_row *r = src->get(src->arg, at, &wrapped);

		if (r == NULL)
			break;
		if (nline == cap) {
			cap = cap ? cap * 2 : 32;
			line = xreallocarray(line, cap, sizeof *line);
		}
		buf_init(&line[nline]);
		history_line_encode(r, wrapped, &line[nline]);
		view_row_unref(r);
		bytes += line[nline].len;
		nline++;
		if (down) {
			if (at == 0)
				break;
			at--;
		} else
			at++;
	}
	if (nline == 0)
		return 0;
	first = down ? start - (nline - 1) : start;
	history_chunk_init(&c, p->id, p->gen, first);
	for (size_t k = 0; k < nline; k++) {
		struct buf *b = &line[down ? nline - 1 - k : k];

		history_chunk_add_encoded(&c, b->data, b->len);
	}
	if (history_stream_add_chunk(stream, &c) == 0) {
		range_add(p, first, first + nline);
		sent = nline;
	}
	history_chunk_free(&c);
	for (size_t k = 0; k < nline; k++)
		buf_free(&line[k]);
	free(line);
	return sent;
}

/* The next chunk of one pane by the priority rules; lines added. In a
 * FLOOD only the want is served. */
static size_t pane_next(struct hf_pane *p, struct history_stream *stream,
    const struct history_feed_source *src, const struct history_want *want, unsigned limit,
    int live_busy, int flood)
{
	uint64_t base = src->base, lo, at;
	uint64_t page = RMUX_MAX(src->rows, 1u);

	lo = base - RMUX_MIN((uint64_t)src->size, base);
	if (base - lo > limit)
		lo = base - limit;
	if (lo >= base)
		return 0;
	/* (1) Around the want: its page, the page above, the page below. */
	if (want != NULL && want->gen == src->gen) {
		uint64_t w = RMUX_CLAMP(want->line, lo, base);
		uint64_t above = w - RMUX_MIN(w - lo, page);

		if (lowest_unsent(p, w, RMUX_MIN(w + page, base), &at))
			return send_chunk(p, stream, src, at, 0, lo, RMUX_MIN(w + page, base));
		if (highest_unsent(p, above, w, &at))
			return send_chunk(p, stream, src, at, 1, above, w);
		if (lowest_unsent(p, w, RMUX_MIN(w + 2 * page, base), &at))
			return send_chunk(p, stream, src, at, 0, lo, RMUX_MIN(w + 2 * page, base));
	}
	if (flood)
		return 0;
	/* (2) The newest lines just above the screen, downwards. */
	{
		uint64_t near = base - RMUX_MIN((uint64_t)HISTORY_FEED_NEAR, base - lo);

		if (highest_unsent(p, near, base, &at))
			return send_chunk(p, stream, src, at, 1, near, base);
	}
	/* (3) In idle time, older lines down to base - limit. */
	if (!live_busy && highest_unsent(p, lo, base, &at))
		return send_chunk(p, stream, src, at, 1, lo, base);
	return 0;
}

static struct hf_pane *feed_pane(struct history_feed *f, uint32_t id, uint32_t gen,
    uint64_t base, uint64_t now)
{
	struct hf_pane *p = NULL;

	for (size_t i = 0; i < f->npanes; i++) {
		if (f->pane[i].id == id) {
			p = &f->pane[i];
			break;
		}
	}
	if (p == NULL) {
		f->pane = xreallocarray(f->pane, f->npanes + 1, sizeof *f->pane);
		p = &f->pane[f->npanes++];
		memset(p, 0, sizeof *p);
		p->id = id;
		p->gen = gen;
		p->mark_base = base;
		p->mark_at = now;
	}
	if (p->gen != gen) {
		/* A new generation: every line is new to the client, and
		 * growth counts from here. */
		p->n = 0;
		p->gen = gen;
		p->mark_base = base;
		p->mark_at = now;
	}
	p->seen = 1;
	return p;
}

/* Measure pane P's growth up to BASE at NOW: a flood when it grew by
 * HISTORY_FEED_FLOOD_LINES since a mark at most FLOOD_MS old (after a
 * quiet spell the mark is older: one burst of output is no flood, a
 * stream of them is one from its second pass). */
static void feed_growth(struct history_feed *f, struct hf_pane *p, uint64_t base, uint64_t now)
{
	if (base < p->mark_base || now < p->mark_at) {
		/* Cleared or reflowed (a new generation), or a clock step. */
		p->mark_base = base;
		p->mark_at = now;
		return;
	}
	if (base - p->mark_base >= HISTORY_FEED_FLOOD_LINES &&
	    now - p->mark_at <= HISTORY_FEED_FLOOD_MS) {
		f->grew = 1;
		f->grew_at = now;
		p->mark_base = base;
		p->mark_at = now;
	} else if (now - p->mark_at >= HISTORY_FEED_FLOOD_MS) {
		p->mark_base = base;
		p->mark_at = now;
	}
}

static void feed_sweep(struct history_feed *f)
{
	size_t i = 0;

	while (i < f->npanes) {
		if (f->pane[i].seen) {
			i++;
			continue;
		}
		free(f->pane[i].r);
		f->pane[i] = f->pane[--f->npanes];
	}
}

int history_feed_flood(const struct history_feed *f)
{
	return f->flood;
}

uint64_t history_feed_wake(const struct history_feed *f)
{
	uint64_t end = f->grew_at + HISTORY_FEED_FLOOD_MS;

	return f->flood && f->grew && end > f->now ? end : UINT64_MAX;
}

size_t history_feed_update(struct history_feed *f, struct history_stream *stream,
    const uint32_t *ids, size_t nids, history_feed_lookup lookup, void *arg,
    const struct history_wants *wants, unsigned limit, int live_busy, uint64_t now)
{
	size_t window, added = 0, idle = 0, k;

	limit = RMUX_MIN(limit, HISTORY_LIMIT_MAX);
	f->now = now;
	for (size_t i = 0; i < f->npanes; i++)
		f->pane[i].seen = 0;
	for (size_t i = 0; i < nids; i++) {
		struct history_feed_source src;

		if (lookup(arg, ids[i], &src))
			feed_growth(f, feed_pane(f, ids[i], src.gen, src.base, now), src.base, now);
	}
	feed_sweep(f);
	/* In a flood until the growth has stopped and the live view caught
	 * up; a flood never starts from an unacknowledged live view alone
	 * (a typed command's echo is not one). */
	if (f->grew && now >= f->grew_at && now - f->grew_at < HISTORY_FEED_FLOOD_MS)
		f->flood = 1;
	else if (!live_busy)
		f->flood = 0;
	window = live_busy || f->flood ? HISTORY_FEED_BUSY_WINDOW : HISTORY_FEED_WINDOW;
	if (!f->limit_sent || f->limit != limit) {
		if (history_stream_add_limit(stream, limit) != 0)
			return 0;
		f->limit_sent = 1;
		f->limit = limit;
	}
	if (limit == 0 || nids == 0)
		return 0;
	/* Round robin over the panes, a chunk each, until the window is full
	 * or no pane has anything due. */
	k = f->next % nids;
	while (history_stream_wire(stream) < window && idle < nids) {
		struct history_feed_source src;
		struct hf_pane *p;
		size_t n = 0;
		uint32_t id = ids[k];

		k = (k + 1) % nids;
		if (lookup(arg, id, &src)) {
			p = feed_pane(f, id, src.gen, src.base, now);
			n = pane_next(p, stream, &src, wants != NULL ? history_wants_find(wants, id) : NULL,
			    limit, live_busy, f->flood);
		}
		if (n == 0)
			idle++;
		else {
			idle = 0;
			added += n;
		}
	}
	f->next = k;
	return added;
}

/* --- the daemon's panes --- */

static struct view_row *pane_get(void *arg, uint64_t line, int *wrapped)
{
	struct history_feed *f = arg;
	struct pane *p = f->src_pane;
	const struct history *h = vt_screen(p->vt)->history;
	unsigned cols = RMUX_MAX(1u, RMUX_MIN(p->sx, (unsigned)VIEW_COLS_MAX));
	uint64_t total = history_total(h), first = total - history_size(h);
	uint32_t flags = 0;
	struct view_row *r;

	if (line < first || line >= total)
		return NULL;
	if (f->ncells < cols) {
		f->cells = xreallocarray(f->cells, cols, sizeof *f->cells);
		f->ncells = cols;
	}
	/* Rows take their clusters' text: the table can start afresh. */
	if (f->cl != NULL && clusters_full(f->cl)) {
		clusters_free(f->cl);
		f->cl = NULL;
	}
	if (f->cl == NULL)
		f->cl = clusters_create();
	if (history_get(h, (unsigned)(line - first), f->cells, cols, &flags, f->cl) < 0)
		return NULL;
	r = view_row_from_cells(f->cells, cols, f->cl);
	*wrapped = (flags & ROW_WRAPPED) != 0;
	return r;
}

int history_feed_pane_lookup(void *arg, uint32_t id, struct history_feed_source *src)
{
	struct history_feed *f = arg;
	struct pane *p = pane_find((int)id);
	const struct history *h;

	if (p == NULL || (h = vt_screen(p->vt)->history) == NULL)
		return 0;
	f->src_pane = p;
	src->gen = pane_history_gen(p);
	src->base = history_total(h);
	src->size = history_size(h);
	src->rows = p->sy;
	src->get = pane_get;
	src->arg = f;
	return 1;
}
