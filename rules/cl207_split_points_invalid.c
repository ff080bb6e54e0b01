/*
 * CL207 split-points-invalid
 *
 * ## What it does
 * Flags `split_points` that are not sorted in ascending order, repeat a
 * value, or hold a value that is not a positive integer.
 *
 * ## Why it matters
 * PyTorch rejects unsorted split points ("split_points must be sorted in
 * ascending order"); duplicates make an empty range and non-positive or
 * non-integer values are not sizes.
 *
 * ## Example
 * ```python
 * register_custom_op_autotuning(op, configs=[...],
 *     dispatch_on={"tensor_name": "x", "dim": 1}, split_points=[2048, 512])
 * ```
 *
 * ## Use instead
 * ```python
 * split_points=[512, 2048]
 * ```
 */
#include "rule.h"

void cl_rule_CL207(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL207"); }
