/* cmd_copy.h — copy mode in the daemon: copy-mode, send-keys -X,
 * capture-pane (printed or into a paste buffer), and the copy-mode and
 * mouse format variables (cmd_format asks them first). A
 * pane in copy mode has its struct copy_mode in pane->copy. */
#ifndef RMUX_SERVER_CMD_COPY_H
#define RMUX_SERVER_CMD_COPY_H

struct cmd_ctx;
struct pane;

/* send-keys -X NAME ARGS... -N REPEAT on P: "not in a mode" unless P is in
 * copy mode; copies go to the paste buffers, cancel leaves the mode. An
 * unknown name does nothing, as in tmux. */
int cmd_copy_send(struct cmd_ctx *ctx, struct pane *p, int argc, char **argv, unsigned repeat);
/* Enter copy mode on P (no-op if already in it), with the key style of
 * mode-keys. */
void cmd_copy_enter(struct pane *p);
/* Leave copy mode (no-op if not in it). */
void cmd_copy_leave(struct pane *p);

/* Format variables of P's mode: pane_in_mode, pane_mode, scroll_position,
 * copy_cursor_x, copy_cursor_y, copy_cursor_line, selection_present (the
 * last five empty outside copy mode, as in tmux). NULL if NAME is not one
 * of these. Caller frees. */
char *cmd_copy_format(const struct pane *p, const char *name);

#endif
