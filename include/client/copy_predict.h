/* copy_predict.h — copy mode predicted on the client: while the active
 * pane is in copy mode, every key the default copy-mode tables bind to a
 * copy-mode command (navigation, word and character motions, jumps,
 * selection, search with its prompt, copy) is run at once on a copy-mode
 * engine of the client's own — the daemon's engine (term/copy_mode.h) over
 * the client's lines (history mirror, rows the server drew) — and the
 * engine's view is drawn before the server's can arrive. The mouse wheel
 * over a pane (entering copy mode and scrolling) is predicted too.
 *
 * Copy mode stays on the server. A prediction is checked once the view's
 * echo_ack covers the input event that carried its key: the pane's rows,
 * cursor and prompt line must be those the engine drew. A prediction made
 * on the server's own state and refuted is a rebound key: it is not
 * predicted again in that key table in this run. Either way a refutation
 * drops every prediction and the server's view is what the next frame
 * shows; the engine is set from the server's view again once that view
 * shows no selection or search marks (hidden state the view does not
 * carry).
 *
 * A copy the client predicts (copy-selection and friends) is handed to the
 * client to write to its terminal's clipboard at once; the server's
 * clipboard event with the same text later is then not written again.
 *
 * Pure state: no I/O and no clock. */
#ifndef RMUX_CLIENT_COPY_PREDICT_H
#define RMUX_CLIENT_COPY_PREDICT_H

#include <stddef.h>
#include <stdint.h>

#include "client/display.h"
#include "client/mirror.h"
#include "net/input_stream.h"
#include "net/view.h"

/* The text of the row drawn where a line is not held yet (dim). */
#define COPY_PREDICT_FETCHING "~ fetching history ~"
/* Wheel events scroll this many lines (the default WheelUpPane and
 * WheelDownPane bindings of both copy-mode tables). */
#define COPY_PREDICT_WHEEL_LINES 5
/* Predictions kept before the oldest is forgotten unchecked. */
#define COPY_PREDICT_MAX 256

struct copy_predict;

struct copy_predict *copy_predict_create(void);
void copy_predict_free(struct copy_predict *cp);

/* KEY (server key code) is about to be sent as input event EVENT. V is
 * the last view given to copy_predict_view(); M may be NULL (and must
 * stay the same mirror for the life of CP). */
void copy_predict_key(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    uint64_t key, uint64_t event, uint64_t now);
/* A mouse event EV (INPUT_MOUSE) about to be sent as input event EVENT. */
void copy_predict_mouse(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    const struct input_event *ev, uint64_t event, uint64_t now);
/* Input that is neither (a paste, focus, a resize) sent as event EVENT:
 * nothing is predicted until the server's view covers it. */
void copy_predict_other(struct copy_predict *cp, uint64_t event);
/* A new view from the server. */
void copy_predict_view(struct copy_predict *cp, const struct view *v, uint64_t now);
/* Forget every prediction (a lost key, a new connection). */
void copy_predict_reset(struct copy_predict *cp);

/* Draw the predicted copy mode (pane rows, cursor, prompt line) into F,
 * composed from V. Lines that reached the mirror since are read again. */
void copy_predict_apply(struct copy_predict *cp, const struct view *v, const struct mirror *m,
    struct display_frame *f);
/* The top line of PANE's predicted viewport, or UINT64_MAX (for the
 * history channel's wants). */
uint64_t copy_predict_top(const struct copy_predict *cp, uint32_t pane);

/* The text of a copy predicted by the last key or mouse event, for the
 * terminal's clipboard (malloc'd, the caller frees; NULL: none). */
char *copy_predict_take_copy(struct copy_predict *cp, size_t *len);
/* The server's clipboard event carries DATA: 1 if it is a predicted copy
 * the client already wrote (then forgotten), else 0. */
int copy_predict_copied(struct copy_predict *cp, const void *data, size_t len);

/* State, for tests and the client's log. */
int copy_predict_pending(const struct copy_predict *cp);   /* predictions kept */
unsigned copy_predict_refuted(const struct copy_predict *cp); /* refutations so far */
/* KEY is no longer predicted in the emacs (VI 0) or vi table. */
int copy_predict_banned(const struct copy_predict *cp, int vi, uint64_t key);

#endif
