/* transport.c — state synchronisation over sealed datagrams (see
 * transport.h and doc/PROTOCOL.md sections 7, 9, 10), diffs deflated when
 * that makes them shorter. The timing rules are mosh's SSP with rmux's
 * frame floor and bulk pacing; everything is computed from the times the
 * caller passes in, so tests can run it on a simulated clock. */
#include "net/transport.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "net/compress.h"
#include "net/fragment.h"
#include "net/instruction.h"
#include "net/rtt.h"

/* A deflated diff inflates to no more than a raw one may hold. */
static_assert(COMPRESS_MAX_INFLATED == FRAGMENT_MAX_INSTRUCTION,
    "inflation cap is the instruction cap");

struct tstate {
	uint64_t num;
	uint64_t time; /* sent: last sent; received: arrival */
	void *state;
	int data; /* sent: last sent with a non-empty diff (acknowledged promptly) */
};

struct transport {
	int side;
	struct datagram_link *link;
	struct fragment_assembly *assembly;
	struct rtt rtt;
	const struct transport_state_ops *lops;
	const struct transport_state_ops *rops;

	void *current;
	/* Sent states, oldest (the newest acknowledged) first; never empty. */
	struct tstate sent[TRANSPORT_SENT_MAX + 1];
	size_t nsent;
	size_t assumed; /* index in sent of the state the peer is assumed to hold */
	/* The newest instructions with data: send time and diff length
	 * (before deflate), a ring for bulk pacing. */
	struct {
		uint64_t time;
		size_t len;
	} recent[TRANSPORT_BULK_RING];
	size_t nrecent;
	uint64_t input_at; /* newest remote state with data arrived, or NEVER */

	/* Received states by number, oldest first; never empty. */
	struct tstate *recv;
	size_t nrecv;
	size_t recvcap;
	void *given; /* remote state as of the last transport_remote_diff() */
	uint64_t quench_until;

	int pending_data_ack;
	uint64_t next_ack_time;
	int quiet; /* no heartbeats (transport_set_quiet()) */
	uint64_t next_send_time;
	uint64_t mindelay_clock; /* first change not yet sent, or NEVER */

	uint64_t last_heard;
	uint64_t last_roundtrip;
	uint64_t last_rebind;
	uint64_t next_instruction_id;

	struct udp_addr peer;
	int dead;
	uint64_t rng;

	/* Outbox: datagrams back to back in out, their lengths in lens. */
	struct buf out;
	size_t *lens;
	size_t nlens;
	size_t lenscap;
	size_t popped;
	size_t popoff;
};

static uint64_t transport_random(struct transport *t)
{
	uint64_t x = t->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return t->rng = x;
}

struct transport *transport_create(int side, const uint8_t key[CRYPTO_KEY_LEN], uint32_t conn_id,
    const struct transport_state_ops *local_ops, const void *local_initial,
    const struct transport_state_ops *remote_ops, const void *remote_initial, uint64_t now)
{
	struct transport *t = xcalloc(1, sizeof *t);

	t->side = side;
	t->link = datagram_link_create(key, conn_id, side);
	t->assembly = fragment_assembly_create();
	rtt_init(&t->rtt);
	t->lops = local_ops;
	t->rops = remote_ops;
	t->current = local_ops->copy(local_initial);
	t->sent[0].num = 0;
	t->sent[0].time = now;
	t->sent[0].state = local_ops->copy(local_initial);
	t->nsent = 1;
	t->recvcap = 16;
	t->recv = xcalloc(t->recvcap, sizeof *t->recv);
	t->recv[0].num = 0;
	t->recv[0].time = now;
	t->recv[0].state = remote_ops->copy(remote_initial);
	t->nrecv = 1;
	t->given = remote_ops->copy(remote_initial);
	/* The first tick sends at once: the client announces its address. */
	t->next_ack_time = now;
	t->next_send_time = TRANSPORT_NEVER;
	t->mindelay_clock = TRANSPORT_NEVER;
	t->input_at = TRANSPORT_NEVER;
	t->last_heard = now;
	t->last_roundtrip = now;
	t->last_rebind = now;
	t->next_instruction_id = 1;
	/* Chaff only hides lengths inside sealed datagrams: a fast generator
	 * seeded once is enough. */
	if (RAND_bytes((unsigned char *)&t->rng, sizeof t->rng) != 1 || t->rng == 0)
		t->rng = 0x9e3779b97f4a7c15u ^ now;
	buf_init(&t->out);
	return t;
}

