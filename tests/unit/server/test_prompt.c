/* test_prompt.c — the message line and command prompt of a session
 * (prompt.c): template filling as tmux does it, emacs editing keys,
 * history, one-key and confirm prompts, messages cleared by keys. The
 * session is a bare struct: nothing here needs a pty or the event loop. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server/cmd.h"
#include "server/prompt.h"
#include "server/session.h"
#include "term/key_string.h"

static void check_template(const char *t, const char *s, int idx, const char *want)
{
	char *got = prompt_template_replace(t, s, idx);

	assert_string_equal(got, want);
	free(got);
}

static void test_template(void **state)
{
	(void)state;
	check_template("rename-window \"%%\"", "a b", 1, "rename-window \"a b\"");
	/* Only the first %% of a pass; %N only for its own answer. */
	check_template("x %% %%", "A", 1, "x A %%");
	check_template("%1-%2 %3", "one", 1, "one-%2 %3");
	check_template("one-%2 %3", "two", 2, "one-two %3");
	/* A third % escapes what the parser treats specially. */
	check_template("set \"%%%\"", "a\"b;c$d\\e~", 1, "set \"a\\\"b\\;c\\$d\\\\e\\~\"");
	check_template("100%", "x", 1, "100%");
	check_template("no marks", "x", 1, "no marks");
}

/* A user option's value, as the prompt's commands set it. */
static void expect_option(const char *name, const char *want)
{
	char *fmt = malloc(strlen(name) + 4), *got;

	strcpy(fmt, "#{");
	strcat(fmt, name);
	strcat(fmt, "}");
	got = cmd_format(fmt, NULL, NULL, NULL);
	assert_string_equal(got, want);
	free(got);
	free(fmt);
}

static struct session *fake_session(void)
{
	struct session *s = calloc(1, sizeof *s);

	s->id = 4242; /* not in the server's list: no command finds it */
	return s;
}

static void fake_free(struct session *s)
{
	prompt_free(s);
	free(s);
}

static void type(struct session *s, const char *text)
{
	struct pane *p = NULL;

	for (; *text != '\0'; text++)
		assert_int_equal(prompt_key(s, &p, (uint64_t)(unsigned char)*text), 1);
}

static void key(struct session *s, uint64_t k)
{
	struct pane *p = NULL;

	assert_int_equal(prompt_key(s, &p, k), 1);
}

static void expect_input(struct session *s, const char *input, unsigned cursor)
{
	const char *text, *in;
	unsigned c;

	assert_int_equal(prompt_show(s, &text, &in, &c), PROMPT_SHOW_PROMPT);
	assert_string_equal(in, input);
	assert_int_equal(c, cursor);
}

static void test_editing(void **state)
{
	struct session *s = fake_session();
	const char *text;
	uint64_t serial;

	(void)state;
	prompt_open(s, NULL, "(test) ", "héllo", NULL, 0);
	assert_int_equal(prompt_show(s, &text, NULL, NULL), PROMPT_SHOW_PROMPT);
	assert_string_equal(text, "(test) ");
	/* Cursors count characters, not bytes. */
	expect_input(s, "héllo", 5);
	serial = prompt_serial(s);
	key(s, 0x01); /* C-a */
	expect_input(s, "héllo", 0);
	assert_true(prompt_serial(s) != serial);
	key(s, KEY_RIGHT);
	key(s, 0x06); /* C-f */
	key(s, 0x04); /* C-d */
	expect_input(s, "hélo", 2);
	type(s, "ab");
	expect_input(s, "héablo", 4);
	key(s, KEY_BSPACE);
	key(s, 0x08); /* C-h */
	expect_input(s, "hélo", 2);
	key(s, 0x0b); /* C-k */
	expect_input(s, "hé", 2);
	key(s, 0x19); /* C-y brings back what C-k cut */
	expect_input(s, "hélo", 4);
	key(s, KEY_END);
	type(s, " two words");
	key(s, 0x17); /* C-w */
	expect_input(s, "hélo two ", 9);
	key(s, KEY_META | 'b');
	expect_input(s, "hélo two ", 5);
	key(s, 0x02); /* C-b */
	key(s, KEY_HOME);
	key(s, KEY_LEFT); /* at the start: stays */
	expect_input(s, "hélo two ", 0);
	key(s, 0x15); /* C-u: the whole line */
	expect_input(s, "", 0);
	key(s, KEY_F1); /* other keys do nothing but are taken */
	expect_input(s, "", 0);
	key(s, 0x1b); /* Escape cancels */
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_NONE);
	assert_int_equal(prompt_is_open(s), 0);
	fake_free(s);
}

