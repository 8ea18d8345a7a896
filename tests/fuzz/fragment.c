/* fragment.c — fuzz harness for fragment reassembly (net/fragment.h): what
 * an authenticated but buggy or hostile peer can make of the fragment
 * layer. The input is a list of operations:
 *   0  add raw fragment bytes (a length byte, then the bytes)
 *   1  add a fragment built from fields: id (relative to the newest id
 *      so far), the number word, a data piece
 *   2  cut an instruction from the input with fragment_encode() at a
 *      chosen payload size and add the fragments shuffled, some twice
 * Every completed instruction must be exactly the fragments the assembly
 * stored for its id, in number order; an instruction cut by
 * fragment_encode() must come back whole, once. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/fragment.h"

/* A fragment the assembly said it stored. */
struct stored {
	uint64_t id;
	size_t num;
	const uint8_t *data; /* into the input or a harness buffer kept to the end */
	size_t len;
};

struct run {
	struct fragment_assembly *a;
	struct stored *st;
	size_t nst, cap;
	uint64_t newest; /* highest id given so far */
	int any;
	struct buf *keep; /* buffers the stored data points into */
	size_t nkeep;
};

static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Check a completed instruction against the fragments stored for ID. */
static void check_complete(struct run *r, uint64_t id, const uint8_t *last, size_t lastlen,
			   size_t lastnum, const uint8_t *out, size_t outlen)
{
	size_t off = 0;

	FUZZ_CHECK(outlen <= FRAGMENT_MAX_INSTRUCTION);
	FUZZ_CHECK(out != NULL);
	for (size_t num = 0;; num++) {
		const uint8_t *p = NULL;
		size_t len = 0;
		int found = 0;
		if (num == lastnum) {
			p = last, len = lastlen, found = 1;
		} else {
			for (size_t i = 0; i < r->nst && !found; i++) {
				if (r->st[i].id == id && r->st[i].num == num)
					p = r->st[i].data, len = r->st[i].len, found = 1;
			}
		}
		if (!found)
			break;
		FUZZ_CHECK(off + len <= outlen);
		FUZZ_CHECK(len == 0 || memcmp(out + off, p, len) == 0);
		off += len;
	}
	FUZZ_CHECK(off == outlen);
	/* This id is done: nothing more of it may be stored. */
	size_t k = 0;
	for (size_t i = 0; i < r->nst; i++) {
		if (r->st[i].id != id)
			r->st[k++] = r->st[i];
	}
	r->nst = k;
}

/* Add one fragment; returns what the assembly said. */
static int add(struct run *r, const uint8_t *frag, size_t len, const uint8_t **out, size_t *outlen)
{
	uint64_t id = 0, fid = 0;
	size_t num = 0;

	for (size_t i = 0; i < 8 && i < len; i++)
		fid = fid << 8 | frag[i];
	if (len >= FRAGMENT_HEADER_LEN)
		num = ((size_t)frag[8] << 8 | frag[9]) & FRAGMENT_NUM_MASK;
	*out = NULL;
	*outlen = 0;
	int res = fragment_assembly_add(r->a, frag, len, &id, out, outlen);
	if (len < FRAGMENT_HEADER_LEN) {
		FUZZ_CHECK(res == RMUX_ERR_TRUNCATED);
		return res;
	}
	if (!r->any || fid > r->newest)
		r->newest = fid;
	r->any = 1;
	switch (res) {
	case FRAGMENT_STORED:
		if (r->nst == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 64;
			r->st = realloc(r->st, r->cap * sizeof *r->st);
			FUZZ_CHECK(r->st != NULL);
		}
		/* A fragment of a newer id drops the older unfinished one. */
		r->st[r->nst++] = (struct stored){ fid, num, frag + FRAGMENT_HEADER_LEN,
			len - FRAGMENT_HEADER_LEN };
		break;
	case FRAGMENT_COMPLETE:
		FUZZ_CHECK(id == fid);
		check_complete(r, id, frag + FRAGMENT_HEADER_LEN, len - FRAGMENT_HEADER_LEN, num,
		    *out, *outlen);
		break;
	case FRAGMENT_IGNORED:
		break;
	default:
		FUZZ_CHECK(res == RMUX_ERR_MALFORMED || res == RMUX_ERR_TOO_BIG);
		break;
	}
	/* Whatever is stored belongs to one id only. */
	size_t k = 0;
	for (size_t i = 0; i < r->nst; i++) {
		if (r->st[i].id == fid && res >= 0 && res != FRAGMENT_IGNORED)
			r->st[k++] = r->st[i];
		else if (r->st[i].id == fid && res == FRAGMENT_IGNORED)
			r->st[k++] = r->st[i];
		else if (r->st[i].id > fid)
			r->st[k++] = r->st[i];
	}
	r->nst = k;
	return res;
}