void transport_free(struct transport *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nsent; i++)
		t->lops->free(t->sent[i].state);
	for (size_t i = 0; i < t->nrecv; i++)
		t->rops->free(t->recv[i].state);
	t->lops->free(t->current);
	t->rops->free(t->given);
	free(t->recv);
	datagram_link_free(t->link);
	fragment_assembly_free(t->assembly);
	buf_free(&t->out);
	free(t->lens);
	free(t);
}

void transport_set_peer(struct transport *t, const struct udp_addr *addr)
{
	t->peer = *addr;
}

const struct udp_addr *transport_peer(const struct transport *t, uint64_t now)
{
	if (t->peer.len == 0)
		return NULL;
	if (t->side == TRANSPORT_SERVER && now > t->last_heard &&
	    now - t->last_heard > TRANSPORT_SERVER_SILENCE_MS)
		return NULL;
	return &t->peer;
}

void transport_set_current_state(struct transport *t, const void *state)
{
	void *copy = t->lops->copy(state);

	t->lops->free(t->current);
	t->current = copy;
}

void *transport_current_state(struct transport *t)
{
	return t->current;
}

const void *transport_remote_state(const struct transport *t)
{
	return t->recv[t->nrecv - 1].state;
}

uint64_t transport_remote_num(const struct transport *t)
{
	return t->recv[t->nrecv - 1].num;
}

uint64_t transport_remote_time(const struct transport *t)
{
	return t->recv[t->nrecv - 1].time;
}

void transport_remote_diff(struct transport *t, struct buf *out)
{
	const void *newest = t->recv[t->nrecv - 1].state;

	t->rops->diff(t->given, newest, out);
	if (t->rops->subtract != NULL) {
		for (size_t i = t->nrecv; i-- > 0;)
			t->rops->subtract(t->recv[i].state, t->recv[0].state);
	}
	t->rops->free(t->given);
	t->given = t->rops->copy(t->recv[t->nrecv - 1].state);
}

void transport_set_quiet(struct transport *t, int quiet)
{
	t->quiet = quiet != 0;
}

void transport_ack_now(struct transport *t)
{
	t->next_ack_time = 0;
}

void transport_heard(struct transport *t, uint64_t now)
{
	if (now > t->last_heard)
		t->last_heard = now;
}

uint64_t transport_last_heard(const struct transport *t)
{
	return t->last_heard;
}

uint64_t transport_last_roundtrip(const struct transport *t)
{
	return t->last_roundtrip;
}

unsigned transport_srtt_ms(const struct transport *t)
{
	return rtt_srtt_ms(&t->rtt);
}

uint64_t transport_sent_num(const struct transport *t)
{
	return t->sent[t->nsent - 1].num;
}

uint64_t transport_acked_num(const struct transport *t)
{
	return t->sent[0].num;
}

int transport_unacked_data(const struct transport *t)
{
	for (size_t i = 1; i < t->nsent; i++) {
		if (t->sent[i].data)
			return 1;
	}
	return 0;
}

int transport_dead(const struct transport *t)
{
	return t->dead;
}

int transport_should_rebind(const struct transport *t, uint64_t now)
{
	if (t->side != TRANSPORT_CLIENT)
		return 0;
	return now >= t->last_rebind + TRANSPORT_REBIND_MS &&
	    now >= t->last_roundtrip + TRANSPORT_REBIND_MS;
}

void transport_rebound(struct transport *t, uint64_t now)
{
	t->last_rebind = now;
}

/* --- outbox --- */

static void outbox_clear(struct transport *t)
{
	buf_reset(&t->out);
	t->nlens = 0;
	t->popped = 0;
	t->popoff = 0;
}

int transport_pop(struct transport *t, const uint8_t **data, size_t *len)
{
	if (t->popped >= t->nlens) {
		outbox_clear(t);
		return 0;
	}
	*data = t->out.data + t->popoff;
	*len = t->lens[t->popped];
	t->popoff += t->lens[t->popped];
	t->popped++;
	return 1;
}

/* --- sending --- */

static void sent_add(struct transport *t, uint64_t now, uint64_t num)
{
	struct tstate *s;

	if (t->nsent == TRANSPORT_SENT_MAX) {
		/* Full: drop a state from the middle, keeping the acked one and
		 * the recent ones the peer is most likely to acknowledge. */
		size_t victim = t->nsent - TRANSPORT_SENT_MAX / 2;
		t->lops->free(t->sent[victim].state);
		memmove(&t->sent[victim], &t->sent[victim + 1],
		    (t->nsent - victim - 1) * sizeof t->sent[0]);
		t->nsent--;
	}
	s = &t->sent[t->nsent++];
	s->num = num;
	s->time = now;
	s->state = t->lops->copy(t->current);
	s->data = 0;
}

