/* cmd_link.c — the commands of link clients. `bootstrap [-t SESSION]
 * [--port N]`: run by ssh on the server host (or directly for a local
 * attach), it makes sure the session exists, opens a link connection to
 * it and prints the one line a client needs, `RMUX CONNECT <port> <key>`.
 * The key travels only in that reply over the control socket: never in
 * argv, the environment or the log. list-clients, detach-client and
 * switch-client act on the connections as tmux's act on its clients. */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "net/crypto.h"
#include "server/cmd.h"
#include "server/display_panes.h"
#include "server/environ.h"
#include "server/format.h"
#include "server/link.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/pty.h"
#include "server/session.h"
#include "server/window.h"

/* --port N arrives as flag '-' with value "port" and N as the argument
 * (the flag parser knows single letters), or as "port=N"; -p N also. */
static int link_port_arg(struct cmd_ctx *ctx, struct args *a, long *port)
{
	const char *v = args_get(a, '-'), *text = args_get(a, 'p');

	*port = 0;
	if (v != NULL) {
		if (strncmp(v, "port=", 5) == 0) {
			text = v + 5;
		} else if (strcmp(v, "port") == 0 && a->argc == 1) {
			text = a->argv[0];
		} else {
			cmd_error(ctx, "command bootstrap: unknown flag --%s", v);
			return -1;
		}
	} else if (a->argc != 0) {
		cmd_error(ctx, "command bootstrap: too many arguments (need at most 0)");
		return -1;
	}
	if (text == NULL)
		return 0;
	return cmd_number(ctx, "port", text, 1, 65535, port);
}

static struct session *bootstrap_session(struct cmd_ctx *ctx, const char *name)
{
	struct session *s;
	struct pty_spawn sp;
	struct args none;
	struct environ *env;
	char *cause = NULL, *checked = NULL;

	if (name != NULL) {
		checked = session_check_name(name);
		if (checked[0] == '\0') {
			cmd_error(ctx, "invalid session: %s", name);
			free(checked);
			return NULL;
		}
		s = session_find(checked);
	} else {
		s = session_best();
	}
	if (s == NULL) {
		memset(&none, 0, sizeof none);
		/* The first pane already has the client's variables. */
		env = environ_create();
		if (cmd_client_environ(ctx->req))
			environ_update_options(env, global_s_options, ctx->req->envc, ctx->req->env);
		cmd_spawn_init_environ(ctx, &none, NULL, env, &sp);
		s = session_create(checked, NULL, 80, 24, &sp, &cause);
		cmd_spawn_free(&sp);
		if (s == NULL) {
			environ_free(env);
			cmd_error(ctx, "%s", cause);
			free(cause);
		} else {
			environ_free(s->environ);
			s->environ = env;
		}
	}
	free(checked);
	return s;
}

