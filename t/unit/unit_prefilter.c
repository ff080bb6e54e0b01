/* unit_prefilter.c — the PCRE2 prefilter of analyzer/prefilter.c: a file is
 * parsed only when it names cond, a tracing API or condlint as a whole word. */
#include <string.h>

#include "../tap.h"
#include "internal.h"

#define HIT(src, what) ok(cl_prefilter_match(src, strlen(src)), "prefilter keeps %s", what)
#define MISS(src, what) ok(!cl_prefilter_match(src, strlen(src)), "prefilter skips %s", what)

int main(void) {
  HIT("y = torch.cond(p, a, b, (x,))", "torch.cond(...)");
  HIT("from torch import cond as c", "from torch import cond");
  HIT("from functorch.experimental.control_flow import cond", "the functorch import of cond");
  HIT("gm = make_fx(f)(x)", "make_fx");
  HIT("ep = torch.export.export(m, (x,))", "torch.export.export");
  HIT("f = torch.compile(f, dynamic=True)", "torch.compile");
  HIT("torch._dynamo.mark_dynamic(x, 1)", "mark_dynamic");
  HIT("with FakeTensorMode(shape_env=ShapeEnv()) as m:", "FakeTensorMode/ShapeEnv");
  HIT("x = 1  # condlint: ignore[CL101]", "a condlint suppression comment");
  HIT("\n\n\n    cond\n", "cond alone on a later line");

  MISS("", "an empty file");
  MISS("import numpy as np\nprint(np.zeros(3))\n", "a file with no relevant name");
  MISS("def conditional(x): return x", "'conditional' (cond is not a whole word)");
  MISS("precondition = True", "'precondition'");
  MISS("second_cond_ = 1", "'second_cond_' (underscores are word characters)");
  MISS("exported = 1; compiled = 2", "'exported' and 'compiled'");

  /* a NUL byte does not end the scan: the length does */
  const char nul[] = "x = 1\0torch.cond(p, a, b, ())";
  ok(cl_prefilter_match(nul, sizeof nul - 1), "a match after a NUL byte is found");
  ok(!cl_prefilter_match("torch.cond", 5), "only the first len bytes are scanned");
  return done_testing();
}
