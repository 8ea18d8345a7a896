/* test_format.c — the format language. Each expectation is what tmux 3.3a
 * printed for display-message -p FORMAT in a session "sess", window "win",
 * pane %0 titled "héllo wörld". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"
#include "server/format.h"

static char *vars(const char *name, void *arg)
{
	static const char *const table[][2] = {
		{ "session_name", "sess" }, { "window_index", "0" }, { "window_name", "win" },
		{ "pane_index", "0" }, { "pane_id", "%0" }, { "pane_title", "h\xc3\xa9llo w\xc3\xb6rld" },
		{ "host", "box.example" }, { "host_short", "box" }, { "window_flags", "*" },
		{ "zero", "0" }, { "empty", "" }, { "path", "/usr/local/bin" },
	};
	int *calls = arg;

	if (calls != NULL)
		(*calls)++;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (strcmp(table[i][0], name) == 0)
			return xstrdup(table[i][1]);
	}
	return NULL;
}

static const char *const cases[][2] = {
	{ "#S:#I:#W.#P #D", "sess:0:win.0 %0" },
	{ "##S #, #} x#", "#S , } x#" },
	{ "#{session_name}", "sess" },
	{ "#{?session_name,yes,no}", "yes" },
	{ "#{?nosuchvar,yes,no}", "no" },
	{ "#{?#{==:#{session_name},sess},eq,ne}", "eq" },
	{ "#{==:a,b}#{!=:a,b}#{<:a,b}#{>:a,b}", "0110" },
	{ "#{||:0,1}#{&&:1,0}#{&&:1,x}", "101" },
	{ "#{=3:session_name}|#{=-3:pane_title}|#{=5:pane_title}", "ses|rld|h\xc3\xa9llo" },
	{ "#{=-2:window_name}", "in" },
	{ "#{?session_name,#{?window_name,both,one},none}", "both" },
	{ "#{?,a,b}", "b" },
	{ "#{?0,a,b}", "b" },
	{ "#{?1,a,b}", "b" },
	{ "#{?nosuch,a,0,b,c}", "0,b,c" },
	{ "#{l:#{session_name}}", "#{session_name}" },
	{ "#{b:/usr/local/bin}|#{d:/usr/local/bin}", "|" },
	{ "#{n:pane_title}|#{w:pane_title}", "13|11" },
	{ "#{p8:session_name}|#{p-8:session_name}", "sess    |    sess" },
	{ "#{s/s/X/:session_name}", "XeXX" },
	{ "#{m:s*,sess}#{m:x*,sess}", "10" },
	{ "#{nosuch}end", "end" },
	{ "#[fg=red]#S#[default]", "#[fg=red]sess#[default]" },
	{ "#{?session_name,a#,b,c}", "a,b" },
	{ "#{session_name", "" },
	{ "#q #x", "#q #x" },
	/* rmux-only checks of the same rules. */
	{ "#H #h #T #F", "box.example box h\xc3\xa9llo w\xc3\xb6rld *" },
	{ "#{?zero,a,b}#{?empty,a,b}", "bb" },
	{ "#{b:path}|#{d:path}", "bin|/usr/local" },
	{ "#{=10:pane_title}", "h\xc3\xa9llo w\xc3\xb6rl" },
	{ "#{=-100:session_name}", "sess" },
	{ "", "" },
};

static void test_cases(void **state)
{
	struct format_ctx ctx = { vars, NULL };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = format_expand(cases[i][0], &ctx);
		int same = strcmp(got, cases[i][1]) == 0;
		if (!same)
			print_message("%s: want [%s] got [%s]\n", cases[i][0], cases[i][1], got);
		free(got);
		assert_true(same);
	}
}

static void test_lazy_branches(void **state)
{
	int calls = 0;
	struct format_ctx ctx = { vars, &calls };
	char *s = format_expand("#{?session_name,#{window_name},#{pane_title}#{host}}", &ctx);

	assert_string_equal(s, "win");
	/* The condition and the chosen branch only. */
	assert_int_equal(calls, 2);
	free(s);
}

static void test_time(void **state)
{
	struct format_ctx ctx = { vars, NULL };
	struct tm tm = { 0 };
	time_t t;
	char *s;

	tm.tm_year = 126;
	tm.tm_mon = 10;
	tm.tm_mday = 27;
	tm.tm_hour = 14;
	tm.tm_min = 8;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	s = format_expand_time("\"#{=21:pane_title}\" %H:%M %d-%b-%y", &ctx, t);
	assert_string_equal(s, "\"h\xc3\xa9llo w\xc3\xb6rld\" 14:08 27-Nov-26");
	free(s);
	s = format_expand_time("[#S] 100%%", &ctx, t);
	assert_string_equal(s, "[sess] 100%");
	free(s);
	s = format_expand_time("%p", &ctx, t);
	assert_string_equal(s, "PM");
	free(s);
}

static void test_deep_and_garbage(void **state)
{
	struct format_ctx ctx = { vars, NULL };
	char deep[4096] = "";
	uint32_t x = 7;
	char text[48];
	static const char alphabet[] = "#{}?,:=-1sS;l|&!<>[]p/mbdnw ";

	for (int i = 0; i < 500; i++)
		strcat(deep, "#{?");
	char *s = format_expand(deep, &ctx);
	free(s);
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)(iter % 47);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			text[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		text[len] = '\0';
		s = format_expand(text, &ctx);
		assert_non_null(s);
		free(s);
	}
	assert_true(format_true("x"));
	assert_false(format_true("0"));
	assert_false(format_true(""));
	assert_true(format_true("00"));
}

/* Out-of-range =N and pN arguments are ignored as tmux 3.3a ignores them
 * (it printed the untrimmed, unpadded value for each of these), and an
 * empty s/// match never splits a UTF-8 character (tmux 3.3a does). */
static void test_numbers_and_empty_match(void **state)
{
	static const char *const more[][2] = {
		{ "#{=-9223372036854775808:session_name}", "sess" },
		{ "#{=9223372036854775808:session_name}", "sess" },
		{ "#{=4294967298:session_name}", "sess" },
		{ "#{=2147483648:session_name}", "sess" },
		{ "#{=2x:session_name}", "sess" },
		{ "#{=+2:session_name}", "se" },
		{ "#{=-2147483647:session_name}", "sess" },
		{ "#{p-9223372036854775808:session_name}|", "sess|" },
		{ "#{p4294967300:session_name}|", "sess|" },
		{ "#{p-6:session_name}|", "  sess|" },
		/* Empty matches as GNU sed's s///g finds them. */
		{ "#{s/x*/-/:pane_title}", "-h-\xc3\xa9-l-l-o- -w-\xc3\xb6-r-l-d-" },
		{ "#{s/l*/./:pane_title}", ".h.\xc3\xa9.o. .w.\xc3\xb6.r.d." },
		{ "#{s/$/-/:session_name}|#{s/^/-/:session_name}", "sess-|-sess" },
		{ "#{s/x*/-/:empty}", "" },
	};
	struct format_ctx ctx = { vars, NULL };

	for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
		char *got = format_expand(more[i][0], &ctx);
		int same = strcmp(got, more[i][1]) == 0;
		if (!same)
			print_message("%s: want [%s] got [%s]\n", more[i][0], more[i][1], got);
		free(got);
		assert_true(same);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_lazy_branches),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_deep_and_garbage),
		cmocka_unit_test(test_numbers_and_empty_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
