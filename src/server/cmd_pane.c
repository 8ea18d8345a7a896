/* cmd_pane.c — commands on panes: select-pane, last-pane, kill-pane,
 * list-panes, display-message, and the commands
 * that open the prompt (command-prompt, confirm-before). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_filter.h"
#include "server/layout.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/window.h"
#include "term/screen.h"
#include "term/vt.h"

#define LIST_PANES_TEMPLATE                                                                    \
	"#{pane_index}: [#{pane_width}x#{pane_height}] [history #{history_size}/#{history_limit}, " \
	"#{history_bytes} bytes] #{pane_id}#{?pane_active, (active),}"

#define DISPLAY_TEMPLATE                                                                     \
	"[#{session_name}] #{window_index}:#{window_name}, current pane #{pane_index} - (#{host})"

static int cmd_select_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	const char *dirs = "LRUD";
	size_t i;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'l')) {
		if (w->last == NULL)
			return cmd_error(ctx, "no last pane");
		p = w->last;
	}
	for (i = 0; dirs[i] != '\0'; i++) {
		if (args_has(a, dirs[i])) {
			struct pane *q = window_neighbour(w, p, dirs[i]);

			if (q == NULL)
				return CMD_OK;
			p = q;
			break;
		}
	}
	if (args_has(a, 'T')) {
		/* The pane's title until its program sets another (OSC 2). */
		screen_set_title(vt_screen(p->vt), args_get(a, 'T'), strlen(args_get(a, 'T')));
		return CMD_OK;
	}
	/* Another pane ends the zoom; -Z keeps the window zoomed on it. */
	if (p != w->active && layout_zoomed(w->layout) >= 0) {
		layout_unzoom(w->layout);
		if (args_has(a, 'Z'))
			layout_zoom(w->layout, p->id);
		window_apply_layout(w);
	}
	window_set_active(w, p);
	session_select_window(s, w);
	return CMD_OK;
}

static int cmd_last_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;

	if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
		return CMD_ERROR;
	if (w->last == NULL)
		return cmd_error(ctx, "no last pane");
	window_set_active(w, w->last);
	return CMD_OK;
}

static int cmd_kill_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	size_t i;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'a')) {
		for (i = 0; i < w->npanes;) {
			if (w->panes[i] != p)
				window_remove_pane(w, w->panes[i]);
			else
				i++;
		}
		return CMD_OK;
	}
	if (window_remove_pane(w, p) == 0 && session_remove_window(s, w) == 0)
		session_destroy(s);
	return CMD_OK;
}

static void list_panes_of(struct cmd_ctx *ctx, struct session *s, struct window *w,
    const char *fmt, const char *filter)
{
	size_t i;
	struct pane *p;

	for (i = 0; (p = window_pane_at(w, i)) != NULL; i++) {
		char *line;

		if (!cmd_filter(filter, s, w, p))
			continue;
		line = cmd_format(fmt, s, w, p);
		cmd_print(ctx, "%s", line);
		free(line);
	}
}

static int cmd_list_panes(struct cmd_ctx *ctx, struct args *a)
{
	const char *fmt = args_get(a, 'F');
	char *tmpl = NULL;
	struct session *s;
	struct window *w;

	if (args_has(a, 'a')) {
		if (fmt == NULL)
			fmt = tmpl = xasprintf("#{session_name}:#{window_index}.%s", LIST_PANES_TEMPLATE);
		for (s = session_first(); s != NULL; s = s->next) {
			for (w = s->windows; w != NULL; w = w->next)
				list_panes_of(ctx, s, w, fmt, args_get(a, 'f'));
		}
	} else if (args_has(a, 's')) {
		if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
			return CMD_ERROR;
		if (fmt == NULL)
			fmt = tmpl = xasprintf("#{window_index}.%s", LIST_PANES_TEMPLATE);
		for (w = s->windows; w != NULL; w = w->next)
			list_panes_of(ctx, s, w, fmt, args_get(a, 'f'));
	} else {
		if (cmd_find_window(ctx, args_get(a, 't'), &s, &w) != 0)
			return CMD_ERROR;
		list_panes_of(ctx, s, w, fmt != NULL ? fmt : LIST_PANES_TEMPLATE, args_get(a, 'f'));
	}
	free(tmpl);
	return CMD_OK;
}

