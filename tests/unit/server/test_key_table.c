/* test_key_table.c — key tables: the defaults and list-keys output
 * (key_table_cases.inc and every literal line below were printed by tmux
 * 3.3a for the same bind-key commands), bind/unbind errors as tmux words
 * them, and the key path with prefix, repeat-time and the Any key. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "server/key_string.h"
#include "server/key_table.h"

#include "key_table_cases.inc"

/* A stand-in for the daemon's command table: a few aliases, "nosuch"
 * unknown, arguments printed as tmux quotes them. */
static char *print_cmd(int argc, char *const *argv, char **cause, void *arg)
{
	static const char *const alias[][2] = {
		{ "display", "display-message" }, { "run", "run-shell" },
		{ "splitw", "split-window" }, { "ls", "list-sessions" },
	};
	const char *name = argv[0];
	struct buf b;
	char *out;

	(void)arg;
	if (strcmp(name, "nosuch") == 0) {
		*cause = xasprintf("unknown command: %s", name);
		return NULL;
	}
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
		if (strcmp(name, alias[i][0]) == 0)
			name = alias[i][1];
	}
	buf_init(&b);
	buf_add(&b, name, strlen(name));
	for (int i = 1; i < argc; i++) {
		char *q = cmd_parse_quote(argv[i]);
		buf_add_u8(&b, ' ');
		buf_add(&b, q, strlen(q));
		free(q);
	}
	buf_add_u8(&b, 0);
	out = xstrdup((char *)b.data);
	buf_free(&b);
	return out;
}

static const struct key_tables_ops ops = { print_cmd, NULL };

static char *join(const char *const *lines, size_t n)
{
	struct buf b;
	char *out;

	buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		buf_add(&b, lines[i], strlen(lines[i]));
		buf_add_u8(&b, '\n');
	}
	buf_add_u8(&b, 0);
	out = xstrdup((char *)b.data);
	buf_free(&b);
	return out;
}

static void assert_list(const struct key_tables *kt, const char *table, const char *key,
    int flags, const char *prefix_string, const char *expect)
{
	char *cause = NULL;
	char *got = key_tables_list(kt, table, key, flags, prefix_string, 0x02, &cause);

	assert_null(cause);
	assert_non_null(got);
	assert_string_equal(got, expect);
	free(got);
}

static void assert_list_error(const struct key_tables *kt, const char *table, const char *key,
    int flags, const char *expect)
{
	char *cause = NULL;
	char *got = key_tables_list(kt, table, key, flags, NULL, 0x02, &cause);

	assert_null(got);
	assert_non_null(cause);
	assert_string_equal(cause, expect);
	free(cause);
}

static void test_defaults(void **state)
{
	struct key_tables *kt = key_tables_create(NULL);
	char *want;

	(void)state;
	want = join(expect_prefix, sizeof expect_prefix / sizeof expect_prefix[0]);
	assert_list(kt, "prefix", NULL, 0, NULL, want);
	free(want);
	want = join(expect_root, sizeof expect_root / sizeof expect_root[0]);
	assert_list(kt, "root", NULL, 0, NULL, want);
	free(want);
	want = join(expect_notes, sizeof expect_notes / sizeof expect_notes[0]);
	assert_list(kt, NULL, NULL, KEY_LIST_NOTES, NULL, want);
	free(want);

	/* -1N and a key; -P with a table. */
	assert_list(kt, NULL, "C-o", KEY_LIST_NOTES | KEY_LIST_FIRST, NULL,
	    "C-b C-o Rotate through the panes\n");
	assert_list(kt, "prefix", "z", KEY_LIST_NOTES, ">", ">z Zoom the active pane\n");
	assert_list(kt, "prefix", "\"", 0, NULL, "bind-key -T prefix \\\" split-window\n");

	/* The defaults parse into commands: { } blocks become one argument. */
	const struct key_binding *bd = key_tables_get(kt, "prefix", '$');
	assert_non_null(bd);
	assert_int_equal(bd->cmds.ncmds, 1);
	assert_int_equal(bd->cmds.cmds[0].argc, 4);
	assert_string_equal(bd->cmds.cmds[0].argv[2], "#S");
	assert_string_equal(bd->cmds.cmds[0].argv[3], "rename-session \"%%\"");
	bd = key_tables_get(kt, "root", key_string_lookup_string("MouseDown1Pane"));
	assert_non_null(bd);
	assert_int_equal(bd->cmds.ncmds, 2);
	assert_string_equal(bd->cmds.cmds[1].argv[0], "send-keys");
	bd = key_tables_get(kt, "prefix", KEY_UP);
	assert_non_null(bd);
	assert_true(bd->repeat);
	assert_string_equal(bd->note, "Select the pane above the active pane");
	assert_int_equal(key_tables_count(kt, "prefix"), 85);
	key_tables_free(kt);
}

