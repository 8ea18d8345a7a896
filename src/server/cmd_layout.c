/* cmd_layout.c — commands that move and size panes: resize-pane (and its
 * zoom), select-layout, next-layout, previous-layout, resize-window, rotate-window,
 * swap-pane, break-pane, join-pane (move-pane) and respawn-pane. The
 * arithmetic is the layout module's; this file finds the panes, keeps
 * the windows' pane lists in step and reports as tmux 3.3a does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/keys.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/pty.h"
#include "server/session.h"
#include "server/window.h"

/* "N" or "N%" of BASE, as -x and -y take them. */
static int size_arg(struct cmd_ctx *ctx, const char *what, const char *s, unsigned base,
    unsigned *out)
{
	const char *why;
	int v;

	if (layout_parse_size(s, base, &v, &why) != 0 || v < 1) {
		cmd_error(ctx, "%s %s", what, v < 1 && why == NULL ? "too small" : why);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int cmd_resize_pane(struct cmd_ctx *ctx, struct args *a)
{
	static const char dirs[] = "LRUD";
	static const int dir_of[] = { LAYOUT_DIR_LEFT, LAYOUT_DIR_RIGHT, LAYOUT_DIR_UP,
		LAYOUT_DIR_DOWN };
	struct session *s;
	struct window *w;
	struct pane *p;
	unsigned sx, sy, v;
	long adjust = 1;
	size_t i;

	if (args_has(a, 'M')) {
		/* A border dragged with the mouse: further motion of the
		 * drag moves it (the key path's). */
		if (keys_mouse_target(NULL, NULL, NULL, NULL, NULL) == 0)
			keys_mouse_drag(KEYS_DRAG_RESIZE);
		return CMD_OK;
	}
	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'Z')) {
		if (layout_zoomed(w->layout) >= 0) {
			layout_unzoom(w->layout);
		} else if (layout_zoom(w->layout, p->id) == 0) {
			/* The zoomed pane is the active one, as in tmux. */
			window_set_active(w, p);
		}
		window_apply_layout(w);
		return CMD_OK;
	}
	if (args_has(a, 'T'))
		return CMD_OK;
	window_size(w, &sx, &sy);
	if (a->argc > 0 && cmd_number(ctx, "adjustment", a->argv[0], 1, 0x7fffffff, &adjust) != 0)
		return CMD_ERROR;
	layout_unzoom(w->layout);
	if (args_has(a, 'x')) {
		if (size_arg(ctx, "width", args_get(a, 'x'), sx, &v) != 0)
			return CMD_ERROR;
		layout_resize_pane_to(w->layout, p->id, LAYOUT_LEFTRIGHT, v);
	}
	if (args_has(a, 'y')) {
		if (size_arg(ctx, "height", args_get(a, 'y'), sy, &v) != 0)
			return CMD_ERROR;
		layout_resize_pane_to(w->layout, p->id, LAYOUT_TOPBOTTOM, v);
	}
	for (i = 0; dirs[i] != '\0'; i++) {
		if (args_has(a, dirs[i]))
			layout_resize_pane(w->layout, p->id, dir_of[i], (unsigned)adjust);
	}
	window_apply_layout(w);
	return CMD_OK;
}

static void apply_preset(struct window *w, int preset)
{
	struct layout_main_opts o;

	o.main_pane_width = options_get_string(w->options, "main-pane-width");
	o.main_pane_height = options_get_string(w->options, "main-pane-height");
	o.other_pane_width = options_get_string(w->options, "other-pane-width");
	o.other_pane_height = options_get_string(w->options, "other-pane-height");
	layout_unzoom(w->layout);
	layout_select_preset(w->layout, preset, &o);
	w->last_preset = preset;
	window_apply_layout(w);
}

static int cmd_select_layout(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	const char *name = a->argc > 0 ? a->argv[0] : NULL, *why;
	int preset;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'n')) {
		apply_preset(w, w->last_preset < 0 ? 0 : (w->last_preset + 1) % LAYOUT_NPRESETS);
		return CMD_OK;
	}
	if (args_has(a, 'p')) {
		apply_preset(w, w->last_preset <= 0 ? LAYOUT_NPRESETS - 1 : w->last_preset - 1);
		return CMD_OK;
	}
	if (args_has(a, 'E')) {
		layout_unzoom(w->layout);
		layout_spread_out(w->layout, p->id);
		window_apply_layout(w);
		return CMD_OK;
	}
	if (name == NULL) {
		if (w->last_preset >= 0)
			apply_preset(w, w->last_preset);
		return CMD_OK;
	}
	preset = layout_preset_lookup(name);
	if (preset >= 0) {
		apply_preset(w, preset);
		return CMD_OK;
	}
	if (layout_apply_string(w->layout, name, &why) != 0)
		return cmd_error(ctx, "%s: %s", why, name);
	window_apply_layout(w);
	return CMD_OK;
}

