/* cmd_session.c — commands on sessions and the server: new-session,
 * has-session, list-sessions, kill-session, kill-server, rename-session,
 * start-server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_filter.h"
#include "server/daemon.h"
#include "server/environ.h"
#include "server/link.h"
#include "server/pty.h"
#include "server/session.h"
#include "server/window.h"

static void detach_session_clients(struct session *s)
{
	struct link_conn *c, *next;

	for (c = link_first(); c != NULL; c = next) {
		next = link_next(c);
		if (link_session(c) == s)
			link_detach(c);
	}
}

static int cmd_new_session(struct cmd_ctx *ctx, struct args *a)
{
	struct pty_spawn sp;
	struct session *s;
	struct environ *env;
	const char *name = args_get(a, 's');
	char *cause = NULL, *checked;
	long sx = 80, sy = 24;

	/* A session group shares its windows, and client flags change how a
	 * client attaches; rmux has neither, so they fail instead of being
	 * ignored. */
	if (args_has(a, 't'))
		return cmd_error(ctx, "new-session -t: grouped sessions are not supported by rmux");
	if (args_has(a, 'f'))
		return cmd_error(ctx, "new-session -f: client flags are not supported by rmux");
	if (name != NULL) {
		checked = session_check_name(name);
		if (checked[0] == '\0') {
			free(checked);
			return cmd_error(ctx, "invalid session: %s", name);
		}
		s = session_find(checked);
		free(checked);
		/* -A: an existing session is the one to attach to (the command
		 * line does the attaching; -P names it as for a new one); -D
		 * or -X first detach its other clients (with no parent shell
		 * to kill, -X is -D). */
		if (s != NULL && args_has(a, 'A')) {
			if (args_has(a, 'D') || args_has(a, 'X'))
				detach_session_clients(s);
			goto print;
		}
		if (s != NULL)
			return cmd_error(ctx, "duplicate session: %s", s->name);
	}
	if (args_has(a, 'x') && strcmp(args_get(a, 'x'), "-") != 0 &&
	    cmd_number(ctx, "width", args_get(a, 'x'), 1, 10000, &sx) != 0)
		return CMD_ERROR;
	if (args_has(a, 'y') && strcmp(args_get(a, 'y'), "-") != 0 &&
	    cmd_number(ctx, "height", args_get(a, 'y'), 1, 10000, &sy) != 0)
		return CMD_ERROR;
	/* The session's environment: update-environment from the command
	 * line (unless -E), then -e. */
	env = environ_create();
	if (!args_has(a, 'E') && cmd_client_environ(ctx->req))
		environ_update_options(env, global_s_options, ctx->req->envc, ctx->req->env);
	if (args_get(a, 'e') != NULL)
		environ_put(env, args_get(a, 'e'), 0);
	cmd_spawn_init_environ(ctx, a, NULL, env, &sp);
	s = session_create(name, args_get(a, 'n'), (unsigned)sx, (unsigned)sy, &sp, &cause);
	cmd_spawn_free(&sp);
	if (s == NULL) {
		environ_free(env);
		cmd_error(ctx, "create session failed: %s", cause);
		free(cause);
		return CMD_ERROR;
	}
	environ_free(s->environ);
	s->environ = env;
print:
	if (args_has(a, 'P')) {
		const char *fmt = args_get(a, 'F') != NULL ? args_get(a, 'F') : "#{session_name}:";
		char *line = cmd_format(fmt, s, s->cur, s->cur->active);

		cmd_print(ctx, "%s", line);
		free(line);
	}
	return CMD_OK;
}

static int cmd_has_session(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;

	return cmd_find_session(ctx, args_get(a, 't'), &s) == 0 ? CMD_OK : CMD_ERROR;
}

static int cmd_list_sessions(struct cmd_ctx *ctx, struct args *a)
{
	const char *fmt = args_get(a, 'F');
	struct session *s;

	for (s = session_first(); s != NULL; s = s->next) {
		char *line;

		if (!cmd_filter(args_get(a, 'f'), s, s->cur, s->cur != NULL ? s->cur->active : NULL))
			continue;
		if (fmt != NULL) {
			line = cmd_format(fmt, s, s->cur, s->cur != NULL ? s->cur->active : NULL);
		} else {
			char when[64];
			struct tm tm;
			char *tmpl;

			/* tmux prints the creation time as ctime(3) does. */
			localtime_r(&s->created, &tm);
			strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
			tmpl = xasprintf("#{session_name}: #{session_windows} windows (created %s)"
					 "#{?session_attached, (attached),}", when);
			line = cmd_format(tmpl, s, s->cur, NULL);
			free(tmpl);
		}
		cmd_print(ctx, "%s", line);
		free(line);
	}
	return CMD_OK;
}

static int cmd_kill_session(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s, *other, *next;

	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	if (args_has(a, 'a')) {
		for (other = session_first(); other != NULL; other = next) {
			next = other->next;
			if (other != s)
				session_destroy(other);
		}
		return CMD_OK;
	}
	session_destroy(s);
	return CMD_OK;
}

static int cmd_kill_server(struct cmd_ctx *ctx, struct args *a)
{
	daemon_shutdown();
	return CMD_OK;
}

static int cmd_start_server(struct cmd_ctx *ctx, struct args *a)
{
	return CMD_OK;
}

static int cmd_rename_session(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	char *name;

	if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0)
		return CMD_ERROR;
	name = session_check_name(a->argv[0]);
	if (name[0] == '\0') {
		free(name);
		return cmd_error(ctx, "invalid session: %s", a->argv[0]);
	}
	if (strcmp(name, s->name) != 0 && session_find(name) != NULL) {
		cmd_error(ctx, "duplicate session: %s", name);
		free(name);
		return CMD_ERROR;
	}
	free(s->name);
	s->name = name;
	return CMD_OK;
}

const struct cmd_entry cmd_session_entries[] = {
	{ "new-session", "new", "Ac:dDe:EF:f:n:Ps:t:x:Xy:", 0, -1,
	    "[-AdDEPX] [-c start-directory] [-e environment] [-F format] [-f flags] "
	    "[-n window-name] [-s session-name] [-t target-session] [-x width] [-y height] "
	    "[shell-command]",
	    cmd_new_session, 1 },
	{ "has-session", "has", "t:", 0, 0, "[-t target-session]", cmd_has_session, 0 },
	{ "list-sessions", "ls", "F:f:", 0, 0, "[-F format] [-f filter]", cmd_list_sessions, 0 },
	{ "kill-session", NULL, "aCt:", 0, 0, "[-aC] [-t target-session]", cmd_kill_session, 0 },
	{ "kill-server", NULL, "", 0, 0, "", cmd_kill_server, 0 },
	{ "start-server", "start", "", 0, 0, "", cmd_start_server, 1 },
	{ "rename-session", "rename", "t:", 1, 1, "[-t target-session] new-name",
	    cmd_rename_session, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
