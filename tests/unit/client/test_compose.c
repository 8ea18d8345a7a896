/* test_compose.c — views composed into frames, checked against what tmux
 * 3.3a draws for the same layouts: the border cells, their characters and
 * which of them are in the active border colour. The tables below were
 * recorded by running tmux 3.3a (-f /dev/null, status-left and
 * status-right empty) inside an outer tmux pane of 80x24 and capturing the
 * outer pane with and without -e: '.' marks a cell inside a pane, 'G' a
 * cell drawn green; each table is written as runs of equal rows. Also: status and message rows, cursors, zoom, wide and
 * combined characters, clipping to a smaller terminal, the status bar and
 * the bootstrap line parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/attach.h"
#include "client/bootstrap.h"
#include "client/compose.h"
#include "client/notify.h"
#include "common/util.h"
#include "term/utf8.h"

#define W 80
#define H 23 /* window rows; row 23 is the status line */

struct tmux_pane {
	uint32_t id;
	unsigned x, y, cols, rows;
};

#define TMUX_RUNS_MAX 4

/* COUNT consecutive window rows equal to ROW; a table ends at count 0. */
struct tmux_run {
	unsigned count;
	const char *row;
};

struct tmux_case {
	const char *name;
	size_t npanes;
	uint32_t active;
	int zoomed;
	struct tmux_pane pane[4];
	struct tmux_run text[TMUX_RUNS_MAX];
	struct tmux_run green[TMUX_RUNS_MAX];
};

/* h_right */
static const struct tmux_case case_h_right = {
	"h_right", 2, 1, 0,
	{ { 0, 0, 0, 40, 23 }, { 1, 41, 0, 39, 23 } },
	{
		{ 23, "........................................│......................................." },
	},
	{
		{ 12, "................................................................................" },
		{ 11, "........................................G......................................." },
	},
};

/* h_left */
static const struct tmux_case case_h_left = {
	"h_left", 2, 0, 0,
	{ { 0, 0, 0, 40, 23 }, { 1, 41, 0, 39, 23 } },
	{
		{ 23, "........................................│......................................." },
	},
	{
		{ 12, "........................................G......................................." },
		{ 11, "................................................................................" },
	},
};

/* v_bottom */
static const struct tmux_case case_v_bottom = {
	"v_bottom", 2, 1, 0,
	{ { 0, 0, 0, 80, 11 }, { 1, 0, 12, 80, 11 } },
	{
		{ 11, "................................................................................" },
		{  1, "────────────────────────────────────────────────────────────────────────────────" },
		{ 11, "................................................................................" },
	},
	{
		{ 11, "................................................................................" },
		{  1, ".........................................GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG" },
		{ 11, "................................................................................" },
	},
};

/* v_top */
static const struct tmux_case case_v_top = {
	"v_top", 2, 0, 0,
	{ { 0, 0, 0, 80, 11 }, { 1, 0, 12, 80, 11 } },
	{
		{ 11, "................................................................................" },
		{  1, "────────────────────────────────────────────────────────────────────────────────" },
		{ 11, "................................................................................" },
	},
	{
		{ 11, "................................................................................" },
		{  1, "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG......................................." },
		{ 11, "................................................................................" },
	},
};

/* three_left */
static const struct tmux_case case_three_left = {
	"three_left", 3, 0, 0,
	{ { 0, 0, 0, 40, 23 }, { 1, 41, 0, 39, 11 }, { 2, 41, 12, 39, 11 } },
	{
		{ 11, "........................................│......................................." },
		{  1, "........................................├───────────────────────────────────────" },
		{ 11, "........................................│......................................." },
	},
	{
		{ 23, "........................................G......................................." },
	},
};

/* three_top_right */
static const struct tmux_case case_three_top_right = {
	"three_top_right", 3, 1, 0,
	{ { 0, 0, 0, 40, 23 }, { 1, 41, 0, 39, 11 }, { 2, 41, 12, 39, 11 } },
	{
		{ 11, "........................................│......................................." },
		{  1, "........................................├───────────────────────────────────────" },
		{ 11, "........................................│......................................." },
	},
	{
		{ 11, "........................................G......................................." },
		{  1, "........................................GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG" },
		{ 11, "................................................................................" },
	},
};

