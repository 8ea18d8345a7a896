/* cmd_format.c — the variables of #{...} formats (list-* -F,
 * display-message -p): session, window and pane state as tmux names it.
 * The language itself is the format module's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "common/util.h"
#include "server/cmd.h"
#include "server/link.h"
#include "server/cmd_copy.h"
#include "server/daemon.h"
#include "server/format.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/prompt.h"
#include "server/session.h"
#include "server/window.h"
#include "term/history.h"
#include "term/vt.h"

struct fctx {
	struct session *s;
	struct window *w;
	struct pane *p;
};

/* The value of NAME, or NULL if unknown (expands to nothing). Caller frees. */
static char *variable(const struct fctx *f, const char *name)
{
	char tmp[4096];
	struct screen *scr = f->p != NULL ? vt_screen(f->p->vt) : NULL;
	unsigned sx, sy;

	if (strcmp(name, "pid") == 0)
		return xasprintf("%ld", (long)getpid());
	if (strcmp(name, "version") == 0)
		return xstrdup(RMUX_VERSION);
	if (strcmp(name, "host") == 0) {
		if (gethostname(tmp, sizeof tmp) != 0)
			tmp[0] = '\0';
		tmp[sizeof tmp - 1] = '\0';
		return xstrdup(tmp);
	}
	if (strcmp(name, "socket_path") == 0)
		return xstrdup(daemon_socket_path());
	if (f->s != NULL) {
		if (strcmp(name, "session_name") == 0)
			return xstrdup(f->s->name);
		if (strcmp(name, "session_id") == 0)
			return xasprintf("$%d", f->s->id);
		if (strcmp(name, "session_windows") == 0)
			return xasprintf("%u", session_nwindows(f->s));
		if (strcmp(name, "session_attached") == 0)
			return xasprintf("%u", link_session_attached(f->s));
		if (strcmp(name, "session_created") == 0)
			return xasprintf("%lld", (long long)f->s->created);
		/* rmux's own: what the session's message line shows. */
		if (strncmp(name, "client_", 7) == 0) {
			/* The client running the command, else the session's newest. */
			struct link_conn *lc = link_current();
			char *v = link_format(lc != NULL ? lc : link_best(f->s), f->s, name);
			if (v != NULL)
				return v;
			const char *text = "", *input = "";
			unsigned cursor = 0;
			int kind = prompt_show(f->s, &text, &input, &cursor);

			if (strcmp(name, "client_message") == 0)
				return xstrdup(kind == PROMPT_SHOW_MESSAGE ? text : "");
			if (strcmp(name, "client_prompt") == 0)
				return xstrdup(kind == PROMPT_SHOW_PROMPT ? text : "");
			if (strcmp(name, "client_prompt_input") == 0)
				return xstrdup(kind == PROMPT_SHOW_PROMPT ? input : "");
			if (strcmp(name, "client_prompt_cursor") == 0)
				return kind == PROMPT_SHOW_PROMPT ? xasprintf("%u", cursor) : xstrdup("");
		}
	}
	if (f->w != NULL) {
		window_size(f->w, &sx, &sy);
		if (strcmp(name, "window_index") == 0)
			return xasprintf("%d", f->w->index);
		if (strcmp(name, "window_name") == 0)
			return xstrdup(window_name(f->w, tmp, sizeof tmp));
		if (strcmp(name, "window_id") == 0)
			return xasprintf("@%d", f->w->id);
		if (strcmp(name, "window_active") == 0)
			return xstrdup(f->w->session->cur == f->w ? "1" : "0");
		if (strcmp(name, "window_last_flag") == 0)
			return xstrdup(f->w->session->last == f->w ? "1" : "0");
		if (strcmp(name, "window_panes") == 0)
			return xasprintf("%zu", f->w->npanes);
		if (strcmp(name, "window_width") == 0)
			return xasprintf("%u", sx);
		if (strcmp(name, "window_height") == 0)
			return xasprintf("%u", sy);
		if (strcmp(name, "window_layout") == 0)
			return layout_dump(f->w->layout, 0);
		if (strcmp(name, "window_visible_layout") == 0)
			return layout_dump(f->w->layout, 1);
		if (strcmp(name, "window_zoomed_flag") == 0)
			return xstrdup(layout_zoomed(f->w->layout) >= 0 ? "1" : "0");
		if (strcmp(name, "window_flags") == 0 || strcmp(name, "window_raw_flags") == 0) {
			struct session *s = f->w->session;

			snprintf(tmp, sizeof tmp, "%s%s%s", s->cur == f->w ? "*" : "",
			    s->last == f->w ? "-" : "", layout_zoomed(f->w->layout) >= 0 ? "Z" : "");
			return xstrdup(tmp);
		}
	}
	if (f->p != NULL) {
		/* Copy mode's and the mouse's. */
		char *v = cmd_copy_format(f->p, name);

		if (v != NULL)
			return v;
		if (strcmp(name, "pane_index") == 0)
			return xasprintf("%lld", window_pane_index(f->w, f->p) +
			    options_get_number(f->w->options, "pane-base-index"));
		if (strcmp(name, "pane_id") == 0)
			return xasprintf("%%%d", f->p->id);
		if (strcmp(name, "pane_active") == 0)
			return xstrdup(f->w->active == f->p ? "1" : "0");
		if (strcmp(name, "pane_width") == 0)
			return xasprintf("%u", f->p->sx);
		if (strcmp(name, "pane_height") == 0)
			return xasprintf("%u", f->p->sy);
		if (strcmp(name, "pane_left") == 0)
			return xasprintf("%u", f->p->xoff);
		if (strcmp(name, "pane_top") == 0)
			return xasprintf("%u", f->p->yoff);
		if (strcmp(name, "pane_right") == 0)
			return xasprintf("%u", f->p->xoff + f->p->sx - 1);
		if (strcmp(name, "pane_bottom") == 0)
			return xasprintf("%u", f->p->yoff + f->p->sy - 1);
		if (strcmp(name, "pane_pid") == 0)
			return xasprintf("%ld", (long)f->p->pid);
		if (strcmp(name, "pane_tty") == 0)
			return xstrdup(f->p->tty);
		if (strcmp(name, "pane_current_command") == 0)
			return xstrdup(pty_current_command(f->p->fd, f->p->pid, tmp, sizeof tmp));
		if (strcmp(name, "pane_current_path") == 0)
			return xstrdup(pty_current_path(f->p->fd, f->p->pid, tmp, sizeof tmp));
		if (strcmp(name, "pane_title") == 0)
			return xstrdup(scr->title);
		if (strcmp(name, "pane_dead") == 0)
			return xstrdup(f->p->flags & PANE_F_DEAD_SHOWN ? "1" : "0");
		if (strcmp(name, "pane_dead_status") == 0) {
			if ((f->p->flags & PANE_F_DEAD_SHOWN) && WIFEXITED(f->p->status))
				return xasprintf("%d", WEXITSTATUS(f->p->status));
			return xstrdup("");
		}
		if (strcmp(name, "pane_dead_signal") == 0) {
			if ((f->p->flags & PANE_F_DEAD_SHOWN) && WIFSIGNALED(f->p->status))
				return xasprintf("%d", WTERMSIG(f->p->status));
			return xstrdup("");
		}
		if (strcmp(name, "cursor_x") == 0)
			return xasprintf("%u", scr->cx);
		if (strcmp(name, "cursor_y") == 0)
			return xasprintf("%u", scr->cy);
		if (strcmp(name, "history_size") == 0)
			return xasprintf("%u", history_size(scr->history));
		if (strcmp(name, "history_limit") == 0)
			return xasprintf("%u", history_limit(scr->history));
		if (strcmp(name, "history_bytes") == 0)
			return xasprintf("%zu", history_bytes(scr->history));
		if (strcmp(name, "alternate_on") == 0)
			return xstrdup(screen_alternate_on(scr) ? "1" : "0");
	}
	/* An option's value by its name, from the nearest set. */
	const struct options_entry *oe = name[0] == '@' ? NULL :
	    options_table_find(name, &(const char *){ NULL });

	/* Exact names only: a prefix is not an option here. */
	if (name[0] == '@' || (oe != NULL && strcmp(oe->name, name) == 0)) {
		char *v = NULL;

		if (f->p != NULL)
			v = options_to_string(f->p->options, name);
		if (v == NULL && f->s != NULL)
			v = options_to_string(f->s->options, name);
		if (v == NULL)
			v = options_to_string(global_s_options, name);
		if (v == NULL)
			v = options_to_string(global_w_options, name);
		if (v == NULL)
			v = options_to_string(global_options, name);
		return v;
	}
	return NULL;
}

static char *lookup(const char *name, void *arg)
{
	return variable(arg, name);
}

char *cmd_format(const char *fmt, struct session *s, struct window *w, struct pane *p)
{
	struct fctx f = { s, w, p };
	struct format_ctx fc = { lookup, &f };

	return format_expand(fmt, &fc);
}
