/* ctlmsg.c — control socket messages (see ctlmsg.h). The decoder runs in
 * the daemon on bytes from any local process of the same user, so it
 * checks every length and never aborts. */
#include "common/ctlmsg.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

void ctlmsg_add(struct buf *b, uint32_t type, const void *payload, size_t len)
{
	buf_add_u32(b, type);
	buf_add_u32(b, (uint32_t)len);
	if (len > 0)
		buf_add(b, payload, len);
}

void ctlmsg_add_exit(struct buf *b, int status)
{
	uint8_t v[4];

	v[0] = (uint8_t)((uint32_t)status >> 24);
	v[1] = (uint8_t)((uint32_t)status >> 16);
	v[2] = (uint8_t)((uint32_t)status >> 8);
	v[3] = (uint8_t)status;
	ctlmsg_add(b, CTLMSG_EXIT, v, sizeof v);
}

long ctlmsg_peek(const void *data, size_t len, uint32_t *type, const uint8_t **payload, size_t *plen)
{
	struct reader r;
	uint32_t t, n;

	if (len < CTLMSG_HEADER)
		return 0;
	reader_init(&r, data, len);
	reader_u32(&r, &t);
	reader_u32(&r, &n);
	if (t < CTLMSG_COMMAND || t > CTLMSG_EXIT)
		return RMUX_ERR_MALFORMED;
	if (n > CTLMSG_MAX_PAYLOAD)
		return RMUX_ERR_TOO_BIG;
	if (len - CTLMSG_HEADER < n)
		return 0;
	*type = t;
	*payload = (const uint8_t *)data + CTLMSG_HEADER;
	*plen = n;
	return (long)(CTLMSG_HEADER + n);
}

static void add_string(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	buf_add_varint(b, n);
	buf_add(b, s, n);
}

void ctlmsg_command_encode(struct buf *b, const struct ctlmsg_command *c)
{
	struct buf p;
	int i;

	buf_init(&p);
	buf_add_u32(&p, CTLMSG_VERSION);
	add_string(&p, c->cwd != NULL ? c->cwd : "");
	buf_add_varint(&p, (uint64_t)c->envc);
	for (i = 0; i < c->envc; i++)
		add_string(&p, c->env[i]);
	buf_add_varint(&p, (uint64_t)c->argc);
	for (i = 0; i < c->argc; i++)
		add_string(&p, c->argv[i]);
	ctlmsg_add(b, CTLMSG_COMMAND, p.data, p.len);
	buf_free(&p);
}

/* One length-prefixed string; embedded NULs are refused because every
 * consumer treats these as C strings. */
static int read_string(struct reader *r, char **out)
{
	uint64_t n;
	const uint8_t *p;
	char *s;

	*out = NULL;
	if (reader_varint(r, &n) != 0)
		return r->err;
	if (n > r->left)
		return RMUX_ERR_TRUNCATED;
	if (reader_view(r, &p, (size_t)n) != 0)
		return r->err;
	if (memchr(p, '\0', (size_t)n) != NULL)
		return RMUX_ERR_MALFORMED;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return RMUX_ERR_NOMEM;
	memcpy(s, p, (size_t)n);
	s[n] = '\0';
	*out = s;
	return 0;
}

static int read_list(struct reader *r, unsigned max, int *count, char ***list)
{
	uint64_t n, i;
	char **v;
	int error;

	if (reader_varint(r, &n) != 0)
		return r->err;
	if (n > max)
		return RMUX_ERR_TOO_BIG;
	v = calloc((size_t)n + 1, sizeof *v);
	if (v == NULL)
		return RMUX_ERR_NOMEM;
	*list = v;
	*count = 0;
	for (i = 0; i < n; i++) {
		error = read_string(r, &v[i]);
		if (error != 0)
			return error;
		*count = (int)i + 1;
	}
	return 0;
}

int ctlmsg_command_decode(const uint8_t *payload, size_t len, struct ctlmsg_command *c)
{
	struct reader r;
	uint32_t version;
	int error;

	memset(c, 0, sizeof *c);
	reader_init(&r, payload, len);
	if (reader_u32(&r, &version) != 0) {
		error = r.err;
		goto out;
	}
	if (version != CTLMSG_VERSION) {
		error = RMUX_ERR_MALFORMED;
		goto out;
	}
	if ((error = read_string(&r, &c->cwd)) != 0)
		goto out;
	if ((error = read_list(&r, CTLMSG_MAX_ENV, &c->envc, &c->env)) != 0)
		goto out;
	if ((error = read_list(&r, CTLMSG_MAX_ARGS, &c->argc, &c->argv)) != 0)
		goto out;
	error = reader_finish(&r);
out:
	if (error != 0)
		ctlmsg_command_free(c);
	return error;
}

static void free_list(char **v, int n)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ctlmsg_command_free(struct ctlmsg_command *c)
{
	free(c->cwd);
	free_list(c->env, c->envc);
	free_list(c->argv, c->argc);
	memset(c, 0, sizeof *c);
}

const char *ctlmsg_command_getenv(const struct ctlmsg_command *c, const char *name)
{
	size_t n = strlen(name);
	int i;

	for (i = 0; i < c->envc; i++) {
		if (strncmp(c->env[i], name, n) == 0 && c->env[i][n] == '=')
			return c->env[i] + n + 1;
	}
	return NULL;
}