/* tiled_1 */
static const struct tmux_case case_tiled_1 = {
	"tiled_1", 4, 3, 0,
	{ { 0, 0, 0, 39, 11 }, { 3, 40, 0, 40, 11 }, { 1, 0, 12, 39, 11 }, { 2, 40, 12, 40, 11 } },
	{
		{ 11, ".......................................│........................................" },
		{  1, "───────────────────────────────────────┼────────────────────────────────────────" },
		{ 11, ".......................................│........................................" },
	},
	{
		{ 11, ".......................................G........................................" },
		{  1, ".......................................GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG" },
		{ 11, "................................................................................" },
	},
};

/* main_h_2 */
static const struct tmux_case case_main_h_2 = {
	"main_h_2", 4, 2, 0,
	{ { 0, 0, 0, 80, 21 }, { 1, 0, 22, 26, 1 }, { 2, 27, 22, 26, 1 }, { 3, 54, 22, 26, 1 } },
	{
		{ 21, "................................................................................" },
		{  1, "──────────────────────────┬──────────────────────────┬──────────────────────────" },
		{  1, "..........................│..........................│.........................." },
	},
	{
		{ 21, "................................................................................" },
		{  1, "..........................GGGGGGGGGGGGGGGGGGGGGGGGGGGG.........................." },
		{  1, "..........................G..........................G.........................." },
	},
};

/* zoom */
static const struct tmux_case case_zoom = {
	"zoom", 1, 1, 1,
	{ { 1, 0, 0, 80, 23 } },
	{
		{ 23, "................................................................................" },
	},
	{
		{ 23, "................................................................................" },
	},
};

static const struct tmux_case *const cases[] = {
	&case_h_right, &case_h_left, &case_v_bottom, &case_v_top, &case_three_left,
	&case_three_top_right, &case_tiled_1, &case_main_h_2, &case_zoom,
};

/* A row of COLS cells showing TEXT (ASCII) in colour FG on BG. */
static struct view_row *text_row(unsigned cols, const char *text, uint32_t fg, uint32_t bg)
{
	struct view_row *r = view_row_create(cols);
	size_t len = strlen(text);

	for (unsigned x = 0; x < cols; x++) {
		struct cell c = { x < len ? (uint32_t)(unsigned char)text[x] : ' ', fg, bg, 0, 0 };

		view_row_set(r, x, &c, NULL, 0);
	}
	return r;
}

/* The view of a case: its layout, each pane's rows filled with the
 * pane's id digit so that pane cells can be told from the rest. */
static struct view *case_view(const struct tmux_case *tc)
{
	struct view *v = view_create();
	struct view_layout_pane lp[4];

	for (size_t i = 0; i < tc->npanes; i++) {
		lp[i].id = tc->pane[i].id;
		lp[i].x = tc->pane[i].x;
		lp[i].y = tc->pane[i].y;
		lp[i].cols = tc->pane[i].cols;
		lp[i].rows = tc->pane[i].rows;
	}
	view_set_layout(v, W, H + 1, tc->zoomed ? VIEW_ZOOMED : 0, tc->active, lp, tc->npanes, 1);
	for (size_t i = 0; i < tc->npanes; i++) {
		struct view_pane *p = view_find_pane(v, tc->pane[i].id);
		char fill[2] = { (char)('0' + p->id % 10), 0 };

		for (unsigned y = 0; y < p->rows; y++) {
			struct view_row *r = view_row_create(p->cols);

			for (unsigned x = 0; x < p->cols; x++) {
				struct cell c = { (uint32_t)(unsigned char)fill[0], COLOUR_DEFAULT,
					COLOUR_DEFAULT, 0, 0 };

				view_row_set(r, x, &c, NULL, 0);
			}
			view_set_pane_row(v, p, y, r);
		}
	}
	view_set_status(v, 0, text_row(W, "[0] 0:sh*", COLOUR_PALETTE | 0, COLOUR_PALETTE | 2));
	return v;
}

/* Unfold a table of runs into its H rows; the runs must cover them all. */
static void case_rows(const struct tmux_case *tc, const struct tmux_run *runs, const char **rows)
{
	unsigned y = 0;

	for (size_t i = 0; i < TMUX_RUNS_MAX && runs[i].count > 0; i++) {
		for (unsigned n = 0; n < runs[i].count; n++) {
			if (y == H)
				fail_msg("%s: table has more than %u rows", tc->name, H);
			rows[y++] = runs[i].row;
		}
	}
	if (y != H)
		fail_msg("%s: table has %u rows, want %u", tc->name, y, H);
}

