/* vtreplay.c — feeds a recorded output stream into the rmux emulator and
 * prints the pane as `tmux capture-pane -p -S - -E -` would: the tool
 * behind the differential test against tmux (tests/vt/streams).
 *
 *   vtreplay [-x COLS] [-y ROWS] [-l HISTLIMIT] [-c CUT,CUT,...]
 *            [-S START] [-E END] [-e] [-J] [-N] STREAM
 *
 * -c splits the stream into pieces at the given byte offsets, so a
 * sequence cut between two vt_input() calls is exercised; -S/-E take
 * tmux's line numbers or "-". */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "term/capture.h"
#include "term/history.h"
#include "term/vt.h"

#define VTREPLAY_MAX_CUTS 1024

static void usage(void)
{
	fprintf(stderr, "usage: vtreplay [-x COLS] [-y ROWS] [-l HISTLIMIT] [-c CUT,...] "
			"[-S START] [-E END] [-e] [-J] [-N] STREAM\n");
	exit(2);
}

static long number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "vtreplay: bad number: %s\n", s);
		exit(2);
	}
	return v;
}

static long line_number(const char *s, long dash)
{
	if (strcmp(s, "-") == 0)
		return dash;
	return number(s, INT_MIN, INT_MAX);
}

static int compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static size_t parse_cuts(char *arg, size_t *cuts)
{
	size_t n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(arg, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == VTREPLAY_MAX_CUTS) {
			fprintf(stderr, "vtreplay: too many cuts\n");
			exit(2);
		}
		cuts[n++] = (size_t)number(tok, 0, LONG_MAX);
	}
	qsort(cuts, n, sizeof *cuts, compare_size);
	return n;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0, got;

	if (f == NULL) {
		fprintf(stderr, "vtreplay: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	*len = 0;
	for (;;) {
		if (cap - *len < 65536) {
			cap = cap ? cap * 2 : 65536;
			data = xrealloc(data, cap);
		}
		got = fread(data + *len, 1, cap - *len, f);
		*len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "vtreplay: %s: read error\n", path);
		exit(1);
	}
	fclose(f);
	return data;
}

int main(int argc, char **argv)
{
	static size_t cuts[VTREPLAY_MAX_CUTS];
	unsigned cols = 80, rows = 24, limit = HISTORY_DEFAULT_LIMIT, flags = 0;
	long start = CAPTURE_FROM_START, end = CAPTURE_TO_END;
	size_t ncuts = 0, len, at, i, outlen;
	struct screen *s;
	struct vt *vt;
	char *data, *out;
	int ch;

	while ((ch = getopt(argc, argv, "x:y:l:c:S:E:eJN")) != -1) {
		switch (ch) {
		case 'x':
			cols = (unsigned)number(optarg, 1, 10000);
			break;
		case 'y':
			rows = (unsigned)number(optarg, 1, 10000);
			break;
		case 'l':
			limit = (unsigned)number(optarg, 0, 10000000);
			break;
		case 'c':
			ncuts = parse_cuts(optarg, cuts);
			break;
		case 'S':
			start = line_number(optarg, CAPTURE_FROM_START);
			break;
		case 'E':
			end = line_number(optarg, CAPTURE_TO_END);
			break;
		case 'e':
			flags |= CAPTURE_ESCAPES;
			break;
		case 'J':
			flags |= CAPTURE_JOIN;
			break;
		case 'N':
			flags |= CAPTURE_TRAILING;
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc)
		usage();

	data = read_file(argv[optind], &len);
	vt = vt_create(cols, rows, limit);
	at = 0;
	for (i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : len;

		if (to > len)
			to = len;
		if (to > at) {
			vt_input(vt, data + at, to - at);
			at = to;
		}
		/* Nobody reads the replies: keep them from piling up. */
		buf_reset(&vt_screen(vt)->replies);
		buf_reset(&vt_screen(vt)->clipboard);
	}

	s = vt_screen(vt);
	out = capture_screen(s, start, end, flags, &outlen);
	if (fwrite(out, 1, outlen, stdout) != outlen || fflush(stdout) != 0) {
		fprintf(stderr, "vtreplay: write error\n");
		return 1;
	}
	free(out);
	vt_free(vt);
	free(data);
	return 0;
}
