/*
 * CL203 symbolic-context-rank-mismatch
 *
 * ## What it does
 * Flags a `StatelessSymbolicContext(dynamic_sizes=[...])` used for a tensor
 * whose rank differs from the length of `dynamic_sizes`.
 *
 * ## Why it matters
 * The context gives one `DimDynamic` per dim; a list of the wrong length
 * makes fakification fail, or marks other dims than the ones meant.
 *
 * ## Example
 * ```python
 * real = torch.randn(2, 256, 128)
 * ctx = StatelessSymbolicContext(dynamic_sizes=[DimDynamic.STATIC, DimDynamic.DYNAMIC])
 * fake = mode.from_tensor(real, symbolic_context=ctx)
 * ```
 *
 * ## Use instead
 * ```python
 * ctx = StatelessSymbolicContext(
 *     dynamic_sizes=[DimDynamic.STATIC, DimDynamic.DYNAMIC, DimDynamic.STATIC])
 * ```
 */
#include "rule.h"

void cl_rule_CL203(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL203"); }
