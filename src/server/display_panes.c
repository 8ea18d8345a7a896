/* display_panes.c — the display-panes overlay (see display_panes.h). */
#include "server/display_panes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "net/view.h"
#include "server/daemon.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/window.h"
#include "term/key_string.h"

#define DP_DIGIT 5 /* each digit is 5 x 5 cells, 6 apart */

struct display_panes {
	int session_id;
	int shown;
	int keys;
	char *template;
	uint64_t serial;
	struct event *timer;
};

/* The digits of a clock face, one bit a cell, left to right from the
 * high bit of each row's five. */
static const uint8_t dp_font[10][DP_DIGIT] = {
	{ 0x1f, 0x11, 0x11, 0x11, 0x1f }, { 0x01, 0x01, 0x01, 0x01, 0x01 },
	{ 0x1f, 0x01, 0x1f, 0x10, 0x1f }, { 0x1f, 0x01, 0x1f, 0x01, 0x1f },
	{ 0x11, 0x11, 0x1f, 0x01, 0x01 }, { 0x1f, 0x10, 0x1f, 0x01, 0x1f },
	{ 0x1f, 0x10, 0x1f, 0x11, 0x1f }, { 0x1f, 0x01, 0x01, 0x01, 0x01 },
	{ 0x1f, 0x11, 0x1f, 0x11, 0x1f }, { 0x1f, 0x11, 0x1f, 0x01, 0x1f },
};

static struct display_panes *dp_state(struct session *s)
{
	if (s->panes_overlay == NULL) {
		s->panes_overlay = xcalloc(1, sizeof *s->panes_overlay);
		s->panes_overlay->session_id = s->id;
	}
	return s->panes_overlay;
}

static void dp_stop_timer(struct display_panes *dp)
{
	if (dp->timer != NULL) {
		event_free(dp->timer);
		dp->timer = NULL;
	}
}

static void dp_set_shown(struct display_panes *dp, int shown)
{
	if (!shown)
		dp_stop_timer(dp);
	if (dp->shown == shown)
		return;
	dp->shown = shown;
	dp->serial++;
	daemon_wake();
}

static void dp_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct display_panes *dp = arg;

	(void)fd, (void)what;
	dp_set_shown(dp, 0);
}

void display_panes_open(struct session *s, long duration_ms, const char *template, int keys)
{
	struct display_panes *dp = dp_state(s);

	free(dp->template);
	dp->template = xstrdup(template != NULL ? template : DISPLAY_PANES_TEMPLATE);
	dp->keys = keys;
	dp_stop_timer(dp);
	if (dp->shown) /* shown again: the new timer counts from now */
		dp->serial++;
	dp_set_shown(dp, 1);
	if (duration_ms > 0 && daemon_base() != NULL) {
		struct timeval tv = { duration_ms / 1000, (duration_ms % 1000) * 1000 };

		dp->timer = evtimer_new(daemon_base(), dp_timer_cb, dp);
		evtimer_add(dp->timer, &tv);
	}
}

void display_panes_close(struct session *s)
{
	if (s->panes_overlay != NULL)
		dp_set_shown(s->panes_overlay, 0);
}

uint64_t display_panes_serial(const struct session *s)
{
	return s->panes_overlay != NULL ? s->panes_overlay->serial : 0;
}

int display_panes_shown(const struct session *s)
{
	return s->panes_overlay != NULL && s->panes_overlay->shown;
}

void display_panes_free(struct session *s)
{
	struct display_panes *dp = s->panes_overlay;

	if (dp == NULL)
		return;
	dp_stop_timer(dp);
	free(dp->template);
	free(dp);
	s->panes_overlay = NULL;
}

/* The index a key names: 0-9, then a-z for 10 and up; -1 for any other. */
static int dp_key_index(uint64_t key)
{
	if (key >= '0' && key <= '9')
		return (int)(key - '0');
	if (key >= 'a' && key <= 'z')
		return 10 + (int)(key - 'a');
	return -1;
}

int display_panes_key(struct session *s, struct pane **pp, uint64_t key)
{
	struct display_panes *dp = s->panes_overlay;
	struct window *w = s->cur;
	struct pane *p;
	char id[16], *cmd;
	int index, sid = s->id;
	long base;

	if (dp == NULL || !dp->shown)
		return 0;
	dp_set_shown(dp, 0);
	index = dp_key_index(key);
	if (!dp->keys || index < 0 || w == NULL)
		return 0;
	base = options_get_number(w->options, "pane-base-index");
	p = index >= base ? window_pane_at(w, (size_t)(index - base)) : NULL;
	if (p != NULL) {
		layout_unzoom(w->layout);
		window_apply_layout(w);
		snprintf(id, sizeof id, "%%%d", p->id);
		cmd = prompt_template_replace(dp->template, id, 1);
		prompt_run_text(sid, p->id, cmd);
		free(cmd);
	}
	s = session_find_id(sid);
	*pp = s != NULL && s->cur != NULL ? s->cur->active : NULL;
	return 1;
}