static void bind(struct key_tables *kt, const char *table, const char *key, int repeat,
    const char *note, int argc, char *const *argv)
{
	char *cause = NULL;

	assert_int_equal(key_tables_bind(kt, table, key, repeat, note, argc, argv, &cause), 0);
	assert_null(cause);
}

static void test_bind_list(void **state)
{
	struct key_tables *kt = key_tables_create(&ops);
	char *a1[] = { "display", "hi" }, *a2[] = { "kill-pane" }, *a3[] = { "run", "echo a;b" };
	char *a4[] = { "send-keys", "x y" }, *a5[] = { "send-keys", "it's" };
	char *a6[] = { "send-keys", "$HOME", "~", "", "#{x}" }, *a7[] = { "display", "#[fg=red]x" };
	char *a8[] = { "display", "ok" }, *a9[] = { "display" };
	static const char *const expect[] = {
		"bind-key    -T foo Tab         display-message \"#[fg=red]x\"",
		"bind-key    -T foo x           display-message hi",
		"bind-key    -T foo \\{          display-message",
		"bind-key    -T foo \\~          display-message",
		"bind-key    -T foo Any         send-keys \"it's\"",
		"bind-key    -T foo WheelUpPane display-message ok",
		"bind-key -r -T foo BSpace      kill-pane",
		"bind-key    -T foo F1          run-shell \"echo a;b\"",
		"bind-key    -T foo F12         display-message ok",
		"bind-key    -T foo IC          display-message",
		"bind-key    -T foo Home        display-message",
		"bind-key    -T foo BTab        display-message ok",
		"bind-key    -T foo KPEnter     send-keys \"x y\"",
		"bind-key    -T foo KP0         display-message",
		"bind-key    -T foo \xc3\xa9           display-message ok",
		"bind-key    -T foo M-C-x       send-keys \"\\$HOME\" \\~ '' \"#{x}\"",
		"bind-key    -T foo C-M-Up      display-message ok",
		"bind-key    -T foo S-F1        display-message ok",
	};
	static const char *const expect_all_notes[] = {
		"Tabdisplay-message \"#[fg=red]x\"",
		"x my note",
		"{ display-message",
		"~ display-message",
		"Anysend-keys \"it's\"",
		"BSpacekill-pane",
		"F1run-shell \"echo a;b\"",
		"F12display-message ok",
		"ICdisplay-message",
		"Homedisplay-message",
		"BTabdisplay-message ok",
		"KPEntersend-keys \"x y\"",
		"KP0display-message",
		"\xc3\xa9 display-message ok",
		"M-C-xsend-keys \"\\$HOME\" \\~ '' \"#{x}\"",
		"C-M-Updisplay-message ok",
		"S-F1display-message ok",
	};
	char *want;

	(void)state;
	/* Bound in a scrambled order: the listing sorts as tmux does. */
	bind(kt, "foo", "x", 0, "my note", 2, a1);
	bind(kt, "foo", "S-F1", 0, NULL, 2, a8);
	bind(kt, "foo", "BSpace", 1, NULL, 1, a2);
	bind(kt, "foo", "F1", 0, NULL, 2, a3);
	bind(kt, "foo", "KPEnter", 0, NULL, 2, a4);
	bind(kt, "foo", "Any", 0, NULL, 2, a5);
	bind(kt, "foo", "M-C-x", 0, NULL, 5, a6);
	bind(kt, "foo", "Tab", 0, NULL, 2, a7);
	bind(kt, "foo", "\xc3\xa9", 0, NULL, 2, a8);
	bind(kt, "foo", "C-M-Up", 0, NULL, 2, a8);
	bind(kt, "foo", "F12", 0, NULL, 2, a8);
	bind(kt, "foo", "WheelUpPane", 0, NULL, 2, a8);
	bind(kt, "foo", "BTab", 0, NULL, 2, a8);
	bind(kt, "foo", "KP0", 0, NULL, 1, a9);
	bind(kt, "foo", "IC", 0, NULL, 1, a9);
	bind(kt, "foo", "Home", 0, NULL, 1, a9);
	bind(kt, "foo", "{", 0, NULL, 1, a9);
	bind(kt, "foo", "~", 0, NULL, 1, a9);
	bind(kt, "foo", "y", 0, NULL, 0, NULL); /* no command: nothing bound */

	want = join(expect, sizeof expect / sizeof expect[0]);
	assert_list(kt, "foo", NULL, 0, NULL, want);
	free(want);
	assert_list(kt, "foo", NULL, KEY_LIST_NOTES, NULL, "x my note\n");
	want = join(expect_all_notes, sizeof expect_all_notes / sizeof expect_all_notes[0]);
	assert_list(kt, "foo", NULL, KEY_LIST_NOTES | KEY_LIST_ALL, NULL, want);
	free(want);

	/* The whole listing pads the table column to copy-mode... here
	 * "prefix"; a root-only listing has no -r column. */
	char *r[] = { "splitw" };
	bind(kt, "root", "M-Enter", 0, NULL, 1, r);
	assert_list(kt, "root", "M-Enter", 0, NULL, "bind-key -T root M-Enter split-window\n");
	char *all = key_tables_list(kt, NULL, NULL, 0, NULL, 0x02, NULL);
	assert_non_null(strstr(all, "bind-key    -T foo    Tab                  display-message"));
	assert_non_null(strstr(all, "bind-key -r -T prefix Up                   select-pane -U\n"));
	free(all);

	/* One argument is a command string; several are one command line. */
	char *s1[] = { "split-window -h ; new-window" };
	char *s2[] = { "split-window", "-h", ";", "new-window" };
	char *s3[] = { "" }, *s4[] = { "split-window -h \\; new-window" };
	bind(kt, "t3", "a", 0, NULL, 1, s1);
	bind(kt, "t3", "c", 0, NULL, 4, s2);
	bind(kt, "t3", "f", 0, NULL, 1, s3);
	bind(kt, "t3", "b", 0, NULL, 1, s4);
	assert_list(kt, "t3", NULL, 0, NULL,
	    "bind-key -T t3 a split-window -h \\; new-window\n"
	    "bind-key -T t3 b split-window -h \\; new-window\n"
	    "bind-key -T t3 c split-window -h \\; new-window\n"
	    "bind-key -T t3 f \n");
	assert_int_equal(key_tables_get(kt, "t3", 'a')->cmds.ncmds, 2);
	/* A note alone changes an existing binding's note. */
	bind(kt, "t3", "a", 0, "nn", 0, NULL);
	assert_list(kt, "t3", NULL, KEY_LIST_NOTES, NULL, "a nn\n");
	key_tables_free(kt);
}

