/* history.c — the scrollback ring (see history.h).
 *
 * Lines are encoded back to back in large blocks (4 KiB growing to 64 KiB,
 * one spare kept for reuse), never one allocation per line; a ring of
 * 8-byte index entries (block number, offset) finds them. Dropping the
 * oldest lines frees whole blocks as they empty.
 *
 * One encoded line:
 *   hdr                  HIST_H_* bits
 *   [varint flags]       ROW_* bits other than ROW_WRAPPED (HIST_H_EXTRA)
 *   varint ncells        cells the line holds (trailing default blanks cut)
 *   text                 with HIST_H_PLAIN ncells ASCII bytes, else one
 *                        item per glyph (see below) until ncells are
 *                        covered
 *   [runs]               with HIST_H_RUNS, until ncells are covered; each
 *                        run's style is relative to the previous one,
 *                        the first to the default style
 *
 * Runs come in two forms. With HIST_H_FGRUNS every run changes only the
 * foreground, to a palette colour (syntax colouring, ls, compilers): the
 * run lengths as nibbles, low first (1-15 ends a length, 0 adds 15 and
 * goes on), padded to a byte, then one palette index a run: about 1.5
 * bytes a run. Otherwise each run is an op byte:
 *   0x01-0x7f            that many cells, the fg becomes the palette
 *                        colour in the next byte, nothing else changes
 *   0x00                 the same with a varint length first
 *   0x80 | len << 4 | mask
 *                        len 1-7 cells (0: a varint length follows), then
 *                        the fields in mask (HIST_R_*) in that order
 *
 * Text items: a scalar in UTF-8 form (any value below 0x200000, so every
 * cell round-trips even if it holds no valid character) is one glyph,
 * two cells (CELL_WIDE + tail) when utf8_width() says 2, else one. Byte
 * values that UTF-8 never uses mark the exceptions: a cluster, a glyph
 * whose shape is not its natural one, a lone half of a wide character,
 * a tail whose character is not the usual one, a value too large. */
#include "term/history.h"

#include <stdlib.h>
#include <string.h>

#include "term/simd.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if SIMD_HAVE_AVX2
#include <immintrin.h>
#endif

#include "common/xmalloc.h"
#include "term/grid.h"
#include "term/utf8.h"

#define HIST_BLOCK_MIN 4096u
#define HIST_BLOCK_MAX 65536u

/* Header bits. */
#define HIST_H_WRAPPED 0x01u
#define HIST_H_RUNS 0x02u
#define HIST_H_EXTRA 0x04u
#define HIST_H_PLAIN 0x08u
#define HIST_H_FGRUNS 0x10u

/* Text markers (never the first byte of a UTF-8 form). */
#define HIST_T_CLUSTER 0xffu /* len, bytes: a CELL_CLUSTER glyph */
#define HIST_T_WIDE 0xfeu    /* next glyph: CELL_WIDE + tail though narrow */
#define HIST_T_NARROW 0xfdu  /* next glyph: one plain cell though wide */
#define HIST_T_LONE 0xfcu    /* next glyph: CELL_WIDE with no tail after it */
#define HIST_T_TAIL 0xfbu    /* scalar: a tail cell standing alone */
#define HIST_T_TAILCH 0xfau  /* scalar: the tail of the next pair holds it */
#define HIST_T_BIG 0xf9u     /* 4 bytes LE: a value of 0x200000 or more */

/* Run change-mask bits. */
#define HIST_R_FG 0x01u
#define HIST_R_BG 0x02u
#define HIST_R_ATTR 0x04u
#define HIST_R_LINK 0x08u

/* What a wide character's tail cell holds in ch. */
#define HIST_TAIL_CH 0u

struct hist_block {
	uint8_t *data;
	uint32_t size;
	uint32_t used;
};

/* A line's place: its block's absolute number modulo 2^16 (fewer than
 * HIST_MAX_BLOCKS are ever held, so that is unambiguous) and its offset
 * (blocks are at most 64 KiB, and a longer line has a block of its own at
 * offset 0). */
struct hist_line {
	uint16_t block;
	uint16_t off;
};
static_assert(sizeof(struct hist_line) == 4, "index entries must stay 4 bytes");
static_assert(HIST_BLOCK_MAX <= 65536u, "offsets must fit 16 bits");

/* Blocks held at most (4 GiB of history): past it the oldest block goes. */
#define HIST_MAX_BLOCKS 65535u

struct history {
	unsigned limit;
	unsigned size;
	uint64_t total;

	struct hist_line *line; /* ring of cap entries, oldest at head */
	unsigned cap;
	unsigned head;

	struct hist_block *block; /* blocks[0] is absolute number block_base */
	unsigned nblocks;
	unsigned block_alloc;
	uint32_t block_base;
	struct hist_block spare; /* an emptied block kept for reuse */
	size_t block_bytes;      /* sum of block sizes, spare included */

	uint8_t *text; /* encoder scratch */
	size_t text_cap;
	uint8_t *runs;
	size_t runs_cap;
};

struct history *history_create(unsigned limit)
{
	struct history *h = xcalloc(1, sizeof *h);

	h->limit = limit;
	return h;
}

