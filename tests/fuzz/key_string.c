/* key_string.c — fuzz harness for key names (server/key_string.h): what
 * bind-key, send-keys and the prefix options take. The first byte picks
 * the key modes (bits 0-1) and whether the rest is a name (bit 2 clear) or
 * eight bytes of key code (set). Checked: a name that is a key prints as a
 * name that reads back as the same key; any code prints within
 * KEY_STRING_MAX and sends at most KEY_BYTES_MAX bytes. */
#include "fuzz.h"
#include "term/key_string.h"

static void check_key(uint64_t key, int modes)
{
	char name[KEY_STRING_MAX], bytes[KEY_BYTES_MAX];
	const char *s = key_string_lookup_key(key, name);

	FUZZ_CHECK(s != NULL);
	FUZZ_CHECK(strlen(s) < KEY_STRING_MAX);
	int n = key_string_to_bytes(key, modes, bytes);
	FUZZ_CHECK(n >= -1 && n <= KEY_BYTES_MAX);
	if (key == KEY_UNKNOWN || key == KEY_NONE)
		return;
	uint64_t back = key_string_lookup_string(s);
	if (back != key) {
		fprintf(stderr, "fuzz: key %#llx prints as <%s>, which reads as %#llx\n",
			(unsigned long long)key, s, (unsigned long long)back);
		FUZZ_CHECK(0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t h = fuzz_u8(&in);
	int modes = h & 3;

	if (h & 4) {
		uint64_t key = fuzz_u64(&in);
		char name[KEY_STRING_MAX], bytes[KEY_BYTES_MAX];
		/* Any code, normalised or not, prints and encodes in bounds. */
		FUZZ_CHECK(strlen(key_string_lookup_key(key, name)) < KEY_STRING_MAX);
		int n = key_string_to_bytes(key, modes, bytes);
		FUZZ_CHECK(n >= -1 && n <= KEY_BYTES_MAX);
		return 0;
	}
	char *s = fuzz_string(&in, '\0');
	uint64_t key = key_string_lookup_string(s);
	if (key != KEY_UNKNOWN)
		check_key(key, modes);
	free(s);
	return 0;
}