static int cmd_next_layout(struct cmd_ctx *ctx, struct args *a)
{
	a->value['n'] = "";
	return cmd_select_layout(ctx, a);
}

static int cmd_previous_layout(struct cmd_ctx *ctx, struct args *a)
{
	a->value['p'] = "";
	return cmd_select_layout(ctx, a);
}

static int cmd_resize_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	unsigned sx, sy;
	long adjust = 1, v;
	char *cause;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	if (a->argc > 0 && cmd_number(ctx, "adjustment", a->argv[0], 1, 0x7fffffff, &adjust) != 0)
		return CMD_ERROR;
	window_size(w, &sx, &sy);
	if (args_has(a, 'x')) {
		if (cmd_number(ctx, "width", args_get(a, 'x'), 1, 10000, &v) != 0)
			return CMD_ERROR;
		sx = (unsigned)v;
	}
	if (args_has(a, 'y')) {
		if (cmd_number(ctx, "height", args_get(a, 'y'), 1, 10000, &v) != 0)
			return CMD_ERROR;
		sy = (unsigned)v;
	}
	if (args_has(a, 'L'))
		sx = sx > (unsigned)adjust ? sx - (unsigned)adjust : 1;
	if (args_has(a, 'R'))
		sx += (unsigned)adjust;
	if (args_has(a, 'U'))
		sy = sy > (unsigned)adjust ? sy - (unsigned)adjust : 1;
	if (args_has(a, 'D'))
		sy += (unsigned)adjust;
	/* An explicit size pins the window, as in tmux. */
	if (options_set(w->options, "window-size", "manual", 0, 0, &cause) != 0)
		free(cause);
	layout_resize(w->layout, sx, sy);
	window_apply_layout(w);
	return CMD_OK;
}

/* Put NEW where OLD is in W's pane list and pane order. */
static int replace_in_window(struct window *w, struct pane *old, struct pane *new, int *ids)
{
	size_t i, n = layout_count(w->layout);

	for (i = 0; i < n; i++) {
		ids[i] = layout_pane_at(w->layout, i);
		if (ids[i] == old->id)
			ids[i] = new->id;
	}
	return window_set_order(w, ids);
}

static int cmd_swap_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *ss, *ds;
	struct window *sw, *dw;
	struct pane *sp, *dp;
	int *ids;
	size_t i, n;

	if (cmd_find_pane(ctx, args_get(a, 't'), &ds, &dw, &dp) != 0)
		return CMD_ERROR;
	ss = ds;
	sw = dw;
	if (args_has(a, 'D') || args_has(a, 'U')) {
		int at = window_pane_index(dw, dp);

		n = dw->npanes;
		if (args_has(a, 'D'))
			sp = window_pane_at(dw, ((size_t)at + 1) % n);
		else
			sp = window_pane_at(dw, ((size_t)at + n - 1) % n);
	} else if (args_has(a, 's')) {
		if (cmd_find_pane(ctx, args_get(a, 's'), &ss, &sw, &sp) != 0)
			return CMD_ERROR;
	} else {
		struct session *cs;
		struct window *cw;

		if (cmd_find_pane(ctx, NULL, &cs, &cw, &sp) != 0)
			return CMD_ERROR;
		ss = cs;
		sw = cw;
	}
	if (sp == dp)
		return CMD_OK;
	if (sw == dw) {
		n = layout_count(dw->layout);
		ids = xcalloc(n, sizeof *ids);
		for (i = 0; i < n; i++) {
			ids[i] = layout_pane_at(dw->layout, i);
			if (ids[i] == sp->id)
				ids[i] = dp->id;
			else if (ids[i] == dp->id)
				ids[i] = sp->id;
		}
		if (window_set_order(dw, ids) != 0) {
			free(ids);
			return cmd_error(ctx, "swap pane failed");
		}
		free(ids);
	} else {
		ids = xcalloc(layout_count(sw->layout) + layout_count(dw->layout), sizeof *ids);
		if (replace_in_window(sw, sp, dp, ids) != 0 || replace_in_window(dw, dp, sp, ids) != 0) {
			free(ids);
			return cmd_error(ctx, "swap pane failed");
		}
		free(ids);
		for (i = 0; i < sw->npanes; i++) {
			if (sw->panes[i] == sp)
				sw->panes[i] = dp;
		}
		for (i = 0; i < dw->npanes; i++) {
			if (dw->panes[i] == dp)
				dw->panes[i] = sp;
		}
		sp->window = dw;
		dp->window = sw;
		pane_reparent_options(sp);
		pane_reparent_options(dp);
		if (sw->active == sp)
			sw->active = dp;
		if (dw->active == dp)
			dw->active = sp;
		if (sw->last == sp)
			sw->last = NULL;
		if (dw->last == dp)
			dw->last = NULL;
		window_apply_layout(sw);
	}
	window_apply_layout(dw);
	if (!args_has(a, 'd')) {
		if (sw != dw) {
			window_set_active(sw, dp);
			window_set_active(dw, sp);
		} else {
			window_set_active(dw, dp);
		}
	}
	(void)ss;
	return CMD_OK;
}

