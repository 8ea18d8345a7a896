/* cmd_keys.h — the key commands: bind-key, unbind-key, list-keys,
 * send-keys (through the key path of keys.h) and send-prefix; and the
 * printer that turns a bound command into the text list-keys shows. */
#ifndef RMUX_SERVER_CMD_KEYS_H
#define RMUX_SERVER_CMD_KEYS_H

#include <stdint.h>

struct cmd_ctx;
struct pane;

/* key_tables_ops.print: ARGV as tmux prints a bound command (canonical
 * name, flags without values merged and sorted, then flags with values,
 * then the arguments, each quoted), or NULL with *CAUSE for an unknown or
 * ambiguous command or a bad flag. Both malloc'd. */
char *cmd_keys_print(int argc, char *const *argv, char **cause, void *arg);

/* A key sent into P without the session's tables (send-prefix, send-keys
 * -l): P's mode table if P is in copy mode, else the pane. */
int cmd_keys_inject(struct cmd_ctx *ctx, struct pane *p, uint64_t key);

#endif