static void send_instruction(struct transport *t, const uint8_t *diff, size_t difflen,
    uint64_t old_num, uint64_t new_num, uint64_t now)
{
	struct instruction in;
	struct buf enc, frag, z;
	uint8_t chaff[INSTRUCTION_CHAFF_MAX];
	size_t chafflen, count;
	uint64_t id;
	int err;

	in.old_num = old_num;
	in.new_num = new_num;
	in.ack_num = t->recv[t->nrecv - 1].num;
	in.throwaway_num = t->sent[0].num;
	in.diff = diff;
	in.difflen = difflen;
	in.deflated = 0;
	buf_init(&z);
	/* Deflated when that is shorter: keystrokes and echoes stay raw. A
	 * diff the peer would refuse to inflate is not deflated either. */
	if (difflen >= COMPRESS_MIN_INPUT && difflen <= COMPRESS_MAX_INFLATED &&
	    compress_deflate(diff, difflen, &z) == 0 && z.len < difflen) {
		in.diff = z.data;
		in.difflen = z.len;
		in.deflated = 1;
	}
	chafflen = transport_random(t) % (INSTRUCTION_CHAFF_MAX + 1);
	for (size_t i = 0; i < chafflen; i++)
		chaff[i] = (uint8_t)transport_random(t);
	buf_init(&enc);
	buf_init(&frag);
	t->pending_data_ack = 0;
	if ((err = instruction_encode(&in, chaff, chafflen, &enc)) != 0) {
		log_debug("transport: instruction %llu not sent: %s",
		    (unsigned long long)new_num, rmux_strerror(err));
		goto out;
	}
	id = t->next_instruction_id++;
	count = fragment_count(enc.len, FRAGMENT_PAYLOAD_MAX);
	for (size_t i = 0; i < count; i++) {
		size_t before = t->out.len;
		buf_reset(&frag);
		if (fragment_encode(id, enc.data, enc.len, FRAGMENT_PAYLOAD_MAX, i, &frag) != 0)
			break;
		err = datagram_link_seal(t->link, datagram_timestamp(now), rtt_reply(&t->rtt, now),
		    frag.data, frag.len, &t->out);
		if (err == RMUX_ERR_RANGE) {
			t->dead = 1;
			break;
		}
		if (err != 0)
			break;
		if (t->nlens == t->lenscap) {
			t->lenscap = t->lenscap ? t->lenscap * 2 : 16;
			t->lens = xreallocarray(t->lens, t->lenscap, sizeof *t->lens);
		}
		t->lens[t->nlens++] = t->out.len - before;
	}
out:
	buf_free(&enc);
	buf_free(&frag);
	buf_free(&z);
}

/* When an idle side next says something unasked: a heartbeat, or never
 * on a quiet channel. */
static uint64_t heartbeat_time(const struct transport *t, uint64_t now)
{
	return t->quiet ? TRANSPORT_NEVER : now + TRANSPORT_HEARTBEAT_MS;
}

/* Send DIFF, which turns the assumed state into the current one. */
static void send_to_receiver(struct transport *t, const struct buf *diff, uint64_t now)
{
	uint64_t old_num = t->sent[t->assumed].num;
	uint64_t new_num;

	t->recent[t->nrecent % TRANSPORT_BULK_RING].time = now;
	t->recent[t->nrecent % TRANSPORT_BULK_RING].len = diff->len;
	t->nrecent++;
	if (t->lops->equal(t->current, t->sent[t->nsent - 1].state)) {
		/* A resend of the newest state under its own number. */
		new_num = t->sent[t->nsent - 1].num;
		t->sent[t->nsent - 1].time = now;
	} else {
		new_num = t->sent[t->nsent - 1].num + 1;
		sent_add(t, now, new_num);
	}
	t->sent[t->nsent - 1].data = 1;
	send_instruction(t, diff->data, diff->len, old_num, new_num, now);
	t->assumed = t->nsent - 1;
	t->next_ack_time = heartbeat_time(t, now);
	t->next_send_time = TRANSPORT_NEVER;
}

/* An ack or heartbeat: a new number for an unchanged state, so the peer
 * has something to acknowledge and round trips keep being measured. */
