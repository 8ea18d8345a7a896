/* test_key_string.c — key names and key bytes. Every expectation was
 * observed in tmux 3.3a: names by bind-key -n NAME then list-keys, bytes by
 * send-keys into a pane running a program that prints what it reads. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "server/key_string.h"

/* Input name -> the name list-keys printed. */
static const char *const names[][2] = {
	{ "C-b", "C-b" }, { "c-B", "C-b" }, { "C-M-a", "M-C-a" }, { "M-C-a", "M-C-a" },
	{ "S-Up", "S-Up" }, { "s-up", "S-Up" }, { "C-S-Up", "C-S-Up" }, { "M-Up", "M-Up" },
	{ "F1", "F1" }, { "f12", "F12" }, { "Enter", "Enter" }, { "Escape", "Escape" },
	{ "Tab", "Tab" }, { "BTab", "BTab" }, { "Space", "Space" }, { "BSpace", "BSpace" },
	{ "Up", "Up" }, { "PPage", "PPage" }, { "PageUp", "PPage" }, { "PgUp", "PPage" },
	{ "NPage", "NPage" }, { "PageDown", "NPage" }, { "IC", "IC" }, { "Insert", "IC" },
	{ "DC", "DC" }, { "Delete", "DC" }, { "Home", "Home" }, { "End", "End" },
	{ "KP*", "KP*" }, { "KP/", "KP/" }, { "KP-", "KP-" }, { "KP+", "KP+" }, { "KP.", "KP." },
	{ "KP0", "KP0" }, { "KPEnter", "KPEnter" }, { "\xc3\xa9", "\xc3\xa9" }, { "^b", "C-b" },
	{ "^B", "C-b" }, { "^?", "C-?" }, { "C-Space", "C-Space" }, { "C-@", "C-Space" },
	{ "C-?", "C-?" }, { "C-1", "C-1" }, { "C-Enter", "C-Enter" }, { "M-Enter", "M-Enter" },
	{ "C-Tab", "C-Tab" }, { "C-i", "Tab" }, { "C-m", "Enter" }, { "C-[", "Escape" },
	{ "M-\xc3\xa9", "M-\xc3\xa9" }, { "S-a", "S-a" }, { "M-A", "M-A" },
	{ "C-\xc3\xa9", "C-\xc3\xa9" }, { "S-F1", "S-F1" }, { "C-'", "C-'" }, { "#", "#" },
	{ ";", ";" }, { "\"", "\"" }, { "{", "{" }, { "~", "~" }, { "C-x", "C-x" },
	{ "M-x", "M-x" }, { "S-Tab", "S-Tab" }, { "C-BSpace", "C-BSpace" },
	{ "M-BSpace", "M-BSpace" }, { "C-F5", "C-F5" }, { "-", "-" }, { "M--", "M--" },
	{ "Any", "Any" }, { "\\", "\\" }, { "MouseDown1Pane", "MouseDown1Pane" },
	{ "wheelupstatus", "WheelUpStatus" }, { "M-MouseDown3Pane", "M-MouseDown3Pane" },
	{ "C-\\", "C-\\" }, { "C-]", "C-]" }, { "C-_", "C-_" }, { "0x41", "A" }, { "0x2", "C-b" },
};

/* Names tmux refused with "unknown key". */
static const char *const bad_names[] = {
	"xyz", "F13", "M-", "C-", "a-", "--", "\\\\", "", "C-\xc3", "\xc3\xa9x", "0x", "0xzz",
	"Q-a", "MouseDown1Nowhere",
};

static void test_names(void **state)
{
	char buf[KEY_STRING_MAX];

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		uint64_t key = key_string_lookup_string(names[i][0]);
		if (key == KEY_UNKNOWN)
			fail_msg("%s: unknown", names[i][0]);
		key_string_lookup_key(key, buf);
		if (strcmp(buf, names[i][1]) != 0)
			fail_msg("%s: want %s got %s", names[i][0], names[i][1], buf);
		/* The printed name reads back as the same key. */
		assert_true(key_string_lookup_string(buf) == key);
	}
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		if (key_string_lookup_string(bad_names[i]) != KEY_UNKNOWN)
			fail_msg("%s: should be unknown", bad_names[i]);
	}
	assert_true(key_string_lookup_string("None") == KEY_NONE);
	assert_string_equal(key_string_lookup_key(KEY_NONE, buf), "None");
	assert_true(key_string_lookup_string("C-b") == 0x02);
	assert_true(key_string_lookup_string("Enter") == '\r');
	assert_true(key_string_lookup_string("C-S-Up") == (KEY_UP | KEY_CTRL | KEY_SHIFT));
}

struct bytes_case {
	const char *key;
	int modes;
	const char *bytes; /* NULL: nothing (send-keys sends the name) */
};

