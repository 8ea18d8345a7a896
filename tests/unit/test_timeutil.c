/* test_timeutil.c — the monotonic clocks: never backwards, units that
 * agree with each other, and real elapsed time measured (a lower bound
 * only, so a slow machine cannot fail it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <time.h>

#include "common/timeutil.h"

static void test_monotonic(void **state)
{
	uint64_t prev = time_now_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = time_now_ns();
		assert_true(now >= prev);
		prev = now;
	}
}

static void test_units_agree(void **state)
{
	/* Read in increasing order of coarseness, bracketed by ns readings:
	 * each coarser reading lies between the bracketing fine ones. */
	uint64_t ns0 = time_now_ns();
	uint64_t us = time_now_us();
	uint64_t ms = time_now_ms();
	uint64_t ns1 = time_now_ns();

	assert_true(ns0 / 1000 <= us);
	assert_true(us <= ns1 / 1000);
	assert_true(ns0 / 1000000 <= ms);
	assert_true(ms <= ns1 / 1000000);
	/* The same clock as CLOCK_MONOTONIC (not realtime, not process time). */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t mono_ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	uint64_t after = time_now_ms();
	assert_true(ms <= mono_ms);
	assert_true(mono_ms <= after);
}

static void test_elapsed(void **state)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	uint64_t ns0 = time_now_ns();
	uint64_t us0 = time_now_us();
	uint64_t ms0 = time_now_ms();

	/* Sleep at least 20 ms (resumed after signals). */
	while (nanosleep(&nap, &nap) != 0)
		;
	/* A sleep counts even when the process does not run: at least 20 ms
	 * passed in every unit (the ms reading may have started late in its
	 * millisecond, hence 19). */
	assert_true(time_now_ns() - ns0 >= 20 * 1000 * 1000);
	assert_true(time_now_us() - us0 >= 19 * 1000);
	assert_true(time_now_ms() - ms0 >= 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_units_agree),
		cmocka_unit_test(test_elapsed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
