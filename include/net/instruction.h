/* instruction.h — the codec of one instruction, the unit the transport
 * sends (cut into fragments): protocol version, the four state numbers, a
 * diff (raw or deflated: the codec carries the flag, net/compress.h does
 * the work) and a little chaff. doc/PROTOCOL.md "Instruction" is
 * normative. */
#ifndef RMUX_NET_INSTRUCTION_H
#define RMUX_NET_INSTRUCTION_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* Chaff: 0..16 random bytes so that instruction lengths leak less. */
#define INSTRUCTION_CHAFF_MAX 16
/* version u8, four varints of at most 10 bytes, diff field varint (length
 * times 2, plus 1 when deflated), chaff length u8: the most an instruction
 * costs beyond its diff and chaff. */
#define INSTRUCTION_HEADER_MAX (1 + 4 * 10 + 10 + 1)

struct instruction {
	uint64_t old_num;       /* state the diff starts from */
	uint64_t new_num;       /* state the diff produces */
	uint64_t ack_num;       /* newest state received from the peer */
	uint64_t throwaway_num; /* oldest state the sender may still diff from */
	const uint8_t *diff;    /* decode: points into the decoded bytes */
	size_t difflen;
	int deflated;           /* diff is a raw deflate stream (never empty) */
};

/* Append IN and CHAFF (CHAFFLEN <= INSTRUCTION_CHAFF_MAX bytes) to OUT.
 * Returns 0, RMUX_ERR_RANGE for too much chaff, numbers out of order
 * (throwaway_num <= old_num <= new_num must hold) or an empty diff flagged
 * deflated, or RMUX_ERR_TOO_BIG
 * when the result would exceed FRAGMENT_MAX_INSTRUCTION. */
int instruction_encode(const struct instruction *in, const uint8_t *chaff, size_t chafflen,
    struct buf *out);
/* Decode LEN bytes of DATA into IN (whose diff then points into DATA, still
 * deflated when IN->deflated says so). Returns 0, or RMUX_ERR_TRUNCATED,
 * RMUX_ERR_MALFORMED (other protocol version, overlong varint, an empty
 * diff flagged deflated), RMUX_ERR_RANGE (numbers out of order, chaff
 * over 16 bytes), RMUX_ERR_TOO_BIG (diff over the instruction cap) or
 * RMUX_ERR_TRAILING. */
int instruction_decode(const uint8_t *data, size_t len, struct instruction *in);

#endif
