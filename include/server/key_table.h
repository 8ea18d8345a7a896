/* key_table.h — named key tables (root, prefix, copy-mode and any made by
 * bind-key -T): each binds a key code to a command list with a repeat flag
 * and a note. Holds tmux 3.3a's default root and prefix bindings, the
 * semantics and error messages of bind-key, unbind-key and list-keys, and
 * the key path a client's key takes (prefix, tables, repeat-time, the Any
 * key, falling back to the pane). Pure: no clock and no I/O of its own. */
#ifndef RMUX_SERVER_KEY_TABLE_H
#define RMUX_SERVER_KEY_TABLE_H

#include <stdint.h>

#include "server/cmd_parse.h"

struct key_binding {
	uint64_t key;
	int repeat;                   /* bind-key -r */
	char *note;                   /* bind-key -N, NULL if none */
	char *text;                   /* the commands as list-keys prints them */
	struct cmd_parse_result cmds; /* what to run */
};

/* How a new binding's commands are checked and printed. PRINT gets one
 * command (argv[0] its name as typed) and returns it as tmux prints it
 * (canonical name, flags merged: "split-window -dhv -c /tmp"), or NULL
 * with *CAUSE set ("unknown command: foo", "ambiguous command: ...",
 * "command split-window: unknown flag -Q"); both malloc'd. Without PRINT
 * commands are printed word by word as given. */
struct key_tables_ops {
	char *(*print)(int argc, char *const *argv, char **cause, void *arg);
	void *arg;
};

struct key_tables;

/* Tables root and prefix with tmux 3.3a's default bindings. OPS may be
 * NULL; it is copied. */
struct key_tables *key_tables_create(const struct key_tables_ops *ops);
void key_tables_free(struct key_tables *kt);

/* Whether table NAME exists (root always does). */
int key_tables_exists(const struct key_tables *kt, const char *name);
/* The binding of KEY in TABLE, or NULL. */
const struct key_binding *key_tables_get(const struct key_tables *kt, const char *table,
    uint64_t key);
/* Number of bindings in TABLE (0 if it does not exist). */
unsigned key_tables_count(const struct key_tables *kt, const char *table);

/* The table bind-key and unbind-key use for -T VALUE (or NULL) and -n. */
const char *key_tables_table_name(const char *t_flag, int n_flag);

/* bind-key [-r] [-N note] -T TABLE KEYNAME [command ...]. One argument is
 * parsed as a command string ("a ; b"), several are one command line
 * (";" arguments separate). No command only changes the note of an
 * existing binding (creating an empty table if need be). Returns 0, or -1
 * with *CAUSE (malloc'd) in tmux's words: "unknown key: X", parse and
 * command errors. */
int key_tables_bind(struct key_tables *kt, const char *table, const char *keyname, int repeat,
    const char *note, int argc, char *const *argv, char **cause);
/* As key_tables_bind() with the commands as text in tmux's syntax,
 * including { } blocks, which is also how the text is printed: for
 * default tables such as copy_mode_default_bindings(). */
int key_tables_bind_text(struct key_tables *kt, const char *table, const char *keyname,
    int repeat, const char *note, const char *command, char **cause);
/* unbind-key [-a] [-q] -T TABLE [KEYNAME]. A table left empty goes away
 * (root stays). Errors as tmux: "key given with -a", "missing key",
 * "unknown key: X", "table T doesn't exist"; QUIET returns -1 with no
 * *CAUSE. */
int key_tables_unbind(struct key_tables *kt, const char *table, const char *keyname, int all,
    int quiet, char **cause);

/* list-keys [-1aN] [-P prefix] [-T table] [key]: the output lines (each
 * ending in \n; malloc'd), exactly as tmux 3.3a prints them, or NULL with
 * *CAUSE ("table T doesn't exist", "unknown key: X"). PREFIX_KEY is the
 * prefix option (KEY_NONE for none), used by -N without -T. */
#define KEY_LIST_NOTES 0x1 /* -N */
#define KEY_LIST_ALL 0x2   /* -a: with -N, also keys without a note */
#define KEY_LIST_FIRST 0x4 /* -1: with -N, only the first */
char *key_tables_list(const struct key_tables *kt, const char *table, const char *keyname,
    int flags, const char *prefix_string, uint64_t prefix_key, char **cause);

/* ---- the key path ---- */

/* What a client is in: its key table and repeat state. */
struct key_client {
	char *table;            /* NULL means the default table */
	int repeat;             /* in a repeat run */
	uint64_t repeat_until;  /* ms: when the run ends */
};

/* Everything else a key's fate depends on. */
struct key_dispatch {
	const char *default_table; /* the key-table option; NULL: "root" */
	const char *mode_table;    /* the active pane's mode table (copy-mode,
				      copy-mode-vi) or NULL */
	uint64_t prefix, prefix2;  /* KEY_NONE when unset */
	unsigned repeat_time;      /* ms; 0 disables repeat */
	uint64_t now;              /* ms, any monotonic clock */
};

#define KEY_DISPATCH_PREFIX 0 /* the client switched to the prefix table */
#define KEY_DISPATCH_RUN 1    /* run *BD (copy it first: see key_binding_dup) */
#define KEY_DISPATCH_PANE 2   /* hand the key to the pane (or its mode) */
#define KEY_DISPATCH_DROP 3   /* swallowed: unbound after a prefix */

/* The key path of tmux 3.3a for KEY: the prefix keys switch to the prefix
 * table; a binding in the current table (or the pane's mode table) runs,
 * then the client returns to the default table unless the binding repeats
 * (repeat_time > 0), which keeps the table for repeat_time ms more; a
 * non-repeating key during a repeat run is tried again from the default
 * table; an unbound key tries the Any key, then the default table, and
 * reaches the pane only if it was first tried there. */
int key_tables_dispatch(const struct key_tables *kt, struct key_client *c,
    const struct key_dispatch *d, uint64_t key, const struct key_binding **bd);
/* A repeat run whose time passed ends (the client returns to the default
 * table). Returns 1 if C changed, so the status line needs a redraw. */
int key_client_expire(struct key_client *c, uint64_t now);
/* The table name a client shows (#{client_key_table}). */
const char *key_client_table(const struct key_client *c, const char *default_table);
void key_client_set_table(struct key_client *c, const char *table);
void key_client_clear(struct key_client *c);

/* A copy of BD's commands that stays valid when the binding is replaced or
 * unbound while they run. Free with cmd_parse_result_free(). */
void key_binding_dup(const struct key_binding *bd, struct cmd_parse_result *out);

#endif
