/*
 * fuzz_lazy.c — libFuzzer target for skeletons (analyzer/parse_lazy.c and
 * parse.c): the input is one source file, parsed whole and as a skeleton
 * whose function bodies are then all parsed as a call would. When the whole
 * parse reports nothing (no CL901/CL903/CL904), the skeleton's IR must be
 * the whole parse's (encoded, comments aside): a difference traps, as does
 * any crash or sanitizer report on either path.
 */
#include <stdint.h>

#include "../../t/unit/skeleton_check.h"

static const char PATH[] = "/nonexistent-condlint-fuzz/pkg/mod.py";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t bodies = 0;
  if (skeleton_check(PATH, (const char *)data, size, &bodies) == SKELETON_DIFFERENT)
    __builtin_trap(); /* the skeleton is not the whole parse */
  return 0;
}
