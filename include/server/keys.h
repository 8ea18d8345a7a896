/* keys.h — the daemon's key path: the server's key tables (tmux's default
 * root and prefix bindings plus the copy-mode tables), a key state per
 * session (the prefix table, repeat runs), bound commands run as commands
 * of the pane the key went to, unbound keys written to that pane in the
 * bytes its modes ask for. send-keys and attached clients both come here. */
#ifndef RMUX_SERVER_KEYS_H
#define RMUX_SERVER_KEYS_H

#include <stdint.h>

struct cmd_ctx;
struct cmd_parse_result;
struct key_tables;
struct pane;
struct session;

/* Deepest nesting of bound commands that send keys which run bindings. */
#define KEYS_MAX_DEPTH 16

/* The server's tables, made on first use. */
struct key_tables *keys_tables(void);

/* KEY typed into session S, going to pane *PP (S's active pane for a
 * client). A binding runs as if typed in *PP; afterwards *PP is S's
 * active pane again (a binding may have split, killed or switched), or
 * NULL if S is gone. Returns CMD_OK, or CMD_ERROR if a bound command
 * failed (its message is in CTX's error buffer). */
int keys_dispatch(struct cmd_ctx *ctx, struct session *s, struct pane **pp, uint64_t key);
/* What an unbound KEY does to P: its bytes in P's cursor and keypad modes;
 * nothing while P is in copy mode. */
void keys_pane_key(struct pane *p, uint64_t key);
/* Run a parsed command list as commands typed in pane P (P may be NULL). */
int keys_run(struct cmd_ctx *ctx, struct pane *p, const struct cmd_parse_result *cmds);
/* The key table of P's mode ("copy-mode", "copy-mode-vi") or NULL. */
const char *keys_mode_table(const struct pane *p);
/* The table session S's keys are in now (#{client_key_table}). */
const char *keys_session_table(const struct session *s);

/* Options the key path, copy mode and buffers read, for pane P (NULL:
 * the global sets): server, session or window/pane options by NAME's scope
 * in the option table. */
long long keys_option_number(const struct pane *p, const char *name);
const char *keys_option_string(const struct pane *p, const char *name);

#endif
