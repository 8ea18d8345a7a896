/* cmd_option.c — commands on options and the server's state: set-option,
 * show-options and their window aliases, source-file, wait-for and
 * list-commands. Which set an option goes to follows tmux 3.3a: a table
 * option's own scope decides (-w and -s change nothing for it, -p picks
 * the pane for a pane option); a user option (@name) goes where -s, -w
 * or -p say, else to the session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/control.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/window.h"

/* Where an option named NAME lives given the flags; -1 (with the message
 * printed unless -q) for an unknown table option. */
static int option_scope(struct cmd_ctx *ctx, struct args *a, const char *name)
{
	const struct options_entry *e;
	const char *why;

	if (name == NULL || name[0] == '@') {
		if (args_has(a, 's'))
			return OPTION_SCOPE_SERVER;
		if (args_has(a, 'p'))
			return OPTION_SCOPE_PANE;
		if (args_has(a, 'w'))
			return OPTION_SCOPE_WINDOW;
		return OPTION_SCOPE_SESSION;
	}
	e = options_table_find(name, &why);
	if (e == NULL) {
		if (!args_has(a, 'q'))
			cmd_error(ctx, "%s", why);
		return -1;
	}
	if (e->scope & OPTION_SCOPE_SERVER)
		return OPTION_SCOPE_SERVER;
	if (e->scope & OPTION_SCOPE_SESSION)
		return OPTION_SCOPE_SESSION;
	if (args_has(a, 'p') && (e->scope & OPTION_SCOPE_PANE))
		return OPTION_SCOPE_PANE;
	return OPTION_SCOPE_WINDOW;
}

/* The set for SCOPE: a global one with -g, else the target's. The target
 * is looked up quietly and reported as tmux does ("no such session: X"). */
static struct options *option_set_for(struct cmd_ctx *ctx, struct args *a, int scope,
    struct session **sp, struct window **wp, struct pane **pp)
{
	const char *t = args_get(a, 't');
	struct buf quiet, *saved = ctx->err;
	int found;

	*sp = NULL;
	*wp = NULL;
	*pp = NULL;
	buf_init(&quiet);
	ctx->err = &quiet;
	found = cmd_find_pane(ctx, t, sp, wp, pp) == 0;
	ctx->err = saved;
	buf_free(&quiet);
	if (!found)
		*sp = NULL, *wp = NULL, *pp = NULL;
	if (scope == OPTION_SCOPE_SERVER)
		return global_options;
	if (args_has(a, 'g'))
		return scope == OPTION_SCOPE_SESSION ? global_s_options : global_w_options;
	if (!found) {
		cmd_error(ctx, "no such %s: %s",
		    scope == OPTION_SCOPE_SESSION ? "session" :
		    scope == OPTION_SCOPE_WINDOW ? "window" : "pane", t != NULL ? t : "");
		return NULL;
	}
	if (scope == OPTION_SCOPE_SESSION)
		return (*sp)->options;
	if (scope == OPTION_SCOPE_WINDOW)
		return (*wp)->options;
	return (*pp)->options;
}

