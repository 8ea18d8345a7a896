/* cmd_keys.c — bind-key, unbind-key, list-keys, send-keys and send-prefix.
 * The tables and their listing are the key_table module's; here are the
 * flags, the targets, and the printing of bound commands the way tmux 3.3a
 * shows them in list-keys. */
#include "server/cmd_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_copy.h"
#include "server/cmd_parse.h"
#include "server/key_table.h"
#include "server/keys.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/window.h"
#include "term/key_string.h"
#include "term/utf8.h"
#include "term/vt.h"

/* Every command of tmux 3.3a ("name alias"). A bound command rmux does
 * not run yet is kept as typed rather than refused, so configs written
 * for tmux still load; a name tmux does not know is refused as tmux does. */
static const char *const tmux_commands[] = {
	"attach-session attach", "bind-key bind", "break-pane breakp",
	"capture-pane capturep", "choose-buffer", "choose-client", "choose-tree",
	"clear-history clearhist", "clear-prompt-history clearphist", "clock-mode",
	"command-prompt", "confirm-before confirm", "copy-mode", "customize-mode",
	"delete-buffer deleteb", "detach-client detach", "display-menu menu",
	"display-message display", "display-popup popup", "display-panes displayp",
	"find-window findw", "has-session has", "if-shell if", "join-pane joinp",
	"kill-pane killp", "kill-server", "kill-session", "kill-window killw",
	"last-pane lastp", "last-window last", "link-window linkw", "list-buffers lsb",
	"list-clients lsc", "list-commands lscm", "list-keys lsk", "list-panes lsp",
	"list-sessions ls", "list-windows lsw", "load-buffer loadb", "lock-client lockc",
	"lock-server lock", "lock-session locks", "move-pane movep", "move-window movew",
	"new-session new", "new-window neww", "next-layout nextl", "next-window next",
	"paste-buffer pasteb", "pipe-pane pipep", "previous-layout prevl",
	"previous-window prev", "refresh-client refresh", "rename-session rename",
	"rename-window renamew", "resize-pane resizep", "resize-window resizew",
	"respawn-pane respawnp", "respawn-window respawnw", "rotate-window rotatew",
	"run-shell run", "save-buffer saveb", "select-layout selectl",
	"select-pane selectp", "select-window selectw", "send-keys send", "send-prefix",
	"server-access", "set-buffer setb", "set-environment setenv", "set-hook",
	"set-option set", "set-window-option setw", "show-buffer showb",
	"show-environment showenv", "show-hooks", "show-messages showmsgs",
	"show-options show", "show-prompt-history showphist", "show-window-options showw",
	"source-file source", "split-window splitw", "start-server start",
	"suspend-client suspendc", "swap-pane swapp", "swap-window swapw",
	"switch-client switchc", "unbind-key unbind", "unlink-window unlinkw",
	"wait-for wait"
};

/* The tmux command NAME names: 1 with *CANON set, 0 unknown, -1 ambiguous. */
static int tmux_command(const char *name, char *canon, size_t size)
{
	size_t i, len = strlen(name);
	int found = 0;

	for (i = 0; i < RMUX_NITEMS(tmux_commands); i++) {
		const char *c = tmux_commands[i], *sp = strchr(c, ' ');
		size_t clen = sp != NULL ? (size_t)(sp - c) : strlen(c);

		if ((clen == len && strncmp(c, name, len) == 0) ||
		    (sp != NULL && strcmp(sp + 1, name) == 0)) {
			snprintf(canon, size, "%.*s", (int)clen, c);
			return 1;
		}
	}
	for (i = 0; i < RMUX_NITEMS(tmux_commands); i++) {
		const char *c = tmux_commands[i], *sp = strchr(c, ' ');
		size_t clen = sp != NULL ? (size_t)(sp - c) : strlen(c);

		if (len <= clen && strncmp(c, name, len) == 0) {
			if (found)
				return -1;
			snprintf(canon, size, "%.*s", (int)clen, c);
			found = 1;
		}
	}
	return found;
}

