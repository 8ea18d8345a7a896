/* history_feed.h — what a connection's history channel sends next: per
 * visible pane, the lines of the pane's history already sent in its
 * current generation (an interval set), and the choice of the next chunk
 * by the rules of doc/PROTOCOL.md "The history channel" (around the
 * client's want first, then the newest lines just above the screen, then
 * in idle time older lines down to base - limit), within a small window
 * of unacknowledged bytes. While the live screen is in a flood the feed
 * gives way: lines sent then would mostly be pushed out of the client's
 * limit again before long, and they would compete with the live frames
 * (an interrupt's prompt) for the link. */
#ifndef RMUX_SERVER_HISTORY_FEED_H
#define RMUX_SERVER_HISTORY_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "net/history.h"
#include "net/view.h"

/* Unacknowledged chunk bytes allowed in flight, and while the live view
 * has an unacknowledged change (or is in a flood, for the wants). */
#define HISTORY_FEED_WINDOW 16384
#define HISTORY_FEED_BUSY_WINDOW 4096
/* A chunk stops growing at this many encoded bytes (one datagram). */
#define HISTORY_FEED_CHUNK_BYTES 1000
/* Lines just above the screen sent even while the live view is busy. */
#define HISTORY_FEED_NEAR 1000
/* A flood: a visible pane's history grew by HISTORY_FEED_FLOOD_LINES or
 * more within HISTORY_FEED_FLOOD_MS (a command's prompt and echo add a
 * line or two; `seq` thousands). It lasts until no pane has grown that
 * fast for HISTORY_FEED_FLOOD_MS and the live view has no unacknowledged
 * state (the frame that ends the flood, an interrupt's prompt, goes
 * alone). Meanwhile only the client's wants are served, in the busy
 * window; afterwards the newest lines within the limit at that time. */
#define HISTORY_FEED_FLOOD_LINES 100
#define HISTORY_FEED_FLOOD_MS 250

struct history_feed;

struct history_feed *history_feed_create(void);
void history_feed_free(struct history_feed *f);

/* The lines of one pane's history, for the feed and its tests: GEN, the
 * absolute number of the line after the newest (BASE) and how many are
 * held (SIZE); get() turns line LINE (absolute) into a row and its
 * wrapped flag, or returns NULL when it is not held. */
struct history_feed_source {
	uint32_t gen;
	uint64_t base;
	uint32_t size;
	unsigned rows; /* the pane's height: a page around a want */
	struct view_row *(*get)(void *arg, uint64_t line, int *wrapped);
	void *arg;
};
/* Where the feed finds a pane's history: 0 if pane ID has none. */
typedef int (*history_feed_lookup)(void *arg, uint32_t id, struct history_feed_source *src);

/* Append to STREAM (the history transport's current state) the chunks
 * due at NOW (ms, monotonic) for the panes listed in IDS (the client's
 * visible panes), with the client's WANTS, the session's LIMIT
 * (client-history-limit), and LIVE_BUSY set while a change of the live
 * view is unacknowledged. Panes not listed are forgotten. Returns the
 * number of lines added. */
size_t history_feed_update(struct history_feed *f, struct history_stream *stream,
    const uint32_t *ids, size_t nids, history_feed_lookup lookup, void *arg,
    const struct history_wants *wants, unsigned limit, int live_busy, uint64_t now);

/* Whether the last update found the live screen in a flood, and when an
 * update should run again to see the flood end by time (UINT64_MAX: no
 * need; an acknowledgement of the live view brings its own pass). */
int history_feed_flood(const struct history_feed *f);
uint64_t history_feed_wake(const struct history_feed *f);

/* The lookup for the daemon's panes (server/pane.h): lines from the
 * pane's screen history at the pane's width. ARG is the feed. */
int history_feed_pane_lookup(void *arg, uint32_t id, struct history_feed_source *src);

#endif