static void test_errors(void **state)
{
	struct key_tables *kt = key_tables_create(&ops);
	char *cmd[] = { "nosuch" }, *ls[] = { "ls" }, *brace[] = { "{" };
	char *cause = NULL;

	(void)state;
#define EXPECT_CAUSE(call, msg)                             \
	do {                                                \
		cause = NULL;                               \
		assert_int_equal((call), -1);               \
		assert_non_null(cause);                     \
		assert_string_equal(cause, (msg));          \
		free(cause);                                \
	} while (0)
	EXPECT_CAUSE(key_tables_bind(kt, "t2", "f", 0, NULL, 1, cmd, &cause),
	    "unknown command: nosuch");
	EXPECT_CAUSE(key_tables_bind(kt, "t2", "NoKey", 0, NULL, 1, ls, &cause),
	    "unknown key: NoKey");
	EXPECT_CAUSE(key_tables_bind(kt, "t2", "PasteStart", 0, NULL, 1, ls, &cause),
	    "unknown key: PasteStart");
	EXPECT_CAUSE(key_tables_bind(kt, "t2", "d", 0, NULL, 1, brace, &cause), "syntax error");
	EXPECT_CAUSE(key_tables_unbind(kt, "nope", "x", 0, 0, &cause), "table nope doesn't exist");
	EXPECT_CAUSE(key_tables_unbind(kt, "prefix", "x", 1, 0, &cause), "key given with -a");
	EXPECT_CAUSE(key_tables_unbind(kt, "prefix", NULL, 0, 0, &cause), "missing key");
	EXPECT_CAUSE(key_tables_unbind(kt, "prefix", "NoKey", 0, 0, &cause), "unknown key: NoKey");
	cause = NULL;
	assert_int_equal(key_tables_unbind(kt, "nope", "x", 0, 1, &cause), -1);
	assert_null(cause);
	assert_false(key_tables_exists(kt, "t2"));
	assert_list_error(kt, "nope", NULL, 0, "table nope doesn't exist");
	assert_list_error(kt, "root", "x", 0, "unknown key: x");

	/* An unbound key of an existing table is no error; the last key of a
	 * table takes the table with it; -a removes a table, root stays. */
	assert_int_equal(key_tables_unbind(kt, "prefix", "F5", 0, 0, &cause), 0);
	bind(kt, "t4", "a", 0, NULL, 1, ls);
	assert_true(key_tables_exists(kt, "t4"));
	assert_int_equal(key_tables_unbind(kt, "t4", "a", 0, 0, &cause), 0);
	assert_false(key_tables_exists(kt, "t4"));
	bind(kt, "t5", "a", 0, NULL, 0, NULL);
	assert_true(key_tables_exists(kt, "t5"));
	assert_int_equal(key_tables_unbind(kt, "prefix", NULL, 1, 0, &cause), 0);
	assert_list_error(kt, "prefix", NULL, 0, "table prefix doesn't exist");
	assert_int_equal(key_tables_unbind(kt, "root", NULL, 1, 0, &cause), 0);
	assert_list(kt, "root", NULL, 0, NULL, "");
	assert_string_equal(key_tables_table_name(NULL, 0), "prefix");
	assert_string_equal(key_tables_table_name(NULL, 1), "root");
	assert_string_equal(key_tables_table_name("t2", 1), "t2");
	key_tables_free(kt);
}