static struct buf *keep_buf(struct run *r)
{
	r->keep = realloc(r->keep, (r->nkeep + 1) * sizeof *r->keep);
	FUZZ_CHECK(r->keep != NULL);
	buf_init(&r->keep[r->nkeep]);
	return &r->keep[r->nkeep++];
}

static void round_trip(struct run *r, struct fuzz_in *in)
{
	size_t payload = 1 + fuzz_u16(in) % FRAGMENT_PAYLOAD_MAX;
	size_t want = fuzz_u16(in) % 4096, len;
	uint32_t seed = 0x9e3779b9u ^ fuzz_u8(in);
	uint8_t dups = fuzz_u8(in);
	const uint8_t *data = fuzz_bytes(in, want, &len);

	if (r->any && r->newest == UINT64_MAX)
		return;
	uint64_t id = r->any ? r->newest + 1 : 0;
	/* At most 256 fragments: the checks here are quadratic. */
	if (fragment_count(len, payload) > 256)
		payload = (len + 255) / 256;
	size_t count = fragment_count(len, payload);
	FUZZ_CHECK(count >= 1 && count <= len + 1);
	size_t *order = malloc(count * sizeof *order);
	struct buf *frags = malloc(count * sizeof *frags);
	FUZZ_CHECK(order != NULL && frags != NULL);
	for (size_t i = 0; i < count; i++) {
		order[i] = i;
		buf_init(&frags[i]);
		FUZZ_CHECK(fragment_encode(id, data, len, payload, i, &frags[i]) == 0);
	}
	FUZZ_CHECK(fragment_encode(id, data, len, payload, count, &frags[0]) == RMUX_ERR_RANGE);
	for (size_t i = count; i > 1; i--) {
		size_t j = next_rand(&seed) % i;
		size_t t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	int completed = 0;
	for (size_t i = 0; i < count; i++) {
		const struct buf *f = &frags[order[i]];
		const uint8_t *out;
		size_t outlen;
		/* Stored fragments point into the buffer: keep a copy. */
		struct buf *k = keep_buf(r);
		buf_add(k, f->data, f->len);
		for (int rep = 0; rep < 1 + ((dups >> (i % 8)) & 1); rep++) {
			int res = add(r, k->data, k->len, &out, &outlen);
			if (rep == 1 || completed) {
				FUZZ_CHECK(res == FRAGMENT_IGNORED);
				continue;
			}
			if (i + 1 < count) {
				FUZZ_CHECK(res == FRAGMENT_STORED);
			} else {
				FUZZ_CHECK(res == FRAGMENT_COMPLETE);
				FUZZ_CHECK(outlen == len && (len == 0 || memcmp(out, data, len) == 0));
				completed = 1;
			}
		}
	}
	FUZZ_CHECK(completed);
	for (size_t i = 0; i < count; i++)
		buf_free(&frags[i]);
	free(frags);
	free(order);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct run r = { 0 };
	const uint8_t *out, *p;
	size_t outlen, len;

	r.a = fragment_assembly_create();
	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);
		switch (op % 3) {
		case 0:
			p = fuzz_piece(&in, &len);
			add(&r, p, len, &out, &outlen);
			break;
		case 1: {
			/* Ids near the newest, some older, some newer. */
			int8_t delta = (int8_t)fuzz_u8(&in);
			uint64_t id = r.newest + (uint64_t)(int64_t)delta;
			uint16_t word = fuzz_u16(&in);
			p = fuzz_piece(&in, &len);
			struct buf *k = keep_buf(&r);
			buf_add_u64(k, id);
			buf_add_u16(k, word);
			buf_add(k, p, len);
			add(&r, k->data, k->len, &out, &outlen);
			break;
		}
		default:
			round_trip(&r, &in);
			break;
		}
	}
	fragment_assembly_free(r.a);
	for (size_t i = 0; i < r.nkeep; i++)
		buf_free(&r.keep[i]);
	free(r.keep);
	free(r.st);
	return 0;
}
