/* test_util.c — rmux_strlcpy's truncation contract, error names, and the
 * small macros every layer leans on. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "common/util.h"

static void test_strlcpy_fits(void **state)
{
	char dst[8];

	memset(dst, 'X', sizeof dst);
	assert_int_equal(rmux_strlcpy(dst, "abc", sizeof dst), 3);
	assert_string_equal(dst, "abc");
	assert_int_equal(dst[4], 'X'); /* nothing written after the NUL */
	/* Exactly full: seven characters and the NUL. */
	assert_int_equal(rmux_strlcpy(dst, "1234567", sizeof dst), 7);
	assert_string_equal(dst, "1234567");
	assert_int_equal(rmux_strlcpy(dst, "", sizeof dst), 0);
	assert_string_equal(dst, "");
}

static void test_strlcpy_truncates(void **state)
{
	char dst[9];

	memset(dst, 'X', sizeof dst);
	/* Returns strlen(src) so callers detect truncation with >= size. */
	assert_int_equal(rmux_strlcpy(dst, "12345678", 8), 8);
	assert_string_equal(dst, "1234567");
	assert_int_equal(dst[8], 'X'); /* size respected exactly */
	assert_int_equal(rmux_strlcpy(dst, "a much longer string", 4), 20);
	assert_string_equal(dst, "a m");
	assert_int_equal(rmux_strlcpy(dst, "xy", 1), 2);
	assert_string_equal(dst, "");
	/* Size 0 writes nothing at all, not even the NUL. */
	dst[0] = 'Q';
	assert_int_equal(rmux_strlcpy(dst, "xyz", 0), 3);
	assert_int_equal(dst[0], 'Q');
	/* A NULL destination with size 0 is the "how long" idiom. */
	assert_int_equal(rmux_strlcpy(NULL, "hello", 0), 5);
}

static void test_strerror(void **state)
{
	static const int codes[] = {
		RMUX_OK, RMUX_ERR_TRUNCATED, RMUX_ERR_MALFORMED, RMUX_ERR_TOO_BIG,
		RMUX_ERR_TRAILING, RMUX_ERR_AUTH, RMUX_ERR_NOMEM, RMUX_ERR_RANGE,
	};
	const char *unknown = rmux_strerror(-1000);

	assert_non_null(unknown);
	assert_string_equal(rmux_strerror(RMUX_OK), "no error");
	assert_string_equal(rmux_strerror(RMUX_ERR_TRUNCATED), "truncated");
	/* Every code has its own name, distinct from the others and from the
	 * name of an unknown code. */
	for (size_t i = 0; i < RMUX_NITEMS(codes); i++) {
		const char *name = rmux_strerror(codes[i]);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
		assert_string_not_equal(name, unknown);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(name, rmux_strerror(codes[j]));
	}
	assert_string_equal(rmux_strerror(1), unknown);
	assert_string_equal(rmux_strerror(-8), unknown);
}

static void test_error_codes_negative(void **state)
{
	/* Parsers return 0 or negative: every error code must be < 0. */
	assert_int_equal(RMUX_OK, 0);
	assert_true(RMUX_ERR_TRUNCATED < 0);
	assert_true(RMUX_ERR_MALFORMED < 0);
	assert_true(RMUX_ERR_TOO_BIG < 0);
	assert_true(RMUX_ERR_TRAILING < 0);
	assert_true(RMUX_ERR_AUTH < 0);
	assert_true(RMUX_ERR_NOMEM < 0);
	assert_true(RMUX_ERR_RANGE < 0);
}

static void test_macros(void **state)
{
	int a[7];

	assert_int_equal(RMUX_NITEMS(a), 7);
	assert_int_equal(RMUX_MIN(3, -2), -2);
	assert_int_equal(RMUX_MAX(3, -2), 3);
	assert_int_equal(RMUX_CLAMP(5, 0, 3), 3);
	assert_int_equal(RMUX_CLAMP(-5, 0, 3), 0);
	assert_int_equal(RMUX_CLAMP(2, 0, 3), 2);
	assert_int_equal(RMUX_MIN(1u, 2u), 1u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strlcpy_fits),
		cmocka_unit_test(test_strlcpy_truncates),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_error_codes_negative),
		cmocka_unit_test(test_macros),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
