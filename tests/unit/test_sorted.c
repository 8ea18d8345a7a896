/* test_sorted.c — sorted arrays: the search finds every element and the
 * place of every missing key, inserts and removes keep the order, and the
 * array grows past its first capacity. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "common/sorted.h"

static int int_cmp(const void *key, const void *elem)
{
	int a = *(const int *)key, b = *(const int *)elem;

	return a < b ? -1 : a > b;
}

static void test_find(void **state)
{
	const int v[] = { 2, 4, 6, 8, 10 };
	int found;

	for (int k = 0; k <= 11; k++) {
		size_t i = sorted_find(v, 5, sizeof v[0], &k, int_cmp, &found);

		assert_int_equal(found, k % 2 == 0 && k >= 2 && k <= 10);
		/* Found: the element itself; missing: the first greater one. */
		for (size_t j = 0; j < i; j++)
			assert_true(v[j] < k);
		if (i < 5)
			assert_true(found ? v[i] == k : v[i] > k);
	}
	assert_int_equal(sorted_find(NULL, 0, sizeof v[0], &v[0], int_cmp, &found), 0);
	assert_int_equal(found, 0);
}

/* Insert keys in a scrambled order past the first capacity, then remove
 * every other one. */
static void test_insert_remove(void **state)
{
	int *v = NULL, found;
	size_t n = 0, cap = 0;

	for (int k = 0; k < 100; k++) {
		int key = (k * 37) % 100;
		size_t i = sorted_find(v, n, sizeof *v, &key, int_cmp, &found);

		assert_false(found);
		v = sorted_insert(v, &n, &cap, sizeof *v, i);
		v[i] = key;
		assert_true(cap >= n);
	}
	assert_int_equal(n, 100);
	for (int k = 0; k < 100; k++)
		assert_int_equal(v[k], k);
	for (int key = 0; key < 100; key += 2) {
		size_t i = sorted_find(v, n, sizeof *v, &key, int_cmp, &found);

		assert_true(found);
		sorted_remove(v, &n, sizeof *v, i);
	}
	assert_int_equal(n, 50);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(v[k], 2 * (int)k + 1);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_insert_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
