/* test_options.c — option table, inheritance, set/unset and show-options
 * lines. Expected defaults, printed values and error messages were taken
 * from tmux 3.3a (show-options -g NAME, set-option -g NAME VALUE) on this
 * machine; history-limit's default is rmux's own (50000). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "server/options.h"

struct sets {
	struct options *server, *session_global, *window_global, *session, *window, *pane;
};

static int setup(void **state)
{
	struct sets *s = calloc(1, sizeof *s);

	s->server = options_create(NULL);
	options_set_defaults(s->server, OPTION_SCOPE_SERVER);
	s->session_global = options_create(NULL);
	options_set_defaults(s->session_global, OPTION_SCOPE_SESSION);
	s->window_global = options_create(NULL);
	options_set_defaults(s->window_global, OPTION_SCOPE_WINDOW);
	s->session = options_create(s->session_global);
	s->window = options_create(s->window_global);
	s->pane = options_create(s->window);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct sets *s = *state;

	options_free(s->pane);
	options_free(s->window);
	options_free(s->session);
	options_free(s->window_global);
	options_free(s->session_global);
	options_free(s->server);
	free(s);
	return 0;
}

static struct options *global_for(struct sets *s, const char *name)
{
	const char *cause;
	const struct options_entry *e = options_table_find(name, &cause);

	assert_non_null(e);
	if (e->scope & OPTION_SCOPE_SERVER)
		return s->server;
	if (e->scope & OPTION_SCOPE_SESSION)
		return s->session_global;
	return s->window_global;
}

static void expect_show(struct options *oo, const char *name, const char *line)
{
	char *cause, *got = options_show_one(oo, name, 0, &cause);

	assert_non_null(got);
	assert_string_equal(got, line);
	free(got);
}

/* show-options -g NAME in tmux 3.3a (history-limit: rmux's default). */
static const char *const defaults[][2] = {
	{ "prefix", "prefix C-b" },
	{ "prefix2", "prefix2 None" },
	{ "base-index", "base-index 0" },
	{ "pane-base-index", "pane-base-index 0" },
	{ "history-limit", "history-limit 50000" },
	{ "mouse", "mouse off" },
	{ "status", "status on" },
	{ "status-left", "status-left \"[#{session_name}] \"" },
	{ "status-right", "status-right \"#{?window_bigger,[#{window_offset_x}#,#{window_offset_y}] ,}"
	    "\\\"#{=21:pane_title}\\\" %H:%M %d-%b-%y\"" },
	{ "status-style", "status-style bg=green,fg=black" },
	{ "status-interval", "status-interval 15" },
	{ "default-terminal", "default-terminal tmux-256color" },
	{ "remain-on-exit", "remain-on-exit off" },
	{ "escape-time", "escape-time 500" },
	{ "mode-keys", "mode-keys emacs" },
	{ "status-keys", "status-keys emacs" },
	{ "set-clipboard", "set-clipboard external" },
	{ "window-size", "window-size latest" },
	{ "automatic-rename", "automatic-rename on" },
	{ "aggressive-resize", "aggressive-resize off" },
	{ "renumber-windows", "renumber-windows off" },
	{ "display-time", "display-time 750" },
	{ "repeat-time", "repeat-time 500" },
	{ "focus-events", "focus-events off" },
	{ "set-titles", "set-titles off" },
	{ "visual-bell", "visual-bell off" },
	{ "main-pane-width", "main-pane-width 80" },
	{ "status-bg", "status-bg default" },
	{ "message-style", "message-style bg=yellow,fg=black" },
	{ "pane-active-border-style", "pane-active-border-style "
	    "\"#{?pane_in_mode,fg=yellow,#{?synchronize-panes,fg=red,fg=green}}\"" },
	{ "window-status-format", "window-status-format \"#I:#W#{?window_flags,#{window_flags}, }\"" },
	{ "window-status-separator", "window-status-separator \" \"" },
	{ "window-status-style", "window-status-style default" },
	{ "window-status-current-style", "window-status-current-style default" },
	{ "window-status-last-style", "window-status-last-style default" },
	{ "window-status-bell-style", "window-status-bell-style reverse" },
	{ "window-status-activity-style", "window-status-activity-style reverse" },
	{ "word-separators", "word-separators \"!\\\"#$%&'()*+,-./:;<=>?@[\\\\]^`{|}~\"" },
	{ "display-panes-colour", "display-panes-colour blue" },
	{ "display-panes-active-colour", "display-panes-active-colour red" },
	{ "history-file", "history-file ''" },
	{ "set-titles-string", "set-titles-string \"#S:#I:#W - \\\"#T\\\" #{session_alerts}\"" },
	{ "connection-timeout", "connection-timeout 604800" },
	{ "predict", "predict adaptive" },
	{ "client-history-limit", "client-history-limit 50000" },
	{ "history-native", "history-native off" },
};

