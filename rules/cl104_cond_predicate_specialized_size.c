/*
 * CL104 cond-predicate-specialized-size
 *
 * ## What it does
 * Flags a `torch.cond` whose predicate reads a size that was symbolic but was
 * turned into a plain int before the cond: `int(x.shape[1])`, `len(x)` (which
 * must return an int), and the like.
 *
 * ## Why it matters
 * Specialising a symbolic size makes the tracer guard on its example value;
 * from then on the predicate is a plain `bool` and the cond folds, even though
 * the context made the size dynamic. Under `torch.export` with a `Dim` on that
 * size, the export fails with "Constraints violated".
 *
 * ## Example
 * ```python
 * def f(x):
 *     n = int(x.shape[1])
 *     return torch.cond(n <= 512, small, large, (x,))
 * ```
 *
 * ## Use instead
 * Keep the SymInt: compare `x.shape[1]` (or `x.size(1)`) directly.
 * ```python
 * def f(x):
 *     return torch.cond(x.shape[1] <= 512, small, large, (x,))
 * ```
 */
#include "rule.h"

void cl_rule_CL104(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->sites.n; i++) {
    const cl_site *site = facts->sites.v[i];
    if (cl_site_classify(facts, site) != SITE_SPECIALIZED) continue;
    const cl_outcome *o = &site->outs[0];
    const cl_context *ctx = facts->contexts.v[o->context];
    char *msg = cl_xasprintf("this torch.cond folds when traced: its predicate reads a size that "
                             "was symbolic under %s but was specialized to a plain int first",
                             ctx->desc);
    condlint_diag *d = cl_emit(s, "CL104", site->file, site->callee, msg, cl_origin_fix(o->why));
    free(msg);
    cl_fix_attach(s, d, o->why);
    cl_facts_emit_chain(s, d, o->why);
  }
}
