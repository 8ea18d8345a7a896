/* test_environ.c — environments: order, removal, update-environment and
 * the list a new pane gets (expectations from tmux 3.3a's behaviour). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server/environ.h"
#include "server/options.h"

static void test_set_find_order(void **state)
{
	struct environ *env = environ_create();
	const struct environ_entry *e;
	static const char *const names[] = { "M", "B", "Z", "A", "K" };
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		environ_set(env, names[i], names[i], 0);
	environ_set(env, "B", "two", 0);
	assert_int_equal(environ_count(env), 5);
	for (i = 1; i < environ_count(env); i++)
		assert_true(strcmp(environ_at(env, i - 1)->name, environ_at(env, i)->name) < 0);
	assert_null(environ_at(env, 5));
	e = environ_find(env, "B");
	assert_non_null(e);
	assert_string_equal(e->value, "two");
	assert_null(environ_find(env, "C"));
	environ_unset(env, "B");
	environ_unset(env, "nothing");
	assert_null(environ_find(env, "B"));
	assert_int_equal(environ_count(env), 4);
	environ_free(env);
}

static void test_put(void **state)
{
	struct environ *env = environ_create();

	(void)state;
	environ_put(env, "A=b=c", 0);
	environ_put(env, "noequals", 0);
	environ_put(env, "=value", 0);
	environ_put(env, "EMPTY=", ENVIRON_HIDDEN);
	assert_int_equal(environ_count(env), 2);
	assert_string_equal(environ_find(env, "A")->value, "b=c");
	assert_string_equal(environ_find(env, "EMPTY")->value, "");
	assert_int_equal(environ_find(env, "EMPTY")->flags, ENVIRON_HIDDEN);
	environ_free(env);
}

static void test_update(void **state)
{
	static const char *const patterns[] = { "DISPLAY", "SSH_*", "WINDOWID", NULL };
	char *client[] = { "DISPLAY=:1", "SSH_CONNECTION=a b", "SSH_AUTH_SOCK=/s", "HOME=/h",
		"junk" };
	struct environ *env = environ_create();

	(void)state;
	environ_set(env, "WINDOWID", "7", 0);
	environ_update(env, patterns, 5, client);
	assert_string_equal(environ_find(env, "DISPLAY")->value, ":1");
	/* One variable per pattern, the first by name, as tmux 3.3a. */
	assert_string_equal(environ_find(env, "SSH_AUTH_SOCK")->value, "/s");
	assert_null(environ_find(env, "SSH_CONNECTION"));
	/* Absent from the client: removed, which hides the global one. */
	assert_non_null(environ_find(env, "WINDOWID"));
	assert_null(environ_find(env, "WINDOWID")->value);
	assert_null(environ_find(env, "HOME"));
	environ_free(env);
}

/* The patterns come from the option update-environment of the set given:
 * its default, then a session's own value. */
static void test_update_options(void **state)
{
	char *client[] = { "DISPLAY=:2", "XAUTHORITY=/x", "MINE=1", "OTHER=2" };
	struct options *global = options_create(NULL), *session = options_create(global);
	struct environ *env = environ_create();
	char *cause = NULL;

	(void)state;
	options_set_defaults(global, OPTION_SCOPE_SESSION);
	environ_update_options(env, session, 4, client);
	assert_string_equal(environ_find(env, "DISPLAY")->value, ":2");
	assert_string_equal(environ_find(env, "XAUTHORITY")->value, "/x");
	assert_null(environ_find(env, "SSH_AUTH_SOCK")->value);
	assert_null(environ_find(env, "MINE"));
	assert_int_equal(options_set(session, "update-environment", "MI*", 0, 0, &cause), 0);
	environ_free(env);
	env = environ_create();
	environ_update_options(env, session, 4, client);
	assert_int_equal(environ_count(env), 1);
	assert_string_equal(environ_find(env, "MINE")->value, "1");
	environ_free(env);
	options_free(session);
	options_free(global);
}

static void test_merge_and_list(void **state)
{
	struct environ *global = environ_create(), *session = environ_create();
	struct environ *merged = environ_create();
	char **list;
	size_t n;

	(void)state;
	environ_set(global, "DISPLAY", ":0", 0);
	environ_set(global, "HOME", "/root", 0);
	environ_set(global, "SECRET", "x", ENVIRON_HIDDEN);
	environ_set(session, "DISPLAY", NULL, 0);
	environ_set(session, "NEW", "1", 0);
	environ_copy(global, merged);
	environ_copy(session, merged);
	assert_null(environ_find(merged, "DISPLAY")->value);
	list = environ_list(merged);
	for (n = 0; list[n] != NULL; n++)
		;
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "HOME=/root");
	assert_string_equal(list[1], "NEW=1");
	environ_list_free(list);
	environ_free(merged);
	environ_free(session);
	environ_free(global);
}

static void test_global(void **state)
{
	struct environ *g;

	(void)state;
	setenv("RMUX_TEST_ENVIRON", "v=1", 1);
	g = environ_global();
	assert_ptr_equal(g, environ_global());
	assert_string_equal(environ_find(g, "RMUX_TEST_ENVIRON")->value, "v=1");
	/* Later changes of the process do not reach it. */
	setenv("RMUX_TEST_ENVIRON", "v=2", 1);
	assert_string_equal(environ_find(environ_global(), "RMUX_TEST_ENVIRON")->value, "v=1");
	environ_global_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_find_order),
		cmocka_unit_test(test_put),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_update_options),
		cmocka_unit_test(test_merge_and_list),
		cmocka_unit_test(test_global),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
