/*
 * fuzz_python.c — libFuzzer target for the Python front end and everything
 * behind it: the input is one source file, added with
 * condlint_session_add_source, analysed (prefilter, parse, lowering, the
 * abstract interpreter, rules, suppressions) and rendered in every output
 * format. Any crash, hang or sanitizer report is a bug.
 *
 * The file lives in a directory that does not exist, so that imports in the
 * input cannot pull real files from wherever the fuzzer runs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "condlint/condlint.h"

static const char *const FORMATS[] = {"text", "json", "concise", "sarif",
                                      "github", "gitlab", "junit", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull) devnull = fopen("/dev/null", "w");
  condlint_session *s = condlint_session_new();
  condlint_session_set_jobs(s, 1);
  if (condlint_session_add_source(s, "/nonexistent-condlint-fuzz/pkg/mod.py",
                                  (const char *)data, size) == 0 &&
      condlint_session_analyze(s) == 0) {
    for (const char *const *f = FORMATS; *f; f++) {
      condlint_session_render(s, *f, 0, devnull);
      condlint_session_render(s, *f, 1, devnull);
    }
    for (size_t i = 0; i < condlint_session_diag_count(s); i++) {
      const condlint_diag *d = condlint_session_diag(s, i);
      (void)condlint_diag_fingerprint(d);
      condlint_location l = condlint_diag_location(d);
      if (!l.path || l.line == 0 || l.column == 0) __builtin_trap(); /* locations are 1-based */
    }
  }
  condlint_session_free(s);
  return 0;
}
