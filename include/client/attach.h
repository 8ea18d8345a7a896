/* attach.h — the client: `rmux attach` (local or over ssh), `rmux connect`
 * and a bare `rmux`, and the main loop that joins the local terminal to a
 * connection (keys in, views out, roaming, the connection-status bar,
 * detach). */
#ifndef RMUX_CLIENT_ATTACH_H
#define RMUX_CLIENT_ATTACH_H

#include <stdint.h>

#include "net/crypto.h"
#include "net/udp.h"
#include "net/view.h"

/* The program's global flags, passed on to a local bootstrap. */
struct attach_global {
	const char *socket_name; /* -L, or NULL */
	const char *socket_path; /* -S, or NULL */
	const char *config;      /* -f, or NULL */
	int verbose;
};

/* No reply to the first datagrams within this long ends the client. */
#define ATTACH_FIRST_REPLY_MS 15000
/* Old sockets keep receiving this long after a rebind. */
#define ATTACH_OLD_SOCKET_MS 60000
#define ATTACH_OLD_SOCKETS 4

/* How a view ends the client. */
#define ATTACH_END_NONE 0
#define ATTACH_END_DETACHED 1 /* "[detached (from session NAME)]" */
#define ATTACH_END_EXITED 2   /* the session is gone: "[exited]" */

/* What V says about the client's end. SEEN_WINDOWS: an earlier view had
 * windows (a view without any is then a session that ended). */
int attach_view_end(const struct view *v, int seen_windows);

/* `attach`/`attach-session` with ARGV[0] the command name. Returns the
 * exit status. `--predict adaptive|always|never` (on attach and connect;
 * else $RMUX_PREDICT) fixes the local echo's display policy; without
 * either the client follows the session's option `predict`. */
int attach_command(const struct attach_global *g, int argc, char **argv);
/* `connect ADDR PORT` with the key in $RMUX_KEY. */
int attach_connect_command(const struct attach_global *g, int argc, char **argv);
/* A bare `rmux`: a new session, attached. */
int attach_new_session(const struct attach_global *g);

/* Run the client on the terminal of stdin/stdout against SERVER with KEY
 * (wiped by the caller afterwards). HOST names the server in messages;
 * PREDICT is the local echo's PREDICT_* policy, or ATTACH_PREDICT_SESSION
 * to follow the session's option. Returns the exit status. */
#define ATTACH_PREDICT_SESSION (-2)
int attach_run(const struct udp_addr *server, const uint8_t key[CRYPTO_KEY_LEN], const char *host,
    int predict);

#endif