static void add_word(struct buf *b, const char *w)
{
	char *q = cmd_parse_quote(w);

	if (b->len != 0)
		buf_add_u8(b, ' ');
	buf_add(b, q, strlen(q));
	free(q);
}

static char *finish(struct buf *b)
{
	char *s;

	buf_add_u8(b, 0);
	s = xstrdup((const char *)b->data);
	buf_free(b);
	return s;
}

char *cmd_keys_print(int argc, char *const *argv, char **cause, void *arg)
{
	const char *value[128];
	const struct cmd_entry *e;
	char canon[64], flags[129];
	struct buf b;
	int amb, i, c;
	size_t nflags = 0;

	(void)arg;
	buf_init(&b);
	if (argc < 1)
		return finish(&b);
	e = cmd_find_entry(argv[0], &amb);
	if (e == NULL) {
		switch (tmux_command(argv[0], canon, sizeof canon)) {
		case 1:
			buf_add(&b, canon, strlen(canon));
			for (i = 1; i < argc; i++)
				add_word(&b, argv[i]);
			return finish(&b);
		case -1:
			amb = 1;
			break;
		default:
			break;
		}
		buf_free(&b);
		*cause = xasprintf("%s command: %s", amb ? "ambiguous" : "unknown", argv[0]);
		return NULL;
	}
	/* Flags as cmd.c reads them: clusters, values attached or next. */
	memset(value, 0, sizeof value);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t j;

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		for (j = 1; a[j] != '\0'; j++) {
			const char *f;

			c = (unsigned char)a[j];
			f = c < 0x80 && c != ':' ? strchr(e->flags, c) : NULL;
			if (f == NULL) {
				buf_free(&b);
				*cause = xasprintf("command %s: unknown flag -%c", e->name, c);
				return NULL;
			}
			if (f[1] != ':') {
				value[c] = "";
				continue;
			}
			if (a[j + 1] != '\0')
				value[c] = a + j + 1;
			else if (i + 1 < argc)
				value[c] = argv[++i];
			else {
				buf_free(&b);
				*cause = xasprintf("command %s: -%c expects an argument", e->name, c);
				return NULL;
			}
			break;
		}
	}
	if (argc - i < e->lower || (e->upper >= 0 && argc - i > e->upper)) {
		buf_free(&b);
		*cause = xasprintf("command %s: too %s arguments (need %s%d)", e->name,
		    argc - i < e->lower ? "few" : "many", argc - i < e->lower ? "at least " : "at most ",
		    argc - i < e->lower ? e->lower : e->upper);
		return NULL;
	}
	/* tmux prints flags in character order: those without a value in one
	 * cluster, then each flag with its value. */
	for (c = 0; c < 128; c++) {
		if (value[c] != NULL && value[c][0] == '\0' && strchr(e->flags, c)[1] != ':')
			flags[nflags++] = (char)c;
	}
	flags[nflags] = '\0';
	buf_add(&b, e->name, strlen(e->name));
	if (nflags != 0) {
		buf_add(&b, " -", 2);
		buf_add(&b, flags, nflags);
	}
	for (c = 0; c < 128; c++) {
		if (value[c] == NULL || strchr(e->flags, c)[1] != ':')
			continue;
		buf_add_printf(&b, " -%c", c);
		add_word(&b, value[c]);
	}
	for (; i < argc; i++)
		add_word(&b, argv[i]);
	return finish(&b);
}

/* ---- bind-key, unbind-key, list-keys ---- */

static int cmd_bind_key(struct cmd_ctx *ctx, struct args *a)
{
	const char *table = key_tables_table_name(args_get(a, 'T'), args_has(a, 'n'));
	char *cause = NULL;

	if (key_tables_bind(keys_tables(), table, a->argv[0], args_has(a, 'r'), args_get(a, 'N'),
	    a->argc - 1, a->argv + 1, &cause) != 0) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "bind-key failed");
		free(cause);
		return CMD_ERROR;
	}
	return CMD_OK;
}

