/* test_clusters.c — the grapheme cluster intern table (clusters.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term/clusters.h"

static void test_intern_same_text(void **state)
{
	(void)state;
	struct clusters *c = clusters_create();
	uint32_t a = clusters_add(c, "e\xcc\x81", 3);
	uint32_t b = clusters_add(c, "a\xcc\x81", 3);
	assert_int_not_equal(a, UINT32_MAX);
	assert_int_not_equal(a, b);
	assert_int_equal(clusters_add(c, "e\xcc\x81", 3), a);

	size_t len;
	const char *t = clusters_get(c, a, &len);
	assert_non_null(t);
	assert_int_equal(len, 3);
	assert_memory_equal(t, "e\xcc\x81", 3);
	assert_null(clusters_get(c, 999999, &len));
	assert_int_equal(len, 0);
	assert_int_equal(clusters_add(c, "", 0), UINT32_MAX);
	clusters_free(c);
}

static void test_cut_at_boundary(void **state)
{
	(void)state;
	struct clusters *c = clusters_create();
	char text[64];
	/* 'a' then 20 two-byte marks: 41 bytes, cut to 31 (not mid-mark). */
	text[0] = 'a';
	for (int i = 0; i < 20; i++)
		memcpy(text + 1 + 2 * i, "\xcc\x81", 2);
	uint32_t id = clusters_add(c, text, 41);
	size_t len;
	const char *t = clusters_get(c, id, &len);
	assert_int_equal(len, 31);
	assert_true(len <= CLUSTER_MAX_BYTES);
	assert_memory_equal(t, text, 31);
	clusters_free(c);
}

static void test_full_and_collect(void **state)
{
	(void)state;
	struct clusters *c = clusters_create();
	size_t cap = clusters_capacity(c);
	uint32_t *ids = calloc(cap, sizeof *ids);
	char text[16];

	for (size_t i = 0; i < cap; i++) {
		int n = snprintf(text, sizeof text, "x%zu", i);
		ids[i] = clusters_add(c, text, (size_t)n);
		assert_true(ids[i] < cap);
	}
	assert_true(clusters_full(c));
	assert_int_equal(clusters_add(c, "new", 3), UINT32_MAX);
	/* Existing text is still found when full. */
	assert_int_equal(clusters_add(c, "x5", 2), ids[5]);

	/* Keep only the even ids. */
	uint8_t *in_use = calloc((cap + 7) / 8, 1);
	for (size_t i = 0; i < cap; i += 2)
		in_use[ids[i] / 8] |= (uint8_t)(1u << (ids[i] % 8));
	clusters_collect(c, in_use);
	assert_false(clusters_full(c));
	assert_null(clusters_get(c, ids[1], NULL));
	size_t len;
	const char *t = clusters_get(c, ids[4], &len);
	assert_memory_equal(t, "x4", 2);
	assert_int_equal(clusters_add(c, "x4", 2), ids[4]);

	uint32_t fresh = clusters_add(c, "new", 3);
	assert_int_not_equal(fresh, UINT32_MAX);
	assert_int_equal(fresh % 2, 1); /* a freed (odd) id was reused */
	free(in_use);
	free(ids);
	clusters_free(c);
}

static void test_cell_utf8(void **state)
{
	(void)state;
	struct clusters *c = clusters_create();
	char out[CLUSTER_MAX_BYTES];
	struct cell plain = { 0x4e00, 0, 0, CELL_WIDE, 0 };
	struct cell tail = { 0, 0, 0, CELL_WIDE_TAIL, 0 };
	uint32_t id = clusters_add(c, "e\xcc\x81", 3);
	struct cell cl = { id, 0, 0, CELL_CLUSTER, 0 };

	assert_int_equal(cell_utf8(&plain, c, out), 3);
	assert_memory_equal(out, "\xe4\xb8\x80", 3);
	assert_int_equal(cell_utf8(&tail, c, out), 0);
	assert_int_equal(cell_utf8(&cl, c, out), 3);
	assert_memory_equal(out, "e\xcc\x81", 3);
	clusters_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intern_same_text),
		cmocka_unit_test(test_cut_at_boundary),
		cmocka_unit_test(test_full_and_collect),
		cmocka_unit_test(test_cell_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
