/* vt.c — fuzz harness for the emulator and for capture. Any byte stream,
 * fed in pieces with resizes in between, must leave a consistent screen
 * (cursor inside, scroll region inside, wide characters whole, cluster ids
 * known, history within its limit) and a capture that is well-formed text.
 *
 * Input layout: four header bytes steer the run, the rest is what a program
 * writes to its terminal.
 *   h[0] bits 0-1  chunking: whole, pieces of 1-4, 1-32 or 1-256 bytes
 *        bits 2-3  resizes: none, one, one and back, two
 *        bits 4-6  capture flags (CAPTURE_ESCAPES, _JOIN, _TRAILING)
 *        bit  7    also capture a partial range
 *   h[1]           seed for the piece lengths; where the first resize falls
 *   h[2], h[3]     the size resized to: 1-48 columns, 1-16 rows
 * Invariant failures abort() so libFuzzer saves the input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "term/capture.h"
#include "term/clusters.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

#define FUZZ_COLS 20
#define FUZZ_ROWS 6
#define FUZZ_HISTORY 100
#define FUZZ_HEADER 4

/* What the harness was doing and on which screen, for the report when an
 * invariant fails. */
static const char *stage = "";
static const struct screen *current;
static const char *current_text; /* the capture being checked */
static size_t current_len;

/* The grid in use, one line per row: characters, 'W' '<' for the halves of
 * a wide character, '?' for anything else outside ASCII. */
static void dump_screen(void)
{
	const struct screen *s = current;

	if (s == NULL || s->grid == NULL)
		return;
	fprintf(stderr, "screen %ux%u cursor %u,%u%s history %u\n", s->cols, s->rows, s->cx,
		s->cy, s->grid == s->primary ? "" : " (alternate)", history_size(s->history));
	for (unsigned y = 0; y < s->grid->rows && y < s->rows; y++) {
		fputc('|', stderr);
		for (unsigned x = 0; x < s->grid->cols && x < s->cols; x++) {
			const struct cell *c = &s->grid->row[y].cells[x];
			if (c->attr & CELL_WIDE)
				fputc('W', stderr);
			else if (c->attr & CELL_WIDE_TAIL)
				fputc('<', stderr);
			else if (c->ch >= 0x20 && c->ch < 0x7f && !(c->attr & CELL_CLUSTER))
				fputc((int)c->ch, stderr);
			else
				fputc('?', stderr);
		}
		fprintf(stderr, "|%s\n", s->grid->row[y].flags & ROW_WRAPPED ? " wrapped" : "");
	}
	if (current_text != NULL) {
		fprintf(stderr, "capture (%zu bytes): \"", current_len);
		for (size_t i = 0; i < current_len; i++) {
			unsigned char ch = (unsigned char)current_text[i];
			if (ch == '\n')
				fputs("\\n", stderr);
			else if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
				fprintf(stderr, "\\x%02x", ch);
			else
				fputc(ch, stderr);
		}
		fputs("\"\n", stderr);
	}
}

#define CHECK(cond)                                                                       \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "fuzz-vt: invariant failed %s, %s:%d: %s\n", stage, \
				__FILE__, __LINE__, #cond);                               \
			dump_screen();                                                    \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* xorshift32: piece lengths from the header seed, so the body stays intact
 * for the dictionary and mutations. */
static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void check_grid(const struct screen *s, const struct grid *g)
{
	CHECK(g->cols == s->cols);
	CHECK(g->rows == s->rows);
	for (unsigned y = 0; y < g->rows; y++) {
		const struct cell *row = g->row[y].cells;
		CHECK(row != NULL);
		for (unsigned x = 0; x < g->cols; x++) {
			uint16_t attr = row[x].attr;
			CHECK((attr & (CELL_WIDE | CELL_WIDE_TAIL)) != (CELL_WIDE | CELL_WIDE_TAIL));
			if (attr & CELL_WIDE) {
				CHECK(x + 1 < g->cols);
				CHECK(row[x + 1].attr & CELL_WIDE_TAIL);
			}
			if (attr & CELL_WIDE_TAIL) {
				CHECK(x > 0);
				CHECK(row[x - 1].attr & CELL_WIDE);
			}
			if (attr & CELL_CLUSTER) {
				size_t len = 0;
				CHECK(clusters_get(s->clusters, row[x].ch, &len) != NULL);
				CHECK(len > 0 && len <= CLUSTER_MAX_BYTES);
			}
			if (row[x].link != 0)
				CHECK(screen_link_uri(s, row[x].link) != NULL);
		}
	}
}

