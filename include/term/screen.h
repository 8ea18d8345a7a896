/* screen.h — the state of one terminal: primary and alternate grids, the
 * history, cursor, pen, modes, scroll region, tab stops, titles, and the
 * operations the parser performs on them. The fields above the marker are
 * the read-only view for consumers (capture, server, wire codec, renderer);
 * everything below it is the emulator's own. */
#ifndef RMUX_TERM_SCREEN_H
#define RMUX_TERM_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "term/cell.h"
#include "term/clusters.h"
#include "term/grid.h"
#include "term/history.h"

/* screen.modes */
#define MODE_CURSOR_VISIBLE 0x00000001u /* DECTCEM ?25 */
#define MODE_INSERT 0x00000002u         /* IRM 4 */
#define MODE_ORIGIN 0x00000004u         /* DECOM ?6 */
#define MODE_WRAP 0x00000008u           /* DECAWM ?7 */
#define MODE_APP_CURSOR 0x00000010u     /* DECCKM ?1 */
#define MODE_APP_KEYPAD 0x00000020u     /* DECKPAM ESC = */
#define MODE_BRACKETED_PASTE 0x00000040u /* ?2004 */
#define MODE_FOCUS 0x00000080u          /* ?1004 */
#define MODE_MOUSE_X10 0x00000100u      /* ?9 */
#define MODE_MOUSE_STANDARD 0x00000200u /* ?1000 */
#define MODE_MOUSE_BUTTON 0x00000400u   /* ?1002 */
#define MODE_MOUSE_ANY 0x00000800u      /* ?1003 */
#define MODE_MOUSE_UTF8 0x00001000u     /* ?1005 */
#define MODE_MOUSE_SGR 0x00002000u      /* ?1006 */
#define MODE_MOUSE_URXVT 0x00004000u    /* ?1015 */
#define MODE_SYNC 0x00008000u           /* ?2026 synchronized output */
#define MODE_NEWLINE 0x00010000u        /* LNM 20 */
#define MODE_REVERSE_VIDEO 0x00020000u  /* DECSCNM ?5 */
#define MODE_CURSOR_BLINK 0x00040000u   /* ?12 */
#define MODE_ALT_SCREEN 0x00080000u     /* the alternate grid is in use */
#define MODE_MOUSE_ANY_MASK (MODE_MOUSE_X10 | MODE_MOUSE_STANDARD | MODE_MOUSE_BUTTON | MODE_MOUSE_ANY)

#define SCREEN_TITLE_MAX 1024   /* longer OSC 0/2 titles are cut */
#define SCREEN_OSC_MAX 1048576u /* an OSC longer than this is dropped whole */

struct screen {
	/* ---- read-only view for consumers ---- */
	unsigned cols, rows;
	struct grid *grid;       /* the grid in use: primary or alternate */
	struct grid *primary;
	struct grid *alternate;  /* allocated while MODE_ALT_SCREEN */
	struct history *history; /* the primary grid's scrollback */
	struct clusters *clusters;
	unsigned cx, cy;         /* cursor; cx < cols always */
	int wrap_pending;        /* deferred autowrap: last column was written */
	uint32_t modes;          /* MODE_* */
	unsigned cursor_style;   /* DECSCUSR 0-6 */
	unsigned scroll_top, scroll_bottom; /* DECSTBM, inclusive */
	struct pen pen;
	char *title;             /* OSC 0/2, NUL-terminated, never NULL */
	char *cwd;               /* OSC 7 URI, never NULL */
	uint32_t bells;          /* BEL count, wraps */
	uint32_t title_serial;   /* bumped on every title change */
	struct buf replies;      /* bytes to write back to the program (DSR, CPR, DA);
				    the owner sends and buf_reset()s them */
	struct buf clipboard;    /* OSC 52 payloads not yet taken: each is
				    "selection;base64\n" (the owner forwards and resets) */

	/* ---- the emulator's own state ---- */
	struct screen_internal *in;
};

struct screen *screen_create(unsigned cols, unsigned rows, unsigned history_limit);
void screen_free(struct screen *s);
/* Resize; the primary grid reflows with its history, the alternate does not. */
void screen_resize(struct screen *s, unsigned cols, unsigned rows);
/* RIS: everything back to the power-on state; history is kept. */
void screen_reset(struct screen *s);
/* The title (OSC 0/2, select-pane -T): cut to SCREEN_TITLE_MAX bytes;
 * text with control characters or bad UTF-8 is ignored. */
void screen_set_title(struct screen *s, const char *text, size_t len);
/* The OSC 8 URI of a link id, or NULL. */
const char *screen_link_uri(const struct screen *s, uint16_t link);
int screen_cursor_visible(const struct screen *s);
int screen_alternate_on(const struct screen *s);

/* The operations the parser drives live in term/screen_ops.h. */

#endif
