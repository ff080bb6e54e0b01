/*
 * CL209 trace-will-fail
 *
 * ## What it does
 * Flags a tracing call that PyTorch 2.11 rejects, where the reason is in the
 * tracing set-up rather than in the model:
 * - `torch.export.export` with a named `Dim` or `Dim.DYNAMIC` on a dim whose
 *   example size is 0 or 1 (export specializes it: "Constraints violated");
 * - under export, slicing or narrowing a dim that has a `Dim` to a constant
 *   bound (`x[:, :128]`, `x.narrow(1, 0, 128)`), which guards on the Dim;
 * - `make_fx(tracing_mode="symbolic")` over fakes of a `FakeTensorMode`
 *   without a `ShapeEnv` ("shape_env should be set if tracing with 'symbolic'").
 *
 * ## Why it matters
 * The trace raises, so no artifact is built; the conds it would have reached
 * are not reported as folding (there is nothing to fold yet), and the fix is
 * in the set-up.
 *
 * ## Example
 * ```python
 * export(M(), (torch.randn(2, 1, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
 * ```
 *
 * ## Use instead
 * ```python
 * export(M(), (torch.randn(2, 256, 64),), dynamic_shapes={"x": {1: Dim("seq")}})
 * ```
 */
#include "rule.h"

void cl_rule_CL209(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL209"); }
