/* cmd_copy.c — copy mode on the daemon's panes: copy-mode, send-keys -X,
 * what a copy does (a paste buffer, and the pipe of copy-pipe), leaving
 * the mode, capture-pane (printed or into a buffer) and the mode's format
 * variables.
 * The mode itself (movement, search, selection) is copy_mode.c's. */
#include "server/cmd_copy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/cmd_buffer.h"
#include "server/keys.h"
#include "server/options.h"
#include "server/paste.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/window.h"
#include "term/capture.h"
#include "term/copy_mode.h"
#include "term/vt.h"

void cmd_copy_enter(struct pane *p)
{
	if (p->copy != NULL)
		return;
	p->copy = copy_mode_create(vt_screen(p->vt), (int)keys_option_number(p, "mode-keys"));
	copy_mode_set_separators(p->copy, keys_option_string(p, "word-separators"));
	copy_mode_set_wrap_search(p->copy, (int)keys_option_number(p, "wrap-search"));
	if (p->searchstr != NULL)
		copy_mode_set_search_string(p->copy, p->searchstr);
}

void cmd_copy_leave(struct pane *p)
{
	if (p->copy != NULL && copy_mode_search_string(p->copy) != NULL) {
		free(p->searchstr);
		p->searchstr = xstrdup(copy_mode_search_string(p->copy));
	}
	copy_mode_free(p->copy);
	p->copy = NULL;
}

/* copy-pipe: COMMAND gets DATA on its standard input. A child writes the
 * data so that a command slow to read never blocks the server; the
 * command itself runs in a grandchild nobody waits for. */
static void run_pipe(const char *command, const char *data, size_t len)
{
	pid_t pid = fork();
	int fds[2], fd;
	size_t off = 0;

	if (pid != 0)
		return; /* the server, or fork failed: the copy still went to a buffer */
	if (pipe(fds) != 0)
		_exit(1);
	pid = fork();
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		/* Not the ptys and sockets of the server. */
		for (fd = STDERR_FILENO + 1; fd < 1024; fd++)
			close(fd);
		setsid();
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	while (pid > 0 && off < len) {
		ssize_t n = write(fds[1], data + off, len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	_exit(0);
}

int cmd_copy_send(struct cmd_ctx *ctx, struct pane *p, int argc, char **argv, unsigned repeat)
{
	const char *name;
	char *text, *command;
	size_t len;
	struct pane *mp;
	int r, mx, my;

	if (p->copy == NULL)
		return cmd_error(ctx, "not in a mode");
	if (argc == 0)
		return CMD_OK;
	name = argv[0];
	/* From a mouse binding the cursor first goes to the mouse (wheel
	 * events aside), and begin-selection starts a drag there. */
	if (!keys_mouse_is_wheel() && keys_mouse_target(NULL, NULL, &mp, &mx, &my) == 0 &&
	    mp == p && mx >= 0 && my >= 0 && (unsigned)mx < p->sx && (unsigned)my < p->sy) {
		if (strcmp(name, "begin-selection") == 0) {
			copy_mode_mouse_drag_start(p->copy, (unsigned)mx, (unsigned)my);
			keys_mouse_drag(KEYS_DRAG_COPY);
			return CMD_OK;
		}
		copy_mode_mouse_move(p->copy, (unsigned)mx, (unsigned)my);
	}
	r = copy_mode_command(p->copy, name, argc - 1, (const char *const *)argv + 1, repeat);
	if (r == COPY_MODE_UNKNOWN)
		return CMD_OK;
	if (r & COPY_MODE_COPIED) {
		text = copy_mode_take_copy(p->copy, &len);
		if (text != NULL && len != 0) {
			if (r & COPY_MODE_APPEND)
				paste_append(cmd_buffer_store(), NULL, text, len, &(const char *){ NULL });
			else
				paste_add(cmd_buffer_store(), text, len);
			/* As tmux: the copy also reaches the clients'
			 * clipboards (OSC 52) unless set-clipboard is off. */
			if (options_get_number(global_options, "set-clipboard") != 0 &&
			    p->window != NULL && p->window->session != NULL)
				session_set_clipboard(p->window->session, "", text, len);
			if (strncmp(name, "copy-pipe", 9) == 0) {
				const char *c = argc > 1 && argv[1][0] != '\0' ?
				    argv[1] : keys_option_string(p, "copy-command");

				if (*c != '\0') {
					struct window *w = p->window;

					command = cmd_format(c, w->session, w, p);
					run_pipe(command, text, len);
					free(command);
				}
			}
		}
		free(text);
	}
	if (r & COPY_MODE_CANCEL)
		cmd_copy_leave(p);
	return CMD_OK;
}

static int cmd_copy_mode(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;

	int mx = -1, my = -1, entered = 0;

	if (args_has(a, 'M')) {
		/* The pane under the mouse; nothing without a mouse event. */
		if (keys_mouse_target(&s, &w, &p, &mx, &my) != 0 || p == NULL)
			return CMD_OK;
	} else if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'q')) {
		cmd_copy_leave(p);
		return CMD_OK;
	}
	if (p->copy == NULL) {
		cmd_copy_enter(p);
		if (args_has(a, 'e'))
			copy_mode_set_scroll_exit(p->copy, 1);
		if (args_has(a, 'H'))
			copy_mode_command(p->copy, "toggle-position", 0, NULL, 1);
		entered = 1;
	}
	if (entered && args_has(a, 'M') && mx >= 0 && my >= 0 && (unsigned)mx < p->sx &&
	    (unsigned)my < p->sy) {
		copy_mode_mouse_drag_start(p->copy, (unsigned)mx, (unsigned)my);
		keys_mouse_drag(KEYS_DRAG_COPY);
	}
	if (args_has(a, 'u'))
		copy_mode_command(p->copy, "page-up", 0, NULL, 1);
	return CMD_OK;
}