static int cmd_set_option(struct cmd_ctx *ctx, struct args *a)
{
	const char *name = a->argv[0];
	char *value = a->argc > 1 ? xstrdup(a->argv[1]) : NULL, *cause = NULL;
	struct options *oo;
	struct session *s;
	struct window *w;
	struct pane *p;
	int scope, rc;
	size_t i;

	scope = option_scope(ctx, a, name);
	if (scope < 0) {
		free(value);
		return args_has(a, 'q') ? CMD_OK : CMD_ERROR;
	}
	oo = option_set_for(ctx, a, scope, &s, &w, &p);
	if (oo == NULL) {
		free(value);
		return CMD_ERROR;
	}
	if (value != NULL && args_has(a, 'F')) {
		char *expanded = cmd_format(value, s, w, p);

		free(value);
		value = expanded;
	}
	if (args_has(a, 'u') || args_has(a, 'U')) {
		rc = options_unset(oo, name, &cause);
		/* -U: the window's panes forget it too. */
		if (rc == 0 && args_has(a, 'U') && w != NULL && scope == OPTION_SCOPE_WINDOW) {
			for (i = 0; i < w->npanes; i++) {
				char *c2;

				if (options_unset(w->panes[i]->options, name, &c2) != 0)
					free(c2);
			}
		}
	} else {
		rc = options_set(oo, name, value, args_has(a, 'a'), args_has(a, 'o'), &cause);
	}
	free(value);
	if (rc != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_OK;
}

static int cmd_show_options(struct cmd_ctx *ctx, struct args *a)
{
	const char *name = a->argc > 0 ? a->argv[0] : NULL;
	struct options *oo;
	struct session *s;
	struct window *w;
	struct pane *p;
	char *text, *cause = NULL;
	int scope, flags = 0;

	if (args_has(a, 'v'))
		flags |= OPTIONS_SHOW_VALUE_ONLY;
	if (args_has(a, 'A'))
		flags |= OPTIONS_SHOW_INHERITED;
	if (args_has(a, 'H'))
		return CMD_OK; /* no hooks */
	scope = option_scope(ctx, a, name);
	if (scope < 0)
		return args_has(a, 'q') ? CMD_OK : CMD_ERROR;
	oo = option_set_for(ctx, a, scope, &s, &w, &p);
	if (oo == NULL)
		return CMD_ERROR;
	if (name == NULL) {
		text = options_show_all(oo, scope, flags);
		buf_add(ctx->out, text, strlen(text));
		free(text);
		return CMD_OK;
	}
	text = options_show_one(oo, name, flags, &cause);
	if (text == NULL) {
		if (cause == NULL || args_has(a, 'q')) {
			free(cause);
			return CMD_OK;
		}
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	cmd_print(ctx, "%s", text);
	free(text);
	return CMD_OK;
}

/* setw and showw are set and show with -w. */
static int cmd_set_window_option(struct cmd_ctx *ctx, struct args *a)
{
	a->value['w'] = "";
	return cmd_set_option(ctx, a);
}

static int cmd_show_window_options(struct cmd_ctx *ctx, struct args *a)
{
	a->value['w'] = "";
	return cmd_show_options(ctx, a);
}

static int cmd_source_file_exec(struct cmd_ctx *ctx, struct args *a)
{
	int i, status = CMD_OK;

	for (i = 0; i < a->argc; i++) {
		const char *path = a->argv[i];
		char *expanded = NULL;

		if (args_has(a, 'F'))
			path = expanded = cmd_format(path, NULL, NULL, NULL);
		if (cmd_source_file(path, args_has(a, 'q'), ctx->out, ctx->err) != 0)
			status = CMD_ERROR;
		free(expanded);
	}
	return status;
}

/* ---- wait-for ---- */

struct wait_channel {
	char *name;
	int locked;
	int woken;            /* signalled with nobody waiting */
	void **waiters;       /* blocked in plain wait-for */
	size_t nwaiters;
	void **lockers;       /* blocked in -L, in arrival order */
	size_t nlockers;
	struct wait_channel *next;
};

static struct wait_channel *channels;

static struct wait_channel *channel_get(const char *name, int create)
{
	struct wait_channel *wc;

	for (wc = channels; wc != NULL; wc = wc->next) {
		if (strcmp(wc->name, name) == 0)
			return wc;
	}
	if (!create)
		return NULL;
	wc = xcalloc(1, sizeof *wc);
	wc->name = xstrdup(name);
	wc->next = channels;
	channels = wc;
	return wc;
}

static void channel_free(struct wait_channel *wc)
{
	free(wc->name);
	free(wc->waiters);
	free(wc->lockers);
	free(wc);
}

/* Drop WC once nothing refers to it. */
static void channel_tidy(struct wait_channel *wc)
{
	struct wait_channel **pp;

	if (wc->locked || wc->woken || wc->nwaiters > 0 || wc->nlockers > 0)
		return;
	for (pp = &channels; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == wc) {
			*pp = wc->next;
			break;
		}
	}
	channel_free(wc);
}

static void list_add(void ***list, size_t *n, void *w)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = w;
}

