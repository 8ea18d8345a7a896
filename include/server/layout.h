/* layout.h — one window's pane layout: a tree of left-right and top-bottom
 * splits whose leaves are panes, one-cell borders between siblings, plus
 * the window's pane order (what pane indexes count). The arithmetic follows
 * tmux 3.3a so that the same commands give the same rectangles and the
 * same #{window_layout} string. Panes are named by caller-chosen ids
 * (the N of %N); the module owns no pane state. */
#ifndef RMUX_SERVER_LAYOUT_H
#define RMUX_SERVER_LAYOUT_H

#include <stddef.h>

/* Smallest pane width or height. */
#define LAYOUT_PANE_MINIMUM 1u
/* Largest window or cell side a layout string may give (tmux's limit). */
#define LAYOUT_SIZE_MAX 10000u

/* Split directions: LEFTRIGHT is split-window -h, TOPBOTTOM is -v. */
#define LAYOUT_LEFTRIGHT 0
#define LAYOUT_TOPBOTTOM 1
#define LAYOUT_WINDOWPANE 2

/* Flags of layout_split(). */
#define LAYOUT_SPLIT_BEFORE 0x1   /* -b: new pane left of / above */
#define LAYOUT_SPLIT_FULLSIZE 0x2 /* -f: span the whole window */

/* Directions of layout_resize_pane(). */
#define LAYOUT_DIR_LEFT 0
#define LAYOUT_DIR_RIGHT 1
#define LAYOUT_DIR_UP 2
#define LAYOUT_DIR_DOWN 3

/* Presets of select-layout, in tmux's next-layout order. */
#define LAYOUT_EVEN_HORIZONTAL 0
#define LAYOUT_EVEN_VERTICAL 1
#define LAYOUT_MAIN_HORIZONTAL 2
#define LAYOUT_MAIN_VERTICAL 3
#define LAYOUT_TILED 4
#define LAYOUT_NPRESETS 5

struct layout;

/* A pane's rectangle, in cells, within the window. */
struct layout_geom {
	unsigned x, y, sx, sy;
};

/* The window-option values the main-* presets read (strings as set,
 * "N" or "N%"; NULL means tmux's default). */
struct layout_main_opts {
	const char *main_pane_width;   /* default 80 */
	const char *main_pane_height;  /* default 24 */
	const char *other_pane_width;  /* default 0 */
	const char *other_pane_height; /* default 0 */
};

/* A window of SX x SY holding one pane. */
struct layout *layout_create(unsigned sx, unsigned sy, int pane);
void layout_free(struct layout *l);

/* Split PANE (or the whole window with LAYOUT_SPLIT_FULLSIZE) in TYPE.
 * SIZE is the new pane's size in cells, or -1 for half. NEW_PANE enters the
 * pane order after PANE (before it with LAYOUT_SPLIT_BEFORE; first or last
 * for full size). Returns 0, or -1 when there is no space for a new pane. */
int layout_split(struct layout *l, int pane, int type, int size, int flags, int new_pane);
/* Current size, in TYPE's direction, of the cell a split of PANE divides:
 * what -l N% and -p N are percentages of. */
unsigned layout_split_base(const struct layout *l, int pane, int type, int flags);
/* Parse a -l value: "N" or "N%" of BASE. Returns 0, or -1 with *CAUSE set
 * to "invalid", "too small" or "too large" (tmux prefixes "lines " or
 * "columns " to it). */
int layout_parse_size(const char *s, unsigned base, int *out, const char **cause);

/* Take PANE out; its space goes to a neighbour as in tmux. Returns 0, or
 * -1 if PANE is unknown or is the last pane. */
int layout_remove(struct layout *l, int pane);

/* Move PANE's border by N cells in DIR (resize-pane -L/-R/-U/-D). */
void layout_resize_pane(struct layout *l, int pane, int dir, unsigned n);
/* Make PANE SIZE cells wide (TYPE LEFTRIGHT, -x) or high (TOPBOTTOM, -y). */
void layout_resize_pane_to(struct layout *l, int pane, int type, unsigned size);
/* Resize the window, spreading the change over the panes as tmux does. */
void layout_resize(struct layout *l, unsigned sx, unsigned sy);

/* Zoom PANE to the whole window (0), or -1 if it is alone or unknown. */
int layout_zoom(struct layout *l, int pane);
void layout_unzoom(struct layout *l);
/* The zoomed pane, or -1. */
int layout_zoomed(const struct layout *l);

/* Apply a preset (LAYOUT_EVEN_HORIZONTAL ...). OPTS may be NULL. */
void layout_select_preset(struct layout *l, int preset, const struct layout_main_opts *opts);
/* A preset by name, exact or unique prefix; -1 if none. */
int layout_preset_lookup(const char *name);
const char *layout_preset_name(int preset);
/* select-layout -E: spread the panes of PANE's parent cell evenly.
 * Returns 1 if anything changed. */
int layout_spread_out(struct layout *l, int pane);
/* Apply a #{window_layout} string: checksum, sizes and pane count must
 * match, every side is 1..LAYOUT_SIZE_MAX and every split has at least two
 * children. The string's pane ids are ignored; panes keep the window order.
 * Returns 0, or -1 with *CAUSE ("invalid layout: ..." style short text). */
int layout_apply_string(struct layout *l, const char *s, const char **cause);

/* The #{window_layout} string (the unzoomed tree) when VISIBLE is 0, else
 * #{window_visible_layout}. Caller frees. */
char *layout_dump(const struct layout *l, int visible);

/* Window size and pane order. */
void layout_window_size(const struct layout *l, unsigned *sx, unsigned *sy);
size_t layout_count(const struct layout *l);
int layout_pane_at(const struct layout *l, size_t index); /* -1 if beyond */
int layout_index_of(const struct layout *l, int pane);    /* -1 if unknown */
/* PANE's rectangle. Returns 0; 1 when another pane's zoom hides it (the
 * rectangle is then where it will be after unzoom, as tmux reports it);
 * -1 if unknown. select-pane -L/-R/-U/-D works from these
 * rectangles and the window's recently-used order, which it owns. */
int layout_geometry(const struct layout *l, int pane, struct layout_geom *g);

#endif
