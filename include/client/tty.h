/* tty.h — the local terminal: what terminfo says it can do (read once
 * through ncurses' low-level API, no curses windows), raw mode with an
 * exact restore, and the sequences that enter and leave rmux's screen.
 * Sequences are appended to a struct buf; the caller writes them. */
#ifndef RMUX_CLIENT_TTY_H
#define RMUX_CLIENT_TTY_H

#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "common/buf.h"

/* What the renderer may use. Strings have terminfo padding ($<..>)
 * removed and are NULL when the terminal lacks the capability. Tests may
 * change fields after tty_caps_create() to model other terminals. */
struct tty_caps {
	char *term;
	unsigned colours; /* 0 (none), 8, 16, 88 or 256 palette entries */
	int truecolour;   /* SGR 38;2;r;g;b: RGB/Tc or COLORTERM=truecolor|24bit */
	int bce;          /* erases fill with the current background */
	int am, xenl;     /* autowrap; the last column defers the wrap */
	int sync;         /* synchronized output (DEC mode 2026), see tty.c */
	int title;        /* the window title can be set (tsl..fsl) */
	int ul_styles;    /* styled underlines, SGR 4:N (Smulx) */
	uint16_t attrs;   /* ATTR_* rendition bits the terminal shows */

	char *cup, *home, *clear, *el, *ed, *ech, *csr;
	char *cuu, *cud, *cuf, *cub, *cuu1, *cud1, *cuf1, *cub1, *cr, *hpa, *vpa;
	char *ind, *ri, *indn, *rin;
	char *sgr0, *smcup, *rmcup, *civis, *cnorm, *ss, *se;
	char *tsl, *fsl, *smkx, *rmkx, *smam, *rmam;
	char *sync_begin, *sync_end; /* from the Sync capability or ESC[?2026h/l */
	char *paste_on, *paste_off;  /* BE/BD or ESC[?2004h/l */

	/* Key capabilities (kcuu1, kf1, ...) for the input decoder. */
	size_t nkeys;
	struct tty_key {
		const char *name; /* the terminfo name */
		char *seq;        /* what the terminal sends */
	} * keys;
};

/* Read the terminfo entry of TERM (NULL: $TERM). COLORTERM (may be NULL)
 * is the environment variable of that name. On failure returns NULL and
 * writes a one-line reason into ERR. */
struct tty_caps *tty_caps_create(const char *term, const char *colorterm, char *err, size_t errlen);
void tty_caps_free(struct tty_caps *caps);
/* What the terminal sends for key capability NAME ("kcuu1", "kf5", ...),
 * or NULL. */
const char *tty_key(const struct tty_caps *caps, const char *name);

/* Append capability STR (may be NULL: nothing) with up to two integer
 * parameters expanded by tparm. Returns the number of bytes added. */
size_t tty_put(struct buf *out, const char *str);
size_t tty_put1(struct buf *out, const char *str, int a);
size_t tty_put2(struct buf *out, const char *str, int a, int b);

/* Raw mode: the termios of FD is saved and restored byte for byte. */
struct tty_mode {
	int fd;
	int raw;
	struct termios saved;
};

int tty_raw_enter(struct tty_mode *m, int fd); /* 0 or -errno */
int tty_raw_leave(struct tty_mode *m);         /* 0 or -errno; restore verified */
/* The size of the terminal on FD; 0 on success, -errno otherwise. */
int tty_get_size(int fd, unsigned *cols, unsigned *rows);

/* Mouse reporting wanted by the client. */
#define TTY_MOUSE_OFF 0
#define TTY_MOUSE_CLICK 1 /* presses and releases (1000) */
#define TTY_MOUSE_DRAG 2  /* also motion while a button is down (1002) */
#define TTY_MOUSE_ANY 3   /* all motion (1003) */

/* Flags of tty_enter(). */
#define TTY_ENTER_ALTSCREEN 0x1u
#define TTY_ENTER_KEYPAD 0x2u /* application cursor and keypad keys (smkx) */
#define TTY_ENTER_PASTE 0x4u  /* bracketed paste */
#define TTY_ENTER_FOCUS 0x8u  /* focus in/out reports */

/* Enter rmux's screen: alternate screen, keypad and paste modes as asked. */
void tty_enter(const struct tty_caps *caps, struct buf *out, unsigned flags);
/* Mouse reporting (SGR encoding, 1006) on or off. */
void tty_mouse(const struct tty_caps *caps, struct buf *out, int mode);
/* Set the window title (control characters are dropped). Nothing when the
 * terminal cannot. */
void tty_set_title(const struct tty_caps *caps, struct buf *out, const char *title);
/* Everything that puts the terminal back as it was before tty_enter:
 * synchronized output ended, pen reset, full scroll region, mouse, focus,
 * paste and keypad modes off, default cursor shape, cursor visible, the
 * normal screen back. ROWS is the terminal height (for the scroll region). */
void tty_leave(const struct tty_caps *caps, struct buf *out, unsigned rows);

#endif
