/* test_copy_predict.c — copy-mode prediction against the daemon's own copy
 * mode (term/copy_mode.c over the pane's screen) as the simulated server:
 * a pane (term/vt) with history, views built as the daemon builds them
 * (copy-mode rows from copy_mode_render(), the history numbers, the
 * command prompt in the message line drawn by the daemon's
 * status_render_prompt(), echo_ack = the last input event applied), the
 * client's mirror filled from the pane's history, and the predicted frame
 * compared cell for cell (pane, prompt line, cursor) with the frame the
 * server's next view gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/compose.h"
#include "client/copy_predict.h"
#include "client/mirror.h"
#include "client/native_history.h"
#include "common/util.h"
#include "server/status.h"
#include "term/copy_mode.h"
#include "term/history.h"
#include "term/key_string.h"
#include "term/vt.h"

#define COLS 30
#define ROWS 10     /* the pane's */
#define VROWS 11    /* the client's: the pane and a status line */

struct sim {
	struct vt *vt;
	struct copy_mode *cm;
	int vi, mouse;
	uint64_t applied;
	uint32_t gen;
	/* The command prompt: its text, input and template's command. */
	int prompt, incremental;
	char ptext[32], pinput[64], pcmd[48];
	uint32_t msg_bg; /* message-style's background, 0: the default */
	char *copied; /* the last copy's text */
	size_t copied_len;
};

static void sim_init(struct sim *s, unsigned lines, int vi)
{
	char buf[64];

	memset(s, 0, sizeof *s);
	s->vt = vt_create(COLS, ROWS, 2000);
	s->vi = vi;
	s->gen = 3;
	for (unsigned i = 1; i <= lines; i++) {
		/* Lines of different lengths, so the cursor column matters. */
		int n = snprintf(buf, sizeof buf, "%u%.*s\r\n", i, (int)(i % 7), "-------");

		vt_input(s->vt, buf, (size_t)n);
	}
	vt_input(s->vt, "$ ", 2);
}

static void sim_free(struct sim *s)
{
	copy_mode_free(s->cm);
	vt_free(s->vt);
	free(s->copied);
}

static void sim_enter(struct sim *s, int scroll_exit)
{
	s->cm = copy_mode_create(vt_screen(s->vt), s->vi);
	copy_mode_set_scroll_exit(s->cm, scroll_exit);
}

/* The server applies input event EVENT: copy-mode command NAME, REPEAT
 * times; leaving copy mode when the command says so. */
static void sim_cmd_arg(struct sim *s, const char *name, const char *arg, unsigned repeat,
    uint64_t event)
{
	const char *argv[1] = { arg };
	int r;

	s->applied = event;
	if (s->cm == NULL)
		return;
	r = copy_mode_command(s->cm, name, arg != NULL, argv, repeat);
	assert_int_not_equal(r, COPY_MODE_UNKNOWN);
	if (r & COPY_MODE_COPIED) {
		free(s->copied);
		s->copied = copy_mode_take_copy(s->cm, &s->copied_len);
	}
	if (r & COPY_MODE_CANCEL) {
		copy_mode_free(s->cm);
		s->cm = NULL;
	}
}

static void sim_cmd(struct sim *s, const char *name, unsigned repeat, uint64_t event)
{
	sim_cmd_arg(s, name, NULL, repeat, event);
}

static struct view *sim_view(const struct sim *s)
{
	struct view *v = view_create();
	struct view_layout_pane lp = { 1, 0, 0, COLS, ROWS };
	const struct screen *scr = vt_screen(s->vt);
	struct view_pane *p;
	unsigned cx, cy;

	view_set_layout(v, COLS, VROWS, s->mouse ? VIEW_MOUSE : 0, 1, &lp, 1, 1);
	view_set_status(v, 0, view_row_create(COLS));
	p = view_find_pane(v, 1);
	if (s->prompt) {
		/* As the daemon's prompt_view(): the cursor is the cell drawn
		 * reversed. */
		struct cell line[COLS];
		int pcx = -1;

		status_render_prompt(NULL, s->ptext, s->pinput, (unsigned)strlen(s->pinput), COLS,
		    line);
		for (unsigned x = 0; x < COLS && s->msg_bg != 0; x++)
			line[x].bg = s->msg_bg;
		for (unsigned x = COLS; x-- > 0;) {
			if (line[x].attr & ATTR_REVERSE) {
				pcx = (int)x;
				break;
			}
		}
		view_set_message(v, view_row_from_cells(line, COLS, NULL), pcx);
	}
	if (s->cm != NULL) {
		struct cell cells[COLS * ROWS];

		copy_mode_render(s->cm, NULL, cells);
		for (unsigned y = 0; y < ROWS; y++)
			view_set_pane_row(v, p, y,
			    view_row_from_cells(&cells[y * COLS], COLS, copy_mode_clusters(s->cm)));
		copy_mode_cursor(s->cm, &cx, &cy);
		view_set_pane_cursor(v, p, cx < COLS ? cx : COLS - 1, cy, 0);
		view_set_pane_state(v, p, VIEW_PANE_COPY_MODE | VIEW_PANE_CURSOR_VISIBLE, 0, "");
		view_set_key_table(v, s->vi ? "copy-mode-vi" : "copy-mode");
	} else {
		for (unsigned y = 0; y < ROWS; y++)
			view_set_pane_row(v, p, y,
			    view_row_from_cells(scr->grid->row[y].cells, COLS, scr->clusters));
		view_set_pane_cursor(v, p, scr->cx, scr->cy, 0);
		view_set_pane_state(v, p, VIEW_PANE_CURSOR_VISIBLE, 0, "");
		view_set_key_table(v, "root");
	}
	view_set_pane_history(v, p, s->gen, history_total(scr->history),
	    history_size(scr->history),
	    s->cm != NULL ? copy_mode_top_line(s->cm) : history_total(scr->history));
	view_set_echo_ack(v, s->applied);
	return v;
}

