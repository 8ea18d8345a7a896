/* test_input.c — the key input decoder: every sequence form, fed whole and
 * split at every byte, garbage and overlong sequences, paste bounds, the
 * lone Escape's timing, terminfo sequences and the Ctrl-^ escape. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>

#include "client/input.h"
#include "common/buf.h"
#include "common/util.h"
#include "term/key_string.h"

/* Items written out as words, pastes kept whole. Keys of bulk reads are
 * marked with BULK. */
#define BULK "(bulk)"
struct got {
	struct buf text;
	struct buf paste;   /* every paste's bytes, concatenated */
	size_t npaste;      /* paste items */
	size_t paste_chunk_max;
	int paste_open;     /* the last paste item said more */
	size_t nitems;
};

static const char *const mouse_kinds[] = { "press", "release", "drag", "wheel", "move" };
static const char *const reply_kinds[] = { "?", "da1", "da2", "cpr", "decrqm", "dsr", "kitty",
	"winop", "osc", "dcs", "apc" };

static void word(struct got *g, const char *s)
{
	if (g->text.len > 0)
		buf_add(&g->text, " ", 1);
	buf_add(&g->text, s, strlen(s));
}

static void collect(const struct input_item *it, void *arg)
{
	struct got *g = arg;
	char name[KEY_STRING_MAX + 64], tmp[KEY_STRING_MAX];

	g->nitems++;
	switch (it->type) {
	case INPUT_ITEM_KEY:
		snprintf(name, sizeof name, "%s%s", key_string_lookup_key(it->key, tmp),
		    it->bulk ? BULK : "");
		word(g, name);
		return;
	case INPUT_ITEM_PASTE:
		assert_true(it->len > 0);
		buf_add(&g->paste, it->data, it->len);
		g->npaste++;
		if (it->len > g->paste_chunk_max)
			g->paste_chunk_max = it->len;
		if (!g->paste_open)
			word(g, "paste");
		g->paste_open = it->more;
		return;
	case INPUT_ITEM_MOUSE:
		assert_true(it->kind < 5);
		snprintf(name, sizeof name, "mouse:%s:%u:%u,%u:%u", mouse_kinds[it->kind], it->button,
		    it->x, it->y, it->mods);
		word(g, name);
		return;
	case INPUT_ITEM_FOCUS:
		word(g, it->focus_in ? "focus-in" : "focus-out");
		return;
	case INPUT_ITEM_REPLY:
		assert_true(it->reply >= 1 && it->reply <= 10);
		assert_true(it->len >= 3);
		assert_int_equal(it->data[0], 0x1b);
		snprintf(name, sizeof name, "reply:%s:%u:%u", reply_kinds[it->reply], it->a, it->b);
		word(g, name);
		return;
	case INPUT_ITEM_QUIT:
		word(g, "quit");
		return;
	}
	fail_msg("unknown item type %u", it->type);
}

static void got_init(struct got *g)
{
	memset(g, 0, sizeof *g);
	buf_init(&g->text);
	buf_init(&g->paste);
}

static void got_free(struct got *g)
{
	buf_free(&g->text);
	buf_free(&g->paste);
}

static char *got_text(struct got *g)
{
	char *s = malloc(g->text.len + 1);
	assert_non_null(s);
	if (g->text.len > 0)
		memcpy(s, g->text.data, g->text.len);
	s[g->text.len] = '\0';
	return s;
}

/* Decode BYTES fed in pieces of at most STEP bytes (0: whole), then let
 * escape-time pass. Returns the words, for free(). */
static char *decode_in(const char *bytes, size_t len, size_t step, struct got *pg)
{
	struct got local, *g = pg != NULL ? pg : &local;
	struct input *in;
	uint64_t now = 1000;
	char *s;

	if (pg == NULL)
		got_init(&local);
	in = input_create(collect, g);
	for (size_t off = 0; off < len;) {
		size_t n = step == 0 ? len - off : (len - off < step ? len - off : step);
		input_feed(in, bytes + off, n, now);
		off += n;
		now += 1; /* well within escape-time */
	}
	input_timeout(in, now + INPUT_ESCAPE_TIME_DEFAULT);
	assert_int_equal(input_wait_ms(in, now + INPUT_ESCAPE_TIME_DEFAULT), -1);
	input_free(in);
	s = got_text(g);
	if (pg == NULL)
		got_free(&local);
	return s;
}

