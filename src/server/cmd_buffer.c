/* cmd_buffer.c — the paste buffer commands with tmux 3.3a's flags, output
 * and messages, over the one store of the server (paste.c). Files are
 * read and written by the server as the user, relative to the command
 * line's directory. */
#include "server/cmd_buffer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/xmalloc.h"
#include "server/cmd.h"
#include "server/format.h"
#include "server/keys.h"
#include "server/pane.h"
#include "server/paste.h"
#include "term/vt.h"

#define LIST_BUFFERS_TEMPLATE "#{buffer_name}: #{buffer_size} bytes: \"#{buffer_sample}\""

/* Most bytes load-buffer reads. */
#define CMD_BUFFER_MAX_LOAD (64u * 1024 * 1024)

static struct paste_store *store;

struct paste_store *cmd_buffer_store(void)
{
	if (store == NULL)
		store = paste_create();
	/* buffer-limit may have changed since the last call. */
	paste_set_limit(store, (unsigned)keys_option_number(NULL, "buffer-limit"));
	return store;
}

static int cmd_set_buffer(struct cmd_ctx *ctx, struct args *a)
{
	struct paste_store *ps = cmd_buffer_store();
	const char *bufname = args_get(a, 'b'), *data, *cause = NULL;
	size_t len;

	if (args_has(a, 'n')) {
		if (bufname != NULL && paste_get(ps, bufname, NULL, NULL) == NULL)
			return cmd_error(ctx, "unknown buffer: %s", bufname);
		if (bufname == NULL && paste_get(ps, NULL, NULL, &bufname) == NULL)
			return cmd_error(ctx, "no buffer");
		if (paste_rename(ps, bufname, args_get(a, 'n'), &cause) != 0)
			return cmd_error(ctx, "%s", cause);
		return CMD_OK;
	}
	if (a->argc != 1)
		return cmd_error(ctx, "no data specified");
	data = a->argv[0];
	len = strlen(data);
	if (len == 0)
		return CMD_OK;
	if (bufname == NULL) {
		paste_add(ps, data, len);
		return CMD_OK;
	}
	if (args_has(a, 'a')) {
		if (paste_append(ps, bufname, data, len, &cause) != 0)
			return cmd_error(ctx, "%s", cause);
	} else if (paste_set(ps, bufname, data, len, &cause) != 0) {
		return cmd_error(ctx, "%s", cause);
	}
	return CMD_OK;
}

static int cmd_delete_buffer(struct cmd_ctx *ctx, struct args *a)
{
	const char *bufname = args_get(a, 'b');

	if (paste_delete(cmd_buffer_store(), bufname) != 0) {
		if (bufname != NULL)
			return cmd_error(ctx, "unknown buffer: %s", bufname);
		return cmd_error(ctx, "no buffer");
	}
	return CMD_OK;
}

/* The buffer of -b, or the newest: NULL with tmux's message if missing. */
static const char *find_buffer(struct cmd_ctx *ctx, struct args *a, size_t *len)
{
	const char *bufname = args_get(a, 'b');
	const char *data = paste_get(cmd_buffer_store(), bufname, len, NULL);

	if (data == NULL) {
		if (bufname != NULL)
			cmd_error(ctx, "no buffer %s", bufname);
		else
			cmd_error(ctx, "no buffers");
	}
	return data;
}

static int cmd_show_buffer(struct cmd_ctx *ctx, struct args *a)
{
	size_t len;
	const char *data = find_buffer(ctx, a, &len);

	if (data == NULL)
		return CMD_ERROR;
	buf_add(ctx->out, data, len);
	return CMD_OK;
}

/* PATH relative to the command line's directory. Caller frees. */
static char *resolve(struct cmd_ctx *ctx, const char *path)
{
	if (path[0] == '/' || ctx->req == NULL || ctx->req->cwd[0] == '\0')
		return xstrdup(path);
	return xasprintf("%s/%s", ctx->req->cwd, path);
}

static int cmd_save_buffer(struct cmd_ctx *ctx, struct args *a)
{
	const char *path = a->argv[0];
	size_t len, off = 0;
	const char *data = find_buffer(ctx, a, &len);
	char *full;
	int fd, flags = O_WRONLY | O_CREAT | O_CLOEXEC;

	if (data == NULL)
		return CMD_ERROR;
	if (strcmp(path, "-") == 0) {
		buf_add(ctx->out, data, len);
		return CMD_OK;
	}
	flags |= args_has(a, 'a') ? O_APPEND : O_TRUNC;
	full = resolve(ctx, path);
	fd = open(full, flags, 0666);
	free(full);
	if (fd < 0)
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : EIO;

			close(fd);
			return cmd_error(ctx, "%s: %s", path, strerror(saved));
		}
		off += (size_t)n;
	}
	close(fd);
	return CMD_OK;
}

