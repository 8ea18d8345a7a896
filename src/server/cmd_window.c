/* cmd_window.c — commands on windows: new-window, split-window,
 * select-window, next-window, previous-window, last-window, kill-window,
 * rename-window, list-windows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_filter.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/pty.h"
#include "server/session.h"
#include "server/window.h"

#define LIST_WINDOWS_TEMPLATE                                                        \
	"#{window_index}: #{window_name}#{window_raw_flags} (#{window_panes} panes) " \
	"[#{window_width}x#{window_height}] [layout #{window_layout}] #{window_id}"  \
	"#{?window_active, (active),}"

static void print_new(struct cmd_ctx *ctx, struct args *a, const char *dflt, struct session *s,
    struct window *w, struct pane *p)
{
	const char *fmt = args_get(a, 'F') != NULL ? args_get(a, 'F') : dflt;
	char *line;

	if (!args_has(a, 'P'))
		return;
	line = cmd_format(fmt, s, w, p);
	cmd_print(ctx, "%s", line);
	free(line);
}

static int cmd_new_window(struct cmd_ctx *ctx, struct args *a)
{
	const char *t = args_get(a, 't');
	struct pty_spawn sp;
	struct session *s;
	struct window *w, *at = NULL;
	char *cause = NULL;
	int index = -1;

	/* -t names a session, or a window index for where the window goes. */
	if (cmd_find_index(ctx, t, &s, &index) != 0)
		return CMD_ERROR;
	if (index >= 0 && session_window_at(s, index) != NULL && !args_has(a, 'k'))
		return cmd_error(ctx, "create window failed: index %d in use", index);
	if (index < 0)
		index = session_next_index(s, (int)options_get_number(s->options, "base-index"));
	if ((at = session_window_at(s, index)) != NULL)
		session_remove_window(s, at);
	cmd_spawn_init(ctx, a, s, &sp);
	w = window_create(s, index, args_get(a, 'n'), &sp, &cause);
	cmd_spawn_free(&sp);
	if (w == NULL) {
		cmd_error(ctx, "create window failed: %s", cause);
		free(cause);
		return CMD_ERROR;
	}
	session_attach_window(s, w);
	if (!args_has(a, 'd'))
		session_select_window(s, w);
	print_new(ctx, a, "#{session_name}:#{window_index}", s, w, w->active);
	return CMD_OK;
}

static int cmd_split_window(struct cmd_ctx *ctx, struct args *a)
{
	struct pty_spawn sp;
	struct session *s;
	struct window *w;
	struct pane *p, *np;
	char *cause = NULL;
	int type = args_has(a, 'h') ? LAYOUT_LEFTRIGHT : LAYOUT_TOPBOTTOM;
	int flags = 0, size = -1;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'b'))
		flags |= LAYOUT_SPLIT_BEFORE;
	if (args_has(a, 'f'))
		flags |= LAYOUT_SPLIT_FULLSIZE;
	if (args_has(a, 'l') || args_has(a, 'p')) {
		unsigned base = layout_split_base(w->layout, p->id, type, flags);
		const char *why;
		char *pct = NULL;
		const char *spec = args_get(a, 'l');

		if (spec == NULL)
			spec = pct = xasprintf("%s%%", args_get(a, 'p'));
		if (layout_parse_size(spec, base, &size, &why) != 0) {
			cmd_error(ctx, "%s %s", type == LAYOUT_TOPBOTTOM ? "lines" : "columns", why);
			free(pct);
			return CMD_ERROR;
		}
		free(pct);
	}
	layout_unzoom(w->layout);
	cmd_spawn_init(ctx, a, s, &sp);
	np = window_split(w, p, type, size, flags, &sp, &cause);
	cmd_spawn_free(&sp);
	if (np == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	if (!args_has(a, 'd'))
		window_set_active(w, np);
	print_new(ctx, a, "#{session_name}:#{window_index}.#{pane_index}", s, w, np);
	return CMD_OK;
}

static int cmd_select_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	if (args_has(a, 'T') && s->cur == w && s->last != NULL)
		w = s->last;
	session_select_window(s, w);
	return CMD_OK;
}

