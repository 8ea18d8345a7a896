/* window.h — a window: an index and name in its session, a layout, panes. */
#ifndef RMUX_SERVER_WINDOW_H
#define RMUX_SERVER_WINDOW_H

#include <stddef.h>
#include <stdint.h>

struct session;
struct pane;
struct layout;
struct pty_spawn;
struct options;

struct window {
	int id;              /* the N of @N */
	int index;
	char *name;          /* NULL: named after the active pane's program */
	struct options *options; /* inherits global_w_options */
	struct session *session;
	struct layout *layout;
	struct pane **panes; /* storage; pane order comes from the layout */
	size_t npanes;
	struct pane *active;
	struct pane *last;
	int last_preset;     /* select-layout's last preset, or -1 */
	struct window *next; /* in the session, by index */
};

/* A window with one pane running SP. NULL with CAUSE on failure. */
struct window *window_create(struct session *s, int index, const char *name,
    struct pty_spawn *sp, char **cause);
/* Free the window and all its panes (does not unlink it from S). */
void window_free(struct window *w);
struct window *window_find_id(int id);

/* Split PANE; SIZE -1 for half. The new pane is returned (not made
 * active). NULL with CAUSE on failure. */
struct pane *window_split(struct window *w, struct pane *pane, int type, int size, int flags,
    struct pty_spawn *sp, char **cause);
/* Remove P from W and free it. Returns the panes left. */
size_t window_remove_pane(struct window *w, struct pane *p);
void window_set_active(struct window *w, struct pane *p);
/* Pane order: index of P, or the pane at INDEX (NULL if none). */
int window_pane_index(const struct window *w, const struct pane *p);
struct pane *window_pane_at(const struct window *w, size_t index);
/* Push the layout's rectangles to the panes. */
void window_apply_layout(struct window *w);
/* The name shown: the active pane's program while automatic-rename is on,
 * else the name last set or shown. */
const char *window_name(struct window *w, char *buf, size_t size);
/* Give W the name NAME and turn automatic-rename off for it, as
 * rename-window and new-window -n do. */
void window_set_name(struct window *w, const char *name);
/* Add P (already in another window's layout or none) to W's storage. */
void window_add_pane(struct window *w, struct pane *p);
/* Take P out of W without freeing it (break-pane, join-pane). Returns
 * the panes left. */
size_t window_detach_pane(struct window *w, struct pane *p);
/* A new window of SX x SY holding the existing pane P (break-pane). */
struct window *window_create_with(struct session *s, int index, unsigned sx, unsigned sy,
    struct pane *p);
/* Rebuild W's layout with the same shape but IDS (W's pane count of
 * them) as its pane order: swap-pane. Returns 0, or -1 if the layout
 * could not be rebuilt (W is then unchanged). */
int window_set_order(struct window *w, const int *ids);
void window_size(const struct window *w, unsigned *sx, unsigned *sy);
/* The neighbour of P in direction DIR ('L', 'R', 'U', 'D'): panes whose
 * edge touches P's across the one-cell border and overlap it, wrapping
 * around the window; among several, the most recently used. NULL if none. */
struct pane *window_neighbour(struct window *w, struct pane *p, int dir);

#endif
