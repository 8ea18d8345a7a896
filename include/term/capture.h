/* capture.h — a screen and its history as text, exactly as
 * `tmux capture-pane -p [-e] [-J] [-N] [-S start] [-E end]` prints a pane. */
#ifndef RMUX_TERM_CAPTURE_H
#define RMUX_TERM_CAPTURE_H

#include <stddef.h>

#include "term/screen.h"

#define CAPTURE_ESCAPES 0x1u  /* -e: SGR sequences for colours and attributes */
#define CAPTURE_JOIN 0x2u     /* -J: join wrapped lines, keep trailing spaces */
#define CAPTURE_TRAILING 0x4u /* -N: keep trailing spaces */

/* Line numbers as tmux's -S/-E: 0 is the top visible row, -1 the newest
 * history line; CAPTURE_FROM_START / CAPTURE_TO_END are tmux's "-". */
#define CAPTURE_FROM_START (-2147483647L - 1)
#define CAPTURE_TO_END 2147483647L

/* A NUL-terminated, malloc'd capture; *LEN (if not NULL) is its length.
 * Each line ends with '\n'. */
char *capture_screen(const struct screen *s, long start, long end, unsigned flags, size_t *len);

#endif
