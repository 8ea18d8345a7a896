/* fragment.c — instruction fragmentation and reassembly (see fragment.h).
 * Fragments arrive authenticated but possibly lost, duplicated or out of
 * order; a buggy or hostile peer still must not make this crash or grow
 * beyond FRAGMENT_MAX_INSTRUCTION, so what it holds for a peer comes from
 * plain malloc and a failure is reported (RMUX_ERR_NOMEM), not fatal. */
#include "net/fragment.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "common/xmalloc.h"

static_assert(FRAGMENT_PAYLOAD_MAX == 1190, "fragment payload is part of the protocol");
static_assert(FRAGMENT_MAX_COUNT == FRAGMENT_NUM_MASK + 1, "fragment numbers are 15 bits");

enum assembly_state {
	ASSEMBLY_EMPTY,    /* no instruction seen yet */
	ASSEMBLY_OPEN,     /* collecting fragments of id */
	ASSEMBLY_CLOSED,   /* id was completed or found broken: ignore it */
};

/* A fragment held, in arrival order: what an instruction costs is what
 * its sender actually delivered, never its highest fragment number. */
struct fragment_piece {
	uint8_t *data; /* NULL when empty (only a final fragment may be) */
	size_t len;
	size_t num;
};

struct fragment_assembly {
	enum assembly_state state;
	uint64_t id;
	struct fragment_piece *pieces;
	size_t npieces;     /* distinct fragments held */
	size_t cap;
	size_t highest;     /* highest fragment number held + 1 */
	size_t total;       /* bytes held */
	long final;         /* number of the final fragment, or -1 */
	/* Which numbers are held: a fixed 4 KiB, so duplicates are found in
	 * constant time whatever order fragments come in. */
	uint8_t seen[FRAGMENT_MAX_COUNT / 8];
	uint8_t *out;       /* the last completed instruction */
};

size_t fragment_count(size_t len, size_t payload)
{
	if (payload == 0)
		return 0;
	return len == 0 ? 1 : (len + payload - 1) / payload;
}

int fragment_encode(uint64_t id, const uint8_t *data, size_t len, size_t payload,
    size_t index, struct buf *out)
{
	size_t count, off, n;
	uint16_t num;

	if (payload == 0 || payload > FRAGMENT_PAYLOAD_MAX)
		return RMUX_ERR_RANGE;
	if (len > FRAGMENT_MAX_INSTRUCTION)
		return RMUX_ERR_TOO_BIG;
	count = fragment_count(len, payload);
	if (count > FRAGMENT_MAX_COUNT)
		return RMUX_ERR_TOO_BIG;
	if (index >= count)
		return RMUX_ERR_RANGE;
	off = index * payload;
	n = RMUX_MIN(payload, len - off);
	num = (uint16_t)index;
	if (index == count - 1)
		num |= FRAGMENT_FINAL;
	buf_reserve(out, FRAGMENT_HEADER_LEN + n);
	buf_add_u64(out, id);
	buf_add_u16(out, num);
	if (n > 0)
		buf_add(out, data + off, n);
	return 0;
}

struct fragment_assembly *fragment_assembly_create(void)
{
	struct fragment_assembly *a = xcalloc(1, sizeof *a);

	a->final = -1;
	return a;
}

/* Forget the fragments held (not the id or state). */
static void assembly_clear(struct fragment_assembly *a)
{
	for (size_t i = 0; i < a->npieces; i++) {
		a->seen[a->pieces[i].num / 8] = 0;
		free(a->pieces[i].data);
	}
	free(a->pieces);
	a->pieces = NULL;
	a->npieces = a->cap = a->highest = 0;
	a->total = 0;
	a->final = -1;
}

void fragment_assembly_free(struct fragment_assembly *a)
{
	if (a == NULL)
		return;
	assembly_clear(a);
	free(a->out);
	free(a);
}

/* Room for one more piece. */
static int assembly_grow(struct fragment_assembly *a)
{
	struct fragment_piece *p;
	size_t cap;

	if (a->npieces < a->cap)
		return 0;
	cap = a->cap ? a->cap * 2 : 16;
	p = realloc(a->pieces, cap * sizeof *p);
	if (p == NULL)
		return RMUX_ERR_NOMEM;
	a->pieces = p;
	a->cap = cap;
	return 0;
}

