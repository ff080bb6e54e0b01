/*
 * CL302 schema-int-fed-size
 *
 * ## What it does
 * Flags an argument of a C++ op's schema that is typed `int` or `int[]`
 * (not `SymInt`) when a traced Python call of the op passes it a tensor size
 * that is symbolic there: `torch.ops.myops.scale(x, x.shape[1])` under
 * `torch.export` with a `Dim` on that dim, `make_fx(tracing_mode="symbolic")`
 * or `torch.compile(dynamic=True)`. The finding is on the schema argument,
 * with the Python call as a note. A schema inferred from the kernel's C++
 * signature (`m.def("scale", scale)`) counts: `int64_t` becomes `int`.
 *
 * ## Why it matters
 * An `int` argument is a plain int64 in C++: the dispatcher turns the SymInt
 * into an int with a guard, which specializes the size to the example's
 * value. Under `torch.export` with a `Dim` on it the export fails with
 * "Constraints violated"; elsewhere the graph silently holds the example's
 * size.
 *
 * ## Example
 * ```cpp
 * TORCH_LIBRARY(myops, m) { m.def("scale(Tensor x, int n) -> Tensor"); }
 * ```
 * ```python
 * def forward(self, x):
 *     return torch.ops.myops.scale(x, x.shape[1])
 * torch.export.export(M(), (x,), dynamic_shapes={"x": {1: Dim("seq")}})
 * ```
 *
 * ## Use instead
 * Declare the argument `SymInt` (`SymInt[]` for a list) and take a
 * `c10::SymInt` in the kernels:
 * ```cpp
 * TORCH_LIBRARY(myops, m) { m.def("scale(Tensor x, SymInt n) -> Tensor"); }
 * ```
 */
#include "rule.h"

/* The events come from the Python side: cl_cxx_op_call (cxx_py.c) records
 * one for each traced call of a C++ op that feeds a symbolic size to an
 * int argument. */
void cl_rule_CL302(condlint_session *s, const cl_facts *facts) { cl_rule_emit_events(s, facts, "CL302"); }
