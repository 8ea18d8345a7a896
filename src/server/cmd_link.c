/* cmd_link.c — `bootstrap [-t SESSION] [--port N]`: run by ssh on the
 * server host (or directly for a local attach), it makes sure the session
 * exists, opens a link connection to it and prints the one line a client
 * needs, `RMUX CONNECT <port> <key>`. The key travels only in that reply
 * over the control socket: never in argv, the environment or the log. */
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"
#include "net/crypto.h"
#include "server/cmd.h"
#include "server/link.h"
#include "server/pty.h"
#include "server/session.h"

/* --port N arrives as flag '-' with value "port" and N as the argument
 * (the flag parser knows single letters), or as "port=N"; -p N also. */
static int link_port_arg(struct cmd_ctx *ctx, struct args *a, long *port)
{
	const char *v = args_get(a, '-'), *text = args_get(a, 'p');

	*port = 0;
	if (v != NULL) {
		if (strncmp(v, "port=", 5) == 0) {
			text = v + 5;
		} else if (strcmp(v, "port") == 0 && a->argc == 1) {
			text = a->argv[0];
		} else {
			cmd_error(ctx, "command bootstrap: unknown flag --%s", v);
			return -1;
		}
	} else if (a->argc != 0) {
		cmd_error(ctx, "command bootstrap: too many arguments (need at most 0)");
		return -1;
	}
	if (text == NULL)
		return 0;
	return cmd_number(ctx, "port", text, 1, 65535, port);
}

static struct session *bootstrap_session(struct cmd_ctx *ctx, const char *name)
{
	struct session *s;
	struct pty_spawn sp;
	struct args none;
	char *cause = NULL, *checked = NULL;

	if (name != NULL) {
		checked = session_check_name(name);
		if (checked[0] == '\0') {
			cmd_error(ctx, "invalid session: %s", name);
			free(checked);
			return NULL;
		}
		s = session_find(checked);
	} else {
		s = session_best();
	}
	if (s == NULL) {
		memset(&none, 0, sizeof none);
		cmd_spawn_init(ctx, &none, NULL, &sp);
		s = session_create(checked, NULL, 80, 24, &sp, &cause);
		cmd_spawn_free(&sp);
		if (s == NULL) {
			cmd_error(ctx, "%s", cause);
			free(cause);
		}
	}
	free(checked);
	return s;
}

static int cmd_bootstrap(struct cmd_ctx *ctx, struct args *a)
{
	char key[CRYPTO_KEY_TEXT_SIZE], *cause = NULL;
	struct session *s;
	unsigned bound;
	long port;

	if (link_port_arg(ctx, a, &port) != 0)
		return CMD_ERROR;
	s = bootstrap_session(ctx, args_get(a, 't'));
	if (s == NULL)
		return CMD_ERROR;
	if (link_connection_new(s, (unsigned)port, &bound, key, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	cmd_print(ctx, "RMUX CONNECT %u %s", bound, key);
	explicit_bzero(key, sizeof key);
	return CMD_OK;
}

const struct cmd_entry cmd_link_entries[] = {
	{ "bootstrap", NULL, "-:p:t:", 0, 1, "[-t target-session] [--port N]", cmd_bootstrap, 1 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 },
};