static int cmd_break_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s, *ds;
	struct window *w, *nw;
	struct pane *p;
	const char *t = args_get(a, 't');
	unsigned sx, sy;
	int index = -1;

	if (cmd_find_pane(ctx, args_get(a, 's'), &s, &w, &p) != 0)
		return CMD_ERROR;
	ds = s;
	if (t != NULL) {
		if (cmd_find_index(ctx, t, &ds, &index) != 0)
			return CMD_ERROR;
		if (index >= 0 && session_window_at(ds, index) != NULL)
			return cmd_error(ctx, "index in use: %d", index);
	}
	if (index < 0)
		index = session_next_index(ds, (int)options_get_number(ds->options, "base-index"));
	if (w->npanes == 1 && ds == s) {
		/* Nothing to break off: the window only moves, as in tmux. */
		session_move_window(s, w, index);
		if (!args_has(a, 'd')) {
			session_select_window(s, w);
		} else if (s->cur == w) {
			/* tmux links the window anew and drops the old link:
			 * the current window goes elsewhere, as on a close. */
			struct window *to = s->last;

			for (to = to != NULL ? to : s->windows; to == w && to != NULL;)
				to = to->next;
			if (to != NULL) {
				s->cur = to;
				s->last = NULL;
			}
		}
		nw = w;
		goto out;
	}
	window_size(w, &sx, &sy);
	layout_unzoom(w->layout);
	if (window_detach_pane(w, p) == 0 && session_remove_window(s, w) == 0 && s != ds) {
		session_destroy(s);
		s = NULL;
	}
	nw = window_create_with(ds, index, sx, sy, p);
	session_attach_window(ds, nw);
	if (args_has(a, 'n'))
		window_set_name(nw, args_get(a, 'n'));
	if (!args_has(a, 'd'))
		session_select_window(ds, nw);
out:
	if (args_has(a, 'P')) {
		const char *fmt = args_has(a, 'F') ? args_get(a, 'F') :
						     "#{session_name}:#{window_index}.#{pane_index}";
		char *line = cmd_format(fmt, ds, nw, p);

		cmd_print(ctx, "%s", line);
		free(line);
	}
	return CMD_OK;
}

static int cmd_join_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *ss, *ds;
	struct window *sw, *dw;
	struct pane *sp, *dp;
	int type = args_has(a, 'h') ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM;
	int flags = 0, size = -1;

	if (cmd_find_pane(ctx, args_get(a, 't'), &ds, &dw, &dp) != 0)
		return CMD_ERROR;
	if (cmd_find_pane(ctx, args_get(a, 's'), &ss, &sw, &sp) != 0)
		return CMD_ERROR;
	if (sp == dp)
		return cmd_error(ctx, "source and target panes must be different");
	if (args_has(a, 'b'))
		flags |= LAYOUT_SPLIT_BEFORE;
	if (args_has(a, 'f'))
		flags |= LAYOUT_SPLIT_FULLSIZE;
	layout_unzoom(dw->layout);
	if (args_has(a, 'l') || args_has(a, 'p')) {
		unsigned base = layout_split_base(dw->layout, dp->id, type, flags);
		const char *why, *spec = args_get(a, 'l');
		char *pct = NULL;

		if (spec == NULL)
			spec = pct = xasprintf("%s%%", args_get(a, 'p'));
		if (layout_parse_size(spec, base, &size, &why) != 0) {
			cmd_error(ctx, "size %s", why);
			free(pct);
			return CMD_ERROR;
		}
		free(pct);
	}
	if (sw == dw) {
		/* Within one window: out of its place, then split in again. */
		if (layout_count(dw->layout) < 2)
			return cmd_error(ctx, "source and target panes must be different");
		layout_remove(dw->layout, sp->id);
		if (layout_split(dw->layout, dp->id, type, size, flags, sp->id) != 0) {
			layout_split(dw->layout, dp->id, type, -1, 0, sp->id);
			window_apply_layout(dw);
			return cmd_error(ctx, "create pane failed: pane too small");
		}
		window_apply_layout(dw);
	} else {
		if (layout_split(dw->layout, dp->id, type, size, flags, sp->id) != 0)
			return cmd_error(ctx, "create pane failed: pane too small");
		layout_unzoom(sw->layout);
		if (window_detach_pane(sw, sp) == 0 && session_remove_window(ss, sw) == 0 &&
		    ss != ds)
			session_destroy(ss);
		window_add_pane(dw, sp);
		window_apply_layout(dw);
	}
	if (!args_has(a, 'd')) {
		window_set_active(dw, sp);
		session_select_window(ds, dw);
	}
	return CMD_OK;
}

