/* status.h — the status line as tmux 3.3a draws it by default
 * (`[session] 0:bash* 1:vim-` on the left, `"title" HH:MM DD-Mon-YY` on
 * the right) into a row of cells: status-left and status-right with their
 * lengths, the window list with window-status-format and
 * window-status-current-format, separators, the styles, status-justify and
 * the < > markers of a list too long for the line. Also the message line
 * (display-message) and the command prompt, in message-style. Pure: the
 * caller gives the session, the options, variables and the time. */
#ifndef RMUX_SERVER_STATUS_H
#define RMUX_SERVER_STATUS_H

#include <time.h>

#include "server/options.h"
#include "term/cell.h"

struct status_window {
	int index;
	const char *name;
	const char *flags; /* #F: "*", "-", "#", "!", "Z" combined, "" */
	int current;       /* the session's current window */
	int last;          /* the previously current window */
	const struct options *oo; /* its window options (NULL: the session's) */
};

struct status_input {
	const char *session_name;
	const struct status_window *windows; /* in index order */
	unsigned nwindows;
	const struct options *oo; /* the session's options */
	/* Other format variables (pane_title, host ...), for the session
	 * (W NULL) or a window: malloc'd, or NULL if unknown. session_name,
	 * window_index, window_name, window_flags, window_active,
	 * window_last_flag and window_end_flag come from the struct. */
	char *(*lookup)(const char *name, const struct status_window *w, void *arg);
	void *arg;
	time_t now; /* for the strftime of status-left and status-right */
};

/* Draw the status line into OUT (WIDTH cells). */
void status_render(const struct status_input *in, unsigned width, struct cell *out);
/* The message line of display-message: TEXT (already expanded; #[...]
 * markers allowed) in message-style from OO, the rest of the line blank in
 * that style. */
void status_render_message(const struct options *oo, const char *text, unsigned width,
    struct cell *out);
/* The command prompt: PROMPT then INPUT (UTF-8) in message-style, the
 * character under CURSOR (an index in characters of INPUT; at the end a
 * blank) in reverse video. A long input scrolls to keep the cursor in
 * view. */
void status_render_prompt(const struct options *oo, const char *prompt, const char *input,
    unsigned cursor, unsigned width, struct cell *out);

#endif