static void test_defaults(void **state)
{
	struct sets *s = *state;

	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		expect_show(global_for(s, defaults[i][0]), defaults[i][0], defaults[i][1]);
	assert_int_equal(options_get_number(s->session, "prefix"), 0x02);
	assert_int_equal(options_get_number(s->session, "history-limit"), 50000);
	assert_string_equal(options_get_string(s->session, "status-left"), "[#{session_name}] ");
}

/* set-option -g NAME VALUE: the error tmux printed, or NULL and then what
 * show-options -g NAME printed. */
static const char *const sets[][4] = {
	{ "history-limit", "-5", "value is too small: -5", NULL },
	{ "history-limit", "99999999999", "value is too large: 99999999999", NULL },
	{ "history-limit", "abc", "value is invalid: abc", NULL },
	{ "history-limit", "0x10", "value is invalid: 0x10", NULL },
	{ "history-limit", "5k", "value is invalid: 5k", NULL },
	{ "history-limit", " 5", NULL, "history-limit 5" },
	{ "mouse", "maybe", "bad value: maybe", NULL },
	{ "mouse", "1", NULL, "mouse on" },
	{ "mouse", "no", NULL, "mouse off" },
	{ "mouse", "YES", NULL, "mouse on" },
	{ "mode-keys", "foo", "unknown value: foo", NULL },
	{ "status-keys", "v", "unknown value: v", NULL },
	{ "mode-keys", "vi", NULL, "mode-keys vi" },
	{ "prefix", "xyz", "bad key: xyz", NULL },
	{ "prefix", "None", NULL, "prefix None" },
	{ "prefix2", "C-a", NULL, "prefix2 C-a" },
	{ "prefix2", "^A", NULL, "prefix2 C-a" },
	{ "display-panes-colour", "nocolour", "bad colour: nocolour", NULL },
	{ "display-panes-colour", "colour300", "bad colour: colour300", NULL },
	{ "display-panes-colour", "brightred", NULL, "display-panes-colour brightred" },
	{ "display-panes-colour", "#FF00aa", NULL, "display-panes-colour #ff00aa" },
	{ "display-panes-colour", "Colour5", NULL, "display-panes-colour colour5" },
	{ "status-style", "fg=nosuch", "invalid style: fg=nosuch", NULL },
	{ "status-style", "bold,fg=red", NULL, "status-style bold,fg=red" },
	{ "status-style", "fg=red bg=#{foo}", NULL, "status-style \"fg=red bg=#{foo}\"" },
	{ "window-status-current-style", "fg=nosuch", "invalid style: fg=nosuch", NULL },
	{ "window-status-current-style", "bg=red,bold", NULL, "window-status-current-style bg=red,bold" },
	{ "window-status-bell-st", "blink", NULL, "window-status-bell-style blink" },
	{ "status", "2", NULL, "status 2" },
	{ "status", "6", "unknown value: 6", NULL },
	{ "nosuch", "x", "invalid option: nosuch", NULL },
	{ "status-lef", "x", "ambiguous option: status-lef", NULL },
	{ "status-l", "x", "ambiguous option: status-l", NULL },
	{ "status-left", "two words", NULL, "status-left \"two words\"" },
	{ "status-left", "a$b", NULL, "status-left \"a\\$b\"" },
	{ "status-left", "it's", NULL, "status-left \"it's\"" },
	{ "status-left", "a\"b", NULL, "status-left 'a\"b'" },
	{ "status-left", "", NULL, "status-left ''" },
	{ "status-left", "~", NULL, "status-left \\~" },
	{ "default-terminal", "screen", NULL, "default-terminal screen" },
	{ "escape-t", "10", NULL, "escape-time 10" },
};