static void hist_free_blocks(struct history *h)
{
	for (unsigned i = 0; i < h->nblocks; i++)
		free(h->block[i].data);
	h->nblocks = 0;
	h->block_base = 0;
	free(h->spare.data);
	memset(&h->spare, 0, sizeof h->spare);
	h->block_bytes = 0;
}

void history_free(struct history *h)
{
	if (h == NULL)
		return;
	hist_free_blocks(h);
	free(h->block);
	free(h->line);
	free(h->text);
	free(h->runs);
	free(h);
}

unsigned history_limit(const struct history *h)
{
	return h->limit;
}

unsigned history_size(const struct history *h)
{
	return h->size;
}

uint64_t history_total(const struct history *h)
{
	return h->total;
}

size_t history_bytes(const struct history *h)
{
	return sizeof *h + h->block_bytes + (size_t)h->cap * sizeof *h->line +
	       (size_t)h->block_alloc * sizeof *h->block + h->text_cap + h->runs_cap;
}

static struct hist_line *hist_entry(const struct history *h, unsigned i)
{
	unsigned k = h->head + i;

	if (k >= h->cap)
		k -= h->cap;
	return &h->line[k];
}

static struct hist_block *hist_block_of(const struct history *h, uint16_t block)
{
	return &h->block[(uint16_t)(block - (uint16_t)h->block_base)];
}

/* Give block 0 back (to the spare slot or the allocator). */
static void hist_release_first_block(struct history *h)
{
	struct hist_block b = h->block[0];

	memmove(h->block, h->block + 1, (h->nblocks - 1) * sizeof *h->block);
	h->nblocks--;
	h->block_base++;
	if (h->spare.data == NULL && b.size == HIST_BLOCK_MAX) {
		b.used = 0;
		h->spare = b;
	} else {
		free(b.data);
		h->block_bytes -= b.size;
	}
}

static void hist_drop_oldest(struct history *h, unsigned n)
{
	if (n > h->size)
		n = h->size;
	if (n == 0)
		return;
	h->head += n;
	if (h->head >= h->cap)
		h->head -= h->cap;
	h->size -= n;
	if (h->size == 0) {
		while (h->nblocks > 0)
			hist_release_first_block(h);
		h->head = 0;
		return;
	}
	uint16_t keep = hist_entry(h, 0)->block;
	while ((uint16_t)h->block_base != keep)
		hist_release_first_block(h);
}

/* Re-lay the ring into an array of NEWCAP entries (>= size). */
static void hist_recap(struct history *h, unsigned newcap)
{
	struct hist_line *nl = NULL;

	if (newcap > 0) {
		nl = xreallocarray(NULL, newcap, sizeof *nl);
		for (unsigned i = 0; i < h->size; i++)
			nl[i] = *hist_entry(h, i);
	}
	free(h->line);
	h->line = nl;
	h->cap = newcap;
	h->head = 0;
}

void history_set_limit(struct history *h, unsigned limit)
{
	h->limit = limit;
	if (h->size > limit)
		hist_drop_oldest(h, h->size - limit);
	if (h->cap > limit)
		hist_recap(h, limit);
}

void history_clear(struct history *h)
{
	/* Give everything back: a cleared pane may stay quiet for long. */
	hist_drop_oldest(h, h->size);
	hist_free_blocks(h);
	hist_recap(h, 0);
}

/* Room for LEN bytes at the end of the newest block, not yet taken. */
static uint8_t *hist_room(struct history *h, size_t len)
{
	struct hist_block *b = h->nblocks ? &h->block[h->nblocks - 1] : NULL;

	if (b != NULL && b->size - b->used >= len)
		return b->data + b->used;

	size_t size = b ? (size_t)b->size * 2 : HIST_BLOCK_MIN;

	if (size > HIST_BLOCK_MAX)
		size = HIST_BLOCK_MAX;
	if (size < len)
		size = len;
	if (h->nblocks >= HIST_MAX_BLOCKS) {
		/* Block numbers must stay unambiguous in 16 bits: the lines
		 * of the oldest block go. */
		unsigned n = 0;
		uint16_t first = (uint16_t)h->block_base;

		while (n < h->size && hist_entry(h, n)->block == first)
			n++;
		hist_drop_oldest(h, n);
	}
	if (h->nblocks == h->block_alloc) {
		h->block_alloc = h->block_alloc ? h->block_alloc * 2 : 8;
		h->block = xreallocarray(h->block, h->block_alloc, sizeof *h->block);
	}
	b = &h->block[h->nblocks];
	if (h->spare.data != NULL && h->spare.size >= size) {
		*b = h->spare;
		memset(&h->spare, 0, sizeof h->spare);
	} else {
		b->data = xmalloc(size);
		b->size = (uint32_t)size;
		h->block_bytes += size;
	}
	b->used = 0;
	h->nblocks++;
	return b->data;
}

/* Take LEN bytes from hist_room() as the newest line. The oldest line
 * was already dropped if the ring was full (hist_push_begin). */
static void hist_commit(struct history *h, size_t len)
{
	struct hist_block *b = &h->block[h->nblocks - 1];
	struct hist_line at = { (uint16_t)(h->block_base + h->nblocks - 1), (uint16_t)b->used };

	b->used += (uint32_t)len;
	if (h->size == h->cap) {
		unsigned newcap = h->cap ? h->cap * 2 : 64;

		if (newcap > h->limit || newcap < h->cap)
			newcap = h->limit;
		hist_recap(h, newcap);
	}
	*hist_entry(h, h->size) = at;
	h->size++;
	h->total++;
}

