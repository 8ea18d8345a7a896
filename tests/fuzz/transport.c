/* transport.c — fuzz harness for transport_receive() (net/transport.h),
 * the whole receive path: datagram, fragment, instruction, state apply.
 * A client transport sends its state (a byte string; the diff is "R" and
 * the new bytes, or "A" and bytes to append) to a server transport over a
 * lossy, reordering pipe the input steers. Because the harness holds the
 * key, it can also seal datagrams whose fragments and instructions come
 * straight from the input. Operations, one byte each then operands:
 *   0  raw bytes to the server (refused: nobody can forge a tag)
 *   1  the client's state becomes the next piece; the client ticks
 *   2  time passes (u16 ms); both tick; the pipe delivers, dropping,
 *      duplicating and swapping datagrams as a mask byte says
 *   3  a sealed datagram carrying a raw fragment from the input
 *   4  a sealed datagram carrying one whole instruction built from
 *      fields (numbers, ack, throwaway, diff, chaff length)
 * Checked: results are 1, 0 or a negative error; the server's remote
 * state is always there and its number never goes back; and when the
 * input forged nothing, a lossless exchange at the end makes the server's
 * copy equal the client's state. */
#include "common/buf.h"
#include "common/util.h"
#include "fuzz.h"
#include "net/crypto.h"
#include "net/datagram.h"
#include "net/fragment.h"
#include "net/instruction.h"
#include "net/transport.h"

struct bstate {
	uint8_t *p;
	size_t len;
};

static void *bs_copy(const void *state)
{
	const struct bstate *s = state;
	struct bstate *c = malloc(sizeof *c);
	FUZZ_CHECK(c != NULL);
	c->len = s->len;
	c->p = malloc(s->len + 1);
	FUZZ_CHECK(c->p != NULL);
	if (s->len > 0)
		memcpy(c->p, s->p, s->len);
	return c;
}

static void bs_free(void *state)
{
	struct bstate *s = state;
	free(s->p);
	free(s);
}

static int bs_equal(const void *a, const void *b)
{
	const struct bstate *x = a, *y = b;
	return x->len == y->len && (x->len == 0 || memcmp(x->p, y->p, x->len) == 0);
}

static void bs_diff(const void *from, const void *to, struct buf *out)
{
	const struct bstate *f = from, *t = to;

	if (bs_equal(f, t))
		return;
	if (t->len >= f->len && memcmp(t->p, f->p, f->len) == 0) {
		buf_add_u8(out, 'A');
		buf_add(out, t->p + f->len, t->len - f->len);
	} else {
		buf_add_u8(out, 'R');
		buf_add(out, t->p, t->len);
	}
}

static int bs_apply(void *state, const uint8_t *diff, size_t len)
{
	struct bstate *s = state;

	if (len == 0 || (diff[0] != 'A' && diff[0] != 'R'))
		return RMUX_ERR_MALFORMED;
	size_t keep = diff[0] == 'A' ? s->len : 0;
	if (keep + len - 1 > 65536)
		return RMUX_ERR_TOO_BIG;
	uint8_t *p = realloc(s->p, keep + len);
	FUZZ_CHECK(p != NULL);
	memcpy(p + keep, diff + 1, len - 1);
	s->p = p;
	s->len = keep + len - 1;
	return 0;
}

static const struct transport_state_ops ops = { bs_copy, bs_free, bs_diff, bs_apply, bs_equal,
	NULL };

static const uint8_t key[CRYPTO_KEY_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0x52, 0x4d, 0x55, 0x58,
	0xaa, 0x55 };

#define PIPE_MAX 64

struct pipe {
	struct buf dg[PIPE_MAX];
	size_t n;
};

static void pipe_take(struct pipe *p, struct transport *from)
{
	const uint8_t *data;
	size_t len;

	while (transport_pop(from, &data, &len)) {
		if (p->n == PIPE_MAX)
			continue; /* a full pipe loses datagrams */
		buf_reset(&p->dg[p->n]);
		buf_add(&p->dg[p->n], data, len);
		p->n++;
	}
}

struct run {
	struct transport *client, *server;
	struct datagram_link *forger; /* seals in the client's direction */
	struct pipe up, down;
	struct udp_addr caddr, saddr;
	uint64_t now, last_num;
	int forged;
};

static void check_server(struct run *r, int res)
{
	FUZZ_CHECK(res == 0 || res == 1 || (res < 0 && res >= RMUX_ERR_RANGE));
	FUZZ_CHECK(transport_remote_state(r->server) != NULL);
	uint64_t num = transport_remote_num(r->server);
	FUZZ_CHECK(num >= r->last_num);
	if (res == 1)
		FUZZ_CHECK(num > r->last_num);
	r->last_num = num;
}

/* Deliver both pipes; MASK bits drop (01), duplicate (10) or swap (11)
 * datagrams, two bits each, cycling. */
static void deliver(struct run *r, uint8_t mask)
{
	pipe_take(&r->up, r->client);
	pipe_take(&r->down, r->server);
	for (size_t i = 0; i < r->up.n; i++) {
		unsigned m = mask >> (2 * (i % 4)) & 3;
		if (m == 1)
			continue;
		if (m == 3 && i + 1 < r->up.n) {
			struct buf t = r->up.dg[i];
			r->up.dg[i] = r->up.dg[i + 1];
			r->up.dg[i + 1] = t;
		}
		for (unsigned k = 0; k < (m == 2 ? 2u : 1u); k++) {
			int res = transport_receive(r->server, r->up.dg[i].data, r->up.dg[i].len,
			    &r->caddr, r->now);
			/* A duplicate is refused by the replay window. */
			FUZZ_CHECK(k == 0 || res == RMUX_ERR_RANGE);
			check_server(r, res);
		}
	}
	r->up.n = 0;
	for (size_t i = 0; i < r->down.n; i++) {
		if ((mask >> (2 * (i % 4)) & 3) == 1)
			continue;
		int res = transport_receive(r->client, r->down.dg[i].data, r->down.dg[i].len,
		    &r->saddr, r->now);
		FUZZ_CHECK(res >= -7 && res <= 1);
	}
	r->down.n = 0;
}

