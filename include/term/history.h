/* history.h — the scrollback of one screen: lines that left the top, stored
 * compactly (UTF-8 text plus attribute runs, in large blocks) so that
 * 100k lines per pane are cheap. A ring: when the limit is reached the
 * oldest lines are dropped. Lines are numbered from 0 (oldest held). */
#ifndef RMUX_TERM_HISTORY_H
#define RMUX_TERM_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "term/cell.h"
#include "term/clusters.h"

#define HISTORY_DEFAULT_LIMIT 50000u

struct history;

struct history *history_create(unsigned limit);
void history_free(struct history *h);
/* Change the limit; drops the oldest lines if over it. */
void history_set_limit(struct history *h, unsigned limit);
unsigned history_limit(const struct history *h);
unsigned history_size(const struct history *h); /* lines held */
/* Lines ever pushed minus lines popped back: the absolute number of the
 * next line pushed. Line i is absolute number history_total(h) - size + i. */
uint64_t history_total(const struct history *h);
/* Bytes of memory held, for benchmarks and limits. */
size_t history_bytes(const struct history *h);

/* Append a line of COLS cells with ROW_* FLAGS; trailing default blanks are
 * not stored, except on a ROW_WRAPPED line (its width stays COLS: those
 * blanks are text a reflow joins to the next line). Cluster cells are
 * stored as their text (C resolves them). */
void history_push(struct history *h, const struct cell *cells, unsigned cols, uint32_t flags,
		  const struct clusters *c);
/* Decode line I into OUT (COLS cells; the rest padded with default
 * blanks, a line wider than COLS is cut). Combining text is interned into
 * C. Returns the number of cells the line holds (may exceed COLS) and sets
 * *FLAGS; returns -1 if I is out of range. */
int history_get(const struct history *h, unsigned i, struct cell *out, unsigned cols,
		uint32_t *flags, struct clusters *c);
/* Cell count of line I without decoding it into cells (-1 if out of range). */
int history_line_width(const struct history *h, unsigned i);
/* Remove and decode the newest line (as history_get), for a screen growing
 * taller or a reflow. Returns -1 when empty. */
int history_pop(struct history *h, struct cell *out, unsigned cols, uint32_t *flags,
		struct clusters *c);
/* Drop every line (and give back the memory). */
void history_clear(struct history *h);

/* For reflow: append line I of SRC to DST as it is encoded (no decoding);
 * -1 if I is out of range. */
int history_copy_line(struct history *dst, const struct history *src, unsigned i);
/* Move every line of SRC into DST (whose lines are dropped) and free SRC.
 * DST takes SRC's limit; the absolute number of DST's oldest line stays. */
void history_replace(struct history *dst, struct history *src);

#endif
