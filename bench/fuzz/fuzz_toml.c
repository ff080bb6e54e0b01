/*
 * fuzz_toml.c — libFuzzer target for the configuration reader
 * (analyzer/config.c): the input is written as a configuration file, loaded
 * with condlint_config_set_file (the tree-sitter TOML grammar, the TOML value
 * tree, then every key, type and rule code of [tool.condlint]) and described
 * with condlint_config_describe. The first input byte picks the file name:
 * odd bytes make it pyproject.toml (read from [tool.condlint]), even ones
 * condlint.toml (read from the top level).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "condlint/condlint.h"

static char dir[64];
static char path[96];

static void cleanup(void) {
  char p[128];
  snprintf(p, sizeof p, "%s/condlint.toml", dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/pyproject.toml", dir);
  unlink(p);
  rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!dir[0]) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/condlint-fuzz-toml.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) abort();
    atexit(cleanup);
    devnull = fopen("/dev/null", "w");
  }
  if (size == 0) return 0;
  snprintf(path, sizeof path, "%s/%s", dir, data[0] & 1 ? "pyproject.toml" : "condlint.toml");
  FILE *fp = fopen(path, "wb");
  if (!fp) abort();
  fwrite(data + 1, 1, size - 1, fp);
  fclose(fp);
  condlint_config *c = condlint_config_new();
  if (condlint_config_set_file(c, path) == 0) {
    const char *fmt = NULL;
    condlint_config_output_format(c, &fmt);
    condlint_config_describe(c, dir, devnull);
  } else if (!condlint_config_error(c)[0]) {
    __builtin_trap(); /* a failure always says why */
  }
  condlint_config_free(c);
  unlink(path);
  return 0;
}
