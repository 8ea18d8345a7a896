/* input.h — the bytes the local terminal sends, decoded into events: keys
 * (key codes of term/key_string.h), bracketed pastes, mouse, focus, the
 * terminal's replies to queries, and the client's own escape (Ctrl-^ .).
 * No I/O: the caller feeds what it read with the time, and the decoder
 * keeps sequences split between reads. A lone Escape (or any unfinished
 * sequence) waits for more bytes until escape-time has passed: the caller
 * polls with input_wait_ms() as its timeout and calls input_timeout().
 * DEL is BSpace; ^H is C-h unless terminfo's kbs says it is BSpace. A
 * bracketed paste has no timeout: it ends at ESC[201~ (its pieces are
 * bounded, so a terminal that never ends it costs no memory). */
#ifndef RMUX_CLIENT_INPUT_H
#define RMUX_CLIENT_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Mouse kinds (INPUT_MOUSE_*) and modifiers (INPUT_MOD_*) are those of the
 * link, so mouse items go on the wire unchanged. */
#include "net/input_stream.h"

#define INPUT_ITEM_KEY 1   /* key */
#define INPUT_ITEM_PASTE 2 /* data, len; more: the paste goes on in the next item */
#define INPUT_ITEM_MOUSE 3 /* kind, button, x, y (0-based cells), mods */
#define INPUT_ITEM_FOCUS 4 /* focus_in */
#define INPUT_ITEM_REPLY 5 /* reply, a, b; data, len: the whole sequence */
#define INPUT_ITEM_QUIT 6  /* Ctrl-^ . : the client quits locally */

/* Terminal replies (INPUT_ITEM_REPLY), with the numbers they carry. */
#define INPUT_REPLY_DA1 1     /* CSI ? a ; ... c: primary device attributes */
#define INPUT_REPLY_DA2 2     /* CSI > a ; b ; ... c: secondary DA */
#define INPUT_REPLY_CPR 3     /* CSI a ; b R: cursor row a, column b (1-based) */
#define INPUT_REPLY_DECRQM 4  /* CSI [?] a ; b $ y: mode a is in state b */
#define INPUT_REPLY_DSR 5     /* CSI [?] a [; b] n: status report */
#define INPUT_REPLY_KITTY 6   /* CSI ? a u: kitty keyboard flags */
#define INPUT_REPLY_WINOP 7   /* CSI a ; ... t: window report */
#define INPUT_REPLY_OSC 8     /* OSC a ; ... (BEL or ST): colour replies (10, 11...) */
#define INPUT_REPLY_DCS 9     /* DCS ... ST: DA3, XTVERSION, XTGETTCAP */
#define INPUT_REPLY_APC 10    /* APC ... ST */

struct input_item {
	unsigned type; /* INPUT_ITEM_* */
	uint64_t key;
	/* KEY: the key came in a read of more than INPUT_BULK_BYTES bytes
	 * outside a bracketed paste: pasted text, not typing (no prediction). */
	int bulk;
	unsigned kind, button, x, y, mods;
	int focus_in;
	unsigned reply;
	unsigned a, b;
	int more;
	const uint8_t *data; /* valid during the callback only */
	size_t len;
};

typedef void (*input_cb)(const struct input_item *item, void *arg);

struct input;

#define INPUT_BULK_BYTES 100                /* mosh's paste threshold */
#define INPUT_ESCAPE_TIME_DEFAULT 500       /* ms, tmux's escape-time */
#define INPUT_SEQ_MAX 256                   /* longer CSI/SS3 are dropped */
#define INPUT_STRING_MAX 4096               /* longer OSC/DCS/APC are dropped */
#define INPUT_SEQUENCES_MAX 512             /* added sequences */

/* A decoder that hands every item to CB. Paste items are at most
 * INPUT_PASTE_MAX bytes (the link's limit) unless input_set_paste_max(). */
struct input *input_create(input_cb cb, void *arg);
void input_free(struct input *in);

void input_set_escape_time(struct input *in, unsigned ms);
void input_set_paste_max(struct input *in, size_t max); /* at least 1 */
/* Ctrl-^ escape on (the default) or off (every Ctrl-^ is a key). */
void input_set_client_escape(struct input *in, int on);
/* The caller sent a cursor position query (CSI 6n): the next CSI r;cR is
 * its reply even where it reads like a modified F3. */
void input_expect_cpr(struct input *in);

/* A sequence the terminal sends for KEY (from terminfo or the caller's
 * table). Added sequences win over the built-in xterm forms. Returns 0,
 * RMUX_ERR_MALFORMED (empty, not a control sequence, or one the decoder
 * needs for mouse, paste, focus or replies), RMUX_ERR_TOO_BIG. */
int input_add_sequence(struct input *in, const char *seq, uint64_t key);
/* The key_* strings of the terminal the caller gave to setupterm(), each
 * through input_add_sequence(). Returns how many were added. */
int input_add_terminfo(struct input *in);

/* Decode LEN bytes read at NOW (ms, any monotonic clock). */
void input_feed(struct input *in, const void *data, size_t len, uint64_t now);
/* Milliseconds until input_timeout() has something to do, 0 if it has
 * now, -1 when nothing waits (poll's infinite timeout). */
int input_wait_ms(const struct input *in, uint64_t now);
/* When escape-time has passed since the last byte, resolve what waits:
 * a lone ESC is Escape, ESC x is M-x, an unfinished sequence is read as
 * typed keys. Returns 1 if anything was resolved, else 0. */
int input_timeout(struct input *in, uint64_t now);

#endif
