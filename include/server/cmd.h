/* cmd.h — running tmux-style commands in the daemon: the command table,
 * flag parsing, targets (-t session:window.pane, %N, @N, $N, =name) and
 * the #{...} formats of list-* and display-message. */
#ifndef RMUX_SERVER_CMD_H
#define RMUX_SERVER_CMD_H

#include "common/buf.h"
#include "common/ctlmsg.h"

struct session;
struct window;
struct pane;

#define CMD_OK 0
#define CMD_ERROR 1
/* wait-for blocked the caller: resume later (see cmd_execute_wait). */
#define CMD_WAIT (-2)

/* Where a command came from and where its output goes. */
struct cmd_ctx {
	const struct ctlmsg_command *req; /* NULL for the config file */
	struct buf *out;
	struct buf *err;
	/* The pane the caller runs in (RMUX_PANE), if any. */
	struct pane *cur_pane;
	/* Who waits when wait-for blocks (NULL: nobody can, it returns). */
	void *waiter;
};

/* Run ARGV (commands separated by ";" arguments) with REQ's cwd and
 * environment; output into OUT and ERR. Returns the exit status. */
int cmd_execute(const struct ctlmsg_command *req, int argc, char **argv, struct buf *out,
    struct buf *err);
/* The same for a caller that can wait (a control connection, WAITER):
 * runs from command *NEXT of the list on; returns the exit status, or
 * CMD_WAIT with *NEXT set to where to resume once cmd_wait_woken() named
 * WAITER. */
int cmd_execute_wait(const struct ctlmsg_command *req, int argc, char **argv, struct buf *out,
    struct buf *err, void *waiter, size_t *next);
/* The command NAME names: its full name, its alias or a prefix of one
 * full name. NULL if none, with *AMBIGUOUS set if several. */
struct cmd_entry;
const struct cmd_entry *cmd_find_entry(const char *name, int *ambiguous);
/* Whether the command named NAME starts a server when none runs. */
int cmd_starts_server(const char *name);
/* Run one config file: commands in order, a bad line reported as
 * "FILE:LINE: message" into ERR and the rest still run. A missing file is
 * an error unless QUIET. Returns 0, or -1 if anything failed. */
int cmd_source_file(const char *path, int quiet, struct buf *out, struct buf *err);
/* list-commands: every command (or ONLY) as "name (alias) usage". */
int cmd_list_commands(struct cmd_ctx *ctx, const char *only, const char *fmt);

/* wait-for channels. The control layer calls cmd_wait_cancel() when a
 * waiting peer goes; wait-for calls control_wake() (control.h) for
 * waiters it releases. */
void cmd_wait_cancel(void *waiter);
void cmd_wait_free_all(void);

/* ---- for the command implementations (cmd_*.c) ---- */

#define CMD_MAX_FLAGS 128

struct args {
	const char *value[CMD_MAX_FLAGS]; /* "" for a flag without value */
	int argc;
	char **argv;
};

struct cmd_entry {
	const char *name;
	const char *alias;
	const char *flags; /* getopt style: "dn:s:" */
	int lower, upper;  /* positional arguments; upper -1: any */
	const char *usage;
	int (*exec)(struct cmd_ctx *, struct args *);
	int starts_server;
};

extern const struct cmd_entry cmd_session_entries[];
extern const struct cmd_entry cmd_window_entries[];
extern const struct cmd_entry cmd_pane_entries[];
extern const struct cmd_entry cmd_copy_entries[];
extern const struct cmd_entry cmd_buffer_entries[];
extern const struct cmd_entry cmd_keys_entries[];
extern const struct cmd_entry cmd_option_entries[];
extern const struct cmd_entry cmd_layout_entries[];
extern const struct cmd_entry cmd_link_entries[];
extern const struct cmd_entry cmd_environ_entries[];

static inline int args_has(const struct args *a, int c)
{
	return a->value[c & 0x7f] != NULL;
}
static inline const char *args_get(const struct args *a, int c)
{
	return a->value[c & 0x7f];
}

int cmd_error(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Resolve a target (NULL: the caller's pane or the latest session).
 * Fill what they find and return 0, or print tmux's message and return -1. */
int cmd_find_session(struct cmd_ctx *ctx, const char *t, struct session **s);
int cmd_find_window(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w);
int cmd_find_pane(struct cmd_ctx *ctx, const char *t, struct session **s, struct window **w,
    struct pane **p);
/* A target window index (new-window -t, break-pane -t): *INDEX is the
 * index it names, which need not be in use, or -1 when only a session is
 * named (the caller picks a free index). */
int cmd_find_index(struct cmd_ctx *ctx, const char *t, struct session **s, int *index);

/* Expand FMT for the given session, window and pane (any may be NULL).
 * Caller frees. */
char *cmd_format(const char *fmt, struct session *s, struct window *w, struct pane *p);
/* A parsed number within [MIN, MAX], or -1 with a message printed. */
int cmd_number(struct cmd_ctx *ctx, const char *what, const char *s, long min, long max, long *out);

/* Program, directory and environment for a new pane from the flags
 * (-c) and positional arguments of the command. Free with cmd_spawn_free. */
struct pty_spawn;
struct environ;
void cmd_spawn_init(struct cmd_ctx *ctx, struct args *a, struct session *s, struct pty_spawn *sp);
/* The same with SENV standing for the session's environment (new-session
 * makes it before the session). */
void cmd_spawn_init_environ(struct cmd_ctx *ctx, struct args *a, struct session *s,
    const struct environ *senv, struct pty_spawn *sp);
/* Whether REQ carries a command line's environment (key bindings and the
 * link pass only RMUX_PANE). */
int cmd_client_environ(const struct ctlmsg_command *req);
void cmd_spawn_free(struct pty_spawn *sp);

#endif
