/* bootstrap.c — running `rmux bootstrap` and reading its reply (see
 * bootstrap.h). ssh's own exit codes tell the failures apart: 255 is ssh
 * failing (its stderr says why), 127 and 126 come from the remote shell
 * that could not find or run rmux. */
#include "client/bootstrap.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"

static int bootstrap_parse_line(const char *p, size_t len, struct bootstrap_reply *r)
{
	static const char prefix[] = "RMUX CONNECT ";
	size_t plen = sizeof prefix - 1, i;
	unsigned long port = 0;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len < plen || memcmp(p, prefix, plen) != 0)
		return RMUX_ERR_MALFORMED;
	i = plen;
	if (i >= len || p[i] < '1' || p[i] > '9')
		return RMUX_ERR_MALFORMED;
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		port = port * 10 + (unsigned long)(p[i] - '0');
		if (port > 65535)
			return RMUX_ERR_MALFORMED;
		i++;
	}
	if (i >= len || p[i] != ' ')
		return RMUX_ERR_MALFORMED;
	i++;
	if (crypto_key_decode(p + i, len - i, r->key) != 0)
		return RMUX_ERR_MALFORMED;
	r->port = (unsigned)port;
	return 0;
}

int bootstrap_parse(const char *out, size_t len, struct bootstrap_reply *r)
{
	size_t start = 0;

	while (start < len) {
		const char *nl = memchr(out + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - out) : len;

		if (bootstrap_parse_line(out + start, end - start, r) == 0)
			return 0;
		start = end + 1;
	}
	return RMUX_ERR_MALFORMED;
}

void bootstrap_argv_free(char **argv)
{
	if (argv == NULL)
		return;
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

char **bootstrap_split(const char *cmd, size_t *n)
{
	char **argv = xcalloc(BOOTSTRAP_ARGS_MAX + 1, sizeof *argv);
	struct buf word;
	size_t count = 0;
	const char *p = cmd;

	buf_init(&word);
	for (;;) {
		int have = 0;
		char quote = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		buf_reset(&word);
		while (*p != '\0') {
			if (quote == 0 && (*p == ' ' || *p == '\t' || *p == '\n'))
				break;
			if (quote == 0 && (*p == '\'' || *p == '"')) {
				quote = *p++;
				have = 1;
				continue;
			}
			if (quote != 0 && *p == quote) {
				quote = 0;
				p++;
				continue;
			}
			if (*p == '\\' && quote != '\'' && p[1] != '\0') {
				p++;
				if (quote == '"' && *p != '"' && *p != '\\' && *p != '$' && *p != '`')
					buf_add_u8(&word, '\\');
			}
			buf_add_u8(&word, (uint8_t)*p++);
			have = 1;
		}
		if (quote != 0 || count == BOOTSTRAP_ARGS_MAX)
			goto fail;
		if (have) {
			buf_add_u8(&word, 0);
			argv[count++] = xstrdup((const char *)word.data);
		}
	}
	if (count == 0)
		goto fail;
	buf_free(&word);
	*n = count;
	return argv;
fail:
	buf_free(&word);
	bootstrap_argv_free(argv);
	return NULL;
}

static int bootstrap_is_ssh(const char *word)
{
	const char *base = strrchr(word, '/');

	return strcmp(base != NULL ? base + 1 : word, "ssh") == 0;
}

/* ssh hands the words after the host to the remote shell as one line. */
static char *bootstrap_quote(const char *s)
{
	struct buf b;
	int plain = *s != '\0';

	for (const char *p = s; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:@%+,",
			*p) == NULL)
			plain = 0;
	}
	if (plain)
		return xstrdup(s);
	buf_init(&b);
	buf_add_u8(&b, '\'');
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\'')
			buf_add(&b, "'\\''", 4);
		else
			buf_add_u8(&b, (uint8_t)*p);
	}
	buf_add(&b, "'", 2);
	return (char *)b.data;
}

