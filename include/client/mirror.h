/* mirror.h — the client's mirror of the history of the panes it shows:
 * lines that left a pane's screen, by absolute line number (struct
 * view_pane), filled by the history channel (net/history.h) behind the
 * live view and read by client-side copy mode.
 *
 * Per pane the mirror keeps at most LIMIT lines, and only lines within
 * LIMIT of the newest line held: a line more than LIMIT - 1 below the
 * newest is dropped (on arrival, or when a newer line pushes the window
 * up). The server sends only lines base - limit .. base - 1, so the window
 * is exactly the lines the client may want. */
#ifndef RMUX_CLIENT_MIRROR_H
#define RMUX_CLIENT_MIRROR_H

#include <stddef.h>
#include <stdint.h>

#include "net/view.h"

#define MIRROR_DEFAULT_LIMIT 50000u

struct mirror;

struct mirror *mirror_create(unsigned limit); /* lines kept per pane */
void mirror_free(struct mirror *m);
/* Change the limit (0: mirror off, everything dropped); lines beyond a
 * smaller limit are dropped, lowest first. */
void mirror_set_limit(struct mirror *m, unsigned limit);
unsigned mirror_limit(const struct mirror *m);
/* Line LINE (absolute number, see struct view_pane) of pane PANE in
 * generation GEN; takes the caller's reference to ROW. A GEN different from
 * the pane's drops the pane's lines first. Over the limit the lines
 * furthest below the newest line held are dropped. */
void mirror_add(struct mirror *m, uint32_t pane, uint32_t gen, uint64_t line,
    struct view_row *row, int wrapped);
/* Line LINE of PANE in GEN, or NULL when not held (WRAPPED may be NULL). */
const struct view_row *mirror_get(const struct mirror *m, uint32_t pane, uint32_t gen,
    uint64_t line, int *wrapped);
size_t mirror_count(const struct mirror *m, uint32_t pane);
/* Forget panes not in the list (closed panes). */
void mirror_keep_only(struct mirror *m, const uint32_t *panes, size_t n);

/* The generation of PANE and its lowest and highest line held: 1, or 0
 * when nothing is held for PANE (outputs untouched). */
int mirror_range(const struct mirror *m, uint32_t pane, uint32_t *gen, uint64_t *lowest,
    uint64_t *highest);
/* Forget everything held for PANE. */
void mirror_drop_pane(struct mirror *m, uint32_t pane);
/* The panes held (up to MAX ids into OUT); returns how many there are. */
size_t mirror_panes(const struct mirror *m, uint32_t *out, size_t max);

#endif
