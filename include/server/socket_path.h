/* socket_path.h — where the control socket lives: $RMUX_TMPDIR (or /tmp),
 * then rmux-UID/NAME, or a path given with -S, or inside a pane the
 * socket named by $RMUX. The directory is created
 * 0700 and refused when its owner or mode would let another user in. */
#ifndef RMUX_SERVER_SOCKET_PATH_H
#define RMUX_SERVER_SOCKET_PATH_H

#include <stddef.h>

#define SOCKET_PATH_DEFAULT_NAME "default"

/* Write the socket path for NAME (-L; NULL = "default") into OUT. Creates
 * the per-user directory if missing. Returns 0, or -1 with a one-line
 * reason in ERR (e.g. "directory /tmp/rmux-0 has unsafe permissions"). */
int socket_path_resolve(const char *name, char *out, size_t outsize, char *err, size_t errsize);
/* Check an existing directory DIR: a directory, owned by UID, no access
 * for group or others. Returns 0 or -1 with a reason in ERR. */
int socket_path_check_dir(const char *dir, unsigned uid, char *err, size_t errsize);
/* PATH made absolute against the current directory (the daemon leaves it
 * for "/" before it binds or reads a config file), "." and ".." words
 * kept as they are. Returns 0, or -1 with a reason in ERR if the current
 * directory is unknown or OUT is too small. */
int socket_path_absolute(const char *path, char *out, size_t outsize, char *err,
    size_t errsize);
/* The socket of the server a pane belongs to: the part of $RMUX (VALUE,
 * "socket,pid,session") before the first comma. Returns 0, or -1 when
 * VALUE is NULL, empty or has an empty socket. */
int socket_path_from_env(const char *value, char *out, size_t outsize);

#endif