static size_t hist_varint_len(uint32_t v)
{
	size_t n = 1;

	while (v >= 0x80u) {
		v >>= 7;
		n++;
	}
	return n;
}

static uint8_t *hist_put_varint(uint8_t *p, uint32_t v)
{
	while (v >= 0x80u) {
		*p++ = (uint8_t)(v | 0x80u);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static const uint8_t *hist_get_varint(const uint8_t *p, uint32_t *v)
{
	uint32_t r = 0;
	unsigned shift = 0;

	while (*p & 0x80u) {
		r |= (uint32_t)(*p++ & 0x7fu) << shift;
		shift += 7;
	}
	*v = r | (uint32_t)*p++ << shift;
	return p;
}

static int hist_cell_default_blank(const struct cell *c)
{
	return c->ch == ' ' && c->fg == 0 && c->bg == 0 && c->attr == 0 && c->link == 0;
}

/* Make sure scratch *BUF has room for NEED more bytes past LEN. */
static inline uint8_t *hist_scratch(uint8_t **buf, size_t *cap, size_t len, size_t need)
{
	if (len + need > *cap) {
		size_t n = *cap ? *cap : 256;

		while (n < len + need)
			n *= 2;
		*buf = xrealloc(*buf, n);
		*cap = n;
	}
	return *buf + len;
}

static inline uint8_t *hist_put_scalar(uint8_t *p, uint32_t v)
{
	if (v < 0x80u) {
		*p++ = (uint8_t)v;
	} else if (v < 0x800u) {
		*p++ = (uint8_t)(0xc0u | v >> 6);
		*p++ = (uint8_t)(0x80u | (v & 0x3fu));
	} else if (v < 0x10000u) {
		*p++ = (uint8_t)(0xe0u | v >> 12);
		*p++ = (uint8_t)(0x80u | (v >> 6 & 0x3fu));
		*p++ = (uint8_t)(0x80u | (v & 0x3fu));
	} else if (v < 0x200000u) {
		*p++ = (uint8_t)(0xf0u | v >> 18);
		*p++ = (uint8_t)(0x80u | (v >> 12 & 0x3fu));
		*p++ = (uint8_t)(0x80u | (v >> 6 & 0x3fu));
		*p++ = (uint8_t)(0x80u | (v & 0x3fu));
	} else {
		*p++ = HIST_T_BIG;
		for (unsigned i = 0; i < 4; i++)
			*p++ = (uint8_t)(v >> (8 * i));
	}
	return p;
}

/* Decode what hist_put_scalar wrote (the encoder is ours: no checks). */
static const uint8_t *hist_get_scalar(const uint8_t *p, uint32_t *v)
{
	uint8_t b = *p++;

	if (b < 0x80u) {
		*v = b;
	} else if (b < 0xe0u) {
		*v = (uint32_t)(b & 0x1fu) << 6 | (p[0] & 0x3fu);
		p += 1;
	} else if (b < 0xf0u) {
		*v = (uint32_t)(b & 0x0fu) << 12 | (uint32_t)(p[0] & 0x3fu) << 6 | (p[1] & 0x3fu);
		p += 2;
	} else if (b < 0xf8u) {
		*v = (uint32_t)(b & 0x07u) << 18 | (uint32_t)(p[0] & 0x3fu) << 12 |
		     (uint32_t)(p[1] & 0x3fu) << 6 | (p[2] & 0x3fu);
		p += 3;
	} else {
		*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		p += 4;
	}
	return p;
}

static uint8_t *hist_put_colour(uint8_t *p, uint32_t c)
{
	*p++ = (uint8_t)(COLOUR_KIND(c) >> 24);
	switch (COLOUR_KIND(c)) {
	case COLOUR_DEFAULT:
		break;
	case COLOUR_PALETTE:
		*p++ = (uint8_t)c;
		break;
	default: /* RGB, or anything else: keep the 24 bits */
		*p++ = (uint8_t)(c >> 16);
		*p++ = (uint8_t)(c >> 8);
		*p++ = (uint8_t)c;
		break;
	}
	return p;
}

static const uint8_t *hist_get_colour(const uint8_t *p, uint32_t *c)
{
	uint32_t kind = (uint32_t)*p++ << 24;

	switch (kind) {
	case COLOUR_DEFAULT:
		*c = kind;
		break;
	case COLOUR_PALETTE:
		*c = kind | *p++;
		break;
	default:
		*c = kind | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		p += 3;
		break;
	}
	return p;
}

/* Text item for the glyph starting at cell X; returns cells consumed. */
static unsigned hist_encode_glyph(struct history *h, size_t *tlen, const struct cell *cells,
				  unsigned x, unsigned used, const struct clusters *c)
{
	const struct cell *cl = &cells[x];
	uint8_t *p = hist_scratch(&h->text, &h->text_cap, *tlen, 16 + CLUSTER_MAX_BYTES);
	const char *ctext = NULL;
	size_t clen = 0;
	uint32_t base = cl->ch;
	unsigned consumed = 1;

	if (cl->attr & CELL_WIDE_TAIL) {
		/* A tail whose head is not just before it. */
		*p++ = HIST_T_TAIL;
		p = hist_put_scalar(p, cl->ch);
		*tlen = (size_t)(p - h->text);
		return 1;
	}
	if (cl->attr & CELL_CLUSTER) {
		ctext = c ? clusters_get(c, cl->ch, &clen) : NULL;
		if (ctext == NULL || clen == 0 || clen > CLUSTER_MAX_BYTES) {
			ctext = NULL;
			base = UTF8_REPLACEMENT;
		} else {
			utf8_decode((const uint8_t *)ctext, clen, &base);
		}
	}
	int natural_wide = base >= 0x300u && utf8_width(base) == 2;

	if (cl->attr & CELL_WIDE) {
		if (x + 1 < used && (cells[x + 1].attr & CELL_WIDE_TAIL)) {
			consumed = 2;
			if (cells[x + 1].ch != HIST_TAIL_CH) {
				*p++ = HIST_T_TAILCH;
				p = hist_put_scalar(p, cells[x + 1].ch);
			}
			if (!natural_wide)
				*p++ = HIST_T_WIDE;
		} else {
			*p++ = HIST_T_LONE;
		}
	} else if (natural_wide) {
		*p++ = HIST_T_NARROW;
	}
	if (ctext != NULL) {
		*p++ = HIST_T_CLUSTER;
		*p++ = (uint8_t)clen;
		memcpy(p, ctext, clen);
		p += clen;
	} else {
		p = hist_put_scalar(p, base);
	}
	*tlen = (size_t)(p - h->text);
	return consumed;
}

static int hist_is_palette(uint32_t colour)
{
	return (colour & 0xffffff00u) == COLOUR_PALETTE;
}

/* Does CUR differ from PREV only in a palette foreground? */
static int hist_fg_only(const struct cell *prev, const struct cell *cur)
{
	return hist_is_palette(cur->fg) && cur->bg == prev->bg && cur->link == prev->link &&
	       ((cur->attr ^ prev->attr) & ATTR_STYLE_MASK) == 0;
}

static void hist_encode_run(struct history *h, size_t *rlen, unsigned n, const struct cell *prev,
			    const struct cell *cur)
{
	uint8_t *p = hist_scratch(&h->runs, &h->runs_cap, *rlen, 32);

	if (hist_fg_only(prev, cur)) {
		if (n < 0x80u) {
			*p++ = (uint8_t)n;
		} else {
			*p++ = 0;
			p = hist_put_varint(p, n);
		}
		*p++ = (uint8_t)cur->fg;
		*rlen = (size_t)(p - h->runs);
		return;
	}

	uint8_t *op = p++;

	*op = (uint8_t)(0x80u | (n < 8 ? n << 4 : 0));
	if (n >= 8)
		p = hist_put_varint(p, n);
	if (cur->fg != prev->fg) {
		*op |= HIST_R_FG;
		p = hist_put_colour(p, cur->fg);
	}
	if (cur->bg != prev->bg) {
		*op |= HIST_R_BG;
		p = hist_put_colour(p, cur->bg);
	}
	if ((cur->attr & ATTR_STYLE_MASK) != (prev->attr & ATTR_STYLE_MASK)) {
		*op |= HIST_R_ATTR;
		p = hist_put_varint(p, cur->attr & ATTR_STYLE_MASK);
	}
	if (cur->link != prev->link) {
		*op |= HIST_R_LINK;
		p = hist_put_varint(p, cur->link);
	}
	*rlen = (size_t)(p - h->runs);
}

static uint8_t hist_header(uint32_t flags)
{
	uint8_t hdr = 0;

	if (flags & ROW_WRAPPED)
		hdr |= HIST_H_WRAPPED;
	if (flags & ~ROW_WRAPPED)
		hdr |= HIST_H_EXTRA;
	return hdr;
}

static uint8_t *hist_put_header(uint8_t *p, uint8_t hdr, uint32_t flags, unsigned used)
{
	*p++ = hdr;
	if (hdr & HIST_H_EXTRA)
		p = hist_put_varint(p, flags & ~ROW_WRAPPED);
	return hist_put_varint(p, used);
}

/* Cells up to the last one that is not a default blank. */
static unsigned hist_trim(const struct cell *cells, unsigned n)
{
#ifdef __SSE2__
	const __m128i blank = _mm_setr_epi32(' ', 0, 0, 0);
	const __m128i *v = (const __m128i *)(const void *)cells;

	/* Four blank cells a turn, then one at a time. */
	while (n >= 4) {
		__m128i e0 = _mm_cmpeq_epi32(_mm_loadu_si128(v + n - 1), blank);
		__m128i e1 = _mm_cmpeq_epi32(_mm_loadu_si128(v + n - 2), blank);
		__m128i e2 = _mm_cmpeq_epi32(_mm_loadu_si128(v + n - 3), blank);
		__m128i e3 = _mm_cmpeq_epi32(_mm_loadu_si128(v + n - 4), blank);

		if (_mm_movemask_epi8(_mm_and_si128(_mm_and_si128(e0, e1), _mm_and_si128(e2, e3))) != 0xffff)
			break;
		n -= 4;
	}
	while (n > 0) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)&cells[n - 1]);

		if (_mm_movemask_epi8(_mm_cmpeq_epi32(c, blank)) != 0xffff)
			break;
		n--;
	}
