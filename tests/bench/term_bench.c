/* term_bench.c — emulator figures on the release build: vt_input()
 * throughput for three kinds of program output, and history memory per
 * line for 100k lines of three kinds of text. Not a test: it prints
 * figures beside their targets; run.sh adds tmux's figures and ratios.
 *
 *   term_bench                      every figure
 *   term_bench throughput|history   one half
 *   term_bench payload KIND FILE    write a history payload (plain, colour,
 *                                   cjk) so tmux can be fed the same bytes
 *
 * Lines starting with '@' are for run.sh: "@KEY VALUE". */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "common/util.h"
#include "term/history.h"
#include "term/screen.h"
#include "term/vt.h"

#define BENCH_COLS 80
#define BENCH_ROWS 24
#define BENCH_TEXT_COLS 78         /* visible width of a text line */
#define BENCH_HISTORY_LINES 100000u
#define BENCH_HISTORY_LIMIT 100000u
#define BENCH_THROUGHPUT_BYTES (8u << 20)
#define BENCH_CHUNK 16384u         /* a large pty read */
#define BENCH_MIN_NS 1000000000ull /* time each stream at least this long */

#define TARGET_ASCII 400.0
#define TARGET_CSI 150.0
#define TARGET_CJK 100.0
#define TARGET_PLAIN_LINE 100.0

static uint32_t rng = 0x2545f491u;

