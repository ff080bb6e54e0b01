/*
 * CL105 range-dispatch-lost
 *
 * ## What it does
 * Flags a call of a custom op registered with
 * `register_custom_op_autotuning(op, ..., dispatch_on={"tensor_name": "x", "dim": 1}, split_points=[...])`
 * when every `torch.compile` or `torch.export` that reaches the call gives
 * the dispatch size a concrete value: `dynamic=False`, a first compile
 * without `mark_dynamic` on that dim, an export without a `Dim` for it.
 *
 * ## Why it matters
 * Inductor builds the range dispatch as nested `torch.cond`s over the
 * dispatch size and traces them with the compiled graph's fake tensors. When
 * that size is a plain int, the conds fold: the artifact inlines the
 * implementation that won for the example size, and inputs in other ranges
 * run it too. PyTorch's own test `test_range_based_static_shape_no_cond_dispatch`
 * asserts exactly this. A dynamic size makes the dispatch possible (it still
 * appears only when autotuning picks different winners per range).
 *
 * ## Example
 * ```python
 * register_custom_op_autotuning(my_op, configs=[...],
 *     dispatch_on={"tensor_name": "x", "dim": 1}, split_points=[512, 2048])
 * model = torch.compile(Model(), dynamic=False)
 * model(torch.randn(8, 1024, 64))       # my_op's dispatch is gone
 * ```
 *
 * ## Use instead
 * Make the dispatch dim symbolic where the model is compiled:
 * ```python
 * x = torch.randn(8, 1024, 64)
 * torch._dynamo.mark_dynamic(x, 1)
 * torch.compile(Model())(x)
 * ```
 */
#include "dispatch_common.h"

void cl_rule_CL105(condlint_session *s, const cl_facts *facts) {
  for (size_t i = 0; i < facts->dispatch.n; i++) {
    const cl_site *site = facts->dispatch.v[i];
    cl_site_class c = cl_site_classify(facts, site);
    if (c != SITE_FOLDS_ALL && c != SITE_SPECIALIZED) continue;
    char *msg = cl_xasprintf("the range dispatch of %s is lost here: %s is a plain int in every "
                             "compile or export that reaches this call, so Inductor inlines one "
                             "implementation", site->op, site->dispatch);
    cl_rule_emit_dispatch(s, facts, site, "CL105", msg);
    free(msg);
  }
}
