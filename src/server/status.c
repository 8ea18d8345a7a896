/* status.c — the status line, messages and the prompt (see status.h).
 * The sections and how they are trimmed and placed (left and right first
 * for a list, the list scrolled to keep the current window in view with <
 * and > at the cut ends) follow tmux 3.3a's default status-format, checked
 * by capturing real tmux inside another tmux. */
#include "server/status.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/format.h"
#include "server/style.h"
#include "term/utf8.h"

/* A string option, or FALLBACK if the option table lacks NAME. */
static const char *opt_str(const struct options *oo, const char *name, const char *fallback)
{
	const char *cause;

	if (oo == NULL || options_table_find(name, &cause) == NULL)
		return fallback;
	return options_get_string(oo, name);
}

static long long opt_num(const struct options *oo, const char *name, long long fallback)
{
	const char *cause;

	if (oo == NULL || options_table_find(name, &cause) == NULL)
		return fallback;
	return options_get_number(oo, name);
}

struct lookup_arg {
	const struct status_input *in;
	const struct status_window *w;
	int end; /* the window is the last one */
};

static char *lookup(const char *name, void *arg)
{
	const struct lookup_arg *la = arg;
	const struct status_window *w = la->w;

	if (strcmp(name, "session_name") == 0)
		return xstrdup(la->in->session_name != NULL ? la->in->session_name : "");
	if (w != NULL) {
		if (strcmp(name, "window_index") == 0)
			return xasprintf("%d", w->index);
		if (strcmp(name, "window_name") == 0)
			return xstrdup(w->name != NULL ? w->name : "");
		if (strcmp(name, "window_flags") == 0)
			return xstrdup(w->flags != NULL ? w->flags : "");
		if (strcmp(name, "window_active") == 0)
			return xstrdup(w->current ? "1" : "0");
		if (strcmp(name, "window_last_flag") == 0)
			return xstrdup(w->last ? "1" : "0");
		if (strcmp(name, "window_end_flag") == 0)
			return xstrdup(la->end ? "1" : "0");
	}
	if (la->in->lookup != NULL)
		return la->in->lookup(name, w, la->in->arg);
	return NULL;
}

/* Expand FMT (strftime first, as tmux does for the status line) and draw
 * it with BASE; keep at most MAX columns from the left. */
static void draw_format(struct style_cells *sc, const struct status_input *in,
    const struct status_window *w, int end, const char *fmt, const struct pen *base,
    unsigned max)
{
	struct lookup_arg la = { in, w, end };
	struct format_ctx ctx = { lookup, &la };
	char *text = format_expand_time(fmt, &ctx, in->now);

	style_draw(sc, base, text);
	free(text);
	if (sc->n > max) {
		sc->n = max;
		/* Never keep half of a wide character. */
		if (sc->n > 0 && (sc->cells[sc->n - 1].attr & CELL_WIDE)) {
			sc->cells[sc->n - 1].ch = ' ';
			sc->cells[sc->n - 1].attr &= (uint16_t)~CELL_WIDE;
		}
	}
}

static void append(struct style_cells *to, const struct style_cells *from)
{
	if (to->n + from->n > to->cap) {
		to->cap = to->n + from->n + 64;
		to->cells = xreallocarray(to->cells, to->cap, sizeof *to->cells);
	}
	memcpy(to->cells + to->n, from->cells, from->n * sizeof *from->cells);
	to->n += from->n;
}

/* Copy COUNT cells of SC from FROM to OUT at column AT (within WIDTH). */
static void put(struct cell *out, unsigned width, unsigned at, const struct style_cells *sc,
    unsigned from, unsigned count)
{
	for (unsigned i = 0; i < count && from + i < sc->n && at + i < width; i++) {
		struct cell c = sc->cells[from + i];
		/* A wide character cut at either edge shows as a blank. */
		if ((i == 0 && (c.attr & CELL_WIDE_TAIL)) || (i == count - 1 && (c.attr & CELL_WIDE))) {
			c.ch = ' ';
			c.attr &= (uint16_t)~(CELL_WIDE | CELL_WIDE_TAIL);
		}
		out[at + i] = c;
	}
}