struct path_fixture {
	struct key_tables *kt;
	struct key_client c;
	struct key_dispatch d;
};

static int press(struct path_fixture *f, const char *keyname, const char **what)
{
	const struct key_binding *bd = NULL;
	int r = key_tables_dispatch(f->kt, &f->c, &f->d, key_string_lookup_string(keyname), &bd);

	*what = bd != NULL ? bd->text : NULL;
	assert_true((r == KEY_DISPATCH_RUN) == (bd != NULL));
	return r;
}

static void test_key_path(void **state)
{
	struct path_fixture f = { 0 };
	const char *what;

	(void)state;
	f.kt = key_tables_create(NULL);
	f.d.prefix = 0x02;
	f.d.prefix2 = KEY_NONE;
	f.d.repeat_time = 500;
	f.d.now = 1000;

	/* Plain keys reach the pane; C-b then c runs new-window. */
	assert_int_equal(press(&f, "a", &what), KEY_DISPATCH_PANE);
	assert_int_equal(press(&f, "C-b", &what), KEY_DISPATCH_PREFIX);
	assert_string_equal(key_client_table(&f.c, NULL), "prefix");
	assert_int_equal(press(&f, "c", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "new-window");
	assert_string_equal(key_client_table(&f.c, NULL), "root");
	/* C-b C-b sends the prefix; an unbound key after the prefix is dropped. */
	press(&f, "C-b", &what);
	assert_int_equal(press(&f, "C-b", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "send-prefix");
	press(&f, "C-b", &what);
	assert_int_equal(press(&f, "F5", &what), KEY_DISPATCH_DROP);
	assert_string_equal(key_client_table(&f.c, NULL), "root");

	/* Repeat: C-b Up Up within repeat-time, then Up after it is a pane key. */
	press(&f, "C-b", &what);
	assert_int_equal(press(&f, "Up", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "select-pane -U");
	assert_string_equal(key_client_table(&f.c, NULL), "prefix");
	f.d.now += 499;
	assert_int_equal(press(&f, "Up", &what), KEY_DISPATCH_RUN);
	f.d.now += 500;
	assert_int_equal(press(&f, "Up", &what), KEY_DISPATCH_PANE);
	/* A non-repeating key during a run is tried in root: c goes to the pane. */
	press(&f, "C-b", &what);
	press(&f, "Left", &what);
	assert_int_equal(press(&f, "c", &what), KEY_DISPATCH_PANE);
	assert_false(f.c.repeat);
	/* The timer expiring ends a run on its own. */
	press(&f, "C-b", &what);
	press(&f, "M-Up", &what);
	assert_int_equal(key_client_expire(&f.c, f.d.now + 499), 0);
	assert_int_equal(key_client_expire(&f.c, f.d.now + 500), 1);
	assert_string_equal(key_client_table(&f.c, NULL), "root");
	/* repeat-time 0: no run. */
	f.d.repeat_time = 0;
	press(&f, "C-b", &what);
	press(&f, "Up", &what);
	assert_string_equal(key_client_table(&f.c, NULL), "root");

	/* A mode table comes first; unbound keys there are swallowed, but root
	 * bindings and the prefix still work. */
	char *cause = NULL, *cp[] = { "send-keys", "-X", "cursor-up" }, *any[] = { "display", "any" };
	assert_int_equal(key_tables_bind(f.kt, "copy-mode", "k", 0, NULL, 3, cp, &cause), 0);
	f.d.mode_table = "copy-mode";
	assert_int_equal(press(&f, "k", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "send-keys -X cursor-up");
	assert_int_equal(press(&f, "z", &what), KEY_DISPATCH_DROP);
	assert_int_equal(press(&f, "WheelUpStatus", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "previous-window");
	assert_int_equal(press(&f, "C-b", &what), KEY_DISPATCH_PREFIX);
	assert_int_equal(press(&f, "n", &what), KEY_DISPATCH_RUN);
	f.d.mode_table = NULL;

	/* prefix2 and the Any key. */
	f.d.prefix2 = 0x01;
	assert_int_equal(press(&f, "C-a", &what), KEY_DISPATCH_PREFIX);
	assert_int_equal(press(&f, "d", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "detach-client");
	assert_int_equal(key_tables_bind(f.kt, "prefix", "Any", 0, NULL, 2, any, &cause), 0);
	press(&f, "C-b", &what);
	assert_int_equal(press(&f, "F5", &what), KEY_DISPATCH_RUN);
	assert_string_equal(what, "display any");

	/* The copy stays valid after the binding goes. */
	struct cmd_parse_result copy;
	key_binding_dup(key_tables_get(f.kt, "prefix", KEY_ANY), &copy);
	assert_int_equal(key_tables_unbind(f.kt, "prefix", "Any", 0, 0, &cause), 0);
	assert_int_equal(copy.ncmds, 1);
	assert_string_equal(copy.cmds[0].argv[1], "any");
	cmd_parse_result_free(&copy);

	/* A custom key-table option is the default table. */
	assert_int_equal(key_tables_bind(f.kt, "mine", "q", 0, NULL, 2, any, &cause), 0);
	f.d.default_table = "mine";
	assert_int_equal(press(&f, "q", &what), KEY_DISPATCH_RUN);
	assert_int_equal(press(&f, "r", &what), KEY_DISPATCH_PANE);
	key_client_clear(&f.c);
	key_tables_free(f.kt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bind_list),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_key_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