static int list_remove(void **list, size_t *n, void *w)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (list[i] == w) {
			memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
			(*n)--;
			return 1;
		}
	}
	return 0;
}

static void channel_unlock(struct wait_channel *wc)
{
	if (wc->nlockers > 0) {
		/* The lock passes to the first in line. */
		void *next = wc->lockers[0];

		list_remove(wc->lockers, &wc->nlockers, next);
		control_wake(next);
		return;
	}
	wc->locked = 0;
}

void cmd_wait_cancel(void *waiter)
{
	struct wait_channel *wc, *next;

	for (wc = channels; wc != NULL; wc = next) {
		next = wc->next;
		list_remove(wc->waiters, &wc->nwaiters, waiter);
		list_remove(wc->lockers, &wc->nlockers, waiter);
		channel_tidy(wc);
	}
}

void cmd_wait_free_all(void)
{
	struct wait_channel *wc;

	while ((wc = channels) != NULL) {
		channels = wc->next;
		channel_free(wc);
	}
}

static int cmd_wait_for(struct cmd_ctx *ctx, struct args *a)
{
	const char *name = a->argv[0];
	struct wait_channel *wc;
	size_t i;

	if (args_has(a, 'S')) {
		wc = channel_get(name, 1);
		if (wc->nwaiters == 0) {
			wc->woken = 1;
			return CMD_OK;
		}
		for (i = 0; i < wc->nwaiters; i++)
			control_wake(wc->waiters[i]);
		wc->nwaiters = 0;
		channel_tidy(wc);
		return CMD_OK;
	}
	if (args_has(a, 'L')) {
		wc = channel_get(name, 1);
		if (!wc->locked) {
			wc->locked = 1;
			return CMD_OK;
		}
		if (ctx->waiter == NULL)
			return cmd_error(ctx, "channel %s is locked", name);
		list_add(&wc->lockers, &wc->nlockers, ctx->waiter);
		return CMD_WAIT;
	}
	if (args_has(a, 'U')) {
		wc = channel_get(name, 0);
		if (wc == NULL || !wc->locked)
			return cmd_error(ctx, "channel %s not locked", name);
		channel_unlock(wc);
		channel_tidy(wc);
		return CMD_OK;
	}
	wc = channel_get(name, 1);
	if (wc->woken) {
		wc->woken = 0;
		channel_tidy(wc);
		return CMD_OK;
	}
	if (ctx->waiter == NULL) {
		channel_tidy(wc);
		return CMD_OK;
	}
	list_add(&wc->waiters, &wc->nwaiters, ctx->waiter);
	return CMD_WAIT;
}

static int cmd_list_commands_exec(struct cmd_ctx *ctx, struct args *a)
{
	return cmd_list_commands(ctx, a->argc > 0 ? a->argv[0] : NULL, args_get(a, 'F'));
}

const struct cmd_entry cmd_option_entries[] = {
	{ "set-option", "set", "aFgopqst:uUw", 1, 2, "[-aFgopqsuUw] [-t target-pane] option [value]",
	    cmd_set_option, 0 },
	{ "set-window-option", "setw", "aFgoqt:u", 1, 2,
	    "[-aFgoqu] [-t target-window] option [value]", cmd_set_window_option, 0 },
	{ "show-options", "show", "AgHpqst:vw", 0, 1, "[-AgHpqsvw] [-t target-pane] [option]",
	    cmd_show_options, 0 },
	{ "show-window-options", "showw", "gvt:", 0, 1, "[-gv] [-t target-window] [option]",
	    cmd_show_window_options, 0 },
	{ "source-file", "source", "Fnqt:v", 1, -1,
	    "[-Fnqv] path ...", cmd_source_file_exec, 0 },
	{ "wait-for", "wait", "LSU", 1, 1, "[-L|-S|-U] channel", cmd_wait_for, 0 },
	{ "list-commands", "lscm", "F:", 0, 1, "[-F format] [command]", cmd_list_commands_exec, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