/* The list in LISTW columns at column AT: whole if it fits, else scrolled
 * so the focus is in the middle where possible, with markers at the cut
 * ends. */
static void put_list(struct cell *out, unsigned width, unsigned at, unsigned listw,
    const struct style_cells *list, const struct style_cells *lm, const struct style_cells *rm,
    int fstart, int fend)
{
	unsigned start, centre;

	if (listw >= list->n) {
		put(out, width, at, list, 0, listw);
		return;
	}
	centre = (unsigned)fstart + (unsigned)(fend - fstart) / 2;
	start = centre < listw / 2 ? 0 : centre - listw / 2;
	if (start + listw > list->n)
		start = list->n - listw;
	if (start != 0 && listw > lm->n) {
		put(out, width, at, lm, 0, lm->n);
		at += lm->n;
		start += lm->n;
		listw -= lm->n;
	}
	if (start + listw < list->n && listw > rm->n) {
		put(out, width, at + listw - rm->n, rm, 0, rm->n);
		listw -= rm->n;
	}
	put(out, width, at, list, start, listw);
}

void status_render(const struct status_input *in, unsigned width, struct cell *out)
{
	const struct options *oo = in->oo;
	struct pen base = style_pen(NULL, opt_str(oo, "status-style", "bg=green,fg=black"));
	struct style_cells left, right, list = { 0 }, lm, rm;
	unsigned wl, wr, wlist;
	int justify = (int)opt_num(oo, "status-justify", 0);

	for (unsigned x = 0; x < width; x++) {
		struct cell c = { ' ', base.fg, base.bg, base.attr, 0 };
		out[x] = c;
	}

	struct pen lpen = style_pen(&base, opt_str(oo, "status-left-style", "default"));
	struct pen rpen = style_pen(&base, opt_str(oo, "status-right-style", "default"));
	draw_format(&left, in, NULL, 0, opt_str(oo, "status-left", "[#S] "), &lpen,
	    (unsigned)opt_num(oo, "status-left-length", 10));
	draw_format(&right, in, NULL, 0, opt_str(oo, "status-right", ""), &rpen,
	    (unsigned)opt_num(oo, "status-right-length", 40));
	style_draw(&lm, &base, "<");
	style_draw(&rm, &base, ">");

	/* The window list: each entry in its style, then the separator. */
	list.focus_start = list.focus_end = -1;
	for (unsigned i = 0; i < in->nwindows; i++) {
		const struct status_window *w = &in->windows[i];
		const struct options *wo = w->oo != NULL ? w->oo : oo;
		const char *flags = w->flags != NULL ? w->flags : "";
		const char *sty = opt_str(wo, "window-status-style", "default");
		const char *fmt;
		struct style_cells one, sep;

		if (w->current) {
			const char *cur = opt_str(wo, "window-status-current-style", "default");
			if (strcmp(cur, "default") != 0)
				sty = cur;
			fmt = opt_str(wo, "window-status-current-format",
			    "#I:#W#{?window_flags,#{window_flags}, }");
		} else
			fmt = opt_str(wo, "window-status-format", "#I:#W#{?window_flags,#{window_flags}, }");
		struct pen pen = style_pen(&base, sty);
		const char *extra = NULL;
		if (w->last)
			extra = opt_str(wo, "window-status-last-style", "default");
		if (strchr(flags, '!') != NULL)
			extra = opt_str(wo, "window-status-bell-style", "reverse");
		else if (strchr(flags, '#') != NULL || strchr(flags, '~') != NULL)
			extra = opt_str(wo, "window-status-activity-style", "reverse");
		if (extra != NULL && strcmp(extra, "default") != 0)
			pen = style_pen(&pen, extra);

		draw_format(&one, in, w, i + 1 == in->nwindows, fmt, &pen, (unsigned)-1);
		if (w->current) {
			list.focus_start = (int)list.n;
			list.focus_end = (int)(list.n + one.n);
		}
		append(&list, &one);
		style_cells_free(&one);
		if (i + 1 != in->nwindows) {
			draw_format(&sep, in, w, 0, opt_str(wo, "window-status-separator", " "), &base,
			    (unsigned)-1);
			append(&list, &sep);
			style_cells_free(&sep);
		}
	}

	/* Trim: the list first (for the centre and absolute-centre too), then
	 * the right, then the left. */
	wl = left.n;
	wr = right.n;
	wlist = list.n;
	while (wl + wr + wlist > width) {
		if (wlist > 0)
			wlist--;
		else if (wr > 0)
			wr--;
		else
			wl--;
	}
	put(out, width, 0, &left, 0, wl);
	put(out, width, width - wr, &right, right.n - wr, wr);
	if (wlist != 0) {
		int fs = list.focus_start, fe = list.focus_end;
		unsigned at;

		if (justify == 1 || justify == 3) {
			unsigned middle = justify == 1 ? wl + ((width - wr) - wl) / 2 : width / 2;
			at = middle - wlist / 2;
			if (justify == 3 && at < wl)
				at = wl;
			if (justify == 3 && at + wlist > width - wr)
				at = width - wr - wlist;
			if (fs == -1)
				fs = fe = (int)list.n / 2;
		} else {
			at = justify == 2 ? width - wr - wlist : wl;
			if (fs == -1)
				fs = fe = 0;
		}
		put_list(out, width, at, wlist, &list, &lm, &rm, fs, fe);
	}
	style_cells_free(&left);
	style_cells_free(&right);
	style_cells_free(&list);
	style_cells_free(&lm);
	style_cells_free(&rm);
}

