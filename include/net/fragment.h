/* fragment.h — cutting an instruction (opaque bytes) into fragments that
 * each fit one datagram, and putting it back together on the other side.
 * doc/PROTOCOL.md "Fragment" is the normative description. */
#ifndef RMUX_NET_FRAGMENT_H
#define RMUX_NET_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "net/datagram.h"

/* instruction id u64 | (final flag << 15 | fragment number) u16 */
#define FRAGMENT_HEADER_LEN 10
#define FRAGMENT_FINAL 0x8000
#define FRAGMENT_NUM_MASK 0x7fff
#define FRAGMENT_MAX_COUNT 32768
/* Instruction bytes per fragment at the 1280-byte MTU:
 * 1280 - 40 (IPv6) - 8 (UDP) - 12 (clear header) - 4 (timestamps)
 * - 16 (tag) - 10 (fragment header) = 1190. */
#define FRAGMENT_PAYLOAD_MAX (DATAGRAM_MAX_BODY - FRAGMENT_HEADER_LEN)
/* Largest instruction either side builds or accepts. */
#define FRAGMENT_MAX_INSTRUCTION (4u * 1024 * 1024)

/* Number of fragments that carry LEN bytes at PAYLOAD bytes each (at least
 * one: an empty instruction is one empty final fragment). */
size_t fragment_count(size_t len, size_t payload);
/* Append fragment INDEX (0-based) of instruction ID (DATA, LEN bytes) cut
 * at PAYLOAD bytes (1..FRAGMENT_PAYLOAD_MAX) to OUT. Returns 0, or
 * RMUX_ERR_TOO_BIG if the instruction is above FRAGMENT_MAX_INSTRUCTION or
 * needs more than FRAGMENT_MAX_COUNT fragments, or RMUX_ERR_RANGE for a bad
 * INDEX or PAYLOAD. */
int fragment_encode(uint64_t id, const uint8_t *data, size_t len, size_t payload,
    size_t index, struct buf *out);

/* What fragment_assembly_add() did with a well-formed fragment. */
#define FRAGMENT_STORED 0   /* kept; the instruction is not complete yet */
#define FRAGMENT_COMPLETE 1 /* the instruction is complete */
#define FRAGMENT_IGNORED 2  /* duplicate, or of an older instruction */

/* Reassembly of one instruction id at a time. */
struct fragment_assembly;

struct fragment_assembly *fragment_assembly_create(void);
void fragment_assembly_free(struct fragment_assembly *a);
/* Take one fragment (header and data, as carried by a datagram). On
 * FRAGMENT_COMPLETE, *ID, *OUT and *OUTLEN give the instruction, valid until
 * the next call. A fragment of a newer id drops an unfinished older one;
 * fragments of older ids, of the id last completed, and duplicates are
 * ignored. Negative RMUX_ERR_* for malformed fragments (too short, an empty
 * non-final fragment, numbers past the final one, a second different final,
 * data above FRAGMENT_PAYLOAD_MAX or a total above FRAGMENT_MAX_INSTRUCTION);
 * those also drop the unfinished instruction they claim to belong to. */
int fragment_assembly_add(struct fragment_assembly *a, const uint8_t *frag, size_t len,
    uint64_t *id, const uint8_t **out, size_t *outlen);

#endif
