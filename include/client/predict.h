/* predict.h — predictive local echo: the client's guesses of what typed
 * keys do to the active pane (printable characters inserted at the cursor,
 * backspace, left and right arrows, Enter), drawn over the frame before the
 * server's echo arrives and checked against the server's view once its
 * echo_ack covers the key's input event.
 *
 * Predictions are grouped in epochs. A key whose effect cannot be guessed
 * (control keys, escape sequences, wide characters, the last column, Enter)
 * starts a new epoch, which stays tentative (not drawn) until one of its
 * predictions is confirmed by the server. A wrong tentative prediction
 * removes its epoch; a wrong drawn one removes every prediction, so the
 * next frame shows the server's truth.
 *
 * Pure state: no I/O and no clock; every call that depends on time takes
 * the caller's monotonic milliseconds. */
#ifndef RMUX_CLIENT_PREDICT_H
#define RMUX_CLIENT_PREDICT_H

#include <stdint.h>

#include "client/display.h"
#include "net/view.h"

/* Display policies (option `predict`, flag --predict). */
#define PREDICT_ADAPTIVE 0 /* show when the link is slow or echoes are late */
#define PREDICT_ALWAYS 1
#define PREDICT_NEVER 2

/* Adaptive thresholds on the frame interval (SRTT / 2, 20..250 ms). */
#define PREDICT_INTERVAL_MIN 20
#define PREDICT_INTERVAL_MAX 250
#define PREDICT_SHOW_HIGH 30  /* show above this */
#define PREDICT_SHOW_LOW 20   /* hide at or below, once nothing is pending */
#define PREDICT_FLAG_HIGH 80  /* underline above this */
#define PREDICT_FLAG_LOW 50   /* stop underlining at or below */
/* The glitch counter: a prediction pending this long shows predictions... */
#define PREDICT_GLITCH_MS 250
#define PREDICT_GLITCH_COUNT 10
/* ...this long also underlines them (the counter goes to twice the count). */
#define PREDICT_GLITCH_FLAG_MS 5000
/* A quick confirmation takes one off the counter at most this often. */
#define PREDICT_GLITCH_REPAIR_MS 150

struct predict;

struct predict *predict_create(int policy);
void predict_free(struct predict *p);
/* "adaptive", "always", "never" to PREDICT_*, or -1. */
int predict_policy_from_string(const char *s);
void predict_set_policy(struct predict *p, int policy);

/* The transport's smoothed round-trip time; the frame interval is half of
 * it, clamped to PREDICT_INTERVAL_MIN..MAX. */
void predict_set_srtt(struct predict *p, unsigned srtt_ms);

/* A key typed by the user (a key_string.h code), carried by input event
 * EVENT (numbers increase), at time NOW. Call it before the key is sent. */
void predict_key(struct predict *p, uint64_t key, uint64_t event, uint64_t now);
/* A paste (bracketed, or a bulk read): never predicted; forgets every
 * prediction. */
void predict_paste(struct predict *p);
/* Forget every prediction (a new connection, a redraw). */
void predict_reset(struct predict *p);

/* A new view from the server at time NOW: predictions covered by its
 * echo_ack are confirmed or refuted against its active pane. Predictions
 * stop (and are forgotten) outside the root key table, with a pane in copy
 * mode, with a prompt open, or while the active pane does not echo; the
 * alternate screen starts over with a tentative epoch. The view is not
 * kept: only references to the active pane's rows. */
void predict_view(struct predict *p, const struct view *v, uint64_t now);
/* Time passing without a view: late predictions raise the glitch counter. */
void predict_tick(struct predict *p, uint64_t now);
/* Milliseconds until predict_tick() may change something, or -1. */
int predict_wake(const struct predict *p, uint64_t now);

/* Draw the shown predictions over F, a frame composed from the last view
 * given to predict_view(), and move its cursor. */
void predict_apply(const struct predict *p, struct display_frame *f);

/* State, for the caller's statistics and for tests. */
int predict_showing(const struct predict *p);    /* predictions would be drawn */
int predict_underlining(const struct predict *p); /* ...and underlined */
int predict_pending(const struct predict *p);     /* any prediction kept */
unsigned predict_glitch(const struct predict *p);

#endif
