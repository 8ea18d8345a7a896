/* native_history.c — lines that leave a single pane's screen written into
 * the local terminal's scrollback (see native_history.h). */
#include "client/native_history.h"

#include <stdlib.h>
#include <string.h>

#include "client/display.h"
#include "common/xmalloc.h"
#include "term/clusters.h"

struct native_history {
	int on;
	int following; /* pane and gen below are set */
	uint32_t pane, gen;
	uint64_t next; /* the next line to write */
};

struct native_history *native_history_create(int on)
{
	struct native_history *nh = xcalloc(1, sizeof *nh);

	nh->on = on != 0;
	return nh;
}

void native_history_free(struct native_history *nh)
{
	free(nh);
}

void native_history_set(struct native_history *nh, int on)
{
	if (!on)
		nh->following = 0;
	nh->on = on != 0;
}

int native_history_on(const struct native_history *nh)
{
	return nh->on;
}

uint64_t native_history_next(const struct native_history *nh)
{
	return nh->next;
}

/* R without trailing blanks, in its colours and renditions as CAPS can
 * show them (NULL: the text alone), ending with the default pen. Hyperlinks
 * and control characters are not written. */
static void put_row(struct buf *out, const struct view_row *r, const struct tty_caps *caps)
{
	unsigned n = view_row_cols(r);
	char text[CLUSTER_MAX_BYTES];
	struct cell pen;
	int pen_known = 0;

	while (n > 0) {
		const struct cell *c = view_row_cell(r, n - 1);

		if ((c->attr & (CELL_CLUSTER | CELL_WIDE_TAIL)) || (c->ch != ' ' && c->ch != 0) ||
		    c->bg != COLOUR_DEFAULT)
			break;
		n--;
	}
	for (unsigned x = 0; x < n; x++) {
		size_t len = view_row_text(r, x, text);

		if (len == 0)
			continue; /* a wide character's tail */
		if (caps != NULL) {
			struct cell c = *view_row_cell(r, x);

			display_map_cell(caps, &c);
			display_sgr(caps, pen_known ? &pen : NULL, &c, out);
			pen = c;
			pen_known = 1;
		}
		if (len == 1 && (unsigned char)text[0] < 0x20)
			text[0] = ' ';
		buf_add(out, text, len);
	}
	if (pen_known)
		buf_add_printf(out, "\033[m");
}

unsigned native_history_write(struct native_history *nh, const struct view *v,
    const struct mirror *m, unsigned rows, int altscreen, const struct tty_caps *caps,
    struct buf *out)
{
	const struct view_pane *p;
	const struct view_row *r;
	unsigned n = 0;
	uint32_t gen;
	uint64_t lowest, highest;

	if (!nh->on || m == NULL || v->npanes != 1 || rows == 0)
		return 0;
	p = &v->pane[0];
	/* Copy mode and full-screen programs do not scroll lines off. */
	if (p->flags & (VIEW_PANE_COPY_MODE | VIEW_PANE_ALT_SCREEN))
		return 0;
	if (!nh->following || nh->pane != p->id || nh->gen != p->hist_gen) {
		nh->following = 1;
		nh->pane = p->id;
		nh->gen = p->hist_gen;
		nh->next = p->hist_base;
		return 0;
	}
	/* Lines the mirror dropped before they could be written are lost:
	 * go on from the oldest it holds. */
	if (mirror_range(m, p->id, &gen, &lowest, &highest) && gen == p->hist_gen &&
	    lowest > nh->next && mirror_get(m, p->id, p->hist_gen, nh->next, NULL) == NULL &&
	    p->hist_base - nh->next > mirror_limit(m))
		nh->next = lowest;
	while (nh->next < p->hist_base && n < NATIVE_HISTORY_BATCH) {
		r = mirror_get(m, p->id, p->hist_gen, nh->next, NULL);
		if (r == NULL)
			break; /* in order: wait for it */
		if (n == 0) {
			if (altscreen)
				buf_add_printf(out, "\033[?1049l");
			/* Full-screen scroll region, no pen. */
			buf_add_printf(out, "\033[r\033[m");
		}
		/* The line on the top row, then the screen scrolled up one:
		 * the top row goes into the terminal's scrollback. */
		buf_add_printf(out, "\033[H\033[2K");
		put_row(out, r, caps);
		buf_add_printf(out, "\033[%u;1H\n", rows);
		nh->next++;
		n++;
	}
	if (n > 0 && altscreen)
		buf_add_printf(out, "\033[?1049h");
	return n;
}
