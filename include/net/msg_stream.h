/* msg_stream.h — a numbered stream of messages sent as a transport state
 * whose diff is the messages the receiver lacks: the mechanics shared by
 * the input stream (input_stream.h) and the history stream (history.h),
 * which keep only their messages' encodings and their public API.
 *
 * A stream holds the messages not yet acknowledged, oldest first,
 * numbered without gaps from 1. A message never changes once pushed and is
 * shared by reference count between copies of a stream, because the
 * transport keeps a copy per sent state.
 *
 * Diff of FROM to TO (empty when they end alike): varint the number of the
 * first message TO has that FROM lacks, varint their count, then each
 * message as its type encodes it. Apply appends the messages the receiver
 * lacks; subtract drops those the peer is known to hold. */
#ifndef RMUX_NET_MSG_STREAM_H
#define RMUX_NET_MSG_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* The head of every message: a message is one allocation that starts with
 * it, so free() releases it when the last reference goes. */
struct msg_stream_msg {
	unsigned refs;
	size_t wire; /* bytes of its encoding in a diff */
};

/* What a kind of stream fixes: its bounds and its messages' encoding. */
struct msg_stream_type {
	/* The stream a sender builds (msg_stream_push()). */
	size_t msgs_max;
	size_t wire_max;
	/* A receiver's stream: one decoded diff, and all that applied diffs
	 * may hold before it is handed out (beyond it diffs are refused). */
	size_t held_msgs_max;
	size_t held_wire_max;
	/* The largest number a diff's first message may have. */
	uint64_t num_max;
	/* Append M as it stands in a diff (M->wire bytes). */
	void (*encode)(const struct msg_stream_msg *m, struct buf *out);
	/* Read message number NUM of a diff from R into a new message with
	 * one reference and its wire size set; 0 or a negative RMUX_ERR_*
	 * (R holds untrusted bytes). */
	int (*decode)(struct reader *r, uint64_t num, struct msg_stream_msg **out);
};

struct msg_stream;

/* An empty stream whose first message will be number 1. */
struct msg_stream *msg_stream_create(const struct msg_stream_type *type);
void msg_stream_free(struct msg_stream *s);

/* Append M (numbered msg_stream_end() before the call), taking its
 * reference: 0, or RMUX_ERR_TOO_BIG when the stream would pass the
 * sender's bounds (M is then dropped). */
int msg_stream_push(struct msg_stream *s, struct msg_stream_msg *m);

/* Messages held, the bytes of their encodings, the number the next one
 * will get, and message I (< count; NULL past the end), oldest first. */
size_t msg_stream_count(const struct msg_stream *s);
size_t msg_stream_wire(const struct msg_stream *s);
uint64_t msg_stream_end(const struct msg_stream *s);
const struct msg_stream_msg *msg_stream_at(const struct msg_stream *s, size_t i);

/* Make OUT hold exactly the messages of a diff, each decoded by OUT's
 * type. 0 or a negative RMUX_ERR_* and OUT unchanged. An empty diff gives
 * an empty stream. */
int msg_stream_decode(const uint8_t *diff, size_t len, struct msg_stream *out);

/* Bytes of V as buf_add_varint() writes it. */
size_t msg_stream_varint_len(uint64_t v);

/* The transport operations, the same for every type (a stream knows its
 * own): use MSG_STREAM_TRANSPORT_OPS to define a type's ops. */
void *msg_stream_op_copy(const void *state);
void msg_stream_op_free(void *state);
void msg_stream_op_diff(const void *from, const void *to, struct buf *out);
int msg_stream_op_apply(void *state, const uint8_t *diff, size_t len);
int msg_stream_op_equal(const void *a, const void *b);
void msg_stream_op_subtract(void *state, const void *known);

#define MSG_STREAM_TRANSPORT_OPS { msg_stream_op_copy, msg_stream_op_free, \
	msg_stream_op_diff, msg_stream_op_apply, msg_stream_op_equal, msg_stream_op_subtract }

#endif
