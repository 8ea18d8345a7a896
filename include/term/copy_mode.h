/* copy_mode.h — copy mode over a pane's screen and history, with no I/O:
 * the viewport (tmux's scroll position), the cursor, search, selection,
 * the tmux copy-mode commands by name, the view a client sees, and the
 * default key tables copy-mode (emacs) and copy-mode-vi of tmux 3.3a.
 *
 * As in tmux 3.3a, copy mode shows the pane as it was when the mode was
 * entered: output that arrives later does not move the view or change its
 * text until refresh-from-pane. The visible rows are copied on entry; the
 * history is read in place by absolute line number, so entering copy mode
 * on a long history costs nothing. The screen must outlive the copy mode;
 * after a resize of the pane the owner calls copy_mode_refresh().
 *
 * It lives in the term library because both ends run it: the daemon on
 * the pane, the client on its history mirror to predict what the daemon's
 * copy mode will show (src/client/copy_predict.c). */
#ifndef RMUX_TERM_COPY_MODE_H
#define RMUX_TERM_COPY_MODE_H

#include <stddef.h>
#include <stdint.h>

#include "term/cell.h"
#include "term/clusters.h"
#include "term/screen.h"

/* copy_mode_command() results (bits). */
#define COPY_MODE_REDRAW 0x1 /* the view changed */
#define COPY_MODE_CANCEL 0x2 /* leave copy mode */
#define COPY_MODE_COPIED 0x4 /* copy_mode_take_copy() has text for a paste buffer */
#define COPY_MODE_APPEND 0x8 /* ... to be appended to the newest buffer (append-selection) */
#define COPY_MODE_UNKNOWN (-1) /* no such command or bad arguments */

#define COPY_MODE_WORD_SEPARATORS "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~" /* tmux 3.3a */

struct copy_mode;

/* The looks of the view: mode-style (selection and position indicator),
 * copy-mode-match-style and copy-mode-current-match-style. */
struct copy_mode_style {
	struct pen mode;
	struct pen match;
	struct pen current_match;
};
/* tmux 3.3a's defaults: bg=yellow,fg=black; bg=cyan,fg=black; bg=magenta,fg=black. */
void copy_mode_style_default(struct copy_mode_style *st);

/* Enter copy mode on S with vi keys (mode-keys vi) or emacs keys. */
struct copy_mode *copy_mode_create(const struct screen *s, int vi);

/* Where a copy mode reads its lines: LINE fills OUT (COLS cells, blanks
 * past the line's end; CELL_CLUSTER cells interned in CL) and *FLAGS
 * (ROW_WRAPPED) for absolute line ABS; returns 0, or -1 when the line is
 * not available (it reads as blank, counts as a miss and is asked for
 * again next time). The daemon's source is the pane's screen and history;
 * a client's is its history mirror (it runs this engine to predict). */
struct copy_mode_source {
	int (*line)(void *arg, uint64_t abs, struct cell *out, unsigned cols, uint32_t *flags,
	    struct clusters *cl);
	void *arg;
};
/* Copy mode over SRC for a COLS x ROWS pane: HSIZE history lines from
 * absolute line BASE_ABS, then the ROWS screen rows copied on entry (lines
 * BASE_ABS + HSIZE ..., read through SRC now); cursor (CX, CY), scroll
 * position 0. copy_mode_refresh() reads the same lines again. */
struct copy_mode *copy_mode_create_source(const struct copy_mode_source *src, unsigned cols,
    unsigned rows, unsigned hsize, uint64_t base_abs, unsigned cx, unsigned cy, int vi);
/* Put the view at scroll position OY with the cursor at (CX, CY), no
 * selection or marks, remembered column CX (a client syncing to the
 * daemon's copy mode). */
void copy_mode_set_position(struct copy_mode *cm, unsigned oy, unsigned cx, unsigned cy);
/* Lines the source could not give since the last call (then 0 again). */
unsigned copy_mode_take_misses(struct copy_mode *cm);
/* A deep copy: snapshot, selection, search and jump state, a copy not
 * yet taken. */
