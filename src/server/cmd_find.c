/* cmd_find.c — command targets as tmux 3.3a reads them: session:window.pane
 * with every part optional, "=" for exact matches of the session and
 * window parts, ids ($N @N %N), the {token} names, relative forms (+N -N !
 * ^ $) and the pane descriptions (top, bottom-left, ...). Which part a
 * bare word is depends on what the command wants, and a word that is not
 * found falls back to the wider kind, as in tmux. Messages are tmux's:
 * scripts match on them. */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/keys.h"
#include "server/layout.h"
#include "server/options.h"
#include "server/pane.h"
#include "server/session.h"
#include "server/window.h"

#define FIND_SESSION 0
#define FIND_WINDOW 1
#define FIND_PANE 2

#define FIND_WINDOW_INDEX 0x1  /* the window part may be a free index */
#define FIND_EXACT_SESSION 0x2 /* "=name": no prefix or pattern */
#define FIND_EXACT_WINDOW 0x4

struct find_state {
	int flags;
	/* Where the command runs: relative forms count from here. */
	struct session *cs;
	struct window *cw;
	struct pane *cp;
	/* What the target names. */
	struct session *s;
	struct window *w;
	struct pane *p;
	int idx; /* the window index (FIND_WINDOW_INDEX), -1 none */
};

/* The {token} spellings of the short forms. */
static const char *const window_table[][2] = {
	{ "{start}", "^" }, { "{last}", "!" }, { "{end}", "$" }, { "{next}", "+" },
	{ "{previous}", "-" }, { NULL, NULL }
};
static const char *const pane_table[][2] = {
	{ "{last}", "!" }, { "{next}", "+" }, { "{previous}", "-" }, { "{top}", "top" },
	{ "{bottom}", "bottom" }, { "{left}", "left" }, { "{right}", "right" },
	{ "{top-left}", "top-left" }, { "{top-right}", "top-right" },
	{ "{bottom-left}", "bottom-left" }, { "{bottom-right}", "bottom-right" },
	{ "{up-of}", "{up-of}" }, { "{down-of}", "{down-of}" }, { "{left-of}", "{left-of}" },
	{ "{right-of}", "{right-of}" }, { NULL, NULL }
};

static const char *map_table(const char *const table[][2], const char *s)
{
	size_t i;

	for (i = 0; table[i][0] != NULL; i++) {
		if (strcmp(s, table[i][0]) == 0)
			return table[i][1];
	}
	return s;
}

/* A number as tmux reads one (strtonum: optional sign, whole string). */
static int parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

