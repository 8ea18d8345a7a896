/* session.c — the server's sessions and their windows in index order. */
#include "server/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "server/display_panes.h"
#include "server/environ.h"
#include "server/options.h"
#include "server/prompt.h"
#include "server/pty.h"
#include "server/window.h"

struct options *global_options;
struct options *global_s_options;
struct options *global_w_options;

static struct session *sessions;
static int next_session_id;
static uint64_t activity_counter;

/* tmux-256color only helps when the host can describe it. */
static int have_terminfo(const char *name)
{
	static const char *const dirs[] = { "/etc/terminfo", "/lib/terminfo",
		"/usr/share/terminfo", "/usr/lib/terminfo" };
	char path[512];
	const char *home = getenv("HOME");
	size_t i;

	if (home != NULL) {
		snprintf(path, sizeof path, "%s/.terminfo/%c/%s", home, name[0], name);
		if (access(path, R_OK) == 0)
			return 1;
	}
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%c/%s", dirs[i], name[0], name);
		if (access(path, R_OK) == 0)
			return 1;
	}
	return 0;
}

void server_options_init(void)
{
	const char *shell = getenv("SHELL");
	char *cause;

	global_options = options_create(NULL);
	options_set_defaults(global_options, OPTION_SCOPE_SERVER);
	global_s_options = options_create(NULL);
	options_set_defaults(global_s_options, OPTION_SCOPE_SESSION);
	global_w_options = options_create(NULL);
	options_set_defaults(global_w_options, OPTION_SCOPE_WINDOW | OPTION_SCOPE_PANE);
	if (options_set(global_options, "default-terminal",
	    have_terminfo("tmux-256color") ? "tmux-256color" : "screen-256color", 0, 0,
	    &cause) != 0)
		free(cause);
	if (shell == NULL || shell[0] != '/' || access(shell, X_OK) != 0)
		shell = "/bin/sh";
	if (options_set(global_s_options, "default-shell", shell, 0, 0, &cause) != 0)
		free(cause);
}

void server_options_free(void)
{
	options_free(global_options);
	options_free(global_s_options);
	options_free(global_w_options);
	global_options = global_s_options = global_w_options = NULL;
}

struct session *session_first(void)
{
	return sessions;
}

size_t session_count(void)
{
	struct session *s;
	size_t n = 0;

	for (s = sessions; s != NULL; s = s->next)
		n++;
	return n;
}

struct session *session_find(const char *name)
{
	struct session *s;