/* xorshift32: the same payloads on every run and every machine. */
static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void add_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		buf_add_u8(b, (uint8_t)cp);
	} else if (cp < 0x800) {
		buf_add_u8(b, (uint8_t)(0xc0 | cp >> 6));
		buf_add_u8(b, (uint8_t)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_add_u8(b, (uint8_t)(0xe0 | cp >> 12));
		buf_add_u8(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
		buf_add_u8(b, (uint8_t)(0x80 | (cp & 0x3f)));
	} else {
		buf_add_u8(b, (uint8_t)(0xf0 | cp >> 18));
		buf_add_u8(b, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
		buf_add_u8(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
		buf_add_u8(b, (uint8_t)(0x80 | (cp & 0x3f)));
	}
}

/* One line of lowercase words, exactly BENCH_TEXT_COLS wide; with COLOUR
 * every word starts with its own 256-colour SGR. */
static void gen_words_line(struct buf *b, int colour)
{
	unsigned col = 0;

	while (col < BENCH_TEXT_COLS) {
		unsigned len = 1 + next_rand() % 9;
		if (col + len > BENCH_TEXT_COLS)
			len = BENCH_TEXT_COLS - col;
		if (colour)
			buf_add_printf(b, "\033[38;5;%um", next_rand() % 256);
		for (unsigned i = 0; i < len; i++)
			buf_add_u8(b, (uint8_t)('a' + next_rand() % 26));
		col += len;
		/* A space, unless it would end the line: no trailing blanks. */
		if (col + 1 < BENCH_TEXT_COLS)
			buf_add_u8(b, ' ');
		else if (col < BENCH_TEXT_COLS)
			buf_add_u8(b, (uint8_t)('a' + next_rand() % 26));
		if (col < BENCH_TEXT_COLS)
			col++;
	}
	if (colour)
		buf_add(b, "\033[0m", 4);
	buf_add(b, "\r\n", 2);
}

/* One line of double-width characters, BENCH_TEXT_COLS wide: CJK
 * ideographs, with every EMOJI_EVERY-th an emoji (0: none). */
static void gen_wide_line(struct buf *b, unsigned emoji_every)
{
	for (unsigned i = 0; i < BENCH_TEXT_COLS / 2; i++) {
		if (emoji_every && i % emoji_every == emoji_every - 1)
			add_utf8(b, 0x1f600 + next_rand() % 0x40);
		else
			add_utf8(b, 0x4e00 + next_rand() % 0x5000);
	}
	buf_add(b, "\r\n", 2);
}

/* A full-screen application redrawing: cursor positioning, 256-colour
 * and true-colour SGR, attributes, erase to end of line, short text. */
static void gen_csi_update(struct buf *b)
{
	unsigned row = 1 + next_rand() % BENCH_ROWS, col = 1 + next_rand() % (BENCH_COLS - 10);

	buf_add_printf(b, "\033[%u;%uH", row, col);
	switch (next_rand() % 4) {
	case 0:
		buf_add_printf(b, "\033[38;5;%u;48;5;%um", next_rand() % 256, next_rand() % 256);
		break;
	case 1:
		buf_add_printf(b, "\033[38;2;%u;%u;%um", next_rand() % 256, next_rand() % 256,
			       next_rand() % 256);
		break;
	case 2:
		buf_add_printf(b, "\033[1;%um", 31 + next_rand() % 7);
		break;
	default:
		buf_add(b, "\033[0;7m", 6);
		break;
	}
	unsigned len = 2 + next_rand() % 7;
	for (unsigned i = 0; i < len; i++)
		buf_add_u8(b, (uint8_t)('!' + next_rand() % 94));
	if (next_rand() % 8 == 0)
		buf_add(b, "\033[K", 3);
	buf_add(b, "\033[m", 3);
}

enum payload { PAYLOAD_PLAIN, PAYLOAD_COLOUR, PAYLOAD_CJK, PAYLOAD_CSI, PAYLOAD_CJK_EMOJI };

static const char *payload_names[] = { "plain", "colour", "cjk", "csi", "cjk-emoji" };

/* History payloads are LINES lines; throughput payloads about BYTES bytes. */
static void gen_payload(struct buf *b, enum payload kind, unsigned lines, size_t bytes)
{
	rng = 0x2545f491u + (uint32_t)kind;
	buf_reset(b);
	switch (kind) {
	case PAYLOAD_PLAIN:
	case PAYLOAD_COLOUR:
		for (unsigned i = 0; i < lines || (lines == 0 && b->len < bytes); i++)
			gen_words_line(b, kind == PAYLOAD_COLOUR);
		break;
	case PAYLOAD_CJK:
	case PAYLOAD_CJK_EMOJI:
		for (unsigned i = 0; i < lines || (lines == 0 && b->len < bytes); i++)
			gen_wide_line(b, kind == PAYLOAD_CJK_EMOJI ? 4 : 0);
		break;
	case PAYLOAD_CSI:
		while (b->len < bytes)
			gen_csi_update(b);
		break;
	}
}

static void feed(struct vt *vt, const struct buf *b)
{
	for (size_t off = 0; off < b->len; off += BENCH_CHUNK) {
		size_t n = b->len - off < BENCH_CHUNK ? b->len - off : BENCH_CHUNK;
		struct screen *s;

		vt_input(vt, b->data + off, n);
		/* The owner drains replies after every read. */
		s = vt_screen(vt);
		buf_reset(&s->replies);
		buf_reset(&s->clipboard);
	}
}

static double throughput(enum payload kind, const char *label, double target)
{
	struct buf b;
	uint64_t bytes = 0, elapsed;

	buf_init(&b);
	gen_payload(&b, kind, 0, BENCH_THROUGHPUT_BYTES);
	struct vt *vt = vt_create(BENCH_COLS, BENCH_ROWS, HISTORY_DEFAULT_LIMIT);
	feed(vt, &b); /* warm up: history allocated, caches filled */
	uint64_t start = time_now_ns();
	do {
		feed(vt, &b);
		bytes += b.len;
		elapsed = time_now_ns() - start;
	} while (elapsed < BENCH_MIN_NS);
	double mibs = (double)bytes / (1024.0 * 1024.0) / ((double)elapsed / 1e9);
	printf("throughput %-10s %8.1f MiB/s   target >= %5.0f   %s\n", label, mibs, target,
	       mibs >= target ? "ok" : "BELOW TARGET");
	printf("@throughput_%s %.1f\n", payload_names[kind], mibs);
	vt_free(vt);
	buf_free(&b);
	return mibs;
}

/* VmRSS of this process in bytes, or 0. */
static size_t rss_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t kb = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "VmRSS: %zu kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb * 1024;
}

/* In a child process, so each payload starts from a fresh heap and RSS
 * growth is this payload's alone. */
static void history_child(enum payload kind)
{
	struct buf b;

	/* A fixed mmap threshold: the payload's big buffers are then mapped
	 * and unmapped, instead of raising the threshold and leaving freed
	 * megabytes in the heap for the history to reuse unseen by RSS. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	buf_init(&b);
	gen_payload(&b, kind, BENCH_HISTORY_LINES, 0);
	struct vt *vt = vt_create(BENCH_COLS, BENCH_ROWS, BENCH_HISTORY_LIMIT);
	size_t rss0 = rss_bytes();
	uint64_t t0 = time_now_ns();
	feed(vt, &b);
	uint64_t t1 = time_now_ns();
	size_t rss1 = rss_bytes();
	const struct screen *s = vt_screen(vt);
	unsigned lines = history_size(s->history);
	size_t bytes = history_bytes(s->history);
	double per_line = lines ? (double)bytes / lines : 0;
	double rss_line = lines ? (double)(rss1 > rss0 ? rss1 - rss0 : 0) / lines : 0;

	printf("history %-8s %6u lines  %7.1f B/line (history_bytes)  %7.1f B/line (RSS)"
	       "  %5.0f ms",
	       payload_names[kind], lines, per_line, rss_line, (double)(t1 - t0) / 1e6);
	if (kind == PAYLOAD_PLAIN)
		printf("   target <= %.0f   %s\n", TARGET_PLAIN_LINE,
		       lines > 0 && RMUX_MAX(per_line, rss_line) <= TARGET_PLAIN_LINE ? "ok" : "ABOVE TARGET");
	else
		printf("   target <= 1/4 of tmux\n");
	printf("@history_bytes_%s %.1f\n@history_rss_%s %.1f\n@history_lines_%s %u\n",
	       payload_names[kind], per_line, payload_names[kind], rss_line,
	       payload_names[kind], lines);
	vt_free(vt);
	buf_free(&b);
}

static int history(void)
{
	static const enum payload kinds[] = { PAYLOAD_PLAIN, PAYLOAD_COLOUR, PAYLOAD_CJK };
	int rc = 0;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			history_child(kinds[i]);
			fflush(stdout);
			_exit(0);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "term_bench: history %s failed\n", payload_names[kinds[i]]);
			rc = 1;
		}
	}
	return rc;
}

static int write_payload(const char *name, const char *path)
{
	struct buf b;
	enum payload kind;

	if (strcmp(name, "plain") == 0)
		kind = PAYLOAD_PLAIN;
	else if (strcmp(name, "colour") == 0)
		kind = PAYLOAD_COLOUR;
	else if (strcmp(name, "cjk") == 0)
		kind = PAYLOAD_CJK;
	else
		return 2;
	buf_init(&b);
	gen_payload(&b, kind, BENCH_HISTORY_LINES, 0);
	FILE *f = fopen(path, "wb");
	int rc = f != NULL && fwrite(b.data, 1, b.len, f) == b.len ? 0 : 1;
	if (f != NULL && fclose(f) != 0)
		rc = 1;
	if (rc)
		perror(path);
	buf_free(&b);
	return rc;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	int rc = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(what, "payload") == 0) {
		if (argc != 4) {
			fprintf(stderr, "usage: term_bench payload plain|colour|cjk FILE\n");
			return 2;
		}
		return write_payload(argv[2], argv[3]);
	}
	/* History first: its children must not inherit a heap full of the
	 * throughput runs' freed memory. */
	if (strcmp(what, "all") == 0 || strcmp(what, "history") == 0) {
		printf("history memory, %u lines of %u columns, history-limit %u\n",
		       BENCH_HISTORY_LINES, BENCH_TEXT_COLS, BENCH_HISTORY_LIMIT);
		rc |= history();
	}
	if (strcmp(what, "all") == 0 || strcmp(what, "throughput") == 0) {
		printf("emulator throughput, %ux%u, %u-byte reads\n", BENCH_COLS, BENCH_ROWS,
		       BENCH_CHUNK);
		throughput(PAYLOAD_PLAIN, "ascii", TARGET_ASCII);
		throughput(PAYLOAD_CSI, "csi-heavy", TARGET_CSI);
		throughput(PAYLOAD_CJK_EMOJI, "cjk+emoji", TARGET_CJK);
	}
	return rc;
}
