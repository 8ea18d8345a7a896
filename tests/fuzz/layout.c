/* layout.c — fuzz harness for #{window_layout} strings (select-layout with
 * a layout string, server/layout.h). Input: pane count (byte 0, 1-8), the
 * window size (bytes 1-2), a flags byte (bit 0: prefix the right checksum
 * so the fuzzer gets past it; bit 1: resize the window after applying),
 * then the layout up to a NUL, then the resize. Checked after every
 * successful apply: the pane count is unchanged; every pane is at least
 * one cell, inside the window and overlaps no other; the window is no
 * bigger than a daemon could allocate; the dumped string applies to a
 * window with the same panes and gives the same rectangles. */
#include "fuzz.h"
#include "server/layout.h"

/* Largest window side the harness accepts as sane (tmux's limit). */
#define FUZZ_WINDOW_MAX 10000u

/* #{window_layout}'s checksum: a 16-bit rotate-and-add over the text. */
static unsigned checksum(const char *s)
{
	unsigned c = 0;

	for (; *s != '\0'; s++) {
		c = (c >> 1) + ((c & 1) << 15);
		c += (unsigned char)*s;
		c &= 0xffff;
	}
	return c;
}

static struct layout *build(unsigned sx, unsigned sy, unsigned panes, uint8_t seed)
{
	struct layout *l = layout_create(sx, sy, 0);

	for (unsigned i = 1; i < panes; i++) {
		int at = layout_pane_at(l, (size_t)(seed + i) % layout_count(l));
		layout_split(l, at, (int)((seed >> (i % 8)) & 1), -1, 0, (int)i);
	}
	return l;
}

static void check_geometry(const struct layout *l)
{
	unsigned wx, wy;
	size_t n = layout_count(l);
	struct layout_geom g[64];

	layout_window_size(l, &wx, &wy);
	FUZZ_CHECK(wx >= 1 && wy >= 1);
	if (wx > FUZZ_WINDOW_MAX || wy > FUZZ_WINDOW_MAX) {
		fprintf(stderr, "fuzz: window %ux%u\n", wx, wy);
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(n >= 1 && n <= 64);
	for (size_t i = 0; i < n; i++) {
		int pane = layout_pane_at(l, i);
		FUZZ_CHECK(pane >= 0 && layout_index_of(l, pane) == (int)i);
		FUZZ_CHECK(layout_geometry(l, pane, &g[i]) >= 0);
		if (g[i].sx < 1 || g[i].sy < 1 || g[i].x + g[i].sx > wx || g[i].y + g[i].sy > wy ||
		    g[i].x >= wx || g[i].y >= wy) {
			fprintf(stderr, "fuzz: pane %d at %u,%u size %ux%u in a %ux%u window\n", pane,
				g[i].x, g[i].y, g[i].sx, g[i].sy, wx, wy);
			FUZZ_CHECK(0);
		}
		for (size_t j = 0; j < i; j++) {
			int apart = g[i].x + g[i].sx <= g[j].x || g[j].x + g[j].sx <= g[i].x ||
			    g[i].y + g[i].sy <= g[j].y || g[j].y + g[j].sy <= g[i].y;
			FUZZ_CHECK(apart);
		}
	}
}

/* The dump of L applies to a window of the same panes built as L was
 * (SX x SY, asking for REQUESTED panes: a small window gets fewer), as
 * select-layout meets it. */
static void check_dump(const struct layout *l, unsigned sx, unsigned sy, unsigned requested,
    uint8_t seed)
{
	const char *cause;
	char *dump = layout_dump(l, 0);
	size_t n = layout_count(l);

	FUZZ_CHECK(dump != NULL);
	struct layout *other = build(sx, sy, requested, seed);
	FUZZ_CHECK(layout_count(other) == n);
	if (layout_apply_string(other, dump, &cause) != 0) {
		fprintf(stderr, "fuzz: own dump <%s> refused: %s\n", dump, cause);
		FUZZ_CHECK(0);
	}
	for (size_t i = 0; i < n; i++) {
		struct layout_geom a, b;
		FUZZ_CHECK(layout_geometry(l, layout_pane_at(l, i), &a) >= 0);
		FUZZ_CHECK(layout_geometry(other, layout_pane_at(other, i), &b) >= 0);
		FUZZ_CHECK(a.x == b.x && a.y == b.y && a.sx == b.sx && a.sy == b.sy);
	}
	char *again = layout_dump(other, 0);
	/* Pane ids may differ; the shape may not. */
	FUZZ_CHECK(strlen(again) > 5);
	layout_free(other);
	free(again);
	free(dump);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned requested = 1 + fuzz_u8(&in) % 8, panes;
	unsigned sx = 1 + fuzz_u8(&in), sy = 1 + fuzz_u8(&in) % 100;
	uint8_t flags = fuzz_u8(&in);
	char *body = fuzz_string(&in, '\0');
	const char *cause = NULL;

	struct layout *l = build(sx, sy, requested, flags);
	panes = (unsigned)layout_count(l);
	check_geometry(l);
	char *text = body;
	if (flags & 1) {
		size_t len = strlen(body);
		text = malloc(len + 6);
		FUZZ_CHECK(text != NULL);
		snprintf(text, len + 6, "%04x,%s", checksum(body), body);
	}
	int err = layout_apply_string(l, text, &cause);
	FUZZ_CHECK(err == 0 || err == -1);
	FUZZ_CHECK(layout_count(l) == panes);
	if (err != 0) {
		FUZZ_CHECK(cause != NULL);
	} else {
		check_geometry(l);
		check_dump(l, sx, sy, requested, flags);
		if (flags & 2) {
			unsigned nx = 16 + fuzz_u8(&in), ny = 16 + fuzz_u8(&in) % 100;
			layout_resize(l, nx, ny);
			check_geometry(l);
			check_dump(l, sx, sy, requested, flags);
		}
	}
	/* Whatever happened, the window still works. */
	char *vis = layout_dump(l, 1);
	FUZZ_CHECK(vis != NULL);
	free(vis);
	if (text != body)
		free(text);
	free(body);
	layout_free(l);
	return 0;
}