struct copy_mode *copy_mode_clone(const struct copy_mode *cm);
void copy_mode_free(struct copy_mode *cm);
/* refresh-from-pane: copy the screen again (after a resize too); the
 * scroll position is kept where possible, the selection is cleared. */
void copy_mode_refresh(struct copy_mode *cm);
/* word-separators (copied). */
void copy_mode_set_separators(struct copy_mode *cm, const char *separators);
/* wrap-search (default on). */
void copy_mode_set_wrap_search(struct copy_mode *cm, int on);
/* copy-mode -e: scroll-down, page-down and halfpage-down that reach the
 * bottom (scroll position 0) leave copy mode (COPY_MODE_CANCEL). */
void copy_mode_set_scroll_exit(struct copy_mode *cm, int on);

/* Run send-keys -X NAME ARGS... REPEAT times (send-keys -N; 0 is 1).
 * Returns COPY_MODE_* bits or COPY_MODE_UNKNOWN. copy-pipe* commands copy
 * like copy-selection* (running the pipe command is the owner's job). */
int copy_mode_command(struct copy_mode *cm, const char *name, int argc, const char *const *argv,
		      unsigned repeat);
/* After COPY_MODE_COPIED: the text copied (malloc'd, the caller frees). */
char *copy_mode_take_copy(struct copy_mode *cm, size_t *len);
/* The selected text as tmux copies it (NULL when there is none). */
char *copy_mode_selection_text(struct copy_mode *cm, size_t *len);

/* #{scroll_position}, the history size the view shows, #{copy_cursor_x},
 * #{copy_cursor_y}, and whether a selection is shown. */
unsigned copy_mode_scroll_position(const struct copy_mode *cm);
/* The absolute line number (history_total() numbering) of the view's top
 * row; the screen rows copied on entry continue the history's numbers. */
uint64_t copy_mode_top_line(const struct copy_mode *cm);
unsigned copy_mode_history_size(const struct copy_mode *cm);
void copy_mode_cursor(const struct copy_mode *cm, unsigned *x, unsigned *y);
int copy_mode_has_selection(const struct copy_mode *cm);
/* The last search's text (NULL: none yet), and setting it for a new copy
 * mode: the pane keeps it from one copy mode to the next, as tmux does,
 * and search-again then searches up. */
const char *copy_mode_search_string(const struct copy_mode *cm);
void copy_mode_set_search_string(struct copy_mode *cm, const char *s);
/* The text of line Y of the view (0 = top row), trailing spaces cut (#{copy_cursor_line}
 * for the cursor's row). Malloc'd. */
char *copy_mode_line_text(struct copy_mode *cm, unsigned y);

/* The view a client sees for this pane: OUT holds cols * rows cells, row
 * by row (history lines and screen rows, the selection and search matches
 * highlighted, the position indicator at the top right). Cells with
 * CELL_CLUSTER refer to copy_mode_clusters(). */
void copy_mode_render(struct copy_mode *cm, const struct copy_mode_style *st, struct cell *out);
const struct clusters *copy_mode_clusters(const struct copy_mode *cm);
void copy_mode_size(const struct copy_mode *cm, unsigned *cols, unsigned *rows);

/* The mouse at cell X, Y of the view (0 = top row): the cursor goes
 * there, carrying the moving end of a selection with it (a drag). */
void copy_mode_mouse_move(struct copy_mode *cm, unsigned x, unsigned y);
/* A drag begins at X, Y: a fresh character selection starts there. */
void copy_mode_mouse_drag_start(struct copy_mode *cm, unsigned x, unsigned y);

/* The default key tables as `tmux list-keys -T copy-mode[-vi]` shows them:
 * key name and command line, to be parsed by the daemon into its tables. */
struct copy_mode_binding {
	const char *key;
	const char *command;
};
const struct copy_mode_binding *copy_mode_default_bindings(int vi, size_t *n);

#endif