static int cmd_respawn_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct pty_spawn spawn;
	struct session *s;
	struct window *w;
	struct pane *p;
	struct args use = *a;
	char *cause = NULL;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (!args_has(a, 'k') && !(p->flags & PANE_F_DEAD_SHOWN)) {
		return cmd_error(ctx, "respawn pane failed: pane %s:%d.%lld still active", s->name,
		    w->index, window_pane_index(w, p) + options_get_number(w->options,
		    "pane-base-index"));
	}
	/* No command: the one the pane was started with. */
	if (use.argc == 0) {
		use.argc = p->argc;
		use.argv = p->argv;
	}
	cmd_spawn_init(ctx, &use, s, &spawn);
	if (pane_respawn(p, &spawn, &cause) != 0) {
		cmd_spawn_free(&spawn);
		cmd_error(ctx, "respawn pane failed: %s", cause);
		free(cause);
		return CMD_ERROR;
	}
	cmd_spawn_free(&spawn);
	return CMD_OK;
}

/* rotate-window: every pane moves one layout cell up (-U, the default)
 * or down (-D), the last wrapping round; the active cell stays where it
 * was and shows the pane that moved into it (tmux 3.3a). A zoom ends
 * unless -Z, which keeps the window zoomed on that pane. */
static int cmd_rotate_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	int zoomed, at, *ids, *turned;
	size_t i, n;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	zoomed = layout_zoomed(w->layout) >= 0;
	layout_unzoom(w->layout);
	n = layout_count(w->layout);
	at = window_pane_index(w, w->active);
	ids = xcalloc(n, sizeof *ids);
	turned = xcalloc(n, sizeof *turned);
	for (i = 0; i < n; i++)
		ids[i] = layout_pane_at(w->layout, i);
	for (i = 0; i < n; i++)
		turned[i] = args_has(a, 'D') ? ids[(i + n - 1) % n] : ids[(i + 1) % n];
	if (n > 1 && window_set_order(w, turned) != 0) {
		free(ids);
		free(turned);
		return cmd_error(ctx, "rotate window failed");
	}
	free(ids);
	free(turned);
	if (at >= 0 && window_pane_at(w, (size_t)at) != NULL)
		window_set_active(w, window_pane_at(w, (size_t)at));
	if (zoomed && args_has(a, 'Z'))
		layout_zoom(w->layout, w->active->id);
	window_apply_layout(w);
	return CMD_OK;
}

const struct cmd_entry cmd_layout_entries[] = {
	{ "resize-pane", "resizep", "DLMRTt:Ux:y:Z", 0, 1,
	    "[-DLMRTUZ] [-x width] [-y height] [-t target-pane] [adjustment]", cmd_resize_pane, 0 },
	{ "select-layout", "selectl", "Enopt:", 0, 1, "[-Enop] [-t target-pane] [layout-name]",
	    cmd_select_layout, 0 },
	{ "next-layout", "nextl", "t:", 0, 0, "[-t target-window]", cmd_next_layout, 0 },
	{ "previous-layout", "prevl", "t:", 0, 0, "[-t target-window]", cmd_previous_layout, 0 },
	{ "resize-window", "resizew", "aADLRt:Ux:y:", 0, 1,
	    "[-aADLRU] [-x width] [-y height] [-t target-window] [adjustment]",
	    cmd_resize_window, 0 },
	{ "swap-pane", "swapp", "dDs:t:UZ", 0, 0, "[-dDUZ] [-s src-pane] [-t dst-pane]",
	    cmd_swap_pane, 0 },
	{ "rotate-window", "rotatew", "Dt:UZ", 0, 0, "[-DUZ] [-t target-window]",
	    cmd_rotate_window, 0 },
	{ "break-pane", "breakp", "abdF:n:Ps:t:", 0, 0,
	    "[-abdP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]",
	    cmd_break_pane, 0 },
	{ "join-pane", "joinp", "bdfhvl:p:s:t:", 0, 0,
	    "[-bdfhv] [-l size] [-s src-pane] [-t dst-pane]", cmd_join_pane, 0 },
	{ "move-pane", "movep", "bdfhvl:p:s:t:", 0, 0,
	    "[-bdfhv] [-l size] [-s src-pane] [-t dst-pane]", cmd_join_pane, 0 },
	{ "respawn-pane", "respawnp", "c:e:kt:", 0, -1,
	    "[-k] [-c start-directory] [-e environment] [-t target-pane] [shell-command]",
	    cmd_respawn_pane, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
