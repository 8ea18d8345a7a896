/* bootstrap.h — getting a connection: running `rmux bootstrap` (through ssh
 * for a remote host, as a child of the client for a local attach) and
 * reading its one line `RMUX CONNECT <port> <key>`. The key travels only
 * through the child's stdout pipe: never in argv, the environment of other
 * processes, or logs. */
#ifndef RMUX_CLIENT_BOOTSTRAP_H
#define RMUX_CLIENT_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "net/crypto.h"

#define BOOTSTRAP_OUTPUT_MAX 65536 /* bytes kept of the child's stdout, stderr */
#define BOOTSTRAP_ARGS_MAX 256     /* words of an --ssh command */

struct bootstrap_reply {
	unsigned port;
	uint8_t key[CRYPTO_KEY_LEN];
};

/* Find the line `RMUX CONNECT <port> <key>` in the LEN bytes of OUT (other
 * lines, such as a login banner, are skipped; a CR before the newline is
 * allowed). Returns 0 or RMUX_ERR_MALFORMED (no such line, a port outside
 * 1..65535, a bad key). */
int bootstrap_parse(const char *out, size_t len, struct bootstrap_reply *r);

/* Split a command line into words as a shell would for simple cases:
 * blanks separate, single and double quotes group, backslash escapes.
 * Returns a NULL-terminated vector (free with bootstrap_argv_free) and
 * stores the count in N, or returns NULL for an unterminated quote, an
 * empty command or too many words. */
char **bootstrap_split(const char *cmd, size_t *n);
void bootstrap_argv_free(char **argv);

/* The command that bootstraps on HOST ([user@]host): the words of SSH,
 * HOST, "--", SERVER_CMD, "bootstrap", then "-t SESSION" and "--port N"
 * when given (SESSION NULL, PORT 0: not given). Arguments for the remote
 * shell are quoted where they need it. NULL if SSH does not split. */
char **bootstrap_ssh_argv(const char *ssh, const char *host, const char *server_cmd,
    const char *session, unsigned port);

/* HOST without a "user@" part (a new string). */
char *bootstrap_host_name(const char *host);

/* The name ssh connects to for HOST: when the first word of SSH is ssh,
 * what `SSH -G HOST` says (its config may map the name), else HOST
 * without its user part. A new string. */
char *bootstrap_ssh_hostname(const char *ssh, const char *host);

/* A UTF-8 locale name for the bootstrap's environment: the caller's own
 * when it is UTF-8, else C.UTF-8. */
const char *bootstrap_locale(void);

/* Run ARGV (argv[0] looked up in PATH) with LANG and LC_ALL set to a UTF-8
 * locale and stdin shared, keeping up to BOOTSTRAP_OUTPUT_MAX bytes of its
 * stdout in SO and stderr in SE, and its wait status in STATUS. Returns 0,
 * or an errno value when it could not be started. */
int bootstrap_capture(char *const argv[], struct buf *so, struct buf *se, int *status);

/* Run ARGV (argv[0] looked up in PATH) with LANG and LC_ALL set to a
 * UTF-8 locale, stdin shared, stdout and stderr read, and parse the
 * reply. HOST names the remote host in messages (NULL: a local
 * bootstrap). Returns 0, or -1 with a one-line reason in ERR (ssh's or
 * the bootstrap's own stderr included). */
int bootstrap_run(char *const argv[], const char *host, struct bootstrap_reply *r, char *err,
    size_t errlen);

#endif
