/* socket_path.h — where the control socket lives: $RMUX_TMPDIR (or /tmp),
 * then rmux-UID/NAME, or a path given with -S. The directory is created
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

#endif