static void send_empty_ack(struct transport *t, uint64_t now)
{
	uint64_t old_num = t->sent[t->assumed].num;
	uint64_t new_num = t->sent[t->nsent - 1].num + 1;

	sent_add(t, now, new_num);
	send_instruction(t, NULL, 0, old_num, new_num, now);
	t->next_ack_time = heartbeat_time(t, now);
	t->next_send_time = TRANSPORT_NEVER;
}

static uint64_t collect_ms(const struct transport *t)
{
	unsigned side = t->side == TRANSPORT_SERVER ? TRANSPORT_COLLECT_SERVER_MS
	    : TRANSPORT_COLLECT_CLIENT_MS;

	return RMUX_MIN(side, rtt_frame_interval_ms(&t->rtt) / 2);
}

/* Whether a new state is paced as bulk output (see TRANSPORT_BULK_*). */
static int bulk_paced(const struct transport *t, uint64_t now)
{
	uint64_t newest;
	size_t bytes = 0, frames = 0, n = RMUX_MIN(t->nrecent, (size_t)TRANSPORT_BULK_RING);

	if (t->input_at != TRANSPORT_NEVER && now < t->input_at + TRANSPORT_BULK_WINDOW_MS)
		return 0;
	if (n == 0)
		return 0;
	newest = t->recent[(t->nrecent - 1) % TRANSPORT_BULK_RING].time;
	for (size_t i = 0; i < n; i++) {
		size_t k = (t->nrecent - 1 - i) % TRANSPORT_BULK_RING;
		if (t->recent[k].time + TRANSPORT_BULK_WINDOW_MS <= newest)
			break;
		bytes += t->recent[k].len;
		frames++;
	}
	/* The client's frames are keys: a burst of them is typing, which must
	 * go out at once; only a large paste is paced. */
	if (t->side == TRANSPORT_SERVER && frames >= TRANSPORT_BULK_FRAMES)
		return 1;
	return bytes >= TRANSPORT_BULK_BYTES;
}

/* When the newest state with data went out. The frame interval counts
 * from it: an acknowledgement or heartbeat without data spaces nothing,
 * or a key typed just after one would wait a whole interval. */
static uint64_t last_data_time(const struct transport *t)
{
	for (size_t i = t->nsent; i-- > 0;) {
		if (t->sent[i].data)
			return t->sent[i].time;
	}
	return 0;
}

static void calculate_timers(struct transport *t, uint64_t now)
{
	uint64_t rto = rtt_rto_ms(&t->rtt), interval = rtt_frame_interval_ms(&t->rtt);
	const struct tstate *newest;
	int active = t->last_heard + TRANSPORT_ACTIVE_RETRY_MS > now;

	/* The peer is assumed to hold the newest state sent recently enough
	 * that it would have been acknowledged by now if lost, else the
	 * acknowledged one. A state sent with data whose acknowledgement is
	 * overdue was lost, and so is what was diffed from it: stop there.
	 * One sent without data (an ack, a heartbeat) is not acknowledged
	 * until the peer has something to send, so its age says nothing:
	 * stopping there would resend a newer state every frame interval
	 * until the peer's acknowledgement came. */
	t->assumed = 0;
	for (size_t i = 1; i < t->nsent; i++) {
		if (now - t->sent[i].time < rto + TRANSPORT_ACK_DELAY_MS)
			t->assumed = i;
		else if (t->sent[i].data)
			break;
	}
	if (t->lops->subtract != NULL) {
		t->lops->subtract(t->current, t->sent[0].state);
		for (size_t i = t->nsent; i-- > 0;)
			t->lops->subtract(t->sent[i].state, t->sent[0].state);
	}
	if (t->pending_data_ack && t->next_ack_time > now + TRANSPORT_ACK_DELAY_MS)
		t->next_ack_time = now + TRANSPORT_ACK_DELAY_MS;

	newest = &t->sent[t->nsent - 1];
	if (!t->lops->equal(t->current, newest->state)) {
		/* A new state: wait for more changes to collect, and keep to
		 * the frame interval. Later changes join it, never queue. */
		if (t->mindelay_clock == TRANSPORT_NEVER)
			t->mindelay_clock = now;
		/* Output is streaming: pace it (sparse small frames, such as
		 * echoes, and answers to fresh input are never held back). */
		if (bulk_paced(t, now))
			interval = RMUX_MAX(interval, (uint64_t)TRANSPORT_BULK_MS);
		/* Right after fresh input the answer (an echo, an interrupt's
		 * prompt) goes within TRANSPORT_INPUT_INTERVAL_MS, not a frame
		 * interval of half the round trip. */
		if (t->input_at != TRANSPORT_NEVER && now < t->input_at + TRANSPORT_BULK_WINDOW_MS)
			interval = RMUX_MIN(interval, (uint64_t)TRANSPORT_INPUT_INTERVAL_MS);
		t->next_send_time = RMUX_MAX(t->mindelay_clock + collect_ms(t),
		    last_data_time(t) + interval);
	} else if (active && !t->lops->equal(t->current, t->sent[t->assumed].state)) {
		/* Sent, but too long ago to assume it arrived: resend. */
		t->next_send_time = newest->time + interval;
		if (t->mindelay_clock != TRANSPORT_NEVER)
			t->next_send_time = RMUX_MAX(t->next_send_time, t->mindelay_clock + collect_ms(t));
	} else if (active && !t->lops->equal(t->current, t->sent[0].state)) {
		/* Sent recently, not acknowledged yet: resend when the RTO says
		 * it was lost. */
		t->next_send_time = newest->time + rto + TRANSPORT_ACK_DELAY_MS;
	} else {
		t->next_send_time = TRANSPORT_NEVER;
	}
}

