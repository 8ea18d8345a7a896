/* test_paste.c — paste buffers: tmux's names, order, limit, and what
 * paste-buffer writes (checked against tmux 3.3a: set-buffer,
 * list-buffers, paste-buffer -p / -r). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "server/paste.h"

static void test_names_and_order(void **state)
{
	struct paste_store *ps = paste_create();
	const char *name, *cause = NULL, *data;
	size_t len;

	(void)state;
	assert_string_equal(paste_add(ps, "foo", 3), "buffer0");
	assert_int_equal(paste_set(ps, "named", "bar", 3, &cause), 0);
	assert_string_equal(paste_add(ps, "baz", 3), "buffer1");
	/* tmux lists buffer1, named, buffer0 */
	assert_int_equal(paste_count(ps), 3);
	data = paste_at(ps, 0, &name, &len);
	assert_string_equal(name, "buffer1");
	assert_memory_equal(data, "baz", 3);
	paste_at(ps, 1, &name, &len);
	assert_string_equal(name, "named");
	paste_at(ps, 2, &name, &len);
	assert_string_equal(name, "buffer0");
	assert_null(paste_at(ps, 3, &name, &len));

	/* Appending makes it the newest; renaming keeps its place. */
	assert_int_equal(paste_append(ps, "named", "X", 1, &cause), 0);
	assert_int_equal(paste_rename(ps, "named", "newname", &cause), 0);
	data = paste_get(ps, NULL, &len, &name);
	assert_string_equal(name, "newname");
	assert_int_equal(len, 4);
	assert_memory_equal(data, "barX", 4);
	assert_null(paste_get(ps, "named", &len, NULL));

	assert_int_equal(paste_delete(ps, "buffer0"), 0);
	assert_int_equal(paste_delete(ps, "buffer0"), -1);
	assert_int_equal(paste_count(ps), 2);
	assert_int_equal(paste_set(ps, "", "x", 1, &cause), -1);
	assert_non_null(cause);
	assert_null(paste_add(ps, "", 0));
	paste_free(ps);
}

static void test_limit(void **state)
{
	struct paste_store *ps = paste_create();
	const char *name, *cause;
	char text[16];
	size_t len;
	int i;

	(void)state;
	assert_int_equal(paste_set(ps, "keep", "k", 1, &cause), 0);
	for (i = 0; i < 60; i++) {
		snprintf(text, sizeof text, "t%d", i);
		paste_add(ps, text, strlen(text));
	}
	/* 50 automatic buffers (buffer10 .. buffer59) plus the named one. */
	assert_int_equal(paste_count(ps), 51);
	assert_non_null(paste_get(ps, "keep", &len, NULL));
	assert_null(paste_get(ps, "buffer9", &len, NULL));
	assert_non_null(paste_get(ps, "buffer10", &len, NULL));
	paste_at(ps, 0, &name, &len);
	assert_string_equal(name, "buffer59");
	paste_set_limit(ps, 5);
	assert_int_equal(paste_count(ps), 6);
	assert_null(paste_get(ps, "buffer54", &len, NULL));
	assert_non_null(paste_get(ps, "buffer55", &len, NULL));
	paste_free(ps);
}

static void test_encode(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	paste_encode(&b, "a\nb\n", 4, NULL, 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "a\rb\r", 4);
	buf_reset(&b);
	paste_encode(&b, "a\nb", 3, "\n", 1);
	assert_int_equal(b.len, 15);
	assert_memory_equal(b.data, "\033[200~a\nb\033[201~", 15);
	buf_reset(&b);
	paste_encode(&b, "x\ny", 3, "--", 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "x--y", 4);
	buf_free(&b);
}

static void test_sample(void **state)
{
	char big[300];
	char *s;

	(void)state;
	s = paste_sample("a\tb\nc\\\033", 7);
	assert_string_equal(s, "a\\tb\\nc\\\\\\033");
	free(s);
	memset(big, 'x', sizeof big);
	s = paste_sample(big, sizeof big);
	assert_int_equal(strlen(s), 203);
	assert_string_equal(s + 200, "...");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_order),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