/* ---- drawing ---- */

struct dp_canvas {
	struct view *v;
	struct view_pane *vp;
	struct view_row **row; /* rows being rewritten, NULL: untouched */
};

static void dp_put(struct dp_canvas *cv, unsigned x, unsigned y, char ch, uint32_t fg, uint32_t bg)
{
	struct cell c = cell_blank(NULL);

	if (x >= cv->vp->cols || y >= cv->vp->rows)
		return;
	if (cv->row[y] == NULL) {
		const struct view_row *old = cv->vp->line[y];
		char text[CLUSTER_MAX_BYTES];

		cv->row[y] = view_row_create(cv->vp->cols);
		for (unsigned i = 0; i < cv->vp->cols && i < view_row_cols(old); i++) {
			struct cell oc = *view_row_cell(old, i);
			size_t len = view_row_text(old, i, text);

			view_row_set(cv->row[y], i, &oc, text, len);
		}
	}
	c.ch = (unsigned char)ch;
	c.fg = fg;
	c.bg = bg;
	view_row_set(cv->row[y], x, &c, NULL, 0);
}

static void dp_text(struct dp_canvas *cv, unsigned x, unsigned y, const char *t, uint32_t fg)
{
	for (; *t != '\0'; t++, x++)
		dp_put(cv, x, y, *t, fg, COLOUR_DEFAULT);
}

void display_panes_draw(const struct session *s, const struct pane *p, struct view *v,
    struct view_pane *vp)
{
	const struct window *w = s->cur;
	struct dp_canvas cv = { v, vp, NULL };
	char num[16], size[32], letter[2] = { 0, 0 };
	unsigned sx = vp->cols, sy = vp->rows, len, px, py;
	uint32_t colour;
	int index;

	if (!display_panes_shown(s) || w == NULL || p->window != w || sx == 0 || sy == 0)
		return;
	index = window_pane_index(w, p);
	if (index < 0)
		return;
	index += (int)options_get_number(w->options, "pane-base-index");
	colour = options_colour_to_cell(options_get_number(s->options,
	    p == w->active ? "display-panes-active-colour" : "display-panes-colour"));
	len = (unsigned)snprintf(num, sizeof num, "%d", index);
	snprintf(size, sizeof size, "%ux%u", p->sx, p->sy);
	if (index > 9 && index < 36)
		letter[0] = (char)('a' + index - 10);
	if (sx < len)
		return;
	cv.row = xcalloc(sy, sizeof *cv.row);
	px = sx / 2;
	py = sy / 2;
	if (sx < len * 6 || sy < DP_DIGIT) {
		/* No room for the large digits: the number as text, with a
		 * space and the letter after it where they fit, centred as a
		 * whole (as tmux draws it). */
		unsigned llen = letter[0] != '\0', x;

		if (sx >= len + llen + 1) {
			x = px - (len + llen + 1) / 2;
			dp_text(&cv, x, py, num, colour);
			dp_text(&cv, x + len, py, " ", colour);
			dp_text(&cv, x + len + 1, py, letter, colour);
		} else
			dp_text(&cv, px - len / 2, py, num, colour);
	} else {
		unsigned x0 = px - len * 3, y0 = py - 2;

		for (unsigned i = 0; i < len; i++) {
			const uint8_t *g = dp_font[num[i] - '0'];

			for (unsigned j = 0; j < DP_DIGIT; j++) {
				for (unsigned k = 0; k < DP_DIGIT; k++) {
					if (g[j] & (0x10 >> k))
						dp_put(&cv, x0 + i * 6 + k, y0 + j, ' ', COLOUR_DEFAULT,
						    colour);
				}
			}
		}
		if (sy > 6 && sx >= strlen(size))
			dp_text(&cv, sx - (unsigned)strlen(size), 0, size, colour);
		if (sy > 6 && letter[0] != '\0')
			dp_text(&cv, px + len * 3 - 2, y0 + DP_DIGIT, letter, colour);
	}
	for (unsigned y = 0; y < sy; y++) {
		if (cv.row[y] == NULL)
			continue;
		if (view_row_equal(cv.row[y], vp->line[y]))
			view_row_unref(cv.row[y]);
		else
			view_set_pane_row(v, vp, y, cv.row[y]);
	}
	free(cv.row);
}
