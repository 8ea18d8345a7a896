/* rtt.c — RFC 6298 estimator over 16-bit timestamps (see rtt.h). */
#include "net/rtt.h"

#include <math.h>

#include "common/util.h"
#include "net/datagram.h"

/* RFC 6298 gains. */
#define RTT_ALPHA (1.0 / 8)
#define RTT_BETA (1.0 / 4)

void rtt_init(struct rtt *r)
{
	r->srtt = RTT_INITIAL_SRTT_MS;
	r->rttvar = RTT_INITIAL_RTTVAR_MS;
	r->sampled = 0;
	r->have_peer_ts = 0;
	r->peer_ts = DATAGRAM_TS_NONE;
	r->peer_ts_at = 0;
}

int rtt_sample(struct rtt *r, uint64_t sample_ms)
{
	double s = (double)sample_ms;

	if (sample_ms >= RTT_MAX_SAMPLE_MS)
		return 0;
	if (!r->sampled) {
		r->srtt = s;
		r->rttvar = s / 2;
		r->sampled = 1;
	} else {
		/* RTTVAR first: it uses the SRTT from before this sample. */
		r->rttvar = (1 - RTT_BETA) * r->rttvar + RTT_BETA * fabs(r->srtt - s);
		r->srtt = (1 - RTT_ALPHA) * r->srtt + RTT_ALPHA * s;
	}
	return 1;
}

int rtt_receive(struct rtt *r, uint16_t timestamp, uint16_t timestamp_reply, uint64_t now_ms)
{
	if (timestamp != DATAGRAM_TS_NONE) {
		r->have_peer_ts = 1;
		r->peer_ts = timestamp;
		r->peer_ts_at = now_ms;
	}
	if (timestamp_reply == DATAGRAM_TS_NONE)
		return 0;
	return rtt_sample(r, datagram_timestamp_diff(datagram_timestamp(now_ms), timestamp_reply));
}

uint16_t rtt_reply(struct rtt *r, uint64_t now_ms)
{
	uint64_t held;
	uint16_t reply;

	if (!r->have_peer_ts)
		return DATAGRAM_TS_NONE;
	r->have_peer_ts = 0;
	held = now_ms >= r->peer_ts_at ? now_ms - r->peer_ts_at : 0;
	if (held >= RTT_MAX_HOLD_MS)
		return DATAGRAM_TS_NONE;
	/* Adding the hold time makes the peer's sample network time only. */
	reply = (uint16_t)(r->peer_ts + held);
	return reply == DATAGRAM_TS_NONE ? 0 : reply;
}

unsigned rtt_srtt_ms(const struct rtt *r)
{
	return (unsigned)ceil(r->srtt);
}

unsigned rtt_rto_ms(const struct rtt *r)
{
	double rto = ceil(r->srtt + 4 * r->rttvar);

	return (unsigned)RMUX_CLAMP(rto, (double)RTT_MIN_RTO_MS, (double)RTT_MAX_RTO_MS);
}

unsigned rtt_frame_interval_ms(const struct rtt *r)
{
	double iv = ceil(r->srtt / 2);

	return (unsigned)RMUX_CLAMP(iv, (double)RTT_FRAME_MIN_MS, (double)RTT_FRAME_MAX_MS);
}
