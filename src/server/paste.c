/* paste.c — paste buffers (see paste.h). A short list ordered by a
 * creation counter: there are at most buffer-limit automatic buffers plus
 * the few a user names, so linear scans are fine. */
#include "server/paste.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"

#define PASTE_SAMPLE_WIDTH 200

struct paste_buffer {
	char *name;
	char *data;
	size_t len;
	uint64_t order;  /* larger is newer */
	int automatic;   /* named bufferN by us */
};

struct paste_store {
	struct paste_buffer *b; /* sorted newest first */
	size_t n, cap;
	unsigned limit;
	uint64_t next_order;
	unsigned next_index; /* N of the next automatic bufferN */
};

struct paste_store *paste_create(void)
{
	struct paste_store *ps = xcalloc(1, sizeof *ps);

	ps->limit = PASTE_DEFAULT_LIMIT;
	return ps;
}

static void paste_buffer_clear(struct paste_buffer *pb)
{
	free(pb->name);
	free(pb->data);
}

void paste_free(struct paste_store *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++)
		paste_buffer_clear(&ps->b[i]);
	free(ps->b);
	free(ps);
}

static long paste_find(const struct paste_store *ps, const char *name)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->b[i].name, name) == 0)
			return (long)i;
	}
	return -1;
}

static void paste_remove_at(struct paste_store *ps, size_t i)
{
	paste_buffer_clear(&ps->b[i]);
	memmove(&ps->b[i], &ps->b[i + 1], (ps->n - i - 1) * sizeof ps->b[0]);
	ps->n--;
}

/* Drop the oldest automatic buffers until fewer than KEEP remain. */
static void paste_trim(struct paste_store *ps, unsigned keep)
{
	size_t automatic = 0, i;

	for (i = 0; i < ps->n; i++)
		automatic += ps->b[i].automatic != 0;
	for (i = ps->n; i > 0 && automatic > keep; i--) {
		if (ps->b[i - 1].automatic) {
			paste_remove_at(ps, i - 1);
			automatic--;
		}
	}
}

void paste_set_limit(struct paste_store *ps, unsigned limit)
{
	ps->limit = limit;
	paste_trim(ps, limit);
}

/* Put PB at the front (it is the newest). */
static void paste_insert(struct paste_store *ps, struct paste_buffer *pb)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 8;
		ps->b = xreallocarray(ps->b, ps->cap, sizeof ps->b[0]);
	}
	memmove(&ps->b[1], &ps->b[0], ps->n * sizeof ps->b[0]);
	pb->order = ++ps->next_order;
	ps->b[0] = *pb;
	ps->n++;
}

