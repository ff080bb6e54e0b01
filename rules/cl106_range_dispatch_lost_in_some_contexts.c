/*
 * CL106 range-dispatch-lost-in-some-contexts
 *
 * ## What it does
 * Flags a call of a custom op with a range dispatch (see CL105) that is
 * reached by several compile or export contexts, where the dispatch size is
 * concrete in some and symbolic in others. The notes name each context.
 *
 * ## Why it matters
 * The artifacts built where the size is concrete lost the dispatch; the
 * others may keep it. Which one ships depends on the entry point.
 *
 * ## Example
 * ```python
 * torch.compile(model, dynamic=True)(x)   # dispatch possible
 * torch.compile(model)(x)                 # first compile: dispatch lost
 * ```
 *
 * ## Use instead
 * Apply the fix in the notes to every context where the dispatch is lost
 * (`mark_dynamic(x, d)`, `dynamic=True`, a `Dim` for the dim).
 */
#include "dispatch_common.h"

void cl_rule_CL106(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->dispatch.n; i++) {
    const cl_site *site = facts->dispatch.v[i];
    if (cl_site_classify(facts, site) != SITE_FOLDS_SOME) continue;
    char *msg = cl_xasprintf("the range dispatch of %s is lost in some contexts that reach this "
                             "call: %s is a plain int there and symbolic elsewhere",
                             site->op, site->dispatch);
    cl_rule_emit_dispatch(s, facts, site, "CL106", msg);
    free(msg);
  }
}