/* Without the bulk marks (they depend on the size of reads). */
static void strip_bulk(char *s)
{
	char *p;

	while ((p = strstr(s, BULK)) != NULL)
		memmove(p, p + strlen(BULK), strlen(p + strlen(BULK)) + 1);
}

/* BYTES gives WANT whole, one byte at a time, and split in two anywhere. */
static void check_len(const char *bytes, size_t len, const char *want)
{
	char *s = decode_in(bytes, len, 0, NULL);
	strip_bulk(s);
	if (strcmp(s, want) != 0)
		fail_msg("whole: got \"%s\", want \"%s\"", s, want);
	free(s);
	s = decode_in(bytes, len, 1, NULL);
	if (strcmp(s, want) != 0)
		fail_msg("bytewise: got \"%s\", want \"%s\"", s, want);
	free(s);
	for (size_t cut = 1; cut < len; cut += (cut < 300 || len - cut < 300) ? 1 : 97) {
		struct got g;
		struct input *in;
		got_init(&g);
		in = input_create(collect, &g);
		input_feed(in, bytes, cut, 10);
		input_feed(in, bytes + cut, len - cut, 20);
		input_timeout(in, 10000);
		input_free(in);
		s = got_text(&g);
		strip_bulk(s);
		if (strcmp(s, want) != 0)
			fail_msg("split at %zu: got \"%s\", want \"%s\"", cut, s, want);
		free(s);
		got_free(&g);
	}
}

static void check(const char *bytes, const char *want)
{
	check_len(bytes, strlen(bytes), want);
}

