/*
 * CL206 dispatch-dim-out-of-range
 *
 * ## What it does
 * Flags a `dispatch_on` whose `dim` is past the rank of the tensor the op
 * is called with, where a traced call shows that rank.
 *
 * ## Why it matters
 * There is no such size to dispatch on: lowering fails, or the dispatch
 * reads another dim than intended.
 *
 * ## Example
 * ```python
 * register_custom_op_autotuning(op, configs=[...],
 *     dispatch_on={"tensor_name": "x", "dim": 3}, split_points=[512])
 * op(torch.randn(8, 1024))    # x has dims 0 and 1
 * ```
 *
 * ## Use instead
 * Count dims from 0: `dispatch_on={"tensor_name": "x", "dim": 1}`.
 */
#include "rule.h"

void cl_rule_CL206(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL206"); }