	for (s = sessions; s != NULL; s = s->next) {
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

struct session *session_find_id(int id)
{
	struct session *s;

	for (s = sessions; s != NULL; s = s->next) {
		if (s->id == id)
			return s;
	}
	return NULL;
}

struct session *session_best(void)
{
	struct session *s, *best = NULL;

	for (s = sessions; s != NULL; s = s->next) {
		if (best == NULL || s->activity > best->activity)
			best = s;
	}
	return best;
}

void session_touch(struct session *s)
{
	s->activity = ++activity_counter;
}

char *session_check_name(const char *name)
{
	char *copy = xstrdup(name), *p;

	for (p = copy; *p != '\0'; p++) {
		if (*p == ':' || *p == '.')
			*p = '_';
	}
	return copy;
}

struct session *session_create(const char *name, const char *window_name, unsigned sx,
    unsigned sy, struct pty_spawn *sp, char **cause)
{
	struct session *s = xcalloc(1, sizeof *s), **sp_last;
	struct window *w;
	int id = next_session_id;

	s->id = id;
	if (name != NULL) {
		s->name = session_check_name(name);
	} else {
		/* Unnamed sessions are numbered; skip numbers a user took. */
		for (;;) {
			s->name = xasprintf("%d", id);
			if (session_find(s->name) == NULL)
				break;
			free(s->name);
			id++;
		}
	}
	s->created = time(NULL);
	s->sx = sx;
	s->sy = sy;
	s->options = options_create(global_s_options);
	w = window_create(s, (int)options_get_number(s->options, "base-index"), window_name, sp,
	    cause);
	if (w == NULL) {
		options_free(s->options);
		free(s->name);
		free(s);
		return NULL;
	}
	next_session_id++;
	s->environ = environ_create();
	s->windows = w;
	s->cur = w;
	session_touch(s);
	for (sp_last = &sessions; *sp_last != NULL; sp_last = &(*sp_last)->next)
		;
	*sp_last = s;
	return s;
}

void session_destroy(struct session *s)
{
	struct session **pp;
	struct window *w, *next;

	for (pp = &sessions; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	for (w = s->windows; w != NULL; w = next) {
		next = w->next;
		window_free(w);
	}
	prompt_free(s);
	display_panes_free(s);
	free(s->clip);
	options_free(s->options);
	environ_free(s->environ);
	free(s->name);
	free(s);
}

struct window *session_window_at(const struct session *s, int index)
{
	struct window *w;

	for (w = s->windows; w != NULL; w = w->next) {
		if (w->index == index)
			return w;
	}
	return NULL;
}

int session_next_index(const struct session *s, int from)
{
	while (session_window_at(s, from) != NULL)
		from++;
	return from;
}

void session_attach_window(struct session *s, struct window *w)
{
	struct window **pp;

	for (pp = &s->windows; *pp != NULL && (*pp)->index < w->index; pp = &(*pp)->next)
		;
	w->next = *pp;
	*pp = w;
	w->session = s;
}

int session_remove_window(struct session *s, struct window *w)
{
	struct window **pp;

	for (pp = &s->windows; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	if (s->last == w)
		s->last = NULL;
	if (s->cur == w) {
		/* tmux goes to the last window, else the next, else the previous. */
		struct window *to = s->last;

		if (to == NULL)
			to = w->next;
		if (to == NULL) {
			for (to = s->windows; to != NULL && to->next != NULL; to = to->next)
				;
		}
		s->cur = to;
		s->last = NULL;
	}
	window_free(w);
	session_renumber_windows(s, 0);
	return (int)session_nwindows(s);
}

void session_move_window(struct session *s, struct window *w, int index)
{
	struct window **pp;

	for (pp = &s->windows; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	w->index = index;
	session_attach_window(s, w);
}

void session_renumber_windows(struct session *s, int force)
{
	struct window *w;
	int index;

	if (!force && !options_get_number(s->options, "renumber-windows"))
		return;
	/* The list is in index order already: only the numbers change. */
	index = (int)options_get_number(s->options, "base-index");
	for (w = s->windows; w != NULL; w = w->next)
		w->index = index++;
}

void session_select_window(struct session *s, struct window *w)
{
	if (s->cur != w) {
		s->last = s->cur;
		s->cur = w;
	}
	/* Not session_touch(): as in tmux, choosing a window does not make
	 * the session the latest (only its clients' keys do). */
}

unsigned session_nwindows(const struct session *s)
{
	struct window *w;
	unsigned n = 0;

	for (w = s->windows; w != NULL; w = w->next)
		n++;
	return n;
}

int session_peek_next_id(void)
{
	return next_session_id;
}

uint32_t session_clipboard(const struct session *s, const char **sel, const uint8_t **data,
    size_t *len)
{
	if (sel != NULL)
		*sel = s->clip_sel;
	if (data != NULL)
		*data = s->clip;
	if (len != NULL)
		*len = s->cliplen;
	return s->clipboards;
}

void session_set_clipboard(struct session *s, const char *sel, const void *data, size_t len)
{
	snprintf(s->clip_sel, sizeof s->clip_sel, "%s", sel != NULL && *sel != '\0' ? sel : "c");
	free(s->clip);
	s->clip = NULL;
	if (len > 0) {
		s->clip = xmalloc(len);
		memcpy(s->clip, data, len);
	}
	s->cliplen = len;
	s->clipboards++;
}