static void test_text_and_controls(void **state)
{
	(void)state;
	check("abc", "a b c");
	check("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	check("\x01\x02\x1a", "C-a C-b C-z");
	check("\r\t\n", "Enter Tab C-j");
	check_len("\0", 1, "C-Space");
	check("\x7f", "BSpace");
	check("\x08", "C-h");
	check("\x1c\x1d\x1f", "C-\\ C-] C-_");
	check("\033x", "M-x");
	check("\033X", "M-X");
	check("\033\x01", "M-C-a");
	check("\033\x7f", "M-BSpace");
	check("\033\r", "M-Enter");
	check("\033\xc3\xa9", "M-\xc3\xa9");
	check(" ", "Space");
}

static void test_cursor_and_editing(void **state)
{
	(void)state;
	check("\033[A\033[B\033[C\033[D", "Up Down Right Left");
	check("\033OA\033OB\033OC\033OD", "Up Down Right Left");
	check("\033[H\033[F\033OH\033OF", "Home End Home End");
	check("\033[1~\033[4~\033[7~\033[8~", "Home End Home End");
	check("\033[2~\033[3~\033[5~\033[6~", "IC DC PPage NPage");
	check("\033[Z", "BTab");
	check("\033[1;5D\033[1;5C", "C-Left C-Right");
	check("\033[1;2A\033[1;3B\033[1;4C\033[1;6D", "S-Up M-Down M-S-Right C-S-Left");
	check("\033[1;7H\033[1;8F\033[1;9A", "C-M-Home C-M-S-End M-Up");
	check("\033[3;5~\033[5;3~\033[2;2~\033[6;6~", "C-DC M-PPage S-IC C-S-NPage");
	/* rxvt: CSI N ^ / $ / @ and CSI a-d, SS3 a-d. */
	check("\033[7^\033[2$\033[3@", "C-Home S-IC C-S-DC");
	check("\033[a\033[d\033Oa\033Oc", "S-Up S-Left C-Up C-Right");
	/* An ESC before a sequence adds M-. */
	check("\033\033[A\033\033OB\033\033[1;5C", "M-Up M-Down C-M-Right");
}

static void test_function_keys(void **state)
{
	(void)state;
	check("\033OP\033OQ\033OR\033OS", "F1 F2 F3 F4");
	check("\033[11~\033[12~\033[13~\033[14~\033[15~", "F1 F2 F3 F4 F5");
	check("\033[17~\033[18~\033[19~\033[20~\033[21~\033[23~\033[24~",
	    "F6 F7 F8 F9 F10 F11 F12");
	check("\033[1;5P\033[1;2Q\033[1;3S", "C-F1 S-F2 M-F4");
	check("\033[1;5R", "C-F3");
	check("\033[15;2~\033[24;5~\033[17;3~", "S-F5 C-F12 M-F6");
	check("\033[[A\033[[E", "F1 F5");
	check("\033O5P\033O2S", "C-F1 S-F4");
	check("\033\033OP", "M-F1");
}

static void test_keypad(void **state)
{
	(void)state;
	check("\033Op\033Oq\033Or\033Os\033Ot\033Ou\033Ov\033Ow\033Ox\033Oy",
	    "KP0 KP1 KP2 KP3 KP4 KP5 KP6 KP7 KP8 KP9");
	check("\033Oj\033Ok\033Om\033On\033Oo\033OM", "KP* KP+ KP- KP. KP/ KPEnter");
}

static void test_csi_u(void **state)
{
	(void)state;
	check("\033[97u\033[97;5u\033[97;3u\033[97;2u", "a C-a M-a A");
	check("\033[97;7u\033[122;5u", "M-C-a C-z");
	check("\033[13;2u\033[13;5u\033[9;2u\033[9;5u", "S-Enter C-Enter BTab C-Tab");
	check("\033[127u\033[127;5u\033[27u", "BSpace C-BSpace Escape");
	check("\033[1078;5u\033[49;5u", "C-\xd0\xb6 C-1");
	check("\033[32;5u\033[64;5u", "C-Space C-Space");
	check("\033[97:65;6:1u", "C-a");
	/* xterm's modifyOtherKeys form. */
	check("\033[27;5;9~\033[27;2;13~\033[27;5;106~", "C-Tab S-Enter C-j");
	/* Codes that are not characters: dropped. */
	check("\033[57399u\033[55296u\033[1114112u\033[0u\033[5u", "");
}

static void test_mouse(void **state)
{
	(void)state;
	check("\033[<0;3;4M\033[<0;3;4m", "mouse:press:0:2,3:0 mouse:release:0:2,3:0");
	check("\033[<2;10;20M\033[<1;1;1M", "mouse:press:2:9,19:0 mouse:press:1:0,0:0");
	check("\033[<32;5;6M\033[<34;7;6M\033[<35;5;6M",
	    "mouse:drag:0:4,5:0 mouse:drag:2:6,5:0 mouse:move:0:4,5:0");
	check("\033[<64;1;1M\033[<65;9;9M\033[<66;1;1M\033[<67;1;1M",
	    "mouse:wheel:0:0,0:0 mouse:wheel:1:8,8:0 mouse:wheel:2:0,0:0 mouse:wheel:3:0,0:0");
	check("\033[<4;2;2M\033[<8;2;2M\033[<16;2;2M\033[<28;2;2M\033[<84;2;2M",
	    "mouse:press:0:1,1:1 mouse:press:0:1,1:2 mouse:press:0:1,1:4 mouse:press:0:1,1:7 "
	    "mouse:wheel:0:1,1:5");
	check("\033[<128;1;1M\033[<129;300;200M", "mouse:press:8:0,0:0 mouse:press:9:299,199:0");
	/* Out of range or malformed: dropped. */
	check("\033[<0;0;1M\033[<0;1;0M\033[<0;1M\033[<0;1;1;1M\033[<3;1;1M\033[<0;65537;1M"
	      "\033[<192;1;1M\033[<256;1;1M", "");
	/* X10/normal: ESC [ M and three bytes, 32 added to each (and 1 to x, y). */
	check("\033[M\x20\x23\x24\033[M\x23\x23\x24\033[M\x21\x21\x21\033[M\x23\x21\x21",
	    "mouse:press:0:2,3:0 mouse:release:0:2,3:0 mouse:press:1:0,0:0 mouse:release:1:0,0:0");
	check("\033[M\x60\x30\x30\033[M\x61\x30\x30\033[M\x40\x30\x30\033[M\x43\x30\x30"
	      "\033[M\x34\x30\x30",
	    "mouse:wheel:0:15,15:0 mouse:wheel:1:15,15:0 mouse:drag:0:15,15:0 "
	    "mouse:move:0:15,15:0 mouse:press:0:15,15:5");
	check("\033[M\x20\xff\xff", "mouse:press:0:222,222:0");
	check("\033[M\x20\x20\x21\033[M\x1f\x21\x21x", "x");
}

static void test_focus_and_replies(void **state)
{
	(void)state;
	check("\033[I\033[O", "focus-in focus-out");
	check("\033[?64;1;2;6;22c", "reply:da1:64:1");
	check("\033[?1;2c", "reply:da1:1:2");
	check("\033[>41;379;0c\033[>0;10;1c", "reply:da2:41:379 reply:da2:0:10");
	check("\033[12;40R\033[24;80R", "reply:cpr:12:40 reply:cpr:24:80");
	check("\033[?2026;2$y\033[4;1$y", "reply:decrqm:2026:2 reply:decrqm:4:1");
	check("\033[0n\033[?997;1n", "reply:dsr:0:0 reply:dsr:997:1");
	check("\033[?15u", "reply:kitty:15:0");
	check("\033[8;24;80t", "reply:winop:8:24");
	check("\033]11;rgb:0000/0000/0000\007", "reply:osc:11:0");
	check("\033]10;rgb:ffff/ffff/ffff\033\\", "reply:osc:10:0");
	check("\033]4;1;rgb:cdcd/0000/0000\033\\", "reply:osc:4:0");
	check("\033P>|XTerm(379)\033\\\033P!|00000000\033\\\033P1+r544e=787465726d\033\\"
	      "\033P1$r0m\033\\",
	    "reply:dcs:0:0 reply:dcs:0:0 reply:dcs:0:0 reply:dcs:0:0");
	check("\033_Gi=1;OK\033\\", "reply:apc:0:0");
	/* Replies between keys. */
	check("a\033[?1;2cb\033]11;rgb:1/2/3\007c", "a reply:da1:1:2 b reply:osc:11:0 c");
	/* Typed M-P, M-], M-_ are not strings. */
	check("\033Pab\033]x\033_y", "M-P a b M-] x M-_ y");
}

/* CSI 1;N R is a modified F3 unless the caller asked for the cursor. */
static void test_cpr_expected(void **state)
{
	struct got g;
	struct input *in;
	char *s;

	(void)state;
	got_init(&g);
	in = input_create(collect, &g);
	input_feed(in, "\033[1;5R", 6, 0);
	input_expect_cpr(in);
	input_feed(in, "\033[1;5R", 6, 0);
	input_feed(in, "\033[1;5R", 6, 0);
	input_expect_cpr(in);
	input_feed(in, "\033[1;", 4, 0);
	input_feed(in, "2R", 2, 0);
	input_feed(in, "\033[3;5R", 6, 0);
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "C-F3 reply:cpr:1:5 C-F3 reply:cpr:1:2 reply:cpr:3:5");
	free(s);
	got_free(&g);
}