uint64_t transport_tick(struct transport *t, uint64_t now)
{
	struct buf diff, resend;
	uint64_t wake;

	/* The outbox is emptied by transport_pop() only: a tick before the
	 * caller popped everything adds to it, so nothing sealed is lost. */
	if (t->dead)
		return TRANSPORT_NEVER;
	calculate_timers(t, now);
	if (transport_peer(t, now) == NULL)
		return TRANSPORT_NEVER;
	if (now >= t->next_ack_time || now >= t->next_send_time) {
		buf_init(&diff);
		buf_init(&resend);
		t->lops->diff(t->sent[t->assumed].state, t->current, &diff);
		if (t->assumed != 0) {
			/* Diff from the acknowledged state when that costs
			 * little more: it survives the loss of the unacknowledged
			 * ones, where a diff from a lost state would make every
			 * frame until the next acknowledgement useless. */
			t->lops->diff(t->sent[0].state, t->current, &resend);
			if (resend.len <= diff.len ||
			    (resend.len < TRANSPORT_RESEND_SMALL &&
			    resend.len - diff.len <= TRANSPORT_RESEND_SLACK)) {
				t->assumed = 0;
				buf_free(&diff);
				diff = resend;
				buf_init(&resend);
			}
		}
		if (diff.len == 0) {
			/* Nothing new for the peer. A state that changed and
			 * changed back still gets its number sent, or it would
			 * wake us at every collection delay. */
			if (now >= t->next_ack_time ||
			    !t->lops->equal(t->current, t->sent[t->nsent - 1].state)) {
				send_empty_ack(t, now);
				t->mindelay_clock = TRANSPORT_NEVER;
			}
			if (now >= t->next_send_time) {
				t->next_send_time = TRANSPORT_NEVER;
				t->mindelay_clock = TRANSPORT_NEVER;
			}
		} else {
			send_to_receiver(t, &diff, now);
			t->mindelay_clock = TRANSPORT_NEVER;
		}
		buf_free(&diff);
		buf_free(&resend);
		calculate_timers(t, now);
	}
	if (t->dead)
		return TRANSPORT_NEVER;
	wake = RMUX_MIN(t->next_ack_time, t->next_send_time);
	if (t->side == TRANSPORT_CLIENT) {
		uint64_t rebind = RMUX_MAX(t->last_rebind, t->last_roundtrip) + TRANSPORT_REBIND_MS;

		/* Wake the caller when a rebind falls due; once due, it has
		 * been told (a caller that does not rebind must not spin). */
		if (rebind > now)
			wake = RMUX_MIN(wake, rebind);
	}
	return wake == TRANSPORT_NEVER ? wake : RMUX_MAX(wake, now + 1);
}

/* --- receiving --- */

static void process_ack(struct transport *t, uint64_t ack_num)
{
	size_t i;

	for (i = 0; i < t->nsent; i++) {
		if (t->sent[i].num == ack_num)
			break;
	}
	/* An ack of a state already culled says nothing new. */
	if (i == t->nsent || i == 0)
		return;
	for (size_t j = 0; j < i; j++)
		t->lops->free(t->sent[j].state);
	memmove(&t->sent[0], &t->sent[i], (t->nsent - i) * sizeof t->sent[0]);
	t->nsent -= i;
	t->assumed = t->assumed >= i ? t->assumed - i : 0;
}

