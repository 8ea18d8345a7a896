/* socket_path.c — resolving and guarding the control socket's directory.
 * Another user able to enter the directory could connect to the daemon and
 * type into every pane, so the checks run on every start. */
#include "server/socket_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int socket_path_check_dir(const char *dir, unsigned uid, char *err, size_t errsize)
{
	struct stat sb;

	if (lstat(dir, &sb) != 0) {
		snprintf(err, errsize, "can't access %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsize, "%s is not a directory", dir);
		return -1;
	}
	if (sb.st_uid != uid) {
		snprintf(err, errsize, "directory %s is not owned by uid %u", dir, uid);
		return -1;
	}
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(err, errsize, "directory %s has unsafe permissions (%03o, want 700)", dir,
			 (unsigned)(sb.st_mode & 0777));
		return -1;
	}
	return 0;
}

int socket_path_resolve(const char *name, char *out, size_t outsize, char *err, size_t errsize)
{
	const char *base = getenv("RMUX_TMPDIR");
	char dir[4096];
	unsigned uid = (unsigned)getuid();
	int n;

	if (name == NULL || *name == '\0')
		name = SOCKET_PATH_DEFAULT_NAME;
	if (strchr(name, '/') != NULL) {
		snprintf(err, errsize, "socket name %s contains '/'", name);
		return -1;
	}
	if (base == NULL || *base == '\0')
		base = "/tmp";
	n = snprintf(dir, sizeof dir, "%s/rmux-%u", base, uid);
	if (n < 0 || (size_t)n >= sizeof dir) {
		snprintf(err, errsize, "socket directory path too long");
		return -1;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errsize, "can't create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (socket_path_check_dir(dir, uid, err, errsize) != 0)
		return -1;
	n = snprintf(out, outsize, "%s/%s", dir, name);
	/* sun_path holds 108 bytes: refuse what bind() would cut. */
	if (n < 0 || (size_t)n >= outsize || n >= 108) {
		snprintf(err, errsize, "socket path %s/%s too long", dir, name);
		return -1;
	}
	return 0;
}

int socket_path_absolute(const char *path, char *out, size_t outsize, char *err,
    size_t errsize)
{
	char cwd[4096];
	int n;

	if (path[0] == '/') {
		n = snprintf(out, outsize, "%s", path);
	} else {
		if (getcwd(cwd, sizeof cwd) == NULL) {
			snprintf(err, errsize, "can't find the current directory for %s: %s", path,
				 strerror(errno));
			return -1;
		}
		n = snprintf(out, outsize, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
	}
	if (n < 0 || (size_t)n >= outsize) {
		snprintf(err, errsize, "path %s too long", path);
		return -1;
	}
	return 0;
}

int socket_path_from_env(const char *value, char *out, size_t outsize)
{
	size_t n;

	if (value == NULL)
		return -1;
	n = strcspn(value, ",");
	if (n == 0 || n >= outsize)
		return -1;
	memcpy(out, value, n);
	out[n] = '\0';
	return 0;
}