static void test_paste(void **state)
{
	struct got g;
	char *s;
	static const char in1[] = "x\033[200~hi\033there\033[201\033[201x\r\n\033[201~y";

	(void)state;
	check(in1, "x paste y");
	for (size_t step = 0; step <= 3; step++) {
		got_init(&g);
		s = decode_in(in1, strlen(in1), step, &g);
		assert_string_equal(s, "x paste y");
		assert_int_equal(g.npaste, 1);
		assert_int_equal(g.paste.len, strlen("hi\033there\033[201\033[201x\r\n"));
		assert_memory_equal(g.paste.data, "hi\033there\033[201\033[201x\r\n", g.paste.len);
		free(s);
		got_free(&g);
	}
	/* Empty pastes say nothing; keys inside a paste are not keys, and a
	 * Ctrl-^ inside is data, not the escape. */
	check("\033[200~\033[201~a", "a");
	check("\033[200~\x1e.\033[A\033[201~b", "paste b");
	/* A stray end is dropped. */
	check("\033[201~z", "z");
}

/* Pastes are handed out in pieces of at most the limit, in order. */
static void test_paste_bounds(void **state)
{
	struct got g;
	struct input *in;
	size_t total = 20u * 1024 * 1024 + 12345, off = 0, fed = 0;
	uint8_t *data = malloc(total);
	char *s;
	unsigned seed = 7;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < total; i++) {
		seed = seed * 1103515245u + 12345u;
		data[i] = (uint8_t)(seed >> 16);
	}
	/* No end marker inside the data. */
	for (size_t i = 0; i + 1 < total; i++)
		if (data[i] == 0x1b && data[i + 1] == '[')
			data[i + 1] = 'x';
	got_init(&g);
	in = input_create(collect, &g);
	input_feed(in, "\033[200~", 6, 0);
	while (off < total) {
		size_t n = 1 + (seed = seed * 1103515245u + 12345u, (seed >> 8) % 70000);
		if (n > total - off)
			n = total - off;
		input_feed(in, data + off, n, 0);
		off += n;
		fed++;
	}
	input_feed(in, "\033[201~q", 7, 0);
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "paste q");
	assert_int_equal(g.paste.len, total);
	assert_memory_equal(g.paste.data, data, total);
	assert_true(g.paste_chunk_max <= INPUT_PASTE_MAX);
	assert_int_equal(g.npaste, (total + INPUT_PASTE_MAX - 1) / INPUT_PASTE_MAX);
	assert_false(g.paste_open);
	assert_true(fed > 100);
	free(s);
	got_free(&g);

	/* A small limit: 25 bytes in pieces of 10, 10, 5. */
	got_init(&g);
	in = input_create(collect, &g);
	input_set_paste_max(in, 10);
	input_feed(in, "\033[200~abcdefghijklmnopqrstuvwxy\033[201~", 37, 0);
	input_free(in);
	assert_int_equal(g.npaste, 3);
	assert_int_equal(g.paste_chunk_max, 10);
	assert_memory_equal(g.paste.data, "abcdefghijklmnopqrstuvwxy", 25);
	/* Exactly the limit: one piece. */
	got_free(&g);
	got_init(&g);
	in = input_create(collect, &g);
	input_set_paste_max(in, 10);
	input_feed(in, "\033[200~0123456789\033[201~", 22, 0);
	input_free(in);
	assert_int_equal(g.npaste, 1);
	assert_false(g.paste_open);
	got_free(&g);
	free(data);
}