static void check_screen(const struct screen *s, unsigned cols, unsigned rows)
{
	CHECK(s->cols == cols);
	CHECK(s->rows == rows);
	CHECK(s->cx < s->cols);
	CHECK(s->cy < s->rows);
	CHECK(s->scroll_top <= s->scroll_bottom);
	CHECK(s->scroll_bottom < s->rows);
	CHECK(s->title != NULL && strlen(s->title) <= SCREEN_TITLE_MAX);
	CHECK(s->cwd != NULL);
	CHECK(s->grid == s->primary || (s->alternate != NULL && s->grid == s->alternate));
	CHECK((s->grid == s->alternate) == ((s->modes & MODE_ALT_SCREEN) != 0));
	CHECK(history_size(s->history) <= FUZZ_HISTORY);
	check_grid(s, s->primary);
	if (s->alternate != NULL)
		check_grid(s, s->alternate);
}

/* Length of the valid UTF-8 sequence at P (LEN bytes left), or 0. */
static size_t utf8_valid_at(const unsigned char *p, size_t len)
{
	size_t n;
	uint32_t cp, min;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void check_capture(const struct screen *s, long start, long end, unsigned flags,
			  int whole)
{
	size_t len = 12345;
	char *text = capture_screen(s, start, end, flags, &len);
	size_t lines = 0;

	CHECK(text != NULL);
	current_text = text;
	current_len = len;
	CHECK(strlen(text) == len);
	CHECK(len == 0 || text[len - 1] == '\n');
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)text + i;
		if (*p == '\n')
			lines++;
		/* Controls never reach the screen; only SGR (with -e) adds ESC. */
		if (!(flags & CAPTURE_ESCAPES))
			CHECK(*p >= 0x20 || *p == '\n');
		CHECK(*p != 0x7f);
		size_t n = utf8_valid_at(p, len - i);
		CHECK(n > 0);
		i += n;
	}
	/* Every history line and every row, one line each, unless joined. */
	if (whole && !(flags & CAPTURE_JOIN) && s->grid == s->primary)
		CHECK(lines == history_size(s->history) + s->rows);
	current_text = NULL;
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned cols = FUZZ_COLS, rows = FUZZ_ROWS;
	uint8_t h[FUZZ_HEADER] = { 0 };

	memcpy(h, data, size < FUZZ_HEADER ? size : FUZZ_HEADER);
	const uint8_t *body = data + (size < FUZZ_HEADER ? size : FUZZ_HEADER);
	size_t len = size < FUZZ_HEADER ? 0 : size - FUZZ_HEADER;
	unsigned chunking = h[0] & 3, resizes = (h[0] >> 2) & 3;
	unsigned flags = (h[0] >> 4) & 7;
	static const size_t max_piece[] = { 0, 4, 32, 256 };
	uint32_t seed = 0x9e3779b9u ^ h[1] ^ (uint32_t)h[2] << 8 ^ (uint32_t)h[3] << 16;
	unsigned new_cols = 1 + h[2] % 48, new_rows = 1 + h[3] % 16;
	/* Resize points: a fraction of the body given by h[1], and the middle
	 * of what remains after it. */
	size_t at1 = resizes ? len * h[1] / 256 : len + 1;
	size_t at2 = resizes >= 2 ? at1 + (len - at1) / 2 : len + 1;
	int resized = 0;

	struct vt *vt = vt_create(cols, rows, FUZZ_HISTORY);
	CHECK(vt != NULL);
	struct screen *s = vt_screen(vt);
	current = s;
	stage = "after vt_create";
	check_screen(s, cols, rows);

	size_t off = 0;
	while (off <= len) {
		if (off == at1 || off == at2) {
			if (resized == 0 || resizes == 3) {
				cols = resized ? FUZZ_COLS + 3 : new_cols;
				rows = resized ? FUZZ_ROWS - 2 : new_rows;
			} else {
				cols = FUZZ_COLS;
				rows = FUZZ_ROWS;
			}
			vt_resize(vt, cols, rows);
			resized++;
			stage = "after vt_resize";
			check_screen(s, cols, rows);
		}
		if (off == len)
			break;
		size_t piece = len - off;
		if (chunking != 0) {
			size_t want = 1 + next_rand(&seed) % max_piece[chunking];
			if (want < piece)
				piece = want;
		}
		/* Stop at a resize point so it happens exactly there. */
		if (off < at1 && off + piece > at1)
			piece = at1 - off;
		if (off < at2 && off + piece > at2)
			piece = at2 - off;
		vt_input(vt, body + off, piece);
		off += piece;
		stage = "after vt_input";
		check_screen(s, cols, rows);
		/* The owner takes replies and clipboard payloads after each read. */
		buf_reset(&s->replies);
		buf_reset(&s->clipboard);
	}

	stage = "in capture_screen";
	check_capture(s, CAPTURE_FROM_START, CAPTURE_TO_END, flags, 1);
	if (h[0] & 0x80)
		check_capture(s, -(long)(h[3] % 128), (long)(h[2] % 24) - 8, flags, 0);
	current = NULL;
	vt_free(vt);
	return 0;
}