static void test_set_values_and_errors(void **state)
{
	struct sets *s = *state;

	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		const char *name = sets[i][0];
		char *cause;
		int ret;
		const char *cause2;
		struct options *oo = options_table_find(name, &cause2) != NULL ?
		    global_for(s, name) : s->session_global;

		ret = options_set(oo, name, sets[i][1], 0, 0, &cause);
		if (sets[i][2] != NULL) {
			assert_int_equal(ret, -1);
			assert_non_null(cause);
			assert_string_equal(cause, sets[i][2]);
			free(cause);
		} else {
			if (ret != 0)
				fail_msg("%s %s: %s", name, sets[i][1], cause);
			expect_show(oo, name, sets[i][3]);
		}
	}
}

static void test_toggle_append_unset(void **state)
{
	struct sets *s = *state;
	char *cause;

	/* No value: flags and two-way choices toggle; others refuse. */
	assert_int_equal(options_set(s->session_global, "mouse", NULL, 0, 0, &cause), 0);
	expect_show(s->session_global, "mouse", "mouse on");
	assert_int_equal(options_set(s->window_global, "mode-keys", NULL, 0, 0, &cause), 0);
	expect_show(s->window_global, "mode-keys", "mode-keys vi");
	assert_int_equal(options_set(s->session_global, "history-limit", NULL, 0, 0, &cause), -1);
	assert_string_equal(cause, "empty value");
	free(cause);
	assert_int_equal(options_set(s->session_global, "status-left", NULL, 0, 0, &cause), -1);
	assert_string_equal(cause, "empty value");
	free(cause);

	/* -a appends to strings; a number is simply set. */
	assert_int_equal(options_set(s->session_global, "status-left", "abc", 1, 0, &cause), 0);
	expect_show(s->session_global, "status-left", "status-left \"[#{session_name}] abc\"");
	assert_int_equal(options_set(s->session_global, "history-limit", "5", 1, 0, &cause), 0);
	expect_show(s->session_global, "history-limit", "history-limit 5");

	/* -o refuses an option already set here. */
	assert_int_equal(options_set(s->session_global, "history-limit", "10", 0, 1, &cause), -1);
	assert_string_equal(cause, "already set: history-limit");
	free(cause);

	/* -u on a global set restores the default. */
	assert_int_equal(options_unset(s->session_global, "status-left", &cause), 0);
	expect_show(s->session_global, "status-left", "status-left \"[#{session_name}] \"");
	assert_int_equal(options_unset(s->session_global, "nosuch", &cause), -1);
	assert_string_equal(cause, "invalid option: nosuch");
	free(cause);
}