/* A read of more than 100 bytes of text is marked as bulk (mosh's rule). */
static void test_bulk(void **state)
{
	char text[200];
	struct got g;
	struct input *in;
	char *s;

	(void)state;
	memset(text, 'k', sizeof text);
	got_init(&g);
	in = input_create(collect, &g);
	input_feed(in, text, INPUT_BULK_BYTES, 0);
	s = got_text(&g);
	assert_null(strstr(s, BULK));
	free(s);
	got_free(&g);
	got_init(&g);
	input_feed(in, text, INPUT_BULK_BYTES + 1, 0);
	input_feed(in, "z", 1, 0);
	s = got_text(&g);
	assert_int_equal(g.nitems, INPUT_BULK_BYTES + 2);
	assert_int_equal(strlen(s), (INPUT_BULK_BYTES + 1) * (2 + strlen(BULK)) + 1);
	assert_string_equal(s + strlen(s) - 3 - strlen(BULK), "k" BULK " z");
	free(s);
	got_free(&g);
	input_free(in);
}

static void test_escape_timing(void **state)
{
	struct got g;
	struct input *in;
	char *s;

	(void)state;
	got_init(&g);
	in = input_create(collect, &g);
	assert_int_equal(input_wait_ms(in, 0), -1);
	input_feed(in, "\033", 1, 1000);
	assert_int_equal(g.nitems, 0);
	assert_int_equal(input_wait_ms(in, 1000), 500);
	assert_int_equal(input_wait_ms(in, 1300), 200);
	assert_int_equal(input_timeout(in, 1499), 0);
	assert_int_equal(g.nitems, 0);
	assert_int_equal(input_wait_ms(in, 1500), 0);
	assert_int_equal(input_timeout(in, 1500), 1);
	assert_int_equal(input_wait_ms(in, 1500), -1);
	/* ESC then x within escape-time: M-x; after it: Escape, x. */
	input_feed(in, "\033", 1, 2000);
	input_feed(in, "x", 1, 2499);
	input_feed(in, "\033", 1, 3000);
	input_timeout(in, 3500);
	input_feed(in, "x", 1, 3501);
	/* The clock counts from the last byte: ESC [ then 1 later. */
	input_feed(in, "\033[", 2, 4000);
	assert_int_equal(input_timeout(in, 4400), 0);
	input_feed(in, "1", 1, 4400);
	assert_int_equal(input_timeout(in, 4800), 0);
	input_feed(in, "~", 1, 4850);
	/* Unfinished at the timeout: ESC [ is M-[, a longer CSI is dropped. */
	input_feed(in, "\033[", 2, 5000);
	input_timeout(in, 6000);
	input_feed(in, "\033[1;", 4, 7000);
	input_timeout(in, 8000);
	input_feed(in, "\033\033", 2, 9000);
	input_timeout(in, 9500);
	input_feed(in, "\033O", 2, 10000);
	input_timeout(in, 10500);
	s = got_text(&g);
	assert_string_equal(s, "Escape M-x Escape x Home M-[ M-Escape M-O");
	free(s);
	/* escape-time 0: resolved at once by the caller's next timeout call. */
	got_free(&g);
	got_init(&g);
	input_set_escape_time(in, 0);
	input_feed(in, "\033", 1, 20000);
	assert_int_equal(input_wait_ms(in, 20000), 0);
	assert_int_equal(input_timeout(in, 20000), 1);
	s = got_text(&g);
	assert_string_equal(s, "Escape");
	free(s);
	got_free(&g);
	input_free(in);
}

