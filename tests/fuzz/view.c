/* view.c — fuzz harness for view_apply() (net/view.h), the decoder of the
 * server-to-client state: what a client does with diffs from a buggy or
 * hostile server. The input is a list of diffs, each a big-endian u16
 * length and the bytes, applied in turn to one view. Checked after each:
 * a refused diff leaves the view exactly as it was; an accepted one gives
 * a view within the limits (client area, panes inside it, rows as wide as
 * their pane, wide characters whole, text valid UTF-8), and the view
 * survives the encoder: the diff from the previous view, and the diff
 * from an empty one, applied to copies of those, give an equal view. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/view.h"
#include "term/cell.h"

static void check_row(const struct view_row *r, unsigned cols)
{
	char text[CLUSTER_MAX_BYTES];

	FUZZ_CHECK(r != NULL);
	FUZZ_CHECK(view_row_cols(r) == cols);
	for (unsigned x = 0; x < cols; x++) {
		const struct cell *c = view_row_cell(r, x);
		uint16_t attr = c->attr;
		size_t n = view_row_text(r, x, text);
		FUZZ_CHECK(n <= CLUSTER_MAX_BYTES && fuzz_utf8_valid(text, n));
		if (attr & CELL_WIDE) {
			if (x + 1 >= cols || !(view_row_cell(r, x + 1)->attr & CELL_WIDE_TAIL)) {
				fprintf(stderr, "fuzz: wide cell at %u of %u without its tail\n", x, cols);
				FUZZ_CHECK(0);
			}
		}
		if (attr & CELL_WIDE_TAIL) {
			if (x == 0 || !(view_row_cell(r, x - 1)->attr & CELL_WIDE)) {
				fprintf(stderr, "fuzz: wide tail at %u of %u without its head\n", x, cols);
				FUZZ_CHECK(0);
			}
		}
	}
}

/* Names may reach the client's terminal (titles, lists): valid UTF-8
 * without C0 or C1 controls, as the cells' text. */
static void check_string(const char *s)
{
	FUZZ_CHECK(s != NULL && strlen(s) <= VIEW_NAME_MAX);
	if (!fuzz_utf8_valid(s, strlen(s))) {
		fprintf(stderr, "fuzz: a name of the view is not UTF-8\n");
		FUZZ_CHECK(0);
	}
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(stderr, "fuzz: a name of the view holds a C1 control\n");
			FUZZ_CHECK(0);
		}
	}
}

static void check_view(const struct view *v)
{
	FUZZ_CHECK(v->cols >= 1 && v->rows >= 1 && v->cols <= VIEW_COLS_MAX && v->rows <= VIEW_ROWS_MAX);
	FUZZ_CHECK((uint64_t)v->cols * v->rows <= VIEW_AREA_MAX);
	FUZZ_CHECK(v->npanes <= VIEW_PANES_MAX && v->nwindows <= VIEW_WINDOWS_MAX);
	FUZZ_CHECK(v->nstatus <= VIEW_STATUS_MAX);
	uint64_t area = 0;
	for (size_t i = 0; i < v->npanes; i++) {
		const struct view_pane *p = &v->pane[i];
		FUZZ_CHECK(p->cols >= 1 && p->rows >= 1);
		FUZZ_CHECK(p->x < v->cols && p->y < v->rows);
		FUZZ_CHECK(p->cols <= v->cols - p->x && p->rows <= v->rows - p->y);
		FUZZ_CHECK(p->cursor_shape <= VIEW_CURSOR_SHAPE_MAX);
		FUZZ_CHECK((p->flags & ~VIEW_PANE_FLAGS) == 0 && (p->modes & ~VIEW_PANE_MODES) == 0);
		check_string(p->title);
		area += (uint64_t)p->cols * p->rows;
		for (unsigned y = 0; y < p->rows; y++)
			check_row(p->line[y], p->cols);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(v->pane[j].id != p->id);
	}
	FUZZ_CHECK(area <= (uint64_t)v->cols * v->rows);
	for (unsigned i = 0; i < v->nstatus; i++)
		check_row(v->status[i], v->cols);
	if (v->message != NULL) {
		FUZZ_CHECK(view_row_cols(v->message) <= v->cols);
		check_row(v->message, view_row_cols(v->message));
		FUZZ_CHECK(v->message_cx >= -1);
	}
	for (size_t i = 0; i < v->nwindows; i++) {
		check_string(v->window[i].name);
		FUZZ_CHECK((v->window[i].flags & ~VIEW_WINDOW_FLAGS) == 0);
	}
	if (v->session != NULL)
		check_string(v->session);
	if (v->key_table != NULL)
		check_string(v->key_table);
	FUZZ_CHECK(strlen(v->clip_target) <= VIEW_CLIP_TARGET_MAX);
	FUZZ_CHECK(v->cliplen <= VIEW_CLIP_MAX);
}

/* The diff from FROM to TO, applied to a copy of FROM, gives TO. */
static void check_encoding(const struct view *from, const struct view *to)
{
	struct buf b;
	struct view *c = view_copy(from);

	buf_init(&b);
	view_diff(from, to, &b);
	FUZZ_CHECK((b.len == 0) == (view_equal(from, to) != 0));
	int err = view_apply(c, b.data, b.len);
	if (err != 0) {
		fprintf(stderr, "fuzz: own diff of %zu bytes refused: %d\n", b.len, err);
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(view_equal(c, to));
	view_free(c);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct view *v = view_create(), *empty = view_create();

	check_view(v);
	while (in.left > 0) {
		size_t len;
		const uint8_t *diff = fuzz_bytes(&in, fuzz_u16(&in), &len);
		struct view *before = view_copy(v);
		int err = view_apply(v, diff, len);
		if (err != 0) {
			FUZZ_CHECK(err < 0 && err >= RMUX_ERR_RANGE);
			FUZZ_CHECK(view_equal(v, before));
		} else {
			check_view(v);
			check_encoding(before, v);
			check_encoding(empty, v);
		}
		view_free(before);
	}
	view_free(v);
	view_free(empty);
	return 0;
}
