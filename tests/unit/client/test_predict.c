/* test_predict.c — predictive local echo against a simulated server: a
 * pane running a line editor (inserting, backspace, arrows, Enter and
 * scrolling) or a program that does not echo, views built the way the
 * daemon builds them (echo_ack = the last input event applied), frames
 * composed as the client composes them, and simulated time. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/compose.h"
#include "client/predict.h"
#include "term/key_string.h"

#define SIM_COLS_MAX 40
#define SIM_ROWS_MAX 8

/* The server's side: a pane and the program in it. */
struct sim {
	unsigned cols, rows;
	uint32_t ch[SIM_ROWS_MAX][SIM_COLS_MAX];
	unsigned cx, cy;
	int silent;     /* the program echoes nothing (vim's normal mode) */
	uint32_t flags; /* VIEW_PANE_* */
	const char *key_table;
	uint64_t applied;
};

static void sim_init(struct sim *s, unsigned cols, unsigned rows, const char *prompt)
{
	memset(s, 0, sizeof *s);
	s->cols = cols;
	s->rows = rows;
	for (unsigned y = 0; y < rows; y++) {
		for (unsigned x = 0; x < cols; x++)
			s->ch[y][x] = ' ';
	}
	for (; prompt[s->cx] != '\0'; s->cx++)
		s->ch[0][s->cx] = (uint8_t)prompt[s->cx];
	s->flags = VIEW_PANE_CURSOR_VISIBLE;
	s->key_table = "root";
}

static void sim_newline(struct sim *s)
{
	s->cx = 0;
	if (s->cy + 1 < s->rows) {
		s->cy++;
		return;
	}
	memmove(s->ch[0], s->ch[1], sizeof s->ch[0] * (s->rows - 1));
	for (unsigned x = 0; x < s->cols; x++)
		s->ch[s->rows - 1][x] = ' ';
}

/* The pane applies input event EVENT carrying KEY. */
static void sim_key(struct sim *s, uint64_t key, uint64_t event)
{
	uint32_t *r = s->ch[s->cy];

	s->applied = event;
	/* Keys for a prompt, copy mode or the prefix table echo nothing. */
	if (s->silent || (s->flags & (VIEW_PANE_ECHO_OFF | VIEW_PANE_COPY_MODE)) ||
	    strcmp(s->key_table, "root") != 0)
		return;
	if (key == '\r') {
		sim_newline(s);
	} else if (key == KEY_BSPACE) {
		if (s->cx > 0) {
			s->cx--;
			memmove(r + s->cx, r + s->cx + 1, (s->cols - s->cx - 1) * sizeof *r);
			r[s->cols - 1] = ' ';
		}
	} else if (key == KEY_LEFT) {
		if (s->cx > 0)
			s->cx--;
	} else if (key == KEY_RIGHT) {
		if (s->cx + 1 < s->cols)
			s->cx++;
	} else if (key >= 0x20 && key < 0x7f) {
		memmove(r + s->cx + 1, r + s->cx, (s->cols - s->cx - 1) * sizeof *r);
		r[s->cx] = (uint32_t)key;
		if (s->cx + 1 < s->cols)
			s->cx++;
		else
			sim_newline(s);
	}
}

static struct view *sim_view(const struct sim *s)
{
	struct view *v = view_create();
	struct view_layout_pane lp = { 1, 0, 0, s->cols, s->rows };
	struct view_pane *p;

	view_set_layout(v, s->cols, s->rows, 0, 1, &lp, 1, 0);
	p = view_find_pane(v, 1);
	for (unsigned y = 0; y < s->rows; y++) {
		struct view_row *r = view_row_create(s->cols);

		for (unsigned x = 0; x < s->cols; x++) {
			struct cell c = { s->ch[y][x], COLOUR_DEFAULT, COLOUR_DEFAULT, 0, 0 };

			view_row_set(r, x, &c, NULL, 0);
		}
		view_set_pane_row(v, p, y, r);
	}
	view_set_pane_cursor(v, p, s->cx, s->cy, 0);
	view_set_pane_state(v, p, s->flags, 0, "");
	view_set_key_table(v, s->key_table);
	view_set_echo_ack(v, s->applied);
	return v;
}

/* The client's side. */
struct client {
	struct sim srv;
	struct predict *p;
	struct view *v; /* the newest view received */
	uint64_t event;
	uint64_t now;
	uint64_t keys[256]; /* sent, by event number */
};