static int cmd_display_message(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	const char *fmt = a->argc > 0 ? a->argv[0] : DISPLAY_TEMPLATE;
	long delay = -1;
	char *line;

	if (args_has(a, 'F'))
		fmt = args_get(a, 'F');
	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'd') && cmd_number(ctx, "delay", args_get(a, 'd'), 0, 2147483647L,
	    &delay) != 0)
		return CMD_ERROR;
	line = cmd_format(fmt, s, w, p);
	/* Without -p the message goes to the session's message line, which
	 * every client of the session shows. */
	if (args_has(a, 'p') || s == NULL)
		cmd_print(ctx, "%s", line);
	else
		prompt_message(s, line, delay);
	free(line);
	return CMD_OK;
}

/* The first word of TEMPLATE in brackets, tmux's prompt for a template
 * given without -p. */
static char *template_prompt(const char *template)
{
	size_t n = strcspn(template, " ,");

	return xasprintf("(%.*s) ", (int)n, template);
}

/* Each comma-separated prompt followed by a space, as tmux shows -p. */
static char *spaced_prompts(const char *list)
{
	struct buf b;
	const char *p = list;
	char *out;

	buf_init(&b);
	for (;;) {
		size_t n = strcspn(p, ",");

		buf_add(&b, p, n);
		buf_add_u8(&b, ' ');
		if (p[n] == '\0')
			break;
		buf_add_u8(&b, ',');
		p += n + 1;
	}
	buf_add_u8(&b, 0);
	out = xstrdup((const char *)b.data);
	buf_free(&b);
	return out;
}

static int cmd_command_prompt(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	const char *template = a->argc > 0 ? a->argv[0] : NULL;
	char *prompts, *expanded, *inputs = NULL, *tmpl = NULL;
	unsigned flags = 0;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (s == NULL)
		return cmd_error(ctx, "no current session");
	/* One kind of prompt, in tmux's order of precedence. */
	if (args_has(a, '1'))
		flags |= PROMPT_SINGLE;
	else if (args_has(a, 'N'))
		flags |= PROMPT_NUMERIC;
	else if (args_has(a, 'i'))
		flags |= PROMPT_INCREMENTAL;
	else if (args_has(a, 'k'))
		flags |= PROMPT_KEY;
	if (args_has(a, 'p'))
		prompts = spaced_prompts(args_get(a, 'p'));
	else if (template != NULL)
		prompts = template_prompt(template);
	else
		prompts = xstrdup(":");
	expanded = cmd_format(prompts, s, w, p);
	if (args_has(a, 'I'))
		inputs = cmd_format(args_get(a, 'I'), s, w, p);
	if (template != NULL)
		tmpl = args_has(a, 'F') ? cmd_format(template, s, w, p) : xstrdup(template);
	prompt_open(s, p, expanded, inputs, tmpl, flags);
	free(tmpl);
	free(inputs);
	free(expanded);
	free(prompts);
	return CMD_OK;
}

static int cmd_confirm_before(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	char *prompt, *expanded;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (s == NULL)
		return cmd_error(ctx, "no current session");
	if (args_has(a, 'p'))
		prompt = xasprintf("%s ", args_get(a, 'p'));
	else
		prompt = xasprintf("Confirm '%s'? (y/n) ", a->argv[0]);
	expanded = cmd_format(prompt, s, w, p);
	prompt_open(s, p, expanded, NULL, a->argv[0], PROMPT_CONFIRM);
	free(expanded);
	free(prompt);
	return CMD_OK;
}

const struct cmd_entry cmd_pane_entries[] = {
	{ "select-pane", "selectp", "DdegLlMmP:RT:t:UZ", 0, 0,
	    "[-DdeLlMmRUZ] [-T title] [-t target-pane]", cmd_select_pane, 0 },
	{ "last-pane", "lastp", "det:Z", 0, 0, "[-deZ] [-t target-window]", cmd_last_pane, 0 },
	{ "kill-pane", "killp", "at:", 0, 0, "[-a] [-t target-pane]", cmd_kill_pane, 0 },
	{ "list-panes", "lsp", "asF:f:t:", 0, 0, "[-as] [-F format] [-f filter] [-t target-window]",
	    cmd_list_panes, 0 },
	{ "display-message", "display", "acd:F:INpt:v", 0, 1,
	    "[-aINpv] [-c target-client] [-d delay] [-F format] [-t target-pane] [message]",
	    cmd_display_message, 0 },
	{ "command-prompt", NULL, "1bFiI:kNp:t:T:W", 0, 1,
	    "[-1bFkiN] [-I inputs] [-p prompts] [-t target-client] [-T type] [template]",
	    cmd_command_prompt, 0 },
	{ "confirm-before", "confirm", "bp:t:", 1, 1,
	    "[-b] [-p prompt] [-t target-client] command", cmd_confirm_before, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