static void test_inheritance(void **state)
{
	struct sets *s = *state;
	char *cause, *line;

	/* Nothing local: show-options (no -g) prints nothing, -A marks it. */
	assert_null(options_show_one(s->window, "automatic-rename", 0, &cause));
	assert_null(cause);
	line = options_show_one(s->window, "automatic-rename", OPTIONS_SHOW_INHERITED, &cause);
	assert_string_equal(line, "automatic-rename* on");
	free(line);
	assert_int_equal(options_get_number(s->pane, "automatic-rename"), 1);

	assert_int_equal(options_set(s->window, "automatic-rename", "off", 0, 0, &cause), 0);
	expect_show(s->window, "automatic-rename", "automatic-rename off");
	line = options_show_one(s->window, "automatic-rename", OPTIONS_SHOW_INHERITED, &cause);
	assert_string_equal(line, "automatic-rename off");
	free(line);
	assert_int_equal(options_get_number(s->pane, "automatic-rename"), 0);
	assert_int_equal(options_get_number(s->window_global, "automatic-rename"), 1);

	/* A pane overrides its window; unset inherits again. */
	assert_int_equal(options_set(s->pane, "remain-on-exit", "on", 0, 0, &cause), 0);
	assert_int_equal(options_get_number(s->pane, "remain-on-exit"), 1);
	assert_int_equal(options_get_number(s->window, "remain-on-exit"), 0);
	assert_true(options_is_local(s->pane, "remain-on-exit"));
	assert_int_equal(options_unset(s->pane, "remain-on-exit", &cause), 0);
	assert_false(options_is_local(s->pane, "remain-on-exit"));
	assert_int_equal(options_get_number(s->pane, "remain-on-exit"), 0);

	/* The global default changes show through. */
	assert_int_equal(options_set(s->session_global, "base-index", "1", 0, 0, &cause), 0);
	assert_int_equal(options_get_number(s->session, "base-index"), 1);

	char *all = options_show_all(s->window, OPTION_SCOPE_WINDOW, 0);
	assert_string_equal(all, "automatic-rename off\n");
	free(all);
}

static void test_user_options(void **state)
{
	struct sets *s = *state;
	char *cause, *line;

	assert_int_equal(options_set(s->session_global, "@user", "hello world", 0, 0, &cause), 0);
	expect_show(s->session_global, "@user", "@user \"hello world\"");
	line = options_show_one(s->session_global, "@user", OPTIONS_SHOW_VALUE_ONLY, &cause);
	assert_string_equal(line, "hello world");
	free(line);
	assert_null(options_show_one(s->session_global, "@nouser", 0, &cause));
	assert_string_equal(cause, "invalid option: @nouser");
	free(cause);
	assert_string_equal(options_get_string(s->session, "@user"), "hello world");
	assert_int_equal(options_unset(s->session_global, "@user", &cause), 0);
	assert_null(options_to_string(s->session, "@user"));

	/* Listing: sorted, user options last. */
	assert_int_equal(options_set(s->session, "@b", "2", 0, 0, &cause), 0);
	assert_int_equal(options_set(s->session, "@a", "1", 0, 0, &cause), 0);
	assert_int_equal(options_set(s->session, "status", "off", 0, 0, &cause), 0);
	assert_int_equal(options_set(s->session, "base-index", "3", 0, 0, &cause), 0);
	char *all = options_show_all(s->session, OPTION_SCOPE_SESSION, 0);
	assert_string_equal(all, "base-index 3\nstatus off\n@a 1\n@b 2\n");
	free(all);
}

static void test_colours(void **state)
{
	char buf[32];

	assert_true(options_colour_parse("red") == 1);
	assert_true(options_colour_parse("brightblue") == 94);
	assert_true(options_colour_parse("colour255") == (OPTIONS_COLOUR_256 | 255));
	assert_true(options_colour_parse("color7") == (OPTIONS_COLOUR_256 | 7));
	assert_true(options_colour_parse("colour256") == -1);
	assert_true(options_colour_parse("colour") == -1);
	assert_true(options_colour_parse("#12345") == -1);
	assert_true(options_colour_parse("#12345g") == -1);
	assert_string_equal(options_colour_name(options_colour_parse("#A0b0C0"), buf, sizeof buf),
	    "#a0b0c0");
	assert_string_equal(options_colour_name(8, buf, sizeof buf), "default");
	assert_true(options_colour_to_cell(94) == (0x01000000u | 12));
	assert_int_equal(options_style_valid("fg=red,bg=colour3,bold,noitalics align=centre"), 0);
	assert_int_equal(options_style_valid("fg=red,,"), 0);
	assert_int_equal(options_style_valid("bogus"), -1);
	assert_int_equal(options_style_valid("align=middle"), -1);
}

/* The elements of update-environment as OO sees them are the words of
 * WANT, in order. */