static int cmd_unbind_key(struct cmd_ctx *ctx, struct args *a)
{
	const char *table = key_tables_table_name(args_get(a, 'T'), args_has(a, 'n'));
	char *cause = NULL;

	if (key_tables_unbind(keys_tables(), table, a->argc > 0 ? a->argv[0] : NULL,
	    args_has(a, 'a'), args_has(a, 'q'), &cause) != 0) {
		if (cause == NULL)
			return CMD_OK; /* -q */
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_OK;
}

static int cmd_list_keys(struct cmd_ctx *ctx, struct args *a)
{
	int flags = 0;
	char *cause = NULL, *text;

	if (args_has(a, 'N'))
		flags |= KEY_LIST_NOTES;
	if (args_has(a, 'a'))
		flags |= KEY_LIST_ALL;
	if (args_has(a, '1'))
		flags |= KEY_LIST_FIRST;
	text = key_tables_list(keys_tables(), args_get(a, 'T'), a->argc > 0 ? a->argv[0] : NULL,
	    flags, args_get(a, 'P'), (uint64_t)keys_option_number(NULL, "prefix"), &cause);
	if (text == NULL) {
		cmd_error(ctx, "%s", cause != NULL ? cause : "list-keys failed");
		free(cause);
		return CMD_ERROR;
	}
	buf_add(ctx->out, text, strlen(text));
	free(text);
	return CMD_OK;
}

/* ---- send-keys, send-prefix ---- */

int cmd_keys_inject(struct cmd_ctx *ctx, struct pane *p, uint64_t key)
{
	const char *table = keys_mode_table(p);
	const struct key_binding *bd;
	struct cmd_parse_result cmds;
	int status;

	if (table == NULL) {
		keys_pane_key(p, key);
		return CMD_OK;
	}
	bd = key_tables_get(keys_tables(), table, key);
	if (bd == NULL)
		bd = key_tables_get(keys_tables(), table, KEY_ANY);
	if (bd == NULL)
		return CMD_OK;
	key_binding_dup(bd, &cmds);
	status = keys_run(ctx, p, &cmds);
	cmd_parse_result_free(&cmds);
	return status;
}

/* One argument of send-keys: a key name is one key, anything else its
 * characters one by one, as tmux does. Returns the status of bindings. */
static int send_word(struct cmd_ctx *ctx, struct session **sp, struct pane **pp, const char *arg,
    int literal)
{
	uint64_t key = literal ? KEY_UNKNOWN : key_string_lookup_string(arg);
	size_t len = strlen(arg), off = 0;
	int sid = (*sp)->id, status = CMD_OK;

	if (key != KEY_UNKNOWN && key != KEY_NONE) {
		status = keys_dispatch(ctx, *sp, pp, key);
		*sp = session_find_id(sid);
		return status;
	}
	while (off < len && *sp != NULL && *pp != NULL) {
		uint32_t cp;
		size_t n = utf8_decode((const uint8_t *)arg + off, len - off, &cp);

		if (n == 0) {
			cp = (unsigned char)arg[off];
			n = 1;
		}
		off += n;
		if (literal) {
			int id = (*pp)->id;

			status |= cmd_keys_inject(ctx, *pp, cp);
			if (pane_find(id) != *pp)
				*pp = NULL;
		} else {
			status |= keys_dispatch(ctx, *sp, pp, cp);
		}
		*sp = session_find_id(sid);
	}
	return status;
}

/* -l: ARG's bytes as they are; -H: ARG is one byte in hex (anything
 * else is ignored, as tmux does). */
static void send_bytes(struct pane *p, const char *arg, int hex)
{
	char *end, byte;
	long v;

	if (!hex) {
		pane_write(p, arg, strlen(arg));
		return;
	}
	v = strtol(arg, &end, 16);
	if (*arg != '\0' && *end == '\0' && v >= 0 && v <= 255) {
		byte = (char)v;
		pane_write(p, &byte, 1);
	}
}

static int cmd_send_keys(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	long repeat = 1, r;
	int i, status = CMD_OK;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'N') &&
	    cmd_number(ctx, "repeat count", args_get(a, 'N'), 1, 100000, &repeat) != 0)
		return CMD_ERROR;
	if (args_has(a, 'M')) {
		/* The mouse event of the running binding, to the pane under it. */
		if (keys_mouse_target(NULL, NULL, NULL, NULL, NULL) != 0)
			return cmd_error(ctx, "no mouse target");
		keys_mouse_forward();
		return CMD_OK;
	}
	if (args_has(a, 'X'))
		return cmd_copy_send(ctx, p, a->argc, a->argv, (unsigned)repeat);
	if (args_has(a, 'R'))
		vt_input(p->vt, "\033c", 2);
	if (args_has(a, 'H') || (args_has(a, 'l') && p->copy == NULL)) {
		/* Bytes straight to the program, without the key tables. */
		for (r = 0; r < repeat; r++) {
			for (i = 0; i < a->argc; i++)
				send_bytes(p, a->argv[i], args_has(a, 'H'));
		}
		return CMD_OK;
	}
	for (r = 0; r < repeat; r++) {
		for (i = 0; i < a->argc && s != NULL && p != NULL; i++) {
			char *arg = args_has(a, 'F') ? cmd_format(a->argv[i], s, w, p) : xstrdup(a->argv[i]);

			status |= send_word(ctx, &s, &p, arg, args_has(a, 'l'));
			free(arg);
			if (s != NULL && p != NULL)
				w = p->window;
		}
	}
	return status != CMD_OK ? CMD_ERROR : CMD_OK;
}

