/* simd.h — which vector instructions the emulator's hot loops may use.
 * SSE2 is always there on x86-64 and is chosen at compile time; AVX2
 * versions of the cell fill and copy loops are compiled beside it with a
 * target attribute and chosen at run time, once the CPU is asked. */
#ifndef RMUX_TERM_SIMD_H
#define RMUX_TERM_SIMD_H

#if defined(__GNUC__) && defined(__x86_64__)
#define SIMD_HAVE_AVX2 1
#define SIMD_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define SIMD_HAVE_AVX2 0
#endif

/* 0: not asked yet, 1: SSE2 only, 2: AVX2. Read through simd_avx2().
 * RMUX_SIMD=sse2 in the environment forces 1 (for testing). */
extern int simd_state;

void simd_init(void);
/* Tests: use the AVX2 loops only if ON and the CPU has them (ON 0 runs the
 * SSE2 ones everywhere). Not for concurrent use with running screens. */
void simd_force(int on);

static inline int simd_avx2(void)
{
	if (simd_state == 0)
		simd_init();
	return simd_state == 2;
}

#endif