#endif
	while (n > 0 && hist_cell_default_blank(&cells[n - 1]))
		n--;
	return n;
}

/* Copy the characters of N cells to P; returns whether every cell was
 * plain (ASCII in the default style). This loop is most of the cost of
 * `cat bigfile`, so with SSE2 it takes sixteen cells a turn: the cells
 * are ORed together for the check (only the low 7 bits of ch may be
 * set) and their first words gathered and packed into sixteen bytes. */
#ifdef __SSE2__
/* The first words of the four cells at V, ORing the cells into *ANY. */
static inline __m128i hist_gather4(const __m128i *v, __m128i *any)
{
	__m128i c0 = _mm_loadu_si128(v), c1 = _mm_loadu_si128(v + 1);
	__m128i c2 = _mm_loadu_si128(v + 2), c3 = _mm_loadu_si128(v + 3);

	*any = _mm_or_si128(*any, _mm_or_si128(_mm_or_si128(c0, c1), _mm_or_si128(c2, c3)));
	return _mm_unpacklo_epi64(_mm_unpacklo_epi32(c0, c1), _mm_unpacklo_epi32(c2, c3));
}
#endif

#if SIMD_HAVE_AVX2
/* N (a multiple of sixteen) cells, two to a register. If every cell is
 * plain, only byte 0 of each is set, so shifting the k-th register k
 * bytes left and ORing the eight puts the even cells' characters in the
 * low lane and the odd ones' in the high lane; one interleave puts them
 * in order. Cells that are not plain make garbage, which is discarded. */
