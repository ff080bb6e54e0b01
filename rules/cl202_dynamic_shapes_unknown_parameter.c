/*
 * CL202 dynamic-shapes-unknown-parameter
 *
 * ## What it does
 * Flags a `dynamic_shapes` dict passed to `torch.export.export` whose key is
 * not a parameter of the exported module's `forward`.
 *
 * ## Why it matters
 * export matches a dict spec by parameter name; a misspelt name makes export
 * fail, and the dims the author meant stay unmarked.
 *
 * ## Example
 * ```python
 * class M(torch.nn.Module):
 *     def forward(self, x): ...
 * torch.export.export(M(), (x,), dynamic_shapes={"inp": {1: Dim("s")}})
 * ```
 *
 * ## Use instead
 * ```python
 * torch.export.export(M(), (x,), dynamic_shapes={"x": {1: Dim("s")}})
 * ```
 */
#include "rule.h"

void cl_rule_CL202(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL202"); }