#define CUR KEY_MODE_CURSOR
#define PAD KEY_MODE_KEYPAD
static const struct bytes_case bytes[] = {
	{ "Up", 0, "\033[A" }, { "S-Up", 0, "\033[1;2A" }, { "M-Up", 0, "\033[1;3A" },
	{ "C-Up", 0, "\033[1;5A" }, { "C-S-Up", 0, "\033[1;6A" }, { "M-C-S-Up", 0, "\033[1;8A" },
	{ "Home", 0, "\033[1~" }, { "End", 0, "\033[4~" }, { "S-Home", 0, "\033[1;2H" },
	{ "F1", 0, "\033OP" }, { "S-F1", 0, "\033[1;2P" }, { "C-F5", 0, "\033[15;5~" },
	{ "F12", 0, "\033[24~" }, { "M-F12", 0, "\033[24;3~" }, { "IC", 0, "\033[2~" },
	{ "DC", 0, "\033[3~" }, { "S-DC", 0, "\033[3;2~" }, { "PPage", 0, "\033[5~" },
	{ "C-NPage", 0, "\033[6;5~" }, { "BTab", 0, "\033[Z" }, { "BSpace", 0, "\177" },
	{ "M-BSpace", 0, "\033\177" }, { "C-BSpace", 0, NULL }, { "Enter", 0, "\r" },
	{ "M-Enter", 0, "\033\r" }, { "C-Enter", 0, NULL }, { "Tab", 0, "\t" },
	{ "C-Tab", 0, NULL }, { "S-Tab", 0, NULL }, { "Escape", 0, "\033" }, { "Space", 0, " " },
	{ "M-Space", 0, "\033 " }, { "C-b", 0, "\002" }, { "M-x", 0, "\033x" },
	{ "C-M-a", 0, "\033\001" }, { "S-a", 0, NULL }, { "C-1", 0, NULL },
	{ "C-6", 0, "\036" }, { "C-/", 0, "\037" }, { "C--", 0, "\037" }, { "C-?", 0, "\177" },
	{ "\xc3\xa9", 0, "\xc3\xa9" }, { "M-\xc3\xa9", 0, "\033\xc3\xa9" }, { "KP0", 0, "0" },
	{ "KP*", 0, "*" }, { "KPEnter", 0, "\n" }, { "KP.", 0, "." }, { "Left", 0, "\033[D" },
	{ "KP0", PAD, "\033Op" }, { "KP*", PAD, "\033Oj" }, { "KPEnter", PAD, "\033OM" },
	{ "KP.", PAD, "\033On" }, { "Left", PAD, "\033[D" },
	{ "Up", CUR, "\033OA" }, { "Down", CUR, "\033OB" }, { "Right", CUR, "\033OC" },
	{ "Left", CUR, "\033OD" }, { "S-Up", CUR, "\033[1;2A" }, { "M-Left", CUR, "\033[1;3D" },
	{ "Home", CUR, "\033[1~" }, { "End", CUR, "\033[4~" }, { "KP0", CUR, "0" },
	{ "KPEnter", CUR, "\n" },
};

static void test_bytes(void **state)
{
	char out[KEY_BYTES_MAX];

	for (size_t i = 0; i < sizeof bytes / sizeof bytes[0]; i++) {
		uint64_t key = key_string_lookup_string(bytes[i].key);
		assert_true(key != KEY_UNKNOWN);
		int n = key_string_to_bytes(key, bytes[i].modes, out);
		if (bytes[i].bytes == NULL) {
			if (n != -1)
				fail_msg("%s: expected nothing, got %d bytes", bytes[i].key, n);
			continue;
		}
		if (n != (int)strlen(bytes[i].bytes) || memcmp(out, bytes[i].bytes, (size_t)n) != 0)
			fail_msg("%s (modes %d): wrong bytes (%d)", bytes[i].key, bytes[i].modes, n);
	}
	/* C-Space is a NUL byte: compare by length. */
	assert_int_equal(key_string_to_bytes(key_string_lookup_string("C-Space"), 0, out), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(key_string_to_bytes(key_string_lookup_string("C-2"), 0, out), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(key_string_to_bytes(key_string_lookup_string("MouseDown1Pane"), 0, out), -1);
	assert_int_equal(key_string_to_bytes(KEY_NONE, 0, out), -1);
}

/* Every code a name can produce prints and reads back without overflow. */
static void test_all_codes_roundtrip(void **state)
{
	char buf[KEY_STRING_MAX];
	static const uint64_t mods[] = { 0, KEY_META, KEY_CTRL | KEY_SHIFT,
		KEY_META | KEY_CTRL | KEY_SHIFT };

	for (uint64_t k = KEY_FOCUS_IN; k <= KEY_MOUSE_LAST; k++) {
		for (size_t m = 0; m < sizeof mods / sizeof mods[0]; m++) {
			uint64_t key = k | mods[m];
			key_string_lookup_key(key, buf);
			assert_true(strlen(buf) < KEY_STRING_MAX);
			assert_true(key_string_lookup_string(buf) == key);
		}
	}
	for (uint64_t k = 0; k < 128; k++) {
		key_string_lookup_key(k, buf);
		assert_true(key_string_lookup_string(buf) == k);
	}
	key_string_lookup_key(0x10ffff, buf);
	assert_true(key_string_lookup_string(buf) == 0x10ffff);
}

/* A control DEL, whichever way it is written, is DEL: tmux 3.3a read
 * "C-<DEL>" as C-? too, but "^<DEL>" as a key it then printed as "C-C-?",
 * a name that reads back as DEL; rmux reads both as DEL. */
static void test_ctrl_del(void **state)
{
	static const char *const dels[] = { "C-\x7f", "^\x7f", "c-\x7f", "^?", "C-?", "C-C-?" };
	char buf[KEY_STRING_MAX];

	for (size_t i = 0; i < sizeof dels / sizeof dels[0]; i++) {
		uint64_t key = key_string_lookup_string(dels[i]);
		if (key != 0x7f)
			fail_msg("%s: read as %#llx", dels[i], (unsigned long long)key);
		assert_string_equal(key_string_lookup_key(key, buf), "C-?");
	}
	/* Other modifiers stay. */
	uint64_t key = key_string_lookup_string("M-C-\x7f");
	assert_true(key == (0x7f | KEY_META));
	key_string_lookup_key(key, buf);
	assert_string_equal(buf, "M-C-?");
	assert_true(key_string_lookup_string(buf) == key);
	/* C-BSpace is a different key and keeps its C-. */
	assert_true(key_string_lookup_string("C-BSpace") == (KEY_BSPACE | KEY_CTRL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_all_codes_roundtrip),
		cmocka_unit_test(test_ctrl_del),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