static void test_history_and_run(void **state)
{
	struct session *s = fake_session();

	(void)state;
	prompt_free_history();
	/* Commands that need no session run; the history keeps the lines. */
	prompt_open(s, NULL, ":", NULL, NULL, 0);
	type(s, "set -g @h4a 1");
	key(s, '\r');
	assert_int_equal(prompt_is_open(s), 0);
	prompt_open(s, NULL, ":", NULL, NULL, 0);
	type(s, "set -g @h4b 2");
	key(s, '\r');
	expect_option("@h4a", "1");
	expect_option("@h4b", "2");
	prompt_open(s, NULL, ":", "draft", NULL, 0);
	key(s, KEY_UP);
	expect_input(s, "set -g @h4b 2", 13);
	key(s, 0x10); /* C-p */
	expect_input(s, "set -g @h4a 1", 13);
	key(s, KEY_UP); /* the oldest: stays */
	expect_input(s, "set -g @h4a 1", 13);
	key(s, KEY_DOWN);
	key(s, 0x0e); /* C-n */
	expect_input(s, "", 0);
	key(s, 0x03); /* C-c cancels */
	assert_int_equal(prompt_is_open(s), 0);
	prompt_free_history();
	fake_free(s);
}

static void test_single_and_confirm(void **state)
{
	struct session *s = fake_session();
	struct pane *p = NULL;

	(void)state;
	prompt_open(s, NULL, "kill? (y/n) ", NULL, "set -g @h4c 1", PROMPT_CONFIRM);
	expect_input(s, "", 0);
	key(s, 'n');
	assert_int_equal(prompt_is_open(s), 0);
	expect_option("@h4c", "");
	/* Commas stay in a confirm prompt. */
	prompt_open(s, NULL, "a, b? ", NULL, "set -g @h4c 1", PROMPT_CONFIRM);
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_PROMPT);
	{
		const char *text;

		prompt_show(s, &text, NULL, NULL);
		assert_string_equal(text, "a, b? ");
	}
	key(s, 'y');
	assert_int_equal(prompt_is_open(s), 0);
	expect_option("@h4c", "1");
	/* Two prompts from a comma list, each with its initial input. */
	prompt_open(s, NULL, "one ,two ", "x,y", "set -g @h4d '%1-%2'", 0);
	expect_input(s, "x", 1);
	key(s, '\r');
	expect_input(s, "y", 1);
	type(s, "z");
	key(s, '\r');
	assert_int_equal(prompt_is_open(s), 0);
	expect_option("@h4d", "x-yz");
	/* Without a prompt keys are not taken. */
	assert_int_equal(prompt_key(s, &p, 'a'), 0);
	fake_free(s);
}

static void test_messages(void **state)
{
	struct session *s = fake_session();
	struct pane *p = NULL;
	const char *text;

	(void)state;
	prompt_message(s, "hello", 0);
	assert_int_equal(prompt_show(s, &text, NULL, NULL), PROMPT_SHOW_MESSAGE);
	assert_string_equal(text, "hello");
	/* A message shows over an open prompt; the key that clears it is
	 * then the prompt's. */
	prompt_open(s, NULL, ":", NULL, NULL, 0);
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_MESSAGE);
	assert_int_equal(prompt_key(s, &p, 'q'), 1);
	expect_input(s, "q", 1);
	prompt_close(s);
	/* Without a prompt the key goes on to the pane. */
	prompt_message(s, "again", 0);
	assert_int_equal(prompt_key(s, &p, 'z'), 0);
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_NONE);
	/* Focus and mouse events leave the message. */
	prompt_message(s, "stays", 0);
	assert_int_equal(prompt_key(s, &p, KEY_FOCUS_IN), 0);
	assert_int_equal(prompt_key(s, &p, key_string_mouse(1, 0)), 0);
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_MESSAGE);
	prompt_clear_message(s);
	assert_int_equal(prompt_show(s, NULL, NULL, NULL), PROMPT_SHOW_NONE);
	fake_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_editing),
		cmocka_unit_test(test_history_and_run),
		cmocka_unit_test(test_single_and_confirm),
		cmocka_unit_test(test_messages),
	};

	server_options_init();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	server_options_free();
	return rc;
}
