/* simd.c — the run-time choice between the SSE2 and AVX2 loops (see
 * simd.h). One flag for the whole process: the choice depends on the CPU
 * only, so a race between two first callers writes the same value. */
#include "term/simd.h"

#include <stdlib.h>
#include <string.h>

int simd_state;

static int simd_cpu_avx2(void)
{
#if SIMD_HAVE_AVX2
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") != 0;
#else
	return 0;
#endif
}

/* RMUX_SIMD=sse2 in the environment keeps to the SSE2 loops, so that the
 * test suites can run them on a machine that has AVX2. */
void simd_init(void)
{
	const char *env = getenv("RMUX_SIMD");

	simd_state = simd_cpu_avx2() && (env == NULL || strcmp(env, "sse2") != 0) ? 2 : 1;
}

void simd_force(int on)
{
	simd_state = on && simd_cpu_avx2() ? 2 : 1;
}
