/* test_utf8.c — widths, encoding and decoding (utf8.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "term/utf8.h"

static void test_width_classes(void **state)
{
	(void)state;
	assert_int_equal(utf8_width('A'), 1);
	assert_int_equal(utf8_width(' '), 1);
	assert_int_equal(utf8_width(0x00e9), 1);  /* é */
	assert_int_equal(utf8_width(0x0000), -1);
	assert_int_equal(utf8_width(0x001b), -1);
	assert_int_equal(utf8_width(0x007f), -1);
	assert_int_equal(utf8_width(0x0085), -1); /* C1 */
	assert_int_equal(utf8_width(0x0301), 0);  /* combining acute */
	assert_int_equal(utf8_width(0x200d), 0);  /* zero width joiner */
	assert_int_equal(utf8_width(0x4e00), 2);  /* CJK */
	assert_int_equal(utf8_width(0xac00), 2);  /* Hangul */
	assert_int_equal(utf8_width(0xff21), 2);  /* fullwidth A */
	assert_int_equal(utf8_width(0x1f600), 2); /* emoji presentation */
	assert_int_equal(utf8_width(0x2500), 1);  /* box drawing */
	assert_int_equal(utf8_width(0xe000), 1);  /* private use */
	assert_int_equal(utf8_width(0xd800), -1); /* surrogate */
	assert_int_equal(utf8_width(0x110000), -1);
}

static void test_width_cache_stable(void **state)
{
	(void)state;
	/* The second look-up comes from the caches and must agree. */
	static const uint32_t cps[] = { 0x4e00, 0x0301, 0x1f600, 0x1f601, 0x20000, 0xe9, 0x3000 };
	int first[sizeof cps / sizeof cps[0]];
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
		first[i] = utf8_width(cps[i]);
	/* Colliding astral slots: many code points through the same cache. */
	for (uint32_t cp = 0x1f300; cp < 0x1f700; cp++)
		assert_true(utf8_width(cp) >= 0);
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++)
		assert_int_equal(utf8_width(cps[i]), first[i]);
	assert_int_equal(utf8_width(0x20000), 2);
	/* The inline shortcut agrees with the full look-up. */
	for (uint32_t cp = 0; cp < 0x10000; cp += 7)
		assert_int_equal(utf8_width_fast(cp), utf8_width(cp));
}

static void test_encode_decode_roundtrip(void **state)
{
	(void)state;
	static const uint32_t cps[] = { 0, 0x41, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000,
					0xfffd, 0xffff, 0x10000, 0x10ffff };
	static const size_t lens[] = { 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4 };
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char out[4];
		uint32_t back;
		size_t n = utf8_encode(cps[i], out);
		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_decode((const uint8_t *)out, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	char out[4];
	/* Not a scalar: encoded as the replacement character. */
	assert_int_equal(utf8_encode(0xd800, out), 3);
	assert_memory_equal(out, "\xef\xbf\xbd", 3);
}

static void check_invalid(const char *bytes, size_t len)
{
	uint32_t cp = 0;
	assert_int_equal(utf8_decode((const uint8_t *)bytes, len, &cp), 1);
	assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void test_decode_invalid(void **state)
{
	(void)state;
	check_invalid("\x80", 1);             /* stray continuation */
	check_invalid("\xff", 1);
	check_invalid("\xc0\x80", 2);         /* overlong NUL */
	check_invalid("\xe0\x80\x80", 3);     /* overlong */
	check_invalid("\xed\xa0\x80", 3);     /* surrogate */
	check_invalid("\xf4\x90\x80\x80", 4); /* above U+10FFFF */
	check_invalid("\xe4\xb8", 2);         /* truncated */
	check_invalid("\xe4\xb8\x41", 3);     /* broken */
	check_invalid("\xf5\x80\x80\x80", 4);

	uint32_t cp;
	assert_int_equal(utf8_decode((const uint8_t *)"\xe4\xb8\x80z", 4, &cp), 3);
	assert_int_equal(cp, 0x4e00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_classes),
		cmocka_unit_test(test_width_cache_stable),
		cmocka_unit_test(test_encode_decode_roundtrip),
		cmocka_unit_test(test_decode_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
