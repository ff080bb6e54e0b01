/*
 * CL205 dispatch-on-not-a-tensor
 *
 * ## What it does
 * Flags `register_custom_op_autotuning(..., dispatch_on={"tensor_name": N, ...})`
 * where `N` is not a parameter of the custom op, or is a parameter whose
 * type is not `Tensor` (from the function's annotations or the op schema).
 *
 * ## Why it matters
 * Inductor looks the dispatch tensor up by name among the op's tensor
 * inputs; a wrong name fails at compile time or dispatches on nothing.
 *
 * ## Example
 * ```python
 * @torch.library.custom_op("mylib::op", mutates_args=())
 * def op(x: torch.Tensor, n: int) -> torch.Tensor: ...
 * register_custom_op_autotuning(op, configs=[...],
 *     dispatch_on={"tensor_name": "n", "dim": 0}, split_points=[512])
 * ```
 *
 * ## Use instead
 * ```python
 * register_custom_op_autotuning(op, configs=[...],
 *     dispatch_on={"tensor_name": "x", "dim": 1}, split_points=[512])
 * ```
 */
#include "rule.h"

void cl_rule_CL205(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL205"); }