SIMD_TARGET_AVX2 static int hist_copy_plain_avx2(uint8_t *p, const struct cell *cells,
						 unsigned n)
{
	const __m256i *v = (const __m256i *)(const void *)cells, *end = v + n / 2;
	const __m256i allowed = _mm256_setr_epi32(0x7f, 0, 0, 0, 0x7f, 0, 0, 0);
	__m256i any = _mm256_setzero_si256();

	for (; v < end; v += 8, p += 16) {
		__m256i l0 = _mm256_loadu_si256(v), l1 = _mm256_loadu_si256(v + 1);
		__m256i l2 = _mm256_loadu_si256(v + 2), l3 = _mm256_loadu_si256(v + 3);
		__m256i l4 = _mm256_loadu_si256(v + 4), l5 = _mm256_loadu_si256(v + 5);
		__m256i l6 = _mm256_loadu_si256(v + 6), l7 = _mm256_loadu_si256(v + 7);

		any = _mm256_or_si256(any, _mm256_or_si256(_mm256_or_si256(_mm256_or_si256(l0, l1),
									   _mm256_or_si256(l2, l3)),
							   _mm256_or_si256(_mm256_or_si256(l4, l5),
									   _mm256_or_si256(l6, l7))));
		__m256i a = _mm256_or_si256(l0, _mm256_slli_si256(l1, 1));
		__m256i b = _mm256_or_si256(_mm256_slli_si256(l2, 2), _mm256_slli_si256(l3, 3));
		__m256i c = _mm256_or_si256(_mm256_slli_si256(l4, 4), _mm256_slli_si256(l5, 5));
		__m256i d = _mm256_or_si256(_mm256_slli_si256(l6, 6), _mm256_slli_si256(l7, 7));
		__m256i x = _mm256_or_si256(_mm256_or_si256(a, b), _mm256_or_si256(c, d));

		_mm_storeu_si128((__m128i *)(void *)p,
				 _mm_unpacklo_epi8(_mm256_castsi256_si128(x), _mm256_extracti128_si256(x, 1)));
	}
	return _mm256_testz_si256(any, _mm256_xor_si256(allowed, _mm256_set1_epi32(-1)));
}
#endif

static int hist_copy_plain(uint8_t *p, const struct cell *cells, unsigned n)
{
	unsigned i = 0;
	uint32_t acc = 0;
#if SIMD_HAVE_AVX2
	if (n >= 16 && simd_avx2()) {
		i = n & ~15u;
		if (!hist_copy_plain_avx2(p, cells, i))
			return 0;
		if (i == n)
			return 1;
	}
#endif
#ifdef __SSE2__
	__m128i any = _mm_setzero_si128();

	for (; i + 16 <= n; i += 16) {
		const __m128i *v = (const __m128i *)(const void *)&cells[i];
		__m128i q0 = hist_gather4(v, &any), q1 = hist_gather4(v + 4, &any);
		__m128i q2 = hist_gather4(v + 8, &any), q3 = hist_gather4(v + 12, &any);
		/* Saturation cannot change a character below 0x80; anything
		 * larger fails the check below and the bytes are discarded. */
		__m128i w = _mm_packus_epi16(_mm_packs_epi32(q0, q1), _mm_packs_epi32(q2, q3));
		_mm_storeu_si128((__m128i *)(void *)(p + i), w);
	}
	for (; i + 4 <= n; i += 4) {
		__m128i q = hist_gather4((const __m128i *)(const void *)&cells[i], &any);
		__m128i w = _mm_packs_epi32(q, q);
		int32_t four = _mm_cvtsi128_si32(_mm_packus_epi16(w, w));

		memcpy(p + i, &four, sizeof four);
	}
	/* ch lies in the low 32 bits of each cell, so any bit other than its
	 * low seven is a failure. */
	uint32_t lanes[4];

	_mm_storeu_si128((__m128i *)(void *)lanes, any);
	acc = (lanes[0] & ~0x7fu) | lanes[1] | lanes[2] | lanes[3];
#endif
	for (; i < n; i++) {
		const struct cell *cl = &cells[i];

		acc |= (cl->ch & ~0x7fu) | cl->fg | cl->bg | cl->attr | cl->link;
		p[i] = (uint8_t)cl->ch;
	}
	return acc == 0;
}

