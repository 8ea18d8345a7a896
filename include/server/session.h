/* session.h — sessions, the server's list of them, and the global option
 * sets every session, window and pane inherits from. */
#ifndef RMUX_SERVER_SESSION_H
#define RMUX_SERVER_SESSION_H

#include <stdint.h>
#include <time.h>

struct window;
struct pty_spawn;
struct options;
struct environ;
struct prompt_state;

struct session {
	int id;              /* the N of $N */
	char *name;
	time_t created;
	uint64_t activity;   /* bumped on use: the default target is the latest */
	unsigned sx, sy;
	struct window *windows; /* by index */
	struct window *cur;
	struct window *last;
	struct options *options; /* inherits global_s_options */
	struct environ *environ; /* over the global environment (environ.h) */
	struct prompt_state *prompt; /* message and command prompt (prompt.c) */
	struct display_panes *panes_overlay; /* display-panes (display_panes.c) */
	uint32_t clipboards;  /* clipboard payloads for its clients so far */
	char clip_sel[17];    /* the newest one: its OSC 52 selection */
	uint8_t *clip;        /* and data */
	size_t cliplen;
	struct session *next;
};

/* The server's options, the global session set and the global window set
 * (which panes inherit through their window). */
extern struct options *global_options;
extern struct options *global_s_options;
extern struct options *global_w_options;
/* Defaults, then default-shell from $SHELL and default-terminal from what
 * the host's terminfo can describe. */
void server_options_init(void);
void server_options_free(void);

/* A new session with one window running SP. NULL with CAUSE on failure. */
struct session *session_create(const char *name, const char *window_name, unsigned sx,
    unsigned sy, struct pty_spawn *sp, char **cause);
/* Unlink and free the session with its windows and panes. */
void session_destroy(struct session *s);
/* The id the next session will get (for RMUX= of its first pane). */
int session_peek_next_id(void);
struct session *session_first(void);
size_t session_count(void);
struct session *session_find(const char *name);
struct session *session_find_id(int id);
/* The most recently used session, or NULL. */
struct session *session_best(void);
void session_touch(struct session *s);
/* The clipboard payloads of S's panes for its clients: a count that only
 * grows, so each client can tell a new payload from the one it has, and
 * the newest payload's selection and data (pointers may be NULL; valid
 * until the next payload). */
uint32_t session_clipboard(const struct session *s, const char **sel, const uint8_t **data,
    size_t *len);
/* Record a payload (SEL NULL or empty: "c"); pane_set_clipboard does. */
void session_set_clipboard(struct session *s, const char *sel, const void *data, size_t len);

/* A tmux-valid session name: ':' and '.' become '_'. Caller frees. */
char *session_check_name(const char *name);

struct window *session_window_at(const struct session *s, int index);
/* The first free index at or after FROM. */
int session_next_index(const struct session *s, int from);
/* Add W (whose index is free) in index order. */
void session_attach_window(struct session *s, struct window *w);
/* Unlink W and free it; fixes the current and last windows. Returns the
 * windows left. */
int session_remove_window(struct session *s, struct window *w);
void session_select_window(struct session *s, struct window *w);
unsigned session_nwindows(const struct session *s);
/* Give W (of S) the free index INDEX, keeping the list in order. */
void session_move_window(struct session *s, struct window *w, int index);
/* renumber-windows: indexes from base-index again, in order, if the
 * session's option says so (or FORCE, for move-window -r). */
void session_renumber_windows(struct session *s, int force);

#endif
