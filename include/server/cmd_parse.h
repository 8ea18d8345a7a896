/* cmd_parse.h — tmux's command syntax: config files, source-file, the
 * command prompt and a command given as shell arguments become a list of
 * commands, each an argv. Quoting, escapes, $VARIABLES, ~ expansion, #
 * comments, backslash-newline continuation and ; separators follow tmux
 * 3.3a. Input is untrusted: a bad line yields an error with its line
 * number and the parser goes on with the next line. */
#ifndef RMUX_SERVER_CMD_PARSE_H
#define RMUX_SERVER_CMD_PARSE_H

#include <stddef.h>

/* Longest input and deepest argument list accepted. */
#define CMD_PARSE_MAX_INPUT (16u * 1024 * 1024)
#define CMD_PARSE_MAX_ARGS 4096

struct cmd_parse_cmd {
	int argc;
	char **argv;   /* argc strings plus a NULL */
	unsigned line; /* where the command starts, from 1 */
};

struct cmd_parse_error {
	unsigned line;
	char *message; /* e.g. "syntax error", "invalid environment variable" */
};

struct cmd_parse_result {
	struct cmd_parse_cmd *cmds;
	size_t ncmds;
	struct cmd_parse_error *errors;
	size_t nerrors;
};

/* Where $NAME, ${NAME} and ~ come from. NULL members use getenv() and the
 * password database. */
struct cmd_parse_opts {
	const char *(*getenv)(const char *name, void *arg);
	void *arg;
	unsigned first_line; /* number of the first line, 0 means 1 */
};

/* Parse LEN bytes of config-file or prompt text. Commands of lines with
 * errors are dropped; all other lines are kept. Returns 0, RMUX_ERR_MALFORMED
 * if any line had an error (see R->errors), or RMUX_ERR_NOMEM /
 * RMUX_ERR_TOO_BIG (R is then empty). R must be freed either way. */
int cmd_parse_string(const char *text, size_t len, const struct cmd_parse_opts *o,
    struct cmd_parse_result *r);

/* Split ARGV (already word-split, as from the shell or a key binding) into
 * commands: an argument ";" separates, as does a trailing ';' of an
 * argument ("foo;" is "foo" then a separator); a trailing "\;" is a literal
 * ';'. Returns 0 or RMUX_ERR_NOMEM / RMUX_ERR_TOO_BIG. */
int cmd_parse_argv(int argc, char *const *argv, struct cmd_parse_result *r);

void cmd_parse_result_free(struct cmd_parse_result *r);

/* ARG quoted so that the parser reads it back as one word, exactly as
 * tmux prints arguments (list-keys, show-options): bare when safe, else
 * "..." or '...', C-style escapes for control characters. Caller frees. */
char *cmd_parse_quote(const char *arg);

/* A command list printed back as text: words quoted, commands joined by
 * " ; ". Caller frees. */
char *cmd_parse_print(const struct cmd_parse_result *r);

#endif
