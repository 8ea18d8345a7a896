/* test_rtt.c — the RFC 6298 estimator, RTO and frame interval clamps, and
 * round trips measured through echoed 16-bit timestamps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "net/datagram.h"
#include "net/rtt.h"

static unsigned clampu(double v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : (unsigned)v;
}

static void test_initial(void **state)
{
	struct rtt r;

	rtt_init(&r);
	assert_int_equal(rtt_srtt_ms(&r), RTT_INITIAL_SRTT_MS);
	assert_int_equal(rtt_rto_ms(&r), clampu(RTT_INITIAL_SRTT_MS + 4.0 * RTT_INITIAL_RTTVAR_MS,
	    RTT_MIN_RTO_MS, RTT_MAX_RTO_MS));
	assert_int_equal(rtt_frame_interval_ms(&r), clampu(RTT_INITIAL_SRTT_MS / 2.0,
	    RTT_FRAME_MIN_MS, RTT_FRAME_MAX_MS));
	assert_int_equal(rtt_reply(&r, 12345), DATAGRAM_TS_NONE);
}

/* The estimator follows RFC 6298 step by step over a noisy sample series. */
static void test_rfc6298(void **state)
{
	struct rtt r;
	double srtt = 0, var = 0;
	uint64_t x = 88172645463325252u;

	rtt_init(&r);
	for (int i = 0; i < 500; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t s = 20 + x % 300;
		assert_int_equal(rtt_sample(&r, s), 1);
		if (i == 0) {
			srtt = (double)s;
			var = (double)s / 2;
		} else {
			var = 0.75 * var + 0.25 * fabs(srtt - (double)s);
			srtt = 0.875 * srtt + 0.125 * (double)s;
		}
		assert_int_equal(rtt_srtt_ms(&r), (unsigned)ceil(srtt));
		assert_int_equal(rtt_rto_ms(&r), clampu(ceil(srtt + 4 * var), RTT_MIN_RTO_MS,
		    RTT_MAX_RTO_MS));
		assert_int_equal(rtt_frame_interval_ms(&r), clampu(ceil(srtt / 2),
		    RTT_FRAME_MIN_MS, RTT_FRAME_MAX_MS));
	}
}

static void test_clamps_and_outliers(void **state)
{
	struct rtt r;

	/* Loopback: the floor of both clamps. */
	rtt_init(&r);
	for (int i = 0; i < 100; i++)
		rtt_sample(&r, i % 2);
	assert_int_equal(rtt_frame_interval_ms(&r), RTT_FRAME_MIN_MS);
	assert_int_equal(rtt_rto_ms(&r), RTT_MIN_RTO_MS);
	assert_true(RTT_FRAME_MIN_MS <= 5); /* a local attach must feel instant */

	/* A satellite link: the ceilings. */
	rtt_init(&r);
	for (int i = 0; i < 100; i++)
		rtt_sample(&r, 2000);
	assert_int_equal(rtt_frame_interval_ms(&r), RTT_FRAME_MAX_MS);
	assert_int_equal(rtt_rto_ms(&r), RTT_MAX_RTO_MS);

	/* Samples of 5 s or more are dropped; just under is used. */
	rtt_init(&r);
	assert_int_equal(rtt_sample(&r, RTT_MAX_SAMPLE_MS), 0);
	assert_int_equal(rtt_sample(&r, 60000), 0);
	assert_int_equal(rtt_srtt_ms(&r), RTT_INITIAL_SRTT_MS);
	assert_int_equal(rtt_sample(&r, RTT_MAX_SAMPLE_MS - 1), 1);
	assert_int_equal(rtt_srtt_ms(&r), RTT_MAX_SAMPLE_MS - 1);
}

/* Two peers with unrelated clocks: A stamps, B echoes after holding the
 * stamp, A's sample is the network round trip without B's hold time.
 * Clocks sit near the 16-bit wrap to test the modular arithmetic. */
static void test_echo(void **state)
{
	const uint64_t a0 = 65536 * 3 - 10, b0 = 777777;
	const unsigned there = 23, back = 17, hold = 300;
	struct rtt a, b;

	rtt_init(&a);
	rtt_init(&b);
	uint16_t ts = datagram_timestamp(a0);
	assert_int_equal(rtt_receive(&b, ts, DATAGRAM_TS_NONE, b0), 0);
	uint16_t reply = rtt_reply(&b, b0 + hold);
	assert_int_not_equal(reply, DATAGRAM_TS_NONE);
	/* Echoed once only. */
	assert_int_equal(rtt_reply(&b, b0 + hold + 1), DATAGRAM_TS_NONE);
	assert_int_equal(rtt_receive(&a, datagram_timestamp(b0 + hold), reply,
	    a0 + there + hold + back), 1);
	assert_int_equal(rtt_srtt_ms(&a), there + back);

	/* A stamp held a second or more is not echoed. */
	assert_int_equal(rtt_receive(&b, 1000, DATAGRAM_TS_NONE, b0), 0);
	assert_int_equal(rtt_reply(&b, b0 + RTT_MAX_HOLD_MS), DATAGRAM_TS_NONE);
	assert_int_equal(rtt_receive(&b, 1000, DATAGRAM_TS_NONE, b0), 0);
	assert_int_equal(rtt_reply(&b, b0 + RTT_MAX_HOLD_MS - 1),
	    (uint16_t)(1000 + RTT_MAX_HOLD_MS - 1));

	/* "None" does not erase a stamp waiting to be echoed. */
	assert_int_equal(rtt_receive(&b, 4000, DATAGRAM_TS_NONE, b0), 0);
	assert_int_equal(rtt_receive(&b, DATAGRAM_TS_NONE, DATAGRAM_TS_NONE, b0 + 5), 0);
	assert_int_equal(rtt_reply(&b, b0 + 10), 4010);

	/* An echo that would read "none" is sent as 0 (1 ms off). */
	assert_int_equal(rtt_receive(&b, 0xfffe, DATAGRAM_TS_NONE, b0), 0);
	assert_int_equal(rtt_reply(&b, b0 + 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial),
		cmocka_unit_test(test_rfc6298),
		cmocka_unit_test(test_clamps_and_outliers),
		cmocka_unit_test(test_echo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
