/* cmd_environ.c — set-environment and show-environment on the global and
 * session environments (environ.h), with tmux 3.3a's output and
 * messages. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/environ.h"
#include "server/session.h"
#include "server/window.h"

/* The environment of -g or of the -t session (or the current one). A
 * -t that does not resolve is "no such session", -g or not, as tmux says
 * here. */
static struct environ *target_environ(struct cmd_ctx *ctx, struct args *a, struct session **sp)
{
	struct cmd_ctx quiet = *ctx;
	struct buf ignored;
	struct session *s = NULL;
	const char *t = args_get(a, 't');
	int found;

	buf_init(&ignored);
	quiet.err = &ignored;
	found = cmd_find_session(&quiet, t, &s) == 0;
	buf_free(&ignored);
	*sp = found ? s : NULL;
	if (!found && t != NULL) {
		cmd_error(ctx, "no such session: %s", t);
		return NULL;
	}
	if (args_has(a, 'g'))
		return environ_global();
	if (!found) {
		cmd_error(ctx, "no current session");
		return NULL;
	}
	return s->environ;
}

static int cmd_set_environment(struct cmd_ctx *ctx, struct args *a)
{
	struct environ *env;
	struct session *s;
	const char *name = a->argv[0];
	char *value = NULL;
	int status = CMD_OK;

	if (*name == '\0')
		return cmd_error(ctx, "empty variable name");
	if (strchr(name, '=') != NULL)
		return cmd_error(ctx, "variable name contains =");
	if ((env = target_environ(ctx, a, &s)) == NULL)
		return CMD_ERROR;
	if (a->argc > 1) {
		if (args_has(a, 'F')) {
			struct window *w = s != NULL ? s->cur : NULL;

			value = cmd_format(a->argv[1], s, w, w != NULL ? w->active : NULL);
		} else {
			value = xstrdup(a->argv[1]);
		}
	}
	if (args_has(a, 'u')) {
		if (value != NULL)
			status = cmd_error(ctx, "can't specify a value with -u");
		else
			environ_unset(env, name);
	} else if (args_has(a, 'r')) {
		if (value != NULL)
			status = cmd_error(ctx, "can't specify a value with -r");
		else
			environ_set(env, name, NULL, 0);
	} else if (value == NULL) {
		status = cmd_error(ctx, "no value specified");
	} else {
		environ_set(env, name, value, args_has(a, 'h') ? ENVIRON_HIDDEN : 0);
	}
	free(value);
	return status;
}

/* VALUE between double quotes for sh: the characters special there get
 * a backslash. */
static void add_quoted(struct buf *b, const char *value)
{
	const char *c;

	buf_add_u8(b, '"');
	for (c = value; *c != '\0'; c++) {
		if (strchr("$`\"\\", *c) != NULL)
			buf_add_u8(b, '\\');
		buf_add_u8(b, (uint8_t)*c);
	}
	buf_add_u8(b, '"');
}

/* One entry as tmux prints it: hidden ones only with -h, and with -h
 * only those. */
static void print_entry(struct cmd_ctx *ctx, struct args *a, const struct environ_entry *e)
{
	struct buf b;

	if (!args_has(a, 'h') != !(e->flags & ENVIRON_HIDDEN))
		return;
	buf_init(&b);
	if (args_has(a, 's')) {
		if (e->value == NULL) {
			buf_add_printf(&b, "unset %s;", e->name);
		} else {
			buf_add_printf(&b, "%s=", e->name);
			add_quoted(&b, e->value);
			buf_add_printf(&b, "; export %s;", e->name);
		}
	} else if (e->value == NULL) {
		buf_add_printf(&b, "-%s", e->name);
	} else {
		buf_add_printf(&b, "%s=%s", e->name, e->value);
	}
	buf_add_u8(&b, '\n');
	buf_add(ctx->out, b.data, b.len);
	buf_free(&b);
}

static int cmd_show_environment(struct cmd_ctx *ctx, struct args *a)
{
	struct environ *env;
	struct session *s;
	const struct environ_entry *e;
	size_t i;

	if ((env = target_environ(ctx, a, &s)) == NULL)
		return CMD_ERROR;
	if (a->argc > 0) {
		if ((e = environ_find(env, a->argv[0])) == NULL)
			return cmd_error(ctx, "unknown variable: %s", a->argv[0]);
		print_entry(ctx, a, e);
		return CMD_OK;
	}
	for (i = 0; (e = environ_at(env, i)) != NULL; i++)
		print_entry(ctx, a, e);
	return CMD_OK;
}

const struct cmd_entry cmd_environ_entries[] = {
	{ "set-environment", "setenv", "Fhgrt:u", 1, 2,
	    "[-Fhgru] [-t target-session] name [value]", cmd_set_environment, 0 },
	{ "show-environment", "showenv", "hgst:", 0, 1, "[-hgs] [-t target-session] [name]",
	    cmd_show_environment, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