static int cmd_load_buffer(struct cmd_ctx *ctx, struct args *a)
{
	const char *path = a->argv[0], *bufname = args_get(a, 'b'), *cause;
	struct buf data;
	char chunk[8192], *full;
	int fd, status = CMD_OK;
	ssize_t n;

	if (strcmp(path, "-") == 0)
		return cmd_error(ctx, "%s: %s", path, "reading standard input is not supported");
	full = resolve(ctx, path);
	fd = open(full, O_RDONLY | O_CLOEXEC);
	free(full);
	if (fd < 0)
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	buf_init(&data);
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || data.len + (size_t)n > CMD_BUFFER_MAX_LOAD) {
			status = cmd_error(ctx, "%s: %s", path, strerror(n < 0 ? errno : EFBIG));
			break;
		}
		buf_add(&data, chunk, (size_t)n);
	}
	close(fd);
	if (status == CMD_OK && data.len != 0) {
		if (bufname == NULL)
			paste_add(cmd_buffer_store(), data.data, data.len);
		else if (paste_set(cmd_buffer_store(), bufname, data.data, data.len, &cause) != 0)
			status = cmd_error(ctx, "%s", cause);
	}
	buf_free(&data);
	return status;
}

/* ---- list-buffers ---- */

struct buffer_fctx {
	const char *name;
	const char *data;
	size_t len;
};

static char *buffer_lookup(const char *name, void *arg)
{
	const struct buffer_fctx *f = arg;

	if (strcmp(name, "buffer_name") == 0)
		return xstrdup(f->name);
	if (strcmp(name, "buffer_size") == 0)
		return xasprintf("%zu", f->len);
	if (strcmp(name, "buffer_sample") == 0)
		return paste_sample(f->data, f->len);
	return NULL;
}

static int cmd_list_buffers(struct cmd_ctx *ctx, struct args *a)
{
	struct paste_store *ps = cmd_buffer_store();
	const char *fmt = args_get(a, 'F'), *filter = args_get(a, 'f');
	struct buffer_fctx f;
	struct format_ctx fc = { buffer_lookup, &f };
	size_t i;

	if (fmt == NULL)
		fmt = LIST_BUFFERS_TEMPLATE;
	for (i = 0; (f.data = paste_at(ps, i, &f.name, &f.len)) != NULL; i++) {
		char *line;

		if (filter != NULL) {
			char *v = format_expand(filter, &fc);
			int keep = format_true(v);

			free(v);
			if (!keep)
				continue;
		}
		line = format_expand(fmt, &fc);
		cmd_print(ctx, "%s", line);
		free(line);
	}
	return CMD_OK;
}

/* ---- paste-buffer ---- */

static int cmd_paste_buffer(struct cmd_ctx *ctx, struct args *a)
{
	struct session *s;
	struct window *w;
	struct pane *p;
	const char *bufname = args_get(a, 'b'), *data, *sep = args_get(a, 's');
	struct buf out;
	size_t len;

	if (cmd_find_pane(ctx, args_get(a, 't'), &s, &w, &p) != 0)
		return CMD_ERROR;
	if (pane_is_dead(p))
		return cmd_error(ctx, "target pane has exited");
	data = paste_get(cmd_buffer_store(), bufname, &len, &bufname);
	if (data == NULL) {
		if (bufname != NULL)
			return cmd_error(ctx, "no buffer %s", bufname);
		return CMD_OK;
	}
	if (sep == NULL && args_has(a, 'r'))
		sep = "\n";
	buf_init(&out);
	paste_encode(&out, data, len, sep,
	    args_has(a, 'p') && (vt_screen(p->vt)->modes & MODE_BRACKETED_PASTE));
	pane_write(p, out.data, out.len);
	buf_free(&out);
	if (args_has(a, 'd'))
		paste_delete(cmd_buffer_store(), bufname);
	return CMD_OK;
}

const struct cmd_entry cmd_buffer_entries[] = {
	{ "set-buffer", "setb", "ab:t:n:w", 0, 1,
	    "[-aw] [-b buffer-name] [-n new-buffer-name] [-t target-client] data", cmd_set_buffer,
	    0 },
	{ "delete-buffer", "deleteb", "b:", 0, 0, "[-b buffer-name]", cmd_delete_buffer, 0 },
	{ "show-buffer", "showb", "b:", 0, 0, "[-b buffer-name]", cmd_show_buffer, 0 },
	{ "save-buffer", "saveb", "ab:", 1, 1, "[-a] [-b buffer-name] path", cmd_save_buffer, 0 },
	{ "load-buffer", "loadb", "b:t:w", 1, 1, "[-b buffer-name] [-t target-client] path",
	    cmd_load_buffer, 0 },
	{ "list-buffers", "lsb", "F:f:", 0, 0, "[-F format] [-f filter]", cmd_list_buffers, 0 },
	{ "paste-buffer", "pasteb", "db:prs:t:", 0, 0,
	    "[-dpr] [-s separator] [-b buffer-name] [-t target-pane]", cmd_paste_buffer, 0 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, 0 }
};
