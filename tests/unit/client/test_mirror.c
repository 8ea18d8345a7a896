/* test_mirror.c — the client's history mirror: round trips, the limit
 * (never exceeded, whatever order lines arrive in), which lines go first,
 * generation changes, limit changes and closed panes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/mirror.h"

/* A row of 8 cells holding the decimal number N (to tell lines apart). */
static struct view_row *numbered_row(uint64_t n)
{
	struct view_row *r = view_row_create(8);
	char text[32];
	int len = snprintf(text, sizeof text, "%llu", (unsigned long long)n);

	for (int i = 0; i < len && i < 8; i++) {
		struct cell c;

		memset(&c, 0, sizeof c);
		c.ch = (uint32_t)text[i];
		view_row_set(r, (unsigned)i, &c, NULL, 0);
	}
	return r;
}

/* The number written in a row by numbered_row(). */
static uint64_t row_number(const struct view_row *r)
{
	uint64_t n = 0;

	for (unsigned x = 0; x < view_row_cols(r); x++) {
		const struct cell *c = view_row_cell(r, x);

		if (c->ch < '0' || c->ch > '9')
			break;
		n = n * 10 + (c->ch - '0');
	}
	return n;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct mirror *m = mirror_create(100);
	int wrapped = -1;

	assert_int_equal(mirror_limit(m), 100);
	assert_null(mirror_get(m, 1, 0, 5, NULL));
	for (uint64_t l = 10; l < 20; l++)
		mirror_add(m, 1, 0, l, numbered_row(l), (int)(l & 1));
	mirror_add(m, 2, 7, 3, numbered_row(333), 0);
	assert_int_equal(mirror_count(m, 1), 10);
	assert_int_equal(mirror_count(m, 2), 1);
	assert_int_equal(mirror_count(m, 3), 0);
	for (uint64_t l = 10; l < 20; l++) {
		const struct view_row *r = mirror_get(m, 1, 0, l, &wrapped);

		assert_non_null(r);
		assert_int_equal(row_number(r), l);
		assert_int_equal(wrapped, (int)(l & 1));
	}
	assert_null(mirror_get(m, 1, 0, 9, NULL));
	assert_null(mirror_get(m, 1, 0, 20, NULL));
	assert_null(mirror_get(m, 1, 1, 10, NULL)); /* other generation */
	assert_int_equal(row_number(mirror_get(m, 2, 7, 3, NULL)), 333);

	/* A line sent again replaces the one held. */
	mirror_add(m, 1, 0, 12, numbered_row(1212), 0);
	assert_int_equal(mirror_count(m, 1), 10);
	assert_int_equal(row_number(mirror_get(m, 1, 0, 12, NULL)), 1212);

	uint32_t gen;
	uint64_t lo, hi;
	assert_int_equal(mirror_range(m, 1, &gen, &lo, &hi), 1);
	assert_int_equal(gen, 0);
	assert_int_equal(lo, 10);
	assert_int_equal(hi, 19);
	assert_int_equal(mirror_range(m, 9, NULL, NULL, NULL), 0);
	mirror_free(m);
}

/* Lines arriving in a scattered order (around a want, newest, backfill)
 * never make the mirror hold more than its limit, and what it holds is
 * always within LIMIT of the newest. */
static void test_limit_never_exceeded(void **state)
{
	(void)state;
	const unsigned limit = 300;
	struct mirror *m = mirror_create(limit);
	uint64_t seed = 12345, newest = 0;

	for (int i = 0; i < 5000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t line = (seed >> 33) % 2000;

		if (line > newest)
			newest = line;
		mirror_add(m, 4, 1, line, numbered_row(line), 0);
		assert_true(mirror_count(m, 4) <= limit);

		uint64_t lo, hi;
		assert_int_equal(mirror_range(m, 4, NULL, &lo, &hi), 1);
		assert_true(hi - lo < limit);
		assert_int_equal(hi, newest);
		assert_non_null(mirror_get(m, 4, 1, hi, NULL));
		assert_non_null(mirror_get(m, 4, 1, lo, NULL));
	}
	/* Every line in the window arrived at some point after the window
	 * last moved past it, so filling it completely holds exactly LIMIT. */
	for (uint64_t l = newest - limit + 1; l <= newest; l++)
		mirror_add(m, 4, 1, l, numbered_row(l), 0);
	assert_int_equal(mirror_count(m, 4), limit);
	for (uint64_t l = newest - limit + 1; l <= newest; l++)
		assert_int_equal(row_number(mirror_get(m, 4, 1, l, NULL)), l);
	mirror_free(m);
}