static void test_client_escape(void **state)
{
	struct got g;
	struct input *in;
	char *s;

	(void)state;
	check("\x1e.", "quit");
	check("\x1e\x1e", "C-^");
	check("\x1e\x1e.", "C-^ .");
	check("\x1ex", "C-^ x");
	check("\x1e\033[A", "C-^ Up");
	check("a\x1e\x1e\x1e.b", "a C-^ quit b");
	check("\x1e\033[<0;1;1M", "C-^ mouse:press:0:0,0:0");
	check("\x1e\033[200~p\033[201~", "C-^ paste");
	/* CSI u's C-^ is the escape too. */
	check("\033[54;5u.", "quit");
	check("\033[94;5u\033[94;5u", "C-^");
	/* The Ctrl-^ waits for the next key however long it takes. */
	got_init(&g);
	in = input_create(collect, &g);
	input_feed(in, "\x1e", 1, 0);
	assert_int_equal(input_wait_ms(in, 0), -1);
	input_timeout(in, 100000);
	assert_int_equal(g.nitems, 0);
	input_feed(in, ".", 1, 200000);
	/* Off: every Ctrl-^ is a key. */
	input_set_client_escape(in, 0);
	input_feed(in, "\x1e.", 2, 200001);
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "quit C-^ .");
	free(s);
	got_free(&g);
}

static void test_garbage(void **state)
{
	char big[12000];
	size_t n;

	(void)state;
	/* Unknown sequences are dropped, what follows is decoded. */
	check("\033[99zx", "x");
	check("\033[1;2;3;4Ax", "x");
	check("\033[?1;2Ax\033[>5~y\033[=1cz", "x y z");
	check("\033[1\033[A", "Up");
	check("\033[1;5\rx", "Enter x");
	check("\033[1;999A\033[1;0Ax", "Up x");
	check("\033O~\033Ozx", "M-O ~ M-O z x");
	check("\033O5~q", "q");
	check("\xff\xfe\xc0\xafq", "q");
	check("\xc3q\xe2\x82q\xed\xa0\x80q\xf4\x90\x80\x80q", "q q q q");
	check("\x80\x9b[Aq", "[ A q");
	check("\033]11;rgb:0/0/0\033x", "M-x");
	check("\033P>|abc\030q", "q");
	check("\033[12345678901234567890;1Rq", "reply:cpr:16777215:1 q");
	/* Overlong CSI and strings: skipped to their end. */
	n = (size_t)snprintf(big, sizeof big, "\033[");
	memset(big + n, '1', 1000);
	n += 1000;
	n += (size_t)snprintf(big + n, sizeof big - n, "Ab");
	check_len(big, n, "b");
	n = (size_t)snprintf(big, sizeof big, "\033]11;");
	memset(big + n, 'x', 10000);
	n += 10000;
	n += (size_t)snprintf(big + n, sizeof big - n, "\007c\033[A");
	check_len(big, n, "c Up");
	n = (size_t)snprintf(big, sizeof big, "\033P1+r");
	memset(big + n, 'y', 9000);
	n += 9000;
	n += (size_t)snprintf(big + n, sizeof big - n, "\033\\d");
	check_len(big, n, "d");
}

/* Random streams of real sequences and noise: no crash, and feeding them
 * byte by byte gives what feeding them whole gives. */