/* The mirror holds the pane's history lines FROM .. TO - 1 (indexes). */
static void sim_mirror(const struct sim *s, struct mirror *m, unsigned from, unsigned to)
{
	const struct history *h = vt_screen(s->vt)->history;
	uint64_t first = history_total(h) - history_size(h);
	struct clusters *cl = clusters_create();
	struct cell cells[COLS];
	uint32_t flags;

	for (unsigned i = from; i < to && i < history_size(h); i++) {
		assert_true(history_get(h, i, cells, COLS, &flags, cl) >= 0);
		mirror_add(m, 1, s->gen, first + i, view_row_from_cells(cells, COLS, cl),
		    (flags & ROW_WRAPPED) != 0);
	}
	clusters_free(cl);
}

/* The client's side. */
struct client {
	struct copy_predict *cp;
	struct mirror *m;
	struct view *v; /* the last view received */
	uint64_t next_event;
	struct display_frame *f;
};

static void client_init(struct client *c)
{
	c->cp = copy_predict_create();
	c->m = mirror_create(MIRROR_DEFAULT_LIMIT);
	c->v = NULL;
	c->next_event = 1;
	c->f = display_frame_create(COLS, VROWS);
}

static void client_free(struct client *c)
{
	copy_predict_free(c->cp);
	mirror_free(c->m);
	view_free(c->v);
	display_frame_free(c->f);
}

static void client_receive(struct client *c, const struct sim *s)
{
	view_free(c->v);
	c->v = sim_view(s);
	copy_predict_view(c->cp, c->v, 0);
}

/* What the client shows now. */
static const struct display_frame *client_frame(struct client *c)
{
	compose_view(c->v, c->f);
	copy_predict_apply(c->cp, c->v, c->m, c->f);
	return c->f;
}

static uint64_t client_key(struct client *c, const char *name)
{
	uint64_t ev = c->next_event++;

	copy_predict_key(c->cp, c->v, c->m, key_string_lookup_string(name), ev, 0);
	return ev;
}

/* A mouse event of KIND with BUTTON at X, Y, at time NOW (ms). */
static uint64_t client_mouse(struct client *c, int kind, unsigned button, unsigned x, unsigned y,
    uint64_t now)
{
	struct input_event ev;

	memset(&ev, 0, sizeof ev);
	ev.num = c->next_event++;
	ev.type = INPUT_MOUSE;
	ev.kind = kind;
	ev.button = button;
	ev.x = x;
	ev.y = y;
	copy_predict_mouse(c->cp, c->v, c->m, &ev, ev.num, now);
	return ev.num;
}

static uint64_t client_wheel(struct client *c, unsigned button)
{
	return client_mouse(c, INPUT_MOUSE_WHEEL, button, 3, 4, 0);
}

/* The frame the server's current state gives. */
static struct display_frame *server_frame(const struct sim *s)
{
	struct display_frame *f = display_frame_create(COLS, VROWS);
	struct view *v = sim_view(s);

	compose_view(v, f);
	view_free(v);
	return f;
}

/* Row Y's characters into OUT (COLS + 1 bytes). */
static void row_text(const struct display_frame *f, unsigned y, char *out)
{
	unsigned n = RMUX_MIN(f->cols, (unsigned)COLS);

	for (unsigned x = 0; x < n; x++)
		out[x] = (char)f->cells[(size_t)y * f->cols + x].ch;
	out[n] = '\0';
}

static void assert_frames_equal(const struct display_frame *a, const struct display_frame *b,
    const char *what)
{
	char ta[COLS + 1], tb[COLS + 1];

	for (unsigned y = 0; y < VROWS; y++) {
		row_text(a, y, ta);
		row_text(b, y, tb);
		if (strcmp(ta, tb) != 0)
			fail_msg("%s: row %u is '%s', the server shows '%s'", what, y, ta, tb);
		for (unsigned x = 0; x < COLS; x++) {
			const struct cell *ca = &a->cells[y * COLS + x], *cb = &b->cells[y * COLS + x];

			if (ca->fg != cb->fg || ca->bg != cb->bg || ca->attr != cb->attr)
				fail_msg("%s: style of cell %u,%u differs", what, x, y);
		}
	}
	if (a->cx != b->cx || a->cy != b->cy)
		fail_msg("%s: cursor %u,%u, the server's %u,%u", what, a->cx, a->cy, b->cx, b->cy);
}

/* Type NAME, which the server runs as COMMAND: the predicted frame equals
 * the server's before its view arrives. */
static uint64_t step(struct sim *s, struct client *c, const char *name, const char *command,
    unsigned repeat)
{
	uint64_t ev = client_key(c, name);
	struct display_frame *want;
	char what[96];

	sim_cmd(s, command, repeat, ev);
	want = server_frame(s);
	snprintf(what, sizeof what, "%s (%s) as event %llu", name, command,
	    (unsigned long long)ev);
	assert_frames_equal(client_frame(c), want, what);
	display_frame_free(want);
	return ev;
}

