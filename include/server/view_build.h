/* view_build.h — one link connection's view made from its session: the
 * window list, the current window's layout clipped to the client's size,
 * the visible panes' rows (copy mode's viewport for a pane in copy mode),
 * cursors, titles, modes, the status line, the key table, the bell
 * count and the view flags (zoom, status on top, the session's mouse
 * option). Rows of the emulator's grid that did not change since the last
 * build keep their view row objects, so an unchanged pane costs the link
 * nothing and a scroll shows up as rows that moved. */
#ifndef RMUX_SERVER_VIEW_BUILD_H
#define RMUX_SERVER_VIEW_BUILD_H

#include <stdint.h>

struct session;
struct view;
struct view_build;

struct view_build *view_build_create(void);
void view_build_free(struct view_build *vb);

/* Bring V up to date with session S as a client of COLS x ROWS shows it
 * (S NULL: the session is gone; the view keeps only the client size).
 * Work is skipped when nothing a cheap check covers has changed and less
 * than VIEW_BUILD_FULL_MS passed since the last full build (window names
 * from programs, the status clock, options). FORCE makes it a full build.
 * NOW is the monotonic clock in ms. Returns 0 when skipped, 2 when the
 * cheap check saw a change (the first build included), 1 for a full build
 * on FORCE or time alone. */
#define VIEW_BUILD_FULL_MS 1000
int view_build_update(struct view_build *vb, struct view *v, struct session *s, unsigned cols,
    unsigned rows, uint64_t now, int force);

/* The number of status lines session S shows (the status option). */
unsigned view_build_status_lines(const struct session *s);

#endif