char **bootstrap_ssh_argv(const char *ssh, const char *host, const char *server_cmd,
    const char *session, unsigned port)
{
	size_t n, i;
	char **words = bootstrap_split(ssh, &n), **argv;

	if (words == NULL)
		return NULL;
	argv = xcalloc(n + 11, sizeof *argv);
	for (i = 0; i < n; i++)
		argv[i] = words[i];
	free(words);
	if (bootstrap_is_ssh(argv[0])) {
		/* The locale reaches the bootstrap (and a daemon it starts) where
		 * the server accepts it, as it does by default on Debian. */
		argv[i++] = xstrdup("-o");
		argv[i++] = xstrdup("SendEnv=LANG LC_ALL");
	}
	argv[i++] = xstrdup(host);
	argv[i++] = xstrdup("--");
	argv[i++] = bootstrap_quote(server_cmd);
	argv[i++] = xstrdup("bootstrap");
	if (session != NULL) {
		argv[i++] = xstrdup("-t");
		argv[i++] = bootstrap_quote(session);
	}
	if (port != 0) {
		argv[i++] = xstrdup("--port");
		argv[i++] = xasprintf("%u", port);
	}
	argv[i] = NULL;
	return argv;
}

char *bootstrap_host_name(const char *host)
{
	const char *at = strrchr(host, '@');

	return xstrdup(at != NULL ? at + 1 : host);
}

static int bootstrap_is_utf8(const char *name)
{
	return name != NULL && (strstr(name, "UTF-8") != NULL || strstr(name, "utf8") != NULL ||
	    strstr(name, "UTF8") != NULL || strstr(name, "utf-8") != NULL);
}

const char *bootstrap_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < RMUX_NITEMS(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return bootstrap_is_utf8(v) ? v : "C.UTF-8";
	}
	return "C.UTF-8";
}

/* The last non-empty line of LEN bytes of S, into OUT. */
static void bootstrap_last_line(const char *s, size_t len, char *out, size_t size)
{
	size_t end = len, start;

	while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r' || s[end - 1] == ' '))
		end--;
	start = end;
	while (start > 0 && s[start - 1] != '\n')
		start--;
	if (size == 0)
		return;
	size_t n = RMUX_MIN(end - start, size - 1);
	memcpy(out, s + start, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)out[i] < 0x20)
			out[i] = ' ';
	}
}

static void bootstrap_keep(struct buf *b, const char *data, size_t len)
{
	if (b->len < BOOTSTRAP_OUTPUT_MAX)
		buf_add(b, data, RMUX_MIN(len, BOOTSTRAP_OUTPUT_MAX - b->len));
}

int bootstrap_capture(char *const argv[], struct buf *so, struct buf *se, int *status)
{
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, exe[2] = { -1, -1 };
	char chunk[4096];
	const char *locale = bootstrap_locale();
	int exec_errno = 0, ret = -1;
	pid_t pid;

	*status = 0;
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0 || pipe2(exe, O_CLOEXEC) != 0) {
		ret = errno;
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		ret = errno;
		goto out;
	}
	if (pid == 0) {
		int e;

		dup2(out[1], STDOUT_FILENO);
		dup2(errp[1], STDERR_FILENO);
		setenv("LANG", locale, 1);
		setenv("LC_ALL", locale, 1);
		execvp(argv[0], argv);
		e = errno;
		if (write(exe[1], &e, sizeof e) < 0) {
			/* The parent then only sees the exit status. */
		}
		_exit(127);
	}
	close(out[1]);
	close(errp[1]);
	close(exe[1]);
	out[1] = errp[1] = exe[1] = -1;
	{
		struct pollfd pfd[2] = { { out[0], POLLIN, 0 }, { errp[0], POLLIN, 0 } };
		int open_fds = 2;

		while (open_fds > 0) {
			if (poll(pfd, 2, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = 0; i < 2; i++) {
				ssize_t n;

				if (pfd[i].fd < 0 || pfd[i].revents == 0)
					continue;
				n = read(pfd[i].fd, chunk, sizeof chunk);
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0) {
					pfd[i].fd = -1;
					open_fds--;
					continue;
				}
				bootstrap_keep(i == 0 ? so : se, chunk, (size_t)n);
			}
		}
		OPENSSL_cleanse(chunk, sizeof chunk);
	}
	if (read(exe[0], &exec_errno, sizeof exec_errno) != (ssize_t)sizeof exec_errno)
		exec_errno = 0;
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	ret = exec_errno;
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		if (exe[i] >= 0)
			close(exe[i]);
	}
	return ret;
}

