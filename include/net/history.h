/* history.h — the two states of the history channel, the second transport
 * of a connection that fills the client's mirror of pane history behind
 * the live view. doc/PROTOCOL.md section "The history channel" is
 * normative.
 *
 * Server to client: a stream of history messages (a chunk of consecutive
 * lines of one pane, or the mirror's line limit), numbered from 1 and
 * delivered in order and exactly once; acknowledged messages are dropped
 * (subtract), so the stream holds only what is in flight.
 * Client to server: its wants, a small set of (pane, generation, line)
 * the client needs soon, sent whole whenever it changes. */
#ifndef RMUX_NET_HISTORY_H
#define RMUX_NET_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "net/crypto.h"
#include "net/transport.h"
#include "net/view.h"

#define HISTORY_MSG_CHUNK 1 /* pane, gen, first line, n lines */
#define HISTORY_MSG_LIMIT 2 /* the client's mirror limit (lines per pane) */

#define HISTORY_CHUNK_LINES_MAX 1024        /* lines in one chunk */
#define HISTORY_MSG_BYTES_MAX (256 * 1024)  /* encoding of one message */
#define HISTORY_LIMIT_MAX 10000000u         /* a limit message's value */
/* A stream holds at most this many messages and bytes (either side): the
 * sender never comes near (its window is far smaller), so a peer that
 * sends more is refused. */
#define HISTORY_STREAM_MSGS_MAX 4096
#define HISTORY_STREAM_WIRE_MAX (4 * 1024 * 1024)
/* Line numbers stay far from overflow. */
#define HISTORY_LINE_MAX (UINT64_C(1) << 62)
/* Wants: at most one per pane. */
#define HISTORY_WANTS_MAX 256

/* --- the key of the channel --- */

/* K_h: AES-128 of the block "rmux history    " under the connection key
 * K. Its connection id is crypto_key_id(K_h), as for any key. */
void history_key_derive(const uint8_t key[CRYPTO_KEY_LEN], uint8_t out[CRYPTO_KEY_LEN]);

/* --- the message stream (server to client) --- */

struct history_stream;

/* A chunk being built: lines added in ascending order from FIRST. */
struct history_chunk {
	uint32_t pane;
	uint32_t gen;
	uint64_t first;
	unsigned n;
	struct buf lines; /* the lines' encodings */
};

/* A decoded message. For a chunk, ROW and WRAPPED hold N lines (the rows
 * are the caller's references: history_msg_clear() drops those left). */
struct history_msg {
	uint64_t num;
	unsigned type; /* HISTORY_MSG_* */
	uint32_t limit;
	uint32_t pane;
	uint32_t gen;
	uint64_t first;
	unsigned n;
	struct view_row **row;
	uint8_t *wrapped;
};

struct history_stream *history_stream_create(void);
void history_stream_free(struct history_stream *s);

void history_chunk_init(struct history_chunk *c, uint32_t pane, uint32_t gen, uint64_t first);
/* Append the next line (R is sealed, not taken). */
void history_chunk_add(struct history_chunk *c, struct view_row *r, int wrapped);
/* The line's encoding alone, for builders that assemble lines out of order. */
void history_chunk_add_encoded(struct history_chunk *c, const uint8_t *data, size_t len);
void history_line_encode(struct view_row *r, int wrapped, struct buf *out);
/* The size the chunk's message would take. */
size_t history_chunk_bytes(const struct history_chunk *c);
void history_chunk_free(struct history_chunk *c);
/* Append a message; 0, RMUX_ERR_RANGE (empty chunk, limit or lines out of
 * range) or RMUX_ERR_TOO_BIG (the message or the stream over its bounds).
 * The chunk stays the caller's. */
int history_stream_add_chunk(struct history_stream *s, const struct history_chunk *c);
int history_stream_add_limit(struct history_stream *s, uint32_t limit);

/* Messages held (not yet acknowledged, or not yet handed out), oldest
 * first, and the bytes of their encodings. */
size_t history_stream_count(const struct history_stream *s);
size_t history_stream_wire(const struct history_stream *s);
/* The number the next message will get. */
uint64_t history_stream_end(const struct history_stream *s);
/* Decode message I (< count) into M. 0 or a negative RMUX_ERR_* (the
 * messages of a decoded stream were checked already). */
int history_stream_msg(const struct history_stream *s, size_t i, struct history_msg *m);
void history_msg_clear(struct history_msg *m);

/* Make OUT hold exactly the messages of a diff (what
 * transport_remote_diff() gives), each checked. 0 or a negative RMUX_ERR_*
 * and OUT unchanged. An empty diff gives an empty stream. */
int history_stream_decode(const uint8_t *diff, size_t len, struct history_stream *out);

extern const struct transport_state_ops history_stream_ops;

/* --- the wants (client to server) --- */

struct history_want {
	uint32_t pane;
	uint32_t gen;
	uint64_t line;
};

struct history_wants {
	size_t n;
	struct history_want want[HISTORY_WANTS_MAX];
};

struct history_wants *history_wants_create(void);
void history_wants_free(struct history_wants *w);
/* Replace the wants (at most HISTORY_WANTS_MAX are kept; one per pane,
 * the first given wins). */
void history_wants_set(struct history_wants *w, const struct history_want *list, size_t n);
/* The want for PANE, or NULL. */
const struct history_want *history_wants_find(const struct history_wants *w, uint32_t pane);

extern const struct transport_state_ops history_wants_ops;

#endif