static int cmd_send_prefix(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	uint64_t key;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	key = (uint64_t)keys_option_number(p, args_has(a, '2') ? "prefix2" : "prefix");
	if (key == KEY_NONE)
		return CMD_OK;
	return cmd_keys_inject(ctx, p, key);
}

/* ---- if-shell, run-shell ---- */

/* COMMAND run by sh in CWD, waited for: its standard output into OUT
 * (NULL: dropped). Returns the exit status, or -1 if it could not run.
 * The daemon waits meanwhile, as tmux's queue does for a binding. */
static int shell_run(const char *command, const char *cwd, struct buf *out)
{
	int fds[2], status, fd;
	pid_t pid;
	char chunk[4096];

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		dup2(fds[1], STDOUT_FILENO);
		/* Not the ptys and sockets of the server. */
		for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
			close(fd);
		if (cwd != NULL && chdir(cwd) != 0 && chdir("/") != 0)
			_exit(127);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out != NULL)
			buf_add(out, chunk, (size_t)n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* COMMAND started and not waited for (-b): a child that exits at once
 * leaves the command to a grandchild nobody waits for. */
static void shell_background(const char *command, const char *cwd)
{
	pid_t pid = fork();
	int fd;

	if (pid != 0)
		return;
	if (fork() != 0)
		_exit(0);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
		close(fd);
	setsid();
	if (cwd != NULL && chdir(cwd) != 0 && chdir("/") != 0)
		_exit(127);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

static const char *command_cwd(struct cmd_ctx *ctx, struct pane *p)
{
	if (ctx->req != NULL && ctx->req->cwd != NULL && ctx->req->cwd[0] != '\0')
		return ctx->req->cwd;
	return NULL;
}

/* TEXT parsed as a command list and run as typed in the caller's pane. */
static int run_text(struct cmd_ctx *ctx, const char *text)
{
	struct cmd_parse_result r;
	int status;

	memset(&r, 0, sizeof r);
	if (cmd_parse_string(text, strlen(text), NULL, &r) != 0) {
		cmd_parse_result_free(&r);
		return cmd_error(ctx, "bad command: %s", text);
	}
	status = keys_run(ctx, ctx->cur_pane, &r);
	cmd_parse_result_free(&r);
	return status;
}

/* if-shell [-bF] [-t target-pane] shell-command command [command]: -F
 * takes the first argument as a format, true unless empty or "0". */
static int cmd_if_shell(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s = NULL;
	struct window *w = NULL;
	struct pane *p = NULL;
	int yes;

	if (args_has(a, 't') && cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (p == NULL && ctx->cur_pane != NULL && pane_find(ctx->cur_pane->id) == ctx->cur_pane) {
		p = ctx->cur_pane;
		w = p->window;
		s = w->session;
	}
	if (p == NULL && (s = session_best()) != NULL && (w = s->cur) != NULL)
		p = w->active;
	if (args_has(a, 'F')) {
		char *v = cmd_format(a->argv[0], s, w, p);

		yes = v[0] != '\0' && strcmp(v, "0") != 0;
		free(v);
	} else {
		char *command = cmd_format(a->argv[0], s, w, p);

		yes = shell_run(command, command_cwd(ctx, p), NULL) == 0;
		free(command);
	}
	if (yes)
		return run_text(ctx, a->argv[1]);
	if (a->argc > 2)
		return run_text(ctx, a->argv[2]);
	return CMD_OK;
}

/* run-shell [-bC] [-c start-directory] [-d delay] [-t target-pane]
 * [shell-command]: -C runs it as rmux commands. Without -b the command's
 * output is printed. A delay does not hold the commands after it back. */
static int cmd_run_shell(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s = NULL;
	struct window *w = NULL;
	struct pane *p = NULL;
	const char *cwd;
	char *command;
	struct buf out;
	int status = CMD_OK, code;

	if (args_has(a, 'd')) {
		char *end;
		double d = strtod(args_get(a, 'd'), &end);

		if (*end != '\0' || d < 0)
			return cmd_error(ctx, "invalid delay time: %s", args_get(a, 'd'));
	}
	if (a->argc == 0)
		return CMD_OK;
	if (args_has(a, 't') && cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (p == NULL && ctx->cur_pane != NULL && pane_find(ctx->cur_pane->id) == ctx->cur_pane) {
		p = ctx->cur_pane;
		w = p->window;
		s = w->session;
	}
	command = cmd_format(a->argv[0], s, w, p);
	if (args_has(a, 'C')) {
		status = run_text(ctx, command);
		free(command);
		return status;
	}
	cwd = args_has(a, 'c') ? args_get(a, 'c') : command_cwd(ctx, p);
	if (args_has(a, 'b')) {
		shell_background(command, cwd);
		free(command);
		return CMD_OK;
	}
	buf_init(&out);
	code = shell_run(command, cwd, &out);
	if (out.len != 0)
		buf_add(ctx->out, out.data, out.len);
	if (code != 0)
		status = cmd_error(ctx, "'%s' returned %d", command, code);
	buf_free(&out);
	free(command);
	return status;
}

const struct cmd_entry cmd_keys_entries[] = {
	{ "bind-key", "bind", "nrN:T:", 1, -1,
	    "[-nr] [-T key-table] [-N note] key [command [arguments]]", cmd_bind_key, 0 },
	{ "unbind-key", "unbind", "anqT:", 0, 1, "[-anq] [-T key-table] key", cmd_unbind_key, 0 },
	{ "list-keys", "lsk", "1aNP:T:", 0, 1, "[-1aN] [-P prefix-string] [-T key-table] [key]",
	    cmd_list_keys, 0 },
	{ "send-keys", "send", "c:FHlMN:Rt:X", 0, -1,
	    "[-FHlMRX] [-N repeat-count] [-t target-pane] key ...", cmd_send_keys, 0 },
	{ "send-prefix", NULL, "2t:", 0, 0, "[-2] [-t target-pane]", cmd_send_prefix, 0 },
	{ "if-shell", "if", "bFt:", 2, 3,
	    "[-bF] [-t target-pane] shell-command command [command]", cmd_if_shell, 0 },
	{ "run-shell", "run", "bCc:d:t:", 0, 1,
	    "[-bC] [-d delay] [-t target-pane] [shell-command]",
	    cmd_run_shell, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
