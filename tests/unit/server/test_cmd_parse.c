/* test_cmd_parse.c — tmux's command syntax. The expected words were
 * checked by sourcing the same lines in tmux 3.3a with display-message -p. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"
#include "server/cmd_parse.h"

static const char *test_env(const char *name, void *arg)
{
	if (strcmp(name, "HOME") == 0)
		return "/home/u";
	if (strcmp(name, "X") == 0)
		return "ex";
	return NULL;
}

/* Commands as "w1|w2 ; w1|w2", errors appended as " !LINE:message". */
static char *show(const char *text, int *ret)
{
	struct cmd_parse_opts o = { test_env, NULL, 0 };
	struct cmd_parse_result r;
	struct buf b;

	*ret = cmd_parse_string(text, strlen(text), &o, &r);
	buf_init(&b);
	for (size_t i = 0; i < r.ncmds; i++) {
		if (i != 0)
			buf_add_printf(&b, " ; ");
		buf_add_printf(&b, "%u:", r.cmds[i].line);
		for (int j = 0; j < r.cmds[i].argc; j++)
			buf_add_printf(&b, "%s%s", j ? "|" : "", r.cmds[i].argv[j]);
		assert_null(r.cmds[i].argv[r.cmds[i].argc]);
	}
	for (size_t i = 0; i < r.nerrors; i++)
		buf_add_printf(&b, " !%u:%s", r.errors[i].line, r.errors[i].message);
	buf_add_u8(&b, '\0');
	cmd_parse_result_free(&r);
	return (char *)b.data;
}

static void check(const char *text, const char *expect, int expect_ret)
{
	int ret;
	char *got = show(text, &ret);

	int same = strcmp(got, expect) == 0;

	if (!same)
		print_message("input [%s]\n  want [%s]\n  got  [%s]\n", text, expect, got);
	free(got);
	assert_true(same);
	assert_int_equal(ret, expect_ret);
}

static void test_words_and_quotes(void **state)
{
	check("display -p hello", "1:display|-p|hello", 0);
	check("  new  -d\t-s  x  ", "1:new|-d|-s|x", 0);
	check("display -p 'q\"s'", "1:display|-p|q\"s", 0);
	check("display -p \"w's\"", "1:display|-p|w's", 0);
	check("display -p a\"b\"c", "1:display|-p|abc", 0);
	check("display -p \"\" x", "1:display|-p||x", 0);
	check("display -p 'o\\p'", "1:display|-p|o\\p", 0);
	check("display -p \"m\\\"n\"", "1:display|-p|m\"n", 0);
	check("display -p a\\ b", "1:display|-p|a b", 0);
	check("display -p \"ab\ncd\"", "1:display|-p|ab\ncd", 0);
}

static void test_escapes(void **state)
{
	check("display -p \\a\\e\\tl\\u00e9\\101|", "1:display|-p|\a\033\tl\xc3\xa9" "A|", 0);
	check("display -p \\U0001F600", "1:display|-p|\xf0\x9f\x98\x80", 0);
	check("display -p \"\\z\" \\z \"\\x41\"", "1:display|-p|z|z|x41", 0);
	check("display -p \\s\\n", "1:display|-p| \n", 0);
	check("display -p \\777", " !1:invalid octal escape", RMUX_ERR_MALFORMED);
	check("display -p \\18", " !1:invalid octal escape", RMUX_ERR_MALFORMED);
	check("display -p \\u12", " !1:invalid \\u argument", RMUX_ERR_MALFORMED);
	check("display -p \\ud800", " !1:invalid \\u argument", RMUX_ERR_MALFORMED);
	/* A backslash at the very end is dropped, as tmux does. */
	check("display -p \\", "1:display|-p", 0);
}

static void test_variables_and_tilde(void **state)
{
	check("display -p ~ ~/x a~b", "1:display|-p|/home/u|/home/u/x|a~b", 0);
	check("display -p $HOME/z \"${HOME}x\" '$HOME'", "1:display|-p|/home/u/z|/home/ux|$HOME", 0);
	check("display -p $NOSUCHVAR. $X$X", "1:display|-p|.|exex", 0);
	check("display -p \\$HOME \"\\$HOME\" $ a$", "1:display|-p|$HOME|$HOME|$|a$", 0);
	check("display -p ${HOME", " !1:invalid environment variable", RMUX_ERR_MALFORMED);
	check("display -p ${}", " !1:invalid environment variable", RMUX_ERR_MALFORMED);
	check("display -p ~root/x", "1:display|-p|/root/x", 0);
	check("display -p ~no-such-user-rmux/x", " !1:syntax error", RMUX_ERR_MALFORMED);
}

