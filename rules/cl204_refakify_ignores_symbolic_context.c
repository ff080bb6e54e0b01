/*
 * CL204 refakify-ignores-symbolic-context
 *
 * ## What it does
 * Flags `fake_mode.from_tensor(t, symbolic_context=...)` where `t` is already
 * a fake tensor (from `ir_node_to_tensor`, an earlier `from_tensor`, or a
 * factory under the mode).
 *
 * ## Why it matters
 * A fake tensor of a mode sharing the ShapeEnv is returned as it is: its
 * sizes are reused and the symbolic context is ignored. Sizes that were
 * concrete stay concrete, and a cond traced over them folds.
 *
 * ## Example
 * ```python
 * x = ir_node_to_tensor(node)                 # already fake, concrete sizes
 * x = V.fake_mode.from_tensor(x, symbolic_context=ctx)   # no effect
 * ```
 *
 * ## Use instead
 * Mint the symbols from a real or meta tensor:
 * ```python
 * sizes, strides, _ = shape_env.create_symbolic_sizes_strides_storage_offset(
 *     meta, source, symbolic_context=ctx)
 * with fake_mode:
 *     x = torch.empty_strided(sizes, strides)
 * ```
 */
#include "rule.h"

void cl_rule_CL204(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL204"); }
