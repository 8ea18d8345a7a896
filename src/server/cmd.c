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

/* ---- targets ---- */

static int parse_id(const char *s, char prefix, int *id)
{
	char *end;
	long v;

	if (s[0] != prefix || s[1] == '\0')
		return 0;
	errno = 0;
	v = strtol(s + 1, &end, 10);
	if (*end != '\0' || errno != 0 || v < 0 || v > 0x7fffffff)
		return 0;
	*id = (int)v;
	return 1;
}

static void current(struct cmd_ctx *ctx, struct session **s, struct window **w, struct pane **p)
{
	if (ctx->cur_pane != NULL && pane_find(ctx->cur_pane->id) == ctx->cur_pane) {
		*p = ctx->cur_pane;
		*w = (*p)->window;
		*s = (*w)->session;
		return;
	}
	*s = session_best();
	*w = *s != NULL ? (*s)->cur : NULL;
	*p = *w != NULL ? (*w)->active : NULL;
}

/* Exact name, "=name", $id, then a unique prefix. */
static struct session *lookup_session(const char *t)
{
	struct session *s, *found = NULL;
	size_t n = strlen(t);
	int id;

	if (t[0] == '=')
		return session_find(t + 1);
	if (parse_id(t, '$', &id))
		return session_find_id(id);
	if ((s = session_find(t)) != NULL)
		return s;
	for (s = session_first(); s != NULL; s = s->next) {
		if (strncmp(s->name, t, n) == 0) {
			if (found != NULL)
				return NULL;
			found = s;
		}
	}
	return found;
}

/* Index, @id, "=name", name, unique name prefix; "" the current one;
 * "!" the last, "+" / "-" next and previous. */
static struct window *lookup_window(struct session *s, const char *t)
{
	struct window *w, *found = NULL;
	char name[256];
	char *end;
	long idx;
	int id;
	size_t n = strlen(t);

	if (*t == '\0')
		return s->cur;
	if (strcmp(t, "!") == 0)
		return s->last;
	if (strcmp(t, "+") == 0)
		return s->cur != NULL ? s->cur->next : NULL;
	if (strcmp(t, "-") == 0) {
		for (w = s->windows; w != NULL; w = w->next) {
			if (w->next == s->cur)
				return w;
		}
		return NULL;
	}
	if (parse_id(t, '@', &id)) {
		w = window_find_id(id);
		return w != NULL && w->session == s ? w : NULL;
	}
	if (t[0] == '=') {
		for (w = s->windows; w != NULL; w = w->next) {
			if (strcmp(window_name(w, name, sizeof name), t + 1) == 0)
				return w;
		}
		return NULL;
	}
	errno = 0;
	idx = strtol(t, &end, 10);
	if (*end == '\0' && errno == 0)
		return session_window_at(s, (int)idx);
	for (w = s->windows; w != NULL; w = w->next) {
		if (strcmp(window_name(w, name, sizeof name), t) == 0)
			return w;
	}
	for (w = s->windows; w != NULL; w = w->next) {
		if (strncmp(window_name(w, name, sizeof name), t, n) == 0) {
			if (found != NULL)
				return NULL;
			found = w;
		}
	}
	return found;
}

static struct pane *lookup_pane(struct window *w, const char *t)
{
	char *end;
	long idx;
	int id;

	if (*t == '\0')
		return w->active;
	if (strcmp(t, "!") == 0)
		return w->last;
	if (parse_id(t, '%', &id)) {
		struct pane *p = pane_find(id);

		return p != NULL && p->window == w ? p : NULL;
	}
	errno = 0;
	idx = strtol(t, &end, 10);
	if (*end != '\0' || errno != 0)
		return NULL;
	idx -= (long)options_get_number(w->options, "pane-base-index");
	if (idx < 0)
		return NULL;
	return window_pane_at(w, (size_t)idx);
}

int cmd_find_session(struct cmd_ctx *ctx, const char *t, struct session **s)
{
	struct window *w;
	struct pane *p;
	char *copy, *colon;

	if (t == NULL) {
		current(ctx, s, &w, &p);
		if (*s == NULL)
			return cmd_error(ctx, "no current session") ? -1 : -1;
		return 0;
	}
	if (parse_id(t, '%', &(int){ 0 })) {
		struct window *dw;

		if (cmd_find_pane(ctx, t, s, &dw, &p) != 0)
			return -1;
		return 0;
	}
	copy = xstrdup(t);
	colon = strchr(copy, ':');
	if (colon != NULL)
		*colon = '\0';
	*s = lookup_session(copy);
	free(copy);
	if (*s == NULL) {
		cmd_error(ctx, "can't find session: %s", t);
		return -1;
	}
	return 0;
}