/* Join the pieces, numbered 0..npieces-1 in some order, into a->out. */
static int assembly_finish(struct fragment_assembly *a, const uint8_t **out, size_t *outlen)
{
	static const uint8_t empty[1];
	uint8_t *buf = NULL;
	size_t *at = NULL, off = 0;
	int err = 0;

	if (a->total > 0) {
		buf = malloc(a->total);
		at = malloc(a->npieces * sizeof *at);
		if (buf == NULL || at == NULL) {
			free(buf);
			err = RMUX_ERR_NOMEM;
			goto out;
		}
		for (size_t i = 0; i < a->npieces; i++)
			at[a->pieces[i].num] = i;
		for (size_t n = 0; n < a->npieces; n++) {
			const struct fragment_piece *p = &a->pieces[at[n]];

			if (p->len > 0)
				memcpy(buf + off, p->data, p->len);
			off += p->len;
		}
	}
	free(a->out);
	a->out = buf;
	*out = buf != NULL ? buf : empty;
	*outlen = a->total;
out:
	free(at);
	return err;
}

int fragment_assembly_add(struct fragment_assembly *a, const uint8_t *frag, size_t len,
    uint64_t *id, const uint8_t **out, size_t *outlen)
{
	struct reader r;
	struct fragment_piece *p;
	const uint8_t *data;
	uint64_t fid;
	uint16_t word;
	size_t num, n;
	int final, err;

	reader_init(&r, frag, len);
	reader_u64(&r, &fid);
	reader_u16(&r, &word);
	if ((err = r.err) != 0)
		return err;
	n = r.left;
	reader_view(&r, &data, n);
	num = word & FRAGMENT_NUM_MASK;
	final = (word & FRAGMENT_FINAL) != 0;

	if (a->state != ASSEMBLY_EMPTY) {
		if (fid < a->id || (fid == a->id && a->state == ASSEMBLY_CLOSED))
			return FRAGMENT_IGNORED;
	}
	if (a->state == ASSEMBLY_EMPTY || fid > a->id) {
		/* A newer instruction supersedes whatever was unfinished. */
		assembly_clear(a);
		a->id = fid;
		a->state = ASSEMBLY_OPEN;
	}

	if (n > FRAGMENT_PAYLOAD_MAX) {
		err = RMUX_ERR_TOO_BIG;
		goto out;
	}
	if ((!final && n == 0) ||
	    (a->final >= 0 && ((final && (long)num != a->final) || (long)num > a->final ||
	    (!final && (long)num == a->final))) ||
	    (final && num + 1 < a->highest)) {
		err = RMUX_ERR_MALFORMED;
		goto out;
	}
	if (a->seen[num / 8] & (1u << (num % 8)))
		return FRAGMENT_IGNORED;
	if (a->total + n > FRAGMENT_MAX_INSTRUCTION) {
		err = RMUX_ERR_TOO_BIG;
		goto out;
	}

	if ((err = assembly_grow(a)) != 0)
		goto out;
	p = &a->pieces[a->npieces];
	p->data = NULL;
	if (n > 0) {
		p->data = malloc(n);
		if (p->data == NULL) {
			err = RMUX_ERR_NOMEM;
			goto out;
		}
		memcpy(p->data, data, n);
	}
	p->len = n;
	p->num = num;
	a->npieces++;
	a->seen[num / 8] |= (uint8_t)(1u << (num % 8));
	if (num + 1 > a->highest)
		a->highest = num + 1;
	a->total += n;
	if (final)
		a->final = (long)num;

	/* Distinct numbers, none above the final one: all are there. */
	if (a->final < 0 || a->npieces != (size_t)a->final + 1)
		return FRAGMENT_STORED;
	if ((err = assembly_finish(a, out, outlen)) != 0)
		goto out;
	*id = a->id;
	assembly_clear(a);
	a->state = ASSEMBLY_CLOSED;
	return FRAGMENT_COMPLETE;
out:
	/* A broken instruction can never complete: forget it and its id. */
	assembly_clear(a);
	a->state = ASSEMBLY_CLOSED;
	return err;
}