static int cmd_bootstrap(struct cmd_ctx *ctx, struct args *a)
{
	char key[CRYPTO_KEY_TEXT_SIZE], *cause = NULL;
	const char *term;
	struct session *s;
	unsigned bound;
	long port;

	if (link_port_arg(ctx, a, &port) != 0)
		return CMD_ERROR;
	s = bootstrap_session(ctx, args_get(a, 't'));
	if (s == NULL)
		return CMD_ERROR;
	/* Attaching brings the client's update-environment variables, as
	 * tmux's attach-session does. */
	if (cmd_client_environ(ctx->req))
		environ_update_options(s->environ, s->options, ctx->req->envc, ctx->req->env);
	term = ctx->req != NULL ? ctlmsg_command_getenv(ctx->req, "TERM") : NULL;
	if (link_connection_new(s, term, (unsigned)port, &bound, key, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	cmd_print(ctx, "RMUX CONNECT %u %s", bound, key);
	explicit_bzero(key, sizeof key);
	return CMD_OK;
}

/* ---- clients ---- */

/* The client T names, or the current one: the client whose key or
 * command runs this, else the one that spoke last in the caller's
 * session (RMUX_PANE), else the one that spoke last. */
static struct link_conn *target_client(struct cmd_ctx *ctx, const char *t)
{
	struct link_conn *c;

	if (t != NULL) {
		c = link_find(t);
		if (c == NULL)
			cmd_error(ctx, "can't find client: %s", t);
		return c;
	}
	c = link_current();
	if (c == NULL && ctx->cur_pane != NULL && pane_find(ctx->cur_pane->id) == ctx->cur_pane)
		c = link_best(ctx->cur_pane->window->session);
	if (c == NULL)
		c = link_best(NULL);
	if (c == NULL)
		cmd_error(ctx, "no current client");
	return c;
}

struct client_format {
	struct link_conn *c;
	struct session *s;
};

static char *client_lookup(const char *name, void *arg)
{
	struct client_format *cf = arg;
	char *v = link_format(cf->c, cf->s, name), *fmt;
	struct window *w = cf->s != NULL ? cf->s->cur : NULL;

	if (v != NULL)
		return v;
	fmt = xasprintf("#{%s}", name);
	v = cmd_format(fmt, cf->s, w, w != NULL ? w->active : NULL);
	free(fmt);
	return v;
}

/* As tmux 3.3a's list-clients; rmux's clients have no user of their own. */
#define LIST_CLIENTS_FORMAT                                                                     \
	"#{client_name}: #{session_name} [#{client_width}x#{client_height} #{client_termname}] " \
	"#{?client_flags,(,}#{client_flags}#{?client_flags,),}"

static int cmd_list_clients(struct cmd_ctx *ctx, struct args *a)
{
	const char *fmt = args_get(a, 'F') != NULL ? args_get(a, 'F') : LIST_CLIENTS_FORMAT;
	struct session *only = NULL;
	struct link_conn *c;

	if (args_has(a, 't') && cmd_find_session(ctx, args_get(a, 't'), &only) != 0)
		return CMD_ERROR;
	for (c = link_first(); c != NULL; c = link_next(c)) {
		struct client_format cf = { c, link_session(c) };
		struct format_ctx fc = { client_lookup, &cf };
		char *line;

		if (only != NULL && cf.s != only)
			continue;
		line = format_expand(fmt, &fc);
		cmd_print(ctx, "%s", line);
		free(line);
	}
	return CMD_OK;
}

static int cmd_detach_client(struct cmd_ctx *ctx, struct args *a)
{
	struct link_conn *c, *next, *tc;
	struct session *s;

	if (args_has(a, 'E'))
		return cmd_error(ctx, "-E is not supported: a link client runs no command");
	/* -P (kill the client's parent shell) has nothing to kill here: the
	 * client leaves as for a plain detach. */
	if (args_has(a, 's')) {
		size_t mark = ctx->err->len;

		/* As tmux: a session that does not exist detaches nobody,
		 * quietly. */
		if (cmd_find_session(ctx, args_get(a, 's'), &s) != 0) {
			ctx->err->len = mark;
			return CMD_OK;
		}
		for (c = link_first(); c != NULL; c = next) {
			next = link_next(c);
			if (link_session(c) == s)
				link_detach(c);
		}
		return CMD_OK;
	}
	tc = target_client(ctx, args_get(a, 't'));
	if (tc == NULL)
		return CMD_ERROR;
	if (args_has(a, 'a')) {
		for (c = link_first(); c != NULL; c = next) {
			next = link_next(c);
			if (c != tc)
				link_detach(c);
		}
		return CMD_OK;
	}
	link_detach(tc);
	return CMD_OK;
}

/* Sessions in name order, as tmux keeps them: the one after (DIR 1) or
 * before (-1) CUR, wrapping round. */
static struct session *session_step(struct session *cur, int dir)
{
	struct session *s, *best = NULL, *wrap = NULL;

	for (s = session_first(); s != NULL; s = s->next) {
		int c = strcmp(s->name, cur->name) * dir;

		if (s == cur)
			continue;
		if (c > 0 && (best == NULL || strcmp(s->name, best->name) * dir < 0))
			best = s;
		if (wrap == NULL || strcmp(s->name, wrap->name) * dir < 0)
			wrap = s;
	}
	return best != NULL ? best : wrap;
}

static int cmd_switch_client(struct cmd_ctx *ctx, struct args *a)
{
	struct link_conn *c;
	struct session *s = NULL, *cs;

	if (args_has(a, 'r'))
		return cmd_error(ctx, "switch-client -r: read-only clients are not supported");
	if (args_has(a, 'T'))
		return cmd_error(ctx, "switch-client -T: key tables are per session in rmux; "
		    "use the binding's table");
	c = target_client(ctx, args_get(a, 'c'));
	if (c == NULL)
		return CMD_ERROR;
	cs = link_session(c);
	if (args_has(a, 'n') || args_has(a, 'p')) {
		if (cs == NULL || (s = session_step(cs, args_has(a, 'n') ? 1 : -1)) == NULL)
			return cmd_error(ctx, "can't find %s session",
			    args_has(a, 'n') ? "next" : "previous");
	} else if (args_has(a, 'l')) {
		s = link_last_session(c);
		if (s == NULL)
			return cmd_error(ctx, "can't find last session");
	} else if (cmd_find_session(ctx, args_get(a, 't'), &s) != 0) {
		return CMD_ERROR;
	}
	if (s != NULL && s != cs)
		link_switch(c, s);
	return CMD_OK;
}

static int cmd_refresh_client(struct cmd_ctx *ctx, struct args *a)
{
	struct link_conn *c;

	/* -U -D -L -R pan a window larger than the client; rmux sizes windows
	 * to their clients, so there is nothing to pan and they only repaint,
	 * as tmux does when the window fits. */
	if (args_has(a, 'l') || args_has(a, 'C') || args_has(a, 'A') || args_has(a, 'B') ||
	    args_has(a, 'f') || args_has(a, 'F'))
		return cmd_error(ctx, "refresh-client: -A -B -C -f -F -l are for tmux's control "
		    "clients and terminal clipboard queries, which rmux does not have");
	c = target_client(ctx, args_get(a, 't'));
	if (c == NULL)
		return CMD_ERROR;
	link_redraw(c);
	return CMD_OK;
}

/* The overlay belongs to the session the client shows: keys are per
 * session in rmux. */
static int cmd_display_panes(struct cmd_ctx *ctx, struct args *a)
{
	struct link_conn *c = target_client(ctx, args_get(a, 't'));
	struct session *s;
	long duration;

	if (c == NULL)
		return CMD_ERROR;
	s = link_session(c);
	if (s == NULL)
		return cmd_error(ctx, "no current session");
	duration = (long)options_get_number(s->options, "display-panes-time");
	if (args_has(a, 'd') && cmd_number(ctx, "duration", args_get(a, 'd'), 0, 0x7fffffff,
	    &duration) != 0)
		return CMD_ERROR;
	display_panes_open(s, duration, a->argc > 0 ? a->argv[0] : NULL, !args_has(a, 'N'));
	return CMD_OK;
}

static int cmd_suspend_client(struct cmd_ctx *ctx, struct args *a)
{
	struct link_conn *c = target_client(ctx, args_get(a, 't'));

	if (c == NULL)
		return CMD_ERROR;
	link_suspend(c);
	return CMD_OK;
}

const struct cmd_entry cmd_link_entries[] = {
	{ "bootstrap", NULL, "-:p:t:", 0, 1, "[-t target-session] [--port N]", cmd_bootstrap, 1 },
	{ "detach-client", "detach", "aE:Ps:t:", 0, 0,
	    "[-aP] [-E shell-command] [-s target-session] [-t target-client]", cmd_detach_client,
	    0 },
	{ "list-clients", "lsc", "F:t:", 0, 0, "[-F format] [-t target-session]", cmd_list_clients,
	    0 },
	{ "refresh-client", "refresh", "A:B:cC:Df:F:lLRSt:U", 0, 1,
	    "[-cDlLRSU] [-A pane:state] [-B name:what:format] [-C XxY] [-f flags] "
	    "[-t target-client] [adjustment]", cmd_refresh_client, 0 },
	{ "suspend-client", "suspendc", "t:", 0, 0, "[-t target-client]", cmd_suspend_client, 0 },
	{ "display-panes", "displayp", "bd:Nt:", 0, 1,
	    "[-bN] [-d duration] [-t target-client] [template]", cmd_display_panes, 0 },
	{ "switch-client", "switchc", "Ec:lnprt:T:Z", 0, 0,
	    "[-ElnprZ] [-c target-client] [-t target-session] [-T key-table]", cmd_switch_client, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 },
};