/* The end of the run of cells from START that share its style. */
static unsigned hist_run_end(const struct cell *cells, unsigned start, unsigned used)
{
	unsigned k = start + 1;
#ifdef __SSE2__
	/* A cell's style is its bytes 4-15 less the shape bits of attr. */
	const __m128i mask = _mm_setr_epi32(0, -1, -1, (int)(0xffff0000u | ATTR_STYLE_MASK));
	const __m128i *v = (const __m128i *)(const void *)cells;
	const __m128i ref = _mm_and_si128(_mm_loadu_si128(v + start), mask);

	for (; k + 2 <= used; k += 2) {
		__m128i a = _mm_cmpeq_epi32(_mm_and_si128(_mm_loadu_si128(v + k), mask), ref);
		__m128i b = _mm_cmpeq_epi32(_mm_and_si128(_mm_loadu_si128(v + k + 1), mask), ref);

		if (_mm_movemask_epi8(_mm_and_si128(a, b)) != 0xffff)
			return _mm_movemask_epi8(a) != 0xffff ? k : k + 1;
	}
#endif
	while (k < used && cell_same_style(&cells[k], &cells[start]))
		k++;
	return k;
}

/* Nibbles a run of LEN cells takes in the HIST_H_FGRUNS form. */
static unsigned hist_fg_nibbles(unsigned len)
{
	return len / 15 + (len % 15 != 0);
}

/* Write the NRUNS runs of CELLS[0..USED), each of which changes only a
 * palette foreground, in the HIST_H_FGRUNS form (NIBBLES length nibbles)
 * over the scratch runs; returns its length. */
static size_t hist_encode_fgruns(struct history *h, const struct cell *cells, unsigned used,
				 unsigned nruns, size_t nibbles)
{
	size_t len = (nibbles + 1) / 2 + nruns, at = 0;
	uint8_t *p = hist_scratch(&h->runs, &h->runs_cap, 0, len);
	uint8_t *colour = p + (nibbles + 1) / 2;
	unsigned r = 0;

	memset(p, 0, (nibbles + 1) / 2);
	for (unsigned start = 0; start < used; r++) {
		unsigned k = hist_run_end(cells, start, used), n = k - start;

		/* 15 goes as 15, 16 as 0 1, 30 as 0 15. */
		while (n > 15) {
			at++;
			n -= 15;
		}
		p[at / 2] |= (uint8_t)(n << (4 * (at & 1)));
		at++;
		colour[r] = (uint8_t)cells[start].fg;
		start = k;
	}
	return len;
}

