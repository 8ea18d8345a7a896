/* compose.h — a view from the daemon turned into the frame the local
 * terminal should show: the visible panes at their rectangles, the
 * one-cell borders between them (the active pane's in the active border
 * colour, half a border when the window has exactly two panes, as tmux
 * does), the status lines, the message or prompt line over the status, the
 * cursor of the active pane (or of the prompt), and the window title. */
#ifndef RMUX_CLIENT_COMPOSE_H
#define RMUX_CLIENT_COMPOSE_H

#include <stdint.h>

#include "client/display.h"
#include "net/view.h"

/* tmux's pane-border-style and pane-active-border-style defaults. */
#define COMPOSE_BORDER_FG COLOUR_DEFAULT
#define COMPOSE_ACTIVE_BORDER_FG (COLOUR_PALETTE | 2u)

/* The box-drawing characters of borders (tmux's "single" lines). */
#define COMPOSE_LINE_H 0x2500u  /* ─ */
#define COMPOSE_LINE_V 0x2502u  /* │ */
#define COMPOSE_CORNER_TL 0x250cu
#define COMPOSE_CORNER_TR 0x2510u
#define COMPOSE_CORNER_BL 0x2514u
#define COMPOSE_CORNER_BR 0x2518u
#define COMPOSE_JOIN_L 0x251cu  /* ├ */
#define COMPOSE_JOIN_R 0x2524u  /* ┤ */
#define COMPOSE_JOIN_T 0x252cu  /* ┬ */
#define COMPOSE_JOIN_B 0x2534u  /* ┴ */
#define COMPOSE_CROSS 0x253cu   /* ┼ */

/* Fill F (already sized to the local terminal; other sizes are clipped or
 * left blank) with what V shows. */
void compose_view(const struct view *v, struct display_frame *f);

/* Copy view row R into F at (X, Y), at most W cells (fewer when R is
 * narrower), as panes are drawn: cluster texts interned in F's table, a
 * wide character cut by the edge drawn as a blank. */
void compose_row(struct display_frame *f, unsigned x, unsigned y, const struct view_row *r,
    unsigned w);

/* The active pane of V, or NULL. */
const struct view_pane *compose_active_pane(const struct view *v);

/* The row of the frame the message line goes on (the first status line,
 * or the bottom row without a status line). */
unsigned compose_message_row(const struct view *v);

#endif
