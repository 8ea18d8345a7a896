/* keys.h — the daemon's key path: the server's key tables (tmux's default
 * root and prefix bindings plus the copy-mode tables), a key state per
 * session (the prefix table, repeat runs), bound commands run as commands
 * of the pane the key went to, unbound keys written to that pane in the
 * bytes its modes ask for. send-keys and attached clients both come here. */
#ifndef RMUX_SERVER_KEYS_H
#define RMUX_SERVER_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct cmd_ctx;
struct cmd_parse_result;
struct key_tables;
struct pane;
struct session;

/* Deepest nesting of bound commands that send keys which run bindings. */
#define KEYS_MAX_DEPTH 16

/* The server's tables, made on first use. */
struct key_tables *keys_tables(void);

/* KEY typed into session S, going to pane *PP (S's active pane for a
 * client). A binding runs as if typed in *PP; afterwards *PP is S's
 * active pane again (a binding may have split, killed or switched), or
 * NULL if S is gone. Returns CMD_OK, or CMD_ERROR if a bound command
 * failed (its message is in CTX's error buffer). */
int keys_dispatch(struct cmd_ctx *ctx, struct session *s, struct pane **pp, uint64_t key);
/* What an unbound KEY does to P: its bytes in P's cursor and keypad modes;
 * nothing while P is in copy mode. */
void keys_pane_key(struct pane *p, uint64_t key);
/* Run a parsed command list as commands typed in pane P (P may be NULL). */
int keys_run(struct cmd_ctx *ctx, struct pane *p, const struct cmd_parse_result *cmds);
/* The key table of P's mode ("copy-mode", "copy-mode-vi") or NULL. */
const char *keys_mode_table(const struct pane *p);
/* The table session S's keys are in now (#{client_key_table}). */
const char *keys_session_table(const struct session *s);

/* ---- the mouse ----
 * A client's mouse event becomes a mouse key (MouseDown1Pane, WheelUpPane,
 * MouseDrag1Border, DoubleClick1Pane, ...) looked up in the key tables
 * when the mouse option is on, as tmux 3.3a does; otherwise, or when the
 * key is unbound, the pane under the mouse gets the event in the encoding
 * its program asked for (SGR 1006, UTF-8 1005 or X10), in its own
 * coordinates. */

/* Where a mouse key happens (the locations of key_string_mouse()). */
#define KEYS_MOUSE_NOWHERE (-1)
#define KEYS_MOUSE_PANE 0
#define KEYS_MOUSE_STATUS 1
#define KEYS_MOUSE_STATUS_LEFT 2
#define KEYS_MOUSE_STATUS_RIGHT 3
#define KEYS_MOUSE_STATUS_DEFAULT 4
#define KEYS_MOUSE_BORDER 5

/* A mouse event of a client whose terminal is COLS x ROWS: KIND, BUTTON
 * and MODS as input_stream.h's INPUT_MOUSE_* and INPUT_MOD_*, X and Y in
 * client cells from 0. */
struct keys_mouse_event {
	unsigned kind, button, x, y, mods;
	unsigned cols, rows;
};

/* What is under the mouse: the location, the window (for the status
 * line the window whose entry was hit, else the current one), the pane
 * (under the mouse, beside the border hit, or the window's active pane
 * for the status line) and the position in window cells (X, Y; for the
 * status line Y is the status line's row). */
struct keys_mouse_where {
	int location;
	struct window *w;
	struct pane *p;
	unsigned x, y;
};

/* The event EV of a client of S: run the binding of its mouse key or
 * hand it to the pane. */
void keys_mouse(struct session *s, const struct keys_mouse_event *ev);
/* Where EV lands in S's current window and status line. */
void keys_mouse_locate(struct session *s, const struct keys_mouse_event *ev,
    struct keys_mouse_where *out);
/* The bytes a program in modes MODES (screen.h MODE_MOUSE_*) gets for an
 * event of KIND, BUTTON, MODS at cell PX, PY of its pane: their length,
 * or 0 when its modes ask for nothing of the kind (OUT holds at least
 * KEYS_MOUSE_BYTES_MAX bytes). */
#define KEYS_MOUSE_BYTES_MAX 32
size_t keys_mouse_encode(unsigned modes, unsigned kind, unsigned button, unsigned mods,
    unsigned px, unsigned py, char *out);

/* The mouse event a binding runs for, while it runs: its session, window
 * and pane (the "=" and {mouse} targets) and the pane cell under it
 * (*PX, *PY may be outside the pane). Returns 0, or -1 if no mouse
 * binding is running. Any pointer may be NULL. */
int keys_mouse_target(struct session **s, struct window **w, struct pane **p, int *px, int *py);
/* Whether that event is a wheel event. */
int keys_mouse_is_wheel(void);
/* send-keys -M: the event to the pane under the mouse (as if unbound). */
void keys_mouse_forward(void);
/* What further motion of the running drag does: move the copy-mode
 * cursor of the mouse pane (copy-mode -M, begin-selection), or move the
 * border under the mouse (resize-pane -M). */
#define KEYS_DRAG_COPY 1
#define KEYS_DRAG_RESIZE 2
void keys_mouse_drag(int what);

/* Options the key path, copy mode and buffers read, for pane P (NULL:
 * the global sets): server, session or window/pane options by NAME's scope
 * in the option table. */
long long keys_option_number(const struct pane *p, const char *name);
const char *keys_option_string(const struct pane *p, const char *name);

#endif
