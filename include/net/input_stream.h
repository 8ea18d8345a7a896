/* input_stream.h — the client-to-server state of the link: the stream of
 * input events (keys, paste, mouse, focus, resize, client commands), each
 * with an absolute number, delivered in order and exactly once by the
 * transport. doc/PROTOCOL.md section 8.1 is normative.
 *
 * Sender: add events to transport_current_state() (an input_stream).
 * Receiver: transport_remote_diff() gives the bytes of the events not yet
 * handed out; input_stream_decode() turns them into a stream to read. */
#ifndef RMUX_NET_INPUT_STREAM_H
#define RMUX_NET_INPUT_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "net/transport.h"

#define INPUT_KEY 1     /* a key the client decoded (server key code) */
#define INPUT_PASTE 2   /* bytes pasted into the client terminal */
#define INPUT_MOUSE 3   /* a mouse event, client-relative cells */
#define INPUT_FOCUS 4   /* the client terminal gained or lost focus */
#define INPUT_RESIZE 5  /* the client terminal's new size */
#define INPUT_COMMAND 6 /* a client-side command (detach, refresh...) */

#define INPUT_MOUSE_PRESS 0
#define INPUT_MOUSE_RELEASE 1
#define INPUT_MOUSE_DRAG 2   /* motion with a button held */
#define INPUT_MOUSE_WHEEL 3  /* button: 0 up, 1 down, 2 left, 3 right */
#define INPUT_MOUSE_MOVE 4   /* motion without a button */
#define INPUT_MOUSE_KINDS 5

#define INPUT_MOD_SHIFT 0x1u
#define INPUT_MOD_META 0x2u
#define INPUT_MOD_CTRL 0x4u
#define INPUT_MOD_MASK 0x7u

#define INPUT_MOUSE_BUTTON_MAX 15   /* buttons 0..15 */
#define INPUT_COORD_MAX 65535       /* mouse x, y */
#define INPUT_SIZE_MAX 10000        /* resize cols, rows (1..) */
#define INPUT_PASTE_MAX (1024 * 1024)
#define INPUT_COMMAND_ARGC_MAX 64
#define INPUT_COMMAND_BYTES_MAX 65536 /* all arguments together */
/* One stream holds at most this many unacknowledged events and this many
 * bytes of their encoding, so any diff fits an instruction. */
#define INPUT_STREAM_EVENTS_MAX 16384
#define INPUT_STREAM_WIRE_MAX (2 * 1024 * 1024)

struct input_event {
	uint64_t num;  /* absolute number, from 1 */
	unsigned type; /* INPUT_* */
	uint64_t key;  /* INPUT_KEY: opaque to the link */
	/* INPUT_MOUSE: kind, button, x, y, mods; INPUT_FOCUS: focus_in;
	 * INPUT_RESIZE: cols, rows. */
	unsigned kind, button, x, y, mods;
	int focus_in;
	unsigned cols, rows;
	/* INPUT_PASTE: the bytes; INPUT_COMMAND: ARGC NUL-terminated
	 * arguments one after the other (see input_event_arg()). */
	const uint8_t *data;
	size_t len;
	unsigned argc;
};

struct input_stream;

/* An empty stream whose first event will be number 1. */
struct input_stream *input_stream_create(void);
void input_stream_free(struct input_stream *s);

/* Append an event (numbered input_stream_end() before the call). Return 0,
 * RMUX_ERR_RANGE for a field out of range, or RMUX_ERR_TOO_BIG when the
 * event is too large or the stream is full (the peer has not acknowledged
 * enough yet; the caller drops the event or tries again later). */
int input_stream_add_key(struct input_stream *s, uint64_t key);
int input_stream_add_paste(struct input_stream *s, const void *data, size_t len);
int input_stream_add_mouse(struct input_stream *s, unsigned kind, unsigned button, unsigned x,
    unsigned y, unsigned mods);
int input_stream_add_focus(struct input_stream *s, int focus_in);
int input_stream_add_resize(struct input_stream *s, unsigned cols, unsigned rows);
int input_stream_add_command(struct input_stream *s, unsigned argc, const char *const *argv);

/* The events held (those not yet dropped as acknowledged), oldest first;
 * pointers stay valid until the stream changes. */
size_t input_stream_count(const struct input_stream *s);
const struct input_event *input_stream_event(const struct input_stream *s, size_t i);
/* The number the next event will get (1 + the number of the newest). */
uint64_t input_stream_end(const struct input_stream *s);
/* Argument I (< argc) of an INPUT_COMMAND event, NUL-terminated. */
const char *input_event_arg(const struct input_event *ev, unsigned i);

/* Make OUT hold exactly the events of a diff (what
 * transport_remote_diff() gives). Returns 0 or a negative RMUX_ERR_* and
 * then leaves OUT unchanged. An empty diff gives an empty stream. */
int input_stream_decode(const uint8_t *diff, size_t len, struct input_stream *out);

/* The transport operations of the state type (with subtract). */
extern const struct transport_state_ops input_stream_ops;

#endif