static char *paste_dup(const void *data, size_t len)
{
	char *p = xmalloc(len + 1);

	if (len > 0)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

const char *paste_add(struct paste_store *ps, const void *data, size_t len)
{
	struct paste_buffer pb;
	char name[32];

	if (len == 0)
		return NULL;
	/* Make room first: the new buffer itself must survive the limit. */
	paste_trim(ps, ps->limit > 0 ? ps->limit - 1 : 0);
	/* tmux skips names a user has taken. */
	do {
		snprintf(name, sizeof name, "buffer%u", ps->next_index++);
	} while (paste_find(ps, name) >= 0);
	pb.name = xstrdup(name);
	pb.data = paste_dup(data, len);
	pb.len = len;
	pb.automatic = 1;
	paste_insert(ps, &pb);
	return ps->b[0].name;
}

static int paste_name_ok(const char *name, const char **cause)
{
	if (name == NULL || *name == '\0') {
		*cause = "empty buffer name";
		return 0;
	}
	if (strlen(name) >= PASTE_NAME_MAX) {
		*cause = "buffer name too long";
		return 0;
	}
	return 1;
}

int paste_set(struct paste_store *ps, const char *name, const void *data, size_t len,
	      const char **cause)
{
	struct paste_buffer pb;
	long i;

	if (!paste_name_ok(name, cause))
		return -1;
	i = paste_find(ps, name);
	if (i >= 0)
		paste_remove_at(ps, (size_t)i);
	pb.name = xstrdup(name);
	pb.data = paste_dup(data, len);
	pb.len = len;
	pb.automatic = 0;
	paste_insert(ps, &pb);
	return 0;
}

int paste_append(struct paste_store *ps, const char *name, const void *data, size_t len,
		 const char **cause)
{
	struct paste_buffer pb;
	long i;

	if (name == NULL) {
		if (ps->n == 0) {
			paste_add(ps, data, len);
			return 0;
		}
		i = 0;
	} else {
		if (!paste_name_ok(name, cause))
			return -1;
		i = paste_find(ps, name);
		if (i < 0)
			return paste_set(ps, name, data, len, cause);
	}
	/* The appended buffer becomes the newest, as in tmux. */
	pb = ps->b[i];
	memmove(&ps->b[i], &ps->b[i + 1], (ps->n - (size_t)i - 1) * sizeof ps->b[0]);
	ps->n--;
	pb.data = xrealloc(pb.data, pb.len + len + 1);
	if (len > 0)
		memcpy(pb.data + pb.len, data, len);
	pb.len += len;
	pb.data[pb.len] = '\0';
	paste_insert(ps, &pb);
	return 0;
}

int paste_rename(struct paste_store *ps, const char *oldname, const char *newname,
		 const char **cause)
{
	long i, j;

	if (!paste_name_ok(oldname, cause) || !paste_name_ok(newname, cause))
		return -1;
	i = paste_find(ps, oldname);
	if (i < 0) {
		*cause = "no buffer";
		return -1;
	}
	if (strcmp(oldname, newname) == 0)
		return 0;
	j = paste_find(ps, newname);
	if (j >= 0) {
		paste_remove_at(ps, (size_t)j);
		if (j < i)
			i--;
	}
	free(ps->b[i].name);
	ps->b[i].name = xstrdup(newname);
	ps->b[i].automatic = 0;
	return 0;
}

int paste_delete(struct paste_store *ps, const char *name)
{
	long i = name != NULL ? paste_find(ps, name) : (ps->n > 0 ? 0 : -1);

	if (i < 0)
		return -1;
	paste_remove_at(ps, (size_t)i);
	return 0;
}

const char *paste_get(const struct paste_store *ps, const char *name, size_t *len,
		      const char **namep)
{
	long i = name != NULL ? paste_find(ps, name) : (ps->n > 0 ? 0 : -1);

	if (i < 0)
		return NULL;
	if (len != NULL)
		*len = ps->b[i].len;
	if (namep != NULL)
		*namep = ps->b[i].name;
	return ps->b[i].data;
}

size_t paste_count(const struct paste_store *ps)
{
	return ps->n;
}

const char *paste_at(const struct paste_store *ps, size_t i, const char **namep, size_t *len)
{
	if (i >= ps->n)
		return NULL;
	if (namep != NULL)
		*namep = ps->b[i].name;
	if (len != NULL)
		*len = ps->b[i].len;
	return ps->b[i].data;
}

void paste_encode(struct buf *out, const void *data, size_t len, const char *separator,
		  int bracketed)
{
	const char *p = data, *end = p + len, *nl;
	size_t seplen;

	if (separator == NULL)
		separator = "\r";
	seplen = strlen(separator);
	if (bracketed)
		buf_add(out, "\033[200~", 6);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		buf_add(out, p, (size_t)(nl - p));
		buf_add(out, separator, seplen);
		p = nl + 1;
	}
	if (bracketed)
		buf_add(out, "\033[201~", 6);
}

char *paste_sample(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n = RMUX_MIN(len, (size_t)PASTE_SAMPLE_WIDTH), i;
	struct buf b;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '\n':
			buf_add(&b, "\\n", 2);
			break;
		case '\t':
			buf_add(&b, "\\t", 2);
			break;
		case '\\':
			buf_add(&b, "\\\\", 2);
			break;
		default:
			/* UTF-8 passes through; other controls are octal. */
			if (p[i] < 0x20 || p[i] == 0x7f)
				buf_add_printf(&b, "\\%03o", p[i]);
			else
				buf_add(&b, &p[i], 1);
		}
	}
	if (len > n)
		buf_add(&b, "...", 3);
	buf_add(&b, "", 1);
	return (char *)b.data;
}