/* The lines furthest below the newest go first; a line too old for the
 * window is not taken at all. */
static void test_eviction_order(void **state)
{
	(void)state;
	struct mirror *m = mirror_create(10);

	for (uint64_t l = 100; l < 110; l++)
		mirror_add(m, 1, 0, l, numbered_row(l), 0);
	assert_int_equal(mirror_count(m, 1), 10);
	mirror_add(m, 1, 0, 112, numbered_row(112), 0);
	/* The window is 103..112: 100..102 went, 110 and 111 are gaps. */
	assert_int_equal(mirror_count(m, 1), 8);
	assert_null(mirror_get(m, 1, 0, 100, NULL));
	assert_null(mirror_get(m, 1, 0, 102, NULL));
	assert_non_null(mirror_get(m, 1, 0, 103, NULL));
	/* Too old: dropped on arrival. */
	mirror_add(m, 1, 0, 102, numbered_row(102), 0);
	assert_null(mirror_get(m, 1, 0, 102, NULL));
	assert_int_equal(mirror_count(m, 1), 8);
	/* A gap inside the window is filled. */
	mirror_add(m, 1, 0, 110, numbered_row(110), 0);
	assert_int_equal(mirror_count(m, 1), 9);
	/* A jump far ahead leaves only the new line. */
	mirror_add(m, 1, 0, 1000, numbered_row(1000), 0);
	assert_int_equal(mirror_count(m, 1), 1);
	assert_int_equal(row_number(mirror_get(m, 1, 0, 1000, NULL)), 1000);
	mirror_free(m);
}

static void test_gen_change_drops(void **state)
{
	(void)state;
	struct mirror *m = mirror_create(1000);

	for (uint64_t l = 0; l < 50; l++) {
		mirror_add(m, 1, 3, l, numbered_row(l), 0);
		mirror_add(m, 2, 3, l, numbered_row(l), 0);
	}
	mirror_add(m, 1, 4, 7, numbered_row(77), 0);
	assert_int_equal(mirror_count(m, 1), 1);
	assert_null(mirror_get(m, 1, 3, 8, NULL));
	assert_int_equal(row_number(mirror_get(m, 1, 4, 7, NULL)), 77);
	assert_int_equal(mirror_count(m, 2), 50); /* other panes untouched */
	mirror_free(m);
}

static void test_set_limit(void **state)
{
	(void)state;
	struct mirror *m = mirror_create(1000);

	for (uint64_t l = 0; l < 1000; l++)
		mirror_add(m, 1, 0, l, numbered_row(l), 0);
	assert_int_equal(mirror_count(m, 1), 1000);
	mirror_set_limit(m, 100);
	assert_int_equal(mirror_count(m, 1), 100);
	assert_null(mirror_get(m, 1, 0, 899, NULL));
	assert_int_equal(row_number(mirror_get(m, 1, 0, 900, NULL)), 900);
	assert_int_equal(row_number(mirror_get(m, 1, 0, 999, NULL)), 999);
	mirror_add(m, 1, 0, 1000, numbered_row(1000), 0);
	assert_int_equal(mirror_count(m, 1), 100);
	assert_null(mirror_get(m, 1, 0, 900, NULL));

	mirror_set_limit(m, 0);
	assert_int_equal(mirror_count(m, 1), 0);
	mirror_add(m, 1, 0, 1001, numbered_row(1001), 0);
	assert_int_equal(mirror_count(m, 1), 0);
	assert_int_equal(mirror_limit(m), 0);
	mirror_free(m);
}

static void test_keep_only(void **state)
{
	(void)state;
	struct mirror *m = mirror_create(50);
	uint32_t keep[] = {2, 4}, held[8];

	for (uint32_t p = 1; p <= 5; p++)
		mirror_add(m, p, 0, p, numbered_row(p), 0);
	mirror_keep_only(m, keep, 2);
	assert_int_equal(mirror_panes(m, held, 8), 2);
	assert_int_equal(mirror_count(m, 1), 0);
	assert_int_equal(mirror_count(m, 2), 1);
	assert_int_equal(mirror_count(m, 3), 0);
	assert_int_equal(mirror_count(m, 4), 1);
	assert_int_equal(mirror_count(m, 5), 0);
	mirror_keep_only(m, NULL, 0);
	assert_int_equal(mirror_panes(m, held, 8), 0);
	mirror_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_limit_never_exceeded),
		cmocka_unit_test(test_eviction_order),
		cmocka_unit_test(test_gen_change_drops),
		cmocka_unit_test(test_set_limit),
		cmocka_unit_test(test_keep_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
