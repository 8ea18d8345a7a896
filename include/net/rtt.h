/* rtt.h — round-trip estimation from the datagram timestamps (RFC 6298
 * SRTT/RTTVAR with mosh's constants), the retransmission timeout and the
 * frame interval derived from them. Pure arithmetic on times the caller
 * passes in, so it is deterministic under test. */
#ifndef RMUX_NET_RTT_H
#define RMUX_NET_RTT_H

#include <stdint.h>

#define RTT_INITIAL_SRTT_MS 1000
#define RTT_INITIAL_RTTVAR_MS 500
#define RTT_MIN_RTO_MS 50
#define RTT_MAX_RTO_MS 1000
/* Samples this large or larger are ignored (a stale reply, a clock jump). */
#define RTT_MAX_SAMPLE_MS 5000
/* A peer timestamp older than this is not echoed back. */
#define RTT_MAX_HOLD_MS 1000
/* Frames go out at most every clamp(ceil(SRTT/2), MIN, MAX). The minimum
 * is far below mosh's 20 ms so that a local attach (SRTT under 1 ms)
 * repaints at tmux speed; 4 ms still caps a flood at 250 frames a second. */
#define RTT_FRAME_MIN_MS 4
#define RTT_FRAME_MAX_MS 250

struct rtt {
	double srtt;        /* ms */
	double rttvar;      /* ms */
	int sampled;        /* a sample has been taken */
	int have_peer_ts;   /* a peer timestamp waits to be echoed */
	uint16_t peer_ts;
	uint64_t peer_ts_at; /* when it arrived (ms) */
};

void rtt_init(struct rtt *r);
/* Feed one round-trip sample in milliseconds. Returns 1 if it was used, 0
 * if it was ignored (>= RTT_MAX_SAMPLE_MS). */
int rtt_sample(struct rtt *r, uint64_t sample_ms);
/* Account for the timestamps of a received datagram at NOW_MS: remember
 * TIMESTAMP for echoing and turn TIMESTAMP_REPLY into a sample. The link
 * calls this only for the newest datagram (a late one would echo stale
 * times). Returns 1 if a sample was used, else 0. */
int rtt_receive(struct rtt *r, uint16_t timestamp, uint16_t timestamp_reply, uint64_t now_ms);
/* The timestamp reply for the next datagram sent at NOW_MS: the remembered
 * peer timestamp plus the time it was held, or DATAGRAM_TS_NONE if there is
 * none or it is RTT_MAX_HOLD_MS old. A timestamp is echoed once. */
uint16_t rtt_reply(struct rtt *r, uint64_t now_ms);

unsigned rtt_srtt_ms(const struct rtt *r);  /* ceil(SRTT) */
/* ceil(SRTT + 4 RTTVAR) clamped to RTT_MIN_RTO_MS..RTT_MAX_RTO_MS. */
unsigned rtt_rto_ms(const struct rtt *r);
/* ceil(SRTT / 2) clamped to RTT_FRAME_MIN_MS..RTT_FRAME_MAX_MS. */
unsigned rtt_frame_interval_ms(const struct rtt *r);

#endif