static void client_init(struct client *c, int policy, unsigned srtt, unsigned cols,
    unsigned rows, const char *prompt)
{
	memset(c, 0, sizeof *c);
	sim_init(&c->srv, cols, rows, prompt);
	c->p = predict_create(policy);
	predict_set_srtt(c->p, srtt);
	c->v = sim_view(&c->srv);
	predict_view(c->p, c->v, c->now);
}

static void client_done(struct client *c)
{
	view_free(c->v);
	predict_free(c->p);
}

/* The user types KEY now; the server has not seen it yet. */
static void type(struct client *c, uint64_t key)
{
	c->event++;
	assert_true(c->event < 256);
	c->keys[c->event] = key;
	predict_key(c->p, key, c->event, c->now);
}

static void type_str(struct client *c, const char *s)
{
	for (; *s != '\0'; s++)
		type(c, (uint8_t)*s);
}

/* The server applies the keys up to event N and its view arrives now. */
static void server_upto(struct client *c, uint64_t n)
{
	for (uint64_t e = c->srv.applied + 1; e <= n; e++)
		sim_key(&c->srv, c->keys[e], e);
	c->srv.applied = n;
	view_free(c->v);
	c->v = sim_view(&c->srv);
	predict_view(c->p, c->v, c->now);
}

/* The frame the client would draw, with and without predictions. */
static struct display_frame *frame(const struct client *c, int predicted)
{
	struct display_frame *f = display_frame_create(c->srv.cols, c->srv.rows);

	compose_view(c->v, f);
	if (predicted)
		predict_apply(c->p, f);
	return f;
}

