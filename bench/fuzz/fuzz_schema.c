/*
 * fuzz_schema.c — libFuzzer target for the PyTorch operator schema-string
 * parser (analyzer/schema.c): cl_schema_parse on arbitrary bytes, NULs
 * included, and a check that every span it reports lies inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "schema.h"

static void check_args(const cl_schema_arg *a, uint32_t n, size_t size) {
  for (uint32_t i = 0; i < n; i++) {
    if (a[i].start > a[i].end || a[i].end > size || a[i].name_start > a[i].end)
      __builtin_trap();
    if (!a[i].name || !a[i].type || !a[i].base_name) __builtin_trap();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cl_schema sc;
  memset(&sc, 0, sizeof sc);
  int rc = cl_schema_parse((const char *)data, size, &sc);
  if (rc == CL_SCHEMA_OK) {
    check_args(sc.args, sc.nargs, size);
    check_args(sc.rets, sc.nrets, size);
    (void)cl_schema_find_arg(&sc, "self");
  } else if (!sc.error || sc.error_at > size) {
    __builtin_trap();
  }
  cl_schema_free(&sc);
  return 0;
}
