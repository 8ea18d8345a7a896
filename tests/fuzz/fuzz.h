/* fuzz.h — the libFuzzer entry point every harness here defines; replay.c
 * calls it from a plain main() so saved inputs run in the test suite. */
#ifndef RMUX_TESTS_FUZZ_H
#define RMUX_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