static int cmd_next_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;

	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	w = s->cur->next;
	if (w == NULL) {
		/* tmux wraps around the ends (wrap-search is about searching). */
		w = s->windows;
		if (w == s->cur)
			return cmd_error(ctx, "no next window");
	}
	session_select_window(s, w);
	return CMD_OK;
}

static int cmd_previous_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w, *prev = NULL;

	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	for (w = s->windows; w != NULL && w != s->cur; w = w->next)
		prev = w;
	if (prev == NULL) {
		for (prev = s->windows; prev->next != NULL; prev = prev->next)
			;
		if (prev == s->cur)
			return cmd_error(ctx, "no previous window");
	}
	session_select_window(s, prev);
	return CMD_OK;
}

static int cmd_last_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;

	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	if (s->last == NULL)
		return cmd_error(ctx, "no last window");
	session_select_window(s, s->last);
	return CMD_OK;
}

static int cmd_kill_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w, *other, *next;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	if (args_has(a, 'a')) {
		for (other = s->windows; other != NULL; other = next) {
			next = other->next;
			if (other != w)
				session_remove_window(s, other);
		}
		return CMD_OK;
	}
	if (session_remove_window(s, w) == 0)
		session_destroy(s);
	return CMD_OK;
}

static int cmd_rename_window(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	window_set_name(w, a->argv[0]);
	return CMD_OK;
}

static void list_windows_of(struct cmd_ctx *ctx, struct session *s, const char *fmt,
    const char *filter, int all)
{
	struct window *w;
	char *tmpl = NULL;

	if (fmt == NULL && all)
		fmt = tmpl = xasprintf("#{session_name}:%s", LIST_WINDOWS_TEMPLATE);
	else if (fmt == NULL)
		fmt = LIST_WINDOWS_TEMPLATE;
	for (w = s->windows; w != NULL; w = w->next) {
		char *line;

		if (!cmd_filter(filter, s, w, w->active))
			continue;
		line = cmd_format(fmt, s, w, w->active);
		cmd_print(ctx, "%s", line);
		free(line);
	}
	free(tmpl);
}

static int cmd_list_windows(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;

	if (args_has(a, 'a')) {
		for (s = session_first(); s != NULL; s = s->next)
			list_windows_of(ctx, s, args_get(a, 'F'), args_get(a, 'f'), 1);
		return CMD_OK;
	}
	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	list_windows_of(ctx, s, args_get(a, 'F'), args_get(a, 'f'), 0);
	return CMD_OK;
}

const struct cmd_entry cmd_window_entries[] = {
	{ "new-window", "neww", "abc:de:F:kn:Pt:", 0, -1,
	    "[-abdkPS] [-c start-directory] [-e environment] [-F format] [-n window-name] "
	    "[-t target-window] [shell-command]",
	    cmd_new_window, 0 },
	{ "split-window", "splitw", "bc:de:fF:hIl:p:Pt:vZ", 0, -1,
	    /* tmux 3.3a's text, its missing space included. */
	    "[-bdefhIPvZ] [-c start-directory] [-e environment] [-F format] [-l size] "
	    "[-t target-pane][shell-command]",
	    cmd_split_window, 0 },
	{ "select-window", "selectw", "lnpTt:", 0, 0, "[-lnpT] [-t target-window]",
	    cmd_select_window, 0 },
	{ "next-window", "next", "at:", 0, 0, "[-a] [-t target-session]", cmd_next_window, 0 },
	{ "previous-window", "prev", "at:", 0, 0, "[-a] [-t target-session]",
	    cmd_previous_window, 0 },
	{ "last-window", "last", "t:", 0, 0, "[-t target-session]", cmd_last_window, 0 },
	{ "kill-window", "killw", "at:", 0, 0, "[-a] [-t target-window]", cmd_kill_window, 0 },
	{ "rename-window", "renamew", "t:", 1, 1, "[-t target-window] new-name",
	    cmd_rename_window, 0 },
	{ "list-windows", "lsw", "aF:f:t:", 0, 0, "[-a] [-F format] [-f filter] [-t target-session]",
	    cmd_list_windows, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