void history_push(struct history *h, const struct cell *cells, unsigned cols, uint32_t flags,
		  const struct clusters *c)
{
	unsigned used = cols;

	if (h->limit == 0) {
		h->total++;
		return;
	}
	/* Drop first, so the block the new line goes into stays. */
	if (h->size >= h->limit)
		hist_drop_oldest(h, h->size - h->limit + 1);
	/* A wrapped line keeps its trailing blanks: they are text that a
	 * reflow must join with the next line. */
	used = flags & ROW_WRAPPED ? cols : hist_trim(cells, cols);

	uint8_t hdr = hist_header(flags);

	if (!(hdr & HIST_H_EXTRA)) {
		/* The hot path: copy the characters straight into the block
		 * while checking that every cell is plain ASCII. */
		size_t head = 1 + hist_varint_len(used);
		/* Whole groups of cells are cheaper than a ragged end, and
		 * the cells past USED are default blanks, which pass the
		 * check: copy a few more bytes than are kept. */
		unsigned n = (used + 15) & ~15u;
		if (n > cols)
			n = (used + 3) & ~3u;
		if (n > cols)
			n = used;
		uint8_t *base = hist_room(h, head + n), *p = base + head;

		if (hist_copy_plain(p, cells, n)) {
			hist_put_header(base, hdr | HIST_H_PLAIN, flags, used);
			hist_commit(h, head + used);
			return;
		}
	}

	/* The general path: text and runs into scratch, then copied. */
	size_t tlen = 0, rlen = 0;
	unsigned x = 0;
	uint8_t *p;

	/* The inline glyphs take at most two bytes a cell. */
	hist_scratch(&h->text, &h->text_cap, 0, 2 * (size_t)used + 8);
	while (x < used) {
		const struct cell *cl = &cells[x];
		uint32_t ch = cl->ch;
		unsigned shape = cl->attr & CELL_SHAPE_MASK;
		uint8_t *t = h->text + tlen;

		/* The common glyphs inline (what hist_encode_glyph would
		 * write for them): a narrow character below U+0300, and a
		 * naturally wide one with its usual tail. */
		if (shape == 0 && ch < 0x300u) {
			if (ch < 0x80u) {
				*t = (uint8_t)ch;
				tlen++;
			} else {
				t[0] = (uint8_t)(0xc0u | ch >> 6);
				t[1] = (uint8_t)(0x80u | (ch & 0x3fu));
				tlen += 2;
			}
			x++;
		} else if (shape == CELL_WIDE && x + 1 < used &&
			   (cells[x + 1].attr & CELL_SHAPE_MASK) == CELL_WIDE_TAIL &&
			   cells[x + 1].ch == HIST_TAIL_CH && ch - 0x300u < 0x10fd00u &&
			   utf8_width_fast(ch) == 2) {
			tlen += (size_t)(hist_put_scalar(t, ch) - t);
			x += 2;
		} else {
			x += hist_encode_glyph(h, &tlen, cells, x, used, c);
			hist_scratch(&h->text, &h->text_cap, tlen, 2 * (size_t)(used - x) + 8);
		}
	}

	static const struct cell def = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };
	const struct cell *prev = &def;
	unsigned nruns = 0, fg_only = 1;
	size_t nibbles = 0;

	for (unsigned start = 0; start < used; nruns++) {
		unsigned k = hist_run_end(cells, start, used);

		if (k == used && start == 0 && cell_same_style(&cells[0], &def))
			break; /* one run in the default style: no runs at all */
		hist_encode_run(h, &rlen, k - start, prev, &cells[start]);
		fg_only &= (unsigned)hist_fg_only(prev, &cells[start]);
		nibbles += hist_fg_nibbles(k - start);
		prev = &cells[start];
		start = k;
	}
	if (rlen > 0) {
		hdr |= HIST_H_RUNS;
		/* The packed form saves half a byte a short run. */
		if (fg_only && (nibbles + 1) / 2 + nruns < rlen) {
			rlen = hist_encode_fgruns(h, cells, used, nruns, nibbles);
			hdr |= HIST_H_FGRUNS;
		}
	}

	size_t len = 1 + (hdr & HIST_H_EXTRA ? hist_varint_len(flags & ~ROW_WRAPPED) : 0) +
		     hist_varint_len(used) + tlen + rlen;
	p = hist_room(h, len);
	p = hist_put_header(p, hdr, flags, used);
	memcpy(p, h->text, tlen);
	if (rlen > 0)
		memcpy(p + tlen, h->runs, rlen);
	hist_commit(h, len);
}

/* Decode line E into OUT (COLS cells); returns its cell count. */
static int hist_decode(const struct history *h, const struct hist_line *e, struct cell *out,
		       unsigned cols, uint32_t *flags, struct clusters *c)
{
	static const struct cell def = { ' ', COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };
	const uint8_t *p = hist_block_of(h, e->block)->data + e->off;
	uint8_t hdr = *p++;
	uint32_t extra = 0, ncells;

	if (hdr & HIST_H_EXTRA)
		p = hist_get_varint(p, &extra);
	p = hist_get_varint(p, &ncells);
	if (flags != NULL)
		*flags = extra | (hdr & HIST_H_WRAPPED ? ROW_WRAPPED : 0);

	unsigned n = ncells < cols ? ncells : cols;

	if (hdr & HIST_H_PLAIN) {
		for (unsigned i = 0; i < n; i++) {
			out[i] = def;
			out[i].ch = p[i];
		}
		for (unsigned i = n; i < cols; i++)
			out[i] = def;
		return (int)ncells;
	}

	/* The text covers every cell; those past COLS are only skipped. */
	const uint8_t *t = p;
	unsigned x = 0;

	while (x < ncells) {
		uint32_t tailch = HIST_TAIL_CH, v;
		int shape = 0; /* 0 natural, 1 wide, 2 narrow, 3 lone */
		struct cell o = def;

		if (*t == HIST_T_TAIL) {
			t = hist_get_scalar(t + 1, &v);
			o.ch = v;
			o.attr = CELL_WIDE_TAIL;
			if (x < n)
				out[x] = o;
			x++;
			continue;
		}
		if (*t == HIST_T_TAILCH)
			t = hist_get_scalar(t + 1, &tailch);
		if (*t == HIST_T_WIDE) {
			shape = 1;
			t++;
		} else if (*t == HIST_T_NARROW) {
			shape = 2;
			t++;
		} else if (*t == HIST_T_LONE) {
			shape = 3;
			t++;
		}
		if (*t == HIST_T_CLUSTER) {
			size_t len = t[1];
			uint32_t id = c != NULL && x < n ? clusters_add(c, (const char *)t + 2, len)
						       : UINT32_MAX;

			utf8_decode(t + 2, len, &v);
			if (id != UINT32_MAX) {
				o.ch = id;
				o.attr = CELL_CLUSTER;
			} else {
				o.ch = v;
			}
			t += 2 + len;
		} else {
			t = hist_get_scalar(t, &v);
			o.ch = v;
		}
		if (shape == 0)
			shape = v >= 0x300u && utf8_width(v) == 2 ? 1 : 2;
		if (shape == 1 || shape == 3)
			o.attr |= CELL_WIDE;
		if (x < n)
			out[x] = o;
		x++;
		if (shape == 1) {
			if (x < n) {
				out[x] = def;
				out[x].ch = tailch;
				out[x].attr = CELL_WIDE_TAIL;
			}
			x++;
		}
	}
	for (unsigned i = x < n ? x : n; i < cols; i++)
		out[i] = def;
	p = t;

	if (hdr & HIST_H_FGRUNS) {
		/* Count the runs by their lengths to find the colours. */
		const uint8_t *nib = p;
		size_t at = 0, nruns = 0;

		for (uint32_t cells = 0; cells < ncells; at++) {
			unsigned v = nib[at / 2] >> (4 * (at & 1)) & 0x0fu;

			cells += v ? v : 15;
			nruns += v != 0;
		}
		const uint8_t *colour = nib + (at + 1) / 2;
		unsigned pos = 0, r = 0;

		at = 0;
		while (pos < n && r < nruns) {
			unsigned v, len = 0;

			do {
				v = nib[at / 2] >> (4 * (at & 1)) & 0x0fu;
				len += v ? v : 15;
				at++;
			} while (v == 0);
			unsigned end = len > n - pos ? n : pos + len;
			uint32_t fg = COLOUR_PALETTE | colour[r++];

			for (; pos < end; pos++)
				out[pos].fg = fg;
		}
	} else if (hdr & HIST_H_RUNS) {
		struct cell style = def;
		unsigned at = 0;

		while (at < n) {
			uint32_t len, v;
			uint8_t op = *p++;

			if (op < 0x80u) {
				len = op;
				if (len == 0)
					p = hist_get_varint(p, &len);
				style.fg = COLOUR_PALETTE | *p++;
			} else {
				len = op >> 4 & 0x07u;
				if (len == 0)
					p = hist_get_varint(p, &len);
				if (op & HIST_R_FG)
					p = hist_get_colour(p, &style.fg);
				if (op & HIST_R_BG)
					p = hist_get_colour(p, &style.bg);
				if (op & HIST_R_ATTR) {
					p = hist_get_varint(p, &v);
					style.attr = (uint16_t)v;
				}
				if (op & HIST_R_LINK) {
					p = hist_get_varint(p, &v);
					style.link = (uint16_t)v;
				}
			}
			unsigned end = len > n - at ? n : at + len;

			for (; at < end; at++) {
				out[at].fg = style.fg;
				out[at].bg = style.bg;
				out[at].attr = (uint16_t)((out[at].attr & ~ATTR_STYLE_MASK) | style.attr);
				out[at].link = style.link;
			}
		}
	}
	return (int)ncells;
}

