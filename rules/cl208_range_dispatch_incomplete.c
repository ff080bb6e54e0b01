/*
 * CL208 range-dispatch-incomplete
 *
 * ## What it does
 * Flags `register_custom_op_autotuning` given `dispatch_on` without
 * `split_points` or the other way round, or a `dispatch_on` that is not a
 * dict with both `tensor_name` and `dim`.
 *
 * ## Why it matters
 * PyTorch requires both for range-based autotuning and raises at
 * registration ("Both dispatch_on and split_points must be specified").
 *
 * ## Example
 * ```python
 * register_custom_op_autotuning(op, configs=[...], split_points=[512, 2048])
 * ```
 *
 * ## Use instead
 * ```python
 * register_custom_op_autotuning(op, configs=[...],
 *     dispatch_on={"tensor_name": "x", "dim": 1}, split_points=[512, 2048])
 * ```
 */
#include "rule.h"

void cl_rule_CL208(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL208"); }