static const char *row_text(const struct display_frame *f, unsigned y)
{
	static char out[SIM_COLS_MAX + 1];
	unsigned n = 0;

	for (unsigned x = 0; x < f->cols; x++) {
		uint32_t ch = f->cells[(size_t)y * f->cols + x].ch;

		out[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static int frames_equal(const struct display_frame *a, const struct display_frame *b)
{
	return a->cols == b->cols && a->rows == b->rows && a->cx == b->cx && a->cy == b->cy &&
	       memcmp(a->cells, b->cells, (size_t)a->cols * a->rows * sizeof *a->cells) == 0;
}

/* What the client shows now: row Y's text and the cursor. */
static void assert_shows(const struct client *c, unsigned y, const char *text, unsigned cx,
    unsigned cy)
{
	struct display_frame *f = frame(c, 1);

	assert_string_equal(row_text(f, y), text);
	assert_int_equal(f->cx, cx);
	assert_int_equal(f->cy, cy);
	display_frame_free(f);
}

/* What the client shows is exactly the server's view. */
static void assert_truth(const struct client *c)
{
	struct display_frame *a = frame(c, 1), *b = frame(c, 0);

	assert_true(frames_equal(a, b));
	display_frame_free(a);
	display_frame_free(b);
}

static int underlined(const struct client *c, unsigned x, unsigned y)
{
	struct display_frame *f = frame(c, 1);
	int ul = ATTR_UL_STYLE(f->cells[(size_t)y * f->cols + x].attr) == UL_SINGLE;

	display_frame_free(f);
	return ul;
}

/* A shell prompt on a 30x4 pane. */
static void shell_init(struct client *c, int policy, unsigned srtt)
{
	client_init(c, policy, srtt, 30, 4, "$ ");
}

/* MS pass and the server confirms every key typed so far. */
static void echo_all(struct client *c, uint64_t ms)
{
	c->now += ms;
	server_upto(c, c->event);
}

/* ... after which nothing is guessed: the frame is the server's. */
static void settle(struct client *c, uint64_t ms)
{
	echo_all(c, ms);
	assert_false(predict_pending(c->p));
	assert_truth(c);
}

/* Type one key and let the server confirm it MS later. */
static void round_trip(struct client *c, uint64_t key, uint64_t ms)
{
	type(c, key);
	echo_all(c, ms);
}

/* Type one key and let the server confirm it: the epoch becomes trusted. */
static void confirm_first(struct client *c, uint64_t key)
{
	round_trip(c, key, 300);
}

/* The shell's first key, 'a', is confirmed: its epoch is trusted. */
static void shell_confirmed(struct client *c, int policy, unsigned srtt)
{
	shell_init(c, policy, srtt);
	confirm_first(c, 'a');
}

/* Type KEY; the client then shows row Y's TEXT and the cursor. */
static void type_shows(struct client *c, uint64_t key, unsigned y, const char *text,
    unsigned cx, unsigned cy)
{
	type(c, key);
	assert_shows(c, y, text, cx, cy);
}

/* The pane's state flags change and a view applying the keys up to N
 * arrives. */
static void server_flags(struct client *c, uint32_t set, uint32_t clear, uint64_t n)
{
	c->srv.flags = (c->srv.flags | set) & ~clear;
	server_upto(c, n);
}

/* The state changed before the pane applied the last key: the guess is
 * forgotten with the view that says so. */
static void forgotten_by_flags(struct client *c, uint32_t set, uint32_t clear)
{
	server_flags(c, set, clear, c->event - 1);
	assert_false(predict_pending(c->p));
	assert_truth(c);
}

static void test_word_at_300ms(void **state)
{
	struct client c;

	(void)state;
	shell_init(&c, PREDICT_ADAPTIVE, 300);
	assert_true(predict_showing(c.p));
	/* The first key is a guess nobody has checked: not drawn. */
	type_shows(&c, 'l', 0, "$", 2, 0);
	c.now += 300;
	server_upto(&c, 1);
	assert_shows(&c, 0, "$ l", 3, 0);
	assert_false(predict_pending(c.p));
	/* Now the rest of the word is on screen at once, underlined. */
	c.now += 10;
	type_str(&c, "s -la");
	assert_shows(&c, 0, "$ ls -la", 8, 0);
	assert_true(underlined(&c, 5, 0));
	/* Half the word echoed: still all there. */
	c.now += 300;
	server_upto(&c, 3);
	assert_shows(&c, 0, "$ ls -la", 8, 0);
	assert_true(predict_pending(c.p));
	/* All echoed: the frame is the server's, cell for cell. */
	settle(&c, 100);
	assert_shows(&c, 0, "$ ls -la", 8, 0);
	client_done(&c);
}

static void test_refuted(void **state)
{
	struct client c;

	(void)state;
	shell_init(&c, PREDICT_ADAPTIVE, 300);
	confirm_first(&c, 'v');
	/* A program that reads keys without echoing them (vim in normal mode
	 * on a terminal the server still reports as echoing). */
	c.srv.silent = 1;
	type_str(&c, "jjjkkk");
	assert_shows(&c, 0, "$ vjjjkkk", 9, 0);
	/* The view that has applied the first j refutes it: the same frame
	 * shows the server's truth, nothing of the guesses stays. */
	c.now += 300;
	server_upto(&c, 2);
	assert_truth(&c);
	assert_shows(&c, 0, "$ v", 3, 0);
	assert_false(predict_pending(c.p));
	/* Later keys start a tentative epoch: never drawn while refuted. */
	type_str(&c, "dd");
	assert_truth(&c);
	settle(&c, 300);
	client_done(&c);
}

static void test_echo_off(void **state)
{
	struct client c;

	(void)state;
	client_init(&c, PREDICT_ALWAYS, 300, 30, 4, "Password: ");
	server_flags(&c, VIEW_PANE_ECHO_OFF, 0, 0);
	type_str(&c, "secret");
	assert_truth(&c);
	assert_false(predict_pending(c.p));
	c.now += 300;
	server_upto(&c, 3);
	assert_truth(&c);
	server_upto(&c, c.event);
	assert_truth(&c);
	/* Echo back on: typing is guessed again once confirmed. */
	server_flags(&c, 0, VIEW_PANE_ECHO_OFF, c.event);
	confirm_first(&c, 'x');
	type_shows(&c, 'y', 0, "Password: xy", 12, 0);
	/* Typed before the server said echo is off. */
	forgotten_by_flags(&c, VIEW_PANE_ECHO_OFF, 0);
	client_done(&c);
}

static void test_policy_never(void **state)
{
	struct client c;

	(void)state;
	shell_init(&c, PREDICT_NEVER, 500);
	assert_false(predict_showing(c.p));
	confirm_first(&c, 'a');
	type_str(&c, "bcd");
	assert_truth(&c);
	assert_shows(&c, 0, "$ a", 3, 0);
	assert_false(predict_pending(c.p));
	client_done(&c);
}

static void test_policy_always(void **state)
{
	struct client c;

	(void)state;
	/* A fast link: adaptive would not show; always does, from key one. */
	shell_init(&c, PREDICT_ALWAYS, 2);
	assert_true(predict_showing(c.p));
	type_str(&c, "ab");
	assert_shows(&c, 0, "$ ab", 4, 0);
	/* Not underlined on a fast link. */
	assert_false(underlined(&c, 2, 0));
	settle(&c, 0);

	/* The same with adaptive: nothing before the echo. */
	predict_set_policy(c.p, PREDICT_ADAPTIVE);
	confirm_first(&c, 'c');
	type(&c, 'd');
	assert_false(predict_showing(c.p));
	assert_truth(&c);
	client_done(&c);
}

static void test_edit_keys(void **state)
{
	struct client c;

	(void)state;
	shell_confirmed(&c, PREDICT_ADAPTIVE, 300);
	type_str(&c, "bc");
	assert_shows(&c, 0, "$ abc", 5, 0);
	type(&c, KEY_LEFT);
	type_shows(&c, KEY_LEFT, 0, "$ abc", 3, 0);
	/* Inserted, the rest of the row moves right. */
	type_shows(&c, 'X', 0, "$ aXbc", 4, 0);
	type_shows(&c, KEY_RIGHT, 0, "$ aXbc", 5, 0);
	/* Deleted left, the rest moves left. */
	type_shows(&c, KEY_BSPACE, 0, "$ aXc", 4, 0);
	type_shows(&c, KEY_BSPACE, 0, "$ ac", 3, 0);
	/* Echoes arriving one by one never make it flicker. */
	for (uint64_t n = c.srv.applied + 1; n <= c.event; n++) {
		c.now += 20;
		server_upto(&c, n);
		assert_shows(&c, 0, "$ ac", 3, 0);
	}
	assert_false(predict_pending(c.p));
	assert_truth(&c);
	/* Backspace in the first column and Left there predict nothing. */
	client_done(&c);

	client_init(&c, PREDICT_ALWAYS, 300, 30, 4, "");
	type(&c, KEY_BSPACE);
	type(&c, KEY_LEFT);
	assert_false(predict_pending(c.p));
	assert_shows(&c, 0, "", 0, 0);
	client_done(&c);
}

static void test_last_column(void **state)
{
	struct client c;

	(void)state;
	client_init(&c, PREDICT_ADAPTIVE, 300, 10, 4, "$ ");
	confirm_first(&c, 'a');
	type_str(&c, "bcdefg");
	assert_shows(&c, 0, "$ abcdefg", 9, 0);
	/* Column 9 is the last: a new tentative epoch, not drawn, and what
	 * follows on the next row is not drawn either. */
	type_str(&c, "hi");
	assert_shows(&c, 0, "$ abcdefg", 9, 0);
	assert_shows(&c, 1, "", 9, 0);
	/* The server wraps as guessed: all confirmed, truth shown. */
	settle(&c, 300);
	assert_shows(&c, 1, "i", 1, 1);
	/* That epoch is trusted now: typing shows again. */
	type_shows(&c, 'j', 1, "ij", 2, 1);
	client_done(&c);
}

static void test_enter(void **state)
{
	struct client c;

	(void)state;
	client_init(&c, PREDICT_ADAPTIVE, 300, 20, 3, "> ");
	confirm_first(&c, 'a');
	/* Enter starts a tentative epoch: the cursor stays put on screen. */
	type_str(&c, "\rb");
	assert_shows(&c, 0, "> a", 3, 0);
	echo_all(&c, 300);
	assert_truth(&c);
	assert_shows(&c, 1, "b", 1, 1);
	/* Each Enter is a new tentative epoch. */
	type_str(&c, "c\rd");
	assert_shows(&c, 1, "bc", 2, 1);
	assert_shows(&c, 2, "", 2, 1);
	settle(&c, 300);

	/* On the bottom row: what is drawn stays where it is while the
	 * scroll is a guess, and the guesses after it line up with the
	 * server's scrolled rows. */
	type_shows(&c, 'e', 2, "de", 2, 2);
	type_str(&c, "\rf");
	assert_shows(&c, 2, "de", 2, 2);
	assert_shows(&c, 1, "bc", 2, 2);
	settle(&c, 300);
	assert_shows(&c, 1, "de", 1, 2);
	assert_shows(&c, 2, "f", 1, 2);
	/* The scroll's epoch is trusted now. */
	type_shows(&c, 'g', 2, "fg", 2, 2);
	client_done(&c);
}

static void test_alt_screen(void **state)
{
	struct client c;

	(void)state;
	client_init(&c, PREDICT_ALWAYS, 300, 30, 4, "");
	server_flags(&c, VIEW_PANE_ALT_SCREEN, 0, 0);
	/* Even "always" waits for proof in a full-screen program. */
	type_str(&c, "ix");
	assert_truth(&c);
	assert_true(predict_pending(c.p));
	echo_all(&c, 300);
	assert_truth(&c);
	type_shows(&c, 'y', 0, "ixy", 3, 0);
	/* Leaving the alternate screen forgets and starts over. */
	forgotten_by_flags(&c, 0, VIEW_PANE_ALT_SCREEN);
	client_done(&c);
}

static void test_paste_resets(void **state)
{
	struct client c;

	(void)state;
	shell_confirmed(&c, PREDICT_ADAPTIVE, 300);
	type_str(&c, "bc");
	assert_shows(&c, 0, "$ abc", 5, 0);
	c.event++; /* the paste's own event */
	predict_paste(c.p);
	assert_false(predict_pending(c.p));
	assert_truth(&c);
	/* Typing after a paste is tentative until confirmed again. */
	type(&c, 'z');
	assert_truth(&c);
	client_done(&c);
}

static void test_gating(void **state)
{
	struct client c;

	(void)state;
	shell_init(&c, PREDICT_ALWAYS, 300);
	/* The prefix table: keys are commands, not text. */
	c.srv.key_table = "prefix";
	server_upto(&c, 0);
	type(&c, 'c');
	assert_false(predict_pending(c.p));
	server_upto(&c, 1);
	c.srv.key_table = "root";
	server_upto(&c, 1);
	confirm_first(&c, 'a');
	type_shows(&c, 'b', 0, "$ ab", 4, 0);
	/* A pane in copy mode stops it and forgets. */
	forgotten_by_flags(&c, VIEW_PANE_COPY_MODE, 0);
	type(&c, 'k');
	assert_false(predict_pending(c.p));
	/* Modified keys and control keys: a tentative epoch, nothing drawn. */
	server_flags(&c, 0, VIEW_PANE_COPY_MODE, c.event);
	confirm_first(&c, 'q');
	type(&c, 'w' | KEY_CTRL);
	type(&c, 'e');
	assert_truth(&c);
	client_done(&c);
}

static void test_thresholds(void **state)
{
	/* After each SRTT: shown? underlined? (-1: not checked there) */
	static const struct {
		unsigned srtt;
		int showing, underlining;
	} steps[] = {
		/* Shown above a 30 ms frame interval (SRTT 60), hidden at 20. */
		{ 40, 0, -1 }, { 60, 0, -1 }, { 62, 1, 0 }, { 50, 1, -1 }, { 40, 0, -1 },
		/* Underlined above 80 ms (SRTT 160), until 50 ms (SRTT 100). */
		{ 160, -1, 0 }, { 162, -1, 1 }, { 102, -1, 1 }, { 100, 1, 0 },
	};
	struct predict *p = predict_create(PREDICT_ADAPTIVE);

	(void)state;
	assert_int_equal(predict_policy_from_string("adaptive"), PREDICT_ADAPTIVE);
	assert_int_equal(predict_policy_from_string("always"), PREDICT_ALWAYS);
	assert_int_equal(predict_policy_from_string("never"), PREDICT_NEVER);
	assert_int_equal(predict_policy_from_string("sometimes"), -1);
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		predict_set_srtt(p, steps[i].srtt);
		if (steps[i].showing >= 0)
			assert_int_equal(predict_showing(p) != 0, steps[i].showing);
		if (steps[i].underlining >= 0)
			assert_int_equal(predict_underlining(p) != 0, steps[i].underlining);
	}
	predict_free(p);
}

static void test_hide_waits_for_pending(void **state)
{
	struct client c;

	(void)state;
	shell_confirmed(&c, PREDICT_ADAPTIVE, 100);
	type(&c, 'b');
	/* The link got fast, but a guess is on screen: keep showing it. */
	predict_set_srtt(c.p, 10);
	assert_true(predict_showing(c.p));
	assert_shows(&c, 0, "$ ab", 4, 0);
	echo_all(&c, 10);
	assert_false(predict_showing(c.p));
	client_done(&c);
}

static void test_glitch(void **state)
{
	struct client c;

	(void)state;
	shell_confirmed(&c, PREDICT_ADAPTIVE, 20);
	assert_false(predict_showing(c.p));
	/* A fast link where this echo is late: shown after 250 ms. */
	type(&c, 'b');
	assert_int_equal(predict_wake(c.p, c.now), PREDICT_GLITCH_MS);
	c.now += PREDICT_GLITCH_MS - 1;
	predict_tick(c.p, c.now);
	assert_false(predict_showing(c.p));
	assert_truth(&c);
	c.now += 1;
	predict_tick(c.p, c.now);
	assert_int_equal(predict_glitch(c.p), PREDICT_GLITCH_COUNT);
	assert_true(predict_showing(c.p));
	assert_false(predict_underlining(c.p));
	assert_shows(&c, 0, "$ ab", 4, 0);
	/* After 5 s also underlined. */
	c.now += PREDICT_GLITCH_FLAG_MS;
	predict_tick(c.p, c.now);
	assert_int_equal(predict_glitch(c.p), 2 * PREDICT_GLITCH_COUNT);
	assert_true(predict_underlining(c.p));
	assert_true(underlined(&c, 3, 0));
	server_upto(&c, c.event);
	/* Quick confirmations repair it, at most one per 150 ms. */
	for (int i = 0; i < 4; i++)
		round_trip(&c, 'x', 5);
	assert_int_equal(predict_glitch(c.p), 2 * PREDICT_GLITCH_COUNT - 1);
	c.now += PREDICT_GLITCH_REPAIR_MS;
	round_trip(&c, 'y', 5);
	assert_int_equal(predict_glitch(c.p), 2 * PREDICT_GLITCH_COUNT - 2);
	/* Still above the count: still underlined on a fast link. */
	assert_true(predict_underlining(c.p));
	for (int i = 0; i < 2 * PREDICT_GLITCH_COUNT; i++) {
		c.now += PREDICT_GLITCH_REPAIR_MS;
		round_trip(&c, 'z', 5);
	}
	assert_int_equal(predict_glitch(c.p), 0);
	assert_false(predict_underlining(c.p));
	assert_false(predict_showing(c.p));
	assert_int_equal(predict_wake(c.p, c.now), -1);
	client_done(&c);
}

static void test_pane_changes(void **state)
{
	struct client c;
	struct view *v;
	struct view_layout_pane lp[2] = { { 1, 0, 0, 15, 4 }, { 2, 15, 0, 15, 4 } };

	(void)state;
	shell_init(&c, PREDICT_ALWAYS, 300);
	type(&c, 'a');
	assert_true(predict_pending(c.p));
	/* Another pane became active: the guesses were for the old one. */
	v = view_copy(c.v);
	view_set_layout(v, 30, 4, 0, 2, lp, 2, 0);
	predict_view(c.p, v, c.now);
	assert_false(predict_pending(c.p));
	/* Guesses go to the new pane, at its place in the frame. */
	type(&c, 'z');
	{
		struct display_frame *f = display_frame_create(30, 4);

		compose_view(v, f);
		assert_int_equal(f->cells[15].ch, ' ');
		predict_apply(c.p, f);
		assert_int_equal(f->cells[15].ch, 'z');
		assert_int_equal(f->cx, 16);
		assert_int_equal(f->cy, 0);
		display_frame_free(f);
	}
	view_free(v);
	/* No active pane at all. */
	v = view_create();
	predict_view(c.p, v, c.now);
	type(&c, 'b');
	assert_false(predict_pending(c.p));
	view_free(v);
	client_done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_at_300ms),
		cmocka_unit_test(test_refuted),
		cmocka_unit_test(test_echo_off),
		cmocka_unit_test(test_policy_never),
		cmocka_unit_test(test_policy_always),
		cmocka_unit_test(test_edit_keys),
		cmocka_unit_test(test_last_column),
		cmocka_unit_test(test_enter),
		cmocka_unit_test(test_alt_screen),
		cmocka_unit_test(test_paste_resets),
		cmocka_unit_test(test_gating),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_hide_waits_for_pending),
		cmocka_unit_test(test_glitch),
		cmocka_unit_test(test_pane_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
