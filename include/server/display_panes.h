/* display_panes.h — display-panes (prefix q): every pane of a session's
 * current window shows its index in large digits, and its size at the top
 * right, for display-panes-time or until a key; a digit (a letter for
 * panes 10 and up) runs the command template on that pane, any other key
 * closes the overlay and then does what it always does. Per session, as
 * the key path is. */
#ifndef RMUX_SERVER_DISPLAY_PANES_H
#define RMUX_SERVER_DISPLAY_PANES_H

#include <stdint.h>

struct pane;
struct session;
struct view;
struct view_pane;

/* The template tmux 3.3a runs for the chosen pane. */
#define DISPLAY_PANES_TEMPLATE "select-pane -t '%%'"

/* Show the overlay on S for DURATION_MS (0: until a key); TEMPLATE NULL is
 * the default; KEYS 0 (-N) leaves every key to the key tables. */
void display_panes_open(struct session *s, long duration_ms, const char *template, int keys);
void display_panes_close(struct session *s);
/* A number that changes whenever the overlay opens or closes (0: never
 * shown). */
uint64_t display_panes_serial(const struct session *s);
int display_panes_shown(const struct session *s);
/* KEY typed into S while the overlay shows: closes it; returns 1 when the
 * key chose a pane (its template has run; *PP is S's active pane again,
 * NULL if S went) or named none, 0 when the key goes on to the tables. */
int display_panes_key(struct session *s, struct pane **pp, uint64_t key);
/* Draw the overlay over the rows of P in V (its view pane VP). */
void display_panes_draw(const struct session *s, const struct pane *p, struct view *v,
    struct view_pane *vp);
/* session_destroy. */
void display_panes_free(struct session *s);

#endif
