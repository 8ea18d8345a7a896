/* native_history.h — option `history-native`: in a window with a single
 * pane, the lines that scroll off the pane's top are written into the
 * local terminal's own scrollback, in order and without gaps, so its
 * scroll bar and search find them. Each line (from the history mirror) is
 * drawn on the terminal's top row and the whole screen scrolled up by one
 * (a full-screen scroll region, which is what terminals save); the caller
 * then repaints everything (display_invalidate()), status line included.
 *
 * A terminal saves no lines scrolled off its alternate screen: while the
 * client is in it, each batch leaves it for the normal screen and comes
 * back (the alternate screen is cleared on return, hence the repaint).
 *
 * Pure state: bytes go into a struct buf for the caller. */
#ifndef RMUX_CLIENT_NATIVE_HISTORY_H
#define RMUX_CLIENT_NATIVE_HISTORY_H

#include <stdint.h>

#include "client/mirror.h"
#include "client/tty.h"
#include "common/buf.h"
#include "net/view.h"

/* Lines written in one call at most (the rest next time). */
#define NATIVE_HISTORY_BATCH 1000

struct native_history;

/* On when ON: the session's history-native option, as views carry it
 * (VIEW_HISTORY_NATIVE). */
struct native_history *native_history_create(int on);
void native_history_free(struct native_history *nh);
void native_history_set(struct native_history *nh, int on);
int native_history_on(const struct native_history *nh);

/* After a new view or new mirror lines: append to OUT the bytes that put
 * the lines of V's single pane that left its screen since the last call
 * (those held by M, contiguous after the last one written) into the
 * terminal's scrollback, in their colours and renditions as CAPS can show
 * them (NULL: text only). ROWS is the terminal's height; ALTSCREEN says the
 * client is in the alternate screen. Returns the number of lines written:
 * when not 0 the caller must repaint the whole screen. The first view of
 * a pane writes nothing: only lines that scroll off from then on go. */
unsigned native_history_write(struct native_history *nh, const struct view *v,
    const struct mirror *m, unsigned rows, int altscreen, const struct tty_caps *caps,
    struct buf *out);

/* The next line number it will write for the pane it follows, for tests. */
uint64_t native_history_next(const struct native_history *nh);

#endif
