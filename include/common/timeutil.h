/* timeutil.h — monotonic time for timers, RTT and benchmarks. */
#ifndef RMUX_COMMON_TIMEUTIL_H
#define RMUX_COMMON_TIMEUTIL_H

#include <stdint.h>

uint64_t time_now_ms(void); /* CLOCK_MONOTONIC in milliseconds */
uint64_t time_now_us(void); /* CLOCK_MONOTONIC in microseconds */
uint64_t time_now_ns(void); /* CLOCK_MONOTONIC in nanoseconds */

#endif