static void check_case(const struct tmux_case *tc)
{
	const char *text[H], *green[H];
	struct view *v;
	struct display_frame *f;

	case_rows(tc, tc->text, text);
	case_rows(tc, tc->green, green);
	v = case_view(tc);
	f = display_frame_create(W, H + 1);
	compose_view(v, f);
	for (unsigned y = 0; y < H; y++) {
		const uint8_t *p = (const uint8_t *)text[y];
		size_t left = strlen(text[y]);

		for (unsigned x = 0; x < W; x++) {
			const struct cell *c = &f->cells[y * W + x];
			uint32_t want;
			size_t n = utf8_decode(p, left, &want);

			assert_true(n > 0);
			p += n;
			left -= n;
			if (want == '.') {
				/* Pane cells show the pane. */
				assert_true(c->ch >= '0' && c->ch <= '9');
				continue;
			}
			if (c->ch != want || (green[y][x] == 'G') !=
			    (c->fg == COMPOSE_ACTIVE_BORDER_FG)) {
				fail_msg("%s: cell %u,%u is U+%04X fg %08x, tmux shows U+%04X%s", tc->name,
				    x, y, c->ch, c->fg, want, green[y][x] == 'G' ? " green" : "");
			}
			if (c->fg != COMPOSE_ACTIVE_BORDER_FG)
				assert_int_equal(c->fg, COMPOSE_BORDER_FG);
		}
	}
	/* The status line is the last row, as the view has it. */
	assert_int_equal(f->cells[H * W + 0].ch, '[');
	assert_int_equal(f->cells[H * W + 4].ch, '0');
	assert_int_equal(f->cells[H * W + 79].bg, COLOUR_PALETTE | 2);
	display_frame_free(f);
	view_free(v);
}

static void test_borders_as_tmux(void **state)
{
	for (size_t i = 0; i < RMUX_NITEMS(cases); i++)
		check_case(cases[i]);
}

/* The cursor is the active pane's, at its offset; hidden when the pane
 * hides it; a prompt on the message line takes it. */
static void test_cursor_and_message(void **state)
{
	struct view *v = case_view(&case_three_top_right);
	struct display_frame *f = display_frame_create(W, H + 1);
	struct view_pane *p = view_find_pane(v, case_three_top_right.active);

	view_set_pane_cursor(v, p, 5, 3, 2);
	view_set_pane_state(v, p, VIEW_PANE_CURSOR_VISIBLE, 0, "vim file.c");
	compose_view(v, f);
	assert_true(f->cursor_visible);
	assert_int_equal(f->cx, p->x + 5);
	assert_int_equal(f->cy, p->y + 3);
	assert_int_equal(f->cursor_style, 2);
	assert_string_equal(f->title, "vim file.c");

	view_set_pane_state(v, p, 0, 0, "");
	view_set_session(v, "work");
	compose_view(v, f);
	assert_false(f->cursor_visible);
	assert_string_equal(f->title, "work");

	/* A prompt: the message row replaces the status line, its style fills
	 * the line, the cursor is on the prompt. */
	view_set_message(v, text_row(10, ":split-wi", COLOUR_PALETTE | 0, COLOUR_PALETTE | 3), 9);
	compose_view(v, f);
	assert_int_equal(compose_message_row(v), H);
	assert_int_equal(f->cells[H * W + 0].ch, ':');
	assert_int_equal(f->cells[H * W + 8].ch, 'i');
	assert_int_equal(f->cells[H * W + 60].ch, ' ');
	assert_int_equal(f->cells[H * W + 60].bg, COLOUR_PALETTE | 3);
	assert_true(f->cursor_visible);
	assert_int_equal(f->cx, 9);
	assert_int_equal(f->cy, H);
	display_frame_free(f);
	view_free(v);
}

