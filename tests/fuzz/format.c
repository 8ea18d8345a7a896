/* format.c — fuzz harness for format expansion (server/format.h), as used
 * for status-left, window names and display-message. The first byte picks
 * format_expand_time() (bit 0) over format_expand(); the rest, up to a NUL,
 * is the format. Variables come from a fixed table (ASCII, wide and
 * combining characters, paths, numbers, a value that itself looks like a
 * format). Checked: the expansion always returns a string, and it is
 * valid UTF-8 whenever the format is (the daemon runs in a UTF-8 locale,
 * so the harness does too). */
#include <locale.h>
#include <time.h>

#include "fuzz.h"
#include "server/format.h"

static const char *const vars[][2] = {
	{ "session_name", "main" },
	{ "window_index", "3" },
	{ "window_name", "vim \xe2\x80\x94 \xe6\x96\x87\xe5\xad\x97" },
	{ "window_flags", "*Z" },
	{ "pane_index", "0" },
	{ "pane_id", "%12" },
	{ "pane_title", "e\xcc\x81t\xc3\xa9 \xf0\x9f\x98\x80" },
	{ "pane_current_path", "/home/fuzz/src//rmux/" },
	{ "host", "box.example.org" },
	{ "host_short", "box" },
	{ "zero", "0" },
	{ "empty", "" },
	{ "hash", "#{session_name}#[fg=red]" },
	{ "a", "x" },
};

static int calls;

static char *fuzz_lookup(const char *name, void *arg)
{
	(void)arg;
	calls++;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if (strcmp(name, vars[i][0]) == 0) {
			char *v = strdup(vars[i][1]);
			FUZZ_CHECK(v != NULL);
			return v;
		}
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	struct format_ctx ctx = { fuzz_lookup, NULL };
	struct fuzz_in in = { data, size };

	if (!once) {
		setenv("TZ", "UTC", 1);
		tzset();
		setlocale(LC_ALL, "C.UTF-8");
		once = 1;
	}
	uint8_t h = fuzz_u8(&in);
	char *fmt = fuzz_string(&in, '\0');
	int valid = fuzz_utf8_valid(fmt, strlen(fmt));
	char *out;

	calls = 0;
	if (h & 1)
		out = format_expand_time(fmt, &ctx, (time_t)1700000000 + (h >> 1) * 86401);
	else
		out = format_expand(fmt, &ctx);
	FUZZ_CHECK(out != NULL);
	if (valid && !fuzz_utf8_valid(out, strlen(out))) {
		fprintf(stderr, "fuzz: format <%s> gave invalid UTF-8 <%s>\n", fmt, out);
		FUZZ_CHECK(0);
	}
	/* Without '#' there is nothing to expand (time aside). */
	if (!(h & 1) && strchr(fmt, '#') == NULL) {
		FUZZ_CHECK(strcmp(out, fmt) == 0);
		FUZZ_CHECK(calls == 0);
	}
	FUZZ_CHECK(format_true(out) == (out[0] != '\0' && strcmp(out, "0") != 0));
	free(out);
	free(fmt);
	return 0;
}
