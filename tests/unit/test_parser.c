/* test_parser.c — the state machine (parser.h): sequences split at every
 * byte, bad input, parameter limits, OSC limits, unknown sequences. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "term/parser.h"
#include "term/screen.h"

struct fixture {
	struct screen *s;
	struct parser p;
};

static struct fixture *fx_new(unsigned cols, unsigned rows)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->s = screen_create(cols, rows, 100);
	parser_init(&f->p);
	return f;
}

static void fx_free(struct fixture *f)
{
	parser_free(&f->p);
	screen_free(f->s);
	free(f);
}

static void feed(struct fixture *f, const char *bytes, size_t len)
{
	parser_input(&f->p, f->s, (const uint8_t *)bytes, len);
}

#define FEED(f, lit) feed((f), (lit), sizeof(lit) - 1)

static const char *row_text(struct screen *s, unsigned y)
{
	static char out[4096];
	size_t len = 0, keep = 0;

	for (unsigned x = 0; x < s->cols; x++) {
		len += cell_utf8(&s->grid->row[y].cells[x], s->clusters, out + len);
		if (len > 0 && out[len - 1] != ' ')
			keep = len;
	}
	out[keep] = '\0';
	return out;
}

/* Two screens hold the same cells, cursor, modes and pen. */
static void assert_same_screen(struct screen *a, struct screen *b)
{
	assert_int_equal(a->cx, b->cx);
	assert_int_equal(a->cy, b->cy);
	assert_int_equal(a->wrap_pending, b->wrap_pending);
	assert_int_equal(a->modes, b->modes);
	assert_memory_equal(&a->pen, &b->pen, sizeof a->pen);
	assert_string_equal(a->title, b->title);
	assert_int_equal(a->replies.len, b->replies.len);
	if (a->replies.len > 0)
		assert_memory_equal(a->replies.data, b->replies.data, a->replies.len);
	for (unsigned y = 0; y < a->rows; y++) {
		char ta[4096];
		strcpy(ta, row_text(a, y));
		assert_string_equal(ta, row_text(b, y));
		for (unsigned x = 0; x < a->cols; x++) {
			const struct cell *ca = &a->grid->row[y].cells[x];
			const struct cell *cb = &b->grid->row[y].cells[x];
			assert_true(cell_same_style(ca, cb));
		}
	}
}

static const char split_input[] =
	"plain \033[1;31mred\033[0m \xe4\xb8\x80wide e\xcc\x81 \xf0\x9f\x98\x80"
	"\033[38:2::10:20:30mrgb\033[m\033]2;a title\007\033]0;other\033\\"
	"\033[3;4H\033[2Kx\033(0lqk\033(B\033[?1049h\033[?1049l\033P$qm\033\\"
	"\033[5n\033[6n\033[?2026$p\r\n\033[4hins\033[4l\033[2@\033[3b"
	"\xe4\xb8\x80\xe4";

static void test_split_everywhere(void **state)
{
	(void)state;
	size_t len = sizeof split_input - 1;
	struct fixture *whole = fx_new(20, 6);
	feed(whole, split_input, len);

	for (size_t cut = 1; cut < len; cut++) {
		struct fixture *f = fx_new(20, 6);
		feed(f, split_input, cut);
		feed(f, split_input + cut, len - cut);
		assert_same_screen(whole->s, f->s);
		fx_free(f);
	}
	/* One byte at a time as well. */
	struct fixture *f = fx_new(20, 6);
	for (size_t i = 0; i < len; i++)
		feed(f, split_input + i, 1);
	assert_same_screen(whole->s, f->s);
	fx_free(f);
	assert_string_equal(whole->s->title, "other");
	fx_free(whole);
}

static void test_utf8_errors(void **state)
{
	(void)state;
	struct fixture *f = fx_new(20, 2);
	/* Invalid byte, truncated sequence, overlong, surrogate. */
	FEED(f, "a\xff" "b\xe4\xb8" "c\xc0\xaf" "d\xed\xa0\x80" "e");
	assert_string_equal(row_text(f->s, 0), "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd"
					       "d\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e");
	fx_free(f);

	/* A C0 control inside a character acts and the character goes on. */
	f = fx_new(20, 2);
	FEED(f, "ab\xe4\xb8\r\x80");
	assert_string_equal(row_text(f->s, 0), "\xe4\xb8\x80");
	assert_int_equal(f->s->cx, 2);
	/* ESC inside a character ends it. */
	FEED(f, "\r\xe4\033[Cz");
	assert_string_equal(row_text(f->s, 0), "\xef\xbf\xbd z");
	fx_free(f);
}