/* The client's frame now is the server's. */
static void expect_same(const struct sim *s, struct client *c, const char *what)
{
	struct display_frame *want = server_frame(s);

	assert_frames_equal(client_frame(c), want, what);
	display_frame_free(want);
}

/* The server's command prompt, as the daemon's prompt.c runs it for the
 * copy-mode bindings: opened by event EV (an incremental one runs its
 * command at once, empty), a character typed, Enter. */
static void sim_prompt_open(struct sim *s, const char *text, const char *cmd, int incremental,
    uint64_t ev)
{
	s->prompt = 1;
	s->incremental = incremental;
	snprintf(s->ptext, sizeof s->ptext, "%s", text);
	snprintf(s->pcmd, sizeof s->pcmd, "%s", cmd);
	s->pinput[0] = '\0';
	s->applied = ev;
	if (incremental)
		sim_cmd_arg(s, cmd, "=", 1, ev);
}

static void sim_prompt_type(struct sim *s, char ch, uint64_t ev)
{
	size_t n = strlen(s->pinput);
	char arg[80];

	if (ch == '\b') {
		if (n > 0)
			s->pinput[n - 1] = '\0';
	} else {
		s->pinput[n] = ch;
		s->pinput[n + 1] = '\0';
	}
	s->applied = ev;
	if (s->incremental) {
		snprintf(arg, sizeof arg, "=%s", s->pinput);
		sim_cmd_arg(s, s->pcmd, arg, 1, ev);
	}
}

static void sim_prompt_enter(struct sim *s, uint64_t ev)
{
	s->prompt = 0;
	s->applied = ev;
	if (!s->incremental)
		sim_cmd_arg(s, s->pcmd, s->pinput, 1, ev);
}

/* Type each character of TEXT into the open prompt, both sides. */
static void type_text(struct sim *s, struct client *c, const char *text)
{
	char name[2] = { 0 }, what[64];

	for (; *text != '\0'; text++) {
		name[0] = *text;
		sim_prompt_type(s, *text, client_key(c, name));
		snprintf(what, sizeof what, "'%c' typed into the prompt", *text);
		expect_same(s, c, what);
	}
}

/* A client that saw the pane before copy mode and then in copy mode, with
 * the newest HELD history lines mirrored. */
static void setup_held(struct sim *s, struct client *c, unsigned lines, int vi, unsigned held)
{
	unsigned hsize;

	sim_init(s, lines, vi);
	client_init(c);
	client_receive(c, s);
	hsize = history_size(vt_screen(s->vt)->history);
	sim_mirror(s, c->m, hsize > held ? hsize - held : 0, 100000);
	sim_enter(s, 0);
	s->applied = c->next_event++;
	client_receive(c, s);
}

/* ... with the whole history mirrored. */
static void setup(struct sim *s, struct client *c, unsigned lines, int vi)
{
	setup_held(s, c, lines, vi, 100000);
}