/* Status lines on top push the window down: borders and panes follow. */
static void test_status_top(void **state)
{
	struct view *v = view_create();
	struct display_frame *f = display_frame_create(20, 6);
	struct view_layout_pane lp[2] = { { 1, 0, 1, 10, 5 }, { 2, 11, 1, 9, 5 } };

	view_set_layout(v, 20, 6, VIEW_STATUS_TOP, 1, lp, 2, 1);
	view_set_status(v, 0, text_row(20, "status", COLOUR_DEFAULT, COLOUR_PALETTE | 2));
	compose_view(v, f);
	assert_int_equal(f->cells[0].ch, 's');
	assert_int_equal(compose_message_row(v), 0);
	for (unsigned y = 1; y < 6; y++)
		assert_int_equal(f->cells[y * 20 + 10].ch, COMPOSE_LINE_V);
	/* Two panes side by side, the left one active: the upper half of the
	 * window's rows (window-relative 0..2) is green. */
	assert_int_equal(f->cells[1 * 20 + 10].fg, COMPOSE_ACTIVE_BORDER_FG);
	assert_int_equal(f->cells[3 * 20 + 10].fg, COMPOSE_ACTIVE_BORDER_FG);
	assert_int_equal(f->cells[4 * 20 + 10].fg, COMPOSE_BORDER_FG);
	display_frame_free(f);
	view_free(v);
}

/* Wide and combined characters keep their shape; a terminal smaller than
 * the view clips, and a wide character cut by the edge becomes a blank. */
static void test_wide_and_clip(void **state)
{
	struct view *v = view_create();
	struct display_frame *f = display_frame_create(5, 2);
	struct view_layout_pane lp = { 7, 0, 0, 6, 2 };
	struct view_row *r = view_row_create(6);
	struct cell wide = { 0x4e2d, COLOUR_DEFAULT, COLOUR_DEFAULT, CELL_WIDE, 0 };
	struct cell tail = { 0, COLOUR_DEFAULT, COLOUR_DEFAULT, CELL_WIDE_TAIL, 0 };
	struct cell comb = { 0, COLOUR_DEFAULT, COLOUR_DEFAULT, CELL_CLUSTER, 0 };
	char text[CLUSTER_MAX_BYTES];
	size_t len;

	view_row_set(r, 0, &wide, NULL, 0);
	view_row_set(r, 1, &tail, NULL, 0);
	view_row_set(r, 2, &comb, "e\xcc\x81", 3);
	view_row_set(r, 4, &wide, NULL, 0);
	view_row_set(r, 5, &tail, NULL, 0);
	view_set_layout(v, 6, 2, 0, 7, &lp, 1, 0);
	view_set_pane_row(v, view_find_pane(v, 7), 0, r);
	compose_view(v, f);
	assert_int_equal(f->cells[0].ch, 0x4e2d);
	assert_true(f->cells[0].attr & CELL_WIDE);
	assert_true(f->cells[1].attr & CELL_WIDE_TAIL);
	assert_true(f->cells[2].attr & CELL_CLUSTER);
	len = cell_utf8(&f->cells[2], f->clusters, text);
	assert_int_equal(len, 3);
	assert_memory_equal(text, "e\xcc\x81", 3);
	/* Column 4 holds a wide character whose tail is beyond the frame. */
	assert_int_equal(f->cells[4].ch, ' ');
	assert_int_equal(f->cells[4].attr & CELL_SHAPE_MASK, 0);
	display_frame_free(f);
	view_free(v);
}

/* The detach proposal and the end of a session. */
static void test_view_end(void **state)
{
	struct view *v = view_create();
	struct view_window w = { 0, VIEW_WINDOW_CURRENT, (char *)"sh" };

	assert_int_equal(attach_view_end(v, 0), ATTACH_END_NONE);
	view_set_windows(v, &w, 1);
	assert_int_equal(attach_view_end(v, 1), ATTACH_END_NONE);
	view_set_windows(v, NULL, 0);
	assert_int_equal(attach_view_end(v, 1), ATTACH_END_EXITED);
	view_free(v);
}

