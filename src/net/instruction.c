/* instruction.c — encoding and bounded decoding of instructions (see
 * instruction.h). Decoding runs on authenticated bytes, but a peer may
 * still be buggy or hostile, so every field is checked. */
#include "net/instruction.h"

#include "common/util.h"
#include "net/fragment.h"
#include "net/protocol.h"

int instruction_encode(const struct instruction *in, const uint8_t *chaff, size_t chafflen,
    struct buf *out)
{
	if (chafflen > INSTRUCTION_CHAFF_MAX)
		return RMUX_ERR_RANGE;
	if (in->throwaway_num > in->old_num || in->old_num > in->new_num)
		return RMUX_ERR_RANGE;
	if (in->deflated && in->difflen == 0)
		return RMUX_ERR_RANGE;
	if (in->difflen > FRAGMENT_MAX_INSTRUCTION - INSTRUCTION_HEADER_MAX - INSTRUCTION_CHAFF_MAX)
		return RMUX_ERR_TOO_BIG;
	buf_reserve(out, INSTRUCTION_HEADER_MAX + in->difflen + chafflen);
	buf_add_u8(out, PROTOCOL_VERSION);
	buf_add_varint(out, in->old_num);
	buf_add_varint(out, in->new_num);
	buf_add_varint(out, in->ack_num);
	buf_add_varint(out, in->throwaway_num);
	buf_add_varint(out, (uint64_t)in->difflen * 2 + (in->deflated ? 1 : 0));
	if (in->difflen > 0)
		buf_add(out, in->diff, in->difflen);
	buf_add_u8(out, (uint8_t)chafflen);
	if (chafflen > 0)
		buf_add(out, chaff, chafflen);
	return 0;
}

int instruction_decode(const uint8_t *data, size_t len, struct instruction *in)
{
	struct reader r;
	uint8_t version, chafflen;
	uint64_t field, difflen;
	const uint8_t *chaff;
	int err;

	in->diff = NULL;
	in->difflen = 0;
	in->deflated = 0;
	reader_init(&r, data, len);
	if ((err = reader_u8(&r, &version)) != 0)
		goto out;
	if (version != PROTOCOL_VERSION) {
		err = RMUX_ERR_MALFORMED;
		goto out;
	}
	reader_varint(&r, &in->old_num);
	reader_varint(&r, &in->new_num);
	reader_varint(&r, &in->ack_num);
	reader_varint(&r, &in->throwaway_num);
	if ((err = reader_varint(&r, &field)) != 0)
		goto out;
	difflen = field >> 1;
	if (difflen > FRAGMENT_MAX_INSTRUCTION) {
		err = RMUX_ERR_TOO_BIG;
		goto out;
	}
	/* No deflate stream is empty: one spelling for an empty diff. */
	if ((field & 1) != 0 && difflen == 0) {
		err = RMUX_ERR_MALFORMED;
		goto out;
	}
	in->deflated = (int)(field & 1);
	if ((err = reader_view(&r, &in->diff, (size_t)difflen)) != 0)
		goto out;
	in->difflen = (size_t)difflen;
	if ((err = reader_u8(&r, &chafflen)) != 0)
		goto out;
	if (chafflen > INSTRUCTION_CHAFF_MAX) {
		err = RMUX_ERR_RANGE;
		goto out;
	}
	if ((err = reader_view(&r, &chaff, chafflen)) != 0)
		goto out;
	if ((err = reader_finish(&r)) != 0)
		goto out;
	if (in->throwaway_num > in->old_num || in->old_num > in->new_num)
		err = RMUX_ERR_RANGE;
out:
	if (err) {
		in->diff = NULL;
		in->difflen = 0;
		in->deflated = 0;
	}
	return err;
}
