/*
 * CL201 dynamic-dim-out-of-range
 *
 * ## What it does
 * Flags `torch._dynamo.mark_dynamic(x, d)`, `maybe_mark_dynamic`,
 * `mark_static`, or a `Dim` in `dynamic_shapes`, whose dim index `d` is past
 * the rank of the tensor it is applied to, where the rank is known.
 *
 * ## Why it matters
 * The mark cannot apply to any size: PyTorch raises, or the size the author
 * meant to make dynamic stays concrete and the conds that read it fold.
 *
 * ## Example
 * ```python
 * x = torch.randn(8, 512)
 * torch._dynamo.mark_dynamic(x, 2)   # x has dims 0 and 1
 * ```
 *
 * ## Use instead
 * Name the dim that the predicate reads, counting from 0:
 * ```python
 * torch._dynamo.mark_dynamic(x, 1)
 * ```
 */
#include "rule.h"

void cl_rule_CL201(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL201"); }