/* ---- capture-pane ---- */

/* A line number of -S and -E: "-" is the first or last line, a bad
 * number 0 as tmux reads it. */
static long line_arg(const char *s, long dash)
{
	char *end;
	long v;

	if (strcmp(s, "-") == 0)
		return dash;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		return 0;
	return v;
}

/* capture-pane: the text to the output (-p), else into a paste buffer
 * (-b NAME, else a new automatic one). */
static int cmd_capture_pane(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	unsigned flags = 0;
	long start = 0, end;
	const char *cause;
	size_t len;
	char *text;
	int status = CMD_OK;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (args_has(a, 'e'))
		flags |= CAPTURE_ESCAPES;
	if (args_has(a, 'J'))
		flags |= CAPTURE_JOIN;
	if (args_has(a, 'N'))
		flags |= CAPTURE_TRAILING;
	if (args_has(a, 'S'))
		start = line_arg(args_get(a, 'S'), CAPTURE_FROM_START);
	end = args_has(a, 'E') ? line_arg(args_get(a, 'E'), CAPTURE_TO_END) : (long)p->sy - 1;
	text = capture_screen(vt_screen(p->vt), start, end, flags, &len);
	if (args_has(a, 'p')) {
		buf_add(ctx->out, text, len);
	} else if (args_has(a, 'b')) {
		if (paste_set(cmd_buffer_store(), args_get(a, 'b'), text, len, &cause) != 0)
			status = cmd_error(ctx, "%s", cause);
	} else {
		paste_add(cmd_buffer_store(), text, len);
	}
	free(text);
	return status;
}

/* ---- formats ---- */

/* The mouse variables: the program's mouse modes, and where the mouse of
 * the running binding is (empty when none runs or it is not over P). */
static char *mouse_format(const struct pane *p, const char *name)
{
	static const struct {
		const char *name;
		unsigned modes;
	} flags[] = {
		{ "any_flag", MODE_MOUSE_STANDARD | MODE_MOUSE_BUTTON | MODE_MOUSE_ANY },
		{ "standard_flag", MODE_MOUSE_STANDARD },
		{ "button_flag", MODE_MOUSE_BUTTON },
		{ "all_flag", MODE_MOUSE_ANY },
		{ "sgr_flag", MODE_MOUSE_SGR },
		{ "utf8_flag", MODE_MOUSE_UTF8 },
	};
	unsigned modes = vt_screen(p->vt)->modes;
	struct pane *mp;
	int x, y;

	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (strcmp(name, flags[i].name) == 0)
			return xstrdup((modes & flags[i].modes) ? "1" : "0");
	}
	if (strcmp(name, "x") != 0 && strcmp(name, "y") != 0 && strcmp(name, "pane") != 0)
		return NULL;
	if (keys_mouse_target(NULL, NULL, &mp, &x, &y) != 0 || mp == NULL)
		return xstrdup("");
	if (strcmp(name, "pane") == 0)
		return xasprintf("%%%d", mp->id);
	if (mp != p || x < 0 || y < 0)
		return xstrdup("");
	return xasprintf("%d", strcmp(name, "x") == 0 ? x : y);
}

char *cmd_copy_format(const struct pane *p, const char *name)
{
	struct copy_mode *cm = p->copy;
	unsigned x, y;

	if (strcmp(name, "pane_in_mode") == 0)
		return xstrdup(cm != NULL ? "1" : "0");
	if (strcmp(name, "pane_mode") == 0)
		return xstrdup(cm != NULL ? "copy-mode" : "");
	if (strncmp(name, "mouse_", 6) == 0)
		return mouse_format(p, name + 6);
	if (strcmp(name, "pane_search_string") == 0) {
		const char *ss = cm != NULL ? copy_mode_search_string(cm) : NULL;

		if (ss == NULL)
			ss = p->searchstr;
		return xstrdup(ss != NULL ? ss : "");
	}
	if (strcmp(name, "scroll_position") != 0 && strcmp(name, "copy_cursor_x") != 0 &&
	    strcmp(name, "copy_cursor_y") != 0 && strcmp(name, "copy_cursor_line") != 0 &&
	    strcmp(name, "selection_present") != 0)
		return NULL;
	if (cm == NULL)
		return xstrdup("");
	copy_mode_cursor(cm, &x, &y);
	if (strcmp(name, "scroll_position") == 0)
		return xasprintf("%u", copy_mode_scroll_position(cm));
	if (strcmp(name, "copy_cursor_x") == 0)
		return xasprintf("%u", x);
	if (strcmp(name, "copy_cursor_y") == 0)
		return xasprintf("%u", y);
	if (strcmp(name, "copy_cursor_line") == 0)
		return copy_mode_line_text(cm, y);
	return xstrdup(copy_mode_has_selection(cm) ? "1" : "0");
}

const struct cmd_entry cmd_copy_entries[] = {
	{ "copy-mode", NULL, "eHMqs:t:u", 0, 0, "[-eHMuq] [-s src-pane] [-t target-pane]",
	    cmd_copy_mode, 0 },
	{ "capture-pane", "capturep", "ab:CeE:JNpPqS:t:", 0, 0,
	    "[-aCeJNpPq] [-b buffer-name] [-E end-line] [-S start-line] [-t target-pane]",
	    cmd_capture_pane, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