static void test_unknown_consumed(void **state)
{
	(void)state;
	struct fixture *f = fx_new(40, 2);
	FEED(f, "a\033[?999z\033[>5;6;7x\033[1;2;3$}\033Zb\033P1;2|stuff\033\\c"
		"\033_apc body\033\\d\033^pm\033\\e\033Xsos\033\\f\033kname\033\\g"
		"\033[1 2 3 4 q" "h\033%Gi\033[999999999999999999999Cj");
	assert_string_equal(row_text(f->s, 0), "abcdefghi" "                              j");
	fx_free(f);
}

static void test_c0_inside_csi(void **state)
{
	(void)state;
	struct fixture *f = fx_new(10, 3);
	/* The CR and LF act at once; the CSI then completes. */
	FEED(f, "abc\033[\r\n2Cx");
	assert_string_equal(row_text(f->s, 1), "  x");
	/* CAN aborts the sequence; SUB too. */
	FEED(f, "\033[5\030D\033[2\032E");
	assert_string_equal(row_text(f->s, 1), "  xDE");
	fx_free(f);
}

static void test_param_limits(void **state)
{
	(void)state;
	struct fixture *f = fx_new(10, 5);
	/* Values are clamped, so a huge CUP lands in the corner. */
	FEED(f, "\033[99999999999;99999999999H");
	assert_int_equal(f->s->cx, 9);
	assert_int_equal(f->s->cy, 4);
	/* More parameters than fit: the extra ones are ignored, the rest apply. */
	char seq[256] = "\033[";
	for (int i = 0; i < 40; i++)
		strcat(seq, i == 0 ? "1" : ";1");
	strcat(seq, ";31m");
	feed(f, seq, strlen(seq));
	assert_true(f->s->pen.attr & ATTR_BOLD);
	assert_int_equal(f->s->pen.fg, COLOUR_DEFAULT);
	/* Empty parameters take their defaults. */
	FEED(f, "\033[;5H");
	assert_int_equal(f->s->cx, 4);
	assert_int_equal(f->s->cy, 0);
	FEED(f, "\033[0;0H");
	assert_int_equal(f->s->cx, 0);
	fx_free(f);
}

static void test_osc_limits(void **state)
{
	(void)state;
	struct fixture *f = fx_new(10, 2);
	size_t big = SCREEN_OSC_MAX + 10;
	char *osc = malloc(big + 8);
	memcpy(osc, "\033]2;", 4);
	memset(osc + 4, 'x', big - 4);
	osc[big] = '\007';
	feed(f, osc, big + 1);
	assert_string_equal(f->s->title, ""); /* dropped whole */
	FEED(f, "after");
	assert_string_equal(row_text(f->s, 0), "after");

	/* Within the limit but longer than a title: cut. */
	size_t mid = SCREEN_TITLE_MAX * 3;
	osc[mid] = '\007';
	feed(f, osc, mid + 1);
	assert_int_equal(strlen(f->s->title), SCREEN_TITLE_MAX);
	free(osc);

	/* Both terminators; a C0 inside the string is ignored. */
	FEED(f, "\033]0;one\033\\");
	assert_string_equal(f->s->title, "one");
	FEED(f, "\033]2;t\x01wo\007");
	assert_string_equal(f->s->title, "two");
	fx_free(f);
}

static void test_fuzz_no_crash(void **state)
{
	(void)state;
	/* Seeded noise biased towards sequence bytes; the screen stays sane. */
	static const char alphabet[] = "\033[]P;:?>0123456789mHJKr@hl\007\r\n\x80\xe4\xb8\xcc\x81\x9c"
				       "(0B#8c \"$!qpx";
	uint32_t seed = 12345;
	struct fixture *f = fx_new(13, 7);
	char buf[512];
	for (int round = 0; round < 400; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			buf[i] = (r & 3) ? alphabet[r % (sizeof alphabet - 1)] : (char)(r >> 3);
		}
		feed(f, buf, sizeof buf);
		assert_true(f->s->cx < f->s->cols);
		assert_true(f->s->cy < f->s->rows);
		assert_true(f->s->scroll_top < f->s->scroll_bottom);
		assert_true(f->s->scroll_bottom < f->s->rows);
		buf_reset(&f->s->replies);
		buf_reset(&f->s->clipboard);
		if (round % 50 == 0)
			screen_resize(f->s, 5 + (unsigned)round % 17, 3 + (unsigned)round % 5);
	}
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_everywhere),
		cmocka_unit_test(test_utf8_errors),
		cmocka_unit_test(test_unknown_consumed),
		cmocka_unit_test(test_c0_inside_csi),
		cmocka_unit_test(test_param_limits),
		cmocka_unit_test(test_osc_limits),
		cmocka_unit_test(test_fuzz_no_crash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