static void test_random_streams(void **state)
{
	static const char *const pieces[] = {
		"a", "\xc3\xa9", "\033[A", "\033[1;5D", "\033OP", "\033[15;2~", "\033[<0;3;4M",
		"\033[M !!", "\033[I", "\033[200~xy\033z\033[201~", "\033]11;rgb:0/0/0\007",
		"\033[?1;2c", "\033[97;5u", "\033x", "\x7f", "\r", "\033[12;40R", "\x1e", ".",
		"\033P>|v\033\\", "\033", "\033[", "\xff", "\033[99z", "\033Op",
	};
	unsigned seed = 12345;
	char buf[400];

	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n = 0;
		while (n < 300) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			if (r % 5 == 0) {
				buf[n++] = (char)(r >> 3);
				continue;
			}
			const char *p = pieces[(r >> 3) % (sizeof pieces / sizeof pieces[0])];
			size_t l = p[0] == '\0' ? 1 : strlen(p);
			memcpy(buf + n, p, l);
			n += l;
		}
		char *whole = decode_in(buf, n, 0, NULL);
		char *bytewise = decode_in(buf, n, 1, NULL);
		char *threes = decode_in(buf, n, 3, NULL);
		strip_bulk(whole);
		assert_string_equal(whole, bytewise);
		assert_string_equal(whole, threes);
		free(whole);
		free(bytewise);
		free(threes);
	}
}

static void test_added_sequences(void **state)
{
	struct got g;
	struct input *in;
	char *s;

	(void)state;
	got_init(&g);
	in = input_create(collect, &g);
	assert_int_equal(input_add_sequence(in, "\x08", KEY_BSPACE), 0);
	assert_int_equal(input_add_sequence(in, "\033[Y", KEY_F12 | KEY_SHIFT), 0);
	assert_int_equal(input_add_sequence(in, "\033[Y", KEY_F11), 0); /* replaces */
	assert_int_equal(input_add_sequence(in, "\033A", KEY_UP), 0);
	assert_int_equal(input_add_sequence(in, "a", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033[M", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033[<", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033[200~", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033[I", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033]1", KEY_UP), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033P", KEY_F1), 0);
	assert_int_equal(input_add_sequence(in, "\033[A", KEY_NONE), RMUX_ERR_MALFORMED);
	assert_int_equal(input_add_sequence(in, "\033[20~", KEY_F9), 0);
	assert_int_equal(input_add_sequence(in,
	    "\033[11111111111111111111111111111111111~", KEY_F9), RMUX_ERR_TOO_BIG);
	for (size_t cut = 0; cut <= 3; cut++) {
		static const char seq[] = "\x08\033[Y\033A\033[A\033\033[Y";
		input_feed(in, seq, cut, 0);
		input_feed(in, seq + cut, sizeof seq - 1 - cut, 0);
	}
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "BSpace F11 Up Up M-F11 BSpace F11 Up Up M-F11 "
	    "BSpace F11 Up Up M-F11 BSpace F11 Up Up M-F11");
	free(s);
	got_free(&g);
}

/* Terminfo: vt52 sends ESC A for Up and ESC P for F1, which would
 * otherwise be M-A and M-P; xterm's kf13 is S-F1. */
static void test_terminfo(void **state)
{
	struct got g;
	struct input *in;
	int err;
	char *s;

	(void)state;
	assert_int_equal(setupterm("vt52", -1, &err), 0);
	got_init(&g);
	in = input_create(collect, &g);
	assert_true(input_add_terminfo(in) >= 5);
	input_feed(in, "\033A\033P\x08\033[A", 8, 0);
	input_timeout(in, 1000);
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "Up F1 BSpace Up");
	free(s);
	got_free(&g);
	del_curterm(cur_term);

	assert_int_equal(setupterm("xterm-256color", -1, &err), 0);
	got_init(&g);
	in = input_create(collect, &g);
	assert_true(input_add_terminfo(in) >= 60);
	static const char xseq[] = "\033[1;2P\033OH\033[1;5A\x08\033Ow";
	input_feed(in, xseq, sizeof xseq - 1, 0);
	input_free(in);
	s = got_text(&g);
	assert_string_equal(s, "S-F1 Home C-Up C-h KP7");
	free(s);
	got_free(&g);
	del_curterm(cur_term);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_controls),
		cmocka_unit_test(test_cursor_and_editing),
		cmocka_unit_test(test_function_keys),
		cmocka_unit_test(test_keypad),
		cmocka_unit_test(test_csi_u),
		cmocka_unit_test(test_mouse),
		cmocka_unit_test(test_focus_and_replies),
		cmocka_unit_test(test_cpr_expected),
		cmocka_unit_test(test_paste),
		cmocka_unit_test(test_paste_bounds),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_escape_timing),
		cmocka_unit_test(test_client_escape),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_random_streams),
		cmocka_unit_test(test_added_sequences),
		cmocka_unit_test(test_terminfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
