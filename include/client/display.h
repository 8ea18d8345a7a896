/* display.h — the renderer: turns what the local terminal shows into a new
 * frame with as few bytes as it can (only changed cells, cheapest cursor
 * moves, SGR only on pen changes, erase to end of line, scroll regions for
 * scrolls, synchronized output). It keeps its own model of the terminal's
 * screen and does no I/O: bytes go into a struct buf for the caller. */
#ifndef RMUX_CLIENT_DISPLAY_H
#define RMUX_CLIENT_DISPLAY_H

#include <stdint.h>

#include "client/tty.h"
#include "common/buf.h"
#include "term/cell.h"
#include "term/clusters.h"
#include "term/screen.h"

/* What the terminal should show. Composition code fills one of these. */
struct display_frame {
	unsigned cols, rows;
	struct cell *cells;        /* rows * cols, row-major */
	struct clusters *clusters; /* the text of CELL_CLUSTER cells (owned) */
	unsigned cx, cy;           /* cursor */
	int cursor_visible;
	unsigned cursor_style; /* DECSCUSR 0-6 */
	char *title;           /* never NULL */
};

struct display_frame *display_frame_create(unsigned cols, unsigned rows);
void display_frame_free(struct display_frame *f);
/* New size; every cell becomes a default blank. */
void display_frame_resize(struct display_frame *f, unsigned cols, unsigned rows);
/* Every cell a default blank, a fresh cluster table, cursor home. */
void display_frame_clear(struct display_frame *f);
void display_frame_set_title(struct display_frame *f, const char *title);
/* Append the SGR sequence that changes the pen FROM (NULL: unknown) to
 * WANT's colours and renditions (already mapped to CAPS, see
 * display_map_cell()); nothing when they are the same. */
void display_sgr(const struct tty_caps *caps, const struct cell *from, const struct cell *want,
    struct buf *out);
/* Put CELL at (x, y); the text of a CELL_CLUSTER cell is looked up in SRC
 * (the table its id belongs to) and interned in the frame's own table.
 * Out-of-range positions are ignored. */
void display_frame_put(struct display_frame *f, unsigned x, unsigned y, const struct cell *cell,
		       const struct clusters *src);
/* Copy a W x H rectangle of SCREEN's visible grid from (sx, sy) to (x, y),
 * clipped to both; a wide character cut by the rectangle's edge becomes a
 * blank. */
void display_frame_copy_screen(struct display_frame *f, unsigned x, unsigned y,
			       const struct screen *s, unsigned sx, unsigned sy, unsigned w,
			       unsigned h);

struct display;

/* Counters, for tests and the client's statistics. */
struct display_stats {
	unsigned long updates;  /* display_update calls that wrote something */
	unsigned long repaints; /* full repaints (first frame, resize, invalidate) */
	unsigned long scrolls;  /* scroll-region operations used */
	unsigned long bytes;    /* total bytes produced */
};

/* CAPS must outlive the display. COLS x ROWS is the terminal's size. */
struct display *display_create(const struct tty_caps *caps, unsigned cols, unsigned rows);
void display_free(struct display *d);
/* The terminal changed size: the next update repaints everything. */
void display_resize(struct display *d, unsigned cols, unsigned rows);
/* Forget what the terminal shows (Ctrl-L, refresh-client, or after the
 * caller wrote something else): the next update repaints everything. */
void display_invalidate(struct display *d);
/* A hint from the caller: rows TOP..BOTTOM (inclusive) of the next frame
 * are the shown rows scrolled up by N (down when N < 0). Checked against
 * the frame before use; without a hint scrolls are found by comparison. */
void display_hint_scroll(struct display *d, unsigned top, unsigned bottom, int n);
/* Append the bytes that turn what the terminal shows into FRAME (nothing
 * when they are equal). A frame of another size than the display is
 * clipped or padded with blanks. */
void display_update(struct display *d, const struct display_frame *frame, struct buf *out);
const struct display_stats *display_stats(const struct display *d);

/* What the terminal will show for colour C: itself with true colour, else
 * the nearest 256-colour index, the nearest of 16 or 8, or the default. */
uint32_t display_colour(const struct tty_caps *caps, uint32_t c);
/* Cell C as the terminal will show it: colours mapped, renditions it lacks
 * dropped, no hyperlink. */
void display_map_cell(const struct tty_caps *caps, struct cell *c);
/* The xterm palette: index 0-255 to 0xRRGGBB. */
uint32_t display_palette_rgb(unsigned index);
/* The nearest entry of the 6x6x6 cube or grey ramp (16-255). */
unsigned display_nearest_256(unsigned r, unsigned g, unsigned b);

#endif
