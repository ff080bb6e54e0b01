/*
 * CL301 meta-kernel-concrete-size
 *
 * ## What it does
 * Flags a C++ Meta kernel that reads a size of an input tensor as a plain
 * integer: `x.size(1)`, `x.sizes()`, `x.numel()`, `x.stride(0)`,
 * `x.strides()`, `x.storage_offset()`, `x.nbytes()`, or a SymInt turned into
 * an int (`x.sym_size(1).guard_int(...)`, `expect_int()`). The same holds for
 * a `CompositeExplicitAutograd` kernel of an op that has no Meta kernel: it
 * is the kernel that runs on fake tensors. Reads in helper functions of the
 * same file that the kernel passes its tensors to count too.
 *
 * ## Why it matters
 * Under symbolic tracing (`make_fx(tracing_mode="symbolic")`,
 * `torch.export` with a `Dim`, `torch.compile(dynamic=True)`) the kernel runs
 * on fake tensors whose sizes are SymInts, and an int-returning size API
 * gives the example's value. Seen with PyTorch 2.11 (t/corpus/cxx_*):
 * under `make_fx` the op's output sizes come back as plain ints, so a
 * `torch.cond` on them folds (`size()`, `sizes()`, and a
 * `CompositeExplicitAutograd` kernel standing in for a missing Meta one);
 * under `torch.export` with a `Dim` on the size the export fails with
 * "Constraints violated ... specialized it to be a constant"; `numel()`
 * raises "Cannot call numel() on tensor with symbolic sizes/strides".
 *
 * ## Example
 * ```cpp
 * at::Tensor my_op_meta(const at::Tensor& x) {
 *   return at::empty({x.size(0), x.size(1)}, x.options());
 * }
 * TORCH_LIBRARY_IMPL(myops, Meta, m) { m.impl("my_op", my_op_meta); }
 * ```
 *
 * ## Use instead
 * The symbolic APIs, and the `_symint` factories:
 * ```cpp
 * at::Tensor my_op_meta(const at::Tensor& x) {
 *   return at::empty_symint({x.sym_size(0), x.sym_size(1)}, x.options());
 * }
 * ```
 * `sym_sizes()`, `sym_numel()`, `sym_stride(d)`, `sym_strides()` and
 * `new_empty_symint` work the same way.
 */
#include <string.h>

#include "cxx.h"
#include "rule.h"

static const char *sym_of(const char *method) {
  static const char *const MAP[][2] = {
      {"size", "sym_size"},     {"sizes", "sym_sizes"},     {"numel", "sym_numel"},
      {"stride", "sym_stride"}, {"strides", "sym_strides"}, {"storage_offset", "sym_storage_offset"},
      {"nbytes", "sym_nbytes"}, {NULL, NULL}};
  for (int i = 0; MAP[i][0]; i++)
    if (!strcmp(method, MAP[i][0])) return MAP[i][1];
  return NULL;
}

void cl_rule_CL301(condlint_session *s, const cl_facts *facts) {
  (void)facts;
  const cl_vec *ks = cl_cxx_kernels(s);
  cl_vec seen = {0}; /* kernel, read pairs already reported (a kernel shared by several ops) */
  for (size_t i = 0; i < ks->n; i++) {
    const cl_cxx_kernel *k = ks->v[i];
    bool cea = k->cls == CXX_KEY_CEA;
    if (k->cls != CXX_KEY_META && !(cea && !cl_cxx_op_has_meta(s, k->op))) continue;
    for (uint32_t r = 0; r < k->nreads; r++) {
      const cl_cxx_read *rd = &k->reads[r];
      if (rd->symbolic) continue;
      bool dup = false;
      for (size_t j = 0; j + 1 < seen.n; j += 2) {
        const cl_cxx_kernel *sk = seen.v[j];
        const cl_cxx_read *sr = seen.v[j + 1];
        if (sk->file == k->file && sr->span.start == rd->span.start && sr->span.end == rd->span.end) dup = true;
      }
      if (dup) continue;
      cl_vec_push(&seen, (void *)k);
      cl_vec_push(&seen, (void *)rd);
      const char *what = cea ? "CompositeExplicitAutograd kernel (its Meta kernel: it has no other)" : "Meta kernel";
      char *via = rd->via ? cl_xasprintf(" (in `%s`, which it calls)", rd->via) : cl_xstrdup("");
      bool raises = !strcmp(rd->method, "numel");
      char *msg = cl_xasprintf(
          "the %s of %s reads `%s` as a plain int%s: under symbolic tracing %s",
          what, k->op, rd->text, via,
          raises ? "PyTorch raises \"Cannot call numel() on tensor with symbolic sizes/strides\""
                 : "the op's output sizes come back concrete (a torch.cond on them folds) and "
                   "torch.export with a Dim on the size fails (\"Constraints violated\")");
      const char *sym = sym_of(rd->method);
      char *fix = sym ? cl_xasprintf("use %s (a c10::SymInt) and the _symint factories "
                                     "(at::empty_symint, new_empty_symint)", sym)
                      : cl_xstrdup("keep the c10::SymInt: pass it on instead of turning it into an int");
      condlint_diag *d = cl_emit(s, "CL301", k->file, rd->span, msg, fix);
      char *rel = cl_xasprintf("`%s` is registered as the %s kernel of %s here", k->fn,
                               *k->key ? k->key : "catch-all", k->op);
      cl_diag_add_related(s, d, k->file, k->reg, rel);
      free(rel);
      free(fix);
      free(msg);
      free(via);
    }
  }
  cl_vec_free(&seen);
}
