/* view.h — the server-to-client state of the link: everything one client
 * shows (session and windows, the active window's layout, each visible
 * pane's rows of cells with cursor, title and modes, status and message
 * lines, key table, bell and clipboard counters, the last input event
 * applied). doc/PROTOCOL.md section 8.2 is normative.
 *
 * Rows are immutable once they belong to a view and are shared between
 * copies by reference count, so copying a view for the transport costs a
 * pointer per row and comparing an unchanged pane costs a pointer compare
 * per row. Diffs carry only what changed: rows as attribute runs, rows
 * that moved (scrolls) as move operations.
 *
 * The fields of struct view are public for reading; change them only
 * through the view_set_*() functions, which keep the invariants diffs
 * rely on. */
#ifndef RMUX_NET_VIEW_H
#define RMUX_NET_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "term/cell.h"
#include "term/clusters.h"
#include "net/transport.h"

/* Limits a diff must respect (and a view built locally, by assertion). */
#define VIEW_COLS_MAX 2048
#define VIEW_ROWS_MAX 1024
#define VIEW_AREA_MAX (1024 * 1024)  /* cols * rows of the client */
#define VIEW_PANES_MAX 256
#define VIEW_WINDOWS_MAX 1024
#define VIEW_STATUS_MAX 5            /* status lines */
#define VIEW_NAME_MAX 1024           /* session, window, title, key table */
#define VIEW_CLIP_MAX (1024 * 1024)  /* newest clipboard payload */
#define VIEW_CLIP_TARGET_MAX 16      /* OSC 52 selection letters */

/* Window flags (as tmux's window_flags: *-#!~MZ). */
#define VIEW_WINDOW_CURRENT 0x01u
#define VIEW_WINDOW_LAST 0x02u
#define VIEW_WINDOW_BELL 0x04u
#define VIEW_WINDOW_ACTIVITY 0x08u
#define VIEW_WINDOW_SILENCE 0x10u
#define VIEW_WINDOW_MARKED 0x20u
#define VIEW_WINDOW_ZOOMED 0x40u
#define VIEW_WINDOW_FLAGS 0x7fu

/* View flags. */
#define VIEW_ZOOMED 0x1u     /* the active window's active pane is zoomed */
#define VIEW_STATUS_TOP 0x2u /* status lines above the panes */
/* The daemon detached this client (detach-client, prefix d): it leaves
 * and says so; the daemon drops the connection once this is acknowledged. */
#define VIEW_DETACHED 0x4u
/* The session's mouse option is on: the client's terminal reports the
 * mouse (buttons and drags) even where no pane asks for it. */
#define VIEW_MOUSE 0x8u
/* The session's predict option (VIEW_PREDICT_* in these two bits): what a
 * client shows when its user did not choose with --predict. */
#define VIEW_PREDICT_SHIFT 4
#define VIEW_PREDICT_MASK 0x30u
#define VIEW_PREDICT_ADAPTIVE 0u
#define VIEW_PREDICT_ALWAYS 1u
#define VIEW_PREDICT_NEVER 2u
/* The session's history-native option: lines leaving a single pane's
 * screen also go into the client terminal's own scrollback. */
#define VIEW_HISTORY_NATIVE 0x40u
#define VIEW_FLAGS 0x7fu

/* Pane flags. */
#define VIEW_PANE_CURSOR_VISIBLE 0x01u
#define VIEW_PANE_ECHO_OFF 0x02u  /* the terminal does not echo (no prediction) */
#define VIEW_PANE_ALT_SCREEN 0x04u
#define VIEW_PANE_COPY_MODE 0x08u
#define VIEW_PANE_FLAGS 0x0fu

/* Cursor shapes (DECSCUSR 0-6). */
#define VIEW_CURSOR_SHAPE_MAX 6

/* The MODE_* bits (term/screen.h) a client mirrors into its terminal. */
#define VIEW_PANE_MODES 0x00047ff0u

struct view_row;

struct view_window {
	uint32_t index;
	uint32_t flags; /* VIEW_WINDOW_* */
	char *name;
};

struct view_pane {
	uint32_t id;
	unsigned x, y, cols, rows; /* rectangle in the client's cells */
	unsigned cx, cy;           /* cursor, pane-relative */
	unsigned cursor_shape;
	uint32_t flags; /* VIEW_PANE_* */
	uint32_t modes; /* MODE_* within VIEW_PANE_MODES */
	char *title;
	struct view_row **line; /* ROWS rows of COLS cells */
	/* History, in absolute line numbers that never change while
	 * hist_gen stays the same (clear-history and reflow start a new
	 * generation): the screen's top row is line hist_base, the server
	 * holds lines hist_base - hist_size .. hist_base - 1. In copy mode
	 * the pane shows lines from copy_top on (copy_top < hist_base when
	 * scrolled back); otherwise copy_top is hist_base. */
	uint32_t hist_gen;
	uint64_t hist_base;
	uint32_t hist_size;
	uint64_t copy_top;
};

struct view {
	uint64_t echo_ack; /* number of the last input event applied */
	char *session;
	struct view_window *window;
	size_t nwindows;
	unsigned cols, rows; /* the client's size */
	uint32_t flags;      /* VIEW_* */
	uint32_t active_pane;
	struct view_pane *pane; /* visible panes, in layout order */
	size_t npanes;
	struct view_row *status[VIEW_STATUS_MAX]; /* NSTATUS rows of COLS cells */
	unsigned nstatus;
	struct view_row *message; /* message or prompt line, or NULL */
	int message_cx;           /* prompt cursor, or -1 */
	char *key_table;
	uint64_t bells;
	uint64_t redraws;  /* refresh-client requests so far: repaint everything */
	uint64_t suspends; /* suspend-client requests so far: stop the client */
	uint64_t clipboards; /* OSC 52 events; the newest payload: */
	char clip_target[VIEW_CLIP_TARGET_MAX + 1];
	uint8_t *clip;
	size_t cliplen;
};

