/* copy_predict.h — copy-mode navigation predicted on the client: when the
 * active pane is in copy mode and a navigation key is typed (page, half
 * page, scroll, cursor up/down, history top/bottom, top/middle/bottom
 * line), or the mouse wheel turns over it, the client draws at once the
 * viewport, cursor and position indicator the server will draw, taking
 * the lines from the history mirror (mirror.h) and from rows it has seen.
 *
 * Copy mode stays on the server. A prediction is checked once the view's
 * echo_ack covers the input event that carried its key: a viewport that
 * differs refutes it (the key is not predicted again in that key table in
 * this run: the user rebound it); a cursor that differs, or copy mode
 * left where the client could not know it would be, only drops it. Either
 * way the server's view is what the next frame shows.
 *
 * Pure state: no I/O and no clock. */
#ifndef RMUX_CLIENT_COPY_PREDICT_H
#define RMUX_CLIENT_COPY_PREDICT_H

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
 * the last view given to copy_predict_view(); M may be NULL. */
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

/* Draw predicted viewports into F, composed from V. */
void copy_predict_apply(const struct copy_predict *cp, const struct view *v,
    const struct mirror *m, struct display_frame *f);
/* The top line of PANE's predicted viewport, or UINT64_MAX (for the
 * history channel's wants). */
uint64_t copy_predict_top(const struct copy_predict *cp, uint32_t pane);

/* State, for tests and the client's log. */
int copy_predict_pending(const struct copy_predict *cp);   /* predictions kept */
unsigned copy_predict_refuted(const struct copy_predict *cp); /* refutations so far */
/* KEY is no longer predicted in the emacs (VI 0) or vi table. */
int copy_predict_banned(const struct copy_predict *cp, int vi, uint64_t key);

#endif
