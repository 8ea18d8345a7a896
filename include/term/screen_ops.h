/* screen_ops.h — the operations the parser performs on a screen. Internal
 * to the emulator: consumers read struct screen and feed bytes through
 * vt.h. Counts are already defaulted and clamped by the parser (n >= 1);
 * coordinates are 0-based. */
#ifndef RMUX_TERM_SCREEN_OPS_H
#define RMUX_TERM_SCREEN_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "term/screen.h"

/* Parameters of a control sequence, for operations that take a list. */
#define SCREEN_PARAMS_MAX 32
#define SCREEN_PARAM_MAX 65535 /* larger values are clamped to this */
#define SCREEN_PARAM_NONE (-1) /* an empty parameter */

struct screen_params {
	unsigned n;                   /* parameters present */
	int32_t v[SCREEN_PARAMS_MAX]; /* value or SCREEN_PARAM_NONE */
	uint8_t colon[SCREEN_PARAMS_MAX]; /* 1: v[i] followed a ':' (a sub-parameter) */
};

/* Character sets for G0/G1 (SCS). */
#define SCREEN_CHARSET_ASCII 0
#define SCREEN_CHARSET_DEC 1 /* DEC special graphics (line drawing) */
#define SCREEN_CHARSET_UK 2

/* Printing. */
/* A run of bytes 0x20-0x7e: the fast path. */
void screen_put_ascii(struct screen *s, const uint8_t *p, size_t n);
/* One character (any Unicode scalar that is not a control). */
void screen_put(struct screen *s, uint32_t cp);
/* N characters, as N screen_put() calls: the fast path for text that is
 * not ASCII (the parser decodes runs of it). */
void screen_put_many(struct screen *s, const uint32_t *cp, size_t n);
/* REP: the last printed character N more times (up to the end of the line). */
void screen_repeat(struct screen *s, unsigned n);
/* Forget the last printed character (any control sequence does, for REP). */
void screen_forget_last(struct screen *s);

/* C0 and ESC. */
void screen_backspace(struct screen *s);
void screen_tab(struct screen *s, unsigned n);      /* HT, CHT */
void screen_backtab(struct screen *s, unsigned n);  /* CBT */
void screen_linefeed(struct screen *s);             /* LF VT FF: newline too under LNM */
void screen_carriage_return(struct screen *s);
void screen_bell(struct screen *s);
void screen_index(struct screen *s);                /* IND */
void screen_next_line(struct screen *s);            /* NEL */
void screen_reverse_index(struct screen *s);        /* RI */
void screen_set_tab(struct screen *s);              /* HTS */
void screen_clear_tab(struct screen *s, unsigned mode); /* TBC 0 / 3 */
void screen_designate(struct screen *s, unsigned g, unsigned charset);
void screen_shift(struct screen *s, unsigned g);    /* SO (1) / SI (0) */
void screen_save_cursor(struct screen *s);          /* DECSC, CSI s */
void screen_restore_cursor(struct screen *s);       /* DECRC, CSI u */
void screen_alignment(struct screen *s);            /* DECALN */
void screen_soft_reset(struct screen *s);           /* DECSTR */

/* Cursor motion. */
void screen_cursor_up(struct screen *s, unsigned n);
void screen_cursor_down(struct screen *s, unsigned n);
void screen_cursor_right(struct screen *s, unsigned n);
void screen_cursor_left(struct screen *s, unsigned n);
/* CUP: X, Y relative to the scroll region under DECOM. */
void screen_cursor_to(struct screen *s, unsigned x, unsigned y);
void screen_cursor_col(struct screen *s, unsigned x); /* CHA, HPA */
void screen_cursor_row(struct screen *s, unsigned y); /* VPA (DECOM-relative) */

/* Erasing and editing; the pen's background fills. */
void screen_erase_display(struct screen *s, unsigned mode); /* ED 0-3 */
void screen_erase_line(struct screen *s, unsigned mode);    /* EL 0-2 */
void screen_erase_chars(struct screen *s, unsigned n);      /* ECH */
void screen_insert_chars(struct screen *s, unsigned n);     /* ICH */
void screen_delete_chars(struct screen *s, unsigned n);     /* DCH */
void screen_insert_lines(struct screen *s, unsigned n);     /* IL */
void screen_delete_lines(struct screen *s, unsigned n);     /* DL */
void screen_scroll_up(struct screen *s, unsigned n);        /* SU */
void screen_scroll_down(struct screen *s, unsigned n);      /* SD */
/* DECSTBM, 0-based inclusive; invalid regions are ignored. */
void screen_set_region(struct screen *s, unsigned top, unsigned bottom);

/* Modes. */
void screen_set_ansi_mode(struct screen *s, unsigned mode, int on);    /* SM/RM */
void screen_set_private_mode(struct screen *s, unsigned mode, int on); /* DECSET/DECRST */
void screen_set_keypad(struct screen *s, int application);             /* DECKPAM/DECKPNM */
void screen_set_cursor_style(struct screen *s, unsigned style);        /* DECSCUSR */

/* SGR with its parameter list (colon sub-parameters included). */
void screen_sgr(struct screen *s, const struct screen_params *p);

/* OSC: the text between "ESC ]" and the terminator (not NUL-terminated). */
void screen_osc(struct screen *s, const char *data, size_t len);

/* Replies (into s->replies). */
void screen_report_status(struct screen *s, unsigned n);        /* DSR 5 / 6 */
void screen_report_attributes(struct screen *s, int secondary); /* DA1 / DA2 */
void screen_report_mode(struct screen *s, unsigned mode, int private_mode); /* DECRQM */

#endif