static void test_page_up_predicts_rows_cursor_indicator(void **state)
{
	struct sim s;
	struct client c;
	char text[COLS + 1];
	uint64_t ev;

	(void)state;
	setup(&s, &c, 300, 0);
	for (int i = 0; i < 5; i++)
		step(&s, &c, "PPage", "page-up", 1);
	/* The indicator says where the server is: 5 pages of ROWS - 2. */
	row_text(client_frame(&c), 0, text);
	assert_non_null(strstr(text, "[40/"));
	assert_true(copy_predict_pending(c.cp));
	/* The history channel's want: the predicted top line. */
	assert_int_equal(copy_predict_top(c.cp, 1), copy_mode_top_line(s.cm));
	assert_int_equal(copy_predict_top(c.cp, 2), UINT64_MAX);
	/* The server's view catches up: confirmed, nothing pending, same look. */
	ev = c.next_event - 1;
	assert_int_equal(s.applied, ev);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

static void test_confirm_on_echo_ack(void **state)
{
	struct sim s;
	struct client c;
	struct display_frame *want;
	uint64_t ev1, ev2;

	(void)state;
	setup(&s, &c, 200, 1);
	ev1 = client_key(&c, "C-b");
	ev2 = client_key(&c, "C-b");
	assert_true(copy_predict_pending(c.cp));
	/* A view from before the keys (output elsewhere): still predicted. */
	client_receive(&c, &s);
	assert_true(copy_predict_pending(c.cp));
	/* The first key applied: one prediction left, the frame is the second. */
	sim_cmd(&s, "page-up", 1, ev1);
	client_receive(&c, &s);
	assert_true(copy_predict_pending(c.cp));
	sim_cmd(&s, "page-up", 1, ev2);
	want = server_frame(&s);
	assert_frames_equal(client_frame(&c), want, "second page before its view");
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	assert_frames_equal(client_frame(&c), want, "after the view");
	display_frame_free(want);
	sim_free(&s);
	client_free(&c);
}

static void test_refuted_drops_and_shows_server(void **state)
{
	struct sim s;
	struct client c;
	struct display_frame *want, *before;
	uint64_t ev;

	(void)state;
	setup(&s, &c, 200, 0);
	step(&s, &c, "PPage", "page-up", 1);
	step(&s, &c, "PPage", "page-up", 1);
	client_receive(&c, &s);
	/* The user rebound PPage to page-down: the guess is wrong. */
	ev = client_key(&c, "PPage");
	sim_cmd(&s, "page-down", 1, ev);
	client_receive(&c, &s);
	assert_int_equal(copy_predict_refuted(c.cp), 1);
	assert_false(copy_predict_pending(c.cp));
	assert_true(copy_predict_banned(c.cp, 0, key_string_lookup_string("PPage")));
	assert_false(copy_predict_banned(c.cp, 1, key_string_lookup_string("PPage")));
	want = server_frame(&s);
	assert_frames_equal(client_frame(&c), want, "the server's view after a refutation");
	display_frame_free(want);
	/* Not predicted again: the frame stays the server's until it answers. */
	before = server_frame(&s);
	ev = client_key(&c, "PPage");
	assert_false(copy_predict_pending(c.cp));
	assert_frames_equal(client_frame(&c), before, "a banned key");
	sim_cmd(&s, "page-down", 1, ev);
	client_receive(&c, &s);
	/* Other keys still are. */
	step(&s, &c, "M-v", "page-up", 1);
	display_frame_free(before);
	sim_free(&s);
	client_free(&c);
}

static void test_missing_lines_show_marker(void **state)
{
	struct sim s;
	struct client c;
	char text[COLS + 1];
	const struct display_frame *f;
	unsigned fetching = 0, shown = 0;

	(void)state;
	/* Only the newest 12 history lines are mirrored. */
	setup_held(&s, &c, 300, 0, 12);
	client_key(&c, "PPage");
	client_key(&c, "PPage");
	f = client_frame(&c);
	for (unsigned y = 0; y < ROWS; y++) {
		row_text(f, y, text);
		if (strncmp(text, COPY_PREDICT_FETCHING, strlen(COPY_PREDICT_FETCHING)) == 0) {
			fetching++;
			assert_true(f->cells[y * COLS].attr & ATTR_DIM);
		} else if (text[0] >= '0' && text[0] <= '9')
			shown++;
	}
	/* 16 lines up: 4 rows above the mirrored 12 are not held. */
	assert_int_equal(fetching, 4);
	assert_int_equal(shown, ROWS - 4);
	row_text(f, 0, text);
	assert_non_null(strstr(text, "[16/"));
	sim_free(&s);
	client_free(&c);
}

static void test_top_bottom_clamp(void **state)
{
	static const struct {
		const char *key, *cmd;
	} emacs[] = { { "M-<", "history-top" }, { "PPage", "page-up" }, { "M-Up", "halfpage-up" },
		{ "Up", "cursor-up" }, { "C-Up", "scroll-up" }, { "NPage", "page-down" },
		{ "M->", "history-bottom" }, { "NPage", "page-down" }, { "M-Down", "halfpage-down" },
		{ "Down", "cursor-down" }, { "C-Down", "scroll-down" }, { "PPage", "page-up" } };
	struct sim s;
	struct client c;

	(void)state;
	/* A short history: pages hit both ends. */
	setup(&s, &c, 14, 0);
	for (size_t i = 0; i < sizeof emacs / sizeof emacs[0]; i++)
		step(&s, &c, emacs[i].key, emacs[i].cmd, 1);
	client_receive(&c, &s);
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	assert_false(copy_predict_pending(c.cp));
	sim_free(&s);
	client_free(&c);
}

/* Many keys of both tables in flight at once, views arriving now and then:
 * every frame equals the server's. */
static void test_random_walk(void **state)
{
	static const struct {
		const char *key, *cmd;
	} vi[] = { { "C-b", "page-up" }, { "C-f", "page-down" }, { "C-u", "halfpage-up" },
		{ "C-d", "halfpage-down" }, { "C-y", "scroll-up" }, { "C-e", "scroll-down" },
		{ "k", "cursor-up" }, { "j", "cursor-down" }, { "K", "scroll-up" },
		{ "J", "scroll-down" }, { "g", "history-top" }, { "G", "history-bottom" },
		{ "H", "top-line" }, { "M", "middle-line" }, { "L", "bottom-line" } },
	  emacs[] = { { "PPage", "page-up" }, { "NPage", "page-down" }, { "Up", "cursor-up" },
		{ "C-n", "cursor-down" }, { "M-Up", "halfpage-up" }, { "M-Down", "halfpage-down" },
		{ "M-<", "history-top" }, { "M->", "history-bottom" }, { "M-r", "middle-line" },
		{ "M-R", "top-line" }, { "C-p", "cursor-up" }, { "Space", "page-down" } };
	uint32_t seed = 12345;

	(void)state;
	for (int table = 0; table < 2; table++) {
		struct sim s;
		struct client c;

		setup(&s, &c, 120, table);
		for (int i = 0; i < 400; i++) {
			size_t n = table ? sizeof vi / sizeof vi[0] : sizeof emacs / sizeof emacs[0];
			size_t k;

			seed = seed * 1103515245u + 12345u;
			k = (seed >> 16) % n;
			if (table)
				step(&s, &c, vi[k].key, vi[k].cmd, 1);
			else
				step(&s, &c, emacs[k].key, emacs[k].cmd, 1);
			if ((seed >> 8) % 5 == 0)
				client_receive(&c, &s);
		}
		client_receive(&c, &s);
		assert_int_equal(copy_predict_refuted(c.cp), 0);
		assert_false(copy_predict_pending(c.cp));
		sim_free(&s);
		client_free(&c);
	}
}

static void test_wheel_enters_and_scrolls(void **state)
{
	struct sim s;
	struct client c;
	struct display_frame *want;
	uint64_t ev;

	(void)state;
	sim_init(&s, 100, 0);
	s.mouse = 1;
	client_init(&c);
	client_receive(&c, &s);
	sim_mirror(&s, c.m, 0, 100000);
	/* Root WheelUpPane: copy-mode -e. */
	ev = client_wheel(&c, 0);
	assert_true(copy_predict_pending(c.cp));
	sim_enter(&s, 1);
	s.applied = ev;
	want = server_frame(&s);
	assert_frames_equal(client_frame(&c), want, "wheel entry");
	display_frame_free(want);
	/* Two wheel turns up before the server answers, one down. */
	for (unsigned i = 0; i < 3; i++) {
		ev = client_wheel(&c, i == 2);
		sim_cmd(&s, i == 2 ? "scroll-down" : "scroll-up", COPY_PREDICT_WHEEL_LINES, ev);
		want = server_frame(&s);
		assert_frames_equal(client_frame(&c), want, "wheel in copy mode");
		display_frame_free(want);
	}
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	/* Down to the bottom: copy-mode -e leaves, predicted too. */
	ev = client_wheel(&c, 1);
	sim_cmd(&s, "scroll-down", COPY_PREDICT_WHEEL_LINES, ev);
	assert_null(s.cm);
	assert_true(copy_predict_pending(c.cp));
	want = server_frame(&s);
	assert_frames_equal(client_frame(&c), want, "wheel out of copy mode");
	display_frame_free(want);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

/* Keys whose binding the client does not run (the repeat-count prompt,
 * formats) stop predictions until the server's view covers them. */
static void test_unpredictable_key_is_a_barrier(void **state)
{
	struct sim s;
	struct client c;
	struct display_frame *before;
	uint64_t ev;

	(void)state;
	setup(&s, &c, 200, 1);
	before = server_frame(&s);
	ev = client_key(&c, "3"); /* the repeat prompt opens on the server */
	client_key(&c, "C-b");    /* ...and takes this key */
	assert_false(copy_predict_pending(c.cp));
	assert_frames_equal(client_frame(&c), before, "keys after a prompt key");
	s.applied = ev + 1;
	client_receive(&c, &s);
	step(&s, &c, "C-b", "page-up", 1);
	display_frame_free(before);
	sim_free(&s);
	client_free(&c);
}

/* The daemon holds echo_ack back (for an echo), so a view can show keys
 * its echo_ack does not cover yet: neither a refutation nor a stall. */
static void test_view_ahead_of_echo_ack(void **state)
{
	struct sim s;
	struct client c;
	struct display_frame *want;
	uint64_t ev1, ev2, ev3;

	(void)state;
	setup(&s, &c, 200, 0);
	ev1 = client_key(&c, "PPage");
	ev2 = client_key(&c, "PPage");
	ev3 = client_key(&c, "PPage");
	sim_cmd(&s, "page-up", 1, ev1);
	sim_cmd(&s, "page-up", 1, ev2);
	/* The view shows two pages but says only the first was applied. */
	s.applied = ev1;
	client_receive(&c, &s);
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	assert_true(copy_predict_pending(c.cp));
	sim_cmd(&s, "page-up", 1, ev3);
	want = server_frame(&s);
	assert_frames_equal(client_frame(&c), want, "third page with the view ahead");
	display_frame_free(want);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	/* Entering copy mode with keys: once the view shows copy mode the
	 * next page is predicted even while echo_ack trails. */
	sim_free(&s);
	client_free(&c);
	sim_init(&s, 200, 0);
	client_init(&c);
	client_receive(&c, &s);
	sim_mirror(&s, c.m, 0, 100000);
	client_key(&c, "C-b");
	ev1 = client_key(&c, "[");
	sim_enter(&s, 0);
	s.applied = ev1 - 1;
	client_receive(&c, &s);
	s.applied = ev1;
	step(&s, &c, "PPage", "page-up", 1);
	assert_true(copy_predict_pending(c.cp));
	sim_free(&s);
	client_free(&c);
}

/* vi: ? opens the prompt, the search text and Enter are drawn at once,
 * then n and N: every frame is the server's, prompt line included. */
static void test_search_vi(void **state)
{
	struct sim s;
	struct client c;
	char text[COLS + 1];
	unsigned cx, cy;

	(void)state;
	setup(&s, &c, 300, 1);
	step(&s, &c, "C-b", "page-up", 1);
	sim_prompt_open(&s, "(search up) ", "search-backward", 0, client_key(&c, "?"));
	expect_same(&s, &c, "the search prompt");
	row_text(client_frame(&c), ROWS, text);
	assert_memory_equal(text, "(search up) ", 12);
	type_text(&s, &c, "150");
	sim_prompt_enter(&s, client_key(&c, "Enter"));
	expect_same(&s, &c, "search-backward 150");
	/* The line with the match is under the cursor, far above. */
	copy_mode_cursor(s.cm, &cx, &cy);
	row_text(client_frame(&c), cy, text);
	assert_memory_equal(text, "150", 3);
	assert_true(copy_mode_scroll_position(s.cm) > ROWS);
	step(&s, &c, "n", "search-again", 1);
	step(&s, &c, "n", "search-again", 1);
	step(&s, &c, "N", "search-reverse", 1);
	assert_true(copy_predict_pending(c.cp));
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	/* Confirmed: the search string is known, n goes on locally. */
	step(&s, &c, "n", "search-again", 1);
	assert_true(copy_predict_pending(c.cp));
	/* Escape cancels a prompt. */
	sim_prompt_open(&s, "(search down) ", "search-forward", 0, client_key(&c, "/"));
	type_text(&s, &c, "9");
	s.prompt = 0;
	s.applied = client_key(&c, "Escape");
	expect_same(&s, &c, "the prompt cancelled");
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

/* emacs: C-r searches as each character is typed (incremental), C-r
 * again goes to the next match, BSpace edits, Enter closes. */
static void test_search_emacs_incremental(void **state)
{
	struct sim s;
	struct client c;
	uint64_t ev;

	(void)state;
	setup(&s, &c, 300, 0);
	ev = client_key(&c, "C-r");
	sim_prompt_open(&s, "(search up) ", "search-backward-incremental", 1, ev);
	expect_same(&s, &c, "the incremental prompt");
	type_text(&s, &c, "27");
	sim_prompt_type(&s, '\b', client_key(&c, "BSpace"));
	expect_same(&s, &c, "BSpace in the prompt");
	type_text(&s, &c, "0");
	ev = client_key(&c, "C-r");
	sim_cmd_arg(&s, "search-backward-incremental", "-20", 1, ev);
	expect_same(&s, &c, "C-r: the next match up");
	ev = client_key(&c, "C-s");
	sim_cmd_arg(&s, "search-backward-incremental", "+20", 1, ev);
	expect_same(&s, &c, "C-s: the next match down");
	sim_prompt_enter(&s, client_key(&c, "Enter"));
	expect_same(&s, &c, "Enter closes the incremental prompt");
	step(&s, &c, "C-g", "clear-selection", 1);
	step(&s, &c, "n", "search-again", 1);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

/* Selection with motions and the copy: the text copied is the server's,
 * handed over at once for the local clipboard, and the server's echo of
 * it is recognised. Copy mode left by the copy shows the live screen. */
static void test_selection_copy(void **state)
{
	static const struct {
		const char *key, *cmd;
	} vi[] = { { "k", "cursor-up" }, { "k", "cursor-up" }, { "0", "start-of-line" },
		{ "w", "next-word" }, { "Space", "begin-selection" }, { "e", "next-word-end" },
		{ "j", "cursor-down" }, { "$", "end-of-line" }, { "o", "other-end" },
		{ "l", "cursor-right" }, { "o", "other-end" } },
	  emacs[] = { { "Up", "cursor-up" }, { "Up", "cursor-up" }, { "C-a", "start-of-line" },
		{ "C-Space", "begin-selection" }, { "M-f", "next-word-end" },
		{ "C-n", "cursor-down" }, { "Right", "cursor-right" } };

	(void)state;
	for (int table = 0; table < 2; table++) {
		struct sim s;
		struct client c;
		size_t n = table ? RMUX_NITEMS(vi) : RMUX_NITEMS(emacs), len;
		char *text;

		setup(&s, &c, 200, table);
		for (size_t i = 0; i < n; i++) {
			step(&s, &c, table ? vi[i].key : emacs[i].key,
			    table ? vi[i].cmd : emacs[i].cmd, 1);
		}
		assert_null(copy_predict_take_copy(c.cp, &len));
		step(&s, &c, table ? "Enter" : "M-w", "copy-pipe-and-cancel", 1);
		assert_null(s.cm);
		assert_non_null(s.copied);
		text = copy_predict_take_copy(c.cp, &len);
		assert_non_null(text);
		assert_int_equal(len, s.copied_len);
		assert_memory_equal(text, s.copied, len);
		assert_non_null(strchr(text, '\n'));
		free(text);
		assert_null(copy_predict_take_copy(c.cp, &len));
		/* The server's clipboard event with that text: already written. */
		assert_true(copy_predict_copied(c.cp, s.copied, s.copied_len));
		assert_false(copy_predict_copied(c.cp, s.copied, s.copied_len));
		client_receive(&c, &s);
		assert_false(copy_predict_pending(c.cp));
		assert_int_equal(copy_predict_refuted(c.cp), 0);
		sim_free(&s);
		client_free(&c);
	}
}

/* Word and character motions, paragraphs, line selection and rectangles,
 * and jumps with their one-key prompt. */
static void test_motions_and_jumps(void **state)
{
	static const struct {
		const char *key, *cmd;
	} vi[] = { { "C-b", "page-up" }, { "b", "previous-word" }, { "B", "previous-space" },
		{ "w", "next-word" }, { "W", "next-space" }, { "e", "next-word-end" },
		{ "E", "next-space-end" }, { "h", "cursor-left" }, { "l", "cursor-right" },
		{ "^", "back-to-indentation" }, { "$", "end-of-line" }, { "0", "start-of-line" },
		{ "}", "next-paragraph" }, { "{", "previous-paragraph" }, { "V", "select-line" },
		{ "j", "cursor-down" }, { "v", "rectangle-toggle" }, { "l", "cursor-right" },
		{ "Escape", "clear-selection" } };
	struct sim s;
	struct client c;
	uint64_t ev;

	(void)state;
	setup(&s, &c, 200, 1);
	for (size_t i = 0; i < RMUX_NITEMS(vi); i++)
		step(&s, &c, vi[i].key, vi[i].cmd, 1);
	step(&s, &c, "k", "cursor-up", 1);
	step(&s, &c, "0", "start-of-line", 1);
	sim_prompt_open(&s, "(jump forward) ", "jump-forward", 0, client_key(&c, "f"));
	expect_same(&s, &c, "the jump prompt");
	s.prompt = 0;
	ev = client_key(&c, "-");
	sim_cmd_arg(&s, "jump-forward", "-", 1, ev);
	expect_same(&s, &c, "jump-forward -");
	step(&s, &c, ";", "jump-again", 1);
	step(&s, &c, ",", "jump-reverse", 1);
	sim_prompt_open(&s, "(jump to backward) ", "jump-to-backward", 0, client_key(&c, "T"));
	s.prompt = 0;
	ev = client_key(&c, "1");
	sim_cmd_arg(&s, "jump-to-backward", "1", 1, ev);
	expect_same(&s, &c, "jump-to-backward 1");
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

/* A refutation with a selection shown: the predictions go, the key is
 * banned, nothing is predicted while the server shows a selection (the
 * client cannot know it), and once it is cleared the engine is set from
 * the server's view and predicts again. */
static void test_refuted_resync(void **state)
{
	struct sim s;
	struct client c;
	uint64_t ev;

	(void)state;
	setup(&s, &c, 200, 1);
	step(&s, &c, "C-b", "page-up", 1);
	step(&s, &c, "Space", "begin-selection", 1);
	step(&s, &c, "w", "next-word", 1);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	/* w was rebound to previous-word on the server. */
	ev = client_key(&c, "w");
	assert_true(copy_predict_pending(c.cp));
	sim_cmd(&s, "previous-word", 1, ev);
	client_receive(&c, &s);
	assert_int_equal(copy_predict_refuted(c.cp), 1);
	assert_true(copy_predict_banned(c.cp, 1, 'w'));
	assert_false(copy_predict_pending(c.cp));
	expect_same(&s, &c, "the server's view after the refutation");
	/* The selection is shown: not predicted. */
	ev = client_key(&c, "j");
	assert_false(copy_predict_pending(c.cp));
	sim_cmd(&s, "cursor-down", 1, ev);
	client_receive(&c, &s);
	ev = client_key(&c, "Escape");
	assert_false(copy_predict_pending(c.cp));
	sim_cmd(&s, "clear-selection", 1, ev);
	client_receive(&c, &s);
	/* Clean again: predicted from the server's view. */
	step(&s, &c, "k", "cursor-up", 1);
	step(&s, &c, "b", "previous-word", 1);
	assert_true(copy_predict_pending(c.cp));
	ev = client_key(&c, "w");
	assert_false(copy_predict_banned(c.cp, 0, 'w'));
	sim_cmd(&s, "previous-word", 1, ev);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 1);
	expect_same(&s, &c, "after the banned key");
	sim_free(&s);
	client_free(&c);
}

/* A search that would read lines the client does not hold is not
 * predicted: the frame keeps the last prediction until the server's view,
 * which refutes nothing. */
static void test_search_missing_lines_not_predicted(void **state)
{
	struct sim s;
	struct client c;
	char text[COLS + 1];

	(void)state;
	setup_held(&s, &c, 300, 1, 12);
	sim_prompt_open(&s, "(search up) ", "search-backward", 0, client_key(&c, "?"));
	type_text(&s, &c, "15");
	sim_prompt_enter(&s, client_key(&c, "Enter"));
	row_text(client_frame(&c), ROWS, text);
	assert_memory_equal(text, "(search up) 15", 14);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	expect_same(&s, &c, "the server's search");
	sim_free(&s);
	client_free(&c);
}

/* A mouse drag in copy mode: the selection from the press, its end
 * following the motion, the copy at the release (MouseDragEnd1Pane); a
 * quick second press (a double click) is not predicted. */
static void test_mouse_drag_copy(void **state)
{
	struct sim s;
	struct client c;
	uint64_t ev;
	size_t len;
	char *text;

	(void)state;
	setup(&s, &c, 200, 0);
	s.mouse = 1;
	client_receive(&c, &s);
	step(&s, &c, "PPage", "page-up", 1);
	s.applied = client_mouse(&c, INPUT_MOUSE_PRESS, 0, 2, 3, 1000);
	expect_same(&s, &c, "MouseDown1Pane");
	s.applied = client_mouse(&c, INPUT_MOUSE_DRAG, 0, 4, 3, 1100);
	copy_mode_mouse_drag_start(s.cm, 2, 3);
	expect_same(&s, &c, "MouseDrag1Pane");
	s.applied = client_mouse(&c, INPUT_MOUSE_DRAG, 0, 6, 5, 1150);
	copy_mode_mouse_move(s.cm, 6, 5);
	expect_same(&s, &c, "the drag's motion");
	/* Beyond the pane the end stops at its edge. */
	s.applied = client_mouse(&c, INPUT_MOUSE_DRAG, 0, 40, 6, 1200);
	copy_mode_mouse_move(s.cm, COLS - 1, 6);
	expect_same(&s, &c, "the drag beyond the pane");
	ev = client_mouse(&c, INPUT_MOUSE_RELEASE, 0, 5, 7, 1300);
	copy_mode_mouse_move(s.cm, 5, 7);
	sim_cmd(&s, "copy-pipe-and-cancel", 1, ev);
	expect_same(&s, &c, "MouseDragEnd1Pane");
	text = copy_predict_take_copy(c.cp, &len);
	assert_non_null(text);
	assert_int_equal(len, s.copied_len);
	assert_memory_equal(text, s.copied, len);
	free(text);
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	/* Back in copy mode: two presses 200 ms apart are a double click. */
	sim_enter(&s, 0);
	s.applied = c.next_event++;
	client_receive(&c, &s);
	s.applied = client_mouse(&c, INPUT_MOUSE_PRESS, 0, 2, 3, 5000);
	assert_true(copy_predict_pending(c.cp));
	client_receive(&c, &s);
	s.applied = client_mouse(&c, INPUT_MOUSE_PRESS, 0, 2, 3, 5200);
	assert_false(copy_predict_pending(c.cp));
	sim_free(&s);
	client_free(&c);
}

/* The prompt line's style is learnt from the server's: a prompt drawn in
 * tmux's default message-style where the server's differs is refuted but
 * the key is not banned, and the next prompt is drawn right. */
static void test_prompt_style_learnt(void **state)
{
	struct sim s;
	struct client c;

	(void)state;
	setup(&s, &c, 200, 1);
	s.msg_bg = colour_palette(4);
	sim_prompt_open(&s, "(search up) ", "search-backward", 0, client_key(&c, "?"));
	assert_true(copy_predict_pending(c.cp));
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	assert_false(copy_predict_banned(c.cp, 1, '?'));
	s.prompt = 0;
	s.applied = client_key(&c, "Escape");
	client_receive(&c, &s);
	sim_prompt_open(&s, "(search up) ", "search-backward", 0, client_key(&c, "?"));
	assert_true(copy_predict_pending(c.cp));
	expect_same(&s, &c, "the prompt in the server's style");
	type_text(&s, &c, "42");
	sim_prompt_enter(&s, client_key(&c, "Enter"));
	expect_same(&s, &c, "search-backward 42");
	client_receive(&c, &s);
	assert_false(copy_predict_pending(c.cp));
	assert_int_equal(copy_predict_refuted(c.cp), 0);
	sim_free(&s);
	client_free(&c);
}

static void test_native_history(void **state)
{
	struct sim s;
	struct mirror *m = mirror_create(1000);
	struct native_history *nh = native_history_create(1);
	struct view *v;
	struct buf out;
	char want[32];

	(void)state;
	buf_init(&out);
	sim_init(&s, 50, 0);
	v = sim_view(&s);
	/* The first view: lines from now on. */
	assert_int_equal(native_history_write(nh, v, m, ROWS, 1, NULL, &out), 0);
	assert_int_equal(out.len, 0);
	view_free(v);
	for (unsigned i = 51; i <= 70; i++) {
		char line[16];
		int n = snprintf(line, sizeof line, "%u%.*s\r\n", i, (int)(i % 7), "-------");

		vt_input(s.vt, line, (size_t)n);
	}
	v = sim_view(&s);
	/* Not mirrored yet: nothing, in order. */
	assert_int_equal(native_history_write(nh, v, m, ROWS, 1, NULL, &out), 0);
	sim_mirror(&s, m, 0, 100000);
	assert_int_equal(native_history_write(nh, v, m, ROWS, 1, NULL, &out), 20);
	buf_add(&out, "", 1);
	/* Leaves the alternate screen, writes each line on the top row and
	 * scrolls, comes back. */
	assert_memory_equal(out.data, "\033[?1049l", 8);
	snprintf(want, sizeof want, "\033[H\033[2K%u%.*s\033[%u;1H\n", 45u, 45 % 7, "-------",
	    ROWS);
	assert_non_null(strstr((char *)out.data, want));
	assert_non_null(strstr((char *)out.data, "\033[?1049h"));
	/* The first line that left the screen after the first view is 42. */
	assert_non_null(strstr((char *)out.data, "\033[H\033[2K42\033["));
	assert_null(strstr((char *)out.data, "\033[2K41"));
	buf_reset(&out);
	assert_int_equal(native_history_write(nh, v, m, ROWS, 0, NULL, &out), 0);
	view_free(v);
	native_history_free(nh);
	mirror_free(m);
	buf_free(&out);
	sim_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_up_predicts_rows_cursor_indicator),
		cmocka_unit_test(test_confirm_on_echo_ack),
		cmocka_unit_test(test_refuted_drops_and_shows_server),
		cmocka_unit_test(test_missing_lines_show_marker),
		cmocka_unit_test(test_top_bottom_clamp),
		cmocka_unit_test(test_random_walk),
		cmocka_unit_test(test_wheel_enters_and_scrolls),
		cmocka_unit_test(test_unpredictable_key_is_a_barrier),
		cmocka_unit_test(test_view_ahead_of_echo_ack),
		cmocka_unit_test(test_search_vi),
		cmocka_unit_test(test_search_emacs_incremental),
		cmocka_unit_test(test_selection_copy),
		cmocka_unit_test(test_motions_and_jumps),
		cmocka_unit_test(test_refuted_resync),
		cmocka_unit_test(test_search_missing_lines_not_predicted),
		cmocka_unit_test(test_mouse_drag_copy),
		cmocka_unit_test(test_prompt_style_learnt),
		cmocka_unit_test(test_native_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
