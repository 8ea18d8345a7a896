/* test_ctlmsg.c — control socket framing: round trips, partial input and
 * hostile bytes (the daemon decodes whatever a local process sends). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/ctlmsg.h"
#include "common/util.h"

static void test_command_round_trip(void **state)
{
	char *argv[] = { "new-session", "-d", "-s", "caf\xc3\xa9", "", NULL };
	char *env[] = { "TERM=xterm-256color", "RMUX_PANE=%3" };
	struct ctlmsg_command c = { "/home/u", 2, env, 5, argv }, d;
	const uint8_t *payload;
	uint32_t type;
	size_t plen;
	struct buf b;
	long n;
	int i;

	buf_init(&b);
	ctlmsg_command_encode(&b, &c);
	n = ctlmsg_peek(b.data, b.len, &type, &payload, &plen);
	assert_int_equal(n, (long)b.len);
	assert_int_equal(type, CTLMSG_COMMAND);
	assert_int_equal(ctlmsg_command_decode(payload, plen, &d), 0);
	assert_string_equal(d.cwd, "/home/u");
	assert_int_equal(d.argc, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(d.argv[i], argv[i]);
	assert_null(d.argv[5]);
	assert_int_equal(d.envc, 2);
	assert_string_equal(ctlmsg_command_getenv(&d, "RMUX_PANE"), "%3");
	assert_string_equal(ctlmsg_command_getenv(&d, "TERM"), "xterm-256color");
	assert_null(ctlmsg_command_getenv(&d, "TER"));
	ctlmsg_command_free(&d);
	buf_free(&b);
}

static void test_peek_partial_and_stream(void **state)
{
	const uint8_t *payload;
	uint32_t type;
	size_t plen, off = 0, i;
	struct buf b;
	long n;

	buf_init(&b);
	ctlmsg_add(&b, CTLMSG_STDOUT, "out\n", 4);
	ctlmsg_add(&b, CTLMSG_STDERR, "err", 3);
	ctlmsg_add_exit(&b, 1);
	/* Every strict prefix of the first message asks for more. */
	for (i = 0; i < CTLMSG_HEADER + 4; i++)
		assert_int_equal(ctlmsg_peek(b.data, i, &type, &payload, &plen), 0);
	n = ctlmsg_peek(b.data, b.len, &type, &payload, &plen);
	assert_int_equal(n, CTLMSG_HEADER + 4);
	assert_int_equal(type, CTLMSG_STDOUT);
	assert_memory_equal(payload, "out\n", 4);
	off += (size_t)n;
	n = ctlmsg_peek(b.data + off, b.len - off, &type, &payload, &plen);
	assert_int_equal(type, CTLMSG_STDERR);
	assert_int_equal(plen, 3);
	off += (size_t)n;
	n = ctlmsg_peek(b.data + off, b.len - off, &type, &payload, &plen);
	assert_int_equal(type, CTLMSG_EXIT);
	assert_int_equal(plen, 4);
	assert_int_equal(payload[3], 1);
	assert_int_equal(off + (size_t)n, b.len);
	buf_free(&b);
}

static void test_peek_rejects(void **state)
{
	const uint8_t *payload;
	uint32_t type;
	size_t plen;
	uint8_t big[8] = { 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff };
	uint8_t bad[8] = { 0, 0, 0, 9, 0, 0, 0, 0 };

	assert_int_equal(ctlmsg_peek(big, sizeof big, &type, &payload, &plen), RMUX_ERR_TOO_BIG);
	assert_int_equal(ctlmsg_peek(bad, sizeof bad, &type, &payload, &plen), RMUX_ERR_MALFORMED);
}

/* Every truncation and every single-byte corruption of a valid request
 * either decodes or fails cleanly (ASan watches for the rest). */
static void test_decode_hostile(void **state)
{
	char *argv[] = { "send-keys", "-t", "%1", "hello", NULL };
	char *env[] = { "TERM=x" };
	struct ctlmsg_command c = { "/", 1, env, 4, argv }, d;
	struct buf b;
	uint8_t *p;
	size_t len, i;
	unsigned v;
	int ok = 0, bad = 0;

	buf_init(&b);
	ctlmsg_command_encode(&b, &c);
	len = b.len - CTLMSG_HEADER;
	p = malloc(len);
	for (i = 0; i < len; i++) {
		memcpy(p, b.data + CTLMSG_HEADER, len);
		assert_int_not_equal(ctlmsg_command_decode(p, i, &d), 0);
		assert_null(d.argv);
		for (v = 0; v < 256; v += 51) {
			p[i] = (uint8_t)v;
			if (ctlmsg_command_decode(p, len, &d) == 0) {
				ok++;
				assert_non_null(d.cwd);
				assert_null(d.argv[d.argc]);
				ctlmsg_command_free(&d);
			} else {
				bad++;
			}
		}
	}
	assert_true(ok > 0);
	assert_true(bad > 0);
	/* A NUL inside a string is refused. */
	memcpy(p, b.data + CTLMSG_HEADER, len);
	p[len - 1] = 0;
	assert_int_equal(ctlmsg_command_decode(p, len, &d), RMUX_ERR_MALFORMED);
	/* An argument count beyond the limit is refused before allocating. */
	{
		uint8_t huge[] = { 0, 0, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f };

		assert_int_equal(ctlmsg_command_decode(huge, sizeof huge, &d), RMUX_ERR_TOO_BIG);
	}
	free(p);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_round_trip),
		cmocka_unit_test(test_peek_partial_and_stream),
		cmocka_unit_test(test_peek_rejects),
		cmocka_unit_test(test_decode_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