/* The bar: nothing before 6 s, then the seconds, refreshed each second. */
static void test_notify(void **state)
{
	char text[NOTIFY_TEXT_MAX];
	struct display_frame *f = display_frame_create(60, 3);
	uint64_t t0 = 100000;

	assert_int_equal(notify_text(t0 + 5999, t0, text, sizeof text), 0);
	assert_string_equal(text, "");
	assert_int_equal(notify_next_change(t0 + 1000, t0), t0 + NOTIFY_AFTER_MS);
	assert_int_equal(notify_text(t0 + 12400, t0, text, sizeof text), 1);
	assert_string_equal(text, "rmux: Last contact 12 seconds ago. [To quit: Ctrl-^ .]");
	assert_int_equal(notify_next_change(t0 + 12400, t0), t0 + 13000);
	assert_int_equal(notify_text(t0 + 125000, t0, text, sizeof text), 1);
	assert_string_equal(text, "rmux: Last contact 2:05 ago. [To quit: Ctrl-^ .]");

	f->cursor_visible = 1;
	f->cy = 0;
	assert_int_equal(notify_overlay(f, t0 + 7000, t0), 1);
	assert_int_equal(f->cells[0].ch, 'r');
	assert_int_equal(f->cells[0].fg, COLOUR_PALETTE | 7);
	assert_int_equal(f->cells[0].bg, COLOUR_PALETTE | 4);
	assert_true(f->cells[0].attr & ATTR_BOLD);
	assert_int_equal(f->cells[59].bg, COLOUR_PALETTE | 4);
	assert_int_equal(f->cells[60].bg, COLOUR_DEFAULT);
	assert_false(f->cursor_visible);
	assert_int_equal(notify_overlay(f, t0 + 100, t0), 0);
	display_frame_free(f);
}

static void test_bootstrap_parse(void **state)
{
	struct bootstrap_reply r;
	uint8_t key[CRYPTO_KEY_LEN];
	char enc[CRYPTO_KEY_TEXT_SIZE], line[128];

	for (unsigned i = 0; i < CRYPTO_KEY_LEN; i++)
		key[i] = (uint8_t)(i * 17 + 3);
	crypto_key_encode(key, enc);
	snprintf(line, sizeof line, "Welcome!\nRMUX CONNECT 60001 %s\r\n", enc);
	memset(&r, 0, sizeof r);
	assert_int_equal(bootstrap_parse(line, strlen(line), &r), 0);
	assert_int_equal(r.port, 60001);
	assert_memory_equal(r.key, key, CRYPTO_KEY_LEN);

	snprintf(line, sizeof line, "RMUX CONNECT 70000 %s\n", enc);
	assert_int_not_equal(bootstrap_parse(line, strlen(line), &r), 0);
	snprintf(line, sizeof line, "RMUX CONNECT 0 %s\n", enc);
	assert_int_not_equal(bootstrap_parse(line, strlen(line), &r), 0);
	snprintf(line, sizeof line, "RMUX CONNECT 6000 %.21s\n", enc);
	assert_int_not_equal(bootstrap_parse(line, strlen(line), &r), 0);
	snprintf(line, sizeof line, "RMUX CONNECT 6000  %s\n", enc);
	assert_int_not_equal(bootstrap_parse(line, strlen(line), &r), 0);
	assert_int_not_equal(bootstrap_parse("", 0, &r), 0);
}

static void test_bootstrap_argv(void **state)
{
	size_t n;
	char **w = bootstrap_split("ssh -F 'my config' -o \"Port=22\" a\\ b", &n);
	char **argv;

	assert_non_null(w);
	assert_int_equal(n, 6);
	assert_string_equal(w[2], "my config");
	assert_string_equal(w[4], "Port=22");
	assert_string_equal(w[5], "a b");
	assert_null(w[6]);
	bootstrap_argv_free(w);
	assert_null(bootstrap_split("ssh 'open", &n));
	assert_null(bootstrap_split("   ", &n));

	argv = bootstrap_ssh_argv("ssh -F cfg", "me@host", "/opt/rmux", "my work", 60005);
	assert_non_null(argv);
	{
		const char *want[] = { "ssh", "-F", "cfg", "-o", "SendEnv=LANG LC_ALL", "me@host", "--",
			"/opt/rmux", "bootstrap",
			"-t", "'my work'", "--port", "60005" };

		for (size_t i = 0; i < RMUX_NITEMS(want); i++)
			assert_string_equal(argv[i], want[i]);
		assert_null(argv[RMUX_NITEMS(want)]);
	}
	bootstrap_argv_free(argv);
	{
		char *h = bootstrap_host_name("me@example.org");

		assert_string_equal(h, "example.org");
		free(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_borders_as_tmux),
		cmocka_unit_test(test_cursor_and_message),
		cmocka_unit_test(test_status_top),
		cmocka_unit_test(test_wide_and_clip),
		cmocka_unit_test(test_view_end),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_bootstrap_parse),
		cmocka_unit_test(test_bootstrap_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
