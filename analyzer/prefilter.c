/* prefilter.c — one PCRE2-JIT scan per file for the identifiers that can
 * matter (cond and the tracing APIs). A file with none of them cannot hold a
 * finding of its own and is not parsed, which keeps whole-repository runs
 * cheap. The pattern is compiled once and shared by every thread. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>

#include "internal.h"

static const char PATTERN[] =
    "\\b(?:cond|make_fx|export|compile|mark_dynamic|maybe_mark_dynamic|mark_static|"
    "FakeTensorMode|ShapeEnv|from_tensor|StatelessSymbolicContext|Dim|"
    "create_symbolic_sizes_strides_storage_offset|ir_node_to_tensor|fake_mode|"
    "register_custom_op_autotuning|custom_op|register_fake|condlint)\\b";

static pcre2_code *code;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void compile_pattern(void) {
  int err;
  PCRE2_SIZE off;
  code = pcre2_compile((PCRE2_SPTR)PATTERN, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
  if (code) pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}

bool cl_prefilter_match(const char *bytes, size_t len) {
  pthread_once(&once, compile_pattern);
  if (!code) return true; /* cannot filter: parse everything */
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)bytes, len, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0 || rc == PCRE2_ERROR_JIT_STACKLIMIT;
}