static void fill(struct cell *out, unsigned width, const struct pen *pen)
{
	for (unsigned x = 0; x < width; x++) {
		struct cell c = { ' ', pen->fg, pen->bg, pen->attr, 0 };
		out[x] = c;
	}
}

void status_render_message(const struct options *oo, const char *text, unsigned width,
    struct cell *out)
{
	struct pen pen = style_pen(NULL, opt_str(oo, "message-style", "bg=yellow,fg=black"));
	struct style_cells sc;

	fill(out, width, &pen);
	style_draw(&sc, &pen, text);
	put(out, width, 0, &sc, 0, sc.n < width ? sc.n : width);
	style_cells_free(&sc);
}

void status_render_prompt(const struct options *oo, const char *prompt, const char *input,
    unsigned cursor, unsigned width, struct cell *out)
{
	struct pen pen = style_pen(NULL, opt_str(oo, "message-style", "bg=yellow,fg=black"));
	struct style_cells ps, is = { 0 };
	size_t len = strlen(input), off = 0;
	unsigned chars = 0, cursor_cell = 0, start = 0, avail;

	fill(out, width, &pen);
	style_draw(&ps, &pen, prompt);
	if (ps.n > width)
		ps.n = width;
	put(out, width, 0, &ps, 0, ps.n);
	avail = width - ps.n;

	/* The input as plain text (no markers), noting where the cursor is. */
	while (off < len) {
		uint32_t cp;
		if (chars == cursor)
			cursor_cell = is.n;
		off += utf8_decode((const uint8_t *)input + off, len - off, &cp);
		char buf[5] = { 0 };
		utf8_encode(cp, buf);
		struct style_cells one;
		style_draw(&one, &pen, buf);
		append(&is, &one);
		style_cells_free(&one);
		chars++;
	}
	if (cursor >= chars)
		cursor_cell = is.n;
	if (avail == 0)
		goto out;
	if (cursor_cell >= avail)
		start = cursor_cell - avail + 1;
	put(out, width, ps.n, &is, start, is.n - start < avail ? is.n - start : avail);
	unsigned cx = ps.n + cursor_cell - start;
	if (cx < width) {
		out[cx].attr ^= ATTR_REVERSE;
		if ((out[cx].attr & CELL_WIDE) && cx + 1 < width)
			out[cx + 1].attr ^= ATTR_REVERSE;
	}
out:
	style_cells_free(&ps);
	style_cells_free(&is);
}
