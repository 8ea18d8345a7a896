/* ctlmsg.c — fuzz harness for the control socket framing and the
 * CTLMSG_COMMAND decoder (common/ctlmsg.h): what the daemon reads from any
 * local client. The input is the byte stream, read message by message as
 * the daemon does. Checked: a framed message never claims bytes beyond
 * the stream; a decoded command has a cwd, argv ends with NULL and no
 * word is NULL; it re-encodes to exactly the message it came from. */
#include "common/buf.h"
#include "common/ctlmsg.h"
#include "common/util.h"
#include "fuzz.h"

static void check_command(const uint8_t *msg, size_t msglen, const uint8_t *payload, size_t plen)
{
	struct ctlmsg_command c;
	struct buf b;

	int err = ctlmsg_command_decode(payload, plen, &c);
	if (err != 0) {
		FUZZ_CHECK(err < 0 && err >= RMUX_ERR_RANGE);
		FUZZ_CHECK(c.cwd == NULL && c.env == NULL && c.argv == NULL);
		return;
	}
	FUZZ_CHECK(c.cwd != NULL);
	FUZZ_CHECK(c.argc >= 0 && (unsigned)c.argc <= CTLMSG_MAX_ARGS && c.argv != NULL);
	FUZZ_CHECK(c.envc >= 0 && (unsigned)c.envc <= CTLMSG_MAX_ENV && c.env != NULL);
	for (int i = 0; i < c.argc; i++)
		FUZZ_CHECK(c.argv[i] != NULL);
	FUZZ_CHECK(c.argv[c.argc] == NULL);
	for (int i = 0; i < c.envc; i++)
		FUZZ_CHECK(c.env[i] != NULL);
	/* Whatever the entries look like, a lookup stays inside them. */
	const char *term = ctlmsg_command_getenv(&c, "TERM");
	FUZZ_CHECK(term == NULL || strlen(term) < plen);
	ctlmsg_command_getenv(&c, "");

	buf_init(&b);
	ctlmsg_command_encode(&b, &c);
	FUZZ_CHECK(b.len == msglen && memcmp(b.data, msg, msglen) == 0);
	buf_free(&b);
	ctlmsg_command_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (off < size) {
		uint32_t type = 0;
		const uint8_t *payload = NULL;
		size_t plen = 0;
		long n = ctlmsg_peek(data + off, size - off, &type, &payload, &plen);
		if (n <= 0) {
			FUZZ_CHECK(n == 0 || n == RMUX_ERR_MALFORMED || n == RMUX_ERR_TOO_BIG);
			/* 0: more bytes needed, which only a short stream can mean. */
			break;
		}
		FUZZ_CHECK((size_t)n == CTLMSG_HEADER + plen && (size_t)n <= size - off);
		FUZZ_CHECK(payload == data + off + CTLMSG_HEADER);
		FUZZ_CHECK(type >= CTLMSG_COMMAND && type <= CTLMSG_EXIT);
		if (type == CTLMSG_COMMAND)
			check_command(data + off, (size_t)n, payload, plen);
		off += (size_t)n;
	}
	return 0;
}