/* The client's event loop: move to a new port when told to, then tick. */
static uint64_t tick_client(struct run *r)
{
	if (transport_should_rebind(r->client, r->now))
		transport_rebound(r->client, r->now);
	return transport_tick(r->client, r->now);
}

static void forge(struct run *r, const uint8_t *frag, size_t len)
{
	struct buf dg;

	buf_init(&dg);
	if (len <= DATAGRAM_MAX_BODY &&
	    datagram_link_seal(r->forger, datagram_timestamp(r->now), DATAGRAM_TS_NONE, frag, len,
	    &dg) == 0) {
		int res = transport_receive(r->server, dg.data, dg.len, &r->caddr, r->now);
		check_server(r, res);
		r->forged = 1;
	}
	buf_free(&dg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct bstate empty = { NULL, 0 };
	struct run r = { 0 };
	uint32_t conn_id = crypto_key_id(key);
	const uint8_t *p;
	size_t len;

	r.now = 1000000;
	FUZZ_CHECK(udp_addr_parse("127.0.0.1:40000", &r.caddr) == 0);
	FUZZ_CHECK(udp_addr_parse("127.0.0.1:60001", &r.saddr) == 0);
	r.client = transport_create(TRANSPORT_CLIENT, key, conn_id, &ops, &empty, &ops, &empty, r.now);
	r.server = transport_create(TRANSPORT_SERVER, key, conn_id, &ops, &empty, &ops, &empty, r.now);
	transport_set_peer(r.client, &r.saddr);
	/* Far ahead of the client's own counter, so the two never collide. */
	r.forger = datagram_link_create(key, conn_id, DATAGRAM_TO_SERVER);
	FUZZ_CHECK(datagram_link_skip_to(r.forger, UINT64_C(1) << 32) == 0);
	for (size_t i = 0; i < PIPE_MAX; i++) {
		buf_init(&r.up.dg[i]);
		buf_init(&r.down.dg[i]);
	}

	while (in.left > 0) {
		uint8_t op = fuzz_u8(&in);
		switch (op % 5) {
		case 0: {
			p = fuzz_piece(&in, &len);
			int res = transport_receive(r.server, p, len, &r.caddr, r.now);
			FUZZ_CHECK(res < 0);
			check_server(&r, res);
			break;
		}
		case 1: {
			p = fuzz_piece(&in, &len);
			struct bstate s = { (uint8_t *)p, len };
			if (op & 0x80) {
				/* Grow in place, as a stream state does. */
				struct bstate *cur = transport_current_state(r.client);
				uint8_t *q = realloc(cur->p, cur->len + len + 1);
				FUZZ_CHECK(q != NULL);
				if (len > 0)
					memcpy(q + cur->len, p, len);
				cur->p = q;
				cur->len += len;
			} else {
				transport_set_current_state(r.client, &s);
			}
			tick_client(&r);
			break;
		}
		case 2:
			r.now += fuzz_u16(&in);
			tick_client(&r);
			transport_tick(r.server, r.now);
			deliver(&r, fuzz_u8(&in));
			break;
		case 3:
			p = fuzz_piece(&in, &len);
			forge(&r, p, len);
			break;
		default: {
			struct instruction ins = { 0 };
			struct buf b, f;
			ins.throwaway_num = fuzz_u8(&in);
			ins.old_num = ins.throwaway_num + fuzz_u8(&in);
			ins.new_num = ins.old_num + fuzz_u8(&in);
			ins.ack_num = fuzz_u8(&in);
			uint8_t chaff = fuzz_u8(&in);
			ins.diff = fuzz_piece(&in, &ins.difflen);
			buf_init(&b);
			buf_init(&f);
			FUZZ_CHECK(instruction_encode(&ins, (const uint8_t *)"0123456789abcdef",
			    chaff % (INSTRUCTION_CHAFF_MAX + 1), &b) == 0);
			uint64_t id = (UINT64_C(1) << 40) + fuzz_u8(&in);
			if (fragment_encode(id, b.data, b.len, FRAGMENT_PAYLOAD_MAX, 0, &f) == 0)
				forge(&r, f.data, f.len);
			buf_free(&b);
			buf_free(&f);
			break;
		}
		}
	}

	if (!r.forged) {
		/* Lossless from here: the server converges on the client's state. */
		for (int i = 0; i < 50; i++) {
			uint64_t a = tick_client(&r);
			uint64_t b = transport_tick(r.server, r.now);
			deliver(&r, 0);
			if (bs_equal(transport_remote_state(r.server), transport_current_state(r.client)))
				break;
			uint64_t next = a < b ? a : b;
			r.now = next == TRANSPORT_NEVER || next <= r.now ? r.now + 1 : next;
		}
		FUZZ_CHECK(bs_equal(transport_remote_state(r.server), transport_current_state(r.client)));
	}

	for (size_t i = 0; i < PIPE_MAX; i++) {
		buf_free(&r.up.dg[i]);
		buf_free(&r.down.dg[i]);
	}
	datagram_link_free(r.forger);
	transport_free(r.client);
	transport_free(r.server);
	return 0;
}