int bootstrap_run(char *const argv[], const char *host, struct bootstrap_reply *r, char *err,
    size_t errlen)
{
	struct buf so, se;
	char line[512];
	int status = 0, e, ret = -1;

	buf_init(&so);
	buf_init(&se);
	e = bootstrap_capture(argv, &so, &se, &status);
	if (e != 0) {
		snprintf(err, errlen, "can't run %s: %s", argv[0], strerror(e));
		goto out;
	}
	if (bootstrap_parse((const char *)so.data, so.len, r) == 0) {
		ret = 0;
		goto out;
	}
	bootstrap_last_line((const char *)se.data, se.len, line, sizeof line);
	if (host == NULL) {
		snprintf(err, errlen, "bootstrap failed: %s",
		    line[0] != '\0' ? line : "no RMUX CONNECT line in its output");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 255) {
		snprintf(err, errlen, "%s to %s failed: %s", argv[0], host,
		    line[0] != '\0' ? line : "exit status 255");
	} else if (WIFEXITED(status) && (WEXITSTATUS(status) == 127 || WEXITSTATUS(status) == 126)) {
		snprintf(err, errlen, "no rmux on %s (the remote shell says: %s); try --server-cmd PATH",
		    host, line[0] != '\0' ? line : "command not found");
	} else if (WIFSIGNALED(status)) {
		snprintf(err, errlen, "%s to %s killed by signal %d", argv[0], host,
		    WTERMSIG(status));
	} else {
		snprintf(err, errlen, "bootstrap on %s failed: %s", host,
		    line[0] != '\0' ? line : "no RMUX CONNECT line in its output");
	}
out:
	if (so.data != NULL)
		OPENSSL_cleanse(so.data, so.cap);
	buf_free(&so);
	buf_free(&se);
	return ret;
}

char *bootstrap_ssh_hostname(const char *ssh, const char *host)
{
	size_t n;
	char **words = bootstrap_split(ssh, &n), **argv;
	struct buf so, se;
	char *found = NULL;
	int status = 0;

	if (words == NULL)
		return bootstrap_host_name(host);
	if (!bootstrap_is_ssh(words[0])) {
		bootstrap_argv_free(words);
		return bootstrap_host_name(host);
	}
	argv = xcalloc(n + 3, sizeof *argv);
	memcpy(argv, words, n * sizeof *argv);
	free(words);
	argv[n] = xstrdup("-G");
	argv[n + 1] = xstrdup(host);
	buf_init(&so);
	buf_init(&se);
	if (bootstrap_capture(argv, &so, &se, &status) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0) {
		size_t start = 0;

		while (start < so.len && found == NULL) {
			const char *p = (const char *)so.data + start;
			const char *nl = memchr(p, '\n', so.len - start);
			size_t len = nl != NULL ? (size_t)(nl - p) : so.len - start;

			if (len > 9 && memcmp(p, "hostname ", 9) == 0) {
				found = xmalloc(len - 9 + 1);
				memcpy(found, p + 9, len - 9);
				found[len - 9] = '\0';
			}
			start += len + 1;
		}
	}
	buf_free(&so);
	buf_free(&se);
	bootstrap_argv_free(argv);
	return found != NULL ? found : bootstrap_host_name(host);
}
