/* keys_demo.c — rmux's key input decoder (client/input.h) in a real
 * terminal, for tests/unit/client/keys_tmux.py: raw mode, bracketed paste
 * and focus reports on, terminfo keys of $TERM added, and every decoded
 * item printed as one line (on the screen and into the log file given as
 * the first argument). It queries the terminal once (DA1 and the cursor
 * position) so the replies show up as replies. Ctrl-^ . quits.
 * With -a second argument: application cursor and keypad modes. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "client/input.h"
#include "client/tty.h"
#include "common/timeutil.h"
#include "term/key_string.h"

static FILE *log_file;
static int quit;

static void out(const char *line)
{
	char buf[8192];
	int n = snprintf(buf, sizeof buf, "%s\r\n", line);

	if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n) < 0)
		exit(2);
	if (log_file != NULL) {
		fprintf(log_file, "%s\n", line);
		fflush(log_file);
	}
}

/* Paste bytes with controls written as \xNN, so the log stays one line. */
static void escape_bytes(char *dst, size_t size, const uint8_t *p, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", p[i]);
		else
			dst[o++] = (char)p[i];
	}
	dst[o] = '\0';
}

static void item(const struct input_item *it, void *arg)
{
	char line[8192], name[KEY_STRING_MAX], bytes[7000];
	static const char *const kinds[] = { "press", "release", "drag", "wheel", "move" };

	(void)arg;
	switch (it->type) {
	case INPUT_ITEM_KEY:
		snprintf(line, sizeof line, "key %s%s", key_string_lookup_key(it->key, name),
		    it->bulk ? " bulk" : "");
		break;
	case INPUT_ITEM_PASTE:
		escape_bytes(bytes, sizeof bytes, it->data, it->len);
		snprintf(line, sizeof line, "paste %zu%s %s", it->len, it->more ? "+" : "", bytes);
		break;
	case INPUT_ITEM_MOUSE:
		snprintf(line, sizeof line, "mouse %s %u %u,%u %u",
		    it->kind < 5 ? kinds[it->kind] : "?", it->button, it->x, it->y, it->mods);
		break;
	case INPUT_ITEM_FOCUS:
		snprintf(line, sizeof line, "focus %s", it->focus_in ? "in" : "out");
		break;
	case INPUT_ITEM_REPLY:
		escape_bytes(bytes, sizeof bytes, it->data, it->len);
		snprintf(line, sizeof line, "reply %u %u %u %s", it->reply, it->a, it->b, bytes);
		break;
	case INPUT_ITEM_QUIT:
		snprintf(line, sizeof line, "quit");
		quit = 1;
		break;
	default:
		snprintf(line, sizeof line, "unknown %u", it->type);
		break;
	}
	out(line);
}

static void put(const char *s)
{
	if (write(STDOUT_FILENO, s, strlen(s)) < 0)
		exit(2);
}

int main(int argc, char **argv)
{
	struct tty_mode mode;
	struct input *in;
	int err, app = argc > 2 && strcmp(argv[2], "-a") == 0;
	uint8_t buf[65536];

	if (argc > 1 && (log_file = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if (tty_raw_enter(&mode, STDIN_FILENO) != 0) {
		fprintf(stderr, "keys_demo: not a terminal\n");
		return 1;
	}
	in = input_create(item, NULL);
	if (setupterm(NULL, STDOUT_FILENO, &err) == 0) {
		char line[64];
		snprintf(line, sizeof line, "terminfo %d sequences", input_add_terminfo(in));
		out(line);
		del_curterm(cur_term);
	}
	put("\033[?2004h\033[?1004h");
	if (app)
		put("\033[?1h\033=");
	input_expect_cpr(in);
	put("\033[c\033[6n");
	out("ready");
	while (!quit) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int r = poll(&pfd, 1, input_wait_ms(in, time_now_ms()));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0) {
			input_timeout(in, time_now_ms());
			continue;
		}
		ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
		if (n <= 0)
			break;
		input_feed(in, buf, (size_t)n, time_now_ms());
	}
	put("\033[?2004l\033[?1004l");
	if (app)
		put("\033[?1l\033>");
	input_free(in);
	tty_raw_leave(&mode);
	if (log_file != NULL)
		fclose(log_file);
	return quit ? 0 : 1;
}
