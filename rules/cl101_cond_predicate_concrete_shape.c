/*
 * CL101 cond-predicate-concrete-shape
 *
 * ## What it does
 * Flags a `torch.cond` whose predicate compares tensor sizes that are concrete
 * Python ints in every tracing context that reaches it: `make_fx` in its
 * default "real" or "fake" mode, `FakeTensorMode()` without a `ShapeEnv`,
 * `torch.export.export` without a `Dim` for the size, the first
 * `torch.compile` of a function without `dynamic=True` or `mark_dynamic`.
 *
 * ## Why it matters
 * When the size is concrete the predicate is a plain `bool`, and `torch.cond`
 * runs the branch the example input takes instead of recording both. The
 * traced graph, exported program or compiled artifact holds one
 * implementation: the run-time dispatch is silently gone. `make_fx` does not
 * even warn.
 *
 * ## Example
 * ```python
 * def f(x):
 *     return torch.cond(x.shape[1] <= 512, small, large, (x,))
 *
 * gm = make_fx(f)(torch.randn(2, 256, 128))   # folds: only `small` is kept
 * ```
 *
 * ## Use instead
 * Make the size symbolic in the context that traces the cond; the finding's
 * notes say which fix applies where:
 * ```python
 * gm = make_fx(f, tracing_mode="symbolic")(torch.randn(2, 256, 128))
 * torch.export.export(m, (x,), dynamic_shapes={"x": {1: Dim("seq")}})
 * torch._dynamo.mark_dynamic(x, 1)   # before the first compiled call
 * ```
 */
#include "rule.h"

void cl_rule_CL101(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->sites.n; i++) {
    const cl_site *site = facts->sites.v[i];
    if (cl_site_classify(facts, site) != SITE_FOLDS_ALL) continue;
    const cl_outcome *o = &site->outs[0];
    const cl_context *ctx = facts->contexts.v[o->context];
    char *msg = site->nouts == 1
        ? cl_xasprintf("this torch.cond folds when traced: its predicate reads sizes that are "
                       "concrete under %s, so the traced artifact keeps one branch",
                       ctx->desc)
        : cl_xasprintf("this torch.cond folds when traced: its predicate reads sizes that are "
                       "concrete in all %zu tracing contexts that reach it, so every traced "
                       "artifact keeps one branch", site->nouts);
    condlint_diag *d = cl_emit(s, "CL101", site->file, site->callee, msg, cl_origin_fix(o->why));
    free(msg);
    cl_fix_attach(s, d, o->why);
    for (size_t k = 0; k < site->nouts; k++) {
      const cl_context *c = facts->contexts.v[site->outs[k].context];
      if (k > 0) {
        char *m = cl_xasprintf("also traced here by %s", c->desc);
        cl_diag_add_related(s, d, c->file, c->span, m);
        free(m);
      }
    }
    cl_facts_emit_chain(s, d, o->why);
  }
}