static void test_separators_and_comments(void **state)
{
	check("display -p \"a;b\" ; display -p c", "1:display|-p|a;b ; 1:display|-p|c", 0);
	check("display -p x;display -p y", "1:display|-p|x ; 1:display|-p|y", 0);
	check("display -p a ;; display -p b", "1:display|-p|a ; 1:display|-p|b", 0);
	/* An escaped ; is a literal word: bind-key splits on it later. */
	check("display -p d\\;e", "1:display|-p|d;e", 0);
	check("bind x display a \\; display b", "1:bind|x|display|a|;|display|b", 0);
	check("display -p f#g #comment", "1:display|-p|f#g", 0);
	check("display -p \"h #i\"", "1:display|-p|h #i", 0);
	check("# only a comment\n\n   # indented\n", "", 0);
	check("a\nb\n\nc", "1:a ; 2:b ; 4:c", 0);
	/* tmux keeps a carriage return as part of the word. */
	check("a\r\nb\r\n", "1:a\r ; 2:b\r", 0);
}

static void test_continuation(void **state)
{
	check("display -p a\\\nb", "1:display|-p|ab", 0);
	check("display -p a \\\nb\nx", "1:display|-p|a|b ; 3:x", 0);
	check("display -p \"a\\\nb\"", "1:display|-p|ab", 0);
	check("display -p 'a\\\nb'", "1:display|-p|ab", 0);
	/* Two backslashes are one escaped backslash, not a continuation. */
	check("display -p a\\\\\nb", "1:display|-p|a\\ ; 2:b", 0);
	check("display -p a\\\\\\\nb", "1:display|-p|a\\b", 0);
}

static void test_errors_keep_other_lines(void **state)
{
	check("new -d\ndisplay -p {\nset -g x y\n", "1:new|-d ; 3:set|-g|x|y !2:syntax error",
	    RMUX_ERR_MALFORMED);
	check("display -p a } b\nok", "2:ok !1:syntax error", RMUX_ERR_MALFORMED);
	check("a ; b {\nc", "2:c !1:syntax error", RMUX_ERR_MALFORMED);
	check("display -p \"unterminated", " !1:unterminated quote", RMUX_ERR_MALFORMED);
	check("x\ndisplay -p 'open\nmore", "1:x !3:unterminated quote", RMUX_ERR_MALFORMED);
	check("\\777 x\n\\777 y\nz", "3:z !1:invalid octal escape !2:invalid octal escape",
	    RMUX_ERR_MALFORMED);
}

static void test_first_line(void **state)
{
	struct cmd_parse_opts o = { test_env, NULL, 10 };
	struct cmd_parse_result r;

	assert_int_equal(cmd_parse_string("a\n{", 3, &o, &r), RMUX_ERR_MALFORMED);
	assert_int_equal(r.ncmds, 1);
	assert_int_equal(r.cmds[0].line, 10);
	assert_int_equal(r.nerrors, 1);
	assert_int_equal(r.errors[0].line, 11);
	cmd_parse_result_free(&r);
	/* Embedded NUL bytes are data, not the end of input. */
	assert_int_equal(cmd_parse_string("a\0b", 3, &o, &r), 0);
	assert_int_equal(r.ncmds, 1);
	cmd_parse_result_free(&r);
}

static void test_argv(void **state)
{
	char *argv1[] = { "new", "-d", ";", "split-window", "-h" };
	char *argv2[] = { "new;", "display", "a\\;", ";", ";", "x;y" };
	struct cmd_parse_result r;

	assert_int_equal(cmd_parse_argv(5, argv1, &r), 0);
	assert_int_equal(r.ncmds, 2);
	assert_int_equal(r.cmds[0].argc, 2);
	assert_string_equal(r.cmds[1].argv[0], "split-window");
	assert_string_equal(r.cmds[1].argv[1], "-h");
	char *p = cmd_parse_print(&r);
	assert_string_equal(p, "new -d \\; split-window -h");
	free(p);
	cmd_parse_result_free(&r);

	assert_int_equal(cmd_parse_argv(6, argv2, &r), 0);
	assert_int_equal(r.ncmds, 3);
	assert_int_equal(r.cmds[0].argc, 1);
	assert_string_equal(r.cmds[0].argv[0], "new");
	assert_int_equal(r.cmds[1].argc, 2);
	assert_string_equal(r.cmds[1].argv[1], "a;");
	assert_string_equal(r.cmds[2].argv[0], "x;y");
	cmd_parse_result_free(&r);

	assert_int_equal(cmd_parse_argv(0, NULL, &r), 0);
	assert_int_equal(r.ncmds, 0);
	cmd_parse_result_free(&r);
}