int cmd_find_window(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w)
{
	struct pane *p;
	char *copy, *colon, *wpart;
	int id;

	if (t == NULL) {
		current(ctx, s, w, &p);
		if (*w == NULL) {
			cmd_error(ctx, "no current window");
			return -1;
		}
		return 0;
	}
	if (parse_id(t, '%', &id)) {
		if (cmd_find_pane(ctx, t, s, w, &p) != 0)
			return -1;
		return 0;
	}
	if (parse_id(t, '@', &id)) {
		*w = window_find_id(id);
		if (*w == NULL) {
			cmd_error(ctx, "can't find window: %s", t);
			return -1;
		}
		*s = (*w)->session;
		return 0;
	}
	copy = xstrdup(t);
	colon = strchr(copy, ':');
	if (colon != NULL) {
		*colon = '\0';
		wpart = colon + 1;
		/* "s:1.2": the pane part does not matter here. */
		if (strchr(wpart, '.') != NULL && wpart[0] != '=')
			*strchr(wpart, '.') = '\0';
		*s = copy[0] == '\0' ? (current(ctx, s, w, &p), *s) : lookup_session(copy);
		if (*s == NULL) {
			cmd_error(ctx, "can't find session: %s", copy);
			free(copy);
			return -1;
		}
		*w = lookup_window(*s, wpart);
		if (*w == NULL) {
			cmd_error(ctx, "can't find window: %s", wpart);
			free(copy);
			return -1;
		}
		free(copy);
		return 0;
	}
	/* No colon: a window of the current session, else a session. */
	current(ctx, s, w, &p);
	*w = NULL;
	if (*s != NULL)
		*w = lookup_window(*s, copy);
	if (*w == NULL) {
		*s = lookup_session(copy);
		if (*s != NULL)
			*w = (*s)->cur;
	}
	if (*w == NULL) {
		cmd_error(ctx, "can't find window: %s", t);
		free(copy);
		return -1;
	}
	free(copy);
	return 0;
}

int cmd_find_pane(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w,
    struct pane **p)
{
	char *copy, *dot, *colon;
	int id;

	if (t == NULL) {
		current(ctx, s, w, p);
		if (*p == NULL) {
			cmd_error(ctx, "no current pane");
			return -1;
		}
		return 0;
	}
	if (parse_id(t, '%', &id)) {
		*p = pane_find(id);
		if (*p == NULL) {
			cmd_error(ctx, "can't find pane: %s", t);
			return -1;
		}
		*w = (*p)->window;
		*s = (*w)->session;
		return 0;
	}
	copy = xstrdup(t);
	colon = strchr(copy, ':');
	dot = strrchr(colon != NULL ? colon : copy, '.');
	if (dot != NULL) {
		*dot = '\0';
		if (cmd_find_window(ctx, copy[0] == '\0' ? NULL : copy, s, w) != 0) {
			free(copy);
			return -1;
		}
		*p = lookup_pane(*w, dot + 1);
		if (*p == NULL) {
			cmd_error(ctx, "can't find pane: %s", dot + 1);
			free(copy);
			return -1;
		}
		free(copy);
		return 0;
	}
	free(copy);
	if (colon == NULL) {
		/* A bare word: a pane index of the current window first. */
		struct session *cs;
		struct window *cw;
		struct pane *cp;

		current(ctx, &cs, &cw, &cp);
		if (cw != NULL && t[0] >= '0' && t[0] <= '9' && strspn(t, "0123456789") == strlen(t) &&
		    lookup_window(cs, t) == NULL && (*p = lookup_pane(cw, t)) != NULL) {
			*s = cs;
			*w = cw;
			return 0;
		}
	}
	if (cmd_find_window(ctx, t, s, w) != 0)
		return -1;
	*p = (*w)->active;
	return 0;
}

/* ---- new panes ---- */

void cmd_spawn_init(struct cmd_ctx *ctx, struct args *a, struct session *s, struct pty_spawn *sp)
{
	char **env = xcalloc(4, sizeof *env);
	const char *cwd = args_get(a, 'c');
	struct options *oo;
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
	env[0] = xasprintf("TERM=%s", options_get_string(global_options, "default-terminal"));
	env[1] = xstrdup("COLORTERM=truecolor");
	env[2] = xasprintf("RMUX=%s,%ld,%d", daemon_socket_path(), (long)getpid(),
	    s != NULL ? s->id : session_peek_next_id());
	sp->env = env;
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

/* Keys and copy families first: their send-keys and capture-pane stand in
 * for cmd_pane's. */
static const struct cmd_entry *const tables[] = { cmd_keys_entries, cmd_copy_entries,
	cmd_buffer_entries, cmd_session_entries, cmd_window_entries, cmd_pane_entries, cmd_option_entries, cmd_layout_entries,
	cmd_link_entries };

static const struct cmd_entry *lookup_entry(const char *name, int *ambiguous)
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
	const struct cmd_entry *e = lookup_entry(name, &amb);

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

static int run_one(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e;
	struct args a;
	int amb;

	if (argc == 0)
		return CMD_OK;
	e = lookup_entry(argv[0], &amb);
	if (e == NULL) {
		if (amb)
			return cmd_error(ctx, "ambiguous command: %s", argv[0]);
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
	if (cur != NULL && parse_id(cur, '%', &id))
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
		e = lookup_entry(only, &amb);
		if (e == NULL)
			return cmd_error(ctx, "%s command: %s", amb ? "ambiguous" : "unknown", only);
		all = xcalloc(1, sizeof *all);
		all[n++] = e;
	} else {
		for (i = 0; i < RMUX_NITEMS(tables); i++) {
			for (e = tables[i]; e->name != NULL; e++) {
				/* A family may stand in for an older entry
				 * of the same name: list the one that runs. */
				if (lookup_entry(e->name, &amb) != e)
					continue;
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