int history_get(const struct history *h, unsigned i, struct cell *out, unsigned cols,
		uint32_t *flags, struct clusters *c)
{
	if (i >= h->size)
		return -1;
	return hist_decode(h, hist_entry(h, i), out, cols, flags, c);
}

int history_line_width(const struct history *h, unsigned i)
{
	if (i >= h->size)
		return -1;
	const struct hist_line *e = hist_entry(h, i);
	const uint8_t *p = hist_block_of(h, e->block)->data + e->off;
	uint8_t hdr = *p++;
	uint32_t v;

	if (hdr & HIST_H_EXTRA)
		p = hist_get_varint(p, &v);
	hist_get_varint(p, &v);
	return (int)v;
}

int history_pop(struct history *h, struct cell *out, unsigned cols, uint32_t *flags,
		struct clusters *c)
{
	if (h->size == 0)
		return -1;
	struct hist_line *e = hist_entry(h, h->size - 1);
	int n = hist_decode(h, e, out, cols, flags, c);
	struct hist_block *b = hist_block_of(h, e->block);

	/* The newest line is the last thing in the newest block. */
	b->used = e->off;
	h->size--;
	h->total--;
	if (b->used == 0 && h->nblocks > 0) {
		h->nblocks--;
		if (h->spare.data == NULL && b->size == HIST_BLOCK_MAX) {
			h->spare = *b;
		} else {
			free(b->data);
			h->block_bytes -= b->size;
		}
	}
	if (h->size == 0)
		h->head = 0;
	return n;
}

/* The encoded length of line I (header, text and runs). */
static size_t hist_line_bytes(const struct history *h, unsigned i)
{
	const struct hist_line *e = hist_entry(h, i);

	if (i + 1 < h->size) {
		const struct hist_line *n = hist_entry(h, i + 1);

		if (n->block == e->block)
			return n->off - e->off;
	}
	return hist_block_of(h, e->block)->used - e->off;
}

int history_copy_line(struct history *dst, const struct history *src, unsigned i)
{
	if (i >= src->size)
		return -1;
	if (dst->limit == 0) {
		dst->total++;
		return 0;
	}
	if (dst->size >= dst->limit)
		hist_drop_oldest(dst, dst->size - dst->limit + 1);

	const struct hist_line *e = hist_entry(src, i);
	size_t len = hist_line_bytes(src, i);
	uint8_t *p = hist_room(dst, len);

	memcpy(p, hist_block_of(src, e->block)->data + e->off, len);
	hist_commit(dst, len);
	return 0;
}

void history_replace(struct history *dst, struct history *src)
{
	uint64_t base = dst->total - dst->size;

	hist_free_blocks(dst);
	free(dst->block);
	free(dst->line);
	free(dst->text);
	free(dst->runs);
	*dst = *src;
	dst->total = base + dst->size;
	free(src);
}
