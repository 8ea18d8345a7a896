/* keys.c — the key path of the daemon (see keys.h). The decisions (which
 * table, prefix, repeat runs) are the key_table module's; this file holds
 * the state those decisions need per session and carries them out. A
 * session's state lives here, found by session id, so sessions need no
 * field for it; entries of sessions that are gone are dropped on the next
 * key. */
#include "server/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/ctlmsg.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_keys.h"
#include "server/copy_mode.h"
#include "server/key_table.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/window.h"
#include "term/key_string.h"
#include "term/vt.h"

struct keys_state {
	int session_id;
	struct key_client kc;
	struct keys_state *next;
};

static struct key_tables *tables;
static struct keys_state *states;
static unsigned depth;

/* ---- options ---- */

/* The set NAME is read from for P: the pane's chain for window and pane
 * options, its session's for session options, else the global sets. */
static const struct options *option_set(const struct pane *p, const char *name)
{
	const char *cause;
	const struct options_entry *oe = options_table_find(name, &cause);

	if (oe == NULL || (oe->scope & OPTION_SCOPE_SERVER))
		return global_options;
	if (oe->scope & OPTION_SCOPE_SESSION) {
		if (p != NULL && p->window != NULL && p->window->session != NULL)
			return p->window->session->options;
		return global_s_options;
	}
	return p != NULL && p->options != NULL ? p->options : global_w_options;
}

long long keys_option_number(const struct pane *p, const char *name)
{
	return options_get_number(option_set(p, name), name);
}

const char *keys_option_string(const struct pane *p, const char *name)
{
	const char *v = options_get_string(option_set(p, name), name);

	return v != NULL ? v : "";
}

/* ---- tables ---- */

struct key_tables *keys_tables(void)
{
	static const struct {
		const char *name;
		int vi;
	} modes[] = { { "copy-mode", 0 }, { "copy-mode-vi", 1 } };
	struct key_tables_ops ops = { cmd_keys_print, NULL };
	size_t i, j, n;

	if (tables != NULL)
		return tables;
	tables = key_tables_create(&ops);
	for (i = 0; i < RMUX_NITEMS(modes); i++) {
		const struct copy_mode_binding *b = copy_mode_default_bindings(modes[i].vi, &n);

		for (j = 0; j < n; j++) {
			char *cause = NULL;

			/* Fixed text from copy_mode.c; a failure is a bug there. */
			if (key_tables_bind_text(tables, modes[i].name, b[j].key, 0, NULL, b[j].command,
			    &cause) != 0) {
				fprintf(stderr, "rmux: bad default binding %s %s: %s\n", modes[i].name,
				    b[j].key, cause);
				abort();
			}
		}
	}
	return tables;
}

const char *keys_mode_table(const struct pane *p)
{
	if (p == NULL || p->copy == NULL)
		return NULL;
	return keys_option_number(p, "mode-keys") ? "copy-mode-vi" : "copy-mode";
}

/* ---- per-session state ---- */

static struct keys_state *state_get(const struct session *s)
{
	struct keys_state **sp, *st;

	for (sp = &states; *sp != NULL;) {
		st = *sp;
		if (st->session_id == s->id)
			return st;
		if (session_find_id(st->session_id) == NULL) {
			*sp = st->next;
			key_client_clear(&st->kc);
			free(st);
			continue;
		}
		sp = &st->next;
	}
	st = xcalloc(1, sizeof *st);
	st->session_id = s->id;
	st->next = states;
	states = st;
	return st;
}

const char *keys_session_table(const struct session *s)
{
	struct keys_state *st;

	for (st = states; st != NULL; st = st->next) {
		if (st->session_id == s->id)
			return key_client_table(&st->kc, "root");
	}
	return "root";
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- running ---- */

void keys_pane_key(struct pane *p, uint64_t key)
{
	const struct screen *scr;
	char bytes[KEY_BYTES_MAX];
	int modes = 0, n;

	if (p->copy != NULL)
		return;
	scr = vt_screen(p->vt);
	if (scr->modes & MODE_APP_CURSOR)
		modes |= KEY_MODE_CURSOR;
	if (scr->modes & MODE_APP_KEYPAD)
		modes |= KEY_MODE_KEYPAD;
	n = key_string_to_bytes(key, modes, bytes);
	if (n > 0)
		pane_write(p, bytes, (size_t)n);
}

/* One word for cmd_execute's argument splitting: a trailing ';' would
 * separate commands, so it is written "\;". */
static char *protect_word(const char *w)
{
	size_t len = strlen(w);

	if (len == 0 || w[len - 1] != ';')
		return xstrdup(w);
	return xasprintf("%.*s\\;", (int)(len - 1), w);
}

int keys_run(struct cmd_ctx *ctx, struct pane *p, const struct cmd_parse_result *cmds)
{
	struct ctlmsg_command req;
	char var[32];
	char *env[1];
	char **argv;
	size_t i, n = 0, total = 0;
	int j, status;

	if (cmds->ncmds == 0)
		return CMD_OK;
	if (depth >= KEYS_MAX_DEPTH)
		return cmd_error(ctx, "key bindings nest too deeply");
	for (i = 0; i < cmds->ncmds; i++)
		total += (size_t)cmds->cmds[i].argc + 1;
	argv = xcalloc(total + 1, sizeof *argv);
	for (i = 0; i < cmds->ncmds; i++) {
		if (i != 0)
			argv[n++] = xstrdup(";");
		for (j = 0; j < cmds->cmds[i].argc; j++)
			argv[n++] = protect_word(cmds->cmds[i].argv[j]);
	}
	/* The commands see P as the pane they were typed in (RMUX_PANE). */
	memset(&req, 0, sizeof req);
	req.cwd = ctx->req != NULL ? ctx->req->cwd : (char *)"/";
	if (p != NULL) {
		snprintf(var, sizeof var, "RMUX_PANE=%%%d", p->id);
		env[0] = var;
		req.env = env;
		req.envc = 1;
	}
	req.argc = (int)n;
	req.argv = argv;
	depth++;
	status = cmd_execute(&req, (int)n, argv, ctx->out, ctx->err);
	depth--;
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
	return status;
}

int keys_dispatch(struct cmd_ctx *ctx, struct session *s, struct pane **pp, uint64_t key)
{
	struct keys_state *st = state_get(s);
	const struct key_binding *bd;
	struct key_dispatch kd;
	struct cmd_parse_result cmds;
	struct pane *p = *pp;
	int sid = s->id, status = CMD_OK;

	memset(&kd, 0, sizeof kd);
	kd.default_table = "root";
	kd.mode_table = keys_mode_table(p);
	kd.prefix = (uint64_t)keys_option_number(p, "prefix");
	kd.prefix2 = (uint64_t)keys_option_number(p, "prefix2");
	kd.repeat_time = (unsigned)keys_option_number(p, "repeat-time");
	kd.now = now_ms();
	switch (key_tables_dispatch(keys_tables(), &st->kc, &kd, key, &bd)) {
	case KEY_DISPATCH_PANE:
		keys_pane_key(p, key);
		return CMD_OK;
	case KEY_DISPATCH_RUN:
		/* The binding may be replaced while it runs. */
		key_binding_dup(bd, &cmds);
		status = keys_run(ctx, p, &cmds);
		cmd_parse_result_free(&cmds);
		break;
	default:
		return CMD_OK;
	}
	s = session_find_id(sid);
	*pp = s != NULL && s->cur != NULL ? s->cur->active : NULL;
	return status;
}