static void expect_array(const struct options *oo, const char *want)
{
	const char **list = options_get_array(oo, "update-environment");
	char got[512] = "";

	for (size_t i = 0; list[i] != NULL; i++) {
		strncat(got, i > 0 ? " " : "", sizeof got - strlen(got) - 1);
		strncat(got, list[i], sizeof got - strlen(got) - 1);
	}
	free(list);
	assert_string_equal(got, want);
}

/* update-environment as tmux 3.3a shows and sets it (an array option). */
static void test_array(void **state)
{
	struct sets *s = *state;
	char *cause = NULL, *text;

	expect_show(s->session_global, "update-environment[0]", "update-environment[0] DISPLAY");
	expect_show(s->session_global, "update-environment[7]",
	    "update-environment[7] XAUTHORITY");
	expect_array(s->session, "DISPLAY KRB5CCNAME SSH_ASKPASS SSH_AUTH_SOCK SSH_AGENT_PID "
	    "SSH_CONNECTION WINDOWID XAUTHORITY");
	/* -a appends elements; a plain set replaces the whole array; words
	 * split at spaces and commas. */
	assert_int_equal(options_set(s->session_global, "update-environment", "FOO", 1, 0, &cause), 0);
	expect_show(s->session_global, "update-environment[8]", "update-environment[8] FOO");
	assert_int_equal(options_set(s->session_global, "update-env", "A,B C", 0, 0, &cause), 0);
	text = options_show_one(s->session_global, "update-environment", 0, &cause);
	assert_string_equal(text, "update-environment[0] A\nupdate-environment[1] B\n"
				  "update-environment[2] C");
	free(text);
	text = options_show_one(s->session_global, "update-environment", OPTIONS_SHOW_VALUE_ONLY,
	    &cause);
	assert_string_equal(text, "A\nB\nC");
	free(text);
	/* One index set past the end, one removed: the others keep theirs. */
	assert_int_equal(options_set(s->session_global, "update-environment[5]", "E", 0, 0, &cause),
	    0);
	assert_int_equal(options_unset(s->session_global, "update-environment[1]", &cause), 0);
	text = options_show_one(s->session_global, "update-environment", 0, &cause);
	assert_string_equal(text, "update-environment[0] A\nupdate-environment[2] C\n"
				  "update-environment[5] E");
	free(text);
	expect_show(s->session_global, "update-environment[3]", "update-environment[3] ''");
	expect_array(s->session, "A C E");
	/* A session's own array hides the global one. */
	assert_int_equal(options_set(s->session, "update-environment", "LOCAL", 0, 0, &cause), 0);
	expect_array(s->session, "LOCAL");
	assert_int_equal(options_set(s->session, "update-environment", "", 0, 0, &cause), 0);
	expect_show(s->session, "update-environment", "update-environment");
	/* Errors in tmux's words. */
	assert_int_equal(options_set(s->session_global, "update-environment", NULL, 0, 0, &cause),
	    -1);
	assert_string_equal(cause, "empty value");
	free(cause);
	assert_int_equal(options_set(s->session_global, "update-environment[x]", "v", 0, 0, &cause),
	    -1);
	assert_string_equal(cause, "ambiguous option: update-environment[x]");
	free(cause);
	assert_int_equal(options_set(s->session_global, "status[1]", "on", 0, 0, &cause), -1);
	assert_string_equal(cause, "not an array: status[1]");
	free(cause);
	/* Unset of the global array: the default again. */
	assert_int_equal(options_unset(s->session_global, "update-environment", &cause), 0);
	expect_show(s->session_global, "update-environment[1]", "update-environment[1] KRB5CCNAME");
}

static void test_table_sorted(void **state)
{
	unsigned n;
	const struct options_entry *t = options_table(&n);

	assert_true(n >= 40);
	for (unsigned i = 1; i < n; i++)
		assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
	for (unsigned i = 0; i < n; i++) {
		if (t[i].type == OPTION_NUMBER) {
			assert_true(t[i].default_number >= t[i].minimum);
			assert_true(t[i].default_number <= t[i].maximum);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_values_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toggle_append_unset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inheritance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_array, setup, teardown),
		cmocka_unit_test(test_colours),
		cmocka_unit_test(test_table_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