/* Each pair: the value and how tmux 3.3a's show-options prints it. */
static void test_quote(void **state)
{
	static const char *const pairs[][2] = {
		{ "plain", "plain" },
		{ "two words", "\"two words\"" },
		{ "a\"b", "'a\"b'" },
		{ "a$b", "\"a\\$b\"" },
		{ "it's", "\"it's\"" },
		{ "x#y", "\"x#y\"" },
		{ "a\\b", "a\\\\b" },
		{ "a;b", "\"a;b\"" },
		{ "~", "\\~" },
		{ "~x", "\\~x" },
		{ "\xc3\xa9 \xc3\xbc", "\"\xc3\xa9 \xc3\xbc\"" },
		{ "a\tb\001c\033d", "a\\tb\\001c\\033d" },
		{ "", "''" },
		{ " ", "\" \"" },
		{ "\"", "\\\"" },
		{ "#", "\\#" },
		{ "'", "\\'" },
		{ "a{b}", "\"a{b}\"" },
		{ "a%b", "\"a%b\"" },
		{ "$", "\\$" },
		{ "\xc3\xa9", "\xc3\xa9" },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char *q = cmd_parse_quote(pairs[i][0]);
		assert_string_equal(q, pairs[i][1]);
		free(q);
	}
}

/* Whatever cmd_parse_quote prints parses back to the same single word. */
static void test_quote_roundtrip(void **state)
{
	static const char *const words[] = {
		"plain", "two words", "a\"b'c", "$HOME", "~user", "#{session_name}",
		"tab\there", "x;y", "back\\slash", "\xe4\xb8\xad\xe6\x96\x87", "{", "}", "\x7f\x01",
	};
	struct cmd_parse_opts o = { test_env, NULL, 0 };

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		struct cmd_parse_result r;
		char *q = cmd_parse_quote(words[i]);
		assert_int_equal(cmd_parse_string(q, strlen(q), &o, &r), 0);
		assert_int_equal(r.ncmds, 1);
		assert_int_equal(r.cmds[0].argc, 1);
		assert_string_equal(r.cmds[0].argv[0], words[i]);
		cmd_parse_result_free(&r);
		free(q);
	}
}

/* A word with a double quote would go in single quotes, where a backslash
 * escape reads back as itself; with an escape in it rmux uses double
 * quotes instead (tmux 3.3a prints '\\"' for \" and so loses the word). */
static void test_quote_escape_in_dquotes(void **state)
{
	static const char *const pairs[][2] = {
		{ "\\\"", "\"\\\\\\\"\"" },
		{ "x\"\001", "\"x\\\"\\001\"" },
		{ "\x80\"", "\"\\200\\\"\"" },
		{ "a\"b\x7f", "\"a\\\"b\\177\"" },
		/* Nothing to escape: single quotes as before. */
		{ "a\"\xc3\xa9", "'a\"\xc3\xa9'" },
	};
	struct cmd_parse_opts o = { test_env, NULL, 0 };

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		struct cmd_parse_result r;
		char *q = cmd_parse_quote(pairs[i][0]);
		assert_string_equal(q, pairs[i][1]);
		assert_int_equal(cmd_parse_string(q, strlen(q), &o, &r), 0);
		assert_int_equal(r.ncmds, 1);
		assert_int_equal(r.cmds[0].argc, 1);
		assert_string_equal(r.cmds[0].argv[0], pairs[i][0]);
		cmd_parse_result_free(&r);
		free(q);
	}
}

/* Pseudo-random bytes never crash the parser and leak nothing. */
static void test_garbage(void **state)
{
	static const char alphabet[] = "ab ;\\\n\"'$~{}#\t\x01\xc3\xa9u0{}";
	uint32_t x = 12345;
	char text[64];

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = (size_t)(iter % 63) + 1;
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			text[i] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		struct cmd_parse_result r;
		int ret = cmd_parse_string(text, len, NULL, &r);
		assert_true(ret == 0 || ret == RMUX_ERR_MALFORMED);
		for (size_t i = 0; i < r.ncmds; i++)
			assert_true(r.cmds[i].argc > 0);
		cmd_parse_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_quotes),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_variables_and_tilde),
		cmocka_unit_test(test_separators_and_comments),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_errors_keep_other_lines),
		cmocka_unit_test(test_first_line),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_roundtrip),
		cmocka_unit_test(test_quote_escape_in_dquotes),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