static void throwaway_until(struct transport *t, uint64_t num)
{
	size_t n = 0;

	while (n < t->nrecv - 1 && t->recv[n].num < num)
		n++;
	if (n == 0)
		return;
	for (size_t j = 0; j < n; j++)
		t->rops->free(t->recv[j].state);
	memmove(&t->recv[0], &t->recv[n], (t->nrecv - n) * sizeof t->recv[0]);
	t->nrecv -= n;
}

static size_t recv_find(const struct transport *t, uint64_t num)
{
	for (size_t i = 0; i < t->nrecv; i++) {
		if (t->recv[i].num == num)
			return i;
	}
	return t->nrecv;
}

/* Set *OUT to a copy of BASE with the diff of IN applied, inflated first
 * when it is deflated (bounded: a bomb is an error like any bad diff). */
static int apply_diff(struct transport *t, const void *base, const struct instruction *in,
    void **out)
{
	struct buf raw;
	const uint8_t *diff = in->diff;
	size_t len = in->difflen;
	void *state = NULL;
	int err = 0;

	buf_init(&raw);
	if (in->deflated) {
		if ((err = compress_inflate(in->diff, in->difflen, COMPRESS_MAX_INFLATED, &raw)) != 0)
			goto out;
		diff = raw.data;
		len = raw.len;
	}
	state = t->rops->copy(base);
	if (len > 0 && (err = t->rops->apply(state, diff, len)) != 0) {
		t->rops->free(state);
		state = NULL;
	}
out:
	buf_free(&raw);
	*out = state;
	return err;
}

static int process_instruction(struct transport *t, const struct instruction *in, uint64_t now)
{
	size_t ref, at;
	void *state;
	int err;

	process_ack(t, in->ack_num);
	t->last_roundtrip = t->sent[0].time;
	/* A state already held is a duplicate or a resend: nothing to apply.
	 * A resend of data means our acknowledgement was lost: send another
	 * (a quiet peer has no heartbeat that would carry it). */
	if (recv_find(t, in->new_num) != t->nrecv) {
		if (in->difflen > 0)
			t->pending_data_ack = 1;
		return 0;
	}
	/* Without the base state the diff means nothing; this also keeps a
	 * replayed or stale instruction from being applied twice. */
	if (recv_find(t, in->old_num) == t->nrecv)
		return 0;
	throwaway_until(t, in->throwaway_num);
	if (t->nrecv >= TRANSPORT_RECEIVED_MAX) {
		/* Refuse rather than drop a state already acknowledged. */
		if (now < t->quench_until)
			return 0;
		t->quench_until = now + TRANSPORT_QUENCH_MS;
	}
	ref = recv_find(t, in->old_num);
	if ((err = apply_diff(t, t->recv[ref].state, in, &state)) != 0)
		return err;
	for (at = t->nrecv; at > 0 && t->recv[at - 1].num > in->new_num; at--)
		;
	if (t->nrecv == t->recvcap) {
		t->recvcap *= 2;
		t->recv = xreallocarray(t->recv, t->recvcap, sizeof *t->recv);
	}
	memmove(&t->recv[at + 1], &t->recv[at], (t->nrecv - at) * sizeof t->recv[0]);
	t->recv[at].num = in->new_num;
	t->recv[at].time = now;
	t->recv[at].state = state;
	t->nrecv++;
	if (at != t->nrecv - 1)
		return 0;
	if (in->difflen > 0) {
		t->pending_data_ack = 1;
		t->input_at = now;
	}
	return 1;
}

int transport_receive(struct transport *t, const uint8_t *data, size_t len,
    const struct udp_addr *from, uint64_t now)
{
	struct datagram d;
	struct instruction in;
	const uint8_t *bytes;
	size_t blen;
	uint64_t id;
	int err;

	if ((err = datagram_link_open(t->link, data, len, &d)) != 0)
		return err;
	t->last_heard = now;
	if (d.newest) {
		rtt_receive(&t->rtt, d.timestamp, d.timestamp_reply, now);
		/* Roaming: only the newest datagram may move the server's peer. */
		if (t->side == TRANSPORT_SERVER && from != NULL && from->len != 0)
			t->peer = *from;
	}
	err = fragment_assembly_add(t->assembly, d.frag, d.fraglen, &id, &bytes, &blen);
	if (err < 0)
		return err;
	if (err != FRAGMENT_COMPLETE)
		return 0;
	if ((err = instruction_decode(bytes, blen, &in)) != 0)
		return err;
	return process_instruction(t, &in, now);
}
