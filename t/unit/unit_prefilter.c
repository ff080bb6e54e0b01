/* unit_prefilter.c — the PCRE2 prefilter of analyzer/prefilter.c: a file is
 * parsed only when it names cond, a tracing API or condlint as a whole word;
 * the scan of the tiers reads those words in code, not in prose. */
#include <string.h>

#include "../tap.h"
#include "internal.h"
#include "prefilter.h"

#define HIT(src, what) ok(cl_prefilter_match(src, strlen(src)), "prefilter keeps %s", what)
#define MISS(src, what) ok(!cl_prefilter_match(src, strlen(src)), "prefilter skips %s", what)

/* The scan's tier bits for src; ~0 when the scan without the JIT (the
 * replay's, cl_prefilter_scan_few) does not say the same. */
static uint32_t scan_flags(const char *src) {
  cl_scan sc, few;
  cl_prefilter_scan(src, strlen(src), false, &sc);
  cl_prefilter_scan_few(src, strlen(src), &few);
  uint32_t f = sc.flags & (CL_SCAN_OWN | CL_SCAN_ENTRY);
  if (!cl_hash_eq(cl_scan_hash(&sc), cl_scan_hash(&few))) f = ~0u;
  cl_scan_free(&sc);
  cl_scan_free(&few);
  return f;
}
#define OWN_(src, what) ok(scan_flags(src) == CL_SCAN_OWN, "tier 1: %s", what)
#define ENTRY_(src, what) ok(scan_flags(src) == CL_SCAN_ENTRY, "tier 2: %s", what)
#define NONE_(src, what) ok(scan_flags(src) == 0, "no tier: %s", what)

/* The tiers' words count in code, not in prose. */
static void prose(void) {
  OWN_("y = torch.cond(p, a, b, (x,))\n", "torch.cond in code");
  NONE_("x = 1  # torch.cond(p, a, b, ops) folds\n", "torch.cond in a comment");
  NONE_("\"\"\"Runs under torch.compile.\n\n>>> torch._dynamo.mark_dynamic(x, 0)\n\"\"\"\n",
        "words in a docstring");
  NONE_("raise ValueError('torch.compile needs a 2-D input')\n", "torch.compile in a message");
  OWN_("kw = {\"dynamic_shapes\": ds}\n", "a string that spells a name is code (a dict key)");
  ENTRY_("f = getattr(torch, 'compile')\n", "... and a getattr's name");
  ENTRY_("s = f\"{torch.compile(m)}\"\n", "an f-string's braces are code");
  NONE_("s = \"a \\\" torch.compile\"\n", "an escaped quote does not end a string");
  NONE_("s = r\"\\\" torch.cond(p)\"\n", "... in a raw string either");
  OWN_("s = \"abc\ny = torch.cond(p, a, b, ())\n", "an unterminated string ends at its line");
  ENTRY_("# it's torch.cond\nz = torch.compile(f)\n", "a quote in a comment opens no string");
  NONE_("s = '''a \" b\n torch.cond(p) '''\n", "a triple-quoted string holds the other quote");
  OWN_("print(\"x\"); torch._dynamo.mark_dynamic(x, 0)\n", "code after a string on its line");
  OWN_("x = 1  # condlint: ignore[CL101]\n", "a suppression comment is read in the comment");
  OWN_("# torch.cond in prose first\ny = torch.cond(p, a, b, ())\n",
       "a word in code after the same word in prose");
}

int main(void) {
  prose();
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