/* --- rows --- */

/* A new row of COLS blank cells (spaces, default colours), owned by the
 * caller and writable until it is given to a view. Then wide characters
 * are made whole: a wide cell without its tail, or a tail without its
 * wide cell, becomes a narrow cell (diffs carry only whole pairs). */
struct view_row *view_row_create(unsigned cols);
/* A row from grid cells; CELL_CLUSTER cells take their text from
 * CLUSTERS (NULL: shown as U+FFFD). Unknown code points become U+FFFD. */
struct view_row *view_row_from_cells(const struct cell *cells, unsigned cols,
    const struct clusters *clusters);
/* Set cell X of a writable row. For CELL_CLUSTER, TEXT/LEN is the cluster
 * (1..CLUSTER_MAX_BYTES bytes of UTF-8) and c->ch is ignored. */
void view_row_set(struct view_row *r, unsigned x, const struct cell *c, const char *text,
    size_t len);
struct view_row *view_row_ref(struct view_row *r);
void view_row_unref(struct view_row *r);
unsigned view_row_cols(const struct view_row *r);
/* Cell X. For a CELL_CLUSTER cell, ch means nothing outside the row: use
 * view_row_text(). */
const struct cell *view_row_cell(const struct view_row *r, unsigned x);
/* The UTF-8 text of cell X into OUT (CLUSTER_MAX_BYTES bytes); returns its
 * length (0 for a wide character's tail). */
size_t view_row_text(const struct view_row *r, unsigned x, char *out);
int view_row_equal(const struct view_row *a, const struct view_row *b);
/* Seal R (wide pairs made whole, as when it is given to a view) and append
 * it as varint cols (1..VIEW_COLS_MAX) and attribute runs, the encoding of
 * doc/PROTOCOL.md's literal row. */
void view_row_encode(struct view_row *r, struct buf *out);
/* One row as view_row_encode() writes it, sealed, into *OUT (the caller's
 * reference). Returns 0 or a negative RMUX_ERR_* (*OUT untouched). */
int view_row_decode(struct reader *rd, struct view_row **out);

/* --- views --- */

/* An empty view: no session, no windows, client size 80x24, no panes. */
struct view *view_create(void);
void view_free(struct view *v);
struct view *view_copy(const struct view *v);
int view_equal(const struct view *a, const struct view *b);

void view_set_echo_ack(struct view *v, uint64_t n);
void view_set_session(struct view *v, const char *name);
/* Replace the window list (names are copied). */
void view_set_windows(struct view *v, const struct view_window *w, size_t n);
void view_set_key_table(struct view *v, const char *name);
void view_set_bells(struct view *v, uint64_t n);
void view_set_redraws(struct view *v, uint64_t n);
void view_set_suspends(struct view *v, uint64_t n);
void view_set_clipboard(struct view *v, uint64_t count, const char *target, const void *data,
    size_t len);
/* Only the view flags (VIEW_*; others are dropped), the layout kept. */
void view_set_flags(struct view *v, uint32_t flags);

/* Layout. view_set_layout() sets the client size, flags, active pane and
 * the pane rectangles; a pane whose id was already present keeps its
 * contents (rows cut or padded with blank rows to the new height; rows of
 * the wrong width are blanked), a new one starts blank. Status lines
 * (NSTATUS of them) are blank when their width changes. */
struct view_layout_pane {
	uint32_t id;
	unsigned x, y, cols, rows;
};
void view_set_layout(struct view *v, unsigned cols, unsigned rows, uint32_t flags,
    uint32_t active_pane, const struct view_layout_pane *p, size_t n, unsigned nstatus);
/* The pane with id ID, or NULL. */
struct view_pane *view_find_pane(struct view *v, uint32_t id);
/* The history numbers of pane P (see struct view_pane). */
void view_set_pane_history(struct view *v, struct view_pane *p, uint32_t gen, uint64_t base,
    uint32_t size, uint64_t copy_top);
/* Row Y of pane P takes R (the view takes the caller's reference; R must
 * have P->cols cells). */
void view_set_pane_row(struct view *v, struct view_pane *p, unsigned y, struct view_row *r);
void view_set_pane_cursor(struct view *v, struct view_pane *p, unsigned cx, unsigned cy,
    unsigned shape);
void view_set_pane_state(struct view *v, struct view_pane *p, uint32_t flags, uint32_t modes,
    const char *title);
/* Status line I (< nstatus) takes R (v->cols cells). */
void view_set_status(struct view *v, unsigned i, struct view_row *r);
/* The message line takes R (NULL: none; at most v->cols cells), with a
 * prompt cursor at CX or -1. */
void view_set_message(struct view *v, struct view_row *r, int cx);

/* --- diffs --- */

/* Append the diff from FROM to TO to OUT (nothing when equal). */
void view_diff(const struct view *from, const struct view *to, struct buf *out);
/* Apply a diff to V: 0, or a negative RMUX_ERR_* and V is unchanged. */
int view_apply(struct view *v, const uint8_t *diff, size_t len);

extern const struct transport_state_ops view_ops;

#endif