/* "$N", "@N", "%N". */
static int parse_id(const char *s, char prefix, int *id)
{
	long long v;

	if (s[0] != prefix || !parse_num(s + 1, 0, 0x7fffffff, &v))
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

static void set_window(struct find_state *fs, struct window *w)
{
	fs->w = w;
	fs->idx = w->index;
}

/* ---- sessions ---- */

static int get_session(struct find_state *fs, const char *name)
{
	struct session *s, *found;
	size_t n = strlen(name);
	int id;

	if (*name == '$') {
		fs->s = parse_id(name, '$', &id) ? session_find_id(id) : NULL;
		return fs->s != NULL ? 0 : -1;
	}
	if ((fs->s = session_find(name)) != NULL)
		return 0;
	if (fs->flags & FIND_EXACT_SESSION)
		return -1;
	/* A unique prefix, then a unique fnmatch(3) pattern. */
	found = NULL;
	for (s = session_first(); s != NULL; s = s->next) {
		if (strncmp(name, s->name, n) == 0) {
			if (found != NULL)
				return -1;
			found = s;
		}
	}
	if (found == NULL) {
		for (s = session_first(); s != NULL; s = s->next) {
			if (fnmatch(name, s->name, 0) == 0) {
				if (found != NULL)
					return -1;
				found = s;
			}
		}
	}
	fs->s = found;
	return found != NULL ? 0 : -1;
}

/* ---- windows ---- */

static unsigned window_position(const struct session *s, const struct window *w)
{
	const struct window *loop;
	unsigned n = 0;

	for (loop = s->windows; loop != NULL && loop != w; loop = loop->next)
		n++;
	return n;
}

static struct window *window_nth(const struct session *s, unsigned n)
{
	struct window *w;

	for (w = s->windows; w != NULL && n > 0; w = w->next)
		n--;
	return w;
}

/* +N / -N from the session's current window, wrapping around. */
static struct window *window_offset(struct session *s, long long n, int dir)
{
	unsigned count = session_nwindows(s), at;

	if (s->cur == NULL || count == 0)
		return NULL;
	at = window_position(s, s->cur);
	n %= count;
	at = (unsigned)(((long long)at + dir * n + count) % count);
	return window_nth(s, at);
}

/* The one window of S named NAME (or, with PREFIX, whose name starts
 * with it). -1 if several are, 0 with *OUT NULL if none. Unlike sessions,
 * windows are not matched as patterns in tmux 3.3a. */
static int window_by_name(struct session *s, const char *name, int prefix, struct window **out)
{
	struct window *w;
	char buf[256];
	const char *wn;
	size_t n = strlen(name);

	*out = NULL;
	for (w = s->windows; w != NULL; w = w->next) {
		wn = window_name(w, buf, sizeof buf);
		if (prefix ? strncmp(name, wn, n) != 0 : strcmp(name, wn) != 0)
			continue;
		if (*out != NULL)
			return -1;
		*out = w;
	}
	return 0;
}

static int get_window_with_session(struct find_state *fs, const char *name)
{
	struct session *s = fs->s;
	struct window *w;
	long long n;
	int exact = fs->flags & FIND_EXACT_WINDOW, id;

	/* With only an index found, the window is the current one. */
	fs->w = s->cur;
	if (*name == '@') {
		w = parse_id(name, '@', &id) ? window_find_id(id) : NULL;
		if (w == NULL || w->session != s)
			return -1;
		set_window(fs, w);
		return 0;
	}
	if (!exact && (name[0] == '+' || name[0] == '-')) {
		int dir = name[0] == '+' ? 1 : -1;

		/* tmux reads a bad count as 0: the current window. */
		if (name[1] == '\0')
			n = 1;
		else if (!parse_num(name + 1, 1, 0x7fffffff, &n))
			n = 0;
		if (fs->flags & FIND_WINDOW_INDEX) {
			long long idx = (long long)s->cur->index + dir * n;

			if (idx < 0 || idx > 0x7fffffff)
				return -1;
			fs->idx = (int)idx;
			return 0;
		}
		if ((w = window_offset(s, n, dir)) != NULL) {
			set_window(fs, w);
			return 0;
		}
	}
	if (!exact) {
		w = NULL;
		if (strcmp(name, "!") == 0)
			w = s->last;
		else if (strcmp(name, "^") == 0)
			w = s->windows;
		else if (strcmp(name, "$") == 0)
			w = window_nth(s, session_nwindows(s) - 1);
		else
			goto index;
		if (w == NULL)
			return -1;
		set_window(fs, w);
		return 0;
	}
index:
	if (name[0] != '+' && name[0] != '-' && parse_num(name, 0, 0x7fffffff, &n)) {
		if ((w = session_window_at(s, (int)n)) != NULL) {
			set_window(fs, w);
			return 0;
		}
		if (fs->flags & FIND_WINDOW_INDEX) {
			fs->idx = (int)n;
			return 0;
		}
	}
	/* An exact name, then (unless "=") a unique prefix; several matching
	 * is an error at once. */
	if (window_by_name(s, name, 0, &w) != 0)
		return -1;
	if (w == NULL && !exact && window_by_name(s, name, 1, &w) != 0)
		return -1;
	if (w == NULL)
		return -1;
	set_window(fs, w);
	return 0;
}

static int get_window(struct find_state *fs, const char *name, int only)
{
	int id;

	if (*name == '@') {
		fs->w = parse_id(name, '@', &id) ? window_find_id(id) : NULL;
		if (fs->w == NULL)
			return -1;
		fs->s = fs->w->session;
		fs->idx = fs->w->index;
		return 0;
	}
	fs->s = fs->cs;
	if (get_window_with_session(fs, name) == 0)
		return 0;
	/* Otherwise a session, unless the word was after a colon. */
	if (!only && get_session(fs, name) == 0) {
		fs->w = fs->s->cur;
		if (!(fs->flags & FIND_WINDOW_INDEX))
			fs->idx = fs->w->index;
		return 0;
	}
	return -1;
}

/* ---- panes ---- */

/* The pane N steps after (DIR 1) or before (-1) FROM in W, wrapping. */
static struct pane *pane_offset(struct window *w, struct pane *from, long long n, int dir)
{
	long long np = (long long)w->npanes, i = window_pane_index(w, from);

	if (np == 0 || i < 0)
		return NULL;
	i = (i + dir * (n % np) + np) % np;
	return window_pane_at(w, (size_t)i);
}

/* The visible pane of W at X,Y, its right and bottom borders included. */
static struct pane *pane_at_xy(struct window *w, unsigned x, unsigned y)
{
	int zoomed = layout_zoomed(w->layout);
	size_t i;

	for (i = 0; i < w->npanes; i++) {
		struct pane *p = window_pane_at(w, i);

		if (p == NULL || (zoomed >= 0 && p->id != zoomed))
			continue;
		if (x < p->xoff || x > p->xoff + p->sx || y < p->yoff || y > p->yoff + p->sy)
			continue;
		return p;
	}
	return NULL;
}

/* top, bottom-left, ... (any case): the pane at that edge or corner,
 * from the middle of the window for a single edge. */
static struct pane *pane_description(struct window *w, const char *s)
{
	static const struct {
		const char *name;
		int x, y; /* -1 left/top, 0 middle, 1 right/bottom */
	} places[] = {
		{ "top", 0, -1 }, { "bottom", 0, 1 }, { "left", -1, 0 }, { "right", 1, 0 },
		{ "top-left", -1, -1 }, { "top-right", 1, -1 }, { "bottom-left", -1, 1 },
		{ "bottom-right", 1, 1 },
	};
	unsigned sx, sy, top = 0, bottom, x, y;
	long long status;
	size_t i;

	for (i = 0; i < sizeof places / sizeof places[0]; i++) {
		if (strcasecmp(s, places[i].name) == 0)
			break;
	}
	if (i == sizeof places / sizeof places[0])
		return NULL;
	window_size(w, &sx, &sy);
	if (sx == 0 || sy == 0)
		return NULL;
	bottom = sy - 1;
	/* A pane border status line takes the window's first or last row. */
	status = options_get_number(w->options, "pane-border-status");
	if (status == 1)
		top++;
	else if (status == 2 && bottom > 0)
		bottom--;
	x = places[i].x < 0 ? 0 : places[i].x > 0 ? sx - 1 : sx / 2;
	y = places[i].y < 0 ? top : places[i].y > 0 ? bottom : sy / 2;
	return pane_at_xy(w, x, y);
}

static int get_pane_with_window(struct find_state *fs, const char *name)
{
	struct window *w = fs->w;
	struct pane *cp = fs->cp;
	long long n;
	int id;

	/* Relative forms count from the caller's pane. tmux 3.3a does so
	 * even when it is in another window and then answers with a pane of
	 * that window; rmux counts from W's active pane then. */
	if (cp == NULL || cp->window != w)
		cp = w->active;

	if (*name == '%') {
		fs->p = parse_id(name, '%', &id) ? pane_find(id) : NULL;
		return fs->p != NULL && fs->p->window == w ? 0 : -1;
	}
	if (strcmp(name, "!") == 0) {
		fs->p = w->last;
		return fs->p != NULL ? 0 : -1;
	}
	if (name[0] == '{') {
		/* Neighbours of the caller's pane. */
		static const char *const dirs[][2] = { { "{up-of}", "U" }, { "{down-of}", "D" },
			{ "{left-of}", "L" }, { "{right-of}", "R" } };
		size_t i;

		for (i = 0; i < 4; i++) {
			if (strcmp(name, dirs[i][0]) != 0)
				continue;
			fs->p = cp != NULL ? window_neighbour(w, cp, dirs[i][1][0]) : NULL;
			return fs->p != NULL ? 0 : -1;
		}
	}
	if ((name[0] == '+' || name[0] == '-') && cp != NULL) {
		if (name[1] == '\0')
			n = 1;
		else if (!parse_num(name + 1, 1, 0x7fffffff, &n))
			n = 0;
		if ((fs->p = pane_offset(w, cp, n, name[0] == '+' ? 1 : -1)) != NULL)
			return 0;
	}
	if (parse_num(name, 0, 0x7fffffff, &n)) {
		n -= options_get_number(w->options, "pane-base-index");
		fs->p = n >= 0 ? window_pane_at(w, (size_t)n) : NULL;
		if (fs->p != NULL)
			return 0;
	}
	fs->p = pane_description(w, name);
	return fs->p != NULL ? 0 : -1;
}

static int get_pane_with_session(struct find_state *fs, const char *name)
{
	int id;

	if (*name == '%') {
		fs->p = parse_id(name, '%', &id) ? pane_find(id) : NULL;
		if (fs->p == NULL || fs->p->window->session != fs->s)
			return -1;
		set_window(fs, fs->p->window);
		return 0;
	}
	set_window(fs, fs->s->cur);
	return get_pane_with_window(fs, name);
}

static int get_pane(struct find_state *fs, const char *name, int only)
{
	int id;

	if (*name == '%') {
		fs->p = parse_id(name, '%', &id) ? pane_find(id) : NULL;
		if (fs->p == NULL)
			return -1;
		set_window(fs, fs->p->window);
		fs->s = fs->w->session;
		return 0;
	}
	fs->s = fs->cs;
	set_window(fs, fs->cw);
	if (get_pane_with_window(fs, name) == 0)
		return 0;
	/* Otherwise a window (or a session), unless after a period. */
	if (!only && get_window(fs, name, 0) == 0) {
		fs->p = fs->w->active;
		return 0;
	}
	return -1;
}

/* ---- the whole target ---- */

static int find_mouse(struct cmd_ctx *ctx, struct find_state *fs, int type)
{
	if (keys_mouse_target(&fs->s, &fs->w, &fs->p, NULL, NULL) != 0 ||
	    (type == FIND_PANE && fs->p == NULL)) {
		cmd_error(ctx, "no mouse target");
		return -1;
	}
	return 0;
}

static int find_target(struct cmd_ctx *ctx, const char *target, int type, int flags,
    struct find_state *fs)
{
	static const char *const none[] = { "no current session", "no current window",
		"no current pane" };
	char *copy, *colon, *period;
	const char *session = NULL, *window = NULL, *pane = NULL;
	int window_only = 0, pane_only = 0, rc = -1;

	memset(fs, 0, sizeof *fs);
	fs->flags = flags;
	fs->idx = -1;
	if (target != NULL && (strcmp(target, "=") == 0 || strcmp(target, "{mouse}") == 0))
		return find_mouse(ctx, fs, type);
	current(ctx, &fs->cs, &fs->cw, &fs->cp);
	if (target == NULL || *target == '\0') {
		if (fs->cs == NULL || fs->cw == NULL || fs->cp == NULL) {
			cmd_error(ctx, "%s", none[type]);
			return -1;
		}
		fs->s = fs->cs;
		fs->w = fs->cw;
		fs->p = fs->cp;
		if (!(flags & FIND_WINDOW_INDEX))
			fs->idx = fs->w->index;
		return 0;
	}
	if (strcmp(target, "~") == 0 || strcmp(target, "{marked}") == 0) {
		cmd_error(ctx, "no marked target");
		return -1;
	}
	if (fs->cs == NULL || fs->cw == NULL || fs->cp == NULL) {
		cmd_error(ctx, "no current target");
		return -1;
	}

	copy = xstrdup(target);
	colon = strchr(copy, ':');
	if (colon != NULL)
		*colon++ = '\0';
	period = strchr(colon != NULL ? colon : copy, '.');
	if (period != NULL)
		*period++ = '\0';
	if (colon != NULL) {
		session = copy;
		window = colon;
		window_only = 1;
		if (period != NULL) {
			pane = period;
			pane_only = 1;
		}
	} else if (period != NULL) {
		window = copy;
		pane = period;
		pane_only = 1;
	} else if (*copy == '$' || (*copy != '@' && *copy != '%' && type == FIND_SESSION)) {
		session = copy;
	} else if (*copy == '@' || (*copy != '%' && type == FIND_WINDOW)) {
		window = copy;
	} else {
		pane = copy;
	}
	if (session != NULL && *session == '=') {
		session++;
		fs->flags |= FIND_EXACT_SESSION;
	}
	if (window != NULL && *window == '=') {
		window++;
		fs->flags |= FIND_EXACT_WINDOW;
	}
	if (session != NULL && *session == '\0')
		session = NULL;
	if (window != NULL && *window == '\0')
		window = NULL;
	if (pane != NULL && *pane == '\0')
		pane = NULL;
	if (window != NULL)
		window = map_table(window_table, window);
	if (pane != NULL)
		pane = map_table(pane_table, pane);

	if (pane != NULL && (flags & FIND_WINDOW_INDEX)) {
		cmd_error(ctx, "can't specify pane here");
		goto out;
	}
	if (session != NULL) {
		if (get_session(fs, session) != 0)
			goto no_session;
		if (window == NULL && pane == NULL) {
			fs->w = fs->s->cur;
			fs->p = fs->w->active;
		} else if (window != NULL && pane == NULL) {
			if (get_window_with_session(fs, window) != 0)
				goto no_window;
		} else if (window == NULL) {
			if (get_pane_with_session(fs, pane) != 0)
				goto no_pane;
		} else {
			if (get_window_with_session(fs, window) != 0)
				goto no_window;
			if (get_pane_with_window(fs, pane) != 0)
				goto no_pane;
		}
	} else if (window != NULL) {
		if (get_window(fs, window, window_only) != 0)
			goto no_window;
		if (pane != NULL && get_pane_with_window(fs, pane) != 0)
			goto no_pane;
	} else if (pane != NULL) {
		if (get_pane(fs, pane, pane_only) != 0)
			goto no_pane;
	} else {
		fs->s = fs->cs;
		fs->w = fs->cw;
		fs->p = fs->cp;
		if (!(flags & FIND_WINDOW_INDEX))
			fs->idx = fs->w->index;
	}
	if (fs->p == NULL && fs->w != NULL)
		fs->p = fs->w->active;
	rc = 0;
	goto out;

no_session:
	cmd_error(ctx, "can't find session: %s", session);
	goto out;
no_window:
	cmd_error(ctx, "can't find window: %s", window);
	goto out;
no_pane:
	cmd_error(ctx, "can't find pane: %s", pane);
out:
	free(copy);
	return rc;
}

int cmd_find_session(struct cmd_ctx *ctx, const char *t, struct session **s)
{
	struct find_state fs;

	if (find_target(ctx, t, FIND_SESSION, 0, &fs) != 0)
		return -1;
	*s = fs.s;
	return 0;
}

int cmd_find_window(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w)
{
	struct find_state fs;

	if (find_target(ctx, t, FIND_WINDOW, 0, &fs) != 0)
		return -1;
	*s = fs.s;
	*w = fs.w;
	return 0;
}

int cmd_find_pane(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w,
    struct pane **p)
{
	struct find_state fs;

	if (find_target(ctx, t, FIND_PANE, 0, &fs) != 0)
		return -1;
	*s = fs.s;
	*w = fs.w;
	*p = fs.p;
	return 0;
}

int cmd_find_index(struct cmd_ctx *ctx, const char *t, struct session **s, int *index)
{
	struct find_state fs;

	if (find_target(ctx, t, FIND_WINDOW, FIND_WINDOW_INDEX, &fs) != 0)
		return -1;
	*s = fs.s;
	*index = fs.idx;
	return 0;
}
