/* cmd.c — the command table, flags, targets and the pane program of new
 * panes. Messages and their wording follow tmux 3.3a, since scripts
 * written for tmux match on them. */
#include "server/cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd_parse.h"
#include "server/daemon.h"
#include "server/environ.h"
#include "server/keys.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/pty.h"
#include "server/session.h"
#include "server/window.h"

int cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s != NULL) {
		buf_add(ctx->err, s, strlen(s));
		buf_add(ctx->err, "\n", 1);
		free(s);
	}
	return CMD_ERROR;
}

void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s != NULL) {
		buf_add(ctx->out, s, strlen(s));
		buf_add(ctx->out, "\n", 1);
		free(s);
	}
}

int cmd_number(struct cmd_ctx *ctx, const char *what, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0) {
		cmd_error(ctx, "%s invalid", what);
		return -1;
	}
	if (v < min) {
		cmd_error(ctx, "%s too small", what);
		return -1;
	}
	if (v > max) {
		cmd_error(ctx, "%s too large", what);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- new panes ---- */

int cmd_client_environ(const struct ctlmsg_command *req)
{
	int i;

	if (req == NULL)
		return 0;
	for (i = 0; i < req->envc; i++) {
		if (strncmp(req->env[i], "RMUX_PANE=", 10) != 0)
			return 1;
	}
	return 0;
}

void cmd_spawn_init(struct cmd_ctx *ctx, struct args *a, struct session *s, struct pty_spawn *sp)
{
	cmd_spawn_init_environ(ctx, a, s, s != NULL ? s->environ : NULL, sp);
}

void cmd_spawn_init_environ(struct cmd_ctx *ctx, struct args *a, struct session *s,
    const struct environ *senv, struct pty_spawn *sp)
{
	const char *cwd = args_get(a, 'c'), *path;
	struct environ *env;
	struct options *oo;
	char *v;
	int i;

	memset(sp, 0, sizeof *sp);
	sp->argc = a->argc;
	sp->argv = xcalloc((size_t)a->argc + 1, sizeof *sp->argv);
	for (i = 0; i < a->argc; i++)
		sp->argv[i] = xstrdup(a->argv[i]);
	/* An empty command string means the shell, as in tmux. */
	if (sp->argc == 1 && sp->argv[0][0] == '\0')
		sp->argc = 0;
	oo = s != NULL ? s->options : global_s_options;
	if (sp->argc == 0 && *options_get_string(oo, "default-command") != '\0') {
		free(sp->argv[0]);
		sp->argv = xreallocarray(sp->argv, 2, sizeof *sp->argv);
		sp->argv[0] = xstrdup(options_get_string(oo, "default-command"));
		sp->argv[1] = NULL;
		sp->argc = 1;
	}
	sp->shell = options_get_string(oo, "default-shell");
	if (cwd == NULL && ctx->req != NULL && ctx->req->cwd[0] != '\0')
		cwd = ctx->req->cwd;
	sp->cwd = cwd != NULL ? xstrdup(cwd) : NULL;
	/* As tmux builds it: the global environment under the session's,
	 * then the terminal, -e, PATH and SHELL. */
	env = environ_create();
	environ_copy(environ_global(), env);
	if (senv != NULL)
		environ_copy(senv, env);
	environ_set(env, "TERM", options_get_string(global_options, "default-terminal"), 0);
	environ_set(env, "COLORTERM", "truecolor", 0);
	v = xasprintf("%s,%ld,%d", daemon_socket_path(), (long)getpid(),
	    s != NULL ? s->id : session_peek_next_id());
	environ_set(env, "RMUX", v, 0);
	free(v);
	if (args_get(a, 'e') != NULL)
		environ_put(env, args_get(a, 'e'), 0);
	/* A command line's own PATH, so that what it starts is found. */
	path = cmd_client_environ(ctx->req) ? ctlmsg_command_getenv(ctx->req, "PATH") : NULL;
	if (path != NULL)
		environ_set(env, "PATH", path, 0);
	else if (environ_find(env, "PATH") == NULL ||
	    environ_find(env, "PATH")->value == NULL)
		environ_set(env, "PATH", "/usr/bin:/bin", 0);
	environ_set(env, "SHELL", sp->shell, 0);
	sp->env = environ_list(env);
	environ_free(env);
}

void cmd_spawn_free(struct pty_spawn *sp)
{
	int i;

	for (i = 0; sp->argv != NULL && sp->argv[i] != NULL; i++)
		free(sp->argv[i]);
	free(sp->argv);
	for (i = 0; sp->env != NULL && sp->env[i] != NULL; i++)
		free(sp->env[i]);
	free(sp->env);
	free((char *)sp->cwd);
	memset(sp, 0, sizeof *sp);
}

/* ---- the table and the run loop ---- */

/* Each command is in exactly one family. */
static const struct cmd_entry *const tables[] = { cmd_session_entries, cmd_window_entries,
	cmd_pane_entries, cmd_copy_entries, cmd_buffer_entries, cmd_keys_entries,
	cmd_option_entries, cmd_layout_entries, cmd_link_entries, cmd_environ_entries };

const struct cmd_entry *cmd_find_entry(const char *name, int *ambiguous)
{
	const struct cmd_entry *e, *found = NULL;
	size_t i, n = strlen(name);

	*ambiguous = 0;
	for (i = 0; i < RMUX_NITEMS(tables); i++) {
		for (e = tables[i]; e->name != NULL; e++) {
			if (strcmp(e->name, name) == 0 || (e->alias != NULL && strcmp(e->alias, name) == 0))
				return e;
		}
	}
	for (i = 0; i < RMUX_NITEMS(tables); i++) {
		for (e = tables[i]; e->name != NULL; e++) {
			if (strncmp(e->name, name, n) == 0) {
				if (found != NULL)
					*ambiguous = 1;
				found = e;
			}
		}
	}
	return *ambiguous ? NULL : found;
}

int cmd_starts_server(const char *name)
{
	int amb;
	const struct cmd_entry *e = cmd_find_entry(name, &amb);

	return e != NULL && e->starts_server;
}

/* getopt-style flags: clusters (-dP), values attached or next, "--". */
static int parse_args(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc, char **argv,
    struct args *a)
{
	int i = 1;

	memset(a, 0, sizeof *a);
	while (i < argc) {
		const char *arg = argv[i];
		size_t j;

		if (arg[0] != '-' || arg[1] == '\0')
			break;
		i++;
		if (strcmp(arg, "--") == 0)
			break;
		for (j = 1; arg[j] != '\0'; j++) {
			unsigned char c = (unsigned char)arg[j];
			const char *f = c < 0x80 && c != ':' ? strchr(e->flags, c) : NULL;

			if (f == NULL)
				return cmd_error(ctx, "command %s: unknown flag -%c", e->name, c);
			if (f[1] != ':') {
				a->value[c] = "";
				continue;
			}
			if (arg[j + 1] != '\0') {
				a->value[c] = arg + j + 1;
			} else if (i < argc) {
				a->value[c] = argv[i++];
			} else {
				return cmd_error(ctx, "command %s: -%c expects an argument", e->name, c);
			}
			break;
		}
	}
	a->argc = argc - i;
	a->argv = argv + i;
	if (a->argc < e->lower || (e->upper >= 0 && a->argc > e->upper))
		return cmd_error(ctx, "command %s: too %s arguments (need %s%d)", e->name,
		    a->argc < e->lower ? "few" : "many", a->argc < e->lower ? "at least " : "at most ",
		    a->argc < e->lower ? e->lower : e->upper);
	return CMD_OK;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* tmux's message: the commands NAME could be, in name order. */
static int ambiguous(struct cmd_ctx *ctx, const char *name)
{
	const struct cmd_entry *e;
	const char **names = NULL;
	struct buf b;
	size_t i, n = 0, len = strlen(name);

	for (i = 0; i < RMUX_NITEMS(tables); i++) {
		for (e = tables[i]; e->name != NULL; e++) {
			if (strncmp(e->name, name, len) == 0) {
				names = xreallocarray(names, n + 1, sizeof *names);
				names[n++] = e->name;
			}
		}
	}
	qsort(names, n, sizeof *names, compare_names);
	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_add_printf(&b, "%s%s", i == 0 ? "" : ", ", names[i]);
	cmd_error(ctx, "ambiguous command: %s, could be: %.*s", name, (int)b.len,
	    (const char *)b.data);
	buf_free(&b);
	free(names);
	return CMD_ERROR;
}

static int run_one(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct args a;
	int amb;

	if (argc == 0)
		return CMD_OK;
	e = cmd_find_entry(argv[0], &amb);
	if (e == NULL) {
		if (amb)
			return ambiguous(ctx, argv[0]);
		return cmd_error(ctx, "unknown command: %s", argv[0]);
	}
	if (parse_args(ctx, e, argc, argv, &a) != CMD_OK)
		return CMD_ERROR;
	return e->exec(ctx, &a);
}

/* Run R's commands from *NEXT on; on CMD_WAIT *NEXT is the one after. */
static int run_list(struct cmd_ctx *ctx, const struct cmd_parse_result *r, size_t *next)
{
	size_t i;
	int status;

	for (i = *next; i < r->ncmds; i++) {
		status = run_one(ctx, r->cmds[i].argc, r->cmds[i].argv);
		if (status == CMD_WAIT) {
			*next = i + 1;
			return CMD_WAIT;
		}
		if (status != CMD_OK)
			return CMD_ERROR;
	}
	return CMD_OK;
}

int cmd_execute_wait(const struct ctlmsg_command *req, int argc, char **argv, struct buf *out,
    struct buf *err, void *waiter, size_t *next)
{
	struct cmd_ctx ctx;
	struct cmd_parse_result r;
	const char *cur;
	int id, status;

	memset(&ctx, 0, sizeof ctx);
	ctx.req = req;
	ctx.out = out;
	ctx.err = err;
	ctx.waiter = waiter;
	cur = req != NULL ? ctlmsg_command_getenv(req, "RMUX_PANE") : NULL;
	if (cur != NULL && cur[0] == '%' && sscanf(cur + 1, "%d", &id) == 1 && id >= 0)
		ctx.cur_pane = pane_find(id);
	memset(&r, 0, sizeof r);
	if (cmd_parse_argv(argc, argv, &r) != 0) {
		cmd_parse_result_free(&r);
		return cmd_error(&ctx, "command too long");
	}
	status = run_list(&ctx, &r, next);
	cmd_parse_result_free(&r);
	daemon_wake();
	return status;
}

int cmd_execute(const struct ctlmsg_command *req, int argc, char **argv, struct buf *out,
    struct buf *err)
{
	size_t next = 0;

	return cmd_execute_wait(req, argc, argv, out, err, NULL, &next);
}

static int compare_entries(const void *a, const void *b)
{
	const struct cmd_entry *ea = *(const struct cmd_entry *const *)a;
	const struct cmd_entry *eb = *(const struct cmd_entry *const *)b;

	return strcmp(ea->name, eb->name);
}

int cmd_list_commands(struct cmd_ctx *ctx, const char *only, const char *fmt)
{
	const struct cmd_entry *e, **all = NULL;
	size_t i, n = 0;
	int amb;

	if (only != NULL) {
		e = cmd_find_entry(only, &amb);
		if (e == NULL)
			return cmd_error(ctx, "%s command: %s", amb ? "ambiguous" : "unknown", only);
		all = xcalloc(1, sizeof *all);
		all[n++] = e;
	} else {
		for (i = 0; i < RMUX_NITEMS(tables); i++) {
			for (e = tables[i]; e->name != NULL; e++) {
				all = xreallocarray(all, n + 1, sizeof *all);
				all[n++] = e;
			}
		}
		qsort(all, n, sizeof *all, compare_entries);
	}
	for (i = 0; i < n; i++) {
		e = all[i];
		if (fmt != NULL) {
			struct buf b;
			char *line;
			size_t k;

			/* Only the command_list_* variables make sense here. */
			buf_init(&b);
			for (k = 0; fmt[k] != '\0'; k++) {
				if (strncmp(fmt + k, "#{command_list_name}", 20) == 0) {
					buf_add(&b, e->name, strlen(e->name));
					k += 19;
				} else if (strncmp(fmt + k, "#{command_list_alias}", 21) == 0) {
					if (e->alias != NULL)
						buf_add(&b, e->alias, strlen(e->alias));
					k += 20;
				} else if (strncmp(fmt + k, "#{command_list_usage}", 21) == 0) {
					buf_add(&b, e->usage, strlen(e->usage));
					k += 20;
				} else {
					buf_add_u8(&b, (uint8_t)fmt[k]);
				}
			}
			line = xstrndup((const char *)b.data, b.len);
			cmd_print(ctx, "%s", line);
			free(line);
			buf_free(&b);
			continue;
		}
		if (e->alias != NULL)
			cmd_print(ctx, "%s (%s) %s", e->name, e->alias, e->usage);
		else
			cmd_print(ctx, "%s %s", e->name, e->usage);
	}
	free(all);
	return CMD_OK;
}

/* Deepest nesting of source-file: a file that sources itself stops. */
#define CMD_SOURCE_MAX_DEPTH 50

int cmd_source_file(const char *path, int quiet, struct buf *out, struct buf *err)
{
	static int depth;
	struct cmd_ctx ctx;
	struct cmd_parse_result r;
	struct buf one;
	FILE *f;
	char *text = NULL;
	size_t len = 0, i, k;
	int failed = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		if (quiet && errno == ENOENT)
			return 0;
		buf_add_printf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (depth >= CMD_SOURCE_MAX_DEPTH) {
		fclose(f);
		buf_add_printf(err, "%s: too many nested files\n", path);
		return -1;
	}
	{
		char chunk[4096];
		size_t n;

		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && len < CMD_PARSE_MAX_INPUT) {
			text = xrealloc(text, len + n);
			memcpy(text + len, chunk, n);
			len += n;
		}
	}
	fclose(f);
	memset(&ctx, 0, sizeof ctx);
	buf_init(&one);
	ctx.out = out;
	ctx.err = &one;
	memset(&r, 0, sizeof r);
	cmd_parse_string(text != NULL ? text : "", len, NULL, &r);
	free(text);
	for (i = 0; i < r.nerrors; i++) {
		buf_add_printf(err, "%s:%u: %s\n", path, r.errors[i].line, r.errors[i].message);
		failed = 1;
	}
	depth++;
	for (i = 0; i < r.ncmds; i++) {
		buf_reset(&one);
		if (run_one(&ctx, r.cmds[i].argc, r.cmds[i].argv) == CMD_OK && one.len == 0)
			continue;
		failed = 1;
		/* Each line of the message gets the file and line in front,
		 * unless a nested source-file put its own there already. */
		for (k = 0; k < one.len;) {
			size_t e = k;

			while (e < one.len && one.data[e] != '\n')
				e++;
			if (strcmp(r.cmds[i].argv[0], "source-file") == 0 ||
			    strcmp(r.cmds[i].argv[0], "source") == 0)
				buf_add_printf(err, "%.*s\n", (int)(e - k), (const char *)one.data + k);
			else
				buf_add_printf(err, "%s:%u: %.*s\n", path, r.cmds[i].line, (int)(e - k),
				    (const char *)one.data + k);
			k = e + 1;
		}
	}
	depth--;
	cmd_parse_result_free(&r);
	buf_free(&one);
	return failed ? -1 : 0;
}
