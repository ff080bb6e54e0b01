/*
 * CL102 cond-predicate-static-metadata
 *
 * ## What it does
 * Flags a `torch.cond` whose predicate reads only static metadata: the rank
 * (`x.dim()`, `x.ndim`, `len(x.shape)`), the dtype, the device, literals,
 * module-level constants or other plain Python values. The aliases
 * `from torch import cond`, `functorch.experimental.control_flow.cond` and
 * `torch._higher_order_ops.cond.cond` are recognised too.
 *
 * ## Why it matters
 * Such a predicate is a plain Python `bool` in every tracing context, dynamic
 * shapes or not, so the cond always folds to the branch the example takes.
 * Nothing is dispatched at run time; the cond only looks like it is.
 *
 * ## Example
 * ```python
 * def f(x):
 *     return torch.cond(x.dim() == 3, per_token, per_row, (x,))
 * ```
 *
 * ## Use instead
 * Branch in Python, which says what really happens, or dispatch on a size or
 * a tensor value if a run-time dispatch was meant:
 * ```python
 * def f(x):
 *     return per_token(x) if x.dim() == 3 else per_row(x)
 * ```
 */
#include "rule.h"

void cl_rule_CL102(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->sites.n; i++) {
    const cl_site *site = facts->sites.v[i];
    if (cl_site_classify(facts, site) != SITE_STATIC_META) continue;
    condlint_diag *d = cl_emit(
        s, "CL102", site->file, site->callee,
        "this torch.cond always folds: its predicate reads only static metadata (rank, dtype, "
        "device, literals or constants), a plain Python value in every tracing context",
        "branch with a Python `if` instead, or dispatch on a size or tensor value if a "
        "run-time dispatch was meant");
    cl_diag_add_related(s, d, site->file, site->pred_span,
                        "this predicate never depends on a dynamic size");
  }
}
